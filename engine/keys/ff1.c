/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ff1.c - FF1 (NIST SP 800-38G Rev. 1, section 5.1, Algorithms 7 and 8),
 * see ff1.h. The block cipher is the caller's AES-ECB context (CIPH_K);
 * PRF is its CBC-MAC with a zero IV, chained here block by block; the
 * big integers of NUM_radix / STR_radix and the modular additions are
 * OpenSSL BIGNUMs.
 *
 * Two shortcuts that give the spec's results exactly:
 *  - A and B are kept as numbers across the ten rounds: the spec's
 *    C = STR^m_radix(c) is fed back only through NUM_radix, and
 *    NUM_radix(STR^m_radix(c)) = c for c < radix^m, so the conversions to
 *    and from numerals happen once at each end.
 *  - CIPH_K(P) and the blocks of Q that hold only the tweak and its zero
 *    padding are the same in every round: their CBC-MAC state is computed
 *    once per call.
 * NUM_radix and STR_radix move as many numerals at a time as fit a
 * BN_ULONG (19 decimal digits on 64-bit machines).
 *
 * Nothing here is shared between calls: each call has its own BN_CTX and
 * stack buffers, and the caller's ctx, so calls on distinct contexts run
 * in parallel safely. Buffers that held numerals are wiped before return.
 */
#include <stdint.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ff1.h"

#define BLOCK 16u
/* b (bytes of NUM_radix(B)) for the longest half, at 8 bits a numeral. */
#define MAX_B ((FF1_MAX_LEN + 1u) / 2u)
/* Q = tweak || zero padding || [i]^1 || [NUM_radix(B)]^b */
#define MAX_Q (FF1_MAX_TWEAK + BLOCK + MAX_B)
#define MAX_D (4u * ((MAX_B + 3u) / 4u) + 4u)
#define MAX_S (((MAX_D + BLOCK - 1u) / BLOCK) * BLOCK)
#define ROUNDS 10u

/* radix^k as a word (k no more than the chunk size, so it fits). */
static BN_ULONG pow_word(unsigned radix, unsigned k)
{
    BN_ULONG p = 1;
    while (k--)
        p *= radix;
    return p;
}

/* The most numerals whose value always fits a BN_ULONG. */
static unsigned chunk_numerals(unsigned radix)
{
    BN_ULONG p = 1;
    unsigned k = 0;
    while (p <= (BN_ULONG)-1 / radix) {
        p *= radix;
        k++;
    }
    return k;
}

/* r = radix^m. Returns 1, or 0 on failure. */
static int pow_radix(BIGNUM *r, unsigned radix, size_t m, unsigned k)
{
    if (!BN_one(r))
        return 0;
    while (m > 0) {
        unsigned c = m < k ? (unsigned)m : k;
        if (!BN_mul_word(r, pow_word(radix, c)))
            return 0;
        m -= c;
    }
    return 1;
}

/* r = NUM_radix(x[0..m)) (Algorithm 1). Returns 1, or 0 on failure. */
static int num_radix(BIGNUM *r, const unsigned char *x, size_t m, unsigned radix, unsigned k)
{
    BN_zero(r);
    for (size_t i = 0; i < m;) {
        unsigned c = m - i < k ? (unsigned)(m - i) : k;
        BN_ULONG w = 0;
        for (unsigned j = 0; j < c; j++)
            w = w * radix + x[i + j];
        if (!BN_mul_word(r, pow_word(radix, c)) || !BN_add_word(r, w))
            return 0;
        i += c;
    }
    return 1;
}

/* out[0..m) = STR^m_radix(x) (Algorithm 3); x (< radix^m) is consumed.
 * Returns 1, or 0 on failure. */
static int str_radix(BIGNUM *x, size_t m, unsigned radix, unsigned k, unsigned char *out)
{
    size_t i = m;
    while (i > 0) {
        unsigned c = i < k ? (unsigned)i : k;
        BN_ULONG rem = BN_div_word(x, pow_word(radix, c));
        if (rem == (BN_ULONG)-1)
            return 0; /* never a remainder: the divisor is at most that */
        for (unsigned j = 0; j < c; j++) {
            out[--i] = (unsigned char)(rem % radix);
            rem /= radix;
        }
    }
    return BN_is_zero(x);
}

/* CIPH_K over whole blocks, ECB. in may equal out. */
static int ciph(EVP_CIPHER_CTX *ctx, unsigned char *out, const unsigned char *in, size_t len)
{
    int outl = 0;
    return EVP_EncryptUpdate(ctx, out, &outl, in, (int)len) == 1 && (size_t)outl == len;
}

/* Continues the CBC-MAC state y over blocks[0..len) (len a multiple of 16). */
static int cbc_mac(EVP_CIPHER_CTX *ctx, unsigned char y[BLOCK], const unsigned char *blocks,
                   size_t len)
{
    for (size_t j = 0; j < len; j += BLOCK) {
        for (unsigned i = 0; i < BLOCK; i++)
            y[i] ^= blocks[j + i];
        if (!ciph(ctx, y, y, BLOCK))
            return 0;
    }
    return 1;
}

static int ctx_is_aes_ecb(const EVP_CIPHER_CTX *ctx)
{
    const EVP_CIPHER *c = ctx ? EVP_CIPHER_CTX_get0_cipher(ctx) : NULL;
    return c && EVP_CIPHER_get_block_size(c) == (int)BLOCK &&
           EVP_CIPHER_get_mode(c) == EVP_CIPH_ECB_MODE && EVP_CIPHER_CTX_is_encrypting(ctx) == 1;
}

int ff1_domain_ok(unsigned radix, size_t n)
{
    if (radix < FF1_MIN_RADIX)
        return 0;
    uint64_t domain = 1;
    for (size_t i = 0; i < n && domain < FF1_MIN_DOMAIN; i++)
        domain *= radix; /* stops at 10^6 * 256 at most: no overflow */
    return n >= 2 && domain >= FF1_MIN_DOMAIN;
}

/* Algorithm 7 (decrypt 0) or 8 (decrypt 1). */
static ff1_result ff1_run(EVP_CIPHER_CTX *ctx, unsigned radix, const unsigned char *tweak,
                          size_t t, const unsigned char *x, size_t n, unsigned char *out,
                          int decrypt)
{
    if (radix < FF1_MIN_RADIX || radix > FF1_MAX_RADIX || t > FF1_MAX_TWEAK || (t && !tweak) ||
        (n && (!x || !out)))
        return FF1_E_ARG;
    if (n > FF1_MAX_LEN)
        return FF1_E_LENGTH;
    if (!ff1_domain_ok(radix, n))
        return FF1_E_DOMAIN;
    for (size_t i = 0; i < n; i++)
        if (x[i] >= radix)
            return FF1_E_ARG;
    if (!ctx_is_aes_ecb(ctx) || EVP_CIPHER_CTX_set_padding(ctx, 0) != 1)
        return FF1_E_ARG;

    const size_t u = n / 2, v = n - u;
    const unsigned k = chunk_numerals(radix);
    BN_CTX *bn = BN_CTX_new();
    if (!bn)
        return FF1_E_LIB;
    BN_CTX_start(bn);
    BIGNUM *a = BN_CTX_get(bn), *b = BN_CTX_get(bn), *c = BN_CTX_get(bn);
    BIGNUM *y = BN_CTX_get(bn), *mu = BN_CTX_get(bn), *mv = BN_CTX_get(bn);
    unsigned char q[MAX_Q], s[MAX_S], fixed[BLOCK], r[BLOCK];
    size_t q_used = 0, s_used = 0; /* what the wipe at the end must cover */
    ff1_result res = FF1_E_LIB;
    if (!mv || !pow_radix(mu, radix, u, k) || !BN_copy(mv, mu) ||
        (v > u && !BN_mul_word(mv, radix)) || !BN_copy(c, mv) || !BN_sub_word(c, 1) ||
        !num_radix(a, x, u, radix, k) || !num_radix(b, x + u, v, radix, k))
        goto done;

    /* b = ceil(ceil(v * log2(radix)) / 8): the bytes of radix^v - 1,
     * exact where a floating-point log2 could round the wrong way. */
    const size_t bb = (size_t)BN_num_bytes(c);
    const size_t d = 4 * ((bb + 3) / 4) + 4;
    const size_t pad = (BLOCK - (t + bb + 1) % BLOCK) % BLOCK;
    const size_t qlen = t + pad + 1 + bb;
    const size_t nfixed = (t + pad) / BLOCK * BLOCK; /* Q's bytes equal in all rounds */
    const size_t sblocks = (d + BLOCK - 1) / BLOCK;
    const unsigned char p[BLOCK] = {
        1, 2, 1, (unsigned char)(radix >> 16), (unsigned char)(radix >> 8), (unsigned char)radix,
        10, (unsigned char)(u % 256),
        (unsigned char)(n >> 24), (unsigned char)(n >> 16), (unsigned char)(n >> 8), (unsigned char)n,
        (unsigned char)(t >> 24), (unsigned char)(t >> 16), (unsigned char)(t >> 8), (unsigned char)t,
    };
    q_used = qlen;
    s_used = sblocks * BLOCK;
    if (t)
        memcpy(q, tweak, t);
    memset(q + t, 0, pad);
    /* Y_1 = CIPH_K(0^16 xor P), then the fixed blocks of Q */
    memcpy(fixed, p, BLOCK);
    if (!ciph(ctx, fixed, fixed, BLOCK) || !cbc_mac(ctx, fixed, q, nfixed))
        goto done;

    for (unsigned step = 0; step < ROUNDS; step++) {
        unsigned i = decrypt ? ROUNDS - 1 - step : step;
        q[t + pad] = (unsigned char)i;
        /* the number fed to the PRF: B when encrypting, A when decrypting */
        if (BN_bn2binpad(decrypt ? a : b, q + t + pad + 1, (int)bb) != (int)bb)
            goto done;
        memcpy(r, fixed, BLOCK);
        if (!cbc_mac(ctx, r, q + nfixed, qlen - nfixed))
            goto done;
        /* S = R || CIPH_K(R xor [1]^16) || ... , cut to d bytes */
        for (size_t j = 0; j < sblocks; j++) {
            unsigned char *blk = s + j * BLOCK;
            memcpy(blk, r, BLOCK);
            blk[12] ^= (unsigned char)(j >> 24);
            blk[13] ^= (unsigned char)(j >> 16);
            blk[14] ^= (unsigned char)(j >> 8);
            blk[15] ^= (unsigned char)j;
        }
        if (sblocks > 1 && !ciph(ctx, s + BLOCK, s + BLOCK, (sblocks - 1) * BLOCK))
            goto done;
        if (!BN_bin2bn(s, (int)d, y))
            goto done;
        const BIGNUM *mod = i % 2 == 0 ? mu : mv; /* radix^m, m = u or v */
        /* Encrypt: C = (NUM(A) + y) mod radix^m; A = B; B = C.
         * Decrypt: C = (NUM(B) - y) mod radix^m; B = A; A = C.
         * The halves swap roles; the three buffers rotate, none is freed. */
        BIGNUM **from = decrypt ? &b : &a, **to = decrypt ? &a : &b;
        if (!(decrypt ? BN_mod_sub(c, *from, y, mod, bn) : BN_mod_add(c, *from, y, mod, bn)))
            goto done;
        BIGNUM *tmp = *from;
        *from = *to;
        *to = c;
        c = tmp;
    }
    if (str_radix(a, u, radix, k, out) && str_radix(b, v, radix, k, out + u))
        res = FF1_OK;

done:
    OPENSSL_cleanse(q, q_used);
    OPENSSL_cleanse(s, s_used);
    OPENSSL_cleanse(fixed, sizeof fixed);
    OPENSSL_cleanse(r, sizeof r);
    if (mv) {
        BN_clear(a);
        BN_clear(b);
        BN_clear(c);
        BN_clear(y);
    }
    BN_CTX_end(bn);
    BN_CTX_free(bn);
    return res;
}

ff1_result ff1_encrypt(EVP_CIPHER_CTX *ctx, unsigned radix, const unsigned char *tweak,
                       size_t tweak_len, const unsigned char *x, size_t n, unsigned char *y)
{
    return ff1_run(ctx, radix, tweak, tweak_len, x, n, y, 0);
}

ff1_result ff1_decrypt(EVP_CIPHER_CTX *ctx, unsigned radix, const unsigned char *tweak,
                       size_t tweak_len, const unsigned char *x, size_t n, unsigned char *y)
{
    return ff1_run(ctx, radix, tweak, tweak_len, x, n, y, 1);
}
