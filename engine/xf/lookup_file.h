/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lookup_file.h - reading the lookup files that rules name (the files of
 * `hierarchy file=` and `map file=`): open, refuse one over
 * DEID_MAX_LOOKUP_BYTES, feed it through csv_in in chunks, and turn what
 * went wrong into a rules error at the file= parameter; the file= parameter
 * and the unique original values both kinds of file start with. The transforms
 * supply the per-row logic as a csv_in record callback.
 */
#ifndef DEID_LOOKUP_FILE_H
#define DEID_LOOKUP_FILE_H

#include "csv_in.h"
#include "deid.h"
#include "err.h"
#include "strmap.h"
#include "transform.h"

/* Bytes asked of read() at a time (named so that tests can cross it). */
enum { LOOKUP_FILE_CHUNK = 64 * 1024 };

/* Reads the file at path with delimiter, calling fn(fn_ctx, ...) for each
 * record; name is how messages show the file (as written in the rules).
 * Returns DEID_OK, or an error whose message in e is complete:
 *   DEID_E_RULES "cannot read PATH: reason" (open or read failed, or PATH
 *                is not a regular file: a FIFO is refused without waiting
 *                for a writer),
 *   DEID_E_RULES "NAME: larger than N bytes (DEID_MAX_LOOKUP_BYTES)",
 *   DEID_E_RULES "NAME:LINE: what" (csv_in or fn failed; any status of fn
 *                other than DEID_E_IO becomes DEID_E_RULES),
 *   DEID_E_IO    "out of memory", or "NAME:LINE: ..." when fn said DEID_E_IO.
 * All arguments are borrowed for the call; nothing is kept. */
deid_status lookup_file_read(const char *path, const char *name, int delimiter,
                             csv_in_record_fn fn, void *fn_ctx, deid_error *e);

/* lookup_file_read, and on success the SHA-256 of the bytes read, in hex,
 * in sha256_hex (for the processing record and `deid verify`). */
deid_status lookup_file_read_hashed(const char *path, const char *name, int delimiter,
                                    csv_in_record_fn fn, void *fn_ctx, char sha256_hex[65],
                                    deid_error *e);

/* For record callbacks: clears err and fills it with DEID_E_RULES, the
 * formatted message and err->line = line (lookup_file_read adds the file
 * name). Returns DEID_E_RULES. */
deid_status lookup_file_row_fail(deid_error *err, unsigned long line, const char *fmt, ...)
    DEID_PRINTF(3, 4);

/* For record callbacks: fills err with DEID_E_IO "out of memory" at line.
 * Returns DEID_E_IO. */
deid_status lookup_file_row_nomem(deid_error *err, unsigned long line);

/* For compile: the file= parameter the transform needs, marked used.
 * Returns DEID_OK with *file set, or the rules error (missing_message at
 * the transform keyword when absent; "file= is empty" at the parameter). */
deid_status lookup_file_param(xf_context *ctx, const char *missing_message, xf_param **file);

/* The first field of every row of a hierarchy or map file: the original
 * values, unique, and the line of each row (messages name lines, never
 * values). */
typedef struct lookup_originals {
    size_t rows;        /* rows added so far */
    strmap *originals;  /* original value -> row number */
    dbuf row_line;      /* uint32 per row: its line */
} lookup_originals;

/* Sets o up empty. Returns 0, or -1 on ENOMEM (o can still be freed). */
int lookup_originals_init(lookup_originals *o);

/* For record callbacks: checks the row limit and that f (the row's original
 * value, called the "first WORD" in messages: field or column) is non-empty
 * and new, and enters it as row o->rows. The row counts only once
 * lookup_originals_end_row is called. Returns DEID_OK or the row error
 * (lookup_file_row_fail / lookup_file_row_nomem). f is copied. */
deid_status lookup_originals_add(lookup_originals *o, const csv_field *f, const char *word,
                                 unsigned long line, deid_error *err);

/* Records line as the line of the row just added and counts the row.
 * Returns DEID_OK, or DEID_E_IO out of memory at line. */
deid_status lookup_originals_end_row(lookup_originals *o, unsigned long line, deid_error *err);

/* Frees what o holds (originals may have been taken: set it NULL). */
void lookup_originals_free(lookup_originals *o);

/* Reports the load error e (from lookup_file_read or the caller's own
 * checks) as the rules error at parameter p of ctx, with e's message.
 * Returns DEID_E_IO (also left in ctx->err) when e is out of memory,
 * DEID_E_RULES otherwise. e is only read. */
deid_status lookup_file_fail(xf_context *ctx, const xf_param *p, const deid_error *e);

#endif
