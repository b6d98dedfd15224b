/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_words.c - the `words keep=N` transform: which characters separate
 * words, leading/trailing white space, separators kept between words,
 * values without words, invalid UTF-8, parameter errors and describe.
 * Expected bytes are written by hand.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "transform.h"
#include "xf_rig.h"

extern const transform_ops xf_words_ops;

/* "서울특별시 강남구 역삼동 123-4" spelled by code point. */
#define SEOUL "\xEC\x84\x9C\xEC\x9A\xB8\xED\x8A\xB9\xEB\xB3\x84\xEC\x8B\x9C" /* 서울특별시 */
#define GANGNAM "\xEA\xB0\x95\xEB\x82\xA8\xEA\xB5\xAC" /* 강남구 U+AC15 U+B0A8 U+AD6C */
#define YEOKSAM "\xEC\x97\xAD\xEC\x82\xBC\xEB\x8F\x99" /* 역삼동 U+C5ED U+C0BC U+B3D9 */
#define IDSP "\xE3\x80\x80" /* U+3000 IDEOGRAPHIC SPACE */
#define NBSP "\xC2\xA0"     /* U+00A0 NO-BREAK SPACE */
#define EMSP "\xE2\x80\x83"  /* U+2003 EM SPACE */

#define KW_COL 10

static const xf_rig_setup setup = {
    .ops = &xf_words_ops,
    .column = "address",
    .rules_file = "t.rules",
    .line = 6,
    .col = KW_COL,
    .source_line = "address: words ...",
};

/* The statement under test; the i-th parameter of COMPILE sits at column
 * 20 + 10*i (XF_RIG_PAIR_COL, XF_RIG_PAIR_STEP). */
static xf_rig rig;

#define COMPILE(...) XF_RIG_COMPILE(&rig, &setup, __VA_ARGS__)

START_TEST(spec_example)
{
    ck_assert_int_eq(COMPILE("keep", "2"), DEID_OK);
    xf_rig_expect(&rig, SEOUL " " GANGNAM " " YEOKSAM " 123-4", SEOUL " " GANGNAM);
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("keep", "1"), DEID_OK);
    xf_rig_expect(&rig, SEOUL " " GANGNAM " " YEOKSAM " 123-4", SEOUL);
    xf_rig_done(&rig);
    ck_assert_int_eq(COMPILE("keep", "3"), DEID_OK);
    xf_rig_expect(&rig, SEOUL " " GANGNAM " " YEOKSAM " 123-4", SEOUL " " GANGNAM " " YEOKSAM);
    xf_rig_done(&rig);
}
END_TEST

START_TEST(separators)
{
    ck_assert_int_eq(COMPILE("keep", "2"), DEID_OK);
    /* Leading white space goes, separators between kept words stay. */
    xf_rig_expect(&rig, " \t" IDSP SEOUL "  \t" GANGNAM " x", SEOUL "  \t" GANGNAM);
    xf_rig_expect(&rig, SEOUL IDSP GANGNAM IDSP YEOKSAM, SEOUL IDSP GANGNAM);
    xf_rig_expect(&rig, "a\tb\tc", "a\tb");
    xf_rig_expect(&rig, "a\nb\r\nc", "a\nb");
    /* Punctuation is part of a word. */
    xf_rig_expect(&rig, "a,b c,d e", "a,b c,d");
    /* U+3000's bytes inside other characters do not split: 〡 U+3021. */
    xf_rig_expect(&rig, "x\xE3\x80\xA1y z w", "x\xE3\x80\xA1y z");
    xf_rig_done(&rig);
}
END_TEST

/* Issue 12, finding 3: every Unicode White_Space character separates
 * words; with NBSP or EM SPACE the whole address used to pass. */
START_TEST(unicode_separators)
{
    ck_assert_int_eq(COMPILE("keep", "2"), DEID_OK);
    xf_rig_expect(&rig, SEOUL NBSP GANGNAM NBSP YEOKSAM NBSP "123-4", SEOUL NBSP GANGNAM);
    xf_rig_expect(&rig, SEOUL EMSP GANGNAM EMSP YEOKSAM, SEOUL EMSP GANGNAM);
    xf_rig_expect(&rig, NBSP SEOUL IDSP GANGNAM "\t" YEOKSAM, SEOUL IDSP GANGNAM);
    xf_rig_expect(&rig, "a" NBSP "b c d", "a" NBSP "b");
    /* U+0085, U+1680, U+2000, U+200A, U+2028, U+2029, U+202F, U+205F */
    static const char *const seps[] = {"\xC2\x85", "\xE1\x9A\x80", "\xE2\x80\x80",
                                       "\xE2\x80\x8A", "\xE2\x80\xA8", "\xE2\x80\xA9",
                                       "\xE2\x80\xAF", "\xE2\x81\x9F"};
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        char in[64], want[64];
        snprintf(in, sizeof in, "a%sb%sc", seps[i], seps[i]);
        snprintf(want, sizeof want, "a%sb", seps[i]);
        xf_rig_expect(&rig, in, want);
    }
    /* Not white space: U+200B ZERO WIDTH SPACE, U+2060 WORD JOINER. */
    xf_rig_expect(&rig, "a\xE2\x80\x8B" "b c d", "a\xE2\x80\x8B" "b c");
    xf_rig_expect(&rig, "a\xE2\x81\xA0" "b c d", "a\xE2\x81\xA0" "b c");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(fewer_words)
{
    ck_assert_int_eq(COMPILE("keep", "3"), DEID_OK);
    xf_rig_expect(&rig, "  " SEOUL " ", SEOUL);
    xf_rig_expect(&rig, SEOUL " " GANGNAM IDSP, SEOUL " " GANGNAM);
    xf_rig_expect(&rig, "a", "a");
    xf_rig_expect(&rig, "a b c", "a b c");
    xf_rig_expect(&rig, "a b c ", "a b c");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(no_words)
{
    ck_assert_int_eq(COMPILE("keep", "1"), DEID_OK);
    xf_rig_expect_bad_bytes(&rig, " ", 1, "has no words");
    xf_rig_expect_bad_bytes(&rig, " \t", 2, "has no words");
    xf_rig_expect_bad_bytes(&rig, IDSP IDSP " ", 7, "has no words");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(invalid_utf8)
{
    ck_assert_int_eq(COMPILE("keep", "1"), DEID_OK);
    xf_rig_expect_bad_bytes(&rig, "\xFF", 1, "is not valid UTF-8");
    /* Also when the bad bytes are in the words that would be cut. */
    xf_rig_expect_bad_bytes(&rig, "ok \xC0\x80", 5, "is not valid UTF-8");
    xf_rig_expect_bad_bytes(&rig, "ok \xE3\x80", 5, "is not valid UTF-8");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(appends_and_limits)
{
    ck_assert_int_eq(COMPILE("keep", "1"), DEID_OK);
    dbuf out;
    dbuf_init(&out, 4);
    ck_assert_int_eq(dbuf_append_str(&out, ">"), 0);
    const char *why = NULL;
    xf_value in = {" ab cd", 6};
    ck_assert_int_eq(xf_words_ops.apply(rig.state, &in, 1, &out, &why), XF_OK);
    ck_assert_uint_eq(out.len, 3);
    ck_assert_int_eq(memcmp(out.data, ">ab", 3), 0);
    ck_assert_int_eq(xf_words_ops.apply(rig.state, &in, 1, &out, &why), XF_NOMEM);
    dbuf_free(&out);
    xf_rig_done(&rig);
}
END_TEST

START_TEST(param_errors)
{
    xf_rig_expect_rules_error(&rig, xf_rig_compile_pairs(&rig, &setup, 0, NULL), KW_COL, "keep=");
    xf_rig_expect_rules_error(&rig, COMPILE(NULL, "2"), KW_COL, "keep=");
    xf_rig_expect_rules_error(&rig, COMPILE("keep", "x"), 20, "keep=x");
    xf_rig_expect_rules_error(&rig, COMPILE("keep", ""), 20, "keep=");
    xf_rig_expect_rules_error(&rig, COMPILE("keep", "-2"), 20, "keep=-2");
    xf_rig_expect_rules_error(&rig, COMPILE("on-error", "blank", "keep", "0"), 30, "out of range");
    xf_rig_expect_rules_error(&rig, COMPILE("keep", "9000000"), 20, "out of range");
}
END_TEST

START_TEST(params_marked_used)
{
    ck_assert_int_eq(COMPILE(NULL, "3", "keep", "2", "sep", ","), DEID_OK);
    xf_rig_expect_used(&rig, "010");
    xf_rig_done(&rig);
}
END_TEST

START_TEST(describe)
{
    ck_assert_int_eq(COMPILE("keep", "2"), DEID_OK);
    dbuf out;
    dbuf_init(&out, 64);
    ck_assert_int_eq(xf_words_ops.describe(rig.state, &out), 0);
    ck_assert_str_eq(dbuf_cstr(&out), "keep=2");
    dbuf_free(&out);
    xf_rig_done(&rig);
}
END_TEST

START_TEST(registered)
{
    xf_rig_expect_registered(&xf_words_ops, "words", NULL, 0);
}
END_TEST

Suite *words_suite(void); /* called by check_main.c */

Suite *words_suite(void)
{
    Suite *s = suite_create("words");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, spec_example);
    tcase_add_test(tc, separators);
    tcase_add_test(tc, unicode_separators);
    tcase_add_test(tc, fewer_words);
    tcase_add_test(tc, no_words);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, appends_and_limits);
    tcase_add_test(tc, param_errors);
    tcase_add_test(tc, params_marked_used);
    tcase_add_test(tc, describe);
    tcase_add_test(tc, registered);
    suite_add_tcase(s, tc);
    return s;
}
