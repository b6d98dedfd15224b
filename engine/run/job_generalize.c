/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_generalize.c - a run's pass-1 class table rebuilt with every class's
 * QI values mapped: rolled up to a plan's chosen node (plan.c's ladders),
 * or with some cells replaced by the token (how=cell, job_cells.c). The
 * records stay, each sensitive column's counts are kept, so that the
 * classes that violate the requirement are found as for fixed values.
 */
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "deid_limits.h"
#include "err.h"
#include "job.h"
#include "job_privacy.h"
#include "plan.h"

/* Expands class c's distribution of sensitive column s into size value ids. */
typedef struct expand_ctx {
    uint32_t *ids;
    size_t at;
} expand_ctx;

static void expand_value(void *ctx, uint32_t v, uint64_t count)
{
    expand_ctx *e = ctx;
    for (uint64_t i = 0; i < count; i++)
        e->ids[e->at++] = v;
}

/* Adds the records of class c (mapped to QI values qi) to gt: at once
 * without sensitive columns, else one by one with a value of each
 * column's distribution (only each column's counts per class matter);
 * *at gets the class in gt. The ids used are taken out of rest. */
static deid_status add_class(job_privacy *pv, const class_table *t0, uint32_t c, const xf_value *qi,
                             class_table *gt, uint32_t *ids, uint64_t most, uint64_t **rest,
                             uint32_t *at, deid_error *err)
{
    size_t n_s = pv->n_sens;
    uint64_t size = class_table_size(t0, c);
    if (n_s == 0) {
        int rc = class_table_add_n(gt, qi, NULL, size, at);
        return rc ? job_privacy_class_error(pv, gt, rc, err) : DEID_OK;
    }
    xf_value sens[n_s];
    for (size_t s = 0; s < n_s; s++) {
        expand_ctx e = {ids + s * most, 0};
        class_table_class_values(t0, c, s, expand_value, &e);
        for (size_t i = 0; i < e.at; i++)
            rest[s][ids[s * most + i]]--;
    }
    for (uint64_t r = 0; r < size; r++) {
        for (size_t s = 0; s < n_s; s++)
            sens[s] = class_table_sensitive_value(t0, s, ids[s * most + r]);
        int rc = class_table_add(gt, qi, sens, at);
        if (rc)
            return job_privacy_class_error(pv, gt, rc, err);
    }
    return DEID_OK;
}

deid_status job_privacy_rebuild(deid_job *job, const class_table *t0, job_tuple_fn fn, void *ctx,
                                class_table **out, uint32_t *map, deid_error *err)
{
    job_privacy *pv = job->priv;
    size_t n_s = pv->n_sens;
    *out = NULL;
    class_table *gt = class_table_new_budget(pv->n_qi, n_s, job->token, DEID_MAX_CLASSES, pv->budget);
    uint64_t most = 1;
    for (uint32_t c = 0; c < class_table_classes(t0); c++)
        if (class_table_size(t0, c) > most)
            most = class_table_size(t0, c);
    uint64_t suppressed = class_table_suppressed(t0);
    if (suppressed > most)
        most = suppressed;
    uint32_t *ids = calloc(n_s ? n_s * most : 1, sizeof *ids);
    xf_value *qi = calloc(pv->n_qi, sizeof *qi);
    xf_value *sens = calloc(n_s ? n_s : 1, sizeof *sens);
    uint64_t **rest = calloc(n_s ? n_s : 1, sizeof *rest);
    deid_status st = DEID_OK;
    if (!gt || !ids || !qi || !sens || !rest)
        st = err_set(err, DEID_E_IO, "out of memory");
    /* what the suppressed input records hold: overall minus every class */
    for (size_t s = 0; s < n_s && !st; s++) {
        size_t nv = class_table_sensitive_distinct(t0, s);
        if (!(rest[s] = calloc(nv ? nv : 1, sizeof *rest[s])))
            st = err_set(err, DEID_E_IO, "out of memory");
        for (uint32_t v = 0; v < nv && !st; v++)
            rest[s][v] = class_table_sensitive_count(t0, s, v);
    }
    for (uint32_t c = 0; c < class_table_classes(t0) && !st; c++) {
        uint32_t at = CLASS_SUPPRESSED;
        fn(ctx, t0, c, qi);
        st = add_class(pv, t0, c, qi, gt, ids, most, rest, &at, err);
        if (map)
            map[c] = at;
    }
    /* the suppressed input records stay suppressed */
    xf_value token = {job->token, strlen(job->token)};
    for (size_t q = 0; q < pv->n_qi && !st; q++)
        qi[q] = token;
    if (!st && n_s == 0 && suppressed) {
        int rc = class_table_add_n(gt, qi, NULL, suppressed, NULL);
        if (rc)
            st = job_privacy_class_error(pv, gt, rc, err);
        suppressed = 0;
    }
    for (uint64_t r = 0; r < suppressed && !st; r++) {
        for (size_t s = 0; s < n_s; s++) {
            uint32_t v = 0;
            while (rest[s][v] == 0)
                v++;
            rest[s][v]--;
            sens[s] = class_table_sensitive_value(t0, s, v);
        }
        int rc = class_table_add(gt, qi, sens, NULL);
        if (rc)
            st = job_privacy_class_error(pv, gt, rc, err);
    }
    for (size_t s = 0; s < n_s; s++)
        free(rest ? rest[s] : NULL);
    free(rest);
    free(ids);
    free(qi);
    free(sens);
    if (st) {
        class_table_free(gt);
        return st;
    }
    *out = gt;
    return DEID_OK;
}

/* A class's QI values at the plan's chosen levels. */
static void chosen_levels(void *ctx, const class_table *t0, uint32_t c, xf_value *qi)
{
    deid_job *job = ctx;
    for (size_t q = 0; q < job->priv->n_qi; q++) {
        const colplan_column *col = &job->colplan->cols[job->priv->qi_col[q]];
        qi[q] = col->auto_level
                    ? plan_ladders_value(job->priv->ladders, q, col->level, class_table_qi_id(t0, c, q))
                    : class_table_qi_value(t0, c, q);
    }
}

deid_status job_privacy_generalize(deid_job *job, uint32_t *map, deid_error *err)
{
    class_table *gt;
    deid_status st = job_privacy_rebuild(job, job->priv->measured, chosen_levels, job, &gt, map, err);
    if (st)
        return st;
    /* the level-0 table stays for the utility metrics (job_utility.c) */
    job->priv->level0_table = job->priv->measured;
    job->priv->measured = gt;
    return DEID_OK;
}
