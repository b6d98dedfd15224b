/* SPDX-License-Identifier: Apache-2.0 */
/*
 * group_report.h - a two-pass technique's figures in the reports.
 */
#ifndef DEID_GROUP_REPORT_H
#define DEID_GROUP_REPORT_H

#include <stddef.h>

#include "dbuf.h"
#include "deid.h"

/* Appends to b, for plan column i of a finished job when it is a
 * microagg, aggregate or shuffle column, the line
 * "  income microagg: 3 groups, information loss SSE/SST 0.0123\n"
 * (nothing for another column). Returns 0 or a dbuf error. */
int group_report_text(dbuf *b, const deid_job *job, size_t i);
/* The same line's figures alone, after the name and without the line end
 * (" microagg: 3 groups, ..."), for a writer that escapes the name. */
int group_report_figures(dbuf *b, const deid_job *job, size_t i);
/* The same as JSON members: `, "groups": N, "information_loss": {"sse":
 * .., "sst": .., "ratio": ..}` (the loss only for microagg). */
int group_report_json(dbuf *b, const deid_job *job, size_t i);

#endif
