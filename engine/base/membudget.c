/* SPDX-License-Identifier: Apache-2.0 */
/*
 * membudget.c - the memory budget counter (see membudget.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "membudget.h"

void mem_budget_init(mem_budget *b, size_t limit)
{
    b->limit = limit ? limit : SIZE_MAX;
    atomic_init(&b->used, 0);
    atomic_init(&b->peak, 0);
}

int mem_budget_charge(mem_budget *b, size_t bytes)
{
    return mem_budget_charge_below(b, bytes, SIZE_MAX);
}

int mem_budget_charge_below(mem_budget *b, size_t bytes, size_t ceiling)
{
    if (!b)
        return 0;
    size_t limit = ceiling < b->limit ? ceiling : b->limit;
    size_t used = atomic_load_explicit(&b->used, memory_order_relaxed);
    for (;;) {
        if (bytes > limit || used > limit - bytes)
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

size_t mem_budget_format(size_t bytes, char *buf, size_t size)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024)
        return (size_t)snprintf(buf, size, "%zu byte%s", bytes, bytes == 1 ? "" : "s");
    double v = (double)bytes / 1024;
    size_t u = 0;
    while (v >= 1024 && u + 1 < sizeof units / sizeof *units) {
        v /= 1024;
        u++;
    }
    /* Whole figures as given (--memory 512M says "512 MiB"), others to a tenth. */
    if (v == (double)(uint64_t)v)
        return (size_t)snprintf(buf, size, "%llu %s", (unsigned long long)v, units[u]);
    return (size_t)snprintf(buf, size, "%.1f %s", v, units[u]);
}

/* n with a comma every three digits ("3,400,000"). */
static void group_digits(uint64_t n, char *buf, size_t size)
{
    char plain[24], out[32];
    int len = snprintf(plain, sizeof plain, "%llu", (unsigned long long)n);
    size_t o = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = plain[i];
    }
    out[o] = '\0';
    snprintf(buf, size, "%s", out);
}

deid_status mem_budget_error(const mem_budget *b, const char *what, uint64_t classes,
                             deid_error *err)
{
    char size[32], count[48] = "";
    mem_budget_format(b ? b->limit : 0, size, sizeof size);
    if (classes != MEM_BUDGET_UNCOUNTED) {
        char digits[32];
        group_digits(classes, digits, sizeof digits);
        snprintf(count, sizeof count, ": %s classes", digits);
    }
    return err_set(err, DEID_E_IO,
                   "memory budget of %s reached by %s%s; raise it (--memory) or use fewer or "
                   "coarser quasi-identifiers",
                   size, what, count);
}
