/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_progress.c - the options every streaming command shares: worker
 * threads, chunk size, log format, and the progress line on stderr
 * (records, MB/s, and percent and ETA when the input size is known), as
 * text or as a JSON "progress" event.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* Between two progress lines at least this long. */
#define PROGRESS_TTY_SECONDS 0.5
#define PROGRESS_LOG_SECONDS 5.0

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

unsigned cli_default_threads(void)
{
    /* The CPUs this process may run on (taskset, cgroup cpusets, a batch
     * scheduler's binding), not all the machine's: more workers than that
     * only take turns on the same CPUs. */
    cpu_set_t set;
    long n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set)
                                                          : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > DEID_MAX_THREADS ? DEID_MAX_THREADS : (unsigned)n;
}

int cli_parse_threads(const char *arg, unsigned *out)
{
    char *end;
    unsigned long n = strtoul(arg, &end, 10);
    if (end == arg || *end || arg[0] == '-' || n < 1 || n > DEID_MAX_THREADS)
        return -1;
    *out = (unsigned)n;
    return 0;
}

int cli_parse_size(const char *arg, size_t max, size_t *out)
{
    char *end;
    unsigned long long n = strtoull(arg, &end, 10);
    if (end == arg || arg[0] == '-')
        return -1;
    unsigned long long unit = 1;
    if (!strcmp(end, "K") || !strcmp(end, "k"))
        unit = 1024;
    else if (!strcmp(end, "M") || !strcmp(end, "m"))
        unit = 1024 * 1024;
    else if (!strcmp(end, "G") || !strcmp(end, "g"))
        unit = 1024 * 1024 * 1024;
    else if (*end)
        return -1;
    if (n == 0 || n > max / unit)
        return -1;
    *out = (size_t)(n * unit);
    return 0;
}

void cli_stream_defaults(cli_stream_opts *o)
{
    memset(o, 0, sizeof *o);
    o->threads = cli_default_threads();
    o->progress_mode = CLI_PROGRESS_AUTO;
    o->mode = -1;
}

void cli_stream_describe(const cli_stream_opts *o, const char *command)
{
    if (!o->verbose)
        return;
    size_t chunk = o->chunk_bytes ? o->chunk_bytes : DEID_DEFAULT_CHUNK_BYTES;
    char size[32];
    if (chunk % (1024 * 1024) == 0)
        snprintf(size, sizeof size, "%zuM", chunk / (1024 * 1024));
    else if (chunk % 1024 == 0)
        snprintf(size, sizeof size, "%zuK", chunk / 1024);
    else
        snprintf(size, sizeof size, "%zu bytes", chunk);
    fprintf(stderr, "deid: %s: %u worker thread%s, chunks of %s\n", command, o->threads,
            o->threads == 1 ? "" : "s", size);
}

int cli_stream_option(int c, const char *arg, const char *usage, cli_stream_opts *o)
{
    switch (c) {
    case CLI_OPT_THREADS:
        if (cli_parse_threads(arg, &o->threads) != 0)
            return cli_usage_error(usage, "--threads takes 1 to %d, not \"%s\"", DEID_MAX_THREADS,
                                   arg);
        return 1;
    case CLI_OPT_CHUNK:
        if (cli_parse_size(arg, DEID_MAX_CHUNK_BYTES, &o->chunk_bytes) != 0)
            return cli_usage_error(usage, "--chunk-size takes 1 to %uM bytes, not \"%s\"",
                                   DEID_MAX_CHUNK_BYTES >> 20, arg);
        return 1;
    case CLI_OPT_MEMORY:
        if (cli_parse_size(arg, SIZE_MAX, &o->memory_bytes) != 0)
            return cli_usage_error(usage, "--memory takes a size such as 512M or 4G, not \"%s\"",
                                   arg);
        return 1;
    case CLI_OPT_PROGRESS: o->progress_mode = CLI_PROGRESS_ON; return 1;
    case CLI_OPT_NO_PROGRESS: o->progress_mode = CLI_PROGRESS_OFF; return 1;
    case CLI_OPT_VERBOSE: o->verbose = 1; return 1;
    case CLI_OPT_ENCODING:
    case CLI_OPT_OUT_ENCODING: {
        int e = deid_encoding_from_name(arg);
        if (e < 0 || (c == CLI_OPT_OUT_ENCODING && e == DEID_ENCODING_AUTO))
            return cli_usage_error(usage, "%s takes %sutf-8, cp949 or euc-kr, not \"%s\"",
                                   c == CLI_OPT_ENCODING ? "--encoding" : "--output-encoding",
                                   c == CLI_OPT_ENCODING ? "auto, " : "", arg);
        *(c == CLI_OPT_ENCODING ? &o->encoding : &o->out_encoding) = (deid_encoding)e;
        return 1;
    }
    case CLI_OPT_BOM: o->bom = 1; return 1;
    case CLI_OPT_MODE: {
        /* octal permission bits only: no setuid, setgid or sticky bit */
        char *end;
        errno = 0;
        unsigned long m = strtoul(arg, &end, 8);
        if (!*arg || *end || errno || m > 0777 || strspn(arg, "01234567") != strlen(arg))
            return cli_usage_error(usage, "--mode takes octal permission bits 0000 to 0777, "
                                   "not \"%s\"", arg);
        o->mode = (int)m;
        return 1;
    }
    case CLI_OPT_LOG_FORMAT:
        switch (cli_log_parse_format(arg)) {
        case 1: cli_log_set_json(); return 1;
        case 0: return 1;
        default: return cli_usage_error(usage, "--log-format takes text or json, not \"%s\"", arg);
        }
    default: return 0;
    }
}

void cli_progress_init(cli_progress *p, int mode, char *const *inputs, int n_inputs)
{
    memset(p, 0, sizeof *p);
    /* JSON lines are for logs: never redrawn in place */
    p->tty = isatty(STDERR_FILENO) && !cli_log_json();
    p->passes = 1;
    p->on = mode == CLI_PROGRESS_ON || (mode == CLI_PROGRESS_AUTO && p->tty);
    p->start = p->last = now_seconds();
    p->total = 0;
    for (int i = 0; i < n_inputs; i++) {
        struct stat sb;
        if (!strcmp(inputs[i], "-") || stat(inputs[i], &sb) != 0 || !S_ISREG(sb.st_mode)) {
            p->total = 0; /* a pipe: no percent, no ETA */
            break;
        }
        p->total += (uint64_t)sb.st_size;
    }
}

/* Where the run is: percent of the input and the time left, when every
 * input is a regular file. On gzip input both count the compressed bytes
 * read against the files' sizes (exact, where the decompressed size is
 * not known before the end). Returns 0 when there is no such figure. */
static int where_in_input(const cli_progress *p, const deid_progress *d, double secs,
                          double *percent, double *eta)
{
    if (!p->total || d->raw_bytes > p->total)
        return 0;
    double raw_rate = secs > 0 ? (double)d->raw_bytes / secs : 0;
    *percent = 100.0 * (double)d->raw_bytes / (double)p->total;
    *eta = raw_rate > 0 ? (double)(p->total - d->raw_bytes) / raw_rate : 0;
    return 1;
}

static void print_json(cli_progress *p, const deid_progress *d, double secs)
{
    cli_log_event e;
    if (cli_log_event_begin(&e, "progress"))
        return;
    double percent, eta;
    fprintf(e.f, ", \"pass\": %d, \"passes\": %d, \"records\": %llu, \"bytes\": %llu", d->pass,
            p->passes > d->pass ? p->passes : d->pass, (unsigned long long)d->records,
            (unsigned long long)d->decoded_bytes);
    fprintf(e.f, ", \"input_bytes\": %llu, \"gzip\": %s, \"bytes_per_s\": %.1f",
            (unsigned long long)d->raw_bytes, d->gzip ? "true" : "false",
            secs > 0 ? (double)d->decoded_bytes / secs : 0.0);
    if (where_in_input(p, d, secs, &percent, &eta))
        fprintf(e.f, ", \"percent\": %.1f, \"eta_s\": %.0f", percent, eta);
    cli_log_event_end(&e);
}

/* "deid: [pass N/M: ]R records  X MB[ (Y MB gzip)]  Z MB/s[  P%[ of gzip]  ETA m:ss]":
 * megabytes and rate count the input after gzip decoding. */
static void print_line(cli_progress *p, const deid_progress *d, double t)
{
    double secs = t - p->pass_start;
    p->printed = 1;
    if (cli_log_json()) {
        print_json(p, d, secs);
        return;
    }
    double mb = (double)d->decoded_bytes / 1e6;
    double rate = secs > 0 ? mb / secs : 0;
    char pass[32] = "", gzip[48] = "", where[96] = "";
    double percent, eta;
    if (p->passes > 1 || d->pass > 1)
        snprintf(pass, sizeof pass, "pass %d/%d: ", d->pass,
                 p->passes > d->pass ? p->passes : d->pass);
    if (d->gzip)
        snprintf(gzip, sizeof gzip, " (%.1f MB gzip)", (double)d->raw_bytes / 1e6);
    if (where_in_input(p, d, secs, &percent, &eta))
        snprintf(where, sizeof where, "  %3.0f%%%s  ETA %d:%02d", percent, d->gzip ? " of gzip" : "",
                 (int)eta / 60, (int)eta % 60);
    fprintf(stderr, "%sdeid: %s%llu records  %.1f MB%s  %.1f MB/s%s%s", p->tty ? "\r" : "", pass,
            (unsigned long long)d->records, mb, gzip, rate, where, p->tty ? "\033[K" : "\n");
}

void cli_progress_update(void *ctx, const deid_progress *d)
{
    cli_progress *p = ctx;
    cli_log_progress_seen(d);
    if (!p->on)
        return;
    p->latest = *d;
    p->have_latest = 1;
    double t = now_seconds();
    if (d->pass != p->pass) {
        p->pass = d->pass;
        p->pass_start = t;
    }
    if (t - p->last < (p->tty ? PROGRESS_TTY_SECONDS : PROGRESS_LOG_SECONDS))
        return;
    p->last = t;
    print_line(p, d, t);
}

void cli_progress_end(cli_progress *p)
{
    /* On a terminal the summary or an error message starts on a clean
     * line; in a log the last line gives the totals. */
    if (p->on && p->tty && p->printed)
        fputs("\r\033[K", stderr);
    else if (p->on && !p->tty && p->have_latest)
        print_line(p, &p->latest, now_seconds());
}

int cli_parse_sensitive_empty(const char *arg, deid_sensitive_empty *out)
{
    if (!strcmp(arg, "value"))
        *out = DEID_SENSITIVE_EMPTY_VALUE;
    else if (!strcmp(arg, "ignore"))
        *out = DEID_SENSITIVE_EMPTY_IGNORE;
    else
        return -1;
    return 0;
}
