/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fault_io.c - test-only I/O faults for build/fault/deid (linked with
 * -Wl,--wrap=open beside fail_alloc.c; never in build/deid).
 *
 *   DEID_FAULT_CHANGE=PATH=SOURCE
 *       at the second open() of PATH (the second pass of a two-pass run
 *       reading a regular file again), first overwrite PATH in place with
 *       the bytes of SOURCE: the input changes between the passes, at a
 *       moment no shell script can hit reliably.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...);

static unsigned opens_of_target;

/* Copies SOURCE over PATH, keeping PATH's inode; exits on failure so that
 * a broken test set-up cannot pass for a detected change. */
static void overwrite(const char *path, const char *source)
{
    int in = __real_open(source, O_RDONLY | O_CLOEXEC);
    int out = __real_open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    char buf[65536];
    ssize_t k = 0;
    while (in >= 0 && out >= 0 && (k = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)k) != k)
            k = -1, in = -1;
    if (in < 0 || out < 0 || k < 0) {
        static const char msg[] = "deid-fault: DEID_FAULT_CHANGE could not change the file\n";
        (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
        _exit(99);
    }
    close(in);
    close(out);
}

int __wrap_open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    const char *spec = getenv("DEID_FAULT_CHANGE");
    const char *eq = spec ? strchr(spec, '=') : NULL;
    if (eq && strlen(path) == (size_t)(eq - spec) && !strncmp(path, spec, (size_t)(eq - spec)) &&
        ++opens_of_target == 2) {
        int saved = errno;
        overwrite(path, eq + 1);
        errno = saved;
    }
    return __real_open(path, flags, mode);
}
