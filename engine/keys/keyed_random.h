/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keyed_random.h - reproducible randomness derived from a named key: the
 * draws of a record are a function of (key, purpose, domain, the record's
 * identity) and of nothing else, so the same input, rules and key give the
 * same bytes for any thread count or chunk size, a different key gives
 * independent draws, and nobody without the key can predict or recompute
 * them.
 *
 * Exact definition (keyed_random.c computes exactly this):
 *
 *   block(b) = HMAC-SHA-256(key, "deid keyed random v1" || 0x00
 *                                || be32(len P) || P || be32(len D) || D
 *                                || be32(b) || I)
 *   I = 'v' || be32(len v1) || v1 || ... || be32(len vn) || vn   (by values)
 *   I = 'p' || be64(position)                                    (by position)
 *
 * P is the purpose (the transform keyword: "noise", "dateshift", ...), so
 * two techniques on one column and key never share draws; D is the domain
 * (the column name, or the by= column for a date shift shared by several
 * columns). The draws are the 64-bit big-endian words of block(0), then of
 * block(1), ... in order: draw j is word j mod 4 of block(j / 4). Most
 * uses take at most four words, so one HMAC per value.
 *
 * Derived distributions (each uses the next words of the stream):
 *  - uniform: ((w >> 11) + 0.5) / 2^53, in (0,1) strictly, 53 bits;
 *  - below(n): rejection of w < 2^64 mod n, then w mod n: no modulo bias;
 *  - laplace(b): u = uniform - 0.5; -b * sign(u) * ln(1 - 2|u|);
 *  - gaussian(s): Box-Muller, s * sqrt(-2 ln u1) * cos(2 pi u2) (the sine
 *    half is not used, so each value costs exactly two uniforms);
 *  - bernoulli(p): uniform < p.
 */
#ifndef DEID_KEYED_RANDOM_H
#define DEID_KEYED_RANDOM_H

#include <stddef.h>
#include <stdint.h>

#include "value.h"

typedef struct deid_key deid_key;
typedef struct keyed_random keyed_random;

/* Returns a generator for (key, purpose, domain) (purpose NUL-terminated,
 * domain domain_len bytes, both copied into the prepared MAC), or NULL when
 * out of memory or key is NULL. The caller owns it: keyed_random_free. A
 * const generator is only read, so any number of threads may draw from it
 * at once. */
keyed_random *keyed_random_new(const deid_key *key, const char *purpose, const void *domain,
                               size_t domain_len);
void keyed_random_free(keyed_random *kr);

/* One record's stream of draws. Lives on the caller's stack for one value;
 * holds no key bytes, but its buffer is draw material: keyed_draws_end
 * wipes it. */
typedef struct keyed_draws {
    const keyed_random *kr;
    const xf_value *ids;     /* borrowed: by values */
    size_t n_ids;
    uint64_t position;       /* by position (when ids is NULL) */
    uint32_t block;          /* index of the block in buf */
    unsigned used;           /* words of buf already drawn (4: empty) */
    unsigned char buf[32];
    int failed;              /* an HMAC failed: the draws are zero, do not use them */
} keyed_draws;

/* Starts the stream of the record identified by the values ids[0..n)
 * (the by= columns, bytes as given; ids stays borrowed until
 * keyed_draws_end). */
void keyed_draws_by_values(keyed_draws *d, const keyed_random *kr, const xf_value *ids, size_t n);
/* Starts the stream of the record at position (1-based within its input,
 * which is the same for every thread count and chunk size). */
void keyed_draws_by_position(keyed_draws *d, const keyed_random *kr, uint64_t position);
/* Wipes the stream's buffer. */
void keyed_draws_end(keyed_draws *d);

/* The next 64-bit word of the stream. */
uint64_t keyed_draw_u64(keyed_draws *d);
/* A uniform double in (0,1) from 53 bits: never 0, never 1. */
double keyed_draw_uniform(keyed_draws *d);
/* A uniform integer in [0, n), without modulo bias; 0 when n is 0. */
uint64_t keyed_draw_below(keyed_draws *d, uint64_t n);
/* Laplace noise with mean 0 and scale b (variance 2 b^2). */
double keyed_draw_laplace(keyed_draws *d, double b);
/* Gaussian noise with mean 0 and standard deviation s. */
double keyed_draw_gaussian(keyed_draws *d, double s);
/* 1 with probability p (p <= 0: never; p >= 1: always), else 0. */
int keyed_draw_bernoulli(keyed_draws *d, double p);

#endif
