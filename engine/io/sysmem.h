/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sysmem.h - the memory a process may use by default (the memory budget's
 * default; see base/membudget.h for the counter).
 */
#ifndef DEID_SYSMEM_H
#define DEID_SYSMEM_H

#include <stddef.h>

/* The library's default budget: half of physical memory, lowered to half
 * of the address-space and data-segment limits (RLIMIT_AS, RLIMIT_DATA)
 * and of the cgroup v2 limit /sys/fs/cgroup/memory.max when any is set;
 * 1 GiB when physical memory cannot be read. Never 0. */
size_t sysmem_default_budget(void);

#endif
