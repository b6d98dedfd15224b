/* SPDX-License-Identifier: Apache-2.0 */
/*
 * classes_memory.c - memory of the equivalence-class table per class.
 *
 * Adds N distinct classes (default 1,000,000) of 9 QIs with 5 values each
 * (class i has the base-5 digits of i), optionally with one sensitive
 * column of S values (second argument), and prints class_table_memory, the
 * bytes per class, the process's peak RSS before and after, and the time
 * privacy_measure takes on the table (ordered distance). Build and
 * run from the repository root after `make`:
 *
 *   cc -O2 $(for d in engine engine/[a-z]*; do printf -- '-I%s ' $d; done) \
 *      bench/classes_memory.c build/libdeid_internal.a -lcrypto -lm -o build/classes_memory
 *   /usr/bin/time -f 'peak %M KB' build/classes_memory 1000000
 * (bench/check_speed.sh does both.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "classes.h"
#include "deid_limits.h"
#include "privacy.h"

static long peak_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000ul;
    unsigned long n_sens = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;
    if (n == 0 || n > 1953125ul) { /* 5^9 distinct combinations */
        fprintf(stderr, "classes_memory: N must be 1..1953125\n");
        return 2;
    }
    long before = peak_kb();
    class_table *t = class_table_new(9, n_sens ? 1 : 0, "*", DEID_MAX_CLASSES);
    if (!t)
        return 1;
    size_t base = class_table_memory(t);
    char buf[9][4], sbuf[16];
    xf_value qi[9], sv;
    for (unsigned long i = 0; i < n; i++) {
        unsigned long x = i;
        for (int q = 0; q < 9; q++) {
            buf[q][0] = 'v';
            buf[q][1] = (char)('0' + x % 5);
            qi[q] = (xf_value){buf[q], 2};
            x /= 5;
        }
        if (n_sens) {
            int len = snprintf(sbuf, sizeof sbuf, "s%lu", i % n_sens);
            sv = (xf_value){sbuf, (size_t)len};
        }
        if (class_table_add(t, qi, &sv, NULL) != CLASS_OK) {
            fprintf(stderr, "classes_memory: add failed at %lu\n", i);
            return 1;
        }
    }
    size_t mem = class_table_memory(t);
    long after = peak_kb();
    printf("classes            %zu\n", class_table_classes(t));
    printf("table bytes        %zu (base %zu)\n", mem, base);
    printf("bytes per class    %.1f\n", (double)(mem - base) / (double)n);
    printf("peak RSS before    %ld KB\n", before);
    printf("peak RSS after     %ld KB\n", after);
    printf("RSS per class      %.1f bytes\n", (double)(after - before) * 1024.0 / (double)n);
    struct timespec a, b;
    privacy_sensitive_spec spec = {"s", 1};
    privacy_requirement req = {.k = 5, .l = 2, .t = 0.2};
    privacy_stats st;
    clock_gettime(CLOCK_MONOTONIC, &a);
    if (privacy_measure(t, &req, &spec, &st))
        return 1;
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("privacy_measure    %.2f s (uniques %llu)\n",
           (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9,
           (unsigned long long)st.unique_records);
    privacy_stats_free(&st);
    class_table_free(t);
    return 0;
}
