/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan_rules.c - the draft rules `deid scan --rules` writes: one rule per
 * column from its suggested role (profile_role.h), each commented with its
 * reason; a key line and the `deid keygen` command that makes the key; the
 * quasi-identifiers generalized with level=auto ladders and a `quasi`
 * line, `require k=5` (the guideline's example) with `suppress`, so that
 * `deid run` chooses the levels itself (deid plan's search) and either
 * meets k=5 or writes nothing. The draft holds counts, never a data value.
 */
#include <stdlib.h>
#include <string.h>

#include "dbuf.h"
#include "err.h"
#include "scan_int.h"
#include "text_escape.h"
#include "transform.h"

#define KEY_NAME "main"
/* The share of records `suppress` may remove to reach k=5. */
#define SUPPRESS_MAX "5%"

/* A column name as a rules word: bare when the lexer reads it back as is,
 * else in double quotes. Returns a DBUF_* code, or -1 for a name no rules
 * line can hold (a control character). */
static int put_name(dbuf *b, const char *name, int positional)
{
    int bare = !positional && name[0] && name[0] != '#' && name[0] != '"' && name[0] != '\'';
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            return -1;
        if (*p == ' ' || *p == '=' || *p == '"' || *p == '\\')
            bare = 0;
    }
    if (bare || positional)
        return dbuf_append_str(b, name);
    int rc = dbuf_putc(b, '"');
    for (const char *p = name; *p && !rc; p++) {
        if (*p == '"' || *p == '\\')
            rc = dbuf_putc(b, '\\');
        rc = rc ? rc : dbuf_putc(b, *p);
    }
    return rc ? rc : dbuf_putc(b, '"');
}

/* Digits-only normalization makes one pseudonym of one number however it
 * is written; only safe when every value has digits (else the value
 * normalizes to nothing, a bad value). */
static const char *normalize_for(const profile_verdict *v)
{
    if (v->content != CONTENT_IDENTIFIER || !v->all)
        return "";
    switch (v->kind) {
    case PII_RRN: case PII_PHONE: case PII_CARD: case PII_BIZNO: case PII_DRIVER:
    case PII_ACCOUNT:
        return " normalize=digits";
    case PII_EMAIL: return " normalize=lower";
    default: return "";
    }
}

/* The rule for a column: its transform and parameters (rule) and why
 * (why), chosen from the verdict; scrub says whether this build has the
 * scrub transform. */
static void choose(const profile_verdict *v, int scrub, const char **rule_text, const char **why)
{
    int ladder_errors = !v->all;
    switch (v->content) {
    case CONTENT_IDENTIFIER:
    case CONTENT_NAME:
    case CONTENT_KEY:
    case CONTENT_MIXED:
        *rule_text = "hash key=" KEY_NAME;
        *why = "keyed pseudonym (HMAC-SHA-256): records stay linkable under the key, and the "
               "value cannot be looked up without it";
        return;
    case CONTENT_TEXT_IDS:
        if (scrub && !v->has_names) {
            *rule_text = "scrub find=all";
            *why = "identifiers found in the text become tags (<PHONE>, <RRN>, ...), and so "
                   "does what the record's name and identifier columns hold (also=); the rest "
                   "of the text stays";
        } else {
            *rule_text = "drop";
            *why = !scrub ? "dropped: this build has no scrub transform to take identifiers "
                            "out of text"
                          : "dropped: scrub finds identifiers, not the names of people other "
                            "than the record's own; read the text (deid scan --show-values) "
                            "before keeping it with scrub";
        }
        return;
    case CONTENT_TEXT:
        *rule_text = "drop";
        *why = "dropped: free text may hold anything; keep it only after reading it";
        return;
    case CONTENT_EMPTY:
        *rule_text = "drop";
        *why = "dropped: it holds nothing";
        return;
    case CONTENT_DATE:
        *rule_text = ladder_errors ? "date to=month,year,decade level=auto on-error=suppress"
                              : "date to=month,year,decade level=auto";
        *why = ladder_errors ? "generalized: deid run picks the date, month, year, decade or * "
                               "that meets k=5 with the least loss; values that are not dates "
                               "in a form date reads become *"
                             : "generalized: deid run picks the date, month, year, decade or * "
                               "that meets k=5 with the least loss";
        return;
    case CONTENT_AGE:
        *rule_text = ladder_errors ? "range widths=5,10,20 level=auto on-error=suppress"
                              : "range widths=5,10,20 level=auto";
        *why = ladder_errors ? "generalized: deid run picks the age, bands of 5, 10 or 20, or * "
                               "that meets k=5; values that are not whole numbers become *"
                             : "generalized: deid run picks the age, bands of 5, 10 or 20, or * "
                               "that meets k=5 with the least loss";
        return;
    case CONTENT_ZIP:
        *rule_text = "prefix 3,2,1 level=auto";
        *why = "generalized: deid run picks the code, its first 3, 2 or 1 digits, or * that "
               "meets k=5 with the least loss";
        return;
    case CONTENT_ADDRESS:
        *rule_text = "prefix 2 level=auto";
        *why = "generalized: deid run picks the address, its first two characters (the 시도: "
               "서울, 경기, 충청, ...) or * that meets k=5 with the least loss";
        return;
    case CONTENT_SEX:
    case CONTENT_CONSTANT:
    case CONTENT_CATEGORY:
    case CONTENT_DIAGNOSIS:
    case CONTENT_AMOUNT:
        *rule_text = "keep";
        *why = v->role == ROLE_SENSITIVE
                   ? "kept: what the analysis is about; named in the sensitive line below"
               : v->role == ROLE_QUASI
                   ? "kept as a quasi-identifier: few distinct values, counted in k=5 (a "
                     "hierarchy file with level=auto would let the run generalize it too)"
                   : "kept: one value tells nothing about a person";
        return;
    }
    *rule_text = "drop";
    *why = "dropped";
}

/* For a scrubbed column: " also=a,b" naming the columns of names and
 * identifiers, so that what the same record holds there (its own name,
 * its phone written any way) leaves the text too; quoted when a name needs
 * it; a name with a comma or quote cannot be listed and is left out. */
static int put_also(dbuf *b, const deid_scan *scan)
{
    int rc = 0, quote = 0;
    size_t n = 0;
    for (size_t i = 0; i < scan->n_cols; i++) {
        const scan_column *c = &scan->cols[i];
        if ((c->verdict.content == CONTENT_NAME || c->verdict.content == CONTENT_IDENTIFIER) &&
            !strpbrk(c->name, ",\"'\\"))
            quote |= strpbrk(c->name, " \t=#") != NULL;
    }
    for (size_t i = 0; i < scan->n_cols && !rc; i++) {
        const scan_column *c = &scan->cols[i];
        if ((c->verdict.content != CONTENT_NAME && c->verdict.content != CONTENT_IDENTIFIER) ||
            strpbrk(c->name, ",\"'\\"))
            continue;
        rc = dbuf_append_str(b, n++ ? "," : quote ? " also=\"" : " also=");
        rc = rc ? rc : dbuf_append_str(b, c->name);
    }
    return rc ? rc : n && quote ? dbuf_putc(b, '"') : 0;
}

/* "quasi a b c" or "sensitive a b" for the columns of role (if any). */
static int put_list(dbuf *b, const deid_scan *scan, const char *statement, profile_role role,
                    size_t *count)
{
    int rc = 0;
    *count = 0;
    for (size_t i = 0; i < scan->n_cols && !rc; i++) {
        if (scan->cols[i].verdict.role != role || scan->cols[i].verdict.content == CONTENT_CONSTANT)
            continue;
        rc = dbuf_printf(b, "%s", *count ? " " : statement);
        rc = rc ? rc : put_name(b, scan->cols[i].name, !scan->has_header);
        (*count)++;
    }
    return rc ? rc : *count ? dbuf_putc(b, '\n') : 0;
}

static int draft(const deid_scan *scan, const char *key_file, const char *keygen_path, dbuf *b)
{
    int scrub = transform_find("scrub") != NULL;
    char delim[4] = {(char)scan->delimiter, 0};
    if (scan->delimiter == '\t')
        memcpy(delim, "tab", 4);
    int rc = dbuf_append_str(b, "# Draft rules written by `deid scan` from ");
    for (size_t i = 0; i < scan->n_inputs && !rc; i++) {
        rc = i ? dbuf_append_str(b, ", ") : 0;
        rc = rc ? rc : text_escape_append(b, scan->inputs[i], strlen(scan->inputs[i]));
    }
    rc = rc ? rc : dbuf_printf(b, " (%llu records%s).\n", (unsigned long long)scan->records,
                               scan->truncated ? ", a sample" : "");
    rc = rc ? rc : dbuf_printf(b,
        "# The roles are guesses from the values and the column names: read every\n"
        "# line before use. Each rule says why it was chosen.\n"
        "#\n"
        "# Make the key once, and keep it apart from the data (추가정보):\n"
        "#   deid keygen ");
    rc = rc ? rc : text_escape_append(b, keygen_path, strlen(keygen_path));
    rc = rc ? rc : dbuf_printf(b,
        "\n# then: deid run -r THIS-FILE -o OUT INPUT\n"
        "#\n"
        "# purpose \"...\"   # state the purpose: the processing record needs it (deid lint warns)\n"
        "\n"
        "input    delimiter=%s header=%s\n"
        "key      " KEY_NAME " file=%s\n"
        "default  error    # a column without a rule stops the run\n\n",
        delim, scan->has_header ? "yes" : "no", key_file);
    for (size_t i = 0; i < scan->n_cols && !rc; i++) {
        const scan_column *col = &scan->cols[i];
        const char *rule_text, *why;
        choose(&col->verdict, scrub, &rule_text, &why);
        rc = dbuf_printf(b, "# %s (%s): %s\n# -> %s\ncolumn ",
                         profile_role_name(col->verdict.role),
                         profile_content_name(&col->verdict), col->verdict.reason, why);
        rc = rc ? rc : put_name(b, col->name, !scan->has_header);
        rc = rc ? rc : dbuf_printf(b, " %s%s", rule_text, normalize_for(&col->verdict));
        if (!rc && !strncmp(rule_text, "scrub", 5) && scan->has_header)
            rc = put_also(b, scan);
        rc = rc ? rc : dbuf_append_str(b, "\n\n");
    }
    size_t n_quasi = 0, n_sensitive = 0;
    rc = rc ? rc : put_list(b, scan, "quasi     ", ROLE_QUASI, &n_quasi);
    rc = rc ? rc : put_list(b, scan, "sensitive ", ROLE_SENSITIVE, &n_sensitive);
    if (!rc && n_quasi)
        rc = dbuf_append_str(b, "require   k=5                 # the pseudonymization guideline's "
                                "example\n"
                                "suppress  max=" SUPPRESS_MAX " how=quasi     # records that "
                                "still single someone out lose their quasi-identifiers (*)\n");
    else if (!rc)
        rc = dbuf_append_str(b, "# no quasi-identifier was found, so no k-anonymity requirement\n");
    return rc;
}

deid_status deid_scan_draft_rules(const deid_scan *scan, const char *key_file,
                                  const char *keygen_path, char **text, deid_error *err)
{
    err_clear(err);
    *text = NULL;
    if (!scan->finished)
        return err_set(err, DEID_E_USAGE, "deid_scan_draft_rules: the scan is not finished");
    for (size_t i = 0; i < scan->n_cols; i++)
        for (const unsigned char *p = (const unsigned char *)scan->cols[i].name; *p; p++)
            if (*p < 0x20 || *p == 0x7F)
                return err_set(err, DEID_E_DATA,
                               "column %zu's name holds a control character, which a rules "
                               "line cannot hold; rename it",
                               i + 1);
    if (strpbrk(key_file, " \t\"'#\\\n"))
        return err_set(err, DEID_E_USAGE, "the key file's path must not hold spaces, quotes or #");
    dbuf b;
    dbuf_init(&b, (size_t)1 << 30);
    if (draft(scan, key_file, keygen_path, &b) || !(*text = dbuf_take(&b))) {
        dbuf_free(&b);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    return DEID_OK;
}
