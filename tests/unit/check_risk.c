/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_risk.c - the risk models beyond prosecutor risk: digamma and
 * trigamma, the Zayatz, Pitman and SNB population uniqueness models, the
 * Dankar et al. decision rule (risk_uniqueness.c), and journalist,
 * marketer and sample figures on a class table (risk_stats.c).
 *
 * Expected values are worked by hand where the formulas allow (special
 * function identities, the Zayatz hypergeometric sums, journalist risk
 * from population counts). Pitman and SNB solve likelihood equations that
 * have no closed form: their references come from the independent Python
 * implementation tests/risk/risk_models.py (term-by-term sums and a
 * finite-difference Newton solver, no code shared with deid), printed with
 * repr() and pasted here.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "privacy.h"
#include "risk_stats.h"
#include "risk_uniqueness.h"

#define REL 1e-9

static void assert_rel(double got, double want)
{
    ck_assert_msg(fabs(got - want) <= REL * fabs(want), "got %.17g, want %.17g", got, want);
}

/* The histogram used for the solved models: 10 classes of 1 record, 4 of
 * 2, 2 of 3, 1 of 4 and 1 of 7: 18 classes, 35 records. */
static const risk_size_count small_hist[] = {{1, 10}, {2, 4}, {3, 2}, {4, 1}, {7, 1}};
enum { SMALL_BARS = 5, SMALL_RECORDS = 35 };

START_TEST(polygamma_identities)
{
    /* psi(n) = -gamma + H(n-1), psi'(n) = pi^2/6 - sum_{k<n} 1/k^2,
     * psi(1/2) = -gamma - 2 ln 2, psi'(1/2) = pi^2/2 */
    const double euler = 0.57721566490153286061;
    double h = 0, s = 0;
    for (int n = 1; n <= 40; n++) {
        ck_assert_msg(fabs(risk_digamma(n) - (-euler + h)) <= 1e-14 * (1 + fabs(h)), "psi(%d)", n);
        ck_assert_msg(fabs(risk_trigamma(n) - (M_PI * M_PI / 6 - s)) <= 1e-14, "psi'(%d)", n);
        h += 1.0 / n;
        s += 1.0 / ((double)n * n);
    }
    ck_assert(fabs(risk_digamma(0.5) - (-euler - 2 * log(2))) <= 1e-14);
    ck_assert(fabs(risk_trigamma(0.5) - M_PI * M_PI / 2) <= 1e-14);
    /* large arguments: psi(x) ~ ln x - 1/(2x), psi'(x) ~ 1/x + 1/(2x^2) */
    assert_rel(risk_digamma(1e9), log(1e9) - 0.5e-9);
    assert_rel(risk_trigamma(1e9), 1e-9 + 0.5e-18);
    /* negative arguments (reflection): psi(x) = psi(x + 1) - 1/x,
     * psi'(x) = psi'(x + 1) + 1/x^2 from x = -1/2 and x = -3.25 */
    ck_assert(fabs(risk_digamma(-0.5) - (-euler - 2 * log(2) + 2)) <= 1e-13);
    ck_assert(fabs(risk_trigamma(-0.5) - (M_PI * M_PI / 2 + 4)) <= 1e-13);
    ck_assert(fabs(risk_digamma(-3.25) -
                   (risk_digamma(0.75) - 1 / -0.25 - 1 / -1.25 - 1 / -2.25 - 1 / -3.25)) <= 1e-12);
    ck_assert(fabs(risk_trigamma(-3.25) - (risk_trigamma(0.75) + 1 / 0.0625 + 1 / 1.5625 +
                                           1 / 5.0625 + 1 / 10.5625)) <= 1e-11);
    ck_assert(isnan(risk_digamma(0)) && isnan(risk_trigamma(-1)) && isnan(risk_digamma(-2)));
}
END_TEST

START_TEST(zayatz_hand_worked)
{
    /* classes {1, 1, 2}: 4 records, u = 3, c1 = 2; population 8 (f = 1/2).
     * P1(K) = P(X = 1) for K marked of 8, 4 drawn: P1(1) = 4/8 = 1/2,
     * P1(2) = 2 C(6,3) / C(8,4) = 40/70 = 4/7. All classes:
     * 2/3 * 1/2 + 1/3 * 4/7 = 11/21; uniques: 2/3 * 1/2 / (11/21) = 7/11
     * of the sample uniques are population uniques; estimate
     * c1 * 7/11 / f = 28/11. */
    const risk_size_count h[] = {{1, 2}, {2, 1}};
    assert_rel(risk_zayatz(h, 2, 4, 8, NULL), 28.0 / 11.0);
    /* f = 1: every sample unique is a population unique */
    assert_rel(risk_zayatz(small_hist, SMALL_BARS, SMALL_RECORDS, SMALL_RECORDS, NULL), 10);
    /* independent (risk_models.py, exact rational products) */
    assert_rel(risk_zayatz(small_hist, SMALL_BARS, SMALL_RECORDS, 350, NULL), 34.707529108256175);
    assert_rel(risk_zayatz(small_hist, SMALL_BARS, SMALL_RECORDS, 117, NULL), 16.020386583990273);
}
END_TEST

START_TEST(pitman_against_independent)
{
    assert_rel(risk_pitman(small_hist, SMALL_BARS, SMALL_RECORDS, 350, NULL), 8.5043935829139);
    assert_rel(risk_pitman(small_hist, SMALL_BARS, SMALL_RECORDS, 117, NULL), 11.953294867558288);
    assert_rel(risk_pitman(small_hist, SMALL_BARS, SMALL_RECORDS, 3500, NULL), 4.15881137992704);
    /* a root with alpha < 0 (few uniques, many larger classes) */
    const risk_size_count neg[] = {{1, 2}, {3, 5}, {8, 6}};
    assert_rel(risk_pitman(neg, 3, 65, 650, NULL), 9.210445595980962e-05);
    /* {1 x3, 2 x2, 3}: the likelihood equations have no root with
     * theta >= 0: not available, with a reason, never 0 */
    const risk_size_count h[] = {{1, 3}, {2, 2}, {3, 1}};
    const char *why = NULL;
    ck_assert(isnan(risk_pitman(h, 3, 10, 1000, &why)));
    ck_assert_ptr_nonnull(why);
}
END_TEST

START_TEST(snb_against_independent)
{
    assert_rel(risk_snb(small_hist, SMALL_BARS, SMALL_RECORDS, 117, NULL), 4.319826899999734);
    const risk_size_count h[] = {{1, 5}, {2, 3}, {3, 2}, {5, 1}};
    assert_rel(risk_snb(h, 4, 22, 73, NULL), 8.861768946425368);
    /* at f = 0.1 the SNB equations have no solution here */
    const char *why = NULL;
    ck_assert(isnan(risk_snb(small_hist, SMALL_BARS, SMALL_RECORDS, 350, &why)));
    ck_assert_str_eq(why, "the likelihood equations did not converge");
}
END_TEST

START_TEST(decision_rule)
{
    risk_uniqueness u;
    /* f = 0.1: Pitman */
    ck_assert_int_eq(risk_uniqueness_estimate(small_hist, SMALL_BARS, 0.1, &u), 0);
    ck_assert_uint_eq(u.population, 350);
    ck_assert_int_eq(u.picked, RISK_PITMAN);
    ck_assert(u.model[RISK_ZAYATZ].available && u.model[RISK_PITMAN].available);
    ck_assert(!u.model[RISK_SNB].available && u.model[RISK_SNB].uniques == 0);
    assert_rel(u.decision.share, 8.5043935829139 / 350);
    /* f = 0.3 (35 / 117 > 0.1): the smaller of Zayatz and SNB, here SNB */
    ck_assert_int_eq(risk_uniqueness_estimate(small_hist, SMALL_BARS, 0.3, &u), 0);
    ck_assert_uint_eq(u.population, 117);
    ck_assert_int_eq(u.picked, RISK_SNB);
    assert_rel(u.decision.uniques, 4.319826899999734);
    /* f <= 0.1 without Pitman: Zayatz */
    const risk_size_count h[] = {{1, 3}, {2, 2}, {3, 1}};
    ck_assert_int_eq(risk_uniqueness_estimate(h, 3, 0.01, &u), 0);
    ck_assert_int_eq(u.picked, RISK_ZAYATZ);
    ck_assert(!u.model[RISK_PITMAN].available && u.model[RISK_PITMAN].reason);
    /* f > 0.1 without SNB: Zayatz */
    ck_assert_int_eq(risk_uniqueness_estimate(h, 3, 0.5, &u), 0);
    ck_assert_int_eq(u.picked, RISK_ZAYATZ);
    /* no sample uniques: every model says 0 (available, as ARX), none picked */
    const risk_size_count none[] = {{2, 3}, {5, 1}};
    ck_assert_int_eq(risk_uniqueness_estimate(none, 2, 0.05, &u), 0);
    ck_assert_int_eq(u.picked, RISK_NO_MODEL);
    for (int m = 0; m < RISK_N_MODELS; m++)
        ck_assert(u.model[m].available && u.model[m].uniques == 0);
    ck_assert_str_eq(risk_model_name(RISK_NO_MODEL), "none");
    ck_assert_str_eq(risk_model_name(RISK_SNB), "snb");
    /* arguments that describe no sample */
    ck_assert_int_eq(risk_uniqueness_estimate(h, 3, 0, &u), -1);
    ck_assert_int_eq(risk_uniqueness_estimate(h, 3, 1.5, &u), -1);
    ck_assert_int_eq(risk_uniqueness_estimate(h, 0, 0.5, &u), -1);
    const risk_size_count unsorted[] = {{2, 1}, {1, 1}};
    ck_assert_int_eq(risk_uniqueness_estimate(unsorted, 2, 0.5, &u), -1);
    ck_assert_int_eq(risk_uniqueness_estimate(h, 3, 1e-300, &u), -1);
}
END_TEST

/* The sample of the CLI case check-risk-population: (30-39,M) x3,
 * (40-49,F) x2, (50-59,F) x1 and one suppressed record. */
static class_table *clinic(void)
{
    static const char *rows[][2] = {{"30-39", "M"}, {"30-39", "M"}, {"30-39", "M"}, {"40-49", "F"},
                                    {"40-49", "F"}, {"50-59", "F"}, {"*", "*"}};
    class_table *t = class_table_new(2, 0, "*", 100);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        xf_value qi[2] = {{rows[i][0], strlen(rows[i][0])}, {rows[i][1], strlen(rows[i][1])}};
        ck_assert_int_eq(class_table_add(t, qi, NULL, NULL), CLASS_OK);
    }
    return t;
}

START_TEST(journalist_from_population)
{
    class_table *t = clinic();
    const uint64_t population[3] = {120, 4, 2};
    risk_stats r;
    ck_assert_int_eq(risk_measure(t, 5, population, 0, &r), 0);
    ck_assert_uint_eq(r.records, 6);
    ck_assert(r.from_population && !r.estimated);
    ck_assert_uint_eq(r.population_smallest, 2);
    assert_rel(r.journalist_max, 0.5);
    /* (3/120 + 2/4 + 1/2) / 6 */
    assert_rel(r.journalist_avg, 1.025 / 6);
    assert_rel(r.marketer, 1.025 / 6);
    /* F < 5: the classes of 2 and 1 records */
    ck_assert_uint_eq(r.journalist_above, 3);
    assert_rel(r.journalist_share, 0.5);
    ck_assert_uint_eq(r.sample_uniques, 1);
    ck_assert_uint_eq(r.records_below[0], 1);
    ck_assert_uint_eq(r.records_below[1], 6);
    ck_assert_uint_eq(r.records_below[2], 6);
    assert_rel(r.share_below[0], 1.0 / 6);
    class_table_free(t);
}
END_TEST

START_TEST(sample_as_population_equals_prosecutor)
{
    class_table *t = clinic();
    privacy_requirement req = {.k = 2};
    privacy_stats p;
    ck_assert_int_eq(privacy_measure(t, &req, NULL, &p), 0);
    risk_stats r;
    ck_assert_int_eq(risk_measure(t, p.risk_k, NULL, 0.5, &r), 0);
    ck_assert(!r.from_population && r.estimated);
    ck_assert(r.journalist_max == p.risk_max);
    ck_assert(r.journalist_avg == p.risk_avg);
    ck_assert(r.journalist_share == p.risk_share);
    ck_assert(r.marketer == 0.5); /* 3 classes / 6 records */
    ck_assert_uint_eq(r.uniqueness.population, 12);
    /* histogram of the table: sizes 1, 2, 3 once each */
    risk_size_count *h;
    size_t n;
    ck_assert_int_eq(risk_histogram(t, &h, &n), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert(h[0].size == 1 && h[1].size == 2 && h[2].size == 3 && h[2].classes == 1);
    free(h);
    ck_assert_int_eq(risk_measure(t, 2, NULL, 2, &r), -2);
    privacy_stats_free(&p);
    class_table_free(t);
}
END_TEST

Suite *risk_suite(void); /* called by check_main.c */
Suite *risk_suite(void)
{
    Suite *s = suite_create("risk");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, polygamma_identities);
    tcase_add_test(tc, zayatz_hand_worked);
    tcase_add_test(tc, pitman_against_independent);
    tcase_add_test(tc, snb_against_independent);
    tcase_add_test(tc, decision_rule);
    tcase_add_test(tc, journalist_from_population);
    tcase_add_test(tc, sample_as_population_equals_prosecutor);
    suite_add_tcase(s, tc);
    return s;
}
