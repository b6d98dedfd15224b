/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dbuf.c - growable byte buffer with a maximum (see dbuf.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "dbuf.h"

void dbuf_init(dbuf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

int dbuf_reserve(dbuf *b, size_t extra)
{
    if (extra > b->max - b->len)
        return DBUF_ETOOBIG;
    size_t need = b->len + extra;
    /* cap stays > need: one spare byte for a NUL (dbuf_cstr, dbuf_printf). */
    if (need < b->cap)
        return DBUF_OK;
    /* No room for the spare byte (and no allocator has SIZE_MAX bytes). */
    if (need == (size_t)-1)
        return DBUF_ENOMEM;
    size_t cap = b->cap ? b->cap : 64;
    while (cap <= need)
        cap = cap > ((size_t)-1) / 2 ? need + 1 : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return DBUF_ENOMEM;
    b->data = p;
    b->cap = cap;
    return DBUF_OK;
}

int dbuf_append_grow(dbuf *b, const void *p, size_t n)
{
    if (n == 0)
        return DBUF_OK;
    int rc = dbuf_reserve(b, n);
    if (rc)
        return rc;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return DBUF_OK;
}

int dbuf_append_str(dbuf *b, const char *s)
{
    return dbuf_append(b, s, strlen(s));
}

int dbuf_putc(dbuf *b, char c)
{
    if (b->len + 1 < b->cap && b->len < b->max) {
        b->data[b->len++] = c;
        return DBUF_OK;
    }
    return dbuf_append(b, &c, 1);
}

int dbuf_printf(dbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return DBUF_ENOMEM;
    /* dbuf_reserve always leaves one byte spare beyond len + n (see there),
     * so vsnprintf's NUL fits without counting against max. */
    int rc = dbuf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return DBUF_OK;
}

const char *dbuf_cstr(dbuf *b)
{
    if (b->len >= b->cap && dbuf_reserve(b, 1) != DBUF_OK) {
        /* Room for the NUL beyond max is still allowed: it is not content. */
        char *p = realloc(b->data, b->len + 1);
        if (!p)
            return NULL;
        b->data = p;
        b->cap = b->len + 1;
    }
    b->data[b->len] = '\0';
    return b->data;
}

void dbuf_consume(dbuf *b, size_t n)
{
    if (n >= b->len) {
        b->len = 0;
        return;
    }
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
}

char *dbuf_take(dbuf *b)
{
    if (!dbuf_cstr(b))
        return NULL;
    char *p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void dbuf_free(dbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void dbuf_wipe(dbuf *b)
{
    if (b->data)
        OPENSSL_cleanse(b->data, b->cap);
    dbuf_free(b);
}
