/* SPDX-License-Identifier: Apache-2.0 */
/*
 * summary_int.h - the inside of a summary (summary.h), shared by
 * summary.c (the table and its text) and summary_read.c (the reader that
 * merges a summary file into a table).
 */
#ifndef DEID_SUMMARY_INT_H
#define DEID_SUMMARY_INT_H

#include "dbuf.h"
#include "strmap.h"
#include "summary.h"

/* One line of a summary: every value of the widest record, in hex. */
#define SUMMARY_MAX_LINE ((size_t)2 * DEID_MAX_RECORD_BYTES + 32u * DEID_MAX_FIELDS + 4096u)

struct summary {
    char *kind, *rules, *token; /* rules: "-" when none */
    char **names;               /* n_quasi then n_sensitive column names */
    size_t n_quasi, n_sens;
    char **header;              /* the input's column names */
    size_t n_header;
    int header_set;             /* from the shape or a file: later files must match */
    strmap *map;                /* key -> tuple index */
    uint64_t *count, *part, *record;
    uint32_t *file;             /* per tuple: the reader that last added it (duplicates) */
    size_t cap;
    uint64_t records;
    uint64_t *parts;            /* ascending */
    size_t n_parts, parts_cap;
    mem_budget *budget;
    dbuf key;
    uint32_t readers;           /* readers made so far: numbers them from 1 */
};

/* 1 when the ascending parts[0..n) hold part; *at is where it is or
 * would go. */
int summary_has_part(const uint64_t *parts, size_t n, uint64_t part, size_t *at);

/* Sets the input's column names (copied). Returns 0, or -1 on ENOMEM. */
int summary_set_header(summary *s, const char *const *names, size_t n);

/* summary_add, noting which reader (numbered from 1; 0: none) added the
 * tuple: the same tuple twice from one reader is SUMMARY_EOVERLAP. */
int summary_add_tuple(summary *s, const xf_value *qi, const xf_value *sens, uint64_t count,
                      uint64_t part, uint64_t record, uint32_t reader);

#endif
