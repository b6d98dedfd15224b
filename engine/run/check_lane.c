/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_lane.c - the per-thread half of `deid check`: a lane parses one
 * chunk of the input (pipeline.h) with its own CSV reader and counts the
 * chunk's distinct combinations of QI and sensitive values, in order of
 * first appearance; check_lane_merge then adds each combination with its
 * count to the class table on the caller's thread, chunk after chunk.
 * Classes and values are numbered by first appearance, and adding the
 * combinations in that order numbers them as adding the records one by
 * one would: the report is the same for any number of threads. The
 * caller's thread does one table update per combination, not per record,
 * which is what lets a check scale where classes repeat.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "deid_limits.h"
#include "err.h"
#include "lane_text.h"
#include "strmap.h"

/* One distinct combination of a chunk. */
typedef struct combo {
    uint64_t count;
    uint64_t first;        /* its first record, 0-based in the chunk */
    int64_t line;          /* that record's line, relative to the chunk's first */
} combo;

struct check_lane {
    deid_check *chk;
    csv_in *csv;
    lane_text *text;    /* the input's encoding to UTF-8 */
    pipe_chunk *chunk;  /* being worked on */
    strmap *seen;       /* this chunk's combinations -> index into combos */
    combo *combos;
    size_t n_combos, cap_combos;
    dbuf key;           /* one record's combination, as lengths and bytes */
    deid_status status; /* out of memory while counting */
};

static deid_status lane_on_record(void *ctx, const csv_field *f, size_t n, unsigned long line,
                                  deid_error *err);
static void lane_free(void *p);

static void *lane_new(void *owner)
{
    deid_check *chk = owner;
    check_lane *lane = calloc(1, sizeof *lane);
    if (!lane)
        return NULL;
    lane->chk = chk;
    dbuf_init(&lane->key, (size_t)DEID_MAX_RECORD_BYTES + 8 * DEID_MAX_FIELDS);
    if (!(lane->csv = csv_in_new(chk->delimiter, lane_on_record, lane)) ||
        !(lane->text = lane_text_new())) {
        csv_in_free(lane->csv);
        free(lane);
        return NULL;
    }
    return lane;
}

static void lane_free(void *p)
{
    check_lane *lane = p;
    if (!lane)
        return;
    csv_in_free(lane->csv);
    lane_text_free(lane->text);
    strmap_free(lane->seen);
    mem_budget_release(&lane->chk->budget, lane->cap_combos * sizeof *lane->combos);
    free(lane->combos);
    dbuf_wipe(&lane->key); /* data values */
    free(lane);
}

static int put_value(dbuf *b, const csv_field *v)
{
    int rc = pipe_put_u64(b, v->len);
    return rc ? rc : dbuf_append(b, v->data, v->len);
}

/* The budget ran out while a lane counted a chunk's combinations (on a
 * worker thread: the class table is the merge's, not to be read here). */
static deid_status lane_budget_error(check_lane *lane, unsigned long line, deid_error *err)
{
    deid_check *chk = lane->chk;
    pipe_chunk *c = lane->chunk;
    mem_budget_error(&chk->budget, "a thread's table of distinct combinations",
                     MEM_BUDGET_UNCOUNTED, err);
    err_at_record(err, chk->input_name, c->record_base + c->records + 1, line, NULL);
    return DEID_E_IO;
}

/* Counts a record's combination of QI and sensitive values in the chunk. */
static deid_status put_record(check_lane *lane, const csv_field *f, unsigned long line,
                              deid_error *err)
{
    const deid_check *chk = lane->chk;
    pipe_chunk *c = lane->chunk;
    dbuf_reset(&lane->key);
    int rc = DBUF_OK;
    for (size_t i = 0; i < chk->quasi.n && !rc; i++)
        rc = put_value(&lane->key, &f[chk->qi_idx[i]]);
    for (size_t i = 0; i < chk->sensitive.n && !rc; i++)
        rc = put_value(&lane->key, &f[chk->sens_idx[i]]);
    if (rc)
        return err_set(err, DEID_E_IO, "out of memory");
    if (lane->n_combos == lane->cap_combos) {
        size_t cap = lane->cap_combos ? 2 * lane->cap_combos : 256;
        if (mem_budget_charge(&lane->chk->budget, (cap - lane->cap_combos) * sizeof(combo)))
            return lane_budget_error(lane, line, err);
        combo *grown = realloc(lane->combos, cap * sizeof *grown);
        if (!grown) {
            mem_budget_release(&lane->chk->budget, (cap - lane->cap_combos) * sizeof(combo));
            return err_set(err, DEID_E_IO, "out of memory");
        }
        lane->combos = grown;
        lane->cap_combos = cap;
    }
    uint32_t at;
    rc = strmap_put(lane->seen, lane->key.data, lane->key.len, (uint32_t)lane->n_combos, &at);
    if (rc == STRMAP_EBUDGET)
        return lane_budget_error(lane, line, err);
    if (rc < 0)
        return err_set(err, DEID_E_IO, "out of memory");
    if (rc == STRMAP_ADDED) {
        combo *k = &lane->combos[lane->n_combos++];
        k->count = 0;
        k->first = c->records;
        k->line = (int64_t)line - (int64_t)(c->first_line ? c->first_line : 1);
    }
    lane->combos[at].count++;
    c->records++;
    return DEID_OK;
}

/* Writes the chunk's combinations, in order of first appearance, into its
 * output: first record, line, count, then the values as lengths and bytes. */
static deid_status put_combos(check_lane *lane, deid_error *err)
{
    pipe_chunk *c = lane->chunk;
    int rc = DBUF_OK;
    for (size_t i = 0; i < lane->n_combos && !rc; i++) {
        const char *key;
        size_t len;
        if (strmap_entry(lane->seen, i, &key, &len, NULL) != 0)
            return err_set(err, DEID_E_IO, "internal error: lost a combination");
        size_t start = c->out.len;
        rc = pipe_put_u64(&c->out, lane->combos[i].first);
        rc = rc ? rc : pipe_put_u64(&c->out, (uint64_t)lane->combos[i].line);
        rc = rc ? rc : pipe_put_u64(&c->out, lane->combos[i].count);
        rc = rc ? rc : dbuf_append(&c->out, key, len);
        if (rc)
            c->out.len = start; /* no partial entry for the merge to read past */
    }
    return rc ? err_set(err, DEID_E_IO, "out of memory") : DEID_OK;
}

/* The CSV reader's callback: one record of the chunk. */
static deid_status lane_on_record(void *ctx, const csv_field *f, size_t n, unsigned long line,
                                  deid_error *err)
{
    check_lane *lane = ctx;
    deid_check *chk = lane->chk;
    deid_status dst = lane_text_read(lane->text, lane->chunk, chk->header, chk->input_name, NULL,
                                     &f, n, line, err);
    if (dst)
        return dst;
    if (lane->chunk->first_record) {
        /* Only lane 0 sees the start of the input (pipeline.h). */
        lane->chunk->first_record = 0;
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

static deid_status lane_work(void *p, pipe_chunk *chunk)
{
    check_lane *lane = p;
    lane->chunk = chunk;
    deid_status st0 = lane_text_start(lane->text, lane->chk->sess, chunk);
    if (st0)
        return st0;
    /* A fresh map per chunk: it holds only this chunk's combinations. */
    strmap_free(lane->seen);
    lane->n_combos = 0;
    if (!(lane->seen = strmap_new(STRMAP_MAX_ENTRIES)))
        return err_set(&chunk->err, DEID_E_IO, "out of memory");
    if (strmap_set_budget(lane->seen, &lane->chk->budget)) {
        mem_budget_error(&lane->chk->budget, "a thread's table of distinct combinations",
                         MEM_BUDGET_UNCOUNTED, &chunk->err);
        return DEID_E_IO;
    }
    deid_status st = pipe_parse_chunk(lane->csv, chunk);
    /* Even after an error: the records before it count (as they would
     * one by one). */
    deid_error ignored;
    deid_status put = put_combos(lane, st ? &ignored : &chunk->err);
    st = st ? st : put;
    /* The map's memory goes back to the budget before the merge grows the
     * class table with these combinations. */
    strmap_free(lane->seen);
    lane->seen = NULL;
    lane->chunk = NULL;
    return st;
}

/* Adds the chunk's combinations to the class table. */
static deid_status add_records(deid_check *chk, const pipe_chunk *chunk, deid_error *err)
{
    const char *p = chunk->out.data, *end = p ? p + chunk->out.len : NULL;
    while (p && p < end) {
        uint64_t record = chunk->record_base + pipe_get_u64(&p) + 1;
        int64_t rel = (int64_t)pipe_get_u64(&p);
        uint64_t count = pipe_get_u64(&p);
        for (size_t i = 0; i < chk->quasi.n; i++) {
            chk->qi_vals[i].len = (size_t)pipe_get_u64(&p);
            chk->qi_vals[i].data = p;
            p += chk->qi_vals[i].len;
        }
        for (size_t i = 0; i < chk->sensitive.n; i++) {
            chk->sens_vals[i].len = (size_t)pipe_get_u64(&p);
            chk->sens_vals[i].data = p;
            p += chk->sens_vals[i].len;
        }
        unsigned long line = (unsigned long)((int64_t)chunk->first_line + rel);
        if (chk->partial) {
            deid_status st = check_summary_add(chk, count, record, line, err);
            if (st)
                return st;
            continue;
        }
        size_t before = class_table_classes(chk->table);
        uint32_t cid;
        int rc = class_table_add_n(chk->table, chk->qi_vals, chk->sens_vals, count, &cid);
        if (rc == CLASS_OK && chk->population_path && class_table_classes(chk->table) > before) {
            deid_status st = check_note_origin(chk, cid, record, line, err);
            if (st) {
                err_at_record(err, chk->input_name, record, line, NULL);
                return st;
            }
        }
        if (rc == CLASS_OK)
            continue;
        if (rc == CLASS_EBUDGET)
            mem_budget_error(&chk->budget, "the class table", class_table_classes(chk->table),
                             err);
        else if (rc == CLASS_EFULL)
            err_set(err, DEID_E_IO,
                    "the class table is full: more than %u classes or distinct values "
                    "(DEID_MAX_CLASSES); use fewer or coarser quasi-identifiers",
                    DEID_MAX_CLASSES);
        else
            err_set(err, DEID_E_IO, "out of memory");
        err_at_record(err, chk->input_name, record, line, NULL);
        return DEID_E_IO;
    }
    return DEID_OK;
}

static deid_status lane_merge(void *owner, pipe_chunk *chunk, deid_error *err)
{
    deid_check *chk = owner;
    deid_status st = add_records(chk, chunk, err);
    if (!st && chunk->status) {
        *err = chunk->err;
        st = chunk->status;
    }
    chk->record_no += chunk->records;
    session_progress(chk->sess, 1, chk->record_no);
    return st;
}

const session_ops check_lane_ops = {lane_new, lane_free, lane_work, lane_merge};
