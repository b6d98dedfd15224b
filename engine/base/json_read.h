/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json_read.h - reading a JSON document (RFC 8259) into a tree, for what
 * deid reads back of its own output: the processing record that `deid
 * verify` checks. Strict: one value, no trailing commas, no comments,
 * strings UTF-8 with escapes decoded (\uXXXX surrogate pairs into one code
 * point), no key twice in one object (two digests for one file must not
 * let a reader pick either), nesting at most JSON_READ_MAX_DEPTH deep.
 */
#ifndef DEID_JSON_READ_H
#define DEID_JSON_READ_H

#include <stddef.h>

#define JSON_READ_MAX_DEPTH 64

typedef enum json_type {
    JSON_NULL,
    JSON_FALSE,
    JSON_TRUE,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
} json_type;

typedef struct json_node json_node;
struct json_node {
    json_type type;
    char *text;         /* STRING: the decoded value; NUMBER: its spelling; NUL-terminated */
    size_t len;         /* of text */
    size_t n;           /* ARRAY and OBJECT: how many items */
    char **keys;        /* OBJECT: n keys, decoded */
    json_node **items;  /* ARRAY and OBJECT: n values */
};

/* Parses text[0..len). Returns the tree (free with json_free), or NULL with
 * why (a short reason, at most why_size bytes) and *offset (the byte where
 * it went wrong) filled; "out of memory" when that was the reason. */
json_node *json_read(const char *text, size_t len, char *why, size_t why_size, size_t *offset);
void json_free(json_node *node);

/* The value of key in obj (borrowed), or NULL when obj is not an object or
 * has no such key. */
const json_node *json_get(const json_node *obj, const char *key);
/* The string value of key in obj, or NULL when absent or not a string. */
const char *json_get_string(const json_node *obj, const char *key);

#endif
