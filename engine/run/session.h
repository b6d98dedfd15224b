/* SPDX-License-Identifier: Apache-2.0 */
/*
 * session.h - one stream session: the input stream (gzip detected by its
 * magic bytes, SHA-256 when asked), the parallel pipeline (pipeline.h),
 * its lanes, the in-order merge and the progress count. `deid run`,
 * `reverse`, `plan` (job.c) and `check` (check.c) each own one session
 * and supply only what is theirs, in a session_ops table: a lane (the
 * per-thread parser and scratch of their work), the work on one chunk
 * and the merge of a finished chunk on the caller's thread.
 *
 * The shape of a run on top of it:
 *
 *   bytes -> session (stream, pipeline, lanes) -> merge -> sink
 *
 * A run is a sequence of passes over its inputs; each pass feeds the
 * session and merges into one sink: a one-pass run writes CSV, a privacy
 * run measures classes (pass 1) then suppresses and writes (pass 2), a
 * check measures. The binding of names to columns that lanes read is the
 * immutable column plan (colplan.h), built on lane 0 from the first
 * record. The session is reused by every pass of its owner.
 *
 * The session also keeps its owner's first error: once a call of the
 * owner failed, the owner refuses further work with that status
 * (session_fail, session_failed), so that a caller that goes on after an
 * error cannot produce output from a stream with a hole in it.
 */
#ifndef DEID_SESSION_H
#define DEID_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "deid.h"
#include "pipeline.h"

/* What the owner of a session supplies (owner = its ctx). */
typedef struct session_ops {
    /* A new lane for owner, or NULL when out of memory. */
    void *(*lane_new)(void *owner);
    void (*lane_free)(void *lane);
    /* Works on one chunk on the lane's thread (pipeline.h, work). */
    deid_status (*work)(void *lane, pipe_chunk *chunk);
    /* Takes a finished chunk on the caller's thread, in input order. */
    deid_status (*merge)(void *owner, pipe_chunk *chunk, deid_error *err);
} session_ops;

typedef struct session_options {
    size_t threads;               /* workers beside the caller's thread; 0 or 1: none */
    size_t chunk_bytes;           /* 0: PIPE_DEFAULT_CHUNK */
    deid_progress_fn progress;    /* NULL: no progress */
    void *progress_ctx;
    deid_encoding encoding;       /* the inputs' declared encoding; DEFAULT: AUTO */
} session_options;

typedef struct session session;

/* Checks the options (DEID_E_USAGE past DEID_MAX_THREADS or
 * PIPE_MAX_CHUNK), makes the lanes and starts the workers. Returns
 * DEID_OK and *out (session_free), or an error and no session. */
deid_status session_new(const session_ops *ops, void *owner, const session_options *o,
                        session **out, deid_error *err);
/* Stops the workers, then frees the lanes. */
void session_free(session *s);

size_t session_n_lanes(const session *s);
/* Lane i (0: the caller's thread), owned by the session. */
void *session_lane(const session *s, size_t i);

/* Starts an input; with hash set, the SHA-256 of its raw bytes is kept. */
deid_status session_begin_input(session *s, int hash, deid_error *err);
/* Feeds raw bytes; merges whatever chunks have finished. */
deid_status session_write(session *s, const void *data, size_t len, deid_error *err);
/* Like session_write, but stops once about limit decoded bytes (limit
 * > 0; at most 64 KiB more) went into the pipeline: *used says how many of
 * the len raw bytes were taken. Whatever the gzip ratio, one call then
 * merges a bounded amount, which the caller drains before the next. */
deid_status session_write_some(session *s, const void *data, size_t len, size_t limit,
                               size_t *used, deid_error *err);
/* Ends the input: every chunk is merged and the workers are idle after. */
deid_status session_end_input(session *s, deid_error *err);

/* About the current (or just ended) input. */
int session_input_is_gzip(const session *s);
uint64_t session_input_decoded_bytes(const session *s);
const char *session_input_sha256(const session *s);
/* The current (or just ended) input's bytes as read (compressed, for gzip). */
uint64_t session_input_raw_bytes(const session *s);

/* Reports progress (pass 1 or 2, records so far) with the raw bytes read
 * in this pass; session_new_pass starts the byte count afresh. */
void session_progress(const session *s, int pass, uint64_t records);
void session_new_pass(session *s);

/* Records st as the owner's first error when it is one and none is
 * recorded yet; returns st (so: `return session_fail(s, st);`). */
deid_status session_fail(session *s, deid_status st);
/* The first error recorded, DEID_OK while there is none. */
deid_status session_failed(const session *s);

/* The current input's encoding: the declared one, or with AUTO declared
 * what it was found to be; AUTO while no record held a non-ASCII byte.
 * Any lane may ask; see lane_text.h for how lanes use it. */
deid_encoding session_encoding(const session *s);
/* Decides an AUTO input's encoding. Lane 0 only (the caller's thread),
 * which works on chunks in input order, so a worker never sees a decision
 * made by a chunk after its own. */
void session_decide_encoding(session *s, deid_encoding e);
/* The encoding the options declared (AUTO when none). */
deid_encoding session_encoding_declared(const session *s);
/* The current (or just ended) input's encoding for reports: "utf-8"
 * (also when AUTO met only ASCII), "cp949" or "euc-kr" (static). */
const char *session_input_encoding(const session *s);

#endif
