#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Independent reference for `suppress ... how=cell` (README "Cell
suppression"), used by tests/cli/cases/suppress-cell-*.

  cell_reference.py DEID compare N     N random inputs: deid's output and
                                       cell counts equal this file's greedy
  cell_reference.py DEID exhaustive N  N tiny inputs: the fewest cells that
                                       reach k (exhaustive) <= deid's cells
                                       <= how=quasi's cells; output k-anonymous

The greedy here works record by record on Python tuples; deid works on its
class table. A suppressed cell is its own value (`*`), as `deid check`
counts it; a record whose QIs are all `*` is suppressed and exempt.
"""
import csv
import io
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile

TOKEN = "*"


def classes(rows):
    sizes = {}
    for r in rows:
        if not all(v == TOKEN for v in r):
            sizes[r] = sizes.get(r, 0) + 1
    return sizes


def k_anonymous(rows, k):
    return all(n >= k for n in classes(rows).values())


def default_order(rows, names, named):
    """order= names first, then by decreasing distinct values (over
    records not wholly suppressed), earlier QI on a tie."""
    m = len(names)
    kept = [r for r in rows if not all(v == TOKEN for v in r)]
    order = [names.index(n) for n in named]
    rest = [q for q in range(m) if q not in order]
    rest.sort(key=lambda q: (-len({r[q] for r in kept}), q))
    return order + rest


def greedy(rows, k, order):
    """Returns (depth per record, output rows)."""
    m = len(order)
    depth = [0] * len(rows)

    def written(i):
        r = list(rows[i])
        for q in order[:depth[i]]:
            r[q] = TOKEN
        return tuple(r)

    def deepen(i):
        while True:
            depth[i] += 1
            if depth[i] >= m or rows[i][order[depth[i] - 1]] != TOKEN:
                return

    sizes = classes(rows)
    for i, r in enumerate(rows):
        if r in sizes and sizes[r] < k:
            deepen(i)
    while True:
        out = [written(i) for i in range(len(rows))]
        sizes = classes(out)
        moved = False
        for i, r in enumerate(out):
            if r in sizes and sizes[r] < k and depth[i] < m:
                deepen(i)
                moved = True
        if not moved:
            return depth, out


def cells_changed(rows, out):
    return sum(a != b for r, o in zip(rows, out) for a, b in zip(r, o))


def quasi_cells(rows, k):
    sizes = classes(rows)
    return sum(sum(v != TOKEN for v in r) for r in rows if r in sizes and sizes[r] < k)


def random_rows(rng, n, m, alphabet):
    rows = []
    for _ in range(n):
        r = tuple(rng.choice(alphabet[q]) for q in range(m))
        rows.append(r)
    return rows


def run_deid(deid, rows, names, k, order, extra=()):
    with tempfile.TemporaryDirectory() as d:
        rules = os.path.join(d, "cell.rules")
        with open(rules, "w") as f:
            for n in names:
                f.write(f"column {n} keep\n")
            f.write("column note keep\n")
            f.write("quasi " + " ".join(names) + "\n")
            f.write(f"require k={k}\n")
            f.write("suppress max=100% how=cell" + (" order=" + ",".join(order) if order else "") + "\n")
        src = io.StringIO()
        w = csv.writer(src, lineterminator="\n")
        w.writerow(names + ["note"])
        for i, r in enumerate(rows):
            w.writerow(list(r) + [f"n{i}"])
        data = os.path.join(d, "in.csv")
        with open(data, "w") as f:
            f.write(src.getvalue())
        report = os.path.join(d, "r.json")
        p = subprocess.run([deid, "run", "-q", "-r", rules, "--report", report, *extra, data],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit(f"deid run failed ({p.returncode}): {p.stderr}")
        chk = subprocess.run([deid, "check", "-r", rules, "-"], input=p.stdout,
                             capture_output=True, text=True)
        with open(report) as f:
            rep = json.load(f)
        out = [tuple(r[:-1]) for r in csv.reader(io.StringIO(p.stdout))][1:]
        return out, rep["suppression"], chk.returncode


def compare(deid, n_cases):
    rng = random.Random(14)
    for case in range(n_cases):
        m = rng.randint(2, 4)
        names = [f"q{i}" for i in range(m)]
        alphabet = [[f"v{j}" for j in range(rng.randint(1, 6))] + ([TOKEN] if rng.random() < 0.3 else [])
                    for _ in range(m)]
        rows = random_rows(rng, rng.randint(0, 120), m, alphabet)
        k = rng.randint(2, 5)
        named = rng.sample(names, rng.randint(0, m)) if rng.random() < 0.5 else []
        order = default_order(rows, names, named)
        depth, want = greedy(rows, k, order)
        extra = ("-j", "2", "--chunk-size", "1K") if case % 2 else ("-j", "1")
        got, sup, check_rc = run_deid(deid, rows, names, k, named, extra)
        where = f"case {case} (k={k}, order={named}, {len(rows)} records)"
        if got != want:
            raise SystemExit(f"{where}: output differs from the reference")
        if sup["cells"] != cells_changed(rows, want):
            raise SystemExit(f"{where}: cells {sup['cells']}, reference {cells_changed(rows, want)}")
        per = {n: sum(r[q] != o[q] for r, o in zip(rows, want)) for q, n in enumerate(names)}
        if sup["cells_per_qi"] != per:
            raise SystemExit(f"{where}: cells per QI {sup['cells_per_qi']}, reference {per}")
        if sup["cells_if_quasi"] != quasi_cells(rows, k):
            raise SystemExit(f"{where}: cells_if_quasi differs")
        if not k_anonymous(want, k) or check_rc != 0:
            raise SystemExit(f"{where}: not k-anonymous (deid check exit {check_rc})")
    print(f"compare: {n_cases} inputs, output and counts equal the reference")


def fewest_cells(rows, k):
    """The fewest cells whose suppression makes rows k-anonymous (own-value
    semantics), by trying every set of cells in increasing size."""
    cells = [(i, q) for i, r in enumerate(rows) for q, v in enumerate(r) if v != TOKEN]
    for size in range(len(cells) + 1):
        for chosen in itertools.combinations(cells, size):
            out = [list(r) for r in rows]
            for i, q in chosen:
                out[i][q] = TOKEN
            if k_anonymous([tuple(r) for r in out], k):
                return size
    raise AssertionError("suppressing every cell always works")


def exhaustive(deid, n_cases):
    rng = random.Random(20889)
    optimal = 0
    for case in range(n_cases):
        m = rng.randint(2, 3)
        names = [f"q{i}" for i in range(m)]
        alphabet = [[f"v{j}" for j in range(rng.randint(1, 3))] for _ in range(m)]
        rows = random_rows(rng, rng.randint(2, 5), m, alphabet)
        k = rng.randint(2, 3)
        got, sup, check_rc = run_deid(deid, rows, names, k, [])
        best = fewest_cells(rows, k)
        where = f"case {case} (k={k}, {rows})"
        if not k_anonymous(got, k) or check_rc != 0:
            raise SystemExit(f"{where}: output not k-anonymous")
        if cells_changed(rows, got) != sup["cells"]:
            raise SystemExit(f"{where}: reported cells differ from the cells changed")
        if not best <= sup["cells"] <= quasi_cells(rows, k):
            raise SystemExit(f"{where}: cells {sup['cells']}, fewest {best}, how=quasi {quasi_cells(rows, k)}")
        optimal += sup["cells"] == best
    print(f"exhaustive: {n_cases} tiny inputs, fewest <= greedy <= how=quasi; greedy minimal in {optimal}")


if __name__ == "__main__":
    deid, mode, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    (compare if mode == "compare" else exhaustive)(deid, n)
