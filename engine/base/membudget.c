/*
 * membudget.c - the memory budget counter (see membudget.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "membudget.h"

void mem_budget_init(mem_budget *b, size_t limit)
{
    b->limit = limit ? limit : SIZE_MAX;
    atomic_init(&b->used, 0);
    atomic_init(&b->peak, 0);
}

int mem_budget_charge(mem_budget *b, size_t bytes)
{
    if (!b)
        return 0;
    size_t used = atomic_load_explicit(&b->used, memory_order_relaxed);
    for (;;) {
        if (bytes > b->limit || used > b->limit - bytes)
            return -1;
        if (atomic_compare_exchange_weak_explicit(&b->used, &used, used + bytes,
                                                  memory_order_relaxed, memory_order_relaxed))
            break;
    }
    size_t now = used + bytes, peak = atomic_load_explicit(&b->peak, memory_order_relaxed);
    while (now > peak && !atomic_compare_exchange_weak_explicit(&b->peak, &peak, now,
                                                                memory_order_relaxed,
                                                                memory_order_relaxed))
        ;
    return 0;
}

void mem_budget_release(mem_budget *b, size_t bytes)
{
    if (b)
        atomic_fetch_sub_explicit(&b->used, bytes, memory_order_relaxed);
}

size_t mem_budget_used(const mem_budget *b)
{
    return b ? atomic_load_explicit(&((mem_budget *)b)->used, memory_order_relaxed) : 0;
}

/* Half of an rlimit's soft value, or SIZE_MAX when there is none. */
static size_t half_rlimit(int resource)
{
    struct rlimit rl;
    if (getrlimit(resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return SIZE_MAX;
    return rl.rlim_cur / 2 < SIZE_MAX ? (size_t)(rl.rlim_cur / 2) : SIZE_MAX;
}

/* Half of the cgroup v2 memory limit, or SIZE_MAX ("max", absent, unreadable). */
static size_t half_cgroup_limit(void)
{
    FILE *f = fopen("/sys/fs/cgroup/memory.max", "re");
    if (!f)
        return SIZE_MAX;
    unsigned long long v;
    int n = fscanf(f, "%llu", &v);
    fclose(f);
    return n == 1 && v / 2 < SIZE_MAX ? (size_t)(v / 2) : SIZE_MAX;
}

size_t mem_budget_default(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    size_t b = (size_t)1 << 30;
    if (pages > 0 && page > 0 && (unsigned long)pages <= SIZE_MAX / (unsigned long)page)
        b = (size_t)pages * (size_t)page / 2;
    size_t caps[3] = {half_rlimit(RLIMIT_AS), half_rlimit(RLIMIT_DATA), half_cgroup_limit()};
    for (int i = 0; i < 3; i++)
        if (caps[i] < b)
            b = caps[i];
    return b ? b : 1;
}
