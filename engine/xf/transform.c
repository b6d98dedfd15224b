/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transform.c - the registry of transforms (made from xf_list.h) and the
 * parameter helpers their compile functions share (see transform.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "deid_limits.h"
#include "keyring.h"
#include "utf8.h"
#include "transform.h"

static const transform_ops *const table[] = {
#define XF(name) &xf_##name##_ops,
#include "xf_list.h"
#undef XF
    NULL,
};

const transform_ops *const *transform_all(void)
{
    return table;
}

const transform_ops *transform_find(const char *name)
{
    for (size_t i = 0; table[i]; i++)
        if (strcmp(table[i]->name, name) == 0)
            return table[i];
    return NULL;
}

int transform_names(unsigned flags, const char *last_sep, dbuf *out)
{
    size_t n = 0, total = 0;
    for (size_t i = 0; table[i]; i++)
        total += (table[i]->flags & flags) == flags;
    int rc = DBUF_OK;
    for (size_t i = 0; table[i] && !rc; i++) {
        if ((table[i]->flags & flags) != flags)
            continue;
        if (n)
            rc = dbuf_append_str(out, n + 1 == total ? last_sep : ", ");
        rc = rc ? rc : dbuf_append_str(out, table[i]->name);
        n++;
    }
    return rc;
}

xf_param *xf_param_find(xf_context *ctx, const char *name)
{
    for (size_t i = 0; i < ctx->n_params; i++) {
        xf_param *p = &ctx->params[i];
        if (p->name && strcmp(p->name, name) == 0) {
            p->used = 1;
            return p;
        }
    }
    return NULL;
}

xf_param *xf_positional(xf_context *ctx, size_t index)
{
    size_t seen = 0;
    for (size_t i = 0; i < ctx->n_params; i++) {
        xf_param *p = &ctx->params[i];
        if (!p->name && seen++ == index) {
            p->used = 1;
            return p;
        }
    }
    return NULL;
}

deid_status xf_param_fail(xf_context *ctx, const xf_param *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vset(ctx->err, DEID_E_RULES, fmt, ap);
    va_end(ap);
    err_at_rules(ctx->err, ctx->rules_file, ctx->line, p ? p->col : ctx->col, ctx->source_line);
    return DEID_E_RULES;
}

deid_status xf_param_uint(xf_context *ctx, const char *name, int required,
                          unsigned long long min, unsigned long long max,
                          unsigned long long def, unsigned long long *out)
{
    xf_param *p = xf_param_find(ctx, name);
    if (!p) {
        if (required)
            return xf_param_fail(ctx, NULL, "%s needs %s=", ctx->transform ? ctx->transform : "this transform", name);
        *out = def;
        return DEID_OK;
    }
    const char *s = p->value;
    if (*s < '0' || *s > '9')
        return xf_param_fail(ctx, p, "%s=%s is not a whole number", name, s);
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return xf_param_fail(ctx, p, "%s=%s is not a whole number", name, s);
    if (v < min || v > max)
        return xf_param_fail(ctx, p, "%s=%s is out of range (%llu to %llu)", name, s, min, max);
    *out = v;
    return DEID_OK;
}

int xf_file_list_add(xf_file_list *list, const char *role, const char *path)
{
    char **paths = realloc(list->paths, (list->n + 1) * sizeof *paths);
    if (!paths)
        return -1;
    list->paths = paths;
    const char **roles = realloc(list->roles, (list->n + 1) * sizeof *roles);
    if (!roles)
        return -1;
    list->roles = roles;
    char (*sha)[65] = realloc(list->sha256, (list->n + 1) * sizeof *sha);
    if (!sha)
        return -1;
    list->sha256 = sha;
    if (!(paths[list->n] = strdup(path)))
        return -1;
    sha[list->n][0] = '\0';
    roles[list->n++] = role;
    return 0;
}

void xf_file_list_set_sha256(xf_file_list *list, const char *path, const char *hex)
{
    for (size_t i = list->n; i-- > 0;)
        if (!strcmp(list->paths[i], path)) {
            snprintf(list->sha256[i], sizeof list->sha256[i], "%s", hex);
            return;
        }
}

void xf_file_list_free(xf_file_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->paths[i]);
    free(list->paths);
    free(list->roles);
    free(list->sha256);
    memset(list, 0, sizeof *list);
}

char *xf_resolve_path(const xf_context *ctx, const char *name)
{
    char *p;
    if (name[0] == '/' || !ctx->base_dir || !ctx->base_dir[0]) {
        p = strdup(name);
    } else {
        size_t n = strlen(ctx->base_dir) + 1 + strlen(name) + 1;
        if ((p = malloc(n)))
            snprintf(p, n, "%s/%s", ctx->base_dir, name);
    }
    /* Recorded here, where every side file's name is resolved, so a new
     * transform that reads a file is listed without more code. */
    if (p && ctx->files_read && xf_file_list_add(ctx->files_read, ctx->transform, p) != 0) {
        free(p);
        return NULL;
    }
    return p;
}

deid_status xf_param_no_repeat(xf_context *ctx, xf_param *p)
{
    for (xf_param *q = p + 1; q < ctx->params + ctx->n_params; q++)
        if (q->name && strcmp(q->name, p->name) == 0) {
            q->used = 1;
            return xf_param_fail(ctx, q, "parameter %s= given twice", p->name);
        }
    return DEID_OK;
}

deid_status xf_param_find_once(xf_context *ctx, const char *name, xf_param **out)
{
    xf_param *p = xf_param_find(ctx, name);
    *out = p;
    return p ? xf_param_no_repeat(ctx, p) : DEID_OK;
}

deid_status xf_compile_uint(xf_context *ctx, const char *name, unsigned long long max,
                            void **state)
{
    *state = NULL;
    unsigned long long n;
    deid_status st = xf_param_uint(ctx, name, 1, 1, max, 0, &n);
    if (st)
        return st;
    unsigned long long *box = malloc(sizeof *box);
    if (!box)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    *box = n;
    *state = box;
    return DEID_OK;
}

/* Control characters are refused: a mask or pad character that is a line
 * break or a NUL would only make the output harder to read and to check. */
deid_status xf_param_one_char(xf_context *ctx, const xf_param *p, char enc[4], size_t *enc_len,
                              uint32_t *cp)
{
    size_t len = strlen(p->value);
    size_t count = utf8_count(p->value, len);
    if (count == SIZE_MAX)
        return xf_param_fail(ctx, p, "%s= is not valid UTF-8", p->name);
    if (count != 1)
        return xf_param_fail(ctx, p, "%s= must be exactly one character", p->name);
    size_t n = utf8_decode(p->value, len, cp);
    if (*cp < 0x20 || *cp == 0x7F)
        return xf_param_fail(ctx, p, "%s= must be a printable character", p->name);
    memcpy(enc, p->value, n);
    *enc_len = n;
    return DEID_OK;
}

const char *xf_domain_text(const xf_context *ctx, const xf_param *p, char *buf, size_t size)
{
    const char *base = p ? p->value : ctx->column;
    if (!base)
        return NULL;
    int n = ctx->recipient ? snprintf(buf, size, "%s\x1f%s", ctx->recipient, base)
                           : snprintf(buf, size, "%s", base);
    return n < 0 || (size_t)n >= size ? NULL : buf;
}

deid_status xf_domain_arg_get(xf_context *ctx, const char *who, xf_domain_arg *d)
{
    d->p = xf_param_find(ctx, "domain");
    d->text = xf_domain_text(ctx, d->p, d->buf, sizeof d->buf);
    return d->text ? DEID_OK : xf_param_fail(ctx, NULL, "%s needs domain=LABEL here", who);
}

deid_status xf_keyed_init(xf_context *ctx, const xf_domain_arg *d, const deid_key *key,
                          xf_keyed *k)
{
    deid_status st = xf_domain_make(ctx, d->p, d->text, &k->domain, &k->domain_len);
    if (st)
        return st;
    memcpy(k->fingerprint, key_fingerprint(key), sizeof k->fingerprint);
    k->fingerprint[sizeof k->fingerprint - 1] = '\0';
    k->key_name = strdup(key_name(key));
    return DEID_OK;
}

int xf_keyed_describe(const xf_keyed *k, dbuf *out)
{
    int rc = dbuf_printf(out, "key=%s fingerprint=%s domain=", k->key_name, k->fingerprint);
    return rc ? rc : xf_append_value(out, k->domain);
}

void xf_keyed_free(xf_keyed *k)
{
    free(k->key_name);
    free(k->domain);
}

int xf_describe(const transform_ops *ops, const void *state, dbuf *out)
{
    if (!ops->describe)
        return DBUF_OK;
    size_t start = out->len;
    int rc = ops->describe(state, out);
    /* the recipient separator 0x1F shows as U+241F, a visible stand-in */
    for (size_t i = start; !rc && i < out->len; i++) {
        if (out->data[i] != 0x1f)
            continue;
        if ((rc = dbuf_reserve(out, 2)))
            break;
        memmove(out->data + i + 3, out->data + i + 1, out->len - i - 1);
        memcpy(out->data + i, "\xe2\x90\x9f", 3);
        out->len += 2;
        i += 2;
    }
    return rc;
}

const deid_key *xf_key_param(xf_context *ctx, deid_status *st)
{
    *st = DEID_OK;
    xf_param *pk = xf_param_find(ctx, "key");
    if (!pk) {
        *st = xf_param_fail(ctx, NULL, "%s needs key=NAME naming a key declared with: key NAME "
                                       "file=PATH",
                            ctx->transform ? ctx->transform : "this transform");
        return NULL;
    }
    const deid_key *key = keyring_find(ctx->keys, pk->value);
    if (!key && strlen(pk->value) > 32) {
        /* Long enough to be key material pasted by mistake: never echo it,
         * not even in the source line under the message. */
        *st = xf_param_fail(ctx, pk, "key= names no declared key (key material never belongs in "
                                     "the rules file; declare: key NAME file=PATH)");
        if (ctx->err)
            ctx->err->source_line[0] = '\0';
    } else if (!key) {
        *st = xf_param_fail(ctx, pk, "unknown key \"%s\"; declare it with: key %s file=PATH",
                            pk->value, pk->value);
    }
    return key;
}

deid_status xf_domain_make(xf_context *ctx, const xf_param *p, const char *text, char **out,
                           size_t *out_len)
{
    size_t len = strlen(text);
    if (len == 0)
        return xf_param_fail(ctx, p, "domain= is empty");
    if (len > DEID_MAX_NAME_BYTES)
        return xf_param_fail(ctx, p, "the domain is longer than %u bytes", DEID_MAX_NAME_BYTES);
    dbuf b;
    dbuf_init(&b, len);
    int rc = utf8_compose_hangul(text, len, &b);
    if (rc == 1) {
        dbuf_free(&b);
        return xf_param_fail(ctx, p, "the domain is not valid UTF-8");
    }
    size_t n = b.len; /* composing never lengthens text */
    char *d = rc ? NULL : dbuf_take(&b);
    dbuf_free(&b);
    if (!d)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    *out = d;
    if (out_len)
        *out_len = n;
    return DEID_OK;
}

int xf_append_value(dbuf *out, const char *s)
{
    return strpbrk(s, " \t\"'=,\\") ? xf_append_quoted(out, s) : dbuf_append_str(out, s);
}

int xf_append_quoted(dbuf *out, const char *s)
{
    int rc = dbuf_putc(out, '"');
    for (const char *c = s; !rc && *c; c++)
        rc = (*c == '"' || *c == '\\') ? dbuf_printf(out, "\\%c", *c) : dbuf_putc(out, *c);
    return rc ? rc : dbuf_putc(out, '"');
}
