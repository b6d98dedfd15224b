/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html.h - the auditor's HTML report: the figures one report shows
 * (html_report, filled from a check or a run by html_entry.c) and the
 * page that renders them (html_page.c), one function per section
 * (html_sections.c, html_dist.c, html_population.c, html_run.c).
 *
 * A new section is one function over
 * html_report and one row in html_page.c's section table; a section with
 * nothing to show writes nothing.
 */
#ifndef DEID_HTML_H
#define DEID_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "dbuf.h"
#include "deid.h"
#include "html_labels.h"
#include "privacy_report.h"
#include "risk_stats.h"
#include "utility.h"

/* One file the report describes. */
typedef struct html_file {
    const char *name;
    uint64_t bytes;
    int bytes_decoded;        /* 1: bytes after gzip decoding; 0: as read */
    uint64_t records;         /* data records */
    const char *sha256;       /* NULL or "": not computed */
    const char *encoding;     /* NULL: not reported */
} html_file;

/* One column of a run: its transform and counts. */
typedef struct html_column {
    const char *name;
    const char *transform;    /* rules keyword; "keep" for passed through */
    const char *technique;    /* guideline technique name; NULL: none */
    int written;              /* 0: dropped */
    uint64_t transformed, empty, errors;
} html_column;

/* The run's records. */
typedef struct html_run {
    uint64_t read, written, removed;
    uint64_t suppressed;      /* by the requirement */
    int suppress_removes;     /* 1: suppressed records were removed; 0: QIs set to the token */
    int suppress_cells;       /* 1: how=cell, only the cells counted in cells */
    uint64_t cells;
    const html_column *columns;
    size_t n_columns;
    /* the rules' record statements; NULL: not stated */
    const char *purpose, *recipient, *retain_until;
    const char *controller, *custodian, *destroy_keys_on;
} html_run;

/* Everything one report shows; all pointers borrowed for the call. */
typedef struct html_report {
    deid_lang lang;
    int64_t timestamp;
    double risk_threshold;
    const char *rules_name;   /* NULL: no rules file */
    const char *rules_sha256;
    const html_file *inputs;
    size_t n_inputs;
    const html_file *output;  /* run: NULL when there was no output file to name */
    const html_run *run;      /* NULL: a check */
    const privacy_report_input *privacy; /* NULL: nothing measured */
    const char *figure_path;  /* the figures' JSON path in the JSON report: "" (check)
                                 or "privacy." (run); see html_figure_* */
    const class_table *classes; /* the table privacy was measured on */
    const class_table *before;  /* run: the input's QI classes, or (before_is_input 0) the
                                   transformed records before suppression; NULL: none */
    int before_is_input;
    const risk_stats *risk;   /* check: journalist, marketer, uniqueness; NULL: none */
    const char *population_name; /* the population table's name; NULL: none */
    uint64_t population_rows;
    const utility_figures *utility; /* NULL: none (README "Utility"); top-level "utility"
                                       in both JSON reports */
    const char *const *utility_quasi; /* its n_qi QI names */
    const char *utility_source;       /* check --source: the source's name; NULL: the input */
} html_report;

/* The whole page for r, appended to out. Returns a DBUF_* code. */
int html_render(dbuf *out, const html_report *r);

/* A section: appends its <section> to out, or nothing when r has nothing
 * for it. Returns a DBUF_* code. */
typedef int (*html_section_fn)(dbuf *out, const html_report *r);

/* html_sections.c */
int html_section_verdict(dbuf *out, const html_report *r);
int html_section_checked(dbuf *out, const html_report *r);
int html_section_classes(dbuf *out, const html_report *r);
int html_section_risk(dbuf *out, const html_report *r);
int html_section_sensitive(dbuf *out, const html_report *r);
/* html_dist.c */
int html_section_quasi(dbuf *out, const html_report *r);
/* The value distribution of QI column q of t, captioned caption, under
 * the rule of html_dist.c (at least k records, classes of at least k). */
int html_value_table(dbuf *out, const html_report *r, const class_table *t, size_t q,
                     html_label_id caption);
/* The sentence stating that rule, with k. */
int html_shown_rule(dbuf *out, const html_report *r);
/* html_population.c */
int html_section_population(dbuf *out, const html_report *r);
/* html_utility.c */
int html_section_utility(dbuf *out, const html_report *r);
/* html_run.c */
int html_section_run(dbuf *out, const html_report *r);
int html_section_run_distributions(dbuf *out, const html_report *r);

/* The k below which no value is shown: the required k, else 5. */
uint64_t html_shown_k(const html_report *r);

#endif
