/*
 * strmap.c - seeded hash map from byte strings to uint32 (see strmap.h).
 *
 * Layout, chosen for millions of short keys:
 *  - entries: one array of {key pointer, key length, value}, 16 bytes per
 *    key, in insertion order (that order is the entry number);
 *  - slots: an open-addressing table (linear probing, load <= 3/4) of
 *    {32 hash bits, entry number + 1}, 8 bytes per slot, so a probe that
 *    meets another key is rejected on the stored hash bits without
 *    touching that key's bytes;
 *  - keys: copied into an arena of large blocks that never move, so key
 *    pointers stay valid and there is no malloc per key.
 * The hash is SipHash-1-3 (Aumasson & Bernstein's PRF with one compression
 * and three finalization rounds, as Python and Rust's HashMap use) under a
 * 128-bit key drawn per map from RAND_bytes: without the key nobody can
 * predict which slots their keys land in.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "strmap.h"

typedef struct strmap_slot {
    uint32_t hash;  /* low 32 bits of the key's hash */
    uint32_t entry; /* entry number + 1; 0 = empty slot */
} strmap_slot;

typedef struct strmap_entry_rec {
    const char *key; /* in the arena */
    uint32_t len;
    uint32_t value;
} strmap_entry_rec;

typedef struct strmap_block {
    struct strmap_block *next;
    size_t used;
    size_t cap;
    char data[];
} strmap_block;

struct strmap {
    uint64_t k0, k1;          /* SipHash key */
    strmap_slot *slots;
    size_t mask;              /* slot count - 1 (slot count is a power of two) */
    strmap_entry_rec *entries;
    size_t n;
    size_t entries_cap;
    size_t max;
    strmap_block *blocks;     /* the first one is the one being filled */
    size_t next_block;        /* size of the next arena block */
};

enum {
    FIRST_SLOTS = 16,
    FIRST_ENTRIES = 16,
    FIRST_BLOCK = 4096,
    BIG_BLOCK = 1 << 20 /* blocks stop doubling here */
};

/* ---- SipHash-1-3 ---- */

#define ROTL64(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                   \
    do {                                                                                           \
        v0 += v1;                                                                                  \
        v1 = ROTL64(v1, 13);                                                                       \
        v1 ^= v0;                                                                                  \
        v0 = ROTL64(v0, 32);                                                                       \
        v2 += v3;                                                                                  \
        v3 = ROTL64(v3, 16);                                                                       \
        v3 ^= v2;                                                                                  \
        v0 += v3;                                                                                  \
        v3 = ROTL64(v3, 21);                                                                       \
        v3 ^= v0;                                                                                  \
        v2 += v1;                                                                                  \
        v1 = ROTL64(v1, 17);                                                                       \
        v1 ^= v2;                                                                                  \
        v2 = ROTL64(v2, 32);                                                                       \
    } while (0)

/* Little-endian load; compilers turn this into one load where they can. */
static inline uint64_t load_le64(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
           (uint64_t)p[7] << 56;
}

static uint64_t siphash13(uint64_t k0, uint64_t k1, const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t v0 = UINT64_C(0x736f6d6570736575) ^ k0;
    uint64_t v1 = UINT64_C(0x646f72616e646f6d) ^ k1;
    uint64_t v2 = UINT64_C(0x6c7967656e657261) ^ k0;
    uint64_t v3 = UINT64_C(0x7465646279746573) ^ k1;
    const unsigned char *end = p + (len & ~(size_t)7);
    for (; p != end; p += 8) {
        uint64_t m = load_le64(p);
        v3 ^= m;
        SIPROUND;
        v0 ^= m;
    }
    uint64_t b = (uint64_t)len << 56;
    switch (len & 7) {
    case 7: b |= (uint64_t)p[6] << 48; /* fall through */
    case 6: b |= (uint64_t)p[5] << 40; /* fall through */
    case 5: b |= (uint64_t)p[4] << 32; /* fall through */
    case 4: b |= (uint64_t)p[3] << 24; /* fall through */
    case 3: b |= (uint64_t)p[2] << 16; /* fall through */
    case 2: b |= (uint64_t)p[1] << 8;  /* fall through */
    case 1: b |= (uint64_t)p[0];       /* fall through */
    default: break;
    }
    v3 ^= b;
    SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

/* ---- map ---- */

strmap *strmap_new(size_t max_entries)
{
    if (max_entries == 0 || max_entries > STRMAP_MAX_ENTRIES)
        return NULL;
    strmap *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    unsigned char seed[16];
    if (RAND_bytes(seed, sizeof seed) != 1) {
        free(m);
        return NULL;
    }
    m->k0 = load_le64(seed);
    m->k1 = load_le64(seed + 8);
    OPENSSL_cleanse(seed, sizeof seed);
    m->slots = calloc(FIRST_SLOTS, sizeof *m->slots);
    if (!m->slots) {
        free(m);
        return NULL;
    }
    m->mask = FIRST_SLOTS - 1;
    m->max = max_entries;
    m->next_block = FIRST_BLOCK;
    return m;
}

void strmap_free(strmap *m)
{
    if (!m)
        return;
    strmap_block *b = m->blocks;
    while (b) {
        strmap_block *next = b->next;
        free(b);
        b = next;
    }
    free(m->entries);
    free(m->slots);
    free(m);
}

/* Returns the slot holding key, or else the empty slot where it would go. */
static size_t probe(const strmap *m, uint32_t h, const void *key, size_t len)
{
    size_t i = h & m->mask;
    for (;;) {
        const strmap_slot *s = &m->slots[i];
        if (s->entry == 0)
            return i;
        if (s->hash == h) {
            const strmap_entry_rec *e = &m->entries[s->entry - 1];
            if (e->len == len && (len == 0 || memcmp(e->key, key, len) == 0))
                return i;
        }
        i = (i + 1) & m->mask;
    }
}

/* Doubles the slot table and reinserts every entry from the stored hash
 * bits (the keys are not rehashed). */
static int grow_slots(strmap *m)
{
    size_t old_n = m->mask + 1;
    if (old_n > SIZE_MAX / 2 / sizeof(strmap_slot))
        return STRMAP_ENOMEM;
    size_t n = old_n * 2;
    strmap_slot *slots = calloc(n, sizeof *slots);
    if (!slots)
        return STRMAP_ENOMEM;
    for (size_t i = 0; i < old_n; i++) {
        strmap_slot s = m->slots[i];
        if (s.entry == 0)
            continue;
        size_t j = s.hash & (n - 1);
        while (slots[j].entry != 0)
            j = (j + 1) & (n - 1);
        slots[j] = s;
    }
    free(m->slots);
    m->slots = slots;
    m->mask = n - 1;
    return 0;
}

static int grow_entries(strmap *m)
{
    size_t cap = m->entries_cap ? m->entries_cap * 2 : FIRST_ENTRIES;
    if (cap > m->max)
        cap = m->max;
    if (cap > SIZE_MAX / sizeof(strmap_entry_rec))
        return STRMAP_ENOMEM;
    strmap_entry_rec *e = realloc(m->entries, cap * sizeof *e);
    if (!e)
        return STRMAP_ENOMEM;
    m->entries = e;
    m->entries_cap = cap;
    return 0;
}

/* Copies key into the arena; returns the copy or NULL on ENOMEM. */
static const char *arena_copy(strmap *m, const void *key, size_t len)
{
    static const char empty[1] = "";
    if (len == 0)
        return empty;
    strmap_block *b = m->blocks;
    if (!b || b->cap - b->used < len) {
        /* A key larger than a usual block gets a block of its own, linked
         * behind the current one so that the rest of that stays usable. */
        int own = len > m->next_block / 2;
        size_t cap = own ? len : m->next_block;
        if (cap > SIZE_MAX - sizeof(strmap_block))
            return NULL;
        strmap_block *nb = malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->used = 0;
        nb->cap = cap;
        if (own && b) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            m->blocks = nb;
            if (!own && m->next_block < BIG_BLOCK)
                m->next_block *= 2;
        }
        b = nb;
    }
    char *p = b->data + b->used;
    memcpy(p, key, len);
    b->used += len;
    return p;
}

int strmap_put(strmap *m, const void *key, size_t len, uint32_t value, uint32_t *stored)
{
    if (len > UINT32_MAX)
        return STRMAP_ETOOBIG;
    uint32_t h = (uint32_t)siphash13(m->k0, m->k1, key, len);
    size_t i = probe(m, h, key, len);
    if (m->slots[i].entry != 0) {
        if (stored)
            *stored = m->entries[m->slots[i].entry - 1].value;
        return STRMAP_EXISTS;
    }
    if (m->n >= m->max)
        return STRMAP_EFULL;
    size_t slots = m->mask + 1;
    if (m->n + 1 > slots - slots / 4) {
        if (grow_slots(m))
            return STRMAP_ENOMEM;
        i = probe(m, h, key, len);
    }
    if (m->n == m->entries_cap && grow_entries(m))
        return STRMAP_ENOMEM;
    const char *copy = arena_copy(m, key, len);
    if (!copy)
        return STRMAP_ENOMEM;
    m->entries[m->n] = (strmap_entry_rec){.key = copy, .len = (uint32_t)len, .value = value};
    m->slots[i].hash = h;
    m->slots[i].entry = (uint32_t)(m->n + 1);
    m->n++;
    if (stored)
        *stored = value;
    return STRMAP_ADDED;
}

int strmap_get(const strmap *m, const void *key, size_t len, uint32_t *value)
{
    if (len > UINT32_MAX)
        return 0;
    uint32_t h = (uint32_t)siphash13(m->k0, m->k1, key, len);
    size_t i = probe(m, h, key, len);
    if (m->slots[i].entry == 0)
        return 0;
    if (value)
        *value = m->entries[m->slots[i].entry - 1].value;
    return 1;
}

size_t strmap_count(const strmap *m)
{
    return m->n;
}

int strmap_entry(const strmap *m, size_t i, const char **key, size_t *len, uint32_t *value)
{
    if (i >= m->n)
        return -1;
    const strmap_entry_rec *e = &m->entries[i];
    if (key)
        *key = e->key;
    if (len)
        *len = e->len;
    if (value)
        *value = e->value;
    return 0;
}
