/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_job.h - the steps run, plan and reverse share: their getopt loop
 * with the shared stream options, -d values, help and bad options, the
 * operands, progress, the output file and feeding the inputs to a job
 * (cli_job.c).
 */
#ifndef DEID_CLI_JOB_H
#define DEID_CLI_JOB_H

#include <getopt.h>

#include "cli.h"
#include "deid.h"

/* getopt_long for run, plan and reverse: the shared stream options go
 * into *stream (call cli_job_start_options first). Returns the
 * next option the command handles itself, or -1 at the end or on a bad
 * shared option; *rc is then 0, or its exit code (message printed). */
int cli_job_next_option(int argc, char **argv, const char *shortopts,
                        const struct option *longopts, const char *usage,
                        cli_stream_opts *stream, int *rc);
/* Resets getopt and *stream before cli_job_next_option's first call. */
void cli_job_start_options(cli_stream_opts *stream);
/* The options run, plan and reverse share after getopt: parses -d and
 * --output-delimiter values into *out. Returns 0, or the usage error's
 * exit code after printing it. */
int cli_job_parse_delimiter(const char *usage, const char *arg, int *out);
/* The getopt results no command handles itself: -h, a missing argument, an
 * unknown option. Returns the exit code to return (help printed, or the
 * usage error after printing it). */
int cli_job_other_option(int c, const char *usage, int argc, char **argv);
/* Requires -r, copies the shared stream options into jo and describes them
 * on stderr. Returns 0, or the usage error's exit code after printing it. */
int cli_job_take_stream_options(const char *usage, const char *command, const char *rules_path,
                                const cli_stream_opts *stream, deid_job_options *jo);
/* The operands after the options, or just "-" (stdin) when there are none.
 * Returns argv's own array (or a static one); sets *n. */
char *const *cli_job_input_list(int argc, char **argv, int *n);
/* Starts progress for the inputs and points jo at it; -q turns the
 * automatic progress off (an explicit mode stays). */
void cli_job_start_progress(cli_progress *progress, int quiet, int mode, char *const *inputs,
                            int n_inputs, deid_job_options *jo);
/* Opens out_path (when given) as a file that appears only on commit,
 * with permission bits mode (-1: the library's 0600), and points *out_fd
 * at it; without out_path *out_fd stays as it is. */
deid_status cli_job_open_output(const char *out_path, int mode, deid_outfile **of, int *out_fd,
                                deid_error *err);
/* Feeds every input (`-` is stdin) to the job, one pass. */
deid_status cli_job_run_inputs(deid_job *job, char *const *inputs, int n, int out_fd,
                               deid_error *err);

#endif
