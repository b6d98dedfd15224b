/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_text_escape.c - names made safe to print (text_escape.h): control
 * bytes, DEL, C1 controls, bidirectional overrides, line separators and
 * invalid UTF-8 escaped; Hangul, punctuation and backslashes kept; the cut
 * of a short buffer never splits an escape; and deid_error_format escaping
 * every part of a message. Expected text is written by hand.
 */
#include <check.h>
#include <string.h>

#include "err.h"
#include "text_escape.h"

static void expect(const char *in, size_t len, int keep_tab, const char *want)
{
    char out[128];
    size_t n = text_escape(in, len, keep_tab, out, sizeof out);
    ck_assert_str_eq(out, want);
    ck_assert_uint_eq(n, strlen(want));
    ck_assert_int_eq(text_needs_escape(in, len, keep_tab), strcmp(in, want) != 0 || len != strlen(in));
    dbuf b;
    dbuf_init(&b, 1024);
    ck_assert_int_eq(keep_tab ? 0 : text_escape_append(&b, in, len), 0);
    if (!keep_tab) {
        ck_assert_uint_eq(b.len, strlen(want));
        if (b.len) /* an empty buffer has no data pointer */
            ck_assert_int_eq(memcmp(b.data, want, b.len), 0);
    }
    dbuf_free(&b);
}

START_TEST(plain_names_unchanged)
{
    expect("age", 3, 0, "age");
    expect("주민번호", strlen("주민번호"), 0, "주민번호");
    expect("C:\\data\\in.csv", 14, 0, "C:\\data\\in.csv");
    expect("", 0, 0, "");
}
END_TEST

START_TEST(controls_escaped)
{
    expect("a\033[31mb", 7, 0, "a\\x1b[31mb");
    expect("\a\b", 2, 0, "\\x07\\x08");
    expect("x\ny\rz\t", 6, 0, "x\\ny\\rz\\t");
    expect("x\ty", 3, 1, "x\ty"); /* a rules line under a caret keeps tabs */
    expect("del\177", 4, 0, "del\\x7f");
    expect("a\0b", 3, 0, "a\\x00b");
}
END_TEST

START_TEST(unicode_escaped)
{
    expect("\xc2\x9b" "2J", 4, 0, "\\u009b2J");                /* C1 CSI */
    expect("abc\xe2\x80\xae" "txt.exe", 13, 0, "abc\\u202etxt.exe"); /* RLO */
    expect("\xe2\x81\xa6x\xe2\x81\xa9", 7, 0, "\\u2066x\\u2069");
    expect("a\xe2\x80\xa8" "b", 5, 0, "a\\u2028b");
    expect("\xff\xfe", 2, 0, "\\xff\\xfe");                     /* not UTF-8 */
    expect("\xed\x9e", 2, 0, "\\xed\\x9e");                     /* cut sequence */
    expect("\xc2\xa0", 2, 0, "\xc2\xa0");                        /* NBSP prints */
}
END_TEST

START_TEST(cut_whole_pieces)
{
    char out[6];
    /* "ab\x1b" needs 6 bytes + NUL: the escape does not fit, nothing of it is written */
    ck_assert_uint_eq(text_escape("ab\033", 3, 0, out, sizeof out), 6);
    ck_assert_str_eq(out, "ab");
    ck_assert_uint_eq(text_escape("가나다", 9, 0, out, sizeof out), 9);
    ck_assert_str_eq(out, "가"); /* never half a syllable */
    ck_assert_uint_eq(text_escape("x", 1, 0, NULL, 0), 1);
}
END_TEST

START_TEST(error_format_escapes)
{
    deid_error e;
    char buf[512];
    err_set(&e, DEID_E_DATA, "quasi-identifier \"a\033]0;pwned\007\" is not a column");
    err_at_record(&e, "in\n.csv", 3, 4, "c\rd");
    deid_error_format(&e, buf, sizeof buf);
    ck_assert_str_eq(buf, "in\\n.csv: record 3 (line 4), column \"c\\rd\": quasi-identifier "
                          "\"a\\x1b]0;pwned\\x07\" is not a column");
    err_set(&e, DEID_E_RULES, "bad");
    err_at_rules(&e, "r\033.rules", 2, 3, "ab\tc\033d");
    deid_error_format(&e, buf, sizeof buf);
    ck_assert_str_eq(buf, "r\\x1b.rules:2:3: bad\n  ab\tc\\x1bd\n    ^");
}
END_TEST

Suite *text_escape_suite(void); /* called by check_main.c */
Suite *text_escape_suite(void)
{
    Suite *s = suite_create("text_escape");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, plain_names_unchanged);
    tcase_add_test(tc, controls_escaped);
    tcase_add_test(tc, unicode_escaped);
    tcase_add_test(tc, cut_whole_pieces);
    tcase_add_test(tc, error_format_escapes);
    suite_add_tcase(s, tc);
    return s;
}
