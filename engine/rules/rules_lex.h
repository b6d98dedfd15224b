/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules_lex.h - the rules language's tokens and the parser state shared by
 * the statement parsers (rules.c: input, key, default, column, add;
 * rules_privacy.c: quasi, sensitive, require, suppress).
 *
 * Lexical rules: a line is a statement; tokens are separated by spaces or
 * tabs; `#` starts a comment unless it is directly followed by a digit
 * (`#3` addresses the third column when the input has no header); a value
 * may be quoted with "..." (backslash escapes \" and \\) or '...' (taken
 * literally) to hold spaces or `#`.
 */
#ifndef DEID_RULES_LEX_H
#define DEID_RULES_LEX_H

#include "err.h"
#include "rules.h"

#define MAX_TOKENS DEID_MAX_RULES_TOKENS

typedef struct token {
    char *name;           /* text before '=', or NULL */
    char *value;          /* unquoted value (or the whole bare token) */
    unsigned long col;    /* column of the token's first byte */
    unsigned long value_col;
    int quoted;
} token;

typedef struct parser {
    deid_rules *rules;
    const char *file;
    unsigned long line_no;
    const char *line;     /* current line, NUL-terminated */
    token tokens[MAX_TOKENS];
    size_t n_tokens;
    char *scratch;        /* token text storage for the current line */
    unsigned long end_col; /* column just after the last token (where a missing word goes) */
    int seen_input, seen_output, seen_default, seen_quasi, seen_sensitive, seen_require, seen_suppress;
    deid_error *err;
} parser;

/* Rules error (or status) at column col of the current line; returns status. */
deid_status rules_fail_at(parser *p, unsigned long col, deid_status status, const char *fmt, ...)
    DEID_PRINTF(4, 5);
deid_status rules_out_of_memory(parser *p);
/* Splits p->line into p->tokens. */
deid_status rules_tokenize(parser *p);
/* A rules error when token i is a name= parameter whose name an earlier
 * token from index first on has already; DEID_OK otherwise. */
deid_status rules_no_repeat(parser *p, size_t first, size_t i);
/* Reads t's value, which must be word0 (*out = 0) or word1 (*out = 1);
 * a rules error "NAME= takes WORD0 or WORD1" otherwise. */
deid_status rules_one_of_two(parser *p, const token *t, const char *word0, const char *word1,
                             int *out);
/* Checks that token i exists and is a bare word (no name=). */
deid_status rules_expect_bare(parser *p, size_t i, const char *what);

/* rules_privacy.c: parses keyword's statement if it is a privacy one
 * (returns 1 and sets *st), else returns 0. */
int rules_privacy_statement(parser *p, const char *keyword, deid_status *st);
/* Checks the privacy statements together once the file is read. */
deid_status rules_privacy_check(parser *p);

/* rules_plan.c: takes t when it is a planner control (min=, max=, weight=
 * on a level=auto rule) into ru, setting *taken; refuses min-level= and
 * max-level=. Returns DEID_OK or DEID_E_RULES (at t). */
deid_status rules_plan_param(parser *p, const token *t, rule *ru, int *taken);
/* After ru's transform compiled: checks its bounds against its ladder and
 * fills a missing max= with the top. Returns DEID_OK or DEID_E_RULES. */
deid_status rules_plan_check(parser *p, rule *ru);
void rules_privacy_free(rules_privacy *pv);
/* rules_sens_hier.c: loads the tree of `sensitive ... hierarchy=FILE`
 * (token t) into *out (owned by the caller, tclose_hier_free). A rules
 * error at the parameter when the file cannot be read or is not a tree. */
deid_status rules_sensitive_hierarchy(parser *p, const token *t, struct tclose_hier **out);
/* rules_record.c: purpose, recipient, retain, record, controller, custodian,
 * destroy-keys. */
int rules_record_statement(parser *p, const char *keyword, deid_status *st);
/* rules_encoding.c: the `output` statement (1 when keyword is "output",
 * with *st its parse), and `input`'s encoding= value. */
int rules_output_statement(parser *p, const char *keyword, deid_status *st);
deid_status rules_input_encoding(parser *p, const token *t);
void rules_record_free(rules_record *rr);
/* rules_sample.c: the `sample` statement (1 when keyword is "sample", with
 * *st its parse). */
int rules_sample_statement(parser *p, const char *keyword, deid_status *st);
/* Reads t's comma-separated column names (what: "by=" etc. for messages)
 * into *list (malloc'd, with *n_list; the caller frees them, also after
 * an error). */
deid_status rules_column_list(parser *p, const token *t, const char *what, char ***list,
                              size_t *n_list);

#endif
