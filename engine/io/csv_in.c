/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv_in.c - the CSV reader (see csv_in.h): libcsv in strict mode does the
 * quoting, this file turns its field/row callbacks into whole records with
 * the physical line each starts on, enforces the limits of deid_limits.h,
 * skips a leading UTF-8 BOM and blank lines. The only file that includes
 * csv.h or touches struct csv_parser.
 *
 * The fast path (csv_in_feed_in_place): a whole line that starts a record,
 * holds no CR (but a CRLF's) and no quote other than in quoted fields that
 * end on the line (csv_fast.h) is split by csv_fast.c without libcsv, its
 * fields handed out as pointers into the caller's buffer (a quoted field's
 * doubled quotes made single in place, and doubled again afterwards).
 * Everything else, and every line while libcsv is inside a record, goes
 * to libcsv as before, so both paths give the same records, lines and
 * errors: the fast path takes only lines that cannot break a limit or fail.
 */
#include <csv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytescan.h"
#include "csv_fast.h"
#include "csv_in.h"
#include "dbuf.h"
#include "deid_limits.h"
#include "err.h"

/* libcsv's entry buffer holds the field so far, the closing quote of a
 * quoted field (kept until libcsv knows it is not a doubled quote), the
 * NUL of CSV_APPEND_NULL, and libcsv grows it before looking at the next
 * byte. A field of exactly DEID_MAX_FIELD_BYTES therefore needs 3 more;
 * a full buffer of this size always means a field over the limit. */
#define ENTRY_MAX ((size_t)DEID_MAX_FIELD_BYTES + 3)
/* libcsv grows its buffer by a fixed block; we raise the block to the
 * current size between calls so that growth is geometric, not linear. */
#define ENTRY_BLOCK_MIN 4096u
/* Bytes handed to libcsv per call at most: bounds how long a record
 * callback's stop request waits, and lets the block size adapt. */
#define SLICE_MAX 65536u
#define FIELDS_INITIAL 16u
/* libcsv's parser state between records (libcsv.c's ROW_NOT_BEGUN; csv.h
 * does not name its states). */
#define LIBCSV_ROW_NOT_BEGUN 0

/* A fast-path line is at most SLICE_MAX bytes: it can break no byte limit. */
_Static_assert(SLICE_MAX <= DEID_MAX_FIELD_BYTES && SLICE_MAX <= DEID_MAX_RECORD_BYTES,
               "a fast-path line must fit every byte limit");

#define PARSER_OPTIONS (CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL)

static const unsigned char utf8_bom[3] = {0xEF, 0xBB, 0xBF};

struct csv_in {
    struct csv_parser p;
    csv_in_record_fn fn;
    void *ctx;
    unsigned char delim;
    int fast;               /* csv_in_feed_in_place may split lines itself */

    dbuf rec;               /* the record's fields, each followed by a NUL */
    size_t rec_bytes;       /* content bytes of rec (the NULs not counted) */
    csv_field *fields;      /* only len is kept while collecting */
    size_t n_fields;
    size_t cap_fields;
    unsigned long rec_line; /* physical line the current record starts on */

    /* LFs in delivered row terminators and completed fields: everything
     * before the field libcsv is working on now. */
    unsigned long lf_done;
    /* LFs in every byte handed to libcsv, for errors at a byte position. */
    unsigned long lf_raw;
    int mid_line;           /* the last byte fed was not LF */

    unsigned bom_pos;       /* BOM bytes matched so far (held back) */
    int bom_done;

    deid_status status;     /* first error of this input; sticky until finish */
    deid_error *err;        /* the caller's, during feed/finish */
};

static int never_space(unsigned char c)
{
    (void)c;
    return 0; /* libcsv would trim spaces and tabs around unquoted fields */
}

/* No context pointer reaches this, so the limit is a fixed size; libcsv
 * halves its request on NULL and ends with CSV_ENOMEM at exactly ENTRY_MAX. */
static void *entry_realloc(void *p, size_t n)
{
    return n > ENTRY_MAX ? NULL : realloc(p, n);
}

static void parser_setup(csv_in *in)
{
    csv_init(&in->p, PARSER_OPTIONS);
    csv_set_delim(&in->p, in->delim);
    csv_set_space_func(&in->p, never_space);
    csv_set_realloc_func(&in->p, entry_realloc);
    csv_set_free_func(&in->p, free);
}

/* Forgets everything about the current input (not the allocations). */
static void input_reset(csv_in *in)
{
    in->rec.len = 0;
    in->rec_bytes = 0;
    in->n_fields = 0;
    in->rec_line = 0;
    in->lf_done = 0;
    in->lf_raw = 0;
    in->mid_line = 0;
    in->bom_pos = 0;
    in->bom_done = 0;
    in->status = DEID_OK;
    in->err = NULL;
}

csv_in *csv_in_new(int delimiter, csv_in_record_fn fn, void *ctx)
{
    if (!fn || delimiter < 0 || delimiter > 255 || delimiter == '"' || delimiter == '\r' ||
        delimiter == '\n')
        return NULL;
    csv_in *in = calloc(1, sizeof *in);
    if (!in)
        return NULL;
    in->fn = fn;
    in->ctx = ctx;
    in->delim = (unsigned char)delimiter;
    const char *fast = getenv("DEID_CSV_FAST_PATH");
    in->fast = !(fast && strcmp(fast, "0") == 0);
    dbuf_init(&in->rec, (size_t)DEID_MAX_RECORD_BYTES + DEID_MAX_FIELDS);
    parser_setup(in);
    input_reset(in);
    return in;
}

void csv_in_free(csv_in *in)
{
    if (!in)
        return;
    csv_free(&in->p);
    dbuf_free(&in->rec);
    free(in->fields);
    free(in);
}

/* Records a failure found inside a libcsv callback (which cannot return
 * one) and fills the caller's error. */
static void fail(csv_in *in, deid_status status, unsigned long line, const char *fmt, ...)
    DEID_PRINTF(4, 5);
static void fail(csv_in *in, deid_status status, unsigned long line, const char *fmt, ...)
{
    char msg[sizeof in->err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    in->status = status;
    err_set(in->err, status, "%s", msg);
    if (in->err)
        in->err->line = line;
}

static void fail_field_too_long(csv_in *in, unsigned long line)
{
    fail(in, DEID_E_DATA, line,
         "field starting on line %lu is longer than %lu bytes (DEID_MAX_FIELD_BYTES)", line,
         (unsigned long)DEID_MAX_FIELD_BYTES);
}

/* Makes room for at least want fields (at most DEID_MAX_FIELDS), at least
 * doubling. Returns 0, or -1 on ENOMEM. */
static int fields_reserve(csv_in *in, size_t want)
{
    if (want > DEID_MAX_FIELDS)
        want = DEID_MAX_FIELDS;
    if (in->cap_fields >= want)
        return 0;
    size_t cap = in->cap_fields ? in->cap_fields * 2 : FIELDS_INITIAL;
    if (cap < want)
        cap = want;
    if (cap > DEID_MAX_FIELDS)
        cap = DEID_MAX_FIELDS;
    csv_field *f = realloc(in->fields, cap * sizeof *f);
    if (!f)
        return -1;
    in->fields = f;
    in->cap_fields = cap;
    return 0;
}

static unsigned long count_lf(const char *p, size_t len)
{
    return (unsigned long)bytescan_count(p, len, '\n');
}

static void on_field(void *s, size_t len, void *data)
{
    csv_in *in = data;
    if (in->status != DEID_OK)
        return;
    const char *buf = s;
    unsigned long start = in->lf_done + 1;
    if (in->n_fields == 0)
        in->rec_line = start;
    in->lf_done += count_lf(buf, len);

    if (len > DEID_MAX_FIELD_BYTES) {
        fail_field_too_long(in, start);
        return;
    }
    if (in->n_fields == DEID_MAX_FIELDS) {
        fail(in, DEID_E_DATA, in->rec_line,
             "record starting on line %lu has more than %lu fields (DEID_MAX_FIELDS)",
             in->rec_line, (unsigned long)DEID_MAX_FIELDS);
        return;
    }
    if (len > DEID_MAX_RECORD_BYTES - in->rec_bytes) {
        fail(in, DEID_E_DATA, in->rec_line,
             "record starting on line %lu is longer than %lu bytes (DEID_MAX_RECORD_BYTES)",
             in->rec_line, (unsigned long)DEID_MAX_RECORD_BYTES);
        return;
    }
    /* CSV_APPEND_NULL put a NUL at buf[len]: copy it along. */
    if ((in->n_fields == in->cap_fields && fields_reserve(in, in->n_fields + 1) != 0) ||
        dbuf_append(&in->rec, buf, len + 1) != DBUF_OK) {
        fail(in, DEID_E_IO, start, "out of memory reading line %lu", start);
        return;
    }
    in->rec_bytes += len;
    in->fields[in->n_fields++].len = len;
}

static void on_row(int c, void *data)
{
    csv_in *in = data;
    if (in->status != DEID_OK)
        return;
    /* With CSV_REPALL_NL a blank line, and the LF of a CRLF, arrive as rows
     * without fields. */
    if (in->n_fields > 0) {
        size_t off = 0;
        for (size_t i = 0; i < in->n_fields; i++) {
            in->fields[i].data = in->rec.data + off;
            off += in->fields[i].len + 1;
        }
        deid_status st = in->fn(in->ctx, in->fields, in->n_fields, in->rec_line, in->err);
        in->n_fields = 0;
        in->rec.len = 0;
        in->rec_bytes = 0;
        if (st != DEID_OK) {
            in->status = st; /* the callback filled err */
            return;
        }
    }
    if (c == '\n')
        in->lf_done++;
}

/* libcsv stopped at a bad byte: malformed quoting, or its buffer could not
 * grow (the field limit, or memory). */
static deid_status parse_error(csv_in *in, unsigned char bad)
{
    unsigned long line = in->lf_raw + 1;
    if (csv_error(&in->p) == CSV_EPARSE) {
        /* In a quoted field a quote is always legal (closing or doubled);
         * a quote only fails inside an unquoted field. */
        fail(in, DEID_E_DATA, line, "malformed quoting on line %lu: %s", line,
             bad == '"' ? "a quote inside an unquoted field" : "text after a closing quote");
    } else if (csv_get_buffer_size(&in->p) >= ENTRY_MAX) {
        fail_field_too_long(in, in->lf_done + 1);
    } else {
        fail(in, DEID_E_IO, line, "out of memory reading line %lu", line);
    }
    return in->status;
}

/* libcsv holds nothing of a record: the next byte starts one. */
static int at_record_start(const csv_in *in)
{
    return in->p.pstate == LIBCSV_ROW_NOT_BEGUN && in->p.entry_pos == 0 && in->n_fields == 0;
}

/* A quoted field's raw content p[0..*len), whose quotes come in pairs
 * (csv_fast.c), made its value in place: each pair becomes one quote and
 * *len shrinks by the number of pairs. */
static void undouble(char *p, size_t *len)
{
    char *q = memchr(p, '"', *len);
    if (!q)
        return;
    size_t out = (size_t)(q - p);
    for (size_t i = out; i < *len; i++) {
        p[out++] = p[i];
        if (p[i] == '"')
            i++; /* the pair's second quote */
    }
    *len = out;
}

/* Undoes undouble on p[0..len) holding quotes quotes: the raw content
 * grows back to len + quotes bytes, written from the end. */
static void redouble(char *p, size_t len, size_t quotes)
{
    size_t j = len + quotes;
    for (size_t i = len; quotes > 0 && i-- > 0;) {
        p[--j] = p[i];
        if (p[i] == '"') {
            p[--j] = '"';
            quotes--;
        }
    }
}

/* The fast path for line[0..n), which ends with its LF and starts a record.
 * Returns 0 when the line is libcsv's (blank, a quote csv_fast.c does not
 * take, a stray CR, too many fields, no memory for the field table), 1
 * when it was delivered, -1 when the callback failed (in->status set).
 * Each field's end byte (a delimiter, closing quote or line end) is a NUL
 * during the callback and put back after it, as are doubled quotes. */
static int fast_record(csv_in *in, char *line, size_t n)
{
    size_t len = n - 1;
    if (len > 0 && line[len - 1] == '\r')
        len--; /* CRLF: libcsv ends the record at the CR and skips the LF */
    if (len == 0 || fields_reserve(in, FIELDS_INITIAL) != 0)
        return 0;
    size_t nf = csv_fast_fields(line, len, in->delim, in->fields, in->cap_fields, CSV_FAST_BEST);
    if (nf == CSV_FAST_TOO_MANY && in->cap_fields < DEID_MAX_FIELDS) {
        /* a line of len bytes has at most len + 1 fields */
        if (fields_reserve(in, len + 1) != 0)
            return 0;
        nf = csv_fast_fields(line, len, in->delim, in->fields, in->cap_fields, CSV_FAST_BEST);
    }
    if (nf == 0 || nf == CSV_FAST_TOO_MANY)
        return 0;
    char line_end = line[len];
    for (size_t i = 0; i < nf; i++) {
        char *data = line + (in->fields[i].data - line);
        if (data > line && data[-1] == '"')
            undouble(data, &in->fields[i].len);
        data[in->fields[i].len] = '\0';
    }
    unsigned long first = in->lf_raw + 1; /* == lf_done + 1 between records */
    in->rec_line = first;
    deid_status st = in->fn(in->ctx, in->fields, nf, first, in->err);
    for (size_t i = 0; i < nf; i++) {
        /* a quoted field ended at its closing quote, the others at a
         * delimiter or the line's end */
        char *data = line + (in->fields[i].data - line);
        size_t flen = in->fields[i].len;
        if (data > line && data[-1] == '"') {
            size_t quotes = bytescan_count(data, flen, '"');
            redouble(data, flen, quotes);
            data[flen + quotes] = '"';
        } else {
            data[flen] = i + 1 < nf ? (char)in->delim : line_end;
        }
    }
    line[len] = line_end;
    in->lf_done++;
    if (st != DEID_OK) {
        in->status = st; /* the callback filled err */
        return -1;
    }
    return 1;
}

/* Hands bytes to libcsv, one line (or SLICE_MAX bytes) per call, so that the
 * only LF in a slice is its last byte. With writable (d's bytes are the
 * caller's to change for a moment), whole lines that start a record and
 * that csv_fast.c can split take the fast path instead. */
static deid_status parse(csv_in *in, const unsigned char *d, size_t len, int writable)
{
    int fast = writable && in->fast;
    while (len > 0) {
        size_t span = len < SLICE_MAX ? len : SLICE_MAX;
        const unsigned char *nl = memchr(d, '\n', span);
        size_t n = nl ? (size_t)(nl - d) + 1 : span;
        /* d came in as a pointer to writable bytes (csv_in_feed_in_place) */
        int took = fast && nl && at_record_start(in) ? fast_record(in, (char *)(uintptr_t)d, n) : 0;
        if (took < 0)
            return in->status;
        if (!took) {
            size_t blk = csv_get_buffer_size(&in->p);
            csv_set_blk_size(&in->p, blk < ENTRY_BLOCK_MIN ? ENTRY_BLOCK_MIN : blk);
            size_t done = csv_parse(&in->p, d, n, on_field, on_row, in);
            if (in->status != DEID_OK)
                return in->status;
            if (done < n)
                return parse_error(in, d[done]);
        }
        if (nl)
            in->lf_raw++;
        d += n;
        len -= n;
    }
    return DEID_OK;
}

static deid_status already_failed(csv_in *in, deid_error *err)
{
    err_set(err, in->status, "CSV input abandoned after an earlier error");
    return in->status;
}

static deid_status feed(csv_in *in, const unsigned char *d, size_t len, int writable,
                        deid_error *err)
{
    if (in->status != DEID_OK)
        return already_failed(in, err);
    if (len == 0)
        return DEID_OK;
    in->err = err;
    in->mid_line = d[len - 1] != '\n';
    /* The BOM may arrive a byte at a time: hold matching bytes back until
     * all three are seen, hand them to libcsv if the match fails. */
    while (!in->bom_done && len > 0) {
        if (d[0] == utf8_bom[in->bom_pos]) {
            d++;
            len--;
            if (++in->bom_pos == sizeof utf8_bom)
                in->bom_done = 1;
        } else {
            in->bom_done = 1;
            deid_status st = parse(in, utf8_bom, in->bom_pos, 0);
            if (st != DEID_OK)
                return st;
        }
    }
    return parse(in, d, len, writable);
}

deid_status csv_in_feed(csv_in *in, const void *data, size_t len, deid_error *err)
{
    return feed(in, data, len, 0, err);
}

deid_status csv_in_feed_in_place(csv_in *in, void *data, size_t len, deid_error *err)
{
    return feed(in, data, len, 1, err);
}

void csv_in_set_fast(csv_in *in, int on)
{
    in->fast = on != 0;
}

deid_status csv_in_finish(csv_in *in, deid_error *err)
{
    deid_status st = DEID_OK;
    in->err = err;
    if (in->status != DEID_OK)
        st = already_failed(in, err);
    else if (!in->bom_done && in->bom_pos > 0)
        st = parse(in, utf8_bom, in->bom_pos, 0); /* an input of only "\xEF" or "\xEF\xBB" */
    if (st == DEID_OK) {
        if (csv_fini(&in->p, on_field, on_row, in) != 0) {
            /* CSV_STRICT_FINI: the last field's closing quote never came. */
            unsigned long line = in->lf_done + 1;
            st = err_set(err, DEID_E_DATA, "unterminated quoted field starting on line %lu",
                         line);
            if (err)
                err->line = line;
        } else {
            st = in->status;
        }
    }
    if (st != DEID_OK) {
        /* libcsv keeps its state after an error: start it afresh. */
        csv_free(&in->p);
        parser_setup(in);
    }
    input_reset(in);
    return st;
}

void csv_in_begin(csv_in *in, unsigned long first_line, int bom)
{
    in->lf_done = in->lf_raw = first_line ? first_line - 1 : 0;
    in->bom_done = !bom;
    in->bom_pos = 0;
}

unsigned long csv_in_line(const csv_in *in)
{
    return in->lf_raw + (in->mid_line ? 1 : 0);
}
