/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_sample.c - `sample` (rules_sample.c): a record is kept exactly
 * when the first uniform of its keyed stream (keyed_random.h, recomputed
 * with keyed_ref.c) is below the rate, by by= values or by position, and
 * the share kept over 1M records is within a binomial bound of the rate.
 * The statement's parsing and errors are CLI cases (sample-*).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "keyed_random.h"
#include "keyed_ref.h"
#include "keyring.h"
#include "rules.h"

static unsigned char skey[32];
static keyring *ring;

static void setup(void)
{
    deid_error e;
    for (int i = 0; i < 32; i++)
        skey[i] = (unsigned char)(5 * i + 9);
    ring = keyring_new();
    ck_assert_ptr_nonnull(ring);
    ck_assert_int_eq(keyring_add_raw(ring, "k", skey, 32, &e), DEID_OK);
}

static void teardown(void)
{
    keyring_free(ring);
}

static rules_sample make(double rate, size_t n_by)
{
    rules_sample s;
    memset(&s, 0, sizeof s);
    s.on = 1;
    s.rate = rate;
    s.n_by = n_by;
    s.kr = keyed_random_new(keyring_find(ring, "k"), "sample", "records", 7);
    ck_assert_ptr_nonnull(s.kr);
    return s;
}

START_TEST(keeps_by_the_defined_draw)
{
    rules_sample s = make(0.3, 1);
    for (int i = 0; i < 2000; i++) {
        char id[16];
        snprintf(id, sizeof id, "C%06d", i);
        const char *idp = id;
        unsigned char blk[32];
        keyed_ref_block(skey, 32, "sample", "records", 0, &idp, 1, 0, blk);
        int want = keyed_ref_uniform(keyed_ref_word(blk, 0)) < 0.3;
        xf_value v = {id, strlen(id)};
        ck_assert_int_eq(rules_sample_keeps(&s, &v, 1, (uint64_t)i + 1), want);
    }
    keyed_random_free(s.kr);
    s = make(0.3, 0);
    for (uint64_t pos = 1; pos <= 2000; pos++) {
        unsigned char blk[32];
        keyed_ref_block(skey, 32, "sample", "records", 0, NULL, 0, pos, blk);
        int want = keyed_ref_uniform(keyed_ref_word(blk, 0)) < 0.3;
        ck_assert_int_eq(rules_sample_keeps(&s, NULL, 0, pos), want);
    }
    keyed_random_free(s.kr);
}
END_TEST

START_TEST(rate_within_binomial_bound)
{
    /* p = 0.1 over N = 1e6: sd sqrt(0.09 / N) = 3e-4 */
    rules_sample s = make(0.1, 0);
    uint64_t kept = 0;
    for (uint64_t pos = 1; pos <= 1000000; pos++)
        kept += (uint64_t)rules_sample_keeps(&s, NULL, 0, pos);
    ck_assert_double_eq_tol((double)kept / 1e6, 0.1, 6 * 3e-4);
    keyed_random_free(s.kr);
    /* rate 1 keeps everything */
    s = make(1.0, 0);
    for (uint64_t pos = 1; pos <= 10000; pos++)
        ck_assert_int_eq(rules_sample_keeps(&s, NULL, 0, pos), 1);
    keyed_random_free(s.kr);
}
END_TEST

Suite *sample_suite(void);

Suite *sample_suite(void)
{
    Suite *s = suite_create("sample");
    TCase *tc = tcase_create("sample");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, keeps_by_the_defined_draw);
    tcase_add_test(tc, rate_within_binomial_bound);
    suite_add_tcase(s, tc);
    return s;
}
