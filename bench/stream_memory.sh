#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench/stream_memory.sh [DEID] - peak RSS of `deid run -r rules/customers.rules`
# on generated inputs of growing size, then of a 1 GB gzip stream at about
# 1000:1. Memory must not grow with the input:
# the ratio of the largest to the smallest peak should stay near 1.
# Needs GNU time (/usr/bin/time, Debian package `time`). Inputs are made by
# the samples generator into $TMPDIR and removed afterwards.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEID=${1:-$ROOT/build/deid}
GEN=$ROOT/build/gen_customers
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)"; exit 0; }
work=$(mktemp -d "${TMPDIR:-/tmp}/deid-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/rules/keys"
cp -R "$ROOT/rules/." "$work/rules/"
rm -f "$work/rules/keys/demo.key"
"$DEID" keygen "$work/rules/keys/demo.key"
first=""
printf '%10s %12s %10s %10s %8s\n' rows bytes seconds peak_kb ratio
for rows in 10000 100000 1000000; do
    "$GEN" --rows $rows --seed 7 >"$work/in.csv"
    bytes=$(wc -c <"$work/in.csv")
    /usr/bin/time -f '%e %M' -o "$work/time" \
        "$DEID" run -q -r "$work/rules/customers.rules" "$work/in.csv" >/dev/null
    read -r secs kb <"$work/time"
    [ -n "$first" ] || first=$kb
    printf '%10s %12s %10s %10s %8s\n' "$rows" "$bytes" "$secs" "$kb" \
        "$(awk -v a="$kb" -v b="$first" 'BEGIN { printf "%.2f", a / b }')"
done
# Gzip input at about 1000:1 (issue 12 finding 6): 1 GB decoded from about
# 1 MB must stay within the same bound, because inflation goes in slices
# that are written out before the next.
line=$(head -c 60000 /dev/zero | tr '\0' a),b
{ echo x,y; yes "$line" | head -n 17000; } | gzip -9 >"$work/high.csv.gz"
printf 'column x keep\ncolumn y keep\n' >"$work/keep.rules"
packed=$(wc -c <"$work/high.csv.gz")
/usr/bin/time -f '%e %M' -o "$work/time" \
    "$DEID" run -q -r "$work/keep.rules" "$work/high.csv.gz" >/dev/null
read -r secs kb <"$work/time"
echo "gzip input $(gzip -dc "$work/high.csv.gz" | wc -c) bytes from $packed: $secs s, peak $kb KB"
