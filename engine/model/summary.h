/* SPDX-License-Identifier: Apache-2.0 */
/*
 * summary.h - a mergeable summary of one part of an input: the distinct
 * tuples of quasi-identifier and sensitive values with how many records
 * hold each and where the first of them lies, written as a portable,
 * versioned text file (README "Sharded runs"). Summaries of the parts of
 * an input merge into the summary of the whole: counts add up, and the
 * tuples, replayed in the order of their first records, rebuild the class
 * table exactly as reading the whole input would have built it (classes,
 * dictionary values and sensitive values numbered in the same order), so
 * every figure comes out the same, to the last bit.
 *
 * Where a record lies is (part, record): part orders the parts of the
 * input (a byte offset of a range, or a part number), record counts data
 * records from 1 within the part. Merging is a union: any order, any
 * grouping gives the same summary and the same bytes.
 *
 * Format (version 1), one statement per line, names and values in hex
 * (empty: "-"), numbers in decimal:
 *   deid-summary 1 KIND
 *   rules SHA256|-
 *   token HEX
 *   quasi N HEX...
 *   sensitive N HEX...
 *   header N HEX...            (a run's: the input's column names; else 0)
 *   parts N PART...            (ascending, distinct)
 *   tuples T records R
 *   t PART RECORD COUNT HEX...  (T lines, ascending by PART then RECORD)
 *   end SHA256                 (of every byte before this line)
 * The values are data: a summary of raw QIs is personal data.
 */
#ifndef DEID_SUMMARY_H
#define DEID_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "membudget.h"
#include "value.h"

#define SUMMARY_VERSION 1
#define SUMMARY_MAX_PARTS 1000000u /* parts one summary may cover */

typedef struct summary summary;

/* What a summary is of; every part merged must have the same. */
typedef struct summary_shape {
    const char *kind;                /* "check" or "plan" */
    const char *rules_sha256;        /* the rules' SHA-256, "" or NULL: no rules */
    const char *token;               /* the suppression token */
    const char *const *quasi;        /* column names */
    size_t n_quasi;
    const char *const *sensitive;
    size_t n_sensitive;
    const char *const *header;       /* the input's column names (a run's summary); NULL:
                                        none, or (when reading) taken from the first file */
    size_t n_header;
} summary_shape;

/* Returns an empty summary of this shape (copied), charging budget
 * (borrowed, may be NULL) for what it holds, or NULL on ENOMEM or a
 * shape without kind, token or QIs. Free with summary_free. */
summary *summary_new(const summary_shape *shape, mem_budget *budget);
void summary_free(summary *s);

/* Records that this summary covers part (a summary being built from one
 * part of an input). Returns DEID_OK, DEID_E_DATA when it covers it
 * already, DEID_E_IO on ENOMEM. */
deid_status summary_add_part(summary *s, uint64_t part, deid_error *err);

enum { SUMMARY_OK = 0, SUMMARY_ENOMEM = -1, SUMMARY_EFULL = -2, SUMMARY_EBUDGET = -3,
       SUMMARY_EOVERLAP = -4 };

/* Adds count records holding qi[0..n_quasi) and sens[0..n_sensitive)
 * (borrowed), the first of them at (part, record). Returns SUMMARY_OK,
 * SUMMARY_ENOMEM, SUMMARY_EBUDGET, SUMMARY_EFULL (more than
 * DEID_MAX_CLASSES tuples, or the record count would overflow) or
 * SUMMARY_EOVERLAP (the tuple is there with the same first record: a part
 * counted twice). */
int summary_add(summary *s, const xf_value *qi, const xf_value *sens, uint64_t count,
                uint64_t part, uint64_t record);

/* The input's column names (n_header of them, owned by s): the shape's,
 * or those of the first file read into s. */
const char *const *summary_header(const summary *s, size_t *n_header);

/* Records (tuple counts summed) and distinct tuples. */
uint64_t summary_records(const summary *s);
size_t summary_tuples(const summary *s);

/* Writes the summary through put (called with pieces of the text in
 * order; returns 0, or non-zero to stop). Returns DEID_OK, DEID_E_IO on
 * ENOMEM or when put fails. */
typedef int (*summary_put_fn)(void *ctx, const void *data, size_t len);
deid_status summary_write(const summary *s, summary_put_fn put, void *ctx, deid_error *err);

/* Calls fn with every tuple in the order of their first records; stops
 * at the first non-zero return and returns it (0 when all were visited),
 * -1 on ENOMEM. */
typedef int (*summary_tuple_fn)(void *ctx, const xf_value *qi, const xf_value *sens,
                                uint64_t count);
int summary_each(const summary *s, summary_tuple_fn fn, void *ctx);

/* Reads one summary file into s (merging it with what s holds). Feed the
 * file's bytes in any pieces, then end. Errors name the file (name,
 * borrowed for the reader's life) and line: a file of another version,
 * kind, rules, token or columns, a malformed or truncated one, one whose
 * checksum fails, or one covering a part s covers already: DEID_E_DATA;
 * ENOMEM or the budget: DEID_E_IO. After an error s may hold part of the
 * file: discard it. */
typedef struct summary_reader summary_reader;
summary_reader *summary_reader_new(summary *into, const char *name);
deid_status summary_reader_feed(summary_reader *r, const void *data, size_t len,
                                deid_error *err);
deid_status summary_reader_end(summary_reader *r, deid_error *err);
void summary_reader_free(summary_reader *r);

#endif
