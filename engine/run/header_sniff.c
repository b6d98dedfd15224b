/* SPDX-License-Identifier: Apache-2.0 */
/*
 * header_sniff.c - does a first record look like data (header_sniff.h)?
 */
#include <string.h>

#include "header_sniff.h"

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* ASCII punctuation (what ispunct gives in the C locale), without the
 * locale lookup. */
static int is_punct(char c)
{
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

/* The digits of s[0..len) without '-' (and nothing else skipped); 0 when
 * something other than digits and '-' is there. */
static size_t digits_dashes(const char *s, size_t len, char *out, size_t room)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '-')
            continue;
        if (!is_digit(s[i]) || n + 1 >= room)
            return 0;
        out[n++] = s[i];
    }
    return n;
}

/* Shapes of the numeric kinds, for the message only: any numeric cell
 * is data whatever its shape. */
static const char *numeric_kind(const char *s, size_t len)
{
    char d[32];
    size_t n = digits_dashes(s, len, d, sizeof d);
    if (n == 13 && (len == 13 || (len == 14 && s[6] == '-')))
        return "a resident registration number";
    if ((n == 10 || n == 11) && d[0] == '0' && d[1] == '1')
        return "a phone number";
    if (len == 10 && is_digit(s[0]) && is_digit(s[3]) && (s[4] == '-' || s[4] == '/' ||
                                                          s[4] == '.') && s[7] == s[4])
        return "a date";
    return "a number";
}

static int is_email(const char *s, size_t len)
{
    const char *at = memchr(s, '@', len);
    if (!at || at == s || memchr(s, ' ', len))
        return 0;
    size_t dom = len - (size_t)(at - s) - 1;
    const char *dot = dom ? memchr(at + 1, '.', dom) : NULL;
    /* text after the dot, and a single @ */
    return dot && dot > at + 1 && dot < s + len - 1 && !memchr(at + 1, '@', dom);
}

const char *header_sniff_cell(const char *s, size_t len)
{
    while (len && s[0] == ' ')
        s++, len--;
    while (len && s[len - 1] == ' ')
        len--;
    if (!len)
        return NULL;
    /* "#3": the positional name deid gives columns without header */
    size_t digits = 1;
    while (digits < len && is_digit(s[digits]))
        digits++;
    if (s[0] == '#' && len > 1 && digits == len)
        return NULL;
    if (is_email(s, len))
        return "an e-mail address";
    int digit = 0;
    for (size_t i = 0; i < len; i++) {
        if (is_digit(s[i]))
            digit = 1;
        else if (!is_punct(s[i]) && s[i] != ' ')
            return NULL;
    }
    return digit ? numeric_kind(s, len) : NULL;
}

long header_sniff_record(const csv_field *f, size_t n, const char **what)
{
    for (size_t i = 0; i < n; i++) {
        const char *kind = header_sniff_cell(f[i].data, f[i].len);
        if (kind) {
            *what = kind;
            return (long)i;
        }
    }
    return -1;
}
