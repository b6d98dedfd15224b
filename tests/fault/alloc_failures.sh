#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/fault/alloc_failures.sh FAULT_DEID - every allocation failure ends
# cleanly.
#
# FAULT_DEID is build/fault/deid (tests/fault/fail_alloc.c linked in with
# -Wl,--wrap): DEID_FAIL_ALLOC=N makes its Nth allocation fail, counting
# ours, OpenSSL's per-call ones, zlib's and libcsv's. For each scenario
# below the script runs the command once to count the allocations (C), then
# again for every N = 1 .. C. Each run must either
#   - fail with exit 5, a "deid: ..." message on stderr, and leave no file
#     behind (no output, report, record or temporary file, nothing in the
#     spool folder), or
#   - succeed, for a failure the code may absorb (libcsv retrying with a
#     smaller block, OpenSSL at exit), with exactly the reference output.
# Anything else fails the test: another exit code, a signal (crash), and
# under `make asan` a leak (LeakSanitizer's report, exit 23).
#
# tests/fault/known_failures lists failures known and not yet fixed, one a
# line: SCENARIO (or * for any), a tab, the start of the problem as printed
# below, a tab, the reason. They print as KNOWN and do not fail the test; a
# listed failure that no longer occurs is pointed out so that its line can
# go (unless the reason starts with "sometimes": a symptom that depends on
# the garbage a bug reads).
#
# Environment: FAULT_ONLY=SCENARIO runs one scenario; FAULT_VERBOSE=1 prints
# every N; FAULT_FROM/FAULT_TO limit N.
set -u
FAULT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/tests/fault/data
KNOWN=$ROOT/tests/fault/known_failures
only=${FAULT_ONLY:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/deid-fault.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
# Leaks must fail every run, whatever the caller's ASAN_OPTIONS. OpenSSL's
# own leaks on its failure paths are suppressed (lsan.supp); matching them
# needs full stacks through libcrypto (no frame pointers there), which the
# scenarios that reach them ask for (fullstacks: 4 times slower).
ASAN_OPTIONS=${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=1:exitcode=23
LSAN_OPTIONS=${LSAN_OPTIONS:-}${LSAN_OPTIONS:+:}suppressions=$ROOT/tests/fault/lsan.supp:print_suppressions=0
export ASAN_OPTIONS LSAN_OPTIONS

failures=0 scenarios=0 runs=0 known_seen=0 ran=" * "
: >"$work/known-hits"
# The fixture names, " a b c ": anything else in a run's folder is new.
fixtures=" spool $(cd "$DATA" && echo *) "

# Sets $new to the files in folder $1 that are not fixtures (no subshell:
# this runs thousands of times).
new_files() {
    new=""
    for f in "$1"/* "$1"/.[!.]*; do
        [ -e "$f" ] || continue
        f=${f##*/}
        case "$fixtures" in *" $f "*) ;; *) new="$new${new:+ }$f" ;; esac
    done
}

# scenario NAME STDIN COMMAND [FLAGS]: STDIN is a file in tests/fault/data
# or "-" for none; COMMAND runs in a copy of that folder with $F the binary
# and $TMPDIR its spool/ folder. FLAGS: nocompare (a run that succeeds may
# differ from the reference: random tokens), fullstacks (see above).
scenario() {
    name=$1 in=$2 cmd=$3 flags=${4:-}
    compare=compare
    case " $flags " in *" nocompare "*) compare=nocompare ;; esac
    asan=$ASAN_OPTIONS
    case " $flags " in *" fullstacks "*) asan=$asan:fast_unwind_on_malloc=0 ;; esac
    [ -n "$only" ] && [ "$only" != "$name" ] && return 0
    scenarios=$((scenarios + 1))
    ran="$ran $name "
    dir=$work/$name
    input=/dev/null
    [ "$in" != - ] && input=$DATA/$in
    # The reference: no fault; counts the allocations.
    fresh "$dir/ref"
    (cd "$dir/ref" && export DEID_ALLOC_COUNT=1 F="$FAULT" TMPDIR="$PWD/spool" ASAN_OPTIONS="$asan" &&
        eval "$cmd") \
        <"$input" >"$dir/ref.out" 2>"$dir/ref.err"
    rc=$?
    count=$(sed -n 's/^deid-fault: allocations=\([0-9]*\) .*/\1/p' "$dir/ref.err")
    sed -i '/^deid-fault: /d' "$dir/ref.err"
    if [ "$rc" != 0 ] || [ -z "$count" ]; then
        echo "FAIL $name: the reference run exited $rc"
        sed 's/^/  /' "$dir/ref.err" | head -5
        failures=$((failures + 1))
        return 0
    fi
    normalize "$dir/ref" "$dir/ref.out"
    new_files "$dir/ref"
    ref_files=$new
    n=${FAULT_FROM:-1}
    last=${FAULT_TO:-$count}
    bad=0 absorbed=0
    run=$dir/run
    fresh "$run"
    while [ "$n" -le "$last" ]; do
        runs=$((runs + 1))
        (cd "$run" && export DEID_FAIL_ALLOC=$n F="$FAULT" TMPDIR="$PWD/spool" ASAN_OPTIONS="$asan" &&
            eval "$cmd") \
            <"$input" >"$dir/out" 2>"$dir/err"
        rc=$?
        problem=""
        new_files "$run"
        if [ "$rc" != 0 ] && [ "$rc" != 5 ] && grep -q 'Sanitizer\|runtime error:' "$dir/err"; then
            # ASan/LSan: the first frame of ours; UBSan: where
            where=$(grep -m 1 -o 'in [A-Za-z_0-9]* engine/[a-z_0-9/]*\.c' "$dir/err" ||
                grep -m 1 -o 'engine/[a-z_0-9/]*\.c:[0-9]*:[0-9]*: runtime error' "$dir/err")
            problem="sanitizer report (${where:-see below})"
        elif [ "$rc" = 5 ]; then
            first=""
            read -r first <"$dir/err"
            case "$first" in "deid: "?*) ;; *) problem="exit 5 without a \"deid: \" message" ;; esac
            [ -n "$new" ] && problem="$problem${problem:+; }left behind: $new"
        elif [ "$rc" = 0 ]; then
            absorbed=$((absorbed + 1))
            normalize "$run" "$dir/out"
            if [ "$compare" = nocompare ]; then
                [ "$new" != "$ref_files" ] &&
                    problem="exit 0 but it wrote \"$new\", the reference \"$ref_files\""
            elif ! cmp -s "$dir/out" "$dir/ref.out" || ! cmp -s "$dir/err" "$dir/ref.err"; then
                problem="exit 0 but stdout or stderr differs from the reference"
            elif [ "$new" != "$ref_files" ]; then
                problem="exit 0 but it wrote \"$new\", the reference \"$ref_files\""
            else
                for f in $new; do
                    cmp -s "$dir/ref/$f" "$run/$f" || problem="exit 0 but $f differs from the reference"
                done
            fi
        elif [ "$rc" -gt 128 ]; then
            problem="killed by signal $((rc - 128))"
        else
            problem="exit $rc, expected 5"
        fi
        # A token vault is as it was after a failure (a lock file may stay),
        # and is put back after every run.
        if [ -d "$run/vault" ]; then
            [ "$rc" != 0 ] && ! diff -r -x '*.lock' "$DATA/vault" "$run/vault" >/dev/null &&
                problem="$problem${problem:+; }the vault changed: $(cd "$run/vault" && echo *)"
            rm -rf "$run/vault"
            cp -R "$DATA/vault" "$run/vault"
            chmod 600 "$run"/vault/*
        fi
        for f in "$run"/spool/* "$run"/spool/.[!.]*; do
            [ -e "$f" ] && problem="$problem${problem:+; }left in the spool: ${f##*/}" && rm -rf "$f"
        done
        for f in $new; do
            rm -rf "${run:?}/$f"
        done
        if [ -n "$problem" ] && is_known "$name" "$problem"; then
            echo "KNOWN $name N=$n: $problem"
        elif [ -n "$problem" ]; then
            bad=$((bad + 1))
            echo "FAIL $name N=$n: $problem"
            sed 's/^/  /' "$dir/err" | head -12
        elif [ -n "${FAULT_VERBOSE:-}" ]; then
            echo "ok $name N=$n exit $rc: $(tail -n 1 "$dir/err")"
        fi
        n=$((n + 1))
    done
    [ "$bad" -gt 0 ] && failures=$((failures + 1))
    [ -n "${FAULT_VERBOSE:-}" ] && echo "$name: $count allocations, $absorbed absorbed, $bad failed"
    return 0
}

# is_known SCENARIO PROBLEM: true if tests/fault/known_failures lists it.
is_known() {
    [ -f "$KNOWN" ] || return 1
    line=$(awk -F '\t' -v s="$1" -v p="$2" \
        '!/^#/ && ($1 == s || $1 == "*") && index(p, $2) == 1 { print NR; exit }' "$KNOWN")
    [ -n "$line" ] || return 1
    echo "$line" >>"$work/known-hits"
    known_seen=$((known_seen + 1))
}

# A fresh copy of the fixtures in folder $1, with an empty spool/.
fresh() {
    rm -rf "$1"
    mkdir -p "$1/spool"
    cp -R "$DATA/." "$1/"
    chmod 600 "$1/main.key" "$1"/vault/*
}

# Takes the time of day out of processing records, JSON documents and HTML
# pages (written to the folder $1, or to stdout, kept in the file $2) so
# that runs compare.
normalize() {
    for f in "$1"/*.json "$1"/*.md "$1"/*.html "$2"; do
        [ -f "$f" ] || continue
        sed -i 's/"processed_at": "[^"]*"/"processed_at": ""/; s/"generated_at": "[^"]*"/"generated_at": ""/
                s/^\(| [^|]*processed at |\).*/\1/' "$f"
        sed -i 's/<time id="timestamp">[^<]*</<time id="timestamp"></' "$f"
    done
}

# The scenarios run in two groups at once (two cores; FAULT_SERIAL=1: one
# after the other); each group reports its counts in a file.
group() {
    failures=0 scenarios=0 runs=0 known_seen=0 ran=""
    "$@"
    echo "$scenarios $runs $failures $known_seen $ran" >"$work/group.$1"
}

group_one() {
    # One pass: mask, hash (HMAC), range, hierarchy, map, prefix; gzip output
    # through -o, a JSON report and a processing record beside it; the summary.
    scenario run-file - \
        '$F run -r run.rules -o out.csv.gz --report report.json --record record.json people.csv'
    # stdin to stdout, gzip input (inflate).
    scenario run-gzip-stdin people.csv.gz '$F run -q -r run.rules'
    # Two passes: the regular file is read twice.
    scenario require-file - '$F run -q -r require.rules -o out.csv --report report.json people.csv'
    # Two passes from stdin: the first spools to $TMPDIR.
    scenario require-stdin people.csv '$F run -q -r require.rules -o out.csv'
    # level=auto: the run searches the lattice, then applies the plan.
    scenario auto-run people.csv '$F run -q -r plan.rules'
    scenario plan - '$F plan -r plan.rules people.csv'
    scenario check - '$F check --quasi job,zip --sensitive nickname -k 2 -l 2 people.csv'
    scenario check-json people.csv '$F check --quasi age,job,zip --sensitive nickname -k 1 --json'
    scenario check-tclose-hier - '$F check -r tclose.rules --json people.csv'
    # journalist risk from a population table, population uniqueness models
    scenario check-risk - '$F check --quasi age,job --population people-population.csv --sampling-fraction 0.5 --json people.csv'
    # the HTML page of a check and of a two-pass run
    scenario check-html - '$F check --quasi job,zip --sensitive nickname -k 2 -l 2 --html page.html people.csv'
    scenario lint - '$F lint run.rules'
    # deid scan: the profile, and the draft rules written through -o's path
    scenario scan-rules - '$F scan --rules out.rules people.csv'
}

group_two() {
    scenario plan-json people.csv '$F plan --json -r plan.rules'
    # how=cell: the greedy's rounds (rebuilt class tables), from stdin; and
    # level=auto re-scoring the best nodes with cells
    scenario cells-stdin people.csv '$F run -q -r require-cells.rules -o out.csv --report report.json'
    scenario cells-plan - '$F plan -r plan-cells.rules people.csv'
    # encrypt, fpe and token (every value in the vault), and their reverse
    # (custody.csv is what the first made of people.csv)
    scenario custody - '$F run -q -r custody.rules -o out.csv people.csv' fullstacks
    scenario custody-reverse - '$F reverse -q -r custody.rules -o out.csv custody.csv' fullstacks
    # a new token: the vault is rewritten only when the run succeeds
    scenario custody-new-token - '$F run -q -r custody-new.rules -o out.csv people.csv' nocompare
    # Two worker threads over many small chunks: failures inside the lanes and
    # the in-order merge (the Nth allocation then varies a little from run to
    # run, but each N still fails one).
    scenario run-threads - '$F run -q -j 2 --chunk-size 512 -r run.rules -o out.csv.gz many.csv'
    # keyed randomness (keyed_random.c, draw_source.c): sample, noise and
    # pram by subject, random rounding by position (chunks run in order)
    scenario randomized - '$F run -q -r random.rules -o out.csv --record record.json people.csv'
    scenario require-threads many.csv '$F run -q -j 2 --chunk-size 512 -r require.rules -o out.csv'
    scenario check-threads - '$F check -j 2 --chunk-size 512 --quasi job,zip -k 2 many.csv'
    scenario require-html - '$F run -q -r require.rules -o out.csv --html page.html people.csv'
    # check --source: the source and the checked file read in step (utility)
    scenario check-source - '$F check --quasi job,zip -k 1 --source people.csv.gz people.csv'
    scenario scan-threads - '$F scan --json -j 2 --chunk-size 512 many.csv'
    # deid verify: the record read (JSON), a given file matched by name, the
    # recorded hierarchy and map hashed. verify-record.json is the record of
    # `deid run -q -r run.rules --record verify-record.json -o out.csv.gz
    # people.csv` in this folder: make it again when run.rules, job.hier or
    # nick.map change (the reference run then exits 1, failing the scenario).
    scenario verify - '$F verify verify-record.json run.rules'
}

if [ -n "${FAULT_SERIAL:-}" ]; then
    group group_one
    group group_two
else
    group group_one >"$work/one.log" 2>&1 &
    group group_two
    wait
    cat "$work/one.log"
fi
failures=0 scenarios=0 runs=0 known_seen=0 ran=" * "
for g in group_one group_two; do
    read -r a b c d rest <"$work/group.$g" || { echo "FAIL: $g did not finish"; failures=$((failures + 1)); continue; }
    scenarios=$((scenarios + a)) runs=$((runs + b)) failures=$((failures + c))
    known_seen=$((known_seen + d)) ran="$ran $rest "
done

# Listed failures (of the scenarios that ran) that did not occur; those of
# sanitizer reports only count in a sanitizer build.
sanitized=$(grep -c __asan_init "$FAULT")
[ "$sanitized" = 0 ] && sanitized=""
if [ -f "$KNOWN" ]; then
    awk -F '\t' '!/^#/ && NF >= 2 && $3 !~ /^sometimes/ { print NR "\t" $1 "\t" $2 }' "$KNOWN" |
        while IFS='	' read -r nr s p; do
            case "$ran" in *" $s "*) ;; *) continue ;; esac
            # (a sanitizer turns a crash into a report, and sees leaks)
            case "$p" in
            sanitizer*) [ -n "$sanitized" ] || continue ;;
            killed*) [ -z "$sanitized" ] || continue ;;
            esac
            grep -qx "$nr" "$work/known-hits" ||
                echo "NOTE: known failure \"$s: $p\" no longer occurs; remove it from tests/fault/known_failures"
        done
fi
echo "fault: $scenarios scenarios, $runs runs with a failed allocation, $failures failed" \
    "($known_seen known failures)"
[ "$failures" -eq 0 ]
