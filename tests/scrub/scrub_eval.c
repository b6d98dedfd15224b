/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scrub_eval.c - measures the identifier detector (pii_detect.h) on a
 * labelled corpus from scrub_corpus.c: per kind, the identifiers found
 * exactly (recall) and the findings that are no labelled identifier of
 * that kind (precision); and the decoys no finding touches.
 *
 *   scrub_eval [--goals] < corpus.tsv
 *
 * Prints a Markdown table. With --goals, exits 1 when a kind's recall is
 * below 99.5% or fewer than 99% of the decoys are kept (issue 13's goals).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pii_detect.h"

enum { MAX_LABELS = 64, DECOY = PII_KIND_COUNT };

typedef struct label {
    int kind; /* a pii_kind or DECOY */
    size_t start, len;
    int matched;
} label;

typedef struct line_ctx {
    label *labels;
    size_t n;
    unsigned long long *tp, *fp;
    int *decoy_hit;
} line_ctx;

static unsigned long long total[PII_KIND_COUNT], tp[PII_KIND_COUNT], fp[PII_KIND_COUNT];

static int on_found(const pii_span *span, void *vctx)
{
    line_ctx *c = vctx;
    int exact = 0;
    for (size_t i = 0; i < c->n; i++) {
        label *l = &c->labels[i];
        if (l->kind == DECOY) {
            if (span->start < l->start + l->len && l->start < span->start + span->len)
                l->matched = 1; /* touched: the decoy did not survive */
        } else if (l->kind == (int)span->kind && l->start == span->start && l->len == span->len) {
            l->matched = 1;
            exact = 1;
        }
    }
    if (exact)
        tp[span->kind]++;
    else
        fp[span->kind]++;
    return 0;
}

static int parse_labels(char *s, label *out, size_t *n)
{
    *n = 0;
    for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
        char name[32];
        size_t start, len;
        if (sscanf(tok, "%31[^:]:%zu:%zu", name, &start, &len) != 3 || *n >= MAX_LABELS)
            return -1;
        pii_kind k;
        if (!strcmp(name, "decoy"))
            out[*n].kind = DECOY;
        else if (pii_kind_parse(name, &k) == 0)
            out[*n].kind = (int)k;
        else
            return -1;
        out[*n].start = start;
        out[*n].len = len;
        out[*n].matched = 0;
        (*n)++;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int goals = argc > 1 && !strcmp(argv[1], "--goals");
    static char buf[1 << 16];
    unsigned long long decoys = 0, decoys_kept = 0, sentences = 0;
    while (fgets(buf, sizeof buf, stdin)) {
        size_t n = strlen(buf);
        if (n && buf[n - 1] == '\n')
            buf[--n] = 0;
        char *tab = strchr(buf, '\t');
        if (!tab) {
            fprintf(stderr, "scrub_eval: line %llu has no tab\n", sentences + 1);
            return 2;
        }
        *tab = 0;
        const char *text = tab + 1;
        size_t len = strlen(text);
        label labels[MAX_LABELS];
        size_t nl;
        if (parse_labels(buf, labels, &nl) != 0) {
            fprintf(stderr, "scrub_eval: bad labels on line %llu\n", sentences + 1);
            return 2;
        }
        for (size_t i = 0; i < nl; i++)
            if (labels[i].start + labels[i].len > len) {
                fprintf(stderr, "scrub_eval: label past the text on line %llu\n", sentences + 1);
                return 2;
            }
        line_ctx c = {labels, nl, NULL, NULL, NULL};
        pii_find(text, len, PII_ALL_KINDS, on_found, &c);
        for (size_t i = 0; i < nl; i++) {
            if (labels[i].kind == DECOY) {
                decoys++;
                decoys_kept += !labels[i].matched;
            } else {
                total[labels[i].kind]++;
            }
        }
        sentences++;
    }
    printf("%llu sentences\n\n", sentences);
    printf("| kind | identifiers | found | recall | other findings | precision |\n");
    printf("|---|---:|---:|---:|---:|---:|\n");
    int ok = 1;
    for (unsigned k = 0; k < PII_KIND_COUNT; k++) {
        double recall = total[k] ? 100.0 * (double)tp[k] / (double)total[k] : 100.0;
        double precision = tp[k] + fp[k] ? 100.0 * (double)tp[k] / (double)(tp[k] + fp[k]) : 100.0;
        printf("| %s | %llu | %llu | %.2f%% | %llu | %.2f%% |\n", pii_kind_name((pii_kind)k), total[k],
               tp[k], recall, fp[k], precision);
        if (recall < 99.5 || total[k] == 0)
            ok = 0;
    }
    double kept = decoys ? 100.0 * (double)decoys_kept / (double)decoys : 100.0;
    printf("\ndecoys kept: %llu of %llu (%.2f%%)\n", decoys_kept, decoys, kept);
    if (kept < 99.0 || decoys == 0)
        ok = 0;
    if (goals)
        printf("goals (recall >= 99.5%% every kind, decoys kept >= 99%%): %s\n", ok ? "met" : "NOT MET");
    return goals && !ok ? 1 : 0;
}
