#!/bin/sh
# tests/cli/run.sh DEID - runs the CLI tests kept as data.
#
# Each case is a folder tests/cli/cases/NAME/ holding:
#   cmd      a shell command line, run by /bin/sh in a fresh temporary folder
#            that holds a copy of tests/cli/data/ (key files there get mode
#            0600); $DEID is the binary, $ROOT the repository, $SHARED ../shared
#   stdin    (optional) fed to the command; otherwise stdin is /dev/null
#   stdout   expected standard output, exactly (missing file: expect nothing)
#   stderr   expected standard error, exactly (missing file: expect nothing)
#   exit     expected exit status (missing file: 0)
# Prints one line per failure and "N passed, N failed" at the end; exits 1 on
# any failure.
set -u
DEID=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=$(cd "$ROOT/.." && pwd)/shared
export DEID ROOT SHARED
only=${CLI_ONLY:-}
passed=0
failed=0
work=$(mktemp -d "${TMPDIR:-/tmp}/deid-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

for dir in "$ROOT"/tests/cli/cases/*/; do
    name=$(basename "$dir")
    [ -n "$only" ] && [ "$name" != "$only" ] && continue
    case_dir="$work/$name"
    mkdir -p "$case_dir/run"
    cp -R "$ROOT/tests/cli/data/." "$case_dir/run/"
    find "$case_dir/run" -name '*.key' -exec chmod 600 {} +
    input=/dev/null
    [ -f "$dir/stdin" ] && input="$dir/stdin"
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
echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
