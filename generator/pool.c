/* pool: a parallel-for over pthreads with an atomic work counter. A thread
 * running beside the pool on the critical path (the history) may hold a
 * core: the pool's runs from other threads then work with one thread fewer
 * until it lets go, and a run under way takes the core back at once. */
#include "pool.h"
#include "buf.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct job {
    size_t n;
    atomic_size_t next;
    void (*fn)(void *ctx, size_t i);
    void *ctx;
    int threads; /* planned, the caller included */
    int holding; /* called by a holder: the held cores are its own */
} job;

typedef struct worker_arg {
    job *j;
    int t; /* 0 for the caller */
} worker_arg;

/* The cores held (pool_hold): read on the way to each item, and by a
 * worker waiting for a core under held_lock, which wake_waiting takes
 * after each change that may free it. */
static atomic_int held;
static pthread_mutex_t held_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t held_cond = PTHREAD_COND_INITIALIZER;
static _Thread_local int holds; /* by this thread */
static atomic_int waiting;      /* workers waiting for a core */

/* Whether worker t of j must wait for a core. */
static int must_wait(const job *j, int t)
{
    return t > 0 && !j->holding && t >= j->threads - atomic_load(&held) &&
           atomic_load(&j->next) < j->n;
}

static void *worker(void *arg)
{
    worker_arg *w = arg;
    job *j = w->j;
    for (;;) {
        if (must_wait(j, w->t)) {
            pthread_mutex_lock(&held_lock);
            atomic_fetch_add(&waiting, 1);
            while (must_wait(j, w->t))
                pthread_cond_wait(&held_cond, &held_lock);
            atomic_fetch_sub(&waiting, 1);
            pthread_mutex_unlock(&held_lock);
        }
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->n)
            break;
        j->fn(j->ctx, i);
    }
    return NULL;
}

int pool_threads(void)
{
    const char *env = getenv("CHARTER_THREADS");
    long n = env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > 16)
        n = 16;
    return (int)n;
}

/* Wakes the workers waiting for a core, to take it or to leave. */
static void wake_waiting(void)
{
    pthread_mutex_lock(&held_lock);
    pthread_cond_broadcast(&held_cond);
    pthread_mutex_unlock(&held_lock);
}

void pool_hold(void)
{
    holds++;
    atomic_fetch_add(&held, 1);
}

void pool_unhold(void)
{
    if (holds <= 0)
        return;
    holds--;
    atomic_fetch_sub(&held, 1);
    wake_waiting(); /* a waiter checks under the lock: none misses this */
}

int pool_waiting(void)
{
    return atomic_load(&waiting);
}

void pool_run(size_t n, void (*fn)(void *ctx, size_t i), void *ctx)
{
    job j = {.n = n, .fn = fn, .ctx = ctx, .holding = holds > 0};
    atomic_init(&j.next, 0);
    int threads = pool_threads();
    if ((size_t)threads > n)
        threads = (int)n;
    worker_arg *args = xcalloc((size_t)(threads > 0 ? threads : 1), sizeof *args);
    pthread_t *tids = threads > 1 ? xcalloc((size_t)threads - 1, sizeof *tids) : NULL;
    int started = 0;
    j.threads = threads; /* as planned, even if a thread fails to start */
    for (int t = 1; t < threads; t++) {
        args[t] = (worker_arg){&j, t};
        if (pthread_create(&tids[t - 1], NULL, worker, &args[t]) != 0)
            break;
        started++;
    }
    args[0] = (worker_arg){&j, 0};
    worker(&args[0]); /* the calling thread works too */
    if (started)
        wake_waiting(); /* the items are gone: a waiting worker leaves */
    for (int t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    free(tids);
    free(args);
}
