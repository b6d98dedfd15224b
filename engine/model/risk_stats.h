/* SPDX-License-Identifier: Apache-2.0 */
/*
 * risk_stats.h - re-identification risk beyond prosecutor risk, measured
 * on an equivalence-class table: sample uniques and records in small
 * classes, journalist and marketer risk (from population class sizes when
 * the caller has them, else with the sample as population, as ARX does),
 * and population uniqueness estimated from the sampling fraction
 * (risk_uniqueness.h). Definitions: README "Risk models".
 */
#ifndef DEID_RISK_STATS_H
#define DEID_RISK_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "classes.h"
#include "risk_uniqueness.h"

/* The class sizes whose records are counted "in classes below" them. */
#define RISK_SMALL_SIZES 3
extern const uint64_t risk_small_sizes[RISK_SMALL_SIZES]; /* 2, 5, 10 */

typedef struct risk_stats {
    uint64_t records;              /* records in classes (suppressed ones are in none) */
    uint64_t classes;
    uint64_t risk_k;               /* the threshold is 1 / risk_k (privacy_stats.risk_k) */
    uint64_t sample_uniques;       /* records alone in their class */
    double sample_uniqueness;      /* sample_uniques / records */
    uint64_t records_below[RISK_SMALL_SIZES]; /* records in classes smaller than 2, 5, 10 */
    double share_below[RISK_SMALL_SIZES];     /* ... over records */

    /* Journalist risk of a record: 1 / F, F the size of its class in the
     * population (the class's sample size when there is no population). */
    int from_population;           /* 1: F came from population counts */
    uint64_t population_smallest;  /* smallest F of a sample class */
    double journalist_max;         /* 1 / smallest F */
    double journalist_avg;         /* mean over records of 1 / F */
    uint64_t journalist_above;     /* records whose 1 / F exceeds 1 / risk_k */
    double journalist_share;       /* ... over records */
    /* Marketer risk: the expected share of records re-identified by
     * matching all of them, (1/n) sum over classes of size / F (classes /
     * records without a population). */
    double marketer;

    int estimated;                 /* 1: uniqueness holds estimates */
    risk_uniqueness uniqueness;
} risk_stats;

/* Measures t. population (NULL: none) holds one count per class of t
 * (class_table_classes(t) entries, each >= the class's size: the caller
 * checks that). sampling_fraction 0 skips population uniqueness, else it
 * is in (0, 1]. risk_k (>= 1) sets the threshold 1 / risk_k. Fills *out.
 * Returns 0, -1 on ENOMEM, -2 when sampling_fraction is out of range. */
int risk_measure(const class_table *t, uint64_t risk_k, const uint64_t *population,
                 double sampling_fraction, risk_stats *out);

/* The class-size histogram of t (sizes ascending, each once), allocated
 * into *out (free with free()), *n bars. Returns 0, or -1 on ENOMEM. */
int risk_histogram(const class_table *t, risk_size_count **out, size_t *n);

#endif
