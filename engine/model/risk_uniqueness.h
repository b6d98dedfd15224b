/* SPDX-License-Identifier: Apache-2.0 */
/*
 * risk_uniqueness.h - population uniqueness estimated from a sample's
 * class-size frequencies and the sampling fraction: the Zayatz (1991),
 * Pitman (1996) and SNB (Chen & McNulty 1998) models and the decision rule
 * of Dankar et al. (2012) that picks among them, defined as ARX 3.9.2
 * (RiskModelPopulationUniqueness) defines them. Formulas: README "Risk
 * models".
 *
 * Pure arithmetic on a histogram; nothing here reads data or allocates
 * beyond the call.
 */
#ifndef DEID_RISK_UNIQUENESS_H
#define DEID_RISK_UNIQUENESS_H

#include <stddef.h>
#include <stdint.h>

/* One bar of a class-size histogram: `classes` classes of `size` records. */
typedef struct risk_size_count {
    uint64_t size;
    uint64_t classes;
} risk_size_count;

typedef enum risk_model {
    RISK_ZAYATZ = 0,
    RISK_PITMAN = 1,
    RISK_SNB = 2,
    RISK_N_MODELS = 3,
    RISK_NO_MODEL = -1 /* the decision rule picked none (no sample uniques) */
} risk_model;

/* One model's estimate. */
typedef struct risk_estimate {
    int available;       /* 1: the model gave a usable estimate */
    double uniques;      /* estimated unique records in the population; 0 when not available */
    double share;        /* uniques / population size; 0 when not available */
    const char *reason;  /* static text when not available, else NULL */
} risk_estimate;

typedef struct risk_uniqueness {
    double sampling_fraction;    /* as given */
    uint64_t population;         /* population size: round(records / sampling_fraction) */
    risk_estimate model[RISK_N_MODELS];
    risk_model picked;           /* the decision rule's choice */
    risk_estimate decision;      /* the picked model's estimate (all 0 without sample uniques) */
} risk_uniqueness;

/* Lower-case name of a model ("zayatz", "pitman", "snb"), or "none". */
const char *risk_model_name(risk_model m);

/* Estimates population uniqueness from hist[0..n) (sizes ascending, each
 * size once, classes > 0; records = sum of size * classes) for sampling
 * fraction f (0 < f <= 1). Fills *out. Returns 0, or -1 when the
 * arguments cannot describe a sample (no records, f out of range, sizes
 * not ascending, a population size above 2^53). */
int risk_uniqueness_estimate(const risk_size_count *hist, size_t n, double f,
                             risk_uniqueness *out);

/* The models one at a time, for tests: each returns the estimated number
 * of population uniques, or NaN when the model does not give one (then
 * *reason, if not NULL, says why). records, population and the histogram
 * as for risk_uniqueness_estimate. */
double risk_zayatz(const risk_size_count *hist, size_t n, double records, double population,
                   const char **reason);
double risk_pitman(const risk_size_count *hist, size_t n, double records, double population,
                   const char **reason);
double risk_snb(const risk_size_count *hist, size_t n, double records, double population,
                const char **reason);

/* The digamma and trigamma functions (NaN at 0, -1, -2, ... and for
 * infinities and NaN). */
double risk_digamma(double x);
double risk_trigamma(double x);

#endif
