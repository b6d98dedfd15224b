/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules_files.c - what a rule set reads from disk besides itself, for a
 * caller that must keep its outputs off those files (deid.h).
 */
#include "deid.h"
#include "rules.h"
#include "rules_vault.h"

const char *deid_rules_file(const deid_rules *rules, size_t index, const char **role)
{
    if (!rules || index >= rules->files_read.n)
        return NULL;
    if (role)
        *role = rules->files_read.roles[index];
    return rules->files_read.paths[index];
}

deid_status deid_rules_check_vault_folder(const deid_rules *rules, const char *out_path,
                                          deid_error *err)
{
    return rules_vault_check_output(rules, out_path, err);
}
