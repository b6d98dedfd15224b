/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_transform_pick.h - which transform the first input byte of
 * fuzz_transform.c selects: a whole byte modulo the length of the table
 * below, which reaches every one of up to 256.
 *
 * The table, not the registry's order (xf_list.h), numbers the
 * transforms, because the committed corpus's first bytes are numbers: when
 * noise, dateshift and pram were inserted into xf_list.h in the middle,
 * 172 committed inputs silently started to select another transform than
 * the one they were written for, and encrypt, fpe and token had no input
 * left. A new transform is appended here, never inserted;
 * tests/unit/check_xf_list.c checks that the table and the registry hold
 * the same names.
 */
#ifndef DEID_FUZZ_TRANSFORM_PICK_H
#define DEID_FUZZ_TRANSFORM_PICK_H

#include <stddef.h>

static const char *const fuzz_transform_order[] = {
    "keep",  "drop",    "blank",     "replace", "hash",  "mask",     "range",     "round",
    "noise", "date",    "dateshift", "prefix",  "words", "hierarchy", "map",      "pram",
    "encrypt", "fpe",   "token",     "scrub",   "microagg", "aggregate", "shuffle",
};

#define FUZZ_TRANSFORM_COUNT (sizeof fuzz_transform_order / sizeof fuzz_transform_order[0])

/* Returns the name of the transform byte selects (static). */
static inline const char *fuzz_transform_pick(unsigned char byte)
{
    return fuzz_transform_order[byte % FUZZ_TRANSFORM_COUNT];
}

#endif
