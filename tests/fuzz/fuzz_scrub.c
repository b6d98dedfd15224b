/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_scrub.c - the identifier detector (pii_detect.h) and the scrub
 * transform over arbitrary text.
 *
 * Input: byte 0 = kinds (bit k: kind k; 0 means all), then the text; if
 * the rest holds a line "--", what follows it is one also= value (column
 * "name") and the text ends before it.
 * Oracles: findings come in increasing order, do not overlap, lie within
 * the text and are non-empty; normalizing a finding never takes more than
 * its length; the scrub output without also= is exactly the text with each
 * finding replaced by its tag, every other byte kept. pii_value_is and
 * scrub with also= run for the sanitizers only.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pii_detect.h"
#include "transform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct collect {
    const char *text;
    size_t len;
    size_t next;       /* where the next finding may start */
    dbuf expect;       /* the text with findings replaced by tags */
} collect;

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_scrub: %s\n", what);
        abort();
    }
}

static int on_found(const pii_span *s, void *vctx)
{
    collect *c = vctx;
    check(s->len > 0, "empty finding");
    check(s->start >= c->next, "findings out of order or overlapping");
    check(s->start + s->len <= c->len && s->start + s->len > s->start, "finding past the text");
    check((unsigned)s->kind < PII_KIND_COUNT, "unknown kind");
    check(dbuf_append(&c->expect, c->text + c->next, s->start - c->next) == DBUF_OK &&
              dbuf_append_str(&c->expect, pii_kind_tag(s->kind)) == DBUF_OK,
          "out of memory");
    dbuf norm;
    dbuf_init(&norm, s->len + 1);
    check(pii_normalize(s->kind, c->text + s->start, s->len, &norm) == DBUF_OK, "normalize overflows");
    dbuf_free(&norm);
    c->next = s->start + s->len;
    return 0;
}

static void *compile_scrub(unsigned kinds, int with_also, char *find, size_t find_size)
{
    static const char *const also[] = {"name"};
    xf_param p = {"find", find, 20, 0};
    size_t o = 0;
    find[0] = 0;
    for (unsigned k = 0; k < PII_KIND_COUNT; k++)
        if (kinds & (1u << k))
            o += (size_t)snprintf(find + o, find_size - o, "%s%s", o ? "," : "", pii_kind_name((pii_kind)k));
    deid_error err;
    xf_context ctx = {
        .column = "memo", .transform = "scrub", .rules_file = "fuzz.rules", .base_dir = ".",
        .line = 1, .col = 13, .source_line = "column memo scrub", .params = &p, .n_params = 1,
        .n_inputs = with_also ? 2 : 1, .also = with_also ? also : NULL, .n_also = with_also ? 1 : 0,
        .err = &err,
    };
    void *state = NULL;
    check(xf_scrub_ops.compile(&ctx, &state) == DEID_OK && state, "scrub does not compile");
    return state;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned kinds = data[0] & PII_ALL_KINDS;
    if (!kinds)
        kinds = PII_ALL_KINDS;
    const char *text = (const char *)data + 1;
    size_t len = size - 1, also_len = 0;
    const char *also = NULL;
    for (size_t i = 0; i + 4 <= len; i++)
        if (!memcmp(text + i, "\n--\n", 4)) {
            also = text + i + 4;
            also_len = len - i - 4;
            len = i;
            break;
        }

    collect c = {text, len, 0, {0}};
    dbuf_init(&c.expect, 16 * len + 64);
    check(pii_find(text, len, kinds, on_found, &c) == 0, "pii_find failed");
    check(dbuf_append(&c.expect, text + c.next, len - c.next) == DBUF_OK, "out of memory");

    for (unsigned k = 0; k < PII_KIND_COUNT; k++)
        (void)pii_value_is((pii_kind)k, text, len);

    char find[128];
    void *state = compile_scrub(kinds, also != NULL, find, sizeof find);
    xf_value in[2] = {{text, len}, {also ? also : "", also_len}};
    dbuf out;
    dbuf_init(&out, 16 * len + 64);
    const char *why = NULL;
    uint64_t counts[PII_KIND_COUNT + 1] = {0};
    xf_result r = xf_scrub_ops.apply_counting(state, in, also ? 2 : 1, &out, &why, counts);
    check(r == XF_OK, "scrub failed");
    if (!also)
        check(out.len == c.expect.len && (out.len == 0 || !memcmp(out.data, c.expect.data, out.len)),
              "scrub output is not the text with each finding replaced by its tag");
    dbuf_free(&out);
    dbuf_free(&c.expect);
    xf_scrub_ops.free(state);
    return 0;
}
