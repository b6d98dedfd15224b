#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tests/html/page_check.py - checks one HTML report as Chromium rendered it.

usage: page_check.py check|run HTML DOM JSON INPUT_CSV OUTPUT_CSV|- K VERDICT THRESHOLD

- every figure the page marks (data-figure="json.path" data-value="v")
  equals the JSON report's member at that path; figures under "html."
  (not in the JSON: the records whose risk 1/class size is above
  THRESHOLD) are recomputed here from the CSV;
- the verdict element says VERDICT (the label for met / not met);
- every value table equals this script's own count from the CSV: over
  the classes (QI tuples, records whose QIs are all "*" left out) of at
  least K records, the values held by at least K such records, most
  first, ties by bytes, at most 10 (check: the input; run: "before" is
  the input, whose QIs the rules keep, and "as written" the output);
- no QI value held by fewer than K records of the input, no value of a
  direct identifier (column "name") and no sensitive value (column
  "diag") appears anywhere in the HTML file;
- the file holds no "http:", "https:" or "//".
Written from the definitions in README "Privacy check", independently of
the code under test. Prints one line; exits 1 on the first problem.
"""
import csv
import json
import sys
from collections import Counter, defaultdict
from html.parser import HTMLParser

QI = ["age", "sex", "zip"]
TOP = 10


def fail(msg):
    print("html: FAIL: " + msg)
    sys.exit(1)


class Page(HTMLParser):
    """Collects the marked figures, the verdict text and the value tables."""

    def __init__(self):
        super().__init__()
        self.figures = []          # (path, value, text)
        self.open_figs = []        # stack of [path, value, text, depth]
        self.depth = 0
        self.tables = []           # value tables: (caption, [[cells]])
        self.in_values = False
        self.caption = None
        self.cell = None
        self.row = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.depth += 1
        for f in self.open_figs:
            pass
        if "data-figure" in a:
            self.open_figs.append([a["data-figure"], a.get("data-value"), "", self.depth])
        if tag == "table" and a.get("class") == "values":
            self.in_values = True
            self.tables.append(["", []])
        elif self.in_values and tag == "caption":
            self.caption = ""
        elif self.in_values and tag == "tr":
            self.row = []
        elif self.in_values and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if self.open_figs and self.open_figs[-1][3] == self.depth:
            path, value, text, _ = self.open_figs.pop()
            self.figures.append((path, value, text))
        self.depth -= 1
        if not self.in_values:
            return
        if tag == "caption":
            self.tables[-1][0] = self.caption
            self.caption = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[-1][1].append(self.row)
            self.row = None
        elif tag == "table":
            self.in_values = False

    def handle_data(self, data):
        for f in self.open_figs:
            f[2] += data
        if self.caption is not None:
            self.caption += data
        if self.cell is not None:
            self.cell += data


def json_at(doc, path):
    node = doc
    for part in path.split("."):
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise KeyError(path)
    return node


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def classes_of(rows):
    sizes = Counter()
    for r in rows:
        key = tuple(r[q] for q in QI)
        if all(v == "*" for v in key):
            continue
        sizes[key] += 1
    return sizes


def shown_values(rows, q, k):
    """The rows a value table must hold for QI q: [(value, count)]."""
    per_value = Counter()
    for key, size in classes_of(rows).items():
        if size >= k:
            per_value[key[QI.index(q)]] += size
    kept = [(v, n) for v, n in per_value.items() if n >= k]
    kept.sort(key=lambda vn: (-vn[1], vn[0].encode()))
    return kept[:TOP]


def table_values(table):
    """(value, count) rows of a rendered value table, without its head and
    its closing "not shown" row (or "no value can be shown" row)."""
    body = table[1][1:-1]
    return [(r[0], int(r[1])) for r in body if len(r) == 2]


def main():
    mode, html_path, dom_path, json_path, in_csv, out_csv, k, verdict, threshold = sys.argv[1:10]
    k, threshold = int(k), float(threshold)
    raw = open(html_path, encoding="utf-8").read()
    dom = open(dom_path, encoding="utf-8").read()
    report = json.load(open(json_path, encoding="utf-8"))
    rows_in = read_rows(in_csv)
    rows_out = read_rows(out_csv) if out_csv != "-" else None

    for bad in ("http:", "https:", "//"):
        if bad in raw:
            fail("%s holds %r" % (html_path, bad))

    page = Page()
    page.feed(dom)
    if not page.figures:
        fail("the rendered page marks no figure")

    measured = rows_out if mode == "run" else rows_in
    compared = 0
    for path, value, text in page.figures:
        if ".html." in "." + path:
            sizes = classes_of(measured).values()
            want = None
            if path.endswith("records_above_threshold"):
                want = sum(n for n in sizes if 1.0 / n > threshold)
            elif ".risk_band." in path:
                # records by class size 1, 2, 3-4, 5-9, 10-19, 20-49, 50-99, 100+
                lower = [1, 2, 3, 5, 10, 20, 50, 100, float("inf")]
                b = int(path.split(".")[-2])
                want = sum(n for n in sizes if lower[b] <= n < lower[b + 1])
            if want is not None:
                if int(value) != want:
                    fail("%s: page %s, own count %d" % (path, value, want))
                compared += 1
                continue
            fail("unknown page figure %s" % path)
        try:
            want = json_at(report, path)
        except (KeyError, IndexError, ValueError):
            fail("page figure %s is not in the JSON report" % path)
        if isinstance(want, bool):
            ok = value == ("true" if want else "false")
        else:
            ok = want is not None and float(value) == float(want)
        if not ok:
            fail("%s: page %s, JSON %r" % (path, value, want))
        compared += 1
    prefix = "privacy." if mode == "run" else ""
    keys = ["met", "records", "classes", "smallest_class", "risk_max", "risk_share",
            "result.k", "quasi.0.distinct", "sensitive.0.max_t"]
    if mode == "check":  # the checks run with --sampling-fraction
        keys += ["risk.sample_uniques", "risk.journalist.average", "risk.marketer",
                 "risk.population_uniqueness.zayatz.share"]
    for key in keys:
        if not any(p == prefix + key for p, _, _ in page.figures):
            fail("the page does not show %s" % (prefix + key))

    verdicts = [t for p, _, t in page.figures if p == prefix + "met"]
    if verdicts[0].strip() != verdict:
        fail("the verdict reads %r, not %r" % (verdicts[0], verdict))

    # value tables, in page order: check: one per QI; run: before, after per QI
    want_tables = []
    for q in QI:
        if mode == "check":
            want_tables.append((q, shown_values(rows_in, q, k)))
        else:
            want_tables.append((q + " before", shown_values(rows_in, q, k)))
            want_tables.append((q + " written", shown_values(rows_out, q, k)))
    if len(page.tables) != len(want_tables):
        fail("%d value tables, expected %d" % (len(page.tables), len(want_tables)))
    for (name, want), table in zip(want_tables, page.tables):
        got = table_values(table)
        if got != want:
            fail("value table of %s: page %r, own count %r" % (name, got, want))

    # nothing rare, no identifier, no sensitive value
    for q in QI:
        counts = Counter(r[q] for r in rows_in)
        for v, n in counts.items():
            if n < k and v != "*" and v in raw:
                fail("value %r of %s (held %d times, k=%d) appears in the page" % (v, q, n, k))
    for col in ("name", "diag"):
        for v in set(r[col] for r in rows_in if col in r):
            if v in raw:
                fail("value %r of column %s appears in the page" % (v, col))

    print("html: %s page: %d figures equal the JSON report, %d value tables equal an own "
          "count, no rare value" % (mode, compared, len(page.tables)))


if __name__ == "__main__":
    main()
