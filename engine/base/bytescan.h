/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bytescan.h - looking for a few byte values in a buffer eight bytes at a
 * time (SWAR). The CSV reader and writer look at every byte of every
 * field for a line feed or a character that needs quoting; a loop per
 * byte or a libc call per field costs more than the parse itself.
 */
#ifndef DEID_BYTESCAN_H
#define DEID_BYTESCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
