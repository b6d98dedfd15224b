/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_noise.c - `noise key=K [dist=laplace|gaussian|uniform] (scale=S |
 * relative=P%) [min=A] [max=B] [round=N] [by=COL,...] [domain=LABEL]`:
 * adds keyed random noise to a number (guideline: 잡음 추가, noise
 * addition).
 *
 * Exact semantics. x is the value as number.h reads it (spreadsheet forms,
 * no exponent), |x| < 1e15. The noise e is drawn from the record's keyed
 * stream (keyed_random.h, purpose "noise", domain = domain= or the column
 * name): the stream of the by= values when the rule has by= (one person
 * gets the same noise in every delivery made with the same key), else of
 * the record's position in its input.
 *  - dist=laplace (default): e ~ Laplace(0, b), variance 2 b^2;
 *  - dist=gaussian: e ~ N(0, b^2);
 *  - dist=uniform: e ~ U(-b, b), variance b^2 / 3;
 * where b = S (scale=S), or b = P/100 * |x| (relative=P%: the noise is
 * proportional to the value, so 0 stays 0). y = x + e is then rounded to
 * the nearest multiple of N (round=N, ties away from zero; the output
 * has as many decimals as N is written with), or by default to as many
 * decimals as x was written with, and finally clamped to [A, B]. A result
 * of magnitude 1e15 or more (or not finite) is a bad value.
 *
 * Draws are a function of key, domain and identity only, so `-j 1` and
 * `-j 8` write the same bytes; without the key the noise cannot be
 * predicted or subtracted.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw_source.h"
#include "err.h"
#include "number.h"
#include "transform.h"

#define NOISE_MAX_MAGNITUDE 1e15

typedef enum noise_dist { DIST_LAPLACE, DIST_GAUSSIAN, DIST_UNIFORM } noise_dist;
static const char *const dist_names[] = {"laplace", "gaussian", "uniform"};

typedef struct noise_state {
    draw_source src;
    noise_dist dist;
    double scale;    /* b, or the share of |x| when relative */
    int relative;
    char *scale_text; /* as written, for describe */
    int has_min, has_max;
    double min, max;
    char *min_text, *max_text;
    int has_round;
    double round_to;
    int round_decimals;
    char *round_text;
} noise_state;

static void noise_free(void *state)
{
    noise_state *s = state;
    if (!s)
        return;
    draw_source_free(&s->src);
    free(s->scale_text);
    free(s->min_text);
    free(s->max_text);
    free(s->round_text);
    free(s);
}

/* Reads text as a plain decimal (number.h's forms): *out the value,
 * *decimals its count of fraction digits. Returns 1, or 0 when it is not
 * a number or its magnitude reaches NOISE_MAX_MAGNITUDE. */
static int read_decimal(const char *s, size_t len, double *out, int *decimals)
{
    char plain[64];
    if (len >= sizeof plain)
        return 0;
    size_t n = number_plain(s, len, plain);
    if (!n)
        return 0;
    plain[n] = '\0';
    const char *dot = strchr(plain, '.');
    *decimals = dot ? (int)(n - (size_t)(dot - plain) - 1) : 0;
    *out = strtod(plain, NULL);
    return fabs(*out) < NOISE_MAX_MAGNITUDE;
}

/* A number parameter: DEID_OK with *present 0 when absent. */
static deid_status decimal_param(xf_context *ctx, const char *name, int *present, double *value,
                                 int *decimals, char **text)
{
    xf_param *p;
    deid_status st = xf_param_find_once(ctx, name, &p);
    *present = 0;
    if (st || !p)
        return st;
    int dec;
    if (!read_decimal(p->value, strlen(p->value), value, decimals ? decimals : &dec))
        return xf_param_fail(ctx, p, "%s= needs a decimal number below 1e15 (e.g. 1000 or 0.5)",
                             name);
    if (!(*text = strdup(p->value)))
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    *present = 1;
    return DEID_OK;
}

static deid_status read_scale(xf_context *ctx, noise_state *s)
{
    xf_param *ps, *pr;
    deid_status st = xf_param_find_once(ctx, "scale", &ps);
    st = st ? st : xf_param_find_once(ctx, "relative", &pr);
    if (st)
        return st;
    if (!ps == !pr)
        return xf_param_fail(ctx, ps && pr ? pr : NULL,
                             "noise needs exactly one of scale=S (absolute) or relative=P%% "
                             "(share of the value)");
    xf_param *p = ps ? ps : pr;
    size_t len = strlen(p->value);
    int dec;
    if (pr && (len < 2 || p->value[len - 1] != '%'))
        return xf_param_fail(ctx, p, "relative= needs a percentage such as 5%%");
    if (!read_decimal(p->value, pr ? len - 1 : len, &s->scale, &dec) || !(s->scale > 0) ||
        (pr && s->scale > 1000))
        return xf_param_fail(ctx, p, pr ? "relative= needs a percentage above 0%% and at most 1000%%"
                                        : "scale= needs a positive decimal number below 1e15");
    s->relative = pr != NULL;
    if (pr)
        s->scale /= 100;
    if (!(s->scale_text = strdup(p->value)))
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    return DEID_OK;
}

static deid_status noise_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    noise_state *s = calloc(1, sizeof *s);
    if (!s)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    deid_status st = draw_source_init(ctx, "noise", 0, &s->src);
    xf_param *pd = NULL;
    st = st ? st : xf_param_find_once(ctx, "dist", &pd);
    if (!st && pd) {
        size_t i = 0;
        while (i < 3 && strcmp(pd->value, dist_names[i]))
            i++;
        if (i == 3)
            st = xf_param_fail(ctx, pd, "dist= takes laplace, gaussian or uniform");
        s->dist = (noise_dist)i;
    }
    st = st ? st : read_scale(ctx, s);
    st = st ? st : decimal_param(ctx, "min", &s->has_min, &s->min, NULL, &s->min_text);
    st = st ? st : decimal_param(ctx, "max", &s->has_max, &s->max, NULL, &s->max_text);
    st = st ? st
            : decimal_param(ctx, "round", &s->has_round, &s->round_to, &s->round_decimals,
                            &s->round_text);
    if (!st && s->has_round && !(s->round_to > 0))
        st = xf_param_fail(ctx, xf_param_find(ctx, "round"), "round= needs a positive number");
    if (!st && s->has_min && s->has_max && s->min > s->max)
        st = xf_param_fail(ctx, xf_param_find(ctx, "max"), "max= is below min=");
    if (st) {
        noise_free(s);
        return st;
    }
    *state = s;
    return DEID_OK;
}

/* Rounds y to the nearest multiple of step, ties away from zero. */
static double round_to_step(double y, double step)
{
    return round(y / step) * step;
}

static xf_result noise_apply_at(const void *state, const xf_value *in, size_t n_in,
                                uint64_t record, dbuf *out, const char **why)
{
    const noise_state *s = state;
    double x;
    int decimals;
    number_text num;
    if (!number_parse(in[0].data, in[0].len, &num)) {
        *why = "is not a decimal number (" NUMBER_DECIMAL_FORMS ")";
        return XF_BAD_VALUE;
    }
    if (!read_decimal(in[0].data, in[0].len, &x, &decimals)) {
        *why = "is out of range (noise takes magnitudes below 1e15, written in at most 63 "
               "characters)";
        return XF_BAD_VALUE;
    }
    keyed_draws d;
    if (!draw_source_start(&s->src, in, n_in, record, &d, why))
        return XF_BAD_VALUE;
    double b = s->relative ? s->scale * fabs(x) : s->scale;
    double e = s->dist == DIST_LAPLACE    ? keyed_draw_laplace(&d, b)
               : s->dist == DIST_GAUSSIAN ? keyed_draw_gaussian(&d, b)
                                          : (2 * keyed_draw_uniform(&d) - 1) * b;
    int failed = d.failed;
    keyed_draws_end(&d);
    if (failed)
        return XF_NOMEM;
    double y = x + e;
    if (s->has_round) {
        y = round_to_step(y, s->round_to);
        decimals = s->round_decimals;
    } else {
        y = round_to_step(y, pow(10, -decimals));
    }
    if (s->has_min && y < s->min)
        y = s->min;
    if (s->has_max && y > s->max)
        y = s->max;
    if (!isfinite(y) || fabs(y) >= NOISE_MAX_MAGNITUDE) {
        *why = "is out of range after the noise (magnitude 1e15 or more)";
        return XF_BAD_VALUE;
    }
    if (y == 0)
        y = 0; /* never "-0" */
    char text[64];
    int n = snprintf(text, sizeof text, "%.*f", decimals, y);
    if (n > 1 && text[0] == '-' && strspn(text + 1, "0.") == (size_t)n - 1)
        memmove(text, text + 1, (size_t)n--); /* -0.00 after rounding */
    return dbuf_append(out, text, (size_t)n) ? XF_NOMEM : XF_OK;
}

static xf_result noise_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                             const char **why)
{
    return noise_apply_at(state, in, n_in, 0, out, why);
}

static int noise_uses_position(const void *state)
{
    return !((const noise_state *)state)->src.by;
}

static int noise_describe(const void *state, dbuf *out)
{
    const noise_state *s = state;
    int rc = draw_source_describe(&s->src, out);
    rc = rc ? rc : dbuf_printf(out, " dist=%s %s=%s", dist_names[s->dist],
                               s->relative ? "relative" : "scale", s->scale_text);
    if (!rc && s->has_min)
        rc = dbuf_printf(out, " min=%s", s->min_text);
    if (!rc && s->has_max)
        rc = dbuf_printf(out, " max=%s", s->max_text);
    if (!rc && s->has_round)
        rc = dbuf_printf(out, " round=%s", s->round_text);
    return rc;
}

static int noise_kept(const void *state, dbuf *out)
{
    const noise_state *s = state;
    return dbuf_printf(out, "keeps the value up to %s noise (%s=%s)", dist_names[s->dist],
                       s->relative ? "relative" : "scale", s->scale_text);
}

const transform_ops xf_noise_ops = {
    .name = "noise",
    .technique = "무작위화/잡음 추가 (noise addition)",
    .flags = XF_TAKES_BY,
    .compile = noise_compile,
    .apply = noise_apply,
    .apply_at = noise_apply_at,
    .uses_position = noise_uses_position,
    .describe = noise_describe,
    .free = noise_free,
    .kept = noise_kept,
};
