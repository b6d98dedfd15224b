/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html_sections.c - the HTML report's sections on what was checked and
 * what was measured: the verdict, the inputs, class sizes, prosecutor
 * risk, and l-diversity and t-closeness per class. No data value appears
 * here: only names of columns and files, counts and figures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_out.h"
#include "privacy.h"

#define DEFAULT_SHOWN_K 5
#define DEFAULT_THRESHOLD 0.2
#define WORST_CLASSES 5

static const char *const size_bands[PRIVACY_HISTOGRAM_BUCKETS] = {
    "1", "2", "3-4", "5-9", "10-19", "20-49", "50-99", "100+",
};
/* The prosecutor risk (1 / class size) of the records in each size band. */
static const char *const risk_bands[PRIVACY_HISTOGRAM_BUCKETS] = {
    "1", "0.5", "0.25-0.33", "0.11-0.2", "0.05-0.1", "0.02-0.05", "0.01-0.02", "<=0.01",
};

uint64_t html_shown_k(const html_report *r)
{
    const privacy_requirement *req = r->privacy ? r->privacy->req : NULL;
    return req && req->k ? req->k : DEFAULT_SHOWN_K;
}

static size_t size_band(uint64_t n)
{
    static const uint64_t lower[PRIVACY_HISTOGRAM_BUCKETS] = {1, 2, 3, 5, 10, 20, 50, 100};
    size_t b = 0;
    while (b + 1 < PRIVACY_HISTOGRAM_BUCKETS && n >= lower[b + 1])
        b++;
    return b;
}

/* ---- verdict ---- */

static int verdict_row(dbuf *out, const html_report *r, html_label_id what, const char *required,
                       double measured, int is_whole, const char *path, int met)
{
    int rc = dbuf_append_str(out, "<tr><th>");
    rc = rc ? rc : html_label_put(out, r, what);
    rc = rc ? rc : dbuf_append_str(out, "</th><td>");
    rc = rc ? rc : html_escape_cstr(out, required);
    rc = rc ? rc : dbuf_append_str(out, "</td><td class=\"n\">");
    rc = rc ? rc : (is_whole ? html_figure_u64(out, r, NULL, (uint64_t)measured)
                             : html_figure_double(out, r, NULL, measured));
    rc = rc ? rc : dbuf_append_str(out, "</td><td>");
    rc = rc ? rc : html_figure_met(out, r, path, met);
    return rc ? rc : dbuf_append_str(out, "</td></tr>\n");
}

int html_section_verdict(dbuf *out, const html_report *r)
{
    int rc = html_section_begin(out, r, "verdict", HL_SEC_VERDICT);
    const privacy_report_input *p = r->privacy;
    if (!p) {
        rc = rc ? rc : dbuf_append_str(out, "<p>");
        rc = rc ? rc : html_label_put(out, r, HL_NOT_MEASURED);
        rc = rc ? rc : dbuf_append_str(out, "</p>\n");
        return rc ? rc : html_section_end(out);
    }
    const privacy_stats *st = p->stats;
    const privacy_requirement *req = p->req;
    privacy_report_verdict v = privacy_report_verdict_of(st, req);
    rc = rc ? rc : dbuf_printf(out, "<p class=\"verdict %s\" id=\"result\">", st->met ? "met" : "notmet");
    rc = rc ? rc : html_label_put(out, r, HL_RESULT);
    rc = rc ? rc : dbuf_append_str(out, ": ");
    rc = rc ? rc : html_figure_met(out, r, "met", st->met);
    rc = rc ? rc : dbuf_append_str(out, "</p>\n");
    if (r->run) {
        rc = rc ? rc : dbuf_append_str(out, "<p class=\"note\">");
        rc = rc ? rc : html_label_put(out, r, HL_OUTPUT_FIGURES);
        rc = rc ? rc : dbuf_append_str(out, "</p>\n");
    }
    if (v.k < 0 && v.l < 0 && v.t < 0) {
        rc = rc ? rc : dbuf_append_str(out, "<p>");
        rc = rc ? rc : html_label_put(out, r, HL_NO_REQUIREMENT);
        rc = rc ? rc : dbuf_append_str(out, "</p>\n");
        return rc ? rc : html_section_end(out);
    }
    rc = rc ? rc : dbuf_append_str(out, "<table>\n<tr>");
    rc = rc ? rc : html_head_cell(out, r, HL_REQUIREMENT, 0);
    rc = rc ? rc : html_head_cell(out, r, HL_REQUIRED, 0);
    rc = rc ? rc : html_head_cell(out, r, HL_MEASURED, 0);
    rc = rc ? rc : html_head_cell(out, r, HL_RESULT, 0);
    rc = rc ? rc : dbuf_append_str(out, "</tr>\n");
    char req_text[64];
    if (!rc && v.k >= 0) {
        snprintf(req_text, sizeof req_text, "k = %llu", (unsigned long long)req->k);
        rc = verdict_row(out, r, HL_REQ_K, req_text, (double)st->min_class, 1, "result.k", v.k);
    }
    if (!rc && v.l >= 0) {
        int entropy = req->l_kind == L_ENTROPY;
        double worst = 0;
        for (size_t s = 0; s < st->n_sensitive; s++) {
            double l = entropy ? st->sensitive[s].min_entropy_l : st->sensitive[s].min_distinct_l;
            worst = s == 0 || l < worst ? l : worst;
        }
        snprintf(req_text, sizeof req_text, "l = %g", req->l);
        rc = verdict_row(out, r, entropy ? HL_REQ_L_ENTROPY : HL_REQ_L_DISTINCT, req_text, worst,
                         !entropy, "result.l", v.l);
    }
    if (!rc && v.t >= 0) {
        double worst = 0;
        for (size_t s = 0; s < st->n_sensitive; s++)
            worst = st->sensitive[s].max_t > worst ? st->sensitive[s].max_t : worst;
        snprintf(req_text, sizeof req_text, "t = %g", req->t);
        rc = verdict_row(out, r, HL_REQ_T, req_text, worst, 0, "result.t", v.t);
    }
    rc = rc ? rc : dbuf_append_str(out, "</table>\n");
    return rc ? rc : html_section_end(out);
}

/* ---- what was checked ---- */

static int files_table(dbuf *out, const html_report *r, const html_file *f, size_t n)
{
    int rc = dbuf_append_str(out, "<table>\n<tr>");
    rc = rc ? rc : html_head_cell(out, r, HL_FILE, 0);
    rc = rc ? rc : html_head_cell(out, r, n && f[0].bytes_decoded ? HL_SIZE_DECODED : HL_SIZE_BYTES, 1);
    rc = rc ? rc : html_head_cell(out, r, HL_RECORDS, 1);
    rc = rc ? rc : html_head_cell(out, r, HL_SHA256, 0);
    rc = rc ? rc : html_head_cell(out, r, HL_ENCODING, 0);
    rc = rc ? rc : dbuf_append_str(out, "</tr>\n");
    for (size_t i = 0; i < n && !rc; i++) {
        rc = dbuf_append_str(out, "<tr><td>");
        rc = rc ? rc : html_escape_cstr(out, f[i].name);
        rc = rc ? rc : dbuf_printf(out, "</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td>"
                                        "<td class=\"hash\">",
                                   (unsigned long long)f[i].bytes, (unsigned long long)f[i].records);
        if (f[i].sha256 && f[i].sha256[0])
            rc = rc ? rc : html_escape_cstr(out, f[i].sha256);
        else
            rc = rc ? rc : html_label_put(out, r, HL_NOT_COMPUTED);
        rc = rc ? rc : dbuf_append_str(out, "</td><td>");
        rc = rc ? rc : html_escape_cstr(out, f[i].encoding ? f[i].encoding : "");
        rc = rc ? rc : dbuf_append_str(out, "</td></tr>\n");
    }
    return rc ? rc : dbuf_append_str(out, "</table>\n");
}

/* "a, b, c" of names, each escaped; the sensitive ones with their distance. */
static html_label_id dist_label(const privacy_sensitive_spec *sp)
{
    return sp->hier ? HL_DIST_HIER : sp->ordered ? HL_DIST_ORDERED : HL_DIST_EQUAL;
}

static int names_cell(dbuf *out, const html_report *r, int sensitive)
{
    const privacy_report_input *p = r->privacy;
    size_t n = sensitive ? p->stats->n_sensitive : p->stats->n_qi;
    int rc = 0;
    if (!n)
        return html_label_put(out, r, HL_NONE);
    for (size_t i = 0; i < n && !rc; i++) {
        rc = i ? dbuf_append_str(out, ", ") : 0;
        rc = rc ? rc : html_escape_cstr(out, sensitive ? p->sensitive[i].name : p->quasi[i]);
        if (sensitive) {
            rc = rc ? rc : dbuf_append_str(out, " (");
            rc = rc ? rc : html_label_put(out, r, dist_label(&p->sensitive[i]));
            rc = rc ? rc : dbuf_putc(out, ')');
        }
    }
    return rc;
}

static int requirement_text(dbuf *out, const html_report *r)
{
    const privacy_requirement *req = r->privacy->req;
    if (!req || (!req->k && !(req->l > 0) && !(req->t > 0)))
        return html_label_put(out, r, HL_NONE);
    int rc = 0;
    const char *sep = "";
    if (req->k) {
        rc = dbuf_printf(out, "k=%llu", (unsigned long long)req->k);
        sep = ", ";
    }
    if (!rc && req->l > 0) {
        rc = dbuf_printf(out, "%sl=%g (%s)", sep, req->l, req->l_kind == L_ENTROPY ? "entropy" : "distinct");
        sep = ", ";
    }
    if (!rc && req->t > 0)
        rc = dbuf_printf(out, "%st=%g", sep, req->t);
    return rc;
}

/* One record statement: its text, or "not stated". */
static int row_stated(dbuf *out, const html_report *r, html_label_id label, const char *text)
{
    if (text)
        return html_row_text(out, r, label, text);
    return html_row_text(out, r, label, html_label(r->lang, HL_NOT_STATED));
}

/* A run's record statements (purpose ... key destruction), as the
 * processing record states them. */
static int custody_table(dbuf *out, const html_report *r)
{
    const html_run *run = r->run;
    int rc = dbuf_append_str(out, "<h3>");
    rc = rc ? rc : html_label_put(out, r, HL_CUSTODY);
    rc = rc ? rc : dbuf_append_str(out, "</h3>\n<table>\n");
    rc = rc ? rc : row_stated(out, r, HL_PURPOSE, run->purpose);
    rc = rc ? rc : row_stated(out, r, HL_RECIPIENT, run->recipient);
    rc = rc ? rc : row_stated(out, r, HL_RETAIN, run->retain_until);
    rc = rc ? rc : row_stated(out, r, HL_CONTROLLER, run->controller);
    rc = rc ? rc : row_stated(out, r, HL_CUSTODIAN, run->custodian);
    rc = rc ? rc : row_stated(out, r, HL_DESTROY_KEYS, run->destroy_keys_on);
    return rc ? rc : dbuf_append_str(out, "</table>\n");
}

int html_section_checked(dbuf *out, const html_report *r)
{
    int rc = html_section_begin(out, r, "checked", HL_SEC_CHECKED);
    rc = rc ? rc : dbuf_append_str(out, "<table>\n");
    rc = rc ? rc : html_row_text(out, r, HL_COMMAND, r->run ? "deid run" : "deid check");
    rc = rc ? rc : html_row_text(out, r, HL_VERSION, DEID_VERSION);
    if (r->rules_name) {
        rc = rc ? rc : html_row_text(out, r, HL_RULES, r->rules_name);
        rc = rc ? rc : dbuf_append_str(out, "<tr><th>");
        rc = rc ? rc : html_label_put(out, r, HL_RULES_SHA256);
        rc = rc ? rc : dbuf_append_str(out, "</th><td class=\"hash\">");
        rc = rc ? rc : html_escape_cstr(out, r->rules_sha256);
        rc = rc ? rc : dbuf_append_str(out, "</td></tr>\n");
    }
    if (r->privacy) {
        rc = rc ? rc : dbuf_append_str(out, "<tr><th>");
        rc = rc ? rc : html_label_put(out, r, HL_QUASI);
        rc = rc ? rc : dbuf_append_str(out, "</th><td>");
        rc = rc ? rc : names_cell(out, r, 0);
        rc = rc ? rc : dbuf_append_str(out, "</td></tr>\n<tr><th>");
        rc = rc ? rc : html_label_put(out, r, HL_SENSITIVE);
        rc = rc ? rc : dbuf_append_str(out, "</th><td>");
        rc = rc ? rc : names_cell(out, r, 1);
        rc = rc ? rc : dbuf_append_str(out, "</td></tr>\n<tr><th>");
        rc = rc ? rc : html_label_put(out, r, HL_REQUIREMENT);
        rc = rc ? rc : dbuf_append_str(out, "</th><td>");
        rc = rc ? rc : requirement_text(out, r);
        rc = rc ? rc : dbuf_append_str(out, "</td></tr>\n<tr><th>");
        rc = rc ? rc : html_label_put(out, r, HL_SUPPRESSION);
        rc = rc ? rc : dbuf_append_str(out, "</th><td>");
        rc = rc ? rc : html_label_put(out, r, HL_SUPPRESSION_TEXT);
        rc = rc ? rc : dbuf_append_str(out, " <code>");
        rc = rc ? rc : html_escape_cstr(out, r->privacy->token ? r->privacy->token : "*");
        rc = rc ? rc : dbuf_append_str(out, "</code></td></tr>\n");
    }
    rc = rc ? rc : dbuf_append_str(out, "</table>\n<h3>");
    rc = rc ? rc : html_label_put(out, r, HL_INPUTS);
    rc = rc ? rc : dbuf_append_str(out, "</h3>\n");
    rc = rc ? rc : files_table(out, r, r->inputs, r->n_inputs);
    if (r->output) {
        rc = rc ? rc : dbuf_append_str(out, "<h3>");
        rc = rc ? rc : html_label_put(out, r, HL_OUTPUT);
        rc = rc ? rc : dbuf_append_str(out, "</h3>\n");
        rc = rc ? rc : files_table(out, r, r->output, 1);
    }
    if (r->run)
        rc = rc ? rc : custody_table(out, r);
    return rc ? rc : html_section_end(out);
}

/* ---- class sizes and risk ---- */

/* A row whose label ends with " (k=K)". */
static int row_k(dbuf *out, const html_report *r, html_label_id label, const char *path,
                 uint64_t v, uint64_t k)
{
    char suffix[32];
    snprintf(suffix, sizeof suffix, "(k=%llu)", (unsigned long long)k);
    int rc = html_row_open(out, r, label, suffix, 1);
    rc = rc ? rc : html_figure_u64(out, r, path, v);
    return rc ? rc : dbuf_append_str(out, "</td></tr>\n");
}

int html_section_classes(dbuf *out, const html_report *r)
{
    if (!r->privacy)
        return 0;
    const privacy_stats *st = r->privacy->stats;
    int rc = html_section_begin(out, r, "classes", HL_SEC_CLASSES);
    rc = rc ? rc : dbuf_append_str(out, "<table>\n");
    rc = rc ? rc : html_row_u64(out, r, HL_RECORDS_IN_CLASSES, "records", st->records);
    rc = rc ? rc : html_row_u64(out, r, HL_SUPPRESSED_RECORDS, "suppressed_records", st->suppressed);
    rc = rc ? rc : html_row_u64(out, r, HL_CLASSES, "classes", st->classes);
    rc = rc ? rc : html_row_u64(out, r, HL_SMALLEST, "smallest_class", st->min_class);
    rc = rc ? rc : html_row_double(out, r, HL_MEDIAN, "median_class", st->median_class);
    rc = rc ? rc : html_row_u64(out, r, HL_LARGEST, "largest_class", st->max_class);
    rc = rc ? rc : html_row_u64(out, r, HL_UNIQUES, "unique_records", st->unique_records);
    rc = rc ? rc : row_k(out, r, HL_CLASSES_BELOW_K, "classes_below_k", st->classes_below_k, st->risk_k);
    rc = rc ? rc : row_k(out, r, HL_RECORDS_BELOW_K, "records_below_k", st->records_below_k, st->risk_k);
    rc = rc ? rc : dbuf_append_str(out, "</table>\n");
    html_bar bars[PRIVACY_HISTOGRAM_BUCKETS];
    for (size_t b = 0; b < PRIVACY_HISTOGRAM_BUCKETS; b++)
        bars[b] = (html_bar){size_bands[b], st->histogram[b]};
    rc = rc ? rc : html_bar_chart(out, r, HL_CHART_CLASSES, bars, PRIVACY_HISTOGRAM_BUCKETS,
                                  "histogram", "classes");
    return rc ? rc : html_section_end(out);
}

int html_section_risk(dbuf *out, const html_report *r)
{
    if (!r->privacy)
        return 0;
    const privacy_stats *st = r->privacy->stats;
    double threshold = r->risk_threshold > 0 ? r->risk_threshold : DEFAULT_THRESHOLD;
    uint64_t band_records[PRIVACY_HISTOGRAM_BUCKETS] = {0}, above = 0;
    size_t n = r->classes ? class_table_classes(r->classes) : 0;
    for (uint32_t c = 0; c < n; c++) {
        uint64_t z = class_table_size(r->classes, c);
        band_records[size_band(z)] += z;
        if (1.0 / (double)z > threshold)
            above += z;
    }
    int rc = html_section_begin(out, r, "risk", HL_SEC_RISK);
    rc = rc ? rc : dbuf_append_str(out, "<p class=\"note\">");
    rc = rc ? rc : html_label_put(out, r, HL_RISK_NOTE);
    rc = rc ? rc : dbuf_append_str(out, "</p>\n<table>\n");
    rc = rc ? rc : html_row_double(out, r, HL_RISK_MAX, "risk_max", st->risk_max);
    rc = rc ? rc : html_row_double(out, r, HL_RISK_AVG, "risk_average", st->risk_avg);
    char suffix[96];
    snprintf(suffix, sizeof suffix, "(1/k = 1/%llu)", (unsigned long long)st->risk_k);
    rc = rc ? rc : html_row_open(out, r, HL_RISK_SHARE, suffix, 1);
    rc = rc ? rc : html_figure_double(out, r, "risk_share", st->risk_share);
    rc = rc ? rc : dbuf_append_str(out, "</td></tr>\n");
    snprintf(suffix, sizeof suffix, "(%s %g)", html_label(r->lang, HL_THRESHOLD), threshold);
    rc = rc ? rc : html_row_open(out, r, HL_ABOVE_THRESHOLD, suffix, 1);
    rc = rc ? rc : html_figure_u64(out, r, "html.records_above_threshold", above);
    rc = rc ? rc : dbuf_append_str(out, " (");
    rc = rc ? rc : html_figure_double(out, r, NULL, st->records ? (double)above / (double)st->records : 0);
    rc = rc ? rc : dbuf_append_str(out, ")</td></tr>\n</table>\n");
    html_bar bars[PRIVACY_HISTOGRAM_BUCKETS];
    for (size_t b = 0; b < PRIVACY_HISTOGRAM_BUCKETS; b++)
        bars[b] = (html_bar){risk_bands[b], band_records[b]};
    if (r->classes)
        rc = rc ? rc : html_bar_chart(out, r, HL_RISK_BANDS_CHART, bars, PRIVACY_HISTOGRAM_BUCKETS,
                                      "html.risk_band", "records");
    return rc ? rc : html_section_end(out);
}

/* ---- l-diversity and t-closeness per class ---- */

#define L_BANDS 6  /* distinct l: 1, 2, 3, 4, 5-9, 10+ */
#define T_BANDS 10 /* distance: [0, 0.1), [0.1, 0.2), ..., [0.9, 1] */

typedef struct class_fig {
    uint32_t c;
    privacy_class_figures f;
} class_fig;

typedef struct sens_summary {
    uint64_t l_bands[L_BANDS], t_bands[T_BANDS];
    class_fig worst[WORST_CLASSES];
    size_t n_worst;
} sens_summary;

/* Weaker first: fewer distinct values, then lower entropy l, then farther
 * from the overall distribution, then smaller. */
static int weaker(const privacy_class_figures *a, const privacy_class_figures *b)
{
    if (a->distinct_l != b->distinct_l)
        return a->distinct_l < b->distinct_l;
    if (a->entropy_l != b->entropy_l)
        return a->entropy_l < b->entropy_l;
    if (a->distance != b->distance)
        return a->distance > b->distance;
    return a->size < b->size;
}

static void summarize_class(void *ctx, uint32_t c, const privacy_class_figures *f)
{
    sens_summary *s = ctx;
    size_t l = f->distinct_l;
    s->l_bands[l <= 4 ? (l ? l - 1 : 0) : l < 10 ? 4 : 5]++;
    size_t tb = (size_t)(f->distance * T_BANDS);
    s->t_bands[tb >= T_BANDS ? T_BANDS - 1 : tb]++;
    /* keep the WORST_CLASSES weakest, weakest first (insertion) */
    size_t at = s->n_worst;
    while (at > 0 && weaker(f, &s->worst[at - 1].f))
        at--;
    if (at >= WORST_CLASSES)
        return;
    size_t last = s->n_worst < WORST_CLASSES ? s->n_worst : WORST_CLASSES - 1;
    memmove(&s->worst[at + 1], &s->worst[at], (last - at) * sizeof s->worst[0]);
    s->worst[at] = (class_fig){c, *f};
    if (s->n_worst < WORST_CLASSES)
        s->n_worst++;
}

static int one_sensitive(dbuf *out, const html_report *r, size_t s)
{
    static const char *const l_names[L_BANDS] = {"1", "2", "3", "4", "5-9", "10+"};
    static const char *const t_names[T_BANDS] = {"0-0.1", "0.1-0.2", "0.2-0.3", "0.3-0.4",
                                                 "0.4-0.5", "0.5-0.6", "0.6-0.7", "0.7-0.8",
                                                 "0.8-0.9", "0.9-1"};
    const privacy_report_input *p = r->privacy;
    const privacy_sensitive_stats *ss = &p->stats->sensitive[s];
    const privacy_requirement *req = p->req;
    char path[64];
    int rc = dbuf_append_str(out, "<h3>");
    rc = rc ? rc : html_escape_cstr(out, p->sensitive[s].name);
    rc = rc ? rc : dbuf_append_str(out, " (");
    rc = rc ? rc : html_label_put(out, r, dist_label(&p->sensitive[s]));
    rc = rc ? rc : dbuf_append_str(out, ")</h3>\n<table>\n");
    snprintf(path, sizeof path, "sensitive.%zu.min_distinct_l", s);
    rc = rc ? rc : html_row_double(out, r, HL_MIN_DISTINCT_L, path, ss->min_distinct_l);
    snprintf(path, sizeof path, "sensitive.%zu.min_entropy_l", s);
    rc = rc ? rc : html_row_double(out, r, HL_MIN_ENTROPY_L, path, ss->min_entropy_l);
    snprintf(path, sizeof path, "sensitive.%zu.max_t", s);
    rc = rc ? rc : html_row_double(out, r, HL_MAX_T, path, ss->max_t);
    if (req && req->l > 0) {
        snprintf(path, sizeof path, "sensitive.%zu.classes_below_l", s);
        rc = rc ? rc : html_row_u64(out, r, HL_CLASSES_BELOW_L, path, ss->classes_below_l);
    }
    if (req && req->t > 0) {
        snprintf(path, sizeof path, "sensitive.%zu.classes_above_t", s);
        rc = rc ? rc : html_row_u64(out, r, HL_CLASSES_ABOVE_T, path, ss->classes_above_t);
    }
    rc = rc ? rc : dbuf_append_str(out, "</table>\n");
    if (rc || !r->classes)
        return rc;
    sens_summary *sum = calloc(1, sizeof *sum);
    if (!sum)
        return DBUF_ENOMEM;
    if (privacy_each_class(r->classes, p->sensitive, s, summarize_class, sum)) {
        free(sum);
        return DBUF_ENOMEM;
    }
    html_bar bars[T_BANDS];
    for (size_t b = 0; b < L_BANDS; b++)
        bars[b] = (html_bar){l_names[b], sum->l_bands[b]};
    rc = html_bar_chart(out, r, HL_L_CHART, bars, L_BANDS, NULL, NULL);
    for (size_t b = 0; b < T_BANDS; b++)
        bars[b] = (html_bar){t_names[b], sum->t_bands[b]};
    rc = rc ? rc : html_bar_chart(out, r, HL_T_CHART, bars, T_BANDS, NULL, NULL);
    rc = rc ? rc : dbuf_append_str(out, "<table>\n<caption>");
    rc = rc ? rc : html_label_put(out, r, HL_WORST);
    rc = rc ? rc : dbuf_append_str(out, "</caption>\n<tr>");
    rc = rc ? rc : html_head_cell(out, r, HL_SIZE, 1);
    rc = rc ? rc : html_head_cell(out, r, HL_DISTINCT_L, 1);
    rc = rc ? rc : html_head_cell(out, r, HL_ENTROPY_L, 1);
    rc = rc ? rc : html_head_cell(out, r, HL_DISTANCE, 1);
    rc = rc ? rc : dbuf_append_str(out, "</tr>\n");
    for (size_t i = 0; i < sum->n_worst && !rc; i++) {
        const privacy_class_figures *f = &sum->worst[i].f;
        rc = dbuf_printf(out, "<tr><td class=\"n\">%llu</td><td class=\"n\">%zu</td>"
                              "<td class=\"n\">%.6f</td><td class=\"n\">%.6f</td></tr>\n",
                         (unsigned long long)f->size, f->distinct_l, f->entropy_l, f->distance);
    }
    free(sum);
    return rc ? rc : dbuf_append_str(out, "</table>\n");
}

int html_section_sensitive(dbuf *out, const html_report *r)
{
    if (!r->privacy || !r->privacy->stats->n_sensitive)
        return 0;
    int rc = html_section_begin(out, r, "sensitive", HL_SEC_SENSITIVE);
    for (size_t s = 0; s < r->privacy->stats->n_sensitive && !rc; s++)
        rc = one_sensitive(out, r, s);
    return rc ? rc : html_section_end(out);
}
