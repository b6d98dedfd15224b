/* SPDX-License-Identifier: Apache-2.0 */
/*
 * microagg.c - the partitions of micro-aggregation (microagg.h): the
 * optimal univariate one and MDAV's multivariate one.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "microagg.h"

typedef struct ranked {
    double v;
    size_t at; /* the record: ties keep input order */
} ranked;

static int ranked_cmp(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

int microagg_optimal(const double *x, size_t n, size_t k, uint32_t *group, size_t *n_groups,
                     spill_area *a)
{
    *n_groups = 0;
    if (k == 0 || k > n || n >= UINT32_MAX)
        return -1;
    spill_buf buf[5];
    spill_bufs_init(buf, 5, a);
    int rc = SPILL_OK;
    ranked *r = spill_buf_take(&buf[0], n, sizeof *r, &rc);
    /* prefix sums of the centred values (less cancellation), best cost
     * of the first i sorted values, and where its last group starts */
    double *s1 = spill_buf_take(&buf[1], n + 1, sizeof *s1, &rc);
    double *s2 = spill_buf_take(&buf[2], n + 1, sizeof *s2, &rc);
    double *best = spill_buf_take(&buf[3], n + 1, sizeof *best, &rc);
    size_t *start = spill_buf_take(&buf[4], n + 1, sizeof *start, &rc);
    if (rc)
        goto out;
    rc = -1;
    double mean = 0;
    for (size_t i = 0; i < n; i++) {
        r[i] = (ranked){x[i], i};
        mean += (x[i] - mean) / (double)(i + 1);
    }
    qsort(r, n, sizeof *r, ranked_cmp);
    s1[0] = s2[0] = 0;
    for (size_t i = 0; i < n; i++) {
        double c = r[i].v - mean;
        s1[i + 1] = s1[i] + c;
        s2[i + 1] = s2[i] + c * c;
    }
    best[0] = 0;
    for (size_t i = 1; i <= n; i++) {
        best[i] = DBL_MAX;
        start[i] = 0;
        /* the last group is sorted values j..i-1, of k..2k-1 of them
         * (a larger group splits into two with no more SSE) */
        for (size_t size = k; size <= 2 * k - 1 && size <= i; size++) {
            size_t j = i - size;
            if (best[j] == DBL_MAX)
                continue;
            double sum = s1[i] - s1[j];
            double sse = s2[i] - s2[j] - sum * sum / (double)size;
            if (sse < 0)
                sse = 0;
            if (best[j] + sse < best[i]) {
                best[i] = best[j] + sse;
                start[i] = j;
            }
        }
    }
    if (best[n] == DBL_MAX)
        goto out; /* cannot happen for k <= n: one group of n is allowed when n < 2k */
    /* walk back from the end, then number the groups from the smallest */
    size_t groups = 0;
    for (size_t i = n; i > 0; i = start[i])
        groups++;
    size_t g = groups;
    for (size_t i = n; i > 0; i = start[i]) {
        g--;
        for (size_t j = start[i]; j < i; j++)
            group[r[j].at] = (uint32_t)g;
    }
    *n_groups = groups;
    rc = 0;
out:
    spill_bufs_free(buf, 5);
    return rc;
}

/* ---- MDAV ------------------------------------------------------------------ */

typedef struct mdav {
    const double *z; /* standardized, row-major */
    size_t n, m, k;
    size_t *left;    /* records not yet grouped, in input order */
    size_t n_left;
    double *dist;    /* scratch: a distance per remaining record */
    uint32_t *group;
    uint32_t next_group;
} mdav;

static double dist2(const mdav *d, const double *a, const double *b)
{
    double s = 0;
    for (size_t j = 0; j < d->m; j++) {
        double t = a[j] - b[j];
        s += t * t;
    }
    return s;
}

/* The remaining record farthest from point p (first in input order on a tie). */
static size_t farthest(const mdav *d, const double *p)
{
    size_t best = d->left[0];
    double far = -1;
    for (size_t i = 0; i < d->n_left; i++) {
        double t = dist2(d, d->z + d->left[i] * d->m, p);
        if (t > far) {
            far = t;
            best = d->left[i];
        }
    }
    return best;
}

static void centroid(const mdav *d, double *c)
{
    for (size_t j = 0; j < d->m; j++)
        c[j] = 0;
    for (size_t i = 0; i < d->n_left; i++)
        for (size_t j = 0; j < d->m; j++)
            c[j] += d->z[d->left[i] * d->m + j];
    for (size_t j = 0; j < d->m; j++)
        c[j] /= (double)d->n_left;
}

/* Groups record r (remaining) with its k-1 nearest remaining records
 * (ties to the earlier record; r itself is at distance 0 and first among
 * the records at 0 only if it comes first, so it is put in explicitly). */
static void group_nearest(mdav *d, size_t r)
{
    const double *p = d->z + r * d->m;
    for (size_t i = 0; i < d->n_left; i++)
        d->dist[i] = d->left[i] == r ? -1 : dist2(d, d->z + d->left[i] * d->m, p);
    /* k selections of the smallest: k is small next to n */
    for (size_t t = 0; t < d->k; t++) {
        size_t pick = SIZE_MAX;
        for (size_t i = 0; i < d->n_left; i++)
            if (d->dist[i] != DBL_MAX && (pick == SIZE_MAX || d->dist[i] < d->dist[pick]))
                pick = i;
        d->group[d->left[pick]] = d->next_group;
        d->dist[pick] = DBL_MAX;
    }
    /* keep the others, in input order */
    size_t w = 0;
    for (size_t i = 0; i < d->n_left; i++)
        if (d->dist[i] != DBL_MAX)
            d->left[w++] = d->left[i];
    d->n_left = w;
    d->next_group++;
}

static void group_rest(mdav *d)
{
    for (size_t i = 0; i < d->n_left; i++)
        d->group[d->left[i]] = d->next_group;
    d->n_left = 0;
    d->next_group++;
}

int microagg_mdav(const double *x, size_t n, size_t m, size_t k, uint32_t *group,
                  size_t *n_groups, spill_area *a)
{
    *n_groups = 0;
    if (k == 0 || k > n || m == 0 || n >= UINT32_MAX || m > SIZE_MAX / n)
        return -1;
    spill_buf buf[3];
    spill_bufs_init(buf, 3, a);
    int rc = SPILL_OK;
    double *z = spill_buf_take(&buf[0], n * m, sizeof *z, &rc);
    size_t *left = spill_buf_take(&buf[1], n, sizeof *left, &rc);
    double *dist = spill_buf_take(&buf[2], n, sizeof *dist, &rc);
    double *c = malloc(m * sizeof *c), *c2 = malloc(m * sizeof *c2);
    if (!rc && (!c || !c2))
        rc = -1;
    if (rc)
        goto out;
    for (size_t j = 0; j < m; j++) {
        double mean = 0, ss = 0;
        for (size_t i = 0; i < n; i++)
            mean += x[i * m + j];
        mean /= (double)n;
        for (size_t i = 0; i < n; i++)
            ss += (x[i * m + j] - mean) * (x[i * m + j] - mean);
        double sd = sqrt(ss / (double)n);
        for (size_t i = 0; i < n; i++)
            z[i * m + j] = sd > 0 ? (x[i * m + j] - mean) / sd : x[i * m + j] - mean;
    }
    for (size_t i = 0; i < n; i++)
        left[i] = i;
    mdav d = {z, n, m, k, left, n, dist, group, 0};
    while (d.n_left >= 3 * k) {
        centroid(&d, c);
        size_t r = farthest(&d, c);
        size_t s = farthest(&d, z + r * m);
        memcpy(c2, z + r * m, m * sizeof *c2);
        group_nearest(&d, r);
        /* s joins r's group only when it is no farther from r than r's
         * k-1 nearest (ties); then the farthest from r is taken again */
        int s_left = 0;
        for (size_t i = 0; i < d.n_left; i++)
            s_left |= d.left[i] == s;
        group_nearest(&d, s_left ? s : farthest(&d, c2));
    }
    if (d.n_left >= 2 * k) {
        centroid(&d, c);
        group_nearest(&d, farthest(&d, c));
    }
    if (d.n_left)
        group_rest(&d);
    *n_groups = d.next_group;
    rc = 0;
out:
    spill_bufs_free(buf, 3);
    free(c);
    free(c2);
    return rc;
}

int microagg_loss(const double *x, size_t n, const uint32_t *group, size_t n_groups, double *sse,
                  double *sst, spill_area *a)
{
    spill_buf buf[2];
    spill_bufs_init(buf, 2, a);
    int rc = SPILL_OK;
    double *sum = spill_buf_take(&buf[0], n_groups, sizeof *sum, &rc);
    size_t *count = spill_buf_take(&buf[1], n_groups, sizeof *count, &rc);
    if (rc) {
        spill_bufs_free(buf, 2);
        return rc;
    }
    double mean = 0;
    for (size_t i = 0; i < n; i++) {
        sum[group[i]] += x[i];
        count[group[i]]++;
        mean += x[i];
    }
    mean = n ? mean / (double)n : 0;
    *sse = *sst = 0;
    for (size_t i = 0; i < n; i++) {
        double gm = sum[group[i]] / (double)count[group[i]];
        *sse += (x[i] - gm) * (x[i] - gm);
        *sst += (x[i] - mean) * (x[i] - mean);
    }
    spill_bufs_free(buf, 2);
    return 0;
}
