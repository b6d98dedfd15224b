/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_paths.h - keeps a command's outputs off the files it reads and off
 * each other: `-o in.csv in.csv` or `--report X -o X` would otherwise
 * replace the original or one output with another and exit 0.
 */
#ifndef DEID_CLI_PATHS_H
#define DEID_CLI_PATHS_H

#include <stddef.h>
#include <sys/types.h>

#include "deid.h"

typedef struct cli_path {
    char *role;        /* "-o", "the input", "the key file", ... (owned) */
    char *path;        /* as given (owned) */
    int output;
    int kind;          /* CLI_PATH_SKIP, _FILE (exists: dev, ino) or _NEW (resolved) */
    dev_t dev;
    ino_t ino;
    char *resolved;    /* realpath of the folder + "/" + the name (owned) */
} cli_path;

typedef struct cli_paths {
    cli_path *items;
    size_t n;
    int out_of_memory;
} cli_paths;

/* Adds path in the given role (copied). An input "-" is standard input
 * (compared when it is a regular file); an output "-" and NULL are
 * ignored. Out of memory is remembered and reported by cli_paths_conflict. */
void cli_paths_add(cli_paths *set, const char *role, const char *path, int output);
/* Adds the rules file and every file the rules read (deid_rules_file). */
void cli_paths_add_rules(cli_paths *set, const char *rules_path, const deid_rules *rules);
/* Returns 1 and writes a message naming both roles and paths into msg when
 * an output is the same file as another output or as any file read (after
 * symlinks and ".."; existing files are compared by device and inode, new
 * ones by their folder's real path and name); -1 with "out of memory" in
 * msg when the paths could not all be examined for lack of memory (the
 * check must not be skipped then); else 0. Paths that exist but are not regular files (/dev/null, a FIFO) are
 * never a conflict: writing them replaces nothing. */
int cli_paths_conflict(const cli_paths *set, char *msg, size_t size);
void cli_paths_free(cli_paths *set);

#endif
