/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_round.c - `round to=N`: a decimal number becomes the nearest multiple
 * of N, ties away from zero (guideline: rounding).
 *
 * Values are numbers as number.h reads them: an optional sign, digits or
 * thousands groups ("53,860,000"), an optional '.digits', spaces around;
 * no exponent. The result is a whole number with
 * no fraction and never "-0". The arithmetic is exact on the digit string
 * (no floating point): the integer part and the result must fit in int64,
 * otherwise the value is "out of range".
 *
 * `round to=N random=yes key=K [by=COL,...] [domain=LABEL]` is unbiased
 * random rounding (무작위 라운딩): a value v between the multiples L and
 * L + N (in magnitude) goes to L + N with probability (|v| - L) / N and
 * to L otherwise, so the expected output is v itself; a multiple stays.
 * The draw is one keyed uniform u (keyed_random.h, purpose "round",
 * domain the column name) of the by= values or else of the record's
 * position: up when u < (|v| - L) / N, computed in double precision.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw_source.h"
#include "err.h"
#include "number.h"
#include "transform.h"

typedef struct round_state {
    unsigned long long to; /* 1 .. INT64_MAX */
    int random;            /* random=yes */
    draw_source src;       /* when random */
} round_state;

static void round_free(void *state)
{
    round_state *s = state;
    if (!s)
        return;
    draw_source_free(&s->src);
    free(s);
}

static deid_status round_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    xf_param *p, *pr;
    deid_status st = xf_param_find_once(ctx, "to", &p);
    st = st ? st : xf_param_find_once(ctx, "random", &pr);
    if (st)
        return st;
    if (pr && strcmp(pr->value, "yes") && strcmp(pr->value, "no"))
        return xf_param_fail(ctx, pr, "random= takes yes or no");
    round_state *s = calloc(1, sizeof *s);
    if (!s)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    s->random = pr && !strcmp(pr->value, "yes");
    st = xf_param_uint(ctx, "to", 1, 1, INT64_MAX, 0, &s->to);
    if (!st && s->random)
        st = draw_source_init(ctx, "round", 0, &s->src);
    else if (!st && ctx->n_also)
        st = xf_param_fail(ctx, NULL, "by= is for random=yes (random rounding)");
    if (st) {
        round_free(s);
        return st;
    }
    *state = s;
    return DEID_OK;
}

/* The fraction of s[0..len) (a number), in [0, 1). */
static double fraction_of(const char *s, size_t len)
{
    char plain[64] = "0";
    size_t n = len < sizeof plain - 1 ? number_plain(s, len, plain + 1) : 0;
    plain[n + 1] = '\0';
    const char *dot = strchr(plain, '.');
    if (!dot)
        return 0;
    char frac[sizeof plain] = "0";
    strcpy(frac + 1, dot);
    return strtod(frac, NULL);
}

static xf_result round_apply_at(const void *state, const xf_value *in, size_t n_in,
                                uint64_t record, dbuf *out, const char **why)
{
    const round_state *s = state;
    const uint64_t n = s->to;
    number_text num;
    if (!number_parse(in[0].data, in[0].len, &num)) {
        *why = "is not a decimal number (" NUMBER_DECIMAL_FORMS ")";
        return XF_BAD_VALUE;
    }
    if (num.too_big) {
        *why = "is out of range";
        return XF_BAD_VALUE;
    }
    /* Work on the magnitude so that "ties away from zero" is "ties up";
     * the negative side reaches one further (INT64_MIN). */
    const int neg = num.negative;
    const uint64_t limit = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    const uint64_t mag = num.magnitude;
    const int first_frac = num.first_fraction;
    /* mag + f rounds up when r + f >= n/2, with r = mag mod n and f the
     * fraction in [0, 1). For even n that is r >= n/2; for odd n it is
     * r > (n-1)/2, or r == (n-1)/2 and f >= .5 (first fraction digit >= 5). */
    uint64_t r = mag % n, down = mag - r;
    int up = n % 2 == 0 ? r >= n / 2 : (r > n / 2 || (r == n / 2 && first_frac >= 5));
    if (s->random) {
        keyed_draws d;
        if (!draw_source_start(&s->src, in, n_in, record, &d, why))
            return XF_BAD_VALUE;
        double share = ((double)r + (num.fraction_is_zero ? 0 : fraction_of(in[0].data, in[0].len))) /
                       (double)n;
        up = keyed_draw_uniform(&d) < share;
        int failed = d.failed;
        keyed_draws_end(&d);
        if (failed)
            return XF_NOMEM;
    }
    uint64_t res = down;
    if (up) {
        if (down > limit || n > limit - down) {
            *why = "is out of range";
            return XF_BAD_VALUE;
        }
        res = down + n;
    }
    /* "-" only on a nonzero result: -0.2 rounds to "0", never "-0". */
    char text[1 + NUMBER_TEXT_MAX];
    size_t tlen = 0;
    if (neg && res)
        text[tlen++] = '-';
    tlen += number_format_u64(res, text + tlen);
    return dbuf_append(out, text, tlen) ? XF_NOMEM : XF_OK;
}

static xf_result round_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                             const char **why)
{
    return round_apply_at(state, in, n_in, 0, out, why);
}

static int round_uses_position(const void *state)
{
    const round_state *s = state;
    return s->random && !s->src.by;
}

static int round_describe(const void *state, dbuf *out)
{
    const round_state *s = state;
    int rc = dbuf_printf(out, "to=%llu", s->to);
    if (rc || !s->random)
        return rc;
    rc = dbuf_append_str(out, " random=yes ");
    return rc ? rc : draw_source_describe(&s->src, out);
}

static int round_kept(const void *state, dbuf *out)
{
    const round_state *s = state;
    return dbuf_printf(out, "keeps the value rounded to %llu%s", s->to,
                       s->random ? " (randomly up or down)" : "");
}

const transform_ops xf_round_ops = {
    .name = "round",
    .technique = "총계처리/라운딩 (rounding; random=yes: 랜덤 라운딩, random rounding)",
    .flags = XF_TAKES_BY,
    .compile = round_compile,
    .apply = round_apply,
    .apply_at = round_apply_at,
    .uses_position = round_uses_position,
    .describe = round_describe,
    .free = round_free,
    .kept = round_kept,
};
