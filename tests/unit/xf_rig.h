/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_rig.h - a test rig for one transform, shared by the transform suites
 * (check_range.c, check_mask.c, check_map.c, ...). It fills an xf_context
 * by hand, as the rules parser would, so that a suite can compile a
 * transform from chosen parameters at chosen columns, apply it and check
 * values, rules errors and describe without the rest of the engine.
 *
 * What differs between transforms (ops, column, rules location, source
 * line, base_dir, keys, n_inputs) is an xf_rig_setup; everything else is
 * here once. Values given to apply are copied into a buffer followed by
 * extra bytes, so that a transform reading past len shows in the output.
 * The expect helpers assert with Check; they are for use inside tests.
 */
#ifndef DEID_TEST_XF_RIG_H
#define DEID_TEST_XF_RIG_H

#include <stddef.h>

#include "transform.h"

enum {
    XF_RIG_MAX_PARAMS = 16,  /* parameters of one statement */
    XF_RIG_MAX_INPUTS = 8,   /* values of one xf_rig_apply_n call */
    XF_RIG_LINE_BYTES = 1024,
    XF_RIG_PAIR_COL = 20,    /* xf_rig_pairs: column of the first parameter */
    XF_RIG_PAIR_STEP = 10    /* ... and of each next one, this much further */
};

/* Output limit of the expect helpers. */
#define XF_RIG_OUT_MAX ((size_t)1 << 20)

/* What a suite says about its transform and its fake rules statement. */
typedef struct xf_rig_setup {
    const transform_ops *ops;
    const char *transform;    /* keyword in messages; NULL means ops->name */
    const char *column;       /* the rule's column (NULL allowed on purpose) */
    const char *rules_file;
    unsigned long line;       /* rules line of the statement */
    unsigned long col;        /* column of the transform keyword */
    const char *source_line;  /* text of the line; xf_rig_add appends to it */
    const char *base_dir;     /* NULL means "" */
    const keyring *keys;
    size_t n_inputs;          /* 0 means 1 */
    /* The transform sets *state = NULL also when compile fails: the rig then
     * presets a non-NULL sentinel so that a failed compile leaving it
     * alone is caught by xf_rig_expect_rules_error. */
    int resets_state;
} xf_rig_setup;

/* One statement and its compiled state. Fill with xf_rig_init; the fields
 * may be read (and ctx adjusted) by tests. */
typedef struct xf_rig {
    xf_rig_setup setup;
    const transform_ops *ops;           /* setup.ops */
    xf_param params[XF_RIG_MAX_PARAMS]; /* ctx.params; ctx.n_params in use */
    char line[XF_RIG_LINE_BYTES];       /* ctx.source_line */
    char text[XF_RIG_LINE_BYTES];       /* names and values cut out by xf_rig_spec */
    xf_context ctx;
    deid_error err;                     /* ctx.err */
    void *state;                        /* set by xf_rig_compile; freed by xf_rig_done */
} xf_rig;

/* Starts r afresh from setup (copied; its strings and keys are borrowed and
 * must outlive r) with no parameters. Also asserts that the keyword finds
 * setup->ops in the transform table. */
void xf_rig_init(xf_rig *r, const xf_rig_setup *setup);

/* xf_rig_init with base_dir (borrowed) in place of setup->base_dir. */
void xf_rig_init_dir(xf_rig *r, const xf_rig_setup *setup, const char *base_dir);

/* Adds parameter name=value (name NULL: positional) said to stand at
 * column col; the source line is left as it is. The strings are borrowed. */
void xf_rig_param(xf_rig *r, const char *name, const char *value, unsigned long col);

/* Appends " name=value" (name NULL: " value") to the source line and adds
 * the parameter at that place. Returns its 1-based column. Borrowed. */
unsigned long xf_rig_add(xf_rig *r, const char *name, const char *value);

/* Adds n parameters from nv = {name0, value0, name1, value1, ...} (a NULL
 * name is positional); the i-th stands at XF_RIG_PAIR_COL +
 * i * XF_RIG_PAIR_STEP. nv's strings are borrowed. */
void xf_rig_pairs(xf_rig *r, size_t n, const char *const *nv);

/* Makes spec ("a=b c=d ...", single spaces, every token named) the source
 * line and its tokens the parameters, each at its 1-based offset in spec.
 * spec is copied. */
void xf_rig_spec(xf_rig *r, const char *spec);

/* Runs compile on r->ctx into r->state and returns its status. */
deid_status xf_rig_compile(xf_rig *r);

/* xf_rig_compile, asserting success and a non-NULL state. */
void xf_rig_compile_ok(xf_rig *r);

/* xf_rig_init, one parameter at col, xf_rig_compile_ok. */
void xf_rig_compile_one(xf_rig *r, const xf_rig_setup *setup, const char *name,
                        const char *value, unsigned long col);

/* xf_rig_init, xf_rig_pairs, xf_rig_compile; returns the status. */
deid_status xf_rig_compile_pairs(xf_rig *r, const xf_rig_setup *setup, size_t n,
                                 const char *const *nv);

/* xf_rig_compile_pairs from a literal list: XF_RIG_COMPILE(r, s, "keep", "2"). */
#define XF_RIG_COMPILE(r, setup, ...)                                              \
    xf_rig_compile_pairs((r), (setup), XF_RIG_COUNT_PAIRS(__VA_ARGS__),          \
                         (const char *const[]){__VA_ARGS__})
#define XF_RIG_COUNT_PAIRS(...)                                                    \
    (sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *) / 2)

/* Frees r->state (if compile made one) and clears it. */
void xf_rig_done(xf_rig *r);

/* Applies r->state to in[0..n), each value first copied into a buffer
 * followed by other bytes. Initialises out with limit max (the caller
 * frees it) and *why to NULL. Returns what apply returned. */
xf_result xf_rig_apply_n(const xf_rig *r, const xf_value *in, size_t n, dbuf *out, size_t max,
                         const char **why);

/* xf_rig_apply_n with the one value in (its strlen bytes). */
xf_result xf_rig_apply(const xf_rig *r, const char *in, dbuf *out, size_t max, const char **why);

/* Asserts that in[0..in_len) becomes exactly want[0..want_len), with XF_OK
 * and no reason given. xf_rig_expect takes both as C strings. */
void xf_rig_expect_bytes(const xf_rig *r, const char *in, size_t in_len, const char *want,
                         size_t want_len);
void xf_rig_expect(const xf_rig *r, const char *in, const char *want);

/* Asserts that in[0..len) is XF_BAD_VALUE with reason want_why and that
 * nothing was written. xf_rig_expect_bad takes in as a C string. */
void xf_rig_expect_bad_bytes(const xf_rig *r, const char *in, size_t len, const char *want_why);
void xf_rig_expect_bad(const xf_rig *r, const char *in, const char *want_why);

/* Asserts that compile returned rc = DEID_E_RULES, left no state, and
 * filled r->err at column col of the rig's rules file, line and source
 * line, with a message holding text (_error) or equal to it (_message). */
void xf_rig_expect_rules_error(const xf_rig *r, deid_status rc, unsigned long col,
                               const char *text);
void xf_rig_expect_rules_message(const xf_rig *r, deid_status rc, unsigned long col,
                                 const char *message);

/* Asserts that describe writes exactly want. */
void xf_rig_expect_describe(const xf_rig *r, const char *want);

/* Asserts which parameters compile marked used: used[i] is '1' (used) or
 * '0' (left for the rules parser to report) for each of r's parameters. */
void xf_rig_expect_used(const xf_rig *r, const char *used);

/* Asserts that in gives exactly len bytes: XF_NOMEM with every output
 * limit below len, XF_OK and len bytes with a limit of len. */
void xf_rig_expect_output_limit(const xf_rig *r, const char *in, size_t len);

/* Asserts that ops is the transform table's entry for name, with that
 * technique (NULL: any, but one) and flags, and that free(NULL) is
 * harmless. */
void xf_rig_expect_registered(const transform_ops *ops, const char *name, const char *technique,
                              unsigned flags);

#endif
