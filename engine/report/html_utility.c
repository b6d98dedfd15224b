/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html_utility.c - the HTML report's utility section: what the
 * de-identification cost the quasi-identifiers against the source
 * (model/utility.h; README "Utility"), the same figures as the JSON
 * report's top-level "utility" object, each marked with that path.
 * Figures only, never a data value.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "html_out.h"

/* A figure that may be unknown (NAN: null in JSON): then the word, unmarked. */
static int maybe_double(dbuf *out, const html_report *r, const char *path, double v)
{
    if (isnan(v))
        return html_label_put(out, r, HL_UTILITY_UNKNOWN);
    return html_figure_double(out, r, path, v);
}

static int row_maybe(dbuf *out, const html_report *r, html_label_id label, const char *path,
                     double v)
{
    int rc = html_row_open(out, r, label, NULL, 1);
    rc = rc ? rc : maybe_double(out, r, path, v);
    return rc ? rc : dbuf_append_str(out, "</td></tr>\n");
}

/* One QI's row of the per-QI table. */
static int qi_row(dbuf *out, const html_report *r, size_t q)
{
    const utility_qi *u = &r->utility->qi[q];
    char path[96];
    int rc = dbuf_append_str(out, "<tr><th>");
    rc = rc ? rc : html_escape_cstr(out, r->utility_quasi[q]);
    rc = rc ? rc : dbuf_append_str(out, "</th>");
    struct { const char *member; double v; int whole; } cells[] = {
        {"distinct_before", (double)u->distinct_before, 1},
        {"distinct_after", (double)u->distinct_after, 1},
        {"entropy_before", u->entropy_before, 0},
        {"entropy_after", u->entropy_after, 0},
        {"nu_entropy", u->nu_entropy, 0},
        {"precision_loss", u->precision_loss, 0},
    };
    for (size_t i = 0; i < sizeof cells / sizeof cells[0] && !rc; i++) {
        snprintf(path, sizeof path, "utility.quasi.%zu.%s", q, cells[i].member);
        rc = dbuf_append_str(out, "<td class=\"n\">");
        rc = rc ? rc : cells[i].whole ? html_figure_u64(out, r, path, (uint64_t)cells[i].v)
                                      : maybe_double(out, r, path, cells[i].v);
        rc = rc ? rc : dbuf_append_str(out, "</td>");
    }
    return rc ? rc : dbuf_append_str(out, "</tr>\n");
}

int html_section_utility(dbuf *out, const html_report *r0)
{
    if (!r0->utility)
        return 0;
    /* "utility" is a top-level member of the check's and the run's JSON */
    html_report r_top = *r0;
    r_top.figure_path = "";
    const html_report *r = &r_top;
    const utility_figures *f = r->utility;
    int rc = html_section_begin(out, r, "utility", HL_SEC_UTILITY);
    rc = rc ? rc : dbuf_append_str(out, "<p class=\"note\">");
    rc = rc ? rc : html_label_put(out, r, HL_UTILITY_NOTE);
    rc = rc ? rc : dbuf_append_str(out, "</p>\n<table>\n");
    if (r->utility_source)
        rc = rc ? rc : html_row_text(out, r, HL_UTILITY_SOURCE, r->utility_source);
    rc = rc ? rc : html_row_u64(out, r, HL_UTILITY_RECORDS, "utility.records", f->records);
    rc = rc ? rc : html_row_u64(out, r, HL_UTILITY_SUPPRESSED, "utility.suppressed_records",
                                f->suppressed);
    rc = rc ? rc : html_row_u64(out, r, HL_UTILITY_CLASSES, "utility.classes", f->classes);
    rc = rc ? rc : row_maybe(out, r, HL_UTILITY_DM, "utility.discernibility", f->discernibility);
    rc = rc ? rc : row_maybe(out, r, HL_UTILITY_AECS, "utility.avg_class_size", f->avg_class_size);
    if (f->k)
        rc = rc ? rc : row_maybe(out, r, HL_UTILITY_CAVG, "utility.c_avg", f->c_avg);
    rc = rc ? rc : row_maybe(out, r, HL_UTILITY_NU_ENTROPY, "utility.nu_entropy", f->nu_entropy);
    rc = rc ? rc : row_maybe(out, r, HL_UTILITY_PRECISION, "utility.precision", f->precision);
    if (!isnan(f->loss))
        rc = rc ? rc : row_maybe(out, r, HL_UTILITY_LOSS, "utility.loss", f->loss);
    rc = rc ? rc : dbuf_append_str(out, "</table>\n<table>\n<tr>");
    rc = rc ? rc : html_head_cell(out, r, HL_QUASI, 0);
    static const html_label_id heads[] = {HL_UTILITY_DISTINCT_BEFORE, HL_UTILITY_DISTINCT_AFTER,
                                          HL_UTILITY_H_BEFORE, HL_UTILITY_H_AFTER,
                                          HL_UTILITY_NU_ENTROPY, HL_UTILITY_PRECISION_LOSS};
    for (size_t i = 0; i < sizeof heads / sizeof heads[0] && !rc; i++)
        rc = html_head_cell(out, r, heads[i], 1);
    rc = rc ? rc : dbuf_append_str(out, "</tr>\n");
    for (size_t q = 0; q < f->n_qi && !rc; q++)
        rc = qi_row(out, r, q);
    rc = rc ? rc : dbuf_append_str(out, "</table>\n");
    return rc ? rc : html_section_end(out);
}
