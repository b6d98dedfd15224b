/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_colplan.c - the one binding of names to columns: the same header
 * checks for every command, names matched NFC-normalized (NFD Hangul
 * header = NFC rule name), positional names without a header, and the
 * forward and reverse plans built from the same rules.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "colplan.h"
#include "deid.h"

/* 이름 precomposed (NFC) and as conjoining jamo (NFD, as macOS saves it). */
#define NAME_NFC "\xEC\x9D\xB4\xEB\xA6\x84"
#define NAME_NFD "\xE1\x84\x8B\xE1\x85\xB5\xE1\x84\x85\xE1\x85\xB3\xE1\x86\xB7"

static void fields(csv_field *f, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        f[i].data = names[i];
        f[i].len = strlen(names[i]);
    }
}

static deid_rules *load_rules(const char *text)
{
    deid_rules *r = NULL;
    deid_error err;
    ck_assert_int_eq(deid_rules_parse(text, strlen(text), "t.rules", NULL, &r, &err), DEID_OK);
    return r;
}

START_TEST(nfd_header_matches_nfc_name)
{
    static const char *const names[] = {"age", NAME_NFD};
    csv_field f[2];
    fields(f, names, 2);
    colplan_header h;
    deid_error err;
    ck_assert_int_eq(colplan_header_read(&h, f, 2, 1, "in.csv", NULL, &err), DEID_OK);
    int dup = -1;
    ck_assert_int_eq(colplan_find(&h, NAME_NFC, &dup), 1);
    ck_assert_int_eq(dup, 0);
    ck_assert_int_eq(colplan_find(&h, NAME_NFD, NULL), 1);
    ck_assert_int_eq(colplan_find(&h, "sex", NULL), -1);
    ck_assert_str_eq(h.names[1], NAME_NFD); /* the input's spelling is kept */
    static const char *const again[] = {"age", NAME_NFC};
    fields(f, again, 2);
    ck_assert_int_eq(colplan_same_header(&h, f, 2), 1);
    static const char *const other[] = {NAME_NFC, "age"};
    fields(f, other, 2);
    ck_assert_int_eq(colplan_same_header(&h, f, 2), 0);
    ck_assert_int_eq(colplan_same_header(&h, f, 1), 0);
    colplan_header_free(&h);
}
END_TEST

START_TEST(header_checks)
{
    static const char *const names[] = {"a", NAME_NFC, "b", NAME_NFD};
    csv_field f[4];
    fields(f, names, 4);
    colplan_header h;
    deid_error err;
    /* NFC and NFD spellings of one name are the same name twice */
    ck_assert_int_eq(colplan_header_read(&h, f, 4, 1, "in.csv", NULL, &err), DEID_OK);
    int dup = 0;
    ck_assert_int_eq(colplan_find(&h, "a", &dup), 0);
    ck_assert_int_eq(dup, 0);
    ck_assert_int_eq(colplan_find(&h, NAME_NFD, &dup), 1);
    ck_assert_int_eq(dup, 1);
    ck_assert_int_eq(h.dup_first, 1);
    ck_assert_int_eq(h.dup_second, 3);
    colplan_header_free(&h);

    csv_field nul[2] = {{"a", 1}, {"b\0c", 3}};
    ck_assert_int_eq(colplan_header_read(&h, nul, 2, 1, "in.csv", NULL, &err), DEID_E_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "column 2 holds a NUL byte"));
    colplan_header_free(&h);

    /* without a header the same record is data: its columns are #1, #2 */
    ck_assert_int_eq(colplan_header_read(&h, nul, 2, 0, "in.csv", NULL, &err), DEID_OK);
    ck_assert_str_eq(h.names[1], "#2");
    ck_assert_int_eq(colplan_find(&h, "#2", NULL), 1);
    colplan_header_free(&h);
}
END_TEST

START_TEST(forward_and_reverse_plans)
{
    char key[] = "/tmp/colplan-key.XXXXXX";
    int fd = mkstemp(key);
    ck_assert_int_ge(fd, 0);
    static const char hex[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";
    ck_assert_int_eq(write(fd, hex, sizeof hex - 1), (int)(sizeof hex - 1));
    close(fd);
    char text[256];
    snprintf(text, sizeof text,
             "key k file=%s\ninput header=no\ncolumn #2 encrypt key=k\ncolumn #3 hash key=k\n"
             "default drop\n",
             key);
    deid_rules *r = load_rules(text);
    unlink(key);
    csv_field f[3] = {{"x", 1}, {"y", 1}, {"z", 1}};
    colplan_request req = {.rules = r, .direction = COLPLAN_FORWARD, .has_header = 0};
    colplan *p;
    deid_error err;
    ck_assert_int_eq(colplan_bind(&req, f, 3, &p, &err), DEID_OK);
    ck_assert_uint_eq(p->n_cols, 3);
    ck_assert_uint_eq(p->n_out, 2);
    ck_assert_int_eq(p->cols[0].written, 0); /* default drop */
    ck_assert_str_eq(p->cols[1].ops->name, "encrypt");
    ck_assert_int_eq(p->cols[1].reversing, 0);
    colplan_free(p);

    /* reverse restores what can be undone, keeps the rest, drops nothing */
    req.direction = COLPLAN_REVERSE;
    ck_assert_int_eq(colplan_bind(&req, f, 3, &p, &err), DEID_OK);
    ck_assert_uint_eq(p->n_out, 3);
    ck_assert_int_eq(p->cols[1].reversing, 1);
    ck_assert_int_eq(p->cols[2].reversing, 0);
    ck_assert_str_eq(p->cols[2].ops->name, "keep");
    colplan_free(p);

    char *only[] = {"#3"};
    req.only = only;
    req.n_only = 1;
    ck_assert_int_eq(colplan_bind(&req, f, 3, &p, &err), DEID_E_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "one-way"));

    /* forward with a header: a rule's column must be there */
    csv_field named[2] = {{"#2", 2}, {"#2", 2}};
    req = (colplan_request){.rules = r, .direction = COLPLAN_FORWARD, .has_header = 1};
    ck_assert_int_eq(colplan_bind(&req, named, 1, &p, &err), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(err.message, "no column \"#3\""));
    ck_assert_int_eq(colplan_bind(&req, named, 2, &p, &err), DEID_E_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "twice (columns 1 and 2)"));
    deid_rules_free(r);
}
END_TEST

/* A header cell may be data (a headerless extract): a plan column's label
 * is its name only when the rules name it, else its position; messages
 * use labels, and a first record that looks like data is refused without
 * its value (issue 12, finding 1). */
START_TEST(labels_hide_unnamed_header_cells)
{
    deid_rules *r = load_rules("default drop\ncolumn name keep\n");
    csv_field f[3] = {{"name", 4}, {"홍길동", 9}, {"secret", 6}};
    colplan_request req = {.rules = r, .direction = COLPLAN_FORWARD, .has_header = 1};
    colplan *p;
    deid_error err;
    ck_assert_int_eq(colplan_bind(&req, f, 3, &p, &err), DEID_OK);
    ck_assert_str_eq(p->cols[0].label, "name");
    ck_assert_str_eq(p->cols[1].label, "#2");
    ck_assert_str_eq(p->cols[2].label, "#3");
    ck_assert_str_eq(p->cols[1].name, "홍길동"); /* the output header is the input's */
    colplan_free(p);

    /* a repeated unnamed cell: positions only */
    csv_field dup[3] = {{"name", 4}, {"홍길동", 9}, {"홍길동", 9}};
    ck_assert_int_eq(colplan_bind(&req, dup, 3, &p, &err), DEID_E_DATA);
    ck_assert_str_eq(err.message, "the header gives columns #2 and #3 the same name");

    /* data in the first record: the kind and position, never the value */
    csv_field data[2] = {{"name", 4}, {"850907-1562830", 14}};
    ck_assert_int_eq(colplan_bind(&req, data, 2, &p, &err), DEID_E_DATA);
    ck_assert_str_eq(err.message, "the first record looks like data (column 2 looks like a "
                                  "resident registration number); if the input has no "
                                  "header, say `input header=no`");
    ck_assert_uint_eq(err.line, 1);
    req.no_header_hint = "say `--no-header`";
    ck_assert_int_eq(colplan_bind(&req, data, 2, &p, &err), DEID_E_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "no header, say `--no-header`"));
    /* without a header the same record is data, as said */
    req.has_header = 0;
    ck_assert_int_eq(colplan_bind(&req, data, 2, &p, &err), DEID_E_RULES); /* no column "name" */
    deid_rules_free(r);

    /* default error lists the uncovered columns by position */
    r = load_rules("column name keep\n");
    req = (colplan_request){.rules = r, .direction = COLPLAN_FORWARD, .has_header = 1};
    ck_assert_int_eq(colplan_bind(&req, f, 3, &p, &err), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(err.message, "2 input columns are not covered by any rule: #2, #3 "));
    ck_assert_ptr_null(strstr(err.message, "secret"));
    deid_rules_free(r);
}
END_TEST

/* `input blank-columns=drop` (issue 13): empty header names are neither
 * duplicates nor written, in both directions; a named duplicate still is
 * an error; without the option the duplicate error says to use it. */
START_TEST(blank_columns_dropped)
{
    deid_rules *r = load_rules("input blank-columns=drop\ncolumn a keep\ncolumn b keep\n");
    static const char *const names[] = {"a", "", "b", "", ""};
    csv_field f[5];
    fields(f, names, 5);
    colplan_request req = {.rules = r, .direction = COLPLAN_FORWARD, .has_header = 1};
    colplan *p;
    deid_error err;
    ck_assert_int_eq(colplan_bind(&req, f, 5, &p, &err), DEID_OK);
    ck_assert_uint_eq(p->n_out, 2);
    static const int blank[] = {0, 1, 0, 1, 1};
    for (size_t i = 0; i < 5; i++) {
        ck_assert_int_eq(p->cols[i].blank, blank[i]);
        ck_assert_int_eq(p->cols[i].written, !blank[i]);
    }
    /* a value there is a bad value; what says so is the column's transform */
    const char *why = NULL;
    dbuf out;
    dbuf_init(&out, 64);
    xf_value v = {"x", 1};
    ck_assert_int_eq(p->cols[1].ops->apply(p->cols[1].state, &v, 1, &out, &why), XF_BAD_VALUE);
    ck_assert_ptr_nonnull(strstr(why, "blank-columns=drop"));
    ck_assert_uint_eq(out.len, 0);
    dbuf_free(&out);
    ck_assert_int_eq(p->cols[1].on_error, ON_ERROR_FAIL);
    colplan_free(p);

    req.direction = COLPLAN_REVERSE;
    ck_assert_int_eq(colplan_bind(&req, f, 5, &p, &err), DEID_OK);
    ck_assert_uint_eq(p->n_out, 2);
    colplan_free(p);

    static const char *const twice[] = {"a", "", "b", "", "a"};
    fields(f, twice, 5);
    req.direction = COLPLAN_FORWARD;
    ck_assert_int_eq(colplan_bind(&req, f, 5, &p, &err), DEID_E_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "column \"a\" twice (columns 1 and 5)"));
    deid_rules_free(r);

    r = load_rules("column a keep\ncolumn b keep\n");
    fields(f, names, 5);
    req.rules = r;
    ck_assert_int_eq(colplan_bind(&req, f, 5, &p, &err), DEID_E_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "column \"\" twice (columns 2 and 4)"));
    ck_assert_ptr_nonnull(strstr(err.message, "`input blank-columns=drop`"));
    /* one empty name: not covered by a rule, and the message says what to do */
    ck_assert_int_eq(colplan_bind(&req, f, 4, &p, &err), DEID_E_DATA);
    ck_assert_int_eq(colplan_bind(&req, f, 3, &p, &err), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(err.message, "#2"));
    ck_assert_ptr_nonnull(strstr(err.message, "`input blank-columns=drop`"));
    deid_rules_free(r);
}
END_TEST

Suite *colplan_suite(void); /* called by check_main.c */
Suite *colplan_suite(void)
{
    Suite *s = suite_create("colplan");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, nfd_header_matches_nfc_name);
    tcase_add_test(tc, header_checks);
    tcase_add_test(tc, forward_and_reverse_plans);
    tcase_add_test(tc, labels_hide_unnamed_header_cells);
    tcase_add_test(tc, blank_columns_dropped);
    suite_add_tcase(s, tc);
    return s;
}
