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
#include "xf_token.h"

size_t rules_vault_count(const deid_rules *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_rules; i++)
        n += r->rules[i].ops == &xf_token_ops;
    return n;
}

const char *rules_vault_path(const deid_rules *r, size_t index)
{
    size_t seen = 0;
    for (size_t i = 0; i < r->n_rules; i++)
        if (r->rules[i].ops == &xf_token_ops && seen++ == index)
            return xf_token_vault_path(r->rules[i].state);
    return NULL;
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
