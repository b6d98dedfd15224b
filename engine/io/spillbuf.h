/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spillbuf.h - memory that moves to a temporary file past the memory
 * budget: what the two-pass techniques keep per record (their column's
 * values, group numbers, the computations' arrays) lives in malloc'd
 * memory while the budget (--memory) can take it, and in a file mapped
 * into memory (MAP_SHARED) once it cannot, so that a run larger than the
 * budget goes on instead of stopping. The caller sees one pointer either
 * way, so the algorithms, and their output bytes, do not change.
 *
 * A spill file is made in the area's folder (spool_dir_for: --tmpdir or
 * TMPDIR) through fsys_open_unnamed_temp: 0600, announced to the temp
 * hooks and unlinked at once, so it lives only as a descriptor and
 * nothing is left behind however the process ends. When freed it is cut
 * to 0 bytes and closed. What goes into it is the caller's
 * responsibility: the technique's own (already transformed) values,
 * numbers, group numbers and indices, never another column's value.
 *
 * Not thread-safe: one thread uses an area and its buffers at a time.
 */
#ifndef DEID_SPILLBUF_H
#define DEID_SPILLBUF_H

#include <stddef.h>
#include <stdint.h>

#include "deid.h"
#include "membudget.h"

typedef struct spill_area {
    mem_budget *budget;   /* borrowed; NULL: no limit (never spills) */
    size_t ceiling;       /* the budget's use past which buffers spill (its limit) */
    const char *dir;      /* borrowed: where spill files go; NULL: never spills */
    uint64_t files;       /* spill files made so far */
    uint64_t file_bytes;  /* bytes in spill files now */
    uint64_t peak_file_bytes;
    int file_errno;       /* why the last spill file failed (errno) */
} spill_area;

typedef struct spill_buf {
    unsigned char *data;  /* size bytes (NULL when size is 0) */
    size_t size;
    size_t charged;       /* of size, what the area's budget holds */
    int fd;               /* the spill file holding data; -1: in memory */
    spill_area *area;     /* borrowed; NULL: plain memory */
} spill_buf;

enum { SPILL_OK = 0, SPILL_ENOMEM = -1, SPILL_EFILE = -2 };

/* Starts an area charging budget b and spilling to folder dir (both
 * borrowed, either may be NULL: then it never spills). */
void spill_area_init(spill_area *a, mem_budget *b, const char *dir);
/* Buffers of a go to files once the budget's use would pass ceiling
 * bytes (below the limit: room left for tables that cannot spill). */
void spill_area_set_ceiling(spill_area *a, size_t ceiling);

/* Starts an empty buffer of area a (borrowed, may be NULL). */
void spill_buf_init(spill_buf *b, spill_area *a);
/* Makes the buffer size bytes, keeping the first min(old, new) bytes;
 * new bytes are zero. In memory while the budget takes the growth, else
 * (or when malloc fails) in a spill file, where it then stays. Returns
 * SPILL_OK, SPILL_ENOMEM, or SPILL_EFILE (the file could not be made or
 * grown: a->file_errno says why); on failure the buffer is unchanged. */
int spill_buf_resize(spill_buf *b, size_t size);
/* Wipes (memory) or empties (file) what the buffer holds, gives its
 * bytes back to the budget and leaves it as spill_buf_init did. A
 * zeroed buffer (calloc) frees as an empty one. */
void spill_buf_free(spill_buf *b);

/* spill_buf_init(b, a), then spill_buf_take. */
void *spill_buf_array(spill_buf *b, spill_area *a, size_t count, size_t elem, int *rc);
/* For a run of allocations that stops at the first failure: when *rc is
 * SPILL_OK, resizes the empty buffer b to count * elem bytes (at least 1,
 * so the pointer is never NULL on success) and returns b->data (zeroed);
 * else, or on failure, returns NULL with *rc set (overflow is
 * SPILL_ENOMEM). */
void *spill_buf_take(spill_buf *b, size_t count, size_t elem, int *rc);
/* spill_buf_init of b[0..n) in area a; spill_bufs_free frees them. */
void spill_bufs_init(spill_buf *b, size_t n, spill_area *a);
void spill_bufs_free(spill_buf *b, size_t n);

/* DEID_E_IO for a failed spill (rc SPILL_EFILE: "the memory budget of
 * 512 MiB is full and a spill file cannot be made in DIR: why; give
 * TMPDIR a writable folder with room, or raise --memory"; else "out of
 * memory"). Returns DEID_E_IO. */
deid_status spill_area_error(const spill_area *a, int rc, deid_error *err);

#endif
