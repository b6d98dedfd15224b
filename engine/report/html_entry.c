/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html_entry.c - deid_check_report_html and deid_job_report_html: gather
 * the figures of a finished check or run into an html_report and render
 * it (html_page.c). Borrowing only: nothing here computes a figure.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_int.h"
#include "err.h"
#include "html.h"
#include "job.h"
#include "job_privacy.h"
#include "textenc.h"

/* Pages hold counts, a few tables and at most 10 values per QI per table. */
#define HTML_MAX_BYTES (64u << 20)

static void apply_options(html_report *r, const deid_html_options *opts)
{
    deid_html_options none = {0};
    if (!opts)
        opts = &none;
    r->lang = opts->lang == DEID_LANG_EN ? DEID_LANG_EN : DEID_LANG_KO;
    r->risk_threshold = opts->risk_threshold;
    r->timestamp = opts->timestamp ? opts->timestamp : (int64_t)time(NULL);
}

static deid_status render(const html_report *r, char **text, deid_error *err)
{
    dbuf b;
    dbuf_init(&b, HTML_MAX_BYTES);
    int rc = html_render(&b, r);
    if (rc) {
        dbuf_free(&b);
        return err_set(err, DEID_E_IO, rc == DBUF_ETOOBIG ? "the HTML report is too large"
                                                          : "out of memory");
    }
    if (!(*text = dbuf_take(&b)))
        return err_set(err, DEID_E_IO, "out of memory");
    return DEID_OK;
}

deid_status deid_check_report_html(const deid_check *chk, const deid_html_options *opts,
                                   char **text, deid_error *err)
{
    *text = NULL;
    err_clear(err);
    if (!chk->measured)
        return err_set(err, DEID_E_USAGE, "the check has no figures yet (finish it first)");
    html_file input = {
        .name = chk->input_name,
        .bytes = chk->input_bytes,
        .records = chk->record_no,
        .sha256 = chk->sha256,
        .encoding = deid_check_input_encoding(chk),
    };
    privacy_report_source src;
    privacy_report_input in;
    privacy_report_check_input(chk, &src, &in);
    html_report r = {
        .rules_name = chk->rules_name,
        .rules_sha256 = chk->rules_sha256,
        .inputs = &input,
        .n_inputs = 1,
        .privacy = &in,
        .figure_path = "",
        .classes = chk->table,
        .risk = &chk->risk,
        .population_name = chk->population_path,
        .population_rows = chk->population_rows,
        .utility = chk->utility,
        .utility_quasi = (const char *const *)chk->quasi.names,
        .utility_source = chk->source_name,
    };
    apply_options(&r, opts);
    return render(&r, text, err);
}

deid_status deid_job_report_html(deid_job *job, const deid_html_options *opts,
                                 char **text, deid_error *err)
{
    *text = NULL;
    err_clear(err);
    if (!job->finished || !job->colplan)
        return err_set(err, DEID_E_USAGE, "the run is not finished");
    const deid_rules *rules = job->rules;
    const rules_privacy *rp = &rules->privacy;
    const deid_counts *counts = &job->counts;
    size_t n_in = job->n_inputs, n_s = rp->n_sensitive, n_c = counts->n_columns;
    html_file *inputs = calloc(n_in ? n_in : 1, sizeof *inputs);
    html_column *cols = calloc(n_c ? n_c : 1, sizeof *cols);
    privacy_sensitive_spec *spec = calloc(n_s ? n_s : 1, sizeof *spec);
    if (!inputs || !cols || !spec) {
        free(inputs);
        free(cols);
        free(spec);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    for (size_t i = 0; i < n_in; i++) {
        const job_input *ji = &job->inputs[i];
        inputs[i] = (html_file){ji->name, ji->bytes, 1, ji->records, ji->sha256, ji->encoding};
    }
    for (size_t i = 0; i < n_c; i++) {
        const deid_column_counts *cc = &counts->columns[i];
        const colplan_column *col = &job->colplan->cols[i];
        cols[i] = (html_column){cc->name, cc->transform, col->ops ? col->ops->technique : NULL,
                                col->written, cc->transformed, cc->empty, cc->errors};
    }
    html_run run = {
        .read = counts->records_read,
        .written = counts->records_written,
        .removed = counts->records_removed,
        .suppress_removes = rp->suppress_records,
        .columns = cols,
        .n_columns = n_c,
        .purpose = rules->record.purpose,
        .recipient = rules->record.recipient,
        .retain_until = rules->record.retain_until,
        .controller = rules->record.controller,
        .custodian = rules->record.custodian,
        .destroy_keys_on = rules->record.destroy_keys_on,
    };
    html_file output = {
        .name = opts && opts->output_name ? opts->output_name : NULL,
        .bytes = job->out_bytes,
        .records = counts->records_written,
        .sha256 = deid_job_output_sha256(job),
        .encoding = textenc_name(job->out_encoding),
    };
    html_report r = {
        .rules_name = rules->name,
        .rules_sha256 = rules->sha256,
        .inputs = inputs,
        .n_inputs = n_in,
        .output = output.name ? &output : NULL,
        .run = &run,
        .figure_path = "privacy.",
    };
    privacy_requirement req = {rp->k, rp->l, rp->l_entropy ? L_ENTROPY : L_DISTINCT, rp->t};
    privacy_report_input in = {0};
    if (job->priv && job->priv->privacy_stats) {
        job_privacy_sensitive_specs(job, spec);
        in = (privacy_report_input){
            .title = "privacy of the records written",
            .stats = job->priv->privacy_stats,
            .quasi = (const char *const *)rp->quasi,
            .sensitive = spec,
            .req = &req,
            .token = job->token,
        };
        run.suppressed = job->priv->to_suppress;
        run.suppress_cells = job->priv->cell_depth != NULL;
        run.cells = job->priv->cells;
        r.privacy = &in;
        r.classes = job->priv->written_table;
        r.before_is_input = job->priv->input_table != NULL;
        r.before = r.before_is_input ? job->priv->input_table : job->priv->measured;
        r.utility = job->priv->utility;
        r.utility_quasi = (const char *const *)rp->quasi;
    }
    apply_options(&r, opts);
    deid_status st = render(&r, text, err);
    free(inputs);
    free(cols);
    free(spec);
    return st;
}
