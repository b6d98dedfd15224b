# SPDX-License-Identifier: Apache-2.0
# tests/cli/leak_audit.sh - shell functions for the leak-audit-* CLI cases,
# which source it (`. "$ROOT/tests/cli/leak_audit.sh"`) in their temporary
# folder. The audit compares what deid wrote against the original values
# of the columns the rules claim to hide:
#   leak_run RULES INPUT   runs `deid run -r RULES --report report.json` on
#                          INPUT given as stdin (so a two-pass run spools)
#                          with TMPDIR set to a fresh empty folder; keeps
#                          stdout in out.csv, stderr in err.txt, and makes
#                          audited.txt: out.csv, err.txt, report.json and
#                          every file left in TMPDIR, one after the other
#   leak_cmd WANT CMD...   runs CMD (WANT: the exit status expected, shown
#                          beside the one got) and adds its stdout and
#                          stderr to audited.txt; prints the statuses and
#                          the first line of stderr (leak-audit-headerless:
#                          commands that stop, whose messages are audited)
#   pick COLUMN...         reads CSV on stdin, writes those columns tab-
#                          separated without the header (deid itself reads
#                          the CSV, so quoted fields are handled)
#   hits PATTERNS          how many lines of audited.txt hold any of the
#                          non-empty lines of the file PATTERNS
#   runs K SKIP ORIG       per record: how many windows of K digits of the
#                          original's digits after the first SKIP occur in
#                          that record's output line (dashes taken out);
#                          ORIG holds one original value per line, in the
#                          order of out.csv's records
#   absent ORIG            per record: how many records' output lines hold
#                          that record's (non-empty) line of ORIG
#   words_after N FILE     each line of FILE without its first N words
# Every check prints "what: N"; the expected output of a case is all zeros.

leak_run() {
    mkdir -p tmp.audit
    TMPDIR=$PWD/tmp.audit $DEID run -r "$1" --report report.json < "$2" > out.csv 2> err.txt
    echo "deid run exit: $?"
    echo "files left in TMPDIR: $(ls -A tmp.audit | wc -l)"
    cat out.csv err.txt report.json > audited.txt
    find tmp.audit -type f -exec cat {} + >> audited.txt
}

leak_cmd() {
    want=$1
    shift
    "$@" > leak_cmd.out 2> leak_cmd.err
    st=$?
    cat leak_cmd.out leak_cmd.err >> audited.txt
    echo "== exit $st (want $want): $(head -1 leak_cmd.err)"
}

pick() {
    printf 'default drop\n' > pick.rules
    for c in "$@"; do printf 'column %s keep\n' "$c" >> pick.rules; done
    $DEID run -q -r pick.rules --output-delimiter tab | tail -n +2
}

hits() {
    grep -v '^$' "$1" | grep -F -c -f - audited.txt
}

runs() {
    tail -n +2 out.csv | tr -d '-' | paste "$3" - | awk -F'\t' -v k="$1" -v skip="$2" '
        { d = $1; gsub(/[^0-9]/, "", d); d = substr(d, skip + 1)
          for (i = 1; i + k - 1 <= length(d); i++) if (index($2, substr(d, i, k))) n++ }
        END { print n + 0 }'
}

absent() {
    tail -n +2 out.csv | paste "$1" - | awk -F'\t' '$1 != "" && index($2, $1) { n++ } END { print n + 0 }'
}

words_after() {
    awk -v n="$1" '{ s = ""; for (i = n + 1; i <= NF; i++) s = s (i > n + 1 ? " " : "") $i; print s }' "$2"
}
