/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_rules.c - the rules language (rules.c, rules_lex.c): every error
 * the parser reports, each with its status, file, line, 1-based byte
 * column, source line and exact message; the lexical rules (comments, #N
 * addresses, quoting, tabs, CRLF); the statements input, key, default,
 * column and add; the compiled rule fields; file loading and its limits;
 * and deid_rules_describe. The privacy statements (rules_privacy.c) are
 * not covered here. Columns are counted by hand; the counts are written
 * next to the cases that need them.
 *
 * Key files live in a mkdtemp folder that is also the rules' base folder.
 */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deid_limits.h"
#include "keyring.h"
#include "rules.h"
#include "scratch.h"

/* Key 00 01 .. 1f; its fingerprint is the first 16 hex digits of
 * printf 'deid key fingerprint' | openssl dgst -sha256 -mac HMAC \
 *     -macopt hexkey:000102...1f */
#define KEY_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define KEY_FP "19ef16b41d65211d"

#define KNOWN_STMT "input, key, default, column, add, output, quasi, sensitive, require, suppress, sample, purpose, recipient, retain, record, controller, custodian, destroy-keys"
#define HEADER_NO_MSG "with header=no, columns are addressed as #1, #2, ..."

/* The message for an unknown transform: it lists every row of xf_list.h,
 * in order (so it needs no change when a transform is added). Returns a
 * static buffer. */
static const char *unknown_xf(const char *name)
{
    static const char *const rows[] = {
#define XF(n) #n,
#include "xf_list.h"
#undef XF
    };
    static char msg[2048];
    size_t n = (size_t)snprintf(msg, sizeof msg, "unknown transform \"%s\" (known: ", name);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0] && n < sizeof msg; i++)
        n += (size_t)snprintf(msg + n, sizeof msg - n, "%s%s", i ? ", " : "", rows[i]);
    if (n < sizeof msg)
        snprintf(msg + n, sizeof msg - n, ")");
    return msg;
}

static char tmpdir[64];
static char pathbuf[512];
static deid_rules *rules;
static deid_error err;

static const char *tpath(const char *name)
{
    snprintf(pathbuf, sizeof pathbuf, "%s/%s", tmpdir, name);
    return pathbuf;
}

/* Writes a file in the temp folder with exactly mode. */
static void put_file(const char *name, const void *data, size_t len, mode_t mode)
{
    int fd = open(tpath(name), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
    ck_assert_int_eq(fchmod(fd, mode), 0);
    close(fd);
}

static void put_str(const char *name, const char *text, mode_t mode)
{
    put_file(name, text, strlen(text), mode);
}

/* The folder is made once per test case and removed by the runner
 * (unchecked fixture), so a failing test in its own process leaves
 * nothing behind. */
static void make_dir(void)
{
    strcpy(tmpdir, "/tmp/deid_rules_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    put_str("k.key", KEY_HEX "\n", 0600);
    put_str("open.key", KEY_HEX "\n", 0644);
    put_str("bad.key", "not a key\n", 0600);
}

static void remove_dir(void)
{
    scratch_remove_tree(tmpdir);
}

static void setup(void)
{
    rules = NULL;
}

static void teardown(void)
{
    deid_rules_free(rules);
    rules = NULL;
}

/* Parses len bytes of text as "t.rules" with the temp folder as base. */
static deid_status parse_n(const char *text, size_t len)
{
    deid_rules_free(rules);
    rules = NULL;
    memset(&err, 0x5a, sizeof err); /* every field must be set or cleared */
    return deid_rules_parse(text, len, "t.rules", tmpdir, &rules, &err);
}

static deid_status parse(const char *text)
{
    return parse_n(text, strlen(text));
}

#define PARSE_OK(text)                                                      \
    do {                                                                    \
        deid_status st_ = parse(text);                                      \
        ck_assert_msg(st_ == DEID_OK, "parse failed: %s", err.message);     \
        ck_assert_ptr_nonnull(rules);                                       \
    } while (0)

/* Asserts that parsing fails with a rules error at exactly this place. */
#define EXPECT_ERR_N(text, len, want_line, want_col, want_src, want_msg) \
    do {                                                                 \
        deid_status st_ = parse_n((text), (len));                        \
        ck_assert_int_eq(st_, DEID_E_RULES);                             \
        ck_assert_ptr_null(rules);                                       \
        ck_assert_int_eq(err.status, DEID_E_RULES);                      \
        ck_assert_str_eq(err.file, "t.rules");                           \
        ck_assert_uint_eq(err.line, (want_line));                        \
        ck_assert_uint_eq(err.column, (want_col));                       \
        ck_assert_str_eq(err.source_line, (want_src));                   \
        ck_assert_str_eq(err.message, (want_msg));                       \
        ck_assert_uint_eq(err.record, 0);                                \
        ck_assert_str_eq(err.field, "");                                 \
    } while (0)
#define EXPECT_ERR(text, ...) EXPECT_ERR_N((text), strlen(text), __VA_ARGS__)

/* ======================================================================
 * Lexical errors (tokenize)
 * ====================================================================== */

START_TEST(test_too_many_words)
{
    /* 129 words "x" separated by one space: word k starts at 2k-1, so the
     * 129th, the first one too many, at 257 */
    char line[400] = "";
    for (int i = 0; i < 129; i++)
        strcat(line, i ? " x" : "x");
    ck_assert_uint_eq(strlen(line), 257);
    EXPECT_ERR(line, 1, 257, line, "too many words on one line (at most 128)");
    /* 128 words are fine for the tokenizer: the statement is then wrong */
    line[255] = '\0';
    EXPECT_ERR(line, 1, 1, line,
               "unknown statement \"x\" (known: " KNOWN_STMT ")");
}
END_TEST

START_TEST(test_unterminated_quote)
{
    /* column 1-6, space 7, quote 8 */
    EXPECT_ERR("column \"a b keep", 1, 8, "column \"a b keep", "unterminated quote");
    /* \" does not close the quote */
    EXPECT_ERR("column \"a\\\" keep", 1, 8, "column \"a\\\" keep", "unterminated quote");
    EXPECT_ERR("column 'a keep", 1, 8, "column 'a keep", "unterminated quote");
    /* column 1-6, a 8, replace 10-16, value= 18-23, quote 24 */
    EXPECT_ERR("key k file=k.key\ncolumn a replace value=\"x y", 2, 24,
               "column a replace value=\"x y", "unterminated quote");
}
END_TEST

START_TEST(test_text_after_quote)
{
    /* quote 8, a 9, quote 10, b 11 */
    EXPECT_ERR("column \"a\"b keep", 1, 11, "column \"a\"b keep",
               "unexpected text after a closing quote");
    /* value="x"y: value= 18-23, quotes 24 and 26, y 27 */
    EXPECT_ERR("column a replace value=\"x\"y", 1, 27, "column a replace value=\"x\"y",
               "unexpected text after a closing quote");
    /* a quoted name cannot take '=': quote 1, a 2, quote 3, '=' 4 */
    EXPECT_ERR("\"a\"=b keep", 1, 4, "\"a\"=b keep", "unexpected text after a closing quote");
}
END_TEST

START_TEST(test_parameter_name_missing)
{
    /* column 1-6, a 8, mask 10-13, '=' 15 */
    EXPECT_ERR("column a mask =3", 1, 15, "column a mask =3",
               "a parameter name is missing before '='");
    EXPECT_ERR("=x", 1, 1, "=x", "a parameter name is missing before '='");
}
END_TEST

/* ======================================================================
 * Statements
 * ====================================================================== */

START_TEST(test_statement_errors)
{
    EXPECT_ERR("x=1", 1, 1, "x=1", "a statement must start with a keyword");
    /* a quoted keyword is not a keyword: quote at 3 */
    EXPECT_ERR("  \"column\" a keep", 1, 3, "  \"column\" a keep",
               "a statement must start with a keyword");
    EXPECT_ERR("colum a keep", 1, 1, "colum a keep",
               "unknown statement \"colum\" (known: " KNOWN_STMT ")");
    EXPECT_ERR("\tColumn a keep", 1, 2, "\tColumn a keep",
               "unknown statement \"Column\" (known: " KNOWN_STMT ")");
    /* "#" followed by a digit is a column address, so this is no comment */
    EXPECT_ERR("#2024 update\n", 1, 1, "#2024 update",
               "unknown statement \"#2024\" (known: " KNOWN_STMT ")");
}
END_TEST

START_TEST(test_input_errors)
{
    EXPECT_ERR("input header=yes\n  input delimiter=;", 2, 3, "  input delimiter=;",
               "`input` may appear only once");
    /* input 1-5, yes 7 */
    EXPECT_ERR("input yes", 1, 7, "input yes",
               "expected delimiter=, header=, encoding= or blank-columns=, found \"yes\"");
    /* delimiter= 7-16, value 17 */
    EXPECT_ERR("input delimiter=x", 1, 17, "input delimiter=x",
               "unknown delimiter \"x\" (use , ; | or tab)");
    EXPECT_ERR("input delimiter=", 1, 17, "input delimiter=",
               "unknown delimiter \"\" (use , ; | or tab)");
    EXPECT_ERR("input delimiter=TAB", 1, 17, "input delimiter=TAB",
               "unknown delimiter \"TAB\" (use , ; | or tab)");
    /* header= 7-13, value 14 */
    EXPECT_ERR("input header=maybe", 1, 14, "input header=maybe", "header= takes yes or no");
    EXPECT_ERR("input header=YES", 1, 14, "input header=YES", "header= takes yes or no");
    /* header=no 7-15, quote= 17 */
    EXPECT_ERR("input header=no quote='", 1, 23, "input header=no quote='", "unterminated quote");
    EXPECT_ERR("input header=no quote=x", 1, 17, "input header=no quote=x",
               "unknown parameter \"quote\" for input (known: delimiter=, header=, encoding=, "
               "blank-columns=)");
}
END_TEST

/* input blank-columns=drop|error (issue 13). */
START_TEST(test_input_blank_columns)
{
    EXPECT_ERR("input blank-columns=yes", 1, 21, "input blank-columns=yes",
               "blank-columns= takes drop or error");
    EXPECT_ERR("input blank-columns=", 1, 21, "input blank-columns=",
               "blank-columns= takes drop or error");
    EXPECT_ERR("input blank-columns=drop header=no", 1, 1, "input blank-columns=drop header=no",
               "blank-columns=drop needs header=yes: without a header no column has an empty name");
    static const struct {
        const char *text;
        int drop;
    } ok[] = {{"column a keep\n", 0},
              {"input blank-columns=drop\ncolumn a keep\n", 1},
              {"input header=yes blank-columns=error\ncolumn a keep\n", 0},
              {"input blank-columns=drop blank-columns=error\ncolumn a keep\n", 0},
              {"input header=no blank-columns=error\ncolumn #1 keep\n", 0}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        deid_rules *r = NULL;
        ck_assert_msg(deid_rules_parse(ok[i].text, strlen(ok[i].text), "t.rules", NULL, &r, &err) ==
                          DEID_OK,
                      "%s: %s", ok[i].text, err.message);
        ck_assert_int_eq(r->drop_blank_columns, ok[i].drop);
        deid_rules_free(r);
    }
}
END_TEST

START_TEST(test_default_errors)
{
    EXPECT_ERR("default keep\n\ndefault drop", 3, 1, "default drop",
               "`default` may appear only once");
    EXPECT_ERR("default", 1, 8, "default", "error, keep or drop is missing");
    EXPECT_ERR("default\r\n", 1, 8, "default", "error, keep or drop is missing");
    EXPECT_ERR("default x=1", 1, 9, "default x=1",
               "expected error, keep or drop, found a parameter");
    EXPECT_ERR("default maybe", 1, 9, "default maybe",
               "unknown default \"maybe\" (use error, keep or drop)");
    EXPECT_ERR("default KEEP", 1, 9, "default KEEP",
               "unknown default \"KEEP\" (use error, keep or drop)");
    /* keep 9-12, drop 14 */
    EXPECT_ERR("default keep drop", 1, 14, "default keep drop", "unexpected text after default");
}
END_TEST

START_TEST(test_key_errors)
{
    EXPECT_ERR("key", 1, 4, "key", "a key name is missing");
    EXPECT_ERR("key file=k.key", 1, 5, "key file=k.key", "expected a key name, found a parameter");
    EXPECT_ERR("key \"\" file=k.key", 1, 5, "key \"\" file=k.key", "the key name is empty");
    EXPECT_ERR("key k", 1, 6, "key k", "key k needs file=PATH");
    /* key 1-3, k 5, file=k.key 7-16, file= 18 */
    EXPECT_ERR("key k file=k.key file=k.key", 1, 18, "key k file=k.key file=k.key",
               "file= given twice");
    EXPECT_ERR("key k path=k.key", 1, 7, "key k path=k.key",
               "unexpected \"path\": a key takes only file=PATH (never the key itself)");
    EXPECT_ERR("key k file=k.key\n\nkey k file=k.key", 3, 5, "key k file=k.key",
               "key \"k\" is already declared on line 1");

    char name[DEID_MAX_NAME_BYTES + 2];
    memset(name, 'n', DEID_MAX_NAME_BYTES + 1);
    name[DEID_MAX_NAME_BYTES + 1] = '\0';
    char line[600];
    snprintf(line, sizeof line, "key %s file=k.key", name);
    EXPECT_ERR(line, 1, 5, line, "the key name is longer than 256 bytes");
    name[DEID_MAX_NAME_BYTES] = '\0'; /* exactly the maximum is fine */
    snprintf(line, sizeof line, "key %s file=k.key", name);
    PARSE_OK(line);
    ck_assert_uint_eq(rules->n_keys, 1);
}
END_TEST

START_TEST(test_too_many_keys)
{
    /* 64 keys (DEID_MAX_KEYS) are fine, the 65th is refused at its name */
    char text[4096] = "";
    for (unsigned i = 1; i <= DEID_MAX_KEYS; i++) {
        char line[64];
        snprintf(line, sizeof line, "key k%u file=k.key\n", i);
        strcat(text, line);
    }
    PARSE_OK(text);
    ck_assert_uint_eq(rules->n_keys, DEID_MAX_KEYS);
    ck_assert_uint_eq(keyring_count(rules->keys), DEID_MAX_KEYS);
    strcat(text, "key k65 file=k.key");
    EXPECT_ERR(text, 65, 5, "key k65 file=k.key", "too many keys (at most 64)");
}
END_TEST

START_TEST(test_key_file_errors)
{
    /* The key file's own error, placed at the file= value:
     * key 1-3, k 5, file= 7-11, value 12 */
    char msg[1024];
    snprintf(msg, sizeof msg,
             "key file %s/open.key is readable by group or others; run: chmod 600 %s/open.key",
             tmpdir, tmpdir);
    EXPECT_ERR("key k file=open.key", 1, 12, "key k file=open.key", msg);

    /* a quoted value: the column is the opening quote's */
    snprintf(msg, sizeof msg, "key file %s/missing.key does not exist", tmpdir);
    EXPECT_ERR("default drop\nkey k file=\"missing.key\"", 2, 12, "key k file=\"missing.key\"",
               msg);

    /* key 1-3, spaces 4-6, k 7, spaces 8-10, file= 11-15, value 16 */
    snprintf(msg, sizeof msg,
             "key file %s/bad.key is text, not hex (64 digits) or base64 (of 32 bytes); a "
             "passphrase is not a key; make a key with: deid keygen FILE",
             tmpdir);
    EXPECT_ERR("key   k   file=bad.key", 1, 16, "key   k   file=bad.key", msg);

    /* an absolute file name is used as it is */
    char line[300];
    snprintf(line, sizeof line, "key k file=%s/open.key", tmpdir);
    snprintf(msg, sizeof msg,
             "key file %s/open.key is readable by group or others; run: chmod 600 %s/open.key",
             tmpdir, tmpdir);
    EXPECT_ERR(line, 1, 12, line, msg);
}
END_TEST

START_TEST(test_key_never_echoed)
{
    /* Someone pastes the key itself instead of file=PATH: the message and
     * the displayed line must not carry it (secrets never reach a
     * message). key 1-3, k 5, the key 7. */
    deid_status st = parse("key k " KEY_HEX);
    ck_assert_int_eq(st, DEID_E_RULES);
    ck_assert_uint_eq(err.line, 1);
    ck_assert_uint_eq(err.column, 7);
    ck_assert_ptr_nonnull(strstr(err.message, "a key takes only file=PATH"));
    ck_assert_ptr_null(strstr(err.message, KEY_HEX));
    ck_assert_ptr_null(strstr(err.source_line, KEY_HEX));
    char text[2048];
    deid_error_format(&err, text, sizeof text);
    ck_assert_ptr_null(strstr(text, KEY_HEX));

    /* also after a good file= */
    st = parse("key k file=k.key " KEY_HEX);
    ck_assert_int_eq(st, DEID_E_RULES);
    ck_assert_uint_eq(err.column, 18);
    deid_error_format(&err, text, sizeof text);
    ck_assert_ptr_null(strstr(text, KEY_HEX));
}
END_TEST

START_TEST(test_column_name_errors)
{
    EXPECT_ERR("column", 1, 7, "column", "a column name is missing");
    EXPECT_ERR("add", 1, 4, "add", "the new column's name is missing");
    EXPECT_ERR("column a=b keep", 1, 8, "column a=b keep",
               "expected a column name, found a parameter");
    EXPECT_ERR("add n=1 keep from=a", 1, 5, "add n=1 keep from=a",
               "expected the new column's name, found a parameter");
    EXPECT_ERR("column \"\" keep", 1, 8, "column \"\" keep", "the column name is empty");
    EXPECT_ERR("add '' keep from=a", 1, 5, "add '' keep from=a", "the column name is empty");

    char name[DEID_MAX_NAME_BYTES + 2];
    memset(name, 'c', DEID_MAX_NAME_BYTES + 1);
    name[DEID_MAX_NAME_BYTES + 1] = '\0';
    char line[600];
    snprintf(line, sizeof line, "column %s keep", name);
    EXPECT_ERR(line, 1, 8, line, "the column name is longer than 256 bytes");
    name[DEID_MAX_NAME_BYTES] = '\0';
    snprintf(line, sizeof line, "column %s keep", name);
    PARSE_OK(line);
    ck_assert_uint_eq(strlen(rules->rules[0].column), DEID_MAX_NAME_BYTES);
}
END_TEST

START_TEST(test_transform_errors)
{
    EXPECT_ERR("column a", 1, 9, "column a", "a transform is missing");
    /* a 1-3 ... column a 8, x=y 10 */
    EXPECT_ERR("column a x=y", 1, 10, "column a x=y", "expected a transform, found a parameter");
    EXPECT_ERR("column a kep", 1, 10, "column a kep",
               unknown_xf("kep"));
    EXPECT_ERR("column a \"keep\"", 1, 10, "column a \"keep\"",
               unknown_xf("keep"));
    /* the CR of a CRLF line is not part of the line */
    EXPECT_ERR("column a kep\r\n", 1, 10, "column a kep",
               unknown_xf("kep"));
    EXPECT_ERR("column a keep\n\ncolumn a drop", 3, 8, "column a drop",
               "column \"a\" already has a rule on line 1");
    EXPECT_ERR("column \"a b\" keep\nkey k file=k.key\nadd 'a b' hash key=k from=x", 3, 5,
               "add 'a b' hash key=k from=x", "column \"a b\" already has a rule on line 1");
}
END_TEST

START_TEST(test_missing_at_end_ignores_comment)
{
    /* "missing" points just after the last word, not after a comment:
     * column 1-6, a 8, so 9 */
    EXPECT_ERR("column a   # transform to do", 1, 9, "column a   # transform to do",
               "a transform is missing");
    EXPECT_ERR("default # later", 1, 8, "default # later", "error, keep or drop is missing");
}
END_TEST

START_TEST(test_parameter_errors)
{
    /* column 1-6, a 8, mask 10-13, char=x 15-20, char=y 22 */
    EXPECT_ERR("column a mask char=x char=y", 1, 22, "column a mask char=x char=y",
               "parameter char= given twice");
    /* on-error=blank 15-28, on-error= 30 */
    EXPECT_ERR("column a mask on-error=blank on-error=fail", 1, 30,
               "column a mask on-error=blank on-error=fail", "parameter on-error= given twice");
    /* on-error= 15-23, value 24 */
    EXPECT_ERR("column a mask on-error=skip", 1, 24, "column a mask on-error=skip",
               "on-error= takes fail, blank or suppress");
    EXPECT_ERR("column a mask on-error=", 1, 24, "column a mask on-error=",
               "on-error= takes fail, blank or suppress");
    /* the README's example: keep-frist= at 18 */
    EXPECT_ERR("column name mask keep-frist=1", 1, 18, "column name mask keep-frist=1",
               "unknown parameter \"keep-frist\" for mask");
    /* from= is only for add */
    EXPECT_ERR("column a mask from=b", 1, 15, "column a mask from=b",
               "unknown parameter \"from\" for mask");
    EXPECT_ERR("column a keep key=k", 1, 15, "column a keep key=k",
               "unknown parameter \"key\" for keep");
    /* keep 10-13, extra 15 */
    EXPECT_ERR("column a keep extra", 1, 15, "column a keep extra",
               "unexpected \"extra\" after keep");
    EXPECT_ERR("column a drop \"x y\"", 1, 15, "column a drop \"x y\"",
               "unexpected \"x y\" after drop");
    /* tabs count one byte each: column 1-6, tab 7, a 8, tab 9, keep 10-13,
     * tab 14, typo=1 15 */
    EXPECT_ERR("column\ta\tkeep\ttypo=1", 1, 15, "column\ta\tkeep\ttypo=1",
               "unknown parameter \"typo\" for keep");
}
END_TEST

START_TEST(test_transform_compile_errors)
{
    /* errors from a transform's compile, at the parameter or keyword */
    EXPECT_ERR("column a replace", 1, 10, "column a replace", "replace needs value=TEXT");
    EXPECT_ERR("column a mask keep-first=x", 1, 15, "column a mask keep-first=x",
               "keep-first=x is not a whole number");
    /* a key must be declared before it is used: key=k at 15 */
    EXPECT_ERR("column a hash key=k\nkey k file=k.key", 1, 15, "column a hash key=k",
               "unknown key \"k\"; declare it with: key k file=PATH");
}
END_TEST

START_TEST(test_add_errors)
{
    /* add 1-3, n 5, hash 7-10, key=k 12-16: 16 bytes, so 17 */
    EXPECT_ERR("key k file=k.key\nadd n hash key=k", 2, 17, "add n hash key=k",
               "add needs from=COLUMN[,COLUMN...] naming the input columns it reads");
    /* add 1-3, n 5, keep 7-10, from= 12-16, value 17 */
    EXPECT_ERR("add n keep from=", 1, 17, "add n keep from=", "from= needs at least one column");
    /* drop 7-10 */
    EXPECT_ERR("add n drop from=a", 1, 7, "add n drop from=a", "add with drop makes no column");
    EXPECT_ERR("add n keep from=a from=b", 1, 19, "add n keep from=a from=b",
               "parameter from= given twice");

    /* add 1-3, n 5, hash 7-10, key=k 12-16, from= 18-22, value 23 */
    const char *k = "key k file=k.key\n";
    char text[200];
    snprintf(text, sizeof text, "%sadd n hash key=k from=a,,b", k);
    EXPECT_ERR(text, 2, 25, "add n hash key=k from=a,,b", "empty column name in from=");
    snprintf(text, sizeof text, "%sadd n hash key=k from=,a", k);
    EXPECT_ERR(text, 2, 23, "add n hash key=k from=,a", "empty column name in from=");
    snprintf(text, sizeof text, "%sadd n hash key=k from=a,", k);
    EXPECT_ERR(text, 2, 25, "add n hash key=k from=a,", "empty column name in from=");
    snprintf(text, sizeof text, "%sadd n hash key=k from=a,b,a", k);
    EXPECT_ERR(text, 2, 27, "add n hash key=k from=a,b,a", "column \"a\" appears twice in from=");
}
END_TEST

START_TEST(test_add_one_input_transform)
{
    /* add 1-3, n 5, mask 7-10, from= 12-16, value 17; below date 8-11,
     * to=year 13-19, from= 21-25, value 26 */
    EXPECT_ERR("add n mask from=a,b", 1, 17, "add n mask from=a,b",
               "mask takes one input column; from= names 2");
    EXPECT_ERR("add n  date to=year from=x,y,z # three", 1, 26,
               "add n  date to=year from=x,y,z # three", "date takes one input column; from= names 3");
}
END_TEST

START_TEST(test_from_quoted_columns)
{
    /* from= quoted (names with spaces): positions inside the value count
     * the opening quote. add 1-3, n 5, hash 7-10, key=k 12-16, from= 18-22,
     * quote 23, "a" 24, "," 25, "a" 26 */
    const char *k = "key k file=k.key\n";
    char text[200];
    snprintf(text, sizeof text, "%sadd n hash key=k from=\"a,a\"", k);
    EXPECT_ERR(text, 2, 26, "add n hash key=k from=\"a,a\"", "column \"a\" appears twice in from=");
    /* quote 23, "x y" 24-26, "," 27, empty name at 28 */
    snprintf(text, sizeof text, "%sadd n hash key=k from=\"x y,\"", k);
    EXPECT_ERR(text, 2, 28, "add n hash key=k from=\"x y,\"", "empty column name in from=");
}
END_TEST

START_TEST(test_header_errors)
{
    /* checked once the whole file is read, at the rule's line */
    EXPECT_ERR("input header=no\ncolumn a keep", 2, 8, "column a keep", HEADER_NO_MSG);
    EXPECT_ERR("column #1 keep\ncolumn a drop\ninput header=no", 2, 8, "column a drop",
               HEADER_NO_MSG);
    EXPECT_ERR("input header=no\ncolumn #0 keep", 2, 8, "column #0 keep", HEADER_NO_MSG);
    EXPECT_ERR("input header=no\ncolumn #01 keep", 2, 8, "column #01 keep", HEADER_NO_MSG);
    EXPECT_ERR("column\t#2\tkeep\r\n", 1, 8, "column\t#2\tkeep",
               "#N addresses columns only with `input header=no`");
    EXPECT_ERR("input header=yes\ncolumn #12 keep", 2, 8, "column #12 keep",
               "#N addresses columns only with `input header=no`");
    /* from= names: at the from= value (23) */
    EXPECT_ERR("input header=no\nkey k file=k.key\nadd n hash key=k from=#1,b", 3, 23,
               "add n hash key=k from=#1,b", HEADER_NO_MSG);
}
END_TEST

/* ======================================================================
 * Whole-file errors
 * ====================================================================== */

START_TEST(test_nul_byte)
{
    static const char text[] = "default keep\ncolumn a\0 keep\n";
    EXPECT_ERR_N(text, sizeof text - 1, 2, 9, "column a", "NUL byte in rules");
    EXPECT_ERR_N("\0", 1, 1, 1, "", "NUL byte in rules");
}
END_TEST

START_TEST(test_invalid_utf8)
{
    EXPECT_ERR("column \xff keep", 1, 8, "column \xff keep", "invalid UTF-8");
    /* 이름 is bytes 8-13, the stray byte 14 */
    EXPECT_ERR("default drop\ncolumn \xEC\x9D\xB4\xEB\xA6\x84\x80 keep", 2, 14,
               "column \xEC\x9D\xB4\xEB\xA6\x84\x80 keep", "invalid UTF-8");
    /* a sequence cut short at the end of the line */
    EXPECT_ERR("column \xED\x99\n", 1, 8, "column \xED\x99", "invalid UTF-8");
    /* an overlong encoding of '/' */
    EXPECT_ERR("# \xC0\xAF", 1, 3, "# \xC0\xAF", "invalid UTF-8");
}
END_TEST

START_TEST(test_line_too_long)
{
    /* a comment line of exactly DEID_MAX_RULES_LINE bytes is fine, also
     * with CRLF; one byte more is refused, at the last byte kept */
    size_t max = DEID_MAX_RULES_LINE;
    char *text = malloc(max + 64);
    ck_assert_ptr_nonnull(text);
    strcpy(text, "default keep\n#");
    size_t at = strlen(text);
    memset(text + at, 'y', max - 1);
    strcpy(text + at + max - 1, "\r\ncolumn a keep\n");
    PARSE_OK(text);
    ck_assert_uint_eq(rules->n_rules, 1);
    ck_assert_uint_eq(rules->rules[0].line, 3);

    strcpy(text, "default keep\n#");
    memset(text + at, 'y', max);
    strcpy(text + at + max, "\ncolumn a keep\n");
    char src[sizeof err.source_line];
    memset(src, 'y', sizeof src - 1);
    src[0] = '#';
    src[sizeof src - 1] = '\0'; /* the error keeps the first 511 bytes */
    EXPECT_ERR(text, 2, max, src, "line is longer than 4096 bytes");
    free(text);
}
END_TEST

START_TEST(test_text_too_large)
{
    /* DEID_MAX_RULES_BYTES of comment lines (64 bytes each) are fine */
    size_t max = DEID_MAX_RULES_BYTES;
    char *text = malloc(max + 1);
    ck_assert_ptr_nonnull(text);
    for (size_t i = 0; i < max + 1; i += 64) {
        memset(text + i, 'z', 64 < max + 1 - i ? 64 : max + 1 - i);
        text[i] = '#';
        if (i + 63 < max + 1)
            text[i + 63] = '\n';
    }
    ck_assert_int_eq(parse_n(text, max), DEID_OK);
    ck_assert_uint_eq(rules->n_rules, 0);
    ck_assert_int_eq(parse_n(text, max + 1), DEID_E_RULES);
    ck_assert_ptr_null(rules);
    ck_assert_int_eq(err.status, DEID_E_RULES);
    ck_assert_str_eq(err.message, "t.rules: rules file is larger than 1048576 bytes");
    ck_assert_str_eq(err.file, "");
    ck_assert_uint_eq(err.line, 0);
    ck_assert_uint_eq(err.column, 0);
    free(text);
}
END_TEST

START_TEST(test_null_error_pointer)
{
    deid_rules *r = (deid_rules *)&r;
    ck_assert_int_eq(deid_rules_parse("colum a keep", 12, NULL, NULL, &r, NULL), DEID_E_RULES);
    ck_assert_ptr_null(r);
    /* no name: "<rules>" is used in messages */
    ck_assert_int_eq(deid_rules_parse("colum a keep", 12, NULL, NULL, &r, &err), DEID_E_RULES);
    ck_assert_str_eq(err.file, "<rules>");
}
END_TEST

/* ======================================================================
 * deid_rules_load
 * ====================================================================== */

START_TEST(test_load_missing)
{
    char path[300], msg[600];
    snprintf(path, sizeof path, "%s/none.rules", tmpdir);
    rules = (deid_rules *)&rules;
    ck_assert_int_eq(deid_rules_load(path, &rules, &err), DEID_E_RULES);
    ck_assert_ptr_null(rules);
    ck_assert_int_eq(err.status, DEID_E_RULES);
    snprintf(msg, sizeof msg, "cannot open rules file %s: No such file or directory", path);
    ck_assert_str_eq(err.message, msg);
    ck_assert_str_eq(err.file, "");
    ck_assert_uint_eq(err.line, 0);
}
END_TEST

START_TEST(test_load_directory)
{
    char msg[600];
    ck_assert_int_eq(deid_rules_load(tmpdir, &rules, &err), DEID_E_RULES);
    ck_assert_ptr_null(rules);
    snprintf(msg, sizeof msg, "rules file %s is not a regular file", tmpdir);
    ck_assert_str_eq(err.message, msg);
}
END_TEST

START_TEST(test_load_too_large)
{
    /* a sparse file one byte over the limit: refused before reading */
    char path[300], msg[600];
    snprintf(path, sizeof path, "%s/big.rules", tmpdir);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)DEID_MAX_RULES_BYTES + 1), 0);
    close(fd);
    ck_assert_int_eq(deid_rules_load(path, &rules, &err), DEID_E_RULES);
    ck_assert_ptr_null(rules);
    snprintf(msg, sizeof msg, "%s: rules file is larger than 1048576 bytes", path);
    ck_assert_str_eq(err.message, msg);

    /* exactly the limit passes the size check: zeros are then NUL bytes on
     * one overlong line */
    ck_assert_int_eq(truncate(path, (off_t)DEID_MAX_RULES_BYTES), 0);
    ck_assert_int_eq(deid_rules_load(path, &rules, &err), DEID_E_RULES);
    ck_assert_str_eq(err.message, "line is longer than 4096 bytes");
    ck_assert_str_eq(err.file, path);
    ck_assert_uint_eq(err.line, 1);
}
END_TEST

START_TEST(test_load_line_too_long)
{
    char *text = malloc(DEID_MAX_RULES_LINE + 32);
    ck_assert_ptr_nonnull(text);
    strcpy(text, "# ok\n");
    memset(text + 5, 'w', DEID_MAX_RULES_LINE + 1);
    put_file("long.rules", text, 5 + DEID_MAX_RULES_LINE + 1, 0600);
    free(text);
    char path[300];
    snprintf(path, sizeof path, "%s/long.rules", tmpdir);
    ck_assert_int_eq(deid_rules_load(path, &rules, &err), DEID_E_RULES);
    ck_assert_str_eq(err.file, path);
    ck_assert_uint_eq(err.line, 2);
    ck_assert_uint_eq(err.column, DEID_MAX_RULES_LINE);
    ck_assert_str_eq(err.message, "line is longer than 4096 bytes");
}
END_TEST

START_TEST(test_load_relative_to_rules_folder)
{
    /* key files are found relative to the rules file, wherever it is */
    ck_assert_int_eq(mkdir(tpath("sub"), 0700), 0);
    put_str("sub/r.rules", "key k file=../k.key\ncolumn a hash key=k\n", 0600);
    char path[300];
    snprintf(path, sizeof path, "%s/sub/r.rules", tmpdir);
    ck_assert_int_eq(deid_rules_load(path, &rules, &err), DEID_OK);
    ck_assert_str_eq(rules->name, path);
    ck_assert_uint_eq(rules->n_keys, 1);
    ck_assert_str_eq(rules->key_decls[0].file, "../k.key");
    const deid_key *k = keyring_find(rules->keys, "k");
    ck_assert_ptr_nonnull(k);
    ck_assert_str_eq(key_fingerprint(k), KEY_FP);
    deid_rules_free(rules);
    rules = NULL;

    /* an error in a loaded file names the file as given */
    put_str("sub/bad.rules", "default keep\ncolumn a hsah\n", 0600);
    snprintf(path, sizeof path, "%s/sub/bad.rules", tmpdir);
    ck_assert_int_eq(deid_rules_load(path, &rules, &err), DEID_E_RULES);
    ck_assert_str_eq(err.file, path);
    ck_assert_uint_eq(err.line, 2);
    ck_assert_uint_eq(err.column, 10);
    ck_assert_str_eq(err.source_line, "column a hsah");
    ck_assert_str_eq(err.message, unknown_xf("hsah"));
}
END_TEST

/* ======================================================================
 * What a good rule set compiles to
 * ====================================================================== */

START_TEST(test_full_example)
{
    PARSE_OK("# deid rules for customers.csv\n"                           /* 1 */
             "input delimiter=; header=yes   # semicolons\n"               /* 2 */
             "\n"                                                          /* 3 */
             "default keep\n"                                              /* 4 */
             "key k file=k.key\n"                                          /* 5 */
             "column \"full name\" mask keep-first=1 on-error=blank\n"     /* 6 */
             "column\tphone\thash key=k normalize=digits on-error=suppress\r\n" /* 7 */
             "add id hash key=k from=name,phone\n"                         /* 8 */
             "column memo replace value=\"a \\\"q\\\" \\\\ b # c\"\n"      /* 9 */
             "column note replace value='x\\\"y # z'\n"                    /* 10 */
             "   \t  \n"                                                   /* 11 */
             "column 'a#b c' keep");                                       /* 12 */
    ck_assert_int_eq(rules->delimiter, ';');
    ck_assert_int_eq(rules->header, 1);
    ck_assert_int_eq(rules->default_policy, RULES_DEFAULT_KEEP);
    ck_assert_str_eq(rules->name, "t.rules");
    ck_assert_str_eq(rules->base_dir, tmpdir);

    ck_assert_uint_eq(rules->n_keys, 1);
    ck_assert_str_eq(rules->key_decls[0].name, "k");
    ck_assert_str_eq(rules->key_decls[0].file, "k.key");
    ck_assert_uint_eq(rules->key_decls[0].line, 5);
    const deid_key *key = keyring_find(rules->keys, "k");
    ck_assert_ptr_nonnull(key);
    ck_assert_str_eq(key_fingerprint(key), KEY_FP);

    ck_assert_uint_eq(rules->n_rules, 6);
    const rule *r = rules->rules;
    ck_assert_str_eq(r[0].column, "full name");
    ck_assert_int_eq(r[0].is_add, 0);
    ck_assert_str_eq(r[0].ops->name, "mask");
    ck_assert_int_eq(r[0].on_error, ON_ERROR_BLANK);
    ck_assert_uint_eq(r[0].line, 6);
    ck_assert_uint_eq(r[0].name_col, 8);
    ck_assert_uint_eq(r[0].n_from, 0);
    ck_assert_str_eq(r[0].source_line, "column \"full name\" mask keep-first=1 on-error=blank");

    ck_assert_str_eq(r[1].column, "phone");
    ck_assert_str_eq(r[1].ops->name, "hash");
    ck_assert_int_eq(r[1].on_error, ON_ERROR_SUPPRESS);
    ck_assert_uint_eq(r[1].line, 7);
    ck_assert_uint_eq(r[1].name_col, 8);
    ck_assert_str_eq(r[1].source_line,
                     "column\tphone\thash key=k normalize=digits on-error=suppress");

    /* add 1-3, id 5-6, hash 8-11, key=k 13-17, from= 19-23, value 24 */
    ck_assert_str_eq(r[2].column, "id");
    ck_assert_int_eq(r[2].is_add, 1);
    ck_assert_str_eq(r[2].ops->name, "hash");
    ck_assert_int_eq(r[2].on_error, ON_ERROR_FAIL);
    ck_assert_uint_eq(r[2].n_from, 2);
    ck_assert_str_eq(r[2].from[0], "name");
    ck_assert_str_eq(r[2].from[1], "phone");
    ck_assert_uint_eq(r[2].line, 8);
    ck_assert_uint_eq(r[2].name_col, 5);
    ck_assert_uint_eq(r[2].from_col, 24);

    /* replace keeps its text as its state (xf_replace.c) */
    ck_assert_str_eq(r[3].column, "memo");
    ck_assert_str_eq(r[3].ops->name, "replace");
    ck_assert_str_eq((const char *)r[3].state, "a \"q\" \\ b # c");
    ck_assert_uint_eq(r[3].line, 9);
    ck_assert_str_eq(r[4].column, "note");
    ck_assert_str_eq((const char *)r[4].state, "x\\\"y # z");
    ck_assert_uint_eq(r[4].line, 10);

    ck_assert_str_eq(r[5].column, "a#b c");
    ck_assert_str_eq(r[5].ops->name, "keep");
    ck_assert_uint_eq(r[5].line, 12);
}
END_TEST

START_TEST(test_quoting_values)
{
    PARSE_OK("column \"a\\\"b\" keep\n"
             "column \"a\\\\b\" keep\n"
             "column \"x\\ny\" keep\n"
             "column 'p\\\"q' keep\n"
             "column \"# x\" keep\n"
             "column \"\xED\x99\x8D \xEA\xB8\xB8\" keep\n"
             "column  \"sp ace\"\tkeep\n");
    ck_assert_uint_eq(rules->n_rules, 7);
    ck_assert_str_eq(rules->rules[0].column, "a\"b");
    ck_assert_str_eq(rules->rules[1].column, "a\\b");
    ck_assert_str_eq(rules->rules[2].column, "x\\ny");
    ck_assert_str_eq(rules->rules[3].column, "p\\\"q");
    ck_assert_str_eq(rules->rules[4].column, "# x");
    ck_assert_str_eq(rules->rules[5].column, "\xED\x99\x8D \xEA\xB8\xB8");
    ck_assert_str_eq(rules->rules[6].column, "sp ace");
    ck_assert_uint_eq(rules->rules[6].name_col, 9);
}
END_TEST

START_TEST(test_comments_and_blank_lines)
{
    PARSE_OK("");
    ck_assert_uint_eq(rules->n_rules, 0);
    ck_assert_int_eq(rules->delimiter, ',');
    ck_assert_int_eq(rules->header, 1);
    ck_assert_int_eq(rules->default_policy, RULES_DEFAULT_ERROR);
    PARSE_OK("\n\n\r\n#\n# only comments\n   # indented\n\t\n");
    ck_assert_uint_eq(rules->n_rules, 0);
    PARSE_OK("\r\n\r\ncolumn a keep # done\r\n#x\r\ncolumn b drop\t#\r\n");
    ck_assert_uint_eq(rules->n_rules, 2);
    ck_assert_uint_eq(rules->rules[0].line, 3);
    ck_assert_uint_eq(rules->rules[1].line, 5);
    ck_assert_str_eq(rules->rules[1].ops->name, "drop");
    ck_assert_str_eq(rules->rules[1].source_line, "column b drop\t#");
}
END_TEST

START_TEST(test_header_no)
{
    PARSE_OK("input header=no # no header row\n"
             "key k file=k.key\n"
             "column #1 keep   # first column\n"
             "column #12 hash key=k\n"
             "add x hash key=k from=#1,#2 # linkage\n");
    ck_assert_int_eq(rules->header, 0);
    ck_assert_uint_eq(rules->n_rules, 3);
    ck_assert_str_eq(rules->rules[0].column, "#1");
    ck_assert_str_eq(rules->rules[1].column, "#12");
    ck_assert_str_eq(rules->rules[2].column, "x");
    ck_assert_uint_eq(rules->rules[2].n_from, 2);
    ck_assert_str_eq(rules->rules[2].from[0], "#1");
    ck_assert_str_eq(rules->rules[2].from[1], "#2");
    /* input may come last: the check runs over the whole file */
    PARSE_OK("column #3 drop\ninput header=no delimiter=tab\n");
    ck_assert_int_eq(rules->header, 0);
    ck_assert_int_eq(rules->delimiter, '\t');
}
END_TEST

START_TEST(test_delimiters)
{
    static const struct {
        const char *line;
        int want;
    } cases[] = {
        {"input delimiter=,", ','},
        {"input delimiter=;", ';'},
        {"input delimiter=|", '|'},
        {"input delimiter=tab", '\t'},
        {"input delimiter=comma", ','},
        {"input delimiter=semicolon", ';'},
        {"input delimiter=pipe", '|'},
        {"input delimiter=\\t", '\t'},
        {"input delimiter=\"\\t\"", '\t'},  /* \t in "..." stays backslash-t */
        {"input delimiter='\t'", '\t'},     /* a real tab, quoted */
        {"input delimiter=\",\"", ','},
        {"input header=no delimiter=pipe", '|'},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        PARSE_OK(cases[i].line);
        ck_assert_msg(rules->delimiter == cases[i].want, "%s", cases[i].line);
    }
    ck_assert_int_eq(deid_delimiter_from_name(","), ',');
    ck_assert_int_eq(deid_delimiter_from_name("tab"), '\t');
    ck_assert_int_eq(deid_delimiter_from_name("\t"), '\t');
    ck_assert_int_eq(deid_delimiter_from_name("\\t"), '\t');
    ck_assert_int_eq(deid_delimiter_from_name("pipe"), '|');
    ck_assert_int_eq(deid_delimiter_from_name(""), 0);
    ck_assert_int_eq(deid_delimiter_from_name("x"), 0);
    ck_assert_int_eq(deid_delimiter_from_name("Tab"), 0);
    ck_assert_int_eq(deid_delimiter_from_name(",,"), 0);
    ck_assert_str_eq(rules_delimiter_name(','), ",");
    ck_assert_str_eq(rules_delimiter_name(';'), ";");
    ck_assert_str_eq(rules_delimiter_name('|'), "|");
    ck_assert_str_eq(rules_delimiter_name('\t'), "tab");
    ck_assert_str_eq(rules_delimiter_name('x'), "?");
}
END_TEST

START_TEST(test_defaults_and_on_error)
{
    PARSE_OK("default error");
    ck_assert_int_eq(rules->default_policy, RULES_DEFAULT_ERROR);
    PARSE_OK("default keep");
    ck_assert_int_eq(rules->default_policy, RULES_DEFAULT_KEEP);
    PARSE_OK("  default\tdrop  # the rest goes");
    ck_assert_int_eq(rules->default_policy, RULES_DEFAULT_DROP);
    ck_assert_str_eq(rules_default_name(RULES_DEFAULT_ERROR), "error");
    ck_assert_str_eq(rules_default_name(RULES_DEFAULT_KEEP), "keep");
    ck_assert_str_eq(rules_default_name(RULES_DEFAULT_DROP), "drop");

    PARSE_OK("column a mask\n"
             "column b mask on-error=fail\n"
             "column c mask on-error=blank\n"
             "column d mask on-error=suppress\n"
             "column e date to=year on-error=blank\n");
    ck_assert_int_eq(rules->rules[0].on_error, ON_ERROR_FAIL);
    ck_assert_int_eq(rules->rules[1].on_error, ON_ERROR_FAIL);
    ck_assert_int_eq(rules->rules[2].on_error, ON_ERROR_BLANK);
    ck_assert_int_eq(rules->rules[3].on_error, ON_ERROR_SUPPRESS);
    ck_assert_int_eq(rules->rules[4].on_error, ON_ERROR_BLANK);
    ck_assert_str_eq(rules_on_error_name(ON_ERROR_FAIL), "fail");
    ck_assert_str_eq(rules_on_error_name(ON_ERROR_BLANK), "blank");
    ck_assert_str_eq(rules_on_error_name(ON_ERROR_SUPPRESS), "suppress");
}
END_TEST

START_TEST(test_rule_order)
{
    /* rules stay in the order written, with their lines */
    PARSE_OK("key k file=k.key\n"
             "column z keep\n"
             "add m hash key=k from=z,a\n"
             "\n"
             "column a drop\n"
             "# x\n"
             "column b blank\n"
             "add n keep from=b\n");
    ck_assert_uint_eq(rules->n_rules, 5);
    static const char *names[] = {"z", "m", "a", "b", "n"};
    static const char *xf[] = {"keep", "hash", "drop", "blank", "keep"};
    static const unsigned long lines[] = {2, 3, 5, 7, 8};
    static const int adds[] = {0, 1, 0, 0, 1};
    for (size_t i = 0; i < 5; i++) {
        ck_assert_str_eq(rules->rules[i].column, names[i]);
        ck_assert_str_eq(rules->rules[i].ops->name, xf[i]);
        ck_assert_uint_eq(rules->rules[i].line, lines[i]);
        ck_assert_int_eq(rules->rules[i].is_add, adds[i]);
    }
    ck_assert_uint_eq(rules->rules[4].n_from, 1);
    ck_assert_str_eq(rules->rules[4].from[0], "b");
    /* add 1-3, n 5, keep 7-10, from= 12-16, value 17 */
    ck_assert_uint_eq(rules->rules[4].from_col, 17);
}
END_TEST

/* ======================================================================
 * deid_rules_describe
 * ====================================================================== */

#define FP_PLAN "# deid " DEID_VERSION ": compiled plan of t.rules\n"
/* lint's warning for rules that pseudonymize without a `purpose` line */
#define NO_PURPOSE_WARNING                                                                         \
    "# warning: these rules pseudonymize (hash, encrypt, fpe or token) but have no `purpose` "      \
    "line: the processing record (가명정보 처리 기록) must state the purpose\n\n"

START_TEST(test_describe)
{
    PARSE_OK("input delimiter=tab\n"
             "default drop\n"
             "key k file=k.key\n"
             "column name mask keep-first=1\n"
             "column phone hash key=k length=16 encode=hex on-error=blank\n"
             "add id hash key=k from=name,phone\n"
             "column city keep\n"
             "column memo drop\n");
    char *text = NULL;
    ck_assert_int_eq(deid_rules_describe(rules, &text, &err), DEID_OK);
    ck_assert_ptr_nonnull(text);
    /* the widest name is "phone" (5): names are padded to 6, then a space */
    ck_assert_str_eq(text,
                     FP_PLAN
                     "input    delimiter=tab header=yes\n"
                     "default  drop\n"
                     "key      k file=k.key  # fingerprint " KEY_FP "\n"
                     "\n"
                     "column   name   mask keep-first=1 keep-last=0 char=* only=all on-error=fail\n"
                     "         # 데이터 마스킹/식별자 부분삭제 (masking)\n"
                     "column   phone  hash key=k fingerprint=" KEY_FP " domain=phone"
                     " normalize=none encode=hex length=16 on-error=blank\n"
                     "         # 가명처리/암호화 (keyed hash, HMAC-SHA-256)\n"
                     "add      id     hash key=k fingerprint=" KEY_FP " domain=id"
                     " normalize=none encode=base32 length=26 from=name,phone on-error=fail\n"
                     "         # 가명처리/암호화 (keyed hash, HMAC-SHA-256)\n"
                     "column   city   keep\n"
                     "         # 원본 유지 (kept as is)\n"
                     "column   memo   drop\n"
                     "         # 데이터 삭제/식별자 삭제 (delete identifier)\n" NO_PURPOSE_WARNING);
    free(text);
}
END_TEST

START_TEST(test_describe_empty)
{
    PARSE_OK("input header=no\n");
    char *text = NULL;
    ck_assert_int_eq(deid_rules_describe(rules, &text, &err), DEID_OK);
    ck_assert_str_eq(text, FP_PLAN "input    delimiter=, header=no\n"
                           "default  error\n"
                           "\n");
    free(text);
}
END_TEST

START_TEST(test_describe_replace_quoted)
{
    /* replace's value is always shown in quotes, with " and \ escaped, so
     * that it reads back as the same value */
    PARSE_OK("column a replace value=\"say \\\"hi\\\" \\\\ ok\"\n"
             "column b replace value=plain\n");
    char *text = NULL;
    ck_assert_int_eq(deid_rules_describe(rules, &text, &err), DEID_OK);
    ck_assert_ptr_nonnull(strstr(text, "column   a  replace value=\"say \\\"hi\\\" \\\\ ok\" "));
    ck_assert_ptr_nonnull(strstr(text, "column   b  replace value=\"plain\" "));
    free(text);
}
END_TEST

START_TEST(test_describe_quoted_key)
{
    /* names that would not read back as one word are quoted */
    ck_assert_int_eq(mkdir(tpath("my keys"), 0700), 0);
    put_str("my keys/k.key", KEY_HEX "\n", 0600);
    PARSE_OK("key \"main key\" file=\"my keys/k.key\"\n"
             "column \"x \\\"y\\\"\" keep\n");
    char *text = NULL;
    ck_assert_int_eq(deid_rules_describe(rules, &text, &err), DEID_OK);
    ck_assert_str_eq(text, FP_PLAN "input    delimiter=, header=yes\n"
                                   "default  error\n"
                                   "key      \"main key\" file=\"my keys/k.key\"  # fingerprint "
                                   KEY_FP "\n"
                                   "\n"
                                   "column   \"x \\\"y\\\"\"  keep\n"
                                   "         # 원본 유지 (kept as is)\n");
    free(text);
}
END_TEST

START_TEST(test_describe_quotes_from)
{
    /* from= names with a space are quoted so the plan reads back */
    PARSE_OK("key k file=k.key\n"
             "add id hash key=k from=\"full name,phone\"\n");
    ck_assert_str_eq(rules->rules[0].from[0], "full name");
    char *text = NULL;
    ck_assert_int_eq(deid_rules_describe(rules, &text, &err), DEID_OK);
    ck_assert_str_eq(text, FP_PLAN "input    delimiter=, header=yes\n"
                                   "default  error\n"
                                   "key      k file=k.key  # fingerprint " KEY_FP "\n"
                                   "\n"
                                   "add      id  hash key=k fingerprint=" KEY_FP " domain=id"
                                   " normalize=none encode=base32 length=26"
                                   " from=\"full name,phone\" on-error=fail\n"
                                   "         # 가명처리/암호화 (keyed hash, HMAC-SHA-256)\n" NO_PURPOSE_WARNING);
    free(text);
}
END_TEST

START_TEST(test_describe_aligns_quoted_names)
{
    /* the padding counts the name as printed, quotes included, so the
     * transforms line up: "full name" is printed 11 wide, age pads to it */
    PARSE_OK("column \"full name\" keep\ncolumn age keep\n");
    char *text = NULL;
    ck_assert_int_eq(deid_rules_describe(rules, &text, &err), DEID_OK);
    ck_assert_str_eq(text, FP_PLAN "input    delimiter=, header=yes\n"
                                   "default  error\n"
                                   "\n"
                                   "column   \"full name\"  keep\n"
                                   "         # 원본 유지 (kept as is)\n"
                                   "column   age          keep\n"
                                   "         # 원본 유지 (kept as is)\n");
    free(text);
}
END_TEST

Suite *rules_suite(void); /* called by check_main.c */
Suite *rules_suite(void)
{
    Suite *s = suite_create("rules");
    TCase *tc = tcase_create("errors");
    tcase_add_unchecked_fixture(tc, make_dir, remove_dir);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_too_many_words);
    tcase_add_test(tc, test_unterminated_quote);
    tcase_add_test(tc, test_text_after_quote);
    tcase_add_test(tc, test_parameter_name_missing);
    tcase_add_test(tc, test_statement_errors);
    tcase_add_test(tc, test_input_errors);
    tcase_add_test(tc, test_input_blank_columns);
    tcase_add_test(tc, test_default_errors);
    tcase_add_test(tc, test_key_errors);
    tcase_add_test(tc, test_too_many_keys);
    tcase_add_test(tc, test_key_file_errors);
    tcase_add_test(tc, test_column_name_errors);
    tcase_add_test(tc, test_transform_errors);
    tcase_add_test(tc, test_parameter_errors);
    tcase_add_test(tc, test_transform_compile_errors);
    tcase_add_test(tc, test_add_errors);
    tcase_add_test(tc, test_header_errors);
    tcase_add_test(tc, test_nul_byte);
    tcase_add_test(tc, test_invalid_utf8);
    tcase_add_test(tc, test_line_too_long);
    tcase_add_test(tc, test_text_too_large);
    tcase_add_test(tc, test_null_error_pointer);
    suite_add_tcase(s, tc);

    tc = tcase_create("load");
    tcase_add_unchecked_fixture(tc, make_dir, remove_dir);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_load_missing);
    tcase_add_test(tc, test_load_directory);
    tcase_add_test(tc, test_load_too_large);
    tcase_add_test(tc, test_load_line_too_long);
    tcase_add_test(tc, test_load_relative_to_rules_folder);
    suite_add_tcase(s, tc);

    tc = tcase_create("compile");
    tcase_add_unchecked_fixture(tc, make_dir, remove_dir);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_full_example);
    tcase_add_test(tc, test_quoting_values);
    tcase_add_test(tc, test_comments_and_blank_lines);
    tcase_add_test(tc, test_header_no);
    tcase_add_test(tc, test_delimiters);
    tcase_add_test(tc, test_defaults_and_on_error);
    tcase_add_test(tc, test_rule_order);
    suite_add_tcase(s, tc);

    tc = tcase_create("describe");
    tcase_add_unchecked_fixture(tc, make_dir, remove_dir);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_describe);
    tcase_add_test(tc, test_describe_empty);
    tcase_add_test(tc, test_describe_quoted_key);
    tcase_add_test(tc, test_describe_replace_quoted);
    suite_add_tcase(s, tc);

    /* Behaviour found wrong while writing these tests (see the report):
     * they fail until rules.c / rules_describe.c are fixed. */
    tc = tcase_create("found_bugs");
    tcase_add_unchecked_fixture(tc, make_dir, remove_dir);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_key_never_echoed);
    tcase_add_test(tc, test_missing_at_end_ignores_comment);
    tcase_add_test(tc, test_describe_aligns_quoted_names);
    tcase_add_test(tc, test_describe_quotes_from);
    tcase_add_test(tc, test_from_quoted_columns);
    tcase_add_test(tc, test_add_one_input_transform);
    suite_add_tcase(s, tc);
    return s;
}
