/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vlist.c - a growing list of values in one arena (vlist.h).
 */
#include <stdlib.h>
#include <string.h>

#include "vlist.h"

void vlist_init(vlist *v, spill_area *a)
{
    memset(v, 0, sizeof *v);
    spill_buf_init(&v->bytes, a);
    spill_buf_init(&v->ends, a);
}

/* Doubles b until it holds need bytes. */
static int grow(spill_buf *b, size_t need, size_t first)
{
    if (need <= b->size)
        return VLIST_OK;
    size_t size = b->size ? b->size : first;
    while (size < need) {
        if (size > SIZE_MAX / 2)
            return VLIST_ENOMEM;
        size *= 2;
    }
    return spill_buf_resize(b, size);
}

int vlist_add(vlist *v, const char *data, size_t len)
{
    if (len > SIZE_MAX - v->len)
        return VLIST_ENOMEM;
    int rc = grow(&v->ends, (v->n + 1) * sizeof(uint64_t), 64 * sizeof(uint64_t));
    if (!rc && len)
        rc = grow(&v->bytes, v->len + len, 256);
    if (rc)
        return rc;
    if (len)
        memcpy(v->bytes.data + v->len, data, len);
    v->len += len;
    uint64_t end = v->len;
    memcpy(v->ends.data + v->n * sizeof end, &end, sizeof end);
    v->n++;
    v->cap = v->ends.size / sizeof end;
    return VLIST_OK;
}

xf_value vlist_get(const vlist *v, size_t i)
{
    const uint64_t *ends = (const uint64_t *)(const void *)v->ends.data;
    uint64_t start = i ? ends[i - 1] : 0;
    xf_value out = {v->bytes.data ? (const char *)v->bytes.data + start : "",
                    (size_t)(ends[i] - start)};
    return out;
}

void vlist_wipe(vlist *v)
{
    spill_area *a = v->bytes.area;
    spill_buf_free(&v->bytes);
    spill_buf_free(&v->ends);
    vlist_init(v, a);
}
