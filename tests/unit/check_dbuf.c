/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_dbuf.c - the bounded growable buffer: the maximum is exact for
 * append, putc and printf (reaching it is fine, one byte more is
 * DBUF_ETOOBIG and changes nothing), NUL termination, take, consume,
 * reset and wipe. Expected contents are written by hand.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dbuf.h"

/* Asserts the buffer holds exactly the n bytes at want. */
static void expect_bytes(const dbuf *b, const char *want, size_t n)
{
    ck_assert_uint_eq(b->len, n);
    if (n)
        ck_assert_int_eq(memcmp(b->data, want, n), 0);
}

#define EXPECT_STR(b, s) expect_bytes((b), (s), sizeof(s) - 1)

START_TEST(test_init_empty)
{
    dbuf b;
    dbuf_init(&b, 17);
    ck_assert_ptr_null(b.data);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_uint_eq(b.cap, 0);
    ck_assert_uint_eq(b.max, 17);
    dbuf_free(&b);
    dbuf_free(&b); /* twice is harmless */
    ck_assert_ptr_null(b.data);
}
END_TEST

START_TEST(test_append_exactly_to_max)
{
    dbuf b;
    dbuf_init(&b, 10);
    ck_assert_int_eq(dbuf_append(&b, "0123456789", 10), DBUF_OK);
    EXPECT_STR(&b, "0123456789");
    ck_assert_int_eq(dbuf_append(&b, "x", 1), DBUF_ETOOBIG);
    EXPECT_STR(&b, "0123456789");
    /* nothing more is fine even when full */
    ck_assert_int_eq(dbuf_append(&b, "x", 0), DBUF_OK);
    ck_assert_int_eq(dbuf_append_str(&b, ""), DBUF_OK);
    EXPECT_STR(&b, "0123456789");
    dbuf_free(&b);
}
END_TEST

START_TEST(test_append_in_pieces)
{
    dbuf b;
    dbuf_init(&b, 10);
    ck_assert_int_eq(dbuf_append_str(&b, "abcd"), DBUF_OK);
    ck_assert_int_eq(dbuf_append(&b, "efghijk", 7), DBUF_ETOOBIG); /* 4 + 7 = 11 */
    EXPECT_STR(&b, "abcd");
    ck_assert_int_eq(dbuf_append(&b, "efghij", 6), DBUF_OK);     /* 4 + 6 = 10 */
    EXPECT_STR(&b, "abcdefghij");
    ck_assert_int_eq(dbuf_putc(&b, 'k'), DBUF_ETOOBIG);
    dbuf_free(&b);
}
END_TEST

START_TEST(test_append_too_big_allocates_nothing)
{
    dbuf b;
    dbuf_init(&b, 4);
    ck_assert_int_eq(dbuf_append(&b, "hello", 5), DBUF_ETOOBIG);
    ck_assert_ptr_null(b.data);
    ck_assert_uint_eq(b.len, 0);
    /* an extra so large that len + extra would wrap around */
    ck_assert_int_eq(dbuf_reserve(&b, SIZE_MAX), DBUF_ETOOBIG);
    ck_assert_int_eq(dbuf_append(&b, "ab", 2), DBUF_OK);
    ck_assert_int_eq(dbuf_reserve(&b, SIZE_MAX - 1), DBUF_ETOOBIG);
    ck_assert_int_eq(dbuf_reserve(&b, SIZE_MAX), DBUF_ETOOBIG);
    EXPECT_STR(&b, "ab");
    dbuf_free(&b);
}
END_TEST

START_TEST(test_reserve_limits)
{
    dbuf b;
    dbuf_init(&b, 10);
    ck_assert_int_eq(dbuf_reserve(&b, 11), DBUF_ETOOBIG);
    ck_assert_int_eq(dbuf_reserve(&b, 10), DBUF_OK);
    /* room for the NUL that dbuf_cstr and dbuf_printf add */
    ck_assert_uint_gt(b.cap, 10);
    ck_assert_int_eq(dbuf_append_str(&b, "abc"), DBUF_OK);
    ck_assert_int_eq(dbuf_reserve(&b, 8), DBUF_ETOOBIG);
    ck_assert_int_eq(dbuf_reserve(&b, 7), DBUF_OK);
    ck_assert_int_eq(dbuf_reserve(&b, 0), DBUF_OK);
    EXPECT_STR(&b, "abc");
    dbuf_free(&b);
}
END_TEST

START_TEST(test_growth_keeps_contents)
{
    /* far past the first allocation (64 bytes) */
    dbuf b;
    dbuf_init(&b, 5000);
    for (int i = 0; i < 5000; i++)
        ck_assert_int_eq(dbuf_putc(&b, (char)('a' + i % 26)), DBUF_OK);
    ck_assert_uint_eq(b.len, 5000);
    for (int i = 0; i < 5000; i++)
        ck_assert_int_eq(b.data[i], 'a' + i % 26);
    ck_assert_int_eq(dbuf_putc(&b, 'x'), DBUF_ETOOBIG);
    ck_assert_uint_eq(b.len, 5000);
    dbuf_free(&b);
}
END_TEST

START_TEST(test_putc_at_max)
{
    dbuf b;
    dbuf_init(&b, 3);
    ck_assert_int_eq(dbuf_putc(&b, 'a'), DBUF_OK);
    ck_assert_int_eq(dbuf_putc(&b, 'b'), DBUF_OK);
    ck_assert_int_eq(dbuf_putc(&b, 'c'), DBUF_OK);
    ck_assert_int_eq(dbuf_putc(&b, 'd'), DBUF_ETOOBIG);
    EXPECT_STR(&b, "abc");
    dbuf_free(&b);
}
END_TEST

START_TEST(test_putc_at_max_with_spare_capacity)
{
    /* max 100 but the memory has grown to more than 100 bytes: the fast
     * path of putc must still stop at max. */
    dbuf b;
    dbuf_init(&b, 100);
    char fill[99];
    memset(fill, 'z', sizeof fill);
    ck_assert_int_eq(dbuf_append(&b, fill, sizeof fill), DBUF_OK);
    ck_assert_uint_gt(b.cap, 101);
    ck_assert_int_eq(dbuf_putc(&b, '!'), DBUF_OK);
    ck_assert_uint_eq(b.len, 100);
    ck_assert_int_eq(dbuf_putc(&b, '?'), DBUF_ETOOBIG);
    ck_assert_uint_eq(b.len, 100);
    ck_assert_int_eq(b.data[99], '!');
    dbuf_free(&b);
}
END_TEST

START_TEST(test_putc_max_zero)
{
    dbuf b;
    dbuf_init(&b, 0);
    ck_assert_int_eq(dbuf_putc(&b, 'a'), DBUF_ETOOBIG);
    ck_assert_int_eq(dbuf_append(&b, "a", 1), DBUF_ETOOBIG);
    ck_assert_int_eq(dbuf_printf(&b, "%s", "a"), DBUF_ETOOBIG);
    ck_assert_int_eq(dbuf_printf(&b, "%s", ""), DBUF_OK);
    /* the NUL is not content, so even a zero-size buffer has a C string */
    const char *s = dbuf_cstr(&b);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, "");
    ck_assert_uint_eq(b.len, 0);
    dbuf_free(&b);
}
END_TEST

START_TEST(test_printf_exactly_fills_max)
{
    dbuf b;
    dbuf_init(&b, 5);
    ck_assert_int_eq(dbuf_printf(&b, "%d-%s", 12, "ab"), DBUF_OK); /* "12-ab", 5 bytes */
    EXPECT_STR(&b, "12-ab");
    ck_assert_int_eq(dbuf_printf(&b, "%s", ""), DBUF_OK);
    ck_assert_int_eq(dbuf_printf(&b, "x"), DBUF_ETOOBIG);
    EXPECT_STR(&b, "12-ab");
    ck_assert_str_eq(dbuf_cstr(&b), "12-ab");
    dbuf_free(&b);
}
END_TEST

START_TEST(test_printf_after_content)
{
    dbuf b;
    dbuf_init(&b, 8);
    ck_assert_int_eq(dbuf_append_str(&b, "abc"), DBUF_OK);
    ck_assert_int_eq(dbuf_printf(&b, "%06d", 42), DBUF_ETOOBIG); /* 3 + 6 = 9 */
    EXPECT_STR(&b, "abc");
    ck_assert_int_eq(dbuf_printf(&b, "%05d", 42), DBUF_OK);     /* 3 + 5 = 8 */
    EXPECT_STR(&b, "abc00042");
    dbuf_free(&b);
}
END_TEST

START_TEST(test_printf_too_big_from_empty)
{
    dbuf b;
    dbuf_init(&b, 4);
    ck_assert_int_eq(dbuf_printf(&b, "%s", "hello"), DBUF_ETOOBIG);
    ck_assert_uint_eq(b.len, 0);
    dbuf_free(&b);
}
END_TEST

START_TEST(test_printf_long)
{
    dbuf b;
    dbuf_init(&b, 1000);
    ck_assert_int_eq(dbuf_printf(&b, "<%0300d>", 7), DBUF_OK);
    ck_assert_uint_eq(b.len, 302);
    ck_assert_int_eq(b.data[0], '<');
    ck_assert_int_eq(b.data[1], '0');
    ck_assert_int_eq(b.data[299], '0');
    ck_assert_int_eq(b.data[300], '7');
    ck_assert_int_eq(b.data[301], '>');
    dbuf_free(&b);
}
END_TEST

START_TEST(test_cstr)
{
    dbuf b;
    dbuf_init(&b, 64);
    const char *s = dbuf_cstr(&b); /* empty, nothing allocated yet */
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, "");
    ck_assert_uint_eq(b.len, 0);
    ck_assert_int_eq(dbuf_append(&b, "ab\0cd", 5), DBUF_OK);
    s = dbuf_cstr(&b);
    ck_assert_uint_eq(b.len, 5); /* the NUL is not counted */
    ck_assert_int_eq(memcmp(s, "ab\0cd\0", 6), 0);
    dbuf_reset(&b);
    /* exactly max bytes: the NUL still fits */
    char fill[64];
    memset(fill, 'q', sizeof fill);
    ck_assert_int_eq(dbuf_append(&b, fill, sizeof fill), DBUF_OK);
    s = dbuf_cstr(&b);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(strlen(s), 64);
    ck_assert_uint_eq(b.len, 64);
    /* appending after cstr continues the content, not after the NUL */
    dbuf_consume(&b, 62);
    ck_assert_int_eq(dbuf_append_str(&b, "rs"), DBUF_OK);
    ck_assert_str_eq(dbuf_cstr(&b), "qqrs");
    dbuf_free(&b);
}
END_TEST

START_TEST(test_take)
{
    dbuf b;
    dbuf_init(&b, 32);
    ck_assert_int_eq(dbuf_append_str(&b, "hello"), DBUF_OK);
    char *p = dbuf_take(&b);
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p, "hello");
    ck_assert_ptr_null(b.data);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_uint_eq(b.cap, 0);
    ck_assert_uint_eq(b.max, 32);
    /* the buffer is usable again and independent of p */
    ck_assert_int_eq(dbuf_append_str(&b, "x"), DBUF_OK);
    ck_assert_str_eq(dbuf_cstr(&b), "x");
    ck_assert_str_eq(p, "hello");
    free(p);
    dbuf_free(&b);
    /* taking an empty buffer gives an empty string, never NULL */
    dbuf_init(&b, 0);
    p = dbuf_take(&b);
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p, "");
    free(p);
}
END_TEST

START_TEST(test_consume)
{
    dbuf b;
    dbuf_init(&b, 6);
    dbuf_consume(&b, 0); /* empty and unallocated */
    dbuf_consume(&b, 3);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_int_eq(dbuf_append_str(&b, "abcdef"), DBUF_OK);
    dbuf_consume(&b, 0);
    EXPECT_STR(&b, "abcdef");
    dbuf_consume(&b, 2);
    EXPECT_STR(&b, "cdef");
    dbuf_consume(&b, 1);
    EXPECT_STR(&b, "def");
    /* consumed bytes free room under max again */
    ck_assert_int_eq(dbuf_append_str(&b, "ghi"), DBUF_OK);
    EXPECT_STR(&b, "defghi");
    ck_assert_int_eq(dbuf_putc(&b, 'j'), DBUF_ETOOBIG);
    dbuf_consume(&b, 6);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_int_eq(dbuf_append_str(&b, "xy"), DBUF_OK);
    dbuf_consume(&b, 100); /* more than there is */
    ck_assert_uint_eq(b.len, 0);
    dbuf_free(&b);
}
END_TEST

START_TEST(test_reset)
{
    dbuf b;
    dbuf_init(&b, 8);
    ck_assert_int_eq(dbuf_append_str(&b, "abcdefgh"), DBUF_OK);
    char *mem = b.data;
    size_t cap = b.cap;
    dbuf_reset(&b);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_ptr_eq(b.data, mem); /* the memory is kept */
    ck_assert_uint_eq(b.cap, cap);
    ck_assert_int_eq(dbuf_append_str(&b, "12345678"), DBUF_OK);
    EXPECT_STR(&b, "12345678");
    ck_assert_int_eq(dbuf_putc(&b, '9'), DBUF_ETOOBIG);
    dbuf_free(&b);
}
END_TEST

START_TEST(test_wipe)
{
    dbuf b;
    dbuf_init(&b, 16);
    dbuf_wipe(&b); /* nothing allocated: fine */
    ck_assert_int_eq(dbuf_append_str(&b, "secret"), DBUF_OK);
    dbuf_wipe(&b);
    ck_assert_ptr_null(b.data);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_uint_eq(b.cap, 0);
    ck_assert_uint_eq(b.max, 16);
    /* still a valid empty buffer with the same maximum */
    ck_assert_int_eq(dbuf_append(&b, "0123456789abcdef", 16), DBUF_OK);
    ck_assert_int_eq(dbuf_putc(&b, 'g'), DBUF_ETOOBIG);
    dbuf_wipe(&b);
}
END_TEST

START_TEST(test_unbounded_huge_reserve)
{
    /* max SIZE_MAX (no practical bound): a reserve no allocator can give
     * must fail with DBUF_ENOMEM, not wrap around or spin. */
    dbuf b;
    dbuf_init(&b, SIZE_MAX);
    ck_assert_int_eq(dbuf_reserve(&b, SIZE_MAX - 1), DBUF_ENOMEM);
    ck_assert_int_eq(dbuf_reserve(&b, SIZE_MAX), DBUF_ENOMEM);
    ck_assert_ptr_null(b.data);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_int_eq(dbuf_append_str(&b, "ok"), DBUF_OK);
    ck_assert_int_eq(dbuf_reserve(&b, SIZE_MAX - 2), DBUF_ENOMEM);
    EXPECT_STR(&b, "ok");
    dbuf_free(&b);
}
END_TEST

Suite *dbuf_suite(void); /* called by check_main.c */
Suite *dbuf_suite(void)
{
    Suite *s = suite_create("dbuf");
    TCase *tc = tcase_create("limits");
    tcase_add_test(tc, test_init_empty);
    tcase_add_test(tc, test_append_exactly_to_max);
    tcase_add_test(tc, test_append_in_pieces);
    tcase_add_test(tc, test_append_too_big_allocates_nothing);
    tcase_add_test(tc, test_reserve_limits);
    tcase_add_test(tc, test_growth_keeps_contents);
    tcase_add_test(tc, test_putc_at_max);
    tcase_add_test(tc, test_putc_at_max_with_spare_capacity);
    tcase_add_test(tc, test_putc_max_zero);
    tcase_add_test(tc, test_printf_exactly_fills_max);
    tcase_add_test(tc, test_printf_after_content);
    tcase_add_test(tc, test_printf_too_big_from_empty);
    tcase_add_test(tc, test_printf_long);
    suite_add_tcase(s, tc);

    tc = tcase_create("contents");
    tcase_add_test(tc, test_cstr);
    tcase_add_test(tc, test_take);
    tcase_add_test(tc, test_consume);
    tcase_add_test(tc, test_reset);
    tcase_add_test(tc, test_wipe);
    suite_add_tcase(s, tc);

    /* A broken reserve spins forever here; the timeout turns that into a
     * failure instead of a hung run. */
    tc = tcase_create("unbounded");
    tcase_set_timeout(tc, 3);
    tcase_add_test(tc, test_unbounded_huge_reserve);
    suite_add_tcase(s, tc);
    return s;
}
