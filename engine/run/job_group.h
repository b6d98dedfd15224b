/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_group.h - the state of a run with a two-pass technique (microagg,
 * aggregate, shuffle; xf_group.h), kept out of struct deid_job: a job
 * without one has none (job->group is NULL).
 *
 * Pass 1 (job_group_collect) transforms every record, keeps in memory
 * what the techniques need (per record: each such column's value, 8
 * bytes plus its bytes, and a 4-byte group number per by=/within=
 * grouping) and, unless the inputs are read again, spools the record
 * with those columns left empty, so the temporary file never holds
 * their values. Between the passes each technique computes its values
 * (4 bytes per record, plus its results); pass 2 (job_group_write)
 * writes every record with them. Everything kept is charged to the
 * run's memory budget (--memory): up to half of it in memory, past that
 * in spill files (spillbuf.h); the tables of distinct values stop the run
 * at the budget. With a `require` line pass 2 hands its records to
 * the privacy pass instead of writing them, and a third pass writes
 * (job_group_privacy.c).
 */
#ifndef DEID_JOB_GROUP_H
#define DEID_JOB_GROUP_H

#include "job.h"

typedef struct job_group job_group;

/* The first rule of r with a two-pass technique, or NULL. */
const rule *job_group_rule(const deid_rules *r);

/* Returns the state of such a run spooling to tmpdir (NULL: $TMPDIR,
 * else /tmp), or NULL when out of memory. Freed by job_group_free. */
job_group *job_group_new(const char *tmpdir);
void job_group_free(job_group *g);

/* Binds the techniques' columns (columns=, by=, within=) to the job's
 * written columns; rules errors name the rule's line. */
deid_status job_group_bind(deid_job *job, deid_error *err);
/* Writes spooled records still in memory (after each input chunk). */
deid_status job_group_flush(deid_job *job, deid_error *err);
/* deid_job_next_pass and deid_job_replay of such a run. */
deid_status job_group_next_pass(deid_job *job, deid_error *err);
deid_status job_group_replay(deid_job *job, int *done, deid_error *err);

/* The write pass's sink: the record with the techniques' values, written
 * (job_group_write) or, with `require`, handed to the privacy pass
 * (job_group_privacy.c). */
deid_status job_group_write_take(deid_job *job, const xf_value *values, size_t n, deid_error *err);
/* At the end of a write pass: checks it met every record of pass 1
 * (DEID_E_USAGE when the pass is incomplete, DEID_E_DATA when the input
 * changed). Changes nothing: it may be called again (deid_job_plan, then
 * deid_job_next_pass). */
deid_status job_group_end_write(deid_job *job, deid_error *err);
/* Before a further write pass (a privacy run's pass 3): counts afresh. */
void job_group_count_afresh(deid_job *job);
/* Puts the techniques' figures (groups, SSE/SST) into the column counts. */
void job_group_figures(deid_job *job);

extern const job_sink job_group_collect, job_group_write;

#endif
