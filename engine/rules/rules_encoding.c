/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules_encoding.c - the text encodings in the rules:
 *
 *   input  encoding=auto|utf-8|cp949|euc-kr     how the input is read
 *   output encoding=utf-8|cp949|euc-kr bom=yes|no   how the output is written
 *
 * `bom=yes` writes a UTF-8 byte order mark, which Excel needs to open a
 * UTF-8 CSV as UTF-8; a CP949 file has no such mark, so bom=yes with
 * another output encoding is an error rather than a mark that lies.
 */
#include <string.h>

#include "rules_lex.h"

deid_status rules_input_encoding(parser *p, const token *t)
{
    int e = deid_encoding_from_name(t->value);
    if (e < 0)
        return rules_fail_at(p, t->value_col, DEID_E_RULES,
                             "unknown encoding \"%s\" (use auto, utf-8, cp949 or euc-kr)",
                             t->value);
    p->rules->encoding = (deid_encoding)e;
    return DEID_OK;
}

static deid_status parse_output(parser *p)
{
    if (p->seen_output)
        return rules_fail_at(p, p->tokens[0].col, DEID_E_RULES, "`output` may appear only once");
    p->seen_output = 1;
    unsigned long bom_col = 0;
    for (size_t i = 1; i < p->n_tokens; i++) {
        const token *t = &p->tokens[i];
        if (!t->name)
            return rules_fail_at(p, t->col, DEID_E_RULES,
                                 "expected encoding= or bom=, found \"%s\"", t->value);
        if (!strcmp(t->name, "encoding")) {
            int e = deid_encoding_from_name(t->value);
            if (e < 0 || e == DEID_ENCODING_AUTO)
                return rules_fail_at(p, t->value_col, DEID_E_RULES,
                                     "unknown output encoding \"%s\" (use utf-8, cp949 or euc-kr)",
                                     t->value);
            p->rules->out_encoding = (deid_encoding)e;
        } else if (!strcmp(t->name, "bom")) {
            if (strcmp(t->value, "yes") && strcmp(t->value, "no"))
                return rules_fail_at(p, t->value_col, DEID_E_RULES, "bom= takes yes or no");
            p->rules->bom = !strcmp(t->value, "yes");
            bom_col = t->col;
        } else {
            return rules_fail_at(p, t->col, DEID_E_RULES, "unknown parameter \"%s\" for output",
                                 t->name);
        }
    }
    if (p->rules->bom && p->rules->out_encoding != DEID_ENCODING_UTF8)
        return rules_fail_at(p, bom_col, DEID_E_RULES,
                             "bom=yes writes a UTF-8 byte order mark: only with encoding=utf-8");
    return DEID_OK;
}

int rules_output_statement(parser *p, const char *keyword, deid_status *st)
{
    if (strcmp(keyword, "output"))
        return 0;
    *st = parse_output(p);
    return 1;
}
