/* SPDX-License-Identifier: Apache-2.0 */
/*
 * search_eval.c - the classes of one lattice node, for the search (see
 * search_int.h): rolled up from the cheapest cached node below it, their
 * suppression for k (and, through a class table and privacy_violations,
 * for l and t, exactly as `deid check` measures), and the node's score.
 *
 * Why codes: a class is one 64-bit word with a bit field per QI. Rolling
 * a class up to a more general node rewrites only the fields of the QIs
 * whose level changed (one table lookup each), and a cached node costs 16
 * bytes per class. When the fields do not fit 64 bits ("wide" mode) every
 * node is computed from the tuples with keys of m ids, and nothing is
 * cached.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "deid_limits.h"
#include "privacy.h"
#include "search_int.h"

#define CACHE_MAX_BYTES ((size_t)64 << 20)
#define PREFETCH_AHEAD 8
#define FIB 0x9E3779B97F4A7C15ull

/* ---- the metric's arithmetic ---- */

double search_qi_loss(double agg, double n, double d)
{
    double lo = n / d;
    if (d <= 1 || n - lo <= 0)
        return 0;
    double x = (agg - lo) / (n - lo);
    if (!(x > 0))
        return 0;
    return floor(x * 1e10) / 1e10;
}

double search_weight(const search_qi *q)
{
    return q->weight > 0 ? q->weight : 1;
}

double search_factor(double loss, double weight)
{
    return weight == 1 ? 1 + loss : pow(1 + loss, weight);
}

double search_combine(const search_problem *p, const double *l, size_t m, double wsum)
{
    double prod = 1;
    for (size_t j = 0; j < m; j++)
        prod *= search_factor(l[j], search_weight(&p->qi[j]));
    return pow(prod, 1.0 / wsum) - 1;
}

double search_share_sum(uint64_t *cnt, const double *share, size_t n_gen)
{
    double agg = 0;
    for (size_t g = 0; g < n_gen; g++)
        if (cnt[g]) {
            agg += (double)cnt[g] * share[g];
            cnt[g] = 0;
        }
    return agg;
}

double search_loss_score(const search_problem *p, const double *agg, double n, double *qi_loss)
{
    size_t m = class_table_n_qi(p->tuples);
    double wsum = 0;
    for (size_t j = 0; j < m; j++) {
        qi_loss[j] = search_qi_loss(agg[j], n, p->qi[j].domain);
        wsum += search_weight(&p->qi[j]);
    }
    return search_combine(p, qi_loss, m, wsum);
}

/* ---- cached nodes ---- */

static void cls_free(search_cls *l)
{
    free(l->code);
    free(l->rep);
    free(l->size);
    free(l->tmap);
    memset(l, 0, sizeof *l);
}

static const search_cls *pick_source(search_ctx *c, const uint8_t *lv)
{
    search_cls *best = c->base.code ? &c->base : NULL;
    for (size_t i = 0; i < c->n_cache; i++) {
        search_cls *e = &c->cache[i];
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

/* Keeps the classes just computed for later roll-ups, evicting the least
 * recently used. Out of memory only means nothing is kept. */
static void cache_put(search_ctx *c, const uint8_t *lv)
{
    size_t n = c->nn;
    int base = !c->base.code && c->src->bottom;
    for (size_t j = 0; base && j < c->m; j++)
        base = lv[j] == 0;
    if (!base && n > c->src->n / 8 * 7)
        return; /* hardly cheaper than its source, which serves as well */
    size_t bytes = n * 16 + (c->lt ? c->T * 4 : 0);
    if (bytes > CACHE_MAX_BYTES / 4)
        return;
    search_cls e;
    memset(&e, 0, sizeof e);
    memcpy(e.lv, lv, c->m);
    e.n = n;
    e.bytes = bytes;
    e.code = malloc(n * 8 + 1);
    e.size = malloc(n * 8 + 1);
    e.tmap = c->lt ? malloc(c->T * 4 + 1) : NULL;
    if (!e.code || !e.size || (c->lt && !e.tmap)) {
        cls_free(&e);
        return;
    }
    memcpy(e.code, c->ncode, n * 8);
    memcpy(e.size, c->nsize, n * 8);
    if (c->lt)
        memcpy(e.tmap, c->ntmap, c->T * 4);
    if (base) {
        /* The level-0 node, kept for good: it is never worse than the
         * tuples and changes fewer fields. */
        c->base = e;
        return;
    }
    while (c->n_cache && (c->n_cache == SEARCH_CACHE_ENTRIES ||
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

/* ---- roll-up ---- */

/* QI j's level-a ids to level-b ids (a < b), built from gen on first use
 * (the ladders nest, so every value of an a-id agrees). NULL on ENOMEM. */
static const uint32_t *comp_map(search_ctx *c, size_t j, unsigned a, unsigned b)
{
    const search_qi *q = &c->p->qi[j];
    size_t nl = c->nl[j];
    if (!c->comp[j] && !(c->comp[j] = calloc(nl * nl, sizeof *c->comp[j])))
        return NULL;
    uint32_t **t = &c->comp[j][a * nl + b];
    if (!*t) {
        if (!(*t = calloc(q->n_gen[a], sizeof **t)))
            return NULL;
        for (size_t v = 0; v < q->n_values; v++)
            (*t)[q->gen[a][v]] = q->gen[b][v];
    }
    return *t;
}

/* Room for twice the classes the node can have, so that a general node's
 * small table stays in cache; sets *bits to log2 of the result. */
static size_t table_size(const search_ctx *c, const uint8_t *lv, size_t n_src, unsigned *bits)
{
    double span = 1;
    for (size_t j = 0; j < c->m; j++)
        span *= (double)c->p->qi[j].n_gen[lv[j]];
    size_t cap = 16;
    *bits = 4;
    while (cap < 2 * n_src && (double)cap < 2 * span) {
        cap <<= 1;
        (*bits)++;
    }
    return cap;
}

/* Rewrites the codes of the n source classes to the target (one field per
 * QI whose level changed) and hashes them. */
static void rewrite(search_ctx *c, const search_cls *src, size_t n)
{
    uint64_t *code = c->code, seed = c->seed;
    memcpy(code, src->code, n * sizeof *code);
    for (size_t a = 0; a < c->rw_n; a++) {
        const uint32_t *t = c->rw_tab[a];
        unsigned sh = c->rw_sh[a];
        uint64_t mk = c->rw_mask[a];
        for (size_t s = 0; s < n; s++) {
            uint64_t f = code[s] >> sh & mk;
            code[s] += ((uint64_t)t[f] - f) << sh;
        }
    }
    unsigned shift = 64 - c->rw_bits;
    for (size_t s = 0; s < n; s++)
        c->hix[s] = (uint32_t)(((code[s] ^ seed) * FIB) >> shift);
}

/* Hashes the rewritten codes into new classes (c->ncode, nsize, nn),
 * each probe's slot prefetched a few classes ahead: a large table misses
 * the cache. Leaves the table empty again. */
static void probe(search_ctx *c, const search_cls *src)
{
    size_t n = src->n, mask = ((size_t)1 << c->rw_bits) - 1, nn = 0;
    const uint64_t *code = c->code;
    const uint32_t *hix = c->hix;
    search_hslot *hs = c->hs;
    for (size_t s = 0; s < n; s++) {
#if defined(__GNUC__)
        if (s + PREFETCH_AHEAD < n)
            __builtin_prefetch(&hs[hix[s + PREFETCH_AHEAD]]);
#endif
        size_t i = hix[s];
        while (hs[i].cls && hs[i].key != code[s])
            i = (i + 1) & mask;
        if (!hs[i].cls) {
            hs[i].cls = (uint32_t)++nn;
            hs[i].key = code[s];
            c->ncode[nn - 1] = code[s];
            c->nsize[nn - 1] = src->size[s];
            c->nslot[nn - 1] = (uint32_t)i;
        } else
            c->nsize[hs[i].cls - 1] += src->size[s];
        if (c->lt)
            c->smap[s] = hs[i].cls - 1;
    }
    /* The table is all empty between roll-ups: clearing what was used is
     * cheaper than clearing it all. */
    for (size_t i = 0; i < nn; i++)
        hs[c->nslot[i]].cls = 0;
    c->nn = nn;
}

/* Packed mode: each source class's code at the target, then a hash table
 * of codes. */
static int rollup_packed(search_ctx *c, const search_cls *src, const uint8_t *lv)
{
    size_t n = src->n;
    c->rw_n = 0;
    for (size_t j = 0; j < c->m; j++) {
        const uint32_t *t;
        if (src->bottom)
            t = c->p->qi[j].gen[lv[j]];
        else if (src->lv[j] == lv[j])
            continue;
        else if (!(t = comp_map(c, j, src->lv[j], lv[j])))
            return -1;
        if (!c->mask[j])
            continue;
        c->rw_tab[c->rw_n] = t;
        c->rw_sh[c->rw_n] = c->sh[j];
        c->rw_mask[c->rw_n++] = c->mask[j];
    }
    table_size(c, lv, n, &c->rw_bits);
    rewrite(c, src, n);
    probe(c, src);
    return 0;
}

/* The keys are dictionary ids that follow the data, so the hash is seeded
 * per search (strmap.h's reason); a multiply-xorshift mix keeps it cheap. */
static uint64_t hash_ids(uint64_t seed, const uint32_t *k, size_t m)
{
    uint64_t h = seed;
    for (size_t j = 0; j < m; j++) {
        h ^= k[j];
        h *= FIB;
        h ^= h >> 31;
    }
    return h ^ (h >> 29);
}

/* Wide mode: from the tuples, keys of m generalized ids (c->ngk). */
static void rollup_wide(search_ctx *c, const uint8_t *lv)
{
    const search_cls *src = &c->bottom;
    size_t m = c->m;
    unsigned bits;
    size_t cap = table_size(c, lv, src->n, &bits);
    for (size_t s = 0; s < src->n; s++) {
        uint32_t *k = c->ngk + c->nn * m;
        for (size_t j = 0; j < m; j++)
            k[j] = c->p->qi[j].gen[lv[j]][src->rep[s * m + j]];
        size_t i = (size_t)hash_ids(c->seed, k, m) & (cap - 1);
        while (c->hs[i].cls && memcmp(c->ngk + (size_t)(c->hs[i].cls - 1) * m, k, m * 4) != 0)
            i = (i + 1) & (cap - 1);
        if (!c->hs[i].cls) {
            c->hs[i].cls = (uint32_t)c->nn + 1;
            c->nslot[c->nn] = (uint32_t)i;
            c->nsize[c->nn++] = src->size[s];
        } else
            c->nsize[c->hs[i].cls - 1] += src->size[s];
        if (c->lt)
            c->smap[s] = c->hs[i].cls - 1;
    }
    for (size_t i = 0; i < c->nn; i++)
        c->hs[c->nslot[i]].cls = 0;
}

/* ---- l-diversity and t-closeness ---- */

/* Adds tuple t's records (t == T: the input-suppressed ones) under QI
 * value q, as weighted rows that keep every sensitive column's counts:
 * the columns' (value, count) lists are walked side by side, each row
 * taking the smallest count left at the heads. */
static int add_tuple(search_ctx *c, class_table *tab, size_t t, const xf_value *q, uint32_t *id)
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

/* l and t for the classes that meet k: a class table with one QI (the
 * class number) where classes under k and the input-suppressed records
 * are suppressed rows, so that the overall distributions hold every
 * record, as in `deid check`. Adds the records of violating classes to
 * *supp and flags them in c->viol. Returns 0, or -1 on ENOMEM. */
static int eval_lt(search_ctx *c, uint64_t *supp)
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

/* ---- one node ---- */

/* The score of a feasible node just rolled up, and its kept classes. */
static void score(search_ctx *c, const uint8_t *lv, search_eval *r)
{
    size_t m = c->m;
    int loss = c->p->metric == METRIC_LOSS;
    for (size_t i = 0; i < c->nn; i++) {
        if (c->viol[i])
            continue;
        uint64_t z = c->nsize[i];
        if (!r->classes || z < r->min_class)
            r->min_class = z;
        if (z > r->max_class)
            r->max_class = z;
        r->classes++;
        if (!loss)
            r->dm += z * z;
        else if (c->packed)
            for (size_t j = 0; j < m; j++)
                c->cnt[j][c->ncode[i] >> c->sh[j] & c->mask[j]] += z;
        else
            for (size_t j = 0; j < m; j++)
                c->cnt[j][c->ngk[i * m + j]] += z;
    }
    if (loss) {
        double l[SEARCH_MAX_QI];
        for (size_t j = 0; j < m; j++) {
            const search_qi *q = &c->p->qi[j];
            double agg = search_share_sum(c->cnt[j], q->share[lv[j]], q->n_gen[lv[j]]);
            l[j] = search_qi_loss(agg + (double)r->suppressed, (double)c->n, q->domain);
            r->qi_loss[j] = l[j];
        }
        r->score = search_combine(c->p, l, m, c->wsum);
    } else {
        r->dm += r->suppressed * c->n;
        r->score = (double)r->dm;
    }
}

int search_eval_node(search_ctx *c, const uint8_t *lv, int use_cache, search_eval *r)
{
    use_cache = use_cache && c->nested && c->packed;
    const search_cls *src = use_cache ? pick_source(c, lv) : &c->bottom;
    c->nn = 0;
    c->src = src;
    if (c->packed) {
        if (rollup_packed(c, src, lv))
            return -1;
    } else
        rollup_wide(c, lv);
    if (c->lt)
        for (size_t t = 0; t < c->T; t++)
            c->ntmap[t] = c->smap[src->tmap ? src->tmap[t] : t];
    c->evaluated++;
    memset(r, 0, sizeof *r);
    uint64_t supp = c->pre, k = c->p->req.k;
    for (size_t i = 0; i < c->nn; i++) {
        unsigned char v = c->nsize[i] < k;
        c->viol[i] = v;
        supp += c->nsize[i] & (0 - (uint64_t)v);
    }
    r->k_over = supp > c->limit;
    if (supp <= c->limit && c->lt) {
        int fast = search_lt_fast(c, &supp);
        if (fast < 0 || (fast == 0 && eval_lt(c, &supp)))
            return -1;
    }
    r->zero = supp == c->pre;
    r->suppressed = supp;
    r->feasible = supp <= c->limit;
    if (r->feasible)
        score(c, lv, r);
    if (use_cache)
        cache_put(c, lv);
    return 0;
}

/* ---- setting up ---- */

typedef struct pair_sink {
    search_ctx *c;
    size_t s;
    uint64_t *left; /* per value: records not yet found in a class */
    int fill;
} pair_sink;

static void take_pair(void *arg, uint32_t v, uint64_t count)
{
    pair_sink *ps = arg;
    search_ctx *c = ps->c;
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
static int prepare_lt(search_ctx *c)
{
    const class_table *tt = c->p->tuples;
    size_t ns = c->ns, T = c->T, tn = T ? T : 1;
    c->pstart = calloc(ns, sizeof *c->pstart);
    c->pval = calloc(ns, sizeof *c->pval);
    c->pcnt = calloc(ns, sizeof *c->pcnt);
    c->sval = calloc(ns, sizeof *c->sval);
    c->row = malloc(ns * sizeof *c->row);
    c->pos = malloc(ns * sizeof *c->pos);
    c->rem = malloc(ns * sizeof *c->rem);
    c->ntid = malloc(tn * sizeof *c->ntid);
    c->ntmap = malloc(tn * sizeof *c->ntmap);
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

int search_eval_prepare(search_ctx *c)
{
    const class_table *tt = c->p->tuples;
    size_t m = c->m, T = c->T, tn = T ? T : 1;
    /* A field holds a value id or a generalized id, whichever runs higher. */
    unsigned total = 0;
    for (size_t j = 0; j < m; j++) {
        const search_qi *q = &c->p->qi[j];
        size_t most = q->n_values;
        for (size_t l = 0; l < q->n_levels; l++)
            if (q->n_gen[l] > most)
                most = q->n_gen[l];
        unsigned bits = 0;
        while (bits < 64 && (most - 1) >> bits)
            bits++;
        c->sh[j] = bits ? total : 0;
        c->mask[j] = bits ? (bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1) : 0;
        total += bits;
        c->cnt[j] = calloc(most ? most : 1, sizeof *c->cnt[j]);
        if (!c->cnt[j])
            return -1;
    }
    c->packed = total <= 64;

    size_t cap = 16;
    while (cap < 2 * tn)
        cap <<= 1;
    c->hs_cap = cap;
    c->bottom.bottom = 1;
    c->bottom.n = T;
    c->bottom.rep = malloc(tn * m * sizeof *c->bottom.rep);
    c->bottom.size = malloc(tn * sizeof *c->bottom.size);
    c->bottom.code = malloc(tn * sizeof *c->bottom.code);
    c->hs = calloc(cap, sizeof *c->hs);
    /* The per-class roll-up scratch in one block owned through c->code,
     * the 64-bit arrays first so that every array is aligned. */
    if ((c->code = malloc(tn * (3 * sizeof(uint64_t) + 3 * sizeof(uint32_t) + 1)))) {
        c->ncode = c->code + tn;
        c->nsize = c->ncode + tn;
        c->nslot = (uint32_t *)(void *)(c->nsize + tn);
        c->hix = c->nslot + tn;
        c->smap = c->hix + tn;
        c->viol = (unsigned char *)(c->smap + tn);
    }
    if (!c->packed)
        c->ngk = malloc(tn * m * sizeof *c->ngk);
    if (!c->bottom.rep || !c->bottom.size || !c->bottom.code || !c->hs || !c->code ||
        (!c->packed && !c->ngk))
        return -1;
    for (uint32_t t = 0; t < T; t++) {
        uint64_t code = 0;
        c->bottom.size[t] = class_table_size(tt, t);
        for (size_t j = 0; j < m; j++) {
            uint32_t v = class_table_qi_id(tt, t, j);
            c->bottom.rep[(size_t)t * m + j] = v;
            if (c->packed && c->mask[j])
                code |= (uint64_t)v << c->sh[j];
        }
        c->bottom.code[t] = code;
    }
    return c->lt ? prepare_lt(c) : 0;
}

/* Frees the n rows of the array of arrays rows (NULL: nothing) and rows. */
#define FREE_ROWS(rows, n)                                     \
    do {                                                       \
        for (size_t row_ = 0; (rows) && row_ < (n); row_++)    \
            free((rows)[row_]);                                \
        free(rows);                                            \
    } while (0)

void search_eval_free(search_ctx *c)
{
    cls_free(&c->bottom);
    cls_free(&c->base);
    for (size_t i = 0; i < c->n_cache; i++)
        cls_free(&c->cache[i]);
    for (size_t j = 0; j < SEARCH_MAX_QI; j++) {
        free(c->cnt[j]);
        if (c->comp[j])
            for (size_t i = 0; i < (size_t)c->nl[j] * c->nl[j]; i++)
                free(c->comp[j][i]);
        free(c->comp[j]);
    }
    FREE_ROWS(c->pstart, c->ns);
    FREE_ROWS(c->pval, c->ns);
    FREE_ROWS(c->pcnt, c->ns);
    FREE_ROWS(c->sval, c->ns);
    free(c->row);
    free(c->pos);
    free(c->rem);
    free(c->ntid);
    free(c->ntmap);
    search_lt_free(c);
    free(c->vbuf);
    free(c->hs);
    free(c->code); /* and ncode, nsize, nslot, hix, smap, viol */
    free(c->ngk);
}
