/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules_reverse.c - what `deid reverse` must tell its user about the
 * columns it restores (issue 12, finding 10). FF1 (`fpe`) is a permutation
 * of the strings of one shape: every string decrypts to some string, so a
 * wrong key, a wrong domain or a changed character gives a plausible wrong
 * value and no error. `encrypt` (AES-SIV, authenticated) and `token` (a
 * vault lookup) stop on those instead. The warning text is made here, in
 * the library, so that every caller words it alike; the CLI prints it.
 */
#include <string.h>

#include "dbuf.h"
#include "err.h"
#include "rules.h"
#include "transform.h"

/* 1 if column is among columns[0..n), or n is 0 (every column). */
static int asked_for(const char *column, const char *const *columns, size_t n)
{
    if (n == 0)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (columns[i] && !strcmp(columns[i], column))
            return 1;
    return 0;
}

deid_status deid_rules_reverse_warning(const deid_rules *rules, const char *const *columns,
                                       size_t n_columns, char **text, deid_error *err)
{
    *text = NULL;
    dbuf b;
    dbuf_init(&b, 1u << 20);
    int rc = 0;
    size_t listed = 0;
    for (size_t i = 0; rules && i < rules->n_rules && !rc; i++) {
        const rule *ru = &rules->rules[i];
        if (!(ru->ops->flags & XF_REVERSE_UNVERIFIED) || !ru->ops->reverse ||
            !asked_for(ru->column, columns, n_columns))
            continue;
        rc = dbuf_printf(&b, "%s%s", listed++ ? ", " : "deid: warning: fpe columns restored without an integrity check: ",
                         ru->column);
    }
    if (!rc && listed)
        rc = dbuf_printf(&b, "; FF1 turns a wrong key or domain, or a changed character, into a "
                             "plausible wrong value, not an error (encrypt and token stop on "
                             "those)\n");
    if (rc) {
        dbuf_free(&b);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    if (listed && !(*text = dbuf_take(&b)))
        return err_set(err, DEID_E_IO, "out of memory");
    dbuf_free(&b);
    return DEID_OK;
}
