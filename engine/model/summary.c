/* SPDX-License-Identifier: Apache-2.0 */
/*
 * summary.c - mergeable summaries of parts of an input (see summary.h):
 * the tuple table, its canonical text, and the reader that merges a
 * summary file into a table.
 *
 * A tuple's key is its values as (u64 length, bytes) pairs, as the check's
 * lanes key a record's combination; the map numbers tuples in insertion
 * order, and per tuple arrays hold its count and first (part, record).
 * The written order is by (part, record): it is the order of the tuples'
 * first records in the whole input, whatever order the parts came in.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "dbuf.h"
#include "deid_limits.h"
#include "encode.h"
#include "strmap.h"
#include "summary_int.h"

#define WRITE_FLUSH_BYTES (64u << 10)


static char *copy_str(const char *s)
{
    return s ? strdup(s) : NULL;
}

summary *summary_new(const summary_shape *shape, mem_budget *budget)
{
    if (!shape || !shape->kind || !shape->token || !shape->n_quasi ||
        shape->n_quasi + shape->n_sensitive > DEID_MAX_FIELDS)
        return NULL;
    summary *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->budget = budget;
    s->n_quasi = shape->n_quasi;
    s->n_sens = shape->n_sensitive;
    const char *rules = shape->rules_sha256 && shape->rules_sha256[0] ? shape->rules_sha256 : "-";
    s->kind = copy_str(shape->kind);
    s->rules = copy_str(rules);
    s->token = copy_str(shape->token);
    s->names = calloc(s->n_quasi + s->n_sens, sizeof *s->names);
    s->map = strmap_new(DEID_MAX_CLASSES);
    dbuf_init(&s->key, (size_t)DEID_MAX_RECORD_BYTES + 8u * DEID_MAX_FIELDS);
    int ok = s->kind && s->rules && s->token && s->names && s->map &&
             strmap_set_budget(s->map, budget) == 0;
    for (size_t i = 0; ok && i < s->n_quasi + s->n_sens; i++) {
        const char *n = i < s->n_quasi ? shape->quasi[i] : shape->sensitive[i - s->n_quasi];
        ok = n && (s->names[i] = strdup(n));
    }
    if (ok && shape->header) {
        s->header_set = 1;
        ok = summary_set_header(s, shape->header, shape->n_header) == 0;
    }
    if (!ok) {
        summary_free(s);
        return NULL;
    }
    return s;
}

int summary_set_header(summary *s, const char *const *names, size_t n)
{
    char **h = calloc(n ? n : 1, sizeof *h);
    if (!h)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!(h[i] = strdup(names[i]))) {
            while (i-- > 0)
                free(h[i]);
            free(h);
            return -1;
        }
    s->header = h;
    s->n_header = n;
    s->header_set = 1;
    return 0;
}

const char *const *summary_header(const summary *s, size_t *n_header)
{
    *n_header = s->n_header;
    return (const char *const *)s->header;
}

void summary_free(summary *s)
{
    if (!s)
        return;
    for (size_t i = 0; s->names && i < s->n_quasi + s->n_sens; i++)
        free(s->names[i]);
    free(s->names);
    for (size_t i = 0; i < s->n_header; i++)
        free(s->header[i]);
    free(s->header);
    free(s->kind);
    free(s->rules);
    free(s->token);
    strmap_free(s->map);
    mem_budget_release(s->budget, s->cap * (3 * sizeof(uint64_t) + sizeof(uint32_t)));
    free(s->count);
    free(s->part);
    free(s->record);
    free(s->file);
    free(s->parts);
    dbuf_wipe(&s->key); /* data values */
    free(s);
}

int summary_has_part(const uint64_t *parts, size_t n, uint64_t part, size_t *at)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (parts[mid] < part)
            lo = mid + 1;
        else
            hi = mid;
    }
    *at = lo;
    return lo < n && parts[lo] == part;
}

deid_status summary_add_part(summary *s, uint64_t part, deid_error *err)
{
    size_t at;
    if (summary_has_part(s->parts, s->n_parts, part, &at))
        return err_set(err, DEID_E_DATA, "part %llu is in more than one summary",
                       (unsigned long long)part);
    if (s->n_parts >= SUMMARY_MAX_PARTS)
        return err_set(err, DEID_E_DATA, "more than %u parts", SUMMARY_MAX_PARTS);
    if (s->n_parts == s->parts_cap) {
        size_t cap = s->parts_cap ? 2 * s->parts_cap : 16;
        uint64_t *grown = realloc(s->parts, cap * sizeof *grown);
        if (!grown)
            return err_set(err, DEID_E_IO, "out of memory");
        s->parts = grown;
        s->parts_cap = cap;
    }
    memmove(s->parts + at + 1, s->parts + at, (s->n_parts - at) * sizeof *s->parts);
    s->parts[at] = part;
    s->n_parts++;
    return DEID_OK;
}

/* Room for one more tuple in the per-tuple arrays. */
static int reserve_tuple(summary *s, size_t n)
{
    if (n < s->cap)
        return SUMMARY_OK;
    size_t cap = s->cap ? 2 * s->cap : 256;
    size_t per = 3 * sizeof(uint64_t) + sizeof(uint32_t);
    if (mem_budget_charge(s->budget, (cap - s->cap) * per))
        return SUMMARY_EBUDGET;
    uint64_t *c = realloc(s->count, cap * sizeof *c);
    if (c)
        s->count = c;
    uint64_t *p = c ? realloc(s->part, cap * sizeof *p) : NULL;
    if (p)
        s->part = p;
    uint64_t *r = p ? realloc(s->record, cap * sizeof *r) : NULL;
    if (r)
        s->record = r;
    uint32_t *f = r ? realloc(s->file, cap * sizeof *f) : NULL;
    if (f)
        s->file = f;
    if (!f) {
        mem_budget_release(s->budget, (cap - s->cap) * per);
        return SUMMARY_ENOMEM;
    }
    s->cap = cap;
    return SUMMARY_OK;
}

static int put_key(summary *s, const xf_value *qi, const xf_value *sens)
{
    dbuf_reset(&s->key);
    int rc = DBUF_OK;
    for (size_t i = 0; i < s->n_quasi + s->n_sens && !rc; i++) {
        const xf_value *v = i < s->n_quasi ? &qi[i] : &sens[i - s->n_quasi];
        uint64_t len = v->len;
        rc = dbuf_append(&s->key, &len, sizeof len);
        rc = rc ? rc : dbuf_append(&s->key, v->data, v->len);
    }
    return rc;
}

int summary_add_tuple(summary *s, const xf_value *qi, const xf_value *sens, uint64_t count,
                     uint64_t part, uint64_t record, uint32_t reader)
{
    if (count > UINT64_MAX - s->records)
        return SUMMARY_EFULL;
    if (put_key(s, qi, sens))
        return SUMMARY_ENOMEM;
    size_t n = strmap_count(s->map);
    int rc = reserve_tuple(s, n);
    if (rc)
        return rc;
    uint32_t at;
    rc = strmap_put(s->map, s->key.data, s->key.len, (uint32_t)n, &at);
    if (rc == STRMAP_EBUDGET)
        return SUMMARY_EBUDGET;
    if (rc == STRMAP_EFULL)
        return SUMMARY_EFULL;
    if (rc < 0)
        return SUMMARY_ENOMEM;
    if (rc == STRMAP_ADDED) {
        s->count[at] = count;
        s->part[at] = part;
        s->record[at] = record;
        s->file[at] = reader;
    } else {
        if (reader && s->file[at] == reader)
            return SUMMARY_EOVERLAP; /* the same tuple twice in one file */
        if (s->part[at] == part && s->record[at] == record)
            return SUMMARY_EOVERLAP;
        if (part < s->part[at] || (part == s->part[at] && record < s->record[at])) {
            s->part[at] = part;
            s->record[at] = record;
        }
        s->count[at] += count;
        s->file[at] = reader;
    }
    s->records += count;
    return SUMMARY_OK;
}

int summary_add(summary *s, const xf_value *qi, const xf_value *sens, uint64_t count,
                uint64_t part, uint64_t record)
{
    return count ? summary_add_tuple(s, qi, sens, count, part, record, 0) : SUMMARY_OK;
}

uint64_t summary_records(const summary *s)
{
    return s->records;
}

size_t summary_tuples(const summary *s)
{
    return strmap_count(s->map);
}

/* ---- the canonical order ---------------------------------------------------- */

typedef struct order_entry {
    uint64_t part, record;
    const char *key;
    size_t len;
    uint32_t tuple;
} order_entry;

static int order_cmp(const void *pa, const void *pb)
{
    const order_entry *a = pa, *b = pb;
    if (a->part != b->part)
        return a->part < b->part ? -1 : 1;
    if (a->record != b->record)
        return a->record < b->record ? -1 : 1;
    /* Equal first records only in a hostile file: still one order. */
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->key, b->key, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* The tuples in canonical order (caller frees), or NULL on ENOMEM (and
 * for an empty summary, with *n 0). */
static order_entry *ordered(const summary *s, size_t *n)
{
    *n = strmap_count(s->map);
    if (*n == 0)
        return NULL;
    order_entry *o = malloc(*n * sizeof *o);
    if (!o)
        return NULL;
    for (size_t i = 0; i < *n; i++) {
        uint32_t v;
        strmap_entry(s->map, i, &o[i].key, &o[i].len, &v);
        o[i].tuple = v;
        o[i].part = s->part[v];
        o[i].record = s->record[v];
    }
    qsort(o, *n, sizeof *o, order_cmp);
    return o;
}

/* The values of a key, into vals[0..n) (pointing into the key). */
static void split_key(const char *key, size_t n, xf_value *vals)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t len;
        memcpy(&len, key, sizeof len);
        key += sizeof len;
        vals[i].data = key;
        vals[i].len = (size_t)len;
        key += len;
    }
}

int summary_each(const summary *s, summary_tuple_fn fn, void *ctx)
{
    size_t n, width = s->n_quasi + s->n_sens;
    order_entry *o = ordered(s, &n);
    xf_value *vals = calloc(width, sizeof *vals);
    if ((n && !o) || !vals) {
        free(o);
        free(vals);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        split_key(o[i].key, width, vals);
        rc = fn(ctx, vals, vals + s->n_quasi, s->count[o[i].tuple]);
    }
    free(o);
    free(vals);
    return rc;
}

/* ---- writing ------------------------------------------------------------------- */

typedef struct writer {
    dbuf buf;
    EVP_MD_CTX *sha;
    summary_put_fn put;
    void *ctx;
    int failed;          /* put refused */
} writer;

static int flush(writer *w)
{
    if (!w->buf.len)
        return 0;
    if (!EVP_DigestUpdate(w->sha, w->buf.data, w->buf.len))
        return -1;
    if (w->put(w->ctx, w->buf.data, w->buf.len)) {
        w->failed = 1;
        return -1;
    }
    dbuf_reset(&w->buf);
    return 0;
}

static int put_hex(dbuf *b, const char *data, size_t len)
{
    if (len == 0)
        return dbuf_putc(b, '-');
    if (dbuf_reserve(b, 2 * len + 1))
        return -1;
    encode_hex(data, len, b->data + b->len);
    b->len += 2 * len;
    return 0;
}

static int put_names(dbuf *b, const char *what, char *const *names, size_t n)
{
    int rc = dbuf_printf(b, "%s %zu", what, n);
    for (size_t i = 0; i < n && !rc; i++) {
        rc = dbuf_putc(b, ' ');
        rc = rc ? rc : put_hex(b, names[i], strlen(names[i]));
    }
    return rc ? rc : dbuf_putc(b, '\n');
}

static int write_header(const summary *s, dbuf *b, size_t n_tuples)
{
    int rc = dbuf_printf(b, "deid-summary %d %s\nrules %s\ntoken ", SUMMARY_VERSION, s->kind,
                         s->rules);
    rc = rc ? rc : put_hex(b, s->token, strlen(s->token));
    rc = rc ? rc : dbuf_putc(b, '\n');
    rc = rc ? rc : put_names(b, "quasi", s->names, s->n_quasi);
    rc = rc ? rc : put_names(b, "sensitive", s->names + s->n_quasi, s->n_sens);
    rc = rc ? rc : put_names(b, "header", s->header, s->n_header);
    rc = rc ? rc : dbuf_printf(b, "parts %zu", s->n_parts);
    for (size_t i = 0; i < s->n_parts && !rc; i++)
        rc = dbuf_printf(b, " %llu", (unsigned long long)s->parts[i]);
    return rc ? rc : dbuf_printf(b, "\ntuples %zu records %llu\n", n_tuples,
                                 (unsigned long long)s->records);
}

deid_status summary_write(const summary *s, summary_put_fn put, void *ctx, deid_error *err)
{
    size_t n, width = s->n_quasi + s->n_sens;
    order_entry *o = ordered(s, &n);
    xf_value *vals = calloc(width, sizeof *vals);
    writer w = {.sha = EVP_MD_CTX_new(), .put = put, .ctx = ctx};
    dbuf_init(&w.buf, SIZE_MAX);
    int rc = (n && !o) || !vals || !w.sha || !EVP_DigestInit_ex(w.sha, EVP_sha256(), NULL) ? -1
             : write_header(s, &w.buf, n);
    for (size_t i = 0; i < n && !rc; i++) {
        uint32_t t = o[i].tuple;
        split_key(o[i].key, width, vals);
        rc = dbuf_printf(&w.buf, "t %llu %llu %llu", (unsigned long long)s->part[t],
                         (unsigned long long)s->record[t], (unsigned long long)s->count[t]);
        for (size_t v = 0; v < width && !rc; v++) {
            rc = dbuf_putc(&w.buf, ' ');
            rc = rc ? rc : put_hex(&w.buf, vals[v].data, vals[v].len);
        }
        rc = rc ? rc : dbuf_putc(&w.buf, '\n');
        if (!rc && w.buf.len >= WRITE_FLUSH_BYTES)
            rc = flush(&w);
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned md_len = 0;
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    rc = rc ? rc : flush(&w);
    if (!rc && (!EVP_DigestFinal_ex(w.sha, md, &md_len) || md_len != 32))
        rc = -1;
    if (!rc) {
        encode_hex(md, md_len, hex);
        rc = dbuf_printf(&w.buf, "end %s\n", hex);
        /* the end line is outside its own checksum: put it directly */
        if (!rc && put(ctx, w.buf.data, w.buf.len)) {
            w.failed = 1;
            rc = -1;
        }
    }
    free(o);
    free(vals);
    dbuf_wipe(&w.buf); /* data values */
    EVP_MD_CTX_free(w.sha);
    if (rc)
        return err_set(err, DEID_E_IO, w.failed ? "cannot write the summary" : "out of memory");
    return DEID_OK;
}

