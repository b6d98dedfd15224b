/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_encrypt.c - the `encrypt` transform (AES-SIV, RFC 5297) and its
 * reverse. Expected values come from outside xf_encrypt.c and keyring.c:
 * the RFC 5297 Appendix A.1 vector; HKDF output from the openssl command
 * line (`openssl kdf -keylen 64 -kdfopt digest:SHA256 -kdfopt hexkey:...
 * -kdfopt "info:deid encrypt aes-256-siv v1" HKDF`); whole pseudonyms from
 * Python's cryptography package (HKDF(SHA256, 64, salt=None, info) then
 * AESSIV(K).encrypt(value, [domain]), base64.urlsafe_b64encode without
 * '='); and a reference recomputed here with OpenSSL's EVP_PKEY HKDF and
 * EVP_Encrypt* calls plus a bit-by-bit base64url coder written for the
 * test.
 */
#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>

#include "keyring.h"
#include "transform.h"
#include "xf_encrypt.h"
#include "xf_rig.h"

extern const transform_ops xf_encrypt_ops;

#define HGD_NFC "\xED\x99\x8D\xEA\xB8\xB8\xEB\x8F\x99" /* 홍길동 */
#define GOGAEK_NFC "\xEA\xB3\xA0\xEA\xB0\x9D"           /* 고객 */
#define GOGAEK_NFD "\xE1\x84\x80\xE1\x85\xA9\xE1\x84\x80\xE1\x85\xA2\xE1\x86\xA8"
#define LABEL "deid encrypt aes-256-siv v1"
#define AUTH_FAIL "failed authentication (tampered or wrong key)"
#define NOT_OURS "is not an encrypt value"

static unsigned char main_key[32];
static const unsigned char other_key[20] = "another key, 20 byte";
static keyring *ring;
static deid_error err;

static void setup(void)
{
    for (int i = 0; i < 32; i++)
        main_key[i] = (unsigned char)i; /* 00 01 .. 1f */
    ring = keyring_new();
    ck_assert_ptr_nonnull(ring);
    ck_assert_int_eq(keyring_add_raw(ring, "main", main_key, 32, &err), DEID_OK);
    ck_assert_int_eq(keyring_add_raw(ring, "other", other_key, 20, &err), DEID_OK);
    ck_assert_int_eq(keyring_add_raw(ring, "copy", main_key, 32, &err), DEID_OK);
}

static void teardown(void)
{
    keyring_free(ring);
}

/* ---- helpers ---- */

static xf_rig_setup make_setup(const char *column)
{
    return (xf_rig_setup){
        .ops = &xf_encrypt_ops,
        .column = column,
        .rules_file = "t.rules",
        .keys = ring,
        .line = 4,
        .col = 99,
        .resets_state = 1,
    };
}

static deid_status compile_spec(xf_rig *r, const char *column, const char *spec)
{
    const xf_rig_setup setup = make_setup(column);
    xf_rig_init(r, &setup);
    xf_rig_spec(r, spec);
    return xf_rig_compile(r);
}

static void compile_ok(xf_rig *r, const char *column, const char *spec)
{
    ck_assert_int_eq(compile_spec(r, column, spec), DEID_OK);
    ck_assert_ptr_nonnull(r->state);
    for (size_t i = 0; i < r->ctx.n_params; i++)
        ck_assert_msg(r->params[i].used, "parameter %s not marked used", r->params[i].name);
}

/* Encrypts v[0..len) and returns the malloc'd, NUL-terminated output. */
static char *enc(const xf_rig *r, const void *v, size_t len)
{
    dbuf out;
    const char *why;
    xf_value in = {v, len};
    ck_assert_int_eq(xf_rig_apply_n(r, &in, 1, &out, XF_RIG_OUT_MAX, &why), XF_OK);
    ck_assert_ptr_null(why);
    char *s = malloc(out.len + 1);
    ck_assert_ptr_nonnull(s);
    memcpy(s, out.data, out.len);
    s[out.len] = '\0';
    dbuf_free(&out);
    return s;
}

/* Runs reverse on in[0..len) (copied to a buffer followed by other bytes,
 * so a read past len shows) into out, limit max. */
static xf_result dec(const xf_rig *r, const char *in, size_t len, dbuf *out, size_t max,
                     const char **why)
{
    char *copy = malloc(len + 8);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, in, len);
    memcpy(copy + len, "AAAAAAAA", 8);
    xf_value v = {copy, len};
    dbuf_init(out, max);
    *why = NULL;
    ck_assert_ptr_nonnull(r->ops->reverse);
    xf_result res = r->ops->reverse(r->state, &v, 1, out, why);
    free(copy);
    return res;
}

static void expect_reverse(const xf_rig *r, const char *in, const void *want, size_t want_len)
{
    dbuf out;
    const char *why;
    ck_assert_int_eq(dec(r, in, strlen(in), &out, XF_RIG_OUT_MAX, &why), XF_OK);
    ck_assert_ptr_null(why);
    ck_assert_uint_eq(out.len, want_len);
    ck_assert(want_len == 0 || memcmp(out.data, want, want_len) == 0);
    dbuf_free(&out);
}

static void expect_reverse_bad(const xf_rig *r, const char *in, size_t len, const char *want_why)
{
    dbuf out;
    const char *why;
    ck_assert_int_eq(dec(r, in, len, &out, XF_RIG_OUT_MAX, &why), XF_BAD_VALUE);
    ck_assert_ptr_nonnull(why);
    ck_assert_str_eq(why, want_why);
    ck_assert_uint_eq(out.len, 0);
    dbuf_free(&out);
}

/* ---- the independent reference ---- */

static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Encodes bit by bit, zero-padding the last group, no '='. */
static void b64_enc(const unsigned char *in, size_t n, char *out)
{
    size_t total = n * 8, o = 0;
    for (size_t pos = 0; pos < total; pos += 6) {
        unsigned v = 0;
        for (unsigned b = 0; b < 6; b++) {
            size_t bit = pos + b;
            v = (v << 1) | (bit < total ? (in[bit / 8] >> (7 - bit % 8)) & 1u : 0u);
        }
        out[o++] = B64URL[v];
    }
    out[o] = '\0';
}

/* Decodes unpadded base64url bit by bit; returns the byte count. */
static size_t b64_dec(const char *s, unsigned char *out)
{
    size_t bits = 0, n = 0;
    unsigned acc = 0;
    for (; *s; s++) {
        const char *p = strchr(B64URL, *s);
        ck_assert_ptr_nonnull(p);
        acc = (acc << 6) | (unsigned)(p - B64URL);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    return n;
}

/* HKDF-SHA-256 through the EVP_PKEY interface (keyring.c uses EVP_KDF). */
static void ref_hkdf(const unsigned char *ikm, size_t ikm_len, unsigned char out[64])
{
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
    size_t len = 64;
    ck_assert_ptr_nonnull(pctx);
    ck_assert_int_eq(EVP_PKEY_derive_init(pctx), 1);
    ck_assert_int_eq(EVP_PKEY_CTX_set_hkdf_md(pctx, EVP_sha256()), 1);
    ck_assert_int_eq(EVP_PKEY_CTX_set1_hkdf_key(pctx, ikm, (int)ikm_len), 1);
    ck_assert_int_eq(
        EVP_PKEY_CTX_add1_hkdf_info(pctx, (const unsigned char *)LABEL, (int)strlen(LABEL)), 1);
    ck_assert_int_eq(EVP_PKEY_derive(pctx, out, &len), 1);
    ck_assert_uint_eq(len, 64);
    EVP_PKEY_CTX_free(pctx);
}

/* The whole pseudonym, recomputed: returns a malloc'd string. */
static char *ref_encrypt(const unsigned char *ikm, size_t ikm_len, const char *domain,
                         const unsigned char *v, size_t len)
{
    unsigned char k[64];
    ref_hkdf(ikm, ikm_len, k);
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, "AES-256-SIV", NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    unsigned char *bin = malloc(16 + len);
    char *text = malloc((16 + len) * 4 / 3 + 4);
    int n = 0;
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_nonnull(ctx);
    ck_assert_ptr_nonnull(bin);
    ck_assert_ptr_nonnull(text);
    ck_assert_int_eq(EVP_EncryptInit_ex(ctx, c, NULL, k, NULL), 1);
    ck_assert_int_eq(EVP_EncryptUpdate(ctx, NULL, &n, (const unsigned char *)domain,
                                       (int)strlen(domain)),
                     1);
    ck_assert_int_eq(EVP_EncryptUpdate(ctx, bin + 16, &n, v, (int)len), 1);
    ck_assert_int_eq(n, (int)len);
    ck_assert_int_eq(EVP_EncryptFinal_ex(ctx, bin + 16 + len, &n), 1);
    ck_assert_int_eq(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, bin), 1);
    b64_enc(bin, 16 + len, text);
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(c);
    free(bin);
    return text;
}

/* xorshift64*: reproducible test values. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Du;
}

static void fill_random(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(rng() >> 56);
}

/* ---- RFC 5297 through the transform's own EVP sequence ---- */

static EVP_CIPHER_CTX *rfc_ctx(int encrypt)
{
    static const unsigned char key[32] = {
        0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa, 0xf9, 0xf8, 0xf7, 0xf6, 0xf5,
        0xf4, 0xf3, 0xf2, 0xf1, 0xf0, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5,
        0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
    };
    /* AES-SIV-CMAC-256 in the RFC is OpenSSL's AES-128-SIV (two 128-bit
     * keys). */
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, "AES-128-SIV", NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_nonnull(ctx);
    ck_assert_int_eq(EVP_CipherInit_ex2(ctx, c, key, NULL, encrypt, NULL), 1);
    EVP_CIPHER_free(c);
    return ctx;
}

START_TEST(test_rfc5297_a1)
{
    static const unsigned char ad[24] = {
        0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b,
        0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
    };
    static const unsigned char pt[14] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                         0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
    static const unsigned char want[30] = {
        0x85, 0x63, 0x2d, 0x07, 0xc6, 0xe8, 0xf3, 0x7f, 0x95, 0x0a, 0xcd, 0x32, 0x0a, 0x2e, 0xcc,
        0x93, 0x40, 0xc0, 0x2b, 0x96, 0x90, 0xc4, 0xdc, 0x04, 0xda, 0xef, 0x7f, 0x6a, 0xfe, 0x5c,
    };
    unsigned char out[30], back[14];
    EVP_CIPHER_CTX *ctx = rfc_ctx(1);
    ck_assert_int_eq(xf_encrypt_siv_seal(ctx, ad, sizeof ad, pt, sizeof pt, out), 0);
    EVP_CIPHER_CTX_free(ctx);
    ck_assert_mem_eq(out, want, sizeof want);

    ctx = rfc_ctx(0);
    ck_assert_int_eq(xf_encrypt_siv_open(ctx, ad, sizeof ad, want, sizeof want, back), 0);
    EVP_CIPHER_CTX_free(ctx);
    ck_assert_mem_eq(back, pt, sizeof pt);

    /* Any changed bit, in the SIV or the ciphertext, fails; so does
     * another AD. */
    for (size_t i = 0; i < sizeof want; i++) {
        unsigned char bad[30];
        memcpy(bad, want, sizeof bad);
        bad[i] ^= (unsigned char)(1u << (i % 8));
        ctx = rfc_ctx(0);
        ck_assert_int_eq(xf_encrypt_siv_open(ctx, ad, sizeof ad, bad, sizeof bad, back), -1);
        EVP_CIPHER_CTX_free(ctx);
    }
    ctx = rfc_ctx(0);
    ck_assert_int_eq(xf_encrypt_siv_open(ctx, ad, sizeof ad - 1, want, sizeof want, back), -1);
    EVP_CIPHER_CTX_free(ctx);

    /* Lengths the functions refuse: empty plaintext, SIV alone. */
    ctx = rfc_ctx(1);
    ck_assert_int_eq(xf_encrypt_siv_seal(ctx, ad, sizeof ad, pt, 0, out), -1);
    EVP_CIPHER_CTX_free(ctx);
    ctx = rfc_ctx(0);
    ck_assert_int_eq(xf_encrypt_siv_open(ctx, ad, sizeof ad, want, 16, back), -1);
    EVP_CIPHER_CTX_free(ctx);
}
END_TEST

START_TEST(test_cipher_available)
{
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, "AES-256-SIV", NULL);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(EVP_CIPHER_get_key_length(c), 64);
    EVP_CIPHER_free(c);
}
END_TEST

/* ---- fixed vectors and the reference ---- */

START_TEST(test_fixed_vectors)
{
    /* The reference HKDF agrees with the openssl command line. */
    static const unsigned char k_main[64] = {
        0x5e, 0x0c, 0x08, 0xe4, 0xe4, 0xe0, 0x68, 0x91, 0xef, 0xed, 0xbe, 0x24, 0xa5,
        0x80, 0xd0, 0x8c, 0x3f, 0xd5, 0x76, 0x48, 0x05, 0x7c, 0x3f, 0xa5, 0x15, 0x2b,
        0xf9, 0xf2, 0x25, 0xbd, 0x2e, 0x9d, 0x0c, 0xca, 0xaa, 0x58, 0xb4, 0xd9, 0xb7,
        0x4d, 0x52, 0x23, 0x0d, 0xe3, 0x90, 0x98, 0x76, 0xc5, 0x84, 0xaf, 0x88, 0x0b,
        0xae, 0xb5, 0x42, 0x0f, 0xbb, 0x6d, 0x3b, 0x93, 0x1c, 0x2f, 0x3a, 0xca,
    };
    unsigned char k[64];
    ref_hkdf(main_key, sizeof main_key, k);
    ck_assert_mem_eq(k, k_main, 64);

    xf_rig r;
    compile_ok(&r, "name", "key=main");
    xf_rig_expect(&r, HGD_NFC, "4j0YpZRMm3Xi5rOifYH7RN_YPEDn5VxBqQ");
    xf_rig_expect(&r, "a", "sGrgBHEJu564UnMmEKBox5o");
    /* Bytes are bytes: invalid UTF-8 and NUL are encrypted as they are. */
    xf_rig_expect_bytes(&r, "\xff\x00\xfe", 3, "UEjes6M9ZDNKSAYE4EvcMbtTEg", 26);
    expect_reverse(&r, "UEjes6M9ZDNKSAYE4EvcMbtTEg", "\xff\x00\xfe", 3);
    expect_reverse(&r, "4j0YpZRMm3Xi5rOifYH7RN_YPEDn5VxBqQ", HGD_NFC, strlen(HGD_NFC));
    xf_rig_done(&r);

    compile_ok(&r, "name", "key=main domain=customer");
    xf_rig_expect(&r, HGD_NFC, "NU3jrkFVZI7i_2xAkQ9K8ig7dvH11U_Jhw");
    xf_rig_done(&r);

    compile_ok(&r, "phone", "key=main");
    xf_rig_expect(&r, "010-1234-5678", "syCu7rQdR5R3_XxV1Rs30tMsdWP3Fgv12kGrA48");
    xf_rig_done(&r);

    compile_ok(&r, "name", "key=other");
    xf_rig_expect(&r, "a", "YJC80R6Ew8T6QDyPgTBz32c");
    xf_rig_done(&r);

    /* The domain is UTF-8 with jamo composed: NFD and NFC name one domain. */
    compile_ok(&r, "x", "key=main domain=" GOGAEK_NFC);
    xf_rig_expect(&r, "a", "UJwFgjwkz83KdZP19eyng2E");
    xf_rig_done(&r);
    compile_ok(&r, "x", "key=main domain=" GOGAEK_NFD);
    xf_rig_expect(&r, "a", "UJwFgjwkz83KdZP19eyng2E");
    xf_rig_done(&r);
    compile_ok(&r, GOGAEK_NFD, "key=main");
    xf_rig_expect(&r, "a", "UJwFgjwkz83KdZP19eyng2E");
    xf_rig_done(&r);
}
END_TEST

START_TEST(test_matches_reference)
{
    xf_rig r;
    compile_ok(&r, "customer id", "key=main");
    unsigned char v[300];
    for (size_t len = 1; len <= sizeof v; len += 7) {
        fill_random(v, len);
        char *want = ref_encrypt(main_key, sizeof main_key, "customer id", v, len);
        char *got = enc(&r, v, len);
        ck_assert_str_eq(got, want);
        free(want);
        free(got);
    }
    xf_rig_done(&r);
}
END_TEST

/* ---- round trips ---- */

START_TEST(test_round_trip)
{
    xf_rig r;
    compile_ok(&r, "name", "key=main");
    /* Every length across the stack/heap boundaries, random bytes. */
    unsigned char v[1200];
    for (size_t len = 1; len <= sizeof v; len++) {
        fill_random(v, len);
        char *e = enc(&r, v, len);
        ck_assert_uint_eq(strlen(e), ((16 + len) * 8 + 5) / 6);
        expect_reverse(&r, e, v, len);
        free(e);
    }
    static const char *const texts[] = {
        "0",
        " ",
        HGD_NFC,
        "\xE1\x84\x92\xE1\x85\xA9\xE1\x86\xBC", /* NFD 홍: kept as written */
        "서울특별시 강남구 테헤란로 123, 4층",
        "900101-1234567",
        "a,b\"c\r\nd",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char *e = enc(&r, texts[i], strlen(texts[i]));
        expect_reverse(&r, e, texts[i], strlen(texts[i]));
        free(e);
    }
    xf_rig_done(&r);
}
END_TEST

START_TEST(test_long_value)
{
    xf_rig r;
    compile_ok(&r, "memo", "key=main");
    size_t len = 700000;
    unsigned char *v = malloc(len);
    ck_assert_ptr_nonnull(v);
    fill_random(v, len);
    char *e = enc(&r, v, len);
    char *want = ref_encrypt(main_key, sizeof main_key, "memo", v, len);
    ck_assert_str_eq(e, want);
    expect_reverse(&r, e, v, len);
    /* reverse respects the output limit: one byte short is XF_NOMEM. */
    dbuf out;
    const char *why;
    ck_assert_int_eq(dec(&r, e, strlen(e), &out, len - 1, &why), XF_NOMEM);
    ck_assert_uint_eq(out.len, 0);
    dbuf_free(&out);
    ck_assert_int_eq(dec(&r, e, strlen(e), &out, len, &why), XF_OK);
    ck_assert_uint_eq(out.len, len);
    dbuf_free(&out);
    free(want);
    free(e);
    free(v);
    xf_rig_done(&r);
}
END_TEST

START_TEST(test_deterministic)
{
    xf_rig r1, r2;
    compile_ok(&r1, "name", "key=main");
    compile_ok(&r2, "name", "key=copy"); /* same bytes, other name */
    char *a = enc(&r1, HGD_NFC, strlen(HGD_NFC));
    char *b = enc(&r1, HGD_NFC, strlen(HGD_NFC));
    char *c = enc(&r2, HGD_NFC, strlen(HGD_NFC));
    ck_assert_str_eq(a, b);
    ck_assert_str_eq(a, c);
    expect_reverse(&r2, a, HGD_NFC, strlen(HGD_NFC));
    /* Appends after what out holds. */
    dbuf out;
    dbuf_init(&out, 1000);
    ck_assert_int_eq(dbuf_append_str(&out, "pre|"), DBUF_OK);
    const char *why = NULL;
    xf_value in = {"a", 1};
    ck_assert_int_eq(r1.ops->apply(r1.state, &in, 1, &out, &why), XF_OK);
    ck_assert_uint_eq(out.len, 4 + 23);
    ck_assert_mem_eq(out.data, "pre|sGrgBHEJu564UnMmEKBox5o", out.len);
    xf_value back = {"sGrgBHEJu564UnMmEKBox5o", 23};
    ck_assert_int_eq(r1.ops->reverse(r1.state, &back, 1, &out, &why), XF_OK);
    ck_assert_mem_eq(out.data, "pre|sGrgBHEJu564UnMmEKBox5oa", out.len);
    dbuf_free(&out);
    free(a);
    free(b);
    free(c);
    xf_rig_done(&r1);
    xf_rig_done(&r2);
}
END_TEST

START_TEST(test_domains)
{
    xf_rig name, phone, s1, s2;
    compile_ok(&name, "name", "key=main");
    compile_ok(&phone, "phone", "key=main");
    compile_ok(&s1, "name", "key=main domain=shared");
    compile_ok(&s2, "phone", "key=main domain=shared");
    const char *v = "01012345678";
    char *a = enc(&name, v, strlen(v));
    char *b = enc(&phone, v, strlen(v));
    char *c = enc(&s1, v, strlen(v));
    char *d = enc(&s2, v, strlen(v));
    /* Unlinkable: the SIV and (since it is the CTR IV) the ciphertext
     * both differ. */
    unsigned char ba[64], bb[64];
    ck_assert_uint_eq(b64_dec(a, ba), 16 + strlen(v));
    ck_assert_uint_eq(b64_dec(b, bb), 16 + strlen(v));
    ck_assert(memcmp(ba, bb, 16) != 0);
    ck_assert(memcmp(ba + 16, bb + 16, strlen(v)) != 0);
    ck_assert_str_ne(a, c);
    ck_assert_str_eq(c, d); /* one domain= on two columns joins them */
    /* Another domain does not decrypt. */
    expect_reverse_bad(&phone, a, strlen(a), AUTH_FAIL);
    expect_reverse_bad(&s1, a, strlen(a), AUTH_FAIL);
    expect_reverse(&name, a, v, strlen(v));
    expect_reverse(&s2, c, v, strlen(v));
    free(a);
    free(b);
    free(c);
    free(d);
    xf_rig_done(&name);
    xf_rig_done(&phone);
    xf_rig_done(&s1);
    xf_rig_done(&s2);
}
END_TEST

/* ---- failures ---- */

START_TEST(test_tampered)
{
    xf_rig r;
    compile_ok(&r, "name", "key=main");
    const char *v = "홍길동 010-1234-5678";
    char *e = enc(&r, v, strlen(v));
    unsigned char bin[128];
    char text[200];
    size_t n = b64_dec(e, bin);
    ck_assert_uint_eq(n, 16 + strlen(v));
    for (size_t i = 0; i < n; i++)
        for (unsigned bit = 0; bit < 8; bit += 7) {
            bin[i] ^= (unsigned char)(1u << bit);
            b64_enc(bin, n, text);
            expect_reverse_bad(&r, text, strlen(text), AUTH_FAIL);
            bin[i] ^= (unsigned char)(1u << bit);
        }
    /* One byte fewer or more. */
    b64_enc(bin, n - 1, text);
    expect_reverse_bad(&r, text, strlen(text), AUTH_FAIL);
    bin[n] = 0;
    b64_enc(bin, n + 1, text);
    expect_reverse_bad(&r, text, strlen(text), AUTH_FAIL);
    /* Unchanged it still decrypts. */
    b64_enc(bin, n, text);
    ck_assert_str_eq(text, e);
    expect_reverse(&r, text, v, strlen(v));
    free(e);
    xf_rig_done(&r);
}
END_TEST

START_TEST(test_wrong_key)
{
    xf_rig m, o;
    compile_ok(&m, "name", "key=main");
    compile_ok(&o, "name", "key=other");
    char *a = enc(&m, HGD_NFC, strlen(HGD_NFC));
    char *b = enc(&o, HGD_NFC, strlen(HGD_NFC));
    ck_assert_str_ne(a, b);
    expect_reverse_bad(&o, a, strlen(a), AUTH_FAIL);
    expect_reverse_bad(&m, b, strlen(b), AUTH_FAIL);
    expect_reverse(&o, b, HGD_NFC, strlen(HGD_NFC));
    free(a);
    free(b);
    xf_rig_done(&m);
    xf_rig_done(&o);
}
END_TEST

START_TEST(test_not_ours)
{
    xf_rig r;
    compile_ok(&r, "name", "key=main");
    const char *good = "sGrgBHEJu564UnMmEKBox5o"; /* "a", 23 characters */
    char t[64];
    expect_reverse(&r, good, "a", 1);
    expect_reverse_bad(&r, "", 0, NOT_OURS);
    expect_reverse_bad(&r, "A", 1, NOT_OURS);
    expect_reverse_bad(&r, "AAAA", 4, NOT_OURS);
    expect_reverse_bad(&r, "!!!!!!!!!!!!!!!!!!!!!!!!", 24, NOT_OURS);
    /* 16 bytes: a SIV with no ciphertext is never written. */
    expect_reverse_bad(&r, "AAAAAAAAAAAAAAAAAAAAAA", 22, NOT_OURS);
    /* Padding, white space, a NUL, the standard alphabet. */
    snprintf(t, sizeof t, "%s=", good);
    expect_reverse_bad(&r, t, strlen(t), NOT_OURS);
    snprintf(t, sizeof t, "%s ", good);
    expect_reverse_bad(&r, t, strlen(t), NOT_OURS);
    snprintf(t, sizeof t, " %s", good);
    expect_reverse_bad(&r, t, strlen(t), NOT_OURS);
    snprintf(t, sizeof t, "%s\n", good);
    expect_reverse_bad(&r, t, strlen(t), NOT_OURS);
    memcpy(t, good, 24);
    t[5] = '\0';
    expect_reverse_bad(&r, t, 23, NOT_OURS);
    /* The same bits in the standard alphabet ('_' written as '/'). */
    strcpy(t, "4j0YpZRMm3Xi5rOifYH7RN_YPEDn5VxBqQ");
    expect_reverse(&r, t, HGD_NFC, strlen(HGD_NFC));
    t[22] = '/';
    expect_reverse_bad(&r, t, strlen(t), NOT_OURS);
    /* Non-zero unused bits in the last character decode to the same
     * bytes: refused, so one pseudonym has one spelling. 23 characters
     * carry 138 bits for 136: the last character's 2 low bits are unused. */
    memcpy(t, good, 24);
    const char *pos = strchr(B64URL, t[22]);
    t[22] = B64URL[(pos - B64URL) ^ 1];
    expect_reverse_bad(&r, t, 23, NOT_OURS);
    xf_rig_done(&r);
}
END_TEST

START_TEST(test_empty_value)
{
    /* The engine never passes empty values; if one came it is refused. */
    xf_rig r;
    compile_ok(&r, "name", "key=main");
    xf_rig_expect_bad_bytes(&r, "", 0, "is empty");
    xf_rig_expect_output_limit(&r, "a", 23);
    xf_rig_done(&r);
}
END_TEST

START_TEST(test_rules_errors)
{
    xf_rig r;
    deid_status rc = compile_spec(&r, "name", "domain=x");
    xf_rig_expect_rules_error(&r, rc, 99, "encrypt needs key=NAME");
    xf_rig_done(&r);

    rc = compile_spec(&r, "name", "key=nope");
    xf_rig_expect_rules_message(&r, rc, 1,
                                "unknown key \"nope\"; declare it with: key nope file=PATH");
    xf_rig_done(&r);

    /* Key material pasted into the rules is never echoed. */
    const char *hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    char spec[128];
    snprintf(spec, sizeof spec, "key=%s", hex);
    rc = compile_spec(&r, "name", spec);
    ck_assert_int_eq(rc, DEID_E_RULES);
    ck_assert_ptr_null(r.state);
    ck_assert_uint_eq(r.err.column, 1);
    ck_assert_ptr_null(strstr(r.err.message, "0a0b0c"));
    ck_assert_str_eq(r.err.source_line, "");
    xf_rig_done(&r);

    rc = compile_spec(&r, "name", "key=main domain=");
    xf_rig_expect_rules_message(&r, rc, 10, "domain= is empty");
    xf_rig_done(&r);

    rc = compile_spec(&r, "name", "key=main domain=a\xff");
    xf_rig_expect_rules_message(&r, rc, 10, "the domain is not valid UTF-8");
    xf_rig_done(&r);

    /* 257 bytes of domain is one too many; 256 is fine. */
    char spec2[300] = "key=main domain=";
    size_t at = strlen(spec2);
    memset(spec2 + at, 'd', 257);
    spec2[at + 257] = '\0';
    rc = compile_spec(&r, "name", spec2);
    xf_rig_expect_rules_message(&r, rc, 10, "the domain is longer than 256 bytes");
    xf_rig_done(&r);
    spec2[at + 256] = '\0';
    compile_ok(&r, "name", spec2);
    xf_rig_done(&r);

    rc = compile_spec(&r, NULL, "key=main");
    xf_rig_expect_rules_error(&r, rc, 99, "encrypt needs domain=LABEL");
    xf_rig_done(&r);
    compile_ok(&r, NULL, "key=main domain=d");
    xf_rig_done(&r);

    /* Parameters encrypt does not know are left for the parser to report. */
    ck_assert_int_eq(compile_spec(&r, "name", "key=main length=3 domain=x"), DEID_OK);
    xf_rig_expect_used(&r, "101");
    xf_rig_done(&r);
}
END_TEST

START_TEST(test_describe)
{
    unsigned char md[32];
    unsigned int md_len = 0;
    char fp[17];
    static const char fp_label[] = "deid key fingerprint";
    ck_assert_ptr_nonnull(HMAC(EVP_sha256(), main_key, 32, (const unsigned char *)fp_label,
                               sizeof fp_label - 1, md, &md_len));
    for (int i = 0; i < 8; i++)
        snprintf(fp + 2 * i, 3, "%02x", md[i]);
    char want[200];
    xf_rig r;

    compile_ok(&r, "name", "key=main");
    snprintf(want, sizeof want, "key=main fingerprint=%s domain=name cipher=AES-256-SIV", fp);
    xf_rig_expect_describe(&r, want);
    xf_rig_done(&r);

    const xf_rig_setup setup = make_setup("name");
    xf_rig_init(&r, &setup);
    xf_rig_param(&r, "key", "main", 1);
    xf_rig_param(&r, "domain", "a \"b\"", 10);
    xf_rig_compile_ok(&r);
    snprintf(want, sizeof want,
             "key=main fingerprint=%s domain=\"a \\\"b\\\"\" cipher=AES-256-SIV", fp);
    xf_rig_expect_describe(&r, want);
    xf_rig_done(&r);
}
END_TEST

START_TEST(test_registered)
{
    xf_rig_expect_registered(&xf_encrypt_ops, "encrypt",
                             "가명처리/암호화 (양방향 암호화: AES-SIV, deterministic)",
                             XF_TAKES_CONTEXT | XF_PSEUDONYMIZES);
    ck_assert_ptr_nonnull(xf_encrypt_ops.reverse);
    ck_assert_ptr_nonnull(xf_encrypt_ops.describe);
    ck_assert_ptr_null(xf_encrypt_ops.levels);
}
END_TEST

/* ---- threads: one const state, many threads ---- */

enum { THREADS = 4, THREAD_VALUES = 40, THREAD_ROUNDS = 25 };

typedef struct thread_job {
    const xf_rig *r;
    const char *const *values;
    char *const *want;
    int failures;
} thread_job;

static void *thread_main(void *arg)
{
    thread_job *j = arg;
    for (int round = 0; round < THREAD_ROUNDS; round++)
        for (int i = 0; i < THREAD_VALUES; i++) {
            dbuf out, back;
            const char *why = NULL;
            xf_value in = {j->values[i], strlen(j->values[i])};
            dbuf_init(&out, 4096);
            dbuf_init(&back, 4096);
            if (j->r->ops->apply(j->r->state, &in, 1, &out, &why) != XF_OK ||
                out.len != strlen(j->want[i]) || memcmp(out.data, j->want[i], out.len) != 0) {
                j->failures++;
            } else {
                xf_value e = {out.data, out.len};
                if (j->r->ops->reverse(j->r->state, &e, 1, &back, &why) != XF_OK ||
                    back.len != in.len || memcmp(back.data, in.data, in.len) != 0)
                    j->failures++;
            }
            dbuf_free(&out);
            dbuf_free(&back);
        }
    return NULL;
}

START_TEST(test_threads)
{
    xf_rig r;
    compile_ok(&r, "name", "key=main");
    static char bufs[THREAD_VALUES][40];
    const char *values[THREAD_VALUES];
    char *want[THREAD_VALUES];
    for (int i = 0; i < THREAD_VALUES; i++) {
        snprintf(bufs[i], sizeof bufs[i], "value %d %s", i * 7919, HGD_NFC);
        values[i] = bufs[i];
        want[i] = ref_encrypt(main_key, sizeof main_key, "name",
                              (const unsigned char *)values[i], strlen(values[i]));
    }
    pthread_t t[THREADS];
    thread_job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (thread_job){&r, values, want, 0};
        ck_assert_int_eq(pthread_create(&t[i], NULL, thread_main, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        ck_assert_int_eq(pthread_join(t[i], NULL), 0);
        ck_assert_int_eq(jobs[i].failures, 0);
    }
    for (int i = 0; i < THREAD_VALUES; i++)
        free(want[i]);
    xf_rig_done(&r);
}
END_TEST

Suite *encrypt_suite(void); /* called by check_main.c */
Suite *encrypt_suite(void)
{
    Suite *s = suite_create("encrypt");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_rfc5297_a1);
    tcase_add_test(tc, test_cipher_available);
    tcase_add_test(tc, test_fixed_vectors);
    tcase_add_test(tc, test_matches_reference);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_long_value);
    tcase_add_test(tc, test_deterministic);
    tcase_add_test(tc, test_domains);
    tcase_add_test(tc, test_tampered);
    tcase_add_test(tc, test_wrong_key);
    tcase_add_test(tc, test_not_ours);
    tcase_add_test(tc, test_empty_value);
    tcase_add_test(tc, test_rules_errors);
    tcase_add_test(tc, test_describe);
    tcase_add_test(tc, test_registered);
    tcase_add_test(tc, test_threads);
    suite_add_tcase(s, tc);
    return s;
}
