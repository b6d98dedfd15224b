/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_rules.c - the rules parser on arbitrary text.
 *
 * The input is rules text, parsed with the fuzz folder as base_dir (so
 * `key k file=k.key`, `hierarchy file=h.csv` and `map file=m.csv` load;
 * see fuzz_common.h; text with '/' is skipped). On success the plan is
 * described, and a job and a checker are made from the rules and freed;
 * on failure the error is formatted. Nothing is run over data here
 * (fuzz_transform and fuzz_job do that).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_rules_safe(data, size))
        return 0;
    const char *dir = fuzz_tmpdir();
    deid_rules *r = NULL;
    deid_error err;
    char msg[2048];
    deid_status st = deid_rules_parse((const char *)data, size, "fuzz.rules", dir, &r, &err);
    if (st != DEID_OK) {
        if (r)
            fuzz_die("rules: failed parse left a rule set");
        if (st != DEID_E_RULES && st != DEID_E_IO && st != DEID_E_USAGE)
            fuzz_die("rules: unexpected status");
        fuzz_note(&err);
        size_t need = deid_error_format(&err, msg, sizeof msg);
        if (need == 0 || !memchr(msg, '\0', sizeof msg))
            fuzz_die("rules: empty or unterminated error message");
        fuzz_clean(0);
        return 0;
    }
    char *text = NULL;
    if (deid_rules_describe(r, &text, &err) == DEID_OK) {
        if (!text)
            fuzz_die("rules: describe gave no text");
        free(text);
    }
    (void)deid_rules_record_file(r);
    deid_job_options o;
    memset(&o, 0, sizeof o);
    o.tmpdir = dir;
    deid_job *job = NULL;
    if (deid_job_new(r, &o, &job, &err) == DEID_OK)
        deid_job_free(job);
    deid_check *chk = NULL;
    if (deid_check_new(r, NULL, &chk, &err) == DEID_OK)
        deid_check_free(chk);
    deid_rules_free(r);
    fuzz_clean(0);
    return 0;
}
