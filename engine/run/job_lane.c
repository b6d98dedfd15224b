/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_lane.c - the per-thread half of a run: a lane parses one chunk of
 * input (pipeline.h) with its own CSV reader, transforms every record with
 * its own scratch buffers and leaves the chunk's output in the chunk:
 * finished CSV (a whole gzip member when compressing) in a one-pass run,
 * or the transformed values, serialized, for the privacy pass that merges
 * them (job_privacy.c). Its merge then takes chunks in input order on
 * the caller's thread: output, counts, errors.
 *
 * Lanes read the job's column plan (colplan.h), rules and pass sink but
 * never write the job; only lane 0, which runs on the caller's thread, binds the
 * header in the first chunk of each input.
 */
#include <stdlib.h>
#include <string.h>

#include "csv_out.h"
#include "deid_limits.h"
#include "err.h"
#include "job.h"
#include "job_privacy.h"
#include "lane_text.h"

/* Counters per column in a chunk: transformed, empty, errors. */
enum { COUNT_TRANSFORMED, COUNT_EMPTY, COUNT_ERRORS, COUNTS_PER_COLUMN };

struct job_lane {
    deid_job *job;
    csv_in *csv;
    lane_text *text;        /* input records to UTF-8, output values to its encoding */
    pipe_chunk *chunk;      /* being worked on */
    dbuf *out;              /* where records go: chunk->out, or plain */
    dbuf plain;             /* CSV before compression (gzip output) */
    gz_deflater *deflater;
    xf_value *multi;        /* inputs of a multi-column transform */
    xf_value *sample_ids;   /* the `sample` by= values of one record */
    xf_value *out_values;   /* one record's written values */
    dbuf *scratch;          /* per column: its transformed value */
    uint64_t (*counts)[COUNTS_PER_COLUMN]; /* per column, since the last collect */
    uint64_t **findings;    /* per column: ops->n_findings counters, or NULL */
    size_t n_scratch;
};

static deid_status lane_on_record(void *ctx, const csv_field *f, size_t n, unsigned long line,
                                  deid_error *err);
static void lane_free(void *p);

static void *lane_new(void *owner)
{
    deid_job *job = owner;
    job_lane *lane = calloc(1, sizeof *lane);
    if (!lane)
        return NULL;
    lane->job = job;
    lane->csv = csv_in_new(job->delimiter, lane_on_record, lane);
    lane->text = lane_text_new();
    dbuf_init(&lane->plain, DEID_MAX_PENDING_OUTPUT);
    if (job->gzip_out)
        lane->deflater = gz_deflater_new(job->gzip_level);
    if (!lane->csv || !lane->text || (job->gzip_out && !lane->deflater)) {
        lane_free(lane);
        return NULL;
    }
    return lane;
}

static void lane_free(void *p)
{
    job_lane *lane = p;
    if (!lane)
        return;
    csv_in_free(lane->csv);
    lane_text_free(lane->text);
    gz_deflater_free(lane->deflater);
    dbuf_wipe(&lane->plain); /* transformed personal data */
    for (size_t i = 0; i < lane->n_scratch; i++)
        dbuf_wipe(&lane->scratch[i]);
    free(lane->scratch);
    free(lane->counts);
    for (size_t i = 0; lane->findings && i < lane->n_scratch; i++)
        free(lane->findings[i]);
    free(lane->findings);
    free(lane->multi);
    free(lane->sample_ids);
    free(lane->out_values);
    free(lane);
}

deid_status job_lane_bind(job_lane *lane, deid_error *err)
{
    const deid_job *job = lane->job;
    lane->multi = calloc(job->colplan->max_src ? job->colplan->max_src : 1, sizeof *lane->multi);
    /* the written values, then room for the QIs' input values (append_input_quasi) */
    lane->out_values = calloc(job->colplan->n_out ? 2 * job->colplan->n_out : 1, sizeof *lane->out_values);
    lane->scratch = calloc(job->colplan->n_cols ? job->colplan->n_cols : 1, sizeof *lane->scratch);
    lane->counts = calloc(job->colplan->n_cols ? job->colplan->n_cols : 1, sizeof *lane->counts);
    lane->findings = calloc(job->colplan->n_cols ? job->colplan->n_cols : 1, sizeof *lane->findings);
    lane->sample_ids = calloc(job->rules->sample.n_by ? job->rules->sample.n_by : 1,
                              sizeof *lane->sample_ids);
    if (!lane->multi || !lane->out_values || !lane->scratch || !lane->counts || !lane->findings ||
        !lane->sample_ids)
        return err_set(err, DEID_E_IO, "out of memory");
    lane->n_scratch = job->colplan->n_cols;
    for (size_t i = 0; i < job->colplan->n_cols; i++) {
        dbuf_init(&lane->scratch[i], DEID_MAX_FIELD_BYTES * 4);
        size_t n = job->colplan->cols[i].ops->n_findings;
        if (n && job->colplan->cols[i].ops->apply_counting &&
            !(lane->findings[i] = calloc(n, sizeof *lane->findings[i])))
            return err_set(err, DEID_E_IO, "out of memory");
    }
    return DEID_OK;
}

void job_lane_collect(job_lane *lane, deid_column_counts *into)
{
    for (size_t i = 0; lane->counts && i < lane->n_scratch; i++) {
        into[i].transformed += lane->counts[i][COUNT_TRANSFORMED];
        into[i].empty += lane->counts[i][COUNT_EMPTY];
        into[i].errors += lane->counts[i][COUNT_ERRORS];
        memset(lane->counts[i], 0, sizeof lane->counts[i]);
        for (size_t k = 0; lane->findings[i] && into[i].findings && k < into[i].n_findings; k++) {
            into[i].findings[k] += lane->findings[i][k];
            lane->findings[i][k] = 0;
        }
    }
}

static deid_status out_error(int rc, deid_error *err)
{
    if (rc == DBUF_ETOOBIG)
        return err_set(err, DEID_E_IO, "output not drained: more than %u bytes pending",
                       DEID_MAX_PENDING_OUTPUT);
    return err_set(err, DEID_E_IO, "out of memory");
}

/* A privacy pass's record in a chunk: its line relative to the chunk's
 * first line, its index among the chunk's records (`sample` leaves some
 * out), the number of values, then each value's length and bytes. */
static deid_status serialize(job_lane *lane, const xf_value *values, size_t n,
                             unsigned long line, deid_error *err)
{
    pipe_chunk *c = lane->chunk;
    size_t start = c->out.len;
    int64_t rel = (int64_t)line - (int64_t)(c->first_line ? c->first_line : 1);
    int rc = pipe_put_u64(&c->out, (uint64_t)rel);
    rc = rc ? rc : pipe_put_u64(&c->out, c->records); /* records before it in the chunk */
    rc = rc ? rc : pipe_put_u64(&c->out, n);
    for (size_t i = 0; i < n && !rc; i++) {
        rc = pipe_put_u64(&c->out, values[i].len);
        rc = rc ? rc : dbuf_append(&c->out, values[i].data, values[i].len);
    }
    if (rc)
        c->out.len = start; /* no partial record for the merge to read past */
    return rc ? out_error(rc, err) : DEID_OK;
}

/* In a privacy run's first pass: appends each QI's input value, as read,
 * after the k written values in lane->out_values, for the utility metrics
 * and (options.input_classes) the input's classes; measure_take
 * (job_privacy.c), or with a two-pass technique collect_take
 * (job_group.c), takes them off, and they never reach a spool. Returns
 * how many it appended. */
static size_t append_input_quasi(job_lane *lane, const csv_field *f, size_t k)
{
    const deid_job *job = lane->job;
    const job_privacy *pv = job->priv;
    if (!job->sink->input_quasi || !pv)
        return 0;
    for (size_t q = 0; q < pv->n_qi; q++) {
        const colplan_column *c = &job->colplan->cols[pv->qi_col[q]];
        xf_value v = {"", 0};
        if (c->n_src) {
            v.data = f[c->src[0]].data;
            v.len = f[c->src[0]].len;
        }
        lane->out_values[k + q] = v;
    }
    return pv->n_qi;
}

/* Whether `sample` keeps the record (rules_sample_keeps: 1, 0 or -1). */
static int sample_keeps(job_lane *lane, const csv_field *f, uint64_t record)
{
    const deid_job *job = lane->job;
    const rules_sample *s = &job->rules->sample;
    for (size_t i = 0; i < s->n_by; i++) {
        lane->sample_ids[i].data = f[job->sample_src[i]].data;
        lane->sample_ids[i].len = f[job->sample_src[i]].len;
    }
    return rules_sample_keeps(s, lane->sample_ids, s->n_by, record);
}

/* Transforms one record into lane->out_values and hands it on. */
static deid_status process_record(job_lane *lane, const csv_field *f, unsigned long line,
                                  deid_error *err)
{
    const deid_job *job = lane->job;
    /* the plan and the sink do not change while lanes work: loaded once */
    const colplan_column *cols = job->colplan->cols;
    const size_t n_cols = job->colplan->n_cols;
    const int level0 = job->sink->level0;
    pipe_chunk *chunk = lane->chunk;
    uint64_t record = chunk->record_base + chunk->records + 1;
    uint64_t draw_at = job->draw_base + record; /* the record's place in the run */
    size_t k = 0;
    if (job->rules->sample.on && job->bind.direction == COLPLAN_FORWARD) {
        int keep = sample_keeps(lane, f, draw_at);
        if (keep < 0) {
            err_set(err, DEID_E_IO, "out of memory");
            err_at_record(err, job_current_input(job)->name, record, line, NULL);
            return DEID_E_IO;
        }
        if (!keep) { /* counted as removed by the merge */
            chunk->records++;
            chunk->left_out++;
            return DEID_OK;
        }
    }
    for (size_t i = 0; i < n_cols; i++) {
        const colplan_column *c = &cols[i];
        uint64_t *count = lane->counts[i];
        int all_empty = 1;
        for (size_t j = 0; j < c->n_src; j++) {
            lane->multi[j].data = f[c->src[j]].data;
            lane->multi[j].len = f[c->src[j]].len;
            if (f[c->src[j]].len)
                all_empty = 0;
        }
        if (c->ru && (c->ru->context || c->ru->n_also))
            all_empty = f[c->src[0]].len == 0; /* context/also columns are not the value */
        xf_value v = {"", 0};
        if (!c->needed) {
            /* not needed to measure classes in a first pass over a re-readable input */
        } else if (c->auto_level && level0) {
            /* the plan needs the level-0 value; it never leaves memory */
            v = lane->multi[0];
            count[COUNT_EMPTY] += all_empty;
        } else if (c->ops->flags & XF_IDENTITY) {
            v = lane->multi[0];
            count[COUNT_EMPTY] += all_empty;
        } else if (all_empty && !(c->ops->flags & XF_FILLS_EMPTY)) {
            count[COUNT_EMPTY]++;
        } else if (c->ops->flags & XF_DROPS_COLUMN) {
            count[COUNT_TRANSFORMED]++;
        } else {
            dbuf *scratch = &lane->scratch[i];
            dbuf_reset(scratch);
            const char *why = "cannot be transformed";
            xf_result r = c->reversing    ? c->ops->reverse(c->state, lane->multi, c->n_src, scratch, &why)
                          : c->auto_level ? c->ops->apply_level(c->state, lane->multi, c->level,
                                                                scratch, &why)
                          : lane->findings[i] ? c->ops->apply_counting(c->state, lane->multi, c->n_src,
                                                                       scratch, &why, lane->findings[i])
                          : c->ops->apply_at ? c->ops->apply_at(c->state, lane->multi, c->n_src,
                                                                draw_at, scratch, &why)
                                          : c->ops->apply(c->state, lane->multi, c->n_src,
                                                          scratch, &why);
            if (r == XF_OK) {
                count[COUNT_TRANSFORMED]++;
                v.data = scratch->data ? scratch->data : "";
                v.len = scratch->len;
            } else if (r == XF_NOMEM) {
                err_set(err, DEID_E_IO, "out of memory (or value over the size limit)");
                err_at_record(err, job_current_input(job)->name, record, line, c->label);
                return DEID_E_IO;
            } else {
                count[COUNT_ERRORS]++;
                if (c->on_error == ON_ERROR_FAIL) {
                    err_set(err, DEID_E_DATA, "value %s", why);
                    err_at_record(err, job_current_input(job)->name, record, line, c->label);
                    return DEID_E_DATA;
                }
                if (c->on_error == ON_ERROR_SUPPRESS) {
                    v.data = job->token;
                    v.len = strlen(job->token);
                }
            }
        }
        if (c->written)
            lane->out_values[k++] = v;
    }
    deid_status st;
    if (job->sink->lanes_write_csv) {
        size_t bad;
        if (job->out_encoding != DEID_ENCODING_UTF8 &&
            (st = job_encode_output(lane->job, lane->text, lane->out_values, k, record, line,
                                    &bad, err)))
            return st;
        int rc = csv_out_record(lane->out, job->out_delimiter, lane->out_values, k);
        st = rc ? out_error(rc, err) : DEID_OK;
    } else {
        st = serialize(lane, lane->out_values, k + append_input_quasi(lane, f, k), line, err);
    }
    if (!st)
        chunk->records++;
    return st;
}

/* The CSV reader's callback: one record of the chunk. */
static deid_status lane_on_record(void *ctx, const csv_field *f, size_t n, unsigned long line,
                                  deid_error *err)
{
    job_lane *lane = ctx;
    deid_job *job = lane->job;
    deid_status st;
    if ((st = lane_text_read(lane->text, lane->chunk, job->rules->header,
                             job_current_input(job)->name, job->bound ? job->colplan : NULL, &f,
                             n, line, err)))
        return st;
    if (lane->chunk->first_record) {
        /* Only lane 0 sees the start of an input (pipeline.h). */
        lane->chunk->first_record = 0;
        if (job->rules->header) {
            int first = !job->bound;
            job->header_done = 1;
            if ((st = job_bind_header(job, f, n, 0, err)))
                return st;
            return first && job->sink->lanes_write_csv ? job_write_header(job, lane->out, err)
                                                     : DEID_OK;
        }
        if (!job->bound) {
            if ((st = job_bind_header(job, f, n, 1, err)))
                return st;
            /* no header row, but the output's byte order mark */
            if (job->sink->lanes_write_csv && (st = job_write_header(job, lane->out, err)))
                return st;
        }
    }
    if (n != job->colplan->header.n) {
        err_set(err, DEID_E_DATA, "has %zu field%s; the %s has %zu", n, n == 1 ? "" : "s",
                job->rules->header ? "header" : "first record", job->colplan->header.n);
        err_at_record(err, job_current_input(job)->name,
                      lane->chunk->record_base + lane->chunk->records + 1, line, NULL);
        return DEID_E_DATA;
    }
    return process_record(lane, f, line, err);
}

static deid_status lane_work(void *p, pipe_chunk *chunk)
{
    job_lane *lane = p;
    const deid_job *job = lane->job;
    int compress = job->gzip_out && job->sink->lanes_write_csv;
    lane->chunk = chunk;
    lane->out = compress ? &lane->plain : &chunk->out;
    dbuf_reset(&lane->plain);
    deid_status st = lane_text_start(lane->text, job->sess, chunk);
    if (st) {
        lane->chunk = NULL;
        return st;
    }
    st = pipe_parse_chunk(lane->csv, chunk);
    if (compress && lane->plain.len) {
        /* Each chunk is a whole gzip member: members concatenate to one
         * valid gzip stream, and workers compress in parallel. */
        deid_error ignored;
        deid_error *e = st ? &ignored : &chunk->err;
        deid_status z = gz_deflate(lane->deflater, lane->plain.data, lane->plain.len,
                                   &chunk->out, e);
        if (!z)
            z = gz_deflate_finish(lane->deflater, &chunk->out, e);
        st = st ? st : z;
    }
    lane->chunk = NULL;
    return st;
}

/* Hands the serialized records of the chunk to the pass's sink. */
static deid_status emit_values(deid_job *job, const pipe_chunk *chunk, deid_error *err)
{
    const char *p = chunk->out.data, *end = p ? p + chunk->out.len : NULL;
    while (p && p < end) {
        int64_t rel = (int64_t)pipe_get_u64(&p);
        uint64_t record = chunk->record_base + pipe_get_u64(&p) + 1;
        size_t n = (size_t)pipe_get_u64(&p);
        for (size_t i = 0; i < n; i++) {
            job->out_values[i].len = (size_t)pipe_get_u64(&p);
            job->out_values[i].data = p;
            p += job->out_values[i].len;
        }
        deid_status st = job->sink->take(job, job->out_values, n, err);
        if (st) {
            err_at_record(err, job_current_input(job)->name, record,
                          (unsigned long)((int64_t)chunk->first_line + rel), NULL);
            return st;
        }
    }
    return DEID_OK;
}

static deid_status lane_merge(void *owner, pipe_chunk *chunk, deid_error *err)
{
    deid_job *job = owner;
    deid_status st = DEID_OK;
    if (job->sink->lanes_write_csv) {
        int rc = dbuf_append(&job->pending, chunk->out.data, chunk->out.len);
        if (rc)
            st = out_error(rc, err);
        job->counts.records_written += chunk->records - chunk->left_out;
        job->output_started |= chunk->out.len > 0;
    } else {
        st = emit_values(job, chunk, err);
    }
    job->record_no += chunk->records;
    if (!job->sink->again) {
        job_current_input(job)->records += chunk->records;
        job->counts.records_read += chunk->records;
        job->counts.records_removed += chunk->left_out;
    }
    if (!st && chunk->status) {
        *err = chunk->err;
        st = chunk->status;
    }
    job_report_progress(job);
    return st;
}

const session_ops job_lane_ops = {lane_new, lane_free, lane_work, lane_merge};
