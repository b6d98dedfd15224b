/* SPDX-License-Identifier: Apache-2.0 */
/*
 * input.c - raw input bytes to decoded bytes, with gzip detection and an
 * optional SHA-256 of what was read (see input.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "err.h"
#include "fsys.h"
#include "gz.h"
#include "input.h"

#define READ_CHUNK (1u << 20)

enum { DETECT_PENDING, DETECT_PLAIN, DETECT_GZIP };

struct input_stream {
    gz_sink_fn sink;
    void *sink_ctx;
    gz_inflater *inflater;
    int detect;
    unsigned char head[2];
    size_t head_len;
    uint64_t raw_bytes, decoded_bytes;
    EVP_MD_CTX *sha;
    char sha_hex[65];
};

input_stream *input_stream_new(gz_sink_fn sink, void *ctx)
{
    input_stream *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->sink = sink;
    s->sink_ctx = ctx;
    return s;
}

void input_stream_free(input_stream *s)
{
    if (!s)
        return;
    gz_inflater_free(s->inflater);
    EVP_MD_CTX_free(s->sha);
    free(s);
}

deid_status input_stream_begin(input_stream *s, int hash, deid_error *err)
{
    s->detect = DETECT_PENDING;
    s->head_len = 0;
    s->raw_bytes = s->decoded_bytes = 0;
    s->sha_hex[0] = '\0';
    EVP_MD_CTX_free(s->sha);
    s->sha = NULL;
    if (hash) {
        s->sha = EVP_MD_CTX_new();
        if (!s->sha || !EVP_DigestInit_ex(s->sha, EVP_sha256(), NULL))
            return err_set(err, DEID_E_IO, "cannot start SHA-256");
    }
    return DEID_OK;
}

static deid_status feed_decoded(void *ctx, const void *data, size_t len, deid_error *err)
{
    input_stream *s = ctx;
    s->decoded_bytes += len;
    return s->sink(s->sink_ctx, data, len, err);
}

/* Feeds up to len raw bytes on, stopping after about limit decoded bytes;
 * *used says how many were taken. */
static deid_status feed_raw(input_stream *s, const void *data, size_t len, size_t limit,
                            size_t *used, deid_error *err)
{
    if (s->detect == DETECT_GZIP)
        return gz_inflate_some(s->inflater, data, len, limit, used, feed_decoded, s, err);
    *used = len < limit ? len : limit;
    return feed_decoded(s, data, *used, err);
}

static deid_status decide_format(input_stream *s, deid_error *err)
{
    if (s->head_len == 2 && gz_is_gzip(s->head, 2)) {
        s->detect = DETECT_GZIP;
        gz_inflater_free(s->inflater);
        s->inflater = gz_inflater_new();
        if (!s->inflater)
            return err_set(err, DEID_E_IO, "out of memory");
    } else {
        s->detect = DETECT_PLAIN;
    }
    /* two bytes: at most a few hundred decoded */
    size_t used;
    return feed_raw(s, s->head, s->head_len, SIZE_MAX, &used, err);
}

deid_status input_stream_write_some(input_stream *s, const void *data, size_t len, size_t limit,
                                    size_t *used, deid_error *err)
{
    const unsigned char *p = data;
    size_t taken = 0;
    deid_status st = DEID_OK;
    *used = 0;
    if (s->detect == DETECT_PENDING) {
        /* The magic needs two bytes, which may come in separate writes. */
        while (s->head_len < 2 && taken < len)
            s->head[s->head_len++] = p[taken++];
        if (s->head_len == 2)
            st = decide_format(s, err);
    }
    if (!st && taken < len && s->detect != DETECT_PENDING) {
        size_t fed = 0;
        st = feed_raw(s, p + taken, len - taken, limit, &fed, err);
        taken += fed;
    }
    /* raw bytes as taken, so that the rest can be written again */
    s->raw_bytes += taken;
    if (s->sha && taken && !EVP_DigestUpdate(s->sha, data, taken) && !st)
        st = err_set(err, DEID_E_IO, "SHA-256 failed");
    *used = taken;
    return st;
}

deid_status input_stream_write(input_stream *s, const void *data, size_t len, deid_error *err)
{
    size_t used;
    return input_stream_write_some(s, data, len, SIZE_MAX, &used, err);
}

deid_status input_stream_end(input_stream *s, deid_error *err)
{
    deid_status st = DEID_OK;
    if (s->detect == DETECT_PENDING)
        st = decide_format(s, err);
    if (!st && s->detect == DETECT_GZIP)
        st = gz_inflate_finish(s->inflater, err);
    if (!st && s->sha) {
        unsigned char md[32];
        unsigned int n = 0;
        if (!EVP_DigestFinal_ex(s->sha, md, &n) || n != 32)
            return err_set(err, DEID_E_IO, "SHA-256 failed");
        for (unsigned i = 0; i < 32; i++)
            snprintf(s->sha_hex + 2 * i, 3, "%02x", md[i]);
    }
    return st;
}

int input_stream_is_gzip(const input_stream *s)
{
    return s->detect == DETECT_GZIP;
}

uint64_t input_stream_raw_bytes(const input_stream *s)
{
    return s->raw_bytes;
}

uint64_t input_stream_decoded_bytes(const input_stream *s)
{
    return s->decoded_bytes;
}

const char *input_stream_sha256(const input_stream *s)
{
    return s->sha_hex;
}

deid_status input_read_fd(int fd, const char *name, input_chunk_fn chunk, void *ctx,
                          deid_error *err)
{
    char *buf = malloc(READ_CHUNK);
    if (!buf)
        return err_set(err, DEID_E_IO, "out of memory");
    deid_status st = DEID_OK;
    for (;;) {
        ssize_t k = fsys_read(fd, buf, READ_CHUNK);
        if (k < 0) {
            st = err_set(err, DEID_E_IO, "cannot read %s: %s", name, strerror(errno));
            break;
        }
        if (k == 0 || (st = chunk(ctx, buf, (size_t)k, err)))
            break;
    }
    free(buf);
    return st;
}
