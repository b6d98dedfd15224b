/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fsys.c - the library's file-system calls (see fsys.h).
 */
#define _GNU_SOURCE /* O_NOFOLLOW and friends */
#include "fsys.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "deid.h"

/* The program's temp-file hooks. Set once, before any other call of the
 * library (deid.h says so), and only read afterwards: no lock. */
static deid_temp_created_fn temp_created;
static deid_temp_removed_fn temp_removed;
static void *temp_ctx;

void deid_set_temp_hooks(deid_temp_created_fn created, deid_temp_removed_fn removed, void *ctx)
{
    temp_created = created;
    temp_removed = removed;
    temp_ctx = ctx;
}

/* Tells the program about the new temporary file fd at path; when it
 * cannot keep it on its list, the file goes at once (a file a signal
 * would leave behind is not made). Returns fd, or -1 with errno ENOMEM. */
static int announce_created(int fd, const char *path)
{
    if (fd < 0 || !temp_created || temp_created(temp_ctx, path) == 0)
        return fd;
    close(fd);
    unlink(path);
    errno = ENOMEM;
    return -1;
}

static void announce_removed(const char *path)
{
    if (temp_removed)
        temp_removed(temp_ctx, path);
}

int fsys_open(const char *path, int flags, mode_t mode)
{
    int fd;
    do
        fd = open(path, flags | O_CLOEXEC, mode);
    while (fd < 0 && errno == EINTR);
    return fd;
}

int fsys_close(int fd)
{
    /* Not retried on EINTR: on Linux the descriptor is gone either way. */
    return close(fd);
}

int fsys_stat(const char *path, struct stat *sb)
{
    return stat(path, sb);
}

int fsys_fstat(int fd, struct stat *sb)
{
    return fstat(fd, sb);
}

int fsys_unlink(const char *path)
{
    return unlink(path);
}

int fsys_fchmod(int fd, mode_t mode)
{
    return fchmod(fd, mode);
}

int fsys_try_lock(int fd)
{
    int rc;
    do
        rc = flock(fd, LOCK_EX | LOCK_NB);
    while (rc != 0 && errno == EINTR);
    return rc;
}

char *fsys_realpath(const char *path)
{
    return realpath(path, NULL);
}

int fsys_fsync(int fd)
{
    if (fsync(fd) != 0 && errno != EINVAL)
        return -1;
    return 0;
}

int fsys_open_regular(const char *path, int extra_flags, struct stat *sb)
{
    /* O_NONBLOCK: opening a FIFO for reading would wait for a writer. */
    int fd = fsys_open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | extra_flags, 0);
    if (fd < 0)
        return -1;
    if (fstat(fd, sb) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    if (!S_ISREG(sb->st_mode)) {
        close(fd);
        return FSYS_NOT_REGULAR;
    }
    /* Regular files ignore O_NONBLOCK; cleared anyway so that the
     * descriptor behaves as any other. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

const char *fsys_not_regular_reason(mode_t m)
{
    if (S_ISDIR(m))
        return strerror(EISDIR);
    if (S_ISFIFO(m))
        return "a FIFO, not a regular file";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "a device, not a regular file";
    if (S_ISSOCK(m))
        return "a socket, not a regular file";
    return "not a regular file";
}

ssize_t fsys_read(int fd, void *buf, size_t n)
{
    ssize_t k;
    do
        k = read(fd, buf, n);
    while (k < 0 && errno == EINTR);
    return k;
}

int fsys_read_full(int fd, void *buf, size_t cap, size_t *got)
{
    size_t n = 0;
    while (n < cap) {
        ssize_t k = fsys_read(fd, (char *)buf + n, cap - n);
        if (k < 0) {
            *got = n;
            return -1;
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    *got = n;
    return 0;
}

int fsys_read_small(int fd, size_t max, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    struct stat sb;
    size_t cap = 4096;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
        if ((uint64_t)sb.st_size > (uint64_t)max)
            return FSYS_TOO_LARGE;
        cap = (size_t)sb.st_size;
    }
    if (cap > max)
        cap = max;
    /* One byte more than allowed, so that a file that grew past max is
     * seen; one more for the NUL. */
    char *buf = malloc(cap + 2);
    if (!buf) {
        errno = ENOMEM;
        return -1;
    }
    size_t n = 0;
    for (;;) {
        size_t got;
        if (fsys_read_full(fd, buf + n, cap + 1 - n, &got) != 0) {
            int e = errno;
            free(buf);
            errno = e;
            return -1;
        }
        n += got;
        if (n <= cap)
            break; /* end of file */
        if (n > max) {
            free(buf);
            return FSYS_TOO_LARGE;
        }
        /* A file that grew, or one whose size fstat could not tell. */
        size_t more = cap < 4096 ? 4096 : cap < max - cap ? 2 * cap : max;
        if (more > max)
            more = max;
        char *bigger = realloc(buf, more + 2);
        if (!bigger) {
            free(buf);
            errno = ENOMEM;
            return -1;
        }
        buf = bigger;
        cap = more;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int fsys_rewind(int fd)
{
    return lseek(fd, 0, SEEK_SET) == 0 ? 0 : -1;
}

int fsys_truncate(int fd, uint64_t size)
{
    if (size > (uint64_t)INT64_MAX) {
        errno = EFBIG;
        return -1;
    }
    int rc;
    do
        rc = ftruncate(fd, (off_t)size);
    while (rc != 0 && errno == EINTR);
    return rc;
}

int fsys_reserve(int fd, uint64_t size)
{
    if (size > (uint64_t)INT64_MAX) {
        errno = EFBIG;
        return -1;
    }
    int rc;
    do
        rc = posix_fallocate(fd, 0, (off_t)size);
    while (rc == EINTR);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    return 0;
}

void *fsys_map_shared(int fd, size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    return p == MAP_FAILED ? NULL : p;
}

void fsys_unmap(void *p, size_t size)
{
    if (p)
        munmap(p, size);
}

int fsys_seek(int fd, uint64_t off)
{
    if (off > (uint64_t)INT64_MAX) {
        errno = EINVAL;
        return -1;
    }
    return lseek(fd, (off_t)off, SEEK_SET) == (off_t)off ? 0 : -1;
}

int fsys_write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

size_t fsys_dir_prefix_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) + 1 : 0;
}

char *fsys_parent_dir(const char *path)
{
    size_t n = fsys_dir_prefix_len(path);
    if (n == 0)
        return strdup(".");
    if (n == 1)
        return strdup("/");
    return strndup(path, n - 1);
}

int fsys_stat_parent(const char *path, struct stat *sb)
{
    char *dir = fsys_parent_dir(path);
    if (!dir) {
        errno = ENOMEM;
        return -1;
    }
    int rc = stat(dir, sb);
    int e = errno;
    free(dir);
    errno = e;
    return rc;
}

void fsys_sync_parent(const char *path)
{
    char *dir = fsys_parent_dir(path);
    if (!dir)
        return;
    int fd = fsys_open(dir, O_RDONLY | O_DIRECTORY, 0);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

/* Fills buf with n random bytes from the kernel. Returns 0, or -1 with
 * errno. */
static int getrandom_all(unsigned char *buf, size_t n)
{
    while (n > 0) {
        ssize_t got = getrandom(buf, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += got;
        n -= (size_t)got;
    }
    return 0;
}

/* The name is announced before the file exists: announced after, a
 * signal that arrived between creating and announcing would leave the
 * file behind (seen under load in the signal CLI test). A signal before
 * the file exists makes the program unlink a name that is not there yet,
 * which is harmless; a name taken by someone else (EEXIST: 62^6 names)
 * is withdrawn and another one tried. */
int fsys_mkstemp(char *tmpl)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    size_t len = strlen(tmpl);
    if (len < 6 || strcmp(tmpl + len - 6, "XXXXXX") != 0) {
        errno = EINVAL;
        return -1;
    }
    char *x = tmpl + len - 6;
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned char r[6];
        if (getrandom_all(r, sizeof r) != 0)
            return -1;
        for (int i = 0; i < 6; i++)
            x[i] = alphabet[r[i] % (sizeof alphabet - 1)];
        if (temp_created && temp_created(temp_ctx, tmpl) != 0) {
            errno = ENOMEM;
            return -1;
        }
        int fd = fsys_open(tmpl, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY, 0600);
        if (fd >= 0)
            return fd;
        int e = errno;
        announce_removed(tmpl);
        if (e != EEXIST) {
            errno = e;
            return -1;
        }
    }
    errno = EEXIST;
    return -1;
}

int fsys_open_unnamed_temp(char *tmpl)
{
    int fd = fsys_mkstemp(tmpl);
    if (fd >= 0) {
        unlink(tmpl);
        announce_removed(tmpl);
    }
    return fd;
}

/* The path is fixed, so it cannot be announced before it is made (the
 * file under that name may be another run's): the caught signals wait in
 * this thread from creating to announcing instead. */
int fsys_create_temp(const char *path)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int fd = announce_created(
        fsys_open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY, 0600), path);
    int e = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = e;
    return fd;
}

int fsys_commit_temp(int fd, const char *tmp, const char *path, const char **step)
{
    *step = "write";
    int failed = fsys_fsync(fd) != 0;
    int e = errno;
    if (close(fd) != 0 && !failed)
        failed = 1, e = errno;
    if (!failed && rename(tmp, path) != 0)
        failed = 1, e = errno, *step = "rename";
    if (failed) {
        unlink(tmp);
        announce_removed(tmp);
        errno = e;
        return -1;
    }
    announce_removed(tmp);
    fsys_sync_parent(path);
    return 0;
}

void fsys_discard_temp(int fd, const char *tmp)
{
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    announce_removed(tmp);
}

int fsys_remove_leftover(const char *tmp)
{
    return unlink(tmp);
}
