/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_csv.c - the CSV reader (csv_in) and the input side of a job.
 *
 * Input: byte 0 = options, byte 1 = chunking seed, the rest = CSV bytes.
 *   bits 0-1  delimiter: , ; | tab
 *   bit 2     header mode of the job run (header=yes / header=no)
 *   bits 3-5  the record callback stops the parse after that many records
 *             (0 = never), exercising the stop path
 *   bit 6     the bytes are fed as two inputs, split in the middle
 *             (finish restarts line numbers and BOM detection)
 * The oracle: the records (fields, lengths, lines) and the status must be
 * the same whether the bytes arrive at once or in chunks of 1..N bytes;
 * every field must be NUL-terminated and within the limits. Then the same
 * bytes go through a job (`default keep`) with that delimiter and header
 * mode, chunked as well, once on the caller's thread and once with 2
 * worker threads cutting the input into chunks of 1..61 bytes (csv_split,
 * pipeline): both must give the same status and output (fuzz_job_diff).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv_in.h"
#include "deid_limits.h"
#include "fuzz_common.h"

typedef struct trace {
    unsigned char *buf;
    size_t len, cap;
    size_t records;
    size_t stop_after;
} trace;

static void trace_add(trace *t, const void *p, size_t n)
{
    if (t->len + n > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n)
            cap *= 2;
        unsigned char *b = realloc(t->buf, cap);
        if (!b)
            fuzz_die("out of memory in the trace");
        t->buf = b;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, p, n);
    t->len += n;
}

static deid_status on_record(void *ctx, const csv_field *fields, size_t n, unsigned long line,
                             deid_error *err)
{
    trace *t = ctx;
    if (n == 0 || n > DEID_MAX_FIELDS || line == 0)
        fuzz_die("csv_in: bad record shape");
    trace_add(t, &line, sizeof line);
    trace_add(t, &n, sizeof n);
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (fields[i].len > DEID_MAX_FIELD_BYTES || fields[i].data[fields[i].len] != '\0')
            fuzz_die("csv_in: field over the limit or not NUL-terminated");
        total += fields[i].len;
        trace_add(t, &fields[i].len, sizeof fields[i].len);
        trace_add(t, fields[i].data, fields[i].len);
    }
    if (total > DEID_MAX_RECORD_BYTES)
        fuzz_die("csv_in: record over the limit");
    t->records++;
    if (t->stop_after && t->records == t->stop_after) {
        err->status = DEID_E_DATA;
        snprintf(err->message, sizeof err->message, "stopped by the fuzz callback");
        return DEID_E_DATA;
    }
    return DEID_OK;
}

/* Parses data as inputs (split at cut when 0 < cut < len) in chunks drawn
 * from seed (max_chunk 0: all at once). Records and statuses go to t. */
static void parse(trace *t, int delim, const uint8_t *data, size_t len, size_t cut,
                  uint32_t seed, size_t max_chunk)
{
    csv_in *in = csv_in_new(delim, on_record, t);
    if (!in)
        fuzz_die("csv_in_new failed");
    size_t bounds[3] = {0, cut > 0 && cut < len ? cut : len, len};
    for (int part = 0; part < 2; part++) {
        size_t at = bounds[part], end = bounds[part + 1];
        if (part == 1 && at == end)
            break;
        deid_error err;
        memset(&err, 0, sizeof err);
        deid_status st = DEID_OK;
        while (st == DEID_OK && at < end) {
            size_t n = max_chunk ? 1 + fuzz_next(&seed) % max_chunk : end - at;
            if (n > end - at)
                n = end - at;
            st = csv_in_feed(in, data + at, n, &err);
            at += n;
        }
        /* a failed feed keeps its status until finish, which resets */
        deid_status fst = csv_in_finish(in, &err);
        if (st == DEID_OK)
            st = fst;
        int s = (int)st;
        trace_add(t, &s, sizeof s);
        if (st != DEID_OK && st != DEID_E_DATA)
            fuzz_die("csv_in: unexpected status");
    }
    csv_in_free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int delims[4] = {',', ';', '|', '\t'};
    static const char *const delim_names[4] = {",", ";", "|", "tab"};
    if (size < 2)
        return 0;
    unsigned opt = data[0];
    uint32_t seed = data[1] | ((uint32_t)size << 8);
    const uint8_t *csv = data + 2;
    size_t len = size - 2;
    int di = opt & 3;
    size_t stop_after = (opt >> 3) & 7;
    size_t cut = (opt & 0x40) ? len / 2 : 0;
    size_t max_chunk = 1 + (data[1] % 64);

    trace whole = {0}, chunked = {0};
    whole.stop_after = chunked.stop_after = stop_after;
    parse(&whole, delims[di], csv, len, cut, seed, 0);
    parse(&chunked, delims[di], csv, len, cut, seed, max_chunk);
    if (whole.len != chunked.len || memcmp(whole.buf, chunked.buf, whole.len) != 0)
        fuzz_die("csv_in: chunked reading differs from reading at once");
    free(whole.buf);
    free(chunked.buf);

    /* the same bytes through a job, with the delimiter and header mode */
    char rules_text[128];
    int n = snprintf(rules_text, sizeof rules_text,
                     "input delimiter=%s header=%s\ndefault keep\n", delim_names[di],
                     (opt & 4) ? "yes" : "no");
    deid_rules *r = NULL;
    deid_error err;
    if (deid_rules_parse(rules_text, (size_t)n, "fuzz.rules", fuzz_tmpdir(), &r, &err) != DEID_OK)
        fuzz_die("fixed rules do not parse");
    deid_job_options o;
    memset(&o, 0, sizeof o);
    o.tmpdir = fuzz_tmpdir();
    o.out_delimiter = (opt & 0x80) ? ',' : 0;
    fuzz_job_diff(r, &o, csv, len, seed, max_chunk, 2, 1 + data[1] % 61u);
    deid_rules_free(r);
    return 0;
}
