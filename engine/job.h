/*
 * job.h - the state of one streaming run (struct deid_job), shared by the
 * engine (job.c), its file-descriptor front (job_fd.c) and the report
 * writer (report.c).
 */
#ifndef DEID_JOB_H
#define DEID_JOB_H

#include "csv_in.h"
#include "dbuf.h"
#include "gz.h"
#include "rules.h"

/* One column of the run: an input column (kept, transformed or dropped)
 * or a column added by `add`. */
typedef struct job_column {
    char *name;
    const rule *ru;               /* NULL: passed through by `default keep` */
    const transform_ops *ops;
    const void *state;
    rules_on_error on_error;
    size_t *src;                  /* input field indices */
    size_t n_src;
    int written;                  /* 0 for dropped columns */
    dbuf scratch;                 /* this column's transformed value */
} job_column;

typedef struct job_input {
    char *name;
    uint64_t records;
    uint64_t bytes;               /* bytes after gzip decoding */
    int gzip;
} job_input;

enum { DETECT_PENDING, DETECT_PLAIN, DETECT_GZIP };

struct deid_job {
    const deid_rules *rules;
    int delimiter, out_delimiter;
    int gzip_out, gzip_level;

    csv_in *csv;
    gz_inflater *inflater;
    gz_deflater *deflater;
    dbuf pending;                 /* output waiting for deid_job_read */
    dbuf staging;                 /* plain output waiting for compression */

    /* current input */
    int in_input;
    int detect;
    unsigned char head[2];
    size_t head_len;
    int header_done;              /* this input's header row was read */

    job_input *inputs;
    size_t n_inputs;

    /* the plan, bound when the first header is read */
    int bound;
    char **header;                /* input column names */
    size_t n_fields;
    job_column *cols;             /* input columns in order, then `add` columns */
    size_t n_cols;
    xf_value *out_values;         /* values of the written columns for one record */
    size_t n_out;
    xf_value *multi;              /* inputs of a multi-column transform */
    size_t max_src;

    deid_column_counts *col_counts;
    deid_counts counts;
    deid_status failed;           /* first error; the job then refuses work */
    int finished;
};

#endif
