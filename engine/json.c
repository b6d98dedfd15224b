/*
 * json.c - JSON string escaping for reports (see json.h).
 */
#include <string.h>

#include "json.h"

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
            rc = c < 0x20 ? dbuf_printf(out, "\\u%04x", c) : dbuf_putc(out, (char)c);
        }
    }
    return rc ? rc : dbuf_putc(out, '"');
}

int json_append_cstr(dbuf *out, const char *s)
{
    return json_append_string(out, s, strlen(s));
}
