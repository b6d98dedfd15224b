/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_scan.c - `deid scan`: profiles the columns of one or more inputs
 * (deid_scan_* in deid.h), prints the profile with a suggested role per
 * column, and with --rules OUT writes a draft rules file through a
 * temporary file renamed into place (mode 0600), never over an input.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_paths.h"
#include "deid.h"

const char cli_usage_scan[] =
    "usage: deid scan [OPTIONS] [INPUT ...]\n"
    "\n"
    "Profiles every column of the INPUTs (default, or `-`: stdin; gzip is detected;\n"
    "several inputs must share one header): non-empty values, distinct values (exact up\n"
    "to a cap, then estimated), the identifier kinds the values are and their share, the\n"
    "value shapes, a hint from the column's name, and a suggested role (direct\n"
    "identifier, quasi-identifier, sensitive, other) with its reason. It shows no data\n"
    "value unless --show-values asks for some.\n"
    "\n"
    "Options:\n"
    "      --sample N            profile only the first N records (default: all)\n"
    "      --rules OUT           write a draft rules file to OUT (mode 0600), each choice\n"
    "                            commented; its key file goes beside it (see its header)\n"
    "      --show-values         also list a few values per column (this prints data values)\n"
    "      --json                print the profile as JSON instead of text\n"
    "  -d, --delimiter C         input delimiter: , ; | or tab (default ,)\n"
    "      --no-header           the input has no header row; columns are #1, #2, ...\n"
    "      --encoding E          input encoding: auto (default), utf-8, cp949 or euc-kr\n"
    "  -j, --threads N           worker threads (default: the number of CPUs); the profile\n"
    "                            is the same for any N\n"
    "      --chunk-size N[K|M]   input per chunk handed to a thread (default 512K)\n"
    "      --progress            progress on stderr (default: only when it is a terminal)\n"
    "      --no-progress         no progress\n"
    "  -v, --verbose             say on stderr how the input is worked on\n"
    "      --log-format F        stderr as text (default) or json: one JSON object a line\n"
    "  -h, --help                this help\n"
    "\n"
    "Exit codes: 0 success, 2 usage, 4 bad input data, 5 I/O or system error.\n";

typedef struct scan_args {
    const char *rules_out;
    int json;
    cli_stream_opts stream;
    deid_scan_options o;
    char **inputs;
    int n_inputs;
} scan_args;

/* Returns 0, -1 after --help, or an exit code. */
static int parse_args(int argc, char **argv, scan_args *a)
{
    enum { OPT_SAMPLE = 256, OPT_RULES, OPT_SHOW_VALUES, OPT_JSON, OPT_NO_HEADER };
    static const struct option longopts[] = {
        {"sample", required_argument, NULL, OPT_SAMPLE},
        {"rules", required_argument, NULL, OPT_RULES},
        {"show-values", no_argument, NULL, OPT_SHOW_VALUES},
        {"json", no_argument, NULL, OPT_JSON},
        {"delimiter", required_argument, NULL, 'd'},
        {"no-header", no_argument, NULL, OPT_NO_HEADER},
        CLI_STREAM_LONGOPTS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, rc;
    optind = 1;
    opterr = 0;
    cli_stream_defaults(&a->stream);
    while ((c = getopt_long(argc, argv, ":d:j:vh", longopts, NULL)) != -1) {
        if (c == CLI_OPT_MEMORY)
            return cli_usage_error(cli_usage_scan, "%s", "scan takes no --memory: its memory is bounded per column");
        if ((rc = cli_stream_option(c, optarg, cli_usage_scan, &a->stream)) == 1)
            continue;
        if (rc)
            return rc;
        switch (c) {
        case OPT_SAMPLE: {
            size_t n;
            if (strspn(optarg, "0123456789") != strlen(optarg) ||
                cli_parse_size(optarg, (size_t)1 << 62, &n))
                return cli_usage_error(cli_usage_scan, "--sample takes a whole number of records from 1 up, not \"%s\"",
                             optarg);
            a->o.sample = n;
            break;
        }
        case OPT_RULES: a->rules_out = optarg; break;
        case OPT_SHOW_VALUES: a->o.show_values = 1; break;
        case OPT_JSON: a->json = 1; break;
        case 'd':
            if (!(a->o.delimiter = deid_delimiter_from_name(optarg)))
                return cli_usage_error(cli_usage_scan, "unknown delimiter \"%s\" (use , ; | or tab)", optarg);
            break;
        case OPT_NO_HEADER: a->o.no_header = 1; break;
        case 'h': return cli_print_help(cli_usage_scan) == 0 ? -1 : DEID_E_IO;
        case ':': return cli_usage_error(cli_usage_scan, "option %s needs an argument", argv[optind - 1]);
        default: {
            char opt[3];
            return cli_usage_error(cli_usage_scan, "unknown option %s",
                                   cli_unknown_option(argc, argv, opt));
        }
        }
    }
    a->inputs = argv + optind;
    a->n_inputs = argc - optind;
    a->o.threads = a->stream.threads;
    a->o.chunk_bytes = a->stream.chunk_bytes;
    a->o.encoding = a->stream.encoding;
    return 0;
}

/* The key beside the draft: OUT's name with .key for its extension. key
 * is what the rules say (relative to their folder), keygen where `deid
 * keygen` run from here must write it. Both malloc'd. */
static int key_paths(const char *rules_out, char **key, char **keygen)
{
    const char *base = strrchr(rules_out, '/');
    base = base ? base + 1 : rules_out;
    size_t stem = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        stem = (size_t)(dot - base);
    int clash = !strcmp(base + stem, ".key");
    size_t len = stem + 9;
    *key = malloc(len);
    *keygen = malloc((size_t)(base - rules_out) + len);
    if (!*key || !*keygen)
        return -1;
    snprintf(*key, len, "%.*s%s", (int)stem, base, clash ? "-key.key" : ".key");
    sprintf(*keygen, "%.*s%s", (int)(base - rules_out), rules_out, *key);
    return 0;
}

/* --rules OUT must not replace an input or the key it names. */
static int check_paths(const scan_args *a, const char *keygen)
{
    cli_paths set = {0};
    char msg[1024];
    cli_paths_add(&set, "--rules", a->rules_out, 1);
    cli_paths_add(&set, "the key file", keygen, 0);
    for (int i = 0; i < a->n_inputs; i++)
        cli_paths_add(&set, strcmp(a->inputs[i], "-") ? "the input" : "standard input",
                      a->inputs[i], 0);
    if (!a->n_inputs)
        cli_paths_add(&set, "standard input", "-", 0);
    int conflict = cli_paths_conflict(&set, msg, sizeof msg);
    cli_paths_free(&set);
    if (conflict < 0) {
        fprintf(stderr, "deid: %s\n", msg);
        return DEID_E_IO;
    }
    return conflict ? cli_usage_error(cli_usage_scan, "%s", msg) : 0;
}

static deid_status read_inputs(const scan_args *a, deid_scan *scan, deid_error *err)
{
    static char *const dash[] = {"-"};
    char *const *inputs = a->n_inputs ? a->inputs : dash;
    int n = a->n_inputs ? a->n_inputs : 1;
    deid_status st = DEID_OK;
    for (int i = 0; i < n && !st && !deid_scan_done(scan); i++) {
        int fd;
        const char *name;
        if ((st = cli_open_input(inputs[i], &fd, &name, err)))
            break;
        st = deid_scan_run_fd(scan, fd, name, err);
        if (fd != STDIN_FILENO)
            close(fd);
    }
    return st ? st : deid_scan_finish(scan, err);
}

int cli_scan(int argc, char **argv)
{
    scan_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    char *key = NULL, *keygen = NULL, *text = NULL, *rules = NULL;
    if (a.rules_out) {
        if (key_paths(a.rules_out, &key, &keygen)) {
            fputs("deid: out of memory\n", stderr);
            rc = DEID_E_IO;
        } else {
            rc = check_paths(&a, keygen);
        }
        if (rc) {
            free(key);
            free(keygen);
            return rc;
        }
    }
    if (a.o.show_values)
        fputs("deid: warning: --show-values prints data values; keep this output where the "
              "data may be\n", stderr);
    cli_progress progress;
    cli_progress_init(&progress, a.stream.progress_mode, a.inputs, a.n_inputs);
    cli_stream_describe(&a.stream, "scan");
    a.o.progress = cli_progress_update;
    a.o.progress_ctx = &progress;
    deid_error err;
    deid_scan *scan = NULL;
    deid_status st = deid_scan_new(&a.o, &scan, &err);
    if (!st)
        st = read_inputs(&a, scan, &err);
    cli_progress_end(&progress);
    if (!st)
        st = a.json ? deid_scan_report_json(scan, &text, &err)
                    : deid_scan_report_text(scan, &text, &err);
    if (!st && a.rules_out)
        st = deid_scan_draft_rules(scan, key, keygen, &rules, &err);
    if (!st && a.rules_out)
        st = cli_write_text_file(a.rules_out, rules, &err);
    if (!st)
        fputs(text, stdout);
    rc = st ? cli_report_error(&err) : 0;
    free(text);
    free(rules);
    free(key);
    free(keygen);
    deid_scan_free(scan);
    return rc;
}
