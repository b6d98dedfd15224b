/*
 * cli.h - the commands of the `deid` program, one file each beside cli.c
 * (which has main). Each takes the command's own argv (argv[0] is the
 * command name) and returns the exit code; they print, the library not.
 */
#ifndef DEID_CLI_H
#define DEID_CLI_H

#include "deid.h"

/* Prints "deid: " + the formatted error on stderr; returns its exit code. */
int cli_report_error(const deid_error *err);

/* Prints "deid: message" and the usage text on stderr; returns 2. */
int cli_usage_error(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes text to path through a temporary file renamed into place, so a
 * failed write leaves no partial file. */
deid_status cli_write_text_file(const char *path, const char *text, deid_error *err);
/* Prints text on stdout; returns 0, or 5 if stdout fails. */
int cli_print_help(const char *text);

extern const char cli_usage_run[];
int cli_run(int argc, char **argv);
int cli_check(int argc, char **argv);
extern const char cli_usage_reverse[];
int cli_reverse(int argc, char **argv);
extern const char cli_usage_plan[];
int cli_plan(int argc, char **argv);

#endif
