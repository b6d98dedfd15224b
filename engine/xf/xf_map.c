/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_map.c - `map file=F`: a value is replaced by the one a mapping file
 * gives for it (guideline: heuristic substitution).
 *
 * File format: CSV with ',' and no header, exactly two fields per row:
 * original value, replacement. Originals must be non-empty and unique;
 * a replacement may be empty. Lookup is by exact bytes. A mapping file is
 * additional information in the legal sense (it links pseudonyms back to
 * people), so messages name its lines, never its values.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_in.h"
#include "deid_limits.h"
#include "err.h"
#include "lookup_file.h"
#include "strmap.h"
#include "transform.h"

typedef struct map_state {
    char *file;         /* as written in the rules, for describe */
    char *path;         /* resolved, as opened (side_file) */
    size_t rows;
    strmap *originals;  /* original value -> row number */
    uint32_t *target;   /* row -> entry number in `replacements` */
    strmap *replacements; /* each distinct replacement once */
} map_state;

typedef struct map_load {
    lookup_originals orig;
    strmap *replacements;
    dbuf target;        /* uint32 per row */
} map_load;

static deid_status on_row(void *vctx, const csv_field *fields, size_t n, unsigned long line,
                          deid_error *err)
{
    map_load *ld = vctx;
    if (n != 2)
        return lookup_file_row_fail(err, line,
                                    "has %zu field%s; a map row is: original,replacement", n,
                                    n == 1 ? "" : "s");
    deid_status st = lookup_originals_add(&ld->orig, &fields[0], "field", line, err);
    if (st != DEID_OK)
        return st;

    uint32_t id;
    uint32_t next = (uint32_t)strmap_count(ld->replacements);
    int rc = strmap_put(ld->replacements, fields[1].data, fields[1].len, next, &id);
    if (rc < 0)
        return rc == STRMAP_ENOMEM
                   ? lookup_file_row_nomem(err, line)
                   : lookup_file_row_fail(err, line, "the replacement is too long");
    if (dbuf_append(&ld->target, &id, sizeof id))
        return lookup_file_row_nomem(err, line);
    return lookup_originals_end_row(&ld->orig, line, err);
}

static void map_free(void *vs)
{
    map_state *s = vs;
    if (!s)
        return;
    free(s->file);
    free(s->path);
    strmap_free(s->originals);
    free(s->target);
    strmap_free(s->replacements);
    free(s);
}

static deid_status map_compile(xf_context *ctx, void **state)
{
    xf_param *file;
    deid_status st =
        lookup_file_param(ctx, "map needs file=PATH (original,replacement rows)", &file);
    if (st != DEID_OK)
        return st;

    deid_error e;
    err_clear(&e);
    map_load ld;
    memset(&ld, 0, sizeof ld);
    int orig_nomem = lookup_originals_init(&ld.orig);
    dbuf_init(&ld.target, (size_t)DEID_MAX_LOOKUP_ROWS * sizeof(uint32_t));
    map_state *s = calloc(1, sizeof *s);
    char *path = xf_resolve_path(ctx, file->value);
    ld.replacements = strmap_new(DEID_MAX_LOOKUP_ROWS);
    if (s)
        s->file = strdup(file->value);
    if (!s || !s->file || !path || orig_nomem || !ld.replacements) {
        err_set(&e, DEID_E_IO, "out of memory");
        st = lookup_file_fail(ctx, file, &e);
        goto out;
    }

    char sha256_hex[65];
    st = lookup_file_read_hashed(path, file->value, ',', on_row, &ld, sha256_hex, &e);
    if (st == DEID_OK && ctx->files_read)
        xf_file_list_set_sha256(ctx->files_read, path, sha256_hex);
    if (st == DEID_OK && ld.orig.rows == 0) {
        err_set(&e, DEID_E_RULES, "%s: has no rows", file->value);
        st = DEID_E_RULES;
    }
    if (st == DEID_OK) {
        s->target = (uint32_t *)(void *)dbuf_take(&ld.target);
        if (!s->target) {
            err_set(&e, DEID_E_IO, "out of memory");
            st = DEID_E_IO;
        }
    }
    if (st != DEID_OK) {
        st = lookup_file_fail(ctx, file, &e);
        goto out;
    }
    s->rows = ld.orig.rows;
    s->originals = ld.orig.originals;
    s->replacements = ld.replacements;
    ld.orig.originals = ld.replacements = NULL;
    s->path = path;
    path = NULL;
    *state = s;
    s = NULL;

out:
    lookup_originals_free(&ld.orig);
    strmap_free(ld.replacements);
    dbuf_free(&ld.target);
    free(path);
    map_free(s);
    return st;
}

static xf_result map_apply(const void *vs, const xf_value *in, size_t n_in, dbuf *out,
                           const char **why)
{
    const map_state *s = vs;
    (void)n_in;
    uint32_t row;
    if (!strmap_get(s->originals, in[0].data, in[0].len, &row)) {
        *why = "is not in the map";
        return XF_BAD_VALUE;
    }
    const char *repl;
    size_t len;
    strmap_entry(s->replacements, s->target[row], &repl, &len, NULL);
    return dbuf_append(out, repl, len) ? XF_NOMEM : XF_OK;
}

static int map_describe(const void *vs, dbuf *out)
{
    const map_state *s = vs;
    return dbuf_printf(out, "file=%s rows=%zu", s->file, s->rows);
}

static const char *map_side_file(const void *vs)
{
    return ((const map_state *)vs)->path;
}

const transform_ops xf_map_ops = {
    .name = "map",
    .technique = "가명처리/휴리스틱 가명화 (heuristic substitution)",
    .compile = map_compile,
    .apply = map_apply,
    .describe = map_describe,
    .free = map_free,
    .side_file = map_side_file,
};
