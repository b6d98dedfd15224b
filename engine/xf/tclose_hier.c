/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tclose_hier.c - the tree of a hierarchical-distance t-closeness and its
 * EMD (see tclose_hier.h).
 *
 * Labels are interned per level (strmap, value = node number at that
 * level), so a label names one node of its level whatever row it is on;
 * up[L][node] is the node above it at level L+1 (up[0] indexed by leaf).
 * That is also the tree check: a label seen before must have the same
 * label above it.
 *
 * The EMD runs in doubles over integer extras (cls_i * total -
 * overall_i * size): every product and sum is an integer, exact while
 * below 2^53 (tables up to about 90 million records), so classes that tie
 * with t compare exactly and leaf order does not matter.
 */
#include <stdlib.h>
#include <string.h>

#include "deid_limits.h"
#include "strmap.h"
#include "tclose_hier.h"

struct tclose_hier {
    size_t levels;                                 /* columns per row; 0 before the first */
    strmap *leaves;                                /* leaf -> leaf number */
    strmap *labels[DEID_MAX_HIERARCHY_LEVELS];     /* [1 .. levels-1]: label -> node */
    uint32_t *up[DEID_MAX_HIERARCHY_LEVELS];       /* [0 .. levels-2]: node -> node above */
    size_t cap[DEID_MAX_HIERARCHY_LEVELS];         /* room in up[L] */
};

tclose_hier *tclose_hier_new(void)
{
    tclose_hier *h = calloc(1, sizeof *h);
    if (h && !(h->leaves = strmap_new(DEID_MAX_LOOKUP_ROWS))) {
        free(h);
        return NULL;
    }
    return h;
}

void tclose_hier_free(tclose_hier *h)
{
    if (!h)
        return;
    strmap_free(h->leaves);
    for (size_t l = 0; l < DEID_MAX_HIERARCHY_LEVELS; l++) {
        strmap_free(h->labels[l]);
        free(h->up[l]);
    }
    free(h);
}

size_t tclose_hier_leaves(const tclose_hier *h)
{
    return strmap_count(h->leaves);
}

size_t tclose_hier_height(const tclose_hier *h)
{
    return h->levels ? h->levels - 1 : 0;
}

static size_t nodes_at(const tclose_hier *h, size_t level)
{
    return level == 0 ? strmap_count(h->leaves) : strmap_count(h->labels[level]);
}

/* Room for one more entry in up[level]. Returns 0, or -1 on ENOMEM. */
static int reserve_up(tclose_hier *h, size_t level)
{
    size_t n = nodes_at(h, level);
    if (n < h->cap[level])
        return 0;
    size_t cap = h->cap[level] ? 2 * h->cap[level] : 16;
    uint32_t *grown = realloc(h->up[level], cap * sizeof *grown);
    if (!grown)
        return -1;
    h->up[level] = grown;
    h->cap[level] = cap;
    return 0;
}

/* Checks the whole row before changing anything, so that a refused row
 * leaves the tree as it was. */
static tclose_hier_error check_row(const tclose_hier *h, const csv_field *f, size_t n,
                                   size_t *bad_level)
{
    if (n < 2 || n > DEID_MAX_HIERARCHY_LEVELS)
        return TCLOSE_HIER_TOO_FEW;
    if (h->levels && n != h->levels)
        return TCLOSE_HIER_WIDTH;
    for (size_t l = 0; l < n; l++)
        if (f[l].len == 0)
            return TCLOSE_HIER_EMPTY;
    if (strmap_get(h->leaves, f[0].data, f[0].len, NULL))
        return TCLOSE_HIER_DUPLICATE;
    if (strmap_count(h->leaves) >= DEID_MAX_LOOKUP_ROWS)
        return TCLOSE_HIER_ROWS;
    for (size_t l = 1; h->levels && l + 1 < n; l++) {
        uint32_t node, above;
        if (strmap_get(h->labels[l], f[l].data, f[l].len, &node) &&
            (!strmap_get(h->labels[l + 1], f[l + 1].data, f[l + 1].len, &above) ||
             h->up[l][node] != above)) {
            *bad_level = l;
            return TCLOSE_HIER_NOT_TREE;
        }
    }
    /* One root: the distance charges a move between two subtrees at the
     * node they share, and trees with no shared node would move mass for
     * free (t-closeness met where it is not). */
    if (h->levels && !strmap_get(h->labels[n - 1], f[n - 1].data, f[n - 1].len, NULL))
        return TCLOSE_HIER_ROOTS;
    return TCLOSE_HIER_OK;
}

/* Interns label f at level: *node gets its number. Returns 0, 1 when it
 * is new, or -1 on ENOMEM. */
static int intern(tclose_hier *h, size_t level, const csv_field *f, uint32_t *node)
{
    uint32_t next = (uint32_t)strmap_count(h->labels[level]);
    if (level + 1 < h->levels && reserve_up(h, level))
        return -1;
    int rc = strmap_put(h->labels[level], f->data, f->len, next, node);
    return rc == STRMAP_ADDED ? 1 : rc == STRMAP_EXISTS ? 0 : -1;
}

tclose_hier_error tclose_hier_add(tclose_hier *h, const csv_field *f, size_t n, size_t *bad_level)
{
    tclose_hier_error e = check_row(h, f, n, bad_level);
    if (e)
        return e;
    if (!h->levels) {
        for (size_t l = 1; l < n; l++)
            if (!(h->labels[l] = strmap_new(DEID_MAX_LOOKUP_ROWS)))
                return TCLOSE_HIER_NOMEM;
        h->levels = n;
    }
    /* From the top down, so that a new label's parent number is known. A
     * failure part way leaves interned labels without a leaf below: they
     * weigh nothing in the distance. */
    uint32_t node[DEID_MAX_HIERARCHY_LEVELS];
    for (size_t l = n - 1; l >= 1; l--) {
        int rc = intern(h, l, &f[l], &node[l]);
        if (rc < 0)
            return TCLOSE_HIER_NOMEM;
        if (rc == 1 && l + 1 < n)
            h->up[l][node[l]] = node[l + 1];
    }
    if (reserve_up(h, 0))
        return TCLOSE_HIER_NOMEM;
    uint32_t leaf = (uint32_t)strmap_count(h->leaves);
    if (strmap_put(h->leaves, f[0].data, f[0].len, leaf, NULL) != STRMAP_ADDED)
        return TCLOSE_HIER_NOMEM;
    h->up[0][leaf] = node[1];
    return TCLOSE_HIER_OK;
}

int64_t tclose_hier_leaf(const tclose_hier *h, const char *data, size_t len)
{
    uint32_t v;
    return strmap_get(h->leaves, data, len, &v) ? (int64_t)v : -1;
}

size_t tclose_hier_scratch(const tclose_hier *h)
{
    size_t n = 0;
    for (size_t l = 1; l < h->levels; l++)
        n += 2 * nodes_at(h, l);
    return n ? n : 1;
}

double tclose_hier_emd(const tclose_hier *h, const uint64_t *overall, uint64_t total,
                       const uint64_t *cls, uint64_t size, double *scratch)
{
    size_t height = tclose_hier_height(h);
    if (!total || !size || !height)
        return 0;
    /* scratch holds, per level 1..height, (pos, neg) per node */
    double *acc = scratch;
    double *at[DEID_MAX_HIERARCHY_LEVELS];
    size_t off = 0;
    for (size_t l = 1; l <= height; l++) {
        at[l] = acc + off;
        off += 2 * nodes_at(h, l);
    }
    memset(acc, 0, off * sizeof *acc);
    size_t n_leaves = nodes_at(h, 0);
    for (size_t i = 0; i < n_leaves; i++) {
        double x = (double)cls[i] * (double)total - (double)overall[i] * (double)size;
        double *pn = &at[1][2 * (size_t)h->up[0][i]];
        if (x > 0)
            pn[0] += x;
        else
            pn[1] -= x;
    }
    double cost = 0;
    for (size_t l = 1; l <= height; l++) {
        double level_cost = 0;
        for (size_t k = 0; k < nodes_at(h, l); k++) {
            double pos = at[l][2 * k], neg = at[l][2 * k + 1];
            level_cost += pos < neg ? pos : neg;
            if (l == height)
                continue;
            double x = pos - neg; /* this node's extra, for its parent */
            double *pn = &at[l + 1][2 * (size_t)h->up[l][k]];
            if (x > 0)
                pn[0] += x;
            else
                pn[1] -= x;
        }
        cost += (double)l * level_cost;
    }
    double d = cost / ((double)height * (double)total * (double)size);
    return d < 0 ? 0 : d > 1 ? 1 : d;
}
