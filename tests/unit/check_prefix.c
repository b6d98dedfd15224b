/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_prefix.c - the `prefix N [pad=C]` transform: cutting by code point,
 * short values, padding, invalid UTF-8, parameter errors and describe; and
 * the `prefix A,B,... level=auto` ladder. Expected bytes are written by hand.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---- A,B,... level=auto ladders ---------------------------------------- */

/* Bytes after each value given to apply_level, so that reading past len
 * shows (the rig does the same for apply). */
#define TRAILER "1234"

/* Calls apply_level on a copy of in[0..len) followed by TRAILER; out is
 * initialised here and freed by the caller. */
static xf_result level_apply(const char *in, size_t len, size_t level, dbuf *out,
                             const char **why)
{
    char *buf = malloc(len + sizeof TRAILER);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, in, len);
    memcpy(buf + len, TRAILER, sizeof TRAILER);
    xf_value v = {buf, len};
    dbuf_init(out, 1024);
    *why = NULL;
    xf_result res = rig.ops->apply_level(rig.state, &v, level, out, why);
    free(buf);
    return res;
}

static void expect_level(const char *in, size_t level, const char *want)
{
    dbuf out;
    const char *why;
    xf_result res = level_apply(in, strlen(in), level, &out, &why);
    ck_assert_msg(res == XF_OK, "\"%s\" at level %zu: result %d (%s)", in, level, (int)res,
                  why ? why : "");
    ck_assert_ptr_null(why);
    ck_assert_msg(out.len == strlen(want) && memcmp(out.data, want, out.len) == 0,
                  "\"%s\" at level %zu: got \"%.*s\", want \"%s\"", in, level, (int)out.len,
                  out.data ? out.data : "", want);
    dbuf_free(&out);
}

static void expect_level_bad(const char *in, size_t len, size_t level, const char *want_why)
{
    dbuf out;
    const char *why;
    ck_assert_int_eq(level_apply(in, len, level, &out, &why), XF_BAD_VALUE);
    ck_assert_ptr_nonnull(why);
    ck_assert_str_eq(why, want_why);
    ck_assert_uint_eq(out.len, 0);
    dbuf_free(&out);
}

START_TEST(ladder_levels)
{
    ck_assert_int_eq(COMPILE(NULL, "5,3,1", "level", "auto"), DEID_OK);
    ck_assert_uint_eq(rig.ops->levels(rig.state), 5);
    static const struct {
        const char *in, *want[5];
    } cases[] = {
        {"0623619", {"0623619", "06236", "062", "0", "*"}},
        {"06236", {"06236", "06236", "062", "0", "*"}},
        /* Short values stay whole where they are short enough. */
        {"0623", {"0623", "0623", "062", "0", "*"}},
        {"06", {"06", "06", "06", "0", "*"}},
        {SEO UL TEUK BYEOL SI "X", {SEO UL TEUK BYEOL SI "X", SEO UL TEUK BYEOL SI, SEO UL TEUK,
                                    SEO, "*"}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (size_t l = 0; l < 5; l++)
            expect_level(cases[i].in, l, cases[i].want[l]);
    expect_level_bad("0623619", 7, 5, "has no generalization at that level");
    /* Invalid UTF-8 is bad at every level, 0 and "*" included. */
    for (size_t l = 0; l < 5; l++) {
        expect_level_bad("\xFF", 1, l, "is not valid UTF-8");
        expect_level_bad("ab\xC0\x80", 4, l, "is not valid UTF-8");
    }
    /* The engine must not run a level=auto rule without deid plan. */
    xf_rig_expect_bad(&rig, "06236", "needs deid plan to choose its level (level=auto)");
    ck_assert_ptr_null(rig.ops->domain_size);
    ck_assert_ptr_null(rig.ops->domain_count);
    xf_rig_expect_describe(&rig, "5,3,1 level=auto");
    xf_rig_expect_used(&rig, "11");
    xf_rig_done(&rig);

    ck_assert_int_eq(COMPILE("level", "auto", NULL, "2"), DEID_OK);
    ck_assert_uint_eq(rig.ops->levels(rig.state), 3);
    expect_level("abc", 0, "abc");
    expect_level("abc", 1, "ab");
    expect_level("abc", 2, "*");
    xf_rig_expect_describe(&rig, "2 level=auto");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(ladder_with_pad)
{
    ck_assert_int_eq(COMPILE(NULL, "4,2", "pad", "*", "level", "auto"), DEID_OK);
    ck_assert_uint_eq(rig.ops->levels(rig.state), 4);
    expect_level("06236", 0, "06236");
    expect_level("06236", 1, "0623*");
    expect_level("06236", 2, "06***");
    expect_level("06236", 3, "*");
    expect_level("062", 1, "062");
    expect_level("062", 2, "06*");
    expect_level(SEO UL TEUK, 2, SEO UL "*");
    xf_rig_expect_describe(&rig, "4,2 pad=* level=auto");
    xf_rig_done(&rig);

    ck_assert_int_eq(COMPILE(NULL, "3,1", "pad", " ", "level", "auto"), DEID_OK);
    expect_level("abcd", 2, "a   ");
    xf_rig_expect_describe(&rig, "3,1 pad=\" \" level=auto");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(fixed_length_has_no_ladder)
{
    ck_assert_int_eq(COMPILE(NULL, "3"), DEID_OK);
    ck_assert_uint_eq(rig.ops->levels(rig.state), 0);
    expect_level_bad("06236", 5, 0, "has no generalization at that level");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(ladder_param_errors)
{
    xf_rig_expect_rules_message(&rig, COMPILE("level", "auto"), KW_COL,
                                "prefix level=auto needs lengths, e.g. prefix 5,3,1 level=auto");
    xf_rig_expect_rules_message(&rig, COMPILE(NULL, "5,3,1"), 20,
                                "a list of prefix lengths (5,3,1) needs level=auto");
    xf_rig_expect_rules_message(&rig, COMPILE(NULL, "3", "level", "2"), 30,
                                "prefix takes only level=auto (with lengths, e.g. prefix 5,3,1 "
                                "level=auto); a fixed length is prefix N");
    xf_rig_expect_rules_message(&rig, COMPILE(NULL, "3", "level", "AUTO"), 30,
                                "prefix takes only level=auto (with lengths, e.g. prefix 5,3,1 "
                                "level=auto); a fixed length is prefix N");
    static const struct {
        const char *value, *message;
    } cases[] = {
        {"1,3,5", "prefix lengths must be strictly descending (item 2)"},
        {"5,5", "prefix lengths must be strictly descending (item 2)"},
        {"5,3,4", "prefix lengths must be strictly descending (item 3)"},
        {"5,0", "prefix length item 2 is out of range (1 to 8388608)"},
        {"9000000,3", "prefix length item 1 is out of range (1 to 8388608)"},
        {"5,,1", "prefix length item 2 is not a whole number"},
        {"5,3,", "prefix length item 3 is not a whole number"},
        {"", "prefix length item 1 is not a whole number"},
        {"-1", "prefix length item 1 is not a whole number"},
        {"5, 3", "prefix length item 2 is not a whole number"},
        {"x", "prefix length item 1 is not a whole number"},
        {"99999999999999999999", "prefix length item 1 is not a whole number"},
        {"999999999999999999999", "prefix length item 1 is not a whole number"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        xf_rig_expect_rules_message(&rig, COMPILE(NULL, cases[i].value, "level", "auto"), 20,
                                    cases[i].message);
    /* pad= is checked with level=auto too. */
    xf_rig_expect_rules_error(&rig, COMPILE(NULL, "3,1", "pad", "**", "level", "auto"), 30,
                              "one character");
}
END_TEST

START_TEST(ladder_too_many_lengths)
{
    /* 62 lengths 62,61,...,1 make a ladder of 64 levels; 63 is too many. */
    char list[512];
    size_t n = 0;
    for (int i = 62; i >= 1; i--)
        n += (size_t)snprintf(list + n, sizeof list - n, i < 62 ? ",%d" : "%d", i);
    ck_assert_int_eq(COMPILE(NULL, list, "level", "auto"), DEID_OK);
    ck_assert_uint_eq(rig.ops->levels(rig.state), 64);
    expect_level("abc", 62, "a");
    expect_level("abc", 63, "*");
    xf_rig_done(&rig);
    char longer[520];
    snprintf(longer, sizeof longer, "63,%s", list);
    xf_rig_expect_rules_message(&rig, COMPILE(NULL, longer, "level", "auto"), 20,
                                "prefix lengths: 63 items, more than 62");
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
    tcase_add_test(tc, ladder_levels);
    tcase_add_test(tc, ladder_with_pad);
    tcase_add_test(tc, fixed_length_has_no_ladder);
    tcase_add_test(tc, ladder_param_errors);
    tcase_add_test(tc, ladder_too_many_lengths);
    suite_add_tcase(s, tc);
    return s;
}
