/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_hierarchy.c - `hierarchy file=F level=N|auto`: ARX hierarchy files
 * (tests/unit/data/hierarchy/ and the ARX Adult age hierarchy), lookups
 * at every level, every load error with its rules location, and the
 * level=auto ladder (levels, apply_level, domain_size, domain_count; the
 * counts are worked out by hand and by reading the file independently).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transform.h"
#include "xf_rig.h"

/* Named here so that the linker pulls xf_hierarchy.o out of libdeid.a: the
 * table in transform.c only holds weak references. */
extern const transform_ops xf_hierarchy_ops;

#define DATA "tests/unit/data"
#define ARX_AGE "/work/shared/data/arx/adult/adult_hierarchy_age.csv"
#define RULES_FILE "rules/test.rules"
#define RULES_LINE 7ul

/* The statement "age: hierarchy NAME=VALUE ..." on line RULES_LINE of
 * RULES_FILE; parameters are appended to the line by xf_rig_add. */
static const xf_rig_setup setup = {
    .ops = &xf_hierarchy_ops,
    .column = "age",
    .rules_file = RULES_FILE,
    .line = RULES_LINE,
    .col = 6,
    .source_line = "age: hierarchy",
};

/* Compiles file=FILE level=LEVEL against base_dir into r; must succeed. */
static void load(xf_rig *r, const char *base_dir, const char *file, const char *level)
{
    xf_rig_init_dir(r, &setup, base_dir);
    xf_rig_add(r, "file", file);
    xf_rig_add(r, "level", level);
    xf_rig_compile_ok(r);
}

static void expect_missing(const xf_rig *r, const char *value, size_t len)
{
    xf_rig_expect_bad_bytes(r, value, len, "is not in the hierarchy");
}

/* Compiles file=FILE level=LEVEL; must fail as a rules error with message
 * msg at the column of file= (at_level = 0) or level= (at_level = 1). */
static void expect_error(const char *file, const char *level, int at_level, const char *msg)
{
    xf_rig r;
    xf_rig_init_dir(&r, &setup, DATA);
    unsigned long file_col = xf_rig_add(&r, "file", file);
    unsigned long level_col = xf_rig_add(&r, "level", level);
    xf_rig_expect_rules_message(&r, xf_rig_compile(&r), at_level ? level_col : file_col, msg);
}

START_TEST(small_every_level)
{
    xf_rig s[4];
    for (int l = 0; l < 4; l++) {
        char lv[16];
        snprintf(lv, sizeof lv, "%d", l);
        load(&s[l], DATA, "hierarchy/small.csv", lv);
    }
    xf_rig_expect(&s[0], "34", "34");
    xf_rig_expect(&s[1], "34", "30-34");
    xf_rig_expect(&s[2], "34", "30-39");
    xf_rig_expect(&s[3], "34", "*");
    xf_rig_expect(&s[1], "35", "35-39");
    xf_rig_expect(&s[2], "35", "30-39");
    xf_rig_expect(&s[1], "41", "40-44");
    xf_rig_expect(&s[2], "41", "40-49");
    xf_rig_expect(&s[3], "41", "*");
    /* A quoted original holding the delimiter, and UTF-8 values. */
    xf_rig_expect(&s[0], "x;y", "x;y");
    xf_rig_expect(&s[1], "x;y", "x-y");
    xf_rig_expect(&s[2], "x;y", "letters");
    xf_rig_expect(&s[1], "서울", "수도권");
    xf_rig_expect(&s[2], "서울", "letters");
    xf_rig_expect(&s[3], "서울", "*");
    for (int l = 0; l < 4; l++) {
        /* Exact bytes: no trimming, no prefix matching, labels are not originals. */
        expect_missing(&s[l], "36", 2);
        expect_missing(&s[l], " 34", 3);
        expect_missing(&s[l], "34 ", 3);
        expect_missing(&s[l], "3", 1);
        expect_missing(&s[l], "30-34", 5);
        expect_missing(&s[l], "34\0", 3);
        expect_missing(&s[l], "\"x;y\"", 5);
    }
    xf_rig_expect_describe(&s[2], "file=hierarchy/small.csv level=2 levels=4 rows=5");
    xf_rig_expect_describe(&s[0], "file=hierarchy/small.csv level=0 levels=4 rows=5");
    for (int l = 0; l < 4; l++)
        xf_rig_done(&s[l]);
}
END_TEST

START_TEST(crlf_bom_and_blank_line)
{
    xf_rig s;
    load(&s, DATA, "hierarchy/crlf.csv", "1");
    xf_rig_expect(&s, "34", "30-34"); /* the BOM is not part of the first value */
    xf_rig_expect(&s, "35", "35-39");
    xf_rig_expect(&s, "41", "40-44");
    expect_missing(&s, "\xef\xbb\xbf" "34", 5);
    xf_rig_expect_describe(&s, "file=hierarchy/crlf.csv level=1 levels=4 rows=3");
    xf_rig_done(&s);
    load(&s, DATA, "hierarchy/crlf.csv", "3");
    xf_rig_expect(&s, "41", "*"); /* no CR kept on the last column */
    xf_rig_done(&s);
}
END_TEST

START_TEST(base_dir_and_absolute_path)
{
    xf_rig s;
    load(&s, DATA "/hierarchy", "small.csv", "2");
    xf_rig_expect(&s, "35", "30-39");
    xf_rig_expect_describe(&s, "file=small.csv level=2 levels=4 rows=5");
    xf_rig_done(&s);
    /* An absolute name ignores base_dir. */
    load(&s, "/nonexistent", ARX_AGE, "1");
    xf_rig_expect(&s, "34", "30-34");
    xf_rig_done(&s);
}
END_TEST

/* Rows read by eye in the ARX file: "34;30-34;30-39;20-39;*",
 * "5;0-4;0-9;0-19;*", "100;95-99;90-99;80-99;*"; 100 rows, values 1..100. */
START_TEST(arx_adult_age)
{
    static const char *const want34[] = {"34", "30-34", "30-39", "20-39", "*"};
    static const char *const want5[] = {"5", "0-4", "0-9", "0-19", "*"};
    static const char *const want100[] = {"100", "95-99", "90-99", "80-99", "*"};
    for (int l = 0; l < 5; l++) {
        char lv[16];
        snprintf(lv, sizeof lv, "%d", l);
        xf_rig s;
        load(&s, DATA, ARX_AGE, lv);
        xf_rig_expect(&s, "34", want34[l]);
        xf_rig_expect(&s, "5", want5[l]);
        xf_rig_expect(&s, "100", want100[l]);
        expect_missing(&s, "0", 1);
        expect_missing(&s, "101", 3);
        expect_missing(&s, "034", 3);
        if (l == 4) {
            char d[128];
            snprintf(d, sizeof d, "file=%s level=4 levels=5 rows=100", ARX_AGE);
            xf_rig_expect_describe(&s, d);
        }
        xf_rig_done(&s);
    }
}
END_TEST

START_TEST(same_label_on_two_levels_is_a_tree)
{
    xf_rig s;
    load(&s, DATA, "hierarchy/samelabel.csv", "2");
    xf_rig_expect(&s, "a", "Other");
    xf_rig_expect(&s, "c", "Other");
    xf_rig_done(&s);
    load(&s, DATA, "hierarchy/samelabel.csv", "1");
    xf_rig_expect(&s, "b", "Other");
    xf_rig_expect(&s, "c", "C");
    xf_rig_done(&s);
}
END_TEST

START_TEST(file_errors)
{
    expect_error("hierarchy/ragged.csv", "1", 0,
                 "hierarchy/ragged.csv:3: has 3 columns, the first row has 4");
    expect_error("hierarchy/dup.csv", "1", 0,
                 "hierarchy/dup.csv:4: value appears twice (lines 2 and 4)");
    expect_error("hierarchy/crlf_dup.csv", "1", 0,
                 "hierarchy/crlf_dup.csv:3: value appears twice (lines 1 and 3)");
    expect_error("hierarchy/notree.csv", "1", 0,
                 "hierarchy/notree.csv:3: hierarchy is not a tree: a value at level 1 (column 2) "
                 "generalizes to two different values at level 2 (column 3) on lines 1 "
                 "and 3");
    expect_error("hierarchy/notree_top.csv", "0", 0,
                 "hierarchy/notree_top.csv:2: hierarchy is not a tree: a value at level 2 (column 3) "
                 "generalizes to two different values at level 3 (column 4) on lines 1 "
                 "and 2");
    /* Values are never quoted: a data file passed as a hierarchy holds
     * personal data (issue 12). */
    expect_error("hierarchy/notree_quote.csv", "1", 0,
                 "hierarchy/notree_quote.csv:2: hierarchy is not a tree: a value at level 1 (column 2) "
                 "generalizes to two different values at level 2 (column 3) on lines 1 "
                 "and 2");
    expect_error("hierarchy/empty_original.csv", "1", 0,
                 "hierarchy/empty_original.csv:2: the original value (first column) is empty");
    expect_error("hierarchy/onecol.csv", "0", 0,
                 "hierarchy/onecol.csv:1: has only one column; a hierarchy row is "
                 "';'-separated: value;level 1;level 2;...");
    expect_error("hierarchy/empty.csv", "0", 0, "hierarchy/empty.csv: has no rows");
    expect_error("hierarchy/badquote.csv", "1", 0,
                 "hierarchy/badquote.csv:1: unterminated quoted field starting on line 1");
    expect_error("hierarchy/nope.csv", "1", 0,
                 "cannot read " DATA "/hierarchy/nope.csv: No such file or directory");
    expect_error("hierarchy", "1", 0, "cannot read " DATA "/hierarchy: Is a directory");
}
END_TEST

/* A string that generalizes back to itself, within a row or across rows
 * and levels, is refused with the line of the step that closes the cycle
 * (worked out by hand from the files). */
START_TEST(cycles)
{
    expect_error("hierarchy/cycle_swap.csv", "1", 0,
                 "hierarchy/cycle_swap.csv:2: hierarchy has a cycle: a value on this line generalizes, "
                 "through other rows, back to itself");
    expect_error("hierarchy/cycle_one_row.csv", "2", 0,
                 "hierarchy/cycle_one_row.csv:1: hierarchy has a cycle: a value on this line generalizes, "
                 "through other rows, back to itself");
    /* b -> c (line 1), c -> e (line 2), e -> f -> b (line 3) */
    expect_error("hierarchy/cycle_long.csv", "1", 0,
                 "hierarchy/cycle_long.csv:2: hierarchy has a cycle: a value on this line generalizes, "
                 "through other rows, back to itself");
    /* each level alone is a tree; level 1 -> 2 goes a -> b and b -> a */
    expect_error("hierarchy/cycle_labels.csv", "auto", 0,
                 "hierarchy/cycle_labels.csv:2: hierarchy has a cycle: a value on this line generalizes, "
                 "through other rows, back to itself");
    expect_error("hierarchy/cycle_quote.csv", "1", 0,
                 "hierarchy/cycle_quote.csv:2: hierarchy has a cycle: a value on this line generalizes, "
                 "through other rows, back to itself");
    /* A step to the same string is no step: b;b;* and c;c;c are fine. */
    xf_rig s;
    load(&s, DATA, "hierarchy/nocycle_same.csv", "1");
    xf_rig_expect(&s, "a", "b");
    xf_rig_expect(&s, "b", "b");
    xf_rig_expect(&s, "c", "c");
    xf_rig_done(&s);
}
END_TEST

START_TEST(level_errors)
{
    expect_error("hierarchy/small.csv", "4", 1,
                 "level=4 is out of range: hierarchy/small.csv has levels 0 to 3");
    expect_error(ARX_AGE, "5", 1,
                 "level=5 is out of range: " ARX_AGE " has levels 0 to 4");
    expect_error("hierarchy/small.csv", "64", 1, "level=64 is out of range (0 to 63)");
    expect_error("hierarchy/small.csv", "-1", 1, "level=-1 is not a whole number");
    expect_error("hierarchy/small.csv", "1x", 1, "level=1x is not a whole number");
    /* Only the exact word "auto" asks for the ladder. */
    expect_error("hierarchy/small.csv", "Auto", 1, "level=Auto is not a whole number");
    expect_error("hierarchy/small.csv", "", 1, "level= is not a whole number");
    /* level= is checked before the file is read. */
    expect_error("hierarchy/nope.csv", "x", 1, "level=x is not a whole number");
}
END_TEST

/* ---- level=auto ladders ------------------------------------------------ */

/* Bytes after each value given to apply_level, so that reading past len
 * shows (the rig does the same for apply). */
#define TRAILER "1234"

/* Calls apply_level on a copy of in[0..len) followed by TRAILER; out is
 * initialised here (limit 1 MiB) and freed by the caller. */
static xf_result level_apply(const xf_rig *r, const char *in, size_t len, size_t level,
                             dbuf *out, const char **why)
{
    char *buf = malloc(len + sizeof TRAILER);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, in, len);
    memcpy(buf + len, TRAILER, sizeof TRAILER);
    xf_value v = {buf, len};
    dbuf_init(out, (size_t)1 << 20);
    *why = NULL;
    xf_result res = r->ops->apply_level(r->state, &v, level, out, why);
    free(buf);
    return res;
}

static void expect_level(const xf_rig *r, const char *in, size_t level, const char *want)
{
    dbuf out;
    const char *why;
    xf_result res = level_apply(r, in, strlen(in), level, &out, &why);
    ck_assert_msg(res == XF_OK, "\"%s\" at level %zu: result %d (%s)", in, level, (int)res,
                  why ? why : "");
    ck_assert_ptr_null(why);
    ck_assert_msg(out.len == strlen(want) && memcmp(out.data, want, out.len) == 0,
                  "\"%s\" at level %zu: got \"%.*s\", want \"%s\"", in, level, (int)out.len,
                  out.data ? out.data : "", want);
    dbuf_free(&out);
}

static void expect_level_bad(const xf_rig *r, const char *in, size_t len, size_t level,
                             const char *want_why)
{
    dbuf out;
    const char *why;
    ck_assert_int_eq(level_apply(r, in, len, level, &out, &why), XF_BAD_VALUE);
    ck_assert_ptr_nonnull(why);
    ck_assert_str_eq(why, want_why);
    ck_assert_uint_eq(out.len, 0);
    dbuf_free(&out);
}

static uint64_t count_of(const xf_rig *r, size_t level, const char *gen)
{
    xf_value v = {gen, strlen(gen)};
    return r->ops->domain_count(r->state, level, &v);
}

START_TEST(ladder_small)
{
    xf_rig s;
    load(&s, DATA, "hierarchy/small.csv", "auto");
    ck_assert_uint_eq(s.ops->levels(s.state), 4);
    static const char *const want34[] = {"34", "30-34", "30-39", "*"};
    static const char *const want_seoul[] = {"서울", "수도권", "letters", "*"};
    for (size_t l = 0; l < 4; l++) {
        expect_level(&s, "34", l, want34[l]);
        expect_level(&s, "서울", l, want_seoul[l]);
        /* Not in the file: bad at every level, 0 and the top included. */
        expect_level_bad(&s, "36", 2, l, "is not in the hierarchy");
        expect_level_bad(&s, "30-34", 5, l, "is not in the hierarchy");
        expect_level_bad(&s, "34\0", 3, l, "is not in the hierarchy");
    }
    expect_level(&s, "x;y", 1, "x-y");
    expect_level(&s, "41", 2, "40-49");
    expect_level_bad(&s, "34", 2, 4, "has no generalization at that level");
    expect_level_bad(&s, "34", 2, 99, "has no generalization at that level");
    /* The engine must not run a level=auto rule without deid plan. */
    xf_rig_expect_bad(&s, "34", "needs deid plan to choose its level (level=auto)");
    xf_rig_expect_describe(&s, "file=hierarchy/small.csv level=auto levels=4 rows=5");

    /* small.csv by eye: 34, 35, 41, x;y, 서울. */
    ck_assert_uint_eq(s.ops->domain_size(s.state), 5);
    ck_assert_uint_eq(count_of(&s, 0, "34"), 1);
    ck_assert_uint_eq(count_of(&s, 0, "서울"), 1);
    ck_assert_uint_eq(count_of(&s, 0, "36"), 0);
    ck_assert_uint_eq(count_of(&s, 0, "*"), 0);
    ck_assert_uint_eq(count_of(&s, 1, "30-34"), 1);
    ck_assert_uint_eq(count_of(&s, 1, "수도권"), 1);
    ck_assert_uint_eq(count_of(&s, 1, "letters"), 0); /* a level-2 label */
    ck_assert_uint_eq(count_of(&s, 2, "30-39"), 2);
    ck_assert_uint_eq(count_of(&s, 2, "40-49"), 1);
    ck_assert_uint_eq(count_of(&s, 2, "letters"), 2);
    ck_assert_uint_eq(count_of(&s, 2, "30-34"), 0);
    ck_assert_uint_eq(count_of(&s, 3, "*"), 5);
    ck_assert_uint_eq(count_of(&s, 3, "letters"), 0);
    ck_assert_uint_eq(count_of(&s, 4, "*"), 0); /* beyond the ladder */
    xf_rig_done(&s);
}
END_TEST

START_TEST(ladder_same_label_per_level)
{
    /* samelabel.csv: a;Other;Other;* b;Other;Other;* c;C;Other;* */
    xf_rig s;
    load(&s, DATA, "hierarchy/samelabel.csv", "auto");
    ck_assert_uint_eq(s.ops->levels(s.state), 4);
    ck_assert_uint_eq(s.ops->domain_size(s.state), 3);
    ck_assert_uint_eq(count_of(&s, 1, "Other"), 2);
    ck_assert_uint_eq(count_of(&s, 1, "C"), 1);
    ck_assert_uint_eq(count_of(&s, 2, "Other"), 3);
    ck_assert_uint_eq(count_of(&s, 2, "C"), 0);
    ck_assert_uint_eq(count_of(&s, 3, "*"), 3);
    expect_level(&s, "c", 1, "C");
    expect_level(&s, "c", 2, "Other");
    xf_rig_done(&s);
}
END_TEST

START_TEST(fixed_level_has_no_ladder)
{
    for (int l = 0; l < 4; l++) {
        char lv[16];
        snprintf(lv, sizeof lv, "%d", l);
        xf_rig s;
        load(&s, DATA, "hierarchy/small.csv", lv);
        ck_assert_uint_eq(s.ops->levels(s.state), 0);
        ck_assert_uint_eq(s.ops->domain_size(s.state), 0);
        ck_assert_uint_eq(count_of(&s, 0, "34"), 0);
        ck_assert_uint_eq(count_of(&s, 3, "*"), 0);
        expect_level_bad(&s, "34", 2, 0, "has no generalization at that level");
        expect_level_bad(&s, "34", 2, (size_t)l, "has no generalization at that level");
        xf_rig_done(&s);
    }
}
END_TEST

/* By hand from the ARX file (the bands there are shifted by one: the row
 * "30;25-29;20-29;20-39;*" puts 30 under 25-29): level 1 "30-34" holds
 * 31..35, level 2 "30-39" holds 31..40, level 3 "20-39" 21..40 and "0-19"
 * 1..20, level 4 "*" all 100. */
START_TEST(ladder_arx_age_by_hand)
{
    xf_rig s;
    load(&s, DATA, ARX_AGE, "auto");
    ck_assert_uint_eq(s.ops->levels(s.state), 5);
    ck_assert_uint_eq(s.ops->domain_size(s.state), 100);
    ck_assert_uint_eq(count_of(&s, 1, "30-34"), 5);
    ck_assert_uint_eq(count_of(&s, 1, "0-4"), 5);
    ck_assert_uint_eq(count_of(&s, 1, "95-99"), 5);
    ck_assert_uint_eq(count_of(&s, 2, "30-39"), 10);
    ck_assert_uint_eq(count_of(&s, 3, "20-39"), 20);
    ck_assert_uint_eq(count_of(&s, 3, "0-19"), 20);
    ck_assert_uint_eq(count_of(&s, 4, "*"), 100);
    ck_assert_uint_eq(count_of(&s, 1, "30-39"), 0);
    ck_assert_uint_eq(count_of(&s, 0, "100"), 1);
    ck_assert_uint_eq(count_of(&s, 0, "101"), 0);
    static const char *const want30[] = {"30", "25-29", "20-29", "20-39", "*"};
    static const char *const want40[] = {"40", "35-39", "30-39", "20-39", "*"};
    for (size_t l = 0; l < 5; l++) {
        expect_level(&s, "30", l, want30[l]);
        expect_level(&s, "40", l, want40[l]);
        expect_level_bad(&s, "0", 1, l, "is not in the hierarchy");
    }
    char d[128];
    snprintf(d, sizeof d, "file=%s level=auto levels=5 rows=100", ARX_AGE);
    xf_rig_expect_describe(&s, d);
    xf_rig_done(&s);
}
END_TEST

enum { AGE_ROWS = 100, AGE_LEVELS = 5, AGE_LABEL = 16 };

/* The ARX age file read here with plain stdio: every row split at ';'
 * (it has no quotes), independently of csv_in and lookup_file. */
static void read_age_file(char cells[AGE_ROWS][AGE_LEVELS][AGE_LABEL])
{
    FILE *f = fopen(ARX_AGE, "r");
    ck_assert_ptr_nonnull(f);
    char line[256];
    size_t rows = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            continue;
        ck_assert_uint_lt(rows, AGE_ROWS);
        size_t l = 0;
        for (char *tok = strtok(line, ";"); tok; tok = strtok(NULL, ";")) {
            ck_assert_uint_lt(l, AGE_LEVELS);
            ck_assert_uint_lt(strlen(tok), AGE_LABEL);
            strcpy(cells[rows][l++], tok);
        }
        ck_assert_uint_eq(l, AGE_LEVELS);
        rows++;
    }
    fclose(f);
    ck_assert_uint_eq(rows, AGE_ROWS);
}

START_TEST(ladder_arx_age_against_file)
{
    static char cells[AGE_ROWS][AGE_LEVELS][AGE_LABEL];
    read_age_file(cells);
    xf_rig s;
    load(&s, DATA, ARX_AGE, "auto");
    for (size_t r = 0; r < AGE_ROWS; r++)
        for (size_t l = 0; l < AGE_LEVELS; l++) {
            expect_level(&s, cells[r][0], l, cells[r][l]);
            uint64_t want = 0;
            for (size_t q = 0; q < AGE_ROWS; q++)
                want += strcmp(cells[q][l], cells[r][l]) == 0;
            ck_assert_msg(count_of(&s, l, cells[r][l]) == want,
                          "level %zu label %s: want %llu", l, cells[r][l],
                          (unsigned long long)want);
        }
    xf_rig_done(&s);
}
END_TEST

START_TEST(ladder_file_errors)
{
    /* level=auto reads the whole file with the same checks. */
    expect_error("hierarchy/ragged.csv", "auto", 0,
                 "hierarchy/ragged.csv:3: has 3 columns, the first row has 4");
    expect_error("hierarchy/notree.csv", "auto", 0,
                 "hierarchy/notree.csv:3: hierarchy is not a tree: a value at level 1 (column 2) "
                 "generalizes to two different values at level 2 (column 3) on lines 1 "
                 "and 3");
    expect_error("hierarchy/empty.csv", "auto", 0, "hierarchy/empty.csv: has no rows");
    expect_error("hierarchy/nope.csv", "auto", 0,
                 "cannot read " DATA "/hierarchy/nope.csv: No such file or directory");
}
END_TEST

START_TEST(missing_parameters)
{
    xf_rig r;
    xf_rig_init_dir(&r, &setup, DATA);
    xf_rig_add(&r, "level", "1");
    ck_assert_int_eq(xf_rig_compile(&r), DEID_E_RULES);
    ck_assert_str_eq(r.err.message, "hierarchy needs file=PATH (an ARX hierarchy)");
    ck_assert_uint_eq(r.err.column, 6);
    ck_assert_uint_eq(r.err.line, RULES_LINE);
    ck_assert_ptr_null(r.state);

    xf_rig_init_dir(&r, &setup, DATA);
    xf_rig_add(&r, "file", "hierarchy/small.csv");
    ck_assert_int_eq(xf_rig_compile(&r), DEID_E_RULES);
    ck_assert_str_eq(r.err.message, "hierarchy needs level=N (0 = the value itself)");
    ck_assert_uint_eq(r.err.column, 6);
    ck_assert_ptr_null(r.state);

    xf_rig_init_dir(&r, &setup, DATA);
    unsigned long col = xf_rig_add(&r, "file", "");
    xf_rig_add(&r, "level", "1");
    ck_assert_int_eq(xf_rig_compile(&r), DEID_E_RULES);
    ck_assert_str_eq(r.err.message, "file= is empty");
    ck_assert_uint_eq(r.err.column, col);
    ck_assert_ptr_null(r.state);
}
END_TEST

START_TEST(registration)
{
    xf_rig_expect_registered(&xf_hierarchy_ops, "hierarchy",
                             "데이터 범주화 (generalization hierarchy)", 0);
}
END_TEST

Suite *hierarchy_suite(void); /* called by check_main.c */
Suite *hierarchy_suite(void)
{
    Suite *s = suite_create("hierarchy");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, small_every_level);
    tcase_add_test(tc, crlf_bom_and_blank_line);
    tcase_add_test(tc, base_dir_and_absolute_path);
    tcase_add_test(tc, arx_adult_age);
    tcase_add_test(tc, same_label_on_two_levels_is_a_tree);
    tcase_add_test(tc, file_errors);
    tcase_add_test(tc, cycles);
    tcase_add_test(tc, level_errors);
    tcase_add_test(tc, missing_parameters);
    tcase_add_test(tc, registration);
    tcase_add_test(tc, ladder_small);
    tcase_add_test(tc, ladder_same_label_per_level);
    tcase_add_test(tc, fixed_level_has_no_ladder);
    tcase_add_test(tc, ladder_arx_age_by_hand);
    tcase_add_test(tc, ladder_arx_age_against_file);
    tcase_add_test(tc, ladder_file_errors);
    suite_add_tcase(s, tc);
    return s;
}
