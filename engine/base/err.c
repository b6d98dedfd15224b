/*
 * err.c - filling and formatting deid_error (see err.h and deid.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

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

void err_at_rules(deid_error *e, const char *file, unsigned long line, unsigned long col,
                  const char *source_line)
{
    if (!e)
        return;
    copy_text(e->file, sizeof e->file, file);
    e->line = line;
    e->column = col;
    copy_text(e->source_line, sizeof e->source_line, source_line);
    /* Keep the caret line tidy: cut a copied line at its end of line. */
    e->source_line[strcspn(e->source_line, "\r\n")] = '\0';
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
static size_t add(char *buf, size_t size, size_t at, const char *fmt, ...) DEID_PRINTF(4, 5);
static size_t add(char *buf, size_t size, size_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(at < size ? buf + at : NULL, at < size ? size - at : 0, fmt, ap);
    va_end(ap);
    return n > 0 ? at + (size_t)n : at;
}

size_t deid_error_format(const deid_error *e, char *buf, size_t size)
{
    size_t at = 0;
    if (size)
        buf[0] = '\0';
    if (!e)
        return 0;
    int has_src = e->source_line[0] != '\0';
    if (e->status == DEID_E_RULES && e->file[0] && e->line && e->column) {
        /* rules style: FILE:LINE:COL: message */
        at = add(buf, size, at, "%s:%lu:%lu: %s", e->file, e->line, e->column, e->message);
    } else if (e->status == DEID_E_RULES && e->file[0] && e->line) {
        at = add(buf, size, at, "%s:%lu: %s", e->file, e->line, e->message);
    } else {
        if (e->file[0])
            at = add(buf, size, at, "%s: ", e->file);
        if (e->record && e->line)
            at = add(buf, size, at, "record %llu (line %lu)", e->record, e->line);
        else if (e->record)
            at = add(buf, size, at, "record %llu", e->record);
        else if (e->line)
            at = add(buf, size, at, "line %lu", e->line);
        if (e->field[0])
            at = add(buf, size, at, "%scolumn \"%s\"", (e->record || e->line) ? ", " : "",
                     e->field);
        if (e->record || e->line || e->field[0])
            at = add(buf, size, at, ": ");
        at = add(buf, size, at, "%s", e->message);
    }
    if (has_src && e->line) {
        at = add(buf, size, at, "\n  %s\n  ", e->source_line);
        /* The caret goes under byte column col; tabs are kept so it lines up. */
        for (unsigned long i = 1; i < e->column && i <= strlen(e->source_line); i++)
            at = add(buf, size, at, "%c", e->source_line[i - 1] == '\t' ? '\t' : ' ');
        at = add(buf, size, at, "^");
    }
    return at;
}
