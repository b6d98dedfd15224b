#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/scale/hadoop_sim.sh DEID - the canonical local simulation of the
# Hadoop Streaming recipe (README "Sharded runs"): every part file through
# scale/hadoop-mapper.sh, the lines through sort, then
# scale/hadoop-reducer.sh; its report must equal one machine's
# `deid check` of the whole input (all but the input's name and SHA-256),
# and so must its exit status. Three part files of uneven sizes, cut where
# `deid split` cuts (quoted line feeds in the data). Prints "hadoop-sim: ok".
set -eu
DEID=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/deid-hadoop.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work"
awk 'BEGIN { srand(3); print "id,age,sex,zip,diagnosis";
  split("20-29 30-39 40-49 50-59 60-69", A, " "); split("flu|cold|\"h\nv\"|\"a,b\"||hiv", D, "|");
  for (i = 1; i <= 5000; i++) { d = D[1 + int(rand() * 6)];
    if (rand() < 0.03) { print i ",*,*,*," d; continue }
    print i "," A[1 + int(rand() * 5)] "," (rand() < 0.5 ? "M" : "F") ",06" int(rand() * 4) "**," d } }' > whole.csv
# part files: the whole file's records cut unevenly (1/7, 2/7, 4/7 of the
# ranges `deid split` gives for 7), each with the header
set -- $("$DEID" split --parts 7 whole.csv)
cut_part() { # NAME FROM TO
    { head -n 1 whole.csv; tail -c +$(($2 + 1)) whole.csv | head -c $(($3 - $2)); } > "$1"
}
a=${2%%:*}; b=${4%%:*}; end=${7##*:}
# the first range holds the header: cut after it
hdr=$(head -n 1 whole.csv | wc -c)
cut_part part-00001.csv "$hdr" "$a"
cut_part part-00002.csv "$a" "$b"
cut_part part-00003.csv "$b" "$end"
opts="--quasi age,sex,zip --sensitive diagnosis -k 5 -l 2 -t 0.2"
set +e
"$DEID" check $opts whole.csv > one.txt
one=$?
for f in part-*.csv; do mapreduce_map_input_file=$f sh "$ROOT/scale/hadoop-mapper.sh" "$DEID" $opts < "$f"; done |
    sort | sh "$ROOT/scale/hadoop-reducer.sh" "$DEID" $opts > reduced.txt
reduced=$?
set -e
[ "$one" = "$reduced" ] || { echo "hadoop-sim: exit $reduced, one machine $one"; exit 1; }
sed '/^input /d; /^sha256 /d' one.txt > a.txt
sed '/^input /d' reduced.txt > b.txt
cmp a.txt b.txt || { echo "hadoop-sim: the reduced report differs from one machine's"; diff a.txt b.txt | head; exit 1; }
grep -q '^records  *4' b.txt || { echo "hadoop-sim: no records counted"; exit 1; }
echo "hadoop-sim: ok (3 parts, exit $one, same report)"
