/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_hierarchy.c - the hierarchy file loader (xf_hierarchy.c through
 * lookup_file.c and csv_in) and the hierarchy transform over data.
 *
 * Input: byte 0 = options, then the hierarchy file; if the rest holds a
 * line "--", what follows it is the data to transform, else the file
 * itself is (so every row's first value is found).
 *   bits 0-2  level: 0..6, or 7 = level=auto (with quasi/require/suppress,
 *             so the plan search walks the whole ladder)
 *   bit 3     add `require k=2` also for a fixed level (two passes)
 *   bit 4     the data has a header row (header=yes, column name v)
 * The file is written to the fuzz folder and named in rules text; the job
 * runs with `;` as delimiter, like the ARX hierarchy files.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned opt = data[0];
    const uint8_t *file = data + 1;
    size_t file_len = size - 1;
    const uint8_t *in = file;
    size_t in_len = file_len;
    for (size_t i = 0; i + 4 <= file_len; i++)
        if (!memcmp(file + i, "\n--\n", 4)) {
            in = file + i + 4;
            in_len = file_len - i - 4;
            file_len = i + 1;
            break;
        }
    const char *dir = fuzz_tmpdir();
    fuzz_write_file("f.csv", file, file_len, 0600);

    unsigned level = opt & 7;
    int header = (opt & 0x10) != 0;
    const char *col = header ? "v" : "#1";
    char text[512];
    char lv[8];
    snprintf(lv, sizeof lv, "%u", level);
    int n = snprintf(text, sizeof text,
                     "input delimiter=; header=%s\ndefault keep\n"
                     "column %s hierarchy file=f.csv level=%s\n%s%s%s",
                     header ? "yes" : "no", col, level == 7 ? "auto" : lv,
                     level == 7 || (opt & 8) ? "quasi " : "", level == 7 || (opt & 8) ? col : "",
                     level == 7 || (opt & 8) ? "\nrequire k=2\nsuppress max=100%\n" : "");
    deid_rules *r = NULL;
    deid_error err;
    if (deid_rules_parse(text, (size_t)n, "fuzz.rules", dir, &r, &err) == DEID_OK) {
        char *desc = NULL;
        if (deid_rules_describe(r, &desc, &err) == DEID_OK)
            free(desc);
        deid_job_options o;
        memset(&o, 0, sizeof o);
        o.tmpdir = dir;
        fuzz_run_job(r, &o, in, in_len, (uint32_t)size, 256, NULL);
        deid_rules_free(r);
    } else {
        fuzz_note(&err);
    }
    fuzz_clean(0);
    return 0;
}
