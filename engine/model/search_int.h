/* SPDX-License-Identifier: Apache-2.0 */
/*
 * search_int.h - what search.c (the lattice walk), search_prepare.c (its
 * set-up) and search_eval.c (the classes of one node) share. Private to
 * those three files.
 */
#ifndef DEID_SEARCH_INT_H
#define DEID_SEARCH_INT_H

#include <stddef.h>
#include <stdint.h>

#include "search.h"

/* The classes of one node. A class is identified by its code: the
 * generalized value of every QI in a bit field of its own (QI j at bit
 * sh[j]), so that raising a QI's level rewrites one field. The tuples
 * (the "bottom") hold level-0 value ids in their fields, and also as rep
 * rows for what needs them one QI at a time. */
typedef struct search_cls {
    uint8_t lv[SEARCH_MAX_QI];
    int bottom;                    /* the tuples: fields hold value ids */
    size_t n;
    uint64_t *code;                /* n (packed mode) */
    uint32_t *rep;                 /* bottom only: n x m value ids */
    uint64_t *size;                /* n */
    uint32_t *tmap;                /* tuple -> class (l/t only); NULL: identity */
    size_t bytes;
    uint64_t used;                 /* clock of the last use, for eviction */
} search_cls;

#define SEARCH_CACHE_ENTRIES 256

typedef struct search_hslot {
    uint64_t key;
    uint32_t cls;                  /* new class + 1, 0 = empty */
} search_hslot;

typedef struct search_eval {
    int feasible, zero;            /* zero: no class violates */
    int k_over;                    /* the records in classes under k alone pass the limit:
                                      so they do at every more specific node (a class there
                                      lies inside one here), whatever l and t say */
    uint64_t suppressed, classes, min_class, max_class, dm;
    double score;
    double qi_loss[SEARCH_MAX_QI]; /* metric loss only */
    uint64_t cells, cell_records;  /* how=cell (search_cells.c) */
} search_eval;

typedef struct search_cand {
    search_node node;
    uint64_t dm;
    unsigned sum;
    int pending;                   /* score from the bound; details not computed yet */
} search_cand;

typedef struct search_hent {
    double key;                    /* node_key, ordering the heap */
    uint32_t idx;
} search_hent;

typedef struct search_ctx {
    const search_problem *p;
    size_t m, T, ns, K;
    double wsum;                   /* sum of the QIs' weights (m when all are 1) */
    uint64_t n, n0, pre, limit;
    int lt;                        /* l or t required */
    int nested;                    /* every ladder nests: roll-up and inference */
    int packed;                    /* class codes fit 64 bits */
    uint64_t seed;
    unsigned sh[SEARCH_MAX_QI];
    uint64_t mask[SEARCH_MAX_QI];
    uint32_t **comp[SEARCH_MAX_QI]; /* comp[j][a * nl + b]: level a id -> level b id, on demand */
    unsigned nl[SEARCH_MAX_QI];
    uint64_t *cnt[SEARCH_MAX_QI];  /* scratch: records per generalized value */
    search_cls bottom;
    search_cls base;               /* node 0..0 once evaluated (cached mode) */
    search_cls cache[SEARCH_CACHE_ENTRIES];
    size_t n_cache, cache_bytes;
    uint64_t clock;
    /* roll-up scratch, sized for the tuples; code, ncode, nsize, nslot,
     * hix, smap and viol are one block, allocated as code */
    search_hslot *hs;              /* all empty between roll-ups */
    size_t hs_cap;
    uint32_t *nslot;               /* per new class: its slot in hs */
    uint64_t *code;                /* per source class: its code at the target */
    uint32_t *hix;                 /* per source class: its home slot */
    uint32_t *ngk;                 /* wide mode: n x m generalized ids */
    uint64_t *ncode, *nsize;       /* per new class */
    uint32_t *smap, *ntmap;
    unsigned char *viol;
    size_t nn;
    /* the roll-up under way: QIs whose field changes, table size */
    size_t rw_n;
    const uint32_t *rw_tab[SEARCH_MAX_QI];
    unsigned rw_sh[SEARCH_MAX_QI];
    uint64_t rw_mask[SEARCH_MAX_QI];
    unsigned rw_bits;
    const search_cls *src;         /* the source of the last roll-up */
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
    /* search_lt.c: 0 until its first node, then 1 (it serves) or -1; per
     * sensitive column the overall shares, the hierarchical distance's
     * tree counts (NULL for equal) and the ignored empty value's id (-1
     * for none); the dense class counts */
    int lt_fast;
    double **ltq;
    struct hier_prep **lthier;
    int64_t *ltskip;
    uint64_t *ltcnt;
    size_t lt_cap;
    uint64_t evaluated;

    /* the walk (search.c) */
    int mono;                      /* infeasibility passes down the lattice */
    uint64_t total;
    uint64_t stride[SEARCH_MAX_QI];
    double *fac[SEARCH_MAX_QI];    /* per level: loss_j unsuppressed, or 1/n_gen */
    uint8_t *rank_lv[SEARCH_MAX_QI];
    uint8_t *lv_rank[SEARCH_MAX_QI];
    size_t climb_order[SEARCH_MAX_QI];
    uint8_t *inf, *feas, *zero, *done; /* marks, by level-space index; one
                                          block, allocated as inf */
    /* climbs pay while they mark more nodes the heap would still hand
     * out than they cost evaluations */
    int climbing, counting;
    double count_lo;
    uint64_t counted, climb_cost, climb_gain;
    uint32_t *stack;
    size_t stack_n, stack_cap;
    search_hent *heap;
    size_t heap_n, heap_cap;
    search_cand top[1 + SEARCH_MAX_ALTERNATIVES];
    size_t n_top;
} search_ctx;

/* Checks p (ladders, limits, metric, requirement) and sets up the walk
 * in c (zeroed by the caller): lattice size and strides, suppression
 * limit, inference flags, marks, bound factors and level ranks, climb
 * order, and evaluation (search_eval_prepare). c keeps pointers into p.
 * Returns DEID_OK, DEID_E_USAGE for a problem it cannot search, or
 * DEID_E_IO (out of memory, no random seed), filling err. */
deid_status search_prepare(search_ctx *c, const search_problem *p, deid_error *err);

/* Copies p to *out with each bounded QI's ladder cut to its allowed
 * levels (qi: m entries, the caller's, which out->qi points to). Returns
 * DEID_OK, or DEID_E_USAGE for bounds outside a ladder. */
deid_status search_bounds_slice(const search_problem *p, search_problem *out,
                                search_qi *qi, size_t m, deid_error *err);
/* Turns node's levels in the sliced problem back into p's ladder levels. */
void search_bounds_unshift(const search_problem *p, size_t m, search_node *node);

/* The two ends every walk shares. search_start checks p, slices its
 * bounds into *sliced (ladders in sliced_qi, SEARCH_MAX_QI entries, both
 * the caller's and alive until the walk ends), and prepares a new context
 * on it; it zeroes *out and fills its totals. Returns DEID_OK with *c the
 * caller's (search_ctx_free), or an error with *c NULL. */
deid_status search_start(const search_problem *p, search_problem *sliced,
                         search_qi *sliced_qi, search_ctx **c, search_result *out,
                         deid_error *err);
/* Copies the kept best nodes of c into out, in p's ladder levels. */
void search_finish(const search_ctx *c, const search_problem *p, search_result *out);

/* search.c's walk, for the cell-suppression walk (search_cells.c). */
/* Pushes node lv on the heap by its key. Returns 0, or -1 on ENOMEM. */
int search_walk_push(search_ctx *c, const uint8_t *lv);
/* Pops the node of least key into *e. Returns 0 when the heap is empty. */
int search_walk_pop(search_ctx *c, search_hent *e);
/* The node key's bound on the score, and the node's key. */
double search_walk_bound(const search_ctx *c, double key);
double search_walk_key(const search_ctx *c, const uint8_t *lv);
/* Whether a node with bound b can no longer enter the kept best, and the
 * key past which no node can. */
int search_walk_beyond(const search_ctx *c, double b);
double search_walk_prune_key(const search_ctx *c);
/* Offers node lv with r's figures to the kept best. */
void search_walk_offer(search_ctx *c, const uint8_t *lv, const search_eval *r);
/* A node's index in the marks, and its levels from the index. */
uint64_t search_walk_index(const search_ctx *c, const uint8_t *lv);
void search_walk_levels(const search_ctx *c, uint64_t idx, uint8_t *lv);
/* Marks node idx and its down-set in c->inf. Returns 0, or -1 on ENOMEM. */
int search_walk_mark_down(search_ctx *c, uint64_t idx);
/* Pushes the children of popped node lv (its rank vector's canonical
 * children whose key is not past past). Returns 0, or -1 on ENOMEM. */
int search_walk_children(search_ctx *c, uint8_t *lv, double past);

/* Frees c (from calloc) and all that search_prepare and the walk
 * allocated. */
void search_ctx_free(search_ctx *c);

/* Sets up evaluation for c (p, m, T, ns, n, n0, pre, limit, lt, nested
 * and nl filled): the tuples, their codes, the scratch. Returns 0, or -1
 * on ENOMEM. */
int search_eval_prepare(search_ctx *c);

/* search_lt.c: after a node's roll-up (ntmap, nsize and the k marks in
 * viol set), marks the classes that break l or t and adds their records
 * to *supp, as eval_lt would. Returns 1 when done, 0 when the problem
 * needs the general path (ordered distance, too many cells,
 * DEID_LT_FAST_PATH=0 in the environment), -1 on ENOMEM. */
int search_lt_fast(search_ctx *c, uint64_t *supp);
/* Frees what search_lt_fast allocated in c. */
void search_lt_free(search_ctx *c);

/* Frees what search_eval_prepare and evaluations allocated. */
void search_eval_free(search_ctx *c);

/* Computes node lv's classes (from the cheapest cached node below it when
 * use_cache, else from the tuples), its suppression and, when feasible,
 * its score and kept classes; keeps the classes for later when use_cache.
 * Returns 0, or -1 on ENOMEM. */
int search_eval_node(search_ctx *c, const uint8_t *lv, int use_cache, search_eval *r);

/* ARX's per-QI loss from the sum of shares agg (suppressed records count
 * 1), truncated to 10 decimals. */
double search_qi_loss(double agg, double n, double d);
/* A QI's factor in the loss: (1 + loss_j)^weight (exactly 1 + loss_j at
 * weight 1, so that unweighted plans keep ARX's figures to the bit). */
double search_factor(double loss, double weight);
/* The weighted geometric mean over the m QIs of p: (prod of the factors
 * in QI order)^(1/wsum) - 1. */
double search_combine(const search_problem *p, const double *l, size_t m, double wsum);
/* The weight of QI q (0 in the problem means 1). */
double search_weight(const search_qi *q);

/* Sum of count x share over n_gen generalized values in id order, clearing
 * the counts: an order that does not depend on how classes were found. */
double search_share_sum(uint64_t *cnt, const double *share, size_t n_gen);

#endif
