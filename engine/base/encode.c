/* SPDX-License-Identifier: Apache-2.0 */
/*
 * encode.c - hex, lowercase unpadded base32 and unpadded base64url (see
 * encode.h). base64 comes from OpenSSL (EVP_EncodeBlock) and is translated
 * to the URL alphabet; hex and base32 are a few lines each.
 */
#include <string.h>

#include <openssl/evp.h>

#include "encode.h"

size_t encode_hex_len(size_t n)
{
    return 2 * n;
}

size_t encode_base32_len(size_t n)
{
    return (8 * n + 4) / 5;
}

size_t encode_base64url_len(size_t n)
{
    return (4 * n + 2) / 3;
}

/* A nibble as a lowercase hex digit without a table lookup: key bytes pass
 * through here when a key file is written. */
static char hex_digit(unsigned x)
{
    /* 9 - x wraps around exactly when x > 9, setting bit 8, which selects
     * the distance from '0' + x to 'a' + x - 10. */
    int above9 = (int)((9u - x) >> 8) & 1;
    return (char)('0' + x + (unsigned)above9 * ('a' - '0' - 10));
}

size_t encode_hex(const void *in, size_t n, char *out)
{
    const unsigned char *p = in;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex_digit(p[i] >> 4);
        out[2 * i + 1] = hex_digit(p[i] & 15u);
    }
    out[2 * n] = '\0';
    return 2 * n;
}

size_t encode_base32(const void *in, size_t n, char *out)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    const unsigned char *p = in;
    size_t o = 0;
    unsigned long acc = 0; /* at most 12 pending bits */
    unsigned bits = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8) | p[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out[o++] = alphabet[(acc >> bits) & 31u];
        }
        acc &= (1ul << bits) - 1;
    }
    /* RFC 4648: the last quantum is zero-padded on the right. */
    if (bits > 0)
        out[o++] = alphabet[(acc << (5 - bits)) & 31u];
    out[o] = '\0';
    return o;
}

size_t encode_base64url(const void *in, size_t n, char *out)
{
    const unsigned char *p = in;
    size_t o = 0;
    /* EVP_EncodeBlock takes an int and writes a NUL after each block: feed
     * it whole 3-byte groups straight into out (the NUL lands where the
     * next block starts), and the last 1-2 bytes through a small buffer so
     * that the padding never touches out. */
    const size_t chunk = 3 * 1024;
    size_t whole = n - n % 3;
    for (size_t i = 0; i < whole; i += chunk) {
        size_t m = whole - i < chunk ? whole - i : chunk;
        o += (size_t)EVP_EncodeBlock((unsigned char *)out + o, p + i, (int)m);
    }
    if (n % 3) {
        unsigned char tail[5];
        EVP_EncodeBlock(tail, p + whole, (int)(n % 3));
        size_t keep = n % 3 + 1; /* 1 byte -> 2 chars, 2 bytes -> 3 chars */
        memcpy(out + o, tail, keep);
        o += keep;
    }
    for (size_t i = 0; i < o; i++) {
        if (out[i] == '+')
            out[i] = '-';
        else if (out[i] == '/')
            out[i] = '_';
    }
    out[o] = '\0';
    return o;
}

/* Returns the digit's value, and clears *ok when c is not a hex digit;
 * comparisons and masks only, no branch on c. */
static unsigned hex_value(unsigned char c, unsigned *ok)
{
    unsigned d = (unsigned)c - '0';
    unsigned a = ((unsigned)c | 0x20u) - 'a';
    unsigned is_d = (unsigned)(d <= 9);
    unsigned is_a = (unsigned)(a <= 5);
    *ok &= is_d | is_a;
    return (d & (0u - is_d)) | ((a + 10) & (0u - is_a));
}

int encode_hex_decode(const char *s, size_t len, unsigned char *out)
{
    if (len % 2)
        return -1;
    unsigned ok = 1;
    for (size_t i = 0; i < len / 2; i++) {
        unsigned hi = hex_value((unsigned char)s[2 * i], &ok);
        unsigned lo = hex_value((unsigned char)s[2 * i + 1], &ok);
        out[i] = (unsigned char)((hi << 4) | lo);
    }
    return ok ? 0 : -1;
}

/* Value of base64 digit c in either alphabet; clears *ok if c is none. */
static unsigned base64_value(unsigned c, unsigned *ok)
{
    unsigned upper = c - 'A' <= 25u, lower = c - 'a' <= 25u, digit = c - '0' <= 9u;
    unsigned v62 = (c == '+') | (c == '-'), v63 = (c == '/') | (c == '_');
    *ok &= upper | lower | digit | v62 | v63;
    return (upper * (c - 'A')) | (lower * (c - 'a' + 26)) | (digit * (c - '0' + 52)) |
           (v62 * 62) | (v63 * 63);
}

int encode_base64_decode(const char *s, size_t len, unsigned char *out, size_t n)
{
    size_t digits = (4 * n + 2) / 3, padded = (digits + 3) / 4 * 4;
    if (len != digits && len != padded)
        return -1;
    for (size_t i = digits; i < len; i++)
        if (s[i] != '=')
            return -1;
    unsigned ok = 1, acc = 0, bits = 0;
    size_t got = 0;
    for (size_t i = 0; i < digits; i++) {
        acc = (acc << 6) | (base64_value((unsigned char)s[i], &ok) & 63u);
        bits += 6;
        if (bits >= 8) { /* depends on the position only */
            bits -= 8;
            out[got++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    ok &= acc == 0; /* the spare bits */
    return ok && got == n ? 0 : -1;
}
