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
 *
 * Ladder. `date to=day,month,year,decade level=auto` is a generalization
 * ladder for the optimal search (deid plan): level 0 is the value as it
 * is, level i (1..n) the i-th unit listed, level n+1 "*". The units must go
 * from finer to coarser (day < month < quarter < year < decade), each
 * once, so that the levels form a tree. A value that is not a valid date
 * is a bad value at every level, 0 and "*" included, so that what is
 * planned and what is run agree. apply() on a level=auto rule is a bad
 * value too: the engine must let deid plan choose the level first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "transform.h"

typedef enum date_unit { DATE_YEAR, DATE_QUARTER, DATE_MONTH, DATE_DECADE, DATE_DAY } date_unit;

enum { N_UNITS = 5 };

static const char *const unit_names[N_UNITS] = {"year", "quarter", "month", "decade", "day"};

/* Fineness of each unit (by date_unit): a ladder goes up this order. */
static const int unit_rank[N_UNITS] = {3, 2, 1, 4, 0};

typedef struct date_state {
    date_unit unit;               /* the fixed unit (level=auto: unused) */
    size_t n_units;               /* > 0: level=auto */
    date_unit units[N_UNITS];     /* finer to coarser */
} date_state;

/* Returns the unit named s[0..len), or -1. */
static int find_unit(const char *s, size_t len)
{
    for (int u = 0; u < N_UNITS; u++)
        if (strlen(unit_names[u]) == len && memcmp(unit_names[u], s, len) == 0)
            return u;
    return -1;
}

/* Parses to=A,B,... of a ladder into st. */
static deid_status parse_units(xf_context *ctx, const xf_param *p, date_state *st)
{
    const char *s = p->value;
    size_t i = 0;
    for (;;) {
        size_t len = strcspn(s, ",");
        int u = find_unit(s, len);
        if (u < 0)
            return xf_param_fail(ctx, p,
                                 "to= item %zu is not one of year, quarter, month, decade, day",
                                 i + 1);
        /* More than N_UNITS items cannot all be ascending: caught here. */
        if (i > 0 && unit_rank[u] <= unit_rank[st->units[i - 1]])
            return xf_param_fail(ctx, p,
                                 "to= must go from finer to coarser units, each once: day, "
                                 "month, quarter, year, decade (item %zu)",
                                 i + 1);
        st->units[i++] = (date_unit)u;
        if (!s[len])
            break;
        s += len + 1;
    }
    st->n_units = i;
    return DEID_OK;
}

static deid_status date_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    xf_param *p = xf_param_find(ctx, "to");
    xf_param *level = xf_param_find(ctx, "level");
    if (level && strcmp(level->value, "auto") != 0)
        return xf_param_fail(ctx, level,
                             "date takes only level=auto (with to=UNIT,UNIT,...); a fixed "
                             "unit is to=UNIT");
    if (!p && level)
        return xf_param_fail(ctx, NULL,
                             "date level=auto needs to=UNIT,UNIT,... e.g. to=day,month,year");
    if (!p)
        return xf_param_fail(ctx, NULL, "date needs to=year|quarter|month|decade|day");
    deid_status repeat = xf_param_no_repeat(ctx, p);
    if (repeat)
        return repeat;
    date_state s;
    memset(&s, 0, sizeof s);
    if (level) {
        deid_status rc = parse_units(ctx, p, &s);
        if (rc)
            return rc;
    } else {
        int u = find_unit(p->value, strlen(p->value));
        if (u < 0 && strchr(p->value, ','))
            return xf_param_fail(ctx, p,
                                 "to=%s is not one of year, quarter, month, decade, day "
                                 "(a list of units needs level=auto)",
                                 p->value);
        if (u < 0)
            return xf_param_fail(ctx, p,
                                 "to=%s is not one of year, quarter, month, decade, day",
                                 p->value);
        s.unit = (date_unit)u;
    }
    date_state *st = malloc(sizeof *st);
    if (!st)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    *st = s;
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

/* Parses in as a date into *y, *m, *d. Returns 0, or -1 with *why set. */
static int parse_date(const xf_value *in, int *y, int *m, int *d, const char **why)
{
    const char *s = in->data;
    if (in->len == 8) {
        *y = digits(s, 4);
        *m = digits(s + 4, 2);
        *d = digits(s + 6, 2);
    } else if (in->len == 10 && (s[4] == '-' || s[4] == '/' || s[4] == '.') && s[7] == s[4]) {
        *y = digits(s, 4);
        *m = digits(s + 5, 2);
        *d = digits(s + 8, 2);
    } else {
        *y = *m = *d = -1;
    }
    if (*y < 0 || *m < 0 || *d < 0) {
        *why = "is not a date";
        return -1;
    }
    if (*y == 0 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m)) {
        *why = "is not a valid date";
        return -1;
    }
    return 0;
}

/* Appends the valid date y-m-d at unit. */
static xf_result format_unit(date_unit unit, int y, int m, int d, dbuf *out)
{
    char text[32]; /* room for any int, though y < 10000 here */
    int n = 0;
    switch (unit) {
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

static xf_result date_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                            const char **why)
{
    const date_state *st = state;
    (void)n_in;
    if (xf_ladder_unplanned(st->n_units, why))
        return XF_BAD_VALUE;
    int y, m, d;
    if (parse_date(&in[0], &y, &m, &d, why))
        return XF_BAD_VALUE;
    return format_unit(st->unit, y, m, d, out);
}

static size_t date_levels(const void *state)
{
    return xf_ladder_levels(((const date_state *)state)->n_units);
}

static xf_result date_apply_level(const void *state, const xf_value *in, size_t level,
                                  dbuf *out, const char **why)
{
    const date_state *st = state;
    if (!xf_ladder_has_level(st->n_units, level, why))
        return XF_BAD_VALUE;
    int y, m, d;
    if (parse_date(in, &y, &m, &d, why))
        return XF_BAD_VALUE;
    if (level == 0)
        return dbuf_append(out, in->data, in->len) ? XF_NOMEM : XF_OK;
    if (level == st->n_units + 1)
        return dbuf_append(out, "*", 1) ? XF_NOMEM : XF_OK;
    return format_unit(st->units[level - 1], y, m, d, out);
}

static int date_describe(const void *state, dbuf *out)
{
    const date_state *st = state;
    if (!st->n_units)
        return dbuf_printf(out, "to=%s", unit_names[st->unit]);
    int rc = dbuf_append_str(out, "to=");
    for (size_t i = 0; !rc && i < st->n_units; i++)
        rc = dbuf_printf(out, i ? ",%s" : "%s", unit_names[st->units[i]]);
    return rc ? rc : dbuf_append_str(out, " level=auto");
}

const transform_ops xf_date_ops = {
    .name = "date",
    .technique = "데이터 범주화 (date generalization)",
    .compile = date_compile,
    .apply = date_apply,
    .describe = date_describe,
    .free = free,
    .levels = date_levels,
    .apply_level = date_apply_level,
};
