/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules_vault.h - the token vaults a rule set uses (the mapping tables of
 * `token vault=FILE`), so that a caller that knows where the output goes
 * can keep the two apart. Additional information (추가정보) belongs in its
 * own place with its own access rights, not beside the pseudonymized data.
 */
#ifndef DEID_RULES_VAULT_H
#define DEID_RULES_VAULT_H

#include <stddef.h>

#include "deid.h"

/* Returns how many rules of rules keep a vault (transforms flagged
 * XF_SIDE_FILE_IS_VAULT, such as `token`; one vault path each, and two
 * rules may name the same vault). */
size_t rules_vault_count(const deid_rules *rules);

/* Returns the vault file of the i-th such rule (0 <= i < count), resolved
 * against the rules' folder as it was opened; borrowed from rules. NULL
 * when i is out of range. */
const char *rules_vault_path(const deid_rules *rules, size_t i);

/* Checks that every token rule sharing a vault asks for the same token
 * format (length= and alphabet=): a vault hands one token per value, so a
 * second column's format could only be ignored. Returns DEID_OK, or
 * DEID_E_RULES located at the second rule's differing parameter (its line
 * and column in rules' file, line shown). */
deid_status rules_vault_check_formats(const deid_rules *rules, deid_error *err);

/* Checks that no token vault of rules lives in the folder of out_path (the
 * output file about to be written; the folders are compared by device and
 * inode, so "./out" and "out" are one folder). Returns DEID_OK, or
 * DEID_E_USAGE with a message naming the vault and the way out. A folder
 * that cannot be examined is not refused here: opening the output reports
 * it. */
deid_status rules_vault_check_output(const deid_rules *rules, const char *out_path,
                                     deid_error *err);

#endif
