/* SPDX-License-Identifier: Apache-2.0 */
/*
 * deid_limits.h - every input maximum of the deid library, public beside
 * deid.h (which includes it). Every size an input, a rules file or a
 * caller's option controls has its maximum here, so a hostile or broken
 * input ends in a clear error instead of unbounded growth, and the CLI
 * checks its options against the same numbers the library enforces.
 */
#ifndef DEID_LIMITS_H
#define DEID_LIMITS_H

/* ---- data ---------------------------------------------------------------- */
#define DEID_MAX_FIELD_BYTES     (8u << 20)  /* one CSV field */
#define DEID_MAX_RECORD_BYTES    (64u << 20) /* all fields of one record */
#define DEID_MAX_FIELDS          16384u      /* fields per record (and column names in an option) */
#define DEID_MAX_PENDING_OUTPUT  (256u << 20) /* output waiting for deid_job_read */
#define DEID_MAX_CLASSES         100000000u  /* equivalence classes (and distinct values) in a privacy check */

/* ---- rules and the files they name ----------------------------------------- */
#define DEID_MAX_RULES_BYTES     (1u << 20)  /* a rules file */
#define DEID_MAX_RULES_LINE      4096u       /* one rules line */
#define DEID_MAX_RULES_TOKENS    128         /* words on one rules line */
#define DEID_MAX_NAME_BYTES      256u        /* column, key and domain names */
#define DEID_MAX_LOOKUP_BYTES    (64u << 20) /* a hierarchy or map file */
#define DEID_MAX_LOOKUP_ROWS     2000000u    /* rows of a hierarchy or map file */
#define DEID_MAX_HIERARCHY_LEVELS 64u        /* columns of a hierarchy row */
#define DEID_MAX_KEY_FILE_BYTES  4096u       /* a key file */
#define DEID_MAX_KEYS            64u         /* keys in one rule set */
#define DEID_MAX_VAULT_ENTRIES   20000000u   /* value,token pairs in one token vault */
#define DEID_MAX_VAULT_BYTES     (1u << 31)  /* a token vault file */
#define DEID_MAX_PROCESSING_RECORD_BYTES (16u << 20) /* a processing record deid verify reads */

/* ---- privacy requirements (rules `require` and deid check's -k, -l) ------ */
#define DEID_MAX_K               1000000000000ull /* k of k-anonymity */
#define DEID_MAX_L               1e12             /* l of l-diversity */
#define DEID_MAX_SPLIT_PARTS     1000000u    /* parts `deid split` cuts a file into */
#define DEID_MAX_SHOW_CLASSES    1000000ull       /* classes a check report lists */
/* records microagg method=mdav groups (its time grows as n^2; the other
 * techniques spill past --memory and have no such bound) */
#define DEID_MAX_MDAV_RECORDS    100000u

/* ---- streaming (deid_job_options, deid_check_options) --------------------- */
#define DEID_MAX_THREADS         256          /* worker threads of a job or check */
#define DEID_DEFAULT_CHUNK_BYTES (512u << 10) /* input per chunk when chunk_bytes is 0 */
#define DEID_MIN_CHUNK_BYTES     1u
#define DEID_MAX_CHUNK_BYTES     (64u << 20)  /* largest chunk_bytes */

/* level=auto weight=: weights are relative; the bound keeps
 * (1 + loss)^weight finite. */
#define DEID_MAX_PLAN_WEIGHT 1000.0

#endif
