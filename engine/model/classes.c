/* SPDX-License-Identifier: Apache-2.0 */
/*
 * classes.c - the equivalence-class table (see classes.h).
 *
 * Layout, chosen so that memory grows with distinct QI combinations only:
 *  - per QI column a dictionary (strmap value -> id, ids in order of first
 *    appearance), so a class key is n_qi 32-bit ids;
 *  - the keys of all classes are one packed array (class c's at
 *    c * n_qi), and the class index is an idindex over it: 8 bytes per
 *    slot and no second copy of the key, so a class of 3 QIs costs its
 *    12-byte key, its 8-byte size and about 16 bytes of index (at 1M
 *    classes 36 bytes, against 64 with a strmap of copied keys);
 *    class sizes live in a growable array indexed by class id;
 *  - per sensitive column a dictionary with overall counts, and a strmap of
 *    (class id, value id) pairs, numbered in order of insertion, kept as
 *    arrays (class, value, count, next) under an idindex (no copied keys):
 *    the pairs of one class form a linked list from a
 *    head kept per (class, column), so one class's distribution is walked
 *    without scanning other classes' pairs.
 * A record whose pieces are all known costs lookups only (no allocation);
 * anything new is checked against the limits and its arrays reserved before
 * the first insertion, so CLASS_EFULL leaves the table unchanged.
 * Every array, dictionary and index charges the table's memory budget
 * (membudget.h) before it grows, so CLASS_EBUDGET leaves it unchanged too
 * but for a sensitive column's structures (as after CLASS_ENOMEM).
 */
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "deid_limits.h"
#include "idindex.h"
#include "strmap.h"

#define NO_PAIR UINT32_MAX

/* One sensitive column. */
typedef struct sens_col {
    strmap *dict;        /* value -> value id */
    uint64_t *count;     /* per value id: records holding it, suppressed included */
    size_t count_cap;
    idindex *pairs;      /* (class id, value id) -> pair index, over pair_cv */
    size_t n_pairs;
    uint32_t *pair_cv;   /* per pair: its class id and value id */
    uint64_t *pair_count;
    uint32_t *pair_next; /* next pair of the same class, or NO_PAIR */
    size_t pair_cv_cap, pair_count_cap, pair_next_cap;
} sens_col;

struct class_table {
    size_t n_qi, n_sens;
    size_t max;            /* classes, distinct values per column, pairs per column */
    char *token;
    size_t token_len;
    strmap **qi_dict;      /* n_qi dictionaries */
    size_t n_classes;
    uint32_t *keys;        /* per class, its n_qi dictionary ids */
    size_t keys_cap;       /* in classes */
    idindex *index;        /* key -> class id, over keys */
    uint64_t *size;        /* per class */
    size_t size_cap;
    uint32_t *head;        /* per class and sensitive column: first pair (c * n_sens + s) */
    size_t head_cap;       /* in classes */
    sens_col *sens;
    uint64_t records, suppressed;
    mem_budget *budget;    /* may be NULL */
    /* Scratch for one record, allocated once so that add never allocates
     * in steady state. */
    uint32_t *qi_id;       /* n_qi ids, UINT32_MAX = new value: the record's key */
    uint32_t *sv_id;       /* n_sens value ids, UINT32_MAX = new value */
    uint32_t *pair_id;     /* n_sens pair indices, UINT32_MAX = new pair */
};

#define NEW_ID UINT32_MAX

/* Grows *arr (elem-byte elements, *cap of them) to hold at least need,
 * doubling, and charges the budget for the growth. Returns CLASS_OK,
 * CLASS_ENOMEM or CLASS_EBUDGET (then nothing changed). */
static int reserve(mem_budget *budget, void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return CLASS_OK;
    size_t n = *cap ? *cap : 64;
    while (n < need) {
        if (n > SIZE_MAX / 2 / elem)
            return CLASS_ENOMEM;
        n *= 2;
    }
    if (mem_budget_charge(budget, (n - *cap) * elem))
        return CLASS_EBUDGET;
    void *p = realloc(*arr, n * elem);
    if (!p) {
        mem_budget_release(budget, (n - *cap) * elem);
        return CLASS_ENOMEM;
    }
    *arr = p;
    *cap = n;
    return CLASS_OK;
}

/* The class code for a failed strmap_put. */
static int put_failed(int strmap_rc)
{
    return strmap_rc == STRMAP_EBUDGET ? CLASS_EBUDGET : CLASS_ENOMEM;
}

/* A new strmap charging the table's budget, or NULL. */
static strmap *new_map(class_table *t)
{
    strmap *m = strmap_new(t->max);
    if (m && strmap_set_budget(m, t->budget)) {
        strmap_free(m);
        m = NULL;
    }
    return m;
}

/* Lookup context of the class index: the key sought. */
typedef struct key_probe {
    const class_table *t;
    const uint32_t *ids;
} key_probe;

static int key_equals(const void *ctx, uint32_t c)
{
    const key_probe *k = ctx;
    return memcmp(k->t->keys + (size_t)c * k->t->n_qi, k->ids, k->t->n_qi * sizeof *k->ids) == 0;
}

static int find_class(const class_table *t, const uint32_t *ids, uint32_t *c)
{
    key_probe k = {t, ids};
    uint32_t h = idindex_hash(t->index, ids, t->n_qi * sizeof *ids);
    return idindex_find(t->index, h, key_equals, &k, c);
}

class_table *class_table_new(size_t n_qi, size_t n_sensitive, const char *token,
                             size_t max_classes)
{
    return class_table_new_budget(n_qi, n_sensitive, token, max_classes, NULL);
}

class_table *class_table_new_budget(size_t n_qi, size_t n_sensitive, const char *token,
                                    size_t max_classes, mem_budget *budget)
{
    if (n_qi == 0 || n_qi > DEID_MAX_FIELDS || n_sensitive > DEID_MAX_FIELDS || !token ||
        max_classes == 0)
        return NULL;
    if (max_classes > STRMAP_MAX_ENTRIES)
        max_classes = STRMAP_MAX_ENTRIES; /* ids stay below CLASS_SUPPRESSED */
    class_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->n_qi = n_qi;
    t->n_sens = n_sensitive;
    t->max = max_classes;
    t->budget = budget;
    t->token_len = strlen(token);
    t->token = malloc(t->token_len + 1);
    t->qi_dict = calloc(n_qi, sizeof *t->qi_dict);
    t->qi_id = malloc(n_qi * sizeof *t->qi_id);
    t->index = idindex_new(budget);
    if (!t->token || !t->qi_dict || !t->qi_id || !t->index)
        goto fail;
    memcpy(t->token, token, t->token_len + 1);
    for (size_t q = 0; q < n_qi; q++)
        if (!(t->qi_dict[q] = new_map(t)))
            goto fail;
    if (n_sensitive) {
        t->sens = calloc(n_sensitive, sizeof *t->sens);
        t->sv_id = malloc(n_sensitive * sizeof *t->sv_id);
        t->pair_id = malloc(n_sensitive * sizeof *t->pair_id);
        if (!t->sens || !t->sv_id || !t->pair_id)
            goto fail;
        for (size_t s = 0; s < n_sensitive; s++) {
            t->sens[s].dict = new_map(t);
            t->sens[s].pairs = idindex_new(budget);
            if (!t->sens[s].dict || !t->sens[s].pairs)
                goto fail;
        }
    }
    return t;
fail:
    class_table_free(t);
    return NULL;
}

void class_table_free(class_table *t)
{
    if (!t)
        return;
    if (t->qi_dict)
        for (size_t q = 0; q < t->n_qi; q++)
            strmap_free(t->qi_dict[q]);
    if (t->sens)
        for (size_t s = 0; s < t->n_sens; s++) {
            strmap_free(t->sens[s].dict);
            idindex_free(t->sens[s].pairs);
            free(t->sens[s].pair_cv);
            free(t->sens[s].count);
            free(t->sens[s].pair_count);
            free(t->sens[s].pair_next);
            mem_budget_release(t->budget, t->sens[s].count_cap * sizeof *t->sens[s].count +
                                              t->sens[s].pair_cv_cap * 2 * sizeof(uint32_t) +
                                              t->sens[s].pair_count_cap * sizeof(uint64_t) +
                                              t->sens[s].pair_next_cap * sizeof(uint32_t));
        }
    mem_budget_release(t->budget, t->keys_cap * t->n_qi * sizeof *t->keys +
                                      t->size_cap * sizeof *t->size +
                                      t->head_cap * t->n_sens * sizeof *t->head);
    free(t->sens);
    free(t->qi_dict);
    idindex_free(t->index);
    free(t->keys);
    free(t->size);
    free(t->head);
    free(t->token);
    free(t->qi_id);
    free(t->sv_id);
    free(t->pair_id);
    free(t);
}

static int is_token_row(const class_table *t, const xf_value *qi)
{
    for (size_t q = 0; q < t->n_qi; q++)
        if (qi[q].len != t->token_len ||
            (t->token_len && memcmp(qi[q].data, t->token, t->token_len) != 0))
            return 0;
    return 1;
}

/* Lookup context of a pairs index: the (class, value) sought. */
typedef struct pair_probe {
    const sens_col *sc;
    uint32_t cv[2];
} pair_probe;

static int pair_equals(const void *ctx, uint32_t p)
{
    const pair_probe *k = ctx;
    return k->sc->pair_cv[2 * (size_t)p] == k->cv[0] && k->sc->pair_cv[2 * (size_t)p + 1] == k->cv[1];
}

static uint32_t pair_hash(const sens_col *sc, uint32_t c, uint32_t v)
{
    uint32_t cv[2] = {c, v};
    return idindex_hash(sc->pairs, cv, sizeof cv);
}

static int pair_key_get(const sens_col *sc, uint32_t c, uint32_t v, uint32_t *idx)
{
    pair_probe k = {sc, {c, v}};
    return idindex_find(sc->pairs, pair_hash(sc, c, v), pair_equals, &k, idx);
}

/* A suppressed record only counts in the overall sensitive distributions. */
static int add_suppressed(class_table *t, const xf_value *sens, uint64_t count)
{
    for (size_t s = 0; s < t->n_sens; s++) {
        sens_col *sc = &t->sens[s];
        if (strmap_get(sc->dict, sens[s].data, sens[s].len, &t->sv_id[s]))
            continue;
        t->sv_id[s] = NEW_ID;
        if (strmap_count(sc->dict) >= t->max)
            return CLASS_EFULL;
        int rc = reserve(t->budget, (void **)&sc->count, &sc->count_cap,
                         strmap_count(sc->dict) + 1, sizeof *sc->count);
        if (rc)
            return rc;
    }
    for (size_t s = 0; s < t->n_sens; s++) {
        sens_col *sc = &t->sens[s];
        if (t->sv_id[s] != NEW_ID)
            continue;
        uint32_t v = (uint32_t)strmap_count(sc->dict);
        int rc = strmap_put(sc->dict, sens[s].data, sens[s].len, v, NULL);
        if (rc != STRMAP_ADDED)
            return put_failed(rc);
        sc->count[v] = 0;
        t->sv_id[s] = v;
    }
    for (size_t s = 0; s < t->n_sens; s++)
        t->sens[s].count[t->sv_id[s]] += count;
    t->suppressed += count;
    return CLASS_OK;
}

int class_table_add(class_table *t, const xf_value *qi, const xf_value *sens, uint32_t *class_id)
{
    return class_table_add_n(t, qi, sens, 1, class_id);
}

int class_table_add_n(class_table *t, const xf_value *qi, const xf_value *sens, uint64_t count,
                      uint32_t *class_id)
{
    if (count == 0)
        return CLASS_OK;
    if (is_token_row(t, qi)) {
        int rc = add_suppressed(t, sens, count);
        if (rc == CLASS_OK && class_id)
            *class_id = CLASS_SUPPRESSED;
        return rc;
    }

    /* Look everything up first: a known record needs nothing else. */
    int new_value = 0;
    for (size_t q = 0; q < t->n_qi; q++) {
        if (!strmap_get(t->qi_dict[q], qi[q].data, qi[q].len, &t->qi_id[q])) {
            t->qi_id[q] = NEW_ID;
            new_value = 1;
        }
    }
    uint32_t c = NEW_ID;
    if (!new_value && !find_class(t, t->qi_id, &c))
        c = NEW_ID;
    int grow = c == NEW_ID;
    for (size_t s = 0; s < t->n_sens; s++) {
        sens_col *sc = &t->sens[s];
        t->pair_id[s] = NEW_ID;
        if (!strmap_get(sc->dict, sens[s].data, sens[s].len, &t->sv_id[s]))
            t->sv_id[s] = NEW_ID;
        if (c != NEW_ID && t->sv_id[s] != NEW_ID && !pair_key_get(sc, c, t->sv_id[s], &t->pair_id[s]))
            t->pair_id[s] = NEW_ID;
        if (t->pair_id[s] == NEW_ID)
            grow = 1;
    }

    if (grow) {
        /* Limits and room first, so that EFULL and most ENOMEMs change
         * nothing. A QI dictionary never outgrows the class index (a new
         * value makes a new class), so checking the classes covers them. */
        size_t n_classes = t->n_classes;
        int rc;
        if (c == NEW_ID) {
            if (n_classes >= t->max)
                return CLASS_EFULL;
            if ((rc = reserve(t->budget, (void **)&t->keys, &t->keys_cap, n_classes + 1,
                              t->n_qi * sizeof *t->keys)) ||
                (rc = reserve(t->budget, (void **)&t->size, &t->size_cap, n_classes + 1,
                              sizeof *t->size)))
                return rc;
            if (t->n_sens && (rc = reserve(t->budget, (void **)&t->head, &t->head_cap,
                                           n_classes + 1, t->n_sens * sizeof *t->head)))
                return rc;
            if ((rc = idindex_reserve(t->index)))
                return rc == IDINDEX_EBUDGET ? CLASS_EBUDGET : CLASS_ENOMEM;
        }
        for (size_t s = 0; s < t->n_sens; s++) {
            sens_col *sc = &t->sens[s];
            size_t n_values = strmap_count(sc->dict), n_pairs = sc->n_pairs;
            if (t->sv_id[s] == NEW_ID) {
                if (n_values >= t->max)
                    return CLASS_EFULL;
                if ((rc = reserve(t->budget, (void **)&sc->count, &sc->count_cap, n_values + 1,
                                  sizeof *sc->count)))
                    return rc;
            }
            if (t->pair_id[s] != NEW_ID)
                continue;
            if (n_pairs >= t->max)
                return CLASS_EFULL;
            if ((rc = reserve(t->budget, (void **)&sc->pair_cv, &sc->pair_cv_cap, n_pairs + 1,
                              2 * sizeof *sc->pair_cv)) ||
                (rc = reserve(t->budget, (void **)&sc->pair_count, &sc->pair_count_cap,
                              n_pairs + 1, sizeof *sc->pair_count)) ||
                (rc = reserve(t->budget, (void **)&sc->pair_next, &sc->pair_next_cap,
                              n_pairs + 1, sizeof *sc->pair_next)))
                return rc;
            if ((rc = idindex_reserve(sc->pairs)))
                return rc == IDINDEX_EBUDGET ? CLASS_EBUDGET : CLASS_ENOMEM;
        }

        /* Insertions. Only a strmap's own allocation can fail from here. */
        for (size_t q = 0; q < t->n_qi; q++) {
            if (t->qi_id[q] != NEW_ID)
                continue;
            uint32_t id = (uint32_t)strmap_count(t->qi_dict[q]);
            if ((rc = strmap_put(t->qi_dict[q], qi[q].data, qi[q].len, id, NULL)) !=
                STRMAP_ADDED)
                return put_failed(rc);
            t->qi_id[q] = id;
        }
        if (c == NEW_ID) {
            c = (uint32_t)n_classes;
            memcpy(t->keys + (size_t)c * t->n_qi, t->qi_id, t->n_qi * sizeof *t->keys);
            idindex_add(t->index, idindex_hash(t->index, t->qi_id, t->n_qi * sizeof *t->qi_id),
                        c);
            t->n_classes++;
            t->size[c] = 0;
            for (size_t s = 0; s < t->n_sens; s++)
                t->head[(size_t)c * t->n_sens + s] = NO_PAIR;
        }
        for (size_t s = 0; s < t->n_sens; s++) {
            sens_col *sc = &t->sens[s];
            if (t->sv_id[s] == NEW_ID) {
                uint32_t v = (uint32_t)strmap_count(sc->dict);
                if ((rc = strmap_put(sc->dict, sens[s].data, sens[s].len, v, NULL)) !=
                    STRMAP_ADDED)
                    return put_failed(rc);
                        sc->count[v] = 0;
                t->sv_id[s] = v;
            }
            if (t->pair_id[s] == NEW_ID) {
                uint32_t p = (uint32_t)sc->n_pairs++;
                sc->pair_cv[2 * (size_t)p] = c;
                sc->pair_cv[2 * (size_t)p + 1] = t->sv_id[s];
                idindex_add(sc->pairs, pair_hash(sc, c, t->sv_id[s]), p);
                uint32_t *h = &t->head[(size_t)c * t->n_sens + s];
                sc->pair_count[p] = 0;
                sc->pair_next[p] = *h;
                *h = p;
                t->pair_id[s] = p;
            }
        }
    }

    t->size[c] += count;
    t->records += count;
    for (size_t s = 0; s < t->n_sens; s++) {
        t->sens[s].count[t->sv_id[s]] += count;
        t->sens[s].pair_count[t->pair_id[s]] += count;
    }
    if (class_id)
        *class_id = c;
    return CLASS_OK;
}

/* Room for the key of class_table_find on the stack; wider tables borrow
 * heap memory (find is const, so the table's scratch key is off limits). */
enum { FIND_STACK_QI = 64 };

int class_table_find(const class_table *t, const xf_value *qi, uint32_t *class_id)
{
    if (is_token_row(t, qi)) {
        if (class_id)
            *class_id = CLASS_SUPPRESSED;
        return 1;
    }
    uint32_t stack_key[FIND_STACK_QI] = {0};
    uint32_t *key = t->n_qi <= FIND_STACK_QI ? stack_key : malloc(t->n_qi * sizeof *key);
    if (!key)
        return 0;
    int found = 1;
    for (size_t q = 0; q < t->n_qi && found; q++)
        found = strmap_get(t->qi_dict[q], qi[q].data, qi[q].len, &key[q]);
    uint32_t c;
    if (found)
        found = find_class(t, key, &c);
    if (key != stack_key)
        free(key);
    if (found && class_id)
        *class_id = c;
    return found;
}

size_t class_table_n_qi(const class_table *t)
{
    return t->n_qi;
}

size_t class_table_n_sensitive(const class_table *t)
{
    return t->n_sens;
}

size_t class_table_classes(const class_table *t)
{
    return t->n_classes;
}

uint64_t class_table_records(const class_table *t)
{
    return t->records;
}

uint64_t class_table_suppressed(const class_table *t)
{
    return t->suppressed;
}

uint64_t class_table_size(const class_table *t, uint32_t c)
{
    return c < t->n_classes ? t->size[c] : 0;
}

uint32_t class_table_qi_id(const class_table *t, uint32_t c, size_t q)
{
    if (q >= t->n_qi || c >= t->n_classes)
        return UINT32_MAX;
    return t->keys[(size_t)c * t->n_qi + q];
}

xf_value class_table_qi_value(const class_table *t, uint32_t c, size_t q)
{
    xf_value v = {"", 0};
    uint32_t id = class_table_qi_id(t, c, q);
    if (id != UINT32_MAX)
        strmap_entry(t->qi_dict[q], id, &v.data, &v.len, NULL);
    return v;
}

size_t class_table_qi_distinct(const class_table *t, size_t q)
{
    return q < t->n_qi ? strmap_count(t->qi_dict[q]) : 0;
}

size_t class_table_sensitive_distinct(const class_table *t, size_t s)
{
    return s < t->n_sens ? strmap_count(t->sens[s].dict) : 0;
}

xf_value class_table_sensitive_value(const class_table *t, size_t s, uint32_t v)
{
    xf_value x = {"", 0};
    if (s < t->n_sens)
        strmap_entry(t->sens[s].dict, v, &x.data, &x.len, NULL);
    return x;
}

uint64_t class_table_sensitive_count(const class_table *t, size_t s, uint32_t v)
{
    if (s >= t->n_sens || v >= strmap_count(t->sens[s].dict))
        return 0;
    return t->sens[s].count[v];
}

void class_table_class_values(const class_table *t, uint32_t c, size_t s, class_value_fn fn,
                              void *ctx)
{
    if (s >= t->n_sens || c >= t->n_classes)
        return;
    const sens_col *sc = &t->sens[s];
    for (uint32_t p = t->head[(size_t)c * t->n_sens + s]; p != NO_PAIR; p = sc->pair_next[p]) {
        fn(ctx, sc->pair_cv[2 * (size_t)p + 1], sc->pair_count[p]);
    }
}

size_t class_table_memory(const class_table *t)
{
    size_t b = sizeof *t + t->token_len + 1 + t->n_qi * (sizeof(strmap *) + sizeof(uint32_t));
    for (size_t q = 0; q < t->n_qi; q++)
        b += strmap_memory(t->qi_dict[q]);
    b += idindex_memory(t->index) + t->keys_cap * t->n_qi * sizeof *t->keys;
    b += t->size_cap * sizeof *t->size + t->head_cap * t->n_sens * sizeof *t->head;
    for (size_t s = 0; s < t->n_sens; s++) {
        const sens_col *sc = &t->sens[s];
        b += sizeof *sc + 3 * sizeof(uint32_t);
        b += strmap_memory(sc->dict) + sc->count_cap * sizeof *sc->count;
        b += idindex_memory(sc->pairs) + sc->pair_cv_cap * 2 * sizeof *sc->pair_cv;
        b += sc->pair_count_cap * sizeof *sc->pair_count + sc->pair_next_cap * sizeof *sc->pair_next;
    }
    return b;
}
