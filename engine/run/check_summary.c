/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_summary.c - `deid check` over a sharded input: a check of one
 * part gathers the part's summary (summary.h) instead of its class table;
 * a merging check reads the parts' summaries and replays their tuples, in
 * the order of their first records, into its class table, which is then
 * the table of the whole input (same classes, numbered in the same order)
 * and gives the same figures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "csv_range.h"
#include "deid_limits.h"
#include "err.h"
#include "fsys.h"

/* The largest piece of a summary read at once by deid_check_merge_fd. */
#define MERGE_READ_BYTES (256u << 10)

deid_status check_summary_start(deid_check *chk, deid_error *err)
{
    summary_shape shape = {
        .kind = "check",
        .rules_sha256 = chk->rules_sha256,
        .token = chk->token,
        .quasi = (const char *const *)chk->quasi.names,
        .n_quasi = chk->quasi.n,
        .sensitive = (const char *const *)chk->sensitive.names,
        .n_sensitive = chk->sensitive.n,
        .header = (const char *const *)chk->quasi.names, /* none: a check's has 0 names */
        .n_header = 0,
    };
    if (!(chk->shard_summary = summary_new(&shape, &chk->budget)))
        return err_set(err, DEID_E_IO, "out of memory");
    return DEID_OK;
}

deid_status check_summary_add(deid_check *chk, uint64_t count, uint64_t record,
                              unsigned long line, deid_error *err)
{
    int rc = summary_add(chk->shard_summary, chk->qi_vals, chk->sens_vals, count, chk->part,
                         record);
    if (rc == SUMMARY_OK)
        return DEID_OK;
    if (rc == SUMMARY_EBUDGET)
        mem_budget_error(&chk->budget, "the part's summary", summary_tuples(chk->shard_summary),
                         err);
    else if (rc == SUMMARY_EFULL)
        err_set(err, DEID_E_IO, "the part's summary is full: more than %u combinations "
                                "(DEID_MAX_CLASSES)", DEID_MAX_CLASSES);
    else
        err_set(err, DEID_E_IO, "out of memory");
    err_at_record(err, chk->input_name, record, line, NULL);
    return DEID_E_IO;
}

typedef struct fd_sink {
    int fd;
} fd_sink;

static int put_fd(void *ctx, const void *data, size_t len)
{
    return fsys_write_all(((fd_sink *)ctx)->fd, data, len) ? -1 : 0;
}

deid_status deid_check_write_summary(const deid_check *chk, int fd, deid_error *err)
{
    err_clear(err);
    if (!chk->shard_summary || (chk->partial && !chk->finished) ||
        (!chk->partial && !chk->measured))
        return err_set(err, DEID_E_USAGE,
                       "deid_check_write_summary: no finished part or merge to write");
    fd_sink sink = {fd};
    return summary_write(chk->shard_summary, put_fd, &sink, err);
}

static deid_status write_chunk(void *ctx, const void *data, size_t len, deid_error *err)
{
    return deid_check_write(ctx, data, len, err);
}

deid_status deid_check_run_range_fd(deid_check *chk, int in_fd, const char *name, uint64_t from,
                                    uint64_t to, deid_error *err)
{
    deid_status st = deid_check_begin_input(chk, name, err);
    if (st)
        return st;
    st = csv_range_read_fd(in_fd, name ? name : "-", from, to, chk->header, write_chunk, chk, err);
    if (st)
        return session_fail(chk->sess, st);
    st = deid_check_end_input(chk, err);
    return st ? st : deid_check_finish(chk, err);
}

/* ---- merging --------------------------------------------------------------------- */

deid_status deid_check_merge_begin(deid_check *chk, const char *name, deid_error *err)
{
    err_clear(err);
    if (chk->begun || chk->partial || chk->finished || chk->merge_reader)
        return err_set(err, DEID_E_USAGE,
                       "deid_check_merge_begin: a merge takes summaries, not an input, and "
                       "one at a time");
    if (chk->population_path || chk->utility)
        return err_set(err, DEID_E_USAGE,
                       "a population table cannot be used with merged summaries (it names "
                       "records of one input)");
    deid_status st = chk->shard_summary ? DEID_OK : check_summary_start(chk, err);
    if (st)
        return st;
    chk->merging = 1;
    if (!(chk->merge_reader = summary_reader_new(chk->shard_summary, name)))
        return err_set(err, DEID_E_IO, "out of memory");
    return DEID_OK;
}

deid_status deid_check_merge_write(deid_check *chk, const void *data, size_t len,
                                   deid_error *err)
{
    err_clear(err);
    if (!chk->merge_reader)
        return err_set(err, DEID_E_USAGE, "deid_check_merge_write: no summary begun");
    return summary_reader_feed(chk->merge_reader, data, len, err);
}

deid_status deid_check_merge_end(deid_check *chk, deid_error *err)
{
    err_clear(err);
    if (!chk->merge_reader)
        return err_set(err, DEID_E_USAGE, "deid_check_merge_end: no summary begun");
    deid_status st = summary_reader_end(chk->merge_reader, err);
    summary_reader_free(chk->merge_reader);
    chk->merge_reader = NULL;
    if (!st)
        chk->merged++;
    return st;
}

deid_status deid_check_merge_fd(deid_check *chk, int fd, const char *name, deid_error *err)
{
    deid_status st = deid_check_merge_begin(chk, name, err);
    char *buf = st ? NULL : malloc(MERGE_READ_BYTES);
    if (!st && !buf)
        st = err_set(err, DEID_E_IO, "out of memory");
    while (!st) {
        ssize_t n = fsys_read(fd, buf, MERGE_READ_BYTES);
        if (n < 0)
            st = err_set(err, DEID_E_IO, "cannot read %s", name ? name : "-");
        else if (n == 0)
            break;
        else
            st = deid_check_merge_write(chk, buf, (size_t)n, err);
    }
    free(buf);
    if (!st)
        return deid_check_merge_end(chk, err);
    summary_reader_free(chk->merge_reader);
    chk->merge_reader = NULL;
    return st;
}

static int replay(void *ctx, const xf_value *qi, const xf_value *sens, uint64_t count)
{
    deid_check *chk = ctx;
    return class_table_add_n(chk->table, qi, sens, count, NULL);
}

deid_status deid_check_merge_finish(deid_check *chk, deid_error *err)
{
    err_clear(err);
    if (!chk->merging || chk->merge_reader || chk->finished)
        return err_set(err, DEID_E_USAGE,
                       "deid_check_merge_finish: no summary merged, or one not ended");
    char name[64];
    snprintf(name, sizeof name, "%zu merged summar%s", chk->merged, chk->merged == 1 ? "y" : "ies");
    if (!(chk->input_name = strdup(name)))
        return err_set(err, DEID_E_IO, "out of memory");
    int rc = summary_each(chk->shard_summary, replay, chk);
    if (rc == CLASS_EBUDGET)
        return mem_budget_error(&chk->budget, "the class table", class_table_classes(chk->table),
                                err);
    if (rc == CLASS_EFULL)
        return err_set(err, DEID_E_IO,
                       "the class table is full: more than %u classes or distinct values "
                       "(DEID_MAX_CLASSES); use fewer or coarser quasi-identifiers",
                       DEID_MAX_CLASSES);
    if (rc)
        return err_set(err, DEID_E_IO, "out of memory");
    chk->record_no = summary_records(chk->shard_summary);
    chk->begun = chk->ended = 1;
    return deid_check_finish(chk, err);
}
