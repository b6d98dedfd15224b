#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/html/run.sh - the auditor's HTML report in a real browser (part of
# `make check` through `make htmltest`, which installs what it needs).
# For a check (Korean and English) and a run (English) of a file with
# known rare values, headless Chromium renders the page; then
#  - page_check.py: the rendered page's figures equal the JSON report's,
#    its value tables equal an own count, no value held by fewer than k
#    records (nor a name or a sensitive value) is anywhere in the file,
#    and the file holds no "http:", "https:" or "//";
#  - the screenshot is not blank (png_colours.py counts its colours);
#  - the page printed to PDF holds the verdict (pdftotext);
#  - the file is private (mode 0600).
# usage: sh tests/html/run.sh path/to/deid
set -u
DEID=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/deid-html.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
export HOME="$T/home"
mkdir -p "$HOME"
fails=0
fail() { echo "html: FAIL: $*"; fails=$((fails + 1)); }

# chromium with a scratch profile, bounded in time
browse() {
    timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$T/profile" "$@" 2> "$T/chromium.log"
}

# The data: 40 + 20 + 6 records in classes of k=5 or more; rare ages held
# 1, 2, 3 and 4 times (each its own class), an age held 5 times but only
# in classes of 1 (its zips are rare too), and 2 suppressed records.
awk 'BEGIN {
    print "name,age,sex,zip,diag"
    split("DxFlu DxCold DxHiv DxAsthma", dx, " ")
    n = 0
    for (i = 0; i < 40; i++) printf "Name%04d,30-39,M,061,%s\n", ++n, dx[i % 4 + 1]
    for (i = 0; i < 20; i++) printf "Name%04d,40-49,F,062,%s\n", ++n, dx[i % 3 + 1]
    for (i = 0; i < 6; i++) printf "Name%04d,50-59,M,062,%s\n", ++n, dx[i % 2 + 1]
    split("RareAgeA RareAgeB RareAgeC RareAgeD", rare, " ")
    for (r = 1; r <= 4; r++) for (i = 0; i < r; i++) printf "Name%04d,%s,M,061,%s\n", ++n, rare[r], dx[i % 4 + 1]
    for (i = 1; i <= 5; i++) printf "Name%04d,SmallOnly,F,ZipQ%d,DxFlu\n", ++n, i
    printf "Name%04d,*,*,*,DxCold\nName%04d,*,*,*,DxFlu\n", ++n, ++n
}' > data.csv

K=5
# check, in Korean and in English
"$DEID" check --quasi age,sex,zip --sensitive diag -k $K -l 2 --sampling-fraction 0.3 --html check-ko.html \
    --report check.json data.csv > /dev/null
[ $? = 1 ] || fail "check: exit $? (the requirement does not hold: 1)"
"$DEID" check --quasi age,sex,zip --sensitive diag -k $K -l 2 --sampling-fraction 0.3 --lang en --html check-en.html \
    --risk-threshold 0.05 data.csv > /dev/null
# run: suppresses the small classes, then the output meets k=5
cat > run.rules << 'EOF'
input    delimiter=, header=yes
default  keep
column   name drop
column   zip prefix 2
quasi    age sex zip
sensitive diag
require  k=5
suppress max=30% how=quasi
purpose  "research on clinic visits"
controller "Clinic Data Team"
custodian "Key Office"
destroy-keys on=2027-12-31
EOF
"$DEID" run -q -r run.rules -o out.csv --report run.json --html run-en.html --lang en data.csv \
    || fail "run: exit $?"
# check of the run's output against its source: the utility section
"$DEID" check -r run.rules --source data.csv --sampling-fraction 0.3 --report check-source.json \
    --html check-source.html out.csv > /dev/null || fail "check --source: exit $?"
# the JSON reports the pages are compared with are valid documents of their kind
python3 "$HERE/../lib/validate_json.py" "$HERE/../../engine/schemas" check.json run.json \
    check-source.json || fail "a JSON report does not validate against its schema"
grep -q 'id="utility"' run-en.html || fail "run-en.html: no utility section"
grep -q 'id="utility"' check-source.html || fail "check-source.html: no utility section"

for f in check-ko.html check-en.html run-en.html check-source.html; do
    [ -s "$f" ] || { fail "$f was not written"; continue; }
    mode=$(stat -c %a "$f")
    [ "$mode" = 600 ] || fail "$f has mode $mode (0600 expected)"
done

# name  mode  json  input  output  threshold  verdict
while read -r page mode json input output threshold verdict; do
    [ -s "$page" ] || continue
    browse --dump-dom "file://$T/$page" > "$page.dom" || fail "$page: chromium --dump-dom failed"
    grep -q 'data-figure="' "$page.dom" || fail "$page: the DOM dump holds no figure"
    python3 "$HERE/page_check.py" "$mode" "$page" "$page.dom" "$json" "$input" "$output" $K \
        "$verdict" "$threshold" || fails=$((fails + 1))
    browse --window-size=800,1000 --screenshot="$T/$page.png" "file://$T/$page" > /dev/null ||
        fail "$page: chromium --screenshot failed"
    colours=$(python3 "$HERE/png_colours.py" "$page.png")
    [ "${colours:-0}" -gt 8 ] || fail "$page: the screenshot has $colours colours (blank?)"
    browse --no-pdf-header-footer --print-to-pdf="$T/$page.pdf" "file://$T/$page" > /dev/null ||
        fail "$page: chromium --print-to-pdf failed"
    pdftotext -layout "$page.pdf" "$page.txt" || fail "$page: pdftotext failed"
    pages=$(pdfinfo "$page.pdf" 2> /dev/null | sed -n 's/^Pages: *//p')
    grep -q -- ": $verdict" "$page.txt" || fail "$page: the PDF's text lacks the verdict \": $verdict\""
    echo "html: $page: screenshot $colours colours, PDF ${pages:-?} pages with the verdict"
done << EOF
check-ko.html check check.json data.csv - 0.2 미충족
check-en.html check check.json data.csv - 0.05 not met
run-en.html run run.json data.csv out.csv 0.2 met
check-source.html check check-source.json out.csv - 0.2 충족
EOF

# the run's page carries the processing record's statements as rendered
# text (recipient and retention were not stated)
for said in "purpose research on clinic visits" "controller Clinic Data Team" \
    "key custodian Key Office" "keys destroyed on 2027-12-31" "recipient not stated"; do
    tr -s ' \n' '  ' < run-en.html.txt | grep -q "$said" ||
        fail "run-en.html: the printed page lacks \"$said\""
done

# the run's page says what it did to each column, with the technique
grep -q '데이터 삭제\|식별자 삭제' run-en.html || fail "run-en.html: no guideline technique for the dropped name"

if [ "$fails" != 0 ]; then
    echo "html: $fails failed (chromium's log: last lines)"
    tail -5 "$T/chromium.log"
    exit 1
fi
echo "html: all passed"
