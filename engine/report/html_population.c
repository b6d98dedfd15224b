/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html_population.c - the HTML report's section on risk beyond prosecutor
 * risk (risk_stats.h): sample uniqueness and records in small classes,
 * journalist risk (population table or the sample), marketer risk, and
 * the population uniqueness models with the decision rule's pick. Each
 * figure carries its path in the JSON report's "risk" object, so the
 * browser test compares the page with the JSON as for the other sections.
 * Only a check has these figures; a run's page has no such section.
 */
#include <stdio.h>

#include "html.h"
#include "html_out.h"

static const char *const model_titles[RISK_N_MODELS] = {"Zayatz", "Pitman", "SNB"};

/* A row "label N" whose figure is records (path .records) and share. */
static int row_below(dbuf *out, const html_report *r, size_t i)
{
    const risk_stats *k = r->risk;
    char path[64], size[24];
    snprintf(size, sizeof size, "%llu", (unsigned long long)risk_small_sizes[i]);
    int rc = html_row_open(out, r, HL_RECORDS_BELOW, size, 1);
    snprintf(path, sizeof path, "risk.records_in_classes_below.%zu.records", i);
    rc = rc ? rc : html_figure_u64(out, r, path, k->records_below[i]);
    rc = rc ? rc : dbuf_append_str(out, " (");
    snprintf(path, sizeof path, "risk.records_in_classes_below.%zu.share", i);
    rc = rc ? rc : html_figure_double(out, r, path, k->share_below[i]);
    return rc ? rc : dbuf_append_str(out, ")</td></tr>\n");
}

static int section_journalist(dbuf *out, const html_report *r)
{
    const risk_stats *k = r->risk;
    int rc = dbuf_append_str(out, "<p class=\"note\">");
    rc = rc ? rc : html_label_put(out, r, k->from_population ? HL_BASIS_POPULATION : HL_BASIS_SAMPLE);
    if (!rc && k->from_population && r->population_name) {
        rc = dbuf_append_str(out, ": ");
        rc = rc ? rc : html_escape_cstr(out, r->population_name);
    }
    rc = rc ? rc : dbuf_append_str(out, "</p>\n<table>\n");
    if (k->from_population) {
        rc = rc ? rc : html_row_u64(out, r, HL_POPULATION_ROWS, "risk.journalist.population.rows",
                                    r->population_rows);
        rc = rc ? rc : html_row_u64(out, r, HL_POPULATION_SMALLEST,
                                    "risk.journalist.population.smallest_class", k->population_smallest);
    }
    rc = rc ? rc : html_row_double(out, r, HL_JOURNALIST_MAX, "risk.journalist.highest", k->journalist_max);
    rc = rc ? rc : html_row_double(out, r, HL_JOURNALIST_AVG, "risk.journalist.average", k->journalist_avg);
    char threshold[32];
    snprintf(threshold, sizeof threshold, "1/%llu", (unsigned long long)k->risk_k);
    rc = rc ? rc : html_row_open(out, r, HL_JOURNALIST_ABOVE, threshold, 1);
    rc = rc ? rc : html_figure_u64(out, r, "risk.journalist.records_above_threshold", k->journalist_above);
    rc = rc ? rc : dbuf_append_str(out, " (");
    rc = rc ? rc : html_figure_double(out, r, "risk.journalist.share_above_threshold", k->journalist_share);
    rc = rc ? rc : dbuf_append_str(out, ")</td></tr>\n");
    rc = rc ? rc : html_row_double(out, r, HL_MARKETER, "risk.marketer", k->marketer);
    return rc ? rc : dbuf_append_str(out, "</table>\n");
}

/* One model's share of population uniques, or "unavailable" and why (the
 * reason is the engine's English text, as in the JSON report). */
static int estimate_cell(dbuf *out, const html_report *r, const char *path, const risk_estimate *e)
{
    if (e->available)
        return html_figure_double(out, r, path, e->share);
    int rc = html_label_put(out, r, HL_UNAVAILABLE);
    rc = rc ? rc : dbuf_append_str(out, " <span class=\"note\">(");
    rc = rc ? rc : html_escape_cstr(out, e->reason ? e->reason : "no estimate");
    return rc ? rc : dbuf_append_str(out, ")</span>");
}

static int section_uniqueness(dbuf *out, const html_report *r)
{
    const risk_uniqueness *u = &r->risk->uniqueness;
    int rc = dbuf_append_str(out, "<p class=\"note\">");
    rc = rc ? rc : html_label_put(out, r, HL_UNIQ_NOTE);
    rc = rc ? rc : dbuf_append_str(out, "</p>\n<table>\n");
    rc = rc ? rc : html_row_double(out, r, HL_SAMPLING_FRACTION, "risk.population_uniqueness.sampling_fraction",
                                   u->sampling_fraction);
    rc = rc ? rc : html_row_u64(out, r, HL_POPULATION_SIZE, "risk.population_uniqueness.population_size",
                                u->population);
    char path[96];
    for (int m = 0; m < RISK_N_MODELS && !rc; m++) {
        snprintf(path, sizeof path, "risk.population_uniqueness.%s.share", risk_model_name((risk_model)m));
        rc = dbuf_printf(out, "<tr><th>%s</th><td class=\"n\">", model_titles[m]);
        rc = rc ? rc : estimate_cell(out, r, path, &u->model[m]);
        rc = rc ? rc : dbuf_append_str(out, "</td></tr>\n");
    }
    rc = rc ? rc : html_row_open(out, r, HL_DECISION_RULE, NULL, 1);
    if (u->picked == RISK_NO_MODEL) {
        rc = rc ? rc : html_label_put(out, r, HL_NO_MODEL);
    } else {
        rc = rc ? rc : dbuf_printf(out, "%s: ", model_titles[u->picked]);
        rc = rc ? rc : estimate_cell(out, r, "risk.population_uniqueness.decision_rule.estimate.share",
                                     &u->decision);
    }
    return rc ? rc : dbuf_append_str(out, "</td></tr>\n</table>\n");
}

int html_section_population(dbuf *out, const html_report *r)
{
    if (!r->risk)
        return 0;
    const risk_stats *k = r->risk;
    int rc = html_section_begin(out, r, "population", HL_SEC_POPULATION);
    rc = rc ? rc : dbuf_append_str(out, "<table>\n");
    rc = rc ? rc : html_row_u64(out, r, HL_SAMPLE_UNIQUES, "risk.sample_uniques", k->sample_uniques);
    rc = rc ? rc : html_row_double(out, r, HL_SAMPLE_UNIQUENESS, "risk.sample_uniqueness", k->sample_uniqueness);
    for (size_t i = 0; i < RISK_SMALL_SIZES && !rc; i++)
        rc = row_below(out, r, i);
    rc = rc ? rc : dbuf_append_str(out, "</table>\n");
    rc = rc ? rc : section_journalist(out, r);
    if (k->estimated)
        rc = rc ? rc : section_uniqueness(out, r);
    return rc ? rc : html_section_end(out);
}
