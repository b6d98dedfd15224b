/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_rig.c - the shared transform test rig (see xf_rig.h).
 */
#include "xf_rig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What xf_rig_compile presets state to when the transform must reset it:
 * non-NULL and never a real state, so xf_rig_done knows not to free it. */
static char sentinel_byte;
#define STATE_SENTINEL ((void *)&sentinel_byte)

/* Bytes placed after each value given to apply: digits, so that a number
 * parser running past len would read on. */
static const char TRAILER[] = "1234";
#define TRAILER_LEN (sizeof TRAILER - 1)

void xf_rig_init(xf_rig *r, const xf_rig_setup *setup)
{
    memset(r, 0, sizeof *r);
    r->setup = *setup;
    r->ops = setup->ops;
    const char *keyword = setup->transform ? setup->transform : setup->ops->name;
    ck_assert_ptr_eq(transform_find(keyword), setup->ops);
    if (setup->source_line) {
        ck_assert_uint_lt(strlen(setup->source_line), sizeof r->line);
        strcpy(r->line, setup->source_line);
    }
    r->ctx.column = setup->column;
    r->ctx.transform = keyword;
    r->ctx.rules_file = setup->rules_file;
    r->ctx.base_dir = setup->base_dir ? setup->base_dir : "";
    r->ctx.keys = setup->keys;
    r->ctx.line = setup->line;
    r->ctx.col = setup->col;
    r->ctx.source_line = r->line;
    r->ctx.params = r->params;
    r->ctx.n_params = 0;
    r->ctx.n_inputs = setup->n_inputs ? setup->n_inputs : 1;
    r->ctx.err = &r->err;
}

void xf_rig_init_dir(xf_rig *r, const xf_rig_setup *setup, const char *base_dir)
{
    xf_rig_init(r, setup);
    r->ctx.base_dir = base_dir;
}

void xf_rig_param(xf_rig *r, const char *name, const char *value, unsigned long col)
{
    ck_assert_uint_lt(r->ctx.n_params, XF_RIG_MAX_PARAMS);
    r->params[r->ctx.n_params++] = (xf_param){.name = name, .value = value, .col = col};
}

unsigned long xf_rig_add(xf_rig *r, const char *name, const char *value)
{
    size_t at = strlen(r->line);
    int n = name ? snprintf(r->line + at, sizeof r->line - at, " %s=%s", name, value)
                 : snprintf(r->line + at, sizeof r->line - at, " %s", value);
    ck_assert(n > 0 && (size_t)n < sizeof r->line - at);
    unsigned long col = (unsigned long)at + 2; /* 1-based, after the space */
    xf_rig_param(r, name, value, col);
    return col;
}

void xf_rig_pairs(xf_rig *r, size_t n, const char *const *nv)
{
    for (size_t i = 0; i < n; i++)
        xf_rig_param(r, nv[2 * i], nv[2 * i + 1],
                     (unsigned long)(XF_RIG_PAIR_COL + XF_RIG_PAIR_STEP * i));
}

void xf_rig_spec(xf_rig *r, const char *spec)
{
    ck_assert_uint_lt(strlen(spec), sizeof r->text);
    strcpy(r->line, spec);
    strcpy(r->text, spec);
    char *s = r->text;
    while (*s) {
        while (*s == ' ')
            *s++ = '\0';
        if (!*s)
            break;
        char *eq = strchr(s, '=');
        char *sp = strchr(s, ' ');
        ck_assert_ptr_nonnull(eq);
        *eq = '\0';
        xf_rig_param(r, s, eq + 1, (unsigned long)(s - r->text) + 1);
        if (!sp)
            break;
        *sp = '\0';
        s = sp + 1;
    }
}

deid_status xf_rig_compile(xf_rig *r)
{
    r->state = r->setup.resets_state ? STATE_SENTINEL : NULL;
    return r->ops->compile(&r->ctx, &r->state);
}

void xf_rig_compile_ok(xf_rig *r)
{
    deid_status st = xf_rig_compile(r);
    ck_assert_msg(st == DEID_OK, "compile failed: %s", r->err.message);
    ck_assert_ptr_nonnull(r->state);
}

void xf_rig_compile_one(xf_rig *r, const xf_rig_setup *setup, const char *name,
                        const char *value, unsigned long col)
{
    xf_rig_init(r, setup);
    xf_rig_param(r, name, value, col);
    xf_rig_compile_ok(r);
}

deid_status xf_rig_compile_pairs(xf_rig *r, const xf_rig_setup *setup, size_t n,
                                 const char *const *nv)
{
    xf_rig_init(r, setup);
    xf_rig_pairs(r, n, nv);
    return xf_rig_compile(r);
}

void xf_rig_done(xf_rig *r)
{
    if (r->state && r->state != STATE_SENTINEL && r->ops->free)
        r->ops->free(r->state);
    r->state = NULL;
}

xf_result xf_rig_apply_n(const xf_rig *r, const xf_value *in, size_t n, dbuf *out, size_t max,
                         const char **why)
{
    xf_value copy[XF_RIG_MAX_INPUTS];
    char *bufs[XF_RIG_MAX_INPUTS];
    ck_assert_uint_le(n, XF_RIG_MAX_INPUTS);
    for (size_t i = 0; i < n; i++) {
        bufs[i] = malloc(in[i].len + TRAILER_LEN);
        ck_assert_ptr_nonnull(bufs[i]);
        if (in[i].len)
            memcpy(bufs[i], in[i].data, in[i].len);
        memcpy(bufs[i] + in[i].len, TRAILER, TRAILER_LEN);
        copy[i] = (xf_value){bufs[i], in[i].len};
    }
    dbuf_init(out, max);
    *why = NULL;
    xf_result res = r->ops->apply(r->state, copy, n, out, why);
    for (size_t i = 0; i < n; i++)
        free(bufs[i]);
    return res;
}

xf_result xf_rig_apply(const xf_rig *r, const char *in, dbuf *out, size_t max, const char **why)
{
    xf_value v = {in, strlen(in)};
    return xf_rig_apply_n(r, &v, 1, out, max, why);
}

void xf_rig_expect_bytes(const xf_rig *r, const char *in, size_t in_len, const char *want,
                         size_t want_len)
{
    dbuf out;
    const char *why;
    xf_value v = {in, in_len};
    xf_result res = xf_rig_apply_n(r, &v, 1, &out, XF_RIG_OUT_MAX, &why);
    ck_assert_msg(res == XF_OK, "\"%.*s\": result %d (%s)", (int)in_len, in, (int)res,
                  why ? why : "");
    ck_assert_msg(why == NULL, "\"%.*s\": XF_OK with a reason (%s)", (int)in_len, in, why);
    ck_assert_msg(out.len == want_len && (want_len == 0 || memcmp(out.data, want, want_len) == 0),
                  "\"%.*s\": got \"%.*s\", want \"%.*s\"", (int)in_len, in, (int)out.len,
                  out.data ? out.data : "", (int)want_len, want);
    dbuf_free(&out);
}

void xf_rig_expect(const xf_rig *r, const char *in, const char *want)
{
    xf_rig_expect_bytes(r, in, strlen(in), want, strlen(want));
}

void xf_rig_expect_bad_bytes(const xf_rig *r, const char *in, size_t len, const char *want_why)
{
    dbuf out;
    const char *why;
    xf_value v = {in, len};
    xf_result res = xf_rig_apply_n(r, &v, 1, &out, XF_RIG_OUT_MAX, &why);
    ck_assert_msg(res == XF_BAD_VALUE, "\"%.*s\": result %d, want XF_BAD_VALUE", (int)len, in,
                  (int)res);
    ck_assert_ptr_nonnull(why);
    ck_assert_str_eq(why, want_why);
    ck_assert_uint_eq(out.len, 0);
    dbuf_free(&out);
}

void xf_rig_expect_bad(const xf_rig *r, const char *in, const char *want_why)
{
    xf_rig_expect_bad_bytes(r, in, strlen(in), want_why);
}

/* The parts of both rules-error checks other than the message. */
static void expect_rules_location(const xf_rig *r, deid_status rc, unsigned long col)
{
    ck_assert_int_eq(rc, DEID_E_RULES);
    ck_assert_ptr_null(r->state);
    ck_assert_int_eq(r->err.status, DEID_E_RULES);
    ck_assert_uint_eq(r->err.column, col);
    ck_assert_uint_eq(r->err.line, r->ctx.line);
    ck_assert_str_eq(r->err.file, r->ctx.rules_file);
    ck_assert_str_eq(r->err.source_line, r->ctx.source_line);
}

void xf_rig_expect_rules_error(const xf_rig *r, deid_status rc, unsigned long col,
                               const char *text)
{
    expect_rules_location(r, rc, col);
    ck_assert_msg(strstr(r->err.message, text), "message \"%s\" lacks \"%s\"", r->err.message,
                  text);
}

void xf_rig_expect_rules_message(const xf_rig *r, deid_status rc, unsigned long col,
                                 const char *message)
{
    expect_rules_location(r, rc, col);
    ck_assert_str_eq(r->err.message, message);
}

void xf_rig_expect_describe(const xf_rig *r, const char *want)
{
    dbuf out;
    dbuf_init(&out, 4096);
    ck_assert_ptr_nonnull(r->ops->describe);
    ck_assert_int_eq(r->ops->describe(r->state, &out), DBUF_OK);
    ck_assert_ptr_nonnull(dbuf_cstr(&out));
    ck_assert_str_eq(out.data, want);
    dbuf_free(&out);
}

void xf_rig_expect_used(const xf_rig *r, const char *used)
{
    ck_assert_uint_eq(strlen(used), r->ctx.n_params);
    for (size_t i = 0; i < r->ctx.n_params; i++)
        ck_assert_msg(r->params[i].used == (used[i] == '1'), "parameter %zu: used is %d", i,
                      r->params[i].used);
}

void xf_rig_expect_output_limit(const xf_rig *r, const char *in, size_t len)
{
    dbuf out;
    const char *why;
    for (size_t max = 0; max < len; max++) {
        ck_assert_int_eq(xf_rig_apply(r, in, &out, max, &why), XF_NOMEM);
        dbuf_free(&out);
    }
    ck_assert_int_eq(xf_rig_apply(r, in, &out, len, &why), XF_OK);
    ck_assert_uint_eq(out.len, len);
    dbuf_free(&out);
}

void xf_rig_expect_registered(const transform_ops *ops, const char *name, const char *technique,
                              unsigned flags)
{
    ck_assert_ptr_eq(transform_find(name), ops);
    ck_assert_str_eq(ops->name, name);
    if (technique)
        ck_assert_str_eq(ops->technique, technique);
    else
        ck_assert_ptr_nonnull(ops->technique);
    ck_assert_uint_eq(ops->flags, flags);
    ops->free(NULL);
}
