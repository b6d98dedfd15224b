/* SPDX-License-Identifier: Apache-2.0 */
/*
 * plan_report.c - `deid plan`'s report: the chosen level per quasi-
 * identifier, the node's information loss, suppression and classes, the
 * lattice searched, and the next best feasible nodes; as aligned text and
 * as JSON. Figures only, never data values.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "job.h"
#include "job_privacy.h"
#include "json.h"
#include "search.h"
#include "text_escape.h"
#include "utility_report.h"

static const char *metric_name(const deid_job *job)
{
    return job->rules->privacy.metric ? "discernibility" : "loss";
}

static int levels_text(dbuf *b, const deid_job *job, const search_node *node)
{
    int rc = 0;
    for (size_t q = 0; q < job->priv->n_qi && !rc; q++)
        rc = dbuf_printf(b, "%s%u", q ? "," : "", (unsigned)node->levels[q]);
    return rc;
}

static deid_status finish(dbuf *b, int rc, char **text, deid_error *err)
{
    if (!rc && (*text = dbuf_take(b)) != NULL)
        return DEID_OK;
    dbuf_free(b);
    return err_set(err, DEID_E_IO, "out of memory");
}

static deid_status not_planned(deid_error *err)
{
    return err_set(err, DEID_E_USAGE, "no plan: call deid_job_plan first");
}

/* " (level=auto min=1 max=2 weight=2)": the rule's planner controls. */
static int controls_text(dbuf *b, const colplan_column *c)
{
    if (!c->auto_level)
        return 0;
    int rc = dbuf_append_str(b, " (level=auto");
    if (!rc && c->ru && c->ru->plan_bounded)
        rc = dbuf_printf(b, " min=%lu max=%lu", c->ru->plan_min, c->ru->plan_max);
    if (!rc && c->ru && c->ru->plan_weight > 0)
        rc = dbuf_printf(b, " weight=%g", c->ru->plan_weight);
    return rc ? rc : dbuf_putc(b, ')');
}

/* The lowest level QI q may take: its min= or 0. */
static unsigned lowest_level(const colplan_column *c)
{
    return c->auto_level && c->ru && c->ru->plan_bounded ? (unsigned)c->ru->plan_min : 0;
}

/* A lower level that meets the requirement but loses more (or ties):
 * "meets it with N WHAT, but METRIC SCORE > BEST". */
static int meets_but_text(dbuf *b, const deid_job *job, uint64_t n, const char *what,
                          double score, double best)
{
    int rc = dbuf_printf(b, "meets it with %llu %s, but %s ", (unsigned long long)n, what,
                         metric_name(job));
    rc = rc ? rc : json_append_double(b, score);
    rc = rc ? rc : dbuf_append_str(b, score > best ? " > " : " = ");
    rc = rc ? rc : json_append_double(b, best);
    if (!rc && !(score > best))
        rc = dbuf_append_str(b, " (a tie, broken by the lower sum of levels, then order)");
    return rc;
}

/* --explain: per QI, what one level lower would do (job_explain.c). */
static int explain_text(dbuf *b, const deid_job *job, size_t width)
{
    const job_privacy *pv = job->priv;
    const search_result *r = pv->search;
    if (!pv->explain)
        return 0;
    int rc = dbuf_printf(b, "\nwhy these levels (each QI one level lower, the others as chosen)\n");
    for (size_t q = 0; q < pv->n_qi && !rc; q++) {
        const colplan_column *c = &job->colplan->cols[pv->qi_col[q]];
        char shown[512];
        text_escape(c->label, strlen(c->label), 0, shown, sizeof shown);
        unsigned lv = r->best.levels[q];
        rc = dbuf_printf(b, "  %-*s  ", (int)width, shown);
        if (rc)
            break;
        if (!pv->explain_lower[q]) {
            rc = !c->auto_level ? dbuf_printf(b, "%u: fixed (no level=auto)\n", lv)
                 : lv == 0      ? dbuf_printf(b, "%u: the value itself, the lowest level\n", lv)
                                : dbuf_printf(b, "%u: min=%u, the lowest level allowed\n", lv,
                                              lowest_level(c));
            continue;
        }
        const search_probe *p = &pv->explain[q];
        rc = dbuf_printf(b, "%u -> %u: ", lv, lv - 1);
        if (!rc && job->rules->privacy.suppress_cells && !p->feasible) {
            rc = dbuf_printf(b, "the greedy needs %llu QI cells (in %llu records), %llu over the "
                                "limit of %llu cells",
                             (unsigned long long)p->node.cells,
                             (unsigned long long)p->node.cell_records,
                             (unsigned long long)(p->node.cells - r->cell_limit),
                             (unsigned long long)r->cell_limit);
        } else if (!rc && job->rules->privacy.suppress_cells) {
            rc = meets_but_text(b, job, p->node.cells, "QI cells suppressed", p->node.score,
                                r->best.score);
        } else if (!rc && !p->feasible) {
            rc = dbuf_printf(b, "%llu records in classes that violate the requirement, "
                                "%llu over the limit of %llu",
                             (unsigned long long)p->node.suppressed,
                             (unsigned long long)(p->node.suppressed - r->suppression_limit),
                             (unsigned long long)r->suppression_limit);
        } else if (!rc) {
            rc = meets_but_text(b, job, p->node.suppressed, "suppressed", p->node.score,
                                r->best.score);
        }
        rc = rc ? rc : dbuf_putc(b, '\n');
    }
    return rc;
}

deid_status deid_job_plan_text(const deid_job *job, char **text, deid_error *err)
{
    if (!job->priv || !job->priv->planned)
        return not_planned(err);
    const search_result *r = job->priv->search;
    dbuf b;
    dbuf_init(&b, 16u << 20);
    int rc = dbuf_printf(&b,
                         "deid plan\nrules                %s\nrecords              %llu\n"
                         "suppression limit    %llu (suppress max=%g%%)\nmetric               %s\n"
                         "lattice              %llu nodes, %llu evaluated\n\n",
                         job->rules->name, (unsigned long long)r->records,
                         (unsigned long long)r->suppression_limit,
                         job->rules->privacy.suppress_max * 100.0, metric_name(job),
                         (unsigned long long)r->nodes_total, (unsigned long long)r->nodes_evaluated);
    rc = rc ? rc : dbuf_append_str(&b, job_cells_plan_note(job));
    if (!rc && job->rules->privacy.suppress_cells)
        rc = dbuf_printf(&b, "cell limit           %llu cells (the %llu records x %zu QIs)\n"
                             "cell greedy          run on %llu nodes\n\n",
                         (unsigned long long)r->cell_limit,
                         (unsigned long long)r->suppression_limit, job->priv->n_qi,
                         (unsigned long long)r->nodes_greedy);
    if (!r->found) {
        rc = rc ? rc : dbuf_append_str(&b, "no node meets the requirement within the limit\n");
        return finish(&b, rc, text, err);
    }
    size_t width = strlen("quasi-identifier");
    for (size_t q = 0; q < job->priv->n_qi; q++) {
        const char *label = job->colplan->cols[job->priv->qi_col[q]].label;
        size_t w = text_escape(label, strlen(label), 0, NULL, 0);
        width = w > width ? w : width;
    }
    int loss = !job->rules->privacy.metric;
    rc = rc ? rc : dbuf_printf(&b, "%-*s  level  top  %-12s  transform\n", (int)width,
                               "quasi-identifier", loss ? "loss" : "");
    for (size_t q = 0; q < job->priv->n_qi && !rc; q++) {
        const colplan_column *c = &job->colplan->cols[job->priv->qi_col[q]];
        size_t top = c->auto_level ? c->ops->levels(c->state) - 1 : 0;
        char shown[512];
        /* a column name may hold control bytes (text_escape.h) */
        text_escape(c->label, strlen(c->label), 0, shown, sizeof shown);
        rc = dbuf_printf(&b, "%-*s  %5u  %3zu  ", (int)width, shown, (unsigned)r->best.levels[q],
                         top);
        rc = rc ? rc : loss ? dbuf_printf(&b, "%.10f", r->best.qi_loss[q])
                            : dbuf_printf(&b, "%12s", "");
        rc = rc ? rc : dbuf_printf(&b, "  %s", c->ops->name);
        rc = rc ? rc : controls_text(&b, c);
        rc = rc ? rc : dbuf_putc(&b, '\n');
    }
    rc = rc ? rc : dbuf_printf(&b,
                               "\nbest node            %s ", metric_name(job));
    rc = rc ? rc : json_append_double(&b, r->best.score);
    rc = rc ? rc : dbuf_printf(&b, "\nsuppressed records   %llu\n"
                               "classes              %llu\nsmallest class       %llu\n"
                               "largest class        %llu\n",
                               (unsigned long long)r->best.suppressed,
                               (unsigned long long)r->best.classes,
                               (unsigned long long)r->best.min_class,
                               (unsigned long long)r->best.max_class);
    if (!rc && job->rules->privacy.suppress_cells)
        rc = dbuf_printf(&b, "suppressed cells     %llu in %llu records (how=cell)\n",
                         (unsigned long long)r->best.cells,
                         (unsigned long long)r->best.cell_records);
    rc = rc ? rc : explain_text(&b, job, width);
    if (!rc && r->n_alternatives) {
        rc = dbuf_append_str(&b, "\nnext best feasible nodes (levels; score; suppressed; classes; smallest)\n");
        for (size_t i = 0; i < r->n_alternatives && !rc; i++) {
            const search_node *n = &r->alternatives[i];
            rc = dbuf_append_str(&b, "  ");
            rc = rc ? rc : levels_text(&b, job, n);
            rc = rc ? rc : dbuf_append_str(&b, "  ");
            rc = rc ? rc : json_append_double(&b, n->score);
            rc = rc ? rc : dbuf_printf(&b, "  %llu  %llu  %llu\n",
                                       (unsigned long long)n->suppressed,
                                       (unsigned long long)n->classes,
                                       (unsigned long long)n->min_class);
        }
    }
    if (!rc && job->priv->utility)
        rc = utility_report_text(&b, job->priv->utility, (const char *const *)job->rules->privacy.quasi,
                                 "the input, at the best node");
    return finish(&b, rc, text, err);
}

static int node_json(dbuf *b, const deid_job *job, const search_node *n)
{
    int rc = dbuf_append_str(b, "{\"levels\": [");
    for (size_t q = 0; q < job->priv->n_qi && !rc; q++)
        rc = dbuf_printf(b, "%s%u", q ? ", " : "", (unsigned)n->levels[q]);
    rc = rc ? rc : dbuf_append_str(b, "], \"score\": ");
    rc = rc ? rc : json_append_double(b, n->score);
    rc = rc ? rc : dbuf_printf(b, ", \"suppressed\": %llu, \"classes\": %llu, "
                                  "\"smallest_class\": %llu, \"largest_class\": %llu",
                               (unsigned long long)n->suppressed,
                               (unsigned long long)n->classes, (unsigned long long)n->min_class,
                               (unsigned long long)n->max_class);
    if (!rc && job->rules->privacy.suppress_cells)
        rc = dbuf_printf(b, ", \"cells\": %llu, \"cell_records\": %llu",
                         (unsigned long long)n->cells, (unsigned long long)n->cell_records);
    if (!rc && !job->rules->privacy.metric) {
        rc = dbuf_append_str(b, ", \"qi_loss\": [");
        for (size_t q = 0; q < job->priv->n_qi && !rc; q++) {
            rc = q ? dbuf_append_str(b, ", ") : 0;
            rc = rc ? rc : json_append_double(b, n->qi_loss[q]);
        }
        rc = rc ? rc : dbuf_putc(b, ']');
    }
    return rc ? rc : dbuf_putc(b, '}');
}

/* --explain as JSON: per QI, null at its lowest level, else the probe. */
static int explain_json(dbuf *b, const deid_job *job)
{
    const job_privacy *pv = job->priv;
    int rc = dbuf_append_str(b, ",\n  \"explain\": [");
    for (size_t q = 0; q < pv->n_qi && !rc; q++) {
        rc = dbuf_append_str(b, q ? ",\n    " : "\n    ");
        if (!rc && !pv->explain_lower[q]) {
            rc = dbuf_append_str(b, "null");
            continue;
        }
        const search_probe *p = &pv->explain[q];
        rc = rc ? rc : dbuf_printf(b, "{\"feasible\": %s, \"node\": ", p->feasible ? "true" : "false");
        rc = rc ? rc : node_json(b, job, &p->node);
        rc = rc ? rc : dbuf_putc(b, '}');
    }
    return rc ? rc : dbuf_append_str(b, "\n  ]");
}

deid_status deid_job_plan_json(const deid_job *job, char **text, deid_error *err)
{
    if (!job->priv || !job->priv->planned)
        return not_planned(err);
    const search_result *r = job->priv->search;
    dbuf b;
    dbuf_init(&b, 16u << 20);
    int rc = dbuf_putc(&b, '{');
    rc = rc ? rc : json_append_header(&b, JSON_SCHEMA_PLAN, 2);
    rc = rc ? rc : dbuf_printf(&b, "\n  \"deid_version\": \"%s\",\n  \"rules\": ", DEID_VERSION);
    rc = rc ? rc : json_append_cstr(&b, job->rules->name);
    rc = rc ? rc : dbuf_printf(&b,
                               ",\n  \"records\": %llu,\n  \"suppression_limit\": %llu,\n"
                               "  \"metric\": \"%s\",\n  \"nodes_total\": %llu,\n"
                               "  \"nodes_evaluated\": %llu,\n  \"found\": %s",
                               (unsigned long long)r->records,
                               (unsigned long long)r->suppression_limit, metric_name(job),
                               (unsigned long long)r->nodes_total,
                               (unsigned long long)r->nodes_evaluated, r->found ? "true" : "false");
    if (!rc && job->rules->privacy.suppress_cells)
        rc = dbuf_printf(&b, ",\n  \"suppression\": {\"how\": \"cell\", \"cell_limit\": %llu, "
                             "\"nodes_greedy\": %llu}",
                         (unsigned long long)r->cell_limit, (unsigned long long)r->nodes_greedy);
    rc = rc ? rc : dbuf_append_str(&b, ",\n  \"quasi\": [");
    for (size_t q = 0; q < job->priv->n_qi && !rc; q++) {
        const colplan_column *c = &job->colplan->cols[job->priv->qi_col[q]];
        rc = dbuf_printf(&b, "%s\n    {\"name\": ", q ? "," : "");
        rc = rc ? rc : json_append_cstr(&b, c->label);
        rc = rc ? rc : dbuf_printf(&b, ", \"auto\": %s, \"levels\": %zu",
                                   c->auto_level ? "true" : "false",
                                   c->auto_level ? c->ops->levels(c->state) : 1);
        if (!rc && c->auto_level && c->ru && c->ru->plan_bounded)
            rc = dbuf_printf(&b, ", \"min\": %lu, \"max\": %lu", c->ru->plan_min, c->ru->plan_max);
        if (!rc && c->auto_level) {
            rc = dbuf_append_str(&b, ", \"weight\": ");
            rc = rc ? rc : json_append_double(&b, c->ru && c->ru->plan_weight > 0 ? c->ru->plan_weight : 1);
        }
        rc = rc ? rc : dbuf_putc(&b, '}');
    }
    rc = rc ? rc : dbuf_append_str(&b, "\n  ]");
    if (!rc && r->found) {
        rc = dbuf_append_str(&b, ",\n  \"best\": ");
        rc = rc ? rc : node_json(&b, job, &r->best);
        rc = rc ? rc : dbuf_append_str(&b, ",\n  \"alternatives\": [");
        for (size_t i = 0; i < r->n_alternatives && !rc; i++) {
            rc = dbuf_append_str(&b, i ? ",\n    " : "\n    ");
            rc = rc ? rc : node_json(&b, job, &r->alternatives[i]);
        }
        rc = rc ? rc : dbuf_append_str(&b, r->n_alternatives ? "\n  ]" : "]");
        if (!rc && job->priv->explain)
            rc = explain_json(&b, job);
    }
    if (!rc && job->priv->utility) {
        rc = dbuf_append_str(&b, ",\n  \"utility\": ");
        rc = rc ? rc : utility_report_json(&b, job->priv->utility,
                                           (const char *const *)job->rules->privacy.quasi, 2);
    }
    rc = rc ? rc : dbuf_append_str(&b, "\n}\n");
    return finish(&b, rc, text, err);
}
