/*
 * check_lane.c - the per-thread half of `deid check`: a lane parses one
 * chunk of the input (pipeline.h) with its own CSV reader and copies each
 * record's QI and sensitive values into the chunk; check_lane_merge then
 * adds them to the class table on the caller's thread, in input order, so
 * class and value numbering (first appearance) and therefore the report
 * are the same for any number of threads.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "deid_limits.h"
#include "err.h"

struct check_lane {
    deid_check *chk;
    csv_in *csv;
    pipe_chunk *chunk;  /* being worked on */
    int first_record;   /* the next record is the input's first */
};

static deid_status lane_on_record(void *ctx, const csv_field *f, size_t n, unsigned long line,
                                  deid_error *err);

check_lane *check_lane_new(deid_check *chk)
{
    check_lane *lane = calloc(1, sizeof *lane);
    if (!lane)
        return NULL;
    lane->chk = chk;
    if (!(lane->csv = csv_in_new(chk->delimiter, lane_on_record, lane))) {
        free(lane);
        return NULL;
    }
    return lane;
}

void check_lane_free(check_lane *lane)
{
    if (!lane)
        return;
    csv_in_free(lane->csv);
    free(lane);
}

static int put_u64(dbuf *b, uint64_t v)
{
    return dbuf_append(b, &v, sizeof v);
}

static uint64_t get_u64(const char **p)
{
    uint64_t v;
    memcpy(&v, *p, sizeof v);
    *p += sizeof v;
    return v;
}

/* A record in a chunk: its line relative to the chunk's first line, then
 * each QI and each sensitive value as length and bytes. */
static deid_status put_record(check_lane *lane, const csv_field *f, unsigned long line,
                              deid_error *err)
{
    const deid_check *chk = lane->chk;
    pipe_chunk *c = lane->chunk;
    int64_t rel = (int64_t)line - (int64_t)(c->first_line ? c->first_line : 1);
    int rc = put_u64(&c->out, (uint64_t)rel);
    for (size_t i = 0; i < chk->quasi.n && !rc; i++) {
        const csv_field *v = &f[chk->qi_idx[i]];
        rc = put_u64(&c->out, v->len);
        rc = rc ? rc : dbuf_append(&c->out, v->data, v->len);
    }
    for (size_t i = 0; i < chk->sensitive.n && !rc; i++) {
        const csv_field *v = &f[chk->sens_idx[i]];
        rc = put_u64(&c->out, v->len);
        rc = rc ? rc : dbuf_append(&c->out, v->data, v->len);
    }
    if (rc)
        return err_set(err, DEID_E_IO, "out of memory");
    c->records++;
    return DEID_OK;
}

/* The CSV reader's callback: one record of the chunk. */
static deid_status lane_on_record(void *ctx, const csv_field *f, size_t n, unsigned long line,
                                  deid_error *err)
{
    check_lane *lane = ctx;
    deid_check *chk = lane->chk;
    if (lane->first_record) {
        /* Only lane 0 sees the start of the input (pipeline.h). */
        lane->first_record = 0;
        deid_status st = check_bind_header(chk, f, n, err);
        if (st || chk->header)
            return st;
    }
    if (n != chk->n_fields) {
        err_set(err, DEID_E_DATA, "has %zu field%s; the %s has %zu", n, n == 1 ? "" : "s",
                chk->header ? "header" : "first record", chk->n_fields);
        err_at_record(err, chk->input_name, lane->chunk->record_base + lane->chunk->records + 1,
                      line, NULL);
        return DEID_E_DATA;
    }
    return put_record(lane, f, line, err);
}

deid_status check_lane_work(void *ctx, size_t lane_index, pipe_chunk *chunk)
{
    deid_check *chk = ctx;
    check_lane *lane = chk->lanes[lane_index];
    lane->chunk = chunk;
    if (chunk->begin)
        csv_in_begin(lane->csv, chunk->first_line ? chunk->first_line : 1, chunk->at_input_start);
    lane->first_record = chunk->at_input_start && chunk->begin;
    deid_status st = csv_in_feed(lane->csv, chunk->in.data, chunk->in.len, &chunk->err);
    if (st || !chunk->open_end) {
        deid_error ignored;
        deid_status end = csv_in_finish(lane->csv, st ? &ignored : &chunk->err);
        st = st ? st : end;
    }
    lane->chunk = NULL;
    return st;
}

/* Adds the chunk's records to the class table. */
static deid_status add_records(deid_check *chk, const pipe_chunk *chunk, deid_error *err)
{
    const char *p = chunk->out.data, *end = p ? p + chunk->out.len : NULL;
    uint64_t record = chunk->record_base;
    while (p && p < end) {
        int64_t rel = (int64_t)get_u64(&p);
        for (size_t i = 0; i < chk->quasi.n; i++) {
            chk->qi_vals[i].len = (size_t)get_u64(&p);
            chk->qi_vals[i].data = p;
            p += chk->qi_vals[i].len;
        }
        for (size_t i = 0; i < chk->sensitive.n; i++) {
            chk->sens_vals[i].len = (size_t)get_u64(&p);
            chk->sens_vals[i].data = p;
            p += chk->sens_vals[i].len;
        }
        record++;
        int rc = class_table_add(chk->table, chk->qi_vals, chk->sens_vals, NULL);
        if (rc == CLASS_OK)
            continue;
        if (rc == CLASS_EFULL)
            err_set(err, DEID_E_IO,
                    "the class table is full: more than %u classes or distinct values "
                    "(DEID_MAX_CLASSES); use fewer or coarser quasi-identifiers",
                    DEID_MAX_CLASSES);
        else
            err_set(err, DEID_E_IO, "out of memory");
        err_at_record(err, chk->input_name, record,
                      (unsigned long)((int64_t)chunk->first_line + rel), NULL);
        return DEID_E_IO;
    }
    return DEID_OK;
}

deid_status check_lane_merge(void *ctx, pipe_chunk *chunk, deid_error *err)
{
    deid_check *chk = ctx;
    deid_status st = add_records(chk, chunk, err);
    if (!st && chunk->status) {
        *err = chunk->err;
        st = chunk->status;
    }
    chk->record_no += chunk->records;
    if (chk->progress) {
        deid_progress p = {1, input_stream_raw_bytes(chk->in), chk->record_no};
        chk->progress(chk->progress_ctx, &p);
    }
    return st;
}
