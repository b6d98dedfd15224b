/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv_fast.h - splitting one CSV line into fields in place: the scan
 * behind the CSV reader's fast path (csv_in.c). Looks at 16 bytes at a
 * time with SSE2 where the compiler targets it (always on x86-64), 8 at a
 * time (SWAR) on other little-endian machines, one at a time elsewhere.
 * It takes unquoted fields without a quote and quoted fields that end on
 * the line (a quote at the field's start, no CR inside, the closing quote
 * followed by the delimiter or the line's end; doubled quotes inside are
 * left as they are). A line with anything else (a quote inside an
 * unquoted field, a quoted field that goes on past the line, a CR) is not
 * split here: libcsv reads it.
 */
#ifndef DEID_CSV_FAST_H
#define DEID_CSV_FAST_H

#include <stddef.h>

#include "csv_in.h"

/* Which scan: the best one built in, or a portable one (for tests that
 * compare them). */
#define CSV_FAST_TOO_MANY ((size_t)-1)

typedef enum csv_fast_scan { CSV_FAST_BEST, CSV_FAST_SWAR, CSV_FAST_BYTES } csv_fast_scan;

/* Splits p[0..len) (a line without its line end) at delim. Returns the
 * number of fields and sets fields[i] to point into p: at an unquoted
 * field, or just after a quoted field's opening quote, its raw content up
 * to the closing quote with any doubled quotes still doubled (not
 * NUL-terminated: each field's end is a delimiter, a closing quote or the
 * line's end; a quoted field is the one whose data[-1] is '"'). Returns 0
 * when the line has a CR or a quote that does not delimit a quoted field
 * ending on the line, CSV_FAST_TOO_MANY when it would give more than max
 * fields (what comes after that point is not looked at); fields is then
 * undefined. fields has room for max entries; the caller owns both
 * arrays. */
size_t csv_fast_fields(const char *p, size_t len, unsigned char delim, csv_field *fields,
                       size_t max, csv_fast_scan scan);

#endif
