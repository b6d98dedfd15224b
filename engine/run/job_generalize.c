/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_generalize.c - a planned run's level-0 class table rolled up to the
 * chosen node: the same records, their QIs generalized to the chosen
 * levels (plan.c's ladders), each sensitive column's counts kept, so that
 * the classes to suppress are found as for fixed levels.
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

deid_status job_privacy_generalize(deid_job *job, deid_error *err)
{
    const class_table *t0 = job->priv->measured;
    size_t n_s = job->priv->n_sens;
    class_table *gt = class_table_new_budget(job->priv->n_qi, n_s, job->token, DEID_MAX_CLASSES,
                                             &job->priv->budget);
    uint64_t most = 1;
    for (uint32_t c = 0; c < class_table_classes(t0); c++)
        if (class_table_size(t0, c) > most)
            most = class_table_size(t0, c);
    uint64_t suppressed = class_table_suppressed(t0);
    if (suppressed > most)
        most = suppressed;
    uint32_t *ids = calloc(n_s ? n_s * most : 1, sizeof *ids);
    xf_value *qi = calloc(job->priv->n_qi, sizeof *qi);
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
        uint64_t size = class_table_size(t0, c);
        for (size_t q = 0; q < job->priv->n_qi; q++) {
            const colplan_column *col = &job->colplan->cols[job->priv->qi_col[q]];
            qi[q] = col->auto_level
                        ? plan_ladders_value(job->priv->ladders, q, col->level, class_table_qi_id(t0, c, q))
                        : class_table_qi_value(t0, c, q);
        }
        for (size_t s = 0; s < n_s; s++) {
            expand_ctx e = {ids + s * most, 0};
            class_table_class_values(t0, c, s, expand_value, &e);
            for (size_t i = 0; i < e.at; i++)
                rest[s][ids[s * most + i]]--;
        }
        for (uint64_t r = 0; r < size && !st; r++) {
            for (size_t s = 0; s < n_s; s++)
                sens[s] = class_table_sensitive_value(t0, s, ids[s * most + r]);
            int rc = class_table_add(gt, qi, sens, NULL);
            if (rc)
                st = job_privacy_class_error(job->priv, gt, rc, err);
        }
    }
    /* the suppressed input records stay suppressed */
    xf_value token = {job->token, strlen(job->token)};
    for (size_t q = 0; q < job->priv->n_qi && !st; q++)
        qi[q] = token;
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
            st = job_privacy_class_error(job->priv, gt, rc, err);
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
    /* the level-0 table stays for the utility metrics (job_utility.c) */
    job->priv->level0_table = job->priv->measured;
    job->priv->measured = gt;
    return DEID_OK;
}

