/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pii_detect_int.h - what the detector's driver (pii_detect.c) and its
 * per-kind matchers (pii_detect_numbers.c, pii_detect_text.c) share.
 * Not for use outside pii_detect*.c.
 */
#ifndef DEID_PII_DETECT_INT_H
#define DEID_PII_DETECT_INT_H

#include <stddef.h>
#include "pii_detect.h"

/* A matcher looks at text[at..len) and returns the byte length of the
 * longest identifier of its kind that starts exactly at `at` and ends on
 * a boundary (pii_end_ok), or 0. The driver has checked the start
 * boundary already. */
typedef size_t (*pii_match_fn)(const char *text, size_t len, size_t at);

size_t pii_match_rrn(const char *text, size_t len, size_t at);
size_t pii_match_phone(const char *text, size_t len, size_t at);
size_t pii_match_card(const char *text, size_t len, size_t at);
size_t pii_match_bizno(const char *text, size_t len, size_t at);
size_t pii_match_driver(const char *text, size_t len, size_t at);
size_t pii_match_account(const char *text, size_t len, size_t at);
size_t pii_match_ip(const char *text, size_t len, size_t at);
size_t pii_match_email(const char *text, size_t len, size_t at);
size_t pii_match_passport(const char *text, size_t len, size_t at);
size_t pii_match_plate(const char *text, size_t len, size_t at);

static inline int pii_is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline int pii_is_alnum(unsigned char c)
{
    return pii_is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Returns 1 when a finding may end at byte end: the next byte is not an
 * ASCII letter or digit, not a '-' or '_' joined to one (so the head of
 * "010-1234-5678-AB" or of a product code is not taken), and not a ',' or
 * '.' followed by a digit (a number that goes on: "59,599"). */
int pii_end_ok(const char *text, size_t len, size_t end);

/* Digit groups read from a position: "010-1234-5678" is three groups with
 * separator '-' after the first two. A separator is one of - . space ),
 * or ") " (stored as ')'), and must be followed by a digit. */
enum { PII_MAX_GROUPS = 6 };
typedef struct pii_groups {
    size_t n;
    size_t start[PII_MAX_GROUPS];
    size_t len[PII_MAX_GROUPS];
    char sep[PII_MAX_GROUPS];      /* separator after group i (0 after the last) */
    size_t end[PII_MAX_GROUPS];    /* byte just past group i */
} pii_groups;

/* Reads up to PII_MAX_GROUPS digit groups starting at text[at] (a digit).
 * A group longer than 19 digits ends the reading after it. */
void pii_groups_read(const char *text, size_t len, size_t at, pii_groups *g);

/* Returns 1 when groups [0, n) have the lengths in want[0..n) and every
 * separator between them is sep. */
int pii_groups_are(const pii_groups *g, size_t n, const unsigned char *want, char sep);

/* Digit value of the i-th digit across groups [0, n) (separators skipped). */
int pii_groups_digit(const char *text, const pii_groups *g, size_t n, size_t i);

/* Total digits in groups [0, n). */
size_t pii_groups_digits(const pii_groups *g, size_t n);

/* Returns the byte length of one of the given UTF-8 words at text[at], or 0. */
size_t pii_match_word(const char *text, size_t len, size_t at, const char *const *words, size_t n_words);

/* Korean region names (서울, 부산, ... 제주, 세종) used by plates and
 * driver's licences. */
extern const char *const pii_region_names[];
extern const size_t pii_region_count;

#endif
