/* SPDX-License-Identifier: Apache-2.0 */
/*
 * search.c - the optimal generalization search (see search.h): the node of
 * the lattice of level vectors with the least information loss (or
 * discernibility) whose classes meet the privacy requirement once the
 * records of violating classes are suppressed.
 *
 * Why it is optimal and still fast:
 *  - Bound. Every node has a lower bound on its score that needs no
 *    classes. Loss: the loss as if nothing were suppressed (a suppressed
 *    record adds 1 to a QI's sum, a kept one its share, and shares are at
 *    most 1), a product of one factor per QI. Discernibility:
 *    Cauchy-Schwarz, n0^2 over the most classes the node can have (the
 *    tuples, or the product of the QIs' generalized values), plus what
 *    input-suppressed records cost. Nodes leave a heap in increasing
 *    bound: each QI's levels are ranked by their factor, so the bound
 *    grows along every coordinate of a rank vector, and each vector is
 *    pushed once, by its canonical parent (the vector with its last
 *    non-zero coordinate lowered). The search stops when the next bound
 *    exceeds the worst of the 1 + n_alternatives best feasible scores
 *    kept, so every node that could be among them was looked at.
 *  - Inference, when every ladder nests (each level a function of the one
 *    below, so a node's classes are unions of any more specific node's).
 *    Merging classes that all meet k, l (distinct, or entropy: entropy is
 *    concave) and t (the EMD to a fixed distribution is convex) gives a
 *    class that meets them, so a node without violating classes passes
 *    that on to every generalization, whose loss then equals its bound bit
 *    for bit (the same integer counts summed in the same order): such
 *    nodes are scored without classes. With k and distinct l only, or with
 *    no suppression allowed, feasibility passes up and infeasibility down
 *    the lattice; after an infeasible node the search climbs to a maximal
 *    infeasible node (each QI to its top level, else a binary search) and
 *    marks its down-set, as long as climbs mark more nodes the heap would
 *    still hand out than they cost evaluations. Before the walk, the nodes
 *    with all QIs but two at a top level of one value are checked for k
 *    from counts of value pairs alone (pair_prepass). Entropy l and
 *    t-closeness with suppression are not monotone (a violating class
 *    merged with a satisfying one can make both suppressed), so for them
 *    only the first inference is used, and k's part of the second: the
 *    records in classes under k only grow down the lattice, so a node
 *    where they alone pass the limit has an infeasible down-set (marked,
 *    without climbs), and the pair check applies.
 *  - Evaluation (search_eval.c) rolls classes up from the cheapest cached
 *    node below the target rather than from the tuples.
 *  - Set-up (search_prepare.c) checks the problem and computes what the
 *    bound, the ranks and the climbs use.
 *  Ladders that do not nest get neither inference nor roll-up (every
 *  evaluation starts from the tuples); the bound alone keeps the answer
 *  optimal.
 *
 * Conventions (README "deid plan"):
 *  - n counts all records: class_table_records + class_table_suppressed.
 *    Records the input already suppressed are suppressed at every node:
 *    they count against the limit, as 1 per QI in the loss and as n each
 *    in discernibility.
 *  - loss_j is 0 when D_j <= 1 or n - n/D_j <= 0 (nothing to normalize).
 *  - Ties: lower score, then lower sum of levels, then the lexicographically
 *    smaller level vector (QI order).
 *  - Discernibility is exact in 64 bits, so it needs n < 2^32.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "search_int.h"

/* Slack when comparing a bound with a loss: the two sums round apart by a
 * few ulps, and truncation to 10 decimals can turn that into 1e-10. */
#define LOSS_EPS 1e-9
/* Evaluations spent climbing before judging whether climbs pay. */
#define CLIMB_TRIAL 20

typedef search_ctx ctx;
typedef search_eval eval_out;
typedef search_hent hent;
typedef search_cand cand;

/* ---- small helpers ---- */

static int bit_get(const uint8_t *b, uint64_t i)
{
    return b[i >> 3] >> (i & 7) & 1;
}

static void bit_set(uint8_t *b, uint64_t i)
{
    b[i >> 3] |= (uint8_t)(1u << (i & 7));
}

static uint64_t encode(const ctx *c, const uint8_t *lv)
{
    uint64_t idx = 0;
    for (size_t j = 0; j < c->m; j++)
        idx += lv[j] * c->stride[j];
    return idx;
}

static void decode(const ctx *c, uint64_t idx, uint8_t *lv)
{
    for (size_t j = 0; j < c->m; j++) {
        uint64_t d = idx / c->stride[j];
        lv[j] = (uint8_t)d;
        idx -= d * c->stride[j];
    }
}

/* The heap orders nodes by a key that grows with the bound: for loss the
 * product of the (1 + loss_j) factors, whose geometric mean (one pow per
 * node popped, not per node pushed) is the bound; for discernibility the
 * bound itself. */
static double node_key(const ctx *c, const uint8_t *lv)
{
    double prod = 1;
    if (c->p->metric == METRIC_LOSS) {
        /* search_combine's product, factor by factor in the same order */
        for (size_t j = 0; j < c->m; j++)
            prod *= search_factor(c->fac[j][lv[j]], search_weight(&c->p->qi[j]));
        return prod;
    }
    for (size_t j = 0; j < c->m; j++)
        prod *= c->fac[j][lv[j]];
    if (c->T && prod < 1.0 / (double)c->T)
        prod = 1.0 / (double)c->T;
    return (double)c->n0 * (double)c->n0 * prod + (double)c->pre * (double)c->n;
}

static double key_bound(const ctx *c, double key)
{
    if (c->p->metric == METRIC_LOSS)
        return pow(key, 1.0 / c->wsum) - 1; /* search_combine's last step */
    return key;
}

static double node_bound(const ctx *c, const uint8_t *lv)
{
    return key_bound(c, node_key(c, lv));
}

/* ---- the heap of nodes by bound ---- */

static int hless(const hent *a, const hent *b)
{
    return a->key < b->key || (a->key == b->key && a->idx < b->idx);
}

/* Returns arr (n of *cap elements of size elem used) with room for one
 * more, grown (doubling, from 1024) when full; NULL on ENOMEM, arr then
 * being unchanged and still the caller's. */
static void *room_for_one(void *arr, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap)
        return arr;
    size_t grown = *cap ? 2 * *cap : 1024;
    void *p = realloc(arr, grown * elem);
    if (p)
        *cap = grown;
    return p;
}

static int heap_push(ctx *c, const uint8_t *lv)
{
    hent *h = room_for_one(c->heap, c->heap_n, &c->heap_cap, sizeof *h);
    if (!h)
        return -1;
    c->heap = h;
    hent e = {node_key(c, lv), (uint32_t)encode(c, lv)};
    size_t i = c->heap_n++;
    while (i > 0 && hless(&e, &c->heap[(i - 1) / 2])) {
        c->heap[i] = c->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    c->heap[i] = e;
    return 0;
}

static int heap_pop(ctx *c, hent *out)
{
    if (!c->heap_n)
        return 0;
    *out = c->heap[0];
    hent e = c->heap[--c->heap_n];
    size_t i = 0, n = c->heap_n;
    for (;;) {
        size_t k = 2 * i + 1;
        if (k >= n)
            break;
        if (k + 1 < n && hless(&c->heap[k + 1], &c->heap[k]))
            k++;
        if (!hless(&c->heap[k], &e))
            break;
        c->heap[i] = c->heap[k];
        i = k;
    }
    if (n)
        c->heap[i] = e;
    return 1;
}

/* ---- marks ---- */

static int beyond(const ctx *c, double b);

static int stack_push(ctx *c, uint64_t idx)
{
    uint32_t *s = room_for_one(c->stack, c->stack_n, &c->stack_cap, sizeof *s);
    if (!s)
        return -1;
    c->stack = s;
    c->stack[c->stack_n++] = (uint32_t)idx;
    return 0;
}

/* Marks idx and its up-set (up) or down-set in bm. The marked set is kept
 * closed in that direction, so the walk stops at marked nodes and every
 * node is marked once over the whole search. Returns 0, or -1 on ENOMEM. */
static int mark_closed(ctx *c, uint8_t *bm, uint64_t idx, int up)
{
    if (bit_get(bm, idx))
        return 0;
    bit_set(bm, idx);
    c->stack_n = 0;
    if (stack_push(c, idx))
        return -1;
    int count = c->counting && bm == c->inf;
    while (c->stack_n) {
        uint64_t x = c->stack[--c->stack_n];
        uint8_t lv[SEARCH_MAX_QI];
        decode(c, x, lv);
        if (count && !bit_get(c->done, x)) {
            double b = node_bound(c, lv);
            if (b >= c->count_lo && !beyond(c, b))
                c->counted++;
        }
        for (size_t j = 0; j < c->m; j++) {
            unsigned d = lv[j];
            if (up ? d + 1 >= c->nl[j] : d == 0)
                continue;
            uint64_t y = up ? x + c->stride[j] : x - c->stride[j];
            if (bit_get(bm, y))
                continue;
            bit_set(bm, y);
            if (stack_push(c, y))
                return -1;
        }
    }
    return 0;
}

/* ---- the best nodes so far ---- */

static int better(const ctx *c, const cand *a, const cand *b)
{
    if (c->p->metric == METRIC_LOSS) {
        if (a->node.score != b->node.score)
            return a->node.score < b->node.score;
    } else if (a->dm != b->dm)
        return a->dm < b->dm;
    if (a->sum != b->sum)
        return a->sum < b->sum;
    return memcmp(a->node.levels, b->node.levels, c->m) < 0;
}

static void offer(ctx *c, const uint8_t *lv, const eval_out *r, int pending)
{
    cand x;
    memset(&x, 0, sizeof x);
    memcpy(x.node.levels, lv, c->m);
    for (size_t j = 0; j < c->m; j++)
        x.sum += lv[j];
    x.node.score = r->score;
    x.node.suppressed = r->suppressed;
    x.node.classes = r->classes;
    x.node.min_class = r->min_class;
    x.node.max_class = r->max_class;
    memcpy(x.node.qi_loss, r->qi_loss, sizeof x.node.qi_loss);
    x.node.cells = r->cells;
    x.node.cell_records = r->cell_records;
    x.dm = r->dm;
    x.pending = pending;
    for (size_t i = 0; i < c->n_top; i++)
        if (memcmp(c->top[i].node.levels, lv, c->m) == 0)
            return;
    if (c->n_top == c->K && !better(c, &x, &c->top[c->K - 1]))
        return;
    size_t i = c->n_top < c->K ? c->n_top++ : c->K - 1;
    while (i > 0 && better(c, &x, &c->top[i - 1])) {
        c->top[i] = c->top[i - 1];
        i--;
    }
    c->top[i] = x;
}

/* Whether a node with bound b can no longer enter the kept best. */
static int beyond(const ctx *c, double b)
{
    if (c->n_top < c->K)
        return 0;
    const cand *w = &c->top[c->K - 1];
    if (c->p->metric == METRIC_LOSS)
        return b > w->node.score + LOSS_EPS;
    return b > (double)w->dm * (1 + 1e-12) + 1;
}

/* A key beyond which no node can enter the kept best: conservative (a
 * little above the exact one), since keys and bounds round apart. */
static double prune_key(const ctx *c)
{
    if (c->n_top < c->K)
        return INFINITY;
    const cand *w = &c->top[c->K - 1];
    if (c->p->metric == METRIC_LOSS)
        return pow(w->node.score + LOSS_EPS + 1, c->wsum) * (1 + 1e-9);
    return (double)w->dm * (1 + 1e-12) + 1;
}

/* ---- the walk ---- */

/* Evaluates a node of the search: marks it, passes what it proves up or
 * down the lattice, and offers it as a candidate. */
static int visit(ctx *c, const uint8_t *lv, eval_out *r)
{
    uint64_t idx = encode(c, lv);
    if (search_eval_node(c, lv, c->nested, r))
        return -1;
    bit_set(c->done, idx);
    if (r->feasible)
        offer(c, lv, r, 0);
    if (c->nested && r->zero && mark_closed(c, c->zero, idx, 1))
        return -1;
    if (c->mono && mark_closed(c, r->feasible ? c->feas : c->inf, idx, !r->feasible ? 0 : 1))
        return -1;
    /* Not monotone (entropy l, t with suppression): k alone still is. */
    if (!c->mono && c->nested && r->k_over && mark_closed(c, c->inf, idx, 0))
        return -1;
    return 0;
}

/* Sets *infeasible for node lv, from the marks when they tell. */
static int status(ctx *c, const uint8_t *lv, int *infeasible)
{
    uint64_t idx = encode(c, lv);
    /* Only used when monotone: every node seen is marked one way. */
    if (bit_get(c->inf, idx) || bit_get(c->feas, idx) || bit_get(c->zero, idx)) {
        *infeasible = bit_get(c->inf, idx);
        return 0;
    }
    eval_out r;
    if (visit(c, lv, &r))
        return -1;
    *infeasible = !r.feasible;
    return 0;
}

/* From infeasible node lv, raises one QI after the other as far as the
 * node stays infeasible (the top level first, then a binary search:
 * infeasibility is monotone here), ending at a maximal infeasible node
 * whose down-set is then marked. */
static int climb(ctx *c, uint8_t *lv)
{
    for (size_t o = 0; o < c->m; o++) {
        size_t j = c->climb_order[o];
        unsigned lo = lv[j], hi = c->nl[j] - 1;
        if (lo == hi)
            continue;
        int inf;
        lv[j] = (uint8_t)hi;
        if (status(c, lv, &inf))
            return -1;
        if (inf)
            continue;
        hi--;
        while (lo < hi) {
            unsigned mid = (lo + hi + 1) / 2;
            lv[j] = (uint8_t)mid;
            if (status(c, lv, &inf))
                return -1;
            if (inf)
                lo = mid;
            else
                hi = mid - 1;
        }
        lv[j] = (uint8_t)lo;
    }
    return mark_closed(c, c->inf, encode(c, lv), 0);
}

static int run_exhaustive(ctx *c)
{
    uint8_t lv[SEARCH_MAX_QI];
    eval_out r;
    for (uint64_t idx = 0; idx < c->total; idx++) {
        decode(c, idx, lv);
        if (search_eval_node(c, lv, 0, &r))
            return -1;
        if (r.feasible)
            offer(c, lv, &r, 0);
    }
    return 0;
}

/* Counts over pairs of QIs, for pair_nodes. */
typedef struct pair_scratch {
    uint64_t *cnt, *agg;
    size_t cap;
} pair_scratch;

/* The k-anonymity of the nodes where all QIs but i and j are at a top
 * level of one value: their classes are the pairs of generalized (i, j)
 * values, counted from one dense table of level-0 pairs. Such a node
 * failing k fails the requirement, and so does everything below it; those
 * nodes sit high in the lattice and cover much of what the heap would
 * otherwise evaluate one by one. Returns 0, or -1 on ENOMEM. */
static int pair_nodes(ctx *c, size_t i, size_t j, pair_scratch *ps)
{
    const search_qi *qi = &c->p->qi[i], *qj = &c->p->qi[j];
    size_t ni = qi->n_values, nj = qj->n_values, m = c->m;
    if (ni * nj > ps->cap)
        return 0; /* too sparse to count densely; the search does without */
    memset(ps->cnt, 0, ni * nj * sizeof *ps->cnt);
    for (size_t t = 0; t < c->T; t++)
        ps->cnt[c->bottom.rep[t * m + i] * nj + c->bottom.rep[t * m + j]] += c->bottom.size[t];
    uint8_t lv[SEARCH_MAX_QI];
    for (size_t q = 0; q < m; q++)
        lv[q] = (uint8_t)(c->nl[q] - 1);
    /* From the most general down, so that marked down-sets skip the rest. */
    for (unsigned a = c->nl[i]; a-- > 0;)
        for (unsigned b = c->nl[j]; b-- > 0;) {
            lv[i] = (uint8_t)a;
            lv[j] = (uint8_t)b;
            uint64_t idx = encode(c, lv);
            if (bit_get(c->inf, idx) || bit_get(c->done, idx))
                continue;
            const uint32_t *gi = qi->gen[a], *gj = qj->gen[b];
            size_t ngj = qj->n_gen[b], cells = qi->n_gen[a] * ngj;
            if (cells > ps->cap)
                continue;
            memset(ps->agg, 0, cells * sizeof *ps->agg);
            for (size_t u = 0; u < ni; u++)
                for (size_t v = 0; v < nj; v++)
                    ps->agg[gi[u] * ngj + gj[v]] += ps->cnt[u * nj + v];
            uint64_t supp = c->pre;
            for (size_t x = 0; x < cells; x++)
                if (ps->agg[x] && ps->agg[x] < c->p->req.k)
                    supp += ps->agg[x];
            if (supp > c->limit && mark_closed(c, c->inf, idx, 0))
                return -1;
        }
    return 0;
}

/* pair_nodes for every pair, when its conditions hold: nesting ladders,
 * a requirement with k, and every QI's top level a single value. These
 * checks are not counted in nodes_evaluated (they are not full nodes). */
static int pair_prepass(ctx *c)
{
    size_t m = c->m;
    /* k alone decides these nodes, so l and t need not be monotone */
    if (!c->nested || c->p->req.k < 2 || m < 2)
        return 0;
    for (size_t j = 0; j < m; j++)
        if (c->p->qi[j].n_gen[c->nl[j] - 1] != 1)
            return 0;
    pair_scratch ps;
    ps.cap = 4 * c->T + 4096;
    ps.cnt = malloc(ps.cap * sizeof *ps.cnt);
    ps.agg = malloc(ps.cap * sizeof *ps.agg);
    int rc = ps.cnt && ps.agg ? 0 : -1;
    for (size_t i = 0; i < m && !rc; i++)
        for (size_t j = i + 1; j < m && !rc; j++)
            rc = pair_nodes(c, i, j, &ps);
    free(ps.cnt);
    free(ps.agg);
    return rc;
}

static int run_bnb(ctx *c)
{
    size_t m = c->m;
    uint8_t lv[SEARCH_MAX_QI];
    eval_out r;
    if (c->mono) {
        /* The top decides whether anything is feasible at all (and when
         * not, marking the whole lattice below it would be wasted). */
        for (size_t j = 0; j < m; j++)
            lv[j] = (uint8_t)(c->nl[j] - 1);
        if (search_eval_node(c, lv, c->nested, &r))
            return -1;
        if (!r.feasible)
            return 0;
        bit_set(c->done, encode(c, lv));
        bit_set(c->feas, encode(c, lv));
        if (r.zero)
            bit_set(c->zero, encode(c, lv));
        offer(c, lv, &r, 0);
    }
    if (pair_prepass(c))
        return -1;
    for (size_t j = 0; j < m; j++)
        lv[j] = c->rank_lv[j][0];
    if (heap_push(c, lv))
        return -1;
    hent e;
    while (heap_pop(c, &e)) {
        double bound = key_bound(c, e.key);
        if (beyond(c, bound))
            break;
        /* Children past this key cannot enter the kept best, nor can
         * their own children: they need not be pushed at all. */
        decode(c, e.idx, lv);
        if (search_walk_children(c, lv, prune_key(c)))
            return -1;
        if (bit_get(c->done, e.idx) || bit_get(c->inf, e.idx))
            continue;
        if (bit_get(c->zero, e.idx) && c->p->metric == METRIC_LOSS) {
            /* No class violates: the loss is the bound, exactly. */
            memset(&r, 0, sizeof r);
            r.score = bound;
            r.suppressed = c->pre;
            offer(c, lv, &r, 1);
            continue;
        }
        if (visit(c, lv, &r))
            return -1;
        if (!r.feasible && c->mono && c->climbing) {
            uint64_t before = c->evaluated;
            c->counting = 1;
            c->counted = 0;
            c->count_lo = bound;
            int rc = climb(c, lv);
            c->counting = 0;
            if (rc)
                return -1;
            c->climb_cost += c->evaluated - before;
            c->climb_gain += c->counted;
            if (c->climb_cost >= CLIMB_TRIAL && c->climb_gain < c->climb_cost)
                c->climbing = 0;
        }
    }
    /* Candidates taken from their bound still need their classes counted. */
    for (size_t i = 0; i < c->n_top; i++)
        if (c->top[i].pending) {
            if (search_eval_node(c, c->top[i].node.levels, c->nested, &r))
                return -1;
            c->top[i].node.suppressed = r.suppressed;
            c->top[i].node.classes = r.classes;
            c->top[i].node.min_class = r.min_class;
            c->top[i].node.max_class = r.max_class;
            memcpy(c->top[i].node.qi_loss, r.qi_loss, sizeof r.qi_loss);
            c->top[i].pending = 0;
        }
    return 0;
}

int search_walk_children(ctx *c, uint8_t *lv, double past)
{
    uint8_t rk[SEARCH_MAX_QI];
    size_t last = 0;
    for (size_t j = 0; j < c->m; j++) {
        rk[j] = c->lv_rank[j][lv[j]];
        if (rk[j])
            last = j;
    }
    for (size_t j = last; j < c->m; j++) {
        if ((unsigned)rk[j] + 1 >= c->nl[j])
            continue;
        uint8_t keep = lv[j];
        lv[j] = c->rank_lv[j][rk[j] + 1];
        int rc = node_key(c, lv) > past ? 0 : heap_push(c, lv);
        lv[j] = keep;
        if (rc)
            return -1;
    }
    return 0;
}

/* ---- the walk's parts, for search_cells.c ---- */

int search_walk_push(ctx *c, const uint8_t *lv) { return heap_push(c, lv); }
int search_walk_pop(ctx *c, hent *e) { return heap_pop(c, e); }
double search_walk_bound(const ctx *c, double key) { return key_bound(c, key); }
double search_walk_key(const ctx *c, const uint8_t *lv) { return node_key(c, lv); }
int search_walk_beyond(const ctx *c, double b) { return beyond(c, b); }
double search_walk_prune_key(const ctx *c) { return prune_key(c); }
void search_walk_offer(ctx *c, const uint8_t *lv, const eval_out *r) { offer(c, lv, r, 0); }
uint64_t search_walk_index(const ctx *c, const uint8_t *lv) { return encode(c, lv); }
void search_walk_levels(const ctx *c, uint64_t idx, uint8_t *lv) { decode(c, idx, lv); }
int search_walk_mark_down(ctx *c, uint64_t idx) { return mark_closed(c, c->inf, idx, 0); }

deid_status search_run(const search_problem *p, search_result *out, deid_error *err)
{
    search_qi sliced_qi[SEARCH_MAX_QI];
    search_problem sliced;
    ctx *c;
    deid_status st = search_start(p, &sliced, sliced_qi, &c, out, err);
    if (st)
        return st;
    /* Input-suppressed records beyond the limit: no node can help. */
    if (c->pre <= c->limit && (p->exhaustive ? run_exhaustive(c) : run_bnb(c)))
        st = err_set(err, DEID_E_IO, "search: out of memory");
    if (st == DEID_OK)
        search_finish(c, p, out);
    out->nodes_evaluated = c->evaluated;
    search_ctx_free(c);
    return st;
}
