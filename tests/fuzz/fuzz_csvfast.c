/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_csvfast.c - the CSV reader's fast path against libcsv.
 *
 * Input: byte 0 = options, byte 1 = seed, the rest = CSV bytes.
 *   bits 0-1  delimiter: , ; | tab
 *   bit 2     header mode of the job run (header=yes / header=no)
 *   bits 3-5  the record callback stops the parse after that many records
 *             (0 = never)
 *   bit 6     the bytes are two inputs, split in the middle
 *   bit 7     fed in pieces of 1..64 bytes drawn from the seed (else at
 *             once, as the pipeline feeds a chunk)
 * Oracles: csv_in_feed (libcsv only) and csv_in_feed_in_place (fast path)
 * give the same records, lines, status, error line and message; the fast
 * path leaves its buffer as it found it and its fields NUL-terminated.
 * Then a `default keep` job with 2 worker threads and 1..61-byte chunks,
 * run with DEID_CSV_FAST_PATH=0 and without: same status, record, line,
 * message and output.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv_in.h"
#include "fuzz_common.h"

typedef struct trace {
    fuzz_buf b;
    size_t records, stop_after;
} trace;

static deid_status on_record(void *ctx, const csv_field *f, size_t n, unsigned long line,
                             deid_error *err)
{
    trace *t = ctx;
    fuzz_buf_add(&t->b, &line, sizeof line);
    fuzz_buf_add(&t->b, &n, sizeof n);
    for (size_t i = 0; i < n; i++) {
        if (f[i].data[f[i].len] != '\0')
            fuzz_die("csv_in: a field is not NUL-terminated");
        fuzz_buf_add(&t->b, &f[i].len, sizeof f[i].len);
        fuzz_buf_add(&t->b, f[i].data, f[i].len);
    }
    if (t->stop_after && ++t->records == t->stop_after) {
        err->status = DEID_E_DATA;
        snprintf(err->message, sizeof err->message, "stopped by the fuzz callback");
        err->line = 1;
        return DEID_E_DATA;
    }
    return DEID_OK;
}

/* Reads data (two inputs when 0 < cut < len) with the fast path on or
 * off, in pieces drawn from seed when max_piece > 0, into t. */
static void read_csv(trace *t, int delim, const uint8_t *data, size_t len, size_t cut,
                     uint32_t seed, size_t max_piece, int fast)
{
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy)
        fuzz_die("out of memory");
    memcpy(copy, data, len);
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
            size_t n = max_piece ? 1 + fuzz_next(&seed) % max_piece : end - at;
            if (n > end - at)
                n = end - at;
            st = fast ? csv_in_feed_in_place(in, copy + at, n, &err)
                      : csv_in_feed(in, data + at, n, &err);
            at += n;
        }
        deid_status fst = csv_in_finish(in, &err);
        if (st == DEID_OK)
            st = fst;
        int s = (int)st;
        fuzz_buf_add(&t->b, &s, sizeof s);
        if (st != DEID_OK) {
            fuzz_buf_add(&t->b, &err.line, sizeof err.line);
            fuzz_buf_add(&t->b, err.message, strlen(err.message));
        }
    }
    if (memcmp(copy, data, len) != 0)
        fuzz_die("csv_in: the fast path left its buffer changed");
    csv_in_free(in);
    free(copy);
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
    size_t cut = (opt & 0x40) ? len / 2 : 0;
    size_t max_piece = (opt & 0x80) ? 1 + data[1] % 64 : 0;

    trace slow = {{0}, 0, (opt >> 3) & 7}, fast = {{0}, 0, (opt >> 3) & 7};
    read_csv(&slow, delims[di], csv, len, cut, seed, max_piece, 0);
    read_csv(&fast, delims[di], csv, len, cut, seed, max_piece, 1);
    if (slow.b.len != fast.b.len || memcmp(slow.b.p, fast.b.p, slow.b.len) != 0)
        fuzz_die("csv_in: the fast path reads differently from libcsv");
    free(slow.b.p);
    free(fast.b.p);

    /* a whole job, fast path off and on */
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
    o.threads = 2;
    o.chunk_bytes = 1 + data[1] % 61u;
    fuzz_buf a = {0}, b = {0};
    setenv("DEID_CSV_FAST_PATH", "0", 1);
    deid_status sa = fuzz_run_job(r, &o, csv, len, seed, 1 + data[1] % 97u, &a);
    deid_error ea = fuzz_last_err;
    unsetenv("DEID_CSV_FAST_PATH");
    deid_status sb = fuzz_run_job(r, &o, csv, len, seed, 1 + data[1] % 97u, &b);
    deid_error eb = fuzz_last_err;
    if (sa != sb || ea.record != eb.record || ea.line != eb.line ||
        strcmp(ea.message, eb.message) != 0)
        fuzz_die("job: the fast path ends differently from libcsv");
    if (a.len != b.len || (a.len && memcmp(a.p, b.p, a.len) != 0))
        fuzz_die("job: the fast path writes different output");
    free(a.p);
    free(b.p);
    deid_rules_free(r);
    return 0;
}
