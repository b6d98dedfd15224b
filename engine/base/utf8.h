/* SPDX-License-Identifier: Apache-2.0 */
/*
 * utf8.h - UTF-8 decoding, code point counting and the Hangul part of
 * Unicode NFC (conjoining jamo composed into syllables, UAX #15 / Unicode
 * ch. 3.12), which is all the normalization deid needs without ICU.
 */
#ifndef DEID_UTF8_H
#define DEID_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include "dbuf.h"

/* Decodes one code point at s (len bytes available). Returns its length in
 * bytes (1-4) and stores it in *cp, or 0 when the bytes are not valid
 * UTF-8 (overlong, surrogate, > U+10FFFF, truncated). */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Returns the number of code points in s, or SIZE_MAX if s is not valid
 * UTF-8. */
size_t utf8_count(const char *s, size_t len);

/* Writes cp as UTF-8 into out; returns the byte count (1-4), 0 if cp is not
 * a scalar value. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* Returns the byte offset just past the first n code points of s (valid
 * UTF-8 assumed; stops at len). */
size_t utf8_offset(const char *s, size_t len, size_t n);

/* Returns 1 if cp has the Unicode White_Space property (PropList.txt:
 * U+0009..000D, 0020, 0085, 00A0, 1680, 2000..200A, 2028, 2029, 202F, 205F,
 * 3000), else 0. Word-splitting transforms use this so that NBSP from
 * spreadsheets and EM or IDEOGRAPHIC SPACE separate words like a space. */
int utf8_is_white_space(uint32_t cp);

/* Appends s to out with conjoining Hangul jamo (L V [T]) and syllable + T
 * sequences composed into precomposed syllables, so NFD Hangul (e.g. from
 * macOS) equals NFC Hangul. Other text is copied unchanged. Returns 1 if s
 * is not valid UTF-8, a DBUF_* error (<0), or 0. */
int utf8_compose_hangul(const char *s, size_t len, dbuf *out);

#endif
