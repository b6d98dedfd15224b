/*
 * plan.c - generalization ladders over the level-0 values of a tuple table
 * (see plan.h). Each level's generalized values are interned in a strmap,
 * so a level is an array of ids; shares follow the loss metric:
 * share(g) = domain values under g / D, where the domain is the hierarchy
 * file's rows when the transform knows it (domain_size), else the distinct
 * values of the column in the input.
 */
#include <stdlib.h>
#include <string.h>

#include "deid_limits.h"
#include "err.h"
#include "plan.h"
#include "strmap.h"

typedef struct ladder {
    size_t n_levels, n_values;
    uint32_t **gen;       /* [level][v] */
    size_t *n_gen;        /* [level] */
    double **share;       /* [level][g] */
    strmap **labels;      /* [level]: generalized value -> id */
} ladder;

struct plan_ladders {
    size_t n;
    ladder *l;
    search_qi *qi;
};

void plan_ladders_free(plan_ladders *p)
{
    if (!p)
        return;
    for (size_t q = 0; q < p->n; q++) {
        ladder *l = &p->l[q];
        for (size_t k = 0; k < l->n_levels; k++) {
            if (l->gen)
                free(l->gen[k]);
            if (l->share)
                free(l->share[k]);
            if (l->labels)
                strmap_free(l->labels[k]);
        }
        free(l->gen);
        free(l->share);
        free(l->labels);
        free(l->n_gen);
    }
    free(p->l);
    free(p->qi);
    free(p);
}

static deid_status nomem(deid_error *err)
{
    return err_set(err, DEID_E_IO, "out of memory");
}

/* Fills values[v] with the level-0 value of id v of QI q, from the classes. */
static xf_value *level0_values(const class_table *t, size_t q, size_t n_values)
{
    xf_value *values = calloc(n_values ? n_values : 1, sizeof *values);
    if (!values)
        return NULL;
    size_t classes = class_table_classes(t);
    for (uint32_t c = 0; c < classes; c++) {
        uint32_t id = class_table_qi_id(t, c, q);
        if (id < n_values)
            values[id] = class_table_qi_value(t, c, q);
    }
    return values;
}

static deid_status build_one(const class_table *t, size_t q, const plan_column *col, ladder *l,
                             search_qi *sq, deid_error *err)
{
    size_t levels = col->ops->levels ? col->ops->levels(col->state) : 0;
    int has_ladder = levels > 0 && col->ops->apply_level;
    l->n_levels = has_ladder ? levels : 1;
    l->n_values = class_table_qi_distinct(t, q);
    l->gen = calloc(l->n_levels, sizeof *l->gen);
    l->share = calloc(l->n_levels, sizeof *l->share);
    l->labels = calloc(l->n_levels, sizeof *l->labels);
    l->n_gen = calloc(l->n_levels, sizeof *l->n_gen);
    if (!l->gen || !l->share || !l->labels || !l->n_gen)
        return nomem(err);
    xf_value *values = level0_values(t, q, l->n_values);
    if (!values)
        return nomem(err);
    size_t domain = has_ladder && col->ops->domain_size ? col->ops->domain_size(col->state) : 0;
    int from_file = domain > 0 && col->ops->domain_count;
    if (!from_file)
        domain = l->n_values;
    dbuf out;
    dbuf_init(&out, DEID_MAX_FIELD_BYTES * 4);
    deid_status st = DEID_OK;
    for (size_t k = 0; k < l->n_levels && !st; k++) {
        l->gen[k] = calloc(l->n_values ? l->n_values : 1, sizeof *l->gen[k]);
        l->labels[k] = strmap_new(l->n_values ? l->n_values : 1);
        if (!l->gen[k] || !l->labels[k]) {
            st = nomem(err);
            break;
        }
        for (size_t v = 0; v < l->n_values && !st; v++) {
            xf_value g = values[v];
            if (has_ladder && g.len > 0) { /* empty values stay empty at every level */
                const char *why = "cannot be generalized";
                dbuf_reset(&out);
                xf_result r = col->ops->apply_level(col->state, &values[v], k, &out, &why);
                if (r == XF_NOMEM) {
                    st = nomem(err);
                    break;
                }
                if (r != XF_OK && col->error_token) {
                    /* on-error=suppress: the run writes the token for this value at
                     * whatever level, so the plan counts it as the token */
                    r = XF_OK;
                    dbuf_reset(&out);
                    if (dbuf_append_str(&out, col->error_token)) {
                        st = nomem(err);
                        break;
                    }
                }
                if (r != XF_OK) {
                    st = err_set(err, DEID_E_DATA, "a value %s (level %zu)", why, k);
                    err_at_record(err, NULL, 0, 0, col->name);
                    break;
                }
                g.data = out.data ? out.data : "";
                g.len = out.len;
            }
            uint32_t id;
            int rc = strmap_put(l->labels[k], g.data, g.len,
                                (uint32_t)strmap_count(l->labels[k]), &id);
            if (rc < 0) {
                st = nomem(err);
                break;
            }
            l->gen[k][v] = id;
        }
        if (st)
            break;
        l->n_gen[k] = strmap_count(l->labels[k]);
        l->share[k] = calloc(l->n_gen[k] ? l->n_gen[k] : 1, sizeof *l->share[k]);
        if (!l->share[k]) {
            st = nomem(err);
            break;
        }
        if (from_file) {
            for (size_t g = 0; g < l->n_gen[k]; g++) {
                const char *key;
                size_t len;
                strmap_entry(l->labels[k], g, &key, &len, NULL);
                xf_value gv = {key, len};
                l->share[k][g] = (double)col->ops->domain_count(col->state, k, &gv) / (double)domain;
            }
        } else {
            /* count first, divide once: summing 1/D would drift past 1 */
            for (size_t v = 0; v < l->n_values; v++)
                l->share[k][l->gen[k][v]] += 1.0;
            for (size_t g = 0; g < l->n_gen[k]; g++)
                l->share[k][g] /= (double)domain;
        }
    }
    dbuf_free(&out);
    free(values);
    if (st)
        return st;
    sq->name = col->name;
    sq->n_levels = l->n_levels;
    sq->n_values = l->n_values;
    sq->gen = (const uint32_t *const *)l->gen;
    sq->n_gen = l->n_gen;
    sq->share = (const double *const *)l->share;
    sq->domain = (double)domain;
    sq->bounded = col->bounded && has_ladder;
    sq->min_level = col->min_level;
    sq->max_level = col->max_level;
    sq->weight = col->weight;
    return DEID_OK;
}

deid_status plan_ladders_build(const class_table *t, const plan_column *cols, size_t n,
                               plan_ladders **out, deid_error *err)
{
    *out = NULL;
    if (n == 0 || n > SEARCH_MAX_QI || n != class_table_n_qi(t))
        return err_set(err, DEID_E_USAGE, "the search takes 1 to %d quasi-identifiers",
                       SEARCH_MAX_QI);
    plan_ladders *p = calloc(1, sizeof *p);
    if (!p)
        return nomem(err);
    p->l = calloc(n, sizeof *p->l);
    p->qi = calloc(n, sizeof *p->qi);
    if (!p->l || !p->qi) {
        plan_ladders_free(p); /* p->n is still 0: nothing to walk */
        return nomem(err);
    }
    p->n = n;
    for (size_t q = 0; q < n; q++) {
        deid_status st = build_one(t, q, &cols[q], &p->l[q], &p->qi[q], err);
        if (st) {
            plan_ladders_free(p);
            return st;
        }
    }
    *out = p;
    return DEID_OK;
}

const search_qi *plan_ladders_qi(const plan_ladders *p)
{
    return p->qi;
}

xf_value plan_ladders_value(const plan_ladders *p, size_t q, size_t level, uint32_t v)
{
    xf_value out = {"", 0};
    const ladder *l = &p->l[q];
    if (level >= l->n_levels || v >= l->n_values)
        return out;
    const char *key;
    size_t len;
    if (strmap_entry(l->labels[level], l->gen[level][v], &key, &len, NULL) == 0) {
        out.data = key;
        out.len = len;
    }
    return out;
}
