/*
 * check_mask.c - the `mask` transform: counting by code point, the
 * never-reveal-the-whole-value rule, only=digits, char=, parameter errors
 * and describe. Expected bytes are written by hand.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "transform.h"

extern const transform_ops xf_mask_ops;

#define HONG "\xED\x99\x8D" /* 홍 U+D64D */
#define GIL "\xEA\xB8\xB8"  /* 길 U+AE38 */
#define DONG "\xEB\x8F\x99" /* 동 U+B3D9 */
#define GA "\xEA\xB0\x80"   /* 가 U+AC00 */
#define FW0 "\xEF\xBC\x90"  /* ０ U+FF10 */
#define FW1 "\xEF\xBC\x91"  /* １ U+FF11 */
#define FW2 "\xEF\xBC\x92"  /* ２ U+FF12 */

#define KW_COL 7 /* column of the transform keyword in the fake rules line */

static deid_error err;
static xf_param params[8];
static xf_context ctx;
static void *state;

/* Compiles `mask` from name/value pairs (name NULL = positional); the i-th
 * parameter sits at column 20 + 10*i. */
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
    ctx.column = "name";
    ctx.transform = "mask";
    ctx.rules_file = "t.rules";
    ctx.line = 4;
    ctx.col = KW_COL;
    ctx.source_line = "name: mask ...";
    ctx.params = params;
    ctx.n_params = n;
    ctx.n_inputs = 1;
    ctx.err = &err;
    state = NULL;
    return xf_mask_ops.compile(&ctx, &state);
}

#define COMPILE(...)                                                                   \
    compile_v(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *) / 2, \
              (const char *const[]){__VA_ARGS__})

static void done(void)
{
    xf_mask_ops.free(state);
    state = NULL;
}

/* Applies the compiled state to value and checks the exact output. */
static void check_out(const char *value, const char *want)
{
    dbuf out;
    dbuf_init(&out, 1 << 20);
    const char *why = NULL;
    xf_value in = {value, strlen(value)};
    ck_assert_int_eq(xf_mask_ops.apply(state, &in, 1, &out, &why), XF_OK);
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
    ck_assert_int_eq(xf_mask_ops.apply(state, &in, 1, &out, &why), XF_BAD_VALUE);
    ck_assert_ptr_nonnull(why);
    ck_assert_str_eq(why, want_why);
    dbuf_free(&out);
}

static void check_describe(const char *want)
{
    dbuf out;
    dbuf_init(&out, 1024);
    ck_assert_int_eq(xf_mask_ops.describe(state, &out), 0);
    ck_assert_str_eq(dbuf_cstr(&out), want);
    dbuf_free(&out);
}

/* Checks a rules error at the given column whose message contains part. */
static void check_rules_error(deid_status st, unsigned long col, const char *part)
{
    ck_assert_int_eq(st, DEID_E_RULES);
    ck_assert_int_eq(err.status, DEID_E_RULES);
    ck_assert_uint_eq(err.line, 4);
    ck_assert_uint_eq(err.column, col);
    ck_assert_str_eq(err.file, "t.rules");
    ck_assert_msg(strstr(err.message, part), "message \"%s\" lacks \"%s\"", err.message, part);
}

START_TEST(spec_examples)
{
    ck_assert_int_eq(COMPILE("keep-first", "1"), DEID_OK);
    check_out(HONG GIL DONG, HONG "**");
    done();
    ck_assert_int_eq(COMPILE("keep-first", "7", "only", "digits"), DEID_OK);
    check_out("900101-1234567", "900101-1******");
    done();
    ck_assert_int_eq(COMPILE("keep-first", "3", "keep-last", "4", "only", "digits"), DEID_OK);
    check_out("010-1234-5678", "010-****-5678");
    check_out("010-123-5678", "010-***-5678");
    check_out("(010) 1234 5678", "(010) **** 5678");
    done();
}
END_TEST

START_TEST(code_points_not_bytes)
{
    ck_assert_int_eq(COMPILE("keep-first", "1", "keep-last", "1"), DEID_OK);
    check_out(HONG GIL DONG, HONG "*" DONG);
    check_out("a" GIL "c", "a*c");
    check_out("Kim " HONG, "K***" HONG);
    /* A 4-byte code point counts once too. */
    check_out("\xF0\x9F\x98\x80" "xy", "\xF0\x9F\x98\x80" "*y");
    done();
    ck_assert_int_eq(compile_v(0, NULL), DEID_OK); /* no parameters at all */
    check_out(HONG GIL DONG, "***");
    check_out("abc", "***");
    check_out("x", "*");
    done();
    ck_assert_int_eq(COMPILE("keep-last", "2"), DEID_OK);
    check_out("010-1234-5678", "***********78");
    check_out(HONG GIL DONG, "*" GIL DONG);
    done();
}
END_TEST

START_TEST(never_whole_value)
{
    ck_assert_int_eq(COMPILE("keep-first", "1", "keep-last", "1"), DEID_OK);
    check_out(HONG GIL, HONG "*");
    check_out(HONG, "*");
    check_out("ab", "a*");
    check_out("abc", "a*c");
    done();
    ck_assert_int_eq(COMPILE("keep-first", "2"), DEID_OK);
    check_out("ab", "a*");
    check_out("a", "*");
    check_out("abc", "ab*");
    done();
    /* keep-last alone: the first ones are kept first, so from the end it
     * is the last L-1. */
    ck_assert_int_eq(COMPILE("keep-last", "5"), DEID_OK);
    check_out("abc", "*bc");
    check_out("abcdef", "*bcdef");
    check_out("abcdefg", "**cdefg");
    done();
    /* keep-first takes the budget before keep-last. */
    ck_assert_int_eq(COMPILE("keep-first", "2", "keep-last", "2"), DEID_OK);
    check_out("abcd", "ab*d");
    check_out("abc", "ab*");
    check_out("abcde", "ab*de");
    done();
    ck_assert_int_eq(COMPILE("keep-first", "8000000"), DEID_OK);
    check_out(HONG GIL DONG, HONG GIL "*");
    done();
}
END_TEST

START_TEST(only_digits)
{
    ck_assert_int_eq(COMPILE("only", "digits"), DEID_OK);
    check_out("010-1234-5678", "***-****-****");
    check_out(HONG "1" GIL, HONG "*" GIL);
    check_bad("abc", 3, "has no digits to mask");
    check_bad(HONG GIL DONG "-", 10, "has no digits to mask");
    check_bad(" ", 1, "has no digits to mask");
    done();
    /* The whole-value rule counts digits. */
    ck_assert_int_eq(COMPILE("keep-first", "1", "keep-last", "1", "only", "digits"), DEID_OK);
    check_out("a1b2", "a1b*");
    check_out("1", "*");
    check_out("x1y", "x*y");
    check_out("12-3", "1*-3");
    done();
    ck_assert_int_eq(COMPILE("keep-last", "4", "only", "digits"), DEID_OK);
    check_out("1234", "*234");
    check_out("12-34", "*2-34");
    done();
    /* Fullwidth digits are digits. */
    ck_assert_int_eq(COMPILE("keep-first", "1", "only", "digits"), DEID_OK);
    check_out(FW0 FW1 FW2, FW0 "**");
    check_out(FW0 "-1" FW2, FW0 "-**");
    done();
    /* only=all is the default spelled out. */
    ck_assert_int_eq(COMPILE("keep-first", "1", "only", "all"), DEID_OK);
    check_out("a-1", "a**");
    done();
}
END_TEST

START_TEST(mask_char)
{
    ck_assert_int_eq(COMPILE("keep-first", "1", "char", GA), DEID_OK);
    check_out(HONG GIL DONG, HONG GA GA);
    check_out("ab", "a" GA);
    done();
    ck_assert_int_eq(COMPILE("char", "#", "only", "digits", "keep-last", "4"), DEID_OK);
    check_out("010-1234-5678", "###-####-5678");
    done();
    ck_assert_int_eq(COMPILE("char", "\xE2\x97\x8F"), DEID_OK); /* ● U+25CF */
    check_out("ab", "\xE2\x97\x8F\xE2\x97\x8F");
    done();
    ck_assert_int_eq(COMPILE("char", "\xF0\x9F\x98\x80"), DEID_OK);
    check_out("a", "\xF0\x9F\x98\x80");
    done();
}
END_TEST

START_TEST(invalid_utf8)
{
    ck_assert_int_eq(COMPILE("keep-first", "1"), DEID_OK);
    check_bad("\xFF", 1, "is not valid UTF-8");
    check_bad("ab\xED\xA0\x80", 5, "is not valid UTF-8");
    check_bad(HONG "\xC0\x80", 5, "is not valid UTF-8");
    check_bad("\xEA\xB8", 2, "is not valid UTF-8");
    done();
    ck_assert_int_eq(COMPILE("only", "digits"), DEID_OK);
    check_bad("12\xFF", 3, "is not valid UTF-8");
    check_bad("\x80" "12", 3, "is not valid UTF-8");
    done();
}
END_TEST

START_TEST(appends_and_limits)
{
    ck_assert_int_eq(COMPILE("keep-first", "1"), DEID_OK);
    dbuf out;
    dbuf_init(&out, 6);
    ck_assert_int_eq(dbuf_append_str(&out, ">"), 0);
    const char *why = NULL;
    xf_value in = {HONG "a", 4};
    ck_assert_int_eq(xf_mask_ops.apply(state, &in, 1, &out, &why), XF_OK);
    ck_assert_uint_eq(out.len, 5);
    ck_assert_int_eq(memcmp(out.data, ">" HONG "*", 5), 0);
    xf_value big = {"abc", 3};
    ck_assert_int_eq(xf_mask_ops.apply(state, &big, 1, &out, &why), XF_NOMEM);
    dbuf_free(&out);
    done();
}
END_TEST

START_TEST(param_errors)
{
    check_rules_error(COMPILE("keep-first", "x"), 20, "keep-first");
    check_rules_error(COMPILE("keep-first", "-1"), 20, "keep-first");
    check_rules_error(COMPILE("keep-first", ""), 20, "keep-first");
    check_rules_error(COMPILE("keep-first", "2x"), 20, "keep-first");
    check_rules_error(COMPILE("keep-first", "1", "keep-last", "99999999999999999999999"), 30,
                      "keep-last");
    check_rules_error(COMPILE("keep-last", "9000000"), 20, "keep-last");
    check_rules_error(COMPILE("keep-first", "1", "char", "ab"), 30, "one character");
    check_rules_error(COMPILE("char", GA GA), 20, "one character");
    check_rules_error(COMPILE("char", ""), 20, "one character");
    check_rules_error(COMPILE("char", "\xFF"), 20, "UTF-8");
    check_rules_error(COMPILE("char", "\xEA\xB0"), 20, "UTF-8");
    check_rules_error(COMPILE("char", "\t"), 20, "printable");
    check_rules_error(COMPILE("only", "letters"), 20, "only=letters");
    check_rules_error(COMPILE("keep-first", "1", "only", "Digits"), 30, "only=");
    check_rules_error(COMPILE("only", ""), 20, "only=");
}
END_TEST

START_TEST(params_marked_used)
{
    /* Parameters mask does not know must stay unused, so that the rules
     * parser reports them; known ones must be marked. */
    ck_assert_int_eq(COMPILE("keep-first", "1", "pad", "x", NULL, "3", "keep-last", "1",
                             "on-error", "blank", "char", "#", "only", "all"),
                     DEID_OK);
    ck_assert_int_eq(params[0].used, 1);
    ck_assert_int_eq(params[1].used, 0);
    ck_assert_int_eq(params[2].used, 0);
    ck_assert_int_eq(params[3].used, 1);
    ck_assert_int_eq(params[4].used, 0);
    ck_assert_int_eq(params[5].used, 1);
    ck_assert_int_eq(params[6].used, 1);
    done();
}
END_TEST

START_TEST(describe)
{
    ck_assert_int_eq(compile_v(0, NULL), DEID_OK);
    check_describe("keep-first=0 keep-last=0 char=* only=all");
    done();
    ck_assert_int_eq(COMPILE("keep-first", "1"), DEID_OK);
    check_describe("keep-first=1 keep-last=0 char=* only=all");
    done();
    ck_assert_int_eq(COMPILE("only", "digits", "char", GA, "keep-last", "4", "keep-first", "3"),
                     DEID_OK);
    check_describe("keep-first=3 keep-last=4 char=" GA " only=digits");
    done();
    ck_assert_int_eq(COMPILE("char", " "), DEID_OK);
    check_describe("keep-first=0 keep-last=0 char=\" \" only=all");
    done();
    /* Quotes are quoted the way the rules lexer reads them back. */
    ck_assert_int_eq(COMPILE("char", "\""), DEID_OK);
    check_describe("keep-first=0 keep-last=0 char=\"\\\"\" only=all");
    done();
    ck_assert_int_eq(COMPILE("char", "'"), DEID_OK);
    check_describe("keep-first=0 keep-last=0 char=\"'\" only=all");
    done();
    ck_assert_int_eq(COMPILE("char", "#"), DEID_OK);
    check_describe("keep-first=0 keep-last=0 char=# only=all");
    done();
}
END_TEST

START_TEST(registered)
{
    ck_assert_ptr_eq(transform_find("mask"), &xf_mask_ops);
    ck_assert_str_eq(xf_mask_ops.name, "mask");
    ck_assert_ptr_nonnull(xf_mask_ops.technique);
    ck_assert_uint_eq(xf_mask_ops.flags, 0);
}
END_TEST

Suite *mask_suite(void); /* called by check_main.c */

Suite *mask_suite(void)
{
    Suite *s = suite_create("mask");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, spec_examples);
    tcase_add_test(tc, code_points_not_bytes);
    tcase_add_test(tc, never_whole_value);
    tcase_add_test(tc, only_digits);
    tcase_add_test(tc, mask_char);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, appends_and_limits);
    tcase_add_test(tc, param_errors);
    tcase_add_test(tc, params_marked_used);
    tcase_add_test(tc, describe);
    tcase_add_test(tc, registered);
    suite_add_tcase(s, tc);
    return s;
}
