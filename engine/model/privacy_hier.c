/* SPDX-License-Identifier: Apache-2.0 */
/*
 * privacy_hier.c - a sensitive column prepared for the hierarchical EMD
 * (privacy_hier.h), and privacy_hier_missing and privacy_distance_name
 * (privacy.h).
 */
#include <stdlib.h>

#include "privacy.h"
#include "privacy_hier.h"

struct hier_prep {
    const tclose_hier *hier;
    int64_t *leaf_of;    /* value id -> leaf, -1 for none */
    int missing;         /* a value with a share is not a leaf */
    uint64_t total;      /* records with a share */
    uint64_t *overall;   /* per leaf */
    uint64_t *cls;       /* per leaf, the class being measured */
    uint32_t *touched;   /* leaves of cls set so far, to clear them */
    size_t n_touched;
    double *scratch;
};

void hier_prep_free(hier_prep *hp)
{
    if (!hp)
        return;
    free(hp->leaf_of);
    free(hp->overall);
    free(hp->cls);
    free(hp->touched);
    free(hp->scratch);
    free(hp);
}

hier_prep *hier_prep_new(const class_table *t, size_t s, const tclose_hier *hier,
                         int64_t empty_id)
{
    hier_prep *hp = calloc(1, sizeof *hp);
    if (!hp)
        return NULL;
    size_t m = class_table_sensitive_distinct(t, s);
    size_t n_leaves = tclose_hier_leaves(hier);
    hp->hier = hier;
    hp->leaf_of = malloc((m ? m : 1) * sizeof *hp->leaf_of);
    hp->overall = calloc(n_leaves ? n_leaves : 1, sizeof *hp->overall);
    hp->cls = calloc(n_leaves ? n_leaves : 1, sizeof *hp->cls);
    hp->touched = malloc((m ? m : 1) * sizeof *hp->touched);
    hp->scratch = malloc(tclose_hier_scratch(hier) * sizeof *hp->scratch);
    if (!hp->leaf_of || !hp->overall || !hp->cls || !hp->touched || !hp->scratch) {
        hier_prep_free(hp);
        return NULL;
    }
    for (uint32_t v = 0; v < m; v++) {
        hp->leaf_of[v] = -1;
        if ((int64_t)v == empty_id)
            continue;
        xf_value x = class_table_sensitive_value(t, s, v);
        int64_t leaf = tclose_hier_leaf(hier, x.data, x.len);
        uint64_t n = class_table_sensitive_count(t, s, v);
        hp->total += n;
        if (leaf < 0) {
            hp->missing = 1;
            continue;
        }
        hp->leaf_of[v] = leaf;
        hp->overall[leaf] += n;
    }
    return hp;
}

void hier_prep_add(hier_prep *hp, uint32_t v, uint64_t n)
{
    int64_t leaf = hp->leaf_of[v];
    if (leaf < 0)
        return;
    if (hp->cls[leaf] == 0)
        hp->touched[hp->n_touched++] = (uint32_t)leaf;
    hp->cls[leaf] += n;
}

double hier_prep_emd(hier_prep *hp, uint64_t size)
{
    double d = hp->missing ? 1
                           : tclose_hier_emd(hp->hier, hp->overall, hp->total, hp->cls, size,
                                             hp->scratch);
    for (size_t i = 0; i < hp->n_touched; i++)
        hp->cls[hp->touched[i]] = 0;
    hp->n_touched = 0;
    return d;
}

size_t privacy_hier_missing(const class_table *t, const privacy_sensitive_spec *spec, size_t n_s)
{
    for (size_t s = 0; spec && s < n_s && s < class_table_n_sensitive(t); s++) {
        if (!spec[s].hier)
            continue;
        size_t m = class_table_sensitive_distinct(t, s);
        for (uint32_t v = 0; v < m; v++) {
            xf_value x = class_table_sensitive_value(t, s, v);
            if ((x.len > 0 || !spec[s].ignore_empty) &&
                tclose_hier_leaf(spec[s].hier, x.data, x.len) < 0)
                return s;
        }
    }
    return n_s;
}

const char *privacy_distance_name(const privacy_sensitive_spec *sp)
{
    return sp->hier ? "hierarchical" : sp->ordered ? "ordered" : "equal";
}
