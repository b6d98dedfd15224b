/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules_sample.c - `sample rate=P key=K [by=COL,...] [domain=LABEL]`:
 * keyed Bernoulli sampling of records (guideline: 표본추출, sampling).
 *
 * A record is kept when the first keyed uniform of its stream
 * (keyed_random.h, purpose "sample", domain = domain= or "records", with
 * the recipient label as for hash when `recipient` comes first) is below
 * P. The stream is the record's by= values when the statement has by=
 * (one subject is in or out of every delivery made with the key: all its
 * records together), else its number in its input (the run then parses
 * chunks in order, as for noise by position). Records left out are
 * counted as removed (records read = written + removed); they never reach
 * a privacy pass. P is a percentage ("10%", "2.5%") above 0 and at most
 * 100, or a share in (0, 1].
 */
#include <stdlib.h>
#include <string.h>

#include "keyed_random.h"
#include "keyring.h"
#include "number.h"
#include "rules_lex.h"

#define DEFAULT_DOMAIN "records"

void rules_sample_free(rules_sample *s)
{
    for (size_t i = 0; i < s->n_by; i++)
        free(s->by[i]);
    free(s->by);
    free(s->rate_text);
    free(s->key_name);
    free(s->domain);
    keyed_random_free(s->kr);
    memset(s, 0, sizeof *s);
}

static deid_status parse_rate(parser *p, const token *t, rules_sample *s)
{
    double v = -1;
    if (!number_share(t->value, strlen(t->value), &v))
        v = -1;
    if (!(v > 0 && v <= 1))
        return rules_fail_at(p, t->value_col, DEID_E_RULES,
                             "rate= needs a percentage above 0%% and at most 100%% (e.g. rate=10%%) "
                             "or a share in (0, 1]");
    s->rate = v;
    return (s->rate_text = strdup(t->value)) ? DEID_OK : rules_out_of_memory(p);
}

static deid_status parse_key_name(parser *p, const token *t, const deid_key **key)
{
    *key = keyring_find(p->rules->keys, t->value);
    if (*key)
        return DEID_OK;
    if (strlen(t->value) > 32) {
        /* possibly key material pasted by mistake: never echoed */
        deid_status st = rules_fail_at(p, t->value_col, DEID_E_RULES,
                                       "key= names no declared key (key material never belongs "
                                       "in the rules file; declare: key NAME file=PATH)");
        p->err->source_line[0] = '\0';
        return st;
    }
    return rules_fail_at(p, t->value_col, DEID_E_RULES,
                         "unknown key \"%s\"; declare it with: key %s file=PATH", t->value,
                         t->value);
}

static deid_status parse_sample(parser *p)
{
    rules_sample *s = &p->rules->sample;
    if (s->on)
        return rules_fail_at(p, p->tokens[0].col, DEID_E_RULES,
                             "sample appears twice (first on line %lu)", s->line);
    s->on = 1;
    s->line = p->line_no;
    const deid_key *key = NULL;
    const char *domain = DEFAULT_DOMAIN;
    deid_status st = DEID_OK;
    for (size_t i = 1; i < p->n_tokens && !st; i++) {
        const token *t = &p->tokens[i];
        if ((st = rules_no_repeat(p, 1, i)))
            return st;
        if (!t->name)
            return rules_fail_at(p, t->col, DEID_E_RULES,
                                 "sample takes rate=, key=, by= and domain=, not \"%s\"",
                                 t->value);
        if (!strcmp(t->name, "rate"))
            st = parse_rate(p, t, s);
        else if (!strcmp(t->name, "key"))
            st = parse_key_name(p, t, &key);
        else if (!strcmp(t->name, "by")) {
            s->by_col = t->value_col;
            st = rules_column_list(p, t, "by=", &s->by, &s->n_by);
        } else if (!strcmp(t->name, "domain")) {
            if (!t->value[0])
                return rules_fail_at(p, t->value_col, DEID_E_RULES, "domain= is empty");
            domain = t->value;
        } else
            return rules_fail_at(p, t->col, DEID_E_RULES,
                                 "sample takes rate=, key=, by= and domain=, not %s=", t->name);
    }
    if (st)
        return st;
    if (!s->rate_text)
        return rules_fail_at(p, p->end_col, DEID_E_RULES, "sample needs rate= (e.g. rate=10%%)");
    if (!key)
        return rules_fail_at(p, p->end_col, DEID_E_RULES,
                             "sample needs key=NAME naming a key declared with: key NAME "
                             "file=PATH");
    const char *recipient = p->rules->record.recipient;
    size_t dlen = (recipient ? strlen(recipient) + 1 : 0) + strlen(domain);
    if (!(s->domain = malloc(dlen + 1)) || !(s->key_name = strdup(key_name(key))))
        return rules_out_of_memory(p);
    strcpy(s->domain, recipient ? recipient : "");
    if (recipient)
        strcat(s->domain, "\x1f");
    strcat(s->domain, domain);
    memcpy(s->fingerprint, key_fingerprint(key), sizeof s->fingerprint);
    s->fingerprint[sizeof s->fingerprint - 1] = '\0';
    if (!(s->kr = keyed_random_new(key, "sample", s->domain, dlen)))
        return rules_out_of_memory(p);
    return DEID_OK;
}

int rules_sample_statement(parser *p, const char *keyword, deid_status *st)
{
    if (strcmp(keyword, "sample"))
        return 0;
    *st = parse_sample(p);
    return 1;
}

int rules_sample_keeps(const rules_sample *s, const xf_value *ids, size_t n, uint64_t record)
{
    keyed_draws d;
    if (s->n_by)
        keyed_draws_by_values(&d, s->kr, ids, n);
    else
        keyed_draws_by_position(&d, s->kr, record);
    int keep = keyed_draw_bernoulli(&d, s->rate);
    int failed = d.failed;
    keyed_draws_end(&d);
    return failed ? -1 : keep;
}

int rules_sample_describe(const rules_sample *s, dbuf *out)
{
    if (!s->on)
        return DBUF_OK;
    int rc = dbuf_printf(out, "\nsample   rate=%s key=%s fingerprint=%s domain=", s->rate_text,
                         s->key_name, s->fingerprint);
    const char *sep = strchr(s->domain, '\x1f');
    if (!rc && sep)
        rc = dbuf_printf(out, "%.*s\xe2\x90\x9f", (int)(sep - s->domain), s->domain);
    rc = rc ? rc : xf_append_value(out, sep ? sep + 1 : s->domain);
    for (size_t i = 0; i < s->n_by && !rc; i++) {
        rc = dbuf_append_str(out, i ? "," : " by=");
        rc = rc ? rc : dbuf_append_str(out, s->by[i]);
    }
    return rc ? rc : dbuf_append_str(out, "\n         # 표본추출 (sampling)\n");
}
