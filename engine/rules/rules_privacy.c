/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules_privacy.c - the privacy statements of the rules language:
 *
 *   quasi     a b c                          quasi-identifier columns
 *   sensitive s [t ...] [ordered=s,...] [empty=value|ignore] [hierarchy=FILE]
 *                                            sensitive columns (ordered: numeric-like;
 *                                            empty=ignore: empty values left out of l, t;
 *                                            hierarchy: t over that value tree, one column)
 *   require   k=5 [l=2] [l-kind=distinct|entropy] [t=0.3] [metric=loss|discernibility]
 *   suppress  max=2% [how=quasi|record|cell] [order=A,B,...] [token=*]
 *
 * Column names refer to the output (after transforms and `add`).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "deid_limits.h"
#include "rules_lex.h"
#include "tclose_hier.h"

/* Appends the comma- or space-separated names of token t to *list. */
static deid_status add_names(parser *p, const token *t, char ***list, size_t *n)
{
    const char *s = t->value;
    while (*s) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        unsigned long col = t->value_col + (unsigned long)(s - t->value);
        if (len == 0)
            return rules_fail_at(p, col, DEID_E_RULES, "empty column name");
        if (len > DEID_MAX_NAME_BYTES)
            return rules_fail_at(p, col, DEID_E_RULES, "column name longer than %u bytes",
                                 DEID_MAX_NAME_BYTES);
        for (size_t i = 0; i < *n; i++)
            if (strlen((*list)[i]) == len && !memcmp((*list)[i], s, len))
                return rules_fail_at(p, col, DEID_E_RULES, "column \"%.*s\" is named twice",
                                     (int)len, s);
        if (*n >= DEID_MAX_FIELDS)
            return rules_fail_at(p, col, DEID_E_RULES, "too many columns");
        char **grown = realloc(*list, (*n + 1) * sizeof *grown);
        if (!grown)
            return rules_out_of_memory(p);
        *list = grown;
        if (!(grown[*n] = strndup(s, len)))
            return rules_out_of_memory(p);
        (*n)++;
        s = end ? end + 1 : s + len;
    }
    return DEID_OK;
}

/* Starts the statement what, which may appear once (*seen says whether
 * it did): records the current line in *line. A rules error at the second
 * one. */
static deid_status once(parser *p, int *seen, const char *what, unsigned long *line)
{
    if (*seen)
        return rules_fail_at(p, p->tokens[0].col, DEID_E_RULES, "`%s` may appear only once", what);
    *seen = 1;
    *line = p->line_no;
    return DEID_OK;
}

static deid_status parse_quasi(parser *p)
{
    rules_privacy *pv = &p->rules->privacy;
    deid_status st = once(p, &p->seen_quasi, "quasi", &pv->quasi_line);
    if (st)
        return st;
    if (p->n_tokens < 2)
        return rules_fail_at(p, p->end_col, DEID_E_RULES,
                             "quasi needs at least one column");
    for (size_t i = 1; i < p->n_tokens && !st; i++) {
        if (p->tokens[i].name)
            return rules_fail_at(p, p->tokens[i].col, DEID_E_RULES,
                                 "quasi takes column names, not parameters");
        st = add_names(p, &p->tokens[i], &pv->quasi, &pv->n_quasi);
    }
    return st;
}

/* hierarchy=FILE: the tree of the one sensitive column, whose distance is
 * then hierarchical (not ordered). */
static deid_status sensitive_hierarchy(parser *p, const token *t)
{
    rules_privacy *pv = &p->rules->privacy;
    if (pv->n_sensitive != 1)
        return rules_fail_at(p, t->col, DEID_E_RULES,
                             "hierarchy= needs exactly one sensitive column");
    if (pv->ordered[0])
        return rules_fail_at(p, t->col, DEID_E_RULES,
                             "hierarchy= and ordered= name the same column: choose one distance");
    if (!(pv->hier = calloc(1, sizeof *pv->hier)))
        return rules_out_of_memory(p);
    return rules_sensitive_hierarchy(p, t, &pv->hier[0]);
}

static deid_status parse_sensitive(parser *p)
{
    rules_privacy *pv = &p->rules->privacy;
    deid_status st = once(p, &p->seen_sensitive, "sensitive", &pv->sensitive_line);
    if (st)
        return st;
    char **ordered = NULL;
    size_t n_ordered = 0;
    const token *ordered_tok = NULL, *empty_tok = NULL, *hier_tok = NULL;
    for (size_t i = 1; i < p->n_tokens && !st; i++) {
        const token *t = &p->tokens[i];
        if (t->name && !strcmp(t->name, "ordered") && !ordered_tok) {
            ordered_tok = t;
            st = add_names(p, t, &ordered, &n_ordered);
        } else if (t->name && !strcmp(t->name, "empty") && !empty_tok) {
            empty_tok = t;
            if (!strcmp(t->value, "ignore"))
                pv->ignore_empty = 1;
            else if (strcmp(t->value, "value"))
                st = rules_fail_at(p, t->value_col, DEID_E_RULES,
                                   "empty= takes value (an empty value counts, as ARX) or "
                                   "ignore (left out of l and t)");
        } else if (t->name && !strcmp(t->name, "hierarchy") && !hier_tok) {
            hier_tok = t;
        } else if (t->name) {
            st = rules_fail_at(p, t->col, DEID_E_RULES, "unknown parameter \"%s\" for sensitive",
                               t->name);
        } else {
            st = add_names(p, t, &pv->sensitive, &pv->n_sensitive);
        }
    }
    if (!st && pv->n_sensitive == 0)
        st = rules_fail_at(p, p->end_col, DEID_E_RULES,
                           "sensitive needs at least one column");
    if (!st && !(pv->ordered = calloc(pv->n_sensitive, sizeof *pv->ordered)))
        st = rules_out_of_memory(p);
    for (size_t i = 0; i < n_ordered && !st; i++) {
        size_t j = 0;
        while (j < pv->n_sensitive && strcmp(pv->sensitive[j], ordered[i]))
            j++;
        if (j == pv->n_sensitive)
            st = rules_fail_at(p, ordered_tok->value_col, DEID_E_RULES,
                               "ordered= names \"%s\", which is not a sensitive column",
                               ordered[i]);
        else
            pv->ordered[j] = 1;
    }
    for (size_t i = 0; i < n_ordered; i++)
        free(ordered[i]);
    free(ordered);
    if (!st && hier_tok)
        st = sensitive_hierarchy(p, hier_tok);
    return st;
}

/* A decimal number in [min, max]; with percent set, "2%" means 0.02. */
static deid_status parse_number(parser *p, const token *t, double min, double max, int percent,
                                double *out)
{
    const char *s = t->value;
    size_t len = strlen(s);
    int is_percent = percent && len > 0 && s[len - 1] == '%';
    char buf[64];
    if (len == 0 || len >= sizeof buf || !((s[0] >= '0' && s[0] <= '9') || s[0] == '.'))
        return rules_fail_at(p, t->value_col, DEID_E_RULES, "%s=%s is not a number", t->name, s);
    memcpy(buf, s, len + 1);
    if (is_percent)
        buf[len - 1] = '\0';
    errno = 0;
    char *end;
    double v = strtod(buf, &end);
    if (errno || *end || !isfinite(v))
        return rules_fail_at(p, t->value_col, DEID_E_RULES, "%s=%s is not a number", t->name, s);
    if (is_percent)
        v /= 100.0;
    if (v < min || v > max)
        return rules_fail_at(p, t->value_col, DEID_E_RULES, "%s=%s is out of range", t->name, s);
    *out = v;
    return DEID_OK;
}

/* Checks token i of a statement of name=value parameters: a bare word is
 * a rules error ("KEYWORD takes TAKES, not ..."), and so is a name given
 * twice. */
static deid_status named_param(parser *p, size_t i, const char *keyword, const char *takes)
{
    const token *t = &p->tokens[i];
    if (!t->name)
        return rules_fail_at(p, t->col, DEID_E_RULES, "%s takes %s, not \"%s\"", keyword, takes,
                             t->value);
    return rules_no_repeat(p, 1, i);
}

/* The rules error for a parameter name keyword does not take. */
static deid_status unknown_param(parser *p, const token *t, const char *keyword)
{
    return rules_fail_at(p, t->col, DEID_E_RULES, "unknown parameter \"%s\" for %s", t->name,
                         keyword);
}

static deid_status parse_require(parser *p)
{
    rules_privacy *pv = &p->rules->privacy;
    deid_status st = once(p, &p->seen_require, "require", &pv->require_line);
    if (st)
        return st;
    pv->has_require = 1;
    int seen_any = 0;
    for (size_t i = 1; i < p->n_tokens && !st; i++) {
        const token *t = &p->tokens[i];
        double v;
        if ((st = named_param(p, i, "require", "k=, l=, l-kind= and t=")))
            return st;
        if (!strcmp(t->name, "k")) {
            if (!(st = parse_number(p, t, 1, (double)DEID_MAX_K, 0, &v))) {
                if (v != floor(v))
                    return rules_fail_at(p, t->value_col, DEID_E_RULES,
                                         "k=%s is not a whole number", t->value);
                pv->k = (uint64_t)v;
                seen_any = 1;
            }
        } else if (!strcmp(t->name, "l")) {
            if (!(st = parse_number(p, t, 1, DEID_MAX_L, 0, &v)))
                pv->l = v, seen_any = 1;
        } else if (!strcmp(t->name, "t")) {
            if (!(st = parse_number(p, t, 0, 1, 0, &v)))
                pv->t = v, seen_any = 1;
        } else if (!strcmp(t->name, "metric")) {
            st = rules_one_of_two(p, t, "loss", "discernibility", &pv->metric);
        } else if (!strcmp(t->name, "l-kind")) {
            st = rules_one_of_two(p, t, "distinct", "entropy", &pv->l_entropy);
        } else {
            return unknown_param(p, t, "require");
        }
    }
    if (!st && !seen_any)
        st = rules_fail_at(p, p->end_col, DEID_E_RULES,
                           "require needs at least one of k=, l=, t=");
    return st;
}

static deid_status parse_suppress(parser *p)
{
    rules_privacy *pv = &p->rules->privacy;
    deid_status st = once(p, &p->seen_suppress, "suppress", &pv->suppress_line);
    if (st)
        return st;
    pv->has_suppress = 1;
    int seen_max = 0;
    for (size_t i = 1; i < p->n_tokens && !st; i++) {
        const token *t = &p->tokens[i];
        if ((st = named_param(p, i, "suppress", "max=, how=, order= and token=")))
            return st;
        if (!strcmp(t->name, "max")) {
            st = parse_number(p, t, 0, 1, 1, &pv->suppress_max);
            seen_max = 1;
        } else if (!strcmp(t->name, "how")) {
            pv->suppress_cells = !strcmp(t->value, "cell");
            pv->suppress_records = !strcmp(t->value, "record");
            if (!pv->suppress_cells && !pv->suppress_records && strcmp(t->value, "quasi"))
                return rules_fail_at(p, t->value_col, DEID_E_RULES,
                                     "how= takes quasi, record or cell");
        } else if (!strcmp(t->name, "order")) {
            pv->suppress_order_col = t->value_col;
            st = add_names(p, t, &pv->suppress_order, &pv->n_suppress_order);
        } else if (!strcmp(t->name, "token")) {
            if (!t->value[0])
                return rules_fail_at(p, t->value_col, DEID_E_RULES, "token= is empty");
            free(pv->token);
            if (!(pv->token = strdup(t->value)))
                return rules_out_of_memory(p);
        } else {
            return unknown_param(p, t, "suppress");
        }
    }
    if (!st && !seen_max)
        st = rules_fail_at(p, p->end_col, DEID_E_RULES,
                           "suppress needs max= (e.g. max=2%%)");
    if (!st && pv->n_suppress_order && !pv->suppress_cells)
        st = rules_fail_at(p, pv->suppress_order_col, DEID_E_RULES, "order= needs how=cell");
    return st;
}

int rules_privacy_statement(parser *p, const char *keyword, deid_status *st)
{
    if (!strcmp(keyword, "quasi"))
        *st = parse_quasi(p);
    else if (!strcmp(keyword, "sensitive"))
        *st = parse_sensitive(p);
    else if (!strcmp(keyword, "require"))
        *st = parse_require(p);
    else if (!strcmp(keyword, "suppress"))
        *st = parse_suppress(p);
    else
        return 0;
    return 1;
}

deid_status rules_privacy_check(parser *p)
{
    rules_privacy *pv = &p->rules->privacy;
    if (!pv->token && !(pv->token = strdup("*")))
        return rules_out_of_memory(p);
    p->line = "";
    if (pv->has_require && pv->n_quasi == 0) {
        p->line_no = pv->require_line;
        return rules_fail_at(p, 1, DEID_E_RULES, "require needs a `quasi` line naming the QIs");
    }
    if (pv->has_suppress && !pv->has_require) {
        p->line_no = pv->suppress_line;
        return rules_fail_at(p, 1, DEID_E_RULES, "suppress needs a `require` line");
    }
    if ((pv->l > 0 || pv->t > 0) && pv->n_sensitive == 0) {
        p->line_no = pv->require_line;
        return rules_fail_at(p, 1, DEID_E_RULES, "l= and t= need a `sensitive` line");
    }
    for (size_t i = 0; i < pv->n_suppress_order; i++) {
        size_t j = 0;
        while (j < pv->n_quasi && strcmp(pv->suppress_order[i], pv->quasi[j]))
            j++;
        if (j == pv->n_quasi) {
            p->line_no = pv->suppress_line;
            return rules_fail_at(p, pv->suppress_order_col, DEID_E_RULES,
                                 "order= names \"%s\", which is not on the `quasi` line",
                                 pv->suppress_order[i]);
        }
    }
    for (size_t i = 0; i < pv->n_sensitive; i++)
        for (size_t j = 0; j < pv->n_quasi; j++)
            if (!strcmp(pv->sensitive[i], pv->quasi[j])) {
                p->line_no = pv->sensitive_line;
                return rules_fail_at(p, 1, DEID_E_RULES,
                                     "column \"%s\" cannot be both quasi and sensitive",
                                     pv->sensitive[i]);
            }
    return DEID_OK;
}

void rules_privacy_free(rules_privacy *pv)
{
    for (size_t i = 0; i < pv->n_quasi; i++)
        free(pv->quasi[i]);
    free(pv->quasi);
    for (size_t i = 0; i < pv->n_sensitive; i++)
        free(pv->sensitive[i]);
    free(pv->sensitive);
    free(pv->ordered);
    for (size_t i = 0; pv->hier && i < pv->n_sensitive; i++)
        tclose_hier_free(pv->hier[i]);
    free(pv->hier);
    for (size_t i = 0; i < pv->n_suppress_order; i++)
        free(pv->suppress_order[i]);
    free(pv->suppress_order);
    free(pv->token);
    memset(pv, 0, sizeof *pv);
}
