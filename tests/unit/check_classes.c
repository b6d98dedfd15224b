/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_classes.c - the equivalence-class table: class numbering, sizes,
 * QI dictionaries, sensitive distributions per class and overall, the
 * suppression convention, limits (CLASS_EFULL leaves the table unchanged),
 * memory accounting, and a randomized comparison with a naive count made by
 * sorting the records' QI tuples.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "deid_limits.h"

static xf_value V(const char *s)
{
    return (xf_value){s, strlen(s)};
}

static int add2(class_table *t, const char *a, const char *b, const char *s, uint32_t *c)
{
    xf_value qi[2] = {V(a), V(b)};
    xf_value sens[1] = {V(s)};
    return class_table_add(t, qi, sens, c);
}

static int value_is(xf_value v, const char *s)
{
    return v.len == strlen(s) && memcmp(v.data, s, v.len) == 0;
}

/* Collects a class's distribution, indexed by value id. */
typedef struct dist {
    uint64_t count[16];
    int calls;
} dist;

static void collect(void *ctx, uint32_t v, uint64_t n)
{
    dist *d = ctx;
    ck_assert_uint_lt(v, 16);
    ck_assert_uint_eq(d->count[v], 0); /* each value once */
    d->count[v] = n;
    d->calls++;
}

START_TEST(new_rejects_bad_arguments)
{
    ck_assert_ptr_null(class_table_new(0, 1, "*", 10));
    ck_assert_ptr_null(class_table_new(1, 0, "*", 0));
    ck_assert_ptr_null(class_table_new(1, 0, NULL, 10));
    ck_assert_ptr_null(class_table_new(DEID_MAX_FIELDS + 1, 0, "*", 10));
    class_table *t = class_table_new(1, 0, "*", 10);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(class_table_n_qi(t), 1);
    ck_assert_uint_eq(class_table_n_sensitive(t), 0);
    ck_assert_uint_eq(class_table_classes(t), 0);
    ck_assert_uint_eq(class_table_records(t), 0);
    ck_assert_uint_eq(class_table_suppressed(t), 0);
    class_table_free(t);
    class_table_free(NULL);
}
END_TEST

START_TEST(classes_sizes_and_values)
{
    class_table *t = class_table_new(2, 1, "*", 100);
    uint32_t c = 99;
    ck_assert_int_eq(add2(t, "30", "F", "flu", &c), CLASS_OK);
    ck_assert_uint_eq(c, 0);
    ck_assert_int_eq(add2(t, "40", "M", "cold", &c), CLASS_OK);
    ck_assert_uint_eq(c, 1);
    ck_assert_int_eq(add2(t, "30", "F", "cold", &c), CLASS_OK);
    ck_assert_uint_eq(c, 0);
    ck_assert_int_eq(add2(t, "30", "M", "flu", &c), CLASS_OK); /* known values, new combination */
    ck_assert_uint_eq(c, 2);
    ck_assert_int_eq(add2(t, "30", "F", "flu", &c), CLASS_OK);
    ck_assert_uint_eq(c, 0);
    ck_assert_int_eq(add2(t, "", "F", "", NULL), CLASS_OK); /* empty values are values */
    /* Values are compared as whole byte strings: "3" + "0F" is not "30" + "F". */
    ck_assert_int_eq(add2(t, "3", "0F", "flu", &c), CLASS_OK);
    ck_assert_uint_eq(c, 4);

    ck_assert_uint_eq(class_table_classes(t), 5);
    ck_assert_uint_eq(class_table_records(t), 7);
    ck_assert_uint_eq(class_table_suppressed(t), 0);
    ck_assert_uint_eq(class_table_size(t, 0), 3);
    ck_assert_uint_eq(class_table_size(t, 1), 1);
    ck_assert_uint_eq(class_table_size(t, 2), 1);
    ck_assert_uint_eq(class_table_size(t, 3), 1);
    ck_assert_uint_eq(class_table_size(t, 4), 1);
    ck_assert_uint_eq(class_table_size(t, 5), 0); /* out of range */

    ck_assert(value_is(class_table_qi_value(t, 2, 0), "30"));
    ck_assert(value_is(class_table_qi_value(t, 2, 1), "M"));
    ck_assert(value_is(class_table_qi_value(t, 3, 0), ""));
    ck_assert(value_is(class_table_qi_value(t, 4, 1), "0F"));
    /* Dictionary ids: column 0 saw 30, 40, "", 3; column 1 F, M, 0F. */
    ck_assert_uint_eq(class_table_qi_id(t, 1, 0), 1);
    ck_assert_uint_eq(class_table_qi_id(t, 2, 0), 0);
    ck_assert_uint_eq(class_table_qi_id(t, 2, 1), 1);
    ck_assert_uint_eq(class_table_qi_id(t, 4, 0), 3);
    ck_assert_uint_eq(class_table_qi_id(t, 5, 0), UINT32_MAX);
    ck_assert_uint_eq(class_table_qi_id(t, 0, 2), UINT32_MAX);
    ck_assert_uint_eq(class_table_qi_distinct(t, 0), 4);
    ck_assert_uint_eq(class_table_qi_distinct(t, 1), 3);

    /* Sensitive: flu, cold, "" in order of first appearance. */
    ck_assert_uint_eq(class_table_sensitive_distinct(t, 0), 3);
    ck_assert(value_is(class_table_sensitive_value(t, 0, 0), "flu"));
    ck_assert(value_is(class_table_sensitive_value(t, 0, 1), "cold"));
    ck_assert(value_is(class_table_sensitive_value(t, 0, 2), ""));
    ck_assert_uint_eq(class_table_sensitive_count(t, 0, 0), 4);
    ck_assert_uint_eq(class_table_sensitive_count(t, 0, 1), 2);
    ck_assert_uint_eq(class_table_sensitive_count(t, 0, 2), 1);
    ck_assert_uint_eq(class_table_sensitive_count(t, 0, 3), 0);
    ck_assert_uint_eq(class_table_sensitive_distinct(t, 1), 0); /* no such column */

    dist d = {{0}, 0};
    class_table_class_values(t, 0, 0, collect, &d);
    ck_assert_int_eq(d.calls, 2);
    ck_assert_uint_eq(d.count[0], 2);
    ck_assert_uint_eq(d.count[1], 1);
    memset(&d, 0, sizeof d);
    class_table_class_values(t, 1, 0, collect, &d);
    ck_assert_int_eq(d.calls, 1);
    ck_assert_uint_eq(d.count[1], 1);
    memset(&d, 0, sizeof d);
    class_table_class_values(t, 3, 0, collect, &d);
    ck_assert_int_eq(d.calls, 1);
    ck_assert_uint_eq(d.count[2], 1);
    memset(&d, 0, sizeof d);
    class_table_class_values(t, 9, 0, collect, &d); /* out of range: nothing */
    class_table_class_values(t, 0, 1, collect, &d);
    ck_assert_int_eq(d.calls, 0);

    /* find adds nothing. */
    xf_value q[2] = {V("40"), V("M")};
    ck_assert_int_eq(class_table_find(t, q, &c), 1);
    ck_assert_uint_eq(c, 1);
    q[1] = V("F");
    ck_assert_int_eq(class_table_find(t, q, &c), 0); /* both values known, combination not */
    q[0] = V("99");
    ck_assert_int_eq(class_table_find(t, q, NULL), 0);
    ck_assert_uint_eq(class_table_classes(t), 5);
    ck_assert_uint_eq(class_table_qi_distinct(t, 0), 4);
    class_table_free(t);
}
END_TEST

START_TEST(suppressed_records)
{
    class_table *t = class_table_new(2, 2, "*", 100);
    xf_value qi[2] = {V("*"), V("*")};
    xf_value sens[2] = {V("flu"), V("10")};
    uint32_t c = 0;
    ck_assert_int_eq(class_table_add(t, qi, sens, &c), CLASS_OK);
    ck_assert_uint_eq(c, CLASS_SUPPRESSED);
    sens[0] = V("cancer");
    ck_assert_int_eq(class_table_add(t, qi, sens, NULL), CLASS_OK);
    /* Only one QI is the token: an ordinary class whose value is "*". */
    qi[0] = V("30");
    sens[0] = V("flu");
    ck_assert_int_eq(class_table_add(t, qi, sens, &c), CLASS_OK);
    ck_assert_uint_eq(c, 0);
    /* "**" is not the token. */
    qi[0] = V("**");
    ck_assert_int_eq(class_table_add(t, qi, sens, &c), CLASS_OK);
    ck_assert_uint_eq(c, 1);

    ck_assert_uint_eq(class_table_suppressed(t), 2);
    ck_assert_uint_eq(class_table_records(t), 2);
    ck_assert_uint_eq(class_table_classes(t), 2);
    ck_assert_uint_eq(class_table_size(t, 0), 1);
    /* Dictionaries hold values of non-suppressed records only: column 0
     * saw 30 and **, column 1 only *. */
    ck_assert_uint_eq(class_table_qi_distinct(t, 0), 2);
    ck_assert_uint_eq(class_table_qi_distinct(t, 1), 1);
    ck_assert(value_is(class_table_qi_value(t, 0, 1), "*"));
    /* Overall sensitive counts include the suppressed records. */
    ck_assert_uint_eq(class_table_sensitive_distinct(t, 0), 2);
    ck_assert(value_is(class_table_sensitive_value(t, 0, 0), "flu"));
    ck_assert(value_is(class_table_sensitive_value(t, 0, 1), "cancer"));
    ck_assert_uint_eq(class_table_sensitive_count(t, 0, 0), 3);
    ck_assert_uint_eq(class_table_sensitive_count(t, 0, 1), 1);
    ck_assert_uint_eq(class_table_sensitive_count(t, 1, 0), 4);
    /* ... but in no class: class 0 holds flu once. */
    dist d = {{0}, 0};
    class_table_class_values(t, 0, 0, collect, &d);
    ck_assert_int_eq(d.calls, 1);
    ck_assert_uint_eq(d.count[0], 1);

    qi[0] = V("*");
    ck_assert_int_eq(class_table_find(t, qi, &c), 1);
    ck_assert_uint_eq(c, CLASS_SUPPRESSED);
    class_table_free(t);

    /* Another token, and an empty one. */
    t = class_table_new(1, 0, "(none)", 10);
    xf_value one = V("(none)");
    ck_assert_int_eq(class_table_add(t, &one, NULL, &c), CLASS_OK);
    ck_assert_uint_eq(c, CLASS_SUPPRESSED);
    one = V("*");
    ck_assert_int_eq(class_table_add(t, &one, NULL, &c), CLASS_OK);
    ck_assert_uint_eq(c, 0);
    class_table_free(t);
    t = class_table_new(1, 0, "", 10);
    one = V("");
    ck_assert_int_eq(class_table_add(t, &one, NULL, &c), CLASS_OK);
    ck_assert_uint_eq(c, CLASS_SUPPRESSED);
    ck_assert_uint_eq(class_table_suppressed(t), 1);
    class_table_free(t);
}
END_TEST

START_TEST(limit_on_classes)
{
    class_table *t = class_table_new(2, 1, "*", 3);
    ck_assert_int_eq(add2(t, "a", "1", "x", NULL), CLASS_OK);
    ck_assert_int_eq(add2(t, "a", "2", "x", NULL), CLASS_OK);
    ck_assert_int_eq(add2(t, "b", "1", "y", NULL), CLASS_OK);
    size_t mem = class_table_memory(t);
    /* A fourth class, from new values or from known ones: full, and the
     * table is unchanged. */
    ck_assert_int_eq(add2(t, "c", "3", "x", NULL), CLASS_EFULL);
    ck_assert_int_eq(add2(t, "b", "2", "x", NULL), CLASS_EFULL);
    ck_assert_uint_eq(class_table_classes(t), 3);
    ck_assert_uint_eq(class_table_records(t), 3);
    ck_assert_uint_eq(class_table_qi_distinct(t, 0), 2);
    ck_assert_uint_eq(class_table_qi_distinct(t, 1), 2);
    ck_assert_uint_eq(class_table_sensitive_count(t, 0, 0), 2);
    ck_assert_uint_eq(class_table_memory(t), mem);
    /* Existing classes still take records. */
    uint32_t c;
    ck_assert_int_eq(add2(t, "a", "2", "x", &c), CLASS_OK);
    ck_assert_uint_eq(c, 1);
    ck_assert_uint_eq(class_table_size(t, 1), 2);
    /* Suppressed records need no class. */
    ck_assert_int_eq(add2(t, "*", "*", "x", &c), CLASS_OK);
    ck_assert_uint_eq(c, CLASS_SUPPRESSED);
    ck_assert_uint_eq(class_table_records(t), 4);
    ck_assert_uint_eq(class_table_suppressed(t), 1);
    class_table_free(t);

    /* Distinct sensitive values: suppressed records add values but no
     * (class, value) pairs, so this reaches the value limit alone. */
    t = class_table_new(2, 1, "*", 3);
    ck_assert_int_eq(add2(t, "*", "*", "x", NULL), CLASS_OK);
    ck_assert_int_eq(add2(t, "*", "*", "y", NULL), CLASS_OK);
    ck_assert_int_eq(add2(t, "*", "*", "z", NULL), CLASS_OK);
    ck_assert_int_eq(add2(t, "*", "*", "w", NULL), CLASS_EFULL);
    ck_assert_int_eq(add2(t, "a", "1", "w", NULL), CLASS_EFULL);
    ck_assert_uint_eq(class_table_classes(t), 0);
    ck_assert_uint_eq(class_table_qi_distinct(t, 0), 0);
    ck_assert_int_eq(add2(t, "a", "1", "z", NULL), CLASS_OK);
    ck_assert_uint_eq(class_table_sensitive_distinct(t, 0), 3);
    ck_assert_uint_eq(class_table_sensitive_count(t, 0, 2), 2);
    ck_assert_uint_eq(class_table_records(t), 1);
    ck_assert_uint_eq(class_table_suppressed(t), 3);
    class_table_free(t);

    /* Without sensitive columns only the class limit applies. */
    t = class_table_new(2, 0, "*", 3);
    xf_value k2[2] = {V("a"), V("1")};
    ck_assert_int_eq(class_table_add(t, k2, NULL, NULL), CLASS_OK);
    k2[1] = V("2");
    ck_assert_int_eq(class_table_add(t, k2, NULL, NULL), CLASS_OK);
    k2[0] = V("b");
    ck_assert_int_eq(class_table_add(t, k2, NULL, NULL), CLASS_OK);
    mem = class_table_memory(t);
    k2[1] = V("1");
    ck_assert_int_eq(class_table_add(t, k2, NULL, NULL), CLASS_EFULL);
    k2[0] = V("c");
    ck_assert_int_eq(class_table_add(t, k2, NULL, NULL), CLASS_EFULL);
    ck_assert_uint_eq(class_table_classes(t), 3);
    ck_assert_uint_eq(class_table_records(t), 3);
    ck_assert_uint_eq(class_table_qi_distinct(t, 0), 2);
    ck_assert_uint_eq(class_table_memory(t), mem);
    ck_assert_int_eq(class_table_find(t, k2, NULL), 0);
    k2[0] = V("b");
    k2[1] = V("2");
    ck_assert_int_eq(class_table_add(t, k2, NULL, NULL), CLASS_OK);
    ck_assert_uint_eq(class_table_size(t, 2), 2);
    class_table_free(t);

    /* (class, value) pairs are bounded too: 2 classes, 2 values, limit 3. */
    t = class_table_new(1, 1, "*", 3);
    xf_value q = V("a"), s = V("x");
    ck_assert_int_eq(class_table_add(t, &q, &s, NULL), CLASS_OK);
    s = V("y");
    ck_assert_int_eq(class_table_add(t, &q, &s, NULL), CLASS_OK);
    q = V("b");
    ck_assert_int_eq(class_table_add(t, &q, &s, NULL), CLASS_OK);
    s = V("x");
    ck_assert_int_eq(class_table_add(t, &q, &s, NULL), CLASS_EFULL); /* 4th pair */
    ck_assert_uint_eq(class_table_size(t, 1), 1);
    ck_assert_uint_eq(class_table_records(t), 3);
    ck_assert_uint_eq(class_table_sensitive_count(t, 0, 0), 1);
    class_table_free(t);
}
END_TEST

/* 9 QIs with 5 values each, as in the memory benchmark: class i has the
 * base-5 digits of i as its values. */
static void digits_record(uint32_t i, char buf[9][4], xf_value qi[9])
{
    for (int q = 0; q < 9; q++) {
        int len = snprintf(buf[q], 4, "v%u", i % 5);
        qi[q] = (xf_value){buf[q], (size_t)len};
        i /= 5;
    }
}

START_TEST(memory_accounting)
{
    enum { N = 200000 };
    class_table *t = class_table_new(9, 0, "*", DEID_MAX_CLASSES);
    size_t base = class_table_memory(t);
    ck_assert_uint_lt(base, 64 * 1024);
    char buf[9][4];
    xf_value qi[9];
    for (uint32_t i = 0; i < N; i++) {
        digits_record(i, buf, qi);
        ck_assert_int_eq(class_table_add(t, qi, NULL, NULL), CLASS_OK);
    }
    ck_assert_uint_eq(class_table_classes(t), N);
    size_t mem = class_table_memory(t);
    /* Each class holds at least its 36-byte key, a 16-byte strmap entry,
     * an 8-byte slot and an 8-byte size; the budget is 128 bytes. */
    ck_assert_uint_ge(mem - base, (size_t)N * (36 + 16 + 8 + 8));
    ck_assert_uint_le(mem - base, (size_t)N * 128);
    /* More records of the same classes cost nothing. */
    for (uint32_t i = 0; i < N; i++) {
        digits_record(i, buf, qi);
        ck_assert_int_eq(class_table_add(t, qi, NULL, NULL), CLASS_OK);
    }
    ck_assert_uint_eq(class_table_memory(t), mem);
    ck_assert_uint_eq(class_table_records(t), 2 * N);
    ck_assert_uint_eq(class_table_size(t, N - 1), 2);
    ck_assert_uint_eq(class_table_qi_distinct(t, 0), 5);
    class_table_free(t);

    /* Value bytes count: a 100,000-byte QI value and a 50,000-byte
     * sensitive value. */
    t = class_table_new(1, 1, "*", 10);
    xf_value q = V("short"), sv = V("s");
    ck_assert_int_eq(class_table_add(t, &q, &sv, NULL), CLASS_OK);
    base = class_table_memory(t);
    char *big = malloc(100000);
    memset(big, 'x', 100000);
    q = (xf_value){big, 100000};
    sv = (xf_value){big, 50000};
    ck_assert_int_eq(class_table_add(t, &q, &sv, NULL), CLASS_OK);
    ck_assert_uint_ge(class_table_memory(t), base + 150000);
    ck_assert_uint_le(class_table_memory(t), base + 150000 + 4096);
    free(big);
    class_table_free(t);
}
END_TEST

/* ---- randomized comparison with a naive count ---- */

enum { R_N = 4000, R_NQ = 3, R_NS = 2 };

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rng_state >> 33) % n;
}

typedef struct rrow {
    char qi[R_NQ][8];
    char sens[R_NS][8];
    char key[32]; /* the QI tuple joined with '|' */
    int suppressed;
} rrow;

static int cmp_row_key(const void *a, const void *b)
{
    return strcmp((*(const rrow *const *)a)->key, (*(const rrow *const *)b)->key);
}

START_TEST(random_tables_match_naive_count)
{
    static rrow rows[R_N];
    static rrow *sorted[R_N];
    for (unsigned seed = 1; seed <= 5; seed++) {
        rng_state = seed;
        class_table *t = class_table_new(R_NQ, R_NS, "*", 100000);
        size_t n_sorted = 0, n_supp = 0;
        for (size_t i = 0; i < R_N; i++) {
            rrow *r = &rows[i];
            r->suppressed = rnd(20) == 0;
            for (int q = 0; q < R_NQ; q++) {
                if (r->suppressed)
                    strcpy(r->qi[q], "*");
                else /* skewed domains, and the token as an ordinary value now and then */
                    snprintf(r->qi[q], sizeof r->qi[q], "%u", rnd(q + 2) * rnd(7 + 3 * q));
                if (!r->suppressed && rnd(50) == 0)
                    strcpy(r->qi[q], "*");
            }
            if (!r->suppressed) {
                int all = 1;
                for (int q = 0; q < R_NQ; q++)
                    all &= strcmp(r->qi[q], "*") == 0;
                r->suppressed = all;
            }
            for (int s = 0; s < R_NS; s++)
                snprintf(r->sens[s], sizeof r->sens[s], "s%u", rnd(s ? 12 : 3));
            snprintf(r->key, sizeof r->key, "%.7s|%.7s|%.7s", r->qi[0], r->qi[1], r->qi[2]);
            xf_value qi[R_NQ], sv[R_NS];
            for (int q = 0; q < R_NQ; q++)
                qi[q] = V(r->qi[q]);
            for (int s = 0; s < R_NS; s++)
                sv[s] = V(r->sens[s]);
            uint32_t c;
            ck_assert_int_eq(class_table_add(t, qi, sv, &c), CLASS_OK);
            ck_assert((c == CLASS_SUPPRESSED) == r->suppressed);
            if (r->suppressed)
                n_supp++;
            else
                sorted[n_sorted++] = r;
        }
        qsort(sorted, n_sorted, sizeof *sorted, cmp_row_key);
        ck_assert_uint_eq(class_table_records(t), n_sorted);
        ck_assert_uint_eq(class_table_suppressed(t), n_supp);

        /* Each run of equal keys is one class: same size, same sensitive
         * distribution. */
        size_t runs = 0;
        for (size_t a = 0; a < n_sorted;) {
            size_t b = a;
            while (b < n_sorted && strcmp(sorted[b]->key, sorted[a]->key) == 0)
                b++;
            runs++;
            xf_value qi[R_NQ];
            for (int q = 0; q < R_NQ; q++)
                qi[q] = V(sorted[a]->qi[q]);
            uint32_t c;
            ck_assert_int_eq(class_table_find(t, qi, &c), 1);
            ck_assert_uint_eq(class_table_size(t, c), b - a);
            for (int q = 0; q < R_NQ; q++)
                ck_assert(value_is(class_table_qi_value(t, c, q), sorted[a]->qi[q]));
            for (int s = 0; s < R_NS; s++) {
                dist d = {{0}, 0};
                class_table_class_values(t, c, s, collect, &d);
                uint64_t want[16] = {0};
                int distinct = 0;
                for (size_t i = a; i < b; i++) {
                    uint32_t v = 0;
                    while (!value_is(class_table_sensitive_value(t, s, v), sorted[i]->sens[s]))
                        v++;
                    ck_assert_uint_lt(v, 16);
                    distinct += want[v]++ == 0;
                }
                ck_assert_int_eq(d.calls, distinct);
                for (int v = 0; v < 16; v++)
                    ck_assert_uint_eq(d.count[v], want[v]);
            }
            a = b;
        }
        ck_assert_uint_eq(class_table_classes(t), runs);

        /* Overall sensitive counts, suppressed records included. */
        for (int s = 0; s < R_NS; s++) {
            uint64_t total = 0;
            for (uint32_t v = 0; v < class_table_sensitive_distinct(t, s); v++) {
                uint64_t want = 0;
                for (size_t i = 0; i < R_N; i++)
                    want += value_is(class_table_sensitive_value(t, s, v), rows[i].sens[s]);
                ck_assert_uint_eq(class_table_sensitive_count(t, s, v), want);
                total += want;
            }
            ck_assert_uint_eq(total, R_N);
        }
        /* QI dictionaries: distinct values over non-suppressed rows. */
        for (int q = 0; q < R_NQ; q++) {
            size_t distinct = 0;
            for (size_t i = 0; i < n_sorted; i++) {
                size_t j = 0;
                while (j < i && strcmp(sorted[j]->qi[q], sorted[i]->qi[q]) != 0)
                    j++;
                distinct += j == i;
            }
            ck_assert_uint_eq(class_table_qi_distinct(t, q), distinct);
        }
        class_table_free(t);
    }
}
END_TEST

Suite *classes_suite(void); /* called by check_main.c */
Suite *classes_suite(void)
{
    Suite *s = suite_create("classes");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, new_rejects_bad_arguments);
    tcase_add_test(tc, classes_sizes_and_values);
    tcase_add_test(tc, suppressed_records);
    tcase_add_test(tc, limit_on_classes);
    tcase_add_test(tc, memory_accounting);
    tcase_add_test(tc, random_tables_match_naive_count);
    suite_add_tcase(s, tc);
    return s;
}
