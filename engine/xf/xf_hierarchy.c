/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_hierarchy.c - `hierarchy file=F level=N|auto`: a value becomes its
 * generalization at level N of an ARX hierarchy file (guideline: data
 * categorization with a generalization hierarchy).
 *
 * File format (ARX): ';'-separated, no header, one row per original value
 * followed by its generalizations at level 1, 2, ... up to the most general
 * (often "*"), every row with the same number of columns. Level 0 is the
 * value itself. Loading checks that the originals are non-empty and unique
 * and that the levels form a tree: a label at level L >= 1 always has the
 * same label above it at level L+1, whatever row it appears on.
 *
 * With level=auto (`hierarchy file=F level=auto`) the file is a ladder for
 * the optimal generalization search (deid plan): levels() is the number of
 * columns, apply_level(v, L) the row's column L, domain_size() the number
 * of rows and domain_count(L, g) the number of rows whose column L is g.
 * Values that are not in the file are bad values at every level, 0
 * included, so that planning and running agree. apply() on such a rule is
 * a bad value too: the engine must let deid plan choose the level first.
 *
 * Only what is needed is kept: original -> row, and per row the label
 * number at the chosen level (with level=auto: at every level, plus per
 * level the number of rows under each label, so memory grows with the
 * file). The labels of every level are interned while loading (strmap,
 * value = label number), which is also how the tree check works: for each
 * label it remembers the label above it and its first line.
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

typedef struct hier_state {
    char *file;         /* as written in the rules, for describe */
    char *path;         /* resolved, as opened (side_file) */
    unsigned level;     /* the fixed level (0 with level=auto) */
    int ladder;         /* level=auto */
    size_t levels;      /* columns per row: levels 0 .. levels-1 */
    size_t rows;
    strmap *originals;  /* original value -> row number */
    /* For l >= 1: row -> label number in labels[l], the labels of level l
     * and (ladder only) label number -> rows under it. A fixed level keeps
     * only [level]. */
    uint32_t *target[DEID_MAX_HIERARCHY_LEVELS];
    strmap *labels[DEID_MAX_HIERARCHY_LEVELS];
    uint32_t *count[DEID_MAX_HIERARCHY_LEVELS];
} hier_state;

/* For a label at level L: the label number above it at L+1 and the line
 * where that was first seen. */
typedef struct hier_link {
    uint32_t up;
    uint32_t line;
} hier_link;

typedef struct hier_load {
    unsigned level;
    int all_levels;         /* level=auto: keep the targets of every level */
    size_t levels;          /* 0 until the first row */
    int level_too_high;     /* set by the first row; reported at level= */
    lookup_originals orig;
    dbuf target[DEID_MAX_HIERARCHY_LEVELS];     /* uint32 per row, [level] or all (>= 1) */
    strmap *labels[DEID_MAX_HIERARCHY_LEVELS];  /* [1 .. levels-1] */
    dbuf links[DEID_MAX_HIERARCHY_LEVELS];      /* hier_link per label, [1 .. levels-2] */
} hier_load;

/* Hierarchy errors name the file, line, level and column, never a value:
 * a data file passed as a hierarchy by mistake holds personal data. */

static deid_status first_row(hier_load *ld, size_t n, unsigned long line, deid_error *err)
{
    if (n < 2)
        return lookup_file_row_fail(err, line,
                                    "has only one column; a hierarchy row is ';'-separated: "
                                    "value;level 1;level 2;...");
    if (n > DEID_MAX_HIERARCHY_LEVELS)
        return lookup_file_row_fail(err, line,
                                    "has %zu columns, more than the %u levels allowed", n,
                                    DEID_MAX_HIERARCHY_LEVELS);
    ld->levels = n;
    if (ld->level >= n) {
        ld->level_too_high = 1;
        return lookup_file_row_fail(err, line, "level out of range");
    }
    for (size_t l = 1; l < n; l++) {
        ld->labels[l] = strmap_new(DEID_MAX_LOOKUP_ROWS);
        if (!ld->labels[l])
            return lookup_file_row_nomem(err, line);
    }
    return DEID_OK;
}

/* Interns the label of level l; stores its number in *id and whether it
 * is new in *added. */
static deid_status intern(hier_load *ld, size_t l, const csv_field *f, unsigned long line,
                          uint32_t *id, int *added, deid_error *err)
{
    uint32_t next = (uint32_t)strmap_count(ld->labels[l]);
    int rc = strmap_put(ld->labels[l], f->data, f->len, next, id);
    if (rc < 0)
        return rc == STRMAP_ENOMEM
                   ? lookup_file_row_nomem(err, line)
                   : lookup_file_row_fail(err, line, "too many or too long labels");
    *added = rc == STRMAP_ADDED;
    return DEID_OK;
}

static deid_status not_a_tree(size_t l, const hier_link *first, unsigned long line,
                              deid_error *err)
{
    return lookup_file_row_fail(err, line,
                                "hierarchy is not a tree: a value at level %zu (column %zu) "
                                "generalizes to two different values at level %zu (column %zu) "
                                "on lines %lu and %lu",
                                l, l + 1, l + 1, l + 2, (unsigned long)first->line, line);
}

static deid_status on_row(void *vctx, const csv_field *fields, size_t n, unsigned long line,
                          deid_error *err)
{
    hier_load *ld = vctx;
    deid_status st;
    if (ld->levels == 0 && (st = first_row(ld, n, line, err)) != DEID_OK)
        return st;
    if (n != ld->levels)
        return lookup_file_row_fail(err, line, "has %zu columns, the first row has %zu", n,
                                    ld->levels);
    if ((st = lookup_originals_add(&ld->orig, &fields[0], "column", line, err)) != DEID_OK)
        return st;

    /* From the top down, so that the label above is known when a label is
     * first seen. */
    uint32_t up = 0;
    for (size_t l = ld->levels - 1; l >= 1; l--) {
        uint32_t id = 0;
        int added = 0;
        if ((st = intern(ld, l, &fields[l], line, &id, &added, err)) != DEID_OK)
            return st;
        if (l < ld->levels - 1) {
            if (added) {
                hier_link link = {.up = up, .line = (uint32_t)line};
                if (dbuf_append(&ld->links[l], &link, sizeof link))
                    return lookup_file_row_nomem(err, line);
            } else {
                hier_link first;
                memcpy(&first, ld->links[l].data + (size_t)id * sizeof first, sizeof first);
                if (first.up != up)
                    return not_a_tree(l, &first, line, err);
            }
        }
        /* level 1 always: the cycle check starts each row there */
        if ((ld->all_levels || l == ld->level || l == 1) &&
            dbuf_append(&ld->target[l], &id, sizeof id))
            return lookup_file_row_nomem(err, line);
        up = id;
    }
    return lookup_originals_end_row(&ld->orig, line, err);
}

/* ---- cycle check --------------------------------------------------------
 * Read across rows, the file is a graph on its strings: each row adds the
 * steps original -> level 1 -> level 2 ... (a step to the same string, as
 * in "a;a;*", is no step). A string that generalizes back to itself, in one
 * row ("a;b;a") or through several ("a;b;*" with "b;a;*"), is a cycle: such
 * a level swaps values instead of generalizing them, which is never what
 * the author meant. The per-level tree check cannot see it, as it keeps
 * each level's labels apart.
 *
 * Nodes: the originals are 0 .. rows-1, then the labels of level 1, 2, ...
 * A string on several levels is one node, its lowest occurrence (canon).
 * Only steps into a node can close a cycle, and nothing steps into an
 * original that is no label, so such rows add no edge: the graph stays
 * the size of the labels, not of the rows. */

typedef struct hier_edge {
    uint32_t from, to, line;
} hier_edge;

static int edge_cmp(const void *a, const void *b)
{
    const hier_edge *x = a, *y = b;
    return x->from < y->from ? -1 : x->from > y->from;
}

static deid_status cycle_nomem(deid_error *e)
{
    return err_set(e, DEID_E_IO, "out of memory");
}

/* Reports the cycle closed by edge ed (ed->to is on the path to ed->from),
 * at the line of that edge. */
static deid_status cycle_found(const hier_edge *ed, const char *name, deid_error *e)
{
    return err_set(e, DEID_E_RULES,
                   "%s:%lu: hierarchy has a cycle: a value on this line generalizes, through "
                   "other rows, back to itself",
                   name, (unsigned long)ed->line);
}

/* The edges [*lo, *hi) leaving node u (edges sorted by from). */
static void out_edges(const hier_edge *ed, size_t n, uint32_t u, size_t *lo, size_t *hi)
{
    size_t a = 0, b = n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (ed[m].from < u)
            a = m + 1;
        else
            b = m;
    }
    *lo = a;
    while (a < n && ed[a].from == u)
        a++;
    *hi = a;
}

/* Depth-first search from every source of an edge; a step to a node still
 * on the path closes a cycle. */
static deid_status dfs(const hier_edge *ed, size_t n_edges, size_t n_nodes, const char *name,
                       deid_error *e)
{
    enum { WHITE, ON_PATH, DONE };
    typedef struct frame {
        uint32_t node;
        size_t next, end;
    } frame;
    unsigned char *color = calloc(n_nodes, 1);
    frame *path = malloc((n_edges + 1) * sizeof *path); /* a path holds each edge once */
    deid_status st = DEID_OK;
    if (!color || !path)
        st = cycle_nomem(e);
    for (size_t i = 0; i < n_edges && !st; i++) {
        if (color[ed[i].from] != WHITE)
            continue;
        size_t depth = 0;
        path[0].node = ed[i].from;
        out_edges(ed, n_edges, ed[i].from, &path[0].next, &path[0].end);
        color[ed[i].from] = ON_PATH;
        for (;;) {
            frame *f = &path[depth];
            if (f->next == f->end) {
                color[f->node] = DONE;
                if (depth-- == 0)
                    break;
                continue;
            }
            const hier_edge *x = &ed[f->next++];
            if (color[x->to] == ON_PATH) {
                st = cycle_found(x, name, e);
                break;
            }
            if (color[x->to] == WHITE) {
                color[x->to] = ON_PATH;
                frame *g = &path[++depth];
                g->node = x->to;
                out_edges(ed, n_edges, x->to, &g->next, &g->end);
            }
        }
    }
    free(color);
    free(path);
    return st;
}

/* Returns DEID_OK, DEID_E_RULES with "NAME:LINE: hierarchy has a cycle..."
 * in e, or DEID_E_IO when memory runs out. ld must hold target[1] for
 * every row and the links of every level. */
static deid_status find_cycle(const hier_load *ld, const char *name, deid_error *e)
{
    size_t base[DEID_MAX_HIERARCHY_LEVELS + 1];
    uint32_t *canon[DEID_MAX_HIERARCHY_LEVELS] = {NULL};
    base[0] = 0;
    base[1] = ld->orig.rows;
    for (size_t l = 1; l < ld->levels; l++)
        base[l + 1] = base[l] + strmap_count(ld->labels[l]);
    size_t n_nodes = base[ld->levels];
    unsigned char *is_label = calloc(ld->orig.rows, 1); /* originals that are also labels */
    dbuf edges;
    dbuf_init(&edges, n_nodes * sizeof(hier_edge));
    deid_status st = is_label ? DEID_OK : cycle_nomem(e);

    /* canon[l][i]: the node of label i of level l. */
    for (size_t l = 1; l < ld->levels && !st; l++) {
        size_t n = strmap_count(ld->labels[l]);
        if (!(canon[l] = malloc((n ? n : 1) * sizeof *canon[l]))) {
            st = cycle_nomem(e);
            break;
        }
        for (size_t i = 0; i < n; i++) {
            const char *s;
            size_t len;
            uint32_t at;
            strmap_entry(ld->labels[l], i, &s, &len, NULL);
            canon[l][i] = (uint32_t)(base[l] + i);
            if (strmap_get(ld->orig.originals, s, len, &at)) {
                canon[l][i] = at;
                is_label[at] = 1;
                continue;
            }
            for (size_t k = 1; k < l; k++)
                if (strmap_get(ld->labels[k], s, len, &at)) {
                    canon[l][i] = (uint32_t)(base[k] + at);
                    break;
                }
        }
    }
    const uint32_t *to1 = (const uint32_t *)(const void *)ld->target[1].data;
    const uint32_t *lines = (const uint32_t *)(const void *)ld->orig.row_line.data;
    for (size_t r = 0; r < ld->orig.rows && !st; r++) {
        hier_edge x = {.from = (uint32_t)r, .to = canon[1][to1[r]], .line = lines[r]};
        if (is_label[r] && x.from != x.to && dbuf_append(&edges, &x, sizeof x))
            st = cycle_nomem(e);
    }
    for (size_t l = 1; l + 1 < ld->levels && !st; l++) {
        const hier_link *links = (const hier_link *)(const void *)ld->links[l].data;
        for (size_t i = 0; i < strmap_count(ld->labels[l]) && !st; i++) {
            hier_edge x = {.from = canon[l][i], .to = canon[l + 1][links[i].up],
                           .line = links[i].line};
            if (x.from != x.to && dbuf_append(&edges, &x, sizeof x))
                st = cycle_nomem(e);
        }
    }
    size_t n_edges = edges.len / sizeof(hier_edge);
    if (!st && n_edges > 0) {
        hier_edge *ed = (hier_edge *)(void *)edges.data;
        qsort(ed, n_edges, sizeof *ed, edge_cmp);
        st = dfs(ed, n_edges, n_nodes, name, e);
    }
    for (size_t l = 0; l < DEID_MAX_HIERARCHY_LEVELS; l++)
        free(canon[l]);
    free(is_label);
    dbuf_free(&edges);
    return st;
}

static void load_free(hier_load *ld)
{
    lookup_originals_free(&ld->orig);
    for (size_t l = 0; l < DEID_MAX_HIERARCHY_LEVELS; l++) {
        strmap_free(ld->labels[l]);
        dbuf_free(&ld->links[l]);
        dbuf_free(&ld->target[l]);
    }
}

static void hier_free(void *vs)
{
    hier_state *s = vs;
    if (!s)
        return;
    free(s->file);
    free(s->path);
    strmap_free(s->originals);
    for (size_t l = 0; l < DEID_MAX_HIERARCHY_LEVELS; l++) {
        free(s->target[l]);
        strmap_free(s->labels[l]);
        free(s->count[l]);
    }
    free(s);
}

/* Fills s->count[l] from s->target[l]. Returns 0, or -1 on ENOMEM. */
static int count_rows(hier_state *s, size_t l)
{
    size_t n = strmap_count(s->labels[l]);
    s->count[l] = calloc(n, sizeof *s->count[l]);
    if (!s->count[l])
        return -1;
    /* rows <= DEID_MAX_LOOKUP_ROWS, so a count cannot wrap. */
    for (size_t r = 0; r < s->rows; r++)
        s->count[l][s->target[l][r]]++;
    return 0;
}

static deid_status hier_compile(xf_context *ctx, void **state)
{
    xf_param *file;
    deid_status st =
        lookup_file_param(ctx, "hierarchy needs file=PATH (an ARX hierarchy)", &file);
    if (st != DEID_OK)
        return st;
    xf_param *lp = xf_param_find(ctx, "level");
    if (!lp)
        return xf_param_fail(ctx, NULL, "hierarchy needs level=N (0 = the value itself)");
    int ladder = strcmp(lp->value, "auto") == 0;
    unsigned long long level = 0;
    if (!ladder)
        st = xf_param_uint(ctx, "level", 1, 0, DEID_MAX_HIERARCHY_LEVELS - 1, 0, &level);
    if (st != DEID_OK)
        return st;

    deid_error e;
    err_clear(&e);
    hier_load ld;
    memset(&ld, 0, sizeof ld);
    ld.level = (unsigned)level;
    ld.all_levels = ladder;
    int orig_nomem = lookup_originals_init(&ld.orig);
    for (size_t l = 0; l < DEID_MAX_HIERARCHY_LEVELS; l++) {
        dbuf_init(&ld.links[l], (size_t)DEID_MAX_LOOKUP_ROWS * sizeof(hier_link));
        dbuf_init(&ld.target[l], (size_t)DEID_MAX_LOOKUP_ROWS * sizeof(uint32_t));
    }
    hier_state *s = calloc(1, sizeof *s);
    char *path = xf_resolve_path(ctx, file->value);
    if (s)
        s->file = strdup(file->value);
    if (!s || !s->file || !path || orig_nomem) {
        err_set(&e, DEID_E_IO, "out of memory");
        st = lookup_file_fail(ctx, file, &e);
        goto fail;
    }

    char sha256_hex[65];
    st = lookup_file_read_hashed(path, file->value, ';', on_row, &ld, sha256_hex, &e);
    if (st == DEID_OK && ctx->files_read)
        xf_file_list_set_sha256(ctx->files_read, path, sha256_hex);
    if (st != DEID_OK && ld.level_too_high) {
        st = xf_param_fail(ctx, lp, "level=%s is out of range: %s has levels 0 to %zu",
                           lp->value, file->value, ld.levels - 1);
        goto fail;
    }
    if (st == DEID_OK && ld.orig.rows == 0) {
        err_set(&e, DEID_E_RULES, "%s: has no rows", file->value);
        st = DEID_E_RULES;
    }
    if (st == DEID_OK)
        st = find_cycle(&ld, file->value, &e);
    if (st != DEID_OK) {
        st = lookup_file_fail(ctx, file, &e);
        goto fail;
    }

    s->level = ld.level;
    s->ladder = ladder;
    s->levels = ld.levels;
    s->rows = ld.orig.rows;
    s->originals = ld.orig.originals;
    ld.orig.originals = NULL;
    for (size_t l = 1; l < s->levels; l++) {
        if (!ladder && l != s->level)
            continue;
        s->target[l] = (uint32_t *)(void *)dbuf_take(&ld.target[l]);
        s->labels[l] = ld.labels[l];
        ld.labels[l] = NULL;
        if (!s->target[l] || (ladder && count_rows(s, l))) {
            err_set(&e, DEID_E_IO, "out of memory");
            st = lookup_file_fail(ctx, file, &e);
            goto fail;
        }
    }
    load_free(&ld);
    s->path = path;
    *state = s;
    return DEID_OK;

fail:
    load_free(&ld);
    free(path);
    hier_free(s);
    return st;
}

/* Appends in's label at level, which the state must hold. */
static xf_result label_at(const hier_state *s, const xf_value *in, size_t level, dbuf *out,
                          const char **why)
{
    uint32_t row;
    if (!strmap_get(s->originals, in->data, in->len, &row)) {
        *why = "is not in the hierarchy";
        return XF_BAD_VALUE;
    }
    if (level == 0)
        return dbuf_append(out, in->data, in->len) ? XF_NOMEM : XF_OK;
    const char *label;
    size_t len;
    strmap_entry(s->labels[level], s->target[level][row], &label, &len, NULL);
    return dbuf_append(out, label, len) ? XF_NOMEM : XF_OK;
}

static xf_result hier_apply(const void *vs, const xf_value *in, size_t n_in, dbuf *out,
                            const char **why)
{
    const hier_state *s = vs;
    (void)n_in;
    if (xf_auto_unplanned(s->ladder, why))
        return XF_BAD_VALUE;
    return label_at(s, in, s->level, out, why);
}

static size_t hier_levels(const void *vs)
{
    const hier_state *s = vs;
    return s->ladder ? s->levels : 0;
}

/* A fixed level=N is level N of a ladder of levels - 1 steps (precision). */
static int hier_fixed_level(const void *vs, size_t *level, size_t *height)
{
    const hier_state *s = vs;
    if (s->ladder || s->levels == 0)
        return 0;
    *level = s->level;
    *height = s->levels - 1;
    return 1;
}

static xf_result hier_apply_level(const void *vs, const xf_value *in, size_t level, dbuf *out,
                                  const char **why)
{
    const hier_state *s = vs;
    if (!xf_levels_have(hier_levels(s), level, why))
        return XF_BAD_VALUE;
    return label_at(s, in, level, out, why);
}

static size_t hier_domain_size(const void *vs)
{
    const hier_state *s = vs;
    return s->ladder ? s->rows : 0;
}

static uint64_t hier_domain_count(const void *vs, size_t level, const xf_value *gen)
{
    const hier_state *s = vs;
    uint32_t id;
    if (!s->ladder || level >= s->levels)
        return 0;
    if (level == 0)
        return strmap_get(s->originals, gen->data, gen->len, NULL) ? 1 : 0;
    if (!strmap_get(s->labels[level], gen->data, gen->len, &id))
        return 0;
    return s->count[level][id];
}

static int hier_describe(const void *vs, dbuf *out)
{
    const hier_state *s = vs;
    if (s->ladder)
        return dbuf_printf(out, "file=%s level=auto levels=%zu rows=%zu", s->file, s->levels,
                           s->rows);
    return dbuf_printf(out, "file=%s level=%u levels=%zu rows=%zu", s->file, s->level, s->levels,
                       s->rows);
}

static const char *hier_side_file(const void *vs)
{
    return ((const hier_state *)vs)->path;
}

/* A level with one label (the top, "*", in most files) tells no values
 * apart; any other keeps part of the value. */
static int hier_kept(const void *vs, dbuf *out)
{
    const hier_state *s = vs;
    if (s->ladder)
        return dbuf_append_str(out, "keeps up to the whole value (deid plan chooses the level)");
    if (s->level == 0)
        return dbuf_append_str(out, "keeps the whole value (hierarchy level 0)");
    size_t labels = strmap_count(s->labels[s->level]);
    if (labels <= 1)
        return DBUF_OK;
    return dbuf_printf(out, "keeps hierarchy level %u of %zu (%zu labels)", s->level,
                       s->levels - 1, labels);
}

const transform_ops xf_hierarchy_ops = {
    .name = "hierarchy",
    .technique = "데이터 범주화 (generalization hierarchy)",
    .compile = hier_compile,
    .apply = hier_apply,
    .describe = hier_describe,
    .free = hier_free,
    .levels = hier_levels,
    .fixed_level = hier_fixed_level,
    .apply_level = hier_apply_level,
    .domain_size = hier_domain_size,
    .domain_count = hier_domain_count,
    .side_file = hier_side_file,
    .kept = hier_kept,
};
