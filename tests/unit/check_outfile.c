/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_outfile.c - output that appears only when complete: open makes a
 * hidden mode-0600 temporary file beside the target, commit renames it
 * into place (replacing an old target), abort removes it, and nothing is
 * left behind either way. Each test works in its own mkdtemp folder and
 * lists it with opendir to prove what is there.
 */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deid.h"
#include "scratch.h"

static char tmpdir[64];
static char pathbuf[512];

static void setup(void)
{
    strcpy(tmpdir, "/tmp/deid_outfile_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    scratch_remove_tree(tmpdir);
}

static const char *tpath(const char *name)
{
    snprintf(pathbuf, sizeof pathbuf, "%s/%s", tmpdir, name);
    return pathbuf;
}

/* Lists the temp folder: returns the number of entries (without . and
 * ..) and copies the first entry's name into first (if not NULL). */
static int list_dir(char *first, size_t size)
{
    DIR *d = opendir(tmpdir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (n == 0 && first)
            snprintf(first, size, "%s", de->d_name);
        n++;
    }
    closedir(d);
    return n;
}

/* Reads the whole file at path into buf (NUL-terminated); returns its length. */
static size_t read_file(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    ssize_t n = read(fd, buf, size - 1);
    ck_assert_int_ge(n, 0);
    buf[n] = '\0';
    close(fd);
    return (size_t)n;
}

static void write_all(int fd, const char *s)
{
    ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

START_TEST(test_open_makes_hidden_temp)
{
    char target[512];
    snprintf(target, sizeof target, "%s", tpath("out.csv"));
    deid_outfile *of = NULL;
    deid_error err;
    ck_assert_int_eq(deid_outfile_open(target, &of, &err), DEID_OK);
    ck_assert_ptr_nonnull(of);
    int fd = deid_outfile_fd(of);
    ck_assert_int_ge(fd, 0);

    /* exactly one entry, hidden, named after the target, mode 0600 */
    char name[256] = "";
    ck_assert_int_eq(list_dir(name, sizeof name), 1);
    ck_assert_int_eq(strncmp(name, ".out.csv.deid-", strlen(".out.csv.deid-")), 0);
    ck_assert_uint_eq(strlen(name), strlen(".out.csv.deid-XXXXXX"));
    struct stat sb;
    ck_assert_int_eq(stat(tpath(name), &sb), 0);
    ck_assert(S_ISREG(sb.st_mode));
    ck_assert_uint_eq(sb.st_mode & 07777, 0600);
    ck_assert_int_ne(access(target, F_OK), 0); /* no target yet */

    /* the descriptor writes to that temporary file */
    write_all(fd, "a,b\n");
    char got[64];
    ck_assert_uint_eq(read_file(tpath(name), got, sizeof got), 4);
    ck_assert_str_eq(got, "a,b\n");
    deid_outfile_abort(of);
}
END_TEST

START_TEST(test_commit)
{
    char target[512];
    snprintf(target, sizeof target, "%s", tpath("out.csv"));
    deid_outfile *of = NULL;
    deid_error err;
    ck_assert_int_eq(deid_outfile_open(target, &of, &err), DEID_OK);
    write_all(deid_outfile_fd(of), "name,age\n");
    write_all(deid_outfile_fd(of), "\xED\x99\x8D**,30-39\n");
    ck_assert_int_ne(access(target, F_OK), 0);
    ck_assert_int_eq(deid_outfile_commit(of, &err), DEID_OK);

    char name[256] = "";
    ck_assert_int_eq(list_dir(name, sizeof name), 1); /* no temp left */
    ck_assert_str_eq(name, "out.csv");
    char got[64];
    read_file(target, got, sizeof got);
    ck_assert_str_eq(got, "name,age\n\xED\x99\x8D**,30-39\n");
    struct stat sb;
    ck_assert_int_eq(stat(target, &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 07777, 0600);
}
END_TEST

/* deid_outfile_set_mode: the committed file has exactly the bits asked
 * for (whatever the umask), bits beyond 0777 are refused. */
START_TEST(test_set_mode)
{
    char target[512];
    snprintf(target, sizeof target, "%s", tpath("shared.csv"));
    deid_outfile *of = NULL;
    deid_error err;
    ck_assert_int_eq(deid_outfile_open(target, &of, &err), DEID_OK);
    ck_assert_int_eq(deid_outfile_set_mode(of, 04755, &err), DEID_E_USAGE);
    mode_t old = umask(077);
    ck_assert_int_eq(deid_outfile_set_mode(of, 0644, &err), DEID_OK);
    umask(old);
    write_all(deid_outfile_fd(of), "a\n");
    ck_assert_int_eq(deid_outfile_commit(of, &err), DEID_OK);
    struct stat sb;
    ck_assert_int_eq(stat(target, &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 07777, 0644);
}
END_TEST

START_TEST(test_commit_empty)
{
    char target[512];
    snprintf(target, sizeof target, "%s", tpath("empty.csv"));
    deid_outfile *of = NULL;
    ck_assert_int_eq(deid_outfile_open(target, &of, NULL), DEID_OK);
    ck_assert_int_eq(deid_outfile_commit(of, NULL), DEID_OK);
    struct stat sb;
    ck_assert_int_eq(stat(target, &sb), 0);
    ck_assert_int_eq(sb.st_size, 0);
    ck_assert_int_eq(list_dir(NULL, 0), 1);
}
END_TEST

START_TEST(test_abort)
{
    char target[512];
    snprintf(target, sizeof target, "%s", tpath("out.csv"));
    deid_outfile *of = NULL;
    deid_error err;
    ck_assert_int_eq(deid_outfile_open(target, &of, &err), DEID_OK);
    write_all(deid_outfile_fd(of), "partial");
    deid_outfile_abort(of);
    ck_assert_int_eq(list_dir(NULL, 0), 0);
    ck_assert_int_ne(access(target, F_OK), 0);
    deid_outfile_abort(NULL); /* harmless */
}
END_TEST

START_TEST(test_abort_keeps_old_target)
{
    char target[512];
    snprintf(target, sizeof target, "%s", tpath("out.csv"));
    int fd = open(target, O_WRONLY | O_CREAT | O_EXCL, 0644);
    ck_assert_int_ge(fd, 0);
    write_all(fd, "old\n");
    close(fd);
    deid_outfile *of = NULL;
    ck_assert_int_eq(deid_outfile_open(target, &of, NULL), DEID_OK);
    ck_assert_int_eq(list_dir(NULL, 0), 2);
    write_all(deid_outfile_fd(of), "new\n");
    deid_outfile_abort(of);
    char name[256] = "";
    ck_assert_int_eq(list_dir(name, sizeof name), 1);
    ck_assert_str_eq(name, "out.csv");
    char got[64];
    read_file(target, got, sizeof got);
    ck_assert_str_eq(got, "old\n");
}
END_TEST

START_TEST(test_commit_replaces_target)
{
    char target[512];
    snprintf(target, sizeof target, "%s", tpath("out.csv"));
    int fd = open(target, O_WRONLY | O_CREAT | O_EXCL, 0644);
    ck_assert_int_ge(fd, 0);
    write_all(fd, "an older and longer content\n");
    close(fd);
    deid_outfile *of = NULL;
    deid_error err;
    ck_assert_int_eq(deid_outfile_open(target, &of, &err), DEID_OK);
    write_all(deid_outfile_fd(of), "new\n");
    ck_assert_int_eq(deid_outfile_commit(of, &err), DEID_OK);
    char name[256] = "";
    ck_assert_int_eq(list_dir(name, sizeof name), 1);
    ck_assert_str_eq(name, "out.csv");
    char got[64];
    read_file(target, got, sizeof got);
    ck_assert_str_eq(got, "new\n");
    /* the new file, with its 0600 mode, not the old 0644 one */
    struct stat sb;
    ck_assert_int_eq(stat(target, &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 07777, 0600);
}
END_TEST

START_TEST(test_two_at_once)
{
    /* two outputs for the same target do not share a temporary file */
    char target[512];
    snprintf(target, sizeof target, "%s", tpath("t"));
    deid_outfile *a = NULL, *b = NULL;
    ck_assert_int_eq(deid_outfile_open(target, &a, NULL), DEID_OK);
    ck_assert_int_eq(deid_outfile_open(target, &b, NULL), DEID_OK);
    ck_assert_int_eq(list_dir(NULL, 0), 2);
    write_all(deid_outfile_fd(a), "A");
    write_all(deid_outfile_fd(b), "B");
    ck_assert_int_eq(deid_outfile_commit(a, NULL), DEID_OK);
    deid_outfile_abort(b);
    char got[8];
    read_file(target, got, sizeof got);
    ck_assert_str_eq(got, "A");
    ck_assert_int_eq(list_dir(NULL, 0), 1);
}
END_TEST

START_TEST(test_relative_path)
{
    /* a bare file name: the temporary file goes in the current folder */
    int cwd = open(".", O_RDONLY | O_DIRECTORY);
    ck_assert_int_ge(cwd, 0);
    ck_assert_int_eq(chdir(tmpdir), 0);
    deid_outfile *of = NULL;
    deid_status st = deid_outfile_open("rel.csv", &of, NULL);
    char name[256] = "";
    int n = list_dir(name, sizeof name);
    if (st == DEID_OK) {
        write_all(deid_outfile_fd(of), "x");
        st = deid_outfile_commit(of, NULL);
    }
    int n_after = list_dir(NULL, 0);
    struct stat sb;
    int have = stat("rel.csv", &sb);
    ck_assert_int_eq(fchdir(cwd), 0);
    close(cwd);
    ck_assert_int_eq(st, DEID_OK);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(strncmp(name, ".rel.csv.deid-", strlen(".rel.csv.deid-")), 0);
    ck_assert_int_eq(n_after, 1);
    ck_assert_int_eq(have, 0);
    ck_assert_int_eq(sb.st_size, 1);
}
END_TEST

START_TEST(test_missing_directory)
{
    char target[512];
    snprintf(target, sizeof target, "%s", tpath("no/such/out.csv"));
    deid_outfile *of = (deid_outfile *)&of; /* must be reset to NULL */
    deid_error err;
    ck_assert_int_eq(deid_outfile_open(target, &of, &err), DEID_E_IO);
    ck_assert_ptr_null(of);
    ck_assert_int_eq(err.status, DEID_E_IO);
    char want[700];
    snprintf(want, sizeof want,
             "cannot create a temporary file beside %s: No such file or directory", target);
    ck_assert_str_eq(err.message, want);
    ck_assert_int_eq(list_dir(NULL, 0), 0);
    /* NULL err is allowed */
    ck_assert_int_eq(deid_outfile_open(target, &of, NULL), DEID_E_IO);
}
END_TEST

START_TEST(test_commit_into_removed_directory)
{
    /* the folder disappears while the output is written: commit fails
     * with DEID_E_IO and frees everything */
    ck_assert_int_eq(mkdir(tpath("sub"), 0700), 0);
    char target[512];
    snprintf(target, sizeof target, "%s", tpath("sub/out.csv"));
    deid_outfile *of = NULL;
    deid_error err;
    ck_assert_int_eq(deid_outfile_open(target, &of, &err), DEID_OK);
    /* replace the folder: the temporary file vanishes with the old one */
    char sub[512];
    snprintf(sub, sizeof sub, "%s", tpath("sub"));
    char gone[512];
    snprintf(gone, sizeof gone, "%s", tpath("gone"));
    ck_assert_int_eq(rename(sub, gone), 0);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    ck_assert_int_eq(deid_outfile_commit(of, &err), DEID_E_IO);
    ck_assert_int_eq(err.status, DEID_E_IO);
    ck_assert_ptr_nonnull(strstr(err.message, "cannot rename the output into place as "));
    ck_assert_int_ne(access(target, F_OK), 0);
}
END_TEST

START_TEST(test_fifo_target_written_directly)
{
    /* a FIFO (like /dev/stdout on a pipe) is written in place: no
     * temporary file, and commit leaves the FIFO a FIFO */
    char fifo[512];
    snprintf(fifo, sizeof fifo, "%s", tpath("pipe"));
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    int rd = open(fifo, O_RDONLY | O_NONBLOCK);
    ck_assert_int_ge(rd, 0);
    deid_outfile *of = NULL;
    deid_error err;
    ck_assert_int_eq(deid_outfile_open(fifo, &of, &err), DEID_OK);
    ck_assert_ptr_null(deid_outfile_temp_path(of));
    ck_assert_int_eq(list_dir(NULL, 0), 1); /* only the FIFO */
    write_all(deid_outfile_fd(of), "a,b\n");
    ck_assert_int_eq(deid_outfile_commit(of, &err), DEID_OK);
    char got[16] = "";
    ck_assert_int_eq(read(rd, got, sizeof got - 1), 4);
    ck_assert_str_eq(got, "a,b\n");
    close(rd);
    struct stat sb;
    ck_assert_int_eq(lstat(fifo, &sb), 0);
    ck_assert(S_ISFIFO(sb.st_mode));
    ck_assert_int_eq(list_dir(NULL, 0), 1);
}
END_TEST

START_TEST(test_symlink_to_device_kept)
{
    /* -o /dev/stdout is a symlink to a non-regular file: it is written
     * through, and neither the link nor the device is replaced */
    char link[512];
    snprintf(link, sizeof link, "%s", tpath("null-link"));
    ck_assert_int_eq(symlink("/dev/null", link), 0);
    deid_outfile *of = NULL;
    ck_assert_int_eq(deid_outfile_open(link, &of, NULL), DEID_OK);
    write_all(deid_outfile_fd(of), "gone\n");
    deid_outfile_abort(of); /* abort of a direct target removes nothing */
    ck_assert_int_eq(deid_outfile_open(link, &of, NULL), DEID_OK);
    ck_assert_int_eq(deid_outfile_commit(of, NULL), DEID_OK);
    struct stat sb;
    ck_assert_int_eq(lstat(link, &sb), 0);
    ck_assert(S_ISLNK(sb.st_mode));
    ck_assert_int_eq(stat("/dev/null", &sb), 0);
    ck_assert(S_ISCHR(sb.st_mode));
    ck_assert_int_eq(list_dir(NULL, 0), 1);
}
END_TEST

START_TEST(test_proc_fd_alias_written_directly)
{
    /* /proc/self/fd/N (what /dev/stdout points to) is an alias of an open
     * file: written through, not replaced by a renamed temporary file */
    char target[512];
    snprintf(target, sizeof target, "%s", tpath("shell-redirect"));
    int fd = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    write_all(fd, "head\n"); /* what the shell wrote before: kept */
    char alias[64];
    snprintf(alias, sizeof alias, "/proc/self/fd/%d", fd);
    deid_outfile *of = NULL;
    ck_assert_int_eq(deid_outfile_open(alias, &of, NULL), DEID_OK);
    ck_assert_ptr_null(deid_outfile_temp_path(of));
    write_all(deid_outfile_fd(of), "x,y\n");
    ck_assert_int_eq(deid_outfile_commit(of, NULL), DEID_OK);
    close(fd);
    char got[16];
    read_file(target, got, sizeof got);
    ck_assert_str_eq(got, "head\nx,y\n");
    ck_assert_int_eq(list_dir(NULL, 0), 1);
}
END_TEST

START_TEST(test_directory_target_refused)
{
    /* a folder as the target fails at open, before any data is written */
    char dir[512];
    snprintf(dir, sizeof dir, "%s", tpath("folder"));
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    deid_outfile *of = (deid_outfile *)1;
    deid_error err;
    ck_assert_int_eq(deid_outfile_open(dir, &of, &err), DEID_E_IO);
    ck_assert_ptr_null(of);
    ck_assert_ptr_nonnull(strstr(err.message, "Is a directory"));
    ck_assert_int_eq(list_dir(NULL, 0), 1);
}
END_TEST

Suite *outfile_suite(void); /* called by check_main.c */
Suite *outfile_suite(void)
{
    Suite *s = suite_create("outfile");
    TCase *tc = tcase_create("outfile");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_open_makes_hidden_temp);
    tcase_add_test(tc, test_commit);
    tcase_add_test(tc, test_set_mode);
    tcase_add_test(tc, test_commit_empty);
    tcase_add_test(tc, test_abort);
    tcase_add_test(tc, test_abort_keeps_old_target);
    tcase_add_test(tc, test_commit_replaces_target);
    tcase_add_test(tc, test_two_at_once);
    tcase_add_test(tc, test_relative_path);
    tcase_add_test(tc, test_missing_directory);
    tcase_add_test(tc, test_commit_into_removed_directory);
    tcase_add_test(tc, test_fifo_target_written_directly);
    tcase_add_test(tc, test_symlink_to_device_kept);
    tcase_add_test(tc, test_directory_target_refused);
    tcase_add_test(tc, test_proc_fd_alias_written_directly);
    suite_add_tcase(s, tc);
    return s;
}
