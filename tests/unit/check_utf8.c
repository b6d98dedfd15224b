/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_utf8.c - the strict UTF-8 decoder, counting, encoding, offsets and
 * Hangul composition. Expected bytes are written out by hand from the code
 * points (Unicode ch. 3.12 arithmetic done on paper), never produced by
 * utf8.c itself.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "utf8.h"

/* Hangul in NFC (precomposed) and NFD (conjoining jamo), by code point:
 * 홍 U+D64D = U+1112 U+1169 U+11BC, 길 U+AE38 = U+1100 U+1175 U+11AF,
 * 동 U+B3D9 = U+1103 U+1169 U+11BC. */
#define HONG_NFC "\xED\x99\x8D"
#define GIL_NFC "\xEA\xB8\xB8"
#define DONG_NFC "\xEB\x8F\x99"
#define HONG_NFD "\xE1\x84\x92" "\xE1\x85\xA9" "\xE1\x86\xBC"
#define GIL_NFD "\xE1\x84\x80" "\xE1\x85\xB5" "\xE1\x86\xAF"
#define DONG_NFD "\xE1\x84\x83" "\xE1\x85\xA9" "\xE1\x86\xBC"
#define JAMO_G "\xE1\x84\x80"   /* U+1100 L */
#define JAMO_A "\xE1\x85\xA1"   /* U+1161 V */
#define JAMO_GT "\xE1\x86\xA8"  /* U+11A8 T */
#define GA "\xEA\xB0\x80"       /* 가 U+AC00 = L U+1100 + V U+1161 */
#define GAK "\xEA\xB0\x81"      /* 각 U+AC01 = 가 + T U+11A8 */
#define COMPAT_G "\xE3\x84\xB1" /* ㄱ U+3131 HANGUL LETTER KIYEOK */

static void check_decode(const char *s, size_t len, size_t want_n, uint32_t want_cp)
{
    uint32_t cp = 0xFFFFFFFF;
    size_t n = utf8_decode(s, len, &cp);
    ck_assert_uint_eq(n, want_n);
    if (want_n)
        ck_assert_uint_eq(cp, want_cp);
}

START_TEST(decode_valid)
{
    check_decode("A", 1, 1, 0x41);
    check_decode("\x00", 1, 1, 0);
    check_decode("\x7F", 1, 1, 0x7F);
    check_decode("\xC2\x80", 2, 2, 0x80);
    check_decode("\xDF\xBF", 2, 2, 0x7FF);
    check_decode("\xE0\xA0\x80", 3, 3, 0x800);
    check_decode("\xED\x9F\xBF", 3, 3, 0xD7FF);
    check_decode("\xEE\x80\x80", 3, 3, 0xE000);
    check_decode("\xEF\xBF\xBF", 3, 3, 0xFFFF);
    check_decode("\xF0\x90\x80\x80", 4, 4, 0x10000);
    check_decode("\xF4\x8F\xBF\xBF", 4, 4, 0x10FFFF);
    check_decode(HONG_NFC, 3, 3, 0xD64D);
    /* Only the first code point is decoded. */
    check_decode("ab", 2, 1, 'a');
    check_decode(GA "x", 4, 3, 0xAC00);
}
END_TEST

START_TEST(decode_invalid)
{
    check_decode("", 0, 0, 0);
    check_decode("\x80", 1, 0, 0);             /* stray continuation */
    check_decode("\xBF", 1, 0, 0);
    check_decode("\xC0\x80", 2, 0, 0);         /* overlong NUL */
    check_decode("\xC1\xBF", 2, 0, 0);         /* overlong U+007F */
    check_decode("\xE0\x80\x80", 3, 0, 0);     /* overlong 3-byte */
    check_decode("\xE0\x9F\xBF", 3, 0, 0);     /* overlong U+07FF */
    check_decode("\xF0\x80\x80\x80", 4, 0, 0); /* overlong 4-byte */
    check_decode("\xF0\x8F\xBF\xBF", 4, 0, 0); /* overlong U+FFFF */
    check_decode("\xED\xA0\x80", 3, 0, 0);     /* U+D800 */
    check_decode("\xED\xBF\xBF", 3, 0, 0);     /* U+DFFF */
    check_decode("\xF4\x90\x80\x80", 4, 0, 0); /* U+110000 */
    check_decode("\xF5\x80\x80\x80", 4, 0, 0);
    check_decode("\xFF", 1, 0, 0);
    check_decode("\xE1\x84", 2, 0, 0);         /* truncated by len */
    check_decode(HONG_NFC, 2, 0, 0);           /* truncated by len */
    check_decode("\xE1\x84" "A", 3, 0, 0);     /* continuation missing */
    check_decode("\xC2" "A", 2, 0, 0);
    check_decode("\xF0\x90\x80", 3, 0, 0);
}
END_TEST

START_TEST(count)
{
    ck_assert_uint_eq(utf8_count("", 0), 0);
    ck_assert_uint_eq(utf8_count("abc", 3), 3);
    ck_assert_uint_eq(utf8_count(HONG_NFC GIL_NFC DONG_NFC, 9), 3);
    ck_assert_uint_eq(utf8_count(HONG_NFD, 9), 3);
    ck_assert_uint_eq(utf8_count("a" GA "\xF0\x90\x80\x80" "b", 9), 4);
    ck_assert_uint_eq(utf8_count("a\xFF" "b", 3), SIZE_MAX);
    ck_assert_uint_eq(utf8_count("ab\xE1\x84", 4), SIZE_MAX);
    ck_assert_uint_eq(utf8_count("\xED\xA0\x80", 3), SIZE_MAX);
    /* NUL is a code point like any other. */
    ck_assert_uint_eq(utf8_count("a\0b", 3), 3);
}
END_TEST

/* utf8_count's word and three-byte shortcuts against a count written
 * here, one code point at a time by the RFC 3629 byte table, on seeded
 * random strings of ASCII, Hangul, other lead bytes and broken sequences. */
static size_t reference_count(const unsigned char *p, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; n++) {
        unsigned char c = p[i];
        size_t k = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                                : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (k == 0 || len - i < k)
            return SIZE_MAX;
        for (size_t j = 1; j < k; j++)
            if ((p[i + j] & 0xC0) != 0x80)
                return SIZE_MAX;
        unsigned char c1 = k > 1 ? p[i + 1] : 0x80;
        if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) ||
            (c == 0xF4 && c1 > 0x8F))
            return SIZE_MAX; /* overlong, surrogate, beyond U+10FFFF */
        i += k;
    }
    return n;
}

START_TEST(count_matches_reference)
{
    static const char *const pieces[] = {"a", "abcdefgh", " ", GA, HONG_NFC, "\xED\x9E\xA3",
                                         "\xED\xA0\x80", "\xE0\x9F\xBF", "\xEF\xBF\xBF",
                                         "\xC3\xA9", "\xF0\x9F\x98\x80", "\x80", "\xEA\xB0"};
    uint32_t seed = 2463534242u;
    unsigned char buf[128];
    for (int iter = 0; iter < 50000; iter++) {
        size_t len = 0;
        size_t parts = (seed = seed * 1103515245u + 12345u) >> 28;
        for (size_t k = 0; k < parts; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *pc = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
            /* mostly whole pieces; now and then one cut short */
            size_t n = strlen(pc);
            memcpy(buf + len, pc, n);
            len += n;
        }
        if (len && (seed >> 8) % 11 == 0)
            len--;
        ck_assert_msg(utf8_count((const char *)buf, len) == reference_count(buf, len),
                      "iteration %d", iter);
    }
}
END_TEST

static void check_encode(uint32_t cp, const char *want, size_t want_n)
{
    char out[4];
    size_t n = utf8_encode(cp, out);
    ck_assert_uint_eq(n, want_n);
    ck_assert_int_eq(memcmp(out, want, n), 0);
}

START_TEST(encode)
{
    check_encode(0, "\x00", 1);
    check_encode(0x41, "A", 1);
    check_encode(0x7F, "\x7F", 1);
    check_encode(0x80, "\xC2\x80", 2);
    check_encode(0x7FF, "\xDF\xBF", 2);
    check_encode(0x800, "\xE0\xA0\x80", 3);
    check_encode(0xD64D, HONG_NFC, 3);
    check_encode(0xFFFF, "\xEF\xBF\xBF", 3);
    check_encode(0x10000, "\xF0\x90\x80\x80", 4);
    check_encode(0x10FFFF, "\xF4\x8F\xBF\xBF", 4);
    check_encode(0xD800, "", 0);
    check_encode(0xDFFF, "", 0);
    check_encode(0x110000, "", 0);
    check_encode(0xFFFFFFFF, "", 0);
}
END_TEST

START_TEST(offset)
{
    const char *s = "a" HONG_NFC "b" "\xF0\x90\x80\x80";
    size_t len = 9;
    ck_assert_uint_eq(utf8_offset(s, len, 0), 0);
    ck_assert_uint_eq(utf8_offset(s, len, 1), 1);
    ck_assert_uint_eq(utf8_offset(s, len, 2), 4);
    ck_assert_uint_eq(utf8_offset(s, len, 3), 5);
    ck_assert_uint_eq(utf8_offset(s, len, 4), 9);
    ck_assert_uint_eq(utf8_offset(s, len, 5), 9);
    ck_assert_uint_eq(utf8_offset(s, len, 1000), 9);
    ck_assert_uint_eq(utf8_offset("", 0, 3), 0);
    /* Broken input still ends within len. */
    ck_assert_uint_eq(utf8_offset("\xFF\xFF", 2, 5), 2);
    ck_assert_uint_le(utf8_offset(HONG_NFC, 2, 1), 2);
    ck_assert_uint_le(utf8_offset(HONG_NFC, 2, 5), 2);
}
END_TEST

/* Composes s into a fresh buffer and compares with want. */
static void check_compose(const char *s, const char *want)
{
    dbuf out;
    dbuf_init(&out, 1024);
    ck_assert_int_eq(utf8_compose_hangul(s, strlen(s), &out), 0);
    ck_assert_uint_eq(out.len, strlen(want));
    ck_assert_int_eq(memcmp(out.data ? out.data : "", want, out.len), 0);
    dbuf_free(&out);
}

START_TEST(compose_name)
{
    check_compose(HONG_NFD GIL_NFD DONG_NFD, HONG_NFC GIL_NFC DONG_NFC);
    /* Already NFC: unchanged. */
    check_compose(HONG_NFC GIL_NFC DONG_NFC, HONG_NFC GIL_NFC DONG_NFC);
    /* Half and half. */
    check_compose(HONG_NFC GIL_NFD DONG_NFC, HONG_NFC GIL_NFC DONG_NFC);
    check_compose("", "");
}
END_TEST

START_TEST(compose_mixed)
{
    check_compose("Mr. " HONG_NFD GIL_NFD DONG_NFD ", 010-1234-5678",
                  "Mr. " HONG_NFC GIL_NFC DONG_NFC ", 010-1234-5678");
    check_compose("a" HONG_NFD "b", "a" HONG_NFC "b");
    /* L+V without T, followed by ASCII. */
    check_compose(JAMO_G JAMO_A "1", GA "1");
    /* A precomposed LV syllable takes a following T. */
    check_compose(GA JAMO_GT, GAK);
    check_compose("x" GA JAMO_GT "y", "x" GAK "y");
    /* L V at the very end. */
    check_compose("ab" JAMO_G JAMO_A, "ab" GA);
    /* Non-Hangul multi-byte text is copied byte for byte. */
    check_compose("caf\xC3\xA9 \xF0\x9F\x98\x80", "caf\xC3\xA9 \xF0\x9F\x98\x80");
}
END_TEST

START_TEST(compose_leftovers)
{
    /* A lone V or T has nothing to join. */
    check_compose(JAMO_A, JAMO_A);
    check_compose(JAMO_GT, JAMO_GT);
    check_compose("a" JAMO_A JAMO_GT, "a" JAMO_A JAMO_GT);
    /* A lone L, and L at the end. */
    check_compose(JAMO_G, JAMO_G);
    check_compose(JAMO_G "x", JAMO_G "x");
    /* L L V: only the second L joins the V. */
    check_compose(JAMO_G JAMO_G JAMO_A, JAMO_G GA);
    /* L V V: the second V stays. */
    check_compose(JAMO_G JAMO_A JAMO_A, GA JAMO_A);
    /* LVT + T: an LVT syllable takes no further T. */
    check_compose(GAK JAMO_GT, GAK JAMO_GT);
    check_compose(HONG_NFD JAMO_GT, HONG_NFC JAMO_GT);
    /* Compatibility jamo (U+3131) are not conjoining: nothing changes. */
    check_compose(COMPAT_G JAMO_A, COMPAT_G JAMO_A);
    check_compose(COMPAT_G, COMPAT_G);
    /* L followed by T (no V) does not compose. */
    check_compose(JAMO_G JAMO_GT, JAMO_G JAMO_GT);
}
END_TEST

START_TEST(compose_invalid)
{
    dbuf out;
    dbuf_init(&out, 1024);
    ck_assert_int_eq(dbuf_append_str(&out, "keep"), 0);
    const char bad1[] = HONG_NFD "\xFF";
    ck_assert_int_eq(utf8_compose_hangul(bad1, sizeof bad1 - 1, &out), 1);
    const char bad2[] = "\xC0\x80";
    ck_assert_int_eq(utf8_compose_hangul(bad2, sizeof bad2 - 1, &out), 1);
    /* A jamo cut short right after an L. */
    const char bad3[] = JAMO_G "\xE1\x85";
    ck_assert_int_eq(utf8_compose_hangul(bad3, sizeof bad3 - 1, &out), 1);
    const char bad4[] = "ok\xED\xA0\x80";
    ck_assert_int_eq(utf8_compose_hangul(bad4, sizeof bad4 - 1, &out), 1);
    /* Nothing half-written is left behind. */
    ck_assert_uint_eq(out.len, 4);
    ck_assert_int_eq(memcmp(out.data, "keep", 4), 0);
    dbuf_free(&out);
}
END_TEST

START_TEST(compose_appends_and_limits)
{
    dbuf out;
    dbuf_init(&out, 8);
    ck_assert_int_eq(dbuf_append_str(&out, ">"), 0);
    ck_assert_int_eq(utf8_compose_hangul(HONG_NFD GIL_NFD, 18, &out), 0);
    ck_assert_uint_eq(out.len, 7);
    ck_assert_int_eq(memcmp(out.data, ">" HONG_NFC GIL_NFC, 7), 0);
    /* A third syllable (3 more bytes) does not fit in 8. */
    int rc = utf8_compose_hangul(DONG_NFD, 9, &out);
    ck_assert_int_eq(rc, DBUF_ETOOBIG);
    ck_assert_uint_eq(out.len, 7);
    dbuf_free(&out);
}
END_TEST

START_TEST(compose_range_edges)
{
    /* Last L, last V, last T: ᄒ U+1112 + ᅵ U+1175 + ᇂ U+11C2 = 힣 U+D7A3. */
    check_compose("\xE1\x84\x92\xE1\x85\xB5\xE1\x87\x82", "\xED\x9E\xA3");
    /* 가 + ᇂ U+11C2 = 갛 U+AC1B. */
    check_compose(GA "\xE1\x87\x82", "\xEA\xB0\x9B");
    /* U+11A7 (T index 0) and U+11C3 are not trailing consonants. */
    check_compose(GA "\xE1\x86\xA7", GA "\xE1\x86\xA7");
    check_compose(GA "\xE1\x87\x83", GA "\xE1\x87\x83");
    /* U+1176 is past the last modern V, U+1113 past the last modern L. */
    check_compose(JAMO_G "\xE1\x85\xB6", JAMO_G "\xE1\x85\xB6");
    check_compose("\xE1\x84\x93" JAMO_A, "\xE1\x84\x93" JAMO_A);
}
END_TEST

/* The White_Space list of Unicode's PropList.txt, written out by hand. */
START_TEST(white_space)
{
    static const uint32_t ws[] = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680,
                                  0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
                                  0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F,
                                  0x205F, 0x3000};
    size_t n_ws = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        int want = 0;
        for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++)
            want |= ws[i] == cp;
        /* ck_assert per code point costs a write to Check's pipe each
         * (1.1 million of them timed out under ASAN in CI) */
        if (utf8_is_white_space(cp) != want)
            ck_abort_msg("U+%04X", (unsigned)cp);
        n_ws += (size_t)want;
    }
    ck_assert_uint_eq(n_ws, 25);
    ck_assert_int_eq(utf8_is_white_space(0x200B), 0); /* ZERO WIDTH SPACE: not White_Space */
    ck_assert_int_eq(utf8_is_white_space(0x180E), 0); /* MONGOLIAN VOWEL SEPARATOR: no longer */
    ck_assert_int_eq(utf8_is_white_space(0xFEFF), 0);
}
END_TEST

Suite *utf8_suite(void); /* called by check_main.c */

Suite *utf8_suite(void)
{
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, decode_valid);
    tcase_add_test(tc, white_space);
    tcase_add_test(tc, decode_invalid);
    tcase_add_test(tc, count);
    tcase_add_test(tc, encode);
    tcase_add_test(tc, offset);
    tcase_add_test(tc, compose_name);
    tcase_add_test(tc, compose_mixed);
    tcase_add_test(tc, compose_leftovers);
    tcase_add_test(tc, compose_range_edges);
    tcase_add_test(tc, compose_invalid);
    tcase_add_test(tc, count_matches_reference);
    tcase_add_test(tc, compose_appends_and_limits);
    suite_add_tcase(s, tc);
    return s;
}
