/* unit.h: helpers shared by the Criterion unit tests: capture the text a
 * diags sink would print, so tests assert exact messages and locations. */
#ifndef CHARTER_UNIT_H
#define CHARTER_UNIT_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"

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
                   e[i].level == DIAG_ERROR ? "error" : e[i].level == DIAG_WARNING ? "warning" : "note",
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
