/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_hash.c - the `hash` transform. Expected pseudonyms come either from
 * fixed vectors worked out with the openssl command line and Python's
 * base64 module (see the comments), or are recomputed here with OpenSSL's
 * one-shot HMAC() over a message built by the test and a bit-by-bit
 * encoder written for the test; never by xf_hash.c or encode.c.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "keyring.h"
#include "transform.h"
#include "xf_rig.h"

extern const transform_ops xf_hash_ops;

/* NFC and NFD spellings of 홍길동 (U+D64D U+AE38 U+B3D9; the NFD one in
 * conjoining jamo as macOS writes it). */
#define HGD_NFC "\xED\x99\x8D\xEA\xB8\xB8\xEB\x8F\x99"
#define HGD_NFD "\xE1\x84\x92\xE1\x85\xA9\xE1\x86\xBC" \
                "\xE1\x84\x80\xE1\x85\xB5\xE1\x86\xAF" \
                "\xE1\x84\x83\xE1\x85\xA9\xE1\x86\xBC"
#define IDEO_SPACE "\xE3\x80\x80" /* U+3000 */

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

/* ---- building contexts ---- */

/* Compiles `hash SPEC` into r for column (NULL allowed); SPEC is "a=b c=d
 * ...", each parameter's col is its 1-based offset in SPEC. On success
 * every parameter must be marked used. */
static deid_status compile_spec(xf_rig *r, const char *column, const char *spec,
                                size_t n_inputs)
{
    const xf_rig_setup setup = {
        .ops = &xf_hash_ops,
        .column = column,
        .rules_file = "test.rules",
        .keys = ring,
        .line = 7,
        .col = 99,
        .n_inputs = n_inputs,
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
    ck_assert_int_eq(compile_spec(r, column, spec, 1), DEID_OK);
    ck_assert_ptr_nonnull(r->state);
}

/* Applies to n values; returns the result, output in out (NUL-terminated). */
static xf_result apply_n(const xf_rig *r, const char *const *vals, const size_t *lens, size_t n,
                         char *out, size_t cap, const char **why)
{
    xf_value in[XF_RIG_MAX_INPUTS];
    ck_assert_uint_le(n, XF_RIG_MAX_INPUTS);
    for (size_t i = 0; i < n; i++) {
        in[i].data = vals[i];
        in[i].len = lens ? lens[i] : strlen(vals[i]);
    }
    dbuf b;
    xf_result res = xf_rig_apply_n(r, in, n, &b, XF_RIG_OUT_MAX, why);
    ck_assert_uint_lt(b.len, cap);
    if (b.len)
        memcpy(out, b.data, b.len);
    out[b.len] = '\0';
    if (res != XF_OK)
        ck_assert_uint_eq(b.len, 0);
    dbuf_free(&b);
    return res;
}

static const char *apply1(const xf_rig *r, const char *v)
{
    static char out[128];
    const char *why;
    ck_assert_int_eq(apply_n(r, &v, NULL, 1, out, sizeof out, &why), XF_OK);
    return out;
}

static const char *bad1(const xf_rig *r, const char *v, size_t len)
{
    char out[128];
    const char *why = NULL;
    ck_assert_int_eq(apply_n(r, &v, &len, 1, out, sizeof out, &why), XF_BAD_VALUE);
    ck_assert_ptr_nonnull(why);
    return why;
}

/* ---- the independent reference ---- */

static const char B32[] = "abcdefghijklmnopqrstuvwxyz234567";
static const char HEX[] = "0123456789abcdef";
static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Encodes bit by bit, zero-padding the last group, no '=' padding. */
static void enc_bits(const unsigned char *in, size_t n, unsigned bits, const char *alpha,
                     char *out)
{
    size_t total = n * 8, o = 0;
    for (size_t pos = 0; pos < total; pos += bits) {
        unsigned v = 0;
        for (unsigned b = 0; b < bits; b++) {
            size_t bit = pos + b;
            v = (v << 1) | (bit < total ? (in[bit / 8] >> (7 - bit % 8)) & 1u : 0u);
        }
        out[o++] = alpha[v];
    }
    out[o] = '\0';
}

static size_t put_framed(unsigned char *m, const char *s, size_t len)
{
    m[0] = (unsigned char)(len >> 24);
    m[1] = (unsigned char)(len >> 16);
    m[2] = (unsigned char)(len >> 8);
    m[3] = (unsigned char)len;
    memcpy(m + 4, s, len);
    return 4 + len;
}

/* HMAC-SHA-256(key, be32|domain| (be32|v)*), encoded, cut to length. */
static const char *reference(const unsigned char *key, size_t key_len, const char *domain,
                             const char *const *vals, const size_t *lens, size_t n,
                             unsigned bits, const char *alpha, size_t length)
{
    static unsigned char msg[8192];
    static char out[128];
    size_t m = put_framed(msg, domain, strlen(domain));
    for (size_t i = 0; i < n; i++)
        m += put_framed(msg + m, vals[i], lens ? lens[i] : strlen(vals[i]));
    unsigned char mac[32];
    unsigned int mac_len = 0;
    ck_assert_ptr_nonnull(HMAC(EVP_sha256(), key, (int)key_len, msg, m, mac, &mac_len));
    enc_bits(mac, 32, bits, alpha, out);
    ck_assert_uint_le(length, strlen(out));
    out[length] = '\0';
    return out;
}

static const char *ref1(const char *domain, const char *v)
{
    return reference(main_key, 32, domain, &v, NULL, 1, 5, B32, 26);
}

/* ---- tests ---- */

START_TEST(test_fixed_vectors)
{
    /* printf '\0\0\0\5phone\0\0\0\01301012345678' | openssl dgst -sha256 -mac HMAC
     *   -macopt hexkey:000102..1f
     * = 50422e7786229501ec1dcf5cfa58fe1ae56e208dd51946da4d4da9abb90079a1
     * base32 (Python, lowercased) kbbc454gekkqd3a5z5opuwh6dlsw4ien2umunwsnjwu2xoiapgqq
     * base64url UEIud4YilQHsHc9c-lj-GuVuII3VGUbaTU2pq7kAeaE */
    xf_rig r;
    compile_ok(&r, "phone", "key=main normalize=digits");
    ck_assert_str_eq(apply1(&r, " 010-1234-5678 "), "kbbc454gekkqd3a5z5opuwh6dl");
    ck_assert_str_eq(apply1(&r, "01012345678"), "kbbc454gekkqd3a5z5opuwh6dl");
    xf_rig_done(&r);

    compile_ok(&r, "x", "key=main domain=phone encode=hex length=64");
    ck_assert_str_eq(apply1(&r, "01012345678"),
                     "50422e7786229501ec1dcf5cfa58fe1ae56e208dd51946da4d4da9abb90079a1");
    xf_rig_done(&r);

    compile_ok(&r, "x", "key=main domain=phone encode=base64url length=43");
    ck_assert_str_eq(apply1(&r, "01012345678"), "UEIud4YilQHsHc9c-lj-GuVuII3VGUbaTU2pq7kAeaE");
    xf_rig_done(&r);

    compile_ok(&r, "x", "key=main domain=phone length=52");
    ck_assert_str_eq(apply1(&r, "01012345678"),
                     "kbbc454gekkqd3a5z5opuwh6dlsw4ien2umunwsnjwu2xoiapgqq");
    xf_rig_done(&r);

    /* domain "name", value 홍길동 in NFC (9 bytes), same tools:
     * qbzudaeq3buhhcr7ski6bqndx5wsmc4v6r2p3bu4235hh6osc3nq */
    compile_ok(&r, "name", "key=main");
    ck_assert_str_eq(apply1(&r, HGD_NFC), "qbzudaeq3buhhcr7ski6bqndx5");
    ck_assert_str_eq(apply1(&r, HGD_NFD), "qbzudaeq3buhhcr7ski6bqndx5");
    ck_assert_str_eq(apply1(&r, IDEO_SPACE " " HGD_NFD "\t" IDEO_SPACE),
                     "qbzudaeq3buhhcr7ski6bqndx5");
    xf_rig_done(&r);
}
END_TEST

START_TEST(test_multi_input)
{
    /* domain "key", ("ab","c") and ("a","bc"), same tools:
     * f0c37f1bdc2e00bded49c4d0dcb8fdaf979215fb5f49bf4e2d33bd6a32003869
     * d2ec7cb075925d4bd1eeaa0b5e304828b2cfb5fc4d10fad0a5e2ed6b28655147 */
    xf_rig r;
    ck_assert_int_eq(compile_spec(&r, "key", "key=main encode=hex length=64", 2), DEID_OK);
    ck_assert_uint_ne(xf_hash_ops.flags & XF_MULTI_INPUT, 0);
    char out[128];
    const char *why;
    const char *v1[] = {"ab", "c"}, *v2[] = {"a", "bc"};
    ck_assert_int_eq(apply_n(&r, v1, NULL, 2, out, sizeof out, &why), XF_OK);
    ck_assert_str_eq(out, "f0c37f1bdc2e00bded49c4d0dcb8fdaf979215fb5f49bf4e2d33bd6a32003869");
    ck_assert_int_eq(apply_n(&r, v2, NULL, 2, out, sizeof out, &why), XF_OK);
    ck_assert_str_eq(out, "d2ec7cb075925d4bd1eeaa0b5e304828b2cfb5fc4d10fad0a5e2ed6b28655147");
    /* an empty component is fine and distinct from its neighbours */
    const char *v3[] = {"abc", "", "x"}, *v4[] = {"abc", "x", ""};
    char out2[128];
    ck_assert_int_eq(apply_n(&r, v3, NULL, 3, out, sizeof out, &why), XF_OK);
    ck_assert_str_eq(out, reference(main_key, 32, "key", v3, NULL, 3, 4, HEX, 64));
    ck_assert_int_eq(apply_n(&r, v4, NULL, 3, out2, sizeof out2, &why), XF_OK);
    ck_assert_str_ne(out, out2);
    /* all empty after normalization: refused like a single empty value */
    const char *v5[] = {" ", IDEO_SPACE};
    ck_assert_int_eq(apply_n(&r, v5, NULL, 2, out, sizeof out, &why), XF_BAD_VALUE);
    ck_assert_str_eq(why, "is empty after normalization");
    /* one bad component spoils the lot */
    const char *v6[] = {"ok", "\xff"};
    ck_assert_int_eq(apply_n(&r, v6, NULL, 2, out, sizeof out, &why), XF_BAD_VALUE);
    ck_assert_str_eq(why, "is not valid UTF-8");
    xf_rig_done(&r);

    /* the components are normalized one by one */
    ck_assert_int_eq(compile_spec(&r, "p", "key=main normalize=digits,lower", 2), DEID_OK);
    const char *raw[] = {" 010-1234 ", "AB-12"}, *norm[] = {"0101234", "12"};
    ck_assert_int_eq(apply_n(&r, raw, NULL, 2, out, sizeof out, &why), XF_OK);
    ck_assert_str_eq(out, reference(main_key, 32, "p", norm, NULL, 2, 5, B32, 26));
    xf_rig_done(&r);
}
END_TEST

START_TEST(test_normalize)
{
    xf_rig r;
    compile_ok(&r, "c", "key=main");
    /* trimming only: inner spaces and case are kept */
    ck_assert_str_eq(apply1(&r, " \t\r\n a B \r\n"), ref1("c", "a B"));
    ck_assert_str_eq(apply1(&r, IDEO_SPACE "x" IDEO_SPACE IDEO_SPACE), ref1("c", "x"));
    ck_assert_str_eq(apply1(&r, "x" IDEO_SPACE "y"), ref1("c", "x" IDEO_SPACE "y"));
    ck_assert_str_ne(apply1(&r, "Hong"), ref1("c", "hong"));
    /* NFD and NFC give one pseudonym, equal to the NFC bytes' MAC */
    ck_assert_str_eq(apply1(&r, HGD_NFD), ref1("c", HGD_NFC));
    /* a vertical tab or NBSP is not trimmed */
    ck_assert_str_eq(apply1(&r, "\va"), ref1("c", "\va"));
    ck_assert_str_eq(apply1(&r, "\xC2\xA0" "a"), ref1("c", "\xC2\xA0" "a"));
    xf_rig_done(&r);

    compile_ok(&r, "c", "key=main normalize=lower");
    ck_assert_str_eq(apply1(&r, " Hong@Example.COM "), ref1("c", "hong@example.com"));
    ck_assert_str_eq(apply1(&r, "@AZ[`az{"), ref1("c", "@az[`az{"));
    /* only ASCII folds: É (U+00C9) stays */
    ck_assert_str_eq(apply1(&r, "\xC3\x89Z"), ref1("c", "\xC3\x89z"));
    xf_rig_done(&r);

    compile_ok(&r, "c", "key=main normalize=digits");
    ck_assert_str_eq(apply1(&r, "+82 (10) 1234-5678"), ref1("c", "821012345678"));
    ck_assert_str_eq(apply1(&r, HGD_NFC "7"), ref1("c", "7"));
    xf_rig_done(&r);

    compile_ok(&r, "c", "key=main normalize=lower,digits");
    ck_assert_str_eq(apply1(&r, "A1b2"), ref1("c", "12"));
    xf_rig_done(&r);

    compile_ok(&r, "c", "key=main normalize=none");
    ck_assert_str_eq(apply1(&r, "A1"), ref1("c", "A1"));
    xf_rig_done(&r);
}
END_TEST

START_TEST(test_bad_values)
{
    xf_rig r;
    compile_ok(&r, "c", "key=main normalize=digits");
    ck_assert_str_eq(bad1(&r, "\xff", 1), "is not valid UTF-8");
    ck_assert_str_eq(bad1(&r, "12\xC0\x80", 4), "is not valid UTF-8"); /* overlong NUL */
    /* jamo followed by garbage: the composing path reports it too */
    ck_assert_str_eq(bad1(&r, "\xE1\x84\x92\xE1\x85", 5), "is not valid UTF-8");
    ck_assert_str_eq(bad1(&r, "abc", 3), "is empty after normalization");
    ck_assert_str_eq(bad1(&r, "  --  ", 6), "is empty after normalization");
    xf_rig_done(&r);
    compile_ok(&r, "c", "key=main");
    ck_assert_str_eq(bad1(&r, " " IDEO_SPACE "\r\n", 6), "is empty after normalization");
    ck_assert_str_eq(bad1(&r, "", 0), "is empty after normalization");
    ck_assert_str_eq(bad1(&r, "a\xED\xA0\x80", 4), "is not valid UTF-8"); /* surrogate */
    xf_rig_done(&r);
}
END_TEST

START_TEST(test_domains)
{
    xf_rig a, b, c, d;
    compile_ok(&a, "phone", "key=main");
    compile_ok(&b, "mobile", "key=main");
    compile_ok(&c, "mobile", "key=main domain=phone");
    compile_ok(&d, "phone", "key=other");
    char pa[64], pb[64], pc[64], pd[64];
    strcpy(pa, apply1(&a, "01012345678"));
    strcpy(pb, apply1(&b, "01012345678"));
    strcpy(pc, apply1(&c, "01012345678"));
    strcpy(pd, apply1(&d, "01012345678"));
    ck_assert_str_ne(pa, pb);
    ck_assert_str_eq(pa, pc);
    ck_assert_str_ne(pa, pd);
    ck_assert_str_eq(pd, reference(other_key, 20, "phone", (const char *const[]){"01012345678"},
                                   NULL, 1, 5, B32, 26));
    xf_rig_done(&a);
    xf_rig_done(&b);
    xf_rig_done(&c);
    xf_rig_done(&d);

    /* a Hangul domain is composed like values */
    compile_ok(&a, HGD_NFD, "key=main");
    compile_ok(&b, "x", "key=main domain=" HGD_NFC);
    strcpy(pa, apply1(&a, "v"));
    ck_assert_str_eq(pa, apply1(&b, "v"));
    ck_assert_str_eq(pa, ref1(HGD_NFC, "v"));
    xf_rig_done(&a);
    xf_rig_done(&b);

    /* ("ph", "one...") framing: domain "ph" + value "one" differs from
     * domain "pho" + value "ne" */
    compile_ok(&a, "ph", "key=main");
    compile_ok(&b, "pho", "key=main");
    strcpy(pa, apply1(&a, "one"));
    ck_assert_str_ne(pa, apply1(&b, "ne"));
    xf_rig_done(&a);
    xf_rig_done(&b);
}
END_TEST

START_TEST(test_long_value)
{
    /* Past the 1 KiB stack buffer, through the heap path, and with jamo. */
    static char big[5000];
    for (size_t i = 0; i < sizeof big - 1; i++)
        big[i] = (char)('a' + i % 26);
    big[sizeof big - 1] = '\0';
    xf_rig r;
    compile_ok(&r, "c", "key=main encode=hex length=64");
    const char *bp = big;
    ck_assert_str_eq(apply1(&r, big), reference(main_key, 32, "c", &bp, NULL, 1, 4, HEX, 64));
    static char nfd[30 * 100 + 1], nfc[9 * 100 + 1];
    for (int i = 0; i < 100; i++) {
        memcpy(nfd + 27 * i, HGD_NFD, 27);
        memcpy(nfc + 9 * i, HGD_NFC, 9);
    }
    nfd[2700] = '\0';
    nfc[900] = '\0';
    const char *cp = nfc;
    ck_assert_str_eq(apply1(&r, nfd), reference(main_key, 32, "c", &cp, NULL, 1, 4, HEX, 64));
    xf_rig_done(&r);
}
END_TEST

START_TEST(test_appends)
{
    xf_rig r;
    compile_ok(&r, "c", "key=main length=13");
    xf_value in = {"v", 1};
    dbuf b;
    dbuf_init(&b, 100);
    ck_assert_int_eq(dbuf_append_str(&b, "pre:"), 0);
    const char *why;
    ck_assert_int_eq(xf_hash_ops.apply(r.state, &in, 1, &b, &why), XF_OK);
    char want[64];
    snprintf(want, sizeof want, "pre:%s", reference(main_key, 32, "c", (const char *const[]){"v"},
                                                    NULL, 1, 5, B32, 13));
    ck_assert_str_eq(dbuf_cstr(&b), want);
    /* an output limit is XF_NOMEM, not a crash */
    dbuf small;
    dbuf_init(&small, 5);
    ck_assert_int_eq(xf_hash_ops.apply(r.state, &in, 1, &small, &why), XF_NOMEM);
    dbuf_free(&small);
    dbuf_free(&b);
    xf_rig_done(&r);
}
END_TEST

typedef struct enc_case {
    const char *name;
    unsigned bits;
    const char *alpha;
    unsigned min, max;
} enc_case;

static const enc_case encs[] = {
    {"base32", 5, B32, 13, 52},
    {"hex", 4, HEX, 16, 64},
    {"base64url", 6, B64URL, 11, 43},
};

START_TEST(test_lengths)
{
    const enc_case *ec = &encs[_i];
    char spec[128];
    xf_rig r;
    for (unsigned len = ec->min; len <= ec->max; len++) {
        snprintf(spec, sizeof spec, "key=main encode=%s length=%u", ec->name, len);
        ck_assert_int_eq(compile_spec(&r, "col", spec, 1), DEID_OK);
        ck_assert_str_eq(apply1(&r, "value"),
                         reference(main_key, 32, "col", (const char *const[]){"value"}, NULL, 1,
                                   ec->bits, ec->alpha, len));
        xf_rig_done(&r);
    }
    /* default length is 26 characters in every encoding */
    snprintf(spec, sizeof spec, "key=main encode=%s", ec->name);
    ck_assert_int_eq(compile_spec(&r, "col", spec, 1), DEID_OK);
    ck_assert_uint_eq(strlen(apply1(&r, "value")), 26);
    xf_rig_done(&r);

    unsigned bad[] = {ec->min - 1, ec->max + 1, 0, 1000};
    for (size_t i = 0; i < 4; i++) {
        snprintf(spec, sizeof spec, "key=main encode=%s length=%u", ec->name, bad[i]);
        ck_assert_int_eq(compile_spec(&r, "col", spec, 1), DEID_E_RULES);
        ck_assert_ptr_null(r.state);
        char want[128];
        snprintf(want, sizeof want, "length=%u is out of range for encode=%s (%u to %u characters",
                 bad[i], ec->name, ec->min, ec->max);
        ck_assert_msg(strstr(r.err.message, want), "message: %s", r.err.message);
        ck_assert_uint_eq(r.err.column, (unsigned long)(strstr(spec, "length=") - spec) + 1);
        ck_assert_uint_eq(r.err.line, 7);
        ck_assert_str_eq(r.err.file, "test.rules");
    }
}
END_TEST

START_TEST(test_param_errors)
{
    xf_rig r;
    ck_assert_int_eq(compile_spec(&r, "c", "length=20", 1), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(r.err.message, "hash needs key="));
    ck_assert_uint_eq(r.err.column, 99);

    ck_assert_int_eq(compile_spec(&r, "c", "length=20 key=x", 1), DEID_E_RULES);
    ck_assert_str_eq(r.err.message, "unknown key \"x\"; declare it with: key x file=PATH");
    ck_assert_uint_eq(r.err.column, 11);

    ck_assert_int_eq(compile_spec(&r, "c", "key=main encode=base58", 1), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(r.err.message, "encode=base58 is not one of"));
    ck_assert_uint_eq(r.err.column, 10);
    ck_assert_int_eq(compile_spec(&r, "c", "key=main encode=BASE32", 1), DEID_E_RULES);

    ck_assert_int_eq(compile_spec(&r, "c", "key=main length=2x", 1), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(r.err.message, "not a whole number"));
    ck_assert_int_eq(compile_spec(&r, "c", "key=main length=-20", 1), DEID_E_RULES);
    ck_assert_int_eq(compile_spec(&r, "c", "key=main length=", 1), DEID_E_RULES);
    ck_assert_int_eq(compile_spec(&r, "c", "key=main length=99999999999999999999999", 1),
                     DEID_E_RULES);

    static const char *const bad_norm[] = {"foo", "digits,,lower", "none,digits", "digits,",
                                           "", "DIGITS", "digitss"};
    for (size_t i = 0; i < sizeof bad_norm / sizeof bad_norm[0]; i++) {
        char spec[64];
        snprintf(spec, sizeof spec, "key=main normalize=%s", bad_norm[i]);
        ck_assert_int_eq(compile_spec(&r, "c", spec, 1), DEID_E_RULES);
        ck_assert_ptr_nonnull(strstr(r.err.message, "normalize="));
        ck_assert_uint_eq(r.err.column, 10);
    }

    ck_assert_int_eq(compile_spec(&r, "c", "key=main domain=", 1), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(r.err.message, "domain= is empty"));
    ck_assert_int_eq(compile_spec(&r, "c", "key=main domain=\xff", 1), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(r.err.message, "not valid UTF-8"));
    ck_assert_int_eq(compile_spec(&r, NULL, "key=main", 1), DEID_E_RULES);
    char spec[400];
    snprintf(spec, sizeof spec, "key=main domain=%0300d", 0);
    ck_assert_int_eq(compile_spec(&r, "c", spec, 1), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(r.err.message, "longer than 256 bytes"));

    /* no keys at all */
    keyring *saved = ring;
    ring = NULL;
    ck_assert_int_eq(compile_spec(&r, "c", "key=main", 1), DEID_E_RULES);
    ck_assert_str_eq(r.err.message, "unknown key \"main\"; declare it with: key main file=PATH");
    ring = saved;
}
END_TEST

/* The fingerprint of other_key by HMAC(), in hex. */
static const char *fp_other(char out[17])
{
    unsigned char md[32];
    unsigned int n = 0;
    HMAC(EVP_sha256(), other_key, 20, (const unsigned char *)"deid key fingerprint", 20, md, &n);
    for (int i = 0; i < 8; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    return out;
}

START_TEST(test_describe)
{
    xf_rig r;
    compile_ok(&r, "phone", "key=main normalize=digits");
    dbuf b;
    dbuf_init(&b, 1000);
    ck_assert_int_eq(xf_hash_ops.describe(r.state, &b), 0);
    ck_assert_str_eq(dbuf_cstr(&b), "key=main fingerprint=19ef16b41d65211d domain=phone "
                                    "normalize=digits encode=base32 length=26");
    xf_rig_done(&r);

    compile_ok(&r, "x", "key=other domain=two\\words encode=hex length=16 normalize=lower,digits");
    dbuf_reset(&b);
    ck_assert_int_eq(xf_hash_ops.describe(r.state, &b), 0);
    char want[200];
    char fp[17];
    ck_assert_str_eq(key_fingerprint(keyring_find(ring, "other")), fp_other(fp));
    snprintf(want, sizeof want,
             "key=other fingerprint=%s domain=\"two\\\\words\" normalize=digits,lower encode=hex "
             "length=16",
             fp);
    ck_assert_str_eq(dbuf_cstr(&b), want);
    /* never the key bytes, in any spelling */
    ck_assert_ptr_null(strstr(b.data, "another key"));
    ck_assert_ptr_null(strstr(b.data, "616e6f74686572"));
    xf_rig_done(&r);

    compile_ok(&r, "x", "key=main encode=base64url length=11");
    dbuf_reset(&b);
    ck_assert_int_eq(xf_hash_ops.describe(r.state, &b), 0);
    ck_assert_str_eq(dbuf_cstr(&b), "key=main fingerprint=19ef16b41d65211d domain=x "
                                    "normalize=none encode=base64url length=11");
    xf_rig_done(&r);
    dbuf_free(&b);

    xf_rig_expect_registered(&xf_hash_ops, "hash", "가명처리/암호화 (keyed hash, HMAC-SHA-256)",
                             XF_MULTI_INPUT | XF_PSEUDONYMIZES);
}
END_TEST

Suite *hash_suite(void); /* called by check_main.c */
Suite *hash_suite(void)
{
    Suite *s = suite_create("hash");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_fixed_vectors);
    tcase_add_test(tc, test_multi_input);
    tcase_add_test(tc, test_normalize);
    tcase_add_test(tc, test_bad_values);
    tcase_add_test(tc, test_domains);
    tcase_add_test(tc, test_long_value);
    tcase_add_test(tc, test_appends);
    tcase_add_loop_test(tc, test_lengths, 0, 3);
    tcase_add_test(tc, test_param_errors);
    tcase_add_test(tc, test_describe);
    suite_add_tcase(s, tc);
    return s;
}
