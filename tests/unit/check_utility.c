/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_utility.c - utility metrics (model/utility.c) on small tables
 * worked by hand: discernibility, average class size and C_AVG,
 * non-uniform entropy, precision, distinct values and Shannon entropy
 * before and after; suppressed and left-out records; the memory budget.
 * The expected figures are written as the formulas of README "Utility"
 * evaluated on the table in the comment, not taken from the code.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "utility.h"

#define TOL 1e-12

static xf_value V(const char *s)
{
    return (xf_value){s, strlen(s)};
}

/*
 * One QI, five records, ladder value -> decade -> "*" (height 2), level 1:
 *   21 -> 20-29, 21 -> 20-29, 22 -> 20-29, 35 -> 30-39, 41 -> suppressed ("*")
 * Source counts 21:2 22:1 35:1 41:1 (n = 5); the group of 20-29 holds
 * 2 + 1 = 3 source records, that of 30-39 one, a suppressed record all 5.
 */
static int compute(const utility_counter *u, const class_table *out, uint64_t k,
                   const utility_level *levels, double loss, utility_figures *f)
{
    uint64_t *sizes = utility_class_sizes(out);
    ck_assert_ptr_nonnull(sizes);
    int rc = utility_compute(u, sizes, class_table_classes(out), k,
                             levels ? utility_fixed_levels : NULL, (void *)levels, loss, f);
    free(sizes);
    return rc;
}

static void five_records(utility_counter *u, class_table *out, utility_fate last)
{
    static const char *src[5] = {"21", "21", "22", "35", "41"};
    static const char *dst[5] = {"20-29", "20-29", "20-29", "30-39", "*"};
    for (int i = 0; i < 5; i++) {
        utility_fate fate = i == 4 ? last : UTILITY_KEPT;
        ck_assert_int_eq(utility_counter_add(u, 0, V(src[i]), V(dst[i]), fate, 1), UTILITY_OK);
        xf_value v = V(dst[i]);
        if (fate != UTILITY_REMOVED)
            ck_assert_int_eq(class_table_add(out, &v, NULL, NULL), CLASS_OK);
    }
}

START_TEST(hand_worked_suppressed)
{
    utility_counter *u = utility_counter_new(1, NULL);
    class_table *out = class_table_new(1, 0, "*", 100);
    ck_assert_ptr_nonnull(u);
    ck_assert_ptr_nonnull(out);
    five_records(u, out, UTILITY_SUPPRESSED);
    utility_level lv = {1, 1, 2};
    utility_figures f;
    ck_assert_int_eq(compute(u, out, 2, &lv, NAN, &f), 0);
    ck_assert_uint_eq(f.records, 5);
    ck_assert_uint_eq(f.suppressed, 1);
    ck_assert_uint_eq(f.classes, 2);
    /* DM: 3^2 + 1^2 + n x 1 suppressed */
    ck_assert_double_eq_tol(f.discernibility, 9 + 1 + 5, TOL);
    /* AECS: 5 records / (2 classes + 1 for the suppressed); C_AVG over k = 2 */
    ck_assert_double_eq_tol(f.avg_class_size, 5.0 / 3, TOL);
    ck_assert_double_eq_tol(f.c_avg, 5.0 / 3 / 2, TOL);
    /* -2 log2(2/3) - log2(1/3) - log2(1/1) - log2(1/5) */
    double nu = -2 * log2(2.0 / 3) - log2(1.0 / 3) - 0 - log2(1.0 / 5);
    ck_assert_double_eq_tol(f.qi[0].nu_entropy, nu, TOL);
    ck_assert_double_eq_tol(f.nu_entropy, nu, TOL);
    /* four kept records at 1/2, the suppressed one at 1 */
    ck_assert_double_eq_tol(f.qi[0].precision_loss, (4 * 0.5 + 1) / 5, TOL);
    ck_assert_double_eq_tol(f.precision, 1 - 0.6, TOL);
    ck_assert_uint_eq(f.qi[0].distinct_before, 4);
    ck_assert_uint_eq(f.qi[0].distinct_after, 3);
    double hb = -(0.4 * log2(0.4) + 3 * 0.2 * log2(0.2));
    double ha = -(0.6 * log2(0.6) + 2 * 0.2 * log2(0.2));
    ck_assert_double_eq_tol(f.qi[0].entropy_before, hb, TOL);
    ck_assert_double_eq_tol(f.qi[0].entropy_after, ha, TOL);
    ck_assert(isnan(f.loss));
    utility_figures_free(&f);
    class_table_free(out);
    utility_counter_free(u);
}
END_TEST

START_TEST(hand_worked_removed)
{
    utility_counter *u = utility_counter_new(1, NULL);
    class_table *out = class_table_new(1, 0, "*", 100);
    five_records(u, out, UTILITY_REMOVED);
    utility_figures f;
    ck_assert_int_eq(compute(u, out, 0, NULL, 0.25, &f), 0);
    /* a record left out counts as suppressed: DM, AECS, entropy */
    ck_assert_uint_eq(f.records, 5);
    ck_assert_uint_eq(f.suppressed, 1);
    ck_assert_double_eq_tol(f.discernibility, 15, TOL);
    ck_assert_double_eq_tol(f.avg_class_size, 5.0 / 3, TOL);
    ck_assert(isnan(f.c_avg));
    ck_assert(isnan(f.precision));
    ck_assert(isnan(f.qi[0].precision_loss));
    ck_assert_double_eq_tol(f.loss, 0.25, TOL);
    double nu = -2 * log2(2.0 / 3) - log2(1.0 / 3) - log2(1.0 / 5);
    ck_assert_double_eq_tol(f.nu_entropy, nu, TOL);
    /* the delivered column holds four records: 20-29 x 3, 30-39 */
    ck_assert_uint_eq(f.qi[0].distinct_after, 2);
    ck_assert_double_eq_tol(f.qi[0].entropy_after, -(0.75 * log2(0.75) + 0.25 * log2(0.25)), TOL);
    utility_figures_free(&f);
    class_table_free(out);
    utility_counter_free(u);
}
END_TEST

/* Nothing generalized: no loss of any kind; weighted adds equal single ones. */
START_TEST(identity_costs_nothing)
{
    utility_counter *u = utility_counter_new(2, NULL);
    class_table *out = class_table_new(2, 0, "*", 100);
    const char *a[3] = {"x", "y", "x"}, *b[3] = {"1", "1", "2"};
    uint64_t w[3] = {3, 1, 2};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(utility_counter_add(u, 0, V(a[i]), V(a[i]), UTILITY_KEPT, w[i]), 0);
        ck_assert_int_eq(utility_counter_add(u, 1, V(b[i]), V(b[i]), UTILITY_KEPT, w[i]), 0);
        xf_value t[2] = {V(a[i]), V(b[i])};
        ck_assert_int_eq(class_table_add_n(out, t, NULL, w[i], NULL), CLASS_OK);
    }
    utility_level lv[2] = {{1, 0, 0}, {1, 0, 3}};
    utility_figures f;
    ck_assert_int_eq(compute(u, out, 1, lv, NAN, &f), 0);
    ck_assert_uint_eq(f.records, 6);
    ck_assert_uint_eq(f.suppressed, 0);
    ck_assert_uint_eq(f.classes, 3);
    ck_assert_double_eq_tol(f.discernibility, 9 + 1 + 4, TOL);
    ck_assert_double_eq_tol(f.avg_class_size, 2, TOL);
    ck_assert_double_eq_tol(f.c_avg, 2, TOL);
    ck_assert_double_eq_tol(f.nu_entropy, 0, TOL);
    ck_assert_double_eq_tol(f.precision, 1, TOL);
    /* x 5 of 6, y 1 of 6 */
    double h = -(5.0 / 6 * log2(5.0 / 6) + 1.0 / 6 * log2(1.0 / 6));
    ck_assert_double_eq_tol(f.qi[0].entropy_before, h, TOL);
    ck_assert_double_eq_tol(f.qi[0].entropy_after, h, TOL);
    ck_assert_uint_eq(f.qi[1].distinct_before, 2);
    ck_assert_uint_eq(f.qi[1].distinct_after, 2);
    utility_figures_free(&f);
    class_table_free(out);
    utility_counter_free(u);
}
END_TEST

/* A level per delivered value: "*" is the top (2 of 2), a band level 1,
 * anything else level 0; "?" is not known. */
static int level_by_value(void *ctx, size_t q, xf_value src, xf_value out, size_t *level,
                          size_t *height)
{
    (void)ctx;
    (void)q;
    (void)src;
    *height = 2;
    *level = out.len == 1 && out.data[0] == '*' ? 2 : memchr(out.data, '-', out.len) ? 1 : 0;
    return !(out.len == 1 && out.data[0] == '?');
}

/* Local recoding: each value at its own level (check --source with rules). */
START_TEST(precision_per_value)
{
    utility_counter *u = utility_counter_new(1, NULL);
    class_table *out = class_table_new(1, 0, "#", 100);
    const char *src[5] = {"21", "22", "35", "35", "41"};
    const char *dst[5] = {"20-29", "22", "*", "30-39", "#"};
    for (int i = 0; i < 5; i++) {
        utility_fate fate = i == 4 ? UTILITY_SUPPRESSED : UTILITY_KEPT;
        ck_assert_int_eq(utility_counter_add(u, 0, V(src[i]), V(dst[i]), fate, 1), 0);
        xf_value v = V(dst[i]);
        ck_assert_int_eq(class_table_add(out, &v, NULL, NULL), CLASS_OK);
    }
    uint64_t *sizes = utility_class_sizes(out);
    utility_figures f;
    ck_assert_int_eq(utility_compute(u, sizes, class_table_classes(out), 0, level_by_value, NULL,
                                     NAN, &f), 0);
    /* (1/2 + 0 + 2/2 + 1/2 + 1 suppressed) / 5 */
    ck_assert_double_eq_tol(f.qi[0].precision_loss, 3.0 / 5, TOL);
    ck_assert_double_eq_tol(f.precision, 0.4, TOL);
    /* 35 went two ways: its group for "*" and for "30-39" is its own 2 records */
    double nu = -log2(1.0 / 1) - log2(1.0 / 1) - 2 * log2(2.0 / 2) - log2(1.0 / 5);
    ck_assert_double_eq_tol(f.nu_entropy, nu, TOL);
    utility_figures_free(&f);
    /* a value whose level is not known makes precision unknown */
    ck_assert_int_eq(utility_counter_add(u, 0, V("50"), V("?"), UTILITY_KEPT, 1), 0);
    ck_assert_int_eq(utility_compute(u, sizes, class_table_classes(out), 0, level_by_value, NULL,
                                     NAN, &f), 0);
    ck_assert(isnan(f.qi[0].precision_loss));
    ck_assert(isnan(f.precision));
    utility_figures_free(&f);
    free(sizes);
    class_table_free(out);
    utility_counter_free(u);
}
END_TEST

START_TEST(budget)
{
    mem_budget b;
    mem_budget_init(&b, 0);
    utility_counter *u = utility_counter_new(1, &b);
    class_table *out = class_table_new(1, 0, "*", 100);
    five_records(u, out, UTILITY_SUPPRESSED);
    ck_assert_uint_gt(mem_budget_used(&b), 0);
    ck_assert_uint_ge(utility_counter_memory(u), mem_budget_used(&b));
    utility_counter_free(u);
    ck_assert_uint_eq(mem_budget_used(&b), 0);
    class_table_free(out);

    /* a budget too small to hold the first value */
    mem_budget_init(&b, 64);
    u = utility_counter_new(1, &b);
    int rc = u ? utility_counter_add(u, 0, V("a"), V("b"), UTILITY_KEPT, 1) : UTILITY_EBUDGET;
    ck_assert_int_eq(rc, UTILITY_EBUDGET);
    utility_counter_free(u);
}
END_TEST

Suite *utility_suite(void); /* called by check_main.c */
Suite *utility_suite(void)
{
    Suite *s = suite_create("utility");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, hand_worked_suppressed);
    tcase_add_test(tc, hand_worked_removed);
    tcase_add_test(tc, identity_costs_nothing);
    tcase_add_test(tc, budget);
    tcase_add_test(tc, precision_per_value);
    suite_add_tcase(s, tc);
    return s;
}
