/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_rules_vault.c - the token vaults of a rule set (rules_vault.c):
 * the resolved paths in rule order, and the refusal of a vault in the
 * output's folder however the two paths are spelled (folders compared by
 * inode: "x/./" and a symbolic link to the folder are the same folder).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deid.h"
#include "rules_vault.h"
#include "scratch.h"

static char tmpdir[64];
static char pathbuf[4][512];
static unsigned turn;
static deid_rules *rules;
static deid_error err;

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/check_rules_vault.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    rules = NULL;
    memset(&err, 0, sizeof err);
}

static void teardown(void)
{
    deid_rules_free(rules);
    rules = NULL;
    scratch_remove_tree(tmpdir);
}

static const char *tpath(const char *name)
{
    char *p = pathbuf[turn++ % 4];
    snprintf(p, sizeof pathbuf[0], "%s/%s", tmpdir, name);
    return p;
}

static void parse(const char *text)
{
    deid_status st = deid_rules_parse(text, strlen(text), "t.rules", tmpdir, &rules, &err);
    ck_assert_msg(st == DEID_OK, "rules: %s", err.message);
}

START_TEST(paths_in_rule_order)
{
    ck_assert_int_eq(mkdir(tpath("a"), 0700), 0);
    ck_assert_int_eq(mkdir(tpath("b"), 0700), 0);
    parse("column id token vault=a/ids.csv\n"
          "column name mask keep-first=1\n"
          "add id2 token vault=b/other.csv from=id\n"
          "column phone token vault=a/ids.csv\n");
    ck_assert_uint_eq(rules_vault_count(rules), 3);
    ck_assert_str_eq(rules_vault_path(rules, 0), tpath("a/ids.csv"));
    ck_assert_str_eq(rules_vault_path(rules, 1), tpath("b/other.csv"));
    ck_assert_str_eq(rules_vault_path(rules, 2), tpath("a/ids.csv"));
    ck_assert_ptr_null(rules_vault_path(rules, 3));
}
END_TEST

/* Issue 12, finding 9: one vault, one token format. The error is at the
 * second rule's differing parameter. */
START_TEST(shared_vault_one_format)
{
    static const struct {
        const char *second;
        unsigned long col;
    } cases[] = {
        {"column b token vault=v.csv length=8", 28},
        {"column b token alphabet=digits vault=v.csv", 16},
        {"column b token vault=./v.csv length=16 alphabet=digits", 40},
        /* not written: the default differs from the first's, at vault= */
        {"column b token vault=v.csv", 16},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "column a token vault=v.csv %s\n%s\n",
                 i == 3 ? "length=12" : "", cases[i].second);
        deid_status st = deid_rules_parse(text, strlen(text), "t.rules", tmpdir, &rules, &err);
        ck_assert_int_eq(st, DEID_E_RULES);
        ck_assert_ptr_null(rules);
        ck_assert_uint_eq(err.line, 2);
        ck_assert_uint_eq(err.column, cases[i].col);
        ck_assert_str_eq(err.source_line, cases[i].second);
        ck_assert_ptr_nonnull(strstr(err.message, "column b shares the token vault of column a"));
    }
    /* the same format, written differently, and other vaults: fine */
    parse("column a token vault=v.csv length=16 alphabet=alnum\n"
          "column b token vault=v.csv\n"
          "column c token vault=w.csv length=8 alphabet=digits\n"
          "add d token vault=v.csv from=a\n");
    ck_assert_uint_eq(rules_vault_count(rules), 4);
}
END_TEST

START_TEST(no_vaults)
{
    parse("column name mask keep-first=1\n");
    ck_assert_uint_eq(rules_vault_count(rules), 0);
    ck_assert_ptr_null(rules_vault_path(rules, 0));
    ck_assert_int_eq(rules_vault_check_output(rules, tpath("out.csv"), &err), DEID_OK);
}
END_TEST

START_TEST(output_folder)
{
    ck_assert_int_eq(mkdir(tpath("vault"), 0700), 0);
    ck_assert_int_eq(mkdir(tpath("out"), 0700), 0);
    ck_assert_int_eq(symlink("vault", tpath("alias")), 0);
    parse("column id token vault=vault/ids.csv\n");

    /* Apart: fine, also when the output folder does not exist (opening
     * the output reports that). */
    ck_assert_int_eq(rules_vault_check_output(rules, tpath("out/res.csv"), &err), DEID_OK);
    ck_assert_int_eq(rules_vault_check_output(rules, tpath("none/res.csv"), &err), DEID_OK);
    ck_assert_int_eq(rules_vault_check_output(rules, tpath("res.csv"), &err), DEID_OK);

    static const char *const same[] = {"vault/res.csv", "vault/./res.csv", "out/../vault/r.gz",
                                       "alias/res.csv"};
    char want[1024];
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        const char *out = tpath(same[i]);
        memset(&err, 0, sizeof err);
        ck_assert_int_eq(rules_vault_check_output(rules, out, &err), DEID_E_USAGE);
        ck_assert_int_eq(err.status, DEID_E_USAGE);
        snprintf(want, sizeof want,
                 "token vault %s is in the folder of the output %s; keep the mapping table apart "
                 "from the data (move the vault, or pass --allow-vault-beside-output)",
                 tpath("vault/ids.csv"), out);
        ck_assert_str_eq(err.message, want);
    }
}
END_TEST

START_TEST(relative_output)
{
    /* A bare output name is in the current folder. */
    char cwd[512];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    parse("column id token vault=ids.csv\n");
    ck_assert_int_eq(chdir(tmpdir), 0);
    deid_status st = rules_vault_check_output(rules, "res.csv", &err);
    deid_status st2 = rules_vault_check_output(rules, "sub/res.csv", &err);
    ck_assert_int_eq(chdir(cwd), 0);
    ck_assert_int_eq(st, DEID_E_USAGE);
    ck_assert_int_eq(st2, DEID_OK);
}
END_TEST

Suite *rules_vault_suite(void); /* called by check_main.c */
Suite *rules_vault_suite(void)
{
    Suite *s = suite_create("rules_vault");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, paths_in_rule_order);
    tcase_add_test(tc, shared_vault_one_format);
    tcase_add_test(tc, no_vaults);
    tcase_add_test(tc, output_folder);
    tcase_add_test(tc, relative_output);
    suite_add_tcase(s, tc);
    return s;
}
