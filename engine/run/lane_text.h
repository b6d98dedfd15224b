/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lane_text.h - a lane's text encodings: it reads each record of a CP949
 * or EUC-KR input as UTF-8 (the rest of the engine only ever sees UTF-8)
 * and writes output values in the output's encoding.
 *
 * How `auto` decides on a stream, in parallel: ASCII is both UTF-8 and
 * CP949, so nothing is decided while records hold only ASCII. The first
 * record with a non-ASCII byte decides, on lane 0 (the caller's thread,
 * in input order): valid UTF-8 in all its fields means UTF-8, else CP949.
 * A UTF-8 byte order mark decides UTF-8 at once. From then on every record
 * of the input is held to that encoding; a byte that does not fit is
 * DEID_E_DATA at its record, line and column. A worker handed a chunk with
 * a non-ASCII byte before the decision declines it (lane_text_start); the
 * pipeline then runs that chunk again on lane 0, in order, where the
 * decision is known or made (pipeline.h: failed chunks run again).
 */
#ifndef DEID_LANE_TEXT_H
#define DEID_LANE_TEXT_H

#include "colplan.h"
#include "csv_in.h"
#include "pipeline.h"
#include "session.h"
#include "textenc.h"
#include "value.h"

typedef struct lane_text lane_text;

/* Returns a lane's converter, or NULL when out of memory. */
lane_text *lane_text_new(void);
/* Wipes the converted values (personal data) and frees. */
void lane_text_free(lane_text *t);

/* Before the records of chunk c (worked on by the lane of this call):
 * takes the input's encoding from s. Returns DEID_OK; DEID_E_DATA in
 * c->err when the input starts with a UTF-8 byte order mark but is said
 * to be CP949 or EUC-KR; or a status with no message on a worker when
 * the chunk cannot be read before the encoding is decided (the pipeline
 * runs it again on lane 0). */
deid_status lane_text_start(lane_text *t, session *s, pipe_chunk *c);

/* Reads one record (f, n) in the input's encoding. Returns DEID_OK with
 * *out the record in UTF-8: f itself when it needed no change, else
 * fields owned by t, valid until the next call (NUL-terminated like
 * csv_in's). On a byte that does not fit the encoding returns DEID_E_DATA
 * with the message in err, and err_at_record's line and column still to
 * add: *bad_field is the field's index and *extra_lines the line feeds
 * before the bad byte within the record. DEID_E_IO when out of memory. */
deid_status lane_text_record(lane_text *t, const csv_field *f, size_t n, const csv_field **out,
                             size_t *bad_field, unsigned long *extra_lines, deid_error *err);

/* lane_text_record for a lane's CSV callback, with the error placed: on
 * a bad byte, err also names input, the record (0, the header line only,
 * when c is at the input's first record and has_header), the line and the
 * column (labelled from plan, which may be NULL). *f is the record read
 * on entry and the record in UTF-8 on return (as lane_text_record). */
deid_status lane_text_read(lane_text *t, const pipe_chunk *c, int has_header, const char *input,
                           const colplan *plan, const csv_field **f, size_t n,
                           unsigned long line, deid_error *err);

/* The label of input field i in messages: the plan's label of the column
 * reading it when plan is not NULL and has one, else "#i+1" in buf. */
const char *lane_text_field_label(const colplan *plan, size_t i, char buf[24]);

/* Converts the n output values vals in place to enc (UTF8: nothing to do;
 * CP949 or EUCKR): values with a non-ASCII byte are repointed into t.
 * Returns DEID_OK; DEID_E_DATA with *bad the index of the first value
 * that enc cannot hold (message in err); DEID_E_IO. */
deid_status lane_text_encode(lane_text *t, deid_encoding enc, xf_value *vals, size_t n,
                             size_t *bad, deid_error *err);

#endif
