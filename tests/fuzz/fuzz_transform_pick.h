/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_transform_pick.h - which transform the first input byte of
 * fuzz_transform.c selects. A whole byte modulo the number of transforms
 * reaches every one of up to 256; tests/unit/check_xf_list.c checks that
 * every registered transform is reached.
 */
#ifndef DEID_FUZZ_TRANSFORM_PICK_H
#define DEID_FUZZ_TRANSFORM_PICK_H

#include <stddef.h>

/* Returns the index into transform_all() (count entries, count > 0) that
 * byte selects. */
static inline size_t fuzz_transform_pick(unsigned char byte, size_t count)
{
    return byte % count;
}

#endif
