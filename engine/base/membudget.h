/* SPDX-License-Identifier: Apache-2.0 */
/*
 * membudget.h - a memory budget: a byte counter that the growing tables
 * of a check or a run (class tables, dictionaries, lane tables) charge
 * before they grow and credit when they shrink or are freed, so that a
 * run stops with a clear error at a documented size instead of growing
 * until the system kills it. Only what is charged counts; malloc is not
 * hooked. Charges may come from several threads (lanes) at once.
 */
#ifndef DEID_MEMBUDGET_H
#define DEID_MEMBUDGET_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef struct mem_budget {
    size_t limit;          /* bytes; SIZE_MAX = no limit */
    _Atomic size_t used;   /* bytes charged and not yet released */
    _Atomic size_t peak;   /* the most used ever held */
} mem_budget;

/* Sets up b with limit bytes (0 = no limit). */
void mem_budget_init(mem_budget *b, size_t limit);

/* Charges bytes. Returns 0, or -1 when that would pass the limit (then
 * nothing is charged). A NULL budget accepts everything. */
int mem_budget_charge(mem_budget *b, size_t bytes);
/* The same, but refused when the budget's use would pass ceiling (or the
 * limit, whichever is lower): for memory that has somewhere else to go
 * (spill files), so that it leaves room for what has not. */
int mem_budget_charge_below(mem_budget *b, size_t bytes, size_t ceiling);

/* Gives back bytes charged before. NULL does nothing. */
void mem_budget_release(mem_budget *b, size_t bytes);

/* Bytes charged now (0 for NULL). */
size_t mem_budget_used(const mem_budget *b);

/* Writes bytes as "512 MiB", "1.5 GiB" or "100 bytes" into buf (always
 * NUL-terminated when size > 0). Returns the length needed, like snprintf. */
size_t mem_budget_format(size_t bytes, char *buf, size_t size);

/* Sets err to DEID_E_IO "memory budget of 512 MiB reached by WHAT: 3,400,000
 * classes; raise it (--memory) or ..." and returns DEID_E_IO. what names
 * the growing table ("the class table"); classes MEM_BUDGET_UNCOUNTED
 * leaves the count out; b may be NULL. The caller adds where
 * (err_at_record). */
#define MEM_BUDGET_UNCOUNTED UINT64_MAX
deid_status mem_budget_error(const mem_budget *b, const char *what, uint64_t classes,
                             deid_error *err);

#endif
