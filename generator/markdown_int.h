/* markdown_int: what markdown.c and markdown_rewrite.c share (the markdown
 * module's private types); nothing else includes it but the unit tests. A
 * body may be rewritten before cmark-gfm parses it (Liquid tags of a Jekyll
 * site, kramdown's spaceless headings); the rewrite keeps a map from the
 * rewritten text back to the source, so diagnostics point at what was written. */
#ifndef CHARTER_MARKDOWN_INT_H
#define CHARTER_MARKDOWN_INT_H

#include "buf.h"
#include "markdown.h"

#include <stddef.h>

/* Which of the other generators' block and inline syntaxes a body may
 * hold, found in one pass over its bytes (md_scan_markers): each a byte
 * sequence whose absence proves the syntax absent, so a page without any
 * (nearly all) skips their passes. */
typedef struct md_markers {
    int conflicts; /* "<<<<<<<" */
    int attrs;     /* "){" */
    int boxes;     /* ":::" at the start, after a newline or a space */
    int mkboxes;   /* "!!! ", "??? ", "???+ " */
    int mktabs;    /* "=== \"", "===! \"", "===+ \"" */
    int snippets;  /* "--8<--" */
    int helpers;   /* "!> " or "?> " at a line's start */
    int mdx;       /* a slash and a star, or "import " or "export " at a line's start */
    int wiki;      /* "[[" */
    int pct;       /* "%%" */
    int toc;       /* "toc]", "TOC]", "toc_]", "TOC_]" */
    int alerts;    /* "[!" */
    int refs;      /* "&#" */
    int fnbreaks;  /* "[^" then a line break before "]" */
} md_markers;

void md_scan_markers(md_markers *m, const char *text, size_t len);

/* Bytes [start, end) of a body. */
typedef struct md_range {
    size_t start, end;
} md_range;

typedef struct md_ranges {
    md_range *v;
    size_t n, cap;
} md_ranges;

void md_ranges_add(md_ranges *r, size_t start, size_t end);
/* Frees the array; accepts NULL. */
void md_ranges_release(md_ranges *r);

/* One edit: source bytes [start, end) become reps[rep, rep + rep_len). */
typedef struct md_edit {
    size_t start, end, rep, rep_len;
} md_edit;

/* Edits to a body, then (md_rewrite_apply) the rewritten text and its map:
 * offset mod[i] of text is offset orig[i] of the source, and the bytes
 * between two anchors are copied unchanged. */
typedef struct md_rewrite {
    md_edit *edits;
    size_t n_edits, cap_edits;
    buf reps;
    buf text;
    size_t *mod, *orig;
    size_t n_anchors;
} md_rewrite;

void md_rewrite_init(md_rewrite *rw);
/* Frees what rw holds; accepts NULL. */
void md_rewrite_release(md_rewrite *rw);
/* Records that src[start, end) becomes rep[0, len) (start == end inserts).
 * Edits may be recorded in any order but must not overlap; an insertion at
 * the start of another edit comes before it. */
void md_rewrite_replace(md_rewrite *rw, size_t start, size_t end, const char *rep, size_t len);
/* Records that src[start, end) is dropped but for its line breaks ('\n'
 * and '\r'), so every later line keeps its number. */
void md_rewrite_drop(md_rewrite *rw, const char *src, size_t start, size_t end);
/* Sorts the edits (by start, an insertion first) and drops any that
 * overlaps an earlier one. */
void md_rewrite_sort(md_rewrite *rw);
/* Makes rw->text from src[0, len) and the edits, and the map back. */
void md_rewrite_apply(md_rewrite *rw, const char *src, size_t len);
/* The source offset of offset off of rw->text. An offset inside a
 * replacement maps into the replaced bytes (to their end at most). */
size_t md_rewrite_source(const md_rewrite *rw, size_t off);

/* A Liquid tag charter does not render: dropped (closer NULL), or a block
 * tag whose end tag (closer, e.g. "endraw") never comes. */
typedef struct md_liquid_tag {
    size_t start, end; /* the tag as written */
    const char *closer;
} md_liquid_tag;

/* GitBook's hint tags: `{% hint style="info" %}` (open, its style in
 * type[0, type_len)) and `{% endhint %}` (close, type_len 0), as written
 * at [start, end), for the caller to make boxes of. */
typedef struct md_liquid_box {
    size_t start, end;
    size_t type, type_len;   /* offsets into the source; type_len 0: the box ends */
    size_t title, title_len; /* its title, when the tag gives one */
} md_liquid_box;

typedef struct md_liquid {
    md_liquid_tag *tags; /* in source order */
    size_t n_tags, cap_tags;
    md_liquid_box *boxes; /* in source order; not in tags, nor dropped */
    size_t n_boxes, cap_boxes;
    /* {% highlight %} blocks and {% comment %}s, tags included: their lines
     * are code or gone, so nothing in them is read as a heading. */
    md_ranges opaque;
} md_liquid;

/* Finds the Liquid of src[0, len) (Jekyll's template language: {% tag %},
 * {{ variable }}) outside code: outside `code` (the byte ranges of code
 * blocks, sorted) and outside code spans. view is src as md_liquid_mask
 * made it (or NULL), where paragraphs and code spans are looked for. Records in rw: each tag and
 * variable dropped (out->tags lists them), except {% raw %}...{% endraw %},
 * whose markers go and whose text stays as written, {% comment %}...
 * {% endcomment %}, which goes whole, and {% highlight lang %}...
 * {% endhighlight %}, which becomes a fenced code block of that language.
 * A variable vars knows (md_liquid_value) is replaced by its value, with
 * no warning. A tag must end in its paragraph; an unterminated one is
 * text. Linear in len. Release out with md_liquid_release. */
void md_liquid_scan(md_liquid *out, md_rewrite *rw, const char *src, const char *view, size_t len,
                    const md_range *code, size_t n_code, const md_options *opt);

/* The value of a Liquid output expression `expr` (the text between {{ and
 * }}) that vars knows (name, value pairs, NULL-terminated: "site.baseurl",
 * "site.url", "site.title", ...): a variable (`site.title`, comply's Go
 * `.Name`) or a string through relative_url or absolute_url
 * (`"/x/" | relative_url`). Appends it to out and returns 1, or returns 0. */
int md_liquid_value(buf *out, const char *expr, size_t len, const char *const *vars);
/* Frees what l holds; accepts NULL. */
void md_liquid_release(md_liquid *l);

/* What to parse to find src's code blocks for md_liquid_scan: the text of
 * each {% highlight %} block and {% comment %} blanked (spaces, newlines
 * kept), since a line of it could open a fence that swallows the rest of
 * the page. Returns 1 and sets out to that copy (same length) if there was
 * any, else 0. Linear in len. */
int md_liquid_mask(buf *out, const char *src, size_t len);

#endif
