/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_run.c - `deid run`: reads the inputs through a job and writes the
 * output to stdout or to a file that appears only on success. With a
 * privacy requirement or a two-pass technique it drives the passes (three
 * with both): regular files are read again, anything else is spooled by
 * the job.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_job.h"
#include "cli_paths.h"
#include "deid.h"

const char cli_usage_run[] =
    "usage: deid run -r RULES [OPTIONS] [INPUT ...]\n"
    "\n"
    "Reads INPUT files (default, or `-`: stdin; gzip is detected) as one stream that shares\n"
    "one header, applies RULES to every column and writes the result to OUT (default stdout).\n"
    "With -o the output is written to a temporary file and renamed into place only on\n"
    "success, so a failed run leaves no partial file.\n"
    "\n"
    "Options:\n"
    "  -r, --rules FILE          rules file (required)\n"
    "  -o, --output FILE         output file; gzip when it ends in .gz\n"
    "  -q, --quiet               no summary on stderr\n"
    "      --report FILE         write the run's summary as JSON to FILE\n"
    "      --html FILE           write the auditor's report as one HTML page to FILE (no\n"
    "                            script, no external reference; printable on A4)\n"
    "      --lang LANG           the HTML report's language: ko (default) or en\n"
    "      --risk-threshold R    the HTML report counts the records whose risk is above R,\n"
    "                            0 < R <= 1 (default 0.2)\n"
    "      --record FILE         write the processing record (가명정보 처리 기록) as JSON to\n"
    "                            FILE and as Markdown beside it (FILE's .json replaced by\n"
    "                            .md, else .md appended; also: rules `record file=`)\n"
    "  -d, --delimiter C         input delimiter: , ; | or tab (default: the rules' input line)\n"
    "      --output-delimiter C  output delimiter (default: the input's)\n"
    "  -z, --gzip                compress the output with gzip\n"
    "      --gzip-level N        gzip level 1-9 (default 1: fastest; 6 is gzip's default)\n"
    CLI_STREAM_HELP
    CLI_OUTPUT_ENCODING_HELP
    "      --allow-vault-beside-output\n"
    "                            let a token vault (value,token pairs) sit in OUT's folder;\n"
    "                            refused by default: the mapping table is kept apart\n"
    "      --sensitive-empty M   empty sensitive values in l and t: value (ARX) or ignore\n"
    "      --range A:B           read bytes A to B of the one INPUT (offsets from `deid\n"
    "                            split`) after its header: one part of a sharded run\n"
    "      --classes MERGED      the merged summary of every part (`deid plan --partial`,\n"
    "                            `--merge --partial`): suppress, and plan, as one machine\n"
    "                            would over the whole input (INPUT is one part, a file)\n"
    "      --sharded             the INPUTs are part files of a larger input (a sharded run\n"
    "                            without --range or --classes): refuse what parts cannot share\n"
    "  -h, --help                this help\n"
    "\n"
    "Exit codes: 0 success, 1 a privacy requirement is not met, 2 usage, 3 rules or key\n"
    "error, 4 bad input, 5 I/O error.\n";


/* A share written with digits and at most one point ("0.2", ".25", "1"),
 * above 0 and at most 1: no sign, exponent, hex, inf or nan. Returns 0,
 * or -1 when s is not one. */
static int parse_share(const char *s, double *out)
{
    size_t len = strlen(s);
    const char *dot = strchr(s, '.');
    if (!len || len > 32 || strspn(s, "0123456789.") != len || (dot && strchr(dot + 1, '.')) ||
        (dot && len == 1))
        return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !(v > 0) || v > 1)
        return -1;
    *out = v;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Writes text to a temporary file beside path; *of commits or aborts it. */
static deid_status stage_text(const char *path, const char *text, deid_outfile **of,
                              deid_error *err)
{
    deid_status st = deid_outfile_open(path, of, err);
    size_t len = strlen(text), done = 0;
    while (!st && done < len) {
        ssize_t k = write(deid_outfile_fd(*of), text + done, len - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            memset(err, 0, sizeof *err);
            err->status = st = DEID_E_IO;
            snprintf(err->message, sizeof err->message, "cannot write %s: %s", path,
                     strerror(errno));
        } else {
            done += (size_t)k;
        }
    }
    return st;
}

/* Where the processing record's Markdown goes: path with .json replaced
 * by .md, or .md appended. Returns a malloc'd string, NULL on ENOMEM. */
static char *record_md_path(const char *path)
{
    size_t n = strlen(path);
    char *md_path = malloc(n + 4);
    if (md_path && n > 5 && !strcmp(path + n - 5, ".json"))
        snprintf(md_path, n + 4, "%.*s.md", (int)(n - 5), path);
    else if (md_path)
        snprintf(md_path, n + 4, "%s.md", path);
    return md_path;
}

/* Stages the processing record as JSON for path and as Markdown beside it
 * (record_md_path). */
static deid_status stage_record(deid_job *job, const char *path, deid_outfile **json_of,
                                deid_outfile **md_of, deid_error *err)
{
    char *json = NULL, *md = NULL, *md_path = NULL;
    deid_status st = deid_job_record_json(job, &json, err);
    if (!st)
        st = deid_job_record_markdown(job, &md, err);
    if (!st && !(md_path = record_md_path(path))) {
        memset(err, 0, sizeof *err);
        st = err->status = DEID_E_IO;
        snprintf(err->message, sizeof err->message, "out of memory");
    }
    if (!st)
        st = stage_text(path, json, json_of, err);
    if (!st)
        st = stage_text(md_path, md, md_of, err);
    free(md_path);
    free(json);
    free(md);
    return st;
}

/* The outputs (out_path, report_path, html_path, record_path may be NULL;
 * shard's --partial, when shard is not NULL) against each other and
 * against everything the run reads (shard's --classes too). Returns 0, or the
 * usage error's exit code after printing it (without the usage text: the
 * options are right, their paths are not), or 5 when out of memory. */
static int check_output_paths(const deid_rules *rules, const char *rules_path,
                              char *const *inputs, int n_inputs, const char *out_path,
                              const char *report_path, const char *html_path,
                              const char *record_path, const char *record_role,
                              const cli_shard_opts *shard)
{
    cli_paths set = {0};
    char msg[1024];
    char *md_path = record_path ? record_md_path(record_path) : NULL;
    cli_paths_add(&set, "-o", out_path, 1);
    cli_paths_add(&set, "--report", report_path, 1);
    cli_paths_add(&set, "--html", html_path, 1);
    cli_paths_add(&set, record_role, record_path, 1);
    if (record_path && !md_path)
        set.out_of_memory = 1;
    char md_role[96];
    snprintf(md_role, sizeof md_role, "%s's Markdown", record_role);
    cli_paths_add(&set, md_role, md_path, 1);
    if (shard) {
        cli_paths_add(&set, "--partial", shard->partial, 1);
        cli_paths_add(&set, "--classes", shard->classes, 0);
    }
    for (int i = 0; i < n_inputs; i++)
        cli_paths_add(&set, strcmp(inputs[i], "-") ? "the input" : "standard input", inputs[i], 0);
    cli_paths_add_rules(&set, rules_path, rules);
    int conflict = cli_paths_conflict(&set, msg, sizeof msg);
    cli_paths_free(&set);
    free(md_path);
    if (!conflict)
        return 0;
    cli_log_error(conflict < 0 ? DEID_E_IO : DEID_E_USAGE, msg);
    return conflict < 0 ? DEID_E_IO : DEID_E_USAGE;
}

/* Columns that keep part of their value outside `quasi` and `sensitive`
 * (deid_rules_kept_warning): said before the run, as lint says it. */
static void print_kept_warning(const deid_rules *rules)
{
    char *text = NULL;
    deid_error err;
    if (!deid_rules_kept_warning(rules, &text, &err) && text)
        fputs(text, stderr);
    free(text);
}

/* 1 when every input is a regular file, which a run can read again. */
static int all_regular_files(char *const *inputs, int n_inputs)
{
    for (int i = 0; i < n_inputs; i++) {
        struct stat sb;
        if (!strcmp(inputs[i], "-") || stat(inputs[i], &sb) != 0 || !S_ISREG(sb.st_mode))
            return 0;
    }
    return 1;
}

int cli_run(int argc, char **argv)
{
    enum { OPT_REPORT = 256, OPT_OUT_DELIM, OPT_GZIP_LEVEL, OPT_RECORD, OPT_ALLOW_VAULT, OPT_HTML,
           OPT_LANG, OPT_RISK_THRESHOLD, OPT_SENSITIVE_EMPTY, OPT_RANGE, OPT_CLASSES, OPT_SHARDED };
    static const struct option longopts[] = {
        {"rules", required_argument, NULL, 'r'},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"report", required_argument, NULL, OPT_REPORT},
        {"record", required_argument, NULL, OPT_RECORD},
        {"html", required_argument, NULL, OPT_HTML},
        {"lang", required_argument, NULL, OPT_LANG},
        {"risk-threshold", required_argument, NULL, OPT_RISK_THRESHOLD},
        {"delimiter", required_argument, NULL, 'd'},
        {"output-delimiter", required_argument, NULL, OPT_OUT_DELIM},
        {"gzip", no_argument, NULL, 'z'},
        {"gzip-level", required_argument, NULL, OPT_GZIP_LEVEL},
        {"allow-vault-beside-output", no_argument, NULL, OPT_ALLOW_VAULT},
        {"sensitive-empty", required_argument, NULL, OPT_SENSITIVE_EMPTY},
        {"range", required_argument, NULL, OPT_RANGE},
        {"classes", required_argument, NULL, OPT_CLASSES},
        {"sharded", no_argument, NULL, OPT_SHARDED},
        CLI_STREAM_LONGOPTS,
        CLI_OUTPUT_ENCODING_LONGOPTS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *rules_path = NULL, *out_path = NULL, *report_path = NULL, *record_path = NULL,
               *html_path = NULL;
    deid_html_options html = {0};
    int quiet = 0, allow_vault = 0, html_option_given = 0;
    deid_job_options jo = {0};
    cli_shard_opts shard = {0};
    cli_stream_opts stream;
    cli_job_start_options(&stream);
    int c, shared;
    while ((c = cli_job_next_option(argc, argv, ":r:o:qd:zj:vh", longopts, cli_usage_run, &stream, &shared)) != -1) {
        switch (c) {
        case 'r': rules_path = optarg; break;
        case 'o': out_path = optarg; break;
        case 'q': quiet = 1; cli_log_quiet(); break;
        case OPT_REPORT: report_path = optarg; break;
        case OPT_RECORD: record_path = optarg; break;
        case OPT_HTML: html_path = optarg; break;
        case OPT_LANG: {
            int lang = deid_lang_from_name(optarg);
            if (lang < 0)
                return cli_usage_error(cli_usage_run, "--lang takes ko or en, not \"%s\"", optarg);
            html.lang = (deid_lang)lang;
            html_option_given = 1;
            break;
        }
        case OPT_RISK_THRESHOLD:
            if (parse_share(optarg, &html.risk_threshold))
                return cli_usage_error(cli_usage_run, "--risk-threshold takes a number above 0 and "
                                       "at most 1, not \"%s\"", optarg);
            html_option_given = 1;
            break;
        case OPT_ALLOW_VAULT: allow_vault = 1; break;
        case OPT_SENSITIVE_EMPTY:
            if (cli_parse_sensitive_empty(optarg, &jo.sensitive_empty))
                return cli_usage_error(cli_usage_run, "--sensitive-empty takes value or ignore, not \"%s\"", optarg);
            break;
        case 'd':
            if ((shared = cli_job_parse_delimiter(cli_usage_run, optarg, &jo.delimiter)))
                return shared;
            break;
        case OPT_OUT_DELIM:
            if ((shared = cli_job_parse_delimiter(cli_usage_run, optarg, &jo.out_delimiter)))
                return shared;
            break;
        case 'z': jo.gzip_out = 1; break;
        case OPT_GZIP_LEVEL:
            if (strlen(optarg) != 1 || optarg[0] < '1' || optarg[0] > '9')
                return cli_usage_error(cli_usage_run, "--gzip-level takes 1 to 9, not \"%s\"", optarg);
            jo.gzip_level = optarg[0] - '0';
            break;
        case OPT_RANGE:
        case OPT_CLASSES:
            if ((shared = cli_shard_option(c == OPT_RANGE ? "range" : "classes", optarg,
                                           cli_usage_run, &shard)))
                return shared;
            break;
        case OPT_SHARDED: shard.sharded = 1; break;
        default: return cli_job_other_option(c, cli_usage_run, argc, argv);
        }
    }
    if (!shared && html_option_given && !html_path)
        return cli_usage_error(cli_usage_run, "%s", "--lang and --risk-threshold need --html FILE");
    if (shared)
        return shared;
    if ((shared = cli_job_take_stream_options(cli_usage_run, "run", rules_path, &stream, &jo)))
        return shared;
    if (out_path && ends_with(out_path, ".gz"))
        jo.gzip_out = 1;

    int n_inputs;
    char *const *inputs = cli_job_input_list(argc, argv, &n_inputs);
    if ((shared = cli_shard_check(&shard, cli_usage_run, inputs, n_inputs, &jo)))
        return shared;
    /* A two-pass run reads regular files twice; anything else is spooled. */
    jo.reread = all_regular_files(inputs, n_inputs);

    deid_error err;
    deid_rules *rules = NULL;
    deid_job *job = NULL;
    deid_outfile *of = NULL;
    int out_fd = STDOUT_FILENO;
    cli_progress progress;
    /* -q: no summary, and no progress unless asked for */
    cli_job_start_progress(&progress, quiet, stream.progress_mode, inputs, n_inputs, &jo);
    deid_status st = deid_rules_load(rules_path, &rules, &err);
    if (!st && !quiet)
        print_kept_warning(rules);
    if (!st && out_path && !allow_vault)
        st = deid_rules_check_vault_folder(rules, out_path, &err);
    const char *record_role = "--record";
    if (!st && !record_path && (record_path = deid_rules_record_file(rules)))
        record_role = "the rules' record file";
    int rc;
    if (!st && (rc = check_output_paths(rules, rules_path, inputs, n_inputs,
                                        out_path, report_path, html_path, record_path,
                                        record_role, &shard))) {
        cli_progress_end(&progress);
        deid_rules_free(rules);
        return rc;
    }
    jo.hash_io = record_path != NULL || html_path != NULL;
    jo.input_classes = html_path != NULL;
    jo.output_name = out_path;
    if (!st)
        st = deid_job_new(rules, &jo, &job, &err);
    if (!st && shard.classes)
        st = cli_shard_merge(job, &shard.classes, 1, &err);
    if (!st)
        progress.passes = deid_job_passes(job);
    if (!st)
        st = cli_job_open_output(out_path, stream.mode, &of, &out_fd, &err);
    if (!st)
        st = cli_shard_feed(job, &shard, inputs, n_inputs, out_fd, &err);
    /* each further pass reads the inputs again or replays the spool of the one before */
    for (int pass = 2; !st && pass <= deid_job_passes(job); pass++) {
        st = deid_job_next_pass(job, &err);
        if (!st && jo.reread)
            st = cli_shard_feed(job, &shard, inputs, n_inputs, out_fd, &err);
        else if (!st)
            st = deid_job_replay_fd(job, out_fd, &err);
    }
    if (!st)
        st = deid_job_finish_fd(job, out_fd, &err);
    /* Everything that can fail (report, record, summary) is done before the
     * output is renamed into place, and the files are renamed together, so
     * a failed run leaves none of them. */
    deid_outfile *staged[4] = {NULL, NULL, NULL, NULL}; /* report, record, record.md, html */
    char *text = NULL;
    if (!st && report_path && !(st = deid_job_report_json(job, &text, &err)))
        st = stage_text(report_path, text, &staged[0], &err);
    free(text);
    text = NULL;
    if (!st && record_path)
        st = stage_record(job, record_path, &staged[1], &staged[2], &err);
    if (!st && html_path) {
        html.output_name = out_path;
        if (!(st = deid_job_report_html(job, &html, &text, &err)))
            st = stage_text(html_path, text, &staged[3], &err);
        free(text);
        text = NULL;
    }
    /* the summary: a table on stderr, or the report in the JSON summary event */
    if (!st && !quiet)
        st = cli_log_json() ? deid_job_report_json(job, &text, &err)
                            : deid_job_summary_text(job, &text, &err);
    if (!st && of) {
        st = deid_outfile_commit(of, &err);
        of = NULL;
    }
    for (int i = 0; i < 4; i++) {
        if (!st && staged[i])
            st = deid_outfile_commit(staged[i], &err);
        else
            deid_outfile_abort(staged[i]);
    }
    cli_progress_end(&progress);
    if (job)
        cli_log_counts(deid_job_counts(job));
    if (st) {
        deid_outfile_abort(of);
        cli_report_error(&err);
    } else if (text && cli_log_json()) {
        cli_log_report(text);
    } else if (text) {
        fputs(text, stderr);
    }
    free(text);
    deid_job_free(job);
    deid_rules_free(rules);
    return st;
}


const char cli_usage_plan[] =
    "usage: deid plan -r RULES [--json] [--explain] [-d C] [INPUT ...]\n"
    "       deid plan -r RULES --partial OUT [--part N | --range A:B] INPUT\n"
    "       deid plan -r RULES --merge [--partial OUT] [--json] SUMMARY ...\n"
    "\n"
    "Finds, for the quasi-identifiers whose rule says level=auto, the generalization levels\n"
    "with the least information loss that meet the rules' `require` line with at most\n"
    "`suppress max=` of the records suppressed, and prints them with the loss, the records\n"
    "suppressed, the classes, the lattice searched and the next best nodes. Writes no data.\n"
    "\n"
    "Options:\n"
    "  -r, --rules FILE          rules file (required)\n"
    "      --json                print JSON instead of text\n"
    "      --explain             say why each chosen level is needed: what the QI one level\n"
    "                            lower (the others as chosen) would violate, and by how much\n"
    "  -d, --delimiter C         input delimiter: , ; | or tab (default: the rules' input line)\n"
    "      --partial OUT         INPUT is one part of a larger input: write the summary of\n"
    "                            its transformed QIs (mode 0600; `-`: stdout), plan nothing\n"
    "      --part N              where the part lies in the whole input (default 0)\n"
    "      --range A:B           read bytes A to B of INPUT after its header (sets --part A)\n"
    "      --merge               the arguments are summaries: plan the whole input; with\n"
    "                            --partial OUT, also write the merged summary (`deid run\n"
    "                            --classes` takes it)\n"
    CLI_STREAM_HELP
    "  -h, --help                this help\n"
    "\n"
    "Exit codes: 0 a node was found, 1 no node meets the requirement, 2 usage, 3 rules,\n"
    "4 bad input, 5 I/O error.\n";

int cli_plan(int argc, char **argv)
{
    enum { OPT_JSON = 256, OPT_EXPLAIN, OPT_PARTIAL, OPT_PART, OPT_RANGE, OPT_MERGE };
    static const struct option longopts[] = {
        {"rules", required_argument, NULL, 'r'},
        {"json", no_argument, NULL, OPT_JSON},
        {"explain", no_argument, NULL, OPT_EXPLAIN},
        {"partial", required_argument, NULL, OPT_PARTIAL},
        {"part", required_argument, NULL, OPT_PART},
        {"range", required_argument, NULL, OPT_RANGE},
        {"merge", no_argument, NULL, OPT_MERGE},
        {"delimiter", required_argument, NULL, 'd'},
        CLI_STREAM_LONGOPTS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *rules_path = NULL;
    int json = 0, explain = 0, c, shared;
    deid_job_options jo = {0};
    cli_shard_opts shard = {0};
    cli_stream_opts stream;
    cli_job_start_options(&stream);
    while ((c = cli_job_next_option(argc, argv, ":r:d:j:vh", longopts, cli_usage_plan, &stream, &shared)) != -1) {
        switch (c) {
        case 'r': rules_path = optarg; break;
        case OPT_JSON: json = 1; break;
        case OPT_EXPLAIN: explain = 1; break;
        case 'd':
            if ((shared = cli_job_parse_delimiter(cli_usage_plan, optarg, &jo.delimiter)))
                return shared;
            break;
        case OPT_PARTIAL:
        case OPT_PART:
        case OPT_RANGE:
        case OPT_MERGE:
            if ((shared = cli_shard_option(longopts[c - OPT_JSON + 1].name, optarg, cli_usage_plan,
                                           &shard)))
                return shared;
            break;
        default: return cli_job_other_option(c, cli_usage_plan, argc, argv);
        }
    }
    if (shared)
        return shared;
    if ((shared = cli_job_take_stream_options(cli_usage_plan, "plan", rules_path, &stream, &jo)))
        return shared;
    int n_inputs;
    char *const *inputs = cli_job_input_list(argc, argv, &n_inputs);
    if ((shared = cli_shard_check(&shard, cli_usage_plan, inputs, n_inputs, &jo)))
        return shared;
    if (shard.partial && !shard.merge && json)
        return cli_usage_error(cli_usage_plan, "%s", "--partial of one part plans nothing: no --json");
    jo.reread = 1; /* one pass and no spool: a plan writes nothing */
    deid_error err;
    deid_rules *rules = NULL;
    deid_job *job = NULL;
    char *text = NULL;
    cli_progress progress;
    cli_job_start_progress(&progress, 0, stream.progress_mode, inputs, n_inputs, &jo);
    deid_status st = deid_rules_load(rules_path, &rules, &err);
    int rc = 0;
    if (!st && (rc = check_output_paths(rules, rules_path, inputs, n_inputs, NULL, NULL, NULL,
                                        NULL, "--record", &shard))) {
        cli_progress_end(&progress);
        deid_rules_free(rules);
        return rc;
    }
    if (!st)
        st = deid_job_new(rules, &jo, &job, &err);
    if (!st && deid_job_passes(job) < 2) {
        memset(&err, 0, sizeof err);
        err.status = st = DEID_E_RULES;
        snprintf(err.message, sizeof err.message,
                 "%s: a plan needs `quasi` and `require` lines and a QI with level=auto", rules_path);
    }
    if (!st && shard.merge)
        st = cli_shard_merge(job, (const char *const *)inputs, n_inputs, &err);
    if (!st && shard.merge)
        st = cli_shard_feed_header(job, &err);
    else if (!st)
        st = cli_shard_feed(job, &shard, inputs, n_inputs, -1, &err);
    /* with a two-pass technique the plan is on its output: one pass more,
     * over the inputs read again (a plan keeps no spool) */
    if (!st && deid_job_passes(job) == 3 && !all_regular_files(inputs, n_inputs)) {
        memset(&err, 0, sizeof err);
        err.status = st = DEID_E_USAGE;
        snprintf(err.message, sizeof err.message,
                 "%s: with microagg, aggregate or shuffle deid plan reads its inputs twice: give "
                 "regular files, not standard input or a pipe (deid run takes either)",
                 rules_path);
    }
    if (!st && deid_job_passes(job) == 3 && !(st = deid_job_next_pass(job, &err)))
        st = cli_shard_feed(job, &shard, inputs, n_inputs, -1, &err);
    if (!st && shard.partial) {
        st = cli_write_summary(shard.partial, cli_shard_job_summary, job, &err);
        /* a merge for `deid run --classes` needs no level=auto */
        if (!st && (!shard.merge || !deid_job_has_auto(job))) {
            cli_progress_end(&progress);
            deid_job_free(job);
            deid_rules_free(rules);
            return 0;
        }
    }
    if (!st)
        st = explain ? deid_job_plan_explain(job, &err) : deid_job_plan(job, &err);
    cli_progress_end(&progress);
    if (!st)
        st = json ? deid_job_plan_json(job, &text, &err) : deid_job_plan_text(job, &text, &err);
    if (!st) {
        fputs(text, stdout);
        if (strstr(text, json ? "\"found\": false" : "no node meets"))
            st = DEID_E_PRIVACY;
    } else {
        cli_report_error(&err);
    }
    free(text);
    deid_job_free(job);
    deid_rules_free(rules);
    return st;
}

const char cli_usage_reverse[] =
    "usage: deid reverse -r RULES [--columns a,b] [-o OUT] [-q] [INPUT ...]\n"
    "\n"
    "Restores, for an authorized holder of the keys (or token vaults), the columns of a file\n"
    "made with RULES whose transform is reversible (encrypt, fpe, token). Hashed, masked,\n"
    "generalized and kept columns are written as they are and listed on stderr as not\n"
    "restored. A value that fails authentication (tampered, or another key) or is not a\n"
    "token of the vault stops the run with its record number.\n"
    "\n"
    "Options:\n"
    "  -r, --rules FILE          the rules the file was made with (required)\n"
    "      --columns A,B         restore only these columns\n"
    "  -o, --output FILE         output file, renamed into place only on success\n"
    "  -q, --quiet               no summary on stderr\n"
    CLI_STREAM_HELP
    CLI_OUTPUT_ENCODING_HELP
    "  -h, --help                this help\n"
    "\n"
    "Exit codes: 0 success, 2 usage, 3 rules or key error, 4 bad input (tampered value),\n"
    "5 I/O error.\n";

int cli_reverse(int argc, char **argv)
{
    enum { OPT_COLUMNS = 256 };
    static const struct option longopts[] = {
        {"rules", required_argument, NULL, 'r'},
        {"columns", required_argument, NULL, OPT_COLUMNS},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        CLI_STREAM_LONGOPTS,
        CLI_OUTPUT_ENCODING_LONGOPTS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *rules_path = NULL, *out_path = NULL;
    char *columns = NULL;
    int quiet = 0, c, shared;
    deid_job_options jo = {0};
    cli_stream_opts stream;
    cli_job_start_options(&stream);
    while ((c = cli_job_next_option(argc, argv, ":r:o:qj:vh", longopts, cli_usage_reverse, &stream, &shared)) != -1) {
        switch (c) {
        case 'r': rules_path = optarg; break;
        case 'o': out_path = optarg; break;
        case 'q': quiet = 1; cli_log_quiet(); break;
        case OPT_COLUMNS: columns = optarg; break;
        default: return cli_job_other_option(c, cli_usage_reverse, argc, argv);
        }
    }
    if (shared)
        return shared;
    if ((shared = cli_job_take_stream_options(cli_usage_reverse, "reverse", rules_path, &stream, &jo)))
        return shared;
    /* --columns names at most as many columns as a record can have */
    const char **names = NULL;
    size_t n_names = 0;
    for (char *tok = columns ? strtok(columns, ",") : NULL; tok; tok = strtok(NULL, ",")) {
        if (n_names == DEID_MAX_FIELDS) {
            free(names);
            return cli_usage_error(cli_usage_reverse, "--columns names more than %u columns",
                                   DEID_MAX_FIELDS);
        }
        const char **grown = realloc(names, (n_names + 1) * sizeof *grown);
        if (!grown) {
            free(names);
            fputs("deid: out of memory\n", stderr);
            return DEID_E_IO;
        }
        names = grown;
        names[n_names++] = tok;
    }
    int n_inputs;
    char *const *inputs = cli_job_input_list(argc, argv, &n_inputs);
    jo.reverse = 1;
    jo.reverse_columns = names;
    jo.n_reverse_columns = n_names;
    deid_error err;
    deid_rules *rules = NULL;
    deid_job *job = NULL;
    deid_outfile *of = NULL;
    int out_fd = STDOUT_FILENO;
    cli_progress progress;
    cli_job_start_progress(&progress, quiet, stream.progress_mode, inputs, n_inputs, &jo);
    deid_status st = deid_rules_load(rules_path, &rules, &err);
    int rc;
    if (!st && (rc = check_output_paths(rules, rules_path, inputs, n_inputs,
                                        out_path, NULL, NULL, NULL, "--record", NULL))) {
        cli_progress_end(&progress);
        deid_rules_free(rules);
        free(names);
        return rc;
    }
    if (!st)
        st = deid_job_new(rules, &jo, &job, &err);
    if (!st)
        st = cli_job_open_output(out_path, stream.mode, &of, &out_fd, &err);
    if (!st)
        st = cli_job_run_inputs(job, inputs, n_inputs, out_fd, &err);
    if (!st)
        st = deid_job_finish_fd(job, out_fd, &err);
    if (!st && of) {
        st = deid_outfile_commit(of, &err);
        of = NULL;
    }
    char *text = NULL;
    cli_progress_end(&progress);
    if (job)
        cli_log_counts(deid_job_counts(job));
    if (st) {
        deid_outfile_abort(of);
        cli_report_error(&err);
    } else if (!quiet) {
        if (!deid_job_reverse_note(job, &text, &err) && text)
            fputs(text, stderr);
        free(text);
        text = NULL;
        if (!deid_rules_reverse_warning(rules, names, n_names, &text, &err) && text)
            fputs(text, stderr);
        free(text);
        text = NULL;
        if (cli_log_json() && !deid_job_report_json(job, &text, &err))
            cli_log_report(text);
        else if (!cli_log_json() && !deid_job_summary_text(job, &text, &err))
            fputs(text, stderr);
    }
    free(text);
    free(names);
    deid_job_free(job);
    deid_rules_free(rules);
    return st;
}
