/* SPDX-License-Identifier: Apache-2.0 */
/*
 * err.c - filling and formatting deid_error (see err.h and deid.h).
 *
 * A rules line is copied into deid_error.source_line only through
 * err_at_rules, which redacts secrets on the way (issue 12, finding 4):
 * `deid lint` and every rules error echo that line, and logs and terminals
 * keep it. Redacted, as "…":
 *  - the value of a parameter whose name contains secret, pass, pwd, hex,
 *    base64, token (but is not `suppress`'s plain token=), salt, pepper,
 *    private or credential (case-insensitive), wherever it appears on the
 *    line, comments included;
 *  - the value of a parameter whose name contains "key" when the value
 *    looks like key material (16 or more hex or base64 characters with a
 *    digit), so that `key=main` (a key's name) stays readable but a key
 *    pasted where its name belongs does not;
 *  - on a `key` statement, every bare word after the key's name (the key
 *    itself, typed where file=PATH belongs).
 * The caret is placed from the original byte column, so on a redacted line
 * it may stand right of its place when the error lies after the value.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "text_escape.h"

void err_clear(deid_error *e)
{
    if (e)
        memset(e, 0, sizeof *e);
}

deid_status err_vset(deid_error *e, deid_status status, const char *fmt, va_list ap)
{
    if (!e)
        return status;
    err_clear(e);
    e->status = status;
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    return status;
}

deid_status err_set(deid_error *e, deid_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vset(e, status, fmt, ap);
    va_end(ap);
    return status;
}

static void copy_text(char *dst, size_t size, const char *src)
{
    if (!src) {
        dst[0] = '\0';
        return;
    }
    snprintf(dst, size, "%s", src);
}

static size_t add(char *buf, size_t size, size_t at, const char *fmt, ...) DEID_PRINTF(4, 5);

/* 1 if the n bytes at s contain word, ignoring ASCII case. */
static int name_has(const char *s, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++) {
        size_t j = 0;
        while (j < w && tolower((unsigned char)s[i + j]) == word[j])
            j++;
        if (j == w)
            return 1;
    }
    return 0;
}

/* 1 if the parameter name (n bytes) only ever holds secrets. */
static int secret_name(const char *s, size_t n)
{
    /* `suppress ... token=*` names the marker for suppressed cells */
    if (n == 5 && !memcmp(s, "token", 5))
        return 0;
    static const char *const words[] = {"secret", "pass", "pwd",     "hex",     "base64",
                                        "token",  "salt", "pepper", "private", "credential"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (name_has(s, n, words[i]))
            return 1;
    return 0;
}

/* 1 if the value (n bytes) looks like key material rather than a name. */
static int looks_like_key(const char *s, size_t n)
{
    int digit = 0;
    size_t chars = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\'')
            continue;
        if (!isalnum(c) && c != '+' && c != '/' && c != '=' && c != '-' && c != '_')
            return 0;
        digit |= isdigit(c) != 0;
        chars++;
    }
    return digit && chars >= 16;
}

/* End of the word starting at i: the next unquoted space or tab. A quote
 * opening the word or its value runs to the closing quote, as in the
 * rules lexer, so a quoted secret with spaces is redacted whole. */
static size_t word_end(const char *s, size_t n, size_t i)
{
    int at_value_start = 1;
    while (i < n && s[i] != ' ' && s[i] != '\t') {
        char c = s[i];
        if ((c == '"' || c == '\'') && at_value_start) {
            i++;
            while (i < n && s[i] != c) {
                if (c == '"' && s[i] == '\\' && i + 1 < n)
                    i++;
                i++;
            }
            if (i < n)
                i++;
            continue;
        }
        at_value_start = c == '=';
        i++;
    }
    return i;
}

/* Copies src into dst (size bytes) with secrets replaced by "…" (see the
 * file comment); cut at the first end of line. */
static void copy_redacted(char *dst, size_t size, const char *src)
{
    static const char mark[] = "\xE2\x80\xA6"; /* … */
    size_t n = strcspn(src, "\r\n"), at = 0, word_no = 0;
    int key_statement = 0, comment = 0;
    dst[0] = '\0';
    for (size_t i = 0; i < n;) {
        size_t end = (src[i] == ' ' || src[i] == '\t') ? i + 1 : word_end(src, n, i);
        size_t keep = end - i; /* bytes of src copied as they are */
        int redact = 0;
        if (src[i] != ' ' && src[i] != '\t') {
            const char *eq = memchr(src + i, '=', end - i);
            size_t name_len = eq ? (size_t)(eq - (src + i)) : 0;
            word_no++;
            /* the lexer's rule: '#' starts a comment unless a digit follows */
            comment |= src[i] == '#' && !(i + 1 < n && isdigit((unsigned char)src[i + 1]));
            if (word_no == 1)
                key_statement = end - i == 3 && !memcmp(src + i, "key", 3);
            if (eq && name_len > 0 && eq + 1 < src + end &&
                (secret_name(src + i, name_len) ||
                 (name_has(src + i, name_len, "key") &&
                  looks_like_key(eq + 1, (size_t)(src + end - eq - 1))))) {
                keep = name_len + 1;
                redact = 1;
            } else if (!eq && key_statement && word_no > 2 && !comment) {
                keep = 0;
                redact = 1;
            }
        }
        at = add(dst, size, at, "%.*s%s", (int)keep, src + i, redact ? mark : "");
        i = end;
    }
}

void err_at_rules(deid_error *e, const char *file, unsigned long line, unsigned long col,
                  const char *source_line)
{
    if (!e)
        return;
    copy_text(e->file, sizeof e->file, file);
    e->line = line;
    e->column = col;
    if (source_line)
        copy_redacted(e->source_line, sizeof e->source_line, source_line);
    else
        e->source_line[0] = '\0';
}

void err_at_record(deid_error *e, const char *input, unsigned long long record,
                   unsigned long line, const char *field)
{
    if (!e)
        return;
    if (input)
        copy_text(e->file, sizeof e->file, input);
    if (record)
        e->record = record;
    if (line)
        e->line = line;
    if (field)
        copy_text(e->field, sizeof e->field, field);
}

void err_at_file(deid_error *e, const char *file)
{
    if (e && file)
        copy_text(e->file, sizeof e->file, file);
}

const char *deid_status_name(deid_status status)
{
    switch (status) {
    case DEID_OK: return "success";
    case DEID_E_PRIVACY: return "privacy requirement not met";
    case DEID_E_USAGE: return "usage error";
    case DEID_E_RULES: return "rules error";
    case DEID_E_DATA: return "bad input";
    case DEID_E_IO: return "I/O error";
    }
    return "error";
}

/* Appends to buf like snprintf but keeps counting past the end. */
static size_t add(char *buf, size_t size, size_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(at < size ? buf + at : NULL, at < size ? size - at : 0, fmt, ap);
    va_end(ap);
    return n > 0 ? at + (size_t)n : at;
}

/* Appends s escaped (text_escape.h): file names, column names and
 * messages that quote them may hold control bytes from an input or a
 * command line, which must reach a terminal or a log shown, not obeyed. */
static size_t add_escaped(char *buf, size_t size, size_t at, const char *s, int keep_tab)
{
    return at + text_escape(s, strlen(s), keep_tab, at < size ? buf + at : NULL,
                            at < size ? size - at : 0);
}

size_t deid_error_format(const deid_error *e, char *buf, size_t size)
{
    size_t at = 0;
    if (size)
        buf[0] = '\0';
    if (!e)
        return 0;
    int has_src = e->source_line[0] != '\0';
    if (e->status == DEID_E_RULES && e->file[0] && e->line) {
        /* rules style: FILE:LINE[:COL]: message */
        at = add_escaped(buf, size, at, e->file, 0);
        if (e->column)
            at = add(buf, size, at, ":%lu:%lu: ", e->line, e->column);
        else
            at = add(buf, size, at, ":%lu: ", e->line);
    } else {
        if (e->file[0]) {
            at = add_escaped(buf, size, at, e->file, 0);
            at = add(buf, size, at, ": ");
        }
        if (e->record && e->line)
            at = add(buf, size, at, "record %llu (line %lu)", e->record, e->line);
        else if (e->record)
            at = add(buf, size, at, "record %llu", e->record);
        else if (e->line)
            at = add(buf, size, at, "line %lu", e->line);
        if (e->field[0]) {
            at = add(buf, size, at, "%scolumn \"", (e->record || e->line) ? ", " : "");
            at = add_escaped(buf, size, at, e->field, 0);
            at = add(buf, size, at, "\"");
        }
        if (e->record || e->line || e->field[0])
            at = add(buf, size, at, ": ");
    }
    at = add_escaped(buf, size, at, e->message, 0);
    if (has_src && e->line) {
        at = add(buf, size, at, "\n  ");
        at = add_escaped(buf, size, at, e->source_line, 1);
        at = add(buf, size, at, "\n  ");
        /* The caret goes under byte column col; tabs are kept so it lines up. */
        for (unsigned long i = 1; i < e->column && i <= strlen(e->source_line); i++)
            at = add(buf, size, at, "%c", e->source_line[i - 1] == '\t' ? '\t' : ' ');
        at = add(buf, size, at, "^");
    }
    return at;
}
