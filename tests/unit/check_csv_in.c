/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_csv_in.c - the CSV reader. Every well-formed input is read at every
 * chunk size from 1 byte to its whole length and must give the same
 * records, fields and lines each time (libcsv's own test idea); expected
 * records are written out by hand below. Each hand-written input is read
 * both with csv_in_feed (libcsv only) and with csv_in_feed_in_place (the
 * quote-free fast path), which must also leave its buffer as it found it;
 * check_csv_fast.c compares the two paths on generated inputs.
 *
 * Slow suite (about 5 s): the limit tests build fields and records at and
 * over DEID_MAX_FIELD_BYTES / DEID_MAX_RECORD_BYTES (8 and 64 MiB).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "csv_in.h"
#include "deid_limits.h"

/* ---- collecting what the reader delivers ------------------------------- */

typedef struct got_rec {
    unsigned long line;
    size_t n;
    char **f;
    size_t *len;
} got_rec;

typedef struct sink {
    got_rec *r;
    size_t n, cap;
    int bad_nul;              /* a field was not NUL-terminated */
    size_t fail_at;           /* 1-based record to fail on, 0 = never */
    int keep_data;            /* 0: keep only lengths (big inputs) */
} sink;

static deid_status collect(void *ctx, const csv_field *fields, size_t n, unsigned long line,
                           deid_error *err)
{
    sink *s = ctx;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 8;
        s->r = realloc(s->r, s->cap * sizeof *s->r);
        ck_assert_ptr_nonnull(s->r);
    }
    got_rec *r = &s->r[s->n++];
    r->line = line;
    r->n = n;
    r->f = calloc(n, sizeof *r->f);
    r->len = calloc(n, sizeof *r->len);
    ck_assert(r->f && r->len);
    for (size_t i = 0; i < n; i++) {
        if (fields[i].data[fields[i].len] != '\0')
            s->bad_nul = 1;
        r->len[i] = fields[i].len;
        if (s->keep_data) {
            r->f[i] = malloc(fields[i].len + 1);
            ck_assert_ptr_nonnull(r->f[i]);
            memcpy(r->f[i], fields[i].data, fields[i].len + 1);
        }
    }
    if (s->fail_at && s->n == s->fail_at) {
        /* What a real callback does: fill err itself. */
        err->status = DEID_E_PRIVACY;
        strcpy(err->message, "stopped by the test callback");
        err->line = 777;
        return DEID_E_PRIVACY;
    }
    return DEID_OK;
}

static void sink_init(sink *s)
{
    memset(s, 0, sizeof *s);
    s->keep_data = 1;
}

static void sink_free(sink *s)
{
    for (size_t i = 0; i < s->n; i++) {
        for (size_t j = 0; j < s->r[i].n; j++)
            free(s->r[i].f[j]);
        free(s->r[i].f);
        free(s->r[i].len);
    }
    free(s->r);
    memset(s, 0, sizeof *s);
}

/* Feeds input in pieces of chunk bytes (stopping at the first error), then
 * finishes; with in_place through csv_in_feed_in_place on a copy, which
 * must be unchanged afterwards. Returns the first non-OK status. */
static deid_status run_chunks_via(csv_in *in, const char *input, size_t len, size_t chunk,
                                  int in_place, deid_error *err)
{
    char *copy = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, input, len);
    deid_status st = DEID_OK;
    for (size_t at = 0; at < len && st == DEID_OK; at += chunk) {
        size_t n = len - at < chunk ? len - at : chunk;
        st = in_place ? csv_in_feed_in_place(in, copy + at, n, err)
                      : csv_in_feed(in, input + at, n, err);
    }
    ck_assert_msg(memcmp(copy, input, len) == 0, "the in-place reader left its buffer changed");
    free(copy);
    return st != DEID_OK ? st : csv_in_finish(in, err);
}

static deid_status run_chunks(csv_in *in, const char *input, size_t len, size_t chunk,
                              deid_error *err)
{
    return run_chunks_via(in, input, len, chunk, 0, err);
}

/* ---- expected records, by hand ------------------------------------------ */

#define MAXF 6
typedef struct exp_rec {
    unsigned long line;
    size_t n;
    const char *f[MAXF];
} exp_rec;

static void check_records(const sink *s, const exp_rec *e, size_t n_exp, size_t chunk)
{
    ck_assert_msg(s->n == n_exp, "chunk %zu: %zu records, expected %zu", chunk, s->n, n_exp);
    ck_assert_msg(!s->bad_nul, "chunk %zu: a field was not NUL-terminated", chunk);
    for (size_t i = 0; i < n_exp; i++) {
        const got_rec *r = &s->r[i];
        ck_assert_msg(r->line == e[i].line, "chunk %zu record %zu: line %lu, expected %lu", chunk,
                      i + 1, r->line, e[i].line);
        ck_assert_msg(r->n == e[i].n, "chunk %zu record %zu: %zu fields, expected %zu", chunk,
                      i + 1, r->n, e[i].n);
        for (size_t j = 0; j < e[i].n; j++) {
            size_t want = strlen(e[i].f[j]);
            ck_assert_msg(r->len[j] == want && memcmp(r->f[j], e[i].f[j], want) == 0,
                          "chunk %zu record %zu field %zu: got \"%s\" (%zu bytes), expected "
                          "\"%s\"",
                          chunk, i + 1, j + 1, r->f[j], r->len[j], e[i].f[j]);
        }
    }
}

/* Reads input at every chunk size 1..len, on both paths, and checks the
 * records each time. */
static void check_all_chunks(int delim, const char *input, size_t len, const exp_rec *e,
                             size_t n_exp)
{
    for (size_t k = 0; k < 2 * len; k++) {
        size_t chunk = k / 2 + 1;
        sink s;
        sink_init(&s);
        csv_in *in = csv_in_new(delim, collect, &s);
        ck_assert_ptr_nonnull(in);
        deid_error err;
        memset(&err, 0, sizeof err);
        deid_status st = run_chunks_via(in, input, len, chunk, (int)(k % 2), &err);
        ck_assert_msg(st == DEID_OK, "chunk %zu: status %d (%s)", chunk, (int)st, err.message);
        check_records(&s, e, n_exp, chunk);
        csv_in_free(in);
        sink_free(&s);
    }
}

/* ---- well-formed inputs ------------------------------------------------- */

START_TEST(comma_every_chunk)
{
    static const char input[] =
        "\xEF\xBB\xBF"
        "name,addr,note\r\n"                                      /* 1 */
        "\"Kim, Minsu\",\"Seoul \"\"Gangnam\"\"\",  lead and trail  \n" /* 2 */
        "\"multi\nline\r\nfield\",,\t\n"                          /* 3-5 */
        "\n"                                                      /* 6 blank */
        "\r\n"                                                    /* 7 blank */
        "홍길동,\"\",x\r\n"                                        /* 8 */
        " a , b ,\n"                                              /* 9 */
        "\"\"\n"                                                  /* 10 */
        "last,,\"end\"\"\"";                                      /* 11, no newline */
    static const exp_rec e[] = {
        {1, 3, {"name", "addr", "note"}},
        {2, 3, {"Kim, Minsu", "Seoul \"Gangnam\"", "  lead and trail  "}},
        {3, 3, {"multi\nline\r\nfield", "", "\t"}},
        {8, 3, {"홍길동", "", "x"}},
        {9, 3, {" a ", " b ", ""}},
        {10, 1, {""}},
        {11, 3, {"last", "", "end\""}},
    };
    check_all_chunks(',', input, sizeof input - 1, e, sizeof e / sizeof e[0]);
}
END_TEST

START_TEST(semicolon_every_chunk)
{
    static const char input[] =
        "a;b,c;\"d;e\"\n"   /* 1 */
        "\"x\r\ny\";;\n"    /* 2-3 */
        "\t;\t\r\n"         /* 4 */
        "가나;다\n";         /* 5 */
    static const exp_rec e[] = {
        {1, 3, {"a", "b,c", "d;e"}},
        {2, 3, {"x\r\ny", "", ""}},
        {4, 2, {"\t", "\t"}},
        {5, 2, {"가나", "다"}},
    };
    check_all_chunks(';', input, sizeof input - 1, e, sizeof e / sizeof e[0]);
}
END_TEST

START_TEST(pipe_every_chunk)
{
    static const char input[] =
        "\xEF\xBB\xBF\"|\"|a,b|\"\"\"\"\r\n" /* 1 */
        "1|\"2\n\n3\"|4\n"                   /* 2-4 */
        "\n\n"                               /* 5, 6 blank */
        "end|";                              /* 7, no newline, trailing empty field */
    static const exp_rec e[] = {
        {1, 3, {"|", "a,b", "\""}},
        {2, 3, {"1", "2\n\n3", "4"}},
        {7, 2, {"end", ""}},
    };
    check_all_chunks('|', input, sizeof input - 1, e, sizeof e / sizeof e[0]);
}
END_TEST

START_TEST(tab_every_chunk)
{
    static const char input[] =
        "a b\t\"c\td\"\t \n"       /* 1 */
        "\t\t\n"                   /* 2 */
        "x;y|z,w\t\"\"\r\n"        /* 3 */
        "\"q\"\"\"\t\"\n\"\n"      /* 4-5 */
        "\t";                      /* 6, no newline */
    static const exp_rec e[] = {
        {1, 3, {"a b", "c\td", " "}},
        {2, 3, {"", "", ""}},
        {3, 2, {"x;y|z,w", ""}},
        {4, 2, {"q\"", "\n"}},
        {6, 2, {"", ""}},
    };
    check_all_chunks('\t', input, sizeof input - 1, e, sizeof e / sizeof e[0]);
}
END_TEST

START_TEST(bom_partial_and_misplaced)
{
    /* Only a full BOM at the very start is skipped. */
    static const char partial[] = "\xEF\xBBx,\xEF\n";
    static const exp_rec e1[] = {{1, 2, {"\xEF\xBBx", "\xEF"}}};
    check_all_chunks(',', partial, sizeof partial - 1, e1, 1);

    static const char later[] = "a\n\xEF\xBB\xBF" "b\n";
    static const exp_rec e2[] = {{1, 1, {"a"}}, {2, 1, {"\xEF\xBB\xBF" "b"}}};
    check_all_chunks(',', later, sizeof later - 1, e2, 2);

    static const char twice[] = "\xEF\xBB\xBF\xEF\xBB\xBF";
    static const exp_rec e3[] = {{1, 1, {"\xEF\xBB\xBF"}}};
    check_all_chunks(',', twice, sizeof twice - 1, e3, 1);

    static const char only_bom[] = "\xEF\xBB\xBF";
    check_all_chunks(',', only_bom, 3, NULL, 0);

    static const char cut_bom[] = "\xEF\xBB";
    static const exp_rec e4[] = {{1, 1, {"\xEF\xBB"}}};
    check_all_chunks(',', cut_bom, 2, e4, 1);
}
END_TEST

START_TEST(blank_inputs)
{
    sink s;
    sink_init(&s);
    csv_in *in = csv_in_new(',', collect, &s);
    deid_error err;
    ck_assert_int_eq(csv_in_finish(in, &err), DEID_OK); /* empty input */
    ck_assert_uint_eq(s.n, 0);
    csv_in_free(in);
    sink_free(&s);

    static const char blanks[] = "\n\r\n\n\r\n";
    check_all_chunks(',', blanks, sizeof blanks - 1, NULL, 0);
}
END_TEST

START_TEST(nul_byte_in_field)
{
    static const char input[] = "a\0b,c\n";
    sink s;
    sink_init(&s);
    csv_in *in = csv_in_new(',', collect, &s);
    deid_error err;
    ck_assert_int_eq(run_chunks(in, input, sizeof input - 1, 1, &err), DEID_OK);
    ck_assert_uint_eq(s.n, 1);
    ck_assert_uint_eq(s.r[0].n, 2);
    ck_assert_uint_eq(s.r[0].len[0], 3);
    ck_assert(memcmp(s.r[0].f[0], "a\0b", 3) == 0);
    ck_assert_str_eq(s.r[0].f[1], "c");
    csv_in_free(in);
    sink_free(&s);
}
END_TEST

START_TEST(reset_after_finish)
{
    sink s;
    sink_init(&s);
    csv_in *in = csv_in_new(',', collect, &s);
    deid_error err;
    ck_assert_uint_eq(csv_in_line(in), 0);
    ck_assert_int_eq(csv_in_feed(in, "a\nb", 3, &err), DEID_OK);
    ck_assert_uint_eq(csv_in_line(in), 2);
    ck_assert_int_eq(csv_in_feed(in, "\n", 1, &err), DEID_OK);
    ck_assert_uint_eq(csv_in_line(in), 2);
    ck_assert_int_eq(csv_in_finish(in, &err), DEID_OK);
    ck_assert_uint_eq(csv_in_line(in), 0);
    /* The second input has its own BOM and line numbers. */
    ck_assert_int_eq(csv_in_feed(in, "\xEF\xBB\xBF" "c\n\nd", 7, &err), DEID_OK);
    ck_assert_int_eq(csv_in_finish(in, &err), DEID_OK);
    static const exp_rec e[] = {{1, 1, {"a"}}, {2, 1, {"b"}}, {1, 1, {"c"}}, {3, 1, {"d"}}};
    check_records(&s, e, 4, 0);
    csv_in_free(in);
    sink_free(&s);
}
END_TEST

START_TEST(callback_stops_parse)
{
    static const char input[] = "r1\nr2\nr3\nr4\n";
    for (size_t chunk = 1; chunk <= sizeof input - 1; chunk++) {
        sink s;
        sink_init(&s);
        s.fail_at = 2;
        csv_in *in = csv_in_new(',', collect, &s);
        deid_error err;
        memset(&err, 0, sizeof err);
        ck_assert_int_eq(run_chunks(in, input, sizeof input - 1, chunk, &err), DEID_E_PRIVACY);
        ck_assert_uint_eq(s.n, 2);
        /* The callback's error is passed on untouched. */
        ck_assert_str_eq(err.message, "stopped by the test callback");
        ck_assert_uint_eq(err.line, 777);
        /* Sticky until finish, which resets for the next input. */
        ck_assert_int_eq(csv_in_feed(in, "x\n", 2, &err), DEID_E_PRIVACY);
        ck_assert_int_eq(csv_in_finish(in, &err), DEID_E_PRIVACY);
        ck_assert_uint_eq(s.n, 2);
        ck_assert_int_eq(run_chunks(in, "z\n", 2, 2, &err), DEID_OK);
        ck_assert_uint_eq(s.n, 3);
        ck_assert_uint_eq(s.r[2].line, 1);
        csv_in_free(in);
        sink_free(&s);
    }

    /* A last record without newline is delivered by finish, which then
     * returns the callback's status. */
    sink s;
    sink_init(&s);
    s.fail_at = 2;
    csv_in *in = csv_in_new(',', collect, &s);
    deid_error err;
    ck_assert_int_eq(csv_in_feed(in, "r1\nr2", 5, &err), DEID_OK);
    ck_assert_int_eq(csv_in_finish(in, &err), DEID_E_PRIVACY);
    ck_assert_str_eq(err.message, "stopped by the test callback");
    csv_in_free(in);
    sink_free(&s);
}
END_TEST

START_TEST(bad_delimiters)
{
    sink s;
    ck_assert_ptr_null(csv_in_new('"', collect, &s));
    ck_assert_ptr_null(csv_in_new('\n', collect, &s));
    ck_assert_ptr_null(csv_in_new('\r', collect, &s));
    ck_assert_ptr_null(csv_in_new(256, collect, &s));
    ck_assert_ptr_null(csv_in_new(',', NULL, &s));
}
END_TEST

/* ---- malformed input ---------------------------------------------------- */

/* Reads a bad input at every chunk size: the same status, line, message
 * fragment and records delivered before the error each time. */
static void check_error_all_chunks(const char *input, size_t len, unsigned long line,
                                   const char *fragment, const exp_rec *e, size_t n_exp)
{
    for (size_t k = 0; k < 2 * len; k++) {
        size_t chunk = k / 2 + 1;
        sink s;
        sink_init(&s);
        csv_in *in = csv_in_new(',', collect, &s);
        deid_error err;
        memset(&err, 0, sizeof err);
        deid_status st = run_chunks_via(in, input, len, chunk, (int)(k % 2), &err);
        ck_assert_msg(st == DEID_E_DATA, "chunk %zu: status %d", chunk, (int)st);
        ck_assert_int_eq(err.status, DEID_E_DATA);
        ck_assert_msg(err.line == line, "chunk %zu: line %lu, expected %lu", chunk, err.line,
                      line);
        ck_assert_msg(strstr(err.message, fragment), "chunk %zu: message \"%s\"", chunk,
                      err.message);
        check_records(&s, e, n_exp, chunk);
        csv_in_free(in);
        sink_free(&s);
    }
}

START_TEST(unterminated_quote)
{
    static const char input[] = "a,b\nc,\"open\nmore\n";
    static const exp_rec e[] = {{1, 2, {"a", "b"}}};
    check_error_all_chunks(input, sizeof input - 1, 2,
                           "unterminated quoted field starting on line 2", e, 1);
    static const char first[] = "\"";
    check_error_all_chunks(first, 1, 1, "unterminated quoted field starting on line 1", NULL,
                           0);
}
END_TEST

START_TEST(junk_after_closing_quote)
{
    /* The bad byte is on line 3: the quoted field began on line 2. */
    static const char input[] = "a,b\n\"1\n2\"x,z\nc\n";
    static const exp_rec e[] = {{1, 2, {"a", "b"}}};
    check_error_all_chunks(input, sizeof input - 1, 3, "malformed quoting on line 3", e, 1);
    check_error_all_chunks(input, sizeof input - 1, 3, "after a closing quote", e, 1);
    /* Spaces are data, so a space after the closing quote is junk too. */
    static const char space[] = "\"a\" ,b\n";
    check_error_all_chunks(space, sizeof space - 1, 1, "malformed quoting on line 1", NULL, 0);
}
END_TEST

START_TEST(quote_in_unquoted_field)
{
    static const char input[] = "a,b\r\nc,d\r\nab\"c\n";
    static const exp_rec e[] = {{1, 2, {"a", "b"}}, {2, 2, {"c", "d"}}};
    check_error_all_chunks(input, sizeof input - 1, 3, "quote inside an unquoted field", e, 2);
    static const char spaced[] = "x, \"y\"\n";
    check_error_all_chunks(spaced, sizeof spaced - 1, 1, "malformed quoting on line 1", NULL,
                           0);
}
END_TEST

/* ---- limits ------------------------------------------------------------- */

/* prefix + body + suffix, for generated big inputs. */
static char *make_input(const char *prefix, char fill, size_t n, const char *suffix,
                        size_t *len)
{
    size_t a = strlen(prefix), c = strlen(suffix);
    char *p = malloc(a + n + c);
    ck_assert_ptr_nonnull(p);
    memcpy(p, prefix, a);
    memset(p + a, fill, n);
    memcpy(p + a + n, suffix, c);
    *len = a + n + c;
    return p;
}

static const size_t big_chunks[] = {65536, 1000003, (size_t)-1};

static void expect_too_long(const char *input, size_t len, unsigned long line)
{
    for (size_t k = 0; k < sizeof big_chunks / sizeof big_chunks[0]; k++) {
        sink s;
        sink_init(&s);
        csv_in *in = csv_in_new(',', collect, &s);
        deid_error err;
        memset(&err, 0, sizeof err);
        ck_assert_int_eq(run_chunks(in, input, len, big_chunks[k], &err), DEID_E_DATA);
        ck_assert_uint_eq(err.line, line);
        ck_assert_msg(strstr(err.message, "longer than 8388608 bytes (DEID_MAX_FIELD_BYTES)"),
                      "message \"%s\"", err.message);
        ck_assert_uint_eq(s.n, 2); /* "a" and "b" before it */
        csv_in_free(in);
        sink_free(&s);
    }
}

static void expect_one_big_field(const char *input, size_t len, size_t field_len)
{
    for (size_t k = 0; k < sizeof big_chunks / sizeof big_chunks[0]; k++) {
        sink s;
        sink_init(&s);
        s.keep_data = 0;
        csv_in *in = csv_in_new(',', collect, &s);
        deid_error err;
        ck_assert_int_eq(run_chunks(in, input, len, big_chunks[k], &err), DEID_OK);
        ck_assert_uint_eq(s.n, 3);
        ck_assert_uint_eq(s.r[2].line, 3);
        ck_assert_uint_eq(s.r[2].n, 2);
        ck_assert_uint_eq(s.r[2].len[0], field_len);
        ck_assert_uint_eq(s.r[2].len[1], 1);
        csv_in_free(in);
        sink_free(&s);
    }
}

START_TEST(field_at_limit)
{
    ck_assert_uint_eq(DEID_MAX_FIELD_BYTES, 8388608u);
    size_t len;
    char *p = make_input("a\nb\n", 'x', DEID_MAX_FIELD_BYTES, ",y\n", &len);
    expect_one_big_field(p, len, DEID_MAX_FIELD_BYTES);
    free(p);
    p = make_input("a\nb\n\"", 'x', DEID_MAX_FIELD_BYTES, "\",y\n", &len);
    expect_one_big_field(p, len, DEID_MAX_FIELD_BYTES);
    free(p);
}
END_TEST

START_TEST(field_over_limit)
{
    size_t len;
    /* One byte over: the field completes and is refused. */
    char *p = make_input("a\nb\n", 'x', DEID_MAX_FIELD_BYTES + 1, "\n", &len);
    expect_too_long(p, len, 3);
    free(p);
    p = make_input("a\nb\n\"", 'x', DEID_MAX_FIELD_BYTES + 1, "\"\n", &len);
    expect_too_long(p, len, 3);
    free(p);
    /* Far over: libcsv's buffer stops growing. */
    p = make_input("a\nb\n", 'x', DEID_MAX_FIELD_BYTES + 1000, "\n", &len);
    expect_too_long(p, len, 3);
    free(p);
    /* Without end: still an error, not memory exhaustion. */
    p = make_input("a\nb\n", 'x', 2 * DEID_MAX_FIELD_BYTES, "", &len);
    expect_too_long(p, len, 3);
    free(p);
    /* A quoted field of many lines: the line where it starts. */
    p = make_input("a\nb\n\"", '\n', DEID_MAX_FIELD_BYTES + 10, "\"\n", &len);
    expect_too_long(p, len, 3);
    free(p);
}
END_TEST

START_TEST(field_count_limit)
{
    ck_assert_uint_eq(DEID_MAX_FIELDS, 16384u);
    static const size_t chunks[] = {1, 7, 4096, (size_t)-1};
    size_t len;
    /* 16383 delimiters: 16384 empty fields, allowed. */
    char *ok = make_input("h\n", ',', DEID_MAX_FIELDS - 1, "\n", &len);
    char *bad = make_input("h\n", ',', DEID_MAX_FIELDS, "\n", &len);
    /* both paths: a line of 16K fields is short enough for the fast one */
    for (size_t k = 0; k < 2 * (sizeof chunks / sizeof chunks[0]); k++) {
        size_t chunk = chunks[k / 2];
        int in_place = (int)(k % 2);
        sink s;
        sink_init(&s);
        csv_in *in = csv_in_new(',', collect, &s);
        deid_error err;
        ck_assert_int_eq(run_chunks_via(in, ok, len - 1, chunk, in_place, &err), DEID_OK);
        ck_assert_uint_eq(s.n, 2);
        ck_assert_uint_eq(s.r[1].n, DEID_MAX_FIELDS);
        ck_assert_uint_eq(s.r[1].line, 2);
        memset(&err, 0, sizeof err);
        ck_assert_int_eq(run_chunks_via(in, bad, len, chunk, in_place, &err), DEID_E_DATA);
        ck_assert_uint_eq(err.line, 2);
        ck_assert_msg(strstr(err.message, "more than 16384 fields (DEID_MAX_FIELDS)"),
                      "message \"%s\"", err.message);
        ck_assert_uint_eq(s.n, 3); /* only the second input's "h" */
        csv_in_finish(in, &err);
        csv_in_free(in);
        sink_free(&s);
    }
    free(ok);
    free(bad);
}
END_TEST

START_TEST(record_size_limit)
{
    ck_assert_uint_eq(DEID_MAX_RECORD_BYTES, 8u * DEID_MAX_FIELD_BYTES);
    size_t len;
    char *field = make_input("", 'x', DEID_MAX_FIELD_BYTES, "", &len);
    sink s;
    sink_init(&s);
    s.keep_data = 0;
    csv_in *in = csv_in_new(',', collect, &s);
    deid_error err;
    memset(&err, 0, sizeof err);
    /* Line 1: eight full fields, exactly the record limit. */
    for (int i = 0; i < 8; i++) {
        ck_assert_int_eq(csv_in_feed(in, i ? "," : "", i ? 1 : 0, &err), DEID_OK);
        ck_assert_int_eq(csv_in_feed(in, field, len, &err), DEID_OK);
    }
    ck_assert_int_eq(csv_in_feed(in, "\n", 1, &err), DEID_OK);
    ck_assert_uint_eq(s.n, 1);
    ck_assert_uint_eq(s.r[0].n, 8);
    /* Line 2: the same plus one byte. */
    deid_status st = DEID_OK;
    for (int i = 0; i < 8 && st == DEID_OK; i++) {
        st = csv_in_feed(in, field, len, &err);
        if (st == DEID_OK)
            st = csv_in_feed(in, ",", 1, &err);
    }
    if (st == DEID_OK)
        st = csv_in_feed(in, "x\n", 2, &err);
    ck_assert_int_eq(st, DEID_E_DATA);
    ck_assert_uint_eq(err.line, 2);
    ck_assert_msg(strstr(err.message, "longer than 67108864 bytes (DEID_MAX_RECORD_BYTES)"),
                  "message \"%s\"", err.message);
    ck_assert_uint_eq(s.n, 1);
    csv_in_free(in);
    sink_free(&s);
    free(field);
}
END_TEST

Suite *csv_in_suite(void);

Suite *csv_in_suite(void)
{
    Suite *s = suite_create("csv_in");
    TCase *tc = tcase_create("read");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, comma_every_chunk);
    tcase_add_test(tc, semicolon_every_chunk);
    tcase_add_test(tc, pipe_every_chunk);
    tcase_add_test(tc, tab_every_chunk);
    tcase_add_test(tc, bom_partial_and_misplaced);
    tcase_add_test(tc, blank_inputs);
    tcase_add_test(tc, nul_byte_in_field);
    tcase_add_test(tc, reset_after_finish);
    tcase_add_test(tc, callback_stops_parse);
    tcase_add_test(tc, bad_delimiters);
    suite_add_tcase(s, tc);

    TCase *te = tcase_create("errors");
    tcase_set_timeout(te, 60);
    tcase_add_test(te, unterminated_quote);
    tcase_add_test(te, junk_after_closing_quote);
    tcase_add_test(te, quote_in_unquoted_field);
    suite_add_tcase(s, te);

    TCase *tl = tcase_create("limits");
    tcase_set_timeout(tl, 120);
    tcase_add_test(tl, field_at_limit);
    tcase_add_test(tl, field_over_limit);
    tcase_add_test(tl, field_count_limit);
    tcase_add_test(tl, record_size_limit);
    suite_add_tcase(s, tl);
    return s;
}
