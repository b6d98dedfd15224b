/*
 * check_map.c - `map file=F`: two-column mapping files
 * (tests/unit/data/map/ and files written to a temporary folder), exact
 * byte lookups, and every load error with its rules location.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deid_limits.h"
#include "transform.h"

/* Named here so that the linker pulls xf_map.o out of libdeid.a: the
 * table in transform.c only holds weak references. */
extern const transform_ops xf_map_ops;

#define DATA "tests/unit/data"
#define RULES_FILE "rules/test.rules"
#define RULES_LINE 12ul

/* A hand-built compile context for "name: map NAME=VALUE ..." on line
 * RULES_LINE of RULES_FILE. */
typedef struct fixture {
    xf_param params[8];
    char line[1024];
    xf_context ctx;
    deid_error err;
} fixture;

static void fx_init(fixture *f, const char *base_dir)
{
    memset(f, 0, sizeof *f);
    snprintf(f->line, sizeof f->line, "name: map");
    f->ctx.column = "name";
    f->ctx.transform = "map";
    f->ctx.rules_file = RULES_FILE;
    f->ctx.base_dir = base_dir;
    f->ctx.line = RULES_LINE;
    f->ctx.col = 7;
    f->ctx.source_line = f->line;
    f->ctx.params = f->params;
    f->ctx.n_inputs = 1;
    f->ctx.err = &f->err;
}

/* Appends " name=value" to the line; returns the parameter's column. */
static unsigned long fx_param(fixture *f, const char *name, const char *value)
{
    size_t at = strlen(f->line);
    unsigned long col = (unsigned long)at + 2;
    snprintf(f->line + at, sizeof f->line - at, " %s=%s", name, value);
    f->params[f->ctx.n_params++] = (xf_param){.name = name, .value = value, .col = col};
    return col;
}

static const transform_ops *ops(void)
{
    const transform_ops *o = transform_find("map");
    ck_assert_ptr_eq(o, &xf_map_ops);
    return o;
}

static void *load(const char *base_dir, const char *file)
{
    fixture f;
    fx_init(&f, base_dir);
    fx_param(&f, "file", file);
    void *state = NULL;
    deid_status st = ops()->compile(&f.ctx, &state);
    ck_assert_msg(st == DEID_OK, "compile failed: %s", f.err.message);
    ck_assert_ptr_nonnull(state);
    return state;
}

static void expect_bytes(const void *state, const char *value, size_t len, const char *want,
                         size_t want_len)
{
    dbuf out;
    dbuf_init(&out, 1 << 20);
    const char *why = NULL;
    xf_value in = {value, len};
    ck_assert_int_eq(ops()->apply(state, &in, 1, &out, &why), XF_OK);
    ck_assert_uint_eq(out.len, want_len);
    ck_assert(want_len == 0 || memcmp(out.data, want, want_len) == 0);
    dbuf_free(&out);
}

static void expect(const void *state, const char *value, const char *want)
{
    expect_bytes(state, value, strlen(value), want, strlen(want));
}

static void expect_missing(const void *state, const char *value, size_t len)
{
    dbuf out;
    dbuf_init(&out, 1 << 20);
    const char *why = NULL;
    xf_value in = {value, len};
    ck_assert_int_eq(ops()->apply(state, &in, 1, &out, &why), XF_BAD_VALUE);
    ck_assert_str_eq(why, "is not in the map");
    ck_assert_uint_eq(out.len, 0);
    dbuf_free(&out);
}

static void expect_describe(const void *state, const char *want)
{
    dbuf out;
    dbuf_init(&out, 4096);
    ck_assert_int_eq(ops()->describe(state, &out), DBUF_OK);
    ck_assert_str_eq(dbuf_cstr(&out), want);
    dbuf_free(&out);
}

/* Compiles file=FILE against base_dir; must fail as a rules error with
 * message msg at the column of file=. */
static void expect_error_in(const char *base_dir, const char *file, const char *msg)
{
    fixture f;
    fx_init(&f, base_dir);
    unsigned long col = fx_param(&f, "file", file);
    void *state = NULL;
    ck_assert_int_eq(ops()->compile(&f.ctx, &state), DEID_E_RULES);
    ck_assert_ptr_null(state);
    ck_assert_int_eq(f.err.status, DEID_E_RULES);
    ck_assert_str_eq(f.err.message, msg);
    ck_assert_str_eq(f.err.file, RULES_FILE);
    ck_assert_uint_eq(f.err.line, RULES_LINE);
    ck_assert_uint_eq(f.err.column, col);
    ck_assert_str_eq(f.err.source_line, f.line);
}

static void expect_error(const char *file, const char *msg)
{
    expect_error_in(DATA, file, msg);
}

/* A temporary folder for files the tests write; removed by tmp_done. */
static char tmpdir[64];

static void tmp_setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/check_map.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void tmp_write(const char *name, const void *data, size_t len)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
    ck_assert_int_eq(fclose(fp), 0);
}

static void tmp_remove(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    unlink(path);
}

START_TEST(lookups)
{
    void *s = load(DATA, "map/names.csv");
    expect(s, "홍길동", "P0001");
    expect(s, "김철수", "P0002");
    expect(s, "Lee, Young", "P0003"); /* quoted original with the delimiter */
    expect(s, "empty", "");           /* an empty replacement blanks */
    expect(s, " a b ", "x \"y\"");     /* no trimming; doubled quotes undone */
    expect_missing(s, "a b", 3);
    expect_missing(s, "홍길", strlen("홍길"));
    expect_missing(s, "\"Lee, Young\"", 12);
    expect_missing(s, "P0001", 5); /* replacements are not originals */
    expect_missing(s, "김철수\0", strlen("김철수") + 1);
    expect_describe(s, "file=map/names.csv rows=5");
    ops()->free(s);
}
END_TEST

START_TEST(crlf_bom_multiline)
{
    void *s = load(DATA, "map/crlf.csv");
    expect(s, "홍길동", "P0001"); /* the BOM is not part of the first value */
    expect(s, "김철수", "P0002"); /* no CR kept on the replacement */
    expect(s, "multi\r\nline", "P0003");
    expect_missing(s, "multi\nline", 10);
    expect_describe(s, "file=map/crlf.csv rows=3");
    ops()->free(s);
}
END_TEST

START_TEST(shared_replacements)
{
    void *s = load(DATA "/map", "shared.csv");
    expect(s, "a", "same");
    expect(s, "b", "same");
    expect(s, "c", "other");
    expect_describe(s, "file=shared.csv rows=3");
    ops()->free(s);
}
END_TEST

START_TEST(nul_bytes_and_absolute_path)
{
    tmp_setup();
    static const char text[] = "a\0b,X\na,Y\n\0,Z\nq,r\0s\n";
    tmp_write("nul.csv", text, sizeof text - 1);
    char path[128];
    snprintf(path, sizeof path, "%s/nul.csv", tmpdir);
    void *s = load("/nonexistent", path); /* absolute: base_dir unused */
    expect_bytes(s, "a\0b", 3, "X", 1);
    expect_bytes(s, "a", 1, "Y", 1);
    expect_bytes(s, "\0", 1, "Z", 1);
    expect_bytes(s, "q", 1, "r\0s", 3);
    expect_missing(s, "a\0", 2);
    expect_missing(s, "a\0c", 3);
    ops()->free(s);
    /* Relative to base_dir. */
    s = load(tmpdir, "nul.csv");
    expect_bytes(s, "a\0b", 3, "X", 1);
    ops()->free(s);
    tmp_remove("nul.csv");
    rmdir(tmpdir);
}
END_TEST

START_TEST(file_errors)
{
    expect_error("map/three.csv",
                 "map/three.csv:2: has 3 fields; a map row is: original,replacement");
    expect_error("map/one.csv", "map/one.csv:2: has 1 field; a map row is: original,replacement");
    expect_error("map/dup.csv", "map/dup.csv:3: value appears twice (lines 1 and 3)");
    expect_error("map/crlf_dup.csv", "map/crlf_dup.csv:4: value appears twice (lines 1 and 4)");
    expect_error("map/empty_original.csv",
                 "map/empty_original.csv:2: the original value (first field) is empty");
    expect_error("map/empty.csv", "map/empty.csv: has no rows");
    expect_error("map/badquote.csv",
                 "map/badquote.csv:1: malformed quoting on line 1: text after a closing quote");
    expect_error("map/nope.csv", "cannot read " DATA "/map/nope.csv: No such file or directory");
    expect_error("map", "cannot read " DATA "/map: Is a directory");
}
END_TEST

/* A file over DEID_MAX_LOOKUP_BYTES is refused before it is read: a sparse
 * file of that size plus one byte costs nothing to make. */
START_TEST(size_limit)
{
    tmp_setup();
    char path[128];
    snprintf(path, sizeof path, "%s/big.csv", tmpdir);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)DEID_MAX_LOOKUP_BYTES + 1), 0);
    ck_assert_int_eq(close(fd), 0);
    expect_error_in(tmpdir, "big.csv",
                    "big.csv: larger than 67108864 bytes (DEID_MAX_LOOKUP_BYTES)");
    tmp_remove("big.csv");
    rmdir(tmpdir);
}
END_TEST

START_TEST(missing_parameters)
{
    fixture f;
    void *state = NULL;
    fx_init(&f, DATA);
    ck_assert_int_eq(ops()->compile(&f.ctx, &state), DEID_E_RULES);
    ck_assert_str_eq(f.err.message, "map needs file=PATH (original,replacement rows)");
    ck_assert_uint_eq(f.err.column, 7);
    ck_assert_uint_eq(f.err.line, RULES_LINE);
    ck_assert_str_eq(f.err.file, RULES_FILE);

    fx_init(&f, DATA);
    unsigned long col = fx_param(&f, "file", "");
    ck_assert_int_eq(ops()->compile(&f.ctx, &state), DEID_E_RULES);
    ck_assert_str_eq(f.err.message, "file= is empty");
    ck_assert_uint_eq(f.err.column, col);
    ck_assert_ptr_null(state);
}
END_TEST

START_TEST(registration)
{
    const transform_ops *o = ops();
    ck_assert_str_eq(o->name, "map");
    ck_assert_str_eq(o->technique, "가명처리/휴리스틱 가명화 (heuristic substitution)");
    ck_assert_uint_eq(o->flags, 0);
    ops()->free(NULL);
}
END_TEST

Suite *map_suite(void); /* called by check_main.c */
Suite *map_suite(void)
{
    Suite *s = suite_create("map");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, lookups);
    tcase_add_test(tc, crlf_bom_multiline);
    tcase_add_test(tc, shared_replacements);
    tcase_add_test(tc, nul_bytes_and_absolute_path);
    tcase_add_test(tc, file_errors);
    tcase_add_test(tc, size_limit);
    tcase_add_test(tc, missing_parameters);
    tcase_add_test(tc, registration);
    suite_add_tcase(s, tc);
    return s;
}
