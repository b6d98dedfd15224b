/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_json.c - JSON string escaping (RFC 8259 section 7): quote and
 * backslash, the short escapes \n \r \t, every other control character as
 * \u00XX (lowercase hex), UTF-8 passed through, embedded NUL, the dbuf
 * limit, and invalid UTF-8 (which must not make the report invalid JSON).
 * Expected strings are written by hand. Also the reader (json_read.h):
 * a document read back whole, escapes decoded, and each malformed input
 * refused with its reason; and the header every document starts with.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "json_read.h"

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

START_TEST(test_header)
{
    dbuf_reset(&out);
    ck_assert_int_eq(json_append_header(&out, JSON_SCHEMA_CHECK, 2), DBUF_OK);
    const char *s = dbuf_cstr(&out);
    /* "\n  "schema_version": "deid.check/1",\n  "generated_at": "YYYY-MM-DDTHH:MM:SSZ"," */
    ck_assert_str_eq(s + strlen(s) - 2, "\",");
    ck_assert_int_eq(strncmp(s, "\n  \"schema_version\": \"deid.check/1\",\n  \"generated_at\": \"", 56), 0);
    const char *t = s + 56;
    ck_assert_uint_eq(strlen(t), 22);
    for (int i = 0; i < 20; i++)
        ck_assert(i == 4 || i == 7 ? t[i] == '-' : i == 10 ? t[i] == 'T' : i == 13 || i == 16 ? t[i] == ':'
                  : i == 19 ? t[i] == 'Z' : (t[i] >= '0' && t[i] <= '9'));
}
END_TEST

static json_node *read_ok(const char *text)
{
    char why[64] = "";
    size_t at = 0;
    json_node *n = json_read(text, strlen(text), why, sizeof why, &at);
    ck_assert_msg(n != NULL, "%s at %zu", why, at);
    return n;
}

static void read_fails(const char *text, const char *want_why, size_t want_at)
{
    char why[64] = "";
    size_t at = 0;
    json_node *n = json_read(text, strlen(text), why, sizeof why, &at);
    ck_assert_ptr_null(n);
    ck_assert_str_eq(why, want_why);
    ck_assert_uint_eq(at, want_at);
}

START_TEST(test_read_document)
{
    json_node *n = read_ok(" {\"a\": [1, -2.5e3, true, false, null, {}], \"b\": \"x\\u00e9\\ud83d\\ude00\\n\", \"c\": {\"d\": []}}\n");
    ck_assert_int_eq(n->type, JSON_OBJECT);
    ck_assert_uint_eq(n->n, 3);
    const json_node *a = json_get(n, "a");
    ck_assert_int_eq(a->type, JSON_ARRAY);
    ck_assert_uint_eq(a->n, 6);
    ck_assert_str_eq(a->items[0]->text, "1");
    ck_assert_str_eq(a->items[1]->text, "-2.5e3");
    ck_assert_int_eq(a->items[2]->type, JSON_TRUE);
    ck_assert_int_eq(a->items[3]->type, JSON_FALSE);
    ck_assert_int_eq(a->items[4]->type, JSON_NULL);
    ck_assert_int_eq(a->items[5]->type, JSON_OBJECT);
    /* U+00E9 is C3 A9; U+1F600 (a surrogate pair) is F0 9F 98 80 */
    ck_assert_str_eq(json_get_string(n, "b"), "x\xc3\xa9\xf0\x9f\x98\x80\n");
    ck_assert_ptr_null(json_get_string(n, "a"));
    ck_assert_ptr_null(json_get(n, "missing"));
    ck_assert_int_eq(json_get(json_get(n, "c"), "d")->type, JSON_ARRAY);
    json_free(n);
    json_free(NULL);
}
END_TEST

START_TEST(test_read_refuses)
{
    read_fails("{\"a\": 1,}", "expected a key in quotes", 8);
    read_fails("[1, 2,]", "unexpected character", 6);
    read_fails("{\"a\": 1, \"a\": 2}", "a key appears twice in one object", 12);
    read_fails("01", "bad number", 0);
    read_fails("1.", "bad number", 0);
    read_fails("\"a\\u0000\"", "NUL in a string", 8);
    read_fails("\"\\ud800\"", "unpaired surrogate in a string", 7);
    read_fails("\"a\tb\"", "control character in a string", 2);
    read_fails("\"abc", "unterminated string", 4);
    read_fails("{} {}", "text after the value", 3);
    read_fails("", "unexpected end", 0);
    read_fails("nul", "unexpected character", 0);
    /* nesting: JSON_READ_MAX_DEPTH levels are read, one more is refused */
    char deep[2 * (JSON_READ_MAX_DEPTH + 2) + 1];
    for (int extra = 0; extra <= 1; extra++) {
        size_t d = JSON_READ_MAX_DEPTH + 1 + (size_t)extra, k = 0;
        for (size_t i = 0; i < d; i++)
            deep[k++] = '[';
        for (size_t i = 0; i < d; i++)
            deep[k++] = ']';
        deep[k] = 0;
        if (!extra)
            json_free(read_ok(deep));
        else
            read_fails(deep, "nested too deeply", JSON_READ_MAX_DEPTH + 1);
    }
}
END_TEST

/* Every prefix of a document, and the document with each byte replaced
 * by each of a few troublesome ones, is either read or refused with a
 * reason and an offset inside the text: never a crash or a read past the
 * end (the unit tests run under ASan in `make asan`). */
START_TEST(test_read_damaged)
{
    static const char doc[] =
        "{\"schema_version\": \"deid.record/1\", \"a\": [1, -0.5e-3, true, null, \"\\u00e9\\ud83d\\ude00\"],"
        " \"b\": {\"c\": false, \"d\": \"x\\\"y\"}}";
    static const char swaps[] = {'\0', '"', '\\', '{', '[', ']', '}', ',', ':', 'u', '0', '\n', '\x80'};
    size_t n = sizeof doc - 1;
    char buf[sizeof doc], why[64];
    size_t at;
    json_free(read_ok(doc));
    for (size_t len = 0; len < n; len++) {
        memcpy(buf, doc, len);
        json_node *node = json_read(buf, len, why, sizeof why, &at);
        ck_assert_msg(node == NULL, "a prefix of %zu bytes was read", len);
        ck_assert_uint_le(at, len);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t s = 0; s < sizeof swaps; s++) {
            memcpy(buf, doc, n);
            buf[i] = swaps[s];
            json_node *node = json_read(buf, n, why, sizeof why, &at);
            if (node)
                json_free(node);
            else
                ck_assert_uint_le(at, n);
        }
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

    tc = tcase_create("read");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_header);
    tcase_add_test(tc, test_read_document);
    tcase_add_test(tc, test_read_refuses);
    tcase_add_test(tc, test_read_damaged);
    suite_add_tcase(s, tc);
    return s;
}
