/* pool: a parallel-for over pthreads with an atomic work counter. */
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
} job;

static void *worker(void *arg)
{
    job *j = arg;
    for (;;) {
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

void pool_run(size_t n, void (*fn)(void *ctx, size_t i), void *ctx)
{
    job j = {.n = n, .fn = fn, .ctx = ctx};
    atomic_init(&j.next, 0);
    int threads = pool_threads();
    if ((size_t)threads > n)
        threads = (int)n;
    pthread_t *tids = threads > 1 ? xcalloc((size_t)threads - 1, sizeof *tids) : NULL;
    int started = 0;
    for (int t = 0; t < threads - 1; t++)
        if (pthread_create(&tids[t], NULL, worker, &j) == 0)
            started++;
        else
            break;
    worker(&j); /* the calling thread works too */
    for (int t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    free(tids);
}
