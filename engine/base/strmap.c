/* SPDX-License-Identifier: Apache-2.0 */
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
 * The hash is SipHash-1-3 (siphash.h) under a 128-bit key drawn per map
 * from RAND_bytes: without the key nobody can predict which slots their
 * keys land in.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>


#include "membudget.h"
#include "siphash.h"
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
    mem_budget *budget;       /* charged for slots, entries and blocks; may be NULL */
    int sensitive;            /* blocks are pages kept out of core dumps and swap, wiped */
    size_t bytes;             /* what the map holds (see strmap_memory) */
};

enum {
    FIRST_SLOTS = 16,
    FIRST_ENTRIES = 16,
    FIRST_BLOCK = 4096,
    BIG_BLOCK = 1 << 20 /* blocks stop doubling here */
};

/* ---- arena blocks ---- */

/* A sensitive map's keys are personal data (a token vault's values): its
 * blocks are whole pages of their own, excluded from core dumps
 * (MADV_DONTDUMP, which matters with `deid --allow-core-dump`) and locked
 * out of swap where the memory-lock limit allows (best effort: a block
 * that cannot be locked is still used), and wiped before they go. Other
 * maps take blocks from the heap. */
static size_t block_bytes(size_t cap)
{
    return sizeof(strmap_block) + cap;
}

static size_t page_round(size_t n)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t p = page > 0 ? (size_t)page : 4096;
    return n > SIZE_MAX - (p - 1) ? 0 : (n + p - 1) / p * p;
}

static strmap_block *block_alloc(const strmap *m, size_t cap)
{
    if (!m->sensitive)
        return malloc(block_bytes(cap));
    size_t n = page_round(block_bytes(cap));
    if (!n)
        return NULL;
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    (void)madvise(p, n, MADV_DONTDUMP);
    (void)mlock(p, n);
    return p;
}

static void block_free(const strmap *m, strmap_block *b)
{
    if (!m->sensitive) {
        free(b);
        return;
    }
    size_t n = page_round(block_bytes(b->cap));
    explicit_bzero(b, n);
    (void)munlock(b, n);
    munmap(b, n);
}

/* ---- map ---- */

strmap *strmap_new(size_t max_entries)
{
    if (max_entries == 0 || max_entries > STRMAP_MAX_ENTRIES)
        return NULL;
    strmap *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    if (siphash_random_key(&m->k0, &m->k1)) {
        free(m);
        return NULL;
    }
    m->slots = calloc(FIRST_SLOTS, sizeof *m->slots);
    if (!m->slots) {
        free(m);
        return NULL;
    }
    m->mask = FIRST_SLOTS - 1;
    m->max = max_entries;
    m->bytes = sizeof *m + FIRST_SLOTS * sizeof *m->slots;
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
        block_free(m, b);
        b = next;
    }
    free(m->entries);
    free(m->slots);
    mem_budget_release(m->budget, m->bytes);
    free(m);
}

int strmap_set_sensitive(strmap *m)
{
    if (m->blocks)
        return -1;
    m->sensitive = 1;
    return 0;
}

int strmap_set_budget(strmap *m, mem_budget *b)
{
    if (mem_budget_charge(b, m->bytes))
        return STRMAP_EBUDGET;
    mem_budget_release(m->budget, m->bytes);
    m->budget = b;
    return 0;
}

size_t strmap_memory(const strmap *m)
{
    return m->bytes;
}

/* Charges the map's budget for bytes more. Returns 0 or STRMAP_EBUDGET. */
static int charge(strmap *m, size_t bytes)
{
    if (mem_budget_charge(m->budget, bytes))
        return STRMAP_EBUDGET;
    m->bytes += bytes;
    return 0;
}

static void release(strmap *m, size_t bytes)
{
    mem_budget_release(m->budget, bytes);
    m->bytes -= bytes;
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
    if (charge(m, n * sizeof(strmap_slot)))
        return STRMAP_EBUDGET;
    strmap_slot *slots = calloc(n, sizeof *slots);
    if (!slots) {
        release(m, n * sizeof(strmap_slot));
        return STRMAP_ENOMEM;
    }
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
    release(m, old_n * sizeof(strmap_slot));
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
    size_t more = (cap - m->entries_cap) * sizeof(strmap_entry_rec);
    if (charge(m, more))
        return STRMAP_EBUDGET;
    strmap_entry_rec *e = realloc(m->entries, cap * sizeof *e);
    if (!e) {
        release(m, more);
        return STRMAP_ENOMEM;
    }
    m->entries = e;
    m->entries_cap = cap;
    return 0;
}

/* Copies key into the arena; returns the copy, or NULL on ENOMEM or when
 * the budget refuses a block (then *rc says which). */
static const char *arena_copy(strmap *m, const void *key, size_t len, int *rc)
{
    static const char empty[1] = "";
    *rc = STRMAP_ENOMEM;
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
        if (charge(m, sizeof(strmap_block) + cap)) {
            *rc = STRMAP_EBUDGET;
            return NULL;
        }
        strmap_block *nb = block_alloc(m, cap);
        if (!nb) {
            release(m, sizeof(strmap_block) + cap);
            return NULL;
        }
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
    int rc;
    if (m->n + 1 > slots - slots / 4) {
        if ((rc = grow_slots(m)))
            return rc;
        i = probe(m, h, key, len);
    }
    if (m->n == m->entries_cap && (rc = grow_entries(m)))
        return rc;
    const char *copy = arena_copy(m, key, len, &rc);
    if (!copy)
        return rc;
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
