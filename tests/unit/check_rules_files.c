/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_rules_files.c - deid_rules_file: every file a rule set reads
 * besides itself (keys, hierarchies, maps, token vaults), resolved against
 * the rules' folder, with its role, in the order the rules name them; the
 * CLI keeps its outputs off these (tests/cli/cases/output-collides-*).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deid.h"
#include "scratch.h"

static char tmpdir[64];
static char pathbuf[4][512];
static unsigned turn;
static deid_rules *rules;
static deid_error err;

static const char *tpath(const char *name)
{
    char *p = pathbuf[turn++ % 4];
    snprintf(p, sizeof pathbuf[0], "%s/%s", tmpdir, name);
    return p;
}

static void write_file(const char *name, const char *text, mode_t mode)
{
    FILE *f = fopen(tpath(name), "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fputs(text, f) >= 0, 1);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(chmod(tpath(name), mode), 0);
}

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/check_rules_files.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    rules = NULL;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(mkdir(tpath("side"), 0700), 0);
    write_file("side/k.key", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
               0600);
    write_file("side/age.csv", "34;30-34;30-39;*\n35;35-39;30-39;*\n", 0644);
    write_file("side/city.csv", "서울,수도권\n부산,영남\n", 0644);
}

static void teardown(void)
{
    deid_rules_free(rules);
    rules = NULL;
    scratch_remove_tree(tmpdir);
}

static void parse(const char *text)
{
    deid_status st = deid_rules_parse(text, strlen(text), "t.rules", tmpdir, &rules, &err);
    ck_assert_msg(st == DEID_OK, "rules: %s", err.message);
}

START_TEST(every_side_file_with_its_role)
{
    parse("key main file=side/k.key\n"
          "column id hash key=main\n"
          "column age hierarchy file=side/age.csv level=1\n"
          "column name mask keep-first=1\n"
          "column city map file=side/city.csv\n"
          "column phone token vault=side/tokens.csv\n");
    static const char *const want_role[] = {"key", "hierarchy", "map", "token"};
    static const char *const want_path[] = {"side/k.key", "side/age.csv", "side/city.csv",
                                            "side/tokens.csv"};
    const char *role = NULL;
    for (size_t i = 0; i < 4; i++) {
        const char *path = deid_rules_file(rules, i, &role);
        ck_assert_ptr_nonnull(path);
        ck_assert_str_eq(path, tpath(want_path[i]));
        ck_assert_str_eq(role, want_role[i]);
    }
    ck_assert_ptr_null(deid_rules_file(rules, 4, &role));
    ck_assert_ptr_nonnull(deid_rules_file(rules, 0, NULL)); /* role may be NULL */
}
END_TEST

START_TEST(none_without_side_files)
{
    parse("column name mask keep-first=1\ncolumn age range width=10\n");
    ck_assert_ptr_null(deid_rules_file(rules, 0, NULL));
    ck_assert_ptr_null(deid_rules_file(NULL, 0, NULL));
}
END_TEST

START_TEST(absolute_names_unchanged)
{
    char text[1024];
    snprintf(text, sizeof text, "column age hierarchy file=%s level=2\n", tpath("side/age.csv"));
    parse(text);
    const char *role;
    ck_assert_str_eq(deid_rules_file(rules, 0, &role), tpath("side/age.csv"));
    ck_assert_str_eq(role, "hierarchy");
}
END_TEST

Suite *rules_files_suite(void); /* called by check_main.c */
Suite *rules_files_suite(void)
{
    Suite *s = suite_create("rules_files");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, every_side_file_with_its_role);
    tcase_add_test(tc, none_without_side_files);
    tcase_add_test(tc, absolute_names_unchanged);
    suite_add_tcase(s, tc);
    return s;
}
