/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_fpe.c - the FF1 core (engine/ff1.c) and the `fpe` transform.
 * Expected ciphertexts are NIST's published FF1 samples (SP 800-38G
 * examples, FF1 samples 1-9) or were worked out with
 * tests/unit/data/fpe/ff1_ref.py, an FF1 written separately from the spec
 * in Python on the `cryptography` package (its own AES and HKDF); never by
 * the code under test. Round trips, shapes, refusals, rules errors,
 * describe and concurrent use go through the shared rig.
 */
#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "ff1.h"
#include "keyring.h"
#include "transform.h"
#include "xf_rig.h"

extern const transform_ops xf_fpe_ops;

#define TOO_FEW "has too few characters for format-preserving encryption (domain below 1,000,000)"
#define TOO_MANY "has too many characters for format-preserving encryption (more than 4096)"
#define HGD_NFC "\xED\x99\x8D\xEA\xB8\xB8\xEB\x8F\x99" /* 홍길동 */
#define HGD_NFD "\xE1\x84\x92\xE1\x85\xA9\xE1\x86\xBC" \
                "\xE1\x84\x80\xE1\x85\xB5\xE1\x86\xAF" \
                "\xE1\x84\x83\xE1\x85\xA9\xE1\x86\xBC"

static const char DIGITS[] = "0123456789";
static const char HEXA[] = "0123456789abcdef";
static const char ALNUM[] = "0123456789abcdefghijklmnopqrstuvwxyz";
static const char ALNUM62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

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
}

static void teardown(void)
{
    keyring_free(ring);
}

/* ---- the FF1 core ------------------------------------------------------- */

static size_t unhex(const char *h, unsigned char *out)
{
    size_t n = strlen(h) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        ck_assert_int_eq(sscanf(h + 2 * i, "%2x", &v), 1);
        out[i] = (unsigned char)v;
    }
    return n;
}

/* An AES-ECB encryption context under a raw key of 16, 24 or 32 bytes. */
static EVP_CIPHER_CTX *aes_ctx(const unsigned char *key, size_t len)
{
    const EVP_CIPHER *c = len == 16 ? EVP_aes_128_ecb() : len == 24 ? EVP_aes_192_ecb()
                                                                    : EVP_aes_256_ecb();
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    ck_assert_ptr_nonnull(ctx);
    ck_assert_int_eq(EVP_EncryptInit_ex2(ctx, c, key, NULL, NULL), 1);
    return ctx;
}

/* Text in alphabet -> numerals. */
static size_t to_numerals(const char *alpha, const char *text, unsigned char *out)
{
    size_t n = strlen(text);
    for (size_t i = 0; i < n; i++) {
        const char *p = strchr(alpha, text[i]);
        ck_assert_ptr_nonnull(p);
        out[i] = (unsigned char)(p - alpha);
    }
    return n;
}

static void to_text(const char *alpha, const unsigned char *x, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = alpha[x[i]];
    out[n] = '\0';
}

typedef struct nist_sample {
    const char *key, *tweak;
    unsigned radix;
    const char *pt, *ct;
} nist_sample;

#define K128 "2B7E151628AED2A6ABF7158809CF4F3C"
#define K192 K128 "EF4359D8D580AA4F"
#define K256 K192 "7F036D6F04FC6A94"
#define TW2 "39383736353433323130"
#define TW3 "3737373770717273373737"
#define PT10 "0123456789"
#define PT36 "0123456789abcdefghi"

/* NIST SP 800-38G examples, FF1 samples 1 to 9 (AES-128, -192, -256). */
static const nist_sample nist[] = {
    {K128, "", 10, PT10, "2433477484"},
    {K128, TW2, 10, PT10, "6124200773"},
    {K128, TW3, 36, PT36, "a9tv40mll9kdu509eum"},
    {K192, "", 10, PT10, "2830668132"},
    {K192, TW2, 10, PT10, "2496655549"},
    {K192, TW3, 36, PT36, "xbj3kv35jrawxv32ysr"},
    {K256, "", 10, PT10, "6657667009"},
    {K256, TW2, 10, PT10, "1001623463"},
    {K256, TW3, 36, PT36, "xs8a0azh2avyalyzuwd"},
};

START_TEST(test_nist_samples)
{
    const nist_sample *s = &nist[_i];
    unsigned char key[32], tweak[16], x[32], y[32];
    char text[40];
    size_t klen = unhex(s->key, key), tlen = unhex(s->tweak, tweak);
    size_t n = to_numerals(ALNUM, s->pt, x);
    EVP_CIPHER_CTX *ctx = aes_ctx(key, klen);
    ck_assert_int_eq(ff1_encrypt(ctx, s->radix, tweak, tlen, x, n, y), FF1_OK);
    to_text(ALNUM, y, n, text);
    ck_assert_str_eq(text, s->ct);
    ck_assert_int_eq(ff1_decrypt(ctx, s->radix, tweak, tlen, y, n, y), FF1_OK); /* in place */
    to_text(ALNUM, y, n, text);
    ck_assert_str_eq(text, s->pt);
    /* a NULL tweak pointer is fine when the tweak is empty */
    if (tlen == 0) {
        ck_assert_int_eq(ff1_encrypt(ctx, s->radix, NULL, 0, x, n, y), FF1_OK);
        to_text(ALNUM, y, n, text);
        ck_assert_str_eq(text, s->ct);
    }
    EVP_CIPHER_CTX_free(ctx);
}
END_TEST

/* Encrypts x[0..n) with the AES-256 sample key, checks against want (text
 * in alpha) and decrypts back. */
static void core_case(unsigned radix, const unsigned char *tweak, size_t tlen,
                      const unsigned char *x, size_t n, const char *alpha, const char *want)
{
    unsigned char key[32];
    unhex(K256, key);
    EVP_CIPHER_CTX *ctx = aes_ctx(key, 32);
    unsigned char *y = malloc(n), *z = malloc(n);
    char *text = malloc(n + 1);
    ck_assert(y && z && text);
    ck_assert_int_eq(ff1_encrypt(ctx, radix, tweak, tlen, x, n, y), FF1_OK);
    to_text(alpha, y, n, text);
    ck_assert_str_eq(text, want);
    ck_assert_int_eq(ff1_decrypt(ctx, radix, tweak, tlen, y, n, z), FF1_OK);
    ck_assert_mem_eq(z, x, n);
    EVP_CIPHER_CTX_free(ctx);
    free(y);
    free(z);
    free(text);
}

START_TEST(test_core_vectors)
{
    /* values from ff1_ref.py with the sample-7 key */
    unsigned char tweak[256], x[4096];
    for (int i = 0; i < 256; i++)
        tweak[i] = (unsigned char)i;
    /* long string (S spans several blocks) under the longest tweak */
    for (int i = 0; i < 100; i++)
        x[i] = (unsigned char)(i % 62);
    core_case(62, tweak, 256, x, 100, ALNUM62,
              "VwxLlZoeSFHu3WB1GRditRrAWS4sj2uSIjTvrpJ6Kc1mm82Dcs85SIUAtz5wDwCYoKMVjaVyz1bthmoo"
              "Hsms1qSgnrlEounQk19G");
    /* the smallest radix, at the shortest allowed length (2^20) */
    for (int i = 0; i < 20; i++)
        x[i] = (unsigned char)(i % 2);
    core_case(2, (const unsigned char *)"ab", 2, x, 20, "01", "01101101111010101001");
    /* the largest radix, numerals as bytes: 256^3 */
    static const char hexdig[] = "0123456789abcdef";
    unsigned char key[32], y[3];
    unhex(K256, key);
    x[0] = 0;
    x[1] = 7;
    x[2] = 14;
    EVP_CIPHER_CTX *ctx = aes_ctx(key, 32);
    ck_assert_int_eq(ff1_encrypt(ctx, 256, NULL, 0, x, 3, y), FF1_OK);
    char h[7];
    for (int i = 0; i < 3; i++) {
        h[2 * i] = hexdig[y[i] >> 4];
        h[2 * i + 1] = hexdig[y[i] & 15];
    }
    h[6] = '\0';
    ck_assert_str_eq(h, "5c048b");
    /* six digits: the smallest decimal domain */
    for (int i = 0; i < 6; i++)
        x[i] = (unsigned char)i;
    core_case(10, (const unsigned char *)"x", 1, x, 6, DIGITS, "876940");
    /* the longest string: compare the SHA-256 of the numerals */
    for (int i = 0; i < 4096; i++)
        x[i] = (unsigned char)(i % 10);
    static unsigned char big[4096];
    ck_assert_int_eq(ff1_encrypt(ctx, 10, (const unsigned char *)"long", 4, x, 4096, big),
                     FF1_OK);
    unsigned char md[32];
    SHA256(big, sizeof big, md);
    char mdhex[65];
    for (int i = 0; i < 32; i++) {
        mdhex[2 * i] = hexdig[md[i] >> 4];
        mdhex[2 * i + 1] = hexdig[md[i] & 15];
    }
    mdhex[64] = '\0';
    ck_assert_str_eq(mdhex, "efd81d5f20b4d9bae2e83427d7d8f5e6c23a78a610f16346ad4712dacda4474c");
    ck_assert_int_eq(ff1_decrypt(ctx, 10, (const unsigned char *)"long", 4, big, 4096, big),
                     FF1_OK);
    ck_assert_mem_eq(big, x, 4096);
    EVP_CIPHER_CTX_free(ctx);
}
END_TEST

START_TEST(test_core_errors)
{
    unsigned char key[32], x[4097] = {0}, y[4097], tweak[257] = {0};
    unhex(K256, key);
    EVP_CIPHER_CTX *ctx = aes_ctx(key, 32);
    ck_assert_int_eq(ff1_encrypt(ctx, 1, NULL, 0, x, 20, y), FF1_E_ARG);
    ck_assert_int_eq(ff1_encrypt(ctx, 0, NULL, 0, x, 20, y), FF1_E_ARG);
    ck_assert_int_eq(ff1_encrypt(ctx, 257, NULL, 0, x, 20, y), FF1_E_ARG);
    ck_assert_int_eq(ff1_encrypt(ctx, 10, tweak, 257, x, 20, y), FF1_E_ARG);
    ck_assert_int_eq(ff1_encrypt(ctx, 10, tweak, 256, x, 20, y), FF1_OK);
    ck_assert_int_eq(ff1_encrypt(ctx, 10, NULL, 3, x, 20, y), FF1_E_ARG);
    x[5] = 10; /* a numeral not below the radix */
    ck_assert_int_eq(ff1_encrypt(ctx, 10, NULL, 0, x, 20, y), FF1_E_ARG);
    ck_assert_int_eq(ff1_decrypt(ctx, 10, NULL, 0, x, 20, y), FF1_E_ARG);
    ck_assert_int_eq(ff1_encrypt(ctx, 11, NULL, 0, x, 20, y), FF1_OK);
    x[5] = 0;
    ck_assert_int_eq(ff1_encrypt(ctx, 10, NULL, 0, x, 4097, y), FF1_E_LENGTH);
    ck_assert_int_eq(ff1_encrypt(ctx, 10, NULL, 0, x, 4096, y), FF1_OK);
    ck_assert_int_eq(ff1_encrypt(ctx, 10, NULL, 0, x, 5, y), FF1_E_DOMAIN);
    ck_assert_int_eq(ff1_decrypt(ctx, 10, NULL, 0, x, 5, y), FF1_E_DOMAIN);
    ck_assert_int_eq(ff1_encrypt(ctx, 10, NULL, 0, x, 0, y), FF1_E_DOMAIN);
    ck_assert_int_eq(ff1_encrypt(NULL, 10, NULL, 0, x, 10, y), FF1_E_ARG);
    EVP_CIPHER_CTX_free(ctx);
    /* only an AES-ECB encryption context will do */
    ctx = EVP_CIPHER_CTX_new();
    ck_assert_int_eq(EVP_EncryptInit_ex2(ctx, EVP_aes_256_cbc(), key, key, NULL), 1);
    ck_assert_int_eq(ff1_encrypt(ctx, 10, NULL, 0, x, 10, y), FF1_E_ARG);
    ck_assert_int_eq(EVP_DecryptInit_ex2(ctx, EVP_aes_256_ecb(), key, NULL, NULL), 1);
    ck_assert_int_eq(ff1_encrypt(ctx, 10, NULL, 0, x, 10, y), FF1_E_ARG);
    EVP_CIPHER_CTX_free(ctx);
    ctx = EVP_CIPHER_CTX_new(); /* no cipher at all */
    ck_assert_int_eq(ff1_encrypt(ctx, 10, NULL, 0, x, 10, y), FF1_E_ARG);
    EVP_CIPHER_CTX_free(ctx);

    /* radix^n >= 10^6, worked out by hand at each edge */
    static const struct { unsigned radix; size_t n; int ok; } dom[] = {
        {10, 6, 1}, {10, 5, 0}, {16, 5, 1}, {16, 4, 0}, {36, 4, 1}, {36, 3, 0},
        {62, 4, 1}, {62, 3, 0}, {2, 20, 1}, {2, 19, 0}, {256, 3, 1}, {256, 2, 0},
        {4, 10, 1}, {4, 9, 0}, {100, 3, 1}, {1000, 2, 1}, {999, 2, 0}, {1000000, 1, 0},
        {1, 100, 0}, {0, 100, 0}, {10, 4096, 1}, {10, 0, 0},
    };
    for (size_t i = 0; i < sizeof dom / sizeof dom[0]; i++)
        ck_assert_msg(ff1_domain_ok(dom[i].radix, dom[i].n) == dom[i].ok, "radix %u n %zu",
                      dom[i].radix, dom[i].n);
}
END_TEST

/* ---- the transform ------------------------------------------------------ */

/* Compiles `fpe SPEC` for column (NULL allowed): SPEC is "a=b c=d ...",
 * each parameter at its offset in SPEC. On success every parameter must be
 * marked used. */
static deid_status compile_spec(xf_rig *r, const char *column, const char *spec)
{
    const xf_rig_setup setup = {
        .ops = &xf_fpe_ops,
        .column = column,
        .rules_file = "test.rules",
        .keys = ring,
        .line = 4,
        .col = 50,
        .resets_state = 1,
    };
    xf_rig_init(r, &setup);
    xf_rig_spec(r, spec);
    deid_status st = xf_rig_compile(r);
    if (st == DEID_OK)
        for (size_t i = 0; i < r->ctx.n_params; i++)
            ck_assert_msg(r->params[i].used, "parameter %s not marked used", r->params[i].name);
    return st;
}

static void compile_ok(xf_rig *r, const char *column, const char *spec)
{
    deid_status st = compile_spec(r, column, spec);
    ck_assert_msg(st == DEID_OK, "%s: %s", spec, r->err.message);
    ck_assert_ptr_nonnull(r->state);
}

/* Compiles with a custom alphabet, which may hold spaces and quotes. */
static void compile_custom(xf_rig *r, const char *column, const char *alphabet)
{
    const xf_rig_setup setup = {
        .ops = &xf_fpe_ops, .column = column, .rules_file = "test.rules", .keys = ring,
        .line = 4, .col = 50, .resets_state = 1,
    };
    xf_rig_init(r, &setup);
    xf_rig_add(r, "key", "main");
    xf_rig_add(r, "alphabet", alphabet);
    xf_rig_compile_ok(r);
}

/* Runs reverse on in (copied with bytes after it, like the rig's apply). */
static xf_result reverse_bytes(const xf_rig *r, const char *in, size_t len, dbuf *out,
                               const char **why)
{
    char *copy = malloc(len + 4);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, in, len);
    memcpy(copy + len, "1234", 4);
    xf_value v = {copy, len};
    dbuf_init(out, XF_RIG_OUT_MAX);
    *why = NULL;
    ck_assert_ptr_nonnull(r->ops->reverse);
    xf_result res = r->ops->reverse(r->state, &v, 1, out, why);
    free(copy);
    return res;
}

static void expect_reverse(const xf_rig *r, const char *in, const char *want)
{
    dbuf out;
    const char *why;
    ck_assert_int_eq(reverse_bytes(r, in, strlen(in), &out, &why), XF_OK);
    ck_assert_ptr_null(why);
    ck_assert_ptr_nonnull(dbuf_cstr(&out));
    ck_assert_str_eq(out.data, want);
    dbuf_free(&out);
}

/* Applies to a C string; returns the output (static, NUL-terminated). */
static const char *apply1(const xf_rig *r, const char *v)
{
    static char buf[9000];
    dbuf out;
    const char *why;
    ck_assert_int_eq(xf_rig_apply(r, v, &out, XF_RIG_OUT_MAX, &why), XF_OK);
    ck_assert_uint_lt(out.len, sizeof buf);
    memcpy(buf, out.data, out.len);
    buf[out.len] = '\0';
    dbuf_free(&out);
    return buf;
}

typedef struct fixed_case {
    const char *alphabet, *column, *in, *out;
} fixed_case;

/* From ff1_ref.py's fpe(): key file bytes 00..1f, the domain = column. */
static const fixed_case fixed[] = {
    {"digits", "rrn", "900101-1234567", "915483-3761825"},
    {"digits", "phone", "010-1234-5678", "002-3064-8582"},
    {"alnum", "code", "ab12-CD-xyz9", "7d0j-CD-aa2b"},
    {"ALNUM", "code", "Ab12zZ", "AGXtoJ"},
    {"hex", "mac", "00:1a:2b:3c:4d:5e", "44:73:91:2d:1a:0a"},
    {"ACGT", "dna", "GATTACA-CAT-GG", "TTGATGC-CGT-GA"},
    {"digits", HGD_NFC, "1234567", "2757033"},
};

START_TEST(test_fixed_vectors)
{
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        xf_rig r;
        char spec[64];
        snprintf(spec, sizeof spec, "key=main alphabet=%s", fixed[i].alphabet);
        compile_ok(&r, fixed[i].column, spec);
        xf_rig_expect(&r, fixed[i].in, fixed[i].out);
        expect_reverse(&r, fixed[i].out, fixed[i].in);
        xf_rig_done(&r);
    }
    /* the Hangul domain in NFD (macOS) is composed first: same tweak */
    xf_rig r;
    compile_ok(&r, HGD_NFD, "key=main alphabet=digits");
    xf_rig_expect(&r, "1234567", "2757033");
    xf_rig_done(&r);
    compile_ok(&r, "other", "key=main alphabet=digits domain=" HGD_NFD);
    xf_rig_expect(&r, "1234567", "2757033");
    xf_rig_done(&r);
    /* domain= replaces the column name */
    compile_ok(&r, "x", "key=main alphabet=digits domain=rrn");
    xf_rig_expect(&r, "900101-1234567", "915483-3761825");
    xf_rig_done(&r);
}
END_TEST

/* A small deterministic generator, so failures reproduce. */
static uint64_t rng_state;
static unsigned rng(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

typedef struct alpha_case {
    const char *param; /* alphabet= value */
    const char *chars; /* its characters */
    size_t min_len;    /* fewest characters with radix^n >= 10^6 */
} alpha_case;

static const alpha_case alphas[] = {
    {"digits", DIGITS, 6},
    {"hex", HEXA, 5},
    {"alnum", ALNUM, 4},
    {"ALNUM", ALNUM62, 4},
    {"01", "01", 20},
    {"ACGT", "ACGT", 10},
    {"9876543210", "9876543210", 6},
    {" !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", 4},
};

/* Checks that out has in's shape: same length, the same bytes outside
 * chars, and alphabet characters where in has them. */
static void expect_shape(const char *chars, const char *in, const char *out)
{
    ck_assert_uint_eq(strlen(out), strlen(in));
    for (size_t i = 0; in[i]; i++) {
        if (strchr(chars, in[i]))
            ck_assert_ptr_nonnull(strchr(chars, out[i]));
        else
            ck_assert_int_eq(out[i], in[i]);
    }
}

START_TEST(test_round_trips)
{
    const alpha_case *a = &alphas[_i];
    xf_rig r;
    compile_custom(&r, "col", a->param);
    rng_state = 0x9E3779B97F4A7C15ull + (uint64_t)_i;
    size_t radix = strlen(a->chars);
    static const char seps[] = "-_/. \xEA\xB0\x80"; /* some bytes outside most alphabets */
    int changed = 0;
    for (int round = 0; round < 200; round++) {
        char in[200];
        size_t n_alpha = a->min_len + rng(60), len = 0;
        for (size_t k = 0; k < n_alpha; k++) {
            if (rng(4) == 0)
                in[len++] = seps[rng(sizeof seps - 1)];
            in[len++] = a->chars[rng((unsigned)radix)];
        }
        in[len] = '\0';
        char out[200];
        strcpy(out, apply1(&r, in));
        expect_shape(a->chars, in, out);
        changed += strcmp(in, out) != 0;
        expect_reverse(&r, out, in);
    }
    ck_assert_int_ge(changed, 195); /* a fixed point is rare, not the rule */
    xf_rig_done(&r);
}
END_TEST

START_TEST(test_shapes)
{
    xf_rig r;
    compile_ok(&r, "rrn", "key=main alphabet=digits");
    rng_state = 42;
    for (int i = 0; i < 300; i++) {
        char rrn[15], phone[14], plain[12];
        snprintf(rrn, sizeof rrn, "%02u%02u%02u-%u%06u", rng(100), 1 + rng(12), 1 + rng(28),
                 1 + rng(8), rng(1000000));
        snprintf(phone, sizeof phone, "010-%04u-%04u", rng(10000), rng(10000));
        snprintf(plain, sizeof plain, "010%04u%04u", rng(10000), rng(10000));
        const char *vals[] = {rrn, phone, plain};
        for (int v = 0; v < 3; v++) {
            char out[20];
            strcpy(out, apply1(&r, vals[v]));
            expect_shape(DIGITS, vals[v], out);
            expect_reverse(&r, out, vals[v]);
        }
    }
    xf_rig_done(&r);
    /* letters of another case, Hangul and spaces stay in place, unencrypted */
    compile_ok(&r, "c", "key=main alphabet=alnum");
    const char *mixed = "\xEA\xB0\x80 AB-ab12 Z 3c";
    char out[64];
    strcpy(out, apply1(&r, mixed));
    expect_shape(ALNUM, mixed, out);
    ck_assert_mem_eq(out, "\xEA\xB0\x80 AB-", 7);
    expect_reverse(&r, out, mixed);
    xf_rig_done(&r);
}
END_TEST

START_TEST(test_domain_refusal)
{
    xf_rig r;
    compile_ok(&r, "c", "key=main alphabet=digits");
    xf_rig_expect_bad(&r, "12345", TOO_FEW);
    xf_rig_expect_bad(&r, "12-345", TOO_FEW);
    xf_rig_expect_bad(&r, "ab-1", TOO_FEW);
    xf_rig_expect_bad(&r, "no digits", TOO_FEW);
    xf_rig_expect_bad(&r, "1", TOO_FEW);
    ck_assert_uint_eq(strlen(apply1(&r, "123456")), 6);
    ck_assert_uint_eq(strlen(apply1(&r, "1-2-3-4-5-6")), 11);
    dbuf out;
    const char *why;
    ck_assert_int_eq(reverse_bytes(&r, "12345", 5, &out, &why), XF_BAD_VALUE);
    ck_assert_str_eq(why, TOO_FEW);
    ck_assert_uint_eq(out.len, 0);
    dbuf_free(&out);

    /* the longest numeral string, and one past it */
    static char big[4200];
    for (int i = 0; i < 4096; i++)
        big[i] = (char)('0' + i % 10);
    big[4096] = '\0';
    char *enc = strdup(apply1(&r, big));
    ck_assert_ptr_nonnull(enc);
    expect_reverse(&r, enc, big);
    free(enc);
    big[4096] = '7';
    big[4097] = '\0';
    xf_rig_expect_bad(&r, big, TOO_MANY);
    ck_assert_int_eq(reverse_bytes(&r, big, 4097, &out, &why), XF_BAD_VALUE);
    ck_assert_str_eq(why, TOO_MANY);
    dbuf_free(&out);
    /* other bytes do not count towards the limit */
    static char spaced[9000];
    for (int i = 0; i < 4096; i++) {
        spaced[2 * i] = (char)('0' + i % 7);
        spaced[2 * i + 1] = '-';
    }
    spaced[8192] = '\0';
    ck_assert_uint_eq(strlen(apply1(&r, spaced)), 8192);
    xf_rig_done(&r);

    compile_ok(&r, "c", "key=main alphabet=hex");
    xf_rig_expect_bad(&r, "abcd", TOO_FEW);   /* 16^4 = 65536 */
    xf_rig_expect_bad(&r, "ABCDEF0", TOO_FEW); /* upper case is not in hex */
    ck_assert_uint_eq(strlen(apply1(&r, "abcde")), 5);
    xf_rig_done(&r);
    compile_ok(&r, "c", "key=main alphabet=alnum");
    xf_rig_expect_bad(&r, "a1z", TOO_FEW);
    ck_assert_uint_eq(strlen(apply1(&r, "a1z9")), 4);
    xf_rig_done(&r);
    compile_ok(&r, "c", "key=main alphabet=ALNUM");
    xf_rig_expect_bad(&r, "aZ9", TOO_FEW);
    ck_assert_uint_eq(strlen(apply1(&r, "aZ9-x")), 5);
    xf_rig_done(&r);
    compile_ok(&r, "c", "key=main alphabet=ACGT");
    xf_rig_expect_bad(&r, "ACGTACGTA", TOO_FEW); /* 4^9 = 262144 */
    ck_assert_uint_eq(strlen(apply1(&r, "ACGTACGTAC")), 10);
    xf_rig_done(&r);
}
END_TEST

START_TEST(test_determinism_and_domains)
{
    xf_rig a, b, c, d, e;
    compile_ok(&a, "phone", "key=main alphabet=digits");
    compile_ok(&b, "mobile", "key=main alphabet=digits");
    compile_ok(&c, "mobile", "key=main alphabet=digits domain=phone");
    compile_ok(&d, "phone", "key=other alphabet=digits");
    compile_ok(&e, "phone", "key=main alphabet=digits");
    char pa[32], pb[32], pc[32], pd[32];
    strcpy(pa, apply1(&a, "01012345678"));
    ck_assert_str_eq(apply1(&a, "01012345678"), pa); /* same call twice */
    ck_assert_str_eq(apply1(&e, "01012345678"), pa); /* another compile */
    strcpy(pb, apply1(&b, "01012345678"));
    strcpy(pc, apply1(&c, "01012345678"));
    strcpy(pd, apply1(&d, "01012345678"));
    ck_assert_str_ne(pa, pb); /* another domain, another tweak */
    ck_assert_str_eq(pa, pc);
    ck_assert_str_ne(pa, pd); /* another key */
    /* the dashes do not take part: only the digits are the plaintext */
    char dashed[32];
    strcpy(dashed, apply1(&a, "010-1234-5678"));
    ck_assert_mem_eq(dashed, pa, 3);
    ck_assert_mem_eq(dashed + 4, pa + 3, 4);
    ck_assert_mem_eq(dashed + 9, pa + 7, 4);
    /* the other domain's ciphertext does not decrypt here */
    dbuf out;
    const char *why;
    ck_assert_int_eq(reverse_bytes(&a, pb, strlen(pb), &out, &why), XF_OK);
    ck_assert_ptr_nonnull(dbuf_cstr(&out));
    ck_assert_str_ne(out.data, "01012345678");
    dbuf_free(&out);
    xf_rig_done(&a);
    xf_rig_done(&b);
    xf_rig_done(&c);
    xf_rig_done(&d);
    xf_rig_done(&e);
}
END_TEST

START_TEST(test_appends_and_limits)
{
    xf_rig r;
    compile_ok(&r, "rrn", "key=main alphabet=digits");
    xf_value in = {"900101-1234567", 14};
    dbuf b;
    dbuf_init(&b, 100);
    ck_assert_int_eq(dbuf_append_str(&b, "pre:"), 0);
    const char *why = NULL;
    ck_assert_int_eq(xf_fpe_ops.apply(r.state, &in, 1, &b, &why), XF_OK);
    ck_assert_str_eq(dbuf_cstr(&b), "pre:915483-3761825");
    dbuf_reset(&b);
    ck_assert_int_eq(dbuf_append_str(&b, "x"), 0);
    xf_value back = {"915483-3761825", 14};
    ck_assert_int_eq(xf_fpe_ops.reverse(r.state, &back, 1, &b, &why), XF_OK);
    ck_assert_str_eq(dbuf_cstr(&b), "x900101-1234567");
    dbuf_free(&b);
    xf_rig_expect_output_limit(&r, "900101-1234567", 14);
    xf_rig_done(&r);
}
END_TEST

typedef struct thread_job {
    const xf_rig *r;
    const char (*in)[16];
    const char (*want)[16];
    int n, failures;
} thread_job;

static void *thread_main(void *arg)
{
    thread_job *j = arg;
    for (int round = 0; round < 5; round++)
        for (int i = 0; i < j->n; i++) {
            xf_value v = {j->in[i], strlen(j->in[i])};
            dbuf out;
            dbuf_init(&out, 64);
            const char *why = NULL;
            if (xf_fpe_ops.apply(j->r->state, &v, 1, &out, &why) != XF_OK ||
                out.len != v.len || memcmp(out.data, j->want[i], v.len) != 0)
                j->failures++;
            dbuf_reset(&out);
            xf_value w = {j->want[i], v.len};
            if (xf_fpe_ops.reverse(j->r->state, &w, 1, &out, &why) != XF_OK || out.len != v.len ||
                memcmp(out.data, j->in[i], v.len) != 0)
                j->failures++;
            dbuf_free(&out);
        }
    return NULL;
}

START_TEST(test_threads)
{
    enum { N = 200, THREADS = 4 };
    static char in[N][16], want[N][16];
    xf_rig r;
    compile_ok(&r, "rrn", "key=main alphabet=digits");
    rng_state = 7;
    for (int i = 0; i < N; i++) {
        snprintf(in[i], sizeof in[i], "%06u-%07u", rng(1000000), rng(10000000));
        strcpy(want[i], apply1(&r, in[i]));
    }
    pthread_t t[THREADS];
    thread_job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (thread_job){&r, (const char(*)[16])in, (const char(*)[16])want, N, 0};
        ck_assert_int_eq(pthread_create(&t[i], NULL, thread_main, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        ck_assert_int_eq(pthread_join(t[i], NULL), 0);
        ck_assert_int_eq(jobs[i].failures, 0);
    }
    xf_rig_done(&r);
}
END_TEST

START_TEST(test_param_errors)
{
    xf_rig r;
    ck_assert_int_eq(compile_spec(&r, "c", "alphabet=digits"), DEID_E_RULES);
    ck_assert_ptr_null(r.state);
    ck_assert_ptr_nonnull(strstr(r.err.message, "fpe needs key=NAME"));
    ck_assert_uint_eq(r.err.column, 50);

    xf_rig_expect_rules_message(&r, compile_spec(&r, "c", "alphabet=digits key=nope"), 17,
                                "unknown key \"nope\"; declare it with: key nope file=PATH");

    /* key material pasted into the rules is never echoed */
    const char *pasted = "key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "
                         "alphabet=digits";
    ck_assert_int_eq(compile_spec(&r, "c", pasted), DEID_E_RULES);
    ck_assert_ptr_null(r.state);
    ck_assert_ptr_null(strstr(r.err.message, "0102030405"));
    ck_assert_str_eq(r.err.source_line, "");
    ck_assert_uint_eq(r.err.column, 1);

    ck_assert_int_eq(compile_spec(&r, "c", "key=main"), DEID_E_RULES);
    ck_assert_ptr_null(r.state);
    ck_assert_ptr_nonnull(strstr(r.err.message, "fpe needs alphabet="));
    ck_assert_uint_eq(r.err.column, 50);

    xf_rig_expect_rules_error(&r, compile_spec(&r, "c", "key=main alphabet="), 10,
                              "alphabet= needs at least 2 characters");
    xf_rig_expect_rules_error(&r, compile_spec(&r, "c", "key=main alphabet=7"), 10,
                              "alphabet= needs at least 2 characters");
    xf_rig_expect_rules_message(&r, compile_spec(&r, "c", "key=main alphabet=0123456780"), 10,
                                "alphabet=0123456780 has the character '0' twice (named "
                                "alphabets are digits, hex, alnum and ALNUM; anything else is a "
                                "list of distinct characters)");
    /* a misspelt name reads as a list of characters */
    xf_rig_expect_rules_error(&r, compile_spec(&r, "c", "key=main alphabet=digit"), 10,
                              "has the character 'i' twice");
    xf_rig_expect_rules_error(&r, compile_spec(&r, "c", "key=main alphabet=Digits"), 10,
                              "has the character 'i' twice");
    xf_rig_expect_rules_error(&r, compile_spec(&r, "c", "key=main alphabet=ab\xEA\xB0\x80"), 10,
                              "only printable ASCII");
    xf_rig_expect_rules_error(&r, compile_spec(&r, "c", "key=main alphabet=ab\tc"), 10,
                              "only printable ASCII");
    char spec[256];
    char many[97];
    for (int i = 0; i < 96; i++)
        many[i] = (char)(0x21 + i % 90);
    many[96] = '\0';
    snprintf(spec, sizeof spec, "key=main alphabet=%s", many);
    xf_rig_expect_rules_error(&r, compile_spec(&r, "c", spec), 10,
                              "alphabet= has more than 95 characters");

    xf_rig_expect_rules_error(&r, compile_spec(&r, "c", "key=main alphabet=digits domain="), 26,
                              "domain= is empty");
    xf_rig_expect_rules_error(&r, compile_spec(&r, "c", "key=main alphabet=digits domain=\xff"),
                              26, "not valid UTF-8");
    static char longdom[400];
    snprintf(longdom, sizeof longdom, "key=main alphabet=digits domain=%0257d", 0);
    xf_rig_expect_rules_error(&r, compile_spec(&r, "c", longdom), 26,
                              "the domain is longer than 256 bytes");
    snprintf(longdom, sizeof longdom, "key=main alphabet=digits domain=%0256d", 0);
    compile_ok(&r, "c", longdom);
    xf_rig_done(&r);
    ck_assert_int_eq(compile_spec(&r, NULL, "key=main alphabet=digits"), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(r.err.message, "fpe needs domain=LABEL here"));
    compile_ok(&r, NULL, "key=main alphabet=digits domain=d");
    xf_rig_done(&r);

    /* parameters fpe does not know are left for the rules parser */
    const xf_rig_setup setup = {.ops = &xf_fpe_ops, .column = "c", .keys = ring};
    xf_rig_init(&r, &setup);
    xf_rig_spec(&r, "key=main alphabet=digits cipher=FF3");
    xf_rig_compile_ok(&r);
    xf_rig_expect_used(&r, "110");
    xf_rig_done(&r);
    /* FF3 and FF3-1 are not offered under any name */
    ck_assert_ptr_null(transform_find("ff3"));
    ck_assert_ptr_null(transform_find("ff3-1"));
    ck_assert_ptr_null(transform_find("ff1"));
}
END_TEST

/* The fingerprint of a raw key by HMAC(), in hex. */
static const char *fingerprint(const unsigned char *key, size_t len, char out[17])
{
    unsigned char md[32];
    unsigned int n = 0;
    HMAC(EVP_sha256(), key, (int)len, (const unsigned char *)"deid key fingerprint", 20, md,
         &n);
    for (int i = 0; i < 8; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    return out;
}

START_TEST(test_describe)
{
    char fp_main[17], fp_other[17], want[512];
    fingerprint(main_key, 32, fp_main);
    fingerprint(other_key, 20, fp_other);
    xf_rig r;
    compile_ok(&r, "rrn", "key=main alphabet=digits");
    snprintf(want, sizeof want,
             "key=main fingerprint=%s alphabet=digits domain=rrn cipher=FF1-AES-256", fp_main);
    xf_rig_expect_describe(&r, want);
    xf_rig_done(&r);

    compile_ok(&r, "x", "key=other alphabet=ALNUM domain=two\\words");
    snprintf(want, sizeof want,
             "key=other fingerprint=%s alphabet=ALNUM domain='two\\words' cipher=FF1-AES-256",
             fp_other);
    xf_rig_expect_describe(&r, want);
    xf_rig_done(&r);

    compile_custom(&r, "dna", "ACGT");
    snprintf(want, sizeof want,
             "key=main fingerprint=%s alphabet='ACGT' domain=dna cipher=FF1-AES-256", fp_main);
    xf_rig_expect_describe(&r, want);
    xf_rig_done(&r);

    /* a single quote in the list: double quotes, with \" and \\ escaped */
    compile_custom(&r, "it's", "a'b\"c\\d");
    snprintf(want, sizeof want,
             "key=main fingerprint=%s alphabet=\"a'b\\\"c\\\\d\" domain=\"it's\" "
             "cipher=FF1-AES-256",
             fp_main);
    xf_rig_expect_describe(&r, want);
    /* never the key bytes */
    dbuf b;
    dbuf_init(&b, 1000);
    ck_assert_int_eq(xf_fpe_ops.describe(r.state, &b), 0);
    ck_assert_ptr_nonnull(dbuf_cstr(&b));
    ck_assert_ptr_null(strstr(b.data, "000102030405"));
    dbuf_free(&b);
    xf_rig_done(&r);

    xf_rig_expect_registered(&xf_fpe_ops, "fpe",
                             "가명처리/암호화 (형태보존암호화: FF1, NIST SP 800-38G)", XF_PSEUDONYMIZES | XF_REVERSE_UNVERIFIED);
    ck_assert_ptr_nonnull(xf_fpe_ops.reverse);
}
END_TEST

Suite *fpe_suite(void); /* called by check_main.c */
Suite *fpe_suite(void)
{
    Suite *s = suite_create("fpe");
    TCase *core = tcase_create("ff1");
    tcase_add_loop_test(core, test_nist_samples, 0, (int)(sizeof nist / sizeof nist[0]));
    tcase_add_test(core, test_core_vectors);
    tcase_add_test(core, test_core_errors);
    suite_add_tcase(s, core);

    TCase *tc = tcase_create("transform");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_fixed_vectors);
    tcase_add_loop_test(tc, test_round_trips, 0, (int)(sizeof alphas / sizeof alphas[0]));
    tcase_add_test(tc, test_shapes);
    tcase_add_test(tc, test_domain_refusal);
    tcase_add_test(tc, test_determinism_and_domains);
    tcase_add_test(tc, test_appends_and_limits);
    tcase_add_test(tc, test_threads);
    tcase_add_test(tc, test_param_errors);
    tcase_add_test(tc, test_describe);
    suite_add_tcase(s, tc);
    return s;
}
