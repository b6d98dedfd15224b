/* SPDX-License-Identifier: Apache-2.0 */
/*
 * utf8.c - strict UTF-8 decoding (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF) and the Hangul part of NFC
 * composition (Unicode ch. 3.12, "Conjoining Jamo Behavior"), so that NFD
 * Hangul from macOS hashes and masks like the NFC spelling of the same name.
 */
#include <stdint.h>
#include <string.h>

#include "utf8.h"

/* Hangul composition constants, Unicode ch. 3.12. */
enum {
    S_BASE = 0xAC00,
    L_BASE = 0x1100,
    V_BASE = 0x1161,
    T_BASE = 0x11A7, /* T index 0 means "no trailing consonant" */
    L_COUNT = 19,
    V_COUNT = 21,
    T_COUNT = 28,
    N_COUNT = V_COUNT * T_COUNT,
    S_COUNT = L_COUNT * N_COUNT
};

int utf8_is_white_space(uint32_t cp)
{
    if (cp < 0x80)
        return cp == ' ' || (cp >= '\t' && cp <= '\r');
    switch (cp) {
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
        return 1;
    default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
}

size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    if (len == 0)
        return 0;
    const unsigned char *p = (const unsigned char *)s;
    unsigned char b0 = p[0];
    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    size_t n;
    uint32_t c, min;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 2, c = b0 & 0x1Fu, min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3, c = b0 & 0x0Fu, min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4, c = b0 & 0x07u, min = 0x10000;
    } else {
        /* 0x80-0xBF: stray continuation; 0xC0/0xC1: always overlong;
         * 0xF5-0xFF: beyond U+10FFFF or not UTF-8 at all. */
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

size_t utf8_count(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t count = 0;
    size_t i = 0;
    while (i < len) {
        /* ASCII runs are the common case in CSV data: eight bytes a step */
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, p + i, sizeof w);
            if (!(w & 0x8080808080808080ull)) {
                i += 8;
                count += 8;
                continue;
            }
        }
        unsigned char c = p[i];
        if (c < 0x80) {
            i++;
            count++;
            continue;
        }
        /* Three-byte forms led by E1-EC or EE-EF (Hangul syllables, most
         * CJK) can be neither overlong nor surrogates: only the
         * continuation bytes need looking at. */
        if (c >= 0xE1 && c <= 0xEF && c != 0xED && len - i >= 3 && (p[i + 1] & 0xC0) == 0x80 &&
            (p[i + 2] & 0xC0) == 0x80) {
            i += 3;
            count++;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return SIZE_MAX;
        i += n;
        count++;
    }
    return count;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF)
        return 0;
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t utf8_offset(const char *s, size_t len, size_t n)
{
    size_t i = 0;
    while (n > 0 && i < len) {
        uint32_t cp;
        size_t step = utf8_decode(s + i, len - i, &cp);
        /* Callers promise valid UTF-8; if not, step one byte so we still end. */
        i += step ? step : 1;
        n--;
    }
    return i;
}

static int is_l(uint32_t cp) { return cp >= L_BASE && cp < L_BASE + L_COUNT; }
static int is_v(uint32_t cp) { return cp >= V_BASE && cp < V_BASE + V_COUNT; }
static int is_t(uint32_t cp) { return cp > T_BASE && cp < T_BASE + T_COUNT; }

static int is_lv(uint32_t cp)
{
    return cp >= S_BASE && cp < S_BASE + S_COUNT && (cp - S_BASE) % T_COUNT == 0;
}

/* Decodes the code point at s[i] if there is one; 0 when at the end or
 * invalid (the main loop reports invalid bytes when it reaches them). */
static size_t peek(const char *s, size_t len, size_t i, uint32_t *cp)
{
    return i < len ? utf8_decode(s + i, len - i, cp) : 0;
}

int utf8_compose_hangul(const char *s, size_t len, dbuf *out)
{
    size_t start_len = out->len;
    size_t run = 0; /* start of bytes not yet copied to out */
    size_t i = 0;
    int rc = DBUF_OK;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            out->len = start_len;
            return 1;
        }
        uint32_t next, syllable;
        size_t j = i + n, m;
        if (is_l(cp) && (m = peek(s, len, j, &next)) && is_v(next)) {
            syllable = S_BASE + ((cp - L_BASE) * V_COUNT + (next - V_BASE)) * T_COUNT;
            j += m;
        } else if (is_lv(cp)) {
            syllable = cp;
        } else {
            i = j;
            continue;
        }
        /* An LV syllable, composed just now or precomposed, may take a T. */
        if ((m = peek(s, len, j, &next)) && is_t(next)) {
            syllable += next - T_BASE;
            j += m;
        }
        if (syllable != cp || j != i + n) {
            char enc[4];
            size_t k = utf8_encode(syllable, enc);
            if ((rc = dbuf_append(out, s + run, i - run)) || (rc = dbuf_append(out, enc, k)))
                break;
            run = j;
        }
        i = j;
    }
    if (rc == DBUF_OK)
        rc = dbuf_append(out, s + run, len - run);
    if (rc != DBUF_OK)
        out->len = start_len;
    return rc;
}
