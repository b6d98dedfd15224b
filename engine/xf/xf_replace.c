/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_replace.c - `blank` (every value becomes empty) and `replace value=TEXT`
 * (every value, empty ones too, becomes TEXT).
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "transform.h"
#include "utf8.h"

static deid_status blank_compile(xf_context *ctx, void **state)
{
    (void)ctx;
    *state = NULL;
    return DEID_OK;
}

static xf_result blank_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                             const char **why)
{
    (void)state, (void)in, (void)n_in, (void)out, (void)why;
    return XF_OK;
}

const transform_ops xf_blank_ops = {
    .name = "blank",
    .technique = "데이터 마스킹/공백과 대체 (blank)",
    .compile = blank_compile,
    .apply = blank_apply,
};

static deid_status replace_compile(xf_context *ctx, void **state)
{
    xf_param *p = xf_param_find(ctx, "value");
    if (!p)
        return xf_param_fail(ctx, NULL, "replace needs value=TEXT");
    if (utf8_count(p->value, strlen(p->value)) == (size_t)-1)
        return xf_param_fail(ctx, p, "value= is not valid UTF-8");
    char *text = strdup(p->value);
    if (!text)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    *state = text;
    return DEID_OK;
}

static xf_result replace_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                               const char **why)
{
    (void)in, (void)n_in, (void)why;
    return dbuf_append_str(out, state) ? XF_NOMEM : XF_OK;
}

static int replace_describe(const void *state, dbuf *out)
{
    int rc = dbuf_append_str(out, "value=");
    return rc ? rc : xf_append_quoted(out, state);
}

const transform_ops xf_replace_ops = {
    .name = "replace",
    .technique = "데이터 마스킹/공백과 대체 (replace)",
    .flags = XF_FILLS_EMPTY,
    .compile = replace_compile,
    .apply = replace_apply,
    .describe = replace_describe,
    .free = free,
};
