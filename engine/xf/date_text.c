/* SPDX-License-Identifier: Apache-2.0 */
/*
 * date_text.c - dates in the built-in forms and by format= (date_text.h).
 *
 * The built-in forms are fixed so that no value has two readings: the
 * year always comes first with four digits, so 01/02/2023 (day first or
 * month first?) and two-digit years are left to an explicit format=.
 */
#include <string.h>

#include "date_text.h"

#define KOREAN_YEAR "\xeb\x85\x84"  /* 년 */
#define KOREAN_MONTH "\xec\x9b\x94" /* 월 */
#define KOREAN_DAY "\xec\x9d\xbc"   /* 일 */

typedef struct cursor {
    const char *s;
    size_t len, i;
} cursor;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads between min and max digits (as many as there are, up to max).
 * Returns the number, or -1 when fewer than min digits are there. */
static int read_digits(cursor *c, size_t min, size_t max)
{
    size_t n = 0;
    int v = 0;
    while (n < max && c->i < c->len && is_digit(c->s[c->i])) {
        v = v * 10 + (c->s[c->i++] - '0');
        n++;
    }
    return n >= min ? v : -1;
}

/* Consumes the bytes of lit if they come next. Returns 1 if they did. */
static int read_literal(cursor *c, const char *lit, size_t n)
{
    if (c->len - c->i < n || memcmp(c->s + c->i, lit, n) != 0)
        return 0;
    c->i += n;
    return 1;
}

static void skip_one_space(cursor *c)
{
    if (c->i < c->len && c->s[c->i] == ' ')
        c->i++;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
        return 29;
    return days[m - 1];
}

static int check_date(int y, int m, int d, date_ymd *out)
{
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return DATE_TEXT_BAD_DATE;
    *out = (date_ymd){y, m, d};
    return DATE_TEXT_OK;
}

/* Reads the date part of a built-in form into y, m, d (-1 on a failure). */
static void read_date_part(cursor *c, int *y, int *m, int *d)
{
    *y = read_digits(c, 4, 4);
    *m = *d = -1;
    if (*y < 0)
        return;
    if (c->i == c->len) {
        *y = -1;
        return;
    }
    char sep = c->s[c->i];
    if (is_digit(sep)) {
        *m = read_digits(c, 2, 2);
        *d = *m < 0 ? -1 : read_digits(c, 2, 2);
        return;
    }
    if (sep == '-' || sep == '/' || sep == '.') {
        size_t min = sep == '-' ? 2 : 1;
        c->i++;
        *m = read_digits(c, min, 2);
        if (*m < 0 || !read_literal(c, &sep, 1))
            *m = -1;
        else
            *d = read_digits(c, min, 2);
        return;
    }
    skip_one_space(c);
    if (!read_literal(c, KOREAN_YEAR, 3))
        return;
    skip_one_space(c);
    *m = read_digits(c, 1, 2);
    skip_one_space(c);
    if (*m < 0 || !read_literal(c, KOREAN_MONTH, 3)) {
        *m = -1;
        return;
    }
    skip_one_space(c);
    *d = read_digits(c, 1, 2);
    skip_one_space(c);
    if (*d < 0 || !read_literal(c, KOREAN_DAY, 3))
        *d = -1;
}

/* Reads an optional " H:MM[:SS]" or "TH:MM[:SS]" to the end. Returns a
 * DATE_TEXT_* code. */
static int read_time_part(cursor *c)
{
    if (c->i == c->len)
        return DATE_TEXT_OK;
    if (c->s[c->i] != ' ' && c->s[c->i] != 'T')
        return DATE_TEXT_NOT_A_DATE;
    c->i++;
    int h = read_digits(c, 1, 2), mi = -1, sec = 0;
    if (h >= 0 && read_literal(c, ":", 1))
        mi = read_digits(c, 2, 2);
    if (mi >= 0 && read_literal(c, ":", 1))
        sec = read_digits(c, 2, 2);
    if (mi < 0 || sec < 0 || c->i != c->len)
        return DATE_TEXT_NOT_A_DATE;
    return h > 23 || mi > 59 || sec > 59 ? DATE_TEXT_BAD_TIME : DATE_TEXT_OK;
}

int date_text_parse(const char *s, size_t len, date_ymd *out)
{
    cursor c = {s, len, 0};
    int y, m, d;
    read_date_part(&c, &y, &m, &d);
    if (y < 0 || m < 0 || d < 0)
        return DATE_TEXT_NOT_A_DATE;
    int t = read_time_part(&c);
    if (t == DATE_TEXT_NOT_A_DATE)
        return t;
    int rc = check_date(y, m, d, out);
    return rc ? rc : t;
}

/* ---- format= ---- */

enum { F_YEAR4, F_YEAR2, F_MONTH, F_DAY, F_HOUR, F_MINUTE, F_SECOND, N_FIELDS };

/* The field of conversion letter ch, or -1. */
static int field_of(char ch)
{
    static const char letters[N_FIELDS] = {'Y', 'y', 'm', 'd', 'H', 'M', 'S'};
    for (int f = 0; f < N_FIELDS; f++)
        if (letters[f] == ch)
            return f;
    return -1;
}

const char *date_format_check(const char *pattern, int pivot, date_format *f)
{
    int seen[N_FIELDS] = {0};
    for (const char *p = pattern; *p; p++) {
        if (*p != '%')
            continue;
        p++;
        if (*p == '%')
            continue;
        int fld = *p ? field_of(*p) : -1;
        if (fld < 0)
            return "format= knows only %Y %y %m %d %H %M %S and %%";
        if (seen[fld]++)
            return "format= names a field twice";
    }
    if (seen[F_YEAR4] + seen[F_YEAR2] != 1)
        return "format= needs one year: %Y (four digits) or %y (two digits, with pivot=)";
    if (!seen[F_MONTH] || !seen[F_DAY])
        return "format= needs a month (%m) and a day (%d)";
    if (seen[F_YEAR2] && !pivot)
        return "format= with %y needs pivot=YEAR, the first year two-digit years fall in "
               "(e.g. pivot=1950 reads 49 as 2049 and 50 as 1950)";
    if (!seen[F_YEAR2] && pivot)
        return "pivot= is only for format= with %y";
    if (pivot && (pivot < 1 || pivot > 9900))
        return "pivot= must be a year from 1 to 9900";
    f->pattern = pattern;
    f->pivot = pivot;
    return NULL;
}

int date_format_parse(const date_format *f, const char *s, size_t len, date_ymd *out)
{
    cursor c = {s, len, 0};
    int v[N_FIELDS] = {-1, -1, -1, -1, 0, 0, 0};
    for (const char *p = f->pattern; *p; p++) {
        if (*p != '%' || p[1] == '%') {
            p += *p == '%';
            if (!read_literal(&c, p, 1))
                return DATE_TEXT_NOT_A_DATE;
            continue;
        }
        int fld = field_of(*++p);
        size_t min = fld == F_YEAR4 ? 4 : fld == F_YEAR2 ? 2 : 1;
        size_t max = fld == F_YEAR4 ? 4 : 2;
        if ((v[fld] = read_digits(&c, min, max)) < 0)
            return DATE_TEXT_NOT_A_DATE;
    }
    if (c.i != c.len)
        return DATE_TEXT_NOT_A_DATE;
    int y = v[F_YEAR4];
    if (v[F_YEAR2] >= 0) {
        y = f->pivot - f->pivot % 100 + v[F_YEAR2];
        if (y < f->pivot)
            y += 100;
    }
    int rc = check_date(y, v[F_MONTH], v[F_DAY], out);
    if (rc)
        return rc;
    return v[F_HOUR] > 23 || v[F_MINUTE] > 59 || v[F_SECOND] > 59 ? DATE_TEXT_BAD_TIME
                                                                    : DATE_TEXT_OK;
}
