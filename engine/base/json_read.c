/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json_read.c - a strict JSON reader into a tree (see json_read.h).
 * Recursive descent; depth is bounded, so input cannot exhaust the stack.
 */
#include "json_read.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbuf.h"

typedef struct reader {
    const char *p, *end, *start;
    char *why;
    size_t why_size;
    int failed;
} reader;

static void fail(reader *r, const char *why)
{
    if (r->failed)
        return;
    r->failed = 1;
    snprintf(r->why, r->why_size, "%s", why);
}

static void skip_space(reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static json_node *node_new(reader *r, json_type type)
{
    json_node *n = calloc(1, sizeof *n);
    if (!n)
        fail(r, "out of memory");
    else
        n->type = type;
    return n;
}

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static int put_utf8(dbuf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return dbuf_append(b, u, n);
}

/* A string at r->p (on the opening quote) into a malloc'd, NUL-terminated
 * buffer; NULL on failure. */
static char *read_string(reader *r, size_t *len_out)
{
    dbuf b;
    dbuf_init(&b, (size_t)(r->end - r->p) + 1);
    r->p++;
    while (!r->failed) {
        if (r->p >= r->end) {
            fail(r, "unterminated string");
            break;
        }
        unsigned char c = (unsigned char)*r->p;
        if (c == '"') {
            r->p++;
            break;
        }
        if (c < 0x20) {
            fail(r, "control character in a string");
            break;
        }
        if (c != '\\') {
            if (dbuf_putc(&b, (char)c))
                fail(r, "out of memory");
            r->p++;
            continue;
        }
        if (r->end - r->p < 2) {
            fail(r, "unterminated string");
            break;
        }
        char e = r->p[1];
        r->p += 2;
        const char *simple = strchr("\"\\/bfnrt", e);
        if (e && simple) {
            static const char out[] = "\"\\/\b\f\n\r\t";
            if (dbuf_putc(&b, out[simple - "\"\\/bfnrt"]))
                fail(r, "out of memory");
            continue;
        }
        unsigned cp, lo;
        if (e != 'u' || r->end - r->p < 4 || hex4(r->p, &cp)) {
            fail(r, "bad escape in a string");
            break;
        }
        r->p += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' || hex4(r->p + 2, &lo) ||
                lo < 0xDC00 || lo > 0xDFFF) {
                fail(r, "unpaired surrogate in a string");
                break;
            }
            r->p += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail(r, "unpaired surrogate in a string");
            break;
        }
        if (cp == 0) {
            fail(r, "NUL in a string");
            break;
        }
        if (put_utf8(&b, cp))
            fail(r, "out of memory");
    }
    if (r->failed || dbuf_putc(&b, '\0')) {
        fail(r, "out of memory");
        dbuf_free(&b);
        return NULL;
    }
    *len_out = b.len - 1;
    char *s = dbuf_take(&b);
    if (!s)
        fail(r, "out of memory");
    return s;
}

static json_node *read_value(reader *r, unsigned depth);

static int append_item(reader *r, json_node *n, char *key, json_node *item)
{
    json_node **items = realloc(n->items, (n->n + 1) * sizeof *items);
    if (items)
        n->items = items;
    char **keys = key && items ? realloc(n->keys, (n->n + 1) * sizeof *keys) : NULL;
    if (keys)
        n->keys = keys;
    if (!items || (key && !keys)) {
        fail(r, "out of memory");
        free(key);
        json_free(item);
        return -1;
    }
    if (key)
        n->keys[n->n] = key;
    n->items[n->n++] = item;
    return 0;
}

static json_node *read_container(reader *r, unsigned depth, int object)
{
    json_node *n = node_new(r, object ? JSON_OBJECT : JSON_ARRAY);
    if (!n)
        return NULL;
    char close = object ? '}' : ']';
    r->p++;
    skip_space(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return n;
    }
    while (!r->failed) {
        char *key = NULL;
        skip_space(r);
        if (object) {
            size_t klen;
            if (r->p >= r->end || *r->p != '"') {
                fail(r, "expected a key in quotes");
                break;
            }
            if (!(key = read_string(r, &klen)))
                break;
            if (json_get(n, key)) {
                free(key);
                fail(r, "a key appears twice in one object");
                break;
            }
            skip_space(r);
            if (r->p >= r->end || *r->p != ':') {
                free(key);
                fail(r, "expected ':' after a key");
                break;
            }
            r->p++;
        }
        json_node *item = read_value(r, depth + 1);
        if (!item) {
            free(key);
            break;
        }
        if (append_item(r, n, key, item))
            break;
        skip_space(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == close) {
            r->p++;
            return n;
        }
        fail(r, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
    json_free(n);
    return NULL;
}

static json_node *read_number(reader *r)
{
    const char *s = r->p;
    if (r->p < r->end && *r->p == '-')
        r->p++;
    const char *digits = r->p;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
        r->p++;
    int ok = r->p > digits && !(*digits == '0' && r->p - digits > 1);
    if (ok && r->p < r->end && *r->p == '.') {
        const char *f = ++r->p;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
        ok = r->p > f;
    }
    if (ok && r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        r->p++;
        if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
            r->p++;
        const char *x = r->p;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
        ok = r->p > x;
    }
    if (!ok) {
        r->p = s;
        fail(r, "bad number");
        return NULL;
    }
    json_node *n = node_new(r, JSON_NUMBER);
    if (n && !(n->text = strndup(s, (size_t)(r->p - s)))) {
        fail(r, "out of memory");
        free(n);
        return NULL;
    }
    if (n)
        n->len = (size_t)(r->p - s);
    return n;
}

static json_node *read_word(reader *r, const char *word, json_type type)
{
    size_t n = strlen(word);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n)) {
        fail(r, "unexpected character");
        return NULL;
    }
    r->p += n;
    return node_new(r, type);
}

static json_node *read_value(reader *r, unsigned depth)
{
    if (depth > JSON_READ_MAX_DEPTH) {
        fail(r, "nested too deeply");
        return NULL;
    }
    skip_space(r);
    if (r->p >= r->end) {
        fail(r, "unexpected end");
        return NULL;
    }
    switch (*r->p) {
    case '{': return read_container(r, depth, 1);
    case '[': return read_container(r, depth, 0);
    case 't': return read_word(r, "true", JSON_TRUE);
    case 'f': return read_word(r, "false", JSON_FALSE);
    case 'n': return read_word(r, "null", JSON_NULL);
    case '"': {
        json_node *n = node_new(r, JSON_STRING);
        if (n && !(n->text = read_string(r, &n->len))) {
            free(n);
            return NULL;
        }
        return n;
    }
    default:
        if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
            return read_number(r);
        fail(r, "unexpected character");
        return NULL;
    }
}

json_node *json_read(const char *text, size_t len, char *why, size_t why_size, size_t *offset)
{
    reader r = {text, text + len, text, why, why_size, 0};
    json_node *n = read_value(&r, 0);
    if (n) {
        skip_space(&r);
        if (r.p != r.end) {
            fail(&r, "text after the value");
            json_free(n);
            n = NULL;
        }
    }
    if (!n)
        *offset = (size_t)(r.p - r.start);
    return n;
}

void json_free(json_node *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->n; i++) {
        json_free(node->items[i]);
        if (node->keys)
            free(node->keys[i]);
    }
    free(node->items);
    free(node->keys);
    free(node->text);
    free(node);
}

const json_node *json_get(const json_node *obj, const char *key)
{
    if (!obj || obj->type != JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < obj->n; i++)
        if (!strcmp(obj->keys[i], key))
            return obj->items[i];
    return NULL;
}

const char *json_get_string(const json_node *obj, const char *key)
{
    const json_node *v = json_get(obj, key);
    return v && v->type == JSON_STRING ? v->text : NULL;
}
