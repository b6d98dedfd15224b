/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_dateshift.c - `dateshift` (xf_dateshift.c): the shift of a
 * subject is the one the keyed_random.h definition gives (recomputed with
 * keyed_ref.c, dates with the C library's timegm), every interval between
 * a subject's dates is kept, shifts are uniform over the range, the input's
 * form and time are kept, and bad values and rules errors.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keyed_ref.h"
#include "keyring.h"
#include "transform.h"
#include "xf_rig.h"

extern const transform_ops xf_dateshift_ops;

static unsigned char dkey[32];
static keyring *ring;
static const char *const by_pid[] = {"pid"};

static void setup(void)
{
    deid_error e;
    for (int i = 0; i < 32; i++)
        dkey[i] = (unsigned char)(13 * i + 2);
    ring = keyring_new();
    ck_assert_ptr_nonnull(ring);
    ck_assert_int_eq(keyring_add_raw(ring, "k", dkey, 32, &e), DEID_OK);
}

static void teardown(void)
{
    keyring_free(ring);
}

static deid_status compile(xf_rig *r, const char *column, const char *spec, int with_by)
{
    const xf_rig_setup su = {
        .ops = &xf_dateshift_ops,
        .column = column,
        .rules_file = "t.rules",
        .keys = ring,
        .line = 2,
        .col = 10,
        .n_inputs = with_by ? 2 : 1,
        .resets_state = 1,
    };
    xf_rig_init(r, &su);
    xf_rig_spec(r, spec);
    if (with_by) {
        r->ctx.also = by_pid;
        r->ctx.n_also = 1;
    }
    return xf_rig_compile(r);
}

/* Shifts date for subject pid; returns the result status, the output in
 * out. */
static xf_result shift(const xf_rig *r, const char *date, const char *pid, char *out, size_t size,
                       const char **why)
{
    xf_value in[2] = {{date, strlen(date)}, {pid, strlen(pid)}};
    dbuf b;
    dbuf_init(&b, 256);
    xf_result res = xf_dateshift_ops.apply(r->state, in, 2, &b, why);
    if (res == XF_OK) {
        ck_assert_uint_lt(b.len, size);
        memcpy(out, b.data, b.len);
        out[b.len] = '\0';
    }
    dbuf_free(&b);
    return res;
}

/* Days since 1970-01-01 of an ISO date, by timegm. */
static long iso_days(const char *iso)
{
    struct tm tm = {0};
    ck_assert_int_eq(sscanf(iso, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday), 3);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (long)(timegm(&tm) / 86400);
}

static void iso_of_days(long days, char *out, size_t size)
{
    time_t t = (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, size, "%Y-%m-%d", &tm);
}

/* The shift of pid under domain for range [lo, hi], from the definition:
 * lo + w mod n for the first word w at or above 2^64 mod n. */
static long ref_shift(const char *domain, const char *pid, long lo, long hi)
{
    uint64_t n = (uint64_t)(hi - lo + 1), threshold = (0 - n) % n;
    for (uint32_t b = 0;; b++) {
        unsigned char blk[32];
        keyed_ref_block(dkey, 32, "dateshift", domain, b, &pid, 1, 0, blk);
        for (int j = 0; j < 4; j++) {
            uint64_t w = keyed_ref_word(blk, j);
            if (w >= threshold)
                return lo + (long)(w % n);
        }
    }
}

START_TEST(shift_is_the_defined_draw)
{
    xf_rig r;
    ck_assert_int_eq(compile(&r, "admit", "key=k max-days=30", 1), DEID_OK);
    const char *pids[] = {"P-1", "P-2", "P-3", "김철수", "x"};
    for (int i = 0; i < 5; i++) {
        long s = ref_shift("pid", pids[i], -30, 30);
        char want[32], got[64];
        iso_of_days(iso_days("2024-03-01") + s, want, sizeof want);
        const char *why;
        ck_assert_int_eq(shift(&r, "2024-03-01", pids[i], got, sizeof got, &why), XF_OK);
        ck_assert_str_eq(got, want);
    }
    char want[256];
    snprintf(want, sizeof want, "key=k fingerprint=%s domain=pid by=pid max-days=30",
             key_fingerprint(keyring_find(ring, "k")));
    xf_rig_expect_describe(&r, want);
    xf_rig_done(&r);
}
END_TEST

START_TEST(intervals_within_a_subject_kept)
{
    /* two columns naming the same by= share the shift */
    xf_rig a, d;
    ck_assert_int_eq(compile(&a, "admit", "key=k max-days=365", 1), DEID_OK);
    ck_assert_int_eq(compile(&d, "discharge", "key=k days=-365..365", 1), DEID_OK);
    const char *dates[] = {"1999-12-31", "2000-02-28", "2000-02-29", "2000-03-01",
                           "2023-06-15", "2024-12-31", "2100-03-01"};
    const size_t n = sizeof dates / sizeof dates[0];
    for (int subject = 0; subject < 500; subject++) {
        char pid[32];
        snprintf(pid, sizeof pid, "S%05d", subject);
        long first_in = 0, first_out = 0;
        for (size_t i = 0; i < n; i++) {
            char got[64];
            const char *why;
            ck_assert_int_eq(shift(i % 2 ? &d : &a, dates[i], pid, got, sizeof got, &why), XF_OK);
            long din = iso_days(dates[i]), dout = iso_days(got);
            if (i == 0) {
                first_in = din;
                first_out = dout;
                ck_assert_int_le(labs(dout - din), 365);
            }
            ck_assert_int_eq(dout - first_out, din - first_in);
        }
    }
    xf_rig_done(&a);
    xf_rig_done(&d);
}
END_TEST

START_TEST(shifts_are_uniform)
{
    /* days=-3..3: 7 values, 70000 subjects: each count has sd
     * sqrt(70000 / 7 * 6 / 7) = 92.6 around 10000 */
    xf_rig r;
    ck_assert_int_eq(compile(&r, "admit", "key=k days=-3..3", 1), DEID_OK);
    long counts[7] = {0};
    for (int subject = 0; subject < 70000; subject++) {
        char pid[32], got[64];
        const char *why;
        snprintf(pid, sizeof pid, "%d", subject);
        ck_assert_int_eq(shift(&r, "2024-01-10", pid, got, sizeof got, &why), XF_OK);
        long s = iso_days(got) - iso_days("2024-01-10");
        ck_assert(s >= -3 && s <= 3);
        counts[s + 3]++;
    }
    for (int i = 0; i < 7; i++)
        ck_assert_double_eq_tol((double)counts[i], 10000, 6 * 92.6);
    xf_rig_done(&r);
}
END_TEST

START_TEST(form_and_time_kept)
{
    xf_rig r;
    /* days=5..6 reaches 5 or 6; the subject's shift s from the definition */
    ck_assert_int_eq(compile(&r, "admit", "key=k days=5..6", 1), DEID_OK);
    long s = ref_shift("pid", "P", 5, 6);
    static const struct {
        const char *in, *five, *six;
    } cases[] = {
        {"2024-02-26", "2024-03-02", "2024-03-03"},
        {"2024/2/26", "2024/3/2", "2024/3/3"},
        {"2024/02/26", "2024/03/02", "2024/03/03"},
        {"2024/12/28", "2025/1/2", "2025/1/3"},
        {"2024.12.7", "2024.12.12", "2024.12.13"},
        {"2024.2.26", "2024.3.2", "2024.3.3"},
        {"20240226", "20240302", "20240303"},
        {"2024년 2월 26일", "2024년 3월 2일", "2024년 3월 3일"},
        {"2024-02-26 23:59:59", "2024-03-02 23:59:59", "2024-03-03 23:59:59"},
        {"2024-02-26T07:05", "2024-03-02T07:05", "2024-03-03T07:05"},
        {"2024-12-27", "2025-01-01", "2025-01-02"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[64];
        const char *why;
        ck_assert_int_eq(shift(&r, cases[i].in, "P", got, sizeof got, &why), XF_OK);
        ck_assert_str_eq(got, s == 5 ? cases[i].five : cases[i].six);
    }
    xf_rig_done(&r);
}
END_TEST

START_TEST(bad_values)
{
    xf_rig r;
    ck_assert_int_eq(compile(&r, "admit", "key=k days=-40..-35", 1), DEID_OK);
    char got[64];
    const char *why = NULL;
    ck_assert_int_eq(shift(&r, "2024-02-30", "P", got, sizeof got, &why), XF_BAD_VALUE);
    ck_assert_str_eq(why, "is not a calendar date");
    ck_assert_int_eq(shift(&r, "yesterday", "P", got, sizeof got, &why), XF_BAD_VALUE);
    ck_assert_ptr_nonnull(strstr(why, "is not a date"));
    ck_assert_int_eq(shift(&r, "2024-01-01 25:00", "P", got, sizeof got, &why), XF_BAD_VALUE);
    ck_assert_int_eq(shift(&r, "0001-01-05", "P", got, sizeof got, &why), XF_BAD_VALUE);
    ck_assert_str_eq(why, "is shifted outside the years 0001-9999");
    ck_assert_int_eq(shift(&r, "2024-01-05", "", got, sizeof got, &why), XF_BAD_VALUE);
    ck_assert_str_eq(why, "has an empty by= column (no identity to draw for)");
    xf_rig_done(&r);
}
END_TEST

START_TEST(rules_errors)
{
    static const struct {
        const char *spec;
        int by;
        const char *text;
    } cases[] = {
        {"key=k max-days=30", 0, "dateshift needs by=COLUMN"},
        {"max-days=30", 1, "dateshift needs key=NAME"},
        {"key=k", 1, "dateshift needs exactly one of max-days=N or days=A..B"},
        {"key=k max-days=3 days=1..2", 1, "exactly one of"},
        {"key=k max-days=0", 1, "max-days= needs a whole number of days, 1 to 36500"},
        {"key=k max-days=-5", 1, "max-days= needs a whole number"},
        {"key=k max-days=36501", 1, "max-days= needs a whole number"},
        {"key=k days=5..5", 1, "days= needs A..B"},
        {"key=k days=5", 1, "days= needs A..B"},
        {"key=k days=a..b", 1, "days= needs A..B"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xf_rig r;
        ck_assert_int_eq(compile(&r, "admit", cases[i].spec, cases[i].by), DEID_E_RULES);
        ck_assert_msg(strstr(r.err.message, cases[i].text), "%s: %s", cases[i].spec,
                      r.err.message);
        xf_rig_done(&r);
    }
}
END_TEST

Suite *dateshift_suite(void);

Suite *dateshift_suite(void)
{
    Suite *s = suite_create("dateshift");
    TCase *tc = tcase_create("dateshift");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, shift_is_the_defined_draw);
    tcase_add_test(tc, intervals_within_a_subject_kept);
    tcase_add_test(tc, shifts_are_uniform);
    tcase_add_test(tc, form_and_time_kept);
    tcase_add_test(tc, bad_values);
    tcase_add_test(tc, rules_errors);
    suite_add_tcase(s, tc);
    return s;
}
