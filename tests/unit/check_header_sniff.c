/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_header_sniff.c - does a first record look like data
 * (header_sniff.h)? Real column names pass (English, Korean, with digits,
 * positional), identifiers and numbers are caught, each with its kind;
 * a whole record is caught by its first such cell.
 */
#include <check.h>
#include <string.h>

#include "header_sniff.h"

static const char *kind(const char *s)
{
    return header_sniff_cell(s, strlen(s));
}

START_TEST(names_pass)
{
    static const char *const names[] = {
        "id", "zip", "2024_sales", "주민번호", "전화번호", "e-mail", "age (years)", "#3",
        "", "  ", "q1", "sales_2024-01", "user@", "@home", "a@b", "K-anonymity", "#", "-",
        "우원범주", "J06.9", "부산광역시 사하구 다대동 303호", "M"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        ck_assert_msg(kind(names[i]) == NULL, "\"%s\" taken for data", names[i]);
}
END_TEST

START_TEST(data_caught)
{
    ck_assert_str_eq(kind("850907-1562830"), "a resident registration number");
    ck_assert_str_eq(kind("8509071562830"), "a resident registration number");
    ck_assert_str_eq(kind("010-8770-1463"), "a phone number");
    ck_assert_str_eq(kind("01087701463"), "a phone number");
    ck_assert_str_eq(kind("011-877-1463"), "a phone number");
    ck_assert_str_eq(kind("wonbumjoo.woo85@hanmail.net"), "an e-mail address");
    ck_assert_str_eq(kind("1985-09-07"), "a date");
    ck_assert_str_eq(kind("1985/09/07"), "a date");
    ck_assert_str_eq(kind("2024"), "a number"); /* documented: a year as a name is refused */
    ck_assert_str_eq(kind("49486"), "a number");
    ck_assert_str_eq(kind(" 171,980,000 "), "a number");
    ck_assert_str_eq(kind("02-123-4567"), "a number");
    ck_assert_str_eq(kind("850907-1******"), "a number");
}
END_TEST

START_TEST(record_first_hit)
{
    const char *what = NULL;
    csv_field names[3] = {{"id", 2}, {"name", 4}, {"rrn", 3}};
    ck_assert_int_eq(header_sniff_record(names, 3, &what), -1);
    csv_field data[3] = {{"C000001", 7}, {"홍길동", 9}, {"010-1234-5678", 13}};
    ck_assert_int_eq(header_sniff_record(data, 3, &what), 2);
    ck_assert_str_eq(what, "a phone number");
    ck_assert_int_eq(header_sniff_record(data, 0, &what), -1);
}
END_TEST

Suite *header_sniff_suite(void); /* called by check_main.c */
Suite *header_sniff_suite(void)
{
    Suite *s = suite_create("header_sniff");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, names_pass);
    tcase_add_test(tc, data_caught);
    tcase_add_test(tc, record_first_hit);
    suite_add_tcase(s, tc);
    return s;
}
