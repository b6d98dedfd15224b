/* SPDX-License-Identifier: Apache-2.0 */
/*
 * value.h - a borrowed byte string, the unit in which every layer passes
 * one field's value: the CSV writer takes them, transforms take and give
 * them, the class table keys on them. Not NUL-terminated; the owner of
 * the bytes is whoever made the value.
 *
 * It is named xf_value for the transforms that use it most; it lives in
 * base/ so that io/ (the CSV writer) needs nothing from xf/.
 */
#ifndef DEID_VALUE_H
#define DEID_VALUE_H

#include <stddef.h>

typedef struct xf_value {
    const char *data;
    size_t len;
} xf_value;

#endif
