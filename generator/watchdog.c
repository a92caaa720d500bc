/* watchdog: deadlines for steps on any thread, checked by one thread that
 * sleeps until the nearest deadline (see watchdog.h). Entering and leaving a
 * step costs a mutex and no system call: the thread is woken only by a
 * deadline nearer than the one it sleeps until. */
#include "watchdog.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { SLOTS = 64 };

typedef struct slot {
    int used;
    struct timespec deadline;
    const char *file, *what, *setting;
    long seconds;
} slot;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    int running, stopping;
    struct timespec sleeps_until; /* the thread's next look ({0, 0}: not asleep) */
    const char *outcome;          /* what the message adds: "nothing was published" */
    slot slots[SLOTS];
    void (*cleanup)(void *ctx);
    void *ctx;
} wd = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static int before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Prints the error for slot s and ends the process. Called with the lock
 * held; never returns. */
static void expire(const slot *s)
{
    char msg[1024];
    int n = snprintf(msg, sizeof msg,
                     "%s: error: %s took longer than %ld s (%s); stopped%s%s (docs/security.md) "
                     "[time-limit]\n",
                     s->file ? s->file : "charter", s->what, s->seconds, s->setting,
                     wd.outcome ? ", " : "", wd.outcome ? wd.outcome : "");
    /* Names come from the site: keep terminal escapes out. */
    for (int i = 0; i < n && i < (int)sizeof msg - 1; i++)
        if ((unsigned char)msg[i] < 0x20 && msg[i] != '\n')
            msg[i] = '?';
    fflush(stdout);
    fputs(msg, stderr);
    fflush(stderr);
    if (wd.cleanup)
        wd.cleanup(wd.ctx);
    _exit(2);
}

static void *run(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&wd.lock);
    while (!wd.stopping) {
        struct timespec now, next = {0, 0};
        clock_gettime(CLOCK_MONOTONIC, &now);
        int any = 0;
        for (int i = 0; i < SLOTS; i++) {
            const slot *s = &wd.slots[i];
            if (!s->used)
                continue;
            if (!before(&now, &s->deadline))
                expire(s);
            if (!any || before(&s->deadline, &next))
                next = s->deadline;
            any = 1;
        }
        if (!any) {
            /* Nothing timed: wait for a step to start. */
            next = now;
            next.tv_sec += 3600;
        }
        wd.sleeps_until = next;
        pthread_cond_timedwait(&wd.wake, &wd.lock, &next);
        wd.sleeps_until = (struct timespec){0, 0};
    }
    pthread_mutex_unlock(&wd.lock);
    return NULL;
}

void watchdog_start(void (*cleanup)(void *ctx), void *ctx, const char *outcome)
{
    pthread_mutex_lock(&wd.lock);
    wd.cleanup = cleanup;
    wd.ctx = ctx;
    wd.outcome = outcome;
    if (!wd.running) {
        pthread_condattr_t attr;
        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        pthread_cond_destroy(&wd.wake);
        pthread_cond_init(&wd.wake, &attr);
        pthread_condattr_destroy(&attr);
        wd.stopping = 0;
        wd.running = pthread_create(&wd.thread, NULL, run, NULL) == 0;
    }
    pthread_mutex_unlock(&wd.lock);
}

void watchdog_set_cleanup(void (*cleanup)(void *ctx), void *ctx)
{
    pthread_mutex_lock(&wd.lock);
    wd.cleanup = cleanup;
    wd.ctx = ctx;
    pthread_mutex_unlock(&wd.lock);
}

int watchdog_enter(const char *file, const char *what, long seconds, const char *setting)
{
    int token = -1;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    pthread_mutex_lock(&wd.lock);
    for (int i = 0; wd.running && i < SLOTS && token < 0; i++) {
        if (wd.slots[i].used)
            continue;
        slot *s = &wd.slots[i];
        *s = (slot){1, now, file, what, setting, seconds};
        s->deadline.tv_sec += seconds;
        token = i;
        /* A step of the same limit as those before it ends later than
         * they do: the thread's wake-up stands (10,000 pages' parse used
         * to wake it 10,000 times). */
        if (before(&s->deadline, &wd.sleeps_until))
            pthread_cond_signal(&wd.wake);
    }
    pthread_mutex_unlock(&wd.lock);
    return token;
}

void watchdog_leave(int token)
{
    if (token < 0 || token >= SLOTS)
        return;
    pthread_mutex_lock(&wd.lock);
    wd.slots[token].used = 0;
    pthread_mutex_unlock(&wd.lock);
}

void watchdog_stop(void)
{
    pthread_mutex_lock(&wd.lock);
    int running = wd.running;
    wd.stopping = 1;
    wd.running = 0;
    wd.cleanup = NULL;
    pthread_cond_signal(&wd.wake);
    pthread_mutex_unlock(&wd.lock);
    if (running)
        pthread_join(wd.thread, NULL);
}
