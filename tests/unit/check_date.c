/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_date.c - `date to=year|quarter|month|decade|day` (xf_date.c): the
 * accepted forms (the Excel and Korean ones of issue 13, format= and
 * pivot=), every output unit, quarter and decade edges, leap years,
 * impossible dates and times, bad shapes and every rules error; and the
 * `date to=A,B,... level=auto` ladder. Expected values are worked out by
 * hand.
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

/* The message lists the accepted forms (issue 13); written out here. */
#define NOT_A_DATE "is not a date (accepted: YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYYMMDD, YYYY년 M월 D일, each optionally followed by a time H:MM or H:MM:SS; other forms need format=)"

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
        "198703140",  "+987-03-14", "-987-03-14", "1987--3-14",
        "1987-03-14\n", "14-03-1987", "1987:03:14", "",           "1987",     "1987-03",
        "\xef\xbc\x91\xef\xbc\x99\xef\xbc\x98\xef\xbc\x97"};
    xf_rig r;
    rig_one(&r, "to", "year");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        xf_rig_expect_bad(&r, bad[i], NOT_A_DATE);
    xf_rig_done(&r);
}
END_TEST

/* ---- Excel and Korean forms (issue 13) -------------------------------- */

START_TEST(excel_forms)
{
    /* "2024-02-29T00:00" was refused before issue 13. */
    static const char *const forms[] = {
        "1976-07-30",          "1976/7/30",          "1976/07/30",        "1976.07.30",
        "1976.7.30",           "19760730",           "1976년 7월 30일",   "1976년7월30일",
        "1976 년 7 월 30 일",  "1976년 07월 30일",   "1976-07-30 0:00",   "1976-07-30 13:45:10",
        "1976-07-30T13:45",    "1976/7/30 0:00",     "1976.7.30 23:59:59", "19760730 08:05",
        "1976년 7월 30일 0:00", "1976-07-30T00:00:00"};
    xf_rig r;
    rig_one(&r, "to", "day");
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        xf_rig_expect(&r, forms[i], "1976-07-30");
    xf_rig_expect(&r, "2024/2/9", "2024-02-09");
    xf_rig_expect(&r, "2024.2.29 7:00", "2024-02-29");
    xf_rig_expect(&r, "2024-02-29T00:00", "2024-02-29");
    xf_rig_done(&r);
    rig_one(&r, "to", "decade");
    xf_rig_expect(&r, "1976년 7월 30일", "1970-1979");
    xf_rig_done(&r);
}
END_TEST

START_TEST(excel_forms_refused)
{
    static const char *const bad[] = {
        "1976-7-30",          "1976-07-3",          "1976/7/30/",        "1976/7.30",
        "76-07-30",           "76/7/30",            "30/07/1976",        "07/30/1976",
        "1976년 7월",         "7월 30일",           "1976년  7월 30일",  "1976년 7월 30",
        "1976-07-30  0:00",   "1976-07-30 0",       "1976-07-30 0:0",    "1976-07-30 13:45:1",
        "1976-07-30 13:45:10.5", "1976-07-30t13:45", "1976-07-30 13:45 ", " 1976-07-30",
        "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x93-01-01", "1976-07-30 ０:00",
        "1976/7/300",         "1976.100.1",         "1976-07-30T",       "1976-07-30 :00"};
    xf_rig r;
    rig_one(&r, "to", "year");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        xf_rig_expect_bad(&r, bad[i], NOT_A_DATE);
    xf_rig_expect_bad(&r, "2023년 2월 30일", "is not a valid date");
    xf_rig_expect_bad(&r, "2023/2/29", "is not a valid date");
    xf_rig_expect_bad(&r, "2023.13.1 0:00", "is not a valid date");
    xf_rig_expect_bad(&r, "2023-01-01 25:00", "has a time that does not exist");
    xf_rig_expect_bad(&r, "2023-01-01 24:00", "has a time that does not exist");
    xf_rig_expect_bad(&r, "2023-01-01T23:60", "has a time that does not exist");
    xf_rig_expect_bad(&r, "2023-01-01 23:59:60", "has a time that does not exist");
    xf_rig_done(&r);
}
END_TEST

/* Compiles to=day format=FORMAT (pivot=PIVOT unless NULL), asserting success. */
static void rig_format(xf_rig *r, const char *format, const char *pivot)
{
    xf_rig_init(r, &setup);
    xf_rig_add(r, "to", "day");
    xf_rig_add(r, "format", format);
    if (pivot)
        xf_rig_add(r, "pivot", pivot);
    xf_rig_compile_ok(r);
}

START_TEST(format_patterns)
{
    xf_rig r;
    rig_format(&r, "%d/%m/%Y", NULL);
    xf_rig_expect(&r, "30/07/1976", "1976-07-30");
    xf_rig_expect(&r, "3/7/1976", "1976-07-03");
    xf_rig_expect_bad(&r, "1976-07-30", "does not match the rule's format=");
    xf_rig_expect_bad(&r, "30/07/76", "does not match the rule's format=");
    xf_rig_expect_bad(&r, "31/06/1976", "is not a valid date");
    xf_rig_expect_describe(&r, "to=day format=%d/%m/%Y");
    xf_rig_done(&r);

    rig_format(&r, "%m/%d/%y", "1950");
    xf_rig_expect(&r, "07/30/76", "1976-07-30");
    xf_rig_expect(&r, "1/2/49", "2049-01-02");
    xf_rig_expect(&r, "1/2/50", "1950-01-02");
    xf_rig_expect(&r, "12/31/00", "2000-12-31");
    xf_rig_expect_bad(&r, "1/2/1950", "does not match the rule's format=");
    xf_rig_expect_bad(&r, "1/2/5", "does not match the rule's format=");
    xf_rig_expect_describe(&r, "to=day format=%m/%d/%y pivot=1950");
    xf_rig_done(&r);

    rig_format(&r, "%Y%m%d%H%M%S", NULL);
    xf_rig_expect(&r, "19760730134510", "1976-07-30");
    xf_rig_expect_bad(&r, "19760730250000", "has a time that does not exist");
    xf_rig_done(&r);

    rig_format(&r, "%d.%m.%Y %H:%M 100%%", NULL);
    xf_rig_expect(&r, "30.07.1976 13:45 100%", "1976-07-30");
    xf_rig_expect_bad(&r, "30.07.1976 13:45 100", "does not match the rule's format=");
    xf_rig_expect_describe(&r, "to=day format=\"%d.%m.%Y %H:%M 100%%\"");
    xf_rig_done(&r);

    rig_format(&r, "%Y년 %m월 %d일생", NULL);
    xf_rig_expect(&r, "1976년 7월 30일생", "1976-07-30");
    xf_rig_done(&r);
}
END_TEST

START_TEST(format_errors)
{
    static const struct {
        const char *format, *pivot, *message;
        int at_pivot;
    } cases[] = {
        {"%d/%m/%y", NULL, "format= with %y needs pivot=YEAR", 0},
        {"%d/%m/%Y", "1950", "pivot= is only for format= with %y", 1},
        {"%d/%m/%Y %p", NULL, "format= knows only %Y %y %m %d %H %M %S and %%", 0},
        {"%d/%m/%Y%", NULL, "format= knows only %Y %y %m %d %H %M %S and %%", 0},
        {"%e/%m/%Y", NULL, "format= knows only", 0},
        {"%d/%m", NULL, "format= needs one year", 0},
        {"%d/%m/%Y/%y", "1950", "format= needs one year", 0},
        {"%Y-%m-%d %d", NULL, "format= names a field twice", 0},
        {"%Y-%m", NULL, "format= needs a month (%m) and a day (%d)", 0},
        {"%m-%d-%y", "0", "is out of range", 1},
        {"%m-%d-%y", "9901", "is out of range", 1},
        {"%m-%d-%y", "19x0", "is not a whole number", 1},
        {"", NULL, "format= needs one year", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xf_rig r;
        xf_rig_init(&r, &setup);
        xf_rig_add(&r, "to", "day");
        unsigned long fcol = xf_rig_add(&r, "format", cases[i].format);
        unsigned long pcol = cases[i].pivot ? xf_rig_add(&r, "pivot", cases[i].pivot) : 0;
        xf_rig_expect_rules_error(&r, xf_rig_compile(&r), cases[i].at_pivot ? pcol : fcol,
                                  cases[i].message);
    }
    xf_rig r;
    xf_rig_init(&r, &setup);
    xf_rig_add(&r, "to", "day");
    unsigned long pcol = xf_rig_add(&r, "pivot", "1950");
    xf_rig_expect_rules_error(&r, xf_rig_compile(&r), pcol, "pivot= is only for format= with %y");
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
    xf_rig_param(&r, "style", "iso", 35); /* not format=: that is date's own since issue 13 */
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

/* ---- to=A,B,... level=auto ladders -------------------------------------- */

/* Bytes after each value given to apply_level: digits, so that a date
 * parser reading past len would show (the rig does the same for apply). */
#define TRAILER "1234"

/* Calls apply_level on a copy of in followed by TRAILER; out is
 * initialised here and freed by the caller. */
static xf_result level_apply(const xf_rig *r, const char *in, size_t level, dbuf *out,
                             const char **why)
{
    size_t len = strlen(in);
    char *buf = malloc(len + sizeof TRAILER);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, in, len);
    memcpy(buf + len, TRAILER, sizeof TRAILER);
    xf_value v = {buf, len};
    dbuf_init(out, 1024);
    *why = NULL;
    xf_result res = r->ops->apply_level(r->state, &v, level, out, why);
    free(buf);
    return res;
}

static void expect_level(const xf_rig *r, const char *in, size_t level, const char *want)
{
    dbuf out;
    const char *why;
    xf_result res = level_apply(r, in, level, &out, &why);
    ck_assert_msg(res == XF_OK, "\"%s\" at level %zu: result %d (%s)", in, level, (int)res,
                  why ? why : "");
    ck_assert_ptr_null(why);
    ck_assert_msg(out.len == strlen(want) && memcmp(out.data, want, out.len) == 0,
                  "\"%s\" at level %zu: got \"%.*s\", want \"%s\"", in, level, (int)out.len,
                  out.data ? out.data : "", want);
    dbuf_free(&out);
}

static void expect_level_bad(const xf_rig *r, const char *in, size_t level, const char *want_why)
{
    dbuf out;
    const char *why;
    ck_assert_int_eq(level_apply(r, in, level, &out, &why), XF_BAD_VALUE);
    ck_assert_ptr_nonnull(why);
    ck_assert_str_eq(why, want_why);
    ck_assert_uint_eq(out.len, 0);
    dbuf_free(&out);
}

/* Compiles "to=LIST level=auto" (columns 19 and 19+4+len), asserting success. */
static void rig_ladder(xf_rig *r, const char *list)
{
    xf_rig_init(r, &setup);
    xf_rig_param(r, "to", list, 19);
    xf_rig_param(r, "level", "auto", 19 + 4 + strlen(list));
    xf_rig_compile_ok(r);
}

START_TEST(ladder_levels)
{
    xf_rig r;
    rig_ladder(&r, "day,month,year,decade");
    ck_assert_uint_eq(r.ops->levels(r.state), 6);
    static const struct {
        const char *in, *want[6];
    } cases[] = {
        {"1987-03-14", {"1987-03-14", "1987-03-14", "1987-03", "1987", "1980-1989", "*"}},
        /* Level 0 keeps the shape; the others write ISO. */
        {"19870314", {"19870314", "1987-03-14", "1987-03", "1987", "1980-1989", "*"}},
        {"2000.02.29", {"2000.02.29", "2000-02-29", "2000-02", "2000", "2000-2009", "*"}},
        {"1999/12/31", {"1999/12/31", "1999-12-31", "1999-12", "1999", "1990-1999", "*"}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (size_t l = 0; l < 6; l++)
            expect_level(&r, cases[i].in, l, cases[i].want[l]);
    /* Not a (valid) date: bad at every level, 0 and "*" included. */
    for (size_t l = 0; l < 6; l++) {
        expect_level_bad(&r, "1987-13-01", l, "is not a valid date");
        expect_level_bad(&r, "1900-02-29", l, "is not a valid date");
        expect_level_bad(&r, "1987-3-14", l, NOT_A_DATE);
        expect_level_bad(&r, "", l, NOT_A_DATE);
    }
    expect_level_bad(&r, "1987-03-14", 6, "has no generalization at that level");
    /* The engine must not run a level=auto rule without deid plan. */
    xf_rig_expect_bad(&r, "1987-03-14", "needs deid plan to choose its level (level=auto)");
    ck_assert_ptr_null(r.ops->domain_size);
    ck_assert_ptr_null(r.ops->domain_count);
    xf_rig_expect_describe(&r, "to=day,month,year,decade level=auto");
    xf_rig_expect_used(&r, "11");
    xf_rig_done(&r);

    rig_ladder(&r, "month,quarter,year");
    ck_assert_uint_eq(r.ops->levels(r.state), 5);
    expect_level(&r, "2023-08-01", 1, "2023-08");
    expect_level(&r, "2023-08-01", 2, "2023-Q3");
    expect_level(&r, "2023-08-01", 3, "2023");
    expect_level(&r, "2023-08-01", 4, "*");
    xf_rig_expect_describe(&r, "to=month,quarter,year level=auto");
    xf_rig_done(&r);

    rig_ladder(&r, "quarter");
    ck_assert_uint_eq(r.ops->levels(r.state), 3);
    expect_level(&r, "20231231", 0, "20231231");
    expect_level(&r, "20231231", 1, "2023-Q4");
    expect_level(&r, "20231231", 2, "*");
    xf_rig_done(&r);

    rig_ladder(&r, "day,month,quarter,year,decade");
    ck_assert_uint_eq(r.ops->levels(r.state), 7);
    expect_level(&r, "0001-01-01", 5, "0000-0009");
    expect_level(&r, "0001-01-01", 6, "*");
    xf_rig_done(&r);
}
END_TEST

START_TEST(fixed_unit_has_no_ladder)
{
    xf_rig r;
    rig_one(&r, "to", "year");
    ck_assert_uint_eq(r.ops->levels(r.state), 0);
    expect_level_bad(&r, "1987-03-14", 0, "has no generalization at that level");
    xf_rig_done(&r);
}
END_TEST

START_TEST(error_ladder_params)
{
    xf_rig r;
    xf_rig_init(&r, &setup);
    xf_rig_param(&r, "level", "auto", 20);
    xf_rig_expect_rules_message(&r, xf_rig_compile(&r), KEYWORD_COL,
                                "date level=auto needs to=UNIT,UNIT,... e.g. to=day,month,year");

    xf_rig_init(&r, &setup);
    xf_rig_param(&r, "to", "year", 20);
    xf_rig_param(&r, "level", "1", 28);
    xf_rig_expect_rules_message(&r, xf_rig_compile(&r), 28,
                                "date takes only level=auto (with to=UNIT,UNIT,...); a fixed "
                                "unit is to=UNIT");

    xf_rig_init(&r, &setup);
    xf_rig_param(&r, "to", "day,month", 20);
    xf_rig_expect_rules_message(&r, xf_rig_compile(&r), 20,
                                "to=day,month is not one of year, quarter, month, decade, day "
                                "(a list of units needs level=auto)");

    xf_rig_init(&r, &setup);
    xf_rig_param(&r, "to", "day", 20);
    xf_rig_param(&r, "level", "auto", 27);
    xf_rig_param(&r, "to", "year", 37);
    xf_rig_expect_rules_message(&r, xf_rig_compile(&r), 37, "parameter to= given twice");

    static const struct {
        const char *value, *message;
    } cases[] = {
        {"month,day", "to= must go from finer to coarser units, each once: day, month, "
                      "quarter, year, decade (item 2)"},
        {"day,day", "to= must go from finer to coarser units, each once: day, month, "
                    "quarter, year, decade (item 2)"},
        {"day,year,quarter", "to= must go from finer to coarser units, each once: day, month, "
                             "quarter, year, decade (item 3)"},
        {"decade,year", "to= must go from finer to coarser units, each once: day, month, "
                        "quarter, year, decade (item 2)"},
        {"day,month,quarter,year,decade,day",
         "to= must go from finer to coarser units, each once: day, month, quarter, year, "
         "decade (item 6)"},
        {"day,week", "to= item 2 is not one of year, quarter, month, decade, day"},
        {"day,,year", "to= item 2 is not one of year, quarter, month, decade, day"},
        {"day,", "to= item 2 is not one of year, quarter, month, decade, day"},
        {"", "to= item 1 is not one of year, quarter, month, decade, day"},
        {",day", "to= item 1 is not one of year, quarter, month, decade, day"},
        {"Day", "to= item 1 is not one of year, quarter, month, decade, day"},
        {"day, month", "to= item 2 is not one of year, quarter, month, decade, day"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xf_rig_init(&r, &setup);
        xf_rig_param(&r, "to", cases[i].value, 23);
        xf_rig_param(&r, "level", "auto", 70);
        xf_rig_expect_rules_message(&r, xf_rig_compile(&r), 23, cases[i].message);
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
    tcase_add_test(tc, excel_forms);
    tcase_add_test(tc, excel_forms_refused);
    tcase_add_test(tc, format_patterns);
    tcase_add_test(tc, format_errors);
    tcase_add_test(tc, describe_and_table);
    tcase_add_test(tc, output_limit);
    tcase_add_test(tc, other_params_left_unused);
    tcase_add_test(tc, error_missing);
    tcase_add_test(tc, error_duplicate);
    tcase_add_test(tc, error_bad_unit);
    tcase_add_test(tc, ladder_levels);
    tcase_add_test(tc, fixed_unit_has_no_ladder);
    tcase_add_test(tc, error_ladder_params);
    suite_add_tcase(s, tc);
    return s;
}
