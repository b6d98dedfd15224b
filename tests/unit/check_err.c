/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_err.c - filling a deid_error (err_set, err_at_*) and rendering it
 * (deid_error_format): rules errors with FILE:LINE:COL, the source line
 * and a caret under the right byte (tabs kept), rules errors without a
 * column, data errors with any mix of file, record, line and field,
 * snprintf-style truncation, and the status names. Expected text is
 * written by hand.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static deid_error e;
static char buf[2048];

static void setup(void)
{
    memset(&e, 0x5a, sizeof e); /* err_set must clear every field */
}

/* Formats e into buf and checks both the text and the returned length. */
static void expect_format(const char *want)
{
    size_t n = deid_error_format(&e, buf, sizeof buf);
    ck_assert_str_eq(buf, want);
    ck_assert_uint_eq(n, strlen(want));
}

START_TEST(test_rules_with_caret)
{
    err_set(&e, DEID_E_RULES, "unknown transform \"%s\"", "hsah");
    err_at_rules(&e, "rules/x.rules", 12, 9, "column x hsah");
    /* "column x " is 9 bytes, so "hsah" starts at column 10; the caller
     * said 9, so the caret goes under the space before it: 8 spaces. */
    expect_format("rules/x.rules:12:9: unknown transform \"hsah\"\n"
                  "  column x hsah\n"
                  "          ^");
    e.column = 10;
    expect_format("rules/x.rules:12:10: unknown transform \"hsah\"\n"
                  "  column x hsah\n"
                  "           ^");
}
END_TEST

START_TEST(test_rules_caret_keeps_tabs)
{
    /* bytes: 1 tab, 2-7 "column", 8 space, 9 'a', 10 tab, 11-14 "hsah" */
    err_set(&e, DEID_E_RULES, "unknown transform \"hsah\"");
    err_at_rules(&e, "r.rules", 3, 11, "\tcolumn a\thsah");
    expect_format("r.rules:3:11: unknown transform \"hsah\"\n"
                  "  \tcolumn a\thsah\n"
                  "  \t        \t^");
}
END_TEST

START_TEST(test_rules_caret_at_edges)
{
    err_set(&e, DEID_E_RULES, "a statement must start with a keyword");
    err_at_rules(&e, "r.rules", 1, 1, "x=1");
    expect_format("r.rules:1:1: a statement must start with a keyword\n"
                  "  x=1\n"
                  "  ^");
    /* just past the end of the line: "something is missing" */
    err_set(&e, DEID_E_RULES, "error, keep or drop is missing");
    err_at_rules(&e, "r.rules", 2, 8, "default");
    expect_format("r.rules:2:8: error, keep or drop is missing\n"
                  "  default\n"
                  "         ^");
    /* a column far past the end: the caret stops right after the text */
    e.column = 4096;
    expect_format("r.rules:2:4096: error, keep or drop is missing\n"
                  "  default\n"
                  "         ^");
}
END_TEST

START_TEST(test_rules_caret_multibyte)
{
    /* the caret counts bytes (deid_error.column is a byte column):
     * "이" is 3 bytes, so "x" at byte column 5 gets 4 spaces */
    err_set(&e, DEID_E_RULES, "m");
    err_at_rules(&e, "r.rules", 7, 5, "\xEC\x9D\xB4 x");
    expect_format("r.rules:7:5: m\n"
                  "  \xEC\x9D\xB4 x\n"
                  "      ^");
}
END_TEST

START_TEST(test_rules_without_column)
{
    err_set(&e, DEID_E_RULES, "bad row");
    err_at_rules(&e, "h.csv", 3, 0, NULL);
    expect_format("h.csv:3: bad row");
    /* no line either: the file name alone */
    err_set(&e, DEID_E_RULES, "2 input columns are not covered by any rule");
    err_at_file(&e, "t.rules");
    expect_format("t.rules: 2 input columns are not covered by any rule");
    /* no location at all */
    err_set(&e, DEID_E_RULES, "cannot open rules file x: No such file or directory");
    expect_format("cannot open rules file x: No such file or directory");
}
END_TEST

START_TEST(test_err_at_rules_cuts_line_end)
{
    err_set(&e, DEID_E_RULES, "m");
    err_at_rules(&e, "r", 1, 1, "column a keep\r\n");
    ck_assert_str_eq(e.source_line, "column a keep");
    err_at_rules(&e, "r", 1, 1, "abc\ndef");
    ck_assert_str_eq(e.source_line, "abc");
    err_at_rules(&e, "r", 1, 1, NULL);
    ck_assert_str_eq(e.source_line, "");
    ck_assert_uint_eq(e.status, DEID_E_RULES); /* status and message untouched */
    ck_assert_str_eq(e.message, "m");
}
END_TEST

/* Issue 12, finding 4: secrets never reach source_line (lint and every
 * rules error echo it). Expected lines written by hand; "…" is U+2026. */
#define ELL "\xE2\x80\xA6"
#define HEX64 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
static void expect_redacted(const char *line, const char *want)
{
    err_set(&e, DEID_E_RULES, "m");
    err_at_rules(&e, "r", 1, 1, line);
    ck_assert_str_eq(e.source_line, want);
}

START_TEST(test_err_at_rules_redacts_secrets)
{
    expect_redacted("key k hex=" HEX64, "key k hex=" ELL);
    expect_redacted("key k base64=ABEiM0RVZneImaq7zN3u/wARIjNEVWZ3iJmqu8zd7v8=", "key k base64=" ELL);
    expect_redacted("key k file=k.key secret=s3cr3t", "key k file=k.key secret=" ELL);
    expect_redacted("column a hash key=" HEX64 " length=8", "column a hash key=" ELL " length=8");
    expect_redacted("column a hash key=k password=hunter2", "column a hash key=k password=" ELL);
    expect_redacted("column a hash key=k Passphrase='two words' x=1",
                    "column a hash key=k Passphrase=" ELL " x=1");
    expect_redacted("column a hash key=k api_token=\"a \\\" b\"\tx=1",
                    "column a hash key=k api_token=" ELL "\tx=1");
    expect_redacted("column a hash key=k # pwd=hunter2", "column a hash key=k # pwd=" ELL);
    expect_redacted("column a hash key=k salt=abc pepper=def private-key=ghi",
                    "column a hash key=k salt=" ELL " pepper=" ELL " private-key=" ELL);
    /* the key itself typed as a bare word on a key statement */
    expect_redacted("key k file=k.key " HEX64 " more", "key k file=k.key " ELL " " ELL);
    expect_redacted("\tkey  k  " HEX64, "\tkey  k  " ELL);
    /* a secret-named parameter with an empty value: nothing to hide */
    expect_redacted("key k hex=", "key k hex=");
}
END_TEST

/* Names of keys and ordinary parameters stay as written. */
START_TEST(test_err_at_rules_keeps_names)
{
    expect_redacted("column a hash key=main length=8", "column a hash key=main length=8");
    expect_redacted("column a encrypt key=customer_main context=id",
                    "column a encrypt key=customer_main context=id");
    expect_redacted("key main file=keys/demo.key  # made by deid keygen",
                    "key main file=keys/demo.key  # made by deid keygen");
    expect_redacted("column a token vault=v.csv length=12 keep-first=2",
                    "column a token vault=v.csv length=12 keep-first=2");
    expect_redacted("column hex hash key=k", "column hex hash key=k");
    expect_redacted("suppress max=5% token=*", "suppress max=5% token=*");
}
END_TEST

START_TEST(test_data_full)
{
    err_set(&e, DEID_E_DATA, "is not a date");
    err_at_record(&e, "customers.csv", 1234, 1240, "birth");
    expect_format("customers.csv: record 1234 (line 1240), column \"birth\": is not a date");
}
END_TEST

START_TEST(test_data_partial)
{
    err_set(&e, DEID_E_DATA, "unterminated quote");
    err_at_record(&e, "in.csv", 0, 0, NULL);
    expect_format("in.csv: unterminated quote");

    err_set(&e, DEID_E_DATA, "unterminated quote");
    err_at_record(&e, NULL, 0, 7, NULL);
    expect_format("line 7: unterminated quote");

    err_set(&e, DEID_E_DATA, "too many fields");
    err_at_record(&e, NULL, 5, 0, NULL);
    expect_format("record 5: too many fields");

    err_set(&e, DEID_E_DATA, "too many fields");
    err_at_record(&e, "in.csv", 5, 0, NULL);
    expect_format("in.csv: record 5: too many fields");

    err_set(&e, DEID_E_DATA, "is not a number");
    err_at_record(&e, NULL, 0, 0, "age");
    expect_format("column \"age\": is not a number");

    err_set(&e, DEID_E_DATA, "is not a number");
    err_at_record(&e, "in.csv", 9, 0, "age");
    expect_format("in.csv: record 9, column \"age\": is not a number");

    err_set(&e, DEID_E_DATA, "x");
    err_at_record(&e, NULL, 0, 2, "c");
    expect_format("line 2, column \"c\": x");

    err_set(&e, DEID_E_IO, "out of memory");
    expect_format("out of memory");
}
END_TEST

START_TEST(test_err_at_record_keeps_known_fields)
{
    err_set(&e, DEID_E_DATA, "m");
    err_at_record(&e, "a.csv", 3, 4, "col");
    err_at_record(&e, NULL, 0, 0, NULL); /* adds nothing, removes nothing */
    ck_assert_str_eq(e.file, "a.csv");
    ck_assert_uint_eq(e.record, 3);
    ck_assert_uint_eq(e.line, 4);
    ck_assert_str_eq(e.field, "col");
    err_at_record(&e, "b.csv", 0, 9, NULL);
    ck_assert_str_eq(e.file, "b.csv");
    ck_assert_uint_eq(e.record, 3);
    ck_assert_uint_eq(e.line, 9);
    err_at_file(&e, NULL);
    ck_assert_str_eq(e.file, "b.csv");
    err_at_file(&e, "k.key");
    ck_assert_str_eq(e.file, "k.key");
}
END_TEST

START_TEST(test_err_set)
{
    ck_assert_int_eq(err_set(NULL, DEID_E_IO, "x %d", 1), DEID_E_IO);
    err_at_rules(NULL, "f", 1, 1, "s");
    err_at_record(NULL, "f", 1, 1, "c");
    err_at_file(NULL, "f");
    err_clear(NULL);

    ck_assert_int_eq(err_set(&e, DEID_E_PRIVACY, "%s has %d", "k", 2), DEID_E_PRIVACY);
    ck_assert_int_eq(e.status, DEID_E_PRIVACY);
    ck_assert_str_eq(e.message, "k has 2");
    ck_assert_str_eq(e.file, "");
    ck_assert_str_eq(e.field, "");
    ck_assert_str_eq(e.source_line, "");
    ck_assert_uint_eq(e.line, 0);
    ck_assert_uint_eq(e.column, 0);
    ck_assert_uint_eq(e.record, 0);

    /* a long message is cut, still NUL-terminated */
    char big[1000];
    memset(big, 'm', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    err_set(&e, DEID_E_DATA, "%s", big);
    ck_assert_uint_eq(strlen(e.message), sizeof e.message - 1);
    err_at_rules(&e, big, 1, 1, big);
    ck_assert_uint_eq(strlen(e.file), sizeof e.file - 1);
    ck_assert_uint_eq(strlen(e.source_line), sizeof e.source_line - 1);
    err_at_record(&e, NULL, 0, 0, big);
    ck_assert_uint_eq(strlen(e.field), sizeof e.field - 1);

    err_clear(&e);
    ck_assert_int_eq(e.status, DEID_OK);
    ck_assert_str_eq(e.message, "");
}
END_TEST

START_TEST(test_truncation)
{
    err_set(&e, DEID_E_RULES, "unknown transform \"hsah\"");
    err_at_rules(&e, "r.rules", 12, 11, "\tcolumn a hsah");
    const char *full = "r.rules:12:11: unknown transform \"hsah\"\n"
                       "  \tcolumn a hsah\n"
                       "  \t         ^";
    size_t want = strlen(full);

    char small[10];
    memset(small, 'X', sizeof small);
    ck_assert_uint_eq(deid_error_format(&e, small, sizeof small), want);
    ck_assert_str_eq(small, "r.rules:1");

    /* every size: the return value never changes, the text is the prefix */
    for (size_t size = 1; size <= want + 2; size++) {
        char out[128];
        memset(out, 'X', sizeof out);
        ck_assert_uint_eq(deid_error_format(&e, out, size), want);
        size_t got = size - 1 < want ? size - 1 : want;
        ck_assert_uint_eq(strlen(out), got);
        ck_assert_int_eq(memcmp(out, full, got), 0);
        ck_assert_int_eq(out[size], 'X'); /* nothing written past size */
    }
    /* size 0: nothing is written, the length is still returned */
    small[0] = 'X';
    ck_assert_uint_eq(deid_error_format(&e, small, 0), want);
    ck_assert_int_eq(small[0], 'X');
    ck_assert_uint_eq(deid_error_format(&e, NULL, 0), want);

    err_set(&e, DEID_E_DATA, "is not a date");
    err_at_record(&e, "in.csv", 2, 3, "birth");
    char four[4];
    ck_assert_uint_eq(deid_error_format(&e, four, sizeof four),
                      strlen("in.csv: record 2 (line 3), column \"birth\": is not a date"));
    ck_assert_str_eq(four, "in.");
}
END_TEST

START_TEST(test_null_error)
{
    strcpy(buf, "junk");
    ck_assert_uint_eq(deid_error_format(NULL, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "");
    ck_assert_uint_eq(deid_error_format(NULL, NULL, 0), 0);
}
END_TEST

START_TEST(test_status_names)
{
    ck_assert_str_eq(deid_status_name(DEID_OK), "success");
    ck_assert_str_eq(deid_status_name(DEID_E_PRIVACY), "privacy requirement not met");
    ck_assert_str_eq(deid_status_name(DEID_E_USAGE), "usage error");
    ck_assert_str_eq(deid_status_name(DEID_E_RULES), "rules error");
    ck_assert_str_eq(deid_status_name(DEID_E_DATA), "bad input");
    ck_assert_str_eq(deid_status_name(DEID_E_IO), "I/O error");
    ck_assert_str_eq(deid_status_name((deid_status)99), "error");
    ck_assert_str_eq(deid_status_name((deid_status)-1), "error");
}
END_TEST

Suite *err_suite(void); /* called by check_main.c */
Suite *err_suite(void)
{
    Suite *s = suite_create("err");
    TCase *tc = tcase_create("format");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_rules_with_caret);
    tcase_add_test(tc, test_rules_caret_keeps_tabs);
    tcase_add_test(tc, test_rules_caret_at_edges);
    tcase_add_test(tc, test_rules_caret_multibyte);
    tcase_add_test(tc, test_rules_without_column);
    tcase_add_test(tc, test_data_full);
    tcase_add_test(tc, test_data_partial);
    tcase_add_test(tc, test_truncation);
    tcase_add_test(tc, test_null_error);
    tcase_add_test(tc, test_status_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("fill");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_err_at_rules_cuts_line_end);
    tcase_add_test(tc, test_err_at_rules_redacts_secrets);
    tcase_add_test(tc, test_err_at_rules_keeps_names);
    tcase_add_test(tc, test_err_at_record_keeps_known_fields);
    tcase_add_test(tc, test_err_set);
    suite_add_tcase(s, tc);
    return s;
}
