/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_log.c - what the streaming commands say on stderr, as text (the
 * default) or, with --log-format=json, as JSON lines for batch logs: one
 * object per event (progress, error, message, summary), each with a UTC
 * RFC 3339 timestamp, the command, and the run's exit status in the
 * summary and in every error.
 *
 * In JSON mode stderr itself is replaced by a stream that turns each line
 * written to it into a "message" event, so that no message anywhere in
 * the CLI can break the log's format; errors and progress are written as
 * their own events through cli_log_event_*.
 */
#define _GNU_SOURCE /* fopencookie */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* A message line longer than this is cut into several events. */
#define LOG_LINE_MAX 4096

static struct {
    int json, quiet, have_counts, have_progress;
    const char *command;
    double start;
    FILE *real_stderr;          /* the process's stderr, while stderr is the line stream */
    char line[LOG_LINE_MAX];    /* a message line not yet ended by '\n' */
    size_t line_len;
    deid_counts counts;         /* the job's, when the command gave them */
    deid_progress progress;     /* the last progress report */
    char *report;               /* the run's JSON report, compacted; owned */
} log_state;

static double monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes s as a JSON string: quotes, backslashes and control characters
 * escaped, and any byte that is not part of valid UTF-8 (a file name in
 * another encoding) as U+FFFD, so that every line parses. */
static void put_json_string(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', f);
    while (*p) {
        unsigned c = *p;
        if (c == '"' || c == '\\') {
            fprintf(f, "\\%c", c);
            p++;
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(f, "\\u%04x", c);
            p++;
        } else if (c < 0x80) {
            fputc((int)c, f);
            p++;
        } else {
            size_t n = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
            size_t ok = n;
            for (size_t i = 1; i < n; i++)
                if ((p[i] & 0xc0) != 0x80)
                    ok = 0;
            /* no overlong three- and four-byte forms, no surrogates, nothing past U+10FFFF */
            if (ok == 3 && ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0)))
                ok = 0;
            if (ok == 4 && ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90)))
                ok = 0;
            if (ok) {
                fwrite(p, 1, ok, f);
                p += ok;
            } else {
                fputs("\\ufffd", f);
                p++;
            }
        }
    }
    fputc('"', f);
}

/* Writes the finished line buf[0..len) to the real stderr in one write. */
static void write_line(const char *buf, size_t len)
{
    FILE *f = log_state.real_stderr ? log_state.real_stderr : stderr;
    fwrite(buf, 1, len, f);
    fflush(f);
}

int cli_log_event_begin(cli_log_event *e, const char *event)
{
    e->buf = NULL;
    e->len = 0;
    if (!(e->f = open_memstream(&e->buf, &e->len)))
        return -1;
    struct timespec ts;
    struct tm tm;
    char when[32];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(e->f, "{\"time\": \"%s.%03ldZ\", \"event\": ", when, ts.tv_nsec / 1000000);
    put_json_string(e->f, event);
    fputs(", \"command\": ", e->f);
    put_json_string(e->f, log_state.command ? log_state.command : "deid");
    return 0;
}

void cli_log_event_string(cli_log_event *e, const char *key, const char *value)
{
    fprintf(e->f, ", \"%s\": ", key);
    put_json_string(e->f, value);
}

void cli_log_event_end(cli_log_event *e)
{
    fputs("}\n", e->f);
    if (fclose(e->f) == 0 && e->buf)
        write_line(e->buf, e->len);
    free(e->buf);
    e->f = NULL;
    e->buf = NULL;
}

/* One "message" event per line written to stderr in JSON mode. */
static void flush_message_line(void)
{
    if (!log_state.line_len)
        return;
    log_state.line[log_state.line_len] = '\0';
    log_state.line_len = 0;
    const char *text = log_state.line;
    if (!strncmp(text, "deid: ", 6))
        text += 6;
    cli_log_event e;
    if (cli_log_event_begin(&e, "message"))
        return;
    cli_log_event_string(&e, "message", text);
    cli_log_event_end(&e);
}

static ssize_t line_stream_write(void *cookie, const char *data, size_t size)
{
    (void)cookie;
    for (size_t i = 0; i < size; i++) {
        if (data[i] == '\n' || log_state.line_len == LOG_LINE_MAX - 1)
            flush_message_line();
        if (data[i] != '\n' && data[i] != '\r')
            log_state.line[log_state.line_len++] = data[i];
    }
    return (ssize_t)size;
}

int cli_log_parse_format(const char *arg)
{
    if (!strcmp(arg, "text"))
        return 0;
    if (!strcmp(arg, "json"))
        return 1;
    return -1;
}

void cli_log_set_json(void)
{
    if (log_state.json)
        return;
    cookie_io_functions_t io = {NULL, line_stream_write, NULL, NULL};
    fflush(stderr);
    FILE *lines = fopencookie(NULL, "w", io);
    if (!lines)
        return; /* stays text: better a readable log than none */
    setvbuf(lines, NULL, _IONBF, 0);
    log_state.real_stderr = stderr;
    stderr = lines;
    log_state.json = 1;
}

int cli_log_json(void)
{
    return log_state.json;
}

void cli_log_begin(const char *command, int argc, char **argv)
{
    memset(&log_state, 0, sizeof log_state);
    log_state.command = command;
    log_state.start = monotonic_seconds();
    /* Looked for before the options are parsed, so that a usage error
     * in any of them is already a JSON line; the option parser checks
     * the value again and refuses a bad one. */
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
        const char *value = NULL;
        if (!strncmp(argv[i], "--log-format=", 13))
            value = argv[i] + 13;
        else if (!strcmp(argv[i], "--log-format") && i + 1 < argc)
            value = argv[i + 1];
        if (value && cli_log_parse_format(value) == 1)
            cli_log_set_json();
    }
}

void cli_log_quiet(void)
{
    log_state.quiet = 1;
}

void cli_log_counts(const deid_counts *counts)
{
    if (!counts)
        return;
    log_state.counts = *counts;
    log_state.counts.columns = NULL; /* the job's; gone after the command */
    log_state.have_counts = 1;
}

void cli_log_progress_seen(const deid_progress *d)
{
    log_state.progress = *d;
    log_state.have_progress = 1;
}

void cli_log_report(const char *json)
{
    /* The report is indented over many lines; a JSON string never holds
     * a raw line feed, so dropping each line feed and the indentation
     * after it leaves the same document on one line. */
    free(log_state.report);
    log_state.report = malloc(strlen(json) + 1);
    if (!log_state.report)
        return;
    char *out = log_state.report;
    for (const char *p = json; *p; p++) {
        if (*p == '\n') {
            while (p[1] == ' ')
                p++;
            continue;
        }
        *out++ = *p;
    }
    while (out > log_state.report && out[-1] == ' ')
        out--;
    *out = '\0';
}

void cli_log_error(int status, const char *message)
{
    if (!log_state.json) {
        fprintf(stderr, "deid: %s\n", message);
        return;
    }
    fflush(stderr);
    flush_message_line();
    cli_log_event e;
    if (cli_log_event_begin(&e, "error"))
        return;
    fprintf(e.f, ", \"status\": %d", status);
    cli_log_event_string(&e, "message", message);
    cli_log_event_end(&e);
}

void cli_log_end(int status)
{
    if (!log_state.json) {
        free(log_state.report);
        log_state.report = NULL;
        return;
    }
    fflush(stderr);
    flush_message_line();
    if (!log_state.quiet) {
        double secs = monotonic_seconds() - log_state.start;
        uint64_t records = log_state.have_counts ? log_state.counts.records_read
                                                 : log_state.progress.records;
        uint64_t bytes = log_state.have_counts ? log_state.counts.bytes_read
                                               : log_state.progress.decoded_bytes;
        cli_log_event e;
        if (!cli_log_event_begin(&e, "summary")) {
            fprintf(e.f, ", \"status\": %d, \"duration_s\": %.3f, \"records\": %llu, \"bytes\": %llu",
                    status, secs, (unsigned long long)records, (unsigned long long)bytes);
            if (log_state.have_counts)
                fprintf(e.f, ", \"records_written\": %llu, \"records_removed\": %llu",
                        (unsigned long long)log_state.counts.records_written,
                        (unsigned long long)log_state.counts.records_removed);
            fprintf(e.f, ", \"records_per_s\": %.1f, \"bytes_per_s\": %.1f",
                    secs > 0 ? (double)records / secs : 0.0, secs > 0 ? (double)bytes / secs : 0.0);
            if (log_state.report)
                fprintf(e.f, ", \"report\": %s", log_state.report);
            cli_log_event_end(&e);
        }
    }
    free(log_state.report);
    log_state.report = NULL;
}
