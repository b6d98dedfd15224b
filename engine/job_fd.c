/*
 * job_fd.c - the file-descriptor front of a job: reads an input to EOF in
 * chunks, feeds the job and writes its output as it comes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "job.h"

#define READ_CHUNK (1u << 20)

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
    dbuf_reset(&job->pending);
    if (st && !job->failed)
        job->failed = st;
    return st;
}

deid_status deid_job_run_fd(deid_job *job, int in_fd, const char *name, int out_fd,
                            deid_error *err)
{
    deid_status st = deid_job_begin_input(job, name, err);
    if (st)
        return st;
    char *buf = malloc(READ_CHUNK);
    if (!buf) {
        job->failed = DEID_E_IO;
        return err_set(err, DEID_E_IO, "out of memory");
    }
    for (;;) {
        ssize_t k = read(in_fd, buf, READ_CHUNK);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            st = err_set(err, DEID_E_IO, "cannot read %s: %s", name, strerror(errno));
            job->failed = st;
            break;
        }
        if (k == 0) {
            st = deid_job_end_input(job, err);
            if (st) {
                deid_error ignored;
                drain(job, out_fd, &ignored);
            }
            break;
        }
        st = deid_job_write(job, buf, (size_t)k, err);
        if (st) {
            /* Records completed before the failing one still go out, so
             * the output does not depend on where reads split the input. */
            deid_error ignored;
            drain(job, out_fd, &ignored);
            break;
        }
        if ((st = drain(job, out_fd, err)))
            break;
    }
    free(buf);
    if (!st)
        st = drain(job, out_fd, err);
    return st;
}

deid_status deid_job_finish_fd(deid_job *job, int out_fd, deid_error *err)
{
    deid_status st = deid_job_finish(job, err);
    if (!st)
        st = drain(job, out_fd, err);
    return st;
}
