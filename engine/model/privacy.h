/*
 * privacy.h - privacy models measured on an equivalence-class table:
 * k-anonymity, distinct and entropy l-diversity, t-closeness (Earth
 * Mover's Distance, equal or ordered ground distance), prosecutor risk,
 * and which QI drives uniqueness. Definitions: ../shared/docs/DOMAIN.md
 * "Models, precisely"; conventions in README "deid check".
 */
#ifndef DEID_PRIVACY_H
#define DEID_PRIVACY_H

#include <stddef.h>
#include <stdint.h>

#include "classes.h"

typedef enum privacy_l_kind { L_DISTINCT = 0, L_ENTROPY = 1 } privacy_l_kind;

/* What must hold. A zero k, l or t means "not required". */
/* deid check -k 2,5,10,20: at most this many k */
#define PRIVACY_MAX_K_LIST 16

typedef struct privacy_requirement {
    uint64_t k;            /* every class has >= k records */
    double l;              /* every class has l-diversity >= l in every sensitive column */
    privacy_l_kind l_kind;
    double t;              /* every class is within t of the overall distribution */
    uint64_t k_list[PRIVACY_MAX_K_LIST]; /* ascending, distinct: figures at each of these k
                                            too (deid check -k A,B,...); k is the largest */
    size_t n_k_list;
} privacy_requirement;

/* How sensitive column s's values are compared for t-closeness. */
typedef struct privacy_sensitive_spec {
    const char *name;
    int ordered;           /* 1: ordered distance (values sorted numerically when
                              every value is a number, else by bytes); 0: equal distance */
    int ignore_empty;      /* 1: an empty value is left out of l and t, in each class
                              and in the overall distribution; a class with no other
                              value has l = 0 and distance 1 (it fails any l or t).
                              0: an empty value counts as a value (ARX) */
} privacy_sensitive_spec;

#define PRIVACY_HISTOGRAM_BUCKETS 8 /* sizes 1, 2, 3-4, 5-9, 10-19, 20-49, 50-99, 100+ */

typedef struct privacy_sensitive_stats {
    double min_distinct_l;      /* smallest number of distinct values in a class */
    uint64_t classes_below_l;   /* classes under the required l (of the required kind) */
    double min_entropy_l;       /* smallest exp(Shannon entropy, natural log) of a class */
    double max_t;               /* largest EMD between a class and the overall distribution */
    uint64_t classes_above_t;   /* classes over the required t */
} privacy_sensitive_stats;

typedef struct privacy_qi_stats {
    uint64_t distinct;          /* distinct values of the QI */
    uint64_t uniques_freed;     /* unique records that would stop being unique without this QI */
} privacy_qi_stats;

typedef struct privacy_stats {
    uint64_t records;           /* non-suppressed records */
    uint64_t suppressed;
    uint64_t classes;
    uint64_t min_class, max_class;
    double median_class;        /* median of class sizes (mean of the two middle ones) */
    uint64_t histogram[PRIVACY_HISTOGRAM_BUCKETS];
    uint64_t unique_records;    /* records in classes of size 1 */
    uint64_t classes_below_k, records_below_k; /* with the required k, else with k = 5 */
    uint64_t risk_k;            /* the k used for the two figures above and the risk share */
    size_t n_k_list;            /* req->n_k_list: the same two figures at each req->k_list */
    uint64_t k_list[PRIVACY_MAX_K_LIST];
    uint64_t classes_below[PRIVACY_MAX_K_LIST], records_below[PRIVACY_MAX_K_LIST];
    double risk_max;            /* 1 / smallest class */
    double risk_avg;            /* classes / records */
    double risk_share;          /* records whose risk exceeds 1/risk_k, over records */
    size_t n_sensitive;
    privacy_sensitive_stats *sensitive; /* owned */
    size_t n_qi;
    privacy_qi_stats *qi;       /* owned */
    int met;                    /* 1 if every given requirement holds */
} privacy_stats;

/* Measures t against req (req may be NULL: nothing required). spec has
 * class_table_n_sensitive(t) entries. Fills *out (free with
 * privacy_stats_free). Returns 0, or -1 on ENOMEM. */
int privacy_measure(const class_table *t, const privacy_requirement *req,
                    const privacy_sensitive_spec *spec, privacy_stats *out);
void privacy_stats_free(privacy_stats *s);

/* Index of the QI that frees the most unique records (privacy_qi_stats
 * uniques_freed; the first on a tie), or s->n_qi when none frees any:
 * that QI drives the re-identification risk. */
size_t privacy_driving_qi(const privacy_stats *s);

/* Returns 1 when a class with these measures of one sensitive column
 * (distinct values, exp of the Shannon entropy, distance to the overall
 * distribution) breaks req's l or t, with privacy_violations' tolerances;
 * else 0. */
int privacy_class_violates(const privacy_requirement *req, size_t distinct, double entropy_l,
                           double emd);

/* Marks the classes that violate req: violates[c] = 1 for each class c
 * (array of class_table_classes(t) bytes, caller-owned). Returns the number
 * of records in violating classes, or UINT64_MAX on ENOMEM. */
uint64_t privacy_violations(const class_table *t, const privacy_requirement *req,
                            const privacy_sensitive_spec *spec, unsigned char *violates);

/* One class's figures for one sensitive column. */
typedef struct privacy_class_figures {
    uint64_t size;
    size_t distinct_l;          /* distinct values in the class */
    double entropy_l;           /* exp(Shannon entropy, natural log) */
    double distance;            /* EMD to the overall distribution (as privacy_measure) */
} privacy_class_figures;
typedef void (*privacy_class_fn)(void *ctx, uint32_t c, const privacy_class_figures *f);

/* Calls fn for every class c of t with its figures for sensitive column s
 * (spec as for privacy_measure), in class order. Returns 0, or -1 on
 * ENOMEM or when s is out of range. */
int privacy_each_class(const class_table *t, const privacy_sensitive_spec *spec, size_t s,
                       privacy_class_fn fn, void *ctx);

#endif
