/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keyed_ref.c - see keyed_ref.h. Written from the definition in
 * keyed_random.h, byte by byte, sharing no code with keyed_random.c.
 */
#include <check.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "keyed_ref.h"

static size_t put_be32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (24 - 8 * i));
    return 4;
}

static size_t put_framed(unsigned char *p, const char *s)
{
    size_t n = strlen(s);
    put_be32(p, (uint32_t)n);
    memcpy(p + 4, s, n);
    return 4 + n;
}

void keyed_ref_block(const unsigned char *key, size_t key_len, const char *purpose,
                     const char *domain, uint32_t b, const char *const *ids, size_t n_ids,
                     uint64_t position, unsigned char out[32])
{
    unsigned char msg[2048];
    size_t total = 21 + 4 + strlen(purpose) + 4 + strlen(domain) + 4 + 1 + 8;
    for (size_t i = 0; ids && i < n_ids; i++)
        total += 4 + strlen(ids[i]);
    ck_assert_uint_le(total, sizeof msg);
    memcpy(msg, "deid keyed random v1", 21); /* with its NUL */
    size_t n = 21;
    n += put_framed(msg + n, purpose);
    n += put_framed(msg + n, domain);
    n += put_be32(msg + n, b);
    if (ids) {
        msg[n++] = 'v';
        for (size_t i = 0; i < n_ids; i++)
            n += put_framed(msg + n, ids[i]);
    } else {
        msg[n++] = 'p';
        for (int i = 0; i < 8; i++)
            msg[n++] = (unsigned char)(position >> (56 - 8 * i));
    }
    unsigned int len = 32;
    ck_assert_ptr_nonnull(HMAC(EVP_sha256(), key, (int)key_len, msg, n, out, &len));
}

uint64_t keyed_ref_word(const unsigned char block[32], int j)
{
    uint64_t w = 0;
    for (int i = 0; i < 8; i++)
        w = w << 8 | block[8 * j + i];
    return w;
}

double keyed_ref_uniform(uint64_t w)
{
    return ((double)(w >> 11) + 0.5) / 9007199254740992.0; /* 2^53 */
}
