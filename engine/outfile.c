/*
 * outfile.c - output files that appear only when complete: data goes to a
 * temporary file beside the target (same file system, so rename is
 * atomic) and is renamed into place on commit, removed on abort.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"

/* Every temporary file open right now, so that a signal handler can remove
 * them all (the output, a report, a token vault being saved): fixed-size
 * slots, filled and cleared by ordinary code, read with plain unlink. */
#define OUTFILE_SLOTS 16
static char open_temps[OUTFILE_SLOTS][4096];

static void remember_temp(const char *path)
{
    if (strlen(path) >= sizeof open_temps[0])
        return;
    for (int i = 0; i < OUTFILE_SLOTS; i++)
        if (!open_temps[i][0]) {
            memcpy(open_temps[i], path, strlen(path) + 1);
            return;
        }
}

static void forget_temp(const char *path)
{
    for (int i = 0; i < OUTFILE_SLOTS; i++)
        if (!strcmp(open_temps[i], path))
            open_temps[i][0] = '\0';
}

void deid_outfile_remove_temps(void)
{
    for (int i = 0; i < OUTFILE_SLOTS; i++)
        if (open_temps[i][0])
            unlink(open_temps[i]);
}

struct deid_outfile {
    char *path;
    char *tmp;
    int fd;
};

deid_status deid_outfile_open(const char *path, deid_outfile **out, deid_error *err)
{
    *out = NULL;
    deid_outfile *of = calloc(1, sizeof *of);
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    char *copy = strdup(path);
    if (!of || !tmp || !copy) {
        free(of), free(tmp), free(copy);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    /* Hidden name beside the target: ".NAME.deid-XXXXXX" in the same folder. */
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    snprintf(tmp, n, "%.*s.%s.deid-XXXXXX", (int)dir_len, path, path + dir_len);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(of), free(tmp), free(copy);
        return err_set(err, DEID_E_IO, "cannot create a temporary file beside %s: %s", path,
                       strerror(e));
    }
    /* mkstemp gives 0600; output is personal data until proven otherwise. */
    of->fd = fd;
    of->tmp = tmp;
    remember_temp(tmp);
    of->path = copy;
    *out = of;
    return DEID_OK;
}

int deid_outfile_fd(const deid_outfile *of)
{
    return of->fd;
}

const char *deid_outfile_temp_path(const deid_outfile *of)
{
    return of->tmp;
}

static void outfile_free(deid_outfile *of)
{
    forget_temp(of->tmp);
    free(of->tmp);
    free(of->path);
    free(of);
}

deid_status deid_outfile_commit(deid_outfile *of, deid_error *err)
{
    deid_status st = DEID_OK;
    if (fsync(of->fd) != 0 && errno != EINVAL)
        st = err_set(err, DEID_E_IO, "cannot write %s: %s", of->path, strerror(errno));
    if (close(of->fd) != 0 && !st)
        st = err_set(err, DEID_E_IO, "cannot write %s: %s", of->path, strerror(errno));
    if (!st && rename(of->tmp, of->path) != 0)
        st = err_set(err, DEID_E_IO, "cannot rename the output into place as %s: %s", of->path,
                     strerror(errno));
    if (st)
        unlink(of->tmp);
    outfile_free(of);
    return st;
}

void deid_outfile_abort(deid_outfile *of)
{
    if (!of)
        return;
    close(of->fd);
    unlink(of->tmp);
    outfile_free(of);
}
