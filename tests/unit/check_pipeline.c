/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_pipeline.c - cutting CSV into chunks (csv_split) and the ordered
 * parallel pipeline. Cut points are compared with a byte-at-a-time
 * reference written here (a small state machine over quotes and line
 * feeds); the pipeline is driven with a toy work function whose output
 * is easy to predict (each chunk's bytes, upper-cased) and must come back
 * whole and in order for every thread count and chunk size.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_split.h"
#include "err.h"
#include "pipeline.h"

/* ---- csv_split ----------------------------------------------------------- */

/* Reference: the end positions of records (after an LF outside quotes). */
static size_t reference_split(const char *d, size_t len, size_t target)
{
    int inside = 0;
    size_t best = 0;
    for (size_t i = 0; i < len; i++) {
        if (d[i] == '"')
            inside = !inside;
        else if (d[i] == '\n' && !inside) {
            if (i + 1 <= target)
                best = i + 1;
            else
                return best ? best : i + 1;
        }
    }
    return best;
}

START_TEST(split_examples)
{
    /* worked by hand */
    ck_assert_uint_eq(csv_split_point("a,b\nc,d\n", 8, 8), 8);
    ck_assert_uint_eq(csv_split_point("a,b\nc,d\n", 8, 5), 4);
    ck_assert_uint_eq(csv_split_point("a,b\nc,d", 7, 7), 4);
    ck_assert_uint_eq(csv_split_point("\"a\nb\",c\n", 8, 8), 8);  /* LF inside quotes skipped */
    ck_assert_uint_eq(csv_split_point("\"a\nb\",c\n", 8, 4), 8);  /* longer record: its end */
    ck_assert_uint_eq(csv_split_point("\"a\"\"\nb\"\nx", 10, 10), 8); /* doubled quote */
    ck_assert_uint_eq(csv_split_point("\"abc\n", 5, 5), 0);       /* still inside */
    ck_assert_uint_eq(csv_split_point("", 0, 0), 0);
    ck_assert_uint_eq(csv_split_point("a\r\nb\r\n", 6, 4), 3);
}
END_TEST

START_TEST(split_matches_reference_on_random_csv)
{
    /* Random well-formed CSV: fields plain or quoted (with doubled quotes,
     * commas and line feeds inside), of lengths that put quotes at every
     * offset of the 8-byte words. */
    srand(7);
    for (int round = 0; round < 300; round++) {
        char buf[4096];
        size_t len = 0;
        while (len < sizeof buf - 64) {
            int fields = 1 + rand() % 4;
            for (int f = 0; f < fields; f++) {
                if (f)
                    buf[len++] = ',';
                if (rand() % 2) {
                    buf[len++] = '"';
                    int n = rand() % 12;
                    for (int k = 0; k < n; k++) {
                        int r = rand() % 6;
                        if (r == 0) {
                            buf[len++] = '"';
                            buf[len++] = '"';
                        } else
                            buf[len++] = r == 1 ? '\n' : r == 2 ? ',' : 'x';
                    }
                    buf[len++] = '"';
                } else {
                    int n = rand() % 9;
                    for (int k = 0; k < n; k++)
                        buf[len++] = 'a' + rand() % 3;
                }
            }
            if (rand() % 3 == 0)
                buf[len++] = '\r';
            buf[len++] = '\n';
        }
        for (size_t target = 0; target <= len; target += 1 + (size_t)(rand() % 97))
            for (size_t cut_len = target; cut_len <= len; cut_len += 1 + (size_t)(rand() % 500))
                ck_assert_uint_eq(csv_split_point(buf, cut_len, target),
                                  reference_split(buf, cut_len, target));
    }
}
END_TEST

START_TEST(count_lines)
{
    ck_assert_uint_eq(csv_count_lines("", 0), 0);
    ck_assert_uint_eq(csv_count_lines("a\nb\n\n", 5), 3);
    ck_assert_uint_eq(csv_count_lines("abc", 3), 0);
}
END_TEST

/* ---- pipeline ------------------------------------------------------------ */

/* The toy job: output = input upper-cased; records = line feeds; a chunk
 * holding "FAIL" fails, naming the line of the F when its position is
 * known. lane 0 must be the one that sees the first chunk of an input. */
typedef struct toy {
    char *out;
    size_t len, cap;
    int first_chunks_on_lane0;
    int first_chunks;
    unsigned long fail_line;
    uint64_t fail_record;
    int reruns_with_position;
    int serial_pieces;
} toy;

static deid_status toy_work(void *ctx, size_t lane, pipe_chunk *c)
{
    toy *t = ctx;
    if (c->at_input_start && c->begin) {
        t->first_chunks++;
        t->first_chunks_on_lane0 += lane == 0;
    }
    if (c->open_end || !c->begin)
        t->serial_pieces++; /* only the caller's thread runs these */
    for (size_t i = 0; i < c->in.len; i++) {
        char ch = c->in.data[i];
        if (ch == '\n')
            c->records++;
        if (i + 4 <= c->in.len && !memcmp(c->in.data + i, "FAIL", 4)) {
            unsigned long line = c->first_line + (unsigned long)csv_count_lines(c->in.data, i);
            if (c->first_line)
                t->reruns_with_position++;
            err_set(&c->err, DEID_E_DATA, "fail at line %lu", c->first_line ? line : 0);
            c->err.line = c->first_line ? line : 0;
            c->err.record = c->record_base + c->records + 1;
            return DEID_E_DATA;
        }
        ch = (ch >= 'a' && ch <= 'z') ? (char)(ch - 32) : ch;
        if (dbuf_putc(&c->out, ch) != DBUF_OK)
            return DEID_E_IO;
    }
    return DEID_OK;
}

static deid_status toy_merge(void *ctx, pipe_chunk *c, deid_error *err)
{
    toy *t = ctx;
    if (t->len + c->out.len + 1 > t->cap) {
        t->cap = (t->len + c->out.len + 1) * 2;
        t->out = realloc(t->out, t->cap);
        ck_assert_ptr_nonnull(t->out);
    }
    memcpy(t->out + t->len, c->out.data ? c->out.data : "", c->out.len);
    t->len += c->out.len;
    t->out[t->len] = '\0';
    if (c->status) {
        *err = c->err;
        t->fail_line = c->err.line;
        t->fail_record = c->err.record;
    }
    return c->status;
}

static const pipeline_ops toy_ops = {toy_work, toy_merge};

/* Feeds text through a pipeline in pieces of `piece` bytes. */
static deid_status toy_run(toy *t, size_t threads, size_t chunk, const char *text, size_t piece,
                           int inputs)
{
    memset(t, 0, sizeof *t);
    pipeline *p = pipeline_new(threads, chunk, &toy_ops, t);
    ck_assert_ptr_nonnull(p);
    deid_error err;
    deid_status st = DEID_OK;
    for (int in = 0; in < inputs && !st; in++) {
        pipeline_begin_input(p);
        size_t len = strlen(text);
        for (size_t at = 0; at < len && !st; at += piece)
            st = pipeline_write(p, text + at, len - at < piece ? len - at : piece, &err);
        if (!st)
            st = pipeline_end_input(p, &err);
    }
    pipeline_free(p);
    return st;
}

static char *make_text(size_t lines, int quoted_newlines)
{
    char *s = malloc(lines * 40 + 1);
    size_t len = 0;
    for (size_t i = 0; i < lines; i++)
        len += (size_t)sprintf(s + len, quoted_newlines && i % 7 == 3 ? "r%zu,\"x\ny\",z\n"
                                                                      : "r%zu,abc,def\n", i);
    return s;
}

static char *upper(const char *s)
{
    char *u = strdup(s);
    for (char *p = u; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 32);
    return u;
}

START_TEST(output_in_order_for_every_thread_count_and_chunk_size)
{
    char *text = make_text(3000, 1);
    char *want = upper(text);
    static const size_t threads[] = {0, 1, 2, 3, 8};
    static const size_t chunks[] = {1, 7, 64, 1000, 1 << 20};
    static const size_t pieces[] = {1, 333, 1 << 16};
    for (size_t a = 0; a < sizeof threads / sizeof *threads; a++)
        for (size_t b = 0; b < sizeof chunks / sizeof *chunks; b++)
            for (size_t c = 0; c < sizeof pieces / sizeof *pieces; c++) {
                if (pieces[c] == 1 && chunks[b] > 64)
                    continue; /* slow and adds nothing */
                toy t;
                ck_assert_int_eq(toy_run(&t, threads[a], chunks[b], text, pieces[c], 1), DEID_OK);
                ck_assert_uint_eq(t.len, strlen(want));
                ck_assert(!strcmp(t.out, want));
                ck_assert_int_eq(t.first_chunks, 1);
                ck_assert_int_eq(t.first_chunks_on_lane0, 1);
                free(t.out);
            }
    free(want);
    free(text);
}
END_TEST

START_TEST(every_input_starts_on_lane0)
{
    char *text = make_text(500, 0);
    toy t;
    ck_assert_int_eq(toy_run(&t, 2, 100, text, 4096, 3), DEID_OK);
    ck_assert_int_eq(t.first_chunks, 3);
    ck_assert_int_eq(t.first_chunks_on_lane0, 3);
    ck_assert_uint_eq(t.len, 3 * strlen(text));
    free(t.out);
    free(text);
}
END_TEST

START_TEST(failed_chunk_is_rerun_with_its_position)
{
    /* 1000 lines of "rN,abc,def", with FAIL on line 731 (1-based). */
    char *text = make_text(1000, 0);
    char *at = strstr(text, "r730,");
    memcpy(at, "FAIL", 4);
    static const size_t threads[] = {0, 2, 4};
    static const size_t chunks[] = {50, 4096, 1 << 20};
    for (size_t a = 0; a < 3; a++)
        for (size_t b = 0; b < 3; b++) {
            toy t;
            ck_assert_int_eq(toy_run(&t, threads[a], chunks[b], text, 1000, 1), DEID_E_DATA);
            ck_assert_uint_eq(t.fail_line, 731);
            ck_assert_uint_eq(t.fail_record, 731);
            /* Output: exactly the 730 lines before, upper-cased. */
            size_t before = (size_t)(at - text);
            ck_assert_uint_eq(t.len, before);
            char *want = upper(text);
            ck_assert(!strncmp(t.out, want, before));
            free(want);
            free(t.out);
        }
    free(text);
}
END_TEST

START_TEST(no_cut_point_goes_serial)
{
    /* An open quote early on: no record ends, so after four chunk sizes
     * the rest is handed to lane 0 in fixed pieces; the bytes still come
     * out whole and in order. */
    char *text = make_text(400, 0);
    text[20] = '"';
    char *want = upper(text);
    static const size_t threads[] = {0, 2};
    for (size_t a = 0; a < 2; a++) {
        toy t;
        ck_assert_int_eq(toy_run(&t, threads[a], 256, text, 1000, 1), DEID_OK);
        ck_assert(!strcmp(t.out, want));
        ck_assert_int_gt(t.serial_pieces, 1);
        free(t.out);
    }
    free(want);
    free(text);
}
END_TEST

START_TEST(refuses_bad_arguments)
{
    toy t;
    ck_assert_ptr_null(pipeline_new(PIPE_MAX_THREADS + 1, 0, &toy_ops, &t));
    ck_assert_ptr_null(pipeline_new(1, PIPE_MAX_CHUNK + 1, &toy_ops, &t));
    pipeline_ops none = {NULL, toy_merge};
    ck_assert_ptr_null(pipeline_new(1, 0, &none, &t));
}
END_TEST

Suite *pipeline_suite(void); /* called by check_main.c */
Suite *pipeline_suite(void)
{
    Suite *s = suite_create("pipeline");
    TCase *tc = tcase_create("split");
    tcase_add_test(tc, split_examples);
    tcase_add_test(tc, split_matches_reference_on_random_csv);
    tcase_add_test(tc, count_lines);
    suite_add_tcase(s, tc);
    tc = tcase_create("pipeline");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, output_in_order_for_every_thread_count_and_chunk_size);
    tcase_add_test(tc, every_input_starts_on_lane0);
    tcase_add_test(tc, failed_chunk_is_rerun_with_its_position);
    tcase_add_test(tc, no_cut_point_goes_serial);
    tcase_add_test(tc, refuses_bad_arguments);
    suite_add_tcase(s, tc);
    return s;
}
