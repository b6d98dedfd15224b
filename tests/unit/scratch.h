/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scratch.h - scratch folders for the unit tests that write files.
 */
#ifndef DEID_TEST_SCRATCH_H
#define DEID_TEST_SCRATCH_H

/* Removes dir and everything below it (symbolic links themselves, never
 * what they point to). Returns 0, or -1 when something could not go. */
int scratch_remove_tree(const char *dir);

#endif
