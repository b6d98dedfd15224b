/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_hier.c - the hierarchical-distance trees of `deid check`: the
 * rules' `sensitive S hierarchy=FILE` (borrowed from the rules), then
 * the options' --hierarchy COL=FILE over them (read here, owned by the
 * check); and the refusal of a sensitive value missing from its tree.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "err.h"
#include "privacy.h"
#include "rules.h"
#include "tclose_hier.h"

deid_status check_hierarchies(deid_check *chk, const rules_privacy *pv,
                              const deid_check_options *o, deid_error *err)
{
    size_t n_s = chk->sensitive.n;
    chk->hier_owned = calloc(n_s ? n_s : 1, sizeof *chk->hier_owned);
    if (!chk->hier_owned)
        return err_set(err, DEID_E_IO, "out of memory");
    /* A hierarchy= tree follows its column, as ordered= does. */
    for (size_t i = 0; pv && pv->hier && i < pv->n_sensitive; i++) {
        long j = check_find_name(&chk->sensitive, pv->sensitive[i]);
        if (j >= 0 && pv->hier[i]) {
            chk->spec[j].hier = pv->hier[i];
            chk->hier_line = pv->sensitive_line;
        }
    }
    if (o->n_hierarchy && (!o->hierarchy_columns || !o->hierarchy_files))
        return err_set(err, DEID_E_USAGE, "%s", "hierarchy columns or files missing");
    for (size_t i = 0; i < o->n_hierarchy; i++) {
        const char *col = o->hierarchy_columns[i], *file = o->hierarchy_files[i];
        long j = check_find_name(&chk->sensitive, col);
        if (j < 0)
            return err_set(err, DEID_E_USAGE,
                           "--hierarchy column \"%s\" is not a sensitive column", col);
        if (chk->hier_owned[j])
            return err_set(err, DEID_E_USAGE, "--hierarchy names column \"%s\" twice", col);
        deid_status st = tclose_hier_read(file, file, &chk->hier_owned[j], err);
        if (st) {
            err->line = 0; /* the message says "FILE:LINE:" already */
            return st;
        }
        chk->spec[j].hier = chk->hier_owned[j]; /* over the rules' tree, if any */
    }
    for (size_t j = 0; j < n_s; j++)
        if (chk->spec[j].hier && chk->ordered[j])
            return err_set(err, DEID_E_USAGE,
                           "column \"%s\" has a hierarchy and is ordered: a column takes one "
                           "distance",
                           chk->sensitive.names[j]);
    return DEID_OK;
}

void check_hierarchies_free(deid_check *chk)
{
    for (size_t j = 0; chk->hier_owned && j < chk->sensitive.n; j++)
        tclose_hier_free(chk->hier_owned[j]);
    free(chk->hier_owned);
    chk->hier_owned = NULL;
}

deid_status check_hier_missing(const deid_check *chk, deid_error *err)
{
    size_t n_s = chk->sensitive.n, s = privacy_hier_missing(chk->table, chk->spec, n_s);
    if (s >= n_s)
        return DEID_OK;
    if (chk->hier_owned[s])
        return err_set(err, DEID_E_DATA,
                       "sensitive column \"%s\" holds a value that is not in its --hierarchy "
                       "file",
                       chk->spec[s].name);
    err_set(err, DEID_E_DATA,
            "sensitive column \"%s\" holds a value that is not in its hierarchy= file",
            chk->spec[s].name);
    err_at_rules(err, chk->rules_name, chk->hier_line, 0, NULL);
    return DEID_E_DATA;
}
