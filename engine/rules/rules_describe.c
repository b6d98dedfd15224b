/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules_describe.c - `deid lint`'s view of a compiled rule set: every
 * statement with all parameters resolved, written in the rules syntax,
 * with the guideline technique and key fingerprints as comments.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "rules.h"
#include "utf8.h"

static int needs_quotes(const char *s)
{
    if (!*s || *s == '#' || *s == '"' || *s == '\'')
        return 1;
    return strpbrk(s, " \t=") != NULL;
}

static int append_name(dbuf *b, const char *s)
{
    if (!needs_quotes(s))
        return dbuf_append_str(b, s);
    int rc = dbuf_putc(b, '"');
    for (; *s && !rc; s++)
        rc = (*s == '"' || *s == '\\') ? dbuf_printf(b, "\\%c", *s) : dbuf_putc(b, *s);
    return rc ? rc : dbuf_putc(b, '"');
}

static size_t display_width(const char *s)
{
    size_t n = utf8_count(s, strlen(s));
    return n == (size_t)-1 ? strlen(s) : n;
}

/* Width of s as append_name prints it, quotes and escapes included. */
static size_t name_width(const char *s)
{
    size_t w = display_width(s);
    if (!needs_quotes(s))
        return w;
    for (w += 2; *s; s++)
        w += *s == '"' || *s == '\\';
    return w;
}

deid_status deid_rules_describe(const deid_rules *r, char **text, deid_error *err)
{
    dbuf b;
    dbuf_init(&b, 16u << 20);
    int rc = dbuf_printf(&b, "# deid %s: compiled plan of %s\n", DEID_VERSION, r->name);
    rc = rc ? rc : dbuf_printf(&b, "input    delimiter=%s header=%s%s\n",
                               rules_delimiter_name(r->delimiter), r->header ? "yes" : "no",
                               r->drop_blank_columns ? " blank-columns=drop" : "");
    rc = rc ? rc : dbuf_printf(&b, "default  %s\n", rules_default_name(r->default_policy));
    for (size_t i = 0; i < r->n_keys && !rc; i++) {
        const deid_key *k = keyring_find(r->keys, r->key_decls[i].name);
        rc = dbuf_append_str(&b, "key      ");
        rc = rc ? rc : append_name(&b, r->key_decls[i].name);
        rc = rc ? rc : dbuf_append_str(&b, " file=");
        rc = rc ? rc : append_name(&b, r->key_decls[i].file);
        rc = rc ? rc : dbuf_printf(&b, "  # fingerprint %s\n", k ? key_fingerprint(k) : "?");
    }
    size_t width = 0;
    for (size_t i = 0; i < r->n_rules; i++) {
        size_t w = name_width(r->rules[i].column);
        width = w > width ? w : width;
    }
    for (size_t i = 0; i < r->n_rules && !rc; i++) {
        const rule *ru = &r->rules[i];
        rc = dbuf_printf(&b, "\n%-7s  ", ru->is_add ? "add" : "column");
        rc = rc ? rc : append_name(&b, ru->column);
        for (size_t w = name_width(ru->column); !rc && w < width + 1; w++)
            rc = dbuf_putc(&b, ' ');
        rc = rc ? rc : dbuf_printf(&b, " %s", ru->ops->name);
        if (!rc && ru->ops->describe) {
            size_t before = b.len;
            rc = dbuf_putc(&b, ' ');
            rc = rc ? rc : xf_describe(ru->ops, ru->state, &b);
            if (!rc && b.len == before + 1)
                b.len = before;
        }
        if (!rc && ru->is_add) {
            /* One value: quoted as a whole when any name needs it. */
            int quote = 0;
            for (size_t k = 0; k < ru->n_from; k++)
                quote |= needs_quotes(ru->from[k]);
            rc = dbuf_append_str(&b, quote ? " from=\"" : " from=");
            for (size_t k = 0; k < ru->n_from && !rc; k++) {
                rc = k ? dbuf_putc(&b, ',') : 0;
                for (const char *c = ru->from[k]; !rc && *c; c++)
                    rc = quote && (*c == '"' || *c == '\\') ? dbuf_printf(&b, "\\%c", *c)
                                                          : dbuf_putc(&b, *c);
            }
            if (!rc && quote)
                rc = dbuf_putc(&b, '"');
        }
        if (!rc && ru->plan_bounded)
            rc = dbuf_printf(&b, " min=%lu max=%lu", ru->plan_min, ru->plan_max);
        if (!rc && ru->plan_weight > 0)
            rc = dbuf_printf(&b, " weight=%g", ru->plan_weight);
        if (!rc && !(ru->ops->flags & (XF_IDENTITY | XF_DROPS_COLUMN)))
            rc = dbuf_printf(&b, " on-error=%s", rules_on_error_name(ru->on_error));
        rc = rc ? rc : dbuf_printf(&b, "\n         # %s", ru->ops->technique);
    }
    rc = rc ? rc : rules_sample_describe(&r->sample, &b);
    const rules_record *rr = &r->record;
    if (!rc && rr->purpose)
        rc = dbuf_printf(&b, "\npurpose   \"%s\"\n", rr->purpose);
    if (!rc && rr->recipient)
        rc = dbuf_printf(&b, "%srecipient \"%s\"\n", rr->purpose ? "" : "\n", rr->recipient);
    if (!rc && rr->retain_until)
        rc = dbuf_printf(&b, "retain    until=%s\n", rr->retain_until);
    /* the custody statements, after a blank line unless the ones above were shown */
    const char *gap = rr->purpose || rr->recipient || rr->retain_until ? "" : "\n";
    if (!rc && rr->controller) {
        rc = dbuf_printf(&b, "%scontroller   \"%s\"\n", gap, rr->controller);
        gap = "";
    }
    if (!rc && rr->custodian) {
        rc = dbuf_printf(&b, "%scustodian    \"%s\"\n", gap, rr->custodian);
        gap = "";
    }
    if (!rc && rr->destroy_keys_on)
        rc = dbuf_printf(&b, "%sdestroy-keys on=%s\n", gap, rr->destroy_keys_on);
    int pseudonymizes = 0;
    for (size_t i = 0; i < r->n_rules; i++)
        pseudonymizes |= (r->rules[i].ops->flags & XF_PSEUDONYMIZES) != 0;
    if (!rc && pseudonymizes && !rr->purpose) {
        rc = dbuf_append_str(&b, "\n# warning: these rules pseudonymize (");
        rc = rc ? rc : transform_names(XF_PSEUDONYMIZES, " or ", &b);
        rc = rc ? rc : dbuf_append_str(&b, ") but have no `purpose` line: the processing record "
                                           "(가명정보 처리 기록) must state the purpose\n");
    }
    if (!rc && r->privacy.has_require) {
        size_t before = b.len;
        rc = dbuf_putc(&b, '\n');
        rc = rc ? rc : rules_kept_warnings(r, "# warning: ", &b);
        if (!rc && b.len == before + 1)
            b.len = before;
    }
    rc = rc ? rc : dbuf_putc(&b, '\n');
    if (rc) {
        dbuf_free(&b);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    *text = dbuf_take(&b);
    return *text ? DEID_OK : err_set(err, DEID_E_IO, "out of memory");
}
