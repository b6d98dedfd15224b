#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""tests/scale/compare_reports.py KIND ONE DASK [PART.csv ...] - compares
deid-dask's combined run report (KIND report) or processing record (KIND
record, and its Markdown beside it) with one machine's `deid run --report`
or `--record` on the same input and rules, field by field.

Every field must be equal but these (README "Sharded runs"):
  generated_at, processed_at   the time each was written
  utility                      left out of the combined ones (the input's
                               distributions are in no summary)
  output.file (record)         the joined file's name, not one machine's -o
  parts, output (report)       added: the delivery; checked here against
                               the files themselves (SHA-256 by hashlib,
                               records counted by the csv module)
Exits 1 naming every other difference.
"""
import csv
import hashlib
import json
import sys

MAY_DIFFER = {"generated_at", "processed_at", "utility"}


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def records(path):
    with open(path, newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def walk(one, got, where, problems):
    if isinstance(one, dict) and isinstance(got, dict):
        for key in sorted(set(one) | set(got)):
            if where == "" and key in MAY_DIFFER:
                continue
            if key not in got:
                problems.append(f"{where}.{key}: missing")
            elif key not in one:
                problems.append(f"{where}.{key}: not in one machine's")
            else:
                walk(one[key], got[key], f"{where}.{key}", problems)
    elif isinstance(one, list) and isinstance(got, list) and len(one) == len(got):
        for i, (a, b) in enumerate(zip(one, got)):
            walk(a, b, f"{where}[{i}]", problems)
    elif one != got:
        problems.append(f"{where}: {json.dumps(one)[:80]} (one machine) != {json.dumps(got)[:80]}")


def check_parts(parts, files, problems):
    if [p["sha256"] for p in parts] != [sha256(f) for f in files]:
        problems.append("parts: the digests are not those of the part files")
    if [p["records"] for p in parts] != [records(f) for f in files]:
        problems.append("parts: the record counts are not those of the part files")


def markdown_lines(path, skip_section):
    """The Markdown's lines but the section headed skip_section."""
    out, skipping = [], False
    with open(path, encoding="utf-8") as f:
        for line in f.read().split("\n"):
            if line.startswith("## "):
                skipping = line.startswith(skip_section)
            if not skipping:
                out.append(line)
    return [line for line in out if line]


def main(kind, one_path, got_path, part_files):
    one, got = json.load(open(one_path)), json.load(open(got_path))
    problems = []
    if "utility" in got:
        problems.append(".utility: present (its figures cannot be merged)")
    if kind == "report":
        for key in ("parts", "output"):
            if key not in got:
                problems.append(f".{key}: missing")
        delivered = got.pop("output", None)
        check_parts(got.pop("parts", []), part_files, problems)
        if delivered and delivered["records"] != one["records_written"]:
            problems.append(".output.records is not records_written")
        if delivered and delivered["file"] and delivered["sha256"] != sha256(delivered["file"]):
            problems.append(".output.sha256 is not the joined file's")
    else:
        check_parts(got.pop("parts", []), part_files, problems)
        one["output"].pop("file")
        got["output"].pop("file")
        a = markdown_lines(one_path[:-5] + ".md", "## 유용성")
        b = markdown_lines(got_path[:-5] + ".md", "## 분할 출력")
        if len(a) != len(b):
            problems.append(f"Markdown: {len(a)} lines (one machine), {len(b)}")
        for x, y in zip(a, b):
            if x.startswith("| 처리 일시 / processed at |") and y.startswith("| 처리 일시 / processed at |"):
                continue
            if x.startswith("| 출력 / output |") and y.startswith("| 출력 / output |"):
                x, y = x.split(":", 1)[1], y.split(":", 1)[1]  # but the file's name
            if x != y:
                problems.append(f"Markdown: {x[:70]!r} != {y[:70]!r}")
    walk(one, got, "", problems)
    for p in problems:
        print(f"compare_reports: {got_path}: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]))
