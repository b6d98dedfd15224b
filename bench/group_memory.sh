#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench/group_memory.sh [DEID] [ROWS] - time and peak RSS of the two-pass
# techniques (microagg, aggregate, shuffle) on ROWS generated customers
# (default 1,000,000), against the same columns kept (one pass), and the
# memory per record that follows: (peak - peak kept) / ROWS. The inputs
# are regular files, read twice (no spool). MDAV is quadratic in time
# (O(n^2 m / k)), so it runs on ROWS / 50. Then each again with --memory
# SPILL (default 4M; env SPILL), so that what they keep per record goes to
# spill files: its peak RSS (GNU time) counts the spill files' pages
# mapped in (page cache, given back under pressure), so the peak of
# RssAnon (the process's own memory, sampled from /proc/PID/status every
# 50 ms) is shown too. Needs GNU time.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEID=${1:-$ROOT/build/deid}
ROWS=${2:-1000000}
SPILL=${SPILL:-4M}
GEN=$ROOT/build/gen_customers
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)"; exit 0; }
work=$(mktemp -d "${TMPDIR:-/tmp}/deid-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
"$DEID" keygen "$work/k.key"
"$GEN" --rows "$ROWS" --seed 7 > "$work/in.csv"
small=$((ROWS / 50))
head -n $((small + 1)) "$work/in.csv" > "$work/small.csv"
head='default drop\ncolumn id keep\ncolumn sex keep\ncolumn age keep\n'
measure() { # NAME INPUT ROWS RULE
    printf "key k file=$work/k.key\\n$head%s\\n" "$4" > "$work/r.rules"
    /usr/bin/time -f '%e %M' -o "$work/time" "$DEID" run -q -r "$work/r.rules" "$2" > /dev/null
    read -r secs kb < "$work/time"
    [ "$1" != kept ] || base=$kb
    printf '%-34s %9s %8s %10s %14s\n' "$1" "$3" "$secs" "$kb" \
        "$(awk -v a="$kb" -v b="$base" -v n="$3" 'BEGIN { printf "%.1f", (a - b) * 1024 / n }')"
}
printf '%-34s %9s %8s %10s %14s\n' technique rows seconds peak_kb bytes/record
measure kept "$work/in.csv" "$ROWS" 'column income keep'
measure 'microagg k=5 (optimal)' "$work/in.csv" "$ROWS" 'column income microagg k=5'
measure 'aggregate fn=mean by=sex' "$work/in.csv" "$ROWS" 'column income aggregate fn=mean by=sex'
measure 'aggregate fn=mode' "$work/in.csv" "$ROWS" 'column income aggregate fn=mode'
measure 'shuffle within=sex' "$work/in.csv" "$ROWS" 'column income shuffle key=k within=sex'
measure kept "$work/small.csv" "$small" 'column income keep'
measure 'microagg k=5 columns=age (MDAV)' "$work/small.csv" "$small" 'column income microagg k=5 columns=age'

# spilled: the same runs past --memory SPILL
spilled() { # NAME INPUT ROWS RULE
    printf "key k file=$work/k.key\\n$head%s\\n" "$4" > "$work/r.rules"
    /usr/bin/time -f '%e %M' -o "$work/time" "$DEID" run -q --memory "$SPILL" \
        -r "$work/r.rules" "$2" > /dev/null &
    timer=$!
    anon=0
    while kill -0 "$timer" 2>/dev/null; do
        for child in $(cat "/proc/$timer/task/$timer/children" 2>/dev/null); do
            kb=$(awk '/^RssAnon:/ { print $2 }' "/proc/$child/status" 2>/dev/null || true)
            [ -n "$kb" ] && [ "$kb" -gt "$anon" ] && anon=$kb
        done
        sleep 0.05
    done
    wait "$timer"
    read -r secs kb < "$work/time"
    printf '%-34s %9s %8s %10s %14s\n' "$1" "$3" "$secs" "$kb" "$anon"
}
echo
printf '%-34s %9s %8s %10s %14s\n' "spilled (--memory $SPILL)" rows seconds peak_kb peak_anon_kb
spilled kept "$work/in.csv" "$ROWS" 'column income keep'
spilled 'microagg k=5 (optimal)' "$work/in.csv" "$ROWS" 'column income microagg k=5'
spilled 'aggregate fn=mean by=sex' "$work/in.csv" "$ROWS" 'column income aggregate fn=mean by=sex'
spilled 'aggregate fn=median' "$work/in.csv" "$ROWS" 'column income aggregate fn=median'
spilled 'shuffle within=sex' "$work/in.csv" "$ROWS" 'column income shuffle key=k within=sex'
spilled 'microagg k=5 columns=age (MDAV)' "$work/small.csv" "$small" 'column income microagg k=5 columns=age'
