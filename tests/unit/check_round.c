/*
 * check_round.c - `round to=N` (xf_round.c): nearest multiple, ties away
 * from zero, exact on long fractions, never "-0", int64 extremes, bad
 * values and every rules error. Expected numbers are worked out by hand.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transform.h"

/* Declared here because transform.h names only the table, not each
 * transform; describe_and_table checks the table holds this one. */
extern const transform_ops xf_round_ops;

#define RULES_LINE 4
#define KEYWORD_COL 16

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
    r->ops = &xf_round_ops;
    r->ctx.column = "income";
    r->ctx.transform = "round";
    r->ctx.rules_file = "t.rules";
    r->ctx.base_dir = "";
    r->ctx.line = RULES_LINE;
    r->ctx.col = KEYWORD_COL;
    r->ctx.source_line = "column income: round to=1000000";
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

/* ---- rounding ---------------------------------------------------------- */

START_TEST(million)
{
    rig r;
    rig_one(&r, "to", "1000000");
    expect(&r, "34499999", "34000000");
    expect(&r, "34500000", "35000000");
    expect(&r, "2500000.4", "3000000");
    expect(&r, "1499999.99", "1000000");
    expect(&r, "-1500000", "-2000000");
    expect(&r, "0", "0");
    expect(&r, "499999", "0");
    expect(&r, "499999.999999", "0");
    expect(&r, "500000", "1000000");
    expect(&r, "-499999.9", "0");
    expect(&r, "-500000", "-1000000");
    expect(&r, "999999999.5", "1000000000");
    expect(&r, "34000000", "34000000");
    expect(&r, "34499999.99999999999999999999999999", "34000000");
    expect(&r, "0.0", "0");
    rig_done(&r);
}
END_TEST

START_TEST(to_one)
{
    rig r;
    rig_one(&r, "to", "1");
    expect(&r, "-0.2", "0");
    expect(&r, "-0", "0");
    expect(&r, "-0.0", "0");
    expect(&r, "-0.5", "-1");
    expect(&r, "0.5", "1");
    expect(&r, "0.4999", "0");
    expect(&r, "2.5", "3");
    expect(&r, "-2.5", "-3");
    expect(&r, "3.5", "4");
    expect(&r, "2.4999", "2");
    /* A double would hold this as 2.5 and round it up. */
    expect(&r, "2.49999999999999999999999999", "2");
    expect(&r, "007", "7");
    expect(&r, "12.000", "12");
    expect(&r, "-12.51", "-13");
    rig_done(&r);
}
END_TEST

START_TEST(odd_and_even_steps)
{
    rig r;
    /* Multiples of 3: a tie lies at k*3 + 1.5. */
    rig_one(&r, "to", "3");
    expect(&r, "4", "3");
    expect(&r, "4.49", "3");
    expect(&r, "4.5", "6");
    expect(&r, "5", "6");
    expect(&r, "1.4", "0");
    expect(&r, "1.5", "3");
    expect(&r, "-4.4", "-3");
    expect(&r, "-4.5", "-6");
    expect(&r, "-1.5", "-3");
    expect(&r, "-1.49", "0");
    rig_done(&r);

    rig_one(&r, "to", "10");
    expect(&r, "15", "20");
    expect(&r, "14.9", "10");
    expect(&r, "14.99999", "10");
    expect(&r, "25", "30");
    expect(&r, "-25", "-30");
    expect(&r, "-24.99", "-20");
    expect(&r, "4", "0");
    expect(&r, "-4", "0");
    expect(&r, "5", "10");
    rig_done(&r);
}
END_TEST

START_TEST(int64_extremes)
{
    rig r;
    rig_one(&r, "to", "1");
    expect(&r, "9223372036854775807", "9223372036854775807");
    expect(&r, "9223372036854775807.4", "9223372036854775807");
    expect_bad(&r, "9223372036854775807.5", "is out of range");
    expect_bad(&r, "9223372036854775808", "is out of range");
    expect(&r, "-9223372036854775808", "-9223372036854775808");
    expect(&r, "-9223372036854775807.5", "-9223372036854775808");
    expect_bad(&r, "-9223372036854775808.5", "is out of range");
    expect_bad(&r, "-9223372036854775809", "is out of range");
    expect_bad(&r, "123456789012345678901234567890", "is out of range");
    expect_bad(&r, "123456789012345678901234567890x", "is not a decimal number");
    rig_done(&r);

    rig_one(&r, "to", "100");
    expect(&r, "9223372036854775807", "9223372036854775800");
    expect(&r, "9223372036854775750", "9223372036854775800");
    expect(&r, "9223372036854775749.9", "9223372036854775700");
    expect(&r, "-9223372036854775808", "-9223372036854775800");
    rig_done(&r);

    /* 9223372036854776000 does not fit. */
    rig_one(&r, "to", "1000");
    expect_bad(&r, "9223372036854775807", "is out of range");
    expect(&r, "9223372036854775499", "9223372036854775000");
    expect_bad(&r, "-9223372036854775500", "is out of range");
    rig_done(&r);

    /* N = INT64_MAX (odd): the tie is at (N-1)/2 + .5 = 4611686018427387903.5. */
    rig_one(&r, "to", "9223372036854775807");
    expect(&r, "4611686018427387903", "0");
    expect(&r, "4611686018427387903.4", "0");
    expect(&r, "4611686018427387903.5", "9223372036854775807");
    expect(&r, "4611686018427387904", "9223372036854775807");
    expect(&r, "-4611686018427387904", "-9223372036854775807");
    expect(&r, "9223372036854775807", "9223372036854775807");
    /* INT64_MIN is 1 away from -N and N-1 away from -2N (which does not fit). */
    expect(&r, "-9223372036854775808", "-9223372036854775807");
    rig_done(&r);
}
END_TEST

START_TEST(bad_numbers)
{
    static const char *const bad[] = {"1,000", "1e3", "+1", " 1", "1 ", ".", "1.", ".5",
                                      "-", "-.5", "1.2.3", "abc", "1_000", "\xef\xbc\x91",
                                      "--1", "0x10", "", "1.5 ", "1.-5", "-1-", "1..5",
                                      "NaN", "inf"};
    rig r;
    rig_one(&r, "to", "10");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_bad(&r, bad[i], "is not a decimal number");
    rig_done(&r);
}
END_TEST

/* ---- describe, limits, registration ------------------------------------ */

START_TEST(describe_and_table)
{
    rig r;
    rig_one(&r, "to", "0005");
    ck_assert_ptr_eq(transform_find("round"), &xf_round_ops);
    ck_assert_str_eq(r.ops->name, "round");
    ck_assert_str_eq(r.ops->technique, "총계처리/라운딩 (rounding)");
    ck_assert_uint_eq(r.ops->flags, 0);
    expect_describe(&r, "to=5");
    rig_done(&r);

    rig_one(&r, "to", "1000000");
    expect_describe(&r, "to=1000000");
    rig_done(&r);
}
END_TEST

START_TEST(output_limit)
{
    rig r;
    rig_one(&r, "to", "1000000");
    dbuf out;
    const char *why;
    ck_assert_int_eq(rig_apply(&r, "34499999", &out, 7, &why), XF_NOMEM);
    dbuf_free(&out);
    ck_assert_int_eq(rig_apply(&r, "34499999", &out, 8, &why), XF_OK);
    ck_assert_uint_eq(out.len, 8);
    dbuf_free(&out);
    rig_done(&r);
}
END_TEST

START_TEST(other_params_left_unused)
{
    rig r;
    rig_init(&r);
    rig_param(&r, NULL, "extra", 22);
    rig_param(&r, "to", "10", 28);
    rig_param(&r, "width", "10", 34);
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
    expect_rules_error(&r, rig_compile(&r), KEYWORD_COL, "round needs to=");

    rig_init(&r);
    rig_param(&r, "width", "10", 22);
    expect_rules_error(&r, rig_compile(&r), KEYWORD_COL, "round needs to=");
}
END_TEST

START_TEST(error_duplicate)
{
    rig r;
    rig_init(&r);
    rig_param(&r, "to", "10", 22);
    rig_param(&r, "to", "100", 28);
    expect_rules_error(&r, rig_compile(&r), 28, "parameter to= given twice");
}
END_TEST

START_TEST(error_bad_to)
{
    static const struct {
        const char *value, *text;
    } cases[] = {{"0", "out of range"},
                 {"-5", "not a whole number"},
                 {"abc", "not a whole number"},
                 {"1.5", "not a whole number"},
                 {"1e6", "not a whole number"},
                 {"", "not a whole number"},
                 {"1,000", "not a whole number"},
                 {"9223372036854775808", "out of range"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rig r;
        rig_init(&r);
        rig_param(&r, "to", cases[i].value, 22);
        expect_rules_error(&r, rig_compile(&r), 22, cases[i].text);
    }
}
END_TEST

Suite *round_suite(void);

Suite *round_suite(void)
{
    Suite *s = suite_create("round");
    TCase *tc = tcase_create("round");
    tcase_add_test(tc, million);
    tcase_add_test(tc, to_one);
    tcase_add_test(tc, odd_and_even_steps);
    tcase_add_test(tc, int64_extremes);
    tcase_add_test(tc, bad_numbers);
    tcase_add_test(tc, describe_and_table);
    tcase_add_test(tc, output_limit);
    tcase_add_test(tc, other_params_left_unused);
    tcase_add_test(tc, error_missing);
    tcase_add_test(tc, error_duplicate);
    tcase_add_test(tc, error_bad_to);
    suite_add_tcase(s, tc);
    return s;
}
