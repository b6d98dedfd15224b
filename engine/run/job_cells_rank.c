/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_cells_rank.c - level=auto with `suppress ... how=cell`: the plan's
 * cost counts suppressed cells.
 *
 * The search (model/search.c) finds the best node and the next best ones
 * with whole records suppressed. Each of them is feasible with cells too
 * (the greedy never suppresses more cells than the records' QIs), and
 * with cells a node can only cost less: a suppressed cell counts 1 in its
 * QI's sum of shares where a suppressed record counts 1 in every QI's.
 * So each candidate is applied here, the greedy run (job_cells.c), and
 * the node scored as the search scores it, with the cells the greedy
 * suppresses in place of the records; the candidates are then reordered
 * by that score (ties keep the search's order). It is a re-ranking of the
 * search's candidates, not a search over cell costs: a node outside them
 * that only cell suppression makes feasible or cheap is not seen (README
 * "Cell suppression").
 */
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "err.h"
#include "job.h"
#include "job_privacy.h"
#include "privacy.h"
#include "search.h"

const char *job_cells_plan_note(const deid_job *job)
{
    if (!job->rules->privacy.suppress_cells)
        return "";
    return "suppression          how=cell: the best nodes with records suppressed, re-scored with "
           "the cells the greedy suppresses\n";
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
        return dm + (double)(pv->cell_full + class_table_suppressed(t0)) * n;
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

/* Applies node, runs the greedy, scores it into *node; then undoes it all. */
static deid_status try_node(deid_job *job, const search_problem *sp, search_node *node,
                            uint32_t *map, deid_error *err)
{
    job_privacy *pv = job->priv;
    for (size_t q = 0; q < pv->n_qi; q++) {
        colplan_column *c = &job->colplan->cols[pv->qi_col[q]];
        if (c->auto_level)
            c->level = node->levels[q];
    }
    deid_status st = job_privacy_generalize(job, map, err);
    if (st)
        return st;
    size_t n = class_table_classes(pv->measured);
    pv->violates = calloc(n ? n : 1, 1);
    if (!pv->violates || privacy_violations(pv->measured, &sp->req, sp->spec, pv->violates) == UINT64_MAX)
        st = err_set(err, DEID_E_IO, "out of memory");
    st = st ? st : job_cells_plan(job, &sp->req, sp->spec, err);
    if (!st) {
        double qi_loss[SEARCH_MAX_QI] = {0};
        node->score = cells_score(job, sp, node, map, qi_loss);
        if (sp->metric == METRIC_LOSS)
            memcpy(node->qi_loss, qi_loss, sizeof qi_loss);
        node->classes = pv->n_cell_sizes;
        node->min_class = node->max_class = 0;
        for (size_t i = 0; i < pv->n_cell_sizes; i++) {
            uint64_t z = pv->cell_sizes[i];
            if (!i || z < node->min_class)
                node->min_class = z;
            if (z > node->max_class)
                node->max_class = z;
        }
    }
    class_table_free(pv->measured);
    pv->measured = pv->level0_table;
    pv->level0_table = NULL;
    free(pv->violates);
    pv->violates = NULL;
    job_cells_free(pv);
    return st;
}

deid_status job_cells_rank(deid_job *job, const search_problem *sp, deid_error *err)
{
    search_result *r = job->priv->search;
    size_t n = 1 + r->n_alternatives;
    search_node nodes[1 + SEARCH_MAX_ALTERNATIVES];
    nodes[0] = r->best;
    memcpy(nodes + 1, r->alternatives, r->n_alternatives * sizeof *nodes);
    uint32_t *map = calloc(class_table_classes(job->priv->measured) + 1, sizeof *map);
    if (!map)
        return err_set(err, DEID_E_IO, "out of memory");
    deid_status st = DEID_OK;
    for (size_t i = 0; i < n && !st; i++)
        st = try_node(job, sp, &nodes[i], map, err);
    free(map);
    if (st)
        return st;
    /* by score, the search's order on a tie (insertion sort: stable) */
    for (size_t i = 1; i < n; i++) {
        search_node x = nodes[i];
        size_t j = i;
        while (j > 0 && nodes[j - 1].score > x.score) {
            nodes[j] = nodes[j - 1];
            j--;
        }
        nodes[j] = x;
    }
    r->best = nodes[0];
    memcpy(r->alternatives, nodes + 1, r->n_alternatives * sizeof *nodes);
    return DEID_OK;
}
