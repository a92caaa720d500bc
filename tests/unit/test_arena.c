/* test_arena: pieces are zeroed (but those asked for uninitialised),
 * aligned for any type (text copied at any byte between them), distinct and keep their bytes while
 * thousands more (and pieces larger than a block) are handed out; string copies; freeing NULL.
 * Under AddressSanitizer (test-san) every piece is its own allocation, so an overrun here would be
 * caught. */
#include "unit.h"

#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

Test(arena, pieces_are_zeroed_aligned_and_kept)
{
    arena *a = arena_new();
    enum { N = 5000 };
    static unsigned char *piece[N];
    static size_t size[N];
    for (size_t i = 0; i < N; i++) {
        /* Sizes from 0 up to past a block, the large ones now and then. */
        size[i] = i % 97 == 0 ? 70000 + i : (i * 37) % 300;
        if (i % 3 == 0) {
            /* Text in between, at any byte: the next piece is aligned still. */
            char *t = arena_strndup(a, "odd", i % 4);
            cr_expect_eq(strlen(t), i % 4);
        }
        /* Every fifth piece uninitialised, written whole at once (as a
         * dictionary's value): the zeroed pieces after it are zeroed still. */
        int uninit = i % 5 == 0;
        piece[i] = uninit ? arena_alloc_uninit(a, size[i]) : arena_alloc(a, size[i]);
        cr_assert_not_null(piece[i]);
        cr_expect_eq((uintptr_t)piece[i] % alignof(max_align_t), 0, "piece %zu unaligned", i);
        for (size_t k = 0; !uninit && k < size[i]; k++)
            if (piece[i][k] != 0) {
                cr_expect_fail("piece %zu not zeroed at %zu", i, k);
                break;
            }
        memset(piece[i], (int)(i & 0xff), size[i]);
    }
    for (size_t i = 0; i < N; i++)
        for (size_t k = 0; k < size[i]; k++)
            if (piece[i][k] != (unsigned char)(i & 0xff)) {
                cr_expect_fail("piece %zu overwritten at %zu", i, k);
                break;
            }
    arena_free(a);
    arena_free(NULL);
}

Test(arena, strndup_copies_and_terminates)
{
    arena *a = arena_new();
    const char *text = "ENTRY_TITLE and more";
    char *s = arena_strndup(a, text, 11);
    cr_expect_str_eq(s, "ENTRY_TITLE");
    cr_expect_neq(s, text);
    char *empty = arena_strndup(a, text, 0);
    cr_expect_str_eq(empty, "");
    arena_free(a);
}

/* An arena reset serves a loop of short-lived trees (a section made as it
 * renders): what it hands out after each reset is zeroed, aligned and kept
 * as before, a piece comes again from the block it kept (the same address
 * after a reset as before it), and the blocks it let go are freed
 * (LeakSanitizer, under test-san, sees no leak). */
Test(arena, reset_hands_out_again)
{
    arena *a = arena_new();
    arena_reset(a); /* an empty arena: nothing to take back */
    for (size_t round = 0; round < 200; round++) {
        enum { N = 300 };
        unsigned char *piece[N];
        size_t size[N];
        for (size_t i = 0; i < N; i++) {
            size[i] = (i + round) % 53 == 0 ? 20000 + round : (i * 31 + round) % 200;
            piece[i] = arena_alloc(a, size[i]);
            cr_assert_eq((uintptr_t)piece[i] % alignof(max_align_t), 0);
            for (size_t k = 0; k < size[i]; k++)
                cr_assert_eq(piece[i][k], 0, "round %zu, piece %zu not zeroed at %zu", round, i, k);
            memset(piece[i], (int)((i + round) & 0xff), size[i]);
        }
        for (size_t i = 0; i < N; i++)
            for (size_t k = 0; k < size[i]; k++)
                cr_assert_eq(piece[i][k], (unsigned char)((i + round) & 0xff),
                             "round %zu, piece %zu overwritten at %zu", round, i, k);
        arena_reset(a);
        unsigned char *first = arena_alloc(a, 16);
        arena_reset(a);
        unsigned char *again = arena_alloc(a, 16);
#ifdef __SANITIZE_ADDRESS__
        (void)first; /* each piece its own allocation */
#else
        cr_expect_eq(again, first, "round %zu: the kept block not reused", round);
#endif
        cr_expect_eq(again[0], 0);
        arena_reset(a);
    }
    arena_free(a);
    arena_reset(NULL);
}
