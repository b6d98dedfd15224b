# SPDX-License-Identifier: Apache-2.0
"""The combined report and processing record of a sharded run (deid-dask).

Each part of a run writes its own `deid run --report` and `--record`; what
is a sum over records (records read, written, removed, per-column counts)
is summed here. What to suppress every part decides from the merged
classes, and reports for the whole job: it must be the same in every part. The figures that depend on classes
(k, l, t, risk, histogram ...) are not merged here: they come whole from
`deid check --merge --json` over the written parts' summaries (the engine's
merge), and replace the part reports' privacy members. The utility figures
compare the input's distributions with the output's, which no summary
holds: the combined report and record leave them out (README "Sharded
runs" lists the fields that differ from one machine's report).

Nothing here reads a record's values: only the parts' reports, records and
digests of whole files.
"""

import datetime
import hashlib
import json
import os
import tempfile


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_digest(path):
    """(SHA-256 hex, size in bytes) of a whole file."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while True:
            block = f.read(1 << 20)
            if not block:
                break
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def staged(path, text=None):
    """A hidden temporary file beside path (mode 0600), holding text when
    given; returns its name. The caller renames it to path once the whole
    job succeeded (publish), or removes it: a reader never sees half a
    file, nor the files of a job that failed."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".deid-dask.", dir=os.path.dirname(os.path.abspath(path)))
    except OSError as e:
        raise OSError(e.errno, e.strerror, path) from None
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text or "")
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def publish(pending):
    """Renames every (temporary, final) pair into place."""
    for tmp, final in pending:
        os.replace(tmp, final)


def discard(pending):
    """Removes the temporary files of a job that failed."""
    for tmp, _ in pending:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class Mismatch(Exception):
    """The parts' reports disagree where they must not (names the field)."""


def same_in_every_part(values, where):
    """Mismatch naming where unless every part has the same value."""
    if any(v != values[0] for v in values):
        raise Mismatch(f"the parts' reports differ in {where}")


COLUMN_COUNTS = ("transformed", "empty", "errors")


def combine_column(entries, where):
    """One column's entry of the whole job from the parts': the counts of
    values summed (findings per kind too), everything else (name,
    transform, level ...) the same in every part (else Mismatch)."""
    out = dict(entries[0])
    for key in entries[0]:
        values = [e.get(key) for e in entries]
        if key in COLUMN_COUNTS:
            out[key] = sum(values)
        elif key == "findings":
            kinds = sorted({k for v in values for k in v})
            out[key] = {k: sum(v.get(k, 0) for v in values) for k in kinds}
        else:
            same_in_every_part(values, f"{where}.{key}")
    return out


def combine_columns(reports):
    cols = [r["columns"] for r in reports]
    if any(len(c) != len(cols[0]) for c in cols):
        raise Mismatch("the parts' reports have different columns")
    return [combine_column([c[i] for c in cols], f"columns[{i}]") for i in range(len(cols[0]))]


def privacy_member(check, like, inputs):
    """The run report's privacy member from `deid check --json` of the whole
    delivery: the keys a run's report has (like: a part's), inputs as the
    run names them (a run does not hash its inputs for this member)."""
    out = {key: check[key] if key in check else like[key] for key in like}
    out["inputs"] = [{"name": i["name"], "sha256": None} for i in inputs]
    out["deid_version"] = like.get("deid_version")
    return out


def combined_report(reports, check, inputs, parts, output):
    """The run report of the whole job.
    reports: the parts' `--report` JSON, in order; check: `deid check --merge
    --json` of the written parts (None when the rules have no requirement);
    inputs: the run report's inputs entries of the whole input; parts and
    output: the delivery (the parts, the joined output) as the report
    lists them."""
    r = dict(reports[0])
    r["generated_at"] = now_utc()
    r["inputs"] = inputs
    for key in ("records_read", "records_written", "records_removed"):
        if key in r:
            r[key] = sum(p[key] for p in reports)
    r["columns"] = combine_columns(reports)
    if "suppression" in r:
        # every part decides what to suppress from the merged classes, and
        # reports the whole job's decision
        same_in_every_part([p["suppression"] for p in reports], "suppression")
    if "privacy" in r and check is not None:
        r["privacy"] = privacy_member(check, reports[0]["privacy"], inputs)
    r.pop("utility", None)
    r["parts"] = parts
    r["output"] = output
    return r


def record_requirements(check, like):
    """The record's requirements (like: a part's), measured on the whole
    delivery as record.c measures them on one run's output."""
    out = []
    sens = {s["name"]: s for s in check.get("sensitive") or []}
    for req in like:
        req = dict(req)
        if req["model"] == "k":
            req["measured"] = check["smallest_class"]
            req["met"] = check["classes_below_k"] == 0
        else:
            s = sens[req["column"]]
            if req["model"] == "l":
                req["measured"] = s["min_entropy_l" if req["kind"] == "entropy" else "min_distinct_l"]
                req["met"] = s["classes_below_l"] == 0
            else:
                req["measured"] = s["max_t"]
                req["met"] = s["classes_above_t"] == 0
        out.append(req)
    return out


def combined_record(records, check, inputs, parts, output):
    """The processing record of the whole job (deid.record/1, plus "parts").
    records: the parts' `--record` JSON, in order; inputs: the record's
    inputs entries of the whole input (with digests); output: the record's
    output entry of the joined delivery."""
    r = dict(records[0])
    r["generated_at"] = r["processed_at"] = now_utc()
    r["inputs"] = inputs
    r["output"] = output
    r["parts"] = parts
    if "privacy" in r and check is not None:
        p = dict(r["privacy"])
        same_in_every_part([x["privacy"]["records_suppressed"] for x in records],
                           "privacy.records_suppressed")
        p.update(classes=check["classes"], smallest_class=check["smallest_class"],
                 met=check["met"],
                 requirements=record_requirements(check, r["privacy"]["requirements"]))
        for key in ("cells_suppressed", "cells_suppressed_per_qi"):
            if key in p:  # how=cell: decided on the merged classes, like records
                same_in_every_part([x["privacy"][key] for x in records], f"privacy.{key}")
        r["privacy"] = p
    r.pop("utility", None)
    return r


def md_escape(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def record_markdown(rec, part_md):
    """The record's Markdown: the first part's (statements, columns, keys,
    as deid wrote them) with the job's processing time, input, output,
    parts and privacy figures in place of the part's."""
    def fmt_in(i):
        return (f"{md_escape(i['name'])}: {i['records']} records, {i['bytes']} bytes, "
                f"SHA-256 {i['sha256']}, {i['encoding']}")
    o = rec["output"]
    out_line = (f"| 출력 / output | {md_escape(o['file'] or '(not joined: the parts below)')}: {o['records']} records "
                f"({o['records_removed']} removed), {o['bytes']} bytes, SHA-256 {o['sha256']}, "
                f"{o['encoding']} |")
    lines = []
    # how=cell's counts: the whole job's in every part (decided on the
    # merged classes), as deid wrote them
    cells = [line for line in part_md.split("\n") if line.startswith("억제 셀 / cells suppressed")]
    for line in part_md.split("\n"):
        if line.startswith("## 적정성") or line.startswith("## 유용성"):
            break
        if line.startswith("| 처리 일시 / processed at |"):
            line = f"| 처리 일시 / processed at | {rec['processed_at']} |"
        elif line.startswith("| 입력 / input |"):
            line = "| 입력 / input | " + "; ".join(fmt_in(i) for i in rec["inputs"]) + " |"
        elif line.startswith("| 출력 / output |"):
            line = out_line
        elif line.startswith("| 규칙 파일 / rules |"):
            line = f"| 규칙 파일 / rules | {md_escape(rec['rules']['file'])} (SHA-256 {rec['rules']['sha256']}) |"
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    lines += ["", "## 분할 출력 / parts of the output", "",
              "| 부분 / part | 입력 / input | 파일 / file | 레코드 / records | 바이트 / bytes | SHA-256 |",
              "|---|---|---|---|---|---|"]
    for n, p in enumerate(rec["parts"]):
        lines.append(f"| {n + 1} | {md_escape(p['input'])} | {md_escape(p['file'])} | {p['records']} "
                     f"| {p['bytes']} | {p['sha256']} |")
    priv = rec.get("privacy")
    if priv:
        lines += ["", "## 적정성 / privacy check of the output", "",
                  "| k | 억제 레코드 / records suppressed | 동질집합 / classes | 최소 / smallest class | 충족 / met |",
                  "|---|---|---|---|---|",
                  f"| {priv['k']} | {priv['records_suppressed']} | {priv['classes']} | "
                  f"{priv['smallest_class']} | {'yes / 예' if priv['met'] else 'no / 아니오'} |", "",
                  *[c for line in cells for c in (line, "")],
                  "| 요건 / requirement | 열 / column | 기준 / required | 측정 / measured | 충족 / met |",
                  "|---|---|---|---|---|"]
        for q in priv["requirements"]:
            kind = f" ({q['kind']})" if q["kind"] else ""
            lines.append(f"| {q['model']}{kind} | {md_escape(q['column'] or '-')} | {q['required']:.6g} "
                         f"| {q['measured']:.6g} | {'yes / 예' if q['met'] else 'no / 아니오'} |")
        lines += ["", "빈 민감값 / empty sensitive values: " +
                  ("ignore (l, t 계산에서 제외 / left out of l and t)" if priv["sensitive_empty"] == "ignore"
                   else "value (값으로 셈 / counted as a value)")]
    return "\n".join(lines) + "\n"


def md_path(json_path):
    """Where deid run writes a record's Markdown: .json replaced by .md."""
    return json_path[:-5] + ".md" if len(json_path) > 5 and json_path.endswith(".json") \
        else json_path + ".md"
