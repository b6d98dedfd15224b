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

/* Declared here because transform.h names only the table, not each
 * transform; describe_and_table checks the table holds this one. */
extern const transform_ops xf_date_ops;

#define RULES_LINE 9
#define KEYWORD_COL 15

/* A hand-filled xf_context around up to 8 parameters. */
typedef struct rig {
    xf_param params[8];
    size_t n;
    xf_context ctx;
    deid_error err;
    void *state;
    const transform_ops *ops;
} rig;

static void rig_init(rig *r)
{
    memset(r, 0, sizeof *r);
    r->ops = &xf_date_ops;
    r->ctx.column = "birth";
    r->ctx.transform = "date";
    r->ctx.rules_file = "t.rules";
    r->ctx.base_dir = "";
    r->ctx.line = RULES_LINE;
    r->ctx.col = KEYWORD_COL;
    r->ctx.source_line = "column birth: date to=year";
    r->ctx.params = r->params;
    r->ctx.n_inputs = 1;
    r->ctx.err = &r->err;
}

static void rig_param(rig *r, const char *name, const char *value, unsigned long col)
{
    ck_assert_uint_lt(r->n, 8);
    r->params[r->n].name = name;
    r->params[r->n].value = value;
    r->params[r->n].col = col;
    r->params[r->n].used = 0;
    r->n++;
    r->ctx.n_params = r->n;
}

static deid_status rig_compile(rig *r)
{
    r->state = (void *)1; /* compile must overwrite it, also on failure */
    return r->ops->compile(&r->ctx, &r->state);
}

static void rig_done(rig *r)
{
    if (r->ops->free && r->state)
        r->ops->free(r->state);
    r->state = NULL;
}

/* Compiles a rig with one parameter, asserting success. */
static void rig_one(rig *r, const char *name, const char *value)
{
    rig_init(r);
    rig_param(r, name, value, 19);
    ck_assert_int_eq(rig_compile(r), DEID_OK);
    ck_assert_ptr_nonnull(r->state);
}

/* Applies to in (copied into a buffer followed by digits, so that reading
 * past len would show), with the output limited to max bytes. */
static xf_result rig_apply(rig *r, const char *in, dbuf *out, size_t max, const char **why)
{
    size_t len = strlen(in);
    char *buf = malloc(len + 4);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, in, len);
    memcpy(buf + len, "1234", 4);
    xf_value v = {buf, len};
    dbuf_init(out, max);
    *why = NULL;
    xf_result res = r->ops->apply(r->state, &v, 1, out, why);
    free(buf);
    return res;
}

static void expect(rig *r, const char *in, const char *want)
{
    dbuf out;
    const char *why;
    xf_result res = rig_apply(r, in, &out, 1024, &why);
    ck_assert_msg(res == XF_OK, "\"%s\": result %d (%s)", in, (int)res, why ? why : "");
    ck_assert_msg(out.len == strlen(want) && memcmp(out.data, want, out.len) == 0,
                  "\"%s\": got \"%.*s\", want \"%s\"", in, (int)out.len,
                  out.data ? out.data : "", want);
    dbuf_free(&out);
}

static void expect_bad(rig *r, const char *in, const char *want_why)
{
    dbuf out;
    const char *why;
    xf_result res = rig_apply(r, in, &out, 1024, &why);
    ck_assert_msg(res == XF_BAD_VALUE, "\"%s\": result %d, want XF_BAD_VALUE", in, (int)res);
    ck_assert_ptr_nonnull(why);
    ck_assert_str_eq(why, want_why);
    dbuf_free(&out);
}

/* The compile failed with a rules error at column col whose message holds text. */
static void expect_rules_error(rig *r, deid_status rc, unsigned long col, const char *text)
{
    ck_assert_int_eq(rc, DEID_E_RULES);
    ck_assert_ptr_null(r->state);
    ck_assert_int_eq(r->err.status, DEID_E_RULES);
    ck_assert_uint_eq(r->err.column, col);
    ck_assert_uint_eq(r->err.line, RULES_LINE);
    ck_assert_str_eq(r->err.file, "t.rules");
    ck_assert_str_eq(r->err.source_line, r->ctx.source_line);
    ck_assert_msg(strstr(r->err.message, text), "message \"%s\" lacks \"%s\"", r->err.message,
                  text);
}

static void expect_describe(rig *r, const char *want)
{
    dbuf out;
    dbuf_init(&out, 1024);
    ck_assert_ptr_nonnull(r->ops->describe);
    ck_assert_int_eq(r->ops->describe(r->state, &out), DBUF_OK);
    ck_assert_ptr_nonnull(dbuf_cstr(&out));
    ck_assert_str_eq(out.data, want);
    dbuf_free(&out);
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
        rig r;
        rig_one(&r, "to", cases[i].to);
        for (size_t j = 0; j < sizeof shapes / sizeof shapes[0]; j++)
            expect(&r, shapes[j], cases[i].want);
        rig_done(&r);
    }
}
END_TEST

START_TEST(quarter_edges)
{
    rig r;
    rig_one(&r, "to", "quarter");
    expect(&r, "2023-01-01", "2023-Q1");
    expect(&r, "2023-03-31", "2023-Q1");
    expect(&r, "2023-04-01", "2023-Q2");
    expect(&r, "2023-06-30", "2023-Q2");
    expect(&r, "2023-07-01", "2023-Q3");
    expect(&r, "2023-09-30", "2023-Q3");
    expect(&r, "2023-10-01", "2023-Q4");
    expect(&r, "2023-12-31", "2023-Q4");
    rig_done(&r);
}
END_TEST

START_TEST(decade_edges)
{
    rig r;
    rig_one(&r, "to", "decade");
    expect(&r, "1980-01-01", "1980-1989");
    expect(&r, "1989-12-31", "1980-1989");
    expect(&r, "1990-01-01", "1990-1999");
    expect(&r, "2000-02-29", "2000-2009");
    expect(&r, "0001-01-01", "0000-0009");
    expect(&r, "9999-12-31", "9990-9999");
    rig_done(&r);
}
END_TEST

START_TEST(year_and_month_padding)
{
    rig r;
    rig_one(&r, "to", "year");
    expect(&r, "0987-03-14", "0987");
    expect(&r, "00010101", "0001");
    rig_done(&r);
    rig_one(&r, "to", "month");
    expect(&r, "2024/12/01", "2024-12");
    expect(&r, "2024.01.31", "2024-01");
    rig_done(&r);
}
END_TEST

START_TEST(leap_years)
{
    rig r;
    rig_one(&r, "to", "day");
    expect(&r, "2000-02-29", "2000-02-29");
    expect(&r, "20240229", "2024-02-29");
    expect(&r, "2400.02.29", "2400-02-29");
    expect(&r, "1996/02/29", "1996-02-29");
    expect(&r, "2023-02-28", "2023-02-28");
    expect_bad(&r, "1900-02-29", "is not a valid date");
    expect_bad(&r, "2100-02-29", "is not a valid date");
    expect_bad(&r, "2023-02-29", "is not a valid date");
    expect_bad(&r, "19000229", "is not a valid date");
    expect_bad(&r, "2000-02-30", "is not a valid date");
    expect_bad(&r, "2024-02-30", "is not a valid date");
    rig_done(&r);
}
END_TEST

START_TEST(impossible_dates)
{
    static const char *const bad[] = {"1987-13-01", "1987-00-10", "1987-01-00", "1987-01-32",
                                      "1987-04-31", "1987-06-31", "1987-09-31", "1987-11-31",
                                      "19871301",   "1987/99/99", "0000-01-01", "00000101"};
    rig r;
    rig_one(&r, "to", "day");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_bad(&r, bad[i], "is not a valid date");
    /* The last day of each month is fine. */
    expect(&r, "1987-04-30", "1987-04-30");
    expect(&r, "1987-01-31", "1987-01-31");
    expect(&r, "1987-12-31", "1987-12-31");
    expect(&r, "1987-11-30", "1987-11-30");
    rig_done(&r);
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
    rig r;
    rig_one(&r, "to", "year");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_bad(&r, bad[i], "is not a date");
    rig_done(&r);
}
END_TEST

/* ---- describe, limits, registration ------------------------------------ */

START_TEST(describe_and_table)
{
    static const char *const units_list[] = {"year", "quarter", "month", "decade", "day"};
    ck_assert_ptr_eq(transform_find("date"), &xf_date_ops);
    ck_assert_str_eq(xf_date_ops.name, "date");
    ck_assert_str_eq(xf_date_ops.technique, "데이터 범주화 (date generalization)");
    ck_assert_uint_eq(xf_date_ops.flags, 0);
    for (size_t i = 0; i < sizeof units_list / sizeof units_list[0]; i++) {
        rig r;
        char want[32];
        rig_one(&r, "to", units_list[i]);
        snprintf(want, sizeof want, "to=%s", units_list[i]);
        expect_describe(&r, want);
        rig_done(&r);
    }
}
END_TEST

START_TEST(output_limit)
{
    rig r;
    rig_one(&r, "to", "day");
    dbuf out;
    const char *why;
    ck_assert_int_eq(rig_apply(&r, "19870314", &out, 9, &why), XF_NOMEM);
    dbuf_free(&out);
    ck_assert_int_eq(rig_apply(&r, "19870314", &out, 10, &why), XF_OK);
    ck_assert_uint_eq(out.len, 10);
    dbuf_free(&out);
    rig_done(&r);
}
END_TEST

START_TEST(other_params_left_unused)
{
    rig r;
    rig_init(&r);
    rig_param(&r, NULL, "extra", 20);
    rig_param(&r, "to", "month", 26);
    rig_param(&r, "format", "iso", 35);
    ck_assert_int_eq(rig_compile(&r), DEID_OK);
    ck_assert_int_eq(r.params[0].used, 0);
    ck_assert_int_eq(r.params[1].used, 1);
    ck_assert_int_eq(r.params[2].used, 0);
    rig_done(&r);
}
END_TEST

/* ---- rules errors ------------------------------------------------------ */

START_TEST(error_missing)
{
    rig r;
    rig_init(&r);
    expect_rules_error(&r, rig_compile(&r), KEYWORD_COL, "date needs to=");

    rig_init(&r);
    rig_param(&r, NULL, "year", 20);
    expect_rules_error(&r, rig_compile(&r), KEYWORD_COL, "date needs to=");
}
END_TEST

START_TEST(error_duplicate)
{
    rig r;
    rig_init(&r);
    rig_param(&r, "to", "year", 20);
    rig_param(&r, "to", "month", 28);
    expect_rules_error(&r, rig_compile(&r), 28, "parameter to= given twice");
}
END_TEST

START_TEST(error_bad_unit)
{
    static const char *const bad[] = {"week", "Year", "", "years", "year ", "day,month"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rig r;
        rig_init(&r);
        rig_param(&r, "to", bad[i], 23);
        expect_rules_error(&r, rig_compile(&r), 23,
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
