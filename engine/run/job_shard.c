/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_shard.c - `deid run` and `deid plan` over a sharded input (README
 * "Sharded runs"). A part's first pass gathers the summary of its
 * transformed QI and sensitive values (level 0 for level=auto QIs), the
 * table the plan and the suppression decisions are made from. Merged
 * summaries then stand in for that table: replayed in the order of their
 * first records they rebuild the whole input's table, so the plan, and the
 * classes a part's second pass suppresses, are those of one machine. A
 * part's first pass then only checks that each of its records belongs to
 * a merged class (else its summary was not among those merged).
 */
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "deid_limits.h"
#include "err.h"
#include "fsys.h"
#include "job.h"
#include "job_group.h"
#include "job_privacy.h"

#define MERGE_READ_BYTES (256u << 10)

static deid_status not_sharded(const deid_job *job, deid_error *err)
{
    return err_set(err, DEID_E_USAGE, "%s: a sharded run needs `quasi` and `require` lines",
                   job->rules->name);
}

static summary *new_summary(const deid_job *job, const char *const *header, size_t n_header)
{
    const rules_privacy *rp = &job->rules->privacy;
    summary_shape shape = {
        .kind = "run",
        .rules_sha256 = job->rules->sha256,
        .token = job->token,
        .quasi = (const char *const *)rp->quasi,
        .n_quasi = rp->n_quasi,
        .sensitive = (const char *const *)rp->sensitive,
        .n_sensitive = rp->n_sensitive,
        .header = header,
        .n_header = n_header,
    };
    return summary_new(&shape, job->priv->budget);
}

/* A token vault is one shared state that shards cannot share. */
static deid_status refuse_vaults(const deid_job *job, deid_error *err)
{
    for (size_t i = 0; i < job->colplan->n_cols; i++) {
        const colplan_column *c = &job->colplan->cols[i];
        if (!(c->ops->flags & XF_SIDE_FILE_IS_VAULT))
            continue;
        err_set(err, DEID_E_RULES,
                "column %s: %s keeps a vault of pseudonyms that the parts of a sharded run "
                "cannot share; use encrypt (reversible) or hash, which need only the key",
                c->label, c->ops->name);
        if (c->ru)
            err_at_rules(err, job->rules->name, c->ru->line, 0, NULL);
        return DEID_E_RULES;
    }
    return DEID_OK;
}

/* A part sees only its own records: a technique that needs the whole
 * column (microagg, aggregate, shuffle) or draws by the record's position
 * in the input would give other bytes than one machine, so it is refused. */
static deid_status refuse_whole_input(const deid_job *job, deid_error *err)
{
    int by_sample;
    const rule *ru = job_group_rule(job->rules);
    const char *why = "needs the whole column";
    if (!ru) {
        ru = job_position_rule(job->rules, &by_sample);
        why = "draws by the record's position in the input";
    }
    if (ru) {
        err_set(err, DEID_E_RULES,
                "column %s: %s %s, which the parts of a sharded run do not see; %s",
                ru->column, ru->ops->name, why,
                ru->ops->group ? "run it on one machine"
                               : "give it by=COLUMNS (an identity) so each record's draw is its own");
        err_at_rules(err, job->rules->name, ru->line, ru->name_col, ru->source_line);
        return DEID_E_RULES;
    }
    if (by_sample) {
        err_set(err, DEID_E_RULES,
                "sample draws by the record's position in the input, which the parts of a "
                "sharded run do not see; give it by=COLUMNS (an identity)");
        err_at_rules(err, job->rules->name, job->rules->sample.line, 0, NULL);
        return DEID_E_RULES;
    }
    return DEID_OK;
}

/* 0 when the header cells f[0..n) are the summary's header names. */
static int same_header(const summary *s, const csv_field *f, size_t n)
{
    size_t m;
    const char *const *names = summary_header(s, &m);
    if (m != n)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (strlen(names[i]) != f[i].len || memcmp(names[i], f[i].data, f[i].len))
            return -1;
    return 0;
}

static int replay(void *ctx, const xf_value *qi, const xf_value *sens, uint64_t count)
{
    return class_table_add_n(ctx, qi, sens, count, NULL);
}

deid_status job_shard_bind(deid_job *job, const csv_field *f, size_t n, int from_data,
                           deid_error *err)
{
    job_privacy *pv = job->priv;
    if (!job->sharded && !(pv && pv->merged))
        return DEID_OK;
    deid_status st = refuse_vaults(job, err);
    st = st ? st : refuse_whole_input(job, err);
    if (st || !pv)
        return st;
    if (pv->partial) {
        const char **names = calloc(n ? n : 1, sizeof *names);
        char **copies = calloc(n ? n : 1, sizeof *copies);
        int ok = names && copies;
        for (size_t i = 0; ok && !from_data && i < n; i++)
            ok = (names[i] = copies[i] = strndup(f[i].data, f[i].len)) != NULL;
        pv->shard = ok ? new_summary(job, names, from_data ? 0 : n) : NULL;
        for (size_t i = 0; copies && i < n; i++)
            free(copies[i]);
        free(copies);
        free(names);
        return pv->shard ? DEID_OK : err_set(err, DEID_E_IO, "out of memory");
    }
    if (!pv->merged)
        return DEID_OK;
    if (!job->reread)
        return err_set(err, DEID_E_USAGE, "a run on merged summaries reads its part twice "
                                          "(options.reread): give it as a file");
    size_t m;
    summary_header(pv->shard, &m);
    if (m && (from_data || same_header(pv->shard, f, n)))
        return err_set(err, DEID_E_DATA, "the input's header is not the one the merged "
                                         "summaries were made from");
    int rc = summary_each(pv->shard, replay, pv->measured);
    if (rc)
        return job_privacy_class_error(pv, pv->measured, rc, err);
    return DEID_OK;
}

deid_status job_shard_measure(deid_job *job, int *done, deid_error *err)
{
    job_privacy *pv = job->priv;
    *done = 0;
    pv->taken++;
    if (pv->merged) {
        uint32_t c;
        *done = 1;
        if (!class_table_find(pv->measured, pv->qi_values, &c))
            return err_set(err, DEID_E_DATA, "the record's class is not in the merged summaries: "
                                             "was this part's summary merged?");
        return DEID_OK;
    }
    if (!pv->partial)
        return DEID_OK;
    int rc = summary_add(pv->shard, pv->qi_values, pv->sens_values, 1, pv->part, pv->taken);
    if (rc == SUMMARY_EBUDGET)
        return mem_budget_error(pv->budget, "the part's summary", summary_tuples(pv->shard), err);
    if (rc)
        return err_set(err, DEID_E_IO, rc == SUMMARY_EFULL ? "the part's summary is full "
                                                             "(DEID_MAX_CLASSES)"
                                                           : "out of memory");
    return DEID_OK;
}

int deid_job_has_auto(const deid_job *job)
{
    return job->priv && job->bound && job->priv->has_auto;
}

uint64_t job_shard_records(const deid_job *job)
{
    return job->priv->merged ? job->priv->merged_records : job->counts.records_read;
}

/* ---- the library's face ------------------------------------------------------------- */

typedef struct fd_sink {
    int fd;
} fd_sink;

static int put_fd(void *ctx, const void *data, size_t len)
{
    return fsys_write_all(((fd_sink *)ctx)->fd, data, len) ? -1 : 0;
}

deid_status deid_job_write_summary(deid_job *job, int fd, deid_error *err)
{
    err_clear(err);
    if (!job->priv || !(job->priv->partial || job->priv->merged) || !job->bound ||
        job->in_input)
        return err_set(err, DEID_E_USAGE, "deid_job_write_summary: only after the first pass "
                                          "of a part (options.partial) or a merge");
    job_privacy *pv = job->priv;
    if (pv->partial && summary_records(pv->shard)) {
        deid_status st = summary_add_part(pv->shard, pv->part, err);
        if (st)
            return st;
    }
    fd_sink sink = {fd};
    return summary_write(pv->shard, put_fd, &sink, err);
}

deid_status deid_job_merge_fd(deid_job *job, int fd, const char *name, deid_error *err)
{
    err_clear(err);
    if (!job->priv)
        return not_sharded(job, err);
    job_privacy *pv = job->priv;
    if (job->bound || job->n_inputs || pv->partial)
        return err_set(err, DEID_E_USAGE, "deid_job_merge_fd: summaries come before any input");
    if (!pv->shard) {
        if (!(pv->shard = new_summary(job, NULL, 0)))
            return err_set(err, DEID_E_IO, "out of memory");
    }
    summary_reader *r = summary_reader_new(pv->shard, name ? name : "-");
    char *buf = malloc(MERGE_READ_BYTES);
    deid_status st = r && buf ? DEID_OK : err_set(err, DEID_E_IO, "out of memory");
    while (!st) {
        ssize_t k = fsys_read(fd, buf, MERGE_READ_BYTES);
        if (k < 0)
            st = err_set(err, DEID_E_IO, "cannot read %s", name ? name : "-");
        if (k <= 0)
            break;
        st = summary_reader_feed(r, buf, (size_t)k, err);
    }
    if (!st)
        st = summary_reader_end(r, err);
    free(buf);
    summary_reader_free(r);
    if (!st) {
        pv->merged = 1;
        pv->merged_records = summary_records(pv->shard);
    }
    return st;
}

deid_status deid_job_merged_header(deid_job *job, char **csv, deid_error *err)
{
    err_clear(err);
    *csv = NULL;
    if (!job->priv || !job->priv->merged)
        return err_set(err, DEID_E_USAGE, "deid_job_merged_header: no summary merged");
    size_t n;
    const char *const *names = summary_header(job->priv->shard, &n);
    if (!n)
        return err_set(err, DEID_E_USAGE, "the summaries were made from an input without a "
                                          "header: give a part of the input");
    dbuf b;
    dbuf_init(&b, SIZE_MAX);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        rc = i ? dbuf_putc(&b, (char)job->delimiter) : 0;
        rc = rc ? rc : dbuf_putc(&b, '"');
        for (const char *p = names[i]; *p && !rc; p++)
            rc = *p == '"' ? dbuf_append_str(&b, "\"\"") : dbuf_putc(&b, *p);
        rc = rc ? rc : dbuf_putc(&b, '"');
    }
    rc = rc ? rc : dbuf_putc(&b, '\n');
    if (rc || !(*csv = dbuf_take(&b))) {
        dbuf_free(&b);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    return DEID_OK;
}
