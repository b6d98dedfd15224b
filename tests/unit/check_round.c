/* SPDX-License-Identifier: Apache-2.0 */
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

#include "keyed_ref.h"
#include "keyring.h"
#include "transform.h"
#include "xf_rig.h"

/* Declared here because transform.h names only the table, not each
 * transform; describe_and_table checks the table holds this one. */
extern const transform_ops xf_round_ops;

/* The message lists the accepted forms (issue 13); written out here. */
#define NOT_DECIMAL "is not a decimal number (accepted: 1234.5, -1234, +1234, 1,234,567.5, spaces around)"

#define RULES_LINE 4
#define KEYWORD_COL 16

static const xf_rig_setup setup = {
    .ops = &xf_round_ops,
    .column = "income",
    .rules_file = "t.rules",
    .line = RULES_LINE,
    .col = KEYWORD_COL,
    .source_line = "column income: round to=1000000",
    .resets_state = 1, /* compile must overwrite *state, also on failure */
};

/* Compiles a rig with one parameter at column 19, asserting success. */
static void rig_one(xf_rig *r, const char *name, const char *value)
{
    xf_rig_compile_one(r, &setup, name, value, 19);
}

/* ---- rounding ---------------------------------------------------------- */

START_TEST(million)
{
    xf_rig r;
    rig_one(&r, "to", "1000000");
    xf_rig_expect(&r, "34499999", "34000000");
    xf_rig_expect(&r, "34500000", "35000000");
    xf_rig_expect(&r, "2500000.4", "3000000");
    xf_rig_expect(&r, "1499999.99", "1000000");
    xf_rig_expect(&r, "-1500000", "-2000000");
    xf_rig_expect(&r, "0", "0");
    xf_rig_expect(&r, "499999", "0");
    xf_rig_expect(&r, "499999.999999", "0");
    xf_rig_expect(&r, "500000", "1000000");
    xf_rig_expect(&r, "-499999.9", "0");
    xf_rig_expect(&r, "-500000", "-1000000");
    xf_rig_expect(&r, "999999999.5", "1000000000");
    xf_rig_expect(&r, "34000000", "34000000");
    xf_rig_expect(&r, "34499999.99999999999999999999999999", "34000000");
    xf_rig_expect(&r, "0.0", "0");
    xf_rig_done(&r);
}
END_TEST

START_TEST(to_one)
{
    xf_rig r;
    rig_one(&r, "to", "1");
    xf_rig_expect(&r, "-0.2", "0");
    xf_rig_expect(&r, "-0", "0");
    xf_rig_expect(&r, "-0.0", "0");
    xf_rig_expect(&r, "-0.5", "-1");
    xf_rig_expect(&r, "0.5", "1");
    xf_rig_expect(&r, "0.4999", "0");
    xf_rig_expect(&r, "2.5", "3");
    xf_rig_expect(&r, "-2.5", "-3");
    xf_rig_expect(&r, "3.5", "4");
    xf_rig_expect(&r, "2.4999", "2");
    /* A double would hold this as 2.5 and round it up. */
    xf_rig_expect(&r, "2.49999999999999999999999999", "2");
    xf_rig_expect(&r, "007", "7");
    xf_rig_expect(&r, "12.000", "12");
    xf_rig_expect(&r, "-12.51", "-13");
    xf_rig_done(&r);
}
END_TEST

START_TEST(odd_and_even_steps)
{
    xf_rig r;
    /* Multiples of 3: a tie lies at k*3 + 1.5. */
    rig_one(&r, "to", "3");
    xf_rig_expect(&r, "4", "3");
    xf_rig_expect(&r, "4.49", "3");
    xf_rig_expect(&r, "4.5", "6");
    xf_rig_expect(&r, "5", "6");
    xf_rig_expect(&r, "1.4", "0");
    xf_rig_expect(&r, "1.5", "3");
    xf_rig_expect(&r, "-4.4", "-3");
    xf_rig_expect(&r, "-4.5", "-6");
    xf_rig_expect(&r, "-1.5", "-3");
    xf_rig_expect(&r, "-1.49", "0");
    xf_rig_done(&r);

    rig_one(&r, "to", "10");
    xf_rig_expect(&r, "15", "20");
    xf_rig_expect(&r, "14.9", "10");
    xf_rig_expect(&r, "14.99999", "10");
    xf_rig_expect(&r, "25", "30");
    xf_rig_expect(&r, "-25", "-30");
    xf_rig_expect(&r, "-24.99", "-20");
    xf_rig_expect(&r, "4", "0");
    xf_rig_expect(&r, "-4", "0");
    xf_rig_expect(&r, "5", "10");
    xf_rig_done(&r);
}
END_TEST

START_TEST(int64_extremes)
{
    xf_rig r;
    rig_one(&r, "to", "1");
    xf_rig_expect(&r, "9223372036854775807", "9223372036854775807");
    xf_rig_expect(&r, "9223372036854775807.4", "9223372036854775807");
    xf_rig_expect_bad(&r, "9223372036854775807.5", "is out of range");
    xf_rig_expect_bad(&r, "9223372036854775808", "is out of range");
    xf_rig_expect(&r, "-9223372036854775808", "-9223372036854775808");
    xf_rig_expect(&r, "-9223372036854775807.5", "-9223372036854775808");
    xf_rig_expect_bad(&r, "-9223372036854775808.5", "is out of range");
    xf_rig_expect_bad(&r, "-9223372036854775809", "is out of range");
    xf_rig_expect_bad(&r, "123456789012345678901234567890", "is out of range");
    xf_rig_expect_bad(&r, "123456789012345678901234567890x", NOT_DECIMAL);
    xf_rig_done(&r);

    rig_one(&r, "to", "100");
    xf_rig_expect(&r, "9223372036854775807", "9223372036854775800");
    xf_rig_expect(&r, "9223372036854775750", "9223372036854775800");
    xf_rig_expect(&r, "9223372036854775749.9", "9223372036854775700");
    xf_rig_expect(&r, "-9223372036854775808", "-9223372036854775800");
    xf_rig_done(&r);

    /* 9223372036854776000 does not fit. */
    rig_one(&r, "to", "1000");
    xf_rig_expect_bad(&r, "9223372036854775807", "is out of range");
    xf_rig_expect(&r, "9223372036854775499", "9223372036854775000");
    xf_rig_expect_bad(&r, "-9223372036854775500", "is out of range");
    xf_rig_done(&r);

    /* N = INT64_MAX (odd): the tie is at (N-1)/2 + .5 = 4611686018427387903.5. */
    rig_one(&r, "to", "9223372036854775807");
    xf_rig_expect(&r, "4611686018427387903", "0");
    xf_rig_expect(&r, "4611686018427387903.4", "0");
    xf_rig_expect(&r, "4611686018427387903.5", "9223372036854775807");
    xf_rig_expect(&r, "4611686018427387904", "9223372036854775807");
    xf_rig_expect(&r, "-4611686018427387904", "-9223372036854775807");
    xf_rig_expect(&r, "9223372036854775807", "9223372036854775807");
    /* INT64_MIN is 1 away from -N and N-1 away from -2N (which does not fit). */
    xf_rig_expect(&r, "-9223372036854775808", "-9223372036854775807");
    xf_rig_done(&r);
}
END_TEST

START_TEST(bad_numbers)
{
    /* "1,000", "+1", " 1", "1 " and "1.5 " were refused before issue 13;
     * they are Excel forms now (excel_numbers). */
    static const char *const bad[] = {"1e3", ".", "1.", ".5", "-", "-.5", "1.2.3", "abc",
                                      "1_000", "\xef\xbc\x91", "--1", "0x10", "", "1.-5",
                                      "-1-", "1..5", "NaN", "inf", "1,2345", ",123", "+-5",
                                      "   ", "1,23", "1234,567", "1,234.", "1,234,5.5",
                                      "1.234,5", "1 000", "\t1", "+ 1"};
    xf_rig r;
    rig_one(&r, "to", "10");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        xf_rig_expect_bad(&r, bad[i], NOT_DECIMAL);
    xf_rig_done(&r);
}
END_TEST

/* ---- describe, limits, registration ------------------------------------ */

/* Excel's ways of writing a number (issue 13): thousands groups, spaces
 * around, a '+'; results worked out by hand. */
START_TEST(excel_numbers)
{
    xf_rig r;
    rig_one(&r, "to", "10000000");
    xf_rig_expect(&r, "53,860,000", "50000000");
    xf_rig_expect(&r, " 55,000,000 ", "60000000");
    xf_rig_expect(&r, "+4,999,999.9", "0");
    xf_rig_expect(&r, "-1,234,567.5", "0");
    xf_rig_done(&r);

    rig_one(&r, "to", "10");
    xf_rig_expect(&r, "1,234.5", "1230");
    xf_rig_expect(&r, "1,235.0", "1240");
    xf_rig_expect(&r, "+34.0", "30");
    xf_rig_expect(&r, "-1,005", "-1010");
    xf_rig_expect(&r, "1.5 ", "0");
    xf_rig_done(&r);
}
END_TEST

START_TEST(describe_and_table)
{
    xf_rig r;
    rig_one(&r, "to", "0005");
    xf_rig_expect_registered(&xf_round_ops, "round",
                              "총계처리/라운딩 (rounding; random=yes: 랜덤 라운딩, random rounding)",
                              XF_TAKES_BY);
    xf_rig_expect_describe(&r, "to=5");
    xf_rig_done(&r);

    rig_one(&r, "to", "1000000");
    xf_rig_expect_describe(&r, "to=1000000");
    xf_rig_done(&r);
}
END_TEST

START_TEST(output_limit)
{
    xf_rig r;
    rig_one(&r, "to", "1000000");
    xf_rig_expect_output_limit(&r, "34499999", 8);
    xf_rig_done(&r);
}
END_TEST

START_TEST(other_params_left_unused)
{
    xf_rig r;
    xf_rig_init(&r, &setup);
    xf_rig_param(&r, NULL, "extra", 22);
    xf_rig_param(&r, "to", "10", 28);
    xf_rig_param(&r, "width", "10", 34);
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
    xf_rig_expect_rules_error(&r, xf_rig_compile(&r), KEYWORD_COL, "round needs to=");

    xf_rig_init(&r, &setup);
    xf_rig_param(&r, "width", "10", 22);
    xf_rig_expect_rules_error(&r, xf_rig_compile(&r), KEYWORD_COL, "round needs to=");
}
END_TEST

START_TEST(error_duplicate)
{
    xf_rig r;
    xf_rig_init(&r, &setup);
    xf_rig_param(&r, "to", "10", 22);
    xf_rig_param(&r, "to", "100", 28);
    xf_rig_expect_rules_error(&r, xf_rig_compile(&r), 28, "parameter to= given twice");
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
        xf_rig r;
        xf_rig_init(&r, &setup);
        xf_rig_param(&r, "to", cases[i].value, 22);
        xf_rig_expect_rules_error(&r, xf_rig_compile(&r), 22, cases[i].text);
    }
}
END_TEST


/* ---- random=yes: unbiased random rounding ------------------------------ */

static unsigned char rr_key[32];
static keyring *rr_ring;
static const char *const rr_by[] = {"id"};

static void rr_setup(void)
{
    deid_error e;
    for (int i = 0; i < 32; i++)
        rr_key[i] = (unsigned char)(11 * i + 5);
    rr_ring = keyring_new();
    ck_assert_ptr_nonnull(rr_ring);
    ck_assert_int_eq(keyring_add_raw(rr_ring, "k", rr_key, 32, &e), DEID_OK);
}

static void rr_teardown(void)
{
    keyring_free(rr_ring);
}

static deid_status rr_compile(xf_rig *r, const char *spec, int with_by)
{
    xf_rig_setup su = setup;
    su.keys = rr_ring;
    su.n_inputs = with_by ? 2 : 1;
    xf_rig_init(r, &su);
    xf_rig_spec(r, spec);
    if (with_by) {
        r->ctx.also = rr_by;
        r->ctx.n_also = 1;
    }
    return xf_rig_compile(r);
}

/* The output for x at record position pos, as a long. */
static long rr_at(const xf_rig *r, const char *x, uint64_t pos)
{
    xf_value in = {x, strlen(x)};
    dbuf b;
    dbuf_init(&b, 64);
    const char *why;
    ck_assert_int_eq(xf_round_ops.apply_at(r->state, &in, 1, pos, &b, &why), XF_OK);
    ck_assert_int_eq(dbuf_putc(&b, '\0'), DBUF_OK);
    long v = strtol(b.data, NULL, 10);
    dbuf_free(&b);
    return v;
}

#define RR_N 200000

/* Share of RR_N records that x rounds away from zero (to far), checking
 * that every output is near or far. */
static double rr_up_share(const xf_rig *r, const char *x, long near, long far)
{
    uint64_t up = 0;
    for (uint64_t i = 1; i <= RR_N; i++) {
        long v = rr_at(r, x, i);
        ck_assert_msg(v == near || v == far, "%s gave %ld", x, v);
        up += v == far;
    }
    return (double)up / RR_N;
}

START_TEST(random_rounding_is_unbiased)
{
    xf_rig r;
    ck_assert_int_eq(rr_compile(&r, "to=1000 random=yes key=k", 0), DEID_OK);
    /* up with probability 234/1000: sd sqrt(.234 * .766 / N) = 9.47e-4,
     * so the mean output 1000 + 1000 p is 1234 within 6 sd */
    ck_assert_double_eq_tol(rr_up_share(&r, "1234", 1000, 2000), 0.234, 6 * 9.47e-4);
    ck_assert_double_eq_tol(rr_up_share(&r, "-1,234", -1000, -2000), 0.234, 6 * 9.47e-4);
    /* the fraction counts: 999.5 is 0.9995 of the way up */
    ck_assert_double_eq_tol(rr_up_share(&r, "999.5", 0, 1000), 0.9995, 6 * 7.1e-5);
    ck_assert_double_eq_tol(rr_up_share(&r, "0.25", 0, 1000), 0.00025, 6 * 3.6e-5);
    /* a multiple never moves */
    ck_assert_double_eq(rr_up_share(&r, "5000", 5000, 6000), 0);
    xf_rig_done(&r);
}
END_TEST

START_TEST(random_rounding_draw_is_defined)
{
    xf_rig r;
    ck_assert_int_eq(rr_compile(&r, "to=10 random=yes key=k", 1), DEID_OK);
    const char *ids[] = {"A", "B", "C", "D", "E", "F", "G", "H"};
    for (int i = 0; i < 8; i++) {
        unsigned char blk[32];
        keyed_ref_block(rr_key, 32, "round", "income", 0, &ids[i], 1, 0, blk);
        int up = keyed_ref_uniform(keyed_ref_word(blk, 0)) < 0.5; /* 15 is half-way */
        xf_value in[2] = {{"15", 2}, {ids[i], 1}};
        dbuf b;
        dbuf_init(&b, 64);
        const char *why;
        ck_assert_int_eq(xf_round_ops.apply_at(r.state, in, 2, 77, &b, &why), XF_OK);
        ck_assert_int_eq(dbuf_putc(&b, '\0'), DBUF_OK);
        ck_assert_str_eq(b.data, up ? "20" : "10");
        dbuf_free(&b);
    }
    char want[256];
    snprintf(want, sizeof want, "to=10 random=yes key=k fingerprint=%s domain=income by=id",
             key_fingerprint(keyring_find(rr_ring, "k")));
    xf_rig_expect_describe(&r, want);
    ck_assert_int_eq(xf_round_ops.uses_position(r.state), 0);
    xf_rig_done(&r);
    ck_assert_int_eq(rr_compile(&r, "to=10 random=yes key=k", 0), DEID_OK);
    ck_assert_int_eq(xf_round_ops.uses_position(r.state), 1);
    xf_rig_done(&r);
    ck_assert_int_eq(rr_compile(&r, "to=10", 0), DEID_OK);
    ck_assert_int_eq(xf_round_ops.uses_position(r.state), 0);
    xf_rig_done(&r);
}
END_TEST

START_TEST(random_rounding_errors)
{
    static const struct {
        const char *spec;
        int by;
        const char *text;
    } cases[] = {
        {"to=10 random=maybe key=k", 0, "random= takes yes or no"},
        {"to=10 random=yes", 0, "round needs key=NAME"},
        {"to=10", 1, "by= is for random=yes (random rounding)"},
        {"to=0 random=yes key=k", 0, "to="},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xf_rig r;
        ck_assert_int_eq(rr_compile(&r, cases[i].spec, cases[i].by), DEID_E_RULES);
        ck_assert_msg(strstr(r.err.message, cases[i].text), "%s: %s", cases[i].spec,
                      r.err.message);
        xf_rig_done(&r);
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
    tcase_add_test(tc, excel_numbers);
    tcase_add_test(tc, describe_and_table);
    tcase_add_test(tc, output_limit);
    tcase_add_test(tc, other_params_left_unused);
    tcase_add_test(tc, error_missing);
    tcase_add_test(tc, error_duplicate);
    tcase_add_test(tc, error_bad_to);
    suite_add_tcase(s, tc);
    TCase *rr = tcase_create("random");
    tcase_add_checked_fixture(rr, rr_setup, rr_teardown);
    tcase_set_timeout(rr, 120);
    tcase_add_test(rr, random_rounding_is_unbiased);
    tcase_add_test(rr, random_rounding_draw_is_defined);
    tcase_add_test(rr, random_rounding_errors);
    suite_add_tcase(s, rr);
    return s;
}
