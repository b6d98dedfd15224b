/* SPDX-License-Identifier: Apache-2.0 */
/*
 * number.h - the one reader of numbers written in data values, shared by
 * every transform that computes with a value (range, round and their
 * level=auto ladders) and by the ordered t-closeness distance (privacy.c).
 *
 * Accepted text, as spreadsheets write it: optional spaces (U+0020) on
 * either side; an optional '+' or '-'; an integer part that is either
 * plain digits (leading zeros allowed) or thousands groups (a first group
 * of 1-3 digits not starting with 0, then one or more ",ddd"); an optional
 * '.' followed by one or more digits. Digits are ASCII only. Anything else
 * (exponents, hex, "1,2345", ",123", "+-5", full-width digits, a value of
 * spaces only) is not a number.
 */
#ifndef DEID_NUMBER_H
#define DEID_NUMBER_H

#include <stddef.h>
#include <stdint.h>

/* A number read from text. The magnitude is exact while it fits the
 * int64 range of its sign (INT64_MAX, or 2^63 when negative); beyond that
 * too_big is set and magnitude is unspecified. */
typedef struct number_text {
    int negative;          /* written with '-' (also "-0") */
    uint64_t magnitude;    /* the integer part, without sign */
    int too_big;           /* the integer part does not fit int64 with its sign */
    int first_fraction;    /* first digit after the point, 0 when there is none */
    int fraction_is_zero;  /* no fraction, or only zeros after the point */
} number_text;

/* Reads s[0..len) into *out. Returns 1 when it is a number in the
 * accepted form above, 0 otherwise (*out then unspecified). */
int number_parse(const char *s, size_t len, number_text *out);

enum { NUMBER_WHOLE_OK = 0, NUMBER_NOT_WHOLE = 1, NUMBER_OUT_OF_RANGE = 2 };

/* Reads s[0..len) as a whole number into *out: an accepted number whose
 * fraction, if any, is zeros ("34.0"). Returns NUMBER_WHOLE_OK,
 * NUMBER_NOT_WHOLE (not a number, or a non-zero fraction) or
 * NUMBER_OUT_OF_RANGE (a whole number outside int64). */
int number_parse_whole(const char *s, size_t len, int64_t *out);

/* Writes s[0..len) to out (room for len bytes) as plain decimal text:
 * the accepted number without spaces, '+' and thousands separators
 * ("+1,234.50 " -> "1234.50"). Returns the length written, or 0 when s is
 * not an accepted number. */
size_t number_plain(const char *s, size_t len, char *out);

/* Reads a share written as a percentage ("10%", "2.5%") or as a plain
 * decimal ("0.1"): ASCII digits with at most one '.', and for a
 * percentage a final '%'. Returns 1 with *share (the percentage divided by
 * 100), or 0 when s[0..len) is neither. The range is the caller's. */
int number_share(const char *s, size_t len, double *share);
/* Decimal text of numbers, written by hand (a snprintf per value shows in
 * the profile of a run). None writes a NUL; out must have room for
 * NUMBER_TEXT_MAX bytes. Each returns the length written. */
#define NUMBER_TEXT_MAX 24
/* v as "%" PRIu64 writes it. */
size_t number_format_u64(uint64_t v, char *out);
/* v as "%" PRId64 writes it. */
size_t number_format_i64(int64_t v, char *out);
/* v as "%0*d" with width (at most 20) writes it: zero-padded, a '-'
 * counted in the width. */
size_t number_format_padded(int v, unsigned width, char *out);

/* The accepted forms by example, for error messages (static text). */
#define NUMBER_WHOLE_FORMS "accepted: 1234, -1234, +1234, 1,234,567, 1234.0, spaces around"
#define NUMBER_DECIMAL_FORMS "accepted: 1234.5, -1234, +1234, 1,234,567.5, spaces around"

#endif
