#!/bin/sh
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
# Prints one line per failure and "cli: N passed, N failed, R runs accounted"
# at the end; exits 1 on any failure.
set -u
DEID_REAL=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=$(cd "$ROOT/.." && pwd)/shared
only=${CLI_ONLY:-}
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
export DEID DEID_REAL DEID_ACCOUNT_DIR ROOT SHARED PATH GEN_CUSTOMERS

for dir in "$ROOT"/tests/cli/cases/*/; do
    name=$(basename "$dir")
    [ -n "$only" ] && [ "$name" != "$only" ] && continue
    case_dir="$work/$name"
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
    accounted=$((accounted + $(grep -c '^ok ' "$DEID_ACCOUNT_LOG")))
    if grep -q '^FAIL ' "$DEID_ACCOUNT_LOG"; then
        problem="$problem${problem:+; }accounting: $(grep '^FAIL ' "$DEID_ACCOUNT_LOG" | head -1 | cut -c6-)"
    fi
    if [ -z "$problem" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $name: $problem"
        if [ -n "${CLI_VERBOSE:-}" ]; then
            echo "--- stdout"; diff "$want_out" "$case_dir/out" | head -20
            echo "--- stderr"; diff "$want_err" "$case_dir/err" | head -20
        fi
    fi
done
echo "cli: $passed passed, $failed failed, $accounted runs accounted"
[ "$failed" -eq 0 ]
