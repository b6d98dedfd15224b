/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gz.h - gzip on top of zlib: streaming inflate of one or more concatenated
 * gzip members, and streaming deflate of one member.
 */
#ifndef DEID_GZ_H
#define DEID_GZ_H

#include <stddef.h>
#include "deid.h"
#include "dbuf.h"

/* True if the first bytes (at least 2 available) are the gzip magic. */
int gz_is_gzip(const void *data, size_t len);

typedef struct gz_inflater gz_inflater;
/* Receives decompressed bytes; a non-OK return stops inflation. */
typedef deid_status (*gz_sink_fn)(void *ctx, const void *data, size_t len, deid_error *err);

gz_inflater *gz_inflater_new(void);
void gz_inflater_free(gz_inflater *z);
/* Decompresses len more compressed bytes, handing output to sink. Corrupt
 * data is DEID_E_DATA with the compressed byte offset in the message. */
deid_status gz_inflate(gz_inflater *z, const void *data, size_t len, gz_sink_fn sink, void *ctx,
                       deid_error *err);
/* Like gz_inflate, but stops once at least out_limit decompressed bytes
 * have gone to sink (at most 64 KiB more), so that one call's output
 * stays bounded whatever the compression ratio (deflate reaches about
 * 1032:1). *used says how many of the len compressed bytes were taken; the
 * caller hands the rest to the next call. With out_limit > 0 and len > 0
 * a call always makes progress: it takes input or produces output. */
deid_status gz_inflate_some(gz_inflater *z, const void *data, size_t len, size_t out_limit,
                            size_t *used, gz_sink_fn sink, void *ctx, deid_error *err);
/* Ends the stream: a truncated member is DEID_E_DATA with the offset. */
deid_status gz_inflate_finish(gz_inflater *z, deid_error *err);

typedef struct gz_deflater gz_deflater;
/* level 1..9. Returns NULL on ENOMEM. */
gz_deflater *gz_deflater_new(int level);
void gz_deflater_free(gz_deflater *z);
/* Compresses data, appending whatever zlib produces to out. */
deid_status gz_deflate(gz_deflater *z, const void *data, size_t len, dbuf *out, deid_error *err);
/* Flushes the member's end (trailer) to out. */
deid_status gz_deflate_finish(gz_deflater *z, dbuf *out, deid_error *err);

#endif
