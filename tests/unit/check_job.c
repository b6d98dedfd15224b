/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_job.c - the job's buffer API driven directly: output must not
 * depend on how the input is split (every chunk size from 1 byte up),
 * gzip in and out (checked with zlib directly, not with gz.c), several
 * inputs sharing one header, errors and the counts.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "deid.h"
#include "job_output.h"

static const char rules_text[] = "column name mask keep-first=1\n"
                                 "column age range width=10\n"
                                 "column note keep\n";

/* BOM, CRLF, a quoted delimiter and a quoted line break. */
static const char input[] = "\xEF\xBB\xBFname,age,note\r\n"
                            "홍길동,34,\"a,b\"\r\n"
                            "김영,5,\"multi\nline\"\r\n"
                            "Lee,102,  spaced  \r\n";

/* Worked out by hand from the rules above. */
static const char expected[] = "name,age,note\n"
                               "홍**,30-39,\"a,b\"\n"
                               "김*,0-9,\"multi\nline\"\n"
                               "L**,100-109,  spaced  \n";

static deid_rules *load_rules(const char *text)
{
    deid_rules *r = NULL;
    deid_error err;
    ck_assert_int_eq(deid_rules_parse(text, strlen(text), "t.rules", NULL, &r, &err), DEID_OK);
    return r;
}

/* Runs data through a new job in chunks of size chunk; returns the status. */
static deid_status run_chunks(const deid_rules *r, const deid_job_options *opt, const char *data,
                              size_t len, size_t chunk, job_output *o, deid_error *err)
{
    deid_job *job;
    ck_assert_int_eq(deid_job_new(r, opt, &job, err), DEID_OK);
    deid_status st = job_output_feed(job, data, len, chunk, o, 7, err);
    if (!st)
        st = deid_job_finish(job, err);
    job_output_drain(job, o, 7);
    if (!st) {
        const deid_counts *c = deid_job_counts(job);
        ck_assert_uint_eq(c->records_read, 3);
        ck_assert_uint_eq(c->records_written, 3);
        ck_assert_uint_eq(c->records_removed, 0);
    }
    deid_job_free(job);
    return st;
}

START_TEST(every_chunk_size)
{
    deid_rules *r = load_rules(rules_text);
    size_t len = strlen(input);
    for (size_t chunk = 1; chunk <= len; chunk++) {
        job_output o = {0};
        deid_error err;
        ck_assert_int_eq(run_chunks(r, NULL, input, len, chunk, &o, &err), DEID_OK);
        ck_assert_uint_eq(o.len, strlen(expected));
        ck_assert_mem_eq(o.data, expected, o.len);
        free(o.data);
    }
    deid_rules_free(r);
}
END_TEST

/* gzip made with zlib directly, so gz.c is not checking itself. */
static unsigned char *gzip_with_zlib(const char *data, size_t len, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, len);
    unsigned char *out = malloc(cap);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out_len = z.total_out;
    deflateEnd(&z);
    return out;
}

static char *gunzip_with_zlib(const char *data, size_t len, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    ck_assert_int_eq(inflateInit2(&z, 15 + 16), Z_OK);
    size_t cap = 1 << 16;
    char *out = malloc(cap);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)len;
    z.next_out = (unsigned char *)out;
    z.avail_out = (uInt)cap;
    ck_assert_int_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
    *out_len = z.total_out;
    inflateEnd(&z);
    return out;
}

START_TEST(gzip_input_every_chunk_size)
{
    deid_rules *r = load_rules(rules_text);
    size_t gz_len;
    unsigned char *gz = gzip_with_zlib(input, strlen(input), &gz_len);
    for (size_t chunk = 1; chunk <= gz_len; chunk++) {
        job_output o = {0};
        deid_error err;
        ck_assert_int_eq(run_chunks(r, NULL, (const char *)gz, gz_len, chunk, &o, &err), DEID_OK);
        ck_assert_uint_eq(o.len, strlen(expected));
        ck_assert_mem_eq(o.data, expected, o.len);
        free(o.data);
    }
    free(gz);
    deid_rules_free(r);
}
END_TEST

START_TEST(gzip_output)
{
    deid_rules *r = load_rules(rules_text);
    deid_job_options opt = {.gzip_out = 1, .gzip_level = 1};
    for (size_t chunk = 1; chunk <= strlen(input); chunk += 5) {
        job_output o = {0};
        deid_error err;
        ck_assert_int_eq(run_chunks(r, &opt, input, strlen(input), chunk, &o, &err), DEID_OK);
        ck_assert_uint_ge(o.len, 18);
        ck_assert_int_eq((unsigned char)o.data[0], 0x1f);
        ck_assert_int_eq((unsigned char)o.data[1], 0x8b);
        size_t plain_len;
        char *plain = gunzip_with_zlib(o.data, o.len, &plain_len);
        ck_assert_uint_eq(plain_len, strlen(expected));
        ck_assert_mem_eq(plain, expected, plain_len);
        free(plain);
        free(o.data);
    }
    deid_rules_free(r);
}
END_TEST

START_TEST(two_inputs_one_header)
{
    deid_rules *r = load_rules(rules_text);
    deid_job *job;
    deid_error err;
    job_output o = {0};
    ck_assert_int_eq(deid_job_new(r, NULL, &job, &err), DEID_OK);
    const char *a = "name,age,note\nAb,1,x\n";
    const char *b = "name,age,note\nCd,22,y\n";
    ck_assert_int_eq(deid_job_begin_input(job, "a.csv", &err), DEID_OK);
    ck_assert_int_eq(deid_job_write(job, a, strlen(a), &err), DEID_OK);
    ck_assert_int_eq(deid_job_end_input(job, &err), DEID_OK);
    ck_assert_int_eq(deid_job_begin_input(job, "b.csv", &err), DEID_OK);
    ck_assert_int_eq(deid_job_write(job, b, strlen(b), &err), DEID_OK);
    ck_assert_int_eq(deid_job_end_input(job, &err), DEID_OK);
    ck_assert_int_eq(deid_job_finish(job, &err), DEID_OK);
    job_output_drain(job, &o, 7);
    ck_assert_str_eq(o.data, "name,age,note\nA*,0-9,x\nC*,20-29,y\n");
    ck_assert_uint_eq(deid_job_counts(job)->records_read, 2);
    free(o.data);
    deid_job_free(job);
    deid_rules_free(r);
}
END_TEST

/* Writes text as the whole input: the write's status if it failed, else
 * end_input's. */
static deid_status write_then_end(deid_job *job, const char *text, deid_error *err)
{
    deid_status st = deid_job_write(job, text, strlen(text), err);
    return st ? st : deid_job_end_input(job, err);
}

START_TEST(header_mismatch_is_data_error)
{
    deid_rules *r = load_rules(rules_text);
    deid_job *job;
    deid_error err;
    ck_assert_int_eq(deid_job_new(r, NULL, &job, &err), DEID_OK);
    const char *a = "name,age,note\n";
    const char *b = "name,note,age\n";
    ck_assert_int_eq(deid_job_begin_input(job, "a.csv", &err), DEID_OK);
    ck_assert_int_eq(deid_job_write(job, a, strlen(a), &err), DEID_OK);
    ck_assert_int_eq(deid_job_end_input(job, &err), DEID_OK);
    ck_assert_int_eq(deid_job_begin_input(job, "b.csv", &err), DEID_OK);
    /* Bytes wait for a whole chunk: the error comes at the latest when the
     * input ends. */
    ck_assert_int_eq(write_then_end(job, b, &err), DEID_E_DATA);
    ck_assert_str_eq(err.file, "b.csv");
    ck_assert_uint_eq(err.line, 1);
    deid_job_free(job);
    deid_rules_free(r);
}
END_TEST

START_TEST(bad_value_stops_the_job)
{
    deid_rules *r = load_rules(rules_text);
    deid_job *job;
    deid_error err;
    job_output o = {0};
    ck_assert_int_eq(deid_job_new(r, NULL, &job, &err), DEID_OK);
    const char *a = "name,age,note\nAb,1,x\n\"C\nd\",x9,y\nEf,3,z\n";
    ck_assert_int_eq(deid_job_begin_input(job, "a.csv", &err), DEID_OK);
    ck_assert_int_eq(write_then_end(job, a, &err), DEID_E_DATA);
    ck_assert_str_eq(err.file, "a.csv");
    ck_assert_uint_eq(err.record, 2);
    ck_assert_uint_eq(err.line, 3);
    ck_assert_str_eq(err.field, "age");
    ck_assert_ptr_null(strstr(err.message, "x9"));
    /* Only the records before the failing one were produced. */
    job_output_drain(job, &o, 7);
    ck_assert_str_eq(o.data, "name,age,note\nA*,0-9,x\n");
    /* The job refuses further work with the same status. */
    ck_assert_int_eq(deid_job_write(job, "x", 1, &err), DEID_E_DATA);
    ck_assert_int_eq(deid_job_finish(job, &err), DEID_E_DATA);
    free(o.data);
    deid_job_free(job);
    deid_rules_free(r);
}
END_TEST

/* A failed output write through the fd API is the job's first error too:
 * later calls, buffer or fd, fail with DEID_E_IO and say why. */
START_TEST(fd_write_error_stops_the_job)
{
    deid_rules *r = load_rules(rules_text);
    deid_job *job;
    deid_error err;
    int full = open("/dev/full", O_WRONLY);
    if (full < 0)
        return; /* no /dev/full here: nothing to check */
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    ck_assert_int_eq(write(p[1], input, strlen(input)), (ssize_t)strlen(input));
    close(p[1]);
    ck_assert_int_eq(deid_job_new(r, NULL, &job, &err), DEID_OK);
    ck_assert_int_eq(deid_job_run_fd(job, p[0], "in.csv", full, &err), DEID_E_IO);
    ck_assert_ptr_nonnull(strstr(err.message, "cannot write output"));
    ck_assert_int_eq(deid_job_write(job, "x", 1, &err), DEID_E_IO);
    ck_assert_str_eq(err.message, "the job stopped at an earlier error");
    ck_assert_int_eq(deid_job_finish_fd(job, full, &err), DEID_E_IO);
    ck_assert_str_eq(err.message, "the job stopped at an earlier error");
    close(p[0]);
    close(full);
    deid_job_free(job);
    deid_rules_free(r);
}
END_TEST

START_TEST(counts_per_column)
{
    deid_rules *r = load_rules("column a date to=year on-error=blank\n"
                               "column b keep\n"
                               "column c drop\n"
                               "add d replace value=X from=a\n");
    deid_job *job;
    deid_error err;
    job_output o = {0};
    ck_assert_int_eq(deid_job_new(r, NULL, &job, &err), DEID_OK);
    const char *a = "a,b,c\n2000-01-01,,x\nbad,1,\n,2,y\n";
    ck_assert_int_eq(deid_job_begin_input(job, "a.csv", &err), DEID_OK);
    ck_assert_int_eq(deid_job_write(job, a, strlen(a), &err), DEID_OK);
    ck_assert_int_eq(deid_job_end_input(job, &err), DEID_OK);
    ck_assert_int_eq(deid_job_finish(job, &err), DEID_OK);
    job_output_drain(job, &o, 7);
    ck_assert_str_eq(o.data, "a,b,d\n2000,,X\n,1,X\n,2,X\n");
    const deid_counts *c = deid_job_counts(job);
    ck_assert_uint_eq(c->n_columns, 4);
    ck_assert_str_eq(c->columns[0].name, "a");
    ck_assert_uint_eq(c->columns[0].transformed, 1);
    ck_assert_uint_eq(c->columns[0].errors, 1);
    ck_assert_uint_eq(c->columns[0].empty, 1);
    ck_assert_uint_eq(c->columns[1].empty, 1);
    ck_assert_uint_eq(c->columns[2].transformed, 2); /* dropped non-empty values */
    ck_assert_uint_eq(c->columns[2].empty, 1);
    ck_assert_str_eq(c->columns[3].name, "d");
    ck_assert_uint_eq(c->columns[3].transformed, 3);
    free(o.data);
    deid_job_free(job);
    deid_rules_free(r);
}
END_TEST

START_TEST(fd_api_matches_buffer_api)
{
    deid_rules *r = load_rules(rules_text);
    char dir[] = "/tmp/deid_job_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char in_path[64], out_path[64];
    snprintf(in_path, sizeof in_path, "%s/in.csv", dir);
    snprintf(out_path, sizeof out_path, "%s/out.csv", dir);
    int fd = open(in_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_eq(write(fd, input, strlen(input)), (ssize_t)strlen(input));
    close(fd);
    int in = open(in_path, O_RDONLY);
    int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    deid_job *job;
    deid_error err;
    ck_assert_int_eq(deid_job_new(r, NULL, &job, &err), DEID_OK);
    ck_assert_int_eq(deid_job_run_fd(job, in, "in.csv", out, &err), DEID_OK);
    ck_assert_int_eq(deid_job_finish_fd(job, out, &err), DEID_OK);
    close(in);
    close(out);
    char buf[512];
    int rfd = open(out_path, O_RDONLY);
    ssize_t n = read(rfd, buf, sizeof buf);
    close(rfd);
    ck_assert_int_eq(n, (ssize_t)strlen(expected));
    ck_assert_mem_eq(buf, expected, (size_t)n);
    deid_job_free(job);
    deid_rules_free(r);
    unlink(in_path);
    unlink(out_path);
    rmdir(dir);
}
END_TEST

START_TEST(misuse_is_usage_error)
{
    deid_rules *r = load_rules(rules_text);
    deid_job *job;
    deid_error err;
    ck_assert_int_eq(deid_job_new(r, NULL, &job, &err), DEID_OK);
    ck_assert_int_eq(deid_job_write(job, "x", 1, &err), DEID_E_USAGE);
    ck_assert_int_eq(deid_job_finish(job, &err), DEID_E_USAGE);
    ck_assert_int_eq(deid_job_begin_input(job, "a", &err), DEID_OK);
    ck_assert_int_eq(deid_job_begin_input(job, "b", &err), DEID_E_USAGE);
    deid_job_free(job);
    deid_job_options bad = {.gzip_level = 10};
    ck_assert_int_eq(deid_job_new(r, &bad, &job, &err), DEID_E_USAGE);
    deid_rules_free(r);
}
END_TEST

/* The header need not be in the pipeline's first chunk: blank lines may fill
 * that chunk, or the header may span several chunks (serial mode). Found by
 * tests/fuzz (fuzz_job, fuzz_csv, fuzz_check). */
START_TEST(header_after_blank_lines_any_chunk_size)
{
    static const char blank_first[] = "\xEF\xBB\xBF\r\n\n\r\nname,age,note\r\n"
                                      "홍길동,34,\"a,b\"\r\n"
                                      "김영,5,\"multi\nline\"\r\n"
                                      "Lee,102,  spaced  \r\n";
    deid_rules *r = load_rules(rules_text);
    size_t len = strlen(blank_first);
    for (unsigned threads = 0; threads <= 2; threads++) {
        for (size_t chunk = 1; chunk <= len; chunk++) {
            deid_job_options opt;
            memset(&opt, 0, sizeof opt);
            opt.threads = threads;
            opt.chunk_bytes = chunk;
            job_output o = {0};
            deid_error err;
            ck_assert_int_eq(run_chunks(r, &opt, blank_first, len, 5, &o, &err), DEID_OK);
            ck_assert_uint_eq(o.len, strlen(expected));
            ck_assert_mem_eq(o.data, expected, o.len);
            free(o.data);
        }
    }
    deid_rules_free(r);
}
END_TEST

Suite *job_suite(void);
Suite *job_suite(void)
{
    Suite *s = suite_create("job");
    TCase *tc = tcase_create("buffer");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_chunk_size);
    tcase_add_test(tc, header_after_blank_lines_any_chunk_size);
    tcase_add_test(tc, gzip_input_every_chunk_size);
    tcase_add_test(tc, gzip_output);
    tcase_add_test(tc, two_inputs_one_header);
    tcase_add_test(tc, header_mismatch_is_data_error);
    tcase_add_test(tc, bad_value_stops_the_job);
    tcase_add_test(tc, fd_write_error_stops_the_job);
    tcase_add_test(tc, counts_per_column);
    tcase_add_test(tc, fd_api_matches_buffer_api);
    tcase_add_test(tc, misuse_is_usage_error);
    suite_add_tcase(s, tc);
    return s;
}
