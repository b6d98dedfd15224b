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

#include "deid.h"

static const char *progname = "deid";

static const char usage_main[] =
    "usage: deid COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "De-identify delimited text (CSV) as a stream.\n"
    "\n"
    "Commands:\n"
    "  run     -r RULES [-o OUT] [INPUT ...]   transform INPUT (default stdin) to OUT (stdout)\n"
    "  lint    RULES                           check a rules file and print the compiled plan\n"
    "  keygen  FILE                            write a new random 256-bit key (mode 0600)\n"
    "\n"
    "Options for every command: -h, --help; deid --version prints the version.\n"
    "Run `deid COMMAND --help` for a command's options.\n"
    "\n"
    "Exit codes:\n"
    "  0  success\n"
    "  1  a privacy requirement is not met\n"
    "  2  usage error\n"
    "  3  rules or key error\n"
    "  4  bad input data\n"
    "  5  I/O or system error\n";

static const char usage_run[] =
    "usage: deid run -r RULES [OPTIONS] [INPUT ...]\n"
    "\n"
    "Reads INPUT files (default, or `-`: stdin; gzip is detected) as one stream that shares\n"
    "one header, applies RULES to every column and writes the result to OUT (default stdout).\n"
    "With -o the output is written to a temporary file and renamed into place only on\n"
    "success, so a failed run leaves no partial file.\n"
    "\n"
    "Options:\n"
    "  -r, --rules FILE          rules file (required)\n"
    "  -o, --output FILE         output file; gzip when it ends in .gz\n"
    "  -q, --quiet               no summary on stderr\n"
    "      --report FILE         write the run's summary as JSON to FILE\n"
    "  -d, --delimiter C         input delimiter: , ; | or tab (default: the rules' input line)\n"
    "      --output-delimiter C  output delimiter (default: the input's)\n"
    "  -z, --gzip                compress the output with gzip\n"
    "      --gzip-level N        gzip level 1-9 (default 6)\n"
    "  -h, --help                this help\n"
    "\n"
    "Exit codes: 0 success, 2 usage, 3 rules or key error, 4 bad input, 5 I/O error.\n";

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

static int usage_error(const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", progname);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n\n%s", usage);
    return DEID_E_USAGE;
}

static int report(const deid_error *err)
{
    char msg[2048];
    deid_error_format(err, msg, sizeof msg);
    fprintf(stderr, "%s: %s\n", progname, msg);
    return err->status ? (int)err->status : DEID_E_IO;
}

static int print_help(const char *text)
{
    fputs(text, stdout);
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : DEID_E_IO;
}

/* Writes text to path through a temporary file renamed into place. */
static deid_status write_text_file(const char *path, const char *text, deid_error *err)
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

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int cmd_run(int argc, char **argv)
{
    enum { OPT_REPORT = 256, OPT_OUT_DELIM, OPT_GZIP_LEVEL };
    static const struct option longopts[] = {
        {"rules", required_argument, NULL, 'r'},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"report", required_argument, NULL, OPT_REPORT},
        {"delimiter", required_argument, NULL, 'd'},
        {"output-delimiter", required_argument, NULL, OPT_OUT_DELIM},
        {"gzip", no_argument, NULL, 'z'},
        {"gzip-level", required_argument, NULL, OPT_GZIP_LEVEL},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *rules_path = NULL, *out_path = NULL, *report_path = NULL;
    int quiet = 0;
    deid_job_options jo = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":r:o:qd:zh", longopts, NULL)) != -1) {
        switch (c) {
        case 'r': rules_path = optarg; break;
        case 'o': out_path = optarg; break;
        case 'q': quiet = 1; break;
        case OPT_REPORT: report_path = optarg; break;
        case 'd':
            if (!(jo.delimiter = deid_delimiter_from_name(optarg)))
                return usage_error(usage_run, "unknown delimiter \"%s\" (use , ; | or tab)", optarg);
            break;
        case OPT_OUT_DELIM:
            if (!(jo.out_delimiter = deid_delimiter_from_name(optarg)))
                return usage_error(usage_run, "unknown delimiter \"%s\" (use , ; | or tab)", optarg);
            break;
        case 'z': jo.gzip_out = 1; break;
        case OPT_GZIP_LEVEL:
            if (strlen(optarg) != 1 || optarg[0] < '1' || optarg[0] > '9')
                return usage_error(usage_run, "--gzip-level takes 1 to 9, not \"%s\"", optarg);
            jo.gzip_level = optarg[0] - '0';
            break;
        case 'h': return print_help(usage_run);
        case ':': return usage_error(usage_run, "option %s needs an argument", argv[optind - 1]);
        default: return usage_error(usage_run, "unknown option %s", argv[optind - 1]);
        }
    }
    if (!rules_path)
        return usage_error(usage_run, "%s", "run needs -r RULES");
    if (out_path && ends_with(out_path, ".gz"))
        jo.gzip_out = 1;

    deid_error err;
    deid_rules *rules = NULL;
    deid_job *job = NULL;
    deid_outfile *of = NULL;
    int out_fd = STDOUT_FILENO;
    deid_status st = deid_rules_load(rules_path, &rules, &err);
    if (!st)
        st = deid_job_new(rules, &jo, &job, &err);
    if (!st && out_path) {
        st = deid_outfile_open(out_path, &of, &err);
        if (!st)
            out_fd = deid_outfile_fd(of);
    }
    char *const stdin_only[] = {"-"};
    char *const *inputs = optind < argc ? argv + optind : stdin_only;
    int n_inputs = optind < argc ? argc - optind : 1;
    for (int i = 0; i < n_inputs && !st; i++) {
        const char *name = inputs[i];
        int fd = STDIN_FILENO;
        if (strcmp(name, "-") != 0) {
            fd = open(name, O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                memset(&err, 0, sizeof err);
                err.status = st = DEID_E_IO;
                snprintf(err.message, sizeof err.message, "cannot open %s: %s", name,
                         strerror(errno));
                break;
            }
        }
        st = deid_job_run_fd(job, fd, strcmp(name, "-") ? name : "<stdin>", out_fd, &err);
        if (fd != STDIN_FILENO)
            close(fd);
    }
    if (!st)
        st = deid_job_finish_fd(job, out_fd, &err);
    if (!st && of) {
        st = deid_outfile_commit(of, &err);
        of = NULL;
    }
    if (st) {
        deid_outfile_abort(of);
        report(&err);
        deid_job_free(job);
        deid_rules_free(rules);
        return st;
    }
    char *text = NULL;
    if (report_path) {
        if (!(st = deid_job_report_json(job, &text, &err)))
            st = write_text_file(report_path, text, &err);
        free(text);
        text = NULL;
    }
    if (!st && !quiet && !(st = deid_job_summary_text(job, &text, &err)))
        fputs(text, stderr);
    free(text);
    if (st)
        report(&err);
    deid_job_free(job);
    deid_rules_free(rules);
    return st;
}

static int simple_args(int argc, char **argv, const char *usage, const char **arg)
{
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'h')
            return print_help(usage) == 0 ? -1 : DEID_E_IO;
        return usage_error(usage, "unknown option %s", argv[optind - 1]);
    }
    if (argc - optind != 1)
        return usage_error(usage, "%s", "expected exactly one argument");
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
        return report(&err);
    char *text;
    deid_status st = deid_rules_describe(rules, &text, &err);
    deid_rules_free(rules);
    if (st)
        return report(&err);
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
        return report(&err);
    return 0;
}

int main(int argc, char **argv)
{
    int rc;
    if (argc < 2)
        return usage_error(usage_main, "%s", "a command is needed");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        if (argc > 2 && !strcmp(argv[2], "run"))
            rc = print_help(usage_run);
        else if (argc > 2 && !strcmp(argv[2], "lint"))
            rc = print_help(usage_lint);
        else if (argc > 2 && !strcmp(argv[2], "keygen"))
            rc = print_help(usage_keygen);
        else
            rc = print_help(usage_main);
    } else if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("deid %s\n", DEID_VERSION);
        rc = 0;
    } else if (!strcmp(cmd, "run")) {
        rc = cmd_run(argc - 1, argv + 1);
    } else if (!strcmp(cmd, "lint")) {
        rc = cmd_lint(argc - 1, argv + 1);
    } else if (!strcmp(cmd, "keygen")) {
        rc = cmd_keygen(argc - 1, argv + 1);
    } else {
        rc = usage_error(usage_main, "unknown command \"%s\"", cmd);
    }
    /* Output that cannot be flushed (disk full, closed pipe) is a failure. */
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        if (rc == 0) {
            fprintf(stderr, "%s: cannot write to standard output: %s\n", progname, strerror(errno));
            rc = DEID_E_IO;
        }
    }
    return rc;
}
