/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vlist.h - a growing list of values (byte strings) in one arena, for
 * what a two-pass technique keeps of a column between its passes
 * (job_group.c): n values cost their bytes plus 8 bytes each (up to twice
 * that while the arenas double). The arenas are spill buffers
 * (spillbuf.h): in memory charged to the budget, in a spill file past
 * it. The bytes may be personal data: they are wiped (or the file
 * emptied) when the list is freed.
 */
#ifndef DEID_VLIST_H
#define DEID_VLIST_H

#include <stddef.h>
#include <stdint.h>

#include "spillbuf.h"
#include "value.h"

typedef struct vlist {
    spill_buf bytes;    /* the values, one after the other */
    spill_buf ends;     /* uint64_t ends[i]: where value i ends in bytes */
    size_t len;         /* bytes used of bytes */
    size_t n, cap;      /* values; room in ends */
} vlist;

enum { VLIST_OK = 0, VLIST_ENOMEM = SPILL_ENOMEM, VLIST_ESPILL = SPILL_EFILE };

/* Starts an empty list in area a (borrowed, may be NULL: plain memory). */
void vlist_init(vlist *v, spill_area *a);
/* Appends a copy of data[0..len). Returns VLIST_OK, VLIST_ENOMEM, or
 * VLIST_ESPILL when the arena had to go to a spill file and could not
 * (spill_area_error says why); then nothing was added. */
int vlist_add(vlist *v, const char *data, size_t len);
/* Value i (< v->n), pointing into the list: valid until the next add. */
xf_value vlist_get(const vlist *v, size_t i);
/* Wipes and frees what the list holds, gives its bytes back to the
 * budget and leaves it empty (ready for reuse in the same area). */
void vlist_wipe(vlist *v);

#endif
