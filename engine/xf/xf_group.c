/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_group.c - helpers shared by the two-pass techniques (xf_group.h):
 * reading their numbers and column lists, writing their results.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "number.h"
#include "xf_group.h"

size_t xf_group_numbers(const vlist *col, size_t n, double *x, unsigned char *used)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        xf_value v = vlist_get(col, i);
        char plain[XF_GROUP_MAX_NUMBER + 1];
        number_text num;
        x[i] = 0;
        used[i] = 0;
        /* the first pass wrote plain numbers; anything else (empty, the
         * on-error token) stays as it is */
        if (v.len == 0 || v.len >= sizeof plain || !number_parse(v.data, v.len, &num))
            continue;
        memcpy(plain, v.data, v.len);
        plain[v.len] = '\0';
        x[i] = strtod(plain, NULL);
        used[i] = isfinite(x[i]) ? 1 : 0;
        k += used[i];
    }
    return k;
}

int xf_group_add_number(vlist *out, double v, unsigned decimals)
{
    char text[400];
    int len = snprintf(text, sizeof text, "%.*f", (int)decimals, v);
    if (len < 0 || (size_t)len >= sizeof text)
        return VLIST_ENOMEM;
    const char *p = text;
    /* never "-0" or "-0.00" */
    if (text[0] == '-' && strspn(text + 1, "0.") == (size_t)len - 1) {
        p++;
        len--;
    }
    return vlist_add(out, p, (size_t)len);
}

void xf_group_names_free(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

deid_status xf_group_names(xf_context *ctx, const xf_param *p, char ***names, size_t *n)
{
    *names = NULL;
    *n = 0;
    const char *s = p->value;
    size_t cap = 1;
    for (const char *c = s; *c; c++)
        cap += *c == ',';
    char **list = calloc(cap, sizeof *list);
    if (!list)
        return xf_param_fail(ctx, p, "out of memory");
    size_t k = 0;
    for (;;) {
        size_t len = strcspn(s, ",");
        if (len == 0) {
            xf_group_names_free(list, k);
            return xf_param_fail(ctx, p, "%s= has an empty column name", p->name);
        }
        for (size_t i = 0; i < k; i++)
            if (strlen(list[i]) == len && !memcmp(list[i], s, len)) {
                xf_group_names_free(list, k);
                return xf_param_fail(ctx, p, "%s= names a column twice", p->name);
            }
        if (!(list[k] = strndup(s, len))) {
            xf_group_names_free(list, k);
            return xf_param_fail(ctx, p, "out of memory");
        }
        k++;
        if (!s[len])
            break;
        s += len + 1;
    }
    *names = list;
    *n = k;
    return DEID_OK;
}

xf_result xf_group_apply_number(const xf_value *in, dbuf *out, const char **why)
{
    char plain[XF_GROUP_MAX_NUMBER + 1];
    if (in->len > XF_GROUP_MAX_NUMBER) {
        *why = "is out of range (a number of at most 64 characters)";
        return XF_BAD_VALUE;
    }
    size_t len = number_plain(in->data, in->len, plain);
    if (len == 0) {
        *why = "is not a decimal number (" NUMBER_DECIMAL_FORMS ")";
        return XF_BAD_VALUE;
    }
    return dbuf_append(out, plain, len) ? XF_NOMEM : XF_OK;
}

deid_status xf_group_fail(const spill_area *a, int rc, deid_error *err)
{
    if (rc == STRMAP_EBUDGET) {
        char size[32];
        mem_budget_format(a && a->budget ? a->budget->limit : 0, size, sizeof size);
        return err_set(err, DEID_E_IO,
                       "memory budget of %s reached by a table of distinct values that a "
                       "two-pass technique keeps in memory (the groups of by= or within=, or "
                       "aggregate fn=mode's values); raise it (--memory)",
                       size);
    }
    return spill_area_error(a, rc, err);
}
