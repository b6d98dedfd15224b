/*
 * xf_prefix.c - `prefix N [pad=C]`: keeps the first N characters (Unicode
 * code points, never bytes) of a value, e.g. the first three digits of a
 * postal code: 06236 -> 062. With pad=C each removed character becomes C,
 * so the value keeps its length: 06236 -> 062**.
 *
 * A value of N characters or fewer is kept unchanged: it is already at the
 * precision asked for, and cutting nothing cannot be made coarser here (a
 * rule that must hide short values needs another transform, e.g. mask).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "deid_limits.h"
#include "transform.h"
#include "utf8.h"

typedef struct prefix_state {
    size_t keep;
    char pad[4]; /* UTF-8 */
    size_t pad_len; /* 0: no padding */
    uint32_t pad_cp;
} prefix_state;

/* Same rule as mask's char=: one printable character. */
static deid_status one_char(xf_context *ctx, const xf_param *p, prefix_state *s)
{
    size_t len = strlen(p->value);
    size_t count = utf8_count(p->value, len);
    if (count == SIZE_MAX)
        return xf_param_fail(ctx, p, "%s= is not valid UTF-8", p->name);
    if (count != 1)
        return xf_param_fail(ctx, p, "%s= must be exactly one character", p->name);
    size_t n = utf8_decode(p->value, len, &s->pad_cp);
    if (s->pad_cp < 0x20 || s->pad_cp == 0x7F)
        return xf_param_fail(ctx, p, "%s= must be a printable character", p->name);
    memcpy(s->pad, p->value, n);
    s->pad_len = n;
    return DEID_OK;
}

static deid_status prefix_compile(xf_context *ctx, void **state)
{
    xf_param *p = xf_positional(ctx, 0);
    if (!p)
        return xf_param_fail(ctx, NULL, "prefix needs a length, e.g. prefix 3");
    const char *v = p->value;
    if (*v < '0' || *v > '9')
        return xf_param_fail(ctx, p, "prefix length %.64s is not a whole number", v);
    errno = 0;
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || *end)
        return xf_param_fail(ctx, p, "prefix length %.64s is not a whole number", v);
    if (n < 1 || n > DEID_MAX_FIELD_BYTES)
        return xf_param_fail(ctx, p, "prefix length %.64s is out of range (1 to %u)", v,
                             DEID_MAX_FIELD_BYTES);
    prefix_state s = {.keep = (size_t)n};
    deid_status st;
    xf_param *pad = xf_param_find(ctx, "pad");
    if (pad && (st = one_char(ctx, pad, &s)))
        return st;
    prefix_state *heap = malloc(sizeof *heap);
    if (!heap)
        return xf_param_fail(ctx, NULL, "out of memory");
    *heap = s;
    *state = heap;
    return DEID_OK;
}

static xf_result prefix_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                              const char **why)
{
    const prefix_state *s = state;
    const char *v = in[0].data;
    size_t len = in[0].len;
    (void)n_in;
    size_t total = utf8_count(v, len);
    if (total == SIZE_MAX) {
        *why = "is not valid UTF-8";
        return XF_BAD_VALUE;
    }
    if (total <= s->keep)
        return dbuf_append(out, v, len) ? XF_NOMEM : XF_OK;
    if (dbuf_append(out, v, utf8_offset(v, len, s->keep)))
        return XF_NOMEM;
    if (s->pad_len) {
        size_t cut = total - s->keep;
        if (cut > SIZE_MAX / s->pad_len || dbuf_reserve(out, cut * s->pad_len))
            return XF_NOMEM;
        for (size_t i = 0; i < cut; i++)
            if (dbuf_append(out, s->pad, s->pad_len))
                return XF_NOMEM;
    }
    return XF_OK;
}

static int prefix_describe(const void *state, dbuf *out)
{
    const prefix_state *s = state;
    /* Without pad= nothing is padded; leaving it out keeps the line a
     * valid rule. */
    if (!s->pad_len)
        return dbuf_printf(out, "%zu", s->keep);
    /* Quoted as the rules lexer reads it back: a bare space would end the
     * token and a bare quote would start a quoted value. */
    const char *q = "", *esc = "";
    if (s->pad_cp == ' ' || s->pad_cp == '\'' || s->pad_cp == '"')
        q = "\"";
    if (s->pad_cp == '"')
        esc = "\\";
    return dbuf_printf(out, "%zu pad=%s%s%.*s%s", s->keep, q, esc, (int)s->pad_len, s->pad, q);
}

const transform_ops xf_prefix_ops = {
    .name = "prefix",
    .technique = "데이터 범주화/문자데이터 범주화 (prefix generalization)",
    .compile = prefix_compile,
    .apply = prefix_apply,
    .describe = prefix_describe,
    .free = free,
};
