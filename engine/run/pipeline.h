/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pipeline.h - one input's bytes, cut into chunks of whole records,
 * processed by worker threads and merged back in input order.
 *
 * The caller supplies two functions. work(ctx, lane, chunk) runs on a
 * worker thread (lane 1..threads) or on the caller's thread (lane 0): it
 * parses chunk->in and leaves its result in chunk->out and chunk->records.
 * merge(ctx, chunk) always runs on the caller's thread, strictly in input
 * order, and consumes the result. Two workers never share a lane, so a
 * lane can own a parser and scratch buffers.
 *
 * Positions: a worker does not know how many lines and records come before
 * its chunk, so chunk->first_line is 0 there. When a worker's chunk fails,
 * the pipeline runs it again on lane 0 with first_line and record_base
 * set, so that the error names the right record and line and the output
 * before it is what a single parser would have written. The chunks of an
 * input up to the one holding its first record (the header; blank lines
 * may come before it) also run on lane 0, before any later chunk of that
 * input is handed out, so work may bind columns there (first_record).
 *
 * With threads = 0 everything runs on the caller's thread: same chunks,
 * same bytes out. A block with no cut point within PIPE_SERIAL_FACTOR
 * chunk sizes (a huge record, CR-only line ends, an unbalanced quote)
 * switches the rest of the input to one parser on lane 0 that carries its
 * state from chunk to chunk (begin/open_end below).
 */
#ifndef DEID_PIPELINE_H
#define DEID_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "dbuf.h"
#include "deid.h"

#define PIPE_DEFAULT_CHUNK DEID_DEFAULT_CHUNK_BYTES
#define PIPE_MIN_CHUNK DEID_MIN_CHUNK_BYTES
#define PIPE_MAX_CHUNK DEID_MAX_CHUNK_BYTES
#define PIPE_MAX_THREADS ((unsigned)DEID_MAX_THREADS)
/* Without a cut point in this many chunk sizes, parse the rest serially. */
#define PIPE_SERIAL_FACTOR 4u

typedef struct pipe_chunk {
    dbuf in;                  /* the chunk's bytes */
    dbuf out;                 /* work's result; emptied before each work */
    int begin;                /* 1: start a parse here (0: continue the previous chunk's) */
    int at_input_start;       /* the first chunk of an input (BOM) */
    int first_record;         /* in: no record of the input came before this chunk, so
                                 its first record is the input's first (the header);
                                 work clears it once it has taken that record */
    int open_end;             /* 1: the parse goes on in the next chunk; do not end it */
    unsigned long first_line; /* physical line of in's first byte; 0 on a worker */
    uint64_t record_base;     /* records of this input before the chunk (when first_line) */
    uint64_t records;         /* set by work: records the chunk held */
    uint64_t left_out;        /* set by work: of those, records `sample` left out */
    unsigned long lines;      /* line feeds in the chunk (set by the pipeline) */
    deid_status status;       /* work's result */
    deid_error err;           /* work's error */
    /* the pipeline's own */
    int state;
} pipe_chunk;

typedef struct pipeline_ops {
    deid_status (*work)(void *ctx, size_t lane, pipe_chunk *chunk);
    /* chunk->status tells whether work succeeded; merge returns the status
     * the input ends with (fill err). */
    deid_status (*merge)(void *ctx, pipe_chunk *chunk, deid_error *err);
} pipeline_ops;

typedef struct pipeline pipeline;
typedef struct csv_in csv_in;

/* Parses chunk->in with reader (a lane's own): starts the parse at the
 * chunk's position when chunk->begin, and ends it unless chunk->open_end
 * (always after an error, which also resets the reader). Returns the
 * first error, which is in chunk->err. */
deid_status pipe_parse_chunk(csv_in *reader, pipe_chunk *chunk);

/* Lanes pass records to their merge as 64-bit words and bytes in
 * chunk->out; these write and read one word (native order: the bytes never
 * leave the process). */
static inline int pipe_put_u64(dbuf *b, uint64_t v)
{
    return dbuf_append(b, &v, sizeof v);
}

static inline uint64_t pipe_get_u64(const char **p)
{
    uint64_t v;
    memcpy(&v, *p, sizeof v);
    *p += sizeof v;
    return v;
}

/* Returns a pipeline with threads worker threads (0: none) cutting chunks
 * of about chunk_bytes (0: PIPE_DEFAULT_CHUNK); or NULL (bad arguments, no
 * memory or no thread). ops is copied; ctx is borrowed. */
pipeline *pipeline_new(size_t threads, size_t chunk_bytes, const pipeline_ops *ops, void *ctx);
/* Stops the workers (a chunk in progress is finished first) and frees. */
void pipeline_free(pipeline *p);

/* Starts a new input (line and record numbers restart). */
void pipeline_begin_input(pipeline *p);
/* Takes len more bytes of the input; merges whatever has finished. Returns
 * the first failing merge's status; after that the pipeline refuses work. */
deid_status pipeline_write(pipeline *p, const void *data, size_t len, deid_error *err);
/* Ends the input: processes what is left and waits for every chunk. */
deid_status pipeline_end_input(pipeline *p, deid_error *err);

#endif
