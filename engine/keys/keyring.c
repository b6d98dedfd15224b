/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keyring.c - key files, key fingerprints, the prepared HMAC-SHA-256 used
 * by `hash`, and `deid keygen` (see keyring.h). This is the only file that
 * sees key bytes: they live in OpenSSL's secure heap when one is set up
 * (plain heap otherwise, or when it is full; see secret_alloc) and are
 * wiped with OPENSSL_cleanse before they are freed, as is every buffer
 * that held them (file contents, hex text, padded HMAC keys).
 *
 * Key files (decided here; the README's "Keys" section should match):
 *  - The file is opened following symbolic links (keys are often linked
 *    in from a secrets mount) and every check is made with fstat on the
 *    opened descriptor, so the file checked is the file read. It must be
 *    a regular file, at most DEID_MAX_KEY_FILE_BYTES long, and have no
 *    permission bit for group or others (mode & 077 == 0). Owner is not
 *    checked: root or a service account may legitimately read a key it
 *    does not own.
 *  - A key is 32 bytes (issue 12, finding 5: shorter or longer forms were
 *    how a passphrase or a truncated hex key got in), written as:
 *  - Hex text: after removing a UTF-8 BOM and one trailing "\n" or "\r\n",
 *    exactly 64 hex digits (either case). `deid keygen` writes 64
 *    lowercase digits and "\n". Fewer or more digits are refused with
 *    their count, never taken as raw bytes.
 *  - Base64 text (standard or URL-safe alphabet, same stripping): 43
 *    digits, or 44 ending in one "=".
 *  - Raw bytes: exactly 32, used as they are, with nothing stripped. Any
 *    other file that reads as text (valid UTF-8 without control
 *    characters: a passphrase in any script, a typo'd hex key) is refused
 *    rather than taken as a raw key.
 *  - Whatever the form, 32 bytes with fewer than KEY_MIN_DISTINCT distinct
 *    values (all zero, a pattern) are refused as not random.
 *  - keyring_add_raw (for tests and callers holding key bytes already)
 *    applies none of this; see keyring.h.
 *
 * key_mac: HMAC (RFC 2104) prepared once per key and prefix. The inner
 * hash state after (key XOR ipad) || prefix and the outer state after
 * (key XOR opad) are kept; each call copies them by value and finishes.
 * That needs SHA256_CTX, whose functions OpenSSL 3 deprecates but still
 * ships; the EVP equivalents allocate on every context copy, which is
 * about ten times slower per value. A const key_mac is only read, so any
 * number of threads may use one at once.
 *
 * key_cipher: a cipher keyed with HKDF-SHA-256(key bytes, info = a label
 * naming the use), so that one `deid keygen` key serves every transform
 * without two uses ever sharing key material. The derived bytes exist
 * only on the stack while two template contexts are keyed, then are
 * wiped; each use gets a copy of a template (EVP_CIPHER_CTX_copy only
 * reads its source, so const templates serve any number of threads, and a
 * copy skips the algorithm fetches and key schedule of a fresh init).
 */
#define OPENSSL_SUPPRESS_DEPRECATED /* SHA256_CTX, see above */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "deid_limits.h"
#include "encode.h"
#include "err.h"
#include "fsys.h"
#include "keyring.h"
#include "utf8.h"

#define KEY_BYTES 32u
/* 32 random bytes take about 30 distinct values; fewer than 16 happens
 * with a chance below 1e-20, so a key with fewer was not drawn at random
 * (all zero, a repeated pattern, a counter). */
#define KEY_MIN_DISTINCT 16u
#define HMAC_BLOCK 64u

struct deid_key {
    char *name;
    unsigned char *bytes; /* secure heap; wiped when freed */
    size_t len;
    char fingerprint[17];
};

struct keyring {
    deid_key *keys[DEID_MAX_KEYS];
    size_t n;
};

struct key_mac {
    SHA256_CTX inner; /* after (key XOR ipad) || prefix */
    SHA256_CTX outer; /* after (key XOR opad) */
};

/* Zeroed memory for key material: from OpenSSL's secure heap when the
 * program set one up (CRYPTO_secure_malloc_init: locked pages left out of
 * core dumps; the CLI does, in cli_process.c), else, or when it is full,
 * from the plain heap. Either kind is freed with OPENSSL_secure_clear_free,
 * which wipes it and tells the two apart. NULL when out of memory. */
static void *secret_alloc(size_t n)
{
    if (CRYPTO_secure_malloc_initialized()) {
        /* a full secure heap leaves an error on OpenSSL's queue; drop it */
        ERR_set_mark();
        void *p = OPENSSL_secure_zalloc(n);
        if (p) {
            ERR_clear_last_mark();
            return p;
        }
        ERR_pop_to_mark();
    }
    return OPENSSL_zalloc(n);
}

keyring *keyring_new(void)
{
    return calloc(1, sizeof(keyring));
}

static void key_free(deid_key *k)
{
    if (!k)
        return;
    if (k->bytes)
        OPENSSL_secure_clear_free(k->bytes, k->len);
    free(k->name);
    free(k);
}

void keyring_free(keyring *ring)
{
    if (!ring)
        return;
    for (size_t i = 0; i < ring->n; i++)
        key_free(ring->keys[i]);
    free(ring);
}

const deid_key *keyring_find(const keyring *ring, const char *name)
{
    if (!ring || !name)
        return NULL;
    for (size_t i = 0; i < ring->n; i++)
        if (strcmp(ring->keys[i]->name, name) == 0)
            return ring->keys[i];
    return NULL;
}

size_t keyring_count(const keyring *ring)
{
    return ring ? ring->n : 0;
}

const deid_key *keyring_at(const keyring *ring, size_t i)
{
    return ring && i < ring->n ? ring->keys[i] : NULL;
}

const char *key_name(const deid_key *key)
{
    return key->name;
}

const char *key_fingerprint(const deid_key *key)
{
    return key->fingerprint;
}

/* Checks that name can be added to ring before any file is read. */
static deid_status check_name(const keyring *ring, const char *name, deid_error *err)
{
    if (!name || !name[0])
        return err_set(err, DEID_E_RULES, "key name is empty");
    if (strlen(name) > DEID_MAX_NAME_BYTES)
        return err_set(err, DEID_E_RULES, "key name is longer than %u bytes",
                       DEID_MAX_NAME_BYTES);
    if (keyring_find(ring, name))
        return err_set(err, DEID_E_RULES, "key \"%s\" is declared twice", name);
    if (ring->n >= DEID_MAX_KEYS)
        return err_set(err, DEID_E_RULES, "more than %u keys", DEID_MAX_KEYS);
    return DEID_OK;
}

/* Adds a key taking ownership of bytes (secure heap, len bytes), which are
 * wiped and freed on failure too. */
static deid_status add_key(keyring *ring, const char *name, unsigned char *bytes, size_t len,
                           deid_error *err)
{
    static const char label[] = "deid key fingerprint";
    deid_key *k = calloc(1, sizeof *k);
    if (!k) {
        OPENSSL_secure_clear_free(bytes, len);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    k->bytes = bytes;
    k->len = len;
    k->name = strdup(name);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (!k->name) {
        key_free(k);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    if (!HMAC(EVP_sha256(), bytes, (int)len, (const unsigned char *)label, sizeof label - 1, md,
              &md_len) ||
        md_len != 32) {
        key_free(k);
        return err_set(err, DEID_E_IO, "cannot compute the fingerprint of key \"%s\"", name);
    }
    encode_hex(md, 8, k->fingerprint);
    ring->keys[ring->n++] = k;
    return DEID_OK;
}

deid_status keyring_add_raw(keyring *ring, const char *name, const void *bytes, size_t len,
                            deid_error *err)
{
    deid_status st = check_name(ring, name, err);
    if (st)
        return st;
    if (len == 0 || len > DEID_MAX_KEY_FILE_BYTES)
        return err_set(err, DEID_E_RULES, "key \"%s\" has %zu bytes; 1 to %u are allowed", name,
                       len, DEID_MAX_KEY_FILE_BYTES);
    unsigned char *copy = secret_alloc(len);
    if (!copy)
        return err_set(err, DEID_E_IO, "out of memory");
    memcpy(copy, bytes, len);
    return add_key(ring, name, copy, len, err);
}

/* 1 if every byte of s is a hex digit. Scans the whole text whatever it
 * finds, since the text is key material. */
static int all_hex(const unsigned char *s, size_t n)
{
    unsigned ok = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)s[i] - '0';
        unsigned a = ((unsigned)s[i] | 0x20u) - 'a';
        ok &= (unsigned)(d <= 9) | (unsigned)(a <= 5);
    }
    return n > 0 && ok;
}

/* 1 if s reads as text: valid UTF-8 without control characters other than
 * tab, CR and LF (a passphrase in any script). 32 random bytes read as
 * text with a chance of about 1e-11 (each byte about 0.44 on average). */
static int is_text(const unsigned char *s, size_t n)
{
    if (utf8_count((const char *)s, n) == SIZE_MAX)
        return 0;
    unsigned ok = 1;
    for (size_t i = 0; i < n; i++)
        ok &= (unsigned)(s[i] >= 0x20 && s[i] != 0x7f) | (unsigned)(s[i] == '\t') |
              (unsigned)(s[i] == '\r') | (unsigned)(s[i] == '\n');
    return (int)ok;
}

/* The number of distinct byte values in key. */
static unsigned distinct_bytes(const unsigned char *key, size_t n)
{
    unsigned char seen[256] = {0};
    unsigned count = 0;
    for (size_t i = 0; i < n; i++) {
        count += !seen[key[i]];
        seen[key[i]] = 1;
    }
    OPENSSL_cleanse(seen, sizeof seen);
    return count;
}

/* Turns the file contents into key bytes (secure heap, owned by the caller
 * on success). Messages name the file and sizes, never contents. */
static deid_status parse_key(const unsigned char *buf, size_t n, const char *path,
                             unsigned char **out, size_t *out_len, deid_error *err)
{
    static const char make_one[] = "make a key with: deid keygen FILE";
    if (n == 0)
        return err_set(err, DEID_E_RULES, "key file %s is empty", path);
    /* The text form: without a UTF-8 BOM (editors on Windows add one) and
     * one final "\n" or "\r\n". */
    const unsigned char *txt = buf;
    size_t t = n;
    if (t >= 3 && txt[0] == 0xEF && txt[1] == 0xBB && txt[2] == 0xBF)
        txt += 3, t -= 3;
    if (t > 0 && txt[t - 1] == '\n') {
        t--;
        if (t > 0 && txt[t - 1] == '\r')
            t--;
    }
    if (t == 0)
        return err_set(err, DEID_E_RULES, "key file %s is empty", path);
    unsigned char *key = secret_alloc(KEY_BYTES);
    if (!key)
        return err_set(err, DEID_E_IO, "out of memory");
    deid_status st = DEID_OK;
    if (all_hex(txt, t)) {
        if (t % 2)
            st = err_set(err, DEID_E_RULES,
                         "key file %s has an odd number of hex digits (%zu); a key is exactly "
                         "%u; %s",
                         path, t, 2 * KEY_BYTES, make_one);
        else if (t != 2 * KEY_BYTES)
            st = err_set(err, DEID_E_RULES,
                         "key file %s has %zu hex digits; a key is exactly %u (%u bytes); %s",
                         path, t, 2 * KEY_BYTES, KEY_BYTES, make_one);
        else if (encode_hex_decode((const char *)txt, t, key) != 0)
            /* all_hex said otherwise; only a broken build gets here */
            st = err_set(err, DEID_E_RULES, "key file %s is not valid hex", path);
    } else if (encode_base64_decode((const char *)txt, t, key, KEY_BYTES) == 0) {
        /* base64 of 32 bytes */
    } else if (is_text(buf, n)) {
        st = err_set(err, DEID_E_RULES,
                     "key file %s is text, not hex (%u digits) or base64 (of %u bytes); a "
                     "passphrase is not a key; %s",
                     path, 2 * KEY_BYTES, KEY_BYTES, make_one);
    } else if (n != KEY_BYTES) {
        st = err_set(err, DEID_E_RULES,
                     "key file %s has %zu bytes; a raw key is exactly %u bytes (or %u hex "
                     "digits); %s",
                     path, n, KEY_BYTES, 2 * KEY_BYTES, make_one);
    } else {
        memcpy(key, buf, KEY_BYTES);
    }
    if (!st) {
        unsigned distinct = distinct_bytes(key, KEY_BYTES);
        if (distinct < KEY_MIN_DISTINCT)
            st = err_set(err, DEID_E_RULES,
                         "key file %s is not random: its %u bytes take only %u distinct "
                         "values (at least %u expected of a random key); %s",
                         path, KEY_BYTES, distinct, KEY_MIN_DISTINCT, make_one);
    }
    if (st) {
        OPENSSL_secure_clear_free(key, KEY_BYTES);
        return st;
    }
    *out = key;
    *out_len = KEY_BYTES;
    return DEID_OK;
}

/* Reads the whole key file from fd into buf (cap bytes); sets *n. Larger
 * files are refused before they are read in full. */
static deid_status read_key_fd(int fd, const char *path, unsigned char *buf, size_t cap,
                               size_t *n, deid_error *err)
{
    size_t got = 0;
    if (fsys_read_full(fd, buf, cap, &got) != 0)
        return err_set(err, DEID_E_IO, "cannot read key file %s: %s", path, strerror(errno));
    if (got == cap)
        return err_set(err, DEID_E_RULES, "key file %s is larger than %u bytes", path,
                       DEID_MAX_KEY_FILE_BYTES);
    *n = got;
    return DEID_OK;
}

static deid_status check_key_file(int fd, const char *path, deid_error *err)
{
    struct stat sb;
    if (fsys_fstat(fd, &sb) != 0)
        return err_set(err, DEID_E_IO, "cannot stat key file %s: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return err_set(err, DEID_E_RULES, "key file %s is a directory", path);
    if (!S_ISREG(sb.st_mode))
        return err_set(err, DEID_E_RULES, "key file %s is not a regular file", path);
    if (sb.st_mode & 077) {
        const char *what = (sb.st_mode & 044)   ? "readable"
                           : (sb.st_mode & 022) ? "writable"
                                                : "accessible";
        return err_set(err, DEID_E_RULES, "key file %s is %s by group or others; run: chmod 600 %s",
                       path, what, path);
    }
    if (sb.st_size > (off_t)DEID_MAX_KEY_FILE_BYTES)
        return err_set(err, DEID_E_RULES, "key file %s is larger than %u bytes", path,
                       DEID_MAX_KEY_FILE_BYTES);
    return DEID_OK;
}

deid_status keyring_load(keyring *ring, const char *name, const char *path, deid_error *err)
{
    deid_status st = check_name(ring, name, err);
    if (st)
        return st;
    /* O_NONBLOCK: a FIFO planted at the path must not hang the run; fstat
     * refuses it right after. */
    int fd = fsys_open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR)
            return err_set(err, DEID_E_RULES, "key file %s does not exist", path);
        return err_set(err, DEID_E_IO, "cannot open key file %s: %s", path, strerror(e));
    }
    unsigned char buf[DEID_MAX_KEY_FILE_BYTES + 1];
    size_t n = 0;
    st = check_key_file(fd, path, err);
    if (!st)
        st = read_key_fd(fd, path, buf, sizeof buf, &n, err);
    fsys_close(fd);
    unsigned char *key = NULL;
    size_t len = 0;
    if (!st)
        st = parse_key(buf, n, path, &key, &len, err);
    OPENSSL_cleanse(buf, sizeof buf);
    if (st)
        return st;
    return add_key(ring, name, key, len, err);
}

/* ---- key_mac ------------------------------------------------------------ */

key_mac *key_mac_new(const deid_key *key, const void *prefix, size_t prefix_len)
{
    if (!key)
        return NULL;
    key_mac *m = secret_alloc(sizeof *m);
    if (!m)
        return NULL;
    unsigned char k0[HMAC_BLOCK] = {0};
    unsigned char pad[HMAC_BLOCK];
    SHA256_CTX tmp;
    int ok = 1;
    /* RFC 2104: a key longer than the block is replaced by its hash. */
    if (key->len > HMAC_BLOCK)
        ok = SHA256_Init(&tmp) && SHA256_Update(&tmp, key->bytes, key->len) &&
             SHA256_Final(k0, &tmp);
    else
        memcpy(k0, key->bytes, key->len);
    for (size_t i = 0; i < HMAC_BLOCK; i++)
        pad[i] = k0[i] ^ 0x36;
    ok = ok && SHA256_Init(&m->inner) && SHA256_Update(&m->inner, pad, HMAC_BLOCK) &&
         (prefix_len == 0 || SHA256_Update(&m->inner, prefix, prefix_len));
    for (size_t i = 0; i < HMAC_BLOCK; i++)
        pad[i] = k0[i] ^ 0x5c;
    ok = ok && SHA256_Init(&m->outer) && SHA256_Update(&m->outer, pad, HMAC_BLOCK);
    OPENSSL_cleanse(k0, sizeof k0);
    OPENSSL_cleanse(pad, sizeof pad);
    OPENSSL_cleanse(&tmp, sizeof tmp);
    if (!ok) {
        OPENSSL_secure_clear_free(m, sizeof *m);
        return NULL;
    }
    return m;
}

int key_mac_compute(const key_mac *mac, const void *const *parts, const size_t *lens,
                    size_t n_parts, unsigned char out[32])
{
    if (!mac)
        return -1;
    /* Copies by value: the template stays untouched, so concurrent calls
     * never share a mutable state. */
    SHA256_CTX c = mac->inner;
    unsigned char inner[SHA256_DIGEST_LENGTH];
    int ok = 1;
    for (size_t i = 0; i < n_parts && ok; i++)
        if (lens[i])
            ok = SHA256_Update(&c, parts[i], lens[i]);
    ok = ok && SHA256_Final(inner, &c);
    c = mac->outer;
    ok = ok && SHA256_Update(&c, inner, sizeof inner) && SHA256_Final(out, &c);
    OPENSSL_cleanse(&c, sizeof c);
    OPENSSL_cleanse(inner, sizeof inner);
    return ok ? 0 : -1;
}

void key_mac_free(key_mac *mac)
{
    if (mac)
        OPENSSL_secure_clear_free(mac, sizeof *mac);
}

/* ---- key_cipher --------------------------------------------------------- */

/* Longest derived key: AES-256-SIV's two AES-256 keys. */
#define KEY_CIPHER_MAX_KEY 64u

struct key_cipher {
    EVP_CIPHER_CTX *enc; /* keyed templates, never used directly */
    EVP_CIPHER_CTX *dec;
};

/* HKDF-SHA-256 (RFC 5869, extract and expand). No salt parameter: RFC 5869
 * section 2.2 treats an absent salt as HashLen zero bytes, which as an
 * HMAC key is the same as the empty salt. Returns 0 or -1. */
static int hkdf_sha256(const deid_key *key, const char *label, unsigned char *out, size_t len)
{
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    EVP_KDF_CTX *kctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
    EVP_KDF_free(kdf);
    if (!kctx)
        return -1;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, key->bytes, key->len),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)label, strlen(label)),
        OSSL_PARAM_construct_end(),
    };
    int ok = EVP_KDF_derive(kctx, out, len, params) == 1;
    EVP_KDF_CTX_free(kctx);
    return ok ? 0 : -1;
}

void key_cipher_free(key_cipher *kc)
{
    if (!kc)
        return;
    EVP_CIPHER_CTX_free(kc->enc); /* the providers wipe their key schedules */
    EVP_CIPHER_CTX_free(kc->dec);
    free(kc);
}

key_cipher *key_cipher_new(const deid_key *key, const char *cipher, const char *label)
{
    if (!key || !cipher || !label)
        return NULL;
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, cipher, NULL);
    if (!c)
        return NULL;
    int klen = EVP_CIPHER_get_key_length(c);
    key_cipher *kc = calloc(1, sizeof *kc);
    unsigned char derived[KEY_CIPHER_MAX_KEY];
    int ok = kc && klen > 0 && (size_t)klen <= sizeof derived;
    if (ok) {
        kc->enc = EVP_CIPHER_CTX_new();
        kc->dec = EVP_CIPHER_CTX_new();
        ok = kc->enc && kc->dec && hkdf_sha256(key, label, derived, (size_t)klen) == 0 &&
             EVP_CipherInit_ex2(kc->enc, c, derived, NULL, 1, NULL) == 1 &&
             EVP_CipherInit_ex2(kc->dec, c, derived, NULL, 0, NULL) == 1;
    }
    OPENSSL_cleanse(derived, sizeof derived);
    EVP_CIPHER_free(c);
    if (!ok) {
        key_cipher_free(kc);
        return NULL;
    }
    return kc;
}

EVP_CIPHER_CTX *key_cipher_ctx(const key_cipher *kc, int enc)
{
    if (!kc)
        return NULL;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (ctx && EVP_CIPHER_CTX_copy(ctx, enc ? kc->enc : kc->dec) != 1) {
        EVP_CIPHER_CTX_free(ctx);
        ctx = NULL;
    }
    return ctx;
}

/* ---- keygen ------------------------------------------------------------- */

deid_status keyring_generate_file(const char *path, deid_error *err)
{
    if (!path || !path[0])
        return err_set(err, DEID_E_USAGE, "keygen needs a file name");
    unsigned char key[32];
    char text[2 * sizeof key + 2];
    if (RAND_priv_bytes(key, sizeof key) != 1) {
        OPENSSL_cleanse(key, sizeof key);
        return err_set(err, DEID_E_IO, "the random number generator failed");
    }
    encode_hex(key, sizeof key, text);
    OPENSSL_cleanse(key, sizeof key);
    text[2 * sizeof key] = '\n';
    text[2 * sizeof key + 1] = '\0';

    /* O_EXCL also refuses a symbolic link planted at path. */
    int fd = fsys_open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY, 0600);
    if (fd < 0) {
        int e = errno;
        OPENSSL_cleanse(text, sizeof text);
        if (e == EEXIST)
            return err_set(err, DEID_E_IO, "%s exists; refusing to overwrite", path);
        return err_set(err, DEID_E_IO, "cannot create %s: %s", path, strerror(e));
    }
    const char *step = "set the mode of";
    int failed = fsys_fchmod(fd, 0600) != 0; /* whatever the umask did */
    if (!failed) {
        step = "write";
        failed = fsys_write_all(fd, text, 2 * sizeof key + 1) != 0 || fsys_fsync(fd) != 0;
    }
    int e = errno;
    OPENSSL_cleanse(text, sizeof text);
    if (fsys_close(fd) != 0 && !failed) {
        failed = 1;
        e = errno;
        step = "write";
    }
    if (failed) {
        fsys_unlink(path);
        return err_set(err, DEID_E_IO, "cannot %s %s: %s", step, path, strerror(e));
    }
    fsys_sync_parent(path);
    return DEID_OK;
}

deid_status deid_keygen(const char *path, deid_error *err)
{
    return keyring_generate_file(path, err);
}
