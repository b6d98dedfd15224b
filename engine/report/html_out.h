/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html_out.h - the pieces every section of the HTML report is made of:
 * escaped text, labels, figures that carry their JSON path and exact
 * value as data- attributes (so a test reading the page can compare them
 * with the JSON report), tables and an inline SVG bar chart.
 */
#ifndef DEID_HTML_OUT_H
#define DEID_HTML_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "dbuf.h"
#include "html.h"
#include "html_labels.h"

/* Appends s[0..len) as HTML text or attribute value: first made safe to
 * show (text_escape.h: control bytes, bytes that are not UTF-8 and
 * bidirectional overrides become \xHH / \uHHHH), then & < > " ' and /
 * as character references, so that no data value can close an element,
 * open a tag or spell "//". Returns a DBUF_* code. */
int html_escape(dbuf *out, const char *s, size_t len);
/* html_escape of a NUL-terminated string (NULL appends nothing). */
int html_escape_cstr(dbuf *out, const char *s);

/* The label id in r's language, escaped. */
int html_label_put(dbuf *out, const html_report *r, html_label_id id);

/* <span class="fig" data-figure="PATH" data-value="V">V</span>, where
 * PATH is r->figure_path followed by path (NULL path: no data- attributes)
 * and V the number: whole numbers as digits, others as the shortest text
 * that reads back as the same double (as in the JSON report). The shown
 * text of a double has 6 decimals. Returns a DBUF_* code. */
int html_figure_u64(dbuf *out, const html_report *r, const char *path, uint64_t v);
int html_figure_double(dbuf *out, const html_report *r, const char *path, double v);
/* A verdict: data-value true/false, the text met / not met. */
int html_figure_met(dbuf *out, const html_report *r, const char *path, int met);

/* <th>label</th>, class "n" (right-aligned) when numeric. */
int html_head_cell(dbuf *out, const html_report *r, html_label_id label, int numeric);
/* Opens a row: <tr><th>label[ suffix]</th><td> (class "n" when numeric);
 * suffix (NULL: none) is escaped. The caller writes the cell and closes
 * it with </td></tr>. */
int html_row_open(dbuf *out, const html_report *r, html_label_id label, const char *suffix,
                  int numeric);
/* <tr><th>label</th><td>figure</td></tr> rows. */
int html_row_u64(dbuf *out, const html_report *r, html_label_id label, const char *path,
                 uint64_t v);
int html_row_double(dbuf *out, const html_report *r, html_label_id label, const char *path,
                    double v);
/* <tr><th>label</th><td>escaped text</td></tr>. */
int html_row_text(dbuf *out, const html_report *r, html_label_id label, const char *text);

/* Opens <section id="id"><h2>title</h2>; html_section_end closes it. */
int html_section_begin(dbuf *out, const html_report *r, const char *id, html_label_id title);
int html_section_end(dbuf *out);

/* One bar of a chart: its label (plain text, escaped here) and value. */
typedef struct html_bar {
    const char *label;
    uint64_t value;
} html_bar;

/* An inline SVG bar chart of n bars (no script, no external reference),
 * titled, with each bar's value written above it and its label below;
 * bar heights are proportional to the values. With path (NULL: none),
 * each value carries the figure path path.INDEX.member as
 * html_figure_u64's do. Returns a DBUF_* code. */
int html_bar_chart(dbuf *out, const html_report *r, html_label_id title, const html_bar *bars,
                   size_t n, const char *path, const char *member);

#endif
