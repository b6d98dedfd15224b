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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

#if defined(__SSE2__)
/* Bytewise unsigned x >= c, x == c (all ones where true). */
static inline __m128i ge_u8(__m128i x, unsigned char c)
{
    return _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8((char)c)), x);
}

static inline __m128i eq_u8(__m128i x, unsigned char c)
{
    return _mm_cmpeq_epi8(x, _mm_set1_epi8((char)c));
}

/* The bytes of cur that break a rule of textenc_valid_utf8, given the 16
 * bytes before it (prev): a continuation byte exactly where a lead 1, 2
 * or 3 bytes back asks for one; no C0, C1 or F5..FF; the second byte's
 * range after E0 (no overlong), ED (no surrogate), F0 and F4 (U+10000 to
 * U+10FFFF). */
static inline __m128i utf8_block_errors(__m128i prev, __m128i cur)
{
    __m128i prev1 = _mm_or_si128(_mm_slli_si128(cur, 1), _mm_srli_si128(prev, 15));
    __m128i prev2 = _mm_or_si128(_mm_slli_si128(cur, 2), _mm_srli_si128(prev, 14));
    __m128i prev3 = _mm_or_si128(_mm_slli_si128(cur, 3), _mm_srli_si128(prev, 13));
    __m128i need = _mm_or_si128(ge_u8(prev1, 0xC0),
                                _mm_or_si128(ge_u8(prev2, 0xE0), ge_u8(prev3, 0xF0)));
    __m128i is_cont = eq_u8(_mm_and_si128(cur, _mm_set1_epi8((char)0xC0)), 0x80);
    __m128i bad = _mm_xor_si128(need, is_cont);
    bad = _mm_or_si128(bad, _mm_or_si128(eq_u8(_mm_and_si128(cur, _mm_set1_epi8((char)0xFE)), 0xC0),
                                         ge_u8(cur, 0xF5)));
    bad = _mm_or_si128(bad, _mm_andnot_si128(ge_u8(cur, 0xA0), eq_u8(prev1, 0xE0)));
    bad = _mm_or_si128(bad, _mm_and_si128(ge_u8(cur, 0xA0), eq_u8(prev1, 0xED)));
    bad = _mm_or_si128(bad, _mm_andnot_si128(ge_u8(cur, 0x90), eq_u8(prev1, 0xF0)));
    return _mm_or_si128(bad, _mm_and_si128(ge_u8(cur, 0x90), eq_u8(prev1, 0xF4)));
}
#endif

int textenc_utf8_ok(const char *p, size_t n)
{
#if defined(__SSE2__)
    __m128i prev = _mm_setzero_si128(), bad = _mm_setzero_si128();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i cur = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        /* ASCII after ASCII (no lead waiting for its continuations) */
        if (!_mm_movemask_epi8(_mm_or_si128(cur, prev))) {
            prev = cur;
            continue;
        }
        bad = _mm_or_si128(bad, utf8_block_errors(prev, cur));
        prev = cur;
    }
    /* The tail (at most 15 bytes, maybe none), padded with NULs: a
     * character cut short at the end meets a NUL where it needs its next
     * continuation, which is at most byte 15 of the block. */
    unsigned char last[16] = {0};
    if (n > i)
        memcpy(last, p + i, n - i);
    __m128i tail = _mm_loadu_si128((const __m128i *)(const void *)last);
    bad = _mm_or_si128(bad, utf8_block_errors(prev, tail));
    return _mm_movemask_epi8(bad) == 0;
#else
    size_t at;
    return textenc_valid_utf8(p, n, &at);
#endif
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
