/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pii_detect.h - Korean personal identifiers found inside text: the one
 * detector that the `scrub` transform (identifiers in free text) and
 * `deid scan` (which columns hold identifiers) share.
 *
 * Pure functions over bytes (UTF-8 text); no allocation except where an
 * output dbuf is passed; thread-safe; never prints.
 */
#ifndef DEID_PII_DETECT_H
#define DEID_PII_DETECT_H

#include <stddef.h>
#include "dbuf.h"

typedef enum pii_kind {
    PII_RRN = 0,   /* resident / foreigner registration number */
    PII_PHONE,     /* mobile 01X, landline area codes, +82 forms */
    PII_EMAIL,
    PII_CARD,      /* 13-19 digits, grouped or not, Luhn-valid */
    PII_BIZNO,     /* business registration NNN-NN-NNNNN with check digit */
    PII_PASSPORT,  /* Korean passport: letter + 8 digits (and M123A4567 form) */
    PII_DRIVER,    /* driver's licence NN-NN-NNNNNN-NN */
    PII_PLATE,     /* vehicle plates 12가3456, 123가4567, regional forms */
    PII_IP,        /* IPv4 and IPv6 */
    PII_ACCOUNT,   /* bank account numbers in documented printed formats */
    PII_KIND_COUNT
} pii_kind;

/* A bit set of kinds: 1u << kind. */
#define PII_ALL_KINDS ((1u << PII_KIND_COUNT) - 1u)

/* Returns the rules keyword of kind ("rrn", "phone", ...), static. */
const char *pii_kind_name(pii_kind kind);
/* Returns the replacement tag of kind ("<RRN>", "<PHONE>", ...), static. */
const char *pii_kind_tag(pii_kind kind);
/* Returns 0 and sets *kind when name is a kind's keyword; else -1. */
int pii_kind_parse(const char *name, pii_kind *kind);

/* One finding: bytes [start, start + len) of the text. */
typedef struct pii_span {
    size_t start;
    size_t len;
    pii_kind kind;
} pii_span;

/* Called for each finding in text order; return non-zero to stop. */
typedef int (*pii_found_fn)(const pii_span *span, void *ctx);

/* Scans text[0..len) for identifiers of the kinds in the bit set kinds and
 * calls found once per finding, in increasing start order, never for
 * overlapping spans (where two kinds overlap, the longer, then the more
 * specific, wins). A finding never starts or ends inside a longer run of
 * digits or ASCII letters (so parts of order numbers are not found).
 * Returns 0, or the first non-zero value found returned. */
int pii_find(const char *text, size_t len, unsigned kinds, pii_found_fn found, void *ctx);

/* Returns 1 when the whole of value[0..len), ignoring surrounding spaces,
 * is one identifier of kind (what `deid scan` counts per column); else 0. */
int pii_value_is(pii_kind kind, const char *value, size_t len);

/* Appends to out the normalized form of a finding of kind (phones:
 * digits only, national form 010..., +82 turned into 0; rrn/card/bizno/
 * driver/account: digits only; email: lower-cased; others: as written
 * without spaces), so that one identifier written in different ways
 * gives one keyed pseudonym. Returns a DBUF_* code. */
int pii_normalize(pii_kind kind, const char *value, size_t len, dbuf *out);

#endif
