/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dbuf.h - a growable byte buffer with a maximum size (curl's dynbuf idea):
 * every buffer fed by input says how large it may grow.
 */
#ifndef DEID_DBUF_H
#define DEID_DBUF_H

#include <stddef.h>
#include <string.h>

typedef struct dbuf {
    char *data;   /* NULL until the first append; not NUL-terminated unless dbuf_cstr */
    size_t len;
    size_t cap;
    size_t max;   /* len never exceeds max */
} dbuf;

enum { DBUF_OK = 0, DBUF_ENOMEM = -1, DBUF_ETOOBIG = -2 };

/* Initialises an empty buffer that may hold up to max bytes. */
void dbuf_init(dbuf *b, size_t max);
/* Ensures room for extra more bytes. Returns DBUF_OK, DBUF_ENOMEM or
 * DBUF_ETOOBIG (len + extra would pass max). */
int dbuf_reserve(dbuf *b, size_t extra);
/* Appends n bytes; returns DBUF_OK, DBUF_ENOMEM or DBUF_ETOOBIG. Inline
 * when the room is there already: it runs for every field of every
 * record. */
int dbuf_append_grow(dbuf *b, const void *p, size_t n);
static inline int dbuf_append(dbuf *b, const void *p, size_t n)
{
    /* n 0 may come with p NULL, which memcpy must not see */
    if (n == 0)
        return DBUF_OK;
    /* cap > len + n keeps dbuf_reserve's spare byte for a NUL */
    if (n < b->cap - b->len && n <= b->max - b->len) {
        memcpy(b->data + b->len, p, n);
        b->len += n;
        return DBUF_OK;
    }
    return dbuf_append_grow(b, p, n);
}
int dbuf_append_str(dbuf *b, const char *s);
int dbuf_putc(dbuf *b, char c);
/* Appends formatted text (no NUL counted in len). */
int dbuf_printf(dbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Returns data NUL-terminated (the NUL is not counted in len), or NULL if
 * that allocation fails. */
const char *dbuf_cstr(dbuf *b);
/* Forgets the contents, keeps the memory. */
static inline void dbuf_reset(dbuf *b) { b->len = 0; }
/* Removes the first n bytes. */
void dbuf_consume(dbuf *b, size_t n);
/* Hands the malloc'd, NUL-terminated contents to the caller and leaves the
 * buffer empty; returns NULL on allocation failure. */
char *dbuf_take(dbuf *b);
/* Releases the memory; dbuf_wipe also overwrites it first (secrets). */
void dbuf_free(dbuf *b);
void dbuf_wipe(dbuf *b);

#endif
