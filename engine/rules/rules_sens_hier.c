/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules_sens_hier.c - `sensitive S hierarchy=FILE`: the value tree of the
 * hierarchical-distance t-closeness, read from a file in the format of
 * generalization hierarchies (';'-separated, no header, a value then its
 * ancestors, every row as wide; xf_hierarchy.c). Messages name the file,
 * line and level, never a value.
 */
#include <stdlib.h>
#include <string.h>

#include "lookup_file.h"
#include "rules_lex.h"
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

deid_status rules_sensitive_hierarchy(parser *p, const token *t, struct tclose_hier **out)
{
    *out = NULL;
    if (!t->value[0])
        return rules_fail_at(p, t->value_col, DEID_E_RULES, "hierarchy= is empty");
    xf_context ctx = {.base_dir = p->rules->base_dir,
                      .files_read = &p->rules->files_read,
                      .transform = "hierarchy"};
    char *path = xf_resolve_path(&ctx, t->value);
    tclose_hier *h = path ? tclose_hier_new() : NULL;
    if (!h) {
        free(path);
        return rules_out_of_memory(p);
    }
    deid_error e;
    memset(&e, 0, sizeof e);
    deid_status st = lookup_file_read(path, t->value, ';', on_row, h, &e);
    free(path);
    if (!st && tclose_hier_leaves(h) == 0) {
        err_set(&e, DEID_E_RULES, "%s: no rows", t->value);
        st = DEID_E_RULES;
    }
    if (st) {
        tclose_hier_free(h);
        return st == DEID_E_IO && !strcmp(e.message, "out of memory")
                   ? rules_out_of_memory(p)
                   : rules_fail_at(p, t->value_col, st, "%s", e.message);
    }
    *out = h;
    return DEID_OK;
}
