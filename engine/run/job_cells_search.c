/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_cells_search.c - level=auto with `suppress ... how=cell`: the job's
 * side of the search over cell costs (model/search_cells.c). The search
 * walks the lattice; at each node it cannot rule out, it calls the hook
 * here, which applies the node to the pass-1 table, runs the greedy
 * (job_cells.c) and scores the node as the search scores it, with the
 * cells the greedy suppresses (a suppressed cell counts 1 in its own QI's
 * sum of shares, where a suppressed record counts 1 in every QI's). The
 * run then applies the chosen node and runs the same greedy on the same
 * table, so it suppresses exactly the cells the plan counted.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "err.h"
#include "job.h"
#include "job_privacy.h"
#include "plan.h"
#include "privacy.h"
#include "search.h"

const char *job_cells_plan_note(const deid_job *job)
{
    if (!job->rules->privacy.suppress_cells)
        return "";
    return "suppression          how=cell: nodes scored with the QI cells the greedy suppresses\n";
}

/* The candidate node's score with pv's cells suppressed; map gives each
 * level-0 class's class in pv->measured (the node's table). */
static double cells_score(const deid_job *job, const search_problem *sp, const search_node *node,
                          const uint32_t *map, double *qi_loss)
{
    const job_privacy *pv = job->priv;
    const class_table *t0 = pv->level0_table;
    double n = (double)(class_table_records(t0) + class_table_suppressed(t0));
    if (sp->metric == METRIC_DISCERNIBILITY) {
        double dm = 0;
        for (size_t i = 0; i < pv->n_cell_sizes; i++)
            dm += (double)pv->cell_sizes[i] * (double)pv->cell_sizes[i];
        /* measured's suppressed records: the input's and those the node
         * makes the token in every QI */
        return dm + (double)(pv->cell_full + class_table_suppressed(pv->measured)) * n;
    }
    double agg[SEARCH_MAX_QI];
    for (size_t q = 0; q < pv->n_qi; q++) {
        const search_qi *sq = &sp->qi[q];
        size_t lv = node->levels[q];
        agg[q] = (double)class_table_suppressed(t0);
        for (uint32_t c0 = 0; c0 < class_table_classes(t0); c0++) {
            double size = (double)class_table_size(t0, c0);
            uint32_t c = map[c0];
            if (c == CLASS_SUPPRESSED || job_cells_suppressed(pv, c, q))
                agg[q] += size;
            else
                agg[q] += size * sq->share[lv][sq->gen[lv][class_table_qi_id(t0, c0, q)]];
        }
    }
    return search_loss_score(sp, agg, n, qi_loss);
}

/* The hook's state: the job, its problem, the cell limit, and a map from
 * each level-0 class to its class at the node. */
typedef struct cells_hook {
    deid_job *job;
    const search_problem *sp;
    uint64_t cell_limit;
    uint32_t *map;
} cells_hook;

/* Applies node, runs the greedy, scores it into *node; then undoes it all. */
static deid_status try_node(void *ctx, search_node *node, int *feasible, deid_error *err)
{
    cells_hook *h = ctx;
    deid_job *job = h->job;
    const search_problem *sp = h->sp;
    job_privacy *pv = job->priv;
    for (size_t q = 0; q < pv->n_qi; q++) {
        colplan_column *c = &job->colplan->cols[pv->qi_col[q]];
        if (c->auto_level)
            c->level = node->levels[q];
    }
    deid_status st = job_privacy_generalize(job, h->map, err);
    if (st)
        return st;
    size_t n = class_table_classes(pv->measured);
    pv->violates = calloc(n ? n : 1, 1);
    if (!pv->violates || privacy_violations(pv->measured, &sp->req, sp->spec, pv->violates) == UINT64_MAX)
        st = err_set(err, DEID_E_IO, "out of memory");
    st = st ? st : job_cells_plan(job, &sp->req, sp->spec, err);
    if (!st) {
        double qi_loss[SEARCH_MAX_QI] = {0};
        node->score = cells_score(job, sp, node, h->map, qi_loss);
        if (sp->metric == METRIC_LOSS)
            memcpy(node->qi_loss, qi_loss, sizeof qi_loss);
        node->cells = pv->cells;
        node->cell_records = pv->cell_records;
        node->suppressed = pv->cell_full + class_table_suppressed(pv->measured);
        node->classes = 0;
        node->min_class = node->max_class = 0;
        for (size_t i = 0; i < pv->n_cell_sizes; i++) {
            uint64_t z = pv->cell_sizes[i];
            if (!z)
                continue;
            if (!node->classes++ || z < node->min_class)
                node->min_class = z;
            if (z > node->max_class)
                node->max_class = z;
        }
        *feasible = pv->cells <= h->cell_limit;
    }
    class_table_free(pv->measured);
    pv->measured = pv->level0_table;
    pv->level0_table = NULL;
    free(pv->violates);
    pv->violates = NULL;
    job_cells_free(pv);
    return st;
}

/* hooks->token_at[q][level]: whether some level-0 value of QI q is the
 * token at that level (in marks, n_levels bytes per QI, the caller's);
 * hooks->token_absorbs: whether such a value stays the token above. */
static void token_levels(const deid_job *job, const search_problem *sp, unsigned char *marks,
                         search_cells_hooks *hooks)
{
    size_t tl = strlen(job->token);
    hooks->token_absorbs = 1;
    for (size_t q = 0; q < job->priv->n_qi; q++) {
        const search_qi *qi = &sp->qi[q];
        hooks->token_at[q] = marks;
        for (uint32_t v = 0; v < qi->n_values; v++) {
            int was = 0;
            for (size_t lv = 0; lv < qi->n_levels; lv++) {
                xf_value g = plan_ladders_value(job->priv->ladders, q, lv, v);
                int is = g.len == tl && !memcmp(g.data, job->token, tl);
                marks[lv] |= (unsigned char)is;
                if (was && !is)
                    hooks->token_absorbs = 0;
                was = is;
            }
        }
        marks += qi->n_levels;
    }
}

deid_status job_cells_node(deid_job *job, const search_problem *sp, search_node *node,
                           int *feasible, deid_error *err)
{
    uint32_t *map = calloc(class_table_classes(job->priv->measured) + 1, sizeof *map);
    if (!map)
        return err_set(err, DEID_E_IO, "out of memory");
    cells_hook h = {job, sp, job_cells_limit(job, sp), map};
    deid_status st = try_node(&h, node, feasible, err);
    free(map);
    return st;
}

uint64_t job_cells_limit(const deid_job *job, const search_problem *sp)
{
    const class_table *t0 = job->priv->level0_table ? job->priv->level0_table : job->priv->measured;
    double n = (double)(class_table_records(t0) + class_table_suppressed(t0));
    double limit = floor(sp->suppress_max * n + 1e-9);
    return (limit < 0 ? 0 : (uint64_t)limit) * job->priv->n_qi;
}

deid_status job_cells_search(deid_job *job, const search_problem *sp, search_result *out,
                             deid_error *err)
{
    size_t levels = 0;
    for (size_t q = 0; q < job->priv->n_qi; q++)
        levels += sp->qi[q].n_levels;
    uint32_t *map = calloc(class_table_classes(job->priv->measured) + 1, sizeof *map);
    unsigned char *marks = calloc(levels + 1, 1);
    if (!map || !marks) {
        free(map);
        free(marks);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    cells_hook h = {job, sp, job_cells_limit(job, sp), map};
    search_cells_hooks hooks;
    memset(&hooks, 0, sizeof hooks);
    hooks.apply = try_node;
    hooks.ctx = &h;
    hooks.cell_limit = h.cell_limit;
    token_levels(job, sp, marks, &hooks);
    deid_status st = search_cells_run(sp, &hooks, out, err);
    free(map);
    free(marks);
    return st;
}
