/* SPDX-License-Identifier: Apache-2.0 */
/*
 * classes.h - the equivalence-class table: records grouped by their
 * quasi-identifier (QI) values, with class sizes and, per sensitive
 * column, the distribution of values in each class and overall.
 *
 * Built in one pass, one record at a time; memory grows with the number
 * of distinct QI combinations (and distinct (class, sensitive value)
 * pairs), never with the number of records. Each QI column's values are
 * dictionary-encoded, so a class key is n_qi 32-bit ids.
 *
 * Suppression convention (ARX's): a record whose QI values all equal the
 * suppression token is "suppressed": it is counted apart and belongs to no
 * class; its sensitive values still count in the overall distributions.
 */
#ifndef DEID_CLASSES_H
#define DEID_CLASSES_H

#include <stddef.h>
#include <stdint.h>

#include "membudget.h"
#include "transform.h" /* xf_value */

typedef struct class_table class_table;

#define CLASS_SUPPRESSED UINT32_MAX

enum { CLASS_OK = 0, CLASS_ENOMEM = -1, CLASS_EFULL = -2, CLASS_EBUDGET = -3 };

/* Returns an empty table for n_qi (>= 1) QI columns and n_sensitive (>= 0)
 * sensitive columns, holding at most max_classes classes, or NULL on ENOMEM
 * or bad arguments (n_qi 0, max_classes 0, more than DEID_MAX_FIELDS
 * columns, token NULL). max_classes also bounds the distinct values of each
 * column and the distinct (class, value) pairs of each sensitive column;
 * above STRMAP_MAX_ENTRIES it is lowered to that. token (copied) is the
 * suppression token, e.g. "*". */
class_table *class_table_new(size_t n_qi, size_t n_sensitive, const char *token,
                             size_t max_classes);
/* class_table_new whose dictionaries, index and arrays charge budget
 * (borrowed, NULL: none) before they grow and credit it when freed. */
class_table *class_table_new_budget(size_t n_qi, size_t n_sensitive, const char *token,
                                    size_t max_classes, mem_budget *budget);
void class_table_free(class_table *t);

/* Adds one record: qi[0..n_qi), sens[0..n_sensitive) (borrowed). Stores the
 * record's class id (0, 1, ... in order of first appearance, or
 * CLASS_SUPPRESSED) in *class_id if not NULL. Returns CLASS_OK, CLASS_ENOMEM,
 * CLASS_EFULL (more than max_classes classes or distinct values) or
 * CLASS_EBUDGET (growing would pass the memory budget). After CLASS_EFULL
 * the table is unchanged; after CLASS_ENOMEM or CLASS_EBUDGET it is safe to
 * query and free but may hold part of the failed record. */
int class_table_add(class_table *t, const xf_value *qi, const xf_value *sens, uint32_t *class_id);

/* class_table_add for count records that all hold these values (a weighted
 * add: the search adds whole groups of records at once). count 0 adds
 * nothing, leaves *class_id alone and returns CLASS_OK. */
int class_table_add_n(class_table *t, const xf_value *qi, const xf_value *sens, uint64_t count,
                      uint32_t *class_id);

/* Finds the class of QI values without adding anything. Returns 1 and sets
 * *class_id (CLASS_SUPPRESSED for the token row), or 0 if there is no such
 * class (or, for more than 64 QIs, if a key buffer cannot be allocated). */
int class_table_find(const class_table *t, const xf_value *qi, uint32_t *class_id);

size_t class_table_n_qi(const class_table *t);
size_t class_table_n_sensitive(const class_table *t);
/* Number of classes, non-suppressed records, suppressed records. */
size_t class_table_classes(const class_table *t);
uint64_t class_table_records(const class_table *t);
uint64_t class_table_suppressed(const class_table *t);
/* Records in class c. */
uint64_t class_table_size(const class_table *t, uint32_t c);
/* The value of QI column q in class c (owned by the table, not
 * NUL-terminated). */
xf_value class_table_qi_value(const class_table *t, uint32_t c, size_t q);
/* The dictionary id of QI column q's value in class c: ids number the
 * column's distinct values 0, 1, ... in order of first appearance, so two
 * classes share the value exactly when they share the id. UINT32_MAX when
 * c or q is out of range. */
uint32_t class_table_qi_id(const class_table *t, uint32_t c, size_t q);
/* Distinct values of QI column q over all non-suppressed records. */
size_t class_table_qi_distinct(const class_table *t, size_t q);

/* Sensitive column s: number of distinct values overall, value number v
 * (0-based, order of first appearance), and how many records (suppressed
 * ones included) hold it. */
size_t class_table_sensitive_distinct(const class_table *t, size_t s);
xf_value class_table_sensitive_value(const class_table *t, size_t s, uint32_t v);
uint64_t class_table_sensitive_count(const class_table *t, size_t s, uint32_t v);

/* Visits the distribution of sensitive column s in class c: calls fn once
 * per distinct value v in the class with its count there. */
typedef void (*class_value_fn)(void *ctx, uint32_t v, uint64_t count);
void class_table_class_values(const class_table *t, uint32_t c, size_t s, class_value_fn fn,
                              void *ctx);

/* Bytes the table holds (what it charges its budget, plus its fixed
 * part), malloc's own overhead excluded. */
size_t class_table_memory(const class_table *t);

#endif
