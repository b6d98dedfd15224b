/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify.c - `deid verify`: a delivery checked against its processing
 * record (see deid.h, README "deid verify"). The record (JSON,
 * deid.record/1) names the output, the rules file and the hierarchy and
 * map files with their SHA-256; this recomputes each digest from the files
 * as they are now; a sharded run's record (deid-dask) also names the parts
 * of the output ("parts"). Given files are matched to recorded entries by
 * base name first (a delivery keeps its names), then by digest (a file
 * renamed on the way); recorded side files no given file matched are read
 * at their recorded paths (the output and its parts are what the caller
 * hands over). Only digests and names are compared and reported:
 * nothing of a file's content reaches a message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "deid.h"
#include "encode.h"
#include "err.h"
#include "fsys.h"
#include "json_read.h"

/* One file the record lists. */
typedef struct recorded {
    const char *role;      /* static */
    const char *path;      /* borrowed from the tree */
    const char *sha256;    /* borrowed from the tree, 64 hex digits */
    int checked;           /* a given file was matched to it */
    int delivered;         /* the output or a part of it: checked only when given */
} recorded;

typedef struct item_store {
    deid_verify_item pub;
    char *file;
    char *reason;
    char expected[65], actual[65];
} item_store;

struct deid_verify {
    item_store *items;
    size_t n, cap;
};

enum { VERIFY_READ_CHUNK = 64 * 1024 };

size_t deid_verify_count(const deid_verify *v)
{
    return v ? v->n : 0;
}

const deid_verify_item *deid_verify_at(const deid_verify *v, size_t index)
{
    return v && index < v->n ? &v->items[index].pub : NULL;
}

void deid_verify_free(deid_verify *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++) {
        free(v->items[i].file);
        free(v->items[i].reason);
    }
    free(v->items);
    free(v);
}

static int is_sha256(const char *s)
{
    if (!s || strlen(s) != 64)
        return 0;
    for (const char *c = s; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
            return 0;
    return 1;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The SHA-256 of the file at path into hex. Returns 0, or -1 with *reason
 * (static text) when it cannot be read. */
static int hash_file(const char *path, char hex[65], const char **reason)
{
    struct stat sb;
    int fd = fsys_open_regular(path, 0, &sb);
    if (fd == FSYS_NOT_REGULAR) {
        *reason = fsys_not_regular_reason(sb.st_mode);
        return -1;
    }
    if (fd < 0) {
        *reason = strerror(errno);
        return -1;
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char *buf = malloc(VERIFY_READ_CHUNK);
    int rc = md && buf && EVP_DigestInit_ex(md, EVP_sha256(), NULL) ? 0 : -1;
    *reason = "out of memory";
    while (!rc) {
        ssize_t got = fsys_read(fd, buf, VERIFY_READ_CHUNK);
        if (got < 0) {
            *reason = strerror(errno);
            rc = -1;
        } else if (got == 0) {
            break;
        } else if (!EVP_DigestUpdate(md, buf, (size_t)got)) {
            rc = -1;
        }
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    if (!rc && (!EVP_DigestFinal_ex(md, digest, &len) || len != 32))
        rc = -1;
    if (!rc)
        encode_hex(digest, len, hex);
    EVP_MD_CTX_free(md);
    free(buf);
    fsys_close(fd);
    return rc;
}

/* Adds an item for file (copied). Returns it, or NULL on ENOMEM. */
static item_store *add_item(deid_verify *v, const char *file, const char *role,
                            const char *matched_by, const char *expected)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 8;
        item_store *items = realloc(v->items, cap * sizeof *items);
        if (!items)
            return NULL;
        v->items = items;
        v->cap = cap;
    }
    item_store *it = &v->items[v->n];
    memset(it, 0, sizeof *it);
    if (!(it->file = strdup(file)))
        return NULL;
    v->n++;
    snprintf(it->expected, sizeof it->expected, "%s", expected ? expected : "");
    it->pub.file = it->file;
    it->pub.role = role;
    it->pub.matched_by = matched_by;
    it->pub.expected = it->expected;
    it->pub.actual = it->actual;
    it->pub.reason = "";
    return it;
}

/* Hashes it->file and sets the outcome against it->expected. Returns 0,
 * or -1 on ENOMEM. */
static int check_item(item_store *it)
{
    const char *reason;
    if (hash_file(it->file, it->actual, &reason)) {
        it->pub.outcome = DEID_VERIFY_UNREADABLE;
        if (!(it->reason = strdup(reason)))
            return -1;
        it->pub.reason = it->reason;
        return 0;
    }
    it->pub.outcome = it->expected[0] && !strcmp(it->expected, it->actual) ? DEID_VERIFY_MATCH
                                                                             : DEID_VERIFY_MISMATCH;
    return 0;
}

/* The parts of a sharded run's output ("parts", optional: deid-dask), into
 * out from *n. Returns DEID_OK, or DEID_E_DATA naming the key. */
static deid_status record_parts(const json_node *parts, const char *name, recorded *out, size_t *n,
                                deid_error *err)
{
    if (!parts)
        return DEID_OK;
    if (parts->type != JSON_ARRAY)
        return err_set(err, DEID_E_DATA, "%s: \"parts\" is not an array", name);
    for (size_t i = 0; i < parts->n; i++) {
        const char *file = json_get_string(parts->items[i], "file");
        if (!file || !file[0] || !is_sha256(json_get_string(parts->items[i], "sha256")))
            return err_set(err, DEID_E_DATA, "%s: \"parts\"[%zu] needs \"file\" and a SHA-256 \"sha256\"",
                           name, i);
        out[(*n)++] = (recorded){"part", file, json_get_string(parts->items[i], "sha256"), 0, 1};
    }
    return DEID_OK;
}

/* The record's entries, checked for shape: output, rules, files[], then
 * parts[]. Returns DEID_OK, or DEID_E_DATA naming the key. */
static deid_status record_entries(const json_node *root, const char *name, recorded *out,
                                  size_t *n_out, deid_error *err)
{
    const char *schema = json_get_string(root, "schema_version");
    if (!schema)
        return err_set(err, DEID_E_DATA,
                       "%s: no \"schema_version\": not a deid processing record (deid.record/1)", name);
    if (strcmp(schema, "deid.record/1"))
        return err_set(err, DEID_E_DATA, "%s: schema_version \"%s\" is not deid.record/1", name, schema);
    const json_node *output = json_get(root, "output"), *rules = json_get(root, "rules"),
                    *files = json_get(root, "files");
    const json_node *out_file = json_get(output, "file");
    if (!output || output->type != JSON_OBJECT || !out_file ||
        (out_file->type != JSON_STRING && out_file->type != JSON_NULL))
        return err_set(err, DEID_E_DATA, "%s: \"output\" has no \"file\" (a name or null)", name);
    if (!is_sha256(json_get_string(output, "sha256")))
        return err_set(err, DEID_E_DATA, "%s: \"output\".\"sha256\" is not a SHA-256 digest", name);
    if (!json_get_string(rules, "file") || !is_sha256(json_get_string(rules, "sha256")))
        return err_set(err, DEID_E_DATA, "%s: \"rules\" needs \"file\" and a SHA-256 \"sha256\"", name);
    if (!files || files->type != JSON_ARRAY)
        return err_set(err, DEID_E_DATA, "%s: \"files\" is not an array", name);
    size_t n = 0;
    out[n++] = (recorded){"output", out_file->type == JSON_STRING ? out_file->text : NULL,
                          json_get_string(output, "sha256"), 0, 1};
    out[n++] = (recorded){"rules", json_get_string(rules, "file"), json_get_string(rules, "sha256"), 0, 0};
    for (size_t i = 0; i < files->n; i++) {
        const json_node *f = files->items[i];
        const char *role = json_get_string(f, "role"), *file = json_get_string(f, "file");
        if (!role || !file || !file[0] || !is_sha256(json_get_string(f, "sha256")))
            return err_set(err, DEID_E_DATA,
                           "%s: \"files\"[%zu] needs \"role\", \"file\" and a SHA-256 \"sha256\"", name, i);
        /* the side files whose bytes the record hashes (pram: its matrix) */
        const char *known = !strcmp(role, "hierarchy") ? "hierarchy"
                            : !strcmp(role, "map")     ? "map"
                            : !strcmp(role, "pram")    ? "pram"
                                                       : NULL;
        if (!known)
            return err_set(err, DEID_E_DATA,
                           "%s: \"files\"[%zu]: role \"%s\" is not hierarchy, map or pram", name, i,
                           role);
        out[n++] = (recorded){known, file, json_get_string(f, "sha256"), 0, 0};
    }
    *n_out = n;
    return record_parts(json_get(root, "parts"), name, out, n_out, err);
}

/* Reads and parses the record. Returns DEID_OK with *root, or the error. */
static deid_status read_record(const char *path, json_node **root, deid_error *err)
{
    struct stat sb;
    int fd = fsys_open_regular(path, 0, &sb);
    if (fd == FSYS_NOT_REGULAR)
        return err_set(err, DEID_E_IO, "cannot read %s: %s", path, fsys_not_regular_reason(sb.st_mode));
    if (fd < 0)
        return err_set(err, DEID_E_IO, "cannot read %s: %s", path, strerror(errno));
    char *text = NULL;
    size_t len = 0;
    int rc = fsys_read_small(fd, DEID_MAX_PROCESSING_RECORD_BYTES, &text, &len);
    int saved = errno;
    fsys_close(fd);
    if (rc == FSYS_TOO_LARGE)
        return err_set(err, DEID_E_DATA, "%s: larger than %u bytes (DEID_MAX_PROCESSING_RECORD_BYTES)",
                       path, DEID_MAX_PROCESSING_RECORD_BYTES);
    if (rc)
        return err_set(err, DEID_E_IO, "cannot read %s: %s", path, strerror(saved));
    char why[96];
    size_t at = 0;
    *root = json_read(text, len, why, sizeof why, &at);
    free(text);
    if (!*root)
        return err_set(err, strcmp(why, "out of memory") ? DEID_E_DATA : DEID_E_IO,
                       "%s: not valid JSON: %s at byte %zu", path, why, at);
    return DEID_OK;
}

/* A recorded path as verify opens it: absolute as written, relative
 * against base_dir when given. malloc'd, NULL on ENOMEM. */
static char *resolve(const char *base_dir, const char *path)
{
    if (!base_dir || !base_dir[0] || path[0] == '/')
        return strdup(path);
    size_t n = strlen(base_dir) + strlen(path) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", base_dir, path);
    return p;
}

/* Matches given file i to an entry and checks it. Returns 0 or -1 (ENOMEM). */
static int check_given(deid_verify *v, const char *file, recorded *rec, size_t n_rec)
{
    for (size_t e = 0; e < n_rec; e++) {
        if (!rec[e].path || strcmp(base_name(rec[e].path), base_name(file)))
            continue;
        item_store *it = add_item(v, file, rec[e].role, "name", rec[e].sha256);
        rec[e].checked = 1;
        return it ? check_item(it) : -1;
    }
    item_store *it = add_item(v, file, "unknown", "digest", NULL);
    if (!it || check_item(it))
        return -1;
    for (size_t e = 0; e < n_rec && it->pub.outcome != DEID_VERIFY_UNREADABLE; e++)
        if (!strcmp(rec[e].sha256, it->actual)) {
            it->pub.role = rec[e].role;
            snprintf(it->expected, sizeof it->expected, "%s", rec[e].sha256);
            it->pub.outcome = DEID_VERIFY_MATCH;
            rec[e].checked = 1;
            break;
        }
    return 0;
}

deid_status deid_verify_record(const char *record_path, const char *base_dir,
                               const char *const *files, size_t n_files, deid_verify **out,
                               deid_error *err)
{
    err_clear(err);
    if (!record_path || !out || (n_files && !files))
        return err_set(err, DEID_E_USAGE, "deid_verify_record: record_path, out and files are required");
    *out = NULL;
    json_node *root = NULL;
    deid_status st = read_record(record_path, &root, err);
    if (st)
        return st;
    const json_node *list = json_get(root, "files"), *parts = json_get(root, "parts");
    size_t cap = 2 + (list && list->type == JSON_ARRAY ? list->n : 0) +
                 (parts && parts->type == JSON_ARRAY ? parts->n : 0),
           n_rec = 0;
    recorded *rec = calloc(cap, sizeof *rec);
    deid_verify *v = calloc(1, sizeof *v);
    if (!rec || !v)
        st = err_set(err, DEID_E_IO, "out of memory");
    if (!st)
        st = record_entries(root, record_path, rec, &n_rec, err);
    for (size_t i = 0; !st && i < n_files; i++)
        if (check_given(v, files[i], rec, n_rec))
            st = err_set(err, DEID_E_IO, "out of memory");
    /* the output and its parts are what the caller hands over; the side
     * files stay where the run read them */
    for (size_t e = 0; !st && e < n_rec; e++) {
        if (rec[e].checked || rec[e].delivered)
            continue;
        char *path = resolve(base_dir, rec[e].path);
        item_store *it = path ? add_item(v, path, rec[e].role, "record", rec[e].sha256) : NULL;
        free(path);
        if (!it || check_item(it))
            st = err_set(err, DEID_E_IO, "out of memory");
    }
    free(rec);
    json_free(root);
    if (st) {
        deid_verify_free(v);
        return st;
    }
    *out = v;
    return DEID_OK;
}
