/* SPDX-License-Identifier: Apache-2.0 */
/*
 * textenc.h - the text encodings deid reads and writes: their names,
 * whether bytes are ASCII or valid UTF-8, and conversion between UTF-8
 * and CP949 / EUC-KR through the C library's iconv (no other dependency).
 *
 * A text_conv holds the iconv descriptors of one thread (iconv_t keeps
 * state and is not to be shared between threads): each lane owns one.
 * Every conversion is of one whole value, so no shift state or partial
 * character carries from one call to the next.
 */
#ifndef DEID_TEXTENC_H
#define DEID_TEXTENC_H

#include <stddef.h>

#include "dbuf.h"
#include "deid.h"

/* The name the summary, reports and messages use ("utf-8", "cp949",
 * "euc-kr", "auto"); "?" for anything else. */
const char *textenc_name(deid_encoding e);

/* Returns 1 when none of the n bytes at p has its high bit set. */
int textenc_is_ascii(const char *p, size_t n);

/* Returns 1 when (p, n) is valid UTF-8; else 0 with *bad the offset of
 * the first byte that does not start a valid character. */
int textenc_valid_utf8(const char *p, size_t n, size_t *bad);

/* Returns 1 when (p, n) is valid UTF-8 by the rules of textenc_valid_utf8,
 * else 0, without saying where: sixteen bytes a step with SSE2, for
 * checking whole records before asking textenc_valid_utf8 where one fails. */
int textenc_utf8_ok(const char *p, size_t n);

/* Results of the conversions. */
enum { TEXTENC_OK = 0, TEXTENC_BAD = 1, TEXTENC_NOMEM = -1 };

typedef struct text_conv text_conv;

/* Returns a converter (no descriptor is opened until needed), or NULL
 * when out of memory. */
text_conv *text_conv_new(void);
void text_conv_free(text_conv *c);

/* Appends (p, n), read as from (DEID_ENCODING_CP949 or EUCKR, both read
 * with CP949's tables), to out as UTF-8. Returns TEXTENC_OK;
 * TEXTENC_BAD with *bad the offset of the first byte that is not part of
 * a valid character (a lone lead byte at the end included), out then
 * holding a part; or TEXTENC_NOMEM (no memory, no iconv descriptor, or
 * out's maximum reached). */
int text_conv_decode(text_conv *c, deid_encoding from, const char *p, size_t n, dbuf *out,
                     size_t *bad);

/* Appends the UTF-8 (p, n) to out in to (DEID_ENCODING_CP949, or EUCKR:
 * strict KS X 1001). Returns as text_conv_decode; TEXTENC_BAD also when a
 * character has no code in to (*bad: its offset in p). */
int text_conv_encode(text_conv *c, deid_encoding to, const char *p, size_t n, dbuf *out,
                     size_t *bad);

#endif
