#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench/check_speed.sh [ROWS] - `deid check` against `deid run` pass-through
# and Miller's count-distinct on the same file and the same QI columns, as
# medians of 3 runs, with ratios; then the class table's memory per class
# for 1,000,000 distinct classes (bench/classes_memory.c).
# Input: ROWS (default 1,000,000) generated customer rows, cached in
# build/bench/. Needs GNU time; Miller is used when installed.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEID=$ROOT/build/deid
ROWS=${1:-1000000}
DIR=$ROOT/build/bench
mkdir -p "$DIR"
RAW=$DIR/customers-$ROWS.csv
OUT=$DIR/customers-$ROWS.deid.csv
[ -s "$RAW" ] || "$ROOT/build/gen_customers" --rows "$ROWS" --seed 7 >"$RAW"
[ -f "$DIR/bench.key" ] || "$DEID" keygen "$DIR/bench.key"
sed "s|file=keys/demo.key|file=$DIR/bench.key|; s|file=hierarchies/|file=$ROOT/rules/hierarchies/|" \
    "$ROOT/rules/customers.rules" >"$DIR/customers.rules"
[ -s "$OUT" ] || "$DEID" run -q -r "$DIR/customers.rules" "$RAW" >"$OUT"
printf 'default keep\n' >"$DIR/keep.rules"

# median of 3 wall-clock times of a command (stdout discarded)
median() {
    for i in 1 2 3; do
        /usr/bin/time -f '%e %M' -o "$DIR/t" sh -c "$1" >/dev/null 2>&1 || true
        cat "$DIR/t"
    done | sort -n | sed -n 2p
}
row() { # label command
    set -- "$1" "$2" "$(median "$2")"
    printf '| %s | %s | %s |\n' "$1" "${3% *}" "${3#* }"
    echo "${3% *}" >"$DIR/last"
}
bytes=$(wc -c <"$RAW")
echo "input: $ROWS rows, $bytes bytes ($RAW)"
echo
echo "| command | median s | peak RSS KB |"
echo "|---|---|---|"
row "deid run pass-through (raw)" "$DEID run -q -r $DIR/keep.rules $RAW"; pass=$(cat "$DIR/last")
row "deid check --quasi birth,sex,zip (raw: ~all unique)" "$DEID check --quasi birth,sex,zip $RAW"; raw=$(cat "$DIR/last")
row "deid run pass-through (de-identified file)" "$DEID run -q -r $DIR/keep.rules $OUT"; pass2=$(cat "$DIR/last")
row "deid check --quasi birth,sex,age,zip (de-identified)" "$DEID check --quasi birth,sex,age,zip $OUT"; gen=$(cat "$DIR/last")
mlr_raw="" mlr_gen=""
if command -v mlr >/dev/null 2>&1; then
    row "mlr count-distinct -f birth,sex,zip (raw)" "mlr --csv count-distinct -f birth,sex,zip $RAW"; mlr_raw=$(cat "$DIR/last")
    row "mlr count-distinct -f birth,sex,age,zip (de-identified)" "mlr --csv count-distinct -f birth,sex,age,zip $OUT"; mlr_gen=$(cat "$DIR/last")
else
    echo "(Miller not installed: apt-get install miller)"
fi
echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "check throughput / run pass-through, raw QIs:           $(ratio "$pass" "$raw")x  (target >= 0.8)"
echo "check throughput / run pass-through, de-identified QIs: $(ratio "$pass2" "$gen")x  (target >= 0.8)"
[ -n "$mlr_raw" ] && echo "check vs mlr count-distinct, raw:           $(ratio "$mlr_raw" "$raw")x faster  (target >= 10)"
[ -n "$mlr_gen" ] && echo "check vs mlr count-distinct, de-identified: $(ratio "$mlr_gen" "$gen")x faster  (target >= 10)"
echo
# classes_memory calls internal functions: the internal archive, every
# engine folder on the include path
cc -O2 $(for d in "$ROOT"/engine "$ROOT"/engine/*/; do printf -- '-I%s ' "$d"; done) \
    "$ROOT/bench/classes_memory.c" "$ROOT/build/libdeid_internal.a" -lcrypto -lm \
    -o "$DIR/classes_memory"
/usr/bin/time -f 'peak RSS %M KB' "$DIR/classes_memory" 1000000
