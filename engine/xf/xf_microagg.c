/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_microagg.c - `microagg k=K [method=optimal|mdav] [columns=A,B,...]
 * [stat=mean|median] [decimals=D]` (guideline: 총계처리/부분총계,
 * micro-aggregation): the column's numbers (with columns=, those of
 * several columns together) are put in groups of at least K records, and
 * every member gets its group's mean (or median), written with D
 * decimals (default 2).
 *
 * The grouping is the optimal univariate partition on one column
 * (method=optimal, the default for one column) or MDAV on one or more
 * (method=mdav, the default with columns=); microagg.h defines both. A
 * record takes part when all its columns hold numbers; an empty value
 * (or one on-error= replaced) stays as written in every column of the
 * record. The information loss SSE/SST is over the standardized values
 * (each column's numbers less their mean, over their standard
 * deviation; for one column the ratio is the same as on the raw
 * numbers), SSE around the group means (whatever stat=).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "deid_limits.h"
#include "err.h"
#include "microagg.h"
#include "number.h"
#include "xf_group.h"

enum { METHOD_OPTIMAL, METHOD_MDAV };

typedef struct microagg_state {
    unsigned long long k;
    int method;
    int median;
    unsigned decimals;
    char **columns; /* columns=, the rule's own column left out */
    size_t n_columns;
} microagg_state;

static void microagg_free(void *state)
{
    microagg_state *s = state;
    if (!s)
        return;
    xf_group_names_free(s->columns, s->n_columns);
    free(s);
}

/* Reads name= as one of two words (def when absent): *out 0 or 1. */
static deid_status pick_word(xf_context *ctx, const char *name, const char *w0, const char *w1,
                             int def, int *out)
{
    xf_param *p;
    deid_status st = xf_param_find_once(ctx, name, &p);
    if (st)
        return st;
    *out = def;
    if (!p)
        return DEID_OK;
    if (!strcmp(p->value, w0) || !strcmp(p->value, w1)) {
        *out = strcmp(p->value, w0) != 0;
        return DEID_OK;
    }
    return xf_param_fail(ctx, p, "%s= is %s or %s", name, w0, w1);
}

static deid_status microagg_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    microagg_state *s = calloc(1, sizeof *s);
    if (!s)
        return xf_param_fail(ctx, NULL, "out of memory");
    deid_status st = xf_param_uint(ctx, "k", 1, 1, 1000000, 0, &s->k);
    unsigned long long decimals = 2;
    if (!st)
        st = xf_param_uint(ctx, "decimals", 0, 0, 9, 2, &decimals);
    s->decimals = (unsigned)decimals;
    xf_param *cols = NULL;
    if (!st)
        st = xf_param_find_once(ctx, "columns", &cols);
    char **names = NULL;
    size_t n = 0;
    if (!st && cols)
        st = xf_group_names(ctx, cols, &names, &n);
    /* keep the other columns; the rule's own may be listed or not */
    s->columns = names;
    for (size_t i = 0; !st && i < n; i++) {
        if (ctx->column && !strcmp(names[i], ctx->column))
            free(names[i]);
        else
            names[s->n_columns++] = names[i];
    }
    if (!st)
        st = pick_word(ctx, "method", "optimal", "mdav", s->n_columns ? METHOD_MDAV : METHOD_OPTIMAL,
                       &s->method);
    if (!st && s->method == METHOD_OPTIMAL && s->n_columns)
        st = xf_param_fail(ctx, xf_param_find(ctx, "method"),
                           "method=optimal is univariate: it takes no columns= (use method=mdav)");
    if (!st)
        st = pick_word(ctx, "stat", "mean", "median", 0, &s->median);
    if (st) {
        microagg_free(s);
        return st;
    }
    *state = s;
    return DEID_OK;
}

static xf_result microagg_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                                const char **why)
{
    (void)state;
    (void)n_in;
    return xf_group_apply_number(in, out, why);
}

static int microagg_describe(const void *state, dbuf *out)
{
    const microagg_state *s = state;
    int rc = dbuf_printf(out, "k=%llu method=%s", s->k, s->method == METHOD_MDAV ? "mdav" : "optimal");
    for (size_t i = 0; i < s->n_columns && !rc; i++) {
        rc = dbuf_append_str(out, i ? "," : " columns=");
        rc = rc ? rc : xf_append_value(out, s->columns[i]);
    }
    return rc ? rc
              : dbuf_printf(out, " stat=%s decimals=%u", s->median ? "median" : "mean", s->decimals);
}

static int microagg_kept(const void *state, dbuf *out)
{
    const microagg_state *s = state;
    return dbuf_printf(out, "keeps the %s of a group of at least %llu records",
                       s->median ? "median" : "mean", s->k);
}

static const char *const *microagg_columns(const void *state, size_t *n)
{
    const microagg_state *s = state;
    *n = s->n_columns;
    return (const char *const *)s->columns;
}

static const char *const *microagg_by(const void *state, size_t *n)
{
    (void)state;
    *n = 0;
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The per-group statistic of column c (x row-major, m columns) into
 * results: the mean, or the median (sorted copy; the mean of the middle
 * two for an even count). */
static int group_values(const microagg_state *s, const double *x, size_t u, size_t m, size_t c,
                        const uint32_t *g, size_t n_groups, vlist *results, spill_area *area)
{
    spill_buf buf[5];
    spill_bufs_init(buf, 5, area);
    int rc = SPILL_OK;
    double *sum = spill_buf_take(&buf[0], n_groups, sizeof *sum, &rc);
    size_t *count = spill_buf_take(&buf[1], n_groups, sizeof *count, &rc);
    size_t *at = spill_buf_take(&buf[2], n_groups + 1, sizeof *at, &rc);
    double *sorted = spill_buf_take(&buf[3], u, sizeof *sorted, &rc);
    size_t *fill = spill_buf_take(&buf[4], n_groups, sizeof *fill, &rc);
    if (rc)
        goto out;
    for (size_t i = 0; i < u; i++) {
        sum[g[i]] += x[i * m + c];
        count[g[i]]++;
    }
    for (size_t j = 0; j < n_groups; j++)
        at[j + 1] = at[j] + count[j];
    for (size_t i = 0; i < u; i++)
        sorted[at[g[i]] + fill[g[i]]++] = x[i * m + c];
    rc = VLIST_OK;
    for (size_t j = 0; j < n_groups && !rc; j++) {
        double v = sum[j] / (double)count[j];
        if (s->median) {
            double *a = sorted + at[j];
            qsort(a, count[j], sizeof *a, cmp_double);
            size_t h = count[j] / 2;
            v = count[j] % 2 ? a[h] : (a[h - 1] + a[h]) / 2;
        }
        rc = xf_group_add_number(&results[c], v, s->decimals);
    }
out:
    spill_bufs_free(buf, 5);
    return rc;
}

/* SSE and SST over the standardized columns (see the top). */
static int standardized_loss(const double *x, size_t u, size_t m, const uint32_t *g,
                             size_t n_groups, double *sse, double *sst, spill_area *a)
{
    spill_buf zb;
    int rc;
    double *z = spill_buf_array(&zb, a, u, sizeof *z, &rc);
    if (!z)
        return rc;
    *sse = *sst = 0;
    for (size_t c = 0; c < m; c++) {
        double mean = 0, ss = 0;
        for (size_t i = 0; i < u; i++)
            mean += x[i * m + c];
        mean /= (double)u;
        for (size_t i = 0; i < u; i++)
            ss += (x[i * m + c] - mean) * (x[i * m + c] - mean);
        double sd = sqrt(ss / (double)u);
        for (size_t i = 0; i < u; i++)
            z[i] = sd > 0 ? (x[i * m + c] - mean) / sd : 0;
        double e, t;
        if ((rc = microagg_loss(z, u, g, n_groups, &e, &t, a)))
            break;
        *sse += e;
        *sst += t;
    }
    spill_buf_free(&zb);
    return rc;
}

static deid_status microagg_compute(const void *state, const xf_group_input *in,
                                    xf_group_output *out, deid_error *err)
{
    const microagg_state *s = state;
    const size_t n = in->n, m = in->n_cols;
    spill_buf buf[4];
    spill_bufs_init(buf, 4, in->spill);
    int rc = m > SIZE_MAX / (n ? n : 1) ? SPILL_ENOMEM : SPILL_OK;
    double *num = spill_buf_take(&buf[0], n * m, sizeof *num, &rc);
    unsigned char *used = spill_buf_take(&buf[1], n * m, 1, &rc);
    double *x = spill_buf_take(&buf[2], n * m, sizeof *x, &rc);
    uint32_t *g = spill_buf_take(&buf[3], n, sizeof *g, &rc);
    deid_status st = DEID_OK;
    if (rc) {
        st = xf_group_fail(in->spill, rc, err);
        goto out;
    }
    for (size_t c = 0; c < m; c++)
        xf_group_numbers(in->cols[c], n, num + c * n, used + c * n);
    /* the rule's own column was checked by apply (what is not a number
     * there, on-error= wrote); the columns= ones are checked here */
    for (size_t c = 1; c < m; c++)
        for (size_t i = 0; i < n; i++)
            if (!used[c * n + i] && vlist_get(in->cols[c], i).len) {
                out->has_bad = 1;
                out->bad_col = c;
                out->bad_record = i;
                st = err_set(err, DEID_E_DATA, "value is not a decimal number (" NUMBER_DECIMAL_FORMS
                                               "), in a column of microagg columns=");
                goto out;
            }
    /* the records with a number in every column, as rows of x */
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        int all = 1;
        for (size_t c = 0; c < m; c++)
            all &= used[c * n + i];
        out->pick[i] = XF_GROUP_KEEP;
        if (!all)
            continue;
        for (size_t c = 0; c < m; c++)
            x[u * m + c] = num[c * n + i];
        out->pick[i] = (uint32_t)u++; /* for now: the row; the group below */
    }
    if (u == 0)
        goto out;
    if (u < s->k) {
        st = err_set(err, DEID_E_DATA,
                     "microagg k=%llu: only %zu record%s hold%s a number%s, fewer than k", s->k,
                     u, u == 1 ? "" : "s", u == 1 ? "s" : "", m > 1 ? " in every column" : "");
        goto out;
    }
    if (s->method == METHOD_MDAV && u > DEID_MAX_MDAV_RECORDS) {
        st = err_set(err, DEID_E_IO,
                     "microagg method=mdav: %zu records hold numbers, more than the %u that MDAV "
                     "(whose time grows with the square of the records) takes; use "
                     "method=optimal on one column, or split the input",
                     u, DEID_MAX_MDAV_RECORDS);
        goto out;
    }
    size_t n_groups;
    rc = s->method == METHOD_OPTIMAL ? microagg_optimal(x, u, s->k, g, &n_groups, in->spill)
                                     : microagg_mdav(x, u, m, s->k, g, &n_groups, in->spill);
    for (size_t c = 0; c < m && !rc; c++)
        rc = group_values(s, x, u, m, c, g, n_groups, out->results, in->spill);
    if (!rc)
        rc = standardized_loss(x, u, m, g, n_groups, &out->sse, &out->sst, in->spill);
    if (rc) {
        st = xf_group_fail(in->spill, rc, err);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (out->pick[i] != XF_GROUP_KEEP)
            out->pick[i] = g[out->pick[i]];
    out->groups = n_groups;
    out->has_loss = 1;
out:
    spill_bufs_free(buf, 4);
    return st;
}

static const xf_group_ops microagg_group = {"columns", microagg_columns, microagg_by, microagg_compute};

const transform_ops xf_microagg_ops = {
    .name = "microagg",
    .technique = "총계처리/부분총계 (micro-aggregation)",
    .compile = microagg_compile,
    .apply = microagg_apply,
    .describe = microagg_describe,
    .free = microagg_free,
    .kept = microagg_kept,
    .group = &microagg_group,
};
