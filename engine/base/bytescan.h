/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bytescan.h - looking for a few byte values in a buffer eight bytes at a
 * time (SWAR). The CSV reader and writer look at every byte of every
 * field for a line feed or a character that needs quoting; a loop per
 * byte or a libc call per field costs more than the parse itself. Where
 * the compiler targets SSE2 (always on x86-64) sixteen bytes a step come
 * first; the SWAR words and single bytes finish (or do it all elsewhere).
 */
#ifndef DEID_BYTESCAN_H
#define DEID_BYTESCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define BYTESCAN_ONES  0x0101010101010101ull
#define BYTESCAN_HIGHS 0x8080808080808080ull
#define BYTESCAN_LOWS  0x7f7f7f7f7f7f7f7full

/* 0x80 in each byte of w equal to c, 0 elsewhere (exact: no carry crosses
 * a byte). */
static inline uint64_t bytescan_equal(uint64_t w, unsigned char c)
{
    uint64_t x = w ^ (BYTESCAN_ONES * c);
    return ~(((x & BYTESCAN_LOWS) + BYTESCAN_LOWS) | x) & BYTESCAN_HIGHS;
}

static inline uint64_t bytescan_load(const char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
}

/* Number of bytes equal to c in p[0..len). */
static inline size_t bytescan_count(const char *p, size_t len, unsigned char c)
{
    size_t n = 0, i = 0;
#if defined(__SSE2__)
    const __m128i want = _mm_set1_epi8((char)c), zero = _mm_setzero_si128();
    while (i + 16 <= len) {
        /* each byte lane counts its matches (cmpeq gives -1): at most 255
         * blocks before the lanes are summed */
        __m128i acc = zero;
        size_t end = len - i > 255 * 16 ? i + 255 * 16 : len;
        for (; i + 16 <= end; i += 16)
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + i)), want));
        __m128i sums = _mm_sad_epu8(acc, zero);
        n += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
    }
#endif
    for (; i + 8 <= len; i += 8)
        /* one bit per matching byte, moved to the byte's low bit and summed
         * by the multiply into the top byte (at most 8) */
        n += (size_t)(((bytescan_equal(bytescan_load(p + i), c) >> 7) * BYTESCAN_ONES) >> 56);
    for (; i < len; i++)
        n += (unsigned char)p[i] == c;
    return n;
}

/* Nonzero if any byte of p[0..len) is one of a, b, c, d. */
static inline int bytescan_any4(const char *p, size_t len, unsigned char a, unsigned char b,
                                unsigned char c, unsigned char d)
{
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
    const __m128i vc = _mm_set1_epi8((char)c), vd = _mm_set1_epi8((char)d);
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd)));
        if (_mm_movemask_epi8(hit))
            return 1;
    }
#endif
    for (; i + 8 <= len; i += 8) {
        uint64_t w = bytescan_load(p + i);
        if (bytescan_equal(w, a) | bytescan_equal(w, b) | bytescan_equal(w, c) |
            bytescan_equal(w, d))
            return 1;
    }
    for (; i < len; i++) {
        unsigned char x = (unsigned char)p[i];
        if (x == a || x == b || x == c || x == d)
            return 1;
    }
    return 0;
}

#endif
