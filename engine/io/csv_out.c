/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv_out.c - writing RFC 4180 records with minimal quoting (see csv_out.h),
 * so that csv_in reads back exactly the bytes that were written.
 */
#include <string.h>

#include "bytescan.h"
#include "csv_out.h"

/* dbuf_append rather than dbuf_putc: the latter's fast path does not check
 * the buffer's maximum. */
static int put_byte(dbuf *out, char c)
{
    return dbuf_append(out, &c, 1);
}

static int needs_quotes(int delimiter, const char *data, size_t len)
{
    return bytescan_any4(data, len, (unsigned char)delimiter, '"', '\r', '\n');
}

/* Appends data inside quotes, doubling every quote. */
static int append_quoted(dbuf *out, const char *data, size_t len)
{
    int rc = put_byte(out, '"');
    while (rc == DBUF_OK && len > 0) {
        const char *q = memchr(data, '"', len);
        /* Up to and including the quote, then the quote once more. */
        size_t n = q ? (size_t)(q - data) + 1 : len;
        rc = dbuf_append(out, data, n);
        if (rc == DBUF_OK && q)
            rc = put_byte(out, '"');
        data += n;
        len -= n;
    }
    return rc == DBUF_OK ? put_byte(out, '"') : rc;
}

int csv_out_field(dbuf *out, int delimiter, const char *data, size_t len)
{
    size_t mark = out->len;
    int rc = needs_quotes(delimiter, data, len) ? append_quoted(out, data, len)
                                                : dbuf_append(out, data, len);
    if (rc != DBUF_OK)
        out->len = mark; /* no half field */
    return rc;
}

/* The common case, a record none of whose fields needs quotes, written
 * straight into reserved room. Returns 1 if it did, 0 if the record needs
 * the careful path (quotes, a lone empty field, or no room). The fields
 * are checked after the copy, in one scan of the whole record: no quote,
 * CR or LF, and exactly n - 1 delimiters (so none inside a field). Short
 * fields make a scan per field cost more than the copy. */
static int record_plain(dbuf *out, int delimiter, const xf_value *fields, size_t n)
{
    size_t total = n + 1;
    for (size_t i = 0; i < n; i++) {
        if (fields[i].len > out->max)
            return 0;
        total += fields[i].len;
    }
    if ((n == 1 && fields[0].len == 0) || total > out->max || dbuf_reserve(out, total) != DBUF_OK)
        return 0;
    char *start = out->data + out->len, *p = start;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            *p++ = (char)delimiter;
        if (fields[i].len) {
            memcpy(p, fields[i].data, fields[i].len);
            p += fields[i].len;
        }
    }
    size_t len = (size_t)(p - start);
    if (bytescan_any4(start, len, '"', '\r', '\n', '"') ||
        bytescan_count(start, len, (unsigned char)delimiter) != n - 1)
        return 0; /* out->len unchanged: the bytes written are dropped */
    *p++ = '\n';
    out->len = (size_t)(p - out->data);
    return 1;
}

int csv_out_record(dbuf *out, int delimiter, const xf_value *fields, size_t n)
{
    if (record_plain(out, delimiter, fields, n))
        return DBUF_OK;
    size_t mark = out->len;
    int rc = DBUF_OK;
    if (n == 1 && fields[0].len == 0) {
        /* An empty line would be a blank line, which readers skip. */
        rc = dbuf_append(out, "\"\"", 2);
    } else {
        for (size_t i = 0; i < n && rc == DBUF_OK; i++) {
            if (i > 0)
                rc = put_byte(out, (char)delimiter);
            if (rc == DBUF_OK)
                rc = csv_out_field(out, delimiter, fields[i].data, fields[i].len);
        }
    }
    if (rc == DBUF_OK)
        rc = put_byte(out, '\n');
    if (rc != DBUF_OK)
        out->len = mark; /* no half record */
    return rc;
}
