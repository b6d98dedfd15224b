/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_encode.c - hex, lowercase unpadded base32 and unpadded base64url
 * against the RFC 4648 section 10 vectors (lowercased, '=' removed), the
 * URL alphabet's two special characters, and hex decoding.
 */
#include <check.h>
#include <string.h>

#include "encode.h"

static const char *const inputs[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};

START_TEST(test_hex_rfc4648)
{
    static const char *const want[] = {"", "66", "666f", "666f6f", "666f6f62", "666f6f6261",
                                       "666f6f626172"};
    char out[32];
    const char *s = inputs[_i];
    size_t n = encode_hex(s, strlen(s), out);
    ck_assert_str_eq(out, want[_i]);
    ck_assert_uint_eq(n, strlen(want[_i]));
    ck_assert_uint_eq(encode_hex_len(strlen(s)), strlen(want[_i]));
}
END_TEST

START_TEST(test_base32_rfc4648)
{
    /* RFC 4648 section 10: MY======, MZXQ====, MZXW6===, MZXW6YQ=, MZXW6YTB,
     * MZXW6YTBOI====== */
    static const char *const want[] = {"", "my", "mzxq", "mzxw6", "mzxw6yq", "mzxw6ytb",
                                       "mzxw6ytboi"};
    char out[32];
    const char *s = inputs[_i];
    memset(out, 'X', sizeof out);
    size_t n = encode_base32(s, strlen(s), out);
    ck_assert_str_eq(out, want[_i]);
    ck_assert_uint_eq(n, strlen(want[_i]));
    ck_assert_uint_eq(encode_base32_len(strlen(s)), strlen(want[_i]));
}
END_TEST

START_TEST(test_base64url_rfc4648)
{
    /* RFC 4648 section 10: Zg==, Zm8=, Zm9v, Zm9vYg==, Zm9vYmE=, Zm9vYmFy */
    static const char *const want[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE",
                                       "Zm9vYmFy"};
    char out[32];
    const char *s = inputs[_i];
    memset(out, 'X', sizeof out);
    size_t n = encode_base64url(s, strlen(s), out);
    ck_assert_str_eq(out, want[_i]);
    ck_assert_uint_eq(n, strlen(want[_i]));
    ck_assert_uint_eq(encode_base64url_len(strlen(s)), strlen(want[_i]));
    /* The buffer contract is len + 1: nothing may be written past it. */
    ck_assert_int_eq(out[n + 1], 'X');
}
END_TEST

START_TEST(test_base64url_alphabet)
{
    /* 0xfb 0xff 0xbf = 111110 111111 111110 111111 = 62 63 62 63:
     * "+/+/" in base64, "-_-_" in base64url. */
    const unsigned char in[] = {0xfb, 0xff, 0xbf, 0xfb};
    char out[16];
    ck_assert_uint_eq(encode_base64url(in, 3, out), 4);
    ck_assert_str_eq(out, "-_-_");
    /* 0xfb alone = 111110 11(0000) -> 62, 48 -> "-w" */
    ck_assert_uint_eq(encode_base64url(in + 3, 1, out), 2);
    ck_assert_str_eq(out, "-w");
}
END_TEST

START_TEST(test_base32_all_symbols)
{
    /* The values 0..31 packed as consecutive 5-bit groups (20 bytes) encode
     * as the whole alphabet in order. */
    unsigned char in[20];
    memset(in, 0, sizeof in);
    for (unsigned v = 0; v < 32; v++)
        for (unsigned b = 0; b < 5; b++)
            if (v & (1u << (4 - b))) {
                unsigned bit = v * 5 + b;
                in[bit / 8] |= (unsigned char)(0x80u >> (bit % 8));
            }
    char out[40];
    ck_assert_uint_eq(encode_base32(in, sizeof in, out), 32);
    ck_assert_str_eq(out, "abcdefghijklmnopqrstuvwxyz234567");
    const unsigned char ff[5] = {0xff, 0xff, 0xff, 0xff, 0xff};
    encode_base32(ff, 5, out);
    ck_assert_str_eq(out, "77777777");
}
END_TEST

START_TEST(test_hex_all_bytes)
{
    unsigned char in[256];
    for (unsigned i = 0; i < 256; i++)
        in[i] = (unsigned char)i;
    char out[513];
    ck_assert_uint_eq(encode_hex(in, 256, out), 512);
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < 256; i++) {
        ck_assert_int_eq(out[2 * i], digits[i >> 4]);
        ck_assert_int_eq(out[2 * i + 1], digits[i & 15]);
    }
    unsigned char back[256];
    ck_assert_int_eq(encode_hex_decode(out, 512, back), 0);
    ck_assert_mem_eq(back, in, 256);
}
END_TEST

START_TEST(test_hex_decode)
{
    unsigned char out[8];
    ck_assert_int_eq(encode_hex_decode("00fFaA09", 8, out), 0);
    const unsigned char want[] = {0x00, 0xff, 0xaa, 0x09};
    ck_assert_mem_eq(out, want, 4);
    ck_assert_int_eq(encode_hex_decode("", 0, out), 0);
    ck_assert_int_eq(encode_hex_decode("abc", 3, out), -1);   /* odd */
    ck_assert_int_eq(encode_hex_decode("0g", 2, out), -1);
    ck_assert_int_eq(encode_hex_decode("g0", 2, out), -1);
    ck_assert_int_eq(encode_hex_decode("0 ", 2, out), -1);
    ck_assert_int_eq(encode_hex_decode("0:", 2, out), -1);    /* '9' + 1 */
    ck_assert_int_eq(encode_hex_decode("/0", 2, out), -1);    /* '0' - 1 */
    ck_assert_int_eq(encode_hex_decode("@0", 2, out), -1);    /* 'A' - 1 */
    ck_assert_int_eq(encode_hex_decode("`0", 2, out), -1);    /* 'a' - 1 */
    ck_assert_int_eq(encode_hex_decode("G0", 2, out), -1);
    ck_assert_int_eq(encode_hex_decode("0\xc1", 2, out), -1); /* 'A' | 0x80 */
    ck_assert_int_eq(encode_hex_decode("00\0" "0", 4, out), -1);
}
END_TEST

START_TEST(test_lengths)
{
    /* 32 bytes: the pseudonym lengths xf_hash allows at most */
    ck_assert_uint_eq(encode_hex_len(32), 64);
    ck_assert_uint_eq(encode_base32_len(32), 52);
    ck_assert_uint_eq(encode_base64url_len(32), 43);
    unsigned char in[32] = {0};
    char out[70];
    ck_assert_uint_eq(encode_base32(in, 32, out), 52);
    ck_assert_uint_eq(encode_base64url(in, 32, out), 43);
    ck_assert_uint_eq(encode_hex(in, 32, out), 64);
}
END_TEST

START_TEST(test_base64url_long)
{
    /* Longer than one internal 3 KiB block: must equal piecewise encoding
     * of 3-byte groups (each group encodes independently). */
    static unsigned char in[3 * 1024 * 2 + 2];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (unsigned char)(i * 7 + 3);
    static char out[sizeof in * 2];
    size_t n = encode_base64url(in, sizeof in, out);
    ck_assert_uint_eq(n, encode_base64url_len(sizeof in));
    ck_assert_uint_eq(strlen(out), n);
    char piece[8];
    for (size_t i = 0; i + 3 <= sizeof in; i += 3) {
        encode_base64url(in + i, 3, piece);
        ck_assert_int_eq(memcmp(out + i / 3 * 4, piece, 4), 0);
    }
    encode_base64url(in + sizeof in - 2, 2, piece);
    ck_assert_str_eq(out + (sizeof in - 2) / 3 * 4, piece);
}
END_TEST

/* base64 decoding of a known length; expected bytes from RFC 4648
 * section 10 ("foobar") and from `printf ... | xxd -r -p | base64`. */
START_TEST(test_base64_decode)
{
    unsigned char out[40];
    memset(out, 0xAA, sizeof out);
    ck_assert_int_eq(encode_base64_decode("Zm9vYmFy", 8, out, 6), 0);
    ck_assert_int_eq(memcmp(out, "foobar", 6), 0);
    ck_assert_int_eq(encode_base64_decode("Zm9vYg==", 8, out, 4), 0);
    ck_assert_int_eq(memcmp(out, "foob", 4), 0);
    ck_assert_int_eq(encode_base64_decode("Zm9vYg", 6, out, 4), 0);
    ck_assert_int_eq(encode_base64_decode("Zg==", 4, out, 1), 0);
    ck_assert_int_eq(out[0], 'f');
    /* 32 bytes 00..1f: 43 digits, or 44 with '=' */
    static const char k[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    ck_assert_int_eq(encode_base64_decode(k, 44, out, 32), 0);
    for (int i = 0; i < 32; i++)
        ck_assert_int_eq(out[i], i);
    ck_assert_int_eq(encode_base64_decode(k, 43, out, 32), 0);
    /* both alphabets: fb ef ff -> "++//" in standard, "--__" in URL-safe */
    ck_assert_int_eq(encode_base64_decode("++//", 4, out, 3), 0);
    ck_assert_int_eq(out[0], 0xfb);
    ck_assert_int_eq(out[1], 0xef);
    ck_assert_int_eq(out[2], 0xff);
    ck_assert_int_eq(encode_base64_decode("--__", 4, out, 3), 0);
    ck_assert_int_eq(out[0], 0xfb);
    ck_assert_int_eq(out[2], 0xff);
    /* refused: wrong length, bad digit, '=' inside, too much padding,
     * spare bits set ("Zh" is not canonical for "f") */
    ck_assert_int_eq(encode_base64_decode(k, 42, out, 32), -1);
    ck_assert_int_eq(encode_base64_decode("Zm9vYmFy", 8, out, 5), -1);
    ck_assert_int_eq(encode_base64_decode("Zm9v*mFy", 8, out, 6), -1);
    ck_assert_int_eq(encode_base64_decode("Zm9v YFy", 8, out, 6), -1);
    ck_assert_int_eq(encode_base64_decode("Zg=a", 4, out, 1), -1);
    ck_assert_int_eq(encode_base64_decode("Zg===", 5, out, 1), -1);
    ck_assert_int_eq(encode_base64_decode("Zh==", 4, out, 1), -1);
    ck_assert_int_eq(encode_base64_decode("Zh", 2, out, 1), -1);
    ck_assert_int_eq(encode_base64_decode("=g==", 4, out, 1), -1);
}
END_TEST

Suite *encode_suite(void); /* called by check_main.c */
Suite *encode_suite(void)
{
    Suite *s = suite_create("encode");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_hex_rfc4648, 0, 7);
    tcase_add_loop_test(tc, test_base32_rfc4648, 0, 7);
    tcase_add_loop_test(tc, test_base64url_rfc4648, 0, 7);
    tcase_add_test(tc, test_base64url_alphabet);
    tcase_add_test(tc, test_base32_all_symbols);
    tcase_add_test(tc, test_hex_all_bytes);
    tcase_add_test(tc, test_hex_decode);
    tcase_add_test(tc, test_base64_decode);
    tcase_add_test(tc, test_lengths);
    tcase_add_test(tc, test_base64url_long);
    suite_add_tcase(s, tc);
    return s;
}
