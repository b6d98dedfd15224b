/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_cells.c - cell (local) suppression, `suppress ... how=cell`: instead
 * of replacing every QI of a record in a violating class by the token,
 * replace as few QI cells as the greedy below needs (README "Cell
 * suppression").
 *
 * The greedy works on the class table, never on records: all records of a
 * pass-1 class hold the same QI values, so they share one fate, a depth d
 * (their first d QIs of the suppression order are written as the token).
 * Round 1 gives depth 1 to every class that violates the requirement. Each
 * further round rebuilds the table as it would be written and deepens the
 * classes that still violate, until none does. A cell that already holds
 * the token (generalized to `*`) is skipped and not counted: suppressing
 * it would change nothing. A record at full depth has
 * every QI equal to the token: it is a suppressed record (ARX's convention,
 * exempt from the requirement), so the greedy always ends, in at most n_qi
 * rounds when only k and distinct l are required (a class that meets them
 * keeps meeting them as records join it).
 */
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "err.h"
#include "job.h"
#include "job_privacy.h"
#include "privacy.h"

int job_cells_suppressed(const job_privacy *pv, uint32_t c, size_t q)
{
    if (!pv->cell_depth || c == CLASS_SUPPRESSED)
        return 0;
    for (uint32_t i = 0; i < pv->cell_depth[c]; i++)
        if (pv->cell_order[i] == q)
            return 1;
    return 0;
}

void job_cells_apply(const deid_job *job, uint32_t c, xf_value *values)
{
    const job_privacy *pv = job->priv;
    if (!pv->cell_depth || c == CLASS_SUPPRESSED)
        return;
    xf_value token = {job->token, strlen(job->token)};
    for (uint32_t i = 0; i < pv->cell_depth[c]; i++)
        values[pv->qi_out[pv->cell_order[i]]] = token;
}

/* The suppression order: the QIs named by order=, then the others by
 * decreasing number of distinct values (sdcMicro's default: the QI with
 * the most categories goes first), the earlier on the quasi line on a tie. */
static void suppression_order(const deid_job *job, size_t *order)
{
    const job_privacy *pv = job->priv;
    const rules_privacy *rp = &job->rules->privacy;
    unsigned char named[pv->n_qi];
    memset(named, 0, pv->n_qi);
    size_t n = 0;
    for (size_t i = 0; i < rp->n_suppress_order; i++)
        for (size_t q = 0; q < pv->n_qi; q++)
            if (!named[q] && !strcmp(rp->suppress_order[i], rp->quasi[q])) {
                order[n++] = q;
                named[q] = 1;
            }
    while (n < pv->n_qi) {
        size_t best = pv->n_qi;
        for (size_t q = 0; q < pv->n_qi; q++)
            if (!named[q] && (best == pv->n_qi || class_table_qi_distinct(pv->measured, q) >
                                                      class_table_qi_distinct(pv->measured, best)))
                best = q;
        order[n++] = best;
        named[best] = 1;
    }
}

/* Whether QI q of class c already is the token (generalized to it, or
 * on-error=suppress): suppressing it would change nothing. */
static int is_token(const deid_job *job, uint32_t c, size_t q)
{
    xf_value v = class_table_qi_value(job->priv->measured, c, q);
    return v.len == strlen(job->token) && !memcmp(v.data, job->token, v.len);
}

/* Suppresses class c's next cell in the order, skipping cells that
 * already hold the token. */
static void deepen(const deid_job *job, uint32_t c)
{
    job_privacy *pv = job->priv;
    do
        pv->cell_depth[c]++;
    while (pv->cell_depth[c] < pv->n_qi && is_token(job, c, pv->cell_order[pv->cell_depth[c] - 1]));
}

typedef struct cells_ctx {
    const deid_job *job;
    xf_value token;
} cells_ctx;

/* A class's QI values as written: its suppressed cells are the token. */
static void written_tuple(void *ctx, const class_table *t0, uint32_t c, xf_value *qi)
{
    const cells_ctx *x = ctx;
    const job_privacy *pv = x->job->priv;
    for (size_t q = 0; q < pv->n_qi; q++)
        qi[q] = class_table_qi_value(t0, c, q);
    for (uint32_t i = 0; i < pv->cell_depth[c]; i++)
        qi[pv->cell_order[i]] = x->token;
}

/* One round: rebuilds the table as written, deepens the classes that still
 * violate; *changed says whether any did. On the last round (nothing
 * changed) the written class sizes are kept for the utility figures. */
static deid_status cells_round(deid_job *job, const privacy_requirement *req,
                               const privacy_sensitive_spec *spec, uint32_t *map, int *changed,
                               deid_error *err)
{
    job_privacy *pv = job->priv;
    cells_ctx x = {job, {job->token, strlen(job->token)}};
    class_table *tj;
    deid_status st = job_privacy_rebuild(job, pv->measured, written_tuple, &x, &tj, map, err);
    if (st)
        return st;
    size_t n = class_table_classes(tj);
    unsigned char *violates = calloc(n ? n : 1, 1);
    if (!violates || privacy_violations(tj, req, spec, violates) == UINT64_MAX) {
        free(violates);
        class_table_free(tj);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    *changed = 0;
    for (uint32_t c = 0; c < class_table_classes(pv->measured); c++)
        if (map[c] != CLASS_SUPPRESSED && violates[map[c]] && pv->cell_depth[c] < pv->n_qi) {
            deepen(job, c);
            *changed = 1;
        }
    if (!*changed) {
        pv->cell_sizes = calloc(n ? n : 1, sizeof *pv->cell_sizes);
        if (!pv->cell_sizes)
            st = err_set(err, DEID_E_IO, "out of memory");
        for (uint32_t c = 0; c < n && !st; c++)
            pv->cell_sizes[c] = class_table_size(tj, c);
        pv->n_cell_sizes = n;
    }
    free(violates);
    class_table_free(tj);
    return st;
}

deid_status job_cells_plan(deid_job *job, const privacy_requirement *req,
                           const privacy_sensitive_spec *spec, deid_error *err)
{
    job_privacy *pv = job->priv;
    size_t n = class_table_classes(pv->measured);
    pv->cell_order = calloc(pv->n_qi, sizeof *pv->cell_order);
    pv->cell_depth = calloc(n ? n : 1, sizeof *pv->cell_depth);
    pv->cells_per_qi = calloc(pv->n_qi, sizeof *pv->cells_per_qi);
    uint32_t *map = calloc(n ? n : 1, sizeof *map);
    if (!pv->cell_order || !pv->cell_depth || !pv->cells_per_qi || !map) {
        free(map);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    suppression_order(job, pv->cell_order);
    deid_status st = DEID_OK;
    int changed = 0;
    for (uint32_t c = 0; c < n; c++)
        if (pv->violates[c]) {
            deepen(job, c);
            changed = 1;
        }
    pv->cell_rounds = changed;
    while (changed && !st) {
        st = cells_round(job, req, spec, map, &changed, err);
        pv->cell_rounds += changed;
    }
    free(map);
    if (st)
        return st;
    if (!pv->cell_sizes) {
        /* nothing violated: the classes are written as measured */
        pv->cell_sizes = calloc(n ? n : 1, sizeof *pv->cell_sizes);
        if (!pv->cell_sizes)
            return err_set(err, DEID_E_IO, "out of memory");
        for (uint32_t c = 0; c < n; c++)
            pv->cell_sizes[c] = class_table_size(pv->measured, c);
        pv->n_cell_sizes = n;
    }
    for (uint32_t c = 0; c < n; c++) {
        uint64_t size = class_table_size(pv->measured, c);
        uint64_t open = 0, closed = 0; /* cells not holding the token; of them, suppressed */
        for (uint32_t i = 0; i < pv->n_qi; i++) {
            if (is_token(job, c, pv->cell_order[i]))
                continue;
            open++;
            if (i < pv->cell_depth[c]) {
                pv->cells_per_qi[pv->cell_order[i]] += size;
                closed++;
            }
        }
        pv->cells += closed * size;
        pv->cells_if_quasi += pv->violates[c] ? open * size : 0;
        pv->cell_records += pv->cell_depth[c] ? size : 0;
        pv->cell_full += pv->cell_depth[c] && closed == open ? size : 0;
    }
    return DEID_OK;
}

/* how=cell past the limit: max= allows the cells that suppressing that
 * share of the records would blank. */
deid_status job_cells_refuse(const deid_job *job, uint64_t limit, deid_error *err)
{
    const job_privacy *pv = job->priv;
    return err_set(err, DEID_E_PRIVACY,
                   "the privacy requirement is not met: %llu of %llu records are in classes that "
                   "violate it; suppressing cells takes %llu QI cells in %llu records, and "
                   "suppress max= allows %llu (the cells of %llu records)",
                   (unsigned long long)pv->to_suppress, (unsigned long long)job->counts.records_read,
                   (unsigned long long)pv->cells, (unsigned long long)pv->cell_records,
                   (unsigned long long)(limit * pv->n_qi), (unsigned long long)limit);
}

void job_cells_free(job_privacy *pv)
{
    free(pv->cell_order);
    free(pv->cell_depth);
    free(pv->cells_per_qi);
    free(pv->cell_sizes);
    pv->cell_order = NULL;
    pv->cell_depth = NULL;
    pv->cells_per_qi = NULL;
    pv->cell_sizes = NULL;
    pv->n_cell_sizes = 0;
    pv->cells = pv->cell_records = pv->cell_full = pv->cells_if_quasi = pv->cell_rounds = 0;
}
