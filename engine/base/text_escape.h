/* SPDX-License-Identifier: Apache-2.0 */
/*
 * text_escape.h - names made safe to print. A header cell, a file name or
 * a rules column name can hold bytes that a terminal or a log viewer acts
 * on (ESC starts a control sequence, BEL rings, CR and LF forge lines,
 * bidirectional overrides reorder what is shown). Every name or message
 * deid prints as text goes through text_escape, so such bytes are shown,
 * never obeyed. JSON output escapes on its own (json.h).
 */
#ifndef DEID_TEXT_ESCAPE_H
#define DEID_TEXT_ESCAPE_H

#include <stddef.h>

#include "dbuf.h"

/* Escaped, as:
 *  - C0 controls and DEL: \t \n \r, the others \xHH (so \x1b for ESC);
 *  - bytes that are not valid UTF-8: \xHH;
 *  - C1 controls (U+0080..U+009F), the bidirectional marks, embeddings,
 *    overrides and isolates (U+061C, U+200E, U+200F, U+202A..U+202E,
 *    U+2066..U+2069) and the line and paragraph separators (U+2028,
 *    U+2029): \uHHHH.
 * Everything else (Hangul, a backslash, ...) is copied as it is.
 * keep_tab 1 copies tabs unchanged (a rules line under a caret). */

/* Returns 1 when s[0..len) holds a byte or character that text_escape
 * would change, 0 when it prints as it is. */
int text_needs_escape(const char *s, size_t len, int keep_tab);

/* Writes s[0..len) escaped into out (size bytes, NUL-terminated, cut like
 * snprintf when it does not fit, never inside an escape or a UTF-8
 * sequence). Returns the length the whole escaped text needs. */
size_t text_escape(const char *s, size_t len, int keep_tab, char *out, size_t size);

/* Appends s[0..len) escaped to out. Returns 0 or a DBUF_* error. */
int text_escape_append(dbuf *out, const char *s, size_t len);

#endif
