/*
 * record.c - the processing record (가명정보 처리 기록) of a run, as JSON
 * and as Markdown with Korean and English labels: purpose, recipient,
 * retention, date and time, engine version, the rules file's SHA-256, the
 * inputs and the output with SHA-256, bytes and records, per column the
 * transform, its resolved parameters (never key material) and the
 * guideline technique, key fingerprints, and the privacy figures when the
 * rules have a requirement. PIPA Decree Art. 29-5 asks for purpose, items
 * processed, use history, recipient and processing period.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "job.h"
#include "job_privacy.h"
#include "json.h"
#include "textenc.h"
#include "privacy.h"
#include "text_escape.h"

static void utc_now(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
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
    utc_now(when);
    dbuf b, scratch;
    dbuf_init(&b, 16u << 20);
    dbuf_init(&scratch, 1u << 20);
    int rc = dbuf_printf(&b, "{\n  \"record\": \"가명정보 처리 기록 (pseudonymization processing record)\",\n"
                             "  \"processed_at\": \"%s\",\n  \"engine\": \"deid %s\",\n  \"purpose\": ",
                         when, DEID_VERSION);
    rc = rc ? rc : json_opt(&b, r->record.purpose);
    rc = rc ? rc : dbuf_append_str(&b, ",\n  \"recipient\": ");
    rc = rc ? rc : json_opt(&b, r->record.recipient);
    rc = rc ? rc : dbuf_append_str(&b, ",\n  \"retain_until\": ");
    rc = rc ? rc : json_opt(&b, r->record.retain_until);
    rc = rc ? rc : dbuf_append_str(&b, ",\n  \"rules\": {\"file\": ");
    rc = rc ? rc : json_append_cstr(&b, r->name);
    rc = rc ? rc : dbuf_printf(&b, ", \"sha256\": \"%s\"},\n  \"inputs\": [", r->sha256);
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
    rc = rc ? rc : dbuf_printf(&b, "\n  ],\n  \"output\": {\"sha256\": ");
    rc = rc ? rc : json_opt(&b, out_sha);
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
    if (!rc && job->priv && job->priv->privacy_stats) {
        const privacy_stats *ps = job->priv->privacy_stats;
        rc = dbuf_printf(&b, ",\n  \"privacy\": {\"k\": %llu, \"records_suppressed\": %llu, "
                             "\"classes\": %llu, \"smallest_class\": %llu, \"met\": %s}",
                         (unsigned long long)r->privacy.k, (unsigned long long)job->priv->to_suppress,
                         (unsigned long long)ps->classes, (unsigned long long)ps->min_class,
                         ps->met ? "true" : "false");
    }
    rc = rc ? rc : dbuf_append_str(&b, "\n}\n");
    dbuf_free(&scratch);
    if (rc || !(*text = dbuf_take(&b))) {
        dbuf_free(&b);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    return DEID_OK;
}

/* Markdown table cells: no pipes or line breaks. */
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

deid_status deid_job_record_markdown(deid_job *job, char **text, deid_error *err)
{
    const deid_rules *r = job->rules;
    const char *out_sha = deid_job_output_sha256(job);
    char when[32];
    utc_now(when);
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
    for (size_t i = 0; i < job->n_inputs && !rc; i++) {
        const job_input *in = &job->inputs[i];
        rc = dbuf_printf(&b, "| 입력 / input | %s: %llu records, %llu bytes, SHA-256 %s, %s |\n", in->name,
                         (unsigned long long)in->records, (unsigned long long)in->bytes, in->sha256,
                         in->encoding ? in->encoding : "?");
    }
    rc = rc ? rc : dbuf_printf(&b, "| 출력 / output | %llu records (%llu removed), %llu bytes, SHA-256 %s, %s%s |\n",
                               (unsigned long long)job->counts.records_written,
                               (unsigned long long)job->counts.records_removed,
                               (unsigned long long)job->out_bytes, out_sha ? out_sha : "-",
                               textenc_name(job->out_encoding), job->bom ? " with BOM" : "");
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
    if (!rc && keyring_count(r->keys)) {
        rc = dbuf_append_str(&b, "\n## 추가정보 / additional information (keys, kept apart)\n\n"
                                 "| 키 / key | 지문 / fingerprint | 파일 / file |\n|---|---|---|\n");
        for (size_t i = 0; i < keyring_count(r->keys) && !rc; i++) {
            const deid_key *k = keyring_at(r->keys, i);
            rc = dbuf_printf(&b, "| %s | %s | %s |\n", key_name(k), key_fingerprint(k), r->key_decls[i].file);
        }
    }
    if (!rc && job->priv && job->priv->privacy_stats) {
        const privacy_stats *ps = job->priv->privacy_stats;
        rc = dbuf_printf(&b, "\n## 적정성 / privacy check of the output\n\n"
                             "| k | 억제 레코드 / records suppressed | 동질집합 / classes | 최소 / smallest class | 충족 / met |\n"
                             "|---|---|---|---|---|\n| %llu | %llu | %llu | %llu | %s |\n",
                         (unsigned long long)r->privacy.k, (unsigned long long)job->priv->to_suppress,
                         (unsigned long long)ps->classes, (unsigned long long)ps->min_class,
                         ps->met ? "yes / 예" : "no / 아니오");
    }
    dbuf_free(&scratch);
    if (rc || !(*text = dbuf_take(&b))) {
        dbuf_free(&b);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    return DEID_OK;
}
