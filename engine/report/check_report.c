/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_report.c - the report of a `deid check` (text and JSON), rendered
 * by privacy_report.c from the figures the check measured (check.c). It
 * lives in the report layer so that the run layer needs no renderer.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "dbuf.h"
#include "err.h"
#include "json.h"
#include "privacy_report.h"
#include "text_escape.h"
#include "utility_report.h"

typedef int (*render_fn)(dbuf *out, const privacy_report_input *in);

static int render_json(dbuf *out, const privacy_report_input *in)
{
    int rc = privacy_report_json(out, in, 0);
    return rc ? rc : dbuf_putc(out, '\n');
}

/* --source: the utility section, after the privacy figures. */
static int append_utility(const deid_check *chk, dbuf *b, int json)
{
    const char *const *quasi = (const char *const *)chk->quasi.names;
    if (!json) {
        dbuf against;
        dbuf_init(&against, 1u << 16);
        int rc = text_escape_append(&against, chk->source_name, strlen(chk->source_name));
        rc = rc ? rc : dbuf_putc(&against, 0);
        rc = rc ? rc : utility_report_text(b, chk->utility, quasi, against.data);
        dbuf_free(&against);
        return rc;
    }
    /* the privacy object ends with "}\n": the members go before its brace */
    b->len -= 2;
    int rc = dbuf_append_str(b, ",\n  \"source\": ");
    rc = rc ? rc : json_append_cstr(b, chk->source_name);
    rc = rc ? rc : dbuf_append_str(b, ",\n  \"utility\": ");
    rc = rc ? rc : utility_report_json(b, chk->utility, quasi, 2);
    return rc ? rc : dbuf_append_str(b, "\n}\n");
}

void privacy_report_check_input(const deid_check *chk, privacy_report_source *src,
                                privacy_report_input *in)
{
    *src = (privacy_report_source){chk->input_name, chk->sha256, deid_check_input_encoding(chk)};
    *in = (privacy_report_input){
        .title = "deid check",
        .stats = &chk->stats,
        .quasi = (const char *const *)chk->quasi.names,
        .sensitive = chk->spec,
        .req = &chk->req,
        .token = chk->token,
        .inputs = src,
        .n_inputs = 1,
    };
}

static deid_status render(const deid_check *chk, render_fn fn, char **text, deid_error *err)
{
    *text = NULL;
    err_clear(err);
    if (!chk->measured)
        return err_set(err, DEID_E_USAGE, "the check has no figures yet (finish it first)");
    size_t n_qi = chk->quasi.n;
    privacy_report_class *cls = calloc(chk->n_smallest ? chk->n_smallest : 1, sizeof *cls);
    xf_value *vals = calloc(chk->n_smallest * n_qi + 1, sizeof *vals);
    if (!cls || !vals) {
        free(cls);
        free(vals);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    for (size_t i = 0; i < chk->n_smallest; i++) {
        cls[i].size = class_table_size(chk->table, chk->smallest[i]);
        cls[i].qi = vals + i * n_qi;
        for (size_t q = 0; q < n_qi; q++)
            vals[i * n_qi + q] = class_table_qi_value(chk->table, chk->smallest[i], q);
    }
    privacy_report_source src;
    privacy_report_input in;
    privacy_report_check_input(chk, &src, &in);
    risk_report_input risk = {&chk->risk, chk->population_path, chk->population_count,
                              chk->population_rows};
    in.smallest = chk->n_smallest ? cls : NULL;
    in.n_smallest = chk->n_smallest;
    in.schema = JSON_SCHEMA_CHECK;
    in.risk = &risk;
    dbuf b;
    dbuf_init(&b, 256u << 20);
    int rc = fn(&b, &in);
    if (!rc && chk->utility)
        rc = append_utility(chk, &b, fn == render_json);
    free(cls);
    free(vals);
    if (rc) {
        dbuf_free(&b);
        return err_set(err, DEID_E_IO, rc == DBUF_ETOOBIG ? "the report is too large"
                                                          : "out of memory");
    }
    if (!(*text = dbuf_take(&b)))
        return err_set(err, DEID_E_IO, "out of memory");
    return DEID_OK;
}

deid_status deid_check_report_text(const deid_check *chk, char **text, deid_error *err)
{
    return render(chk, privacy_report_text, text, err);
}

deid_status deid_check_report_json(const deid_check *chk, char **text, deid_error *err)
{
    return render(chk, render_json, text, err);
}
