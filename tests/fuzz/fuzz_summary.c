/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_summary.c - summary files (deid check --merge) from arbitrary
 * bytes: a hostile summary must fail closed, never crash or half-count.
 *
 * Input: byte 0 = chunking seed, the rest = one summary file. It is
 * merged into a check of QIs a and b and sensitive column s (k=2, l=2,
 * t=0.5 required) in pieces of 1..64 bytes. When it is accepted, the
 * merged summary is written out and merged again: that must be accepted,
 * give the same report, and the same summary bytes (the written form is
 * canonical). A rejected file must be DEID_E_DATA or DEID_E_IO, never
 * anything else.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

static const char *const quasi[] = {"a", "b"};
static const char *const sens[] = {"s"};

static deid_check_options options(void)
{
    deid_check_options o;
    memset(&o, 0, sizeof o);
    o.quasi = quasi;
    o.n_quasi = 2;
    o.sensitive = sens;
    o.n_sensitive = 1;
    o.k = 2;
    o.l = 2;
    o.t = 0.5;
    o.show_classes = 3;
    o.memory_bytes = 64u << 20;
    return o;
}

/* Merges bytes as one summary; the check on success (NULL on refusal). */
static deid_check *merge(const uint8_t *data, size_t len, uint32_t seed, deid_status *st)
{
    deid_check_options o = options();
    deid_check *chk = NULL;
    deid_error err;
    if (deid_check_new(NULL, &o, &chk, &err) != DEID_OK)
        fuzz_die("summary: fixed options refused");
    *st = deid_check_merge_begin(chk, "fuzz.sum", &err);
    size_t at = 0;
    while (*st == DEID_OK && at < len) {
        size_t n = 1 + fuzz_next(&seed) % 64;
        if (n > len - at)
            n = len - at;
        *st = deid_check_merge_write(chk, data + at, n, &err);
        at += n;
    }
    if (*st == DEID_OK)
        *st = deid_check_merge_end(chk, &err);
    if (*st == DEID_OK)
        *st = deid_check_merge_finish(chk, &err);
    if (*st != DEID_OK) {
        deid_check_free(chk);
        return NULL;
    }
    return chk;
}

/* The merged summary's bytes (malloc'd), through a temporary file. */
static char *written(const deid_check *chk, size_t *len)
{
    FILE *f = tmpfile();
    deid_error err;
    if (!f || deid_check_write_summary(chk, fileno(f), &err) != DEID_OK)
        fuzz_die("summary: cannot write an accepted summary");
    long n = ftell(f) >= 0 ? lseek(fileno(f), 0, SEEK_END) : -1;
    char *buf = n > 0 ? malloc((size_t)n) : NULL;
    if (!buf || pread(fileno(f), buf, (size_t)n, 0) != n)
        fuzz_die("summary: cannot read the written summary back");
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static char *report(const deid_check *chk)
{
    char *text = NULL;
    deid_error err;
    if (deid_check_report_text(chk, &text, &err) != DEID_OK)
        fuzz_die("summary: no report of an accepted merge");
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint32_t seed = data[0];
    deid_status st;
    deid_check *chk = merge(data + 1, size - 1, seed, &st);
    if (!chk) {
        if (st != DEID_E_DATA && st != DEID_E_IO)
            fuzz_die("summary: refused with an unexpected status");
        return 0;
    }
    size_t len;
    char *text = written(chk, &len);
    char *first = report(chk);
    deid_check *again = merge((const uint8_t *)text, len, seed + 1, &st);
    if (!again)
        fuzz_die("summary: a written summary is refused");
    size_t len2;
    char *text2 = written(again, &len2);
    char *second = report(again);
    if (len != len2 || memcmp(text, text2, len))
        fuzz_die("summary: writing is not canonical");
    /* the reports differ only where they name the input */
    if (strcmp(strstr(first, "\nquasi"), strstr(second, "\nquasi")))
        fuzz_die("summary: a written summary gives another report");
    free(text);
    free(text2);
    free(first);
    free(second);
    deid_check_free(chk);
    deid_check_free(again);
    return 0;
}
