/* SPDX-License-Identifier: Apache-2.0 */
/*
 * link_public.c - a program using the library as an outsider would: only
 * deid.h (and deid_limits.h through it), linked against libdeid.a or
 * libdeid.so (tests/lib/symbols.sh builds and runs it both ways). Masks a
 * two-record CSV through the buffer API and checks the bytes.
 */
#include <stdio.h>
#include <string.h>

#include "deid.h"

int main(void)
{
    static const char rules_text[] = "column name mask keep-first=1\n";
    static const char input[] = "name\nabc\nxy\n";
    static const char want[] = "name\na**\nx*\n";
    char out[256];
    size_t n = 0;
    deid_rules *rules = NULL;
    deid_job *job = NULL;
    deid_error err;
    if (DEID_MAX_THREADS < 1 || DEID_MAX_CHUNK_BYTES < DEID_DEFAULT_CHUNK_BYTES)
        return 1;
    if (deid_rules_parse(rules_text, strlen(rules_text), "t.rules", NULL, &rules, &err) ||
        deid_job_new(rules, NULL, &job, &err) || deid_job_begin_input(job, "in.csv", &err) ||
        deid_job_write(job, input, strlen(input), &err) || deid_job_end_input(job, &err) ||
        deid_job_finish(job, &err)) {
        fprintf(stderr, "link_public: %s\n", err.message);
        return 1;
    }
    n = deid_job_read(job, out, sizeof out - 1);
    out[n] = '\0';
    deid_job_free(job);
    deid_rules_free(rules);
    if (strcmp(out, want) != 0) {
        fprintf(stderr, "link_public: unexpected output \"%s\"\n", out);
        return 1;
    }
    return 0;
}
