/* pool: runs independent per-item work on all cores. The pipeline's per-page
 * stages (parse, render, write) are embarrassingly parallel; this is the one
 * place that starts threads. */
#ifndef CHARTER_POOL_H
#define CHARTER_POOL_H

#include <stddef.h>

/* Calls fn(ctx, i) for every i in [0, n), from up to pool_threads() threads.
 * Items are handed out in order from a shared counter, so uneven pages
 * balance. fn must only touch item i's data and thread-safe sinks (diags). */
void pool_run(size_t n, void (*fn)(void *ctx, size_t i), void *ctx);
/* Threads pool_run uses: the online CPUs, capped at 16; CHARTER_THREADS
 * overrides (1 runs everything on the calling thread). */
int pool_threads(void);
/* The calling thread, running beside the pool on the critical path, holds
 * a core: until it calls pool_unhold, runs of the pool from other threads
 * use one thread fewer (their caller always works). Its own runs use them
 * all. pool_unhold without a hold by the calling thread does nothing. */
void pool_hold(void);
void pool_unhold(void);
/* The workers of runs under way that wait for a held core now. */
int pool_waiting(void);

#endif
