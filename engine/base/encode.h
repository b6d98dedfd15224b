/* SPDX-License-Identifier: Apache-2.0 */
/*
 * encode.h - binary-to-text encodings for pseudonyms and keys: hex
 * (lowercase), base32 (RFC 4648 alphabet in lowercase, a-z2-7) and
 * base64url (RFC 4648 section 5). Neither base32 nor base64url is padded:
 * a pseudonym is cut to a chosen length anyway, and '=' only gets in the
 * way in CSV and URLs.
 */
#ifndef DEID_ENCODE_H
#define DEID_ENCODE_H

#include <stddef.h>

/* Characters needed for n bytes (no NUL): 2n, ceil(8n/5), ceil(4n/3).
 * n must be below SIZE_MAX / 8. */
size_t encode_hex_len(size_t n);
size_t encode_base32_len(size_t n);
size_t encode_base64url_len(size_t n);

/* Each writes the encoding of in[0..n) to out, which must have room for
 * encode_X_len(n) + 1 bytes, NUL-terminates it and returns its length
 * (without the NUL). in and out must not overlap. */
size_t encode_hex(const void *in, size_t n, char *out);
size_t encode_base32(const void *in, size_t n, char *out);
size_t encode_base64url(const void *in, size_t n, char *out);

/* Decodes len hex digits (either case; len even) from s into out, which
 * has room for len / 2 bytes. Returns 0, or -1 (out partly written) if len
 * is odd or s holds a non-hex character. Runs without table lookups or
 * branches on the digits' values, because it decodes keys. */
int encode_hex_decode(const char *s, size_t len, unsigned char *out);

/* Decodes base64 (RFC 4648: the standard alphabet with + and /, or the
 * URL-safe one with - and _) of exactly n bytes from s[0..len) into out:
 * ceil(4n/3) digits, optionally followed by the '=' padding to a multiple
 * of 4, the last digit's spare bits zero. Returns 0, or -1 (out partly
 * written) for any other text. Branch-free over the digits' values, like
 * encode_hex_decode, because it decodes keys. */
int encode_base64_decode(const char *s, size_t len, unsigned char *out, size_t n);

#endif
