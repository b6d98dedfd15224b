/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_process.c - protection of the whole process, set up by main before
 * any command runs (issue 12, finding 2). A core file of a run holds
 * whatever was in memory: input records, vault pairs, key bytes. So, unless
 * `deid --allow-core-dump COMMAND` asks for one to debug a crash:
 *  - RLIMIT_CORE is set to 0 (soft and hard, so a child cannot raise it),
 *  - the process is made not dumpable (PR_SET_DUMPABLE 0), which also keeps
 *    other processes of the same user from ptrace-attaching to read memory
 *    and covers core_pattern pipes to a handler, which ignore RLIMIT_CORE.
 * Either way OpenSSL's secure heap is set up for the key material that
 * keyring.c allocates with OPENSSL_secure_zalloc: pages mlock()ed (when
 * RLIMIT_MEMLOCK allows; otherwise they stay unlocked) and MADV_DONTDUMP,
 * so even an allowed core dump leaves key bytes out. Without a secure heap
 * (set-up failed) keys fall back to the plain heap, still wiped when freed.
 * And the soft limit of open files is raised to the hard one: a run that
 * spills keeps one file per buffer of its two-pass techniques (several per
 * column), which a wide file takes past the usual soft limit of 1024.
 */
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <openssl/crypto.h>

#include "cli.h"

/* Keys (32 bytes) and prepared HMAC states (two SHA-256 contexts) for the
 * rules' keys and hash columns; keyring.c falls back to the plain heap
 * when this is full. A power of two, as OpenSSL requires. */
#define CLI_SECURE_HEAP_BYTES (256u * 1024u)
#define CLI_SECURE_HEAP_MIN_ALLOC 16u

int cli_process_protect(int allow_core_dump)
{
    if (!allow_core_dump) {
        const struct rlimit none = {0, 0};
        if (setrlimit(RLIMIT_CORE, &none) != 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
            return errno ? errno : EPERM;
    }
    struct rlimit files;
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &files); /* best effort: the limit stays */
    }
    /* 1: locked; 2: mapped and excluded from dumps but not locked; 0: none
     * (keys go to the plain heap). None of these stops a run. */
    (void)CRYPTO_secure_malloc_init(CLI_SECURE_HEAP_BYTES, CLI_SECURE_HEAP_MIN_ALLOC);
    return 0;
}

void cli_process_done(void)
{
    /* Unmaps the secure heap when every key has been freed (a no-op
     * otherwise), so leak checkers see a clean exit. */
    if (CRYPTO_secure_malloc_initialized())
        (void)CRYPTO_secure_malloc_done();
}
