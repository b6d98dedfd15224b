/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_population.c - reading the population table of a check (see
 * check_population.h). One pass over the file: the header binds the QI
 * and count columns; each row is checked (field count, count, duplicate
 * QI values) and, when the input has a class with its QI values, gives
 * that class its count. Afterwards every class must have a count of at
 * least its size.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check_population.h"
#include "colplan.h"
#include "csv_in.h"
#include "deid_limits.h"
#include "err.h"
#include "fsys.h"
#include "strmap.h"

enum { POPULATION_CHUNK = 64 * 1024 };

typedef struct pop_reader {
    const check_population_spec *spec;
    const class_table *table;
    const char *count_name;
    size_t n_fields;            /* of the header; 0 until it is read */
    size_t *qi_at;              /* field of each QI */
    size_t count_at;
    xf_value *vals;             /* one row's QI values */
    strmap *seen;               /* QI tuple (length-prefixed) -> line, for duplicates */
    unsigned char *key;
    size_t key_cap;
    uint64_t *counts;           /* per class */
    unsigned long *line_of;     /* per class: the row that gave its count (0: none) */
    uint64_t rows;
} pop_reader;

/* Fills err with st and msg at line (and column, if not NULL). */
static deid_status row_fail(deid_error *err, deid_status st, unsigned long line,
                            const char *column, const char *msg)
{
    err_set(err, st, "%s", msg);
    err->line = line;
    if (column)
        snprintf(err->field, sizeof err->field, "%s", column);
    return st;
}

static deid_status bind_header(pop_reader *r, const csv_field *f, size_t n, unsigned long line,
                               deid_error *err)
{
    const check_population_spec *s = r->spec;
    int found_count = 0;
    for (size_t q = 0; q < s->n_quasi; q++)
        r->qi_at[q] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        for (size_t q = 0; q < s->n_quasi; q++) {
            int same = colplan_same_name(s->quasi[q], f[i].data);
            if (same < 0)
                return row_fail(err, DEID_E_IO, line, NULL, "out of memory");
            if (same && r->qi_at[q] != SIZE_MAX)
                return row_fail(err, DEID_E_DATA, line, s->quasi[q],
                                "the header names this column more than once");
            if (same)
                r->qi_at[q] = i;
        }
        int same = colplan_same_name(r->count_name, f[i].data);
        if (same < 0)
            return row_fail(err, DEID_E_IO, line, NULL, "out of memory");
        if (same && found_count)
            return row_fail(err, DEID_E_DATA, line, r->count_name,
                            "the header names this column more than once");
        if (same) {
            found_count = 1;
            r->count_at = i;
        }
    }
    for (size_t q = 0; q < s->n_quasi; q++)
        if (r->qi_at[q] == SIZE_MAX)
            return row_fail(err, DEID_E_DATA, line, s->quasi[q],
                            "the header has no such column (a population table names every "
                            "quasi-identifier and a count column)");
    if (!found_count)
        return row_fail(err, DEID_E_DATA, line, r->count_name,
                        "the header has no such column (a population table names every "
                        "quasi-identifier and a count column)");
    r->n_fields = n;
    return DEID_OK;
}

/* A whole number of digits only (at most 19), into *out. */
static int parse_count(const csv_field *f, uint64_t *out)
{
    if (f->len == 0 || f->len > 19)
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < f->len; i++) {
        if (f->data[i] < '0' || f->data[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(f->data[i] - '0');
    }
    *out = v;
    return 0;
}

/* The row's QI values as one byte string: each value's length (4 bytes)
 * and bytes, so that no two tuples share a key. */
static int tuple_key(pop_reader *r, size_t *len)
{
    size_t need = 0;
    for (size_t q = 0; q < r->spec->n_quasi; q++)
        need += 4 + r->vals[q].len;
    if (need > r->key_cap) {
        unsigned char *grown = realloc(r->key, need);
        if (!grown)
            return -1;
        r->key = grown;
        r->key_cap = need;
    }
    size_t at = 0;
    for (size_t q = 0; q < r->spec->n_quasi; q++) {
        uint32_t l = (uint32_t)r->vals[q].len;
        memcpy(r->key + at, &l, 4);
        memcpy(r->key + at + 4, r->vals[q].data, r->vals[q].len);
        at += 4 + r->vals[q].len;
    }
    *len = at;
    return 0;
}

static deid_status on_record(void *ctx, const csv_field *f, size_t n, unsigned long line,
                             deid_error *err)
{
    pop_reader *r = ctx;
    if (!r->n_fields)
        return bind_header(r, f, n, line, err);
    if (n != r->n_fields) {
        err_set(err, DEID_E_DATA, "the row has %zu fields, the header %zu", n, r->n_fields);
        err->line = line;
        return DEID_E_DATA;
    }
    uint64_t count;
    if (parse_count(&f[r->count_at], &count))
        return row_fail(err, DEID_E_DATA, line, r->count_name,
                        "the count is not a whole number (digits only)");
    for (size_t q = 0; q < r->spec->n_quasi; q++)
        r->vals[q] = (xf_value){f[r->qi_at[q]].data, f[r->qi_at[q]].len};
    size_t klen;
    if (tuple_key(r, &klen))
        return row_fail(err, DEID_E_IO, line, NULL, "out of memory");
    uint32_t first;
    int put = strmap_put(r->seen, r->key, klen, line > UINT32_MAX ? UINT32_MAX : (uint32_t)line,
                         &first);
    if (put == STRMAP_EXISTS) {
        err_set(err, DEID_E_DATA, "the same quasi-identifier values as line %lu",
                (unsigned long)first);
        err->line = line;
        return DEID_E_DATA;
    }
    if (put == STRMAP_EBUDGET)
        return mem_budget_error(r->spec->budget, "the population table",
                                MEM_BUDGET_UNCOUNTED, err);
    if (put < 0)
        return row_fail(err, DEID_E_IO, line, NULL,
                        put == STRMAP_EFULL ? "too many rows" : "out of memory");
    r->rows++;
    uint32_t c;
    if (class_table_find(r->table, r->vals, &c) && c != CLASS_SUPPRESSED) {
        if (count < class_table_size(r->table, c)) {
            err_set(err, DEID_E_DATA,
                     "the count is below the %llu records of the input with these values",
                     (unsigned long long)class_table_size(r->table, c));
            err->line = line;
            snprintf(err->field, sizeof err->field, "%s", r->count_name);
            return DEID_E_DATA;
        }
        r->counts[c] = count;
        r->line_of[c] = line;
    }
    return DEID_OK;
}

static deid_status feed_file(pop_reader *r, int fd, deid_error *err)
{
    csv_in *in = csv_in_new(r->spec->delimiter ? r->spec->delimiter : ',', on_record, r);
    char *buf = malloc(POPULATION_CHUNK);
    deid_status st = DEID_OK;
    if (!in || !buf)
        st = err_set(err, DEID_E_IO, "out of memory");
    while (!st) {
        ssize_t got = fsys_read(fd, buf, POPULATION_CHUNK);
        if (got < 0) {
            st = err_set(err, DEID_E_IO, "cannot read %s: %s", r->spec->path, strerror(errno));
            break;
        }
        if (got == 0) {
            st = csv_in_finish(in, err);
            break;
        }
        st = csv_in_feed(in, buf, (size_t)got, err);
    }
    free(buf);
    csv_in_free(in);
    if (!st && !r->n_fields) {
        st = err_set(err, DEID_E_DATA, "the file is empty (a population table has a header)");
        err_at_file(err, r->spec->path);
    }
    return st;
}

/* Every class of the input needs a row. */
static deid_status check_all_counted(const pop_reader *r, deid_error *err)
{
    size_t u = class_table_classes(r->table);
    for (size_t c = 0; c < u; c++) {
        if (r->line_of[c])
            continue;
        const check_population_spec *s = r->spec;
        uint64_t size = class_table_size(r->table, (uint32_t)c);
        if (c < s->n_origin) {
            err_set(err, DEID_E_DATA,
                    "%s has no row with this record's quasi-identifier values (its class "
                    "has %llu record%s): the population table must list every QI combination "
                    "of the input, generalized as in the input",
                    s->path, (unsigned long long)size, size == 1 ? "" : "s");
            err_at_record(err, s->input_name ? s->input_name : "-", s->origin[c].record,
                          s->origin[c].line, NULL);
            return DEID_E_DATA;
        }
        err_set(err, DEID_E_DATA,
                "no row for class #%zu of the input (size %llu; classes are numbered in order "
                "of first appearance): the population table must list every QI combination "
                "of the input, generalized as in the input",
                c + 1, (unsigned long long)size);
        err_at_file(err, s->path);
        return DEID_E_DATA;
    }
    return DEID_OK;
}

deid_status check_population_read(const check_population_spec *spec, const class_table *table,
                                  uint64_t **counts, uint64_t *rows, deid_error *err)
{
    *counts = NULL;
    *rows = 0;
    struct stat sb;
    int fd = fsys_open_regular(spec->path, 0, &sb);
    if (fd == FSYS_NOT_REGULAR)
        return err_set(err, DEID_E_IO, "cannot read %s: %s", spec->path,
                       fsys_not_regular_reason(sb.st_mode));
    if (fd < 0)
        return err_set(err, DEID_E_IO, "cannot read %s: %s", spec->path, strerror(errno));
    size_t u = class_table_classes(table);
    pop_reader r = {spec, table, spec->count_column ? spec->count_column : "count"};
    r.qi_at = calloc(spec->n_quasi ? spec->n_quasi : 1, sizeof *r.qi_at);
    r.vals = calloc(spec->n_quasi ? spec->n_quasi : 1, sizeof *r.vals);
    r.counts = calloc(u ? u : 1, sizeof *r.counts);
    r.line_of = calloc(u ? u : 1, sizeof *r.line_of);
    r.seen = strmap_new(DEID_MAX_CLASSES);
    deid_status st = DEID_OK;
    if (!r.qi_at || !r.vals || !r.counts || !r.line_of || !r.seen)
        st = err_set(err, DEID_E_IO, "out of memory");
    else if (strmap_set_budget(r.seen, spec->budget))
        st = mem_budget_error(spec->budget, "the population table", MEM_BUDGET_UNCOUNTED, err);
    if (!st && (st = feed_file(&r, fd, err)) && !err->file[0])
        err_at_file(err, spec->path);
    if (!st)
        st = check_all_counted(&r, err);
    fsys_close(fd);
    free(r.qi_at);
    free(r.vals);
    free(r.key);
    free(r.line_of);
    strmap_free(r.seen);
    if (st) {
        free(r.counts);
        return st;
    }
    *counts = r.counts;
    *rows = r.rows;
    return DEID_OK;
}
