/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_reverse.c - `deid reverse`: a job over a file that the rules
 * produced, bound by colplan_bind in the reverse direction. Columns whose
 * transform can be undone (encrypt, fpe, token) are restored with the transform's reverse for an authorized holder of the
 * key; every other column (hashed, masked, generalized, kept) is written
 * as it is and listed as not restored. A value that fails authentication
 * (tampered, or another key) stops the run with the record number.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "job.h"
#include "text_escape.h"

deid_status deid_job_reverse_note(const deid_job *job, char **text, deid_error *err)
{
    *text = NULL;
    dbuf b;
    dbuf_init(&b, 1u << 20);
    int rc = 0, listed = 0;
    for (size_t i = 0; i < job->colplan->n_cols && !rc; i++) {
        const colplan_column *c = &job->colplan->cols[i];
        if (c->reversing)
            continue;
        const rule *ru;
        if (colplan_rule_for(job->rules, c->name, &ru) < 0) {
            rc = DBUF_ENOMEM;
            break;
        }
        rc = dbuf_append_str(&b, listed++ ? ", " : "deid: not restored (one-way or not asked for): ");
        /* a column name may hold control bytes (text_escape.h) */
        rc = rc ? rc : text_escape_append(&b, c->label, strlen(c->label));
        rc = rc ? rc : dbuf_printf(&b, " (%s)", ru ? ru->ops->name : "no rule");
    }
    if (!rc && listed)
        rc = dbuf_putc(&b, '\n');
    if (rc)
        return dbuf_free(&b), err_set(err, DEID_E_IO, "out of memory");
    if (listed && !(*text = dbuf_take(&b)))
        return err_set(err, DEID_E_IO, "out of memory");
    dbuf_free(&b);
    return DEID_OK;
}
