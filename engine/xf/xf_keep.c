/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_keep.c - `keep` (the value passes unchanged) and `drop` (the column is
 * not written). Both are flags the engine acts on; they have no state.
 */
#include "transform.h"

static deid_status no_params(xf_context *ctx, void **state)
{
    (void)ctx;
    *state = NULL;
    return DEID_OK;
}

static xf_result copy_value(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                            const char **why)
{
    (void)state;
    (void)why;
    for (size_t i = 0; i < n_in; i++)
        if (dbuf_append(out, in[i].data, in[i].len))
            return XF_NOMEM;
    return XF_OK;
}

const transform_ops xf_keep_ops = {
    .name = "keep",
    .technique = "원본 유지 (kept as is)",
    .flags = XF_IDENTITY,
    .compile = no_params,
    .apply = copy_value,
};

const transform_ops xf_drop_ops = {
    .name = "drop",
    .technique = "데이터 삭제/식별자 삭제 (delete identifier)",
    .flags = XF_DROPS_COLUMN,
    .compile = no_params,
    .apply = copy_value,
};
