/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_token.c - the `token` transform: random tokens kept in a vault
 * file. What is checked against expectations worked out here, not by
 * xf_token.c: the token shape (length, alphabet), that the characters are
 * uniform (a chi-square test that catches the 8-to-7 modulo bias), that
 * tokens are unique even where the birthday bound makes collisions
 * certain, the vault file's exact bytes (format v1 written out by hand
 * from the tokens received), its mode, the refusals (permissions,
 * symbolic link, damaged files, a held lock), sharing inside one process,
 * threads, reverse, and through the engine: saved after a successful run
 * only. Every vault lives in a mkdtemp() folder removed afterwards.
 *
 * Slow suite (about 4.5 s): the chi-square test of the token characters
 * (~3.5 s, it needs enough tokens to see a 1-in-8 bias) and the collision
 * test past the birthday bound (~0.7 s).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deid.h"
#include "transform.h"
#include "xf_rig.h"
#include "xf_token.h"
#include "scratch.h"

#define TECHNIQUE "가명처리/토큰화 (tokenization, vault kept apart)"
#define HEADER "# deid token vault v1\n"
#define NOT_OURS "is not a token of this vault"
#define GOGAEK_NFC "\xEA\xB3\xA0\xEA\xB0\x9D" /* 고객 */
#define GOGAEK_NFD "\xE1\x84\x80\xE1\x85\xA9\xE1\x84\x80\xE1\x85\xA2\xE1\x86\xA8"
#define RULES_FILE "r/t.rules"
#define RULES_LINE 7ul
#define MARKER "SECRET-VALUE-4711" /* a value that must never reach a message */

static const xf_rig_setup setup = {
    .ops = &xf_token_ops,
    .column = "id",
    .rules_file = RULES_FILE,
    .line = RULES_LINE,
    .col = 11,
    .source_line = "column id token",
    .resets_state = 1,
};

static char tmpdir[64];
static char pathbuf[4][512];
static unsigned path_turn;

static void tmp_setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/check_token.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void tmp_teardown(void)
{
    scratch_remove_tree(tmpdir);
}

/* tmpdir/name in one of four rotating buffers. */
static const char *tpath(const char *name)
{
    char *p = pathbuf[path_turn++ % 4];
    snprintf(p, sizeof pathbuf[0], "%s/%s", tmpdir, name);
    return p;
}

static void write_file(const char *name, const void *data, size_t len, mode_t mode)
{
    const char *p = tpath(name);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
    ck_assert_int_eq(fchmod(fd, mode), 0);
    ck_assert_int_eq(close(fd), 0);
}

/* The whole file (NUL-terminated, *len without it), or NULL if missing. */
static char *read_file(const char *name, size_t *len)
{
    FILE *fp = fopen(tpath(name), "rb");
    if (!fp)
        return NULL;
    char *buf = malloc(1 << 22);
    ck_assert_ptr_nonnull(buf);
    size_t n = fread(buf, 1, (1 << 22) - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static mode_t file_mode(const char *name)
{
    struct stat sb;
    ck_assert_int_eq(stat(tpath(name), &sb), 0);
    return sb.st_mode & 07777;
}

static ino_t file_inode(const char *name)
{
    struct stat sb;
    ck_assert_int_eq(stat(tpath(name), &sb), 0);
    return sb.st_ino;
}

/* Starts a token statement in tmpdir: vault=FILE plus the optional
 * length= and alphabet= (NULL: absent). Returns the column of vault=. */
static unsigned long init_vault(xf_rig *r, const char *file, const char *length,
                                const char *alphabet)
{
    xf_rig_init_dir(r, &setup, tmpdir);
    unsigned long col = xf_rig_add(r, "vault", file);
    if (length)
        xf_rig_add(r, "length", length);
    if (alphabet)
        xf_rig_add(r, "alphabet", alphabet);
    return col;
}

static void open_vault(xf_rig *r, const char *file, const char *length, const char *alphabet)
{
    init_vault(r, file, length, alphabet);
    xf_rig_compile_ok(r);
}

/* The token of value[0..len) into tok (room for 65). */
static void token_of_bytes(const xf_rig *r, const char *value, size_t len, char *tok)
{
    dbuf out;
    dbuf_init(&out, 1024);
    const char *why = NULL;
    xf_value v = {value, len};
    ck_assert_int_eq(r->ops->apply(r->state, &v, 1, &out, &why), XF_OK);
    ck_assert_ptr_null(why);
    ck_assert_uint_le(out.len, 64);
    memcpy(tok, out.data, out.len);
    tok[out.len] = '\0';
    dbuf_free(&out);
}

static void token_of(const xf_rig *r, const char *value, char *tok)
{
    token_of_bytes(r, value, strlen(value), tok);
}

/* reverse(tok) must give want[0..want_len). */
static void expect_reverse(const xf_rig *r, const char *tok, const char *want, size_t want_len)
{
    dbuf out;
    dbuf_init(&out, 1024);
    const char *why = NULL;
    xf_value v = {tok, strlen(tok)};
    ck_assert_int_eq(r->ops->reverse(r->state, &v, 1, &out, &why), XF_OK);
    ck_assert_uint_eq(out.len, want_len);
    ck_assert(want_len == 0 || memcmp(out.data, want, want_len) == 0);
    dbuf_free(&out);
}

static void commit_ok(const xf_rig *r)
{
    deid_error e;
    memset(&e, 0, sizeof e);
    ck_assert_int_eq(r->ops->commit(r->state, &e), DEID_OK);
}

static int all_from(const char *s, const char *alphabet)
{
    return s[strspn(s, alphabet)] == '\0';
}

#define ALNUM "0123456789abcdefghijklmnopqrstuvwxyz"
#define DIGITS "0123456789"

/* ---- registration and parameters ---- */

START_TEST(registration)
{
    xf_rig_expect_registered(&xf_token_ops, "token", TECHNIQUE,
                             XF_PSEUDONYMIZES | XF_SIDE_FILE_IS_VAULT);
    ck_assert_ptr_nonnull(xf_token_ops.reverse);
    ck_assert_ptr_nonnull(xf_token_ops.commit);
    ck_assert_ptr_nonnull(xf_token_ops.describe);
}
END_TEST

START_TEST(parameter_errors)
{
    xf_rig r;
    xf_rig_init_dir(&r, &setup, tmpdir);
    xf_rig_expect_rules_message(&r, xf_rig_compile(&r), 11,
                                "token needs vault=FILE (the file of value,token pairs, kept "
                                "apart from the output)");
    unsigned long col;
    xf_rig_init_dir(&r, &setup, tmpdir);
    col = xf_rig_add(&r, "vault", "");
    xf_rig_expect_rules_message(&r, xf_rig_compile(&r), col, "vault= is empty");

    static const char *const bad_len[][2] = {
        {"7", "length=7 is out of range (8 to 64)"},
        {"65", "length=65 is out of range (8 to 64)"},
        {"0", "length=0 is out of range (8 to 64)"},
        {"16x", "length=16x is not a whole number"},
        {"-16", "length=-16 is not a whole number"},
    };
    for (size_t i = 0; i < sizeof bad_len / sizeof bad_len[0]; i++) {
        xf_rig_init_dir(&r, &setup, tmpdir);
        xf_rig_add(&r, "vault", "v.csv");
        col = xf_rig_add(&r, "length", bad_len[i][0]);
        xf_rig_expect_rules_message(&r, xf_rig_compile(&r), col, bad_len[i][1]);
    }
    xf_rig_init_dir(&r, &setup, tmpdir);
    xf_rig_add(&r, "vault", "v.csv");
    col = xf_rig_add(&r, "alphabet", "hex");
    xf_rig_expect_rules_message(&r, xf_rig_compile(&r), col,
                                "alphabet=hex is not alnum (0-9a-z) or digits (0-9)");
    /* A parameter error comes before the vault is touched. */
    ck_assert_int_ne(access(tpath("v.csv.lock"), F_OK), 0);

    /* Unknown parameters are left for the rules parser to report. */
    init_vault(&r, "v.csv", "8", "digits");
    xf_rig_add(&r, "key", "k");
    xf_rig_compile_ok(&r);
    xf_rig_expect_used(&r, "1110");
    xf_rig_expect_describe(&r, "vault=v.csv length=8 alphabet=digits tokens=0");
    xf_rig_done(&r);
}
END_TEST

/* ---- tokens ---- */

START_TEST(fresh_vault)
{
    xf_rig r;
    open_vault(&r, "v.csv", NULL, NULL);
    xf_rig_expect_describe(&r, "vault=v.csv length=16 alphabet=alnum tokens=0");
    /* The lock file exists at once, 0600; the vault only after commit. */
    ck_assert_uint_eq(file_mode("v.csv.lock"), 0600);
    ck_assert_int_ne(access(tpath("v.csv"), F_OK), 0);

    char a[65], a2[65], b[65], c[65];
    token_of(&r, "A1", a);
    token_of(&r, "B2", b);
    token_of(&r, "A1", a2);
    token_of(&r, "a1", c);
    ck_assert_uint_eq(strlen(a), 16);
    ck_assert_uint_eq(strlen(b), 16);
    ck_assert(all_from(a, ALNUM) && all_from(b, ALNUM) && all_from(c, ALNUM));
    ck_assert_str_eq(a, a2);
    ck_assert_str_ne(a, b);
    ck_assert_str_ne(a, c);
    ck_assert_str_ne(b, c);
    xf_rig_expect_describe(&r, "vault=v.csv length=16 alphabet=alnum tokens=3");
    ck_assert_int_ne(access(tpath("v.csv"), F_OK), 0);

    commit_ok(&r);
    char want[256];
    snprintf(want, sizeof want, HEADER "A1,%s\nB2,%s\na1,%s\n", a, b, c);
    char *got = read_file("v.csv", NULL);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    free(got);
    ck_assert_uint_eq(file_mode("v.csv"), 0600);
    /* No temporary file is left beside it. */
    ck_assert_int_ne(access(tpath(".v.csv.deid-XXXXXX"), F_OK), 0);
    xf_rig_done(&r);
}
END_TEST

START_TEST(across_runs)
{
    char a[65], b[65], c[65], t[65];
    xf_rig r;
    open_vault(&r, "v.csv", NULL, NULL);
    token_of(&r, "A1", a);
    token_of(&r, "B2", b);
    commit_ok(&r);
    xf_rig_done(&r);
    size_t len1;
    char *first = read_file("v.csv", &len1);
    ino_t ino1 = file_inode("v.csv");

    /* Run 2: old values keep their tokens; nothing new, nothing written. */
    open_vault(&r, "v.csv", NULL, NULL);
    xf_rig_expect_describe(&r, "vault=v.csv length=16 alphabet=alnum tokens=2");
    token_of(&r, "B2", t);
    ck_assert_str_eq(t, b);
    token_of(&r, "A1", t);
    ck_assert_str_eq(t, a);
    commit_ok(&r);
    ck_assert_uint_eq(file_inode("v.csv"), ino1);
    xf_rig_done(&r);

    /* Run 3 with another length: old tokens stay as they are, and the
     * vault grows by exactly the new pair. */
    open_vault(&r, "v.csv", "10", "digits");
    token_of(&r, "A1", t);
    ck_assert_str_eq(t, a);
    token_of(&r, "C3", c);
    ck_assert_uint_eq(strlen(c), 10);
    ck_assert(all_from(c, DIGITS));
    commit_ok(&r);
    ck_assert_uint_ne(file_inode("v.csv"), ino1);
    commit_ok(&r); /* a second commit has nothing to add */
    xf_rig_done(&r);
    size_t len2;
    char *second = read_file("v.csv", &len2);
    char tail[64];
    snprintf(tail, sizeof tail, "C3,%s\n", c);
    ck_assert_uint_eq(len2, len1 + strlen(tail));
    ck_assert(memcmp(second, first, len1) == 0);
    ck_assert_str_eq(second + len1, tail);
    ck_assert_uint_eq(file_mode("v.csv"), 0600);
    free(first);
    free(second);
}
END_TEST

START_TEST(no_commit_leaves_vault)
{
    char a[65], t[65];
    xf_rig r;
    open_vault(&r, "v.csv", NULL, NULL);
    token_of(&r, "A1", a);
    xf_rig_done(&r); /* never committed: nothing was written */
    ck_assert_int_ne(access(tpath("v.csv"), F_OK), 0);

    open_vault(&r, "v.csv", NULL, NULL);
    token_of(&r, "A1", a);
    commit_ok(&r);
    xf_rig_done(&r);
    size_t len1;
    char *before = read_file("v.csv", &len1);

    open_vault(&r, "v.csv", NULL, NULL);
    token_of(&r, "B2", t);
    token_of(&r, "C3", t);
    xf_rig_done(&r);
    size_t len2;
    char *after = read_file("v.csv", &len2);
    ck_assert_uint_eq(len1, len2);
    ck_assert(memcmp(before, after, len1) == 0);
    free(before);
    free(after);
}
END_TEST

START_TEST(length_and_alphabet)
{
    char t[65];
    xf_rig r;
    open_vault(&r, "d.csv", "8", "digits");
    token_of(&r, "x", t);
    ck_assert_uint_eq(strlen(t), 8);
    ck_assert(all_from(t, DIGITS));
    xf_rig_done(&r);
    open_vault(&r, "l.csv", "64", "alnum");
    token_of(&r, "x", t);
    ck_assert_uint_eq(strlen(t), 64);
    ck_assert(all_from(t, ALNUM));
    xf_rig_expect_describe(&r, "vault=l.csv length=64 alphabet=alnum tokens=1");
    xf_rig_done(&r);
}
END_TEST

/* Pearson's chi-square of the characters of n tokens against uniform. */
static double chi_square(const xf_rig *r, size_t n, const char *alphabet)
{
    size_t k = strlen(alphabet);
    double count[64] = {0};
    double total = 0;
    char value[32], t[65];
    for (size_t i = 0; i < n; i++) {
        snprintf(value, sizeof value, "v%zu", i);
        token_of(r, value, t);
        for (const char *c = t; *c; c++) {
            const char *at = strchr(alphabet, *c);
            ck_assert_ptr_nonnull(at);
            count[at - alphabet]++;
            total++;
        }
    }
    double expect = total / (double)k, chi = 0;
    for (size_t i = 0; i < k; i++)
        chi += (count[i] - expect) * (count[i] - expect) / expect;
    return chi;
}

START_TEST(characters_uniform)
{
    /* alnum, 320,000 characters, 35 degrees of freedom: uniform gives
     * about 35 (P(> 100) < 1e-7); taking byte % 36 without rejection
     * gives 0-3 a share of 8/256 and a statistic near 620. */
    xf_rig r;
    open_vault(&r, "a.csv", NULL, NULL);
    double chi = chi_square(&r, 20000, ALNUM);
    ck_assert_msg(chi < 100.0, "alnum chi-square %.1f", chi);
    xf_rig_done(&r);
    /* digits, 640,000 characters, 9 degrees of freedom: uniform about 9
     * (P(> 45) < 1e-6); byte % 10 gives about 230. */
    open_vault(&r, "d.csv", NULL, "digits");
    chi = chi_square(&r, 40000, DIGITS);
    ck_assert_msg(chi < 45.0, "digits chi-square %.1f", chi);
    xf_rig_done(&r);
}
END_TEST

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(unique_despite_collisions)
{
    /* 50,000 tokens of 8 digits: the birthday bound expects about 12.5
     * draws that hit a token already given, so without the check some
     * two values would share a token almost surely. */
    enum { N = 50000 };
    xf_rig r;
    open_vault(&r, "u.csv", "8", "digits");
    char **tokens = calloc(N, sizeof *tokens);
    ck_assert_ptr_nonnull(tokens);
    char value[32];
    for (size_t i = 0; i < N; i++) {
        tokens[i] = malloc(65);
        ck_assert_ptr_nonnull(tokens[i]);
        snprintf(value, sizeof value, "%zu", i);
        token_of(&r, value, tokens[i]);
    }
    /* reverse maps every token back to its own value */
    for (size_t i = 0; i < N; i += 997) {
        snprintf(value, sizeof value, "%zu", i);
        expect_reverse(&r, tokens[i], value, strlen(value));
    }
    qsort(tokens, N, sizeof *tokens, cmp_str);
    for (size_t i = 1; i < N; i++)
        ck_assert_str_ne(tokens[i - 1], tokens[i]);
    for (size_t i = 0; i < N; i++)
        free(tokens[i]);
    free(tokens);
    xf_rig_done(&r);
}
END_TEST

START_TEST(reverse_and_bad_values)
{
    char a[65], t[65], u[65];
    xf_rig r;
    open_vault(&r, "v.csv", NULL, NULL);
    token_of(&r, "A1", a);
    expect_reverse(&r, a, "A1", 2);

    dbuf out;
    dbuf_init(&out, 1024);
    const char *why = NULL;
    static const char *const unknown[] = {"0000000000000000", "A1", "", "zzzz"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        xf_value v = {unknown[i], strlen(unknown[i])};
        why = NULL;
        ck_assert_int_eq(r.ops->reverse(r.state, &v, 1, &out, &why), XF_BAD_VALUE);
        ck_assert_str_eq(why, NOT_OURS);
        ck_assert_uint_eq(out.len, 0);
    }
    dbuf_free(&out);

    /* NFD and NFC spellings share one token; reverse gives NFC. */
    token_of(&r, GOGAEK_NFD, t);
    token_of(&r, GOGAEK_NFC, u);
    ck_assert_str_eq(t, u);
    expect_reverse(&r, t, GOGAEK_NFC, strlen(GOGAEK_NFC));
    xf_rig_expect_describe(&r, "vault=v.csv length=16 alphabet=alnum tokens=2");

    xf_rig_expect_bad(&r, "\xff\xfe", "is not valid UTF-8");
    xf_rig_expect_bad(&r, "ok\xed\xa0\x80", "is not valid UTF-8"); /* a surrogate */
    xf_rig_expect_bad_bytes(&r, "", 0, "is empty");
    xf_rig_expect_describe(&r, "vault=v.csv length=16 alphabet=alnum tokens=2");
    xf_rig_done(&r);
}
END_TEST

START_TEST(quoting_round_trip)
{
    static const char nul_value[] = "a\0b";
    static const char *const values[] = {"a,b", "say \"hi\"", "l1\nl2", "cr\r", " pad "};
    enum { NV = sizeof values / sizeof values[0] };
    char tok[NV + 1][65];
    xf_rig r;
    open_vault(&r, "q.csv", NULL, NULL);
    for (size_t i = 0; i < NV; i++)
        token_of(&r, values[i], tok[i]);
    token_of_bytes(&r, nul_value, 3, tok[NV]);
    commit_ok(&r);
    xf_rig_done(&r);

    char want[1024];
    int n = snprintf(want, sizeof want,
                     HEADER "\"a,b\",%s\n\"say \"\"hi\"\"\",%s\n\"l1\nl2\",%s\n\"cr\r\",%s\n"
                            " pad ,%s\na",
                     tok[0], tok[1], tok[2], tok[3], tok[4]);
    ck_assert(n > 0);
    size_t want_len = (size_t)n;
    want[want_len++] = '\0';
    want_len += (size_t)snprintf(want + want_len, sizeof want - want_len, "b,%s\n", tok[5]);
    size_t len;
    char *got = read_file("q.csv", &len);
    ck_assert_uint_eq(len, want_len);
    ck_assert(memcmp(got, want, len) == 0);
    free(got);

    /* Read back: the same tokens, and reverse gives the bytes exactly. */
    open_vault(&r, "q.csv", NULL, NULL);
    xf_rig_expect_describe(&r, "vault=q.csv length=16 alphabet=alnum tokens=6");
    char t[65];
    for (size_t i = 0; i < NV; i++) {
        token_of(&r, values[i], t);
        ck_assert_str_eq(t, tok[i]);
        expect_reverse(&r, tok[i], values[i], strlen(values[i]));
    }
    token_of_bytes(&r, nul_value, 3, t);
    ck_assert_str_eq(t, tok[NV]);
    expect_reverse(&r, tok[NV], nul_value, 3);
    xf_rig_done(&r);
}
END_TEST

/* ---- custody: mode, type, file errors, lock ---- */

/* vault=FILE must fail with status want_st and exactly message msg at the
 * column of vault=. */
static void expect_vault_error(const char *file, deid_status want_st, const char *msg)
{
    xf_rig r;
    unsigned long col = init_vault(&r, file, NULL, NULL);
    deid_status st = xf_rig_compile(&r);
    if (want_st == DEID_E_RULES) {
        xf_rig_expect_rules_message(&r, st, col, msg);
    } else {
        ck_assert_int_eq(st, want_st);
        ck_assert_int_eq(r.err.status, want_st);
        ck_assert_ptr_null(r.state);
        ck_assert_uint_eq(r.err.line, RULES_LINE);
        ck_assert_uint_eq(r.err.column, col);
        ck_assert_str_eq(r.err.message, msg);
    }
    ck_assert_ptr_null(strstr(r.err.message, MARKER));
    ck_assert_ptr_null(strstr(r.err.source_line, MARKER));
}

START_TEST(mode_and_type)
{
    static const char body[] = HEADER "x,abc\n";
    char msg[1024];
    static const struct {
        mode_t mode;
        const char *what;
    } modes[] = {{0644, "readable"}, {0640, "readable"}, {0604, "readable"},
                 {0620, "writable"}, {0602, "writable"}, {0601, "accessible"},
                 {0610, "accessible"}};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        write_file("m.csv", body, sizeof body - 1, modes[i].mode);
        snprintf(msg, sizeof msg,
                 "token vault %s is %s by group or others; run: chmod 600 %s", tpath("m.csv"),
                 modes[i].what, tpath("m.csv"));
        expect_vault_error("m.csv", DEID_E_RULES, msg);
    }
    write_file("m.csv", body, sizeof body - 1, 0600);
    xf_rig r;
    open_vault(&r, "m.csv", NULL, NULL);
    xf_rig_expect_describe(&r, "vault=m.csv length=16 alphabet=alnum tokens=1");
    xf_rig_done(&r);
    write_file("m.csv", body, sizeof body - 1, 0400); /* read-only to the owner is fine */
    open_vault(&r, "m.csv", NULL, NULL);
    xf_rig_done(&r);

    ck_assert_int_eq(mkdir(tpath("dir.csv"), 0700), 0);
    snprintf(msg, sizeof msg, "token vault %s is a directory", tpath("dir.csv"));
    expect_vault_error("dir.csv", DEID_E_RULES, msg);

    ck_assert_int_eq(symlink("m.csv", tpath("link.csv")), 0);
    snprintf(msg, sizeof msg,
             "token vault %s is a symbolic link; name the file itself (a run replaces the vault)",
             tpath("link.csv"));
    expect_vault_error("link.csv", DEID_E_RULES, msg);

    snprintf(msg, sizeof msg,
             "cannot open the lock file %s of token vault %s: No such file or directory",
             tpath("no/such.csv.lock"), tpath("no/such.csv"));
    expect_vault_error("no/such.csv", DEID_E_IO, msg);
}
END_TEST

START_TEST(damaged_files)
{
    static const struct {
        const char *body;
        const char *msg; /* after "token vault PATH:" */
    } cases[] = {
        {"# deid token vault v2\n", "1: not a token vault: the first line must be \"# deid token vault v1\""},
        {MARKER ",abc\n", "1: not a token vault: the first line must be \"# deid token vault v1\""},
        {HEADER "a,abc\n" MARKER ",abd,x\n", "3: has 3 fields; a vault row is: value,token"},
        {HEADER MARKER "\n", "2: has 1 field; a vault row is: value,token"},
        {HEADER ",abc\n", "2: the value (first field) is empty"},
        {HEADER MARKER ",\n", "2: the token (second field) is not 1 to 64 characters of 0-9 and a-z"},
        {HEADER MARKER ",ABC\n", "2: the token (second field) is not 1 to 64 characters of 0-9 and a-z"},
        {HEADER MARKER ",a-b\n", "2: the token (second field) is not 1 to 64 characters of 0-9 and a-z"},
        {HEADER MARKER ",0123456789012345678901234567890123456789012345678901234567890123456789\n",
         "2: the token (second field) is not 1 to 64 characters of 0-9 and a-z"},
        {HEADER MARKER ",abc\nb,abd\n" MARKER ",abe\n", "4: its value is on an earlier line too"},
        {HEADER MARKER ",abc\n\"b\nc\",abd\nd,abc\n",
         "5: its token is on an earlier line too (two values would share it)"},
        {HEADER "\"" MARKER ",abc\n", "2: unterminated quoted field starting on line 2"},
    };
    char msg[1024];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_file("bad.csv", cases[i].body, strlen(cases[i].body), 0600);
        xf_rig r;
        unsigned long col = init_vault(&r, "bad.csv", NULL, NULL);
        deid_status st = xf_rig_compile(&r);
        snprintf(msg, sizeof msg, "token vault %s:%s", tpath("bad.csv"), cases[i].msg);
        ck_assert_msg(st == DEID_E_RULES, "case %zu: status %d", i, st);
        ck_assert_ptr_null(r.state);
        ck_assert_uint_eq(r.err.column, col);
        ck_assert_str_eq(r.err.message, msg);
        ck_assert_ptr_null(strstr(r.err.message, MARKER));
    }
    /* A vault of 0 bytes, or a header alone, is an empty vault. */
    static const char *const empty[] = {"", HEADER, HEADER "\n\n", "\xEF\xBB\xBF" HEADER};
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
        write_file("e.csv", empty[i], strlen(empty[i]), 0600);
        xf_rig r;
        open_vault(&r, "e.csv", NULL, NULL);
        xf_rig_expect_describe(&r, "vault=e.csv length=16 alphabet=alnum tokens=0");
        xf_rig_done(&r);
    }
    /* Blank lines only: not empty, not a vault. */
    write_file("e.csv", "\n\n", 2, 0600);
    snprintf(msg, sizeof msg, "token vault %s: not a token vault (no \"# deid token vault v1\" line)",
             tpath("e.csv"));
    expect_vault_error("e.csv", DEID_E_RULES, msg);
    /* CRLF line ends are read too. */
    write_file("c.csv", "# deid token vault v1\r\nk,abc\r\n", 30, 0600);
    xf_rig r;
    open_vault(&r, "c.csv", NULL, NULL);
    expect_reverse(&r, "abc", "k", 1);
    char t[65];
    token_of(&r, "k", t);
    ck_assert_str_eq(t, "abc");
    xf_rig_done(&r);
}
END_TEST

/* 1 if another open file description can take the lock on name now. */
static int can_lock(const char *name)
{
    int fd = open(tpath(name), O_RDONLY);
    ck_assert_int_ge(fd, 0);
    int ok = flock(fd, LOCK_EX | LOCK_NB) == 0;
    if (!ok)
        ck_assert_int_eq(errno, EWOULDBLOCK);
    close(fd);
    return ok;
}

START_TEST(lock_held_by_another)
{
    /* Another run holding the lock: flock locks belong to an open file
     * description, so this second open in the same process conflicts
     * exactly as another process would. */
    int fd = open(tpath("v.csv.lock"), O_RDONLY | O_CREAT, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
    char msg[1024];
    snprintf(msg, sizeof msg, "token vault %s is in use by another run (its lock file %s is held)",
             tpath("v.csv"), tpath("v.csv.lock"));
    expect_vault_error("v.csv", DEID_E_IO, msg);
    close(fd);

    /* Released: the vault opens, and holds the lock until it is freed. */
    xf_rig r;
    open_vault(&r, "v.csv", NULL, NULL);
    ck_assert(!can_lock("v.csv.lock"));
    char t[65];
    token_of(&r, "A1", t);
    commit_ok(&r);
    ck_assert(!can_lock("v.csv.lock")); /* the rename does not touch the lock */
    xf_rig_done(&r);
    ck_assert(can_lock("v.csv.lock"));
    ck_assert_uint_eq(file_mode("v.csv.lock"), 0600);

    /* A failed compile (bad vault) releases the lock too. */
    write_file("v.csv", "junk\n", 5, 0600);
    snprintf(msg, sizeof msg,
             "token vault %s:1: not a token vault: the first line must be \"# deid token vault v1\"",
             tpath("v.csv"));
    expect_vault_error("v.csv", DEID_E_RULES, msg);
    ck_assert(can_lock("v.csv.lock"));
}
END_TEST

START_TEST(shared_in_one_process)
{
    /* Two rules on one vault (named two ways) share it: one lock, one
     * token per value, and either commit saves both's pairs. */
    xf_rig r1, r2;
    open_vault(&r1, "v.csv", NULL, NULL);
    char abs_name[600];
    snprintf(abs_name, sizeof abs_name, "%s/./v.csv", tmpdir);
    open_vault(&r2, abs_name, "8", "digits");
    char a1[65], a2[65], b[65];
    token_of(&r1, "A1", a1);
    token_of(&r2, "A1", a2);
    ck_assert_str_eq(a1, a2);
    token_of(&r2, "B2", b);
    ck_assert_uint_eq(strlen(b), 8);
    expect_reverse(&r1, b, "B2", 2);
    xf_rig_expect_describe(&r1, "vault=v.csv length=16 alphabet=alnum tokens=2");
    commit_ok(&r2);
    commit_ok(&r1);
    xf_rig_done(&r1);
    ck_assert(!can_lock("v.csv.lock")); /* r2 still holds it */
    char want[256];
    snprintf(want, sizeof want, HEADER "A1,%s\nB2,%s\n", a1, b);
    char *got = read_file("v.csv", NULL);
    ck_assert_str_eq(got, want);
    free(got);
    xf_rig_done(&r2);
    ck_assert(can_lock("v.csv.lock"));
}
END_TEST

START_TEST(commit_failure)
{
    ck_assert_int_eq(mkdir(tpath("sub"), 0700), 0);
    xf_rig r;
    open_vault(&r, "sub/v.csv", NULL, NULL);
    char t[65];
    token_of(&r, "A1", t);
    /* The folder goes away: the new vault cannot be written. */
    ck_assert_int_eq(unlink(tpath("sub/v.csv.lock")), 0);
    ck_assert_int_eq(rmdir(tpath("sub")), 0);
    deid_error e;
    memset(&e, 0, sizeof e);
    ck_assert_int_eq(r.ops->commit(r.state, &e), DEID_E_IO);
    ck_assert_int_eq(e.status, DEID_E_IO);
    ck_assert_ptr_nonnull(strstr(e.message, "sub/v.csv"));
    ck_assert_ptr_null(strstr(e.message, "A1"));
    xf_rig_done(&r);
}
END_TEST

/* The save goes through the fixed temporary name .v.csv.deid-vault-save,
 * announced to the program's temp-file hooks (so that a signal handler
 * removes it), and one that a killed save left is removed when the vault
 * is opened (issue 12 finding 8). */
typedef struct temp_calls {
    char created[512], removed[512];
    int n_created, n_removed;
} temp_calls;

static int note_created(void *ctx, const char *path)
{
    temp_calls *c = ctx;
    c->n_created++;
    snprintf(c->created, sizeof c->created, "%s", path);
    return 0;
}

static void note_removed(void *ctx, const char *path)
{
    temp_calls *c = ctx;
    c->n_removed++;
    snprintf(c->removed, sizeof c->removed, "%s", path);
}

START_TEST(save_temp_announced_and_leftover_removed)
{
    temp_calls calls;
    memset(&calls, 0, sizeof calls);
    deid_set_temp_hooks(note_created, note_removed, &calls);
    /* A killed save's leftover: raw pairs under the save's name. */
    static const char leftover[] = HEADER "secret,abcdefgh12345678\n";
    write_file(".v.csv.deid-vault-save", leftover, sizeof leftover - 1, 0600);
    xf_rig r;
    open_vault(&r, "v.csv", NULL, NULL);
    ck_assert_int_ne(access(tpath(".v.csv.deid-vault-save"), F_OK), 0);
    xf_rig_expect_describe(&r, "vault=v.csv length=16 alphabet=alnum tokens=0");
    char t[65];
    token_of(&r, "A1", t);
    commit_ok(&r);
    char want[512];
    snprintf(want, sizeof want, "%s", tpath(".v.csv.deid-vault-save"));
    ck_assert_int_eq(calls.n_created, 1);
    ck_assert_int_eq(calls.n_removed, 1);
    ck_assert_str_eq(calls.created, want);
    ck_assert_str_eq(calls.removed, want);
    ck_assert_int_ne(access(want, F_OK), 0);
    /* One in the way at save time (it could not be removed at open) makes
     * the save refuse rather than write through it. */
    token_of(&r, "B2", t);
    write_file(".v.csv.deid-vault-save", "x", 1, 0600);
    deid_error e;
    memset(&e, 0, sizeof e);
    ck_assert_int_eq(r.ops->commit(r.state, &e), DEID_E_IO);
    ck_assert_ptr_nonnull(strstr(e.message, "unfinished save"));
    xf_rig_done(&r);
    deid_set_temp_hooks(NULL, NULL, NULL);
}
END_TEST

/* ---- threads ---- */

enum { THREADS = 8, VALUES = 400, ROUNDS = 3 };

typedef struct thread_job {
    const xf_rig *r;
    unsigned seed;
    char tokens[VALUES][17];
    int failed;
} thread_job;

static void *thread_main(void *arg)
{
    thread_job *j = arg;
    for (int round = 0; round < ROUNDS; round++)
        for (unsigned k = 0; k < VALUES; k++) {
            unsigned i = (k * 7919u + j->seed * 131u) % VALUES; /* each thread its own order */
            char value[16];
            snprintf(value, sizeof value, "value-%u", i);
            dbuf out;
            dbuf_init(&out, 64);
            const char *why = NULL;
            xf_value v = {value, strlen(value)};
            if (j->r->ops->apply(j->r->state, &v, 1, &out, &why) != XF_OK || out.len != 16) {
                j->failed = 1;
            } else if (round == 0) {
                memcpy(j->tokens[i], out.data, 16);
            } else if (memcmp(j->tokens[i], out.data, 16) != 0) {
                j->failed = 1;
            }
            dbuf_free(&out);
        }
    return NULL;
}

START_TEST(threads_agree)
{
    xf_rig r;
    open_vault(&r, "t.csv", NULL, NULL);
    static thread_job jobs[THREADS];
    pthread_t th[THREADS];
    for (unsigned t = 0; t < THREADS; t++) {
        memset(&jobs[t], 0, sizeof jobs[t]);
        jobs[t].r = &r;
        jobs[t].seed = t + 1;
        ck_assert_int_eq(pthread_create(&th[t], NULL, thread_main, &jobs[t]), 0);
    }
    for (unsigned t = 0; t < THREADS; t++)
        ck_assert_int_eq(pthread_join(th[t], NULL), 0);
    for (unsigned t = 0; t < THREADS; t++) {
        ck_assert(!jobs[t].failed);
        for (unsigned i = 0; i < VALUES; i++)
            ck_assert(memcmp(jobs[t].tokens[i], jobs[0].tokens[i], 16) == 0);
    }
    char *sorted[VALUES];
    for (unsigned i = 0; i < VALUES; i++)
        sorted[i] = jobs[0].tokens[i];
    qsort(sorted, VALUES, sizeof *sorted, cmp_str);
    for (unsigned i = 1; i < VALUES; i++)
        ck_assert_str_ne(sorted[i - 1], sorted[i]);
    xf_rig_expect_describe(&r, "vault=t.csv length=16 alphabet=alnum tokens=400");
    xf_rig_done(&r);
}
END_TEST

/* ---- through the engine ---- */

/* Runs rules (base dir tmpdir) over input; returns the status and puts the
 * output in out (room for cap). */
static deid_status run_job(const char *rules_text, const char *input, int reverse, char *out,
                           size_t cap)
{
    deid_error e;
    deid_rules *rules = NULL;
    deid_status st = deid_rules_parse(rules_text, strlen(rules_text), "t.rules", tmpdir, &rules,
                                      &e);
    ck_assert_msg(st == DEID_OK, "rules: %s", e.message);
    deid_job_options o = {0};
    o.reverse = reverse;
    deid_job *job = NULL;
    ck_assert_int_eq(deid_job_new(rules, &o, &job, &e), DEID_OK);
    size_t got = 0;
    st = deid_job_begin_input(job, "in", &e);
    if (!st)
        st = deid_job_write(job, input, strlen(input), &e);
    got += deid_job_read(job, out + got, cap - 1 - got);
    if (!st)
        st = deid_job_end_input(job, &e);
    if (!st)
        st = deid_job_finish(job, &e);
    got += deid_job_read(job, out + got, cap - 1 - got);
    out[got] = '\0';
    if (st)
        ck_assert_ptr_null(strstr(e.message, "A1"));
    deid_job_free(job);
    deid_rules_free(rules);
    return st;
}

START_TEST(engine_saves_after_success_only)
{
    static const char rules[] = "column id token vault=v.csv\ncolumn x keep\n";
    char out[4096], back[4096];
    ck_assert_int_eq(run_job(rules, "id,x\nA1,1\nB2,2\nA1,3\n", 0, out, sizeof out), DEID_OK);
    char a[17], b[17], a2[17];
    ck_assert_int_eq(sscanf(out, "id,x\n%16[0-9a-z],1\n%16[0-9a-z],2\n%16[0-9a-z],3\n", a, b, a2),
                     3);
    ck_assert_str_eq(a, a2);
    ck_assert_str_ne(a, b);
    char want[256];
    snprintf(want, sizeof want, HEADER "A1,%s\nB2,%s\n", a, b);
    size_t len1;
    char *saved = read_file("v.csv", &len1);
    ck_assert_str_eq(saved, want);

    /* A run that fails at its third record saves nothing, although C3
     * got a token before the failure. */
    ck_assert_int_eq(run_job(rules, "id,x\nC3,1\nA1,2\nD4\n", 0, out, sizeof out), DEID_E_DATA);
    size_t len2;
    char *after = read_file("v.csv", &len2);
    ck_assert_str_eq(after, saved);
    free(after);

    /* deid reverse restores the column and writes nothing new. */
    char tokens_in[256];
    snprintf(tokens_in, sizeof tokens_in, "id,x\n%s,1\n%s,2\n", b, a);
    ck_assert_int_eq(run_job(rules, tokens_in, 1, back, sizeof back), DEID_OK);
    ck_assert_str_eq(back, "id,x\nB2,1\nA1,2\n");
    snprintf(tokens_in, sizeof tokens_in, "id,x\n%s,1\nzzzzzzzzzzzzzzzz,2\n", b);
    ck_assert_int_eq(run_job(rules, tokens_in, 1, back, sizeof back), DEID_E_DATA);
    after = read_file("v.csv", &len2);
    ck_assert_str_eq(after, saved);
    free(after);
    free(saved);
}
END_TEST

Suite *token_suite(void); /* called by check_main.c */
Suite *token_suite(void)
{
    Suite *s = suite_create("token");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, registration);
    tcase_add_test(tc, parameter_errors);
    tcase_add_test(tc, fresh_vault);
    tcase_add_test(tc, across_runs);
    tcase_add_test(tc, no_commit_leaves_vault);
    tcase_add_test(tc, length_and_alphabet);
    tcase_add_test(tc, characters_uniform);
    tcase_add_test(tc, unique_despite_collisions);
    tcase_add_test(tc, reverse_and_bad_values);
    tcase_add_test(tc, quoting_round_trip);
    tcase_add_test(tc, mode_and_type);
    tcase_add_test(tc, damaged_files);
    tcase_add_test(tc, lock_held_by_another);
    tcase_add_test(tc, shared_in_one_process);
    tcase_add_test(tc, commit_failure);
    tcase_add_test(tc, save_temp_announced_and_leftover_removed);
    tcase_add_test(tc, threads_agree);
    tcase_add_test(tc, engine_saves_after_success_only);
    suite_add_tcase(s, tc);
    return s;
}
