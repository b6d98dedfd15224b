/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_passes.c - which pass of a run follows which (deid_job_passes,
 * deid_job_next_pass, deid_job_replay):
 *
 *   one pass             CSV                                   (job.c)
 *   `require`            measure (spool) -> suppress, write    (job_privacy.c)
 *   microagg, aggregate,
 *   shuffle              collect (spool) -> write              (job_group.c)
 *   both                 collect (spool) -> measure (spool)
 *                        -> suppress, write                    (job_group_privacy.c)
 *
 * Between two passes the caller feeds the inputs again (options.reread)
 * or replays the spool the pass before wrote (deid_job_replay).
 */
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "deid_limits.h"
#include "err.h"
#include "job.h"
#include "job_group.h"
#include "job_privacy.h"
#include "plan.h"
#include "spool.h"

int deid_job_passes(const deid_job *job)
{
    return job->priv && job->group ? 3 : job->priv || job->group ? 2 : 1;
}

deid_status deid_job_next_pass(deid_job *job, deid_error *err)
{
    err_clear(err);
    if (session_failed(job->sess))
        return err_set(err, session_failed(job->sess), "the job stopped at an earlier error");
    if (job->group && (!job->priv || job->sink == &job_group_collect)) {
        deid_status st = job_group_next_pass(job, err);
        return st == DEID_E_USAGE ? st : session_fail(job->sess, st);
    }
    int grouped = job->sink == &job_group_measure;
    if ((job->sink != &job_privacy_measure && !grouped) || job->in_input || !job->n_inputs ||
        !job->bound)
        return err_set(err, DEID_E_USAGE,
                       "deid_job_next_pass: only after the first pass over every input");
    deid_status st = DEID_OK;
    /* the techniques' pass met every record: the privacy pass measured them all */
    if (grouped && (st = job_group_end_write(job, err)))
        return st == DEID_E_USAGE ? st : session_fail(job->sess, st);
    if (!job->reread && (st = spool_flush(job->priv->spool, err)))
        return session_fail(job->sess, st);
    if ((st = job_privacy_mark(job, err)))
        return session_fail(job->sess, st);

    job->sink = grouped ? &job_group_privacy_write : &job_privacy_write;
    if (grouped)
        job_group_count_afresh(job); /* pass 3 must meet every record again */
    job->priv->written_table = class_table_new_budget(job->priv->n_qi, job->priv->n_sens,
                                                      job->token, DEID_MAX_CLASSES,
                                                      job->priv->budget);
    if (!job->priv->written_table)
        return session_fail(job->sess, err_set(err, DEID_E_IO, "out of memory"));
    if (job->reread) {
        /* Pass 2 transforms everything again: count afresh. */
        for (size_t i = 0; i < job->colplan->n_cols; i++) {
            job->colplan->cols[i].needed = 1;
            job->col_counts[i].transformed = job->col_counts[i].empty = 0;
            job->col_counts[i].errors = 0;
            for (size_t k = 0; k < job->col_counts[i].n_findings; k++)
                job->col_counts[i].findings[k] = 0;
        }
        job->input_index = 0;
    } else {
        if ((st = spool_rewind(job->priv->spool, err)))
            return session_fail(job->sess, st);
    }
    if ((st = job_write_header(job, job_plain_out(job), err)) || (st = job_flush_staging(job, err)))
        return session_fail(job->sess, st);
    return DEID_OK;
}

/* A record of the privacy spool: a level=auto QI's id becomes its value
 * at the chosen level. */
static deid_status replay_record(void *ctx, const csv_field *f, size_t n, unsigned long line,
                                 deid_error *err)
{
    deid_job *job = ctx;
    (void)line;
    deid_status st = job_values_of_spool(job, f, n, err);
    if (st)
        return st;
    xf_value *values = job->out_values;
    for (size_t q = 0; job->priv->has_auto && q < job->priv->n_qi; q++) {
        colplan_column *c = &job->colplan->cols[job->priv->qi_col[q]];
        if (!c->auto_level)
            continue;
        char *end;
        unsigned long id = strtoul(f[job->priv->qi_out[q]].data, &end, 10);
        if (*end || f[job->priv->qi_out[q]].len == 0)
            return err_set(err, DEID_E_IO, "the spool file is damaged");
        xf_value v = {job->token, strlen(job->token)};
        if (id != UINT32_MAX)
            v = plan_ladders_value(job->priv->ladders, q, c->level, (uint32_t)id);
        values[job->priv->qi_out[q]] = v;
        if (v.len)
            job->col_counts[job->priv->qi_col[q]].transformed++;
    }
    return job_privacy_write.take(job, values, n, err);
}

deid_status deid_job_replay(deid_job *job, int *done, deid_error *err)
{
    err_clear(err);
    *done = 0;
    if (session_failed(job->sess))
        return err_set(err, session_failed(job->sess), "the job stopped at an earlier error");
    if (job->group && (!job->priv || job->sink != &job_group_privacy_write)) {
        deid_status st = job_group_replay(job, done, err);
        return st == DEID_E_USAGE ? st : session_fail(job->sess, st);
    }
    if ((job->sink != &job_privacy_write && job->sink != &job_group_privacy_write) || job->reread)
        return err_set(err, DEID_E_USAGE, "deid_job_replay: no spool to replay");
    deid_status st = spool_replay_some(job->priv->spool, replay_record, job, done, err);
    if (!st)
        st = job_flush_staging(job, err);
    return session_fail(job->sess, st);
}
