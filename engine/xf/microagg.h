/* SPDX-License-Identifier: Apache-2.0 */
/*
 * microagg.h - the partitions of micro-aggregation (부분총계): groups of at
 * least k records whose members then share one value per column.
 *
 * Univariate optimal (Hansen and Mukherjee 2003): on one numeric column
 * the partition with the least within-group sum of squares (SSE) among
 * all partitions into groups of at least k is found among partitions of
 * the values in sorted order into consecutive runs of k..2k-1 (their
 * theorem), by dynamic programming over the sorted values: O(n log n)
 * for the sort plus O(n k).
 *
 * MDAV (Domingo-Ferrer and Torra 2005, as sdcMicro's method "mdav"), on
 * m columns standardized to mean 0 and standard deviation 1 (population;
 * a constant column is only centred), squared Euclidean distances:
 *   while at least 3k records remain: c = their centroid; r = the record
 *   farthest from c; s = the record farthest from r; r and its k-1
 *   nearest remaining records form a group; then s and its k-1 nearest
 *   remaining records (r's group removed) form a group;
 *   if 2k..3k-1 remain: r = the farthest from the centroid forms a group
 *   with its k-1 nearest, the rest form the last group;
 *   else (k..2k-1 remain) they form the last group.
 * Ties (equal distances) go to the record that comes first in the input.
 * O(n^2 m / k) time.
 */
#ifndef DEID_MICROAGG_H
#define DEID_MICROAGG_H

#include <stddef.h>
#include <stdint.h>

#include "spillbuf.h"

/* Each function keeps its O(n) arrays in spill buffers of area a (NULL:
 * plain memory): in memory within a's budget, in spill files past it. A
 * return of SPILL_EFILE means a spill file failed (spill_area_error). */

/* Fills group[0..n) with group numbers 0..*n_groups-1 for the optimal
 * univariate partition of x[0..n) into groups of at least k (1 <= k <=
 * n); groups are numbered in increasing order of their values. Returns 0,
 * -1 when out of memory or k is out of range, or SPILL_EFILE. */
int microagg_optimal(const double *x, size_t n, size_t k, uint32_t *group, size_t *n_groups,
                     spill_area *a);

/* Fills group[0..n) with MDAV's groups (see above) of the n records of
 * x (row-major, n rows of m values; 1 <= k <= n), numbered in the order
 * they are formed. Returns 0, -1 when out of memory or k is out of
 * range, or SPILL_EFILE. */
int microagg_mdav(const double *x, size_t n, size_t m, size_t k, uint32_t *group,
                  size_t *n_groups, spill_area *a);

/* The information loss of replacing x[0..n) by its group means: *sse =
 * sum of squared distances to the group mean, *sst = to the overall mean
 * (group[] as the functions above fill it). Returns 0, -1 when out of
 * memory, or SPILL_EFILE. */
int microagg_loss(const double *x, size_t n, const uint32_t *group, size_t n_groups, double *sse,
                  double *sst, spill_area *a);

#endif
