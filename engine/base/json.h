/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.h - the little JSON writing the reports need: strings escaped per
 * RFC 8259 (control characters as \u00XX, UTF-8 passed through).
 */
#ifndef DEID_JSON_H
#define DEID_JSON_H

#include <stddef.h>
#include "dbuf.h"

/* Appends s (len bytes) as a quoted JSON string. Returns a DBUF_* code. */
int json_append_string(dbuf *out, const char *s, size_t len);
/* Same for a NUL-terminated string. */
int json_append_cstr(dbuf *out, const char *s);
/* Appends v as the shortest of %.15g, %.16g, %.17g that reads back as the
 * same double, or null for NaN and infinities (JSON has no such numbers). */
int json_append_double(dbuf *out, double v);

/* Every JSON document deid writes starts with the same two members, so a
 * reader can tell what it holds and when it was written (README "JSON
 * schemas"): "schema_version" names the kind and its version ("deid.check/1",
 * the schema engine/schemas/deid.check.schema.json describes) and
 * "generated_at" the UTC time. */
#define JSON_SCHEMA_CHECK "deid.check/1"
#define JSON_SCHEMA_RUN "deid.run/1"
#define JSON_SCHEMA_RECORD "deid.record/1"
#define JSON_SCHEMA_PLAN "deid.plan/1"
#define JSON_SCHEMA_SCAN "deid.scan/1"

/* Fills out with the current UTC time as YYYY-MM-DDTHH:MM:SSZ. */
void json_utc_now(char out[32]);
/* Appends the two members, each on its own line indented by indent
 * spaces and followed by a comma: the caller writes the "{" before and
 * more members after. Returns a DBUF_* code. */
int json_append_header(dbuf *out, const char *schema, unsigned indent);

#endif
