/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_summary.c - mergeable summaries (summary.h, check_summary.c):
 * merging the summaries of the parts of a random input gives the whole
 * input's report, byte for byte, in any order; merged summaries are the
 * same bytes for any order and grouping of the parts; the class counts
 * match a naive count made here; and hostile summary files (every
 * truncation, every changed byte, another version, other columns, token
 * or rules, a part given twice) fail closed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deid.h"

static const char *const quasi[] = {"a", "b"};
static const char *const sens[] = {"s"};

static deid_check_options opts(void)
{
    deid_check_options o;
    memset(&o, 0, sizeof o);
    o.quasi = quasi;
    o.n_quasi = 2;
    o.sensitive = sens;
    o.n_sensitive = 1;
    o.k = 3;
    o.l = 2;
    o.t = 0.4;
    o.show_classes = 4;
    return o;
}

static unsigned next(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

/* A random input: header, then n records; ends[i] is where record i
 * ends (byte offset after its line feed). Values include quoted line
 * feeds and commas, empty sensitive values and suppressed records. */
typedef struct input {
    char *csv;
    size_t len;
    size_t *ends; /* ends[0] = end of the header */
    size_t n;
    /* a naive count: distinct (a, b) pairs among unsuppressed records */
    char (*pairs)[16];
    size_t n_pairs, unsuppressed;
} input;

static void input_make(input *in, unsigned seed, size_t n)
{
    static const char *const as[] = {"1", "2", "3", "\"4\n4\"", "5"};
    static const char *const bs[] = {"x", "y", "\"z,z\""};
    static const char *const ss[] = {"flu", "cold", "", "\"h\nv\"", "hiv"};
    size_t cap = 64 + n * 32;
    in->csv = malloc(cap);
    in->ends = malloc((n + 1) * sizeof *in->ends);
    in->pairs = malloc(n * sizeof *in->pairs);
    ck_assert(in->csv && in->ends && in->pairs);
    in->len = (size_t)sprintf(in->csv, "a,b,s\n");
    in->ends[0] = in->len;
    in->n = n;
    in->n_pairs = in->unsuppressed = 0;
    for (size_t i = 0; i < n; i++) {
        int suppressed = next(&seed) % 9 == 0;
        unsigned ai = next(&seed) % 5, bi = next(&seed) % 3;
        const char *s = ss[next(&seed) % 5];
        if (suppressed)
            in->len += (size_t)sprintf(in->csv + in->len, "*,*,%s\n", s);
        else
            in->len += (size_t)sprintf(in->csv + in->len, "%s,%s,%s\n", as[ai], bs[bi], s);
        in->ends[i + 1] = in->len;
        if (suppressed)
            continue;
        in->unsuppressed++;
        char pair[16];
        snprintf(pair, sizeof pair, "%u/%u", ai, bi);
        size_t j = 0;
        while (j < in->n_pairs && strcmp(in->pairs[j], pair))
            j++;
        if (j == in->n_pairs)
            memcpy(in->pairs[in->n_pairs++], pair, sizeof pair);
    }
}

static void input_free(input *in)
{
    free(in->csv);
    free(in->ends);
    free(in->pairs);
}

/* The JSON report without its inputs line and timestamp (what differs
 * between a merged report and the whole input's). */
static char *figures(const deid_check *chk)
{
    char *json = NULL;
    deid_error err;
    ck_assert_int_eq(deid_check_report_json(chk, &json, &err), DEID_OK);
    char *when = strstr(json, "\"generated_at\": \"");
    ck_assert_ptr_nonnull(when);
    memset(when + 17, '0', 20);
    char *in = strstr(json, "\"inputs\": [");
    ck_assert_ptr_nonnull(in);
    char *close = strstr(in, "],");
    ck_assert_ptr_nonnull(close);
    memmove(in, close + 2, strlen(close + 2) + 1);
    return json;
}

static char *whole_report(const input *in)
{
    deid_check_options o = opts();
    deid_check *chk;
    deid_error err;
    ck_assert_int_eq(deid_check_new(NULL, &o, &chk, &err), DEID_OK);
    ck_assert_int_eq(deid_check_begin_input(chk, "in.csv", &err), DEID_OK);
    ck_assert_int_eq(deid_check_write(chk, in->csv, in->len, &err), DEID_OK);
    ck_assert_int_eq(deid_check_end_input(chk, &err), DEID_OK);
    ck_assert_int_eq(deid_check_finish(chk, &err), DEID_OK);
    char *r = figures(chk);
    deid_check_free(chk);
    return r;
}

/* The text of a written summary (a temporary file read back). */
static char *summary_text(const deid_check *chk, size_t *len)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    deid_error err;
    ck_assert_int_eq(deid_check_write_summary(chk, fileno(f), &err), DEID_OK);
    long n = lseek(fileno(f), 0, SEEK_CUR);
    ck_assert_int_gt(n, 0);
    char *text = malloc((size_t)n + 1);
    ck_assert_int_eq(pread(fileno(f), text, (size_t)n, 0), n);
    text[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return text;
}

/* The summary of records [from, to) of in (0-based), as part `part`. */
static char *part_summary(const input *in, size_t from, size_t to, uint64_t part, size_t *len)
{
    deid_check_options o = opts();
    o.partial = 1;
    o.part = part;
    o.show_classes = 0;
    deid_check *chk;
    deid_error err;
    ck_assert_int_eq(deid_check_new(NULL, &o, &chk, &err), DEID_OK);
    ck_assert_int_eq(deid_check_begin_input(chk, "part.csv", &err), DEID_OK);
    ck_assert_int_eq(deid_check_write(chk, in->csv, in->ends[0], &err), DEID_OK);
    ck_assert_int_eq(deid_check_write(chk, in->csv + in->ends[from],
                                      in->ends[to] - in->ends[from], &err), DEID_OK);
    ck_assert_int_eq(deid_check_end_input(chk, &err), DEID_OK);
    ck_assert_int_eq(deid_check_finish(chk, &err), DEID_OK);
    char *text = summary_text(chk, len);
    deid_check_free(chk);
    return text;
}

typedef struct text {
    char *data;
    size_t len;
} text;

/* Merges texts in the order given: the merged check (caller frees) or
 * NULL with *st set at the first failure. */
static deid_check *merge(const text *parts, size_t n, const deid_check_options *o,
                         deid_status *st, deid_error *err)
{
    deid_check *chk;
    ck_assert_int_eq(deid_check_new(NULL, o, &chk, err), DEID_OK);
    *st = DEID_OK;
    for (size_t i = 0; i < n && !*st; i++) {
        *st = deid_check_merge_begin(chk, "p.sum", err);
        /* in pieces of 7 bytes: lines cross the pieces */
        for (size_t at = 0; !*st && at < parts[i].len; at += 7)
            *st = deid_check_merge_write(chk, parts[i].data + at,
                                         parts[i].len - at < 7 ? parts[i].len - at : 7, err);
        if (!*st)
            *st = deid_check_merge_end(chk, err);
    }
    if (!*st)
        *st = deid_check_merge_finish(chk, err);
    if (*st) {
        deid_check_free(chk);
        return NULL;
    }
    return chk;
}

static text merged_text(const text *parts, size_t n)
{
    deid_check_options o = opts();
    deid_status st;
    deid_error err;
    deid_check *chk = merge(parts, n, &o, &st, &err);
    ck_assert_msg(chk != NULL, "merge failed: %s", err.message);
    text t;
    t.data = summary_text(chk, &t.len);
    deid_check_free(chk);
    return t;
}

START_TEST(merged_parts_give_the_whole_report)
{
    for (unsigned round = 0; round < 20; round++) {
        unsigned seed = 7 + round;
        input in;
        input_make(&in, seed, 40 + next(&seed) % 300);
        char *whole = whole_report(&in);
        /* 1 to 6 parts, cut at random records (some empty) */
        size_t n_parts = 1 + next(&seed) % 6, cuts[8];
        cuts[0] = 0;
        cuts[n_parts] = in.n;
        for (size_t p = 1; p < n_parts; p++) {
            size_t c = next(&seed) % (in.n + 1);
            cuts[p] = c < cuts[p - 1] ? cuts[p - 1] : c;
        }
        text parts[8];
        for (size_t p = 0; p < n_parts; p++)
            parts[p].data = part_summary(&in, cuts[p], cuts[p + 1], in.ends[cuts[p]],
                                         &parts[p].len);
        /* shuffled */
        for (size_t p = n_parts; p > 1; p--) {
            size_t q = next(&seed) % p;
            text tmp = parts[p - 1];
            parts[p - 1] = parts[q];
            parts[q] = tmp;
        }
        deid_check_options o = opts();
        deid_status st;
        deid_error err;
        deid_check *chk = merge(parts, n_parts, &o, &st, &err);
        ck_assert_msg(chk != NULL, "merge failed: %s", err.message);
        char *merged = figures(chk);
        ck_assert_str_eq(merged, whole);
        /* and against the naive count made while generating */
        char want[64];
        snprintf(want, sizeof want, "\"records\": %zu,", in.unsuppressed);
        ck_assert_ptr_nonnull(strstr(merged, want));
        snprintf(want, sizeof want, "\"suppressed_records\": %zu,", in.n - in.unsuppressed);
        ck_assert_ptr_nonnull(strstr(merged, want));
        snprintf(want, sizeof want, "\"classes\": %zu,", in.n_pairs);
        ck_assert_ptr_nonnull(strstr(merged, want));
        free(merged);
        deid_check_free(chk);
        for (size_t p = 0; p < n_parts; p++)
            free(parts[p].data);
        free(whole);
        input_free(&in);
    }
}
END_TEST

START_TEST(merging_is_associative_and_commutative)
{
    unsigned seed = 99;
    input in;
    input_make(&in, seed, 400);
    size_t cuts[] = {0, 90, 91, 250, 400};
    text p[4];
    for (size_t i = 0; i < 4; i++)
        p[i].data = part_summary(&in, cuts[i], cuts[i + 1], in.ends[cuts[i]], &p[i].len);
    text all = merged_text(p, 4);
    text rev[4] = {p[3], p[2], p[1], p[0]};
    text all_rev = merged_text(rev, 4);
    text left = merged_text(p, 2), right = merged_text(p + 2, 2);
    text lr[2] = {right, left};
    text grouped = merged_text(lr, 2);
    text inner = merged_text(p + 1, 3);
    text chain[2] = {inner, p[0]};
    text chained = merged_text(chain, 2);
    ck_assert_uint_eq(all.len, all_rev.len);
    ck_assert_mem_eq(all.data, all_rev.data, all.len);
    ck_assert_uint_eq(all.len, grouped.len);
    ck_assert_mem_eq(all.data, grouped.data, all.len);
    ck_assert_uint_eq(all.len, chained.len);
    ck_assert_mem_eq(all.data, chained.data, all.len);
    /* the merged summary covers the four parts */
    char want[128];
    snprintf(want, sizeof want, "\nparts 4 %zu %zu %zu %zu\n", in.ends[0], in.ends[90],
             in.ends[91], in.ends[250]);
    ck_assert_ptr_nonnull(strstr(all.data, want));
    text *all_texts[] = {&all, &all_rev, &left, &right, &grouped, &inner, &chained};
    for (size_t i = 0; i < sizeof all_texts / sizeof *all_texts; i++)
        free(all_texts[i]->data);
    for (size_t i = 0; i < 4; i++)
        free(p[i].data);
    input_free(&in);
}
END_TEST

/* DEID_E_DATA from merging these texts with o (or the default options). */
static void refused(const text *parts, size_t n, const deid_check_options *o, const char *why)
{
    deid_check_options def = opts();
    deid_status st;
    deid_error err;
    deid_check *chk = merge(parts, n, o ? o : &def, &st, &err);
    ck_assert_ptr_null(chk);
    ck_assert_int_eq(st, DEID_E_DATA);
    if (why)
        ck_assert_msg(strstr(err.message, why) != NULL, "\"%s\" not in \"%s\"", why, err.message);
}

START_TEST(hostile_summaries_fail_closed)
{
    input in;
    input_make(&in, 5, 30);
    text good;
    good.data = part_summary(&in, 0, in.n, 0, &good.len);
    /* every truncation */
    for (size_t cut = 0; cut < good.len; cut++) {
        text t = {good.data, cut};
        refused(&t, 1, NULL, cut ? NULL : "truncated");
    }
    /* every byte changed */
    char *bent = malloc(good.len);
    for (size_t at = 0; at < good.len; at++) {
        memcpy(bent, good.data, good.len);
        bent[at] = bent[at] == 'a' ? 'b' : bent[at] == '\n' ? ' ' : 'a';
        text t = {bent, good.len};
        refused(&t, 1, NULL, NULL);
    }
    free(bent);
    /* a part twice */
    text twice[2] = {good, good};
    refused(twice, 2, NULL, "given twice");
    /* other columns, token, version */
    deid_check_options o = opts();
    o.n_quasi = 1;
    refused(&good, 1, &o, "quasi columns differ");
    o = opts();
    o.token = "-";
    refused(&good, 1, &o, "suppression token");
    char *v2 = strdup(good.data);
    v2[13] = '2';
    text t2 = {v2, good.len};
    refused(&t2, 1, NULL, "another version");
    free(v2);
    /* more after the end */
    char *more = malloc(good.len + 3);
    memcpy(more, good.data, good.len);
    memcpy(more + good.len, "x\n", 2);
    text tm = {more, good.len + 2};
    refused(&tm, 1, NULL, "after the end");
    free(more);
    free(good.data);
    input_free(&in);
}
END_TEST

START_TEST(merge_refuses_misuse)
{
    deid_check_options o = opts();
    deid_check *chk;
    deid_error err;
    ck_assert_int_eq(deid_check_new(NULL, &o, &chk, &err), DEID_OK);
    ck_assert_int_eq(deid_check_merge_finish(chk, &err), DEID_E_USAGE);
    ck_assert_int_eq(deid_check_write_summary(chk, 1, &err), DEID_E_USAGE);
    ck_assert_int_eq(deid_check_begin_input(chk, "x", &err), DEID_OK);
    ck_assert_int_eq(deid_check_merge_begin(chk, "p", &err), DEID_E_USAGE);
    deid_check_free(chk);
    /* a partial check shows nothing and has no population */
    o.partial = 1;
    ck_assert_int_eq(deid_check_new(NULL, &o, &chk, &err), DEID_E_USAGE);
}
END_TEST

Suite *summary_suite(void); /* called by check_main.c */
Suite *summary_suite(void)
{
    Suite *s = suite_create("summary");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, merged_parts_give_the_whole_report);
    tcase_add_test(tc, merging_is_associative_and_commutative);
    tcase_add_test(tc, hostile_summaries_fail_closed);
    tcase_add_test(tc, merge_refuses_misuse);
    suite_add_tcase(s, tc);
    return s;
}
