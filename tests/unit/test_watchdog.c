/* Unit tests for the watchdog: the thread sleeps until the nearest deadline
 * and is woken only when a step with a nearer one begins, so a short step
 * that starts while a long one runs is still stopped at its own deadline.
 * The process ends with status 2 when a deadline passes; each test runs in
 * Criterion's own child process. */
#include "unit.h"

#include "watchdog.h"

#include <time.h>

/* Keeps the CPU busy for up to `seconds` (a step that never returns). */
static void spin(int seconds)
{
    for (time_t end = time(NULL) + seconds; time(NULL) < end;)
        ;
}

/* A deadline nearer than the one the thread sleeps until wakes it: the
 * inner step is stopped after about a second, not after the outer hour. */
Test(watchdog, nearer_deadline_wakes_the_thread, .exit_code = 2)
{
    watchdog_start(NULL, NULL, NULL);
    int outer = watchdog_enter("outer.md", "the outer step", 3600, "limits.outer_seconds");
    cr_assert_geq(outer, 0);
    /* Time for the thread to go to sleep until the outer deadline. */
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL);
    int inner = watchdog_enter("inner.md", "the inner step", 1, "limits.inner_seconds");
    cr_assert_geq(inner, 0);
    spin(20);
    watchdog_leave(inner);
    watchdog_leave(outer);
    exit(0); /* the watchdog slept through the inner deadline */
}

/* Steps of the same limit, one after another, are each timed: the last
 * one, which never ends, is stopped. */
Test(watchdog, later_steps_are_still_timed, .exit_code = 2)
{
    watchdog_start(NULL, NULL, NULL);
    for (int i = 0; i < 1000; i++) {
        int t = watchdog_enter("page.md", "its Markdown", 1, "limits.page_seconds");
        cr_assert_geq(t, 0);
        watchdog_leave(t);
    }
    cr_assert_geq(watchdog_enter("last.md", "its Markdown", 1, "limits.page_seconds"), 0);
    spin(20);
    exit(0);
}

/* Steps that end in time end nothing. */
Test(watchdog, steps_in_time_pass)
{
    watchdog_start(NULL, NULL, NULL);
    for (int i = 0; i < 1000; i++) {
        int t = watchdog_enter("page.md", "its Markdown", 5, "limits.page_seconds");
        cr_assert_geq(t, 0);
        watchdog_leave(t);
    }
    watchdog_stop();
}
