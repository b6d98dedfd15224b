/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html_run.c - the HTML report's sections of a run: what it did to each
 * column (transform and guideline technique), its records in, out and
 * suppressed, and each QI's value distribution before suppression and as
 * written (under html_dist.c's rule for showing values).
 */
#include "html_out.h"

static int columns_table(dbuf *out, const html_report *r)
{
    const html_run *run = r->run;
    int rc = dbuf_append_str(out, "<table>\n<tr>");
    rc = rc ? rc : html_head_cell(out, r, HL_COLUMN, 0);
    rc = rc ? rc : html_head_cell(out, r, HL_TRANSFORM, 0);
    rc = rc ? rc : html_head_cell(out, r, HL_TECHNIQUE, 0);
    rc = rc ? rc : html_head_cell(out, r, HL_WRITTEN, 0);
    rc = rc ? rc : html_head_cell(out, r, HL_TRANSFORMED, 1);
    rc = rc ? rc : html_head_cell(out, r, HL_EMPTY, 1);
    rc = rc ? rc : html_head_cell(out, r, HL_ERRORS, 1);
    rc = rc ? rc : dbuf_append_str(out, "</tr>\n");
    for (size_t i = 0; i < run->n_columns && !rc; i++) {
        const html_column *c = &run->columns[i];
        rc = dbuf_append_str(out, "<tr><td>");
        rc = rc ? rc : html_escape_cstr(out, c->name);
        rc = rc ? rc : dbuf_append_str(out, "</td><td><code>");
        rc = rc ? rc : html_escape_cstr(out, c->transform);
        rc = rc ? rc : dbuf_append_str(out, "</code></td><td>");
        rc = rc ? rc : html_escape_cstr(out, c->technique ? c->technique : "");
        rc = rc ? rc : dbuf_append_str(out, "</td><td>");
        rc = rc ? rc : html_label_put(out, r, c->written ? HL_YES : HL_NO);
        rc = rc ? rc : dbuf_printf(out, "</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td>"
                                        "<td class=\"n\">%llu</td></tr>\n",
                                   (unsigned long long)c->transformed, (unsigned long long)c->empty,
                                   (unsigned long long)c->errors);
    }
    return rc ? rc : dbuf_append_str(out, "</table>\n");
}

int html_section_run(dbuf *out, const html_report *r)
{
    const html_run *run = r->run;
    if (!run)
        return 0;
    /* these figures are members of the run's JSON report itself */
    html_report top = *r;
    top.figure_path = "";
    int rc = html_section_begin(out, r, "run", HL_SEC_RUN);
    rc = rc ? rc : dbuf_append_str(out, "<table>\n");
    rc = rc ? rc : html_row_u64(out, &top, HL_RECORDS_READ, "records_read", run->read);
    rc = rc ? rc : html_row_u64(out, &top, HL_RECORDS_WRITTEN, "records_written", run->written);
    rc = rc ? rc : html_row_u64(out, &top, HL_RECORDS_REMOVED, "records_removed", run->removed);
    if (r->privacy) {
        rc = rc ? rc : dbuf_append_str(out, "<tr><th>");
        rc = rc ? rc : html_label_put(out, r, HL_RECORDS_SUPPRESSED);
        rc = rc ? rc : dbuf_append_str(out, "</th><td>");
        rc = rc ? rc : html_figure_u64(out, &top, "suppression.records", run->suppressed);
        rc = rc ? rc : dbuf_append_str(out, " (");
        rc = rc ? rc : html_label_put(out, r, run->suppress_cells     ? HL_SUPPRESS_CELLS
                                              : run->suppress_removes ? HL_SUPPRESS_REMOVES
                                                                      : HL_SUPPRESS_TOKEN);
        rc = rc ? rc : dbuf_append_str(out, ")</td></tr>\n");
        if (run->suppress_cells)
            rc = rc ? rc : html_row_u64(out, &top, HL_CELLS_SUPPRESSED, "suppression.cells", run->cells);
    }
    rc = rc ? rc : dbuf_append_str(out, "</table>\n");
    rc = rc ? rc : columns_table(out, r);
    return rc ? rc : html_section_end(out);
}

int html_section_run_distributions(dbuf *out, const html_report *r)
{
    if (!r->run || !r->privacy || !r->classes)
        return 0;
    const privacy_report_input *p = r->privacy;
    int rc = html_section_begin(out, r, "distributions", HL_SEC_RUN_DIST);
    rc = rc ? rc : html_shown_rule(out, r);
    for (size_t q = 0; q < p->stats->n_qi && !rc; q++) {
        rc = dbuf_append_str(out, "<h3>");
        rc = rc ? rc : html_escape_cstr(out, p->quasi[q]);
        rc = rc ? rc : dbuf_append_str(out, "</h3>\n<div class=\"pair\">\n");
        if (r->before)
            rc = rc ? rc : html_value_table(out, r, r->before, q,
                                            r->before_is_input ? HL_BEFORE : HL_BEFORE_SUPPRESSION);
        rc = rc ? rc : html_value_table(out, r, r->classes, q, HL_AFTER);
        rc = rc ? rc : dbuf_append_str(out, "</div>\n");
    }
    return rc ? rc : html_section_end(out);
}
