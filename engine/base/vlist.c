/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vlist.c - a growing list of values in one arena (vlist.h).
 */
#include <stdlib.h>
#include <string.h>

#include "vlist.h"

void vlist_init(vlist *v, mem_budget *b)
{
    memset(v, 0, sizeof *v);
    dbuf_init(&v->bytes, SIZE_MAX);
    v->budget = b;
}

int vlist_add(vlist *v, const char *data, size_t len)
{
    size_t cost = len + sizeof *v->ends;
    if (mem_budget_charge(v->budget, cost))
        return VLIST_EBUDGET;
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 64;
        uint64_t *grown = realloc(v->ends, cap * sizeof *grown);
        if (!grown) {
            mem_budget_release(v->budget, cost);
            return VLIST_ENOMEM;
        }
        v->ends = grown;
        v->cap = cap;
    }
    if (dbuf_append(&v->bytes, data, len)) {
        mem_budget_release(v->budget, cost);
        return VLIST_ENOMEM;
    }
    v->ends[v->n++] = v->bytes.len;
    v->charged += cost;
    return VLIST_OK;
}

xf_value vlist_get(const vlist *v, size_t i)
{
    uint64_t start = i ? v->ends[i - 1] : 0;
    xf_value out = {v->bytes.data ? v->bytes.data + start : "", (size_t)(v->ends[i] - start)};
    return out;
}

void vlist_wipe(vlist *v)
{
    mem_budget *b = v->budget;
    dbuf_wipe(&v->bytes);
    free(v->ends);
    mem_budget_release(b, v->charged);
    vlist_init(v, b);
}
