/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_gz.c - gzip streaming. Inflation is checked against files made by
 * the system gzip (tests/unit/data/gz/, made with `printf 'hello\n' | gzip
 * -n`, `printf 'world\n' | gzip -n -9` and `cat` of the two), at every
 * chunk size; deflation is checked by inflating with zlib directly.
 *
 * Slow suite (about 4 s): round_trip deflates and inflates at every chunk
 * size; the fixtures take milliseconds.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gz.h"

static unsigned char *read_fixture(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    unsigned char *buf = malloc(4096);
    ck_assert_ptr_nonnull(buf);
    *len = fread(buf, 1, 4096, f);
    ck_assert(!ferror(f));
    fclose(f);
    return buf;
}

/* ---- a sink that collects the output ------------------------------------ */

typedef struct collected {
    dbuf out;
    size_t calls;
    size_t max_piece;
    int empty_piece;
    size_t fail_after; /* fail on this call (1-based), 0 = never */
} collected;

static deid_status collect(void *ctx, const void *data, size_t len, deid_error *err)
{
    collected *c = ctx;
    c->calls++;
    if (len == 0)
        c->empty_piece = 1;
    if (len > c->max_piece)
        c->max_piece = len;
    if (c->fail_after && c->calls == c->fail_after) {
        err->status = DEID_E_IO;
        strcpy(err->message, "sink refused by the test");
        return DEID_E_IO;
    }
    ck_assert_int_eq(dbuf_append(&c->out, data, len), DBUF_OK);
    return DEID_OK;
}

static void collected_init(collected *c)
{
    memset(c, 0, sizeof *c);
    dbuf_init(&c->out, 1u << 26);
}

/* Inflates data in pieces of chunk bytes, then finishes. */
static deid_status inflate_chunks(gz_inflater *z, const unsigned char *data, size_t len,
                                  size_t chunk, collected *c, deid_error *err)
{
    for (size_t at = 0; at < len; at += chunk) {
        size_t n = len - at < chunk ? len - at : chunk;
        deid_status st = gz_inflate(z, data + at, n, collect, c, err);
        if (st != DEID_OK)
            return st;
    }
    return gz_inflate_finish(z, err);
}

static void expect_inflates_to(const unsigned char *gz, size_t len, const char *want)
{
    for (size_t chunk = 1; chunk <= len; chunk++) {
        gz_inflater *z = gz_inflater_new();
        ck_assert_ptr_nonnull(z);
        collected c;
        collected_init(&c);
        deid_error err;
        memset(&err, 0, sizeof err);
        deid_status st = inflate_chunks(z, gz, len, chunk, &c, &err);
        ck_assert_msg(st == DEID_OK, "chunk %zu: %s", chunk, err.message);
        ck_assert_msg(c.out.len == strlen(want) &&
                          (c.out.len == 0 || memcmp(c.out.data, want, c.out.len) == 0),
                      "chunk %zu: got \"%.*s\"", chunk, (int)c.out.len, c.out.data);
        ck_assert(!c.empty_piece);
        dbuf_free(&c.out);
        gz_inflater_free(z);
    }
}

/* Inflates at every chunk size and expects the same data error each time. */
static void expect_error(const unsigned char *gz, size_t len, const char *message)
{
    for (size_t chunk = 1; chunk <= len; chunk++) {
        gz_inflater *z = gz_inflater_new();
        collected c;
        collected_init(&c);
        deid_error err;
        memset(&err, 0, sizeof err);
        ck_assert_int_eq(inflate_chunks(z, gz, len, chunk, &c, &err), DEID_E_DATA);
        ck_assert_int_eq(err.status, DEID_E_DATA);
        ck_assert_msg(strstr(err.message, message), "chunk %zu: \"%s\", expected \"%s\"",
                      chunk, err.message, message);
        dbuf_free(&c.out);
        gz_inflater_free(z);
    }
}

START_TEST(magic)
{
    ck_assert(gz_is_gzip("\x1f\x8b", 2));
    ck_assert(gz_is_gzip("\x1f\x8b\x08", 3));
    ck_assert(!gz_is_gzip("\x1f\x8b", 1));
    ck_assert(!gz_is_gzip("", 0));
    ck_assert(!gz_is_gzip("\x1f\x8c", 2));
    ck_assert(!gz_is_gzip("\x8b\x1f", 2));
    ck_assert(!gz_is_gzip("a,b\n", 4));
    size_t len;
    unsigned char *gz = read_fixture("tests/unit/data/gz/hello.gz", &len);
    ck_assert(gz_is_gzip(gz, len));
    free(gz);
}
END_TEST

START_TEST(system_gzip_file)
{
    size_t len;
    unsigned char *gz = read_fixture("tests/unit/data/gz/hello.gz", &len);
    ck_assert_uint_eq(len, 26); /* 10 header + 8 deflate + 8 trailer */
    expect_inflates_to(gz, len, "hello\n");
    free(gz);
}
END_TEST

START_TEST(several_members)
{
    size_t len;
    unsigned char *gz = read_fixture("tests/unit/data/gz/two_members.gz", &len);
    ck_assert_uint_eq(len, 52);
    expect_inflates_to(gz, len, "hello\nworld\n");

    /* Three members built in memory. */
    unsigned char three[3 * 26];
    for (int i = 0; i < 3; i++)
        memcpy(three + 26 * i, gz, 26);
    expect_inflates_to(three, sizeof three, "hello\nhello\nhello\n");

    /* Cut exactly between the members: a complete stream. */
    expect_inflates_to(gz, 26, "hello\n");
    free(gz);
}
END_TEST

START_TEST(truncated)
{
    size_t len;
    unsigned char *gz = read_fixture("tests/unit/data/gz/two_members.gz", &len);
    char msg[64];
    for (size_t cut = 1; cut < len; cut++) {
        if (cut == 26)
            continue; /* between members: not truncated */
        snprintf(msg, sizeof msg, "truncated gzip data at byte %zu", cut);
        expect_error(gz, cut, msg);
    }
    /* One stray byte after a member starts another member. */
    unsigned char extra[27];
    memcpy(extra, gz, 26);
    extra[26] = 'x';
    expect_error(extra, sizeof extra, "truncated gzip data at byte 27");
    free(gz);
}
END_TEST

START_TEST(corrupt)
{
    size_t len;
    unsigned char *gz = read_fixture("tests/unit/data/gz/hello.gz", &len);
    unsigned char bad[32];

    /* Byte 11 starts the deflate data; 0xff says block type 3, which does
     * not exist. */
    memcpy(bad, gz, len);
    bad[10] = 0xff;
    expect_error(bad, len, "corrupt gzip data at byte 11");

    /* Bytes 19-22 are the CRC-32: wrong only once all four are read. */
    memcpy(bad, gz, len);
    bad[18] ^= 1;
    expect_error(bad, len, "corrupt gzip data at byte 22");

    /* Bytes 23-26 are the length. */
    memcpy(bad, gz, len);
    bad[22] ^= 1;
    expect_error(bad, len, "corrupt gzip data at byte 26");

    /* Garbage instead of a second member: its 2-byte magic is wrong. */
    memcpy(bad, gz, len);
    memcpy(bad + len, "xx", 2);
    expect_error(bad, len + 2, "corrupt gzip data at byte 28");

    /* Byte 3 is the method: 8 (deflate) is the only one. zlib reads the
     * method and flag bytes as one 16-bit unit, so 4 bytes are consumed. */
    memcpy(bad, gz, len);
    bad[2] = 7;
    expect_error(bad, len, "corrupt gzip data at byte 4");
    free(gz);
}
END_TEST

START_TEST(sink_error_and_reuse)
{
    size_t len;
    unsigned char *gz = read_fixture("tests/unit/data/gz/two_members.gz", &len);
    gz_inflater *z = gz_inflater_new();
    collected c;
    collected_init(&c);
    c.fail_after = 1;
    deid_error err;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(gz_inflate(z, gz, len, collect, &c, &err), DEID_E_IO);
    ck_assert_str_eq(err.message, "sink refused by the test"); /* passed on untouched */
    ck_assert_int_eq(gz_inflate(z, gz, len, collect, &c, &err), DEID_E_IO);
    ck_assert_int_eq(gz_inflate_finish(z, &err), DEID_E_IO);
    ck_assert_uint_eq(c.calls, 1);

    /* After finish the inflater takes a new stream; empty streams are fine. */
    ck_assert_int_eq(gz_inflate_finish(z, &err), DEID_OK);
    c.fail_after = 0;
    ck_assert_int_eq(inflate_chunks(z, gz, 26, 5, &c, &err), DEID_OK);
    ck_assert_int_eq(inflate_chunks(z, gz + 26, 26, 26, &c, &err), DEID_OK);
    ck_assert_uint_eq(c.out.len, 12);
    ck_assert(memcmp(c.out.data, "hello\nworld\n", 12) == 0);
    dbuf_free(&c.out);
    gz_inflater_free(z);
    free(gz);
}
END_TEST

/* ---- deflate ------------------------------------------------------------ */

/* Text-like data: compressible, but not trivially. */
static unsigned char *make_data(size_t len)
{
    static const char words[][8] = {"kim", "lee", "park", "seoul", ",", "\n", "1987", "busan"};
    unsigned char *p = malloc(len);
    ck_assert_ptr_nonnull(p);
    unsigned long long s = 88172645463325252ull;
    size_t at = 0;
    while (at < len) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        const char *w = (s & 1) ? words[(s >> 1) % 8] : NULL;
        if (w) {
            for (size_t i = 0; w[i] && at < len; i++)
                p[at++] = (unsigned char)w[i];
        } else {
            p[at++] = (unsigned char)(s >> 8);
        }
    }
    return p;
}

/* Inflates with zlib itself, independently of gz.c. */
static void zlib_inflate_all(const dbuf *gz, unsigned char *out, size_t cap, size_t *out_len)
{
    z_stream s;
    memset(&s, 0, sizeof s);
    ck_assert_int_eq(inflateInit2(&s, 15 + 16), Z_OK);
    s.next_in = (Bytef *)gz->data;
    s.avail_in = (uInt)gz->len;
    s.next_out = out;
    s.avail_out = (uInt)cap;
    ck_assert_int_eq(inflate(&s, Z_FINISH), Z_STREAM_END);
    ck_assert_uint_eq(s.avail_in, 0);
    *out_len = cap - s.avail_out;
    inflateEnd(&s);
}

START_TEST(round_trip)
{
    const size_t len = 300000;
    unsigned char *data = make_data(len);
    unsigned char *check = malloc(len + 1);
    static const int levels[] = {1, 6, 9};
    static const size_t chunks[] = {1, 1000, (size_t)-1};
    for (size_t l = 0; l < 3; l++) {
        for (size_t k = 0; k < 3; k++) {
            gz_deflater *d = gz_deflater_new(levels[l]);
            ck_assert_ptr_nonnull(d);
            dbuf gz;
            dbuf_init(&gz, 1u << 24);
            deid_error err;
            for (size_t at = 0; at < len; at += chunks[k]) {
                size_t n = len - at < chunks[k] ? len - at : chunks[k];
                ck_assert_int_eq(gz_deflate(d, data + at, n, &gz, &err), DEID_OK);
            }
            ck_assert_int_eq(gz_deflate_finish(d, &gz, &err), DEID_OK);
            gz_deflater_free(d);
            /* A gzip member of deflate data that zlib reads back. */
            ck_assert(gz.len > 18 && gz.len < len);
            ck_assert(memcmp(gz.data, "\x1f\x8b\x08", 3) == 0);
            size_t got;
            zlib_inflate_all(&gz, check, len + 1, &got);
            ck_assert_uint_eq(got, len);
            ck_assert(memcmp(check, data, len) == 0);

            /* And our inflater, in pieces of 1, 4096 and all bytes. */
            static const size_t in_chunks[] = {1, 4096, (size_t)-1};
            for (size_t m = 0; m < 3; m++) {
                if (in_chunks[m] == 1 && (l != 0 || k != 1))
                    continue; /* byte by byte once is enough */
                gz_inflater *z = gz_inflater_new();
                collected c;
                collected_init(&c);
                ck_assert_int_eq(inflate_chunks(z, (const unsigned char *)gz.data, gz.len,
                                                in_chunks[m], &c, &err),
                                 DEID_OK);
                ck_assert_uint_eq(c.out.len, len);
                ck_assert(memcmp(c.out.data, data, len) == 0);
                ck_assert(c.max_piece <= 65536 && !c.empty_piece);
                if (in_chunks[m] == (size_t)-1)
                    ck_assert_uint_eq(c.max_piece, 65536);
                dbuf_free(&c.out);
                gz_inflater_free(z);
            }
            dbuf_free(&gz);
        }
    }
    free(check);
    free(data);
}
END_TEST

START_TEST(deflate_two_members)
{
    gz_deflater *d = gz_deflater_new(6);
    dbuf gz;
    dbuf_init(&gz, 1u << 20);
    deid_error err;
    ck_assert_int_eq(gz_deflate(d, "abc", 3, &gz, &err), DEID_OK);
    ck_assert_int_eq(gz_deflate_finish(d, &gz, &err), DEID_OK);
    size_t first = gz.len;
    ck_assert_int_eq(gz_deflate(d, "def\n", 4, &gz, &err), DEID_OK);
    ck_assert_int_eq(gz_deflate_finish(d, &gz, &err), DEID_OK);
    gz_deflater_free(d);
    ck_assert(memcmp(gz.data + first, "\x1f\x8b", 2) == 0);
    /* The first member's trailer: CRC-32 of "abc" is 0x352441c2, length 3. */
    ck_assert(memcmp(gz.data + first - 8, "\xc2\x41\x24\x35\x03\x00\x00\x00", 8) == 0);
    expect_inflates_to((const unsigned char *)gz.data, gz.len, "abcdef\n");
    dbuf_free(&gz);

    /* An empty member is still a valid gzip stream. */
    d = gz_deflater_new(1);
    dbuf_init(&gz, 1u << 20);
    ck_assert_int_eq(gz_deflate_finish(d, &gz, &err), DEID_OK);
    gz_deflater_free(d);
    ck_assert(gz.len >= 20);
    expect_inflates_to((const unsigned char *)gz.data, gz.len, "");
    dbuf_free(&gz);
}
END_TEST

START_TEST(deflate_errors)
{
    ck_assert_ptr_null(gz_deflater_new(0));
    ck_assert_ptr_null(gz_deflater_new(10));
    gz_deflater_free(NULL);
    gz_inflater_free(NULL);

    gz_deflater *d = gz_deflater_new(9);
    dbuf gz;
    dbuf_init(&gz, 10); /* smaller than a gzip header and trailer */
    deid_error err;
    memset(&err, 0, sizeof err);
    deid_status st = gz_deflate(d, "hello", 5, &gz, &err);
    if (st == DEID_OK)
        st = gz_deflate_finish(d, &gz, &err);
    ck_assert_int_eq(st, DEID_E_IO);
    ck_assert(strstr(err.message, "limit"));
    ck_assert(gz.len <= 10);
    gz_deflater_free(d);
    dbuf_free(&gz);
}
END_TEST

/* Issue 12 finding 6: inflating highly compressible input (two members of
 * 8 MiB of one byte, about 1000:1) in slices of a bounded output, each
 * call handed all compressed bytes still unused, gives every byte exactly
 * once and never more than the limit plus one 64 KiB piece per call. */
START_TEST(bounded_slices)
{
    const size_t member = 8u << 20;
    unsigned char *plain = malloc(member);
    ck_assert_ptr_nonnull(plain);
    memset(plain, 'a', member);
    dbuf gz;
    dbuf_init(&gz, 1u << 24);
    gz_deflater *d = gz_deflater_new(9);
    deid_error err = {0};
    ck_assert_ptr_nonnull(d);
    for (int m = 0; m < 2; m++) {
        ck_assert_int_eq(gz_deflate(d, plain, member, &gz, &err), DEID_OK);
        ck_assert_int_eq(gz_deflate_finish(d, &gz, &err), DEID_OK);
    }
    gz_deflater_free(d);
    ck_assert_msg(gz.len * 900 < 2 * member, "ratio only %zu:1", 2 * member / gz.len);
    const size_t limits[] = {1, 100000, 1u << 20};
    for (size_t i = 0; i < sizeof limits / sizeof *limits; i++) {
        gz_inflater *z = gz_inflater_new();
        ck_assert_ptr_nonnull(z);
        collected c;
        collected_init(&c);
        size_t at = 0, calls = 0;
        while (at < gz.len) {
            size_t before = c.out.len, used = 0;
            ck_assert_int_eq(gz_inflate_some(z, gz.data + at, gz.len - at, limits[i], &used,
                                             collect, &c, &err),
                             DEID_OK);
            ck_assert_uint_le(c.out.len - before, limits[i] + 65536);
            ck_assert(used > 0 || c.out.len > before); /* progress */
            at += used;
            calls++;
        }
        ck_assert_int_eq(gz_inflate_finish(z, &err), DEID_OK);
        ck_assert_uint_eq(c.out.len, 2 * member);
        for (size_t k = 0; k < c.out.len; k++)
            if (((unsigned char *)c.out.data)[k] != 'a')
                ck_abort_msg("byte %zu differs", k);
        ck_assert_uint_ge(calls, 2 * member / (limits[i] + 65536));
        dbuf_wipe(&c.out);
        gz_inflater_free(z);
    }
    dbuf_wipe(&gz);
    free(plain);
}
END_TEST

Suite *gz_suite(void);

Suite *gz_suite(void)
{
    Suite *s = suite_create("gz");
    TCase *tc = tcase_create("inflate");
    tcase_add_test(tc, magic);
    tcase_add_test(tc, system_gzip_file);
    tcase_add_test(tc, several_members);
    tcase_add_test(tc, truncated);
    tcase_add_test(tc, corrupt);
    tcase_add_test(tc, sink_error_and_reuse);
    tcase_add_test(tc, bounded_slices);
    suite_add_tcase(s, tc);
    TCase *td = tcase_create("deflate");
    tcase_set_timeout(td, 60);
    tcase_add_test(td, round_trip);
    tcase_add_test(td, deflate_two_members);
    tcase_add_test(td, deflate_errors);
    suite_add_tcase(s, td);
    return s;
}
