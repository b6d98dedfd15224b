/* SPDX-License-Identifier: Apache-2.0 */
/*
 * profile.h - what `deid scan` learns about one column from its values:
 * how many are non-empty, how many are distinct (exact up to a cap, then
 * a HyperLogLog estimate, so memory stays bounded whatever the input),
 * which Korean identifier kinds they are (pii_detect.h), and the shapes
 * that tell roles apart (whole numbers, ages, zip codes, dates, Korean
 * names, addresses, diagnosis codes, free text).
 *
 * profile_classify looks at one value and may run on any thread; a
 * profile_column accumulates classified values on one thread.
 */
#ifndef DEID_PROFILE_H
#define DEID_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "pii_detect.h"
#include "strmap.h"

/* Value shapes, as bit numbers of profile_value.shapes. */
enum {
    PROF_INT = 0,      /* digits, optionally after '-' */
    PROF_NUMBER,       /* any number: PROF_INT, a decimal, thousands separators */
    PROF_AGE,          /* a whole number from 0 to 130 */
    PROF_ZIP,          /* exactly five digits (Korean postal codes) */
    PROF_DATE,         /* a calendar date, optionally followed by a time */
    PROF_DATE_PLAIN,   /* a date in a form `date` reads: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD */
    PROF_NAME,         /* 2-4 Hangul syllables starting with a common family name */
    PROF_ADDRESS,      /* first word names a province or metropolitan city (시도) */
    PROF_ICD,          /* an ICD-10 code: letter, two characters, optional .suffix */
    PROF_SPACE,        /* white space between words */
    PROF_HANGUL,       /* holds a Hangul syllable */
    PROF_TEXT_ID,      /* an identifier found inside longer text */
    PROF_TEXT_NAME,    /* a word inside longer text that looks like a Korean name */
    PROF_BAD_UTF8,     /* not valid UTF-8 */
    PROF_N_SHAPES
};

/* One classified value. */
typedef struct profile_value {
    uint32_t shapes;      /* 1u << PROF_* */
    uint32_t kinds;       /* 1u << pii_kind: the whole value is one identifier */
    uint32_t text_kinds;  /* 1u << pii_kind: identifiers found inside the text */
    uint32_t chars;       /* code points (bytes when not UTF-8) */
} profile_value;

/* Classifies value[0..len) (not empty). Pure; thread-safe. */
void profile_classify(const char *value, size_t len, profile_value *out);

/* Returns 1 when the code point is a Hangul syllable that starts common
 * Korean family names; else 0. */
int profile_is_surname(uint32_t cp);

#define PROFILE_HLL_BITS 10
#define PROFILE_EXAMPLES 3
#define PROFILE_EXAMPLE_CHARS 40

/* What one column's values add up to. */
typedef struct profile_column {
    uint64_t nonempty;
    uint64_t shape[PROF_N_SHAPES];
    uint64_t kind[PII_KIND_COUNT];       /* values that are wholly this kind */
    uint64_t text_kind[PII_KIND_COUNT];  /* values holding this kind inside text */
    uint32_t min_chars, max_chars;
    uint64_t sum_chars;
    strmap *exact;        /* the distinct values while they are at most exact_cap; then NULL */
    size_t exact_cap;
    uint64_t exact_count; /* distinct values counted exactly (while exact is not NULL) */
    uint64_t k0, k1;      /* the estimate's hash key */
    uint8_t hll[1u << PROFILE_HLL_BITS];
    int keep_examples;
    char *examples[PROFILE_EXAMPLES]; /* the first distinct values, cut (only with keep_examples) */
    size_t n_examples;
} profile_column;

/* Prepares c: at most exact_cap distinct values are kept for the exact
 * count (then an estimate takes over); with keep_examples the first few
 * distinct values are kept for `--show-values`. Returns 0, or -1 when out
 * of memory (c is then freed). */
int profile_column_init(profile_column *c, size_t exact_cap, int keep_examples);
/* Frees what c holds; the values it kept are wiped first. */
void profile_column_free(profile_column *c);
/* Adds one non-empty value and its classification. Returns 0, or -1 when
 * out of memory. */
int profile_column_add(profile_column *c, const char *value, size_t len, const profile_value *v);
/* Returns the number of distinct values; *exact (if not NULL) says
 * whether it is exact (else a HyperLogLog estimate, about 3% off). */
uint64_t profile_column_distinct(const profile_column *c, int *exact);
/* With an exact count: distinct value i (0 <= i < the count), borrowed
 * from c; returns 0, or -1 when out of range or no longer exact. */
int profile_column_value(const profile_column *c, size_t i, const char **value, size_t *len);

#endif
