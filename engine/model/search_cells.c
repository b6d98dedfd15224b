/* SPDX-License-Identifier: Apache-2.0 */
/*
 * search_cells.c - level=auto with `suppress ... how=cell`: the node of
 * least score when the records of violating classes lose QI cells (the
 * greedy of run/job_cells.c, reached through a hook) instead of whole
 * records, with at most the cell limit of cells suppressed.
 *
 * Why it is optimal over nodes, given the greedy (README "Cell
 * suppression"); only rules that hold for any suppressor are used:
 *  - Bound. A suppressed cell counts 1 in its QI's sum of shares where the
 *    value it hides counted its share (at most 1), so a node's score with
 *    cells is at least its score with nothing suppressed: the bound the
 *    record search orders its heap by. Nodes leave the heap in increasing
 *    bound, and the walk stops when the next bound exceeds the worst of
 *    the best scores kept, so no node that could be among them is left.
 *    Discernibility: all records of a class of the node share one depth,
 *    so a class written is a union of the node's classes ((a+b)^2 >=
 *    a^2 + b^2) or is suppressed (n per record, at least its class's
 *    size), so the score with cells is at least the node's sum of squared
 *    class sizes, which the record search's bound bounds. Once a node's
 *    classes are counted, a record of a class under k costs at least k
 *    (the class it is written in meets k, or it is suppressed, n): a
 *    tighter bound, checked before the greedy.
 *  - Filter. The greedy's first round takes one cell (one that is not
 *    already the token) from every record of every violating class, so the
 *    records in violating classes are a lower bound on its cells, unless
 *    a class is the token in every QI (a suppressed record, which costs
 *    nothing): that can only happen at a node where every QI's level has
 *    a value that is the token (token_at). Elsewhere, a node whose
 *    violating records (counted from the classes, as the record search
 *    does) pass the cell limit is infeasible without running the greedy.
 *  - Down-sets. The records in classes under k only grow down the lattice
 *    when ladders nest (a class there lies inside one here), so when they
 *    alone pass the cell limit at a node with no all-token class, every
 *    more specific node fails too, provided none of those has an all-token
 *    class either: true when a value that is the token at a level stays
 *    the token above it (token_absorbs). No other monotonicity is assumed:
 *    the greedy's cells are not monotone in the levels.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "search_int.h"

/* Whether node lv (sliced levels) may hold a class that is the token in
 * every QI. */
static int may_be_all_token(const search_problem *p, const search_cells_hooks *h,
                            const search_ctx *c, const uint8_t *lv)
{
    for (size_t j = 0; j < c->m; j++) {
        size_t level = lv[j] + (p->qi[j].bounded ? p->qi[j].min_level : 0);
        if (!h->token_at[j] || !h->token_at[j][level])
            return 0;
    }
    return 1;
}

/* Discernibility with cells of the node just evaluated, bounded below
 * from its classes: a record ends in a written class that holds its own
 * class and, if that class is under k, at least k records (the output
 * meets k), or is suppressed (n); so it costs at least max(size, k) (k
 * capped at n). */
static double dm_bound(const search_ctx *c)
{
    uint64_t k = c->p->req.k < c->n ? c->p->req.k : c->n;
    double dm = (double)c->pre * (double)c->n;
    for (size_t i = 0; i < c->nn; i++) {
        uint64_t z = c->nsize[i];
        dm += (double)z * (double)(z < k ? k : z);
    }
    return dm;
}

/* The greedy at node lv (sliced levels), offered when feasible. */
static deid_status greedy_node(search_ctx *c, const search_problem *p, const search_cells_hooks *h,
                               const uint8_t *lv, search_result *out, deid_error *err)
{
    search_node node;
    memset(&node, 0, sizeof node);
    memcpy(node.levels, lv, c->m);
    search_bounds_unshift(p, c->m, &node);
    int feasible = 0;
    deid_status st = h->apply(h->ctx, &node, &feasible, err);
    out->nodes_greedy++;
    if (st || !feasible)
        return st;
    search_eval r;
    memset(&r, 0, sizeof r);
    r.feasible = 1;
    r.score = node.score;
    r.dm = c->p->metric == METRIC_LOSS ? 0 : (uint64_t)node.score;
    r.suppressed = node.suppressed;
    r.classes = node.classes;
    r.min_class = node.min_class;
    r.max_class = node.max_class;
    r.cells = node.cells;
    r.cell_records = node.cell_records;
    memcpy(r.qi_loss, node.qi_loss, sizeof r.qi_loss);
    search_walk_offer(c, lv, &r);
    return DEID_OK;
}

static deid_status walk(search_ctx *c, const search_problem *p, const search_cells_hooks *h,
                        search_result *out, deid_error *err)
{
    uint8_t lv[SEARCH_MAX_QI];
    for (size_t j = 0; j < c->m; j++)
        lv[j] = c->rank_lv[j][0];
    if (search_walk_push(c, lv))
        return err_set(err, DEID_E_IO, "search: out of memory");
    search_hent e;
    while (search_walk_pop(c, &e)) {
        if (search_walk_beyond(c, search_walk_bound(c, e.key)))
            break;
        search_walk_levels(c, e.idx, lv);
        if (search_walk_children(c, lv, search_walk_prune_key(c)))
            return err_set(err, DEID_E_IO, "search: out of memory");
        if (c->inf[e.idx >> 3] >> (e.idx & 7) & 1)
            continue;
        out->nodes_evaluated++;
        search_eval r;
        if (search_eval_node(c, lv, c->nested, &r))
            return err_set(err, DEID_E_IO, "search: out of memory");
        if (c->p->metric == METRIC_DISCERNIBILITY && search_walk_beyond(c, dm_bound(c)))
            continue;
        if (!may_be_all_token(p, h, c, lv)) {
            if (!r.feasible) {
                /* the violating records alone pass the cell limit */
                if (r.k_over && c->nested && h->token_absorbs &&
                    search_walk_mark_down(c, e.idx))
                    return err_set(err, DEID_E_IO, "search: out of memory");
                continue;
            }
        }
        deid_status st = greedy_node(c, p, h, lv, out, err);
        if (st)
            return st;
    }
    return DEID_OK;
}

deid_status search_cells_run(const search_problem *p, const search_cells_hooks *h,
                             search_result *out, deid_error *err)
{
    if (!h || !h->apply)
        return err_set(err, DEID_E_USAGE, "search: no hooks");
    search_qi sliced_qi[SEARCH_MAX_QI];
    search_problem sliced;
    search_ctx *c;
    deid_status st = search_start(p, &sliced, sliced_qi, &c, out, err);
    if (st)
        return st;
    out->cell_limit = h->cell_limit;
    /* The evaluation's limit becomes the filter's: the violating records
     * (input-suppressed ones included) against the cells. */
    c->limit = h->cell_limit > UINT64_MAX - c->pre ? UINT64_MAX : h->cell_limit + c->pre;
    st = walk(c, p, h, out, err);
    if (st == DEID_OK)
        search_finish(c, p, out);
    search_ctx_free(c);
    return st;
}
