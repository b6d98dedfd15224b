/* SPDX-License-Identifier: Apache-2.0 */
/*
 * search_lt.c - l-diversity and t-closeness (equal or hierarchical
 * distance) of one lattice node straight from the tuples' flattened
 * sensitive distributions, for the search (see search_int.h).
 *
 * Why: the general path (eval_lt in search_eval.c) rebuilds a class table
 * with hashed string keys at every node, which dominates a t-closeness
 * search. Here a node's classes are numbered already (ntmap), so each
 * class's counts per sensitive value go into a dense array, and the
 * measures follow with the formulas and tolerances of privacy.c
 * (privacy_class_violates). The hierarchical distance takes the same
 * counts through the hier_prep of privacy.c, prepared once on the tuples
 * (whose counts are the whole table's, as eval_lt's table): its EMD is
 * exact in integers, so it equals the general path's to the bit. Empty
 * values that ignore_empty leaves out are skipped here as there. The
 * ordered distance needs ranks and keeps the general path, as does a
 * node whose array would be too large, or every node when the
 * environment has DEID_LT_FAST_PATH=0 (to compare the two paths).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "privacy.h"
#include "privacy_hier.h"
#include "search_int.h"

/* Dense counts beyond this many cells (classes x values) take the
 * general path: 32 MiB of counters. */
#define LT_MAX_CELLS ((size_t)4 << 20)

static const privacy_sensitive_spec *spec_of(const search_ctx *c, size_t s)
{
    return c->p->spec ? &c->p->spec[s] : NULL;
}

static int applicable(const search_ctx *c)
{
    const char *fast = getenv("DEID_LT_FAST_PATH");
    if (fast && strcmp(fast, "0") == 0)
        return 0;
    for (size_t s = 0; s < c->ns; s++) {
        const privacy_sensitive_spec *sp = spec_of(c, s);
        if (sp && sp->ordered && !sp->hier)
            return 0;
    }
    return 1;
}

/* The id of column s's empty value when ignore_empty leaves it out, else
 * -1 (as sens_prep_init in privacy.c). */
static int64_t ignored_id(const search_ctx *c, size_t s)
{
    const privacy_sensitive_spec *sp = spec_of(c, s);
    size_t m = class_table_sensitive_distinct(c->p->tuples, s);
    for (uint32_t v = 0; sp && sp->ignore_empty && v < m; v++)
        if (class_table_sensitive_value(c->p->tuples, s, v).len == 0)
            return v;
    return -1;
}

/* The overall shares of column s's values, as privacy.c computes them:
 * count / (all records' count with a share), one division each; the
 * ignored value's share is 0. */
static double *overall_shares(const search_ctx *c, size_t s, size_t m, int64_t skip)
{
    double *q = malloc((m ? m : 1) * sizeof *q);
    if (!q)
        return NULL;
    uint64_t total = 0;
    for (uint32_t v = 0; v < m; v++)
        if ((int64_t)v != skip)
            total += class_table_sensitive_count(c->p->tuples, s, v);
    for (uint32_t v = 0; v < m; v++)
        q[v] = total && (int64_t)v != skip
                   ? (double)class_table_sensitive_count(c->p->tuples, s, v) / (double)total
                   : 0;
    return q;
}

/* First call: decides whether the fast path serves this search
 * (c->lt_fast 1 or -1) and prepares its per-column tables. Returns 0, or
 * -1 on ENOMEM. */
static int setup(search_ctx *c)
{
    c->lt_fast = applicable(c) ? 1 : -1;
    if (c->lt_fast < 0)
        return 0;
    const class_table *tt = c->p->tuples;
    size_t n = c->ns ? c->ns : 1;
    c->ltq = calloc(n, sizeof *c->ltq);
    c->lthier = calloc(n, sizeof *c->lthier);
    c->ltskip = malloc(n * sizeof *c->ltskip);
    if (!c->ltq || !c->lthier || !c->ltskip)
        return -1;
    for (size_t s = 0; s < c->ns; s++) {
        const privacy_sensitive_spec *sp = spec_of(c, s);
        c->ltskip[s] = ignored_id(c, s);
        if (!(c->ltq[s] = overall_shares(c, s, class_table_sensitive_distinct(tt, s),
                                         c->ltskip[s])))
            return -1;
        if (sp && sp->hier && !(c->lthier[s] = hier_prep_new(tt, s, sp->hier, c->ltskip[s])))
            return -1;
    }
    return 0;
}

/* Whether class row (m counts of column s, size records) breaks l or t. */
static int class_violates(search_ctx *c, size_t s, const uint64_t *row, size_t m,
                          uint64_t size)
{
    int64_t skip = c->ltskip[s];
    if (skip >= 0)
        size -= row[skip];
    if (!size) /* every value left out: as measure_class in privacy.c */
        return privacy_class_violates(&c->p->req, 0, 0, 1);
    const double *q = c->ltq[s];
    hier_prep *hp = c->lthier[s];
    /* the entropy only when entropy l asks for it: a log per value */
    int entropy = c->p->req.l > 0 && c->p->req.l_kind == L_ENTROPY;
    double h = 0, sum = 1, dsize = (double)size;
    size_t distinct = 0;
    for (size_t v = 0; v < m; v++) {
        if (!row[v] || (int64_t)v == skip)
            continue;
        double p = (double)row[v] / dsize;
        distinct++;
        if (entropy)
            h -= p * log(p);
        if (hp)
            hier_prep_add(hp, (uint32_t)v, row[v]);
        else
            sum += fabs(p - q[v]) - q[v];
    }
    double emd;
    if (hp)
        emd = hier_prep_emd(hp, size);
    else {
        emd = 0.5 * sum;
        emd = emd < 0 ? 0 : emd > 1 ? 1 : emd;
    }
    return privacy_class_violates(&c->p->req, distinct, exp(h), emd);
}

int search_lt_fast(search_ctx *c, uint64_t *supp)
{
    if (!c->lt_fast && setup(c))
        return -1;
    if (c->lt_fast < 0)
        return 0;
    const class_table *tt = c->p->tuples;
    for (size_t s = 0; s < c->ns; s++) {
        size_t m = class_table_sensitive_distinct(tt, s);
        if (m && c->nn > LT_MAX_CELLS / m)
            return 0;
    }
    for (size_t s = 0; s < c->ns; s++) {
        size_t m = class_table_sensitive_distinct(tt, s);
        size_t cells = c->nn * m;
        if (cells > c->lt_cap) {
            uint64_t *grown = realloc(c->ltcnt, cells * sizeof *grown);
            if (!grown)
                return -1;
            c->ltcnt = grown;
            c->lt_cap = cells;
        }
        memset(c->ltcnt, 0, cells * sizeof *c->ltcnt);
        /* the tuples' records into their classes; entry T (the records
         * suppressed in the input) belongs to no class */
        for (size_t t = 0; t < c->T; t++) {
            uint32_t cl = c->ntmap[t];
            if (c->viol[cl])
                continue;
            uint64_t *row = c->ltcnt + (size_t)cl * m;
            for (uint64_t e = c->pstart[s][t]; e < c->pstart[s][t + 1]; e++)
                row[c->pval[s][e]] += c->pcnt[s][e];
        }
        for (size_t cl = 0; cl < c->nn; cl++) {
            if (c->viol[cl])
                continue;
            if (class_violates(c, s, c->ltcnt + cl * m, m, c->nsize[cl])) {
                c->viol[cl] = 1;
                *supp += c->nsize[cl];
            }
        }
    }
    return 1;
}

void search_lt_free(search_ctx *c)
{
    for (size_t s = 0; s < c->ns; s++) {
        if (c->ltq)
            free(c->ltq[s]);
        if (c->lthier)
            hier_prep_free(c->lthier[s]);
    }
    free(c->ltq);
    free(c->lthier);
    free(c->ltskip);
    free(c->ltcnt);
}
