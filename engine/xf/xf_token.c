/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_token.c - `token vault=FILE [length=N] [alphabet=alnum|digits]`:
 * tokenization (ISO/IEC 20889 randomization; 가명처리). Every distinct
 * value gets a random token; the pairs live in a vault file, the mapping
 * table that PIPA calls additional information (추가정보), kept in its own
 * file apart from rules, output and report. The same value gets the same
 * token within a run and in every later run that uses the vault; two
 * values never share a token; whoever holds the vault can go back
 * (`deid reverse`), and without it a token says nothing about its value.
 *
 * Tokens: N characters (default 16, 8 to 64) from alnum = 0-9a-z or
 * digits = 0-9, each drawn from RAND_priv_bytes with rejection sampling:
 * a byte at or above the largest multiple of the alphabet's size below
 * 256 is thrown away, so every character is equally likely (plain modulo
 * would favour 0-3 of alnum by 8 to 7). A fresh token already in the
 * vault is thrown away and drawn again.
 *
 * Values: conjoining Hangul jamo are composed first (the Hangul part of
 * NFC, as `hash` does), so NFD and NFC spellings of one name get one
 * token; otherwise byte for byte, no trimming. reverse gives the composed
 * form. A value that is not valid UTF-8 is a bad value.
 *
 * The vault file, its custody and its saving are token_vault.c's.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "deid_limits.h"
#include "err.h"
#include "lookup_file.h"
#include "strmap.h"
#include "token_vault.h"
#include "transform.h"
#include "utf8.h"
#include "xf_token.h"

#define TOKEN_MIN_LEN 8u
#define TOKEN_DEFAULT_LEN 16u
/* Fresh tokens drawn for one value before giving up. The smallest token
 * space is 10^8 against at most DEID_MAX_VAULT_ENTRIES tokens taken, so a
 * draw collides with probability 0.2 at worst and 64 in a row never. */
#define TOKEN_TRIES 64

static const char alnum_chars[] = "0123456789abcdefghijklmnopqrstuvwxyz";
static const char digit_chars[] = "0123456789";

typedef struct token_state {
    vault *v;
    char *file;            /* as written in the rules, for describe */
    size_t length;
    const char *alphabet;
    size_t alphabet_len;
    const char *alphabet_name;
} token_state;

/* ---- the transform ---------------------------------------------------- */

static void token_free(void *state)
{
    token_state *s = state;
    if (!s)
        return;
    token_vault_release(s->v);
    free(s->file);
    free(s);
}

static deid_status token_compile(xf_context *ctx, void **state)
{
    *state = NULL;
    xf_param *pv = xf_param_find(ctx, "vault");
    if (!pv)
        return xf_param_fail(ctx, NULL,
                             "token needs vault=FILE (the file of value,token pairs, kept "
                             "apart from the output)");
    if (!pv->value[0])
        return xf_param_fail(ctx, pv, "vault= is empty");
    unsigned long long length;
    deid_status st = xf_param_uint(ctx, "length", 0, TOKEN_MIN_LEN, TOKEN_MAX_LEN,
                                   TOKEN_DEFAULT_LEN, &length);
    if (st)
        return st;
    const char *alphabet = alnum_chars, *alphabet_name = "alnum";
    xf_param *pa = xf_param_find(ctx, "alphabet");
    if (pa && !strcmp(pa->value, "digits")) {
        alphabet = digit_chars;
        alphabet_name = "digits";
    } else if (pa && strcmp(pa->value, "alnum") != 0) {
        return xf_param_fail(ctx, pa, "alphabet=%s is not alnum (0-9a-z) or digits (0-9)",
                             pa->value);
    }

    token_state *s = calloc(1, sizeof *s);
    char *path = xf_resolve_path(ctx, pv->value);
    if (s)
        s->file = strdup(pv->value);
    if (!s || !s->file || !path) {
        free(path);
        token_free(s);
        return err_set(ctx->err, DEID_E_IO, "out of memory");
    }
    s->length = (size_t)length;
    s->alphabet = alphabet;
    s->alphabet_len = strlen(alphabet);
    s->alphabet_name = alphabet_name;
    deid_error e;
    err_clear(&e);
    st = token_vault_open(path, &s->v, &e);
    free(path);
    if (st) {
        token_free(s);
        return lookup_file_fail(ctx, pv, &e);
    }
    *state = s;
    return DEID_OK;
}

/* Fills tok[0..len) with characters drawn uniformly from the alphabet.
 * Returns 0, or -1 when the random generator fails. */
static int draw_token(const token_state *s, char *tok)
{
    unsigned n = (unsigned)s->alphabet_len;
    unsigned limit = 256u - 256u % n; /* bytes below limit map evenly */
    unsigned char buf[TOKEN_MAX_LEN + 16];
    size_t got = 0;
    int rc = 0;
    while (got < s->length) {
        /* a few bytes more than needed, as some are thrown away */
        size_t want = s->length - got + 8;
        if (RAND_priv_bytes(buf, (int)want) != 1) {
            rc = -1;
            break;
        }
        for (size_t i = 0; i < want && got < s->length; i++)
            if (buf[i] < limit)
                tok[got++] = s->alphabet[buf[i] % n];
    }
    OPENSSL_cleanse(buf, sizeof buf);
    return rc;
}

/* Makes a token for a value not in the vault and stores the pair. Called
 * with v->mu held. */
static xf_result new_token(const token_state *s, const char *value, size_t len, dbuf *out)
{
    vault *v = s->v;
    size_t count = strmap_count(v->by_value);
    if (v->broken || count >= DEID_MAX_VAULT_ENTRIES)
        return XF_NOMEM;
    char tok[TOKEN_MAX_LEN];
    int fresh = 0;
    for (int t = 0; t < TOKEN_TRIES && !fresh; t++) {
        if (draw_token(s, tok) != 0)
            return XF_NOMEM;
        fresh = !strmap_get(v->by_token, tok, s->length, NULL);
    }
    uint64_t rec;
    if (!fresh || token_vault_record_bytes(value, len, s->length, &rec) != DBUF_OK ||
        v->bytes + rec > DEID_MAX_VAULT_BYTES) {
        OPENSSL_cleanse(tok, sizeof tok);
        return XF_NOMEM;
    }
    xf_result r = XF_OK;
    int rc = strmap_put(v->by_value, value, len, (uint32_t)count, NULL);
    if (rc != STRMAP_ADDED) {
        r = XF_NOMEM; /* the maps are unchanged */
    } else if (strmap_put(v->by_token, tok, s->length, (uint32_t)count, NULL) != STRMAP_ADDED) {
        /* pair count has a value without a token and strmap cannot take
         * it back: stop handing out tokens and never save this vault */
        v->broken = 1;
        r = XF_NOMEM;
    } else {
        v->bytes += rec;
        if (dbuf_append(out, tok, s->length) != DBUF_OK)
            r = XF_NOMEM;
    }
    OPENSSL_cleanse(tok, sizeof tok);
    return r;
}

static xf_result token_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                             const char **why)
{
    const token_state *s = state;
    (void)n_in; /* one input: no XF_MULTI_INPUT */
    const char *value = in[0].data;
    size_t len = in[0].len;
    if (len == 0) {
        *why = "is empty"; /* the engine keeps empty values empty */
        return XF_BAD_VALUE;
    }
    if (utf8_count(value, len) == SIZE_MAX) {
        *why = "is not valid UTF-8";
        return XF_BAD_VALUE;
    }
    dbuf composed;
    dbuf_init(&composed, (size_t)DEID_MAX_FIELD_BYTES * 2);
    /* Conjoining jamo (U+1100..U+11FF) all start with byte 0xE1: without
     * one, the value is its own composed form. */
    if (memchr(value, 0xE1, len)) {
        if (utf8_compose_hangul(value, len, &composed) != 0) {
            dbuf_wipe(&composed);
            return XF_NOMEM;
        }
        value = composed.data;
        len = composed.len;
    }
    vault *v = s->v;
    xf_result r = XF_OK;
    uint32_t pair;
    pthread_mutex_lock(&v->mu);
    if (strmap_get(v->by_value, value, len, &pair)) {
        const char *tok;
        size_t tok_len;
        if (strmap_entry(v->by_token, pair, &tok, &tok_len, NULL) != 0 ||
            dbuf_append(out, tok, tok_len) != DBUF_OK)
            r = XF_NOMEM;
    } else {
        r = new_token(s, value, len, out);
    }
    pthread_mutex_unlock(&v->mu);
    dbuf_wipe(&composed);
    return r;
}

static xf_result token_reverse(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                               const char **why)
{
    (void)n_in;
    const token_state *s = state;
    vault *v = s->v;
    xf_result r = XF_OK;
    uint32_t pair;
    pthread_mutex_lock(&v->mu);
    if (!strmap_get(v->by_token, in->data, in->len, &pair)) {
        *why = "is not a token of this vault";
        r = XF_BAD_VALUE;
    } else {
        const char *value;
        size_t len;
        if (strmap_entry(v->by_value, pair, &value, &len, NULL) != 0 ||
            dbuf_append(out, value, len) != DBUF_OK)
            r = XF_NOMEM;
    }
    pthread_mutex_unlock(&v->mu);
    return r;
}

static deid_status token_commit(const void *state, deid_error *err)
{
    const token_state *s = state;
    vault *v = s->v;
    deid_status st = DEID_OK;
    pthread_mutex_lock(&v->mu);
    if (v->broken)
        st = err_set(err, DEID_E_IO,
                     "token vault %s was not saved: a new token could not be stored", v->path);
    else if (strmap_count(v->by_value) != v->saved && !(st = token_vault_save(v, err)))
        v->saved = strmap_count(v->by_value);
    pthread_mutex_unlock(&v->mu);
    return st;
}

static int token_describe(const void *state, dbuf *out)
{
    const token_state *s = state;
    pthread_mutex_lock(&s->v->mu);
    size_t n = strmap_count(s->v->by_value);
    pthread_mutex_unlock(&s->v->mu);
    return dbuf_printf(out, "vault=%s length=%zu alphabet=%s tokens=%zu", s->file, s->length,
                       s->alphabet_name, n);
}

const char *xf_token_vault_path(const void *state)
{
    const token_state *s = state;
    return s->v->path;
}

void xf_token_format(const void *state, const void **vault_id, size_t *length,
                     const char **alphabet)
{
    const token_state *s = state;
    *vault_id = s->v;
    *length = s->length;
    *alphabet = s->alphabet_name;
}

const transform_ops xf_token_ops = {
    .name = "token",
    .technique = "가명처리/토큰화 (tokenization, vault kept apart)",
    .flags = XF_PSEUDONYMIZES | XF_SIDE_FILE_IS_VAULT,
    .compile = token_compile,
    .apply = token_apply,
    .describe = token_describe,
    .free = token_free,
    .reverse = token_reverse,
    .commit = token_commit,
    .side_file = xf_token_vault_path,
};
