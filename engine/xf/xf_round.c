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
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "number.h"
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

static int round_describe(const void *state, dbuf *out)
{
    return dbuf_printf(out, "to=%llu", *(const unsigned long long *)state);
}

static int round_kept(const void *state, dbuf *out)
{
    return dbuf_printf(out, "keeps the value rounded to %llu", *(const unsigned long long *)state);
}

const transform_ops xf_round_ops = {
    .name = "round",
    .technique = "총계처리/라운딩 (rounding)",
    .compile = round_compile,
    .apply = round_apply,
    .describe = round_describe,
    .free = free,
    .kept = round_kept,
};
