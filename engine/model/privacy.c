/*
 * privacy.c - privacy models measured on an equivalence-class table (see
 * privacy.h; definitions in DOMAIN.md "Models, precisely").
 *
 * Everything is computed from the class table, never from the records:
 * class sizes for k and risk, each class's (value, count) list for l and t,
 * and projections of the class keys for "which QI makes records unique".
 *
 * Conventions worth knowing:
 *  - An empty table (no class) meets every requirement: no class violates.
 *  - t-closeness compares against the distribution of all records,
 *    suppressed ones included (they were released, only their QIs hidden).
 *  - A class is over t only when its distance exceeds t by more than
 *    T_EPSILON, and under an entropy l only when exp(H) is below l by more
 *    than L_EPSILON, so that rounding noise in sums of shares does not flag
 *    a class that meets the bound exactly (say a class identical to the
 *    whole table against t = its distance). Distinct l is an exact count.
 *  - Ordered distance sorts the column's distinct values numerically when
 *    every one is a decimal number ([+-]digits[.digits], or a number as
 *    number.h reads spreadsheet text: "1,234", " 34"; compared exactly as
 *    decimal strings, so no rounding and no locale), otherwise by bytes;
 *    numerically equal spellings ("1", "1.0", "1,000" and "1000") are
 *    ordered by bytes.
 *  - With ignore_empty (README "Empty sensitive values") the empty value
 *    has no share and no rank: every measure runs over the other values
 *    as if the empty ones were not there. A class left with none fails
 *    closed (l = 0, distance 1): it shows nothing, but nothing protects it
 *    either, and treating it as diverse would hide a column left blank.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "privacy.h"
#include "idindex.h"
#include "number.h"

#define T_EPSILON 1e-12
#define L_EPSILON 1e-9
#define DEFAULT_RISK_K 5
/* Class sizes below this are counted in an array for the median; larger
 * ones (at most records / SMALL_SIZES of them) are sorted. */
#define SMALL_SIZES 4096

/* ---- ordering of sensitive values ---- */

typedef struct sval {
    const char *p;
    size_t len;
    uint32_t id;
    int neg;
    const char *ip; /* integer digits without leading zeros */
    size_t il;
    const char *fp; /* fraction digits without trailing zeros */
    size_t fl;
} sval;

/* Parses p[0..len) as [+-]digits[.digits] (digits on at least one side of
 * the point) into v's number fields, which then point into p. Returns 1 if
 * it is such a number. */
static int parse_decimal(const char *p, size_t len, sval *v)
{
    const char *end = p + len;
    v->neg = 0;
    if (p < end && (*p == '+' || *p == '-'))
        v->neg = *p++ == '-';
    const char *ip = p;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    size_t il = (size_t)(p - ip);
    const char *fp = p;
    size_t fl = 0;
    if (p < end && *p == '.') {
        fp = ++p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        fl = (size_t)(p - fp);
    }
    if (p != end || (il == 0 && fl == 0))
        return 0;
    while (il && *ip == '0')
        ip++, il--;
    while (fl && fp[fl - 1] == '0')
        fl--;
    v->ip = ip;
    v->il = il;
    v->fp = fp;
    v->fl = fl;
    return 1;
}

static int cmp_bytes(const sval *a, const sval *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int r = n ? memcmp(a->p, b->p, n) : 0;
    if (r)
        return r;
    return (a->len > b->len) - (a->len < b->len);
}

static int cmp_by_bytes(const void *x, const void *y)
{
    return cmp_bytes(x, y);
}

/* Compares the magnitudes of two parsed decimals exactly. */
static int cmp_magnitude(const sval *a, const sval *b)
{
    if (a->il != b->il)
        return a->il < b->il ? -1 : 1;
    int r = a->il ? memcmp(a->ip, b->ip, a->il) : 0;
    if (r)
        return r;
    size_t n = a->fl < b->fl ? a->fl : b->fl;
    r = n ? memcmp(a->fp, b->fp, n) : 0;
    if (r)
        return r;
    /* Equal up to the shorter fraction: the longer one has more non-zero
     * digits (trailing zeros were dropped), so it is larger. */
    return (a->fl > b->fl) - (a->fl < b->fl);
}

static int cmp_by_number(const void *x, const void *y)
{
    const sval *a = x, *b = y;
    int a_zero = a->il == 0 && a->fl == 0, b_zero = b->il == 0 && b->fl == 0;
    int a_neg = a->neg && !a_zero, b_neg = b->neg && !b_zero;
    int r;
    if (a_neg != b_neg)
        r = a_neg ? -1 : 1;
    else {
        r = cmp_magnitude(a, b);
        if (a_neg)
            r = -r;
    }
    return r ? r : cmp_bytes(a, b);
}

/* ---- one sensitive column, prepared for per-class measures ---- */

typedef struct class_value {
    uint32_t v; /* value id, or its rank once sorted for the ordered distance */
    uint64_t n;
} class_value;

typedef struct sens_prep {
    size_t m;          /* distinct values overall */
    int64_t empty_id;  /* with ignore_empty: the empty value's id; else -1 */
    size_t n_ranked;   /* values with a share: m, less the ignored empty value */
    double *q;         /* overall share per value id */
    int ordered;
    uint32_t *rank;    /* value id -> position in the sorted order */
    double *cum;       /* cum[i]: overall share of the values ranked <= i */
    double *pre;       /* pre[i] = cum[0] + ... + cum[i - 1]; m + 1 entries */
    class_value *cls;  /* one class's values (room for m) */
    size_t n_cls;
    uint64_t cls_records; /* records those values hold */
} sens_prep;

static void sens_prep_free(sens_prep *sp)
{
    free(sp->q);
    free(sp->rank);
    free(sp->cum);
    free(sp->pre);
    free(sp->cls);
    memset(sp, 0, sizeof *sp);
}

/* Returns 0, or -1 on ENOMEM (sp is then freed). */
static int sens_prep_init(sens_prep *sp, const class_table *t, size_t s, int ordered,
                          int ignore_empty)
{
    memset(sp, 0, sizeof *sp);
    size_t m = class_table_sensitive_distinct(t, s);
    sp->m = m;
    sp->ordered = ordered;
    sp->empty_id = -1;
    for (uint32_t v = 0; ignore_empty && v < m; v++)
        if (class_table_sensitive_value(t, s, v).len == 0)
            sp->empty_id = v;
    sp->n_ranked = m - (sp->empty_id >= 0);
    size_t alloc = m ? m : 1;
    sp->q = malloc(alloc * sizeof *sp->q);
    sp->cls = malloc(alloc * sizeof *sp->cls);
    if (!sp->q || !sp->cls)
        goto fail;
    uint64_t total = 0;
    for (uint32_t v = 0; v < m; v++)
        if ((int64_t)v != sp->empty_id)
            total += class_table_sensitive_count(t, s, v);
    for (uint32_t v = 0; v < m; v++)
        sp->q[v] = total && (int64_t)v != sp->empty_id
                       ? (double)class_table_sensitive_count(t, s, v) / (double)total
                       : 0;
    if (!ordered || sp->n_ranked < 2)
        return 0;

    sval *sv = malloc(m * sizeof *sv);
    sp->rank = malloc(m * sizeof *sp->rank);
    sp->cum = malloc(m * sizeof *sp->cum);
    sp->pre = malloc((m + 1) * sizeof *sp->pre);
    if (!sv || !sp->rank || !sp->cum || !sp->pre) {
        free(sv);
        goto fail;
    }
    /* Values as spreadsheets write numbers ("53,860,000", " +34") are read
     * as range and round read them (number.h), through a plain copy. */
    size_t plain_bytes = 0;
    for (uint32_t v = 0; v < m; v++)
        plain_bytes += class_table_sensitive_value(t, s, v).len;
    char *plain = malloc(plain_bytes ? plain_bytes : 1);
    if (!plain) {
        free(sv);
        goto fail;
    }
    /* sv[i] is the i-th value with a share (the ignored empty one skipped) */
    size_t nr = sp->n_ranked;
    int numeric = 1;
    size_t at = 0, filled = 0;
    for (uint32_t v = 0; v < m && numeric; v++) {
        if ((int64_t)v == sp->empty_id)
            continue;
        xf_value x = class_table_sensitive_value(t, s, v);
        sval *e = &sv[filled++];
        *e = (sval){.p = x.data, .len = x.len, .id = v};
        if (parse_decimal(x.data, x.len, e))
            continue;
        size_t n = number_plain(x.data, x.len, plain + at);
        numeric = n && parse_decimal(plain + at, n, e);
        at += n;
    }
    filled = 0;
    for (uint32_t v = 0; v < m && !numeric; v++) {
        if ((int64_t)v == sp->empty_id)
            continue;
        xf_value x = class_table_sensitive_value(t, s, v);
        sv[filled++] = (sval){.p = x.data, .len = x.len, .id = v};
    }
    qsort(sv, nr, sizeof *sv, numeric ? cmp_by_number : cmp_by_bytes);
    free(plain);
    /* Shares from integer running counts, so cum[nr - 1] is exactly 1 and
     * no rounding accumulates along the order. */
    uint64_t run = 0;
    sp->pre[0] = 0;
    for (size_t i = 0; i < nr; i++) {
        sp->rank[sv[i].id] = (uint32_t)i;
        run += class_table_sensitive_count(t, s, sv[i].id);
        sp->cum[i] = (double)run / (double)total;
        sp->pre[i + 1] = sp->pre[i] + sp->cum[i];
    }
    free(sv);
    return 0;
fail:
    sens_prep_free(sp);
    return -1;
}

static void collect(void *ctx, uint32_t v, uint64_t count)
{
    sens_prep *sp = ctx;
    if ((int64_t)v == sp->empty_id)
        return;
    sp->cls[sp->n_cls++] = (class_value){v, count};
    sp->cls_records += count;
}

static int cmp_class_value(const void *x, const void *y)
{
    const class_value *a = x, *b = y;
    return (a->v > b->v) - (a->v < b->v);
}

/* Sum over i in [lo, hi) of |c - cum[i]|: cum is non-decreasing, so one
 * binary search splits the run where cum passes c and prefix sums do the
 * rest. */
static double run_distance(const sens_prep *sp, size_t lo, size_t hi, double c)
{
    if (lo >= hi)
        return 0;
    size_t a = lo, b = hi; /* first index with cum > c */
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (sp->cum[mid] > c)
            b = mid;
        else
            a = mid + 1;
    }
    double below = c * (double)(a - lo) - (sp->pre[a] - sp->pre[lo]);
    double above = (sp->pre[hi] - sp->pre[a]) - c * (double)(hi - a);
    return below + above;
}

/* Li et al.'s ordered distance: (1/(m-1)) sum_i |P_i - Q_i| over the
 * cumulative shares. The class's cumulative share is constant between its
 * own values, so the cost is O(values in class x log m). */
static double ordered_emd(sens_prep *sp, uint64_t size)
{
    if (sp->n_ranked < 2)
        return 0;
    for (size_t k = 0; k < sp->n_cls; k++)
        sp->cls[k].v = sp->rank[sp->cls[k].v];
    qsort(sp->cls, sp->n_cls, sizeof *sp->cls, cmp_class_value);
    double sum = 0, c = 0;
    size_t lo = 0;
    uint64_t acc = 0;
    for (size_t k = 0; k < sp->n_cls; k++) {
        sum += run_distance(sp, lo, sp->cls[k].v, c);
        acc += sp->cls[k].n;
        lo = sp->cls[k].v;
        c = acc >= size ? 1.0 : (double)acc / (double)size;
    }
    sum += run_distance(sp, lo, sp->n_ranked, c);
    double d = sum / (double)(sp->n_ranked - 1);
    return d < 0 ? 0 : d > 1 ? 1 : d;
}

/* Equal distance: half of sum_i |p_i - q_i|. Values outside the class
 * contribute q_i each, so with sum q = 1 the whole sum is
 * 1 + sum over the class's values of (|p_v - q_v| - q_v). */
static double equal_emd(const sens_prep *sp, uint64_t size)
{
    double sum = 1;
    for (size_t k = 0; k < sp->n_cls; k++) {
        double q = sp->q[sp->cls[k].v];
        sum += fabs((double)sp->cls[k].n / (double)size - q) - q;
    }
    double d = 0.5 * sum;
    return d < 0 ? 0 : d > 1 ? 1 : d;
}

typedef struct class_measure {
    size_t distinct;
    double entropy_l;
    double emd;
} class_measure;

static class_measure measure_class(const class_table *t, size_t s, sens_prep *sp, uint32_t c)
{
    uint64_t size = class_table_size(t, c);
    sp->n_cls = 0;
    sp->cls_records = 0;
    class_table_class_values(t, c, s, collect, sp);
    class_measure r = {.distinct = sp->n_cls};
    if (sp->empty_id >= 0) {
        size = sp->cls_records; /* the class's records with a value */
        if (size == 0)
            return (class_measure){.distinct = 0, .entropy_l = 0, .emd = 1};
    }
    double h = 0;
    for (size_t k = 0; k < sp->n_cls; k++) {
        double p = (double)sp->cls[k].n / (double)size;
        h -= p * log(p);
    }
    r.entropy_l = exp(h);
    /* Equal distance reads value ids; the ordered one turns them into ranks. */
    r.emd = sp->ordered ? ordered_emd(sp, size) : equal_emd(sp, size);
    return r;
}

static int l_required(const privacy_requirement *req)
{
    return req && req->l > 0;
}

static int t_required(const privacy_requirement *req)
{
    return req && req->t > 0;
}

static int below_l(const privacy_requirement *req, const class_measure *m)
{
    if (!l_required(req))
        return 0;
    if (req->l_kind == L_ENTROPY)
        return m->entropy_l + L_EPSILON < req->l;
    return (double)m->distinct < req->l;
}

static int above_t(const privacy_requirement *req, const class_measure *m)
{
    return t_required(req) && m->emd > req->t + T_EPSILON;
}

int privacy_class_violates(const privacy_requirement *req, size_t distinct, double entropy_l,
                           double emd)
{
    class_measure m = {.distinct = distinct, .entropy_l = entropy_l, .emd = emd};
    return below_l(req, &m) || above_t(req, &m);
}

static int is_ordered(const privacy_sensitive_spec *spec, size_t s)
{
    return spec && spec[s].ordered;
}

/* ---- class sizes ---- */

static size_t bucket(uint64_t n)
{
    static const uint64_t lower[PRIVACY_HISTOGRAM_BUCKETS] = {1, 2, 3, 5, 10, 20, 50, 100};
    size_t b = PRIVACY_HISTOGRAM_BUCKETS - 1;
    while (b > 0 && n < lower[b])
        b--;
    return b;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* The size of rank r (0-based) among the sorted class sizes. */
static uint64_t size_at(const uint64_t *small, const uint64_t *big, uint64_t r)
{
    uint64_t seen = 0;
    for (uint64_t n = 1; n < SMALL_SIZES; n++) {
        seen += small[n];
        if (r < seen)
            return n;
    }
    return big[r - seen];
}

/* Median of the class sizes: counting for small sizes, a sort only for
 * the few large ones. Returns 0, or -1 on ENOMEM. */
static int median_size(const class_table *t, double *out)
{
    size_t n = class_table_classes(t), n_big = 0;
    *out = 0;
    if (n == 0)
        return 0;
    uint64_t *small = calloc(SMALL_SIZES, sizeof *small);
    if (!small)
        return -1;
    for (uint32_t c = 0; c < n; c++) {
        uint64_t z = class_table_size(t, c);
        if (z < SMALL_SIZES)
            small[z]++;
        else
            n_big++;
    }
    uint64_t *big = malloc((n_big ? n_big : 1) * sizeof *big);
    if (!big) {
        free(small);
        return -1;
    }
    n_big = 0;
    for (uint32_t c = 0; c < n; c++) {
        uint64_t z = class_table_size(t, c);
        if (z >= SMALL_SIZES)
            big[n_big++] = z;
    }
    qsort(big, n_big, sizeof *big, cmp_u64);
    uint64_t a = size_at(small, big, (n - 1) / 2), b = size_at(small, big, n / 2);
    *out = ((double)a + (double)b) / 2;
    free(big);
    free(small);
    return 0;
}

/* Lookup context for uniques_freed: two classes share a projection when
 * their keys agree on every QI but skip. */
typedef struct projection {
    const class_table *t;
    size_t skip;
    uint32_t c; /* the class being placed */
} projection;

static int same_projection(const void *ctx, uint32_t other)
{
    const projection *p = ctx;
    for (size_t q = 0; q < class_table_n_qi(p->t); q++)
        if (q != p->skip && class_table_qi_id(p->t, p->c, q) != class_table_qi_id(p->t, other, q))
            return 0;
    return 1;
}

/* Unique records that stop being unique without QI j: project every class
 * key onto the other QIs, add up the records per projection (saturating at
 * 2) and count the size-1 classes whose projection holds two or more.
 * A projection is named by its first class, and the index holds those
 * class ids, not copies of the projected keys: this runs on the largest
 * tables, at the end of a check, and its memory adds to the table's.
 * Returns 0, or -1 on ENOMEM. */
static int uniques_freed(const class_table *t, size_t j, uint64_t *out)
{
    size_t n = class_table_classes(t), nq = class_table_n_qi(t);
    *out = 0;
    idindex *x = idindex_new(NULL);
    uint32_t *key = malloc(nq * sizeof *key);
    uint32_t *first = malloc((n ? n : 1) * sizeof *first); /* per class: its projection's first class */
    unsigned char *shared = calloc(n ? n : 1, 1);            /* per first class: records, up to 2 */
    int rc = -1;
    if (!x || !key || !first || !shared)
        goto done;
    projection p = {t, j, 0};
    for (uint32_t c = 0; c < n; c++) {
        size_t k = 0;
        for (size_t q = 0; q < nq; q++)
            if (q != j)
                key[k++] = class_table_qi_id(t, c, q);
        uint32_t h = idindex_hash(x, key, k * sizeof *key), f;
        p.c = c;
        if (!idindex_find(x, h, same_projection, &p, &f)) {
            if (idindex_reserve(x) != IDINDEX_OK)
                goto done;
            idindex_add(x, h, c);
            f = c;
        }
        first[c] = f;
        uint64_t z = class_table_size(t, c);
        unsigned sum = shared[f] + (z >= 2 ? 2u : (unsigned)z);
        shared[f] = (unsigned char)(sum > 2 ? 2 : sum);
    }
    for (uint32_t c = 0; c < n; c++)
        if (class_table_size(t, c) == 1 && shared[first[c]] >= 2)
            (*out)++;
    rc = 0;
done:
    idindex_free(x);
    free(key);
    free(first);
    free(shared);
    return rc;
}

/* ---- exported ---- */

void privacy_stats_free(privacy_stats *s)
{
    if (!s)
        return;
    free(s->sensitive);
    free(s->qi);
    memset(s, 0, sizeof *s);
}

int privacy_measure(const class_table *t, const privacy_requirement *req,
                    const privacy_sensitive_spec *spec, privacy_stats *out)
{
    memset(out, 0, sizeof *out);
    size_t n = class_table_classes(t), ns = class_table_n_sensitive(t),
           nq = class_table_n_qi(t);
    out->records = class_table_records(t);
    out->suppressed = class_table_suppressed(t);
    out->classes = n;
    out->n_sensitive = ns;
    out->n_qi = nq;
    out->sensitive = calloc(ns ? ns : 1, sizeof *out->sensitive);
    out->qi = calloc(nq ? nq : 1, sizeof *out->qi);
    if (!out->sensitive || !out->qi)
        goto fail;

    uint64_t k = req && req->k ? req->k : DEFAULT_RISK_K;
    out->risk_k = k;
    int met = 1;
    for (uint32_t c = 0; c < n; c++) {
        uint64_t z = class_table_size(t, c);
        if (c == 0 || z < out->min_class)
            out->min_class = z;
        if (z > out->max_class)
            out->max_class = z;
        out->histogram[bucket(z)]++;
        if (z == 1)
            out->unique_records++;
        if (z < k) {
            out->classes_below_k++;
            out->records_below_k += z;
        }
        for (size_t i = 0; req && i < req->n_k_list && i < PRIVACY_MAX_K_LIST; i++)
            if (z < req->k_list[i]) {
                out->classes_below[i]++;
                out->records_below[i] += z;
            }
    }
    if (req) {
        out->n_k_list = req->n_k_list < PRIVACY_MAX_K_LIST ? req->n_k_list : PRIVACY_MAX_K_LIST;
        memcpy(out->k_list, req->k_list, sizeof out->k_list);
    }
    if (req && req->k && out->classes_below_k)
        met = 0;
    if (median_size(t, &out->median_class))
        goto fail;
    if (out->records) {
        out->risk_max = 1.0 / (double)out->min_class;
        out->risk_avg = (double)n / (double)out->records;
        out->risk_share = (double)out->records_below_k / (double)out->records;
    }

    for (size_t j = 0; j < nq; j++) {
        out->qi[j].distinct = class_table_qi_distinct(t, j);
        if (out->unique_records && uniques_freed(t, j, &out->qi[j].uniques_freed))
            goto fail;
    }

    for (size_t s = 0; s < ns; s++) {
        privacy_sensitive_stats *st = &out->sensitive[s];
        sens_prep sp;
        if (sens_prep_init(&sp, t, s, is_ordered(spec, s), spec && spec[s].ignore_empty))
            goto fail;
        for (uint32_t c = 0; c < n; c++) {
            class_measure cm = measure_class(t, s, &sp, c);
            if (c == 0 || (double)cm.distinct < st->min_distinct_l)
                st->min_distinct_l = (double)cm.distinct;
            if (c == 0 || cm.entropy_l < st->min_entropy_l)
                st->min_entropy_l = cm.entropy_l;
            if (cm.emd > st->max_t)
                st->max_t = cm.emd;
            st->classes_below_l += (uint64_t)below_l(req, &cm);
            st->classes_above_t += (uint64_t)above_t(req, &cm);
        }
        sens_prep_free(&sp);
        if (st->classes_below_l || st->classes_above_t)
            met = 0;
    }
    out->met = met;
    return 0;
fail:
    privacy_stats_free(out);
    return -1;
}

uint64_t privacy_violations(const class_table *t, const privacy_requirement *req,
                            const privacy_sensitive_spec *spec, unsigned char *violates)
{
    size_t n = class_table_classes(t), ns = class_table_n_sensitive(t);
    if (n)
        memset(violates, 0, n);
    if (!req)
        return 0;
    if (req->k)
        for (uint32_t c = 0; c < n; c++)
            if (class_table_size(t, c) < req->k)
                violates[c] = 1;
    if (l_required(req) || t_required(req))
        for (size_t s = 0; s < ns; s++) {
            sens_prep sp;
            if (sens_prep_init(&sp, t, s, is_ordered(spec, s), spec && spec[s].ignore_empty))
                return UINT64_MAX;
            for (uint32_t c = 0; c < n; c++) {
                if (violates[c])
                    continue;
                class_measure cm = measure_class(t, s, &sp, c);
                if (below_l(req, &cm) || above_t(req, &cm))
                    violates[c] = 1;
            }
            sens_prep_free(&sp);
        }
    uint64_t records = 0;
    for (uint32_t c = 0; c < n; c++)
        if (violates[c])
            records += class_table_size(t, c);
    return records;
}

int privacy_each_class(const class_table *t, const privacy_sensitive_spec *spec, size_t s,
                       privacy_class_fn fn, void *ctx)
{
    if (s >= class_table_n_sensitive(t))
        return -1;
    sens_prep sp;
    if (sens_prep_init(&sp, t, s, is_ordered(spec, s), spec && spec[s].ignore_empty))
        return -1;
    size_t n = class_table_classes(t);
    for (uint32_t c = 0; c < n; c++) {
        class_measure cm = measure_class(t, s, &sp, c);
        privacy_class_figures f = {class_table_size(t, c), cm.distinct, cm.entropy_l, cm.emd};
        fn(ctx, c, &f);
    }
    sens_prep_free(&sp);
    return 0;
}

size_t privacy_driving_qi(const privacy_stats *s)
{
    size_t best = s->n_qi;
    for (size_t q = 0; q < s->n_qi; q++)
        if (s->qi[q].uniques_freed > 0 &&
            (best == s->n_qi || s->qi[q].uniques_freed > s->qi[best].uniques_freed))
            best = q;
    return best;
}
