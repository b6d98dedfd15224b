/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_record.c - what `deid verify` does with a processing record: the
 * JSON reader (json_read.c) on the input itself, then deid_verify_record
 * (the record's shape checks, given files matched by name and by digest,
 * recorded files hashed) with the input as the record and the map m.csv
 * as a given file; recorded paths resolve inside the target's folder.
 * An input with a string (escapes decoded) that starts with '/' or holds
 * ".." is skipped after the JSON reader, as rules text with '/' is: every
 * file a record names then stays inside the folder.
 * Oracle: every item has a file, a role and an outcome; an item that
 * matches has the recorded digest, one that differs or is unknown has a
 * digest of its own, an unreadable one a reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "json_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 1 if a string in the tree could name a file outside the folder. */
static int leaves_folder(const json_node *n)
{
    if (n->type == JSON_STRING)
        return n->text[0] == '/' || strstr(n->text, "..") != NULL;
    for (size_t i = 0; i < n->n; i++)
        if (leaves_folder(n->items[i]))
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[96];
    size_t at = 0;
    json_node *n = json_read((const char *)data, size, why, sizeof why, &at);
    if (!n && at > size)
        fuzz_die("json_read: error offset past the end");
    int unsafe = n && leaves_folder(n);
    json_free(n);
    if (unsafe)
        return 0;
    const char *dir = fuzz_tmpdir();
    fuzz_write_file("record.json", data, size, 0600);
    char record[600], given[600];
    snprintf(record, sizeof record, "%s/record.json", dir);
    snprintf(given, sizeof given, "%s/m.csv", dir);
    const char *files[] = {given};
    deid_verify *v = NULL;
    deid_error err;
    if (deid_verify_record(record, dir, files, 1, &v, &err) != DEID_OK) {
        fuzz_note(&err);
        fuzz_clean(0);
        return 0;
    }
    for (size_t i = 0; i < deid_verify_count(v); i++) {
        const deid_verify_item *it = deid_verify_at(v, i);
        if (!it || !it->file || !it->role || !it->matched_by || !it->expected || !it->actual || !it->reason)
            fuzz_die("verify: an item without a field");
        if (it->outcome == DEID_VERIFY_MATCH && strcmp(it->expected, it->actual))
            fuzz_die("verify: a match with different digests");
        if (it->outcome == DEID_VERIFY_MISMATCH && strlen(it->actual) != 64)
            fuzz_die("verify: a mismatch without a digest");
        if (it->outcome == DEID_VERIFY_UNREADABLE && !it->reason[0])
            fuzz_die("verify: an unreadable file without a reason");
    }
    deid_verify_free(v);
    fuzz_clean(0);
    return 0;
}
