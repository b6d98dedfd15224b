#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tests/risk/risk_models.py - an independent computation of the risk
figures of `deid check` (README "Risk models"), written from the
definitions and the papers' formulas as ARX states them, not from deid's C:

  python3 risk_models.py [--delimiter C] [--token T] [--population FILE]
      [--count COL] [--sampling-fraction F] --quasi a,b,c INPUT REPORT.json

reads INPUT itself (Python's csv module), computes every figure, and
compares each with the "risk" object of deid's JSON report REPORT.json.
Prints one line per figure ("ok NAME" or "FAIL NAME: ..."), exits 1 on a
failure. Numbers must agree within TOLERANCE (relative; absolute near 0).

Differences in method from deid, on purpose:
 - hypergeometric probabilities (Zayatz) are exact rational products;
 - the Pitman likelihood equations are summed term by term (no digamma);
 - the SNB equations are solved with a finite-difference Jacobian.
"""
import argparse
import csv
import json
import math
import random
import sys
from collections import Counter
from fractions import Fraction

TOLERANCE = 1e-9


def read_classes(path, delimiter, quasi, token):
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = csv.reader(fh, delimiter=delimiter)
        header = next(rows)
        at = [header.index(q) for q in quasi]
        classes = Counter()
        for row in rows:
            if not row:
                continue
            key = tuple(row[i] for i in at)
            if all(v == token for v in key):
                continue  # suppressed: in no class
            classes[key] += 1
    return classes


def read_population(path, delimiter, quasi, count):
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = csv.reader(fh, delimiter=delimiter)
        header = next(rows)
        at = [header.index(q) for q in quasi]
        ci = header.index(count)
        pop = {}
        for row in rows:
            if row:
                pop[tuple(row[i] for i in at)] = int(row[ci])
    return pop


def hyper_one(N, K, n):
    """P(X = 1), X ~ hypergeometric(N items, K marked, n drawn), exactly:
    K * C(N-K, n-1) / C(N, n)."""
    if K - 1 > N - n:
        return Fraction(0)
    num = Fraction(K * n)
    for j in range(K - 1):
        num *= N - n - j
    den = 1
    for j in range(K):
        den *= N - j
    return num / den


def zayatz(hist, n, N):
    u = sum(hist.values())
    c1 = hist.get(1, 0)
    allp = sum(Fraction(cnt, u) * hyper_one(N, size, n) for size, cnt in hist.items())
    cond = Fraction(c1, u) * hyper_one(N, 1, n) / allp
    return float(c1 * cond * Fraction(N, n))


def pitman(hist, n, N):
    """Maximum-likelihood (theta, alpha) of the Pitman sampling formula
    (Hoshino 2001): the score equations summed term by term, Newton's
    method from ARX's moment start, then Gamma(t+1)/Gamma(t+a) N^a."""
    u = sum(hist.values())
    c1 = hist.get(1, 0)
    c2 = hist.get(2, 0) or 1
    c = c1 * (c1 - 1) / c2
    t = (n * u * c - c1 * (n - 1) * (2 * u + c)) / (2 * c1 * u + c1 * c - n * c)
    a = (t * (c1 - n) + (n - 1) * c1) / (n * u)
    big = [(s, m) for s, m in hist.items() if s > 1]

    def score(t, a):
        g = [t + i * a for i in range(1, u)]
        f0 = math.fsum(1 / x for x in g) - math.fsum(1 / (t + i) for i in range(1, n))
        f1 = math.fsum(i / x for i, x in zip(range(1, u), g)) - math.fsum(
            m * math.fsum(1 / (j - a) for j in range(1, s)) for s, m in big)
        j00 = math.fsum(1 / (t + i) ** 2 for i in range(1, n)) - math.fsum(1 / x ** 2 for x in g)
        j01 = -math.fsum(i / x ** 2 for i, x in zip(range(1, u), g))
        j11 = -math.fsum(i * i / x ** 2 for i, x in zip(range(1, u), g)) - math.fsum(
            m * math.fsum(1 / (j - a) ** 2 for j in range(1, s)) for s, m in big)
        return f0, f1, j00, j01, j01, j11

    for _ in range(200):
        try:
            f0, f1, j00, j01, j10, j11 = score(t, a)
        except (ZeroDivisionError, OverflowError, ValueError):
            return None
        det = j00 * j11 - j01 * j10
        if det == 0 or det != det:
            return None
        dt = (j11 * f0 - j01 * f1) / det
        da = (j00 * f1 - j10 * f0) / det
        # damped: halve the step until theta >= 0 and alpha < 1
        for _ in range(60):
            if t - dt >= 0 and a - da < 1:
                break
            dt, da = dt / 2, da / 2
        else:
            return None
        t, a = t - dt, a - da
        if abs(dt) <= 1e-12 * abs(t) and abs(da) <= 1e-12 * abs(a):
            break
    else:
        return None
    if a == 0 or t + a <= 0:
        return None
    v = math.exp(math.lgamma(t + 1) - math.lgamma(t + a) + a * math.log(N))
    return v if 0 < v <= N else None


def snb(hist, n, N):
    """The SNB model (Chen & McNulty 1998) as ARX states it, Shlosser's
    estimate of the population classes K included (with ARX's "- 1" per
    histogram bar; (1-f)^i (1+f)^i written (1-f^2)^i)."""
    f = n / N
    u = sum(hist.values())
    c1, c2 = hist.get(1, 0), hist.get(2, 0)
    va = vb = vc = vd = 0.0
    for s, m in sorted(hist.items()):
        va += s * f * f * (1 - f * f) ** (s - 1) * m
        vb += (1 - f * f) ** s * m - 1
        vc += (1 - f) ** s * m
        vd += s * f * (1 - f) ** (s - 1) * m
    K = u + c1 * (va / vb) * (vc / vd) ** 2

    def eq(a, b):
        d = (1 - f) * (1 - b)
        x = K * f * (b / (1 - d)) ** a * (a * d / (1 - d) + 1) - c1
        y = K * a * b ** a * f * f * (1 - b) / 2 * (1 - d) ** (a + 2) * (2 - (1 - a) * d) - c2
        if isinstance(x, complex) or isinstance(y, complex):
            raise ValueError
        return x, y

    def newton(a, b):
        polish = 0
        for _ in range(1000):
            try:
                x, y = eq(a, b)
                # ARX's accuracy, then on to the root (a step that no longer moves)
                if abs(x) <= 1e-6 and abs(y) <= 1e-6:
                    polish += 1
                    if polish > 20:
                        return a, b
                h = 1e-7
                xa, ya = eq(a + h * max(1, abs(a)), b)
                xb, yb = eq(a, b + h * max(1, abs(b)))
            except (ValueError, ZeroDivisionError, OverflowError):
                return None
            j00, j10 = (xa - x) / (h * max(1, abs(a))), (ya - y) / (h * max(1, abs(a)))
            j01, j11 = (xb - x) / (h * max(1, abs(b))), (yb - y) / (h * max(1, abs(b)))
            det = j00 * j11 - j01 * j10
            if det == 0 or det != det:
                return None
            da, db = (j11 * x - j01 * y) / det, (j00 * y - j10 * x) / det
            a, b = a - da, b - db
            if a != a or b != b:
                return None
            if polish and abs(da) <= 1e-12 * abs(a) and abs(db) <= 1e-12 * abs(b):
                return a, b
        return None

    rnd = random.Random(7)
    for start in [(1.0, 1.0)] + [(rnd.random(), rnd.random()) for _ in range(30)]:
        r = newton(*start)
        if r is not None:
            v = K * r[1] ** r[0]
            if v == v and v > 0 and math.isfinite(v):
                return v
    return None


class Compare:
    def __init__(self):
        self.failed = 0

    def num(self, name, got, want):
        if got is None or want is None:
            ok = got is None and want is None
        else:
            ok = abs(got - want) <= TOLERANCE * max(abs(want), 1e-3)
        self.line(name, ok, f"deid {got!r}, independent {want!r}")

    def same(self, name, got, want):
        self.line(name, got == want, f"deid {got!r}, independent {want!r}")

    def line(self, name, ok, detail):
        if ok:
            print(f"ok {name}")
        else:
            self.failed += 1
            print(f"FAIL {name}: {detail}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--delimiter", default=",")
    p.add_argument("--token", default="*")
    p.add_argument("--population")
    p.add_argument("--count", default="count")
    p.add_argument("--sampling-fraction", type=float)
    p.add_argument("--quasi", required=True)
    p.add_argument("--k", type=int, default=5)
    p.add_argument("input")
    p.add_argument("report")
    o = p.parse_args()
    quasi = o.quasi.split(",")
    classes = read_classes(o.input, o.delimiter, quasi, o.token)
    with open(o.report, encoding="utf-8") as fh:
        risk = json.load(fh)["risk"]
    n = sum(classes.values())
    hist = Counter(classes.values())
    cmp = Compare()

    uniques = sum(1 for s in classes.values() if s == 1)
    cmp.same("sample_uniques", risk["sample_uniques"], uniques)
    cmp.num("sample_uniqueness", risk["sample_uniqueness"], uniques / n)
    for item in risk["records_in_classes_below"]:
        below = sum(s for s in classes.values() if s < item["size"])
        cmp.same(f"records below {item['size']}", item["records"], below)
        cmp.num(f"share below {item['size']}", item["share"], below / n)

    # journalist: risk 1/F per record, F the population size of its class
    pop = read_population(o.population, o.delimiter, quasi, o.count) if o.population else classes
    F = {key: pop[key] for key in classes}
    j = risk["journalist"]
    cmp.num("journalist highest", j["highest"], max(1 / F[key] for key in classes))
    cmp.num("journalist average", j["average"], sum(s / F[key] for key, s in classes.items()) / n)
    above = sum(s for key, s in classes.items() if 1 / F[key] > 1 / o.k)
    cmp.same("journalist records above", j["records_above_threshold"], above)
    cmp.num("marketer", risk["marketer"], sum(s / F[key] for key, s in classes.items()) / n)

    if o.sampling_fraction:
        N = round(n / o.sampling_fraction)
        pu = risk["population_uniqueness"]
        cmp.same("population size", pu["population_size"], N)
        if hist.get(1, 0) == 0:
            est = {"zayatz": 0.0, "pitman": 0.0, "snb": 0.0}
        else:
            est = {"zayatz": zayatz(hist, n, N), "pitman": pitman(hist, n, N), "snb": snb(hist, n, N)}
        for name, want in est.items():
            got = pu[name]["uniques"] if pu[name]["available"] else None
            cmp.num(f"{name} uniques", got, want)
            cmp.num(f"{name} share", pu[name]["share"], None if want is None else want / N)
        if hist.get(1, 0) == 0:
            pick = None
        elif n / N <= 0.1:
            pick = "pitman" if est["pitman"] else "zayatz"
        elif est["snb"]:
            pick = "zayatz" if est["zayatz"] < est["snb"] else "snb"
        else:
            pick = "zayatz"
        cmp.same("decision rule", pu["decision_rule"]["model"], pick)
    print(f"risk: {'FAILED ' + str(cmp.failed) if cmp.failed else 'all figures agree'}")
    sys.exit(1 if cmp.failed else 0)


if __name__ == "__main__":
    main()
