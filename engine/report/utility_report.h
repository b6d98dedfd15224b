/* SPDX-License-Identifier: Apache-2.0 */
/*
 * utility_report.h - renders utility figures (model/utility.h) as aligned
 * text and as a JSON object, the same words for `deid run`, `deid plan`
 * and `deid check --source`. Figures only: never a data value.
 */
#ifndef DEID_UTILITY_REPORT_H
#define DEID_UTILITY_REPORT_H

#include "dbuf.h"
#include "utility.h"

/* Appends the text section ("utility against ..." and one line per
 * figure, then per QI) to out; quasi holds f->n_qi names, against names
 * what the figures compare with. Returns a DBUF_* code. */
int utility_report_text(dbuf *out, const utility_figures *f, const char *const *quasi,
                        const char *against);

/* Appends the figures as one JSON object whose opening line is indented
 * by indent spaces (members indent + 2, closing brace indent, no newline
 * after it). A figure that is not known is null. Returns a DBUF_* code. */
int utility_report_json(dbuf *out, const utility_figures *f, const char *const *quasi,
                        unsigned indent);

#endif
