/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.c - the `deid` command: parses arguments, calls the library through
 * deid.h only, prints messages and exits. Exit codes are the library's
 * status codes (README "Exit codes").
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "deid.h"


static const char usage_main[] =
    "usage: deid COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "De-identify delimited text (CSV) as a stream.\n"
    "\n"
    "Commands:\n"
    "  run     -r RULES [-o OUT] [INPUT ...]   transform INPUT (default stdin) to OUT (stdout)\n"
    "  check   --quasi a,b [-k K] [INPUT]      measure k-anonymity, l-diversity, t-closeness, risk\n"
    "  plan    -r RULES [INPUT]                find the least-loss levels for level=auto QIs\n"
    "  reverse -r RULES [INPUT]                restore encrypt, fpe and token columns (key holders)\n"
    "  scan    [--rules OUT] [INPUT ...]       profile the columns, suggest roles, draft rules\n"
    "  split   --parts N FILE                  print N record-aligned byte ranges of FILE\n"
    "  verify  RECORD [FILE ...]               check files against a processing record (SHA-256)\n"
    "  lint    RULES                           check a rules file and print the compiled plan\n"
    "  keygen  FILE                            write a new random 256-bit key (mode 0600)\n"
    "\n"
    "Options for every command: -h, --help; deid --version prints the version.\n"
    "Run `deid COMMAND --help` for a command's options.\n"
    "\n"
    "  deid --allow-core-dump COMMAND ...   let a crash write a core file, for debugging\n"
    "                                       (off by default: a core file holds the data)\n"
    "\n"
    "Exit codes:\n"
    "  0  success\n"
    "  1  a privacy requirement is not met\n"
    "  2  usage error\n"
    "  3  rules or key error\n"
    "  4  bad input data\n"
    "  5  I/O or system error\n";

static const char usage_lint[] =
    "usage: deid lint RULES\n"
    "\n"
    "Checks RULES (and the key, hierarchy and map files it names) and prints the compiled plan:\n"
    "every column, its transform with all parameters resolved, the technique's name in the\n"
    "pseudonymization guideline's vocabulary, and each key's fingerprint (never the key).\n"
    "\n"
    "Exit codes: 0 valid, 2 usage, 3 rules or key error, 5 I/O error.\n";

static const char usage_keygen[] =
    "usage: deid keygen FILE\n"
    "\n"
    "Writes 32 random bytes from OpenSSL's CSPRNG, hex-encoded, to FILE with mode 0600.\n"
    "Refuses to overwrite an existing file. Keep the key apart from the data it protects.\n"
    "\n"
    "Exit codes: 0 success, 2 usage, 5 I/O error.\n";

int cli_usage_error(const char *usage, const char *fmt, ...)
{
    /* the message may quote an argument (a file name from a glob): shown
     * escaped, so that it cannot drive the terminal */
    char msg[2048], shown[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    deid_escape_text(msg, shown, sizeof shown);
    cli_log_error(DEID_E_USAGE, shown);
    cli_usage_hint(usage);
    return DEID_E_USAGE;
}

void cli_usage_hint(const char *usage)
{
    /* "usage: deid run -r RULES ..." names the subcommand; the top-level
     * usage ("usage: deid [--version] ...") names none */
    static const char prefix[] = "usage: deid ";
    const char *cmd = "";
    int len = 0;
    if (usage && !strncmp(usage, prefix, sizeof prefix - 1)) {
        cmd = usage + sizeof prefix - 1;
        while ((cmd[len] >= 'a' && cmd[len] <= 'z') || (len > 0 && cmd[len] == '-'))
            len++;
    }
    fprintf(stderr, "Try `deid %.*s%s--help` for the options.\n", len, cmd, len ? " " : "");
}

int cli_report_error(const deid_error *err)
{
    char msg[2048];
    deid_error_format(err, msg, sizeof msg);
    int status = err->status ? (int)err->status : DEID_E_IO;
    cli_log_error(status, msg);
    return status;
}

int cli_print_help(const char *text)
{
    fputs(text, stdout);
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : DEID_E_IO;
}

/* Writes text to path through a temporary file renamed into place, so a
 * failed write leaves no partial report. */
deid_status cli_open_input(const char *name, int *fd, const char **label, deid_error *err)
{
    *fd = STDIN_FILENO;
    *label = "<stdin>";
    if (strcmp(name, "-") == 0)
        return DEID_OK;
    *label = name;
    *fd = open(name, O_RDONLY | O_CLOEXEC);
    if (*fd >= 0)
        return DEID_OK;
    memset(err, 0, sizeof *err);
    err->status = DEID_E_IO;
    snprintf(err->message, sizeof err->message, "cannot open %s: %s", name, strerror(errno));
    return DEID_E_IO;
}

deid_status cli_write_text_file(const char *path, const char *text, deid_error *err)
{
    deid_outfile *of;
    deid_status st = deid_outfile_open(path, &of, err);
    if (st)
        return st;
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t k = write(deid_outfile_fd(of), text + done, len - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int e = errno;
            deid_outfile_abort(of);
            memset(err, 0, sizeof *err);
            err->status = DEID_E_IO;
            snprintf(err->message, sizeof err->message, "cannot write %s: %s", path, strerror(e));
            return DEID_E_IO;
        }
        done += (size_t)k;
    }
    return deid_outfile_commit(of, err);
}

const char *cli_unknown_option(int argc, char **argv, char buf[3])
{
    const char *word = argv[optind - 1];
    int short_here = word[0] == '-' && word[1] && word[1] != '-';
    /* Within a cluster getopt stays on the word: optind points at it. */
    int short_next = optind < argc && argv[optind][0] == '-' && argv[optind][1] &&
                     argv[optind][1] != '-' && optopt > 0 && strchr(argv[optind] + 1, optopt);
    if (optopt > 0 && optopt < 128 && (short_here || short_next)) {
        buf[0] = '-';
        buf[1] = (char)optopt;
        buf[2] = '\0';
        return buf;
    }
    return word;
}

static int simple_args(int argc, char **argv, const char *usage, const char **arg)
{
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'h')
            return cli_print_help(usage) == 0 ? -1 : DEID_E_IO;
        char opt[3];
        return cli_usage_error(usage, "unknown option %s", cli_unknown_option(argc, argv, opt));
    }
    if (argc - optind != 1)
        return cli_usage_error(usage, "%s", "expected exactly one argument");
    *arg = argv[optind];
    return 0;
}

static int cmd_lint(int argc, char **argv)
{
    const char *path;
    int rc = simple_args(argc, argv, usage_lint, &path);
    if (rc)
        return rc < 0 ? 0 : rc;
    deid_error err;
    deid_rules *rules;
    if (deid_rules_load(path, &rules, &err))
        return cli_report_error(&err);
    char *text;
    deid_status st = deid_rules_describe(rules, &text, &err);
    deid_rules_free(rules);
    if (st)
        return cli_report_error(&err);
    fputs(text, stdout);
    free(text);
    return 0;
}

static int cmd_keygen(int argc, char **argv)
{
    const char *path;
    int rc = simple_args(argc, argv, usage_keygen, &path);
    if (rc)
        return rc < 0 ? 0 : rc;
    deid_error err;
    if (deid_keygen(path, &err))
        return cli_report_error(&err);
    return 0;
}

static int cli_main(int argc, char **argv);

typedef int (*command_fn)(int argc, char **argv);

/* The command that reads a stream and takes --log-format, or NULL. */
static command_fn streaming_command(const char *name)
{
    static const struct {
        const char *name;
        command_fn fn;
    } commands[] = {{"run", cli_run}, {"check", cli_check}, {"plan", cli_plan},
                    {"reverse", cli_reverse}, {"scan", cli_scan}};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(name, commands[i].name))
            return commands[i].fn;
    return NULL;
}

int main(int argc, char **argv)
{
    int rc;
    /* Temporary outputs go when a signal ends the run. A filter whose
     * reader has gone (deid run ... | head) ends quietly by SIGPIPE, also
     * when started with SIGPIPE ignored (Python, some CI runners), instead
     * of printing "Broken pipe" and exiting 5. */
    cli_signals_install();
    int allow_core_dump = argc >= 2 && !strcmp(argv[1], "--allow-core-dump");
    if (allow_core_dump) {
        argv++;
        argc--;
    }
    int e = cli_process_protect(allow_core_dump);
    if (e) {
        fprintf(stderr, "%s: cannot turn core dumps off: %s\n", "deid", strerror(e));
        return DEID_E_IO;
    }
    rc = cli_main(argc, argv);
    cli_temps_release();
    cli_process_done();
    return rc;
}

/* Runs the command in argv[1] (argv[0] is the program or the global
 * option); returns the exit code. */
static int cli_main(int argc, char **argv)
{
    int rc;
    command_fn command;
    if (argc < 2)
        return cli_usage_error(usage_main, "%s", "a command is needed");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        if (argc > 2 && !strcmp(argv[2], "run"))
            rc = cli_print_help(cli_usage_run);
        else if (argc > 2 && !strcmp(argv[2], "reverse"))
            rc = cli_print_help(cli_usage_reverse);
        else if (argc > 2 && !strcmp(argv[2], "plan"))
            rc = cli_print_help(cli_usage_plan);
        else if (argc > 2 && !strcmp(argv[2], "split"))
            rc = cli_print_help(cli_usage_split);
        else if (argc > 2 && !strcmp(argv[2], "scan"))
            rc = cli_print_help(cli_usage_scan);
        else if (argc > 2 && !strcmp(argv[2], "verify"))
            rc = cli_print_help(cli_usage_verify);
        else if (argc > 2 && !strcmp(argv[2], "lint"))
            rc = cli_print_help(usage_lint);
        else if (argc > 2 && !strcmp(argv[2], "check")) {
            char *args[] = {argv[2], "--help", NULL};
            rc = cli_check(2, args);
        } else if (argc > 2 && !strcmp(argv[2], "keygen"))
            rc = cli_print_help(usage_keygen);
        else
            rc = cli_print_help(usage_main);
    } else if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("deid %s\n", DEID_VERSION);
        rc = 0;
    } else if ((command = streaming_command(cmd))) {
        /* the commands that read a stream: their messages, progress and
         * summary go through the log (text or JSON lines) */
        cli_log_begin(cmd, argc - 1, argv + 1);
        rc = command(argc - 1, argv + 1);
        fflush(stdout);
        cli_log_end(rc);
    } else if (!strcmp(cmd, "split")) {
        rc = cli_split(argc - 1, argv + 1);
    } else if (!strcmp(cmd, "verify")) {
        rc = cli_verify(argc - 1, argv + 1);
    } else if (!strcmp(cmd, "lint")) {
        rc = cmd_lint(argc - 1, argv + 1);
    } else if (!strcmp(cmd, "keygen")) {
        rc = cmd_keygen(argc - 1, argv + 1);
    } else {
        rc = cli_usage_error(usage_main, "unknown command \"%s\"", cmd);
    }
    /* Output that cannot be flushed (disk full, closed pipe) is a failure. */
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        if (rc == 0) {
            fprintf(stderr, "%s: cannot write to standard output: %s\n", "deid", strerror(errno));
            rc = DEID_E_IO;
        }
    }
    return rc;
}
