/* SPDX-License-Identifier: Apache-2.0 */
/*
 * input.h - the input side shared by `run` and `check`: raw bytes in
 * (chunks of any size), gzip detected by its magic bytes and inflated,
 * decoded bytes out to a sink; plus an optional SHA-256
 * of the bytes as given, and a read loop over a file descriptor.
 */
#ifndef DEID_INPUT_H
#define DEID_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "deid.h"
#include "gz.h"

typedef struct input_stream input_stream;

/* Returns a stream that hands the decoded bytes to sink(ctx, ...) (the
 * caller cuts them into records), or NULL on ENOMEM. */
input_stream *input_stream_new(gz_sink_fn sink, void *ctx);
void input_stream_free(input_stream *s);

/* Starts a new input; with hash set, the SHA-256 of its raw bytes is kept. */
deid_status input_stream_begin(input_stream *s, int hash, deid_error *err);
/* Feeds len raw bytes. */
deid_status input_stream_write(input_stream *s, const void *data, size_t len, deid_error *err);
/* Feeds raw bytes until about limit decoded bytes (at most 64 KiB more;
 * limit > 0) have gone to the sink; *used says how many of the len raw
 * bytes were taken, the caller writes the rest later. This bounds what
 * one call produces however well gzip input compresses. */
deid_status input_stream_write_some(input_stream *s, const void *data, size_t len, size_t limit,
                                    size_t *used, deid_error *err);
/* Ends the input: a truncated gzip stream or an unterminated quote is an
 * error (the latter only when the stream parses). */
deid_status input_stream_end(input_stream *s, deid_error *err);

/* About the current (or just ended) input. */
int input_stream_is_gzip(const input_stream *s);
uint64_t input_stream_raw_bytes(const input_stream *s);
uint64_t input_stream_decoded_bytes(const input_stream *s);
/* Lowercase hex SHA-256 of the raw bytes (after input_stream_end, with
 * hash set); "" otherwise. */
const char *input_stream_sha256(const input_stream *s);

/* Reads fd to EOF in chunks, calling chunk(ctx, data, len, err) for each;
 * stops at the first non-OK status. A read error is DEID_E_IO naming name. */
typedef deid_status (*input_chunk_fn)(void *ctx, const void *data, size_t len, deid_error *err);
deid_status input_read_fd(int fd, const char *name, input_chunk_fn chunk, void *ctx,
                          deid_error *err);

#endif
