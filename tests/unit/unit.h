/* unit.h: helpers shared by the Criterion unit tests: capture the text a
 * diags sink would print, so tests assert exact messages and locations, and
 * write, make and remove the small temporary sites many tests build. */
#ifndef CHARTER_UNIT_H
#define CHARTER_UNIT_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fs.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The next number of a xorshift64 sequence from *seed (nonzero): the
 * generated inputs of the tests that compare two implementations, the same
 * on every run. */
static inline unsigned long long unit_next(unsigned long long *seed)
{
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    return *seed;
}

/* A generated text into out (reset first): fewer than `most` of the n
 * parts, picked with unit_next. */
static inline void unit_pick_text(buf *out, unsigned long long *seed, const char *const *parts,
                                  size_t n, size_t most)
{
    buf_reset(out);
    for (size_t k = unit_next(seed) % most; k > 0; k--)
        buf_adds(out, parts[unit_next(seed) % n]);
}

/* Writes text to dir/rel, creating the directories on the way; fails the
 * test when it cannot. */
static inline void unit_put(const char *dir, const char *rel, const char *text)
{
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/%s", dir, rel);
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_write(p.data, text, strlen(text), d), 0, "cannot write '%s'", p.data);
    diag_free(d);
    buf_release(&p);
}

/* Makes a new directory /tmp/charter-<name>-XXXXXX and writes its real path
 * (no symbolic link on the way) to out, of `size` bytes; fails the test
 * when it cannot. */
static inline void unit_mkdtemp(char *out, size_t size, const char *name)
{
    char tmpl[128];
    snprintf(tmpl, sizeof tmpl, "/tmp/charter-%s-XXXXXX", name);
    cr_assert_not_null(mkdtemp(tmpl), "cannot create '%s'", tmpl);
    char *real = realpath(tmpl, NULL);
    cr_assert(real && strlen(real) < size, "cannot resolve '%s'", tmpl);
    memcpy(out, real, strlen(real) + 1);
    free(real);
}

/* Removes dir and everything under it (a test's temporary site). */
static inline void unit_remove(const char *dir)
{
    diags *d = diag_new(NULL);
    fs_remove_tree(dir, d);
    diag_free(d);
}

/* Returns every diagnostic in d as "file:line:col: level: message [id]\n"
 * lines (no source excerpt); caller frees. */
static inline char *unit_diag_text(diags *d)
{
    buf out;
    buf_init(&out);
    size_t n;
    diag_sort(d);
    const diag_entry *e = diag_entries(d, &n);
    for (size_t i = 0; i < n; i++) {
        buf_printf(&out, "%s:%d:%d: %s: %s [%s]\n", e[i].file ? e[i].file : "-", e[i].line,
                   e[i].col,
                   e[i].level == DIAG_ERROR     ? "error"
                   : e[i].level == DIAG_WARNING ? "warning"
                                                : "note",
                   e[i].message, e[i].id);
    }
    return buf_detach(&out);
}

#define cr_assert_diag(d, expected)                                                                \
    do {                                                                                           \
        char *got_ = unit_diag_text(d);                                                            \
        cr_assert_str_eq(got_, (expected));                                                        \
        free(got_);                                                                                \
    } while (0)

#endif
