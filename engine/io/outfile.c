/* SPDX-License-Identifier: Apache-2.0 */
/*
 * outfile.c - output files that appear only when complete: data goes to a
 * temporary file beside the target (same file system, so rename is
 * atomic) and is renamed into place on commit, removed on abort. A target
 * that exists and is not a regular file (/dev/null, a FIFO, a terminal),
 * or that lies in /dev or /proc (/dev/stdout, /dev/fd/1, /proc/self/fd/1:
 * aliases of an open file, whatever that is) is written directly: renaming
 * over it would replace the device node or the symlink itself.
 *
 * The temporary file is announced to the program's temp-file hooks
 * (deid_set_temp_hooks, through fsys) when made and when renamed or
 * removed; the library keeps no list of its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "fsys.h"

struct deid_outfile {
    char *path;
    char *tmp; /* NULL: path is written directly (not a regular file) */
    int fd;
};

/* 1 if path's folder is in /dev or /proc, 0 if not, -1 on ENOMEM. */
static int in_dev_or_proc(const char *path)
{
    char *dir = fsys_parent_dir(path);
    if (!dir)
        return -1;
    char *real = fsys_realpath(dir);
    int in = real && (!strcmp(real, "/dev") || !strncmp(real, "/dev/", 5) ||
                      !strcmp(real, "/proc") || !strncmp(real, "/proc/", 6));
    int nomem = !real && errno == ENOMEM;
    free(real);
    free(dir);
    return nomem ? -1 : in;
}

/* Opens a target that is not renamed into place for writing. */
static deid_status open_direct(const char *path, const struct stat *sb, deid_outfile *of,
                               deid_error *err)
{
    if (S_ISDIR(sb->st_mode))
        return err_set(err, DEID_E_IO, "cannot write %s: %s", path, strerror(EISDIR));
    /* O_APPEND: through /proc/self/fd/1 a regular file gets a fresh offset
     * of 0, which would overwrite what the shell wrote to it before. */
    int fd = fsys_open(path, O_WRONLY | O_APPEND | O_NOCTTY, 0);
    if (fd < 0)
        return err_set(err, DEID_E_IO, "cannot open %s: %s", path, strerror(errno));
    of->fd = fd;
    return DEID_OK;
}

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
    struct stat sb;
    int exists = fsys_stat(path, &sb) == 0, special = in_dev_or_proc(path);
    if (special < 0) {
        free(of), free(tmp), free(copy);
        return err_set(err, DEID_E_IO, "out of memory");
    }
    if (exists && (special || !S_ISREG(sb.st_mode))) {
        free(tmp);
        deid_status st = open_direct(path, &sb, of, err);
        if (st) {
            free(of), free(copy);
            return st;
        }
        of->path = copy;
        *out = of;
        return DEID_OK;
    }
    /* Hidden name beside the target: ".NAME.deid-XXXXXX" in the same folder. */
    size_t dir_len = fsys_dir_prefix_len(path);
    snprintf(tmp, n, "%.*s.%s.deid-XXXXXX", (int)dir_len, path, path + dir_len);
    int fd = fsys_mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(of), free(tmp), free(copy);
        return err_set(err, DEID_E_IO, "cannot create a temporary file beside %s: %s", path,
                       strerror(e));
    }
    /* mkstemp gives 0600; output is personal data until proven otherwise. */
    of->fd = fd;
    of->tmp = tmp;
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
    free(of->tmp);
    free(of->path);
    free(of);
}

deid_status deid_outfile_set_mode(deid_outfile *of, unsigned mode, deid_error *err)
{
    if (mode > 0777)
        return err_set(err, DEID_E_USAGE, "file mode %o has bits beyond 0777", mode);
    /* the temporary file gets the mode: the rename puts it in place whole */
    if (of->tmp && fsys_fchmod(of->fd, (mode_t)mode) != 0)
        return err_set(err, DEID_E_IO, "cannot set the mode of %s: %s", of->path, strerror(errno));
    return DEID_OK;
}

deid_status deid_outfile_commit(deid_outfile *of, deid_error *err)
{
    deid_status st = DEID_OK;
    const char *step;
    if (!of->tmp) {
        if (fsys_close(of->fd) != 0)
            st = err_set(err, DEID_E_IO, "cannot write %s: %s", of->path, strerror(errno));
    } else if (fsys_commit_temp(of->fd, of->tmp, of->path, &step) != 0) {
        if (!strcmp(step, "rename"))
            st = err_set(err, DEID_E_IO, "cannot rename the output into place as %s: %s",
                         of->path, strerror(errno));
        else
            st = err_set(err, DEID_E_IO, "cannot write %s: %s", of->path, strerror(errno));
    }
    outfile_free(of);
    return st;
}

void deid_outfile_abort(deid_outfile *of)
{
    if (!of)
        return;
    if (of->tmp)
        fsys_discard_temp(of->fd, of->tmp);
    else
        fsys_close(of->fd);
    outfile_free(of);
}
