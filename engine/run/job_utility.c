/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_utility.c - the utility metrics of a privacy run or plan (README
 * "Utility"): what the delivered QIs cost against the input's.
 *
 * Pass 1 sees each record's source QI values (the lanes append them after
 * the written values; they never reach the spool) and its class in the
 * pass-1 table. Per QI it counts the distinct (source value, pass-1
 * class) pairs, so memory grows with distinct values and classes, never
 * with records, under the run's memory budget. Once the classes to
 * suppress are known (and, for level=auto, the chosen levels applied),
 * every pass-1 class's delivered value is known: its QI value at the
 * chosen level, or the token (or nothing, how=record) when its class is
 * suppressed (how=cell: when that cell is). The pairs are then recounted as (source, delivered) and
 * the figures computed (model/utility.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "deid_limits.h"
#include "err.h"
#include "job.h"
#include "job_privacy.h"
#include "plan.h"
#include "search.h"
#include "strmap.h"
#include "utility.h"

static deid_status counter_error(job_privacy *pv, int rc, deid_error *err)
{
    if (rc == UTILITY_EBUDGET)
        return mem_budget_error(pv->budget, "the utility counts", MEM_BUDGET_UNCOUNTED, err);
    if (rc == UTILITY_EFULL)
        return err_set(err, DEID_E_IO, "more than %u distinct values in a quasi-identifier "
                                       "(DEID_MAX_CLASSES)", (unsigned)DEID_MAX_CLASSES);
    return err_set(err, DEID_E_IO, "out of memory");
}

/* Pass 1's counts: per QI, one map from (pass-1 class, source value) to a
 * count, one hash lookup per QI and record on the merging thread. */
struct job_utility_pairs {
    size_t n_qi;
    strmap **map;                 /* per QI; NULL for a QI whose source is in the table */
    uint64_t **count;             /* per QI, by map value */
    size_t *cap;
    dbuf key;                     /* 4 bytes of class id, then the source value */
    mem_budget *budget;
    size_t charged;
};

void job_utility_pairs_free(struct job_utility_pairs *p)
{
    if (!p)
        return;
    for (size_t q = 0; q < p->n_qi; q++) {
        strmap_free(p->map ? p->map[q] : NULL);
        free(p->count ? p->count[q] : NULL);
    }
    free(p->map);
    free(p->count);
    free(p->cap);
    dbuf_wipe(&p->key);
    mem_budget_release(p->budget, p->charged);
    free(p);
}

/* 1 when QI q's pass-1 value is its source value (kept whole, or a
 * level=auto ladder at level 0): the pass-1 table then holds the source
 * values and no pair needs counting. */
static int source_in_table(const deid_job *job, size_t q)
{
    const colplan_column *c = &job->colplan->cols[job->priv->qi_col[q]];
    return c->auto_level || (c->ops->flags & XF_IDENTITY);
}

deid_status job_utility_start(deid_job *job, deid_error *err)
{
    job_privacy *pv = job->priv;
    struct job_utility_pairs *p = calloc(1, sizeof *p);
    if (!p)
        return err_set(err, DEID_E_IO, "out of memory");
    pv->pairs = p;
    p->n_qi = pv->n_qi;
    p->budget = pv->budget;
    dbuf_init(&p->key, (size_t)DEID_MAX_FIELD_BYTES + 4);
    p->map = calloc(pv->n_qi, sizeof *p->map);
    p->count = calloc(pv->n_qi, sizeof *p->count);
    p->cap = calloc(pv->n_qi, sizeof *p->cap);
    if (!p->map || !p->count || !p->cap)
        return err_set(err, DEID_E_IO, "out of memory");
    for (size_t q = 0; q < pv->n_qi; q++) {
        if (source_in_table(job, q))
            continue;
        if (!(p->map[q] = strmap_new(DEID_MAX_CLASSES)) || strmap_set_budget(p->map[q], p->budget))
            return err_set(err, DEID_E_IO, "out of memory");
    }
    return DEID_OK;
}

/* count[id] made to exist, doubling, charged to the budget. */
static int grow_counts(struct job_utility_pairs *p, size_t q, size_t id)
{
    if (id < p->cap[q])
        return UTILITY_OK;
    size_t n = p->cap[q] ? p->cap[q] * 2 : 256;
    size_t more = (n - p->cap[q]) * sizeof **p->count;
    if (mem_budget_charge(p->budget, more))
        return UTILITY_EBUDGET;
    uint64_t *grown = realloc(p->count[q], n * sizeof *grown);
    if (!grown) {
        mem_budget_release(p->budget, more);
        return UTILITY_ENOMEM;
    }
    memset(grown + p->cap[q], 0, more);
    p->count[q] = grown;
    p->cap[q] = n;
    p->charged += more;
    return UTILITY_OK;
}


deid_status job_utility_take(deid_job *job, const xf_value *raw, uint32_t c, deid_error *err)
{
    struct job_utility_pairs *p = job->priv->pairs;
    for (size_t q = 0; q < p->n_qi; q++) {
        if (!p->map[q])
            continue;
        dbuf_reset(&p->key);
        if (dbuf_append(&p->key, &c, sizeof c) || dbuf_append(&p->key, raw[q].data, raw[q].len))
            return err_set(err, DEID_E_IO, "out of memory");
        uint32_t id;
        int rc = strmap_put(p->map[q], p->key.data, p->key.len, (uint32_t)strmap_count(p->map[q]), &id);
        rc = rc < 0 ? (rc == STRMAP_EBUDGET ? UTILITY_EBUDGET
                       : rc == STRMAP_EFULL ? UTILITY_EFULL : UTILITY_ENOMEM)
                    : grow_counts(p, q, id);
        if (rc)
            return counter_error(job->priv, rc, err);
        p->count[q][id]++;
    }
    return DEID_OK;
}

/* Where each pass-1 class ends up: its class in the final table. */
typedef struct recount {
    deid_job *job;
    size_t q;
    const class_table *first;     /* pass-1 table */
    const uint32_t *final_class;  /* per pass-1 class */
    utility_counter *out;
    int rc;
} recount;

/* Counts count records of pass-1 class c0 whose QI r->q had source src. */
static int deliver(recount *r, uint32_t c0, xf_value src, uint64_t count)
{
    job_privacy *pv = r->job->priv;
    xf_value token = {r->job->token, strlen(r->job->token)}, out = token;
    utility_fate to = UTILITY_SUPPRESSED;
    uint32_t c = c0 == CLASS_SUPPRESSED ? CLASS_SUPPRESSED : r->final_class[c0];
    if (c != CLASS_SUPPRESSED) {
        if (pv->cell_depth ? !job_cells_suppressed(pv, c, r->q) : !pv->violates[c]) {
            to = UTILITY_KEPT;
            out = class_table_qi_value(pv->measured, c, r->q);
        } else if (r->job->rules->privacy.suppress_records) {
            to = UTILITY_REMOVED;
        }
    }
    return r->rc = utility_counter_add(r->out, r->q, src, out, to, count);
}

/* A QI whose (class, source) pairs pass 1 counted. */
static int recount_pairs(recount *r, const struct job_utility_pairs *p)
{
    int rc = 0;
    for (size_t i = 0; i < strmap_count(p->map[r->q]) && !rc; i++) {
        const char *key;
        size_t len;
        uint32_t c0;
        strmap_entry(p->map[r->q], i, &key, &len, NULL);
        memcpy(&c0, key, sizeof c0);
        xf_value src = {key + sizeof c0, len - sizeof c0};
        rc = deliver(r, c0, src, p->count[r->q][i]);
    }
    return rc;
}

/* A QI whose source values are the pass-1 table's: class by class. */
static int recount_classes(recount *r)
{
    xf_value token = {r->job->token, strlen(r->job->token)};
    int rc = deliver(r, CLASS_SUPPRESSED, token, class_table_suppressed(r->first));
    for (uint32_t c = 0; c < class_table_classes(r->first) && !rc; c++)
        rc = deliver(r, c, class_table_qi_value(r->first, c, r->q), class_table_size(r->first, c));
    return rc;
}

/* final[c0] for every pass-1 class: itself, or the class of its QI values
 * at the chosen levels in the generalized table (CLASS_SUPPRESSED when
 * they are all the token). */
static deid_status final_classes(deid_job *job, const class_table *first, uint32_t *final,
                                 deid_error *err)
{
    job_privacy *pv = job->priv;
    xf_value *qi = calloc(pv->n_qi, sizeof *qi);
    if (!qi)
        return err_set(err, DEID_E_IO, "out of memory");
    for (uint32_t c = 0; c < class_table_classes(first); c++) {
        final[c] = c;
        if (!pv->level0_table)
            continue;
        for (size_t q = 0; q < pv->n_qi; q++) {
            const colplan_column *col = &job->colplan->cols[pv->qi_col[q]];
            qi[q] = col->auto_level ? plan_ladders_value(pv->ladders, q, col->level,
                                                         class_table_qi_id(first, c, q))
                                    : class_table_qi_value(first, c, q);
        }
        /* a class the chosen levels make the token in every QI is a
         * suppressed record (final CLASS_SUPPRESSED) */
        if (!class_table_find(pv->measured, qi, &final[c])) {
            free(qi);
            return err_set(err, DEID_E_IO, "a generalized class is missing (internal error)");
        }
    }
    free(qi);
    return DEID_OK;
}

/* What is known of each QI's level: a level=auto ladder's chosen level, a
 * fixed level of a ladder (hierarchy level=N), a value kept whole (level 0
 * of 0), else nothing. */
static void qi_levels(const deid_job *job, utility_level *lv)
{
    const job_privacy *pv = job->priv;
    for (size_t q = 0; q < pv->n_qi; q++) {
        const colplan_column *c = &job->colplan->cols[pv->qi_col[q]];
        memset(&lv[q], 0, sizeof lv[q]);
        if (c->auto_level && c->ops->levels && c->ops->levels(c->state) > 0) {
            lv[q].known = 1;
            lv[q].level = c->level;
            lv[q].height = c->ops->levels(c->state) - 1;
        } else if (c->ops->fixed_level &&
                   c->ops->fixed_level(c->state, &lv[q].level, &lv[q].height)) {
            lv[q].known = 1;
        } else if (c->ops->flags & XF_IDENTITY) {
            lv[q].known = 1;
        }
    }
}

deid_status job_utility_compute(deid_job *job, deid_error *err)
{
    job_privacy *pv = job->priv;
    if (pv->utility)
        return DEID_OK;
    const class_table *first = pv->level0_table ? pv->level0_table : pv->measured;
    size_t n0 = class_table_classes(first), n = class_table_classes(pv->measured);
    uint32_t *final = calloc(n0 ? n0 : 1, sizeof *final);
    uint64_t *sizes = calloc(n ? n : 1, sizeof *sizes);
    utility_level *lv = calloc(pv->n_qi, sizeof *lv);
    utility_counter *out = utility_counter_new(pv->n_qi, pv->budget);
    pv->utility = calloc(1, sizeof *pv->utility);
    deid_status st = DEID_OK;
    if (!final || !sizes || !lv || !out || !pv->utility)
        st = err_set(err, DEID_E_IO, "out of memory");
    if (!st)
        st = final_classes(job, first, final, err);
    for (size_t q = 0; q < pv->n_qi && !st; q++) {
        recount r = {job, q, first, final, out, 0};
        if (pv->pairs->map[q] ? recount_pairs(&r, pv->pairs) : recount_classes(&r))
            st = counter_error(pv, r.rc, err);
    }
    size_t kept = 0;
    const uint64_t *written = sizes;
    for (uint32_t c = 0; c < n && !st && !pv->cell_sizes; c++)
        if (!pv->violates[c])
            sizes[kept++] = class_table_size(pv->measured, c);
    if (pv->cell_sizes) {
        /* how=cell: the classes as written, cells suppressed */
        written = pv->cell_sizes;
        kept = pv->n_cell_sizes;
    }
    double loss = NAN;
    if (pv->search && pv->search->found && job->rules->privacy.metric == METRIC_LOSS)
        loss = pv->search->best.score;
    if (!st) {
        qi_levels(job, lv);
        if (utility_compute(out, written, kept, job->rules->privacy.k, utility_fixed_levels, lv, loss,
                            pv->utility))
            st = err_set(err, DEID_E_IO, "out of memory");
    }
    if (st) {
        free(pv->utility);
        pv->utility = NULL;
    }
    /* the pass-1 pairs and table are no longer needed: pass 2 has the memory */
    job_utility_pairs_free(pv->pairs);
    pv->pairs = NULL;
    class_table_free(pv->level0_table);
    pv->level0_table = NULL;
    utility_counter_free(out);
    free(final);
    free(sizes);
    free(lv);
    return st;
}
