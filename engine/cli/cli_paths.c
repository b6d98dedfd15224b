/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_paths.c - output paths that would replace an input or another
 * output (see cli_paths.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_paths.h"

enum { CLI_PATH_SKIP, CLI_PATH_FILE, CLI_PATH_NEW };

/* The folder's real path plus the name, for a file that does not exist
 * yet, into *out (malloc'd); *out stays NULL when the folder cannot be
 * resolved (opening the file will then fail with its own message).
 * Returns -1 when out of memory, else 0. */
static int resolve_new(const char *path, char **out)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    char *dir = slash == path ? strdup("/") : slash ? strndup(path, (size_t)(slash - path))
                                                    : strdup(".");
    *out = NULL;
    if (!dir)
        return -1;
    errno = 0;
    char *real = realpath(dir, NULL);
    int rc = !real && errno == ENOMEM ? -1 : 0;
    if (real) {
        size_t n = strlen(real) + 1 + strlen(name) + 1;
        if ((*out = malloc(n)))
            snprintf(*out, n, "%s/%s", real, name);
        else
            rc = -1;
    }
    free(real);
    free(dir);
    return rc;
}

void cli_paths_add(cli_paths *set, const char *role, const char *path, int output)
{
    if (!path || (output && !strcmp(path, "-")))
        return;
    cli_path *grown = realloc(set->items, (set->n + 1) * sizeof *grown);
    if (!grown) {
        set->out_of_memory = 1;
        return;
    }
    set->items = grown;
    cli_path *p = &set->items[set->n];
    memset(p, 0, sizeof *p);
    p->role = strdup(role);
    p->path = strdup(path);
    p->output = output;
    if (!p->role || !p->path) {
        free(p->role);
        free(p->path);
        set->out_of_memory = 1;
        return;
    }
    set->n++;
    struct stat sb;
    /* An input "-" is stdin, which may be a file redirected from one the
     * output would replace (deid run -o in.csv < in.csv). */
    int is_stdin = !strcmp(path, "-");
    if (is_stdin ? fstat(STDIN_FILENO, &sb) == 0 : stat(path, &sb) == 0) {
        if (S_ISREG(sb.st_mode)) {
            p->kind = CLI_PATH_FILE;
            p->dev = sb.st_dev;
            p->ino = sb.st_ino;
        }
    } else if (!is_stdin && errno == ENOENT) {
        if (resolve_new(path, &p->resolved) != 0)
            set->out_of_memory = 1;
        p->kind = p->resolved ? CLI_PATH_NEW : CLI_PATH_SKIP;
    } else if (errno == ENOMEM) {
        set->out_of_memory = 1;
    }
}

void cli_paths_add_rules(cli_paths *set, const char *rules_path, const deid_rules *rules)
{
    cli_paths_add(set, "the rules file", rules_path, 0);
    const char *path, *role;
    char what[64];
    for (size_t i = 0; (path = deid_rules_file(rules, i, &role)); i++) {
        if (!strcmp(role, "token"))
            snprintf(what, sizeof what, "the token vault");
        else
            snprintf(what, sizeof what, "the %s file", role);
        cli_paths_add(set, what, path, 0);
    }
}

static int same_file(const cli_path *a, const cli_path *b)
{
    if (a->kind == CLI_PATH_FILE && b->kind == CLI_PATH_FILE)
        return a->dev == b->dev && a->ino == b->ino;
    if (a->kind == CLI_PATH_NEW && b->kind == CLI_PATH_NEW)
        return strcmp(a->resolved, b->resolved) == 0;
    return 0;
}

int cli_paths_conflict(const cli_paths *set, char *msg, size_t size)
{
    if (set->out_of_memory) {
        snprintf(msg, size, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < set->n; i++) {
        const cli_path *out = &set->items[i];
        if (!out->output)
            continue;
        for (size_t j = 0; j < set->n; j++) {
            const cli_path *other = &set->items[j];
            /* each pair of outputs once */
            if (j == i || (other->output && j > i) || !same_file(out, other))
                continue;
            int named = strcmp(other->path, "-") != 0; /* stdin has no name to show */
            char text[3 * PATH_MAX];
            snprintf(text, sizeof text,
                     "%s %s is the same file as %s%s%s; an output must not replace a file "
                     "the run reads or another output",
                     out->role, out->path, other->role, named ? " " : "",
                     named ? other->path : "");
            /* file names are shown escaped (deid.h), as in every message */
            deid_escape_text(text, msg, size);
            return 1;
        }
    }
    return 0;
}

void cli_paths_free(cli_paths *set)
{
    for (size_t i = 0; i < set->n; i++) {
        free(set->items[i].role);
        free(set->items[i].path);
        free(set->items[i].resolved);
    }
    free(set->items);
    memset(set, 0, sizeof *set);
}
