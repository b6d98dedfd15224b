/* SPDX-License-Identifier: Apache-2.0 */
/*
 * err.h - filling a deid_error. Every module reports through these so that
 * messages look alike; location fields are added by whoever knows them
 * (a module sets the message, its caller adds file, line, record, column).
 */
#ifndef DEID_ERR_H
#define DEID_ERR_H

#include <stdarg.h>

#include "deid.h"

#if defined(__GNUC__)
#define DEID_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DEID_PRINTF(a, b)
#endif

/* Clears e (all fields) if not NULL. */
void err_clear(deid_error *e);

/* Clears e, sets status and the formatted message; returns status, so that
 * "return err_set(err, DEID_E_DATA, ...)" reads naturally. e may be NULL. */
deid_status err_set(deid_error *e, deid_status status, const char *fmt, ...) DEID_PRINTF(3, 4);

/* err_set with a va_list, for functions that take a format of their own. */
deid_status err_vset(deid_error *e, deid_status status, const char *fmt, va_list ap)
    DEID_PRINTF(3, 0);

/* Adds a rules location: file, line, 1-based byte column, and the source
 * line text (copied, may be NULL). Leaves status and message alone. */
void err_at_rules(deid_error *e, const char *file, unsigned long line, unsigned long col,
                  const char *source_line);

/* Adds a data location: input name, record number, physical line and
 * column name (any may be NULL/0 if unknown). */
void err_at_record(deid_error *e, const char *input, unsigned long long record,
                   unsigned long line, const char *field);

/* Adds only a file name (e.g. a key or hierarchy file). */
void err_at_file(deid_error *e, const char *file);

#endif
