/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_source.c - `deid check --source RAW OUTPUT`: the utility metrics
 * of a delivered file against the file it was made from (README
 * "Utility"). Records are paired by position: the two files are read in
 * step, each through its own gzip detection and CSV reader, and the QI
 * values of records not yet paired wait in a small queue per file (the
 * one behind is read next), so memory stays at a block's records plus
 * the per-QI (source, delivered) counts of utility.c, under the check's
 * memory budget. Values are compared as bytes: the figures count and
 * compare values, so they do not depend on the encoding as long as each
 * file keeps one.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "colplan.h"
#include "deid_limits.h"
#include "err.h"
#include "fsys.h"
#include "input.h"
#include "rules.h"
#include "utility.h"

#define BLOCK (64u << 10)
#define DECODED_SLICE (256u << 10)

typedef struct side {
    const char *name;
    int fd, eof;
    const deid_check *chk;
    input_stream *in;
    csv_in *csv;
    int bound;
    size_t n_fields;
    size_t *idx;                 /* per QI: its column in this file */
    dbuf queue;                  /* per record, per QI: 4-byte length, bytes */
    size_t read_at;              /* start of the first record not yet paired */
    uint64_t queued, records;
} side;

static deid_status on_record(void *ctx, const csv_field *f, size_t n, unsigned long line,
                             deid_error *err)
{
    side *s = ctx;
    const deid_check *chk = s->chk;
    if (!s->bound) {
        colplan_header h;
        deid_status st = colplan_header_read(&h, f, n, chk->header, s->name, NULL, err);
        for (size_t q = 0; q < chk->quasi.n && !st; q++) {
            long at = colplan_find(&h, chk->quasi.names[q], NULL);
            if (at == COLPLAN_NOMEM)
                st = err_set(err, DEID_E_IO, "out of memory");
            else if (at < 0)
                st = err_set(err, DEID_E_USAGE, "%s: quasi-identifier \"%s\" is not a column of it",
                             s->name, chk->quasi.names[q]);
            else
                s->idx[q] = (size_t)at;
        }
        colplan_header_free(&h);
        if (st)
            return st;
        s->bound = 1;
        s->n_fields = n;
        if (chk->header)
            return DEID_OK;
    }
    s->records++;
    if (n != s->n_fields) {
        err_set(err, DEID_E_DATA, "has %zu field%s; the first record has %zu", n, n == 1 ? "" : "s",
                s->n_fields);
        err_at_record(err, s->name, s->records, line, NULL);
        return DEID_E_DATA;
    }
    int rc = 0;
    for (size_t q = 0; q < chk->quasi.n && !rc; q++) {
        const csv_field *v = &f[s->idx[q]];
        uint32_t len = (uint32_t)v->len;
        rc = dbuf_append(&s->queue, &len, sizeof len);
        rc = rc ? rc : dbuf_append(&s->queue, v->data, v->len);
    }
    if (rc)
        return err_set(err, DEID_E_IO, "out of memory");
    s->queued++;
    return DEID_OK;
}

static deid_status to_csv(void *ctx, const void *data, size_t len, deid_error *err)
{
    side *s = ctx;
    return csv_in_feed(s->csv, data, len, err);
}

/* Reads one block of the file into its queue (its end at EOF). */
static deid_status feed(side *s, char *buf, deid_error *err)
{
    ssize_t k = fsys_read(s->fd, buf, BLOCK);
    if (k < 0)
        return err_set(err, DEID_E_IO, "%s: cannot read: %s", s->name, strerror(errno));
    deid_status st = DEID_OK;
    if (k == 0) {
        s->eof = 1;
        st = input_stream_end(s->in, err);
        st = st ? st : csv_in_finish(s->csv, err);
        if (!st && !s->bound)
            st = err_set(err, DEID_E_DATA, "%s: the file is empty", s->name);
        return st;
    }
    size_t at = 0;
    while (at < (size_t)k && !st) {
        size_t used = 0;
        st = input_stream_write_some(s->in, buf + at, (size_t)k - at, DECODED_SLICE, &used, err);
        at += used;
    }
    return st;
}

static xf_value next_value(side *s)
{
    uint32_t len;
    memcpy(&len, s->queue.data + s->read_at, sizeof len);
    xf_value v = {s->queue.data + s->read_at + sizeof len, len};
    s->read_at += sizeof len + len;
    return v;
}

/* Pairs the records both queues hold, oldest first. */
static int pair_off(side *src, side *out, utility_counter *u, size_t n_qi, const char *token)
{
    size_t token_len = strlen(token);
    xf_value sv[64], ov[64];
    xf_value *s_vals = n_qi <= 64 ? sv : malloc(n_qi * sizeof *s_vals);
    xf_value *o_vals = n_qi <= 64 ? ov : malloc(n_qi * sizeof *o_vals);
    int rc = s_vals && o_vals ? 0 : UTILITY_ENOMEM;
    while (!rc && src->queued && out->queued) {
        int suppressed = 1;
        for (size_t q = 0; q < n_qi; q++) {
            s_vals[q] = next_value(src);
            o_vals[q] = next_value(out);
            suppressed &= o_vals[q].len == token_len && !memcmp(o_vals[q].data, token, token_len);
        }
        for (size_t q = 0; q < n_qi && !rc; q++)
            rc = utility_counter_add(u, q, s_vals[q], o_vals[q],
                                     suppressed ? UTILITY_SUPPRESSED : UTILITY_KEPT, 1);
        src->queued--;
        out->queued--;
    }
    if (n_qi > 64) {
        free(s_vals);
        free(o_vals);
    }
    /* what was paired leaves the queues */
    side *both[2] = {src, out};
    for (int i = 0; i < 2; i++) {
        side *s = both[i];
        /* an empty queue may have no buffer yet (memmove of NULL is UB) */
        if (s->read_at > 0 && s->queue.len > s->read_at)
            memmove(s->queue.data, s->queue.data + s->read_at, s->queue.len - s->read_at);
        s->queue.len -= s->read_at;
        s->read_at = 0;
    }
    return rc;
}

static deid_status side_open(side *s, const deid_check *chk, int fd, const char *name,
                             deid_error *err)
{
    memset(s, 0, sizeof *s);
    s->chk = chk;
    s->fd = fd;
    s->name = name;
    dbuf_init(&s->queue, DEID_MAX_PENDING_OUTPUT);
    s->idx = calloc(chk->quasi.n, sizeof *s->idx);
    s->csv = csv_in_new(chk->delimiter, on_record, s);
    s->in = input_stream_new(to_csv, s);
    if (!s->idx || !s->csv || !s->in)
        return err_set(err, DEID_E_IO, "out of memory");
    return input_stream_begin(s->in, 0, err);
}

static void side_close(side *s)
{
    free(s->idx);
    csv_in_free(s->csv);
    input_stream_free(s->in);
    dbuf_wipe(&s->queue);
}

static deid_status counter_error(deid_check *chk, int rc, deid_error *err)
{
    if (rc == UTILITY_EBUDGET)
        return mem_budget_error(&chk->budget, "the utility counts", MEM_BUDGET_UNCOUNTED, err);
    if (rc == UTILITY_EFULL)
        return err_set(err, DEID_E_IO, "more than %u distinct values in a quasi-identifier "
                                       "(DEID_MAX_CLASSES)", (unsigned)DEID_MAX_CLASSES);
    return err_set(err, DEID_E_IO, "out of memory");
}

/* Reads both files in step and counts the pairs into u. */
static deid_status pair_files(deid_check *chk, side *src, side *out, utility_counter *u,
                              deid_error *err)
{
    deid_status st = DEID_OK;
    char *buf = malloc(BLOCK);
    if (!buf)
        return err_set(err, DEID_E_IO, "out of memory");
    while (!st && !(src->eof && out->eof)) {
        /* the file with fewer records waiting is read next */
        side *behind = !out->eof && (out->queued <= src->queued || src->eof) ? out : src;
        st = feed(behind, buf, err);
        if (!st) {
            int rc = pair_off(src, out, u, chk->quasi.n, chk->token);
            if (rc)
                st = counter_error(chk, rc, err);
        }
        /* records past the other file's end are only counted, for the message */
        side *both[2] = {src, out};
        for (int i = 0; i < 2 && both[1 - i]->eof; i++) {
            both[i]->queue.len = 0;
            both[i]->queued = 0;
        }
    }
    free(buf);
    if (!st && src->records != out->records)
        st = err_set(err, DEID_E_DATA,
                     "%s has %llu records and %s %llu: --source pairs records by position, so "
                     "both must hold the same records in the same order (a run with how=record "
                     "leaves records out: its --report has the utility figures)",
                     src->name, (unsigned long long)src->records, out->name,
                     (unsigned long long)out->records);
    return st;
}

/* With rules: per QI, the rule it was made with, to tell each delivered
 * value's level (precision). */
typedef struct source_levels {
    const rule **rule;            /* per QI; NULL: no rule */
    unsigned char *kept;          /* per QI: no rule, and `default keep` */
    dbuf scratch;
} source_levels;

static int same_value(const dbuf *b, xf_value v)
{
    return b->len == v.len && (v.len == 0 || !memcmp(b->data, v.data, v.len));
}

/* The level of src delivered as out under QI q's rule: the lowest level of
 * a level=auto ladder that gives out, the fixed level of a hierarchy that
 * gives out, or 0 of 0 for a value kept whole; else not known (the file
 * was not made with this rule, or the rule has no levels). */
static int infer_level(void *ctx, size_t q, xf_value src, xf_value out, size_t *level,
                       size_t *height)
{
    source_levels *sl = ctx;
    const rule *ru = sl->rule[q];
    const char *why;
    if (!ru || (ru->ops->flags & XF_IDENTITY)) {
        *level = *height = 0;
        return (ru || sl->kept[q]) && src.len == out.len && !memcmp(src.data, out.data, src.len);
    }
    size_t levels = ru->ops->levels ? ru->ops->levels(ru->state) : 0;
    for (size_t l = 0; l < levels && ru->ops->apply_level; l++) {
        dbuf_reset(&sl->scratch);
        if (ru->ops->apply_level(ru->state, &src, l, &sl->scratch, &why) == XF_OK &&
            same_value(&sl->scratch, out)) {
            *level = l;
            *height = levels - 1;
            return 1;
        }
    }
    if (levels == 0 && ru->ops->fixed_level && ru->ops->fixed_level(ru->state, level, height)) {
        dbuf_reset(&sl->scratch);
        return ru->ops->apply(ru->state, &src, 1, &sl->scratch, &why) == XF_OK &&
               same_value(&sl->scratch, out);
    }
    return 0;
}

/* Finds each QI's column rule in rules (NULL: none). */
static deid_status bind_rules(const deid_check *chk, const deid_rules *rules, source_levels *sl,
                              deid_error *err)
{
    memset(sl, 0, sizeof *sl);
    dbuf_init(&sl->scratch, DEID_MAX_FIELD_BYTES);
    if (!rules)
        return DEID_OK;
    sl->rule = calloc(chk->quasi.n, sizeof *sl->rule);
    sl->kept = calloc(chk->quasi.n, 1);
    if (!sl->rule || !sl->kept)
        return err_set(err, DEID_E_IO, "out of memory");
    for (size_t q = 0; q < chk->quasi.n; q++) {
        for (size_t i = 0; i < rules->n_rules && !sl->rule[q]; i++) {
            const rule *ru = &rules->rules[i];
            int same = ru->is_add ? 0 : colplan_same_name(ru->column, chk->quasi.names[q]);
            if (same < 0)
                return err_set(err, DEID_E_IO, "out of memory");
            if (same)
                sl->rule[q] = ru;
        }
        sl->kept[q] = !sl->rule[q] && rules->default_policy == RULES_DEFAULT_KEEP;
    }
    return DEID_OK;
}

static void source_levels_free(source_levels *sl)
{
    free(sl->rule);
    free(sl->kept);
    dbuf_wipe(&sl->scratch);
}

deid_status deid_check_compare_fd(deid_check *chk, const deid_rules *rules, int source_fd,
                                  const char *source_name, int output_fd, const char *output_name,
                                  deid_error *err)
{
    err_clear(err);
    if (!chk->finished || !chk->table)
        return err_set(err, DEID_E_USAGE, "deid_check_compare_fd: only after deid_check_finish");
    if (chk->utility)
        return err_set(err, DEID_E_USAGE, "deid_check_compare_fd: compared already");
    side src, out;
    source_levels sl;
    deid_status st = bind_rules(chk, rules, &sl, err);
    st = st ? st : side_open(&src, chk, source_fd, source_name, err);
    deid_status st2 = side_open(&out, chk, output_fd, output_name, st ? NULL : err);
    st = st ? st : st2;
    utility_counter *u = st ? NULL : utility_counter_new(chk->quasi.n, &chk->budget);
    if (!st && !u)
        st = err_set(err, DEID_E_IO, "out of memory");
    if (!st)
        st = pair_files(chk, &src, &out, u, err);
    uint64_t *sizes = st ? NULL : utility_class_sizes(chk->table);
    if (!st && !sizes)
        st = err_set(err, DEID_E_IO, "out of memory");
    if (!st && !(chk->utility = calloc(1, sizeof *chk->utility)))
        st = err_set(err, DEID_E_IO, "out of memory");
    if (!st && utility_compute(u, sizes, class_table_classes(chk->table), chk->req.k,
                               rules ? infer_level : NULL, &sl, NAN, chk->utility)) {
        free(chk->utility);
        chk->utility = NULL;
        st = err_set(err, DEID_E_IO, "out of memory");
    }
    if (!st && !(chk->source_name = strdup(source_name))) {
        utility_figures_free(chk->utility);
        free(chk->utility);
        chk->utility = NULL;
        st = err_set(err, DEID_E_IO, "out of memory");
    }
    free(sizes);
    utility_counter_free(u);
    side_close(&src);
    side_close(&out);
    source_levels_free(&sl);
    return st;
}
