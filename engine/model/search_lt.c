/* SPDX-License-Identifier: Apache-2.0 */
/*
 * search_lt.c - l-diversity and equal-distance t-closeness of one lattice
 * node straight from the tuples' flattened sensitive distributions, for
 * the search (see search_int.h).
 *
 * Why: the general path (eval_lt in search_eval.c) rebuilds a class table
 * with hashed string keys at every node, which dominates a t-closeness
 * search. Here a node's classes are numbered already (ntmap), so each
 * class's counts per sensitive value go into a dense array, and the
 * measures follow with the formulas and tolerances of privacy.c
 * (privacy_class_violates). Used when every sensitive column takes the
 * equal distance and counts empty values (the ordered distance needs
 * ranks, and ignoring empty values changes the shares: those keep the
 * general path), and when the array stays small.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "privacy.h"
#include "search_int.h"

/* Dense counts beyond this many cells (classes x values) take the
 * general path: 32 MiB of counters. */
#define LT_MAX_CELLS ((size_t)4 << 20)

static int applicable(const search_ctx *c)
{
    for (size_t s = 0; s < c->ns; s++) {
        const privacy_sensitive_spec *sp = c->p->spec ? &c->p->spec[s] : NULL;
        if (sp && (sp->ordered || sp->ignore_empty || sp->hier))
            return 0;
    }
    return 1;
}

/* The overall shares of column s's values, as privacy.c computes them:
 * count / (all records' count), one division each. */
static double *overall_shares(const search_ctx *c, size_t s, size_t m)
{
    double *q = malloc((m ? m : 1) * sizeof *q);
    if (!q)
        return NULL;
    uint64_t total = 0;
    for (uint32_t v = 0; v < m; v++)
        total += class_table_sensitive_count(c->p->tuples, s, v);
    for (uint32_t v = 0; v < m; v++)
        q[v] = total ? (double)class_table_sensitive_count(c->p->tuples, s, v) / (double)total : 0;
    return q;
}

int search_lt_fast(search_ctx *c, uint64_t *supp)
{
    if (!applicable(c))
        return 0;
    const class_table *tt = c->p->tuples;
    for (size_t s = 0; s < c->ns; s++) {
        size_t m = class_table_sensitive_distinct(tt, s);
        if (m && c->nn > LT_MAX_CELLS / m)
            return 0;
    }
    if (!c->ltq) {
        c->ltq = calloc(c->ns ? c->ns : 1, sizeof *c->ltq);
        if (!c->ltq)
            return -1;
        for (size_t s = 0; s < c->ns; s++)
            if (!(c->ltq[s] = overall_shares(c, s, class_table_sensitive_distinct(tt, s))))
                return -1;
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
        const double *q = c->ltq[s];
        for (size_t cl = 0; cl < c->nn; cl++) {
            if (c->viol[cl])
                continue;
            const uint64_t *row = c->ltcnt + cl * m;
            double size = (double)c->nsize[cl], h = 0, sum = 1;
            size_t distinct = 0;
            for (size_t v = 0; v < m; v++) {
                if (!row[v])
                    continue;
                double p = (double)row[v] / size;
                distinct++;
                h -= p * log(p);
                sum += fabs(p - q[v]) - q[v];
            }
            double emd = 0.5 * sum;
            emd = emd < 0 ? 0 : emd > 1 ? 1 : emd;
            if (privacy_class_violates(&c->p->req, distinct, exp(h), emd)) {
                c->viol[cl] = 1;
                *supp += c->nsize[cl];
            }
        }
    }
    return 1;
}
