/* SPDX-License-Identifier: Apache-2.0 */
/*
 * idindex.c - hash index of ids with keys kept by the caller (see idindex.h).
 */
#include <stdlib.h>

#include "idindex.h"
#include "siphash.h"

typedef struct idindex_slot {
    uint32_t hash; /* the key's hash */
    uint32_t id1;  /* id + 1; 0 = empty slot */
} idindex_slot;

struct idindex {
    uint64_t k0, k1;
    idindex_slot *slots;
    size_t mask; /* slot count - 1, a power of two */
    size_t n;
    mem_budget *budget;
};

enum { FIRST_SLOTS = 64 };

idindex *idindex_new(mem_budget *budget)
{
    idindex *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    if (siphash_random_key(&x->k0, &x->k1)) {
        free(x);
        return NULL;
    }
    if (mem_budget_charge(budget, FIRST_SLOTS * sizeof *x->slots)) {
        free(x);
        return NULL;
    }
    x->budget = budget;
    x->mask = FIRST_SLOTS - 1;
    if (!(x->slots = calloc(FIRST_SLOTS, sizeof *x->slots))) {
        idindex_free(x);
        return NULL;
    }
    return x;
}

void idindex_free(idindex *x)
{
    if (!x)
        return;
    mem_budget_release(x->budget, idindex_memory(x) - sizeof *x);
    free(x->slots);
    free(x);
}

uint32_t idindex_hash(const idindex *x, const void *key, size_t len)
{
    return (uint32_t)siphash13(x->k0, x->k1, key, len);
}

int idindex_find(const idindex *x, uint32_t h, idindex_eq_fn eq, const void *ctx, uint32_t *id)
{
    for (size_t i = h & x->mask;; i = (i + 1) & x->mask) {
        const idindex_slot *s = &x->slots[i];
        if (s->id1 == 0)
            return 0;
        if (s->hash == h && eq(ctx, s->id1 - 1)) {
            if (id)
                *id = s->id1 - 1;
            return 1;
        }
    }
}

/* Places a slot in a table known to have room and not to hold its id. */
static void place(idindex_slot *slots, size_t mask, idindex_slot s)
{
    size_t i = s.hash & mask;
    while (slots[i].id1 != 0)
        i = (i + 1) & mask;
    slots[i] = s;
}

int idindex_reserve(idindex *x)
{
    size_t n_slots = x->mask + 1;
    if (x->n + 1 <= n_slots - n_slots / 4)
        return IDINDEX_OK;
    if (n_slots > SIZE_MAX / 2 / sizeof(idindex_slot) || x->n >= UINT32_MAX - 1)
        return IDINDEX_ENOMEM;
    size_t grown = 2 * n_slots;
    if (mem_budget_charge(x->budget, grown * sizeof(idindex_slot)))
        return IDINDEX_EBUDGET;
    idindex_slot *slots = calloc(grown, sizeof *slots);
    if (!slots) {
        mem_budget_release(x->budget, grown * sizeof(idindex_slot));
        return IDINDEX_ENOMEM;
    }
    /* Rehashed from the stored hash bits: the keys are not touched. */
    for (size_t i = 0; i < n_slots; i++)
        if (x->slots[i].id1 != 0)
            place(slots, grown - 1, x->slots[i]);
    free(x->slots);
    mem_budget_release(x->budget, n_slots * sizeof(idindex_slot));
    x->slots = slots;
    x->mask = grown - 1;
    return IDINDEX_OK;
}

void idindex_add(idindex *x, uint32_t h, uint32_t id)
{
    place(x->slots, x->mask, (idindex_slot){h, id + 1});
    x->n++;
}

size_t idindex_count(const idindex *x)
{
    return x->n;
}

size_t idindex_memory(const idindex *x)
{
    return sizeof *x + (x->mask + 1) * sizeof(idindex_slot);
}
