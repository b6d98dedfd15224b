/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_encrypt.h - the AES-SIV (RFC 5297) sealing and opening steps of the
 * `encrypt` transform, exposed so that tests can run the RFC's vectors
 * through exactly the EVP calls the transform makes.
 */
#ifndef DEID_XF_ENCRYPT_H
#define DEID_XF_ENCRYPT_H

#include <stddef.h>

#include <openssl/types.h>

/* Bytes of the SIV (the authentication tag) in front of the ciphertext. */
#define XF_ENCRYPT_TAG_BYTES 16u

/* Encrypts pt[0..pt_len) with ctx, a fresh context keyed for encryption
 * with an AES-*-SIV cipher, taking ad[0..ad_len) as the one associated
 * data component, and writes SIV || ciphertext (XF_ENCRYPT_TAG_BYTES +
 * pt_len bytes) to out. pt_len must be 1..INT_MAX - XF_ENCRYPT_TAG_BYTES
 * (OpenSSL skips an empty plaintext) and ad_len at most INT_MAX. ctx is
 * used up; the caller still frees it. Returns 0, or -1 on a library
 * failure. */
int xf_encrypt_siv_seal(EVP_CIPHER_CTX *ctx, const void *ad, size_t ad_len, const void *pt,
                        size_t pt_len, unsigned char *out);

/* Checks and decrypts in[0..in_len) = SIV || ciphertext (in_len >
 * XF_ENCRYPT_TAG_BYTES, at most INT_MAX) with ctx, a fresh context keyed
 * for decryption, and ad as in xf_encrypt_siv_seal; writes the in_len -
 * XF_ENCRYPT_TAG_BYTES plaintext bytes to out. Returns 0, or -1 when the
 * SIV does not match (a changed value, another key or another domain) or
 * the library fails; out then holds nothing usable. ctx is used up. */
int xf_encrypt_siv_open(EVP_CIPHER_CTX *ctx, const void *ad, size_t ad_len,
                        const unsigned char *in, size_t in_len, unsigned char *out);

#endif
