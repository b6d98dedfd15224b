/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.c - JSON string escaping for reports and the members every JSON
 * document starts with (see json.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "utf8.h"

int json_append_string(dbuf *out, const char *s, size_t len)
{
    int rc = dbuf_putc(out, '"');
    for (size_t i = 0; i < len && !rc; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': rc = dbuf_append(out, "\\\"", 2); break;
        case '\\': rc = dbuf_append(out, "\\\\", 2); break;
        case '\n': rc = dbuf_append(out, "\\n", 2); break;
        case '\r': rc = dbuf_append(out, "\\r", 2); break;
        case '\t': rc = dbuf_append(out, "\\t", 2); break;
        default:
            if (c < 0x20) {
                rc = dbuf_printf(out, "\\u%04x", c);
            } else if (c < 0x80) {
                rc = dbuf_putc(out, (char)c);
            } else {
                /* JSON text is UTF-8 (RFC 8259 8.1): a byte that does not
                 * start a valid sequence becomes U+FFFD. */
                uint32_t cp;
                size_t k = utf8_decode(s + i, len - i, &cp);
                if (k == 0) {
                    rc = dbuf_append(out, "\\ufffd", 6);
                } else {
                    rc = dbuf_append(out, s + i, k);
                    i += k - 1;
                }
            }
        }
    }
    return rc ? rc : dbuf_putc(out, '"');
}

int json_append_cstr(dbuf *out, const char *s)
{
    return json_append_string(out, s, strlen(s));
}

int json_append_double(dbuf *out, double v)
{
    if (!isfinite(v))
        return dbuf_append_str(out, "null");
    char s[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(s, sizeof s, "%.*g", prec, v);
        if (strtod(s, NULL) == v)
            break;
    }
    return dbuf_append_str(out, s);
}

void json_utc_now(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        strcpy(out, "1970-01-01T00:00:00Z");
}

int json_append_header(dbuf *out, const char *schema, unsigned indent)
{
    char when[32];
    json_utc_now(when);
    return dbuf_printf(out, "\n%*s\"schema_version\": \"%s\",\n%*s\"generated_at\": \"%s\",", (int)indent, "",
                       schema, (int)indent, "", when);
}
