/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_signals.c - temporary files removed when a signal ends the program.
 *
 * The library announces every temporary file it makes and every one it is
 * done with (deid_set_temp_hooks); this file keeps them on a list that a
 * signal handler can read. SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT,
 * SIGUSR1, SIGUSR2, SIGALRM, SIGBUS, SIGXCPU and SIGXFSZ remove them all,
 * then the process dies of the same signal (its default action,
 * re-raised), so a parent sees what happened.
 * SIGHUP ignored at start (nohup) stays ignored; every other one is
 * caught, also when started ignored (a background job of a script ignores
 * SIGINT and SIGQUIT, and SIGPIPE ignored by Python or a CI runner would
 * turn a closed pipe into an error message).
 *
 * Async-signal safety: the handler only loads atomic pointers and calls
 * unlink, signal and raise. The list is a table of atomic path pointers,
 * grown (copied to a bigger table) by ordinary code under a mutex. A table
 * or path that ordinary code takes off the list is freed only when no
 * handler has started: the handler sets `dying` before it reads anything,
 * and the remover reads `dying` after it unpublished the pointer (both
 * sequentially consistent), so a handler either sees the pointer gone or
 * the remover sees `dying` and leaks it (the process ends anyway).
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct temp_table {
    size_t cap;
    _Atomic(char *) slot[];
} temp_table;

static _Atomic(temp_table *) table;
static atomic_int dying;
static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;

/* The signals whose default action ends the process, but for the crashes
 * of a bug (SIGSEGV, SIGABRT, SIGFPE, SIGILL: left to the sanitizers and
 * core dumps). SIGXFSZ comes with `ulimit -f` on the output, SIGXCPU with
 * `ulimit -t`, SIGBUS with a mapped file that lost its blocks. */
static const int caught[] = {SIGINT,  SIGTERM, SIGHUP, SIGPIPE, SIGQUIT, SIGUSR1,
                             SIGUSR2, SIGALRM, SIGBUS, SIGXCPU, SIGXFSZ};

static void on_signal(int sig)
{
    atomic_store(&dying, 1);
    temp_table *t = atomic_load(&table);
    for (size_t i = 0; t && i < t->cap; i++) {
        char *path = atomic_load(&t->slot[i]);
        if (path)
            unlink(path);
    }
    /* Blocked while the handler runs: delivered, with the default action,
     * as soon as it returns. */
    signal(sig, SIG_DFL);
    raise(sig);
}

/* A table of cap empty slots, or NULL. */
static temp_table *table_new(size_t cap)
{
    temp_table *t = malloc(sizeof *t + cap * sizeof t->slot[0]);
    if (!t)
        return NULL;
    t->cap = cap;
    for (size_t i = 0; i < cap; i++)
        atomic_init(&t->slot[i], NULL);
    return t;
}

/* deid_temp_created_fn: puts a copy of path on the list. Returns 0, or -1
 * when out of memory (the library then removes the file). */
static int temp_created(void *ctx, const char *path)
{
    (void)ctx;
    char *copy = strdup(path);
    if (!copy)
        return -1;
    pthread_mutex_lock(&table_mu);
    temp_table *t = atomic_load(&table);
    size_t free_slot = t ? t->cap : 0;
    for (size_t i = 0; t && i < t->cap && free_slot == t->cap; i++)
        if (!atomic_load(&t->slot[i]))
            free_slot = i;
    if (!t || free_slot == t->cap) {
        size_t cap = t ? 2 * t->cap : 8;
        temp_table *bigger = table_new(cap);
        if (!bigger) {
            pthread_mutex_unlock(&table_mu);
            free(copy);
            return -1;
        }
        for (size_t i = 0; t && i < t->cap; i++)
            atomic_store(&bigger->slot[i], atomic_load(&t->slot[i]));
        atomic_store(&table, bigger);
        if (t && !atomic_load(&dying))
            free(t);
        t = bigger;
    }
    atomic_store(&t->slot[free_slot], copy);
    pthread_mutex_unlock(&table_mu);
    return 0;
}

/* deid_temp_removed_fn: takes path off the list. */
static void temp_removed(void *ctx, const char *path)
{
    (void)ctx;
    pthread_mutex_lock(&table_mu);
    temp_table *t = atomic_load(&table);
    for (size_t i = 0; t && i < t->cap; i++) {
        char *p = atomic_load(&t->slot[i]);
        if (p && !strcmp(p, path)) {
            atomic_store(&t->slot[i], NULL);
            if (!atomic_load(&dying))
                free(p);
            break;
        }
    }
    pthread_mutex_unlock(&table_mu);
}

void cli_signals_install(void)
{
    deid_set_temp_hooks(temp_created, temp_removed, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    /* One handler at a time: a second signal waits, and the first one's
     * re-raised default action ends the process. */
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
        sigaddset(&sa.sa_mask, caught[i]);
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++) {
        struct sigaction old;
        if (caught[i] == SIGHUP && sigaction(SIGHUP, NULL, &old) == 0 &&
            old.sa_handler == SIG_IGN)
            continue;
        sigaction(caught[i], &sa, NULL);
    }
}

void cli_temps_release(void)
{
    pthread_mutex_lock(&table_mu);
    temp_table *t = atomic_exchange(&table, NULL);
    pthread_mutex_unlock(&table_mu);
    if (!t || atomic_load(&dying))
        return;
    for (size_t i = 0; i < t->cap; i++)
        free(atomic_load(&t->slot[i]));
    free(t);
}
