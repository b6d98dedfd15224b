/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv_fast.c - the line splitter of the CSV reader's fast path (see
 * csv_fast.h). Each scan compares a block of bytes with the delimiter, '"'
 * and '\r' at once: each delimiter bit closes a field; a CR ends the fast
 * path for the line; a quote either opens a quoted field (at a field's
 * start, closed by the next quote that is not doubled, which a delimiter
 * or the line's end follows) or ends the fast path. The blocks never
 * reach past len: the tail is done a byte at a time, so the caller's
 * buffer needs no padding.
 */
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "bytescan.h"
#include "csv_fast.h"

/* The state of a split in progress: fields closed so far and where the
 * open one starts (ENDED once a quoted field closed the line). */
typedef struct split {
    const char *p;
    size_t len;
    unsigned char delim;
    csv_fast_scan scan;
    csv_field *fields;
    size_t max;
    size_t k;
    size_t start;
    int too_many;
} split;

#define ENDED SIZE_MAX
#define FAILED SIZE_MAX

/* Adds the field p[from..from+n) that a delimiter ends. Returns 0 when the
 * line would have more than max fields (this one and at least the last). */
static inline int add_field(split *s, size_t from, size_t n)
{
    if (s->k + 2 > s->max) {
        s->too_many = 1;
        return 0;
    }
    s->fields[s->k].data = s->p + from;
    s->fields[s->k].len = n;
    s->k++;
    return 1;
}

/* Closes the open field at the delimiter at offset at. Returns 0 on too
 * many fields. */
static inline int close_field(split *s, size_t at)
{
    if (!add_field(s, s->start, at - s->start))
        return 0;
    s->start = at + 1;
    return 1;
}

/* The offset of the first '"' or '\r' in p[i..len), or len. */
static size_t find_quote_or_cr(const split *s, size_t i)
{
    const char *p = s->p;
#if defined(__SSE2__)
    if (s->scan == CSV_FAST_BEST) {
        const __m128i quote = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r');
        for (; i + 16 <= s->len; i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            unsigned m = (unsigned)_mm_movemask_epi8(
                _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, cr)));
            if (m)
                return i + (size_t)__builtin_ctz(m);
        }
    }
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (s->scan != CSV_FAST_BYTES) {
        for (; i + 8 <= s->len; i += 8) {
            uint64_t w = bytescan_load(p + i);
            uint64_t m = bytescan_equal(w, '"') | bytescan_equal(w, '\r');
            if (m)
                return i + (size_t)__builtin_ctzll(m) / 8;
        }
    }
#endif
    for (; i < s->len; i++)
        if (p[i] == '"' || p[i] == '\r')
            return i;
    return s->len;
}

/* The quote at offset at. Returns the offset to scan on from (after the
 * closing quote's delimiter, or len), or FAILED when the quote is not the
 * start of a quoted field that ends on the line: inside an unquoted
 * field, no closing quote on the line, a CR inside, text after the
 * closing quote, or too many fields. libcsv reads all of those. The field
 * is its raw content, doubled quotes as they are. */
static size_t quoted_field(split *s, size_t at)
{
    if (at != s->start)
        return FAILED;
    size_t close = find_quote_or_cr(s, at + 1);
    /* a doubled quote is part of the field */
    while (close + 1 < s->len && s->p[close] == '"' && s->p[close + 1] == '"')
        close = find_quote_or_cr(s, close + 2);
    if (close >= s->len || s->p[close] != '"')
        return FAILED;
    size_t after = close + 1;
    if (after == s->len) {
        /* the line's last field: close_field left room for it */
        s->fields[s->k].data = s->p + at + 1;
        s->fields[s->k].len = close - at - 1;
        s->k++;
        s->start = ENDED;
        return s->len;
    }
    if ((unsigned char)s->p[after] != s->delim || !add_field(s, at + 1, close - at - 1))
        return FAILED;
    s->start = after + 1;
    return after + 1;
}

/* Bytes from i on, one at a time. Returns 0 when the fast path gives up. */
static int scan_bytes(split *s, size_t i)
{
    while (i < s->len) {
        unsigned char c = (unsigned char)s->p[i];
        if (c == '\r')
            return 0;
        if (c == '"') {
            i = quoted_field(s, i);
            if (i == FAILED)
                return 0;
            continue;
        }
        if (c == s->delim && !close_field(s, i))
            return 0;
        i++;
    }
    return 1;
}

/* Eight bytes at a time up to the last whole word; returns the offset
 * reached, or FAILED. Little-endian only: the lowest set bit must be the
 * lowest address. */
static size_t scan_swar(split *s)
{
    size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (i + 8 <= s->len) {
        uint64_t w = bytescan_load(s->p + i);
        uint64_t stop = bytescan_equal(w, '"') | bytescan_equal(w, '\r');
        uint64_t m = bytescan_equal(w, s->delim);
        if (stop) /* the delimiters before the first quote or CR */
            m &= ((uint64_t)1 << (__builtin_ctzll(stop) & ~7)) - 1;
        for (; m; m &= m - 1)
            if (!close_field(s, i + (size_t)__builtin_ctzll(m) / 8))
                return FAILED;
        if (!stop) {
            i += 8;
            continue;
        }
        size_t at = i + (size_t)__builtin_ctzll(stop) / 8;
        if (s->p[at] == '\r')
            return FAILED;
        i = quoted_field(s, at);
        if (i == FAILED)
            return FAILED;
    }
#endif
    return i;
}

#if defined(__SSE2__)
/* Sixteen bytes at a time: as scan_swar. */
static size_t scan_sse2(split *s)
{
    const __m128i quote = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r');
    const __m128i sep = _mm_set1_epi8((char)s->delim);
    size_t i = 0;
    while (i + 16 <= s->len) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s->p + i));
        unsigned stop = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, cr)));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, sep));
        if (stop)
            m &= (1u << __builtin_ctz(stop)) - 1;
        for (; m; m &= m - 1)
            if (!close_field(s, i + (size_t)__builtin_ctz(m)))
                return FAILED;
        if (!stop) {
            i += 16;
            continue;
        }
        size_t at = i + (size_t)__builtin_ctz(stop);
        if (s->p[at] == '\r')
            return FAILED;
        i = quoted_field(s, at);
        if (i == FAILED)
            return FAILED;
    }
    return i;
}
#endif

size_t csv_fast_fields(const char *p, size_t len, unsigned char delim, csv_field *fields,
                       size_t max, csv_fast_scan scan)
{
    if (max == 0)
        return 0;
    split s = {p, len, delim, scan, fields, max, 0, 0, 0};
    size_t i = 0;
    if (scan == CSV_FAST_BEST) {
#if defined(__SSE2__)
        i = scan_sse2(&s);
#else
        i = scan_swar(&s);
#endif
    } else if (scan == CSV_FAST_SWAR) {
        i = scan_swar(&s);
    }
    if (i == FAILED || !scan_bytes(&s, i))
        return s.too_many ? CSV_FAST_TOO_MANY : 0;
    if (s.start != ENDED) {
        fields[s.k].data = p + s.start;
        fields[s.k].len = len - s.start;
        s.k++;
    }
    return s.k;
}
