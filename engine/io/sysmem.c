/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sysmem.c - how much memory this process may use (see sysmem.h). It reads
 * a cgroup file, so it lives in io/ beside the file-system layer rather
 * than in base/ with the budget counter.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "deid.h"
#include "fsys.h"
#include "sysmem.h"

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
    int fd = fsys_open("/sys/fs/cgroup/memory.max", O_RDONLY, 0);
    if (fd < 0)
        return SIZE_MAX;
    char text[32];
    size_t got = 0;
    int rc = fsys_read_full(fd, text, sizeof text - 1, &got);
    fsys_close(fd);
    if (rc != 0 || got == 0 || text[0] < '0' || text[0] > '9')
        return SIZE_MAX; /* "max": no limit */
    text[got] = '\0';
    unsigned long long v = strtoull(text, NULL, 10);
    return v / 2 < SIZE_MAX ? (size_t)(v / 2) : SIZE_MAX;
}

size_t sysmem_default_budget(void)
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


size_t deid_default_memory(void)
{
    return sysmem_default_budget();
}
