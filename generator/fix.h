/* fix: the machine-applicable fix-its of `charter fix`, as data. Each fix is
 * an edit of one file: a byte range and the bytes that replace it, computed
 * from what the checks already found (heading-without-space,
 * link-without-scheme) or from an explicit request (a review recorded, the
 * site's key aliases renamed). Applying the edits, and the unified diff of
 * --dry-run, are pure functions of texts; cmd_fix.c reads and writes files
 * (docs/editing.md, "Fixing findings"). */
#ifndef CHARTER_FIX_H
#define CHARTER_FIX_H

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "frontmatter.h"

#include <stddef.h>

struct site;
struct parsed;

/* One edit: text[start, end) of a file becomes `text`. */
typedef struct fix_edit {
    size_t start, end;
    char *text;     /* owned */
    const char *id; /* what it fixes: a check id, "last_reviewed" or "canonical-key" (static) */
    int line;       /* of start, 1-based, for messages */
} fix_edit;

/* A growable list of edits (of one file, or of a site: see fix_site). */
typedef struct fix_edits {
    fix_edit *v;
    size_t n, cap;
} fix_edits;

void fix_edits_init(fix_edits *e);
/* Frees every edit's text and the array; accepts a zeroed list. */
void fix_edits_release(fix_edits *e);
/* Adds an edit (text[0..len) copied). */
void fix_edits_add(fix_edits *e, size_t start, size_t end, const char *text, size_t len,
                   const char *id, int line);

/* --- edits of one page's text ---------------------------------------------------
 * Each takes the whole file text[0..len) (byte order mark, front matter and
 * CRLF line ends included, as on disk) and adds its edits to out. Lines are
 * 1-based; columns are counted in characters, as charter's findings count
 * them. Each returns the number of edits added (0 when the text at the
 * place is not what the finding says: nothing is guessed). The front
 * matter ones read it as site_load does, with `lim` (the site's limits and
 * fenceless_front_matter; NULL: none). */

/* heading-without-space at line:col (the first '#'): a space after the
 * hashes, `#Foreword` -> `# Foreword`. */
size_t fix_heading_space(fix_edits *out, const char *text, size_t len, int line, int col);
/* link-without-scheme for the link that starts at line:col with destination
 * url: "https://" before the destination, where it is written inline after
 * the link's text, `[x](www.example.com)` or `[x](<www.example.com>)`, in
 * the same paragraph. A reference definition (`[x]: www.example.com`), or a
 * destination written with escapes or entities, is left alone. */
size_t fix_link_scheme(fix_edits *out, const char *text, size_t len, int line, int col,
                       const char *url);
/* Sets the review date: the value of `last_reviewed` (else of the first of
 * the site's aliases for it, keys[0..n_keys)) becomes date (YYYY-MM-DD),
 * inside its quotes if it has them, its comment and the rest of the line
 * kept. A front matter without the key gets `last_reviewed: date` as its
 * last line; a page without front matter gets one holding only that key.
 * Line ends follow the file's. Returns the number of edits added (0 when
 * the value is already date), or -1 after reporting (through d, at file) a
 * front matter that does not read, or a value that is not one line of
 * text (a list, a block scalar). */
long fix_review_date(fix_edits *out, const char *text, size_t len, const char *file,
                     const fm_limits *lim, const key_alias *keys, size_t n_keys, const char *date,
                     diags *d);
/* Renames each top-level front matter key that is one of the site's aliases
 * (keys[0..n_keys), site.yml `keys:`) to its canonical name, inside its
 * quotes if it has them; the value, comments and the rest of the line are
 * kept. An alias whose canonical key the page also sets is left alone,
 * with a warning (the page's own key wins, and two would be a duplicate).
 * Returns the number of edits added, or -1 after reporting a front matter
 * that does not read. */
long fix_canonical_keys(fix_edits *out, const char *text, size_t len, const char *file,
                        const fm_limits *lim, const key_alias *keys, size_t n_keys, diags *d);

/* --- applying ------------------------------------------------------------------ */

/* Sorts the edits of one file by offset, drops exact duplicates (one link
 * reported twice) and every edit that overlaps one before it (with a
 * warning at file and its line, id fix). Returns the number left. */
size_t fix_edits_normalize(fix_edits *e, const char *file, diags *d);
/* Appends text[0..len) with the normalized edits e applied, from the last
 * offset to the first, so each range is read in the original text. */
void fix_apply(buf *out, const char *text, size_t len, const fix_edits *e);
/* Appends the unified diff of old_text (the file's normalized edits e not
 * applied) against it with them, as `diff -u` prints it: `--- a/<name>`,
 * `+++ b/<name>`, hunks with three lines of context, and "\ No newline at
 * end of file" where a last line has none. Nothing for no edits. */
void fix_diff(buf *out, const char *name, const char *text, size_t len, const fix_edits *e);

/* --- a site -------------------------------------------------------------------- */

/* What fix_site computes, and for which pages. */
typedef struct fix_options {
    const char *reviewed;    /* YYYY-MM-DD: set last_reviewed of the selected pages; NULL: no */
    int canonical_keys;      /* rename the site's key aliases */
    const char *const *only; /* page sources ("content/x.md") to fix, NULL-terminated; NULL: all */
} fix_options;

/* The edits of one file, for fix_site's result. */
typedef struct fix_file {
    size_t page; /* index into site.pages */
    fix_edits edits;
} fix_file;

/* Computes every fix for the pages of s: heading-without-space and
 * link-without-scheme where `findings` (what parse_site and checks_run
 * reported, after checks_tune) report them, and the requested ones.
 * Returns a new array of *n files with at least one edit each, normalized,
 * in page order (caller frees with fix_files_free; NULL when *n is 0). A
 * page whose front matter cannot take a requested edit is reported through
 * d, skipped for that edit, and sets *failed. */
fix_file *fix_site(size_t *n, int *failed, const struct site *s, const struct parsed *pp,
                   const diags *findings, const fix_options *opt, diags *d);
void fix_files_free(fix_file *f, size_t n);

#endif
