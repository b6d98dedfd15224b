/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan.c - `deid scan`: profiles every column of one or more inputs that
 * share a header (gzip detected), through the same stream session and
 * header reading as run and check. Lanes parse chunks and classify each
 * value (profile_classify: the costly part, in parallel); the merge adds
 * them to the column profiles in input order on the caller's thread, so
 * the profile, and with --sample N the records it covers, are the same
 * for any number of threads. Memory is bounded per column (profile.h),
 * never by the number of records.
 */
#include <stdlib.h>
#include <string.h>

#include "deid_limits.h"
#include "err.h"
#include "input.h"
#include "lane_text.h"
#include "scan_int.h"

typedef struct scan_lane {
    deid_scan *scan;
    csv_in *csv;
    lane_text *text;    /* the input's encoding to UTF-8 */
    pipe_chunk *chunk;
} scan_lane;

static deid_status lane_on_record(void *ctx, const csv_field *f, size_t n, unsigned long line,
                                  deid_error *err);

static void *lane_new(void *owner)
{
    deid_scan *scan = owner;
    scan_lane *lane = calloc(1, sizeof *lane);
    if (!lane)
        return NULL;
    lane->scan = scan;
    if (!(lane->csv = csv_in_new(scan->delimiter, lane_on_record, lane)) ||
        !(lane->text = lane_text_new())) {
        csv_in_free(lane->csv);
        free(lane);
        return NULL;
    }
    return lane;
}

static void lane_free(void *p)
{
    scan_lane *lane = p;
    if (!lane)
        return;
    csv_in_free(lane->csv);
    lane_text_free(lane->text);
    free(lane);
}

static size_t exact_cap(size_t n_cols)
{
    size_t cap = n_cols ? SCAN_EXACT_TOTAL / n_cols : SCAN_EXACT_CAP;
    if (cap > SCAN_EXACT_CAP)
        cap = SCAN_EXACT_CAP;
    return cap < SCAN_EXACT_MIN ? SCAN_EXACT_MIN : cap;
}

/* The first input's first record: the columns (lane 0, caller's thread). */
static deid_status bind_columns(deid_scan *scan, const csv_field *f, size_t n, deid_error *err)
{
    scan->header_read = 1;
    deid_status st = colplan_header_read(&scan->header, f, n, scan->has_header,
                                         scan->inputs[scan->n_inputs - 1], "say `--no-header`",
                                         err);
    if (st)
        return st;
    if (!(scan->cols = calloc(n ? n : 1, sizeof *scan->cols)))
        return err_set(err, DEID_E_IO, "out of memory");
    size_t cap = exact_cap(n);
    for (size_t i = 0; i < n; i++) {
        scan->cols[i].name = strdup(scan->header.names[i]);
        if (scan->has_header && f[i].len)
            profile_classify(f[i].data, f[i].len, &scan->cols[i].head);
        if (!scan->cols[i].name ||
            profile_column_init(&scan->cols[i].prof, cap, scan->show_values)) {
            free(scan->cols[i].name);
            return err_set(err, DEID_E_IO, "out of memory");
        }
        scan->n_cols++;
    }
    scan->bound = 1;
    return DEID_OK;
}

static deid_status take_first_record(deid_scan *scan, const csv_field *f, size_t n,
                                     deid_error *err)
{
    scan->input_bound = 1;
    if (!scan->bound)
        return bind_columns(scan, f, n, err);
    if (!scan->has_header)
        return DEID_OK;
    int same = colplan_same_header(&scan->header, f, n);
    if (same < 0)
        return err_set(err, DEID_E_IO, "out of memory");
    if (!same) {
        err_set(err, DEID_E_DATA, "the header differs from the first input's header");
        err_at_record(err, scan->inputs[scan->n_inputs - 1], 0, 1, NULL);
        return DEID_E_DATA;
    }
    return DEID_OK;
}

/* Per value in the chunk's output: shapes | kinds << 32, text kinds |
 * characters << 32, length, bytes (an empty value: three zeros). */
static deid_status put_record(scan_lane *lane, const csv_field *f, size_t n, deid_error *err)
{
    dbuf *out = &lane->chunk->out;
    size_t start = out->len;
    int rc = DBUF_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        profile_value v = {0};
        if (f[i].len)
            profile_classify(f[i].data, f[i].len, &v);
        rc = pipe_put_u64(out, v.shapes | (uint64_t)v.kinds << 32);
        rc = rc ? rc : pipe_put_u64(out, v.text_kinds | (uint64_t)v.chars << 32);
        rc = rc ? rc : pipe_put_u64(out, f[i].len);
        rc = rc ? rc : dbuf_append(out, f[i].data, f[i].len);
    }
    if (rc) {
        out->len = start; /* no partial record for the merge to read past */
        return err_set(err, DEID_E_IO, "out of memory");
    }
    lane->chunk->records++;
    return DEID_OK;
}

static deid_status lane_on_record(void *ctx, const csv_field *f, size_t n, unsigned long line,
                                  deid_error *err)
{
    scan_lane *lane = ctx;
    deid_scan *scan = lane->scan;
    pipe_chunk *c = lane->chunk;
    deid_status dst = lane_text_read(lane->text, c, scan->has_header,
                                     scan->inputs[scan->n_inputs - 1], NULL, &f, n, line, err);
    if (dst)
        return dst;
    if (c->first_record) {
        /* Only lane 0 sees the start of an input (pipeline.h). */
        c->first_record = 0;
        deid_status st = take_first_record(scan, f, n, err);
        if (st || scan->has_header)
            return st;
    }
    if (n != scan->n_cols) {
        err_set(err, DEID_E_DATA, "has %zu field%s; the %s has %zu", n, n == 1 ? "" : "s",
                scan->has_header ? "header" : "first record", scan->n_cols);
        err_at_record(err, scan->inputs[scan->n_inputs - 1], c->record_base + c->records + 1,
                      line, NULL);
        return DEID_E_DATA;
    }
    return put_record(lane, f, n, err);
}

static deid_status lane_work(void *p, pipe_chunk *chunk)
{
    scan_lane *lane = p;
    lane->chunk = chunk;
    deid_status st = lane_text_start(lane->text, lane->scan->sess, chunk);
    st = st ? st : pipe_parse_chunk(lane->csv, chunk);
    lane->chunk = NULL;
    return st;
}

/* Adds the chunk's records to the profiles, up to the sample's end. */
static deid_status lane_merge(void *owner, pipe_chunk *chunk, deid_error *err)
{
    deid_scan *scan = owner;
    const char *p = chunk->out.data, *end = p ? p + chunk->out.len : NULL;
    while (p && p < end && !scan->done) {
        for (size_t i = 0; i < scan->n_cols; i++) {
            uint64_t a = pipe_get_u64(&p), b = pipe_get_u64(&p);
            size_t len = (size_t)pipe_get_u64(&p);
            profile_value v = {(uint32_t)a, (uint32_t)(a >> 32), (uint32_t)b, (uint32_t)(b >> 32)};
            if (len && profile_column_add(&scan->cols[i].prof, p, len, &v))
                return err_set(err, DEID_E_IO, "out of memory");
            p += len;
        }
        scan->records++;
        if (scan->sample && scan->records >= scan->sample)
            scan->done = 1;
    }
    if (scan->done) {
        /* What comes after the sample is not read: neither its records
         * nor an error in them count. */
        scan->truncated = scan->truncated || p < end || chunk->status;
        return DEID_OK;
    }
    session_progress(scan->sess, 1, scan->records);
    if (chunk->status) {
        *err = chunk->err;
        return chunk->status;
    }
    return DEID_OK;
}

static const session_ops scan_lane_ops = {lane_new, lane_free, lane_work, lane_merge};

deid_status deid_scan_new(const deid_scan_options *opts, deid_scan **out, deid_error *err)
{
    *out = NULL;
    err_clear(err);
    deid_scan_options none = {0};
    const deid_scan_options *o = opts ? opts : &none;
    deid_scan *scan = calloc(1, sizeof *scan);
    if (!scan)
        return err_set(err, DEID_E_IO, "out of memory");
    scan->delimiter = o->delimiter ? o->delimiter : ',';
    scan->has_header = !o->no_header;
    scan->sample = o->sample;
    scan->show_values = o->show_values;
    session_options so = {o->threads, o->chunk_bytes, o->progress, o->progress_ctx,
                          o->encoding ? o->encoding : DEID_ENCODING_AUTO};
    deid_status st = session_new(&scan_lane_ops, scan, &so, &scan->sess, err);
    if (st) {
        deid_scan_free(scan);
        return st;
    }
    *out = scan;
    return DEID_OK;
}

void deid_scan_free(deid_scan *scan)
{
    if (!scan)
        return;
    /* Workers first: they read the scan until they stop. */
    session_free(scan->sess);
    for (size_t i = 0; i < scan->n_cols; i++) {
        free(scan->cols[i].name);
        profile_column_free(&scan->cols[i].prof);
    }
    free(scan->cols);
    if (scan->header_read)
        colplan_header_free(&scan->header);
    for (size_t i = 0; i < scan->n_inputs; i++)
        free(scan->inputs[i]);
    free(scan->inputs);
    free(scan->encodings);
    free(scan);
}

static deid_status refuse(deid_scan *scan, deid_error *err)
{
    if (session_failed(scan->sess))
        return err_set(err, session_failed(scan->sess), "the scan stopped at an earlier error");
    return err_set(err, DEID_E_USAGE, "the scan is finished");
}

static void at_input(deid_scan *scan, deid_error *err)
{
    if (err && !err->file[0] && scan->n_inputs)
        err_at_file(err, scan->inputs[scan->n_inputs - 1]);
}

deid_status deid_scan_begin_input(deid_scan *scan, const char *name, deid_error *err)
{
    err_clear(err);
    if (session_failed(scan->sess) || scan->finished)
        return refuse(scan, err);
    if (scan->in_input)
        return err_set(err, DEID_E_USAGE, "deid_scan_begin_input: the last input is not ended");
    char **grown = realloc(scan->inputs, (scan->n_inputs + 1) * sizeof *grown);
    if (!grown)
        return session_fail(scan->sess, err_set(err, DEID_E_IO, "out of memory"));
    scan->inputs = grown;
    const char **encs = realloc(scan->encodings, (scan->n_inputs + 1) * sizeof *encs);
    if (!encs)
        return session_fail(scan->sess, err_set(err, DEID_E_IO, "out of memory"));
    scan->encodings = encs;
    encs[scan->n_inputs] = NULL; /* known once the input has ended */
    if (!(scan->inputs[scan->n_inputs] = strdup(name ? name : "-")))
        return session_fail(scan->sess, err_set(err, DEID_E_IO, "out of memory"));
    scan->n_inputs++;
    scan->in_input = 1;
    scan->input_bound = 0;
    return session_fail(scan->sess, session_begin_input(scan->sess, 0, err));
}

deid_status deid_scan_write(deid_scan *scan, const void *data, size_t len, deid_error *err)
{
    err_clear(err);
    if (session_failed(scan->sess) || scan->finished)
        return refuse(scan, err);
    if (!scan->in_input)
        return err_set(err, DEID_E_USAGE, "deid_scan_write: no input begun");
    if (scan->done)
        return DEID_OK;
    deid_status st = session_write(scan->sess, data, len, err);
    if (st)
        at_input(scan, err);
    return session_fail(scan->sess, st);
}

deid_status deid_scan_end_input(deid_scan *scan, deid_error *err)
{
    err_clear(err);
    if (session_failed(scan->sess) || scan->finished)
        return refuse(scan, err);
    if (!scan->in_input)
        return err_set(err, DEID_E_USAGE, "deid_scan_end_input: no input begun");
    scan->in_input = 0;
    deid_status st = session_end_input(scan->sess, err);
    scan->encodings[scan->n_inputs - 1] = session_input_encoding(scan->sess);
    if (!st && !scan->input_bound && !scan->done)
        st = err_set(err, DEID_E_DATA, scan->has_header ? "the input is empty: no header row"
                                                     : "the input is empty");
    if (st)
        at_input(scan, err);
    return session_fail(scan->sess, st);
}

int deid_scan_done(const deid_scan *scan)
{
    return scan->done;
}

const char *deid_scan_input_encoding(const deid_scan *scan, size_t i)
{
    return i < scan->n_inputs ? scan->encodings[i] : NULL;
}

typedef struct fd_ctx {
    deid_scan *scan;
    int stopped;
} fd_ctx;

static deid_status write_chunk(void *ctx, const void *data, size_t len, deid_error *err)
{
    fd_ctx *c = ctx;
    deid_status st = deid_scan_write(c->scan, data, len, err);
    if (!st && c->scan->done) {
        /* The sample is complete: stop reading (any non-OK status stops
         * input_read_fd; this one is not an error). */
        c->stopped = 1;
        return DEID_E_USAGE;
    }
    return st;
}

deid_status deid_scan_run_fd(deid_scan *scan, int in_fd, const char *name, deid_error *err)
{
    deid_status st = deid_scan_begin_input(scan, name, err);
    if (st)
        return st;
    fd_ctx ctx = {scan, 0};
    if (!scan->done) {
        st = input_read_fd(in_fd, name, write_chunk, &ctx, err);
        if (ctx.stopped) {
            err_clear(err);
            st = DEID_OK;
        }
        if (st)
            return session_fail(scan->sess, st);
    }
    return deid_scan_end_input(scan, err);
}

/* A header cell that has no name's hint and the shape of the values below
 * it (a Korean name over names, a phone number over phone numbers) is
 * likely a data record read as a header: the report would print it, so
 * the scan stops as colplan_header_read does for digits and dates. */
static deid_status header_is_data(const deid_scan *scan, deid_error *err)
{
    for (size_t i = 0; scan->has_header && i < scan->n_cols; i++) {
        const scan_column *col = &scan->cols[i];
        const profile_verdict *v = &col->verdict;
        const char *what = NULL;
        if (v->hint != HINT_NONE)
            continue;
        if (v->content == CONTENT_NAME && (col->head.shapes & (1u << PROF_NAME)))
            what = "a Korean name";
        else if (v->content == CONTENT_ADDRESS && (col->head.shapes & (1u << PROF_ADDRESS)))
            what = "an address";
        else if (v->content == CONTENT_IDENTIFIER && (col->head.kinds & (1u << v->kind)))
            what = profile_content_name(v);
        if (what) {
            err_set(err, DEID_E_DATA,
                    "the first record looks like data (column %zu looks like %s, as the "
                    "values below it do); if the input has no header, say `--no-header`",
                    i + 1, what);
            err_at_record(err, scan->inputs[0], 0, 1, NULL);
            return DEID_E_DATA;
        }
    }
    return DEID_OK;
}

deid_status deid_scan_finish(deid_scan *scan, deid_error *err)
{
    err_clear(err);
    if (session_failed(scan->sess) || scan->finished)
        return refuse(scan, err);
    if (scan->in_input)
        return err_set(err, DEID_E_USAGE, "deid_scan_finish: the input is not ended");
    if (!scan->bound)
        return err_set(err, DEID_E_USAGE, "deid_scan_finish: no input was given");
    scan->finished = 1;
    for (size_t i = 0; i < scan->n_cols; i++)
        profile_judge(&scan->cols[i].prof, scan->has_header ? scan->cols[i].name : NULL,
                      &scan->cols[i].verdict);
    return session_fail(scan->sess, header_is_data(scan, err));
}
