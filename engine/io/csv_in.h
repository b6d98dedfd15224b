/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv_in.h - RFC 4180 reading on top of libcsv; the only file that touches
 * libcsv. Bytes go in in chunks of any size, whole records come out through
 * a callback. Fields come out byte for byte (no trimming), a UTF-8 BOM at
 * the start of an input is skipped, LF and CRLF both end a record, blank
 * lines are skipped, and malformed quoting is an error (strict mode).
 */
#ifndef DEID_CSV_IN_H
#define DEID_CSV_IN_H

#include <stddef.h>
#include "deid.h"

typedef struct csv_field {
    const char *data; /* NUL-terminated for convenience; may contain NUL bytes */
    size_t len;
} csv_field;

/* Called for each record. fields are valid only during the call. line is
 * the physical line (1-based) on which the record starts. A non-OK return
 * stops the parse and is returned by csv_in_feed/csv_in_finish; the callback
 * fills err itself (err is the one passed to feed/finish). */
typedef deid_status (*csv_in_record_fn)(void *ctx, const csv_field *fields, size_t n_fields,
                                         unsigned long line, deid_error *err);

typedef struct csv_in csv_in;

/* Returns a reader for delimiter (',', '\t', ';', '|', ...) calling fn with
 * ctx, or NULL on ENOMEM. */
csv_in *csv_in_new(int delimiter, csv_in_record_fn fn, void *ctx);
void csv_in_free(csv_in *in);

/* Parses len more bytes. Errors (DEID_E_DATA): malformed quoting, a field
 * over DEID_MAX_FIELD_BYTES, a record over DEID_MAX_RECORD_BYTES or
 * DEID_MAX_FIELDS; err gets the physical line (err->line) and a message,
 * the caller adds the input name. */
deid_status csv_in_feed(csv_in *in, const void *data, size_t len, deid_error *err);

/* As csv_in_feed, but a whole line that starts a record and holds no quote
 * but those of quoted fields that end on the line (csv_fast.h) may be
 * split without libcsv, its fields pointing into data: the byte after
 * each such field is a NUL (and a quoted field's doubled quotes single)
 * while the callback runs, all put back before this returns, so data must
 * be writable and nothing else may read it meanwhile. Records, lines,
 * limits and errors are the same as csv_in_feed's. */
deid_status csv_in_feed_in_place(csv_in *in, void *data, size_t len, deid_error *err);

/* Turns the fast path of csv_in_feed_in_place off (0) or on (1, the
 * default unless the environment has DEID_CSV_FAST_PATH=0 when the reader
 * is made). For tests that compare the two paths. */
void csv_in_set_fast(csv_in *in, int on);

/* Ends the current input: delivers a last record without a final newline,
 * and fails on an unterminated quoted field. Afterwards the reader is ready
 * for a new input (line numbers and BOM detection restart). */
deid_status csv_in_finish(csv_in *in, deid_error *err);

/* Starts the next bytes fed as a part of an input that begins at physical
 * line first_line (1 for a whole input), skipping a BOM only if bom is set.
 * For parsers that take an input in independent chunks (pipeline.h). Call
 * it on a reader that is at the start of an input (new or just finished). */
void csv_in_begin(csv_in *in, unsigned long first_line, int bom);

/* Physical lines seen so far in the current input. */
unsigned long csv_in_line(const csv_in *in);

#endif
