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
    size_t rows;
    strmap *originals;
    strmap *replacements;
    dbuf row_line;      /* uint32 per row: its line */
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
    if (ld->rows >= DEID_MAX_LOOKUP_ROWS)
        return lookup_file_row_fail(err, line, "more than %u rows (DEID_MAX_LOOKUP_ROWS)",
                                    DEID_MAX_LOOKUP_ROWS);
    if (fields[0].len == 0)
        return lookup_file_row_fail(err, line, "the original value (first field) is empty");

    uint32_t row = (uint32_t)ld->rows, seen;
    int rc = strmap_put(ld->originals, fields[0].data, fields[0].len, row, &seen);
    if (rc == STRMAP_EXISTS) {
        uint32_t first;
        memcpy(&first, ld->row_line.data + (size_t)seen * sizeof first, sizeof first);
        return lookup_file_row_fail(err, line, "value appears twice (lines %lu and %lu)",
                                    (unsigned long)first, line);
    }
    if (rc < 0)
        return rc == STRMAP_ENOMEM
                   ? lookup_file_row_nomem(err, line)
                   : lookup_file_row_fail(err, line, "the original value is too long");

    uint32_t id;
    uint32_t next = (uint32_t)strmap_count(ld->replacements);
    rc = strmap_put(ld->replacements, fields[1].data, fields[1].len, next, &id);
    if (rc < 0)
        return rc == STRMAP_ENOMEM
                   ? lookup_file_row_nomem(err, line)
                   : lookup_file_row_fail(err, line, "the replacement is too long");
    uint32_t line32 = (uint32_t)line;
    if (dbuf_append(&ld->target, &id, sizeof id) ||
        dbuf_append(&ld->row_line, &line32, sizeof line32))
        return lookup_file_row_nomem(err, line);
    ld->rows++;
    return DEID_OK;
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
    xf_param *file = xf_param_find(ctx, "file");
    if (!file)
        return xf_param_fail(ctx, NULL, "map needs file=PATH (original,replacement rows)");
    if (!file->value[0])
        return xf_param_fail(ctx, file, "file= is empty");

    deid_error e;
    err_clear(&e);
    deid_status st;
    map_load ld;
    memset(&ld, 0, sizeof ld);
    dbuf_init(&ld.row_line, (size_t)DEID_MAX_LOOKUP_ROWS * sizeof(uint32_t));
    dbuf_init(&ld.target, (size_t)DEID_MAX_LOOKUP_ROWS * sizeof(uint32_t));
    map_state *s = calloc(1, sizeof *s);
    char *path = xf_resolve_path(ctx, file->value);
    ld.originals = strmap_new(DEID_MAX_LOOKUP_ROWS);
    ld.replacements = strmap_new(DEID_MAX_LOOKUP_ROWS);
    if (s)
        s->file = strdup(file->value);
    if (!s || !s->file || !path || !ld.originals || !ld.replacements) {
        err_set(&e, DEID_E_IO, "out of memory");
        st = lookup_file_fail(ctx, file, &e);
        goto out;
    }

    st = lookup_file_read(path, file->value, ',', on_row, &ld, &e);
    if (st == DEID_OK && ld.rows == 0) {
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
    s->rows = ld.rows;
    s->originals = ld.originals;
    s->replacements = ld.replacements;
    ld.originals = ld.replacements = NULL;
    s->path = path;
    path = NULL;
    *state = s;
    s = NULL;

out:
    strmap_free(ld.originals);
    strmap_free(ld.replacements);
    dbuf_free(&ld.row_line);
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
