/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_date.c - `date to=year|quarter|month|decade|day`: a calendar date
 * becomes a coarser one (guideline: generalization of dates).
 *
 * Accepted values: the built-in forms of date_text.h (YYYY-MM-DD,
 * YYYY/M/D, YYYY.M.D, YYYYMMDD, YYYY년 M월 D일, each with an optional
 * time), or with `format=PATTERN [pivot=YEAR]` exactly that pattern and
 * nothing else. Years 0001-9999 of the Gregorian calendar; impossible
 * dates (month 13, day 0, Feb 29 of 1900) and times (25:00) are bad values.
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

#include "date_text.h"
#include "err.h"
#include "number.h"
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
    char *format;                 /* format= pattern (owned), or NULL: the built-in forms */
    date_format fmt;              /* checked format; fmt.pattern is format */
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

static void date_free(void *state)
{
    date_state *st = state;
    if (st)
        free(st->format);
    free(st);
}

/* Reads format= and pivot= into st (st->format NULL when there is none). */
static deid_status compile_format(xf_context *ctx, date_state *st)
{
    st->format = NULL;
    xf_param *format, *pivot;
    deid_status rc = xf_param_find_once(ctx, "format", &format);
    if (!rc)
        rc = xf_param_find_once(ctx, "pivot", &pivot);
    if (rc)
        return rc;
    unsigned long long year = 0;
    if (pivot && (rc = xf_param_uint(ctx, "pivot", 0, 1, 9900, 0, &year)) != DEID_OK)
        return rc;
    if (!format)
        return pivot ? xf_param_fail(ctx, pivot, "pivot= is only for format= with %%y") : DEID_OK;
    const char *why = date_format_check(format->value, (int)year, &st->fmt);
    if (why)
        return xf_param_fail(ctx, strncmp(why, "pivot=", 6) == 0 ? pivot : format, "%s", why);
    st->format = strdup(format->value);
    if (!st->format)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    st->fmt.pattern = st->format;
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
    deid_status rc = compile_format(ctx, st);
    if (rc) {
        date_free(st);
        return rc;
    }
    *state = st;
    return DEID_OK;
}

/* Reads in as a date into *y, *m, *d by st's format= or the built-in
 * forms. Returns 0, or -1 with *why set (static text). */
static int parse_date(const date_state *st, const xf_value *in, int *y, int *m, int *d,
                      const char **why)
{
    date_ymd v;
    int rc = st->format ? date_format_parse(&st->fmt, in->data, in->len, &v)
                        : date_text_parse(in->data, in->len, &v);
    switch (rc) {
    case DATE_TEXT_OK:
        *y = v.year;
        *m = v.month;
        *d = v.day;
        return 0;
    case DATE_TEXT_BAD_DATE:
        *why = "is not a valid date";
        break;
    case DATE_TEXT_BAD_TIME:
        *why = "has a time that does not exist";
        break;
    default:
        *why = st->format ? "does not match the rule's format=" : "is not a date (" DATE_TEXT_FORMS ")";
        break;
    }
    return -1;
}

/* Appends the valid date y-m-d at unit. */
static xf_result format_unit(date_unit unit, int y, int m, int d, dbuf *out)
{
    char text[4 * NUMBER_TEXT_MAX]; /* room for any int, though y < 10000 here */
    size_t n = number_format_padded(unit == DATE_DECADE ? y - y % 10 : y, 4, text);
    switch (unit) {
    case DATE_YEAR:
        break;
    case DATE_QUARTER:
        memcpy(text + n, "-Q", 2);
        n += 2;
        n += number_format_padded((m - 1) / 3 + 1, 1, text + n);
        break;
    case DATE_MONTH:
        text[n++] = '-';
        n += number_format_padded(m, 2, text + n);
        break;
    case DATE_DECADE:
        text[n++] = '-';
        n += number_format_padded(y - y % 10 + 9, 4, text + n);
        break;
    case DATE_DAY:
        text[n++] = '-';
        n += number_format_padded(m, 2, text + n);
        text[n++] = '-';
        n += number_format_padded(d, 2, text + n);
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
    if (parse_date(st, &in[0], &y, &m, &d, why))
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
    if (parse_date(st, in, &y, &m, &d, why))
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
    int rc;
    if (!st->n_units) {
        rc = dbuf_printf(out, "to=%s", unit_names[st->unit]);
    } else {
        rc = dbuf_append_str(out, "to=");
        for (size_t i = 0; !rc && i < st->n_units; i++)
            rc = dbuf_printf(out, i ? ",%s" : "%s", unit_names[st->units[i]]);
        rc = rc ? rc : dbuf_append_str(out, " level=auto");
    }
    if (!rc && st->format) {
        rc = dbuf_append_str(out, " format=");
        rc = rc ? rc : xf_append_value(out, st->format);
        if (!rc && st->fmt.pivot)
            rc = dbuf_printf(out, " pivot=%d", st->fmt.pivot);
    }
    return rc;
}

static int date_kept(const void *state, dbuf *out)
{
    const date_state *st = state;
    if (st->n_units)
        return dbuf_append_str(out, "keeps up to the whole date (deid plan chooses the unit)");
    return dbuf_printf(out, "keeps the %s", st->unit == DATE_DAY ? "whole date" : unit_names[st->unit]);
}

const transform_ops xf_date_ops = {
    .name = "date",
    .technique = "데이터 범주화 (date generalization)",
    .compile = date_compile,
    .apply = date_apply,
    .describe = date_describe,
    .free = date_free,
    .levels = date_levels,
    .apply_level = date_apply_level,
    .kept = date_kept,
};
