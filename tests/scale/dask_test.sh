#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/scale/dask_test.sh DEID - scale/deid-dask on a real Dask cluster: a
# `dask scheduler` and two `dask worker` processes on 127.0.0.1, and
# deid-dask compared byte for byte with one machine's deid on a generated
# input whose byte cuts fall inside quoted fields (README "Sharded runs"):
#  (a) pseudonymization only (keyed hash, masks): joined parts = deid run
#  (b) k=5 with suppression: the same, and the same records suppressed
#  (c) level=auto: the same plan as deid plan, and the same output
#  (d) check: the same report as deid check (but the input's name and hash),
#      with a work folder named like an option (-wd)
#  (e) the input already in part files (one gzip): the same bytes; a bad
#      part fails with deid's exit status, naming the part
#  (f) the combined --report of (a), (b), (c), how=cell and --record of (b)
#      and how=cell against
#      one machine's, field by field (tests/scale/compare_reports.py, which
#      lists the fields that may differ); deid verify accepts the record
#      with the joined output and every part
#  (g) the tree merge: 10 parts merged in groups of 3 give the merged
#      summary of one flat merge, byte for byte, and check's report
#  (h) an output that is an input (a hard link too), the rules, a key
#      file, a device or another output, inputs in the work folder, gzip
#      parts to join: refused, nothing written; --report=FILE and
#      abbreviations; check with --json/--report
#  (i) headerless input and a header over 1 MiB joined as one machine
# then one worker is killed while a run is under way: the run still
# completes with the same bytes (the scheduler runs the lost tasks again).
set -eu
DEID=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DRIVER=$ROOT/scale/deid-dask
# Debian's python3, whose python3-distributed the scheduler and workers run
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
work=$(mktemp -d "${TMPDIR:-/tmp}/deid-dask-test.XXXXXX")
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2> /dev/null || true; done
    for p in $pids; do wait "$p" 2> /dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
cd "$work"
fail() { echo "dask-test: FAIL: $*"; exit 1; }

# 30000 records, a free-text note with quoted line feeds in every third
awk 'BEGIN { srand(5); print "name,phone,age,zip,diagnosis,note";
  split("flu|cold|hiv|asthma|\"a,b\"|", D, "|");
  for (i = 1; i <= 30000; i++) {
    note = (i % 3 == 0) ? "\"line one\nline \"\"two\"\"\nthree " i "\"" : "plain " i;
    printf "name%d,010-%04d-%04d,%d,%05d,%s,%s\n", i, int(rand() * 10000), int(rand() * 10000),
      18 + int(rand() * 70), int(rand() * 40) * 100 + int(rand() * 99), D[1 + int(rand() * 6)], note } }' > in.csv
"$DEID" keygen k.key > /dev/null
printf 'key k file=k.key\ncolumn name hash key=k length=16\ncolumn phone mask keep-last=4\ncolumn age range width=10\ncolumn zip prefix 4\ncolumn diagnosis keep\ncolumn note keep\n' > pseudo.rules
{ cat pseudo.rules; printf 'quasi age zip\nsensitive diagnosis\nrequire k=5\nsuppress max=20%%\n'; } > k5.rules
printf 'key k file=k.key\ncolumn name hash key=k length=16\ncolumn phone drop\ncolumn age range widths=5,10,20 level=auto\ncolumn zip prefix 4,3,2 level=auto\ncolumn diagnosis keep\ncolumn note keep\nquasi age zip\nrequire k=5\nsuppress max=5%%\n' > auto.rules

# does a byte cut of 5 fall inside a quoted field? (the test is about that)
"$PY" - in.csv 5 << 'PY' || fail "no even cut falls inside a quoted field"
import sys
data = open(sys.argv[1], "rb").read(); n = int(sys.argv[2]); inside = False; hits = 0
targets = {len(data) * i // n for i in range(1, n)}
for i, b in enumerate(data):
    if i in targets and inside: hits += 1
    if b == 0x22: inside = not inside
sys.exit(0 if hits else 1)
PY

port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dask scheduler --host 127.0.0.1 --port "$port" --no-dashboard > scheduler.log 2>&1 &
pids="$pids $!"
for w in 1 2; do
    dask worker "tcp://127.0.0.1:$port" --nworkers 1 --nthreads 1 --no-dashboard \
        --name "w$w" > "worker$w.log" 2>&1 &
    pids="$pids $!"
    eval "worker$w=$!"
done
"$PY" - "$port" << 'PY' || fail "the cluster did not come up"
import sys, time
from distributed import Client
c = Client(f"tcp://127.0.0.1:{sys.argv[1]}", timeout=30)
for _ in range(300):
    if len(c.scheduler_info()["workers"]) == 2: sys.exit(0)
    time.sleep(0.1)
sys.exit(1)
PY
S="--scheduler tcp://127.0.0.1:$port --parts 5 -q"

# (a) pseudonymization only
"$DEID" run -q -r pseudo.rules --report one-a.json -o one-a.csv in.csv
"$PY" "$DRIVER" $S --work wa --deid "$DEID" run -r pseudo.rules --join dask-a.csv --report dask-a.json in.csv
cmp one-a.csv dask-a.csv || fail "(a) pseudonymization: the joined parts differ from deid run"
echo "dask-test: (a) pseudonymization only: same bytes ($(ls wa/part-*.csv | wc -l) parts)"

# (b) k=5 with suppression
"$DEID" run -q -r k5.rules --report one-b.json --record one-b.record.json -o one-b.csv in.csv
"$PY" "$DRIVER" $S --work wb --deid "$DEID" run -r k5.rules --join dask-b.csv \
    --report dask-b.json --record dask-b.record.json --html dask-b.html in.csv
cmp one-b.csv dask-b.csv || fail "(b) k=5: the joined parts differ from deid run"
supp=$(grep -c '^[^,]*,[^,]*,\*,\*,' one-b.csv || true)
[ "$supp" -gt 0 ] || fail "(b) k=5: nothing was suppressed: the test proves little"
echo "dask-test: (b) k=5 with suppression: same bytes, $supp records suppressed by both"

# (c) level=auto
"$DEID" plan -r auto.rules in.csv > one-plan.txt
"$PY" "$DRIVER" $S --work wc1 --deid "$DEID" plan -r auto.rules in.csv > dask-plan.txt
cmp one-plan.txt dask-plan.txt || fail "(c) level=auto: the plan differs from deid plan"
"$DEID" run -q -r auto.rules --report one-c.json -o one-c.csv in.csv
"$PY" "$DRIVER" $S --work wc2 --deid "$DEID" run -r auto.rules --join dask-c.csv --report dask-c.json in.csv
cmp one-c.csv dask-c.csv || fail "(c) level=auto: the joined parts differ from deid run"
echo "dask-test: (c) level=auto: same plan ($(grep '^best node' one-plan.txt)), same bytes"

# (d) check, on the k=5 output
set +e
"$DEID" check -r k5.rules -k 10 one-b.csv > one-check.txt; one=$?
"$PY" "$DRIVER" $S --work=-wd --deid "$DEID" check -r k5.rules -k 10 one-b.csv > dask-check.txt; got=$?
set -e
[ "$one" = "$got" ] || fail "(d) check: exit $got, deid check $one"
sed '/^input /d; /^sha256 /d' one-check.txt > a.txt
sed '/^input /d' dask-check.txt > b.txt
cmp a.txt b.txt || fail "(d) check: the report differs from deid check"
echo "dask-test: (d) check: same report, exit $one"

# (e) inputs already in part files (one gzip), and a part that fails
set -- $("$DEID" split --parts 3 in.csv)
i=0
for r in "$@"; do
    i=$((i + 1)); a=${r%%:*}; b=${r##*:}
    { [ "$i" = 1 ] || head -n 1 in.csv; tail -c +$((a + 1)) in.csv | head -c $((b - a)); } > "pf$i.csv"
done
gzip pf3.csv
"$PY" "$DRIVER" $S --work wf --deid "$DEID" run -r k5.rules --join dask-f.csv --record dask-f.record.json \
    -- pf1.csv pf2.csv pf3.csv.gz
cmp one-b.csv dask-f.csv || fail "(e) part files: the joined parts differ from deid run"
# the record lists each part file as an input, with its digest
"$PY" - dask-f.record.json pf1.csv pf2.csv pf3.csv.gz << 'PY' || fail "(e) the record's inputs are not the part files"
import hashlib, json, sys
rec = json.load(open(sys.argv[1]))
want = [(f, hashlib.sha256(open(f, "rb").read()).hexdigest()) for f in sys.argv[2:]]
sys.exit(0 if [(i["name"], i["sha256"]) for i in rec["inputs"]] == want else 1)
PY
"$DEID" verify -q dask-f.record.json dask-f.csv wf/part-*.csv || fail "(e) deid verify refuses the record"
{ head -n 1 in.csv; head -n 1 in.csv; tail -n +2 pf2.csv; } > broken.csv
set +e
"$PY" "$DRIVER" $S --work wg --deid "$DEID" run -r k5.rules --join dask-g.csv --report dask-g.json \
    --record dask-g.record.json -- pf1.csv broken.csv 2> failed.log
got=$?
set -e
[ "$got" = 4 ] && grep -q 'part 2 (.*broken.csv), first pass: deid: .*record 1' failed.log ||
    fail "(e) a bad part: exit $got, not 4 naming part 2: $(cat failed.log)"
for f in dask-g.csv dask-g.json dask-g.record.json dask-g.record.md; do
    [ ! -e "$f" ] || fail "(e) a bad part: $f written"
done
echo "dask-test: (e) part files (one gzip): same bytes; a bad part fails with exit 4, named"

# (f) the combined report and record
CMP=$ROOT/tests/scale/compare_reports.py
for c in a b c; do
    [ "$c" = a ] && w=wa || { [ "$c" = b ] && w=wb || w=wc2; }
    "$PY" "$CMP" report one-$c.json dask-$c.json $w/part-*.csv || fail "($c) the combined report differs"
done
grep -q '"privacy"' dask-b.json && grep -q '"suppressed_records": [1-9]' dask-b.json ||
    fail "(f) the k=5 report has no privacy figures or nothing suppressed: the test proves little"
grep -q '"level": ' dask-c.json || fail "(f) the level=auto report has no level applied"
"$PY" "$CMP" record one-b.record.json dask-b.record.json wb/part-*.csv || fail "(f) the combined record differs"
for f in dask-b.json dask-b.record.json dask-b.record.md dask-b.html; do
    [ "$(stat -c %a "$f")" = 600 ] || fail "(f) $f is not mode 0600"
done
"$DEID" verify dask-b.record.json dask-b.csv wb/part-*.csv > verify.txt ||
    fail "(f) deid verify refuses the combined record: $(cat verify.txt)"
[ "$(grep -c '^ok  *part ' verify.txt)" = "$(ls wb/part-*.csv | wc -l)" ] || fail "(f) deid verify: not every part ok"
printf 'x' >> wb/part-00002.csv
if "$DEID" verify -q dask-b.record.json wb/part-00002.csv 2> /dev/null; then
    fail "(f) deid verify accepts a changed part"
fi
# how=cell: the cells to suppress are the whole job's decision, in the
# report's suppression and the record's privacy (JSON and Markdown)
sed 's/^suppress max=/suppress how=cell max=/' k5.rules > cell.rules
grep -q 'how=cell' cell.rules || fail "(f) no how=cell rules"
"$DEID" run -q -r cell.rules --report one-cell.json --record one-cell.record.json -o one-cell.csv in.csv
"$PY" "$DRIVER" $S --work wcell --deid "$DEID" run -r cell.rules --join dask-cell.csv \
    --report dask-cell.json --record dask-cell.record.json in.csv
cmp one-cell.csv dask-cell.csv || fail "(f) how=cell: the joined parts differ from deid run"
grep -q '"cells_suppressed": [1-9]' one-cell.record.json || fail "(f) how=cell suppressed no cell"
"$PY" "$CMP" report one-cell.json dask-cell.json wcell/part-*.csv || fail "(f) how=cell: the report differs"
"$PY" "$CMP" record one-cell.record.json dask-cell.record.json wcell/part-*.csv ||
    fail "(f) how=cell: the record differs"
# a record that cannot be written: exit 5, and neither the join nor the report
set +e
"$PY" "$DRIVER" $S --work wh --deid "$DEID" run -r k5.rules --join dask-h.csv --report dask-h.json \
    --record no-such-folder/r.json in.csv 2> h.log
got=$?
set -e
[ "$got" = 5 ] && grep -q 'no-such-folder/r.json' h.log || fail "(f) an unwritable record: exit $got: $(cat h.log)"
[ ! -e dask-h.csv ] && [ ! -e dask-h.json ] && [ -z "$(ls -a | grep '^\.deid-dask')" ] ||
    fail "(f) an unwritable record: files left behind"
echo "dask-test: (f) combined report and record: the figures of one machine; deid verify: ok"

# (g) the tree merge: 10 parts, groups of 3 (levels of 4, then 2 summaries)
"$PY" "$DRIVER" $S --parts 10 --merge-fan-in 3 --work wt --deid "$DEID" \
    run -r k5.rules --join dask-t.csv in.csv
cmp one-b.csv dask-t.csv || fail "(g) tree merge: the joined parts differ from deid run"
[ -e wt/plan-level2-00001.sum ] || fail "(g) no second level of merges: the test proves little"
"$DEID" plan -r k5.rules --merge --partial flat.sum wt/part-000[0-9][0-9].sum > /dev/null
cmp flat.sum wt/merged.sum || fail "(g) tree merge: the merged summary differs from one flat merge"
set +e
"$PY" "$DRIVER" $S --parts 10 --merge-fan-in 3 --work wt2 --deid "$DEID" check -r k5.rules -k 10 one-b.csv > tree-check.txt
got=$?
set -e
[ "$got" = "$one" ] || fail "(g) tree merge check: exit $got, deid check $one"
sed '/^input /d' tree-check.txt > c.txt
cmp a.txt c.txt || fail "(g) tree merge: check's report differs from deid check"
echo "dask-test: (g) tree merge (10 parts, fan-in 3): the flat merge's bytes, the same check report"

# (h) outputs that collide with inputs or with each other are refused
# before anything runs (exit 2), and the files stay as they were
cp in.csv victim.csv
cp k5.rules victim.rules
mkdir -p wv
cp in.csv wv/in-work.csv
ln -f victim.csv hard.csv
for args in "run -r victim.rules --join victim.csv victim.csv" \
            "run -r victim.rules --join hard.csv victim.csv" \
            "run -r victim.rules --join j.csv --report victim.rules victim.csv" \
            "run -r victim.rules --join j.csv --report j.csv victim.csv" \
            "run -r victim.rules --record rec.json --join rec.md victim.csv" \
            "--work wv run -r victim.rules --join j.csv wv/in-work.csv" \
            "--work wv check -r victim.rules wv/in-work.csv"; do
    set +e
    # shellcheck disable=SC2086 # the words of args are the arguments
    "$PY" "$DRIVER" $S --deid "$DEID" $args > /dev/null 2> h.log
    got=$?
    set -e
    [ "$got" = 2 ] || fail "(h) $args: exit $got, not 2: $(cat h.log)"
    grep -q 'same file as\|in the work folder' h.log || fail "(h) $args: $(cat h.log)"
done
cmp in.csv victim.csv && cmp k5.rules victim.rules && cmp in.csv wv/in-work.csv ||
    fail "(h) a refused job changed a file"
[ ! -e j.csv ] && [ ! -e rec.json ] && [ "$(ls wv)" = in-work.csv ] || fail "(h) a refused job wrote a file"
echo "dask-test: (h) outputs that are inputs, or each other, or in the work folder: refused, nothing written"
# (h) more refusals: a key file the rules name, a device, --report=FILE
# spelled with = or abbreviated, gzip parts to join, check's --report on
# the input
mkdir -p kc
"$DEID" keygen kc/k.key > /dev/null
printf 'key k file=k.key\ncolumn name hash key=k\ndefault keep\n' > kc/r.rules
cp kc/k.key k.bak
mknod devnull c 1 3
for args in "run -r kc/r.rules --join kc/k.key in.csv" \
            "run -r pseudo.rules --join devnull in.csv" \
            "run -r pseudo.rules --join j.csv --repo r.json in.csv" \
            "run -r pseudo.rules -z --join j.csv in.csv" \
            "check -r k5.rules --report victim.csv victim.csv"; do
    set +e
    # shellcheck disable=SC2086 # the words of args are the arguments
    "$PY" "$DRIVER" $S --deid "$DEID" --work wr $args > /dev/null 2> h.log
    got=$?
    set -e
    [ "$got" = 2 ] || fail "(h) $args: exit $got, not 2: $(cat h.log)"
done
cmp k.bak kc/k.key && cmp in.csv victim.csv && [ -c devnull ] && [ ! -e j.csv ] && [ ! -e r.json ] ||
    fail "(h) a refused job changed or wrote a file"
# --report=FILE is the job's report, not one part's
"$PY" "$DRIVER" $S --deid "$DEID" --work weq run -r pseudo.rules --join eq.csv --report=eq.json in.csv
"$PY" - eq.json one-a.json << 'PY' || fail "(h) --report=FILE: not the whole job's report"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
sys.exit(0 if a["records_read"] == b["records_read"] and "parts" in a else 1)
PY
# check with output options: the parts gather summaries only
"$PY" "$DRIVER" $S --deid "$DEID" --work wj check -r k5.rules --json one-b.csv > dask-check.json || [ $? = 1 ]
"$DEID" check -r k5.rules --json one-b.csv > one-check.json || [ $? = 1 ]
"$PY" - dask-check.json one-check.json << 'PY' || fail "(h) check --json differs from deid check"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
for d in (a, b):
    for k in ("generated_at", "input", "inputs"):
        d.pop(k, None)
sys.exit(0 if a == b else 1)
PY
echo "dask-test: (h) key files, devices, --opt=FILE and abbreviations, gzip joins, check outputs: handled"

# headerless input: every part's records are joined (none taken for a header)
tail -n +2 in.csv > nh.csv
printf 'input header=no\nkey k file=k.key\ncolumn #1 hash key=k length=16\ndefault keep\n' > nh.rules
"$DEID" run -q -r nh.rules -o one-nh.csv nh.csv
"$PY" "$DRIVER" $S --deid "$DEID" --work wnh run -r nh.rules --join dask-nh.csv --record nh.json nh.csv
cmp one-nh.csv dask-nh.csv || fail "(i) headerless: the joined parts differ from deid run"
"$DEID" verify nh.json dask-nh.csv > /dev/null || fail "(i) headerless: deid verify failed"
# a header longer than the driver's 1 MiB read block
"$PY" - << 'PY'
import random
random.seed(7)
cols = [f"c{i}_" + "x" * 246 for i in range(4500)]
with open("wide.csv", "w") as f:
    print(",".join(cols), file=f)
    for _ in range(40):
        print(",".join(str(random.randint(0, 9)) for _ in cols), file=f)
PY
printf 'default keep\n' > keep.rules
"$PY" "$DRIVER" $S --deid "$DEID" --parts 4 --work wwide run -r keep.rules --join dask-wide.csv wide.csv
cmp wide.csv dask-wide.csv || fail "(i) a 1.1 MB header: the joined parts differ from the input"
echo "dask-test: (i) headerless input and a 1.1 MB header: the bytes of one machine"

# a worker killed mid-run: 20 parts, worker 2 killed once 3 are done
"$PY" "$DRIVER" --scheduler "tcp://127.0.0.1:$port" --parts 20 --work we --deid "$DEID" \
    run -r k5.rules --join dask-e.csv in.csv 2> progress.log &
driver=$!
for _ in $(seq 600); do
    grep -q 'run: 3/' progress.log 2> /dev/null && break
    sleep 0.05
done
kill -9 "$worker2" 2> /dev/null || fail "worker 2 was gone before it was killed"
status=0
wait "$driver" || status=$?
if [ "$status" = 0 ]; then
    cmp one-b.csv dask-e.csv || fail "after a worker was killed: the joined parts differ"
    echo "dask-test: worker killed during the run: completed, same bytes"
else
    grep -q 'part [0-9]' progress.log || fail "after a worker was killed: failed without naming the part"
    echo "dask-test: worker killed during the run: failed cleanly naming the part"
fi
echo "dask-test: ok"
