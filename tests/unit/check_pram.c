/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_pram.c - `pram` (xf_pram.c): the transition frequencies over
 * 100000 draws per category match the matrix (bounds: 6 binomial standard
 * errors, sqrt(p (1 - p) / N) per cell), one output equals the category
 * the keyed_random.h definition picks (recomputed with keyed_ref.c),
 * keep= builds the matrix it says, and the matrix file's and the rules'
 * errors.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keyed_ref.h"
#include "keyring.h"
#include "transform.h"
#include "xf_rig.h"

extern const transform_ops xf_pram_ops;

static unsigned char pkey[32];
static keyring *ring;
static char dir[64];

static void put(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static void setup(void)
{
    deid_error e;
    for (int i = 0; i < 32; i++)
        pkey[i] = (unsigned char)(17 * i + 1);
    ring = keyring_new();
    ck_assert_ptr_nonnull(ring);
    ck_assert_int_eq(keyring_add_raw(ring, "k", pkey, 32, &e), DEID_OK);
    snprintf(dir, sizeof dir, "/tmp/check_pram.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    put("m.csv", ",A,B,C\nA,0.7,0.2,0.1\nB,0.05,0.9,0.05\nC,0,0.5,0.5\n");
}

static void teardown(void)
{
    keyring_free(ring);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static deid_status compile(xf_rig *r, const char *spec)
{
    const xf_rig_setup su = {
        .ops = &xf_pram_ops,
        .column = "cat",
        .rules_file = "t.rules",
        .keys = ring,
        .line = 2,
        .col = 12,
        .resets_state = 1,
    };
    xf_rig_init_dir(r, &su, dir);
    xf_rig_spec(r, spec);
    return xf_rig_compile(r);
}

static char run(const xf_rig *r, const char *v, uint64_t pos)
{
    xf_value in = {v, strlen(v)};
    dbuf b;
    dbuf_init(&b, 64);
    const char *why;
    ck_assert_int_eq(xf_pram_ops.apply_at(r->state, &in, 1, pos, &b, &why), XF_OK);
    ck_assert_uint_eq(b.len, 1);
    char c = b.data[0];
    dbuf_free(&b);
    return c;
}

#define N_PER_ROW 100000

static void expect_frequencies(const xf_rig *r, const double p[3][3])
{
    const char *cats[] = {"A", "B", "C"};
    for (int i = 0; i < 3; i++) {
        long counts[3] = {0};
        for (uint64_t pos = 1; pos <= N_PER_ROW; pos++) {
            char c = run(r, cats[i], pos + (uint64_t)i * N_PER_ROW);
            ck_assert(c >= 'A' && c <= 'C');
            counts[c - 'A']++;
        }
        for (int j = 0; j < 3; j++) {
            double f = (double)counts[j] / N_PER_ROW;
            double sd = sqrt(p[i][j] * (1 - p[i][j]) / N_PER_ROW);
            ck_assert_msg(fabs(f - p[i][j]) <= 6 * sd, "%s -> %s: %f, want %f", cats[i],
                          cats[j], f, p[i][j]);
        }
    }
}

START_TEST(matrix_frequencies)
{
    static const double p[3][3] = {{0.7, 0.2, 0.1}, {0.05, 0.9, 0.05}, {0, 0.5, 0.5}};
    xf_rig r;
    ck_assert_int_eq(compile(&r, "key=k matrix=m.csv"), DEID_OK);
    expect_frequencies(&r, p);
    xf_rig_done(&r);
}
END_TEST

START_TEST(keep_frequencies)
{
    static const double p[3][3] = {{0.6, 0.2, 0.2}, {0.2, 0.6, 0.2}, {0.2, 0.2, 0.6}};
    xf_rig r;
    ck_assert_int_eq(compile(&r, "key=k keep=60% values=A,B,C"), DEID_OK);
    expect_frequencies(&r, p);
    xf_rig_done(&r);
}
END_TEST

START_TEST(output_is_the_defined_pick)
{
    xf_rig r;
    ck_assert_int_eq(compile(&r, "key=k matrix=m.csv"), DEID_OK);
    for (uint64_t pos = 1; pos <= 300; pos++) {
        unsigned char blk[32];
        keyed_ref_block(pkey, 32, "pram", "cat", 0, NULL, 0, pos, blk);
        double u = keyed_ref_uniform(keyed_ref_word(blk, 0));
        char want = u < 0.7 ? 'A' : u < 0.9 ? 'B' : 'C'; /* row A: 0.7, 0.2, 0.1 */
        ck_assert_int_eq(run(&r, "A", pos), want);
        want = u < 0.5 ? 'B' : 'C'; /* row C: 0, 0.5, 0.5 */
        ck_assert_int_eq(run(&r, "C", pos), want);
    }
    xf_value in = {"D", 1};
    dbuf b;
    dbuf_init(&b, 64);
    const char *why;
    ck_assert_int_eq(xf_pram_ops.apply_at(r.state, &in, 1, 1, &b, &why), XF_BAD_VALUE);
    ck_assert_str_eq(why, "is not one of the categories of the pram rule");
    dbuf_free(&b);
    ck_assert_int_eq(xf_pram_ops.uses_position(r.state), 1);
    xf_rig_done(&r);
}
END_TEST

START_TEST(errors)
{
    put("dup.csv", ",A,A\nA,1,0\nA,0,1\n");
    put("sum.csv", ",A,B\nA,0.5,0.4\nB,0,1\n");
    put("order.csv", ",A,B\nB,0,1\nA,1,0\n");
    put("short.csv", ",A,B\nA,1,0\n");
    put("neg.csv", ",A,B\nA,-0.5,1.5\nB,0,1\n");
    put("head.csv", "x,A,B\nA,1,0\nB,0,1\n");
    static const struct {
        const char *spec, *text;
    } cases[] = {
        {"matrix=m.csv", "pram needs key=NAME"},
        {"key=k", "pram needs exactly one of matrix=FILE or keep=P values=A,B,..."},
        {"key=k matrix=m.csv keep=0.5", "pram needs exactly one of"},
        {"key=k matrix=m.csv values=A,B", "values= goes with keep="},
        {"key=k keep=0.5", "keep= needs values=A,B,... naming the categories"},
        {"key=k keep=1.5 values=A,B", "keep= needs a share in [0, 1] or a percentage"},
        {"key=k keep=50 values=A,B", "keep= needs a share in [0, 1]"},
        {"key=k keep=0.5 values=A", "values= needs at least 2 categories"},
        {"key=k keep=0.5 values=A,,B", "values= item 2 is an empty category"},
        {"key=k keep=0.5 values=A,B,A", "values= item 3 repeats an earlier category"},
        {"key=k matrix=dup.csv", "field 3 repeats an earlier category"},
        {"key=k matrix=sum.csv", "its probabilities do not sum to 1"},
        {"key=k matrix=order.csv", "does not start with category 1 of the header"},
        {"key=k matrix=short.csv", "has 1 category rows; the header names 2"},
        {"key=k matrix=neg.csv", "field 2 is not a probability in [0, 1]"},
        {"key=k matrix=head.csv", "the header row is an empty field, then the categories"},
        {"key=k matrix=none.csv", "cannot read"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xf_rig r;
        ck_assert_int_eq(compile(&r, cases[i].spec), DEID_E_RULES);
        ck_assert_msg(strstr(r.err.message, cases[i].text), "%s: %s", cases[i].spec,
                      r.err.message);
        xf_rig_done(&r);
    }
}
END_TEST

Suite *pram_suite(void);

Suite *pram_suite(void)
{
    Suite *s = suite_create("pram");
    TCase *tc = tcase_create("pram");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, matrix_frequencies);
    tcase_add_test(tc, keep_frequencies);
    tcase_add_test(tc, output_is_the_defined_pick);
    tcase_add_test(tc, errors);
    suite_add_tcase(s, tc);
    return s;
}
