/* arena: blocks of growing size (4 KB, doubling to 64 KB), each holding
 * pieces in order; a piece larger than a quarter block gets a block of its
 * own. Under AddressSanitizer every piece is its own allocation instead. */
#include "arena.h"

#include "buf.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_EACH_PIECE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_EACH_PIECE 1
#endif
#endif

enum { FIRST_BLOCK = 4096, LAST_BLOCK = 65536 };

typedef struct block {
    struct block *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
} block;

struct arena {
    block *head; /* the block being filled first, then the full ones */
    size_t next_size;
};

arena *arena_new(void)
{
    arena *a = xcalloc(1, sizeof *a);
    a->next_size = FIRST_BLOCK;
    return a;
}

void arena_free(arena *a)
{
    if (!a)
        return;
    for (block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void arena_reset(arena *a)
{
    if (!a || !a->head)
        return;
#ifdef ARENA_EACH_PIECE
    block *keep = NULL;
#else
    block *keep = a->head;
    keep->used = 0;
#endif
    for (block *b = keep ? keep->next : a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    if (keep)
        keep->next = NULL;
    a->head = keep;
}

static block *block_new(size_t size)
{
    block *b = xmalloc(sizeof *b + size);
    b->used = 0;
    b->size = size;
    return b;
}

/* n bytes at a multiple of align (a power of two, at most max_align_t's),
 * uninitialised. */
static void *alloc_raw(arena *a, size_t n, size_t align)
{
#ifdef ARENA_EACH_PIECE
    (void)align;
    block *own = block_new(n ? n : 1);
    own->next = a->head;
    a->head = own;
    return own->data;
#else
    block *b = a->head;
    size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
    if (!b || at > b->size || b->size - at < n) {
        if (n > a->next_size / 4) {
            /* Its own block, behind the current one, which stays first. */
            block *own = block_new(n ? n : 1);
            own->used = n;
            if (b) {
                own->next = b->next;
                b->next = own;
            } else {
                own->next = NULL;
                a->head = own;
            }
            return own->data;
        }
        b = block_new(a->next_size);
        b->next = a->head;
        a->head = b;
        if (a->next_size < LAST_BLOCK)
            a->next_size *= 2;
        at = 0;
    }
    b->used = at + n;
    return b->data + at;
#endif
}

void *arena_alloc(arena *a, size_t n)
{
    void *p = alloc_raw(a, n, alignof(max_align_t));
    memset(p, 0, n);
    return p;
}

void *arena_alloc_uninit(arena *a, size_t n)
{
    return alloc_raw(a, n, alignof(max_align_t));
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
    /* Text, written whole: no alignment, nothing to zero first. */
    char *p = alloc_raw(a, len + 1, 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}
