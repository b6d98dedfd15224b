/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_range.c - `range width=W` and `range breaks=A,B,C`: a whole number
 * becomes the band it falls in (guideline: range method, with top and
 * bottom coding for breaks=); `range widths=A,B,... level=auto` is a ladder
 * of such bands for deid plan.
 *
 * Labels. A band is written "LO-HI" with both bounds inclusive and each
 * bound printed as a signed decimal, so a band below zero reads with a
 * double hyphen: width=10 puts -1 in "-10--1" and -15 in "-20--11". A
 * reader splits a label at the first '-' that follows a digit. With
 * breaks=A,...,Z the values below A become "<A" and those from Z up "Z+".
 *
 * Values are read by number.h, so Excel's "53,860,000", " 34", "+34" and
 * "34.0" are the whole numbers they show; a fraction other than zeros is
 * not a whole number. (Rules parameters stay plain: parse_whole below.)
 *
 * Arithmetic is exact on int64: a value or a band bound that does not fit
 * is a bad value ("is out of range"), never a wrapped number.
 *
 * Ladder. `range widths=5,10,20 level=auto` is a generalization ladder for
 * the optimal search (deid plan): level 0 is the value as it is, level i
 * (1..n) its band of the i-th width, level n+1 "*". The widths must be
 * strictly ascending and each a multiple of the one before, so that every
 * band lies inside one band of the next level (bands start at multiples of
 * their width) and the levels form a tree, as the search assumes. A value
 * is checked at every level, "*" and level 0 included, against every width:
 * one that is not a whole number, or whose band at any width does not fit
 * int64, is a bad value at all levels, so that what is planned and what is
 * run agree. apply() on a level=auto rule is a bad value too: the engine
 * must let deid plan choose the level first.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deid_limits.h"
#include "err.h"
#include "number.h"
#include "transform.h"

typedef struct range_state {
    int64_t width;     /* > 0 for width=, 0 for breaks= and widths= */
    size_t n_breaks;
    int64_t *breaks;   /* strictly ascending */
    size_t n_widths;   /* > 0: level=auto with widths= */
    int64_t *widths;   /* strictly ascending, each a multiple of the one before */
} range_state;

/* widths= items: the ladder adds level 0 and "*", and no ladder may be
 * longer than a hierarchy file may be deep. */
#define MAX_WIDTHS (DEID_MAX_HIERARCHY_LEVELS - 2)

/* Longest label: "-9223372036854775808--9223372036854775807" is 41 bytes. */
#define LABEL_MAX 48

enum { WHOLE_OK = 0, WHOLE_SYNTAX = 1, WHOLE_RANGE = 2 };

/* Parses a rules parameter item s[0..len) as an optional '-' and one or
 * more ASCII digits into *out. Returns WHOLE_OK, WHOLE_SYNTAX or WHOLE_RANGE (outside int64). */
static int parse_whole(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (i < len && s[i] == '-') {
        neg = 1;
        i++;
    }
    if (i == len)
        return WHOLE_SYNTAX;
    /* Magnitude in uint64 so that INT64_MIN (2^63) is reachable. */
    const uint64_t limit = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    uint64_t mag = 0;
    int too_big = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return WHOLE_SYNTAX;
        unsigned d = (unsigned)(s[i] - '0');
        /* Keep scanning after an overflow: junk later still makes it a syntax error. */
        if (too_big || mag > (limit - d) / 10)
            too_big = 1;
        else
            mag = mag * 10 + d;
    }
    if (too_big)
        return WHOLE_RANGE;
    if (neg)
        *out = mag == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)mag;
    else
        *out = (int64_t)mag;
    return WHOLE_OK;
}

/* The number of comma-separated items in s. */
static size_t count_items(const char *s)
{
    size_t n = 1;
    for (const char *c = s; *c; c++)
        n += *c == ',';
    return n;
}

/* Parses item i (0-based) of p's comma-separated list, which starts at *s,
 * into *out and moves *s past it and its comma. A rules error naming the
 * item when it is not a whole number in range. */
static deid_status next_item(xf_context *ctx, const xf_param *p, size_t i, const char **s,
                             int64_t *out)
{
    size_t len = strcspn(*s, ",");
    int rc = parse_whole(*s, len, out);
    if (rc == WHOLE_SYNTAX)
        return xf_param_fail(ctx, p, "%s= item %zu is not a whole number", p->name, i + 1);
    if (rc == WHOLE_RANGE)
        return xf_param_fail(ctx, p, "%s= item %zu is out of range", p->name, i + 1);
    *s += len + ((*s)[len] == ',');
    return DEID_OK;
}

static deid_status parse_breaks(xf_context *ctx, const xf_param *p, range_state *st)
{
    const char *s = p->value;
    size_t n = count_items(s);
    /* The count is bounded by the rules line length (DEID_MAX_RULES_LINE). */
    st->breaks = malloc(n * sizeof *st->breaks);
    if (!st->breaks)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    for (size_t i = 0; i < n; i++) {
        deid_status rc = next_item(ctx, p, i, &s, &st->breaks[i]);
        if (rc)
            return rc;
        if (i > 0 && st->breaks[i] <= st->breaks[i - 1])
            return xf_param_fail(ctx, p, "breaks= must be strictly ascending (item %zu)", i + 1);
    }
    st->n_breaks = n;
    return DEID_OK;
}

static deid_status parse_widths(xf_context *ctx, const xf_param *p, range_state *st)
{
    const char *s = p->value;
    size_t n = count_items(s);
    if (n > MAX_WIDTHS)
        return xf_param_fail(ctx, p, "widths= has %zu items, more than %u", n, MAX_WIDTHS);
    st->widths = malloc(n * sizeof *st->widths);
    if (!st->widths)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    for (size_t i = 0; i < n; i++) {
        int64_t w = 0;
        deid_status rc = next_item(ctx, p, i, &s, &w);
        if (rc)
            return rc;
        if (w < 1)
            return xf_param_fail(ctx, p, "widths= item %zu must be at least 1", i + 1);
        if (i > 0 && w <= st->widths[i - 1])
            return xf_param_fail(ctx, p, "widths= must be strictly ascending (item %zu)", i + 1);
        if (i > 0 && w % st->widths[i - 1] != 0)
            return xf_param_fail(ctx, p,
                                 "widths= item %zu is not a multiple of item %zu "
                                 "(each band must lie inside one band of the next width)",
                                 i + 1, i);
        st->widths[i] = w;
    }
    st->n_widths = n;
    return DEID_OK;
}

static void range_free(void *state)
{
    range_state *st = state;
    if (st) {
        free(st->breaks);
        free(st->widths);
    }
    free(st);
}

/* The checks of `level=auto`: it needs widths= and excludes width= and
 * breaks=; widths= needs it. */
static deid_status check_ladder_params(xf_context *ctx, const xf_param *level,
                                       const xf_param *widths, const xf_param *width,
                                       const xf_param *breaks)
{
    if (level && strcmp(level->value, "auto") != 0)
        return xf_param_fail(ctx, level,
                             "range takes only level=auto (with widths=); a fixed band is "
                             "width= or breaks=");
    if (!level)
        return widths ? xf_param_fail(ctx, widths, "widths= needs level=auto") : DEID_OK;
    if (width)
        return xf_param_fail(ctx, width, "width= cannot be used with level=auto; use widths=");
    if (breaks)
        return xf_param_fail(ctx, breaks, "breaks= cannot be used with level=auto");
    if (!widths)
        return xf_param_fail(ctx, level, "range level=auto needs widths=W1,W2,...");
    return DEID_OK;
}

static deid_status range_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    xf_param *width, *breaks, *widths, *level;
    deid_status rc = xf_param_find_once(ctx, "width", &width);
    if (!rc)
        rc = xf_param_find_once(ctx, "breaks", &breaks);
    if (!rc)
        rc = xf_param_find_once(ctx, "widths", &widths);
    if (!rc)
        rc = xf_param_find_once(ctx, "level", &level);
    if (!rc)
        rc = check_ladder_params(ctx, level, widths, width, breaks);
    if (rc)
        return rc;
    if (level) {
        range_state *st = calloc(1, sizeof *st);
        if (!st)
            return err_set(ctx->err, DEID_E_IO, "out of memory");
        if ((rc = parse_widths(ctx, widths, st)) != DEID_OK) {
            range_free(st);
            return rc;
        }
        *state = st;
        return DEID_OK;
    }
    if (!width && !breaks)
        return xf_param_fail(ctx, NULL, "range needs width=W or breaks=A,B,...");
    if (width && breaks)
        return xf_param_fail(ctx, width > breaks ? width : breaks,
                             "range takes width= or breaks=, not both");
    range_state *st = calloc(1, sizeof *st);
    if (!st)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    if (width) {
        unsigned long long w;
        rc = xf_param_uint(ctx, "width", 1, 1, INT64_MAX, 0, &w);
        st->width = (int64_t)w;
    } else {
        rc = parse_breaks(ctx, breaks, st);
    }
    if (rc) {
        range_free(st);
        return rc;
    }
    *state = st;
    return DEID_OK;
}

/* Sets *lo to the start of v's band of width w. Returns 0, or -1 when the
 * band does not fit int64. */
static int band_start(int64_t v, int64_t w, int64_t *lo)
{
    int64_t r = v % w;
    if (r < 0)
        r += w; /* floor, not truncation: -1 belongs to [-10, -1] */
    if (v < INT64_MIN + r)
        return -1;
    *lo = v - r;
    return *lo > INT64_MAX - (w - 1) ? -1 : 0;
}

/* Writes before, a, then (when after is not NULL) after and, when after is
 * "-", b: "<20", "60+", "30-39". label has room for LABEL_MAX. Returns the
 * length. */
static size_t band_label(char *label, const char *before, int64_t a, const char *after, int64_t b)
{
    size_t n = strlen(before);
    memcpy(label, before, n);
    n += number_format_i64(a, label + n);
    if (after) {
        label[n++] = after[0];
        if (after[0] == '-')
            n += number_format_i64(b, label + n);
    }
    return n;
}

static xf_result band_by_width(int64_t v, int64_t w, dbuf *out, const char **why)
{
    int64_t lo;
    if (band_start(v, w, &lo)) {
        *why = "is out of range";
        return XF_BAD_VALUE;
    }
    char label[LABEL_MAX];
    size_t n = band_label(label, "", lo, "-", lo + (w - 1));
    return dbuf_append(out, label, n) ? XF_NOMEM : XF_OK;
}

static xf_result band_by_breaks(const range_state *st, int64_t v, dbuf *out)
{
    const int64_t *b = st->breaks;
    size_t n = st->n_breaks;
    char label[LABEL_MAX];
    size_t len;
    if (v < b[0]) {
        len = band_label(label, "<", b[0], NULL, 0);
    } else if (v >= b[n - 1]) {
        len = band_label(label, "", b[n - 1], "+", 0);
    } else {
        /* Find the last break <= v; b[0] <= v < b[n-1] holds here. */
        size_t lo = 0, hi = n - 1;
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (b[mid] <= v)
                lo = mid;
            else
                hi = mid;
        }
        len = band_label(label, "", b[lo], "-", b[lo + 1] - 1);
    }
    return dbuf_append(out, label, len) ? XF_NOMEM : XF_OK;
}

/* Reads a value as a whole number (number.h: "53,860,000", " 34", "+34",
 * "34.0"). Returns 0, or -1 with *why set. */
static int read_value(const xf_value *in, int64_t *v, const char **why)
{
    int rc = number_parse_whole(in->data, in->len, v);
    if (rc == NUMBER_OUT_OF_RANGE)
        *why = "is out of range";
    else if (rc)
        *why = "is not a whole number (" NUMBER_WHOLE_FORMS ")";
    return rc ? -1 : 0;
}

static xf_result range_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                             const char **why)
{
    (void)n_in;
    const range_state *st = state;
    if (xf_ladder_unplanned(st->n_widths, why))
        return XF_BAD_VALUE;
    int64_t v;
    if (read_value(&in[0], &v, why))
        return XF_BAD_VALUE;
    if (st->width)
        return band_by_width(v, st->width, out, why);
    return band_by_breaks(st, v, out);
}

static size_t range_levels(const void *state)
{
    return xf_ladder_levels(((const range_state *)state)->n_widths);
}

static xf_result range_apply_level(const void *state, const xf_value *in, size_t level,
                                   dbuf *out, const char **why)
{
    const range_state *st = state;
    if (!xf_ladder_has_level(st->n_widths, level, why))
        return XF_BAD_VALUE;
    int64_t v, lo;
    if (read_value(in, &v, why))
        return XF_BAD_VALUE;
    for (size_t i = 0; i < st->n_widths; i++)
        if (band_start(v, st->widths[i], &lo)) {
            *why = "is out of range";
            return XF_BAD_VALUE;
        }
    if (level == 0)
        return dbuf_append(out, in->data, in->len) ? XF_NOMEM : XF_OK;
    if (level == st->n_widths + 1)
        return dbuf_append(out, "*", 1) ? XF_NOMEM : XF_OK;
    return band_by_width(v, st->widths[level - 1], out, why);
}

static int range_describe(const void *state, dbuf *out)
{
    const range_state *st = state;
    if (st->n_widths) {
        int rc = dbuf_append_str(out, "widths=");
        for (size_t i = 0; !rc && i < st->n_widths; i++)
            rc = dbuf_printf(out, i ? ",%" PRId64 : "%" PRId64, st->widths[i]);
        return rc ? rc : dbuf_append_str(out, " level=auto");
    }
    if (st->width)
        return dbuf_printf(out, "width=%" PRId64, st->width);
    int rc = dbuf_append_str(out, "breaks=");
    for (size_t i = 0; !rc && i < st->n_breaks; i++)
        rc = dbuf_printf(out, i ? ",%" PRId64 : "%" PRId64, st->breaks[i]);
    return rc;
}

static int range_kept(const void *state, dbuf *out)
{
    const range_state *st = state;
    if (st->n_widths)
        return dbuf_append_str(out, "keeps up to the whole value (deid plan chooses among its "
                                    "bands)");
    if (st->width)
        return dbuf_printf(out, "keeps a band of width %" PRId64, st->width);
    return dbuf_printf(out, "keeps one of %zu bands", st->n_breaks + 1);
}

const transform_ops xf_range_ops = {
    .name = "range",
    .technique = "데이터 범주화/범위 방법 (range; 상·하단코딩 top/bottom coding)",
    .compile = range_compile,
    .apply = range_apply,
    .describe = range_describe,
    .free = range_free,
    .levels = range_levels,
    .apply_level = range_apply_level,
    .kept = range_kept,
};
