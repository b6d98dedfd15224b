/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules_kept.c - the warning for columns that keep part of their value
 * outside `quasi` (issue 13). When the rules `require` k-anonymity (or l,
 * t), the classes are counted over the `quasi` columns only. A column that
 * keeps a birth year (`mask keep-first=2` on a resident number), a region
 * (`prefix`, `words`), a band (`range`, `round`, `date`) or a hierarchy
 * label below its top is something an attacker may know too, yet it is
 * not counted: the output can meet k over the declared QIs and still hold
 * unique records. Columns named in `sensitive` are left out: declaring one
 * says the attacker does not know it, and l-diversity and t-closeness are
 * what protect it. `deid lint` and `deid run` word the warning alike
 * because it is made here.
 */
#include <string.h>

#include "dbuf.h"
#include "err.h"
#include "rules.h"
#include "transform.h"

/* 1 if name is among names[0..n). */
static int listed(const char *name, char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], name))
            return 1;
    return 0;
}

int rules_kept_warnings(const deid_rules *r, const char *prefix, dbuf *out)
{
    const rules_privacy *pv = &r->privacy;
    if (!pv->has_require)
        return DBUF_OK;
    dbuf phrase;
    dbuf_init(&phrase, 4096);
    int rc = DBUF_OK;
    for (size_t i = 0; i < r->n_rules && !rc; i++) {
        const rule *ru = &r->rules[i];
        if (!ru->ops->kept || listed(ru->column, pv->quasi, pv->n_quasi) ||
            listed(ru->column, pv->sensitive, pv->n_sensitive))
            continue;
        dbuf_reset(&phrase);
        rc = ru->ops->kept(ru->state, &phrase);
        if (!rc && phrase.len)
            rc = dbuf_printf(out,
                             "%scolumn %s %.*s and is not a quasi-identifier; what it keeps can "
                             "single people out (name it in `quasi`, or in `sensitive` if no attacker can "
                             "know it, or keep less)\n",
                             prefix, ru->column, (int)phrase.len, phrase.data);
    }
    dbuf_free(&phrase);
    return rc;
}

deid_status deid_rules_kept_warning(const deid_rules *rules, char **text, deid_error *err)
{
    *text = NULL;
    dbuf b;
    dbuf_init(&b, 1u << 20);
    if (rules_kept_warnings(rules, "deid: warning: ", &b)) {
        dbuf_free(&b);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    if (b.len && !(*text = dbuf_take(&b)))
        return err_set(err, DEID_E_IO, "out of memory");
    dbuf_free(&b);
    return DEID_OK;
}
