/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fail_alloc.c - a test-only allocator that makes the Nth allocation fail,
 * linked into build/fault/deid (never into build/deid) with
 * -Wl,--wrap=malloc,--wrap=calloc,... so every allocation our objects make
 * goes through the counter below; OpenSSL's (CRYPTO_set_mem_functions),
 * zlib's (gz.c passes zalloc) and libcsv's (csv_in.c passes its realloc)
 * come here too. Like SQLite's test_malloc.c: run a command for
 * N = 1, 2, 3, ... and prove every path cleans up.
 *
 * Environment:
 *   DEID_FAIL_ALLOC=N    the Nth allocation (1-based) returns NULL (ENOMEM)
 *   DEID_FAIL_ALLOC=N+   the Nth and every later one fails
 *   DEID_ALLOC_COUNT=1   at exit, print "deid-fault: allocations=C failed=F"
 *                        on stderr (C counts every call, F the injected ones)
 *   DEID_FAULT_COLD_OPENSSL=1  skip the OpenSSL warm-up below
 * Without them the binary behaves exactly like build/deid.
 *
 * OpenSSL's one-time global set-up (library context, provider loading,
 * method store, DRBGs) does not survive a failed allocation: with N inside
 * it, OpenSSL 3.0 dereferences a lock it failed to create (SIGSEGV in
 * CRYPTO_THREAD_read_lock from EVP_MD_fetch). Nothing in deid can handle
 * that, so before main this binary runs that set-up once, uncounted, for
 * the algorithms deid uses; every per-call OpenSSL allocation (contexts,
 * keys, digests) still goes through the counter.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static unsigned long long calls, failed, fail_at;
static int fail_rest, report, counting;

/* Reads the environment; a malformed value stops the test binary
 * loudly rather than running without faults. */
static void configure(void)
{
    const char *v = getenv("DEID_FAIL_ALLOC");
    if (v && *v) {
        char *end;
        errno = 0;
        fail_at = strtoull(v, &end, 10);
        if (*end == '+') {
            fail_rest = 1;
            end++;
        }
        if (errno || end == v || *end || fail_at == 0) {
            static const char msg[] = "deid-fault: DEID_FAIL_ALLOC must be N or N+ (N >= 1)\n";
            (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
            _exit(99);
        }
    }
    v = getenv("DEID_ALLOC_COUNT");
    report = v && *v && strcmp(v, "0") != 0;
}

/* Counts one allocation; returns nonzero when it must fail. Atomic: the
 * worker threads allocate too (with several chunks in flight the Nth
 * allocation is then not always the same one, but every N still fails
 * exactly one). */
static int should_fail(void)
{
    if (!counting)
        return 0;
    unsigned long long n = __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
    if (fail_at && (n == fail_at || (fail_rest && n > fail_at))) {
        __atomic_add_fetch(&failed, 1, __ATOMIC_RELAXED);
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *__wrap_malloc(size_t n)
{
    return should_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    /* realloc(p, 0) frees; failing it would turn a free into a leak that
     * no caller can avoid, so it is not an allocation. */
    if (p && n == 0)
        return __real_realloc(p, n);
    return should_fail() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return should_fail() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return should_fail() ? NULL : __real_strndup(s, n);
}

static void *crypto_malloc(size_t n, const char *file, int line)
{
    (void)file, (void)line;
    return __wrap_malloc(n);
}

static void *crypto_realloc(void *p, size_t n, const char *file, int line)
{
    (void)file, (void)line;
    return __wrap_realloc(p, n);
}

static void crypto_free(void *p, const char *file, int line)
{
    (void)file, (void)line;
    free(p);
}

/* OpenSSL's global set-up for every algorithm deid fetches (see the top). */
static void warm_openssl(void)
{
    unsigned char buf[64] = {0}, md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    int ok = RAND_bytes(buf, 16) == 1 && RAND_priv_bytes(buf, 16) == 1 &&
             EVP_Digest("", 0, md, &md_len, EVP_sha256(), NULL) == 1 &&
             HMAC(EVP_sha256(), buf, 32, buf, 1, md, &md_len) != NULL;
    /* deid's main sets up the secure heap (cli_process.c); OpenSSL 3.0
     * aborts (OPENSSL_assert in sh_init) when that set-up's own allocations
     * fail, so it is done here once, uncounted, with the CLI's size, and
     * the CLI's call finds it done. */
    ok = ok && CRYPTO_secure_malloc_init(256u * 1024u, 16u) != 0;
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    ok = ok && kdf;
    EVP_KDF_free(kdf);
    static const char *const ciphers[] = {"AES-256-SIV", "AES-256-ECB"};
    for (size_t i = 0; i < sizeof ciphers / sizeof ciphers[0]; i++) {
        EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, ciphers[i], NULL);
        EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
        ok = ok && c && ctx && EVP_CipherInit_ex2(ctx, c, buf, NULL, 1, NULL) == 1;
        EVP_CIPHER_CTX_free(ctx);
        EVP_CIPHER_free(c);
    }
    if (!ok) {
        static const char msg[] = "deid-fault: OpenSSL warm-up failed\n";
        (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
        _exit(99);
    }
}

/* Runs before main, so OpenSSL has allocated nothing yet and accepts the
 * functions (it refuses once it has). */
__attribute__((constructor)) static void fail_alloc_init(void)
{
    if (!CRYPTO_set_mem_functions(crypto_malloc, crypto_realloc, crypto_free)) {
        static const char msg[] = "deid-fault: CRYPTO_set_mem_functions refused\n";
        (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
        _exit(99);
    }
    const char *cold = getenv("DEID_FAULT_COLD_OPENSSL");
    if (!(cold && *cold && strcmp(cold, "0") != 0))
        warm_openssl();
    /* Counting starts here, at main. */
    configure();
    counting = 1;
}

__attribute__((destructor)) static void fail_alloc_report(void)
{
    if (!report)
        return;
    char line[96];
    int n = snprintf(line, sizeof line, "deid-fault: allocations=%llu failed=%llu\n",
                     __atomic_load_n(&calls, __ATOMIC_RELAXED),
                     __atomic_load_n(&failed, __ATOMIC_RELAXED));
    if (n > 0)
        (void)!write(STDERR_FILENO, line, (size_t)n);
}
