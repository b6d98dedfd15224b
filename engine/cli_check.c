/*
 * cli_check.c - `deid check` (being written).
 */
#include <stdio.h>

#include "cli.h"
#include "deid.h"

int cli_check(int argc, char **argv)
{
    (void)argc, (void)argv;
    fprintf(stderr, "deid: check is not available in this build\n");
    return DEID_E_USAGE;
}
