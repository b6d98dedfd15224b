/* SPDX-License-Identifier: Apache-2.0 */
/*
 * text_escape.c - names made safe to print (text_escape.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "deid.h"
#include "text_escape.h"
#include "utf8.h"

static int unsafe_cp(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
           cp == 0x2029;
}

/* The escape for the character at s (or its first byte when invalid):
 * writes it to esc (room for 8 bytes + NUL) and returns its length, or 0
 * when the *adv bytes at s print as they are. */
static size_t one(const char *s, size_t len, int keep_tab, size_t *adv, char esc[12])
{
    unsigned char c = (unsigned char)s[0];
    *adv = 1;
    if (c < 0x80) {
        if (c >= 0x20 && c != 0x7F)
            return 0;
        if (c == '\t' && keep_tab)
            return 0;
        if (c == '\t' || c == '\n' || c == '\r') {
            esc[0] = '\\';
            esc[1] = c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
            esc[2] = '\0';
            return 2;
        }
        return (size_t)snprintf(esc, 12, "\\x%02x", c);
    }
    uint32_t cp;
    size_t n = utf8_decode(s, len, &cp);
    if (n == 0)
        return (size_t)snprintf(esc, 12, "\\x%02x", c);
    *adv = n;
    if (!unsafe_cp(cp))
        return 0;
    return (size_t)snprintf(esc, 12, "\\u%04x", (unsigned)cp);
}

int text_needs_escape(const char *s, size_t len, int keep_tab)
{
    char esc[12];
    for (size_t i = 0; i < len;) {
        size_t adv;
        if (one(s + i, len - i, keep_tab, &adv, esc))
            return 1;
        i += adv;
    }
    return 0;
}

size_t text_escape(const char *s, size_t len, int keep_tab, char *out, size_t size)
{
    size_t need = 0, written = 0;
    int cut = 0;
    char esc[12];
    for (size_t i = 0; i < len; ) {
        size_t adv, n = one(s + i, len - i, keep_tab, &adv, esc);
        const char *piece = n ? esc : s + i;
        size_t piece_len = n ? n : adv;
        /* a piece goes in whole or not at all, and nothing after a cut */
        if (!cut && written + piece_len < size) {
            memcpy(out + written, piece, piece_len);
            written += piece_len;
        } else {
            cut = 1;
        }
        need += piece_len;
        i += adv;
    }
    if (size)
        out[written] = '\0';
    return need;
}

int text_escape_append(dbuf *out, const char *s, size_t len)
{
    char esc[12];
    for (size_t i = 0; i < len;) {
        size_t adv, n = one(s + i, len - i, 0, &adv, esc);
        int rc = n ? dbuf_append(out, esc, n) : dbuf_append(out, s + i, adv);
        if (rc)
            return rc;
        i += adv;
    }
    return 0;
}

size_t deid_escape_text(const char *s, char *buf, size_t size)
{
    return text_escape(s, strlen(s), 0, buf, size);
}
