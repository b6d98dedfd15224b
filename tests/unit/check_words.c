/*
 * check_words.c - the `words keep=N` transform: which characters separate
 * words, leading/trailing white space, separators kept between words,
 * values without words, invalid UTF-8, parameter errors and describe.
 * Expected bytes are written by hand.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "transform.h"

extern const transform_ops xf_words_ops;

/* "서울특별시 강남구 역삼동 123-4" spelled by code point. */
#define SEOUL "\xEC\x84\x9C\xEC\x9A\xB8\xED\x8A\xB9\xEB\xB3\x84\xEC\x8B\x9C" /* 서울특별시 */
#define GANGNAM "\xEA\xB0\x95\xEB\x82\xA8\xEA\xB5\xAC" /* 강남구 U+AC15 U+B0A8 U+AD6C */
#define YEOKSAM "\xEC\x97\xAD\xEC\x82\xBC\xEB\x8F\x99" /* 역삼동 U+C5ED U+C0BC U+B3D9 */
#define IDSP "\xE3\x80\x80" /* U+3000 IDEOGRAPHIC SPACE */
#define NBSP "\xC2\xA0"     /* U+00A0: not a word separator */

#define KW_COL 10

static deid_error err;
static xf_param params[8];
static xf_context ctx;
static void *state;

/* Compiles `words` from name/value pairs (name NULL = positional); the
 * i-th parameter sits at column 20 + 10*i. */
static deid_status compile_v(size_t n, const char *const *nv)
{
    memset(&err, 0, sizeof err);
    memset(params, 0, sizeof params);
    memset(&ctx, 0, sizeof ctx);
    for (size_t i = 0; i < n; i++) {
        params[i].name = nv[2 * i];
        params[i].value = nv[2 * i + 1];
        params[i].col = 20 + 10 * i;
    }
    ctx.column = "address";
    ctx.transform = "words";
    ctx.rules_file = "t.rules";
    ctx.line = 6;
    ctx.col = KW_COL;
    ctx.source_line = "address: words ...";
    ctx.params = params;
    ctx.n_params = n;
    ctx.n_inputs = 1;
    ctx.err = &err;
    state = NULL;
    return xf_words_ops.compile(&ctx, &state);
}

#define COMPILE(...)                                                                   \
    compile_v(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *) / 2, \
              (const char *const[]){__VA_ARGS__})

static void done(void)
{
    xf_words_ops.free(state);
    state = NULL;
}

static void check_out(const char *value, const char *want)
{
    dbuf out;
    dbuf_init(&out, 1 << 20);
    const char *why = NULL;
    xf_value in = {value, strlen(value)};
    ck_assert_int_eq(xf_words_ops.apply(state, &in, 1, &out, &why), XF_OK);
    ck_assert_ptr_null(why);
    ck_assert_uint_eq(out.len, strlen(want));
    ck_assert_int_eq(memcmp(out.data ? out.data : "", want, out.len), 0);
    dbuf_free(&out);
}

static void check_bad(const char *value, size_t len, const char *want_why)
{
    dbuf out;
    dbuf_init(&out, 1 << 20);
    const char *why = NULL;
    xf_value in = {value, len};
    ck_assert_int_eq(xf_words_ops.apply(state, &in, 1, &out, &why), XF_BAD_VALUE);
    ck_assert_ptr_nonnull(why);
    ck_assert_str_eq(why, want_why);
    dbuf_free(&out);
}

static void check_rules_error(deid_status st, unsigned long col, const char *part)
{
    ck_assert_int_eq(st, DEID_E_RULES);
    ck_assert_int_eq(err.status, DEID_E_RULES);
    ck_assert_uint_eq(err.line, 6);
    ck_assert_uint_eq(err.column, col);
    ck_assert_str_eq(err.file, "t.rules");
    ck_assert_msg(strstr(err.message, part), "message \"%s\" lacks \"%s\"", err.message, part);
}

START_TEST(spec_example)
{
    ck_assert_int_eq(COMPILE("keep", "2"), DEID_OK);
    check_out(SEOUL " " GANGNAM " " YEOKSAM " 123-4", SEOUL " " GANGNAM);
    done();
    ck_assert_int_eq(COMPILE("keep", "1"), DEID_OK);
    check_out(SEOUL " " GANGNAM " " YEOKSAM " 123-4", SEOUL);
    done();
    ck_assert_int_eq(COMPILE("keep", "3"), DEID_OK);
    check_out(SEOUL " " GANGNAM " " YEOKSAM " 123-4", SEOUL " " GANGNAM " " YEOKSAM);
    done();
}
END_TEST

START_TEST(separators)
{
    ck_assert_int_eq(COMPILE("keep", "2"), DEID_OK);
    /* Leading white space goes, separators between kept words stay. */
    check_out(" \t" IDSP SEOUL "  \t" GANGNAM " x", SEOUL "  \t" GANGNAM);
    check_out(SEOUL IDSP GANGNAM IDSP YEOKSAM, SEOUL IDSP GANGNAM);
    check_out("a\tb\tc", "a\tb");
    check_out("a\nb\r\nc", "a\nb");
    /* NBSP and other punctuation are part of a word. */
    check_out("a" NBSP "b c d", "a" NBSP "b c");
    check_out("a,b c,d e", "a,b c,d");
    /* U+3000's bytes inside other characters do not split: 〡 U+3021. */
    check_out("x\xE3\x80\xA1y z w", "x\xE3\x80\xA1y z");
    done();
}
END_TEST

START_TEST(fewer_words)
{
    ck_assert_int_eq(COMPILE("keep", "3"), DEID_OK);
    check_out("  " SEOUL " ", SEOUL);
    check_out(SEOUL " " GANGNAM IDSP, SEOUL " " GANGNAM);
    check_out("a", "a");
    check_out("a b c", "a b c");
    check_out("a b c ", "a b c");
    done();
}
END_TEST

START_TEST(no_words)
{
    ck_assert_int_eq(COMPILE("keep", "1"), DEID_OK);
    check_bad(" ", 1, "has no words");
    check_bad(" \t", 2, "has no words");
    check_bad(IDSP IDSP " ", 7, "has no words");
    done();
}
END_TEST

START_TEST(invalid_utf8)
{
    ck_assert_int_eq(COMPILE("keep", "1"), DEID_OK);
    check_bad("\xFF", 1, "is not valid UTF-8");
    /* Also when the bad bytes are in the words that would be cut. */
    check_bad("ok \xC0\x80", 5, "is not valid UTF-8");
    check_bad("ok \xE3\x80", 5, "is not valid UTF-8");
    done();
}
END_TEST

START_TEST(appends_and_limits)
{
    ck_assert_int_eq(COMPILE("keep", "1"), DEID_OK);
    dbuf out;
    dbuf_init(&out, 4);
    ck_assert_int_eq(dbuf_append_str(&out, ">"), 0);
    const char *why = NULL;
    xf_value in = {" ab cd", 6};
    ck_assert_int_eq(xf_words_ops.apply(state, &in, 1, &out, &why), XF_OK);
    ck_assert_uint_eq(out.len, 3);
    ck_assert_int_eq(memcmp(out.data, ">ab", 3), 0);
    ck_assert_int_eq(xf_words_ops.apply(state, &in, 1, &out, &why), XF_NOMEM);
    dbuf_free(&out);
    done();
}
END_TEST

START_TEST(param_errors)
{
    check_rules_error(compile_v(0, NULL), KW_COL, "keep=");
    check_rules_error(COMPILE(NULL, "2"), KW_COL, "keep=");
    check_rules_error(COMPILE("keep", "x"), 20, "keep=x");
    check_rules_error(COMPILE("keep", ""), 20, "keep=");
    check_rules_error(COMPILE("keep", "-2"), 20, "keep=-2");
    check_rules_error(COMPILE("on-error", "blank", "keep", "0"), 30, "out of range");
    check_rules_error(COMPILE("keep", "9000000"), 20, "out of range");
}
END_TEST

START_TEST(params_marked_used)
{
    ck_assert_int_eq(COMPILE(NULL, "3", "keep", "2", "sep", ","), DEID_OK);
    ck_assert_int_eq(params[0].used, 0);
    ck_assert_int_eq(params[1].used, 1);
    ck_assert_int_eq(params[2].used, 0);
    done();
}
END_TEST

START_TEST(describe)
{
    ck_assert_int_eq(COMPILE("keep", "2"), DEID_OK);
    dbuf out;
    dbuf_init(&out, 64);
    ck_assert_int_eq(xf_words_ops.describe(state, &out), 0);
    ck_assert_str_eq(dbuf_cstr(&out), "keep=2");
    dbuf_free(&out);
    done();
}
END_TEST

START_TEST(registered)
{
    ck_assert_ptr_eq(transform_find("words"), &xf_words_ops);
    ck_assert_str_eq(xf_words_ops.name, "words");
    ck_assert_ptr_nonnull(xf_words_ops.technique);
    ck_assert_uint_eq(xf_words_ops.flags, 0);
}
END_TEST

Suite *words_suite(void); /* called by check_main.c */

Suite *words_suite(void)
{
    Suite *s = suite_create("words");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, spec_example);
    tcase_add_test(tc, separators);
    tcase_add_test(tc, fewer_words);
    tcase_add_test(tc, no_words);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, appends_and_limits);
    tcase_add_test(tc, param_errors);
    tcase_add_test(tc, params_marked_used);
    tcase_add_test(tc, describe);
    tcase_add_test(tc, registered);
    suite_add_tcase(s, tc);
    return s;
}
