/*
 * check_date.c - `date to=year|quarter|month|decade|day` (xf_date.c): the
 * four accepted shapes, every output unit, quarter and decade edges, leap
 * years, impossible dates, bad shapes and every rules error. Expected
 * values are worked out by hand.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transform.h"
#include "xf_rig.h"

/* Declared here because transform.h names only the table, not each
 * transform; describe_and_table checks the table holds this one. */
extern const transform_ops xf_date_ops;

#define RULES_LINE 9
#define KEYWORD_COL 15

static const xf_rig_setup setup = {
    .ops = &xf_date_ops,
    .column = "birth",
    .rules_file = "t.rules",
    .line = RULES_LINE,
    .col = KEYWORD_COL,
    .source_line = "column birth: date to=year",
    .resets_state = 1, /* compile must overwrite *state, also on failure */
};

/* Compiles a rig with one parameter at column 19, asserting success. */
static void rig_one(xf_rig *r, const char *name, const char *value)
{
    xf_rig_compile_one(r, &setup, name, value, 19);
}

/* ---- units and shapes -------------------------------------------------- */

START_TEST(units)
{
    static const struct {
        const char *to, *want;
    } cases[] = {{"year", "1987"},
                 {"quarter", "1987-Q1"},
                 {"month", "1987-03"},
                 {"decade", "1980-1989"},
                 {"day", "1987-03-14"}};
    static const char *const shapes[] = {"1987-03-14", "19870314", "1987/03/14", "1987.03.14"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xf_rig r;
        rig_one(&r, "to", cases[i].to);
        for (size_t j = 0; j < sizeof shapes / sizeof shapes[0]; j++)
            xf_rig_expect(&r, shapes[j], cases[i].want);
        xf_rig_done(&r);
    }
}
END_TEST

START_TEST(quarter_edges)
{
    xf_rig r;
    rig_one(&r, "to", "quarter");
    xf_rig_expect(&r, "2023-01-01", "2023-Q1");
    xf_rig_expect(&r, "2023-03-31", "2023-Q1");
    xf_rig_expect(&r, "2023-04-01", "2023-Q2");
    xf_rig_expect(&r, "2023-06-30", "2023-Q2");
    xf_rig_expect(&r, "2023-07-01", "2023-Q3");
    xf_rig_expect(&r, "2023-09-30", "2023-Q3");
    xf_rig_expect(&r, "2023-10-01", "2023-Q4");
    xf_rig_expect(&r, "2023-12-31", "2023-Q4");
    xf_rig_done(&r);
}
END_TEST

START_TEST(decade_edges)
{
    xf_rig r;
    rig_one(&r, "to", "decade");
    xf_rig_expect(&r, "1980-01-01", "1980-1989");
    xf_rig_expect(&r, "1989-12-31", "1980-1989");
    xf_rig_expect(&r, "1990-01-01", "1990-1999");
    xf_rig_expect(&r, "2000-02-29", "2000-2009");
    xf_rig_expect(&r, "0001-01-01", "0000-0009");
    xf_rig_expect(&r, "9999-12-31", "9990-9999");
    xf_rig_done(&r);
}
END_TEST

START_TEST(year_and_month_padding)
{
    xf_rig r;
    rig_one(&r, "to", "year");
    xf_rig_expect(&r, "0987-03-14", "0987");
    xf_rig_expect(&r, "00010101", "0001");
    xf_rig_done(&r);
    rig_one(&r, "to", "month");
    xf_rig_expect(&r, "2024/12/01", "2024-12");
    xf_rig_expect(&r, "2024.01.31", "2024-01");
    xf_rig_done(&r);
}
END_TEST

START_TEST(leap_years)
{
    xf_rig r;
    rig_one(&r, "to", "day");
    xf_rig_expect(&r, "2000-02-29", "2000-02-29");
    xf_rig_expect(&r, "20240229", "2024-02-29");
    xf_rig_expect(&r, "2400.02.29", "2400-02-29");
    xf_rig_expect(&r, "1996/02/29", "1996-02-29");
    xf_rig_expect(&r, "2023-02-28", "2023-02-28");
    xf_rig_expect_bad(&r, "1900-02-29", "is not a valid date");
    xf_rig_expect_bad(&r, "2100-02-29", "is not a valid date");
    xf_rig_expect_bad(&r, "2023-02-29", "is not a valid date");
    xf_rig_expect_bad(&r, "19000229", "is not a valid date");
    xf_rig_expect_bad(&r, "2000-02-30", "is not a valid date");
    xf_rig_expect_bad(&r, "2024-02-30", "is not a valid date");
    xf_rig_done(&r);
}
END_TEST

START_TEST(impossible_dates)
{
    static const char *const bad[] = {"1987-13-01", "1987-00-10", "1987-01-00", "1987-01-32",
                                      "1987-04-31", "1987-06-31", "1987-09-31", "1987-11-31",
                                      "19871301",   "1987/99/99", "0000-01-01", "00000101"};
    xf_rig r;
    rig_one(&r, "to", "day");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        xf_rig_expect_bad(&r, bad[i], "is not a valid date");
    /* The last day of each month is fine. */
    xf_rig_expect(&r, "1987-04-30", "1987-04-30");
    xf_rig_expect(&r, "1987-01-31", "1987-01-31");
    xf_rig_expect(&r, "1987-12-31", "1987-12-31");
    xf_rig_expect(&r, "1987-11-30", "1987-11-30");
    xf_rig_done(&r);
}
END_TEST

START_TEST(bad_shapes)
{
    static const char *const bad[] = {
        "1987-03/14", "1987/03-14", "1987.03-14", "1987-3-14",  "87-03-14",   "1987-03-14 ",
        " 1987-03-14", "1987_03_14", "1987 03 14", "1987-03-1a", "198a0314",  "1987031",
        "198703140",  "2024-02-29T00:00", "+987-03-14", "-987-03-14", "1987--3-14",
        "1987-03-14\n", "14-03-1987", "1987:03:14", "",           "1987",     "1987-03",
        "\xef\xbc\x91\xef\xbc\x99\xef\xbc\x98\xef\xbc\x97"};
    xf_rig r;
    rig_one(&r, "to", "year");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        xf_rig_expect_bad(&r, bad[i], "is not a date");
    xf_rig_done(&r);
}
END_TEST

/* ---- describe, limits, registration ------------------------------------ */

START_TEST(describe_and_table)
{
    static const char *const units_list[] = {"year", "quarter", "month", "decade", "day"};
    xf_rig_expect_registered(&xf_date_ops, "date", "데이터 범주화 (date generalization)", 0);
    for (size_t i = 0; i < sizeof units_list / sizeof units_list[0]; i++) {
        xf_rig r;
        char want[32];
        rig_one(&r, "to", units_list[i]);
        snprintf(want, sizeof want, "to=%s", units_list[i]);
        xf_rig_expect_describe(&r, want);
        xf_rig_done(&r);
    }
}
END_TEST

START_TEST(output_limit)
{
    xf_rig r;
    rig_one(&r, "to", "day");
    xf_rig_expect_output_limit(&r, "19870314", 10);
    xf_rig_done(&r);
}
END_TEST

START_TEST(other_params_left_unused)
{
    xf_rig r;
    xf_rig_init(&r, &setup);
    xf_rig_param(&r, NULL, "extra", 20);
    xf_rig_param(&r, "to", "month", 26);
    xf_rig_param(&r, "format", "iso", 35);
    ck_assert_int_eq(xf_rig_compile(&r), DEID_OK);
    xf_rig_expect_used(&r, "010");
    xf_rig_done(&r);
}
END_TEST

/* ---- rules errors ------------------------------------------------------ */

START_TEST(error_missing)
{
    xf_rig r;
    xf_rig_init(&r, &setup);
    xf_rig_expect_rules_error(&r, xf_rig_compile(&r), KEYWORD_COL, "date needs to=");

    xf_rig_init(&r, &setup);
    xf_rig_param(&r, NULL, "year", 20);
    xf_rig_expect_rules_error(&r, xf_rig_compile(&r), KEYWORD_COL, "date needs to=");
}
END_TEST

START_TEST(error_duplicate)
{
    xf_rig r;
    xf_rig_init(&r, &setup);
    xf_rig_param(&r, "to", "year", 20);
    xf_rig_param(&r, "to", "month", 28);
    xf_rig_expect_rules_error(&r, xf_rig_compile(&r), 28, "parameter to= given twice");
}
END_TEST

START_TEST(error_bad_unit)
{
    static const char *const bad[] = {"week", "Year", "", "years", "year ", "day,month"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        xf_rig r;
        xf_rig_init(&r, &setup);
        xf_rig_param(&r, "to", bad[i], 23);
        xf_rig_expect_rules_error(&r, xf_rig_compile(&r), 23,
                           "is not one of year, quarter, month, decade, day");
    }
}
END_TEST

Suite *date_suite(void);

Suite *date_suite(void)
{
    Suite *s = suite_create("date");
    TCase *tc = tcase_create("date");
    tcase_add_test(tc, units);
    tcase_add_test(tc, quarter_edges);
    tcase_add_test(tc, decade_edges);
    tcase_add_test(tc, year_and_month_padding);
    tcase_add_test(tc, leap_years);
    tcase_add_test(tc, impossible_dates);
    tcase_add_test(tc, bad_shapes);
    tcase_add_test(tc, describe_and_table);
    tcase_add_test(tc, output_limit);
    tcase_add_test(tc, other_params_left_unused);
    tcase_add_test(tc, error_missing);
    tcase_add_test(tc, error_duplicate);
    tcase_add_test(tc, error_bad_unit);
    suite_add_tcase(s, tc);
    return s;
}
