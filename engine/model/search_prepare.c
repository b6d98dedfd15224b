/*
 * search_prepare.c - checking a search problem and setting up the lattice
 * walk of search.c (see search_int.h): every ladder validated (and whether
 * they all nest), the lattice's size and strides, the suppression limit,
 * whether infeasibility passes down the lattice, each QI's per-level bound
 * factors and the levels ranked by them, and the order in which climbs
 * raise the QIs.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "deid_limits.h"
#include "err.h"
#include "search_int.h"

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

deid_status search_prepare(search_ctx *c, const search_problem *p, deid_error *err)
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
    c->wsum = 0;
    for (size_t j = 0; j < m; j++) {
        deid_status st = check_qi(&p->qi[j], class_table_qi_distinct(tt, j), &c->nested, err);
        if (st)
            return st;
        double w = p->qi[j].weight;
        if (!(w >= 0 && w <= DEID_MAX_PLAN_WEIGHT))
            return err_set(err, DEID_E_USAGE, "search: QI \"%s\" has a weight outside 0..%g",
                           qi_name(&p->qi[j]), DEID_MAX_PLAN_WEIGHT);
        c->wsum += search_weight(&p->qi[j]);
        c->nl[j] = (unsigned)p->qi[j].n_levels;
        if (c->total > SEARCH_MAX_NODES / c->nl[j])
            return err_set(err, DEID_E_USAGE, "search: the lattice has more than %llu nodes",
                           (unsigned long long)SEARCH_MAX_NODES);
        c->total *= c->nl[j];
    }
    for (size_t j = m; j-- > 0;)
        c->stride[j] = j + 1 < m ? c->stride[j + 1] * c->nl[j + 1] : 1;
    c->limit = (uint64_t)floor(p->suppress_max * (double)c->n + 1e-9);
    c->climbing = 1;
    c->mono = c->nested &&
              (c->limit == 0 || (p->req.t <= 0 && (p->req.l <= 0 || p->req.l_kind == L_DISTINCT)));

    /* The seed first: evaluation may hash as soon as it is set up. */
    if (RAND_bytes((unsigned char *)&c->seed, sizeof c->seed) != 1)
        return err_set(err, DEID_E_IO, "search: no random seed for the hash");
    size_t bm = (size_t)((c->total + 7) / 8), T = c->T;
    /* the four mark bitmaps in one block, owned through c->inf */
    if ((c->inf = calloc(4, bm))) {
        c->feas = c->inf + bm;
        c->zero = c->feas + bm;
        c->done = c->zero + bm;
    }
    if (!c->inf || search_eval_prepare(c))
        return err_set(err, DEID_E_IO, "search: out of memory");

    for (size_t j = 0; j < m; j++) {
        const search_qi *q = &p->qi[j];
        c->fac[j] = malloc(q->n_levels * sizeof *c->fac[j]);
        c->rank_lv[j] = malloc(q->n_levels);
        c->lv_rank[j] = malloc(q->n_levels);
        uint64_t *vcnt = calloc(q->n_values ? q->n_values : 1, sizeof *vcnt);
        if (!c->fac[j] || !c->rank_lv[j] || !c->lv_rank[j] || !vcnt) {
            free(vcnt);
            return err_set(err, DEID_E_IO, "search: out of memory");
        }
        for (size_t t = 0; t < T; t++)
            vcnt[c->bottom.rep[t * m + j]] += c->bottom.size[t];
        for (size_t l = 0; l < q->n_levels; l++) {
            if (p->metric == METRIC_DISCERNIBILITY) {
                c->fac[j][l] = 1.0 / (double)q->n_gen[l];
                continue;
            }
            /* The same counts, in the same order, as search_eval_node's. */
            for (size_t v = 0; v < q->n_values; v++)
                c->cnt[j][q->gen[l][v]] += vcnt[v];
            double agg = search_share_sum(c->cnt[j], q->share[l], q->n_gen[l]);
            c->fac[j][l] = search_qi_loss(agg + (double)c->pre, (double)c->n, q->domain);
        }
        free(vcnt);
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
    return DEID_OK;
}

void search_ctx_free(search_ctx *c)
{
    search_eval_free(c);
    for (size_t j = 0; j < SEARCH_MAX_QI; j++) {
        free(c->fac[j]);
        free(c->rank_lv[j]);
        free(c->lv_rank[j]);
    }
    free(c->inf); /* and feas, zero, done */
    free(c->stack);
    free(c->heap);
    free(c);
}
