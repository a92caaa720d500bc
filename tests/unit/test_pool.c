/* test_pool: pool_run calls fn exactly once for every index of [0, n), on
 * one thread or several (CHARTER_THREADS), counted per index with atomic
 * counters so that an index handed out twice or never, or one out of range,
 * is caught; pool_threads' reading of CHARTER_THREADS; and a core held by
 * a thread beside the pool (pool_hold). */
#include "unit.h"

#include "pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <unistd.h>

typedef struct visits {
    size_t n;
    atomic_int *count;     /* per index: how often fn saw it */
    atomic_int outside;    /* calls with an index >= n */
    atomic_int off_caller; /* calls on another thread than pool_run's caller */
    pthread_t caller;
} visits;

static void visit(void *ctx, size_t i)
{
    visits *v = ctx;
    if (i >= v->n) {
        atomic_fetch_add(&v->outside, 1);
        return;
    }
    atomic_fetch_add(&v->count[i], 1);
    if (!pthread_equal(pthread_self(), v->caller))
        atomic_fetch_add(&v->off_caller, 1);
}

static const struct {
    const char *threads; /* CHARTER_THREADS */
    size_t n;
} runs[] = {
    {"1", 0}, {"1", 1}, {"1", 2}, {"1", 1000}, {"2", 0}, {"2", 1}, {"2", 2}, {"2", 1000},
};

Test(pool, every_index_exactly_once)
{
    for (size_t r = 0; r < COUNT(runs); r++) {
        cr_assert_eq(setenv("CHARTER_THREADS", runs[r].threads, 1), 0);
        visits v = {.n = runs[r].n, .caller = pthread_self()};
        v.count = calloc(runs[r].n ? runs[r].n : 1, sizeof *v.count);
        cr_assert_not_null(v.count);
        for (size_t i = 0; i < runs[r].n; i++)
            atomic_init(&v.count[i], 0);
        atomic_init(&v.outside, 0);
        atomic_init(&v.off_caller, 0);
        pool_run(runs[r].n, visit, &v);
        for (size_t i = 0; i < runs[r].n; i++)
            cr_expect_eq(atomic_load(&v.count[i]), 1,
                         "CHARTER_THREADS=%s n=%zu: index %zu visited %d times", runs[r].threads,
                         runs[r].n, i, atomic_load(&v.count[i]));
        cr_expect_eq(atomic_load(&v.outside), 0, "CHARTER_THREADS=%s n=%zu: index out of range",
                     runs[r].threads, runs[r].n);
        /* One thread: everything runs on the caller, no thread is started. */
        if (!strcmp(runs[r].threads, "1"))
            cr_expect_eq(atomic_load(&v.off_caller), 0,
                         "CHARTER_THREADS=1 n=%zu: %d calls on another thread", runs[r].n,
                         atomic_load(&v.off_caller));
        free(v.count);
    }
}

/* Two threads share the work: the started thread holds its first item until
 * the caller is inside one, and the caller holds that item until the
 * started thread did every other. Run on one thread, the first item would
 * wait forever (the test times out). */
typedef struct handoff {
    atomic_int done;    /* items finished by the started thread */
    atomic_int waiting; /* the caller is inside an item */
    pthread_t caller;
} handoff;

static void hold_first(void *ctx, size_t i)
{
    handoff *h = ctx;
    if (pthread_equal(pthread_self(), h->caller)) {
        atomic_store(&h->waiting, 1);
        while (atomic_load(&h->done) < 99)
            sched_yield();
        return;
    }
    while (!atomic_load(&h->waiting))
        sched_yield();
    atomic_fetch_add(&h->done, 1);
}

Test(pool, two_threads_share_the_items, .timeout = 10)
{
    cr_assert_eq(setenv("CHARTER_THREADS", "2", 1), 0);
    handoff h = {.caller = pthread_self()};
    atomic_init(&h.done, 0);
    atomic_init(&h.waiting, 0);
    pool_run(100, hold_first, &h);
    cr_assert_eq(atomic_load(&h.waiting), 1);
    cr_assert_eq(atomic_load(&h.done), 99);
}

static const struct {
    const char *env; /* NULL: unset */
    int want;        /* 0: the online CPUs, capped at 16 */
} thread_cases[] = {
    {"1", 1}, {"2", 2},  {"16", 16}, {"17", 16}, {"1000", 16},
    {"0", 1}, {"-3", 1}, {"abc", 1}, {NULL, 0},
};

Test(pool, threads_from_environment)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int online = cpus < 1 ? 1 : cpus > 16 ? 16 : (int)cpus;
    for (size_t i = 0; i < COUNT(thread_cases); i++) {
        if (thread_cases[i].env)
            cr_assert_eq(setenv("CHARTER_THREADS", thread_cases[i].env, 1), 0);
        else
            cr_assert_eq(unsetenv("CHARTER_THREADS"), 0);
        int want = thread_cases[i].want ? thread_cases[i].want : online;
        cr_expect_eq(pool_threads(), want, "CHARTER_THREADS=%s: %d threads, want %d",
                     thread_cases[i].env ? thread_cases[i].env : "(unset)", pool_threads(), want);
    }
}

/* A held core: the items of a run block until four are in flight at once,
 * so a run of four threads finishes only when all four work. */
typedef struct flight {
    atomic_int in_flight; /* items entered */
    atomic_int most;      /* the most in flight at once */
} flight;

static void until_four(void *ctx, size_t i)
{
    (void)i;
    flight *f = ctx;
    int now = atomic_fetch_add(&f->in_flight, 1) + 1;
    for (int most = atomic_load(&f->most); now > most;)
        if (atomic_compare_exchange_weak(&f->most, &most, now))
            break;
    while (atomic_load(&f->in_flight) < 4)
        sched_yield();
}

static void *run_four(void *ctx)
{
    pool_run(4, until_four, ctx);
    return NULL;
}

/* With this thread holding a core, runs four items on another thread:
 * three work and the fourth waits for the held core (without the hold all
 * four would be in flight); then lets go, and the waiting worker takes the
 * core back, so the run ends with all four in flight at once. */
static void held_run_waits_then_ends(void)
{
    cr_assert_eq(setenv("CHARTER_THREADS", "4", 1), 0);
    flight f;
    atomic_init(&f.in_flight, 0);
    atomic_init(&f.most, 0);
    pool_hold();
    pthread_t runner;
    cr_assert_eq(pthread_create(&runner, NULL, run_four, &f), 0);
    while (!(atomic_load(&f.in_flight) == 3 && pool_waiting() == 1) &&
           atomic_load(&f.in_flight) < 4)
        sched_yield();
    cr_expect_eq(atomic_load(&f.in_flight), 3);
    cr_expect_eq(pool_waiting(), 1);
    pool_unhold();
    cr_assert_eq(pthread_join(runner, NULL), 0);
    cr_expect_eq(atomic_load(&f.most), 4);
    cr_expect_eq(pool_waiting(), 0);
}

Test(pool, a_held_core_waits_for_its_holder, .timeout = 10)
{
    held_run_waits_then_ends();
}

Test(pool, a_holder_runs_on_every_thread, .timeout = 10)
{
    cr_assert_eq(setenv("CHARTER_THREADS", "4", 1), 0);
    flight f;
    atomic_init(&f.in_flight, 0);
    atomic_init(&f.most, 0);
    pool_hold();
    pool_run(4, until_four, &f); /* waits forever on three threads */
    pool_unhold();
    cr_expect_eq(atomic_load(&f.most), 4);
}

/* Held once after two unholds without a hold, the core is still held for
 * another's run. */
Test(pool, unhold_without_a_hold_changes_nothing, .timeout = 10)
{
    pool_unhold();
    pool_unhold();
    held_run_waits_then_ends();
}
