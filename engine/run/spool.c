/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spool.c - a temporary file of CSV records between two passes (spool.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_out.h"
#include "deid_limits.h"
#include "err.h"
#include "fsys.h"
#include "spool.h"

#define SPOOL_FLUSH (1u << 20)
#define SPOOL_DELIMITER ','

struct spool {
    int fd;
    dbuf buf;
    uint64_t written, read;
    csv_in *reader;
};

char *spool_dir_for(const char *tmpdir)
{
    const char *tmp = tmpdir ? tmpdir : getenv("TMPDIR");
    return strdup(tmp && *tmp ? tmp : "/tmp");
}

deid_status spool_open(const char *dir, spool **out, deid_error *err)
{
    *out = NULL;
    spool *s = calloc(1, sizeof *s);
    size_t n = strlen(dir) + 32;
    char *path = malloc(n);
    if (!s || !path) {
        free(s);
        free(path);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    snprintf(path, n, "%s/deid-spool.XXXXXX", dir);
    s->fd = fsys_open_unnamed_temp(path);
    int e = errno;
    free(path);
    if (s->fd < 0) {
        free(s);
        return err_set(err, DEID_E_IO, "cannot create a spool file in %s: %s", dir, strerror(e));
    }
    dbuf_init(&s->buf, DEID_MAX_PENDING_OUTPUT);
    *out = s;
    return DEID_OK;
}

void spool_free(spool *s)
{
    if (!s)
        return;
    fsys_close(s->fd);
    dbuf_wipe(&s->buf);
    csv_in_free(s->reader);
    free(s);
}

deid_status spool_flush(spool *s, deid_error *err)
{
    deid_status st = DEID_OK;
    if (s->buf.len && fsys_write_all(s->fd, s->buf.data, s->buf.len))
        st = err_set(err, DEID_E_IO, "cannot write the spool file: %s", strerror(errno));
    s->written += s->buf.len;
    /* transformed personal data: wipe the buffer, not just reuse it */
    if (s->buf.data)
        memset(s->buf.data, 0, s->buf.len);
    dbuf_reset(&s->buf);
    return st;
}

deid_status spool_put(spool *s, const xf_value *values, size_t n, deid_error *err)
{
    if (csv_out_record(&s->buf, SPOOL_DELIMITER, values, n))
        return err_set(err, DEID_E_IO, "out of memory");
    return s->buf.len >= SPOOL_FLUSH ? spool_flush(s, err) : DEID_OK;
}

deid_status spool_rewind(spool *s, deid_error *err)
{
    deid_status st = spool_flush(s, err);
    if (st)
        return st;
    if (fsys_rewind(s->fd) != 0)
        return err_set(err, DEID_E_IO, "cannot rewind the spool file: %s", strerror(errno));
    s->read = 0;
    return DEID_OK;
}

deid_status spool_replay_some(spool *s, csv_in_record_fn fn, void *ctx, int *done,
                              deid_error *err)
{
    *done = 0;
    if (!s->reader && !(s->reader = csv_in_new(SPOOL_DELIMITER, fn, ctx)))
        return err_set(err, DEID_E_IO, "out of memory");
    char buf[1 << 16];
    deid_status st = DEID_OK;
    ssize_t k = fsys_read(s->fd, buf, sizeof buf);
    if (k < 0) {
        st = err_set(err, DEID_E_IO, "cannot read the spool file: %s", strerror(errno));
    } else if (k > 0) {
        s->read += (uint64_t)k;
        st = csv_in_feed(s->reader, buf, (size_t)k, err);
        memset(buf, 0, (size_t)k);
    } else if (s->read != s->written) {
        st = err_set(err, DEID_E_IO, "the spool file is damaged");
    } else if (!(st = csv_in_finish(s->reader, err))) {
        *done = 1;
    }
    return st;
}

uint64_t spool_bytes(const spool *s)
{
    return s->written;
}

uint64_t spool_bytes_read(const spool *s)
{
    return s->read;
}
