/* diag: the one diagnostics sink every stage reports through. A diagnostic has
 * a severity, a location (file relative to the site root, 1-based line and
 * column counted in characters, 0 when unknown), a stable check id and a
 * message. Adding is thread-safe; printing sorts by location so output is
 * deterministic, and names files from the working directory. */
#ifndef CHARTER_DIAG_H
#define CHARTER_DIAG_H

#include "buf.h"

#include <stddef.h>
#include <stdio.h>

typedef enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_level;

typedef struct diag_entry {
    diag_level level;
    char *file; /* NULL when the message concerns no file */
    int line;   /* 0 when unknown */
    int col;    /* 0 when unknown */
    char *id;
    char *message;
} diag_entry;

typedef struct diags diags;

/* Returns a new sink; `root` is the directory that diagnostic file names are
 * relative to (used to show source lines), may be NULL for the cwd. Caller
 * frees with diag_free. */
diags *diag_new(const char *root);
void diag_free(diags *d);
/* Reads the source lines printed under entries from dir (NULL: the root)
 * while they keep naming files relative to the root: under --at the files
 * are a commit's, written to a scratch folder. */
void diag_set_sources(diags *d, const char *dir);

/* Records a diagnostic. Always returns -1 so that `return diag_error(...)`
 * reads as the failing exit of a function. */
int diag_report(diags *d, diag_level level, const char *file, int line, int col, const char *id,
                const char *fmt, ...) __attribute__((format(printf, 7, 8)));
int diag_error(diags *d, const char *file, int line, int col, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void diag_warning(diags *d, const char *file, int line, int col, const char *id, const char *fmt,
                  ...) __attribute__((format(printf, 6, 7)));

/* When text[0..len) is not valid UTF-8 or holds a NUL byte, or a control
 * character HTML does not allow in text (text_first_flaw): reports the
 * first bad byte at its line and column, text's first line being
 * first_line ("invalid UTF-8 byte 0xff" or "NUL byte in text", error
 * invalid-utf8), and the first control character (U+000B, warning
 * control-character, with how many more there are), each once per text,
 * which a binary file would otherwise flood; appends to clean the text with each bad byte made
 * U+FFFD, each vertical tab a space and each other control character
 * U+FFFD, and returns 1. Returns 0
 * when the text has neither (clean untouched). */
int diag_check_text(buf *clean, const char *text, size_t len, const char *file, int first_line,
                    diags *d);

/* Moves every entry of `from` to the end of `to`, leaving `from` empty:
 * a stage that reported into a sink of its own hands its findings on
 * (or drops them, freeing its sink instead). Thread-safe for both. */
void diag_move(diags *to, diags *from);
/* Appends a copy of each entry of `from` to `to` (from unchanged): a
 * stage's findings kept to be reported again by a later build that does
 * not run it (charter serve's kept site). */
void diag_copy(diags *to, const diags *from);
/* The edit distance of a and b for "did you mean" suggestions: insertions,
 * deletions, substitutions and swaps of two neighbours each count 1
 * ("titel" is 1 from "title"). Capped: cap + 1 when over cap, and for a b
 * of 64 bytes or more. */
size_t diag_edit_distance(const char *a, const char *b, size_t cap);
/* Of cands[0..n), the one nearest to word within cap (diag_edit_distance),
 * the first of equals; NULL when none is. */
const char *diag_nearest(const char *word, const char *const *cands, size_t n, size_t cap);

/* Re-levels every entry: level_for returns the entry's new level, or -1 to
 * drop it (check tuning: `checks:` in site.yml, `ignore:` in front matter).
 * Not thread-safe: call when no stage is reporting. */
void diag_retune(diags *d, int (*level_for)(void *ctx, const diag_entry *e), void *ctx);

size_t diag_count(const diags *d, diag_level level);
/* How many entries of that level carry the id ("io"). */
size_t diag_count_id(const diags *d, diag_level level, const char *id);
/* Sorts the entries by file, line, column, then message (stable). */
void diag_sort(diags *d);
/* Borrowed view of the entries, valid until the next diag_report. */
const diag_entry *diag_entries(const diags *d, size_t *count);

/* Reports name files from the current working directory, not from the
 * root (docs/ci.md), while the entries keep their root-relative names.
 * diag_shown_root returns the root as seen from the cwd, clean (path_clean):
 * "." for a NULL root or the cwd itself, "policies", "../policies"; an
 * absolute root is made relative when it is the cwd or below it (as
 * written or with its symbolic links resolved) and stays absolute
 * otherwise. Returns a new string; caller frees. */
char *diag_shown_root(const diags *d);
/* Appends the name reports give `file` (an entry's, relative to the root):
 * shown_root (from diag_shown_root) joined with it and cleaned; an absolute
 * name or an embedded file's (EMBED_SHOWN) as it is. */
void diag_shown_file(buf *out, const char *shown_root, const char *file);
/* 1 when `file` (an entry's) names one of charter's own embedded files
 * (EMBED_SHOWN, "(embedded)/layouts/handbook.html"), which is no file of
 * the site or its repository; else 0 (NULL too). */
int diag_file_embedded(const char *file);

/* Prints every entry as `file:line:col: level: message [id]`, followed by the
 * source line and a caret when the location has one, files named as
 * diag_shown_file names them. `color` adds ANSI colour. Sorts first. */
void diag_print_text(diags *d, FILE *out, int color);

/* Appends s[0..len) safe to print on a terminal: control characters (C0,
 * DEL, C1) and bytes that are not UTF-8 become "\x1b"-style escapes, so no
 * text from a site can move the cursor, recolour or retitle the terminal.
 * Tabs are kept. */
void diag_term_safe(buf *out, const char *s, size_t len);

#endif
