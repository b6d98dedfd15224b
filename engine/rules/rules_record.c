/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules_record.c - the statements behind the processing record (가명정보
 * 처리 기록, PIPA Decree Art. 29-5):
 *
 *   purpose   "text"                 why the data is pseudonymized
 *   recipient "text"                 who receives it (also a domain label)
 *   retain    until=YYYY-MM-DD       processing period / retention
 *   record    file=PATH              write the record there (as --record)
 *   controller "text"                who processes the data (처리자)
 *   custodian  "text"                who keeps the additional information,
 *                                    keys and vaults, apart (추가정보 관리자)
 *   destroy-keys on=YYYY-MM-DD       when that information is destroyed
 *
 * Each may appear once. `recipient` must come before the rules it should
 * separate: its label is mixed into the domain of every hash, encrypt and
 * fpe rule after it, so two recipients' files cannot be joined.
 */
#include <stdlib.h>
#include <string.h>

#include "rules_lex.h"

static deid_status text_statement(parser *p, char **field, const char *what)
{
    if (*field)
        return rules_fail_at(p, p->tokens[0].col, DEID_E_RULES, "`%s` may appear only once", what);
    if (p->n_tokens != 2 || p->tokens[1].name)
        return rules_fail_at(p, p->n_tokens > 1 ? p->tokens[1].col : (unsigned long)strlen(p->line) + 1,
                             DEID_E_RULES, "%s takes one quoted text, e.g. %s \"...\"", what, what);
    if (!p->tokens[1].value[0])
        return rules_fail_at(p, p->tokens[1].col, DEID_E_RULES, "%s is empty", what);
    for (const char *c = p->tokens[1].value; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return rules_fail_at(p, p->tokens[1].col, DEID_E_RULES,
                                 "%s holds a control character", what);
    if (!(*field = strdup(p->tokens[1].value)))
        return rules_out_of_memory(p);
    return DEID_OK;
}

static int is_date(const char *s)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

/* `retain until=DATE` and `destroy-keys on=DATE`: one date parameter. */
static deid_status date_statement(parser *p, char **field, const char *what, const char *param)
{
    if (*field)
        return rules_fail_at(p, p->tokens[0].col, DEID_E_RULES, "`%s` may appear only once", what);
    if (p->n_tokens != 2 || !p->tokens[1].name || strcmp(p->tokens[1].name, param))
        return rules_fail_at(p, p->n_tokens > 1 ? p->tokens[1].col : (unsigned long)strlen(p->line) + 1,
                             DEID_E_RULES, "%s takes %s=YYYY-MM-DD", what, param);
    /* the text is checked by shape and calendar only (no data value) */
    if (!is_date(p->tokens[1].value))
        return rules_fail_at(p, p->tokens[1].value_col, DEID_E_RULES,
                             "%s= takes a date as YYYY-MM-DD", param);
    if (!(*field = strdup(p->tokens[1].value)))
        return rules_out_of_memory(p);
    return DEID_OK;
}

static deid_status parse_record(parser *p)
{
    rules_record *rr = &p->rules->record;
    if (rr->file)
        return rules_fail_at(p, p->tokens[0].col, DEID_E_RULES, "`record` may appear only once");
    if (p->n_tokens != 2 || !p->tokens[1].name || strcmp(p->tokens[1].name, "file") ||
        !p->tokens[1].value[0])
        return rules_fail_at(p, p->n_tokens > 1 ? p->tokens[1].col : (unsigned long)strlen(p->line) + 1,
                             DEID_E_RULES, "record takes file=PATH");
    if (!(rr->file = strdup(p->tokens[1].value)))
        return rules_out_of_memory(p);
    return DEID_OK;
}

int rules_record_statement(parser *p, const char *keyword, deid_status *st)
{
    rules_record *rr = &p->rules->record;
    if (!strcmp(keyword, "purpose"))
        *st = text_statement(p, &rr->purpose, "purpose");
    else if (!strcmp(keyword, "recipient"))
        *st = text_statement(p, &rr->recipient, "recipient");
    else if (!strcmp(keyword, "retain"))
        *st = date_statement(p, &rr->retain_until, "retain", "until");
    else if (!strcmp(keyword, "controller"))
        *st = text_statement(p, &rr->controller, "controller");
    else if (!strcmp(keyword, "custodian"))
        *st = text_statement(p, &rr->custodian, "custodian");
    else if (!strcmp(keyword, "destroy-keys"))
        *st = date_statement(p, &rr->destroy_keys_on, "destroy-keys", "on");
    else if (!strcmp(keyword, "record"))
        *st = parse_record(p);
    else
        return 0;
    return 1;
}

void rules_record_free(rules_record *rr)
{
    free(rr->purpose);
    free(rr->recipient);
    free(rr->retain_until);
    free(rr->controller);
    free(rr->custodian);
    free(rr->destroy_keys_on);
    free(rr->file);
    memset(rr, 0, sizeof *rr);
}

const char *deid_rules_record_file(const deid_rules *rules)
{
    return rules->record.file;
}
