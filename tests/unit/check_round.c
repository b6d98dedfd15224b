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
    xf_rig_expect_registered(&xf_round_ops, "round", "총계처리/라운딩 (rounding)", 0);
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
    return s;
}
