/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_shard.c - the CLI side of sharded runs (README "Sharded runs"):
 * `deid split --parts N FILE`, which prints record-aligned byte ranges,
 * the --range A:B option's parser, and writing a part's summary (mode
 * 0600: it holds QI values) through a temporary file renamed into place.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_job.h"
#include "deid.h"

const char cli_usage_split[] =
    "usage: deid split --parts N FILE\n"
    "\n"
    "Prints N byte ranges A:B of FILE, one a line, that hold whole records: each cut lies\n"
    "just after a line feed outside quoted fields, at or after the N-th share of the\n"
    "file's bytes (a range may be empty). Give each to `deid check --partial`, `deid plan\n"
    "--partial` or `deid run` with --range A:B; a range is read after the file's first\n"
    "record (the header). FILE must be a plain regular file (not gzip).\n"
    "\n"
    "Exit codes: 0 done, 2 usage, 5 I/O error.\n";

/* A whole number of digits only (at most 19: no overflow). */
static int parse_offset(const char *s, size_t len, uint64_t *out)
{
    if (len == 0 || len > 19)
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return 0;
}

int cli_parse_range(const char *arg, uint64_t *from, uint64_t *to)
{
    const char *colon = strchr(arg, ':');
    if (!colon || parse_offset(arg, (size_t)(colon - arg), from) ||
        parse_offset(colon + 1, strlen(colon + 1), to) || *from > *to)
        return -1;
    return 0;
}

deid_status cli_write_summary(const char *path, cli_summary_fn write_summary, const void *obj,
                              deid_error *err)
{
    if (!strcmp(path, "-"))
        return write_summary(obj, STDOUT_FILENO, err);
    deid_outfile *of;
    deid_status st = deid_outfile_open(path, &of, err);
    if (st)
        return st;
    if ((st = deid_outfile_set_mode(of, 0600, err)) ||
        (st = write_summary(obj, deid_outfile_fd(of), err))) {
        deid_outfile_abort(of);
        return st;
    }
    return deid_outfile_commit(of, err);
}

int cli_split(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"parts", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    unsigned long parts = 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":n:h", longopts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'n':
            errno = 0;
            parts = strspn(optarg, "0123456789") == strlen(optarg) ? strtoul(optarg, &end, 10)
                                                                   : 0;
            if (errno || parts < 1 || parts > DEID_MAX_SPLIT_PARTS)
                return cli_usage_error(cli_usage_split, "--parts takes a whole number from 1 "
                                                        "to %u, not \"%s\"",
                                       DEID_MAX_SPLIT_PARTS, optarg);
            break;
        case 'h': return cli_print_help(cli_usage_split) == 0 ? 0 : DEID_E_IO;
        case ':': return cli_usage_error(cli_usage_split, "option %s needs an argument",
                                         argv[optind - 1]);
        default: {
            char opt[3];
            return cli_usage_error(cli_usage_split, "unknown option %s",
                                   cli_unknown_option(argc, argv, opt));
        }
        }
    }
    if (!parts)
        return cli_usage_error(cli_usage_split, "%s", "--parts N is needed");
    if (argc - optind != 1 || !strcmp(argv[optind], "-"))
        return cli_usage_error(cli_usage_split, "%s", "split takes one file (not stdin)");
    deid_error err;
    int fd;
    const char *name;
    deid_status st = cli_open_input(argv[optind], &fd, &name, &err);
    int opened = !st;
    uint64_t *offsets = st ? NULL : calloc(parts + 1, sizeof *offsets);
    if (!st && !offsets) {
        memset(&err, 0, sizeof err);
        err.status = st = DEID_E_IO;
        snprintf(err.message, sizeof err.message, "out of memory");
    }
    if (!st)
        st = deid_split_offsets(fd, name, (unsigned)parts, offsets, &err);
    if (opened)
        close(fd);
    for (unsigned long i = 0; !st && i < parts; i++)
        printf("%llu:%llu\n", (unsigned long long)offsets[i], (unsigned long long)offsets[i + 1]);
    free(offsets);
    return st ? cli_report_error(&err) : 0;
}

/* ---- run and plan ------------------------------------------------------------------ */

int cli_shard_option(const char *name, const char *arg, const char *usage, cli_shard_opts *o)
{
    if (!strcmp(name, "merge")) {
        o->merge = 1;
        return 0;
    }
    if (!arg || !arg[0])
        return cli_usage_error(usage, "--%s: the value is empty", name);
    if (!strcmp(name, "partial") || !strcmp(name, "--partial")) {
        o->partial = arg;
    } else if (!strcmp(name, "classes") || !strcmp(name, "--classes")) {
        o->classes = arg;
    } else if (!strcmp(name, "part")) {
        size_t len = strlen(arg);
        if (parse_offset(arg, len, &o->part))
            return cli_usage_error(usage, "--part takes a whole number, not \"%s\"", arg);
        o->part_given = 1;
    } else {
        if (cli_parse_range(arg, &o->from, &o->to))
            return cli_usage_error(usage, "--range takes A:B, two byte offsets with A <= B, "
                                          "not \"%s\"", arg);
        o->range_given = 1;
    }
    return 0;
}

int cli_shard_check(cli_shard_opts *o, const char *usage, char *const *inputs, int n,
                    deid_job_options *jo)
{
    if (o->merge) {
        if (n < 1)
            return cli_usage_error(usage, "%s", "--merge needs the summaries to merge");
        if (o->range_given || o->part_given)
            return cli_usage_error(usage, "%s", "--merge reads summaries: no --range or --part");
        return 0;
    }
    if ((o->range_given || o->classes) && (n != 1 || !strcmp(inputs[0], "-")))
        return cli_usage_error(usage, "%s", "--range and --classes take one part, a named file");
    if (o->part_given && !o->partial)
        return cli_usage_error(usage, "%s", "--part needs --partial OUT");
    if (o->partial && o->classes)
        return cli_usage_error(usage, "%s", "--partial and --classes are the two passes of a "
                                            "sharded run: give one");
    jo->sharded = o->range_given || o->classes || o->partial || o->sharded;
    jo->partial = o->partial != NULL;
    jo->part = o->range_given ? o->from : o->part;
    return 0;
}

deid_status cli_shard_merge(deid_job *job, const char *const *paths, int n, deid_error *err)
{
    for (int i = 0; i < n; i++) {
        int fd;
        const char *name;
        deid_status st = cli_open_input(paths[i], &fd, &name, err);
        if (st)
            return st;
        st = deid_job_merge_fd(job, fd, name, err);
        if (fd != STDIN_FILENO)
            close(fd);
        if (st)
            return st;
    }
    return DEID_OK;
}

deid_status cli_shard_feed_header(deid_job *job, deid_error *err)
{
    char *csv;
    deid_status st = deid_job_merged_header(job, &csv, err);
    if (st)
        return st;
    st = deid_job_begin_input(job, "merged summaries", err);
    st = st ? st : deid_job_write(job, csv, strlen(csv), err);
    st = st ? st : deid_job_end_input(job, err);
    free(csv);
    return st;
}

deid_status cli_shard_feed(deid_job *job, const cli_shard_opts *o, char *const *inputs, int n,
                           int out_fd, deid_error *err)
{
    if (!o->range_given)
        return cli_job_run_inputs(job, inputs, n, out_fd, err);
    int fd;
    const char *name;
    deid_status st = cli_open_input(inputs[0], &fd, &name, err);
    if (st)
        return st;
    st = deid_job_run_range_fd(job, fd, name, o->from, o->to, out_fd, err);
    close(fd);
    return st;
}

deid_status cli_shard_job_summary(const void *job, int fd, deid_error *err)
{
    return deid_job_write_summary((deid_job *)job, fd, err);
}
