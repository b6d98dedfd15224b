/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv_range.c - byte ranges of one large CSV file, for sharded runs
 * (README "Sharded runs"): where to cut it into parts that hold whole
 * records (`deid split`), and reading one part as an input of its own,
 * led by the file's first record (the header).
 *
 * A cut lies after a line feed outside every quoted field, by the same
 * quote parity as the parallel reader's (csv_split.h): one pass over the
 * file, so a cut that would fall inside a quoted field moves to the end
 * of that record.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "csv_range.h"
#include "csv_split.h"
#include "err.h"
#include "fsys.h"

#define RANGE_READ_BYTES (1u << 20)

/* The size of fd, a regular file that does not start with gzip's magic:
 * a compressed file's bytes cannot be cut into records. */
static deid_status plain_file(int fd, const char *name, uint64_t *size, deid_error *err)
{
    struct stat sb;
    if (fsys_fstat(fd, &sb) != 0)
        return err_set(err, DEID_E_IO, "cannot stat %s: %s", name, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return err_set(err, DEID_E_USAGE, "%s is not a regular file: byte ranges need one",
                       name);
    *size = (uint64_t)sb.st_size;
    unsigned char magic[2];
    size_t got = 0;
    if (fsys_seek(fd, 0) != 0 || fsys_read_full(fd, magic, 2, &got) != 0)
        return err_set(err, DEID_E_IO, "cannot read %s: %s", name, strerror(errno));
    if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        return err_set(err, DEID_E_USAGE, "%s is gzip-compressed: its bytes cannot be cut "
                                          "into records (give the parts as files)", name);
    return DEID_OK;
}

/* Walks fd from offset 0 and calls at(ctx, end) for each record end (the
 * offset after a line feed outside quotes) until at returns non-zero. */
typedef int (*record_end_fn)(void *ctx, uint64_t end);

static deid_status walk_records(int fd, const char *name, record_end_fn at, void *ctx,
                                deid_error *err)
{
    unsigned char *buf = malloc(RANGE_READ_BYTES);
    if (!buf)
        return err_set(err, DEID_E_IO, "out of memory");
    deid_status st = DEID_OK;
    if (fsys_seek(fd, 0) != 0)
        st = err_set(err, DEID_E_IO, "cannot seek in %s: %s", name, strerror(errno));
    unsigned inside = 0;
    uint64_t base = 0;
    int stop = 0;
    while (!st && !stop) {
        ssize_t k = fsys_read(fd, buf, RANGE_READ_BYTES);
        if (k < 0)
            st = err_set(err, DEID_E_IO, "cannot read %s: %s", name, strerror(errno));
        if (k <= 0)
            break;
        for (size_t i = 0; i < (size_t)k && !stop; i++) {
            if (buf[i] == '"')
                inside ^= 1u;
            else if (buf[i] == '\n' && !inside)
                stop = at(ctx, base + i + 1);
        }
        base += (uint64_t)k;
    }
    free(buf);
    return st;
}

typedef struct cutter {
    uint64_t size;
    unsigned parts;
    uint64_t *offsets;
    unsigned next;        /* the next cut to place, 1 .. parts-1 */
    uint64_t first_end;   /* where the first record ends; 0: not yet */
} cutter;

static uint64_t target(const cutter *c, unsigned i)
{
    /* i * size / parts without overflow: size < 2^63, parts < 2^20 */
    return c->size / c->parts * i + c->size % c->parts * i / c->parts;
}

static int place_cut(void *ctx, uint64_t end)
{
    cutter *c = ctx;
    if (!c->first_end)
        c->first_end = end;
    while (c->next < c->parts && end >= target(c, c->next))
        c->offsets[c->next++] = end;
    return c->next >= c->parts;
}

deid_status deid_split_offsets(int fd, const char *name, unsigned parts, uint64_t *offsets,
                               deid_error *err)
{
    err_clear(err);
    name = name ? name : "-";
    if (parts < 1 || parts > DEID_MAX_SPLIT_PARTS)
        return err_set(err, DEID_E_USAGE, "the number of parts must be 1 to %u",
                       DEID_MAX_SPLIT_PARTS);
    cutter c = {.parts = parts, .offsets = offsets, .next = 1};
    deid_status st = plain_file(fd, name, &c.size, err);
    if (st)
        return st;
    offsets[0] = 0;
    if ((st = walk_records(fd, name, place_cut, &c, err)))
        return st;
    /* The last record may lack its line feed; cuts past the last record
     * end give empty parts at the end of the file. */
    while (c.next < parts)
        offsets[c.next++] = c.size;
    offsets[parts] = c.size;
    return DEID_OK;
}

static int first_end(void *ctx, uint64_t end)
{
    *(uint64_t *)ctx = end;
    return 1;
}

/* 1 when byte off - 1 of fd is a line feed (off > 0). */
static int after_line_feed(int fd, uint64_t off)
{
    unsigned char c = 0;
    size_t got = 0;
    return fsys_seek(fd, off - 1) == 0 && fsys_read_full(fd, &c, 1, &got) == 0 && got == 1 &&
           c == '\n';
}

/* Feeds bytes [from, to) of fd to chunk. */
static deid_status feed(int fd, const char *name, uint64_t from, uint64_t to,
                        input_chunk_fn chunk, void *ctx, deid_error *err)
{
    char *buf = malloc(RANGE_READ_BYTES);
    if (!buf)
        return err_set(err, DEID_E_IO, "out of memory");
    deid_status st = DEID_OK;
    if (fsys_seek(fd, from) != 0)
        st = err_set(err, DEID_E_IO, "cannot seek in %s: %s", name, strerror(errno));
    while (!st && from < to) {
        size_t want = to - from < RANGE_READ_BYTES ? (size_t)(to - from) : RANGE_READ_BYTES;
        ssize_t k = fsys_read(fd, buf, want);
        if (k < 0)
            st = err_set(err, DEID_E_IO, "cannot read %s: %s", name, strerror(errno));
        else if (k == 0)
            st = err_set(err, DEID_E_IO, "%s ended at byte %llu, before the range did", name,
                         (unsigned long long)from);
        else {
            st = chunk(ctx, buf, (size_t)k, err);
            from += (uint64_t)k;
        }
    }
    free(buf);
    return st;
}

deid_status csv_range_read_fd(int fd, const char *name, uint64_t from, uint64_t to, int header,
                              input_chunk_fn chunk, void *ctx, deid_error *err)
{
    uint64_t size;
    deid_status st = plain_file(fd, name, &size, err);
    if (st)
        return st;
    if (from > to || to > size)
        return err_set(err, DEID_E_USAGE, "the range %llu:%llu is not within %s (%llu bytes)",
                       (unsigned long long)from, (unsigned long long)to, name,
                       (unsigned long long)size);
    if ((from > 0 && !after_line_feed(fd, from)) || (to > 0 && to < size &&
                                                     !after_line_feed(fd, to)))
        return err_set(err, DEID_E_USAGE, "the range %llu:%llu of %s does not start and end "
                                          "at record boundaries: take its offsets from "
                                          "`deid split`", (unsigned long long)from,
                       (unsigned long long)to, name);
    if (header && from > 0) {
        uint64_t end = 0;
        if ((st = walk_records(fd, name, first_end, &end, err)))
            return st;
        if (!end || from < end)
            return err_set(err, DEID_E_USAGE, "the range %llu:%llu of %s starts inside its "
                                              "first record (the header)",
                           (unsigned long long)from, (unsigned long long)to, name);
        if ((st = feed(fd, name, 0, end, chunk, ctx, err)))
            return st;
    }
    return feed(fd, name, from, to, chunk, ctx, err);
}
