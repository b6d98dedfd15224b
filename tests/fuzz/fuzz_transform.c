/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_transform.c - every transform's argument parsing (compile) and
 * application (apply, apply_level, reverse) through the rules and a job.
 *
 * Input: byte 0 = the transform (fuzz_transform_pick: modulo the number
 * of transforms, so every one is reached), byte 1 = options, then one line
 * of parameters, then one value per line. Options:
 *   bits 0-3  unused (they chose the transform before there could be
 *             more than 16)
 *   bit 4     `add n <transform> from=v,c <params>` instead of
 *             `column v <transform> <params>`
 *   bit 5     the output column is a QI with `require k=2` and
 *             `suppress max=100%` (two passes; level=auto plans)
 *   bit 6     a successful run is reversed (deid reverse) with the same rules
 *   bit 7     ` on-error=blank` is appended, so one bad value does not end
 *             the run
 * The rules declare keys k and k2 (the fuzz folder's k.key) and keep a
 * column c (for context=c); h.csv and m.csv are there for hierarchy and
 * map. Each value becomes one quoted CSV field of column v, so every value
 * reaches the transform whatever bytes it holds. Parameter lines with '/'
 * are skipped (fuzz_common.h).
 *
 * The oracle: when a reversible transform (one with reverse) handled
 * every value of a run (no errors, nothing suppressed), reversing the
 * output must give back exactly the records that went in.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_in.h"
#include "fuzz_common.h"
#include "fuzz_transform_pick.h"
#include "textenc.h"
#include "transform.h"

/* The records of a CSV text, serialized (field lengths and bytes). */
static deid_status on_record(void *ctx, const csv_field *f, size_t n, unsigned long line,
                             deid_error *err)
{
    (void)line;
    (void)err;
    fuzz_buf *b = ctx;
    fuzz_buf_add(b, &n, sizeof n);
    for (size_t i = 0; i < n; i++) {
        fuzz_buf_add(b, &f[i].len, sizeof f[i].len);
        fuzz_buf_add(b, f[i].data, f[i].len);
    }
    return DEID_OK;
}

static void records_of(const char *text, size_t len, fuzz_buf *out)
{
    csv_in *in = csv_in_new(',', on_record, out);
    deid_error err;
    if (!in || csv_in_feed(in, text, len, &err) != DEID_OK || csv_in_finish(in, &err) != DEID_OK)
        fuzz_die("transform: a CSV text of the round trip does not parse");
    csv_in_free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned opt = data[1];
    const uint8_t *params = data + 2;
    const uint8_t *nl = memchr(params, '\n', size - 2);
    size_t params_len = nl ? (size_t)(nl - params) : size - 2;
    if (!fuzz_rules_safe(params, params_len) || params_len > 2000)
        return 0;
    const uint8_t *values = nl ? nl + 1 : data + size;
    size_t values_len = (size_t)(data + size - values);

    const transform_ops *ops = transform_find(fuzz_transform_pick(data[0]));
    if (!ops)
        abort(); /* the table names a transform the registry lacks (check_xf_list) */
    const char *xf = ops->name;
    int is_add = (opt & 0x10) != 0;
    const char *out_col = is_add ? "n" : "v";

    fuzz_buf rules = {0};
    static const char head[] = "key k file=k.key\nkey k2 file=k.key\ninput header=yes\n"
                               "default keep\ncolumn c keep\n";
    fuzz_buf_add(&rules, head, sizeof head - 1);
    char line[256];
    int n = is_add ? snprintf(line, sizeof line, "add n %s from=v,c ", xf)
                   : snprintf(line, sizeof line, "column v %s ", xf);
    fuzz_buf_add(&rules, line, (size_t)n);
    fuzz_buf_add(&rules, params, params_len);
    if (opt & 0x80)
        fuzz_buf_add(&rules, " on-error=blank", 15);
    fuzz_buf_add(&rules, "\n", 1);
    if (opt & 0x20) {
        n = snprintf(line, sizeof line, "quasi %s\nrequire k=2\nsuppress max=100%%\n", out_col);
        fuzz_buf_add(&rules, line, (size_t)n);
    }

    const char *dir = fuzz_tmpdir();
    deid_rules *r = NULL;
    deid_error err;
    if (deid_rules_parse(rules.p, rules.len, "fuzz.rules", dir, &r, &err) != DEID_OK) {
        fuzz_note(&err);
        free(rules.p);
        fuzz_clean(0);
        return 0;
    }
    free(rules.p);
    char *desc = NULL;
    if (deid_rules_describe(r, &desc, &err) == DEID_OK)
        free(desc);

    /* v,c with each value quoted */
    fuzz_buf csv = {0};
    fuzz_buf_add(&csv, "v,c\n", 4);
    size_t at = 0, row = 0;
    while (at < values_len) {
        const uint8_t *e = memchr(values + at, '\n', values_len - at);
        size_t len = e ? (size_t)(e - (values + at)) : values_len - at;
        fuzz_buf_add(&csv, "\"", 1);
        for (size_t i = 0; i < len; i++) {
            if (values[at + i] == '"')
                fuzz_buf_add(&csv, "\"", 1);
            fuzz_buf_add(&csv, values + at + i, 1);
        }
        n = snprintf(line, sizeof line, "\",c%zu\n", row++ % 3);
        fuzz_buf_add(&csv, line, (size_t)n);
        at += len + 1;
    }

    deid_job_options o;
    memset(&o, 0, sizeof o);
    o.tmpdir = dir;
    fuzz_buf out = {0};
    deid_status st = fuzz_run_job(r, &o, (const uint8_t *)csv.p, csv.len, (uint32_t)size, 512,
                                  (opt & 0x40) ? &out : NULL);
    if (st == DEID_OK && (opt & 0x40)) {
        /* input that is not UTF-8 is read as CP949 (encoding auto) and
         * written back as UTF-8: the round trip gives its UTF-8 form, not
         * its bytes */
        size_t bad;
        int exact = !is_add && !(opt & 0x20) && fuzz_last_losses == 0 &&
                    ops->reverse != NULL && textenc_valid_utf8(csv.p, csv.len, &bad);
        o.reverse = 1;
        fuzz_buf back = {0};
        st = fuzz_run_job(r, &o, (const uint8_t *)out.p, out.len, (uint32_t)size + 1, 512, &back);
        if (exact) {
            if (st != DEID_OK)
                fuzz_die("transform: reversing a clean run failed");
            fuzz_buf want = {0}, got = {0};
            records_of(csv.p, csv.len, &want);
            records_of(back.p, back.len, &got);
            if (want.len != got.len || memcmp(want.p, got.p, want.len) != 0)
                fuzz_die("transform: reverse(transform(x)) != x");
            free(want.p);
            free(got.p);
        }
        free(back.p);
    }
    free(out.p);
    free(csv.p);
    deid_rules_free(r);
    fuzz_clean(0);
    return 0;
}
