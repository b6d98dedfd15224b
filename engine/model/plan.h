/*
 * plan.h - from a run's level-0 tuple table and its rules' generalization
 * ladders to a search problem (search.h): for every quasi-identifier, the
 * generalized id of each level-0 value at each level, and each generalized
 * value's share of the domain for the loss metric.
 */
#ifndef DEID_PLAN_H
#define DEID_PLAN_H

#include "classes.h"
#include "search.h"
#include "transform.h"

typedef struct plan_ladders plan_ladders;

/* One QI as the plan sees it: its name and transform (state may have a
 * ladder; a transform without one, or with a fixed level, is one level). */
typedef struct plan_column {
    const char *name;
    const transform_ops *ops;
    const void *state;
    const char *error_token; /* on-error=suppress: the token the run writes for a value the
                                ladder cannot handle, at every level (NULL: such a value is
                                an error) */
    int bounded;             /* level=auto min= max=: the plan stays within these levels */
    size_t min_level, max_level;
    double weight;           /* weight= in the loss (0: 1) */
} plan_column;

/* Builds the ladders of the n QIs of t (level-0 values). Every level-0
 * value is generalized with the transform's apply_level; a value the
 * ladder cannot handle is DEID_E_DATA naming the column. Returns DEID_OK
 * and *out (free with plan_ladders_free), DEID_E_IO on ENOMEM. */
deid_status plan_ladders_build(const class_table *t, const plan_column *cols, size_t n,
                               plan_ladders **out, deid_error *err);
void plan_ladders_free(plan_ladders *l);

/* The search_qi array (n entries), owned by l. */
const search_qi *plan_ladders_qi(const plan_ladders *l);

/* The generalized value of level-0 value id v of QI q at level (owned by
 * l, valid until freed). */
xf_value plan_ladders_value(const plan_ladders *l, size_t q, size_t level, uint32_t v);

#endif
