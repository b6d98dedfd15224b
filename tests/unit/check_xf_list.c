/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_xf_list.c - the transform list in one place (engine/xf/xf_list.h):
 * the registry holds exactly its rows in order, each ops table carries the
 * keyword of its row, the properties other code asks for instead of names
 * (pseudonymizes, vault, side file) are consistent, the transform fuzzer's
 * chooser reaches every transform, and README's transform table lists
 * every transform in the list's order.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbuf.h"
#include "deid.h"
#include "rules.h"
#include "rules_vault.h"
#include "transform.h"
#include "../fuzz/fuzz_transform_pick.h"
#include "scratch.h"

typedef struct row {
    const char *keyword;
    const transform_ops *ops;
} row;

static const row rows[] = {
#define XF(name) {#name, &xf_##name##_ops},
#include "xf_list.h"
#undef XF
};
#define N_ROWS (sizeof rows / sizeof rows[0])

START_TEST(registry_is_the_list)
{
    const transform_ops *const *all = transform_all();
    for (size_t i = 0; i < N_ROWS; i++) {
        ck_assert_msg(all[i] == rows[i].ops, "registry entry %zu is not row %s", i,
                      rows[i].keyword);
        ck_assert_str_eq(all[i]->name, rows[i].keyword);
        ck_assert_ptr_eq(transform_find(rows[i].keyword), rows[i].ops);
        ck_assert_ptr_nonnull(all[i]->technique);
        ck_assert_ptr_nonnull(all[i]->compile);
        ck_assert_ptr_nonnull(all[i]->apply);
    }
    ck_assert_ptr_null(all[N_ROWS]);
    ck_assert_ptr_null(transform_find("nosuch"));
}
END_TEST

START_TEST(properties_are_consistent)
{
    for (size_t i = 0; i < N_ROWS; i++) {
        const transform_ops *o = rows[i].ops;
        /* a vault is a side file the transform writes back (commit) */
        if (o->flags & XF_SIDE_FILE_IS_VAULT) {
            ck_assert_msg(o->side_file && o->commit, "%s: a vault needs side_file and commit",
                          o->name);
        }
        ck_assert_msg((o->flags & XF_IDENTITY) == 0 || (o->flags & XF_DROPS_COLUMN) == 0,
                      "%s both keeps and drops", o->name);
        /* a level=auto ladder needs both halves */
        ck_assert_msg(!o->levels == !o->apply_level, "%s: levels without apply_level", o->name);
    }
}
END_TEST

/* Written independently of the flags: the guideline's keyed pseudonyms
 * (the lint warning about a missing purpose names these). */
START_TEST(pseudonymizing_transforms)
{
    dbuf b;
    dbuf_init(&b, 4096);
    ck_assert_int_eq(transform_names(XF_PSEUDONYMIZES, " or ", &b), DBUF_OK);
    ck_assert_int_eq(dbuf_putc(&b, '\0'), DBUF_OK);
    ck_assert_str_eq(b.data, "hash, encrypt, fpe or token");
    b.len = 0;
    ck_assert_int_eq(transform_names(XF_PSEUDONYMIZES | XF_SIDE_FILE_IS_VAULT, " or ", &b),
                     DBUF_OK);
    ck_assert_int_eq(dbuf_putc(&b, '\0'), DBUF_OK);
    ck_assert_str_eq(b.data, "token");
    dbuf_free(&b);
}
END_TEST

START_TEST(all_names_in_order)
{
    char want[2048] = "";
    for (size_t i = 0; i < N_ROWS; i++)
        snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s", i ? ", " : "",
                 rows[i].keyword);
    dbuf b;
    dbuf_init(&b, 4096);
    ck_assert_int_eq(transform_names(0, ", ", &b), DBUF_OK);
    ck_assert_int_eq(dbuf_putc(&b, '\0'), DBUF_OK);
    ck_assert_str_eq(b.data, want);
    dbuf_free(&b);
}
END_TEST

START_TEST(fuzzer_reaches_every_transform)
{
    size_t n = 0;
    while (transform_all()[n])
        n++;
    ck_assert_uint_eq(n, N_ROWS);
    /* the fuzzer's table holds exactly the registered transforms, once each */
    ck_assert_uint_eq(FUZZ_TRANSFORM_COUNT, n);
    for (size_t i = 0; i < FUZZ_TRANSFORM_COUNT; i++) {
        ck_assert_msg(transform_find(fuzz_transform_order[i]) != NULL,
                      "fuzz_transform_order names %s, which is not registered",
                      fuzz_transform_order[i]);
        for (size_t j = 0; j < i; j++)
            ck_assert_str_ne(fuzz_transform_order[i], fuzz_transform_order[j]);
    }
    for (size_t want = 0; want < n; want++) {
        int reached = 0;
        for (unsigned byte = 0; byte < 256 && !reached; byte++)
            reached = strcmp(fuzz_transform_pick((unsigned char)byte), transform_all()[want]->name) == 0;
        ck_assert_msg(reached, "no first byte makes fuzz_transform pick %s",
                      transform_all()[want]->name);
    }
}
END_TEST

/* The keyword that starts a row "| `keyword ...` | ..." of a README table,
 * copied into out; 0 when line is not such a row. */
static int table_keyword(const char *line, char *out, size_t size)
{
    if (strncmp(line, "| `", 3) != 0)
        return 0;
    size_t n = strcspn(line + 3, " `|\n");
    if (n == 0 || n >= size)
        return 0;
    memcpy(out, line + 3, n);
    out[n] = '\0';
    return 1;
}

START_TEST(readme_table_lists_every_transform)
{
    FILE *f = fopen("README.md", "r");
    ck_assert_msg(f != NULL, "README.md (the unit tests run from the repository)");
    char line[4096];
    int in_section = 0, in_table = 0, done = 0;
    size_t seen = 0;
    while (!done && fgets(line, sizeof line, f)) {
        if (!strncmp(line, "## ", 3))
            in_section = !strcmp(line, "## Transforms\n");
        else if (in_section && !strncmp(line, "| transform | guideline technique |", 35))
            in_table = 1;
        else if (in_table && !strncmp(line, "|---", 4))
            continue;
        else if (in_table) {
            char kw[64];
            if (!table_keyword(line, kw, sizeof kw)) {
                done = 1;
                break;
            }
            ck_assert_msg(seen < N_ROWS, "README's transform table has an extra row %s", kw);
            ck_assert_msg(!strcmp(kw, rows[seen].keyword),
                          "README's transform table row %zu is %s; xf_list.h has %s", seen + 1,
                          kw, rows[seen].keyword);
            seen++;
        }
    }
    fclose(f);
    ck_assert_msg(in_table, "README has no transform table under ## Transforms");
    ck_assert_msg(seen == N_ROWS, "README's transform table lacks %s",
                  seen < N_ROWS ? rows[seen].keyword : "?");
}
END_TEST

/* ---- side files, through compiled rules ---- */

static char tmpdir[64];

static void put(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

START_TEST(side_files_resolved)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/check_xf_list.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    put("m.csv", "a,A\n");
    put("h.csv", "34;30-39;*\n");
    static const char text[] = "column m map file=m.csv\n"
                               "column h hierarchy file=h.csv level=1\n"
                               "column t token vault=v.csv\n"
                               "column k keep\n";
    deid_rules *r = NULL;
    deid_error err;
    ck_assert_int_eq(deid_rules_parse(text, strlen(text), "t.rules", tmpdir, &r, &err), DEID_OK);
    static const char *const want[] = {"m.csv", "h.csv", "v.csv", NULL};
    const transform_ops *ops[] = {&xf_map_ops, &xf_hierarchy_ops, &xf_token_ops, &xf_keep_ops};
    char path[256];
    for (size_t i = 0; i < 4; i++) {
        ck_assert_ptr_eq(r->rules[i].ops, ops[i]);
        const char *got = ops[i]->side_file ? ops[i]->side_file(r->rules[i].state) : NULL;
        if (!want[i]) {
            ck_assert_ptr_null(got);
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", tmpdir, want[i]);
        ck_assert_str_eq(got, path);
    }
    /* only the token's side file is a vault */
    ck_assert_uint_eq(rules_vault_count(r), 1);
    snprintf(path, sizeof path, "%s/v.csv", tmpdir);
    ck_assert_str_eq(rules_vault_path(r, 0), path);
    deid_rules_free(r);
    scratch_remove_tree(tmpdir);
}
END_TEST

Suite *xf_list_suite(void); /* called by check_main.c */
Suite *xf_list_suite(void)
{
    Suite *s = suite_create("xf_list");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, registry_is_the_list);
    tcase_add_test(tc, properties_are_consistent);
    tcase_add_test(tc, pseudonymizing_transforms);
    tcase_add_test(tc, all_names_in_order);
    tcase_add_test(tc, fuzzer_reaches_every_transform);
    tcase_add_test(tc, readme_table_lists_every_transform);
    tcase_add_test(tc, side_files_resolved);
    suite_add_tcase(s, tc);
    return s;
}
