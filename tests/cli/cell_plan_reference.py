#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Independent reference for `deid plan` with `suppress ... how=cell` and
level=auto (README "Cell suppression", "With level=auto"), used by
tests/cli/cases/plan-cell-exhaustive.

  cell_plan_reference.py DEID N

On N random small inputs with hierarchies (a lattice of 40 or 120 nodes),
every node is generalized record by record, the documented greedy is run
on it (cell_reference.greedy, written apart from deid's C), its cells are
held against floor(max x records) x QIs, and the node is scored with each
suppressed cell counting 1 in its QI's sum of shares; the feasible node of
least loss (ties: lower sum of levels, then the smaller vector) is the
answer. Some inputs bound age (min= max=), weigh zip (weight=2) or use
metric=discernibility (written classes' squared sizes, n per record whose
QIs are all `*`). deid plan
--explain --json must agree on the node, its cells and
loss, and on the cells and feasibility of every --explain probe; deid run
must write exactly those cells (recounted against the input generalized
at the node in Python) and report the same count, the same bytes with
-j 2 and small chunks, and its output must be k-anonymous with `*` cells
as values.
"""
import csv
import itertools
import json
import math
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cell_reference import TOKEN, cells_changed, classes, default_order, greedy  # noqa: E402


def hierarchies(odd):
    """name -> rows (level 0 first). odd: a QI whose `*` sits at level 1
    for one value and is not the token above it (token not absorbing)."""
    h = {}
    h["age"] = [[str(a), "%d-%d" % (a // 5 * 5, a // 5 * 5 + 4), "%d-%d" % (a // 10 * 10, a // 10 * 10 + 9),
                 "%d-%d" % (a // 20 * 20, a // 20 * 20 + 19), TOKEN] for a in range(20, 60)]
    h["zip"] = [[z, z[:3] + "*", z[:2] + "**", TOKEN] for z in ("%d" % (1300 + i) for i in range(6))] + \
               [[z, z[:3] + "*", z[:2] + "**", TOKEN] for z in ("%d" % (1410 + i) for i in range(6))]
    h["sex"] = [["M", TOKEN], ["F", TOKEN]]
    if odd:
        h["grp"] = [["a", "ab", TOKEN], ["b", "ab", TOKEN], ["c", TOKEN, "cd"], ["d", "dd", "cd"]]
    return h


def loss_of(rows_gen, depth, order, h, names, levels, n, weights):
    prod = 1.0
    for q, name in enumerate(names):
        d = len(h[name])
        under = {}
        for r in h[name]:
            under[r[levels[q]]] = under.get(r[levels[q]], 0) + 1
        agg = 0.0
        for i, r in enumerate(rows_gen):
            if all(v == TOKEN for v in r) or q in order[:depth[i]]:
                agg += 1.0
            else:
                agg += under[r[q]] / d
        lo = n / d
        x = (agg - lo) / (n - lo) if d > 1 and n - lo > 0 else 0.0
        prod *= (1 + (math.floor(x * 1e10) / 1e10 if x > 0 else 0.0)) ** weights[q]
    return prod ** (1 / sum(weights)) - 1


def evaluate(rows, h, names, levels, k, named, weights):
    lookup = [{r[0]: r for r in h[name]} for name in names]
    gen = [tuple(lookup[q][v][levels[q]] for q, v in enumerate(r)) for r in rows]
    order = default_order(gen, names, named)
    depth, out = greedy(gen, k, order)
    cells = cells_changed(gen, out)
    if weights is None:
        # discernibility: written classes' squared sizes, n per suppressed record
        sizes = classes(out)
        supp = sum(1 for r in out if all(v == TOKEN for v in r))
        loss = float(sum(z * z for z in sizes.values()) + supp * len(rows))
    else:
        loss = loss_of(gen, depth, order, h, names, levels, len(rows), weights)
    return gen, out, cells, sum(1 for x in depth if x), loss


def deid(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def one(deid_bin, rng, case, stats):
    odd = case % 2 == 1
    h = hierarchies(odd)
    names = list(h)
    m = len(names)
    n = rng.randint(40, 120)
    k = rng.randint(2, 5)
    pct = rng.choice([0, 5, 10, 20, 40])
    named = rng.choice([[], [], ["zip"], ["sex", "age"]])
    # planner controls on some: age within min..max, a weight on zip
    bounds = rng.choice([None, None, (1, 3), (0, 2)])
    weights = [1.0] * m
    controls = {name: "" for name in names}
    if bounds:
        controls["age"] = " min=%d max=%d" % bounds
    if rng.random() < 0.3:
        weights[1] = 2.0
        controls["zip"] = " weight=2"
    metric = ""
    if rng.random() < 0.25:
        metric = " metric=discernibility"
        controls["zip"] = ""
        weights = None
    skew = {name: [rng.random() ** 3 for _ in h[name]] for name in names}
    rows = [tuple(rng.choices([r[0] for r in h[name]], weights=skew[name])[0] for name in names)
            for _ in range(n)]
    for name in names:
        with open(name + ".csv", "w") as f:
            f.write("".join(";".join(r) + "\n" for r in h[name]))
    with open("in.csv", "w") as f:
        f.write(";".join(names) + "\n" + "".join(";".join(r) + "\n" for r in rows))
    order = " order=" + ",".join(named) if named else ""
    with open("cell.rules", "w") as f:
        f.write("input delimiter=;\n")
        for name in names:
            f.write("column %s hierarchy file=%s.csv level=auto%s\n" % (name, name, controls[name]))
        f.write("quasi %s\nrequire k=%d%s\nsuppress max=%d%% how=cell%s\n" % (" ".join(names), k, metric, pct, order))
    limit = math.floor(pct / 100 * n + 1e-9) * m
    # the reference: every node
    best, table = None, {}
    ranges = [range(len(h[x][0])) for x in names]
    if bounds:
        ranges[0] = range(bounds[0], bounds[1] + 1)
    for levels in itertools.product(*ranges):
        gen, out, cells, crec, loss = evaluate(rows, h, names, levels, k, named, weights)
        table[levels] = (cells, loss)
        if cells <= limit:
            key = (loss, sum(levels), levels)
            if best is None or key < best:
                best = key
    p = deid([deid_bin, "plan", "--explain", "--json", "-r", "cell.rules", "in.csv"])
    if best is None:
        assert p.returncode == 1 and '"found": false' in p.stdout, (case, p.returncode, p.stderr)
        stats["none"] += 1
        return
    assert p.returncode == 0, (case, p.stderr)
    plan = json.loads(p.stdout)
    got = tuple(plan["best"]["levels"])
    assert plan["suppression"] == {"how": "cell", "cell_limit": limit,
                                   "nodes_greedy": plan["suppression"]["nodes_greedy"]}, (case, plan["suppression"])
    # deid's node is the reference's, or ties it within rounding
    g_cells, g_loss = table[got]
    assert g_cells <= limit, (case, got, g_cells, limit)
    assert got == best[2] or (abs(g_loss - best[0]) < 1e-9 and sum(got) == best[1]), (case, got, best)
    assert plan["best"]["cells"] == g_cells, (case, plan["best"]["cells"], g_cells)
    assert abs(plan["best"]["score"] - g_loss) <= 1e-9 * max(1.0, g_loss), (case, plan["best"]["score"], g_loss)
    for q, e in enumerate(plan.get("explain", [])):
        if e is None:
            continue
        lv = list(got)
        lv[q] -= 1
        assert not (q == 0 and bounds and got[0] == bounds[0]), (case, "probe below min=")
        c, _ = table[tuple(lv)]
        assert e["node"]["cells"] == c and e["feasible"] == (c <= limit), (case, q, e, c)
        stats["probes"] += 1
    # the run writes those cells, and says so, the same bytes for any
    # thread count and chunk size
    r = deid([deid_bin, "run", "-r", "cell.rules", "-o", "out.csv", "in.csv"])
    assert r.returncode == 0, (case, r.stderr)
    r2 = deid([deid_bin, "run", "-q", "-j", "2", "--chunk-size", "7", "-r", "cell.rules", "-o", "out2.csv", "in.csv"])
    assert r2.returncode == 0 and open("out.csv").read() == open("out2.csv").read(), (case, r2.stderr)
    reported = 0
    for line in r.stderr.splitlines():
        if line.startswith("suppressed by the requirement:"):
            reported = int(line.split(":")[1].split()[0])
    with open("out.csv") as f:
        out = [tuple(x) for x in list(csv.reader(f, delimiter=";"))[1:]]
    gen, _, _, _, _ = evaluate(rows, h, names, got, k, named, weights)
    recount = cells_changed(gen, out)
    assert recount == g_cells == reported, (case, recount, g_cells, reported)
    assert all(s >= k for s in classes(out).values()), case
    stats["agree"] += 1
    stats["bounds"] += bool(bounds)
    stats["weights"] += weights is not None and weights[1] != 1
    stats["dm"] += weights is None
    stats["cells"] += g_cells > 0
    # record suppression at the same limit: the node deid chose may be one
    # it cannot use, and its best node is never cheaper than deid's
    def records_to_suppress(levels):
        gen = evaluate(rows, h, names, levels, k, named, weights)[0]
        sizes = classes(gen)
        return sum(1 for r in gen if r in sizes and sizes[r] < k)
    if records_to_suppress(got) > limit // m:
        stats["cells_only"] += 1
    rfeasible = [lv for lv in table if records_to_suppress(lv) <= limit // m]
    if rfeasible:
        rbest = min(table[lv][1] for lv in rfeasible)
        assert g_loss <= rbest + 1e-12, (case, g_loss, rbest)
        stats["better"] += g_loss < rbest - 1e-12

def main():
    deid_bin, count = sys.argv[1], int(sys.argv[2])
    rng = random.Random(20261207)
    stats = {"agree": 0, "none": 0, "probes": 0, "cells": 0, "cells_only": 0, "better": 0,
             "bounds": 0, "weights": 0, "dm": 0}
    for case in range(count):
        one(deid_bin, rng, case, stats)
    print("instances %d: deid agrees on %d, no feasible node in %d" % (count, stats["agree"], stats["none"]))
    print("explain probes checked: %s" % (stats["probes"] > 0))
    print("plans that suppress cells: %s" % (stats["cells"] > 0))
    print("with min=/max=: %s; with weight=: %s; with metric=discernibility: %s"
          % (stats["bounds"] > 0, stats["weights"] > 0, stats["dm"] > 0))
    print("chosen node infeasible with records: %s; cheaper than any record-feasible node: %s" % (stats["cells_only"] > 0, stats["better"] > 0))


if __name__ == "__main__":
    main()
