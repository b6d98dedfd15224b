/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_fpe.c - `fpe key=K alphabet=digits|hex|alnum|ALNUM|'CHARS'
 * [domain=LABEL]`: format-preserving encryption with FF1 (NIST SP 800-38G
 * Rev. 1) over AES-256. The output has the input's length and shape; the
 * holder of the key gets the input back (reverse). FF3/FF3-1 are not
 * offered: NIST is withdrawing them.
 *
 * Exact definition, so that anyone holding the key can check a value with
 * another FF1 implementation:
 *  - AES key: HKDF-SHA-256 (RFC 5869) with the key file's bytes as input
 *    key material, no salt, info "deid fpe ff1 aes-256 v1", 32 bytes
 *    (keyring.c's key_cipher); one `deid keygen` key serves every
 *    transform without two uses sharing key material.
 *  - Alphabet: digits = 0-9 (radix 10), hex = 0-9a-f (16), alnum = 0-9a-z
 *    (36), ALNUM = 0-9A-Za-z (62), or a custom list of 2 to 95 distinct
 *    printable ASCII characters (space included) whose i-th character is
 *    numeral i. The four names win: a custom list cannot be spelled like
 *    one (write 'ehx', not 'hex', for those three characters).
 *  - Numeral string: the input's bytes that are in the alphabet, in order.
 *    Every other byte (dashes, spaces, letters of another case, UTF-8
 *    text) stays where it is, unencrypted: 900101-1234567 with digits
 *    encrypts the 13 digits and keeps the dash.
 *  - Tweak: the domain's bytes, the domain= text or by default the column
 *    name (for `add`, the new column), with conjoining Hangul jamo
 *    composed as `hash` does. Domains are at most DEID_MAX_NAME_BYTES
 *    (256) bytes, so the tweak is bounded without hashing it, and two
 *    domains always give two tweaks.
 *  - The numeral string must have radix^n >= 1,000,000 (SP 800-38G Rev. 1;
 *    e.g. at least 6 digits, 5 hex or 4 alnum characters) and at most
 *    FF1_MAX_LEN (4096) numerals; other values are bad values.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "deid_limits.h"
#include "err.h"
#include "ff1.h"
#include "keyring.h"
#include "transform.h"
#include "utf8.h"

#define FPE_KDF_LABEL "deid fpe ff1 aes-256 v1"
#define FPE_CIPHER "AES-256-ECB"
#define FPE_MIN_CHAR 0x20 /* printable ASCII, space included */
#define FPE_MAX_CHAR 0x7e
#define FPE_MAX_ALPHABET (FPE_MAX_CHAR - FPE_MIN_CHAR + 1)

typedef struct named_alphabet {
    const char *name;
    const char *chars;
} named_alphabet;

static const named_alphabet named[] = {
    {"digits", "0123456789"},
    {"hex", "0123456789abcdef"},
    {"alnum", "0123456789abcdefghijklmnopqrstuvwxyz"},
    {"ALNUM", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"},
};

typedef struct fpe_state {
    key_cipher *cipher;        /* AES-256-ECB under the derived key */
    xf_keyed id;               /* the domain is the tweak */
    const char *alphabet_name; /* NULL for a custom alphabet */
    char alphabet[FPE_MAX_ALPHABET + 1];
    unsigned radix;
    signed char numeral[256];  /* byte -> numeral, -1 outside the alphabet */
} fpe_state;

static void fpe_free(void *state)
{
    fpe_state *s = state;
    if (!s)
        return;
    key_cipher_free(s->cipher);
    xf_keyed_free(&s->id);
    free(s);
}

/* Fills s's alphabet from the alphabet= parameter. */
static deid_status parse_alphabet(xf_context *ctx, const xf_param *p, fpe_state *s)
{
    const char *chars = p->value;
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (!strcmp(p->value, named[i].name)) {
            s->alphabet_name = named[i].name;
            chars = named[i].chars;
        }
    size_t n = strlen(chars);
    if (n < 2)
        return xf_param_fail(ctx, p, "alphabet= needs at least 2 characters (or one of digits, "
                                     "hex, alnum, ALNUM)");
    if (n > FPE_MAX_ALPHABET)
        return xf_param_fail(ctx, p, "alphabet= has more than %d characters",
                             FPE_MAX_ALPHABET);
    memset(s->numeral, -1, sizeof s->numeral);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)chars[i];
        if (c < FPE_MIN_CHAR || c > FPE_MAX_CHAR)
            return xf_param_fail(ctx, p, "alphabet= may hold only printable ASCII characters");
        if (s->numeral[c] >= 0)
            return xf_param_fail(ctx, p,
                                 "alphabet=%s has the character '%c' twice (named alphabets are "
                                 "digits, hex, alnum and ALNUM; anything else is a list of "
                                 "distinct characters)",
                                 p->value, c);
        s->numeral[c] = (signed char)i;
    }
    memcpy(s->alphabet, chars, n + 1);
    s->radix = (unsigned)n;
    return DEID_OK;
}

static deid_status fpe_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    deid_status key_st;
    const deid_key *key = xf_key_param(ctx, &key_st);
    if (!key)
        return key_st;
    xf_param *pa = xf_param_find(ctx, "alphabet");
    if (!pa)
        return xf_param_fail(ctx, NULL, "fpe needs alphabet=digits, hex, alnum, ALNUM or a "
                                        "quoted list of characters");
    xf_domain_arg d;
    deid_status st = xf_domain_arg_get(ctx, "fpe", &d);
    if (st)
        return st;

    fpe_state *s = calloc(1, sizeof *s);
    if (!s)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    st = parse_alphabet(ctx, pa, s);
    if (!st)
        st = xf_keyed_init(ctx, &d, key, &s->id);
    if (st) {
        fpe_free(s);
        return st;
    }
    if (s->id.key_name)
        s->cipher = key_cipher_new(key, FPE_CIPHER, FPE_KDF_LABEL);
    if (!s->id.key_name || !s->cipher) {
        fpe_free(s);
        return err_set(ctx->err, DEID_E_IO,
                       "cannot prepare key \"%s\" for %s (out of memory, or OpenSSL lacks it)",
                       key_name(key), FPE_CIPHER);
    }
    *state = s;
    return DEID_OK;
}

/* Encrypts (decrypt 0) or decrypts the alphabet characters of in, keeping
 * every other byte, and appends the result (in's length) to out. */
_Static_assert(FF1_MAX_LEN == 4096, "the message in fpe_run names the limit");

static xf_result fpe_run(const fpe_state *s, const xf_value *in, dbuf *out, const char **why,
                         int decrypt)
{
    unsigned char num[FF1_MAX_LEN];
    size_t n = 0;
    for (size_t i = 0; i < in->len; i++) {
        int d = s->numeral[(unsigned char)in->data[i]];
        if (d < 0)
            continue;
        if (n == FF1_MAX_LEN) {
            OPENSSL_cleanse(num, n);
            *why = "has too many characters for format-preserving encryption (more than 4096)";
            return XF_BAD_VALUE;
        }
        num[n++] = (unsigned char)d;
    }
    xf_result r = XF_OK;
    EVP_CIPHER_CTX *ctx = NULL;
    if (!ff1_domain_ok(s->radix, n)) {
        *why = "has too few characters for format-preserving encryption (domain below "
               "1,000,000)";
        r = XF_BAD_VALUE;
    } else if (!(ctx = key_cipher_ctx(s->cipher, 1))) {
        r = XF_NOMEM;
    } else {
        const unsigned char *tweak = (const unsigned char *)s->id.domain;
        ff1_result fr = decrypt ? ff1_decrypt(ctx, s->radix, tweak, s->id.domain_len, num, n, num)
                                : ff1_encrypt(ctx, s->radix, tweak, s->id.domain_len, num, n, num);
        EVP_CIPHER_CTX_free(ctx);
        if (fr != FF1_OK)
            r = XF_NOMEM; /* the checks above leave only OpenSSL failing */
        else if (dbuf_reserve(out, in->len) != DBUF_OK)
            r = XF_NOMEM;
    }
    if (r == XF_OK) {
        char *o = out->data + out->len;
        memcpy(o, in->data, in->len);
        for (size_t i = 0, j = 0; i < in->len; i++)
            if (s->numeral[(unsigned char)o[i]] >= 0)
                o[i] = s->alphabet[num[j++]];
        out->len += in->len;
    }
    OPENSSL_cleanse(num, n);
    return r;
}

static xf_result fpe_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                           const char **why)
{
    (void)n_in; /* one input: the transform does not take XF_MULTI_INPUT */
    return fpe_run(state, in, out, why, 0);
}

static xf_result fpe_reverse(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                             const char **why)
{
    (void)n_in;
    return fpe_run(state, in, out, why, 1);
}

/* Appends text as one rules token: bare, '...' or "..." with escapes. */
static int put_token(dbuf *out, const char *text, int quote_anyway)
{
    int plain = !quote_anyway && !strpbrk(text, " \t\"'=,\\#");
    if (plain)
        return dbuf_append_str(out, text);
    if (!strchr(text, '\''))
        return dbuf_printf(out, "'%s'", text); /* single quotes take text as it is */
    int rc = dbuf_putc(out, '"');
    for (const char *c = text; !rc && *c; c++)
        rc = (*c == '"' || *c == '\\') ? dbuf_printf(out, "\\%c", *c) : dbuf_putc(out, *c);
    return rc ? rc : dbuf_putc(out, '"');
}

static int fpe_describe(const void *state, dbuf *out)
{
    const fpe_state *s = state;
    int rc = dbuf_printf(out, "key=%s fingerprint=%s alphabet=", s->id.key_name,
                         s->id.fingerprint);
    if (!rc)
        rc = s->alphabet_name ? dbuf_append_str(out, s->alphabet_name)
                              : put_token(out, s->alphabet, 1);
    if (!rc)
        rc = dbuf_append_str(out, " domain=");
    if (!rc)
        rc = put_token(out, s->id.domain, 0);
    return rc ? rc : dbuf_append_str(out, " cipher=FF1-AES-256");
}

const transform_ops xf_fpe_ops = {
    .name = "fpe",
    .technique = "가명처리/암호화 (형태보존암호화: FF1, NIST SP 800-38G)",
    .flags = XF_PSEUDONYMIZES | XF_REVERSE_UNVERIFIED,
    .compile = fpe_compile,
    .apply = fpe_apply,
    .describe = fpe_describe,
    .free = fpe_free,
    .reverse = fpe_reverse,
};
