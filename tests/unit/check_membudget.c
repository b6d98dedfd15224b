/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_membudget.c - the memory budget: the counter and its limit, what
 * strmap, idindex and the class table charge and give back, CLASS_EBUDGET
 * leaving a table as it was, and the message naming the budget reached.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "deid_limits.h"
#include "idindex.h"
#include "membudget.h"
#include "sysmem.h"
#include "strmap.h"

START_TEST(counter_limit_and_release)
{
    mem_budget b;
    mem_budget_init(&b, 1000);
    ck_assert_int_eq(mem_budget_charge(&b, 600), 0);
    ck_assert_int_eq(mem_budget_charge(&b, 400), 0); /* exactly the limit is fine */
    ck_assert_uint_eq(mem_budget_used(&b), 1000);
    ck_assert_int_eq(mem_budget_charge(&b, 1), -1);  /* one byte over is not */
    ck_assert_uint_eq(mem_budget_used(&b), 1000);     /* and charges nothing */
    mem_budget_release(&b, 600);
    ck_assert_uint_eq(mem_budget_used(&b), 400);
    ck_assert_int_eq(mem_budget_charge(&b, 600), 0);
    ck_assert_int_eq(mem_budget_charge(&b, SIZE_MAX), -1); /* no wrap-around */
    ck_assert_uint_eq(b.peak, 1000);

    /* 0 is no limit; NULL accepts everything. */
    mem_budget_init(&b, 0);
    ck_assert_int_eq(mem_budget_charge(&b, SIZE_MAX / 2), 0);
    ck_assert_int_eq(mem_budget_charge(NULL, SIZE_MAX), 0);
    mem_budget_release(NULL, 5);
    ck_assert_uint_eq(mem_budget_used(NULL), 0);
}
END_TEST

START_TEST(default_is_positive_and_exported)
{
    size_t d = sysmem_default_budget();
    ck_assert_uint_gt(d, 0);
    ck_assert_uint_eq(deid_default_memory(), d);
}
END_TEST

START_TEST(format_and_message)
{
    char buf[64];
    mem_budget_format(512u << 20, buf, sizeof buf);
    ck_assert_str_eq(buf, "512 MiB");
    mem_budget_format((size_t)3 << 29, buf, sizeof buf);
    ck_assert_str_eq(buf, "1.5 GiB");
    mem_budget_format(262144, buf, sizeof buf);
    ck_assert_str_eq(buf, "256 KiB");
    mem_budget_format(100, buf, sizeof buf);
    ck_assert_str_eq(buf, "100 bytes");

    mem_budget b;
    mem_budget_init(&b, 512u << 20);
    deid_error err;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(mem_budget_error(&b, "the class table", 3400000, &err), DEID_E_IO);
    ck_assert_int_eq(err.status, DEID_E_IO);
    ck_assert_str_eq(err.message, "memory budget of 512 MiB reached by the class table: "
                                  "3,400,000 classes; raise it (--memory) or use fewer or "
                                  "coarser quasi-identifiers");
    mem_budget_error(&b, "a lane", MEM_BUDGET_UNCOUNTED, &err);
    ck_assert_ptr_null(strstr(err.message, "classes;"));
    mem_budget_error(&b, "x", 999, &err);
    ck_assert_ptr_nonnull(strstr(err.message, ": 999 classes;"));
    mem_budget_error(&b, "x", 1000, &err);
    ck_assert_ptr_nonnull(strstr(err.message, ": 1,000 classes;"));
}
END_TEST

START_TEST(strmap_charges_what_it_holds)
{
    mem_budget b;
    mem_budget_init(&b, 0);
    strmap *m = strmap_new(1000000);
    ck_assert_int_eq(strmap_set_budget(m, &b), 0);
    ck_assert_uint_eq(mem_budget_used(&b), strmap_memory(m));
    char key[32];
    for (int i = 0; i < 50000; i++) {
        int len = snprintf(key, sizeof key, "key-%d", i);
        ck_assert_int_eq(strmap_put(m, key, (size_t)len, (uint32_t)i, NULL), STRMAP_ADDED);
    }
    /* At least 16 bytes of entry, 8 * 4/3 of slot and the key per entry. */
    ck_assert_uint_ge(strmap_memory(m), 50000u * (16 + 10 + 9));
    ck_assert_uint_eq(mem_budget_used(&b), strmap_memory(m));
    strmap_free(m);
    ck_assert_uint_eq(mem_budget_used(&b), 0);
}
END_TEST

START_TEST(strmap_refuses_past_the_budget)
{
    mem_budget b;
    mem_budget_init(&b, 64 * 1024);
    strmap *m = strmap_new(1000000);
    ck_assert_int_eq(strmap_set_budget(m, &b), 0);
    char key[32];
    int i, rc = STRMAP_ADDED;
    for (i = 0; i < 100000 && rc == STRMAP_ADDED; i++) {
        int len = snprintf(key, sizeof key, "key-%d", i);
        rc = strmap_put(m, key, (size_t)len, (uint32_t)i, NULL);
    }
    ck_assert_int_eq(rc, STRMAP_EBUDGET);
    size_t n = strmap_count(m);
    ck_assert_uint_eq(n, (size_t)i - 1); /* the refused key is not in */
    ck_assert_uint_le(mem_budget_used(&b), 64 * 1024);
    ck_assert_int_eq(strmap_get(m, key, strlen(key), NULL), 0);
    /* Known keys still answer; a second map on the budget gets nothing. */
    ck_assert_int_eq(strmap_get(m, "key-0", 5, NULL), 1);
    ck_assert_int_eq(strmap_put(m, "key-1", 5, 0, NULL), STRMAP_EXISTS);
    strmap_free(m);
    ck_assert_uint_eq(mem_budget_used(&b), 0);

    mem_budget_init(&b, 8);
    m = strmap_new(10);
    ck_assert_int_eq(strmap_set_budget(m, &b), STRMAP_EBUDGET);
    ck_assert_uint_eq(mem_budget_used(&b), 0);
    strmap_free(m);
}
END_TEST

/* idindex keyed by the caller's array of strings. */
typedef struct words {
    const char **w;
    const char *sought;
} words;

static int word_eq(const void *ctx, uint32_t id)
{
    const words *x = ctx;
    return strcmp(x->w[id], x->sought) == 0;
}

START_TEST(idindex_finds_what_was_added)
{
    mem_budget b;
    mem_budget_init(&b, 0);
    idindex *x = idindex_new(&b);
    ck_assert_ptr_nonnull(x);
    enum { N = 20000 };
    char (*text)[16] = malloc(N * sizeof *text);
    const char **w = malloc(N * sizeof *w);
    for (uint32_t i = 0; i < N; i++) {
        snprintf(text[i], sizeof text[i], "w%u", i * 7u);
        w[i] = text[i];
        words q = {w, w[i]};
        uint32_t h = idindex_hash(x, w[i], strlen(w[i]));
        ck_assert_int_eq(idindex_find(x, h, word_eq, &q, NULL), 0);
        ck_assert_int_eq(idindex_reserve(x), IDINDEX_OK);
        idindex_add(x, h, i);
    }
    ck_assert_uint_eq(idindex_count(x), N);
    for (uint32_t i = 0; i < N; i++) {
        words q = {w, w[i]};
        uint32_t id = 0;
        ck_assert_int_eq(idindex_find(x, idindex_hash(x, w[i], strlen(w[i])), word_eq, &q, &id), 1);
        ck_assert_uint_eq(id, i);
    }
    words q = {w, "w1"}; /* 1 is no multiple of 7 */
    ck_assert_int_eq(idindex_find(x, idindex_hash(x, "w1", 2), word_eq, &q, NULL), 0);
    /* 8-byte slots at most 3/4 full: 32768 slots for 20000 ids. */
    ck_assert_uint_eq(mem_budget_used(&b), 32768u * 8);
    idindex_free(x);
    ck_assert_uint_eq(mem_budget_used(&b), 0);
    free(w);
    free(text);
}
END_TEST

START_TEST(idindex_refuses_past_the_budget)
{
    mem_budget b;
    mem_budget_init(&b, 64 * 8 + 100); /* the first table, not the second */
    idindex *x = idindex_new(&b);
    ck_assert_ptr_nonnull(x);
    for (uint32_t i = 0; i < 48; i++) {
        ck_assert_int_eq(idindex_reserve(x), IDINDEX_OK);
        idindex_add(x, i * 2654435761u, i);
    }
    ck_assert_int_eq(idindex_reserve(x), IDINDEX_EBUDGET);
    ck_assert_uint_eq(idindex_count(x), 48);
    idindex_free(x);
    ck_assert_uint_eq(mem_budget_used(&b), 0);
    mem_budget_init(&b, 10);
    ck_assert_ptr_null(idindex_new(&b));
}
END_TEST

/* Record i of a synthetic file: 3 QIs (i % 97, i % 89, i % 83: 716,639
 * classes before they repeat) and, when sens, one sensitive value. */
static void record(unsigned i, char buf[4][16], xf_value *qi, xf_value *sv)
{
    unsigned mod[3] = {97, 89, 83};
    for (int q = 0; q < 3; q++) {
        int len = snprintf(buf[q], 16, "q%u", i % mod[q]);
        qi[q] = (xf_value){buf[q], (size_t)len};
    }
    int len = snprintf(buf[3], 16, "s%u", i % 5);
    *sv = (xf_value){buf[3], (size_t)len};
}

START_TEST(class_table_stops_at_the_budget_unchanged)
{
    for (size_t n_sens = 0; n_sens <= 1; n_sens++) {
        mem_budget b;
        mem_budget_init(&b, 256 * 1024);
        class_table *t = class_table_new_budget(3, n_sens, "*", DEID_MAX_CLASSES, &b);
        ck_assert_ptr_nonnull(t);
        char buf[4][16];
        xf_value qi[3], sv;
        unsigned i;
        int rc = CLASS_OK;
        for (i = 0; i < 100000 && rc == CLASS_OK; i++) {
            record(i, buf, qi, &sv);
            rc = class_table_add(t, qi, &sv, NULL);
        }
        ck_assert_int_eq(rc, CLASS_EBUDGET);
        unsigned failed = i - 1; /* every record so far was a new class */
        ck_assert_uint_le(mem_budget_used(&b), 256 * 1024);
        ck_assert_uint_ge(mem_budget_used(&b), 128 * 1024); /* it did fill up */
        if (n_sens == 0) {
            /* k-only: the table is as it was before the refused record */
            ck_assert_uint_eq(class_table_classes(t), failed);
            ck_assert_uint_eq(class_table_records(t), failed);
            record(failed, buf, qi, &sv);
            ck_assert_int_eq(class_table_find(t, qi, NULL), 0);
        }
        /* A known class still takes records without growing anything. */
        record(0, buf, qi, &sv);
        uint32_t c = 99;
        ck_assert_int_eq(class_table_add(t, qi, &sv, &c), CLASS_OK);
        ck_assert_uint_eq(c, 0);
        ck_assert_uint_eq(class_table_size(t, 0), 2);
        class_table_free(t);
        ck_assert_uint_eq(mem_budget_used(&b), 0);
    }
}
END_TEST

START_TEST(class_table_same_with_and_without_budget)
{
    mem_budget b;
    mem_budget_init(&b, 64u << 20);
    class_table *with = class_table_new_budget(3, 1, "*", DEID_MAX_CLASSES, &b);
    class_table *without = class_table_new(3, 1, "*", DEID_MAX_CLASSES);
    char buf[4][16];
    xf_value qi[3], sv;
    for (unsigned i = 0; i < 30000; i++) {
        record(i * 13 % 1000, buf, qi, &sv); /* 1000 classes, repeated */
        uint32_t a, b2;
        ck_assert_int_eq(class_table_add(with, qi, &sv, &a), CLASS_OK);
        ck_assert_int_eq(class_table_add(without, qi, &sv, &b2), CLASS_OK);
        ck_assert_uint_eq(a, b2);
    }
    ck_assert_uint_eq(class_table_classes(with), 1000);
    ck_assert_uint_eq(class_table_classes(without), 1000);
    for (uint32_t c = 0; c < 1000; c++) {
        ck_assert_uint_eq(class_table_size(with, c), 30);
        ck_assert_uint_eq(class_table_size(without, c), 30);
        for (size_t q = 0; q < 3; q++)
            ck_assert_uint_eq(class_table_qi_id(with, c, q), class_table_qi_id(without, c, q));
    }
    /* What the table says it holds is what it charged, give or take its
     * fixed part (the table struct, token and per-column headers). */
    ck_assert_uint_le(mem_budget_used(&b), class_table_memory(with));
    ck_assert_uint_ge(mem_budget_used(&b) + 1024, class_table_memory(with));
    class_table_free(with);
    class_table_free(without);
    ck_assert_uint_eq(mem_budget_used(&b), 0);
}
END_TEST

Suite *membudget_suite(void); /* called by check_main.c */
Suite *membudget_suite(void)
{
    Suite *s = suite_create("membudget");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, counter_limit_and_release);
    tcase_add_test(tc, default_is_positive_and_exported);
    tcase_add_test(tc, format_and_message);
    tcase_add_test(tc, strmap_charges_what_it_holds);
    tcase_add_test(tc, strmap_refuses_past_the_budget);
    tcase_add_test(tc, idindex_finds_what_was_added);
    tcase_add_test(tc, idindex_refuses_past_the_budget);
    tcase_add_test(tc, class_table_stops_at_the_budget_unchanged);
    tcase_add_test(tc, class_table_same_with_and_without_budget);
    suite_add_tcase(s, tc);
    return s;
}
