/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_explain.c - why the plan chose its levels (deid plan --explain): for
 * every QI above the lowest level it may take, the chosen node with that
 * QI one level lower is evaluated on its own. Either that node breaks the
 * requirement (more records in violating classes than suppress max=
 * allows: the level is needed, and by how much is the excess), or it meets
 * it at a higher loss (the level is the cheaper way). With how=cell the
 * lower node is judged by the cell greedy: the cells it needs against the
 * cells allowed. Figures only.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "job.h"
#include "job_privacy.h"
#include "search.h"

deid_status job_privacy_explain(deid_job *job, deid_error *err)
{
    const search_result *r = job->priv->search;
    if (!r->found || job->priv->explain)
        return DEID_OK; /* nothing chosen to explain, or explained already */
    size_t m = job->priv->n_qi;
    privacy_sensitive_spec spec[job->priv->n_sens ? job->priv->n_sens : 1];
    search_problem sp;
    deid_status st = job_privacy_problem(job, &sp, spec, err);
    if (st)
        return st;
    search_probe *probes = calloc(m ? m : 1, sizeof *probes);
    search_probe *lower = calloc(m ? m : 1, sizeof *lower);
    if (!probes || !lower) {
        free(probes);
        free(lower);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    size_t n = 0, at[SEARCH_MAX_QI];
    for (size_t q = 0; q < m; q++) {
        const search_qi *qi = &sp.qi[q];
        size_t lowest = qi->bounded ? qi->min_level : 0;
        job->priv->explain_lower[q] = r->best.levels[q] > lowest;
        if (!job->priv->explain_lower[q])
            continue;
        memcpy(lower[n].node.levels, r->best.levels, sizeof lower[n].node.levels);
        lower[n].node.levels[q]--;
        at[n++] = q;
    }
    if (job->rules->privacy.suppress_cells)
        /* how=cell: the greedy at each lower node, its cells against the limit */
        for (size_t i = 0; i < n && !st; i++)
            st = job_cells_node(job, &sp, &lower[i].node, &lower[i].feasible, err);
    else
        st = search_probe_nodes(&sp, lower, n, err);
    for (size_t i = 0; i < n && !st; i++)
        probes[at[i]] = lower[i];
    free(lower);
    if (st) {
        free(probes);
        return st;
    }
    job->priv->explain = probes;
    return DEID_OK;
}
