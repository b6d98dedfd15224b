/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_mask.c - `mask [keep-first=N] [keep-last=M] [char=C] [only=all|digits]`:
 * shows the first N and last M characters and replaces each other one with
 * C (display masking such as 홍** or 010-****-5678).
 *
 * Characters are Unicode code points, never bytes, so a Hangul syllable is
 * one character. With only=digits, N and M count digits, only digits are
 * masked and every other character stays where it is; the ASCII digits and
 * the fullwidth digits U+FF10..FF19 count as digits (a fullwidth RRN must
 * not slip through unmasked).
 *
 * Masking never reveals the whole value: when the value has L <= N+M
 * characters (digits, with only=digits), at most L-1 are kept, taken from
 * keep-first first and then from keep-last, so at least one is masked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "deid_limits.h"
#include "err.h"
#include "transform.h"
#include "utf8.h"

typedef struct mask_state {
    size_t keep_first;
    size_t keep_last;
    char ch[4];       /* the mask character, UTF-8 */
    size_t ch_len;
    uint32_t ch_cp;
    int only_digits;
} mask_state;

static int is_digit(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

static deid_status mask_compile(xf_context *ctx, void **state)
{
    unsigned long long first, last;
    deid_status st;
    if ((st = xf_param_uint(ctx, "keep-first", 0, 0, DEID_MAX_FIELD_BYTES, 0, &first)) ||
        (st = xf_param_uint(ctx, "keep-last", 0, 0, DEID_MAX_FIELD_BYTES, 0, &last)))
        return st;
    mask_state s = {.keep_first = (size_t)first, .keep_last = (size_t)last,
                    .ch = {'*'}, .ch_len = 1, .ch_cp = '*'};
    xf_param *p = xf_param_find(ctx, "char");
    if (p && (st = xf_param_one_char(ctx, p, s.ch, &s.ch_len, &s.ch_cp)))
        return st;
    p = xf_param_find(ctx, "only");
    if (p) {
        if (strcmp(p->value, "digits") == 0)
            s.only_digits = 1;
        else if (strcmp(p->value, "all") != 0)
            return xf_param_fail(ctx, p, "only=%.64s is not known (use only=all or only=digits)",
                                 p->value);
    }
    mask_state *heap = malloc(sizeof *heap);
    if (!heap)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    *heap = s;
    *state = heap;
    return DEID_OK;
}

/* How many of the first and last of `total` units to keep so that at least
 * one unit is masked. */
static void kept_counts(const mask_state *s, size_t total, size_t *first, size_t *last)
{
    *first = s->keep_first;
    *last = s->keep_last;
    if (total > s->keep_first && total - s->keep_first > s->keep_last)
        return;
    size_t budget = total ? total - 1 : 0;
    *first = s->keep_first < budget ? s->keep_first : budget;
    budget -= *first;
    *last = s->keep_last < budget ? s->keep_last : budget;
}

static int put_mask(const mask_state *s, size_t count, dbuf *out)
{
    if (count > SIZE_MAX / s->ch_len)
        return DBUF_ETOOBIG;
    int rc = dbuf_reserve(out, count * s->ch_len);
    for (size_t i = 0; rc == DBUF_OK && i < count; i++)
        rc = dbuf_append(out, s->ch, s->ch_len);
    return rc;
}

static xf_result mask_all(const mask_state *s, const char *v, size_t len, dbuf *out,
                          const char **why)
{
    size_t total = utf8_count(v, len);
    if (total == SIZE_MAX) {
        *why = "is not valid UTF-8";
        return XF_BAD_VALUE;
    }
    size_t first, last;
    kept_counts(s, total, &first, &last);
    size_t head = utf8_offset(v, len, first);
    size_t tail = utf8_offset(v, len, total - last);
    if (dbuf_append(out, v, head) || put_mask(s, total - first - last, out) ||
        dbuf_append(out, v + tail, len - tail))
        return XF_NOMEM;
    return XF_OK;
}

static xf_result mask_digits(const mask_state *s, const char *v, size_t len, dbuf *out,
                             const char **why)
{
    size_t digits = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(v + i, len - i, &cp);
        if (n == 0) {
            *why = "is not valid UTF-8";
            return XF_BAD_VALUE;
        }
        if (is_digit(cp))
            digits++;
        i += n;
    }
    if (digits == 0) {
        *why = "has no digits to mask";
        return XF_BAD_VALUE;
    }
    size_t first, last;
    kept_counts(s, digits, &first, &last);
    size_t run = 0, k = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(v + i, len - i, &cp);
        if (is_digit(cp)) {
            if (k >= first && k < digits - last) {
                if (dbuf_append(out, v + run, i - run) ||
                    dbuf_append(out, s->ch, s->ch_len))
                    return XF_NOMEM;
                run = i + n;
            }
            k++;
        }
        i += n;
    }
    return dbuf_append(out, v + run, len - run) ? XF_NOMEM : XF_OK;
}

static xf_result mask_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                            const char **why)
{
    const mask_state *s = state;
    (void)n_in;
    if (s->only_digits)
        return mask_digits(s, in[0].data, in[0].len, out, why);
    return mask_all(s, in[0].data, in[0].len, out, why);
}

static int mask_describe(const void *state, dbuf *out)
{
    const mask_state *s = state;
    /* Quoted as the rules lexer reads it back: a bare space would end the
     * token and a bare quote would start a quoted value. */
    const char *q = "", *esc = "";
    if (s->ch_cp == ' ' || s->ch_cp == '\'' || s->ch_cp == '"')
        q = "\"";
    if (s->ch_cp == '"')
        esc = "\\";
    return dbuf_printf(out, "keep-first=%zu keep-last=%zu char=%s%s%.*s%s only=%s",
                       s->keep_first, s->keep_last, q, esc, (int)s->ch_len, s->ch, q,
                       s->only_digits ? "digits" : "all");
}

static int mask_kept(const void *state, dbuf *out)
{
    const mask_state *s = state;
    size_t n = s->keep_first + s->keep_last;
    if (n == 0)
        return DBUF_OK;
    int rc = dbuf_printf(out, "keeps %zu %s%s", n, s->only_digits ? "digit" : "character",
                         n == 1 ? "" : "s");
    if (!rc && s->keep_first && s->keep_last)
        rc = dbuf_printf(out, " (the first %zu and the last %zu)", s->keep_first, s->keep_last);
    else if (!rc)
        rc = dbuf_printf(out, " (the %s)", s->keep_first ? "first" : "last");
    return rc;
}

const transform_ops xf_mask_ops = {
    .name = "mask",
    .technique = "데이터 마스킹/식별자 부분삭제 (masking)",
    .compile = mask_compile,
    .apply = mask_apply,
    .describe = mask_describe,
    .free = free,
    .kept = mask_kept,
};
