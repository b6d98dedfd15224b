#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench/throughput.sh DEID GEN FLOOR - the throughput benchmark (`make bench`).
#
# Generates (once, cached in build/bench/) a customer CSV of BENCH_MB
# megabytes (default 1000) with the samples generator, seed 42, and its
# gzip, then measures each command BENCH_RUNS times (default 3) and reports
# the median wall time, MB/s and records/s of input, and peak RSS:
#   the floor (libcsv alone, bench/parse_floor.c), deid pass-through,
#   rules/customers.rules with 1 and N threads, gzip in and out, the same
#   records in CP949, deid check,
#   and, when installed, Miller, python3 and awk doing the closest they can.
# Missing tools are skipped with a note. Writes bench/RESULTS.md and prints
# the table and the ratios (all measured in this one run: the machine is
# shared, so only ratios mean much).
set -eu
DEID=$1
GEN=$2
FLOOR=$3
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MB=${BENCH_MB:-1000}
RUNS=${BENCH_RUNS:-3}
THREADS=${BENCH_THREADS:-$(nproc)}
dir=$ROOT/build/bench
mkdir -p "$dir"
data=$dir/customers-${MB}mb.csv
# 183 bytes per generated row on average
rows=$((MB * 1000000 / 183))
if [ ! -s "$data" ]; then
    echo "generating $data ($rows rows) ..."
    "$GEN" --rows "$rows" --seed 42 > "$data.tmp" && mv "$data.tmp" "$data"
fi
[ -s "$data.gz" ] || { echo "compressing $data ..."; gzip -1 -c "$data" > "$data.gz.tmp" && mv "$data.gz.tmp" "$data.gz"; }
# The same records saved as CP949 (README "Encodings"), as Korean Excel does.
data949=$dir/customers-${MB}mb-cp949.csv
[ -s "$data949" ] || { echo "converting $data to CP949 ..."; iconv -f UTF-8 -t CP949 "$data" > "$data949.tmp" && mv "$data949.tmp" "$data949"; }
# The same records with the first field quoted: every record goes through
# libcsv (the reader's fast path takes only quote-free records).
dataq=$dir/customers-${MB}mb-quoted.csv
[ -s "$dataq" ] || { echo "quoting $data ..."; sed 's/^\([^,]*\),/"\1",/' "$data" > "$dataq.tmp" && mv "$dataq.tmp" "$dataq"; }
bytes=$(wc -c < "$data")
records=$rows

# The shipped rules, with a bench key of their own.
rm -rf "$dir/rules" && cp -R "$ROOT/rules" "$dir/rules" && mkdir -p "$dir/rules/keys"
rm -f "$dir/rules/keys/demo.key" && "$DEID" keygen "$dir/rules/keys/demo.key" >/dev/null
printf 'default keep\n' > "$dir/keep.rules"
R=$dir/rules/customers.rules

results=$dir/results.tsv
: > "$results"
# measure NAME COMMAND: runs COMMAND (sh -c, stdout discarded) RUNS times;
# appends "NAME<TAB>median seconds<TAB>median peak KB" to results.
measure() {
    name=$1
    shift
    times=$dir/times.txt
    : > "$times"
    i=0
    while [ $i -lt "$RUNS" ]; do
        /usr/bin/time -f '%e %M %U %S' -o "$dir/one.txt" sh -c "$1" > /dev/null 2> "$dir/err.txt" || {
            echo "FAILED: $name"; cat "$dir/err.txt"; return 1; }
        cat "$dir/one.txt" >> "$times"
        i=$((i + 1))
    done
    secs=$(cut -d' ' -f1 "$times" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    kb=$(cut -d' ' -f2 "$times" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    cpu=$(awk '{ print $3 + $4 }' "$times" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    printf '%s\t%s\t%s\t%s\n' "$name" "$secs" "$kb" "$cpu" >> "$results"
    printf '  %-52s %8s s %8s KB %8s s CPU\n' "$name" "$secs" "$kb" "$cpu"
}
skipped=""
have() { command -v "$1" >/dev/null 2>&1; }

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "input: $data ($bytes bytes, $records records); $RUNS runs each; N = $THREADS threads; load $load_start"
measure "floor: libcsv parse, empty callbacks" "$FLOOR $data"
measure "deid run pass-through -j 1" "$DEID run -q -j 1 -r $dir/keep.rules $data"
measure "deid run pass-through -j 2" "$DEID run -q -j 2 -r $dir/keep.rules $data"
measure "floor, every record quoted" "$FLOOR $dataq"
measure "deid run pass-through -j 1, every record quoted" "$DEID run -q -j 1 -r $dir/keep.rules $dataq"
measure "deid run customers.rules -j 1" "$DEID run -q -j 1 -r $R $data"
measure "deid run customers.rules -j 2" "$DEID run -q -j 2 -r $R $data"
[ "$THREADS" -gt 2 ] && measure "deid run customers.rules -j $THREADS" "$DEID run -q -j $THREADS -r $R $data"
measure "deid run customers.rules, default threads" "$DEID run -q -r $R $data"
# The keyed randomizing techniques (README "Keyed randomness"), streaming:
# by=id draws run on every thread; draws by record position (no by=) make
# the run parse chunks in order on one thread.
printf 'key k file=rules/keys/demo.key\ndefault keep\nsample rate=50%% key=k by=id\ncolumn birth dateshift key=k by=id max-days=180\ncolumn income noise key=k scale=1000000 round=10000 min=0 by=id\ncolumn age round to=10 random=yes key=k by=id\ncolumn sex pram key=k keep=90%% values=M,F by=id\n' > "$dir/random.rules"
sed 's/ by=id//' "$dir/random.rules" | grep -v dateshift > "$dir/random-position.rules"
measure "deid run random.rules (by=id) -j 1" "$DEID run -q -j 1 -r $dir/random.rules $data"
measure "deid run random.rules (by=id) -j 2" "$DEID run -q -j 2 -r $dir/random.rules $data"
measure "deid run random.rules (by position), default threads" "$DEID run -q -r $dir/random-position.rules $data"
measure "deid run customers.rules, gzip input" "$DEID run -q -r $R $data.gz"
measure "deid run customers.rules -j 1, CP949 input" "$DEID run -q -j 1 -r $R $data949"
measure "deid run customers.rules, default threads, CP949 input" "$DEID run -q -r $R $data949"
measure "deid run customers.rules, gzip output (level 1)" "$DEID run -q -z -r $R $data"
measure "deid run customers.rules, gzip output level 6" "$DEID run -q -z --gzip-level 6 -r $R $data"
measure "deid run pass-through -j 16 (memory)" "$DEID run -q -j 16 -r $dir/keep.rules $data"
measure "deid run customers.rules -j 16 (memory)" "$DEID run -q -j 16 -r $R $data"
# check on the raw extract (birth date, sex, zip: nearly every record its
# own class) and on the delivered, de-identified file (the auditor's case:
# birth year, sex, age band, zip prefix)
deid_data=$dir/deidentified-${MB}mb.csv
[ -s "$deid_data" ] || "$DEID" run -q -r "$R" -o "$deid_data" "$data"
measure "deid check birth,sex,zip (raw) -j 1" "$DEID check -j 1 --quasi birth,sex,zip $data"
measure "deid check birth,sex,zip (raw), default threads" "$DEID check --quasi birth,sex,zip $data"
measure "deid check birth,sex,age,zip (de-identified) -j 1" "$DEID check -j 1 --quasi birth,sex,age,zip $deid_data"
measure "deid check birth,sex,age,zip (de-identified), default threads" "$DEID check --quasi birth,sex,age,zip $deid_data"
if have mlr; then
    cat > "$dir/mlr.put" <<'MLR'
$person_key = sha256($name . $birth . $phone);
$id = sha256($id);
$name = substr($name, 0, 0) . "**";
$rrn = substr($rrn, 0, 1) . "****-*******";
$phone = sha256(gsub($phone, "[^0-9]", ""));
$email = sha256(tolower($email));
$birth = substr($birth, 0, 3);
$age = fmtnum(floor($age / 10) * 10, "%d") . "-" . fmtnum(floor($age / 10) * 10 + 9, "%d");
$zip = substr($zip, 0, 2);
$address = joinv(splitax($address, " ")[1:2], " ");
$income = roundm($income, 1000000);
MLR
    measure "mlr put (customers.rules' closest equivalent)" "mlr --csv cut -x -f memo then put -f $dir/mlr.put $data"
    measure "mlr count-distinct -f birth,sex,zip (raw)" "mlr --csv count-distinct -f birth,sex,zip $data"
    measure "mlr count-distinct -f birth,sex,age,zip (de-identified)" "mlr --csv count-distinct -f birth,sex,age,zip $deid_data"
else
    skipped="$skipped mlr"
fi
if have python3; then
    measure "python3 csv + hmac (bench/customers_python.py)" "python3 $ROOT/bench/customers_python.py $dir/rules/keys/demo.key < $data"
else
    skipped="$skipped python3"
fi
if have awk; then
    # awk splits on every comma and line feed, so it is not a CSV parser:
    # quoted fields come out wrong. A speed reference only.
    measure "awk -F, age band (not CSV-correct)" "awk -F, -v OFS=, '{ if (NR > 1) \$8 = int(\$8 / 10) * 10 \"-\" int(\$8 / 10) * 10 + 9; print }' $data"
else
    skipped="$skipped awk"
fi

load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- ratios -------------------------------------------------------------
get() { awk -F '\t' -v n="$1" '$1 == n { print $2 }' "$results"; }
rss() { awk -F '\t' -v n="$1" '$1 == n { print $3 }' "$results"; }
# ratio A B: how many times faster A's throughput is than B's (= B's time / A's time)
ratio() { awk -v a="$(get "$1")" -v b="$(get "$2")" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", b / a; else print "n/a" }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { if (r == "n/a") print "not measured"; else if (r + 0 >= t) print "met"; else printf "missed (%.0f%% of target)\n", 100 * r / t }'; }
row_ratio() { # label A B target
    r=$(ratio "$2" "$3")
    printf '| %s | %sx | >= %sx | %s |\n' "$1" "$r" "$4" "$(verdict "$r" "$4")"
}

table=$dir/table.md
{
    echo "| command | median s | MB/s | records/s | peak RSS MB | CPU s (user+sys) |"
    echo "|---|---|---|---|---|---|"
    awk -F '\t' -v bytes="$bytes" -v recs="$records" '{
        mbs = $2 > 0 ? bytes / 1e6 / $2 : 0; rps = $2 > 0 ? recs / $2 : 0
        printf "| %s | %.2f | %.0f | %.0f | %.1f | %.2f |\n", $1, $2, mbs, rps, $3 / 1024, $4 }' "$results"
} > "$table"

maxrss16=$(awk -v a="$(rss "deid run pass-through -j 16 (memory)")" -v b="$(rss "deid run customers.rules -j 16 (memory)")" \
    'BEGIN { m = a > b ? a : b; printf "%.1f", m / 1024 }')
ratios=$dir/ratios.md
{
    echo "| ratio (same run) | measured | target | verdict |"
    echo "|---|---|---|---|"
    row_ratio "pass-through -j 1 vs the libcsv floor (per thread)" "deid run pass-through -j 1" "floor: libcsv parse, empty callbacks" 2.0
    row_ratio "pass-through -j 1 vs the floor, every record quoted" "deid run pass-through -j 1, every record quoted" "floor, every record quoted" 0.9
    row_ratio "pass-through -j 2 vs -j 1" "deid run pass-through -j 2" "deid run pass-through -j 1" 1.8
    row_ratio "customers.rules -j 2 vs -j 1" "deid run customers.rules -j 2" "deid run customers.rules -j 1" 1.8
    row_ratio "random.rules (by=id) -j 2 vs -j 1" "deid run random.rules (by=id) -j 2" "deid run random.rules (by=id) -j 1" 1.8
    row_ratio "customers.rules (default threads) vs Miller put" "deid run customers.rules, default threads" "mlr put (customers.rules' closest equivalent)" 8
    row_ratio "customers.rules (default threads) vs python3" "deid run customers.rules, default threads" "python3 csv + hmac (bench/customers_python.py)" 8
    row_ratio "check (default threads) vs mlr count-distinct, de-identified file" "deid check birth,sex,age,zip (de-identified), default threads" "mlr count-distinct -f birth,sex,age,zip (de-identified)" 5
    row_ratio "check (default threads) vs mlr count-distinct, raw extract" "deid check birth,sex,zip (raw), default threads" "mlr count-distinct -f birth,sex,zip (raw)" 5
    row_ratio "check de-identified -j 2 vs -j 1" "deid check birth,sex,age,zip (de-identified), default threads" "deid check birth,sex,age,zip (de-identified) -j 1" 1.8
    row_ratio "CP949 input vs the same records in UTF-8, -j 1" "deid run customers.rules -j 1, CP949 input" "deid run customers.rules -j 1" 0.7
    row_ratio "CP949 input vs the same records in UTF-8, default threads" "deid run customers.rules, default threads, CP949 input" "deid run customers.rules, default threads" 0.7
    row_ratio "gzip output (level 1) vs plain output" "deid run customers.rules, gzip output (level 1)" "deid run customers.rules, default threads" 0.6
    printf '| peak RSS of run, no privacy requirement, -j 16 | %s MB | <= 64 MB | %s |\n' "$maxrss16" \
        "$(awk -v m="$maxrss16" 'BEGIN { print (m <= 64) ? "met" : "missed" }')"
} > "$ratios"

machine=$(printf '%s, %s cores, %s MB RAM, Linux %s' "$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)" \
    "$(nproc)" "$(awk '/MemTotal/ { printf "%d", $2 / 1024 }' /proc/meminfo)" "$(uname -r)")
{
    echo "# bench/RESULTS.md — written by \`make bench\` (bench/throughput.sh)"
    echo
    echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $machine."
    echo "Input: \`build/bench/customers-${MB}mb.csv\`, $bytes bytes, $records records (samples generator, seed 42),"
    echo "in the page cache; $RUNS runs per command, median; N = $THREADS; output to /dev/null."
    echo "Load average (1, 5, 15 min) at the start: $load_start; at the end: $load_end. CPU s is"
    echo "user + system time of all threads: unlike wall time, other work on the machine hardly changes it."
    echo "Tools: deid $("$DEID" --version 2>/dev/null | head -1 | awk '{ print $NF }'), $(mlr --version 2>/dev/null || echo 'no mlr'), $(python3 --version 2>/dev/null || echo 'no python3'), $( { awk --version 2>/dev/null || awk -W version 2>/dev/null; } | head -1 | grep . || echo awk)."
    [ -n "$skipped" ] && echo "Skipped (not installed):$skipped."
    echo
    cat "$table"
    echo
    cat "$ratios"
    echo
    echo "Commands (\`R\` = build/bench/rules/customers.rules with a fresh key; \`keep.rules\` = \`default keep\`):"
    echo
    echo '```'
    echo "parse_floor FILE                        # bench/parse_floor.c"
    echo "deid run -q -j N -r keep.rules FILE     # pass-through"
    echo "parse_floor|deid run ... FILE-QUOTED     # FILE-QUOTED: sed 's/^\\([^,]*\\),/\"\\1\",/' FILE (every record quoted)"
    echo "deid run -q [-j N] [-z] -r R FILE[.gz]"
    echo "deid run -q [-j N] -r R FILE-CP949      # FILE-CP949 = iconv -f UTF-8 -t CP949 FILE"
    echo "deid check [-j N] --quasi birth,sex,zip FILE"
    echo "deid check [-j N] --quasi birth,sex,age,zip DEIDENTIFIED   # DEIDENTIFIED = deid run -r R FILE"
    echo "mlr --csv cut -x -f memo then put -f mlr.put FILE   # sha256 x4, masks, band, round (see bench/throughput.sh)"
    echo "mlr --csv count-distinct -f birth,sex,zip FILE"
    echo "mlr --csv count-distinct -f birth,sex,age,zip DEIDENTIFIED"
    echo "python3 bench/customers_python.py KEY < FILE"
    echo '```'
} > "$ROOT/bench/RESULTS.md.new"
# The analysis section below the table is written by hand: keep it.
if [ -f "$ROOT/bench/RESULTS.md" ] && grep -q '^## Analysis' "$ROOT/bench/RESULTS.md"; then
    { echo; sed -n '/^## Analysis/,$p' "$ROOT/bench/RESULTS.md"; } >> "$ROOT/bench/RESULTS.md.new"
fi
mv "$ROOT/bench/RESULTS.md.new" "$ROOT/bench/RESULTS.md"
echo
cat "$ratios"
echo "wrote bench/RESULTS.md"
