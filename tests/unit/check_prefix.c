/*
 * check_prefix.c - the `prefix N [pad=C]` transform: cutting by code point,
 * short values, padding, invalid UTF-8, parameter errors and describe.
 * Expected bytes are written by hand.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "transform.h"
#include "xf_rig.h"

extern const transform_ops xf_prefix_ops;

#define SEO "\xEC\x84\x9C"  /* 서 U+C11C */
#define UL "\xEC\x9A\xB8"   /* 울 U+C6B8 */
#define TEUK "\xED\x8A\xB9" /* 특 U+D2B9 */
#define BYEOL "\xEB\xB3\x84" /* 별 U+BCC4 */
#define SI "\xEC\x8B\x9C"   /* 시 U+C2DC */
#define GA "\xEA\xB0\x80"   /* 가 U+AC00 */

#define KW_COL 9

static const xf_rig_setup setup = {
    .ops = &xf_prefix_ops,
    .column = "zip",
    .rules_file = "t.rules",
    .line = 2,
    .col = KW_COL,
    .source_line = "zip: prefix ...",
};

/* The statement under test; the i-th parameter of COMPILE sits at column
 * 20 + 10*i (XF_RIG_PAIR_COL, XF_RIG_PAIR_STEP). */
static xf_rig rig;

#define COMPILE(...) XF_RIG_COMPILE(&rig, &setup, __VA_ARGS__)

START_TEST(spec_example)
{
    ck_assert_int_eq(COMPILE(NULL, "3"), DEID_OK);
    xf_rig_expect(&rig, "06236", "062");
    xf_rig_expect(&rig, "135-080", "135");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE(NULL, "3", "pad", "*"), DEID_OK);
    xf_rig_expect(&rig, "06236", "062**");
    xf_rig_expect(&rig, "135-080", "135****");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(hangul)
{
    ck_assert_int_eq(COMPILE(NULL, "2"), DEID_OK);
    xf_rig_expect(&rig, SEO UL TEUK BYEOL SI, SEO UL);
    xf_rig_expect(&rig, "a" SEO UL, "a" SEO);
    xf_rig_expect(&rig, "\xF0\x9F\x98\x80" "xyz", "\xF0\x9F\x98\x80" "x");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("pad", GA, NULL, "2"), DEID_OK);
    xf_rig_expect(&rig, SEO UL TEUK BYEOL SI, SEO UL GA GA GA);
    xf_rig_expect(&rig, "12345", "12" GA GA GA);
    xf_rig_done(&rig);
}
END_TEST

START_TEST(short_values_unchanged)
{
    ck_assert_int_eq(COMPILE(NULL, "3"), DEID_OK);
    xf_rig_expect(&rig, "062", "062");
    xf_rig_expect(&rig, "06", "06");
    xf_rig_expect(&rig, "0", "0");
    xf_rig_expect(&rig, SEO UL TEUK, SEO UL TEUK);
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE(NULL, "3", "pad", "*"), DEID_OK);
    xf_rig_expect(&rig, "062", "062");
    xf_rig_expect(&rig, "06", "06");
    xf_rig_expect(&rig, "0623", "062*");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE(NULL, "1"), DEID_OK);
    xf_rig_expect(&rig, "ab", "a");
    xf_rig_expect(&rig, SEO, SEO);
    xf_rig_done(&rig);
}
END_TEST

START_TEST(invalid_utf8)
{
    ck_assert_int_eq(COMPILE(NULL, "2"), DEID_OK);
    xf_rig_expect_bad_bytes(&rig, "\xFF", 1, "is not valid UTF-8");
    /* Invalid bytes in the part that would be cut count too. */
    xf_rig_expect_bad_bytes(&rig, "ab\xC0\x80", 4, "is not valid UTF-8");
    xf_rig_expect_bad_bytes(&rig, SEO "\xEC\x84", 5, "is not valid UTF-8");
    xf_rig_expect_bad_bytes(&rig, "a\xED\xB0\x80", 4, "is not valid UTF-8");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(appends_and_limits)
{
    ck_assert_int_eq(COMPILE(NULL, "1", "pad", "*"), DEID_OK);
    dbuf out;
    dbuf_init(&out, 5);
    ck_assert_int_eq(dbuf_append_str(&out, ">"), 0);
    const char *why = NULL;
    xf_value in = {"abc", 3};
    ck_assert_int_eq(xf_prefix_ops.apply(rig.state, &in, 1, &out, &why), XF_OK);
    ck_assert_uint_eq(out.len, 4);
    ck_assert_int_eq(memcmp(out.data, ">a**", 4), 0);
    ck_assert_int_eq(xf_prefix_ops.apply(rig.state, &in, 1, &out, &why), XF_NOMEM);
    dbuf_free(&out);
    xf_rig_done(&rig);
}
END_TEST

START_TEST(param_errors)
{
    xf_rig_expect_rules_error(&rig, xf_rig_compile_pairs(&rig, &setup, 0, NULL), KW_COL, "length");
    xf_rig_expect_rules_error(&rig, COMPILE("pad", "*"), KW_COL, "length");
    xf_rig_expect_rules_error(&rig, COMPILE(NULL, "abc"), 20, "not a whole number");
    xf_rig_expect_rules_error(&rig, COMPILE(NULL, "3x"), 20, "not a whole number");
    xf_rig_expect_rules_error(&rig, COMPILE(NULL, "-1"), 20, "not a whole number");
    xf_rig_expect_rules_error(&rig, COMPILE(NULL, ""), 20, "not a whole number");
    xf_rig_expect_rules_error(&rig, COMPILE(NULL, "0"), 20, "out of range");
    xf_rig_expect_rules_error(&rig, COMPILE(NULL, "9000000"), 20, "out of range");
    xf_rig_expect_rules_error(&rig, COMPILE(NULL, "99999999999999999999999"), 20,
                              "not a whole number");
    xf_rig_expect_rules_error(&rig, COMPILE(NULL, "3", "pad", "**"), 30, "one character");
    xf_rig_expect_rules_error(&rig, COMPILE(NULL, "3", "pad", ""), 30, "one character");
    xf_rig_expect_rules_error(&rig, COMPILE(NULL, "3", "pad", "\xFF"), 30, "UTF-8");
    xf_rig_expect_rules_error(&rig, COMPILE(NULL, "3", "pad", "\n"), 30, "printable");
}
END_TEST

START_TEST(params_marked_used)
{
    ck_assert_int_eq(COMPILE("char", "#", NULL, "4", NULL, "5", "pad", "#", "keep", "2"), DEID_OK);
    xf_rig_expect_used(&rig, "01010"); /* a second positional is not ours */
    xf_rig_expect(&rig, "123456", "1234##");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(describe)
{
    ck_assert_int_eq(COMPILE(NULL, "3"), DEID_OK);
    xf_rig_expect_describe(&rig, "3"); /* no pad= means no padding */
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE(NULL, "3", "pad", "*"), DEID_OK);
    xf_rig_expect_describe(&rig, "3 pad=*");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE(NULL, "12", "pad", GA), DEID_OK);
    xf_rig_expect_describe(&rig, "12 pad=" GA);
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE(NULL, "1", "pad", " "), DEID_OK);
    xf_rig_expect_describe(&rig, "1 pad=\" \"");
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE(NULL, "1", "pad", "\""), DEID_OK);
    xf_rig_expect_describe(&rig, "1 pad=\"\\\"\"");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(registered)
{
    xf_rig_expect_registered(&xf_prefix_ops, "prefix", NULL, 0);
}
END_TEST

Suite *prefix_suite(void); /* called by check_main.c */

Suite *prefix_suite(void)
{
    Suite *s = suite_create("prefix");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, spec_example);
    tcase_add_test(tc, hangul);
    tcase_add_test(tc, short_values_unchanged);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, appends_and_limits);
    tcase_add_test(tc, param_errors);
    tcase_add_test(tc, params_marked_used);
    tcase_add_test(tc, describe);
    tcase_add_test(tc, registered);
    suite_add_tcase(s, tc);
    return s;
}
