/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_pram.c - `pram key=K (matrix=FILE | keep=P values=A,B,...) [by=COL,...]
 * [domain=LABEL]`: post-randomization of a categorical column, as
 * sdcMicro's pram() (guideline: 무작위화, PRAM).
 *
 * A value in category i becomes category j with probability P[i][j]; each
 * row of P sums to 1. The draw is one keyed uniform u (keyed_random.h,
 * purpose "pram", domain = domain= or the column name) of the record's
 * by= values, or else of its position: the output is the first j (in the
 * matrix's order) with u < P[i][0] + ... + P[i][j]; should rounding leave
 * u above the row's total, the last j with P[i][j] > 0.
 *
 * matrix=FILE: CSV with ',', a header row whose first field is empty
 * and whose other fields are the categories, then one row per category in
 * the same order: its label, then its probabilities (decimal numbers in
 * [0, 1], a row's sum 1 within 1e-9). keep=P: the value stays with
 * probability P (a share in [0, 1] or a percentage) and moves to each of
 * the other categories of values= with probability (1 - P) / (n - 1).
 * At least 2 and at most PRAM_MAX_CATEGORIES categories, unique and
 * non-empty. A value that is not a category is a bad value. Messages name
 * lines and categories' positions, never values.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw_source.h"
#include "err.h"
#include "lookup_file.h"
#include "number.h"
#include "strmap.h"
#include "transform.h"

#define PRAM_MAX_CATEGORIES 1000u

typedef struct pram_state {
    draw_source src;
    strmap *labels;  /* category -> index, in the matrix's order */
    size_t n;
    double *cum;     /* n x n: row i's cumulative probabilities */
    char *spec;      /* "matrix=F" or "keep=P values=..." for describe */
    char *path;      /* resolved matrix file (side_file), or NULL */
} pram_state;

static void pram_free(void *state)
{
    pram_state *s = state;
    if (!s)
        return;
    draw_source_free(&s->src);
    strmap_free(s->labels);
    free(s->cum);
    free(s->spec);
    free(s->path);
    free(s);
}

/* Reads a probability in [0, 1] from text[0..len). */
static int read_probability(const char *text, size_t len, double *out)
{
    char plain[64];
    if (len >= sizeof plain)
        return 0;
    size_t n = number_plain(text, len, plain);
    if (!n)
        return 0;
    plain[n] = '\0';
    *out = strtod(plain, NULL);
    return *out >= 0 && *out <= 1;
}

/* Enters a category; a rules message on a duplicate, an empty one or too
 * many (what: "header field N" or "value N"). Returns 0, or -1 with *msg. */
static int add_label(pram_state *s, const char *p, size_t len, const char **msg)
{
    uint32_t id;
    if (!len) {
        *msg = "is an empty category";
        return -1;
    }
    if (s->n >= PRAM_MAX_CATEGORIES) {
        *msg = "is one category too many (at most 1000)";
        return -1;
    }
    int rc = strmap_put(s->labels, p, len, (uint32_t)s->n, &id);
    if (rc == STRMAP_EXISTS) {
        *msg = "repeats an earlier category";
        return -1;
    }
    if (rc < 0) {
        *msg = "out of memory";
        return -1;
    }
    s->n++;
    return 0;
}

/* Turns row i's probabilities (in cum) into cumulative sums; 0 when the
 * row does not sum to 1. */
static int accumulate_row(pram_state *s, size_t i)
{
    double sum = 0;
    for (size_t j = 0; j < s->n; j++) {
        sum += s->cum[i * s->n + j];
        s->cum[i * s->n + j] = sum;
    }
    return fabs(sum - 1) <= 1e-9;
}

typedef struct matrix_load {
    pram_state *s;
    size_t rows; /* category rows read */
} matrix_load;

static deid_status on_matrix_row(void *vctx, const csv_field *f, size_t n, unsigned long line,
                                 deid_error *err)
{
    matrix_load *ld = vctx;
    pram_state *s = ld->s;
    const char *msg;
    if (line == 1) {
        if (n < 3 || f[0].len)
            return lookup_file_row_fail(err, line, "the header row is an empty field, then the "
                                                   "categories (at least 2)");
        for (size_t j = 1; j < n; j++)
            if (add_label(s, f[j].data, f[j].len, &msg))
                return lookup_file_row_fail(err, line, "field %zu %s", j + 1, msg);
        if (!(s->cum = calloc(s->n * s->n, sizeof *s->cum)))
            return lookup_file_row_nomem(err, line);
        return DEID_OK;
    }
    size_t i = ld->rows;
    if (i >= s->n)
        return lookup_file_row_fail(err, line, "is a row after the last category's");
    uint32_t id;
    if (n != s->n + 1)
        return lookup_file_row_fail(err, line, "has %zu fields; a row is the category and %zu "
                                               "probabilities", n, s->n);
    if (!strmap_get(s->labels, f[0].data, f[0].len, &id) || id != i)
        return lookup_file_row_fail(err, line, "does not start with category %zu of the header",
                                    i + 1);
    for (size_t j = 0; j < s->n; j++)
        if (!read_probability(f[j + 1].data, f[j + 1].len, &s->cum[i * s->n + j]))
            return lookup_file_row_fail(err, line, "field %zu is not a probability in [0, 1]",
                                        j + 2);
    if (!accumulate_row(s, i))
        return lookup_file_row_fail(err, line, "its probabilities do not sum to 1");
    ld->rows++;
    return DEID_OK;
}

static deid_status load_matrix(xf_context *ctx, xf_param *file, pram_state *s)
{
    deid_error e;
    err_clear(&e);
    char *path = xf_resolve_path(ctx, file->value);
    if (!path)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    matrix_load ld = {s, 0};
    char sha[65];
    deid_status st = lookup_file_read_hashed(path, file->value, ',', on_matrix_row, &ld, sha, &e);
    if (!st && ctx->files_read)
        xf_file_list_set_sha256(ctx->files_read, path, sha);
    if (!st && (s->n == 0 || ld.rows != s->n)) {
        err_set(&e, DEID_E_RULES, "%s: has %zu category rows; the header names %zu",
                file->value, ld.rows, s->n);
        st = DEID_E_RULES;
    }
    s->path = path;
    return st ? lookup_file_fail(ctx, file, &e) : DEID_OK;
}

static deid_status keep_matrix(xf_context *ctx, xf_param *pk, xf_param *pv, pram_state *s)
{
    if (!pv)
        return xf_param_fail(ctx, pk, "keep= needs values=A,B,... naming the categories");
    double keep = -1;
    if (!number_share(pk->value, strlen(pk->value), &keep))
        keep = -1;
    if (!(keep >= 0 && keep <= 1))
        return xf_param_fail(ctx, pk, "keep= needs a share in [0, 1] or a percentage (e.g. 80%%)");
    const char *p = pv->value;
    for (size_t k = 1;; k++) {
        size_t n = strcspn(p, ",");
        const char *msg;
        if (add_label(s, p, n, &msg))
            return !strcmp(msg, "out of memory")
                       ? err_set(ctx->err, DEID_E_IO, "out of memory")
                       : xf_param_fail(ctx, pv, "values= item %zu %s", k, msg);
        if (!p[n])
            break;
        p += n + 1;
    }
    if (s->n < 2)
        return xf_param_fail(ctx, pv, "values= needs at least 2 categories");
    if (!(s->cum = calloc(s->n * s->n, sizeof *s->cum)))
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    for (size_t i = 0; i < s->n; i++) {
        for (size_t j = 0; j < s->n; j++)
            s->cum[i * s->n + j] = i == j ? keep : (1 - keep) / (double)(s->n - 1);
        accumulate_row(s, i);
    }
    return DEID_OK;
}

static deid_status pram_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    pram_state *s = calloc(1, sizeof *s);
    if (!s || !(s->labels = strmap_new(PRAM_MAX_CATEGORIES))) {
        pram_free(s);
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    }
    xf_param *pm, *pk, *pv;
    deid_status st = draw_source_init(ctx, "pram", 0, &s->src);
    st = st ? st : xf_param_find_once(ctx, "matrix", &pm);
    st = st ? st : xf_param_find_once(ctx, "keep", &pk);
    st = st ? st : xf_param_find_once(ctx, "values", &pv);
    if (!st && !pm == !pk)
        st = xf_param_fail(ctx, pm && pk ? pk : NULL,
                           "pram needs exactly one of matrix=FILE or keep=P values=A,B,...");
    if (!st && pm && pv)
        st = xf_param_fail(ctx, pv, "values= goes with keep=; the matrix file names the categories");
    if (!st && pm && !pm->value[0])
        st = xf_param_fail(ctx, pm, "matrix= is empty");
    st = st ? st : pm ? load_matrix(ctx, pm, s) : keep_matrix(ctx, pk, pv, s);
    if (!st) {
        size_t n = strlen(pm ? pm->value : pk->value) + (pv ? strlen(pv->value) : 0) + 32;
        if (!(s->spec = malloc(n)))
            st = err_set(ctx->err, DEID_E_IO, "out of memory");
        else if (pm)
            snprintf(s->spec, n, "matrix=%s", pm->value);
        else
            snprintf(s->spec, n, "keep=%s values=%s", pk->value, pv->value);
    }
    if (st) {
        pram_free(s);
        return st;
    }
    *state = s;
    return DEID_OK;
}

static xf_result pram_apply_at(const void *state, const xf_value *in, size_t n_in,
                               uint64_t record, dbuf *out, const char **why)
{
    const pram_state *s = state;
    uint32_t i;
    if (!strmap_get(s->labels, in[0].data, in[0].len, &i)) {
        *why = "is not one of the categories of the pram rule";
        return XF_BAD_VALUE;
    }
    keyed_draws d;
    if (!draw_source_start(&s->src, in, n_in, record, &d, why))
        return XF_BAD_VALUE;
    double u = keyed_draw_uniform(&d);
    int failed = d.failed;
    keyed_draws_end(&d);
    if (failed)
        return XF_NOMEM;
    const double *row = s->cum + (size_t)i * s->n;
    size_t j = 0;
    while (j < s->n && !(u < row[j]))
        j++;
    if (j == s->n) /* rounding: the last category with a share */
        for (j = s->n - 1; j > 0 && row[j] == row[j - 1]; j--)
            ;
    const char *label;
    size_t len;
    strmap_entry(s->labels, j, &label, &len, NULL);
    return dbuf_append(out, label, len) ? XF_NOMEM : XF_OK;
}

static xf_result pram_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                            const char **why)
{
    return pram_apply_at(state, in, n_in, 0, out, why);
}

static int pram_uses_position(const void *state)
{
    return !((const pram_state *)state)->src.by;
}

static int pram_describe(const void *state, dbuf *out)
{
    const pram_state *s = state;
    int rc = draw_source_describe(&s->src, out);
    return rc ? rc : dbuf_printf(out, " %s categories=%zu", s->spec, s->n);
}

static const char *pram_side_file(const void *state)
{
    return ((const pram_state *)state)->path;
}

const transform_ops xf_pram_ops = {
    .name = "pram",
    .technique = "무작위화/PRAM (post-randomization)",
    .flags = XF_TAKES_BY,
    .compile = pram_compile,
    .apply = pram_apply,
    .apply_at = pram_apply_at,
    .uses_position = pram_uses_position,
    .describe = pram_describe,
    .free = pram_free,
    .side_file = pram_side_file,
};
