/* SPDX-License-Identifier: Apache-2.0 */
/*
 * date_text.h - reads calendar dates written as people and spreadsheets
 * write them, for the date transform (xf_date.c).
 *
 * Built-in forms (date_text_parse): YYYY-MM-DD, YYYY/M/D, YYYY.M.D (month
 * and day with one or two digits after '/' or '.', exactly two after '-'),
 * YYYYMMDD and YYYY년 M월 D일 (a space or none after each part); each may
 * be followed, after one space or 'T', by a time H:MM or H:MM:SS
 * (hour 0-23 in one or two digits, minutes and seconds 00-59). Years
 * 0001-9999 of the Gregorian calendar; the time is checked and then not
 * used.
 *
 * An explicit pattern (date_format_*) is a strftime subset: %Y four-digit
 * year, %y two-digit year (needs a pivot), %m %d %H %M %S one or two
 * digits (two when there are two), %% a '%', any other byte itself.
 */
#ifndef DEID_DATE_TEXT_H
#define DEID_DATE_TEXT_H

#include <stddef.h>

typedef struct date_ymd {
    int year, month, day;
} date_ymd;

enum {
    DATE_TEXT_OK = 0,
    DATE_TEXT_NOT_A_DATE = 1, /* not in an accepted form */
    DATE_TEXT_BAD_DATE = 2,   /* the form is right; the date does not exist */
    DATE_TEXT_BAD_TIME = 3,   /* the form is right; the time does not exist (25:00) */
};

/* The built-in forms in words, for error messages (static text). */
#define DATE_TEXT_FORMS                                                                      \
    "accepted: YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYYMMDD, YYYY년 M월 D일, each optionally "    \
    "followed by a time H:MM or H:MM:SS; other forms need format="

/* Reads s[0..len) in one of the built-in forms into *out. Returns a
 * DATE_TEXT_* code. */
int date_text_parse(const char *s, size_t len, date_ymd *out);

/* A checked pattern; the pattern text is the caller's and must outlive it. */
typedef struct date_format {
    const char *pattern;
    int pivot; /* first year of the century %y reads into; 0 when there is no %y */
} date_format;

/* Checks pattern (NUL-terminated) with pivot (0: none given) and fills *f.
 * Returns NULL, or a static message saying what is wrong (a conversion
 * other than the subset, a missing or repeated year, month or day, %y
 * without a pivot, a pivot without %y, a pivot outside 1..9900). */
const char *date_format_check(const char *pattern, int pivot, date_format *f);

/* Reads s[0..len) by a checked pattern into *out. Returns a DATE_TEXT_*
 * code (DATE_TEXT_NOT_A_DATE: it does not match the pattern). */
int date_format_parse(const date_format *f, const char *s, size_t len, date_ymd *out);

#endif
