/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_population.h - the population table of `deid check --population`:
 * a CSV file (the check's delimiter, UTF-8, a header row) naming every
 * quasi-identifier column and a count column; each row is one QI
 * combination and how many people of the population have it (a census
 * table). Values must be written as in the checked file, generalized the
 * same way. Other columns are ignored.
 */
#ifndef DEID_CHECK_POPULATION_H
#define DEID_CHECK_POPULATION_H

#include <stdint.h>

#include "classes.h"
#include "deid.h"
#include "membudget.h"

/* Where a class first appears in the input (record number, physical line). */
typedef struct class_origin {
    uint64_t record;
    unsigned long line;
} class_origin;

typedef struct check_population_spec {
    const char *path;               /* the file */
    const char *count_column;       /* NULL: "count" */
    const char *const *quasi;       /* n_quasi QI names, in the table's QI order */
    size_t n_quasi;
    int delimiter;
    mem_budget *budget;             /* charged for the duplicate check; NULL: none */
    const char *input_name;         /* the checked input, for messages */
    const class_origin *origin;     /* n_origin entries, one per class in class order; a
                                       class without one is named by its number */
    size_t n_origin;
} check_population_spec;

/* Reads the population file and gives each class of table its population
 * count: *counts (class_table_classes(table) entries, free with free()),
 * *rows the data rows read. Returns DEID_OK, or:
 *   DEID_E_IO   cannot open or read the file, out of memory or budget;
 *   DEID_E_DATA "FILE: line L[, column "c"]: what" for a header without a
 *               QI or the count column, a count that is not a whole number,
 *               a row with another number of fields than the header, two
 *               rows with the same QI values, a count below the records
 *               of the input with those values; "INPUT: record R (line
 *               L): FILE has no row ..." for a class of the input that no
 *               row names (R, L where it first appears; without an origin
 *               "FILE: no row for class #N ...").
 * Messages name lines, columns and class sizes, never a value. */
deid_status check_population_read(const check_population_spec *spec, const class_table *table,
                                  uint64_t **counts, uint64_t *rows, deid_error *err);

#endif
