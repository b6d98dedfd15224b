/*
 * job_reverse.c - `deid reverse`: a job over a file that the rules
 * produced. Columns whose transform can be undone (encrypt, fpe, token) are
 * restored with the transform's reverse for an authorized holder of the
 * key; every other column (hashed, masked, generalized, kept) is written
 * as it is and listed as not restored. A value that fails authentication
 * (tampered, or another key) stops the run with the record number.
 */
#include <stdlib.h>
#include <string.h>

#include "deid_limits.h"
#include "err.h"
#include "job.h"

static const rule *rule_named(const deid_rules *r, const char *name)
{
    for (size_t i = 0; i < r->n_rules; i++)
        if (!strcmp(r->rules[i].column, name))
            return &r->rules[i];
    return NULL;
}

static int selected(const deid_job *job, const char *name)
{
    if (job->n_reverse_columns == 0)
        return 1;
    for (size_t i = 0; i < job->n_reverse_columns; i++)
        if (!strcmp(job->reverse_columns[i], name))
            return 1;
    return 0;
}

deid_status job_reverse_bind(deid_job *job, const csv_field *f, size_t n, deid_error *err)
{
    job->header = calloc(n ? n : 1, sizeof *job->header);
    job->cols = calloc(n ? n : 1, sizeof *job->cols);
    if (!job->header || !job->cols)
        return err_set(err, DEID_E_IO, "out of memory");
    job->n_fields = n;
    for (size_t i = 0; i < n; i++) {
        job_column *c = &job->cols[i];
        job->header[i] = strndup(f[i].data, f[i].len);
        c->name = strndup(f[i].data, f[i].len);
        c->src = malloc(sizeof *c->src);
        job->n_cols = i + 1; /* counted now: deid_job_free frees what it holds */
        if (!job->header[i] || !c->name || !c->src)
            return err_set(err, DEID_E_IO, "out of memory");
        c->src[0] = i;
        c->n_src = 1;
        const rule *ru = rule_named(job->rules, c->name);
        if (ru && ru->ops->reverse && selected(job, c->name)) {
            c->ru = ru;
            c->reversing = 1;
        }
    }
    /* context=: the kept context column, found by name in this file */
    for (size_t i = 0; i < n; i++) {
        job_column *c = &job->cols[i];
        if (!c->reversing || !c->ru->context)
            continue;
        size_t k = 0;
        while (k < n && strcmp(job->cols[k].name, c->ru->context))
            k++;
        if (k == n)
            return err_set(err, DEID_E_DATA, "column \"%s\" needs its context column \"%s\", "
                                             "which the input does not have",
                           c->name, c->ru->context);
        size_t *src = realloc(c->src, 2 * sizeof *src);
        if (!src)
            return err_set(err, DEID_E_IO, "out of memory");
        src[1] = k;
        c->src = src;
        c->n_src = 2;
    }
    /* Every column asked for must be there and reversible. */
    for (size_t k = 0; k < job->n_reverse_columns; k++) {
        const char *name = job->reverse_columns[k];
        size_t i = 0;
        while (i < n && strcmp(job->cols[i].name, name))
            i++;
        if (i == n)
            return err_set(err, DEID_E_USAGE, "--columns names \"%s\", which the input does not have",
                           name);
        if (!job->cols[i].reversing) {
            const rule *ru = rule_named(job->rules, name);
            return err_set(err, DEID_E_USAGE, "column \"%s\" cannot be restored: %s", name,
                           ru ? "its transform is one-way" : "the rules have no rule for it");
        }
    }
    deid_status st = job_finish_binding(job, err);
    /* the summary names what reverse did */
    for (size_t i = 0; !st && i < job->n_cols; i++)
        job->col_counts[i].transform = job->cols[i].reversing ? "reverse" : "kept";
    return st;
}

deid_status deid_job_reverse_note(const deid_job *job, char **text, deid_error *err)
{
    *text = NULL;
    dbuf b;
    dbuf_init(&b, 1u << 20);
    int rc = 0, listed = 0;
    for (size_t i = 0; i < job->n_cols && !rc; i++) {
        const job_column *c = &job->cols[i];
        if (c->reversing)
            continue;
        const rule *ru = rule_named(job->rules, c->name);
        rc = dbuf_printf(&b, "%s%s (%s)", listed++ ? ", " : "deid: not restored (one-way or not asked for): ",
                         c->name, ru ? ru->ops->name : "no rule");
    }
    if (!rc && listed)
        rc = dbuf_putc(&b, '\n');
    if (rc)
        return dbuf_free(&b), err_set(err, DEID_E_IO, "out of memory");
    if (listed && !(*text = dbuf_take(&b)))
        return err_set(err, DEID_E_IO, "out of memory");
    dbuf_free(&b);
    return DEID_OK;
}
