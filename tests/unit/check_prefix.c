/*
 * check_prefix.c - the `prefix N [pad=C]` transform: cutting by code point,
 * short values, padding, invalid UTF-8, parameter errors and describe.
 * Expected bytes are written by hand.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "transform.h"

extern const transform_ops xf_prefix_ops;

#define SEO "\xEC\x84\x9C"  /* 서 U+C11C */
#define UL "\xEC\x9A\xB8"   /* 울 U+C6B8 */
#define TEUK "\xED\x8A\xB9" /* 특 U+D2B9 */
#define BYEOL "\xEB\xB3\x84" /* 별 U+BCC4 */
#define SI "\xEC\x8B\x9C"   /* 시 U+C2DC */
#define GA "\xEA\xB0\x80"   /* 가 U+AC00 */

#define KW_COL 9

static deid_error err;
static xf_param params[8];
static xf_context ctx;
static void *state;

/* Compiles `prefix` from name/value pairs (name NULL = positional); the
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
    ctx.column = "zip";
    ctx.transform = "prefix";
    ctx.rules_file = "t.rules";
    ctx.line = 2;
    ctx.col = KW_COL;
    ctx.source_line = "zip: prefix ...";
    ctx.params = params;
    ctx.n_params = n;
    ctx.n_inputs = 1;
    ctx.err = &err;
    state = NULL;
    return xf_prefix_ops.compile(&ctx, &state);
}

#define COMPILE(...)                                                                   \
    compile_v(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *) / 2, \
              (const char *const[]){__VA_ARGS__})

static void done(void)
{
    xf_prefix_ops.free(state);
    state = NULL;
}

static void check_out(const char *value, const char *want)
{
    dbuf out;
    dbuf_init(&out, 1 << 20);
    const char *why = NULL;
    xf_value in = {value, strlen(value)};
    ck_assert_int_eq(xf_prefix_ops.apply(state, &in, 1, &out, &why), XF_OK);
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
    ck_assert_int_eq(xf_prefix_ops.apply(state, &in, 1, &out, &why), XF_BAD_VALUE);
    ck_assert_ptr_nonnull(why);
    ck_assert_str_eq(why, want_why);
    dbuf_free(&out);
}

static void check_describe(const char *want)
{
    dbuf out;
    dbuf_init(&out, 1024);
    ck_assert_int_eq(xf_prefix_ops.describe(state, &out), 0);
    ck_assert_str_eq(dbuf_cstr(&out), want);
    dbuf_free(&out);
}

static void check_rules_error(deid_status st, unsigned long col, const char *part)
{
    ck_assert_int_eq(st, DEID_E_RULES);
    ck_assert_int_eq(err.status, DEID_E_RULES);
    ck_assert_uint_eq(err.line, 2);
    ck_assert_uint_eq(err.column, col);
    ck_assert_str_eq(err.file, "t.rules");
    ck_assert_msg(strstr(err.message, part), "message \"%s\" lacks \"%s\"", err.message, part);
}

START_TEST(spec_example)
{
    ck_assert_int_eq(COMPILE(NULL, "3"), DEID_OK);
    check_out("06236", "062");
    check_out("135-080", "135");
    done();
    ck_assert_int_eq(COMPILE(NULL, "3", "pad", "*"), DEID_OK);
    check_out("06236", "062**");
    check_out("135-080", "135****");
    done();
}
END_TEST

START_TEST(hangul)
{
    ck_assert_int_eq(COMPILE(NULL, "2"), DEID_OK);
    check_out(SEO UL TEUK BYEOL SI, SEO UL);
    check_out("a" SEO UL, "a" SEO);
    check_out("\xF0\x9F\x98\x80" "xyz", "\xF0\x9F\x98\x80" "x");
    done();
    ck_assert_int_eq(COMPILE("pad", GA, NULL, "2"), DEID_OK);
    check_out(SEO UL TEUK BYEOL SI, SEO UL GA GA GA);
    check_out("12345", "12" GA GA GA);
    done();
}
END_TEST

START_TEST(short_values_unchanged)
{
    ck_assert_int_eq(COMPILE(NULL, "3"), DEID_OK);
    check_out("062", "062");
    check_out("06", "06");
    check_out("0", "0");
    check_out(SEO UL TEUK, SEO UL TEUK);
    done();
    ck_assert_int_eq(COMPILE(NULL, "3", "pad", "*"), DEID_OK);
    check_out("062", "062");
    check_out("06", "06");
    check_out("0623", "062*");
    done();
    ck_assert_int_eq(COMPILE(NULL, "1"), DEID_OK);
    check_out("ab", "a");
    check_out(SEO, SEO);
    done();
}
END_TEST

START_TEST(invalid_utf8)
{
    ck_assert_int_eq(COMPILE(NULL, "2"), DEID_OK);
    check_bad("\xFF", 1, "is not valid UTF-8");
    /* Invalid bytes in the part that would be cut count too. */
    check_bad("ab\xC0\x80", 4, "is not valid UTF-8");
    check_bad(SEO "\xEC\x84", 5, "is not valid UTF-8");
    check_bad("a\xED\xB0\x80", 4, "is not valid UTF-8");
    done();
}
END_TEST

START_TEST(appends_and_limits)
{
    ck_assert_int_eq(COMPILE(NULL, "1", "pad", "*"), DEID_OK);
    dbuf out;
    dbuf_init(&out, 5);
    ck_assert_int_eq(dbuf_append_str(&out, ">"), 0);
    const char *why = NULL;
    xf_value in = {"abc", 3};
    ck_assert_int_eq(xf_prefix_ops.apply(state, &in, 1, &out, &why), XF_OK);
    ck_assert_uint_eq(out.len, 4);
    ck_assert_int_eq(memcmp(out.data, ">a**", 4), 0);
    ck_assert_int_eq(xf_prefix_ops.apply(state, &in, 1, &out, &why), XF_NOMEM);
    dbuf_free(&out);
    done();
}
END_TEST

START_TEST(param_errors)
{
    check_rules_error(compile_v(0, NULL), KW_COL, "length");
    check_rules_error(COMPILE("pad", "*"), KW_COL, "length");
    check_rules_error(COMPILE(NULL, "abc"), 20, "not a whole number");
    check_rules_error(COMPILE(NULL, "3x"), 20, "not a whole number");
    check_rules_error(COMPILE(NULL, "-1"), 20, "not a whole number");
    check_rules_error(COMPILE(NULL, ""), 20, "not a whole number");
    check_rules_error(COMPILE(NULL, "0"), 20, "out of range");
    check_rules_error(COMPILE(NULL, "9000000"), 20, "out of range");
    check_rules_error(COMPILE(NULL, "99999999999999999999999"), 20, "not a whole number");
    check_rules_error(COMPILE(NULL, "3", "pad", "**"), 30, "one character");
    check_rules_error(COMPILE(NULL, "3", "pad", ""), 30, "one character");
    check_rules_error(COMPILE(NULL, "3", "pad", "\xFF"), 30, "UTF-8");
    check_rules_error(COMPILE(NULL, "3", "pad", "\n"), 30, "printable");
}
END_TEST

START_TEST(params_marked_used)
{
    ck_assert_int_eq(COMPILE("char", "#", NULL, "4", NULL, "5", "pad", "#", "keep", "2"), DEID_OK);
    ck_assert_int_eq(params[0].used, 0);
    ck_assert_int_eq(params[1].used, 1);
    ck_assert_int_eq(params[2].used, 0); /* a second positional is not ours */
    ck_assert_int_eq(params[3].used, 1);
    ck_assert_int_eq(params[4].used, 0);
    check_out("123456", "1234##");
    done();
}
END_TEST

START_TEST(describe)
{
    ck_assert_int_eq(COMPILE(NULL, "3"), DEID_OK);
    check_describe("3"); /* no pad= means no padding */
    done();
    ck_assert_int_eq(COMPILE(NULL, "3", "pad", "*"), DEID_OK);
    check_describe("3 pad=*");
    done();
    ck_assert_int_eq(COMPILE(NULL, "12", "pad", GA), DEID_OK);
    check_describe("12 pad=" GA);
    done();
    ck_assert_int_eq(COMPILE(NULL, "1", "pad", " "), DEID_OK);
    check_describe("1 pad=\" \"");
    done();
    ck_assert_int_eq(COMPILE(NULL, "1", "pad", "\""), DEID_OK);
    check_describe("1 pad=\"\\\"\"");
    done();
}
END_TEST

START_TEST(registered)
{
    ck_assert_ptr_eq(transform_find("prefix"), &xf_prefix_ops);
    ck_assert_str_eq(xf_prefix_ops.name, "prefix");
    ck_assert_ptr_nonnull(xf_prefix_ops.technique);
    ck_assert_uint_eq(xf_prefix_ops.flags, 0);
}
END_TEST

Suite *prefix_suite(void); /* called by check_main.c */

Suite *prefix_suite(void)
{
    Suite *s = suite_create("prefix");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, spec_example);
    tcase_add_test(tc, hangul);
    tcase_add_test(tc, short_values_unchanged);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, appends_and_limits);
    tcase_add_test(tc, param_errors);
    tcase_add_test(tc, params_marked_used);
    tcase_add_test(tc, describe);
    tcase_add_test(tc, registered);
    suite_add_tcase(s, tc);
    return s;
}
