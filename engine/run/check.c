/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check.c - `deid check`, the auditor: reads one input (gzip detected),
 * groups its records into equivalence classes by their quasi-identifier
 * values (classes.c), measures k-anonymity, l-diversity, t-closeness and
 * prosecutor risk (privacy.c); check_report.c renders the report.
 * Memory grows with the number of distinct QI combinations, never with
 * the number of records: one record at a time passes through.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "classes.h"
#include "colplan.h"
#include "deid_limits.h"
#include "err.h"
#include "input.h"
#include "privacy.h"
#include "risk_stats.h"
#include "rules.h"
#include "sysmem.h"
#include "utility.h"

/* A listing of the header in a message stops after about this many bytes. */
#define HEADER_LIST_BYTES 300u

/* ---- configuration ---------------------------------------------------------- */

/* The lanes and the pipeline that feeds them (threads from the options). */
static deid_status start_lanes(deid_check *chk, const deid_rules *rules,
                               const deid_check_options *o, deid_error *err)
{
    deid_encoding enc = o->encoding ? o->encoding : rules ? rules->encoding : DEID_ENCODING_AUTO;
    session_options so = {o->threads, o->chunk_bytes, o->progress, o->progress_ctx, enc};
    return session_new(&check_lane_ops, chk, &so, &chk->sess, err);
}

static void names_free(name_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->names[i]);
    free(l->names);
    l->names = NULL;
    l->n = 0;
}

static deid_status names_copy(name_list *l, const char *const *src, size_t n, deid_error *err)
{
    if (n > DEID_MAX_FIELDS)
        return err_set(err, DEID_E_USAGE, "more than %u columns named", DEID_MAX_FIELDS);
    l->names = calloc(n ? n : 1, sizeof *l->names);
    if (!l->names)
        return err_set(err, DEID_E_IO, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (!(l->names[i] = strdup(src[i])))
            return err_set(err, DEID_E_IO, "out of memory");
        l->n++;
    }
    return DEID_OK;
}

long check_find_name(const name_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->names[i], name))
            return (long)i;
    return -1;
}

static deid_status check_names(const name_list *l, const char *what, deid_error *err)
{
    for (size_t i = 0; i < l->n; i++) {
        if (!l->names[i][0])
            return err_set(err, DEID_E_USAGE, "empty %s column name", what);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(l->names[i], l->names[j]))
                return err_set(err, DEID_E_USAGE, "%s column \"%s\" is named twice", what,
                               l->names[i]);
    }
    return DEID_OK;
}

/* Takes the rules' privacy statements, then what opts sets over them. */
static deid_status configure(deid_check *chk, const deid_rules *rules,
                             const deid_check_options *o, deid_error *err)
{
    const rules_privacy *pv = rules ? &rules->privacy : NULL;
    deid_status st;
    if (o->n_quasi) {
        st = names_copy(&chk->quasi, o->quasi, o->n_quasi, err);
    } else if (pv && pv->n_quasi) {
        st = names_copy(&chk->quasi, (const char *const *)pv->quasi, pv->n_quasi, err);
        chk->quasi.from_rules = 1;
        chk->quasi.rules_line = pv->quasi_line;
    } else {
        return err_set(err, DEID_E_USAGE,
                       "no quasi-identifiers given: name them with --quasi or a `quasi` line");
    }
    if (st)
        return st;
    if (o->n_sensitive) {
        st = names_copy(&chk->sensitive, o->sensitive, o->n_sensitive, err);
    } else if (pv && pv->n_sensitive) {
        st = names_copy(&chk->sensitive, (const char *const *)pv->sensitive, pv->n_sensitive, err);
        chk->sensitive.from_rules = 1;
        chk->sensitive.rules_line = pv->sensitive_line;
    } else {
        st = names_copy(&chk->sensitive, NULL, 0, err);
    }
    if (st)
        return st;
    if ((st = check_names(&chk->quasi, "quasi-identifier", err)) ||
        (st = check_names(&chk->sensitive, "sensitive", err)))
        return st;
    for (size_t i = 0; i < chk->sensitive.n; i++)
        if (check_find_name(&chk->quasi, chk->sensitive.names[i]) >= 0)
            return err_set(err, DEID_E_USAGE, "column \"%s\" cannot be both quasi and sensitive",
                           chk->sensitive.names[i]);

    chk->ordered = calloc(chk->sensitive.n ? chk->sensitive.n : 1, sizeof *chk->ordered);
    chk->spec = calloc(chk->sensitive.n ? chk->sensitive.n : 1, sizeof *chk->spec);
    if (!chk->ordered || !chk->spec)
        return err_set(err, DEID_E_IO, "out of memory");
    /* The rules' ordered= flags follow their columns even when the
     * sensitive list itself comes from opts. */
    for (size_t i = 0; pv && i < pv->n_sensitive; i++) {
        long j = check_find_name(&chk->sensitive, pv->sensitive[i]);
        if (j >= 0 && pv->ordered && pv->ordered[i])
            chk->ordered[j] = 1;
    }
    for (size_t i = 0; i < o->n_ordered; i++) {
        long j = check_find_name(&chk->sensitive, o->ordered[i]);
        if (j < 0)
            return err_set(err, DEID_E_USAGE, "ordered column \"%s\" is not a sensitive column",
                           o->ordered[i]);
        chk->ordered[j] = 1;
    }
    int ignore_empty = o->sensitive_empty ? o->sensitive_empty == DEID_SENSITIVE_EMPTY_IGNORE
                                          : pv && pv->ignore_empty;
    for (size_t i = 0; i < chk->sensitive.n; i++) {
        chk->spec[i].name = chk->sensitive.names[i];
        chk->spec[i].ordered = chk->ordered[i];
        chk->spec[i].ignore_empty = ignore_empty;
    }
    if ((st = check_hierarchies(chk, pv, o, err)))
        return st;

    if (pv) {
        chk->req.k = pv->k;
        chk->req.l = pv->l;
        chk->req.l_kind = pv->l_entropy ? L_ENTROPY : L_DISTINCT;
        chk->req.t = pv->t;
    }
    if (o->k)
        chk->req.k = o->k;
    if (o->n_k_list > PRIVACY_MAX_K_LIST || (o->n_k_list && !o->k_list))
        return err_set(err, DEID_E_USAGE, "at most %d values of k", PRIVACY_MAX_K_LIST);
    for (size_t i = 0; i < o->n_k_list; i++) {
        uint64_t k = o->k_list[i];
        if (k < 1 || k > DEID_MAX_K)
            return err_set(err, DEID_E_USAGE, "k must be a whole number from 1 to %llu",
                           (unsigned long long)DEID_MAX_K);
        /* ascending and distinct, whatever the order given */
        size_t at = chk->req.n_k_list;
        while (at > 0 && chk->req.k_list[at - 1] > k)
            at--;
        if (at > 0 && chk->req.k_list[at - 1] == k)
            continue;
        memmove(&chk->req.k_list[at + 1], &chk->req.k_list[at],
                (chk->req.n_k_list - at) * sizeof chk->req.k_list[0]);
        chk->req.k_list[at] = k;
        chk->req.n_k_list++;
    }
    if (chk->req.n_k_list)
        chk->req.k = chk->req.k_list[chk->req.n_k_list - 1];
    if (o->l != 0) {
        if (!isfinite(o->l) || o->l < 1 || o->l > 1e12)
            return err_set(err, DEID_E_USAGE, "l must be a number from 1 up");
        chk->req.l = o->l;
        chk->req.l_kind = o->l_entropy ? L_ENTROPY : L_DISTINCT;
    } else if (o->l_entropy) {
        chk->req.l_kind = L_ENTROPY;
    }
    if (o->t != 0) {
        if (!isfinite(o->t) || o->t < 0 || o->t > 1)
            return err_set(err, DEID_E_USAGE, "t must be a number above 0 and at most 1");
        chk->req.t = o->t;
    }
    if (o->l_entropy && chk->req.l == 0)
        return err_set(err, DEID_E_USAGE, "entropy l-diversity needs a value for l");
    if ((chk->req.l > 0 || chk->req.t > 0) && chk->sensitive.n == 0)
        return err_set(err, DEID_E_USAGE, "l and t need at least one sensitive column");

    const char *token = o->token ? o->token : pv && pv->token ? pv->token : "*";
    if (!token[0])
        return err_set(err, DEID_E_USAGE, "the suppression token is empty");
    chk->token = strdup(token);
    if (rules)
        snprintf(chk->rules_sha256, sizeof chk->rules_sha256, "%s", rules->sha256);
    if (rules && !(chk->rules_name = strdup(rules->name)))
        return err_set(err, DEID_E_IO, "out of memory");
    chk->delimiter = o->delimiter ? o->delimiter : rules ? rules->delimiter : ',';
    chk->header = o->no_header ? 0 : rules ? rules->header : 1;
    chk->show_classes = o->show_classes;
    if (!chk->token)
        return err_set(err, DEID_E_IO, "out of memory");
    if (o->sampling_fraction != 0 && !(o->sampling_fraction > 0 && o->sampling_fraction <= 1))
        return err_set(err, DEID_E_USAGE, "the sampling fraction must be above 0 and at most 1");
    chk->sampling_fraction = o->sampling_fraction;
    if (o->population_count && !o->population_count[0])
        return err_set(err, DEID_E_USAGE, "the population count column name is empty");
    if (o->population && !(chk->population_path = strdup(o->population)))
        return err_set(err, DEID_E_IO, "out of memory");
    if (o->population && !(chk->population_count =
                               strdup(o->population_count ? o->population_count : "count")))
        return err_set(err, DEID_E_IO, "out of memory");
    return DEID_OK;
}

deid_status deid_check_new(const deid_rules *rules, const deid_check_options *opts,
                           deid_check **out, deid_error *err)
{
    *out = NULL;
    err_clear(err);
    deid_check_options none = {0};
    deid_check *chk = calloc(1, sizeof *chk);
    if (!chk)
        return err_set(err, DEID_E_IO, "out of memory");
    deid_status st = configure(chk, rules, opts ? opts : &none, err);
    if (!st) {
        const deid_check_options *o = opts ? opts : &none;
        mem_budget_init(&chk->budget, o->memory_bytes ? o->memory_bytes : sysmem_default_budget());
        chk->table = class_table_new_budget(chk->quasi.n, chk->sensitive.n, chk->token,
                                            DEID_MAX_CLASSES, &chk->budget);
        chk->qi_idx = calloc(chk->quasi.n, sizeof *chk->qi_idx);
        chk->qi_vals = calloc(chk->quasi.n, sizeof *chk->qi_vals);
        chk->sens_idx = calloc(chk->sensitive.n ? chk->sensitive.n : 1, sizeof *chk->sens_idx);
        chk->sens_vals = calloc(chk->sensitive.n ? chk->sensitive.n : 1, sizeof *chk->sens_vals);
        if (!chk->table || !chk->qi_idx || !chk->qi_vals || !chk->sens_idx ||
            !chk->sens_vals)
            st = err_set(err, DEID_E_IO, "out of memory");
        class_table *unbudgeted;
        if (!chk->table && (unbudgeted = class_table_new(chk->quasi.n, chk->sensitive.n,
                                                         chk->token, DEID_MAX_CLASSES))) {
            /* Memory is there: the budget cannot take even an empty table. */
            class_table_free(unbudgeted);
            st = mem_budget_error(&chk->budget, "the class table", 0, err);
        }
    }
    if (!st && opts && opts->partial) {
        chk->partial = 1;
        chk->part = opts->part;
        if (chk->population_path || chk->show_classes)
            st = err_set(err, DEID_E_USAGE, "a check of one part gathers its summary and "
                                            "measures nothing: no population, no classes shown");
        if (!st)
            st = check_summary_start(chk, err);
    }
    if (!st)
        st = start_lanes(chk, rules, opts ? opts : &none, err);
    if (st) {
        deid_check_free(chk);
        return st;
    }
    *out = chk;
    return DEID_OK;
}

void deid_check_free(deid_check *chk)
{
    if (!chk)
        return;
    /* Workers first: they read the check until they stop. */
    session_free(chk->sess);
    check_hierarchies_free(chk); /* before the names: it counts them */
    names_free(&chk->quasi);
    names_free(&chk->sensitive);
    free(chk->ordered);
    free(chk->spec);
    free(chk->token);
    free(chk->rules_name);
    free(chk->input_name);
    free(chk->qi_idx);
    free(chk->sens_idx);
    free(chk->qi_vals);
    free(chk->sens_vals);
    class_table_free(chk->table);
    if (chk->measured)
        privacy_stats_free(&chk->stats);
    free(chk->smallest);
    free(chk->population_path);
    free(chk->population_count);
    if (chk->origin_cap)
        mem_budget_release(&chk->budget, chk->origin_cap * sizeof *chk->origin);
    free(chk->origin);
    if (chk->utility) {
        utility_figures_free(chk->utility);
        free(chk->utility);
    }
    free(chk->source_name);
    summary_reader_free(chk->merge_reader);
    summary_free(chk->shard_summary);
    free(chk);
}

/* ---- binding names to the header -------------------------------------------- */

/* 1 when the header cell name was given by the user (a quasi-identifier
 * or sensitive column, from the options or the rules), 0 when not, -1
 * when out of memory. */
static int named_by_user(const deid_check *chk, const char *name)
{
    const name_list *lists[] = {&chk->quasi, &chk->sensitive};
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < lists[k]->n; i++) {
            int same = colplan_same_name(lists[k]->names[i], name);
            if (same)
                return same;
        }
    return 0;
}

/* "#1, "age", #3" (cut after about HEADER_LIST_BYTES) for messages: a
 * header cell the user did not name may be data (a headerless input), so
 * it is shown by position only. */
static int header_list(const deid_check *chk, char **header, size_t n, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && at < size; i++) {
        if (at > HEADER_LIST_BYTES) {
            snprintf(buf + at, size - at, ", ... (%zu in all)", n);
            return 0;
        }
        int named = named_by_user(chk, header[i]);
        if (named < 0)
            return -1;
        int k = named ? snprintf(buf + at, size - at, "%s\"%s\"", i ? ", " : "", header[i])
                      : snprintf(buf + at, size - at, "%s#%zu", i ? ", " : "", i + 1);
        if (k < 0)
            return 0;
        at += (size_t)k;
    }
    return 0;
}

static deid_status unknown_column(deid_check *chk, const name_list *l, const char *what,
                                  const char *name, char **header, size_t n, deid_error *err)
{
    char cols[HEADER_LIST_BYTES + 64];
    if (header_list(chk, header, n, cols, sizeof cols) < 0)
        return err_set(err, DEID_E_IO, "out of memory");
    deid_status st = l->from_rules ? DEID_E_RULES : DEID_E_USAGE;
    err_set(err, st, "%s \"%s\" is not a column of %s (its columns: %s)", what, name,
            l->from_rules ? chk->input_name : "the input", cols);
    if (l->from_rules)
        err_at_rules(err, chk->rules_name, l->rules_line, 0, NULL);
    return st;
}

static deid_status bind_list(deid_check *chk, const name_list *l, const char *what,
                             const colplan_header *h, size_t *idx, deid_error *err)
{
    for (size_t i = 0; i < l->n; i++) {
        int dup = 0;
        long at = colplan_find(h, l->names[i], &dup);
        if (at == COLPLAN_NOMEM)
            return err_set(err, DEID_E_IO, "out of memory");
        if (at < 0)
            return unknown_column(chk, l, what, l->names[i], h->names, h->n, err);
        if (dup) {
            err_set(err, DEID_E_DATA, "the header names column \"%s\" more than once",
                    l->names[i]);
            err_at_record(err, chk->input_name, 0, 1, NULL);
            return DEID_E_DATA;
        }
        idx[i] = (size_t)at;
    }
    return DEID_OK;
}

/* The same reading of a header as run's and reverse's (colplan.h); a
 * repeated name is an error only for a column the check reads. */
deid_status check_bind_header(deid_check *chk, const csv_field *f, size_t n, deid_error *err)
{
    colplan_header h;
    deid_status st = colplan_header_read(&h, f, n, chk->header, chk->input_name,
                                         "say `--no-header`", err);
    if (!st)
        st = bind_list(chk, &chk->quasi, "quasi-identifier", &h, chk->qi_idx, err);
    if (!st)
        st = bind_list(chk, &chk->sensitive, "sensitive column", &h, chk->sens_idx, err);
    colplan_header_free(&h);
    if (!st) {
        chk->n_fields = n;
        chk->bound = 1;
    }
    return st;
}

/* ---- the input ------------------------------------------------------------------ */

static deid_status fail(deid_check *chk, deid_status st)
{
    return session_fail(chk->sess, st);
}

static deid_status refuse(deid_check *chk, deid_error *err)
{
    if (session_failed(chk->sess))
        return err_set(err, session_failed(chk->sess), "the check stopped at an earlier error");
    return err_set(err, DEID_E_USAGE, "the check is finished");
}

static void at_input(deid_check *chk, deid_error *err)
{
    if (err && !err->file[0] && err->status != DEID_E_RULES)
        err_at_file(err, chk->input_name);
}

deid_status deid_check_begin_input(deid_check *chk, const char *name, deid_error *err)
{
    err_clear(err);
    if (session_failed(chk->sess) || chk->finished)
        return refuse(chk, err);
    if (chk->begun || chk->merging)
        return err_set(err, DEID_E_USAGE, "deid_check_begin_input: a check reads one input "
                                          "(or merges summaries)");
    chk->begun = 1;
    if (!(chk->input_name = strdup(name ? name : "-")))
        return fail(chk, err_set(err, DEID_E_IO, "out of memory"));
    chk->in_input = 1;
    return fail(chk, session_begin_input(chk->sess, 1, err));
}

deid_status deid_check_write(deid_check *chk, const void *data, size_t len, deid_error *err)
{
    err_clear(err);
    if (session_failed(chk->sess) || chk->finished)
        return refuse(chk, err);
    if (!chk->in_input)
        return err_set(err, DEID_E_USAGE, "deid_check_write: no input begun");
    deid_status st = session_write(chk->sess, data, len, err);
    if (st)
        at_input(chk, err);
    return fail(chk, st);
}

deid_status deid_check_end_input(deid_check *chk, deid_error *err)
{
    err_clear(err);
    if (session_failed(chk->sess) || chk->finished)
        return refuse(chk, err);
    if (!chk->in_input)
        return err_set(err, DEID_E_USAGE, "deid_check_end_input: no input begun");
    chk->in_input = 0;
    deid_status st = session_end_input(chk->sess, err);
    if (!st && !chk->bound)
        st = err_set(err, DEID_E_DATA, chk->header ? "the input is empty: no header row"
                                                   : "the input is empty");
    if (!st) {
        snprintf(chk->sha256, sizeof chk->sha256, "%s", session_input_sha256(chk->sess));
        chk->input_bytes = session_input_raw_bytes(chk->sess);
        chk->ended = 1;
    }
    if (st)
        at_input(chk, err);
    return fail(chk, st);
}

/* The show_classes smallest classes, smallest first; ties in order of
 * first appearance. A max-heap of the n best so far keeps this at
 * O(classes log n) time and n ids of memory. */
static int heap_less(const class_table *t, uint32_t a, uint32_t b)
{
    uint64_t sa = class_table_size(t, a), sb = class_table_size(t, b);
    return sa < sb || (sa == sb && a < b);
}

static void sift_down(const class_table *t, uint32_t *h, size_t n, size_t i)
{
    for (;;) {
        size_t big = i, l = 2 * i + 1, r = l + 1;
        if (l < n && heap_less(t, h[big], h[l]))
            big = l;
        if (r < n && heap_less(t, h[big], h[r]))
            big = r;
        if (big == i)
            return;
        uint32_t tmp = h[i];
        h[i] = h[big];
        h[big] = tmp;
        i = big;
    }
}

static int pick_smallest(deid_check *chk)
{
    size_t classes = class_table_classes(chk->table);
    size_t n = chk->show_classes < classes ? chk->show_classes : classes;
    if (n == 0)
        return 0;
    uint32_t *h = malloc(n * sizeof *h);
    if (!h)
        return -1;
    for (size_t c = 0; c < classes; c++) {
        if (c < n) {
            h[c] = (uint32_t)c;
            if (c + 1 == n)
                for (size_t i = n / 2 + 1; i-- > 0;)
                    sift_down(chk->table, h, n, i);
        } else if (heap_less(chk->table, (uint32_t)c, h[0])) {
            h[0] = (uint32_t)c;
            sift_down(chk->table, h, n, 0);
        }
    }
    /* Heap sort in place: the largest goes last. */
    for (size_t end = n; end > 1; end--) {
        uint32_t tmp = h[0];
        h[0] = h[end - 1];
        h[end - 1] = tmp;
        sift_down(chk->table, h, end - 1, 0);
    }
    chk->smallest = h;
    chk->n_smallest = n;
    return 0;
}

deid_status check_note_origin(deid_check *chk, uint32_t class_id, uint64_t record,
                              unsigned long line, deid_error *err)
{
    if (class_id != chk->n_origin)
        return DEID_OK; /* not a class this list has not seen (cannot happen) */
    if (chk->n_origin == chk->origin_cap) {
        size_t cap = chk->origin_cap ? chk->origin_cap * 2 : 1024;
        if (mem_budget_charge(&chk->budget, (cap - chk->origin_cap) * sizeof *chk->origin))
            return mem_budget_error(&chk->budget, "the list of where classes first appear",
                                    class_table_classes(chk->table), err);
        class_origin *grown = realloc(chk->origin, cap * sizeof *grown);
        if (!grown) {
            mem_budget_release(&chk->budget, (cap - chk->origin_cap) * sizeof *chk->origin);
            return err_set(err, DEID_E_IO, "out of memory");
        }
        chk->origin = grown;
        chk->origin_cap = cap;
    }
    chk->origin[chk->n_origin++] = (class_origin){record, line};
    return DEID_OK;
}

/* Journalist, marketer and sample risk, with the population table's
 * counts when there is one, and the uniqueness estimates. */
static deid_status measure_risk(deid_check *chk, deid_error *err)
{
    uint64_t *counts = NULL;
    if (chk->population_path) {
        check_population_spec spec = {
            .path = chk->population_path,
            .count_column = chk->population_count,
            .quasi = (const char *const *)chk->quasi.names,
            .n_quasi = chk->quasi.n,
            .delimiter = chk->delimiter,
            .budget = &chk->budget,
            .input_name = chk->input_name,
            .origin = chk->origin,
            .n_origin = chk->n_origin,
        };
        deid_status st =
            check_population_read(&spec, chk->table, &counts, &chk->population_rows, err);
        if (st)
            return st;
    }
    int rc = risk_measure(chk->table, chk->stats.risk_k, counts, chk->sampling_fraction,
                          &chk->risk);
    free(counts);
    if (rc == -1)
        return err_set(err, DEID_E_IO, "out of memory");
    if (rc)
        return err_set(err, DEID_E_USAGE,
                       "a sampling fraction of %g makes a population of more than 2^53 "
                       "records; give a larger one",
                       chk->sampling_fraction);
    return DEID_OK;
}

deid_status deid_check_finish(deid_check *chk, deid_error *err)
{
    err_clear(err);
    if (session_failed(chk->sess) || chk->finished)
        return refuse(chk, err);
    if (chk->in_input)
        return err_set(err, DEID_E_USAGE, "deid_check_finish: the input is not ended");
    if (!chk->ended)
        return err_set(err, DEID_E_USAGE, "deid_check_finish: no input was given");
    chk->finished = 1;
    if (chk->partial) /* a part's figures would mislead: its summary is the result */
        return summary_records(chk->shard_summary)
                   ? fail(chk, summary_add_part(chk->shard_summary, chk->part, err))
                   : DEID_OK; /* an empty part covers nothing (two may share a start) */
    if (check_hier_missing(chk, err))
        return fail(chk, DEID_E_DATA);
    if (privacy_measure(chk->table, &chk->req, chk->spec, &chk->stats))
        return fail(chk, err_set(err, DEID_E_IO, "out of memory"));
    chk->measured = 1;
    if (pick_smallest(chk))
        return fail(chk, err_set(err, DEID_E_IO, "out of memory"));
    return fail(chk, measure_risk(chk, err));
}

typedef struct fd_ctx {
    deid_check *chk;
} fd_ctx;

static deid_status write_chunk(void *ctx, const void *data, size_t len, deid_error *err)
{
    return deid_check_write(((fd_ctx *)ctx)->chk, data, len, err);
}

deid_status deid_check_run_fd(deid_check *chk, int in_fd, const char *name, deid_error *err)
{
    deid_status st = deid_check_begin_input(chk, name, err);
    if (st)
        return st;
    fd_ctx ctx = {chk};
    st = input_read_fd(in_fd, name, write_chunk, &ctx, err);
    if (st)
        return fail(chk, st);
    st = deid_check_end_input(chk, err);
    return st ? st : deid_check_finish(chk, err);
}

int deid_check_met(const deid_check *chk)
{
    return chk->measured && chk->stats.met;
}

const char *deid_check_input_encoding(const deid_check *chk)
{
    return session_input_encoding(chk->sess);
}
