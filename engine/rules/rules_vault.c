/*
 * rules_vault.c - the token vaults of a rule set and the check that none
 * lies beside the output (see rules_vault.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "rules.h"
#include "rules_vault.h"
#include "transform.h"

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

/* stat()s the folder that holds path. Returns 0, -1 when stat fails, or -2
 * on ENOMEM. */
static int stat_folder(const char *path, struct stat *sb)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash == path ? strdup("/") : slash ? strndup(path, (size_t)(slash - path))
                                                    : strdup(".");
    int rc = dir ? stat(dir, sb) : -2;
    free(dir);
    return rc;
}

deid_status rules_vault_check_output(const deid_rules *r, const char *out_path, deid_error *err)
{
    struct stat out_sb;
    size_t n = rules_vault_count(r);
    if (!out_path || n == 0)
        return DEID_OK;
    /* Out of memory must not skip the check: the vault could end up beside
     * the data it unlocks. */
    int rc = stat_folder(out_path, &out_sb);
    if (rc == -2)
        return err_set(err, DEID_E_IO, "out of memory");
    if (rc != 0)
        return DEID_OK;
    for (size_t i = 0; i < n; i++) {
        const char *vault = rules_vault_path(r, i);
        struct stat sb;
        if (vault && (rc = stat_folder(vault, &sb)) == -2)
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
