/* SPDX-License-Identifier: Apache-2.0 */
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
#include "xf_rig.h"

/* Named here so that the linker pulls xf_map.o out of libdeid.a: the
 * table in transform.c only holds weak references. */
extern const transform_ops xf_map_ops;

#define DATA "tests/unit/data"
#define RULES_FILE "rules/test.rules"
#define RULES_LINE 12ul

/* The statement "name: map NAME=VALUE ..." on line RULES_LINE of
 * RULES_FILE; parameters are appended to the line by xf_rig_add. */
static const xf_rig_setup setup = {
    .ops = &xf_map_ops,
    .column = "name",
    .rules_file = RULES_FILE,
    .line = RULES_LINE,
    .col = 7,
    .source_line = "name: map",
};

/* Compiles file=FILE against base_dir into r; must succeed. */
static void load(xf_rig *r, const char *base_dir, const char *file)
{
    xf_rig_init_dir(r, &setup, base_dir);
    xf_rig_add(r, "file", file);
    xf_rig_compile_ok(r);
}

static void expect_missing(const xf_rig *r, const char *value, size_t len)
{
    xf_rig_expect_bad_bytes(r, value, len, "is not in the map");
}

/* Compiles file=FILE against base_dir; must fail as a rules error with
 * message msg at the column of file=. */
static void expect_error_in(const char *base_dir, const char *file, const char *msg)
{
    xf_rig r;
    xf_rig_init_dir(&r, &setup, base_dir);
    unsigned long col = xf_rig_add(&r, "file", file);
    xf_rig_expect_rules_message(&r, xf_rig_compile(&r), col, msg);
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
    xf_rig s;
    load(&s, DATA, "map/names.csv");
    xf_rig_expect(&s, "홍길동", "P0001");
    xf_rig_expect(&s, "김철수", "P0002");
    xf_rig_expect(&s, "Lee, Young", "P0003"); /* quoted original with the delimiter */
    xf_rig_expect(&s, "empty", "");           /* an empty replacement blanks */
    xf_rig_expect(&s, " a b ", "x \"y\"");    /* no trimming; doubled quotes undone */
    expect_missing(&s, "a b", 3);
    expect_missing(&s, "홍길", strlen("홍길"));
    expect_missing(&s, "\"Lee, Young\"", 12);
    expect_missing(&s, "P0001", 5); /* replacements are not originals */
    expect_missing(&s, "김철수\0", strlen("김철수") + 1);
    xf_rig_expect_describe(&s, "file=map/names.csv rows=5");
    xf_rig_done(&s);
}
END_TEST

START_TEST(crlf_bom_multiline)
{
    xf_rig s;
    load(&s, DATA, "map/crlf.csv");
    xf_rig_expect(&s, "홍길동", "P0001"); /* the BOM is not part of the first value */
    xf_rig_expect(&s, "김철수", "P0002"); /* no CR kept on the replacement */
    xf_rig_expect(&s, "multi\r\nline", "P0003");
    expect_missing(&s, "multi\nline", 10);
    xf_rig_expect_describe(&s, "file=map/crlf.csv rows=3");
    xf_rig_done(&s);
}
END_TEST

START_TEST(shared_replacements)
{
    xf_rig s;
    load(&s, DATA "/map", "shared.csv");
    xf_rig_expect(&s, "a", "same");
    xf_rig_expect(&s, "b", "same");
    xf_rig_expect(&s, "c", "other");
    xf_rig_expect_describe(&s, "file=shared.csv rows=3");
    xf_rig_done(&s);
}
END_TEST

START_TEST(nul_bytes_and_absolute_path)
{
    tmp_setup();
    static const char text[] = "a\0b,X\na,Y\n\0,Z\nq,r\0s\n";
    tmp_write("nul.csv", text, sizeof text - 1);
    char path[128];
    snprintf(path, sizeof path, "%s/nul.csv", tmpdir);
    xf_rig s;
    load(&s, "/nonexistent", path); /* absolute: base_dir unused */
    xf_rig_expect_bytes(&s, "a\0b", 3, "X", 1);
    xf_rig_expect_bytes(&s, "a", 1, "Y", 1);
    xf_rig_expect_bytes(&s, "\0", 1, "Z", 1);
    xf_rig_expect_bytes(&s, "q", 1, "r\0s", 3);
    expect_missing(&s, "a\0", 2);
    expect_missing(&s, "a\0c", 3);
    xf_rig_done(&s);
    /* Relative to base_dir. */
    load(&s, tmpdir, "nul.csv");
    xf_rig_expect_bytes(&s, "a\0b", 3, "X", 1);
    xf_rig_done(&s);
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
    xf_rig r;
    xf_rig_init_dir(&r, &setup, DATA);
    ck_assert_int_eq(xf_rig_compile(&r), DEID_E_RULES);
    ck_assert_str_eq(r.err.message, "map needs file=PATH (original,replacement rows)");
    ck_assert_uint_eq(r.err.column, 7);
    ck_assert_uint_eq(r.err.line, RULES_LINE);
    ck_assert_str_eq(r.err.file, RULES_FILE);
    ck_assert_ptr_null(r.state);

    xf_rig_init_dir(&r, &setup, DATA);
    unsigned long col = xf_rig_add(&r, "file", "");
    ck_assert_int_eq(xf_rig_compile(&r), DEID_E_RULES);
    ck_assert_str_eq(r.err.message, "file= is empty");
    ck_assert_uint_eq(r.err.column, col);
    ck_assert_ptr_null(r.state);
}
END_TEST

START_TEST(registration)
{
    xf_rig_expect_registered(&xf_map_ops, "map", "가명처리/휴리스틱 가명화 (heuristic substitution)",
                             0);
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
