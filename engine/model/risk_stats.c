/* SPDX-License-Identifier: Apache-2.0 */
/*
 * risk_stats.c - journalist, marketer and sample risk figures and the
 * population uniqueness estimates of a class table (see risk_stats.h).
 * Everything comes from class sizes (and the caller's population counts),
 * never from values.
 */
#include <stdlib.h>

#include "risk_stats.h"

const uint64_t risk_small_sizes[RISK_SMALL_SIZES] = {2, 5, 10};

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

int risk_histogram(const class_table *t, risk_size_count **out, size_t *n)
{
    size_t u = class_table_classes(t);
    *out = NULL;
    *n = 0;
    uint64_t *sizes = malloc((u ? u : 1) * sizeof *sizes);
    risk_size_count *bars = malloc((u ? u : 1) * sizeof *bars);
    if (!sizes || !bars) {
        free(sizes);
        free(bars);
        return -1;
    }
    for (size_t c = 0; c < u; c++)
        sizes[c] = class_table_size(t, (uint32_t)c);
    qsort(sizes, u, sizeof *sizes, cmp_u64);
    size_t m = 0;
    for (size_t c = 0; c < u; c++) {
        if (m && bars[m - 1].size == sizes[c]) {
            bars[m - 1].classes++;
        } else {
            bars[m].size = sizes[c];
            bars[m].classes = 1;
            m++;
        }
    }
    free(sizes);
    *out = bars;
    *n = m;
    return 0;
}

int risk_measure(const class_table *t, uint64_t risk_k, const uint64_t *population,
                 double sampling_fraction, risk_stats *out)
{
    *out = (risk_stats){0};
    if (sampling_fraction != 0 && !(sampling_fraction > 0 && sampling_fraction <= 1))
        return -2;
    size_t u = class_table_classes(t);
    out->records = class_table_records(t);
    out->classes = u;
    out->risk_k = risk_k ? risk_k : 1;
    out->from_population = population != NULL;

    double journalist_sum = 0;
    for (size_t c = 0; c < u; c++) {
        uint64_t size = class_table_size(t, (uint32_t)c);
        uint64_t f = population ? population[c] : size;
        if (size == 1)
            out->sample_uniques++;
        for (int i = 0; i < RISK_SMALL_SIZES; i++)
            if (size < risk_small_sizes[i])
                out->records_below[i] += size;
        if (c == 0 || f < out->population_smallest)
            out->population_smallest = f;
        /* risk 1/f above 1/k, compared as whole numbers */
        if (f < out->risk_k)
            out->journalist_above += size;
        journalist_sum += (double)size / (double)f;
    }
    if (out->records) {
        double n = (double)out->records;
        out->sample_uniqueness = (double)out->sample_uniques / n;
        for (int i = 0; i < RISK_SMALL_SIZES; i++)
            out->share_below[i] = (double)out->records_below[i] / n;
        out->journalist_max = 1.0 / (double)out->population_smallest;
        /* without a population every size/f is 1: classes / records exactly */
        out->journalist_avg = population ? journalist_sum / n : (double)u / n;
        out->journalist_share = (double)out->journalist_above / n;
        out->marketer = out->journalist_avg;
    }

    if (sampling_fraction > 0 && out->records) {
        risk_size_count *hist;
        size_t bars;
        if (risk_histogram(t, &hist, &bars))
            return -1;
        int rc = risk_uniqueness_estimate(hist, bars, sampling_fraction, &out->uniqueness);
        free(hist);
        if (rc)
            return -2;
        out->estimated = 1;
    }
    return 0;
}
