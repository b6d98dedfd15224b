/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_group.c - runs with a two-pass technique (job_group.h): collect
 * the columns' values, compute the techniques, write.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "job_group.h"
#include "job_privacy.h"
#include "spool.h"
#include "strmap.h"
#include "xf_group.h"

/* One rule with a two-pass technique. */
typedef struct group_rule {
    size_t col;             /* its plan column */
    const colplan_column *c;
    const xf_group_ops *ops;
    size_t n_members;       /* its column, then columns= */
    size_t *member_out;     /* indices into the written values */
    size_t n_by;
    size_t *by_out;
    vlist *values;          /* [n_members]: pass 1's values */
    spill_buf group;        /* uint32_t per record (n_by > 0) */
    spill_buf pick;         /* uint32_t per record: out.pick */
    strmap *groups;         /* the by= values -> group number */
    vlist *results;         /* [n_members] */
    xf_group_output out;
} group_rule;

struct job_group {
    group_rule *rules;
    size_t n;
    mem_budget *budget;     /* the run's (job->budget), borrowed */
    spill_area spill;       /* budget, past it files in spool_dir */
    char *spool_dir;
    spool *spool;
    uint64_t records;       /* taken in pass 1 */
    uint64_t written;       /* taken in pass 2 */
    xf_value *copy;         /* one record's values, rewritten */
    dbuf key;
};

const rule *job_group_rule(const deid_rules *r)
{
    for (size_t i = 0; i < r->n_rules; i++)
        if (r->rules[i].ops && r->rules[i].ops->group)
            return &r->rules[i];
    return NULL;
}

job_group *job_group_new(const char *tmpdir)
{
    job_group *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->spool_dir = spool_dir_for(tmpdir);
    if (!g->spool_dir) {
        free(g);
        return NULL;
    }
    dbuf_init(&g->key, DEID_MAX_FIELD_BYTES * 2);
    return g;
}

static void rule_free(group_rule *r)
{
    for (size_t m = 0; m < r->n_members; m++) {
        if (r->values)
            vlist_wipe(&r->values[m]);
        if (r->results)
            vlist_wipe(&r->results[m]);
    }
    free(r->values);
    free(r->results);
    free(r->member_out);
    free(r->by_out);
    spill_buf_free(&r->group);
    spill_buf_free(&r->pick);
    strmap_free(r->groups);
}

void job_group_free(job_group *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n; i++)
        rule_free(&g->rules[i]);
    free(g->rules);
    free(g->spool_dir);
    spool_free(g->spool);
    free(g->copy);
    dbuf_wipe(&g->key);
    free(g);
}

/* The written index of name (and its plan column in *col), -1: none. */
static long written_index(const deid_job *job, const char *name, size_t *col)
{
    size_t k = 0;
    for (size_t i = 0; i < job->colplan->n_cols; i++) {
        const colplan_column *c = &job->colplan->cols[i];
        if (!c->written)
            continue;
        int same = colplan_same_name(c->name, name);
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

static deid_status rule_error(deid_job *job, const colplan_column *c, deid_error *err,
                              const char *fmt, ...) DEID_PRINTF(4, 5);

static deid_status rule_error(deid_job *job, const colplan_column *c, deid_error *err,
                              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vset(err, DEID_E_RULES, fmt, ap);
    va_end(ap);
    err_at_rules(err, job->rules->name, c->ru->line, c->ru->name_col, c->ru->source_line);
    return DEID_E_RULES;
}

/* A technique's parameter naming a level=auto QI: the techniques run
 * before the plan, on values whose level is not chosen yet (grouping on
 * them, or replacing them, would make the plan's classes differ from
 * what is written). The error points at the parameter. */
static deid_status refuse_auto(deid_job *job, const colplan_column *c, const char *what,
                               const char *name, deid_error *err)
{
    const rule *ru = c->ru;
    unsigned long col = ru->name_col;
    char word[24];
    snprintf(word, sizeof word, " %s=", what);
    const char *at = ru->source_line ? strstr(ru->source_line, word) : NULL;
    if (at)
        col = (unsigned long)(at - ru->source_line) + 2;
    err_set(err, DEID_E_RULES,
            "%s= names column \"%s\", which has level=auto: %s runs before the plan chooses "
            "that column's level; give the column a fixed level (or group on another column)",
            what, name, c->ops->name);
    err_at_rules(err, job->rules->name, ru->line, col, ru->source_line);
    return DEID_E_RULES;
}

/* Resolves names[0..n) to written indices into out[]; what: the
 * parameter ("columns"). */
static deid_status resolve(deid_job *job, const colplan_column *c, const char *const *names,
                           size_t n, size_t *out, const char *what, deid_error *err)
{
    for (size_t i = 0; i < n; i++) {
        size_t col;
        long k = written_index(job, names[i], &col);
        if (k == COLPLAN_NOMEM)
            return err_set(err, DEID_E_IO, "out of memory");
        if (k < 0)
            return rule_error(job, c, err, "%s= names column \"%s\", which the output does not have",
                              what, names[i]);
        if (job->colplan->cols[col].auto_level)
            return refuse_auto(job, c, what, names[i], err);
        out[i] = (size_t)k;
    }
    return DEID_OK;
}

/* The label of written column k. */
static const char *written_label(const colplan *plan, size_t k)
{
    for (size_t i = 0; i < plan->n_cols; i++)
        if (plan->cols[i].written && k-- == 0)
            return plan->cols[i].label;
    return "?";
}

/* Which rule replaces written column k (as its own or a columns=
 * member), or -1. */
static long replaced_by(const job_group *g, size_t upto, size_t k)
{
    for (size_t i = 0; i < upto; i++)
        for (size_t m = 0; m < g->rules[i].n_members; m++)
            if (g->rules[i].member_out[m] == k)
                return (long)i;
    return -1;
}

static deid_status bind_rule(deid_job *job, group_rule *r, size_t col, deid_error *err)
{
    const colplan_column *c = &job->colplan->cols[col];
    r->col = col;
    r->c = c;
    /* first: rule_free frees them whatever fails below */
    spill_buf_init(&r->group, &job->group->spill);
    spill_buf_init(&r->pick, &job->group->spill);
    r->ops = c->ops->group;
    size_t n_cols, n_by;
    const char *const *cols = r->ops->columns(c->state, &n_cols);
    const char *const *by = r->ops->by(c->state, &n_by);
    r->n_members = 1 + n_cols;
    r->n_by = n_by;
    r->member_out = calloc(r->n_members, sizeof *r->member_out);
    r->by_out = calloc(n_by ? n_by : 1, sizeof *r->by_out);
    r->values = calloc(r->n_members, sizeof *r->values);
    r->results = calloc(r->n_members, sizeof *r->results);
    if (!r->member_out || !r->by_out || !r->values || !r->results)
        return err_set(err, DEID_E_IO, "out of memory");
    for (size_t m = 0; m < r->n_members; m++) {
        vlist_init(&r->values[m], &job->group->spill);
        vlist_init(&r->results[m], &job->group->spill);
    }
    const char *own = c->name;
    deid_status st = resolve(job, c, &own, 1, r->member_out, "the rule", err);
    if (!st)
        st = resolve(job, c, cols, n_cols, r->member_out + 1, "columns", err);
    if (!st)
        st = resolve(job, c, by, n_by, r->by_out, r->ops->by_name, err);
    if (st)
        return st;
    if (n_by && !(r->groups = strmap_new(STRMAP_MAX_ENTRIES)))
        return err_set(err, DEID_E_IO, "out of memory");
    int rc = r->groups ? strmap_set_budget(r->groups, job->group->budget) : 0;
    if (rc)
        return xf_group_fail(&job->group->spill, rc, err);
    return DEID_OK;
}

deid_status job_group_bind(deid_job *job, deid_error *err)
{
    job_group *g = job->group;
    const colplan *plan = job->colplan;
    size_t n = 0;
    for (size_t i = 0; i < plan->n_cols; i++)
        n += plan->cols[i].ops && plan->cols[i].ops->group && plan->cols[i].written;
    g->rules = calloc(n ? n : 1, sizeof *g->rules);
    g->copy = calloc(plan->n_out ? plan->n_out : 1, sizeof *g->copy);
    if (!g->rules || !g->copy)
        return err_set(err, DEID_E_IO, "out of memory");
    g->budget = &job->budget;
    spill_area_init(&g->spill, g->budget, g->spool_dir);
    /* half the budget at most: the tables that cannot spill (class tables,
     * dictionaries, by= groups) share it and must find room beside it */
    if (g->budget)
        spill_area_set_ceiling(&g->spill, g->budget->limit / 2);
    for (size_t i = 0; i < plan->n_cols; i++) {
        const colplan_column *c = &plan->cols[i];
        if (!c->ops || !c->ops->group || !c->written)
            continue;
        deid_status st = bind_rule(job, &g->rules[g->n++], i, err);
        if (st)
            return st;
    }
    /* a column is replaced by one technique, and groups are known in pass 1 */
    for (size_t i = 0; i < g->n; i++) {
        group_rule *r = &g->rules[i];
        for (size_t m = 0; m < r->n_members; m++) {
            long other = replaced_by(g, i, r->member_out[m]);
            if (other < 0)
                for (size_t j = 0; j < m; j++)
                    other = r->member_out[j] == r->member_out[m] ? (long)i : other;
            if (other >= 0)
                return rule_error(job, r->c, err,
                                  "column \"%s\" is already replaced by the %s rule of column "
                                  "\"%s\" (one two-pass technique per column)",
                                  written_label(plan, r->member_out[m]),
                                  g->rules[other].c->ops->name,
                                  plan->cols[g->rules[other].col].label);
        }
    }
    for (size_t i = 0; i < g->n; i++)
        for (size_t b = 0; b < g->rules[i].n_by; b++) {
            long other = replaced_by(g, g->n, g->rules[i].by_out[b]);
            if (other >= 0)
                return rule_error(job, g->rules[i].c, err,
                                  "its groups are made of column \"%s\", which the %s rule of "
                                  "column \"%s\" changes in the second pass: group on a column "
                                  "the first pass writes",
                                  written_label(plan, g->rules[i].by_out[b]),
                                  g->rules[other].c->ops->name,
                                  plan->cols[g->rules[other].col].label);
        }
    if (job->reread)
        return DEID_OK;
    return spool_open(g->spool_dir, &g->spool, err);
}

deid_status job_group_flush(deid_job *job, deid_error *err)
{
    if (job->sink != &job_group_collect || !job->group->spool)
        return DEID_OK;
    return spool_flush(job->group->spool, err);
}

static deid_status alloc_error(job_group *g, int rc, deid_error *err)
{
    return xf_group_fail(&g->spill, rc, err);
}

/* The group number of this record's by= values, each framed by its
 * length as 8 bytes big-endian (so ("a,b") and ("a", "b") differ; the
 * same bytes on every machine, as shuffle draws by them). */
static deid_status take_group(job_group *g, group_rule *r, const xf_value *values, deid_error *err)
{
    dbuf_reset(&g->key);
    for (size_t b = 0; b < r->n_by; b++) {
        const xf_value *v = &values[r->by_out[b]];
        unsigned char len[8];
        for (int i = 0; i < 8; i++)
            len[i] = (unsigned char)((uint64_t)v->len >> (56 - 8 * i));
        if (dbuf_append(&g->key, len, sizeof len) || dbuf_append(&g->key, v->data, v->len))
            return err_set(err, DEID_E_IO, "out of memory");
    }
    uint32_t id;
    int rc = strmap_put(r->groups, g->key.data, g->key.len, (uint32_t)strmap_count(r->groups), &id);
    if (rc < 0)
        return alloc_error(g, rc == STRMAP_EBUDGET ? rc : SPILL_ENOMEM, err);
    if ((g->records + 1) * sizeof id > r->group.size) {
        size_t size = r->group.size ? 2 * r->group.size : 1024 * sizeof id;
        if ((rc = spill_buf_resize(&r->group, size)))
            return alloc_error(g, rc, err);
    }
    memcpy(r->group.data + g->records * sizeof id, &id, sizeof id);
    return DEID_OK;
}

/* Pass 1's sink: keeps the techniques' values and groups; spools the
 * record without them. */
static deid_status collect_take(deid_job *job, const xf_value *values, size_t n, deid_error *err)
{
    job_group *g = job->group;
    if (job->priv) {
        /* the lanes appended the QIs' values as read (job_lane.c) */
        n = job->colplan->n_out;
        deid_status st = job_group_privacy_collect(job, values + n, err);
        if (st)
            return st;
    }
    for (size_t i = 0; i < g->n; i++) {
        group_rule *r = &g->rules[i];
        for (size_t m = 0; m < r->n_members; m++) {
            const xf_value *v = &values[r->member_out[m]];
            int rc = vlist_add(&r->values[m], v->data, v->len);
            if (rc)
                return alloc_error(g, rc, err);
        }
        deid_status st = r->n_by ? take_group(g, r, values, err) : DEID_OK;
        if (st)
            return st;
    }
    g->records++;
    if (!g->spool)
        return DEID_OK;
    memcpy(g->copy, values, n * sizeof *g->copy);
    for (size_t i = 0; i < g->n; i++)
        for (size_t m = 0; m < g->rules[i].n_members; m++)
            g->copy[g->rules[i].member_out[m]] = (xf_value){"", 0};
    if (job->priv)
        job_group_privacy_blank(job, g->copy);
    return spool_put(g->spool, g->copy, n, err);
}

/* Between the passes: each technique decides its column's values. */
static deid_status compute_rule(deid_job *job, group_rule *r, deid_error *err)
{
    job_group *g = job->group;
    size_t n = (size_t)g->records;
    int rc;
    r->out.pick = spill_buf_array(&r->pick, &g->spill, n, sizeof *r->out.pick, &rc);
    if (!r->out.pick)
        return alloc_error(g, rc, err);
    const vlist **cols = malloc(r->n_members * sizeof *cols);
    if (!cols)
        return err_set(err, DEID_E_IO, "out of memory");
    for (size_t m = 0; m < r->n_members; m++)
        cols[m] = &r->values[m];
    r->out.results = r->results;
    size_t n_groups = r->n_by ? strmap_count(r->groups) : 1;
    xf_value *keys = r->n_by ? calloc(n_groups ? n_groups : 1, sizeof *keys) : NULL;
    if (r->n_by && !keys) {
        free(cols);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    for (size_t i = 0; keys && i < n_groups; i++)
        strmap_entry(r->groups, i, &keys[i].data, &keys[i].len, NULL);
    xf_group_input in = {n, r->n_members, cols,
                         r->n_by ? (const uint32_t *)(const void *)r->group.data : NULL,
                         n_groups ? n_groups : 1, keys, &g->spill};
    deid_status st = r->ops->compute(r->c->state, &in, &r->out, err);
    free(cols);
    free(keys);
    if (st && r->out.has_bad && r->out.bad_col < r->n_members) {
        /* the record's input and number there, from the inputs' counts */
        uint64_t at = r->out.bad_record;
        size_t input = 0;
        while (input + 1 < job->n_inputs && at >= job->inputs[input].records)
            at -= job->inputs[input++].records;
        err_at_record(err, job->inputs[input].name, at + 1, 0,
                      written_label(job->colplan, r->member_out[r->out.bad_col]));
    } else if (st) {
        err_at_record(err, NULL, 0, 0, r->c->label);
    }
    return st;
}

/* Pass 2 transforms everything again when the inputs are re-read: the
 * column counts start afresh. */
static void recount(deid_job *job)
{
    for (size_t i = 0; i < job->colplan->n_cols; i++) {
        job->col_counts[i].transformed = job->col_counts[i].empty = 0;
        job->col_counts[i].errors = 0;
        for (size_t k = 0; k < job->col_counts[i].n_findings; k++)
            job->col_counts[i].findings[k] = 0;
    }
}

deid_status job_group_next_pass(deid_job *job, deid_error *err)
{
    job_group *g = job->group;
    if (job->sink != &job_group_collect || job->in_input || !job->n_inputs || !job->bound)
        return err_set(err, DEID_E_USAGE,
                       "deid_job_next_pass: only after the first pass over every input");
    deid_status st = DEID_OK;
    for (size_t i = 0; i < g->n && !st; i++)
        st = compute_rule(job, &g->rules[i], err);
    if (!st && g->spool)
        st = spool_rewind(g->spool, err);
    if (st)
        return st;
    job->sink = job->priv ? &job_group_measure : &job_group_write;
    if (job->reread) {
        recount(job);
        job->input_index = 0;
    }
    if (job->priv) /* the privacy pass writes, after one more pass */
        return DEID_OK;
    if ((st = job_write_header(job, job_plain_out(job), err)))
        return st;
    return job_flush_staging(job, err);
}

deid_status job_group_write_take(deid_job *job, const xf_value *values, size_t n, deid_error *err)
{
    job_group *g = job->group;
    if (g->written >= g->records)
        return err_set(err, DEID_E_DATA, "the input changed between the two passes");
    size_t at = (size_t)g->written++;
    memcpy(g->copy, values, n * sizeof *g->copy);
    for (size_t i = 0; i < g->n; i++) {
        const group_rule *r = &g->rules[i];
        uint32_t p = r->out.pick[at];
        for (size_t m = 0; m < r->n_members; m++)
            g->copy[r->member_out[m]] = p == XF_GROUP_KEEP ? vlist_get(&r->values[m], at)
                                        : r->out.pick_input ? vlist_get(&r->values[m], p)
                                                            : vlist_get(&r->results[m], p);
    }
    if (job->priv)
        return job_group_privacy_take(job, at, g->copy, n, err);
    return job_write_plain(job, g->copy, n, err);
}

static deid_status replay_record(void *ctx, const csv_field *f, size_t n, unsigned long line,
                                 deid_error *err)
{
    deid_job *job = ctx;
    (void)line;
    deid_status st = job_values_of_spool(job, f, n, err);
    return st ? st : job_group_write_take(job, job->out_values, n, err);
}

deid_status job_group_replay(deid_job *job, int *done, deid_error *err)
{
    *done = 0;
    if ((job->sink != &job_group_write && job->sink != &job_group_measure) || !job->group->spool)
        return err_set(err, DEID_E_USAGE, "deid_job_replay: no spool to replay");
    deid_status st = spool_replay_some(job->group->spool, replay_record, job, done, err);
    return st ? st : job_flush_staging(job, err);
}

deid_status job_group_end_write(deid_job *job, deid_error *err)
{
    job_group *g = job->group;
    if (job->reread && job->input_index != job->n_inputs)
        return err_set(err, DEID_E_USAGE, "deid_job_finish: the second pass is incomplete");
    if (g->spool && spool_bytes_read(g->spool) != spool_bytes(g->spool))
        return err_set(err, DEID_E_USAGE, "deid_job_finish: the spool is not fully replayed");
    if (g->written != g->records)
        return err_set(err, DEID_E_DATA, "the input changed between the two passes");
    return DEID_OK;
}

void job_group_count_afresh(deid_job *job)
{
    job->group->written = 0;
}

void job_group_figures(deid_job *job)
{
    job_group *g = job->group;
    for (size_t i = 0; i < g->n; i++) {
        deid_column_counts *cc = &job->col_counts[g->rules[i].col];
        cc->groups = g->rules[i].out.groups;
        cc->has_loss = g->rules[i].out.has_loss;
        cc->sse = g->rules[i].out.sse;
        cc->sst = g->rules[i].out.sst;
    }
}

static deid_status group_finish(deid_job *job, deid_error *err)
{
    if (job->sink == &job_group_collect)
        return err_set(err, DEID_E_USAGE, "deid_job_finish: call deid_job_next_pass first");
    deid_status st = job_group_end_write(job, err);
    if (!st)
        job_group_figures(job);
    return st;
}

/* Pass 1 keeps a level=auto QI at level 0 and the QIs' values as read
 * for a privacy pass; a run without `require` has neither. */
const job_sink job_group_collect = {
    .number = 1, .level0 = 1, .input_quasi = 1, .take = collect_take, .finish = group_finish};
const job_sink job_group_write = {
    .number = 2, .again = 1, .take = job_group_write_take, .finish = group_finish};
