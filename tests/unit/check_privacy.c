/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_privacy.c - privacy models on the class table: k-anonymity figures,
 * class-size statistics, prosecutor risk, distinct and entropy l-diversity,
 * t-closeness (equal and ordered Earth Mover's Distance), the QI that
 * drives uniqueness, violations, and the requirement verdict.
 *
 * Expected values come from hand-worked tables and from a naive model in
 * this file that works on the records themselves: it sorts the QI tuples
 * as strings to find classes, and computes EMD with the textbook O(m)
 * formulas over plain arrays. Both are compared on random tables and on
 * the ARX Adult data set.
 *
 * Slow suite (about 14 s): the ARX Adult figures (~8 s, 30,162 records
 * against the naive model) and the random tables compared with the naive
 * model (~6 s); the hand-worked tables take milliseconds.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "privacy.h"

#define TOL 1e-9
#define ADULT "/work/shared/data/arx/adult/adult.csv"

static xf_value V(const char *s)
{
    return (xf_value){s, strlen(s)};
}

/* ---- a table of records, and the naive model ---- */

enum { MAX_COLS = 16 };

typedef struct rtable {
    size_t n, nq, ns;
    const char **cell; /* n x (nq + ns): QIs first, then sensitive columns */
} rtable;

static const char *cell(const rtable *r, size_t i, size_t j)
{
    return r->cell[i * (r->nq + r->ns) + j];
}

static class_table *build(const rtable *r, const char *token)
{
    class_table *t = class_table_new(r->nq, r->ns, token, 1000000);
    ck_assert_ptr_nonnull(t);
    for (size_t i = 0; i < r->n; i++) {
        xf_value qi[MAX_COLS], sv[MAX_COLS];
        for (size_t q = 0; q < r->nq; q++)
            qi[q] = V(cell(r, i, q));
        for (size_t s = 0; s < r->ns; s++)
            sv[s] = V(cell(r, i, r->nq + s));
        ck_assert_int_eq(class_table_add(t, qi, sv, NULL), CLASS_OK);
    }
    return t;
}

typedef struct naive {
    uint64_t records, suppressed, classes, min_class, max_class, unique;
    uint64_t classes_below_k, records_below_k, hist[8];
    double median;
    uint64_t qi_distinct[MAX_COLS], qi_freed[MAX_COLS];
    double min_dl[MAX_COLS], min_el[MAX_COLS], max_t[MAX_COLS];
    uint64_t below_l[MAX_COLS], above_t[MAX_COLS];
    uint64_t violating_records;
    int met;
} naive;

typedef struct keyed {
    char *key;
    size_t row;
    int flag;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The QIs of row i except column skip, joined with a unit separator. */
static char *join_qi(const rtable *r, size_t i, size_t skip, const char *token, int *is_token)
{
    size_t len = 1;
    for (size_t q = 0; q < r->nq; q++)
        len += strlen(cell(r, i, q)) + 1;
    char *k = malloc(len);
    ck_assert_ptr_nonnull(k);
    k[0] = 0;
    int all = 1;
    for (size_t q = 0; q < r->nq; q++) {
        all &= strcmp(cell(r, i, q), token) == 0;
        if (q == skip)
            continue;
        strcat(k, cell(r, i, q));
        strcat(k, "\x1f");
    }
    if (is_token)
        *is_token = all;
    return k;
}

/* The naive order of a sensitive column's values: by number (strtod) when
 * every value is made of digits, signs and points and strtod takes all of
 * it, else by bytes; equal numbers by bytes. */
static int naive_numeric;

static int plain_number(const char *s)
{
    if (!*s || strspn(s, "0123456789+-.") != strlen(s) || !strpbrk(s, "0123456789"))
        return 0;
    char *end;
    strtod(s, &end);
    return *end == 0;
}

static int cmp_naive_value(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    if (naive_numeric) {
        double dx = strtod(x, NULL), dy = strtod(y, NULL);
        if (dx != dy)
            return dx < dy ? -1 : 1;
    }
    return strcmp(x, y);
}

static double naive_bucket_check(uint64_t z, size_t *b)
{
    if (z == 1)
        *b = 0;
    else if (z == 2)
        *b = 1;
    else if (z <= 4)
        *b = 2;
    else if (z <= 9)
        *b = 3;
    else if (z <= 19)
        *b = 4;
    else if (z <= 49)
        *b = 5;
    else if (z <= 99)
        *b = 6;
    else
        *b = 7;
    return 0;
}

/* Computes everything from the records. violating[] gets, per class in
 * sorted-key order, whether it violates req; runs[] the first sorted row of
 * each class (both may be NULL). */
static void naive_measure(const rtable *r, const char *token, const privacy_requirement *req,
                          const int *ordered, naive *out, keyed **sorted_out, size_t *n_sorted_out,
                          size_t **runs_out, unsigned char **violating_out)
{
    memset(out, 0, sizeof *out);
    keyed *rows = malloc((r->n ? r->n : 1) * sizeof *rows);
    ck_assert_ptr_nonnull(rows);
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        int tok;
        char *k = join_qi(r, i, SIZE_MAX, token, &tok);
        if (tok) {
            out->suppressed++;
            free(k);
            continue;
        }
        rows[n++] = (keyed){k, i, 0};
    }
    qsort(rows, n, sizeof *rows, cmp_keyed);
    out->records = n;
    size_t *runs = malloc((n + 1) * sizeof *runs);
    uint64_t *sizes = malloc((n ? n : 1) * sizeof *sizes);
    size_t nc = 0;
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b < n && strcmp(rows[b].key, rows[a].key) == 0)
            b++;
        runs[nc] = a;
        sizes[nc++] = b - a;
        a = b;
    }
    runs[nc] = n;
    out->classes = nc;
    uint64_t k = req && req->k ? req->k : 5;
    unsigned char *viol = calloc(nc ? nc : 1, 1);
    for (size_t c = 0; c < nc; c++) {
        uint64_t z = sizes[c];
        if (c == 0 || z < out->min_class)
            out->min_class = z;
        if (z > out->max_class)
            out->max_class = z;
        size_t b;
        naive_bucket_check(z, &b);
        out->hist[b]++;
        if (z == 1)
            out->unique++;
        if (z < k) {
            out->classes_below_k++;
            out->records_below_k += z;
        }
        if (req && req->k && z < req->k)
            viol[c] = 1;
        for (size_t i = runs[c]; i < runs[c + 1]; i++)
            rows[i].flag = z == 1;
    }
    out->met = !(req && req->k && out->classes_below_k);
    if (nc) {
        uint64_t *sorted_sizes = malloc(nc * sizeof *sorted_sizes);
        memcpy(sorted_sizes, sizes, nc * sizeof *sizes);
        qsort(sorted_sizes, nc, sizeof *sorted_sizes, cmp_u64);
        out->median = ((double)sorted_sizes[(nc - 1) / 2] + (double)sorted_sizes[nc / 2]) / 2;
        free(sorted_sizes);
    }

    /* Per QI: distinct values, and unique rows whose projection is shared. */
    for (size_t j = 0; j < r->nq; j++) {
        const char **vals = malloc((n ? n : 1) * sizeof *vals);
        keyed *proj = malloc((n ? n : 1) * sizeof *proj);
        for (size_t i = 0; i < n; i++) {
            vals[i] = cell(r, rows[i].row, j);
            proj[i] = (keyed){join_qi(r, rows[i].row, j, token, NULL), rows[i].row, rows[i].flag};
        }
        naive_numeric = 0;
        qsort(vals, n, sizeof *vals, cmp_naive_value);
        for (size_t i = 0; i < n; i++)
            out->qi_distinct[j] += i == 0 || strcmp(vals[i], vals[i - 1]) != 0;
        qsort(proj, n, sizeof *proj, cmp_keyed);
        for (size_t a = 0; a < n;) {
            size_t b = a;
            while (b < n && strcmp(proj[b].key, proj[a].key) == 0)
                b++;
            if (b - a >= 2)
                for (size_t i = a; i < b; i++)
                    out->qi_freed[j] += (uint64_t)proj[i].flag;
            a = b;
        }
        for (size_t i = 0; i < n; i++)
            free(proj[i].key);
        free(proj);
        free(vals);
    }

    /* Per sensitive column: textbook l and EMD over arrays of m values. */
    for (size_t s = 0; s < r->ns; s++) {
        size_t col = r->nq + s;
        const char **all = malloc((r->n ? r->n : 1) * sizeof *all);
        int numeric = 1;
        for (size_t i = 0; i < r->n; i++) {
            all[i] = cell(r, i, col);
            numeric &= plain_number(all[i]);
        }
        naive_numeric = ordered && ordered[s] && numeric;
        qsort(all, r->n, sizeof *all, cmp_naive_value);
        size_t m = 0;
        for (size_t i = 0; i < r->n; i++)
            if (i == 0 || strcmp(all[i], all[m - 1]) != 0)
                all[m++] = all[i];
        double *q = calloc(m ? m : 1, sizeof *q), *p = calloc(m ? m : 1, sizeof *p);
        for (size_t i = 0; i < r->n; i++) {
            const char *v = cell(r, i, col);
            const char **hit = bsearch(&v, all, m, sizeof *all, cmp_naive_value);
            ck_assert_ptr_nonnull(hit);
            q[hit - all]++;
        }
        for (size_t i = 0; i < m; i++)
            q[i] /= (double)r->n;
        for (size_t c = 0; c < nc; c++) {
            memset(p, 0, m * sizeof *p);
            for (size_t i = runs[c]; i < runs[c + 1]; i++) {
                const char *v = cell(r, rows[i].row, col);
                const char **hit = bsearch(&v, all, m, sizeof *all, cmp_naive_value);
                p[hit - all]++;
            }
            for (size_t i = 0; i < m; i++)
                p[i] /= (double)sizes[c];
            double distinct = 0, h = 0, emd = 0;
            for (size_t i = 0; i < m; i++)
                if (p[i] > 0) {
                    distinct++;
                    h -= p[i] * log(p[i]);
                }
            if (ordered && ordered[s]) {
                double cum = 0;
                for (size_t i = 0; i < m; i++) {
                    cum += p[i] - q[i];
                    emd += fabs(cum);
                }
                emd = m > 1 ? emd / (double)(m - 1) : 0;
            } else {
                for (size_t i = 0; i < m; i++)
                    emd += fabs(p[i] - q[i]);
                emd /= 2;
            }
            double el = exp(h);
            if (c == 0 || distinct < out->min_dl[s])
                out->min_dl[s] = distinct;
            if (c == 0 || el < out->min_el[s])
                out->min_el[s] = el;
            if (emd > out->max_t[s])
                out->max_t[s] = emd;
            if (req && req->l > 0) {
                double l = req->l_kind == L_ENTROPY ? el + 1e-9 : distinct;
                if (l < req->l) {
                    out->below_l[s]++;
                    viol[c] = 1;
                }
            }
            if (req && req->t > 0 && emd > req->t + 1e-12) {
                out->above_t[s]++;
                viol[c] = 1;
            }
        }
        if (out->below_l[s] || out->above_t[s])
            out->met = 0;
        free(p);
        free(q);
        free(all);
    }
    for (size_t c = 0; c < nc; c++)
        if (viol[c])
            out->violating_records += sizes[c];
    free(sizes);
    if (runs_out)
        *runs_out = runs;
    else
        free(runs);
    if (violating_out)
        *violating_out = viol;
    else
        free(viol);
    if (sorted_out) {
        *sorted_out = rows;
        *n_sorted_out = n;
    } else {
        for (size_t i = 0; i < n; i++)
            free(rows[i].key);
        free(rows);
    }
}

/* privacy_measure and privacy_violations against the naive model. */
static void compare_with_naive(const rtable *r, const char *token,
                               const privacy_requirement *req, const int *ordered)
{
    class_table *t = build(r, token);
    privacy_sensitive_spec spec[MAX_COLS];
    for (size_t s = 0; s < r->ns; s++)
        spec[s] = (privacy_sensitive_spec){"s", ordered ? ordered[s] : 0};
    privacy_stats st;
    ck_assert_int_eq(privacy_measure(t, req, spec, &st), 0);
    naive nv;
    keyed *rows;
    size_t n_rows, *runs;
    unsigned char *viol;
    naive_measure(r, token, req, ordered, &nv, &rows, &n_rows, &runs, &viol);

    ck_assert_uint_eq(st.records, nv.records);
    ck_assert_uint_eq(st.suppressed, nv.suppressed);
    ck_assert_uint_eq(st.classes, nv.classes);
    ck_assert_uint_eq(st.min_class, nv.min_class);
    ck_assert_uint_eq(st.max_class, nv.max_class);
    ck_assert_double_eq(st.median_class, nv.median);
    for (int b = 0; b < PRIVACY_HISTOGRAM_BUCKETS; b++)
        ck_assert_uint_eq(st.histogram[b], nv.hist[b]);
    ck_assert_uint_eq(st.unique_records, nv.unique);
    ck_assert_uint_eq(st.classes_below_k, nv.classes_below_k);
    ck_assert_uint_eq(st.records_below_k, nv.records_below_k);
    ck_assert_uint_eq(st.risk_k, req && req->k ? req->k : 5);
    if (nv.records) {
        ck_assert_double_eq_tol(st.risk_max, 1.0 / (double)nv.min_class, TOL);
        ck_assert_double_eq_tol(st.risk_avg, (double)nv.classes / (double)nv.records, TOL);
        ck_assert_double_eq_tol(st.risk_share,
                                (double)nv.records_below_k / (double)nv.records, TOL);
    }
    ck_assert_uint_eq(st.n_qi, r->nq);
    for (size_t j = 0; j < r->nq; j++) {
        ck_assert_uint_eq(st.qi[j].distinct, nv.qi_distinct[j]);
        ck_assert_uint_eq(st.qi[j].uniques_freed, nv.qi_freed[j]);
    }
    ck_assert_uint_eq(st.n_sensitive, r->ns);
    for (size_t s = 0; s < r->ns; s++) {
        ck_assert_double_eq(st.sensitive[s].min_distinct_l, nv.min_dl[s]);
        ck_assert_double_eq_tol(st.sensitive[s].min_entropy_l, nv.min_el[s], TOL);
        ck_assert_double_eq_tol(st.sensitive[s].max_t, nv.max_t[s], TOL);
        ck_assert_uint_eq(st.sensitive[s].classes_below_l, nv.below_l[s]);
        ck_assert_uint_eq(st.sensitive[s].classes_above_t, nv.above_t[s]);
    }
    ck_assert_int_eq(st.met, nv.met);

    unsigned char *marks = malloc(st.classes ? st.classes : 1);
    ck_assert_uint_eq(privacy_violations(t, req, spec, marks), req ? nv.violating_records : 0);
    for (size_t c = 0; c < nv.classes; c++) {
        size_t i = rows[runs[c]].row;
        xf_value qi[MAX_COLS];
        for (size_t q = 0; q < r->nq; q++)
            qi[q] = V(cell(r, i, q));
        uint32_t id;
        ck_assert_int_eq(class_table_find(t, qi, &id), 1);
        ck_assert_uint_eq(class_table_size(t, id), runs[c + 1] - runs[c]);
        ck_assert_int_eq(marks[id], req ? viol[c] : 0);
    }
    free(marks);
    for (size_t i = 0; i < n_rows; i++)
        free(rows[i].key);
    free(rows);
    free(runs);
    free(viol);
    privacy_stats_free(&st);
    class_table_free(t);
}

/* ---- hand-worked tables ---- */

/* A table with one QI "c" and one sensitive column, one class per given
 * group: groups[g] lists the class's sensitive values separated by ','. */
static class_table *one_qi_table(const char *const *groups, size_t n_groups)
{
    class_table *t = class_table_new(1, 1, "*", 1000);
    for (size_t g = 0; g < n_groups; g++) {
        char name[16], vals[256];
        snprintf(name, sizeof name, "class%zu", g);
        snprintf(vals, sizeof vals, "%s", groups[g]);
        xf_value q = V(name);
        for (char *save = NULL, *v = strtok_r(vals, ",", &save); v; v = strtok_r(NULL, ",", &save)) {
            xf_value sv = V(v);
            ck_assert_int_eq(class_table_add(t, &q, &sv, NULL), CLASS_OK);
        }
    }
    return t;
}

/* Runs privacy_violations with only t required and returns the marks as
 * a string of 0/1 per class. */
static const char *t_marks(const class_table *t, double tt, int ordered)
{
    static char out[64];
    privacy_requirement req = {.t = tt};
    privacy_sensitive_spec spec = {"s", ordered};
    unsigned char marks[64];
    size_t n = class_table_classes(t);
    ck_assert_uint_le(n, 63);
    ck_assert_uint_ne(privacy_violations(t, &req, &spec, marks), UINT64_MAX);
    for (size_t c = 0; c < n; c++)
        out[c] = (char)('0' + marks[c]);
    out[n] = 0;
    return out;
}

static double max_t(const class_table *t, int ordered)
{
    privacy_sensitive_spec spec = {"s", ordered};
    privacy_stats st;
    ck_assert_int_eq(privacy_measure(t, NULL, &spec, &st), 0);
    double m = st.sensitive[0].max_t;
    privacy_stats_free(&st);
    return m;
}

START_TEST(emd_hand_worked)
{
    /* Class {a:2} against overall {a:2, b:2}: equal distance
     * 0.5 (|1 - 1/2| + |0 - 1/2|) = 0.5; ordered (m = 2, a < b):
     * |1 - 1/2| + |1 - 1| = 0.5, over m - 1 = 1: 0.5. */
    static const char *const ab[] = {"a,a", "b,b"};
    class_table *t = one_qi_table(ab, 2);
    ck_assert_double_eq_tol(max_t(t, 0), 0.5, 1e-15);
    ck_assert_double_eq_tol(max_t(t, 1), 0.5, 1e-15);
    ck_assert_str_eq(t_marks(t, 0.49, 0), "11");
    ck_assert_str_eq(t_marks(t, 0.5, 0), "00"); /* exactly t is within t */
    class_table_free(t);

    /* Ordered values 1, 2, 3, one class each, overall uniform.
     * {1}: cumulative differences (1 - 1/3) + (1 - 2/3) + 0 = 1, / 2 = 0.5
     * {2}: 1/3 + 1/3 + 0 = 2/3, / 2 = 1/3
     * {3}: 1/3 + 2/3 + 0 = 1, / 2 = 0.5
     * Equal distance of each: 0.5 (2/3 + 1/3 + 1/3) = 2/3. */
    static const char *const one23[] = {"1", "2", "3"};
    t = one_qi_table(one23, 3);
    ck_assert_double_eq_tol(max_t(t, 1), 0.5, 1e-15);
    ck_assert_double_eq_tol(max_t(t, 0), 2.0 / 3, 1e-15);
    ck_assert_str_eq(t_marks(t, 0.4, 1), "101");
    ck_assert_str_eq(t_marks(t, 0.34, 1), "101");
    ck_assert_str_eq(t_marks(t, 0.33, 1), "111");
    ck_assert_str_eq(t_marks(t, 0.5, 1), "000");
    ck_assert_str_eq(t_marks(t, 0.66, 0), "111");
    ck_assert_str_eq(t_marks(t, 2.0 / 3, 0), "000");
    class_table_free(t);

    /* Mixed class: {1, 1, 3} and {2, 3, 3} -> overall 1:2 2:1 3:3 (n = 6).
     * First: P = (2/3, 2/3, 1), Q = (2/6, 3/6, 1): 1/3 + 1/6 = 1/2, / 2 = 1/4.
     * Second: P = (0, 1/3, 1): 1/3 + 1/6 = 1/2, / 2 = 1/4.
     * Equal: first 0.5 (|2/3 - 1/3| + 1/6 + |1/3 - 1/2|) = 0.5 (1/3 + 1/6 + 1/6) = 1/3. */
    static const char *const mixed[] = {"1,1,3", "2,3,3"};
    t = one_qi_table(mixed, 2);
    ck_assert_double_eq_tol(max_t(t, 1), 0.25, 1e-15);
    ck_assert_double_eq_tol(max_t(t, 0), 1.0 / 3, 1e-15);
    class_table_free(t);

    /* One distinct value overall: ordered distance 0 (m = 1). */
    static const char *const same[] = {"7,7", "7"};
    t = one_qi_table(same, 2);
    ck_assert_double_eq(max_t(t, 1), 0);
    ck_assert_double_eq(max_t(t, 0), 0);
    class_table_free(t);
}
END_TEST

/* A table with one QI and one sensitive column: class g holds the values
 * groups[g][0..sizes[g]) ("" is an empty value, which one_qi_table cannot
 * give). */
static class_table *table_with_empties(const char *const groups[][3], const size_t *sizes,
                                       size_t n_groups)
{
    class_table *t = class_table_new(1, 1, "*", 1000);
    for (size_t g = 0; g < n_groups; g++) {
        char name[16];
        snprintf(name, sizeof name, "class%zu", g);
        xf_value q = V(name);
        for (size_t i = 0; i < sizes[g]; i++) {
            xf_value sv = V(groups[g][i]);
            ck_assert_int_eq(class_table_add(t, &q, &sv, NULL), CLASS_OK);
        }
    }
    return t;
}

static privacy_stats measure_empty(const class_table *t, int ordered, int ignore_empty)
{
    privacy_sensitive_spec spec = {"s", ordered, ignore_empty};
    privacy_stats st;
    ck_assert_int_eq(privacy_measure(t, NULL, &spec, &st), 0);
    return st;
}

static const char *marks_empty(const class_table *t, const privacy_requirement *req, int ignore_empty)
{
    static char out[8];
    privacy_sensitive_spec spec = {"s", 0, ignore_empty};
    unsigned char marks[8];
    size_t n = class_table_classes(t);
    ck_assert_uint_ne(privacy_violations(t, req, &spec, marks), UINT64_MAX);
    for (size_t c = 0; c < n; c++)
        out[c] = (char)('0' + marks[c]);
    out[n] = 0;
    return out;
}

START_TEST(empty_values_ignored)
{
    /* A = {flu, "", ""}, B = {flu, cold, ""}.
     * value (ARX): overall flu 2, cold 1, "" 3 of 6: q = 1/3, 1/6, 1/2.
     *   A: p = 1/3, 0, 2/3: 0.5 (0 + 1/6 + 1/6) = 1/6; distinct 2;
     *      entropy l = exp(ln 3 - (2/3) ln 2) = 3 / 2^(2/3)
     *   B: p = 1/3 each: 0.5 (0 + 1/6 + 1/6) = 1/6; distinct 3; entropy l 3
     * ignore: overall flu 2, cold 1 of 3: q = 2/3, 1/3.
     *   A: {flu}: 0.5 (1/3 + 1/3) = 1/3; distinct 1; entropy l 1
     *   B: {flu, cold}: 0.5 (1/6 + 1/6) = 1/6; distinct 2; entropy l 2 */
    static const char *const two[][3] = {{"flu", "", ""}, {"flu", "cold", ""}};
    static const size_t three_each[] = {3, 3, 2};
    class_table *t = table_with_empties(two, three_each, 2);
    privacy_stats st = measure_empty(t, 0, 0);
    ck_assert_double_eq(st.sensitive[0].min_distinct_l, 2);
    ck_assert_double_eq_tol(st.sensitive[0].max_t, 1.0 / 6, 1e-15);
    ck_assert_double_eq_tol(st.sensitive[0].min_entropy_l, 3 / pow(2, 2.0 / 3), 1e-12);
    privacy_stats_free(&st);
    st = measure_empty(t, 0, 1);
    ck_assert_double_eq(st.sensitive[0].min_distinct_l, 1);
    ck_assert_double_eq_tol(st.sensitive[0].max_t, 1.0 / 3, 1e-15);
    ck_assert_double_eq_tol(st.sensitive[0].min_entropy_l, 1, 1e-15);
    privacy_stats_free(&st);
    privacy_requirement l2 = {.l = 2};
    ck_assert_str_eq(marks_empty(t, &l2, 0), "00");
    ck_assert_str_eq(marks_empty(t, &l2, 1), "10");
    privacy_requirement t_quarter = {.t = 0.25};
    ck_assert_str_eq(marks_empty(t, &t_quarter, 0), "00");
    ck_assert_str_eq(marks_empty(t, &t_quarter, 1), "10");
    class_table_free(t);

    /* C = {"", ""} added: under ignore a class with no value left fails
     * closed (l = 0, distance 1); as a value, "" gives C l = 1. */
    static const char *const with_blank[][3] = {{"flu", "", ""}, {"flu", "cold", ""}, {"", ""}};
    t = table_with_empties(with_blank, three_each, 3);
    st = measure_empty(t, 0, 1);
    ck_assert_double_eq(st.sensitive[0].min_distinct_l, 0);
    ck_assert_double_eq(st.sensitive[0].max_t, 1);
    privacy_stats_free(&st);
    privacy_requirement l1 = {.l = 1};
    ck_assert_str_eq(marks_empty(t, &l1, 0), "000");
    ck_assert_str_eq(marks_empty(t, &l1, 1), "001");
    class_table_free(t);

    /* Ordered: A = {10, "", ""}, B = {20, 30, ""}.
     * value: "" is not a number, so bytes order "" < 10 < 20 < 30 (m = 4);
     *   overall cumulative Q = 3/6, 4/6, 5/6, 1.
     *   A: P = 2/3, 1, 1, 1: 1/6 + 1/3 + 1/6 = 2/3, / 3 = 2/9
     *   B: P = 1/3, 1/3, 2/3, 1: 1/6 + 1/3 + 1/6 = 2/3, / 3 = 2/9
     * ignore: 10 < 20 < 30 (m = 3), Q = 1/3, 2/3, 1.
     *   A: P = 1, 1, 1: 2/3 + 1/3 = 1, / 2 = 1/2
     *   B: P = 0, 1/2, 1: 1/3 + 1/6 = 1/2, / 2 = 1/4 */
    static const char *const numbers[][3] = {{"10", "", ""}, {"20", "30", ""}};
    t = table_with_empties(numbers, three_each, 2);
    st = measure_empty(t, 1, 0);
    ck_assert_double_eq_tol(st.sensitive[0].max_t, 2.0 / 9, 1e-15);
    privacy_stats_free(&st);
    st = measure_empty(t, 1, 1);
    ck_assert_double_eq_tol(st.sensitive[0].max_t, 0.5, 1e-15);
    privacy_stats_free(&st);
    class_table_free(t);
}
END_TEST

START_TEST(ordered_values_numeric_or_bytes)
{
    /* A single-value class at rank r of m uniform values has ordered
     * distance (r(r+1) + (m-1-r)(m-r)) / (2m(m-1)); with m = 3, ranks 0 and
     * 2 give 0.5 and rank 1 gives 1/3. Numerically 9 < 10 < 100, so the
     * class {10} is the close one ... */
    static const char *const nums[] = {"9", "10", "100"};
    class_table *t = one_qi_table(nums, 3);
    ck_assert_str_eq(t_marks(t, 0.4, 1), "101");
    class_table_free(t);
    /* ... but one non-number makes it byte order: "10" < "100" < "9" < "x";
     * m = 4: ranks 0 and 3 give 0.5, ranks 1 and 2 give 1/3. */
    static const char *const mixed[] = {"9", "10", "100", "x"};
    t = one_qi_table(mixed, 4);
    ck_assert_str_eq(t_marks(t, 0.4, 1), "0101");
    class_table_free(t);

    /* Decimal spellings, listed in numeric order; m = 8: ranks 0..7 give
     * 0.5, 0.393, 0.321, 0.286, 0.286, 0.321, 0.393, 0.5, so against
     * t = 0.3 only ranks 3 and 4 (".25" and "1") pass. In byte order
     * (+2 -0.5 -1.5 .25 0 1 1.50 10) ".25" and "0" would pass instead. */
    static const char *const dec[] = {"-1.5", "-0.5", "0", ".25", "1", "1.50", "+2", "10"};
    t = one_qi_table(dec, 8);
    ck_assert_str_eq(t_marks(t, 0.3, 1), "11100111");
    class_table_free(t);
    /* Trailing zeros, leading zeros, signs and zero: 007 = 7, -0 = 0 = +0.0,
     * ties ordered by bytes ("+0.0" < "-0" < "0" ... "007" < "7"). Order:
     * -2.50, -2.1, +0.0, -0, 0, 0.001, 007, 7, 7.5 (m = 9). Rank formula with
     * m = 9 (2m(m-1) = 144): ranks 0, 8: 72/144 = 0.5; 1, 7: 58/144 = 0.403;
     * 2, 6: 48/144 = 0.333; 3, 5: 42/144 = 0.292; 4: 40/144 = 0.278. */
    static const char *const spell[] = {"7", "-0", "0.001", "-2.1", "+0.0", "007", "0", "-2.50", "7.5"};
    t = one_qi_table(spell, 9);
    /* t = 0.3: classes at ranks 3, 4, 5 pass: "-0" (3), "0" (4), "0.001" (5). */
    ck_assert_str_eq(t_marks(t, 0.3, 1), "100111011");
    /* t = 0.28: only rank 4 ("0"). */
    ck_assert_str_eq(t_marks(t, 0.28, 1), "111111011");
    class_table_free(t);
}
END_TEST

/* Issue 13: numbers as spreadsheets write them sort as numbers too (as
 * range and round read them, number.h). Single-value classes inserted as
 * 9, "1,000", " 100 ": numerically ranks 0, 2, 1, so with m = 3 the class
 * " 100 " (rank 1, distance 1/3) is the only one within t = 0.4: "110".
 * In byte order (" 100 " < "1,000" < "9") it would be "101". */
START_TEST(ordered_values_excel_numbers)
{
    static const char *const vals[] = {"9", "1,000", " 100 "};
    class_table *t = class_table_new(1, 1, "*", 100);
    for (size_t i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "class%zu", i);
        xf_value q = V(name), sv = V(vals[i]);
        ck_assert_int_eq(class_table_add(t, &q, &sv, NULL), CLASS_OK);
    }
    ck_assert_str_eq(t_marks(t, 0.4, 1), "110");
    class_table_free(t);
    /* "1,0000" is no number: byte order, " 100 " < "1,0000" < "9". */
    static const char *const bad[] = {"9", "1,0000", " 100 "};
    t = class_table_new(1, 1, "*", 100);
    for (size_t i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "class%zu", i);
        xf_value q = V(name), sv = V(bad[i]);
        ck_assert_int_eq(class_table_add(t, &q, &sv, NULL), CLASS_OK);
    }
    ck_assert_str_eq(t_marks(t, 0.4, 1), "101");
    class_table_free(t);
}
END_TEST

/* Classes A (20,100): flu flu; B (30,200): flu cold cancer; C (40,300):
 * cold; D (50,400): flu x5; E (40,301): cold; plus 2 suppressed records
 * with cancer. */
static class_table *clinic(void)
{
    static const char *const rows[][3] = {
        {"20", "100", "flu"}, {"30", "200", "flu"},    {"40", "300", "cold"},
        {"50", "400", "flu"}, {"20", "100", "flu"},    {"30", "200", "cold"},
        {"50", "400", "flu"}, {"*", "*", "cancer"},    {"50", "400", "flu"},
        {"30", "200", "cancer"}, {"50", "400", "flu"}, {"40", "301", "cold"},
        {"50", "400", "flu"}, {"*", "*", "cancer"},
    };
    class_table *t = class_table_new(2, 1, "*", 100);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        xf_value q[2] = {V(rows[i][0]), V(rows[i][1])}, s = V(rows[i][2]);
        ck_assert_int_eq(class_table_add(t, q, &s, NULL), CLASS_OK);
    }
    return t;
}

START_TEST(stats_hand_worked)
{
    class_table *t = clinic();
    privacy_sensitive_spec spec = {"disease", 0};
    privacy_stats st;
    ck_assert_int_eq(privacy_measure(t, NULL, &spec, &st), 0);
    ck_assert_uint_eq(st.records, 12);
    ck_assert_uint_eq(st.suppressed, 2);
    ck_assert_uint_eq(st.classes, 5);
    ck_assert_uint_eq(st.min_class, 1);
    ck_assert_uint_eq(st.max_class, 5);
    ck_assert_double_eq(st.median_class, 2); /* sizes 1 1 2 3 5 */
    static const uint64_t hist[8] = {2, 1, 1, 1, 0, 0, 0, 0};
    for (int b = 0; b < 8; b++)
        ck_assert_uint_eq(st.histogram[b], hist[b]);
    ck_assert_uint_eq(st.unique_records, 2);
    ck_assert_uint_eq(st.risk_k, 5);
    ck_assert_uint_eq(st.classes_below_k, 4);
    ck_assert_uint_eq(st.records_below_k, 7);
    ck_assert_double_eq(st.risk_max, 1);
    ck_assert_double_eq_tol(st.risk_avg, 5.0 / 12, 1e-15);
    ck_assert_double_eq_tol(st.risk_share, 7.0 / 12, 1e-15);
    ck_assert_uint_eq(st.n_qi, 2);
    ck_assert_uint_eq(st.qi[0].distinct, 4);
    ck_assert_uint_eq(st.qi[1].distinct, 5);
    /* Without age the zips 300 and 301 stay unique; without zip, C and E
     * share age 40. */
    ck_assert_uint_eq(st.qi[0].uniques_freed, 0);
    ck_assert_uint_eq(st.qi[1].uniques_freed, 2);
    ck_assert_uint_eq(st.n_sensitive, 1);
    ck_assert_double_eq(st.sensitive[0].min_distinct_l, 1);
    ck_assert_double_eq_tol(st.sensitive[0].min_entropy_l, 1, 1e-15);
    /* Overall (suppressed included, n = 14): flu 8, cold 3, cancer 3.
     * C = {cold}: 0.5 (8/14 + 11/14 + 3/14) = 11/14. */
    ck_assert_double_eq_tol(st.sensitive[0].max_t, 11.0 / 14, 1e-15);
    ck_assert_uint_eq(st.sensitive[0].classes_below_l, 0); /* nothing required */
    ck_assert_uint_eq(st.sensitive[0].classes_above_t, 0);
    ck_assert_int_eq(st.met, 1);
    privacy_stats_free(&st);

    /* k = 2, distinct l = 2, t = 0.5: k fails for C and E; l for A, C, D,
     * E; t for C and E (D and A: 0.5 (6/14 + 3/14 + 3/14) = 3/7, B: 5/21). */
    privacy_requirement req = {.k = 2, .l = 2, .l_kind = L_DISTINCT, .t = 0.5};
    ck_assert_int_eq(privacy_measure(t, &req, &spec, &st), 0);
    ck_assert_uint_eq(st.risk_k, 2);
    ck_assert_uint_eq(st.classes_below_k, 2);
    ck_assert_uint_eq(st.records_below_k, 2);
    ck_assert_double_eq_tol(st.risk_share, 2.0 / 12, 1e-15);
    ck_assert_uint_eq(st.sensitive[0].classes_below_l, 4);
    ck_assert_uint_eq(st.sensitive[0].classes_above_t, 2);
    ck_assert_int_eq(st.met, 0);
    privacy_stats_free(&st);
    unsigned char marks[5];
    ck_assert_uint_eq(privacy_violations(t, &req, &spec, marks), 9); /* A C D E: 2+1+5+1 */
    static const unsigned char want[5] = {1, 0, 1, 1, 1}; /* classes A B C D E */
    ck_assert_mem_eq(marks, want, 5);

    /* Entropy l: B = {flu, cold, cancer} has exp(ln 3) = 3; l = 3 passes
     * only B (within rounding), l = 3.01 passes nothing. */
    req = (privacy_requirement){.l = 3, .l_kind = L_ENTROPY};
    ck_assert_int_eq(privacy_measure(t, &req, &spec, &st), 0);
    ck_assert_uint_eq(st.sensitive[0].classes_below_l, 4);
    ck_assert_int_eq(st.met, 0);
    privacy_stats_free(&st);
    req.l = 3.01;
    ck_assert_uint_eq(privacy_violations(t, &req, &spec, marks), 12);
    /* Requirements that hold. */
    req = (privacy_requirement){.k = 1, .l = 1, .t = 11.0 / 14};
    ck_assert_int_eq(privacy_measure(t, &req, &spec, &st), 0);
    ck_assert_int_eq(st.met, 1);
    privacy_stats_free(&st);
    ck_assert_uint_eq(privacy_violations(t, &req, &spec, marks), 0);
    ck_assert_uint_eq(privacy_violations(t, NULL, &spec, marks), 0);
    class_table_free(t);
}
END_TEST

START_TEST(empty_and_all_suppressed)
{
    privacy_requirement req = {.k = 5, .l = 2, .t = 0.2};
    privacy_sensitive_spec spec = {"s", 1};
    for (int round = 0; round < 2; round++) {
        class_table *t = class_table_new(2, 1, "*", 10);
        if (round == 1)
            for (int i = 0; i < 3; i++) {
                xf_value q[2] = {V("*"), V("*")}, s = V(i ? "1" : "2");
                ck_assert_int_eq(class_table_add(t, q, &s, NULL), CLASS_OK);
            }
        privacy_stats st;
        ck_assert_int_eq(privacy_measure(t, &req, &spec, &st), 0);
        ck_assert_uint_eq(st.records, 0);
        ck_assert_uint_eq(st.suppressed, round ? 3 : 0);
        ck_assert_uint_eq(st.classes, 0);
        ck_assert_uint_eq(st.min_class, 0);
        ck_assert_uint_eq(st.max_class, 0);
        ck_assert_double_eq(st.median_class, 0);
        ck_assert_uint_eq(st.unique_records, 0);
        ck_assert_uint_eq(st.classes_below_k, 0);
        ck_assert_uint_eq(st.risk_k, 5);
        ck_assert_double_eq(st.risk_max, 0);
        ck_assert_double_eq(st.risk_avg, 0);
        ck_assert_double_eq(st.risk_share, 0);
        ck_assert_uint_eq(st.qi[0].uniques_freed, 0);
        ck_assert_uint_eq(st.qi[1].distinct, 0);
        ck_assert_double_eq(st.sensitive[0].max_t, 0);
        ck_assert_double_eq(st.sensitive[0].min_distinct_l, 0);
        ck_assert_int_eq(st.met, 1); /* no class, so no class violates */
        privacy_stats_free(&st);
        ck_assert_uint_eq(privacy_violations(t, &req, &spec, NULL), 0);
        class_table_free(t);
    }
    privacy_stats_free(NULL);
}
END_TEST

START_TEST(median_exact_with_large_classes)
{
    /* Sizes 1, 2, 4096, 5000 (even count): (2 + 4096) / 2 = 2049; adding a
     * class of 6000 makes it odd: 4096. */
    class_table *t = class_table_new(1, 0, "*", 10);
    static const struct {
        const char *v;
        int n;
    } groups[] = {{"a", 5000}, {"b", 1}, {"c", 4096}, {"d", 2}, {"e", 6000}};
    privacy_stats st;
    for (int g = 0; g < 5; g++) {
        xf_value q = V(groups[g].v);
        for (int i = 0; i < groups[g].n; i++)
            ck_assert_int_eq(class_table_add(t, &q, NULL, NULL), CLASS_OK);
        if (g == 3) {
            ck_assert_int_eq(privacy_measure(t, NULL, NULL, &st), 0);
            ck_assert_double_eq(st.median_class, 2049);
            ck_assert_uint_eq(st.histogram[7], 2);
            ck_assert_uint_eq(st.qi[0].uniques_freed, 1); /* one QI: all records share "" */
            privacy_stats_free(&st);
        }
    }
    ck_assert_int_eq(privacy_measure(t, NULL, NULL, &st), 0);
    ck_assert_double_eq(st.median_class, 4096);
    ck_assert_uint_eq(st.max_class, 6000);
    ck_assert_double_eq(st.risk_max, 1);
    privacy_stats_free(&st);
    class_table_free(t);

    /* Only large classes: 4100, 5000, 6000 -> 5000; with 7000: 5500. */
    t = class_table_new(1, 0, "*", 10);
    static const int big[] = {6000, 4100, 7000, 5000};
    for (int g = 0; g < 4; g++) {
        char name[8];
        snprintf(name, sizeof name, "g%d", g);
        xf_value q = V(name);
        for (int i = 0; i < big[g]; i++)
            ck_assert_int_eq(class_table_add(t, &q, NULL, NULL), CLASS_OK);
        if (g == 1) {
            ck_assert_int_eq(privacy_measure(t, NULL, NULL, &st), 0);
            ck_assert_double_eq(st.median_class, 5050);
            privacy_stats_free(&st);
        }
        if (g == 2) {
            ck_assert_int_eq(privacy_measure(t, NULL, NULL, &st), 0);
            ck_assert_double_eq(st.median_class, 6000);
            privacy_stats_free(&st);
        }
    }
    ck_assert_int_eq(privacy_measure(t, NULL, NULL, &st), 0);
    ck_assert_double_eq(st.median_class, 5500);
    ck_assert_uint_eq(st.min_class, 4100);
    ck_assert_double_eq_tol(st.risk_max, 1.0 / 4100, 1e-18);
    ck_assert_uint_eq(st.unique_records, 0);
    privacy_stats_free(&st);
    class_table_free(t);

    /* Sizes 3 and 4: 3.5. */
    t = class_table_new(1, 0, "*", 10);
    for (int i = 0; i < 7; i++) {
        xf_value q = V(i < 3 ? "x" : "y");
        ck_assert_int_eq(class_table_add(t, &q, NULL, NULL), CLASS_OK);
    }
    ck_assert_int_eq(privacy_measure(t, NULL, NULL, &st), 0);
    ck_assert_double_eq(st.median_class, 3.5);
    ck_assert_double_eq_tol(st.risk_max, 1.0 / 3, 1e-15);
    privacy_stats_free(&st);
    class_table_free(t);
}
END_TEST

/* ---- random tables ---- */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rng_state >> 33) % n;
}

START_TEST(random_tables_match_naive)
{
    enum { N = 3000, NQ = 3, NS = 3, COLS = NQ + NS };
    static char text[N][COLS][12];
    static const char *cells[N * COLS];
    static const char *const numbers[] = {"-3.5", "12", "7.25", "7.250", "0", "-0", "100",
                                          "99.99", "+5", ".5", "3", "12.0"};
    rtable r = {.n = N, .nq = NQ, .ns = NS, .cell = cells};
    for (unsigned seed = 1; seed <= 6; seed++) {
        rng_state = seed;
        for (size_t i = 0; i < N; i++) {
            int suppress = rnd(25) == 0;
            for (int q = 0; q < NQ; q++) {
                if (suppress)
                    strcpy(text[i][q], "*");
                else /* skewed: many small classes and a few big ones */
                    snprintf(text[i][q], 12, "q%u", rnd(2 + (unsigned)q * 3) * rnd(4 + seed));
            }
            snprintf(text[i][NQ], 12, "d%u", rnd(2) ? rnd(3) : rnd(9));
            strcpy(text[i][NQ + 1], numbers[rnd(rnd(2) ? 4 : 12)]);
            /* Seed 4 adds a non-number: byte order for the ordered column. */
            if (seed == 4 && rnd(100) == 0)
                strcpy(text[i][NQ + 1], "n/a");
            snprintf(text[i][NQ + 2], 12, "%u", rnd(40));
            for (int c = 0; c < COLS; c++)
                cells[i * COLS + c] = text[i][c];
        }
        static const int ordered[NS] = {0, 1, 1};
        privacy_requirement reqs[] = {
            {.k = 3, .l = 2, .l_kind = L_DISTINCT, .t = 0.3},
            {.l = 1.8, .l_kind = L_ENTROPY},
            {.t = 0.15},
            {.k = 2},
        };
        compare_with_naive(&r, "*", NULL, ordered);
        for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++)
            compare_with_naive(&r, "*", &reqs[i], ordered);
        static const int unordered[NS] = {0, 0, 0};
        compare_with_naive(&r, "*", &reqs[0], unordered);
    }
}
END_TEST

/* ---- ARX Adult ---- */

typedef struct adult {
    char *text;
    size_t n;
    const char **cell; /* n x 9 */
} adult;

static void adult_load(adult *a)
{
    FILE *f = fopen(ADULT, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", ADULT);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    ck_assert_int_gt(size, 0);
    rewind(f);
    a->text = malloc((size_t)size + 1);
    ck_assert_uint_eq(fread(a->text, 1, (size_t)size, f), (size_t)size);
    a->text[size] = 0;
    fclose(f);
    size_t lines = 0;
    for (long i = 0; i < size; i++)
        lines += a->text[i] == '\n';
    a->cell = malloc(lines * 9 * sizeof *a->cell);
    a->n = 0;
    char *save = NULL;
    char *line = strtok_r(a->text, "\r\n", &save); /* the header */
    ck_assert_str_eq(line, "sex;age;race;marital-status;education;native-country;workclass;"
                           "occupation;salary-class");
    while ((line = strtok_r(NULL, "\r\n", &save))) {
        ck_assert_uint_lt(a->n, lines);
        char *p = line;
        for (int c = 0; c < 9; c++) {
            char *field = strsep(&p, ";");
            ck_assert_ptr_nonnull(field);
            a->cell[a->n * 9 + c] = field;
        }
        ck_assert_ptr_null(p); /* exactly 9 fields */
        a->n++;
    }
}

static void adult_free(adult *a)
{
    free(a->text);
    free(a->cell);
}

/* Reorders Adult's columns: order[] lists the source columns, QIs first. */
static rtable adult_view(const adult *a, const int *order, size_t nq, size_t ns)
{
    rtable r = {.n = a->n, .nq = nq, .ns = ns};
    r.cell = malloc(a->n * (nq + ns) * sizeof *r.cell);
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < nq + ns; j++)
            r.cell[i * (nq + ns) + j] = a->cell[i * 9 + (size_t)order[j]];
    return r;
}

START_TEST(adult_figures)
{
    adult a;
    adult_load(&a);
    ck_assert_uint_eq(a.n, 30162);

    /* All nine columns as QIs. */
    static const int all[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    rtable r = adult_view(&a, all, 9, 0);
    class_table *t = build(&r, "*");
    privacy_stats st;
    ck_assert_int_eq(privacy_measure(t, NULL, NULL, &st), 0);
    ck_assert_uint_eq(st.records, 30162);
    ck_assert_uint_eq(st.suppressed, 0);
    ck_assert_uint_eq(st.classes, 19502);
    ck_assert_uint_eq(st.unique_records, 15512);
    ck_assert_uint_eq(st.risk_k, 5);
    ck_assert_uint_eq(st.records_below_k, 23470);
    ck_assert_uint_eq(st.max_class, 45);
    ck_assert_uint_eq(st.qi[0].distinct, 2);  /* sex */
    ck_assert_uint_eq(st.qi[1].distinct, 72); /* age */
    privacy_stats_free(&st);
    class_table_free(t);
    privacy_requirement req5 = {.k = 5};
    compare_with_naive(&r, "*", &req5, NULL);
    free(r.cell);

    /* Occupation sensitive, the other eight as QIs. */
    static const int occ[9] = {0, 1, 2, 3, 4, 5, 6, 8, 7};
    r = adult_view(&a, occ, 8, 1);
    t = build(&r, "*");
    ck_assert_int_eq(privacy_measure(t, NULL, NULL, &st), 0);
    ck_assert_uint_eq(st.classes, 12458);
    ck_assert_uint_eq(st.unique_records, 8841);
    ck_assert_uint_eq(class_table_sensitive_distinct(t, 0), 14);
    privacy_stats_free(&st);
    class_table_free(t);
    privacy_requirement req = {.k = 2, .l = 2, .l_kind = L_DISTINCT, .t = 0.5};
    compare_with_naive(&r, "*", &req, NULL);
    req.l_kind = L_ENTROPY;
    req.l = 1.5;
    compare_with_naive(&r, "*", &req, NULL);
    free(r.cell);

    /* Age as an ordered sensitive column, salary-class categorical. */
    static const int age[9] = {0, 2, 3, 4, 5, 6, 7, 1, 8};
    static const int ordered[2] = {1, 0};
    r = adult_view(&a, age, 7, 2);
    req = (privacy_requirement){.k = 3, .l = 2, .t = 0.2};
    compare_with_naive(&r, "*", &req, ordered);
    free(r.cell);
    adult_free(&a);
}
END_TEST

Suite *privacy_suite(void); /* called by check_main.c */
Suite *privacy_suite(void)
{
    Suite *s = suite_create("privacy");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, emd_hand_worked);
    tcase_add_test(tc, empty_values_ignored);
    tcase_add_test(tc, ordered_values_numeric_or_bytes);
    tcase_add_test(tc, ordered_values_excel_numbers);
    tcase_add_test(tc, stats_hand_worked);
    tcase_add_test(tc, empty_and_all_suppressed);
    tcase_add_test(tc, median_exact_with_large_classes);
    tcase_add_test(tc, random_tables_match_naive);
    tcase_add_test(tc, adult_figures);
    suite_add_tcase(s, tc);
    return s;
}
