/*
 * job_fd.c - the file-descriptor front of a job: reads an input to EOF in
 * chunks, feeds the job and writes its output as it comes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "input.h"
#include "job.h"

/* Writes all of data to fd, retrying short writes and EINTR. */
static deid_status write_all(int fd, const char *data, size_t len, deid_error *err)
{
    while (len > 0) {
        ssize_t k = write(fd, data, len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return err_set(err, DEID_E_IO, "cannot write output: %s", strerror(errno));
        data += k;
        len -= (size_t)k;
    }
    return DEID_OK;
}

static deid_status drain(deid_job *job, int out_fd, deid_error *err)
{
    deid_status st = write_all(out_fd, job->pending.data, job->pending.len, err);
    if (!st)
        job_output_taken(job, job->pending.data, job->pending.len);
    dbuf_reset(&job->pending);
    if (st && !job->failed)
        job->failed = st;
    return st;
}

typedef struct fd_sink {
    deid_job *job;
    int out_fd;
} fd_sink;

static deid_status write_and_drain(void *ctx, const void *data, size_t len, deid_error *err)
{
    fd_sink *sink = ctx;
    deid_status st = deid_job_write(sink->job, data, len, err);
    if (st) {
        /* Records completed before the failing one still go out, so the
         * output does not depend on where reads split the input. */
        deid_error ignored;
        drain(sink->job, sink->out_fd, &ignored);
        return st;
    }
    return drain(sink->job, sink->out_fd, err);
}

deid_status deid_job_run_fd(deid_job *job, int in_fd, const char *name, int out_fd,
                            deid_error *err)
{
    deid_status st = deid_job_begin_input(job, name, err);
    if (st)
        return st;
    fd_sink sink = {job, out_fd};
    st = input_read_fd(in_fd, name, write_and_drain, &sink, err);
    if (st) {
        if (!job->failed)
            job->failed = st;
        return st;
    }
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
