/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keyed_ref.h - the keyed draws of keyed_random.h recomputed from their
 * definition with OpenSSL's one-shot HMAC, for tests that check a keyed
 * transform's output against an independent computation.
 */
#ifndef DEID_TEST_KEYED_REF_H
#define DEID_TEST_KEYED_REF_H

#include <stddef.h>
#include <stdint.h>

/* block(b) of the header's definition, for the identity values
 * ids[0..n_ids) (NUL-terminated), or for position when ids is NULL. */
void keyed_ref_block(const unsigned char *key, size_t key_len, const char *purpose,
                     const char *domain, uint32_t b, const char *const *ids, size_t n_ids,
                     uint64_t position, unsigned char out[32]);
/* Word j (0..3) of a block, big-endian. */
uint64_t keyed_ref_word(const unsigned char block[32], int j);
/* The uniform in (0,1) that word w stands for. */
double keyed_ref_uniform(uint64_t w);

#endif
