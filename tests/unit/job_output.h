/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_output.h - the unit tests' collector of a job's output: what
 * deid_job_read hands out, gathered into one NUL-terminated buffer.
 */
#ifndef DEID_TEST_JOB_OUTPUT_H
#define DEID_TEST_JOB_OUTPUT_H

#include <stddef.h>

#include "deid.h"

typedef struct job_output {
    char *data; /* malloc'd, the test's to free; NULL until output comes */
    size_t len;
} job_output;

/* Reads all the output job has ready into o, read_size bytes (1 to 64) a
 * call: small sizes exercise partial reads. Fails the test on ENOMEM. */
void job_output_drain(deid_job *job, job_output *o, size_t read_size);

/* Feeds len bytes of data to job as one input named "in.csv", chunk bytes
 * a write, draining the output into o (read_size a read) after each write
 * and after the input's end. Returns the first status that is not
 * DEID_OK (err filled), or DEID_OK. */
deid_status job_output_feed(deid_job *job, const char *data, size_t len, size_t chunk,
                            job_output *o, size_t read_size, deid_error *err);

/* Replays a spooled pass of job to its end, draining the output into o
 * after each step. Returns the status of the replay. */
deid_status job_output_replay(deid_job *job, job_output *o, size_t read_size, deid_error *err);

#endif
