/* SPDX-License-Identifier: Apache-2.0 */
/*
 * record.c - the processing record (가명정보 처리 기록) of a run, as JSON
 * and as Markdown with Korean and English labels: purpose, recipient,
 * retention, date and time, engine version, the rules file's SHA-256, the
 * inputs and the output with SHA-256, bytes and records, per column the
 * transform, its resolved parameters (never key material) and the
 * guideline technique, key fingerprints, and the privacy figures when the
 * rules have a requirement. PIPA Decree Art. 29-5 asks for purpose, items
 * processed, use history, recipient and processing period; the custody
 * statements (controller, key custodian, key destruction date), the
 * digests of the hierarchy and map files and the output options that
 * change its bytes make the record checkable (`deid verify`) and complete
 * for an adequacy review. The JSON follows
 * engine/schemas/deid.record.schema.json.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "group_report.h"
#include "job.h"
#include "job_privacy.h"
#include "json.h"
#include "textenc.h"
#include "privacy.h"
#include "text_escape.h"
#include "utility_report.h"

/* A Markdown table cell: '|' escaped for the table, control bytes for
 * whoever views the file in a terminal (text_escape.h). */
static int md_cell(dbuf *b, const char *s, size_t len)
{
    int rc = 0;
    for (size_t i = 0; i < len && !rc;) {
        const char *bar = memchr(s + i, '|', len - i);
        size_t run = bar ? (size_t)(bar - (s + i)) : len - i;
        rc = text_escape_append(b, s + i, run);
        i += run;
        if (!rc && bar) {
            rc = dbuf_append_str(b, "\\|");
            i++;
        }
    }
    return rc;
}

/* One requirement's result, in the order k, then l and t per sensitive
 * column. */
typedef struct requirement_result {
    const char *model;   /* "k", "l" or "t" */
    const char *column;  /* sensitive column for l and t, else NULL */
    const char *kind;    /* l: "distinct" or "entropy"; t: "equal" or "ordered" */
    double required, measured;
    int met;
} requirement_result;

/* how=cell: , "cells_suppressed": N, "cells_suppressed_per_qi": {...}. */
static int json_cells(dbuf *b, const deid_job *job)
{
    const job_privacy *pv = job->priv;
    if (!pv->cell_depth)
        return 0;
    int rc = dbuf_printf(b, ", \"cells_suppressed\": %llu, \"cells_suppressed_per_qi\": {",
                         (unsigned long long)pv->cells);
    for (size_t q = 0; q < pv->n_qi && !rc; q++) {
        rc = q ? dbuf_append_str(b, ", ") : 0;
        rc = rc ? rc : json_append_cstr(b, job->rules->privacy.quasi[q]);
        rc = rc ? rc : dbuf_printf(b, ": %llu", (unsigned long long)pv->cells_per_qi[q]);
    }
    return rc ? rc : dbuf_putc(b, '}');
}

/* how=cell: the Markdown line of cells suppressed per QI. */
static int md_cells(dbuf *b, const deid_job *job)
{
    const job_privacy *pv = job->priv;
    if (!pv->cell_depth)
        return 0;
    int rc = dbuf_printf(b, "\n억제 셀 / cells suppressed (how=cell): %llu in %llu records;",
                         (unsigned long long)pv->cells, (unsigned long long)pv->cell_records);
    for (size_t q = 0; q < pv->n_qi && !rc; q++) {
        rc = dbuf_printf(b, "%s ", q ? "," : "");
        rc = rc ? rc : md_cell(b, job->rules->privacy.quasi[q], strlen(job->rules->privacy.quasi[q]));
        rc = rc ? rc : dbuf_printf(b, " %llu", (unsigned long long)pv->cells_per_qi[q]);
    }
    return rc ? rc : dbuf_putc(b, '\n');
}

/* Fills out (room for 1 + 2 x sensitive columns) with the results of every
 * requirement the rules state, measured on what the run wrote. Returns how
 * many. */
static size_t requirement_results(const deid_job *job, requirement_result *out)
{
    const rules_privacy *rp = &job->rules->privacy;
    const privacy_stats *ps = job->priv->privacy_stats;
    size_t n = 0;
    if (rp->k)
        out[n++] = (requirement_result){"k", NULL, NULL, (double)rp->k, (double)ps->min_class,
                                        ps->classes_below_k == 0};
    for (size_t s = 0; s < ps->n_sensitive && s < rp->n_sensitive; s++) {
        const privacy_sensitive_stats *ss = &ps->sensitive[s];
        if (rp->l > 0)
            out[n++] = (requirement_result){"l", rp->sensitive[s], rp->l_entropy ? "entropy" : "distinct",
                                            rp->l, rp->l_entropy ? ss->min_entropy_l : ss->min_distinct_l,
                                            ss->classes_below_l == 0};
        if (rp->t > 0)
            out[n++] = (requirement_result){"t", rp->sensitive[s],
                                            rp->hier && rp->hier[s]         ? "hierarchical"
                                            : rp->ordered && rp->ordered[s] ? "ordered"
                                                                            : "equal",
                                            rp->t,
                                            ss->max_t, ss->classes_above_t == 0};
    }
    return n;
}

static int json_requirements(dbuf *b, const deid_job *job)
{
    const rules_privacy *rp = &job->rules->privacy;
    requirement_result *res = calloc(1 + 2 * rp->n_sensitive, sizeof *res);
    if (!res)
        return DBUF_ENOMEM;
    size_t n = requirement_results(job, res);
    int rc = dbuf_printf(b, ", \"sensitive_empty\": \"%s\", \"requirements\": [",
                         job->ignore_empty ? "ignore" : "value");
    for (size_t i = 0; i < n && !rc; i++) {
        rc = dbuf_printf(b, "%s\n      {\"model\": \"%s\", \"column\": ", i ? "," : "", res[i].model);
        rc = rc ? rc : res[i].column ? json_append_cstr(b, res[i].column) : dbuf_append_str(b, "null");
        rc = rc ? rc : dbuf_append_str(b, ", \"kind\": ");
        rc = rc ? rc : res[i].kind ? json_append_cstr(b, res[i].kind) : dbuf_append_str(b, "null");
        rc = rc ? rc : dbuf_append_str(b, ", \"required\": ");
        rc = rc ? rc : json_append_double(b, res[i].required);
        rc = rc ? rc : dbuf_append_str(b, ", \"measured\": ");
        rc = rc ? rc : json_append_double(b, res[i].measured);
        rc = rc ? rc : dbuf_printf(b, ", \"met\": %s}", res[i].met ? "true" : "false");
    }
    free(res);
    return rc ? rc : dbuf_append_str(b, n ? "\n    ]" : "]");
}

static int md_requirements(dbuf *b, const deid_job *job)
{
    const rules_privacy *rp = &job->rules->privacy;
    requirement_result *res = calloc(1 + 2 * rp->n_sensitive, sizeof *res);
    if (!res)
        return DBUF_ENOMEM;
    size_t n = requirement_results(job, res);
    int rc = dbuf_append_str(b, "\n| 요건 / requirement | 열 / column | 기준 / required | 측정 / measured "
                                "| 충족 / met |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < n && !rc; i++) {
        rc = dbuf_printf(b, "| %s%s%s%s | ", res[i].model, res[i].kind ? " (" : "",
                         res[i].kind ? res[i].kind : "", res[i].kind ? ")" : "");
        rc = rc ? rc : res[i].column ? md_cell(b, res[i].column, strlen(res[i].column))
                                     : dbuf_append_str(b, "-");
        rc = rc ? rc : dbuf_printf(b, " | %.6g | %.6g | %s |\n", res[i].required, res[i].measured,
                                   res[i].met ? "yes / 예" : "no / 아니오");
    }
    rc = rc ? rc : dbuf_printf(b, "\n빈 민감값 / empty sensitive values: %s\n",
                               job->ignore_empty ? "ignore (l, t 계산에서 제외 / left out of l and t)"
                                                 : "value (값으로 셈 / counted as a value)");
    free(res);
    return rc;
}

/* The hierarchy and map files the rules read, with the SHA-256 of the
 * bytes loaded (keys have fingerprints; vaults change with every run). */
static int json_files(dbuf *b, const deid_rules *r)
{
    int rc = dbuf_append_str(b, ",\n  \"files\": [");
    size_t shown = 0;
    for (size_t i = 0; i < r->files_read.n && !rc; i++) {
        if (!r->files_read.sha256 || !r->files_read.sha256[i][0])
            continue;
        rc = dbuf_printf(b, "%s\n    {\"role\": ", shown++ ? "," : "");
        rc = rc ? rc : json_append_cstr(b, r->files_read.roles[i]);
        rc = rc ? rc : dbuf_append_str(b, ", \"file\": ");
        rc = rc ? rc : json_append_cstr(b, r->files_read.paths[i]);
        rc = rc ? rc : dbuf_printf(b, ", \"sha256\": \"%s\"}", r->files_read.sha256[i]);
    }
    return rc ? rc : dbuf_append_str(b, shown ? "\n  ]" : "]");
}

/* The `sample` statement: rate, key, fingerprint, by= columns (nothing
 * without one). */
static int json_sample(dbuf *b, const rules_sample *s)
{
    if (!s->on)
        return DBUF_OK;
    int rc = dbuf_printf(b, ",\n  \"sample\": {\"rate\": %.17g, \"key\": ", s->rate);
    rc = rc ? rc : json_append_cstr(b, s->key_name);
    rc = rc ? rc : dbuf_printf(b, ", \"fingerprint\": \"%s\", \"by\": [", s->fingerprint);
    for (size_t i = 0; i < s->n_by && !rc; i++) {
        rc = i ? dbuf_append_str(b, ", ") : 0;
        rc = rc ? rc : json_append_cstr(b, s->by[i]);
    }
    return rc ? rc : dbuf_append_str(b, "]}");
}

/* The resolved parameters of column i, as lint shows them. */
static int parameters(const deid_job *job, size_t i, dbuf *out)
{
    const colplan_column *c = &job->colplan->cols[i];
    int rc = 0;
    if (c->state)
        rc = xf_describe(c->ops, c->state, out);
    if (!rc && c->auto_level && job->priv && job->priv->planned)
        rc = dbuf_printf(out, "%slevel chosen by plan=%zu", out->len ? " " : "", c->level);
    return rc;
}

static int json_opt(dbuf *b, const char *s)
{
    return s ? json_append_cstr(b, s) : dbuf_append_str(b, "null");
}

deid_status deid_job_record_json(deid_job *job, char **text, deid_error *err)
{
    const deid_rules *r = job->rules;
    const char *out_sha = deid_job_output_sha256(job);
    char when[32];
    json_utc_now(when);
    dbuf b, scratch;
    dbuf_init(&b, 16u << 20);
    dbuf_init(&scratch, 1u << 20);
    int rc = dbuf_putc(&b, '{');
    rc = rc ? rc : json_append_header(&b, JSON_SCHEMA_RECORD, 2);
    rc = rc ? rc : dbuf_printf(&b, "\n  \"record\": \"가명정보 처리 기록 (pseudonymization processing record)\",\n"
                                   "  \"processed_at\": \"%s\",\n  \"engine\": \"deid %s\",\n  \"purpose\": ",
                               when, DEID_VERSION);
    rc = rc ? rc : json_opt(&b, r->record.purpose);
    rc = rc ? rc : dbuf_append_str(&b, ",\n  \"recipient\": ");
    rc = rc ? rc : json_opt(&b, r->record.recipient);
    rc = rc ? rc : dbuf_append_str(&b, ",\n  \"retain_until\": ");
    rc = rc ? rc : json_opt(&b, r->record.retain_until);
    rc = rc ? rc : dbuf_append_str(&b, ",\n  \"controller\": ");
    rc = rc ? rc : json_opt(&b, r->record.controller);
    rc = rc ? rc : dbuf_append_str(&b, ",\n  \"custodian\": ");
    rc = rc ? rc : json_opt(&b, r->record.custodian);
    rc = rc ? rc : dbuf_append_str(&b, ",\n  \"destroy_keys_on\": ");
    rc = rc ? rc : json_opt(&b, r->record.destroy_keys_on);
    rc = rc ? rc : dbuf_append_str(&b, ",\n  \"rules\": {\"file\": ");
    rc = rc ? rc : json_append_cstr(&b, r->name);
    rc = rc ? rc : dbuf_printf(&b, ", \"sha256\": \"%s\"}", r->sha256);
    rc = rc ? rc : json_files(&b, r);
    rc = rc ? rc : dbuf_append_str(&b, ",\n  \"inputs\": [");
    for (size_t i = 0; i < job->n_inputs && !rc; i++) {
        const job_input *in = &job->inputs[i];
        rc = dbuf_printf(&b, "%s\n    {\"name\": ", i ? "," : "");
        rc = rc ? rc : json_append_cstr(&b, in->name);
        rc = rc ? rc : dbuf_printf(&b, ", \"sha256\": \"%s\", \"bytes\": %llu, \"records\": %llu, \"gzip\": %s, "
                                       "\"encoding\": \"%s\"}",
                                   in->sha256, (unsigned long long)in->bytes,
                                   (unsigned long long)in->records, in->gzip ? "true" : "false",
                                   in->encoding ? in->encoding : "");
    }
    rc = rc ? rc : dbuf_printf(&b, "\n  ],\n  \"output\": {\"file\": ");
    rc = rc ? rc : json_opt(&b, job->output_name);
    rc = rc ? rc : dbuf_append_str(&b, ", \"sha256\": ");
    rc = rc ? rc : json_opt(&b, out_sha);
    rc = rc ? rc : dbuf_append_str(&b, ", \"delimiter\": ");
    rc = rc ? rc : json_append_cstr(&b, rules_delimiter_name(job->out_delimiter));
    rc = rc ? rc : dbuf_printf(&b, ", \"header\": %s", r->header ? "true" : "false");
    rc = rc ? rc : dbuf_printf(&b, ", \"bytes\": %llu, \"records\": %llu, \"records_removed\": %llu, "
                                   "\"gzip\": %s, \"encoding\": \"%s\", \"bom\": %s},\n  \"columns\": [",
                               (unsigned long long)job->out_bytes,
                               (unsigned long long)job->counts.records_written,
                               (unsigned long long)job->counts.records_removed,
                               job->gzip_out ? "true" : "false", textenc_name(job->out_encoding),
                               job->bom ? "true" : "false");
    for (size_t i = 0; i < job->colplan->n_cols && !rc; i++) {
        const colplan_column *c = &job->colplan->cols[i];
        dbuf_reset(&scratch);
        rc = parameters(job, i, &scratch);
        rc = rc ? rc : dbuf_printf(&b, "%s\n    {\"name\": ", i ? "," : "");
        rc = rc ? rc : json_append_cstr(&b, c->label);
        rc = rc ? rc : dbuf_printf(&b, ", \"transform\": \"%s\", \"parameters\": ", c->ops->name);
        rc = rc ? rc : json_append_string(&b, scratch.data ? scratch.data : "", scratch.len);
        rc = rc ? rc : dbuf_append_str(&b, ", \"technique\": ");
        rc = rc ? rc : json_append_cstr(&b, c->ops->technique);
        rc = rc ? rc : group_report_json(&b, job, i);
        rc = rc ? rc : dbuf_printf(&b, ", \"written\": %s, \"added\": %s}", c->written ? "true" : "false",
                                   c->ru && c->ru->is_add ? "true" : "false");
    }
    rc = rc ? rc : dbuf_append_str(&b, "\n  ],\n  \"keys\": [");
    for (size_t i = 0; i < keyring_count(r->keys) && !rc; i++) {
        const deid_key *k = keyring_at(r->keys, i);
        rc = dbuf_printf(&b, "%s\n    {\"name\": ", i ? "," : "");
        rc = rc ? rc : json_append_cstr(&b, key_name(k));
        rc = rc ? rc : dbuf_printf(&b, ", \"fingerprint\": \"%s\", \"file\": ", key_fingerprint(k));
        rc = rc ? rc : json_append_cstr(&b, r->key_decls[i].file);
        rc = rc ? rc : dbuf_putc(&b, '}');
    }
    rc = rc ? rc : dbuf_append_str(&b, keyring_count(r->keys) ? "\n  ]" : "]");
    rc = rc ? rc : json_sample(&b, &r->sample);
    if (!rc && job->priv && job->priv->privacy_stats) {
        const privacy_stats *ps = job->priv->privacy_stats;
        rc = dbuf_printf(&b, ",\n  \"privacy\": {\"k\": %llu, \"records_suppressed\": %llu, "
                             "\"classes\": %llu, \"smallest_class\": %llu, \"met\": %s, "
                             "\"suppression\": \"%s\"",
                         (unsigned long long)r->privacy.k, (unsigned long long)job->priv->to_suppress,
                         (unsigned long long)ps->classes, (unsigned long long)ps->min_class,
                         ps->met ? "true" : "false",
                         job->priv->cell_depth ? "cell" : r->privacy.suppress_records ? "record" : "quasi");
        rc = rc ? rc : json_cells(&b, job);
        rc = rc ? rc : json_requirements(&b, job);
        rc = rc ? rc : dbuf_putc(&b, '}');
    }
    if (!rc && job->priv && job->priv->utility) {
        rc = dbuf_append_str(&b, ",\n  \"utility\": ");
        rc = rc ? rc : utility_report_json(&b, job->priv->utility,
                                           (const char *const *)r->privacy.quasi, 2);
    }
    rc = rc ? rc : dbuf_append_str(&b, "\n}\n");
    dbuf_free(&scratch);
    if (rc || !(*text = dbuf_take(&b))) {
        dbuf_free(&b);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    return DEID_OK;
}

/* The utility figures against the input (README "Utility"), one table;
 * "-" for a figure not known in this run. */
static int md_utility(dbuf *b, const utility_figures *f)
{
    const double figs[] = {f->discernibility, f->avg_class_size, f->c_avg, f->nu_entropy,
                           f->precision, f->loss};
    int rc = dbuf_append_str(b, "\n## 유용성 / utility against the input\n\n"
                                "| 구별성 / DM* | 평균 동질집합 / avg class size | C_AVG | "
                                "비균일 엔트로피 / NU entropy (bits) | 정밀도 / precision | "
                                "손실 / loss |\n|---|---|---|---|---|---|\n|");
    for (size_t i = 0; i < sizeof figs / sizeof figs[0] && !rc; i++)
        rc = isnan(figs[i]) ? dbuf_append_str(b, " - |") : dbuf_printf(b, " %.17g |", figs[i]);
    return rc ? rc : dbuf_putc(b, '\n');
}

deid_status deid_job_record_markdown(deid_job *job, char **text, deid_error *err)
{
    const deid_rules *r = job->rules;
    const char *out_sha = deid_job_output_sha256(job);
    char when[32];
    json_utc_now(when);
    dbuf b, scratch;
    dbuf_init(&b, 16u << 20);
    dbuf_init(&scratch, 1u << 20);
    const char *none = "(not stated / 미기재)";
    int rc = dbuf_printf(&b,
                         "# 가명정보 처리 기록 / Pseudonymization processing record\n\n"
                         "| 항목 / item | 내용 / value |\n|---|---|\n"
                         "| 처리 목적 / purpose | %s |\n| 제공받는 자 / recipient | %s |\n"
                         "| 보유 기간 / retained until | %s |\n| 처리 일시 / processed at | %s |\n"
                         "| 처리 도구 / engine | deid %s |\n| 규칙 파일 / rules | %s (SHA-256 %s) |\n",
                         r->record.purpose ? r->record.purpose : none,
                         r->record.recipient ? r->record.recipient : none,
                         r->record.retain_until ? r->record.retain_until : none, when, DEID_VERSION,
                         r->name, r->sha256);
    rc = rc ? rc : dbuf_printf(&b, "| 처리자 / controller | %s |\n| 추가정보 관리자 / key custodian | %s |\n"
                                   "| 추가정보 파기 예정일 / keys destroyed on | %s |\n",
                               r->record.controller ? r->record.controller : none,
                               r->record.custodian ? r->record.custodian : none,
                               r->record.destroy_keys_on ? r->record.destroy_keys_on : none);
    for (size_t i = 0; i < r->files_read.n && !rc; i++) {
        if (!r->files_read.sha256 || !r->files_read.sha256[i][0])
            continue;
        rc = dbuf_printf(&b, "| %s / %s | ", !strcmp(r->files_read.roles[i], "map") ? "대응표" : "계층 파일",
                         r->files_read.roles[i]);
        rc = rc ? rc : md_cell(&b, r->files_read.paths[i], strlen(r->files_read.paths[i]));
        rc = rc ? rc : dbuf_printf(&b, " (SHA-256 %s) |\n", r->files_read.sha256[i]);
    }
    for (size_t i = 0; i < job->n_inputs && !rc; i++) {
        const job_input *in = &job->inputs[i];
        rc = dbuf_printf(&b, "| 입력 / input | %s: %llu records, %llu bytes, SHA-256 %s, %s |\n", in->name,
                         (unsigned long long)in->records, (unsigned long long)in->bytes, in->sha256,
                         in->encoding ? in->encoding : "?");
    }
    rc = rc ? rc : dbuf_append_str(&b, "| 출력 / output | ");
    rc = rc ? rc : job->output_name ? md_cell(&b, job->output_name, strlen(job->output_name))
                                    : dbuf_append_str(&b, "(standard output)");
    rc = rc ? rc : dbuf_printf(&b, ": %llu records (%llu removed), %llu bytes, SHA-256 %s, %s%s |\n",
                               (unsigned long long)job->counts.records_written,
                               (unsigned long long)job->counts.records_removed,
                               (unsigned long long)job->out_bytes, out_sha ? out_sha : "-",
                               textenc_name(job->out_encoding), job->bom ? " with BOM" : "");
    rc = rc ? rc : dbuf_printf(&b, "| 출력 형식 / output format | delimiter `%s`, header %s, %s, BOM %s, gzip %s |\n",
                               rules_delimiter_name(job->out_delimiter), r->header ? "yes" : "no",
                               textenc_name(job->out_encoding), job->bom ? "yes" : "no",
                               job->gzip_out ? "yes" : "no");
    rc = rc ? rc : dbuf_append_str(&b, "\n## 처리 항목 / items processed\n\n"
                                       "| 열 / column | 처리 / transform | 매개변수 / parameters | 기법 / technique |\n"
                                       "|---|---|---|---|\n");
    for (size_t i = 0; i < job->colplan->n_cols && !rc; i++) {
        const colplan_column *c = &job->colplan->cols[i];
        dbuf_reset(&scratch);
        rc = parameters(job, i, &scratch);
        rc = rc ? rc : dbuf_append_str(&b, "| ");
        rc = rc ? rc : md_cell(&b, c->label, strlen(c->label));
        rc = rc ? rc : dbuf_printf(&b, " | %s | ", c->ops->name);
        rc = rc ? rc : md_cell(&b, scratch.data ? scratch.data : "", scratch.len);
        rc = rc ? rc : dbuf_printf(&b, " | %s |\n", c->ops->technique);
    }
    /* microagg, aggregate, shuffle: their groups and information loss */
    for (size_t i = 0, first = 1; job->group && i < job->colplan->n_cols && !rc; i++) {
        const colplan_column *c = &job->colplan->cols[i];
        if (!c->ops || !c->ops->group)
            continue;
        if (first)
            rc = dbuf_append_str(&b, "\n");
        first = 0;
        rc = rc ? rc : dbuf_append_str(&b, "- ");
        const char *name = job->counts.columns[i].name;
        rc = rc ? rc : md_cell(&b, name, strlen(name));
        rc = rc ? rc : group_report_figures(&b, job, i);
        rc = rc ? rc : dbuf_putc(&b, '\n');
    }
    if (!rc && keyring_count(r->keys)) {
        rc = dbuf_append_str(&b, "\n## 추가정보 / additional information (keys, kept apart)\n\n"
                                 "| 키 / key | 지문 / fingerprint | 파일 / file |\n|---|---|---|\n");
        for (size_t i = 0; i < keyring_count(r->keys) && !rc; i++) {
            const deid_key *k = keyring_at(r->keys, i);
            rc = dbuf_printf(&b, "| %s | %s | %s |\n", key_name(k), key_fingerprint(k), r->key_decls[i].file);
        }
    }
    if (!rc && r->sample.on) {
        rc = dbuf_printf(&b, "\n## 표본추출 / sampling\n\nrate %.17g, key %s (fingerprint %s), by %s",
                         r->sample.rate, r->sample.key_name, r->sample.fingerprint,
                         r->sample.n_by ? "" : "record position");
        for (size_t i = 0; i < r->sample.n_by && !rc; i++)
            rc = dbuf_printf(&b, "%s%s", i ? ", " : "", r->sample.by[i]);
        rc = rc ? rc : dbuf_putc(&b, '\n');
    }
    if (!rc && job->priv && job->priv->privacy_stats) {
        const privacy_stats *ps = job->priv->privacy_stats;
        rc = dbuf_printf(&b, "\n## 적정성 / privacy check of the output\n\n"
                             "| k | 억제 레코드 / records suppressed | 동질집합 / classes | 최소 / smallest class | 충족 / met |\n"
                             "|---|---|---|---|---|\n| %llu | %llu | %llu | %llu | %s |\n",
                         (unsigned long long)r->privacy.k, (unsigned long long)job->priv->to_suppress,
                         (unsigned long long)ps->classes, (unsigned long long)ps->min_class,
                         ps->met ? "yes / 예" : "no / 아니오");
        rc = rc ? rc : md_cells(&b, job);
        rc = rc ? rc : md_requirements(&b, job);
    }
    if (!rc && job->priv && job->priv->utility)
        rc = md_utility(&b, job->priv->utility);
    dbuf_free(&scratch);
    if (rc || !(*text = dbuf_take(&b))) {
        dbuf_free(&b);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    return DEID_OK;
}
