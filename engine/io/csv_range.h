/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv_range.h - byte ranges of one large CSV file for sharded runs:
 * record-aligned cut points (deid_split_offsets, in deid.h) and reading
 * one range as an input of its own, led by the file's header.
 */
#ifndef DEID_CSV_RANGE_H
#define DEID_CSV_RANGE_H

#include <stdint.h>

#include "deid.h"
#include "input.h"

/* Reads bytes [from, to) of fd (a plain regular file, not gzip) and hands
 * them to chunk; with header and from > 0, first the file's first record
 * (up to its line feed outside quotes). from and to must lie at record
 * boundaries (0, the file's size, or just after a line feed; the offsets
 * of deid_split_offsets are) and not inside the header: else DEID_E_USAGE
 * naming the range. Read errors are DEID_E_IO naming name; a status from
 * chunk stops the read and is returned. */
deid_status csv_range_read_fd(int fd, const char *name, uint64_t from, uint64_t to, int header,
                              input_chunk_fn chunk, void *ctx, deid_error *err);

#endif
