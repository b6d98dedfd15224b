/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules_lex.c - splitting a rules line into tokens, and rules errors with
 * their place (see rules_lex.h for the lexical rules).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_lex.h"

deid_status rules_fail_at(parser *p, unsigned long col, deid_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vset(p->err, status, fmt, ap);
    va_end(ap);
    err_at_rules(p->err, p->file, p->line_no, col, p->line);
    return status;
}

deid_status rules_out_of_memory(parser *p)
{
    return rules_fail_at(p, 1, DEID_E_IO, "out of memory");
}

/* Splits p->line into tokens (see the file comment for the lexical rules). */
deid_status rules_tokenize(parser *p)
{
    const char *s = p->line;
    size_t n = strlen(s);
    free(p->scratch);
    p->scratch = malloc(n + 1);
    if (!p->scratch)
        return rules_out_of_memory(p);
    char *w = p->scratch;
    p->n_tokens = 0;
    p->end_col = 1;
    size_t i = 0;
    while (i < n) {
        if (s[i] == ' ' || s[i] == '\t') {
            i++;
            continue;
        }
        if (s[i] == '#' && !(s[i + 1] >= '0' && s[i + 1] <= '9'))
            break;
        if (p->n_tokens == MAX_TOKENS)
            return rules_fail_at(p, i + 1, DEID_E_RULES, "too many words on one line (at most %d)",
                           MAX_TOKENS);
        token *t = &p->tokens[p->n_tokens++];
        memset(t, 0, sizeof *t);
        t->col = i + 1;
        char *start = w;
        char *eq = NULL;
        int in_value = 0;
        while (i < n && s[i] != ' ' && s[i] != '\t') {
            char c = s[i];
            if ((c == '"' || c == '\'') && (w == start || (eq && w == eq + 1))) {
                /* A quoted token, or the quoted value after name= */
                unsigned long qcol = i + 1;
                char q = c;
                i++;
                if (!eq)
                    t->value_col = qcol;
                t->quoted = 1;
                while (i < n && s[i] != q) {
                    if (q == '"' && s[i] == '\\' && i + 1 < n && (s[i + 1] == '"' || s[i + 1] == '\\'))
                        i++;
                    *w++ = s[i++];
                }
                if (i >= n)
                    return rules_fail_at(p, qcol, DEID_E_RULES, "unterminated quote");
                i++; /* closing quote */
                if (i < n && s[i] != ' ' && s[i] != '\t')
                    return rules_fail_at(p, i + 1, DEID_E_RULES, "unexpected text after a closing quote");
                break;
            }
            if (c == '=' && !eq && !in_value) {
                eq = w;
                *w++ = '\0';
                t->value_col = i + 2;
                i++;
                in_value = 1;
                continue;
            }
            *w++ = c;
            i++;
        }
        *w++ = '\0';
        p->end_col = i + 1;
        if (eq) {
            t->name = start;
            t->value = eq + 1;
            if (!*t->name)
                return rules_fail_at(p, t->col, DEID_E_RULES, "a parameter name is missing before '='");
        } else {
            t->value = start;
            if (!t->value_col)
                t->value_col = t->col;
        }
    }
    return DEID_OK;
}

static int is_name_token(const token *t)
{
    return t->name == NULL;
}

deid_status rules_no_repeat(parser *p, size_t first, size_t i)
{
    const token *t = &p->tokens[i];
    if (!t->name)
        return DEID_OK;
    for (size_t j = first; j < i; j++)
        if (p->tokens[j].name && !strcmp(p->tokens[j].name, t->name))
            return rules_fail_at(p, t->col, DEID_E_RULES, "parameter %s= given twice", t->name);
    return DEID_OK;
}

deid_status rules_one_of_two(parser *p, const token *t, const char *word0, const char *word1,
                             int *out)
{
    if (!strcmp(t->value, word0))
        *out = 0;
    else if (!strcmp(t->value, word1))
        *out = 1;
    else
        return rules_fail_at(p, t->value_col, DEID_E_RULES, "%s= takes %s or %s", t->name, word0,
                             word1);
    return DEID_OK;
}

deid_status rules_expect_bare(parser *p, size_t i, const char *what)
{
    if (i >= p->n_tokens)
        return rules_fail_at(p, p->end_col, DEID_E_RULES, "%s is missing", what);
    if (!is_name_token(&p->tokens[i]))
        return rules_fail_at(p, p->tokens[i].col, DEID_E_RULES, "expected %s, found a parameter", what);
    return DEID_OK;
}

