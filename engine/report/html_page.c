/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html_page.c - the HTML report's page: head (Content-Security-Policy
 * that forbids every fetch and script, inline CSS with an A4 print
 * layout), the title block and the sections in order. The sections are
 * one table, so a new one (population risk, utility) is one row.
 */
#include <stdio.h>
#include <time.h>

#include "html_out.h"

/* No script, no fetch of any kind: only inline styles and data: images. */
#define CSP "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

/* Inline CSS. Print: A4, each section from a new page, charts kept whole. */
static const char css[] =
    "body{font-family:\"Malgun Gothic\",\"Apple SD Gothic Neo\",\"Noto Sans CJK KR\",\"NanumGothic\","
    "sans-serif;color:#1a1a1a;max-width:60em;margin:1.5em auto;padding:0 1em;line-height:1.45}\n"
    "h1{font-size:1.5em;border-bottom:3px solid #2b5d8c;padding-bottom:.2em}\n"
    "h2{font-size:1.2em;color:#2b5d8c;border-bottom:1px solid #c8d3de;margin-top:1.6em}\n"
    "h3{font-size:1em;margin:1em 0 .3em}\n"
    "table{border-collapse:collapse;margin:.4em 0 1em}\n"
    "th,td{border:1px solid #c8d3de;padding:.2em .6em;text-align:left;vertical-align:top}\n"
    "th{background:#eef3f8;font-weight:600;white-space:nowrap}\n"
    "td.n,th.n{text-align:right}\n"
    ".fig{font-variant-numeric:tabular-nums}\n"
    ".hash{font-family:monospace;font-size:.85em;word-break:break-all}\n"
    ".met{color:#17663a;font-weight:700}\n"
    ".notmet{color:#b3261e;font-weight:700}\n"
    ".verdict{font-size:1.3em;padding:.4em .8em;border:2px solid currentColor;display:inline-block}\n"
    ".note{color:#555;font-size:.9em}\n"
    "figure.chart{margin:.5em 0 1em}\n"
    "figure.chart svg{max-width:100%;height:auto}\n"
    "figcaption,caption{font-weight:600;margin-bottom:.3em;text-align:left}\n"
    ".pair{display:flex;flex-wrap:wrap;gap:0 2em}\n"
    ".bar{fill:#2b5d8c}\n"
    ".axis{stroke:#888;stroke-width:1}\n"
    "svg text{font-size:12px;text-anchor:middle;fill:#1a1a1a}\n"
    "@page{size:A4;margin:15mm}\n"
    "@media print{body{max-width:none;margin:0;padding:0}"
    "section{break-before:page;page-break-before:always}"
    "section#verdict{break-before:auto;page-break-before:auto}"
    "figure,table{break-inside:avoid;page-break-inside:avoid}}\n";

/* The sections, in the order they appear: the verdict first. */
static const html_section_fn sections[] = {
    html_section_verdict,
    html_section_checked,
    html_section_run,
    html_section_classes,
    html_section_risk,
    html_section_population,
    html_section_quasi,
    html_section_sensitive,
    html_section_run_distributions,
    html_section_utility,
};

static int put_timestamp(dbuf *out, int64_t when)
{
    time_t t = (time_t)when;
    struct tm tm;
    char s[32];
    if (!gmtime_r(&t, &tm) || !strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return dbuf_append_str(out, "?");
    return dbuf_append_str(out, s);
}

int html_render(dbuf *out, const html_report *r)
{
    html_label_id title = r->run ? HL_TITLE_RUN : HL_TITLE_CHECK;
    int rc = dbuf_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                              "<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">\n"
                              "<meta name=\"generator\" content=\"deid %s\">\n<title>",
                         r->lang == DEID_LANG_EN ? "en" : "ko", CSP, DEID_VERSION);
    rc = rc ? rc : html_label_put(out, r, title);
    rc = rc ? rc : dbuf_printf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", css);
    rc = rc ? rc : html_label_put(out, r, title);
    rc = rc ? rc : dbuf_append_str(out, "</h1>\n<p class=\"note\">deid " DEID_VERSION " &middot; ");
    rc = rc ? rc : html_label_put(out, r, HL_TIMESTAMP);
    rc = rc ? rc : dbuf_append_str(out, " <time id=\"timestamp\">");
    rc = rc ? rc : put_timestamp(out, r->timestamp);
    rc = rc ? rc : dbuf_append_str(out, "</time></p>\n");
    for (size_t i = 0; i < sizeof sections / sizeof sections[0] && !rc; i++)
        rc = sections[i](out, r);
    return rc ? rc : dbuf_append_str(out, "</body>\n</html>\n");
}
