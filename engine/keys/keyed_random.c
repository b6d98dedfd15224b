/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keyed_random.c - the keyed draws of keyed_random.h: a prepared HMAC
 * (key_mac, keyring.c) absorbs the purpose and domain once; each block of
 * a record's stream is one more HMAC over the block index and the record's
 * identity. The key bytes never leave keyring.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h> /* OPENSSL_cleanse */

#include "keyed_random.h"
#include "keyring.h"

#define KR_LABEL "deid keyed random v1"
#define WORDS_PER_BLOCK 4u

struct keyed_random {
    key_mac *mac; /* prefix: label, NUL, be32-framed purpose and domain */
};

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

keyed_random *keyed_random_new(const deid_key *key, const char *purpose, const void *domain,
                               size_t domain_len)
{
    if (!key || !purpose || domain_len > UINT32_MAX)
        return NULL;
    size_t plen = strlen(purpose);
    size_t n = sizeof KR_LABEL + 4 + plen + 4 + domain_len; /* sizeof counts the NUL */
    unsigned char *prefix = malloc(n);
    keyed_random *kr = calloc(1, sizeof *kr);
    if (!prefix || !kr) {
        free(prefix);
        free(kr);
        return NULL;
    }
    unsigned char *p = prefix;
    memcpy(p, KR_LABEL, sizeof KR_LABEL);
    p += sizeof KR_LABEL;
    put_be32(p, (uint32_t)plen);
    memcpy(p + 4, purpose, plen);
    p += 4 + plen;
    put_be32(p, (uint32_t)domain_len);
    if (domain_len)
        memcpy(p + 4, domain, domain_len);
    kr->mac = key_mac_new(key, prefix, n);
    free(prefix);
    if (!kr->mac) {
        free(kr);
        return NULL;
    }
    return kr;
}

void keyed_random_free(keyed_random *kr)
{
    if (!kr)
        return;
    key_mac_free(kr->mac);
    free(kr);
}

void keyed_draws_by_values(keyed_draws *d, const keyed_random *kr, const xf_value *ids, size_t n)
{
    memset(d, 0, sizeof *d);
    d->kr = kr;
    d->ids = ids;
    d->n_ids = n;
    d->used = WORDS_PER_BLOCK;
    d->block = UINT32_MAX; /* the first refill wraps to block 0 */
}

void keyed_draws_by_position(keyed_draws *d, const keyed_random *kr, uint64_t position)
{
    keyed_draws_by_values(d, kr, NULL, 0);
    d->position = position;
}

void keyed_draws_end(keyed_draws *d)
{
    OPENSSL_cleanse(d->buf, sizeof d->buf);
}

/* Identity parts per call: the block index, the tag, then for each value
 * its length and bytes. Values beyond this many are hashed in one call of
 * at most this many parts per refill; by= takes a handful of columns. */
#define MAX_PARTS 64u

static void refill(keyed_draws *d)
{
    d->block++;
    d->used = 0;
    unsigned char head[5], pos[8], lens[(MAX_PARTS - 2) / 2][4];
    const void *parts[MAX_PARTS];
    size_t plens[MAX_PARTS], np = 0;
    put_be32(head, d->block);
    head[4] = d->ids ? 'v' : 'p';
    parts[np] = head;
    plens[np++] = sizeof head;
    if (d->ids) {
        for (size_t i = 0; i < d->n_ids && np + 2 <= MAX_PARTS; i++) {
            put_be32(lens[i], (uint32_t)d->ids[i].len);
            parts[np] = lens[i];
            plens[np++] = 4;
            parts[np] = d->ids[i].data;
            plens[np++] = d->ids[i].len;
        }
    } else {
        for (int i = 0; i < 8; i++)
            pos[i] = (unsigned char)(d->position >> (56 - 8 * i));
        parts[np] = pos;
        plens[np++] = sizeof pos;
    }
    if (!d->kr || key_mac_compute(d->kr->mac, parts, plens, np, d->buf)) {
        memset(d->buf, 0, sizeof d->buf);
        d->failed = 1;
    }
}

uint64_t keyed_draw_u64(keyed_draws *d)
{
    if (d->used >= WORDS_PER_BLOCK)
        refill(d);
    const unsigned char *p = d->buf + 8 * d->used++;
    uint64_t w = 0;
    for (int i = 0; i < 8; i++)
        w = w << 8 | p[i];
    return w;
}

double keyed_draw_uniform(keyed_draws *d)
{
    return ((double)(keyed_draw_u64(d) >> 11) + 0.5) * 0x1p-53;
}

uint64_t keyed_draw_below(keyed_draws *d, uint64_t n)
{
    if (n == 0)
        return 0;
    /* 2^64 mod n: words below it are the partial last run of residues. */
    uint64_t threshold = (0 - n) % n;
    for (;;) {
        uint64_t w = keyed_draw_u64(d);
        if (w >= threshold || d->failed)
            return w % n;
    }
}

double keyed_draw_laplace(keyed_draws *d, double b)
{
    double u = keyed_draw_uniform(d) - 0.5;
    /* |u| < 0.5 always (uniform is never 0 or 1), so the log is finite */
    return u < 0 ? b * log(1.0 + 2.0 * u) : -b * log(1.0 - 2.0 * u);
}

double keyed_draw_gaussian(keyed_draws *d, double s)
{
    double u1 = keyed_draw_uniform(d), u2 = keyed_draw_uniform(d);
    return s * sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

int keyed_draw_bernoulli(keyed_draws *d, double p)
{
    return keyed_draw_uniform(d) < p;
}
