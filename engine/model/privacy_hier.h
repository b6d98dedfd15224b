/* SPDX-License-Identifier: Apache-2.0 */
/*
 * privacy_hier.h - one sensitive column of a class table prepared for the
 * hierarchical-distance EMD (tclose_hier.h): its value ids mapped to the
 * hierarchy's leaves and the table's count per leaf. Private to privacy.c
 * and search_lt.c (the search's dense path).
 */
#ifndef DEID_PRIVACY_HIER_H
#define DEID_PRIVACY_HIER_H

#include <stdint.h>

#include "classes.h"
#include "tclose_hier.h"

typedef struct hier_prep hier_prep;

/* Returns column s of t prepared on hier (free with hier_prep_free), or
 * NULL on ENOMEM. Value empty_id (when >= 0: the ignored empty value) has
 * no share. A value that is not a leaf of hier makes every class's
 * distance 1 (fail closed); callers refuse such input before measuring
 * (privacy_hier_missing). */
hier_prep *hier_prep_new(const class_table *t, size_t s, const tclose_hier *hier,
                         int64_t empty_id);
void hier_prep_free(hier_prep *hp);

/* Adds n records of value id v to the class being measured. */
void hier_prep_add(hier_prep *hp, uint32_t v, uint64_t n);

/* Returns the distance of the class added so far (size records with a
 * share) to the table, and clears the class for the next one. */
double hier_prep_emd(hier_prep *hp, uint64_t size);

#endif
