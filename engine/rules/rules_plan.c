/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules_plan.c - the planner's controls on a `level=auto` rule:
 *
 *   column age range widths=5,10,20 level=auto min=1 max=2 weight=2
 *
 * min=N and max=N keep the plan within levels N..M of the ladder (0 = the
 * value itself); weight=W (a positive number, default 1) is the QI's
 * weight in the loss. They are the planner's only with level=auto: on any
 * other rule the words go to the transform, which may have its own min=
 * and max= (a clamp, say). `min-level=` and `max-level=` are refused with
 * the spelling to use, since one spelling per setting keeps rules
 * readable.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rules_lex.h"
#include "deid_limits.h"

static int rule_is_auto(const parser *p)
{
    for (size_t i = 3; i < p->n_tokens; i++)
        if (p->tokens[i].name && !strcmp(p->tokens[i].name, "level") &&
            !strcmp(p->tokens[i].value, "auto"))
            return 1;
    return 0;
}

static deid_status read_level(parser *p, const token *t, unsigned long *out)
{
    const char *s = t->value;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *s < '0' || *s > '9' || *end || errno || v > 255)
        return rules_fail_at(p, t->value_col, DEID_E_RULES,
                             "%s= takes a level number from 0 (the value itself) to 255",
                             t->name);
    *out = v;
    return DEID_OK;
}

deid_status rules_plan_param(parser *p, const token *t, rule *ru, int *taken)
{
    *taken = 0;
    if (!t->name)
        return DEID_OK;
    if (!strcmp(t->name, "max-level") || !strcmp(t->name, "min-level"))
        return rules_fail_at(p, t->col, DEID_E_RULES,
                             "%s= is spelled %s= here, with level=auto: e.g. level=auto %s=%s",
                             t->name, t->name[1] == 'a' ? "max" : "min",
                             t->name[1] == 'a' ? "max" : "min", t->value);
    int is_min = !strcmp(t->name, "min"), is_max = !strcmp(t->name, "max");
    int is_weight = !strcmp(t->name, "weight");
    if (!(is_min || is_max || is_weight) || !rule_is_auto(p))
        return DEID_OK;
    *taken = 1;
    if (is_weight) {
        char *end;
        errno = 0;
        double w = strtod(t->value, &end);
        if (!t->value[0] || *end || errno || !isfinite(w) || !(w > 0) || w > DEID_MAX_PLAN_WEIGHT ||
            strspn(t->value, "0123456789.") != strlen(t->value))
            return rules_fail_at(p, t->value_col, DEID_E_RULES,
                                 "weight= takes a positive number up to %g (default 1)",
                                 DEID_MAX_PLAN_WEIGHT);
        ru->plan_weight = w;
        return DEID_OK;
    }
    unsigned long v = 0;
    deid_status st = read_level(p, t, &v);
    if (st)
        return st;
    ru->plan_bounded = 1;
    if (is_min) {
        ru->plan_min = v;
        ru->plan_min_col = t->value_col;
    } else {
        ru->plan_max = v;
        ru->plan_max_col = t->value_col;
        ru->plan_has_max = 1;
    }
    return DEID_OK;
}

deid_status rules_plan_check(parser *p, rule *ru)
{
    if (!ru->plan_bounded)
        return DEID_OK;
    size_t levels = ru->ops->levels ? ru->ops->levels(ru->state) : 0;
    if (levels == 0) /* not a ladder after all: the transform would have refused level=auto */
        return rules_fail_at(p, ru->plan_min_col ? ru->plan_min_col : ru->plan_max_col,
                             DEID_E_RULES, "min= and max= need a ladder (level=auto)");
    if (!ru->plan_has_max)
        ru->plan_max = levels - 1;
    if (ru->plan_max >= levels)
        return rules_fail_at(p, ru->plan_max_col, DEID_E_RULES,
                             "max=%lu: the ladder of %s has levels 0 to %zu", ru->plan_max,
                             ru->column, levels - 1);
    if (ru->plan_min > ru->plan_max)
        return rules_fail_at(p, ru->plan_min_col, DEID_E_RULES,
                             "min=%lu is above max=%lu", ru->plan_min, ru->plan_max);
    return DEID_OK;
}
