#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""bench/customers_python.py - what a user would write in Python instead of
rules/customers.rules: csv + hmac, the same columns hashed (keyed
HMAC-SHA-256, base32), masked, banded, rounded and dropped. For the
throughput comparison in `make bench` only; not a reference for values.

usage: customers_python.py KEYFILE < in.csv > out.csv
"""
import base64
import csv
import hashlib
import hmac
import sys


def main():
    key = bytes.fromhex(open(sys.argv[1]).read().strip())

    def pseudonym(value):
        mac = hmac.new(key, value.encode(), hashlib.sha256).digest()
        return base64.b32encode(mac).decode().lower().rstrip("=")[:26]

    reader = csv.reader(sys.stdin)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    header = next(reader)
    col = {name: i for i, name in enumerate(header)}
    out_header = [h for h in header if h != "memo"] + ["person_key"]
    writer.writerow(out_header)
    memo = col["memo"]
    for row in reader:
        name, birth, phone = row[col["name"]], row[col["birth"]], row[col["phone"]]
        person_key = pseudonym(name + "\x1f" + birth + "\x1f" + phone)
        row[col["id"]] = pseudonym(row[col["id"]])
        row[col["name"]] = name[:1] + "*" * (len(name) - 1)
        rrn = row[col["rrn"]]
        row[col["rrn"]] = rrn[:2] + "".join("*" if c.isdigit() else c for c in rrn[2:])
        row[col["phone"]] = pseudonym("".join(c for c in phone if c.isdigit()))
        row[col["email"]] = pseudonym(row[col["email"]].lower())
        row[col["birth"]] = birth[:4]
        age = int(row[col["age"]])
        row[col["age"]] = "%d-%d" % (age // 10 * 10, age // 10 * 10 + 9)
        row[col["zip"]] = row[col["zip"]][:3]
        row[col["address"]] = " ".join(row[col["address"]].split()[:2])
        income = int(row[col["income"]])
        row[col["income"]] = str((income + 500000) // 1000000 * 1000000)
        del row[memo]
        row.append(person_key)
        writer.writerow(row)


if __name__ == "__main__":
    main()
