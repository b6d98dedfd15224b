/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay.c - runs a fuzz target's LLVMFuzzerTestOneInput on files, so the
 * committed corpora and crash reproducers replay as ordinary tests with
 * any C compiler (`make fuzzreplay`, part of `make check`), like zstd's
 * regression driver.
 *
 * Usage: replay_<target> PATH...   Each PATH is a file, or a folder whose
 * regular files are replayed in name order (a missing folder is skipped,
 * so a target may have no reproducers yet). A crash, a sanitizer report or
 * a failed oracle inside the target aborts the process; exit 0 otherwise,
 * after one line "fuzz replay NAME: N inputs ok".
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Fuzz inputs are small (-max_len); a larger file is a mistake. */
#define REPLAY_MAX_BYTES (16u << 20)

static unsigned long n_run;

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    uint8_t *buf = malloc(REPLAY_MAX_BYTES);
    if (!buf) {
        fclose(f);
        fprintf(stderr, "replay: out of memory\n");
        return 1;
    }
    size_t n = fread(buf, 1, REPLAY_MAX_BYTES, f);
    int bad = ferror(f) || !feof(f);
    fclose(f);
    if (bad) {
        free(buf);
        fprintf(stderr, "replay: cannot read %s (or over %u bytes)\n", path, REPLAY_MAX_BYTES);
        return 1;
    }
    /* an exact-size copy, so ASan sees reads past the end */
    uint8_t *data = malloc(n ? n : 1);
    if (!data) {
        free(buf);
        fprintf(stderr, "replay: out of memory\n");
        return 1;
    }
    memcpy(data, buf, n);
    free(buf);
    if (getenv("REPLAY_VERBOSE"))
        fprintf(stderr, "replay: %s\n", path);
    LLVMFuzzerTestOneInput(data, n);
    free(data);
    n_run++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : (fprintf(stderr, "replay: cannot open %s\n", dir), 1);
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **g = realloc(names, cap * sizeof *g);
            if (!g) {
                rc = 1;
                break;
            }
            names = g;
        }
        size_t len = strlen(dir) + 1 + strlen(e->d_name) + 1;
        if (!(names[n] = malloc(len))) {
            rc = 1;
            break;
        }
        snprintf(names[n++], len, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (!rc && stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode))
            rc = replay_file(names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct stat sb;
        int rc;
        if (stat(argv[i], &sb) != 0)
            rc = errno == ENOENT ? 0 : 1;
        else
            rc = S_ISDIR(sb.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i]);
        if (rc)
            return 1;
    }
    const char *name = strrchr(argv[0], '/');
    name = name ? name + 1 : argv[0];
    if (!strncmp(name, "replay_", 7))
        name += 7;
    printf("fuzz replay %s: %lu inputs ok\n", name, n_run);
    return 0;
}
