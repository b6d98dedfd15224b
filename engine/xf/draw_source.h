/* SPDX-License-Identifier: Apache-2.0 */
/*
 * draw_source.h - what the keyed-random transforms (noise, round
 * random=yes, dateshift, pram) share: the key=, domain= and by= of their
 * rule, the generator made from them, and the start of one record's
 * draws, by the by= values or else by the record's position.
 */
#ifndef DEID_DRAW_SOURCE_H
#define DEID_DRAW_SOURCE_H

#include <stdint.h>

#include "keyed_random.h"
#include "transform.h"

typedef struct draw_source {
    keyed_random *kr;  /* owned */
    xf_keyed id;       /* key name, fingerprint, domain */
    char *by;          /* the by= columns joined with ",", malloc'd; NULL: by position */
} draw_source;

/* Reads key= (required) and domain= and ctx's by= columns, and makes the
 * generator for purpose (the transform keyword). The domain is domain=,
 * else the by= columns joined with "," when by_names_domain (dateshift:
 * every column with the same by= shares one draw), else the column name;
 * the recipient label is mixed in as for hash. On error fills ctx->err
 * and returns its status; src owns what it holds either way:
 * draw_source_free. */
deid_status draw_source_init(xf_context *ctx, const char *purpose, int by_names_domain,
                             draw_source *src);
/* Starts d for the record: its identity is in[1..n_in) (the by= values)
 * when the rule has by=, else record (its position). Returns 1, or 0 with
 * *why set when a by= value is empty (records without an identity would
 * all share one draw). End d with keyed_draws_end. */
int draw_source_start(const draw_source *src, const xf_value *in, size_t n_in, uint64_t record,
                      keyed_draws *d, const char **why);
/* Appends "key=K fingerprint=F domain=D" and " by=COLS" (nothing when
 * the draws go by position) for describe. Returns a DBUF_* code. */
int draw_source_describe(const draw_source *src, dbuf *out);
void draw_source_free(draw_source *src);

#endif
