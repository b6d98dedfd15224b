/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv_split.h - where a block of CSV may be cut so that both halves hold
 * whole records: after a line feed that lies outside every quoted field.
 * Used to hand independent chunks of one input to parallel parsers.
 */
#ifndef DEID_CSV_SPLIT_H
#define DEID_CSV_SPLIT_H

#include <stddef.h>

/* data[0..len) starts at a record boundary (outside quotes). Returns the
 * length of the longest prefix of data[0..target) that ends with a line
 * feed outside quotes; if there is none, of the shortest prefix longer than
 * target that does; 0 if there is no such line feed in data[0..len) at all.
 * The answer depends only on the bytes, not on len (once found), so the
 * same input is always cut at the same places. Quote state is the parity of the quote characters
 * seen: in RFC 4180 CSV a quote inside a quoted field is doubled, so the
 * parity is odd exactly inside quoted fields. In malformed input (a quote
 * inside an unquoted field) the cut may fall inside a record; the parser
 * then stops at that quote anyway, before reaching the cut. */
size_t csv_split_point(const void *data, size_t len, size_t target);

/* Number of line feeds in data[0..len). */
unsigned long csv_count_lines(const void *data, size_t len);

#endif
