/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv_out.h - writing RFC 4180 records: a field is quoted only when it has
 * to be (it holds the delimiter, a quote, CR or LF, or it is the only and
 * empty field of its record, which would otherwise be a blank line that
 * readers skip). Records end with LF.
 */
#ifndef DEID_CSV_OUT_H
#define DEID_CSV_OUT_H

#include <stddef.h>
#include "dbuf.h"
#include "value.h"

/* Appends one field, quoted if it needs to be. Returns a DBUF_* code. */
int csv_out_field(dbuf *out, int delimiter, const char *data, size_t len);

/* Appends the record fields[0..n) with delimiters and the final LF.
 * Returns a DBUF_* code. */
int csv_out_record(dbuf *out, int delimiter, const xf_value *fields, size_t n);

#endif
