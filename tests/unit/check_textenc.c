/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_textenc.c - encoding names, the ASCII and UTF-8 tests, and the
 * iconv conversions. Expected bytes come from the code tables (KS X 1001
 * for EUC-KR, Microsoft's code page 949 for its extension) and from
 * Unicode ch. 3.9 arithmetic done by hand, never from textenc.c.
 *
 * The whole-table test is what makes cutting a CP949 stream at record
 * boundaries safe (lane_text.h): no valid double-byte code has a trail
 * byte that the CSV reader or the chunk cutter looks at.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "textenc.h"
#include "utf8.h"

#define GA_CP949 "\xB0\xA1"        /* 가, KS X 1001 row 16 col 1 */
#define GA_UTF8 "\xEA\xB0\x80"     /* U+AC00 */
#define TTOM_CP949 "\x8C\x63"      /* 똠, CP949 extension (not in EUC-KR) */
#define TTOM_UTF8 "\xEB\x98\xA0"   /* U+B620 */

START_TEST(names_round_trip)
{
    ck_assert_int_eq(deid_encoding_from_name("auto"), DEID_ENCODING_AUTO);
    ck_assert_int_eq(deid_encoding_from_name("UTF-8"), DEID_ENCODING_UTF8);
    ck_assert_int_eq(deid_encoding_from_name("utf8"), DEID_ENCODING_UTF8);
    ck_assert_int_eq(deid_encoding_from_name("CP949"), DEID_ENCODING_CP949);
    ck_assert_int_eq(deid_encoding_from_name("uhc"), DEID_ENCODING_CP949);
    ck_assert_int_eq(deid_encoding_from_name("EUC-KR"), DEID_ENCODING_EUCKR);
    ck_assert_int_eq(deid_encoding_from_name("latin1"), -1);
    ck_assert_int_eq(deid_encoding_from_name(""), -1);
    ck_assert_int_eq(deid_encoding_from_name(NULL), -1);
    ck_assert_str_eq(textenc_name(DEID_ENCODING_CP949), "cp949");
    ck_assert_str_eq(textenc_name(DEID_ENCODING_EUCKR), "euc-kr");
    ck_assert_str_eq(textenc_name(DEID_ENCODING_UTF8), "utf-8");
}
END_TEST

START_TEST(ascii_test_every_position)
{
    char buf[40];
    memset(buf, 'a', sizeof buf);
    ck_assert(textenc_is_ascii(buf, sizeof buf));
    ck_assert(textenc_is_ascii(buf, 0));
    /* a high byte anywhere, in the 8-byte steps or the tail */
    for (size_t i = 0; i < sizeof buf; i++) {
        buf[i] = (char)0x80;
        ck_assert_msg(!textenc_is_ascii(buf, sizeof buf), "high byte at %zu missed", i);
        buf[i] = 'a';
    }
}
END_TEST

START_TEST(utf8_validity_and_offset)
{
    size_t bad = 99;
    ck_assert(textenc_valid_utf8("ab" GA_UTF8 "c", 6, &bad));
    ck_assert(!textenc_valid_utf8("ab" GA_CP949 "c", 5, &bad));
    ck_assert_uint_eq(bad, 2);
    ck_assert(!textenc_valid_utf8("x" "\xEA\xB0", 3, &bad)); /* cut short */
    ck_assert_uint_eq(bad, 1);
}
END_TEST

/* The inline validator agrees with the strict decoder of utf8.c (tested in
 * check_utf8.c) on every string of one to three bytes, and on every
 * four-byte string whose last two bytes are continuation bytes or 'a'. */
/* Longer mixed strings (ASCII runs, Hangul, other forms, broken ones):
 * valid exactly when utf8_count can count them, and on a bad string the
 * offset given is where the first undecodable sequence starts (the prefix
 * before it valid, utf8_decode refusing what starts there). */
START_TEST(utf8_validity_on_mixed_strings)
{
    /* seven valid pieces, then five broken ones (surrogate, overlong,
     * stray continuation, cut short, never UTF-8) */
    static const char *const pieces[] = {"a", "abcdefghij", " ", GA_UTF8, "\xED\x9E\xA3",
                                         "\xC3\xA9", "\xF0\x9F\x98\x80", "\xED\xA0\x80",
                                         "\xE0\x9F\xBF", "\x80", "\xEA\xB0", "\xFF"};
    uint32_t seed = 1;
    char buf[160];
    for (int iter = 0; iter < 50000; iter++) {
        size_t len = 0;
        seed = seed * 1103515245u + 12345u;
        for (size_t parts = seed >> 28; parts > 0; parts--) {
            seed = seed * 1103515245u + 12345u;
            /* broken pieces (the last five) one time in four */
            size_t np = sizeof pieces / sizeof pieces[0];
            size_t pick = (seed >> 12) % ((seed >> 20) % 4 ? np - 5 : np);
            memcpy(buf + len, pieces[pick], strlen(pieces[pick]));
            len += strlen(pieces[pick]);
        }
        size_t bad = SIZE_MAX, ignored;
        int valid = textenc_valid_utf8(buf, len, &bad);
        ck_assert_int_eq(valid, utf8_count(buf, len) != SIZE_MAX);
        /* the SSE2 validator, strings of up to 10 pieces over several
         * 16-byte blocks */
        ck_assert_msg(textenc_utf8_ok(buf, len) == valid, "textenc_utf8_ok, iteration %d", iter);
        if (!valid) {
            uint32_t cp;
            ck_assert(bad < len);
            ck_assert(textenc_valid_utf8(buf, bad, &ignored));
            ck_assert_uint_eq(utf8_decode(buf + bad, len - bad, &cp), 0);
        }
    }
}
END_TEST

START_TEST(utf8_validity_matches_the_decoder)
{
    unsigned char b[4];
    size_t bad, mismatches = 0;
    unsigned first = 0;
    /* textenc_utf8_ok too, with the string at the start of a block, across
     * a block boundary (ASCII before it) and at the end of a whole block */
    char shifted[32];
    memset(shifted, 'a', sizeof shifted);
#define AGREE(len)                                                                         \
    do {                                                                                   \
        int want = utf8_count((char *)b, len) != SIZE_MAX;                                 \
        int ok = textenc_valid_utf8((char *)b, len, &bad) == want &&                       \
                 textenc_utf8_ok((char *)b, len) == want;                                  \
        const size_t offs[] = {14, 15, 16 - len, 16};                                      \
        for (size_t k = 0; ok && k < sizeof offs / sizeof offs[0]; k++) {                  \
            size_t off = offs[k];                                                          \
            memcpy(shifted + off, b, len);                                                 \
            ok = textenc_utf8_ok(shifted, off + len) == want;                              \
            memset(shifted + off, 'a', len);                                               \
        }                                                                                  \
        if (!ok && !mismatches++)                                                          \
            first = (unsigned)b[0] << 24 | (unsigned)b[1] << 16 | (unsigned)b[2] << 8 | b[3]; \
    } while (0)
    for (unsigned x = 0; x < 256; x++) {
        b[0] = (unsigned char)x;
        b[1] = b[2] = b[3] = 0;
        AGREE(1);
        for (unsigned y = 0; y < 256; y++) {
            b[1] = (unsigned char)y;
            b[2] = b[3] = 0;
            AGREE(2);
            /* three bytes: only lead bytes that start a sequence need all z */
            for (unsigned z = 0; z < 256 && (x >= 0xC0 || z == 0); z++) {
                b[2] = (unsigned char)z;
                AGREE(3);
            }
            static const unsigned char tails[] = {0x80, 0xBF, 'a'};
            for (size_t t = 0; x >= 0xF0 && t < sizeof tails; t++) {
                b[2] = 0x80;
                b[3] = tails[t];
                AGREE(4);
            }
        }
    }
#undef AGREE
    ck_assert_msg(mismatches == 0, "%zu disagreements, the first on %08x", mismatches, first);
}
END_TEST

static int decode(text_conv *c, const char *p, size_t n, dbuf *out, size_t *bad)
{
    dbuf_reset(out);
    return text_conv_decode(c, DEID_ENCODING_CP949, p, n, out, bad);
}

START_TEST(decode_known_codes)
{
    text_conv *c = text_conv_new();
    dbuf out;
    dbuf_init(&out, 1 << 16);
    size_t bad = 0;
    ck_assert_int_eq(decode(c, "a" GA_CP949 "b", 4, &out, &bad), TEXTENC_OK);
    ck_assert_uint_eq(out.len, 5);
    ck_assert(!memcmp(out.data, "a" GA_UTF8 "b", 5));
    ck_assert_int_eq(decode(c, TTOM_CP949, 2, &out, &bad), TEXTENC_OK);
    ck_assert(out.len == 3 && !memcmp(out.data, TTOM_UTF8, 3));
    /* EUC-KR is read with CP949's tables: the extension too */
    dbuf_reset(&out);
    ck_assert_int_eq(text_conv_decode(c, DEID_ENCODING_EUCKR, TTOM_CP949, 2, &out, &bad),
                     TEXTENC_OK);
    /* a lone lead byte at the end, before a newline, and 0xFF */
    ck_assert_int_eq(decode(c, "ab\xB0", 3, &out, &bad), TEXTENC_BAD);
    ck_assert_uint_eq(bad, 2);
    ck_assert_int_eq(decode(c, GA_CP949 "\xB0\n", 4, &out, &bad), TEXTENC_BAD);
    ck_assert_uint_eq(bad, 2);
    ck_assert_int_eq(decode(c, "\xFF", 1, &out, &bad), TEXTENC_BAD);
    ck_assert_uint_eq(bad, 0);
    /* the descriptor is reset between values: a bad value leaves no state */
    ck_assert_int_eq(decode(c, GA_CP949, 2, &out, &bad), TEXTENC_OK);
    ck_assert(out.len == 3 && !memcmp(out.data, GA_UTF8, 3));
    dbuf_wipe(&out);
    text_conv_free(c);
}
END_TEST

/* Like ck_assert_msg without its per-call write to Check's pipe: the loop
 * below asserts some 70,000 times, which is slow under ASAN. */
#define CHEAP_ASSERT(cond, ...)                                                \
    do {                                                                       \
        if (!(cond))                                                           \
            ck_abort_msg(__VA_ARGS__);                                         \
    } while (0)

/* Every lead byte 0x81-0xFE with every second byte: a pair that reads as
 * one character never has for its trail byte LF, CR, a quote or one of
 * the delimiters deid accepts. Pairs are what iconv accepts, so the test
 * proves the property of the tables the engine really uses. The trail
 * ranges of CP949 (0x41-0x5A, 0x61-0x7A, 0x81-0xFE) are checked too, and
 * that the table is the full one (KS X 1001's 2,350 syllables plus the
 * extension's 8,822 make 11,172 Hangul, with symbols and hanja more). */
START_TEST(no_trail_byte_is_structural)
{
    static const char structural[] = "\n\r\",;|\t";
    text_conv *c = text_conv_new();
    dbuf out;
    dbuf_init(&out, 1 << 16);
    size_t valid = 0, hangul = 0;
    for (unsigned lead = 0x81; lead <= 0xFE; lead++)
        for (unsigned trail = 0x00; trail <= 0xFF; trail++) {
            char pair[2] = {(char)lead, (char)trail};
            size_t bad;
            if (decode(c, pair, 2, &out, &bad) != TEXTENC_OK)
                continue;
            /* a pair that decodes is one character, never a lead byte read
             * alone with an ASCII byte after it */
            CHEAP_ASSERT(out.len >= 2 && ((unsigned char)out.data[out.len - 1] & 0x80),
                          "0x%02X%02X decodes as more than one character", lead, trail);
            valid++;
            int in_range = (trail >= 0x41 && trail <= 0x5A) || (trail >= 0x61 && trail <= 0x7A) ||
                           (trail >= 0x81 && trail <= 0xFE);
            CHEAP_ASSERT(in_range, "0x%02X%02X decodes with trail outside CP949's ranges", lead,
                          trail);
            CHEAP_ASSERT(!memchr(structural, (int)trail, sizeof structural - 1),
                          "0x%02X%02X has a structural trail byte", lead, trail);
            /* U+AC00..U+D7A3 in UTF-8: EA B0 80 .. ED 9E A3 */
            unsigned cp = ((unsigned)(out.data[0] & 0x0F) << 12) |
                          ((unsigned)(out.data[1] & 0x3F) << 6) | (unsigned)(out.data[2] & 0x3F);
            hangul += out.len == 3 && cp >= 0xAC00 && cp <= 0xD7A3;
        }
    ck_assert_uint_eq(hangul, 11172);
    ck_assert_uint_ge(valid, 17000);
    dbuf_wipe(&out);
    text_conv_free(c);
}
END_TEST

START_TEST(encode_cp949_and_strict_euckr)
{
    text_conv *c = text_conv_new();
    dbuf out;
    dbuf_init(&out, 1 << 16);
    size_t bad = 0;
    ck_assert_int_eq(text_conv_encode(c, DEID_ENCODING_CP949, "x" TTOM_UTF8, 4, &out, &bad),
                     TEXTENC_OK);
    ck_assert(out.len == 3 && !memcmp(out.data, "x" TTOM_CP949, 3));
    dbuf_reset(&out);
    ck_assert_int_eq(text_conv_encode(c, DEID_ENCODING_EUCKR, "x" GA_UTF8, 4, &out, &bad),
                     TEXTENC_OK);
    ck_assert(out.len == 3 && !memcmp(out.data, "x" GA_CP949, 3));
    /* 똠 is not in KS X 1001; an emoji is in neither */
    dbuf_reset(&out);
    ck_assert_int_eq(text_conv_encode(c, DEID_ENCODING_EUCKR, "x" TTOM_UTF8, 4, &out, &bad),
                     TEXTENC_BAD);
    ck_assert_uint_eq(bad, 1);
    dbuf_reset(&out);
    ck_assert_int_eq(text_conv_encode(c, DEID_ENCODING_CP949, "ab\xF0\x9F\x98\x80", 6, &out, &bad),
                     TEXTENC_BAD);
    ck_assert_uint_eq(bad, 2);
    dbuf_wipe(&out);
    text_conv_free(c);
}
END_TEST

START_TEST(decode_respects_the_buffer_maximum)
{
    text_conv *c = text_conv_new();
    dbuf out;
    dbuf_init(&out, 8);
    size_t bad;
    /* 4 syllables: 12 UTF-8 bytes do not fit in 8 */
    ck_assert_int_eq(text_conv_decode(c, DEID_ENCODING_CP949, GA_CP949 GA_CP949 GA_CP949 GA_CP949,
                                      8, &out, &bad),
                     TEXTENC_NOMEM);
    dbuf_wipe(&out);
    text_conv_free(c);
}
END_TEST

Suite *textenc_suite(void); /* called by check_main.c */

Suite *textenc_suite(void)
{
    Suite *s = suite_create("textenc");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, names_round_trip);
    tcase_add_test(tc, ascii_test_every_position);
    tcase_add_test(tc, utf8_validity_and_offset);
    tcase_add_test(tc, utf8_validity_matches_the_decoder);
    tcase_add_test(tc, decode_known_codes);
    tcase_add_test(tc, no_trail_byte_is_structural);
    tcase_add_test(tc, encode_cp949_and_strict_euckr);
    tcase_add_test(tc, decode_respects_the_buffer_maximum);
    tcase_add_test(tc, utf8_validity_on_mixed_strings);
    suite_add_tcase(s, tc);
    return s;
}
