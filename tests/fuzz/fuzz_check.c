/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_check.c - `deid check` (deid_check_*) on arbitrary CSV, with the
 * text and JSON reports.
 *
 * Input: byte 0 = options, byte 1 = chunking seed, the rest = CSV bytes.
 *   bits 0-1  delimiter: , ; | tab
 *   bit 2     no header (columns #1 #2 #3 #4)
 *   bit 3     entropy l-diversity (else distinct)
 *   bit 4     the sensitive column s is also `ordered`
 *   bit 5     a second sensitive column t
 *   bit 6     show the 3 smallest classes
 *   bit 7     the second run (below) has 1 thread instead of 2
 * QIs are a and b, s (and t) sensitive, with k=2, l=2 and t=0.5 required.
 * Each input runs twice, on the caller's thread in one chunk and with
 * worker threads in chunks of 1..89 bytes: the status, the failing record
 * and line, and both reports must be the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

/* One check over csv; the reports go to *text and *json (NULL when it
 * failed), the error to *e. */
static deid_status run(const deid_check_options *o, const uint8_t *csv, size_t len, uint32_t seed,
                       size_t max_chunk, char **text, char **json, deid_error *e)
{
    deid_error err;
    deid_check *chk = NULL;
    if (deid_check_new(NULL, o, &chk, &err) != DEID_OK)
        fuzz_die("check: fixed options refused");
    deid_status st = deid_check_begin_input(chk, "fuzz.csv", &err);
    size_t at = 0;
    while (st == DEID_OK && at < len) {
        size_t n = 1 + fuzz_next(&seed) % max_chunk;
        if (n > len - at)
            n = len - at;
        st = deid_check_write(chk, csv + at, n, &err);
        at += n;
    }
    if (st == DEID_OK)
        st = deid_check_end_input(chk, &err);
    if (st == DEID_OK)
        st = deid_check_finish(chk, &err);
    if (st == DEID_OK) {
        (void)deid_check_met(chk);
        if (deid_check_report_text(chk, text, &err) != DEID_OK)
            *text = NULL;
        if (deid_check_report_json(chk, json, &err) != DEID_OK)
            *json = NULL;
        /* two runs compare equal but for the second they were written in */
        char *when = *json ? strstr(*json, "\"generated_at\": \"") : NULL;
        if (when)
            memset(when + 17, '0', 20);
        memset(&err, 0, sizeof err);
    } else {
        fuzz_note(&err);
    }
    *e = err;
    deid_check_free(chk);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int delims[4] = {',', ';', '|', '\t'};
    static const char *const named[4] = {"a", "b", "s", "t"};
    static const char *const numbered[4] = {"#1", "#2", "#3", "#4"};
    if (size < 2)
        return 0;
    unsigned opt = data[0];
    uint32_t seed = data[1] | ((uint32_t)size << 8);
    size_t max_chunk = 1 + data[1] % 128;
    const uint8_t *csv = data + 2;
    size_t len = size - 2;
    const char *const *names = (opt & 4) ? numbered : named;

    deid_check_options o;
    memset(&o, 0, sizeof o);
    o.quasi = names;
    o.n_quasi = 2;
    o.sensitive = names + 2;
    o.n_sensitive = (opt & 0x20) ? 2 : 1;
    o.ordered = names + 2;
    o.n_ordered = (opt & 0x10) ? 1 : 0;
    o.k = 2;
    o.l = 2;
    o.l_entropy = (opt & 8) != 0;
    o.t = 0.5;
    o.delimiter = delims[opt & 3];
    o.no_header = (opt & 4) != 0;
    o.show_classes = (opt & 0x40) ? 3 : 0;

    char *ta = NULL, *ja = NULL;
    deid_error ea;
    deid_status sa = run(&o, csv, len, seed, max_chunk, &ta, &ja, &ea);
    o.threads = (opt & 0x80) ? 1 : 2;
    o.chunk_bytes = 1 + (data[1] ^ (uint8_t)size) % 89u;
    char *tb = NULL, *jb = NULL;
    deid_error eb;
    deid_status sb = run(&o, csv, len, seed, max_chunk, &tb, &jb, &eb);
    /* with gzip input both fail or neither (fuzz_job_diff says why) */
    int gz = len >= 2 && csv[0] == 0x1f && csv[1] == 0x8b;
    if (gz ? (sa == DEID_OK) != (sb == DEID_OK)
           : sa != sb || (sa != DEID_OK && (ea.record != eb.record || ea.line != eb.line)))
        fuzz_die("check: threads/chunks end with a different status or place");
    if ((ta == NULL) != (tb == NULL) || (ta && strcmp(ta, tb)) || (ja == NULL) != (jb == NULL) ||
        (ja && strcmp(ja, jb)))
        fuzz_die("check: threads/chunks give a different report");
    free(ta);
    free(tb);
    free(ja);
    free(jb);
    return 0;
}
