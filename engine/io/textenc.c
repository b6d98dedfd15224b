/* SPDX-License-Identifier: Apache-2.0 */
/*
 * textenc.c - encoding names, ASCII and UTF-8 tests, and iconv
 * conversions of whole values (see textenc.h).
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "textenc.h"

/* glibc's names; CP949 is Microsoft's Unified Hangul Code, a superset of
 * EUC-KR, which is what Korean Windows calls EUC-KR too. */
#define ICONV_UTF8 "UTF-8"
#define ICONV_CP949 "CP949"
#define ICONV_EUCKR "EUC-KR"

struct text_conv {
    iconv_t from_cp949;  /* CP949 -> UTF-8 */
    iconv_t to_cp949;    /* UTF-8 -> CP949 */
    iconv_t to_euckr;    /* UTF-8 -> EUC-KR */
};

#define NO_ICONV ((iconv_t)-1)

const char *textenc_name(deid_encoding e)
{
    switch (e) {
    case DEID_ENCODING_AUTO: return "auto";
    case DEID_ENCODING_UTF8: return "utf-8";
    case DEID_ENCODING_CP949: return "cp949";
    case DEID_ENCODING_EUCKR: return "euc-kr";
    default: return "?";
    }
}

int textenc_is_ascii(const char *p, size_t n)
{
    size_t i = 0;
    /* eight bytes a step: this runs over every field of a CP949 input */
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        if (w & 0x8080808080808080ull)
            return 0;
    }
    for (; i < n; i++)
        if ((unsigned char)p[i] & 0x80)
            return 0;
    return 1;
}

static int cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

int textenc_valid_utf8(const char *p, size_t n, size_t *bad)
{
    /* The rules of utf8_decode (no overlong form, no surrogate, nothing
     * past U+10FFFF), inline: this runs over every non-ASCII field of a
     * UTF-8 input that `auto` detected. */
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t left = n - i;
        if (c < 0x80) {
            /* an ASCII byte: the ones after it eight at a time */
            for (i++; i + 8 <= n; i += 8) {
                uint64_t w;
                memcpy(&w, s + i, sizeof w);
                if (w & 0x8080808080808080ull)
                    break;
            }
        } else if (c >= 0xE1 && c <= 0xEF && c != 0xED && left >= 3 && cont(s[i + 1]) &&
                   cont(s[i + 2])) {
            i += 3; /* Hangul and most CJK: never overlong, never a surrogate */
        } else if (c >= 0xC2 && c <= 0xDF) {
            if (left < 2 || !cont(s[i + 1]))
                break;
            i += 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
            if (left < 3 || s[i + 1] < lo || s[i + 1] > hi || !cont(s[i + 2]))
                break;
            i += 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
            if (left < 4 || s[i + 1] < lo || s[i + 1] > hi || !cont(s[i + 2]) || !cont(s[i + 3]))
                break;
            i += 4;
        } else {
            break;
        }
    }
    if (i < n) {
        *bad = i;
        return 0;
    }
    return 1;
}

text_conv *text_conv_new(void)
{
    text_conv *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->from_cp949 = c->to_cp949 = c->to_euckr = NO_ICONV;
    return c;
}

void text_conv_free(text_conv *c)
{
    if (!c)
        return;
    if (c->from_cp949 != NO_ICONV)
        iconv_close(c->from_cp949);
    if (c->to_cp949 != NO_ICONV)
        iconv_close(c->to_cp949);
    if (c->to_euckr != NO_ICONV)
        iconv_close(c->to_euckr);
    free(c);
}

static iconv_t open_once(iconv_t *cd, const char *to, const char *from)
{
    if (*cd == NO_ICONV)
        *cd = iconv_open(to, from);
    return *cd;
}

/* Runs cd over the whole of (p, n) into out, growing it. */
static int convert(iconv_t cd, const char *p, size_t n, dbuf *out, size_t *bad)
{
    if (cd == NO_ICONV)
        return TEXTENC_NOMEM;
    iconv(cd, NULL, NULL, NULL, NULL); /* a clean state: values are independent */
    char *in = (char *)p;
    size_t left = n;
    while (left > 0) {
        /* CP949 <-> UTF-8 changes a character's length by at most half */
        size_t want = left + left / 2 + 8;
        if (dbuf_reserve(out, want) != DBUF_OK)
            return TEXTENC_NOMEM;
        char *o = out->data + out->len;
        size_t room = out->cap - out->len - 1; /* dbuf keeps a spare byte */
        size_t r = iconv(cd, &in, &left, &o, &room);
        out->len = (size_t)(o - out->data);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        /* EILSEQ: an invalid or unmappable character; EINVAL: cut short */
        *bad = (size_t)(in - p);
        return TEXTENC_BAD;
    }
    if (out->len > out->max)
        return TEXTENC_NOMEM;
    return TEXTENC_OK;
}

int text_conv_decode(text_conv *c, deid_encoding from, const char *p, size_t n, dbuf *out,
                     size_t *bad)
{
    (void)from; /* EUC-KR is read with CP949's tables: a superset */
    return convert(open_once(&c->from_cp949, ICONV_UTF8, ICONV_CP949), p, n, out, bad);
}

int text_conv_encode(text_conv *c, deid_encoding to, const char *p, size_t n, dbuf *out,
                     size_t *bad)
{
    iconv_t cd = to == DEID_ENCODING_EUCKR ? open_once(&c->to_euckr, ICONV_EUCKR, ICONV_UTF8)
                                           : open_once(&c->to_cp949, ICONV_CP949, ICONV_UTF8);
    return convert(cd, p, n, out, bad);
}

int deid_encoding_from_name(const char *name)
{
    static const struct {
        const char *name;
        deid_encoding e;
    } names[] = {
        {"auto", DEID_ENCODING_AUTO},   {"utf-8", DEID_ENCODING_UTF8},
        {"utf8", DEID_ENCODING_UTF8},   {"cp949", DEID_ENCODING_CP949},
        {"uhc", DEID_ENCODING_CP949},   {"euc-kr", DEID_ENCODING_EUCKR},
        {"euckr", DEID_ENCODING_EUCKR},
    };
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (!strcasecmp(name, names[i].name))
            return (int)names[i].e;
    return -1;
}
