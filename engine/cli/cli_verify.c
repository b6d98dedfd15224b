/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_verify.c - `deid verify RECORD FILE...`: checks a delivery against
 * its processing record (deid_verify_record in deid.h) and prints one
 * line per file checked; each problem is also named on stderr.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "deid.h"

const char cli_usage_verify[] =
    "usage: deid verify [OPTIONS] RECORD [FILE ...]\n"
    "\n"
    "Checks files against a processing record written by `deid run --record RECORD`:\n"
    "recomputes the SHA-256 of each delivered FILE and of the rules, hierarchy and map\n"
    "files the record names, and compares them with the recorded digests.\n"
    "\n"
    "A FILE is matched to the record's entry with the same base name (the output, or\n"
    "the rules, a hierarchy or a map file handed over with it); a FILE whose name\n"
    "matches no entry is matched by its digest, and one that matches none is reported.\n"
    "Recorded rules, hierarchy and map files that no FILE matched are read at the\n"
    "path the record gives (as the run named them: relative to the folder the run\n"
    "was started in, or to --base DIR).\n"
    "\n"
    "Options:\n"
    "      --base DIR            resolve the record's relative paths against DIR\n"
    "  -q, --quiet               print only the problems (on stderr)\n"
    "  -h, --help                this help\n"
    "\n"
    "Exit codes:\n"
    "  0  every file matches the record\n"
    "  1  a file differs from the record, or a FILE is not in it\n"
    "  2  usage error\n"
    "  4  the record is malformed (not JSON, not deid.record/1, a key missing)\n"
    "  5  I/O error: the record or a file cannot be read (missing)\n";

/* The first 12 hex digits of a digest, enough to tell two apart. */
#define SHOWN_DIGEST 12

int cli_verify(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"base", required_argument, NULL, 'b'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *base = NULL;
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'b': base = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': return cli_print_help(cli_usage_verify);
        case ':': return cli_usage_error(cli_usage_verify, "option %s needs an argument", argv[optind - 1]);
        default: {
            char opt[3];
            return cli_usage_error(cli_usage_verify, "unknown option %s",
                                   cli_unknown_option(argc, argv, opt));
        }
        }
    }
    if (optind >= argc)
        return cli_usage_error(cli_usage_verify, "%s", "a processing record is needed");
    const char *record = argv[optind];
    deid_error err;
    deid_verify *v = NULL;
    if (deid_verify_record(record, base, (const char *const *)argv + optind + 1,
                           (size_t)(argc - optind - 1), &v, &err))
        return cli_report_error(&err);
    int rc = 0;
    size_t problems = 0;
    for (size_t i = 0; i < deid_verify_count(v); i++) {
        const deid_verify_item *it = deid_verify_at(v, i);
        char name[4096];
        deid_escape_text(it->file, name, sizeof name);
        switch (it->outcome) {
        case DEID_VERIFY_MATCH:
            if (!quiet)
                printf("ok         %-10s %s%s\n", it->role, name,
                       strcmp(it->matched_by, "digest") ? "" : " (matched by digest)");
            break;
        case DEID_VERIFY_MISMATCH:
            problems++;
            rc = rc ? rc : DEID_E_PRIVACY;
            if (!strcmp(it->role, "unknown")) {
                if (!quiet)
                    printf("unknown    %-10s %s\n", "-", name);
                fprintf(stderr, "deid: %s is not in the record: its SHA-256 %.*s... matches no entry\n",
                        name, SHOWN_DIGEST, it->actual);
            } else {
                if (!quiet)
                    printf("DIFFERS    %-10s %s\n", it->role, name);
                fprintf(stderr, "deid: %s (%s) differs from the record: expected SHA-256 %.*s..., "
                                "actual %.*s...\n",
                        name, it->role, SHOWN_DIGEST, it->expected, SHOWN_DIGEST, it->actual);
            }
            break;
        case DEID_VERIFY_UNREADABLE:
            problems++;
            rc = DEID_E_IO;
            if (!quiet)
                printf("MISSING    %-10s %s\n", it->role, name);
            fprintf(stderr, "deid: cannot read %s (%s): %s\n", name, it->role, it->reason);
            break;
        }
    }
    if (!quiet)
        printf("%zu file%s checked, %zu problem%s\n", deid_verify_count(v),
               deid_verify_count(v) == 1 ? "" : "s", problems, problems == 1 ? "" : "s");
    deid_verify_free(v);
    return rc;
}
