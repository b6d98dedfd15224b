/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_output.c - the unit tests' collector of a job's output.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "job_output.h"

void job_output_drain(deid_job *job, job_output *o, size_t read_size)
{
    char buf[64];
    size_t n, step = read_size < 1 ? 1 : read_size > sizeof buf ? sizeof buf : read_size;
    while ((n = deid_job_read(job, buf, step)) > 0) {
        o->data = realloc(o->data, o->len + n + 1);
        ck_assert_ptr_nonnull(o->data);
        memcpy(o->data + o->len, buf, n);
        o->len += n;
        o->data[o->len] = '\0';
    }
}

deid_status job_output_feed(deid_job *job, const char *data, size_t len, size_t chunk,
                            job_output *o, size_t read_size, deid_error *err)
{
    deid_status st = deid_job_begin_input(job, "in.csv", err);
    for (size_t at = 0; !st && at < len; at += chunk) {
        st = deid_job_write(job, data + at, len - at < chunk ? len - at : chunk, err);
        job_output_drain(job, o, read_size);
    }
    st = st ? st : deid_job_end_input(job, err);
    job_output_drain(job, o, read_size);
    return st;
}

deid_status job_output_replay(deid_job *job, job_output *o, size_t read_size, deid_error *err)
{
    deid_status st = DEID_OK;
    int done = 0;
    while (!st && !done) {
        st = deid_job_replay(job, &done, err);
        job_output_drain(job, o, read_size);
    }
    return st;
}
