/*
 * xf_date.c - `date to=year|quarter|month|decade|day`: a calendar date
 * becomes a coarser one (guideline: generalization of dates).
 *
 * Accepted shapes, exactly: YYYY-MM-DD, YYYYMMDD, YYYY/MM/DD, YYYY.MM.DD
 * (one separator used twice). Years 0001-9999 of the Gregorian calendar;
 * impossible dates (month 13, day 0, Feb 29 of 1900) are bad values.
 * Output: year "1987", quarter "1987-Q1", month "1987-03", decade
 * "1980-1989", day "1987-03-14" (the date in ISO form, so that differently
 * written inputs meet in one class).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "transform.h"

typedef enum date_unit { DATE_YEAR, DATE_QUARTER, DATE_MONTH, DATE_DECADE, DATE_DAY } date_unit;

static const char *const unit_names[] = {"year", "quarter", "month", "decade", "day"};

typedef struct date_state {
    date_unit unit;
} date_state;

static deid_status date_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    xf_param *p = xf_param_find(ctx, "to");
    if (!p)
        return xf_param_fail(ctx, NULL, "date needs to=year|quarter|month|decade|day");
    for (xf_param *q = p + 1; q < ctx->params + ctx->n_params; q++)
        if (q->name && strcmp(q->name, "to") == 0) {
            q->used = 1;
            return xf_param_fail(ctx, q, "parameter to= given twice");
        }
    size_t u = 0;
    while (u < sizeof unit_names / sizeof unit_names[0] && strcmp(p->value, unit_names[u]) != 0)
        u++;
    if (u == sizeof unit_names / sizeof unit_names[0])
        return xf_param_fail(ctx, p, "to=%s is not one of year, quarter, month, decade, day",
                             p->value);
    date_state *st = malloc(sizeof *st);
    if (!st)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    st->unit = (date_unit)u;
    *state = st;
    return DEID_OK;
}

/* Reads n ASCII digits at s; returns -1 if any is not a digit. */
static int digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
        return 29;
    return days[m - 1];
}

static xf_result date_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                            const char **why)
{
    (void)n_in;
    const char *s = in[0].data;
    int y, m, d;
    if (in[0].len == 8) {
        y = digits(s, 4);
        m = digits(s + 4, 2);
        d = digits(s + 6, 2);
    } else if (in[0].len == 10 && (s[4] == '-' || s[4] == '/' || s[4] == '.') && s[7] == s[4]) {
        y = digits(s, 4);
        m = digits(s + 5, 2);
        d = digits(s + 8, 2);
    } else {
        y = m = d = -1;
    }
    if (y < 0 || m < 0 || d < 0) {
        *why = "is not a date";
        return XF_BAD_VALUE;
    }
    if (y == 0 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) {
        *why = "is not a valid date";
        return XF_BAD_VALUE;
    }
    char text[32]; /* room for any int, though y < 10000 here */
    int n = 0;
    switch (((const date_state *)state)->unit) {
    case DATE_YEAR:
        n = snprintf(text, sizeof text, "%04d", y);
        break;
    case DATE_QUARTER:
        n = snprintf(text, sizeof text, "%04d-Q%d", y, (m - 1) / 3 + 1);
        break;
    case DATE_MONTH:
        n = snprintf(text, sizeof text, "%04d-%02d", y, m);
        break;
    case DATE_DECADE:
        n = snprintf(text, sizeof text, "%04d-%04d", y - y % 10, y - y % 10 + 9);
        break;
    case DATE_DAY:
        n = snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
        break;
    }
    return dbuf_append(out, text, (size_t)n) ? XF_NOMEM : XF_OK;
}

static int date_describe(const void *state, dbuf *out)
{
    return dbuf_printf(out, "to=%s", unit_names[((const date_state *)state)->unit]);
}

const transform_ops xf_date_ops = {
    .name = "date",
    .technique = "데이터 범주화 (date generalization)",
    .compile = date_compile,
    .apply = date_apply,
    .describe = date_describe,
    .free = free,
};
