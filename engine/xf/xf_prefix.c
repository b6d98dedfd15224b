/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_prefix.c - `prefix N [pad=C]`: keeps the first N characters (Unicode
 * code points, never bytes) of a value, e.g. the first three digits of a
 * postal code: 06236 -> 062. With pad=C each removed character becomes C,
 * so the value keeps its length: 06236 -> 062**.
 *
 * A value of N characters or fewer is kept unchanged: it is already at the
 * precision asked for, and cutting nothing cannot be made coarser here (a
 * rule that must hide short values needs another transform, e.g. mask).
 *
 * Ladder. `prefix 5,3,1 [pad=C] level=auto` is a generalization ladder for
 * the optimal search (deid plan): level 0 is the value as it is, level i
 * (1..n) its prefix of the i-th length (padded with pad= if given), level
 * n+1 "*". The lengths must be strictly descending, so each level cuts
 * what the one before kept and the levels form a tree. Invalid UTF-8 is a
 * bad value at every level, 0 and "*" included, so that what is planned
 * and what is run agree. apply() on a level=auto rule is a bad value too:
 * the engine must let deid plan choose the level first.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "deid_limits.h"
#include "err.h"
#include "transform.h"
#include "utf8.h"

/* Lengths of a ladder: it adds level 0 and "*", and no ladder may be
 * longer than a hierarchy file may be deep. */
#define MAX_LENGTHS (DEID_MAX_HIERARCHY_LEVELS - 2)

typedef struct prefix_state {
    size_t keep;    /* the fixed length (level=auto: 0) */
    char pad[4];    /* UTF-8 */
    size_t pad_len; /* 0: no padding */
    uint32_t pad_cp;
    size_t n_lengths;            /* > 0: level=auto */
    size_t lengths[MAX_LENGTHS]; /* strictly descending */
} prefix_state;

/* Parses the fixed length of `prefix N`. */
static deid_status parse_length(xf_context *ctx, const xf_param *p, prefix_state *s)
{
    const char *v = p->value;
    if (strchr(v, ','))
        return xf_param_fail(ctx, p, "a list of prefix lengths (%.64s) needs level=auto", v);
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
    s->keep = (size_t)n;
    return DEID_OK;
}

/* Parses the lengths of `prefix A,B,... level=auto`. */
static deid_status parse_lengths(xf_context *ctx, const xf_param *p, prefix_state *s)
{
    const char *v = p->value;
    size_t n = 1;
    for (const char *c = v; *c; c++)
        n += *c == ',';
    if (n > MAX_LENGTHS)
        return xf_param_fail(ctx, p, "prefix lengths: %zu items, more than %u", n, MAX_LENGTHS);
    for (size_t i = 0; i < n; i++) {
        size_t len = strcspn(v, ",");
        unsigned long long x = 0;
        int ok = len > 0 && len <= 20;
        for (size_t j = 0; ok && j < len; j++)
            ok = v[j] >= '0' && v[j] <= '9';
        if (ok) {
            char digits[21];
            memcpy(digits, v, len);
            digits[len] = '\0';
            errno = 0;
            x = strtoull(digits, NULL, 10);
            ok = errno == 0;
        }
        if (!ok)
            return xf_param_fail(ctx, p, "prefix length item %zu is not a whole number", i + 1);
        if (x < 1 || x > DEID_MAX_FIELD_BYTES)
            return xf_param_fail(ctx, p, "prefix length item %zu is out of range (1 to %u)",
                                 i + 1, DEID_MAX_FIELD_BYTES);
        if (i > 0 && x >= s->lengths[i - 1])
            return xf_param_fail(ctx, p,
                                 "prefix lengths must be strictly descending (item %zu)", i + 1);
        s->lengths[i] = (size_t)x;
        v += len + (v[len] == ',');
    }
    s->n_lengths = n;
    return DEID_OK;
}

static deid_status prefix_compile(xf_context *ctx, void **state)
{
    xf_param *p = xf_positional(ctx, 0);
    xf_param *level = xf_param_find(ctx, "level");
    if (level && strcmp(level->value, "auto") != 0)
        return xf_param_fail(ctx, level,
                             "prefix takes only level=auto (with lengths, e.g. prefix 5,3,1 "
                             "level=auto); a fixed length is prefix N");
    if (!p && level)
        return xf_param_fail(ctx, NULL,
                             "prefix level=auto needs lengths, e.g. prefix 5,3,1 level=auto");
    if (!p)
        return xf_param_fail(ctx, NULL, "prefix needs a length, e.g. prefix 3");
    prefix_state s;
    memset(&s, 0, sizeof s);
    deid_status st = level ? parse_lengths(ctx, p, &s) : parse_length(ctx, p, &s);
    if (st)
        return st;
    xf_param *pad = xf_param_find(ctx, "pad");
    if (pad && (st = xf_param_one_char(ctx, pad, s.pad, &s.pad_len, &s.pad_cp)))
        return st;
    prefix_state *heap = malloc(sizeof *heap);
    if (!heap)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    *heap = s;
    *state = heap;
    return DEID_OK;
}

/* Appends the first keep of v's total characters, padded as s says. */
static xf_result cut(const prefix_state *s, const char *v, size_t len, size_t total, size_t keep,
                     dbuf *out)
{
    if (total <= keep)
        return dbuf_append(out, v, len) ? XF_NOMEM : XF_OK;
    if (dbuf_append(out, v, utf8_offset(v, len, keep)))
        return XF_NOMEM;
    if (s->pad_len) {
        size_t n = total - keep;
        if (n > SIZE_MAX / s->pad_len || dbuf_reserve(out, n * s->pad_len))
            return XF_NOMEM;
        for (size_t i = 0; i < n; i++)
            if (dbuf_append(out, s->pad, s->pad_len))
                return XF_NOMEM;
    }
    return XF_OK;
}

static xf_result prefix_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                              const char **why)
{
    const prefix_state *s = state;
    (void)n_in;
    if (xf_ladder_unplanned(s->n_lengths, why))
        return XF_BAD_VALUE;
    size_t total = utf8_count(in[0].data, in[0].len);
    if (total == SIZE_MAX) {
        *why = "is not valid UTF-8";
        return XF_BAD_VALUE;
    }
    return cut(s, in[0].data, in[0].len, total, s->keep, out);
}

static size_t prefix_levels(const void *state)
{
    return xf_ladder_levels(((const prefix_state *)state)->n_lengths);
}

static xf_result prefix_apply_level(const void *state, const xf_value *in, size_t level,
                                    dbuf *out, const char **why)
{
    const prefix_state *s = state;
    if (!xf_ladder_has_level(s->n_lengths, level, why))
        return XF_BAD_VALUE;
    size_t total = utf8_count(in->data, in->len);
    if (total == SIZE_MAX) {
        *why = "is not valid UTF-8";
        return XF_BAD_VALUE;
    }
    if (level == 0)
        return dbuf_append(out, in->data, in->len) ? XF_NOMEM : XF_OK;
    if (level == s->n_lengths + 1)
        return dbuf_append(out, "*", 1) ? XF_NOMEM : XF_OK;
    return cut(s, in->data, in->len, total, s->lengths[level - 1], out);
}

static int prefix_describe(const void *state, dbuf *out)
{
    const prefix_state *s = state;
    int rc = 0;
    if (s->n_lengths) {
        for (size_t i = 0; !rc && i < s->n_lengths; i++)
            rc = dbuf_printf(out, i ? ",%zu" : "%zu", s->lengths[i]);
    } else {
        rc = dbuf_printf(out, "%zu", s->keep);
    }
    /* Without pad= nothing is padded; leaving it out keeps the line a
     * valid rule. */
    if (!rc && s->pad_len) {
        /* Quoted as the rules lexer reads it back: a bare space would end
         * the token and a bare quote would start a quoted value. */
        const char *q = "", *esc = "";
        if (s->pad_cp == ' ' || s->pad_cp == '\'' || s->pad_cp == '"')
            q = "\"";
        if (s->pad_cp == '"')
            esc = "\\";
        rc = dbuf_printf(out, " pad=%s%s%.*s%s", q, esc, (int)s->pad_len, s->pad, q);
    }
    if (!rc && s->n_lengths)
        rc = dbuf_append_str(out, " level=auto");
    return rc;
}

static int prefix_kept(const void *state, dbuf *out)
{
    const prefix_state *s = state;
    if (s->n_lengths)
        return dbuf_printf(out, "keeps up to the whole value (deid plan chooses from its first "
                                "%zu characters down)",
                           s->lengths[0]);
    return dbuf_printf(out, "keeps %zu character%s (the first)", s->keep, s->keep == 1 ? "" : "s");
}

const transform_ops xf_prefix_ops = {
    .name = "prefix",
    .technique = "데이터 범주화/문자데이터 범주화 (prefix generalization)",
    .compile = prefix_compile,
    .apply = prefix_apply,
    .describe = prefix_describe,
    .free = free,
    .levels = prefix_levels,
    .apply_level = prefix_apply_level,
    .kept = prefix_kept,
};
