/* SPDX-License-Identifier: Apache-2.0 */
/*
 * utility.h - utility metrics of de-identified quasi-identifiers relative
 * to their source: what the de-identification cost (README "Utility").
 *
 * A utility_counter is fed one record at a time (or a group of equal
 * records), per QI the source value and the value delivered for it, and
 * keeps per QI only the distinct (source value, delivered value) pairs
 * with their counts, so memory grows with distinct values, like a class
 * table, never with records; it charges the caller's memory budget.
 * utility_compute turns the pairs, the delivered file's class table and
 * what the caller knows of hierarchy levels into utility_figures, the
 * struct every report (text, JSON, HTML) reads.
 */
#ifndef DEID_UTILITY_H
#define DEID_UTILITY_H

#include <stddef.h>
#include <stdint.h>

#include "classes.h"
#include "membudget.h"

typedef struct utility_counter utility_counter;

enum { UTILITY_OK = 0, UTILITY_ENOMEM = -1, UTILITY_EFULL = -2, UTILITY_EBUDGET = -3 };

/* How a record's QI value was delivered. */
typedef enum utility_fate {
    UTILITY_KEPT = 0,       /* delivered as the given value (generalized or not) */
    UTILITY_SUPPRESSED = 1, /* the record is suppressed: all its QIs are the token */
    UTILITY_REMOVED = 2     /* the record was left out (how=record): no delivered value */
} utility_fate;

/* Returns an empty counter for n_qi (>= 1) QIs that charges budget
 * (borrowed, may be NULL) for what it holds, or NULL on ENOMEM. Free with
 * utility_counter_free (NULL does nothing). */
utility_counter *utility_counter_new(size_t n_qi, mem_budget *budget);
void utility_counter_free(utility_counter *u);

/* Counts count records whose QI q had source value src and was delivered
 * as out (ignored for UTILITY_REMOVED; for UTILITY_SUPPRESSED, the token).
 * Values are borrowed. Returns UTILITY_OK, UTILITY_ENOMEM, UTILITY_EFULL
 * (more than DEID_MAX_CLASSES distinct values or pairs) or UTILITY_EBUDGET;
 * after an error the counter is safe to free but its figures are not
 * meaningful. */
int utility_counter_add(utility_counter *u, size_t q, xf_value src, xf_value out,
                        utility_fate fate, uint64_t count);

/* Bytes the counter holds (what it charges its budget). */
size_t utility_counter_memory(const utility_counter *u);

/* Per QI. A figure that cannot be known is NAN (reports print null). */
typedef struct utility_qi {
    uint64_t distinct_before;   /* distinct source values */
    uint64_t distinct_after;    /* distinct delivered values (token included) */
    double entropy_before;      /* Shannon entropy of the source column, bits */
    double entropy_after;       /* of the delivered column (records left out: not in it) */
    double nu_entropy;          /* non-uniform entropy, bits, summed over records */
    double precision_loss;      /* mean over records of level / height (suppressed: 1) */
} utility_qi;

/* The generalization level of QI q's source value src delivered as out
 * (a record that is not suppressed): sets *level and *height (the
 * ladder's levels - 1; 0 for a value kept whole) and returns 1, or returns
 * 0 when it is not known; precision is then not defined for that QI. */
typedef int (*utility_level_fn)(void *ctx, size_t q, xf_value src, xf_value out, size_t *level,
                                size_t *height);

/* One level per QI for every value (a full-domain generalization):
 * utility_fixed_levels is a utility_level_fn whose ctx is an array of
 * n_qi of these. */
typedef struct utility_level {
    int known;
    size_t level, height;
} utility_level;
int utility_fixed_levels(void *ctx, size_t q, xf_value src, xf_value out, size_t *level,
                         size_t *height);

typedef struct utility_figures {
    uint64_t records;           /* n: source records */
    uint64_t suppressed;        /* records suppressed or left out */
    uint64_t classes;           /* classes of the delivered records (suppressed ones apart) */
    double discernibility;      /* sum of squared class sizes + n x suppressed (ARX's DM*) */
    double avg_class_size;      /* n / (classes + 1 if any record is suppressed) (ARX's AECS) */
    uint64_t k;                 /* the k of c_avg (0: none required) */
    double c_avg;               /* avg_class_size / k (LeFevre's normalized C_AVG); NAN without k */
    double nu_entropy;          /* sum over QIs */
    double precision;           /* Sweeney's Prec: 1 - mean over QIs of precision_loss; NAN
                                   unless every QI's level is known */
    double loss;                /* ARX's Loss of the plan's node; NAN without a plan */
    size_t n_qi;
    utility_qi *qi;             /* owned; free with utility_figures_free */
} utility_figures;

/* Computes the figures from the pairs of u, the sizes of the n_classes
 * classes of the delivered records that are not suppressed (sizes
 * borrowed; every other record counts as suppressed), the k required (0:
 * none) and the level of each delivered value (level_of, called once per
 * distinct pair with ctx; NULL: precision unknown). loss is copied as
 * given. Returns 0 and fills *f (free with utility_figures_free), or -1
 * on ENOMEM. */
int utility_compute(const utility_counter *u, const uint64_t *sizes, size_t n_classes, uint64_t k,
                    utility_level_fn level_of, void *ctx, double loss, utility_figures *f);
/* The sizes of t's classes (suppressed records apart) for utility_compute:
 * a malloc'd array of class_table_classes(t) entries, or NULL on ENOMEM. */
uint64_t *utility_class_sizes(const class_table *t);
void utility_figures_free(utility_figures *f);

#endif
