/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv_split.c - finding cut points between records (see csv_split.h).
 *
 * The cut needs the quote parity at the end of the block, so every byte
 * is looked at once; this runs on the thread that feeds the parsers, so it
 * must be much faster than parsing. Eight bytes at a time: a byte equal to
 * '"' becomes 0x80 in a mask word, and the parity of all mask bits is the
 * parity of the quotes. Only the tail after the cut is then walked back
 * byte by byte.
 */
#include <stdint.h>
#include <string.h>

#include "bytescan.h"
#include "csv_split.h"

static unsigned quote_parity(const unsigned char *d, size_t len)
{
    uint64_t acc = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8)
        acc ^= bytescan_equal(bytescan_load((const char *)d + i), '"');
    unsigned parity = (unsigned)__builtin_parityll(acc);
    for (; i < len; i++)
        parity ^= d[i] == '"';
    return parity;
}

size_t csv_split_point(const void *data, size_t len, size_t target)
{
    const unsigned char *d = data;
    if (target > len)
        target = len;
    const unsigned at_target = quote_parity(d, target); /* inside a quoted field there */
    unsigned inside = at_target;
    for (size_t i = target; i > 0; i--) {
        unsigned char c = d[i - 1];
        if (c == '\n' && !inside)
            return i;
        if (c == '"')
            inside ^= 1u;
    }
    /* A record longer than target starts the block: its end, if here. */
    inside = at_target;
    for (size_t i = target; i < len; i++) {
        unsigned char c = d[i];
        if (c == '\n' && !inside)
            return i + 1;
        if (c == '"')
            inside ^= 1u;
    }
    return 0;
}

unsigned long csv_count_lines(const void *data, size_t len)
{
    return (unsigned long)bytescan_count(data, len, '\n');
}
