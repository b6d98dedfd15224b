/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_cells.c - cell suppression (`suppress ... how=cell`) through the
 * job's buffer API: an example worked out by hand (and how order= changes
 * it), the same bytes at every chunk size and thread count, and the
 * greedy's invariants on random inputs, each checked here on the records
 * (not on deid's class tables): the output is k-anonymous with a
 * suppressed cell as its own value, only records of classes below k lose
 * cells, the cells a record loses are a prefix of the suppression order,
 * never more cells than how=quasi would blank, and the report's counts
 * are the cells that changed. Runs with entropy l and t must end and meet
 * them.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deid.h"
#include "job_output.h"

/* Runs input through rules_text in chunks of chunk bytes (the spooled
 * second pass) with threads workers; *out gets the output, *report (if
 * not NULL) the JSON report. Returns the status. */
static deid_status run_cells(const char *rules_text, const char *input, size_t chunk,
                             unsigned threads, job_output *out, char **report)
{
    deid_rules *r = NULL;
    deid_error err;
    ck_assert_int_eq(deid_rules_parse(rules_text, strlen(rules_text), "t.rules", NULL, &r, &err),
                     DEID_OK);
    deid_job_options o;
    memset(&o, 0, sizeof o);
    o.threads = threads;
    o.chunk_bytes = chunk;
    deid_job *job;
    ck_assert_int_eq(deid_job_new(r, &o, &job, &err), DEID_OK);
    ck_assert_int_eq(deid_job_passes(job), 2);
    deid_status st = job_output_feed(job, input, strlen(input), chunk, out, 64, &err);
    st = st ? st : deid_job_next_pass(job, &err);
    st = st ? st : job_output_replay(job, out, 64, &err);
    st = st ? st : deid_job_finish(job, &err);
    job_output_drain(job, out, 64);
    if (report) {
        *report = NULL;
        if (!st)
            ck_assert_int_eq(deid_job_report_json(job, report, &err), DEID_OK);
    }
    deid_job_free(job);
    deid_rules_free(r);
    return st;
}

/* The number after "key": in json, or -1. */
static long long json_number(const char *json, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *at = strstr(json, pat);
    return at ? strtoll(at + strlen(pat), NULL, 10) : -1;
}

#define HAND_RULES(order)                                                                          \
    "column a keep\ncolumn b keep\ncolumn s keep\nquasi a b\nrequire k=2\n"                         \
    "suppress max=50% how=cell" order "\n"

/* Classes (1,x) x2, (2,y) x2 meet k=2; (1,y) and (1,z) do not. */
static const char hand_input[] = "a,b,s\n1,x,p\n1,y,q\n1,x,q\n1,z,p\n2,y,p\n2,y,q\n";

/* Default order: b has 3 distinct values, a 2, so b goes first. Round 1
 * writes (1,*) for both violators: one class of 2, done. 2 cells
 * (how=quasi: 4). */
static const char hand_b_first[] = "a,b,s\n1,x,p\n1,*,q\n1,x,q\n1,*,p\n2,y,p\n2,y,q\n";

/* order=a: round 1 gives (*,y) and (*,z), one record each; round 2 makes
 * both (*,*): suppressed records. 4 cells. */
static const char hand_a_first[] = "a,b,s\n1,x,p\n*,*,q\n1,x,q\n*,*,p\n2,y,p\n2,y,q\n";

START_TEST(hand_example)
{
    job_output out = {0};
    char *report;
    ck_assert_int_eq(run_cells(HAND_RULES(""), hand_input, 1 << 16, 0, &out, &report), DEID_OK);
    ck_assert_str_eq(out.data, hand_b_first);
    ck_assert_int_eq(json_number(report, "cells"), 2);
    ck_assert_int_eq(json_number(report, "cells_if_quasi"), 4);
    ck_assert_int_eq(json_number(report, "cell_records"), 2);
    ck_assert_int_eq(json_number(report, "cell_records_all_qi"), 0);
    ck_assert_ptr_nonnull(strstr(report, "\"cells_per_qi\": {\"a\": 0, \"b\": 2}"));
    free(report);
    free(out.data);

    memset(&out, 0, sizeof out);
    ck_assert_int_eq(run_cells(HAND_RULES(" order=a"), hand_input, 1 << 16, 0, &out, &report),
                     DEID_OK);
    ck_assert_str_eq(out.data, hand_a_first);
    ck_assert_int_eq(json_number(report, "cells"), 4);
    ck_assert_int_eq(json_number(report, "cell_records_all_qi"), 2);
    ck_assert_ptr_nonnull(strstr(report, "\"cells_per_qi\": {\"a\": 2, \"b\": 2}"));
    free(report);
    free(out.data);
}
END_TEST

START_TEST(same_bytes_any_chunk_and_threads)
{
    for (size_t chunk = 1; chunk <= sizeof hand_input; chunk++) {
        for (unsigned threads = 0; threads <= 2; threads++) {
            job_output out = {0};
            ck_assert_int_eq(run_cells(HAND_RULES(""), hand_input, chunk, threads, &out, NULL),
                             DEID_OK);
            ck_assert_str_eq(out.data, hand_b_first);
            free(out.data);
        }
    }
}
END_TEST

START_TEST(limit_counts_cells)
{
    /* 6 records: max=33% allows floor(1.98) = 1 record, 2 cells; the
     * greedy needs 2 cells (passes), order=a needs 4 (refused). */
    static const char b_rules[] =
        "column a keep\ncolumn b keep\ncolumn s keep\nquasi a b\nrequire k=2\n"
        "suppress max=33% how=cell\n";
    static const char a_rules[] =
        "column a keep\ncolumn b keep\ncolumn s keep\nquasi a b\nrequire k=2\n"
        "suppress max=33% how=cell order=a\n";
    job_output out = {0};
    ck_assert_int_eq(run_cells(b_rules, hand_input, 1 << 16, 0, &out, NULL), DEID_OK);
    free(out.data);
    memset(&out, 0, sizeof out);
    ck_assert_int_eq(run_cells(a_rules, hand_input, 1 << 16, 0, &out, NULL), DEID_E_PRIVACY);
    ck_assert_uint_eq(out.len, 0); /* nothing written */
    free(out.data);
}
END_TEST

#define NQ 3
#define MAXR 80

typedef struct table {
    size_t n;
    char v[MAXR][NQ][4]; /* QI values: "0".."9" or "*" */
} table;

static uint32_t rng_next(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 8) & 0xffffff;
}

static int same_row(const table *t, size_t i, size_t j)
{
    for (int q = 0; q < NQ; q++)
        if (strcmp(t->v[i][q], t->v[j][q]))
            return 0;
    return 1;
}

static int all_token(const table *t, size_t i)
{
    for (int q = 0; q < NQ; q++)
        if (strcmp(t->v[i][q], "*"))
            return 0;
    return 1;
}

/* Records of t sharing record i's QI values (i's class size). */
static size_t class_size(const table *t, size_t i)
{
    size_t n = 0;
    for (size_t j = 0; j < t->n; j++)
        n += same_row(t, i, j);
    return n;
}

/* Parses deid's output (header a,b,c,s; no quoting) into t. */
static void parse_output(const char *data, table *t)
{
    const char *line = strchr(data, '\n') + 1;
    t->n = 0;
    while (*line) {
        for (int q = 0; q < NQ; q++) {
            size_t len = strcspn(line, ",");
            ck_assert_uint_lt(len, 4);
            memcpy(t->v[t->n][q], line, len);
            t->v[t->n][q][len] = '\0';
            line += len + 1;
        }
        line = strchr(line, '\n') + 1;
        t->n++;
    }
}

/* The suppression order without order=: by decreasing distinct values
 * over records not wholly the token, the earlier QI on a tie. */
static void default_order(const table *t, int *order)
{
    size_t distinct[NQ] = {0};
    for (int q = 0; q < NQ; q++) {
        char seen[11] = {0}; /* '0'..'9' and '*' */
        for (size_t i = 0; i < t->n; i++) {
            if (all_token(t, i))
                continue;
            int slot = t->v[i][q][0] == '*' ? 10 : t->v[i][q][0] - '0';
            distinct[q] += !seen[slot];
            seen[slot] = 1;
        }
    }
    int used[NQ] = {0};
    for (int n = 0; n < NQ; n++) {
        int best = -1;
        for (int q = 0; q < NQ; q++)
            if (!used[q] && (best < 0 || distinct[q] > distinct[best]))
                best = q;
        order[n] = best;
        used[best] = 1;
    }
}

START_TEST(greedy_invariants_random)
{
    uint32_t seed = 1414;
    for (int round = 0; round < 150; round++) {
        table in;
        in.n = 1 + rng_next(&seed) % MAXR;
        unsigned k = 2 + rng_next(&seed) % 4;
        unsigned width[NQ];
        for (int q = 0; q < NQ; q++)
            width[q] = 1 + rng_next(&seed) % 5;
        char input[MAXR * 16 + 16] = "a,b,c,s\n";
        size_t len = strlen(input);
        for (size_t i = 0; i < in.n; i++) {
            for (int q = 0; q < NQ; q++) {
                unsigned x = rng_next(&seed) % (width[q] + 1);
                /* now and then a value that is the token already */
                snprintf(in.v[i][q], sizeof in.v[i][q], "%s",
                         x == width[q] && rng_next(&seed) % 3 == 0 ? "*" : (char[]){(char)('0' + x % 10), 0});
            }
            len += (size_t)snprintf(input + len, sizeof input - len, "%s,%s,%s,x\n", in.v[i][0],
                                    in.v[i][1], in.v[i][2]);
        }
        char rules[256];
        snprintf(rules, sizeof rules,
                 "column a keep\ncolumn b keep\ncolumn c keep\ncolumn s keep\nquasi a b c\n"
                 "require k=%u\nsuppress max=100%% how=cell\n", k);
        job_output out = {0};
        char *report;
        ck_assert_int_eq(run_cells(rules, input, 37, round % 3, &out, &report), DEID_OK);
        table got;
        parse_output(out.data, &got);
        ck_assert_uint_eq(got.n, in.n);
        int order[NQ];
        default_order(&in, order);
        long long cells = 0, quasi = 0;
        for (size_t i = 0; i < in.n; i++) {
            /* k-anonymous as written, a `*` cell its own value */
            if (!all_token(&got, i))
                ck_assert_uint_ge(class_size(&got, i), k);
            int below = !all_token(&in, i) && class_size(&in, i) < k;
            int changed[NQ], any = 0;
            for (int q = 0; q < NQ; q++) {
                changed[q] = strcmp(in.v[i][q], got.v[i][q]) != 0;
                if (changed[q])
                    ck_assert_str_eq(got.v[i][q], "*");
                cells += changed[q];
                any |= changed[q];
                quasi += below && strcmp(in.v[i][q], "*");
            }
            /* only records of classes below k lose cells */
            if (!below)
                ck_assert_int_eq(any, 0);
            /* the cells lost are a prefix of the order (token cells aside) */
            int ended = 0;
            for (int p = 0; p < NQ; p++) {
                int q = order[p];
                if (!strcmp(in.v[i][q], "*"))
                    continue;
                if (!changed[q])
                    ended = 1;
                else
                    ck_assert_msg(!ended, "round %d record %zu: cells not a prefix", round, i);
            }
        }
        ck_assert_int_le(cells, quasi);
        ck_assert_int_eq(json_number(report, "cells"), cells);
        ck_assert_int_eq(json_number(report, "cells_if_quasi"), quasi);
        free(report);
        free(out.data);
    }
}
END_TEST

START_TEST(entropy_l_and_t_end_and_hold)
{
    /* A class that meets entropy l or t can stop meeting it as records
     * join: the greedy deepens it too and must still end, meeting both
     * (deid_job_finish refuses a written file that does not). */
    uint32_t seed = 20889;
    for (int round = 0; round < 60; round++) {
        size_t n = 2 + rng_next(&seed) % 60;
        char input[64 * 16] = "a,b,c,s\n";
        size_t len = strlen(input);
        for (size_t i = 0; i < n; i++)
            len += (size_t)snprintf(input + len, sizeof input - len, "%u,%u,%u,%u\n",
                                    rng_next(&seed) % 3, rng_next(&seed) % 4, rng_next(&seed) % 2,
                                    rng_next(&seed) % 3);
        const char *req = round % 2 ? "require k=2 l=1.5 l-kind=entropy\n" : "require k=2 t=0.4\n";
        char rules[256];
        snprintf(rules, sizeof rules,
                 "column a keep\ncolumn b keep\ncolumn c keep\ncolumn s keep\nquasi a b c\n"
                 "sensitive s\n%ssuppress max=100%% how=cell\n", req);
        job_output out = {0};
        ck_assert_int_eq(run_cells(rules, input, 1 << 16, 0, &out, NULL), DEID_OK);
        free(out.data);
    }
}
END_TEST

Suite *cells_suite(void);
Suite *cells_suite(void)
{
    Suite *s = suite_create("cells");
    TCase *tc = tcase_create("how=cell");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, hand_example);
    tcase_add_test(tc, same_bytes_any_chunk_and_threads);
    tcase_add_test(tc, limit_counts_cells);
    tcase_add_test(tc, greedy_invariants_random);
    tcase_add_test(tc, entropy_l_and_t_end_and_hold);
    suite_add_tcase(s, tc);
    return s;
}
