/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job.c - a run (also reverse and plan) over its inputs: the stream
 * session (session.h) cuts the input bytes into chunks that the job's
 * lanes parse and transform (job_lane.c) and merges them back in order
 * into the pending output. The first record of each input binds the
 * rules to columns (colplan.h). Memory is bounded by the chunks in
 * flight.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_out.h"
#include "deid_limits.h"
#include "err.h"
#include "job.h"
#include "job_group.h"
#include "job_privacy.h"
#include "lane_text.h"
#include "sysmem.h"

#include <openssl/evp.h>

/* Decoded input bytes that one job_write_some feeds (see job.h). */
#define JOB_WRITE_SLICE (1u << 20)

/* Plain output is compressed once this much has gathered. */
#define STAGING_FLUSH (256u << 10)

static deid_status fail(deid_job *job, deid_status st)
{
    return session_fail(job->sess, st);
}

const rule *job_position_rule(const deid_rules *r, int *by_sample)
{
    *by_sample = r->sample.on && !r->sample.n_by;
    for (size_t i = 0; i < r->n_rules; i++) {
        const rule *ru = &r->rules[i];
        if (ru->ops->uses_position && ru->ops->uses_position(ru->state))
            return ru;
    }
    return NULL;
}

/* 1 when a column's transform or `sample` draws by record position, so
 * the job must parse its chunks in order; else 0. */
static int rules_use_positions(const deid_rules *r)
{
    int by_sample;
    return job_position_rule(r, &by_sample) || by_sample;
}

deid_status deid_job_new(const deid_rules *rules, const deid_job_options *opts, deid_job **out,
                         deid_error *err)
{
    *out = NULL;
    err_clear(err);
    deid_job_options o = {0};
    if (opts)
        o = *opts;
    if (o.gzip_level < 0 || o.gzip_level > 9)
        return err_set(err, DEID_E_USAGE, "gzip level must be 1 to 9");
    deid_job *job = calloc(1, sizeof *job);
    if (!job)
        return err_set(err, DEID_E_IO, "out of memory");
    job->rules = rules;
    job->delimiter = o.delimiter ? o.delimiter : rules->delimiter;
    job->out_delimiter = o.out_delimiter ? o.out_delimiter : job->delimiter;
    job->gzip_out = o.gzip_out;
    job->ignore_empty = o.sensitive_empty ? o.sensitive_empty == DEID_SENSITIVE_EMPTY_IGNORE
                                          : rules->privacy.ignore_empty;
    if (o.output_name && !(job->output_name = strdup(o.output_name))) {
        free(job);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    job->gzip_level = o.gzip_level ? o.gzip_level : DEID_GZIP_DEFAULT_LEVEL;
    job->token = rules->privacy.token ? rules->privacy.token : RULES_SUPPRESSION_TOKEN;
    job->sink = rules->privacy.has_require ? &job_privacy_measure : &job_sink_csv;
    job->reread = o.reread;
    job->memory_bytes = o.memory_bytes;
    mem_budget_init(&job->budget, o.memory_bytes ? o.memory_bytes : sysmem_default_budget());
    job->input_classes = o.input_classes;
    job->bind.rules = rules;
    job->bind.direction = o.reverse ? COLPLAN_REVERSE : COLPLAN_FORWARD;
    job->bind.measured = rules->privacy.has_require && !o.reverse;
    if (o.reverse) {
        /* reverse reads what a run wrote: no second pass, no plan */
        job->sink = &job_sink_csv;
        char **only = calloc(o.n_reverse_columns ? o.n_reverse_columns : 1, sizeof *only);
        job->bind.only = only;
        if (!only) {
            free(job);
            return err_set(err, DEID_E_IO, "out of memory");
        }
        for (size_t i = 0; i < o.n_reverse_columns; i++)
            if (!(only[job->bind.n_only++] = strdup(o.reverse_columns[i]))) {
                deid_job_free(job);
                return err_set(err, DEID_E_IO, "out of memory");
            }
    }
    job->sharded = o.sharded || o.partial;
    job->hash_io = o.hash_io;
    if (job->hash_io) {
        job->out_sha = EVP_MD_CTX_new();
        if (!job->out_sha || !EVP_DigestInit_ex(job->out_sha, EVP_sha256(), NULL)) {
            deid_job_free(job);
            return err_set(err, DEID_E_IO, "cannot start SHA-256");
        }
    }
    if (job->sink != &job_sink_csv && !(job->priv = job_privacy_new(o.tmpdir))) {
        deid_job_free(job);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    if (job->priv)
        job->priv->budget = &job->budget;
    const rule *grouped = o.reverse ? NULL : job_group_rule(rules);
    if (grouped) {
        job->sink = &job_group_collect;
        if (!(job->group = job_group_new(o.tmpdir))) {
            deid_job_free(job);
            return err_set(err, DEID_E_IO, "out of memory");
        }
    }
    if (o.partial && !job->priv) {
        deid_job_free(job);
        return err_set(err, DEID_E_USAGE, "%s: a part's summary needs `quasi` and `require` lines",
                       rules->name);
    }
    if (o.partial) {
        job->priv->partial = 1;
        job->priv->part = o.part;
    }
    dbuf_init(&job->pending, DEID_MAX_PENDING_OUTPUT);
    dbuf_init(&job->staging, DEID_MAX_PENDING_OUTPUT);
    if (job->gzip_out)
        job->deflater = gz_deflater_new(job->gzip_level);
    if (job->gzip_out && !job->deflater) {
        deid_job_free(job);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    job->out_encoding = o.out_encoding ? o.out_encoding : rules->out_encoding;
    job->bom = o.bom || rules->bom;
    if (job->out_encoding == DEID_ENCODING_AUTO) {
        deid_job_free(job);
        return err_set(err, DEID_E_USAGE, "the output encoding is utf-8, cp949 or euc-kr, not auto");
    }
    if (job->bom && job->out_encoding != DEID_ENCODING_UTF8) {
        deid_job_free(job);
        return err_set(err, DEID_E_USAGE,
                       "a byte order mark is written only with the utf-8 output encoding");
    }
    if (!(job->out_text = lane_text_new())) {
        deid_job_free(job);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    /* Record positions are known to a lane only when chunks run in
     * order (transform.h, uses_position). */
    if (rules_use_positions(rules))
        o.threads = 1;
    session_options so = {o.threads, o.chunk_bytes, o.progress, o.progress_ctx,
                          o.encoding ? o.encoding : rules->encoding};
    deid_status st = session_new(&job_lane_ops, job, &so, &job->sess, err);
    if (st) {
        deid_job_free(job);
        return st;
    }
    *out = job;
    return DEID_OK;
}

void deid_job_free(deid_job *job)
{
    if (!job)
        return;
    /* Workers first: they read the job until they stop. */
    session_free(job->sess);
    job_privacy_free(job->priv);
    job_group_free(job->group);
    for (size_t i = 0; i < job->bind.n_only; i++)
        free(job->bind.only[i]);
    free((char **)job->bind.only);
    EVP_MD_CTX_free(job->out_sha);
    gz_deflater_free(job->deflater);
    /* Output may hold transformed personal data: wipe, do not just free. */
    dbuf_wipe(&job->pending);
    dbuf_wipe(&job->staging);
    for (size_t i = 0; i < job->n_inputs; i++)
        free(job->inputs[i].name);
    free(job->inputs);
    free(job->out_values);
    free(job->sample_src);
    for (size_t i = 0; job->col_counts && job->colplan && i < job->colplan->n_cols; i++)
        free(job->col_counts[i].findings);
    free(job->col_counts);
    colplan_free(job->colplan);
    lane_text_free(job->out_text);
    free(job->output_name);
    free(job);
}

job_input *job_current_input(const deid_job *job)
{
    if (job->sink->again && job->input_index > 0)
        return &job->inputs[job->input_index - 1];
    return &job->inputs[job->n_inputs - 1];
}

static void at_input(deid_job *job, deid_error *err)
{
    if (err && job->n_inputs && !err->file[0])
        err_at_file(err, job_current_input(job)->name);
}

/* A one-pass run: lanes write the CSV, the merge appends it (job_lane.c). */
const job_sink job_sink_csv = {.number = 1, .lanes_write_csv = 1};

/* ---- binding the rules to the header -------------------------------------- */

/* The job's side of a bound plan: output values, counts, lane scratch,
 * the privacy passes' state. */
static deid_status adopt_plan(deid_job *job, colplan *plan, deid_error *err)
{
    job->colplan = plan;
    /* room for a record's written values and, in a first pass that counts
     * the input's classes, its QIs' input values (job_lane.c) */
    job->out_values = calloc(plan->n_out ? 2 * plan->n_out : 1, sizeof *job->out_values);
    job->col_counts = calloc(plan->n_cols ? plan->n_cols : 1, sizeof *job->col_counts);
    if (!job->out_values || !job->col_counts)
        return err_set(err, DEID_E_IO, "out of memory");
    for (size_t i = 0; i < session_n_lanes(job->sess); i++) {
        deid_status st = job_lane_bind(session_lane(job->sess, i), err);
        if (st)
            return st;
    }
    for (size_t i = 0; i < plan->n_cols; i++) {
        job->col_counts[i].name = plan->cols[i].label;
        /* the summary names what reverse did */
        job->col_counts[i].transform = job->bind.direction == COLPLAN_FORWARD ? plan->cols[i].ops->name
                                       : plan->cols[i].reversing ? "reverse" : "kept";
        const transform_ops *ops = plan->cols[i].ops;
        if (job->bind.direction == COLPLAN_FORWARD && ops->n_findings) {
            job->col_counts[i].findings = calloc(ops->n_findings, sizeof *job->col_counts[i].findings);
            if (!job->col_counts[i].findings)
                return err_set(err, DEID_E_IO, "out of memory");
            job->col_counts[i].n_findings = ops->n_findings;
            job->col_counts[i].finding_names = ops->finding_names;
        }
    }
    job->counts.columns = job->col_counts;
    job->counts.n_columns = plan->n_cols;
    job->bound = 1;
    deid_status st = job->group ? job_group_bind(job, err) : DEID_OK;
    if (!st && job->priv)
        st = job_privacy_bind(job, err);
    if (!st && job->group && job->priv)
        st = job_group_privacy_bind(job, err);
    return st;
}

/* Finds the `sample` by= columns in the bound header. */
static deid_status bind_sample(deid_job *job, deid_error *err)
{
    const rules_sample *s = &job->rules->sample;
    if (!s->on || !s->n_by || job->bind.direction != COLPLAN_FORWARD)
        return DEID_OK;
    if (!(job->sample_src = calloc(s->n_by, sizeof *job->sample_src)))
        return err_set(err, DEID_E_IO, "out of memory");
    for (size_t i = 0; i < s->n_by; i++) {
        long idx = colplan_find(&job->colplan->header, s->by[i], NULL);
        if (idx == COLPLAN_NOMEM)
            return err_set(err, DEID_E_IO, "out of memory");
        if (idx < 0) {
            err_set(err, DEID_E_RULES, "sample by= names column \"%s\", which the input does not have",
                    s->by[i]);
            err_at_rules(err, job->rules->name, s->line, s->by_col, NULL);
            return DEID_E_RULES;
        }
        job->sample_src[i] = (size_t)idx;
    }
    return DEID_OK;
}

static deid_status bind_header(deid_job *job, const csv_field *f, size_t n, int from_data,
                               deid_error *err)
{
    colplan_request req = job->bind;
    req.has_header = !from_data;
    colplan *plan;
    deid_status st = colplan_bind(&req, f, n, &plan, err);
    st = st ? st : adopt_plan(job, plan, err);
    st = st ? st : bind_sample(job, err);
    return st ? st : job_shard_bind(job, f, n, from_data, err);
}

dbuf *job_plain_out(deid_job *job)
{
    return job->gzip_out ? &job->staging : &job->pending;
}

static deid_status out_error(int rc, deid_error *err)
{
    if (rc == DBUF_ETOOBIG)
        return err_set(err, DEID_E_IO, "output not drained: more than %u bytes pending",
                       DEID_MAX_PENDING_OUTPUT);
    return err_set(err, DEID_E_IO, "out of memory");
}

deid_status job_flush_staging(deid_job *job, deid_error *err)
{
    if (!job->gzip_out || job->staging.len == 0)
        return DEID_OK;
    deid_status st = gz_deflate(job->deflater, job->staging.data, job->staging.len,
                                &job->pending, err);
    dbuf_reset(&job->staging);
    return st;
}

deid_status job_write_header(deid_job *job, dbuf *out, deid_error *err)
{
    static const char bom[3] = {'\xEF', '\xBB', '\xBF'};
    if (job->bom && dbuf_append(out, bom, sizeof bom))
        return out_error(DBUF_ENOMEM, err);
    if (!job->rules->header)
        return DEID_OK;
    size_t k = 0;
    for (size_t i = 0; i < job->colplan->n_cols; i++)
        if (job->colplan->cols[i].written) {
            job->out_values[k].data = job->colplan->cols[i].name;
            job->out_values[k].len = strlen(job->colplan->cols[i].name);
            k++;
        }
    size_t bad;
    deid_status st = job_encode_output(job, job->out_text, job->out_values, k, 0, 1, &bad, err);
    if (st)
        return st;
    int rc = csv_out_record(out, job->out_delimiter, job->out_values, k);
    return rc ? out_error(rc, err) : DEID_OK;
}

static deid_status check_same_header(deid_job *job, const csv_field *f, size_t n, deid_error *err)
{
    int same = colplan_same_header(&job->colplan->header, f, n);
    if (same < 0)
        return err_set(err, DEID_E_IO, "out of memory");
    if (!same) {
        err_set(err, DEID_E_DATA, "the header differs from the first input's header");
        err_at_record(err, NULL, 0, 1, NULL);
        return DEID_E_DATA;
    }
    return DEID_OK;
}

deid_status job_encode_output(deid_job *job, struct lane_text *t, xf_value *vals, size_t n,
                              uint64_t record, unsigned long line, size_t *bad, deid_error *err)
{
    deid_status st = lane_text_encode(t, job->out_encoding, vals, n, bad, err);
    if (st == DEID_E_DATA) {
        size_t k = 0;
        const char *label = "";
        for (size_t i = 0; i < job->colplan->n_cols; i++)
            if (job->colplan->cols[i].written && k++ == *bad)
                label = job->colplan->cols[i].label;
        err_at_record(err, job_current_input(job)->name, record, line, label);
    }
    return st;
}

deid_status job_write_plain(deid_job *job, const xf_value *values, size_t n, deid_error *err)
{
    if (job->out_encoding != DEID_ENCODING_UTF8) {
        size_t bad;
        xf_value *vals = (xf_value *)values; /* job->out_values, the job's own */
        deid_status st = job_encode_output(job, job->out_text, vals, n, 0, 0, &bad, err);
        if (st)
            return st;
    }
    int rc = csv_out_record(job_plain_out(job), job->out_delimiter, values, n);
    if (rc)
        return out_error(rc, err);
    job->counts.records_written++;
    if (job->gzip_out && job->staging.len >= STAGING_FLUSH)
        return job_flush_staging(job, err);
    return DEID_OK;
}

deid_status job_bind_header(deid_job *job, const csv_field *f, size_t n, int from_data,
                            deid_error *err)
{
    if (!from_data && job->bound)
        return check_same_header(job, f, n, err);
    return bind_header(job, f, n, from_data, err);
}

/* ---- input side ----------------------------------------------------------- */

void job_report_progress(deid_job *job)
{
    session_progress(job->sess, job->sink->number, job->record_no);
}

static deid_status refuse(deid_job *job, deid_error *err)
{
    if (session_failed(job->sess))
        return err_set(err, session_failed(job->sess), "the job stopped at an earlier error");
    return err_set(err, DEID_E_USAGE, "the job is finished");
}

/* The records of the inputs before input n: where input n's draws by
 * record position start (numbered across the run's inputs). */
static uint64_t records_before(const deid_job *job, size_t n)
{
    uint64_t records = 0;
    for (size_t i = 0; i < n; i++)
        records += job->inputs[i].records;
    return records;
}

deid_status deid_job_begin_input(deid_job *job, const char *name, deid_error *err)
{
    err_clear(err);
    if (session_failed(job->sess) || job->finished)
        return refuse(job, err);
    if (job->in_input)
        return err_set(err, DEID_E_USAGE, "deid_job_begin_input: the previous input is not ended");
    job->header_done = 0;
    if (job->sink->again) {
        if (!job->reread || job->input_index >= job->n_inputs)
            return err_set(err, DEID_E_USAGE,
                           "deid_job_begin_input: the second pass takes the same inputs again");
        if (job->input_index == 0) {
            job->record_no = 0; /* progress counts the pass afresh */
            session_new_pass(job->sess);
        }
        job->draw_base = records_before(job, job->input_index);
        job->in_input = 1;
        job->input_index++;
        /* hashed again: an input that changed since the first pass is refused */
        return fail(job, session_begin_input(job->sess, 1, err));
    }
    job_input *grown = realloc(job->inputs, (job->n_inputs + 1) * sizeof *grown);
    if (!grown)
        return fail(job, err_set(err, DEID_E_IO, "out of memory"));
    job->inputs = grown;
    job->draw_base = records_before(job, job->n_inputs);
    job_input *in = &job->inputs[job->n_inputs];
    memset(in, 0, sizeof *in);
    in->name = strdup(name ? name : "-");
    if (!in->name)
        return fail(job, err_set(err, DEID_E_IO, "out of memory"));
    job->n_inputs++;
    job->in_input = 1;
    job->header_done = 0;
    /* a first pass over inputs read again: the second pass checks they did not change */
    int hash = job->hash_io || (job->reread && (job->priv || job->group));
    return fail(job, session_begin_input(job->sess, hash, err));
}

deid_status job_write_some(deid_job *job, const void *data, size_t len, size_t *used,
                           deid_error *err)
{
    *used = 0;
    err_clear(err);
    if (session_failed(job->sess) || job->finished)
        return refuse(job, err);
    if (!job->in_input)
        return err_set(err, DEID_E_USAGE, "deid_job_write: no input begun");
    deid_status st = session_write_some(job->sess, data, len, JOB_WRITE_SLICE, used, err);
    if (!st)
        st = job_flush_staging(job, err);
    if (!st)
        st = job->group ? job_group_flush(job, err) : job_privacy_flush(job, err);
    if (st)
        at_input(job, err);
    return fail(job, st);
}

deid_status deid_job_write(deid_job *job, const void *data, size_t len, deid_error *err)
{
    const char *p = data;
    size_t used;
    /* in slices, so that staging and the spool are flushed as they go */
    do {
        deid_status st = job_write_some(job, p, len, &used, err);
        if (st)
            return st;
        p += used;
        len -= used;
    } while (len > 0);
    return DEID_OK;
}

deid_status deid_job_end_input(deid_job *job, deid_error *err)
{
    err_clear(err);
    if (session_failed(job->sess) || job->finished)
        return refuse(job, err);
    if (!job->in_input)
        return err_set(err, DEID_E_USAGE, "deid_job_end_input: no input begun");
    deid_status st = session_end_input(job->sess, err);
    /* Every chunk is merged: the workers are idle. */
    for (size_t i = 0; job->col_counts && i < session_n_lanes(job->sess); i++)
        job_lane_collect(session_lane(job->sess, i), job->col_counts);
    job_input *in = job_current_input(job);
    if (!job->sink->again) {
        in->bytes = session_input_decoded_bytes(job->sess);
        in->gzip = session_input_is_gzip(job->sess);
        in->encoding = session_input_encoding(job->sess);
        in->encoding_detected = session_encoding_declared(job->sess) == DEID_ENCODING_AUTO;
        memcpy(in->sha256, session_input_sha256(job->sess), sizeof in->sha256);
        job->counts.bytes_read += in->bytes;
    } else if (!st && strcmp(in->sha256, session_input_sha256(job->sess)) != 0) {
        st = err_set(err, DEID_E_DATA, "the input changed between the two passes (its SHA-256 "
                                       "differs from the first pass's)");
    }
    if (!st && job->rules->header && !job->header_done)
        st = err_set(err, DEID_E_DATA, "the input is empty: no header row");
    if (!st && !job->rules->header && !job->bound)
        st = err_set(err, DEID_E_DATA, "the input is empty");
    if (!st)
        st = job_flush_staging(job, err);
    job->in_input = 0;
    if (st)
        at_input(job, err);
    return fail(job, st);
}

/* After a successful run only: transforms that keep files beside the
 * output (token vaults) save them now, before the caller commits the
 * output; a failed run never gets here, so those files stay as they were
 * (transform.h, commit). */
static deid_status commit_columns(deid_job *job, deid_error *err)
{
    for (size_t i = 0; job->colplan && i < job->colplan->n_cols; i++) {
        const colplan_column *c = &job->colplan->cols[i];
        deid_status st = c->ops && c->ops->commit ? c->ops->commit(c->state, err) : DEID_OK;
        if (st)
            return st;
    }
    return DEID_OK;
}

deid_status deid_job_finish(deid_job *job, deid_error *err)
{
    err_clear(err);
    if (session_failed(job->sess) || job->finished)
        return refuse(job, err);
    if (job->in_input)
        return err_set(err, DEID_E_USAGE, "deid_job_finish: an input is not ended");
    if (!job->n_inputs)
        return err_set(err, DEID_E_USAGE, "deid_job_finish: no input was given");
    deid_status st = job->sink->finish ? job->sink->finish(job, err) : DEID_OK;
    if (!st)
        st = job_flush_staging(job, err);
    /* One-pass runs wrote whole gzip members per chunk; the deflater
     * writes the privacy runs' output, or an empty member when a one-pass
     * run wrote nothing (so the output is still valid gzip). */
    if (!st && job->gzip_out && (!job->sink->lanes_write_csv || !job->output_started))
        st = gz_deflate_finish(job->deflater, &job->pending, err);
    if (!st && job->counts.records_read != job->counts.records_written + job->counts.records_removed)
        st = err_set(err, DEID_E_IO, "internal error: records read and written do not add up");
    if (!st)
        st = commit_columns(job, err);
    job->finished = 1;
    return fail(job, st);
}

size_t deid_job_read(deid_job *job, void *out, size_t cap)
{
    size_t n = job->pending.len < cap ? job->pending.len : cap;
    if (n) {
        memcpy(out, job->pending.data, n);
        job_output_taken(job, job->pending.data, n);
        dbuf_consume(&job->pending, n);
    }
    return n;
}

void job_output_taken(deid_job *job, const void *data, size_t len)
{
    job->out_bytes += len;
    if (job->out_sha && len)
        EVP_DigestUpdate(job->out_sha, data, len);
}

const char *deid_job_output_sha256(deid_job *job)
{
    if (!job->out_sha || !job->finished || job->pending.len)
        return NULL;
    if (!job->out_sha256[0]) {
        unsigned char md[32];
        unsigned int n = 0;
        if (!EVP_DigestFinal_ex(job->out_sha, md, &n) || n != 32)
            return NULL;
        for (unsigned i = 0; i < 32; i++)
            snprintf(job->out_sha256 + 2 * i, 3, "%02x", md[i]);
    }
    return job->out_sha256;
}

size_t deid_job_pending(const deid_job *job)
{
    return job->pending.len;
}

const deid_counts *deid_job_counts(const deid_job *job)
{
    return &job->counts;
}

const char *deid_job_input_encoding(const deid_job *job, size_t input)
{
    if (!job || input >= job->n_inputs)
        return NULL;
    const job_input *in = &job->inputs[input];
    /* the input being read has its encoding only once it ends */
    return in->encoding ? in->encoding : session_input_encoding(job->sess);
}

deid_status job_values_of_spool(deid_job *job, const csv_field *f, size_t n, deid_error *err)
{
    if (n != job->colplan->n_out)
        return err_set(err, DEID_E_IO, "the spool file is damaged");
    for (size_t i = 0; i < n; i++)
        job->out_values[i] = (xf_value){f[i].data, f[i].len};
    return DEID_OK;
}
