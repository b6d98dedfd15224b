/* SPDX-License-Identifier: Apache-2.0 */
/*
 * search_bounds.c - the planner's controls around the lattice walk: a
 * problem whose QIs carry bounds (level=auto min= max=) is searched as the
 * smaller lattice of the allowed levels, whose levels are then shifted
 * back; and single nodes are probed on their own to explain a plan (what
 * the next lower level of a QI would violate).
 *
 * Why a sub-lattice: the allowed levels of a ladder form a ladder of their
 * own (level min_level becomes level 0), and everything the walk proves
 * (bounds, monotonicity, nesting) holds on it as on the full one, so the
 * walk needs no knowledge of the bounds and stays optimal within them.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "search_int.h"

deid_status search_bounds_slice(const search_problem *p, search_problem *out,
                                search_qi *qi, size_t m, deid_error *err)
{
    *out = *p;
    for (size_t j = 0; j < m; j++) {
        const search_qi *q = &p->qi[j];
        qi[j] = *q;
        qi[j].bounded = 0;
        if (!q->bounded)
            continue;
        if (q->min_level > q->max_level || q->max_level >= q->n_levels || !q->gen || !q->n_gen ||
            !q->share)
            return err_set(err, DEID_E_USAGE,
                           "search: QI \"%s\" bounds %zu..%zu outside its %zu levels",
                           q->name ? q->name : "(unnamed)", q->min_level, q->max_level,
                           q->n_levels);
        qi[j].n_levels = q->max_level - q->min_level + 1;
        qi[j].gen = q->gen + q->min_level;
        qi[j].n_gen = q->n_gen + q->min_level;
        qi[j].share = q->share + q->min_level;
    }
    out->qi = qi;
    return DEID_OK;
}

void search_bounds_unshift(const search_problem *p, size_t m, search_node *node)
{
    for (size_t j = 0; j < m; j++)
        if (p->qi[j].bounded)
            node->levels[j] = (uint8_t)(node->levels[j] + p->qi[j].min_level);
}

deid_status search_probe_nodes(const search_problem *p, search_probe *probes, size_t n,
                               deid_error *err)
{
    if (!p || (!probes && n))
        return err_set(err, DEID_E_USAGE, "search: no problem or no nodes");
    search_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return err_set(err, DEID_E_IO, "search: out of memory");
    search_problem whole = *p;
    whole.n_alternatives = 0;
    deid_status st = search_prepare(c, &whole, err);
    uint64_t limit = c->limit;
    /* No limit while probing: every violating record is counted, and the
     * classes and score are computed as if they were all suppressed. */
    c->limit = UINT64_MAX;
    for (size_t i = 0; i < n && st == DEID_OK; i++) {
        search_node *node = &probes[i].node;
        for (size_t j = 0; j < c->m; j++)
            if (node->levels[j] >= c->nl[j])
                st = err_set(err, DEID_E_USAGE, "search: probe level %u outside QI %zu's ladder",
                             node->levels[j], j);
        search_eval r;
        if (st == DEID_OK && search_eval_node(c, node->levels, 0, &r))
            st = err_set(err, DEID_E_IO, "search: out of memory");
        if (st)
            break;
        node->score = r.score;
        node->suppressed = r.suppressed;
        node->classes = r.classes;
        node->min_class = r.min_class;
        node->max_class = r.max_class;
        memcpy(node->qi_loss, r.qi_loss, sizeof node->qi_loss);
        probes[i].feasible = r.suppressed <= limit;
    }
    search_ctx_free(c);
    return st;
}

deid_status search_start(const search_problem *p, search_problem *sliced,
                         search_qi *sliced_qi, search_ctx **c, search_result *out,
                         deid_error *err)
{
    *c = NULL;
    if (!p || !out)
        return err_set(err, DEID_E_USAGE, "search: no problem or no result");
    memset(out, 0, sizeof *out);
    size_t m = p->tuples ? class_table_n_qi(p->tuples) : 0;
    if (m > SEARCH_MAX_QI || !p->qi)
        return err_set(err, DEID_E_USAGE, "search: no ladders, or more than %d of them",
                       SEARCH_MAX_QI);
    deid_status st = search_bounds_slice(p, sliced, sliced_qi, m, err);
    if (st)
        return st;
    search_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return err_set(err, DEID_E_IO, "search: out of memory");
    if ((st = search_prepare(ctx, sliced, err))) {
        search_ctx_free(ctx);
        return st;
    }
    out->nodes_total = ctx->total;
    out->records = ctx->n;
    out->suppression_limit = ctx->limit;
    *c = ctx;
    return DEID_OK;
}

void search_finish(const search_ctx *c, const search_problem *p, search_result *out)
{
    if (!c->n_top)
        return;
    size_t m = class_table_n_qi(p->tuples);
    out->found = 1;
    out->best = c->top[0].node;
    out->n_alternatives = c->n_top - 1;
    for (size_t i = 1; i < c->n_top; i++)
        out->alternatives[i - 1] = c->top[i].node;
    search_bounds_unshift(p, m, &out->best);
    for (size_t i = 0; i < out->n_alternatives; i++)
        search_bounds_unshift(p, m, &out->alternatives[i]);
}
