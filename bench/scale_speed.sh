#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench/scale_speed.sh DEID [MB] - sharded runs against one machine
# (README "Sharded runs"): generates a CSV of about MB megabytes (default
# 1100) with quoted line feeds, then times a k=5 run (two passes, keyed
# hash, banded QIs) as one `deid run -j 2`, and as scale/deid-dask with a
# local cluster of 1, 2 and 4 worker processes (4 parts per worker, deid
# -j 1 per part), and checks that every result is the same bytes. Prints
# one line per setting: wall seconds, MB/s, ratio to `deid run -j 2`.
set -eu
DEID=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
MB=${2:-1100}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
work=$(mktemp -d "${TMPDIR:-/tmp}/deid-scale-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work"
n=$((MB * 1000000 / 64))
awk -v n="$n" 'BEGIN { srand(9); print "name,phone,age,zip,diagnosis,note";
  split("flu|cold|hiv|asthma|\"a,b\"|", D, "|");
  for (i = 1; i <= n; i++) {
    note = (i % 3 == 0) ? "\"line one\nline two " i "\"" : "plain note number " i;
    printf "name%d,010-%04d-%04d,%d,%05d,%s,%s\n", i, int(rand() * 10000), int(rand() * 10000),
      18 + int(rand() * 70), int(rand() * 1000) * 100 + int(rand() * 99), D[1 + int(rand() * 6)], note } }' > in.csv
size=$(wc -c < in.csv)
"$DEID" keygen k.key > /dev/null
printf 'key k file=k.key\ncolumn name hash key=k length=16\ncolumn phone mask keep-last=4\ncolumn age range width=10\ncolumn zip prefix 4\ncolumn diagnosis keep\ncolumn note keep\nquasi age zip\nsensitive diagnosis\nrequire k=5\nsuppress max=20%%\n' > k5.rules
now() { date +%s.%N; }
echo "input: $(awk -v b="$size" 'BEGIN { printf "%.0f MB", b / 1e6 }'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(now); "$DEID" run -q -j 2 -r k5.rules -o one.csv in.csv; t1=$(now)
base=$(echo "$t1 - $t0" | bc)
printf 'deid run -j 2          %7.1f s  %6.1f MB/s  1.00\n' "$base" "$(echo "$size / 1000000 / $base" | bc -l)"
for w in 1 2 4; do
    rm -rf "w$w"
    t0=$(now)
    "$PY" "$ROOT/scale/deid-dask" --local "$w" --work "w$w" --deid "$DEID" -q run -r k5.rules --join "dask$w.csv" in.csv
    t1=$(now)
    s=$(echo "$t1 - $t0" | bc)
    cmp -s one.csv "dask$w.csv" || { echo "deid-dask with $w workers: output differs"; exit 1; }
    printf 'deid-dask, %d worker%s  %7.1f s  %6.1f MB/s  %.2f\n' "$w" "$([ "$w" = 1 ] && echo ' ' || echo s)" "$s" \
        "$(echo "$size / 1000000 / $s" | bc -l)" "$(echo "$base / $s" | bc -l)"
    ls -l "w$w"/merged.sum | awk '{ printf "  merged summary %.1f MB\n", $5 / 1e6 }'
done
