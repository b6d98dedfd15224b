/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_noise.c - `noise` (xf_noise.c): single outputs equal the value
 * plus the noise recomputed from the keyed_random.h definition
 * (keyed_ref.c), the noise over 200000 records has the mean and variance
 * of its distribution (bounds: 6 standard errors, worked out per test),
 * by= gives one person one noise, rounding, clamping, relative noise,
 * bad values and the rules errors.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyed_ref.h"
#include "keyring.h"
#include "transform.h"
#include "xf_rig.h"

extern const transform_ops xf_noise_ops;

static unsigned char main_key[32];
static keyring *ring;
static deid_error err;
static const char *const by_id[] = {"id"};

static void setup(void)
{
    for (int i = 0; i < 32; i++)
        main_key[i] = (unsigned char)(7 * i + 3);
    ring = keyring_new();
    ck_assert_ptr_nonnull(ring);
    ck_assert_int_eq(keyring_add_raw(ring, "k", main_key, 32, &err), DEID_OK);
}

static void teardown(void)
{
    keyring_free(ring);
}

/* Compiles "noise SPEC" on column income; with_by adds by=id. */
static deid_status compile(xf_rig *r, const char *spec, int with_by)
{
    const xf_rig_setup setup = {
        .ops = &xf_noise_ops,
        .column = "income",
        .rules_file = "t.rules",
        .keys = ring,
        .line = 3,
        .col = 15,
        .n_inputs = with_by ? 2 : 1,
        .resets_state = 1,
    };
    xf_rig_init(r, &setup);
    xf_rig_spec(r, spec);
    if (with_by) {
        r->ctx.also = by_id;
        r->ctx.n_also = 1;
    }
    return xf_rig_compile(r);
}

/* The output for value x of the record with by= value id (NULL: record
 * position pos), NUL-terminated in out. */
static xf_result run(const xf_rig *r, const char *x, const char *id, uint64_t pos, char *out,
                     size_t size, const char **why)
{
    xf_value in[2] = {{x, strlen(x)}, {id ? id : "", id ? strlen(id) : 0}};
    dbuf b;
    dbuf_init(&b, 4096);
    xf_result res = xf_noise_ops.apply_at(r->state, in, id ? 2 : 1, pos, &b, why);
    if (res == XF_OK) {
        ck_assert_uint_lt(b.len, size);
        memcpy(out, b.data, b.len);
        out[b.len] = '\0';
    }
    dbuf_free(&b);
    return res;
}

static double laplace_ref(double u, double b)
{
    return u < 0.5 ? b * log(2 * u) : -b * log(2 - 2 * u);
}

START_TEST(output_is_value_plus_defined_noise)
{
    xf_rig r;
    ck_assert_int_eq(compile(&r, "key=k scale=1000 round=100", 1), DEID_OK);
    const char *ids[] = {"P-001", "P-002", "홍길동"};
    for (int i = 0; i < 3; i++) {
        unsigned char blk[32];
        keyed_ref_block(main_key, 32, "noise", "income", 0, &ids[i], 1, 0, blk);
        double e = laplace_ref(keyed_ref_uniform(keyed_ref_word(blk, 0)), 1000);
        char want[64], got[64];
        snprintf(want, sizeof want, "%.0f", round((50000 + e) / 100) * 100);
        const char *why;
        ck_assert_int_eq(run(&r, "50,000", ids[i], 99, got, sizeof got, &why), XF_OK);
        ck_assert_str_eq(got, want);
        /* the same person in another record (or delivery): the same output */
        ck_assert_int_eq(run(&r, "50000", ids[i], 12345, got, sizeof got, &why), XF_OK);
        ck_assert_str_eq(got, want);
    }
    xf_rig_done(&r);

    /* by position, gaussian: Box-Muller on words 0 and 1 of the block */
    ck_assert_int_eq(compile(&r, "key=k dist=gaussian scale=2.5", 0), DEID_OK);
    unsigned char blk[32];
    keyed_ref_block(main_key, 32, "noise", "income", 0, NULL, 0, 7, blk);
    double u1 = keyed_ref_uniform(keyed_ref_word(blk, 0));
    double u2 = keyed_ref_uniform(keyed_ref_word(blk, 1));
    double e = 2.5 * sqrt(-2 * log(u1)) * cos(2 * 3.14159265358979323846 * u2);
    char want[64], got[64];
    snprintf(want, sizeof want, "%.2f", round((10.25 + e) * 100) / 100);
    const char *why;
    ck_assert_int_eq(run(&r, "10.25", NULL, 7, got, sizeof got, &why), XF_OK);
    ck_assert_str_eq(got, want);
    xf_rig_done(&r);
}
END_TEST

#define N_REC 200000

/* Mean and variance of (output - x) over records 1..N_REC by position. */
static void noise_moments(const char *spec, const char *x, double *mean, double *var)
{
    xf_rig r;
    ck_assert_int_eq(compile(&r, spec, 0), DEID_OK);
    double x0 = strtod(x, NULL), sum = 0, sum2 = 0;
    for (uint64_t i = 1; i <= N_REC; i++) {
        char got[64];
        const char *why;
        ck_assert_int_eq(run(&r, x, NULL, i, got, sizeof got, &why), XF_OK);
        double e = strtod(got, NULL) - x0;
        sum += e;
        sum2 += e * e;
    }
    *mean = sum / N_REC;
    *var = sum2 / N_REC - *mean * *mean;
    xf_rig_done(&r);
}

START_TEST(laplace_moments)
{
    /* b = 10, six decimals kept so rounding adds nothing measurable:
     * variance 2b^2 = 200; sd of the mean sqrt(200/N) = 0.0316; sd of the
     * sample variance sqrt(20 b^4 / N) = 100 sqrt(20/N) = 1.0. */
    double m, v;
    noise_moments("key=k scale=10", "1000.000000", &m, &v);
    ck_assert_double_eq_tol(m, 0, 6 * 0.0316);
    ck_assert_double_eq_tol(v, 200, 6 * 1.0);
}
END_TEST

START_TEST(gaussian_moments)
{
    /* s = 3: variance 9; sd of the mean 3/sqrt(N) = 6.7e-3; sd of the
     * sample variance sqrt(2) 9 / sqrt(N) = 0.0285. */
    double m, v;
    noise_moments("key=k dist=gaussian scale=3", "-50.000000", &m, &v);
    ck_assert_double_eq_tol(m, 0, 6 * 6.7e-3);
    ck_assert_double_eq_tol(v, 9, 6 * 0.0285);
}
END_TEST

START_TEST(uniform_moments_and_bounds)
{
    /* U(-b, b), b = 6: variance b^2/3 = 12; sd of the mean
     * sqrt(12/N) = 7.7e-3; E[e^4] = b^4/5, so sd of the sample variance
     * sqrt((1/5 - 1/9) b^4 / N) = 36 sqrt(4/45/N) = 0.024. Whole numbers:
     * rounding adds variance 1/12 on top, so the expected is 12 + 1/12. */
    double m, v;
    noise_moments("key=k dist=uniform scale=6", "100", &m, &v);
    ck_assert_double_eq_tol(m, 0, 6 * 7.7e-3);
    ck_assert_double_eq_tol(v, 12 + 1.0 / 12, 6 * 0.024 + 0.01);
    xf_rig r;
    ck_assert_int_eq(compile(&r, "key=k dist=uniform scale=6", 0), DEID_OK);
    for (uint64_t i = 1; i <= 10000; i++) {
        char got[64];
        const char *why;
        ck_assert_int_eq(run(&r, "100", NULL, i, got, sizeof got, &why), XF_OK);
        long y = strtol(got, NULL, 10);
        ck_assert_int_ge(y, 94);
        ck_assert_int_le(y, 106);
    }
    xf_rig_done(&r);
}
END_TEST

START_TEST(relative_clamp_round)
{
    xf_rig r;
    ck_assert_int_eq(compile(&r, "key=k relative=10% min=0 max=120 round=0.5", 0), DEID_OK);
    int seen_max = 0;
    for (uint64_t i = 1; i <= 2000; i++) {
        char got[64];
        const char *why;
        ck_assert_int_eq(run(&r, "0", NULL, i, got, sizeof got, &why), XF_OK);
        ck_assert_str_eq(got, "0.0"); /* relative noise of 0 is 0 */
        ck_assert_int_eq(run(&r, "100", NULL, i, got, sizeof got, &why), XF_OK);
        double y = strtod(got, NULL);
        ck_assert(y >= 0 && y <= 120);
        ck_assert_double_eq(y * 2, round(y * 2)); /* a multiple of 0.5 */
        ck_assert_ptr_nonnull(strchr(got, '.'));
        seen_max += y == 120;
    }
    /* Laplace(b=10) above 20: probability e^-2 / 2 = 0.068, so ~135 of 2000 */
    ck_assert_int_gt(seen_max, 50);
    char want[256];
    snprintf(want, sizeof want,
             "key=k fingerprint=%s domain=income dist=laplace relative=10%% min=0 max=120 "
             "round=0.5",
             key_fingerprint(keyring_find(ring, "k")));
    xf_rig_expect_describe(&r, want);
    xf_rig_done(&r);
}
END_TEST

START_TEST(bad_values)
{
    xf_rig r;
    ck_assert_int_eq(compile(&r, "key=k scale=1", 1), DEID_OK);
    char got[64];
    const char *why = NULL;
    ck_assert_int_eq(run(&r, "abc", "P", 1, got, sizeof got, &why), XF_BAD_VALUE);
    ck_assert_ptr_nonnull(strstr(why, "is not a decimal number"));
    ck_assert_int_eq(run(&r, "1e5", "P", 1, got, sizeof got, &why), XF_BAD_VALUE);
    ck_assert_int_eq(run(&r, "1000000000000000", "P", 1, got, sizeof got, &why), XF_BAD_VALUE);
    ck_assert_ptr_nonnull(strstr(why, "out of range"));
    ck_assert_int_eq(run(&r, "5", "", 1, got, sizeof got, &why), XF_BAD_VALUE);
    ck_assert_str_eq(why, "has an empty by= column (no identity to draw for)");
    xf_rig_done(&r);
    /* a huge scale pushes results out of range: a bad value, not "inf" */
    ck_assert_int_eq(compile(&r, "key=k scale=999999999999999", 0), DEID_OK);
    int bad = 0;
    for (uint64_t i = 1; i <= 50; i++)
        bad += run(&r, "1", NULL, i, got, sizeof got, &why) == XF_BAD_VALUE;
    ck_assert_int_gt(bad, 0);
    xf_rig_done(&r);
}
END_TEST

START_TEST(rules_errors)
{
    static const struct {
        const char *spec, *text;
    } cases[] = {
        {"scale=1", "noise needs key=NAME"},
        {"key=k", "noise needs exactly one of scale=S (absolute) or relative=P% (share of the value)"},
        {"key=k scale=1 relative=5%", "noise needs exactly one of scale=S"},
        {"key=k relative=5", "relative= needs a percentage such as 5%"},
        {"key=k relative=0%", "relative= needs a percentage above 0% and at most 1000%"},
        {"key=k scale=-1", "scale= needs a positive decimal number below 1e15"},
        {"key=k scale=1e3", "scale= needs a positive decimal number below 1e15"},
        {"key=k scale=1 dist=cauchy", "dist= takes laplace, gaussian or uniform"},
        {"key=k scale=1 min=5 max=4", "max= is below min="},
        {"key=k scale=1 round=0", "round= needs a positive number"},
        {"key=k scale=1 min=x", "min= needs a decimal number below 1e15 (e.g. 1000 or 0.5)"},
        {"key=nokey scale=1", "unknown key \"nokey\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xf_rig r;
        ck_assert_int_eq(compile(&r, cases[i].spec, 0), DEID_E_RULES);
        ck_assert_msg(strstr(r.err.message, cases[i].text), "%s: got %s", cases[i].spec,
                      r.err.message);
        xf_rig_done(&r);
    }
}
END_TEST

Suite *noise_suite(void);

Suite *noise_suite(void)
{
    Suite *s = suite_create("noise");
    TCase *tc = tcase_create("noise");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, output_is_value_plus_defined_noise);
    tcase_add_test(tc, laplace_moments);
    tcase_add_test(tc, gaussian_moments);
    tcase_add_test(tc, uniform_moments_and_bounds);
    tcase_add_test(tc, relative_clamp_round);
    tcase_add_test(tc, bad_values);
    tcase_add_test(tc, rules_errors);
    suite_add_tcase(s, tc);
    return s;
}
