/* SPDX-License-Identifier: Apache-2.0 */
/*
 * token_vault.c - the token vault of `token` (xf_token.c): the file of
 * value,token pairs, read at compile, held in memory, saved on commit.
 *
 * Vault file, version 1: the line "# deid token vault v1", then one CSV
 * record `value,token` per pair (',' delimiter, RFC 4180 quoting where
 * needed, LF), in the order the tokens were made. A missing file is an
 * empty vault, made by the first run that creates a token; so is a file
 * of 0 bytes.
 *
 * Custody, decided here:
 *  - The vault must be a regular file, not a symbolic link (it is replaced
 *    by rename, which would replace the link, not its target), with no
 *    permission bit for group or others; it is always written with 0600.
 *    The checks are made with fstat on the descriptor that is read (like
 *    keyring.c's for keys; those are static there, so they are repeated
 *    here with the vault's wording).
 *  - compile takes an exclusive flock() on FILE.lock (created 0600 beside
 *    the vault, never removed: removing a lock file races with the next
 *    run opening it) without waiting, and holds it until the state is
 *    freed, so two runs never hand out tokens from one vault at once. The
 *    vault itself cannot carry the lock: a run replaces it.
 *  - In one process a vault is opened once: rules naming one vault twice
 *    (two columns, or two rule sets alive at once) share it, found by the
 *    lock file's device and inode, so one value has one token in all.
 *  - New pairs stay in memory until the engine calls commit after a
 *    successful run (transform.h). The whole vault is then written to a
 *    temporary file beside it, ".NAME.deid-vault-save" (created new with
 *    mode 0600, announced to the program's temp-file hooks so that a signal
 *    removes it, fsync, rename) and the folder is synced. A failed run, or
 *    one never finished, leaves the vault as it was; a run that made no new
 *    token does not write it.
 *  - That temporary file holds every value,token pair. A save killed
 *    outright (SIGKILL, power loss) leaves it; its name is fixed so that
 *    the next run to take the vault's lock (no save can be under way then)
 *    removes it before loading the vault. A save meeting one (only if that
 *    removal failed) refuses to write.
 *  - Values and tokens are personal data: the maps' copies and every
 *    buffer that held vault text are wiped (OPENSSL_cleanse) when freed;
 *    messages name the vault and a line, never a value or a token. (The
 *    CSV reader's own buffers are not wiped, as for any input.)
 *  - apply, reverse, describe and commit take the vault's mutex, so one
 *    compiled rule set may serve several threads.
 */
#include "token_vault.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "csv_in.h"
#include "csv_out.h"
#include "deid_limits.h"
#include "err.h"
#include "fsys.h"
#include "lookup_file.h"

#define TOKEN_HEADER "# deid token vault v1"
/* Bytes read, and vault text gathered before a write, at a time. */
#define VAULT_CHUNK 65536u

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static vault *registry;


/* ---- the vault in memory ------------------------------------------------ */

/* strmap keeps its keys in its own arena and does not wipe it; the keys
 * are values and tokens, so they are overwritten here before the free.
 * The arena is malloc'd memory: writing through the borrowed pointers is
 * sound, only the map's interface calls them const. */
static void wipe_map(strmap *m)
{
    if (!m)
        return;
    size_t n = strmap_count(m);
    for (size_t i = 0; i < n; i++) {
        const char *key;
        size_t len;
        if (strmap_entry(m, i, &key, &len, NULL) == 0 && len)
            OPENSSL_cleanse((void *)(uintptr_t)key, len);
    }
    strmap_free(m);
}

static void vault_destroy(vault *v)
{
    if (!v)
        return;
    wipe_map(v->by_value);
    wipe_map(v->by_token);
    if (v->lock_fd >= 0)
        fsys_close(v->lock_fd); /* releases the flock */
    pthread_mutex_destroy(&v->mu);
    free(v->path);
    free(v);
}

static vault *vault_new(const char *path, int lock_fd, const struct stat *lock_sb)
{
    vault *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->lock_fd = -1;
    if (pthread_mutex_init(&v->mu, NULL) != 0) {
        free(v);
        return NULL;
    }
    v->path = strdup(path);
    v->by_value = strmap_new(DEID_MAX_VAULT_ENTRIES);
    v->by_token = strmap_new(DEID_MAX_VAULT_ENTRIES);
    if (!v->path || !v->by_value || !v->by_token) {
        vault_destroy(v);
        return NULL;
    }
    /* value -> token pairs are additional information (추가정보): keep them
     * out of core dumps and swap (strmap_set_sensitive) */
    strmap_set_sensitive(v->by_value);
    strmap_set_sensitive(v->by_token);
    v->lock_fd = lock_fd;
    v->dev = lock_sb->st_dev;
    v->ino = lock_sb->st_ino;
    v->refs = 1;
    return v;
}

static int valid_token(const char *t, size_t len)
{
    if (len == 0 || len > TOKEN_MAX_LEN)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'z')))
            return 0;
    return 1;
}

/* Bytes the record value,token takes in the file, quoting included. */
int token_vault_record_bytes(const char *value, size_t value_len, size_t token_len,
                             uint64_t *out)
{
    dbuf b;
    dbuf_init(&b, (size_t)DEID_MAX_VAULT_BYTES);
    int rc = csv_out_field(&b, ',', value, value_len);
    *out = (uint64_t)b.len + 1 + token_len + 1;
    dbuf_wipe(&b);
    return rc;
}

/* ---- reading the vault file --------------------------------------------- */

typedef struct vault_load {
    vault *v;
    int header_seen;
} vault_load;

static deid_status on_vault_row(void *vctx, const csv_field *f, size_t n, unsigned long line,
                                deid_error *err)
{
    vault_load *ld = vctx;
    vault *v = ld->v;
    if (!ld->header_seen) {
        if (n != 1 || f[0].len != sizeof TOKEN_HEADER - 1 ||
            memcmp(f[0].data, TOKEN_HEADER, f[0].len) != 0)
            return lookup_file_row_fail(err, line,
                                        "not a token vault: the first line must be \"" TOKEN_HEADER
                                        "\"");
        ld->header_seen = 1;
        return DEID_OK;
    }
    if (n != 2)
        return lookup_file_row_fail(err, line, "has %zu field%s; a vault row is: value,token", n,
                                    n == 1 ? "" : "s");
    if (f[0].len == 0)
        return lookup_file_row_fail(err, line, "the value (first field) is empty");
    if (!valid_token(f[1].data, f[1].len))
        return lookup_file_row_fail(err, line,
                                    "the token (second field) is not 1 to %u characters of "
                                    "0-9 and a-z",
                                    TOKEN_MAX_LEN);
    size_t count = strmap_count(v->by_value);
    if (count >= DEID_MAX_VAULT_ENTRIES)
        return lookup_file_row_fail(err, line, "more than %u pairs (DEID_MAX_VAULT_ENTRIES)",
                                    DEID_MAX_VAULT_ENTRIES);
    int rc = strmap_put(v->by_value, f[0].data, f[0].len, (uint32_t)count, NULL);
    if (rc == STRMAP_EXISTS)
        return lookup_file_row_fail(err, line, "its value is on an earlier line too");
    if (rc < 0)
        return lookup_file_row_nomem(err, line);
    rc = strmap_put(v->by_token, f[1].data, f[1].len, (uint32_t)count, NULL);
    if (rc == STRMAP_EXISTS)
        return lookup_file_row_fail(err, line,
                                    "its token is on an earlier line too (two values would "
                                    "share it)");
    if (rc < 0)
        return lookup_file_row_nomem(err, line);
    return DEID_OK;
}

/* Checks the vault file's mode and size (sb from fstat) as keyring.c
 * checks key files. */
static deid_status check_vault_file(const char *path, const struct stat *sb, deid_error *e)
{
    if (sb->st_mode & 077) {
        const char *what = (sb->st_mode & 044)   ? "readable"
                           : (sb->st_mode & 022) ? "writable"
                                                 : "accessible";
        return err_set(e, DEID_E_RULES, "token vault %s is %s by group or others; run: chmod 600 %s",
                       path, what, path);
    }
    if ((uint64_t)sb->st_size > DEID_MAX_VAULT_BYTES)
        return err_set(e, DEID_E_RULES, "token vault %s is larger than %u bytes (DEID_MAX_VAULT_BYTES)",
                       path, DEID_MAX_VAULT_BYTES);
    return DEID_OK;
}

/* Reads the vault file at v->path into v's maps; a missing file is an
 * empty vault. The messages in e are complete. */
static deid_status load_vault(vault *v, deid_error *e)
{
    struct stat sb;
    int fd = fsys_open_regular(v->path, O_NOFOLLOW, &sb);
    if (fd == FSYS_NOT_REGULAR)
        return S_ISDIR(sb.st_mode)
                   ? err_set(e, DEID_E_RULES, "token vault %s is a directory", v->path)
                   : err_set(e, DEID_E_RULES, "token vault %s is %s", v->path,
                             fsys_not_regular_reason(sb.st_mode));
    if (fd < 0) {
        if (errno == ENOENT)
            return DEID_OK;
        if (errno == ELOOP)
            return err_set(e, DEID_E_RULES,
                           "token vault %s is a symbolic link; name the file itself (a run "
                           "replaces the vault)",
                           v->path);
        return err_set(e, DEID_E_IO, "cannot open token vault %s: %s", v->path, strerror(errno));
    }
    deid_status st = check_vault_file(v->path, &sb, e);
    vault_load ld = {v, 0};
    csv_in *in = st ? NULL : csv_in_new(',', on_vault_row, &ld);
    unsigned char *buf = st ? NULL : malloc(VAULT_CHUNK);
    if (!st && (!in || !buf))
        st = err_set(e, DEID_E_IO, "out of memory");
    uint64_t total = 0;
    while (!st) {
        ssize_t got = fsys_read(fd, buf, VAULT_CHUNK);
        if (got < 0) {
            st = err_set(e, DEID_E_IO, "cannot read token vault %s: %s", v->path, strerror(errno));
            break;
        }
        if (got == 0) {
            st = csv_in_finish(in, e);
            break;
        }
        total += (uint64_t)got;
        if (total > DEID_MAX_VAULT_BYTES) {
            st = err_set(e, DEID_E_RULES, "token vault %s is larger than %u bytes (DEID_MAX_VAULT_BYTES)",
                         v->path, DEID_MAX_VAULT_BYTES);
            break;
        }
        st = csv_in_feed(in, buf, (size_t)got, e);
    }
    if (st && e && e->message[0] && e->line) {
        /* Reader and row errors say what and on which line; add the file. */
        char msg[sizeof e->message];
        if (snprintf(msg, sizeof msg, "token vault %s:%lu: %s", v->path, e->line, e->message) >= 0)
            memcpy(e->message, msg, sizeof msg);
        e->line = 0;
        if (st != DEID_E_IO)
            st = e->status = DEID_E_RULES;
    }
    if (buf) {
        OPENSSL_cleanse(buf, VAULT_CHUNK);
        free(buf);
    }
    csv_in_free(in);
    fsys_close(fd);
    if (!st && !ld.header_seen && total > 0 && strmap_count(v->by_value) == 0) {
        /* only blank lines: no header, no pairs */
        st = err_set(e, DEID_E_RULES, "token vault %s: not a token vault (no \"" TOKEN_HEADER
                     "\" line)", v->path);
    }
    if (!st) {
        v->saved = strmap_count(v->by_value);
        v->bytes = total;
    }
    return st;
}

/* ---- the registry: one vault per file per process ----------------------- */

char *token_vault_temp_path(const char *path)
{
    size_t dir_len = fsys_dir_prefix_len(path);
    size_t n = strlen(path) + sizeof "." + sizeof ".deid-vault-save";
    char *tmp = malloc(n);
    if (tmp)
        snprintf(tmp, n, "%.*s.%s.deid-vault-save", (int)dir_len, path, path + dir_len);
    return tmp;
}

/* Removes the temporary file of a save that was killed before it could
 * rename or remove it: it holds raw value,token pairs. Called with the
 * vault's lock held, so no save of this vault is under way. The vault
 * itself is untouched by such a save (the rename never happened). */
static deid_status remove_leftover_save(const char *path, deid_error *e)
{
    char *tmp = token_vault_temp_path(path);
    if (!tmp)
        return err_set(e, DEID_E_IO, "out of memory");
    deid_status st = DEID_OK;
    if (fsys_remove_leftover(tmp) != 0 && errno != ENOENT)
        st = err_set(e, DEID_E_IO,
                     "cannot remove %s, the unfinished save of token vault %s (it holds "
                     "value,token pairs): %s; remove it by hand",
                     tmp, path, strerror(errno));
    free(tmp);
    return st;
}

/* Opens (or shares) the vault at path: lock, then load. */
deid_status token_vault_open(const char *path, vault **out, deid_error *e)
{
    *out = NULL;
    size_t n = strlen(path) + sizeof ".lock";
    char *lock_path = malloc(n);
    if (!lock_path)
        return err_set(e, DEID_E_IO, "out of memory");
    snprintf(lock_path, n, "%s.lock", path);

    /* Held from open to registration, so that two threads compiling one
     * vault share it instead of one of them meeting the other's lock. */
    pthread_mutex_lock(&registry_mu);
    deid_status st = DEID_OK;
    vault *v = NULL;
    /* O_NONBLOCK: a FIFO planted as the lock file must not hang the run. */
    int lfd = fsys_open(lock_path, O_RDONLY | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK, 0600);
    struct stat sb;
    if (lfd < 0) {
        st = err_set(e, DEID_E_IO, "cannot open the lock file %s of token vault %s: %s",
                     lock_path, path, strerror(errno));
        goto out;
    }
    if (fsys_fstat(lfd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        st = err_set(e, DEID_E_IO, "the lock file %s of token vault %s is not a regular file",
                     lock_path, path);
        goto out;
    }
    for (v = registry; v; v = v->next)
        if (v->dev == sb.st_dev && v->ino == sb.st_ino)
            break;
    if (v) {
        /* flock belongs to the open file description the vault holds;
         * closing this other descriptor leaves it in place. */
        v->refs++;
        goto out;
    }
    if (fsys_try_lock(lfd) != 0) {
        if (errno == EWOULDBLOCK)
            st = err_set(e, DEID_E_IO,
                         "token vault %s is in use by another run (its lock file %s is held)",
                         path, lock_path);
        else
            st = err_set(e, DEID_E_IO, "cannot lock %s: %s", lock_path, strerror(errno));
        goto out;
    }
    v = vault_new(path, lfd, &sb);
    if (!v) {
        st = err_set(e, DEID_E_IO, "out of memory");
        goto out;
    }
    lfd = -1; /* the vault owns it now */
    st = remove_leftover_save(path, e);
    if (!st)
        st = load_vault(v, e);
    if (st) {
        vault_destroy(v);
        v = NULL;
        goto out;
    }
    v->next = registry;
    registry = v;
out:
    if (lfd >= 0)
        fsys_close(lfd);
    pthread_mutex_unlock(&registry_mu);
    free(lock_path);
    *out = v;
    return st;
}

void token_vault_release(vault *v)
{
    if (!v)
        return;
    pthread_mutex_lock(&registry_mu);
    int last = --v->refs == 0;
    if (last) {
        vault **p = &registry;
        while (*p && *p != v)
            p = &(*p)->next;
        if (*p)
            *p = v->next;
    }
    pthread_mutex_unlock(&registry_mu);
    if (last)
        vault_destroy(v);
}

/* ---- writing the vault file ---------------------------------------------- */

/* Writes every pair to a temporary file beside the vault and renames it
 * into place. Called with v->mu held. */
deid_status token_vault_save(vault *v, deid_error *err)
{
    char *tmp = token_vault_temp_path(v->path);
    if (!tmp)
        return err_set(err, DEID_E_IO, "cannot save token vault %s: out of memory", v->path);
    int fd = fsys_create_temp(tmp);
    if (fd < 0) {
        deid_status st = errno == EEXIST
                             ? err_set(err, DEID_E_IO,
                                       "cannot save token vault %s: %s, the file of an "
                                       "unfinished save, is in the way; remove it",
                                       v->path, tmp)
                             : err_set(err, DEID_E_IO,
                                       "cannot create a temporary file beside %s: %s",
                                       v->path, strerror(errno));
        free(tmp);
        return st;
    }
    dbuf b;
    dbuf_init(&b, (size_t)DEID_MAX_VAULT_BYTES);
    int rc = dbuf_reserve(&b, 2 * VAULT_CHUNK);
    rc = rc ? rc : dbuf_append_str(&b, TOKEN_HEADER "\n");
    const char *fail = fsys_fchmod(fd, 0600) != 0 ? "set the mode of" : NULL;
    size_t n = strmap_count(v->by_value);
    for (size_t i = 0; i < n && !rc && !fail; i++) {
        xf_value rec[2];
        if (strmap_entry(v->by_value, i, &rec[0].data, &rec[0].len, NULL) != 0 ||
            strmap_entry(v->by_token, i, &rec[1].data, &rec[1].len, NULL) != 0) {
            rc = DBUF_ENOMEM; /* the maps disagree: refuse rather than write half */
            break;
        }
        rc = csv_out_record(&b, ',', rec, 2);
        if (!rc && b.len >= VAULT_CHUNK) {
            if (fsys_write_all(fd, b.data, b.len) != 0)
                fail = "write";
            dbuf_reset(&b);
        }
    }
    if (!rc && !fail && b.len && fsys_write_all(fd, b.data, b.len) != 0)
        fail = "write";
    int e = errno;
    dbuf_wipe(&b);
    deid_status st = DEID_OK;
    if (rc || fail) {
        fsys_discard_temp(fd, tmp);
        st = rc ? err_set(err, DEID_E_IO, "cannot save token vault %s: out of memory", v->path)
                : err_set(err, DEID_E_IO, "cannot %s the new token vault beside %s: %s", fail,
                          v->path, strerror(e));
    } else if (fsys_commit_temp(fd, tmp, v->path, &fail) != 0) {
        st = err_set(err, DEID_E_IO, "cannot %s the new token vault beside %s: %s", fail,
                     v->path, strerror(errno));
    }
    free(tmp);
    return st;
}

