/* arena: memory handed out in order from large blocks and given back all
 * at once. A template dictionary tree (tens of thousands of small names,
 * values and child dictionaries per page) is built and freed as one; from
 * an arena that costs a pointer bump per piece instead of a malloc. */
#ifndef CHARTER_ARENA_H
#define CHARTER_ARENA_H

#include <stddef.h>

typedef struct arena arena;

/* A new, empty arena; the caller frees it with arena_free. */
arena *arena_new(void);
/* Frees everything the arena handed out, and the arena. NULL is allowed. */
void arena_free(arena *a);
/* Takes back everything the arena handed out, keeping its last block for
 * what it hands out next: one arena serves a loop of short-lived trees.
 * NULL is allowed. */
void arena_reset(arena *a);
/* n bytes, aligned for any type, zeroed, owned by the arena (never NULL:
 * out of memory aborts, as xmalloc). Under AddressSanitizer each piece is a
 * malloc of its own, so that overruns are still caught. */
void *arena_alloc(arena *a, size_t n);
/* As arena_alloc, not zeroed: for a piece the caller writes whole (a value
 * and its copied text), where zeroing first would write it twice. */
void *arena_alloc_uninit(arena *a, size_t n);
/* A NUL-terminated copy of s[0..len) in the arena. */
char *arena_strndup(arena *a, const char *s, size_t len);

#endif
