/* SPDX-License-Identifier: Apache-2.0 */
/*
 * number.c - reads numbers as spreadsheets write them (number.h).
 *
 * Thousands groups are checked as groups, not stripped: "1,2345" and
 * ",123" are refused rather than read as 12345 and 123, because a
 * misplaced comma more often means two values run together or a decimal
 * comma than a number.
 */
#include <stdlib.h>
#include <string.h>

#include "number.h"

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Adds digit d to *mag, setting *too_big instead once *mag would pass limit. */
static void add_digit(uint64_t *mag, int *too_big, uint64_t limit, unsigned d)
{
    if (*too_big || *mag > (limit - d) / 10)
        *too_big = 1;
    else
        *mag = *mag * 10 + d;
}

/* Reads the integer part at s[*i..len): plain digits, or groups of three
 * after a first group of 1-3 that does not start with 0. Returns 1 and
 * moves *i past it, or 0 if there is no well-formed integer part. */
static int read_integer(const char *s, size_t len, size_t *i, uint64_t limit, number_text *out)
{
    size_t start = *i, j = *i;
    while (j < len && is_digit(s[j]))
        add_digit(&out->magnitude, &out->too_big, limit, (unsigned)(s[j++] - '0'));
    size_t first = j - start;
    if (first == 0)
        return 0;
    if (j < len && s[j] == ',') {
        if (first > 3 || s[start] == '0')
            return 0;
        while (j < len && s[j] == ',') {
            if (len - j < 4 || !is_digit(s[j + 1]) || !is_digit(s[j + 2]) || !is_digit(s[j + 3]))
                return 0;
            for (size_t k = 1; k <= 3; k++)
                add_digit(&out->magnitude, &out->too_big, limit, (unsigned)(s[j + k] - '0'));
            j += 4;
            /* A fourth digit after a group ("1,2345") is a malformed group. */
            if (j < len && is_digit(s[j]))
                return 0;
        }
    }
    *i = j;
    return 1;
}

int number_parse(const char *s, size_t len, number_text *out)
{
    *out = (number_text){.fraction_is_zero = 1};
    size_t i = 0;
    while (i < len && s[i] == ' ')
        i++;
    while (len > i && s[len - 1] == ' ')
        len--;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        out->negative = s[i++] == '-';
    /* The negative side reaches one further: INT64_MIN is -2^63. */
    const uint64_t limit = out->negative ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    if (!read_integer(s, len, &i, limit, out))
        return 0;
    if (i < len && s[i] == '.') {
        i++;
        if (i == len)
            return 0;
        out->first_fraction = is_digit(s[i]) ? s[i] - '0' : 0;
        for (; i < len; i++) {
            if (!is_digit(s[i]))
                return 0;
            if (s[i] != '0')
                out->fraction_is_zero = 0;
        }
    }
    return i == len;
}

size_t number_plain(const char *s, size_t len, char *out)
{
    number_text n;
    if (!number_parse(s, len, &n))
        return 0;
    size_t o = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '-' || s[i] == '.' || is_digit(s[i]))
            out[o++] = s[i];
    return o;
}

int number_parse_whole(const char *s, size_t len, int64_t *out)
{
    number_text n;
    if (!number_parse(s, len, &n) || !n.fraction_is_zero)
        return NUMBER_NOT_WHOLE;
    if (n.too_big)
        return NUMBER_OUT_OF_RANGE;
    if (n.negative)
        *out = n.magnitude == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)n.magnitude;
    else
        *out = (int64_t)n.magnitude;
    return NUMBER_WHOLE_OK;
}

int number_share(const char *s, size_t len, double *share)
{
    int percent = len > 1 && s[len - 1] == '%';
    size_t n = percent ? len - 1 : len;
    char buf[32];
    if (!n || n >= sizeof buf)
        return 0;
    size_t dots = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.')
            dots++;
        else if (s[i] < '0' || s[i] > '9')
            return 0;
    }
    if (dots > 1 || n == dots)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    *share = strtod(buf, NULL) / (percent ? 100 : 1);
    return 1;
}

size_t number_format_u64(uint64_t v, char *out)
{
    char rev[20];
    size_t n = 0;
    do {
        rev[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    return n;
}

/* The magnitude of v, exact for INT64_MIN too. */
static uint64_t magnitude_of(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

size_t number_format_i64(int64_t v, char *out)
{
    size_t at = 0;
    if (v < 0)
        out[at++] = '-';
    return at + number_format_u64(magnitude_of(v), out + at);
}

size_t number_format_padded(int v, unsigned width, char *out)
{
    char digits[NUMBER_TEXT_MAX];
    size_t n = number_format_u64(magnitude_of(v), digits), at = 0;
    if (v < 0)
        out[at++] = '-';
    while (at + n < width)
        out[at++] = '0';
    memcpy(out + at, digits, n);
    return at + n;
}
