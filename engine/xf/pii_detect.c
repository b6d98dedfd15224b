/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pii_detect.c - the identifier detector's driver: kind names, the scan
 * that picks one finding per position (longest, then most specific),
 * whole-value tests and normalization. The per-kind formats are in
 * pii_detect_numbers.c (digit-based kinds) and pii_detect_text.c (email,
 * passport, plate, IP addresses).
 */
#include "pii_detect.h"
#include "pii_detect_int.h"

#include <string.h>

static const char *const kind_names[PII_KIND_COUNT] = {
    "rrn", "phone", "email", "card", "bizno", "passport", "driver", "plate", "ip", "account",
};
static const char *const kind_tags[PII_KIND_COUNT] = {
    "<RRN>", "<PHONE>", "<EMAIL>", "<CARD>", "<BIZNO>", "<PASSPORT>", "<DRIVER>", "<PLATE>", "<IP>",
    "<ACCOUNT>",
};

/* Tried in this order; on equal length the earlier one wins. Check-digit
 * kinds come first: a match there is least likely to be chance. */
static const struct {
    pii_kind kind;
    pii_match_fn match;
} matchers[] = {
    {PII_RRN, pii_match_rrn},       {PII_BIZNO, pii_match_bizno},
    {PII_DRIVER, pii_match_driver}, {PII_CARD, pii_match_card},
    {PII_PHONE, pii_match_phone},   {PII_ACCOUNT, pii_match_account},
    {PII_PASSPORT, pii_match_passport}, {PII_PLATE, pii_match_plate},
    {PII_IP, pii_match_ip},         {PII_EMAIL, pii_match_email},
};

const char *pii_kind_name(pii_kind kind)
{
    return (unsigned)kind < PII_KIND_COUNT ? kind_names[kind] : "?";
}

const char *pii_kind_tag(pii_kind kind)
{
    return (unsigned)kind < PII_KIND_COUNT ? kind_tags[kind] : "<?>";
}

int pii_kind_parse(const char *name, pii_kind *kind)
{
    for (unsigned k = 0; k < PII_KIND_COUNT; k++)
        if (strcmp(name, kind_names[k]) == 0) {
            *kind = (pii_kind)k;
            return 0;
        }
    return -1;
}

int pii_end_ok(const char *text, size_t len, size_t end)
{
    if (end >= len)
        return 1;
    unsigned char c = (unsigned char)text[end];
    if (pii_is_alnum(c))
        return 0;
    if ((c == '-' || c == '_') && end + 1 < len && pii_is_alnum((unsigned char)text[end + 1]))
        return 0;
    /* "59,599" and "3.5": the number goes on */
    if ((c == ',' || c == '.') && end + 1 < len && pii_is_digit((unsigned char)text[end + 1]))
        return 0;
    return 1;
}

/* The start-side twin of pii_end_ok. */
static int start_ok(const char *text, size_t at)
{
    if (at == 0)
        return 1;
    unsigned char c = (unsigned char)text[at - 1];
    if (pii_is_alnum(c))
        return 0;
    if ((c == '-' || c == '_') && at >= 2 && pii_is_alnum((unsigned char)text[at - 2]))
        return 0;
    if ((c == ',' || c == '.') && at >= 2 && pii_is_digit((unsigned char)text[at - 2]))
        return 0;
    return 1;
}

/* Bytes that can begin some finding: cheap filter before the matchers. */
static int may_start(unsigned char c)
{
    return pii_is_alnum(c) || c == '+' || c == '(' || c == ':' || c >= 0xC0;
}

int pii_find(const char *text, size_t len, unsigned kinds, pii_found_fn found, void *ctx)
{
    size_t at = 0;
    while (at < len) {
        unsigned char c = (unsigned char)text[at];
        if (!may_start(c) || !start_ok(text, at)) {
            at++;
            continue;
        }
        size_t best = 0;
        pii_kind best_kind = PII_RRN;
        for (size_t m = 0; m < sizeof matchers / sizeof matchers[0]; m++) {
            if (!(kinds & (1u << matchers[m].kind)))
                continue;
            size_t n = matchers[m].match(text, len, at);
            if (n > best) {
                best = n;
                best_kind = matchers[m].kind;
            }
        }
        if (best == 0) {
            at++;
            continue;
        }
        pii_span span = {at, best, best_kind};
        int rc = found(&span, ctx);
        if (rc != 0)
            return rc;
        at += best;
    }
    return 0;
}

typedef struct whole_ctx {
    size_t start, len;
    int hit;
} whole_ctx;

static int whole_found(const pii_span *span, void *ctx)
{
    whole_ctx *w = ctx;
    w->hit = span->start == w->start && span->len == w->len;
    return 1; /* the first finding decides */
}

int pii_value_is(pii_kind kind, const char *value, size_t len)
{
    if ((unsigned)kind >= PII_KIND_COUNT)
        return 0;
    size_t a = 0, b = len;
    while (a < b && value[a] == ' ')
        a++;
    while (b > a && value[b - 1] == ' ')
        b--;
    if (a == b)
        return 0;
    whole_ctx w = {a, b - a, 0};
    pii_find(value, len, 1u << kind, whole_found, &w);
    return w.hit;
}

static int append_digits(const char *value, size_t len, dbuf *out)
{
    for (size_t i = 0; i < len; i++)
        if (pii_is_digit((unsigned char)value[i])) {
            int rc = dbuf_putc(out, value[i]);
            if (rc != DBUF_OK)
                return rc;
        }
    return DBUF_OK;
}

/* "+82 10-1234-5678", "+82 (0)10 1234 5678" and "010.1234.5678" all
 * become 01012345678. */
static int normalize_phone(const char *value, size_t len, dbuf *out)
{
    size_t i = 0;
    while (i < len && value[i] == ' ')
        i++;
    if (i < len && value[i] == '+') {
        i++;
        int skipped = 0;
        while (i < len && skipped < 2) { /* the country code 82 */
            if (pii_is_digit((unsigned char)value[i]))
                skipped++;
            i++;
        }
        size_t first = i;
        while (first < len && !pii_is_digit((unsigned char)value[first]))
            first++;
        if (first < len && value[first] != '0') {
            int rc = dbuf_putc(out, '0');
            if (rc != DBUF_OK)
                return rc;
        }
        /* "(0)" after +82 is the trunk zero written for readers: keep one 0 */
        return append_digits(value + i, len - i, out);
    }
    return append_digits(value + i, len - i, out);
}

int pii_normalize(pii_kind kind, const char *value, size_t len, dbuf *out)
{
    switch (kind) {
    case PII_PHONE:
        return normalize_phone(value, len, out);
    case PII_RRN:
    case PII_CARD:
    case PII_BIZNO:
    case PII_ACCOUNT:
        return append_digits(value, len, out);
    case PII_DRIVER: {
        /* a region name stands for its two-digit code: keep it as written
         * (without spaces) so 서울 12-... and 11-12-... stay apart only
         * when they differ in fact */
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)value[i];
            if (c == ' ' || c == '-')
                continue;
            int rc = dbuf_putc(out, (char)c);
            if (rc != DBUF_OK)
                return rc;
        }
        return DBUF_OK;
    }
    case PII_EMAIL:
        for (size_t i = 0; i < len; i++) {
            char c = value[i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c == ' ')
                continue;
            int rc = dbuf_putc(out, c);
            if (rc != DBUF_OK)
                return rc;
        }
        return DBUF_OK;
    default:
        for (size_t i = 0; i < len; i++) {
            if (value[i] == ' ')
                continue;
            int rc = dbuf_putc(out, value[i]);
            if (rc != DBUF_OK)
                return rc;
        }
        return DBUF_OK;
    }
}
