/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tclose_hier_read.c - tclose_hier_read (tclose_hier.h): a value tree read
 * from a file in the format of generalization hierarchies (';'-separated,
 * no header, a value then its ancestors, every row as wide), for the rules'
 * `sensitive S hierarchy=FILE` and `deid check --hierarchy`. Messages name
 * the file, line and level, never a value.
 */
#include <string.h>

#include "err.h"
#include "lookup_file.h"
#include "tclose_hier.h"

static const char *row_problem(tclose_hier_error e)
{
    switch (e) {
    case TCLOSE_HIER_TOO_FEW:
        return "a row needs 2 to 64 columns (a value and its generalizations)";
    case TCLOSE_HIER_WIDTH:
        return "not as many columns as the first row";
    case TCLOSE_HIER_EMPTY:
        return "empty field";
    case TCLOSE_HIER_DUPLICATE:
        return "the first field repeats an earlier row's";
    case TCLOSE_HIER_ROWS:
        return "too many rows";
    case TCLOSE_HIER_ROOTS:
        return "the last column is not the first row's: every row must end in the same root "
               "(such as *)";
    default:
        return "not a tree";
    }
}

static deid_status on_row(void *ctx, const csv_field *f, size_t n, unsigned long line,
                          deid_error *err)
{
    size_t bad_level = 0;
    tclose_hier_error e = tclose_hier_add(ctx, f, n, &bad_level);
    if (e == TCLOSE_HIER_OK)
        return DEID_OK;
    if (e == TCLOSE_HIER_NOMEM)
        return lookup_file_row_nomem(err, line);
    if (e == TCLOSE_HIER_NOT_TREE)
        return lookup_file_row_fail(err, line,
                                    "column %zu: a label of level %zu has another label above "
                                    "it on an earlier row (not a tree)",
                                    bad_level + 1, bad_level);
    return lookup_file_row_fail(err, line, "%s", row_problem(e));
}

deid_status tclose_hier_read(const char *path, const char *name, tclose_hier **out,
                             deid_error *err)
{
    *out = NULL;
    tclose_hier *h = tclose_hier_new();
    if (!h)
        return err_set(err, DEID_E_IO, "out of memory");
    deid_status st = lookup_file_read(path, name, ';', on_row, h, err);
    if (!st && tclose_hier_leaves(h) == 0)
        st = err_set(err, DEID_E_RULES, "%s: no rows", name);
    if (st) {
        tclose_hier_free(h);
        return st;
    }
    *out = h;
    return DEID_OK;
}
