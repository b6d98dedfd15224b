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
 *    most 1), one factor per QI. Discernibility: Cauchy-Schwarz, n0^2 over
 *    the most classes the node can have (tuples, or the product of the
 *    QIs' generalized values), plus what input-suppressed records cost.
 *    Nodes leave a heap in increasing bound: each QI's levels are ranked
 *    by their factor, so the bound grows along every coordinate of a rank
 *    vector, and each vector is pushed once, by its canonical parent (the
 *    vector with its last non-zero coordinate lowered). The search stops
 *    when the next bound exceeds the worst of the best 1 + n_alternatives
 *    feasible scores kept, so every node that could be among them was
 *    looked at.
 *  - Inference, when every ladder nests (each level a function of the one
 *    below, so a node's classes are unions of any more specific node's):
 *    merging classes that all meet k, l (distinct or entropy: entropy is
 *    concave) and t (EMD to a fixed distribution is convex) gives a class
 *    that meets them, so a node without violating classes passes that on
 *    to every generalization, whose loss then equals its bound bit for bit
 *    (same integer counts summed in the same order). With k and distinct l
 *    only, or with no suppression allowed, infeasibility passes down to
 *    every specialization; after an infeasible node the search climbs to a
 *    maximal infeasible node (binary search per QI) and marks its
 *    down-set. Entropy l and t-closeness with suppression are not
 *    monotone (a violating class merged with a satisfying one can make
 *    both suppressed), so only the first inference is used for them.
 *  - Evaluation rolls classes up from the most specific cached node below
 *    the target, not from the tuples: a class keeps one representative
 *    level-0 value per QI, so its key at any higher level is one gen[]
 *    lookup per QI.
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

#include <openssl/rand.h>

#include "deid_limits.h"
#include "err.h"
#include "search.h"

/* Slack when comparing a bound with a loss: the two sums round apart by a
 * few ulps, and truncation to 10 decimals can turn that into 1e-10. */
#define LOSS_EPS 1e-9
#define CACHE_MAX_ENTRIES 64
#define CACHE_MAX_BYTES ((size_t)64 << 20)
#define PREFETCH_AHEAD 8

typedef struct cls_list {          /* the classes of one node */
    uint8_t lv[SEARCH_MAX_QI];
    size_t n;
    uint32_t *rep;                 /* n x m representative level-0 value ids */
    uint64_t *size;                /* n */
    uint32_t *tmap;                /* tuple -> class (l/t only); NULL: identity */
    size_t bytes;
    uint64_t used;                 /* clock of the last use, for eviction */
} cls_list;

typedef struct cand {
    search_node node;
    uint64_t dm;
    unsigned sum;
    int pending;                   /* score from the bound; details not computed yet */
} cand;

typedef struct hent {
    double b;
    uint32_t idx;
} hent;

typedef struct hslot {
    uint64_t key;
    uint32_t cls;                  /* new class + 1, 0 = empty */
} hslot;

typedef struct eval_out {
    int feasible, zero;            /* zero: no class violates */
    uint64_t suppressed, classes, min_class, dm;
    double score;
} eval_out;

typedef struct ctx {
    const search_problem *p;
    size_t m, T, ns, K;
    uint64_t n, n0, pre, limit;
    int lt, nested, mono;
    uint64_t seed;
    uint64_t total;
    uint64_t stride[SEARCH_MAX_QI];
    unsigned nl[SEARCH_MAX_QI];
    double *fac[SEARCH_MAX_QI];    /* per level: loss_j unsuppressed, or 1/n_gen */
    uint8_t *rank_lv[SEARCH_MAX_QI];
    uint8_t *lv_rank[SEARCH_MAX_QI];
    size_t climb_order[SEARCH_MAX_QI];
    uint64_t *cnt[SEARCH_MAX_QI];  /* scratch: records per generalized value */
    cls_list bottom;               /* the tuples */
    cls_list cache[CACHE_MAX_ENTRIES];
    size_t n_cache, cache_bytes;
    uint64_t clock;
    /* roll-up scratch, sized for the tuples */
    uint32_t *slot;                /* new class + 1 per slot, 0 = empty */
    hslot *hs;                     /* hash slots for packed keys */
    uint64_t *code;                /* per source class: packed key */
    size_t slot_cap;
    uint32_t *ngk;                 /* wide keys (n x m), when a key does not pack */
    uint32_t *nfirst;              /* per new class: its first source class */
    uint32_t *smap, *ntmap;
    uint64_t *nsize;
    unsigned char *viol;
    size_t nn;
    const cls_list *src;           /* the source of the last roll-up */
    /* l/t: each tuple's sensitive distributions, flattened per column;
     * entry T is the input-suppressed records */
    uint64_t **pstart;
    uint32_t **pval;
    uint64_t **pcnt;
    xf_value **sval;
    xf_value *row;
    uint64_t *pos, *rem;
    uint32_t *ntid;
    unsigned char *vbuf;
    size_t vbuf_cap;
    /* lattice marks, by level-space index */
    uint8_t *inf, *zero, *done;
    uint32_t *stack;
    size_t stack_n, stack_cap;
    hent *heap;
    size_t heap_n, heap_cap;
    cand top[1 + SEARCH_MAX_ALTERNATIVES];
    size_t n_top;
    uint64_t evaluated;
} ctx;

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
    for (size_t j = 0; j < c->m; j++)
        lv[j] = (uint8_t)(idx / c->stride[j] % c->nl[j]);
}

/* The keys are dictionary ids that follow the data, so the hash is seeded
 * per search (strmap.h's reason), with a cheap multiply-xorshift mix: this
 * is the innermost loop. */
static uint64_t hash_key(uint64_t seed, const uint32_t *k, size_t m)
{
    uint64_t h = seed;
    for (size_t j = 0; j < m; j++) {
        h ^= k[j];
        h *= 0x9E3779B97F4A7C15ull;
        h ^= h >> 31;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

/* ARX's per-QI loss: the sum of shares normalized between all level 0
 * (n/D) and all suppressed (n), truncated to 10 decimals as ARX does. */
static double qi_loss(double agg, double n, double d)
{
    double lo = n / d;
    if (d <= 1 || n - lo <= 0)
        return 0;
    double x = (agg - lo) / (n - lo);
    if (!(x > 0))
        return 0;
    return floor(x * 1e10) / 1e10;
}

/* Geometric mean of (1 + loss_j), minus 1; monotone in every loss_j. */
static double combine(const double *l, size_t m)
{
    double prod = 1;
    for (size_t j = 0; j < m; j++)
        prod *= 1 + l[j];
    return pow(prod, 1.0 / (double)m) - 1;
}

/* Sum of count x share over a QI's generalized values in id order (an
 * order that does not depend on how the classes were found), clearing the
 * counts. */
static double share_sum(uint64_t *cnt, const double *share, size_t n_gen)
{
    double agg = 0;
    for (size_t g = 0; g < n_gen; g++)
        if (cnt[g]) {
            agg += (double)cnt[g] * share[g];
            cnt[g] = 0;
        }
    return agg;
}

static double node_bound(const ctx *c, const uint8_t *lv)
{
    double f[SEARCH_MAX_QI];
    for (size_t j = 0; j < c->m; j++)
        f[j] = c->fac[j][lv[j]];
    if (c->p->metric == METRIC_LOSS)
        return combine(f, c->m);
    double prod = 1;
    for (size_t j = 0; j < c->m; j++)
        prod *= f[j];
    if (c->T && prod < 1.0 / (double)c->T)
        prod = 1.0 / (double)c->T;
    return (double)c->n0 * (double)c->n0 * prod + (double)c->pre * (double)c->n;
}

/* ---- the heap of nodes by bound ---- */

static int hless(const hent *a, const hent *b)
{
    return a->b < b->b || (a->b == b->b && a->idx < b->idx);
}

static int heap_push(ctx *c, const uint8_t *lv)
{
    if (c->heap_n == c->heap_cap) {
        size_t cap = c->heap_cap ? 2 * c->heap_cap : 1024;
        hent *h = realloc(c->heap, cap * sizeof *h);
        if (!h)
            return -1;
        c->heap = h;
        c->heap_cap = cap;
    }
    hent e = {node_bound(c, lv), (uint32_t)encode(c, lv)};
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

static int stack_push(ctx *c, uint64_t idx)
{
    if (c->stack_n == c->stack_cap) {
        size_t cap = c->stack_cap ? 2 * c->stack_cap : 1024;
        uint32_t *s = realloc(c->stack, cap * sizeof *s);
        if (!s)
            return -1;
        c->stack = s;
        c->stack_cap = cap;
    }
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
    while (c->stack_n) {
        uint64_t x = c->stack[--c->stack_n];
        for (size_t j = 0; j < c->m; j++) {
            uint64_t d = x / c->stride[j] % c->nl[j];
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

/* ---- evaluation ---- */

static void cls_free(cls_list *l)
{
    free(l->rep);
    free(l->size);
    free(l->tmap);
    memset(l, 0, sizeof *l);
}

static const cls_list *pick_source(ctx *c, const uint8_t *lv)
{
    cls_list *best = NULL;
    for (size_t i = 0; i < c->n_cache; i++) {
        cls_list *e = &c->cache[i];
        if (best && e->n >= best->n)
            continue;
        size_t j = 0;
        while (j < c->m && e->lv[j] <= lv[j])
            j++;
        if (j == c->m)
            best = e;
    }
    if (!best)
        return &c->bottom;
    best->used = ++c->clock;
    return best;
}

/* Keeps the classes just computed (representatives from c->src via
 * c->nfirst, c->nsize, c->ntmap) for later roll-ups, evicting the least
 * recently used. Out of memory only means nothing is kept. */
static void cache_put(ctx *c, const uint8_t *lv)
{
    size_t m = c->m, n = c->nn;
    if (n >= c->T)
        return; /* no cheaper than the tuples */
    size_t bytes = n * m * 4 + n * 8 + (c->lt ? c->T * 4 : 0);
    if (bytes > CACHE_MAX_BYTES / 4)
        return;
    cls_list e;
    memset(&e, 0, sizeof e);
    memcpy(e.lv, lv, m);
    e.n = n;
    e.bytes = bytes;
    e.rep = malloc(n * m * 4 + 1);
    e.size = malloc(n * 8 + 1);
    e.tmap = c->lt ? malloc(c->T * 4 + 1) : NULL;
    if (!e.rep || !e.size || (c->lt && !e.tmap)) {
        cls_free(&e);
        return;
    }
    for (size_t i = 0; i < n; i++)
        memcpy(e.rep + i * m, c->src->rep + (size_t)c->nfirst[i] * m, m * 4);
    memcpy(e.size, c->nsize, n * 8);
    if (c->lt)
        memcpy(e.tmap, c->ntmap, c->T * 4);
    /* Only now may the source itself be evicted. */
    while (c->n_cache && (c->n_cache == CACHE_MAX_ENTRIES ||
                          c->cache_bytes + bytes > CACHE_MAX_BYTES)) {
        size_t old = 0;
        for (size_t i = 1; i < c->n_cache; i++)
            if (c->cache[i].used < c->cache[old].used)
                old = i;
        c->cache_bytes -= c->cache[old].bytes;
        cls_free(&c->cache[old]);
        c->cache[old] = c->cache[--c->n_cache];
    }
    e.used = ++c->clock;
    c->cache[c->n_cache++] = e;
    c->cache_bytes += bytes;
}

static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

/* Records source class s in the new class of *slot (0: a new class). */
static inline void merge_into(ctx *c, const cls_list *src, size_t s, uint32_t *slot)
{
    if (!*slot) {
        *slot = (uint32_t)c->nn + 1;
        c->nfirst[c->nn] = (uint32_t)s;
        c->nsize[c->nn] = src->size[s];
        c->smap[s] = (uint32_t)c->nn++;
    } else {
        c->nsize[*slot - 1] += src->size[s];
        c->smap[s] = *slot - 1;
    }
}

/* Rolls src's classes up to levels lv: c->nn classes with sizes c->nsize
 * and first source classes c->nfirst; c->smap maps src's classes to them
 * and, for l/t, c->ntmap the tuples. A class key is the generalized values
 * packed in mixed radix into 64 bits when the node's value counts allow
 * (hashing then compares one word), else the m ids themselves. Returns 0,
 * or -1 on ENOMEM. */
static int rollup(ctx *c, const cls_list *src, const uint8_t *lv)
{
    size_t m = c->m, cap = 16;
    unsigned bits = 4;
    c->nn = 0;
    c->src = src;
    const uint32_t *g[SEARCH_MAX_QI];
    uint64_t mult[SEARCH_MAX_QI], span = 1;
    int packed = 1;
    for (size_t j = 0; j < m; j++) {
        size_t ng = c->p->qi[j].n_gen[lv[j]];
        g[j] = c->p->qi[j].gen[lv[j]];
        mult[j] = span;
        if (span > UINT64_MAX / ng)
            packed = 0;
        else
            span *= ng;
    }
    /* Room for twice the classes the node can have: fewer than the source
     * has when the node is general, and then the table stays in cache. */
    while (cap < 2 * src->n && (!packed || cap < 2 * span)) {
        cap <<= 1;
        bits++;
    }
    if (packed && span <= cap && span <= c->slot_cap) {
        /* Few possible keys: the key is the slot. */
        memset(c->slot, 0, span * sizeof *c->slot);
        for (size_t s = 0; s < src->n; s++) {
            const uint32_t *rep = src->rep + s * m;
            uint64_t code = 0;
            for (size_t j = 0; j < m; j++)
                code += g[j][rep[j]] * mult[j];
            merge_into(c, src, s, &c->slot[code]);
        }
    } else if (packed) {
        /* Keys first, then the probes, each slot prefetched a few classes
         * ahead: the table outgrows the cache and its misses dominate. */
        memset(c->hs, 0, cap * sizeof *c->hs);
        uint64_t *code = c->code;
        for (size_t s = 0; s < src->n; s++) {
            const uint32_t *rep = src->rep + s * m;
            uint64_t k = 0;
            for (size_t j = 0; j < m; j++)
                k += g[j][rep[j]] * mult[j];
            code[s] = k;
        }
        for (size_t s = 0; s < src->n; s++) {
#if defined(__GNUC__)
            if (s + PREFETCH_AHEAD < src->n)
                __builtin_prefetch(&c->hs[mix64(code[s + PREFETCH_AHEAD] ^ c->seed) >> (64 - bits)]);
#endif
            size_t i = (size_t)(mix64(code[s] ^ c->seed) >> (64 - bits));
            while (c->hs[i].cls && c->hs[i].key != code[s])
                i = (i + 1) & (cap - 1);
            c->hs[i].key = code[s];
            merge_into(c, src, s, &c->hs[i].cls);
        }
    } else {
        memset(c->slot, 0, cap * sizeof *c->slot);
        if (!c->ngk && !(c->ngk = malloc((c->T ? c->T : 1) * m * sizeof *c->ngk)))
            return -1;
        for (size_t s = 0; s < src->n; s++) {
            const uint32_t *rep = src->rep + s * m;
            uint32_t *k = c->ngk + c->nn * m;
            for (size_t j = 0; j < m; j++)
                k[j] = g[j][rep[j]];
            size_t i = (size_t)hash_key(c->seed, k, m) & (cap - 1);
            while (c->slot[i] && memcmp(c->ngk + (size_t)(c->slot[i] - 1) * m, k, m * 4) != 0)
                i = (i + 1) & (cap - 1);
            merge_into(c, src, s, &c->slot[i]);
        }
    }
    if (c->lt)
        for (size_t t = 0; t < c->T; t++)
            c->ntmap[t] = c->smap[src->tmap ? src->tmap[t] : t];
    return 0;
}

/* Adds tuple t's records (t == T: the input-suppressed ones) under QI
 * value q, as weighted rows that keep every sensitive column's counts:
 * the columns' (value, count) lists are walked side by side, each row
 * taking the smallest count left at the heads. */
static int add_tuple(ctx *c, class_table *tab, size_t t, const xf_value *q, uint32_t *id)
{
    size_t ns = c->ns;
    for (size_t s = 0; s < ns; s++) {
        c->pos[s] = c->pstart[s][t];
        if (c->pos[s] == c->pstart[s][t + 1])
            return 0; /* no records */
        c->rem[s] = c->pcnt[s][c->pos[s]];
    }
    for (;;) {
        uint64_t w = UINT64_MAX;
        for (size_t s = 0; s < ns; s++) {
            if (c->rem[s] < w)
                w = c->rem[s];
            c->row[s] = c->sval[s][c->pval[s][c->pos[s]]];
        }
        if (class_table_add_n(tab, q, c->row, w, id) != CLASS_OK)
            return -1;
        int end = 0;
        for (size_t s = 0; s < ns; s++)
            if ((c->rem[s] -= w) == 0) {
                if (++c->pos[s] == c->pstart[s][t + 1])
                    end = 1;
                else
                    c->rem[s] = c->pcnt[s][c->pos[s]];
            }
        if (end)
            return 0;
    }
}

/* l-diversity and t-closeness of the classes that meet k: a class table
 * with one QI (the class number) where classes under k and the
 * input-suppressed records are suppressed rows, so the overall
 * distributions hold every record, as in `deid check`. Adds the records
 * of violating classes to *supp and flags them in c->viol. */
static int eval_lt(ctx *c, uint64_t *supp)
{
    class_table *tab = class_table_new(1, c->ns, "*", DEID_MAX_CLASSES);
    if (!tab)
        return -1;
    const xf_value tok = {"*", 1};
    int rc = -1;
    for (size_t t = 0; t < c->T; t++) {
        uint32_t cl = c->ntmap[t];
        unsigned char kb[4] = {(unsigned char)cl, (unsigned char)(cl >> 8),
                               (unsigned char)(cl >> 16), (unsigned char)(cl >> 24)};
        xf_value q = {(const char *)kb, 4};
        if (add_tuple(c, tab, t, c->viol[cl] ? &tok : &q, &c->ntid[cl]))
            goto done;
    }
    if (add_tuple(c, tab, c->T, &tok, NULL))
        goto done;
    size_t nc = class_table_classes(tab);
    if (nc > c->vbuf_cap) {
        unsigned char *v = realloc(c->vbuf, nc);
        if (!v)
            goto done;
        c->vbuf = v;
        c->vbuf_cap = nc;
    }
    if (privacy_violations(tab, &c->p->req, c->p->spec, c->vbuf) == UINT64_MAX)
        goto done;
    for (size_t i = 0; i < c->nn; i++)
        if (!c->viol[i] && c->vbuf[c->ntid[i]]) {
            c->viol[i] = 1;
            *supp += c->nsize[i];
        }
    rc = 0;
done:
    class_table_free(tab);
    return rc;
}

static void score(ctx *c, const uint8_t *lv, eval_out *r);

/* Computes node lv's classes, suppression and, when feasible, score.
 * Returns 0, or -1 on ENOMEM. */
static int eval_node(ctx *c, const uint8_t *lv, int use_cache, eval_out *r)
{
    if (rollup(c, use_cache ? pick_source(c, lv) : &c->bottom, lv))
        return -1;
    c->evaluated++;
    memset(r, 0, sizeof *r);
    uint64_t supp = c->pre, k = c->p->req.k;
    for (size_t i = 0; i < c->nn; i++) {
        c->viol[i] = k && c->nsize[i] < k;
        if (c->viol[i])
            supp += c->nsize[i];
    }
    if (supp <= c->limit && c->lt && eval_lt(c, &supp))
        return -1;
    r->zero = supp == c->pre;
    r->suppressed = supp;
    r->feasible = supp <= c->limit;
    if (r->feasible)
        score(c, lv, r);
    if (use_cache)
        cache_put(c, lv);
    return 0;
}

/* The score of a feasible node just rolled up, and its kept classes. */
static void score(ctx *c, const uint8_t *lv, eval_out *r)
{
    size_t m = c->m;
    uint64_t supp = r->suppressed;
    const uint32_t *g[SEARCH_MAX_QI];
    for (size_t j = 0; j < m; j++)
        g[j] = c->p->qi[j].gen[lv[j]];
    for (size_t i = 0; i < c->nn; i++) {
        if (c->viol[i])
            continue;
        uint64_t z = c->nsize[i];
        if (!r->classes || z < r->min_class)
            r->min_class = z;
        r->classes++;
        if (c->p->metric == METRIC_LOSS) {
            const uint32_t *rep = c->src->rep + (size_t)c->nfirst[i] * m;
            for (size_t j = 0; j < m; j++)
                c->cnt[j][g[j][rep[j]]] += z;
        } else
            r->dm += z * z;
    }
    if (c->p->metric == METRIC_LOSS) {
        double l[SEARCH_MAX_QI];
        for (size_t j = 0; j < m; j++) {
            const search_qi *q = &c->p->qi[j];
            double agg = share_sum(c->cnt[j], q->share[lv[j]], q->n_gen[lv[j]]);
            l[j] = qi_loss(agg + (double)supp, (double)c->n, q->domain);
        }
        r->score = combine(l, m);
    } else {
        r->dm += supp * c->n;
        r->score = (double)r->dm;
    }
}

/* Evaluates a node of the search: marks it, passes what it proves up or
 * down the lattice, and offers it as a candidate. */
static int visit(ctx *c, const uint8_t *lv, eval_out *r)
{
    uint64_t idx = encode(c, lv);
    if (eval_node(c, lv, c->nested, r))
        return -1;
    bit_set(c->done, idx);
    if (r->feasible)
        offer(c, lv, r, 0);
    if (c->nested && r->zero && mark_closed(c, c->zero, idx, 1))
        return -1;
    if (c->mono && !r->feasible && mark_closed(c, c->inf, idx, 0))
        return -1;
    return 0;
}

/* Sets *infeasible for node lv, from the marks when they tell. */
static int status(ctx *c, const uint8_t *lv, int *infeasible)
{
    uint64_t idx = encode(c, lv);
    if (bit_get(c->inf, idx) || bit_get(c->zero, idx) || bit_get(c->done, idx)) {
        /* mono: every infeasible node seen is marked; zero implies feasible */
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
 * node stays infeasible (binary search: infeasibility is monotone here),
 * ending at a maximal infeasible node whose down-set is then marked. */
static int climb(ctx *c, uint8_t *lv)
{
    for (size_t o = 0; o < c->m; o++) {
        size_t j = c->climb_order[o];
        unsigned lo = lv[j], hi = c->nl[j] - 1;
        while (lo < hi) {
            unsigned mid = (lo + hi + 1) / 2;
            int inf;
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
        if (eval_node(c, lv, 0, &r))
            return -1;
        if (r.feasible)
            offer(c, lv, &r, 0);
    }
    return 0;
}

static int run_bnb(ctx *c)
{
    size_t m = c->m;
    uint8_t lv[SEARCH_MAX_QI], rk[SEARCH_MAX_QI];
    eval_out r;
    if (c->mono) {
        /* The top decides whether anything is feasible at all. */
        int inf;
        for (size_t j = 0; j < m; j++)
            lv[j] = (uint8_t)(c->nl[j] - 1);
        if (status(c, lv, &inf))
            return -1;
        if (inf)
            return 0;
    }
    for (size_t j = 0; j < m; j++)
        lv[j] = c->rank_lv[j][0];
    if (heap_push(c, lv))
        return -1;
    hent e;
    while (heap_pop(c, &e)) {
        if (beyond(c, e.b))
            break;
        decode(c, e.idx, lv);
        size_t last = 0;
        for (size_t j = 0; j < m; j++) {
            rk[j] = c->lv_rank[j][lv[j]];
            if (rk[j])
                last = j;
        }
        for (size_t j = last; j < m; j++) {
            if ((unsigned)rk[j] + 1 >= c->nl[j])
                continue;
            uint8_t keep = lv[j];
            lv[j] = c->rank_lv[j][rk[j] + 1];
            int rc = heap_push(c, lv);
            lv[j] = keep;
            if (rc)
                return -1;
        }
        if (bit_get(c->done, e.idx) || bit_get(c->inf, e.idx))
            continue;
        if (bit_get(c->zero, e.idx) && c->p->metric == METRIC_LOSS) {
            /* No class violates: the loss is the bound, exactly. */
            memset(&r, 0, sizeof r);
            r.score = e.b;
            r.suppressed = c->pre;
            offer(c, lv, &r, 1);
            continue;
        }
        if (visit(c, lv, &r))
            return -1;
        if (!r.feasible && c->mono && climb(c, lv))
            return -1;
    }
    /* Candidates taken from their bound still need their classes counted. */
    for (size_t i = 0; i < c->n_top; i++)
        if (c->top[i].pending) {
            if (eval_node(c, c->top[i].node.levels, c->nested, &r))
                return -1;
            c->top[i].node.suppressed = r.suppressed;
            c->top[i].node.classes = r.classes;
            c->top[i].node.min_class = r.min_class;
            c->top[i].pending = 0;
        }
    return 0;
}

/* ---- setting up ---- */

typedef struct pair_sink {
    ctx *c;
    size_t s;
    uint64_t *left; /* per value: records not yet found in a class */
    int fill;
} pair_sink;

static void take_pair(void *arg, uint32_t v, uint64_t count)
{
    pair_sink *ps = arg;
    ctx *c = ps->c;
    size_t s = ps->s;
    if (ps->fill) {
        uint64_t at = c->pos[s]++;
        c->pval[s][at] = v;
        c->pcnt[s][at] = count;
        ps->left[v] -= count;
    } else
        c->pos[s]++;
}

/* Flattens every tuple's sensitive distributions (and, as entry T, the
 * input-suppressed records': the overall counts minus the classes'). */
static int prepare_lt(ctx *c)
{
    const class_table *tt = c->p->tuples;
    size_t ns = c->ns, T = c->T;
    c->pstart = calloc(ns, sizeof *c->pstart);
    c->pval = calloc(ns, sizeof *c->pval);
    c->pcnt = calloc(ns, sizeof *c->pcnt);
    c->sval = calloc(ns, sizeof *c->sval);
    c->row = malloc(ns * sizeof *c->row);
    c->pos = malloc(ns * sizeof *c->pos);
    c->rem = malloc(ns * sizeof *c->rem);
    c->ntid = malloc((T ? T : 1) * sizeof *c->ntid);
    c->ntmap = malloc((T ? T : 1) * sizeof *c->ntmap);
    if (!c->pstart || !c->pval || !c->pcnt || !c->sval || !c->row || !c->pos || !c->rem ||
        !c->ntid || !c->ntmap)
        return -1;
    for (size_t s = 0; s < ns; s++) {
        size_t nv = class_table_sensitive_distinct(tt, s);
        c->pstart[s] = malloc((T + 2) * sizeof **c->pstart);
        c->sval[s] = malloc((nv ? nv : 1) * sizeof **c->sval);
        uint64_t *left = malloc((nv ? nv : 1) * sizeof *left);
        if (!c->pstart[s] || !c->sval[s] || !left) {
            free(left);
            return -1;
        }
        for (uint32_t v = 0; v < nv; v++) {
            c->sval[s][v] = class_table_sensitive_value(tt, s, v);
            left[v] = class_table_sensitive_count(tt, s, v);
        }
        pair_sink ps = {c, s, left, 0};
        c->pos[s] = 0;
        for (uint32_t t = 0; t < T; t++)
            class_table_class_values(tt, t, s, take_pair, &ps);
        size_t pairs = c->pos[s] + nv;
        c->pval[s] = malloc((pairs ? pairs : 1) * sizeof **c->pval);
        c->pcnt[s] = malloc((pairs ? pairs : 1) * sizeof **c->pcnt);
        if (!c->pval[s] || !c->pcnt[s]) {
            free(left);
            return -1;
        }
        ps.fill = 1;
        c->pos[s] = 0;
        for (uint32_t t = 0; t < T; t++) {
            c->pstart[s][t] = c->pos[s];
            class_table_class_values(tt, t, s, take_pair, &ps);
        }
        c->pstart[s][T] = c->pos[s];
        for (uint32_t v = 0; v < nv; v++)
            if (left[v]) {
                c->pval[s][c->pos[s]] = v;
                c->pcnt[s][c->pos[s]++] = left[v];
            }
        c->pstart[s][T + 1] = c->pos[s];
        free(left);
    }
    return 0;
}

static const char *qi_name(const search_qi *q)
{
    return q->name ? q->name : "(unnamed)";
}

/* Checks one ladder; sets *nested to 0 if a level is not a function of
 * the level below. Returns DEID_OK or DEID_E_USAGE. */
static deid_status check_qi(const search_qi *q, size_t distinct, int *nested, deid_error *err)
{
    if (q->n_levels < 1 || q->n_levels > DEID_MAX_HIERARCHY_LEVELS)
        return err_set(err, DEID_E_USAGE, "search: QI \"%s\" has %zu levels (1 to %u allowed)",
                       qi_name(q), q->n_levels, DEID_MAX_HIERARCHY_LEVELS);
    if (!q->gen || !q->n_gen || !q->share || q->n_values < distinct)
        return err_set(err, DEID_E_USAGE, "search: QI \"%s\" has no ladder for its %zu values",
                       qi_name(q), distinct);
    if (!(q->domain >= 1) || !isfinite(q->domain))
        return err_set(err, DEID_E_USAGE, "search: QI \"%s\" has a domain below 1", qi_name(q));
    for (size_t l = 0; l < q->n_levels; l++) {
        if (!q->gen[l] || !q->share[l] || q->n_gen[l] < 1 || q->n_gen[l] > UINT32_MAX)
            return err_set(err, DEID_E_USAGE, "search: QI \"%s\" level %zu is empty",
                           qi_name(q), l);
        for (size_t v = 0; v < q->n_values; v++)
            if (q->gen[l][v] >= q->n_gen[l])
                return err_set(err, DEID_E_USAGE,
                               "search: QI \"%s\" level %zu maps a value out of range",
                               qi_name(q), l);
        for (size_t g = 0; g < q->n_gen[l]; g++)
            if (!(q->share[l][g] >= 0 && q->share[l][g] <= 1))
                return err_set(err, DEID_E_USAGE,
                               "search: QI \"%s\" level %zu has a share outside 0..1",
                               qi_name(q), l);
    }
    for (size_t l = 0; *nested && l + 1 < q->n_levels; l++) {
        uint32_t *f = malloc(q->n_gen[l] * sizeof *f);
        if (!f)
            return err_set(err, DEID_E_IO, "search: out of memory");
        memset(f, 0xff, q->n_gen[l] * sizeof *f);
        for (size_t v = 0; v < q->n_values && *nested; v++) {
            uint32_t a = q->gen[l][v], b = q->gen[l + 1][v];
            if (f[a] == UINT32_MAX)
                f[a] = b;
            else if (f[a] != b)
                *nested = 0;
        }
        free(f);
    }
    return DEID_OK;
}

static deid_status prepare(ctx *c, const search_problem *p, deid_error *err)
{
    if (!p->tuples || !p->qi)
        return err_set(err, DEID_E_USAGE, "search: no tuple table or no ladders");
    const class_table *tt = p->tuples;
    size_t m = class_table_n_qi(tt);
    c->p = p;
    c->m = m;
    c->T = class_table_classes(tt);
    c->ns = class_table_n_sensitive(tt);
    c->K = 1 + p->n_alternatives;
    c->n0 = class_table_records(tt);
    c->pre = class_table_suppressed(tt);
    c->n = c->n0 + c->pre;
    if (m > SEARCH_MAX_QI)
        return err_set(err, DEID_E_USAGE, "search: %zu quasi-identifiers (at most %d)", m,
                       SEARCH_MAX_QI);
    if (!(p->suppress_max >= 0 && p->suppress_max <= 1))
        return err_set(err, DEID_E_USAGE, "search: suppression share outside 0..1");
    if (p->n_alternatives > SEARCH_MAX_ALTERNATIVES)
        return err_set(err, DEID_E_USAGE, "search: %zu alternatives (at most %d)",
                       p->n_alternatives, SEARCH_MAX_ALTERNATIVES);
    if (p->metric != METRIC_LOSS && p->metric != METRIC_DISCERNIBILITY)
        return err_set(err, DEID_E_USAGE, "search: unknown metric");
    if (!(p->req.l >= 0) || !(p->req.t >= 0) ||
        (p->req.l_kind != L_DISTINCT && p->req.l_kind != L_ENTROPY))
        return err_set(err, DEID_E_USAGE, "search: bad l or t");
    c->lt = p->req.l > 0 || p->req.t > 0;
    if (c->lt && c->ns == 0)
        return err_set(err, DEID_E_USAGE,
                       "search: l-diversity or t-closeness needs a sensitive column");
    if (p->metric == METRIC_DISCERNIBILITY && c->n >> 32)
        return err_set(err, DEID_E_USAGE,
                       "search: discernibility needs fewer than 2^32 records");
    c->nested = 1;
    c->total = 1;
    for (size_t j = 0; j < m; j++) {
        deid_status st = check_qi(&p->qi[j], class_table_qi_distinct(tt, j), &c->nested, err);
        if (st)
            return st;
        c->nl[j] = (unsigned)p->qi[j].n_levels;
        if (c->total > SEARCH_MAX_NODES / c->nl[j])
            return err_set(err, DEID_E_USAGE, "search: the lattice has more than %llu nodes",
                           (unsigned long long)SEARCH_MAX_NODES);
        c->total *= c->nl[j];
    }
    for (size_t j = m; j-- > 0;)
        c->stride[j] = j + 1 < m ? c->stride[j + 1] * c->nl[j + 1] : 1;
    c->limit = (uint64_t)floor(p->suppress_max * (double)c->n + 1e-9);
    c->mono = c->nested &&
              (c->limit == 0 || (p->req.t <= 0 && (p->req.l <= 0 || p->req.l_kind == L_DISTINCT)));

    size_t T = c->T, tn = T ? T : 1, cap = 16;
    while (cap < 2 * tn)
        cap <<= 1;
    c->bottom.n = T;
    c->bottom.rep = malloc(tn * m * sizeof *c->bottom.rep);
    c->bottom.size = malloc(tn * sizeof *c->bottom.size);
    c->slot_cap = cap;
    c->slot = malloc(cap * sizeof *c->slot);
    c->hs = malloc(cap * sizeof *c->hs);
    c->code = malloc(tn * sizeof *c->code);
    c->nfirst = malloc(tn * sizeof *c->nfirst);
    c->nsize = malloc(tn * sizeof *c->nsize);
    c->smap = malloc(tn * sizeof *c->smap);
    c->viol = malloc(tn);
    size_t bm = (size_t)((c->total + 7) / 8);
    c->inf = calloc(bm, 1);
    c->zero = calloc(bm, 1);
    c->done = calloc(bm, 1);
    if (!c->bottom.rep || !c->bottom.size || !c->slot || !c->hs || !c->code || !c->nfirst || !c->nsize ||
        !c->smap || !c->viol || !c->inf || !c->zero || !c->done)
        return err_set(err, DEID_E_IO, "search: out of memory");
    for (uint32_t t = 0; t < T; t++) {
        c->bottom.size[t] = class_table_size(tt, t);
        for (size_t j = 0; j < m; j++)
            c->bottom.rep[(size_t)t * m + j] = class_table_qi_id(tt, t, j);
    }
    if (c->lt && prepare_lt(c))
        return err_set(err, DEID_E_IO, "search: out of memory");

    for (size_t j = 0; j < m; j++) {
        const search_qi *q = &p->qi[j];
        size_t most = 1;
        for (size_t l = 0; l < q->n_levels; l++)
            if (q->n_gen[l] > most)
                most = q->n_gen[l];
        c->cnt[j] = calloc(most, sizeof *c->cnt[j]);
        c->fac[j] = malloc(q->n_levels * sizeof *c->fac[j]);
        c->rank_lv[j] = malloc(q->n_levels);
        c->lv_rank[j] = malloc(q->n_levels);
        if (!c->cnt[j] || !c->fac[j] || !c->rank_lv[j] || !c->lv_rank[j])
            return err_set(err, DEID_E_IO, "search: out of memory");
        for (size_t l = 0; l < q->n_levels; l++) {
            if (p->metric == METRIC_DISCERNIBILITY) {
                c->fac[j][l] = 1.0 / (double)q->n_gen[l];
                continue;
            }
            /* The same counts, in the same order, as eval_node's. */
            for (size_t t = 0; t < T; t++)
                c->cnt[j][q->gen[l][c->bottom.rep[t * m + j]]] += c->bottom.size[t];
            double agg = share_sum(c->cnt[j], q->share[l], q->n_gen[l]);
            c->fac[j][l] = qi_loss(agg + (double)c->pre, (double)c->n, q->domain);
        }
        /* Levels ranked by factor (ties: lower level first). */
        for (size_t l = 0; l < q->n_levels; l++) {
            size_t i = l;
            while (i > 0 && c->fac[j][c->rank_lv[j][i - 1]] > c->fac[j][l]) {
                c->rank_lv[j][i] = c->rank_lv[j][i - 1];
                i--;
            }
            c->rank_lv[j][i] = (uint8_t)l;
        }
        for (size_t r = 0; r < q->n_levels; r++)
            c->lv_rank[j][c->rank_lv[j][r]] = (uint8_t)r;
    }
    /* Climb first along the QIs whose levels cost the least: the down-set
     * of the maximal node reached then covers the cheap nodes the heap
     * hands out next. */
    for (size_t o = 0; o < m; o++) {
        size_t i = o;
        double spread = c->fac[o][c->rank_lv[o][c->nl[o] - 1]] - c->fac[o][c->rank_lv[o][0]];
        while (i > 0) {
            size_t pj = c->climb_order[i - 1];
            double ps = c->fac[pj][c->rank_lv[pj][c->nl[pj] - 1]] - c->fac[pj][c->rank_lv[pj][0]];
            if (ps <= spread)
                break;
            c->climb_order[i] = pj;
            i--;
        }
        c->climb_order[i] = o;
    }
    if (RAND_bytes((unsigned char *)&c->seed, sizeof c->seed) != 1)
        return err_set(err, DEID_E_IO, "search: no random seed for the hash");
    return DEID_OK;
}

static void ctx_free(ctx *c)
{
    cls_free(&c->bottom);
    for (size_t i = 0; i < c->n_cache; i++)
        cls_free(&c->cache[i]);
    for (size_t j = 0; j < SEARCH_MAX_QI; j++) {
        free(c->fac[j]);
        free(c->rank_lv[j]);
        free(c->lv_rank[j]);
        free(c->cnt[j]);
    }
    for (size_t s = 0; s < c->ns; s++) {
        if (c->pstart)
            free(c->pstart[s]);
        if (c->pval)
            free(c->pval[s]);
        if (c->pcnt)
            free(c->pcnt[s]);
        if (c->sval)
            free(c->sval[s]);
    }
    free(c->pstart);
    free(c->pval);
    free(c->pcnt);
    free(c->sval);
    free(c->row);
    free(c->pos);
    free(c->rem);
    free(c->ntid);
    free(c->ntmap);
    free(c->vbuf);
    free(c->slot);
    free(c->hs);
    free(c->code);
    free(c->ngk);
    free(c->nfirst);
    free(c->nsize);
    free(c->smap);
    free(c->viol);
    free(c->inf);
    free(c->zero);
    free(c->done);
    free(c->stack);
    free(c->heap);
    free(c);
}

deid_status search_run(const search_problem *p, search_result *out, deid_error *err)
{
    if (!p || !out)
        return err_set(err, DEID_E_USAGE, "search: no problem or no result");
    memset(out, 0, sizeof *out);
    ctx *c = calloc(1, sizeof *c);
    if (!c)
        return err_set(err, DEID_E_IO, "search: out of memory");
    deid_status st = prepare(c, p, err);
    if (st == DEID_OK) {
        out->nodes_total = c->total;
        out->records = c->n;
        out->suppression_limit = c->limit;
        /* Input-suppressed records beyond the limit: no node can help. */
        if (c->pre <= c->limit && (p->exhaustive ? run_exhaustive(c) : run_bnb(c)))
            st = err_set(err, DEID_E_IO, "search: out of memory");
    }
    if (st == DEID_OK && c->n_top) {
        out->found = 1;
        out->best = c->top[0].node;
        out->n_alternatives = c->n_top - 1;
        for (size_t i = 1; i < c->n_top; i++)
            out->alternatives[i - 1] = c->top[i].node;
    }
    out->nodes_evaluated = c->evaluated;
    ctx_free(c);
    return st;
}
