/* SPDX-License-Identifier: Apache-2.0 */
/*
 * token_vault.h - the token vault (token_vault.c) as the `token` transform
 * (xf_token.c) uses it: one vault per file per process, shared by every
 * token state naming that file, locked against other runs while open.
 */
#ifndef DEID_TOKEN_VAULT_H
#define DEID_TOKEN_VAULT_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "deid.h"
#include "strmap.h"

/* The longest token a vault holds (and `length=` allows). */
#define TOKEN_MAX_LEN 64u

/* One open vault, shared by every token state naming its file. */
typedef struct vault {
    struct vault *next;    /* the registry */
    unsigned refs;
    dev_t dev;             /* of the lock file */
    ino_t ino;
    int lock_fd;           /* holds the flock */
    char *path;            /* resolved */
    pthread_mutex_t mu;    /* guards everything below */
    strmap *by_value;      /* value -> pair number */
    strmap *by_token;      /* token -> pair number; pair i is entry i of both */
    size_t saved;          /* pairs in the file; later ones are new */
    uint64_t bytes;        /* size of the file as commit would write it */
    int broken;            /* an insert failed half-way: no more tokens, no save */
} vault;

/* Opens the vault file at path (resolved), or shares the one this process
 * has open already: takes the lock, removes a temporary vault that a
 * killed save left, loads the pairs. Returns DEID_OK with *out (release it
 * with token_vault_release), or an error whose message in e is complete
 * (DEID_E_RULES for a bad file, DEID_E_IO otherwise); *out is NULL then.
 * path is borrowed. */
deid_status token_vault_open(const char *path, vault **out, deid_error *e);

/* Drops one reference; the last one wipes the pairs and frees the lock. */
void token_vault_release(vault *v);

/* Writes every pair to the vault's temporary file (token_vault_temp_path)
 * and renames it into place. Called with v->mu held. Returns DEID_OK or
 * DEID_E_IO with a message naming the vault, never a value. */
deid_status token_vault_save(vault *v, deid_error *err);

/* Bytes the record value,token takes in the vault file, quoting included,
 * into *out. Returns a dbuf code (DBUF_OK). */
int token_vault_record_bytes(const char *value, size_t value_len, size_t token_len,
                             uint64_t *out);

/* The temporary file a save of the vault at path writes:
 * ".NAME.deid-vault-save" beside it, a fixed name so that a run holding
 * the lock can find one that a killed save left. Newly allocated, or NULL
 * when out of memory. */
char *token_vault_temp_path(const char *path);

#endif
