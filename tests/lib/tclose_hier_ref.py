#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Independent reference for hierarchical-distance t-closeness on ARX Adult.

The distance is computed as the tree-metric Earth Mover's Distance in its
closed form: with every edge of the value tree weighing 1/(2H) (so two
leaves whose lowest common ancestor is at level L are L/H apart, Li et al.
2007), EMD = (1/(2H)) * sum over every node below the top level of
|sum of (p_i - q_i) over the leaves under it|. deid computes the other
form, sum over inner nodes of (level/H) * min(pos, neg); the two agree
exactly, which is what the tests check.

  tclose_hier_ref.py max-emd DATA HIER_DIR SENSITIVE QIS LEVELS
      largest EMD over the classes of the QIs generalized to LEVELS
      (comma lists), every record kept
  tclose_hier_ref.py plan DATA HIER_DIR SENSITIVE QIS K T SUPPRESS_PERCENT
      exhaustive search over every node of the QIs' lattice, as deid plan
      (metric=loss): a node is feasible when the records in classes under
      k or over t (+1e-12) are at most floor(pct/100 * n); they are
      suppressed; the overall distribution is of all records. Prints
      "levels loss suppressed" of the best (loss, then sum of levels,
      then levels), or "none". Nodes are visited in the order of a lower
      bound of their loss (nothing suppressed), stopping when the bound
      passes the best loss: the answer of visiting every node, sooner.
"""
import itertools, math, sys

def read_rows(path):
    with open(path, newline="") as f:
        lines = [l.rstrip("\r") for l in f.read().split("\n")]
    header = lines[0].split(";")
    return header, [l.split(";") for l in lines[1:] if l]

def hierarchy(hdir, col):
    with open("%s/adult_hierarchy_%s.csv" % (hdir, col)) as f:
        return {r[0]: r for r in (l.rstrip("\r\n").split(";") for l in f if l.strip())}

def tree_emd(cls_counts, size, overall, total, hier, height):
    extra = {}
    for leaf, row in hier.items():
        e = cls_counts.get(leaf, 0) / size - overall.get(leaf, 0) / total
        for lvl in range(0, height):  # the node at each level below the top
            key = (lvl, row[lvl])
            extra[key] = extra.get(key, 0.0) + e
    return sum(abs(v) for v in extra.values()) / (2 * height)

def load(argv):
    data, hdir, sens, qis = argv[0], argv[1], argv[2], argv[3].split(",")
    header, rows = read_rows(data)
    si = header.index(sens)
    qi_idx = [header.index(q) for q in qis]
    hs = hierarchy(hdir, sens)
    height = len(next(iter(hs.values()))) - 1
    qh = [hierarchy(hdir, q) for q in qis]
    # records grouped by (QI values, sensitive value): the lattice walk
    # then works on groups, not on 30,162 records
    groups = {}
    for r in rows:
        key = (tuple(r[i] for i in qi_idx), r[si])
        groups[key] = groups.get(key, 0) + 1
    overall = {}
    for (_, s), n in groups.items():
        overall[s] = overall.get(s, 0) + n
    return qis, qh, hs, height, groups, overall, len(rows)

def classes(lv, qh, groups):
    out = {}
    for (vals, s), n in groups.items():
        g = tuple(h[v][l] for h, v, l in zip(qh, vals, lv))
        c = out.setdefault(g, {})
        c[s] = c.get(s, 0) + n
    return out

def main():
    mode, argv = sys.argv[1], sys.argv[2:]
    qis, qh, hs, height, groups, overall, n = load(argv)
    if mode == "max-emd":
        lv = [int(x) for x in argv[4].split(",")]
        cl = classes(lv, qh, groups)
        print("%.6f" % max(tree_emd(c, sum(c.values()), overall, n, hs, height) for c in cl.values()))
        return
    k, t, pct = int(argv[4]), float(argv[5]), float(argv[6])
    limit = math.floor(pct / 100 * n + 1e-9)
    levels = [len(next(iter(h.values()))) for h in qh]
    D = [len(h) for h in qh]
    under = [[{} for _ in range(levels[j])] for j in range(len(qis))]
    for j, h in enumerate(qh):
        for row in h.values():
            for l in range(levels[j]):
                under[j][l][row[l]] = under[j][l].get(row[l], 0) + 1
    def loss_of(lv, supp, cl, bad):
        logsum = 0.0
        for j in range(len(qis)):
            if cl is None:  # no suppression: every record under its label
                agg = agg0[j][lv[j]]
            else:
                agg = supp + sum(sum(c.values()) * under[j][lv[j]][g[j]] / D[j]
                                 for g, c in cl.items() if g not in bad)
            l = 0.0
            if D[j] > 1:
                y = (agg - n / D[j]) / (n - n / D[j])
                l = math.floor(y * 1e10) / 1e10 if y > 0 else 0.0
            logsum += math.log1p(l)
        return math.expm1(logsum / len(qis))
    # agg0[j][l]: the loss sum of QI j at level l with nothing suppressed.
    # A suppressed record counts 1, never less than its label's share, so
    # loss_of(lv, 0 suppressed) bounds a node's loss from below: nodes are
    # visited by that bound and the walk stops once the bound passes the
    # best loss found (branch and bound; the same answer as visiting all).
    per_value = [{} for _ in qis]
    for (vals, _), c in groups.items():
        for j, v in enumerate(vals):
            per_value[j][v] = per_value[j].get(v, 0) + c
    agg0 = [[sum(c * under[j][l][qh[j][v][l]] / D[j] for v, c in per_value[j].items())
             for l in range(levels[j])] for j in range(len(qis))]
    nodes = sorted(itertools.product(*[range(m) for m in levels]),
                   key=lambda lv: round(loss_of(lv, 0, None, None), 12))
    best = None
    visited = 0
    for lv in nodes:
        if best is not None and round(loss_of(lv, 0, None, None), 12) > best[0][0]:
            break
        visited += 1
        cl = classes(lv, qh, groups)
        bad = set()
        supp = 0
        for g, c in cl.items():  # stops as soon as the node is infeasible
            size = sum(c.values())
            if size < k or (t > 0 and tree_emd(c, size, overall, n, hs, height) > t + 1e-12):
                bad.add(g)
                supp += size
                if supp > limit:
                    break
        if supp > limit:
            continue
        loss = loss_of(lv, supp, cl, bad)
        key = (round(loss, 12), sum(lv), lv)
        if best is None or key < best[0]:
            best = (key, loss, supp)
    sys.stderr.write("nodes visited: %d of %d\n" % (visited, len(nodes)))
    print("none" if best is None else
          "%s %.9f %d" % (",".join(map(str, best[0][2])), best[1], best[2]))

main()
