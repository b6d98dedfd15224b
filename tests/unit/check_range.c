/*
 * check_range.c - `range width=W` and `range breaks=A,B,C` (xf_range.c):
 * bands, band edges, negative labels, top/bottom coding, int64 extremes,
 * bad values and every rules error. Expected labels are worked out by hand.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transform.h"

/* Declared here because transform.h names only the table, not each
 * transform; describe_and_table checks the table holds this one. */
extern const transform_ops xf_range_ops;

#define RULES_LINE 7
#define KEYWORD_COL 13

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
    r->ops = &xf_range_ops;
    r->ctx.column = "age";
    r->ctx.transform = "range";
    r->ctx.rules_file = "t.rules";
    r->ctx.base_dir = "";
    r->ctx.line = RULES_LINE;
    r->ctx.col = KEYWORD_COL;
    r->ctx.source_line = "column age: range width=10 breaks=20,30";
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

/* ---- width= ---------------------------------------------------------- */

START_TEST(width_bands)
{
    rig r;
    rig_one(&r, "width", "10");
    expect(&r, "34", "30-39");
    expect(&r, "30", "30-39");
    expect(&r, "39", "30-39");
    expect(&r, "40", "40-49");
    expect(&r, "0", "0-9");
    expect(&r, "9", "0-9");
    expect(&r, "-0", "0-9");
    expect(&r, "007", "0-9");
    expect(&r, "100", "100-109");
    rig_done(&r);
}
END_TEST

START_TEST(width_negative_floor)
{
    rig r;
    rig_one(&r, "width", "10");
    expect(&r, "-1", "-10--1");
    expect(&r, "-10", "-10--1");
    expect(&r, "-11", "-20--11");
    expect(&r, "-20", "-20--11");
    expect(&r, "-21", "-30--21");
    rig_done(&r);

    rig_one(&r, "width", "7");
    expect(&r, "-1", "-7--1");
    expect(&r, "-7", "-7--1");
    expect(&r, "-8", "-14--8");
    expect(&r, "13", "7-13");
    expect(&r, "14", "14-20");
    rig_done(&r);
}
END_TEST

START_TEST(width_one)
{
    rig r;
    rig_one(&r, "width", "1");
    expect(&r, "5", "5-5");
    expect(&r, "-5", "-5--5");
    expect(&r, "9223372036854775807", "9223372036854775807-9223372036854775807");
    expect(&r, "-9223372036854775808", "-9223372036854775808--9223372036854775808");
    rig_done(&r);
}
END_TEST

START_TEST(width_int64_extremes)
{
    rig r;
    rig_one(&r, "width", "10");
    /* Highest band that fits: 9223372036854775790..799; the next one would
     * end at 9223372036854775809 > INT64_MAX. */
    expect(&r, "9223372036854775799", "9223372036854775790-9223372036854775799");
    expect_bad(&r, "9223372036854775800", "is out of range");
    expect_bad(&r, "9223372036854775807", "is out of range");
    /* -9223372036854775800 is a multiple of 10; INT64_MIN's band would
     * start at -9223372036854775810. */
    expect(&r, "-9223372036854775800", "-9223372036854775800--9223372036854775791");
    expect_bad(&r, "-9223372036854775801", "is out of range");
    expect_bad(&r, "-9223372036854775808", "is out of range");
    /* Not int64 at all. */
    expect_bad(&r, "9223372036854775808", "is out of range");
    expect_bad(&r, "-9223372036854775809", "is out of range");
    expect_bad(&r, "99999999999999999999999999", "is out of range");
    expect_bad(&r, "99999999999999999999999999x", "is not a whole number");
    rig_done(&r);

    /* W = INT64_MAX: [0, W-1], [-W, -1]; INT64_MIN = -W-1 is below -W. */
    rig_one(&r, "width", "9223372036854775807");
    expect(&r, "0", "0-9223372036854775806");
    expect(&r, "9223372036854775806", "0-9223372036854775806");
    expect(&r, "-1", "-9223372036854775807--1");
    expect(&r, "-9223372036854775807", "-9223372036854775807--1");
    expect_bad(&r, "-9223372036854775808", "is out of range");
    expect_bad(&r, "9223372036854775807", "is out of range");
    rig_done(&r);
}
END_TEST

START_TEST(bad_whole_numbers)
{
    static const char *const bad[] = {"34.5", "", "3e2", "+3", " 34", "34 ", "-", "--3",
                                      "3-", "abc", "0x10", "1,000", "\xef\xbc\x91\xef\xbc\x92",
                                      "3\t", "- 3", ".5"};
    rig r;
    rig_one(&r, "width", "10");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_bad(&r, bad[i], "is not a whole number");
    rig_done(&r);

    rig_one(&r, "breaks", "20,30,40");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_bad(&r, bad[i], "is not a whole number");
    expect_bad(&r, "9223372036854775808", "is out of range");
    rig_done(&r);
}
END_TEST

/* ---- breaks= --------------------------------------------------------- */

START_TEST(breaks_bands)
{
    rig r;
    rig_one(&r, "breaks", "20,30,40");
    expect(&r, "25", "20-29");
    expect(&r, "45", "40+");
    expect(&r, "19", "<20");
    expect(&r, "20", "20-29");
    expect(&r, "29", "20-29");
    expect(&r, "30", "30-39");
    expect(&r, "39", "30-39");
    expect(&r, "40", "40+");
    expect(&r, "-5", "<20");
    expect(&r, "9223372036854775807", "40+");
    expect(&r, "-9223372036854775808", "<20");
    rig_done(&r);
}
END_TEST

START_TEST(breaks_negative_and_single)
{
    rig r;
    rig_one(&r, "breaks", "-10,0,10");
    expect(&r, "-11", "<-10");
    expect(&r, "-10", "-10--1");
    expect(&r, "-1", "-10--1");
    expect(&r, "0", "0-9");
    expect(&r, "9", "0-9");
    expect(&r, "10", "10+");
    rig_done(&r);

    rig_one(&r, "breaks", "5");
    expect(&r, "4", "<5");
    expect(&r, "5", "5+");
    rig_done(&r);

    rig_one(&r, "breaks", "-9223372036854775808,9223372036854775807");
    expect(&r, "-9223372036854775808", "-9223372036854775808-9223372036854775806");
    expect(&r, "9223372036854775806", "-9223372036854775808-9223372036854775806");
    expect(&r, "9223372036854775807", "9223372036854775807+");
    rig_done(&r);
}
END_TEST

START_TEST(breaks_many)
{
    /* Eleven breaks 0,10,...,100: the band of v is computed here by plain
     * arithmetic, independently of the search in xf_range.c. */
    rig r;
    rig_one(&r, "breaks", "0,10,20,30,40,50,60,70,80,90,100");
    for (int v = -5; v <= 115; v++) {
        char in[16], want[32];
        snprintf(in, sizeof in, "%d", v);
        if (v < 0)
            snprintf(want, sizeof want, "<0");
        else if (v >= 100)
            snprintf(want, sizeof want, "100+");
        else
            snprintf(want, sizeof want, "%d-%d", v / 10 * 10, v / 10 * 10 + 9);
        expect(&r, in, want);
    }
    rig_done(&r);
}
END_TEST

/* ---- describe, limits, registration ------------------------------------ */

START_TEST(describe_and_table)
{
    rig r;
    rig_one(&r, "width", "010");
    ck_assert_ptr_eq(transform_find("range"), &xf_range_ops);
    ck_assert_str_eq(r.ops->name, "range");
    ck_assert_str_eq(r.ops->technique,
                     "데이터 범주화/범위 방법 (range; 상·하단코딩 top/bottom coding)");
    ck_assert_uint_eq(r.ops->flags, 0);
    expect_describe(&r, "width=10");
    rig_done(&r);

    rig_one(&r, "breaks", "-05,020,30");
    expect_describe(&r, "breaks=-5,20,30");
    rig_done(&r);
}
END_TEST

START_TEST(output_limit)
{
    rig r;
    rig_one(&r, "width", "10");
    dbuf out;
    const char *why;
    ck_assert_int_eq(rig_apply(&r, "34", &out, 3, &why), XF_NOMEM);
    dbuf_free(&out);
    ck_assert_int_eq(rig_apply(&r, "34", &out, 5, &why), XF_OK);
    ck_assert_uint_eq(out.len, 5);
    dbuf_free(&out);
    rig_done(&r);
}
END_TEST

START_TEST(other_params_left_unused)
{
    /* Unknown and positional parameters are the rules parser's to report. */
    rig r;
    rig_init(&r);
    rig_param(&r, NULL, "extra", 17);
    rig_param(&r, "width", "10", 23);
    rig_param(&r, "foo", "1", 32);
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
    expect_rules_error(&r, rig_compile(&r), KEYWORD_COL, "range needs width=");
}
END_TEST

START_TEST(error_width_and_breaks)
{
    rig r;
    rig_init(&r);
    rig_param(&r, "width", "10", 19);
    rig_param(&r, "breaks", "20,30", 28);
    expect_rules_error(&r, rig_compile(&r), 28, "not both");

    rig_init(&r);
    rig_param(&r, "breaks", "20,30", 19);
    rig_param(&r, "width", "10", 32);
    expect_rules_error(&r, rig_compile(&r), 32, "not both");
}
END_TEST

START_TEST(error_duplicates)
{
    rig r;
    rig_init(&r);
    rig_param(&r, "width", "10", 19);
    rig_param(&r, "width", "5", 28);
    expect_rules_error(&r, rig_compile(&r), 28, "parameter width= given twice");

    rig_init(&r);
    rig_param(&r, "breaks", "20,30", 19);
    rig_param(&r, "breaks", "20,30", 32);
    expect_rules_error(&r, rig_compile(&r), 32, "parameter breaks= given twice");
}
END_TEST

START_TEST(error_bad_width)
{
    static const struct {
        const char *value, *text;
    } cases[] = {{"0", "out of range"},           {"-1", "not a whole number"},
                 {"abc", "not a whole number"},   {"10x", "not a whole number"},
                 {"", "not a whole number"},      {"1.5", "not a whole number"},
                 {"9223372036854775808", "out of range"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rig r;
        rig_init(&r);
        rig_param(&r, "width", cases[i].value, 21);
        expect_rules_error(&r, rig_compile(&r), 21, cases[i].text);
    }
}
END_TEST

START_TEST(error_bad_breaks)
{
    static const struct {
        const char *value, *text;
    } cases[] = {{"30,20", "strictly ascending"},
                 {"20,20", "strictly ascending"},
                 {"10,30,20,40", "strictly ascending (item 3)"},
                 {"20,,30", "item 2 is not a whole number"},
                 {"20,30,", "item 3 is not a whole number"},
                 {",20", "item 1 is not a whole number"},
                 {"", "item 1 is not a whole number"},
                 {",", "not a whole number"},
                 {"a", "not a whole number"},
                 {" 20", "not a whole number"},
                 {"20, 30", "item 2 is not a whole number"},
                 {"20;30", "not a whole number"},
                 {"2.5", "not a whole number"},
                 {"1,99999999999999999999", "item 2 is out of range"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rig r;
        rig_init(&r);
        rig_param(&r, "breaks", cases[i].value, 24);
        expect_rules_error(&r, rig_compile(&r), 24, cases[i].text);
    }
}
END_TEST

Suite *range_suite(void);

Suite *range_suite(void)
{
    Suite *s = suite_create("range");
    TCase *tc = tcase_create("range");
    tcase_add_test(tc, width_bands);
    tcase_add_test(tc, width_negative_floor);
    tcase_add_test(tc, width_one);
    tcase_add_test(tc, width_int64_extremes);
    tcase_add_test(tc, bad_whole_numbers);
    tcase_add_test(tc, breaks_bands);
    tcase_add_test(tc, breaks_negative_and_single);
    tcase_add_test(tc, breaks_many);
    tcase_add_test(tc, describe_and_table);
    tcase_add_test(tc, output_limit);
    tcase_add_test(tc, other_params_left_unused);
    tcase_add_test(tc, error_missing);
    tcase_add_test(tc, error_width_and_breaks);
    tcase_add_test(tc, error_duplicates);
    tcase_add_test(tc, error_bad_width);
    tcase_add_test(tc, error_bad_breaks);
    suite_add_tcase(s, tc);
    return s;
}
