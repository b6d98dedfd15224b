/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_group_privacy.c - runs with a two-pass technique (microagg,
 * aggregate, shuffle; job_group.c) and a `require` line (job_privacy.c):
 * three passes. Pass 1 collects the techniques' columns; between the
 * passes the techniques compute; pass 2 hands each record, with the
 * techniques' values, to the privacy pass that measures the classes (and
 * spools), so that the classes, the plan (level=auto) and the suppression
 * are those of the records as published; pass 3 suppresses and writes.
 *
 * The privacy pass also takes each QI's value as read (the utility
 * figures, the input's classes of --html, and a level=auto QI's level-0
 * value, which is its value as read), and the lanes give those only in
 * pass 1: they never reach a spool. Pass 1 therefore keeps them here,
 * under the privacy budget: per QI a dictionary of its distinct values as
 * read (in memory: past the budget the run stops) and per record a 4-byte
 * id per QI (a spill buffer: past the budget it goes to a spill file,
 * which so holds numbers, never a value). A level=auto QI's
 * cell is left empty in the techniques' spool and filled from the
 * dictionary in pass 2.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "job_group.h"
#include "job_privacy.h"
#include "spillbuf.h"
#include "strmap.h"

struct job_group_inputs {
    size_t n_qi;
    strmap **dict;                /* per QI: value as read -> id */
    spill_area spill;             /* the privacy budget; past it, files in the spool folder */
    spill_buf ids;                /* uint32_t, n_qi per record, in pass 1's order: numbers
                                     only (the values stay in dict), so they may spill */
    uint64_t records;             /* taken in pass 1 */
    xf_value *full;               /* one record: the written values, then the QIs' as read */
};

void job_group_privacy_free(job_privacy *pv)
{
    struct job_group_inputs *gi = pv->group_inputs;
    if (!gi)
        return;
    for (size_t q = 0; gi->dict && q < gi->n_qi; q++)
        strmap_free(gi->dict[q]);
    free(gi->dict);
    spill_buf_free(&gi->ids);
    free(gi->full);
    free(gi);
    pv->group_inputs = NULL;
}

static deid_status budget_error(job_privacy *pv, deid_error *err)
{
    return mem_budget_error(pv->budget, "the quasi-identifiers' values as read",
                            MEM_BUDGET_UNCOUNTED, err);
}

deid_status job_group_privacy_bind(deid_job *job, deid_error *err)
{
    job_privacy *pv = job->priv;
    struct job_group_inputs *gi = calloc(1, sizeof *gi);
    if (!gi)
        return err_set(err, DEID_E_IO, "out of memory");
    pv->group_inputs = gi;
    spill_area_init(&gi->spill, pv->budget, pv->spool_dir);
    /* half the budget at most: the tables that cannot spill (class tables,
     * dictionaries, by= groups) share it and must find room beside it */
    if (pv->budget)
        spill_area_set_ceiling(&gi->spill, pv->budget->limit / 2);
    spill_buf_init(&gi->ids, &gi->spill);
    gi->n_qi = pv->n_qi;
    gi->dict = calloc(pv->n_qi ? pv->n_qi : 1, sizeof *gi->dict);
    gi->full = calloc(job->colplan->n_out + pv->n_qi + 1, sizeof *gi->full);
    if (!gi->dict || !gi->full)
        return err_set(err, DEID_E_IO, "out of memory");
    for (size_t q = 0; q < pv->n_qi; q++) {
        if (!(gi->dict[q] = strmap_new(STRMAP_MAX_ENTRIES)))
            return err_set(err, DEID_E_IO, "out of memory");
        if (strmap_set_budget(gi->dict[q], pv->budget))
            return budget_error(pv, err); /* not even the empty table fits */
    }
    return DEID_OK;
}

deid_status job_group_privacy_collect(deid_job *job, const xf_value *input, deid_error *err)
{
    job_privacy *pv = job->priv;
    struct job_group_inputs *gi = pv->group_inputs;
    size_t row = (gi->n_qi ? gi->n_qi : 1) * sizeof(uint32_t);
    if ((gi->records + 1) * row > gi->ids.size) {
        int rc = spill_buf_resize(&gi->ids, gi->ids.size ? 2 * gi->ids.size : 1024 * row);
        if (rc)
            return spill_area_error(&gi->spill, rc, err);
    }
    uint32_t *ids = (uint32_t *)(void *)gi->ids.data;
    for (size_t q = 0; q < gi->n_qi; q++) {
        uint32_t id;
        int rc = strmap_put(gi->dict[q], input[q].data, input[q].len,
                            (uint32_t)strmap_count(gi->dict[q]), &id);
        if (rc == STRMAP_EBUDGET)
            return budget_error(pv, err);
        if (rc < 0)
            return err_set(err, DEID_E_IO, "out of memory");
        ids[gi->records * gi->n_qi + q] = id;
    }
    gi->records++;
    return DEID_OK;
}

void job_group_privacy_blank(const deid_job *job, xf_value *values)
{
    const job_privacy *pv = job->priv;
    for (size_t q = 0; q < pv->n_qi; q++)
        if (job->colplan->cols[pv->qi_col[q]].auto_level)
            values[pv->qi_out[q]] = (xf_value){"", 0};
}

/* Pass 2: record at (pass 1's order) with the techniques' values, with
 * the QIs' values as read appended, into the privacy pass that measures. */
static deid_status measure(deid_job *job, size_t at, const xf_value *values, size_t n,
                           deid_error *err)
{
    job_privacy *pv = job->priv;
    struct job_group_inputs *gi = pv->group_inputs;
    if (at >= gi->records)
        return err_set(err, DEID_E_DATA, "the input changed between the passes");
    memcpy(gi->full, values, n * sizeof *gi->full);
    for (size_t q = 0; q < gi->n_qi; q++) {
        xf_value v = {"", 0};
        strmap_entry(gi->dict[q], ((const uint32_t *)(const void *)gi->ids.data)[at * gi->n_qi + q],
                     &v.data, &v.len, NULL);
        gi->full[n + q] = v;
        /* a level=auto QI is measured at level 0: its value as read */
        if (job->colplan->cols[pv->qi_col[q]].auto_level)
            gi->full[pv->qi_out[q]] = v;
    }
    return job_privacy_measure.take(job, gi->full, n + gi->n_qi, err);
}

deid_status job_group_privacy_take(deid_job *job, size_t at, const xf_value *values, size_t n,
                                   deid_error *err)
{
    if (job->sink == &job_group_measure)
        return measure(job, at, values, n, err);
    /* pass 3 over inputs read again (a spooled pass 3 replays the
     * privacy pass's own spool and does not come here) */
    return job_privacy_write.take(job, values, n, err);
}

/* Pass 3's end: the privacy figures, and the techniques' (whose write
 * pass, read again, must have met every record once more). */
static deid_status finish(deid_job *job, deid_error *err)
{
    deid_status st = job_privacy_write.finish(job, err);
    if (!st && job->reread)
        st = job_group_end_write(job, err);
    if (!st)
        job_group_figures(job);
    return st;
}

static deid_status too_early(deid_job *job, deid_error *err)
{
    (void)job;
    return err_set(err, DEID_E_USAGE, "deid_job_finish: call deid_job_next_pass first");
}

/* Pass 2 (level-0 values, as the privacy pass measures them) and pass 3
 * (read again: the lanes give the chosen levels). */
const job_sink job_group_measure = {
    .number = 2, .again = 1, .level0 = 1, .take = job_group_write_take, .finish = too_early};
const job_sink job_group_privacy_write = {
    .number = 3, .again = 1, .take = job_group_write_take, .finish = finish};
