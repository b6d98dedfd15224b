/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_dateshift.c - `dateshift key=K by=COL,... (max-days=N | days=A..B)
 * [domain=LABEL]`: moves a date by a keyed number of days that is the same
 * for every date of one subject (guideline: 무작위화, date shifting as in
 * Google DLP's DateShiftConfig).
 *
 * The shift of a record is a uniform whole number of days in [-N, N]
 * (max-days=N) or [A, B] (days=A..B), drawn with keyed_draw_below from the
 * keyed stream (keyed_random.h, purpose "dateshift") of its by= values.
 * The domain is domain=, or else the by= column names joined with ",": so
 * every date column whose rule names the same by= (and key) gets the same
 * shift for one subject, and every interval between two dates of a
 * subject, within a column or across columns, is kept exactly; another
 * by= (or domain=) gives independent shifts. by= is required: a shift per
 * record would not keep intervals.
 *
 * Values are dates in date_text.h's built-in forms, optionally with a
 * time. The output keeps the input's form: every byte that is not part of
 * the year, month and day digits (separators, 년 월 일, the time) is
 * copied as it is; month and day are written with two digits when the
 * input's form has them (YYYY-MM-DD, YYYYMMDD, or a month or day written
 * with a leading zero), else without padding ("2024/3/5"). A shifted date outside the years 0001-9999 is a
 * bad value, as is a value that is not a date.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date_text.h"
#include "draw_source.h"
#include "err.h"
#include "transform.h"

#define MAX_SHIFT_DAYS 36500 /* a century either way */

typedef struct dateshift_state {
    draw_source src;
    long lo, hi; /* the shift range, days */
    int symmetric; /* written as max-days= */
} dateshift_state;

static void dateshift_free(void *state)
{
    dateshift_state *s = state;
    if (!s)
        return;
    draw_source_free(&s->src);
    free(s);
}

/* Reads a whole number of days in [-MAX_SHIFT_DAYS, MAX_SHIFT_DAYS] from
 * s[0..len); returns 1, or 0 when it is not one. */
static int read_days(const char *s, size_t len, long *out)
{
    char buf[16];
    if (!len || len >= sizeof buf)
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    size_t i = buf[0] == '-' || buf[0] == '+';
    if (!buf[i] || strspn(buf + i, "0123456789") != len - i)
        return 0;
    *out = strtol(buf, NULL, 10);
    return *out >= -MAX_SHIFT_DAYS && *out <= MAX_SHIFT_DAYS;
}

static deid_status read_range(xf_context *ctx, dateshift_state *s)
{
    xf_param *pm, *pd;
    deid_status st = xf_param_find_once(ctx, "max-days", &pm);
    st = st ? st : xf_param_find_once(ctx, "days", &pd);
    if (st)
        return st;
    if (!pm == !pd)
        return xf_param_fail(ctx, pm && pd ? pd : NULL,
                             "dateshift needs exactly one of max-days=N or days=A..B");
    if (pm) {
        long n;
        if (!read_days(pm->value, strlen(pm->value), &n) || n < 1 || pm->value[0] == '-')
            return xf_param_fail(ctx, pm, "max-days= needs a whole number of days, 1 to %d",
                                 MAX_SHIFT_DAYS);
        s->lo = -n;
        s->hi = n;
        s->symmetric = 1;
        return DEID_OK;
    }
    const char *dots = strstr(pd->value, "..");
    if (!dots || !read_days(pd->value, (size_t)(dots - pd->value), &s->lo) ||
        !read_days(dots + 2, strlen(dots + 2), &s->hi) || s->lo >= s->hi)
        return xf_param_fail(ctx, pd, "days= needs A..B, whole numbers of days with A < B, "
                                      "each within -%d..%d (e.g. days=-30..30)",
                             MAX_SHIFT_DAYS, MAX_SHIFT_DAYS);
    return DEID_OK;
}

static deid_status dateshift_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    if (!ctx->n_also)
        return xf_param_fail(ctx, NULL, "dateshift needs by=COLUMN: the subject whose dates "
                                        "shift together (one shift per subject keeps intervals)");
    dateshift_state *s = calloc(1, sizeof *s);
    if (!s)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    deid_status st = draw_source_init(ctx, "dateshift", 1, &s->src);
    st = st ? st : read_range(ctx, s);
    if (st) {
        dateshift_free(s);
        return st;
    }
    *state = s;
    return DEID_OK;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil. */
static void civil_from_days(long z, date_ymd *out)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    out->year = (int)(yoe + era * 400 + (m <= 2));
    out->month = (int)m;
    out->day = (int)d;
}

/* 1 when the input writes month and day with two digits: the dash form
 * (which requires them) or a month or day written with a leading zero. */
static int two_digit_form(const xf_value *in)
{
    const char *p = in->data, *end = p + in->len;
    while (p < end && (*p < '0' || *p > '9'))
        p++;
    const char *year = p;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    if (p - year != 4 || (p < end && *p == '-'))
        return 1;
    for (int run = 0; run < 2 && p < end; run++) {
        while (p < end && (*p < '0' || *p > '9'))
            p++;
        if (p < end && *p == '0')
            return 1;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    return 0;
}

/* Appends in with its year, month and day digits replaced by date's, in
 * the input's form (see the header). */
static xf_result render(const xf_value *in, const date_ymd *date, dbuf *out)
{
    const char *p = in->data, *end = p + in->len;
    const int width = two_digit_form(in) ? 2 : 1;
    int run = 0, rc = 0;
    while (p < end && !rc) {
        if (*p < '0' || *p > '9' || run == 3) {
            rc = dbuf_append(out, p++, 1);
            continue;
        }
        const char *q = p;
        while (q < end && *q >= '0' && *q <= '9')
            q++;
        if (run == 0 && q - p == 8) { /* YYYYMMDD */
            rc = dbuf_printf(out, "%04d%02d%02d", date->year, date->month, date->day);
            run = 3;
        } else {
            int v = run == 0 ? date->year : run == 1 ? date->month : date->day;
            rc = dbuf_printf(out, "%0*d", run == 0 ? 4 : width, v);
            run++;
        }
        p = q;
    }
    return rc ? XF_NOMEM : XF_OK;
}

static xf_result dateshift_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                                 const char **why)
{
    const dateshift_state *s = state;
    date_ymd date;
    int rc = date_text_parse(in[0].data, in[0].len, &date);
    if (rc != DATE_TEXT_OK) {
        *why = rc == DATE_TEXT_BAD_DATE   ? "is not a calendar date"
               : rc == DATE_TEXT_BAD_TIME ? "has a time that does not exist"
                                          : "is not a date (" DATE_TEXT_FORMS ")";
        return XF_BAD_VALUE;
    }
    keyed_draws d;
    if (!draw_source_start(&s->src, in, n_in, 0, &d, why))
        return XF_BAD_VALUE;
    long shift = s->lo + (long)keyed_draw_below(&d, (uint64_t)(s->hi - s->lo + 1));
    int failed = d.failed;
    keyed_draws_end(&d);
    if (failed)
        return XF_NOMEM;
    date_ymd moved;
    civil_from_days(days_from_civil(date.year, date.month, date.day) + shift, &moved);
    if (moved.year < 1 || moved.year > 9999) {
        *why = "is shifted outside the years 0001-9999";
        return XF_BAD_VALUE;
    }
    return render(&in[0], &moved, out);
}

static int dateshift_describe(const void *state, dbuf *out)
{
    const dateshift_state *s = state;
    int rc = draw_source_describe(&s->src, out);
    if (rc)
        return rc;
    return s->symmetric ? dbuf_printf(out, " max-days=%ld", s->hi)
                        : dbuf_printf(out, " days=%ld..%ld", s->lo, s->hi);
}

static int dateshift_kept(const void *state, dbuf *out)
{
    (void)state;
    return dbuf_append_str(out, "keeps the intervals between a subject's dates exactly");
}

const transform_ops xf_dateshift_ops = {
    .name = "dateshift",
    .technique = "무작위화/날짜 이동 (date shifting)",
    .flags = XF_TAKES_BY,
    .compile = dateshift_compile,
    .apply = dateshift_apply,
    .describe = dateshift_describe,
    .free = dateshift_free,
    .kept = dateshift_kept,
};
