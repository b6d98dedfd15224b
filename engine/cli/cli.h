/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h - the commands of the `deid` program, one file each beside cli.c
 * (which has main). Each takes the command's own argv (argv[0] is the
 * command name) and returns the exit code; they print, the library not.
 */
#ifndef DEID_CLI_H
#define DEID_CLI_H

#include <stdio.h>

#include "deid.h"

/* cli_process.c: unless allow_core_dump, no core file and not dumpable
 * (RLIMIT_CORE 0, PR_SET_DUMPABLE 0); always OpenSSL's secure heap for
 * keys. Returns 0, or the errno of a failed step (the run must not go on). */
int cli_process_protect(int allow_core_dump);
/* Releases the secure heap at exit if nothing is left in it. */
void cli_process_done(void);

/* Prints "deid: " + the formatted error on stderr; returns its exit code. */
int cli_report_error(const deid_error *err);

/* Prints "deid: message" on stderr and the line cli_usage_hint prints for
 * usage (the subcommand's usage text); returns 2. */
int cli_usage_error(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The option getopt_long just refused as unknown, as the user wrote it:
 * "-x" for a short option (also inside a cluster such as "-x/y", where
 * getopt has not moved past the word), else the whole word ("--bogus").
 * Returns buf (3 bytes, the caller's) or a string of argv. */
const char *cli_unknown_option(int argc, char **argv, char buf[3]);
/* Prints "Try `deid CMD --help` for the options." on stderr, CMD the
 * subcommand usage names (none for the top-level usage). */
void cli_usage_hint(const char *usage);
/* Writes text to path through a temporary file renamed into place, so a
 * failed write leaves no partial file. */
deid_status cli_write_text_file(const char *path, const char *text, deid_error *err);
/* Opens an input for reading: "-" is stdin. Returns DEID_OK with *fd set
 * (the caller closes it unless it is STDIN_FILENO) and *label set to the
 * name for messages ("<stdin>" for "-"), or DEID_E_IO with err filled. */
deid_status cli_open_input(const char *name, int *fd, const char **label, deid_error *err);
/* Prints text on stdout; returns 0, or 5 if stdout fails. */
int cli_print_help(const char *text);

/* cli_signals.c: registers the library's temporary files on a list and
 * catches SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT, SIGUSR1 and SIGUSR2
 * to remove them before dying of the signal. Call first in main. */
void cli_signals_install(void);
/* Frees the list (every temporary file is gone by then). Call last. */
void cli_temps_release(void);

/* cli_progress.c: options shared by the streaming commands. */
/* The CPUs this process may run on (its affinity mask; online CPUs if that
 * cannot be read), at least 1, at most DEID_MAX_THREADS. */
unsigned cli_default_threads(void);
/* "N" with 1 <= N <= DEID_MAX_THREADS into *out; 0, or -1 if it is not. */
int cli_parse_threads(const char *arg, unsigned *out);
/* "N", "NK", "NM" or "NG" bytes, 1 <= value <= max, into *out; 0, or -1. */
int cli_parse_size(const char *arg, size_t max, size_t *out);
/* --sensitive-empty's "value" or "ignore" into *out; 0, or -1 if neither. */
int cli_parse_sensitive_empty(const char *arg, deid_sensitive_empty *out);

enum { CLI_PROGRESS_AUTO, CLI_PROGRESS_ON, CLI_PROGRESS_OFF };
typedef struct cli_progress {
    int on, tty, printed, pass, have_latest;
    int passes;                /* the passes the command makes: "pass N/M" only when above 1 */
    deid_progress latest;      /* the last report, for the final line */
    uint64_t total;            /* input bytes, when every input is a regular file; else 0 */
    double start, last, pass_start;
} cli_progress;
/* getopt_long codes of the shared options, and their table entries. */
enum {
    CLI_OPT_THREADS = 'j', CLI_OPT_VERBOSE = 'v', CLI_OPT_CHUNK = 1000, CLI_OPT_PROGRESS,
    CLI_OPT_NO_PROGRESS, CLI_OPT_MEMORY, CLI_OPT_ENCODING, CLI_OPT_OUT_ENCODING, CLI_OPT_BOM,
    CLI_OPT_MODE, CLI_OPT_LOG_FORMAT
};
#define CLI_STREAM_LONGOPTS                                                                 \
    {"threads", required_argument, NULL, CLI_OPT_THREADS},                                  \
        {"verbose", no_argument, NULL, CLI_OPT_VERBOSE},                                    \
        {"chunk-size", required_argument, NULL, CLI_OPT_CHUNK},                             \
        {"progress", no_argument, NULL, CLI_OPT_PROGRESS},                                  \
        {"no-progress", no_argument, NULL, CLI_OPT_NO_PROGRESS},                            \
        {"memory", required_argument, NULL, CLI_OPT_MEMORY},                                \
        {"encoding", required_argument, NULL, CLI_OPT_ENCODING},                            \
        {"log-format", required_argument, NULL, CLI_OPT_LOG_FORMAT}
/* The output's encoding and -o's file mode, for the commands that write
 * CSV (run, reverse). */
#define CLI_OUTPUT_ENCODING_LONGOPTS                                                        \
    {"output-encoding", required_argument, NULL, CLI_OPT_OUT_ENCODING},                     \
        {"bom", no_argument, NULL, CLI_OPT_BOM},                                            \
        {"mode", required_argument, NULL, CLI_OPT_MODE}
#define CLI_OUTPUT_ENCODING_HELP                                                            \
    "      --output-encoding E   write utf-8 (default: the rules' output line), cp949 or\n"  \
    "                            euc-kr; a value E cannot hold is exit 4\n"                 \
    "      --bom                 start the output with a UTF-8 byte order mark (for Excel)\n" \
    "      --mode MODE           -o's file mode in octal, e.g. 0640 (default 0600: the\n"   \
    "                            output is personal data until proven otherwise)\n"
/* The options' help lines. */
#define CLI_STREAM_HELP                                                                     \
    "  -j, --threads N           worker threads (default: the number of CPUs); the output\n" \
    "                            is the same bytes for any N\n"                              \
    "      --chunk-size N[K|M]   input per chunk handed to a thread (default 512K)\n"       \
    "      --memory N[K|M|G]     memory budget of the tables and of the two-pass\n"      \
    "                            techniques' values (default: half of RAM or of a lower\n" \
    "                            process limit); exit 5 when reached\n"                   \
    "      --progress            progress on stderr (default: only when it is a terminal)\n" \
    "      --no-progress         no progress\n"                                            \
    "  -v, --verbose             say on stderr how the input is worked on (threads, chunk size)\n" \
    "      --encoding E          input encoding: auto (default: the rules' input line, else\n" \
    "                            auto), utf-8, cp949 or euc-kr\n"                           \
    "      --log-format F        stderr as text (default) or json: one JSON object a line\n" \
    "                            (progress, message, error, summary) with a UTC timestamp\n"
/* The shared options' values. */
typedef struct cli_stream_opts {
    unsigned threads;          /* cli_default_threads() unless -j */
    size_t chunk_bytes;        /* 0: the library's default */
    size_t memory_bytes;       /* 0: the library's default (deid_default_memory) */
    int progress_mode;         /* CLI_PROGRESS_* */
    int verbose;
    deid_encoding encoding;    /* --encoding; DEFAULT: the rules' */
    deid_encoding out_encoding; /* --output-encoding; DEFAULT: the rules' */
    int bom;                   /* --bom */
    int mode;                  /* --mode: -o's permission bits; -1: the library's 0600 */
} cli_stream_opts;
/* Defaults: threads from the CPUs this process may use, progress AUTO. */
void cli_stream_defaults(cli_stream_opts *o);
/* Handles option c (with arg) if it is one of the shared ones: returns 1
 * (handled), 0 (not one of them) or the usage error's exit code. */
int cli_stream_option(int c, const char *arg, const char *usage, cli_stream_opts *o);
/* With --verbose: "deid: COMMAND: N worker threads, chunks of S" on stderr,
 * so batch logs show what a run used (the default follows the CPU
 * affinity mask, e.g. under taskset or a scheduler's CPU binding). */
void cli_stream_describe(const cli_stream_opts *o, const char *command);
/* mode: AUTO shows progress when stderr is a terminal. */
void cli_progress_init(cli_progress *p, int mode, char *const *inputs, int n_inputs);
/* A deid_progress_fn (ctx = the cli_progress). */
void cli_progress_update(void *ctx, const deid_progress *d);
/* Clears the progress line (terminal) before other messages, or prints
 * the final totals (log). */
void cli_progress_end(cli_progress *p);

/* cli_log.c: stderr as text (default) or JSON lines (--log-format=json,
 * README "Logs for batch jobs"). */
/* Starts the command's log: its name (static), the clock for the
 * summary's duration, and JSON mode when argv holds --log-format=json
 * before any "--" (so that usage errors are JSON lines too). */
void cli_log_begin(const char *command, int argc, char **argv);
/* "text" 0, "json" 1, anything else -1. */
int cli_log_parse_format(const char *arg);
/* Turns JSON mode on: from now on every line written to stderr is a
 * "message" event. */
void cli_log_set_json(void);
/* 1 in JSON mode, else 0. */
int cli_log_json(void);
/* -q: no summary event. */
void cli_log_quiet(void);
/* The job's counts for the summary (copied; columns dropped). */
void cli_log_counts(const deid_counts *counts);
/* The last progress report (copied): the summary's records and bytes for
 * commands that give no counts. */
void cli_log_progress_seen(const deid_progress *d);
/* The run's JSON report (borrowed; a compacted copy is kept) for the
 * summary event's "report". */
void cli_log_report(const char *json);
/* An error: "deid: message" (text), or an "error" event with status. */
void cli_log_error(int status, const char *message);
/* Ends the log: in JSON mode the "summary" event (exit status, duration,
 * records, bytes, records/s, bytes/s) unless -q. */
void cli_log_end(int status);
/* One JSON event built by hand: begin (time, event, command), add
 * fields with fprintf(e.f, ", \"key\": ...") or cli_log_event_string,
 * end writes it as one line. begin returns 0, or -1 out of memory. */
typedef struct cli_log_event {
    FILE *f;
    char *buf;
    size_t len;
} cli_log_event;
int cli_log_event_begin(cli_log_event *e, const char *event);
void cli_log_event_string(cli_log_event *e, const char *key, const char *value);
void cli_log_event_end(cli_log_event *e);

extern const char cli_usage_run[];
int cli_run(int argc, char **argv);
int cli_check(int argc, char **argv);
extern const char cli_usage_reverse[];
int cli_reverse(int argc, char **argv);
extern const char cli_usage_plan[];
int cli_plan(int argc, char **argv);
/* cli_verify.c: `deid verify`. */
extern const char cli_usage_verify[];
int cli_verify(int argc, char **argv);
/* cli_shard.c: `deid split`, --range A:B (0, or -1 when malformed or
 * A > B), and a summary written to path ("-": stdout; else mode 0600
 * through a temporary file renamed into place) by write_summary(obj, fd). */
extern const char cli_usage_split[];
int cli_split(int argc, char **argv);
int cli_parse_range(const char *arg, uint64_t *from, uint64_t *to);
typedef deid_status (*cli_summary_fn)(const void *obj, int fd, deid_error *err);
deid_status cli_write_summary(const char *path, cli_summary_fn write_summary, const void *obj,
                              deid_error *err);
/* cli_shard.c: the sharded-run options of run and plan. */
typedef struct cli_shard_opts {
    const char *partial;      /* --partial OUT */
    const char *classes;      /* --classes MERGED (run) */
    int merge;                /* --merge: the arguments are summaries */
    int range_given, part_given;
    int sharded;              /* --sharded (run): the inputs are part files */
    uint64_t part, from, to;  /* --part N, --range A:B */
} cli_shard_opts;
/* One option (name without dashes: merge, partial, classes, part, range).
 * Returns 0 or an exit code after the message. */
int cli_shard_option(const char *name, const char *arg, const char *usage, cli_shard_opts *o);
/* Checks the options against the inputs and sets jo's sharded, partial
 * and part. Returns 0 or an exit code after the message. */
int cli_shard_check(cli_shard_opts *o, const char *usage, char *const *inputs, int n,
                    deid_job_options *jo);
/* Merges the summary files into the job (before any input). */
deid_status cli_shard_merge(deid_job *job, const char *const *paths, int n, deid_error *err);
/* Feeds the merged summaries' header as an input of no records. */
deid_status cli_shard_feed_header(deid_job *job, deid_error *err);
/* Feeds the inputs (or the one input's --range) through the job. */
deid_status cli_shard_feed(deid_job *job, const cli_shard_opts *o, char *const *inputs, int n,
                           int out_fd, deid_error *err);
/* cli_summary_fn for a job's summary. */
deid_status cli_shard_job_summary(const void *job, int fd, deid_error *err);
/* cli_scan.c: `deid scan`. */
extern const char cli_usage_scan[];
int cli_scan(int argc, char **argv);

#endif
