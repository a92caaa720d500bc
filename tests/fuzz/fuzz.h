/* fuzz.h: what the fuzz targets share. FUZZ_CHECK is an assert that NDEBUG
 * cannot turn off: a broken invariant prints where and aborts, which both
 * libFuzzer and tests/fuzz/replay.c report as a crash of that input.
 * fuzz_check_positions: diagnostics point into the text they are about. */
#ifndef CHARTER_FUZZ_H
#define CHARTER_FUZZ_H

#include "diag.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond);      \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks that every diagnostic about `file` (matched by the end of its name)
 * points inside text[0..len), whose first line is line 1 + line_offset:
 * line and column 0 (unknown) or within the text. Upper bounds: lines count
 * every byte that is or ends a line break for some parser (LF, CR, and the
 * last bytes of NEL, LS and PS for libyaml), plus one, as libyaml reports
 * an error at the end of the input on the line after it; columns are
 * within the longest LF-terminated line. */
static inline void fuzz_check_positions(diags *d, const char *file, const char *text, size_t len,
                                        long line_offset)
{
    size_t lines = 2, widest = 0, run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        lines += c == '\n' || c == '\r' || c == 0x85 || c == 0xA8 || c == 0xA9;
        run = c == '\n' ? 0 : run + 1;
        if (run > widest)
            widest = run;
    }
    size_t n, flen = strlen(file);
    const diag_entry *e = diag_entries(d, &n);
    for (size_t i = 0; i < n; i++) {
        size_t elen = e[i].file ? strlen(e[i].file) : 0;
        if (elen < flen || strcmp(e[i].file + elen - flen, file) != 0)
            continue;
        if (e[i].line < 0 || e[i].col < 0 || (long)e[i].line > (long)lines + line_offset ||
            (size_t)e[i].col > widest + 2) {
            fprintf(stderr, "diagnostic outside its text (%zu lines, widest %zu): %s:%d:%d: %s\n",
                    lines, widest, e[i].file, e[i].line, e[i].col, e[i].message);
            FUZZ_CHECK(!"diagnostic outside its text");
        }
    }
}

/* With FUZZ_DEBUG set, prints the diagnostics (without source lines: those
 * would come from whatever file of that name the current directory has). */
static inline void fuzz_debug_diags(diags *d)
{
    if (!getenv("FUZZ_DEBUG"))
        return;
    size_t n;
    diag_sort(d);
    const diag_entry *e = diag_entries(d, &n);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "%s:%d:%d: %s [%s]\n", e[i].file ? e[i].file : "-", e[i].line, e[i].col,
                e[i].message, e[i].id);
}

#endif
