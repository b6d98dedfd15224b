/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.c - the run summary: aligned text for people (stderr) and JSON
 * for machines (--report). Both carry counts and key fingerprints only,
 * never data values or key material.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "group_report.h"
#include "job.h"
#include "job_privacy.h"
#include "xf_group.h"
#include "json.h"
#include "privacy_report.h"
#include "text_escape.h"
#include "textenc.h"
#include "utf8.h"
#include "utility_report.h"

static deid_status done(dbuf *b, int rc, char **text, deid_error *err)
{
    if (rc) {
        dbuf_free(b);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    *text = dbuf_take(b);
    if (!*text)
        return err_set(err, DEID_E_IO, "out of memory");
    return DEID_OK;
}

/* Display width of a column name: code points, so Hangul names line up
 * roughly; invalid UTF-8 counts bytes. */
/* Code points of s as pad prints it (escaped). */
static size_t width_of(const char *s)
{
    size_t len = strlen(s), escaped = text_escape(s, len, 0, NULL, 0);
    if (escaped != len)
        return escaped; /* an escaped name: control bytes, or not UTF-8 */
    size_t n = utf8_count(s, len);
    return n == (size_t)-1 ? len : n;
}

/* s escaped (text_escape.h: a name may hold control bytes), then spaces
 * to width. */
static int pad(dbuf *b, const char *s, size_t width)
{
    int rc = text_escape_append(b, s, strlen(s));
    for (size_t w = width_of(s); !rc && w < width; w++)
        rc = dbuf_putc(b, ' ');
    return rc;
}

/* The privacy figures of what a two-pass run wrote, for both reports. */
static void privacy_input(const deid_job *job, privacy_report_input *in,
                          privacy_sensitive_spec *spec, privacy_requirement *req,
                          privacy_report_source *sources)
{
    const rules_privacy *rp = &job->rules->privacy;
    job_privacy_sensitive_specs(job, spec);
    memset(req, 0, sizeof *req);
    req->k = rp->k;
    req->l = rp->l;
    req->l_kind = rp->l_entropy ? L_ENTROPY : L_DISTINCT;
    req->t = rp->t;
    for (size_t i = 0; i < job->n_inputs; i++) {
        sources[i].name = job->inputs[i].name;
        sources[i].sha256 = NULL;
        sources[i].encoding = NULL; /* the summary has its own line */
    }
    memset(in, 0, sizeof *in);
    in->title = "privacy of the records written";
    in->stats = job->priv->privacy_stats;
    in->quasi = (const char *const *)rp->quasi;
    in->sensitive = spec;
    in->req = req;
    in->token = job->token;
    in->inputs = sources;
    in->n_inputs = job->n_inputs;
}

/* how=cell: the cells suppressed, in all and per QI, and what how=quasi
 * would have replaced (every QI of the records in violating classes). */
static int cells_text(const deid_job *job, dbuf *b)
{
    const job_privacy *pv = job->priv;
    int rc = dbuf_printf(b,
                         "\nsuppressed by the requirement: %llu QI cell%s in %llu record%s replaced by "
                         "the token (how=cell; %llu record%s with every QI suppressed; how=quasi "
                         "would replace %llu cells of %llu records)\n  cells per QI:",
                         (unsigned long long)pv->cells, pv->cells == 1 ? "" : "s",
                         (unsigned long long)pv->cell_records, pv->cell_records == 1 ? "" : "s",
                         (unsigned long long)pv->cell_full, pv->cell_full == 1 ? "" : "s",
                         (unsigned long long)pv->cells_if_quasi,
                         (unsigned long long)pv->to_suppress);
    for (size_t q = 0; q < pv->n_qi && !rc; q++)
        rc = dbuf_printf(b, "%s %s %llu", q ? "," : "", job->rules->privacy.quasi[q],
                         (unsigned long long)pv->cells_per_qi[q]);
    return rc ? rc : dbuf_append_str(b, "\n\n");
}

/* how=cell's members of the JSON "suppression" object. */
static int cells_json(const deid_job *job, dbuf *b)
{
    const job_privacy *pv = job->priv;
    int rc = dbuf_printf(b, ", \"cells\": %llu, \"cell_records\": %llu, \"cell_records_all_qi\": %llu, "
                            "\"cells_if_quasi\": %llu, \"cells_per_qi\": {",
                         (unsigned long long)pv->cells, (unsigned long long)pv->cell_records,
                         (unsigned long long)pv->cell_full, (unsigned long long)pv->cells_if_quasi);
    for (size_t q = 0; q < pv->n_qi && !rc; q++) {
        rc = q ? dbuf_append_str(b, ", ") : 0;
        rc = rc ? rc : json_append_cstr(b, job->rules->privacy.quasi[q]);
        rc = rc ? rc : dbuf_printf(b, ": %llu", (unsigned long long)pv->cells_per_qi[q]);
    }
    return rc ? rc : dbuf_putc(b, '}');
}

/* "levels chosen by the plan: age 3, zip 1 (loss 0.36)" for a run that
 * planned (level=auto): what was applied, in the QIs' order. */
static int plan_levels_text(const deid_job *job, dbuf *b)
{
    const job_privacy *pv = job->priv;
    if (!pv->planned || !pv->search->found)
        return 0;
    int rc = dbuf_append_str(b, "\nlevels chosen by the plan (level=auto):");
    int any = 0;
    for (size_t q = 0; q < pv->n_qi && !rc; q++) {
        const colplan_column *c = &job->colplan->cols[pv->qi_col[q]];
        if (!c->auto_level)
            continue;
        char shown[512];
        /* a column name may hold control bytes (text_escape.h) */
        text_escape(c->label, strlen(c->label), 0, shown, sizeof shown);
        rc = dbuf_append_str(b, any ? ", " : " ");
        rc = rc ? rc : dbuf_append_str(b, shown);
        rc = rc ? rc : dbuf_printf(b, " %zu", c->level);
        any = 1;
    }
    rc = rc ? rc : dbuf_printf(b, " (%s ", job->rules->privacy.metric ? "discernibility" : "loss");
    rc = rc ? rc : json_append_double(b, pv->search->best.score);
    return rc ? rc : dbuf_append_str(b, ")\n");
}

/* Appends the privacy figures of what a two-pass run wrote: as text, or as
 * the "suppression" and "privacy" members of the JSON report. */
static int append_privacy(const deid_job *job, dbuf *b, int json)
{
    size_t n_s = job->rules->privacy.n_sensitive;
    privacy_sensitive_spec spec[n_s ? n_s : 1];
    privacy_report_source sources[job->n_inputs ? job->n_inputs : 1];
    privacy_requirement req;
    privacy_report_input in;
    privacy_input(job, &in, spec, &req, sources);
    int removed = job->rules->privacy.suppress_records;
    if (!json) {
        int rc = plan_levels_text(job, b);
        rc = rc ? rc
                : job->priv->cell_depth
                     ? cells_text(job, b)
                     : dbuf_printf(b, "\nsuppressed by the requirement: %llu record%s (%s)\n\n",
                                   (unsigned long long)job->priv->to_suppress,
                                   job->priv->to_suppress == 1 ? "" : "s",
                                   removed ? "removed" : "QIs replaced by the token");
        return rc ? rc : privacy_report_text(b, &in);
    }
    int rc = dbuf_printf(b, ",\n  \"suppression\": {\"how\": \"%s\", \"records\": %llu",
                         job->priv->cell_depth ? "cell" : removed ? "record" : "quasi",
                         (unsigned long long)job->priv->to_suppress);
    rc = rc ? rc : job->priv->cell_depth ? cells_json(job, b) : 0;
    rc = rc ? rc : dbuf_append_str(b, "},\n  \"privacy\": ");
    return rc ? rc : privacy_report_json(b, &in, 2);
}

/* "  memo findings: phone 3, rrn 1" for a column whose transform counts
 * findings (scrub): counts only, never the values found. */
static int findings_text(dbuf *b, const deid_column_counts *cc)
{
    if (!cc->n_findings)
        return 0;
    int rc = dbuf_append_str(b, "  ");
    rc = rc ? rc : dbuf_append_str(b, cc->name);
    rc = rc ? rc : dbuf_append_str(b, " findings:");
    int any = 0;
    for (size_t k = 0; k < cc->n_findings && !rc; k++) {
        if (!cc->findings[k])
            continue;
        rc = dbuf_printf(b, "%s %s %llu", any ? "," : "", cc->finding_names[k],
                         (unsigned long long)cc->findings[k]);
        any = 1;
    }
    return rc ? rc : dbuf_append_str(b, any ? "\n" : " none\n");
}

/* , "findings": {"rrn": 0, ...} with every kind, for such a column. */
static int findings_json(dbuf *b, const deid_column_counts *cc)
{
    if (!cc->n_findings)
        return 0;
    int rc = dbuf_append_str(b, ", \"findings\": {");
    for (size_t k = 0; k < cc->n_findings && !rc; k++) {
        rc = k ? dbuf_append_str(b, ", ") : 0;
        rc = rc ? rc : json_append_cstr(b, cc->finding_names[k]);
        rc = rc ? rc : dbuf_printf(b, ": %llu", (unsigned long long)cc->findings[k]);
    }
    return rc ? rc : dbuf_putc(b, '}');
}

/* A line on the encodings, unless everything was UTF-8 (the default). */
static int append_encodings(const deid_job *job, dbuf *b)
{
    int plain = job->out_encoding == DEID_ENCODING_UTF8 && !job->bom;
    for (size_t i = 0; i < job->n_inputs; i++)
        plain &= job->inputs[i].encoding && !strcmp(job->inputs[i].encoding, "utf-8");
    if (plain)
        return 0;
    int rc = dbuf_append_str(b, "deid: read as");
    for (size_t i = 0; i < job->n_inputs && !rc; i++) {
        const job_input *in = &job->inputs[i];
        rc = dbuf_printf(b, "%s %s%s", i ? "," : "", in->encoding ? in->encoding : "?",
                         in->encoding_detected ? " (detected)" : "");
        if (!rc && job->n_inputs > 1) {
            rc = dbuf_append_str(b, " for ");
            rc = rc ? rc : text_escape_append(b, in->name, strlen(in->name));
        }
    }
    return rc ? rc : dbuf_printf(b, "; written as %s%s\n", textenc_name(job->out_encoding),
                                 job->bom ? " with a byte order mark" : "");
}

deid_status deid_job_summary_text(const deid_job *job, char **text, deid_error *err)
{
    dbuf b;
    dbuf_init(&b, 64u << 20);
    const deid_counts *c = &job->counts;
    int rc = dbuf_printf(&b, "deid: %llu records read, %llu written, %llu removed\n",
                         (unsigned long long)c->records_read,
                         (unsigned long long)c->records_written,
                         (unsigned long long)c->records_removed);
    size_t wname = strlen("column"), wxf = strlen("transform");
    for (size_t i = 0; i < c->n_columns; i++) {
        size_t w = width_of(c->columns[i].name);
        wname = w > wname ? w : wname;
        w = strlen(c->columns[i].transform);
        wxf = w > wxf ? w : wxf;
    }
    if (c->n_columns) {
        rc = rc ? rc : dbuf_append_str(&b, "  ");
        rc = rc ? rc : pad(&b, "column", wname + 2);
        rc = rc ? rc : pad(&b, "transform", wxf + 2);
        rc = rc ? rc : dbuf_printf(&b, "%12s %8s %8s\n", "transformed", "empty", "errors");
    }
    for (size_t i = 0; i < c->n_columns && !rc; i++) {
        const deid_column_counts *cc = &c->columns[i];
        rc = dbuf_append_str(&b, "  ");
        rc = rc ? rc : pad(&b, cc->name, wname + 2);
        rc = rc ? rc : pad(&b, cc->transform, wxf + 2);
        rc = rc ? rc : dbuf_printf(&b, "%12llu %8llu %8llu\n", (unsigned long long)cc->transformed,
                                   (unsigned long long)cc->empty, (unsigned long long)cc->errors);
    }
    for (size_t i = 0; i < c->n_columns && !rc; i++)
        rc = findings_text(&b, &c->columns[i]);
    for (size_t i = 0; i < c->n_columns && !rc; i++)
        rc = group_report_text(&b, job, i);
    if (!rc && job->priv && job->priv->privacy_stats)
        rc = append_privacy(job, &b, 0);
    if (!rc && job->priv && job->priv->utility)
        rc = utility_report_text(&b, job->priv->utility, (const char *const *)job->rules->privacy.quasi,
                                 "the input");
    return done(&b, rc ? rc : append_encodings(job, &b), text, err);
}

deid_status deid_job_report_json(const deid_job *job, char **text, deid_error *err)
{
    dbuf b;
    dbuf_init(&b, 64u << 20);
    const deid_counts *c = &job->counts;
    const deid_rules *r = job->rules;
    int rc = dbuf_putc(&b, '{');
    rc = rc ? rc : json_append_header(&b, JSON_SCHEMA_RUN, 2);
    rc = rc ? rc : dbuf_printf(&b, "\n  \"deid_version\": \"%s\",\n  \"rules\": ", DEID_VERSION);
    rc = rc ? rc : json_append_cstr(&b, r->name);
    rc = rc ? rc : dbuf_append_str(&b, ",\n  \"inputs\": [");
    for (size_t i = 0; i < job->n_inputs && !rc; i++) {
        const job_input *in = &job->inputs[i];
        rc = dbuf_printf(&b, "%s\n    {\"name\": ", i ? "," : "");
        rc = rc ? rc : json_append_cstr(&b, in->name);
        rc = rc ? rc : dbuf_printf(&b, ", \"records\": %llu, \"bytes\": %llu, \"gzip\": %s, "
                                       "\"encoding\": \"%s\", \"encoding_detected\": %s}",
                                   (unsigned long long)in->records, (unsigned long long)in->bytes,
                                   in->gzip ? "true" : "false", in->encoding ? in->encoding : "",
                                   in->encoding_detected ? "true" : "false");
    }
    rc = rc ? rc : dbuf_printf(&b,
                               "\n  ],\n  \"output_encoding\": \"%s\",\n  \"output_bom\": %s,"
                               "\n  \"records_read\": %llu,\n  \"records_written\": %llu,\n"
                               "  \"records_removed\": %llu,\n  \"columns\": [",
                               textenc_name(job->out_encoding), job->bom ? "true" : "false",
                               (unsigned long long)c->records_read,
                               (unsigned long long)c->records_written,
                               (unsigned long long)c->records_removed);
    for (size_t i = 0; i < c->n_columns && !rc; i++) {
        const deid_column_counts *cc = &c->columns[i];
        rc = dbuf_printf(&b, "%s\n    {\"name\": ", i ? "," : "");
        rc = rc ? rc : json_append_cstr(&b, cc->name);
        rc = rc ? rc : dbuf_printf(&b,
                                   ", \"transform\": \"%s\", \"written\": %s, \"transformed\": %llu,"
                                   " \"empty\": %llu, \"errors\": %llu",
                                   cc->transform, job->colplan->cols[i].written ? "true" : "false",
                                   (unsigned long long)cc->transformed,
                                   (unsigned long long)cc->empty, (unsigned long long)cc->errors);
        if (!rc && job->colplan->cols[i].auto_level && job->priv && job->priv->planned)
            rc = dbuf_printf(&b, ", \"level\": %zu", job->colplan->cols[i].level);
        rc = rc ? rc : findings_json(&b, cc);
        rc = rc ? rc : group_report_json(&b, job, i);
        rc = rc ? rc : dbuf_putc(&b, '}');
    }
    rc = rc ? rc : dbuf_append_str(&b, "\n  ],\n  \"keys\": [");
    for (size_t i = 0; i < keyring_count(r->keys) && !rc; i++) {
        const deid_key *k = keyring_at(r->keys, i);
        rc = dbuf_printf(&b, "%s\n    {\"name\": ", i ? "," : "");
        rc = rc ? rc : json_append_cstr(&b, key_name(k));
        rc = rc ? rc : dbuf_printf(&b, ", \"fingerprint\": \"%s\"}", key_fingerprint(k));
    }
    rc = rc ? rc : dbuf_append_str(&b, "\n  ]");
    if (!rc && job->priv && job->priv->utility) {
        rc = dbuf_append_str(&b, ",\n  \"utility\": ");
        rc = rc ? rc : utility_report_json(&b, job->priv->utility,
                                           (const char *const *)job->rules->privacy.quasi, 2);
    }
    if (!rc && job->priv && job->priv->privacy_stats)
        rc = append_privacy(job, &b, 1);
    rc = rc ? rc : dbuf_append_str(&b, "\n}\n");
    return done(&b, rc, text, err);
}
