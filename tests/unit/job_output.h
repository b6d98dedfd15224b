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

#endif
