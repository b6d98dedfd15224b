/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html_out.c - escaping, labels, figures, rows and the SVG bar chart of
 * the HTML report (see html_out.h).
 */
#include <stdio.h>
#include <string.h>

#include "html_out.h"
#include "json.h"
#include "text_escape.h"

int html_escape(dbuf *out, const char *s, size_t len)
{
    dbuf safe;
    dbuf_init(&safe, len * 6 + 16);
    int rc = text_escape_append(&safe, s, len);
    for (size_t i = 0; i < safe.len && !rc; i++) {
        char c = safe.data[i];
        switch (c) {
        case '&': rc = dbuf_append_str(out, "&amp;"); break;
        case '<': rc = dbuf_append_str(out, "&lt;"); break;
        case '>': rc = dbuf_append_str(out, "&gt;"); break;
        case '"': rc = dbuf_append_str(out, "&quot;"); break;
        case '\'': rc = dbuf_append_str(out, "&#39;"); break;
        case '/': rc = dbuf_append_str(out, "&#47;"); break;
        default: rc = dbuf_putc(out, c);
        }
    }
    dbuf_free(&safe);
    return rc;
}

int html_escape_cstr(dbuf *out, const char *s)
{
    return s ? html_escape(out, s, strlen(s)) : 0;
}

int html_label_put(dbuf *out, const html_report *r, html_label_id id)
{
    return html_escape_cstr(out, html_label(r->lang, id));
}

static int figure_open(dbuf *out, const html_report *r, const char *path, const char *value)
{
    if (!path)
        return dbuf_append_str(out, "<span class=\"fig\">");
    int rc = dbuf_append_str(out, "<span class=\"fig\" data-figure=\"");
    rc = rc ? rc : html_escape_cstr(out, r->figure_path ? r->figure_path : "");
    rc = rc ? rc : html_escape_cstr(out, path);
    rc = rc ? rc : dbuf_append_str(out, "\" data-value=\"");
    rc = rc ? rc : dbuf_append_str(out, value);
    return rc ? rc : dbuf_append_str(out, "\">");
}

int html_figure_u64(dbuf *out, const html_report *r, const char *path, uint64_t v)
{
    char s[24];
    snprintf(s, sizeof s, "%llu", (unsigned long long)v);
    int rc = figure_open(out, r, path, s);
    rc = rc ? rc : dbuf_append_str(out, s);
    return rc ? rc : dbuf_append_str(out, "</span>");
}

int html_figure_double(dbuf *out, const html_report *r, const char *path, double v)
{
    dbuf exact;
    dbuf_init(&exact, 64);
    int rc = json_append_double(&exact, v);
    const char *s = rc ? NULL : dbuf_cstr(&exact);
    rc = s ? figure_open(out, r, path, s) : DBUF_ENOMEM;
    dbuf_free(&exact);
    rc = rc ? rc : dbuf_printf(out, "%.6f", v);
    return rc ? rc : dbuf_append_str(out, "</span>");
}

int html_figure_met(dbuf *out, const html_report *r, const char *path, int met)
{
    int rc = dbuf_printf(out, "<span class=\"%s\">", met ? "met" : "notmet");
    rc = rc ? rc : figure_open(out, r, path, met ? "true" : "false");
    rc = rc ? rc : html_label_put(out, r, met ? HL_MET : HL_NOT_MET);
    return rc ? rc : dbuf_append_str(out, "</span></span>");
}

int html_head_cell(dbuf *out, const html_report *r, html_label_id label, int numeric)
{
    int rc = dbuf_append_str(out, numeric ? "<th class=\"n\">" : "<th>");
    rc = rc ? rc : html_label_put(out, r, label);
    return rc ? rc : dbuf_append_str(out, "</th>");
}

int html_row_open(dbuf *out, const html_report *r, html_label_id label, const char *suffix,
                  int numeric)
{
    int rc = dbuf_append_str(out, "<tr><th>");
    rc = rc ? rc : html_label_put(out, r, label);
    if (suffix) {
        rc = rc ? rc : dbuf_putc(out, ' ');
        rc = rc ? rc : html_escape_cstr(out, suffix);
    }
    return rc ? rc : dbuf_append_str(out, numeric ? "</th><td class=\"n\">" : "</th><td>");
}

static int row_open(dbuf *out, const html_report *r, html_label_id label, int numeric)
{
    return html_row_open(out, r, label, NULL, numeric);
}

int html_row_u64(dbuf *out, const html_report *r, html_label_id label, const char *path,
                 uint64_t v)
{
    int rc = row_open(out, r, label, 1);
    rc = rc ? rc : html_figure_u64(out, r, path, v);
    return rc ? rc : dbuf_append_str(out, "</td></tr>\n");
}

int html_row_double(dbuf *out, const html_report *r, html_label_id label, const char *path,
                    double v)
{
    int rc = row_open(out, r, label, 1);
    rc = rc ? rc : html_figure_double(out, r, path, v);
    return rc ? rc : dbuf_append_str(out, "</td></tr>\n");
}

int html_row_text(dbuf *out, const html_report *r, html_label_id label, const char *text)
{
    int rc = row_open(out, r, label, 0);
    rc = rc ? rc : html_escape_cstr(out, text);
    return rc ? rc : dbuf_append_str(out, "</td></tr>\n");
}

int html_section_begin(dbuf *out, const html_report *r, const char *id, html_label_id title)
{
    int rc = dbuf_printf(out, "<section id=\"%s\">\n<h2>", id);
    rc = rc ? rc : html_label_put(out, r, title);
    return rc ? rc : dbuf_append_str(out, "</h2>\n");
}

int html_section_end(dbuf *out)
{
    return dbuf_append_str(out, "</section>\n");
}

/* Chart geometry, in SVG user units (the chart scales to the page width). */
#define BAR_W 64
#define BAR_GAP 12
#define PLOT_H 160
#define TOP 22
#define BOTTOM 40

int html_bar_chart(dbuf *out, const html_report *r, html_label_id title, const html_bar *bars,
                   size_t n, const char *path, const char *member)
{
    uint64_t max = 0;
    for (size_t i = 0; i < n; i++)
        max = bars[i].value > max ? bars[i].value : max;
    unsigned width = (unsigned)(n * (BAR_W + BAR_GAP) + BAR_GAP), height = TOP + PLOT_H + BOTTOM;
    int rc = dbuf_append_str(out, "<figure class=\"chart\"><figcaption>");
    rc = rc ? rc : html_label_put(out, r, title);
    rc = rc ? rc : dbuf_printf(out, "</figcaption>\n<svg viewBox=\"0 0 %u %u\" width=\"%u\" "
                                    "height=\"%u\" role=\"img\">\n", width, height, width, height);
    rc = rc ? rc : dbuf_printf(out, "<line x1=\"0\" y1=\"%u\" x2=\"%u\" y2=\"%u\" class=\"axis\"/>\n",
                               TOP + PLOT_H, width, TOP + PLOT_H);
    for (size_t i = 0; i < n && !rc; i++) {
        unsigned h = max ? (unsigned)((double)bars[i].value / (double)max * PLOT_H + 0.5) : 0;
        if (bars[i].value && h < 2)
            h = 2; /* a bar that holds something stays visible */
        unsigned x = (unsigned)(BAR_GAP + i * (BAR_W + BAR_GAP)), mid = x + BAR_W / 2;
        rc = dbuf_printf(out, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" class=\"bar\"/>",
                         x, TOP + PLOT_H - h, BAR_W, h);
        rc = rc ? rc : dbuf_printf(out, "<text x=\"%u\" y=\"%u\" class=\"num\"", mid,
                                   TOP + PLOT_H - h - 5);
        if (path) {
            rc = rc ? rc : dbuf_append_str(out, " data-figure=\"");
            rc = rc ? rc : html_escape_cstr(out, r->figure_path ? r->figure_path : "");
            rc = rc ? rc : html_escape_cstr(out, path);
            rc = rc ? rc : dbuf_printf(out, ".%zu.", i);
            rc = rc ? rc : html_escape_cstr(out, member);
            rc = rc ? rc : dbuf_printf(out, "\" data-value=\"%llu\"", (unsigned long long)bars[i].value);
        }
        rc = rc ? rc : dbuf_printf(out, ">%llu</text>", (unsigned long long)bars[i].value);
        rc = rc ? rc : dbuf_printf(out, "<text x=\"%u\" y=\"%u\" class=\"lab\">", mid,
                                   TOP + PLOT_H + 18);
        rc = rc ? rc : html_escape_cstr(out, bars[i].label);
        rc = rc ? rc : dbuf_append_str(out, "</text>\n");
    }
    return rc ? rc : dbuf_append_str(out, "</svg></figure>\n");
}
