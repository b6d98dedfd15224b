/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_check.c - `deid check`: parses the options, runs the privacy check
 * (deid_check_* in deid.h) over one input and prints the report. The exit
 * code says whether the requirement holds, so scripts can gate delivery:
 * `deid check -k 5 out.csv && deliver out.csv`.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_paths.h"
#include "deid.h"

static const char usage_check[] =
    "usage: deid check --quasi a,b,c [OPTIONS] [INPUT]\n"
    "       deid check -r RULES [OPTIONS] [INPUT]\n"
    "       deid check -r RULES --partial OUT [--part N | --range A:B] INPUT\n"
    "       deid check -r RULES --merge [--partial OUT] [OPTIONS] SUMMARY...\n"
    "\n"
    "Measures how identifiable the records of INPUT (default, or `-`: stdin; gzip is\n"
    "detected) are. Records are grouped into equivalence classes by their\n"
    "quasi-identifier (QI) values; the report gives class sizes, k-anonymity, prosecutor\n"
    "risk, l-diversity and t-closeness of the sensitive columns, and how much each QI\n"
    "adds to uniqueness, journalist and marketer risk, sample uniques and, with\n"
    "--sampling-fraction, population uniqueness. It shows no data value unless\n"
    "--show-classes asks for them.\n"
    "\n"
    "Options:\n"
    "  -r, --rules FILE          take the quasi, sensitive, require, suppress and input\n"
    "                            lines of FILE; options given here override them\n"
    "      --quasi a,b,c         quasi-identifier columns\n"
    "      --sensitive s,t       sensitive columns (for l-diversity and t-closeness)\n"
    "  -k K                      require k-anonymity: every class has at least K records\n"
    "  -k K1,K2,...              several k (up to 16): the classes and records below each\n"
    "                            are reported; the requirement is the largest\n"
    "  -l L                      require l-diversity of every sensitive column in every class\n"
    "      --l-kind KIND         distinct (default) or entropy\n"
    "  -t T                      require t-closeness, 0 < T <= 1 (Earth Mover's Distance)\n"
    "      --ordered s,t         sensitive columns compared with the ordered distance\n"
    "      --hierarchy s=FILE    sensitive column s compared with the hierarchical distance\n"
    "                            over the value tree in FILE (as `sensitive s hierarchy=`)\n"
    "      --sensitive-empty M   an empty sensitive value: value (counts as one, as ARX;\n"
    "                            the default) or ignore (left out of l and t)\n"
    "      --suppressed TOKEN    suppression token (default *): records whose QIs all equal\n"
    "                            it are counted as suppressed, apart from every class\n"
    "  -d, --delimiter C         input delimiter: , ; | or tab (default ,)\n"
    "      --no-header           the input has no header row; columns are #1, #2, ...\n"
    "      --json                print the report as JSON instead of text\n"
    "      --report FILE         also write the JSON report to FILE\n"
    "      --html FILE           also write the auditor's report as one HTML page to FILE\n"
    "                            (no script, no external reference; printable on A4)\n"
    "      --lang LANG           the HTML report's language: ko (default) or en\n"
    "      --risk-threshold R    the HTML report counts the records whose risk is above R,\n"
    "                            0 < R <= 1 (default 0.2)\n"
    "      --show-classes N      list the N smallest classes with their QI values\n"
    "                            (this prints data values)\n"
    "      --population FILE     journalist and marketer risk from population counts:\n"
    "                            a CSV (same delimiter) with a header naming every QI\n"
    "                            and a count column, one row per QI combination, values\n"
    "                            generalized as in INPUT (default: the sample is the\n"
    "                            population, and both equal prosecutor risk)\n"
    "      --population-count COL  the population's count column (default count)\n"
    "      --sampling-fraction F estimate population uniqueness (Zayatz, Pitman, SNB and\n"
    "                            the Dankar et al. decision rule, as ARX) for a sample\n"
    "                            of this share of the population, 0 < F <= 1\n"
    "      --source RAW          also measure utility against RAW, the file INPUT was made\n"
    "                            from: records paired by position (same count and order)\n"
    "      --partial OUT         INPUT is one part of a larger input: write its summary to\n"
    "                            OUT (mode 0600; `-`: stdout) and measure nothing\n"
    "      --part N              where the part lies in the whole input: parts are ordered\n"
    "                            by N (default 0; --range sets it to A)\n"
    "      --range A:B           read bytes A to B of INPUT (offsets from `deid split`),\n"
    "                            after its first record (the header)\n"
    "      --merge               the arguments are summaries written by --partial: report\n"
    "                            on the whole input they were made from (any order);\n"
    "                            with --partial OUT, also write the merged summary\n"
    CLI_STREAM_HELP
    "  -h, --help                this help\n"
    "\n"
    "Exit codes:\n"
    "  0  every requirement given holds (or none was given)\n"
    "  1  a requirement does not hold\n"
    "  2  usage error\n"
    "  3  rules error\n"
    "  4  bad input data\n"
    "  5  I/O or system error\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cli_log_error(DEID_E_USAGE, msg);
    cli_usage_hint(usage_check);
    return DEID_E_USAGE;
}

/* Column names from comma-separated option values; the strings are owned. */
typedef struct name_args {
    char **names;
    size_t n;
} name_args;

static void name_args_free(name_args *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->names[i]);
    free(a->names);
}

/* Appends the names in list ("a,b,c") to a. Returns 0, or an exit code
 * after printing the problem. */
static int add_names(name_args *a, const char *option, const char *list)
{
    const char *s = list;
    for (;;) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        if (len == 0)
            return usage_error("%s: empty column name in \"%s\"", option, list);
        if (a->n >= DEID_MAX_FIELDS)
            return usage_error("%s: too many columns", option);
        char **grown = realloc(a->names, (a->n + 1) * sizeof *grown);
        if (!grown || !(grown[a->n] = strndup(s, len))) {
            if (grown)
                a->names = grown;
            fputs("deid: out of memory\n", stderr);
            return DEID_E_IO;
        }
        a->names = grown;
        a->n++;
        if (!end)
            return 0;
        s = end + 1;
    }
}

/* A whole number made of digits only, in [min, max]. */
static int parse_whole(const char *s, unsigned long long min, unsigned long long max,
                       unsigned long long *out)
{
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 19)
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* A decimal number written with digits and at most one point ("2",
 * "0.3", ".5"): no signs, exponents, hex, inf or nan. */
static int parse_decimal(const char *s, double *out)
{
    size_t len = strlen(s), digits = strspn(s, "0123456789.");
    const char *dot = strchr(s, '.');
    if (!len || digits != len || len > 32 || (dot && strchr(dot + 1, '.')) ||
        (dot && len == 1))
        return -1;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}


typedef struct check_args {
    const char *rules_path, *report_path, *html_path, *input, *source, *partial;
    char **merge;             /* --merge: the summaries */
    size_t n_merge;
    int range_given;
    uint64_t range_from, range_to;
    deid_html_options html;
    int json, l_kind_given, html_option_given;
    cli_stream_opts stream;
    name_args quasi, sensitive, ordered;
    deid_check_options o;
    uint64_t k_list[16];          /* -k 2,5,10: deid_check_options.k_list */
    char hier_col[16][256];       /* --hierarchy s=FILE: the columns, */
    const char *hier_cols[16], *hier_files[16]; /* and the files (in argv) */
    size_t n_hier;
} check_args;

/* --hierarchy s=FILE, up to 16 times. Returns 0 or an exit code. */
static int parse_hierarchy(const char *arg, check_args *a)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return usage_error("%s", "--hierarchy takes COLUMN=FILE");
    if (a->n_hier == 16)
        return usage_error("%s", "--hierarchy: at most 16 columns");
    size_t n = (size_t)(eq - arg);
    if (n >= sizeof a->hier_col[0])
        return usage_error("%s", "--hierarchy: the column name is too long");
    memcpy(a->hier_col[a->n_hier], arg, n);
    a->hier_col[a->n_hier][n] = 0;
    a->hier_cols[a->n_hier] = a->hier_col[a->n_hier];
    a->hier_files[a->n_hier++] = eq + 1;
    return 0;
}

/* -k K or -k K1,K2,...: one k, or a list (into a->o.k_list). Returns 0 or
 * an exit code. */
static int parse_k(const char *arg, check_args *a)
{
    const char *p = arg;
    size_t n = 0;
    char one[32];
    for (;;) {
        size_t len = strcspn(p, ",");
        unsigned long long u;
        if (len == 0 || len >= sizeof one)
            return usage_error("-k takes a whole number from 1 up, or several separated by commas "
                               "(e.g. 2,5,10,20), not \"%s\"", arg);
        memcpy(one, p, len);
        one[len] = '\0';
        if (parse_whole(one, 1, DEID_MAX_K, &u))
            return usage_error("-k takes a whole number from 1 up, or several separated by commas "
                               "(e.g. 2,5,10,20), not \"%s\"", arg);
        if (n == sizeof a->k_list / sizeof a->k_list[0])
            return usage_error("-k takes at most %zu values", n);
        a->k_list[n++] = u;
        if (!p[len])
            break;
        p += len + 1;
    }
    a->o.k = 0;
    a->o.k_list = n > 1 ? a->k_list : NULL;
    a->o.n_k_list = n > 1 ? n : 0;
    if (n == 1)
        a->o.k = a->k_list[0];
    return 0;
}

/* Returns 0, -1 after --help, or an exit code. */
static int parse_args(int argc, char **argv, check_args *a)
{
    enum {
        OPT_QUASI = 256, OPT_SENSITIVE, OPT_L_KIND, OPT_ORDERED, OPT_SUPPRESSED, OPT_NO_HEADER,
        OPT_JSON, OPT_REPORT, OPT_SHOW_CLASSES, OPT_POPULATION, OPT_POPULATION_COUNT,
        OPT_SAMPLING_FRACTION, OPT_HTML, OPT_LANG, OPT_RISK_THRESHOLD, OPT_SENSITIVE_EMPTY, OPT_HIERARCHY,
        OPT_SOURCE, OPT_PARTIAL, OPT_PART, OPT_MERGE, OPT_RANGE
    };
    static const struct option longopts[] = {
        {"rules", required_argument, NULL, 'r'},
        {"quasi", required_argument, NULL, OPT_QUASI},
        {"sensitive", required_argument, NULL, OPT_SENSITIVE},
        {"l-kind", required_argument, NULL, OPT_L_KIND},
        {"ordered", required_argument, NULL, OPT_ORDERED},
        {"hierarchy", required_argument, NULL, OPT_HIERARCHY},
        {"sensitive-empty", required_argument, NULL, OPT_SENSITIVE_EMPTY},
        {"suppressed", required_argument, NULL, OPT_SUPPRESSED},
        {"delimiter", required_argument, NULL, 'd'},
        {"no-header", no_argument, NULL, OPT_NO_HEADER},
        {"json", no_argument, NULL, OPT_JSON},
        {"report", required_argument, NULL, OPT_REPORT},
        {"show-classes", required_argument, NULL, OPT_SHOW_CLASSES},
        {"population", required_argument, NULL, OPT_POPULATION},
        {"population-count", required_argument, NULL, OPT_POPULATION_COUNT},
        {"sampling-fraction", required_argument, NULL, OPT_SAMPLING_FRACTION},
        {"html", required_argument, NULL, OPT_HTML},
        {"lang", required_argument, NULL, OPT_LANG},
        {"risk-threshold", required_argument, NULL, OPT_RISK_THRESHOLD},
        {"source", required_argument, NULL, OPT_SOURCE},
        {"partial", required_argument, NULL, OPT_PARTIAL},
        {"part", required_argument, NULL, OPT_PART},
        {"merge", no_argument, NULL, OPT_MERGE},
        {"range", required_argument, NULL, OPT_RANGE},
        CLI_STREAM_LONGOPTS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    unsigned long long u;
    int c, rc;
    optind = 1;
    opterr = 0;
    cli_stream_defaults(&a->stream);
    while ((c = getopt_long(argc, argv, ":r:k:l:t:d:j:vh", longopts, NULL)) != -1) {
        if ((rc = cli_stream_option(c, optarg, usage_check, &a->stream)) == 1)
            continue;
        if (rc)
            return rc;
        switch (c) {
        case 'r': a->rules_path = optarg; break;
        case OPT_QUASI:
            if ((rc = add_names(&a->quasi, "--quasi", optarg)))
                return rc;
            break;
        case OPT_SENSITIVE:
            if ((rc = add_names(&a->sensitive, "--sensitive", optarg)))
                return rc;
            break;
        case OPT_ORDERED:
            if ((rc = add_names(&a->ordered, "--ordered", optarg)))
                return rc;
            break;
        case OPT_HIERARCHY:
            if ((rc = parse_hierarchy(optarg, a)))
                return rc;
            break;
        case 'k':
            if ((rc = parse_k(optarg, a)))
                return rc;
            break;
        case 'l':
            if (parse_decimal(optarg, &a->o.l) || a->o.l < 1 || a->o.l > DEID_MAX_L)
                return usage_error("-l takes a number from 1 up, not \"%s\"", optarg);
            break;
        case 't':
            if (parse_decimal(optarg, &a->o.t) || !(a->o.t > 0) || a->o.t > 1)
                return usage_error("-t takes a number above 0 and at most 1, not \"%s\"", optarg);
            break;
        case OPT_L_KIND:
            if (!strcmp(optarg, "entropy"))
                a->o.l_entropy = 1;
            else if (!strcmp(optarg, "distinct"))
                a->o.l_entropy = 0;
            else
                return usage_error("--l-kind takes distinct or entropy, not \"%s\"", optarg);
            a->l_kind_given = 1;
            break;
        case OPT_SENSITIVE_EMPTY:
            if (cli_parse_sensitive_empty(optarg, &a->o.sensitive_empty))
                return usage_error("--sensitive-empty takes value or ignore, not \"%s\"", optarg);
            break;
        case OPT_SUPPRESSED:
            if (!optarg[0])
                return usage_error("%s", "--suppressed: the token is empty");
            a->o.token = optarg;
            break;
        case 'd':
            if (!(a->o.delimiter = deid_delimiter_from_name(optarg)))
                return usage_error("unknown delimiter \"%s\" (use , ; | or tab)", optarg);
            break;
        case OPT_NO_HEADER: a->o.no_header = 1; break;
        case OPT_JSON: a->json = 1; break;
        case OPT_REPORT: a->report_path = optarg; break;
        case OPT_HTML: a->html_path = optarg; break;
        case OPT_LANG:
            if ((rc = deid_lang_from_name(optarg)) < 0)
                return usage_error("--lang takes ko or en, not \"%s\"", optarg);
            a->html.lang = (deid_lang)rc;
            a->html_option_given = 1;
            break;
        case OPT_RISK_THRESHOLD:
            if (parse_decimal(optarg, &a->html.risk_threshold) || !(a->html.risk_threshold > 0) ||
                a->html.risk_threshold > 1)
                return usage_error("--risk-threshold takes a number above 0 and at most 1, not \"%s\"",
                                   optarg);
            a->html_option_given = 1;
            break;
        case OPT_SOURCE: a->source = optarg; break;
        case OPT_PARTIAL:
            if (!optarg[0])
                return usage_error("%s", "--partial: the file name is empty");
            a->partial = optarg;
            break;
        case OPT_PART:
            if (parse_whole(optarg, 0, UINT64_MAX, &u))
                return usage_error("--part takes a whole number, not \"%s\"", optarg);
            a->o.part = u;
            break;
        case OPT_MERGE: a->n_merge = 1; break;
        case OPT_RANGE:
            if (cli_parse_range(optarg, &a->range_from, &a->range_to))
                return usage_error("--range takes A:B, two byte offsets with A <= B, not \"%s\"",
                                   optarg);
            a->range_given = 1;
            a->o.part = a->range_from;
            break;
        case OPT_SHOW_CLASSES:
            if (parse_whole(optarg, 0, DEID_MAX_SHOW_CLASSES, &u))
                return usage_error("--show-classes takes a whole number from 0 to %llu, not \"%s\"",
                                   DEID_MAX_SHOW_CLASSES, optarg);
            a->o.show_classes = (size_t)u;
            break;
        case OPT_POPULATION:
            if (!optarg[0])
                return usage_error("%s", "--population: the file name is empty");
            a->o.population = optarg;
            break;
        case OPT_POPULATION_COUNT:
            if (!optarg[0])
                return usage_error("%s", "--population-count: the column name is empty");
            a->o.population_count = optarg;
            break;
        case OPT_SAMPLING_FRACTION:
            if (parse_decimal(optarg, &a->o.sampling_fraction) || !(a->o.sampling_fraction > 0) ||
                a->o.sampling_fraction > 1)
                return usage_error("--sampling-fraction takes a number above 0 and at most 1, "
                                   "not \"%s\"", optarg);
            break;
        case 'h':
            fputs(usage_check, stdout);
            return -1;
        case ':': return usage_error("option %s needs an argument", argv[optind - 1]);
        default: {
            char opt[3];
            return usage_error("unknown option %s", cli_unknown_option(argc, argv, opt));
        }
        }
    }
    if (a->n_merge) {
        if (argc - optind < 1)
            return usage_error("%s", "--merge needs the summaries to merge");
        if (a->source || a->o.population || a->range_given)
            return usage_error("%s", "--merge reads summaries: --source, --population and "
                                     "--range need an input");
        a->merge = argv + optind;
        a->n_merge = (size_t)(argc - optind);
        a->input = "-";
    } else {
        if (argc - optind > 1)
            return usage_error("%s", "check reads one input; more than one was given");
        a->input = optind < argc ? argv[optind] : "-";
    }
    if (a->partial && !a->n_merge) {
        if (a->source || a->o.population || a->o.show_classes || a->json || a->report_path ||
            a->html_path)
            return usage_error("%s", "--partial of one part writes its summary and measures "
                                     "nothing: no report options");
        a->o.partial = 1;
    } else if (a->o.part || (a->range_given && !a->partial)) {
        return usage_error("%s", "--part and --range need --partial OUT (one part of an input)");
    }
    if (a->range_given && !strcmp(a->input, "-"))
        return usage_error("%s", "--range needs the input named, not standard input");
    if (a->source && !strcmp(a->input, "-"))
        return usage_error("%s", "--source needs the checked file named, not standard input: "
                                 "it is read a second time");
    if (!a->rules_path && a->quasi.n == 0)
        return usage_error("%s", "check needs --quasi a,b,c or -r RULES");
    if (a->html_option_given && !a->html_path)
        return usage_error("%s", "--lang and --risk-threshold need --html FILE");
    if (!a->rules_path && a->l_kind_given && a->o.l == 0)
        return usage_error("%s", "--l-kind needs -l L");
    if (a->o.population_count && !a->o.population)
        return usage_error("%s", "--population-count needs --population FILE");
    if (!a->rules_path && (a->o.l > 0 || a->o.t > 0) && a->sensitive.n == 0)
        return usage_error("%s", "-l and -t need --sensitive columns");
    a->o.threads = a->stream.threads;
    a->o.chunk_bytes = a->stream.chunk_bytes;
    a->o.memory_bytes = a->stream.memory_bytes;
    a->o.encoding = a->stream.encoding;
    a->o.quasi = (const char *const *)a->quasi.names;
    a->o.n_quasi = a->quasi.n;
    a->o.sensitive = (const char *const *)a->sensitive.names;
    a->o.n_sensitive = a->sensitive.n;
    a->o.ordered = (const char *const *)a->ordered.names;
    a->o.n_ordered = a->ordered.n;
    a->o.hierarchy_columns = a->hier_cols;
    a->o.hierarchy_files = a->hier_files;
    a->o.n_hierarchy = a->n_hier;
    return 0;
}

/* --merge: every summary into the check, then the figures. */
static deid_status merge_summaries(const check_args *a, deid_check *chk, deid_error *err)
{
    deid_status st = DEID_OK;
    for (size_t i = 0; i < a->n_merge && !st; i++) {
        int fd;
        const char *name;
        if ((st = cli_open_input(a->merge[i], &fd, &name, err)))
            break;
        st = deid_check_merge_fd(chk, fd, name, err);
        if (fd != STDIN_FILENO)
            close(fd);
    }
    return st ? st : deid_check_merge_finish(chk, err);
}

static deid_status check_summary(const void *chk, int fd, deid_error *err)
{
    return deid_check_write_summary(chk, fd, err);
}

static deid_status run_check(const check_args *a, const deid_rules *rules, deid_check *chk,
                             deid_error *err)
{
    if (a->n_merge)
        return merge_summaries(a, chk, err);
    int fd;
    const char *name;
    deid_status st = cli_open_input(a->input, &fd, &name, err);
    if (st)
        return st;
    if (a->range_given)
        st = deid_check_run_range_fd(chk, fd, name, a->range_from, a->range_to, err);
    else
        st = deid_check_run_fd(chk, fd, name, err);
    if (fd != STDIN_FILENO)
        close(fd);
    if (st || !a->source)
        return st;
    /* --source: the source and the checked file again, in step */
    int src_fd, out_fd;
    const char *src_name;
    if ((st = cli_open_input(a->source, &src_fd, &src_name, err)))
        return st;
    if (!(st = cli_open_input(a->input, &out_fd, &name, err))) {
        st = deid_check_compare_fd(chk, rules, src_fd, src_name, out_fd, name, err);
        close(out_fd);
    }
    if (src_fd != STDIN_FILENO)
        close(src_fd);
    return st;
}

int cli_check(int argc, char **argv)
{
    check_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a);
    if (rc) {
        name_args_free(&a.quasi);
        name_args_free(&a.sensitive);
        name_args_free(&a.ordered);
        return rc < 0 ? 0 : rc;
    }
    deid_error err;
    deid_rules *rules = NULL;
    deid_check *chk = NULL;
    char *json = NULL, *text = NULL, *html = NULL;
    deid_status st = DEID_OK;
    if (a.rules_path)
        st = deid_rules_load(a.rules_path, &rules, &err);
    if (!st && (a.report_path || a.html_path || (a.partial && strcmp(a.partial, "-")))) {
        /* --report and --html must not replace the input, the rules or a
         * file they name, nor each other */
        cli_paths set = {0};
        char msg[1024];
        cli_paths_add(&set, "--report", a.report_path, 1);
        cli_paths_add(&set, "--html", a.html_path, 1);
        cli_paths_add(&set, "--partial", a.partial, 1);
        for (size_t i = 0; i < a.n_merge; i++)
            cli_paths_add(&set, "a summary", a.merge[i], 0);
        cli_paths_add(&set, strcmp(a.input, "-") ? "the input" : "standard input", a.input, 0);
        if (a.o.population)
            cli_paths_add(&set, "--population", a.o.population, 0);
        if (a.source)
            cli_paths_add(&set, "--source", a.source, 0);
        for (size_t i = 0; i < a.n_hier; i++)
            cli_paths_add(&set, "--hierarchy", a.hier_files[i], 0);
        if (rules)
            cli_paths_add_rules(&set, a.rules_path, rules);
        int conflict = cli_paths_conflict(&set, msg, sizeof msg);
        cli_paths_free(&set);
        if (conflict) {
            deid_rules_free(rules);
            name_args_free(&a.quasi);
            name_args_free(&a.sensitive);
            name_args_free(&a.ordered);
            if (conflict < 0) {
                cli_log_error(DEID_E_IO, msg);
                return DEID_E_IO;
            }
            return usage_error("%s", msg);
        }
    }
    cli_progress progress;
    char *input = (char *)a.input;
    cli_progress_init(&progress, a.stream.progress_mode, &input, 1);
    cli_stream_describe(&a.stream, "check");
    a.o.progress = cli_progress_update;
    a.o.progress_ctx = &progress;
    if (!st)
        st = deid_check_new(rules, &a.o, &chk, &err);
    if (!st)
        st = run_check(&a, rules, chk, &err);
    cli_progress_end(&progress);
    if (!st && a.partial)
        st = cli_write_summary(a.partial, check_summary, chk, &err);
    if (!st && a.o.partial) {
        rc = 0;
        goto done;
    }
    if (!st && (a.json || a.report_path))
        st = deid_check_report_json(chk, &json, &err);
    if (!st && !a.json)
        st = deid_check_report_text(chk, &text, &err);
    if (!st && a.html_path)
        st = deid_check_report_html(chk, &a.html, &html, &err);
    if (!st && a.report_path)
        st = cli_write_text_file(a.report_path, json, &err);
    if (!st && a.html_path)
        st = cli_write_text_file(a.html_path, html, &err);
    if (!st)
        fputs(a.json ? json : text, stdout);
    rc = st ? cli_report_error(&err) : deid_check_met(chk) ? 0 : DEID_E_PRIVACY;
done:
    free(json);
    free(text);
    free(html);
    deid_check_free(chk);
    deid_rules_free(rules);
    name_args_free(&a.quasi);
    name_args_free(&a.sensitive);
    name_args_free(&a.ordered);
    return rc;
}
