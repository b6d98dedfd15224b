/* SPDX-License-Identifier: Apache-2.0 */
/*
 * session.c - one stream session (session.h): input stream, pipeline,
 * lanes, progress and the first error, shared by run and check.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "deid_limits.h"
#include "err.h"
#include "input.h"
#include "session.h"
#include "textenc.h"

struct session {
    const session_ops *ops;
    void *owner;
    input_stream *in;             /* gzip detection; its bytes go to pipe */
    pipeline *pipe;               /* chunks of records, worked on by the lanes */
    void **lanes;                 /* lane 0: the caller's thread; 1..: workers */
    size_t n_lanes;
    deid_progress_fn progress;
    void *progress_ctx;
    uint64_t raw_before;          /* raw bytes of the earlier inputs of this pass */
    uint64_t decoded_before;      /* and the same after gzip decoding */
    deid_status failed;           /* the owner's first error; it then refuses work */
    deid_encoding declared;       /* AUTO, UTF8, CP949 or EUCKR */
    /* This input's encoding, AUTO until decided. Only lane 0 (the caller's
     * thread) decides, in input order; workers read it. */
    _Atomic int decided;
};

static deid_status to_pipeline(void *ctx, const void *data, size_t len, deid_error *err)
{
    return pipeline_write(((session *)ctx)->pipe, data, len, err);
}

static deid_status work(void *ctx, size_t lane, pipe_chunk *chunk)
{
    session *s = ctx;
    return s->ops->work(s->lanes[lane], chunk);
}

static deid_status merge(void *ctx, pipe_chunk *chunk, deid_error *err)
{
    session *s = ctx;
    return s->ops->merge(s->owner, chunk, err);
}

deid_status session_new(const session_ops *ops, void *owner, const session_options *o,
                        session **out, deid_error *err)
{
    *out = NULL;
    if (o->threads > DEID_MAX_THREADS)
        return err_set(err, DEID_E_USAGE, "at most %d threads", DEID_MAX_THREADS);
    if (o->chunk_bytes > PIPE_MAX_CHUNK)
        return err_set(err, DEID_E_USAGE, "chunks of at most %u bytes", PIPE_MAX_CHUNK);
    session *s = calloc(1, sizeof *s);
    if (!s)
        return err_set(err, DEID_E_IO, "out of memory");
    s->ops = ops;
    s->owner = owner;
    s->progress = o->progress;
    s->progress_ctx = o->progress_ctx;
    s->declared = o->encoding ? o->encoding : DEID_ENCODING_AUTO;
    atomic_init(&s->decided, (int)s->declared);
    size_t workers = o->threads > 1 ? o->threads : 0;
    s->in = input_stream_new(to_pipeline, s);
    s->lanes = calloc(workers + 1, sizeof *s->lanes);
    if (!s->in || !s->lanes) {
        session_free(s);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    for (; s->n_lanes < workers + 1; s->n_lanes++)
        if (!(s->lanes[s->n_lanes] = ops->lane_new(owner))) {
            session_free(s);
            return err_set(err, DEID_E_IO, "out of memory");
        }
    static const pipeline_ops pipe_ops = {work, merge};
    if (!(s->pipe = pipeline_new(workers, o->chunk_bytes, &pipe_ops, s))) {
        session_free(s);
        return err_set(err, DEID_E_IO, "cannot start %zu worker threads", workers);
    }
    *out = s;
    return DEID_OK;
}

void session_free(session *s)
{
    if (!s)
        return;
    /* Workers first: they use the lanes until they stop. */
    pipeline_free(s->pipe);
    for (size_t i = 0; i < s->n_lanes; i++)
        s->ops->lane_free(s->lanes[i]);
    free(s->lanes);
    input_stream_free(s->in);
    free(s);
}

size_t session_n_lanes(const session *s)
{
    return s->n_lanes;
}

void *session_lane(const session *s, size_t i)
{
    return s->lanes[i];
}

deid_status session_begin_input(session *s, int hash, deid_error *err)
{
    pipeline_begin_input(s->pipe);
    atomic_store_explicit(&s->decided, (int)s->declared, memory_order_release);
    return input_stream_begin(s->in, hash, err);
}

deid_status session_write(session *s, const void *data, size_t len, deid_error *err)
{
    return input_stream_write(s->in, data, len, err);
}

deid_status session_write_some(session *s, const void *data, size_t len, size_t limit,
                               size_t *used, deid_error *err)
{
    return input_stream_write_some(s->in, data, len, limit, used, err);
}

deid_status session_end_input(session *s, deid_error *err)
{
    deid_status st = input_stream_end(s->in, err);
    if (!st)
        st = pipeline_end_input(s->pipe, err);
    s->raw_before += input_stream_raw_bytes(s->in);
    s->decoded_before += input_stream_decoded_bytes(s->in);
    return st;
}

int session_input_is_gzip(const session *s)
{
    return input_stream_is_gzip(s->in);
}

uint64_t session_input_decoded_bytes(const session *s)
{
    return input_stream_decoded_bytes(s->in);
}

const char *session_input_sha256(const session *s)
{
    return input_stream_sha256(s->in);
}

uint64_t session_input_raw_bytes(const session *s)
{
    return input_stream_raw_bytes(s->in);
}

void session_progress(const session *s, int pass, uint64_t records)
{
    if (!s->progress)
        return;
    /* during an input its bytes are not yet in raw_before */
    deid_progress p = {pass, s->raw_before + input_stream_raw_bytes(s->in), records,
                       s->decoded_before + input_stream_decoded_bytes(s->in),
                       input_stream_is_gzip(s->in)};
    s->progress(s->progress_ctx, &p);
}

void session_new_pass(session *s)
{
    s->raw_before = s->decoded_before = 0;
}

deid_status session_fail(session *s, deid_status st)
{
    if (st && !s->failed)
        s->failed = st;
    return st;
}

deid_status session_failed(const session *s)
{
    return s->failed;
}

deid_encoding session_encoding(const session *s)
{
    return (deid_encoding)atomic_load_explicit(&((session *)s)->decided, memory_order_acquire);
}

void session_decide_encoding(session *s, deid_encoding e)
{
    atomic_store_explicit(&s->decided, (int)e, memory_order_release);
}

const char *session_input_encoding(const session *s)
{
    deid_encoding e = session_encoding(s);
    /* auto over ASCII only: that is UTF-8 too */
    return textenc_name(e == DEID_ENCODING_AUTO ? DEID_ENCODING_UTF8 : e);
}

deid_encoding session_encoding_declared(const session *s)
{
    return s->declared;
}
