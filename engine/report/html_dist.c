/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html_dist.c - the HTML report's section per quasi-identifier: distinct
 * values, the unique records it frees, and its value distribution.
 *
 * The distribution is the only place the report shows data values, so it
 * follows one rule (html_value_table): a value is counted only over the
 * records of classes of at least k records, and shown only when that
 * count is at least k (k = the required k, else 5). A value held by fewer
 * than k records is therefore never shown, and neither is a value that
 * only small classes hold. Only QI columns are shown, never another one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_out.h"
#include "privacy.h"

#define TOP_VALUES 10

typedef struct value_count {
    uint32_t id;
    uint32_t class_id;        /* a class holding the value (to read its bytes) */
    uint64_t count;
    xf_value value;
} value_count;

/* More records first; equal counts by the value's bytes, so the page is
 * the same whatever the order the classes were met in. */
static int by_count(const void *x, const void *y)
{
    const value_count *a = x, *b = y;
    if (a->count != b->count)
        return a->count < b->count ? 1 : -1;
    size_t n = a->value.len < b->value.len ? a->value.len : b->value.len;
    int c = memcmp(a->value.data, b->value.data, n);
    if (c)
        return c;
    return a->value.len < b->value.len ? -1 : a->value.len > b->value.len;
}

int html_value_table(dbuf *out, const html_report *r, const class_table *t, size_t q,
                     html_label_id caption)
{
    uint64_t k = html_shown_k(r);
    size_t n = class_table_classes(t);
    uint32_t max_id = 0;
    for (uint32_t c = 0; c < n; c++) {
        uint32_t id = class_table_qi_id(t, c, q);
        max_id = id != UINT32_MAX && id > max_id ? id : max_id;
    }
    value_count *vc = calloc(n ? (size_t)max_id + 1 : 1, sizeof *vc);
    if (!vc)
        return DBUF_ENOMEM;
    for (uint32_t c = 0; c < n; c++) {
        uint64_t z = class_table_size(t, c);
        uint32_t id = class_table_qi_id(t, c, q);
        if (z < k || id == UINT32_MAX)
            continue; /* a small class shows nothing, not even through a count */
        vc[id].id = id;
        vc[id].class_id = c;
        vc[id].count += z;
    }
    size_t kept = 0;
    for (size_t i = 0; n && i <= max_id; i++)
        if (vc[i].count >= k) {
            vc[kept] = vc[i];
            vc[kept].value = class_table_qi_value(t, vc[kept].class_id, q);
            kept++;
        }
    qsort(vc, kept, sizeof *vc, by_count);
    if (kept > TOP_VALUES)
        kept = TOP_VALUES;
    uint64_t shown = 0;
    int rc = dbuf_append_str(out, "<table class=\"values\">\n<caption>");
    rc = rc ? rc : html_label_put(out, r, caption);
    rc = rc ? rc : dbuf_append_str(out, "</caption>\n<tr>");
    rc = rc ? rc : html_head_cell(out, r, HL_VALUE, 0);
    rc = rc ? rc : html_head_cell(out, r, HL_COUNT, 1);
    rc = rc ? rc : dbuf_append_str(out, "</tr>\n");
    for (size_t i = 0; i < kept && !rc; i++) {
        rc = dbuf_append_str(out, "<tr><td>");
        rc = rc ? rc : html_escape(out, vc[i].value.data, vc[i].value.len);
        rc = rc ? rc : dbuf_printf(out, "</td><td class=\"n\">%llu</td></tr>\n",
                                   (unsigned long long)vc[i].count);
        shown += vc[i].count;
    }
    free(vc);
    if (!kept) {
        rc = rc ? rc : dbuf_append_str(out, "<tr><td colspan=\"2\">");
        rc = rc ? rc : html_label_put(out, r, HL_NO_VALUE_SHOWN);
        rc = rc ? rc : dbuf_append_str(out, "</td></tr>\n");
    }
    rc = rc ? rc : dbuf_append_str(out, "<tr><td><em>");
    rc = rc ? rc : html_label_put(out, r, HL_NOT_SHOWN);
    rc = rc ? rc : dbuf_printf(out, "</em></td><td class=\"n\">%llu</td></tr>\n</table>\n",
                               (unsigned long long)(class_table_records(t) - shown));
    return rc;
}

int html_shown_rule(dbuf *out, const html_report *r)
{
    int rc = dbuf_append_str(out, "<p class=\"note\">");
    rc = rc ? rc : html_label_put(out, r, HL_SHOWN_RULE);
    return rc ? rc : dbuf_printf(out, " %llu</p>\n", (unsigned long long)html_shown_k(r));
}

int html_section_quasi(dbuf *out, const html_report *r)
{
    if (!r->privacy)
        return 0;
    const privacy_report_input *p = r->privacy;
    const privacy_stats *st = p->stats;
    size_t drives = privacy_driving_qi(st);
    char path[64];
    int rc = html_section_begin(out, r, "quasi", HL_SEC_QUASI);
    rc = rc ? rc : dbuf_append_str(out, "<table>\n<tr>");
    rc = rc ? rc : html_head_cell(out, r, HL_QUASI, 0);
    rc = rc ? rc : html_head_cell(out, r, HL_DISTINCT, 1);
    rc = rc ? rc : html_head_cell(out, r, HL_UNIQUES_FREED, 1);
    rc = rc ? rc : dbuf_append_str(out, "<th></th></tr>\n");
    for (size_t q = 0; q < st->n_qi && !rc; q++) {
        rc = dbuf_append_str(out, "<tr><td>");
        rc = rc ? rc : html_escape_cstr(out, p->quasi[q]);
        rc = rc ? rc : dbuf_append_str(out, "</td><td class=\"n\">");
        snprintf(path, sizeof path, "quasi.%zu.distinct", q);
        rc = rc ? rc : html_figure_u64(out, r, path, st->qi[q].distinct);
        rc = rc ? rc : dbuf_append_str(out, "</td><td class=\"n\">");
        snprintf(path, sizeof path, "quasi.%zu.uniques_freed", q);
        rc = rc ? rc : html_figure_u64(out, r, path, st->qi[q].uniques_freed);
        rc = rc ? rc : dbuf_append_str(out, "</td><td>");
        if (q == drives)
            rc = rc ? rc : html_label_put(out, r, HL_DRIVES);
        rc = rc ? rc : dbuf_append_str(out, "</td></tr>\n");
    }
    rc = rc ? rc : dbuf_append_str(out, "</table>\n<p class=\"note\">");
    rc = rc ? rc : html_label_put(out, r, HL_UNIQUES_FREED_NOTE);
    rc = rc ? rc : dbuf_append_str(out, "</p>\n");
    if (r->classes && !r->run) {
        rc = rc ? rc : html_shown_rule(out, r);
        for (size_t q = 0; q < st->n_qi && !rc; q++) {
            rc = dbuf_append_str(out, "<h3>");
            rc = rc ? rc : html_escape_cstr(out, p->quasi[q]);
            rc = rc ? rc : dbuf_append_str(out, "</h3>\n");
            rc = rc ? rc : html_value_table(out, r, r->classes, q, HL_VALUE_DIST);
        }
    }
    return rc ? rc : html_section_end(out);
}
