/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_privacy.c - two-pass runs that enforce a privacy requirement (rules
 * `quasi`, `sensitive`, `require`, `suppress`).
 *
 * Pass 1 transforms every record and adds its QI and sensitive values to
 * an equivalence-class table; nothing is output. Unless the caller will
 * feed the inputs again (regular files), the transformed records are
 * spooled to a temporary file: created mode 0600 and unlinked at once, so
 * it disappears however the process ends, and it only ever holds
 * transformed records, never raw input. deid_job_next_pass marks the
 * classes that violate the requirement and refuses (DEID_E_PRIVACY) if
 * suppressing them would pass the `suppress max=` limit. Pass 2 writes
 * every record, replacing the QIs of records in violating classes with the
 * token (how=quasi, ARX's convention) or leaving them out (how=record),
 * or only the cells job_cells.c chose (how=cell), and measures what it
 * writes, so the report describes the delivered file. With a two-pass
 * technique (microagg, aggregate, shuffle) the measuring pass takes the
 * techniques' output instead of the lanes' (job_group_privacy.c), and
 * which pass follows which is job_passes.c's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "deid_limits.h"
#include "err.h"
#include "job.h"
#include "job_group.h"
#include "job_privacy.h"
#include "plan.h"
#include "privacy.h"
#include "search.h"
#include "spool.h"
#include "utility.h"


static deid_status privacy_rules_error(deid_job *job, unsigned long line, deid_error *err,
                                       const char *what, const char *name)
{
    err_set(err, DEID_E_RULES, "%s names column \"%s\", which the output does not have", what,
            name);
    err_at_rules(err, job->rules->name, line, 0, NULL);
    return DEID_E_RULES;
}

/* Index of written column name among the output values (and in *col its
 * plan column), -1 when no written column has that name, COLPLAN_NOMEM. */
static long output_index(const deid_job *job, const char *name, size_t *col)
{
    size_t k = 0;
    for (size_t i = 0; i < job->colplan->n_cols; i++) {
        if (!job->colplan->cols[i].written)
            continue;
        int same = colplan_same_name(job->colplan->cols[i].name, name);
        if (same < 0)
            return COLPLAN_NOMEM;
        if (same) {
            *col = i;
            return (long)k;
        }
        k++;
    }
    return -1;
}

/* A class table of n_sens sensitive columns charged to the run's budget.
 * Returns it, or NULL with err set: the budget's message when memory is
 * there but the budget cannot take even the empty table. */
static class_table *new_class_table(deid_job *job, size_t n_sens, deid_error *err)
{
    job_privacy *pv = job->priv;
    class_table *t =
        class_table_new_budget(pv->n_qi, n_sens, job->token, DEID_MAX_CLASSES, pv->budget);
    if (t)
        return t;
    class_table *unbudgeted = class_table_new(pv->n_qi, n_sens, job->token, DEID_MAX_CLASSES);
    if (!unbudgeted) {
        err_set(err, DEID_E_IO, "out of memory");
        return NULL;
    }
    class_table_free(unbudgeted);
    mem_budget_error(pv->budget, "a privacy class table", 0, err);
    return NULL;
}

deid_status job_privacy_bind(deid_job *job, deid_error *err)
{
    const rules_privacy *rp = &job->rules->privacy;
    job->priv->n_qi = rp->n_quasi;
    job->priv->n_sens = rp->n_sensitive;
    job->priv->qi_out = calloc(job->priv->n_qi, sizeof *job->priv->qi_out);
    job->priv->sens_out = calloc(job->priv->n_sens ? job->priv->n_sens : 1, sizeof *job->priv->sens_out);
    job->priv->qi_values = calloc(job->priv->n_qi + job->colplan->n_out, sizeof *job->priv->qi_values);
    job->priv->sens_values = calloc(job->priv->n_sens ? job->priv->n_sens : 1, sizeof *job->priv->sens_values);
    if (!job->priv->qi_out || !job->priv->sens_out || !job->priv->qi_values || !job->priv->sens_values)
        return err_set(err, DEID_E_IO, "out of memory");
    job->priv->qi_col = calloc(job->priv->n_qi, sizeof *job->priv->qi_col);
    job->priv->id_text = calloc(job->priv->n_qi, sizeof *job->priv->id_text);
    if (!job->priv->qi_col || !job->priv->id_text)
        return err_set(err, DEID_E_IO, "out of memory");
    for (size_t i = 0; i < job->priv->n_qi; i++) {
        long k = output_index(job, rp->quasi[i], &job->priv->qi_col[i]);
        if (k == COLPLAN_NOMEM)
            return err_set(err, DEID_E_IO, "out of memory");
        if (k < 0)
            return privacy_rules_error(job, rp->quasi_line, err, "quasi", rp->quasi[i]);
        job->priv->qi_out[i] = (size_t)k;
        job->priv->has_auto |= job->colplan->cols[job->priv->qi_col[i]].auto_level;
    }
    for (size_t c = 0; c < job->colplan->n_cols; c++) {
        int is_qi = 0;
        for (size_t i = 0; i < job->priv->n_qi; i++)
            is_qi |= job->priv->qi_col[i] == c;
        if (job->colplan->cols[c].auto_level && !is_qi) {
            const rule *ru = job->colplan->cols[c].ru;
            err_set(err, DEID_E_RULES,
                    "column \"%s\" has level=auto but is not named on the `quasi` line",
                    job->colplan->cols[c].label);
            err_at_rules(err, job->rules->name, ru->line, ru->name_col, ru->source_line);
            return DEID_E_RULES;
        }
    }
    for (size_t i = 0; i < job->priv->n_sens; i++) {
        size_t col;
        long k = output_index(job, rp->sensitive[i], &col);
        if (k == COLPLAN_NOMEM)
            return err_set(err, DEID_E_IO, "out of memory");
        if (k < 0)
            return privacy_rules_error(job, rp->sensitive_line, err, "sensitive",
                                       rp->sensitive[i]);
        job->priv->sens_out[i] = (size_t)k;
    }
    if (!(job->priv->measured = new_class_table(job, job->priv->n_sens, err)))
        return err->status;
    if (job->input_classes && !(job->priv->input_table = new_class_table(job, 0, err)))
        return err->status;
    deid_status st = job_utility_start(job, err);
    if (st)
        return st;
    if (job->reread && job->group)
        return DEID_OK; /* the techniques' pass needs every column */
    if (job->reread) {
        /* The first pass only needs the QI and sensitive columns. */
        size_t k = 0;
        for (size_t i = 0; i < job->colplan->n_cols; i++) {
            colplan_column *c = &job->colplan->cols[i];
            int keep = 0;
            if (c->written) {
                for (size_t q = 0; q < job->priv->n_qi; q++)
                    keep |= job->priv->qi_out[q] == k;
                for (size_t q = 0; q < job->priv->n_sens; q++)
                    keep |= job->priv->sens_out[q] == k;
                k++;
            }
            c->needed = keep;
        }
        return DEID_OK;
    }
    return spool_open(job->priv->spool_dir, &job->priv->spool, err);
}

deid_status job_privacy_flush(deid_job *job, deid_error *err)
{
    /* no spool before the header is bound, nor when the inputs are read again */
    if (job->sink != &job_privacy_measure || !job->priv->spool)
        return DEID_OK;
    return spool_flush(job->priv->spool, err);
}

deid_status job_privacy_class_error(job_privacy *pv, const class_table *t, int rc, deid_error *err)
{
    if (rc == CLASS_EBUDGET)
        return mem_budget_error(pv->budget, "a privacy class table", class_table_classes(t), err);
    if (rc == CLASS_EFULL)
        return err_set(err, DEID_E_IO, "more than %u equivalence classes (DEID_MAX_CLASSES)",
                       (unsigned)DEID_MAX_CLASSES);
    return err_set(err, DEID_E_IO, "out of memory");
}

/* The QI and sensitive values of a record, picked from the written ones. */
static void pick_values(job_privacy *pv, const xf_value *values)
{
    for (size_t i = 0; i < pv->n_qi; i++)
        pv->qi_values[i] = values[pv->qi_out[i]];
    for (size_t i = 0; i < pv->n_sens; i++)
        pv->sens_values[i] = values[pv->sens_out[i]];
}

/* Pass 1's sink: the record's class is counted; unless the inputs will be
 * read again, the record is spooled. */
static deid_status measure_take(deid_job *job, const xf_value *values, size_t n, deid_error *err)
{
    job_privacy *pv = job->priv;
    int rc;
    /* the lanes appended the QIs' input values (job_lane.c) */
    n -= pv->n_qi;
    const xf_value *input = values + n;
    if (pv->input_table && (rc = class_table_add(pv->input_table, input, NULL, NULL)))
        return job_privacy_class_error(pv, pv->input_table, rc, err);
    pick_values(pv, values);
    int done;
    deid_status sst = job_shard_measure(job, &done, err);
    if (sst || done)
        return sst;
    uint32_t c;
    if ((rc = class_table_add(pv->measured, pv->qi_values, pv->sens_values, &c)))
        return job_privacy_class_error(pv, pv->measured, rc, err);
    deid_status st = job_utility_take(job, input, c, err);
    if (st || job->reread)
        return st;
    if (pv->has_auto) {
        /* The spool never holds a level-0 value: an auto QI is written as
         * its id in the in-memory dictionary, generalized on replay. */
        xf_value *copy = pv->qi_values + pv->n_qi;
        memcpy(copy, values, n * sizeof *copy);
        for (size_t q = 0; q < pv->n_qi; q++) {
            if (!job->colplan->cols[pv->qi_col[q]].auto_level)
                continue;
            uint32_t id = c == CLASS_SUPPRESSED ? UINT32_MAX : class_table_qi_id(pv->measured, c, q);
            int len = snprintf(pv->id_text[q], sizeof pv->id_text[q], "%lu", (unsigned long)id);
            copy[pv->qi_out[q]].data = pv->id_text[q];
            copy[pv->qi_out[q]].len = (size_t)len;
        }
        values = copy;
    }
    return spool_put(pv->spool, values, n, err);
}

/* Pass 2's sink: the records of violating classes are suppressed (their
 * QIs replaced by the token, or left out), the rest written; what is
 * written is measured. */
static deid_status write_take(deid_job *job, const xf_value *values, size_t n, deid_error *err)
{
    job_privacy *pv = job->priv;
    pick_values(pv, values);
    int rc;
    uint32_t c;
    if (!class_table_find(pv->measured, pv->qi_values, &c))
        return err_set(err, DEID_E_DATA, "the input changed between the two passes");
    int suppress = c != CLASS_SUPPRESSED && pv->violates[c];
    if (pv->cell_depth) {
        /* how=cell: only the cells the greedy chose */
        suppress = c != CLASS_SUPPRESSED && pv->cell_depth[c] > 0;
        if (suppress) {
            xf_value *copy = pv->qi_values + pv->n_qi;
            memcpy(copy, values, n * sizeof *copy);
            job_cells_apply(job, c, copy);
            pick_values(pv, copy);
            values = copy;
        }
        suppress = 0;
    }
    if (suppress && job->rules->privacy.suppress_records) {
        job->counts.records_removed++;
        return DEID_OK;
    }
    const xf_value *out = values;
    if (suppress) {
        xf_value *copy = pv->qi_values + pv->n_qi;
        memcpy(copy, values, n * sizeof *copy);
        xf_value token = {job->token, strlen(job->token)};
        for (size_t i = 0; i < pv->n_qi; i++)
            copy[pv->qi_out[i]] = pv->qi_values[i] = token;
        out = copy;
    }
    if ((rc = class_table_add(pv->written_table, pv->qi_values, pv->sens_values, NULL)))
        return job_privacy_class_error(pv, pv->written_table, rc, err);
    return job_write_plain(job, out, n, err);
}

void job_privacy_sensitive_specs(const deid_job *job, privacy_sensitive_spec *spec)
{
    const rules_privacy *rp = &job->rules->privacy;
    for (size_t i = 0; i < rp->n_sensitive; i++) {
        spec[i] = (privacy_sensitive_spec){rp->sensitive[i], rp->ordered ? rp->ordered[i] : 0,
                                           job->ignore_empty, rp->hier ? rp->hier[i] : NULL};
    }
}

/* A data error when a sensitive column with hierarchy= holds a value its
 * tree lacks: its distance would be meaningless. The value is not named
 * (it is personal data); the rules line of `sensitive` is. */
static deid_status refuse_unknown_sensitive(const deid_job *job,
                                            const privacy_sensitive_spec *spec, deid_error *err)
{
    size_t n_s = job->priv->n_sens;
    size_t s = privacy_hier_missing(job->priv->measured, spec, n_s);
    if (s == n_s)
        return DEID_OK;
    err_set(err, DEID_E_DATA,
            "sensitive column \"%s\" holds a value that is not in its hierarchy= file",
            spec[s].name);
    err_at_rules(err, job->rules->name, job->rules->privacy.sensitive_line, 0, NULL);
    return DEID_E_DATA;
}

static void requirement(const deid_job *job, privacy_requirement *req)
{
    const rules_privacy *rp = &job->rules->privacy;
    memset(req, 0, sizeof *req);
    req->k = rp->k;
    req->l = rp->l;
    req->l_kind = rp->l_entropy ? L_ENTROPY : L_DISTINCT;
    req->t = rp->t;
}

/* The most records `suppress max=` lets go: floor(max x records). The
 * small guard keeps 0.29 x 100 from flooring to 28. */
static uint64_t suppression_limit(const deid_job *job)
{
    double limit = floor(job->rules->privacy.suppress_max * (double)job_shard_records(job) + 1e-9);
    return limit < 0 ? 0 : (uint64_t)limit;
}

static deid_status refuse_requirement(deid_job *job, uint64_t limit, deid_error *err)
{
    privacy_requirement req;
    requirement(job, &req);
    privacy_sensitive_spec spec[job->priv->n_sens ? job->priv->n_sens : 1];
    job_privacy_sensitive_specs(job, spec);
    privacy_stats st;
    memset(&st, 0, sizeof st);
    const char *driver = NULL;
    uint64_t freed = 0;
    if (privacy_measure(job->priv->measured, &req, spec, &st) == 0) {
        for (size_t i = 0; i < st.n_qi; i++)
            if (st.qi[i].uniques_freed > freed || !driver) {
                freed = st.qi[i].uniques_freed;
                driver = job->rules->privacy.quasi[i];
            }
    }
    char achieved[160] = "";
    if (st.classes)
        snprintf(achieved, sizeof achieved, "; as transformed, the smallest class has %llu record%s",
                 (unsigned long long)st.min_class, st.min_class == 1 ? "" : "s");
    char drive[200] = "";
    if (driver)
        snprintf(drive, sizeof drive,
                 "; the QI that contributes most is \"%s\" (without it %llu unique records would "
                 "not be unique)",
                 driver, (unsigned long long)freed);
    err_set(err, DEID_E_PRIVACY,
            "the privacy requirement is not met: %llu of %llu records are in classes that "
            "violate it, and suppress max= allows %llu%s%s",
            (unsigned long long)job->priv->to_suppress, (unsigned long long)job_shard_records(job),
            (unsigned long long)limit, achieved, drive);
    privacy_stats_free(&st);
    return DEID_E_PRIVACY;
}

deid_status job_privacy_problem(const deid_job *job, search_problem *sp,
                                privacy_sensitive_spec *spec, deid_error *err)
{
    plan_column cols[SEARCH_MAX_QI];
    if (job->priv->n_qi > SEARCH_MAX_QI)
        return err_set(err, DEID_E_RULES, "the plan takes at most %d quasi-identifiers",
                       SEARCH_MAX_QI);
    for (size_t q = 0; q < job->priv->n_qi; q++) {
        const colplan_column *c = &job->colplan->cols[job->priv->qi_col[q]];
        cols[q].name = c->name;
        cols[q].ops = c->ops;
        cols[q].state = c->state;
        cols[q].error_token = c->on_error == ON_ERROR_SUPPRESS ? job->token : NULL;
        cols[q].bounded = c->auto_level && c->ru && c->ru->plan_bounded;
        cols[q].min_level = cols[q].bounded ? c->ru->plan_min : 0;
        cols[q].max_level = cols[q].bounded ? c->ru->plan_max : 0;
        cols[q].weight = c->auto_level && c->ru ? c->ru->plan_weight : 0;
        if (cols[q].weight > 0 && job->rules->privacy.metric)
            return err_set(err, DEID_E_RULES,
                           "%s: weight= on %s weighs the loss metric; metric=discernibility has "
                           "no per-column term to weigh",
                           job->rules->name, c->label);
    }
    if (class_table_records(job->priv->measured) + class_table_suppressed(job->priv->measured) == 0)
        return err_set(err, DEID_E_DATA,
                       "the input has no records: level=auto has nothing to choose levels from");
    if (!job->priv->ladders) {
        deid_status st = plan_ladders_build(job->priv->measured, cols, job->priv->n_qi,
                                            &job->priv->ladders, err);
        if (st)
            return st;
    }
    job_privacy_sensitive_specs(job, spec);
    deid_status st = refuse_unknown_sensitive(job, spec, err);
    if (st)
        return st;
    memset(sp, 0, sizeof *sp);
    /* once the plan is applied, measured holds the generalized classes */
    sp->tuples = job->priv->level0_table ? job->priv->level0_table : job->priv->measured;
    sp->qi = plan_ladders_qi(job->priv->ladders);
    requirement(job, &sp->req);
    sp->spec = spec;
    sp->suppress_max = job->rules->privacy.suppress_max;
    sp->metric = job->rules->privacy.metric ? METRIC_DISCERNIBILITY : METRIC_LOSS;
    sp->n_alternatives = 5;
    return DEID_OK;
}

static deid_status run_plan(deid_job *job, deid_error *err)
{
    if (job->priv->planned)
        return DEID_OK;
    privacy_sensitive_spec spec[job->priv->n_sens ? job->priv->n_sens : 1];
    search_problem sp;
    deid_status st = job_privacy_problem(job, &sp, spec, err);
    if (st)
        return st;
    job->priv->search = calloc(1, sizeof *job->priv->search);
    if (!job->priv->search)
        return err_set(err, DEID_E_IO, "out of memory");
    st = job->rules->privacy.suppress_cells ? job_cells_search(job, &sp, job->priv->search, err)
                                            : search_run(&sp, job->priv->search, err);
    if (st)
        return st;
    job->priv->planned = 1;
    return DEID_OK;
}


/* deid_job_plan, and with explain the explanation (job_explain.c) while
 * the level-0 classes are still there (marking the violations frees
 * them). */
static deid_status plan_and_mark(deid_job *job, int explain, deid_error *err)
{
    err_clear(err);
    if (session_failed(job->sess))
        return err_set(err, session_failed(job->sess), "the job stopped at an earlier error");
    if (!job->priv)
        return err_set(err, DEID_E_RULES,
                       "%s: a plan needs `quasi` and `require` lines and a QI with level=auto",
                       job->rules->name);
    if ((job->sink != &job_privacy_measure && job->sink != &job_group_measure) || job->in_input ||
        !job->bound)
        return err_set(err, DEID_E_USAGE, "deid_job_plan: only after the pass that measures");
    if (!job->priv->has_auto)
        return err_set(err, DEID_E_RULES, "%s: no quasi-identifier has level=auto: nothing to plan",
                       job->rules->name);
    deid_status st = job->sink == &job_group_measure ? job_group_end_write(job, err) : DEID_OK;
    if (st)
        return st == DEID_E_USAGE ? st : session_fail(job->sess, st);
    st = run_plan(job, err);
    if (!st && explain)
        st = job_privacy_explain(job, err);
    if (!st && job->priv->search->found)
        st = job_privacy_mark(job, err); /* the utility of the chosen node */
    return session_fail(job->sess, st);
}

deid_status deid_job_plan(deid_job *job, deid_error *err)
{
    return plan_and_mark(job, 0, err);
}

deid_status deid_job_plan_explain(deid_job *job, deid_error *err)
{
    return plan_and_mark(job, 1, err);
}

/* Plans (level=auto), applies the chosen levels and rebuilds the table. */
static deid_status apply_plan(deid_job *job, deid_error *err)
{
    deid_status st = run_plan(job, err);
    if (st)
        return st;
    if (!job->priv->search->found && job->rules->privacy.suppress_cells)
        return err_set(err, DEID_E_PRIVACY,
                       "no generalization meets the privacy requirement with at most %llu QI "
                       "cells suppressed (how=cell: the cells of %llu of %llu records), not even "
                       "the most general one",
                       (unsigned long long)job->priv->search->cell_limit,
                       (unsigned long long)job->priv->search->suppression_limit,
                       (unsigned long long)job->priv->search->records);
    if (!job->priv->search->found)
        return err_set(err, DEID_E_PRIVACY,
                       "no generalization meets the privacy requirement with at most %llu of "
                       "%llu records suppressed, not even the most general one",
                       (unsigned long long)job->priv->search->suppression_limit,
                       (unsigned long long)job->priv->search->records);
    for (size_t q = 0; q < job->priv->n_qi; q++) {
        colplan_column *c = &job->colplan->cols[job->priv->qi_col[q]];
        if (c->auto_level)
            c->level = job->priv->search->best.levels[q];
    }
    return job_privacy_generalize(job, NULL, err);
}

deid_status job_privacy_mark(deid_job *job, deid_error *err)
{
    if (job->priv->violates)
        return DEID_OK;
    deid_status st;
    if (job->priv->has_auto && (st = apply_plan(job, err)))
        return st;
    size_t classes = class_table_classes(job->priv->measured);
    job->priv->violates = calloc(classes ? classes : 1, 1);
    if (!job->priv->violates)
        return err_set(err, DEID_E_IO, "out of memory");
    privacy_requirement req;
    requirement(job, &req);
    privacy_sensitive_spec spec[job->priv->n_sens ? job->priv->n_sens : 1];
    job_privacy_sensitive_specs(job, spec);
    if ((st = refuse_unknown_sensitive(job, spec, err)))
        return st;
    job->priv->to_suppress = privacy_violations(job->priv->measured, &req, spec, job->priv->violates);
    if (job->priv->to_suppress == UINT64_MAX)
        return err_set(err, DEID_E_IO, "out of memory");
    uint64_t limit = suppression_limit(job);
    if (job->rules->privacy.suppress_cells) {
        if ((st = job_cells_plan(job, &req, spec, err)))
            return st;
        if (job->priv->cells > limit * job->priv->n_qi)
            return job_cells_refuse(job, limit, err);
    } else if (job->priv->to_suppress > limit) {
        return refuse_requirement(job, limit, err);
    }
    return job_utility_compute(job, err);
}


static deid_status privacy_finish(deid_job *job, deid_error *err)
{
    if (job->sink == &job_privacy_measure)
        return err_set(err, DEID_E_USAGE, "deid_job_finish: call deid_job_next_pass first");
    if (job->reread && job->input_index != job->n_inputs)
        return err_set(err, DEID_E_USAGE, "deid_job_finish: the second pass is incomplete");
    if (!job->reread && spool_bytes_read(job->priv->spool) != spool_bytes(job->priv->spool))
        return err_set(err, DEID_E_USAGE, "deid_job_finish: the spool is not fully replayed");
    uint64_t out = job->counts.records_written + job->counts.records_removed;
    if (out != job->counts.records_read)
        return err_set(err, DEID_E_DATA, "the input changed between the two passes");
    privacy_stats *ps = calloc(1, sizeof *ps);
    if (!ps)
        return err_set(err, DEID_E_IO, "out of memory");
    privacy_requirement req;
    requirement(job, &req);
    privacy_sensitive_spec spec[job->priv->n_sens ? job->priv->n_sens : 1];
    job_privacy_sensitive_specs(job, spec);
    if (privacy_measure(job->priv->written_table, &req, spec, ps)) {
        free(ps);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    job->priv->privacy_stats = ps;
    /* a part holds only some of each class's records: the whole output
     * meets the requirement (deid check --merge shows it), not each part */
    if (!ps->met && !job->priv->merged)
        return err_set(err, DEID_E_PRIVACY,
                       "the written records do not meet the privacy requirement (internal error)");
    return DEID_OK;
}

job_privacy *job_privacy_new(const char *tmpdir)
{
    job_privacy *pv = calloc(1, sizeof *pv);
    if (!pv)
        return NULL;
    pv->spool_dir = spool_dir_for(tmpdir);
    if (!pv->spool_dir) {
        free(pv);
        return NULL;
    }
    return pv;
}

void job_privacy_free(job_privacy *pv)
{
    if (!pv)
        return;
    summary_free(pv->shard);
    free(pv->qi_out);
    free(pv->sens_out);
    free(pv->qi_values);
    free(pv->sens_values);
    class_table_free(pv->measured);
    class_table_free(pv->written_table);
    class_table_free(pv->input_table);
    class_table_free(pv->level0_table);
    job_utility_pairs_free(pv->pairs);
    if (pv->utility) {
        utility_figures_free(pv->utility);
        free(pv->utility);
    }
    free(pv->violates);
    job_cells_free(pv);
    job_group_privacy_free(pv);
    spool_free(pv->spool);
    free(pv->spool_dir);
    free(pv->qi_col);
    free(pv->id_text);
    plan_ladders_free(pv->ladders);
    free(pv->search);
    free(pv->explain);
    if (pv->privacy_stats) {
        privacy_stats_free(pv->privacy_stats);
        free(pv->privacy_stats);
    }
    free(pv);
}

const job_sink job_privacy_measure = {
    .number = 1, .level0 = 1, .input_quasi = 1, .take = measure_take, .finish = privacy_finish};
const job_sink job_privacy_write = {
    .number = 2, .again = 1, .take = write_take, .finish = privacy_finish};
