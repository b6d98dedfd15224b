/* SPDX-License-Identifier: Apache-2.0 */
/*
 * idindex.h - a hash index of uint32 ids whose keys live elsewhere: the
 * caller keeps each id's key (e.g. a row of a packed array) and answers
 * "does id's key equal the one sought?", so the index stores only 8 bytes
 * per slot (32 hash bits and the id) instead of a copy of every key. Used
 * where a table already holds its keys (the class table's packed QI ids).
 *
 * Open addressing with linear probing, at most 3/4 full; the hash is
 * SipHash-1-3 under a random key per index (idindex_hash), so keys chosen
 * by an attacker cannot be made to collide. Ids are never removed.
 */
#ifndef DEID_IDINDEX_H
#define DEID_IDINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "membudget.h"

typedef struct idindex idindex;

enum { IDINDEX_OK = 0, IDINDEX_ENOMEM = -1, IDINDEX_EBUDGET = -2 };

/* Whether id's key equals the key being looked up (ctx: the caller's). */
typedef int (*idindex_eq_fn)(const void *ctx, uint32_t id);

/* Returns an empty index charging budget (borrowed, may be NULL) for its
 * slot table, or NULL on ENOMEM, when the random key cannot be drawn or
 * the budget cannot take the first table. Free with idindex_free. */
idindex *idindex_new(mem_budget *budget);
/* Releases the index and credits its budget. NULL does nothing. */
void idindex_free(idindex *x);

/* Returns the 32-bit keyed hash of key[0..len) for this index. */
uint32_t idindex_hash(const idindex *x, const void *key, size_t len);

/* Looks up the key whose hash is h: returns 1 and sets *id (if not NULL)
 * when eq says an id with that hash has the key, else 0. */
int idindex_find(const idindex *x, uint32_t h, idindex_eq_fn eq, const void *ctx, uint32_t *id);

/* Makes room for one more id. Returns IDINDEX_OK, IDINDEX_ENOMEM or
 * IDINDEX_EBUDGET (then the index is unchanged). */
int idindex_reserve(idindex *x);

/* Adds id with hash h; the caller made sure the key is not there yet
 * (idindex_find) and that there is room (idindex_reserve). */
void idindex_add(idindex *x, uint32_t h, uint32_t id);

/* Ids held. */
size_t idindex_count(const idindex *x);

/* Bytes the index holds (what it charges its budget). */
size_t idindex_memory(const idindex *x);

#endif
