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

#endif
