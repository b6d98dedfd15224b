/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job.h - the state of one streaming run (struct deid_job), shared by the
 * engine (job.c), its file-descriptor front (job_fd.c) and the report
 * writer (report.c).
 */
#ifndef DEID_JOB_H
#define DEID_JOB_H

#include "dbuf.h"
#include "gz.h"
#include "pipeline.h"
#include "colplan.h"
#include "rules.h"
#include "session.h"

typedef struct class_table class_table;

typedef struct job_lane job_lane;

/*
 * Where the merged records of a pass go. A run is a sequence of passes,
 * each feeding the session's merged records to one sink: a one-pass run
 * writes CSV (job_sink_csv); a run with a privacy requirement measures
 * classes and spools (job_privacy_measure), then suppresses and writes
 * (job_privacy_write); a two-pass technique collects its columns
 * (job_group_collect), then writes (job_group_write) or, with a privacy
 * requirement, feeds the privacy measure (job_group_measure) before the
 * privacy pass writes (job_group_privacy_write). A technique that needs
 * a pass over the data adds a sink (and its private state), not fields
 * and flags on deid_job. Lanes read the sink; it changes only between
 * passes, while no lane works.
 */
typedef struct job_sink {
    int number;                   /* the pass: 1, 2 or 3 (progress) */
    int lanes_write_csv;          /* lanes format the output CSV (gzip members);
                                     else they serialize values for take */
    int again;                    /* takes the first pass's records again
                                     (the inputs re-read, or the spool) */
    int level0;                   /* level=auto columns stay at level 0 (for the plan) */
    int input_quasi;              /* in a privacy run, lanes append the QIs' values as read
                                     (job_lane.c) */
    /* One transformed record (unless lanes_write_csv), in input order. */
    deid_status (*take)(deid_job *job, const xf_value *values, size_t n, deid_error *err);
    /* After the last input of the run: NULL, or checks and measures. */
    deid_status (*finish)(deid_job *job, deid_error *err);
} job_sink;

/* job.c */
extern const job_sink job_sink_csv;
/* job_privacy.c */
extern const job_sink job_privacy_measure, job_privacy_write;
/* job_group.c */
extern const job_sink job_group_collect, job_group_write;
/* job_group_privacy.c: a two-pass technique with `require` (3 passes) */
extern const job_sink job_group_measure, job_group_privacy_write;

typedef struct job_input {
    char *name;
    uint64_t records;
    uint64_t bytes;               /* bytes after gzip decoding */
    int gzip;
    const char *encoding;         /* what it was read as (static; session_input_encoding) */
    int encoding_detected;        /* 1: found by `auto`; 0: as declared */
    char sha256[65];              /* of the raw bytes, when hash_io */
} job_input;

struct deid_job {
    const deid_rules *rules;
    int delimiter, out_delimiter;
    int gzip_out, gzip_level;
    char *output_name;            /* options.output_name (owned), NULL: standard output */
    int ignore_empty;             /* empty sensitive values left out of l and t (options
                                     or the rules' `sensitive ... empty=ignore`) */

    session *sess;                /* input stream, pipeline, lanes (job_lane) */
    gz_deflater *deflater;        /* privacy runs' output (one-pass runs: per lane) */
    dbuf pending;                 /* output waiting for deid_job_read */
    dbuf staging;                 /* plain output waiting for compression */
    int output_started;           /* a one-pass run put bytes into pending */

    /* current input */
    int in_input;
    int header_done;              /* this input's header row was read */
    uint64_t record_no;           /* records of this pass so far */
    uint64_t draw_base;           /* records of this pass's earlier inputs: draws by position
                                     number the run's records, so two inputs' records at the
                                     same place in each do not share a draw */

    job_input *inputs;
    size_t n_inputs;

    /* the plan, bound when the first header is read */
    int bound;
    colplan_request bind;         /* direction; reverse: its --columns (owned) */
    colplan *colplan;             /* the column plan; NULL until bound */
    xf_value *out_values;         /* values of the written columns for one record */
    size_t *sample_src;           /* the `sample` by= columns' input indexes (owned) */

    deid_column_counts *col_counts;
    deid_counts counts;
    const char *token;            /* the suppression token */

    /* passes */
    const job_sink *sink;         /* this pass's */
    int reread;                   /* pass 2 feeds the inputs again; else the spool */
    size_t memory_bytes;          /* --memory; 0 = default */
    mem_budget budget;            /* the run's one budget (memory_bytes or the default): the
                                     class tables, summaries, utility counts, and the values
                                     the two-pass techniques keep, together */
    int hash_io;                  /* SHA-256 of inputs and output (processing record) */
    void *out_sha;                /* EVP_MD_CTX over the output as taken */
    uint64_t out_bytes;
    char out_sha256[65];
    size_t input_index;           /* pass 2 with reread: which input is being fed again */
    struct job_privacy *priv;     /* two-pass runs' state (job_privacy.h); NULL otherwise */
    struct job_group *group;      /* runs with microagg, aggregate or shuffle (job_group.h) */
    int sharded;                  /* one part of a sharded run: no token vaults */
    int input_classes;            /* pass 1 also counts the input's QI classes (job_privacy.h) */
    int finished;
    deid_encoding out_encoding;   /* UTF8, CP949 or EUCKR */
    int bom;                      /* start the output with a UTF-8 byte order mark */
    struct lane_text *out_text;   /* output encoding on the caller's thread */
};

/* job.c */
deid_status job_write_plain(deid_job *job, const xf_value *values, size_t n, deid_error *err);
/* Converts the n written values vals (in place; into t, the calling
 * thread's) to the output encoding. A value it cannot hold is
 * DEID_E_DATA at the current input, record and line given (0: unknown)
 * and its column; *bad is its index. */
deid_status job_encode_output(deid_job *job, struct lane_text *t, xf_value *vals, size_t n,
                              uint64_t record, unsigned long line, size_t *bad, deid_error *err);
/* Writes the output's byte order mark (output bom=yes) and header row into out. */
deid_status job_write_header(deid_job *job, dbuf *out, deid_error *err);
/* The first record of an input: binds the rules to it (the first input's
 * header, or from_data: a first data record of an input without header),
 * or checks it is the first input's header. */
deid_status job_bind_header(deid_job *job, const csv_field *f, size_t n, int from_data,
                            deid_error *err);
/* deid_job_write of one slice: feeds raw bytes until about 1 MiB of
 * decoded input went through (however well gzip input compresses) and
 * flushes staging and spool; *used says how many of the len bytes were
 * taken. The fd front drains the output between slices, so that its
 * memory stays bounded whatever the compression ratio. */
deid_status job_write_some(deid_job *job, const void *data, size_t len, size_t *used,
                           deid_error *err);
/* The input being read (in either pass). */
job_input *job_current_input(const deid_job *job);
/* Calls the caller's progress function, if any. */
void job_report_progress(deid_job *job);
/* Accounts for output handed to the caller (bytes and SHA-256). */
void job_output_taken(deid_job *job, const void *data, size_t len);
/* Compresses the plain output gathered so far into the pending output. */
deid_status job_flush_staging(deid_job *job, deid_error *err);
/* A spooled record back into job->out_values (pointing into f); the
 * spool's records have the written columns, so any other count is
 * DEID_E_IO "the spool file is damaged". */
deid_status job_values_of_spool(deid_job *job, const csv_field *f, size_t n, deid_error *err);
/* The buffer plain CSV output goes to (compressed later when gzip). */
dbuf *job_plain_out(deid_job *job);

/* job_lane.c: one worker's parser and scratch (see pipeline.h) */
/* Sizes the lane for the bound columns. */
deid_status job_lane_bind(job_lane *lane, deid_error *err);
/* Adds the lane's column counts into into[] and zeroes its own. */
void job_lane_collect(job_lane *lane, deid_column_counts *into);
/* The job's lanes for its session (owner = the job): work transforms a
 * chunk, merge appends its output or hands its records to the pass's sink. */
extern const session_ops job_lane_ops;


/* job.c: the first column rule whose transform draws by record position
 * (ops->uses_position), or NULL; *by_sample is 1 when the `sample`
 * statement draws by position too. Borrowed from r. */
const rule *job_position_rule(const deid_rules *r, int *by_sample);

#endif
