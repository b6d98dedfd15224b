/*
 * check_json.c - JSON string escaping (RFC 8259 section 7): quote and
 * backslash, the short escapes \n \r \t, every other control character as
 * \u00XX (lowercase hex), UTF-8 passed through, embedded NUL, the dbuf
 * limit, and invalid UTF-8 (which must not make the report invalid JSON).
 * Expected strings are written by hand.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

static dbuf out;

static void setup(void)
{
    dbuf_init(&out, 1u << 16);
}

static void teardown(void)
{
    dbuf_free(&out);
}

/* Escapes len bytes of s into a fresh buffer and compares with want. */
static void expect_json(const char *s, size_t len, const char *want)
{
    dbuf_reset(&out);
    ck_assert_int_eq(json_append_string(&out, s, len), DBUF_OK);
    ck_assert_str_eq(dbuf_cstr(&out), want);
}

#define EXPECT(lit, want) expect_json((lit), sizeof(lit) - 1, (want))

START_TEST(test_plain)
{
    EXPECT("abc", "\"abc\"");
    EXPECT("", "\"\"");
    EXPECT("a b/c", "\"a b/c\""); /* '/' need not be escaped */
    EXPECT("~\x7f", "\"~\x7f\"");  /* DEL is not a control character in JSON */
}
END_TEST

START_TEST(test_quote_backslash)
{
    EXPECT("a\"b", "\"a\\\"b\"");
    EXPECT("a\\b", "\"a\\\\b\"");
    EXPECT("\"\\\"", "\"\\\"\\\\\\\"\"");
}
END_TEST

START_TEST(test_short_escapes)
{
    EXPECT("a\nb", "\"a\\nb\"");
    EXPECT("\r\n", "\"\\r\\n\"");
    EXPECT("\tx\t", "\"\\tx\\t\"");
}
END_TEST

START_TEST(test_control_characters)
{
    EXPECT("\x01", "\"\\u0001\"");
    EXPECT("a\x1f", "\"a\\u001f\"");
    EXPECT("\x08\x0c", "\"\\u0008\\u000c\""); /* \b and \f as \u escapes */
    EXPECT("\x1b[0m", "\"\\u001b[0m\"");      /* a terminal escape cannot pass raw */
    EXPECT("\x0b", "\"\\u000b\"");
    EXPECT("\x10", "\"\\u0010\"");
}
END_TEST

START_TEST(test_every_control_character)
{
    /* 0x00..0x1f: \n \r \t short, the rest \u00XX with lowercase hex. */
    static const char hex[] = "0123456789abcdef";
    for (int c = 0; c < 0x20; c++) {
        char in[1] = {(char)c};
        char want[16];
        if (c == '\n')
            strcpy(want, "\"\\n\"");
        else if (c == '\r')
            strcpy(want, "\"\\r\"");
        else if (c == '\t')
            strcpy(want, "\"\\t\"");
        else {
            memcpy(want, "\"\\u00", 5);
            want[5] = hex[c >> 4];
            want[6] = hex[c & 15];
            want[7] = '"';
            want[8] = '\0';
        }
        expect_json(in, 1, want);
    }
}
END_TEST

START_TEST(test_embedded_nul)
{
    EXPECT("a\0b", "\"a\\u0000b\"");
    expect_json("\0", 1, "\"\\u0000\"");
}
END_TEST

START_TEST(test_utf8_passthrough)
{
    /* 홍길동, é (2 bytes), an emoji (4 bytes), U+3000 ideographic space */
    EXPECT("\xED\x99\x8D\xEA\xB8\xB8\xEB\x8F\x99", "\"\xED\x99\x8D\xEA\xB8\xB8\xEB\x8F\x99\"");
    EXPECT("caf\xC3\xA9", "\"caf\xC3\xA9\"");
    EXPECT("\xF0\x9F\x98\x80!", "\"\xF0\x9F\x98\x80!\"");
    EXPECT("\xE3\x80\x80", "\"\xE3\x80\x80\"");
}
END_TEST

START_TEST(test_cstr_and_append)
{
    dbuf_reset(&out);
    ck_assert_int_eq(dbuf_append_str(&out, "{\"k\": "), DBUF_OK);
    ck_assert_int_eq(json_append_cstr(&out, "v\"1\n"), DBUF_OK);
    ck_assert_int_eq(dbuf_putc(&out, '}'), DBUF_OK);
    ck_assert_str_eq(dbuf_cstr(&out), "{\"k\": \"v\\\"1\\n\"}");
    /* the cstr form stops at the first NUL */
    dbuf_reset(&out);
    ck_assert_int_eq(json_append_cstr(&out, "ab\0cd"), DBUF_OK);
    ck_assert_str_eq(dbuf_cstr(&out), "\"ab\"");
}
END_TEST

START_TEST(test_limit)
{
    dbuf small;
    dbuf_init(&small, 4);
    ck_assert_int_eq(json_append_string(&small, "ab", 2), DBUF_OK); /* "ab" = 4 bytes */
    ck_assert_str_eq(dbuf_cstr(&small), "\"ab\"");
    dbuf_reset(&small);
    ck_assert_int_eq(json_append_string(&small, "abc", 3), DBUF_ETOOBIG);
    dbuf_reset(&small);
    ck_assert_int_eq(json_append_string(&small, "\n", 1), DBUF_OK); /* "\n" = 4 bytes */
    ck_assert_str_eq(dbuf_cstr(&small), "\"\\n\"");
    dbuf_reset(&small);
    ck_assert_int_eq(json_append_string(&small, "a\n", 2), DBUF_ETOOBIG); /* 5 bytes */
    dbuf_free(&small);

    dbuf_init(&small, 8);
    ck_assert_int_eq(json_append_string(&small, "\x01", 1), DBUF_OK); /* "\u0001" = 8 */
    ck_assert_str_eq(dbuf_cstr(&small), "\"\\u0001\"");
    dbuf_reset(&small);
    ck_assert_int_eq(json_append_string(&small, "a\x01", 2), DBUF_ETOOBIG);
    dbuf_free(&small);
}
END_TEST

START_TEST(test_invalid_utf8)
{
    /* A header from a CP949 file or an odd file name reaches the JSON
     * report: raw invalid bytes would make the whole report invalid JSON
     * (RFC 8259 section 8.1 requires UTF-8). Each invalid byte must come
     * out as U+FFFD. 0xB1 0xE6 is "길" in CP949: a stray continuation
     * byte, then a lead byte with nothing after it. */
    EXPECT("a\xFF" "b", "\"a\\ufffdb\"");
    EXPECT("\xB1\xE6", "\"\\ufffd\\ufffd\"");
}
END_TEST

Suite *json_suite(void); /* called by check_main.c */
Suite *json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("escape");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_plain);
    tcase_add_test(tc, test_quote_backslash);
    tcase_add_test(tc, test_short_escapes);
    tcase_add_test(tc, test_control_characters);
    tcase_add_test(tc, test_every_control_character);
    tcase_add_test(tc, test_embedded_nul);
    tcase_add_test(tc, test_utf8_passthrough);
    tcase_add_test(tc, test_cstr_and_append);
    tcase_add_test(tc, test_limit);
    suite_add_tcase(s, tc);

    tc = tcase_create("invalid_utf8");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_invalid_utf8);
    suite_add_tcase(s, tc);
    return s;
}
