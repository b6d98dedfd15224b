/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_common.h - helpers shared by the fuzz targets (tests/fuzz/fuzz_*.c).
 *
 * Every target is built twice: with clang -fsanitize=fuzzer for `make fuzz`
 * and with the normal compiler plus replay.c for `make check`. Everything
 * here is static so that each target stays one translation unit.
 *
 * Files: a target gets one private folder made with mkdtemp under $TMPDIR
 * (or /tmp) the first time it asks, holding a 0600 key file (k.key) and a
 * small hierarchy (h.csv) and map (m.csv) that rules may name; anything
 * else an input makes there (token vaults, their lock files, a lookup file
 * written from the input) is removed after every input, and the folder
 * itself at exit. Rules text taken from the input is refused when it
 * contains '/', so every file name resolves inside that folder: no input
 * can make the library read a device or write anywhere else.
 */
#ifndef DEID_FUZZ_COMMON_H
#define DEID_FUZZ_COMMON_H

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deid.h"

#define FUZZ_KEY_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"

static char fuzz_dir[256];

static const char *const fuzz_fixed_files[] = {"k.key", "h.csv", "m.csv", NULL};

static inline void fuzz_die(const char *what)
{
    fprintf(stderr, "fuzz: %s\n", what);
    abort();
}

/* Formats err (as the CLI would); with FUZZ_DEBUG set in the environment
 * also prints it, to see how far a seed gets. */
static inline void fuzz_note(const deid_error *err)
{
    char msg[2048];
    deid_error_format(err, msg, sizeof msg);
    if (getenv("FUZZ_DEBUG"))
        fprintf(stderr, "fuzz: %s\n", msg);
}

static inline void fuzz_write_file(const char *name, const void *data, size_t len, mode_t mode)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", fuzz_dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        fuzz_die("cannot create a file in the fuzz folder");
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n <= 0)
            fuzz_die("cannot write a file in the fuzz folder");
        p += n;
        len -= (size_t)n;
    }
    close(fd);
}

/* Removes every entry of the fuzz folder but the fixed files (all = 1:
 * those too). The folder holds only plain files. */
static inline void fuzz_clean(int all)
{
    DIR *d = opendir(fuzz_dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        int fixed = 0;
        for (size_t i = 0; !all && fuzz_fixed_files[i]; i++)
            fixed |= !strcmp(e->d_name, fuzz_fixed_files[i]);
        if (!fixed)
            unlinkat(dirfd(d), e->d_name, 0);
    }
    closedir(d);
}

static inline void fuzz_remove_dir(void)
{
    if (!fuzz_dir[0])
        return;
    fuzz_clean(1);
    rmdir(fuzz_dir);
}

/* Makes the folder on first use and returns its path. */
static inline const char *fuzz_tmpdir(void)
{
    if (fuzz_dir[0])
        return fuzz_dir;
    const char *t = getenv("TMPDIR");
    if (!t || !t[0] || strlen(t) > 200)
        t = "/tmp";
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/deid-fuzz-XXXXXX", t);
    if (!mkdtemp(fuzz_dir))
        fuzz_die("mkdtemp failed");
    atexit(fuzz_remove_dir);
    fuzz_write_file("k.key", FUZZ_KEY_HEX, strlen(FUZZ_KEY_HEX), 0600);
    static const char hier[] = "a;x;*\nb;x;*\nc;y;*\n";
    fuzz_write_file("h.csv", hier, strlen(hier), 0600);
    static const char map[] = "a,A\nb,B\nc,C\n";
    fuzz_write_file("m.csv", map, strlen(map), 0600);
    return fuzz_dir;
}

/* 1 if rules text from the input may be parsed (see the header). */
static inline int fuzz_rules_safe(const uint8_t *text, size_t len)
{
    return memchr(text, '/', len) == NULL;
}

/* A small deterministic PRNG for chunk sizes (xorshift32). */
static inline uint32_t fuzz_next(uint32_t *s)
{
    uint32_t x = *s ? *s : 0x9E3779B9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* A growable byte buffer for output a target wants to look at. */
typedef struct fuzz_buf {
    char *p;
    size_t len, cap;
} fuzz_buf;

static inline void fuzz_buf_add(fuzz_buf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q)
            fuzz_die("out of memory in a fuzz buffer");
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

/* Takes everything pending from the job into out (NULL: throws it away). */
static inline void fuzz_drain(deid_job *job, fuzz_buf *out)
{
    char buf[4096];
    size_t n;
    while ((n = deid_job_read(job, buf, sizeof buf)) > 0)
        if (out)
            fuzz_buf_add(out, buf, n);
}

/* Feeds data to the job as one input in chunks of 1..max_chunk bytes drawn
 * from seed, draining after each write. */
static inline deid_status fuzz_feed(deid_job *job, const uint8_t *data, size_t len,
                                    uint32_t seed, size_t max_chunk, fuzz_buf *out,
                                    deid_error *err)
{
    deid_status st = deid_job_begin_input(job, "fuzz.csv", err);
    size_t at = 0;
    while (st == DEID_OK && at < len) {
        size_t n = 1 + fuzz_next(&seed) % max_chunk;
        if (n > len - at)
            n = len - at;
        st = deid_job_write(job, data + at, n, err);
        fuzz_drain(job, out);
        at += n;
    }
    if (st == DEID_OK)
        st = deid_job_end_input(job, err);
    fuzz_drain(job, out);
    return st;
}

/* Values the last fuzz_run_job could not handle plus records it removed:
 * 0 after a run in which every value went through its transform. */
static uint64_t fuzz_last_losses;
/* The error of the last fuzz_run_job (status DEID_OK after success). */
static deid_error fuzz_last_err;

/* Runs rules over data the way `deid run` does: one pass, or two with the
 * spool (next_pass, replay), fed in chunks of 1..max_chunk bytes drawn from
 * seed. Also renders the reports. The output goes to out (NULL: dropped).
 * Frees everything it made. */
static inline deid_status fuzz_run_job(const deid_rules *r, const deid_job_options *opt,
                                       const uint8_t *data, size_t len, uint32_t seed,
                                       size_t max_chunk, fuzz_buf *out)
{
    deid_error err;
    deid_job *job = NULL;
    deid_status st = deid_job_new(r, opt, &job, &err);
    if (st != DEID_OK) {
        fuzz_note(&err);
        return st;
    }
    st = fuzz_feed(job, data, len, seed, max_chunk, out, &err);
    /* every pass after the first replays the spool of the one before */
    for (int pass = 2; st == DEID_OK && pass <= deid_job_passes(job); pass++) {
        st = deid_job_next_pass(job, &err);
        deid_error scratch;
        char *t = NULL;
        if (deid_job_plan_text(job, &t, &scratch) == DEID_OK)
            free(t);
        t = NULL;
        if (deid_job_plan_json(job, &t, &scratch) == DEID_OK)
            free(t);
        int done = 0;
        while (st == DEID_OK && !done) {
            st = deid_job_replay(job, &done, &err);
            fuzz_drain(job, out);
        }
    }
    if (st == DEID_OK)
        st = deid_job_finish(job, &err);
    fuzz_drain(job, out);
    const deid_counts *c = deid_job_counts(job);
    fuzz_last_losses = c ? c->records_removed : 1;
    for (size_t i = 0; c && i < c->n_columns; i++)
        fuzz_last_losses += c->columns[i].errors;
    char *text = NULL;
    if (st == DEID_OK) {
        deid_error scratch;
        if (deid_job_summary_text(job, &text, &scratch) == DEID_OK)
            free(text);
        text = NULL;
        if (deid_job_report_json(job, &text, &scratch) == DEID_OK)
            free(text);
        if (opt && opt->hash_io) {
            (void)deid_job_output_sha256(job);
            text = NULL;
            if (deid_job_record_json(job, &text, &scratch) == DEID_OK)
                free(text);
            text = NULL;
            if (deid_job_record_markdown(job, &text, &scratch) == DEID_OK)
                free(text);
        }
        text = NULL;
        if (deid_job_reverse_note(job, &text, &scratch) == DEID_OK)
            free(text);
    }
    if (st != DEID_OK)
        fuzz_note(&err);
    else
        memset(&err, 0, sizeof err);
    err.status = st;
    fuzz_last_err = err;
    deid_job_free(job);
    return st;
}

/* The differential oracle for chunked, threaded runs: runs rules over data
 * once with opt as given (threads 0, one chunk) and once with threads
 * worker threads and chunks of about chunk_bytes; "the output is the same
 * bytes whatever the number" (deid.h), so both must end with the same
 * status at the same record and line (for gzip input: both fail or
 * neither, see below), and, without gzip output (whose members follow the
 * chunks), with the same output. Returns the first status. */
static inline deid_status fuzz_job_diff(const deid_rules *r, const deid_job_options *opt,
                                        const uint8_t *data, size_t len, uint32_t seed,
                                        size_t max_chunk, unsigned threads, size_t chunk_bytes)
{
    fuzz_buf a = {0}, b = {0};
    deid_job_options o = *opt;
    o.threads = 0;
    o.chunk_bytes = 0;
    deid_status sa = fuzz_run_job(r, &o, data, len, seed, max_chunk, &a);
    deid_error ea = fuzz_last_err;
    o.threads = threads;
    o.chunk_bytes = chunk_bytes;
    deid_status sb = fuzz_run_job(r, &o, data, len, seed, max_chunk, &b);
    deid_error eb = fuzz_last_err;
    /* A truncated or corrupt gzip input can hold other errors too (bad
     * data, a missing column): which surfaces first depends on how much was
     * inflated before parsing, that is on the chunk size, so there both
     * runs must only agree on failing. */
    int gz = len >= 2 && data[0] == 0x1f && data[1] == 0x8b;
    if (gz ? (sa == DEID_OK) != (sb == DEID_OK) : sa != sb)
        fuzz_die("threads/chunks: the runs end with different statuses");
    if (!gz && (ea.record != eb.record || ea.line != eb.line))
        fuzz_die("threads/chunks: the runs fail at different records or lines");
    if (sa == DEID_OK && !opt->gzip_out && (a.len != b.len || memcmp(a.p, b.p, a.len) != 0))
        fuzz_die("threads/chunks: the outputs differ");
    free(a.p);
    free(b.p);
    return sa;
}

#endif
