# deid - one plain GNU Makefile. `make help` lists the targets.
#
# On Debian 12 as root, missing build dependencies are installed with
# apt-get the first time any build target runs (see build/config.mk below);
# otherwise the build stops and prints the one command to run.

CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=
PREFIX  ?= /usr/local
DESTDIR ?=
LIBCSV_PREFIX ?=
BUILD   ?= build

DEID_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
	-Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-missing-field-initializers -fno-strict-aliasing -Iengine

ifeq ($(V),1)
Q :=
else
Q := @
endif

CLI_SRC    := $(wildcard engine/cli*.c)
ENGINE_SRC := $(filter-out $(CLI_SRC),$(wildcard engine/*.c))
ENGINE_OBJ := $(ENGINE_SRC:engine/%.c=$(BUILD)/engine/%.o)
CLI_OBJ    := $(CLI_SRC:engine/%.c=$(BUILD)/engine/%.o)
UNIT_SRC   := $(sort $(wildcard tests/unit/check_*.c))
UNIT_OBJ   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%.o,$(sort $(wildcard tests/unit/*.c)))
LIB        := $(BUILD)/libdeid.a
DEID       := $(BUILD)/deid
GEN        := $(BUILD)/gen_customers
UNIT       := $(BUILD)/check_units

NO_CONFIG_GOALS := clean help
ifneq ($(filter-out $(NO_CONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
include $(BUILD)/config.mk
endif

.PHONY: all demo check unit clitest doctest samples bench clean help install deps asan ubsan valgrind
.DEFAULT_GOAL := all

all: $(DEID) $(GEN)

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
$(BUILD)/engine/%.o: engine/%.c $(BUILD)/config.mk
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(DEID_CFLAGS) $(DEP_CFLAGS) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(ENGINE_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

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

$(UNIT): $(UNIT_OBJ) $(LIB)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(UNIT_OBJ) $(LIB) $(DEP_LIBS) $(CHECK_LIBS) -o $@

-include $(ENGINE_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)

# ---- run --------------------------------------------------------------------
rules/keys/demo.key: | $(DEID)
	$(Q)mkdir -p rules/keys && $(DEID) keygen $@

demo: $(DEID) rules/keys/demo.key
	$(DEID) run -r rules/customers.rules samples/customers.csv

unit: $(UNIT)
	$(Q)CK_FORK=yes $(UNIT)

clitest: $(DEID) $(GEN)
	$(Q)sh tests/cli/run.sh $(DEID)

doctest: $(DEID) $(GEN) rules/keys/demo.key
	$(Q)sh tests/doc/run.sh $(DEID)

check: unit clitest doctest

bench: $(DEID) $(GEN) $(LIB)
	sh bench/stream_memory.sh $(DEID)
	sh bench/check_speed.sh

samples: $(GEN)
	$(GEN) --rows 1000 --seed 1 > samples/customers.csv

# Sanitizer builds in their own folders, running the whole suite.
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer
asan:
	ASAN_OPTIONS=allocator_may_return_null=1 $(MAKE) BUILD=build/asan CFLAGS="$(SAN_FLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" check
ubsan:
	$(MAKE) BUILD=build/ubsan CFLAGS="$(SAN_FLAGS) -fsanitize=undefined -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=undefined" check
valgrind: $(UNIT)
	CK_FORK=no valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	  $(UNIT)

install: $(DEID)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(DEID) $(DESTDIR)$(PREFIX)/bin/deid

clean:
	rm -rf $(BUILD)

help:
	@echo "make            build $(DEID) and the samples generator"
	@echo "make demo       de-identify samples/customers.csv with rules/customers.rules"
	@echo "make check      build and run every test (unit, CLI, documentation examples)"
	@echo "make unit       Check unit tests only"
	@echo "make clitest    CLI tests (tests/cli) only"
	@echo "make doctest    run every example from README.md and rules/"
	@echo "make bench      benchmarks (bench/README.md): memory bound, check speed"
	@echo "make asan       the whole suite built with AddressSanitizer + UBSan (build/asan)"
	@echo "make ubsan      the whole suite built with UBSan (build/ubsan)"
	@echo "make valgrind   the unit tests under valgrind memcheck"
	@echo "make samples    regenerate samples/customers.csv (1,000 rows, seed 1)"
	@echo "make install    install deid to \$$(DESTDIR)\$$(PREFIX)/bin"
	@echo "make clean      remove $(BUILD)/"
	@echo "Variables: CC CFLAGS LDFLAGS PREFIX DESTDIR LIBCSV_PREFIX V=1"
