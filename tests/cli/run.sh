#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/cli/run.sh DEID - runs the CLI tests kept as data.
#
# Each case is a folder tests/cli/cases/NAME/ holding:
#   cmd      a shell command line, run by /bin/sh in a fresh temporary folder
#            that holds a copy of tests/cli/data/ (key files there get mode
#            0600); $DEID runs the binary (through the accounting check
#            below), $ROOT is the repository, $SHARED ../shared,
#            $GEN_CUSTOMERS the samples generator built beside the binary
#   stdin    (optional) fed to the command; otherwise stdin is /dev/null
#   stdout   expected standard output, exactly (missing file: expect nothing)
#   stderr   expected standard error, exactly (missing file: expect nothing)
#   exit     expected exit status (missing file: 0)
# Accounting: $DEID (and `deid` first in PATH) is tests/cli/account.sh, which
# runs the real binary and checks that every successful `deid run` reports
# records read = records written + records removed; a run that does not
# balance fails its case. The report goes to a folder outside the case's.
# Schemas: account.sh keeps every JSON document deid writes (reports,
# records, --json output); each is validated against engine/schemas/
# (tests/lib/validate_json.py) and one that does not validate fails its case.
# Prints one line per failure and "cli: N passed, N failed, R runs
# accounted, J JSON documents validated" at the end; exits 1 on any failure.
#
# The cases run CLI_JOBS at a time (default: the CPUs this process may
# use), each in its own folder; the results are collected afterwards in
# case-name order, so the output is the same for any CLI_JOBS.
# CLI_ONLY=NAME runs one case; a failure shows the first 20 lines of what
# differs, CLI_VERBOSE=1 all of it. SHARED names the shared test data
# folder (default: ../shared beside the repository).
set -u

# run_case NAME: runs one case in $work/NAME and writes there `result`
# (empty when it passed, else the problem) and `accounted` (runs whose
# accounting was checked).
run_case() {
    name=$1
    dir=$ROOT/tests/cli/cases/$name
    case_dir=$work/$name
    mkdir -p "$case_dir/run"
    cp -R "$ROOT/tests/cli/data/." "$case_dir/run/"
    find "$case_dir/run" -name '*.key' -exec chmod 600 {} +
    input=/dev/null
    [ -f "$dir/stdin" ] && input="$dir/stdin"
    DEID_ACCOUNT_LOG=$case_dir/account
    : > "$DEID_ACCOUNT_LOG"
    export DEID_ACCOUNT_LOG
    (cd "$case_dir/run" && sh -c "$(cat "$dir/cmd")" <"$input" >"$case_dir/out" 2>"$case_dir/err")
    status=$?
    want_status=0
    [ -f "$dir/exit" ] && want_status=$(cat "$dir/exit")
    [ -f "$dir/stdout" ] && want_out="$dir/stdout" || want_out=/dev/null
    [ -f "$dir/stderr" ] && want_err="$dir/stderr" || want_err=/dev/null
    problem=""
    [ "$status" = "$want_status" ] || problem="exit status $status, expected $want_status"
    if ! cmp -s "$case_dir/out" "$want_out"; then
        problem="$problem${problem:+; }stdout differs"
    fi
    if ! cmp -s "$case_dir/err" "$want_err"; then
        problem="$problem${problem:+; }stderr differs"
    fi
    grep -c '^ok ' "$DEID_ACCOUNT_LOG" > "$case_dir/accounted"
    if grep -q '^FAIL ' "$DEID_ACCOUNT_LOG"; then
        problem="$problem${problem:+; }accounting: $(grep '^FAIL ' "$DEID_ACCOUNT_LOG" | head -1 | cut -c6-)"
    fi
    printf '%s' "$problem" > "$case_dir/result"
}

# A child started by xargs below: the environment is exported.
if [ "${1:-}" = --case ]; then
    run_case "$2"
    exit 0
fi

DEID_REAL=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SHARED:-$(cd "$ROOT/.." && pwd)/shared}
only=${CLI_ONLY:-}
jobs=${CLI_JOBS:-$(nproc 2>/dev/null || echo 2)}
passed=0
failed=0
accounted=0
work=$(mktemp -d "${TMPDIR:-/tmp}/deid-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/bin" "$work/account"
printf '#!/bin/sh\nexec sh "%s/tests/cli/account.sh" "$@"\n' "$ROOT" > "$work/bin/deid"
chmod 755 "$work/bin/deid"
DEID=$work/bin/deid
DEID_ACCOUNT_DIR=$work/account
PATH=$work/bin:$PATH
GEN_CUSTOMERS=$(dirname "$DEID_REAL")/gen_customers
[ -x "$GEN_CUSTOMERS" ] || GEN_CUSTOMERS=$ROOT/build/gen_customers
export DEID DEID_REAL DEID_ACCOUNT_DIR ROOT SHARED PATH GEN_CUSTOMERS work

names=$(for dir in "$ROOT"/tests/cli/cases/*/; do
    name=$(basename "$dir")
    [ -n "$only" ] && [ "$name" != "$only" ] && continue
    echo "$name"
done)
# Case names are folder names without white space (checked here, since
# xargs splits on it).
for name in $names; do
    case $name in *[!A-Za-z0-9._-]*) echo "FAIL $name: a case name may hold only A-Z a-z 0-9 . _ -"; exit 1 ;; esac
done
[ -z "$names" ] || printf '%s\n' $names | xargs -P "$jobs" -n 1 sh "$0" --case

# Every JSON document the cases made deid write (kept by account.sh in
# NAME/json/) against its schema in engine/schemas/, in one python3 run;
# a document that does not validate fails its case.
found_json=$(for name in $names; do
    [ -d "$work/$name/json" ] && ls "$work/$name/json/"*.json 2>/dev/null
done)
if [ -n "$found_json" ]; then
    printf '%s\n' "$found_json" | xargs python3 "$ROOT/tests/lib/validate_json.py" "$ROOT/engine/schemas" \
        > "$work/schema-problems"
    while IFS= read -r line; do
        name=${line#"$work/"}
        name=${name%%/*}
        [ -f "$work/$name/result" ] || continue
        problem=$(cat "$work/$name/result")
        case $problem in *"schema: "*) continue ;; esac # the first problem is enough
        printf '%s' "$problem${problem:+; }schema: ${line#"$work/$name/json/"}" > "$work/$name/result"
    done < "$work/schema-problems"
fi

for name in $names; do
    case_dir=$work/$name
    if [ ! -f "$case_dir/result" ]; then
        problem="did not run"
    else
        problem=$(cat "$case_dir/result")
        accounted=$((accounted + $(cat "$case_dir/accounted")))
    fi
    if [ -z "$problem" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $name: $problem"
        # The differences are always shown (a failure seen only in CI
        # must be readable from its log); CLI_VERBOSE=1 shows them whole.
        lines=20
        [ -n "${CLI_VERBOSE:-}" ] && lines=100000
        dir=$ROOT/tests/cli/cases/$name
        [ -f "$dir/stdout" ] && want_out="$dir/stdout" || want_out=/dev/null
        [ -f "$dir/stderr" ] && want_err="$dir/stderr" || want_err=/dev/null
        echo "--- stdout"; diff "$want_out" "$case_dir/out" | head -n "$lines"
        echo "--- stderr"; diff "$want_err" "$case_dir/err" | head -n "$lines"
    fi
done
validated=0
[ -n "$found_json" ] && validated=$(printf '%s\n' "$found_json" | wc -l)
echo "cli: $passed passed, $failed failed, $accounted runs accounted, $validated JSON documents validated"
[ "$failed" -eq 0 ]
