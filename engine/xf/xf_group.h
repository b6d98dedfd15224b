/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_group.h - the second half of the transforms whose value for one
 * record depends on the others (micro-aggregation, aggregation, shuffle):
 * what transform_ops.group points to.
 *
 * Such a run takes two passes (job_group.c). In the first, apply runs on
 * each value as usual (it checks it and writes it in the form the
 * technique computes with, e.g. a plain number) and the engine keeps the
 * column's values, and the grouping columns' (by=, within=) written
 * values as a group number per record. Between the passes compute
 * decides every record's new value; the second pass writes them.
 */
#ifndef DEID_XF_GROUP_H
#define DEID_XF_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "deid.h"
#include "transform.h"
#include "spillbuf.h"
#include "strmap.h"
#include "vlist.h"

/* pick[i] for a record whose value stays as the first pass wrote it
 * (empty, or replaced by on-error=). */
#define XF_GROUP_KEEP UINT32_MAX

typedef struct xf_group_input {
    size_t n;                 /* records */
    size_t n_cols;            /* the rule's column, then its other columns (columns=) */
    const vlist *const *cols; /* cols[c]: column c's first-pass values, n of them */
    const uint32_t *group;    /* group of each record (by=, within=); NULL: one group */
    size_t n_groups;
    const xf_value *group_keys; /* [n_groups]: each group's by= values as one byte string
                                   (each value as 8 bytes of length, big-endian, then its
                                   bytes), the group's identity for keyed draws; NULL
                                   when one group */
    spill_area *spill;        /* where compute's per-record arrays go (spill_buf_take):
                                 memory within the budget, spill files past it (borrowed) */
} xf_group_input;

typedef struct xf_group_output {
    uint32_t *pick;           /* [n], the engine's (a spill buffer): the record's value is results[c][pick[i]],
                                 or XF_GROUP_KEEP */
    vlist *results;           /* [n_cols], started empty by the engine */
    int pick_input;           /* 1: pick indexes cols[c] itself (shuffle), not results */
    uint64_t groups;          /* groups formed (reports) */
    int has_loss;             /* sse and sst are set (micro-aggregation) */
    double sse, sst;          /* sum of squares within groups and in all (numbers used) */
    /* on DEID_E_DATA about one value: its column (index into cols) and
     * record (0-based), for the engine to say where */
    size_t bad_col, bad_record;
    int has_bad;
} xf_group_output;

typedef struct xf_group_ops {
    const char *by_name;      /* the grouping parameter's name ("by", "within"), for messages */
    /* The columns replaced together with the rule's own (columns=, its
     * own name excluded), static in state; *n may be 0. */
    const char *const *(*columns)(const void *state, size_t *n);
    /* The columns whose written values group the records (by=,
     * within=); *n 0: all records are one group. */
    const char *const *(*by)(const void *state, size_t *n);
    /* Fills out from in. On an error fills err (no value in messages;
     * the engine adds the column) and returns its status. */
    deid_status (*compute)(const void *state, const xf_group_input *in, xf_group_output *out,
                           deid_error *err);
} xf_group_ops;

/* The longest number the techniques take, in bytes (apply refuses longer
 * ones: "is out of range"). */
#define XF_GROUP_MAX_NUMBER 64

/* For apply: appends in (a number in number.h's forms, at most
 * XF_GROUP_MAX_NUMBER bytes) as plain decimal text. Returns XF_OK,
 * XF_NOMEM, or XF_BAD_VALUE with *why set. */
xf_result xf_group_apply_number(const xf_value *in, dbuf *out, const char **why);

/* The numbers of a column's values: x[i] for record i, used[i] 0 when
 * the value is empty or not a number (then x[i] is 0). Returns how many
 * are used; the arrays are the caller's ([n]). */
size_t xf_group_numbers(const vlist *col, size_t n, double *x, unsigned char *used);

/* Appends v written with decimals digits after the point (rounded half
 * away from zero, never "-0") to out. Returns a VLIST_* code. */
int xf_group_add_number(vlist *out, double v, unsigned decimals);

/* DEID_E_IO for a failed allocation rc: VLIST_ESPILL and SPILL_EFILE
 * say why the spill file failed (spill_area_error), STRMAP_EBUDGET that
 * a table of distinct values, which stays in memory, passed the budget,
 * anything else "out of memory". */
deid_status xf_group_fail(const spill_area *a, int rc, deid_error *err);

/* A comma-separated list of column names (columns=, by=, within=) read
 * from parameter p: *names gets a malloc'd array of *n malloc'd names
 * (free with xf_group_names_free). Rules errors at p for an empty name.
 * Returns DEID_OK or that error. */
deid_status xf_group_names(xf_context *ctx, const xf_param *p, char ***names, size_t *n);
void xf_group_names_free(char **names, size_t n);

#endif
