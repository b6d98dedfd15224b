/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse_floor.c - the floor for `make bench`: libcsv alone, with the
 * options deid uses (strict, NUL-appended fields, every newline reported)
 * and callbacks that do nothing, over a file read in 1 MiB blocks. Nothing
 * that parses CSV correctly with libcsv can go faster on one core.
 *
 * usage: parse_floor FILE   (prints records and fields)
 */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static unsigned long long fields, records;

static void on_field(void *s, size_t len, void *data)
{
    (void)s;
    (void)len;
    (void)data;
    fields++;
}

static void on_row(int c, void *data)
{
    (void)c;
    (void)data;
    records++;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: parse_floor FILE\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    struct csv_parser p;
    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL);
    static char buf[1 << 20];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        if (csv_parse(&p, buf, (size_t)n, on_field, on_row, NULL) != (size_t)n) {
            fprintf(stderr, "parse error: %s\n", csv_strerror(csv_error(&p)));
            return 1;
        }
    csv_fini(&p, on_field, on_row, NULL);
    csv_free(&p);
    close(fd);
    printf("%llu records, %llu fields\n", records, fields);
    return 0;
}
