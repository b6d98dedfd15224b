#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench/compare.sh BASE_DEID NEW_DEID [GEN] - a change's speed against the
# build before it, measured in one run (`make bench-compare BASE=...`).
#
# Two figures per workload, both as ratios NEW / BASE:
#  - instructions counted by valgrind's callgrind on CMP_ROWS generated rows
#    (default 20000): repeatable whatever else the machine does, so this
#    is the figure to trust on a shared machine;
#  - wall seconds on CMP_MB megabytes (default 200), the two binaries run
#    alternately CMP_RUNS times (default 5), medians: noisy, but it is what
#    a user sees, and peak RSS.
# Workloads: pass-through, rules/customers.rules (-j 1 and default threads),
# the two-pass rules/customers-k5.rules, deid check on the raw extract.
# Both binaries get the same rules and key. Prints a Markdown table.
set -eu
BASE=$1
NEW=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GEN=${3:-$ROOT/build/gen_customers}
ROWS=${CMP_ROWS:-20000}
MB=${CMP_MB:-200}
RUNS=${CMP_RUNS:-5}
dir=$ROOT/build/bench-compare
mkdir -p "$dir"
small=$dir/rows-$ROWS.csv
big=$dir/customers-${MB}mb.csv
[ -s "$small" ] || "$GEN" --rows "$ROWS" --seed 7 > "$small"
[ -s "$big" ] || "$GEN" --rows $((MB * 1000000 / 183)) --seed 42 > "$big"
rm -rf "$dir/rules" && cp -R "$ROOT/rules" "$dir/rules" && mkdir -p "$dir/rules/keys"
rm -f "$dir/rules/keys/demo.key" && "$NEW" keygen "$dir/rules/keys/demo.key" > /dev/null
printf 'default keep\n' > "$dir/keep.rules"
R=$dir/rules

# workload lines: NAME|ARGS (FILE stands for the input)
cat > "$dir/workloads" <<W
pass-through -j 1|run -q -j 1 -r $dir/keep.rules FILE
customers.rules -j 1|run -q -j 1 -r $R/customers.rules FILE
customers.rules default threads|run -q -r $R/customers.rules FILE
customers-k5.rules (two passes) -j 1|run -q -j 1 -r $R/customers-k5.rules FILE
check birth,sex,zip -j 1|check -j 1 --quasi birth,sex,zip FILE
W

have_valgrind=1
command -v valgrind > /dev/null 2>&1 || have_valgrind=0
# instructions BIN ARGS: callgrind's total instruction count
instructions() {
    bin=$1
    shift
    valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" "$bin" "$@" > /dev/null 2> "$dir/cg.err" || true
    awk '/^(summary|totals):/ { print $2; exit }' "$dir/cg.out"
}
# seconds BIN ARGS: "wall_seconds peak_kb"
seconds() {
    /usr/bin/time -f '%e %M' -o "$dir/t.txt" "$@" > /dev/null 2> /dev/null || { echo "FAILED: $*" >&2; exit 1; }
    cat "$dir/t.txt"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "| workload | instructions base | instructions new | new/base | wall s base | wall s new | new/base | RSS MB base | RSS MB new |"
echo "|---|---|---|---|---|---|---|---|---|"
while IFS='|' read -r name args; do
    sargs=$(echo "$args" | sed "s#FILE#$small#")
    bargs=$(echo "$args" | sed "s#FILE#$big#")
    if [ $have_valgrind = 1 ]; then
        # shellcheck disable=SC2086
        ib=$(instructions "$BASE" $sargs); in=$(instructions "$NEW" $sargs)
    else
        ib=0; in=0
    fi
    : > "$dir/wb"; : > "$dir/wn"
    i=0
    while [ $i -lt "$RUNS" ]; do
        # shellcheck disable=SC2086
        seconds "$BASE" $bargs >> "$dir/wb"
        # shellcheck disable=SC2086
        seconds "$NEW" $bargs >> "$dir/wn"
        i=$((i + 1))
    done
    wb=$(cut -d' ' -f1 "$dir/wb" | median); wn=$(cut -d' ' -f1 "$dir/wn" | median)
    rb=$(cut -d' ' -f2 "$dir/wb" | median); rn=$(cut -d' ' -f2 "$dir/wn" | median)
    awk -v n="$name" -v ib="$ib" -v in_="$in" -v wb="$wb" -v wn="$wn" -v rb="$rb" -v rn="$rn" 'BEGIN {
        printf "| %s | %d | %d | %s | %.2f | %.2f | %s | %.1f | %.1f |\n", n, ib, in_,
            (ib > 0 ? sprintf("%.3f", in_ / ib) : "n/a"), wb, wn, (wb > 0 ? sprintf("%.2f", wn / wb) : "n/a"),
            rb / 1024, rn / 1024 }'
done < "$dir/workloads"
echo
echo "Instructions: callgrind, $ROWS rows (seed 7). Wall: ${MB} MB (seed 42), $RUNS alternating runs each, medians; load $(cut -d' ' -f1-3 /proc/loadavg)."
