/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job_privacy.h - the state of a run's privacy passes (job_privacy.c),
 * kept out of struct deid_job: a job without a `require` line has none
 * (job->priv is NULL). The reports (report/) read the figures.
 */
#ifndef DEID_JOB_PRIVACY_H
#define DEID_JOB_PRIVACY_H

#include "job.h"
#include "privacy.h"
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
    mem_budget *budget;           /* the run's (job->budget), borrowed */
    unsigned char *violates;      /* per measured class */
    uint64_t to_suppress;
    char *spool_dir;
    struct spool *spool;          /* pass 1's records when the inputs are not read again */
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
    /* how=cell (job_cells.c), once the classes that violate are known */
    size_t *cell_order;           /* QI indices, in the order their cells are suppressed */
    uint32_t *cell_depth;         /* per measured class: its first cell_depth[c] QIs of
                                     cell_order are written as the token */
    uint64_t *cells_per_qi;       /* cells suppressed, per QI (quasi line order) */
    uint64_t cells;               /* cells suppressed in all (not counting cells that
                                     already held the token) */
    uint64_t cell_records;        /* records with at least one cell suppressed */
    uint64_t cell_full;           /* records with every QI suppressed (ARX: suppressed records) */
    uint64_t cells_if_quasi;      /* the cells how=quasi would have replaced (not counting
                                     cells that already held the token) */
    uint64_t cell_rounds;         /* rounds the greedy took */
    uint64_t *cell_sizes;         /* the sizes of the classes written (for utility) */
    size_t n_cell_sizes;
    /* with a two-pass technique (job_group_privacy.c): pass 1's QI values as read */
    struct job_group_inputs *group_inputs;
} job_privacy;

/* Returns the state of a two-pass run spooling to tmpdir (NULL: $TMPDIR,
 * else /tmp), or NULL when out of memory. Freed by job_privacy_free. */
job_privacy *job_privacy_new(const char *tmpdir);
void job_privacy_free(job_privacy *pv);

/* Binds the `quasi` and `sensitive` names to the job's written columns. */
deid_status job_privacy_bind(deid_job *job, deid_error *err);
/* Writes spooled records still in memory (after each input chunk). */
deid_status job_privacy_flush(deid_job *job, deid_error *err);

/* Applies the plan (level=auto) and marks the classes that violate the
 * requirement, once (deid_job_plan, then deid_job_next_pass); within the
 * limit, the utility figures follow. DEID_E_PRIVACY past the limit. */
deid_status job_privacy_mark(deid_job *job, deid_error *err);

/* Reports a class_table_add error rc of table t as a deid_status. */
deid_status job_privacy_class_error(job_privacy *pv, const class_table *t, int rc, deid_error *err);

/* job_generalize.c: replaces the level-0 table (kept as level0_table) with
 * the table of the plan's node, each auto QI at its chosen level. */
deid_status job_privacy_generalize(deid_job *job, uint32_t *map, deid_error *err);

/* job_generalize.c: fills qi[0..n_qi) with the QI values that class c of
 * t0 maps to (borrowed from t0 or from state that outlives the call). */
typedef void (*job_tuple_fn)(void *ctx, const class_table *t0, uint32_t c, xf_value *qi);
/* Builds in *out (caller-owned, charged to the run's budget) a table of
 * t0's records with each class's QI values mapped by fn and each sensitive
 * column's counts kept (t0's suppressed records stay suppressed). map
 * (NULL, or class_table_classes(t0) entries) gets each class's class in
 * *out (CLASS_SUPPRESSED when fn maps it to the token row). */
deid_status job_privacy_rebuild(deid_job *job, const class_table *t0, job_tuple_fn fn, void *ctx,
                                class_table **out, uint32_t *map, deid_error *err);

/* job_cells.c: how=cell. Once pv->violates is marked: decides, per
 * measured class, how many of its QI cells are suppressed (the greedy of
 * README "Cell suppression") and counts the cells. */
deid_status job_cells_plan(deid_job *job, const privacy_requirement *req,
                           const privacy_sensitive_spec *spec, deid_error *err);
/* Pass 2: in values (the written record of measured class c), the cells
 * that class suppresses are replaced by the token, in place. */
void job_cells_apply(const deid_job *job, uint32_t c, xf_value *values);
/* Whether QI q of measured class c is suppressed. */
int job_cells_suppressed(const job_privacy *pv, uint32_t c, size_t q);
/* job_cells_search.c: how=cell with level=auto. Runs the search over cell
 * costs (search_cells_run) into *out, the greedy applied at every node it
 * cannot rule out. Leaves the level-0 table as it was. */
deid_status job_cells_search(deid_job *job, const search_problem *sp, search_result *out,
                             deid_error *err);
/* Applies node (levels set) to the level-0 table, runs the greedy, fills
 * the rest of *node as the search does and *feasible (cells within the
 * limit); then restores the table. */
deid_status job_cells_node(deid_job *job, const search_problem *sp, search_node *node,
                           int *feasible, deid_error *err);
/* The cells suppress max= allows: floor(max x records) x the QIs. */
uint64_t job_cells_limit(const deid_job *job, const search_problem *sp);
/* The plan report's line on how=cell ("" when not how=cell); static text. */
const char *job_cells_plan_note(const deid_job *job);
/* The DEID_E_PRIVACY error for cells past the limit (limit: the records
 * suppress max= allows; the cells allowed are limit x n_qi). */
deid_status job_cells_refuse(const deid_job *job, uint64_t limit, deid_error *err);
/* Frees the how=cell state (none: nothing). */
void job_cells_free(job_privacy *pv);

/* Fills spec (the rules' n_sensitive entries, caller-owned) with the
 * sensitive columns' names, ordered= flags, hierarchy= trees (borrowed from
 * the rules) and the job's empty-value choice. */
void job_privacy_sensitive_specs(const deid_job *job, privacy_sensitive_spec *spec);

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

/* job_group_privacy.c: runs with a two-pass technique and `require`. */
/* After both have bound: the dictionaries of the QIs' values as read. */
deid_status job_group_privacy_bind(deid_job *job, deid_error *err);
/* Pass 1: keeps the record's QI values as read, input[0..n_qi) (the
 * lanes append them after the written values). */
deid_status job_group_privacy_collect(deid_job *job, const xf_value *input, deid_error *err);
/* Empties, in a record of written values, the level=auto QIs' cells
 * (level 0: their values as read), before the techniques' spool. */
void job_group_privacy_blank(const deid_job *job, xf_value *values);
/* The techniques' write pass hands on record at (pass 1's numbering) with
 * their values: in pass 2 to the privacy measure, in pass 3 to the privacy
 * write. */
deid_status job_group_privacy_take(deid_job *job, size_t at, const xf_value *values, size_t n,
                                   deid_error *err);
/* Frees the values kept (none: nothing). */
void job_group_privacy_free(job_privacy *pv);

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
