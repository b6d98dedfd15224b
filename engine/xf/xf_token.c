/*
 * xf_token.c - `token vault=FILE [length=N] [alphabet=alnum|digits]`:
 * tokenization (ISO/IEC 20889 randomization; 가명처리). Every distinct
 * value gets a random token; the pairs live in a vault file, the mapping
 * table that PIPA calls additional information (추가정보), kept in its own
 * file apart from rules, output and report. The same value gets the same
 * token within a run and in every later run that uses the vault; two
 * values never share a token; whoever holds the vault can go back
 * (`deid reverse`), and without it a token says nothing about its value.
 *
 * Tokens: N characters (default 16, 8 to 64) from alnum = 0-9a-z or
 * digits = 0-9, each drawn from RAND_priv_bytes with rejection sampling:
 * a byte at or above the largest multiple of the alphabet's size below
 * 256 is thrown away, so every character is equally likely (plain modulo
 * would favour 0-3 of alnum by 8 to 7). A fresh token already in the
 * vault is thrown away and drawn again.
 *
 * Values: conjoining Hangul jamo are composed first (the Hangul part of
 * NFC, as `hash` does), so NFD and NFC spellings of one name get one
 * token; otherwise byte for byte, no trimming. reverse gives the composed
 * form. A value that is not valid UTF-8 is a bad value.
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
 *    temporary file beside it (deid_outfile: mode 0600, fsync, rename) and
 *    the folder is synced. A failed run, or one never finished, leaves the
 *    vault as it was; a run that made no new token does not write it.
 *  - Values and tokens are personal data: the maps' copies and every
 *    buffer that held vault text are wiped (OPENSSL_cleanse) when freed;
 *    messages name the vault and a line, never a value or a token. (The
 *    CSV reader's own buffers are not wiped, as for any input.)
 *  - apply, reverse, describe and commit take the vault's mutex, so one
 *    compiled rule set may serve several threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "csv_in.h"
#include "csv_out.h"
#include "deid_limits.h"
#include "err.h"
#include "lookup_file.h"
#include "strmap.h"
#include "transform.h"
#include "utf8.h"
#include "xf_token.h"

#define TOKEN_HEADER "# deid token vault v1"
#define TOKEN_MIN_LEN 8u
#define TOKEN_MAX_LEN 64u
#define TOKEN_DEFAULT_LEN 16u
/* Fresh tokens drawn for one value before giving up. The smallest token
 * space is 10^8 against at most DEID_MAX_VAULT_ENTRIES tokens taken, so a
 * draw collides with probability 0.2 at worst and 64 in a row never. */
#define TOKEN_TRIES 64
/* Bytes read, and vault text gathered before a write, at a time. */
#define VAULT_CHUNK 65536u

static const char alnum_chars[] = "0123456789abcdefghijklmnopqrstuvwxyz";
static const char digit_chars[] = "0123456789";

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

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static vault *registry;

typedef struct token_state {
    vault *v;
    char *file;            /* as written in the rules, for describe */
    size_t length;
    const char *alphabet;
    size_t alphabet_len;
    const char *alphabet_name;
} token_state;

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
        close(v->lock_fd); /* releases the flock */
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
static int record_bytes(const char *value, size_t value_len, size_t token_len, uint64_t *out)
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

/* Checks the opened vault file as keyring.c checks key files. */
static deid_status check_vault_file(int fd, const char *path, struct stat *sb, deid_error *e)
{
    if (fstat(fd, sb) != 0)
        return err_set(e, DEID_E_IO, "cannot stat token vault %s: %s", path, strerror(errno));
    if (S_ISDIR(sb->st_mode))
        return err_set(e, DEID_E_RULES, "token vault %s is a directory", path);
    if (!S_ISREG(sb->st_mode))
        return err_set(e, DEID_E_RULES, "token vault %s is not a regular file", path);
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
    int fd = open(v->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
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
    struct stat sb;
    deid_status st = check_vault_file(fd, v->path, &sb, e);
    vault_load ld = {v, 0};
    csv_in *in = st ? NULL : csv_in_new(',', on_vault_row, &ld);
    unsigned char *buf = st ? NULL : malloc(VAULT_CHUNK);
    if (!st && (!in || !buf))
        st = err_set(e, DEID_E_IO, "out of memory");
    uint64_t total = 0;
    while (!st) {
        ssize_t got = read(fd, buf, VAULT_CHUNK);
        if (got < 0 && errno == EINTR)
            continue;
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
    close(fd);
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

/* Opens (or shares) the vault at path: lock, then load. */
static deid_status vault_open(const char *path, vault **out, deid_error *e)
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
    int lfd = open(lock_path, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
    struct stat sb;
    if (lfd < 0) {
        st = err_set(e, DEID_E_IO, "cannot open the lock file %s of token vault %s: %s",
                     lock_path, path, strerror(errno));
        goto out;
    }
    if (fstat(lfd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
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
    if (flock(lfd, LOCK_EX | LOCK_NB) != 0) {
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
        close(lfd);
    pthread_mutex_unlock(&registry_mu);
    free(lock_path);
    *out = v;
    return st;
}

static void vault_release(vault *v)
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

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Best effort: makes the renamed directory entry durable too. */
static void sync_parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash == path ? strdup("/") : slash ? strndup(path, (size_t)(slash - path))
                                                    : strdup(".");
    if (!dir)
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

/* Writes every pair to a temporary file beside the vault and renames it
 * into place. Called with v->mu held. */
static deid_status vault_write(vault *v, deid_error *err)
{
    deid_outfile *of = NULL;
    deid_status st = deid_outfile_open(v->path, &of, err);
    if (st)
        return st;
    int fd = deid_outfile_fd(of);
    dbuf b;
    dbuf_init(&b, (size_t)DEID_MAX_VAULT_BYTES);
    int rc = dbuf_reserve(&b, 2 * VAULT_CHUNK);
    rc = rc ? rc : dbuf_append_str(&b, TOKEN_HEADER "\n");
    const char *fail = fchmod(fd, 0600) != 0 ? "set the mode of" : NULL;
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
            if (write_all(fd, b.data, b.len) != 0)
                fail = "write";
            dbuf_reset(&b);
        }
    }
    if (!rc && !fail && b.len && write_all(fd, b.data, b.len) != 0)
        fail = "write";
    int e = errno;
    dbuf_wipe(&b);
    if (rc || fail) {
        deid_outfile_abort(of);
        if (rc)
            return err_set(err, DEID_E_IO, "cannot save token vault %s: out of memory", v->path);
        return err_set(err, DEID_E_IO, "cannot %s the new token vault beside %s: %s", fail,
                       v->path, strerror(e));
    }
    st = deid_outfile_commit(of, err);
    if (!st)
        sync_parent_dir(v->path);
    return st;
}

/* ---- the transform ---------------------------------------------------- */

static void token_free(void *state)
{
    token_state *s = state;
    if (!s)
        return;
    vault_release(s->v);
    free(s->file);
    free(s);
}

static deid_status token_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    xf_param *pv = xf_param_find(ctx, "vault");
    if (!pv)
        return xf_param_fail(ctx, NULL,
                             "token needs vault=FILE (the file of value,token pairs, kept "
                             "apart from the output)");
    if (!pv->value[0])
        return xf_param_fail(ctx, pv, "vault= is empty");
    unsigned long long length;
    deid_status st = xf_param_uint(ctx, "length", 0, TOKEN_MIN_LEN, TOKEN_MAX_LEN,
                                   TOKEN_DEFAULT_LEN, &length);
    if (st)
        return st;
    const char *alphabet = alnum_chars, *alphabet_name = "alnum";
    xf_param *pa = xf_param_find(ctx, "alphabet");
    if (pa && !strcmp(pa->value, "digits")) {
        alphabet = digit_chars;
        alphabet_name = "digits";
    } else if (pa && strcmp(pa->value, "alnum") != 0) {
        return xf_param_fail(ctx, pa, "alphabet=%s is not alnum (0-9a-z) or digits (0-9)",
                             pa->value);
    }

    token_state *s = calloc(1, sizeof *s);
    char *path = xf_resolve_path(ctx, pv->value);
    if (s)
        s->file = strdup(pv->value);
    if (!s || !s->file || !path) {
        free(path);
        token_free(s);
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    }
    s->length = (size_t)length;
    s->alphabet = alphabet;
    s->alphabet_len = strlen(alphabet);
    s->alphabet_name = alphabet_name;
    deid_error e;
    err_clear(&e);
    st = vault_open(path, &s->v, &e);
    free(path);
    if (st) {
        token_free(s);
        return lookup_file_fail(ctx, pv, &e);
    }
    *state = s;
    return DEID_OK;
}

/* Fills tok[0..len) with characters drawn uniformly from the alphabet.
 * Returns 0, or -1 when the random generator fails. */
static int draw_token(const token_state *s, char *tok)
{
    unsigned n = (unsigned)s->alphabet_len;
    unsigned limit = 256u - 256u % n; /* bytes below limit map evenly */
    unsigned char buf[TOKEN_MAX_LEN + 16];
    size_t got = 0;
    int rc = 0;
    while (got < s->length) {
        /* a few bytes more than needed, as some are thrown away */
        size_t want = s->length - got + 8;
        if (RAND_priv_bytes(buf, (int)want) != 1) {
            rc = -1;
            break;
        }
        for (size_t i = 0; i < want && got < s->length; i++)
            if (buf[i] < limit)
                tok[got++] = s->alphabet[buf[i] % n];
    }
    OPENSSL_cleanse(buf, sizeof buf);
    return rc;
}

/* Makes a token for a value not in the vault and stores the pair. Called
 * with v->mu held. */
static xf_result new_token(const token_state *s, const char *value, size_t len, dbuf *out)
{
    vault *v = s->v;
    size_t count = strmap_count(v->by_value);
    if (v->broken || count >= DEID_MAX_VAULT_ENTRIES)
        return XF_NOMEM;
    char tok[TOKEN_MAX_LEN];
    int fresh = 0;
    for (int t = 0; t < TOKEN_TRIES && !fresh; t++) {
        if (draw_token(s, tok) != 0)
            return XF_NOMEM;
        fresh = !strmap_get(v->by_token, tok, s->length, NULL);
    }
    uint64_t rec;
    if (!fresh || record_bytes(value, len, s->length, &rec) != DBUF_OK ||
        v->bytes + rec > DEID_MAX_VAULT_BYTES) {
        OPENSSL_cleanse(tok, sizeof tok);
        return XF_NOMEM;
    }
    xf_result r = XF_OK;
    int rc = strmap_put(v->by_value, value, len, (uint32_t)count, NULL);
    if (rc != STRMAP_ADDED) {
        r = XF_NOMEM; /* the maps are unchanged */
    } else if (strmap_put(v->by_token, tok, s->length, (uint32_t)count, NULL) != STRMAP_ADDED) {
        /* pair count has a value without a token and strmap cannot take
         * it back: stop handing out tokens and never save this vault */
        v->broken = 1;
        r = XF_NOMEM;
    } else {
        v->bytes += rec;
        if (dbuf_append(out, tok, s->length) != DBUF_OK)
            r = XF_NOMEM;
    }
    OPENSSL_cleanse(tok, sizeof tok);
    return r;
}

static xf_result token_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                             const char **why)
{
    const token_state *s = state;
    (void)n_in; /* one input: no XF_MULTI_INPUT */
    const char *value = in[0].data;
    size_t len = in[0].len;
    if (len == 0) {
        *why = "is empty"; /* the engine keeps empty values empty */
        return XF_BAD_VALUE;
    }
    if (utf8_count(value, len) == SIZE_MAX) {
        *why = "is not valid UTF-8";
        return XF_BAD_VALUE;
    }
    dbuf composed;
    dbuf_init(&composed, (size_t)DEID_MAX_FIELD_BYTES * 2);
    /* Conjoining jamo (U+1100..U+11FF) all start with byte 0xE1: without
     * one, the value is its own composed form. */
    if (memchr(value, 0xE1, len)) {
        if (utf8_compose_hangul(value, len, &composed) != 0) {
            dbuf_wipe(&composed);
            return XF_NOMEM;
        }
        value = composed.data;
        len = composed.len;
    }
    vault *v = s->v;
    xf_result r = XF_OK;
    uint32_t pair;
    pthread_mutex_lock(&v->mu);
    if (strmap_get(v->by_value, value, len, &pair)) {
        const char *tok;
        size_t tok_len;
        if (strmap_entry(v->by_token, pair, &tok, &tok_len, NULL) != 0 ||
            dbuf_append(out, tok, tok_len) != DBUF_OK)
            r = XF_NOMEM;
    } else {
        r = new_token(s, value, len, out);
    }
    pthread_mutex_unlock(&v->mu);
    dbuf_wipe(&composed);
    return r;
}

static xf_result token_reverse(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                               const char **why)
{
    (void)n_in;
    const token_state *s = state;
    vault *v = s->v;
    xf_result r = XF_OK;
    uint32_t pair;
    pthread_mutex_lock(&v->mu);
    if (!strmap_get(v->by_token, in->data, in->len, &pair)) {
        *why = "is not a token of this vault";
        r = XF_BAD_VALUE;
    } else {
        const char *value;
        size_t len;
        if (strmap_entry(v->by_value, pair, &value, &len, NULL) != 0 ||
            dbuf_append(out, value, len) != DBUF_OK)
            r = XF_NOMEM;
    }
    pthread_mutex_unlock(&v->mu);
    return r;
}

static deid_status token_commit(const void *state, deid_error *err)
{
    const token_state *s = state;
    vault *v = s->v;
    deid_status st = DEID_OK;
    pthread_mutex_lock(&v->mu);
    if (v->broken)
        st = err_set(err, DEID_E_IO,
                     "token vault %s was not saved: a new token could not be stored", v->path);
    else if (strmap_count(v->by_value) != v->saved && !(st = vault_write(v, err)))
        v->saved = strmap_count(v->by_value);
    pthread_mutex_unlock(&v->mu);
    return st;
}

static int token_describe(const void *state, dbuf *out)
{
    const token_state *s = state;
    pthread_mutex_lock(&s->v->mu);
    size_t n = strmap_count(s->v->by_value);
    pthread_mutex_unlock(&s->v->mu);
    return dbuf_printf(out, "vault=%s length=%zu alphabet=%s tokens=%zu", s->file, s->length,
                       s->alphabet_name, n);
}

const char *xf_token_vault_path(const void *state)
{
    const token_state *s = state;
    return s->v->path;
}

void xf_token_format(const void *state, const void **vault_id, size_t *length,
                     const char **alphabet)
{
    const token_state *s = state;
    *vault_id = s->v;
    *length = s->length;
    *alphabet = s->alphabet_name;
}

const transform_ops xf_token_ops = {
    .name = "token",
    .technique = "가명처리/토큰화 (tokenization, vault kept apart)",
    .flags = XF_PSEUDONYMIZES | XF_SIDE_FILE_IS_VAULT,
    .compile = token_compile,
    .apply = token_apply,
    .describe = token_describe,
    .free = token_free,
    .reverse = token_reverse,
    .commit = token_commit,
    .side_file = xf_token_vault_path,
};
