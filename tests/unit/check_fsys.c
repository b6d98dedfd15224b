/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_fsys.c - the file-system layer (engine/io/fsys.c): side files are
 * opened only when regular (a FIFO, a device, a directory refused at once,
 * without blocking), whole-file reads stop at their maximum, writes write
 * everything, the parent-folder split, and the temp-file hooks: every
 * temporary file the library makes is announced when made and when gone,
 * and one the program cannot track is not left behind.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deid.h"
#include "fsys.h"
#include "scratch.h"

static char tmpdir[64];
static char pathbuf[512];

static void setup(void)
{
    strcpy(tmpdir, "/tmp/deid_fsys_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    deid_set_temp_hooks(NULL, NULL, NULL);
    scratch_remove_tree(tmpdir);
}

static const char *tpath(const char *name)
{
    snprintf(pathbuf, sizeof pathbuf, "%s/%s", tmpdir, name);
    return pathbuf;
}

static void put(const char *name, const char *text, size_t len)
{
    FILE *f = fopen(tpath(name), "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

/* ---- opening side files ---- */

START_TEST(open_regular_reads_a_file)
{
    put("a.csv", "abc", 3);
    struct stat sb;
    int fd = fsys_open_regular(tpath("a.csv"), 0, &sb);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(sb.st_size, 3);
    ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0); /* blocking again */
    ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
    char buf[8];
    ck_assert_int_eq(fsys_read(fd, buf, sizeof buf), 3);
    ck_assert_int_eq(memcmp(buf, "abc", 3), 0);
    ck_assert_int_eq(fsys_close(fd), 0);
}
END_TEST

/* No writer opens the FIFO: a blocking open would hang until the Check
 * timeout fails the test. */
START_TEST(open_regular_refuses_fifo_at_once)
{
    ck_assert_int_eq(mkfifo(tpath("p"), 0600), 0);
    struct stat sb;
    ck_assert_int_eq(fsys_open_regular(tpath("p"), 0, &sb), FSYS_NOT_REGULAR);
    ck_assert(S_ISFIFO(sb.st_mode));
    ck_assert_str_eq(fsys_not_regular_reason(sb.st_mode), "a FIFO, not a regular file");
}
END_TEST

START_TEST(open_regular_refuses_directory_and_device)
{
    struct stat sb;
    ck_assert_int_eq(fsys_open_regular(tmpdir, 0, &sb), FSYS_NOT_REGULAR);
    ck_assert_str_eq(fsys_not_regular_reason(sb.st_mode), strerror(EISDIR));
    ck_assert_int_eq(fsys_open_regular("/dev/null", 0, &sb), FSYS_NOT_REGULAR);
    ck_assert_str_eq(fsys_not_regular_reason(sb.st_mode), "a device, not a regular file");
}
END_TEST

START_TEST(open_regular_errors_keep_errno)
{
    struct stat sb;
    errno = 0;
    ck_assert_int_eq(fsys_open_regular(tpath("missing"), 0, &sb), -1);
    ck_assert_int_eq(errno, ENOENT);
    put("t", "x", 1);
    char target[512];
    snprintf(target, sizeof target, "%s", tpath("t"));
    ck_assert_int_eq(symlink(target, tpath("link")), 0);
    errno = 0;
    ck_assert_int_eq(fsys_open_regular(tpath("link"), O_NOFOLLOW, &sb), -1);
    ck_assert_int_eq(errno, ELOOP);
}
END_TEST

/* ---- whole reads and writes ---- */

START_TEST(read_small_bounds)
{
    put("five", "12345", 5);
    put("empty", "", 0);
    char *text;
    size_t len;
    struct stat sb;
    int fd = fsys_open_regular(tpath("five"), 0, &sb);
    ck_assert_int_eq(fsys_read_small(fd, 5, &text, &len), 0); /* exactly the maximum */
    ck_assert_uint_eq(len, 5);
    ck_assert_str_eq(text, "12345"); /* NUL-terminated */
    free(text);
    close(fd);
    fd = fsys_open_regular(tpath("five"), 0, &sb);
    ck_assert_int_eq(fsys_read_small(fd, 4, &text, &len), FSYS_TOO_LARGE);
    ck_assert_ptr_null(text);
    close(fd);
    fd = fsys_open_regular(tpath("empty"), 0, &sb);
    ck_assert_int_eq(fsys_read_small(fd, 4, &text, &len), 0);
    ck_assert_uint_eq(len, 0);
    ck_assert_str_eq(text, "");
    free(text);
    close(fd);
}
END_TEST

/* A pipe has no size up front: the count of bytes read stops it. */
START_TEST(read_small_counts_a_pipe)
{
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    char big[10000];
    memset(big, 'x', sizeof big);
    ck_assert_int_eq(write(p[1], big, sizeof big), (ssize_t)sizeof big);
    close(p[1]);
    char *text;
    size_t len;
    ck_assert_int_eq(fsys_read_small(p[0], 9999, &text, &len), FSYS_TOO_LARGE);
    close(p[0]);
    ck_assert_int_eq(pipe(p), 0);
    ck_assert_int_eq(write(p[1], big, sizeof big), (ssize_t)sizeof big);
    close(p[1]);
    ck_assert_int_eq(fsys_read_small(p[0], 10000, &text, &len), 0);
    ck_assert_uint_eq(len, 10000);
    free(text);
    close(p[0]);
}
END_TEST

START_TEST(write_all_then_read_full)
{
    int fd = fsys_open(tpath("w"), O_WRONLY | O_CREAT | O_EXCL, 0600);
    ck_assert_int_ge(fd, 0);
    static char data[300000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (char)(i * 7);
    ck_assert_int_eq(fsys_write_all(fd, data, sizeof data), 0);
    ck_assert_int_eq(fsys_close(fd), 0);
    static char back[sizeof data + 1];
    size_t got;
    fd = fsys_open(tpath("w"), O_RDONLY, 0);
    ck_assert_int_eq(fsys_read_full(fd, back, sizeof back, &got), 0);
    ck_assert_uint_eq(got, sizeof data); /* below the cap: end of file */
    ck_assert_int_eq(memcmp(back, data, sizeof data), 0);
    ck_assert_int_eq(fsys_rewind(fd), 0); /* and again from the start */
    ck_assert_int_eq(fsys_read_full(fd, back, 10, &got), 0);
    ck_assert_uint_eq(got, 10);
    ck_assert_int_eq(memcmp(back, data, 10), 0);
    close(fd);
}
END_TEST

START_TEST(parent_dir_split)
{
    static const char *const cases[][2] = {
        {"name", "."}, {"/name", "/"}, {"a/b/name", "a/b"}, {"a/", "a"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *d = fsys_parent_dir(cases[i][0]);
        ck_assert_str_eq(d, cases[i][1]);
        free(d);
    }
    ck_assert_uint_eq(fsys_dir_prefix_len("name"), 0);
    ck_assert_uint_eq(fsys_dir_prefix_len("/name"), 1);
    ck_assert_uint_eq(fsys_dir_prefix_len("a/b/name"), 4);
}
END_TEST

/* ---- temporary files and the program's hooks ---- */

typedef struct hook_log {
    char created[4][512], removed[4][512];
    int n_created, n_removed, refuse;
} hook_log;

static int on_created(void *ctx, const char *path)
{
    hook_log *h = ctx;
    ck_assert_int_lt(h->n_created, 4);
    snprintf(h->created[h->n_created++], sizeof h->created[0], "%s", path);
    return h->refuse ? -1 : 0;
}

static void on_removed(void *ctx, const char *path)
{
    hook_log *h = ctx;
    ck_assert_int_lt(h->n_removed, 4);
    snprintf(h->removed[h->n_removed++], sizeof h->removed[0], "%s", path);
}

START_TEST(temp_commit_is_announced)
{
    hook_log h;
    memset(&h, 0, sizeof h);
    deid_set_temp_hooks(on_created, on_removed, &h);
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", tpath(".t.deid-XXXXXX"));
    int fd = fsys_mkstemp(tmp);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(h.n_created, 1);
    ck_assert_str_eq(h.created[0], tmp);
    ck_assert_int_eq(h.n_removed, 0);
    ck_assert_int_eq(fsys_write_all(fd, "ok", 2), 0);
    const char *step = NULL;
    char target[512];
    snprintf(target, sizeof target, "%s", tpath("t"));
    ck_assert_int_eq(fsys_commit_temp(fd, tmp, target, &step), 0);
    ck_assert_int_eq(h.n_removed, 1);
    ck_assert_str_eq(h.removed[0], tmp);
    struct stat sb;
    ck_assert_int_eq(stat(target, &sb), 0);
    ck_assert_int_eq(sb.st_size, 2);
    ck_assert_int_ne(stat(tmp, &sb), 0);
}
END_TEST

START_TEST(temp_discard_is_announced)
{
    hook_log h;
    memset(&h, 0, sizeof h);
    deid_set_temp_hooks(on_created, on_removed, &h);
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", tpath(".v.deid-vault-save"));
    int fd = fsys_create_temp(tmp);
    ck_assert_int_ge(fd, 0);
    errno = 0;
    ck_assert_int_eq(fsys_create_temp(tmp), -1); /* never two at once */
    ck_assert_int_eq(errno, EEXIST);
    ck_assert_int_eq(h.n_created, 1);
    fsys_discard_temp(fd, tmp);
    ck_assert_int_eq(h.n_removed, 1);
    ck_assert_str_eq(h.removed[0], tmp);
    struct stat sb;
    ck_assert_int_ne(stat(tmp, &sb), 0);
}
END_TEST

/* A program that cannot put the file on its list gets no file: a signal
 * would leave it behind. */
START_TEST(temp_refused_by_the_program_is_not_made)
{
    hook_log h;
    memset(&h, 0, sizeof h);
    h.refuse = 1;
    deid_set_temp_hooks(on_created, on_removed, &h);
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", tpath(".t.deid-XXXXXX"));
    errno = 0;
    ck_assert_int_eq(fsys_mkstemp(tmp), -1);
    ck_assert_int_eq(errno, ENOMEM);
    struct stat sb;
    ck_assert_int_ne(stat(tmp, &sb), 0);
    deid_outfile *of = NULL;
    deid_error e;
    ck_assert_int_eq(deid_outfile_open(tpath("out.csv"), &of, &e), DEID_E_IO);
    ck_assert_ptr_null(of);
    ck_assert_ptr_nonnull(strstr(e.message, "Cannot allocate memory"));
}
END_TEST

START_TEST(outfile_temps_are_announced)
{
    hook_log h;
    memset(&h, 0, sizeof h);
    deid_set_temp_hooks(on_created, on_removed, &h);
    deid_outfile *a = NULL, *b = NULL;
    deid_error e;
    ck_assert_int_eq(deid_outfile_open(tpath("a.csv"), &a, &e), DEID_OK);
    ck_assert_int_eq(deid_outfile_open(tpath("b.csv"), &b, &e), DEID_OK);
    ck_assert_int_eq(h.n_created, 2);
    ck_assert_str_eq(h.created[0], deid_outfile_temp_path(a));
    ck_assert_str_eq(h.created[1], deid_outfile_temp_path(b));
    char tmp_a[512];
    snprintf(tmp_a, sizeof tmp_a, "%s", deid_outfile_temp_path(a));
    ck_assert_int_eq(deid_outfile_commit(a, &e), DEID_OK);
    deid_outfile_abort(b);
    ck_assert_int_eq(h.n_removed, 2);
    ck_assert_str_eq(h.removed[0], tmp_a);
    ck_assert_str_eq(h.removed[1], h.created[1]);
}
END_TEST

Suite *fsys_suite(void); /* called by check_main.c */
Suite *fsys_suite(void)
{
    Suite *s = suite_create("fsys");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, open_regular_reads_a_file);
    tcase_add_test(tc, open_regular_refuses_fifo_at_once);
    tcase_add_test(tc, open_regular_refuses_directory_and_device);
    tcase_add_test(tc, open_regular_errors_keep_errno);
    tcase_add_test(tc, read_small_bounds);
    tcase_add_test(tc, read_small_counts_a_pipe);
    tcase_add_test(tc, write_all_then_read_full);
    tcase_add_test(tc, parent_dir_split);
    tcase_add_test(tc, temp_commit_is_announced);
    tcase_add_test(tc, temp_discard_is_announced);
    tcase_add_test(tc, temp_refused_by_the_program_is_not_made);
    tcase_add_test(tc, outfile_temps_are_announced);
    suite_add_tcase(s, tc);
    return s;
}
