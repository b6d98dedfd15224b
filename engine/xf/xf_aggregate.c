/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_aggregate.c - `aggregate fn=mean|median|min|max|mode|sum [by=A,B,...]
 * [decimals=D]` (guideline: 총계처리, aggregation): every value becomes a
 * statistic of its group, the records with the same written values in
 * the by= columns (without by=, the whole column).
 *
 * mean, median (the mean of the middle two for an even count) and sum are
 * of the group's numbers, written with D decimals (default: 2 for mean
 * and median; for sum the most decimals among the column's numbers, so
 * whole numbers sum to a whole number); min and max are the smallest or
 * largest number as the first pass wrote it (the first in the input on a
 * tie); mode is the most frequent value, any text (the first to appear in
 * the input on a tie). An empty value (or one on-error= replaced) takes
 * no part and stays as written.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "strmap.h"
#include "xf_group.h"

enum { FN_MEAN, FN_MEDIAN, FN_MIN, FN_MAX, FN_MODE, FN_SUM };
static const char *const fn_names[] = {"mean", "median", "min", "max", "mode", "sum"};
#define N_FN (sizeof fn_names / sizeof *fn_names)

typedef struct aggregate_state {
    int fn;
    int decimals;   /* -1: the default */
    char **by;
    size_t n_by;
} aggregate_state;

static void aggregate_free(void *state)
{
    aggregate_state *s = state;
    if (!s)
        return;
    xf_group_names_free(s->by, s->n_by);
    free(s);
}

static deid_status aggregate_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    aggregate_state *s = calloc(1, sizeof *s);
    if (!s)
        return xf_param_fail(ctx, NULL, "out of memory");
    xf_param *p;
    deid_status st = xf_param_find_once(ctx, "fn", &p);
    if (!st && !p)
        st = xf_param_fail(ctx, NULL, "aggregate needs fn=mean, median, min, max, mode or sum");
    if (!st) {
        s->fn = -1;
        for (size_t i = 0; i < N_FN; i++)
            if (!strcmp(p->value, fn_names[i]))
                s->fn = (int)i;
        if (s->fn < 0)
            st = xf_param_fail(ctx, p, "fn= is mean, median, min, max, mode or sum");
    }
    xf_param *d = NULL;
    if (!st)
        st = xf_param_find_once(ctx, "decimals", &d);
    unsigned long long dec = 0;
    if (!st && d && (s->fn == FN_MIN || s->fn == FN_MAX || s->fn == FN_MODE))
        st = xf_param_fail(ctx, d, "decimals= is for fn=mean, median and sum (fn=%s writes a value "
                                   "of the group as it is)", fn_names[s->fn]);
    if (!st)
        st = xf_param_uint(ctx, "decimals", 0, 0, 9, 0, &dec);
    s->decimals = d ? (int)dec : -1;
    xf_param *by = NULL;
    if (!st)
        st = xf_param_find_once(ctx, "by", &by);
    if (!st && by)
        st = xf_group_names(ctx, by, &s->by, &s->n_by);
    for (size_t i = 0; !st && i < s->n_by; i++)
        if (ctx->column && !strcmp(s->by[i], ctx->column))
            st = xf_param_fail(ctx, by, "by= names the aggregated column itself");
    if (st) {
        aggregate_free(s);
        return st;
    }
    *state = s;
    return DEID_OK;
}

static xf_result aggregate_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                                 const char **why)
{
    const aggregate_state *s = state;
    (void)n_in;
    if (s->fn == FN_MODE)
        return dbuf_append(out, in->data, in->len) ? XF_NOMEM : XF_OK;
    return xf_group_apply_number(in, out, why);
}

static int aggregate_describe(const void *state, dbuf *out)
{
    const aggregate_state *s = state;
    int rc = dbuf_printf(out, "fn=%s", fn_names[s->fn]);
    for (size_t i = 0; i < s->n_by && !rc; i++) {
        rc = dbuf_append_str(out, i ? "," : " by=");
        rc = rc ? rc : xf_append_value(out, s->by[i]);
    }
    if (!rc && s->decimals >= 0)
        rc = dbuf_printf(out, " decimals=%d", s->decimals);
    return rc;
}

static int aggregate_kept(const void *state, dbuf *out)
{
    const aggregate_state *s = state;
    return dbuf_printf(out, "keeps the %s of its group%s", fn_names[s->fn],
                       s->n_by ? "" : " (the whole column)");
}

static const char *const *aggregate_columns(const void *state, size_t *n)
{
    (void)state;
    *n = 0;
    return NULL;
}

static const char *const *aggregate_by(const void *state, size_t *n)
{
    const aggregate_state *s = state;
    *n = s->n_by;
    return (const char *const *)s->by;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Digits after the point of a plain number. */
static unsigned decimals_of(xf_value v)
{
    const char *dot = memchr(v.data, '.', v.len);
    return dot ? (unsigned)(v.len - (size_t)(dot + 1 - v.data)) : 0;
}

static deid_status nomem(const xf_group_input *in, int rc, deid_error *err)
{
    return xf_group_fail(in->spill, rc, err);
}

static deid_status numeric_compute(const aggregate_state *s, const xf_group_input *in,
                                   xf_group_output *out, deid_error *err)
{
    const size_t n = in->n, ng = in->n_groups;
    spill_buf buf[9];
    spill_bufs_init(buf, 9, in->spill);
    int rc = SPILL_OK;
    double *x = spill_buf_take(&buf[0], n, sizeof *x, &rc);
    double *sorted = spill_buf_take(&buf[1], n, sizeof *sorted, &rc);
    unsigned char *used = spill_buf_take(&buf[2], n, 1, &rc);
    double *sum = spill_buf_take(&buf[3], ng, sizeof *sum, &rc);
    size_t *count = spill_buf_take(&buf[4], ng, sizeof *count, &rc);
    size_t *at = spill_buf_take(&buf[5], ng + 1, sizeof *at, &rc);
    size_t *fill = spill_buf_take(&buf[6], ng, sizeof *fill, &rc);
    size_t *lo = spill_buf_take(&buf[7], ng, sizeof *lo, &rc);
    size_t *hi = spill_buf_take(&buf[8], ng, sizeof *hi, &rc);
    deid_status st = DEID_OK;
    if (rc) {
        st = nomem(in, rc, err);
        goto out;
    }
    xf_group_numbers(in->cols[0], n, x, used);
    unsigned decimals = s->decimals >= 0 ? (unsigned)s->decimals : 2;
    if (s->fn == FN_SUM && s->decimals < 0) {
        decimals = 0;
        for (size_t i = 0; i < n; i++)
            if (used[i] && decimals_of(vlist_get(in->cols[0], i)) > decimals)
                decimals = decimals_of(vlist_get(in->cols[0], i));
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t g = in->group ? in->group[i] : 0;
        out->pick[i] = used[i] ? g : XF_GROUP_KEEP;
        if (!used[i])
            continue;
        if (!count[g] || x[i] < x[lo[g]])
            lo[g] = i;
        if (!count[g] || x[i] > x[hi[g]])
            hi[g] = i;
        sum[g] += x[i];
        count[g]++;
    }
    for (size_t g = 0; g < ng; g++)
        at[g + 1] = at[g] + count[g];
    for (size_t i = 0; i < n; i++)
        if (used[i]) {
            uint32_t g = in->group ? in->group[i] : 0;
            sorted[at[g] + fill[g]++] = x[i];
        }
    for (size_t g = 0; g < ng && !rc; g++) {
        if (!count[g]) {
            rc = vlist_add(&out->results[0], "", 0); /* no record picks it */
            continue;
        }
        out->groups++;
        if (s->fn == FN_MIN || s->fn == FN_MAX) {
            xf_value v = vlist_get(in->cols[0], s->fn == FN_MIN ? lo[g] : hi[g]);
            rc = vlist_add(&out->results[0], v.data, v.len);
            continue;
        }
        double v = s->fn == FN_SUM ? sum[g] : sum[g] / (double)count[g];
        if (s->fn == FN_MEDIAN) {
            double *a = sorted + at[g];
            qsort(a, count[g], sizeof *a, cmp_double);
            size_t h = count[g] / 2;
            v = count[g] % 2 ? a[h] : (a[h - 1] + a[h]) / 2;
        }
        rc = xf_group_add_number(&out->results[0], v, decimals);
    }
    if (rc)
        st = nomem(in, rc, err);
out:
    spill_bufs_free(buf, 9);
    return st;
}

/* The mode: (group, value) pairs counted in a map whose entries are in
 * order of first appearance, so a strict > keeps the first on a tie. */
static deid_status mode_compute(const xf_group_input *in, xf_group_output *out, deid_error *err)
{
    const size_t n = in->n, ng = in->n_groups;
    strmap *m = strmap_new(n ? (n < STRMAP_MAX_ENTRIES ? n : STRMAP_MAX_ENTRIES) : 1);
    spill_buf buf[3];
    spill_bufs_init(buf, 3, in->spill);
    int rc = SPILL_OK;
    uint64_t *count = spill_buf_take(&buf[0], n, sizeof *count, &rc);
    uint64_t *best_count = spill_buf_take(&buf[1], ng, sizeof *best_count, &rc);
    size_t *best = spill_buf_take(&buf[2], ng, sizeof *best, &rc);
    dbuf key;
    dbuf_init(&key, SIZE_MAX);
    deid_status st = DEID_OK;
    if (!rc && (!m || strmap_set_budget(m, in->spill ? in->spill->budget : NULL)))
        rc = SPILL_ENOMEM;
    if (rc) {
        st = nomem(in, rc, err);
        goto out;
    }
    for (size_t i = 0; i < n && !st; i++) {
        xf_value v = vlist_get(in->cols[0], i);
        uint32_t g = in->group ? in->group[i] : 0;
        out->pick[i] = v.len ? g : XF_GROUP_KEEP;
        if (!v.len)
            continue;
        dbuf_reset(&key);
        uint32_t e;
        if (dbuf_append(&key, &g, sizeof g) || dbuf_append(&key, v.data, v.len))
            rc = VLIST_ENOMEM;
        else if ((rc = strmap_put(m, key.data, key.len, (uint32_t)strmap_count(m), &e)) >= 0) {
            rc = 0;
            count[e]++;
        } else if (rc != STRMAP_EBUDGET) {
            rc = SPILL_ENOMEM; /* (STRMAP_EFULL is not a spill failure) */
        }
        if (rc)
            st = nomem(in, rc, err);
    }
    for (size_t e = 0; !st && e < strmap_count(m); e++) {
        const char *k;
        size_t len;
        strmap_entry(m, e, &k, &len, NULL);
        uint32_t g;
        memcpy(&g, k, sizeof g);
        if (count[e] > best_count[g]) {
            best_count[g] = count[e];
            best[g] = e;
        }
    }
    for (size_t g = 0; !st && g < ng; g++) {
        const char *k = "\0\0\0\0";
        size_t len = 4;
        if (best_count[g]) {
            strmap_entry(m, best[g], &k, &len, NULL);
            out->groups++;
        }
        if ((rc = vlist_add(&out->results[0], k + 4, len - 4)))
            st = nomem(in, rc, err);
    }
out:
    strmap_free(m);
    spill_bufs_free(buf, 3);
    dbuf_wipe(&key);
    return st;
}

static deid_status aggregate_compute(const void *state, const xf_group_input *in,
                                     xf_group_output *out, deid_error *err)
{
    const aggregate_state *s = state;
    return s->fn == FN_MODE ? mode_compute(in, out, err) : numeric_compute(s, in, out, err);
}

static const xf_group_ops aggregate_group = {"by", aggregate_columns, aggregate_by, aggregate_compute};

const transform_ops xf_aggregate_ops = {
    .name = "aggregate",
    .technique = "총계처리 (aggregation: a group statistic)",
    .compile = aggregate_compile,
    .apply = aggregate_apply,
    .describe = aggregate_describe,
    .free = aggregate_free,
    .kept = aggregate_kept,
    .group = &aggregate_group,
};
