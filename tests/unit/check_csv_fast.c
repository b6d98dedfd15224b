/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_csv_fast.c - the CSV reader's fast path against libcsv.
 *
 * - The three line scans (SSE2 or best, SWAR, bytewise) against a split
 *   written here, on random lines.
 * - Generated inputs (quoted and quote-free records, CRLF, lone CRs, blank
 *   lines, BOMs, bad quoting, many fields, a callback that stops) read with
 *   the fast path off (csv_in_feed) and on (csv_in_feed_in_place), in
 *   random pieces: the same records, lines, status, error line and message.
 * - Which path a record took: fast-path fields point into the caller's
 *   buffer, libcsv's into the reader's; the test switches turn it off.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytescan.h"
#include "csv_fast.h"
#include "csv_in.h"
#include "deid_limits.h"

static uint32_t rng_next(uint32_t *s)
{
    /* xorshift32: a fixed, seeded sequence, so a failure repeats */
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* ---- the scans ----------------------------------------------------------- */

/* The expected split, field by field, written independently of
 * csv_fast.c: an unquoted field holds no quote and no CR; a quoted one
 * opens at the field's start, holds no CR and no quote but doubled ones
 * (given raw) and closes before a delimiter or the line's end. 0 on
 * anything else, CSV_FAST_TOO_MANY past max fields. */
static size_t reference_split(const char *p, size_t len, char delim, size_t *starts,
                              size_t *lens, size_t max)
{
    size_t n = 0, i = 0;
    for (;;) {
        size_t start, flen;
        if (i < len && p[i] == '"') {
            size_t j = i + 1;
            for (; j < len; j++) {
                if (p[j] == '\r')
                    return 0;
                if (p[j] == '"' && j + 1 < len && p[j + 1] == '"')
                    j++; /* a doubled quote, kept raw */
                else if (p[j] == '"')
                    break;
            }
            if (j == len || (j + 1 < len && p[j + 1] != delim))
                return 0;
            start = i + 1;
            flen = j - i - 1;
            i = j + 1;
        } else {
            size_t j = i;
            for (; j < len && p[j] != delim; j++)
                if (p[j] == '"' || p[j] == '\r')
                    return 0;
            start = i;
            flen = j - i;
            i = j;
        }
        if (n == max)
            return CSV_FAST_TOO_MANY;
        starts[n] = start;
        lens[n++] = flen;
        if (i == len)
            return n;
        i++; /* the delimiter */
    }
}

/* Fills line[0..len) with fields of random bytes from alphabet, some of
 * them quoted (their content without a quote but for a rare doubled or
 * stray one), so
 * that quoted fields of every length meet the block boundaries. */
static void gen_quoted_line(char *line, size_t len, char delim, const char *alphabet,
                            size_t alpha_len, uint32_t *seed)
{
    size_t i = 0;
    while (i < len) {
        size_t flen = rng_next(seed) % 24;
        int quoted = rng_next(seed) % 2 && i + 2 <= len;
        if (quoted)
            line[i++] = '"';
        for (size_t k = 0; k < flen && i < len - (size_t)quoted; k++) {
            char c = alphabet[rng_next(seed) % alpha_len];
            if (c == '"') {
                unsigned r = rng_next(seed) % 8;
                if (quoted && r < 6 && i + 2 < len)
                    line[i++] = '"'; /* doubled */
                else if (r < 7)
                    c = 'q'; /* else a stray quote */
            }
            if (c == '\r' && rng_next(seed) % 4)
                c = 'r';
            line[i++] = c;
        }
        if (quoted)
            line[i++] = '"';
        if (i < len)
            line[i++] = delim;
    }
}

START_TEST(scans_agree_with_reference)
{
    static const char alphabet[] = "ab,;|\t\"\r\n\x80\xEA";
    static const char delims[] = ",;|\t";
    uint32_t seed = 12345;
    char line[200];
    csv_field got[64];
    size_t starts[64], lens[64];
    size_t split_quoted = 0;
    for (int iter = 0; iter < 40000; iter++) {
        size_t len = rng_next(&seed) % sizeof line;
        char delim = delims[rng_next(&seed) % 4];
        unsigned kind = rng_next(&seed) % 4;
        if (kind == 3) {
            gen_quoted_line(line, len, delim, alphabet, sizeof alphabet - 1, &seed);
        } else {
            /* mostly quote- and CR-free, so that most lines are split */
            int clean = kind != 0;
            for (size_t i = 0; i < len; i++) {
                char c;
                do
                    c = alphabet[rng_next(&seed) % (sizeof alphabet - 1)];
                while (clean && (c == '"' || c == '\r'));
                line[i] = c;
            }
        }
        size_t max = 1 + rng_next(&seed) % 64;
        size_t want = reference_split(line, len, delim, starts, lens, max);
        int has_quote_or_cr = memchr(line, '"', len) || memchr(line, '\r', len);
        if (want && want != CSV_FAST_TOO_MANY && memchr(line, '"', len))
            split_quoted++;
        for (int scan = CSV_FAST_BEST; scan <= CSV_FAST_BYTES; scan++) {
            size_t n = csv_fast_fields(line, len, (unsigned char)delim, got, max,
                                       (csv_fast_scan)scan);
            /* a scan may stop at too many fields before it reaches a bad quote */
            if (has_quote_or_cr && n == CSV_FAST_TOO_MANY)
                continue;
            ck_assert_msg(n == want, "iteration %d scan %d: %zu fields, expected %zu", iter,
                          scan, n, want);
            for (size_t i = 0; n != CSV_FAST_TOO_MANY && i < n; i++)
                ck_assert_msg(got[i].data == line + starts[i] && got[i].len == lens[i],
                              "iteration %d scan %d field %zu", iter, scan, i);
        }
    }
    /* the quoted generator must reach the quoted-field code, not only its
     * refusals: 1221 lines with these seeds */
    ck_assert_msg(split_quoted > 1000, "only %zu lines with quotes were split", split_quoted);
}
END_TEST

/* bytescan_count and bytescan_any4 (the line counts and the writer's
 * quoting check) against byte loops, at every offset and at lengths
 * around the SSE2 block and the 255-block count flush. */
START_TEST(bytescan_matches_byte_loops)
{
    static char buf[9000];
    uint32_t seed = 99;
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = "ab\n,\"x\r\xEA"[rng_next(&seed) % 8];
    static const size_t lens[] = {0, 1, 7, 8, 15, 16, 17, 31, 33, 4079, 4080, 4081, 4096, 8191};
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        for (size_t off = 0; off < 20; off++) {
            size_t len = lens[li];
            const char *p = buf + off;
            size_t want = 0;
            for (size_t i = 0; i < len; i++)
                want += p[i] == '\n';
            ck_assert_uint_eq(bytescan_count(p, len, '\n'), want);
            int any = 0;
            for (size_t i = 0; i < len; i++)
                any |= p[i] == 'q' || p[i] == '\r' || p[i] == 'z' || p[i] == 'y';
            ck_assert_int_eq(bytescan_any4(p, len, 'q', '\r', 'z', 'y'), any);
            ck_assert_int_eq(bytescan_any4(p, len, 'q', 'z', 'y', '0'), 0);
        }
    }
}
END_TEST

/* ---- the reader on both paths -------------------------------------------- */

/* What a reader delivered, flattened: each record's line, field count and
 * fields, then the status, error line and message. Two readings agree when
 * their traces are equal bytes. Also counts records whose first field
 * points into the fed buffer (the fast path). */
typedef struct trace {
    unsigned char *buf;
    size_t len, cap;
    size_t records, stop_after;
    const char *fed_lo, *fed_hi; /* the buffer being fed, for in_buffer */
    size_t in_buffer;
} trace;

static void trace_add(trace *t, const void *p, size_t n)
{
    if (t->len + n > t->cap) {
        t->cap = (t->len + n) * 2 + 256;
        t->buf = realloc(t->buf, t->cap);
        ck_assert_ptr_nonnull(t->buf);
    }
    memcpy(t->buf + t->len, p, n);
    t->len += n;
}

static deid_status on_record(void *ctx, const csv_field *f, size_t n, unsigned long line,
                             deid_error *err)
{
    trace *t = ctx;
    trace_add(t, &line, sizeof line);
    trace_add(t, &n, sizeof n);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(f[i].data[f[i].len] == '\0', "field not NUL-terminated");
        trace_add(t, &f[i].len, sizeof f[i].len);
        trace_add(t, f[i].data, f[i].len);
    }
    if (n && f[0].data >= t->fed_lo && f[0].data < t->fed_hi)
        t->in_buffer++;
    if (t->stop_after && ++t->records == t->stop_after) {
        err->status = DEID_E_PRIVACY;
        strcpy(err->message, "stopped by the test");
        err->line = 99;
        return DEID_E_PRIVACY;
    }
    return DEID_OK;
}

/* Reads input (two inputs when cut < len) in pieces of 1..max_piece bytes
 * drawn from seed (0: each input at once), fast path on or off, into t. */
static void read_input(trace *t, int delim, const char *input, size_t len, size_t cut,
                       uint32_t seed, size_t max_piece, int fast)
{
    char *copy = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, input, len);
    t->fed_lo = copy;
    t->fed_hi = copy + len;
    csv_in *in = csv_in_new(delim, on_record, t);
    ck_assert_ptr_nonnull(in);
    size_t bounds[3] = {0, cut < len ? cut : len, len};
    for (int part = 0; part < 2; part++) {
        deid_error err;
        memset(&err, 0, sizeof err);
        deid_status st = DEID_OK;
        for (size_t at = bounds[part]; at < bounds[part + 1] && st == DEID_OK;) {
            size_t n = max_piece ? 1 + rng_next(&seed) % max_piece : len;
            if (n > bounds[part + 1] - at)
                n = bounds[part + 1] - at;
            st = fast ? csv_in_feed_in_place(in, copy + at, n, &err)
                      : csv_in_feed(in, input + at, n, &err);
            at += n;
        }
        deid_status end = csv_in_finish(in, &err);
        st = st ? st : end;
        int s = (int)st;
        trace_add(t, &s, sizeof s);
        if (st) {
            trace_add(t, &err.line, sizeof err.line);
            trace_add(t, err.message, strlen(err.message));
        }
    }
    ck_assert_msg(memcmp(copy, input, len) == 0, "the fast path left its buffer changed");
    csv_in_free(in);
    free(copy);
}

/* Appends a random record to b (at b + *len, room for 400 bytes): mostly
 * quote-free, some with well-formed quoted fields, a few hostile (stray
 * quotes and CRs, BOMs and NULs inside). */
static void gen_record(char *b, size_t *len, char delim, uint32_t *seed)
{
    static const char *const pieces[] = {"a", "홍길동", " ", "1987-03-14", "\"q\"", "\"a,b\"",
                                         "\"x\"\"y\"", "\"l1\nl2\"", "\r", "\"", "x\"y",
                                         "\xEF\xBB\xBF", "\t", "\0"};
    size_t fields = 1 + rng_next(seed) % 8;
    unsigned kind = rng_next(seed) % 12; /* 0-7 quote-free, 8-10 quoted, 11 hostile */
    for (size_t i = 0; i < fields; i++) {
        if (i)
            b[(*len)++] = delim;
        if (kind >= 8 && kind <= 10 && rng_next(seed) % 2) {
            const char *q = pieces[4 + rng_next(seed) % 4]; /* a whole quoted field */
            memcpy(b + *len, q, strlen(q));
            *len += strlen(q);
            continue;
        }
        size_t parts = rng_next(seed) % 3;
        for (size_t k = 0; k < parts; k++) {
            size_t n = kind == 11 ? sizeof pieces / sizeof pieces[0] : 4;
            size_t pick = rng_next(seed) % n;
            size_t plen = pick == 13 ? 1 : strlen(pieces[pick]);
            memcpy(b + *len, pieces[pick], plen);
            *len += plen;
        }
    }
    static const char *const ends[] = {"\n", "\n", "\n", "\r\n", "\n\n", "\r\n\r\n", "\r"};
    const char *e = ends[rng_next(seed) % 7];
    memcpy(b + *len, e, strlen(e));
    *len += strlen(e);
}

START_TEST(paths_agree_on_generated_inputs)
{
    static const char delims[] = ",;|\t";
    uint32_t seed = 777;
    size_t fast_records = 0;
    char *input = malloc(40 * 420 + 8);
    ck_assert_ptr_nonnull(input);
    for (int iter = 0; iter < 3000; iter++) {
        char delim = delims[rng_next(&seed) % 4];
        size_t len = 0;
        if (rng_next(&seed) % 4 == 0) {
            memcpy(input, "\xEF\xBB\xBF", 3);
            len = 3;
        }
        size_t records = rng_next(&seed) % 40;
        for (size_t r = 0; r < records; r++)
            gen_record(input, &len, delim, &seed);
        if (len && rng_next(&seed) % 3 == 0)
            len--; /* no final line end, or a record cut short */
        size_t cut = rng_next(&seed) % 5 == 0 ? rng_next(&seed) % (len + 1) : len;
        uint32_t piece_seed = rng_next(&seed);
        /* half the inputs at once (as the pipeline feeds a chunk): a line
         * cut between two feeds is libcsv's */
        size_t max_piece = iter % 2 ? 1 + rng_next(&seed) % (len + 1) : 0;
        size_t stop_after = rng_next(&seed) % 6 == 0 ? 1 + rng_next(&seed) % 10 : 0;
        trace slow = {0}, fast = {0};
        slow.stop_after = fast.stop_after = stop_after;
        read_input(&slow, delim, input, len, cut, piece_seed, max_piece, 0);
        read_input(&fast, delim, input, len, cut, piece_seed, max_piece, 1);
        ck_assert_msg(slow.len == fast.len && memcmp(slow.buf, fast.buf, slow.len) == 0,
                      "iteration %d: the fast path read differently", iter);
        ck_assert_uint_eq(slow.in_buffer, 0);
        fast_records += fast.in_buffer;
        free(slow.buf);
        free(fast.buf);
    }
    free(input);
    /* the generator makes about two thirds of the records quote-free and
     * a quarter well quoted, and half the inputs are fed at once: 15999
     * with these seeds (13602 when quoted records went to libcsv), so the
     * bound fails if a reason to leave the fast path slips in */
    ck_assert_msg(fast_records > 14000, "only %zu records took the fast path", fast_records);
}
END_TEST

/* ---- which path ----------------------------------------------------------- */

/* Reads input in one piece, fast path as set, and returns how many records
 * pointed into the buffer (took the fast path). */
static size_t fast_count(const char *input, int on, int via_env)
{
    trace t = {0};
    size_t len = strlen(input);
    char *copy = strdup(input);
    ck_assert_ptr_nonnull(copy);
    t.fed_lo = copy;
    t.fed_hi = copy + len;
    if (via_env)
        setenv("DEID_CSV_FAST_PATH", "0", 1);
    csv_in *in = csv_in_new(',', on_record, &t);
    unsetenv("DEID_CSV_FAST_PATH");
    ck_assert_ptr_nonnull(in);
    if (!on)
        csv_in_set_fast(in, 0);
    deid_error err;
    ck_assert_int_eq(csv_in_feed_in_place(in, copy, len, &err), DEID_OK);
    ck_assert_int_eq(csv_in_finish(in, &err), DEID_OK);
    csv_in_free(in);
    free(copy);
    free(t.buf);
    return t.in_buffer;
}

START_TEST(path_per_record_and_switches)
{
    /* quote-free, quoted, quote-free after CRLF, a doubled quote, a lone
     * CR, the last record without a line end (libcsv: its end is not
     * known) */
    static const char input[] = "a,b\n\"c\",d\r\ne,f\r\n\"g\"\"h\",i\nj\rk\nl,m\nn";
    ck_assert_uint_eq(fast_count(input, 1, 0), 5); /* a,b  "c",d  e,f  "g""h",i  l,m */
    ck_assert_uint_eq(fast_count(input, 0, 0), 0);
    ck_assert_uint_eq(fast_count(input, 1, 1), 0);
    /* a quoted field over several lines: its lines are libcsv's */
    ck_assert_uint_eq(fast_count("x,\"1\n2,3\n4\"\n5,6\n", 1, 0), 1);
}
END_TEST

START_TEST(long_line_goes_to_libcsv)
{
    /* Over 64 KiB without a line feed: libcsv reads it, in slices. */
    size_t n = 70000;
    char *input = malloc(n + 8);
    ck_assert_ptr_nonnull(input);
    for (size_t i = 0; i < n; i++)
        input[i] = i % 10 == 9 ? ',' : 'v';
    memcpy(input + n, "\nz,z\n", 6);
    trace slow = {0}, fast = {0};
    read_input(&slow, ',', input, n + 5, n + 5, 1, 0, 0);
    read_input(&fast, ',', input, n + 5, n + 5, 1, 0, 1);
    ck_assert(slow.len == fast.len && memcmp(slow.buf, fast.buf, slow.len) == 0);
    ck_assert_uint_eq(fast.in_buffer, 1); /* only "z,z" */
    free(slow.buf);
    free(fast.buf);
    free(input);
}
END_TEST

Suite *csv_fast_suite(void);

Suite *csv_fast_suite(void)
{
    Suite *s = suite_create("csv_fast");
    TCase *tc = tcase_create("differential");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, scans_agree_with_reference);
    tcase_add_test(tc, bytescan_matches_byte_loops);
    tcase_add_test(tc, paths_agree_on_generated_inputs);
    tcase_add_test(tc, path_per_record_and_switches);
    tcase_add_test(tc, long_line_goes_to_libcsv);
    suite_add_tcase(s, tc);
    return s;
}
