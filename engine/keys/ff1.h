/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ff1.h - the FF1 format-preserving cipher of NIST SP 800-38G (Rev. 1),
 * Algorithms 7 (encrypt) and 8 (decrypt), over a caller-supplied AES-ECB
 * context. Internal to the engine: used by xf_fpe.c and exposed here so
 * the unit tests can run NIST's published samples with raw AES keys. FF3
 * and FF3-1 are deliberately absent (being withdrawn by NIST).
 */
#ifndef DEID_FF1_H
#define DEID_FF1_H

#include <stddef.h>
#include <openssl/types.h> /* EVP_CIPHER_CTX */

#define FF1_MIN_RADIX 2u
#define FF1_MAX_RADIX 256u       /* numerals are bytes */
#define FF1_MIN_DOMAIN 1000000u  /* SP 800-38G Rev. 1: radix^minlen >= 10^6 */
#define FF1_MAX_LEN 4096u        /* numerals in one string; the cost grows with len^2 */
#define FF1_MAX_TWEAK 256u       /* tweak bytes (deid's domain names are at most 256) */

typedef enum ff1_result {
    FF1_OK = 0,
    FF1_E_DOMAIN = 1, /* radix^n below FF1_MIN_DOMAIN (also n < 2) */
    FF1_E_LENGTH = 2, /* n above FF1_MAX_LEN */
    FF1_E_ARG = 3,    /* radix out of range, a numeral >= radix, tweak too long */
    FF1_E_LIB = 4     /* OpenSSL failed (out of memory, wrong context) */
} ff1_result;

/* Returns 1 if numeral strings of n numerals in radix meet FF1's domain
 * requirement (n >= 2 and radix^n >= FF1_MIN_DOMAIN), else 0. */
int ff1_domain_ok(unsigned radix, size_t n);

/* Encrypts the numeral string x[0..n) (each x[i] < radix, most significant
 * first) under tweak[0..tweak_len) into y[0..n) (y may be x). ctx is an
 * AES encryption context in ECB mode keyed by the caller (AES-128, -192 or
 * -256; FF1 uses only the forward cipher, for decryption too); this
 * function turns its padding off and uses it as the CIPH_K of the spec.
 * The caller owns ctx; one ctx must not be shared by concurrent calls.
 * Returns FF1_OK or an ff1_result; on error y is unspecified. */
ff1_result ff1_encrypt(EVP_CIPHER_CTX *ctx, unsigned radix, const unsigned char *tweak,
                       size_t tweak_len, const unsigned char *x, size_t n, unsigned char *y);

/* The inverse of ff1_encrypt, with the same arguments and results. */
ff1_result ff1_decrypt(EVP_CIPHER_CTX *ctx, unsigned radix, const unsigned char *tweak,
                       size_t tweak_len, const unsigned char *x, size_t n, unsigned char *y);

#endif
