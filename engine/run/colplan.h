/* SPDX-License-Identifier: Apache-2.0 */
/*
 * colplan.h - the one binding of names to an input's columns.
 *
 * Every command that reads a CSV by column name (run, reverse, check)
 * reads the input's first record through colplan_header_read, which makes
 * the same checks for all of them (a NUL byte in a name; names compared
 * NFC-normalized, so a header saved in decomposed Hangul, as macOS writes
 * it, matches the rule for the same name) and gives positional names
 * ("#1", "#2", ...) to an input without header. run and reverse then turn
 * (rules, header, direction) into a column plan with colplan_bind; check
 * looks its quasi-identifier and sensitive names up with colplan_find.
 *
 * A plan is built once, on the caller's thread, before any lane works;
 * lanes only read it (const colplan *). Per-pass state of a column
 * (needed, level) is set between passes, while no lane runs.
 */
#ifndef DEID_COLPLAN_H
#define DEID_COLPLAN_H

#include <stddef.h>

#include "csv_in.h"
#include "rules.h"
#include "strmap.h"

/* The names of an input's columns. */
typedef struct colplan_header {
    char **names;         /* as the input spells them; "#1".. without header */
    char **keys;          /* the same, NFC-normalized: what names are matched by */
    size_t n;
    strmap *index;        /* key -> first column with that key */
    unsigned char *dup;   /* per column: another column has the same key */
    long dup_first, dup_second; /* the pair named in a duplicate error; -1: none */
    long dup_named_first, dup_named_second; /* the same among non-empty names only */
} colplan_header;

/* Reads the first record of an input (f, n) as its header, or, with
 * has_header 0, names its columns "#1".."#n". Fails with DEID_E_DATA (at
 * file, line 1) when a name holds a NUL byte or when the record looks like
 * data (header_sniff.h); that message ends with no_header_hint, how to say
 * the input has no header (e.g. "say `input header=no`"). Duplicate names
 * are marked, not refused: whether they matter is the binder's call.
 * Fills *h (free with colplan_header_free, also after an error).
 *
 * A header cell may be personal data (a headerless extract read as if it
 * had a header), so no message prints one unless the user named it too
 * (colplan_column.label). */
deid_status colplan_header_read(colplan_header *h, const csv_field *f, size_t n, int has_header,
                                const char *file, const char *no_header_hint, deid_error *err);
void colplan_header_free(colplan_header *h);

/* colplan_find's answer when a copy of the name could not be made. */
#define COLPLAN_NOMEM (-2L)

/* Returns the index of the column named name (compared NFC-normalized),
 * -1 when there is none, or COLPLAN_NOMEM. *dup (if not NULL) is set to 1
 * when several columns have the name. */
long colplan_find(const colplan_header *h, const char *name, int *dup);

/* Returns 1 when (f, n) names the same columns, in the same order, as h
 * (NFC-normalized, as a second input's header is compared to the first),
 * 0 when not, -1 when out of memory. */
int colplan_same_header(const colplan_header *h, const csv_field *f, size_t n);

/* Returns 1 when two column names are the same NFC-normalized, 0 when
 * not, -1 when out of memory. */
int colplan_same_name(const char *a, const char *b);

/* Sets *out to the rule for the input column name (NFC-normalized), or
 * NULL. Returns 0, or -1 when out of memory. */
int colplan_rule_for(const deid_rules *r, const char *name, const rule **out);

/* One column of a plan: an input column (kept, transformed or dropped)
 * or a column added by `add`. */
typedef struct colplan_column {
    char *name;                   /* as the input (or `add`) names it: the output header */
    char *label;                  /* what messages, summaries and reports call it: name
                                     when the rules (or --columns) name the column, else its
                                     position "#3" (a header cell may be data) */
    const rule *ru;               /* NULL: passed through by `default keep` */
    const transform_ops *ops;
    const void *state;
    rules_on_error on_error;
    size_t *src;                  /* input field indices */
    size_t n_src;
    int written;                  /* 0 for dropped columns */
    int auto_level;               /* level=auto: the plan chooses level */
    int reversing;                /* deid reverse: ops->reverse restores this column */
    int blank;                    /* empty header name under `input blank-columns=drop`:
                                     not written, and a non-empty value is an error */
    /* per pass, set while no lane runs */
    int needed;                   /* computed in this pass (all but a re-read first pass) */
    size_t level;                 /* the chosen level (auto_level, second pass) */
} colplan_column;

typedef enum { COLPLAN_FORWARD, COLPLAN_REVERSE } colplan_direction;

/* What to bind. */
typedef struct colplan_request {
    const deid_rules *rules;
    colplan_direction direction;
    int has_header;               /* 0: the first record is data; names are #1.. */
    int measured;                 /* forward: the run measures classes before
                                     writing, so level=auto may be chosen */
    char *const *only;            /* reverse: restore only these (--columns) */
    size_t n_only;
    const char *file;             /* the input's name, for errors */
    const char *no_header_hint;   /* colplan_header_read's; NULL: "say `input header=no`" */
} colplan_request;

typedef struct colplan {
    colplan_header header;
    colplan_column *cols;         /* input columns in order, then `add` columns */
    size_t n_cols;
    size_t n_out;                 /* written columns */
    size_t max_src;               /* most inputs of one column's transform */
} colplan;

/* Binds req->rules to an input's first record (f, n): forward, every rule
 * must find its columns, `add` columns follow the input's, the default
 * policy covers the rest; reverse, the columns whose rule can be undone
 * (and that req->only names, if any) are restored, the rest kept. Both
 * refuse duplicate names. With `input blank-columns=drop` the columns with
 * an empty header name are left out of both (colplan_column.blank). Errors carry the rules line:column or the
 * record, and name input columns by label. Returns DEID_OK and *out (owned by the caller; colplan_free). */
deid_status colplan_bind(const colplan_request *req, const csv_field *f, size_t n, colplan **out,
                         deid_error *err);
void colplan_free(colplan *p);

#endif
