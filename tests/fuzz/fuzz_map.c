/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_map.c - the map file loader (xf_map.c through lookup_file.c and
 * csv_in) and the map transform over data.
 *
 * Input: byte 0 = options, then the map file (original,replacement rows);
 * if the rest holds a line "--", what follows it is the data to
 * transform, else the file itself is (so every original is found).
 *   bit 0  the data has a header row (header=yes, column name v)
 *   bit 1  the column is also a QI with `require k=2` (two passes)
 * The file is written to the fuzz folder and named in rules text.
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

    int header = (opt & 1) != 0;
    const char *col = header ? "v" : "#1";
    char text[512];
    int n = snprintf(text, sizeof text,
                     "input header=%s\ndefault keep\ncolumn %s map file=f.csv\n%s%s%s",
                     header ? "yes" : "no", col, (opt & 2) ? "quasi " : "", (opt & 2) ? col : "",
                     (opt & 2) ? "\nrequire k=2\nsuppress max=100%\n" : "");
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
