/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vlist.h - a growing list of values (byte strings) in one arena, for
 * what a two-pass technique keeps of a column between its passes
 * (job_group.c): n values cost their bytes plus 8 bytes each, charged to
 * a memory budget. The bytes may be personal data: they are wiped when
 * the list is freed.
 */
#ifndef DEID_VLIST_H
#define DEID_VLIST_H

#include <stddef.h>
#include <stdint.h>

#include "dbuf.h"
#include "membudget.h"
#include "value.h"

typedef struct vlist {
    dbuf bytes;         /* the values, one after the other */
    uint64_t *ends;     /* ends[i]: where value i ends in bytes */
    size_t n, cap;
    mem_budget *budget; /* borrowed; NULL: none */
    size_t charged;
} vlist;

enum { VLIST_OK = 0, VLIST_ENOMEM = -1, VLIST_EBUDGET = -2 };

/* Starts an empty list charging budget b (borrowed, may be NULL). */
void vlist_init(vlist *v, mem_budget *b);
/* Appends a copy of data[0..len). Returns VLIST_OK, VLIST_ENOMEM, or
 * VLIST_EBUDGET when the budget cannot take len + 8 more bytes (then
 * nothing was added). */
int vlist_add(vlist *v, const char *data, size_t len);
/* Value i (< v->n), pointing into the list: valid until the next add. */
xf_value vlist_get(const vlist *v, size_t i);
/* Wipes and frees what the list holds, gives its bytes back to the
 * budget and leaves it empty (ready for reuse with the same budget). */
void vlist_wipe(vlist *v);

#endif
