/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_spillbuf.c - memory that moves to a file past the budget
 * (engine/io/spillbuf.c) and the value list built on it (vlist.c): within
 * the budget a buffer is plain memory charged to it; past it the bytes
 * move to a spill file that is 0600, has no name (nothing in the folder,
 * announced made and removed through the temp hooks), keeps every byte
 * through growth and is closed when freed, with the budget given back;
 * a folder where no file can be made is SPILL_EFILE with a message
 * naming the folder, the buffer unchanged.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deid.h"
#include "scratch.h"
#include "spillbuf.h"
#include "vlist.h"

static char tmpdir[64];

static void setup(void)
{
    strcpy(tmpdir, "/tmp/deid_spill_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    deid_set_temp_hooks(NULL, NULL, NULL);
    scratch_remove_tree(tmpdir);
}

/* Entries of tmpdir other than . and .. */
static int entries(void)
{
    DIR *d = opendir(tmpdir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

/* The byte at i of the test pattern (not all zero, not periodic in 256). */
static unsigned char pattern(size_t i)
{
    return (unsigned char)(i * 7 + i / 251 + 1);
}

typedef struct hook_log {
    int created, removed;
} hook_log;

static int on_created(void *ctx, const char *path)
{
    (void)path;
    ((hook_log *)ctx)->created++;
    return 0;
}

static void on_removed(void *ctx, const char *path)
{
    (void)path;
    ((hook_log *)ctx)->removed++;
}

START_TEST(memory_within_budget)
{
    mem_budget b;
    mem_budget_init(&b, 1000);
    spill_area a;
    spill_area_init(&a, &b, tmpdir);
    spill_buf s;
    spill_buf_init(&s, &a);
    ck_assert_int_eq(spill_buf_resize(&s, 100), SPILL_OK);
    ck_assert_int_eq(s.fd, -1);
    ck_assert_uint_eq(mem_budget_used(&b), 100);
    for (size_t i = 0; i < 100; i++) {
        ck_assert_uint_eq(s.data[i], 0); /* zeroed */
        s.data[i] = pattern(i);
    }
    ck_assert_int_eq(spill_buf_resize(&s, 900), SPILL_OK);
    ck_assert_int_eq(s.fd, -1);
    ck_assert_uint_eq(mem_budget_used(&b), 900);
    for (size_t i = 0; i < 900; i++)
        ck_assert_uint_eq(s.data[i], i < 100 ? pattern(i) : 0);
    ck_assert_uint_eq(a.files, 0);
    spill_buf_free(&s);
    ck_assert_uint_eq(mem_budget_used(&b), 0);
    ck_assert_ptr_null(s.data);
}
END_TEST

START_TEST(past_budget_goes_to_an_unnamed_file)
{
    hook_log h = {0, 0};
    deid_set_temp_hooks(on_created, on_removed, &h);
    mem_budget b;
    mem_budget_init(&b, 256);
    spill_area a;
    spill_area_init(&a, &b, tmpdir);
    spill_buf s;
    spill_buf_init(&s, &a);
    ck_assert_int_eq(spill_buf_resize(&s, 200), SPILL_OK);
    for (size_t i = 0; i < 200; i++)
        s.data[i] = pattern(i);
    /* 4096 bytes do not fit in 256: the bytes move to a file, the
     * memory's charge is given back */
    ck_assert_int_eq(spill_buf_resize(&s, 4096), SPILL_OK);
    ck_assert_int_ge(s.fd, 0);
    ck_assert_uint_eq(mem_budget_used(&b), 0);
    ck_assert_uint_eq(a.files, 1);
    ck_assert_uint_eq(a.file_bytes, 4096);
    ck_assert_int_eq(h.created, 1);
    ck_assert_int_eq(h.removed, 1);
    ck_assert_int_eq(entries(), 0); /* unlinked at creation */
    struct stat sb;
    ck_assert_int_eq(fstat(s.fd, &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 0777, 0600);
    ck_assert_uint_eq(sb.st_nlink, 0);
    ck_assert_int_eq(sb.st_size, 4096);
    for (size_t i = 0; i < 4096; i++)
        ck_assert_uint_eq(s.data[i], i < 200 ? pattern(i) : 0);
    /* the bytes are in the file itself (MAP_SHARED), not anonymous memory */
    unsigned char back[200];
    ck_assert_int_eq(pread(s.fd, back, sizeof back, 0), (ssize_t)sizeof back);
    for (size_t i = 0; i < 200; i++)
        ck_assert_uint_eq(back[i], pattern(i));
    /* grows in the file (a second mapping); every byte kept */
    for (size_t i = 0; i < 4096; i++)
        s.data[i] = pattern(i);
    ck_assert_int_eq(spill_buf_resize(&s, 3u << 20), SPILL_OK);
    ck_assert_uint_eq(a.files, 1);
    ck_assert_uint_eq(a.file_bytes, 3u << 20);
    for (size_t i = 0; i < (3u << 20); i++)
        if (s.data[i] != (i < 4096 ? pattern(i) : 0))
            ck_abort_msg("byte %zu changed after growing in the file", i);
    int fd = s.fd;
    spill_buf_free(&s);
    ck_assert_int_eq(fcntl(fd, F_GETFD), -1); /* closed */
    ck_assert_int_eq(errno, EBADF);
    ck_assert_uint_eq(a.file_bytes, 0);
    ck_assert_uint_eq(a.peak_file_bytes, 3u << 20);
    ck_assert_int_eq(s.fd, -1);
    ck_assert_int_eq(entries(), 0);
}
END_TEST

/* A ceiling below the limit: the buffer spills once the budget's use
 * would pass it, leaving the rest of the budget to others. */
START_TEST(ceiling_leaves_room)
{
    mem_budget b;
    mem_budget_init(&b, 1000);
    spill_area a;
    spill_area_init(&a, &b, tmpdir);
    spill_area_set_ceiling(&a, 500);
    spill_buf s;
    spill_buf_init(&s, &a);
    ck_assert_int_eq(spill_buf_resize(&s, 400), SPILL_OK);
    ck_assert_int_eq(s.fd, -1);
    ck_assert_uint_eq(mem_budget_used(&b), 400);
    ck_assert_int_eq(spill_buf_resize(&s, 600), SPILL_OK); /* within 1000, past 500 */
    ck_assert_int_ne(s.fd, -1);
    ck_assert_uint_eq(mem_budget_used(&b), 0);
    ck_assert_int_eq(mem_budget_charge(&b, 1000), 0); /* all of it left to others */
    mem_budget_release(&b, 1000);
    spill_buf_free(&s);
}
END_TEST

START_TEST(unwritable_folder_fails_and_keeps_the_buffer)
{
    mem_budget b;
    mem_budget_init(&b, 64);
    spill_area a;
    char missing[128];
    snprintf(missing, sizeof missing, "%s/no-such-folder", tmpdir);
    spill_area_init(&a, &b, missing);
    spill_buf s;
    spill_buf_init(&s, &a);
    ck_assert_int_eq(spill_buf_resize(&s, 50), SPILL_OK);
    memcpy(s.data, "kept", 4);
    ck_assert_int_eq(spill_buf_resize(&s, 1000), SPILL_EFILE);
    ck_assert_int_eq(a.file_errno, ENOENT);
    ck_assert_uint_eq(s.size, 50);
    ck_assert_int_eq(s.fd, -1);
    ck_assert_mem_eq(s.data, "kept", 4);
    ck_assert_uint_eq(mem_budget_used(&b), 50);
    deid_error err;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(spill_area_error(&a, SPILL_EFILE, &err), DEID_E_IO);
    ck_assert_ptr_nonnull(strstr(err.message, missing));
    ck_assert_ptr_nonnull(strstr(err.message, "No such file or directory"));
    ck_assert_ptr_nonnull(strstr(err.message, "64 bytes"));
    spill_buf_free(&s);
    ck_assert_uint_eq(mem_budget_used(&b), 0);
    ck_assert_int_eq(spill_area_error(&a, SPILL_ENOMEM, &err), DEID_E_IO);
    ck_assert_str_eq(err.message, "out of memory");
}
END_TEST

START_TEST(array_runs_stop_at_the_first_failure)
{
    spill_buf buf[2];
    spill_bufs_init(buf, 2, NULL); /* no area: plain memory, never spills */
    int rc = SPILL_OK;
    size_t *x = spill_buf_take(&buf[0], 0, sizeof *x, &rc);
    ck_assert_ptr_nonnull(x); /* 0 elements: still a pointer */
    ck_assert_ptr_null(spill_buf_take(&buf[1], SIZE_MAX / 4, 8, &rc));
    ck_assert_int_eq(rc, SPILL_ENOMEM);
    ck_assert_ptr_null(spill_buf_take(&buf[1], 1, 1, &rc)); /* the run stopped */
    spill_bufs_free(buf, 2);
    /* a zeroed buffer (fd 0 in it) frees as an empty one: descriptor 0 stays */
    spill_buf z;
    memset(&z, 0, sizeof z);
    spill_buf_free(&z);
    ck_assert_int_ne(fcntl(0, F_GETFD), -1);
    ck_assert_int_eq(z.fd, -1);
}
END_TEST

START_TEST(vlist_spills_and_reads_back)
{
    mem_budget b;
    mem_budget_init(&b, 512);
    spill_area a;
    spill_area_init(&a, &b, tmpdir);
    vlist v;
    vlist_init(&v, &a);
    /* 20000 values "v<i>" of 2..6 bytes plus 8 bytes of end each: far
     * past 512 bytes */
    char text[16];
    for (int i = 0; i < 20000; i++) {
        int len = snprintf(text, sizeof text, "v%d", i);
        ck_assert_int_eq(vlist_add(&v, text, (size_t)len), VLIST_OK);
    }
    ck_assert_int_eq(vlist_add(&v, "", 0), VLIST_OK);
    ck_assert_uint_eq(v.n, 20001);
    ck_assert_uint_ge(a.files, 2); /* both arenas went to files */
    for (int i = 0; i < 20000; i++) {
        int len = snprintf(text, sizeof text, "v%d", i);
        xf_value x = vlist_get(&v, (size_t)i);
        ck_assert_uint_eq(x.len, (size_t)len);
        ck_assert_mem_eq(x.data, text, (size_t)len);
    }
    ck_assert_uint_eq(vlist_get(&v, 20000).len, 0);
    ck_assert_int_eq(entries(), 0);
    vlist_wipe(&v);
    ck_assert_uint_eq(mem_budget_used(&b), 0);
    ck_assert_uint_eq(a.file_bytes, 0);
    ck_assert_uint_eq(v.n, 0);
}
END_TEST

Suite *spillbuf_suite(void); /* called by check_main.c */
Suite *spillbuf_suite(void)
{
    Suite *s = suite_create("spillbuf");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, memory_within_budget);
    tcase_add_test(tc, ceiling_leaves_room);
    tcase_add_test(tc, past_budget_goes_to_an_unnamed_file);
    tcase_add_test(tc, unwritable_folder_fails_and_keeps_the_buffer);
    tcase_add_test(tc, array_runs_stop_at_the_first_failure);
    tcase_add_test(tc, vlist_spills_and_reads_back);
    suite_add_tcase(s, tc);
    return s;
}
