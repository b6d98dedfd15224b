/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_html.c - the HTML report's pieces: escaping (written by hand:
 * markup, quotes, '/', control bytes, invalid UTF-8, bidirectional
 * overrides), the label table (every label in Korean and English, none
 * empty, Korean ones holding Hangul), the language names, and that a
 * check's page is the same bytes for the same input apart from the
 * timestamp, in both languages, and never shows a value held by fewer
 * than k records.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "deid.h"
#include "html_labels.h"
#include "html_out.h"

static void expect_escaped(const char *s, size_t len, const char *want)
{
    dbuf b;
    dbuf_init(&b, 1u << 16);
    ck_assert_int_eq(html_escape(&b, s, len), DBUF_OK);
    ck_assert_str_eq(dbuf_cstr(&b), want);
    dbuf_free(&b);
}

#define EXPECT(lit, want) expect_escaped((lit), sizeof(lit) - 1, (want))

START_TEST(test_escape_markup)
{
    EXPECT("plain 홍길동", "plain 홍길동");
    EXPECT("<script>", "&lt;script&gt;");
    EXPECT("a&b", "a&amp;b");
    EXPECT("\"'", "&quot;&#39;");
    EXPECT("http://x", "http:&#47;&#47;x"); /* no data value spells "//" */
    EXPECT("&lt;", "&amp;lt;");
    EXPECT("", "");
}
END_TEST

START_TEST(test_escape_bytes)
{
    EXPECT("a\x1b[31m", "a\\x1b[31m");
    EXPECT("a\nb", "a\\nb");
    EXPECT("\xff<", "\\xff&lt;");
    EXPECT("x\xe2\x80\xaey", "x\\u202ey"); /* right-to-left override */
}
END_TEST

START_TEST(test_labels_complete)
{
    for (int id = 0; id < HTML_LABEL_COUNT; id++) {
        const char *ko = html_label(DEID_LANG_KO, (html_label_id)id);
        const char *en = html_label(DEID_LANG_EN, (html_label_id)id);
        ck_assert_msg(ko && ko[0], "label %d has no Korean text", id);
        ck_assert_msg(en && en[0], "label %d has no English text", id);
        /* labels are plain text: the page escapes them, none needs markup */
        ck_assert_msg(!strpbrk(ko, "<>&") && !strpbrk(en, "<>&"), "label %d holds markup", id);
    }
    ck_assert_ptr_null(html_label(DEID_LANG_KO, HTML_LABEL_COUNT));
    ck_assert_str_eq(html_label(DEID_LANG_KO, HL_MET), "충족");
    ck_assert_str_eq(html_label(DEID_LANG_EN, HL_NOT_MET), "not met");
}
END_TEST

START_TEST(test_lang_names)
{
    ck_assert_int_eq(deid_lang_from_name("ko"), DEID_LANG_KO);
    ck_assert_int_eq(deid_lang_from_name("en"), DEID_LANG_EN);
    ck_assert_int_eq(deid_lang_from_name("EN"), -1);
    ck_assert_int_eq(deid_lang_from_name("k"), -1);
    ck_assert_int_eq(deid_lang_from_name(""), -1);
    ck_assert_int_eq(deid_lang_from_name(NULL), -1);
}
END_TEST

/* 12 records: age 30 in a class of 5, 40 in a class of 4 (value held 4
 * times), 50 twice in classes of 1 (held 2 times), rare once. */
static const char data[] =
    "age,sex,disease\n"
    "30,M,flu\n30,M,cold\n30,M,flu\n30,M,hiv\n30,M,flu\n"
    "40,F,flu\n40,F,cold\n40,F,flu\n40,F,cold\n"
    "50,F,flu\n50,M,cold\n"
    "rare77,F,flu\n";

static char *page(const char *when_lang, int64_t when, int k)
{
    static const char *const quasi[] = {"age", "sex"};
    static const char *const sensitive[] = {"disease"};
    deid_check_options o = {0};
    o.quasi = quasi;
    o.n_quasi = 2;
    o.sensitive = sensitive;
    o.n_sensitive = 1;
    o.k = (uint64_t)k;
    deid_error err;
    deid_check *chk = NULL;
    ck_assert_int_eq(deid_check_new(NULL, &o, &chk, &err), DEID_OK);
    ck_assert_int_eq(deid_check_begin_input(chk, "in.csv", &err), DEID_OK);
    ck_assert_int_eq(deid_check_write(chk, data, sizeof data - 1, &err), DEID_OK);
    ck_assert_int_eq(deid_check_end_input(chk, &err), DEID_OK);
    ck_assert_int_eq(deid_check_finish(chk, &err), DEID_OK);
    deid_html_options ho = {0};
    ho.lang = strcmp(when_lang, "en") ? DEID_LANG_KO : DEID_LANG_EN;
    ho.timestamp = when;
    char *html = NULL;
    ck_assert_int_eq(deid_check_report_html(chk, &ho, &html, &err), DEID_OK);
    deid_check_free(chk);
    return html;
}

/* The text of s with the <time> element's content cut out. */
static char *without_time(const char *s)
{
    char *copy = strdup(s);
    char *open = strstr(copy, "<time id=\"timestamp\">");
    ck_assert_ptr_nonnull(open);
    open += strlen("<time id=\"timestamp\">");
    char *close = strstr(open, "</time>");
    ck_assert_ptr_nonnull(close);
    memmove(open, close, strlen(close) + 1);
    return copy;
}

START_TEST(test_deterministic)
{
    const char *lang = _i ? "en" : "ko";
    char *a = page(lang, 1700000000, 0), *b = page(lang, 1700000000, 0),
         *c = page(lang, 1800000000, 0);
    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
    ck_assert(strstr(a, "2023-11-14T22:13:20Z"));
    char *a2 = without_time(a), *c2 = without_time(c);
    ck_assert_str_eq(a2, c2);
    ck_assert(strstr(a, _i ? "lang=\"en\"" : "lang=\"ko\""));
    ck_assert(strstr(a, "Content-Security-Policy"));
    ck_assert(!strstr(a, "<script"));
    ck_assert(!strstr(a, "//") && !strstr(a, "http:") && !strstr(a, "https:"));
    free(a);
    free(b);
    free(c);
    free(a2);
    free(c2);
}
END_TEST

START_TEST(test_rare_values_hidden)
{
    /* default k = 5: only age 30 (5 records in a class of 5) may show */
    char *h = page("en", 1, 0);
    ck_assert(strstr(h, "<td>30</td><td class=\"n\">5</td>"));
    ck_assert(!strstr(h, "<td>40</td>"));
    ck_assert(!strstr(h, "<td>50</td>"));
    ck_assert(!strstr(h, "rare77"));
    free(h);
    /* k = 4: 40 (4 records, class of 4) shows too; 50 (2 records) does not */
    h = page("en", 1, 4);
    ck_assert(strstr(h, "<td>40</td><td class=\"n\">4</td>"));
    ck_assert(!strstr(h, "<td>50</td>"));
    ck_assert(!strstr(h, "rare77"));
    /* sex F: 4 records in the class (40,F) of 4; the two others in classes of 1 */
    ck_assert(strstr(h, "<td>F</td><td class=\"n\">4</td>"));
    free(h);
}
END_TEST

Suite *html_suite(void); /* called by check_main.c */
Suite *html_suite(void)
{
    Suite *s = suite_create("html");
    TCase *tc = tcase_create("escape");
    tcase_add_test(tc, test_escape_markup);
    tcase_add_test(tc, test_escape_bytes);
    suite_add_tcase(s, tc);
    tc = tcase_create("labels");
    tcase_add_test(tc, test_labels_complete);
    tcase_add_test(tc, test_lang_names);
    suite_add_tcase(s, tc);
    tc = tcase_create("page");
    tcase_add_loop_test(tc, test_deterministic, 0, 2);
    tcase_add_test(tc, test_rare_values_hidden);
    suite_add_tcase(s, tc);
    return s;
}
