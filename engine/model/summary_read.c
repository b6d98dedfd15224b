/* SPDX-License-Identifier: Apache-2.0 */
/*
 * summary_read.c - reading a summary file (format in summary.h) into a
 * summary, merging it with what the summary holds. Every line is checked
 * against the format and the run's shape before its tuples count, and
 * the end line's SHA-256 against the bytes before it: a truncated,
 * changed or foreign file fails with its name and line, never half-read
 * into figures.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "deid_limits.h"
#include "encode.h"
#include "summary_int.h"


enum { R_MAGIC, R_RULES, R_TOKEN, R_QUASI, R_SENSITIVE, R_HEADER, R_PARTS, R_TUPLES, R_BODY, R_END,
       R_DONE };

struct summary_reader {
    summary *s;
    const char *name;
    uint32_t id;
    int state;
    unsigned long line_no;
    dbuf line;              /* the line being gathered */
    dbuf value;             /* decoded values of a tuple line */
    xf_value *vals;
    size_t *starts;         /* where each value starts in value, and its end */
    uint64_t *parts;        /* this file's parts */
    size_t n_parts;
    uint64_t tuples, records, seen_tuples, seen_records;
    uint64_t last_part, last_record; /* of the previous tuple line */
    size_t charged;         /* bytes of line and value charged to the budget */
    EVP_MD_CTX *sha;
};

summary_reader *summary_reader_new(summary *into, const char *name)
{
    summary_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->s = into;
    r->name = name ? name : "-";
    r->id = ++into->readers;
    dbuf_init(&r->line, SUMMARY_MAX_LINE);
    dbuf_init(&r->value, SUMMARY_MAX_LINE / 2 + 1);
    r->vals = calloc(into->n_quasi + into->n_sens, sizeof *r->vals);
    r->starts = calloc(into->n_quasi + into->n_sens + 1, sizeof *r->starts);
    r->sha = EVP_MD_CTX_new();
    if (!r->vals || !r->starts || !r->sha || !EVP_DigestInit_ex(r->sha, EVP_sha256(), NULL)) {
        summary_reader_free(r);
        return NULL;
    }
    return r;
}

void summary_reader_free(summary_reader *r)
{
    if (!r)
        return;
    mem_budget_release(r->s->budget, r->charged);
    dbuf_wipe(&r->line);
    dbuf_wipe(&r->value);
    free(r->vals);
    free(r->starts);
    free(r->parts);
    EVP_MD_CTX_free(r->sha);
    free(r);
}

static deid_status bad(summary_reader *r, deid_error *err, const char *fmt, ...)
    DEID_PRINTF(3, 4);
static deid_status bad(summary_reader *r, deid_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vset(err, DEID_E_DATA, fmt, ap);
    va_end(ap);
    err_at_rules(err, r->name, r->line_no, 0, NULL);
    return DEID_E_DATA;
}

/* The next space-separated word of a line at *p (end at end). */
static int next_word(const char **p, const char *end, const char **w, size_t *len)
{
    if (*p >= end)
        return -1;
    const char *s = *p;
    const char *sp = memchr(s, ' ', (size_t)(end - s));
    *w = s;
    *len = sp ? (size_t)(sp - s) : (size_t)(end - s);
    *p = sp ? sp + 1 : end;
    return *len ? 0 : -1; /* two spaces in a row, or a trailing one */
}

/* A decimal number without sign or leading zero. */
static int parse_u64(const char *w, size_t len, uint64_t *out)
{
    if (!len || len > 20 || (len > 1 && w[0] == '0'))
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (w[i] < '0' || w[i] > '9')
            return -1;
        unsigned d = (unsigned)(w[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* Decodes a hex word ("-": empty) onto the end of r->value; *at is where
 * it starts. */
static int decode_hex(summary_reader *r, const char *w, size_t len, size_t *at, size_t *n)
{
    *at = r->value.len;
    *n = 0;
    if (len == 1 && w[0] == '-')
        return 0;
    if (len % 2 || dbuf_reserve(&r->value, len / 2 + 1) ||
        encode_hex_decode(w, len, (unsigned char *)r->value.data + r->value.len))
        return -1;
    r->value.len += len / 2;
    *n = len / 2;
    return 0;
}

/* 0 when the hex word w is exactly text. */
static int same_hex(summary_reader *r, const char *w, size_t len, const char *text)
{
    size_t at, n;
    dbuf_reset(&r->value);
    if (decode_hex(r, w, len, &at, &n))
        return -1;
    return n == strlen(text) && !memcmp(r->value.data + at, text, n) ? 0 : -1;
}

static int word_is(const char *w, size_t len, const char *lit)
{
    return len == strlen(lit) && !memcmp(w, lit, len);
}

static deid_status read_names(summary_reader *r, const char *p, const char *end,
                              const char *what, char *const *names, size_t n, deid_error *err)
{
    const char *w;
    size_t len;
    uint64_t count;
    if (next_word(&p, end, &w, &len) || !word_is(w, len, what))
        return bad(r, err, "expected the %s line", what);
    if (next_word(&p, end, &w, &len) || parse_u64(w, len, &count))
        return bad(r, err, "malformed %s line", what);
    if (count != n)
        return bad(r, err, "the %s columns differ from this run's", what);
    for (size_t i = 0; i < n; i++)
        if (next_word(&p, end, &w, &len) || same_hex(r, w, len, names[i]))
            return bad(r, err, "the %s columns differ from this run's", what);
    return p == end ? DEID_OK : bad(r, err, "malformed %s line", what);
}

/* The header line: the same names as the summary's, or the first file's. */
static deid_status read_header_names(summary_reader *r, const char *p, const char *end,
                                     deid_error *err)
{
    summary *s = r->s;
    if (s->header_set)
        return read_names(r, p, end, "header", s->header, s->n_header, err);
    const char *w;
    size_t len, at, n;
    uint64_t count;
    if (next_word(&p, end, &w, &len) || !word_is(w, len, "header") ||
        next_word(&p, end, &w, &len) || parse_u64(w, len, &count) || count > DEID_MAX_FIELDS)
        return bad(r, err, "%s", "malformed header line");
    char **names = calloc(count ? (size_t)count : 1, sizeof *names);
    deid_status st = names ? DEID_OK : err_set(err, DEID_E_IO, "out of memory");
    for (size_t i = 0; !st && i < count; i++) {
        dbuf_reset(&r->value);
        if (next_word(&p, end, &w, &len) || decode_hex(r, w, len, &at, &n) ||
            (n && memchr(r->value.data, '\0', n)))
            st = bad(r, err, "%s", "malformed header line");
        else if (!(names[i] = strndup(n ? r->value.data : "", n)))
            st = err_set(err, DEID_E_IO, "out of memory");
    }
    if (!st && p != end)
        st = bad(r, err, "%s", "malformed header line");
    if (!st && summary_set_header(s, (const char *const *)names, (size_t)count))
        st = err_set(err, DEID_E_IO, "out of memory");
    for (size_t i = 0; names && i < count; i++)
        free(names[i]);
    free(names);
    return st;
}

static deid_status read_parts(summary_reader *r, const char *p, const char *end, deid_error *err)
{
    const char *w;
    size_t len;
    uint64_t n;
    if (next_word(&p, end, &w, &len) || !word_is(w, len, "parts") ||
        next_word(&p, end, &w, &len) || parse_u64(w, len, &n) ||
        n > SUMMARY_MAX_PARTS)
        return bad(r, err, "%s", "malformed parts line");
    if (!(r->parts = malloc((size_t)(n ? n : 1) * sizeof *r->parts)))
        return err_set(err, DEID_E_IO, "out of memory");
    for (uint64_t i = 0; i < n; i++) {
        uint64_t part;
        if (next_word(&p, end, &w, &len) || parse_u64(w, len, &part) ||
            (i && part <= r->parts[i - 1]))
            return bad(r, err, "%s", "malformed parts line (parts must ascend)");
        r->parts[r->n_parts++] = part;
    }
    if (p != end)
        return bad(r, err, "%s", "malformed parts line");
    for (size_t i = 0; i < r->n_parts; i++) {
        deid_status st = summary_add_part(r->s, r->parts[i], err);
        if (st == DEID_E_DATA) {
            err_set(err, DEID_E_DATA,
                    "part %llu is covered by an earlier summary too (was a part given twice?)",
                    (unsigned long long)r->parts[i]);
            err_at_rules(err, r->name, r->line_no, 0, NULL);
        }
        if (st)
            return st;
    }
    return DEID_OK;
}

static deid_status read_tuple(summary_reader *r, const char *p, const char *end, deid_error *err)
{
    summary *s = r->s;
    const char *w;
    size_t len, at;
    uint64_t part, record, count;
    if (next_word(&p, end, &w, &len) || !word_is(w, len, "t") ||
        next_word(&p, end, &w, &len) || parse_u64(w, len, &part) ||
        next_word(&p, end, &w, &len) || parse_u64(w, len, &record) ||
        next_word(&p, end, &w, &len) || parse_u64(w, len, &count))
        return bad(r, err, "%s", "malformed tuple line");
    if (record == 0 || count == 0)
        return bad(r, err, "%s", "a tuple line with record or count 0");
    if (!summary_has_part(r->parts, r->n_parts, part, &at))
        return bad(r, err, "%s", "a tuple line names a part the summary does not cover");
    if (r->seen_tuples && (part < r->last_part || (part == r->last_part &&
                                                   record <= r->last_record)))
        return bad(r, err, "%s", "tuple lines out of order");
    r->last_part = part;
    r->last_record = record;
    size_t width = s->n_quasi + s->n_sens;
    dbuf_reset(&r->value);
    for (size_t i = 0; i < width; i++) {
        size_t n;
        if (next_word(&p, end, &w, &len) || decode_hex(r, w, len, &r->starts[i], &n))
            return bad(r, err, "%s", "malformed value in a tuple line");
    }
    if (p != end)
        return bad(r, err, "%s", "a tuple line has more values than columns");
    /* pointers only now: the buffer may have moved while it grew */
    r->starts[width] = r->value.len;
    for (size_t i = 0; i < width; i++) {
        r->vals[i].data = r->value.data ? r->value.data + r->starts[i] : "";
        r->vals[i].len = r->starts[i + 1] - r->starts[i];
    }
    if (count > UINT64_MAX - r->seen_records)
        return bad(r, err, "%s", "the record counts overflow");
    int rc = summary_add_tuple(s, r->vals, r->vals + s->n_quasi, count, part, record, r->id);
    if (rc == SUMMARY_EOVERLAP)
        return bad(r, err, "%s", "a tuple appears twice");
    if (rc == SUMMARY_EFULL)
        return bad(r, err, "%s", "too many tuples or records (DEID_MAX_CLASSES)");
    if (rc == SUMMARY_EBUDGET)
        return mem_budget_error(s->budget, "the merged summary", MEM_BUDGET_UNCOUNTED, err);
    if (rc)
        return err_set(err, DEID_E_IO, "out of memory");
    r->seen_tuples++;
    r->seen_records += count;
    return DEID_OK;
}

static deid_status read_header(summary_reader *r, const char *p, const char *end,
                               deid_error *err)
{
    summary *s = r->s;
    const char *w;
    size_t len;
    uint64_t v;
    switch (r->state) {
    case R_MAGIC:
        if (next_word(&p, end, &w, &len) || !word_is(w, len, "deid-summary"))
            return bad(r, err, "%s", "not a deid summary (no \"deid-summary\" line)");
        if (next_word(&p, end, &w, &len) || parse_u64(w, len, &v) || v != SUMMARY_VERSION)
            return bad(r, err, "a summary of another version (this deid reads version %s)",
                       "1");
        if (next_word(&p, end, &w, &len) || !word_is(w, len, s->kind) || p != end)
            return bad(r, err, "not a summary of a `deid %s`", s->kind);
        return DEID_OK;
    case R_RULES:
        if (next_word(&p, end, &w, &len) || !word_is(w, len, "rules") ||
            next_word(&p, end, &w, &len) || p != end)
            return bad(r, err, "%s", "malformed rules line");
        if (!word_is(w, len, s->rules))
            return bad(r, err, "%s", "made with other rules than this run's (their SHA-256 differ)");
        return DEID_OK;
    case R_TOKEN:
        if (next_word(&p, end, &w, &len) || !word_is(w, len, "token") ||
            next_word(&p, end, &w, &len) || p != end)
            return bad(r, err, "%s", "malformed token line");
        if (same_hex(r, w, len, s->token))
            return bad(r, err, "%s", "made with another suppression token than this run's");
        return DEID_OK;
    case R_QUASI:
        return read_names(r, p, end, "quasi", s->names, s->n_quasi, err);
    case R_SENSITIVE:
        return read_names(r, p, end, "sensitive", s->names + s->n_quasi, s->n_sens, err);
    case R_HEADER:
        return read_header_names(r, p, end, err);
    case R_PARTS:
        return read_parts(r, p, end, err);
    case R_TUPLES:
        if (next_word(&p, end, &w, &len) || !word_is(w, len, "tuples") ||
            next_word(&p, end, &w, &len) || parse_u64(w, len, &r->tuples) ||
            next_word(&p, end, &w, &len) || !word_is(w, len, "records") ||
            next_word(&p, end, &w, &len) || parse_u64(w, len, &r->records) || p != end)
            return bad(r, err, "%s", "malformed tuples line");
        return DEID_OK;
    }
    return bad(r, err, "%s", "internal error: unknown reader state");
}

static deid_status read_end(summary_reader *r, const char *p, const char *end, deid_error *err)
{
    const char *w;
    size_t len;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned md_len = 0;
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    if (next_word(&p, end, &w, &len) || !word_is(w, len, "end") ||
        next_word(&p, end, &w, &len) || p != end)
        return bad(r, err, "%s", "malformed end line");
    if (!EVP_DigestFinal_ex(r->sha, md, &md_len) || md_len != 32)
        return err_set(err, DEID_E_IO, "cannot compute a SHA-256");
    encode_hex(md, md_len, hex);
    if (!word_is(w, len, hex))
        return bad(r, err, "%s", "the checksum on the end line does not match: the file was changed");
    return DEID_OK;
}

/* One complete line (without its line feed). */
static deid_status read_line(summary_reader *r, const char *p, size_t n, deid_error *err)
{
    const char *end = p + n;
    deid_status st;
    r->line_no++;
    if (r->state == R_DONE)
        return bad(r, err, "%s", "more text after the end line");
    if (r->state == R_BODY && r->seen_tuples == r->tuples)
        r->state = R_END;
    if (r->state == R_END) {
        if (r->seen_records != r->records)
            return bad(r, err, "%s", "the tuple counts do not add up to the records line");
        st = read_end(r, p, end, err);
    } else if (r->state == R_BODY) {
        st = read_tuple(r, p, end, err);
    } else {
        st = read_header(r, p, end, err);
    }
    if (st)
        return st;
    if (r->state != R_END && !EVP_DigestUpdate(r->sha, p, n + 1))
        return err_set(err, DEID_E_IO, "cannot compute a SHA-256");
    if (r->state == R_END)
        r->state = R_DONE;
    else if (r->state != R_BODY)
        r->state++; /* the header's lines in order; R_TUPLES leads to R_BODY */
    return DEID_OK;
}

/* Charges the growth of the line and value buffers to the summary's
 * budget (--memory): a summary line may be as long as a record's values
 * hex-encoded, SUMMARY_MAX_LINE, which a small budget must refuse. The
 * growth of one line is charged once it happened (it is bounded by
 * SUMMARY_MAX_LINE). Returns DEID_OK, or the budget's error at line_no. */
static deid_status charge_buffers(summary_reader *r, unsigned long line_no, deid_error *err)
{
    size_t now = r->line.cap + r->value.cap;
    if (now <= r->charged)
        return DEID_OK;
    if (mem_budget_charge(r->s->budget, now - r->charged)) {
        mem_budget_error(r->s->budget, "a summary line being read", MEM_BUDGET_UNCOUNTED, err);
        err_at_rules(err, r->name, line_no, 0, NULL);
        return DEID_E_IO;
    }
    r->charged = now;
    return DEID_OK;
}

deid_status summary_reader_feed(summary_reader *r, const void *data, size_t len, deid_error *err)
{
    const char *p = data, *end = p + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t take = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        if (dbuf_append(&r->line, p, take)) {
            r->line_no++;
            return bad(r, err, "%s", "a line longer than any summary line can be");
        }
        p += take;
        if (!nl)
            break;
        /* the line feed is in the buffer: the checksum covers it */
        deid_status st = charge_buffers(r, r->line_no + 1, err);
        st = st ? st : read_line(r, r->line.data, r->line.len - 1, err);
        st = st ? st : charge_buffers(r, r->line_no, err);
        dbuf_reset(&r->line);
        if (st)
            return st;
    }
    return charge_buffers(r, r->line_no + 1, err);
}

deid_status summary_reader_end(summary_reader *r, deid_error *err)
{
    if (r->line.len) {
        r->line_no++;
        return bad(r, err, "%s", "truncated: the last line has no line feed");
    }
    if (r->state != R_DONE) {
        r->line_no++;
        return bad(r, err, "%s", "truncated: the summary stops before its end line");
    }
    return DEID_OK;
}
