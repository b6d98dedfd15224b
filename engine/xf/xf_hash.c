/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_hash.c - `hash key=K [length=N] [encode=base32|hex|base64url]
 * [domain=LABEL] [normalize=digits|lower|digits,lower|none]`: a keyed
 * pseudonym, HMAC-SHA-256 under a key from the keyring, cut to N output
 * characters. The same value, key and domain always give the same
 * pseudonym, so joins keep working; without the key nobody can test
 * guesses (a plain hash of a phone number falls to brute force).
 *
 * Exact definition, so that anyone holding the key can recompute a
 * pseudonym with any HMAC tool:
 *
 *   pseudonym = first N characters of ENC(HMAC-SHA-256(key, M))
 *   M = be32(len(D)) || D || be32(len(v1)) || v1 || ... || be32(len(vn)) || vn
 *
 * be32(x) is x as 4 bytes, big-endian; lengths are in bytes. D is the
 * domain= text, or by default the column name as written in the rules (for
 * `add NAME ... from=...` the new column's NAME), in UTF-8 with conjoining
 * Hangul jamo composed. v1..vn are the input values (one, or one per
 * from= column, in from= order), each normalized in this order:
 *   1. conjoining Hangul jamo composed into syllables (Hangul part of NFC,
 *      utf8_compose_hangul): NFD 홍길동 from macOS equals NFC 홍길동;
 *   2. white space trimmed at both ends: space, tab, CR, LF, U+3000;
 *   3. normalize=digits: every byte that is not an ASCII digit removed;
 *   4. normalize=lower: ASCII A-Z folded to a-z (other letters untouched).
 * ENC is base32 (RFC 4648 alphabet in lowercase, a-z2-7, default), hex
 * (lowercase) or base64url (RFC 4648 section 5), all without padding; N
 * counts characters, default 26 (130 bits), at least 64 bits' worth and at
 * most the whole 32-byte MAC. The length prefixes keep the message
 * unambiguous: ("ab","c") and ("a","bc") differ, and so do two domains.
 *
 * A value that is not valid UTF-8 is a bad value. So is a single value
 * that is empty after normalization (or, with several inputs, all of them
 * empty), since every such junk value would share one pseudonym; single
 * empty components of several inputs are fine.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "deid_limits.h"
#include "err.h"
#include "encode.h"
#include "keyring.h"
#include "transform.h"
#include "utf8.h"

enum { NORM_DIGITS = 1u << 0, NORM_LOWER = 1u << 1 };

/* Values whose framed message fits here are hashed without allocating. */
#define HASH_STACK_MSG 1024u

typedef struct encoding {
    const char *name;
    size_t min_len; /* fewest characters keeping 64 bits */
    size_t max_len; /* the whole 32-byte MAC */
    size_t bits;    /* per character: the first N characters need N * bits bits */
    size_t (*encode)(const void *in, size_t n, char *out);
} encoding;

static const encoding encodings[] = {
    {"base32", 13, 52, 5, encode_base32},
    {"hex", 16, 64, 4, encode_hex},
    {"base64url", 11, 43, 6, encode_base64url},
};

typedef struct hash_state {
    key_mac *mac;            /* prepared with be32(len(D)) || D */
    xf_keyed id;             /* the domain is D */
    unsigned normalize;
    const encoding *enc;
    size_t length;
} hash_state;

static void hash_free(void *state)
{
    hash_state *s = state;
    if (!s)
        return;
    key_mac_free(s->mac);
    xf_keyed_free(&s->id);
    free(s);
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static deid_status parse_normalize(xf_context *ctx, const xf_param *p, unsigned *out)
{
    unsigned flags = 0;
    const char *s = p->value;
    for (;;) {
        size_t n = strcspn(s, ",");
        if (n == 4 && !strncmp(s, "none", 4) && s == p->value && !s[n])
            break;
        if (n == 6 && !strncmp(s, "digits", 6))
            flags |= NORM_DIGITS;
        else if (n == 5 && !strncmp(s, "lower", 5))
            flags |= NORM_LOWER;
        else
            return xf_param_fail(ctx, p,
                                 "normalize=%s is not one of digits, lower, digits,lower, none",
                                 p->value);
        if (!s[n])
            break;
        s += n + 1;
    }
    *out = flags;
    return DEID_OK;
}

static deid_status parse_length(xf_context *ctx, const encoding *enc, size_t *out)
{
    xf_param *p = xf_param_find(ctx, "length");
    if (!p) {
        *out = 26; /* within every encoding's range */
        return DEID_OK;
    }
    unsigned long long v;
    deid_status st = xf_param_uint(ctx, "length", 1, 0, ULLONG_MAX, 0, &v);
    if (st)
        return st;
    if (v < enc->min_len || v > enc->max_len)
        return xf_param_fail(ctx, p,
                             "length=%s is out of range for encode=%s (%zu to %zu characters: "
                             "at least 64 bits, at most the whole 256-bit MAC)",
                             p->value, enc->name, enc->min_len, enc->max_len);
    *out = (size_t)v;
    return DEID_OK;
}

static deid_status hash_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    deid_status key_st;
    const deid_key *key = xf_key_param(ctx, &key_st);
    if (!key)
        return key_st;

    const encoding *enc = &encodings[0];
    xf_param *pe = xf_param_find(ctx, "encode");
    if (pe) {
        enc = NULL;
        for (size_t i = 0; i < sizeof encodings / sizeof encodings[0]; i++)
            if (!strcmp(pe->value, encodings[i].name))
                enc = &encodings[i];
        if (!enc)
            return xf_param_fail(ctx, pe, "encode=%s is not one of base32, hex, base64url",
                                 pe->value);
    }
    size_t length = 0;
    deid_status st = parse_length(ctx, enc, &length);
    if (st)
        return st;

    unsigned normalize = 0;
    xf_param *pn = xf_param_find(ctx, "normalize");
    if (pn && (st = parse_normalize(ctx, pn, &normalize)))
        return st;

    xf_domain_arg d;
    if ((st = xf_domain_arg_get(ctx, "hash", &d)))
        return st;

    hash_state *s = calloc(1, sizeof *s);
    if (!s)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    s->enc = enc;
    s->length = length;
    s->normalize = normalize;
    if ((st = xf_keyed_init(ctx, &d, key, &s->id))) {
        hash_free(s);
        return st;
    }
    size_t dlen = s->id.domain_len;
    unsigned char prefix[4 + DEID_MAX_NAME_BYTES];
    put_be32(prefix, (uint32_t)dlen);
    memcpy(prefix + 4, s->id.domain, dlen);
    if (s->id.key_name)
        s->mac = key_mac_new(key, prefix, 4 + dlen);
    if (!s->id.key_name || !s->mac) {
        hash_free(s);
        return err_set(ctx->err, DEID_E_IO, "cannot prepare key \"%s\" (out of memory)",
                       key_name(key));
    }
    *state = s;
    return DEID_OK;
}

/* Conjoining jamo are U+1100..U+11FF, E1 84 80 .. E1 87 BF in UTF-8: text
 * without that sequence comes out of composition unchanged, so it skips
 * the copy. */
static int has_jamo(const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    while ((p = memchr(p, 0xE1, (size_t)(end - p))) != NULL) {
        if (end - p >= 2 && (unsigned char)p[1] >= 0x84 && (unsigned char)p[1] <= 0x87)
            return 1;
        p++;
    }
    return 0;
}

static int is_space_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Normalizes one value into dst (room for len bytes: every step only
 * shortens) and sets *dst_len. */
static xf_result normalize_value(unsigned flags, const char *v, size_t len, unsigned char *dst,
                                 size_t *dst_len, const char **why)
{
    dbuf tmp;
    dbuf_init(&tmp, len); /* composing never lengthens text */
    const unsigned char *s = (const unsigned char *)v;
    if (has_jamo(v, len)) {
        int rc = utf8_compose_hangul(v, len, &tmp);
        if (rc == 1) {
            dbuf_free(&tmp);
            *why = "is not valid UTF-8";
            return XF_BAD_VALUE;
        }
        if (rc) {
            dbuf_free(&tmp);
            return XF_NOMEM;
        }
        s = (const unsigned char *)tmp.data;
        len = tmp.len;
    } else if (utf8_count(v, len) == SIZE_MAX) {
        *why = "is not valid UTF-8";
        return XF_BAD_VALUE;
    }

    size_t a = 0, b = len;
    for (;;) {
        if (a < b && is_space_byte(s[a]))
            a++;
        else if (b - a >= 3 && s[a] == 0xE3 && s[a + 1] == 0x80 && s[a + 2] == 0x80)
            a += 3; /* U+3000 IDEOGRAPHIC SPACE */
        else
            break;
    }
    for (;;) {
        if (a < b && is_space_byte(s[b - 1]))
            b--;
        else if (b - a >= 3 && s[b - 3] == 0xE3 && s[b - 2] == 0x80 && s[b - 1] == 0x80)
            b -= 3;
        else
            break;
    }

    size_t n = 0;
    if (!flags) {
        memcpy(dst, s + a, b - a);
        n = b - a;
    } else {
        for (size_t i = a; i < b; i++) {
            unsigned char c = s[i];
            if ((flags & NORM_DIGITS) && (c < '0' || c > '9'))
                continue;
            if ((flags & NORM_LOWER) && c >= 'A' && c <= 'Z')
                c = (unsigned char)(c - 'A' + 'a');
            dst[n++] = c;
        }
    }
    dbuf_free(&tmp);
    *dst_len = n;
    return XF_OK;
}

static size_t hash_bytes_needed(const hash_state *s)
{
    size_t need = (s->length * s->enc->bits + 7) / 8;
    return need < 32 ? need : 32;
}

static xf_result hash_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                            const char **why)
{
    const hash_state *s = state;
    size_t need = 0;
    for (size_t i = 0; i < n_in; i++) {
        /* Values are bounded by DEID_MAX_RECORD_BYTES; a length prefix
         * holds at most 2^32 - 1. */
        if (in[i].len > UINT32_MAX || in[i].len > SIZE_MAX / 2 - 4 - need)
            return XF_NOMEM;
        need += 4 + in[i].len;
    }
    unsigned char stack_msg[HASH_STACK_MSG];
    unsigned char *msg = need <= sizeof stack_msg ? stack_msg : malloc(need);
    if (!msg)
        return XF_NOMEM;
    size_t m = 0, content = 0;
    xf_result r = XF_OK;
    for (size_t i = 0; i < n_in && r == XF_OK; i++) {
        size_t len = 0;
        r = normalize_value(s->normalize, in[i].data, in[i].len, msg + m + 4, &len, why);
        if (r == XF_OK) {
            put_be32(msg + m, (uint32_t)len);
            m += 4 + len;
            content += len;
        }
    }
    if (r == XF_OK && content == 0) {
        *why = "is empty after normalization";
        r = XF_BAD_VALUE;
    }
    if (r == XF_OK) {
        unsigned char mac[32];
        char text[65]; /* the longest encoding of 32 bytes (hex) plus NUL */
        const void *parts[1] = {msg};
        size_t lens[1] = {m};
        if (key_mac_compute(s->mac, parts, lens, 1, mac) != 0)
            r = XF_NOMEM;
        /* Only the bytes the first `length` characters are made of (those
         * characters do not depend on the bytes after them); the whole MAC
         * when the last character holds padding bits. */
        else if (s->enc->encode(mac, hash_bytes_needed(s), text) < s->length ||
                 dbuf_append(out, text, s->length) != DBUF_OK)
            r = XF_NOMEM;
    }
    if (msg != stack_msg)
        free(msg);
    return r;
}

static int hash_describe(const void *state, dbuf *out)
{
    const hash_state *s = state;
    const char *norm = s->normalize == (NORM_DIGITS | NORM_LOWER) ? "digits,lower"
                       : s->normalize == NORM_DIGITS              ? "digits"
                       : s->normalize == NORM_LOWER               ? "lower"
                                                                  : "none";
    int rc = xf_keyed_describe(&s->id, out);
    if (rc)
        return rc;
    return dbuf_printf(out, " normalize=%s encode=%s length=%zu", norm, s->enc->name, s->length);
}

const transform_ops xf_hash_ops = {
    .name = "hash",
    .technique = "가명처리/암호화 (keyed hash, HMAC-SHA-256)",
    .flags = XF_MULTI_INPUT | XF_PSEUDONYMIZES,
    .compile = hash_compile,
    .apply = hash_apply,
    .describe = hash_describe,
    .free = hash_free,
};
