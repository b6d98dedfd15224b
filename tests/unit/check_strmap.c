/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_strmap.c - the seeded string hash map: insert-if-absent semantics,
 * keys with any bytes, growth with stable key copies, the entry limit.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siphash.h"
#include "strmap.h"

START_TEST(new_rejects_bad_limits)
{
    ck_assert_ptr_null(strmap_new(0));
    ck_assert_ptr_null(strmap_new((size_t)STRMAP_MAX_ENTRIES + 1));
    strmap *m = strmap_new(1);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(strmap_count(m), 0);
    strmap_free(m);
    strmap_free(NULL);
}
END_TEST

START_TEST(put_get_and_duplicates)
{
    strmap *m = strmap_new(100);
    uint32_t v = 999;
    ck_assert_int_eq(strmap_get(m, "apple", 5, &v), 0);
    ck_assert_uint_eq(v, 999); /* untouched when absent */

    ck_assert_int_eq(strmap_put(m, "apple", 5, 7, &v), STRMAP_ADDED);
    ck_assert_uint_eq(v, 7);
    ck_assert_int_eq(strmap_put(m, "pear", 4, 8, NULL), STRMAP_ADDED);
    ck_assert_uint_eq(strmap_count(m), 2);

    /* A second put of the same key reports the first value and keeps it. */
    v = 0;
    ck_assert_int_eq(strmap_put(m, "apple", 5, 42, &v), STRMAP_EXISTS);
    ck_assert_uint_eq(v, 7);
    ck_assert_uint_eq(strmap_count(m), 2);
    ck_assert_int_eq(strmap_get(m, "apple", 5, &v), 1);
    ck_assert_uint_eq(v, 7);
    ck_assert_int_eq(strmap_get(m, "pear", 4, &v), 1);
    ck_assert_uint_eq(v, 8);
    ck_assert_int_eq(strmap_get(m, "pear", 4, NULL), 1);

    /* Prefixes and extensions are other keys. */
    ck_assert_int_eq(strmap_get(m, "appl", 4, NULL), 0);
    ck_assert_int_eq(strmap_get(m, "apples", 6, NULL), 0);
    ck_assert_int_eq(strmap_get(m, "Apple", 5, NULL), 0);

    /* The key is copied: changing the caller's buffer changes nothing. */
    char buf[8] = "plum";
    ck_assert_int_eq(strmap_put(m, buf, 4, 3, NULL), STRMAP_ADDED);
    memcpy(buf, "XXXX", 4);
    ck_assert_int_eq(strmap_get(m, "plum", 4, &v), 1);
    ck_assert_uint_eq(v, 3);
    ck_assert_int_eq(strmap_get(m, "XXXX", 4, NULL), 0);
    strmap_free(m);
}
END_TEST

START_TEST(keys_with_nul_bytes_and_empty_key)
{
    strmap *m = strmap_new(100);
    static const struct {
        const char *k;
        size_t len;
    } keys[] = {
        {"a", 1}, {"a\0", 2}, {"a\0b", 3}, {"a\0c", 3}, {"\0", 1}, {"\0\0", 2}, {"", 0},
        {"\0a", 2},
    };
    size_t n = sizeof keys / sizeof keys[0];
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(strmap_put(m, keys[i].k, keys[i].len, (uint32_t)i, NULL), STRMAP_ADDED);
    ck_assert_uint_eq(strmap_count(m), n);
    for (size_t i = 0; i < n; i++) {
        uint32_t v = 1000;
        ck_assert_int_eq(strmap_get(m, keys[i].k, keys[i].len, &v), 1);
        ck_assert_uint_eq(v, i);
        ck_assert_int_eq(strmap_put(m, keys[i].k, keys[i].len, 500, &v), STRMAP_EXISTS);
        ck_assert_uint_eq(v, i);
    }
    ck_assert_int_eq(strmap_get(m, "a\0d", 3, NULL), 0);
    ck_assert_int_eq(strmap_get(m, "\0\0\0", 3, NULL), 0);
    /* The empty key may be given as NULL. */
    uint32_t v = 1000;
    ck_assert_int_eq(strmap_get(m, NULL, 0, &v), 1);
    ck_assert_uint_eq(v, 6);

    /* Every single byte value is its own key. */
    strmap *b = strmap_new(256);
    for (unsigned c = 0; c < 256; c++) {
        unsigned char k = (unsigned char)c;
        ck_assert_int_eq(strmap_put(b, &k, 1, c, NULL), STRMAP_ADDED);
    }
    for (unsigned c = 0; c < 256; c++) {
        unsigned char k = (unsigned char)c;
        ck_assert_int_eq(strmap_get(b, &k, 1, &v), 1);
        ck_assert_uint_eq(v, c);
    }
    strmap_free(b);
    strmap_free(m);
}
END_TEST

/* Keys of one repeated byte, lengths 0..40: they differ only in length,
 * across the hash's 8-byte blocks and tail. */
START_TEST(keys_differing_in_length)
{
    strmap *m = strmap_new(100);
    char buf[41];
    memset(buf, 'z', sizeof buf);
    for (uint32_t len = 0; len <= 40; len++)
        ck_assert_int_eq(strmap_put(m, buf, len, len * 10, NULL), STRMAP_ADDED);
    for (uint32_t len = 0; len <= 40; len++) {
        uint32_t v;
        ck_assert_int_eq(strmap_get(m, buf, len, &v), 1);
        ck_assert_uint_eq(v, len * 10);
    }
    ck_assert_uint_eq(strmap_count(m), 41);
    strmap_free(m);
}
END_TEST

START_TEST(many_keys_and_growth)
{
    enum { N = 200000 };
    strmap *m = strmap_new(N);
    char k[32];
    int len = snprintf(k, sizeof k, "key-%u", 0u);
    ck_assert_int_eq(strmap_put(m, k, (size_t)len, 0, NULL), STRMAP_ADDED);
    const char *first;
    size_t first_len;
    ck_assert_int_eq(strmap_entry(m, 0, &first, &first_len, NULL), 0);

    for (uint32_t i = 1; i < N; i++) {
        len = snprintf(k, sizeof k, "key-%u", i);
        ck_assert_int_eq(strmap_put(m, k, (size_t)len, i * 3u, NULL), STRMAP_ADDED);
    }
    ck_assert_uint_eq(strmap_count(m), N);
    /* The copy of the first key did not move while the map grew. */
    ck_assert_uint_eq(first_len, 5);
    ck_assert_int_eq(memcmp(first, "key-0", 5), 0);

    for (uint32_t i = 0; i < N; i++) {
        len = snprintf(k, sizeof k, "key-%u", i);
        uint32_t v;
        ck_assert_int_eq(strmap_get(m, k, (size_t)len, &v), 1);
        ck_assert_uint_eq(v, i * 3u);
        ck_assert_int_eq(strmap_put(m, k, (size_t)len, 1, &v), STRMAP_EXISTS);
        ck_assert_uint_eq(v, i * 3u);
    }
    for (uint32_t i = N; i < N + 1000; i++) {
        len = snprintf(k, sizeof k, "key-%u", i);
        ck_assert_int_eq(strmap_get(m, k, (size_t)len, NULL), 0);
    }
    /* Entries come back in insertion order. */
    const char *key;
    size_t klen;
    uint32_t v;
    ck_assert_int_eq(strmap_entry(m, 123456, &key, &klen, &v), 0);
    ck_assert_uint_eq(klen, 10);
    ck_assert_int_eq(memcmp(key, "key-123456", 10), 0);
    ck_assert_uint_eq(v, 123456u * 3u);
    ck_assert_int_eq(strmap_entry(m, N, &key, &klen, &v), -1);
    ck_assert_int_eq(strmap_entry(m, N - 1, NULL, NULL, NULL), 0);
    strmap_free(m);
}
END_TEST

START_TEST(long_keys)
{
    /* Keys larger than an arena block, mixed with short ones. */
    strmap *m = strmap_new(10);
    size_t big = 3u << 20;
    char *a = malloc(big), *b = malloc(big);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    memset(a, 'q', big);
    memcpy(b, a, big);
    b[big - 1] = 'r'; /* differs only in the last byte */
    ck_assert_int_eq(strmap_put(m, "s", 1, 1, NULL), STRMAP_ADDED);
    ck_assert_int_eq(strmap_put(m, a, big, 2, NULL), STRMAP_ADDED);
    ck_assert_int_eq(strmap_put(m, "t", 1, 3, NULL), STRMAP_ADDED);
    ck_assert_int_eq(strmap_put(m, b, big, 4, NULL), STRMAP_ADDED);
    ck_assert_int_eq(strmap_put(m, a, big - 1, 5, NULL), STRMAP_ADDED);
    uint32_t v;
    ck_assert_int_eq(strmap_get(m, a, big, &v), 1);
    ck_assert_uint_eq(v, 2);
    ck_assert_int_eq(strmap_get(m, b, big, &v), 1);
    ck_assert_uint_eq(v, 4);
    ck_assert_int_eq(strmap_get(m, b, big - 1, &v), 1); /* = a's first big-1 bytes */
    ck_assert_uint_eq(v, 5);
    ck_assert_int_eq(strmap_get(m, "s", 1, &v), 1);
    ck_assert_uint_eq(v, 1);
    ck_assert_int_eq(strmap_get(m, "t", 1, &v), 1);
    ck_assert_uint_eq(v, 3);
    free(a);
    free(b);
    strmap_free(m);
}
END_TEST

START_TEST(limit)
{
    strmap *m = strmap_new(3);
    ck_assert_int_eq(strmap_put(m, "one", 3, 1, NULL), STRMAP_ADDED);
    ck_assert_int_eq(strmap_put(m, "two", 3, 2, NULL), STRMAP_ADDED);
    ck_assert_int_eq(strmap_put(m, "three", 5, 3, NULL), STRMAP_ADDED);
    uint32_t v = 77;
    ck_assert_int_eq(strmap_put(m, "four", 4, 4, &v), STRMAP_EFULL);
    ck_assert_uint_eq(v, 77);
    ck_assert_uint_eq(strmap_count(m), 3);
    ck_assert_int_eq(strmap_get(m, "four", 4, NULL), 0);
    /* A full map still answers for the keys it has. */
    ck_assert_int_eq(strmap_put(m, "two", 3, 9, &v), STRMAP_EXISTS);
    ck_assert_uint_eq(v, 2);
    ck_assert_int_eq(strmap_get(m, "three", 5, &v), 1);
    ck_assert_uint_eq(v, 3);
    strmap_free(m);

    /* A limit that is not a power of two, met after several growths. */
    m = strmap_new(1000);
    char k[16];
    for (unsigned i = 0; i < 1000; i++) {
        int len = snprintf(k, sizeof k, "%u", i);
        ck_assert_int_eq(strmap_put(m, k, (size_t)len, i, NULL), STRMAP_ADDED);
    }
    ck_assert_int_eq(strmap_put(m, "1000", 4, 0, NULL), STRMAP_EFULL);
    ck_assert_int_eq(strmap_put(m, "999", 3, 0, &v), STRMAP_EXISTS);
    ck_assert_uint_eq(v, 999);
    ck_assert_uint_eq(strmap_count(m), 1000);
    strmap_free(m);
}
END_TEST

/* Interning: value = entry number, as the hierarchy and map loaders use it. */
START_TEST(interning)
{
    strmap *m = strmap_new(10);
    const char *words[] = {"x", "y", "x", "z", "y", "x"};
    const uint32_t want[] = {0, 1, 0, 2, 1, 0};
    for (size_t i = 0; i < 6; i++) {
        uint32_t id;
        int rc = strmap_put(m, words[i], 1, (uint32_t)strmap_count(m), &id);
        ck_assert_int_ge(rc, 0);
        ck_assert_uint_eq(id, want[i]);
    }
    ck_assert_uint_eq(strmap_count(m), 3);
    const char *key;
    size_t len;
    ck_assert_int_eq(strmap_entry(m, 2, &key, &len, NULL), 0);
    ck_assert_uint_eq(len, 1);
    ck_assert_int_eq(key[0], 'z');
    strmap_free(m);
}
END_TEST

/* strmap and idindex key their hash with siphash_random_key: each call a
 * new key, so two tables (or two runs) do not share a collision set. */
START_TEST(random_keys_differ)
{
    uint64_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
    ck_assert_int_eq(siphash_random_key(&a0, &a1), 0);
    ck_assert_int_eq(siphash_random_key(&b0, &b1), 0);
    ck_assert(a0 != b0 || a1 != b1);
    ck_assert(a0 | a1);
    ck_assert_uint_ne(siphash13(a0, a1, "x", 1), siphash13(b0, b1, "x", 1));
}
END_TEST

/* The VmFlags line of the /proc/self/smaps mapping that holds p: "" when
 * none is found. */
static void vm_flags_of(const void *p, char *flags, size_t size)
{
    flags[0] = '\0';
    FILE *f = fopen("/proc/self/smaps", "r");
    ck_assert_ptr_nonnull(f);
    char line[512];
    int inside = 0;
    uintptr_t a = (uintptr_t)p;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
            inside = a >= lo && a < hi;
            continue;
        }
        if (inside && !strncmp(line, "VmFlags:", 8)) {
            snprintf(flags, size, "%s", line + 8);
            break;
        }
    }
    fclose(f);
}

/* A sensitive map (a token vault's) keeps its keys in pages excluded from
 * core dumps ("dd" in the kernel's VmFlags), small and large keys alike,
 * and still finds them; an ordinary map's keys are on the heap. Marking a
 * map that holds keys already is refused. */
START_TEST(sensitive_keys_out_of_core_dumps)
{
    strmap *m = strmap_new(1000), *plain = strmap_new(1000);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(strmap_set_sensitive(m), 0);
    char big[20000];
    memset(big, 'v', sizeof big);
    ck_assert_int_eq(strmap_put(m, "900101-1234567", 14, 7, NULL), STRMAP_ADDED);
    ck_assert_int_eq(strmap_put(m, big, sizeof big, 8, NULL), STRMAP_ADDED);
    ck_assert_int_eq(strmap_put(plain, "900101-1234567", 14, 7, NULL), STRMAP_ADDED);
    uint32_t v = 0;
    ck_assert_int_eq(strmap_get(m, "900101-1234567", 14, &v), 1);
    ck_assert_uint_eq(v, 7);
    ck_assert_int_eq(strmap_get(m, big, sizeof big, &v), 1);
    ck_assert_uint_eq(v, 8);
    char flags[512];
    for (size_t i = 0; i < 2; i++) {
        const char *key;
        ck_assert_int_eq(strmap_entry(m, i, &key, NULL, NULL), 0);
        vm_flags_of(key, flags, sizeof flags);
        ck_assert_msg(strstr(flags, " dd") != NULL, "key %zu not excluded from dumps: %s", i, flags);
    }
    const char *key;
    ck_assert_int_eq(strmap_entry(plain, 0, &key, NULL, NULL), 0);
    vm_flags_of(key, flags, sizeof flags);
    ck_assert_ptr_null(strstr(flags, " dd"));
    ck_assert_int_eq(strmap_set_sensitive(plain), -1);
    strmap_free(m);
    strmap_free(plain);
}
END_TEST

Suite *strmap_suite(void); /* called by check_main.c */
Suite *strmap_suite(void)
{
    Suite *s = suite_create("strmap");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, new_rejects_bad_limits);
    tcase_add_test(tc, put_get_and_duplicates);
    tcase_add_test(tc, keys_with_nul_bytes_and_empty_key);
    tcase_add_test(tc, keys_differing_in_length);
    tcase_add_test(tc, many_keys_and_growth);
    tcase_add_test(tc, long_keys);
    tcase_add_test(tc, limit);
    tcase_add_test(tc, interning);
    tcase_add_test(tc, random_keys_differ);
    tcase_add_test(tc, sensitive_keys_out_of_core_dumps);
    suite_add_tcase(s, tc);
    return s;
}
