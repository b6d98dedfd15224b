/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keyring.h - the only module that holds key bytes. Keys are read from
 * files with tight permissions, kept in memory that is wiped when freed,
 * and leave the module only as a fingerprint, inside an HMAC or inside a
 * keyed OpenSSL cipher context.
 */
#ifndef DEID_KEYRING_H
#define DEID_KEYRING_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/types.h> /* EVP_CIPHER_CTX */

#include "deid.h"

typedef struct keyring keyring;
typedef struct deid_key deid_key;

/* Returns a new empty keyring, or NULL on ENOMEM. */
keyring *keyring_new(void);
/* Wipes every key (OPENSSL_cleanse) and frees the ring. NULL is fine. */
void keyring_free(keyring *ring);

/* Reads the key file at path (a 32-byte key: 64 hex digits or 43/44
 * base64 digits, a UTF-8 BOM and one final newline allowed, or exactly 32
 * raw bytes) and adds it under name. Refuses a file readable by group or
 * others, a directory, a duplicate name, any other length, text that is
 * not one of those forms (a passphrase), and a key with fewer than 16
 * distinct byte values (all zero, a pattern). Errors are DEID_E_RULES (bad key) or DEID_E_IO; the caller adds
 * the rules location. */
deid_status keyring_load(keyring *ring, const char *name, const char *path, deid_error *err);

/* Adds len bytes (1..DEID_MAX_KEY_FILE_BYTES, copied) as a key under name,
 * with the same name checks as keyring_load but none of its checks of the
 * key itself (length, randomness): meant
 * for tests (the RFC 4231 vectors use 4- and 131-byte keys) and for
 * callers holding a key from elsewhere. Errors are DEID_E_RULES or
 * DEID_E_IO (out of memory). */
deid_status keyring_add_raw(keyring *ring, const char *name, const void *bytes, size_t len,
                            deid_error *err);

/* Returns the key named name, or NULL. Borrowed from the ring. */
const deid_key *keyring_find(const keyring *ring, const char *name);
size_t keyring_count(const keyring *ring);
const deid_key *keyring_at(const keyring *ring, size_t i);

const char *key_name(const deid_key *key);
/* First 8 bytes of HMAC-SHA-256(key, "deid key fingerprint") as 16 hex
 * characters plus NUL. */
const char *key_fingerprint(const deid_key *key);

/* A keyed HMAC-SHA-256 prepared once per (key, domain) and then computed
 * for many messages without allocating on the hot path. */
typedef struct key_mac key_mac;
/* Returns a MAC that starts with prefix already absorbed, or NULL. */
key_mac *key_mac_new(const deid_key *key, const void *prefix, size_t prefix_len);
/* Computes HMAC(key, prefix || parts...) into out (32 bytes). Returns 0, or
 * -1 on a library failure. Safe to call from several threads at once. */
int key_mac_compute(const key_mac *mac, const void *const *parts, const size_t *lens,
                    size_t n_parts, unsigned char out[32]);
void key_mac_free(key_mac *mac);

/* A cipher keyed with a key derived from a deid_key, prepared once and
 * then handed out as fresh contexts (`encrypt`: AES-256-SIV). The derived
 * key lives only inside OpenSSL's contexts, which wipe it when freed. */
typedef struct key_cipher key_cipher;
/* Fetches the OpenSSL cipher named cipher (e.g. "AES-256-SIV") from the
 * default provider, derives as many bytes as its key needs with
 * HKDF-SHA-256 (RFC 5869: IKM = the key's bytes, empty salt, info = label)
 * and keys an encryption and a decryption context with them. Returns the
 * prepared cipher (free with key_cipher_free), or NULL when the cipher is
 * not available, takes no key, or memory runs out. */
key_cipher *key_cipher_new(const deid_key *key, const char *cipher, const char *label);
/* Returns a new context keyed for encryption (enc 1) or decryption (enc 0),
 * in the state right after key setup; the caller owns it and frees it with
 * EVP_CIPHER_CTX_free. NULL on failure. Only reads kc, so several threads
 * may call it at once. */
EVP_CIPHER_CTX *key_cipher_ctx(const key_cipher *kc, int enc);
void key_cipher_free(key_cipher *kc);

/* Writes 32 CSPRNG bytes hex-encoded to a new file (mode 0600, O_EXCL). */
deid_status keyring_generate_file(const char *path, deid_error *err);

#endif
