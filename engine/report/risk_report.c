/* SPDX-License-Identifier: Apache-2.0 */
/*
 * risk_report.c - journalist, marketer and sample risk and the population
 * uniqueness estimates as text and JSON (see risk_report.h).
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "risk_report.h"
#include "text_escape.h"

static const char *const model_titles[RISK_N_MODELS] = {"Zayatz", "Pitman", "SNB"};

/* ---- text ------------------------------------------------------------------ */

typedef struct text_out {
    dbuf *b;
    unsigned label_w, value_w;
} text_out;

static int spaces(dbuf *b, size_t n)
{
    int rc = DBUF_OK;
    while (n-- > 0 && !rc)
        rc = dbuf_putc(b, ' ');
    return rc;
}

/* "  label ....... value", value right-aligned (as privacy_report.c). */
static int figure(const text_out *t, unsigned indent, const char *label, const char *value)
{
    size_t w = indent + strlen(label), vw = strlen(value);
    size_t pad = (w < t->label_w ? t->label_w - w : 1) + (vw < t->value_w ? t->value_w - vw : 0);
    int rc = spaces(t->b, indent);
    rc = rc ? rc : dbuf_append_str(t->b, label);
    rc = rc ? rc : spaces(t->b, pad);
    rc = rc ? rc : dbuf_append_str(t->b, value);
    return rc ? rc : dbuf_putc(t->b, '\n');
}

static int figure_u(const text_out *t, unsigned indent, const char *label, uint64_t v)
{
    char s[32];
    snprintf(s, sizeof s, "%llu", (unsigned long long)v);
    return figure(t, indent, label, s);
}

static int figure_d(const text_out *t, unsigned indent, const char *label, double v)
{
    char s[64];
    snprintf(s, sizeof s, "%.6f", v);
    return figure(t, indent, label, s);
}

static int text_journalist(const text_out *t, const risk_report_input *in)
{
    const risk_stats *r = in->risk;
    dbuf *b = t->b;
    char label[96];
    int rc;
    if (r->from_population) {
        rc = dbuf_append_str(b, "\njournalist risk (population counts from ");
        rc = rc ? rc : text_escape_append(b, in->population, strlen(in->population));
        rc = rc ? rc : dbuf_append_str(b, ")\n");
        rc = rc ? rc : figure_u(t, 2, "population rows", in->population_rows);
        rc = rc ? rc : figure_u(t, 2, "smallest population class", r->population_smallest);
    } else {
        rc = dbuf_append_str(b, "\njournalist risk (the sample as population: equals "
                                "prosecutor risk)\n");
    }
    rc = rc ? rc : figure_d(t, 2, "highest", r->journalist_max);
    rc = rc ? rc : figure_d(t, 2, "average", r->journalist_avg);
    snprintf(label, sizeof label, "share of records above 1/%llu", (unsigned long long)r->risk_k);
    rc = rc ? rc : figure_d(t, 2, label, r->journalist_share);
    return rc ? rc : figure_d(t, 0, "marketer risk", r->marketer);
}

static int text_sample(const text_out *t, const risk_stats *r)
{
    char label[96];
    int rc = dbuf_append_str(t->b, "\nsample uniqueness\n");
    rc = rc ? rc : figure_u(t, 2, "sample uniques", r->sample_uniques);
    for (int i = 0; i < RISK_SMALL_SIZES && !rc; i++) {
        snprintf(label, sizeof label, "share in classes below %llu",
                 (unsigned long long)risk_small_sizes[i]);
        rc = figure_d(t, 2, label, r->share_below[i]);
    }
    return rc;
}

static int text_uniqueness(const text_out *t, const risk_stats *r)
{
    const risk_uniqueness *u = &r->uniqueness;
    char label[96], value[64];
    int rc = dbuf_printf(t->b, "\npopulation uniqueness (sampling fraction %g, population %llu)\n",
                         u->sampling_fraction, (unsigned long long)u->population);
    for (int m = 0; m < RISK_N_MODELS && !rc; m++) {
        if (u->model[m].available)
            rc = figure_d(t, 2, model_titles[m], u->model[m].share);
        else
            rc = figure(t, 2, model_titles[m], "unavailable");
    }
    if (!rc && u->picked == RISK_NO_MODEL) {
        rc = figure(t, 2, "decision rule (no sample uniques)", "none");
    } else if (!rc) {
        snprintf(label, sizeof label, "decision rule: %s", model_titles[u->picked]);
        if (u->decision.available)
            snprintf(value, sizeof value, "%.6f", u->decision.share);
        else
            snprintf(value, sizeof value, "unavailable");
        rc = figure(t, 2, label, value);
    }
    for (int m = 0; m < RISK_N_MODELS && !rc; m++)
        if (!u->model[m].available)
            rc = dbuf_printf(t->b, "(%s: %s)\n", model_titles[m],
                             u->model[m].reason ? u->model[m].reason : "no estimate");
    return rc ? rc
              : dbuf_append_str(t->b, "(shares of the population that are unique in it, "
                                      "estimated from the sample)\n");
}

int risk_report_text(dbuf *out, const risk_report_input *in, unsigned label_w, unsigned value_w)
{
    text_out t = {out, label_w, value_w};
    int rc = text_journalist(&t, in);
    rc = rc ? rc : text_sample(&t, in->risk);
    if (!rc && in->risk->estimated)
        rc = text_uniqueness(&t, in->risk);
    return rc;
}

/* ---- JSON ------------------------------------------------------------------ */

typedef struct json_out {
    dbuf *b;
    unsigned indent; /* of the members */
    int first;
} json_out;

static int member(json_out *j, const char *name)
{
    int rc = j->first ? dbuf_putc(j->b, '\n') : dbuf_append_str(j->b, ",\n");
    j->first = 0;
    rc = rc ? rc : spaces(j->b, j->indent);
    rc = rc ? rc : json_append_cstr(j->b, name);
    return rc ? rc : dbuf_append_str(j->b, ": ");
}

static int member_u64(json_out *j, const char *name, uint64_t v)
{
    int rc = member(j, name);
    return rc ? rc : dbuf_printf(j->b, "%llu", (unsigned long long)v);
}

static int member_double(json_out *j, const char *name, double v)
{
    int rc = member(j, name);
    return rc ? rc : json_append_double(j->b, v);
}

/* Closes an object whose members were indented j->indent. */
static int close_object(json_out *j)
{
    int rc = dbuf_putc(j->b, '\n');
    rc = rc ? rc : spaces(j->b, j->indent - 2);
    return rc ? rc : dbuf_putc(j->b, '}');
}

/* {"uniques": x, "share": y, "reason": null} or nulls and the reason. */
static int json_estimate(dbuf *b, const risk_estimate *e)
{
    int rc = dbuf_append_str(b, "{\"available\": ");
    rc = rc ? rc : dbuf_append_str(b, e->available ? "true" : "false");
    rc = rc ? rc : dbuf_append_str(b, ", \"uniques\": ");
    rc = rc ? rc : e->available ? json_append_double(b, e->uniques) : dbuf_append_str(b, "null");
    rc = rc ? rc : dbuf_append_str(b, ", \"share\": ");
    rc = rc ? rc : e->available ? json_append_double(b, e->share) : dbuf_append_str(b, "null");
    rc = rc ? rc : dbuf_append_str(b, ", \"reason\": ");
    rc = rc ? rc
            : e->available ? dbuf_append_str(b, "null")
                           : json_append_cstr(b, e->reason ? e->reason : "no estimate");
    return rc ? rc : dbuf_putc(b, '}');
}

static int json_small(json_out *j, const risk_stats *r)
{
    int rc = member(j, "records_in_classes_below");
    rc = rc ? rc : dbuf_putc(j->b, '[');
    for (int i = 0; i < RISK_SMALL_SIZES && !rc; i++) {
        rc = dbuf_printf(j->b, "%s\n", i ? "," : "");
        rc = rc ? rc : spaces(j->b, j->indent + 2);
        rc = rc ? rc
                : dbuf_printf(j->b, "{\"size\": %llu, \"records\": %llu, \"share\": ",
                              (unsigned long long)risk_small_sizes[i],
                              (unsigned long long)r->records_below[i]);
        rc = rc ? rc : json_append_double(j->b, r->share_below[i]);
        rc = rc ? rc : dbuf_putc(j->b, '}');
    }
    rc = rc ? rc : dbuf_putc(j->b, '\n');
    rc = rc ? rc : spaces(j->b, j->indent);
    return rc ? rc : dbuf_putc(j->b, ']');
}

static int json_journalist(json_out *j, const risk_report_input *in)
{
    const risk_stats *r = in->risk;
    int rc = member(j, "journalist");
    rc = rc ? rc : dbuf_putc(j->b, '{');
    json_out o = {j->b, j->indent + 2, 1};
    rc = rc ? rc : member(&o, "basis");
    rc = rc ? rc : json_append_cstr(o.b, r->from_population ? "population table" : "sample");
    rc = rc ? rc : member(&o, "population");
    if (!rc && r->from_population) {
        rc = dbuf_append_str(o.b, "{\"file\": ");
        rc = rc ? rc : json_append_cstr(o.b, in->population);
        rc = rc ? rc : dbuf_append_str(o.b, ", \"count_column\": ");
        rc = rc ? rc : json_append_cstr(o.b, in->population_count ? in->population_count : "count");
        rc = rc ? rc
                : dbuf_printf(o.b, ", \"rows\": %llu, \"smallest_class\": %llu}",
                              (unsigned long long)in->population_rows,
                              (unsigned long long)r->population_smallest);
    } else if (!rc) {
        rc = dbuf_append_str(o.b, "null");
    }
    rc = rc ? rc : member_double(&o, "highest", r->journalist_max);
    rc = rc ? rc : member_double(&o, "average", r->journalist_avg);
    rc = rc ? rc : member_u64(&o, "records_above_threshold", r->journalist_above);
    rc = rc ? rc : member_double(&o, "share_above_threshold", r->journalist_share);
    return rc ? rc : close_object(&o);
}

static int json_uniqueness(json_out *j, const risk_stats *r)
{
    int rc = member(j, "population_uniqueness");
    if (!r->estimated)
        return rc ? rc : dbuf_append_str(j->b, "null");
    const risk_uniqueness *u = &r->uniqueness;
    rc = rc ? rc : dbuf_putc(j->b, '{');
    json_out o = {j->b, j->indent + 2, 1};
    rc = rc ? rc : member_double(&o, "sampling_fraction", u->sampling_fraction);
    rc = rc ? rc : member_u64(&o, "population_size", u->population);
    for (int m = 0; m < RISK_N_MODELS && !rc; m++) {
        rc = member(&o, risk_model_name((risk_model)m));
        rc = rc ? rc : json_estimate(o.b, &u->model[m]);
    }
    rc = rc ? rc : member(&o, "decision_rule");
    rc = rc ? rc : dbuf_append_str(o.b, "{\"model\": ");
    rc = rc ? rc
            : u->picked == RISK_NO_MODEL ? dbuf_append_str(o.b, "null")
                                         : json_append_cstr(o.b, risk_model_name(u->picked));
    rc = rc ? rc : dbuf_append_str(o.b, ", \"estimate\": ");
    rc = rc ? rc : json_estimate(o.b, &u->decision);
    rc = rc ? rc : dbuf_putc(o.b, '}');
    return rc ? rc : close_object(&o);
}

int risk_report_json(dbuf *out, const risk_report_input *in, unsigned indent)
{
    const risk_stats *r = in->risk;
    json_out j = {out, indent + 2, 1};
    int rc = dbuf_putc(out, '{');
    rc = rc ? rc : member_double(&j, "threshold", 1.0 / (double)r->risk_k);
    rc = rc ? rc : member_u64(&j, "sample_uniques", r->sample_uniques);
    rc = rc ? rc : member_double(&j, "sample_uniqueness", r->sample_uniqueness);
    rc = rc ? rc : json_small(&j, r);
    rc = rc ? rc : json_journalist(&j, in);
    rc = rc ? rc : member_double(&j, "marketer", r->marketer);
    rc = rc ? rc : json_uniqueness(&j, r);
    return rc ? rc : close_object(&j);
}
