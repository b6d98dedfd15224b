/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules_vault.c - the token vaults of a rule set and the check that none
 * lies beside the output (see rules_vault.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "fsys.h"
#include "rules.h"
#include "rules_vault.h"
#include "transform.h"
#include "xf_token.h" /* xf_token_format: a vault holds one token format */

static int keeps_vault(const rule *ru)
{
    return (ru->ops->flags & XF_SIDE_FILE_IS_VAULT) && ru->ops->side_file;
}

size_t rules_vault_count(const deid_rules *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_rules; i++)
        n += keeps_vault(&r->rules[i]);
    return n;
}

const char *rules_vault_path(const deid_rules *r, size_t index)
{
    size_t seen = 0;
    for (size_t i = 0; i < r->n_rules; i++)
        if (keeps_vault(&r->rules[i]) && seen++ == index)
            return r->rules[i].ops->side_file(r->rules[i].state);
    return NULL;
}

/* 1-based byte column of the word "name=..." in line, or 0. */
static unsigned long param_col(const char *line, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; line[i]; i++)
        if ((i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t') && !strncmp(line + i, name, n) &&
            line[i + n] == '=')
            return (unsigned long)i + 1;
    return 0;
}

deid_status rules_vault_check_formats(const deid_rules *r, deid_error *err)
{
    for (size_t i = 0; i < r->n_rules; i++) {
        const rule *second = &r->rules[i];
        if (!keeps_vault(second))
            continue;
        const void *v2;
        size_t len2;
        const char *abc2;
        xf_token_format(second->state, &v2, &len2, &abc2);
        for (size_t k = 0; k < i; k++) {
            const rule *first = &r->rules[k];
            const void *v1;
            size_t len1;
            const char *abc1;
            if (!keeps_vault(first))
                continue;
            xf_token_format(first->state, &v1, &len1, &abc1);
            if (v1 != v2 || (len1 == len2 && !strcmp(abc1, abc2)))
                continue;
            const char *what = len1 != len2 ? "length" : "alphabet";
            unsigned long col = param_col(second->source_line, what);
            if (!col)
                col = param_col(second->source_line, "vault");
            err_set(err, DEID_E_RULES,
                    "column %s shares the token vault of column %s (line %lu) with another "
                    "format: length=%zu alphabet=%s there, length=%zu alphabet=%s here; a "
                    "vault makes one format of token (use the same length= and alphabet=, "
                    "or another vault)",
                    second->column, first->column, first->line, len1, abc1, len2, abc2);
            err_at_rules(err, r->name, second->line, col ? col : second->name_col,
                         second->source_line);
            return DEID_E_RULES;
        }
    }
    return DEID_OK;
}

deid_status rules_vault_check_output(const deid_rules *r, const char *out_path, deid_error *err)
{
    struct stat out_sb;
    size_t n = rules_vault_count(r);
    if (!out_path || n == 0)
        return DEID_OK;
    /* Out of memory must not skip the check: the vault could end up beside
     * the data it unlocks. */
    if (fsys_stat_parent(out_path, &out_sb) != 0)
        return errno == ENOMEM ? err_set(err, DEID_E_IO, "out of memory") : DEID_OK;
    for (size_t i = 0; i < n; i++) {
        const char *vault = rules_vault_path(r, i);
        struct stat sb;
        int rc = vault ? fsys_stat_parent(vault, &sb) : -1;
        if (vault && rc != 0 && errno == ENOMEM)
            return err_set(err, DEID_E_IO, "out of memory");
        if (vault && rc == 0 && sb.st_dev == out_sb.st_dev && sb.st_ino == out_sb.st_ino)
            return err_set(err, DEID_E_USAGE,
                           "token vault %s is in the folder of the output %s; keep the "
                           "mapping table apart from the data (move the vault, or pass "
                           "--allow-vault-beside-output)",
                           vault, out_path);
    }
    return DEID_OK;
}
