# SPDX-License-Identifier: Apache-2.0
# adult_utility.awk - the utility metrics of README "Utility", computed
# independently of deid from their definitions, for a full-domain
# generalization of Adult with ARX's hierarchies (e.g. ARX's k=5 optima):
# it generalizes the source itself, suppresses (QIs to "*") the records of
# classes smaller than k, as k-anonymity with suppression does, and
# computes every figure from the records.
#
#   awk -F';' -v levels=0,4,1,1,3,2,2,1,0 -v k=5 -v dir=HIERARCHIES -f adult_utility.awk SOURCE
#
# SOURCE: `;`-separated with a header; every column is a QI and has
# DIR/adult_hierarchy_<column>.csv (value;level 1;...;top, no header).
# Prints one "figure value" line per figure, as compare.awk reads them.
function log2(x) { return log(x) / log(2) }
function entropy(counts, total,    v, h, p) {
    h = 0
    for (v in counts) { p = counts[v] / total; h -= p * log2(p) }
    return h
}
BEGIN { m = split(levels, level, ",") }
{ sub(/\r$/, "") }
NR == 1 {
    if (NF != m) { print "levels: " m " given, " NF " columns" > "/dev/stderr"; exit 2 }
    for (j = 1; j <= NF; j++) {
        name[j] = $j
        file = dir "/adult_hierarchy_" $j ".csv"
        rows[j] = 0
        while ((getline line < file) > 0) {
            sub(/\r$/, "", line)
            c = split(line, cell, ";")
            rows[j]++
            height[j] = c - 1
            gen[j, cell[1]] = cell[level[j] + 1]
            under[j, cell[level[j] + 1]]++   # hierarchy rows generalized to this value
        }
        close(file)
    }
    next
}
{
    n++
    key = ""
    for (j = 1; j <= m; j++) {
        if (!((j, $j) in gen)) { print "no hierarchy row for " $j > "/dev/stderr"; exit 2 }
        value[n, j] = $j
        count[j, $j]++
        key = key "\034" gen[j, $j]
    }
    class_of[n] = key
    size[key]++
}
END {
    suppressed = 0; classes = 0; dm = 0
    for (key in size) {
        if (size[key] < k) { suppressed += size[key]; continue }
        classes++; dm += size[key] * size[key]
    }
    dm += n * suppressed
    printf "records %d\nsuppressed_records %d\nclasses %d\n", n, suppressed, classes
    groups = classes + (suppressed ? 1 : 0)
    printf "discernibility %.17g\navg_class_size %.17g\nc_avg %.17g\n", dm, n / groups, n / groups / k
    nu_total = 0; prec_loss = 0; loss_product = 1
    for (j = 1; j <= m; j++) {
        split("", src); split("", out); split("", grp); split("", seen)
        # the group of a delivered value: the source records of every value
        # delivered as it (a record suppressed stands for every value)
        for (r = 1; r <= n; r++) {
            v = value[r, j]; src[v]++
            if (size[class_of[r]] >= k && !((v) in seen)) { seen[v] = 1; grp[gen[j, v]] += count[j, v] }
        }
        nu = 0; agg = 0; lost = 0
        for (r = 1; r <= n; r++) {
            v = value[r, j]
            if (size[class_of[r]] < k) {
                out["*"]++; nu -= log2(count[j, v] / n); agg += 1; lost += 1
            } else {
                g = gen[j, v]; out[g]++
                nu -= log2(count[j, v] / grp[g])
                agg += under[j, g] / rows[j]
                lost += height[j] ? level[j] / height[j] : 0
            }
        }
        distinct_before = 0; distinct_after = 0
        for (v in src) distinct_before++
        for (g in out) distinct_after++
        nu_total += nu
        prec_loss += lost / n
        # ARX's loss of column j (README "deid plan"), truncated to 10 decimals
        lo = (agg - n / rows[j]) / (n - n / rows[j]); if (lo < 0) lo = 0
        lo = int(lo * 1e10) / 1e10
        loss_product *= lo + 1
        printf "%s.distinct_before %d\n%s.distinct_after %d\n", name[j], distinct_before, name[j], distinct_after
        printf "%s.entropy_before %.17g\n%s.entropy_after %.17g\n", name[j], entropy(src, n), name[j], entropy(out, n)
        printf "%s.nu_entropy %.17g\n%s.precision_loss %.17g\n", name[j], nu, name[j], lost / n
    }
    printf "nu_entropy %.17g\nprecision %.17g\nloss %.17g\n", nu_total, 1 - prec_loss / m, loss_product ^ (1 / m) - 1
}
