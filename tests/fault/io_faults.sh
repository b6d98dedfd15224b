#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/fault/io_faults.sh FAULT_DEID - I/O faults that a CLI test case
# cannot stage (those are tests/cli/cases/io-*):
#   - a regular input that changes between the two passes of a `require`
#     run, at the second open() (tests/fault/fault_io.c, DEID_FAULT_CHANGE);
#   - a full or read-only file system for the output, the report and the
#     spool: a small tmpfs mounted in a private mount namespace (unshare -m),
#     skipped with a note where that is not allowed (not root, no
#     CAP_SYS_ADMIN).
# Each case checks the exit code, a message on stderr, and that nothing is
# left behind (no output, report, temporary or spool file). Known failures
# come from tests/fault/known_failures (SCENARIO = the case name).
set -u
FAULT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/tests/fault/data
KNOWN=$ROOT/tests/fault/known_failures
work=$(mktemp -d "${TMPDIR:-/tmp}/deid-iofault.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
passed=0 failed=0 known=0 skipped=0

# A fresh copy of the fixtures in $dir, plus big.csv (about 75 KB).
fresh() {
    dir=$work/$1
    rm -rf "$dir"
    mkdir -p "$dir"
    cp -R "$DATA/." "$dir/"
    chmod 600 "$dir/main.key"
    { cat "$DATA/many.csv"; for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do
        tail -n +2 "$DATA/many.csv"; done; } >"$dir/big.csv"
    (cd "$dir" && ls -A) >"$work/before"
}

# expect NAME WANT_RC PATTERN [FOLDER]: judges the last run ($rc, stderr in
# $work/err): exit WANT_RC, PATTERN in stderr, and no new file in $dir (nor
# in FOLDER, listed in $work/folder by the run).
expect() {
    problem=""
    [ "$rc" = "$2" ] || problem="exit $rc, expected $2"
    grep -q -- "$3" "$work/err" || problem="$problem${problem:+; }stderr lacks \"$3\""
    left=$(cd "$dir" && ls -A | grep -vxF -f "$work/before")
    [ -n "$left" ] && problem="$problem${problem:+; }left behind: $(echo $left)"
    if [ $# -ge 4 ] && [ -s "$work/folder" ]; then
        problem="$problem${problem:+; }left in $4: $(cat "$work/folder" | tr '\n' ' ')"
    fi
    if [ -z "$problem" ]; then
        passed=$((passed + 1))
    elif [ -f "$KNOWN" ] && awk -F '\t' -v s="$1" -v p="$problem" \
        '!/^#/ && $1 == s && index(p, $2) == 1 { f = 1 } END { exit !f }' "$KNOWN"; then
        known=$((known + 1))
        echo "KNOWN $1: $problem"
    else
        failed=$((failed + 1))
        echo "FAIL $1: $problem"
        sed 's/^/  /' "$work/err" | head -5
    fi
}

# ---- an input that changes between the two passes ------------------------
# change NAME SED: people.csv is edited with SED at the second open.
change() {
    fresh "$1"
    sed "$2" "$DATA/people.csv" >"$work/changed.csv"
    (cd "$dir" && DEID_FAULT_CHANGE="people.csv=$work/changed.csv" \
        "$FAULT" run -q -r require.rules -o out.csv people.csv) >/dev/null 2>"$work/err"
    rc=$?
    (cd "$dir" && cp "$DATA/people.csv" people.csv) # the changed file is not a leftover
    : >"$work/folder"
    expect "$1" 4 "changed between the two passes"
}
# a column outside the QIs, same size: only the bytes tell
change change-non-qi 's/홍길동/홍길순/'
# a QI value that stays in its class (34 and 35 are both 30-39 at level 2)
change change-qi-same-class 's/,34,doctor/,35,doctor/'
# a QI value that moves to a class the first pass did not see
change change-qi-new-class 's/,34,doctor/,44,doctor/'
# a record more, a record less
change change-appended '$a\
추가,000101-4444444,010-7777-8888,49,clerk,hana,34126'
change change-truncated '$d'

# ---- full and read-only file systems --------------------------------------
# in_tmpfs OPTIONS COMMAND...: runs COMMAND in $dir with a tmpfs mounted
# (OPTIONS) on $dir/mnt, in a private mount namespace; writes the exit status
# to $work/rc and what is left in mnt/ to $work/folder.
in_tmpfs() {
    opts=$1
    shift
    mkdir -p "$dir/mnt"
    (cd "$dir" && unshare -m sh -c '
        mount -t tmpfs -o "$1" deid-test mnt || exit 99
        shift
        "$@" 2>"$W/err"
        echo $? >"$W/rc"
        ls -A mnt >"$W/folder"' sh "$opts" "$@" >/dev/null)
    rc=$(cat "$work/rc")
    rmdir "$dir/mnt"
}

mkdir -p "$work/probe"
if [ "$(id -u)" != 0 ] || ! unshare -m sh -c "mount -t tmpfs -o size=4k probe '$work/probe'" \
    2>/dev/null; then
    echo "io_faults: no private tmpfs mount here (needs root with CAP_SYS_ADMIN):" \
        "the full and read-only file system cases are skipped"
    skipped=6
else
    W=$work
    export W
    # -o on a file system that fills up: the temporary output file goes
    fresh output-full
    in_tmpfs size=16k "$FAULT" run -q -r run.rules -o mnt/out.csv big.csv
    expect output-full 5 "No space left on device" mnt

    # the same with gzip output, on a file system that is full already
    fresh output-full-gzip
    in_tmpfs size=4k sh -c 'head -c 4096 /dev/zero > mnt/filler 2>/dev/null;
        "$0" run -q -r run.rules -o mnt/out.csv.gz big.csv' "$FAULT"
    sed -i '/^filler$/d' "$work/folder"
    expect output-full-gzip 5 "No space left on device" mnt

    # the report does not fit: neither the report nor the output may stay
    fresh report-full
    in_tmpfs size=4k sh -c 'head -c 4096 /dev/zero > mnt/filler 2>/dev/null;
        "$0" run -q -r run.rules -o out.csv --report mnt/report.json people.csv' "$FAULT"
    sed -i '/^filler$/d' "$work/folder"
    expect report-full 5 "No space left on device" mnt

    # -o in a read-only file system
    fresh output-read-only
    in_tmpfs size=16k,ro "$FAULT" run -q -r run.rules -o mnt/out.csv people.csv
    expect output-read-only 5 "Read-only file system" mnt

    # a spool (two passes from stdin) that fills up
    fresh spool-full
    in_tmpfs size=16k sh -c 'TMPDIR=mnt "$0" run -q -r require.rules -o out.csv < big.csv' "$FAULT"
    expect spool-full 5 "cannot write the spool file: No space left on device" mnt

    # a spool folder on a read-only file system
    fresh spool-read-only
    in_tmpfs size=16k,ro sh -c 'TMPDIR=mnt "$0" run -q -r require.rules -o out.csv < people.csv' "$FAULT"
    expect spool-read-only 5 "cannot create a spool file in mnt: Read-only file system" mnt
fi

echo "io faults: $passed passed, $failed failed, $known known failures, $skipped skipped"
[ "$failed" -eq 0 ]
