/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_shuffle.c - `shuffle key=K [within=A,B,...] [domain=LABEL]`
 * (guideline: 총계처리/재배열, permutation): the column's values are
 * permuted across the records (with within=, among the records that have
 * the same written values in those columns), so the multiset of values of
 * each group is unchanged and the link between a value and the rest of its
 * record is broken.
 *
 * The permutation of a group is a Fisher-Yates shuffle of its records in
 * input order, j = n-1 down to 1 swapping position j with below(j+1),
 * drawn from the keyed stream (keyed_random.h, purpose "shuffle", domain
 * domain= or the column name) of the group's identity: its within= values
 * (all records: no values). The same input, rules and key give the same
 * output for any thread count; another key, another permutation. Whoever
 * holds the key and knows the group sizes and the input order can
 * recompute the permutation and undo it: keep the key as you would a
 * pseudonymization key, or use a one-off key that is then destroyed.
 * Every value takes part, empty ones included.
 */
#include <stdlib.h>
#include <string.h>

#include "draw_source.h"
#include "err.h"
#include "xf_group.h"

typedef struct shuffle_state {
    draw_source src;
    char **within;
    size_t n_within;
} shuffle_state;

static void shuffle_free(void *state)
{
    shuffle_state *s = state;
    if (!s)
        return;
    draw_source_free(&s->src);
    xf_group_names_free(s->within, s->n_within);
    free(s);
}

static deid_status shuffle_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    shuffle_state *s = calloc(1, sizeof *s);
    if (!s)
        return xf_param_fail(ctx, NULL, "out of memory");
    deid_status st = draw_source_init(ctx, "shuffle", 0, &s->src);
    xf_param *w = NULL;
    if (!st)
        st = xf_param_find_once(ctx, "within", &w);
    if (!st && w)
        st = xf_group_names(ctx, w, &s->within, &s->n_within);
    for (size_t i = 0; !st && i < s->n_within; i++)
        if (ctx->column && !strcmp(s->within[i], ctx->column))
            st = xf_param_fail(ctx, w, "within= names the shuffled column itself");
    if (st) {
        shuffle_free(s);
        return st;
    }
    *state = s;
    return DEID_OK;
}

static xf_result shuffle_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                               const char **why)
{
    (void)state;
    (void)n_in;
    (void)why;
    return dbuf_append(out, in->data, in->len) ? XF_NOMEM : XF_OK;
}

static int shuffle_describe(const void *state, dbuf *out)
{
    const shuffle_state *s = state;
    int rc = draw_source_describe(&s->src, out);
    for (size_t i = 0; i < s->n_within && !rc; i++) {
        rc = dbuf_append_str(out, i ? "," : " within=");
        rc = rc ? rc : xf_append_value(out, s->within[i]);
    }
    return rc;
}

static const char *const *shuffle_columns(const void *state, size_t *n)
{
    (void)state;
    *n = 0;
    return NULL;
}

static const char *const *shuffle_within(const void *state, size_t *n)
{
    const shuffle_state *s = state;
    *n = s->n_within;
    return (const char *const *)s->within;
}

static deid_status shuffle_compute(const void *state, const xf_group_input *in,
                                   xf_group_output *out, deid_error *err)
{
    const shuffle_state *s = state;
    const size_t n = in->n, ng = in->n_groups;
    /* the records of each group, in input order, one group after another */
    spill_buf buf[3];
    spill_bufs_init(buf, 3, in->spill);
    int rc = SPILL_OK;
    size_t *at = spill_buf_take(&buf[0], ng + 1, sizeof *at, &rc);
    size_t *fill = spill_buf_take(&buf[1], ng, sizeof *fill, &rc);
    uint32_t *members = spill_buf_take(&buf[2], n, sizeof *members, &rc);
    if (rc) {
        spill_bufs_free(buf, 3);
        return xf_group_fail(in->spill, rc, err);
    }
    for (size_t i = 0; i < n; i++)
        at[(in->group ? in->group[i] : 0) + 1]++;
    for (size_t g = 0; g < ng; g++)
        at[g + 1] += at[g];
    for (size_t i = 0; i < n; i++) {
        uint32_t g = in->group ? in->group[i] : 0;
        members[at[g] + fill[g]++] = (uint32_t)i;
    }
    int failed = 0;
    for (size_t g = 0; g < ng; g++) {
        uint32_t *m = members + at[g];
        size_t cnt = at[g + 1] - at[g];
        out->groups += cnt > 0;
        keyed_draws d;
        /* by values, none for the whole column (NULL would mean by position) */
        static const xf_value no_values[1];
        keyed_draws_by_values(&d, s->src.kr, in->group_keys ? &in->group_keys[g] : no_values,
                              in->group_keys ? 1 : 0);
        /* perm[j] = the record whose value position j gets; start as is */
        for (size_t j = cnt; j-- > 1;) {
            size_t k = (size_t)keyed_draw_below(&d, (uint64_t)j + 1);
            uint32_t t = m[j];
            m[j] = m[k];
            m[k] = t;
        }
        failed |= d.failed;
        keyed_draws_end(&d);
    }
    /* the i-th record of a group (input order) gets the value of the
     * record now at position i */
    memset(fill, 0, ng * sizeof *fill);
    for (size_t i = 0; i < n; i++) {
        uint32_t g = in->group ? in->group[i] : 0;
        out->pick[i] = members[at[g] + fill[g]++];
    }
    out->pick_input = 1;
    spill_bufs_free(buf, 3);
    return failed ? err_set(err, DEID_E_IO, "the keyed draws failed (HMAC)") : DEID_OK;
}

static const xf_group_ops shuffle_group = {"within", shuffle_columns, shuffle_within,
                                           shuffle_compute};

const transform_ops xf_shuffle_ops = {
    .name = "shuffle",
    .technique = "총계처리/재배열 (permutation, keyed)",
    .compile = shuffle_compile,
    .apply = shuffle_apply,
    .describe = shuffle_describe,
    .free = shuffle_free,
    .group = &shuffle_group,
};
