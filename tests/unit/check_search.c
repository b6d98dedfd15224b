/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_search.c - the optimal generalization search: ARX's published
 * results on the Adult data, hand-worked lattices (scores, ties,
 * alternatives, discernibility), agreement with the search's exhaustive
 * mode and with a naive model on random problems (k, distinct and entropy
 * l, t with equal, ordered and hierarchical distance, empty sensitive
 * values counted or left out, suppression, input-suppressed records,
 * ladders that do not nest), the dense l/t path against the general one
 * (DEID_LT_FAST_PATH=0),
 * a lattice of over a million nodes, and usage errors.
 *
 * The naive model is independent of search.c: it generalizes the records
 * themselves as strings, counts classes with class_table_add one record at
 * a time, asks privacy_violations which classes fail, and computes the loss
 * from exact integers (shares are domain counts over D).
 *
 * Slow suite (about 27 s of the unit run's 60 s on a 2-CPU machine): the
 * exhaustive lattice walks (lattice_exhaustive ~9 s), the two lattices of
 * over a million nodes (~6 s each) and the random problems checked against
 * the exhaustive mode (~5 s). They are the only tests of the search's
 * pruning at scale; CK_RUN_SUITE=search runs them alone.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "privacy.h"
#include "search.h"
#include "tclose_hier.h"

#define TOL 1e-9
#define ADULT_DIR "/work/shared/data/arx/adult/"

static xf_value V(const char *s)
{
    return (xf_value){s, strlen(s)};
}

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static unsigned rng_below(uint64_t *s, unsigned n)
{
    return (unsigned)(rng_next(s) % n);
}

static double rng_unit(uint64_t *s)
{
    return (double)(rng_next(s) >> 11) / 9007199254740992.0;
}

/* ---- ladders ---- */

enum { MAX_LV = 8, MAX_Q = 16 };

/* One QI's ladder as the search wants it, indexed by the class table's
 * value ids. dom[l][g]: domain values under g (share = dom / D). */
typedef struct ladder {
    search_qi q;
    uint32_t *gen[MAX_LV];
    size_t n_gen[MAX_LV];
    double *share[MAX_LV];
    uint64_t *dom[MAX_LV];
    const uint32_t *genp[MAX_LV];
    const double *sharep[MAX_LV];
} ladder;

/* Allocates ladder storage for n_values table ids and n_gen[l] values. */
static void ladder_init(ladder *ld, const char *name, size_t levels, size_t n_values,
                        const size_t *n_gen, uint64_t domain)
{
    memset(ld, 0, sizeof *ld);
    for (size_t l = 0; l < levels; l++) {
        ld->gen[l] = calloc(n_values ? n_values : 1, sizeof *ld->gen[l]);
        ld->n_gen[l] = n_gen[l];
        ld->share[l] = calloc(n_gen[l], sizeof *ld->share[l]);
        ld->dom[l] = calloc(n_gen[l], sizeof *ld->dom[l]);
        ck_assert(ld->gen[l] && ld->share[l] && ld->dom[l]);
        ld->genp[l] = ld->gen[l];
        ld->sharep[l] = ld->share[l];
    }
    ld->q.name = name;
    ld->q.n_levels = levels;
    ld->q.n_values = n_values;
    ld->q.gen = ld->genp;
    ld->q.n_gen = ld->n_gen;
    ld->q.share = ld->sharep;
    ld->q.domain = (double)domain;
}

static void ladder_free(ladder *ld)
{
    for (size_t l = 0; l < MAX_LV; l++) {
        free(ld->gen[l]);
        free(ld->share[l]);
        free(ld->dom[l]);
    }
}

/* ---- ';'-separated files without quotes (ARX's exports) ---- */

typedef struct sheet {
    char *buf;
    char **cell;
    size_t rows, cols;
} sheet;

static void sheet_load(sheet *sh, const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long len = ftell(f);
    ck_assert(len > 0);
    rewind(f);
    sh->buf = malloc((size_t)len + 1);
    ck_assert_ptr_nonnull(sh->buf);
    ck_assert_uint_eq(fread(sh->buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    sh->buf[len] = 0;
    size_t cap = 1024, n = 0;
    sh->cell = malloc(cap * sizeof *sh->cell);
    sh->rows = sh->cols = 0;
    char *line = sh->buf;
    while (*line) {
        char *end = strchr(line, '\n');
        char *next = end ? end + 1 : line + strlen(line);
        if (end)
            *end = 0;
        size_t ll = strlen(line);
        if (ll && line[ll - 1] == '\r')
            line[--ll] = 0;
        if (ll) {
            size_t cols = 0;
            for (char *p = line;; cols++) {
                if (n == cap) {
                    cap *= 2;
                    sh->cell = realloc(sh->cell, cap * sizeof *sh->cell);
                    ck_assert_ptr_nonnull(sh->cell);
                }
                sh->cell[n++] = p;
                char *semi = strchr(p, ';');
                if (!semi) {
                    cols++;
                    break;
                }
                *semi = 0;
                p = semi + 1;
            }
            if (sh->rows == 0)
                sh->cols = cols;
            ck_assert_uint_eq(cols, sh->cols);
            sh->rows++;
        }
        line = next;
    }
}

static const char *sheet_at(const sheet *sh, size_t r, size_t c)
{
    return sh->cell[r * sh->cols + c];
}

static void sheet_free(sheet *sh)
{
    free(sh->buf);
    free(sh->cell);
}

/* ---- the Adult data with ARX's hierarchies ---- */

static const char *const adult_qi[] = {"sex",       "age",            "race",
                                       "marital-status", "education", "native-country",
                                       "workclass", "occupation",     "salary-class"};
enum { ADULT_QI = 9 };

typedef struct adult {
    class_table *t;
    ladder lad[ADULT_QI];
    search_qi qi[ADULT_QI];
} adult;

/* The level-0 value of each table id of QI j (pointers into the table). */
static xf_value *table_values(const class_table *t, size_t j)
{
    size_t n = class_table_qi_distinct(t, j);
    xf_value *v = calloc(n ? n : 1, sizeof *v);
    ck_assert_ptr_nonnull(v);
    for (uint32_t c = 0; c < class_table_classes(t); c++)
        v[class_table_qi_id(t, c, j)] = class_table_qi_value(t, c, j);
    return v;
}

/* Ladder from an ARX hierarchy: D = rows, level l of row r = column l,
 * share of g at level l = rows whose column l is g, over D. */
static void ladder_from_hierarchy(ladder *ld, const char *name, const class_table *t, size_t j)
{
    char path[512];
    snprintf(path, sizeof path, ADULT_DIR "adult_hierarchy_%s.csv", name);
    sheet h;
    sheet_load(&h, path);
    size_t R = h.rows, L = h.cols;
    ck_assert_uint_le(L, MAX_LV);
    /* Intern each column's strings: gid[l][r]. */
    uint32_t *gid[MAX_LV];
    size_t n_gen[MAX_LV];
    for (size_t l = 0; l < L; l++) {
        gid[l] = malloc(R * sizeof *gid[l]);
        n_gen[l] = 0;
        for (size_t r = 0; r < R; r++) {
            size_t q = 0;
            while (q < r && strcmp(sheet_at(&h, q, l), sheet_at(&h, r, l)) != 0)
                q++;
            gid[l][r] = q < r ? gid[l][q] : (uint32_t)n_gen[l]++;
        }
    }
    size_t nv = class_table_qi_distinct(t, j);
    ladder_init(ld, name, L, nv, n_gen, R);
    for (size_t l = 0; l < L; l++) {
        for (size_t r = 0; r < R; r++)
            ld->dom[l][gid[l][r]]++;
        for (size_t g = 0; g < n_gen[l]; g++)
            ld->share[l][g] = (double)ld->dom[l][g] / (double)R;
    }
    xf_value *vals = table_values(t, j);
    for (size_t v = 0; v < nv; v++) {
        size_t r = 0;
        while (r < R && (strlen(sheet_at(&h, r, 0)) != vals[v].len ||
                         memcmp(sheet_at(&h, r, 0), vals[v].data, vals[v].len) != 0))
            r++;
        ck_assert_msg(r < R, "%s: a value is not in the hierarchy", name);
        for (size_t l = 0; l < L; l++)
            ld->gen[l][v] = gid[l][r];
    }
    free(vals);
    for (size_t l = 0; l < L; l++)
        free(gid[l]);
    sheet_free(&h);
}

static void adult_load(adult *a)
{
    sheet d;
    sheet_load(&d, ADULT_DIR "adult.csv");
    size_t col[ADULT_QI];
    for (size_t j = 0; j < ADULT_QI; j++) {
        col[j] = 0;
        while (col[j] < d.cols && strcmp(sheet_at(&d, 0, col[j]), adult_qi[j]) != 0)
            col[j]++;
        ck_assert_uint_lt(col[j], d.cols);
    }
    a->t = class_table_new(ADULT_QI, 0, "*", 1000000);
    ck_assert_ptr_nonnull(a->t);
    for (size_t r = 1; r < d.rows; r++) {
        xf_value qi[ADULT_QI];
        for (size_t j = 0; j < ADULT_QI; j++)
            qi[j] = V(sheet_at(&d, r, col[j]));
        ck_assert_int_eq(class_table_add(a->t, qi, NULL, NULL), CLASS_OK);
    }
    sheet_free(&d);
    for (size_t j = 0; j < ADULT_QI; j++) {
        ladder_from_hierarchy(&a->lad[j], adult_qi[j], a->t, j);
        a->qi[j] = a->lad[j].q;
    }
}

static void adult_free(adult *a)
{
    for (size_t j = 0; j < ADULT_QI; j++)
        ladder_free(&a->lad[j]);
    class_table_free(a->t);
}

/* ARX 3.9's results for the Adult data (loss metric, ARX's default). */
static const struct {
    uint64_t k;
    double max;
    uint8_t levels[ADULT_QI];
    uint64_t suppressed, classes, limit;
    double loss;
} adult_expect[] = {
    {5, 0.00, {0, 4, 1, 1, 3, 2, 2, 1, 0}, 0, 24, 0, 0.5731509655590044},
    {5, 0.01, {0, 3, 1, 1, 2, 2, 1, 1, 0}, 294, 263, 301, 0.36240672301036203},
    {2, 0.05, {0, 3, 0, 0, 1, 1, 1, 1, 0}, 1350, 1468, 1508, 0.16900586270227813},
};

START_TEST(test_adult_arx)
{
    adult a;
    adult_load(&a);
    ck_assert_uint_eq(class_table_records(a.t), 30162);
    search_problem p = {.tuples = a.t, .qi = a.qi, .metric = METRIC_LOSS};
    p.req.k = adult_expect[_i].k;
    p.suppress_max = adult_expect[_i].max;
    p.n_alternatives = 3;
    search_result r;
    deid_error err;
    ck_assert_int_eq(search_run(&p, &r, &err), DEID_OK);
    ck_assert_int_eq(r.found, 1);
    ck_assert_uint_eq(r.nodes_total, 2 * 5 * 2 * 3 * 4 * 3 * 3 * 3 * 2);
    ck_assert_uint_eq(r.records, 30162);
    ck_assert_uint_eq(r.suppression_limit, adult_expect[_i].limit);
    for (size_t j = 0; j < ADULT_QI; j++)
        ck_assert_msg(r.best.levels[j] == adult_expect[_i].levels[j], "QI %s: level %u, want %u",
                      adult_qi[j], r.best.levels[j], adult_expect[_i].levels[j]);
    ck_assert_uint_eq(r.best.suppressed, adult_expect[_i].suppressed);
    ck_assert_uint_eq(r.best.classes, adult_expect[_i].classes);
    ck_assert_double_eq_tol(r.best.score, adult_expect[_i].loss, TOL);
    ck_assert_uint_ge(r.best.min_class, adult_expect[_i].k);
    ck_assert_uint_eq(r.n_alternatives, 3);
    for (size_t i = 0; i < r.n_alternatives; i++)
        ck_assert(r.alternatives[i].score >= r.best.score);
    ck_assert_uint_gt(r.nodes_evaluated, 0);
    ck_assert_uint_lt(r.nodes_evaluated, r.nodes_total);
    adult_free(&a);
}
END_TEST

/* ---- random problems and the naive model ---- */

#define IN_SUPP UINT32_MAX /* record suppressed in the input */

typedef struct rprob {
    size_t m, ns, n;
    uint32_t *x;                   /* n x m domain values, or IN_SUPP */
    uint32_t *sv;                  /* n x ns sensitive values */
    size_t dsize[MAX_Q];           /* D_j: domain values 0 .. D-1 */
    size_t levels[MAX_Q];
    uint32_t *map[MAX_Q][MAX_LV];  /* domain value -> generalized id */
    size_t n_gen[MAX_Q][MAX_LV];
    char names[MAX_Q][24];
    class_table *t;
    ladder lad[MAX_Q];
    search_qi qi[MAX_Q];
    privacy_sensitive_spec spec[4];
    int empty0;                    /* sensitive value 0 is written as "" */
    tclose_hier *hier;             /* column 0's tree, when it has one */
    search_problem p;
} rprob;

/* Sensitive value v as its string (value 0 empty under empty0). */
static xf_value sens_text(const rprob *rp, uint32_t v, char *buf, size_t cap)
{
    if (rp->empty0 && v == 0)
        return V("");
    snprintf(buf, cap, "%u", v);
    return V(buf);
}

/* Builds the class table of level-0 tuples and the ladders over its ids
 * (value strings are decimal domain values, so id -> value by parsing). */
static void rprob_build(rprob *rp)
{
    size_t m = rp->m, ns = rp->ns;
    rp->t = class_table_new(m, ns, "*", 1000000);
    ck_assert_ptr_nonnull(rp->t);
    char qs[MAX_Q][16], ss[4][16];
    xf_value qi[MAX_Q], sv[4];
    for (size_t i = 0; i < rp->n; i++) {
        for (size_t j = 0; j < m; j++) {
            uint32_t x = rp->x[i * m + j];
            if (x == IN_SUPP)
                snprintf(qs[j], sizeof qs[j], "*");
            else
                snprintf(qs[j], sizeof qs[j], "%u", x);
            qi[j] = V(qs[j]);
        }
        for (size_t s = 0; s < ns; s++)
            sv[s] = sens_text(rp, rp->sv[i * ns + s], ss[s], sizeof ss[s]);
        ck_assert_int_eq(class_table_add(rp->t, qi, sv, NULL), CLASS_OK);
    }
    for (size_t j = 0; j < m; j++) {
        snprintf(rp->names[j], sizeof rp->names[j], "q%zu", j);
        size_t nv = class_table_qi_distinct(rp->t, j);
        ladder *ld = &rp->lad[j];
        ladder_init(ld, rp->names[j], rp->levels[j], nv, rp->n_gen[j], rp->dsize[j]);
        for (size_t l = 0; l < rp->levels[j]; l++) {
            for (size_t x = 0; x < rp->dsize[j]; x++)
                ld->dom[l][rp->map[j][l][x]]++;
            for (size_t g = 0; g < rp->n_gen[j][l]; g++)
                ld->share[l][g] = (double)ld->dom[l][g] / (double)rp->dsize[j];
        }
        xf_value *vals = table_values(rp->t, j);
        for (size_t v = 0; v < nv; v++) {
            unsigned x = 0;
            for (size_t b = 0; b < vals[v].len; b++)
                x = x * 10 + (unsigned)(vals[v].data[b] - '0');
            ck_assert_uint_lt(x, rp->dsize[j]);
            for (size_t l = 0; l < rp->levels[j]; l++)
                ld->gen[l][v] = rp->map[j][l][x];
        }
        free(vals);
        rp->qi[j] = ld->q;
    }
    rp->p.tuples = rp->t;
    rp->p.qi = rp->qi;
    rp->p.spec = ns ? rp->spec : NULL;
}

static void rprob_free(rprob *rp)
{
    for (size_t j = 0; j < rp->m; j++) {
        ladder_free(&rp->lad[j]);
        for (size_t l = 0; l < MAX_LV; l++)
            free(rp->map[j][l]);
    }
    free(rp->x);
    free(rp->sv);
    class_table_free(rp->t);
    tclose_hier_free(rp->hier);
}

static csv_field field(const char *s)
{
    return (csv_field){s, strlen(s)};
}

/* A random tree over sensitive values 0 .. nv-1 (without 0 under empty0):
 * one root, and with 3 columns 1 to 3 groups between. */
static tclose_hier *random_tree(uint64_t *rng, unsigned nv, int empty0)
{
    tclose_hier *h = tclose_hier_new();
    ck_assert_ptr_nonnull(h);
    int width = 2 + (int)rng_below(rng, 2);
    unsigned groups = 1 + rng_below(rng, 3);
    for (unsigned v = empty0; v < nv; v++) {
        char leaf[16], group[16];
        snprintf(leaf, sizeof leaf, "%u", v);
        snprintf(group, sizeof group, "g%u", rng_below(rng, groups));
        csv_field f[3] = {field(leaf), width == 3 ? field(group) : field("*"), field("*")};
        size_t bad;
        ck_assert_int_eq(tclose_hier_add(h, f, (size_t)width, &bad), TCLOSE_HIER_OK);
    }
    return h;
}

static void rprob_random(rprob *rp, uint64_t *rng)
{
    memset(rp, 0, sizeof *rp);
    /* drawn apart, so that adding them left the other draws as they were */
    uint64_t apart = *rng ^ 0x9e3779b97f4a7c15u;
    size_t m = rp->m = 2 + rng_below(rng, 3);
    size_t ns = rp->ns = rng_below(rng, 3);
    rp->empty0 = ns && rng_below(&apart, 4) == 0;
    int nested = rng_below(rng, 5) != 0;
    for (size_t j = 0; j < m; j++) {
        size_t d = rp->dsize[j] = 2 + rng_below(rng, 7);
        size_t L = rp->levels[j] = 1 + rng_below(rng, 4);
        rp->map[j][0] = malloc(d * sizeof(uint32_t));
        for (size_t x = 0; x < d; x++)
            rp->map[j][0][x] = (uint32_t)x;
        rp->n_gen[j][0] = d;
        for (size_t l = 1; l < L; l++) {
            size_t prev = rp->n_gen[j][l - 1];
            size_t ng = l + 1 == L && rng_below(rng, 2) ? 1 : 1 + rng_below(rng, (unsigned)prev);
            uint32_t *f = malloc(prev * sizeof *f);
            rp->map[j][l] = malloc(d * sizeof(uint32_t));
            for (size_t g = 0; g < prev; g++)
                f[g] = g < ng ? (uint32_t)g : rng_below(rng, (unsigned)ng);
            for (size_t x = 0; x < d; x++)
                rp->map[j][l][x] = nested ? f[rp->map[j][l - 1][x]] : rng_below(rng, (unsigned)ng);
            rp->n_gen[j][l] = ng; /* a non-nested map may leave ids unused */
            free(f);
        }
    }
    /* Now and then three fixed QIs with huge domains, so that class codes
     * no longer fit 64 bits and the search works in its wide mode. */
    size_t ladders = m;
    if (rng_below(rng, 100) < 15) {
        for (size_t j = m; j < m + 3; j++) {
            size_t d = rp->dsize[j] = (size_t)1 << 18;
            rp->levels[j] = 1;
            rp->map[j][0] = malloc(d * sizeof(uint32_t));
            for (size_t x = 0; x < d; x++)
                rp->map[j][0][x] = (uint32_t)x;
            rp->n_gen[j][0] = d;
        }
        m = rp->m = m + 3;
    }
    size_t n = rp->n = 20 + rng_below(rng, 280);
    rp->x = malloc(n * m * sizeof *rp->x);
    rp->sv = malloc((ns ? n * ns : 1) * sizeof *rp->sv);
    int presupp = rng_below(rng, 10) < 3;
    unsigned nsv[4];
    for (size_t s = 0; s < ns; s++)
        nsv[s] = 2 + rng_below(rng, 4);
    for (size_t i = 0; i < n; i++) {
        int sup = presupp && rng_below(rng, 30) == 0;
        for (size_t j = 0; j < m; j++) {
            double u = rng_unit(rng);
            rp->x[i * m + j] = sup ? IN_SUPP
                               : j < ladders ? (uint32_t)(rp->dsize[j] * u * u)
                                             : rng_below(rng, 3);
        }
        for (size_t s = 0; s < ns; s++) {
            double u = rng_unit(rng);
            uint32_t base = sup ? 0 : rp->x[i * m] % nsv[s];
            rp->sv[i * ns + s] = rng_below(rng, 3) ? (uint32_t)(nsv[s] * u * u) : base;
        }
    }
    rprob_build(rp);
    privacy_requirement *q = &rp->p.req;
    static const uint64_t ks[] = {0, 1, 2, 2, 3, 3, 4, 5, 6};
    q->k = ks[rng_below(rng, 9)];
    if (ns && rng_below(rng, 10) < 4) {
        q->l_kind = rng_below(rng, 2) ? L_ENTROPY : L_DISTINCT;
        static const double ld[] = {2, 3}, le[] = {1.5, 2, 2.5};
        q->l = q->l_kind == L_DISTINCT ? ld[rng_below(rng, 2)] : le[rng_below(rng, 3)];
    }
    if (ns && rng_below(rng, 10) < 3) {
        static const double ts[] = {0.1, 0.25, 0.4};
        q->t = ts[rng_below(rng, 3)];
    }
    for (size_t s = 0; s < ns; s++)
        rp->spec[s] = (privacy_sensitive_spec){"s", (int)rng_below(rng, 2)};
    /* Empty values left out or counted; the hierarchical distance on one
     * column (with empty values counted, no leaf of the tree: distance 1,
     * fail closed). */
    for (size_t s = 0; s < ns && rp->empty0; s++)
        rp->spec[s].ignore_empty = (int)rng_below(&apart, 2);
    if (ns == 1 && rng_below(&apart, 3) == 0) {
        rp->hier = random_tree(&apart, nsv[0], rp->empty0);
        rp->spec[0].hier = rp->hier;
    }
    static const double maxes[] = {0, 0, 0.01, 0.03, 0.05, 0.1, 0.2, 0.5, 1};
    rp->p.suppress_max = maxes[rng_below(rng, 9)];
    rp->p.metric = rng_below(rng, 4) == 0 ? METRIC_DISCERNIBILITY : METRIC_LOSS;
    rp->p.n_alternatives = rng_below(rng, 6);
    /* Planner controls now and then: a weight per QI, bounds on levels. */
    if (rng_below(rng, 10) < 4) {
        static const double ws[] = {0, 1, 0.5, 2, 3.5, 10};
        for (size_t j = 0; j < rp->m; j++)
            rp->qi[j].weight = ws[rng_below(rng, 6)];
    }
    if (rng_below(rng, 10) < 4)
        for (size_t j = 0; j < rp->m; j++) {
            if (rp->levels[j] < 2 || rng_below(rng, 2))
                continue;
            size_t a = rng_below(rng, (unsigned)rp->levels[j]);
            size_t b = a + rng_below(rng, (unsigned)(rp->levels[j] - a));
            rp->qi[j].bounded = 1;
            rp->qi[j].min_level = a;
            rp->qi[j].max_level = b;
        }
}

/* Whether node lv lies within every QI's bounds. */
static int within_bounds(const rprob *rp, const uint8_t *lv)
{
    for (size_t j = 0; j < rp->m; j++)
        if (rp->qi[j].bounded && (lv[j] < rp->qi[j].min_level || lv[j] > rp->qi[j].max_level))
            return 0;
    return 1;
}

typedef struct nres {
    int feasible;
    uint8_t lv[MAX_Q];
    unsigned sum;
    uint64_t supp, classes, min_class, max_class, dm;
    double loss;
    double qi_loss[MAX_Q];
} nres;

/* The naive model: generalize every record, count classes one record at
 * a time, ask privacy_violations, compute the loss from integers. */
static nres naive_eval(const rprob *rp, const uint8_t *lv)
{
    size_t m = rp->m, ns = rp->ns, n = rp->n;
    nres r;
    memset(&r, 0, sizeof r);
    memcpy(r.lv, lv, m);
    for (size_t j = 0; j < m; j++)
        r.sum += lv[j];
    class_table *t = class_table_new(m, ns, "*", 100000);
    ck_assert_ptr_nonnull(t);
    uint32_t *cid = malloc(n * sizeof *cid);
    char qs[MAX_Q][16], ss[4][16];
    xf_value qi[MAX_Q], sv[4];
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < m; j++) {
            uint32_t x = rp->x[i * m + j];
            if (x == IN_SUPP)
                snprintf(qs[j], sizeof qs[j], "*");
            else
                snprintf(qs[j], sizeof qs[j], "g%u", rp->map[j][lv[j]][x]);
            qi[j] = V(qs[j]);
        }
        for (size_t s = 0; s < ns; s++)
            sv[s] = sens_text(rp, rp->sv[i * ns + s], ss[s], sizeof ss[s]);
        ck_assert_int_eq(class_table_add(t, qi, sv, &cid[i]), CLASS_OK);
    }
    size_t nc = class_table_classes(t);
    unsigned char *viol = calloc(nc ? nc : 1, 1);
    uint64_t bad = privacy_violations(t, &rp->p.req, rp->spec, viol);
    ck_assert(bad != UINT64_MAX);
    r.supp = class_table_suppressed(t) + bad;
    uint64_t limit = (uint64_t)floor(rp->p.suppress_max * (double)n + 1e-9);
    r.feasible = r.supp <= limit;
    for (uint32_t c = 0; c < nc; c++) {
        if (viol[c])
            continue;
        uint64_t z = class_table_size(t, c);
        if (!r.classes || z < r.min_class)
            r.min_class = z;
        if (z > r.max_class)
            r.max_class = z;
        r.classes++;
        r.dm += z * z;
    }
    r.dm += r.supp * n;
    /* The weighted geometric mean of the (1 + loss_j), weights w_j (0 = 1):
     * exp(sum w_j ln(1 + loss_j) / sum w_j) - 1, computed through logs
     * rather than the engine's product of powers. */
    double logsum = 0, wsum = 0;
    for (size_t j = 0; j < m; j++) {
        uint64_t D = rp->dsize[j], A = r.supp * D;
        for (size_t i = 0; i < n; i++) {
            uint32_t x = rp->x[i * m + j];
            if (x != IN_SUPP && (cid[i] == CLASS_SUPPRESSED || !viol[cid[i]]))
                A += rp->lad[j].dom[lv[j]][rp->map[j][lv[j]][x]];
        }
        double l = 0;
        if (D > 1 && n > 0) {
            double x = (double)(A - n) / (double)(n * D - n);
            l = x > 0 ? floor(x * 1e10) / 1e10 : 0;
        }
        double w = rp->qi[j].weight > 0 ? rp->qi[j].weight : 1;
        r.qi_loss[j] = l;
        logsum += w * log1p(l);
        wsum += w;
    }
    r.loss = expm1(logsum / wsum);
    free(viol);
    free(cid);
    class_table_free(t);
    return r;
}

static int nres_before(const rprob *rp, const nres *a, const nres *b)
{
    if (rp->p.metric == METRIC_LOSS) {
        if (fabs(a->loss - b->loss) > TOL)
            return a->loss < b->loss;
    } else if (a->dm != b->dm)
        return a->dm < b->dm;
    if (a->sum != b->sum)
        return a->sum < b->sum;
    return memcmp(a->lv, b->lv, rp->m) < 0;
}

static int same_node(const search_node *a, const search_node *b, size_t m)
{
    return memcmp(a->levels, b->levels, m) == 0 && a->score == b->score &&
           a->suppressed == b->suppressed && a->classes == b->classes &&
           a->min_class == b->min_class && a->max_class == b->max_class;
}

/* Checks a search node against the naive model's figures for it. */
static void expect_naive(const rprob *rp, const search_node *s, const nres *want_rank, int seed)
{
    nres r = naive_eval(rp, s->levels);
    ck_assert_msg(r.feasible, "seed %d: reported node is not feasible", seed);
    ck_assert_uint_eq(s->suppressed, r.supp);
    ck_assert_uint_eq(s->classes, r.classes);
    ck_assert_uint_eq(s->min_class, r.min_class);
    ck_assert_uint_eq(s->max_class, r.max_class);
    ck_assert_msg(within_bounds(rp, s->levels), "seed %d: node outside the bounds", seed);
    if (rp->p.metric == METRIC_LOSS) {
        for (size_t j = 0; j < rp->m; j++)
            ck_assert_double_eq_tol(s->qi_loss[j], r.qi_loss[j], TOL);
        ck_assert_double_eq_tol(s->score, r.loss, TOL);
        ck_assert_msg(fabs(s->score - want_rank->loss) <= TOL,
                      "seed %d: score %.12f, the naive rank holds %.12f", seed, s->score,
                      want_rank->loss);
    } else {
        ck_assert_double_eq(s->score, (double)r.dm);
        ck_assert_uint_eq(r.dm, want_rank->dm);
        ck_assert_mem_eq(s->levels, want_rank->lv, rp->m); /* integers: ties are exact */
    }
}

/* The explanation's probes: the best node with each QI one level lower,
 * every violating record counted even past the limit, as the naive model
 * counts them. */
static void expect_probes(const rprob *rp, const search_node *best, int seed)
{
    search_probe pr[MAX_Q];
    size_t n = 0;
    for (size_t j = 0; j < rp->m; j++)
        if (best->levels[j] > 0) {
            memset(&pr[n], 0, sizeof pr[n]);
            memcpy(pr[n].node.levels, best->levels, rp->m);
            pr[n].node.levels[j]--;
            n++;
        }
    deid_error err;
    ck_assert_int_eq(search_probe_nodes(&rp->p, pr, n, &err), DEID_OK);
    for (size_t i = 0; i < n; i++) {
        nres r = naive_eval(rp, pr[i].node.levels);
        ck_assert_msg(pr[i].feasible == r.feasible, "seed %d: probe %zu feasibility", seed, i);
        ck_assert_uint_eq(pr[i].node.suppressed, r.supp);
        ck_assert_uint_eq(pr[i].node.classes, r.classes);
        ck_assert_uint_eq(pr[i].node.min_class, r.min_class);
        ck_assert_uint_eq(pr[i].node.max_class, r.max_class);
        if (rp->p.metric == METRIC_LOSS)
            ck_assert_double_eq_tol(pr[i].node.score, r.loss, TOL);
    }
}

START_TEST(test_random_vs_exhaustive)
{
    for (int seed = 0; seed < 250; seed++) {
        uint64_t rng = 0x5eed0000u + (uint64_t)seed;
        rprob rp;
        rprob_random(&rp, &rng);
        search_result fast, full;
        deid_error err;
        ck_assert_int_eq(search_run(&rp.p, &fast, &err), DEID_OK);
        rp.p.exhaustive = 1;
        ck_assert_int_eq(search_run(&rp.p, &full, &err), DEID_OK);
        rp.p.exhaustive = 0;

        /* The exhaustive mode, exactly. */
        /* Every node, unless the input-suppressed records alone break the limit. */
        ck_assert(full.nodes_evaluated == full.nodes_total ||
                  (!full.found && full.nodes_evaluated == 0));
        ck_assert_uint_eq(fast.nodes_total, full.nodes_total);
        ck_assert_uint_le(fast.nodes_evaluated, fast.nodes_total);
        ck_assert_int_eq(fast.found, full.found);
        ck_assert_uint_eq(fast.suppression_limit, full.suppression_limit);
        ck_assert_uint_eq(fast.records, rp.n);
        if (fast.found)
            ck_assert_msg(same_node(&fast.best, &full.best, rp.m), "seed %d: best differs", seed);
        ck_assert_uint_eq(fast.n_alternatives, full.n_alternatives);
        for (size_t i = 0; i < fast.n_alternatives; i++)
            ck_assert_msg(same_node(&fast.alternatives[i], &full.alternatives[i], rp.m),
                          "seed %d: alternative %zu differs", seed, i);

        /* The naive model: every node, ranked. */
        size_t total = 1;
        for (size_t j = 0; j < rp.m; j++)
            total *= rp.levels[j];
        nres *all = malloc(total * sizeof *all);
        size_t n_feas = 0;
        uint8_t lv[MAX_Q] = {0};
        size_t in_bounds = 0;
        for (size_t i = 0; i < total; i++) {
            nres r = naive_eval(&rp, lv);
            in_bounds += within_bounds(&rp, lv);
            if (r.feasible && within_bounds(&rp, lv)) {
                size_t k = n_feas++;
                while (k > 0 && nres_before(&rp, &r, &all[k - 1])) {
                    all[k] = all[k - 1];
                    k--;
                }
                all[k] = r;
            }
            for (size_t j = rp.m; j-- > 0;) {
                if (++lv[j] < rp.levels[j])
                    break;
                lv[j] = 0;
            }
        }
        ck_assert_uint_eq(fast.nodes_total, in_bounds);
        ck_assert_msg(fast.found == (n_feas > 0), "seed %d: found %d, naive %zu feasible", seed,
                      fast.found, n_feas);
        if (fast.found) {
            expect_naive(&rp, &fast.best, &all[0], seed);
            size_t want = rp.p.n_alternatives < n_feas - 1 ? rp.p.n_alternatives : n_feas - 1;
            ck_assert_uint_eq(fast.n_alternatives, want);
            for (size_t i = 0; i < fast.n_alternatives; i++)
                expect_naive(&rp, &fast.alternatives[i], &all[i + 1], seed);
            expect_probes(&rp, &fast.best, seed);
        }
        free(all);
        rprob_free(&rp);
    }
}
END_TEST

/* The dense l/t path (search_lt.c) and the general one (class tables
 * through privacy.c, which DEID_LT_FAST_PATH=0 forces) on the same random
 * problems, every one asking l or t: the same answer, node for node. */
START_TEST(test_lt_paths)
{
    int compared = 0, hier = 0;
    for (int seed = 0; seed < 400; seed++) {
        uint64_t rng = 0x1700000u + (uint64_t)seed;
        rprob rp;
        rprob_random(&rp, &rng);
        if (!rp.ns) {
            rprob_free(&rp);
            continue;
        }
        if (rp.p.req.l == 0 && rp.p.req.t == 0)
            rp.p.req.t = 0.25;
        search_result fast, general;
        deid_error err;
        ck_assert_int_eq(search_run(&rp.p, &fast, &err), DEID_OK);
        setenv("DEID_LT_FAST_PATH", "0", 1);
        deid_status st = search_run(&rp.p, &general, &err);
        unsetenv("DEID_LT_FAST_PATH");
        ck_assert_int_eq(st, DEID_OK);
        ck_assert_int_eq(fast.found, general.found);
        ck_assert_uint_eq(fast.nodes_evaluated, general.nodes_evaluated);
        if (fast.found)
            ck_assert_msg(same_node(&fast.best, &general.best, rp.m), "seed %d: best differs",
                          seed);
        ck_assert_uint_eq(fast.n_alternatives, general.n_alternatives);
        for (size_t i = 0; i < fast.n_alternatives; i++)
            ck_assert_msg(same_node(&fast.alternatives[i], &general.alternatives[i], rp.m),
                          "seed %d: alternative %zu differs", seed, i);
        compared++;
        hier += rp.hier != NULL;
        rprob_free(&rp);
    }
    /* the draws reach both distances */
    ck_assert_int_gt(compared, 200);
    ck_assert_int_gt(hier, 30);
}
END_TEST

/* ---- large lattices ---- */

/* m QIs, the first n4 with 4 levels over 27 values (27, 9, 3, 1 groups),
 * the others with 3 levels over 8 values (8, 4, 1), and n records whose
 * values share a latent variable (so that QIs correlate) and crowd the
 * low values. */
static void rprob_lattice(rprob *rp, size_t m, size_t n4, size_t n, uint64_t seed)
{
    memset(rp, 0, sizeof *rp);
    rp->m = m;
    rp->n = n;
    for (size_t j = 0; j < m; j++) {
        size_t L = rp->levels[j] = j < n4 ? 4 : 3;
        size_t d = rp->dsize[j] = L == 4 ? 27 : 8;
        static const size_t div4[] = {1, 3, 9, 27}, div3[] = {1, 2, 8};
        for (size_t l = 0; l < L; l++) {
            size_t div = L == 4 ? div4[l] : div3[l];
            rp->map[j][l] = malloc(d * sizeof(uint32_t));
            for (size_t x = 0; x < d; x++)
                rp->map[j][l][x] = (uint32_t)(x / div);
            rp->n_gen[j][l] = (d + div - 1) / div;
        }
    }
    rp->x = malloc(n * m * sizeof *rp->x);
    rp->sv = malloc(sizeof *rp->sv);
    uint64_t rng = seed;
    for (size_t i = 0; i < n; i++) {
        double lat = rng_unit(&rng);
        for (size_t j = 0; j < m; j++) {
            double w = 0.6 * lat + 0.4 * rng_unit(&rng);
            rp->x[i * m + j] = (uint32_t)((double)rp->dsize[j] * w * w);
        }
    }
    rprob_build(rp);
}

/* The naive model's lower bound: the loss with nothing suppressed, from
 * exact integers (shares are domain counts over D). */
static double naive_bound(const rprob *rp, const uint8_t *lv)
{
    double prod = 1;
    for (size_t j = 0; j < rp->m; j++) {
        uint64_t D = rp->dsize[j], A = 0, n = rp->n;
        for (size_t i = 0; i < n; i++)
            A += rp->lad[j].dom[lv[j]][rp->map[j][lv[j]][rp->x[i * rp->m + j]]];
        double x = D > 1 && n ? (double)(A - n) / (double)(n * D - n) : 0;
        prod *= 1 + (x > 0 ? floor(x * 1e10) / 1e10 : 0);
    }
    return pow(prod, 1.0 / (double)rp->m) - 1;
}

/* Whether naive result a must rank before search node s (score beyond
 * rounding, then level sum, then levels). */
static int nres_beats(const rprob *rp, const nres *a, const search_node *s)
{
    nres b;
    memset(&b, 0, sizeof b);
    memcpy(b.lv, s->levels, rp->m);
    for (size_t j = 0; j < rp->m; j++)
        b.sum += s->levels[j];
    b.loss = s->score;
    return a->feasible && nres_before(rp, a, &b) && memcmp(a->lv, b.lv, rp->m) != 0;
}

/* A result on a lattice too large for the naive model to rank: the nodes
 * reported are feasible with the naive figures, the best node's immediate
 * specializations (the nodes that could beat it with the least
 * generalization) do not beat it, and neither does any of n_sample random
 * nodes whose bound lies below the best loss. */
static void expect_plausibly_optimal(const rprob *rp, const search_result *r, size_t n_sample,
                                     uint64_t seed)
{
    ck_assert_int_eq(r->found, 1);
    expect_naive(rp, &r->best, &(nres){.loss = r->best.score}, 0);
    const search_node *last = &r->best;
    for (size_t i = 0; i < r->n_alternatives; i++) {
        expect_naive(rp, &r->alternatives[i], &(nres){.loss = r->alternatives[i].score}, 0);
        ck_assert(r->alternatives[i].score >= r->best.score);
        last = &r->alternatives[i];
    }
    for (size_t j = 0; j < rp->m; j++) {
        if (!r->best.levels[j])
            continue;
        uint8_t lv[MAX_Q];
        memcpy(lv, r->best.levels, rp->m);
        lv[j]--;
        nres x = naive_eval(rp, lv);
        ck_assert_msg(!nres_beats(rp, &x, &r->best), "a specialization of the best is better");
    }
    uint64_t rng = seed;
    size_t checked = 0;
    for (size_t tries = 0; checked < n_sample && tries < 100 * n_sample; tries++) {
        uint8_t lv[MAX_Q];
        for (size_t j = 0; j < rp->m; j++)
            lv[j] = (uint8_t)rng_below(&rng, (unsigned)rp->levels[j]);
        if (naive_bound(rp, lv) >= last->score)
            continue;
        checked++;
        nres x = naive_eval(rp, lv);
        ck_assert_msg(!nres_beats(rp, &x, last), "a sampled node beats the reported ones");
    }
    ck_assert_uint_eq(checked, n_sample);
}

START_TEST(test_lattice_exhaustive)
{
    /* 3^10 = 59,049 nodes: every one evaluated by the exhaustive mode. */
    static const struct {
        size_t n;
        uint64_t k;
        double max;
    } cfg[] = {{2000, 3, 0.03}, {2000, 2, 0}, {1500, 4, 0.1}};
    for (size_t c = 0; c < 3; c++) {
        rprob rp;
        rprob_lattice(&rp, 10, 0, cfg[c].n, 77 + c);
        rp.p.req.k = cfg[c].k;
        rp.p.suppress_max = cfg[c].max;
        rp.p.n_alternatives = 4;
        search_result fast, full;
        deid_error err;
        ck_assert_int_eq(search_run(&rp.p, &fast, &err), DEID_OK);
        rp.p.exhaustive = 1;
        ck_assert_int_eq(search_run(&rp.p, &full, &err), DEID_OK);
        ck_assert_uint_eq(full.nodes_total, 59049);
        ck_assert_uint_eq(full.nodes_evaluated, 59049);
        ck_assert_uint_lt(fast.nodes_evaluated, 59049 / 4);
        ck_assert_int_eq(fast.found, 1);
        ck_assert_int_eq(full.found, 1);
        ck_assert(same_node(&fast.best, &full.best, rp.m));
        ck_assert_uint_eq(fast.n_alternatives, 4);
        ck_assert_uint_eq(full.n_alternatives, 4);
        for (size_t i = 0; i < 4; i++)
            ck_assert(same_node(&fast.alternatives[i], &full.alternatives[i], rp.m));
        expect_naive(&rp, &fast.best, &(nres){.loss = fast.best.score}, 0);
        rprob_free(&rp);
    }
}
END_TEST

START_TEST(test_lattice_million)
{
    /* 4^4 x 3^8 = 1,679,616 nodes. */
    static const struct {
        size_t n;
        uint64_t k;
        double max;
    } cfg[] = {{20000, 5, 0}, {10000, 5, 0.02}};
    rprob rp;
    rprob_lattice(&rp, 12, 4, cfg[_i].n, 1000 + (uint64_t)_i);
    rp.p.req.k = cfg[_i].k;
    rp.p.suppress_max = cfg[_i].max;
    rp.p.n_alternatives = 2;
    search_result r;
    deid_error err;
    ck_assert_int_eq(search_run(&rp.p, &r, &err), DEID_OK);
    ck_assert_uint_eq(r.nodes_total, 1679616);
    ck_assert_uint_lt(r.nodes_evaluated, r.nodes_total / 10);
    expect_plausibly_optimal(&rp, &r, 60, 5 + (uint64_t)_i);
    rprob_free(&rp);
}
END_TEST

/* ---- class_table_add_n, which the search's l and t checks rely on ---- */

typedef struct dist_sink {
    uint64_t count[8];
    int calls;
} dist_sink;

static void sink_value(void *ctx, uint32_t v, uint64_t n)
{
    dist_sink *d = ctx;
    ck_assert_uint_lt(v, 8);
    d->count[v] += n;
    d->calls++;
}

START_TEST(test_add_n)
{
    /* Weighted adds must give the table that as many single adds give. */
    uint64_t rng = 99;
    class_table *a = class_table_new(2, 1, "*", 1000), *b = class_table_new(2, 1, "*", 1000);
    ck_assert(a && b);
    static const char *const qv[] = {"x", "y", "z", "*"}, *const sv[] = {"0", "1", "2"};
    for (int i = 0; i < 200; i++) {
        int star = rng_below(&rng, 10) == 0;
        xf_value qi[2] = {V(star ? "*" : qv[rng_below(&rng, 3)]), V(star ? "*" : qv[rng_below(&rng, 3)])};
        xf_value s[1] = {V(sv[rng_below(&rng, 3)])};
        uint64_t n = 1 + rng_below(&rng, 5);
        uint32_t ida = 7, idb = 8;
        ck_assert_int_eq(class_table_add_n(a, qi, s, n, &ida), CLASS_OK);
        for (uint64_t r = 0; r < n; r++)
            ck_assert_int_eq(class_table_add(b, qi, s, &idb), CLASS_OK);
        ck_assert_uint_eq(ida, idb);
    }
    /* count 0 adds nothing, not even a class, and leaves the id alone */
    xf_value fresh[2] = {V("new"), V("new")}, s0[1] = {V("9")};
    uint32_t id = 12345;
    ck_assert_int_eq(class_table_add_n(a, fresh, s0, 0, &id), CLASS_OK);
    ck_assert_uint_eq(id, 12345);
    ck_assert_uint_eq(class_table_classes(a), class_table_classes(b));
    ck_assert_uint_eq(class_table_records(a), class_table_records(b));
    ck_assert_uint_eq(class_table_suppressed(a), class_table_suppressed(b));
    ck_assert_uint_eq(class_table_sensitive_distinct(a, 0), class_table_sensitive_distinct(b, 0));
    for (uint32_t v = 0; v < class_table_sensitive_distinct(a, 0); v++)
        ck_assert_uint_eq(class_table_sensitive_count(a, 0, v), class_table_sensitive_count(b, 0, v));
    for (uint32_t c = 0; c < class_table_classes(a); c++) {
        ck_assert_uint_eq(class_table_size(a, c), class_table_size(b, c));
        for (size_t q = 0; q < 2; q++)
            ck_assert_uint_eq(class_table_qi_id(a, c, q), class_table_qi_id(b, c, q));
        dist_sink da = {{0}, 0}, db = {{0}, 0};
        class_table_class_values(a, c, 0, sink_value, &da);
        class_table_class_values(b, c, 0, sink_value, &db);
        ck_assert_int_eq(da.calls, db.calls);
        ck_assert_mem_eq(da.count, db.count, sizeof da.count);
    }
    class_table_free(a);
    class_table_free(b);
}
END_TEST

/* ---- hand-worked lattices ---- */

/* A problem from explicit ladders: maps[j][l] lists the generalized id of
 * each domain value (dsize[j] values) at level l; records are domain
 * values (IN_SUPP for an input-suppressed record), each repeated rep[i]
 * times. With sens, one sensitive column whose value is rec[i][m]. */
static void rprob_hand_s(rprob *rp, size_t m, const size_t *dsize, const size_t *levels,
                         const uint32_t maps[][4][8], size_t n_rec, const uint32_t rec[][MAX_Q],
                         const unsigned *rep, int sens)
{
    memset(rp, 0, sizeof *rp);
    rp->m = m;
    rp->ns = sens ? 1 : 0;
    for (size_t j = 0; j < m; j++) {
        rp->dsize[j] = dsize[j];
        rp->levels[j] = levels[j];
        for (size_t l = 0; l < levels[j]; l++) {
            rp->map[j][l] = malloc(dsize[j] * sizeof(uint32_t));
            uint32_t most = 0;
            for (size_t x = 0; x < dsize[j]; x++) {
                rp->map[j][l][x] = maps[j][l][x];
                if (maps[j][l][x] > most)
                    most = maps[j][l][x];
            }
            rp->n_gen[j][l] = most + 1;
        }
    }
    for (size_t i = 0; i < n_rec; i++)
        rp->n += rep[i];
    rp->x = malloc((rp->n ? rp->n : 1) * m * sizeof *rp->x);
    rp->sv = malloc((rp->n ? rp->n : 1) * sizeof *rp->sv);
    size_t at = 0;
    for (size_t i = 0; i < n_rec; i++)
        for (unsigned r = 0; r < rep[i]; r++, at++) {
            for (size_t j = 0; j < m; j++)
                rp->x[at * m + j] = rec[i][j];
            rp->sv[at] = rec[i][m];
        }
    rp->spec[0] = (privacy_sensitive_spec){"s", 0};
    rprob_build(rp);
}

static void rprob_hand(rprob *rp, size_t m, const size_t *dsize, const size_t *levels,
                       const uint32_t maps[][4][8], size_t n_rec, const uint32_t rec[][MAX_Q],
                       const unsigned *rep)
{
    rprob_hand_s(rp, m, dsize, levels, maps, n_rec, rec, rep, 0);
}

/* A: 4 values, pairs, "*"; B: 2 values, "*". Eight records. */
static const size_t hand_d[] = {4, 2}, hand_lv[] = {3, 2};
static const uint32_t hand_maps[][4][8] = {{{0, 1, 2, 3}, {0, 0, 1, 1}, {0, 0, 0, 0}},
                                           {{0, 1}, {0, 0}}};
static const uint32_t hand_rec[][MAX_Q] = {{0, 0}, {1, 0}, {2, 1}, {3, 1}, {3, 0}};
static const unsigned hand_rep[] = {2, 2, 1, 1, 2};

static void expect_order(const search_result *r, size_t m, const uint8_t want[][2],
                         const double *score, size_t n)
{
    ck_assert_int_eq(r->found, 1);
    ck_assert_uint_eq(r->n_alternatives, n - 1);
    for (size_t i = 0; i < n; i++) {
        const search_node *s = i ? &r->alternatives[i - 1] : &r->best;
        ck_assert_msg(memcmp(s->levels, want[i], m) == 0, "rank %zu: (%u,%u), want (%u,%u)", i,
                      s->levels[0], s->levels[1], want[i][0], want[i][1]);
        ck_assert_double_eq_tol(s->score, score[i], TOL);
    }
}

START_TEST(test_hand_loss)
{
    rprob rp;
    rprob_hand(&rp, 2, hand_d, hand_lv, hand_maps, 5, hand_rec, hand_rep);
    rp.p.req.k = 2;
    rp.p.n_alternatives = 5;
    search_result r;
    deid_error err;
    /* No suppression: (0,0) and (0,1) keep a class of one. (1,0): A pairs
     * share 2/4, (8*0.5 - 2)/(8 - 2) = 1/3; B at level 0 loses nothing;
     * geometric mean sqrt(1 + 0.3333333333) - 1. */
    ck_assert_int_eq(search_run(&rp.p, &r, &err), DEID_OK);
    const uint8_t order0[][2] = {{1, 0}, {2, 0}, {1, 1}, {2, 1}};
    const double loss0[] = {sqrt(1.3333333333) - 1, sqrt(2) - 1, sqrt(1.3333333333 * 2) - 1, 1};
    expect_order(&r, 2, order0, loss0, 4);
    ck_assert_uint_eq(r.best.suppressed, 0);
    ck_assert_uint_eq(r.best.classes, 3);
    ck_assert_uint_eq(r.best.min_class, 2);
    ck_assert_uint_eq(r.suppression_limit, 0);
    ck_assert_uint_eq(r.nodes_total, 6);

    /* Two records may go: (0,0) suppresses (2,1) and (3,1): A sums
     * 6/4 + 2, (3.5 - 2)/6 = 0.25; B 6/2 + 2, (5 - 4)/4 = 0.25; loss 0.25.
     * (0,1) suppresses the lone a2: A (7/4 + 1 - 2)/6 = 0.125, B 1,
     * sqrt(1.125 * 2) - 1 = 0.5. */
    rp.p.suppress_max = 0.25;
    ck_assert_int_eq(search_run(&rp.p, &r, &err), DEID_OK);
    const uint8_t order1[][2] = {{1, 0}, {0, 0}, {2, 0}, {0, 1}, {1, 1}, {2, 1}};
    const double loss1[] = {loss0[0], 0.25, loss0[1], 0.5, loss0[2], 1};
    expect_order(&r, 2, order1, loss1, 6);
    ck_assert_uint_eq(r.suppression_limit, 2);
    ck_assert_uint_eq(r.alternatives[0].suppressed, 2);
    ck_assert_uint_eq(r.alternatives[0].classes, 3);
    ck_assert_uint_eq(r.alternatives[2].suppressed, 1);
    ck_assert_uint_eq(r.alternatives[2].min_class, 2);

    /* One alternative only: the rest are cut off. */
    rp.p.n_alternatives = 1;
    ck_assert_int_eq(search_run(&rp.p, &r, &err), DEID_OK);
    expect_order(&r, 2, order1, loss1, 2);
    rprob_free(&rp);
}
END_TEST

START_TEST(test_hand_discernibility)
{
    rprob rp;
    rprob_hand(&rp, 2, hand_d, hand_lv, hand_maps, 5, hand_rec, hand_rep);
    rp.p.req.k = 2;
    rp.p.n_alternatives = 5;
    rp.p.metric = METRIC_DISCERNIBILITY;
    search_result r;
    deid_error err;
    /* (1,0): 4^2 + 2^2 + 2^2; (1,1): 4^2 + 4^2; (2,0): 6^2 + 2^2; (2,1): 8^2. */
    ck_assert_int_eq(search_run(&rp.p, &r, &err), DEID_OK);
    const uint8_t order0[][2] = {{1, 0}, {1, 1}, {2, 0}, {2, 1}};
    const double dm0[] = {24, 32, 40, 64};
    expect_order(&r, 2, order0, dm0, 4);
    /* With two suppressions: (0,1) keeps 2, 2, 3 and suppresses 1 (x 8):
     * 17 + 8; (0,0) keeps three pairs and suppresses 2: 12 + 16. */
    rp.p.suppress_max = 0.25;
    ck_assert_int_eq(search_run(&rp.p, &r, &err), DEID_OK);
    const uint8_t order1[][2] = {{1, 0}, {0, 1}, {0, 0}, {1, 1}, {2, 0}, {2, 1}};
    const double dm1[] = {24, 25, 28, 32, 40, 64};
    expect_order(&r, 2, order1, dm1, 6);
    rprob_free(&rp);
}
END_TEST

START_TEST(test_hand_ties)
{
    /* Symmetric QIs: (0,1) and (1,0) lose the same; the lexicographically
     * smaller level vector comes first. */
    static const size_t d[] = {2, 2}, lv[] = {2, 2};
    static const uint32_t maps[][4][8] = {{{0, 1}, {0, 0}}, {{0, 1}, {0, 0}}};
    static const uint32_t rec[][MAX_Q] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    static const unsigned rep[] = {1, 1, 1, 1};
    rprob rp;
    rprob_hand(&rp, 2, d, lv, maps, 4, rec, rep);
    rp.p.req.k = 2;
    rp.p.n_alternatives = 5;
    search_result r;
    deid_error err;
    ck_assert_int_eq(search_run(&rp.p, &r, &err), DEID_OK);
    const uint8_t order[][2] = {{0, 1}, {1, 0}, {1, 1}};
    const double loss[] = {sqrt(2) - 1, sqrt(2) - 1, 1};
    expect_order(&r, 2, order, loss, 3);
    rprob_free(&rp);

    /* A's level 1 repeats level 0: equal loss, the lower level sum first;
     * among equal sums, the lexicographically smaller vector. */
    static const size_t d2[] = {2, 2}, lv2[] = {3, 2};
    static const uint32_t maps2[][4][8] = {{{0, 1}, {0, 1}, {0, 0}}, {{0, 1}, {0, 0}}};
    static const uint32_t rec2[][MAX_Q] = {{0, 0}, {1, 1}};
    static const unsigned rep2[] = {2, 2};
    rprob_hand(&rp, 2, d2, lv2, maps2, 2, rec2, rep2);
    rp.p.req.k = 2;
    rp.p.n_alternatives = 5;
    ck_assert_int_eq(search_run(&rp.p, &r, &err), DEID_OK);
    const uint8_t order2[][2] = {{0, 0}, {1, 0}, {0, 1}, {1, 1}, {2, 0}, {2, 1}};
    const double loss2[] = {0, 0, sqrt(2) - 1, sqrt(2) - 1, sqrt(2) - 1, 1};
    expect_order(&r, 2, order2, loss2, 6);
    rprob_free(&rp);
}
END_TEST

START_TEST(test_non_monotone)
{
    /* One QI, a0 and a1, then "*". a0 holds sensitive values 0 and 1 once
     * each (entropy l = 2), a1 holds 0 eight times (l = 1). At level 0 only
     * a1's class fails l = 2: its 8 records are suppressed, within a limit
     * of 8. At the top the merged class holds 0 nine times and 1 once,
     * exp(H) = 1.38 < 2: all 10 records fail, over the limit. A generalization
     * is infeasible while the node below it is feasible, so the search must
     * not pass infeasibility down (nor trust the top) for entropy l, nor
     * for t-closeness, when records may be suppressed. */
    static const size_t d[] = {2}, lv[] = {2};
    static const uint32_t maps[][4][8] = {{{0, 1}, {0, 0}}};
    static const uint32_t rec[][MAX_Q] = {{0, 0}, {0, 1}, {1, 0}};
    static const unsigned rep[] = {1, 1, 8};
    rprob rp;
    rprob_hand_s(&rp, 1, d, lv, maps, 3, rec, rep, 1);
    rp.p.req.l = 2;
    rp.p.req.l_kind = L_ENTROPY;
    rp.p.suppress_max = 0.8;
    search_result r;
    deid_error err;
    ck_assert_int_eq(search_run(&rp.p, &r, &err), DEID_OK);
    ck_assert_int_eq(r.found, 1);
    ck_assert_uint_eq(r.best.levels[0], 0);
    ck_assert_uint_eq(r.best.suppressed, 8);
    ck_assert_uint_eq(r.best.classes, 1);
    ck_assert_uint_eq(r.n_alternatives, 0);
    /* t-closeness (the top, the whole table, is always within t): overall
     * 0 nine times, 1 once; a0 (half and half) lies 0.4 away, a1 (all 0)
     * 0.1 away. With t = 0.2, a0 is suppressed (2 records, the limit):
     * loss (8/2 + 2 - 5)/(10 - 5) = 0.2, better than the top's 1. */
    rp.p.req.l = 0;
    rp.p.req.t = 0.2;
    rp.p.suppress_max = 0.2;
    ck_assert_int_eq(search_run(&rp.p, &r, &err), DEID_OK);
    ck_assert_int_eq(r.found, 1);
    ck_assert_uint_eq(r.best.levels[0], 0);
    ck_assert_uint_eq(r.best.suppressed, 2);
    ck_assert_double_eq_tol(r.best.score, 0.2, TOL);
    rprob_free(&rp);
}
END_TEST

START_TEST(test_edges)
{
    static const uint32_t rec[][MAX_Q] = {{IN_SUPP, IN_SUPP}, {0, 0}, {1, 1}};
    static const unsigned rep_none[] = {0}, rep_supp[] = {3}, rep_two[] = {0, 1, 1};
    rprob rp;
    search_result r;
    deid_error err;

    /* No records: everything is feasible and loses nothing; the bottom wins. */
    rprob_hand(&rp, 2, hand_d, hand_lv, hand_maps, 1, rec, rep_none);
    rp.p.req.k = 5;
    ck_assert_int_eq(search_run(&rp.p, &r, &err), DEID_OK);
    ck_assert_int_eq(r.found, 1);
    ck_assert_uint_eq(r.records, 0);
    ck_assert_uint_eq(r.best.levels[0] + r.best.levels[1], 0);
    ck_assert_double_eq(r.best.score, 0);
    ck_assert_uint_eq(r.best.classes, 0);
    ck_assert_uint_eq(r.best.min_class, 0);
    rprob_free(&rp);

    /* Only input-suppressed records: over the limit nothing is feasible;
     * allowed, every node loses everything (loss 1) and the bottom wins. */
    rprob_hand(&rp, 2, hand_d, hand_lv, hand_maps, 1, rec, rep_supp);
    rp.p.req.k = 2;
    ck_assert_int_eq(search_run(&rp.p, &r, &err), DEID_OK);
    ck_assert_int_eq(r.found, 0);
    ck_assert_uint_eq(r.records, 3);
    rp.p.suppress_max = 1;
    ck_assert_int_eq(search_run(&rp.p, &r, &err), DEID_OK);
    ck_assert_int_eq(r.found, 1);
    ck_assert_uint_eq(r.best.suppressed, 3);
    ck_assert_double_eq_tol(r.best.score, 1, TOL);
    ck_assert_uint_eq(r.best.levels[0] + r.best.levels[1], 0);
    rprob_free(&rp);

    /* k above the record count: not even the top is feasible, and with a
     * monotone requirement one evaluation (the top) proves it. */
    rprob_hand(&rp, 2, hand_d, hand_lv, hand_maps, 3, rec, rep_two);
    rp.p.req.k = 3;
    ck_assert_int_eq(search_run(&rp.p, &r, &err), DEID_OK);
    ck_assert_int_eq(r.found, 0);
    ck_assert_uint_eq(r.nodes_evaluated, 1);
    /* ... unless all may be suppressed: then the bottom, loss 1. */
    rp.p.suppress_max = 1;
    ck_assert_int_eq(search_run(&rp.p, &r, &err), DEID_OK);
    ck_assert_int_eq(r.found, 1);
    ck_assert_uint_eq(r.best.suppressed, 2);
    ck_assert_uint_eq(r.best.classes, 0);
    ck_assert_double_eq_tol(r.best.score, 1, TOL);
    ck_assert_uint_eq(r.best.levels[0] + r.best.levels[1], 0);
    rprob_free(&rp);
}
END_TEST

START_TEST(test_usage)
{
    rprob rp;
    rprob_hand(&rp, 2, hand_d, hand_lv, hand_maps, 5, hand_rec, hand_rep);
    rp.p.req.k = 2;
    search_result r;
    deid_error err;
    ck_assert_int_eq(search_run(NULL, &r, &err), DEID_E_USAGE);
    ck_assert_int_eq(search_run(&rp.p, NULL, &err), DEID_E_USAGE);
    search_problem bad = rp.p;
    bad.tuples = NULL;
    ck_assert_int_eq(search_run(&bad, &r, &err), DEID_E_USAGE);
    const double maxes[] = {-0.01, 1.01, NAN};
    for (size_t i = 0; i < 3; i++) {
        bad = rp.p;
        bad.suppress_max = maxes[i];
        ck_assert_int_eq(search_run(&bad, &r, &err), DEID_E_USAGE);
    }
    bad = rp.p;
    bad.n_alternatives = SEARCH_MAX_ALTERNATIVES + 1;
    ck_assert_int_eq(search_run(&bad, &r, &err), DEID_E_USAGE);
    bad = rp.p;
    bad.metric = (search_metric)7;
    ck_assert_int_eq(search_run(&bad, &r, &err), DEID_E_USAGE);
    bad = rp.p;
    bad.req.l = 2; /* no sensitive column to measure it on */
    ck_assert_int_eq(search_run(&bad, &r, &err), DEID_E_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "sensitive"));
    bad = rp.p;
    bad.req.t = -1;
    ck_assert_int_eq(search_run(&bad, &r, &err), DEID_E_USAGE);

    /* Broken ladders, each named in the message. */
    search_qi qi[2] = {rp.qi[0], rp.qi[1]};
    bad = rp.p;
    bad.qi = qi;
    qi[1].domain = 0.5;
    ck_assert_int_eq(search_run(&bad, &r, &err), DEID_E_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "\"q1\""));
    qi[1] = rp.qi[1];
    qi[1].n_levels = 0;
    ck_assert_int_eq(search_run(&bad, &r, &err), DEID_E_USAGE);
    qi[1] = rp.qi[1];
    qi[1].n_values = 1; /* the table holds 2 */
    ck_assert_int_eq(search_run(&bad, &r, &err), DEID_E_USAGE);
    qi[1] = rp.qi[1];
    rp.lad[1].gen[1][0] = 5; /* level 1 has one value */
    ck_assert_int_eq(search_run(&bad, &r, &err), DEID_E_USAGE);
    rp.lad[1].gen[1][0] = 0;
    rp.lad[0].share[2][0] = 1.5;
    ck_assert_int_eq(search_run(&bad, &r, &err), DEID_E_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "\"q0\""));
    rp.lad[0].share[2][0] = 1;
    ck_assert_int_eq(search_run(&bad, &r, &err), DEID_OK);
    rprob_free(&rp);

    /* Too many QIs, too many nodes. */
    class_table *t = class_table_new(SEARCH_MAX_QI + 1, 0, "*", 100);
    xf_value row[SEARCH_MAX_QI + 1];
    for (size_t j = 0; j <= SEARCH_MAX_QI; j++)
        row[j] = V("v");
    ck_assert_int_eq(class_table_add(t, row, NULL, NULL), CLASS_OK);
    static const uint32_t zero[1] = {0}, one[1] = {1};
    static const uint32_t *gen2[2] = {zero, zero};
    static const size_t ng2[2] = {1, 1};
    static const double share1[1] = {1}, *sh2[2] = {share1, share1};
    search_qi wide[SEARCH_MAX_QI + 1];
    for (size_t j = 0; j <= SEARCH_MAX_QI; j++)
        wide[j] = (search_qi){"w", 2, 1, gen2, ng2, sh2, 1};
    search_problem pw = {.tuples = t, .qi = wide};
    ck_assert_int_eq(search_run(&pw, &r, &err), DEID_E_USAGE);
    class_table_free(t);
    t = class_table_new(28, 0, "*", 100); /* 2^28 nodes */
    ck_assert_int_eq(class_table_add(t, row, NULL, NULL), CLASS_OK);
    pw.tuples = t;
    ck_assert_int_eq(search_run(&pw, &r, &err), DEID_E_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "nodes"));
    class_table_free(t);
    t = class_table_new(27, 0, "*", 100); /* exactly the most */
    ck_assert_int_eq(class_table_add(t, row, NULL, NULL), CLASS_OK);
    pw.tuples = t;
    pw.req.k = 2; /* the top fails: one evaluation */
    ck_assert_int_eq(search_run(&pw, &r, &err), DEID_OK);
    ck_assert_int_eq(r.found, 0);
    ck_assert_uint_eq(r.nodes_total, SEARCH_MAX_NODES);
    class_table_free(t);

    /* Discernibility needs n < 2^32: n^2 must fit in 64 bits. */
    t = class_table_new(1, 0, "*", 100);
    ck_assert_int_eq(class_table_add_n(t, row, NULL, (uint64_t)1 << 32, NULL), CLASS_OK);
    static const uint32_t *gen1[1] = {zero};
    static const size_t ng1[1] = {1};
    search_qi q1 = {"x", 1, 1, gen1, ng1, sh2, 1};
    search_problem pd = {.tuples = t, .qi = &q1, .metric = METRIC_DISCERNIBILITY};
    ck_assert_int_eq(search_run(&pd, &r, &err), DEID_E_USAGE);
    pd.metric = METRIC_LOSS;
    ck_assert_int_eq(search_run(&pd, &r, &err), DEID_OK);
    ck_assert_uint_eq(r.records, (uint64_t)1 << 32);
    class_table_free(t);
    (void)one;
}
END_TEST

Suite *search_suite(void);

Suite *search_suite(void)
{
    Suite *s = suite_create("search");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_adult_arx, 0, 3);
    tcase_add_test(tc, test_hand_loss);
    tcase_add_test(tc, test_hand_discernibility);
    tcase_add_test(tc, test_hand_ties);
    tcase_add_test(tc, test_edges);
    tcase_add_test(tc, test_non_monotone);
    tcase_add_test(tc, test_usage);
    tcase_add_test(tc, test_add_n);
    tcase_add_test(tc, test_random_vs_exhaustive);
    tcase_add_test(tc, test_lt_paths);
    suite_add_tcase(s, tc);
    TCase *big = tcase_create("lattices");
    tcase_set_timeout(big, 60);
    tcase_add_test(big, test_lattice_exhaustive);
    tcase_add_loop_test(big, test_lattice_million, 0, 2);
    suite_add_tcase(s, big);
    return s;
}
