/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_scrub.c - `scrub [find=all|KIND,...] [also=COL,...] [with=tag|hash]
 * [key=K] [domain=LABEL]`: identifiers inside free text (상담 메모, 비고)
 * replaced where they stand, the rest of the text kept byte for byte.
 *
 * Findings come from the shared detector (pii_detect.h); find= limits the
 * kinds. with=tag (default) writes the kind's tag (<PHONE>); with=hash
 * writes the keyed pseudonym of the normalized finding (pii_normalize),
 * computed by the `hash` transform itself with the same key= and domain=
 * (default encode and length, normalize=none: the finding is normalized
 * already), so "010-1234-5678" in a memo and a phone column under
 * `hash key=K domain=phone normalize=digits` give one pseudonym.
 *
 * also=COL,... removes the values the same record holds in those input
 * columns: each value (trimmed) where it appears as written, and, when the
 * value is itself an identifier of a kind the detector knows, every
 * finding of that kind whose normalized form is the value's (a phone in
 * any separator form). These are tagged <NAME> when the column's name is a
 * name column's (names_of_people below) and <VALUE> otherwise, with=hash or
 * not. A value that starts or ends with an ASCII letter or digit must not
 * touch another one there (so "Kim" is not taken out of "Kimberly");
 * Hangul values match anywhere, since particles attach to names (홍길동님).
 *
 * Where replacements overlap they become one, covering both, with the tag
 * of the one that starts first: no part of either is left.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pii_detect.h"
#include "transform.h"

/* A column under one of these names holds people's names: its also= value
 * is tagged <NAME>. ASCII letters compare case-insensitively. */
static const char *const names_of_people[] = {
    "name",   "full_name", "fullname", "customer_name", "이름",   "성명",
    "성함",   "고객명",    "환자명",   "회원명",        "가입자명", "예금주",
};

enum { TAG_NAME = PII_KIND_COUNT, TAG_VALUE, N_TAGS };

/* Summary counters: one per kind, then the also= values removed. */
static const char *const finding_names[PII_KIND_COUNT + 1] = {
    "rrn", "phone", "email", "card", "bizno", "passport", "driver", "plate", "ip", "account", "also",
};
#define ALSO_COUNTER PII_KIND_COUNT

/* Identifiers are short; a longer also= value is matched as written only. */
#define NORM_MAX 128u

typedef struct scrub_state {
    unsigned kinds;      /* find= */
    int with_hash;
    void *hash;          /* xf_hash_ops state when with_hash */
    size_t n_also;
    char **also;         /* column names, for describe */
    unsigned char *also_tag; /* TAG_NAME or TAG_VALUE per also= column */
} scrub_state;

static void scrub_free(void *state)
{
    scrub_state *s = state;
    if (!s)
        return;
    if (s->hash)
        xf_hash_ops.free(s->hash);
    for (size_t i = 0; i < s->n_also; i++)
        free(s->also[i]);
    free(s->also);
    free(s->also_tag);
    free(s);
}

static int same_ascii_fold(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return 0;
    }
    return *a == *b;
}

static int is_name_column(const char *name)
{
    for (size_t i = 0; i < sizeof names_of_people / sizeof names_of_people[0]; i++)
        if (same_ascii_fold(name, names_of_people[i]))
            return 1;
    return 0;
}

static deid_status parse_find(xf_context *ctx, unsigned *kinds)
{
    xf_param *p;
    deid_status st = xf_param_find_once(ctx, "find", &p);
    if (st)
        return st;
    *kinds = PII_ALL_KINDS;
    if (!p || !strcmp(p->value, "all"))
        return DEID_OK;
    *kinds = 0;
    const char *s = p->value;
    for (;;) {
        size_t n = strcspn(s, ",");
        char word[16];
        pii_kind k;
        if (n == 0 || n >= sizeof word)
            k = PII_KIND_COUNT;
        else {
            memcpy(word, s, n);
            word[n] = 0;
            if (pii_kind_parse(word, &k) != 0)
                k = PII_KIND_COUNT;
        }
        if (k == PII_KIND_COUNT)
            return xf_param_fail(ctx, p,
                                 "find=%.64s: each kind must be one of rrn, phone, email, card, "
                                 "bizno, passport, driver, plate, ip, account (or find=all)",
                                 p->value);
        *kinds |= 1u << k;
        if (!s[n])
            return DEID_OK;
        s += n + 1;
    }
}

/* with=hash: the hash transform compiled from this rule's key= and
 * domain=, so its pseudonyms are the hash column's. */
static deid_status compile_hash(xf_context *ctx, scrub_state *s)
{
    xf_param sub[2];
    size_t n = 0;
    xf_param *p;
    deid_status st;
    static const char *const passed[] = {"key", "domain"};
    for (size_t i = 0; i < 2; i++) {
        if ((st = xf_param_find_once(ctx, passed[i], &p)))
            return st;
        if (p)
            sub[n++] = *p;
    }
    xf_context hc = *ctx;
    hc.params = sub;
    hc.n_params = n;
    hc.n_inputs = 1;
    hc.also = NULL;
    hc.n_also = 0;
    return xf_hash_ops.compile(&hc, &s->hash);
}

static deid_status scrub_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    scrub_state *s = calloc(1, sizeof *s);
    if (!s)
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    deid_status st = parse_find(ctx, &s->kinds);
    xf_param *with = NULL;
    st = st ? st : xf_param_find_once(ctx, "with", &with);
    if (!st && with && strcmp(with->value, "tag") && strcmp(with->value, "hash"))
        st = xf_param_fail(ctx, with, "with=%.64s is not one of tag, hash", with->value);
    s->with_hash = !st && with && !strcmp(with->value, "hash");
    if (!st && s->with_hash) {
        st = compile_hash(ctx, s);
    } else if (!st) {
        xf_param *kp = xf_param_find(ctx, "key"), *dp = xf_param_find(ctx, "domain");
        if (kp || dp)
            st = xf_param_fail(ctx, kp ? kp : dp, "%s= is for with=hash", kp ? "key" : "domain");
    }
    if (!st && ctx->n_also) {
        s->also = calloc(ctx->n_also, sizeof *s->also);
        s->also_tag = calloc(ctx->n_also, 1);
        if (!s->also || !s->also_tag)
            st = err_set(ctx->err, DEID_E_IO, "out of memory");
        for (size_t i = 0; !st && i < ctx->n_also; i++) {
            if (!strcmp(ctx->also[i], ctx->column))
                st = xf_param_fail(ctx, NULL, "also= names the column being scrubbed (\"%s\")",
                                   ctx->column);
            else if (!(s->also[i] = strdup(ctx->also[i])))
                st = err_set(ctx->err, DEID_E_IO, "out of memory");
            else
                s->n_also = i + 1;
            s->also_tag[i] = is_name_column(ctx->also[i]) ? TAG_NAME : TAG_VALUE;
        }
    }
    if (st) {
        scrub_free(s);
        return st;
    }
    *state = s;
    return DEID_OK;
}

/* ---- apply ---- */

typedef struct hit {
    size_t start, end;
    unsigned tag;  /* a pii_kind, TAG_NAME or TAG_VALUE */
    int merged;    /* grew by an overlapping one */
} hit;

typedef struct hits {
    hit *v;
    size_t n, cap;
    hit stack[32];
} hits;

static int hits_add(hits *h, size_t start, size_t end, unsigned tag)
{
    if (h->n == h->cap) {
        size_t cap = h->cap * 2;
        hit *v = malloc(cap * sizeof *v);
        if (!v)
            return -1;
        memcpy(v, h->v, h->n * sizeof *v);
        if (h->v != h->stack)
            free(h->v);
        h->v = v;
        h->cap = cap;
    }
    h->v[h->n++] = (hit){start, end, tag, 0};
    return 0;
}

/* One also= value of this record. */
typedef struct also_value {
    const char *text;
    size_t len;
    int kind;                /* the kind it is wholly, or -1 */
    char norm[NORM_MAX];
    size_t norm_len;
    unsigned tag;
} also_value;

typedef struct find_ctx {
    const char *text;
    unsigned kinds;
    also_value *also;
    size_t n_also;
    hits *h;
} find_ctx;

static size_t normalize_into(pii_kind kind, const char *s, size_t n, char *out)
{
    dbuf b;
    dbuf_init(&b, NORM_MAX - 1);
    size_t len = 0;
    if (pii_normalize(kind, s, n, &b) == DBUF_OK) {
        len = b.len;
        memcpy(out, b.data ? b.data : "", len);
    }
    dbuf_wipe(&b);
    return len;
}

static int on_finding(const pii_span *span, void *vctx)
{
    find_ctx *c = vctx;
    unsigned tag = span->kind;
    int wanted = (c->kinds >> span->kind) & 1u;
    for (size_t j = 0; j < c->n_also; j++) {
        if (c->also[j].kind != (int)span->kind || !c->also[j].norm_len)
            continue;
        char norm[NORM_MAX];
        size_t n = normalize_into(span->kind, c->text + span->start, span->len, norm);
        if (n == c->also[j].norm_len && !memcmp(norm, c->also[j].norm, n)) {
            tag = c->also[j].tag;
            wanted = 1;
            break;
        }
    }
    if (!wanted)
        return 0;
    return hits_add(c->h, span->start, span->start + span->len, tag) ? -1 : 0;
}

static int ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* The first place needle[0..n) stands in hay[0..len) (n >= 1), or NULL:
 * memmem is not C11. */
static const char *find_bytes(const char *hay, size_t len, const char *needle, size_t n)
{
    const char *p = hay, *end = hay + len;
    while ((size_t)(end - p) >= n && (p = memchr(p, needle[0], (size_t)(end - p) - n + 1))) {
        if (!memcmp(p, needle, n))
            return p;
        p++;
    }
    return NULL;
}

/* Every place the value stands in text as written. */
static int find_literal(const char *text, size_t len, const also_value *a, hits *h)
{
    if (a->len == 0 || a->len > len)
        return 0;
    int edge_start = ascii_alnum((unsigned char)a->text[0]);
    int edge_end = ascii_alnum((unsigned char)a->text[a->len - 1]);
    size_t at = 0;
    while (at + a->len <= len) {
        const char *p = find_bytes(text + at, len - at, a->text, a->len);
        if (!p)
            break;
        size_t s = (size_t)(p - text), e = s + a->len;
        int ok = !(edge_start && s > 0 && ascii_alnum((unsigned char)text[s - 1])) &&
                 !(edge_end && e < len && ascii_alnum((unsigned char)text[e]));
        if (ok && hits_add(h, s, e, a->tag))
            return -1;
        at = ok ? e : s + 1;
    }
    return 0;
}

static int hit_order(const void *a, const void *b)
{
    const hit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end > y->end ? -1 : x->end < y->end; /* longer first */
}

/* Sorts and makes overlapping hits one (the union, the first one's tag). */
static void hits_merge(hits *h)
{
    qsort(h->v, h->n, sizeof *h->v, hit_order);
    size_t k = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (k && h->v[i].start < h->v[k - 1].end) {
            if (h->v[i].end > h->v[k - 1].end) {
                h->v[k - 1].end = h->v[i].end;
                h->v[k - 1].merged = 1;
            }
            continue;
        }
        h->v[k++] = h->v[i];
    }
    h->n = k;
}

static const char *tag_text(unsigned tag)
{
    return tag == TAG_NAME ? "<NAME>" : tag == TAG_VALUE ? "<VALUE>" : pii_kind_tag((pii_kind)tag);
}

static xf_result write_hash(const scrub_state *s, const char *text, const hit *x, dbuf *out,
                            const char **why)
{
    dbuf norm;
    dbuf_init(&norm, x->end - x->start + 8);
    xf_result r = XF_NOMEM;
    if (pii_normalize((pii_kind)x->tag, text + x->start, x->end - x->start, &norm) == DBUF_OK) {
        xf_value v = {norm.data ? norm.data : "", norm.len};
        r = xf_hash_ops.apply(s->hash, &v, 1, out, why);
    }
    dbuf_wipe(&norm);
    return r;
}

/* The kind the whole of value is (one scan for every kind, where
 * pii_value_is would take one per kind), or -1. */
static int first_finding(const pii_span *span, void *ctx)
{
    *(pii_span *)ctx = *span;
    return 1;
}

static int value_kind(const char *value, size_t len)
{
    pii_span first = {0, 0, PII_RRN};
    pii_find(value, len, PII_ALL_KINDS, first_finding, &first);
    return first.start == 0 && first.len == len ? (int)first.kind : -1;
}

static xf_result scrub_apply_counting(const void *state, const xf_value *in, size_t n_in,
                                      dbuf *out, const char **why, uint64_t *counts)
{
    const scrub_state *s = state;
    const char *text = in[0].data;
    size_t len = in[0].len;
    size_t n_also = n_in > 1 ? n_in - 1 : 0;
    if (n_also > s->n_also)
        n_also = s->n_also;
    also_value *also = n_also ? calloc(n_also, sizeof *also) : NULL;
    if (n_also && !also)
        return XF_NOMEM;
    unsigned scan = s->kinds;
    for (size_t j = 0; j < n_also; j++) {
        also_value *a = &also[j];
        a->text = in[1 + j].data;
        a->len = in[1 + j].len;
        while (a->len && a->text[0] == ' ')
            a->text++, a->len--;
        while (a->len && a->text[a->len - 1] == ' ')
            a->len--;
        a->tag = s->also_tag[j];
        a->kind = a->len ? value_kind(a->text, a->len) : -1;
        if (a->kind >= 0) {
            a->norm_len = normalize_into((pii_kind)a->kind, a->text, a->len, a->norm);
            scan |= 1u << a->kind;
        }
    }
    hits h = {.n = 0, .cap = 32};
    h.v = h.stack;
    find_ctx fc = {text, s->kinds, also, n_also, &h};
    xf_result r = XF_OK;
    if (pii_find(text, len, scan, on_finding, &fc) != 0)
        r = XF_NOMEM;
    for (size_t j = 0; j < n_also && r == XF_OK; j++)
        if (find_literal(text, len, &also[j], &h))
            r = XF_NOMEM;
    if (also) {
        memset(also, 0, n_also * sizeof *also); /* normalized values of this record */
        free(also);
    }
    if (r == XF_OK)
        hits_merge(&h);
    size_t pos = 0;
    uint64_t found[PII_KIND_COUNT + 1] = {0};
    for (size_t i = 0; i < h.n && r == XF_OK; i++) {
        const hit *x = &h.v[i];
        if (dbuf_append(out, text + pos, x->start - pos) != DBUF_OK) {
            r = XF_NOMEM;
            break;
        }
        if (s->with_hash && x->tag < PII_KIND_COUNT && !x->merged)
            r = write_hash(s, text, x, out, why);
        else if (dbuf_append_str(out, tag_text(x->tag)) != DBUF_OK)
            r = XF_NOMEM;
        found[x->tag < PII_KIND_COUNT ? x->tag : ALSO_COUNTER]++;
        pos = x->end;
    }
    if (r == XF_OK && dbuf_append(out, text + pos, len - pos) != DBUF_OK)
        r = XF_NOMEM;
    if (h.v != h.stack)
        free(h.v);
    if (r == XF_OK && counts)
        for (size_t k = 0; k <= PII_KIND_COUNT; k++)
            counts[k] += found[k];
    return r;
}

static xf_result scrub_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                             const char **why)
{
    return scrub_apply_counting(state, in, n_in, out, why, NULL);
}

static int scrub_describe(const void *state, dbuf *out)
{
    const scrub_state *s = state;
    int rc = dbuf_append_str(out, "find=");
    if (s->kinds == PII_ALL_KINDS) {
        rc = rc ? rc : dbuf_append_str(out, "all");
    } else {
        int first = 1;
        for (unsigned k = 0; k < PII_KIND_COUNT && !rc; k++)
            if (s->kinds & (1u << k)) {
                rc = dbuf_printf(out, "%s%s", first ? "" : ",", pii_kind_name((pii_kind)k));
                first = 0;
            }
    }
    if (!rc && s->n_also) {
        rc = dbuf_append_str(out, " also=");
        for (size_t i = 0; i < s->n_also && !rc; i++) {
            rc = i ? dbuf_putc(out, ',') : 0;
            rc = rc ? rc : dbuf_printf(out, "%s%s", s->also[i],
                                       s->also_tag[i] == TAG_NAME ? "(<NAME>)" : "(<VALUE>)");
        }
    }
    rc = rc ? rc : dbuf_append_str(out, s->with_hash ? " with=hash " : " with=tag");
    if (!rc && s->with_hash)
        rc = xf_hash_ops.describe(s->hash, out);
    return rc;
}

const transform_ops xf_scrub_ops = {
    .name = "scrub",
    .technique = "데이터 삭제/식별자 삭제 (identifiers in free text removed; with=hash: "
                 "가명처리/암호화, keyed hash)",
    .flags = XF_TAKES_ALSO,
    .compile = scrub_compile,
    .apply = scrub_apply,
    .describe = scrub_describe,
    .free = scrub_free,
    .n_findings = PII_KIND_COUNT + 1,
    .finding_names = finding_names,
    .apply_counting = scrub_apply_counting,
};
