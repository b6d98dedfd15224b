/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_job.c - the steps run, plan and reverse share (cli_job.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_job.h"

/* getopt_long for run, plan and reverse: the shared stream options go
 * into *stream (call cli_job_start_options first). Returns the
 * next option the command handles itself, or -1 at the end or on a bad
 * shared option; *rc is then 0, or its exit code (message printed). */
int cli_job_next_option(int argc, char **argv, const char *shortopts,
                        const struct option *longopts, const char *usage,
                        cli_stream_opts *stream, int *rc)
{
    int c;
    *rc = 0;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        int shared = cli_stream_option(c, optarg, usage, stream);
        if (shared == 1)
            continue;
        if (shared) {
            *rc = shared;
            return -1;
        }
        return c;
    }
    return -1;
}

/* Resets getopt and *stream before cli_job_next_option's first call. */
void cli_job_start_options(cli_stream_opts *stream)
{
    cli_stream_defaults(stream);
    optind = 1;
    opterr = 0;
}

/* The options run, plan and reverse share after getopt: parses -d and
 * --output-delimiter values into *out. Returns 0, or the usage error's
 * exit code after printing it. */
int cli_job_parse_delimiter(const char *usage, const char *arg, int *out)
{
    if (!(*out = deid_delimiter_from_name(arg)))
        return cli_usage_error(usage, "unknown delimiter \"%s\" (use , ; | or tab)", arg);
    return 0;
}

/* The getopt results no command handles itself: -h, a missing argument, an
 * unknown option. Returns the exit code to return (help printed, or the
 * usage error after printing it). */
int cli_job_other_option(int c, const char *usage, int argc, char **argv)
{
    if (c == 'h')
        return cli_print_help(usage);
    if (c == ':')
        return cli_usage_error(usage, "option %s needs an argument", argv[optind - 1]);
    char opt[3];
    return cli_usage_error(usage, "unknown option %s", cli_unknown_option(argc, argv, opt));
}

/* Requires -r, copies the shared stream options into jo and describes them
 * on stderr. Returns 0, or the usage error's exit code after printing it. */
int cli_job_take_stream_options(const char *usage, const char *command, const char *rules_path,
                                const cli_stream_opts *stream, deid_job_options *jo)
{
    if (!rules_path)
        return cli_usage_error(usage, "%s needs -r RULES", command);
    jo->threads = stream->threads;
    jo->chunk_bytes = stream->chunk_bytes;
    jo->memory_bytes = stream->memory_bytes;
    jo->encoding = stream->encoding;
    jo->out_encoding = stream->out_encoding;
    jo->bom = stream->bom;
    cli_stream_describe(stream, command);
    return 0;
}

static char *const stdin_only[] = {"-"};

/* The operands after the options, or just "-" (stdin) when there are none.
 * Returns argv's own array (or a static one); sets *n. */
char *const *cli_job_input_list(int argc, char **argv, int *n)
{
    *n = optind < argc ? argc - optind : 1;
    return optind < argc ? argv + optind : stdin_only;
}

/* Starts progress for the inputs and points jo at it; -q turns the
 * automatic progress off (an explicit mode stays). */
void cli_job_start_progress(cli_progress *progress, int quiet, int mode, char *const *inputs,
                            int n_inputs, deid_job_options *jo)
{
    cli_progress_init(progress, quiet && mode == CLI_PROGRESS_AUTO ? CLI_PROGRESS_OFF : mode,
                      inputs, n_inputs);
    jo->progress = cli_progress_update;
    jo->progress_ctx = progress;
}

deid_status cli_job_open_output(const char *out_path, int mode, deid_outfile **of, int *out_fd,
                                deid_error *err)
{
    if (!out_path)
        return DEID_OK;
    deid_status st = deid_outfile_open(out_path, of, err);
    if (!st && mode >= 0 && (st = deid_outfile_set_mode(*of, (unsigned)mode, err))) {
        deid_outfile_abort(*of);
        *of = NULL;
    }
    if (!st)
        *out_fd = deid_outfile_fd(*of);
    return st;
}

/* Feeds every input (`-` is stdin) to the job, one pass. */
deid_status cli_job_run_inputs(deid_job *job, char *const *inputs, int n, int out_fd,
                               deid_error *err)
{
    for (int i = 0; i < n; i++) {
        int fd;
        const char *label;
        deid_status st = cli_open_input(inputs[i], &fd, &label, err);
        if (st)
            return st;
        st = deid_job_run_fd(job, fd, label, out_fd, err);
        if (fd != STDIN_FILENO)
            close(fd);
        if (st)
            return st;
    }
    return DEID_OK;
}
