/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_job.c - a whole run (deid_job_*) end to end with a fixed rule set
 * that uses most transforms, on arbitrary input bytes (plain or gzip).
 *
 * Input: byte 0 = options, byte 1 = chunking seed, the rest = the input.
 *   bit 0  gzip output (bit 1: level 1, else the default)
 *   bit 2  hash_io, and the processing record (JSON, Markdown)
 *   bit 3  privacy rules: QIs age and zip, k=2, suppress max=60% (two passes)
 *   bit 4  the output delimiter is ';'
 *   bit 5  the second run (below) has 1 thread (the chunked serial path)
 *          instead of 2 worker threads
 *   bit 6  with bit 3: cell suppression (how=cell order=zip) over QIs age,
 *          zip and sex, instead of record suppression
 *   bit 7  sex is shuffled within zip (a two-pass technique; with bit 3,
 *          three passes: the privacy pass on the shuffled records)
 * Each input runs twice, on the caller's thread in one chunk and with
 * worker threads in chunks of 1..97 bytes: same status, same failing
 * record and line, same output bytes (fuzz_job_diff).
 * The rules follow rules/customers.rules with the fuzz folder's key,
 * hierarchy (h.csv) and a token vault there; columns without a rule are
 * kept, so any header is accepted.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

static const char rules_base[] =
    "purpose \"fuzz\"\nrecipient \"lab\"\n"
    "input delimiter=, header=yes\n"
    "key main file=k.key\n"
    "default keep\n"
    "column id hash key=main\n"
    "column name mask keep-first=1\n"
    "column rrn fpe key=main alphabet=digits\n"
    "column phone hash key=main normalize=digits\n"
    "column email token vault=v.csv\n"
    "column enc encrypt key=main\n"
    "column birth date to=year on-error=suppress\n"
    "column age range width=10\n"
    "column zip prefix 3\n"
    "column address words keep=2\n"
    "column income round to=1000000\n"
    "column job hierarchy file=h.csv level=1 on-error=blank\n"
    "column nick map file=m.csv on-error=blank\n"
    "column memo drop\n"
    "add person_key hash key=main from=name,birth,phone\n";

/* a two-pass technique, alone or (with a privacy line) in three passes */
static const char rules_group[] = "column sex shuffle key=main within=zip\n";
static const char rules_privacy[] = "quasi age,zip\nrequire k=2\nsuppress max=60%\n";
static const char rules_cells[] =
    "quasi age,zip,sex\nrequire k=2\nsuppress max=60% how=cell order=zip\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned opt = data[0];
    const char *dir = fuzz_tmpdir();
    /* parsed for every input: a token vault keeps its pairs while open */
    char text[sizeof rules_base + sizeof rules_group + sizeof rules_cells];
    const char *privacy = !(opt & 8) ? "" : (opt & 0x40) ? rules_cells : rules_privacy;
    int n = snprintf(text, sizeof text, "%s%s%s", rules_base, (opt & 0x80) ? rules_group : "",
                     privacy);
    deid_rules *r = NULL;
    deid_error err;
    if (deid_rules_parse(text, (size_t)n, "fuzz.rules", dir, &r, &err) != DEID_OK) {
        char msg[2048];
        deid_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
        fuzz_die("job: fixed rules do not parse");
    }
    deid_job_options o;
    memset(&o, 0, sizeof o);
    o.tmpdir = dir;
    o.gzip_out = opt & 1;
    o.gzip_level = (opt & 2) ? 1 : 0;
    o.hash_io = (opt & 4) != 0;
    o.out_delimiter = (opt & 0x10) ? ';' : 0;
    fuzz_job_diff(r, &o, data + 2, size - 2, data[1] | ((uint32_t)size << 8), 1 + data[1] % 200u,
                  (opt & 0x20) ? 1 : 2, 1 + (data[1] ^ (uint8_t)size) % 97u);
    deid_rules_free(r);
    /* the vault the run saved */
    fuzz_clean(0);
    return 0;
}
