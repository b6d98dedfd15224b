/* SPDX-License-Identifier: Apache-2.0 */
/*
 * header_sniff.h - does an input's first record look like data rather
 * than column names? An extract saved without its header row, read with
 * the default `header=yes`, would otherwise have its first record taken
 * for names; those names are personal data and would be bound, compared
 * and (before issue 12) printed. The check is deliberately narrow, so
 * that real headers pass:
 *  - an e-mail address (text@text.text, no spaces) is data;
 *  - a cell with at least one digit and nothing but ASCII digits,
 *    punctuation and spaces is data: resident registration numbers
 *    (900101-1234567), phone numbers (010-1234-5678), dates (2024-01-31),
 *    amounts (1,200.50), postal codes (06236). A column name made only
 *    of digits (a year, `2024`) is taken for data too: rename it, or say
 *    the input has no header.
 * Names with a letter or a Hangul syllable (`id`, `zip`, `2024_sales`,
 * `주민번호`), positional names (`#3`) and empty cells never count as data.
 */
#ifndef DEID_HEADER_SNIFF_H
#define DEID_HEADER_SNIFF_H

#include <stddef.h>

#include "csv_in.h"

/* Returns what the cell s[0..len) looks like ("a resident registration
 * number", "a phone number", "an e-mail address", "a date", "a number"),
 * or NULL when it may be a column name. The answer names a kind, never
 * the value. */
const char *header_sniff_cell(const char *s, size_t len);

/* Returns the index of the first of the n cells that looks like data and
 * sets *what to its kind, or -1 when every cell may be a column name. */
long header_sniff_record(const csv_field *f, size_t n, const char **what);

#endif
