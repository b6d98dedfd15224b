/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pipeline.c - ordered parallel processing of one input (see pipeline.h).
 *
 * Chunks live in a ring of slots, numbered by a sequence number; slot
 * s % n_slots holds chunk s. The caller's thread fills one slot at a time
 * (FILLING), cuts it at a record boundary, and either queues it for the
 * workers (QUEUED) or runs it itself; workers take queued chunks in
 * sequence order and mark them DONE; the caller merges DONE chunks from
 * the head of the ring, in order, and frees their slots. The ring bounds
 * memory: when it is full, the caller waits for the head chunk.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "csv_in.h"
#include "csv_split.h"
#include "deid_limits.h"
#include "err.h"
#include "pipeline.h"

enum { SLOT_FREE, SLOT_FILLING, SLOT_QUEUED, SLOT_DONE };
enum { MERGE_READY, MERGE_ONE, MERGE_ALL };

typedef struct worker {
    pipeline *p;
    size_t lane;
    pthread_t tid;
} worker;

struct pipeline {
    pipeline_ops ops;
    void *ctx;
    size_t threads;
    size_t chunk_bytes;

    pipe_chunk *slots;
    size_t n_slots;
    uint64_t seq_fill;   /* the chunk being filled */
    uint64_t seq_merge;  /* the next chunk to merge */
    uint64_t seq_queued; /* chunks before this one were handed out (guarded by mu) */
    uint64_t seq_take;   /* the next chunk a worker takes (guarded by mu) */

    worker *workers;
    size_t n_started;
    pthread_mutex_t mu;
    pthread_cond_t work_cv; /* a chunk was queued, or stop */
    pthread_cond_t done_cv; /* a chunk is done */
    int stop;

    int at_input_start;  /* the next chunk is the first of its input */
    int no_record_yet;   /* no chunk of this input has held a record yet: the next one
                            runs on lane 0, as it may hold the header */
    int serial;          /* the rest of the input goes through lane 0's parser */
    int serial_begun;
    unsigned long lines_before;
    uint64_t records_before;
    deid_status failed;
};

static pipe_chunk *slot_of(pipeline *p, uint64_t seq)
{
    return &p->slots[seq % p->n_slots];
}

/* Runs work on chunk c in lane, after resetting what work fills. */
static void run_work(pipeline *p, size_t lane, pipe_chunk *c)
{
    c->lines = csv_count_lines(c->in.data, c->in.len);
    dbuf_reset(&c->out);
    c->records = 0;
    c->left_out = 0;
    err_clear(&c->err);
    c->status = p->ops.work(p->ctx, lane, c);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    pipeline *p = w->p;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->seq_take == p->seq_queued)
            pthread_cond_wait(&p->work_cv, &p->mu);
        if (p->stop)
            break;
        pipe_chunk *c = slot_of(p, p->seq_take++);
        pthread_mutex_unlock(&p->mu);
        run_work(p, w->lane, c);
        pthread_mutex_lock(&p->mu);
        c->state = SLOT_DONE;
        pthread_cond_broadcast(&p->done_cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

pipeline *pipeline_new(size_t threads, size_t chunk_bytes, const pipeline_ops *ops, void *ctx)
{
    if (!ops || !ops->work || !ops->merge || threads > PIPE_MAX_THREADS ||
        chunk_bytes > PIPE_MAX_CHUNK)
        return NULL;
    pipeline *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->ops = *ops;
    p->ctx = ctx;
    p->threads = threads;
    p->chunk_bytes = chunk_bytes ? chunk_bytes : PIPE_DEFAULT_CHUNK;
    /* Chunks are merged in order, so a slow chunk at the head holds up the
     * ring while the other workers go on: a few chunks of slack per worker
     * keep them busy (with 2 workers, 6 slots gave 1.5x and 10 gave 1.75x
     * over one thread on customers.rules), and memory stays bounded with
     * many threads (16: 32 slots of about 1 MB). Without workers, one
     * slot is filled while the other is worked on. */
    p->n_slots = threads == 0 ? 2 : threads + (threads > 8 ? threads : 8);
    p->slots = calloc(p->n_slots, sizeof *p->slots);
    if (!p->slots || pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p->slots);
        free(p);
        return NULL;
    }
    pthread_cond_init(&p->work_cv, NULL);
    pthread_cond_init(&p->done_cv, NULL);
    for (size_t i = 0; i < p->n_slots; i++) {
        pipe_chunk *c = &p->slots[i];
        /* A chunk holds at most PIPE_SERIAL_FACTOR chunk sizes plus one
         * piece of a write (pipeline_write appends chunk_bytes at most). */
        dbuf_init(&c->in, (PIPE_SERIAL_FACTOR + 1) * p->chunk_bytes);
        dbuf_init(&c->out, DEID_MAX_PENDING_OUTPUT);
    }
    p->workers = calloc(threads ? threads : 1, sizeof *p->workers);
    int ok = p->workers != NULL;
    for (size_t i = 0; ok && i < threads; i++) {
        p->workers[i].p = p;
        p->workers[i].lane = i + 1;
        ok = pthread_create(&p->workers[i].tid, NULL, worker_main, &p->workers[i]) == 0;
        p->n_started += ok;
    }
    if (!ok) {
        pipeline_free(p);
        return NULL;
    }
    p->slots[0].state = SLOT_FILLING;
    p->at_input_start = 1;
    p->no_record_yet = 1;
    return p;
}

void pipeline_free(pipeline *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work_cv);
    pthread_mutex_unlock(&p->mu);
    for (size_t i = 0; i < p->n_started; i++)
        pthread_join(p->workers[i].tid, NULL);
    free(p->workers);
    for (size_t i = 0; i < p->n_slots; i++) {
        /* Chunks hold personal data: wipe, do not just free. */
        dbuf_wipe(&p->slots[i].in);
        dbuf_wipe(&p->slots[i].out);
    }
    free(p->slots);
    pthread_cond_destroy(&p->work_cv);
    pthread_cond_destroy(&p->done_cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

static deid_status fail(pipeline *p, deid_status st)
{
    if (st && !p->failed)
        p->failed = st;
    return st;
}

/* Where chunk c starts, known once every chunk before it is merged. */
static void place(pipeline *p, pipe_chunk *c)
{
    c->first_line = p->lines_before + 1;
    c->record_base = p->records_before;
}

/* Merges the head chunk c (DONE): a chunk a worker failed is run again on
 * lane 0 knowing its position, so the error and the output before it are
 * exactly a single parser's. */
static deid_status merge_chunk(pipeline *p, pipe_chunk *c, deid_error *err)
{
    if (c->status != DEID_OK && c->first_line == 0) {
        place(p, c);
        run_work(p, 0, c);
    }
    place(p, c);
    deid_status st = p->ops.merge(p->ctx, c, err);
    p->lines_before += c->lines;
    p->records_before += c->records;
    dbuf_reset(&c->in);
    c->state = SLOT_FREE;
    p->seq_merge++;
    return fail(p, st);
}

/* Merges finished chunks from the head of the ring: those already done
 * (MERGE_READY), at least the head (MERGE_ONE), or all (MERGE_ALL). */
static deid_status merge_done(pipeline *p, int mode, deid_error *err)
{
    int merged = 0;
    while (p->seq_merge < p->seq_fill) {
        pipe_chunk *c = slot_of(p, p->seq_merge);
        int wait = mode == MERGE_ALL || (mode == MERGE_ONE && !merged);
        pthread_mutex_lock(&p->mu);
        while (wait && c->state != SLOT_DONE)
            pthread_cond_wait(&p->done_cv, &p->mu);
        int done = c->state == SLOT_DONE;
        pthread_mutex_unlock(&p->mu);
        if (!done)
            break;
        deid_status st = merge_chunk(p, c, err);
        if (st)
            return st;
        merged = 1;
    }
    return DEID_OK;
}

/* Runs chunk c (the one being filled, every chunk before it merged) on the
 * caller's thread and merges it. */
static deid_status run_inline(pipeline *p, pipe_chunk *c, deid_error *err)
{
    place(p, c);
    run_work(p, 0, c);
    p->no_record_yet = c->first_record;
    pthread_mutex_lock(&p->mu);
    c->state = SLOT_DONE;
    p->seq_fill++;
    p->seq_take = p->seq_queued = p->seq_fill; /* no worker will see it */
    pthread_mutex_unlock(&p->mu);
    return merge_chunk(p, c, err);
}

/* Makes the slot after the one being filled free for filling. */
static deid_status next_slot_free(pipeline *p, deid_error *err)
{
    while (p->seq_fill + 1 - p->seq_merge >= p->n_slots) {
        deid_status st = merge_done(p, MERGE_ONE, err);
        if (st)
            return st;
    }
    return DEID_OK;
}

/* Keeps the first cut bytes in the chunk being filled and moves the rest
 * into the next slot (waiting until it is free). On success *cp is the
 * chunk being filled, and the caller hands it out and marks the next slot
 * SLOT_FILLING. */
static deid_status split_fill(pipeline *p, size_t cut, pipe_chunk **cp, deid_error *err)
{
    deid_status st = next_slot_free(p, err);
    if (st)
        return st;
    pipe_chunk *c = slot_of(p, p->seq_fill);
    pipe_chunk *next = slot_of(p, p->seq_fill + 1);
    dbuf_reset(&next->in);
    /* c->in.data is NULL while the slot never held a byte */
    if (c->in.len > cut && dbuf_append(&next->in, c->in.data + cut, c->in.len - cut) != DBUF_OK)
        return fail(p, err_set(err, DEID_E_IO, "out of memory"));
    c->in.len = cut;
    *cp = c;
    return DEID_OK;
}

/* Hands out the first cut bytes of the chunk being filled; the rest moves
 * to the next slot, which becomes the one being filled. */
static deid_status dispatch(pipeline *p, size_t cut, deid_error *err)
{
    pipe_chunk *c;
    deid_status st = split_fill(p, cut, &c, err);
    if (st)
        return st;
    pipe_chunk *next = slot_of(p, p->seq_fill + 1);
    c->begin = 1;
    c->open_end = 0;
    c->at_input_start = p->at_input_start;
    c->first_record = p->no_record_yet;
    p->at_input_start = 0;
    next->state = SLOT_FILLING;
    if (c->first_record || p->threads == 0)
        return run_inline(p, c, err);
    c->first_line = 0;
    c->record_base = 0;
    pthread_mutex_lock(&p->mu);
    c->state = SLOT_QUEUED;
    p->seq_fill++;
    p->seq_queued = p->seq_fill;
    pthread_cond_signal(&p->work_cv);
    pthread_mutex_unlock(&p->mu);
    return merge_done(p, MERGE_READY, err);
}

/* Serial mode: runs the first len bytes of the chunk being filled through
 * lane 0's parser, which carries on from the previous such chunk; open
 * says whether more follows. */
static deid_status run_serial(pipeline *p, size_t len, int open, deid_error *err)
{
    pipe_chunk *c;
    deid_status st = split_fill(p, len, &c, err);
    if (st)
        return st;
    pipe_chunk *next = slot_of(p, p->seq_fill + 1);
    c->begin = !p->serial_begun;
    c->at_input_start = p->at_input_start;
    c->first_record = p->no_record_yet;
    c->open_end = open;
    p->serial_begun = 1;
    p->at_input_start = 0;
    next->state = SLOT_FILLING;
    return run_inline(p, c, err);
}

/* Cuts and hands out every whole chunk of the slot being filled. */
static deid_status cut_chunks(pipeline *p, deid_error *err)
{
    const size_t serial_after = PIPE_SERIAL_FACTOR * p->chunk_bytes;
    for (;;) {
        pipe_chunk *c = slot_of(p, p->seq_fill);
        deid_status st;
        if (p->serial) {
            /* Fixed-size pieces, so the pieces (and gzip members made of
             * them) do not depend on how the input arrived. */
            if (c->in.len < p->chunk_bytes)
                return DEID_OK;
            if ((st = run_serial(p, p->chunk_bytes, 1, err)))
                return st;
            continue;
        }
        if (c->in.len < p->chunk_bytes)
            return DEID_OK;
        size_t window = c->in.len < serial_after ? c->in.len : serial_after;
        size_t cut = csv_split_point(c->in.data, window, p->chunk_bytes);
        if (cut > 0) {
            if ((st = dispatch(p, cut, err)))
                return st;
            continue;
        }
        if (c->in.len < serial_after)
            return DEID_OK; /* the record goes on: wait for more bytes */
        /* No record ends in the window: one parser takes the rest. */
        if ((st = merge_done(p, MERGE_ALL, err)))
            return st;
        p->serial = 1;
        p->serial_begun = 0;
    }
}

void pipeline_begin_input(pipeline *p)
{
    p->at_input_start = 1;
    p->no_record_yet = 1;
    p->serial = 0;
    p->serial_begun = 0;
    p->lines_before = 0;
    p->records_before = 0;
}

static deid_status refuse(pipeline *p, deid_error *err)
{
    return err_set(err, p->failed, "the input was abandoned after an earlier error");
}

deid_status pipeline_write(pipeline *p, const void *data, size_t len, deid_error *err)
{
    if (p->failed)
        return refuse(p, err);
    const char *d = data;
    while (len > 0) {
        /* One chunk size at a time keeps the slot within its limit. */
        size_t piece = len < p->chunk_bytes ? len : p->chunk_bytes;
        pipe_chunk *c = slot_of(p, p->seq_fill);
        if (dbuf_append(&c->in, d, piece) != DBUF_OK)
            return fail(p, err_set(err, DEID_E_IO, "out of memory"));
        d += piece;
        len -= piece;
        deid_status st = cut_chunks(p, err);
        if (st)
            return st;
    }
    return DEID_OK;
}

deid_status pipeline_end_input(pipeline *p, deid_error *err)
{
    if (p->failed)
        return refuse(p, err);
    pipe_chunk *c = slot_of(p, p->seq_fill);
    deid_status st = DEID_OK;
    if (p->serial) {
        /* The parser must be ended even when no byte is left. */
        st = run_serial(p, c->in.len, 0, err);
    } else if (c->in.len > 0) {
        st = dispatch(p, c->in.len, err);
    }
    if (!st)
        st = merge_done(p, MERGE_ALL, err);
    p->at_input_start = 1;
    p->no_record_yet = 1;
    return fail(p, st);
}

deid_status pipe_parse_chunk(csv_in *reader, pipe_chunk *chunk)
{
    if (chunk->begin)
        csv_in_begin(reader, chunk->first_line ? chunk->first_line : 1, chunk->at_input_start);
    /* the chunk is this worker's alone while it works: the fast path may
     * mark field ends in it for a moment */
    deid_status st = csv_in_feed_in_place(reader, chunk->in.data, chunk->in.len, &chunk->err);
    if (st || !chunk->open_end) {
        deid_error ignored;
        deid_status end = csv_in_finish(reader, st ? &ignored : &chunk->err);
        st = st ? st : end;
    }
    return st;
}
