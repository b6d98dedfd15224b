/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_keyed_random.c - keyed_random.h: the stream is exactly the HMAC
 * blocks the header defines (recomputed here with OpenSSL's one-shot
 * HMAC, not keyring.c's prepared one), it depends on key, purpose, domain
 * and identity and on nothing else, and the derived distributions have
 * the moments they should over 1M draws. Statistical bounds are 6 standard
 * errors of the estimate (a false failure about once in 5e8 runs); the
 * standard errors are worked out in each test's comment.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "keyed_random.h"
#include "keyring.h"
#include "keyed_ref.h"

static unsigned char main_key[32];
static keyring *ring;
static deid_error err;
#define N_DRAWS 1000000

static void setup(void)
{
    for (int i = 0; i < 32; i++)
        main_key[i] = (unsigned char)(3 * i + 1);
    ring = keyring_new();
    ck_assert_ptr_nonnull(ring);
    ck_assert_int_eq(keyring_add_raw(ring, "main", main_key, 32, &err), DEID_OK);
    ck_assert_int_eq(keyring_add_raw(ring, "other", "another key, 20 byte", 20, &err), DEID_OK);
}

static void teardown(void)
{
    keyring_free(ring);
}

static keyed_random *gen(const char *key, const char *purpose, const char *domain)
{
    keyed_random *kr = keyed_random_new(keyring_find(ring, key), purpose, domain, strlen(domain));
    ck_assert_ptr_nonnull(kr);
    return kr;
}

/* The header's block(b) for one identity value v (or position when v is
 * NULL), from keyed_ref.c. */
static void reference_block(const char *purpose, const char *domain, uint32_t b, const char *v,
                            uint64_t position, unsigned char out[32])
{
    keyed_ref_block(main_key, 32, purpose, domain, b, v ? &v : NULL, 1, position, out);
}

static uint64_t word(const unsigned char *block, int j)
{
    return keyed_ref_word(block, j);
}

START_TEST(stream_is_the_defined_hmac_blocks)
{
    keyed_random *kr = gen("main", "noise", "income");
    xf_value id = {"P-001", 5};
    keyed_draws d;
    keyed_draws_by_values(&d, kr, &id, 1);
    unsigned char b0[32], b1[32];
    reference_block("noise", "income", 0, "P-001", 0, b0);
    reference_block("noise", "income", 1, "P-001", 0, b1);
    for (int j = 0; j < 4; j++)
        ck_assert_uint_eq(keyed_draw_u64(&d), word(b0, j));
    for (int j = 0; j < 4; j++)
        ck_assert_uint_eq(keyed_draw_u64(&d), word(b1, j));
    ck_assert_int_eq(d.failed, 0);
    keyed_draws_end(&d);

    keyed_draws_by_position(&d, kr, 123456789012ull);
    reference_block("noise", "income", 0, NULL, 123456789012ull, b0);
    ck_assert_uint_eq(keyed_draw_u64(&d), word(b0, 0));
    ck_assert_uint_eq(keyed_draw_u64(&d), word(b0, 1));
    keyed_draws_end(&d);
    keyed_random_free(kr);
}
END_TEST

static uint64_t first_word(keyed_random *kr, const char *id)
{
    keyed_draws d;
    xf_value v = {id, strlen(id)};
    keyed_draws_by_values(&d, kr, &v, 1);
    uint64_t w = keyed_draw_u64(&d);
    keyed_draws_end(&d);
    return w;
}

START_TEST(depends_on_key_purpose_domain_identity)
{
    keyed_random *a = gen("main", "noise", "income"), *a2 = gen("main", "noise", "income");
    keyed_random *k = gen("other", "noise", "income"), *p = gen("main", "dateshift", "income");
    keyed_random *dm = gen("main", "noise", "incomf");
    uint64_t w = first_word(a, "P-001");
    ck_assert_uint_eq(first_word(a2, "P-001"), w); /* reproducible */
    ck_assert_uint_ne(first_word(k, "P-001"), w);
    ck_assert_uint_ne(first_word(p, "P-001"), w);
    ck_assert_uint_ne(first_word(dm, "P-001"), w);
    ck_assert_uint_ne(first_word(a, "P-002"), w);
    /* two values are framed: ("ab","c") is not ("a","bc") */
    xf_value ab_c[2] = {{"ab", 2}, {"c", 1}}, a_bc[2] = {{"a", 1}, {"bc", 2}};
    keyed_draws d1, d2;
    keyed_draws_by_values(&d1, a, ab_c, 2);
    keyed_draws_by_values(&d2, a, a_bc, 2);
    ck_assert_uint_ne(keyed_draw_u64(&d1), keyed_draw_u64(&d2));
    keyed_random_free(a);
    keyed_random_free(a2);
    keyed_random_free(k);
    keyed_random_free(p);
    keyed_random_free(dm);
}
END_TEST

/* Mean and variance of n draws of f over positions 1..n. */
static void moments(keyed_random *kr, double (*f)(keyed_draws *, double), double arg,
                    double *mean, double *var)
{
    double sum = 0, sum2 = 0;
    for (uint64_t i = 1; i <= N_DRAWS; i++) {
        keyed_draws d;
        keyed_draws_by_position(&d, kr, i);
        double x = f(&d, arg);
        sum += x;
        sum2 += x * x;
    }
    *mean = sum / N_DRAWS;
    *var = sum2 / N_DRAWS - *mean * *mean;
}

static double uniform_of(keyed_draws *d, double unused)
{
    (void)unused;
    return keyed_draw_uniform(d);
}

START_TEST(uniform_moments)
{
    /* U(0,1): mean 1/2, variance 1/12; sd of the mean sqrt(1/12/N) =
     * 2.9e-4; sd of the sample variance sqrt((1/80 - 1/144)/N) = 7.5e-5. */
    keyed_random *kr = gen("main", "noise", "u");
    double m, v;
    moments(kr, uniform_of, 0, &m, &v);
    ck_assert_double_eq_tol(m, 0.5, 6 * 2.9e-4);
    ck_assert_double_eq_tol(v, 1.0 / 12, 6 * 7.5e-5);
    keyed_random_free(kr);
}
END_TEST

START_TEST(laplace_moments)
{
    /* Laplace(b=3): mean 0, variance 2b^2 = 18; sd of the mean
     * sqrt(18/N) = 4.2e-3; E[X^4] = 24 b^4, so sd of the sample variance
     * sqrt((24-4) b^4 / N) = 9 sqrt(20)/1000 = 0.0402. */
    keyed_random *kr = gen("main", "noise", "l");
    double m, v;
    moments(kr, keyed_draw_laplace, 3.0, &m, &v);
    ck_assert_double_eq_tol(m, 0.0, 6 * 4.2e-3);
    ck_assert_double_eq_tol(v, 18.0, 6 * 0.0402);
    keyed_random_free(kr);
}
END_TEST

START_TEST(gaussian_moments)
{
    /* N(0, 2^2): sd of the mean 2/1000; E[X^4] = 3 s^4, so sd of the
     * sample variance sqrt(2) s^2 / 1000 = 5.66e-3. */
    keyed_random *kr = gen("main", "noise", "g");
    double m, v;
    moments(kr, keyed_draw_gaussian, 2.0, &m, &v);
    ck_assert_double_eq_tol(m, 0.0, 6 * 2e-3);
    ck_assert_double_eq_tol(v, 4.0, 6 * 5.66e-3);
    keyed_random_free(kr);
}
END_TEST

START_TEST(below_is_unbiased)
{
    /* n = 3 * 2^62: plain w mod n would give [0, 2^62) half the time (those
     * residues are hit twice in 2^64 words); the unbiased answer is 1/3.
     * N = 200000: sd sqrt(2/9/N) = 1.05e-3, far from the 1/6 gap. */
    keyed_random *kr = gen("main", "sample", "b");
    const uint64_t n = 3ull << 62;
    uint64_t low = 0;
    for (uint64_t i = 1; i <= 200000; i++) {
        keyed_draws d;
        keyed_draws_by_position(&d, kr, i);
        uint64_t x = keyed_draw_below(&d, n);
        ck_assert_uint_lt(x, n);
        low += x < (1ull << 62);
    }
    ck_assert_double_eq_tol((double)low / 200000, 1.0 / 3, 6 * 1.05e-3);
    /* small n: each of 7 residues has 1/7; counts over 700000 draws have
     * sd sqrt(700000 * 1/7 * 6/7) = 292.8 */
    uint64_t counts[7] = {0};
    for (uint64_t i = 1; i <= 700000; i++) {
        keyed_draws d;
        keyed_draws_by_position(&d, kr, i);
        counts[keyed_draw_below(&d, 7)]++;
    }
    for (int r = 0; r < 7; r++)
        ck_assert_double_eq_tol((double)counts[r], 100000.0, 6 * 292.8);
    keyed_draws d;
    keyed_draws_by_position(&d, kr, 1);
    ck_assert_uint_eq(keyed_draw_below(&d, 1), 0);
    ck_assert_uint_eq(keyed_draw_below(&d, 0), 0);
    keyed_random_free(kr);
}
END_TEST

START_TEST(bernoulli_rate)
{
    /* p = 0.3 over N: sd sqrt(0.21/N) = 4.58e-4 */
    keyed_random *kr = gen("main", "sample", "s");
    uint64_t hits = 0;
    for (uint64_t i = 1; i <= N_DRAWS; i++) {
        keyed_draws d;
        keyed_draws_by_position(&d, kr, i);
        hits += (uint64_t)keyed_draw_bernoulli(&d, 0.3);
    }
    ck_assert_double_eq_tol((double)hits / N_DRAWS, 0.3, 6 * 4.58e-4);
    keyed_draws d;
    keyed_draws_by_position(&d, kr, 9);
    ck_assert_int_eq(keyed_draw_bernoulli(&d, 0.0), 0);
    ck_assert_int_eq(keyed_draw_bernoulli(&d, 1.0), 1);
    keyed_random_free(kr);
}
END_TEST

START_TEST(no_key_no_generator)
{
    ck_assert_ptr_null(keyed_random_new(NULL, "noise", "x", 1));
}
END_TEST

Suite *keyed_random_suite(void);

Suite *keyed_random_suite(void)
{
    Suite *s = suite_create("keyed_random");
    TCase *tc = tcase_create("keyed_random");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, stream_is_the_defined_hmac_blocks);
    tcase_add_test(tc, depends_on_key_purpose_domain_identity);
    tcase_add_test(tc, uniform_moments);
    tcase_add_test(tc, laplace_moments);
    tcase_add_test(tc, gaussian_moments);
    tcase_add_test(tc, below_is_unbiased);
    tcase_add_test(tc, bernoulli_rate);
    tcase_add_test(tc, no_key_no_generator);
    suite_add_tcase(s, tc);
    return s;
}
