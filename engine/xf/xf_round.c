/*
 * xf_round.c - `round to=N`: a decimal number becomes the nearest multiple
 * of N, ties away from zero (guideline: rounding).
 *
 * Values are an optional '-', digits and an optional '.digits'; no
 * exponent, '+' or thousands separators. The result is a whole number with
 * no fraction and never "-0". The arithmetic is exact on the digit string
 * (no floating point): the integer part and the result must fit in int64,
 * otherwise the value is "out of range".
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "transform.h"

/* The state is an unsigned long long: to=, 1 .. INT64_MAX. */

static deid_status round_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    xf_param *p;
    deid_status st = xf_param_find_once(ctx, "to", &p);
    if (st)
        return st;
    return xf_compile_uint(ctx, "to", INT64_MAX, state);
}

static xf_result round_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                             const char **why)
{
    (void)n_in;
    const uint64_t n = *(const unsigned long long *)state;
    const char *s = in[0].data;
    size_t len = in[0].len, i = 0;
    int neg = 0;
    if (i < len && s[i] == '-') {
        neg = 1;
        i++;
    }
    /* Work on the magnitude so that "ties away from zero" is "ties up";
     * the negative side reaches one further (INT64_MIN). */
    const uint64_t limit = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    size_t int_start = i;
    uint64_t mag = 0;
    int too_big = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (too_big || mag > (limit - d) / 10)
            too_big = 1;
        else
            mag = mag * 10 + d;
    }
    int first_frac = 0; /* first digit after the point, 0 if none */
    int syntax_ok = i > int_start;
    if (syntax_ok && i < len) {
        syntax_ok = s[i] == '.' && i + 1 < len;
        if (syntax_ok)
            first_frac = s[i + 1] - '0';
        for (i++; syntax_ok && i < len; i++)
            syntax_ok = s[i] >= '0' && s[i] <= '9';
    }
    if (!syntax_ok) {
        *why = "is not a decimal number";
        return XF_BAD_VALUE;
    }
    if (too_big) {
        *why = "is out of range";
        return XF_BAD_VALUE;
    }
    /* mag + f rounds up when r + f >= n/2, with r = mag mod n and f the
     * fraction in [0, 1). For even n that is r >= n/2; for odd n it is
     * r > (n-1)/2, or r == (n-1)/2 and f >= .5 (first fraction digit >= 5). */
    uint64_t r = mag % n, down = mag - r;
    int up = n % 2 == 0 ? r >= n / 2 : (r > n / 2 || (r == n / 2 && first_frac >= 5));
    uint64_t res = down;
    if (up) {
        if (down > limit || n > limit - down) {
            *why = "is out of range";
            return XF_BAD_VALUE;
        }
        res = down + n;
    }
    /* "-" only on a nonzero result: -0.2 rounds to "0", never "-0". */
    char text[24];
    int tlen = snprintf(text, sizeof text, "%s%" PRIu64, neg && res ? "-" : "", res);
    return dbuf_append(out, text, (size_t)tlen) ? XF_NOMEM : XF_OK;
}

static int round_describe(const void *state, dbuf *out)
{
    return dbuf_printf(out, "to=%llu", *(const unsigned long long *)state);
}

const transform_ops xf_round_ops = {
    .name = "round",
    .technique = "총계처리/라운딩 (rounding)",
    .compile = round_compile,
    .apply = round_apply,
    .describe = round_describe,
    .free = free,
};
