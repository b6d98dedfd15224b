/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_encrypt.c - `encrypt key=K [domain=LABEL]`: a reversible pseudonym,
 * deterministic authenticated encryption with AES-SIV (RFC 5297). The same
 * value, key and domain always give the same output, so joins keep
 * working; whoever holds the key can restore the value (`reverse`), and a
 * changed output is detected instead of decrypting to garbage. Random-IV
 * modes would break joins and CBC alone is not authenticated (DOMAIN.md).
 *
 * Exact definition, so that anyone holding the key can decrypt with any
 * AES-SIV implementation:
 *
 *   K   = HKDF-SHA-256(IKM = the key file's bytes, salt = empty,
 *                      info = "deid encrypt aes-256-siv v1", L = 64)
 *   out = base64url(SIV || C), no padding, where
 *   SIV || C = AES-SIV-CMAC-512(K, AD = [D], plaintext = the value)
 *
 * i.e. OpenSSL's "AES-256-SIV" (RFC 5297 with two AES-256 keys: the first
 * 32 bytes of K for S2V/CMAC, the last 32 for CTR) with a single associated
 * data component D: the domain= text, or by default the column name, in
 * UTF-8 with conjoining Hangul jamo composed (the same D as `hash`). A
 * different domain gives an unrelated output and will not decrypt, so two
 * columns (or two recipients) cannot be joined on it. The value is
 * encrypted byte for byte as it is: no trimming, no normalization, any
 * bytes (valid UTF-8 or not), so reverse gives back exactly the input.
 * The output is 16 bytes longer than the value before base64url.
 *
 * The keyring derives K and keys the OpenSSL contexts (key_cipher); this
 * file never sees key bytes. Each apply or reverse copies a keyed template
 * context, so a const state serves any number of threads.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "deid_limits.h"
#include "err.h"
#include "encode.h"
#include "keyring.h"
#include "transform.h"
#include "utf8.h"
#include "xf_encrypt.h"

#define ENCRYPT_CIPHER "AES-256-SIV"
#define ENCRYPT_LABEL "deid encrypt aes-256-siv v1"

/* Values whose tag || ciphertext and text fit here need no allocation
 * beyond OpenSSL's own. */
#define ENCRYPT_STACK_BYTES 512u

typedef struct encrypt_state {
    key_cipher *kc;
    xf_keyed id; /* the domain is D */
} encrypt_state;

int xf_encrypt_siv_seal(EVP_CIPHER_CTX *ctx, const void *ad, size_t ad_len, const void *pt,
                        size_t pt_len, unsigned char *out)
{
    if (pt_len == 0 || pt_len > INT_MAX - XF_ENCRYPT_TAG_BYTES || ad_len > INT_MAX)
        return -1;
    int n = 0, fin = 0;
    /* RFC 5297 S2V absorbs each update with a NULL output as one
     * associated data component, before the plaintext. */
    int ok = EVP_CipherUpdate(ctx, NULL, &n, ad, (int)ad_len) == 1 &&
             EVP_CipherUpdate(ctx, out + XF_ENCRYPT_TAG_BYTES, &n, pt, (int)pt_len) == 1 &&
             (size_t)n == pt_len &&
             EVP_CipherFinal_ex(ctx, out + XF_ENCRYPT_TAG_BYTES + n, &fin) == 1 && fin == 0 &&
             EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, (int)XF_ENCRYPT_TAG_BYTES, out) == 1;
    return ok ? 0 : -1;
}

int xf_encrypt_siv_open(EVP_CIPHER_CTX *ctx, const void *ad, size_t ad_len,
                        const unsigned char *in, size_t in_len, unsigned char *out)
{
    if (in_len <= XF_ENCRYPT_TAG_BYTES || in_len > INT_MAX || ad_len > INT_MAX)
        return -1;
    size_t ct_len = in_len - XF_ENCRYPT_TAG_BYTES;
    int n = 0, fin = 0;
    /* The SIV is the expected tag: OpenSSL recomputes it from the
     * decrypted text and fails the update (wiping out) on a mismatch. */
    int ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, (int)XF_ENCRYPT_TAG_BYTES,
                                 (void *)in) == 1 &&
             EVP_CipherUpdate(ctx, NULL, &n, ad, (int)ad_len) == 1 &&
             EVP_CipherUpdate(ctx, out, &n, in + XF_ENCRYPT_TAG_BYTES, (int)ct_len) == 1 &&
             (size_t)n == ct_len && EVP_CipherFinal_ex(ctx, out + n, &fin) == 1 && fin == 0;
    return ok ? 0 : -1;
}

/* With context=COLUMN the context value goes in first as an associated
 * data component of its own, framed as be32(length) || value so that an
 * empty context is still a component: components are (context, domain). */
static int absorb_context(EVP_CIPHER_CTX *ctx, const xf_value *in, size_t n_in)
{
    if (n_in < 2)
        return 0;
    if (in[1].len > INT_MAX - 4)
        return -1;
    unsigned char stack[256];
    size_t len = 4 + in[1].len;
    unsigned char *buf = len <= sizeof stack ? stack : malloc(len);
    if (!buf)
        return -1;
    buf[0] = (unsigned char)(in[1].len >> 24);
    buf[1] = (unsigned char)(in[1].len >> 16);
    buf[2] = (unsigned char)(in[1].len >> 8);
    buf[3] = (unsigned char)in[1].len;
    memcpy(buf + 4, in[1].data, in[1].len);
    int n = 0;
    int ok = EVP_CipherUpdate(ctx, NULL, &n, buf, (int)len) == 1;
    if (buf != stack)
        free(buf);
    return ok ? 0 : -1;
}

static void encrypt_free(void *state)
{
    encrypt_state *s = state;
    if (!s)
        return;
    key_cipher_free(s->kc);
    xf_keyed_free(&s->id);
    free(s);
}

static deid_status encrypt_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    deid_status key_st;
    const deid_key *key = xf_key_param(ctx, &key_st);
    if (!key)
        return key_st;

    xf_domain_arg d;
    deid_status st = xf_domain_arg_get(ctx, "encrypt", &d);
    if (st)
        return st;

    encrypt_state *s = calloc(1, sizeof *s);
    if (!s)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    st = xf_keyed_init(ctx, &d, key, &s->id);
    if (st) {
        encrypt_free(s);
        return st;
    }
    if (!s->id.key_name) {
        encrypt_free(s);
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    }
    s->kc = key_cipher_new(key, ENCRYPT_CIPHER, ENCRYPT_LABEL);
    if (!s->kc) {
        encrypt_free(s);
        return err_set(ctx->err, DEID_E_IO,
                       "cannot prepare key \"%s\" for " ENCRYPT_CIPHER
                       " (OpenSSL 3's default provider is needed; or out of memory)",
                       key_name(key));
    }
    *state = s;
    return DEID_OK;
}

/* Returns a buffer of n bytes: stack (n <= cap) or heap, NULL on ENOMEM. */
static void *scratch(void *stack, size_t cap, size_t n)
{
    return n <= cap ? stack : malloc(n);
}

static xf_result encrypt_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                               const char **why)
{
    const encrypt_state *s = state;
    /* in[1], when present, is the context column's value (context=) */
    size_t len = in[0].len;
    if (len == 0) {
        /* The engine keeps empty values empty; an empty plaintext would be
         * a tag alone that OpenSSL does not compute. */
        *why = "is empty";
        return XF_BAD_VALUE;
    }
    if (len > DEID_MAX_RECORD_BYTES)
        return XF_NOMEM;
    size_t bin_len = XF_ENCRYPT_TAG_BYTES + len;
    size_t text_len = encode_base64url_len(bin_len);
    unsigned char stack_bin[ENCRYPT_STACK_BYTES];
    char stack_text[ENCRYPT_STACK_BYTES];
    unsigned char *bin = scratch(stack_bin, sizeof stack_bin, bin_len);
    char *text = scratch(stack_text, sizeof stack_text, text_len + 1);
    EVP_CIPHER_CTX *ctx = key_cipher_ctx(s->kc, 1);
    xf_result r = XF_NOMEM;
    if (bin && text && ctx && absorb_context(ctx, in, n_in) == 0 &&
        xf_encrypt_siv_seal(ctx, s->id.domain, s->id.domain_len, in[0].data, len, bin) == 0 &&
        encode_base64url(bin, bin_len, text) == text_len &&
        dbuf_append(out, text, text_len) == DBUF_OK)
        r = XF_OK;
    EVP_CIPHER_CTX_free(ctx);
    if (bin != stack_bin)
        free(bin);
    if (text != stack_text)
        free(text);
    return r;
}

/* Decodes the unpadded base64url text s[0..len) into out (room for
 * len * 3 / 4 + 3 bytes) and sets *out_len. Only the canonical encoding is
 * accepted, the one encode_base64url writes: no padding, no white space,
 * no standard-alphabet '+' '/', zero unused bits; otherwise one output
 * would have several spellings that all decrypt. Returns 0 or -1. */
static int decode_base64url(const char *s, size_t len, unsigned char *out, size_t *out_len,
                            char *work)
{
    if (len % 4 == 1 || len > INT_MAX - 4)
        return -1;
    size_t pad = (4 - len % 4) % 4;
    for (size_t i = 0; i < len; i++)
        work[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
    memset(work + len, '=', pad);
    /* EVP_DecodeBlock is classic base64 with padding, and counts the zero
     * bytes that padding stands for in its result. */
    int n = EVP_DecodeBlock(out, (const unsigned char *)work, (int)(len + pad));
    if (n < 0 || (size_t)n < pad)
        return -1;
    *out_len = (size_t)n - pad;
    if (encode_base64url_len(*out_len) != len)
        return -1;
    /* work has room for the re-encoding plus its NUL: len + pad + 1. */
    encode_base64url(out, *out_len, work);
    return memcmp(work, s, len) == 0 ? 0 : -1;
}

/* One authenticated decryption of bin into out (room for bin_len - tag
 * bytes) with a fresh copy of the keyed template. Returns 0, -1 when the
 * tag does not match or OpenSSL fails, -2 without a context (ENOMEM). */
static int siv_open_once(const encrypt_state *s, const xf_value *in, size_t n_in,
                         const unsigned char *bin, size_t bin_len, unsigned char *out)
{
    EVP_CIPHER_CTX *ctx = key_cipher_ctx(s->kc, 0);
    if (!ctx)
        return -2;
    int rc = absorb_context(ctx, in, n_in) != 0 ||
                     xf_encrypt_siv_open(ctx, s->id.domain, s->id.domain_len, bin, bin_len, out) != 0
                 ? -1
                 : 0;
    EVP_CIPHER_CTX_free(ctx);
    return rc;
}

static xf_result encrypt_reverse(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                                 const char **why)
{
    const encrypt_state *s = state;
    size_t len = in->len;
    if (len > DEID_MAX_RECORD_BYTES) {
        *why = "is not an encrypt value";
        return XF_BAD_VALUE;
    }
    size_t bin_cap = len / 4 * 3 + 3;
    unsigned char stack_bin[ENCRYPT_STACK_BYTES];
    char stack_work[ENCRYPT_STACK_BYTES];
    unsigned char *bin = scratch(stack_bin, sizeof stack_bin, bin_cap);
    char *work = scratch(stack_work, sizeof stack_work, len + 4);
    size_t bin_len = 0;
    xf_result r = XF_OK;
    if (!bin || !work) {
        r = XF_NOMEM;
    } else if (decode_base64url(in->data, len, bin, &bin_len, work) != 0 ||
               bin_len <= XF_ENCRYPT_TAG_BYTES) {
        *why = "is not an encrypt value";
        r = XF_BAD_VALUE;
    } else {
        size_t pt_len = bin_len - XF_ENCRYPT_TAG_BYTES;
        /* Decrypted straight into out; its length only grows on success. */
        unsigned char *dst = NULL;
        int rc = -2;
        ERR_clear_error();
        if (dbuf_reserve(out, pt_len) == DBUF_OK) {
            dst = (unsigned char *)out->data + out->len;
            rc = siv_open_once(s, in, n_in, bin, bin_len, dst);
        }
        /* "Tampered" must be true: S2V allocates inside OpenSSL, and
         * OpenSSL 3.0 does not always queue an error when that fails, so a
         * silent failure is tried once more before the value is blamed. */
        if (rc == -1 && !ERR_peek_error())
            rc = siv_open_once(s, in, n_in, bin, bin_len, dst);
        if (rc == 0) {
            out->len += pt_len;
        } else if (rc == -1 && !ERR_peek_error()) {
            *why = "failed authentication (tampered or wrong key)";
            r = XF_BAD_VALUE;
        } else {
            r = XF_NOMEM;
        }
        ERR_clear_error();
    }
    if (bin != stack_bin)
        free(bin);
    if (work != stack_work)
        free(work);
    return r;
}

static int encrypt_describe(const void *state, dbuf *out)
{
    const encrypt_state *s = state;
    int rc = xf_keyed_describe(&s->id, out);
    if (rc)
        return rc;
    return dbuf_append_str(out, " cipher=" ENCRYPT_CIPHER);
}

const transform_ops xf_encrypt_ops = {
    .name = "encrypt",
    .technique = "가명처리/암호화 (양방향 암호화: AES-SIV, deterministic)",
    .flags = XF_TAKES_CONTEXT | XF_PSEUDONYMIZES,
    .compile = encrypt_compile,
    .apply = encrypt_apply,
    .describe = encrypt_describe,
    .free = encrypt_free,
    .reverse = encrypt_reverse,
};
