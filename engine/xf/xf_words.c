/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_words.c - `words keep=N`: keeps the first N words of a value, e.g. an
 * address cut to its province and district: "서울특별시 강남구 역삼동 123-4"
 * -> "서울특별시 강남구".
 *
 * Words are separated by any Unicode White_Space character (utf8.h):
 * besides ASCII space, tab, CR, LF, VT and FF that includes NBSP, which
 * Excel and web exports put between words, the EM/EN spaces and U+3000
 * IDEOGRAPHIC SPACE from full-width Korean input. Missing one would pass
 * the whole value through as a single word. The output runs from the start of the first word to the end of
 * the N-th, so leading and trailing white space goes and the separators
 * between kept words stay as they were. A value with fewer than N words is
 * returned trimmed; one with no words at all cannot be generalized.
 */
#include <stdint.h>
#include <stdlib.h>

#include "deid_limits.h"
#include "err.h"
#include "transform.h"
#include "utf8.h"

/* The state is an unsigned long long: keep=, 1 .. DEID_MAX_FIELD_BYTES. */

static deid_status words_compile(xf_context *ctx, void **state)
{
    return xf_compile_uint(ctx, "keep", DEID_MAX_FIELD_BYTES, state);
}

static xf_result words_apply(const void *state, const xf_value *in, size_t n_in, dbuf *out,
                             const char **why)
{
    const unsigned long long *keep = state;
    const char *v = in[0].data;
    size_t len = in[0].len;
    (void)n_in;
    /* Bytes after the last kept word are not copied, but they are part of
     * the value: refuse the value if any of it is not UTF-8. */
    if (utf8_count(v, len) == SIZE_MAX) {
        *why = "is not valid UTF-8";
        return XF_BAD_VALUE;
    }
    size_t start = SIZE_MAX, end = 0, words = 0;
    int in_word = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(v + i, len - i, &cp);
        if (utf8_is_white_space(cp)) {
            if (in_word && words == *keep)
                break;
            in_word = 0;
        } else {
            if (!in_word) {
                in_word = 1;
                words++;
                if (start == SIZE_MAX)
                    start = i;
            }
            end = i + n;
        }
        i += n;
    }
    if (start == SIZE_MAX) {
        *why = "has no words";
        return XF_BAD_VALUE;
    }
    return dbuf_append(out, v + start, end - start) ? XF_NOMEM : XF_OK;
}

static int words_describe(const void *state, dbuf *out)
{
    return dbuf_printf(out, "keep=%llu", *(const unsigned long long *)state);
}

static int words_kept(const void *state, dbuf *out)
{
    unsigned long long n = *(const unsigned long long *)state;
    return dbuf_printf(out, "keeps %llu word%s (the first)", n, n == 1 ? "" : "s");
}

const transform_ops xf_words_ops = {
    .name = "words",
    .technique = "데이터 범주화/문자데이터 범주화 (address/text generalization)",
    .compile = words_compile,
    .apply = words_apply,
    .describe = words_describe,
    .free = free,
    .kept = words_kept,
};
