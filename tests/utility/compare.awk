# SPDX-License-Identifier: Apache-2.0
# compare.awk - compares the "utility" object of a deid JSON report with
# the figures of adult_utility.awk (an independent computation):
#
#   awk -f compare.awk EXPECTED REPORT.json
#
# Prints "same: N figures" when every expected figure is in the report and
# equal within a relative 1e-9 (integers exactly), else each difference.
# Figures the report has as null (not known there) are listed as such.
function abs(x) { return x < 0 ? -x : x }
FNR == NR { want[$1] = $2; order[++n] = $1; next }
/"utility": \{/ { inside = 1; next }
inside && /^  }/ { inside = 0 }
inside && /"name": / {
    line = $0
    match(line, /"name": "[^"]*"/); q = substr(line, RSTART + 9, RLENGTH - 10)
    sub(/.*"name": "[^"]*", /, "", line); sub(/}.*/, "", line)
    c = split(line, part, ", ")
    for (i = 1; i <= c; i++) {
        split(part[i], kv, ": "); gsub(/"/, "", kv[1])
        got[q "." kv[1]] = kv[2]
    }
    next
}
inside && /^    "[a-z_]*": / {
    line = $0; sub(/^ *"/, "", line); sub(/,$/, "", line)
    split(line, kv, "\": "); got[kv[1]] = kv[2]
}
END {
    bad = 0
    for (i = 1; i <= n; i++) {
        f = order[i]
        if (!(f in got)) { print "missing: " f; bad++; continue }
        if (got[f] == "null") { print f ": null in the report"; continue }
        w = want[f] + 0; g = got[f] + 0
        if (abs(g - w) > 1e-9 * (abs(w) > 1 ? abs(w) : 1)) { print f ": report " got[f] ", independent " want[f]; bad++ }
        else same++
    }
    print (bad ? "DIFFERENT: " bad " figures" : "same: " same " figures")
}
