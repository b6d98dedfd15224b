/*
 * xf_range.c - `range width=W` and `range breaks=A,B,C`: a whole number
 * becomes the band it falls in (guideline: range method, with top and
 * bottom coding for breaks=).
 *
 * Labels. A band is written "LO-HI" with both bounds inclusive and each
 * bound printed as a signed decimal, so a band below zero reads with a
 * double hyphen: width=10 puts -1 in "-10--1" and -15 in "-20--11". A
 * reader splits a label at the first '-' that follows a digit. With
 * breaks=A,...,Z the values below A become "<A" and those from Z up "Z+".
 *
 * Arithmetic is exact on int64: a value or a band bound that does not fit
 * is a bad value ("is out of range"), never a wrapped number.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "transform.h"

typedef struct range_state {
    int64_t width;     /* > 0 for width=, 0 for breaks= */
    size_t n_breaks;
    int64_t *breaks;   /* strictly ascending */
} range_state;

/* Longest label: "-9223372036854775808--9223372036854775807" is 41 bytes. */
#define LABEL_MAX 48

enum { WHOLE_OK = 0, WHOLE_SYNTAX = 1, WHOLE_RANGE = 2 };

/* Parses s[0..len) as an optional '-' and one or more ASCII digits into
 * *out. Returns WHOLE_OK, WHOLE_SYNTAX or WHOLE_RANGE (outside int64). */
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

/* Returns the first parameter called name (marked used) in *out, or NULL;
 * a second one is a rules error at the second one's column. rules.c checks
 * this too; compile repeats it so that no caller gets the first silently. */
static deid_status find_once(xf_context *ctx, const char *name, xf_param **out)
{
    xf_param *p = xf_param_find(ctx, name);
    *out = p;
    if (!p)
        return DEID_OK;
    for (xf_param *q = p + 1; q < ctx->params + ctx->n_params; q++)
        if (q->name && strcmp(q->name, name) == 0) {
            q->used = 1;
            return xf_param_fail(ctx, q, "parameter %s= given twice", name);
        }
    return DEID_OK;
}

static deid_status parse_breaks(xf_context *ctx, const xf_param *p, range_state *st)
{
    const char *s = p->value;
    size_t n = 1;
    for (const char *c = s; *c; c++)
        n += *c == ',';
    /* The count is bounded by the rules line length (DEID_MAX_RULES_LINE). */
    st->breaks = malloc(n * sizeof *st->breaks);
    if (!st->breaks)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    for (size_t i = 0; i < n; i++) {
        size_t len = strcspn(s, ",");
        int rc = parse_whole(s, len, &st->breaks[i]);
        if (rc == WHOLE_SYNTAX)
            return xf_param_fail(ctx, p, "breaks= item %zu is not a whole number", i + 1);
        if (rc == WHOLE_RANGE)
            return xf_param_fail(ctx, p, "breaks= item %zu is out of range", i + 1);
        if (i > 0 && st->breaks[i] <= st->breaks[i - 1])
            return xf_param_fail(ctx, p, "breaks= must be strictly ascending (item %zu)", i + 1);
        s += len + (s[len] == ',');
    }
    st->n_breaks = n;
    return DEID_OK;
}

static void range_free(void *state)
{
    range_state *st = state;
    if (st)
        free(st->breaks);
    free(st);
}

static deid_status range_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    xf_param *width, *breaks;
    deid_status rc = find_once(ctx, "width", &width);
    if (!rc)
        rc = find_once(ctx, "breaks", &breaks);
    if (rc)
        return rc;
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

static xf_result band_by_width(int64_t v, int64_t w, dbuf *out, const char **why)
{
    int64_t r = v % w;
    if (r < 0)
        r += w; /* floor, not truncation: -1 belongs to [-10, -1] */
    if (v < INT64_MIN + r) {
        *why = "is out of range";
        return XF_BAD_VALUE;
    }
    int64_t lo = v - r;
    if (lo > INT64_MAX - (w - 1)) {
        *why = "is out of range";
        return XF_BAD_VALUE;
    }
    char label[LABEL_MAX];
    int n = snprintf(label, sizeof label, "%" PRId64 "-%" PRId64, lo, lo + (w - 1));
    return dbuf_append(out, label, (size_t)n) ? XF_NOMEM : XF_OK;
}

static xf_result band_by_breaks(const range_state *st, int64_t v, dbuf *out)
{
    const int64_t *b = st->breaks;
    size_t n = st->n_breaks;
    char label[LABEL_MAX];
    int len;
    if (v < b[0]) {
        len = snprintf(label, sizeof label, "<%" PRId64, b[0]);
    } else if (v >= b[n - 1]) {
        len = snprintf(label, sizeof label, "%" PRId64 "+", b[n - 1]);
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
        len = snprintf(label, sizeof label, "%" PRId64 "-%" PRId64, b[lo], b[lo + 1] - 1);
    }
    return dbuf_append(out, label, (size_t)len) ? XF_NOMEM : XF_OK;
}

static xf_result range_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                             const char **why)
{
    (void)n_in;
    const range_state *st = state;
    int64_t v;
    int rc = parse_whole(in[0].data, in[0].len, &v);
    if (rc) {
        *why = rc == WHOLE_RANGE ? "is out of range" : "is not a whole number";
        return XF_BAD_VALUE;
    }
    if (st->width)
        return band_by_width(v, st->width, out, why);
    return band_by_breaks(st, v, out);
}

static int range_describe(const void *state, dbuf *out)
{
    const range_state *st = state;
    if (st->width)
        return dbuf_printf(out, "width=%" PRId64, st->width);
    int rc = dbuf_append_str(out, "breaks=");
    for (size_t i = 0; !rc && i < st->n_breaks; i++)
        rc = dbuf_printf(out, i ? ",%" PRId64 : "%" PRId64, st->breaks[i]);
    return rc;
}

const transform_ops xf_range_ops = {
    .name = "range",
    .technique = "데이터 범주화/범위 방법 (range; 상·하단코딩 top/bottom coding)",
    .compile = range_compile,
    .apply = range_apply,
    .describe = range_describe,
    .free = range_free,
};
