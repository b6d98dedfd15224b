/* SPDX-License-Identifier: Apache-2.0 */
/*
 * siphash.h - SipHash-1-3: Aumasson & Bernstein's keyed PRF with one
 * compression and three finalization rounds (as Python's and Rust's hash
 * maps use). Under a secret random key, attacker-chosen data cannot be
 * made to collide in a hash table.
 */
#ifndef DEID_SIPHASH_H
#define DEID_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

/* Returns the 64-bit SipHash-1-3 of data[0..len) under the key (k0, k1). */
uint64_t siphash13(uint64_t k0, uint64_t k1, const void *data, size_t len);

/* Draws a fresh secret key from the CSPRNG into *k0, *k1 (the seed is
 * wiped). Returns 0, or -1 when the CSPRNG fails (*k0, *k1 unchanged). */
int siphash_random_key(uint64_t *k0, uint64_t *k1);

/* Returns the 8 bytes at p as a little-endian integer. */
uint64_t siphash_load_le64(const unsigned char *p);

#endif
