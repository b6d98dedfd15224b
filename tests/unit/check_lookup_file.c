/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_lookup_file.c - reading hierarchy and map files (lookup_file.c):
 * open and read errors, the size limit (a sparse file, and a pipe that
 * only the running count can stop), callback errors and their statuses,
 * CRLF and BOM, records across read chunks, and the error helpers.
 * Each record the callback sees is logged as "LINE|LEN:BYTES;...\n" and
 * compared with a log the test writes itself while building the file.
 */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dbuf.h"
#include "deid_limits.h"
#include "err.h"
#include "lookup_file.h"

/* ---- a folder per test, emptied and removed by the fixture ---- */

static char dir[64];

static void dir_setup(void)
{
    strcpy(dir, "/tmp/check_lookup_file.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void dir_teardown(void)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        if (unlinkat(dirfd(d), ent->d_name, 0) != 0)
            unlinkat(dirfd(d), ent->d_name, AT_REMOVEDIR);
    }
    closedir(d);
    rmdir(dir);
}

/* Returns dir/name in a static buffer. */
static const char *in_dir(const char *name)
{
    static char path[sizeof dir + 64];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static void put_file(const char *name, const void *data, size_t len)
{
    int fd = open(in_dir(name), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
    ck_assert_int_eq(close(fd), 0);
}

/* A sparse file of size bytes (zeros): costs nothing however large. */
static void put_sparse(const char *name, off_t size)
{
    int fd = open(in_dir(name), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, size), 0);
    ck_assert_int_eq(close(fd), 0);
}

/* ---- the record callback ---- */

typedef struct log_ctx {
    dbuf log;           /* "LINE|LEN:BYTES;...\n" per record */
    size_t records;
    size_t fail_at;     /* 1-based record to fail on; 0 = never */
    deid_status fail_with;
} log_ctx;

static void log_init(log_ctx *c)
{
    memset(c, 0, sizeof *c);
    dbuf_init(&c->log, 1 << 20);
}

static void log_field(dbuf *b, const char *data, size_t len)
{
    ck_assert_int_eq(dbuf_printf(b, "%zu:", len), DBUF_OK);
    ck_assert_int_eq(dbuf_append(b, data, len), DBUF_OK);
    ck_assert_int_eq(dbuf_putc(b, ';'), DBUF_OK);
}

static deid_status on_record(void *vctx, const csv_field *fields, size_t n, unsigned long line,
                             deid_error *err)
{
    log_ctx *c = vctx;
    c->records++;
    if (c->records == c->fail_at) {
        if (c->fail_with == DEID_E_IO)
            return lookup_file_row_nomem(err, line);
        if (c->fail_with == DEID_E_RULES)
            return lookup_file_row_fail(err, line, "row %zu has %zu fields", c->records, n);
        /* Any other status, and no line: the reader must still cope. */
        return err_set(err, c->fail_with, "callback gave up");
    }
    if (c->log.max == 0)
        return DEID_OK; /* counting only */
    ck_assert_int_eq(dbuf_printf(&c->log, "%lu|", line), DBUF_OK);
    for (size_t i = 0; i < n; i++)
        log_field(&c->log, fields[i].data, fields[i].len);
    ck_assert_int_eq(dbuf_putc(&c->log, '\n'), DBUF_OK);
    return DEID_OK;
}

static void expect_log(const log_ctx *c, const char *want, size_t len)
{
    ck_assert_msg(c->log.len == len && memcmp(c->log.data, want, len) == 0,
                  "got %zu bytes of log, want %zu", c->log.len, len);
}

/* Reads dir/name as name; returns the status, the error in *e. */
static deid_status read_in_dir(const char *name, int delimiter, log_ctx *c, deid_error *e)
{
    err_clear(e);
    return lookup_file_read(in_dir(name), name, delimiter, on_record, c, e);
}

/* ---- open, read and size errors ---- */

/* Reading dir/name fails before any record with "cannot read PATH: reason". */
static void expect_cannot_read(const char *name, const char *reason)
{
    log_ctx c;
    log_init(&c);
    deid_error e;
    ck_assert_int_eq(read_in_dir(name, ',', &c, &e), DEID_E_RULES);
    char want[256];
    snprintf(want, sizeof want, "cannot read %s/%s: %s", dir, name, reason);
    ck_assert_str_eq(e.message, want);
    ck_assert_int_eq(e.status, DEID_E_RULES);
    ck_assert_uint_eq(c.records, 0);
    dbuf_free(&c.log);
}

START_TEST(missing_file)
{
    expect_cannot_read("nope.csv", "No such file or directory");
}
END_TEST

START_TEST(directory)
{
    ck_assert_int_eq(mkdir(in_dir("sub"), 0700), 0);
    expect_cannot_read("sub", "Is a directory");
    ck_assert_int_eq(rmdir(in_dir("sub")), 0);
}
END_TEST

START_TEST(over_size_regular_file)
{
    put_sparse("big.csv", (off_t)DEID_MAX_LOOKUP_BYTES + 1);
    log_ctx c;
    log_init(&c);
    deid_error e;
    ck_assert_int_eq(read_in_dir("big.csv", ',', &c, &e), DEID_E_RULES);
    ck_assert_str_eq(e.message, "big.csv: larger than 67108864 bytes (DEID_MAX_LOOKUP_BYTES)");
    ck_assert_uint_eq(c.records, 0); /* refused before reading */

    /* Exactly the limit is allowed: the zeros are then one overlong
     * field, which the CSV reader refuses on line 1. */
    put_sparse("exact.csv", (off_t)DEID_MAX_LOOKUP_BYTES);
    ck_assert_int_eq(read_in_dir("exact.csv", ',', &c, &e), DEID_E_RULES);
    ck_assert_str_eq(e.message, "exact.csv:1: field starting on line 1 is longer than 8388608 "
                                "bytes (DEID_MAX_FIELD_BYTES)");
    ck_assert_int_eq(e.status, DEID_E_RULES); /* the reader's DEID_E_DATA, as a rules error */
    dbuf_free(&c.log);
}
END_TEST

/* A FIFO (issue 12 finding 7) is refused at once, without waiting for a
 * writer (that would hang lint and run) and without reading from one. It
 * used to be read, with the count of bytes read as the only limit; the
 * count stays for regular files that grow while read. */
START_TEST(fifo_refused_at_once)
{
    ck_assert_int_eq(mkfifo(in_dir("pipe.csv"), 0600), 0);
    log_ctx c;
    memset(&c, 0, sizeof c); /* log.max 0: count records only */
    deid_error e;
    /* No writer: a blocking open would hang here (the Check timeout
     * fails the test then). */
    ck_assert_int_eq(read_in_dir("pipe.csv", ',', &c, &e), DEID_E_RULES);
    char want[512];
    snprintf(want, sizeof want, "cannot read %s: a FIFO, not a regular file", in_dir("pipe.csv"));
    ck_assert_str_eq(e.message, want);
    ck_assert_uint_eq(c.records, 0);
}
END_TEST

/* ---- what the callback sees, and its errors ---- */

START_TEST(crlf_bom_and_blank_lines)
{
    static const char text[] = "\xEF\xBB\xBF" "a;b\r\n"
                               "c;\"d\r\ne\"\r\n"
                               "\r\n"
                               "f;g";
    put_file("crlf.csv", text, sizeof text - 1);
    log_ctx c;
    log_init(&c);
    deid_error e;
    ck_assert_int_eq(read_in_dir("crlf.csv", ';', &c, &e), DEID_OK);
    static const char want_text[] = "1|1:a;1:b;\n"
                                    "2|1:c;4:d\r\ne;\n"
                                    "5|1:f;1:g;\n";
    expect_log(&c, want_text, sizeof want_text - 1);
    ck_assert_uint_eq(c.records, 3);
    dbuf_free(&c.log);

    /* An empty file is no error here: "has no rows" is the caller's. */
    put_file("empty.csv", "", 0);
    log_init(&c);
    ck_assert_int_eq(read_in_dir("empty.csv", ';', &c, &e), DEID_OK);
    ck_assert_uint_eq(c.records, 0);
    dbuf_free(&c.log);
}
END_TEST

/* A callback failing on record fail_at with fail_with: what comes out. */
static const struct {
    size_t fail_at;
    deid_status fail_with, want_status;
    const char *want_message;
    unsigned long want_line;
} callback_cases[] = {
    /* A row error gets the file name and line; nothing after it is read. */
    {3, DEID_E_RULES, DEID_E_RULES, "rows.csv:3: row 3 has 3 fields", 3},
    /* Out of memory stays an I/O error. */
    {2, DEID_E_IO, DEID_E_IO, "rows.csv:2: out of memory", 2},
    /* Any other status is a rules error; without a line, only the name. */
    {4, DEID_E_DATA, DEID_E_RULES, "rows.csv: callback gave up", 0},
};

START_TEST(callback_errors)
{
    static const char text[] = "a,b\nc,d\ne,f,g\nh,i\n";
    put_file("rows.csv", text, sizeof text - 1);
    log_ctx c;
    log_init(&c);
    c.fail_at = callback_cases[_i].fail_at;
    c.fail_with = callback_cases[_i].fail_with;
    deid_error e;
    ck_assert_int_eq(read_in_dir("rows.csv", ',', &c, &e), callback_cases[_i].want_status);
    ck_assert_int_eq(e.status, callback_cases[_i].want_status);
    ck_assert_str_eq(e.message, callback_cases[_i].want_message);
    ck_assert_uint_eq(e.line, callback_cases[_i].want_line);
    ck_assert_uint_eq(c.records, c.fail_at);
    dbuf_free(&c.log);
}
END_TEST

/* The reader's own errors come the same way as a callback's. */
START_TEST(reader_errors)
{
    put_file("quote.csv", "a,\"b\n", 5);
    log_ctx c;
    log_init(&c);
    deid_error e;
    ck_assert_int_eq(read_in_dir("quote.csv", ',', &c, &e), DEID_E_RULES);
    ck_assert_str_eq(e.message, "quote.csv:1: unterminated quoted field starting on line 1");
    ck_assert_int_eq(e.status, DEID_E_RULES);
    ck_assert_uint_eq(e.line, 1);
    ck_assert_uint_eq(c.records, 0);
    dbuf_free(&c.log);
}
END_TEST

/* ---- records across read chunks ---- */

/* The file being built and the log the callback should write for it. */
typedef struct builder {
    dbuf file;
    dbuf want;
    unsigned long line; /* line the next record starts on */
} builder;

/* Appends one record of fields (values as the callback will see them);
 * quoted fields are written with their quotes doubled. */
static void add_record(builder *b, const char *const *fields, const int *quoted, size_t n)
{
    ck_assert_int_eq(dbuf_printf(&b->want, "%lu|", b->line), DBUF_OK);
    for (size_t i = 0; i < n; i++) {
        const char *f = fields[i];
        log_field(&b->want, f, strlen(f));
        if (i > 0)
            ck_assert_int_eq(dbuf_putc(&b->file, ','), DBUF_OK);
        if (quoted[i])
            ck_assert_int_eq(dbuf_putc(&b->file, '"'), DBUF_OK);
        for (; *f; f++) {
            if (*f == '\n')
                b->line++;
            if (quoted[i] && *f == '"')
                ck_assert_int_eq(dbuf_putc(&b->file, '"'), DBUF_OK);
            ck_assert_int_eq(dbuf_putc(&b->file, *f), DBUF_OK);
        }
        if (quoted[i])
            ck_assert_int_eq(dbuf_putc(&b->file, '"'), DBUF_OK);
    }
    ck_assert_int_eq(dbuf_append_str(&b->file, "\r\n"), DBUF_OK);
    ck_assert_int_eq(dbuf_putc(&b->want, '\n'), DBUF_OK);
    b->line++;
}

/* An unquoted record "k<i>,<letters>" with len letters. */
static void add_plain(builder *b, size_t i, size_t len)
{
    char key[32], *val = malloc(len + 1);
    ck_assert_ptr_nonnull(val);
    snprintf(key, sizeof key, "k%zu", i);
    for (size_t j = 0; j < len; j++)
        val[j] = (char)('a' + (i + j) % 26);
    val[len] = '\0';
    add_record(b, (const char *const[]){key, val}, (const int[]){0, 0}, 2);
    free(val);
}

START_TEST(chunk_boundaries)
{
    const size_t chunk = LOOKUP_FILE_CHUNK;
    builder b = {.line = 1};
    dbuf_init(&b.file, 4 * chunk);
    dbuf_init(&b.want, 8 * chunk);
    size_t i = 0;

    /* Records of many lengths, then one whose CR is the last byte of the
     * first chunk and whose LF is the first of the second. */
    for (; b.file.len < chunk - 300; i++)
        add_plain(&b, i, (i * 37) % 200);
    size_t start = b.file.len;
    char key[32];
    snprintf(key, sizeof key, "k%zu", i);
    add_plain(&b, i++, chunk - 1 - (start + strlen(key) + 1));
    ck_assert_int_eq(b.file.data[chunk - 1], '\r');
    ck_assert_int_eq(b.file.data[chunk], '\n');

    /* Then a quoted field holding the delimiter, a CRLF and a quote, whose
     * doubled quote is split by the second chunk boundary. */
    for (; b.file.len < 2 * chunk - 300; i++)
        add_plain(&b, i, (i * 53) % 180);
    start = b.file.len;
    size_t pad = 2 * chunk - 1 - (start + strlen("q,\"") + strlen("a,"));
    char *val = malloc(pad + 16);
    ck_assert_ptr_nonnull(val);
    memset(val, 'p', pad);
    strcpy(val + pad, "a,\"b\r\nc");
    add_record(&b, (const char *const[]){"q", val}, (const int[]){0, 1}, 2);
    free(val);
    ck_assert_int_eq(b.file.data[2 * chunk - 1], '"');
    ck_assert_int_eq(b.file.data[2 * chunk], '"');

    /* A few more, the last without its line end. */
    for (size_t k = 0; k < 5; k++, i++)
        add_plain(&b, i, k * 11);
    b.file.len -= 2;
    ck_assert_uint_gt(b.file.len, 2 * chunk);

    put_file("big.csv", b.file.data, b.file.len);
    log_ctx c;
    log_init(&c);
    deid_error e;
    ck_assert_int_eq(read_in_dir("big.csv", ',', &c, &e), DEID_OK);
    expect_log(&c, b.want.data, b.want.len);
    ck_assert_uint_eq(c.records, i + 1);
    dbuf_free(&c.log);
    dbuf_free(&b.file);
    dbuf_free(&b.want);
}
END_TEST

/* ---- the error helpers ---- */

START_TEST(row_helpers)
{
    deid_error e;
    err_clear(&e);
    e.column = 9;
    strcpy(e.file, "old");
    ck_assert_int_eq(lookup_file_row_fail(&e, 12, "bad %s %d", "row", 7), DEID_E_RULES);
    ck_assert_int_eq(e.status, DEID_E_RULES);
    ck_assert_uint_eq(e.line, 12);
    ck_assert_str_eq(e.message, "bad row 7");
    ck_assert_uint_eq(e.column, 0); /* cleared, not left over */
    ck_assert_str_eq(e.file, "");

    ck_assert_int_eq(lookup_file_row_nomem(&e, 4), DEID_E_IO);
    ck_assert_int_eq(e.status, DEID_E_IO);
    ck_assert_uint_eq(e.line, 4);
    ck_assert_str_eq(e.message, "out of memory");
}
END_TEST

START_TEST(fail_at_file_param)
{
    deid_error out;
    xf_param p = {.name = "file", .value = "m.csv", .col = 11};
    xf_context ctx = {.column = "name", .transform = "map", .rules_file = "t.rules",
                      .line = 3, .col = 7, .source_line = "name: map file=m.csv",
                      .params = &p, .n_params = 1, .n_inputs = 1, .err = &out};
    deid_error e;
    err_set(&e, DEID_E_RULES, "m.csv:2: value appears twice (lines 1 and 2)");
    ck_assert_int_eq(lookup_file_fail(&ctx, &p, &e), DEID_E_RULES);
    ck_assert_int_eq(out.status, DEID_E_RULES);
    ck_assert_str_eq(out.message, "m.csv:2: value appears twice (lines 1 and 2)");
    ck_assert_str_eq(out.file, "t.rules");
    ck_assert_uint_eq(out.line, 3);
    ck_assert_uint_eq(out.column, 11);
    ck_assert_str_eq(out.source_line, "name: map file=m.csv");

    err_set(&e, DEID_E_IO, "out of memory");
    ck_assert_int_eq(lookup_file_fail(&ctx, &p, &e), DEID_E_IO);
    ck_assert_int_eq(out.status, DEID_E_IO);
    ck_assert_str_eq(out.message, "out of memory");
    ck_assert_uint_eq(out.column, 11);

    ctx.err = NULL; /* no error wanted: only the status */
    ck_assert_int_eq(lookup_file_fail(&ctx, &p, &e), DEID_E_IO);
}
END_TEST

/* ---- the original values shared by hierarchy and map ---- */

START_TEST(originals_unique_nonempty_and_counted)
{
    lookup_originals o;
    deid_error e;
    err_clear(&e);
    ck_assert_int_eq(lookup_originals_init(&o), 0);
    csv_field a = {.data = "a", .len = 1}, b = {.data = "b", .len = 1};
    csv_field empty = {.data = "", .len = 0};
    ck_assert_int_eq(lookup_originals_add(&o, &a, "field", 1, &e), DEID_OK);
    ck_assert_uint_eq(o.rows, 0); /* counted only at the end of the row */
    ck_assert_int_eq(lookup_originals_end_row(&o, 1, &e), DEID_OK);
    ck_assert_int_eq(lookup_originals_add(&o, &b, "field", 3, &e), DEID_OK);
    ck_assert_int_eq(lookup_originals_end_row(&o, 3, &e), DEID_OK);
    ck_assert_uint_eq(o.rows, 2);
    uint32_t row = 99;
    ck_assert(strmap_get(o.originals, "b", 1, &row));
    ck_assert_uint_eq(row, 1);

    ck_assert_int_eq(lookup_originals_add(&o, &b, "field", 7, &e), DEID_E_RULES);
    ck_assert_str_eq(e.message, "value appears twice (lines 3 and 7)");
    ck_assert_uint_eq(e.line, 7);
    ck_assert_int_eq(lookup_originals_add(&o, &empty, "column", 8, &e), DEID_E_RULES);
    ck_assert_str_eq(e.message, "the original value (first column) is empty");
    ck_assert_uint_eq(e.line, 8);

    o.rows = DEID_MAX_LOOKUP_ROWS; /* the limit is checked before the value */
    ck_assert_int_eq(lookup_originals_add(&o, &empty, "field", 9, &e), DEID_E_RULES);
    ck_assert_str_eq(e.message, "more than 2000000 rows (DEID_MAX_LOOKUP_ROWS)");
    lookup_originals_free(&o);
    ck_assert_ptr_null(o.originals);
}
END_TEST

Suite *lookup_file_suite(void); /* called by check_main.c */

Suite *lookup_file_suite(void)
{
    Suite *s = suite_create("lookup_file");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, dir_setup, dir_teardown);
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, missing_file);
    tcase_add_test(tc, directory);
    tcase_add_test(tc, over_size_regular_file);
    tcase_add_test(tc, fifo_refused_at_once);
    tcase_add_test(tc, crlf_bom_and_blank_lines);
    tcase_add_loop_test(tc, callback_errors, 0,
                        (int)(sizeof callback_cases / sizeof callback_cases[0]));
    tcase_add_test(tc, reader_errors);
    tcase_add_test(tc, chunk_boundaries);
    tcase_add_test(tc, row_helpers);
    tcase_add_test(tc, fail_at_file_param);
    tcase_add_test(tc, originals_unique_nonempty_and_counted);
    suite_add_tcase(s, tc);
    return s;
}
