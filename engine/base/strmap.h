/* SPDX-License-Identifier: Apache-2.0 */
/*
 * strmap.h - a hash map from byte strings to uint32 values, for lookup
 * tables (hierarchy and map files) and, later, equivalence classes.
 *
 * Keys are (pointer, length) byte strings that may contain any byte,
 * NUL included. The map copies them into its own arena. The hash is keyed
 * per map with random bytes from OpenSSL's CSPRNG, so keys chosen by an
 * attacker cannot be made to collide (the redis dict idea). Entries are
 * never removed; they are numbered 0, 1, 2, ... in insertion order, which
 * also makes the map usable to intern strings (value = entry number).
 *
 * A map is not safe for concurrent writers; const lookups (strmap_get,
 * strmap_entry) may run in several threads once no one writes.
 */
#ifndef DEID_STRMAP_H
#define DEID_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "membudget.h"

typedef struct strmap strmap;

/* The largest max_entries strmap_new accepts (the slot table indexes with
 * 32 hash bits at a load of at most 3/4). */
#define STRMAP_MAX_ENTRIES (1u << 31)

/* Return codes of strmap_put: >= 0 is success. */
enum {
    STRMAP_ADDED = 0,    /* the key was new and now maps to value */
    STRMAP_EXISTS = 1,   /* the key was there; the map is unchanged */
    STRMAP_ENOMEM = -1,  /* out of memory; the map is unchanged */
    STRMAP_EFULL = -2,   /* the key is new but the map holds max_entries */
    STRMAP_ETOOBIG = -3, /* the key is longer than UINT32_MAX bytes */
    STRMAP_EBUDGET = -4  /* growing would pass the map's memory budget; unchanged */
};

/* Returns an empty map that will hold at most max_entries keys
 * (1..STRMAP_MAX_ENTRIES), or NULL when max_entries is out of that range,
 * memory runs out or the random seed cannot be drawn. Memory grows with
 * use; max_entries reserves nothing. Free with strmap_free. */
strmap *strmap_new(size_t max_entries);

/* Releases the map and its keys (and gives their bytes back to its budget).
 * NULL does nothing. */
void strmap_free(strmap *m);

/* Marks a new map's keys as personal data (a token vault's values and
 * tokens): its key blocks are then pages of their own, excluded from core
 * dumps, locked in memory where the lock limit allows, and wiped when
 * freed. Returns 0, or -1 when the map already holds keys. */
int strmap_set_sensitive(strmap *m);

/* Makes the map charge budget b (borrowed; NULL: none) for every byte it
 * holds from now on, starting with what it holds already (moved off its
 * former budget). Returns 0, or STRMAP_EBUDGET when b cannot take those
 * bytes (then nothing changed). */
int strmap_set_budget(strmap *m, mem_budget *b);

/* Bytes the map holds: itself, its slot table, entry array and key arena
 * blocks (what it charges its budget), malloc's own overhead excluded. */
size_t strmap_memory(const strmap *m);

/* Inserts key[0..len) -> value unless the key is already there (key may
 * be NULL when len is 0; it is borrowed and copied). Returns STRMAP_ADDED,
 * STRMAP_EXISTS (then *stored, if not NULL, gets the value already held;
 * after STRMAP_ADDED it gets value) or a negative STRMAP_E* code. */
int strmap_put(strmap *m, const void *key, size_t len, uint32_t value, uint32_t *stored);

/* Looks up key[0..len). Returns 1 and sets *value (if not NULL) when
 * found, 0 when not. */
int strmap_get(const strmap *m, const void *key, size_t len, uint32_t *value);

/* Number of keys held. */
size_t strmap_count(const strmap *m);

/* Entry number i (0 <= i < strmap_count, in insertion order): sets *key
 * (owned by the map, valid until strmap_free; not NUL-terminated), *len
 * and *value; any out-pointer may be NULL. Returns 0, or -1 when i is out
 * of range. */
int strmap_entry(const strmap *m, size_t i, const char **key, size_t *len, uint32_t *value);

#endif
