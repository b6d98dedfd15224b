/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_tclose_hier.c - the value tree of `sensitive S hierarchy=FILE`
 * and its hierarchical EMD (tclose_hier.c), alone and through
 * privacy_measure / privacy_violations. Expected distances are worked by
 * hand as transport costs (mass moved x ground distance), not with the
 * min(pos, neg) formula the code uses.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "classes.h"
#include "privacy.h"
#include "tclose_hier.h"

static csv_field F(const char *s)
{
    return (csv_field){s, strlen(s)};
}

/* Adds "l0;l1;..." (no quoting) and returns tclose_hier_add's answer. */
static tclose_hier_error add(tclose_hier *h, const char *row, size_t *bad_level)
{
    static char buf[256];
    csv_field f[8];
    size_t n = 0;
    strcpy(buf, row);
    for (char *p = buf;;) {
        char *semi = strchr(p, ';');
        if (semi)
            *semi = 0;
        f[n++] = F(p);
        if (!semi)
            break;
        p = semi + 1;
    }
    return tclose_hier_add(h, f, n, bad_level);
}

/*      *            level 2
 *    X   Y          level 1
 *   a b c d         leaves: a-b 1/2 apart, a-c 1 apart */
static tclose_hier *abcd(void)
{
    tclose_hier *h = tclose_hier_new();
    size_t bad;
    ck_assert_ptr_nonnull(h);
    ck_assert_int_eq(add(h, "a;X;*", &bad), TCLOSE_HIER_OK);
    ck_assert_int_eq(add(h, "b;X;*", &bad), TCLOSE_HIER_OK);
    ck_assert_int_eq(add(h, "c;Y;*", &bad), TCLOSE_HIER_OK);
    ck_assert_int_eq(add(h, "d;Y;*", &bad), TCLOSE_HIER_OK);
    return h;
}

static double emd4(const tclose_hier *h, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    static const uint64_t overall[4] = {1, 1, 1, 1};
    uint64_t cls[4] = {a, b, c, d};
    double scratch[16];
    ck_assert_uint_le(tclose_hier_scratch(h), 16);
    return tclose_hier_emd(h, overall, 4, cls, a + b + c + d, scratch);
}

START_TEST(emd_hand_worked)
{
    tclose_hier *h = abcd();
    ck_assert_uint_eq(tclose_hier_leaves(h), 4);
    ck_assert_uint_eq(tclose_hier_height(h), 2);
    ck_assert_int_eq(tclose_hier_leaf(h, "c", 1), 2);
    ck_assert_int_eq(tclose_hier_leaf(h, "X", 1), -1);
    /* class all a, table uniform: 1/4 moves a->b (1/2 apart) and 1/4 each
     * a->c, a->d (1 apart): 1/8 + 1/2 = 5/8 */
    ck_assert_double_eq_tol(emd4(h, 2, 0, 0, 0), 0.625, 1e-15);
    /* {a, b}: 1/4 from each of a, b to c and d, all 1 apart: 1/2 */
    ck_assert_double_eq_tol(emd4(h, 1, 1, 0, 0), 0.5, 1e-15);
    /* {a, c}: 1/4 a->b and 1/4 c->d, 1/2 apart each: 1/4 */
    ck_assert_double_eq_tol(emd4(h, 1, 0, 1, 0), 0.25, 1e-15);
    /* the table itself: 0 */
    ck_assert_double_eq(emd4(h, 3, 3, 3, 3), 0);
    tclose_hier_free(h);
}
END_TEST

START_TEST(rows_refused)
{
    tclose_hier *h = abcd();
    size_t bad = 99;
    ck_assert_int_eq(add(h, "e;X;Z", &bad), TCLOSE_HIER_NOT_TREE); /* X is under * */
    ck_assert_uint_eq(bad, 1);
    ck_assert_int_eq(add(h, "e;X", &bad), TCLOSE_HIER_WIDTH);
    ck_assert_int_eq(add(h, "a;Y;*", &bad), TCLOSE_HIER_DUPLICATE);
    ck_assert_int_eq(add(h, "e;;*", &bad), TCLOSE_HIER_EMPTY);
    ck_assert_int_eq(add(h, "e", &bad), TCLOSE_HIER_TOO_FEW);
    ck_assert_int_eq(add(h, "e;W;R", &bad), TCLOSE_HIER_ROOTS); /* a second root */
    /* refused rows left nothing behind */
    ck_assert_uint_eq(tclose_hier_leaves(h), 4);
    ck_assert_int_eq(tclose_hier_leaf(h, "e", 1), -1);
    ck_assert_int_eq(add(h, "e;Z;*", &bad), TCLOSE_HIER_OK); /* a new branch is fine */
    tclose_hier_free(h);
}
END_TEST

/* A class table with one QI: class g holds the letters of groups[g]. */
static class_table *letters_table(const char *const *groups, size_t n)
{
    class_table *t = class_table_new(1, 1, "*", 1000);
    ck_assert_ptr_nonnull(t);
    for (size_t g = 0; g < n; g++) {
        char name[8];
        snprintf(name, sizeof name, "g%zu", g);
        xf_value q = {name, strlen(name)};
        for (const char *p = groups[g]; *p; p++) {
            xf_value s = {p, 1};
            ck_assert_int_eq(class_table_add(t, &q, &s, NULL), CLASS_OK);
        }
    }
    return t;
}

START_TEST(through_privacy_measure)
{
    tclose_hier *h = abcd();
    /* overall a:3 b:1 c:2 d:2 (n = 8); class {a,a,a,b} (p = 3/4, 1/4, 0, 0)
     * against q = 3/8, 1/8, 2/8, 2/8: a and b each hold 3/8 resp. 1/8 too
     * much, all of it must cross to Y (1 apart): 1/2. Class {c,c,d,d} is
     * the mirror: 1/2. Equal distance would be 1/2 too, so a flat tree
     * check follows. */
    static const char *const groups[] = {"aaab", "ccdd"};
    class_table *t = letters_table(groups, 2);
    privacy_sensitive_spec spec = {"s", 0, 0, h};
    privacy_stats st;
    ck_assert_int_eq(privacy_measure(t, NULL, &spec, &st), 0);
    ck_assert_double_eq_tol(st.sensitive[0].max_t, 0.5, 1e-15);
    privacy_stats_free(&st);
    ck_assert_uint_eq(privacy_hier_missing(t, &spec, 1), 1);
    ck_assert_str_eq(privacy_distance_name(&spec), "hierarchical");
    class_table_free(t);

    /* {a, b} and {a, c, c, d}: overall a:2 b:1 c:2 d:1 (n = 6).
     * First p = 1/2, 1/2, 0, 0 vs q = 1/3, 1/6, 1/3, 1/6: X holds 1/2 too
     * much, all of it crosses to Y: 1/2 x 1 = 1/2; inside X nothing moves
     * (a and b both over). Second p = 1/4, 0, 1/2, 1/4: X short by 1/4
     * (1 apart: 1/4); inside X, a gives b 1/12 ... a is 1/12 under and b
     * 1/6 under; inside Y, c is 1/6 over and d 1/12 over: the 1/4 crossing
     * covers both deficits with no move inside a subtree: 1/4.
     * privacy_violations at t = 0.3 marks the first only. */
    static const char *const groups2[] = {"ab", "accd"};
    t = letters_table(groups2, 2);
    privacy_requirement req = {.t = 0.3};
    unsigned char marks[2];
    ck_assert_uint_eq(privacy_violations(t, &req, &spec, marks), 2);
    ck_assert_int_eq(marks[0], 1);
    ck_assert_int_eq(marks[1], 0);
    req.t = 0.5; /* exactly t is within t */
    ck_assert_uint_eq(privacy_violations(t, &req, &spec, marks), 0);
    class_table_free(t);

    /* a value outside the tree: found, and every class fails closed */
    static const char *const groups3[] = {"ae", "bc"};
    t = letters_table(groups3, 2);
    ck_assert_uint_eq(privacy_hier_missing(t, &spec, 1), 0);
    ck_assert_int_eq(privacy_measure(t, NULL, &spec, &st), 0);
    ck_assert_double_eq(st.sensitive[0].max_t, 1);
    privacy_stats_free(&st);
    class_table_free(t);
    tclose_hier_free(h);
}
END_TEST

START_TEST(flat_tree_is_equal_distance)
{
    /* With every value straight under one root (height 1) all values are 1
     * apart: the hierarchical distance is the equal distance. */
    tclose_hier *flat = tclose_hier_new();
    size_t bad;
    const char *rows[] = {"a;*", "b;*", "c;*", "d;*", "e;*"};
    for (size_t i = 0; i < 5; i++)
        ck_assert_int_eq(add(flat, rows[i], &bad), TCLOSE_HIER_OK);
    static const char *const groups[] = {"aabce", "bbbd", "cdeea", "a", "edcba"};
    class_table *t = letters_table(groups, 5);
    privacy_sensitive_spec eq = {"s", 0, 0, NULL}, hi = {"s", 0, 0, flat};
    privacy_stats s1, s2;
    ck_assert_int_eq(privacy_measure(t, NULL, &eq, &s1), 0);
    ck_assert_int_eq(privacy_measure(t, NULL, &hi, &s2), 0);
    ck_assert_double_gt(s1.sensitive[0].max_t, 0.3);
    ck_assert_double_eq_tol(s1.sensitive[0].max_t, s2.sensitive[0].max_t, 1e-12);
    privacy_stats_free(&s1);
    privacy_stats_free(&s2);
    class_table_free(t);
    tclose_hier_free(flat);
}
END_TEST

Suite *tclose_hier_suite(void); /* called by check_main.c */
Suite *tclose_hier_suite(void)
{
    Suite *s = suite_create("tclose_hier");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, emd_hand_worked);
    tcase_add_test(tc, rows_refused);
    tcase_add_test(tc, through_privacy_measure);
    tcase_add_test(tc, flat_tree_is_equal_distance);
    suite_add_tcase(s, tc);
    return s;
}
