/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_number.c - the shared number reader (engine/base/number.c)
 * against a table written by hand, and against numbers formatted with
 * thousands groups by an independent routine here.
 */
#include <check.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "number.h"

typedef struct whole_case {
    const char *text;
    int status;
    int64_t value;
} whole_case;

static const whole_case whole_cases[] = {
    {"0", NUMBER_WHOLE_OK, 0},
    {"34", NUMBER_WHOLE_OK, 34},
    {"007", NUMBER_WHOLE_OK, 7},
    {"-0", NUMBER_WHOLE_OK, 0},
    {"+34", NUMBER_WHOLE_OK, 34},
    {"-34", NUMBER_WHOLE_OK, -34},
    {" 34", NUMBER_WHOLE_OK, 34},
    {"34 ", NUMBER_WHOLE_OK, 34},
    {"   -34   ", NUMBER_WHOLE_OK, -34},
    {"34.0", NUMBER_WHOLE_OK, 34},
    {"34.00", NUMBER_WHOLE_OK, 34},
    {"53,860,000", NUMBER_WHOLE_OK, 53860000},
    {"1,000", NUMBER_WHOLE_OK, 1000},
    {"999", NUMBER_WHOLE_OK, 999},
    {"12,345", NUMBER_WHOLE_OK, 12345},
    {"123,456", NUMBER_WHOLE_OK, 123456},
    {"-1,234,567.000", NUMBER_WHOLE_OK, -1234567},
    {" +1,000 ", NUMBER_WHOLE_OK, 1000},
    {"9223372036854775807", NUMBER_WHOLE_OK, INT64_MAX},
    {"9,223,372,036,854,775,807", NUMBER_WHOLE_OK, INT64_MAX},
    {"-9223372036854775808", NUMBER_WHOLE_OK, INT64_MIN},
    {"-9,223,372,036,854,775,808.0", NUMBER_WHOLE_OK, INT64_MIN},
    {"9223372036854775808", NUMBER_OUT_OF_RANGE, 0},
    {"-9223372036854775809", NUMBER_OUT_OF_RANGE, 0},
    {"99,999,999,999,999,999,999", NUMBER_OUT_OF_RANGE, 0},
    /* refused */
    {"", NUMBER_NOT_WHOLE, 0},
    {"   ", NUMBER_NOT_WHOLE, 0},
    {"+", NUMBER_NOT_WHOLE, 0},
    {"-", NUMBER_NOT_WHOLE, 0},
    {"+-5", NUMBER_NOT_WHOLE, 0},
    {"-+5", NUMBER_NOT_WHOLE, 0},
    {"--5", NUMBER_NOT_WHOLE, 0},
    {"- 5", NUMBER_NOT_WHOLE, 0},
    {"1,2345", NUMBER_NOT_WHOLE, 0},
    {",123", NUMBER_NOT_WHOLE, 0},
    {"1,23", NUMBER_NOT_WHOLE, 0},
    {"1,", NUMBER_NOT_WHOLE, 0},
    {"1,,234", NUMBER_NOT_WHOLE, 0},
    {"1234,567", NUMBER_NOT_WHOLE, 0},
    {"0,123", NUMBER_NOT_WHOLE, 0},
    {"1,234,56", NUMBER_NOT_WHOLE, 0},
    {"1,234.5", NUMBER_NOT_WHOLE, 0},
    {"34.01", NUMBER_NOT_WHOLE, 0},
    {"34.", NUMBER_NOT_WHOLE, 0},
    {".0", NUMBER_NOT_WHOLE, 0},
    {"34.0.0", NUMBER_NOT_WHOLE, 0},
    {"0x10", NUMBER_NOT_WHOLE, 0},
    {"1e3", NUMBER_NOT_WHOLE, 0},
    {"1E3", NUMBER_NOT_WHOLE, 0},
    {"\t34", NUMBER_NOT_WHOLE, 0},
    {"34\n", NUMBER_NOT_WHOLE, 0},
    {"\xc2\xa0" "34", NUMBER_NOT_WHOLE, 0},  /* NBSP is not a space here */
    {"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x93", NUMBER_NOT_WHOLE, 0}, /* ２０２３ */
    {"1 000", NUMBER_NOT_WHOLE, 0},
    {"1.234,5", NUMBER_NOT_WHOLE, 0},
    {"1_000", NUMBER_NOT_WHOLE, 0},
    {"NaN", NUMBER_NOT_WHOLE, 0},
    {"34x", NUMBER_NOT_WHOLE, 0},
    {"99999999999999999999x", NUMBER_NOT_WHOLE, 0},
};

START_TEST(whole_table)
{
    const whole_case *c = &whole_cases[_i];
    int64_t v = 12345;
    int st = number_parse_whole(c->text, strlen(c->text), &v);
    ck_assert_msg(st == c->status, "\"%s\": status %d, want %d", c->text, st, c->status);
    if (st == NUMBER_WHOLE_OK)
        ck_assert_msg(v == c->value, "\"%s\": %" PRId64 ", want %" PRId64, c->text, v, c->value);
}
END_TEST

typedef struct decimal_case {
    const char *text;
    int ok;
    int negative;
    uint64_t magnitude;
    int first_fraction;
    int fraction_is_zero;
} decimal_case;

static const decimal_case decimal_cases[] = {
    {"1234.5", 1, 0, 1234, 5, 0},
    {"1,234.56", 1, 0, 1234, 5, 0},
    {"-1,234.05", 1, 1, 1234, 0, 0},
    {" +0.9 ", 1, 0, 0, 9, 0},
    {"12.000", 1, 0, 12, 0, 1},
    {"-0", 1, 1, 0, 0, 1},
    {"1.", 0, 0, 0, 0, 0},
    {".5", 0, 0, 0, 0, 0},
    {"1,234.5.6", 0, 0, 0, 0, 0},
    {"1.2e3", 0, 0, 0, 0, 0},
};

START_TEST(decimal_table)
{
    const decimal_case *c = &decimal_cases[_i];
    number_text n;
    int ok = number_parse(c->text, strlen(c->text), &n);
    ck_assert_msg(ok == c->ok, "\"%s\": %d, want %d", c->text, ok, c->ok);
    if (!ok)
        return;
    ck_assert_int_eq(n.negative, c->negative);
    ck_assert_uint_eq(n.magnitude, c->magnitude);
    ck_assert_int_eq(n.first_fraction, c->first_fraction);
    ck_assert_int_eq(n.fraction_is_zero, c->fraction_is_zero);
    ck_assert_int_eq(n.too_big, 0);
}
END_TEST

/* Writes v with a comma between every three digits from the right. */
static void with_groups(int64_t v, char *out, size_t size)
{
    char digits[32];
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    snprintf(digits, sizeof digits, "%" PRIu64, mag);
    size_t n = strlen(digits), o = 0;
    if (v < 0)
        out[o++] = '-';
    for (size_t i = 0; i < n && o + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

START_TEST(grouped_round_trip)
{
    /* A fixed-seed LCG walks magnitudes of every length. */
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < 20000; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        int64_t v = (int64_t)(x >> (i % 63));
        if (i % 2)
            v = -v;
        char text[64];
        with_groups(v, text, sizeof text);
        int64_t got = 0;
        ck_assert_msg(number_parse_whole(text, strlen(text), &got) == NUMBER_WHOLE_OK, "%s", text);
        ck_assert_msg(got == v, "%s", text);
    }
}
END_TEST

START_TEST(plain_copies)
{
    static const struct {
        const char *in, *want;
    } cases[] = {{"+1,234.50 ", "1234.50"}, {" -53,860,000", "-53860000"}, {"007", "007"},
                 {"-0.0", "-0.0"},          {"1,2345", ""},               {"", ""},
                 {"1e3", ""},               {".5", ""}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[32];
        size_t n = number_plain(cases[i].in, strlen(cases[i].in), out);
        ck_assert_msg(n == strlen(cases[i].want) && !memcmp(out, cases[i].want, n), "\"%s\"",
                      cases[i].in);
    }
}
END_TEST

/* number_share: percentages and plain shares; values worked out by hand */
START_TEST(shares)
{
    static const struct {
        const char *text;
        double want;
    } good[] = {{"10%", 0.1}, {"2.5%", 0.025}, {"100%", 1}, {"0.1", 0.1}, {"1", 1},
                {"0%", 0}, {".5", 0.5}, {"150%", 1.5}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        double v = -1;
        ck_assert_msg(number_share(good[i].text, strlen(good[i].text), &v), "%s", good[i].text);
        ck_assert_double_eq_tol(v, good[i].want, 1e-15);
    }
    static const char *const bad[] = {"", "%", "1.2.3", "abc", "-5%", "1e3", "5 %", "%5", ".",
                                      ".%", "5%%", "+5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = -1;
        ck_assert_msg(!number_share(bad[i], strlen(bad[i]), &v), "%s", bad[i]);
    }
}
END_TEST

/* The hand-written formatters against snprintf, the independent oracle:
 * edges, every power of ten and its neighbours, and a seeded sweep. */
START_TEST(format_matches_snprintf)
{
    static const int64_t edges[] = {0, 1, -1, 9, 10, -10, 99, 100, 999, 1000, -9999, 10000,
                                    INT64_MAX, INT64_MIN, INT64_MIN + 1, INT64_MAX - 1};
    char got[NUMBER_TEXT_MAX + 1], want[64];
    int64_t values[200];
    size_t n = 0;
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        values[n++] = edges[i];
    for (int64_t p = 1; p <= INT64_MAX / 10; p *= 10) {
        values[n++] = p;
        values[n++] = p - 1;
        values[n++] = -p - 1;
    }
    uint64_t x = 88172645463325252ull;
    while (n < sizeof values / sizeof values[0]) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        values[n++] = (int64_t)(x >> (x % 60));
    }
    for (size_t i = 0; i < n; i++) {
        int64_t v = values[i];
        size_t len = number_format_i64(v, got);
        snprintf(want, sizeof want, "%" PRId64, v);
        ck_assert_msg(len == strlen(want) && memcmp(got, want, len) == 0, "i64 %s", want);
        len = number_format_u64((uint64_t)v, got);
        snprintf(want, sizeof want, "%" PRIu64, (uint64_t)v);
        ck_assert_msg(len == strlen(want) && memcmp(got, want, len) == 0, "u64 %s", want);
        if (v >= INT32_MIN && v <= INT32_MAX) {
            for (unsigned w = 0; w <= 6; w++) {
                len = number_format_padded((int)v, w, got);
                snprintf(want, sizeof want, "%0*d", (int)w, (int)v);
                ck_assert_msg(len == strlen(want) && memcmp(got, want, len) == 0,
                              "padded %s width %u", want, w);
            }
        }
    }
    ck_assert_uint_eq(number_format_padded(INT32_MIN, 20, got), 20);
}
END_TEST

Suite *number_suite(void);

Suite *number_suite(void)
{
    Suite *s = suite_create("number");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, whole_table, 0, (int)(sizeof whole_cases / sizeof whole_cases[0]));
    tcase_add_loop_test(tc, decimal_table, 0,
                        (int)(sizeof decimal_cases / sizeof decimal_cases[0]));
    tcase_add_test(tc, grouped_round_trip);
    tcase_add_test(tc, plain_copies);
    tcase_add_test(tc, shares);
    tcase_add_test(tc, format_matches_snprintf);
    suite_add_tcase(s, tc);
    return s;
}
