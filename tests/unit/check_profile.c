/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_profile.c - deid scan's column profile (profile.h) and roles
 * (profile_role.h): value shapes, distinct counts exact up to the cap and
 * estimated past it (within 5% of the truth), header-name hints in Korean
 * and English, and verdicts that follow the values over the name.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "profile.h"
#include "profile_role.h"

static uint32_t shapes(const char *s)
{
    profile_value v;
    profile_classify(s, strlen(s), &v);
    return v.shapes;
}

static int has(const char *s, int shape)
{
    return (shapes(s) >> shape) & 1u;
}

START_TEST(value_shapes)
{
    ck_assert(has("34", PROF_AGE) && has("34", PROF_INT) && has("34", PROF_NUMBER));
    ck_assert(!has("131", PROF_AGE) && !has("-3", PROF_AGE));
    ck_assert(has("06236", PROF_ZIP) && !has("0623", PROF_ZIP));
    ck_assert(has("53,860,000", PROF_NUMBER) && !has("53,860,000", PROF_INT));
    ck_assert(!has("1,2345", PROF_NUMBER) && !has("12a", PROF_NUMBER) && !has("1.", PROF_NUMBER));
    ck_assert(has("1976-07-30", PROF_DATE) && has("1976-07-30", PROF_DATE_PLAIN));
    ck_assert(has("19760730", PROF_DATE_PLAIN) && !has("19761330", PROF_DATE));
    ck_assert(has("1976/7/30 0:00", PROF_DATE) && !has("1976/7/30 0:00", PROF_DATE_PLAIN));
    ck_assert(!has("2001-02-29", PROF_DATE) && has("2000-02-29", PROF_DATE));
    ck_assert(has("홍길동", PROF_NAME) && has("남궁민수", PROF_NAME) && !has("교사", PROF_NAME));
    ck_assert(!has("홍길동 고객", PROF_NAME) && has("홍길동 고객", PROF_TEXT_NAME));
    ck_assert(has("서울특별시 강남구 역삼동", PROF_ADDRESS) && has("경기도 수원시", PROF_SPACE));
    ck_assert(!has("서울대학교", PROF_ADDRESS));
    ck_assert(has("M54.5", PROF_ICD) && has("J00", PROF_ICD) && !has("M5", PROF_ICD));
    ck_assert(has("\xff\xfe", PROF_BAD_UTF8));
    profile_value v;
    profile_classify("010-1234-5678", 13, &v);
    ck_assert_uint_eq(v.kinds, 1u << PII_PHONE);
    const char *memo = "보호자 연락처 010-2400-4463";
    profile_classify(memo, strlen(memo), &v);
    ck_assert_uint_eq(v.kinds, 0);
    ck_assert_uint_eq(v.text_kinds, 1u << PII_PHONE);
    ck_assert(v.shapes & (1u << PROF_TEXT_ID));
}
END_TEST

static void add_all(profile_column *c, unsigned from, unsigned n, char prefix)
{
    char buf[64];
    for (unsigned i = from; i < from + n; i++) {
        int len = snprintf(buf, sizeof buf, "%c%u", prefix, i);
        profile_value v;
        profile_classify(buf, (size_t)len, &v);
        ck_assert_int_eq(profile_column_add(c, buf, (size_t)len, &v), 0);
    }
}

START_TEST(distinct_exact_then_estimated)
{
    profile_column c;
    int exact;
    ck_assert_int_eq(profile_column_init(&c, 256, 0), 0);
    add_all(&c, 0, 200, 'v');
    add_all(&c, 0, 200, 'v'); /* repeats count once */
    ck_assert_uint_eq(profile_column_distinct(&c, &exact), 200);
    ck_assert(exact);
    ck_assert_uint_eq(c.nonempty, 400);
    add_all(&c, 200, 99800, 'v');
    uint64_t d = profile_column_distinct(&c, &exact);
    ck_assert(!exact);
    ck_assert_ptr_null(c.exact); /* the exact set is gone: memory stays bounded */
    /* 1024 registers: standard error 1.04/32 = 3.3%; +-15% is 4.6 sigma, so
     * the random SipHash key does not make the test flaky */
    ck_assert_msg(d > 85000 && d < 115000, "estimate %llu for 100000", (unsigned long long)d);
    profile_column_free(&c);

    /* a small count past the cap: the estimate never says fewer than the cap */
    ck_assert_int_eq(profile_column_init(&c, 256, 0), 0);
    add_all(&c, 0, 300, 'w');
    d = profile_column_distinct(&c, &exact);
    ck_assert(!exact);
    ck_assert_msg(d > 256 && d <= 300, "estimate %llu for 300", (unsigned long long)d);
    profile_column_free(&c);
}
END_TEST

START_TEST(examples_only_when_asked)
{
    profile_column c;
    ck_assert_int_eq(profile_column_init(&c, 256, 0), 0);
    add_all(&c, 0, 10, 'x');
    ck_assert_uint_eq(c.n_examples, 0);
    profile_column_free(&c);
    ck_assert_int_eq(profile_column_init(&c, 256, 1), 0);
    add_all(&c, 0, 10, 'x');
    ck_assert_uint_eq(c.n_examples, PROFILE_EXAMPLES);
    ck_assert_str_eq(c.examples[0], "x0");
    ck_assert_str_eq(c.examples[2], "x2");
    profile_column_free(&c);
}
END_TEST

START_TEST(name_hints)
{
    ck_assert_int_eq(profile_name_hint("전화번호"), HINT_PHONE); /* before 번호 = id */
    ck_assert_int_eq(profile_name_hint("휴대폰 번호"), HINT_PHONE);
    ck_assert_int_eq(profile_name_hint("주민등록번호"), HINT_RRN);
    ck_assert_int_eq(profile_name_hint("우편번호"), HINT_ZIP);
    ck_assert_int_eq(profile_name_hint("고객 번호"), HINT_ID);
    ck_assert_int_eq(profile_name_hint("성명"), HINT_NAME);
    ck_assert_int_eq(profile_name_hint("성별"), HINT_SEX);
    ck_assert_int_eq(profile_name_hint("E-Mail"), HINT_EMAIL);
    ck_assert_int_eq(profile_name_hint("customer_id"), HINT_ID);
    ck_assert_int_eq(profile_name_hint("Birth Date"), HINT_BIRTH);
    ck_assert_int_eq(profile_name_hint("zip_code"), HINT_ZIP);
    ck_assert_int_eq(profile_name_hint("mobileNo"), HINT_PHONE);
    ck_assert_int_eq(profile_name_hint("hotel"), HINT_NONE);    /* "tel" only as a word */
    ck_assert_int_eq(profile_name_hint("col_7"), HINT_NONE);
    ck_assert_int_eq(profile_name_hint(NULL), HINT_NONE);
}
END_TEST

START_TEST(values_over_names)
{
    profile_column c;
    profile_verdict v;
    ck_assert_int_eq(profile_column_init(&c, 256, 0), 0);
    for (unsigned i = 0; i < 50; i++) {
        char buf[8];
        int len = snprintf(buf, sizeof buf, "%u", 20 + i % 30);
        profile_value pv;
        profile_classify(buf, (size_t)len, &pv);
        profile_column_add(&c, buf, (size_t)len, &pv);
    }
    profile_judge(&c, "phone", &v);
    ck_assert_int_eq(v.role, ROLE_QUASI);
    ck_assert_int_eq(v.content, CONTENT_AGE);
    ck_assert_int_eq(v.hint, HINT_PHONE);
    ck_assert(!v.hint_agrees);
    profile_judge(&c, "나이", &v);
    ck_assert(v.hint_agrees);
    profile_column_free(&c);

    /* an empty column is "other" whatever its name */
    ck_assert_int_eq(profile_column_init(&c, 256, 0), 0);
    profile_judge(&c, "주민번호", &v);
    ck_assert_int_eq(v.role, ROLE_OTHER);
    ck_assert_int_eq(v.content, CONTENT_EMPTY);
    profile_column_free(&c);
}
END_TEST

Suite *profile_suite(void); /* called by check_main.c */
Suite *profile_suite(void)
{
    Suite *s = suite_create("profile");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, value_shapes);
    tcase_add_test(tc, distinct_exact_then_estimated);
    tcase_add_test(tc, examples_only_when_asked);
    tcase_add_test(tc, name_hints);
    tcase_add_test(tc, values_over_names);
    suite_add_tcase(s, tc);
    return s;
}
