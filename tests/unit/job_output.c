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
