/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spool.h - a temporary file of CSV records written in one pass and read
 * back in the next, when the inputs cannot be read again (standard
 * input). The file is created 0600 and unlinked at once (fsys.h), so it
 * disappears however the process ends; what goes into it is the caller's
 * responsibility (transformed records only, never a raw value).
 */
#ifndef DEID_SPOOL_H
#define DEID_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "csv_in.h"
#include "deid.h"
#include "value.h"

typedef struct spool spool;

/* Returns a copy of tmpdir, else of $TMPDIR when set and not empty, else
 * of "/tmp": the folder spools go to (caller frees). NULL on ENOMEM. */
char *spool_dir_for(const char *tmpdir);

/* Creates the file in dir. Returns DEID_OK and *out (spool_free), or
 * DEID_E_IO naming dir. */
deid_status spool_open(const char *dir, spool **out, deid_error *err);
/* Closes the file and wipes the buffers; NULL does nothing. */
void spool_free(spool *s);

/* Appends one record of n values (buffered; written past 1 MiB). */
deid_status spool_put(spool *s, const xf_value *values, size_t n, deid_error *err);
/* Writes what is buffered. */
deid_status spool_flush(spool *s, deid_error *err);
/* Flushes and goes back to the start for reading. */
deid_status spool_rewind(spool *s, deid_error *err);
/* Reads the next 64 KiB and hands each whole record to fn(ctx, ...);
 * *done is set once every record written was read back (a short file
 * is "the spool file is damaged"). */
deid_status spool_replay_some(spool *s, csv_in_record_fn fn, void *ctx, int *done,
                              deid_error *err);
/* Bytes written and read so far. */
uint64_t spool_bytes(const spool *s);
uint64_t spool_bytes_read(const spool *s);

#endif
