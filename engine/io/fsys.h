/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fsys.h - the library's one door to the file system: every open, read,
 * write, rename, fsync, unlink, mkstemp, lseek, ftruncate, mmap and stat
 * of engine/ (all but the CLI, engine/cli) goes through here, so that the
 * fault-injection build, which wraps open() and friends, sees them all in
 * one place.
 * `make libtest` (tests/lib/symbols.sh) fails when another library object
 * refers to one of those calls.
 *
 * Conventions: functions return 0 (or a descriptor) on success and -1 with
 * errno set on failure, unless said otherwise; every descriptor is opened
 * O_CLOEXEC; every loop retries EINTR. No function prints or keeps a path.
 */
#ifndef DEID_FSYS_H
#define DEID_FSYS_H

#include <stddef.h>
#include <sys/stat.h>
#include <stdint.h>
#include <sys/types.h>

/* Returned by fsys_open_regular when path is there but is not a regular
 * file (a FIFO, a device, a directory, a socket); *sb says what it is. */
enum { FSYS_NOT_REGULAR = -2, FSYS_TOO_LARGE = -3 };

/* Opens path for reading (O_RDONLY | O_CLOEXEC | O_NOCTTY, plus
 * extra_flags, e.g. O_NOFOLLOW) without ever blocking on a FIFO: the open
 * is non-blocking and fstat refuses anything but a regular file at once.
 * Fills *sb. Returns the descriptor (blocking again, owned by the caller),
 * -1 with errno (open or fstat failed), or FSYS_NOT_REGULAR (nothing left
 * open). */
int fsys_open_regular(const char *path, int extra_flags, struct stat *sb);

/* Why a file of mode m cannot be read as a side file, for messages: the
 * strerror text "Is a directory" for a directory (as open() of a
 * directory for writing says), else "a FIFO, not a regular file" and the
 * like. A static string. */
const char *fsys_not_regular_reason(mode_t m);

/* open(2) with O_CLOEXEC added; mode is used with O_CREAT. */
int fsys_open(const char *path, int flags, mode_t mode);
int fsys_close(int fd);
int fsys_stat(const char *path, struct stat *sb);
int fsys_fstat(int fd, struct stat *sb);
int fsys_unlink(const char *path);
int fsys_fchmod(int fd, mode_t mode);
/* flock(fd, LOCK_EX | LOCK_NB): takes an exclusive lock without waiting.
 * Returns 0, or -1 with errno (EWOULDBLOCK: another holds it). */
int fsys_try_lock(int fd);
/* realpath(path, NULL): newly allocated (free()), or NULL with errno. */
char *fsys_realpath(const char *path);
/* fsync(2); EINVAL (a file that cannot be synced: a pipe, /dev/null)
 * counts as success. */
int fsys_fsync(int fd);

/* One read(2) of up to n bytes, retrying EINTR: returns the bytes read
 * (0 at end of file) or -1 with errno. */
ssize_t fsys_read(int fd, void *buf, size_t n);
/* Reads until end of file or until cap bytes are in buf; *got says how
 * many. *got == cap means the file may hold more. Returns 0 or -1. */
int fsys_read_full(int fd, void *buf, size_t cap, size_t *got);
/* Reads the rest of fd into a new buffer of at most max bytes (plus a NUL
 * after them, not counted in *len). Returns 0 (*out owned by the caller,
 * free()), -1 with errno (ENOMEM included) or FSYS_TOO_LARGE; *out is NULL
 * on failure. The caller wipes the buffer if it held secrets. */
int fsys_read_small(int fd, size_t max, char **out, size_t *len);
/* Moves fd's offset back to the start (a spool read again). Returns 0 or
 * -1. */
int fsys_rewind(int fd);
/* Moves fd's offset to byte off (a range of a file read on its own).
 * Returns 0 or -1 with errno. */
int fsys_seek(int fd, uint64_t off);
/* Writes all n bytes, retrying EINTR and short writes. Returns 0 or -1. */
int fsys_write_all(int fd, const void *p, size_t n);
/* ftruncate(2), retrying EINTR: the file is size bytes (new ones read as
 * zero). Returns 0 or -1 with errno. */
int fsys_truncate(int fd, uint64_t size);
/* posix_fallocate(2) of fd's first size bytes, retrying EINTR: the file
 * is at least size bytes and its blocks are allocated, so writing through
 * a mapping of them cannot die of SIGBUS when the disk is full (ftruncate
 * alone leaves a sparse file). Returns 0, or -1 with errno (ENOSPC). */
int fsys_reserve(int fd, uint64_t size);
/* mmap(2) of fd's first size bytes, readable and writable, MAP_SHARED
 * (what is written goes to the file, not to anonymous memory). Returns
 * the mapping (fsys_unmap) or NULL with errno. */
void *fsys_map_shared(int fd, size_t size);
/* munmap(2) of a mapping of fsys_map_shared; NULL does nothing. */
void fsys_unmap(void *p, size_t size);

/* Bytes of path before its file name: up to and including the last '/',
 * 0 when there is none. */
size_t fsys_dir_prefix_len(const char *path);
/* The folder that holds path ("." without a '/', "/" for "/name"), newly
 * allocated (free()), or NULL when out of memory. */
char *fsys_parent_dir(const char *path);
/* stat()s the folder that holds path. Returns 0, -1 with errno, or -1
 * with errno ENOMEM. */
int fsys_stat_parent(const char *path, struct stat *sb);
/* Best effort: fsyncs the folder that holds path, so that a new or
 * renamed entry in it survives a crash. */
void fsys_sync_parent(const char *path);

/* ---- temporary files, announced to the caller (deid_set_temp_hooks) ----
 * Every file the library creates only to rename or remove later is
 * announced when created and when gone, so that the program can remove
 * the ones left when a signal ends it. */

/* Like mkostemp(tmpl, O_CLOEXEC): tmpl ends in "XXXXXX" and receives the
 * name; the file is 0600, open for reading and writing. The name is
 * announced just before the file is made, so no moment exists when the
 * file is there and the program does not know it. Returns the descriptor,
 * or -1 with errno (ENOMEM when the program refused the name). */
int fsys_mkstemp(char *tmpl);
/* Like fsys_mkstemp, then removes the name at once (announcing both):
 * the file lives only as the returned descriptor (read and write), so
 * nothing is left behind however the process ends. Returns the descriptor
 * or -1 with errno. */
int fsys_open_unnamed_temp(char *tmpl);
/* Creates path as a new temporary file (O_CREAT | O_EXCL | O_NOFOLLOW,
 * mode 0600, write only), refusing one that exists. Announces it. */
int fsys_create_temp(const char *path);
/* Puts the temporary file tmp (open as fd) in place as path: fsync, close,
 * rename, then syncs the folder. On failure tmp is removed and -1 returned
 * with errno of the step that failed, *step naming it ("write" for fsync
 * and close, "rename"). fd is closed in every case. */
int fsys_commit_temp(int fd, const char *tmp, const char *path, const char **step);
/* Closes fd (when >= 0) and removes the temporary file tmp. */
void fsys_discard_temp(int fd, const char *tmp);
/* Removes tmp, a temporary file that an earlier process left behind.
 * Returns 0, or -1 with errno (ENOENT when it was not there). */
int fsys_remove_leftover(const char *tmp);

#endif
