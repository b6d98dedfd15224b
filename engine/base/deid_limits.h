/*
 * deid_limits.h - every input-controlled size has its maximum here, so a
 * hostile or broken input ends in a clear error instead of unbounded growth.
 */
#ifndef DEID_LIMITS_H
#define DEID_LIMITS_H

#define DEID_MAX_FIELD_BYTES     (8u << 20)  /* one CSV field */
#define DEID_MAX_RECORD_BYTES    (64u << 20) /* all fields of one record */
#define DEID_MAX_FIELDS          16384u      /* fields per record */
#define DEID_MAX_RULES_BYTES     (1u << 20)  /* a rules file */
#define DEID_MAX_RULES_LINE      4096u       /* one rules line */
#define DEID_MAX_NAME_BYTES      256u        /* column, key and domain names */
#define DEID_MAX_LOOKUP_BYTES    (64u << 20) /* a hierarchy or map file */
#define DEID_MAX_LOOKUP_ROWS     2000000u    /* rows of a hierarchy or map file */
#define DEID_MAX_HIERARCHY_LEVELS 64u        /* columns of a hierarchy row */
#define DEID_MAX_KEY_FILE_BYTES  4096u       /* a key file */
#define DEID_MAX_KEYS            64u         /* keys in one rule set */
#define DEID_MAX_PENDING_OUTPUT  (256u << 20) /* output waiting for deid_job_read */
#define DEID_MAX_CLASSES         100000000u  /* equivalence classes (and distinct values) in a privacy check */
#define DEID_MAX_VAULT_ENTRIES   20000000u   /* value,token pairs in one token vault */
#define DEID_MAX_VAULT_BYTES     (1u << 31)  /* a token vault file */

#endif
