/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lane_text.c - a lane's input decoding and output encoding (see
 * lane_text.h for how `auto` decides).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytescan.h"
#include "deid_limits.h"
#include "err.h"
#include "lane_text.h"

/* A converted record may grow by half (a CP949 pair becomes three UTF-8
 * bytes), plus one NUL per field. */
#define DECODED_MAX ((size_t)DEID_MAX_RECORD_BYTES * 2 + DEID_MAX_FIELDS)

static const unsigned char utf8_bom[3] = {0xEF, 0xBB, 0xBF};

struct lane_text {
    text_conv *conv;
    session *sess;          /* the chunk's */
    deid_encoding enc;      /* the input's, AUTO until decided */
    int declared_utf8;      /* utf-8 was declared: bytes go on as they are (below) */
    int lane0;              /* the chunk is worked on the caller's thread */
    dbuf buf;               /* decoded fields, one after another */
    size_t *offs;           /* per field: its offset in buf, or SIZE_MAX: unchanged */
    csv_field *fields;      /* what lane_text_record hands out */
    size_t cap;
    /* Output values apart: they may be the decoded fields themselves. */
    dbuf out_buf;
    size_t *out_offs, *out_lens;
    size_t out_cap;
};

lane_text *lane_text_new(void)
{
    lane_text *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    dbuf_init(&t->buf, DECODED_MAX);
    dbuf_init(&t->out_buf, DECODED_MAX);
    if (!(t->conv = text_conv_new())) {
        free(t);
        return NULL;
    }
    return t;
}

void lane_text_free(lane_text *t)
{
    if (!t)
        return;
    text_conv_free(t->conv);
    dbuf_wipe(&t->buf);
    dbuf_wipe(&t->out_buf);
    free(t->offs);
    free(t->fields);
    free(t->out_offs);
    free(t->out_lens);
    free(t);
}

static int ensure(lane_text *t, size_t n)
{
    if (n <= t->cap)
        return 0;
    size_t cap = n < 16 ? 16 : n;
    size_t *o = realloc(t->offs, cap * sizeof *o);
    if (o)
        t->offs = o;
    csv_field *f = realloc(t->fields, cap * sizeof *f);
    if (f)
        t->fields = f;
    if (!o || !f)
        return -1;
    t->cap = cap;
    return 0;
}

static int ensure_out(lane_text *t, size_t n)
{
    if (n <= t->out_cap)
        return 0;
    size_t cap = n < 16 ? 16 : n;
    size_t *o = realloc(t->out_offs, cap * sizeof *o);
    if (o)
        t->out_offs = o;
    size_t *l = realloc(t->out_lens, cap * sizeof *l);
    if (l)
        t->out_lens = l;
    if (!o || !l)
        return -1;
    t->out_cap = cap;
    return 0;
}

deid_status lane_text_start(lane_text *t, session *s, pipe_chunk *c)
{
    t->sess = s;
    t->enc = session_encoding(s);
    t->declared_utf8 = session_encoding_declared(s) == DEID_ENCODING_UTF8;
    t->lane0 = c->first_line != 0;
    int bom = c->at_input_start && c->in.len >= 3 && !memcmp(c->in.data, utf8_bom, 3);
    if (bom && t->enc == DEID_ENCODING_AUTO) {
        session_decide_encoding(s, DEID_ENCODING_UTF8); /* the input's first chunk: lane 0 */
        t->enc = DEID_ENCODING_UTF8;
    } else if (bom && t->enc != DEID_ENCODING_UTF8) {
        err_set(&c->err, DEID_E_DATA,
                "the input starts with a UTF-8 byte order mark, but its encoding is given as "
                "%s: say encoding=utf-8 or auto",
                textenc_name(t->enc));
        err_at_record(&c->err, NULL, 0, 1, NULL);
        return DEID_E_DATA;
    }
    if (t->enc == DEID_ENCODING_AUTO && !t->lane0 && !textenc_is_ascii(c->in.data, c->in.len))
        return DEID_E_DATA; /* run again on lane 0, where the decision is made in order */
    return DEID_OK;
}

/* The first field with a non-ASCII byte, or n. */
static size_t first_non_ascii(const csv_field *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!textenc_is_ascii(f[i].data, f[i].len))
            return i;
    return n;
}

static int utf8_cont(const char *p)
{
    return ((unsigned char)*p & 0xC0) == 0x80;
}

/* Returns 1 when the n (> 0) fields lie in order in one stretch of memory
 * with little between them (as the CSV reader hands them out: a
 * delimiter, quote or NUL), each starts and ends at a character boundary
 * (its first byte and the byte after it, its NUL at worst, are no
 * continuation bytes) and the stretch is valid UTF-8: then each field is
 * valid UTF-8, found in one SSE2 pass instead of a call per field. 0 says
 * nothing about the fields. */
static int span_utf8(const csv_field *f, size_t n)
{
    const char *lo = f[0].data, *end = lo;
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        const char *d = f[i].data;
        if (d < end || (f[i].len && (utf8_cont(d) || utf8_cont(d + f[i].len))))
            return 0;
        end = d + f[i].len;
        bytes += f[i].len + 3;
    }
    return (size_t)(end - lo) <= bytes && textenc_utf8_ok(lo, (size_t)(end - lo));
}

static int all_utf8(const csv_field *f, size_t n, size_t *bad_field, size_t *bad_at)
{
    if (n && span_utf8(f, n))
        return 1;
    for (size_t i = 0; i < n; i++)
        if (!textenc_valid_utf8(f[i].data, f[i].len, bad_at)) {
            *bad_field = i;
            return 0;
        }
    return 1;
}

static unsigned long lines_before(const csv_field *f, size_t field, size_t at)
{
    unsigned long k = 0;
    for (size_t i = 0; i < field; i++)
        k += (unsigned long)bytescan_count(f[i].data, f[i].len, '\n');
    return k + (unsigned long)bytescan_count(f[field].data, at, '\n');
}

static deid_status bad_byte(const csv_field *f, size_t field, size_t at, const char *what,
                            size_t *bad_field, unsigned long *extra_lines, deid_error *err)
{
    *bad_field = field;
    *extra_lines = lines_before(f, field, at);
    /* the byte's offset, never the bytes: they are part of a value */
    return err_set(err, DEID_E_DATA, "byte %zu of the value is not %s", at + 1, what);
}

/* Converts the non-ASCII fields of (f, n), from index first on, into t. */
static deid_status decode(lane_text *t, const csv_field *f, size_t n, size_t first,
                          const char *what, size_t *bad_field, unsigned long *extra_lines,
                          deid_error *err)
{
    dbuf_reset(&t->buf);
    for (size_t i = 0; i < n; i++) {
        t->offs[i] = SIZE_MAX;
        if (i < first || textenc_is_ascii(f[i].data, f[i].len))
            continue;
        size_t at = t->buf.len, bad = 0;
        int rc = text_conv_decode(t->conv, t->enc, f[i].data, f[i].len, &t->buf, &bad);
        if (rc == TEXTENC_BAD)
            return bad_byte(f, i, bad, what, bad_field, extra_lines, err);
        if (rc != TEXTENC_OK || dbuf_putc(&t->buf, '\0') != DBUF_OK)
            return err_set(err, DEID_E_IO,
                           "out of memory converting a record (or it grew past %zu bytes)",
                           (size_t)DECODED_MAX);
        t->offs[i] = at;
        t->fields[i].len = t->buf.len - at - 1;
    }
    /* pointers only now: buf may have moved while it grew */
    for (size_t i = 0; i < n; i++) {
        if (t->offs[i] == SIZE_MAX)
            t->fields[i] = f[i];
        else
            t->fields[i].data = t->buf.data + t->offs[i];
    }
    return DEID_OK;
}

deid_status lane_text_record(lane_text *t, const csv_field *f, size_t n, const csv_field **out,
                             size_t *bad_field, unsigned long *extra_lines, deid_error *err)
{
    *out = f;
    size_t first = first_non_ascii(f, n);
    if (first == n)
        return DEID_OK;
    size_t bf = 0, at = 0;
    const char *neither = NULL;
    if (t->enc == DEID_ENCODING_AUTO) {
        if (!t->lane0) /* lane_text_start declined such chunks: defensive */
            return err_set(err, DEID_E_IO, "internal error: encoding not decided on a worker");
        /* This record decides the input's encoding. */
        int utf8 = all_utf8(f + first, n - first, &bf, &at);
        t->enc = utf8 ? DEID_ENCODING_UTF8 : DEID_ENCODING_CP949;
        session_decide_encoding(t->sess, t->enc);
        if (!utf8)
            neither = "valid UTF-8 or CP949 (encoding=auto)";
    }
    if (t->enc == DEID_ENCODING_UTF8) {
        /* Declared UTF-8 is taken at its word, as before encodings were
         * read: a transform that needs text refuses a value that is not
         * UTF-8 under its on-error policy. A guess (auto) is checked. */
        if (!t->declared_utf8 && !all_utf8(f + first, n - first, &bf, &at))
            return bad_byte(f, first + bf, at,
                            "valid UTF-8 (encoding=auto found UTF-8 in an earlier record)",
                            bad_field, extra_lines, err);
        return DEID_OK;
    }
    if (ensure(t, n))
        return err_set(err, DEID_E_IO, "out of memory");
    char what[64];
    snprintf(what, sizeof what, "valid %s", t->enc == DEID_ENCODING_EUCKR ? "EUC-KR" : "CP949");
    deid_status st = decode(t, f, n, first, neither ? neither : what, bad_field, extra_lines, err);
    if (!st)
        *out = t->fields;
    return st;
}

/* Characters of UTF-8 text before byte at: bytes that are not continuations. */
static size_t chars_before(const char *p, size_t at)
{
    size_t k = 0;
    for (size_t i = 0; i < at; i++)
        k += ((unsigned char)p[i] & 0xC0) != 0x80;
    return k;
}

deid_status lane_text_read(lane_text *t, const pipe_chunk *c, int has_header, const char *input,
                           const colplan *plan, const csv_field **f, size_t n,
                           unsigned long line, deid_error *err)
{
    size_t bad;
    unsigned long extra;
    deid_status st = lane_text_record(t, *f, n, f, &bad, &extra, err);
    if (st) {
        char label[24];
        /* the header is record 0: err_at_record then names only its line */
        uint64_t record = c->first_record && has_header ? 0 : c->record_base + c->records + 1;
        err_at_record(err, input, record, line + extra, lane_text_field_label(plan, bad, label));
    }
    return st;
}

const char *lane_text_field_label(const colplan *plan, size_t i, char buf[24])
{
    for (size_t c = 0; plan && c < plan->n_cols; c++)
        if (plan->cols[c].n_src > 0 && plan->cols[c].src[0] == i && plan->cols[c].label)
            return plan->cols[c].label;
    snprintf(buf, 24, "#%zu", i + 1);
    return buf;
}

deid_status lane_text_encode(lane_text *t, deid_encoding enc, xf_value *vals, size_t n,
                             size_t *bad, deid_error *err)
{
    if (enc != DEID_ENCODING_CP949 && enc != DEID_ENCODING_EUCKR)
        return DEID_OK;
    if (ensure_out(t, n))
        return err_set(err, DEID_E_IO, "out of memory");
    dbuf_reset(&t->out_buf);
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        t->out_offs[i] = SIZE_MAX;
        if (textenc_is_ascii(vals[i].data, vals[i].len))
            continue;
        size_t at = t->out_buf.len, where = 0;
        int rc = text_conv_encode(t->conv, enc, vals[i].data, vals[i].len, &t->out_buf, &where);
        if (rc == TEXTENC_BAD) {
            *bad = i;
            return err_set(err, DEID_E_DATA,
                           "character %zu of the output value cannot be written in %s",
                           chars_before(vals[i].data, where) + 1, textenc_name(enc));
        }
        if (rc != TEXTENC_OK)
            return err_set(err, DEID_E_IO, "out of memory converting the output");
        t->out_offs[i] = at;
        t->out_lens[i] = t->out_buf.len - at;
        any = 1;
    }
    for (size_t i = 0; any && i < n; i++)
        if (t->out_offs[i] != SIZE_MAX) {
            vals[i].data = t->out_buf.data + t->out_offs[i];
            vals[i].len = t->out_lens[i];
        }
    return DEID_OK;
}
