#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tests/lib/validate_json.py SCHEMA_DIR FILE... - validates JSON documents
deid wrote against the schemas in SCHEMA_DIR (engine/schemas).

Each FILE names its schema by its "schema_version": "deid.KIND/N" is
checked against SCHEMA_DIR/deid.KIND.schema.json (whose schema_version is a
const, so a version the schema does not describe fails). References to
another schema file ("deid.check.schema.json#/$defs/count") are inlined
here before validation, so any jsonschema release that knows draft 2020-12
(Debian 12's 4.10 and later) validates without a network or a registry.

Prints "FILE: WHERE: KEYWORD: what" for each problem (WHERE is the path in
the document, the missing key's for "required"; KEYWORD the schema keyword
that failed; what is jsonschema's message, cut short) and exits 1 when
there is one, 0 when every FILE is valid.
"""
import copy
import json
import os
import sys

import jsonschema


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def pointer(doc, frag):
    node = doc
    for part in frag.lstrip("/").split("/"):
        if part:
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def inline(node, here, schema_dir, cache):
    """Replaces every {"$ref": "OTHER.json#/..."} with a copy of what it
    points to (internal "#/..." references inside that copy are made to
    point to OTHER.json first, then inlined in turn)."""
    if isinstance(node, list):
        return [inline(x, here, schema_dir, cache) for x in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        target, _, frag = ref.partition("#")
        if target or here is not None:
            name = target or here
            if name not in cache:
                cache[name] = load(os.path.join(schema_dir, name))
            part = copy.deepcopy(pointer(cache[name], frag))
            rest = {k: v for k, v in node.items() if k != "$ref"}
            resolved = inline(part, name, schema_dir, cache)
            return {"allOf": [resolved], **inline(rest, here, schema_dir, cache)} if rest else resolved
    return {k: inline(v, here, schema_dir, cache) for k, v in node.items()}


def schema_for(version, schema_dir, cache):
    kind = version.split("/", 1)[0]
    name = kind + ".schema.json"
    path = os.path.join(schema_dir, name)
    if "/" not in version or not os.path.isfile(path):
        return None
    raw = load(path)
    # internal references of the top-level schema stay (they resolve in
    # the document itself); references to other files are inlined
    return inline(raw, None, schema_dir, cache)


def main(argv):
    if len(argv) < 2:
        print("usage: validate_json.py SCHEMA_DIR FILE...", file=sys.stderr)
        return 2
    schema_dir, files = argv[0], argv[1:]
    cache, schemas, bad = {}, {}, 0
    for path in files:
        try:
            doc = load(path)
        except (OSError, ValueError) as e:
            print(f"{path}: not JSON: {e}")
            bad += 1
            continue
        version = doc.get("schema_version") if isinstance(doc, dict) else None
        if not isinstance(version, str):
            print(f"{path}: no \"schema_version\"")
            bad += 1
            continue
        if version not in schemas:
            # one validator per kind: checking a schema costs more than a document
            schema = schema_for(version, schema_dir, cache)
            if schema is not None:
                cls = jsonschema.validators.validator_for(schema)
                cls.check_schema(schema)
                schema = cls(schema)
            schemas[version] = schema
        validator = schemas[version]
        if validator is None:
            print(f"{path}: no schema for \"{version}\" in {schema_dir}")
            bad += 1
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
        for e in errors:
            where = "/".join(str(p) for p in e.absolute_path)
            names = [""]
            if e.validator == "required" and isinstance(e.instance, dict):
                names = [k for k in e.validator_value if k not in e.instance] or [""]
            message = e.message if len(e.message) <= 120 else e.message[:117] + "..."
            for name in names:
                at = "/".join(x for x in (where, name) if x) or "(top)"
                print(f"{path}: {at}: {e.validator}: {message}")
        bad += bool(errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
