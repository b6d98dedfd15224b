/* SPDX-License-Identifier: Apache-2.0 */
/*
 * privacy_report.h - renders measured privacy figures (privacy_stats) as
 * aligned text for people and as JSON for machines. Used by `deid check`
 * (check.c) and by the privacy enforcement of `deid run`, so that both
 * report the same figures in the same words.
 *
 * Nothing here lists a data value, except the optional smallest classes,
 * which the caller passes only when the user asked for them.
 */
#ifndef DEID_PRIVACY_REPORT_H
#define DEID_PRIVACY_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "dbuf.h"
#include "deid.h"
#include "privacy.h"
#include "risk_report.h"

/* One input the figures were measured on. */
typedef struct privacy_report_source {
    const char *name;
    const char *sha256;          /* lowercase hex of the bytes as read; NULL or "" if unknown */
    const char *encoding;        /* what it was read as; NULL: not reported. The text
                                    names it only when it is not "utf-8" */
} privacy_report_source;

/* One class to list: its size and its n_quasi QI values (data values). */
typedef struct privacy_report_class {
    uint64_t size;
    const xf_value *qi;
} privacy_report_class;

/* Everything a report shows; all pointers are borrowed for the call. */
typedef struct privacy_report_input {
    const char *title;                       /* first text line, e.g. "deid check" */
    const privacy_stats *stats;
    const char *const *quasi;                /* stats->n_qi names */
    const privacy_sensitive_spec *sensitive; /* stats->n_sensitive names and distances */
    const privacy_requirement *req;          /* NULL: nothing required */
    const char *token;                       /* suppression token; NULL = "*" */
    const privacy_report_source *inputs;
    size_t n_inputs;
    const privacy_report_class *smallest;    /* NULL unless the user asked for them */
    size_t n_smallest;
    const char *schema;                      /* JSON: the schema_version when the
                                                report is a document of its own
                                                (json.h), NULL when nested */
    const risk_report_input *risk;           /* journalist, marketer, uniqueness; NULL: none */
} privacy_report_input;

/* A finished check's figures as the text, JSON and HTML reports read them
 * (check_report.c): title, stats, quasi, sensitive, req, token and its one
 * input, which *src receives (src must outlive *in); the caller adds the
 * rest. */
void privacy_report_check_input(const deid_check *chk, privacy_report_source *src,
                                privacy_report_input *in);

/* Which parts of the requirement hold: each is -1 (not required), 0 (does
 * not hold) or 1 (holds). */
typedef struct privacy_report_verdict {
    int k, l, t;
} privacy_report_verdict;

/* Works out which parts of req (may be NULL) hold for stats. */
privacy_report_verdict privacy_report_verdict_of(const privacy_stats *stats,
                                                 const privacy_requirement *req);

/* The sentence stating the suppression convention for token (NULL = "*"),
 * appended to out. Returns a DBUF_* code. */
int privacy_report_convention(dbuf *out, const char *token);

/* Appends the aligned text report to out. Returns a DBUF_* code. */
int privacy_report_text(dbuf *out, const privacy_report_input *in);

/* Appends the report as one JSON object to out, one member per line. The
 * object is taken to start on a line indented by indent spaces: members
 * get indent + 2, the closing brace indent, so it can stand alone
 * (indent 0) or be the value of a member of a larger report. No newline
 * follows the closing brace. Returns a DBUF_* code. */
int privacy_report_json(dbuf *out, const privacy_report_input *in, unsigned indent);

#endif
