/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv_fast.c - the quote-free line splitter (see csv_fast.h). Each scan
 * compares a block of bytes with the delimiter, '"' and '\r' at once: a
 * quote or a CR ends the fast path for the line, and each delimiter bit
 * closes a field. The blocks never reach past len: the tail is done a
 * byte at a time, so the caller's buffer needs no padding.
 */
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "bytescan.h"
#include "csv_fast.h"

/* The state of a split in progress: fields closed so far and where the
 * open one starts. */
typedef struct split {
    const char *p;
    csv_field *fields;
    size_t max;
    size_t k;
    size_t start;
    int too_many;
} split;

/* Closes the open field at the delimiter at offset at. Returns 0 when the
 * line would have more than max fields (this one and at least the last). */
static inline int close_field(split *s, size_t at)
{
    if (s->k + 2 > s->max) {
        s->too_many = 1;
        return 0;
    }
    s->fields[s->k].data = s->p + s->start;
    s->fields[s->k].len = at - s->start;
    s->k++;
    s->start = at + 1;
    return 1;
}

/* Bytes from i on, one at a time. Returns 0 on a quote, a CR or too many
 * fields. */
static int scan_bytes(split *s, size_t i, size_t len, unsigned char delim)
{
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s->p[i];
        if (c == '"' || c == '\r')
            return 0;
        if (c == delim && !close_field(s, i))
            return 0;
    }
    return 1;
}

/* Eight bytes at a time up to the last whole word; returns the offset
 * reached, or SIZE_MAX on a quote, a CR or too many fields. Little-endian
 * only: the lowest set bit must be the lowest address. */
static size_t scan_swar(split *s, size_t len, unsigned char delim)
{
    size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= len; i += 8) {
        uint64_t w = bytescan_load(s->p + i);
        if (bytescan_equal(w, '"') | bytescan_equal(w, '\r'))
            return SIZE_MAX;
        for (uint64_t m = bytescan_equal(w, delim); m; m &= m - 1)
            if (!close_field(s, i + (size_t)__builtin_ctzll(m) / 8))
                return SIZE_MAX;
    }
#else
    (void)len;
    (void)delim;
#endif
    return i;
}

#if defined(__SSE2__)
/* Sixteen bytes at a time: as scan_swar. */
static size_t scan_sse2(split *s, size_t len, unsigned char delim)
{
    const __m128i quote = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r');
    const __m128i sep = _mm_set1_epi8((char)delim);
    size_t i = 0;
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s->p + i));
        if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, cr))))
            return SIZE_MAX;
        for (unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, sep)); m; m &= m - 1)
            if (!close_field(s, i + (size_t)__builtin_ctz(m)))
                return SIZE_MAX;
    }
    return i;
}
#endif

size_t csv_fast_fields(const char *p, size_t len, unsigned char delim, csv_field *fields,
                       size_t max, csv_fast_scan scan)
{
    if (max == 0)
        return 0;
    split s = {p, fields, max, 0, 0, 0};
    size_t i = 0;
    if (scan == CSV_FAST_BEST) {
#if defined(__SSE2__)
        i = scan_sse2(&s, len, delim);
#else
        i = scan_swar(&s, len, delim);
#endif
    } else if (scan == CSV_FAST_SWAR) {
        i = scan_swar(&s, len, delim);
    }
    if (i == SIZE_MAX || !scan_bytes(&s, i, len, delim))
        return s.too_many ? CSV_FAST_TOO_MANY : 0;
    fields[s.k].data = p + s.start;
    fields[s.k].len = len - s.start;
    return s.k + 1;
}
