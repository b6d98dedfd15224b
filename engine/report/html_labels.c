/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html_labels.c - looks labels up in the one table of html_labels.h.
 */
#include "html_labels.h"

typedef struct html_label_row {
    const char *ko, *en;
} html_label_row;

static const html_label_row labels[HTML_LABEL_COUNT] = {
#define HTML_LABEL_ROW(id, ko, en) [HL_##id] = {ko, en},
    HTML_LABELS(HTML_LABEL_ROW)
#undef HTML_LABEL_ROW
};

const char *html_label(deid_lang lang, html_label_id id)
{
    if ((unsigned)id >= HTML_LABEL_COUNT)
        return NULL;
    return lang == DEID_LANG_EN ? labels[id].en : labels[id].ko;
}

int deid_lang_from_name(const char *name)
{
    if (!name)
        return -1;
    if (name[0] == 'k' && name[1] == 'o' && !name[2])
        return DEID_LANG_KO;
    if (name[0] == 'e' && name[1] == 'n' && !name[2])
        return DEID_LANG_EN;
    return -1;
}
