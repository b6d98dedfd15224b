/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tclose_hier.h - the value tree of `sensitive S hierarchy=FILE` and the
 * Earth Mover's Distance over it (Li, Li, Venkatasubramanian 2007,
 * "hierarchical distance"; ARX's HierarchicalDistanceTCloseness).
 *
 * The tree is given as rows of labels, as a generalization hierarchy file:
 * a leaf (an original value) then its ancestors at levels 1 .. height, every
 * row with the same number of columns (height = columns - 1). Two leaves
 * whose lowest common ancestor sits at level L are L/height apart. The
 * distance of a class with value shares p to the table's shares q is
 *   sum over inner nodes N of (level(N)/height) * min(pos(N), neg(N)),
 * where extra(leaf i) = p_i - q_i, extra(N) = the sum of its children's
 * extras, and pos(N)/neg(N) = the sums of its children's positive extras
 * and of the magnitudes of the negative ones.
 */
#ifndef DEID_TCLOSE_HIER_H
#define DEID_TCLOSE_HIER_H

#include <stddef.h>
#include <stdint.h>

#include "csv_in.h"

typedef struct tclose_hier tclose_hier;

/* Why tclose_hier_add refused a row. */
typedef enum tclose_hier_error {
    TCLOSE_HIER_OK = 0,
    TCLOSE_HIER_NOMEM,
    TCLOSE_HIER_TOO_FEW,   /* fewer than 2 columns, or more than DEID_MAX_HIERARCHY_LEVELS */
    TCLOSE_HIER_WIDTH,     /* not as many columns as the first row */
    TCLOSE_HIER_EMPTY,     /* a label (leaf or ancestor) is empty */
    TCLOSE_HIER_DUPLICATE, /* the leaf was on an earlier row */
    TCLOSE_HIER_NOT_TREE,  /* a label at level L >= 1 had another label above it before */
    TCLOSE_HIER_ROWS,      /* more than DEID_MAX_LOOKUP_ROWS rows */
    TCLOSE_HIER_ROOTS      /* the last column differs from the first row's: two roots */
} tclose_hier_error;

/* Returns an empty tree (free with tclose_hier_free), or NULL on ENOMEM. */
tclose_hier *tclose_hier_new(void);
void tclose_hier_free(tclose_hier *h);

/* Adds one row (fields[0] the leaf, fields[L] its ancestor at level L;
 * borrowed, copied). On an error the tree is unchanged except that, after
 * TCLOSE_HIER_NOT_TREE, *bad_level says at which level (column index). */
tclose_hier_error tclose_hier_add(tclose_hier *h, const csv_field *fields, size_t n,
                                  size_t *bad_level);

/* Reads a tree from the file at path (shown as name in messages:
 * "NAME:LINE: what", never a value) into *out (free with
 * tclose_hier_free). Returns DEID_OK; DEID_E_RULES for a file that cannot
 * be read, a bad row or no rows; DEID_E_IO "out of memory". *out is NULL
 * on an error. (tclose_hier_read.c) */
deid_status tclose_hier_read(const char *path, const char *name, tclose_hier **out,
                             deid_error *err);

/* Leaves so far, and the height (columns - 1; 0 before the first row). */
size_t tclose_hier_leaves(const tclose_hier *h);
size_t tclose_hier_height(const tclose_hier *h);

/* The leaf number of value (data, len), or -1 when it is not a leaf. */
int64_t tclose_hier_leaf(const tclose_hier *h, const char *data, size_t len);

/* Entries of double scratch tclose_hier_emd needs (caller-owned). */
size_t tclose_hier_scratch(const tclose_hier *h);

/* The hierarchical EMD between a class and the table: overall[i] and
 * cls[i] are the counts of leaf i in the table (total records) and in the
 * class (size records). Counts are combined in exact integers
 * (extra_i = cls_i * total - overall_i * size) and divided once, so the
 * result does not depend on the order of the leaves. Returns a value in
 * [0, 1]; 0 when total, size or the height is 0. */
double tclose_hier_emd(const tclose_hier *h, const uint64_t *overall, uint64_t total,
                       const uint64_t *cls, uint64_t size, double *scratch);

#endif
