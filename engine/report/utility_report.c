/* SPDX-License-Identifier: Apache-2.0 */
/*
 * utility_report.c - utility figures as text and JSON (utility_report.h).
 * Definitions of every figure: README "Utility".
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "text_escape.h"
#include "utility_report.h"

/* "%.6f", or "unknown" for NAN, right-aligned in the figure column. */
static int text_figure(dbuf *out, const char *label, double v)
{
    if (isnan(v))
        return dbuf_printf(out, "  %-34s %14s\n", label, "unknown");
    return dbuf_printf(out, "  %-34s %14.6f\n", label, v);
}

int utility_report_text(dbuf *out, const utility_figures *f, const char *const *quasi,
                        const char *against)
{
    int rc = dbuf_printf(out, "\nutility against %s\n", against);
    rc = rc ? rc : dbuf_printf(out, "  %-34s %14llu\n", "records", (unsigned long long)f->records);
    rc = rc ? rc : dbuf_printf(out, "  %-34s %14llu\n", "suppressed or removed",
                               (unsigned long long)f->suppressed);
    rc = rc ? rc : dbuf_printf(out, "  %-34s %14.0f\n", "discernibility (DM*)", f->discernibility);
    rc = rc ? rc : text_figure(out, "average class size (ARX AECS)", f->avg_class_size);
    if (!rc && f->k) {
        char label[64];
        snprintf(label, sizeof label, "C_AVG (AECS / k=%llu)", (unsigned long long)f->k);
        rc = text_figure(out, label, f->c_avg);
    }
    rc = rc ? rc : text_figure(out, "non-uniform entropy (bits)", f->nu_entropy);
    rc = rc ? rc : text_figure(out, "precision (Sweeney's Prec)", f->precision);
    if (!rc && !isnan(f->loss))
        rc = text_figure(out, "loss (ARX)", f->loss);
    size_t w = strlen("quasi-identifier");
    for (size_t q = 0; q < f->n_qi; q++) {
        size_t n = strlen(quasi[q]);
        w = n > w ? n : w;
    }
    rc = rc ? rc : dbuf_printf(out, "  %-*s %9s %9s %8s %8s %12s %9s\n", (int)w, "quasi-identifier",
                               "distinct", "kept", "H before", "H after", "NU entropy", "prec loss");
    for (size_t q = 0; q < f->n_qi && !rc; q++) {
        const utility_qi *u = &f->qi[q];
        rc = dbuf_append_str(out, "  ");
        rc = rc ? rc : text_escape_append(out, quasi[q], strlen(quasi[q]));
        rc = rc ? rc : dbuf_printf(out, "%*s %9llu %9llu %8.4f %8.4f %12.2f", (int)(w - strlen(quasi[q])),
                                   "", (unsigned long long)u->distinct_before,
                                   (unsigned long long)u->distinct_after, u->entropy_before,
                                   u->entropy_after, u->nu_entropy);
        rc = rc ? rc : isnan(u->precision_loss) ? dbuf_printf(out, " %9s\n", "unknown")
                                                : dbuf_printf(out, " %9.4f\n", u->precision_loss);
    }
    return rc ? rc : dbuf_append_str(out, "(distinct: source values; kept: delivered values; H: Shannon entropy, bits)\n");
}

static int member_double(dbuf *out, const char *pad, const char *name, double v)
{
    int rc = dbuf_printf(out, ",\n%s\"%s\": ", pad, name);
    return rc ? rc : json_append_double(out, v);
}

int utility_report_json(dbuf *out, const utility_figures *f, const char *const *quasi,
                        unsigned indent)
{
    char pad[64];
    unsigned n = indent + 2 < sizeof pad ? indent + 2 : sizeof pad - 1;
    memset(pad, ' ', n);
    pad[n] = 0;
    int rc = dbuf_printf(out, "{\n%s\"records\": %llu,\n%s\"suppressed_records\": %llu,\n"
                              "%s\"classes\": %llu",
                         pad, (unsigned long long)f->records, pad,
                         (unsigned long long)f->suppressed, pad, (unsigned long long)f->classes);
    rc = rc ? rc : member_double(out, pad, "discernibility", f->discernibility);
    rc = rc ? rc : member_double(out, pad, "avg_class_size", f->avg_class_size);
    rc = rc ? rc : dbuf_printf(out, ",\n%s\"c_avg_k\": ", pad);
    rc = rc ? rc : f->k ? dbuf_printf(out, "%llu", (unsigned long long)f->k)
                        : dbuf_append_str(out, "null");
    rc = rc ? rc : member_double(out, pad, "c_avg", f->c_avg);
    rc = rc ? rc : member_double(out, pad, "nu_entropy", f->nu_entropy);
    rc = rc ? rc : member_double(out, pad, "precision", f->precision);
    rc = rc ? rc : member_double(out, pad, "loss", f->loss);
    rc = rc ? rc : dbuf_printf(out, ",\n%s\"quasi\": [", pad);
    for (size_t q = 0; q < f->n_qi && !rc; q++) {
        const utility_qi *u = &f->qi[q];
        rc = dbuf_printf(out, "%s\n%s  {\"name\": ", q ? "," : "", pad);
        rc = rc ? rc : json_append_cstr(out, quasi[q]);
        rc = rc ? rc : dbuf_printf(out, ", \"distinct_before\": %llu, \"distinct_after\": %llu, "
                                        "\"entropy_before\": ",
                                   (unsigned long long)u->distinct_before,
                                   (unsigned long long)u->distinct_after);
        rc = rc ? rc : json_append_double(out, u->entropy_before);
        rc = rc ? rc : dbuf_append_str(out, ", \"entropy_after\": ");
        rc = rc ? rc : json_append_double(out, u->entropy_after);
        rc = rc ? rc : dbuf_append_str(out, ", \"nu_entropy\": ");
        rc = rc ? rc : json_append_double(out, u->nu_entropy);
        rc = rc ? rc : dbuf_append_str(out, ", \"precision_loss\": ");
        rc = rc ? rc : json_append_double(out, u->precision_loss);
        rc = rc ? rc : dbuf_putc(out, '}');
    }
    rc = rc ? rc : dbuf_printf(out, "\n%s]\n%.*s}", pad, (int)indent, pad);
    return rc;
}
