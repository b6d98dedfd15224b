/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gz.c - gzip through zlib (see gz.h). Inflation accepts several members
 * one after another, as parallel gzip writers (pigz, `cat a.gz b.gz`)
 * produce them; errors name the compressed byte offset so that a damaged
 * file can be looked at.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#include "err.h"
#include "gz.h"

#define GZ_WINDOW_BITS (15 + 16) /* 32 KiB window, gzip wrapper only */
#define GZ_OUT_CHUNK 65536u      /* largest piece handed to the sink */
#define GZ_DEFLATE_CHUNK 65536u  /* output room reserved per deflate call */

int gz_is_gzip(const void *data, size_t len)
{
    const unsigned char *d = data;
    return len >= 2 && d[0] == 0x1f && d[1] == 0x8b;
}

/* zlib's allocations go through our malloc and free rather than zlib's own
 * calls inside libz, so the allocation-failure test (tests/fault) reaches
 * them too; zlib passes items and size separately, calloc checks the
 * product for overflow. */
static voidpf gz_alloc(voidpf opaque, uInt items, uInt size)
{
    (void)opaque;
    return calloc(items, size);
}

static void gz_free(voidpf opaque, voidpf p)
{
    (void)opaque;
    free(p);
}

/* ---- inflate ------------------------------------------------------------ */

struct gz_inflater {
    z_stream s;
    int in_member;               /* a member has begun and its end not been seen */
    deid_status failed;          /* sticky until gz_inflate_finish */
    unsigned long long offset;   /* compressed bytes consumed in this stream */
    unsigned char out[GZ_OUT_CHUNK];
};

gz_inflater *gz_inflater_new(void)
{
    gz_inflater *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    z->s.zalloc = gz_alloc;
    z->s.zfree = gz_free;
    if (inflateInit2(&z->s, GZ_WINDOW_BITS) != Z_OK) {
        free(z);
        return NULL;
    }
    return z;
}

void gz_inflater_free(gz_inflater *z)
{
    if (!z)
        return;
    inflateEnd(&z->s);
    free(z);
}

/* Remembers that this stream is broken; returns st. */
static deid_status inflate_fail(gz_inflater *z, deid_status st)
{
    z->failed = st;
    return st;
}

deid_status gz_inflate_some(gz_inflater *z, const void *data, size_t len, size_t out_limit,
                            size_t *used, gz_sink_fn sink, void *ctx, deid_error *err)
{
    *used = 0;
    if (z->failed != DEID_OK)
        return err_set(err, z->failed, "gzip input abandoned after an earlier error");
    const unsigned char *p = data;
    size_t produced = 0;
    while (len > 0 && produced < out_limit) {
        if (!z->in_member) {
            /* Another member follows the end of the previous one. */
            if (inflateReset(&z->s) != Z_OK)
                return inflate_fail(z, err_set(err, DEID_E_IO, "zlib inflateReset failed"));
            z->in_member = 1;
        }
        uInt avail = len > UINT_MAX ? UINT_MAX : (uInt)len;
        z->s.next_in = (Bytef *)(uintptr_t)p; /* zlib's API is not const */
        z->s.avail_in = avail;
        int rc;
        for (;;) {
            z->s.next_out = z->out;
            z->s.avail_out = GZ_OUT_CHUNK;
            uInt before = z->s.avail_in;
            rc = inflate(&z->s, Z_NO_FLUSH);
            z->offset += before - z->s.avail_in;
            if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT)
                return inflate_fail(z, err_set(err, DEID_E_DATA,
                                               "corrupt gzip data at byte %llu (%s)", z->offset,
                                               z->s.msg ? z->s.msg : "bad data"));
            if (rc == Z_MEM_ERROR)
                return inflate_fail(z, err_set(err, DEID_E_IO, "out of memory in gzip"));
            if (rc == Z_STREAM_ERROR)
                return inflate_fail(z, err_set(err, DEID_E_IO, "zlib stream error"));
            size_t have = GZ_OUT_CHUNK - z->s.avail_out;
            if (have) {
                produced += have;
                deid_status st = sink(ctx, z->out, have, err);
                if (st != DEID_OK)
                    return inflate_fail(z, st); /* the sink filled err */
            }
            if (rc == Z_STREAM_END)
                break;
            /* inflate only leaves output room when it has used all input. */
            if (z->s.avail_out != 0)
                break;
            /* Past the limit with input left: zlib keeps its place (even
             * inside a match) for the next call. With the input used up,
             * what it still holds is at most a match, so that is drained
             * here: otherwise a stream ending now would look truncated. */
            if (produced >= out_limit && z->s.avail_in > 0)
                break;
        }
        size_t taken = avail - z->s.avail_in;
        p += taken;
        len -= taken;
        *used += taken;
        if (rc == Z_STREAM_END)
            z->in_member = 0;
    }
    return DEID_OK;
}

deid_status gz_inflate(gz_inflater *z, const void *data, size_t len, gz_sink_fn sink, void *ctx,
                       deid_error *err)
{
    size_t used;
    return gz_inflate_some(z, data, len, SIZE_MAX, &used, sink, ctx, err);
}

deid_status gz_inflate_finish(gz_inflater *z, deid_error *err)
{
    deid_status st = DEID_OK;
    if (z->failed != DEID_OK)
        st = err_set(err, z->failed, "gzip input abandoned after an earlier error");
    else if (z->in_member)
        st = err_set(err, DEID_E_DATA, "truncated gzip data at byte %llu", z->offset);
    /* Ready for another stream. */
    inflateReset(&z->s);
    z->in_member = 0;
    z->failed = DEID_OK;
    z->offset = 0;
    return st;
}

/* ---- deflate ------------------------------------------------------------ */

struct gz_deflater {
    z_stream s;
};

gz_deflater *gz_deflater_new(int level)
{
    if (level < 1 || level > 9)
        return NULL;
    gz_deflater *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    z->s.zalloc = gz_alloc;
    z->s.zfree = gz_free;
    if (deflateInit2(&z->s, level, Z_DEFLATED, GZ_WINDOW_BITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(z);
        return NULL;
    }
    return z;
}

void gz_deflater_free(gz_deflater *z)
{
    if (!z)
        return;
    deflateEnd(&z->s);
    free(z);
}

/* Runs deflate over the pending input with flush, appending to out until
 * zlib has nothing more to say (Z_FINISH: until the trailer is out). */
static deid_status run_deflate(gz_deflater *z, int flush, dbuf *out, deid_error *err)
{
    for (;;) {
        size_t room = out->max - out->len;
        size_t want = room < GZ_DEFLATE_CHUNK ? room : GZ_DEFLATE_CHUNK;
        if (want == 0)
            return err_set(err, DEID_E_IO,
                           "compressed output exceeds its buffer limit of %zu bytes", out->max);
        if (dbuf_reserve(out, want) != DBUF_OK)
            return err_set(err, DEID_E_IO, "out of memory in gzip");
        z->s.next_out = (Bytef *)out->data + out->len;
        z->s.avail_out = (uInt)want;
        int rc = deflate(&z->s, flush);
        out->len += want - z->s.avail_out;
        if (rc == Z_STREAM_ERROR)
            return err_set(err, DEID_E_IO, "zlib deflate failed");
        if (flush == Z_FINISH ? rc == Z_STREAM_END : z->s.avail_out != 0)
            return DEID_OK;
    }
}

deid_status gz_deflate(gz_deflater *z, const void *data, size_t len, dbuf *out, deid_error *err)
{
    const unsigned char *p = data;
    while (len > 0) {
        uInt avail = len > UINT_MAX ? UINT_MAX : (uInt)len;
        z->s.next_in = (Bytef *)(uintptr_t)p; /* zlib's API is not const */
        z->s.avail_in = avail;
        deid_status st = run_deflate(z, Z_NO_FLUSH, out, err);
        if (st != DEID_OK)
            return st;
        p += avail;
        len -= avail;
    }
    return DEID_OK;
}

deid_status gz_deflate_finish(gz_deflater *z, dbuf *out, deid_error *err)
{
    z->s.next_in = Z_NULL;
    z->s.avail_in = 0;
    deid_status st = run_deflate(z, Z_FINISH, out, err);
    if (st == DEID_OK)
        deflateReset(&z->s); /* ready to write another member */
    return st;
}
