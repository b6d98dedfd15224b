/* SPDX-License-Identifier: Apache-2.0 */
/*
 * risk_report.h - the risk figures beyond prosecutor risk (risk_stats.h)
 * as a text section and as the "risk" object of the JSON report, for
 * privacy_report.c. Shows counts, shares and model names, never a value.
 */
#ifndef DEID_RISK_REPORT_H
#define DEID_RISK_REPORT_H

#include <stdint.h>

#include "dbuf.h"
#include "risk_stats.h"

/* What the section shows; pointers borrowed for the call. */
typedef struct risk_report_input {
    const risk_stats *risk;
    const char *population;        /* population table name; NULL: none */
    const char *population_count;  /* its count column */
    uint64_t population_rows;
} risk_report_input;

/* Appends the text section (starting with a blank line), labels in
 * label_w columns and values right-aligned in value_w, as the rest of the
 * report. Returns a DBUF_* code. */
int risk_report_text(dbuf *out, const risk_report_input *in, unsigned label_w, unsigned value_w);

/* Appends the "risk" object (its value only: "{ ... }"), members one a
 * line indented indent + 2 under a brace on a line indented indent, no
 * newline after the closing brace. Returns a DBUF_* code. */
int risk_report_json(dbuf *out, const risk_report_input *in, unsigned indent);

#endif
