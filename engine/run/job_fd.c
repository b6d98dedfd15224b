/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_fd.c - the file-descriptor front of a job: reads an input to EOF in
 * chunks, feeds the job and writes its output as it comes.
 */
#include <errno.h>
#include <string.h>

#include "err.h"
#include "fsys.h"
#include "csv_range.h"
#include "input.h"
#include "job.h"

static deid_status drain(deid_job *job, int out_fd, deid_error *err)
{
    deid_status st = DEID_OK;
    if (fsys_write_all(out_fd, job->pending.data, job->pending.len))
        st = err_set(err, DEID_E_IO, "cannot write output: %s", strerror(errno));
    else
        job_output_taken(job, job->pending.data, job->pending.len);
    dbuf_reset(&job->pending);
    return session_fail(job->sess, st);
}

typedef struct fd_sink {
    deid_job *job;
    int out_fd;
} fd_sink;

/* Feeds one read in slices and drains the output after each: a read of
 * highly compressed gzip input may decode to a thousand times its size. */
static deid_status write_and_drain(void *ctx, const void *data, size_t len, deid_error *err)
{
    fd_sink *sink = ctx;
    const char *p = data;
    do {
        size_t used;
        deid_status st = job_write_some(sink->job, p, len, &used, err);
        if (st) {
            /* Records completed before the failing one still go out, so
             * the output does not depend on where reads split the input. */
            deid_error ignored;
            drain(sink->job, sink->out_fd, &ignored);
            return st;
        }
        if ((st = drain(sink->job, sink->out_fd, err)))
            return st;
        p += used;
        len -= used;
    } while (len > 0);
    return DEID_OK;
}

deid_status deid_job_run_fd(deid_job *job, int in_fd, const char *name, int out_fd,
                            deid_error *err)
{
    deid_status st = deid_job_begin_input(job, name, err);
    if (st)
        return st;
    fd_sink sink = {job, out_fd};
    st = input_read_fd(in_fd, name, write_and_drain, &sink, err);
    if (st)
        return session_fail(job->sess, st);
    st = deid_job_end_input(job, err);
    deid_error ignored;
    deid_status drained = drain(job, out_fd, st ? &ignored : err);
    return st ? st : drained;
}

deid_status deid_job_run_range_fd(deid_job *job, int in_fd, const char *name, uint64_t from,
                                  uint64_t to, int out_fd, deid_error *err)
{
    deid_status st = deid_job_begin_input(job, name, err);
    if (st)
        return st;
    fd_sink sink = {job, out_fd};
    st = csv_range_read_fd(in_fd, name ? name : "-", from, to, job->rules->header,
                           write_and_drain, &sink, err);
    if (st)
        return session_fail(job->sess, st);
    st = deid_job_end_input(job, err);
    deid_error ignored;
    deid_status drained = drain(job, out_fd, st ? &ignored : err);
    return st ? st : drained;
}

deid_status deid_job_finish_fd(deid_job *job, int out_fd, deid_error *err)
{
    deid_status st = deid_job_finish(job, err);
    if (!st)
        st = drain(job, out_fd, err);
    return st;
}

deid_status deid_job_replay_fd(deid_job *job, int out_fd, deid_error *err)
{
    int done = 0;
    while (!done) {
        deid_status st = deid_job_replay(job, &done, err);
        if (st) {
            deid_error ignored;
            drain(job, out_fd, &ignored);
            return st;
        }
        if ((st = drain(job, out_fd, err)))
            return st;
    }
    return DEID_OK;
}
