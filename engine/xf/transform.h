/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transform.h - the one interface every column transform implements.
 *
 * A transform is compiled once from its rules parameters (compile), then
 * applied to each value (apply), described for `deid lint` (describe) and
 * freed. Transforms live one per file (xf_<name>.c) and are listed once,
 * in xf_list.h. What the engine needs to know of a transform is in its ops
 * table (flags, reverse, side_file), so no code outside its own file names
 * it. apply takes a const state so that one compiled rule set can serve
 * several threads.
 */
#ifndef DEID_TRANSFORM_H
#define DEID_TRANSFORM_H

#include <stddef.h>
#include <stdint.h>
#include "deid.h"
#include "deid_limits.h"
#include "dbuf.h"
#include "value.h" /* xf_value */

typedef struct keyring keyring;

/* One "name=value" (or positional "value") token of a rules statement. */
typedef struct xf_param {
    const char *name;   /* NULL for a positional parameter */
    const char *value;  /* unquoted text, NUL-terminated */
    unsigned long col;  /* 1-based byte column of the token in the line */
    int used;           /* set by the lookup helpers below */
} xf_param;

/* Files a rule set reads (keys, hierarchies, maps, token vaults) as
 * resolved paths, each with its role ("key" or the transform's keyword):
 * deid_rules_file lists them so a caller can keep its outputs off them. */
typedef struct xf_file_list {
    char **paths;             /* owned */
    const char **roles;       /* static strings */
    char (*sha256)[65];       /* owned: hex SHA-256 of the bytes read, "" when not
                                 known (keys and vaults are not hashed) */
    size_t n;
} xf_file_list;
/* Appends a copy of path. Returns 0, or -1 when out of memory. */
int xf_file_list_add(xf_file_list *list, const char *role, const char *path);
void xf_file_list_free(xf_file_list *list);
/* Records hex (64 hex digits) as the SHA-256 of the latest entry for path,
 * for the processing record (a file's bytes as they were loaded, not as
 * they are when the record is written). Does nothing for a path not listed. */
void xf_file_list_set_sha256(xf_file_list *list, const char *path, const char *hex);

/* What compile sees: the parameters plus where they came from. */
typedef struct xf_context {
    const char *column;       /* the column this rule is for (or the new column of `add`) */
    const char *transform;    /* the transform keyword, for messages */
    const char *recipient;    /* rules `recipient` label, or NULL (see xf_domain_text) */
    const char *rules_file;   /* for messages */
    const char *base_dir;     /* folder that relative file names resolve against */
    const keyring *keys;      /* keys declared so far */
    unsigned long line;       /* rules line of the statement */
    unsigned long col;        /* column of the transform keyword */
    const char *source_line;  /* text of that line, for messages */
    xf_param *params;
    size_t n_params;
    size_t n_inputs;          /* values apply will receive (1, or the `from=` count) */
    const char *const *also;  /* XF_TAKES_ALSO: the also= columns, in[1..] of apply */
    size_t n_also;
    deid_error *err;
    xf_file_list *files_read; /* when not NULL, xf_resolve_path adds each path to it */
} xf_context;

typedef enum xf_result {
    XF_OK = 0,
    XF_BAD_VALUE = 1, /* the value cannot be handled; *why says why */
    XF_NOMEM = 2      /* out of memory or output limit */
} xf_result;

enum {
    XF_FILLS_EMPTY = 1u << 0,  /* apply also runs on empty input (replace) */
    XF_MULTI_INPUT = 1u << 1,  /* may take several inputs (`add ... from=`) */
    XF_DROPS_COLUMN = 1u << 2, /* the column is not written (drop) */
    XF_IDENTITY = 1u << 3,     /* output = input (keep): the engine copies */
    XF_TAKES_CONTEXT = 1u << 4, /* `context=COLUMN`: apply and reverse also get that
                                   column's value as in[1] (a kept column) */
    XF_PSEUDONYMIZES = 1u << 5, /* a keyed pseudonym (가명처리): rules using it need a
                                   `purpose` for the processing record */
    XF_SIDE_FILE_IS_VAULT = 1u << 6, /* side_file maps outputs back to inputs
                                        (additional information, 추가정보): it must
                                        be kept apart from the output */
    XF_REVERSE_UNVERIFIED = 1u << 7, /* reverse cannot tell a changed value or a
                                       wrong key: it returns a plausible wrong
                                       value (FF1), so reverse must say so */
    XF_TAKES_ALSO = 1u << 8,    /* `also=COL,...` on a column rule: apply also gets
                                   those columns' values as in[1..] (scrub) */
    XF_TAKES_BY = 1u << 9       /* `by=COL,...` on a column rule: apply also gets
                                   those columns' values as in[1..], the record's
                                   identity for keyed draws (noise, dateshift) */
};

typedef struct transform_ops {
    const char *name;       /* rules keyword */
    const char *technique;  /* guideline vocabulary, e.g. "가명처리/암호화 (keyed hash)" */
    unsigned flags;
    /* Reads ctx->params with the helpers below; on success stores its state
     * (may be NULL) in *state. On error fills ctx->err through
     * xf_fail/xf_param_fail and returns its status. */
    deid_status (*compile)(xf_context *ctx, void **state);
    /* Appends the result for in[0..n_in) to out. Values are never empty
     * unless XF_FILLS_EMPTY. On XF_BAD_VALUE, *why is a static phrase such
     * as "is not a date" that never contains the value itself. */
    xf_result (*apply)(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                       const char **why);
    /* Appends the resolved parameters ("keep-first=1 char=*"), never
     * secrets. May be NULL when there are none. Returns a DBUF_* code. */
    int (*describe)(const void *state, dbuf *out);
    void (*free)(void *state);

    /* Generalization ladders, for `level=auto` (optimal search, plan.c).
     * All may be NULL for a transform without ladders. */
    /* Levels of the ladder when the rule says level=auto (level 0 = the
     * value as it is, the last = the most general, "*"); 0 when the rule
     * has a fixed level. */
    size_t (*levels)(const void *state);
    /* Appends in's generalization at level (0 <= level < levels). */
    xf_result (*apply_level)(const void *state, const xf_value *in, size_t level, dbuf *out,
                             const char **why);
    /* For the loss metric: the size D of the ladder's domain (the rows of a
     * hierarchy file), and how many domain values lie under the generalized
     * value gen at level. NULL (or 0 from domain_size): the domain is the
     * distinct values of the column in the input. */
    size_t (*domain_size)(const void *state);
    uint64_t (*domain_count)(const void *state, size_t level, const xf_value *gen);
    /* For precision (utility metrics): a rule at a fixed level of a ladder
     * (`hierarchy file=F level=2`) sets *level and *height (its levels - 1)
     * and returns 1; 0 otherwise. NULL: the transform has no such level. */
    int (*fixed_level)(const void *state, size_t *level, size_t *height);

    /* Restores the input value from the transformed one in (never empty)
     * and appends it to out; NULL for one-way transforms. Having it is what
     * makes a transform reversible (`deid reverse`). On XF_BAD_VALUE
     * (not a value this transform wrote, or it fails authentication), *why
     * is a static phrase that never contains the value. Const state: safe
     * from several threads, like apply. */
    xf_result (*reverse)(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                         const char **why);

    /* Saves what the transform keeps outside the output, such as the new
     * pairs of a token vault; NULL for transforms that keep nothing. The
     * engine calls it for every column from deid_job_finish once the whole
     * run succeeded, before the caller commits its output, and never after
     * a failure, so a failed run leaves those files as they were. Calling
     * it again with nothing new does nothing (several columns may share one
     * vault). Const state like apply: the transform locks what it changes.
     * On error fills err and returns its status, and the run fails. */
    deid_status (*commit)(const void *state, deid_error *err);

    /* The file outside the rules that state reads or keeps (a hierarchy, a
     * map, a token vault), resolved against the rules' folder as opened;
     * owned by state. NULL (the function or its result) when there is
     * none. */
    const char *(*side_file)(const void *state);

    /* Findings a transform counts per column (scrub: identifiers found,
     * per kind), for the run summary and the JSON report; never values.
     * n_findings names finding_names[0..n_findings); apply_counting is
     * apply that also adds to counts[0..n_findings), an array the caller
     * owns per thread (the engine keeps one per lane and sums them). All
     * zero/NULL for transforms that count nothing. */
    size_t n_findings;
    const char *const *finding_names;
    xf_result (*apply_counting)(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                                const char **why, uint64_t *counts);

    /* apply for a transform whose result depends on the record as well as
     * the value (keyed draws without by=): record is the record's 1-based
     * number in the run (the records of the run's earlier inputs counted,
     * so that the same place in two inputs is not the same draw), which is
     * the same for every thread count and chunk size. The engine calls it instead
     * of apply when it is not NULL; apply then stands for record 0. */
    xf_result (*apply_at)(const void *state, const xf_value *in, size_t n_in, uint64_t record,
                          dbuf *out, const char **why);
    /* 1 when apply_at's result for state depends on the record's position
     * (keyed draws without by=). A lane learns a chunk's first record
     * number only once the chunks before it are merged, so a job whose
     * rules have such a column parses its chunks in order on one thread.
     * NULL: never. */
    int (*uses_position)(const void *state);

    /* What a value keeps, for the warning on columns that keep part of a
     * value outside `quasi` (rules_kept.c): appends a phrase that follows
     * "column NAME " ("keeps its first 2 characters"), or nothing when the
     * rule as compiled keeps nothing of the value. NULL for transforms that
     * keep nothing of it or replace it whole (drop, blank, replace, hash,
     * map, encrypt, fpe, token) and for keep, which keeps all of it.
     * Returns a DBUF_* code. */
    int (*kept)(const void *state, dbuf *out);

    /* A technique whose value for a record depends on the other records
     * (microagg, aggregate, shuffle): a run with one takes two passes
     * (xf_group.h, job_group.c). NULL for value-by-value transforms. */
    const struct xf_group_ops *group;
} transform_ops;

/* The levels of a level=auto ladder of n_steps generalizations between
 * the value itself (level 0) and "*" (the last): n_steps + 2, or 0 when
 * n_steps is 0 (a fixed rule has no ladder). For ops->levels. */
static inline size_t xf_ladder_levels(size_t n_steps)
{
    return n_steps ? n_steps + 2 : 0;
}

/* Returns 1 when level is below levels (what ops->levels returns: 0 for a
 * fixed rule); else 0 with *why set, for ops->apply_level to return
 * XF_BAD_VALUE. For ladders whose levels are not n_steps + 2 (hierarchy). */
static inline int xf_levels_have(size_t levels, size_t level, const char **why)
{
    if (level < levels)
        return 1;
    *why = "has no generalization at that level";
    return 0;
}

/* Returns 1 when level is a level of that ladder; else 0 with *why set,
 * for ops->apply_level to return XF_BAD_VALUE. */
static inline int xf_ladder_has_level(size_t n_steps, size_t level, const char **why)
{
    return xf_levels_have(xf_ladder_levels(n_steps), level, why);
}

/* For ops->apply: returns 0 for a fixed rule (is_auto 0). A level=auto
 * rule runs only through apply_level once deid plan chose its level, so
 * for one it returns 1 with *why set, and apply returns XF_BAD_VALUE. */
static inline int xf_auto_unplanned(int is_auto, const char **why)
{
    if (!is_auto)
        return 0;
    *why = "needs deid plan to choose its level (level=auto)";
    return 1;
}

/* xf_auto_unplanned for a ladder of n_steps (0: a fixed rule). */
static inline int xf_ladder_unplanned(size_t n_steps, const char **why)
{
    return xf_auto_unplanned(n_steps != 0, why);
}

/* Every transform's ops table, one per row of xf_list.h, each defined in
 * its own xf_*.c. */
#define XF(name) extern const transform_ops xf_##name##_ops;
#include "xf_list.h"
#undef XF

/* Returns the transform registered under name, or NULL. */
const transform_ops *transform_find(const char *name);
/* Returns the NULL-terminated table of every transform, in xf_list.h's
 * order (static; for help, docs and tests). */
const transform_ops *const *transform_all(void);

/* Appends the names of the transforms whose flags include every bit of
 * flags (0: all), in xf_list.h's order, separated by ", " and the last two
 * by last_sep (", " or " or "). Returns a DBUF_* code. */
int transform_names(unsigned flags, const char *last_sep, dbuf *out);

/* ---- Parameter helpers for compile ---- */

/* Returns the named parameter and marks it used, or NULL if absent. */
xf_param *xf_param_find(xf_context *ctx, const char *name);
/* Returns the i-th positional parameter (0-based) and marks it used. */
xf_param *xf_positional(xf_context *ctx, size_t i);

/* Rules error at the parameter's column ("FILE:LINE:COL: message").
 * Returns DEID_E_RULES. p may be NULL to point at the transform keyword. */
deid_status xf_param_fail(xf_context *ctx, const xf_param *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Parses a whole decimal number in [min, max] (no sign, no junk) from the
 * named parameter. Absent: stores def and returns DEID_OK if !required, a
 * rules error if required. */
deid_status xf_param_uint(xf_context *ctx, const char *name, int required,
                          unsigned long long min, unsigned long long max,
                          unsigned long long def, unsigned long long *out);

/* A rules error at the second parameter named like p (a named parameter
 * of ctx), marking it used; DEID_OK when there is none. rules.c checks this
 * too; compile repeats it so that no caller gets the first silently. */
deid_status xf_param_no_repeat(xf_context *ctx, xf_param *p);
/* xf_param_find, and then xf_param_no_repeat: *out gets the first parameter
 * called name (marked used) or NULL. Returns DEID_OK or the rules error. */
deid_status xf_param_find_once(xf_context *ctx, const char *name, xf_param **out);

/* compile for a transform whose whole state is the required number
 * parameter name, in 1..max: *state gets a malloc'd unsigned long long
 * (free it with free). A rules error when the parameter is missing or bad. */
deid_status xf_compile_uint(xf_context *ctx, const char *name, unsigned long long max,
                            void **state);

/* Reads p's value, which must be exactly one printable character (mask's
 * char=, prefix's pad=): its UTF-8 bytes go to enc (*enc_len of them, at
 * most 4) and its code point to *cp. A rules error at p otherwise. */
deid_status xf_param_one_char(xf_context *ctx, const xf_param *p, char enc[4], size_t *enc_len,
                              uint32_t *cp);

/* The domain a keyed transform separates its outputs by: domain= (p) or
 * else the column name, prefixed with the rules' recipient label and the
 * byte 0x1F when there is one, so two recipients' files cannot be joined.
 * Writes it into buf (size bytes) and returns buf, or NULL when there is no
 * column and no domain= or the text does not fit. */
const char *xf_domain_text(const xf_context *ctx, const xf_param *p, char *buf, size_t size);

/* The domain as keyed transforms use it: text (from xf_domain_text) with
 * conjoining Hangul jamo composed, as values are; at most
 * DEID_MAX_NAME_BYTES bytes, valid UTF-8, not empty. *out is malloc'd
 * (NUL-terminated); *out_len (may be NULL) gets its length. Rules errors at
 * p (the domain= parameter, or the keyword when NULL). */
deid_status xf_domain_make(xf_context *ctx, const xf_param *p, const char *text, char **out,
                           size_t *out_len);

/* Appends a parameter value for describe: as is, or in "..." with \" and
 * \\ escapes when it would not read back as one token. Returns a DBUF_*
 * code. */
int xf_append_value(dbuf *out, const char *s);
/* Appends s in "..." with \" and \\ escapes. Returns a DBUF_* code. */
int xf_append_quoted(dbuf *out, const char *s);

/* Appends ops->describe's text for state (nothing if there is none), with
 * the recipient separator shown as U+241F. Returns a DBUF_* code. */
int xf_describe(const transform_ops *ops, const void *state, dbuf *out);

/* The key named by the required key= parameter. On an error (missing,
 * unknown; a value long enough to be key material is never echoed) returns
 * NULL with *st set to the rules error. */
typedef struct deid_key deid_key;
const deid_key *xf_key_param(xf_context *ctx, deid_status *st);

/* The domain= argument of a keyed transform, read by xf_domain_arg_get
 * before the state exists and turned into the state's domain by
 * xf_keyed_init. text may point into buf: do not copy the struct. */
typedef struct xf_domain_arg {
    xf_param *p;      /* domain=, or NULL for the column name */
    const char *text; /* from xf_domain_text */
    char buf[2 * DEID_MAX_NAME_BYTES + 2];
} xf_domain_arg;

/* Fills d. Returns DEID_OK, or a rules error "WHO needs domain=LABEL here"
 * when there is no domain (who: the transform keyword). */
deid_status xf_domain_arg_get(xf_context *ctx, const char *who, xf_domain_arg *d);

/* What a keyed transform's state keeps of its key and domain. */
typedef struct xf_keyed {
    char *key_name;       /* malloc'd; NULL when out of memory (see xf_keyed_init) */
    char fingerprint[17]; /* the key's, NUL-terminated */
    char *domain;         /* malloc'd, NUL-terminated (xf_domain_make) */
    size_t domain_len;
} xf_keyed;

/* Makes k's domain from d (xf_domain_make: rules errors at d->p, or "out of
 * memory"), then copies key's fingerprint and name. Returns that status;
 * when only the name copy fails it returns DEID_OK with k->key_name NULL,
 * so the caller reports it with its own message. k owns what it holds:
 * release it with xf_keyed_free, also after a failure. */
deid_status xf_keyed_init(xf_context *ctx, const xf_domain_arg *d, const deid_key *key,
                          xf_keyed *k);
/* Appends "key=NAME fingerprint=HEX domain=D" (D as xf_append_value
 * writes it) for describe. Returns a DBUF_* code. */
int xf_keyed_describe(const xf_keyed *k, dbuf *out);
/* Frees what k holds (not k). */
void xf_keyed_free(xf_keyed *k);

/* Resolves a file name from the rules against ctx->base_dir (absolute
 * names unchanged) and adds it to ctx->files_read. Returns a malloc'd path
 * or NULL on ENOMEM. */
char *xf_resolve_path(const xf_context *ctx, const char *name);

#endif
