/* SPDX-License-Identifier: Apache-2.0 */
/*
 * colplan.c - the one binding of names to columns (colplan.h): the header
 * read the same way for run, reverse and check, then the column plan of
 * a run (forward) or a reverse.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colplan.h"
#include "dbuf.h"
#include "deid_limits.h"
#include "err.h"
#include "header_sniff.h"
#include "utf8.h"

/* ---- the header ------------------------------------------------------------ */

/* A NUL-terminated copy of s, NFC-normalized when it is valid UTF-8 (other
 * bytes are matched as they are). NULL when out of memory. */
static char *nfc_copy(const char *s, size_t len)
{
    dbuf b;
    dbuf_init(&b, len * 3 + 16);
    int rc = utf8_compose_hangul(s, len, &b);
    if (rc == 1) {
        dbuf_free(&b);
        return strndup(s, len);
    }
    char *out = rc ? NULL : dbuf_take(&b);
    if (!out && !rc)
        out = strdup(""); /* an empty name leaves the buffer unallocated */
    dbuf_free(&b);
    return out;
}

static int is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

/* 1: a and b are the same name NFC-normalized; 0: not; -1: out of memory.
 * Only names with non-ASCII bytes on both sides need a copy: NFC leaves
 * ASCII as it is and never turns other text into ASCII. */
static int same_nfc(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen == blen && !memcmp(a, b, alen))
        return 1;
    if (is_ascii(a, alen) || is_ascii(b, blen) || memchr(a, '\0', alen) || memchr(b, '\0', blen))
        return 0;
    char *x = nfc_copy(a, alen), *y = nfc_copy(b, blen);
    int same = x && y ? !strcmp(x, y) : -1;
    free(x);
    free(y);
    return same;
}

deid_status colplan_header_read(colplan_header *h, const csv_field *f, size_t n, int has_header,
                                const char *file, const char *no_header_hint, deid_error *err)
{
    memset(h, 0, sizeof *h);
    h->dup_first = h->dup_second = -1;
    h->dup_named_first = h->dup_named_second = -1;
    h->names = calloc(n ? n : 1, sizeof *h->names);
    h->keys = calloc(n ? n : 1, sizeof *h->keys);
    h->dup = calloc(n ? n : 1, 1);
    h->index = strmap_new(n ? n : 1);
    if (!h->names || !h->keys || !h->dup || !h->index)
        return err_set(err, DEID_E_IO, "out of memory");
    const char *kind;
    long data_at = has_header ? header_sniff_record(f, n, &kind) : -1;
    if (data_at >= 0) {
        err_set(err, DEID_E_DATA,
                "the first record looks like data (column %ld looks like %s); if the input has "
                "no header, %s",
                data_at + 1, kind, no_header_hint ? no_header_hint : "say `input header=no`");
        err_at_record(err, file, 0, 1, NULL);
        return DEID_E_DATA;
    }
    for (size_t i = 0; i < n; i++) {
        char pos[32];
        snprintf(pos, sizeof pos, "#%zu", i + 1);
        h->names[i] = has_header ? strndup(f[i].data, f[i].len) : strdup(pos);
        h->n = i + 1; /* colplan_header_free frees what this column holds */
        if (!h->names[i])
            return err_set(err, DEID_E_IO, "out of memory");
        if (has_header && strlen(h->names[i]) != f[i].len) {
            err_set(err, DEID_E_DATA, "header column %zu holds a NUL byte", i + 1);
            err_at_record(err, file, 0, 1, NULL);
            return DEID_E_DATA;
        }
        if (!(h->keys[i] = nfc_copy(h->names[i], strlen(h->names[i]))))
            return err_set(err, DEID_E_IO, "out of memory");
        uint32_t first;
        int rc = strmap_put(h->index, h->keys[i], strlen(h->keys[i]), (uint32_t)i, &first);
        if (rc < 0)
            return err_set(err, DEID_E_IO, "out of memory");
        if (rc == STRMAP_EXISTS && !h->dup[first]) {
            /* the second of its name: the pair a duplicate error names is
             * the one whose name sorts first */
            h->dup[first] = 1;
            if (h->dup_first < 0 || strcmp(h->keys[i], h->keys[h->dup_first]) < 0) {
                h->dup_first = first;
                h->dup_second = (long)i;
            }
            if (h->keys[i][0] && (h->dup_named_first < 0 ||
                                  strcmp(h->keys[i], h->keys[h->dup_named_first]) < 0)) {
                h->dup_named_first = first;
                h->dup_named_second = (long)i;
            }
        }
        if (rc == STRMAP_EXISTS)
            h->dup[i] = 1;
    }
    return DEID_OK;
}

void colplan_header_free(colplan_header *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free(h->names[i]);
        free(h->keys[i]);
    }
    free(h->names);
    free(h->keys);
    free(h->dup);
    strmap_free(h->index);
    memset(h, 0, sizeof *h);
}

long colplan_find(const colplan_header *h, const char *name, int *dup)
{
    size_t len = strlen(name);
    uint32_t at;
    /* the name as given is the key when it is NFC already (ASCII always) */
    int found = strmap_get(h->index, name, len, &at);
    if (!found && !is_ascii(name, len)) {
        char *key = nfc_copy(name, len);
        if (!key)
            return COLPLAN_NOMEM;
        found = strmap_get(h->index, key, strlen(key), &at);
        free(key);
    }
    if (!found)
        return -1;
    if (dup)
        *dup = h->dup[at];
    return (long)at;
}

int colplan_same_header(const colplan_header *h, const csv_field *f, size_t n)
{
    if (n != h->n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int same = same_nfc(f[i].data, f[i].len, h->keys[i], strlen(h->keys[i]));
        if (same != 1 && f[i].len == strlen(h->names[i]) &&
            !memcmp(f[i].data, h->names[i], f[i].len))
            same = 1; /* the first input's bytes exactly (its key may differ) */
        if (same != 1)
            return same;
    }
    return 1;
}

int colplan_same_name(const char *a, const char *b)
{
    return same_nfc(a, strlen(a), b, strlen(b));
}

int colplan_rule_for(const deid_rules *r, const char *name, const rule **out)
{
    *out = NULL;
    for (size_t i = 0; i < r->n_rules; i++) {
        if (r->rules[i].is_add)
            continue;
        int same = colplan_same_name(r->rules[i].column, name);
        if (same < 0)
            return -1;
        if (same) {
            *out = &r->rules[i];
            return 0;
        }
    }
    return 0;
}

/* ---- the plan ---------------------------------------------------------------- */

/* Only `input encoding=utf-8` lets a header that is not UTF-8 through
 * (any other encoding is decoded first): the likeliest cause of a missing
 * column then. */
static int header_is_utf8(const colplan_header *h)
{
    for (size_t i = 0; i < h->n; i++)
        if (utf8_count(h->names[i], strlen(h->names[i])) == SIZE_MAX)
            return 0;
    return 1;
}

static deid_status rules_error_at(const deid_rules *r, const rule *ru, unsigned long col,
                                  deid_error *err, const char *fmt, ...) DEID_PRINTF(5, 6);
static deid_status rules_error_at(const deid_rules *r, const rule *ru, unsigned long col,
                                  deid_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vset(err, DEID_E_RULES, fmt, ap);
    va_end(ap);
    err_at_rules(err, r->name, ru->line, col, ru->source_line);
    return DEID_E_RULES;
}

void colplan_free(colplan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_cols; i++) {
        free(p->cols[i].name);
        free(p->cols[i].label);
        free(p->cols[i].src);
    }
    free(p->cols);
    colplan_header_free(&p->header);
    free(p);
}

/* Gives the column a second input, the context column named ctx. */
static deid_status add_context(colplan_column *c, size_t ctx, deid_error *err)
{
    size_t *src = realloc(c->src, 2 * sizeof *src);
    if (!src)
        return err_set(err, DEID_E_IO, "out of memory");
    src[1] = ctx;
    c->src = src;
    c->n_src = 2;
    return DEID_OK;
}

/* Gives the column its also= (or by=) columns as inputs 1.. (after its own). */
static deid_status add_also(colplan_column *c, const colplan_header *h, const deid_rules *r,
                            const rule *ru, deid_error *err)
{
    size_t *src = realloc(c->src, (1 + ru->n_also) * sizeof *src);
    if (!src)
        return err_set(err, DEID_E_IO, "out of memory");
    c->src = src;
    for (size_t j = 0; j < ru->n_also; j++) {
        long idx = colplan_find(h, ru->also[j], NULL);
        if (idx == COLPLAN_NOMEM)
            return err_set(err, DEID_E_IO, "out of memory");
        if (idx < 0)
            return rules_error_at(r, ru, ru->also_col, err,
                                  "%s names column \"%s\", which the input does not have",
                                  ru->also_word, ru->also[j]);
        src[1 + j] = (size_t)idx;
    }
    c->n_src = 1 + ru->n_also;
    return DEID_OK;
}

/* 1 when name is a name the user wrote: a rule's column, context= or
 * from=, the quasi or sensitive line, reverse's --columns; 0 when not; -1
 * when out of memory. Only such names may be printed (colplan.h). */
static int named_by_user(const colplan_request *req, const char *name)
{
    const deid_rules *r = req->rules;
    const rules_privacy *rp = &r->privacy;
    int same = 0;
    for (size_t i = 0; i < r->n_rules && !same; i++) {
        const rule *ru = &r->rules[i];
        same = colplan_same_name(ru->column, name);
        if (!same && ru->context)
            same = colplan_same_name(ru->context, name);
        for (size_t j = 0; j < ru->n_from && !same; j++)
            same = colplan_same_name(ru->from[j], name);
        for (size_t j = 0; j < ru->n_also && !same; j++)
            same = colplan_same_name(ru->also[j], name);
    }
    for (size_t i = 0; i < rp->n_quasi && !same; i++)
        same = colplan_same_name(rp->quasi[i], name);
    for (size_t i = 0; i < rp->n_sensitive && !same; i++)
        same = colplan_same_name(rp->sensitive[i], name);
    for (size_t i = 0; i < req->n_only && !same; i++)
        same = colplan_same_name(req->only[i], name);
    return same;
}

/* Two header cells with one name: the name is printed only when the user
 * wrote it (a repeated cell of a headerless extract is a value). */
static deid_status duplicate_error(const colplan_header *h, long first, long second,
                                   const colplan_request *req, deid_error *err)
{
    const char *name = h->names[first];
    int named = named_by_user(req, name);
    if (named < 0)
        return err_set(err, DEID_E_IO, "out of memory");
    if (!name[0])
        err_set(err, DEID_E_DATA,
                "the header names column \"\" twice (columns %zu and %zu); to drop columns "
                "without a name (Excel's blank columns), say `input blank-columns=drop`",
                (size_t)first + 1, (size_t)second + 1);
    else if (named)
        err_set(err, DEID_E_DATA, "the header names column \"%s\" twice (columns %zu and %zu)",
                name, (size_t)first + 1, (size_t)second + 1);
    else
        err_set(err, DEID_E_DATA, "the header gives columns #%zu and #%zu the same name",
                (size_t)first + 1, (size_t)second + 1);
    err_at_record(err, req->file, 0, 1, NULL);
    return DEID_E_DATA;
}

/* One plan column per input column, named as the input names it and
 * labelled by that name only when the user named it too. */
static deid_status input_columns(colplan *p, const colplan_request *req, deid_error *err)
{
    for (size_t i = 0; i < p->header.n; i++) {
        colplan_column *c = &p->cols[i];
        c->name = strdup(p->header.names[i]);
        c->src = malloc(sizeof *c->src);
        p->n_cols = i + 1; /* colplan_free frees what this column holds */
        if (!c->name || !c->src)
            return err_set(err, DEID_E_IO, "out of memory");
        int named = req->has_header ? named_by_user(req, c->name) : 1;
        char pos[32];
        snprintf(pos, sizeof pos, "#%zu", i + 1);
        if (named < 0 || !(c->label = strdup(named ? c->name : pos)))
            return err_set(err, DEID_E_IO, "out of memory");
        c->src[0] = i;
        c->n_src = 1;
        c->blank = req->has_header && req->rules->drop_blank_columns && !c->name[0];
    }
    return DEID_OK;
}

static deid_status bind_rule(colplan *p, const deid_rules *r, const rule *ru, deid_error *err)
{
    const colplan_header *h = &p->header;
    if (ru->is_add) {
        long have = colplan_find(h, ru->column, NULL);
        if (have == COLPLAN_NOMEM)
            return err_set(err, DEID_E_IO, "out of memory");
        if (have >= 0)
            return rules_error_at(r, ru, ru->name_col, err,
                                  "add: the input already has a column \"%s\"", ru->column);
        colplan_column *c = &p->cols[p->n_cols++];
        c->name = strdup(ru->column);
        c->label = strdup(ru->column);
        c->src = calloc(ru->n_from ? ru->n_from : 1, sizeof *c->src);
        if (!c->name || !c->label || !c->src)
            return err_set(err, DEID_E_IO, "out of memory");
        c->n_src = ru->n_from;
        for (size_t j = 0; j < ru->n_from; j++) {
            long idx = colplan_find(h, ru->from[j], NULL);
            if (idx == COLPLAN_NOMEM)
                return err_set(err, DEID_E_IO, "out of memory");
            if (idx < 0)
                return rules_error_at(r, ru, ru->from_col, err,
                                      "from= names column \"%s\", which the input does not have",
                                      ru->from[j]);
            c->src[j] = (size_t)idx;
        }
        c->ru = ru;
        return DEID_OK;
    }
    long idx = colplan_find(h, ru->column, NULL);
    if (idx == COLPLAN_NOMEM)
        return err_set(err, DEID_E_IO, "out of memory");
    if (idx < 0)
        return rules_error_at(r, ru, ru->name_col, err, "the input has no column \"%s\"%s",
                              ru->column,
                              header_is_utf8(h) ? ""
                                                : " (its header is not UTF-8: if the file is "
                                                  "CP949, say `input encoding=cp949` or auto)");
    p->cols[idx].ru = ru;
    if (ru->n_also)
        return add_also(&p->cols[idx], h, r, ru, err);
    if (!ru->context)
        return DEID_OK;
    long ctx = colplan_find(h, ru->context, NULL);
    if (ctx == COLPLAN_NOMEM)
        return err_set(err, DEID_E_IO, "out of memory");
    if (ctx < 0)
        return rules_error_at(r, ru, ru->context_col, err,
                              "context= names column \"%s\", which the input does not have",
                              ru->context);
    return add_context(&p->cols[idx], (size_t)ctx, err);
}

/* default error: every input column must be named; lists all that are not. */
static deid_status check_covered(const colplan *p, const deid_rules *r, deid_error *err)
{
    dbuf list;
    dbuf_init(&list, 400);
    size_t missing = 0, listed = 0, unnamed = 0;
    for (size_t i = 0; i < p->header.n; i++) {
        if (p->cols[i].ru || p->cols[i].blank)
            continue;
        missing++;
        unnamed += !p->cols[i].name[0];
        if (dbuf_printf(&list, "%s%s", listed ? ", " : "", p->cols[i].label) == DBUF_OK)
            listed++;
    }
    if (missing) {
        const char *s = dbuf_cstr(&list);
        err_set(err, DEID_E_RULES,
                "%zu input column%s not covered by any rule: %s%s (add a `column` line for "
                "each, or `default keep` / `default drop`%s)",
                missing, missing == 1 ? " is" : "s are", s ? s : "", listed < missing ? ", ..." : "",
                unnamed ? "; a column without a name (Excel's blank column) is dropped by "
                          "`input blank-columns=drop`"
                        : "");
        err_at_file(err, r->name);
        dbuf_free(&list);
        return DEID_E_RULES;
    }
    dbuf_free(&list);
    return DEID_OK;
}

static deid_status bind_forward(colplan *p, const deid_rules *r, deid_error *err)
{
    for (size_t k = 0; k < r->n_rules; k++) {
        deid_status st = bind_rule(p, r, &r->rules[k], err);
        if (st)
            return st;
    }
    return r->default_policy == RULES_DEFAULT_ERROR ? check_covered(p, r, err) : DEID_OK;
}

/* 1: reverse restores column name if it can; 0: not asked for; -1: out of memory. */
static int asked_for(const colplan_request *req, const char *name)
{
    if (req->n_only == 0)
        return 1;
    for (size_t i = 0; i < req->n_only; i++) {
        int same = colplan_same_name(req->only[i], name);
        if (same)
            return same;
    }
    return 0;
}

static deid_status bind_reverse(colplan *p, const colplan_request *req, deid_error *err)
{
    const colplan_header *h = &p->header;
    for (size_t i = 0; i < h->n; i++) {
        colplan_column *c = &p->cols[i];
        const rule *ru;
        int asked = 0;
        if (colplan_rule_for(req->rules, c->name, &ru) < 0 ||
            (ru && ru->ops->reverse && (asked = asked_for(req, c->name)) < 0))
            return err_set(err, DEID_E_IO, "out of memory");
        if (!ru || !ru->ops->reverse || !asked)
            continue;
        c->ru = ru;
        c->reversing = 1;
        /* context=: the kept context column, found by name in this file */
        if (!ru->context)
            continue;
        long ctx = colplan_find(h, ru->context, NULL);
        if (ctx == COLPLAN_NOMEM)
            return err_set(err, DEID_E_IO, "out of memory");
        if (ctx < 0)
            return err_set(err, DEID_E_DATA, "column \"%s\" needs its context column \"%s\", "
                                             "which the input does not have",
                           c->label, ru->context);
        deid_status st = add_context(c, (size_t)ctx, err);
        if (st)
            return st;
    }
    /* Every column asked for must be there and reversible. */
    for (size_t k = 0; k < req->n_only; k++) {
        const char *name = req->only[k];
        long i = colplan_find(h, name, NULL);
        if (i == COLPLAN_NOMEM)
            return err_set(err, DEID_E_IO, "out of memory");
        if (i < 0)
            return err_set(err, DEID_E_USAGE,
                           "--columns names \"%s\", which the input does not have", name);
        const rule *ru;
        if (colplan_rule_for(req->rules, name, &ru) < 0)
            return err_set(err, DEID_E_IO, "out of memory");
        if (!p->cols[i].reversing)
            return err_set(err, DEID_E_USAGE, "column \"%s\" cannot be restored: %s", name,
                           ru ? "its transform is one-way" : "the rules have no rule for it");
    }
    return DEID_OK;
}

/* A value in a column that `input blank-columns=drop` drops: an empty one
 * is counted as empty by the lanes and never reaches here. */
static xf_result refuse_value(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                              const char **why)
{
    (void)state;
    (void)in;
    (void)n_in;
    (void)out;
    *why = "is not empty, but its column has no name: `input blank-columns=drop` drops only "
           "columns that are empty throughout";
    return XF_BAD_VALUE;
}

/* The transform of such a column: not written; any value stops the run. */
static const transform_ops blank_column_ops = {
    .name = "drop",
    .technique = "빈 열 삭제 (blank column dropped)",
    .apply = refuse_value,
};

/* The common end: each column's transform, what is written, level=auto. */
static deid_status finish(colplan *p, const colplan_request *req, deid_error *err)
{
    const deid_rules *r = req->rules;
    int reverse = req->direction == COLPLAN_REVERSE;
    p->max_src = 1;
    for (size_t i = 0; i < p->n_cols; i++) {
        colplan_column *c = &p->cols[i];
        if (c->ru) {
            c->ops = c->ru->ops;
            c->state = c->ru->state;
            c->on_error = c->ru->on_error;
        } else {
            c->ops = transform_find(r->default_policy == RULES_DEFAULT_DROP && !reverse ? "drop"
                                                                                      : "keep");
            c->on_error = ON_ERROR_FAIL;
        }
        if (c->blank) {
            c->ops = &blank_column_ops;
            c->state = NULL;
            c->on_error = ON_ERROR_FAIL;
        }
        c->written = !c->blank && !(c->ops->flags & XF_DROPS_COLUMN);
        c->needed = 1;
        p->n_out += c->written;
        if (c->n_src > p->max_src)
            p->max_src = c->n_src;
    }
    for (size_t i = 0; i < p->n_cols; i++) {
        colplan_column *c = &p->cols[i];
        c->auto_level = !reverse && c->ops->levels && c->ops->apply_level &&
                        c->ops->levels(c->state) > 0;
        if (c->auto_level && !req->measured)
            return rules_error_at(r, c->ru, c->ru->name_col, err,
                                  "column \"%s\" has level=auto, which needs `quasi` and "
                                  "`require` lines (the plan chooses the level)",
                                  c->name);
    }
    return DEID_OK;
}

deid_status colplan_bind(const colplan_request *req, const csv_field *f, size_t n, colplan **out,
                         deid_error *err)
{
    *out = NULL;
    colplan *p = calloc(1, sizeof *p);
    if (!p)
        return err_set(err, DEID_E_IO, "out of memory");
    deid_status st = colplan_header_read(&p->header, f, n, req->has_header, req->file,
                                         req->no_header_hint, err);
    int drop_blank = req->has_header && req->rules->drop_blank_columns;
    long dup_first = drop_blank ? p->header.dup_named_first : p->header.dup_first;
    long dup_second = drop_blank ? p->header.dup_named_second : p->header.dup_second;
    if (!st && dup_first >= 0)
        st = duplicate_error(&p->header, dup_first, dup_second, req, err);
    size_t n_adds = 0;
    for (size_t i = 0; req->direction == COLPLAN_FORWARD && i < req->rules->n_rules; i++)
        n_adds += req->rules->rules[i].is_add;
    if (!st && !(p->cols = calloc(n + n_adds ? n + n_adds : 1, sizeof *p->cols)))
        st = err_set(err, DEID_E_IO, "out of memory");
    if (!st)
        st = input_columns(p, req, err);
    if (!st)
        st = req->direction == COLPLAN_REVERSE ? bind_reverse(p, req, err)
                                               : bind_forward(p, req->rules, err);
    if (!st)
        st = finish(p, req, err);
    if (st) {
        colplan_free(p);
        return st;
    }
    *out = p;
    return DEID_OK;
}
