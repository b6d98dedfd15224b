/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_mask.c - the `mask` transform: counting by code point, the
 * never-reveal-the-whole-value rule, only=digits, char=, parameter errors
 * and describe. Expected bytes are written by hand.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "transform.h"
#include "xf_rig.h"

extern const transform_ops xf_mask_ops;

#define HONG "\xED\x99\x8D" /* 홍 U+D64D */
#define GIL "\xEA\xB8\xB8"  /* 길 U+AE38 */
#define DONG "\xEB\x8F\x99" /* 동 U+B3D9 */
#define GA "\xEA\xB0\x80"   /* 가 U+AC00 */
#define FW0 "\xEF\xBC\x90"  /* ０ U+FF10 */
#define FW1 "\xEF\xBC\x91"  /* １ U+FF11 */
#define FW2 "\xEF\xBC\x92"  /* ２ U+FF12 */

#define KW_COL 7 /* column of the transform keyword in the fake rules line */

static const xf_rig_setup setup = {
    .ops = &xf_mask_ops,
    .column = "name",
    .rules_file = "t.rules",
    .line = 4,
    .col = KW_COL,
    .source_line = "name: mask ...",
};

/* The statement under test; the i-th parameter of COMPILE sits at column
 * 20 + 10*i (XF_RIG_PAIR_COL, XF_RIG_PAIR_STEP). */
static xf_rig rig;

#define COMPILE(...) XF_RIG_COMPILE(&rig, &setup, __VA_ARGS__)

START_TEST(spec_examples)
{
    ck_assert_int_eq(COMPILE("keep-first", "1"), DEID_OK);
    xf_rig_expect(&rig, HONG GIL DONG, HONG "**");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("keep-first", "7", "only", "digits"), DEID_OK);
    xf_rig_expect(&rig, "900101-1234567", "900101-1******");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("keep-first", "3", "keep-last", "4", "only", "digits"), DEID_OK);
    xf_rig_expect(&rig, "010-1234-5678", "010-****-5678");
    xf_rig_expect(&rig, "010-123-5678", "010-***-5678");
    xf_rig_expect(&rig, "(010) 1234 5678", "(010) **** 5678");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(code_points_not_bytes)
{
    ck_assert_int_eq(COMPILE("keep-first", "1", "keep-last", "1"), DEID_OK);
    xf_rig_expect(&rig, HONG GIL DONG, HONG "*" DONG);
    xf_rig_expect(&rig, "a" GIL "c", "a*c");
    xf_rig_expect(&rig, "Kim " HONG, "K***" HONG);
    /* A 4-byte code point counts once too. */
    xf_rig_expect(&rig, "\xF0\x9F\x98\x80" "xy", "\xF0\x9F\x98\x80" "*y");
    xf_rig_done(&rig);
    /* No parameters at all. */
    ck_assert_int_eq(xf_rig_compile_pairs(&rig, &setup, 0, NULL), DEID_OK);
    xf_rig_expect(&rig, HONG GIL DONG, "***");
    xf_rig_expect(&rig, "abc", "***");
    xf_rig_expect(&rig, "x", "*");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("keep-last", "2"), DEID_OK);
    xf_rig_expect(&rig, "010-1234-5678", "***********78");
    xf_rig_expect(&rig, HONG GIL DONG, "*" GIL DONG);
    xf_rig_done(&rig);
}
END_TEST

START_TEST(never_whole_value)
{
    ck_assert_int_eq(COMPILE("keep-first", "1", "keep-last", "1"), DEID_OK);
    xf_rig_expect(&rig, HONG GIL, HONG "*");
    xf_rig_expect(&rig, HONG, "*");
    xf_rig_expect(&rig, "ab", "a*");
    xf_rig_expect(&rig, "abc", "a*c");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("keep-first", "2"), DEID_OK);
    xf_rig_expect(&rig, "ab", "a*");
    xf_rig_expect(&rig, "a", "*");
    xf_rig_expect(&rig, "abc", "ab*");
    xf_rig_done(&rig);
    /* keep-last alone: the first ones are kept first, so from the end it
     * is the last L-1. */
    ck_assert_int_eq(COMPILE("keep-last", "5"), DEID_OK);
    xf_rig_expect(&rig, "abc", "*bc");
    xf_rig_expect(&rig, "abcdef", "*bcdef");
    xf_rig_expect(&rig, "abcdefg", "**cdefg");
    xf_rig_done(&rig);
    /* keep-first takes the budget before keep-last. */
    ck_assert_int_eq(COMPILE("keep-first", "2", "keep-last", "2"), DEID_OK);
    xf_rig_expect(&rig, "abcd", "ab*d");
    xf_rig_expect(&rig, "abc", "ab*");
    xf_rig_expect(&rig, "abcde", "ab*de");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("keep-first", "8000000"), DEID_OK);
    xf_rig_expect(&rig, HONG GIL DONG, HONG GIL "*");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(only_digits)
{
    ck_assert_int_eq(COMPILE("only", "digits"), DEID_OK);
    xf_rig_expect(&rig, "010-1234-5678", "***-****-****");
    xf_rig_expect(&rig, HONG "1" GIL, HONG "*" GIL);
    xf_rig_expect_bad_bytes(&rig, "abc", 3, "has no digits to mask");
    xf_rig_expect_bad_bytes(&rig, HONG GIL DONG "-", 10, "has no digits to mask");
    xf_rig_expect_bad_bytes(&rig, " ", 1, "has no digits to mask");
    xf_rig_done(&rig);
    /* The whole-value rule counts digits. */
    ck_assert_int_eq(COMPILE("keep-first", "1", "keep-last", "1", "only", "digits"), DEID_OK);
    xf_rig_expect(&rig, "a1b2", "a1b*");
    xf_rig_expect(&rig, "1", "*");
    xf_rig_expect(&rig, "x1y", "x*y");
    xf_rig_expect(&rig, "12-3", "1*-3");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("keep-last", "4", "only", "digits"), DEID_OK);
    xf_rig_expect(&rig, "1234", "*234");
    xf_rig_expect(&rig, "12-34", "*2-34");
    xf_rig_done(&rig);
    /* Fullwidth digits are digits. */
    ck_assert_int_eq(COMPILE("keep-first", "1", "only", "digits"), DEID_OK);
    xf_rig_expect(&rig, FW0 FW1 FW2, FW0 "**");
    xf_rig_expect(&rig, FW0 "-1" FW2, FW0 "-**");
    xf_rig_done(&rig);
    /* only=all is the default spelled out. */
    ck_assert_int_eq(COMPILE("keep-first", "1", "only", "all"), DEID_OK);
    xf_rig_expect(&rig, "a-1", "a**");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(mask_char)
{
    ck_assert_int_eq(COMPILE("keep-first", "1", "char", GA), DEID_OK);
    xf_rig_expect(&rig, HONG GIL DONG, HONG GA GA);
    xf_rig_expect(&rig, "ab", "a" GA);
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("char", "#", "only", "digits", "keep-last", "4"), DEID_OK);
    xf_rig_expect(&rig, "010-1234-5678", "###-####-5678");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("char", "\xE2\x97\x8F"), DEID_OK); /* ● U+25CF */
    xf_rig_expect(&rig, "ab", "\xE2\x97\x8F\xE2\x97\x8F");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("char", "\xF0\x9F\x98\x80"), DEID_OK);
    xf_rig_expect(&rig, "a", "\xF0\x9F\x98\x80");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(invalid_utf8)
{
    ck_assert_int_eq(COMPILE("keep-first", "1"), DEID_OK);
    xf_rig_expect_bad_bytes(&rig, "\xFF", 1, "is not valid UTF-8");
    xf_rig_expect_bad_bytes(&rig, "ab\xED\xA0\x80", 5, "is not valid UTF-8");
    xf_rig_expect_bad_bytes(&rig, HONG "\xC0\x80", 5, "is not valid UTF-8");
    xf_rig_expect_bad_bytes(&rig, "\xEA\xB8", 2, "is not valid UTF-8");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("only", "digits"), DEID_OK);
    xf_rig_expect_bad_bytes(&rig, "12\xFF", 3, "is not valid UTF-8");
    xf_rig_expect_bad_bytes(&rig, "\x80" "12", 3, "is not valid UTF-8");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(appends_and_limits)
{
    ck_assert_int_eq(COMPILE("keep-first", "1"), DEID_OK);
    dbuf out;
    dbuf_init(&out, 6);
    ck_assert_int_eq(dbuf_append_str(&out, ">"), 0);
    const char *why = NULL;
    xf_value in = {HONG "a", 4};
    ck_assert_int_eq(xf_mask_ops.apply(rig.state, &in, 1, &out, &why), XF_OK);
    ck_assert_uint_eq(out.len, 5);
    ck_assert_int_eq(memcmp(out.data, ">" HONG "*", 5), 0);
    xf_value big = {"abc", 3};
    ck_assert_int_eq(xf_mask_ops.apply(rig.state, &big, 1, &out, &why), XF_NOMEM);
    dbuf_free(&out);
    xf_rig_done(&rig);
}
END_TEST

START_TEST(param_errors)
{
    xf_rig_expect_rules_error(&rig, COMPILE("keep-first", "x"), 20, "keep-first");
    xf_rig_expect_rules_error(&rig, COMPILE("keep-first", "-1"), 20, "keep-first");
    xf_rig_expect_rules_error(&rig, COMPILE("keep-first", ""), 20, "keep-first");
    xf_rig_expect_rules_error(&rig, COMPILE("keep-first", "2x"), 20, "keep-first");
    xf_rig_expect_rules_error(
        &rig, COMPILE("keep-first", "1", "keep-last", "99999999999999999999999"), 30, "keep-last");
    xf_rig_expect_rules_error(&rig, COMPILE("keep-last", "9000000"), 20, "keep-last");
    xf_rig_expect_rules_error(&rig, COMPILE("keep-first", "1", "char", "ab"), 30, "one character");
    xf_rig_expect_rules_error(&rig, COMPILE("char", GA GA), 20, "one character");
    xf_rig_expect_rules_error(&rig, COMPILE("char", ""), 20, "one character");
    xf_rig_expect_rules_error(&rig, COMPILE("char", "\xFF"), 20, "UTF-8");
    xf_rig_expect_rules_error(&rig, COMPILE("char", "\xEA\xB0"), 20, "UTF-8");
    xf_rig_expect_rules_error(&rig, COMPILE("char", "\t"), 20, "printable");
    xf_rig_expect_rules_error(&rig, COMPILE("only", "letters"), 20, "only=letters");
    xf_rig_expect_rules_error(&rig, COMPILE("keep-first", "1", "only", "Digits"), 30, "only=");
    xf_rig_expect_rules_error(&rig, COMPILE("only", ""), 20, "only=");
}
END_TEST

START_TEST(params_marked_used)
{
    /* Parameters mask does not know must stay unused, so that the rules
     * parser reports them; known ones must be marked. */
    ck_assert_int_eq(COMPILE("keep-first", "1", "pad", "x", NULL, "3", "keep-last", "1",
                             "on-error", "blank", "char", "#", "only", "all"),
                     DEID_OK);
    xf_rig_expect_used(&rig, "1001011");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(describe)
{
    ck_assert_int_eq(xf_rig_compile_pairs(&rig, &setup, 0, NULL), DEID_OK);
    xf_rig_expect_describe(&rig, "keep-first=0 keep-last=0 char=* only=all");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("keep-first", "1"), DEID_OK);
    xf_rig_expect_describe(&rig, "keep-first=1 keep-last=0 char=* only=all");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("only", "digits", "char", GA, "keep-last", "4", "keep-first", "3"),
                     DEID_OK);
    xf_rig_expect_describe(&rig, "keep-first=3 keep-last=4 char=" GA " only=digits");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("char", " "), DEID_OK);
    xf_rig_expect_describe(&rig, "keep-first=0 keep-last=0 char=\" \" only=all");
    xf_rig_done(&rig);
    /* Quotes are quoted the way the rules lexer reads them back. */
    ck_assert_int_eq(COMPILE("char", "\""), DEID_OK);
    xf_rig_expect_describe(&rig, "keep-first=0 keep-last=0 char=\"\\\"\" only=all");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("char", "'"), DEID_OK);
    xf_rig_expect_describe(&rig, "keep-first=0 keep-last=0 char=\"'\" only=all");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("char", "#"), DEID_OK);
    xf_rig_expect_describe(&rig, "keep-first=0 keep-last=0 char=# only=all");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(registered)
{
    xf_rig_expect_registered(&xf_mask_ops, "mask", NULL, 0);
}
END_TEST

Suite *mask_suite(void); /* called by check_main.c */

Suite *mask_suite(void)
{
    Suite *s = suite_create("mask");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, spec_examples);
    tcase_add_test(tc, code_points_not_bytes);
    tcase_add_test(tc, never_whole_value);
    tcase_add_test(tc, only_digits);
    tcase_add_test(tc, mask_char);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, appends_and_limits);
    tcase_add_test(tc, param_errors);
    tcase_add_test(tc, params_marked_used);
    tcase_add_test(tc, describe);
    tcase_add_test(tc, registered);
    suite_add_tcase(s, tc);
    return s;
}
