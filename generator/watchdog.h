/* watchdog: bounds the time one input may cost. Some library calls cannot be
 * interrupted (libgit2 1.5 spins in inflate on a truncated object,
 * libgit2#7342; Debian's cmark-gfm is quadratic on inputs its newer releases
 * fixed): a watchdog thread notices a step past its deadline, prints an
 * error naming the input, runs the cleanup the command registered (removing
 * the unfinished output) and ends the process with exit status 2. It is
 * process-wide, like the signal handlers it stands in for. */
#ifndef CHARTER_WATCHDOG_H
#define CHARTER_WATCHDOG_H

/* Starts the watchdog thread (once; later calls only replace the cleanup).
 * `cleanup` (may be NULL) runs on the watchdog's thread before the process
 * exits; `outcome` (may be NULL) ends the message: "nothing was published". */
void watchdog_start(void (*cleanup)(void *ctx), void *ctx, const char *outcome);
/* Replaces the cleanup; thread-safe. */
void watchdog_set_cleanup(void (*cleanup)(void *ctx), void *ctx);
/* Times a step on the calling thread. `file` (may be NULL) names the input,
 * `what` the step ("its Markdown", "reading the git history"), `setting`
 * the limit ("limits.page_seconds"). Returns a token for watchdog_leave,
 * or -1 when no slot is free or the watchdog is not running (the step is
 * then not timed). */
int watchdog_enter(const char *file, const char *what, long seconds, const char *setting);
void watchdog_leave(int token);
/* Stops the thread; accepts being called when it never started. */
void watchdog_stop(void);

#endif
