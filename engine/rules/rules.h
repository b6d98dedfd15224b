/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules.h - the compiled rule set shared by the parser (rules.c), the
 * plan printer (rules_describe.c) and the engine (job.c). Outside the
 * library it is the opaque deid_rules of deid.h.
 */
#ifndef DEID_RULES_H
#define DEID_RULES_H

#include <stddef.h>
#include <stdint.h>
#include "deid.h"
#include "keyring.h"
#include "transform.h"

typedef enum rules_default { RULES_DEFAULT_ERROR, RULES_DEFAULT_KEEP, RULES_DEFAULT_DROP } rules_default;
typedef enum rules_on_error { ON_ERROR_FAIL, ON_ERROR_BLANK, ON_ERROR_SUPPRESS } rules_on_error;

/* One `column` or `add` statement, compiled. */
typedef struct rule {
    char *column;                /* input column (column) or new column (add) */
    int is_add;
    char *context;               /* context=COLUMN (XF_TAKES_CONTEXT), or NULL */
    unsigned long context_col;
    char **also;                 /* also=COL,... (XF_TAKES_ALSO) or by=COL,... (XF_TAKES_BY):
                                    more inputs of a column rule */
    const char *also_word;       /* "also=" or "by=", for messages (static) */
    size_t n_also;
    unsigned long also_col;
    char **from;                 /* add: the input columns it reads */
    size_t n_from;
    const transform_ops *ops;
    void *state;                 /* owned; freed with ops->free */
    rules_on_error on_error;
    unsigned long line;          /* where it was written, for errors found */
    unsigned long name_col;      /* when the input's header is known */
    unsigned long from_col;
    char *source_line;
    /* level=auto controls (rules_plan.c): the plan stays within levels
     * plan_min..plan_max when plan_bounded; plan_weight 0 means 1 */
    int plan_bounded, plan_has_max;
    unsigned long plan_min, plan_max, plan_min_col, plan_max_col;
    double plan_weight;
} rule;

typedef struct rules_key_decl {
    char *name;
    char *file;                  /* as written in the rules */
    unsigned long line;
} rules_key_decl;

/* The privacy statements: quasi, sensitive, require, suppress. */
typedef struct rules_privacy {
    char **quasi;                /* QI columns, as named in the output */
    size_t n_quasi;
    unsigned long quasi_line;
    char **sensitive;
    size_t n_sensitive;
    int *ordered;                /* per sensitive column: ordered distance for t */
    struct tclose_hier **hier;   /* per sensitive column: the tree of hierarchy=FILE
                                    (hierarchical distance for t; owned), or NULL */
    int ignore_empty;            /* sensitive ... empty=ignore: empty values are left out
                                    of l and t (privacy_sensitive_spec) */
    unsigned long sensitive_line;
    int has_require;
    uint64_t k;                  /* 0: not required */
    double l;                    /* 0: not required */
    int l_entropy;
    double t;                    /* 0: not required */
    int metric;                  /* search_metric for level=auto: 0 loss, 1 discernibility */
    unsigned long require_line;
    int has_suppress;
    double suppress_max;         /* share of records, 0..1 (max=2% -> 0.02) */
    int suppress_records;        /* how=record (remove) instead of how=quasi (token) */
    int suppress_cells;          /* how=cell: the fewest QI cells replaced by the token
                                    (job_cells.c), instead of whole records */
    char **suppress_order;       /* how=cell order=A,B,...: QIs whose cells go first */
    size_t n_suppress_order;
    unsigned long suppress_order_col; /* column of order='s value, for errors */
    char *token;                 /* suppression token (default "*") */
    unsigned long suppress_line;
} rules_privacy;

/* `sample rate=P key=K [by=COL,...] [domain=LABEL]`: keyed Bernoulli
 * sampling of records (rules_sample.c). */
typedef struct rules_sample {
    int on;
    double rate;                 /* share of records kept, (0, 1] */
    char *rate_text;             /* as written */
    char **by;                   /* identity columns; none: the record's position */
    size_t n_by;
    unsigned long by_col;
    unsigned long line;
    struct keyed_random *kr;     /* purpose "sample", the domain below */
    char *key_name;
    char fingerprint[17];
    char *domain;                /* domain=, or "records", with the recipient label */
} rules_sample;

/* The processing record's statements: purpose, recipient, retain, record,
 * controller, custodian, destroy-keys. */
typedef struct rules_record {
    char *purpose;
    char *recipient;             /* also mixed into every keyed domain */
    char *retain_until;          /* YYYY-MM-DD */
    char *controller;            /* 처리자: who processes (PIPA's controller) */
    char *custodian;             /* 추가정보 관리자: who keeps the keys and vaults apart */
    char *destroy_keys_on;       /* YYYY-MM-DD: when the additional information is destroyed */
    char *file;                  /* where to write the record (relative to the current folder) */
} rules_record;

struct deid_rules {
    char *name;                  /* rules file name, for messages */
    char *base_dir;              /* folder relative file names resolve against */
    int delimiter;               /* input delimiter (default ',') */
    int header;                  /* 1: first record names the columns */
    int drop_blank_columns;      /* input blank-columns=drop: columns with an empty
                                    header name are dropped, and must be empty */
    rules_default default_policy;
    keyring *keys;
    rules_key_decl *key_decls;
    size_t n_keys;
    rule *rules;
    size_t n_rules;
    rules_privacy privacy;
    rules_record record;
    rules_sample sample;
    char sha256[65];             /* of the rules file's bytes (deid_rules_load) */
    xf_file_list files_read;     /* key, hierarchy, map and vault files (deid_rules_file) */
    deid_encoding encoding;      /* `input encoding=` (default AUTO) */
    deid_encoding out_encoding;  /* `output encoding=` (default UTF8) */
    int bom;                     /* `output bom=yes`: a UTF-8 byte order mark first */
};

/* The suppression token written by on-error=suppress. */
#define RULES_SUPPRESSION_TOKEN "*"

/* Appends one line per column that keeps part of its value (ops->kept)
 * and is in neither `quasi` nor `sensitive`, when the rules have a
 * `require`; each line starts with prefix. Returns a DBUF_* code. */
int rules_kept_warnings(const deid_rules *r, const char *prefix, dbuf *out);

/* 1 when the record whose by= values are ids[0..n) (or, without by=,
 * whose 1-based number in its input is record) is in the sample, else 0;
 * -1 when the keyed draw failed (out of memory). */
int rules_sample_keeps(const rules_sample *s, const xf_value *ids, size_t n, uint64_t record);
/* Appends the sample statement as `deid lint` shows it (nothing without
 * one). Returns a DBUF_* code. */
int rules_sample_describe(const rules_sample *s, dbuf *out);
void rules_sample_free(rules_sample *s);

const char *rules_on_error_name(rules_on_error e);
const char *rules_default_name(rules_default d);
/* Printable name of a delimiter ("," or "tab"). */
const char *rules_delimiter_name(int delimiter);

#endif
