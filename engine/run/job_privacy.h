/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_privacy.h - the state of a run's privacy passes (job_privacy.c),
 * kept out of struct deid_job: a job without a `require` line has none
 * (job->priv is NULL). The reports (report/) read the figures.
 */
#ifndef DEID_JOB_PRIVACY_H
#define DEID_JOB_PRIVACY_H

#include "job.h"
#include "search.h"
#include "summary.h"

typedef struct job_privacy {
    size_t *qi_out, *sens_out;    /* QI and sensitive columns: indices into out_values */
    size_t n_qi, n_sens;
    xf_value *qi_values, *sens_values;
    class_table *measured;        /* pass 1: transformed records */
    class_table *written_table;   /* pass 2: what was written */
    class_table *input_table;     /* pass 1, with job->input_classes: the input's QI values
                                     as read (no sensitive column); else NULL */
    mem_budget budget;            /* of the class tables (job->memory_bytes) */
    unsigned char *violates;      /* per measured class */
    uint64_t to_suppress;
    int spool_fd;
    char *spool_dir;
    dbuf spool_buf;
    uint64_t spool_bytes, spool_read;
    csv_in *spool_reader;
    void *privacy_stats;          /* privacy_stats of what was written (job_privacy.c) */
    size_t *qi_col;               /* QI q's index in cols */
    int has_auto;                 /* some QI has level=auto: plan before writing */
    char (*id_text)[12];          /* per QI: a level-0 id as text, for the spool */
    struct plan_ladders *ladders; /* plan.c, after planning */
    struct search_result *search; /* the plan's result */
    struct search_probe *explain; /* deid_job_plan_explain: per QI, the chosen node with
                                     that QI one level lower (probed when explain_lower[q]) */
    unsigned char explain_lower[SEARCH_MAX_QI];
    int planned;
    class_table *level0_table;    /* a planned run's pass-1 table, once measured is
                                     generalized (job_generalize.c) */
    struct job_utility_pairs *pairs; /* per QI: (pass-1 class, source value) counts */
    struct utility_figures *utility; /* the figures, once the classes to suppress are known */
    /* sharded runs (job_shard.c) */
    int partial;                  /* pass 1 gathers the part's summary (options.partial) */
    uint64_t part;
    uint64_t taken;               /* records measured: their numbers in the part */
    int merged;                   /* the table comes from merged summaries */
    uint64_t merged_records;      /* their records: the whole input's */
    summary *shard;               /* the part's summary, or the merged one */
} job_privacy;

/* Returns the state of a two-pass run spooling to tmpdir (NULL: $TMPDIR,
 * else /tmp), or NULL when out of memory. Freed by job_privacy_free. */
job_privacy *job_privacy_new(const char *tmpdir);
void job_privacy_free(job_privacy *pv);

/* Binds the `quasi` and `sensitive` names to the job's written columns. */
deid_status job_privacy_bind(deid_job *job, deid_error *err);
/* Writes spooled records still in memory (after each input chunk). */
deid_status job_privacy_flush(deid_job *job, deid_error *err);

/* Reports a class_table_add error rc of table t as a deid_status. */
deid_status job_privacy_class_error(job_privacy *pv, const class_table *t, int rc, deid_error *err);

/* job_generalize.c: replaces the level-0 table (kept as level0_table) with
 * the table of the plan's node, each auto QI at its chosen level. */
deid_status job_privacy_generalize(deid_job *job, deid_error *err);

/* Fills *sp with the plan's search problem (after the first pass; builds
 * the ladders once): the QIs' ladders with their level=auto bounds and
 * weights, the requirement, spec (n_sens entries, the caller's) and the
 * suppression limit. Returns DEID_OK, DEID_E_RULES (too many QIs, weight=
 * with discernibility), DEID_E_DATA (a value no ladder handles) or
 * DEID_E_IO. */
deid_status job_privacy_problem(const deid_job *job, search_problem *sp,
                                privacy_sensitive_spec *spec, deid_error *err);

/* job_explain.c: after the search, before the violations are marked,
 * probes the chosen node with each QI one level lower into pv->explain.
 * Returns DEID_OK (also when no node was found), or the probe's error. */
deid_status job_privacy_explain(deid_job *job, deid_error *err);

/* job_utility.c: the utility metrics of a privacy run (README "Utility"). */
/* Starts counting (after binding): per QI, source values by pass-1 class. */
deid_status job_utility_start(deid_job *job, deid_error *err);
/* Pass 1: the record of pass-1 class c (CLASS_SUPPRESSED for the token
 * row) had source QI values raw[0..n_qi) (borrowed). */
deid_status job_utility_take(deid_job *job, const xf_value *raw, uint32_t c, deid_error *err);
/* Once the classes to suppress are marked (pv->violates): the figures,
 * into pv->utility. */
deid_status job_utility_compute(deid_job *job, deid_error *err);
/* Frees pass 1's counts (NULL does nothing). */
void job_utility_pairs_free(struct job_utility_pairs *p);

/* job_shard.c: at binding, a sharded run refuses token vaults; a part
 * starts its summary (with the header's names unless from_data); a merged
 * run checks the header and replays the summaries into measured. */
deid_status job_shard_bind(deid_job *job, const csv_field *f, size_t n, int from_data,
                           deid_error *err);
/* job_shard.c: pass 1's record (pv->qi_values, sens_values picked): a
 * part adds it to its summary; a merged run checks its class is known and
 * sets *done (nothing else to do in pass 1). */
deid_status job_shard_measure(deid_job *job, int *done, deid_error *err);
/* job_shard.c: the records the suppression limit counts: the whole
 * input's in a merged run. */
uint64_t job_shard_records(const deid_job *job);

#endif
