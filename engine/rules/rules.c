/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules.c - the rules language: reads a rules file line by line, checks
 * every statement and compiles each column's transform (see README "Rules
 * reference"). Errors carry FILE:LINE:COL and the offending line.
 * Tokens and errors: rules_lex.c; privacy statements: rules_privacy.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "deid_limits.h"
#include "err.h"
#include "fsys.h"
#include "rules.h"
#include "rules_lex.h"
#include "rules_vault.h"
#include "utf8.h"

const char *rules_on_error_name(rules_on_error e)
{
    return e == ON_ERROR_BLANK ? "blank" : e == ON_ERROR_SUPPRESS ? "suppress" : "fail";
}

const char *rules_default_name(rules_default d)
{
    return d == RULES_DEFAULT_KEEP ? "keep" : d == RULES_DEFAULT_DROP ? "drop" : "error";
}

const char *rules_delimiter_name(int delimiter)
{
    static const char *names[] = {",", ";", "|", "tab"};
    switch (delimiter) {
    case ',': return names[0];
    case ';': return names[1];
    case '|': return names[2];
    case '\t': return names[3];
    }
    return "?";
}

int deid_delimiter_from_name(const char *v)
{
    if (!strcmp(v, ",") || !strcmp(v, "comma"))
        return ',';
    if (!strcmp(v, ";") || !strcmp(v, "semicolon"))
        return ';';
    if (!strcmp(v, "|") || !strcmp(v, "pipe"))
        return '|';
    if (!strcmp(v, "tab") || !strcmp(v, "\\t") || !strcmp(v, "\t"))
        return '\t';
    return 0;
}

/* input blank-columns=drop|error: whether columns with an empty header
 * name (Excel's trailing blank columns) are dropped. */
static deid_status parse_blank_columns(parser *p, const token *t)
{
    if (!strcmp(t->value, "drop"))
        p->rules->drop_blank_columns = 1;
    else if (!strcmp(t->value, "error"))
        p->rules->drop_blank_columns = 0;
    else
        return rules_fail_at(p, t->value_col, DEID_E_RULES, "blank-columns= takes drop or error");
    return DEID_OK;
}

static deid_status parse_input(parser *p)
{
    if (p->seen_input)
        return rules_fail_at(p, p->tokens[0].col, DEID_E_RULES, "`input` may appear only once");
    p->seen_input = 1;
    for (size_t i = 1; i < p->n_tokens; i++) {
        token *t = &p->tokens[i];
        if (!t->name)
            return rules_fail_at(p, t->col, DEID_E_RULES,
                           "expected delimiter=, header=, encoding= or blank-columns=, found \"%s\"",
                           t->value);
        if (!strcmp(t->name, "delimiter")) {
            int d = deid_delimiter_from_name(t->value);
            if (!d)
                return rules_fail_at(p, t->value_col, DEID_E_RULES,
                               "unknown delimiter \"%s\" (use , ; | or tab)", t->value);
            p->rules->delimiter = d;
        } else if (!strcmp(t->name, "encoding")) {
            deid_status st = rules_input_encoding(p, t);
            if (st)
                return st;
        } else if (!strcmp(t->name, "header")) {
            if (!strcmp(t->value, "yes"))
                p->rules->header = 1;
            else if (!strcmp(t->value, "no"))
                p->rules->header = 0;
            else
                return rules_fail_at(p, t->value_col, DEID_E_RULES, "header= takes yes or no");
        } else if (!strcmp(t->name, "blank-columns")) {
            if (parse_blank_columns(p, t))
                return DEID_E_RULES;
        } else {
            return rules_fail_at(p, t->col, DEID_E_RULES, "unknown parameter \"%s\" for input (known: delimiter=, header=, "
                                 "encoding=, blank-columns=)", t->name);
        }
    }
    if (p->rules->drop_blank_columns && !p->rules->header)
        return rules_fail_at(p, p->tokens[0].col, DEID_E_RULES,
                             "blank-columns=drop needs header=yes: without a header no column "
                             "has an empty name");
    return DEID_OK;
}

static deid_status parse_default(parser *p)
{
    if (p->seen_default)
        return rules_fail_at(p, p->tokens[0].col, DEID_E_RULES, "`default` may appear only once");
    p->seen_default = 1;
    deid_status st = rules_expect_bare(p, 1, "error, keep or drop");
    if (st)
        return st;
    const char *v = p->tokens[1].value;
    if (!strcmp(v, "error"))
        p->rules->default_policy = RULES_DEFAULT_ERROR;
    else if (!strcmp(v, "keep"))
        p->rules->default_policy = RULES_DEFAULT_KEEP;
    else if (!strcmp(v, "drop"))
        p->rules->default_policy = RULES_DEFAULT_DROP;
    else
        return rules_fail_at(p, p->tokens[1].col, DEID_E_RULES,
                       "unknown default \"%s\" (use error, keep or drop)", v);
    if (p->n_tokens > 2)
        return rules_fail_at(p, p->tokens[2].col, DEID_E_RULES, "unexpected text after default");
    return DEID_OK;
}

static char *join_path(const char *dir, const char *name)
{
    if (name[0] == '/' || !dir || !dir[0])
        return strdup(name);
    size_t n = strlen(dir) + strlen(name) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", dir, name);
    return s;
}

static deid_status check_name(parser *p, const token *t, const char *what)
{
    size_t len = strlen(t->value);
    if (len == 0)
        return rules_fail_at(p, t->col, DEID_E_RULES, "%s is empty", what);
    if (len > DEID_MAX_NAME_BYTES)
        return rules_fail_at(p, t->col, DEID_E_RULES, "%s is longer than %u bytes", what,
                       DEID_MAX_NAME_BYTES);
    return DEID_OK;
}

static deid_status parse_key(parser *p)
{
    deid_rules *r = p->rules;
    deid_status st = rules_expect_bare(p, 1, "a key name");
    if (st)
        return st;
    token *name = &p->tokens[1];
    if ((st = check_name(p, name, "the key name")))
        return st;
    token *file = NULL;
    for (size_t i = 2; i < p->n_tokens; i++) {
        token *t = &p->tokens[i];
        if (t->name && !strcmp(t->name, "file") && !file)
            file = t;
        else if (t->name && !strcmp(t->name, "file"))
            return rules_fail_at(p, t->col, DEID_E_RULES, "file= given twice");
        else if (t->name)
            return rules_fail_at(p, t->col, DEID_E_RULES,
                           "unexpected \"%s\": a key takes only file=PATH (never the key itself)",
                           t->name);
        else {
            /* Probably the key itself: keep it out of the message and
             * out of the line shown under it. */
            st = rules_fail_at(p, t->col, DEID_E_RULES,
                               "unexpected text: a key takes only file=PATH (never the key itself)");
            if (p->err)
                p->err->source_line[0] = '\0';
            return st;
        }
    }
    if (!file)
        return rules_fail_at(p, p->end_col, DEID_E_RULES, "key %s needs file=PATH", name->value);
    for (size_t i = 0; i < r->n_keys; i++)
        if (!strcmp(r->key_decls[i].name, name->value))
            return rules_fail_at(p, name->col, DEID_E_RULES, "key \"%s\" is already declared on line %lu",
                           name->value, r->key_decls[i].line);
    if (r->n_keys >= DEID_MAX_KEYS)
        return rules_fail_at(p, name->col, DEID_E_RULES, "too many keys (at most %u)", DEID_MAX_KEYS);
    char *path = join_path(r->base_dir, file->value);
    if (!path)
        return rules_out_of_memory(p);
    st = keyring_load(r->keys, name->value, path, p->err);
    if (!st && xf_file_list_add(&r->files_read, "key", path) != 0) {
        free(path);
        return rules_out_of_memory(p);
    }
    free(path);
    if (st) {
        err_at_rules(p->err, p->file, p->line_no, file->value_col, p->line);
        return st;
    }
    rules_key_decl *d = realloc(r->key_decls, (r->n_keys + 1) * sizeof *d);
    if (!d)
        return rules_out_of_memory(p);
    r->key_decls = d;
    d[r->n_keys].name = strdup(name->value);
    d[r->n_keys].file = strdup(file->value);
    d[r->n_keys].line = p->line_no;
    if (!d[r->n_keys].name || !d[r->n_keys].file) {
        free(d[r->n_keys].name);
        free(d[r->n_keys].file);
        return rules_out_of_memory(p);
    }
    r->n_keys++;
    return DEID_OK;
}

static void rule_clear(rule *ru)
{
    if (ru->ops && ru->ops->free && ru->state)
        ru->ops->free(ru->state);
    free(ru->column);
    for (size_t i = 0; i < ru->n_from; i++)
        free(ru->from[i]);
    free(ru->from);
    for (size_t i = 0; i < ru->n_also; i++)
        free(ru->also[i]);
    free(ru->also);
    free(ru->source_line);
    free(ru->context);
    memset(ru, 0, sizeof *ru);
}

/* Splits "a,b,c" (the value of t, the parameter `what`: from= or also=)
 * into *list, *n_list column names. */
deid_status rules_column_list(parser *p, const token *t, const char *what, char ***list,
                              size_t *n_list)
{
    const char *s = t->value;
    if (!*s)
        return rules_fail_at(p, t->value_col, DEID_E_RULES, "%s needs at least one column", what);
    size_t count = 1;
    for (const char *c = s; *c; c++)
        count += *c == ',';
    if (count > DEID_MAX_FIELDS)
        return rules_fail_at(p, t->value_col, DEID_E_RULES, "%s names too many columns", what);
    char **names = calloc(count, sizeof *names);
    if (!names)
        return rules_out_of_memory(p);
    *list = names;
    const char *start = s;
    for (size_t k = 0; k < count; k++) {
        const char *end = strchr(start, ',');
        size_t len = end ? (size_t)(end - start) : strlen(start);
        /* value_col is the opening quote's column for a quoted value */
        unsigned long col = t->value_col + (t->quoted ? 1u : 0u) + (unsigned long)(start - s);
        if (len == 0)
            return rules_fail_at(p, col, DEID_E_RULES, "empty column name in %s", what);
        names[k] = strndup(start, len);
        if (!names[k])
            return rules_out_of_memory(p);
        *n_list = k + 1;
        for (size_t j = 0; j < k; j++)
            if (!strcmp(names[j], names[k]))
                return rules_fail_at(p, col, DEID_E_RULES, "column \"%s\" appears twice in %s",
                                     names[k], what);
        start = end ? end + 1 : start + len;
    }
    return DEID_OK;
}

static deid_status parse_column(parser *p, int is_add)
{
    deid_rules *r = p->rules;
    const char *kw = is_add ? "add" : "column";
    deid_status st = rules_expect_bare(p, 1, is_add ? "the new column's name" : "a column name");
    if (st)
        return st;
    token *name = &p->tokens[1];
    if ((st = check_name(p, name, "the column name")))
        return st;
    st = rules_expect_bare(p, 2, "a transform");
    if (st)
        return st;
    token *tf = &p->tokens[2];
    const transform_ops *ops = transform_find(tf->value);
    if (!ops || tf->quoted) {
        dbuf known;
        dbuf_init(&known, 4096);
        int rc = transform_names(0, ", ", &known);
        rc = rc ? rc : dbuf_putc(&known, '\0');
        st = rc ? rules_out_of_memory(p)
                : rules_fail_at(p, tf->col, DEID_E_RULES, "unknown transform \"%s\" (known: %s)",
                                tf->value, known.data);
        dbuf_free(&known);
        return st;
    }
    for (size_t i = 0; i < r->n_rules; i++)
        if (!strcmp(r->rules[i].column, name->value))
            return rules_fail_at(p, name->col, DEID_E_RULES, "column \"%s\" already has a rule on line %lu",
                           name->value, r->rules[i].line);

    rule ru;
    memset(&ru, 0, sizeof ru);
    ru.is_add = is_add;
    ru.line = p->line_no;
    ru.name_col = name->col;
    ru.ops = ops;
    ru.on_error = ON_ERROR_FAIL;
    ru.column = strdup(name->value);
    ru.source_line = strdup(p->line);
    if (!ru.column || !ru.source_line) {
        rule_clear(&ru);
        return rules_out_of_memory(p);
    }

    xf_param params[MAX_TOKENS];
    size_t n_params = 0;
    int seen_on_error = 0, seen_from = 0;
    for (size_t i = 3; i < p->n_tokens; i++) {
        token *t = &p->tokens[i];
        deid_status repeat = rules_no_repeat(p, 3, i);
        if (repeat) {
            rule_clear(&ru);
            return repeat;
        }
        int taken;
        if ((st = rules_plan_param(p, t, &ru, &taken))) {
            rule_clear(&ru);
            return st;
        }
        if (taken)
            continue;
        if (t->name && !strcmp(t->name, "on-error")) {
            seen_on_error = 1;
            if (!strcmp(t->value, "fail"))
                ru.on_error = ON_ERROR_FAIL;
            else if (!strcmp(t->value, "blank"))
                ru.on_error = ON_ERROR_BLANK;
            else if (!strcmp(t->value, "suppress"))
                ru.on_error = ON_ERROR_SUPPRESS;
            else {
                rule_clear(&ru);
                return rules_fail_at(p, t->value_col, DEID_E_RULES,
                               "on-error= takes fail, blank or suppress");
            }
            continue;
        }
        if (t->name && !strcmp(t->name, "context") && (ops->flags & XF_TAKES_CONTEXT) && !is_add) {
            if (!t->value[0] || !(ru.context = strdup(t->value))) {
                rule_clear(&ru);
                return t->value[0] ? rules_out_of_memory(p)
                                   : rules_fail_at(p, t->value_col, DEID_E_RULES,
                                                   "context= needs a column name");
            }
            ru.context_col = t->value_col;
            continue;
        }
        if (t->name && !is_add &&
            ((!strcmp(t->name, "also") && (ops->flags & XF_TAKES_ALSO)) ||
             (!strcmp(t->name, "by") && (ops->flags & XF_TAKES_BY)))) {
            ru.also_col = t->value_col;
            ru.also_word = t->name[0] == 'a' ? "also=" : "by=";
            if ((st = rules_column_list(p, t, ru.also_word, &ru.also, &ru.n_also))) {
                rule_clear(&ru);
                return st;
            }
            continue;
        }
        if (t->name && !strcmp(t->name, "from") && is_add) {
            seen_from = 1;
            ru.from_col = t->value_col;
            if ((st = rules_column_list(p, t, "from=", &ru.from, &ru.n_from))) {
                rule_clear(&ru);
                return st;
            }
            continue;
        }
        params[n_params].name = t->name;
        params[n_params].value = t->value;
        params[n_params].col = t->name ? t->col : t->value_col;
        params[n_params].used = 0;
        n_params++;
    }
    (void)seen_on_error;
    if (is_add && !seen_from) {
        rule_clear(&ru);
        return rules_fail_at(p, p->end_col, DEID_E_RULES,
                       "add needs from=COLUMN[,COLUMN...] naming the input columns it reads");
    }
    if (is_add && ru.n_from > 1 && !(ops->flags & XF_MULTI_INPUT)) {
        st = rules_fail_at(p, ru.from_col, DEID_E_RULES, "%s takes one input column; from= names %zu",
                           ops->name, ru.n_from);
        rule_clear(&ru);
        return st;
    }
    if (is_add && (ops->flags & (XF_DROPS_COLUMN))) {
        rule_clear(&ru);
        return rules_fail_at(p, tf->col, DEID_E_RULES, "add with %s makes no column", ops->name);
    }

    xf_context ctx = {
        .column = ru.column,
        .transform = ops->name,
        .recipient = r->record.recipient,
        .rules_file = p->file,
        .base_dir = r->base_dir,
        .keys = r->keys,
        .line = p->line_no,
        .col = tf->col,
        .source_line = p->line,
        .params = params,
        .n_params = n_params,
        .n_inputs = is_add ? ru.n_from : ru.context ? 2 : 1 + ru.n_also,
        .also = (const char *const *)ru.also,
        .n_also = ru.n_also,
        .err = p->err,
        .files_read = &r->files_read,
    };
    st = ops->compile(&ctx, &ru.state);
    if (st) {
        rule_clear(&ru);
        return st;
    }
    for (size_t i = 0; i < n_params; i++) {
        if (!params[i].used) {
            rule_clear(&ru);
            if (params[i].name)
                return rules_fail_at(p, params[i].col, DEID_E_RULES, "unknown parameter \"%s\" for %s",
                               params[i].name, ops->name);
            return rules_fail_at(p, params[i].col, DEID_E_RULES, "unexpected \"%s\" after %s",
                           params[i].value, ops->name);
        }
    }
    if ((st = rules_plan_check(p, &ru))) {
        rule_clear(&ru);
        return st;
    }
    rule *grown = realloc(r->rules, (r->n_rules + 1) * sizeof *grown);
    if (!grown) {
        rule_clear(&ru);
        return rules_out_of_memory(p);
    }
    r->rules = grown;
    r->rules[r->n_rules++] = ru;
    (void)kw;
    return DEID_OK;
}

static deid_status parse_statement(parser *p)
{
    deid_status st = rules_tokenize(p);
    if (st || p->n_tokens == 0)
        return st;
    token *t = &p->tokens[0];
    if (t->name || t->quoted)
        return rules_fail_at(p, t->col, DEID_E_RULES, "a statement must start with a keyword");
    const char *kw = t->value;
    if (!strcmp(kw, "input"))
        return parse_input(p);
    if (!strcmp(kw, "key"))
        return parse_key(p);
    if (!strcmp(kw, "default"))
        return parse_default(p);
    if (!strcmp(kw, "column"))
        return parse_column(p, 0);
    if (!strcmp(kw, "add"))
        return parse_column(p, 1);
    if (rules_privacy_statement(p, kw, &st) || rules_record_statement(p, kw, &st) ||
        rules_output_statement(p, kw, &st) || rules_sample_statement(p, kw, &st))
        return st;
    return rules_fail_at(p, t->col, DEID_E_RULES,
                         "unknown statement \"%s\" (known: input, key, default, column, add, "
                         "output, quasi, sensitive, require, suppress, sample, purpose, recipient, retain, "
                         "record, controller, custodian, destroy-keys)",
                         kw);
}

/* A column named #N addresses the N-th field of a header-less input. */
static int is_position_name(const char *s)
{
    if (s[0] != '#' || s[1] < '1' || s[1] > '9')
        return 0;
    for (s++; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

static deid_status check_whole(parser *p)
{
    deid_rules *r = p->rules;
    for (size_t i = 0; i < r->n_rules; i++) {
        rule *ru = &r->rules[i];
        p->line_no = ru->line;
        p->line = ru->source_line;
        if (ru->context) {
            /* reverse needs the same context value, so the column is kept */
            const rule *cr = NULL;
            for (size_t k = 0; k < r->n_rules; k++)
                if (!r->rules[k].is_add && !strcmp(r->rules[k].column, ru->context))
                    cr = &r->rules[k];
            int kept = cr ? (cr->ops->flags & XF_IDENTITY) != 0
                          : r->default_policy == RULES_DEFAULT_KEEP;
            if (!kept || !strcmp(ru->context, ru->column))
                return rules_fail_at(p, ru->context_col, DEID_E_RULES,
                                     "context= must name another column that is kept "
                                     "(column %s keep), so the key holder can reverse",
                                     ru->context);
        }
        if (!r->header && !ru->is_add && !is_position_name(ru->column))
            return rules_fail_at(p, ru->name_col, DEID_E_RULES,
                           "with header=no, columns are addressed as #1, #2, ...");
        if (r->header && !ru->is_add && is_position_name(ru->column))
            return rules_fail_at(p, ru->name_col, DEID_E_RULES,
                           "#N addresses columns only with `input header=no`");
        for (size_t k = 0; k < ru->n_from; k++) {
            if (!r->header && !is_position_name(ru->from[k]))
                return rules_fail_at(p, ru->from_col, DEID_E_RULES,
                                     "with header=no, columns are addressed as #1, #2, ...");
            if (r->header && is_position_name(ru->from[k]))
                return rules_fail_at(p, ru->from_col, DEID_E_RULES,
                                     "#N addresses columns only with `input header=no`");
        }
    }
    return DEID_OK;
}

void deid_rules_free(deid_rules *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_rules; i++)
        rule_clear(&r->rules[i]);
    free(r->rules);
    for (size_t i = 0; i < r->n_keys; i++) {
        free(r->key_decls[i].name);
        free(r->key_decls[i].file);
    }
    free(r->key_decls);
    rules_privacy_free(&r->privacy);
    rules_record_free(&r->record);
    rules_sample_free(&r->sample);
    keyring_free(r->keys);
    xf_file_list_free(&r->files_read);
    free(r->name);
    free(r->base_dir);
    free(r);
}

deid_status deid_rules_parse(const char *text, size_t len, const char *name, const char *base_dir,
                             deid_rules **out, deid_error *err)
{
    *out = NULL;
    err_clear(err);
    if (!name)
        name = "<rules>";
    if (len > DEID_MAX_RULES_BYTES)
        return err_set(err, DEID_E_RULES, "%s: rules file is larger than %u bytes", name,
                       DEID_MAX_RULES_BYTES);
    deid_rules *r = calloc(1, sizeof *r);
    if (!r)
        return err_set(err, DEID_E_IO, "out of memory");
    r->delimiter = ',';
    r->header = 1;
    r->encoding = DEID_ENCODING_AUTO;
    r->out_encoding = DEID_ENCODING_UTF8;
    r->default_policy = RULES_DEFAULT_ERROR;
    r->name = strdup(name);
    r->base_dir = strdup(base_dir ? base_dir : "");
    r->keys = keyring_new();
    unsigned char md[32];
    unsigned int md_len = 0;
    if (!r->name || !r->base_dir || !r->keys) {
        deid_rules_free(r);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    /* The processing record names the rules by this digest: a run must not
     * go on without it (EVP_Digest fails only on ENOMEM). */
    if (!EVP_Digest(text, len, md, &md_len, EVP_sha256(), NULL) || md_len != 32) {
        deid_rules_free(r);
        return err_set(err, DEID_E_IO, "cannot compute the SHA-256 of %s (out of memory)", name);
    }
    for (unsigned i = 0; i < 32; i++)
        snprintf(r->sha256 + 2 * i, 3, "%02x", md[i]);
    parser p;
    memset(&p, 0, sizeof p);
    p.rules = r;
    p.file = r->name;
    p.err = err;
    char *line = malloc(DEID_MAX_RULES_LINE + 1);
    if (!line) {
        deid_rules_free(r);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    deid_status st = DEID_OK;
    size_t pos = 0;
    /* A UTF-8 byte order mark (editors on Windows add one) is not a statement. */
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        pos = 3;
    unsigned long line_no = 0;
    while (pos < len && st == DEID_OK) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        line_no++;
        p.line_no = line_no;
        if (n > 0 && text[pos + n - 1] == '\r')
            n--;
        size_t copy = n > DEID_MAX_RULES_LINE ? DEID_MAX_RULES_LINE : n;
        memcpy(line, text + pos, copy);
        line[copy] = '\0';
        p.line = line;
        if (n > DEID_MAX_RULES_LINE)
            st = rules_fail_at(&p, DEID_MAX_RULES_LINE, DEID_E_RULES, "line is longer than %u bytes",
                         DEID_MAX_RULES_LINE);
        else if (memchr(line, '\0', n))
            st = rules_fail_at(&p, (unsigned long)strlen(line) + 1, DEID_E_RULES, "NUL byte in rules");
        else if (utf8_count(line, n) == (size_t)-1) {
            size_t bad = 0;
            uint32_t cp;
            while (bad < n) {
                size_t k = utf8_decode(line + bad, n - bad, &cp);
                if (!k)
                    break;
                bad += k;
            }
            st = rules_fail_at(&p, bad + 1, DEID_E_RULES, "invalid UTF-8");
        } else
            st = parse_statement(&p);
        pos += (nl ? (size_t)(nl - (text + pos)) + 1 : len - pos);
    }
    if (st == DEID_OK)
        st = check_whole(&p);
    if (st == DEID_OK)
        st = rules_vault_check_formats(r, p.err);
    if (st == DEID_OK)
        st = rules_privacy_check(&p);
    free(line);
    free(p.scratch);
    if (st) {
        deid_rules_free(r);
        return st;
    }
    *out = r;
    return DEID_OK;
}

deid_status deid_rules_load(const char *path, deid_rules **out, deid_error *err)
{
    *out = NULL;
    err_clear(err);
    struct stat sb;
    int fd = fsys_open_regular(path, 0, &sb);
    if (fd == FSYS_NOT_REGULAR)
        return err_set(err, DEID_E_RULES, "rules file %s is not a regular file", path);
    if (fd < 0)
        return err_set(err, errno == ENOENT || errno == EACCES ? DEID_E_RULES : DEID_E_IO,
                       "cannot open rules file %s: %s", path, strerror(errno));
    char *text = NULL;
    size_t len = 0;
    int rc = fsys_read_small(fd, DEID_MAX_RULES_BYTES, &text, &len);
    int e = errno;
    fsys_close(fd);
    if (rc == FSYS_TOO_LARGE)
        return err_set(err, DEID_E_RULES, "%s: rules file is larger than %u bytes", path,
                       DEID_MAX_RULES_BYTES);
    if (rc != 0)
        return e == ENOMEM ? err_set(err, DEID_E_IO, "out of memory")
                           : err_set(err, DEID_E_IO, "cannot read rules file %s: %s", path,
                                     strerror(e));
    /* Relative file names in the rules resolve against the rules file's folder. */
    size_t dir_len = fsys_dir_prefix_len(path);
    char *dir = strndup(path, dir_len > 1 ? dir_len - 1 : dir_len);
    if (!dir) {
        free(text);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    deid_status st = deid_rules_parse(text, len, path, dir, out, err);
    free(dir);
    free(text);
    return st;
}
