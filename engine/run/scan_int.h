/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan_int.h - the state of one `deid scan` (struct deid_scan), shared by
 * scan.c (the input: session, lanes, merge into the column profiles) and
 * the renderers in report/ (scan_report.c: the profile as text and JSON;
 * scan_rules.c: the draft rules).
 */
#ifndef DEID_SCAN_INT_H
#define DEID_SCAN_INT_H

#include <stdint.h>

#include "colplan.h"
#include "deid.h"
#include "profile.h"
#include "profile_role.h"
#include "session.h"

/* Distinct values counted exactly per column before the estimate takes
 * over; with many columns, SCAN_EXACT_TOTAL shared among them. */
#define SCAN_EXACT_CAP 20000u
#define SCAN_EXACT_TOTAL 4000000u
#define SCAN_EXACT_MIN 256u

/* One column of the scanned input. */
typedef struct scan_column {
    char *name;              /* the header's name, or "#N" without a header */
    profile_column prof;
    profile_value head;      /* the header cell's own shape (a header may be data) */
    profile_verdict verdict; /* set by deid_scan_finish */
} scan_column;

struct deid_scan {
    int delimiter;
    int has_header;          /* 1: the first record names the columns */
    uint64_t sample;         /* 0: every record */
    int show_values;

    session *sess;
    char **inputs;           /* names of the inputs read, for the report */
    size_t n_inputs;
    const char **encodings;  /* each input's, as read (static strings) */
    int in_input, finished, done;
    int bound;               /* the columns are known (first input's first record) */
    int input_bound;         /* the current input's first record was taken */
    colplan_header header;   /* the first input's, to compare later inputs' with */
    int header_read;         /* header is filled (also after a failed read): free it */
    scan_column *cols;
    size_t n_cols;
    uint64_t records;        /* data records profiled */
    int truncated;           /* the sample ended the scan before the input did */
};

#endif
