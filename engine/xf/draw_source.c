/* SPDX-License-Identifier: Apache-2.0 */
/*
 * draw_source.c - key=, domain= and by= of the keyed-random transforms
 * (see draw_source.h), read once so that each transform only says what it
 * draws.
 */
#include <stdlib.h>
#include <string.h>

#include "draw_source.h"
#include "err.h"
#include "keyring.h"

deid_status draw_source_init(xf_context *ctx, const char *purpose, int by_names_domain,
                             draw_source *src)
{
    memset(src, 0, sizeof *src);
    deid_status st;
    const deid_key *key = xf_key_param(ctx, &st);
    if (!key)
        return st;
    size_t by_len = 0;
    for (size_t i = 0; i < ctx->n_also; i++)
        by_len += strlen(ctx->also[i]) + 1;
    if (ctx->n_also) {
        if (!(src->by = malloc(by_len)))
            return err_set(ctx->err, DEID_E_IO, "out of memory");
        src->by[0] = '\0';
        for (size_t i = 0; i < ctx->n_also; i++) {
            if (i)
                strcat(src->by, ",");
            strcat(src->by, ctx->also[i]);
        }
    }
    xf_domain_arg d;
    const char *column = ctx->column;
    if (by_names_domain && src->by)
        ctx->column = src->by; /* the default domain is the by= columns */
    st = xf_domain_arg_get(ctx, purpose, &d);
    if (!st)
        st = xf_keyed_init(ctx, &d, key, &src->id);
    ctx->column = column;
    if (st)
        return st;
    if (!src->id.key_name ||
        !(src->kr = keyed_random_new(key, purpose, src->id.domain, src->id.domain_len)))
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    return DEID_OK;
}

int draw_source_start(const draw_source *src, const xf_value *in, size_t n_in, uint64_t record,
                      keyed_draws *d, const char **why)
{
    if (!src->by) {
        keyed_draws_by_position(d, src->kr, record);
        return 1;
    }
    for (size_t i = 1; i < n_in; i++)
        if (!in[i].len) {
            *why = "has an empty by= column (no identity to draw for)";
            return 0;
        }
    keyed_draws_by_values(d, src->kr, in + 1, n_in > 1 ? n_in - 1 : 0);
    return 1;
}

int draw_source_describe(const draw_source *src, dbuf *out)
{
    int rc = xf_keyed_describe(&src->id, out);
    if (rc || !src->by)
        return rc;
    rc = dbuf_append_str(out, " by=");
    return rc ? rc : xf_append_value(out, src->by);
}

void draw_source_free(draw_source *src)
{
    keyed_random_free(src->kr);
    xf_keyed_free(&src->id);
    free(src->by);
    memset(src, 0, sizeof *src);
}
