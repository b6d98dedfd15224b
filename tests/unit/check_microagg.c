/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_microagg.c - micro-aggregation's partitions (microagg.c) against
 * independent computations: the optimal univariate partition against an
 * exhaustive search over every set partition of small random inputs
 * (which does not assume the sorted-runs theorem the code relies on),
 * MDAV on the README's hand-worked example, the SSE/SST figures; and the
 * value list the two-pass techniques keep (vlist.c) and their number
 * writer (xf_group.c).
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "microagg.h"
#include "vlist.h"
#include "xf_group.h"

/* ---- exhaustive reference ------------------------------------------------- */

/* Least SSE over every partition of x[0..n) into blocks of at least k:
 * element i goes into each open block or a new one (restricted growth
 * strings), blocks are closed at the end and must hold k. Written from the
 * definition only. */
typedef struct exhaustive {
    const double *x;
    size_t n, k;
    int block[12];
    double best;
} exhaustive;

static double partition_sse(const exhaustive *e, int blocks)
{
    double total = 0;
    for (int b = 0; b < blocks; b++) {
        double sum = 0;
        size_t cnt = 0;
        for (size_t i = 0; i < e->n; i++)
            if (e->block[i] == b) {
                sum += e->x[i];
                cnt++;
            }
        if (cnt < e->k)
            return INFINITY;
        double mean = sum / (double)cnt;
        for (size_t i = 0; i < e->n; i++)
            if (e->block[i] == b)
                total += (e->x[i] - mean) * (e->x[i] - mean);
    }
    return total;
}

static void search(exhaustive *e, size_t i, int blocks)
{
    if (i == e->n) {
        double s = partition_sse(e, blocks);
        if (s < e->best)
            e->best = s;
        return;
    }
    for (int b = 0; b <= blocks; b++) {
        e->block[i] = b;
        search(e, i + 1, b == blocks ? blocks + 1 : blocks);
    }
}

/* SSE of a grouping, recomputed here. */
static double sse_of(const double *x, size_t n, const uint32_t *g, size_t groups, size_t k)
{
    double total = 0;
    for (size_t b = 0; b < groups; b++) {
        double sum = 0;
        size_t cnt = 0;
        for (size_t i = 0; i < n; i++)
            if (g[i] == b) {
                sum += x[i];
                cnt++;
            }
        ck_assert_msg(cnt >= k, "group %zu has %zu records, fewer than k=%zu", b, cnt, k);
        for (size_t i = 0; i < n; i++)
            if (g[i] == b)
                total += (x[i] - sum / (double)cnt) * (x[i] - sum / (double)cnt);
    }
    return total;
}

START_TEST(optimal_equals_exhaustive_search)
{
    srand(14);
    for (int round = 0; round < 400; round++) {
        size_t n = 1 + (size_t)(rand() % 9);
        size_t k = 1 + (size_t)(rand() % 4);
        if (k > n)
            k = n;
        double x[12];
        /* few distinct values: ties are common */
        for (size_t i = 0; i < n; i++)
            x[i] = (double)(rand() % (round % 2 ? 6 : 1000)) - 3;
        uint32_t g[12];
        size_t groups;
        ck_assert_int_eq(microagg_optimal(x, n, k, g, &groups, NULL), 0);
        exhaustive e = {x, n, k, {0}, INFINITY};
        search(&e, 0, 0);
        double got = sse_of(x, n, g, groups, k);
        ck_assert_msg(fabs(got - e.best) <= 1e-9 * (1 + e.best),
                      "round %d n=%zu k=%zu: SSE %.12g, exhaustive %.12g", round, n, k, got, e.best);
        /* numbered from the smallest values */
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                if (g[i] < g[j])
                    ck_assert(x[i] <= x[j]);
    }
}
END_TEST

START_TEST(optimal_refuses_bad_k)
{
    double x[3] = {1, 2, 3};
    uint32_t g[3];
    size_t groups;
    ck_assert_int_eq(microagg_optimal(x, 3, 0, g, &groups, NULL), -1);
    ck_assert_int_eq(microagg_optimal(x, 3, 4, g, &groups, NULL), -1);
    /* n < 2k: one group */
    ck_assert_int_eq(microagg_optimal(x, 3, 2, g, &groups, NULL), 0);
    ck_assert_uint_eq(groups, 1);
}
END_TEST

/* The README's example, worked by hand: (age, income) of 7 records, k=3.
 * Standardized, the centroid is 0; record 6 (52, 7000) is farthest from
 * it (z = (2.09, 2.09) roughly: both its values are the largest), so with
 * 7 records (2k <= 7 < 3k) it forms a group with its two nearest, records
 * 3 (41, 5200) and 4 (38, 4100); the other four are the last group. */
START_TEST(mdav_readme_example)
{
    double x[] = {23, 2100, 25, 2300, 41, 5200, 38, 4100, 29, 3900, 52, 7000, 36, 2500};
    uint32_t g[7];
    size_t groups;
    ck_assert_int_eq(microagg_mdav(x, 7, 2, 3, g, &groups, NULL), 0);
    ck_assert_uint_eq(groups, 2);
    uint32_t want[7] = {1, 1, 0, 0, 1, 0, 1};
    for (size_t i = 0; i < 7; i++)
        ck_assert_uint_eq(g[i], want[i]);
}
END_TEST

/* 10 points on a line (1..10 on both columns), k=3: the centroid is at
 * 5.5; 1 and 10 are farthest from it, 1 first in the input, and it takes
 * 2 and 3; the farthest from 1 is 10, which takes 9 and 8; the 4 left
 * (4..7) are fewer than 2k = 6, so they are the last group. */
START_TEST(mdav_line_by_hand)
{
    double x[20];
    for (int i = 0; i < 10; i++)
        x[2 * i] = x[2 * i + 1] = i + 1;
    uint32_t g[10];
    size_t groups;
    ck_assert_int_eq(microagg_mdav(x, 10, 2, 3, g, &groups, NULL), 0);
    ck_assert_uint_eq(groups, 3);
    uint32_t want[10] = {0, 0, 0, 2, 2, 2, 2, 1, 1, 1};
    for (size_t i = 0; i < 10; i++)
        ck_assert_uint_eq(g[i], want[i]);
}
END_TEST

START_TEST(mdav_groups_are_at_least_k)
{
    srand(7);
    for (int round = 0; round < 100; round++) {
        size_t n = 1 + (size_t)(rand() % 40), k = 1 + (size_t)(rand() % 5), m = 1 + (size_t)(rand() % 3);
        if (k > n)
            k = n;
        double x[120];
        for (size_t i = 0; i < n * m; i++)
            x[i] = rand() % 7;
        uint32_t g[40];
        size_t groups;
        ck_assert_int_eq(microagg_mdav(x, n, m, k, g, &groups, NULL), 0);
        size_t cnt[40] = {0};
        for (size_t i = 0; i < n; i++) {
            ck_assert_uint_lt(g[i], groups);
            cnt[g[i]]++;
        }
        for (size_t b = 0; b < groups; b++) {
            ck_assert_uint_ge(cnt[b], k);
            ck_assert_uint_lt(cnt[b], 2 * k);
        }
    }
}
END_TEST

START_TEST(loss_by_hand)
{
    /* groups {1,3} mean 2 and {10} mean 10: SSE 2; overall mean 14/3,
     * SST = (1-14/3)^2 + (3-14/3)^2 + (10-14/3)^2 = 128/3 / ... computed:
     * 121/9 + 25/9 + 256/9 = 402/9 */
    double x[3] = {1, 3, 10};
    uint32_t g[3] = {0, 0, 1};
    double sse, sst;
    ck_assert_int_eq(microagg_loss(x, 3, g, 2, &sse, &sst, NULL), 0);
    ck_assert_double_eq_tol(sse, 2.0, 1e-12);
    ck_assert_double_eq_tol(sst, 402.0 / 9.0, 1e-12);
}
END_TEST

START_TEST(vlist_keeps_and_charges)
{
    /* no folder: the area cannot spill, so the budget stops the list */
    mem_budget b;
    mem_budget_init(&b, 1000);
    spill_area a;
    spill_area_init(&a, &b, NULL);
    vlist v;
    vlist_init(&v, &a);
    ck_assert_int_eq(vlist_add(&v, "abc", 3), VLIST_OK);
    ck_assert_int_eq(vlist_add(&v, "", 0), VLIST_OK);
    ck_assert_int_eq(vlist_add(&v, "xy", 2), VLIST_OK);
    /* the arenas start at 64 ends (512 bytes) and 256 bytes */
    ck_assert_uint_eq(mem_budget_used(&b), 64 * 8 + 256);
    xf_value x = vlist_get(&v, 0), e = vlist_get(&v, 1), c = vlist_get(&v, 2);
    ck_assert(x.len == 3 && !memcmp(x.data, "abc", 3));
    ck_assert_uint_eq(e.len, 0);
    ck_assert(c.len == 2 && !memcmp(c.data, "xy", 2));
    /* 300 more bytes double the byte arena to 512: 1024 bytes, past 1000 */
    char big[300] = {0};
    ck_assert_int_eq(vlist_add(&v, big, sizeof big), VLIST_ENOMEM);
    ck_assert_uint_eq(v.n, 3);
    vlist_wipe(&v);
    ck_assert_uint_eq(mem_budget_used(&b), 0);
}
END_TEST

START_TEST(number_writer)
{
    vlist v;
    vlist_init(&v, NULL);
    ck_assert_int_eq(xf_group_add_number(&v, 2.5, 0), VLIST_OK);
    ck_assert_int_eq(xf_group_add_number(&v, -0.001, 2), VLIST_OK);
    ck_assert_int_eq(xf_group_add_number(&v, 1234.5678, 2), VLIST_OK);
    xf_value n0 = vlist_get(&v, 0), n1 = vlist_get(&v, 1), n2 = vlist_get(&v, 2);
    /* printf rounds the binary value: 2.5 is exact, ties to even */
    ck_assert(n0.len == 1 && !memcmp(n0.data, "2", 1));
    ck_assert(n1.len == 4 && !memcmp(n1.data, "0.00", 4)); /* never "-0.00" */
    ck_assert(n2.len == 7 && !memcmp(n2.data, "1234.57", 7));
    vlist_wipe(&v);
}
END_TEST

Suite *microagg_suite(void); /* called by check_main.c */
Suite *microagg_suite(void)
{
    Suite *s = suite_create("microagg");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, optimal_equals_exhaustive_search);
    tcase_add_test(tc, optimal_refuses_bad_k);
    tcase_add_test(tc, mdav_readme_example);
    tcase_add_test(tc, mdav_line_by_hand);
    tcase_add_test(tc, mdav_groups_are_at_least_k);
    tcase_add_test(tc, loss_by_hand);
    tcase_add_test(tc, vlist_keeps_and_charges);
    tcase_add_test(tc, number_writer);
    suite_add_tcase(s, tc);
    return s;
}
