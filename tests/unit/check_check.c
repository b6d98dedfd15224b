/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_check.c - the privacy checker's buffer API (deid_check_*) driven
 * directly: figures on small inputs worked out by hand, the same report
 * at every chunk size from 1 byte up, gzip input (compressed here with
 * zlib, not gz.c), the SHA-256 (computed here with OpenSSL), options over
 * rules, the suppression token, the smallest classes, and the errors.
 */
#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <openssl/evp.h>

#include "deid.h"

/* QIs age,sex,zip; sensitive disease. Classes: (a30,M,Z100) x3 with
 * flu,cold,flu; (a40,F,Z200) x2 with hiv,flu; (a50,M,Z300) x1 with cold;
 * one suppressed record (flu). CRLF endings and a quoted delimiter. */
static const char input[] = "age,sex,zip,disease,note\r\n"
                            "a30,M,Z100,flu,x\r\n"
                            "a30,M,Z100,cold,\"q,1\"\r\n"
                            "a30,M,Z100,flu,x\r\n"
                            "a40,F,Z200,hiv,x\r\n"
                            "a40,F,Z200,flu,x\r\n"
                            "a50,M,Z300,cold,x\r\n"
                            "*,*,*,flu,x\r\n";

static const char *const qi3[] = {"age", "sex", "zip"};
static const char *const disease[] = {"disease"};

static deid_check_options base_options(void)
{
    deid_check_options o = {0};
    o.quasi = qi3;
    o.n_quasi = 3;
    o.sensitive = disease;
    o.n_sensitive = 1;
    return o;
}

/* Feeds data to a new checker in chunks of size chunk (0: all at once)
 * and finishes it. Returns the first failing status; *out gets the
 * checker (freed by the caller). */
static deid_status run_chunks(const deid_rules *r, const deid_check_options *o, const char *data,
                              size_t len, size_t chunk, deid_check **out, deid_error *err)
{
    deid_check *chk = NULL;
    *out = NULL;
    deid_status st = deid_check_new(r, o, &chk, err);
    if (st)
        return st;
    *out = chk;
    if ((st = deid_check_begin_input(chk, "in.csv", err)))
        return st;
    if (chunk == 0)
        chunk = len ? len : 1;
    for (size_t at = 0; at < len; at += chunk) {
        size_t n = len - at < chunk ? len - at : chunk;
        if ((st = deid_check_write(chk, data + at, n, err)))
            return st;
    }
    if ((st = deid_check_end_input(chk, err)))
        return st;
    return deid_check_finish(chk, err);
}

static char *json_of(const deid_check *chk)
{
    char *json = NULL;
    deid_error err;
    ck_assert_int_eq(deid_check_report_json(chk, &json, &err), DEID_OK);
    /* reports of two runs are compared: the time they were made at is not */
    char *when = strstr(json, "\"generated_at\": \"");
    ck_assert_ptr_nonnull(when);
    memset(when + 17, '0', 20);
    return json;
}

static char *text_of(const deid_check *chk)
{
    char *text = NULL;
    deid_error err;
    ck_assert_int_eq(deid_check_report_text(chk, &text, &err), DEID_OK);
    return text;
}

/* The number after the first "key": in json. */
static double jnum(const char *json, const char *key)
{
    char pat[96];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(json, pat);
    ck_assert_msg(p != NULL, "no %s in the report", key);
    char *end;
    double v = strtod(p + strlen(pat), &end);
    ck_assert_msg(end != p + strlen(pat), "%s is not a number", key);
    return v;
}

static void sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char md[32];
    unsigned int n = 0;
    ck_assert(EVP_Digest(data, len, md, &n, EVP_sha256(), NULL));
    for (unsigned i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* The figures of `input`, worked out by hand (see the comment there). */
static void assert_input_figures(const char *json)
{
    ck_assert_double_eq(jnum(json, "records"), 6);
    ck_assert_double_eq(jnum(json, "suppressed_records"), 1);
    ck_assert_double_eq(jnum(json, "classes"), 3);
    ck_assert_double_eq(jnum(json, "smallest_class"), 1);
    ck_assert_double_eq(jnum(json, "median_class"), 2);
    ck_assert_double_eq(jnum(json, "largest_class"), 3);
    ck_assert_double_eq(jnum(json, "unique_records"), 1);
    ck_assert_ptr_nonnull(strstr(json, "{\"sizes\": \"1\", \"classes\": 1}"));
    ck_assert_ptr_nonnull(strstr(json, "{\"sizes\": \"2\", \"classes\": 1}"));
    ck_assert_ptr_nonnull(strstr(json, "{\"sizes\": \"3-4\", \"classes\": 1}"));
    ck_assert_ptr_nonnull(strstr(json, "{\"sizes\": \"5-9\", \"classes\": 0}"));
    /* risk: 1 / smallest class; classes / records; share above 1/k */
    ck_assert_double_eq_tol(jnum(json, "risk_max"), 1.0, 1e-12);
    ck_assert_double_eq_tol(jnum(json, "risk_average"), 3.0 / 6.0, 1e-12);
    /* Overall disease distribution, suppressed record included: flu 4/7,
     * cold 2/7, hiv 1/7. Class (a50) = {cold}: EMD = (4/7 + 5/7 + 1/7)/2. */
    ck_assert_double_eq_tol(jnum(json, "max_t"), 5.0 / 7.0, 1e-12);
    ck_assert_double_eq(jnum(json, "min_distinct_l"), 1);
    ck_assert_double_eq_tol(jnum(json, "min_entropy_l"), 1.0, 1e-12);
    ck_assert_ptr_nonnull(strstr(json, "{\"name\": \"age\", \"distinct\": 3, \"uniques_freed\": 0"));
    ck_assert_ptr_nonnull(strstr(json, "{\"name\": \"sex\", \"distinct\": 2, \"uniques_freed\": 0"));
    ck_assert_ptr_nonnull(strstr(json, "{\"name\": \"zip\", \"distinct\": 3, \"uniques_freed\": 0"));
}

START_TEST(figures_by_hand)
{
    deid_check_options o = base_options();
    o.k = 2;
    o.l = 2;
    o.t = 0.3;
    deid_check *chk;
    deid_error err;
    ck_assert_int_eq(run_chunks(NULL, &o, input, strlen(input), 0, &chk, &err), DEID_OK);
    char *json = json_of(chk);
    assert_input_figures(json);
    ck_assert_double_eq(jnum(json, "risk_k"), 2);
    ck_assert_double_eq(jnum(json, "classes_below_k"), 1);
    ck_assert_double_eq(jnum(json, "records_below_k"), 1);
    /* one record of six has risk 1 > 1/2 */
    ck_assert_double_eq_tol(jnum(json, "risk_share"), 1.0 / 6.0, 1e-12);
    /* only (a50) has fewer than 2 distinct values */
    ck_assert_double_eq(jnum(json, "classes_below_l"), 1);
    /* (a40) = {hiv, flu}: (|1/2-4/7| + 2/7 + |1/2-1/7|)/2 = 5/14 > 0.3;
     * (a30) = {flu 2/3, cold 1/3}: 1/7 <= 0.3 */
    ck_assert_double_eq(jnum(json, "classes_above_t"), 2);
    ck_assert_ptr_nonnull(strstr(json, "\"result\": {\"k\": false, \"l\": false, \"t\": false}"));
    ck_assert_ptr_nonnull(strstr(json, "\"met\": false"));
    ck_assert_int_eq(deid_check_met(chk), 0);

    char hex[65];
    sha256_hex(input, strlen(input), hex);
    ck_assert_ptr_nonnull(strstr(json, hex));
    free(json);
    deid_check_free(chk);
}
END_TEST

START_TEST(every_chunk_size)
{
    deid_check_options o = base_options();
    o.k = 2;
    o.show_classes = 3;
    deid_check *chk;
    deid_error err;
    size_t len = strlen(input);
    ck_assert_int_eq(run_chunks(NULL, &o, input, len, 0, &chk, &err), DEID_OK);
    char *want_json = json_of(chk), *want_text = text_of(chk);
    deid_check_free(chk);
    assert_input_figures(want_json);
    for (size_t chunk = 1; chunk <= len; chunk++) {
        ck_assert_int_eq(run_chunks(NULL, &o, input, len, chunk, &chk, &err), DEID_OK);
        char *json = json_of(chk), *text = text_of(chk);
        ck_assert_msg(!strcmp(json, want_json), "JSON differs at chunk size %zu", chunk);
        ck_assert_msg(!strcmp(text, want_text), "text differs at chunk size %zu", chunk);
        free(json);
        free(text);
        deid_check_free(chk);
    }
    free(want_json);
    free(want_text);
}
END_TEST

/* gzip with zlib directly (windowBits 31 = gzip wrapper). */
static unsigned char *gzip_bytes(const char *data, size_t len, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, len) + 64;
    unsigned char *out = malloc(cap);
    ck_assert_ptr_nonnull(out);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out_len = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

START_TEST(gzip_input_every_chunk_size)
{
    size_t glen;
    unsigned char *gz = gzip_bytes(input, strlen(input), &glen);
    char hex[65];
    sha256_hex(gz, glen, hex);
    deid_check_options o = base_options();
    for (size_t chunk = 1; chunk <= glen; chunk++) {
        deid_check *chk;
        deid_error err;
        ck_assert_int_eq(run_chunks(NULL, &o, (const char *)gz, glen, chunk, &chk, &err), DEID_OK);
        char *json = json_of(chk);
        assert_input_figures(json);
        /* the digest covers the bytes as given, compressed */
        ck_assert_ptr_nonnull(strstr(json, hex));
        free(json);
        deid_check_free(chk);
    }
    free(gz);
}
END_TEST

START_TEST(requirement_met)
{
    deid_check_options o = base_options();
    o.k = 1;
    o.l = 1;
    o.t = 0.75; /* above the largest EMD, 5/7 */
    deid_check *chk;
    deid_error err;
    ck_assert_int_eq(run_chunks(NULL, &o, input, strlen(input), 0, &chk, &err), DEID_OK);
    ck_assert_int_eq(deid_check_met(chk), 1);
    char *json = json_of(chk);
    ck_assert_ptr_nonnull(strstr(json, "\"result\": {\"k\": true, \"l\": true, \"t\": true}"));
    ck_assert_ptr_nonnull(strstr(json, "\"met\": true"));
    free(json);
    deid_check_free(chk);

    /* nothing required: met, and every part is null */
    o.k = 0, o.l = 0, o.t = 0;
    ck_assert_int_eq(run_chunks(NULL, &o, input, strlen(input), 0, &chk, &err), DEID_OK);
    ck_assert_int_eq(deid_check_met(chk), 1);
    json = json_of(chk);
    ck_assert_ptr_nonnull(strstr(json, "\"result\": {\"k\": null, \"l\": null, \"t\": null}"));
    /* without k the risk figures use k = 5 */
    ck_assert_double_eq(jnum(json, "risk_k"), 5);
    ck_assert_double_eq(jnum(json, "records_below_k"), 6);
    free(json);
    deid_check_free(chk);
}
END_TEST

START_TEST(uniques_freed_by_hand)
{
    /* (1,x) and (1,y) are unique. Without a: x has 3 records, y 1, so one
     * stops being unique; without b: both do. b drives the risk. */
    static const char data[] = "a,b\n1,x\n1,y\n2,x\n2,x\n";
    static const char *const ab[] = {"a", "b"};
    deid_check_options o = {0};
    o.quasi = ab;
    o.n_quasi = 2;
    deid_check *chk;
    deid_error err;
    ck_assert_int_eq(run_chunks(NULL, &o, data, strlen(data), 0, &chk, &err), DEID_OK);
    char *json = json_of(chk);
    ck_assert_double_eq(jnum(json, "unique_records"), 2);
    ck_assert_double_eq(jnum(json, "classes"), 3);
    ck_assert_double_eq(jnum(json, "median_class"), 1);
    ck_assert_ptr_nonnull(strstr(
        json, "{\"name\": \"a\", \"distinct\": 2, \"uniques_freed\": 1, \"drives_risk\": false}"));
    ck_assert_ptr_nonnull(strstr(
        json, "{\"name\": \"b\", \"distinct\": 2, \"uniques_freed\": 2, \"drives_risk\": true}"));
    char *text = text_of(chk);
    ck_assert_ptr_nonnull(strstr(text, "2  <- drives uniqueness\n"));
    free(text);
    free(json);
    deid_check_free(chk);
}
END_TEST

START_TEST(entropy_and_ordered_by_hand)
{
    /* One class {flu, cold, flu}: entropy l = exp(H), H natural log. */
    static const char one[] = "g,s\nA,flu\nA,cold\nA,flu\n";
    static const char *const g[] = {"g"};
    static const char *const s[] = {"s"};
    deid_check_options o = {0};
    o.quasi = g;
    o.n_quasi = 1;
    o.sensitive = s;
    o.n_sensitive = 1;
    o.l = 1.8;
    o.l_entropy = 1;
    deid_check *chk;
    deid_error err;
    ck_assert_int_eq(run_chunks(NULL, &o, one, strlen(one), 0, &chk, &err), DEID_OK);
    char *json = json_of(chk);
    double h = -(2.0 / 3.0 * log(2.0 / 3.0) + 1.0 / 3.0 * log(1.0 / 3.0));
    ck_assert_double_eq_tol(jnum(json, "min_entropy_l"), exp(h), 1e-12);
    ck_assert_double_eq(jnum(json, "min_distinct_l"), 2);
    ck_assert_ptr_nonnull(strstr(json, "\"l_kind\": \"entropy\""));
    ck_assert_int_eq(deid_check_met(chk), 1); /* exp(H) = 1.8899 >= 1.8 */
    free(json);
    deid_check_free(chk);

    /* Overall {1: 1/4, 2: 1/4, 3: 1/2}; class A = {1, 2}, B = {3, 3}.
     * Ordered: A's cumulative differences 1/4, 1/2, 0 -> (3/4)/(3-1) =
     * 3/8, B the same. Equal: (1/4 + 1/4 + 1/2)/2 = 1/2 for both. */
    static const char two[] = "g,s\nA,1\nA,2\nB,3\nB,3\n";
    o = (deid_check_options){0};
    o.quasi = g;
    o.n_quasi = 1;
    o.sensitive = s;
    o.n_sensitive = 1;
    ck_assert_int_eq(run_chunks(NULL, &o, two, strlen(two), 0, &chk, &err), DEID_OK);
    json = json_of(chk);
    ck_assert_double_eq_tol(jnum(json, "max_t"), 0.5, 1e-12);
    ck_assert_ptr_nonnull(strstr(json, "\"ordered\": false"));
    free(json);
    deid_check_free(chk);
    o.ordered = s;
    o.n_ordered = 1;
    o.t = 0.4;
    ck_assert_int_eq(run_chunks(NULL, &o, two, strlen(two), 0, &chk, &err), DEID_OK);
    json = json_of(chk);
    ck_assert_double_eq_tol(jnum(json, "max_t"), 0.375, 1e-12);
    ck_assert_ptr_nonnull(strstr(json, "\"ordered\": true"));
    ck_assert_int_eq(deid_check_met(chk), 1);
    free(json);
    deid_check_free(chk);
}
END_TEST

START_TEST(rules_then_options)
{
    static const char text[] = "input delimiter=; header=no\n"
                               "quasi #1 #2\n"
                               "sensitive #3 ordered=#3\n"
                               "require k=3\n"
                               "suppress max=10% token=-\n";
    static const char data[] = "x;1;5\nx;1;6\nx;1;7\ny;2;5\n-;-;9\n";
    deid_rules *r = NULL;
    deid_error err;
    ck_assert_int_eq(deid_rules_parse(text, strlen(text), "t.rules", NULL, &r, &err), DEID_OK);
    deid_check *chk;
    ck_assert_int_eq(run_chunks(r, NULL, data, strlen(data), 0, &chk, &err), DEID_OK);
    char *json = json_of(chk);
    ck_assert_double_eq(jnum(json, "records"), 4);
    ck_assert_double_eq(jnum(json, "suppressed_records"), 1);
    ck_assert_double_eq(jnum(json, "classes"), 2);
    ck_assert_double_eq(jnum(json, "risk_k"), 3);
    ck_assert_ptr_nonnull(strstr(json, "\"suppression_token\": \"-\""));
    ck_assert_ptr_nonnull(strstr(json, "{\"name\": \"#3\", \"ordered\": true"));
    ck_assert_int_eq(deid_check_met(chk), 0); /* class (y,2) has 1 record */
    free(json);
    deid_check_free(chk);

    /* options override: k=1 holds */
    deid_check_options o = {0};
    o.k = 1;
    ck_assert_int_eq(run_chunks(r, &o, data, strlen(data), 0, &chk, &err), DEID_OK);
    ck_assert_int_eq(deid_check_met(chk), 1);
    deid_check_free(chk);

    /* a token given in options replaces the rules' one: "-" rows now form a class */
    o.token = "*";
    ck_assert_int_eq(run_chunks(r, &o, data, strlen(data), 0, &chk, &err), DEID_OK);
    json = json_of(chk);
    ck_assert_double_eq(jnum(json, "records"), 5);
    ck_assert_double_eq(jnum(json, "suppressed_records"), 0);
    free(json);
    deid_check_free(chk);
    deid_rules_free(r);
}
END_TEST

START_TEST(data_values_only_when_asked)
{
    deid_check_options o = base_options();
    deid_check *chk;
    deid_error err;
    static const char *const values[] = {"a30", "a40", "a50", "Z100", "Z200", "Z300",
                                         "flu", "cold", "hiv"};
    ck_assert_int_eq(run_chunks(NULL, &o, input, strlen(input), 0, &chk, &err), DEID_OK);
    char *json = json_of(chk), *text = text_of(chk);
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        ck_assert_msg(!strstr(json, values[i]), "JSON shows %s", values[i]);
        ck_assert_msg(!strstr(text, values[i]), "text shows %s", values[i]);
    }
    ck_assert_ptr_null(strstr(json, "smallest_classes"));
    free(json);
    free(text);
    deid_check_free(chk);

    /* the 2 smallest: (a50) with 1 record, then (a40) with 2 */
    o.show_classes = 2;
    ck_assert_int_eq(run_chunks(NULL, &o, input, strlen(input), 0, &chk, &err), DEID_OK);
    json = json_of(chk);
    const char *p = strstr(json, "{\"size\": 1, \"values\": [\"a50\", \"M\", \"Z300\"]}");
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_nonnull(strstr(p, "{\"size\": 2, \"values\": [\"a40\", \"F\", \"Z200\"]}"));
    ck_assert_ptr_null(strstr(json, "a30"));
    text = text_of(chk);
    ck_assert_ptr_nonnull(strstr(text, "a50  M    Z300\n"));
    free(json);
    free(text);
    deid_check_free(chk);

    /* asking for more than there are lists them all */
    o.show_classes = 100;
    ck_assert_int_eq(run_chunks(NULL, &o, input, strlen(input), 0, &chk, &err), DEID_OK);
    json = json_of(chk);
    ck_assert_ptr_nonnull(strstr(json, "{\"size\": 3, \"values\": [\"a30\", \"M\", \"Z100\"]}"));
    free(json);
    deid_check_free(chk);
}
END_TEST

START_TEST(header_only_and_empty)
{
    deid_check_options o = base_options();
    o.k = 5;
    deid_check *chk;
    deid_error err;
    static const char header_only[] = "age,sex,zip,disease\n";
    ck_assert_int_eq(run_chunks(NULL, &o, header_only, strlen(header_only), 0, &chk, &err),
                     DEID_OK);
    char *json = json_of(chk);
    ck_assert_double_eq(jnum(json, "records"), 0);
    ck_assert_double_eq(jnum(json, "classes"), 0);
    ck_assert_int_eq(deid_check_met(chk), 1); /* no class is below k */
    free(json);
    deid_check_free(chk);

    ck_assert_int_eq(run_chunks(NULL, &o, "", 0, 0, &chk, &err), DEID_E_DATA);
    ck_assert_str_eq(err.file, "in.csv");
    ck_assert_ptr_nonnull(strstr(err.message, "empty"));
    deid_check_free(chk);
}
END_TEST

START_TEST(unknown_column_from_options_is_usage)
{
    static const char *const bad[] = {"age", "sexx"};
    deid_check_options o = {0};
    o.quasi = bad;
    o.n_quasi = 2;
    deid_check *chk;
    deid_error err;
    ck_assert_int_eq(run_chunks(NULL, &o, input, strlen(input), 0, &chk, &err), DEID_E_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "\"sexx\""));
    /* header cells the user did not name are shown by position (issue 12) */
    ck_assert_ptr_nonnull(strstr(err.message, "(its columns: \"age\", #2, #3, #4, #5)"));
    ck_assert_ptr_null(strstr(err.message, "disease"));
    ck_assert_str_eq(err.file, "in.csv");
    /* the checker refuses work after an error */
    ck_assert_int_eq(deid_check_write(chk, "x", 1, &err), DEID_E_USAGE);
    deid_check_free(chk);

    o = base_options();
    static const char *const bad_s[] = {"illness"};
    o.sensitive = bad_s;
    ck_assert_int_eq(run_chunks(NULL, &o, input, strlen(input), 0, &chk, &err), DEID_E_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "sensitive column \"illness\""));
    deid_check_free(chk);
}
END_TEST

START_TEST(unknown_column_from_rules_is_rules_error)
{
    static const char text[] = "# a comment\nquasi age sexx\n";
    deid_rules *r = NULL;
    deid_error err;
    ck_assert_int_eq(deid_rules_parse(text, strlen(text), "t.rules", NULL, &r, &err), DEID_OK);
    deid_check *chk;
    ck_assert_int_eq(run_chunks(r, NULL, input, strlen(input), 0, &chk, &err), DEID_E_RULES);
    ck_assert_str_eq(err.file, "t.rules");
    ck_assert_uint_eq(err.line, 2);
    ck_assert_ptr_nonnull(strstr(err.message, "\"sexx\" is not a column of in.csv"));
    deid_check_free(chk);

    /* the same names given as options are a usage error */
    static const char *const bad[] = {"sexx"};
    deid_check_options o = {0};
    o.quasi = bad;
    o.n_quasi = 1;
    ck_assert_int_eq(run_chunks(r, &o, input, strlen(input), 0, &chk, &err), DEID_E_USAGE);
    deid_check_free(chk);
    deid_rules_free(r);
}
END_TEST

START_TEST(ragged_record_is_data_error)
{
    static const char data[] = "age,sex,zip,disease\n"
                               "a30,M,Z100,flu\n"
                               "\"a\n30\",M,Z100\n";
    deid_check_options o = base_options();
    for (size_t chunk = 1; chunk <= strlen(data); chunk++) {
        deid_check *chk;
        deid_error err;
        ck_assert_int_eq(run_chunks(NULL, &o, data, strlen(data), chunk, &chk, &err), DEID_E_DATA);
        ck_assert_uint_eq(err.record, 2);
        ck_assert_uint_eq(err.line, 3);
        ck_assert_str_eq(err.file, "in.csv");
        ck_assert_ptr_nonnull(strstr(err.message, "3 fields"));
        deid_check_free(chk);
    }
}
END_TEST

/* The first error is kept (by the session): every later call fails with
 * its status and says why, naming no data. */
START_TEST(first_error_refuses_the_rest)
{
    static const char data[] = "age,sex,zip,disease\na30,M,Z100\n";
    deid_check_options o = base_options();
    deid_check *chk;
    deid_error err;
    ck_assert_int_eq(run_chunks(NULL, &o, data, strlen(data), 0, &chk, &err), DEID_E_DATA);
    ck_assert_int_eq(deid_check_write(chk, "x", 1, &err), DEID_E_DATA);
    ck_assert_str_eq(err.message, "the check stopped at an earlier error");
    ck_assert_int_eq(deid_check_end_input(chk, &err), DEID_E_DATA);
    ck_assert_int_eq(deid_check_finish(chk, &err), DEID_E_DATA);
    ck_assert_str_eq(err.message, "the check stopped at an earlier error");
    ck_assert(!deid_check_met(chk));
    deid_check_free(chk);
}
END_TEST

START_TEST(bad_options)
{
    deid_check *chk = NULL;
    deid_error err;
    ck_assert_int_eq(deid_check_new(NULL, NULL, &chk, &err), DEID_E_USAGE);
    ck_assert_ptr_null(chk);

    deid_check_options o = base_options();
    static const char *const overlap[] = {"zip"};
    o.sensitive = overlap;
    ck_assert_int_eq(deid_check_new(NULL, &o, &chk, &err), DEID_E_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "both"));

    static const char *const twice[] = {"age", "sex", "age"};
    o = base_options();
    o.quasi = twice;
    ck_assert_int_eq(deid_check_new(NULL, &o, &chk, &err), DEID_E_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "twice"));

    o = base_options();
    o.ordered = qi3;
    o.n_ordered = 1;
    ck_assert_int_eq(deid_check_new(NULL, &o, &chk, &err), DEID_E_USAGE);

    o = base_options();
    o.n_sensitive = 0;
    o.l = 2;
    ck_assert_int_eq(deid_check_new(NULL, &o, &chk, &err), DEID_E_USAGE);

    o = base_options();
    o.l = 0.5;
    ck_assert_int_eq(deid_check_new(NULL, &o, &chk, &err), DEID_E_USAGE);
    o.l = 0;
    o.t = 1.5;
    ck_assert_int_eq(deid_check_new(NULL, &o, &chk, &err), DEID_E_USAGE);
    o.t = NAN;
    ck_assert_int_eq(deid_check_new(NULL, &o, &chk, &err), DEID_E_USAGE);
    o.t = 0;
    o.l_entropy = 1; /* entropy without l */
    ck_assert_int_eq(deid_check_new(NULL, &o, &chk, &err), DEID_E_USAGE);
    o.l_entropy = 0;
    o.token = "";
    ck_assert_int_eq(deid_check_new(NULL, &o, &chk, &err), DEID_E_USAGE);
    ck_assert_ptr_null(chk);
}
END_TEST

START_TEST(misuse_is_usage_error)
{
    deid_check_options o = base_options();
    deid_check *chk;
    deid_error err;
    ck_assert_int_eq(deid_check_new(NULL, &o, &chk, &err), DEID_OK);
    char *text = NULL;
    ck_assert_int_eq(deid_check_report_text(chk, &text, &err), DEID_E_USAGE);
    ck_assert_ptr_null(text);
    ck_assert_int_eq(deid_check_write(chk, "a", 1, &err), DEID_E_USAGE);
    ck_assert_int_eq(deid_check_finish(chk, &err), DEID_E_USAGE);
    ck_assert_int_eq(deid_check_begin_input(chk, "x", &err), DEID_OK);
    ck_assert_int_eq(deid_check_finish(chk, &err), DEID_E_USAGE);
    ck_assert_int_eq(deid_check_write(chk, input, strlen(input), &err), DEID_OK);
    ck_assert_int_eq(deid_check_end_input(chk, &err), DEID_OK);
    ck_assert_int_eq(deid_check_begin_input(chk, "y", &err), DEID_E_USAGE);
    ck_assert_int_eq(deid_check_finish(chk, &err), DEID_OK);
    ck_assert_int_eq(deid_check_finish(chk, &err), DEID_E_USAGE);
    deid_check_free(chk);
    deid_check_free(NULL);
}
END_TEST

START_TEST(fd_api_matches_buffer_api)
{
    char dir[] = "/tmp/deid-check-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/in.csv", dir);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(input, 1, strlen(input), f), strlen(input));
    ck_assert_int_eq(fclose(f), 0);

    deid_check_options o = base_options();
    o.k = 2;
    deid_check *chk;
    deid_error err;
    ck_assert_int_eq(run_chunks(NULL, &o, input, strlen(input), 0, &chk, &err), DEID_OK);
    char *want = json_of(chk);
    deid_check_free(chk);

    ck_assert_int_eq(deid_check_new(NULL, &o, &chk, &err), DEID_OK);
    int fd = open(path, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(deid_check_run_fd(chk, fd, "in.csv", &err), DEID_OK);
    close(fd);
    char *json = json_of(chk);
    ck_assert_str_eq(json, want);
    free(json);
    free(want);
    deid_check_free(chk);
    unlink(path);
    rmdir(dir);
}
END_TEST

Suite *check_suite(void);
Suite *check_suite(void)
{
    Suite *s = suite_create("check");
    TCase *tc = tcase_create("check");
    tcase_add_test(tc, figures_by_hand);
    tcase_add_test(tc, every_chunk_size);
    tcase_add_test(tc, gzip_input_every_chunk_size);
    tcase_add_test(tc, requirement_met);
    tcase_add_test(tc, uniques_freed_by_hand);
    tcase_add_test(tc, entropy_and_ordered_by_hand);
    tcase_add_test(tc, rules_then_options);
    tcase_add_test(tc, data_values_only_when_asked);
    tcase_add_test(tc, header_only_and_empty);
    tcase_add_test(tc, unknown_column_from_options_is_usage);
    tcase_add_test(tc, unknown_column_from_rules_is_rules_error);
    tcase_add_test(tc, ragged_record_is_data_error);
    tcase_add_test(tc, first_error_refuses_the_rest);
    tcase_add_test(tc, bad_options);
    tcase_add_test(tc, misuse_is_usage_error);
    tcase_add_test(tc, fd_api_matches_buffer_api);
    suite_add_tcase(s, tc);
    return s;
}
