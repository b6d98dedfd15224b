/* SPDX-License-Identifier: Apache-2.0 */
/*
 * deid.h - the one public header of the deid library.
 *
 * deid de-identifies delimited text (CSV) as a stream: a rule set says what
 * happens to every column, a job applies it to one or more inputs that share
 * a header, and the caller reads the transformed bytes and the run's counts.
 *
 * Conventions
 *  - Every fallible function returns a deid_status (DEID_OK = 0) and, when
 *    the error pointer is not NULL, fills it with where and what went wrong.
 *    The library never prints and never exits.
 *  - x_new/x_load return an owned handle released with x_free; x_free(NULL)
 *    does nothing. Pointers passed in are borrowed for the call only.
 *  - Messages never contain raw data values: they name the input, record,
 *    column and the problem.
 */
#ifndef DEID_H
#define DEID_H

#include <stddef.h>
#include <stdint.h>

#include "deid_limits.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DEID_VERSION "0.1.0"

/* Marks the library's public functions: the library is compiled with
 * -fvisibility=hidden, so only what carries this is exported (from
 * libdeid.so, and from libdeid.a, whose other symbols are made local). */
#if defined(__GNUC__) || defined(__clang__)
#define DEID_EXPORT __attribute__((visibility("default")))
#else
#define DEID_EXPORT
#endif

/* gzip output level unless asked: level 1 compresses several times faster
 * than zlib's default 6 and costs a few percent in size on CSV. */
#define DEID_GZIP_DEFAULT_LEVEL 1

/* Status codes double as the CLI's exit codes (see README "Exit codes"). */
typedef enum deid_status {
    DEID_OK = 0,
    DEID_E_PRIVACY = 1, /* a privacy requirement is not met */
    DEID_E_USAGE = 2,   /* wrong call: bad option or argument */
    DEID_E_RULES = 3,   /* rules file, hierarchy, map or key error */
    DEID_E_DATA = 4,    /* bad input data */
    DEID_E_IO = 5       /* I/O or system error, including out of memory */
} deid_status;

/* Where and what. Unused location fields are "" or 0. */
typedef struct deid_error {
    deid_status status;
    char file[512];          /* input or rules file name */
    unsigned long line;      /* rules line, or physical input line (1-based) */
    unsigned long column;    /* rules column (1-based, in bytes) */
    unsigned long long record; /* data record number (1-based, header not counted) */
    char field[256];         /* data column name */
    char message[512];       /* what went wrong; never a raw data value */
    char source_line[512];   /* for rules errors: the offending line */
} deid_error;

/* Writes the complete human message into buf (always NUL-terminated when
 * size > 0): "FILE:LINE:COL: message" plus the line and a caret for rules
 * errors; "FILE: record N (line L), column "c": message" for data errors.
 * Control characters, bytes that are not UTF-8 and bidirectional
 * overrides in any part are escaped (\x1b, \n, \u202e), so the text is
 * safe for a terminal or a log. Returns the length the full message
 * needs, like snprintf. */
DEID_EXPORT size_t deid_error_format(const deid_error *err, char *buf, size_t size);

/* Writes s escaped for a terminal or a log into buf (always NUL-terminated
 * when size > 0, cut between whole characters): control characters,
 * bytes that are not UTF-8 and bidirectional overrides as \x1b, \n,
 * \u202e, as deid_error_format does. For callers that print a file name
 * or a column name of their own. Returns the length the whole escaped
 * text needs, like snprintf. */
DEID_EXPORT size_t deid_escape_text(const char *s, char *buf, size_t size);

/* The name of a status for messages ("rules error", "bad input", ...). */
DEID_EXPORT const char *deid_status_name(deid_status status);

/* Delimiter named as in the rules and on the command line: "," ";" "|" or
 * "tab" (also "comma", "semicolon", "pipe", "\t"). Returns the byte, or 0
 * if the name is not one of those. */
DEID_EXPORT int deid_delimiter_from_name(const char *name);

/* Text encodings of input and output (README "Encodings"). */
typedef enum deid_encoding {
    DEID_ENCODING_DEFAULT = 0, /* in options: what the rules say (input auto, output utf-8) */
    DEID_ENCODING_AUTO,        /* input: UTF-8 (a BOM, or valid UTF-8) else CP949, decided
                                  at the first record holding a non-ASCII byte */
    DEID_ENCODING_UTF8,
    DEID_ENCODING_CP949,       /* Korean Windows (Unified Hangul Code), a superset of EUC-KR */
    DEID_ENCODING_EUCKR        /* input: read with CP949's tables; output: strict EUC-KR */
} deid_encoding;

/* The encoding named "utf-8" ("utf8"), "cp949" ("uhc"), "euc-kr"
 * ("euckr") or "auto", in any case; -1 for any other name. */
DEID_EXPORT int deid_encoding_from_name(const char *name);

/* The memory budget used when the options' memory_bytes is 0: half of
 * physical memory, lowered to half of RLIMIT_AS, of RLIMIT_DATA and of the
 * cgroup v2 limit (/sys/fs/cgroup/memory.max) when one is set. It bounds
 * what grows with the data: class tables, their dictionaries and the
 * threads' tables of distinct combinations (README "Memory budget"). */
DEID_EXPORT size_t deid_default_memory(void);

/* ---- Rule sets ---------------------------------------------------------- */

typedef struct deid_rules deid_rules;

/* Parses and compiles the rules file at path: hierarchy, map and key files
 * named in it are read relative to the rules file's folder. On success
 * *out owns the rule set. */
DEID_EXPORT deid_status deid_rules_load(const char *path, deid_rules **out, deid_error *err);

/* Same from text in memory; name is used in messages, base_dir resolves
 * relative file names (NULL = current directory). */
DEID_EXPORT deid_status deid_rules_parse(const char *text, size_t len, const char *name,
                             const char *base_dir, deid_rules **out, deid_error *err);

DEID_EXPORT void deid_rules_free(deid_rules *rules);

/* The files the rule set reads besides itself (key files, hierarchies,
 * maps, token vaults), resolved against the rules' folder as it was given
 * (so relative when the rules path was). Returns the index-th one (from 0)
 * or NULL past the last; *role (when role is not NULL) becomes "key" or the
 * transform's keyword ("hierarchy", "map", "token"). Strings are borrowed
 * from rules. A caller writing files checks its outputs against these. */
DEID_EXPORT const char *deid_rules_file(const deid_rules *rules, size_t index, const char **role);

/* Checks that no token vault of rules lies in the folder of out_path (the
 * output about to be written; folders compared by device and inode).
 * Returns DEID_OK, or DEID_E_USAGE naming the vault. Additional
 * information belongs apart from the pseudonymized data. */
DEID_EXPORT deid_status deid_rules_check_vault_folder(const deid_rules *rules, const char *out_path,
                                                      deid_error *err);

/* Renders the compiled plan (every column, its transform with resolved
 * parameters, the guideline technique name, key fingerprints; never key
 * bytes) as text. *text is malloc'd and owned by the caller. */
DEID_EXPORT deid_status deid_rules_describe(const deid_rules *rules, char **text, deid_error *err);

/* The warning for columns that keep part of their value (mask keep-first/
 * keep-last, prefix, words, date, range, round, hierarchy below a
 * one-label level) while named in neither `quasi` nor `sensitive`, when
 * the rules have a `require`: one line per column, each starting with
 * "deid: warning: ". *text is malloc'd and owned by the caller, or NULL
 * when there is nothing to say. deid_rules_describe ends with the same
 * lines as comments. */
DEID_EXPORT deid_status deid_rules_kept_warning(const deid_rules *rules, char **text,
                                                deid_error *err);

/* ---- Jobs: one streaming run -------------------------------------------- */

typedef struct deid_job deid_job;

/* Where a long run is: called from the caller's thread after each chunk of
 * input (about every 512 KB), so it should be cheap; it may not call back
 * into the job. */
typedef struct deid_progress {
    int pass;                 /* 1, or 2 for the writing pass of a two-pass run */
    uint64_t raw_bytes;       /* input bytes read in this pass (as given: compressed) */
    uint64_t records;         /* records processed in this pass */
    uint64_t decoded_bytes;   /* input bytes read in this pass after gzip decoding */
    int gzip;                 /* the input being read is gzip (raw_bytes are compressed) */
} deid_progress;
typedef void (*deid_progress_fn)(void *ctx, const deid_progress *progress);

/* How l-diversity and t-closeness treat an empty sensitive value (README
 * "Empty sensitive values"). */
typedef enum deid_sensitive_empty {
    DEID_SENSITIVE_EMPTY_DEFAULT = 0, /* the rules' `sensitive ... empty=` (default: value) */
    DEID_SENSITIVE_EMPTY_VALUE = 1,   /* an empty value is a value like any other (ARX) */
    DEID_SENSITIVE_EMPTY_IGNORE = 2   /* left out of l and t, per class and overall */
} deid_sensitive_empty;

typedef struct deid_job_options {
    int delimiter;      /* input delimiter; 0 = the rules' (default ',') */
    int out_delimiter;  /* 0 = same as input */
    int gzip_out;       /* nonzero: compress the output with gzip */
    int gzip_level;     /* 0 = default (DEID_GZIP_DEFAULT_LEVEL); 1..9 */
    int reread;         /* two-pass runs: 1 = the caller feeds the same inputs again in
                           the second pass (regular files); 0 = the first pass spools the
                           transformed records to an unlinked temporary file */
    const char *tmpdir; /* folder for that spool; NULL = $TMPDIR or /tmp */
    int hash_io;        /* compute the SHA-256 of every input and of the output, for
                           the processing record */
    int reverse;        /* deid reverse: the input is a file the rules produced; restore
                           the columns whose transform is reversible (encrypt, fpe, token) */
    const char *const *reverse_columns; /* only these (NULL: every reversible one) */
    size_t n_reverse_columns;
    unsigned threads;   /* worker threads parsing and transforming chunks of the input in
                           parallel; 0 or 1: all on the caller's thread. The output is the
                           same bytes whatever the number. */
    size_t chunk_bytes; /* about how much input one chunk holds; 0 = 512 KiB. With gzip
                           output every chunk is one gzip member. */
    deid_progress_fn progress; /* may be NULL */
    void *progress_ctx;
    size_t memory_bytes; /* the run's one memory budget (two-pass runs): privacy class
                            tables, summaries and what the two-pass techniques keep (those
                            spill to files past it); 0 = deid_default_memory(). Passing it
                            fails with DEID_E_IO. */
    deid_encoding encoding;     /* input encoding; DEFAULT = the rules' `input encoding=` */
    deid_encoding out_encoding; /* output encoding (UTF8, CP949, EUCKR); DEFAULT = the rules' */
    int bom;                    /* 1: start the output with a UTF-8 byte order mark; 0: the
                                   rules' `output bom=` */
    const char *output_name;    /* the output file as the processing record names it (-o),
                                   copied; NULL: standard output */
    deid_sensitive_empty sensitive_empty; /* overrides the rules' `sensitive ... empty=` */
    int input_classes;          /* with a privacy requirement: also count the classes of the
                                   input's QI values, as read (before any transform), for
                                   deid_job_report_html's distributions; charged to the
                                   memory budget */
    int sharded;                /* the input is one part of a larger one (README "Sharded
                                   runs"): transforms that keep a shared state (token
                                   vaults) are refused */
    int partial;                /* with a privacy requirement: the first pass gathers the
                                   part's summary (deid_job_write_summary); implies sharded */
    uint64_t part;              /* with partial: where the part lies in the whole input */
} deid_job_options;

/* Creates a job for rules (borrowed: it must outlive the job). opts may be
 * NULL for defaults. */
DEID_EXPORT deid_status deid_job_new(const deid_rules *rules, const deid_job_options *opts,
                         deid_job **out, deid_error *err);
DEID_EXPORT void deid_job_free(deid_job *job);

/* Buffer API. Call begin_input, then write input bytes in chunks of any
 * size (gzip is detected from the first bytes), then end_input; repeat for
 * further inputs, which must carry the same header (it is written once).
 * Output accumulates inside the job: drain it with deid_job_read after each
 * write, so memory stays bounded by the chunk size. Gzip input is the
 * exception: one write of L compressed bytes may decode to about 1032 x L
 * bytes (deflate's largest ratio), all of whose output is then pending;
 * past DEID_MAX_PENDING_OUTPUT the write fails with DEID_E_IO. Write gzip
 * input in small pieces (64 KiB decode to at most about 66 MB) or use
 * deid_job_run_fd, which decodes in slices of about 1 MiB and writes the
 * output between them. Input waits inside the job until a chunk
 * (options.chunk_bytes) of it is complete, so an error in the data may be
 * returned by a later write or by end_input.
 * finish flushes the output (gzip trailer) and checks the run; after an
 * error the job accepts nothing more. name is used in messages. */
DEID_EXPORT deid_status deid_job_begin_input(deid_job *job, const char *name, deid_error *err);
DEID_EXPORT deid_status deid_job_write(deid_job *job, const void *data, size_t len, deid_error *err);
DEID_EXPORT deid_status deid_job_end_input(deid_job *job, deid_error *err);
DEID_EXPORT deid_status deid_job_finish(deid_job *job, deid_error *err);

/* Copies up to cap pending output bytes into out; returns how many. */
DEID_EXPORT size_t deid_job_read(deid_job *job, void *out, size_t cap);
/* With options.hash_io, after finish and once all output was taken: the
 * output's SHA-256 in hex (owned by the job); else NULL. */
DEID_EXPORT const char *deid_job_output_sha256(deid_job *job);
/* Number of output bytes waiting to be read. */
DEID_EXPORT size_t deid_job_pending(const deid_job *job);

/* File-descriptor API: reads in_fd to EOF as one input named name and writes
 * output to out_fd as it goes. For several inputs call it once per input,
 * then deid_job_finish_fd. */
DEID_EXPORT deid_status deid_job_run_fd(deid_job *job, int in_fd, const char *name, int out_fd,
                            deid_error *err);
DEID_EXPORT deid_status deid_job_finish_fd(deid_job *job, int out_fd, deid_error *err);
/* deid_job_run_fd over bytes [from, to) of in_fd (a plain regular file),
 * led by its first record when the rules read a header: one part of a
 * large file cut by deid_split_offsets (README "Sharded runs"). */
DEID_EXPORT deid_status deid_job_run_range_fd(deid_job *job, int in_fd, const char *name,
                                              uint64_t from, uint64_t to, int out_fd,
                                              deid_error *err);

/* Two-pass runs. With a privacy requirement (rules `require`) a run needs
 * two passes: the first measures the equivalence classes of the
 * transformed records and writes nothing; deid_job_next_pass then decides
 * which classes to suppress (DEID_E_PRIVACY when more records than
 * `suppress max=` allows would go, and nothing is written); the second
 * writes. In the second pass either feed the same inputs again
 * (options.reread) or call deid_job_replay until *done, draining the output
 * after each call. Then deid_job_finish. A run with microagg, aggregate or
 * shuffle takes two passes too (collect, write), and three with a privacy
 * requirement (collect; the techniques' output measured; write): call
 * deid_job_next_pass and feed again or replay before each pass after the
 * first. */
DEID_EXPORT int deid_job_passes(const deid_job *job); /* 1, 2 or 3 */
/* level=auto: after the first pass, finds the generalization levels with the
 * least information loss that meet the requirement (deid plan). next_pass
 * calls it itself; call it directly to report a plan without writing. */
DEID_EXPORT deid_status deid_job_plan(deid_job *job, deid_error *err);
/* deid_job_plan, and why each chosen level: evaluates, for every QI above
 * its lowest allowed level, the chosen node with that QI one level lower;
 * plan_text and plan_json then show it (deid plan --explain). */
DEID_EXPORT deid_status deid_job_plan_explain(deid_job *job, deid_error *err);
/* 1 when, after its first input's header, the job has a QI with
 * level=auto (deid_job_plan has something to plan), else 0. */
DEID_EXPORT int deid_job_has_auto(const deid_job *job);

/* Sharded runs (README "Sharded runs"). With options.partial, after the
 * first pass (every input ended): writes the part's summary to fd
 * (caller-owned; make the file 0600). Returns DEID_OK, DEID_E_USAGE
 * (not a part, or too early) or DEID_E_IO. */
DEID_EXPORT deid_status deid_job_write_summary(deid_job *job, int fd, deid_error *err);
/* Before any input: merges the summary read from fd (named name in
 * messages) into the job. Summaries of all the parts, merged, stand for
 * the first pass: the plan and the classes suppressed are the whole
 * input's. The inputs then given (the job's own part, fed in both passes:
 * options.reread) must carry the summaries' header, and each record's
 * class must be among theirs (else DEID_E_DATA). A malformed or foreign
 * summary is DEID_E_DATA naming it and its line. */
DEID_EXPORT deid_status deid_job_merge_fd(deid_job *job, int fd, const char *name,
                                          deid_error *err);
/* After merging: the summaries' header as one CSV record in the job's
 * delimiter (caller frees), to feed as an input of no records when there
 * is no part to give (deid plan --merge). */
DEID_EXPORT deid_status deid_job_merged_header(deid_job *job, char **csv, deid_error *err);
/* The plan as aligned text or JSON (after deid_job_plan); caller frees. */
DEID_EXPORT deid_status deid_job_plan_text(const deid_job *job, char **text, deid_error *err);
DEID_EXPORT deid_status deid_job_plan_json(const deid_job *job, char **text, deid_error *err);
DEID_EXPORT deid_status deid_job_next_pass(deid_job *job, deid_error *err);
DEID_EXPORT deid_status deid_job_replay(deid_job *job, int *done, deid_error *err);
/* Replays the whole spool to out_fd. */
DEID_EXPORT deid_status deid_job_replay_fd(deid_job *job, int out_fd, deid_error *err);

/* ---- Counts and reports ------------------------------------------------- */

typedef struct deid_column_counts {
    const char *name;         /* output column name (owned by the job) */
    const char *transform;    /* transform keyword */
    uint64_t transformed;     /* values the transform changed or produced */
    uint64_t empty;           /* values left empty (empty input) */
    uint64_t errors;          /* values the transform could not handle (on-error blank/suppress) */
    size_t n_findings;        /* kinds of finding the transform counts (scrub's identifier kinds), else 0 */
    const char *const *finding_names; /* [n_findings], static ("rrn", "phone", ..., "also") */
    uint64_t *findings;       /* [n_findings]: findings replaced, per kind (owned by the job) */
    uint64_t groups;          /* two-pass techniques (microagg, aggregate, shuffle): groups formed */
    int has_loss;             /* micro-aggregation: sse and sst below are set */
    double sse, sst;          /* its information loss SSE/SST (standardized values) */
} deid_column_counts;

typedef struct deid_counts {
    uint64_t records_read;
    uint64_t records_written;
    uint64_t records_removed;
    uint64_t bytes_read;      /* input bytes after gzip decoding */
    size_t n_columns;
    const deid_column_counts *columns; /* owned by the job */
} deid_counts;

/* The processing record (가명정보 처리 기록) of a finished run whose job had
 * options.hash_io, as JSON and as Markdown; *text is malloc'd. */
DEID_EXPORT deid_status deid_job_record_json(deid_job *job, char **text, deid_error *err);
DEID_EXPORT deid_status deid_job_record_markdown(deid_job *job, char **text, deid_error *err);
/* The rules' `record file=` path, or NULL. */
DEID_EXPORT const char *deid_rules_record_file(const deid_rules *rules);

/* ---- Verifying a delivery against its processing record (deid verify) --- */

typedef enum deid_verify_outcome {
    DEID_VERIFY_MATCH = 0,      /* the file's SHA-256 is the recorded one */
    DEID_VERIFY_MISMATCH = 1,   /* it differs, or a given file is not in the record */
    DEID_VERIFY_UNREADABLE = 2  /* the file could not be read (missing, not regular) */
} deid_verify_outcome;

typedef struct deid_verify_item {
    const char *file;       /* the file checked: as given, or the recorded path resolved */
    const char *role;       /* "output", "rules", "hierarchy", "map", "pram", "part" (of a
                               sharded run's output); "unknown" for a given file that
                               matches no entry of the record */
    const char *matched_by; /* "name", "digest" (a given file), or "record" (read from
                               the recorded path) */
    const char *expected;   /* the recorded SHA-256 in hex, "" for an unknown file */
    const char *actual;     /* the file's SHA-256 now, "" when unreadable */
    const char *reason;     /* UNREADABLE: why, e.g. "No such file or directory" */
    deid_verify_outcome outcome;
} deid_verify_item;

typedef struct deid_verify deid_verify;

/* Reads the processing record at record_path (a `deid run --record` JSON
 * whose schema_version is deid.record/1) and checks files against it:
 * each of files[0..n_files) is matched to a recorded entry (the output,
 * the rules file, a hierarchy or map file, a part of a sharded run's
 * output listed under "parts") by its base name, or, when no
 * base name matches, by its SHA-256; each recorded rules, hierarchy and
 * map file that no given file matched is read at its recorded path
 * (relative paths against base_dir, or the current folder when base_dir is
 * NULL). Returns DEID_OK with *out (free with deid_verify_free) however
 * the files compare; DEID_E_DATA when the record is not valid JSON or not
 * a deid.record/1 document (the message names the key); DEID_E_IO when
 * the record cannot be read; DEID_E_USAGE on a NULL argument. */
DEID_EXPORT deid_status deid_verify_record(const char *record_path, const char *base_dir,
                                           const char *const *files, size_t n_files,
                                           deid_verify **out, deid_error *err);
/* The checks made, in order: the given files, then the recorded ones. */
DEID_EXPORT size_t deid_verify_count(const deid_verify *v);
DEID_EXPORT const deid_verify_item *deid_verify_at(const deid_verify *v, size_t index);
DEID_EXPORT void deid_verify_free(deid_verify *v);

/* deid reverse: a line naming the columns left as they were, or *text NULL. */
DEID_EXPORT deid_status deid_job_reverse_note(const deid_job *job, char **text, deid_error *err);
/* deid reverse: a warning line naming the fpe columns it restores (those
 * of columns[0..n_columns), or every one when n_columns is 0), which have
 * no integrity check: a wrong key or a changed character restores a wrong
 * value without an error. *text is malloc'd, or NULL when no fpe column is
 * restored. */
DEID_EXPORT deid_status deid_rules_reverse_warning(const deid_rules *rules, const char *const *columns,
                                                   size_t n_columns, char **text, deid_error *err);

/* Valid until the job is freed. */
DEID_EXPORT const deid_counts *deid_job_counts(const deid_job *job);

/* The encoding the job's input-th input (from 0) was read in: "utf-8"
 * (also for ASCII-only input), "cp949" or "euc-kr"; NULL past the last
 * input. The string is static. */
DEID_EXPORT const char *deid_job_input_encoding(const deid_job *job, size_t input);

/* The run summary as aligned text, and as JSON (with key fingerprints).
 * *text is malloc'd and owned by the caller. */
DEID_EXPORT deid_status deid_job_summary_text(const deid_job *job, char **text, deid_error *err);
DEID_EXPORT deid_status deid_job_report_json(const deid_job *job, char **json, deid_error *err);

/* ---- Privacy check (deid check) -------------------------------------------- */

typedef struct deid_check deid_check;

/* What to measure and require. Column names are borrowed for the call. */
typedef struct deid_check_options {
    const char *const *quasi;      /* QI column names (at least one) */
    size_t n_quasi;
    const char *const *sensitive;  /* sensitive column names (may be none) */
    size_t n_sensitive;
    const char *const *ordered;    /* sensitive columns compared with the ordered distance */
    size_t n_ordered;
    uint64_t k;                    /* 0: not required */
    double l;                      /* 0: not required */
    int l_entropy;                 /* 1: entropy l-diversity, 0: distinct */
    double t;                      /* 0: not required */
    const char *token;             /* suppression token; NULL = "*" */
    int delimiter;                 /* 0 = ',' */
    int no_header;                 /* 1: columns are #1, #2, ... */
    size_t show_classes;           /* list the N smallest classes with their QI values */
    unsigned threads;              /* worker threads parsing chunks (0 or 1: none); the
                                      figures and the report are the same for any number */
    size_t chunk_bytes;            /* 0 = 512 KiB */
    deid_progress_fn progress;     /* may be NULL */
    void *progress_ctx;
    size_t memory_bytes;           /* memory budget of the class table, its dictionaries and
                                      the lanes' tables; 0 = deid_default_memory(). Passing
                                      it fails with DEID_E_IO, naming the budget and the
                                      classes reached. */
    deid_encoding encoding;        /* input encoding; DEFAULT = the rules' (or auto) */
    deid_sensitive_empty sensitive_empty; /* DEFAULT = the rules' `sensitive ... empty=` */
    const char *population;        /* population table (CSV, the check's delimiter, a header
                                      naming every QI and the count column): journalist and
                                      marketer risk use its counts; NULL: the sample is the
                                      population. README "Risk models" */
    const char *population_count;  /* the population table's count column; NULL = "count" */
    double sampling_fraction;      /* estimate population uniqueness for this share of the
                                      population sampled, 0 < f <= 1; 0: no estimate */
    const uint64_t *k_list;        /* several k (deid check -k 2,5,10,20), up to 16, each
                                      from 1: the classes and records below each are
                                      reported, and k is the largest (0 entries: k alone) */
    size_t n_k_list;
    int partial;                   /* 1: the input is one part of a larger one: gather its
                                      summary (deid_check_write_summary) instead of measuring */
    uint64_t part;                 /* with partial: where the part lies in the whole input
                                      (parts are ordered by it: a byte offset or a number) */
    const char *const *hierarchy_columns; /* sensitive columns compared with the hierarchical
                                             distance over the tree in hierarchy_files[i] (a
                                             file as for `sensitive S hierarchy=`; over the
                                             rules' tree for that column) */
    const char *const *hierarchy_files;
    size_t n_hierarchy;
} deid_check_options;

/* Creates a checker. With rules (may be NULL), QIs, sensitive columns,
 * requirements, token and delimiter come from the rules' quasi, sensitive,
 * require, suppress and input lines, and opts (may be NULL) overrides what
 * it sets. */
DEID_EXPORT deid_status deid_check_new(const deid_rules *rules, const deid_check_options *opts,
                           deid_check **out, deid_error *err);
DEID_EXPORT void deid_check_free(deid_check *chk);

/* One input (gzip detected), as for jobs: begin, write chunks, end; then
 * finish computes the figures. The input's SHA-256 covers the bytes as
 * given (compressed if gzip). */
DEID_EXPORT deid_status deid_check_begin_input(deid_check *chk, const char *name, deid_error *err);
DEID_EXPORT deid_status deid_check_write(deid_check *chk, const void *data, size_t len, deid_error *err);
DEID_EXPORT deid_status deid_check_end_input(deid_check *chk, deid_error *err);
DEID_EXPORT deid_status deid_check_finish(deid_check *chk, deid_error *err);
/* Reads in_fd to EOF as the input named name, then finishes. */
DEID_EXPORT deid_status deid_check_run_fd(deid_check *chk, int in_fd, const char *name, deid_error *err);

/* Sharded checks (README "Sharded runs"). With options.partial, after
 * finish: writes the part's summary to fd (the caller owns fd and makes
 * the file 0600: the summary holds QI values). Returns DEID_OK or
 * DEID_E_IO. On a check made without partial (no input given), the
 * summaries merged so far (after deid_check_merge_finish). */
DEID_EXPORT deid_status deid_check_write_summary(const deid_check *chk, int fd, deid_error *err);
/* Merging: instead of an input, give a check the summaries of the parts
 * of one input, one after another, each begun, written in any pieces and
 * ended (or read whole from fd with deid_check_merge_fd), then
 * deid_check_merge_finish: the figures and reports are those of the whole
 * input, for any order of the parts. Each summary must have been made
 * with the same QIs, sensitive columns, token and rules; no part may come
 * twice. Errors name the summary and line (DEID_E_DATA). */
DEID_EXPORT deid_status deid_check_merge_begin(deid_check *chk, const char *name, deid_error *err);
DEID_EXPORT deid_status deid_check_merge_write(deid_check *chk, const void *data, size_t len,
                                               deid_error *err);
DEID_EXPORT deid_status deid_check_merge_end(deid_check *chk, deid_error *err);
DEID_EXPORT deid_status deid_check_merge_fd(deid_check *chk, int fd, const char *name,
                                            deid_error *err);
DEID_EXPORT deid_status deid_check_merge_finish(deid_check *chk, deid_error *err);
/* deid_check_run_fd over bytes [from, to) of in_fd, a plain regular file,
 * led by its first record when the check reads a header: one part of a
 * large file cut by deid_split_offsets. Record numbers in messages count
 * from the range's start. */
DEID_EXPORT deid_status deid_check_run_range_fd(deid_check *chk, int in_fd, const char *name,
                                                uint64_t from, uint64_t to, deid_error *err);

/* Cuts the CSV file fd (a plain regular file, not gzip) into parts
 * ranges that hold whole records: offsets[0] = 0, offsets[parts] = its
 * size, offsets[i] the first record boundary (just after a line feed
 * outside quoted fields) at or after i * size / parts; a range may be
 * empty. offsets has parts + 1 entries (caller-owned). Returns DEID_OK,
 * DEID_E_USAGE (parts not 1 to DEID_MAX_SPLIT_PARTS, not a regular file,
 * gzip) or DEID_E_IO naming name. */
DEID_EXPORT deid_status deid_split_offsets(int fd, const char *name, unsigned parts,
                                           uint64_t *offsets, deid_error *err);

/* After finish: the utility metrics of the checked file against its
 * source (README "Utility"): reads source_fd and output_fd (the checked
 * file again; gzip detected in both) to EOF in step, pairing records by
 * position, with the check's QIs, delimiter, header setting and token.
 * rules (borrowed for the call; may be NULL) are those the file was made
 * with: their QI column rules tell each delivered value's level, for
 * precision. The reports then have a utility section. Returns DEID_OK;
 * DEID_E_DATA when the record counts differ (naming both) or a record is
 * malformed; DEID_E_USAGE when a QI is not a column of either file;
 * DEID_E_IO on a read error or the memory budget. */
DEID_EXPORT deid_status deid_check_compare_fd(deid_check *chk, const deid_rules *rules,
                                              int source_fd, const char *source_name,
                                              int output_fd, const char *output_name,
                                              deid_error *err);

/* The encoding the checked input was read in (as deid_job_input_encoding). */
DEID_EXPORT const char *deid_check_input_encoding(const deid_check *chk);

/* After finish: 1 if every requirement given holds, else 0. */
DEID_EXPORT int deid_check_met(const deid_check *chk);
/* The report as aligned text or JSON; *text is malloc'd, caller-owned. */
DEID_EXPORT deid_status deid_check_report_text(const deid_check *chk, char **text, deid_error *err);
DEID_EXPORT deid_status deid_check_report_json(const deid_check *chk, char **text, deid_error *err);

/* ---- The auditor's report (HTML) ------------------------------------------ */

/* The language of the HTML report's labels (README "The auditor's report"). */
typedef enum deid_lang { DEID_LANG_KO = 0, DEID_LANG_EN = 1 } deid_lang;

/* The language named "ko" or "en"; -1 for any other name. */
DEID_EXPORT int deid_lang_from_name(const char *name);

typedef struct deid_html_options {
    deid_lang lang;          /* labels; DEID_LANG_KO by default (zeroed options) */
    double risk_threshold;   /* count the records whose prosecutor risk exceeds it;
                                0 = 0.2 (1/5) */
    int64_t timestamp;       /* when, in seconds since 1970 UTC, as printed; 0 = now */
    const char *output_name; /* a run's output as the report names it; NULL: not named */
} deid_html_options;

/* The auditor's report as one self-contained HTML page: inline CSS and SVG,
 * no script, no external reference, printable on A4. Data values appear
 * only in the value distributions of the QIs, and only a value held by at
 * least k records of classes of at least k records (k the required k,
 * else 5). opts may be NULL for defaults. *text is malloc'd and owned by
 * the caller. For a check: after deid_check_finish. */
DEID_EXPORT deid_status deid_check_report_html(const deid_check *chk, const deid_html_options *opts,
                                               char **text, deid_error *err);
/* For a finished run (with options.hash_io the digests of inputs and
 * output are shown); the privacy sections appear when the rules have a
 * `require` line. */
DEID_EXPORT deid_status deid_job_report_html(deid_job *job, const deid_html_options *opts,
                                             char **text, deid_error *err);

/* ---- Profiling an extract (deid scan) ------------------------------------ */

typedef struct deid_scan deid_scan;

typedef struct deid_scan_options {
    int delimiter;                 /* 0 = ',' */
    int no_header;                 /* 1: columns are #1, #2, ... */
    uint64_t sample;               /* profile only the first N records; 0 = all */
    int show_values;               /* keep a few example values per column for the reports
                                      (they are data values: off unless asked) */
    unsigned threads;              /* worker threads classifying values (0 or 1: none); the
                                      profile is the same for any number */
    size_t chunk_bytes;            /* 0 = 512 KiB */
    deid_progress_fn progress;     /* may be NULL */
    void *progress_ctx;
    deid_encoding encoding;        /* input encoding; DEFAULT (0) = AUTO, as for jobs */
} deid_scan_options;

/* Creates a scan: a streamed profile of every column of one or more
 * inputs that share a header (non-empty and distinct counts, identifier
 * kinds, value shapes, a hint from the name) and a suggested role per
 * column. Memory is bounded per column whatever the input's size. */
DEID_EXPORT deid_status deid_scan_new(const deid_scan_options *opts, deid_scan **out,
                                      deid_error *err);
DEID_EXPORT void deid_scan_free(deid_scan *scan);
/* Inputs as for jobs (gzip detected): begin, write chunks, end; repeat for
 * further inputs with the same header. Once the sample is complete
 * (deid_scan_done), writes are ignored and need not continue. */
DEID_EXPORT deid_status deid_scan_begin_input(deid_scan *scan, const char *name, deid_error *err);
DEID_EXPORT deid_status deid_scan_write(deid_scan *scan, const void *data, size_t len,
                                        deid_error *err);
DEID_EXPORT deid_status deid_scan_end_input(deid_scan *scan, deid_error *err);
/* Returns 1 when options.sample records have been profiled, else 0. */
DEID_EXPORT int deid_scan_done(const deid_scan *scan);
/* The encoding input i (in the order begun) was read in: "utf-8" (also
 * for ASCII only), "cp949" or "euc-kr" (static); NULL when there is no
 * such input. */
DEID_EXPORT const char *deid_scan_input_encoding(const deid_scan *scan, size_t i);
/* Reads in_fd as the input named name, up to the end or the sample's end. */
DEID_EXPORT deid_status deid_scan_run_fd(deid_scan *scan, int in_fd, const char *name,
                                         deid_error *err);
/* After the last input: judges every column. */
DEID_EXPORT deid_status deid_scan_finish(deid_scan *scan, deid_error *err);
/* After finish: the profile as aligned text or JSON; *text is malloc'd and
 * owned by the caller. No data value appears unless options.show_values. */
DEID_EXPORT deid_status deid_scan_report_text(const deid_scan *scan, char **text,
                                              deid_error *err);
DEID_EXPORT deid_status deid_scan_report_json(const deid_scan *scan, char **text,
                                              deid_error *err);
/* After finish: a draft rules file for the scanned input, each choice
 * commented with its reason. key_file is the key's path as the rules
 * write it (relative to the rules file's folder); keygen_path the path
 * the comment tells `deid keygen` to create. *text is malloc'd and owned
 * by the caller; it holds no data value. */
DEID_EXPORT deid_status deid_scan_draft_rules(const deid_scan *scan, const char *key_file,
                                              const char *keygen_path, char **text,
                                              deid_error *err);

/* ---- Keys and output files ---------------------------------------------- */

/* Writes 32 random bytes from OpenSSL's CSPRNG, hex-encoded, to a new file
 * at path with mode 0600; refuses to overwrite an existing file. */
DEID_EXPORT deid_status deid_keygen(const char *path, deid_error *err);

/* Output that appears only on success: open creates a temporary file
 * (mode 0600) beside path; commit renames it into place; abort removes it.
 * A path that exists and is not a regular file (a FIFO, /dev/null), or
 * that lies in /dev or /proc (/dev/stdout), is written directly instead:
 * commit and abort only close it. Both commit and abort free *out. */
typedef struct deid_outfile deid_outfile;
/* Temporary files: the library creates some only to rename them into
 * place or remove them (deid_outfile's, a token vault being saved). It
 * calls created(ctx, path) just before making one (for a name it chose
 * itself; the path may not exist yet when a signal arrives, and removing
 * it then is harmless) or right after (for a fixed name, with signals
 * blocked in that thread meanwhile); a nonzero return (the program cannot
 * keep track of it) makes the library remove the file, if made, and fail
 * as out of memory. Once the file is renamed or removed it calls
 * removed(ctx, path). Both run in the thread that made the file; path is
 * borrowed for the call. A program that removes temporary files when a
 * signal ends it keeps its own list from these calls: the library keeps
 * none. Call once, before any other call of the library; either function
 * may be NULL. */
typedef int (*deid_temp_created_fn)(void *ctx, const char *path);
typedef void (*deid_temp_removed_fn)(void *ctx, const char *path);
DEID_EXPORT void deid_set_temp_hooks(deid_temp_created_fn created, deid_temp_removed_fn removed, void *ctx);
DEID_EXPORT deid_status deid_outfile_open(const char *path, deid_outfile **out, deid_error *err);
DEID_EXPORT int deid_outfile_fd(const deid_outfile *of);
/* The temporary file's path; NULL when path is written directly. */
DEID_EXPORT const char *deid_outfile_temp_path(const deid_outfile *of);
/* Sets the permission bits (mode & 0777) the file will have once in
 * place, instead of 0600; a path written directly is left as it is.
 * Returns DEID_OK, or DEID_E_USAGE for bits beyond 0777, DEID_E_IO when
 * the mode cannot be set. */
DEID_EXPORT deid_status deid_outfile_set_mode(deid_outfile *of, unsigned mode, deid_error *err);
DEID_EXPORT deid_status deid_outfile_commit(deid_outfile *of, deid_error *err);
DEID_EXPORT void deid_outfile_abort(deid_outfile *of);

#ifdef __cplusplus
}
#endif
#endif /* DEID_H */
