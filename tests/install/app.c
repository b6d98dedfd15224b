/* SPDX-License-Identifier: Apache-2.0 */
/* tests/install/app.c - a program built against the installed library
 * with `pkg-config --cflags --libs deid` (tests/install/run.sh): applies
 * the rules file argv[1] to standard input and writes the result to
 * standard output, through the public header only. */
#include <deid.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: app RULES < IN > OUT\n");
        return 2;
    }
    deid_rules *rules = NULL;
    deid_job *job = NULL;
    deid_error err;
    deid_status st = deid_rules_load(argv[1], &rules, &err);
    if (st == DEID_OK)
        st = deid_job_new(rules, NULL, &job, &err);
    if (st == DEID_OK)
        st = deid_job_run_fd(job, STDIN_FILENO, "<stdin>", STDOUT_FILENO, &err);
    if (st == DEID_OK)
        st = deid_job_finish_fd(job, STDOUT_FILENO, &err);
    if (st != DEID_OK) {
        char msg[512];
        deid_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "app: %s\n", msg);
    }
    deid_job_free(job);
    deid_rules_free(rules);
    return (int)st;
}
