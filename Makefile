# SPDX-License-Identifier: Apache-2.0
# deid - one plain GNU Makefile. `make help` lists the targets.
#
# On Debian 12 as root, missing build dependencies are installed with
# apt-get the first time any build target runs (see build/config.mk below);
# otherwise the build stops and prints the one command to run.

CC      ?= cc
OBJCOPY ?= objcopy
CFLAGS  ?= -O2 -g
LDFLAGS ?=
PREFIX  ?= /usr/local
DESTDIR ?=
LIBCSV_PREFIX ?=
BUILD   ?= build

# engine/ is one folder per layer (README "Source layout"); cli/ is the
# command-line program, every other folder is the library.
ENGINE_DIRS := $(sort $(patsubst %/,%,$(dir $(wildcard engine/*/*.[ch]))))

DEID_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
	-Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-missing-field-initializers -fno-strict-aliasing -Iengine \
	$(addprefix -I,$(ENGINE_DIRS))

ifeq ($(V),1)
Q :=
else
Q := @
endif

CLI_SRC    := $(wildcard engine/cli/*.c)
ENGINE_SRC := $(filter-out $(CLI_SRC),$(wildcard engine/*/*.c))
ENGINE_OBJ := $(ENGINE_SRC:engine/%.c=$(BUILD)/engine/%.o)
CLI_OBJ    := $(CLI_SRC:engine/%.c=$(BUILD)/engine/%.o)
UNIT_SRC   := $(sort $(wildcard tests/unit/check_*.c))
UNIT_OBJ   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%.o,$(sort $(wildcard tests/unit/*.c)))
# The public library exports only deid.h's functions: its objects are
# compiled with -fvisibility=hidden, libdeid.a is one relocatable object
# with every hidden symbol made local, and libdeid.so has a version script
# as well. Unit tests, fuzz targets and benchmarks call internal functions
# and link the plain objects in libdeid_internal.a instead.
LIB        := $(BUILD)/libdeid.a
LIB_INTERNAL := $(BUILD)/libdeid_internal.a
SO_VERSION := 0.1.0
SO_NAME    := libdeid.so.0
SO         := $(BUILD)/libdeid.so.$(SO_VERSION)
DEID       := $(BUILD)/deid
GEN        := $(BUILD)/gen_customers
UNIT       := $(BUILD)/check_units
FAULT      := $(BUILD)/fault/deid

NO_CONFIG_GOALS := clean help uninstall spdxtest
ifneq ($(filter-out $(NO_CONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
include $(BUILD)/config.mk
endif

.PHONY: bench-compare
.PHONY: all demo check unit clitest doctest libtest samples bench clean help install deps asan ubsan valgrind faulttest htmltest dbtest testdeps
.DEFAULT_GOAL := all

all: $(DEID) $(GEN) $(LIB) $(SO)

# ---- dependencies -----------------------------------------------------------
# Finds libcrypto, zlib and check with pkg-config and libcsv (no .pc file on
# Debian) with a try-compile honouring LIBCSV_PREFIX; installs what is missing
# when running as root with apt-get. The result is cached in config.mk.
$(BUILD)/config.mk: Makefile
	$(Q)mkdir -p $(BUILD)
	$(Q)csv_cflags=""; csv_libs="-lcsv"; \
	if [ -n "$(LIBCSV_PREFIX)" ]; then csv_cflags="-I$(LIBCSV_PREFIX)/include"; \
	  csv_libs="-L$(LIBCSV_PREFIX)/lib -Wl,-rpath,$(LIBCSV_PREFIX)/lib -lcsv"; fi; \
	probe() { \
	  missing=""; \
	  command -v $(CC) >/dev/null 2>&1 || missing="$$missing gcc"; \
	  command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	  pkg-config --exists 'libcrypto >= 3.0' 2>/dev/null || missing="$$missing libssl-dev"; \
	  pkg-config --exists zlib 2>/dev/null || missing="$$missing zlib1g-dev"; \
	  pkg-config --exists check 2>/dev/null || missing="$$missing check"; \
	  if command -v $(CC) >/dev/null 2>&1; then \
	    printf '#include <csv.h>\nint main(void){struct csv_parser p; return csv_init(&p, 0);}\n' \
	      > $(BUILD)/libcsv_probe.c; \
	    $(CC) $$csv_cflags $(BUILD)/libcsv_probe.c -o $(BUILD)/libcsv_probe $$csv_libs \
	      >/dev/null 2>&1 || missing="$$missing libcsv-dev"; \
	    rm -f $(BUILD)/libcsv_probe.c $(BUILD)/libcsv_probe; \
	  fi; \
	}; \
	probe; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "deid: installing build dependencies:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends$$missing >/dev/null || exit 1; \
	    probe; \
	  fi; \
	fi; \
	if [ -n "$$missing" ]; then \
	  echo "deid: missing build dependencies. Run: sudo apt-get install$$missing" >&2; exit 1; \
	fi; \
	{ echo "DEP_CFLAGS := $$(pkg-config --cflags libcrypto zlib) $$csv_cflags"; \
	  echo "DEP_LIBS := $$(pkg-config --libs libcrypto zlib) $$csv_libs -lpthread -lm"; \
	  echo "CHECK_CFLAGS := $$(pkg-config --cflags check)"; \
	  echo "CHECK_LIBS := $$(pkg-config --libs check)"; } > $@

deps: $(BUILD)/config.mk

# ---- build ------------------------------------------------------------------
# Library objects: position-independent (they go into libdeid.so too) and
# hidden unless deid.h marks them DEID_EXPORT.
LIB_CFLAGS := -fPIC -fvisibility=hidden
$(BUILD)/engine/%.o: engine/%.c $(BUILD)/config.mk
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(DEID_CFLAGS) $(LIB_CFLAGS) $(DEP_CFLAGS) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

# The CLI sees only the public headers (deid.h, deid_limits.h) and its own.
$(BUILD)/engine/cli/%.o: engine/cli/%.c $(BUILD)/config.mk
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(filter-out -I%,$(DEID_CFLAGS)) -Iengine -Iengine/cli $(DEP_CFLAGS) $(CPPFLAGS) \
	  $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB_INTERNAL): $(ENGINE_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(LIB): $(ENGINE_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ $(BUILD)/libdeid.o && $(LD) -r -o $(BUILD)/libdeid.o $^ && \
	  $(OBJCOPY) --localize-hidden $(BUILD)/libdeid.o && \
	  $(AR) rcs $@ $(BUILD)/libdeid.o && rm -f $(BUILD)/libdeid.o

$(BUILD)/libdeid.map: Makefile
	@mkdir -p $(@D)
	$(Q)printf '{\n  global: deid_*;\n  local: *;\n};\n' > $@

$(SO): $(ENGINE_OBJ) $(BUILD)/libdeid.map
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(SO_NAME) \
	  -Wl,--version-script,$(BUILD)/libdeid.map $(ENGINE_OBJ) $(DEP_LIBS) -o $@
	$(Q)ln -sf libdeid.so.$(SO_VERSION) $(BUILD)/$(SO_NAME) && ln -sf $(SO_NAME) $(BUILD)/libdeid.so

$(DEID): $(CLI_OBJ) $(LIB)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(CLI_OBJ) $(LIB) $(DEP_LIBS) -o $@

$(GEN): samples/gen_customers.c $(BUILD)/config.mk
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(DEID_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $< -o $@

# The unit runner: each tests/unit/check_X.c defines Suite *X_suite(void);
# the list of suites is generated from the file names. Other .c files in
# tests/unit/ are shared test helpers linked into the runner.
$(BUILD)/tests/suites.h: $(UNIT_SRC) Makefile
	@mkdir -p $(@D)
	$(Q){ for f in $(UNIT_SRC); do m=$$(basename $$f .c); m=$${m#check_}; \
	  [ "$$m" = main ] || echo "X($$m)"; done; } > $@.tmp && mv $@.tmp $@

$(BUILD)/tests/%.o: tests/unit/%.c $(BUILD)/tests/suites.h $(BUILD)/config.mk
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(DEID_CFLAGS) -I$(BUILD)/tests $(DEP_CFLAGS) $(CHECK_CFLAGS) $(CPPFLAGS) $(CFLAGS) \
	  -MMD -MP -c $< -o $@

$(UNIT): $(UNIT_OBJ) $(LIB_INTERNAL)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(UNIT_OBJ) $(LIB_INTERNAL) $(DEP_LIBS) $(CHECK_LIBS) -o $@

# The fault-injection test binary: deid with every malloc, calloc,
# realloc, strdup and strndup of our objects wrapped by a counter that can
# fail the Nth call (tests/fault/fail_alloc.c), and open() by a hook that
# can change an input between two passes (tests/fault/fault_io.c).
# build/deid is untouched. It links the public libdeid.a like deid: the
# library's calls to malloc and open stay undefined references in it, which
# is what --wrap rewrites.
FAULT_WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup,--wrap=open
FAULT_OBJ  := $(BUILD)/fault/fail_alloc.o $(BUILD)/fault/fault_io.o
$(BUILD)/fault/%.o: tests/fault/%.c $(BUILD)/config.mk
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(DEID_CFLAGS) $(DEP_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(FAULT): $(CLI_OBJ) $(LIB) $(FAULT_OBJ)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(FAULT_WRAP) $(CLI_OBJ) $(FAULT_OBJ) $(LIB) $(DEP_LIBS) -o $@

-include $(ENGINE_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)

# ---- run --------------------------------------------------------------------
rules/keys/demo.key: | $(DEID)
	$(Q)mkdir -p rules/keys && $(DEID) keygen $@

# The whole output goes to a file; the terminal gets the summary and the
# first records, not 1,000 rows.
demo: $(DEID) rules/keys/demo.key
	$(Q)mkdir -p $(BUILD)/demo
	$(DEID) run -r rules/customers.rules -o $(BUILD)/demo/customers.csv samples/customers.csv
	$(Q)echo; echo "first records of $(BUILD)/demo/customers.csv (all $$(($$(wc -l < $(BUILD)/demo/customers.csv) - 1)) are there):"
	$(Q)head -n 11 $(BUILD)/demo/customers.csv

unit: $(UNIT)
	$(Q)CK_FORK=yes $(UNIT)

clitest: $(DEID) $(GEN) $(BUILD)/python3.ok testdeps
	$(Q)sh tests/cli/run.sh $(DEID)

# python3 runs the independent computation of the risk figures
# (tests/risk/risk_models.py, from CLI cases); installed with apt-get when
# root, as clang is for fuzzing.
$(BUILD)/python3.ok:
	$(Q)mkdir -p $(BUILD); command -v python3 >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "deid: installing python3 for the tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends python3 >/dev/null || exit 1; \
	  else echo "deid: the tests need python3. Run: sudo apt-get install python3" >&2; exit 1; fi; }; \
	touch $@

# Test-only: Python 3's jsonschema module (Debian's python3-jsonschema)
# validates every JSON document the CLI tests make deid write against
# engine/schemas/ (tests/lib/validate_json.py); installed with apt-get when
# run as root and missing, as the build dependencies are.
testdeps: $(BUILD)/python3.ok
	$(Q)if ! python3 -c 'import jsonschema' >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "deid: installing test dependencies: python3-jsonschema"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends python3-jsonschema >/dev/null || exit 1; \
	  else \
	    echo "deid: missing test dependency. Run: sudo apt-get install python3-jsonschema" >&2; exit 1; \
	  fi; \
	fi

doctest: $(DEID) $(GEN) rules/keys/demo.key
	$(Q)sh tests/doc/run.sh $(DEID)

faulttest: $(FAULT) $(DEID)
	$(Q)sh tests/fault/alloc_failures.sh $(FAULT)
	$(Q)sh tests/fault/io_faults.sh $(FAULT)

# The library's surface: only deid_ symbols exported, no library object
# that prints or exits (tests/lib/symbols.sh); engine/'s layers, file
# lengths and README's source tour (tests/lib/layout.sh).
libtest: $(LIB) $(SO) $(LIB_INTERNAL)
	$(Q)sh tests/lib/symbols.sh $(BUILD) "$(CC) $(CFLAGS) $(LDFLAGS)" "$(DEP_LIBS)"
	$(Q)sh tests/lib/layout.sh

check: unit clitest doctest faulttest fuzzreplay libtest scrubtest htmltest installtest dbtest debtest spdxtest scaletest

# Sharded runs (tests/scale/, README "Sharded runs"): the Hadoop Streaming
# recipe simulated as map | sort | reduce, and scale/deid-dask on a real
# Dask cluster (a `dask scheduler` and two `dask worker`s on 127.0.0.1),
# each compared byte for byte with one machine. Test-only: Debian's
# python3-distributed, installed with apt-get when root; without root and
# without it the Dask test says SKIP loudly.
.PHONY: scaletest
scaletest: $(DEID)
	$(Q)sh tests/scale/hadoop_sim.sh $(DEID)
	$(Q)probe() { /usr/bin/python3 -c 'import distributed' >/dev/null 2>&1 && command -v dask >/dev/null 2>&1; }; \
	if ! probe && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "deid: installing for the Dask test: python3-distributed"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends python3-distributed >/dev/null || exit 1; \
	fi; \
	if ! probe; then \
	  echo "SKIP: Dask test (not root, and missing: python3-distributed; run: sudo apt-get install python3-distributed)"; \
	else sh tests/scale/dask_test.sh $(DEID); fi

# A real PostgreSQL round trip (tests/db/run.sh): a scratch cluster on a
# Unix socket in a temporary folder, psql \copy | deid run | psql \copy
# in one transaction. Test-only: Debian's postgresql, installed with
# apt-get when root; without root and without it the test says SKIP loudly.
dbtest: $(DEID) testdeps
	$(Q)probe() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && \
	  ls /usr/lib/postgresql/*/bin/psql >/dev/null 2>&1; }; \
	if ! probe && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "deid: installing for the database test: postgresql"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends postgresql >/dev/null || exit 1; \
	fi; \
	if ! probe; then \
	  echo "SKIP: PostgreSQL round trip test (not root, and missing: postgresql; run: sudo apt-get install postgresql)"; \
	else sh tests/db/run.sh $(DEID); fi

# The HTML report rendered in a real browser (tests/html/run.sh): Debian's
# chromium renders it, poppler-utils' pdftotext reads its print to PDF,
# fonts-nanum gives Chromium Hangul glyphs (else Korean prints as empty
# boxes and pdftotext finds no Korean), python3 compares the page's
# figures with the JSON report and with its own count of the data.
# Installed with apt-get when root; without root and without them the
# test says SKIP loudly.
HTML_TEST_PACKAGES := chromium poppler-utils fonts-nanum python3
htmltest: $(DEID) testdeps
	$(Q)probe() { missing=""; \
	  command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	  [ -d /usr/share/fonts/truetype/nanum ] || missing="$$missing fonts-nanum"; \
	  command -v python3 >/dev/null 2>&1 || missing="$$missing python3"; }; \
	probe; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "deid: installing for the HTML report test:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends$$missing >/dev/null || exit 1; \
	  probe; \
	fi; \
	if [ -n "$$missing" ]; then \
	  echo "SKIP: HTML report test (not root, and missing:$$missing; run: sudo apt-get install$$missing)"; \
	else sh tests/html/run.sh $(DEID); fi

# The identifier detector measured on a generated, labelled corpus
# (tests/scrub/): `make scrub-eval` prints per-kind precision and recall and
# the decoys kept (README "scrub"); scrubtest, part of check, fails when a
# kind's recall is below 99.5% or fewer than 99% of the decoys are kept.
SCRUB_SENTENCES ?= 5000
SCRUB_SEED      ?= 1
$(BUILD)/scrub_corpus: tests/scrub/scrub_corpus.c $(BUILD)/config.mk
	$(Q)$(CC) $(DEID_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $< -o $@
$(BUILD)/scrub_eval: tests/scrub/scrub_eval.c $(LIB_INTERNAL)
	$(Q)$(CC) $(DEID_CFLAGS) $(DEP_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $< $(LIB_INTERNAL) $(DEP_LIBS) -o $@
.PHONY: scrub-eval scrubtest
scrub-eval: $(BUILD)/scrub_corpus $(BUILD)/scrub_eval
	$(Q)$(BUILD)/scrub_corpus --sentences $(SCRUB_SENTENCES) --seed $(SCRUB_SEED) | $(BUILD)/scrub_eval
scrubtest: $(BUILD)/scrub_corpus $(BUILD)/scrub_eval
	$(Q)for seed in 1 2 3; do \
	  line=$$($(BUILD)/scrub_corpus --sentences 5000 --seed $$seed | $(BUILD)/scrub_eval --goals | tail -1); \
	  echo "scrub corpus seed $$seed: $$line"; \
	  case "$$line" in *': met') ;; *) exit 1 ;; esac; done

# The throughput benchmark (issue 5) writes bench/RESULTS.md; BENCH_MB,
# BENCH_RUNS and BENCH_THREADS tune it. The older scripts stay runnable on
# their own (bench/README.md).
$(BUILD)/parse_floor: bench/parse_floor.c $(BUILD)/config.mk
	$(Q)$(CC) $(DEID_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $< -o $@ $(DEP_LIBS)

bench: $(DEID) $(GEN) $(BUILD)/parse_floor
	sh bench/throughput.sh $(DEID) $(GEN) $(BUILD)/parse_floor
	sh bench/stream_memory.sh $(DEID)

# A change against the build before it (bench/compare.sh): BASE names the
# older deid binary, e.g. one built in a `git worktree` of the base commit.
bench-compare: $(DEID) $(GEN)
	$(Q)[ -n "$(BASE)" ] || { echo "usage: make bench-compare BASE=path/to/older/deid" >&2; exit 2; }
	sh bench/compare.sh $(BASE) $(DEID) $(GEN)

samples: $(GEN)
	$(GEN) --rows 1000 --seed 1 > samples/customers.csv

# Sanitizer builds in their own folders, running the whole suite. They run
# several times slower, on a machine CI shares: Check's per-test timeouts
# are stretched accordingly (a timeout is a hang detector, not a benchmark).
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer
asan:
	ASAN_OPTIONS=allocator_may_return_null=1 CK_TIMEOUT_MULTIPLIER=4 $(MAKE) BUILD=build/asan CFLAGS="$(SAN_FLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" check
ubsan:
	CK_TIMEOUT_MULTIPLIER=4 $(MAKE) BUILD=build/ubsan CFLAGS="$(SAN_FLAGS) -fsanitize=undefined -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=undefined" check
valgrind: $(UNIT)
	CK_FORK=no valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	  $(UNIT)

# ---- fuzzing (tests/fuzz/README.md) -------------------------------------------
# Each tests/fuzz/fuzz_X.c is a libFuzzer target. `make fuzzreplay` (part of
# check) links each with tests/fuzz/replay.c using $(CC) and replays its
# committed corpus and crash reproducers. `make fuzz` builds the library and
# the targets with clang -fsanitize=fuzzer,address,undefined in build/fuzz
# and runs each for FUZZ_SECONDS; new inputs go to build/fuzz/corpus/X,
# crashes to tests/fuzz/crashes/X; `make fuzzmerge` adds the new inputs that
# reach new edges (not just new hit counts, to keep it small) to
# tests/fuzz/corpus/X.
.PHONY: fuzzreplay fuzz fuzzbuild fuzzmerge fuzztoolchain
FUZZ_ALL     := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_SECONDS ?= 600
FUZZ_CC      ?= clang
FUZZ_DIR     := build/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZ_SAN)
FUZZ_MAXLEN_csv       := 8192
FUZZ_MAXLEN_csvfast   := 8192
FUZZ_MAXLEN_rules     := 4096
FUZZ_MAXLEN_hierarchy := 4096
FUZZ_MAXLEN_map       := 4096
FUZZ_MAXLEN_transform := 2048
FUZZ_MAXLEN_check     := 8192
FUZZ_MAXLEN_job       := 8192
FUZZ_MAXLEN_scrub     := 2048

$(BUILD)/fuzzreplay/replay_%: tests/fuzz/replay.c tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(LIB_INTERNAL)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(DEID_CFLAGS) $(DEP_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) tests/fuzz/replay.c \
	  tests/fuzz/fuzz_$*.c $(LIB_INTERNAL) $(DEP_LIBS) -o $@

fuzzreplay: $(FUZZ_ALL:%=$(BUILD)/fuzzreplay/replay_%)
	$(Q)for t in $(FUZZ_ALL); do \
	  $(BUILD)/fuzzreplay/replay_$$t tests/fuzz/corpus/$$t tests/fuzz/crashes/$$t || exit 1; done

# libFuzzer binaries; built only with BUILD=$(FUZZ_DIR) CC=clang (fuzzbuild).
$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(LIB_INTERNAL)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(DEID_CFLAGS) $(DEP_CFLAGS) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer $(FUZZ_SAN) $< \
	  $(LIB_INTERNAL) $(DEP_LIBS) -o $@

# clang and its libFuzzer runtime, installed with apt-get when root.
fuzztoolchain:
	$(Q)mkdir -p $(FUZZ_DIR); \
	probe() { printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' \
	  > $(FUZZ_DIR)/probe.c && $(FUZZ_CC) -fsanitize=fuzzer,address,undefined $(FUZZ_DIR)/probe.c \
	  -o $(FUZZ_DIR)/probe >/dev/null 2>&1; }; \
	if ! probe; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "deid: installing clang libclang-rt-14-dev for fuzzing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev >/dev/null || exit 1; \
	  fi; \
	  probe || { echo "deid: fuzzing needs clang with libFuzzer. Run: sudo apt-get install clang libclang-rt-14-dev" >&2; exit 1; }; \
	fi; rm -f $(FUZZ_DIR)/probe.c $(FUZZ_DIR)/probe

fuzzbuild: fuzztoolchain
	$(Q)$(MAKE) --no-print-directory BUILD=$(FUZZ_DIR) CC=$(FUZZ_CC) CFLAGS="$(FUZZ_CFLAGS)" \
	  $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)

fuzz: $(FUZZ_TARGETS:%=fuzz-%)
fuzz-%: fuzzbuild
	@mkdir -p $(FUZZ_DIR)/corpus/$* tests/fuzz/crashes/$*
	@echo "fuzz $*: $(FUZZ_SECONDS) s, log in $(FUZZ_DIR)/$*.log"
	$(Q)nice -n 10 $(FUZZ_DIR)/fuzz_$* -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAXLEN_$*) \
	  -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=tests/fuzz/crashes/$*/ \
	  $(if $(wildcard tests/fuzz/$*.dict),-dict=tests/fuzz/$*.dict) \
	  $(FUZZ_DIR)/corpus/$* tests/fuzz/corpus/$* > $(FUZZ_DIR)/$*.log 2>&1; \
	  rc=$$?; grep -E '^(#[0-9]+.*DONE|stat::)' $(FUZZ_DIR)/$*.log; \
	  [ $$rc = 0 ] || { tail -n 40 $(FUZZ_DIR)/$*.log; echo "fuzz $*: failed, reproducer in tests/fuzz/crashes/$*/"; exit 1; }

fuzzmerge: fuzzbuild
	$(Q)for t in $(FUZZ_TARGETS); do mkdir -p $(FUZZ_DIR)/corpus/$$t; \
	  $(FUZZ_DIR)/fuzz_$$t -merge=1 -use_counters=0 tests/fuzz/corpus/$$t $(FUZZ_DIR)/corpus/$$t \
	    > $(FUZZ_DIR)/$$t.merge.log 2>&1 || { tail -n 20 $(FUZZ_DIR)/$$t.merge.log; exit 1; }; \
	  grep -E 'MERGE-OUTER: [0-9]+ new files' $(FUZZ_DIR)/$$t.merge.log | sed "s/^/$$t: /"; done

# ---- install (README "Install") ------------------------------------------------
# Installs the program, the man pages, the library (static, shared with its
# SONAME and dev symlinks), the public headers, deid.pc for pkg-config and
# the example rule sets (rules/: rule files, hierarchies, maps, README; no
# keys, no vaults) under $(DESTDIR)$(PREFIX). INSTALL_FILES is the list
# `make uninstall` removes; tests/install/files.txt is the same list, as the
# README documents it.
BINDIR     := $(PREFIX)/bin
LIBDIR     := $(PREFIX)/lib
INCLUDEDIR := $(PREFIX)/include
MANDIR     := $(PREFIX)/share/man
DATADIR    := $(PREFIX)/share/deid
PC_VERSION := $(shell sed -n 's/^\#define DEID_VERSION "\(.*\)"/\1/p' engine/deid.h)
EXAMPLE_FILES := $(patsubst rules/%,%,$(sort $(wildcard rules/*.rules) rules/README.md \
	$(wildcard rules/hierarchies/*.csv) $(wildcard rules/maps/*.csv)))
EXAMPLE_DIRS  := $(sort $(patsubst %/,%,$(filter-out ./,$(dir $(EXAMPLE_FILES)))))
INSTALL_FILES := $(BINDIR)/deid $(MANDIR)/man1/deid.1 $(MANDIR)/man5/deid-rules.5 \
	$(LIBDIR)/libdeid.a $(LIBDIR)/libdeid.so.$(SO_VERSION) $(LIBDIR)/$(SO_NAME) $(LIBDIR)/libdeid.so \
	$(INCLUDEDIR)/deid.h $(INCLUDEDIR)/deid_limits.h $(LIBDIR)/pkgconfig/deid.pc \
	$(addprefix $(DATADIR)/,$(EXAMPLE_FILES))
# Folders install may create, deepest first: uninstall removes them when
# empty. The general ones (bin, lib, share/man/man1 ...) only under a
# DESTDIR, a staging root where install made them; in a live PREFIX such
# as /usr/local they are shared with other software and stay.
OWN_DIRS     := $(addprefix $(DATADIR)/,$(EXAMPLE_DIRS)) $(DATADIR)
GENERAL_DIRS := $(LIBDIR)/pkgconfig $(MANDIR)/man1 $(MANDIR)/man5 $(MANDIR) $(PREFIX)/share \
	$(BINDIR) $(LIBDIR) $(INCLUDEDIR) $(PREFIX)

# deid.pc: the library's flags for pkg-config. libcrypto and zlib have .pc
# files on Debian (Requires.private); libcsv has none (Libs.private).
# libdir follows LIBDIR (the Debian packages set a multiarch one),
# relative to $${prefix} when under PREFIX.
PC_LIBDIR = $(if $(filter $(PREFIX)/%,$(LIBDIR)),$${prefix}$(patsubst $(PREFIX)%,%,$(LIBDIR)),$(LIBDIR))
$(BUILD)/deid.pc: Makefile engine/deid.h
	@mkdir -p $(@D)
	$(Q){ echo 'prefix=$(PREFIX)'; echo 'exec_prefix=$${prefix}'; \
	  echo 'libdir=$(PC_LIBDIR)'; echo 'includedir=$${prefix}/include'; echo; \
	  echo 'Name: deid'; \
	  echo 'Description: pseudonymize and anonymize delimited text (CSV) as a stream'; \
	  echo 'Version: $(PC_VERSION)'; \
	  echo 'Requires.private: libcrypto >= 3.0, zlib'; \
	  echo 'Cflags: -I$${includedir}'; \
	  echo 'Libs: -L$${libdir} -ldeid'; \
	  echo 'Libs.private: -lcsv -lpthread -lm'; } > $@.tmp && mv $@.tmp $@

.PHONY: uninstall installtest
# PREFIX is written into deid.pc: rebuild it on every install.
install: $(DEID) $(LIB) $(SO)
	$(Q)rm -f $(BUILD)/deid.pc && $(MAKE) --no-print-directory $(BUILD)/deid.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR) \
	  $(addprefix $(DESTDIR)$(DATADIR)/,$(EXAMPLE_DIRS))
	install -m 0755 $(DEID) $(DESTDIR)$(BINDIR)/deid
	install -m 0644 man/deid.1 $(DESTDIR)$(MANDIR)/man1/deid.1
	install -m 0644 man/deid-rules.5 $(DESTDIR)$(MANDIR)/man5/deid-rules.5
	install -m 0644 $(LIB) $(DESTDIR)$(LIBDIR)/libdeid.a
	install -m 0755 $(SO) $(DESTDIR)$(LIBDIR)/libdeid.so.$(SO_VERSION)
	ln -sf libdeid.so.$(SO_VERSION) $(DESTDIR)$(LIBDIR)/$(SO_NAME)
	ln -sf $(SO_NAME) $(DESTDIR)$(LIBDIR)/libdeid.so
	install -m 0644 engine/deid.h engine/deid_limits.h $(DESTDIR)$(INCLUDEDIR)
	install -m 0644 $(BUILD)/deid.pc $(DESTDIR)$(LIBDIR)/pkgconfig/deid.pc
	$(Q)for f in $(EXAMPLE_FILES); do \
	  install -m 0644 rules/$$f $(DESTDIR)$(DATADIR)/$$f || exit 1; done

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALL_FILES))
	$(Q)for d in $(OWN_DIRS); do [ ! -d "$(DESTDIR)$$d" ] || rmdir --ignore-fail-on-non-empty "$(DESTDIR)$$d"; done
	$(Q)if [ -n "$(DESTDIR)" ]; then for d in $(GENERAL_DIRS); do \
	  [ ! -d "$(DESTDIR)$$d" ] || rmdir --ignore-fail-on-non-empty "$(DESTDIR)$$d"; done; fi

# Installs into a scratch DESTDIR and checks the files, the man pages, the
# options they document and a program built with pkg-config
# (tests/install/run.sh). mandoc lints and renders the pages; installed
# with apt-get when root, as the other test tools are.
installtest: $(DEID) $(LIB) $(SO)
	$(Q)if ! command -v mandoc >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "deid: installing test dependencies: mandoc"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends mandoc >/dev/null || exit 1; \
	  else echo "deid: missing test dependency. Run: sudo apt-get install mandoc" >&2; exit 1; fi; \
	fi
	$(Q)sh tests/install/run.sh "$(MAKE)" "$(CC) $(CFLAGS) $(LDFLAGS)" "$(BUILD)"

# Every source file carries the license header (tools/spdx.sh adds it;
# re-run it after a merge that brings new files).
.PHONY: spdxtest
spdxtest:
	$(Q)sh tools/spdx.sh --check

# ---- Debian packages (README "Debian packages") ------------------------------------
# debian/rules builds deid, libdeid0 and libdeid-dev with dpkg-dev's tools
# into $(BUILD)/deb (its own build with Debian's hardening flags, in
# $(BUILD)/deb/work, whatever CFLAGS this make was given). debtest (part of check, tests/deb/run.sh) unpacks and
# uses them, and runs lintian. dpkg-dev and lintian are installed with
# apt-get when root, as the other tools are.
.PHONY: deb debtest
DEB_DIR := $(BUILD)/deb
deb: $(BUILD)/config.mk
	$(Q)command -v dpkg-gencontrol >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "deid: installing for the Debian packages: dpkg-dev"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends dpkg-dev >/dev/null || exit 1; \
	  else echo "deid: make deb needs dpkg-dev. Run: sudo apt-get install dpkg-dev" >&2; exit 1; fi; }
	$(Q)mkdir -p $(DEB_DIR)
	@# a clean make: not this one's command-line CFLAGS (make asan's), Debian's
	$(Q)MAKEFLAGS= MAKEOVERRIDES= DEB_BUILD_OPTIONS="parallel=2 $(DEB_BUILD_OPTIONS)" \
	  debian/rules DEB_WORK=$(abspath $(DEB_DIR)/work) DEB_OUT=$(abspath $(DEB_DIR)) binary

debtest: $(BUILD)/config.mk
	$(Q)probe() { missing=""; command -v dpkg-gencontrol >/dev/null 2>&1 || missing="$$missing dpkg-dev"; \
	  command -v lintian >/dev/null 2>&1 || missing="$$missing lintian"; }; \
	probe; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "deid: installing for the Debian package test:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends$$missing >/dev/null || exit 1; \
	  probe; \
	fi; \
	case "$$missing" in \
	  *dpkg-dev*) echo "SKIP: Debian package test (not root, and missing:$$missing; run: sudo apt-get install$$missing)" ;; \
	  *) sh tests/deb/run.sh "$(MAKE)" "$(CC) $(CFLAGS) $(LDFLAGS)" "$(BUILD)" ;; \
	esac

clean:
	rm -rf $(BUILD)

help:
	@echo "make            build $(DEID) and the samples generator"
	@echo "make demo       de-identify samples/customers.csv with rules/customers.rules"
	@echo "make check      build and run every test (unit, CLI, documentation examples)"
	@echo "make unit       Check unit tests only"
	@echo "make scrub-eval the identifier detector's precision and recall on a generated corpus"
	@echo "make clitest    CLI tests (tests/cli) only; CLI_JOBS=N cases at a time (default 2)"
	@echo "make libtest    the library exports only deid_ symbols and never prints or exits"
	@echo "make doctest    run every example from README.md and rules/"
	@echo "make faulttest  allocation failures (every N) and I/O faults (tests/fault; part of check)"
	@echo "make htmltest   the HTML report in headless Chromium: figures, PDF, no rare value (part of check)"
	@echo "make dbtest     a PostgreSQL round trip: psql, deid run, psql in one transaction (part of check)"
	@echo "make scaletest  sharded runs: the Hadoop map|sort|reduce simulation, deid-dask on a real Dask cluster (part of check)"
	@echo "make bench      throughput benchmark on a generated 1 GB file (writes bench/RESULTS.md), memory bound"
	@echo "make asan       the whole suite built with AddressSanitizer + UBSan (build/asan)"
	@echo "make ubsan      the whole suite built with UBSan (build/ubsan)"
	@echo "make valgrind   the unit tests under valgrind memcheck"
	@echo "make fuzzreplay replay the fuzz corpora and crash reproducers (tests/fuzz; part of check)"
	@echo "make fuzz       run each libFuzzer target (clang) for FUZZ_SECONDS=600; FUZZ_TARGETS=\"csv rules\""
	@echo "make fuzzmerge  add the new inputs of the last fuzz runs to tests/fuzz/corpus"
	@echo "make bench-compare BASE=OLD/deid  instructions (callgrind), wall time and RSS against an older build"
	@echo "make samples    regenerate samples/customers.csv (1,000 rows, seed 1)"
	@echo "make install    install deid, its man pages, libdeid.a/.so, deid.h, deid.pc, share/deid (README \"Install\")"
	@echo "make uninstall  remove what make install installed (same PREFIX and DESTDIR)"
	@echo "make installtest install into a scratch DESTDIR and check files, man pages, pkg-config (part of check)"
	@echo "make deb        Debian packages deid, libdeid0, libdeid-dev in $(BUILD)/deb (debian/rules)"
	@echo "make debtest    build the packages, unpack them, build a program with pkg-config, lintian (part of check)"
	@echo "make spdxtest   every source file has the SPDX license header (tools/spdx.sh adds it; part of check)"
	@echo "make clean      remove $(BUILD)/"
	@echo "Variables: CC CFLAGS LDFLAGS PREFIX DESTDIR LIBCSV_PREFIX V=1"
