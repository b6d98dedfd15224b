/* SPDX-License-Identifier: Apache-2.0 */
/*
 * profile_role.h - the role `deid scan` suggests for a column (direct
 * identifier, quasi-identifier, sensitive, other) from its profile
 * (profile.h) and a hint from its header name. The values decide; the
 * name only confirms them or settles what values cannot tell apart (a
 * code list that is a diagnosis rather than a job), so a column named
 * phone that holds ages is judged by its ages.
 */
#ifndef DEID_PROFILE_ROLE_H
#define DEID_PROFILE_ROLE_H

#include <stdint.h>

#include "profile.h"

typedef enum profile_role {
    ROLE_DIRECT = 0,   /* identifies a person on its own */
    ROLE_QUASI,        /* identifies in combination (age, sex, zip, dates, region) */
    ROLE_SENSITIVE,    /* what the analysis is about (diagnosis, income) */
    ROLE_OTHER
} profile_role;

/* What a column holds, as far as the profile tells. */
typedef enum profile_content {
    CONTENT_EMPTY = 0,
    CONTENT_CONSTANT,
    CONTENT_IDENTIFIER,  /* a pii_detect kind (verdict.kind) */
    CONTENT_NAME,        /* Korean personal names */
    CONTENT_KEY,         /* a value unique to each record (customer number) */
    CONTENT_TEXT_IDS,    /* free text with identifiers (or names) inside */
    CONTENT_TEXT,        /* free text where none were found */
    CONTENT_DATE,
    CONTENT_ADDRESS,
    CONTENT_AGE,
    CONTENT_ZIP,
    CONTENT_SEX,
    CONTENT_DIAGNOSIS,
    CONTENT_AMOUNT,      /* numbers that measure something (income, amounts) */
    CONTENT_CATEGORY,    /* few distinct values */
    CONTENT_MIXED        /* many distinct values of no known shape */
} profile_content;

/* Hints from header names (a table in profile_role.c). */
typedef enum profile_hint {
    HINT_NONE = 0, HINT_NAME, HINT_RRN, HINT_PHONE, HINT_EMAIL, HINT_ADDRESS, HINT_BIRTH,
    HINT_DATE, HINT_SEX, HINT_AGE, HINT_ZIP, HINT_INCOME, HINT_DIAGNOSIS, HINT_CARD,
    HINT_ACCOUNT, HINT_BIZNO, HINT_PASSPORT, HINT_DRIVER, HINT_PLATE, HINT_IP, HINT_ID,
    HINT_JOB, HINT_MEMO, HINT_COUNT
} profile_hint;

typedef struct profile_verdict {
    profile_role role;
    profile_content content;
    int kind;            /* CONTENT_IDENTIFIER: the pii_kind; else -1 */
    profile_hint hint;
    int hint_agrees;     /* the values agree with the name's hint */
    int all;             /* every non-empty value has the deciding shape */
    int has_names;       /* CONTENT_TEXT_IDS: name-like words in the text */
    char reason[320];    /* one line, never a data value */
} profile_verdict;

/* Returns the hint of a header name (Korean or English, any case). */
profile_hint profile_name_hint(const char *name);
/* Returns the hint's short name ("phone", "birth", ...); "" for none. */
const char *profile_hint_name(profile_hint hint);
/* Returns "direct identifier", "quasi-identifier", "sensitive", "other". */
const char *profile_role_name(profile_role role);
/* Returns a short name of the content ("phone numbers", "dates", ...). */
const char *profile_content_name(const profile_verdict *v);

/* Judges column c (header name, or NULL without a header). */
void profile_judge(const profile_column *c, const char *name, profile_verdict *v);

#endif
