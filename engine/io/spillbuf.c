/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spillbuf.c - memory that moves to a mapped temporary file past the
 * budget (spillbuf.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "err.h"
#include "fsys.h"
#include "spillbuf.h"

void spill_area_init(spill_area *a, mem_budget *b, const char *dir)
{
    memset(a, 0, sizeof *a);
    a->budget = b;
    a->ceiling = SIZE_MAX;
    a->dir = dir;
}

void spill_area_set_ceiling(spill_area *a, size_t ceiling)
{
    a->ceiling = ceiling;
}

void spill_buf_init(spill_buf *b, spill_area *a)
{
    memset(b, 0, sizeof *b);
    b->fd = -1;
    b->area = a;
}

static mem_budget *budget_of(const spill_buf *b)
{
    return b->area ? b->area->budget : NULL;
}

/* A new spill file of size bytes, mapped; the data moves there from memory. */
static int move_to_file(spill_buf *b, size_t size)
{
    spill_area *a = b->area;
    if (!a || !a->dir) {
        if (a)
            a->file_errno = ENOMEM;
        return SPILL_ENOMEM;
    }
    size_t n = strlen(a->dir) + 32;
    char *path = malloc(n);
    if (!path)
        return SPILL_ENOMEM;
    snprintf(path, n, "%s/deid-spill.XXXXXX", a->dir);
    int fd = fsys_open_unnamed_temp(path);
    int e = errno;
    free(path);
    void *p = NULL;
    if (fd >= 0 && fsys_reserve(fd, size) == 0)
        p = fsys_map_shared(fd, size);
    if (!p) {
        e = fd >= 0 ? errno : e;
        if (fd >= 0)
            fsys_close(fd);
        a->file_errno = e;
        return SPILL_EFILE;
    }
    size_t keep = b->size < size ? b->size : size;
    if (keep)
        memcpy(p, b->data, keep);
    if (b->data) {
        OPENSSL_cleanse(b->data, b->size); /* it may hold personal data */
        free(b->data);
    }
    mem_budget_release(budget_of(b), b->charged);
    b->charged = 0;
    b->data = p;
    b->size = size;
    b->fd = fd;
    a->files++;
    a->file_bytes += size;
    if (a->file_bytes > a->peak_file_bytes)
        a->peak_file_bytes = a->file_bytes;
    return SPILL_OK;
}

/* Resizes the spill file and maps it again (the new mapping is made
 * before the old one goes, so a failure leaves the buffer as it was). */
static int resize_file(spill_buf *b, size_t size)
{
    spill_area *a = b->area;
    if (size > b->size && fsys_reserve(b->fd, size) != 0) {
        a->file_errno = errno;
        return SPILL_EFILE;
    }
    void *p = fsys_map_shared(b->fd, size);
    if (!p) {
        a->file_errno = errno;
        return SPILL_EFILE;
    }
    if (size < b->size) /* zero, so that growing again reads zeros even if the cut fails */
        OPENSSL_cleanse(b->data + size, b->size - size);
    fsys_unmap(b->data, b->size);
    if (size < b->size)
        fsys_truncate(b->fd, size); /* best effort: the bytes past size are zero */
    a->file_bytes = a->file_bytes - b->size + size;
    if (a->file_bytes > a->peak_file_bytes)
        a->peak_file_bytes = a->file_bytes;
    b->data = p;
    b->size = size;
    return SPILL_OK;
}

int spill_buf_resize(spill_buf *b, size_t size)
{
    if (size == b->size)
        return SPILL_OK;
    if (size == 0) {
        spill_buf_free(b);
        return SPILL_OK;
    }
    if (b->fd >= 0)
        return resize_file(b, size);
    mem_budget *budget = budget_of(b);
    if (size > b->charged &&
        mem_budget_charge_below(budget, size - b->charged, b->area ? b->area->ceiling : SIZE_MAX))
        return move_to_file(b, size);
    /* a new block rather than realloc: the old one is wiped before it is freed */
    unsigned char *p = malloc(size);
    if (p && b->size) {
        memcpy(p, b->data, b->size < size ? b->size : size);
        OPENSSL_cleanse(b->data, b->size);
        free(b->data);
    }
    if (!p) {
        if (size > b->charged)
            mem_budget_release(budget, size - b->charged);
        return size > b->size ? move_to_file(b, size) : SPILL_ENOMEM;
    }
    if (size > b->size)
        memset(p + b->size, 0, size - b->size);
    if (size < b->charged)
        mem_budget_release(budget, b->charged - size);
    b->charged = size;
    b->data = p;
    b->size = size;
    return SPILL_OK;
}

void spill_buf_free(spill_buf *b)
{
    /* data tells the cases apart (a file-backed buffer is never empty),
     * so that a zeroed (calloc'd) buffer frees as an empty one */
    if (b->data && b->fd >= 0) {
        fsys_unmap(b->data, b->size);
        fsys_truncate(b->fd, 0);
        fsys_close(b->fd);
        b->area->file_bytes -= b->size;
    } else if (b->data) {
        OPENSSL_cleanse(b->data, b->size);
        free(b->data);
        mem_budget_release(budget_of(b), b->charged);
    }
    spill_buf_init(b, b->area);
}

void *spill_buf_take(spill_buf *b, size_t count, size_t elem, int *rc)
{
    if (*rc)
        return NULL;
    if (elem && count > SIZE_MAX / elem) {
        *rc = SPILL_ENOMEM;
        return NULL;
    }
    size_t size = count * elem;
    *rc = spill_buf_resize(b, size ? size : 1);
    return *rc ? NULL : b->data;
}

void *spill_buf_array(spill_buf *b, spill_area *a, size_t count, size_t elem, int *rc)
{
    spill_buf_init(b, a);
    *rc = SPILL_OK;
    return spill_buf_take(b, count, elem, rc);
}

void spill_bufs_init(spill_buf *b, size_t n, spill_area *a)
{
    for (size_t i = 0; i < n; i++)
        spill_buf_init(&b[i], a);
}

void spill_bufs_free(spill_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        spill_buf_free(&b[i]);
}

deid_status spill_area_error(const spill_area *a, int rc, deid_error *err)
{
    if (rc != SPILL_EFILE || !a)
        return err_set(err, DEID_E_IO, "out of memory");
    char size[32];
    mem_budget_format(a->budget ? a->budget->limit : 0, size, sizeof size);
    if (a->file_errno == EMFILE || a->file_errno == ENFILE)
        return err_set(err, DEID_E_IO,
                       "the memory budget of %s is full and the spill files of the two-pass "
                       "techniques reached the limit of open files (%s); raise it (ulimit -n) "
                       "or --memory",
                       size, strerror(a->file_errno));
    return err_set(err, DEID_E_IO,
                   "the memory budget of %s is full and a spill file for a two-pass technique "
                   "cannot be made or grown in %s: %s; give TMPDIR a writable folder with room, "
                   "or raise --memory",
                   size, a->dir ? a->dir : "(no folder)", strerror(a->file_errno));
}
