/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scratch.c - scratch folders for the unit tests (see scratch.h).
 */
#define _GNU_SOURCE /* keeps <ftw.h> declaring nftw */
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

#include "scratch.h"

static int remove_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

int scratch_remove_tree(const char *dir)
{
    return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}
