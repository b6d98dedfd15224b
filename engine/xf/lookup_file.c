/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lookup_file.c - reading hierarchy and map files (see lookup_file.h).
 */
#include "lookup_file.h"

#include <errno.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "deid_limits.h"
#include "encode.h"
#include "fsys.h"

deid_status lookup_file_read(const char *path, const char *name, int delimiter,
                             csv_in_record_fn fn, void *fn_ctx, deid_error *e)
{
    char unused[65];
    return lookup_file_read_hashed(path, name, delimiter, fn, fn_ctx, unused, e);
}

deid_status lookup_file_read_hashed(const char *path, const char *name, int delimiter,
                                    csv_in_record_fn fn, void *fn_ctx, char sha256_hex[65],
                                    deid_error *e)
{
    sha256_hex[0] = '\0';
    struct stat sb;
    int fd = fsys_open_regular(path, 0, &sb);
    if (fd == FSYS_NOT_REGULAR)
        return err_set(e, DEID_E_RULES, "cannot read %s: %s", path,
                       fsys_not_regular_reason(sb.st_mode));
    if (fd < 0)
        return err_set(e, DEID_E_RULES, "cannot read %s: %s", path, strerror(errno));
    csv_in *in = NULL;
    char *buf = NULL;
    EVP_MD_CTX *sha = NULL;
    deid_status st = DEID_OK;
    /* A file too large is refused before reading any of it; the count
     * below covers files that grow. */
    if (sb.st_size > (off_t)DEID_MAX_LOOKUP_BYTES) {
        st = err_set(e, DEID_E_RULES, "%s: larger than %u bytes (DEID_MAX_LOOKUP_BYTES)",
                     name, DEID_MAX_LOOKUP_BYTES);
        goto out;
    }
    in = csv_in_new(delimiter, fn, fn_ctx);
    buf = malloc(LOOKUP_FILE_CHUNK);
    sha = EVP_MD_CTX_new();
    if (!in || !buf || !sha || !EVP_DigestInit_ex(sha, EVP_sha256(), NULL)) {
        st = err_set(e, DEID_E_IO, "out of memory");
        goto out;
    }
    size_t total = 0;
    for (;;) {
        ssize_t got = fsys_read(fd, buf, LOOKUP_FILE_CHUNK);
        if (got < 0) {
            st = err_set(e, DEID_E_RULES, "cannot read %s: %s", path, strerror(errno));
            goto out;
        }
        if (got == 0)
            break;
        total += (size_t)got;
        if (total > DEID_MAX_LOOKUP_BYTES) {
            st = err_set(e, DEID_E_RULES, "%s: larger than %u bytes (DEID_MAX_LOOKUP_BYTES)",
                         name, DEID_MAX_LOOKUP_BYTES);
            goto out;
        }
        if (!EVP_DigestUpdate(sha, buf, (size_t)got)) {
            st = err_set(e, DEID_E_IO, "out of memory");
            goto out;
        }
        if ((st = csv_in_feed(in, buf, (size_t)got, e)) != DEID_OK)
            break;
    }
    if (st == DEID_OK)
        st = csv_in_finish(in, e);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned md_len = 0;
    if (st == DEID_OK) {
        if (!EVP_DigestFinal_ex(sha, md, &md_len) || md_len != 32)
            st = err_set(e, DEID_E_IO, "out of memory");
        else
            encode_hex(md, md_len, sha256_hex);
    }
    if (st != DEID_OK) {
        /* Reader and row errors say what and on which line; add the file. */
        char msg[sizeof e->message];
        /* A cut message is still the best there is: truncation is fine. */
        int n = e->line ? snprintf(msg, sizeof msg, "%s:%lu: %s", name, e->line, e->message)
                        : snprintf(msg, sizeof msg, "%s: %s", name, e->message);
        if (n >= 0)
            memcpy(e->message, msg, sizeof msg);
        if (st != DEID_E_IO)
            st = e->status = DEID_E_RULES;
    }
out:
    EVP_MD_CTX_free(sha);
    free(buf);
    csv_in_free(in);
    fsys_close(fd);
    return st;
}

deid_status lookup_file_row_fail(deid_error *err, unsigned long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vset(err, DEID_E_RULES, fmt, ap);
    va_end(ap);
    if (err)
        err->line = line;
    return DEID_E_RULES;
}

deid_status lookup_file_row_nomem(deid_error *err, unsigned long line)
{
    err_set(err, DEID_E_IO, "out of memory");
    err->line = line;
    return DEID_E_IO;
}

deid_status lookup_file_fail(xf_context *ctx, const xf_param *p, const deid_error *e)
{
    xf_param_fail(ctx, p, "%s", e->message);
    if (e->status == DEID_E_IO) {
        if (ctx->err)
            ctx->err->status = DEID_E_IO;
        return DEID_E_IO;
    }
    return DEID_E_RULES;
}

deid_status lookup_file_param(xf_context *ctx, const char *missing_message, xf_param **file)
{
    *file = xf_param_find(ctx, "file");
    if (!*file)
        return xf_param_fail(ctx, NULL, "%s", missing_message);
    if (!(*file)->value[0])
        return xf_param_fail(ctx, *file, "file= is empty");
    return DEID_OK;
}

int lookup_originals_init(lookup_originals *o)
{
    memset(o, 0, sizeof *o);
    dbuf_init(&o->row_line, (size_t)DEID_MAX_LOOKUP_ROWS * sizeof(uint32_t));
    o->originals = strmap_new(DEID_MAX_LOOKUP_ROWS);
    return o->originals ? 0 : -1;
}

deid_status lookup_originals_add(lookup_originals *o, const csv_field *f, const char *word,
                                 unsigned long line, deid_error *err)
{
    if (o->rows >= DEID_MAX_LOOKUP_ROWS)
        return lookup_file_row_fail(err, line, "more than %u rows (DEID_MAX_LOOKUP_ROWS)",
                                    DEID_MAX_LOOKUP_ROWS);
    if (f->len == 0)
        return lookup_file_row_fail(err, line, "the original value (first %s) is empty", word);
    uint32_t seen;
    int rc = strmap_put(o->originals, f->data, f->len, (uint32_t)o->rows, &seen);
    if (rc == STRMAP_EXISTS) {
        uint32_t first;
        memcpy(&first, o->row_line.data + (size_t)seen * sizeof first, sizeof first);
        return lookup_file_row_fail(err, line, "value appears twice (lines %lu and %lu)",
                                    (unsigned long)first, line);
    }
    if (rc < 0)
        return rc == STRMAP_ENOMEM
                   ? lookup_file_row_nomem(err, line)
                   : lookup_file_row_fail(err, line, "the original value is too long");
    return DEID_OK;
}

deid_status lookup_originals_end_row(lookup_originals *o, unsigned long line, deid_error *err)
{
    uint32_t line32 = (uint32_t)line;
    if (dbuf_append(&o->row_line, &line32, sizeof line32))
        return lookup_file_row_nomem(err, line);
    o->rows++;
    return DEID_OK;
}

void lookup_originals_free(lookup_originals *o)
{
    strmap_free(o->originals);
    o->originals = NULL;
    dbuf_free(&o->row_line);
}
