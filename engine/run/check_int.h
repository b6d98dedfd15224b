/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_int.h - the state of one `deid check` (struct deid_check), shared
 * by check.c (configuration, binding, figures) and check_lane.c (the
 * per-thread parsing of chunks and their in-order merge into the class
 * table).
 */
#ifndef DEID_CHECK_INT_H
#define DEID_CHECK_INT_H

#include "check_population.h"
#include "classes.h"
#include "csv_in.h"
#include "pipeline.h"
#include "privacy.h"
#include "risk_stats.h"
#include "session.h"
#include "summary.h"

typedef struct check_lane check_lane;

/* A list of column names and where it came from. */
typedef struct name_list {
    char **names;
    size_t n;
    int from_rules;           /* 1: a rules line named them (errors are rules errors) */
    unsigned long rules_line;
} name_list;

/* The index of name in l, or -1. */
long check_find_name(const name_list *l, const char *name);

struct deid_check {
    /* what to measure */
    name_list quasi, sensitive;
    int *ordered;             /* per sensitive column */
    privacy_requirement req;
    privacy_sensitive_spec *spec;
    char *token;
    int delimiter;
    int header;               /* 1: the first record names the columns */
    size_t show_classes;
    char *rules_name;         /* NULL without rules */
    unsigned long hier_line;  /* rules line of `sensitive ... hierarchy=`, or 0 */
    struct tclose_hier **hier_owned; /* per sensitive column: the tree --hierarchy read
                                        (check_hier.c), or NULL */

    /* the input */
    session *sess;            /* input stream, pipeline, lanes (check_lane) */
    char *input_name;
    int begun, in_input, ended, finished;
    int bound;
    size_t n_fields;
    size_t *qi_idx, *sens_idx;
    xf_value *qi_vals, *sens_vals;
    uint64_t record_no;       /* data records read */
    char sha256[65];
    uint64_t input_bytes;     /* as read (compressed, for gzip) */
    char rules_sha256[65];    /* "" without rules */

    /* the figures */
    mem_budget budget;        /* of the table and the lanes' tables (options.memory_bytes) */
    class_table *table;
    privacy_stats stats;
    int measured;
    uint32_t *smallest;       /* class ids, smallest first */
    size_t n_smallest;

    /* risk beyond prosecutor (risk_stats.h), measured with the figures */
    char *population_path;    /* NULL: the sample is the population */
    char *population_count;   /* its count column */
    double sampling_fraction; /* 0: no population uniqueness estimate */
    uint64_t population_rows; /* data rows of the population table */
    class_origin *origin;     /* with a population table: where each class first
                                 appears in the input, for messages */
    size_t n_origin, origin_cap;
    risk_stats risk;          /* valid once measured */

    /* sharded checks (check_summary.c) */
    int partial;              /* gather summary instead of the class table */
    uint64_t part;
    summary *shard_summary;   /* the part's, or the merged one */
    summary_reader *merge_reader; /* the summary being merged */
    size_t merged;            /* summaries merged */
    int merging;

    /* --source (check_source.c): the utility figures against that file */
    struct utility_figures *utility;
    char *source_name;
};

/* check_hier.c: sets the sensitive columns' trees in chk->spec (chk's
 * sensitive names, ordered flags and spec filled): the rules' (pv may be
 * NULL), then each of o's --hierarchy files, read and owned by chk.
 * Returns DEID_OK; DEID_E_USAGE for a column that is not sensitive, named
 * twice, or ordered with a tree; the reader's error for a bad file. */
struct rules_privacy;
deid_status check_hierarchies(deid_check *chk, const struct rules_privacy *pv,
                              const deid_check_options *o, deid_error *err);
void check_hierarchies_free(deid_check *chk);
/* check_hier.c: DEID_OK, or DEID_E_DATA naming the first sensitive column
 * with a value missing from its tree (and the rules line of a rules tree;
 * never the value). */
deid_status check_hier_missing(const deid_check *chk, deid_error *err);

/* check.c: binds the QI and sensitive names to the first record (the
 * header, or the first data record without one). */
deid_status check_bind_header(deid_check *chk, const csv_field *f, size_t n, deid_error *err);

/* check.c: notes where class class_id, just created by the merge, first
 * appears (only with a population table, whose messages name it).
 * Returns DEID_OK, or DEID_E_IO at the memory budget or out of memory. */
deid_status check_note_origin(deid_check *chk, uint32_t class_id, uint64_t record,
                              unsigned long line, deid_error *err);

/* check_lane.c: one worker's parser (see pipeline.h). */
/* The check's lanes for its session (owner = the check): work counts a
 * chunk's combinations, merge adds them to the class table. */
extern const session_ops check_lane_ops;

/* check_summary.c: makes chk->summary for the check's shape. Returns
 * DEID_OK or DEID_E_IO. */
deid_status check_summary_start(deid_check *chk, deid_error *err);
/* check_summary.c: adds one combination of the part to its summary. */
deid_status check_summary_add(deid_check *chk, uint64_t count, uint64_t record,
                              unsigned long line, deid_error *err);

#endif
