/* SPDX-License-Identifier: Apache-2.0 */
/*
 * utility.c - utility metrics (utility.h): per QI, the distinct (source
 * value, delivered value, fate) triples with their counts, and the
 * figures computed from them. Definitions: README "Utility"; they follow
 * ARX's MetricSDDiscernability, MetricSDAECS, MetricMDNUEntropy and
 * MetricMDPrecision, with the differences the README states.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "deid_limits.h"
#include "strmap.h"
#include "utility.h"

/* One QI: dictionaries of source and delivered values, and the pairs. */
typedef struct utility_column {
    strmap *src, *out, *pairs;
    uint64_t *src_count, *out_count, *pair_count; /* by id (insertion order) */
    size_t src_cap, out_cap, pair_cap;
} utility_column;

struct utility_counter {
    size_t n_qi;
    utility_column *col;
    mem_budget *budget;
    size_t charged;             /* bytes of the count arrays charged to budget */
};

/* A pair's key: source id, delivered id (UINT32_MAX when left out), fate. */
#define PAIR_KEY_LEN 9

static void pair_key(unsigned char *key, uint32_t s, uint32_t o, utility_fate fate)
{
    memcpy(key, &s, 4);
    memcpy(key + 4, &o, 4);
    key[8] = (unsigned char)fate;
}

static void pair_unkey(const char *key, uint32_t *s, uint32_t *o, utility_fate *fate)
{
    memcpy(s, key, 4);
    memcpy(o, key + 4, 4);
    *fate = (utility_fate)(unsigned char)key[8];
}

/* The source id, output id and fate of column c's pair i. */
static void pair_at(const utility_column *c, size_t i, uint32_t *s, uint32_t *o,
                    utility_fate *fate)
{
    const char *key;
    strmap_entry(c->pairs, i, &key, NULL, NULL);
    pair_unkey(key, s, o, fate);
}

utility_counter *utility_counter_new(size_t n_qi, mem_budget *budget)
{
    if (n_qi == 0 || n_qi > DEID_MAX_FIELDS)
        return NULL;
    utility_counter *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->n_qi = n_qi;
    u->budget = budget;
    u->col = calloc(n_qi, sizeof *u->col);
    if (!u->col) {
        free(u);
        return NULL;
    }
    for (size_t q = 0; q < n_qi; q++) {
        utility_column *c = &u->col[q];
        c->src = strmap_new(DEID_MAX_CLASSES);
        c->out = strmap_new(DEID_MAX_CLASSES);
        c->pairs = strmap_new(DEID_MAX_CLASSES);
        if (!c->src || !c->out || !c->pairs || strmap_set_budget(c->src, budget) ||
            strmap_set_budget(c->out, budget) || strmap_set_budget(c->pairs, budget)) {
            utility_counter_free(u);
            return NULL;
        }
    }
    return u;
}

void utility_counter_free(utility_counter *u)
{
    if (!u)
        return;
    for (size_t q = 0; q < u->n_qi; q++) {
        utility_column *c = &u->col[q];
        strmap_free(c->src);
        strmap_free(c->out);
        strmap_free(c->pairs);
        free(c->src_count);
        free(c->out_count);
        free(c->pair_count);
    }
    mem_budget_release(u->budget, u->charged);
    free(u->col);
    free(u);
}

size_t utility_counter_memory(const utility_counter *u)
{
    size_t bytes = sizeof *u + u->n_qi * sizeof *u->col + u->charged;
    for (size_t q = 0; q < u->n_qi; q++)
        bytes += strmap_memory(u->col[q].src) + strmap_memory(u->col[q].out) +
                 strmap_memory(u->col[q].pairs);
    return bytes;
}

/* Makes (*a)[id] exist (zeroed when new), doubling, charging the budget. */
static int grow(utility_counter *u, uint64_t **a, size_t *cap, size_t id)
{
    if (id < *cap)
        return UTILITY_OK;
    size_t n = *cap ? *cap * 2 : 64;
    while (n <= id)
        n *= 2;
    size_t more = (n - *cap) * sizeof **a;
    if (mem_budget_charge(u->budget, more))
        return UTILITY_EBUDGET;
    uint64_t *p = realloc(*a, n * sizeof *p);
    if (!p) {
        mem_budget_release(u->budget, more);
        return UTILITY_ENOMEM;
    }
    memset(p + *cap, 0, more);
    u->charged += more;
    *a = p;
    *cap = n;
    return UTILITY_OK;
}

static int map_error(int rc)
{
    return rc == STRMAP_EBUDGET ? UTILITY_EBUDGET
           : rc == STRMAP_EFULL ? UTILITY_EFULL
                                : UTILITY_ENOMEM;
}

/* The id of key in m (added when new), its count slot grown. */
static int intern(utility_counter *u, strmap *m, uint64_t **counts, size_t *cap, const void *key,
                  size_t len, uint32_t *id)
{
    int rc = strmap_put(m, key, len, (uint32_t)strmap_count(m), id);
    if (rc < 0)
        return map_error(rc);
    return grow(u, counts, cap, *id);
}

int utility_counter_add(utility_counter *u, size_t q, xf_value src, xf_value out,
                        utility_fate fate, uint64_t count)
{
    if (count == 0)
        return UTILITY_OK;
    utility_column *c = &u->col[q];
    uint32_t s, o = UINT32_MAX, p;
    int rc = intern(u, c->src, &c->src_count, &c->src_cap, src.data, src.len, &s);
    if (!rc && fate != UTILITY_REMOVED)
        rc = intern(u, c->out, &c->out_count, &c->out_cap, out.data, out.len, &o);
    unsigned char key[PAIR_KEY_LEN];
    pair_key(key, s, o, fate);
    if (!rc)
        rc = intern(u, c->pairs, &c->pair_count, &c->pair_cap, key, sizeof key, &p);
    if (rc)
        return rc;
    c->src_count[s] += count;
    if (o != UINT32_MAX)
        c->out_count[o] += count;
    c->pair_count[p] += count;
    return UTILITY_OK;
}

/* Shannon entropy in bits of n_values counts summing to total. */
static double shannon_bits(const uint64_t *counts, size_t n_values, uint64_t total)
{
    double h = 0;
    for (size_t v = 0; v < n_values; v++)
        if (counts[v]) {
            double p = (double)counts[v] / (double)total;
            h -= p * log2(p);
        }
    return h;
}

/* Non-uniform entropy of one QI: sum over records of
 * -log2(P(source value) / P(source values delivered as the same value)),
 * both from the source's frequencies; a suppressed or left-out record
 * counts as delivered as "*", which stands for every value (P = 1). */
static int nu_entropy(const utility_column *c, uint64_t n, double *out)
{
    size_t n_out = strmap_count(c->out);
    double *group = calloc(n_out ? n_out : 1, sizeof *group);
    if (!group)
        return -1;
    for (size_t i = 0; i < strmap_count(c->pairs); i++) {
        uint32_t s, o;
        utility_fate fate;
        pair_at(c, i, &s, &o, &fate);
        if (fate == UTILITY_KEPT)
            group[o] += (double)c->src_count[s]; /* each (s, o) pair is held once */
    }
    double sum = 0;
    for (size_t i = 0; i < strmap_count(c->pairs); i++) {
        uint32_t s, o;
        utility_fate fate;
        pair_at(c, i, &s, &o, &fate);
        double whole = fate == UTILITY_KEPT ? group[o] : (double)n;
        sum -= (double)c->pair_count[i] * log2((double)c->src_count[s] / whole);
    }
    free(group);
    *out = sum == 0 ? 0 : sum; /* no -0 in reports */
    return 0;
}

uint64_t *utility_class_sizes(const class_table *t)
{
    size_t n = class_table_classes(t);
    uint64_t *sizes = malloc((n ? n : 1) * sizeof *sizes);
    for (uint32_t c = 0; sizes && c < n; c++)
        sizes[c] = class_table_size(t, c);
    return sizes;
}

int utility_fixed_levels(void *ctx, size_t q, xf_value src, xf_value out, size_t *level,
                         size_t *height)
{
    const utility_level *lv = (const utility_level *)ctx + q;
    (void)src;
    (void)out;
    *level = lv->level;
    *height = lv->height;
    return lv->known;
}

/* Precision loss of one QI: the mean over records of level / height, a
 * suppressed or left-out record counting 1; NAN when a level is unknown. */
static double precision_loss(const utility_column *c, size_t q, uint64_t n,
                             utility_level_fn level_of, void *ctx)
{
    if (!level_of || n == 0)
        return NAN;
    double sum = 0;
    for (size_t i = 0; i < strmap_count(c->pairs); i++) {
        uint32_t s, o;
        utility_fate fate;
        pair_at(c, i, &s, &o, &fate);
        if (fate != UTILITY_KEPT) {
            sum += (double)c->pair_count[i];
            continue;
        }
        xf_value sv, ov;
        strmap_entry(c->src, s, &sv.data, &sv.len, NULL);
        strmap_entry(c->out, o, &ov.data, &ov.len, NULL);
        size_t level, height;
        if (!level_of(ctx, q, sv, ov, &level, &height))
            return NAN;
        if (height)
            sum += (double)c->pair_count[i] * (double)level / (double)height;
    }
    return sum / (double)n;
}

int utility_compute(const utility_counter *u, const uint64_t *sizes, size_t n_classes, uint64_t k,
                    utility_level_fn level_of, void *ctx, double loss, utility_figures *f)
{
    memset(f, 0, sizeof *f);
    f->n_qi = u->n_qi;
    f->qi = calloc(u->n_qi, sizeof *f->qi);
    if (!f->qi)
        return -1;
    const utility_column *c0 = &u->col[0];
    for (size_t v = 0; v < strmap_count(c0->src); v++)
        f->records += c0->src_count[v];
    uint64_t kept_records = 0;
    double dm = 0;
    for (size_t c = 0; c < n_classes; c++) {
        kept_records += sizes[c];
        dm += (double)sizes[c] * (double)sizes[c];
    }
    /* suppressed: records in no class (the token rows, records left out) */
    f->suppressed = f->records > kept_records ? f->records - kept_records : 0;
    f->classes = n_classes;
    double n = (double)f->records;
    dm += n * (double)f->suppressed;
    f->discernibility = dm;
    double groups = (double)f->classes + (f->suppressed ? 1 : 0);
    f->avg_class_size = groups > 0 ? n / groups : NAN;
    f->k = k;
    f->c_avg = k ? f->avg_class_size / (double)k : NAN;
    f->loss = loss;
    double precision_sum = 0;
    int precision_known = 1;
    for (size_t q = 0; q < u->n_qi; q++) {
        const utility_column *c = &u->col[q];
        utility_qi *fq = &f->qi[q];
        uint64_t after = 0;
        for (size_t v = 0; v < strmap_count(c->out); v++)
            after += c->out_count[v];
        fq->distinct_before = strmap_count(c->src);
        fq->distinct_after = strmap_count(c->out);
        fq->entropy_before = shannon_bits(c->src_count, strmap_count(c->src), f->records);
        fq->entropy_after = after ? shannon_bits(c->out_count, strmap_count(c->out), after) : 0;
        if (nu_entropy(c, f->records, &fq->nu_entropy)) {
            utility_figures_free(f);
            return -1;
        }
        f->nu_entropy += fq->nu_entropy;
        fq->precision_loss = precision_loss(c, q, f->records, level_of, ctx);
        precision_known &= !isnan(fq->precision_loss);
        precision_sum += precision_known ? fq->precision_loss : 0;
    }
    f->precision = precision_known && u->n_qi ? 1 - precision_sum / (double)u->n_qi : NAN;
    return 0;
}

void utility_figures_free(utility_figures *f)
{
    if (!f)
        return;
    free(f->qi);
    f->qi = NULL;
    f->n_qi = 0;
}
