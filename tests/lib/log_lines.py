#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tests/lib/log_lines.py - checks what `deid ... --log-format=json` wrote
on stderr, independently of deid's code (README "Logs for batch jobs").

usage: log_lines.py LOG COMMAND STATUS [--csv FILE] [--gzip] [--absent TEXT ...]

Every line of LOG must be one JSON object with "time" (RFC 3339, UTC, with
milliseconds, not decreasing, within a day of now), "event" (progress,
message, error or summary) and "command" (COMMAND). The last line is the
only "summary"; its "status" is STATUS, and so is every "error" event's;
"records_per_s" and "bytes_per_s" agree with "records", "bytes" and
"duration_s". With --csv, the summary's records are FILE's records
(Python's csv module, header excluded) and its bytes FILE's size after
gzip decoding; a "progress" event, if any, says the same, and with --gzip
that the input was gzip, its "input_bytes" being FILE's size as stored.
No line may contain an --absent TEXT (a raw value). Prints what it
checked, one line each, and "log: FAIL ..." lines on problems (exit 1).
"""
import csv
import datetime
import gzip
import io
import json
import os
import re
import sys

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
EVENTS = {"progress", "message", "error", "summary"}


def main(argv):
    log, command, status = argv[1], argv[2], int(argv[3])
    csv_path, is_gzip, absent = None, False, []
    rest = argv[4:]
    while rest:
        opt = rest.pop(0)
        if opt == "--csv":
            csv_path = rest.pop(0)
        elif opt == "--gzip":
            is_gzip = True
        elif opt == "--absent":
            absent.append(rest.pop(0))
    problems = []
    raw = open(log, "rb").read()
    lines = raw.decode("utf-8").splitlines()
    events, last_time = [], None
    now = datetime.datetime.now(datetime.timezone.utc)
    for number, line in enumerate(lines, 1):
        try:
            obj = json.loads(line)
        except ValueError as e:
            problems.append(f"line {number} is not JSON ({e}): {line[:80]}")
            continue
        if not isinstance(obj, dict):
            problems.append(f"line {number} is not an object")
            continue
        t = obj.get("time", "")
        if not TIME.match(t):
            problems.append(f"line {number}: time {t!r} is not RFC 3339 UTC with milliseconds")
        else:
            when = datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
                tzinfo=datetime.timezone.utc)
            if abs((now - when).total_seconds()) > 86400:
                problems.append(f"line {number}: time {t} is not today")
            if last_time and when < last_time:
                problems.append(f"line {number}: time goes back")
            last_time = when
        if obj.get("event") not in EVENTS:
            problems.append(f"line {number}: event {obj.get('event')!r}")
        if obj.get("command") != command:
            problems.append(f"line {number}: command {obj.get('command')!r}, not {command}")
        events.append(obj)
    for text in absent:
        if text.encode("utf-8") in raw:
            problems.append(f"the log holds the raw value {text!r}")
    kinds = [e.get("event") for e in events]
    summaries = [e for e in events if e.get("event") == "summary"]
    if len(summaries) != 1 or kinds[-1:] != ["summary"]:
        problems.append(f"not exactly one summary, last: events {kinds}")
    for e in events:
        if e.get("event") == "error" and e.get("status") != status:
            problems.append(f"error event with status {e.get('status')}, not {status}")
        if e.get("event") in ("error", "message") and not isinstance(e.get("message"), str):
            problems.append(f"{e.get('event')} event without a message")
    counts = {k: kinds.count(k) for k in sorted(set(kinds))}
    print("events: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    if summaries:
        s = summaries[-1]
        if s.get("status") != status:
            problems.append(f"summary status {s.get('status')}, not {status}")
        for key in ("duration_s", "records", "bytes", "records_per_s", "bytes_per_s"):
            if not isinstance(s.get(key), (int, float)) or s[key] < 0:
                problems.append(f"summary has no {key}")
        if not problems:
            d = s["duration_s"]
            # duration_s is rounded to 1 ms: the rates computed from it
            # agree within that rounding
            for count, rate in (("records", "records_per_s"), ("bytes", "bytes_per_s")):
                if s[count] == 0 or d == 0:
                    ok = s[rate] == 0 or d == 0
                else:
                    ok = abs(s[rate] * d - s[count]) <= s[rate] * 0.0006 + 0.01 * s[count] + 1
                if not ok:
                    problems.append(f"{rate} {s[rate]} does not match {count} {s[count]} / {d} s")
            print(f"summary: status {s['status']}, rates agree with the counts and duration")
        if csv_path:
            data = open(csv_path, "rb").read()
            decoded = gzip.decompress(data) if is_gzip else data
            records = len(list(csv.reader(io.StringIO(decoded.decode("utf-8"))))) - 1
            if s.get("records") != records or s.get("bytes") != len(decoded):
                problems.append(f"summary records {s.get('records')} bytes {s.get('bytes')}, "
                                f"the file has {records} records, {len(decoded)} bytes")
            else:
                print("summary: records and bytes are the input's")
            progress = [e for e in events if e.get("event") == "progress"]
            if progress:
                p = progress[-1]
                want = {"records": records, "bytes": len(decoded), "input_bytes": len(data),
                        "gzip": is_gzip}
                got = {k: p.get(k) for k in want}
                if got != want:
                    problems.append(f"last progress {got}, expected {want}")
                elif "percent" in p and p["percent"] != 100.0:
                    problems.append(f"last progress at {p['percent']}%, not 100")
                else:
                    print(f"progress: pass {p.get('pass')} of {p.get('passes')}, records, bytes "
                          f"and input bytes are the input's, gzip {str(is_gzip).lower()}")
    for p in problems:
        print("log: FAIL " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
