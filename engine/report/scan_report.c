/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan_report.c - `deid scan`'s profile as aligned text and as JSON:
 * per column the non-empty and distinct counts (exact or estimated), the
 * identifier kinds with their share, the main value shape, the name's
 * hint and the suggested role with its reason. Counts and shares only:
 * data values appear only when the scan kept examples (--show-values).
 */
#include <stdlib.h>
#include <string.h>

#include "dbuf.h"
#include "err.h"
#include "json.h"
#include "scan_int.h"
#include "text_escape.h"

/* Shapes worth naming, most telling first, with their JSON keys. */
static const struct {
    int shape;
    const char *text, *key;
} shapes[] = {
    {PROF_NAME, "Korean names", "korean_name"}, {PROF_DATE, "dates", "date"},
    {PROF_ADDRESS, "addresses", "address"},     {PROF_ICD, "ICD-10 codes", "icd10"},
    {PROF_ZIP, "5 digits", "five_digits"},      {PROF_AGE, "0-130", "whole_0_130"},
    {PROF_INT, "whole numbers", "whole_number"}, {PROF_NUMBER, "numbers", "number"},
    {PROF_TEXT_ID, "text with identifiers", "text_with_identifiers"},
    {PROF_TEXT_NAME, "text with name-like words", "text_with_name_like_words"},
    {PROF_SPACE, "several words", "several_words"}, {PROF_HANGUL, "Hangul", "hangul"},
    {PROF_BAD_UTF8, "not UTF-8", "not_utf8"},
};

#define N_SHAPES (sizeof shapes / sizeof shapes[0])

static unsigned percent(uint64_t n, uint64_t of)
{
    if (!of || !n)
        return 0;
    unsigned p = (unsigned)(100.0 * (double)n / (double)of);
    return p ? p : 1; /* "1%" rather than "0%" for a few */
}

/* "phone 100%, rrn 2%" or "-". */
static int kinds_text(dbuf *b, const profile_column *c)
{
    int rc = 0, any = 0;
    for (int k = 0; k < (int)PII_KIND_COUNT && !rc; k++) {
        uint64_t n = c->kind[k] + c->text_kind[k];
        if (n) {
            rc = dbuf_printf(b, "%s%s%s %u%%", any ? ", " : "", c->text_kind[k] ? "in text: " : "",
                             pii_kind_name((pii_kind)k), percent(n, c->nonempty));
            any = 1;
        }
    }
    return rc ? rc : any ? 0 : dbuf_append_str(b, "-");
}

/* The most telling shape that most values have, and the length range. */
static int shape_text(dbuf *b, const profile_column *c)
{
    int rc = 0;
    for (size_t i = 0; i < N_SHAPES; i++)
        if (c->nonempty && c->shape[shapes[i].shape] * 2 >= c->nonempty) {
            rc = dbuf_printf(b, "%s %u%%, ", shapes[i].text,
                             percent(c->shape[shapes[i].shape], c->nonempty));
            break;
        }
    if (!rc && c->nonempty)
        rc = c->min_chars == c->max_chars ? dbuf_printf(b, "%u chars", c->max_chars)
                                          : dbuf_printf(b, "%u-%u chars", c->min_chars,
                                                        c->max_chars);
    return rc ? rc : c->nonempty ? 0 : dbuf_append_str(b, "-");
}

/* Column names are padded by their displayed width: Hangul counts two. */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        w += *p >= 0xE1 && *p <= 0xED ? 2 : 1;
    }
    return w;
}

static int pad(dbuf *b, const char *s, size_t width)
{
    int rc = text_escape_append(b, s, strlen(s));
    for (size_t w = display_width(s); !rc && w < width; w++)
        rc = dbuf_putc(b, ' ');
    return rc;
}

/* ", read as cp949" after the inputs, unless every one was UTF-8. */
static int encodings_text(const deid_scan *scan, dbuf *b)
{
    int plain = 1;
    for (size_t i = 0; i < scan->n_inputs; i++) {
        const char *e = deid_scan_input_encoding(scan, i);
        plain &= !e || !strcmp(e, "utf-8");
    }
    if (plain)
        return 0;
    int rc = dbuf_append_str(b, "\nencoding        ");
    for (size_t i = 0; i < scan->n_inputs && !rc; i++) {
        const char *e = deid_scan_input_encoding(scan, i);
        rc = dbuf_printf(b, "%s%s", i ? ", " : "", e ? e : "?");
    }
    return rc;
}

static int text_report(const deid_scan *scan, dbuf *b)
{
    int rc = dbuf_append_str(b, "deid scan\ninputs          ");
    for (size_t i = 0; i < scan->n_inputs && !rc; i++) {
        rc = i ? dbuf_append_str(b, ", ") : 0;
        rc = rc ? rc : text_escape_append(b, scan->inputs[i], strlen(scan->inputs[i]));
    }
    rc = rc ? rc : encodings_text(scan, b);
    rc = rc ? rc : dbuf_printf(b, "\nrecords         %llu%s\n", (unsigned long long)scan->records,
                               scan->truncated ? " (--sample: the first ones only)" : "");
    rc = rc ? rc : dbuf_printf(b, "distinct        exact (=) up to %zu values per column, "
                                  "then estimated (~)\n\n",
                               scan->n_cols ? scan->cols[0].prof.exact_cap : (size_t)0);
    size_t wname = 6;
    for (size_t i = 0; i < scan->n_cols; i++)
        if (display_width(scan->cols[i].name) > wname)
            wname = display_width(scan->cols[i].name);
    if (wname > 40)
        wname = 40;
    rc = rc ? rc : dbuf_append_str(b, "  ");
    rc = rc ? rc : pad(b, "column", wname);
    rc = rc ? rc : dbuf_append_str(b, "  non-empty  distinct  ratio  hint       role\n");
    for (size_t i = 0; i < scan->n_cols && !rc; i++) {
        const scan_column *col = &scan->cols[i];
        int exact;
        uint64_t d = profile_column_distinct(&col->prof, &exact);
        rc = dbuf_append_str(b, "  ");
        rc = rc ? rc : pad(b, col->name, wname);
        rc = rc ? rc : dbuf_printf(b, "  %9llu  %c%7llu  %5.3f  %-9s  %s\n",
                                   (unsigned long long)col->prof.nonempty, exact ? '=' : '~',
                                   (unsigned long long)d,
                                   col->prof.nonempty ? (double)d / (double)col->prof.nonempty
                                                      : 0.0,
                                   col->verdict.hint ? profile_hint_name(col->verdict.hint) : "-",
                                   profile_role_name(col->verdict.role));
    }
    rc = rc ? rc : dbuf_append_str(b, "\nper column\n");
    for (size_t i = 0; i < scan->n_cols && !rc; i++) {
        const scan_column *col = &scan->cols[i];
        rc = dbuf_append_str(b, "  ");
        rc = rc ? rc : text_escape_append(b, col->name, strlen(col->name));
        rc = rc ? rc : dbuf_printf(b, "\n    role         %s (%s): ",
                                   profile_role_name(col->verdict.role),
                                   profile_content_name(&col->verdict));
        rc = rc ? rc : text_escape_append(b, col->verdict.reason, strlen(col->verdict.reason));
        rc = rc ? rc : dbuf_append_str(b, "\n    identifiers  ");
        rc = rc ? rc : kinds_text(b, &col->prof);
        rc = rc ? rc : dbuf_append_str(b, "\n    shape        ");
        rc = rc ? rc : shape_text(b, &col->prof);
        rc = rc ? rc : dbuf_putc(b, '\n');
    }
    if (!rc && scan->show_values) {
        rc = dbuf_append_str(b, "\nexample values (these lines show data values)\n");
        for (size_t i = 0; i < scan->n_cols && !rc; i++) {
            const profile_column *p = &scan->cols[i].prof;
            rc = dbuf_append_str(b, "  ");
            rc = rc ? rc : pad(b, scan->cols[i].name, wname);
            for (size_t k = 0; k < p->n_examples && !rc; k++) {
                rc = dbuf_append_str(b, k ? " | " : "  ");
                rc = rc ? rc : text_escape_append(b, p->examples[k], strlen(p->examples[k]));
            }
            rc = rc ? rc : dbuf_putc(b, '\n');
        }
    }
    return rc;
}

deid_status deid_scan_report_text(const deid_scan *scan, char **text, deid_error *err)
{
    err_clear(err);
    *text = NULL;
    if (!scan->finished)
        return err_set(err, DEID_E_USAGE, "deid_scan_report_text: the scan is not finished");
    dbuf b;
    dbuf_init(&b, (size_t)1 << 30);
    if (text_report(scan, &b) || !(*text = dbuf_take(&b))) {
        dbuf_free(&b);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    return DEID_OK;
}

static int share(dbuf *b, const char *key, uint64_t n, uint64_t of, int *first)
{
    int rc = dbuf_append_str(b, *first ? "" : ", ");
    *first = 0;
    rc = rc ? rc : json_append_cstr(b, key);
    rc = rc ? rc : dbuf_append_str(b, ": ");
    return rc ? rc : json_append_double(b, of ? (double)n / (double)of : 0.0);
}

static int json_column(dbuf *b, const deid_scan *scan, const scan_column *col)
{
    const profile_column *p = &col->prof;
    const profile_verdict *v = &col->verdict;
    int exact, first;
    uint64_t d = profile_column_distinct(p, &exact);
    int rc = dbuf_append_str(b, "    {\"name\": ");
    rc = rc ? rc : json_append_cstr(b, col->name);
    rc = rc ? rc : dbuf_printf(b, ", \"non_empty\": %llu, \"distinct\": %llu, \"distinct_exact\": %s, "
                                  "\"distinct_ratio\": ",
                               (unsigned long long)p->nonempty, (unsigned long long)d,
                               exact ? "true" : "false");
    rc = rc ? rc : json_append_double(b, p->nonempty ? (double)d / (double)p->nonempty : 0.0);
    rc = rc ? rc : dbuf_append_str(b, ",\n     \"identifiers\": {");
    first = 1;
    for (int k = 0; k < (int)PII_KIND_COUNT && !rc; k++)
        if (p->kind[k])
            rc = share(b, pii_kind_name((pii_kind)k), p->kind[k], p->nonempty, &first);
    rc = rc ? rc : dbuf_append_str(b, "}, \"identifiers_in_text\": {");
    first = 1;
    for (int k = 0; k < (int)PII_KIND_COUNT && !rc; k++)
        if (p->text_kind[k])
            rc = share(b, pii_kind_name((pii_kind)k), p->text_kind[k], p->nonempty, &first);
    rc = rc ? rc : dbuf_append_str(b, "},\n     \"shapes\": {");
    first = 1;
    for (size_t i = 0; i < N_SHAPES && !rc; i++)
        if (p->shape[shapes[i].shape])
            rc = share(b, shapes[i].key, p->shape[shapes[i].shape], p->nonempty, &first);
    rc = rc ? rc : dbuf_printf(b, "}, \"chars\": {\"min\": %u, \"max\": %u},\n     \"name_hint\": ",
                               p->nonempty ? p->min_chars : 0, p->max_chars);
    rc = rc ? rc : v->hint ? json_append_cstr(b, profile_hint_name(v->hint))
                           : dbuf_append_str(b, "null");
    rc = rc ? rc : dbuf_append_str(b, ", \"role\": ");
    rc = rc ? rc : json_append_cstr(b, profile_role_name(v->role));
    rc = rc ? rc : dbuf_append_str(b, ", \"content\": ");
    rc = rc ? rc : json_append_cstr(b, profile_content_name(v));
    rc = rc ? rc : dbuf_append_str(b, ",\n     \"reason\": ");
    rc = rc ? rc : json_append_cstr(b, v->reason);
    if (!rc && scan->show_values) {
        rc = dbuf_append_str(b, ", \"examples\": [");
        for (size_t k = 0; k < p->n_examples && !rc; k++) {
            rc = k ? dbuf_append_str(b, ", ") : 0;
            rc = rc ? rc : json_append_cstr(b, p->examples[k]);
        }
        rc = rc ? rc : dbuf_append_str(b, "]");
    }
    return rc ? rc : dbuf_append_str(b, "}");
}

deid_status deid_scan_report_json(const deid_scan *scan, char **text, deid_error *err)
{
    err_clear(err);
    *text = NULL;
    if (!scan->finished)
        return err_set(err, DEID_E_USAGE, "deid_scan_report_json: the scan is not finished");
    dbuf b;
    dbuf_init(&b, (size_t)1 << 30);
    int rc = dbuf_putc(&b, '{');
    rc = rc ? rc : json_append_header(&b, JSON_SCHEMA_SCAN, 2);
    rc = rc ? rc : dbuf_append_str(&b, "\n  \"deid_version\": \"" DEID_VERSION "\",\n  \"inputs\": [");
    for (size_t i = 0; i < scan->n_inputs && !rc; i++) {
        rc = i ? dbuf_append_str(&b, ", ") : 0;
        rc = rc ? rc : json_append_cstr(&b, scan->inputs[i]);
    }
    rc = rc ? rc : dbuf_append_str(&b, "],\n  \"encodings\": [");
    for (size_t i = 0; i < scan->n_inputs && !rc; i++) {
        const char *e = deid_scan_input_encoding(scan, i);
        rc = i ? dbuf_append_str(&b, ", ") : 0;
        rc = rc ? rc : json_append_cstr(&b, e ? e : "");
    }
    rc = rc ? rc : dbuf_printf(&b, "],\n  \"records\": %llu,\n  \"complete\": %s,\n"
                                   "  \"exact_distinct_up_to\": %zu,\n  \"columns\": [\n",
                               (unsigned long long)scan->records,
                               scan->truncated ? "false" : "true",
                               scan->n_cols ? scan->cols[0].prof.exact_cap : (size_t)0);
    for (size_t i = 0; i < scan->n_cols && !rc; i++) {
        rc = json_column(&b, scan, &scan->cols[i]);
        rc = rc ? rc : dbuf_append_str(&b, i + 1 < scan->n_cols ? ",\n" : "\n");
    }
    rc = rc ? rc : dbuf_append_str(&b, "  ]\n}\n");
    if (rc || !(*text = dbuf_take(&b))) {
        dbuf_free(&b);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    return DEID_OK;
}
