/* SPDX-License-Identifier: Apache-2.0 */
/*
 * group_report.c - the figures of a two-pass technique's column (groups,
 * SSE/SST information loss; job_group.c) in the run's summary, its JSON
 * report and its processing record.
 */
#include "group_report.h"
#include "job.h"

/* SSE/SST, 0 when every value was the same (nothing to lose). */
static double loss_ratio(const deid_column_counts *cc)
{
    return cc->sst > 0 ? cc->sse / cc->sst : 0;
}

static int is_group_column(const deid_job *job, size_t i)
{
    return job->group && job->colplan->cols[i].ops && job->colplan->cols[i].ops->group;
}

int group_report_figures(dbuf *b, const deid_job *job, size_t i)
{
    const deid_column_counts *cc = &job->counts.columns[i];
    if (!is_group_column(job, i))
        return 0;
    int rc = dbuf_printf(b, " %s: %llu group%s", cc->transform, (unsigned long long)cc->groups,
                         cc->groups == 1 ? "" : "s");
    if (!rc && cc->has_loss)
        rc = dbuf_printf(b, ", information loss SSE/SST %.4f", loss_ratio(cc));
    return rc;
}

/* "  income microagg: 3 groups, information loss SSE/SST 0.0123" for a
 * column of a two-pass technique (job_group.c). */
int group_report_text(dbuf *b, const deid_job *job, size_t i)
{
    if (!is_group_column(job, i))
        return 0;
    int rc = dbuf_append_str(b, "  ");
    rc = rc ? rc : dbuf_append_str(b, job->counts.columns[i].name);
    rc = rc ? rc : group_report_figures(b, job, i);
    return rc ? rc : dbuf_putc(b, '\n');
}

/* , "groups": N, "information_loss": {...} for such a column. */
int group_report_json(dbuf *b, const deid_job *job, size_t i)
{
    const deid_column_counts *cc = &job->counts.columns[i];
    if (!is_group_column(job, i))
        return 0;
    int rc = dbuf_printf(b, ", \"groups\": %llu", (unsigned long long)cc->groups);
    if (!rc && cc->has_loss)
        rc = dbuf_printf(b, ", \"information_loss\": {\"sse\": %.17g, \"sst\": %.17g, \"ratio\": %.17g}",
                         cc->sse, cc->sst, loss_ratio(cc));
    return rc;
}
