/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules_sens_hier.c - `sensitive S hierarchy=FILE`: the value tree of the
 * hierarchical-distance t-closeness, read by tclose_hier_read (the format
 * of generalization hierarchies) from the path as the rules resolve it;
 * errors at the parameter.
 */
#include <stdlib.h>
#include <string.h>

#include "rules_lex.h"
#include "tclose_hier.h"

deid_status rules_sensitive_hierarchy(parser *p, const token *t, struct tclose_hier **out)
{
    *out = NULL;
    if (!t->value[0])
        return rules_fail_at(p, t->value_col, DEID_E_RULES, "hierarchy= is empty");
    xf_context ctx = {.base_dir = p->rules->base_dir,
                      .files_read = &p->rules->files_read,
                      .transform = "hierarchy"};
    char *path = xf_resolve_path(&ctx, t->value);
    if (!path)
        return rules_out_of_memory(p);
    deid_error e;
    memset(&e, 0, sizeof e);
    deid_status st = tclose_hier_read(path, t->value, out, &e);
    free(path);
    if (st)
        return st == DEID_E_IO && !strcmp(e.message, "out of memory")
                   ? rules_out_of_memory(p)
                   : rules_fail_at(p, t->value_col, st, "%s", e.message);
    return DEID_OK;
}
