/*
 * privacy_report.c - privacy figures as aligned text and as JSON (see
 * privacy_report.h). Shared by `deid check` and `deid run`, so an auditor
 * and the engine describe a data set in the same words.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deid.h"
#include "json.h"
#include "privacy_report.h"
#include "text_escape.h"
#include "utf8.h"

/* Figures line up: label in LABEL_W columns, value right-aligned in VALUE_W. */
#define LABEL_W 34
#define VALUE_W 12

static const char *const bucket_names[PRIVACY_HISTOGRAM_BUCKETS] = {
    "1", "2", "3-4", "5-9", "10-19", "20-49", "50-99", "100+",
};

static const char *token_of(const privacy_report_input *in)
{
    return in->token ? in->token : "*";
}

privacy_report_verdict privacy_report_verdict_of(const privacy_stats *stats,
                                                 const privacy_requirement *req)
{
    privacy_report_verdict v = {-1, -1, -1};
    if (!req)
        return v;
    if (req->k > 0)
        v.k = stats->classes_below_k == 0;
    if (req->l > 0) {
        v.l = 1;
        for (size_t s = 0; s < stats->n_sensitive; s++)
            if (stats->sensitive[s].classes_below_l > 0)
                v.l = 0;
    }
    if (req->t > 0) {
        v.t = 1;
        for (size_t s = 0; s < stats->n_sensitive; s++)
            if (stats->sensitive[s].classes_above_t > 0)
                v.t = 0;
    }
    return v;
}

int privacy_report_convention(dbuf *out, const char *token)
{
    int rc = dbuf_append_str(out, "records whose QIs all equal ");
    rc = rc ? rc : json_append_cstr(out, token ? token : "*");
    return rc ? rc
              : dbuf_append_str(out, " are counted as suppressed and excluded from classes "
                                     "and risk, as ARX does");
}

/* ---- text ------------------------------------------------------------------ */

/* Terminal columns of s: East Asian wide characters (Hangul, CJK, full
 * width forms) take two, other code points one; invalid UTF-8 counts
 * bytes. Close enough to line up Korean column names and values. */
static size_t width_of(const char *s, size_t len)
{
    size_t w = 0, at = 0;
    while (at < len) {
        uint32_t cp;
        size_t k = utf8_decode(s + at, len - at, &cp);
        if (k == 0)
            return len;
        int wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                   (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                   (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6);
        w += wide ? 2 : 1;
        at += k;
    }
    return w;
}

static int spaces(dbuf *b, size_t n)
{
    int rc = DBUF_OK;
    while (n-- > 0 && !rc)
        rc = dbuf_putc(b, ' ');
    return rc;
}

/* "  label ....... value" with the value right-aligned. */
static int figure(dbuf *b, unsigned indent, const char *label, const char *value)
{
    size_t w = indent + strlen(label);
    int rc = spaces(b, indent);
    rc = rc ? rc : dbuf_append_str(b, label);
    size_t vw = strlen(value);
    size_t pad = (w < LABEL_W ? LABEL_W - w : 1) + (vw < VALUE_W ? VALUE_W - vw : 0);
    rc = rc ? rc : spaces(b, pad);
    rc = rc ? rc : dbuf_append_str(b, value);
    return rc ? rc : dbuf_putc(b, '\n');
}

static int figure_u(dbuf *b, unsigned indent, const char *label, uint64_t v)
{
    char s[32];
    snprintf(s, sizeof s, "%llu", (unsigned long long)v);
    return figure(b, indent, label, s);
}

static int figure_d(dbuf *b, unsigned indent, const char *label, double v)
{
    char s[64];
    snprintf(s, sizeof s, "%.6f", v);
    return figure(b, indent, label, s);
}

/* "label       text" for the heading lines (text left-aligned). */
/* Columns a name takes as printed: escaped when it holds control bytes
 * (then counted in bytes, the escapes being ASCII). */
static size_t name_width(const char *s)
{
    size_t len = strlen(s);
    return text_needs_escape(s, len, 0) ? text_escape(s, len, 0, NULL, 0) : width_of(s, len);
}

/* How the sensitive columns treated empty values (one setting for all). */
static int ignores_empty(const privacy_report_input *in)
{
    return in->stats->n_sensitive && in->sensitive[0].ignore_empty;
}

static const char *empty_mode_text(const privacy_report_input *in)
{
    return ignores_empty(in) ? "left out of l and t (--sensitive-empty=ignore)"
                             : "counted as a value, as ARX does (--sensitive-empty=value)";
}

static int heading(dbuf *b, const char *label, const char *text)
{
    int rc = dbuf_printf(b, "%-*s", LABEL_W - 8, label);
    /* file and column names may hold control bytes (text_escape.h) */
    rc = rc ? rc : text_escape_append(b, text, strlen(text));
    return rc ? rc : dbuf_putc(b, '\n');
}

/* Appends a data value for the terminal: control bytes become \xNN so a
 * value cannot move the cursor or forge lines. */
static int append_shown(dbuf *b, const char *s, size_t len)
{
    int rc = DBUF_OK;
    for (size_t i = 0; i < len && !rc; i++) {
        unsigned char c = (unsigned char)s[i];
        rc = (c < 0x20 || c == 0x7f) ? dbuf_printf(b, "\\x%02x", c) : dbuf_putc(b, (char)c);
    }
    return rc;
}

static int text_header(dbuf *b, const privacy_report_input *in)
{
    const privacy_stats *st = in->stats;
    int rc = dbuf_printf(b, "%s\n", in->title ? in->title : "privacy");
    for (size_t i = 0; i < in->n_inputs && !rc; i++) {
        rc = heading(b, "input", in->inputs[i].name ? in->inputs[i].name : "-");
        if (!rc && in->inputs[i].sha256 && in->inputs[i].sha256[0])
            rc = heading(b, "sha256", in->inputs[i].sha256);
        const char *enc = in->inputs[i].encoding;
        if (!rc && enc && strcmp(enc, "utf-8"))
            rc = heading(b, "encoding", enc);
    }
    dbuf list;
    dbuf_init(&list, b->max);
    for (size_t q = 0; q < st->n_qi && !rc; q++) {
        rc = q ? dbuf_append_str(&list, ", ") : DBUF_OK;
        rc = rc ? rc : dbuf_append_str(&list, in->quasi[q]);
    }
    const char *s = rc ? NULL : dbuf_cstr(&list);
    rc = rc ? rc : s ? heading(b, "quasi-identifiers", s) : DBUF_ENOMEM;
    dbuf_reset(&list);
    for (size_t i = 0; i < st->n_sensitive && !rc; i++) {
        rc = dbuf_printf(&list, "%s%s (%s distance)", i ? ", " : "", in->sensitive[i].name,
                         in->sensitive[i].ordered ? "ordered" : "equal");
    }
    if (!rc && st->n_sensitive) {
        s = dbuf_cstr(&list);
        rc = s ? heading(b, "sensitive", s) : DBUF_ENOMEM;
        rc = rc ? rc : heading(b, "empty values", empty_mode_text(in));
    }
    dbuf_reset(&list);
    rc = rc ? rc : privacy_report_convention(&list, token_of(in));
    if (!rc) {
        s = dbuf_cstr(&list);
        rc = s ? heading(b, "suppression", s) : DBUF_ENOMEM;
    }
    dbuf_free(&list);
    return rc;
}

static int text_classes(dbuf *b, const privacy_report_input *in)
{
    const privacy_stats *st = in->stats;
    char label[96];
    int rc = dbuf_putc(b, '\n');
    rc = rc ? rc : figure_u(b, 0, "records", st->records);
    rc = rc ? rc : figure_u(b, 0, "suppressed records", st->suppressed);
    rc = rc ? rc : figure_u(b, 0, "classes", st->classes);
    rc = rc ? rc : figure_u(b, 0, "smallest class", st->min_class);
    rc = rc ? rc : figure_d(b, 0, "median class", st->median_class);
    rc = rc ? rc : figure_u(b, 0, "largest class", st->max_class);
    rc = rc ? rc : figure_u(b, 0, "unique records", st->unique_records);
    /* -k 2,5,10: each k's figures (the largest is risk_k's) */
    for (size_t i = 0; i + 1 < st->n_k_list && !rc; i++) {
        snprintf(label, sizeof label, "classes below k=%llu", (unsigned long long)st->k_list[i]);
        rc = figure_u(b, 0, label, st->classes_below[i]);
        snprintf(label, sizeof label, "records below k=%llu", (unsigned long long)st->k_list[i]);
        rc = rc ? rc : figure_u(b, 0, label, st->records_below[i]);
    }
    snprintf(label, sizeof label, "classes below k=%llu", (unsigned long long)st->risk_k);
    rc = rc ? rc : figure_u(b, 0, label, st->classes_below_k);
    snprintf(label, sizeof label, "records below k=%llu", (unsigned long long)st->risk_k);
    rc = rc ? rc : figure_u(b, 0, label, st->records_below_k);

    rc = rc ? rc : dbuf_append_str(b, "\nclasses by size\n");
    for (size_t i = 0; i < PRIVACY_HISTOGRAM_BUCKETS && !rc; i++) {
        snprintf(label, sizeof label, "size %s", bucket_names[i]);
        rc = figure_u(b, 2, label, st->histogram[i]);
    }

    rc = rc ? rc : dbuf_append_str(b, "\nprosecutor risk\n");
    rc = rc ? rc : figure_d(b, 2, "highest", st->risk_max);
    rc = rc ? rc : figure_d(b, 2, "average", st->risk_avg);
    snprintf(label, sizeof label, "share of records above 1/%llu", (unsigned long long)st->risk_k);
    rc = rc ? rc : figure_d(b, 2, label, st->risk_share);
    return rc;
}

static int text_sensitive(dbuf *b, const privacy_report_input *in)
{
    const privacy_stats *st = in->stats;
    const privacy_requirement *req = in->req;
    char label[96];
    int rc = DBUF_OK;
    for (size_t i = 0; i < st->n_sensitive && !rc; i++) {
        const privacy_sensitive_stats *ss = &st->sensitive[i];
        rc = dbuf_append_str(b, "\nsensitive column ");
        rc = rc ? rc : json_append_cstr(b, in->sensitive[i].name);
        rc = rc ? rc : dbuf_putc(b, '\n');
        rc = rc ? rc : figure_u(b, 2, "distinct l, smallest", (uint64_t)ss->min_distinct_l);
        if (!rc && req && req->l > 0) {
            snprintf(label, sizeof label, "classes below l=%g (%s)", req->l,
                     req->l_kind == L_ENTROPY ? "entropy" : "distinct");
            rc = figure_u(b, 2, label, ss->classes_below_l);
        }
        rc = rc ? rc : figure_d(b, 2, "entropy l, smallest", ss->min_entropy_l);
        snprintf(label, sizeof label, "t-closeness, largest (%s)",
                 in->sensitive[i].ordered ? "ordered" : "equal");
        rc = rc ? rc : figure_d(b, 2, label, ss->max_t);
        if (!rc && req && req->t > 0) {
            snprintf(label, sizeof label, "classes above t=%g", req->t);
            rc = figure_u(b, 2, label, ss->classes_above_t);
        }
    }
    return rc;
}

static int text_qi(dbuf *b, const privacy_report_input *in)
{
    const privacy_stats *st = in->stats;
    size_t wname = strlen("quasi-identifier");
    for (size_t q = 0; q < st->n_qi; q++) {
        size_t w = 2 + name_width(in->quasi[q]);
        wname = w > wname ? w : wname;
    }
    size_t drive = privacy_driving_qi(st);
    int rc = dbuf_append_str(b, "\nquasi-identifier");
    rc = rc ? rc : spaces(b, wname - strlen("quasi-identifier"));
    rc = rc ? rc : dbuf_printf(b, "  %10s  %14s\n", "distinct", "uniques freed");
    for (size_t q = 0; q < st->n_qi && !rc; q++) {
        rc = dbuf_append_str(b, "  ");
        rc = rc ? rc : text_escape_append(b, in->quasi[q], strlen(in->quasi[q]));
        rc = rc ? rc : spaces(b, wname - 2 - name_width(in->quasi[q]));
        rc = rc ? rc : dbuf_printf(b, "  %10llu  %14llu%s\n",
                                   (unsigned long long)st->qi[q].distinct,
                                   (unsigned long long)st->qi[q].uniques_freed,
                                   q == drive ? "  <- drives uniqueness" : "");
    }
    return rc ? rc
              : dbuf_append_str(b, "(uniques freed: unique records that would no longer be "
                                   "unique without this QI)\n");
}

static const char *holds(int v)
{
    return v ? "met" : "not met";
}

static int text_requirement(dbuf *b, const privacy_report_input *in)
{
    const privacy_requirement *req = in->req;
    privacy_report_verdict v = privacy_report_verdict_of(in->stats, req);
    char label[96];
    int rc = dbuf_append_str(b, "\nrequirement\n");
    if (v.k < 0 && v.l < 0 && v.t < 0) {
        rc = rc ? rc : dbuf_append_str(b, "  none given\n");
        return rc ? rc : figure(b, 0, "result", "nothing required");
    }
    if (v.k >= 0) {
        snprintf(label, sizeof label, "k=%llu", (unsigned long long)req->k);
        rc = rc ? rc : figure(b, 2, label, holds(v.k));
    }
    if (v.l >= 0) {
        snprintf(label, sizeof label, "l=%g (%s)", req->l,
                 req->l_kind == L_ENTROPY ? "entropy" : "distinct");
        rc = rc ? rc : figure(b, 2, label, holds(v.l));
    }
    if (v.t >= 0) {
        snprintf(label, sizeof label, "t=%g", req->t);
        rc = rc ? rc : figure(b, 2, label, holds(v.t));
    }
    return rc ? rc : figure(b, 0, "result", in->stats->met ? "MET" : "NOT MET");
}

static int text_smallest(dbuf *b, const privacy_report_input *in)
{
    size_t n_qi = in->stats->n_qi;
    if (!in->smallest || in->n_smallest == 0)
        return DBUF_OK;
    dbuf cell;
    dbuf_init(&cell, b->max);
    size_t *width = calloc(n_qi ? n_qi : 1, sizeof *width);
    if (!width)
        return DBUF_ENOMEM;
    int rc = DBUF_OK;
    for (size_t q = 0; q < n_qi; q++)
        width[q] = name_width(in->quasi[q]);
    for (size_t i = 0; i < in->n_smallest && !rc; i++)
        for (size_t q = 0; q < n_qi && !rc; q++) {
            dbuf_reset(&cell);
            rc = append_shown(&cell, in->smallest[i].qi[q].data, in->smallest[i].qi[q].len);
            size_t w = rc ? 0 : width_of(cell.data ? cell.data : "", cell.len);
            width[q] = w > width[q] ? w : width[q];
        }
    int wsize = 4;
    for (size_t i = 0; i < in->n_smallest; i++) {
        char digits[32];
        int w = snprintf(digits, sizeof digits, "%llu", (unsigned long long)in->smallest[i].size);
        wsize = w > wsize ? w : wsize;
    }
    rc = rc ? rc
            : dbuf_printf(b, "\nsmallest classes (these lines show data values)\n  %*s", wsize,
                          "size");
    for (size_t q = 0; q < n_qi && !rc; q++) {
        rc = dbuf_append_str(b, "  ");
        rc = rc ? rc : text_escape_append(b, in->quasi[q], strlen(in->quasi[q]));
        if (q + 1 < n_qi)
            rc = rc ? rc : spaces(b, width[q] - name_width(in->quasi[q]));
    }
    rc = rc ? rc : dbuf_putc(b, '\n');
    for (size_t i = 0; i < in->n_smallest && !rc; i++) {
        rc = dbuf_printf(b, "  %*llu", wsize, (unsigned long long)in->smallest[i].size);
        for (size_t q = 0; q < n_qi && !rc; q++) {
            dbuf_reset(&cell);
            rc = append_shown(&cell, in->smallest[i].qi[q].data, in->smallest[i].qi[q].len);
            rc = rc ? rc : dbuf_append_str(b, "  ");
            rc = rc ? rc : dbuf_append(b, cell.data ? cell.data : "", cell.len);
            if (q + 1 < n_qi)
                rc = rc ? rc : spaces(b, width[q] - width_of(cell.data ? cell.data : "", cell.len));
        }
        rc = rc ? rc : dbuf_putc(b, '\n');
    }
    free(width);
    dbuf_wipe(&cell);
    return rc;
}

int privacy_report_text(dbuf *out, const privacy_report_input *in)
{
    int rc = text_header(out, in);
    rc = rc ? rc : text_classes(out, in);
    if (!rc && in->risk)
        rc = risk_report_text(out, in->risk, LABEL_W, VALUE_W);
    rc = rc ? rc : text_sensitive(out, in);
    rc = rc ? rc : text_qi(out, in);
    rc = rc ? rc : text_requirement(out, in);
    return rc ? rc : text_smallest(out, in);
}

/* ---- JSON ------------------------------------------------------------------ */

static int json_u64(dbuf *b, uint64_t v)
{
    return dbuf_printf(b, "%llu", (unsigned long long)v);
}

static int json_tristate(dbuf *b, int v)
{
    return dbuf_append_str(b, v < 0 ? "null" : v ? "true" : "false");
}

/* Starts member name on a new line: ",\n" (unless first) + indent + "name": . */
static int member(dbuf *b, unsigned indent, int *first, const char *name)
{
    int rc = *first ? dbuf_putc(b, '\n') : dbuf_append_str(b, ",\n");
    *first = 0;
    rc = rc ? rc : spaces(b, indent);
    rc = rc ? rc : json_append_cstr(b, name);
    return rc ? rc : dbuf_append_str(b, ": ");
}

static int member_u64(dbuf *b, unsigned indent, int *first, const char *name, uint64_t v)
{
    int rc = member(b, indent, first, name);
    return rc ? rc : json_u64(b, v);
}

static int member_double(dbuf *b, unsigned indent, int *first, const char *name, double v)
{
    int rc = member(b, indent, first, name);
    return rc ? rc : json_append_double(b, v);
}

/* Starts item i of a JSON array written one item a line, indented ind + 2
 * under a "[" at indent ind. Returns a DBUF_* code. */
static int array_item(dbuf *b, size_t i, unsigned ind)
{
    int rc = dbuf_printf(b, "%s\n", i ? "," : "");
    return rc ? rc : spaces(b, ind + 2);
}

/* Ends such an array of n items: the "]" on its own line at indent ind,
 * or right after the "[" when there are none. Returns a DBUF_* code. */
static int array_end(dbuf *b, size_t n, unsigned ind)
{
    int rc = DBUF_OK;
    if (n) {
        rc = dbuf_putc(b, '\n');
        rc = rc ? rc : spaces(b, ind);
    }
    return rc ? rc : dbuf_putc(b, ']');
}

static int json_inputs(dbuf *b, const privacy_report_input *in, unsigned ind)
{
    int rc = dbuf_putc(b, '[');
    for (size_t i = 0; i < in->n_inputs && !rc; i++) {
        const privacy_report_source *src = &in->inputs[i];
        rc = array_item(b, i, ind);
        rc = rc ? rc : dbuf_append_str(b, "{\"name\": ");
        rc = rc ? rc : json_append_cstr(b, src->name ? src->name : "-");
        rc = rc ? rc : dbuf_append_str(b, ", \"sha256\": ");
        if (!rc && src->sha256 && src->sha256[0])
            rc = json_append_cstr(b, src->sha256);
        else if (!rc)
            rc = dbuf_append_str(b, "null");
        if (!rc && src->encoding) {
            rc = dbuf_append_str(b, ", \"encoding\": ");
            rc = rc ? rc : json_append_cstr(b, src->encoding);
        }
        rc = rc ? rc : dbuf_putc(b, '}');
    }
    return rc ? rc : array_end(b, in->n_inputs, ind);
}

/* Appends v, or null when the figure is not known (its requirement is not
 * set). Returns a DBUF_* code. */
static int u64_or_null(dbuf *b, int known, uint64_t v)
{
    return known ? json_u64(b, v) : dbuf_append_str(b, "null");
}

static int double_or_null(dbuf *b, int known, double v)
{
    return known ? json_append_double(b, v) : dbuf_append_str(b, "null");
}

static int json_requirement(dbuf *b, const privacy_report_input *in)
{
    const privacy_requirement *req = in->req;
    int rc = dbuf_append_str(b, "{\"k\": ");
    rc = rc ? rc : u64_or_null(b, req && req->k, req ? req->k : 0);
    rc = rc ? rc : dbuf_append_str(b, ", \"l\": ");
    rc = rc ? rc : double_or_null(b, req && req->l > 0, req ? req->l : 0);
    rc = rc ? rc : dbuf_append_str(b, ", \"l_kind\": ");
    rc = rc ? rc
            : dbuf_append_str(b, req && req->l > 0
                                     ? (req->l_kind == L_ENTROPY ? "\"entropy\"" : "\"distinct\"")
                                     : "null");
    rc = rc ? rc : dbuf_append_str(b, ", \"t\": ");
    rc = rc ? rc : double_or_null(b, req && req->t > 0, req ? req->t : 0);
    return rc ? rc : dbuf_putc(b, '}');
}

static int json_histogram(dbuf *b, const privacy_stats *st, unsigned ind)
{
    int rc = dbuf_putc(b, '[');
    for (size_t i = 0; i < PRIVACY_HISTOGRAM_BUCKETS && !rc; i++) {
        rc = array_item(b, i, ind);
        rc = rc ? rc
                : dbuf_printf(b, "{\"sizes\": \"%s\", \"classes\": %llu}", bucket_names[i],
                              (unsigned long long)st->histogram[i]);
    }
    return rc ? rc : array_end(b, PRIVACY_HISTOGRAM_BUCKETS, ind);
}

static int json_sensitive(dbuf *b, const privacy_report_input *in, unsigned ind)
{
    const privacy_stats *st = in->stats;
    int rc = dbuf_putc(b, '[');
    for (size_t i = 0; i < st->n_sensitive && !rc; i++) {
        const privacy_sensitive_stats *ss = &st->sensitive[i];
        rc = array_item(b, i, ind);
        rc = rc ? rc : dbuf_append_str(b, "{\"name\": ");
        rc = rc ? rc : json_append_cstr(b, in->sensitive[i].name);
        rc = rc ? rc
                : dbuf_printf(b, ", \"ordered\": %s, \"empty\": \"%s\", \"min_distinct_l\": ",
                              in->sensitive[i].ordered ? "true" : "false",
                              in->sensitive[i].ignore_empty ? "ignore" : "value");
        rc = rc ? rc : json_append_double(b, ss->min_distinct_l);
        rc = rc ? rc : dbuf_append_str(b, ", \"classes_below_l\": ");
        rc = rc ? rc : u64_or_null(b, in->req && in->req->l > 0, ss->classes_below_l);
        rc = rc ? rc : dbuf_append_str(b, ", \"min_entropy_l\": ");
        rc = rc ? rc : json_append_double(b, ss->min_entropy_l);
        rc = rc ? rc : dbuf_append_str(b, ", \"max_t\": ");
        rc = rc ? rc : json_append_double(b, ss->max_t);
        rc = rc ? rc : dbuf_append_str(b, ", \"classes_above_t\": ");
        rc = rc ? rc : u64_or_null(b, in->req && in->req->t > 0, ss->classes_above_t);
        rc = rc ? rc : dbuf_putc(b, '}');
    }
    return rc ? rc : array_end(b, st->n_sensitive, ind);
}

static int json_quasi(dbuf *b, const privacy_report_input *in, unsigned ind)
{
    const privacy_stats *st = in->stats;
    size_t drive = privacy_driving_qi(st);
    int rc = dbuf_putc(b, '[');
    for (size_t q = 0; q < st->n_qi && !rc; q++) {
        rc = array_item(b, q, ind);
        rc = rc ? rc : dbuf_append_str(b, "{\"name\": ");
        rc = rc ? rc : json_append_cstr(b, in->quasi[q]);
        rc = rc ? rc
                : dbuf_printf(b, ", \"distinct\": %llu, \"uniques_freed\": %llu, "
                                 "\"drives_risk\": %s}",
                              (unsigned long long)st->qi[q].distinct,
                              (unsigned long long)st->qi[q].uniques_freed,
                              q == drive ? "true" : "false");
    }
    return rc ? rc : array_end(b, st->n_qi, ind);
}

static int json_smallest(dbuf *b, const privacy_report_input *in, unsigned ind)
{
    int rc = dbuf_putc(b, '[');
    for (size_t i = 0; i < in->n_smallest && !rc; i++) {
        rc = array_item(b, i, ind);
        rc = rc ? rc
                : dbuf_printf(b, "{\"size\": %llu, \"values\": [",
                              (unsigned long long)in->smallest[i].size);
        for (size_t q = 0; q < in->stats->n_qi && !rc; q++) {
            rc = q ? dbuf_append_str(b, ", ") : DBUF_OK;
            rc = rc ? rc
                    : json_append_string(b, in->smallest[i].qi[q].data, in->smallest[i].qi[q].len);
        }
        rc = rc ? rc : dbuf_append_str(b, "]}");
    }
    return rc ? rc : array_end(b, in->n_smallest, ind);
}

int privacy_report_json(dbuf *out, const privacy_report_input *in, unsigned indent)
{
    const privacy_stats *st = in->stats;
    const unsigned m = indent + 2;
    int first = 1;
    privacy_report_verdict v = privacy_report_verdict_of(st, in->req);
    int rc = dbuf_putc(out, '{');
    if (!rc && in->schema) {
        rc = json_append_header(out, in->schema, m);
        first = 0;
        /* the header ends with a comma: the next member starts a new line */
        rc = rc ? rc : dbuf_putc(out, '\n');
        rc = rc ? rc : spaces(out, m);
        rc = rc ? rc : dbuf_append_str(out, "\"deid_version\": ");
    } else {
        rc = rc ? rc : member(out, m, &first, "deid_version");
    }
    rc = rc ? rc : json_append_cstr(out, DEID_VERSION);
    rc = rc ? rc : member(out, m, &first, "inputs");
    rc = rc ? rc : json_inputs(out, in, m);
    rc = rc ? rc : member(out, m, &first, "suppression_token");
    rc = rc ? rc : json_append_cstr(out, token_of(in));
    rc = rc ? rc : member(out, m, &first, "suppression_convention");
    if (!rc) {
        dbuf sentence;
        dbuf_init(&sentence, out->max);
        rc = privacy_report_convention(&sentence, token_of(in));
        rc = rc ? rc : json_append_string(out, sentence.data ? sentence.data : "", sentence.len);
        dbuf_free(&sentence);
    }
    rc = rc ? rc : member(out, m, &first, "requirement");
    rc = rc ? rc : json_requirement(out, in);
    rc = rc ? rc : member_u64(out, m, &first, "records", st->records);
    rc = rc ? rc : member_u64(out, m, &first, "suppressed_records", st->suppressed);
    rc = rc ? rc : member_u64(out, m, &first, "classes", st->classes);
    rc = rc ? rc : member_u64(out, m, &first, "smallest_class", st->min_class);
    rc = rc ? rc : member_double(out, m, &first, "median_class", st->median_class);
    rc = rc ? rc : member_u64(out, m, &first, "largest_class", st->max_class);
    rc = rc ? rc : member_u64(out, m, &first, "unique_records", st->unique_records);
    rc = rc ? rc : member(out, m, &first, "histogram");
    rc = rc ? rc : json_histogram(out, st, m);
    rc = rc ? rc : member_u64(out, m, &first, "risk_k", st->risk_k);
    rc = rc ? rc : member_u64(out, m, &first, "classes_below_k", st->classes_below_k);
    rc = rc ? rc : member_u64(out, m, &first, "records_below_k", st->records_below_k);
    if (!rc && st->n_k_list) {
        rc = member(out, m, &first, "k_list");
        rc = rc ? rc : dbuf_putc(out, '[');
        for (size_t i = 0; i < st->n_k_list && !rc; i++)
            rc = dbuf_printf(out, "%s{\"k\": %llu, \"classes_below_k\": %llu, \"records_below_k\": %llu}",
                             i ? ", " : "", (unsigned long long)st->k_list[i],
                             (unsigned long long)st->classes_below[i],
                             (unsigned long long)st->records_below[i]);
        rc = rc ? rc : dbuf_putc(out, ']');
    }
    rc = rc ? rc : member_double(out, m, &first, "risk_max", st->risk_max);
    rc = rc ? rc : member_double(out, m, &first, "risk_average", st->risk_avg);
    rc = rc ? rc : member_double(out, m, &first, "risk_threshold",
                                 st->risk_k ? 1.0 / (double)st->risk_k : 0.0);
    rc = rc ? rc : member_double(out, m, &first, "risk_share", st->risk_share);
    if (!rc && in->risk) {
        rc = member(out, m, &first, "risk");
        rc = rc ? rc : risk_report_json(out, in->risk, m);
    }
    rc = rc ? rc : member(out, m, &first, "sensitive");
    rc = rc ? rc : json_sensitive(out, in, m);
    rc = rc ? rc : member(out, m, &first, "sensitive_empty");
    rc = rc ? rc : json_append_cstr(out, ignores_empty(in) ? "ignore" : "value");
    rc = rc ? rc : member(out, m, &first, "quasi");
    rc = rc ? rc : json_quasi(out, in, m);
    rc = rc ? rc : member(out, m, &first, "result");
    rc = rc ? rc : dbuf_append_str(out, "{\"k\": ");
    rc = rc ? rc : json_tristate(out, v.k);
    rc = rc ? rc : dbuf_append_str(out, ", \"l\": ");
    rc = rc ? rc : json_tristate(out, v.l);
    rc = rc ? rc : dbuf_append_str(out, ", \"t\": ");
    rc = rc ? rc : json_tristate(out, v.t);
    rc = rc ? rc : dbuf_putc(out, '}');
    rc = rc ? rc : member(out, m, &first, "met");
    rc = rc ? rc : dbuf_append_str(out, st->met ? "true" : "false");
    if (!rc && in->smallest && in->n_smallest) {
        rc = member(out, m, &first, "smallest_classes");
        rc = rc ? rc : json_smallest(out, in, m);
    }
    rc = rc ? rc : dbuf_putc(out, '\n');
    rc = rc ? rc : spaces(out, indent);
    return rc ? rc : dbuf_putc(out, '}');
}
