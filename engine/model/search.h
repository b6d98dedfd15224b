/* SPDX-License-Identifier: Apache-2.0 */
/*
 * search.h - the optimal generalization search: over the lattice of level
 * combinations (one level per quasi-identifier), find the node with the
 * least information loss whose equivalence classes meet the privacy
 * requirement once the records in violating classes are suppressed, with
 * at most floor(max x records) records suppressed.
 *
 * The search works on the table of distinct level-0 QI tuples with their
 * counts (a class_table), never on the records, so time and memory grow
 * with distinct combinations, not rows.
 */
#ifndef DEID_SEARCH_H
#define DEID_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "classes.h"
#include "deid.h"
#include "privacy.h"

#define SEARCH_MAX_QI 32
#define SEARCH_MAX_ALTERNATIVES 16
/* Lattice nodes (product of the QIs' levels): the search keeps four bits
 * per node (16 MiB at the most) and numbers nodes in 32 bits. */
#define SEARCH_MAX_NODES ((uint64_t)1 << 27)

/* One QI's ladder, over the level-0 value ids of the tuple table's
 * dictionary for that QI (0 .. n_values-1). */
typedef struct search_qi {
    const char *name;
    size_t n_levels;              /* levels 0 .. n_levels-1 (1 for a fixed column) */
    size_t n_values;              /* distinct level-0 values */
    const uint32_t *const *gen;   /* gen[level][v]: id of v's generalization at level */
    const size_t *n_gen;          /* n_gen[level]: number of generalized ids at level */
    const double *const *share;   /* share[level][g]: domain values under g / domain */
    double domain;                /* D: rows of the hierarchy, or distinct input values */
    /* Planner controls (rules: level=auto min= max= weight=). */
    int bounded;                  /* 1: the plan uses only levels min_level .. max_level */
    size_t min_level, max_level;
    double weight;                /* the QI's weight in the loss (> 0); 0 is taken as 1 */
} search_qi;

typedef enum search_metric {
    METRIC_LOSS = 0,              /* ARX's default "loss" (see README "deid plan") */
    METRIC_DISCERNIBILITY = 1     /* sum of squared class sizes + suppressed x records */
} search_metric;

typedef struct search_problem {
    const class_table *tuples;    /* level-0 QI tuples, sizes, sensitive distributions */
    const search_qi *qi;          /* class_table_n_qi(tuples) ladders, same order */
    privacy_requirement req;
    const privacy_sensitive_spec *spec; /* one per sensitive column of tuples */
    double suppress_max;          /* share of records that may be suppressed, 0..1 */
    search_metric metric;
    size_t n_alternatives;        /* next-best feasible nodes to report (<= SEARCH_MAX_ALTERNATIVES) */
    int exhaustive;               /* 1: evaluate every node, no pruning (for tests) */
} search_problem;

typedef struct search_node {
    uint8_t levels[SEARCH_MAX_QI];
    double score;                 /* the metric's value (loss: 0..1) */
    uint64_t suppressed;          /* records suppressed at this node */
    uint64_t classes;             /* classes left after suppression */
    uint64_t min_class;           /* smallest class left (0 if none) */
    uint64_t max_class;           /* largest class left (0 if none) */
    double qi_loss[SEARCH_MAX_QI]; /* metric loss: each QI's loss_j (0..1); else 0 */
    uint64_t cells;               /* how=cell: QI cells the greedy suppresses (else 0) */
    uint64_t cell_records;        /* how=cell: records that lose at least one cell */
} search_node;

typedef struct search_result {
    int found;                    /* 0: no node is feasible, not even the top */
    search_node best;
    search_node alternatives[SEARCH_MAX_ALTERNATIVES]; /* next best feasible, best first */
    size_t n_alternatives;
    uint64_t nodes_total;         /* lattice size */
    uint64_t nodes_evaluated;     /* nodes whose classes were computed */
    uint64_t records;             /* n */
    uint64_t suppression_limit;   /* floor(max x n) */
    uint64_t nodes_greedy;        /* how=cell: nodes the cell greedy was run on */
    uint64_t cell_limit;          /* how=cell: QI cells that may be suppressed */
} search_result;

/* Runs the search. Levels in the result are levels of the ladders (a
 * bounded QI's levels stay within min_level .. max_level). Returns DEID_OK
 * (found or not), DEID_E_USAGE for an inconsistent problem, DEID_E_IO on
 * ENOMEM. */
deid_status search_run(const search_problem *p, search_result *out, deid_error *err);

/* One node evaluated on its own, for explaining a plan: every record a
 * violating class holds is counted (also past the limit), and the score
 * and classes are those the node would have once they are suppressed. */
typedef struct search_probe {
    search_node node;             /* levels in (the caller's); the rest out */
    int feasible;                 /* suppressed <= the limit */
} search_probe;

/* Evaluates the n nodes of probes (their levels set by the caller; the
 * QIs' bounds are ignored) for problem p. Returns DEID_OK, DEID_E_USAGE
 * for an inconsistent problem or a level outside a ladder, DEID_E_IO on
 * ENOMEM. */
deid_status search_probe_nodes(const search_problem *p, search_probe *probes, size_t n,
                               deid_error *err);

/* The loss metric of a node from each QI's sum of shares agg[j] over its
 * n records (a suppressed record or cell counts 1), as the search scores
 * nodes (README "deid plan"): fills qi_loss (one per QI of p) and returns
 * the weighted combination. */
double search_loss_score(const search_problem *p, const double *agg, double n, double *qi_loss);

/* ---- the search with cell suppression (search_cells.c) ---- */

/* Applies the cell greedy at node->levels (ladder levels) and fills the
 * rest of *node (score with the cells suppressed, cells, classes as
 * written); *feasible: the cells are within the limit. Returns DEID_OK or
 * the caller's error. */
typedef deid_status (*search_cells_fn)(void *ctx, search_node *node, int *feasible,
                                       deid_error *err);

typedef struct search_cells_hooks {
    search_cells_fn apply;
    void *ctx;
    uint64_t cell_limit;          /* QI cells that may be suppressed */
    /* token_at[q][level] (ladder levels): some level-0 value of QI q is
     * the suppression token at that level. A node where every QI's level
     * has it may hold an all-token class, which costs no cell. */
    const unsigned char *token_at[SEARCH_MAX_QI];
    int token_absorbs;            /* a value that is the token at a level is it at every
                                     higher level too */
} search_cells_hooks;

/* Runs the search for the node of least score when violating classes
 * lose QI cells (the hook's greedy) instead of records: nodes leave the
 * heap in increasing lower bound, a node whose records in violating
 * classes alone pass the cell limit is skipped without the greedy (each
 * such record loses at least one cell), and the greedy decides the rest
 * (README "Cell suppression"). Fills out as search_run does, with
 * nodes_greedy. Returns DEID_OK, DEID_E_USAGE, DEID_E_IO on ENOMEM, or
 * what the hook returned. */
deid_status search_cells_run(const search_problem *p, const search_cells_hooks *h,
                             search_result *out, deid_error *err);

#endif
