/* markdown: renders a page body from GitHub Flavored Markdown to HTML with
 * cmark-gfm (the only module that includes it): tables, strikethrough,
 * autolinks, tagfilter, task lists and footnotes. Headings get stable
 * GitHub-style ids; link destinations pass through a caller's rewrite hook
 * (so links to other pages' .md files become their URLs) and are collected
 * with their source positions for the link checks. */
#ifndef CHARTER_MARKDOWN_H
#define CHARTER_MARKDOWN_H

#include "buf.h"
#include "diag.h"

typedef struct md_heading {
    int level;
    char *id;   /* unique within the page */
    char *text; /* plain text of the heading */
    int line;
} md_heading;

typedef struct md_link {
    char *url; /* the destination as written */
    int line, col;
    int is_image;
} md_link;

/* Called for every link and image destination. May append a replacement URL
 * to `out` and return 1, or return 0 to keep the destination as written. */
typedef int (*md_rewrite_fn)(void *ctx, const char *url, buf *out);

/* Called for a Hugo {{< ref "path" >}} (or relref) whose path is written
 * from the page's folder (no leading '/' or '.'), with the path as written
 * (len bytes, with any fragment): may append where else it leads and return
 * 1, or return 0 to keep it as written. */
typedef int (*md_ref_fn)(void *ctx, const char *path, size_t len, buf *out);

/* md_options.heading_ids: GitHub's rule (roles--responsibilities, a second
 * "Scope" scope-1), GitLab's (a run of hyphens is one:
 * roles-responsibilities), MkDocs's (unicode_slug_mkdocs; scope_1) or
 * VitePress's (unicode_slug_vitepress). */
enum { MD_IDS_GITHUB, MD_IDS_GITLAB, MD_IDS_MKDOCS, MD_IDS_VITEPRESS };

/* md_options.wiki_links for an Obsidian vault's links (1: a GitHub wiki's). */
#define MD_WIKI_OBSIDIAN 2

typedef struct md_options {
    const char *file; /* for diagnostics */
    int first_line;   /* line of the body's first line in the file */
    int unsafe_html;  /* keep raw HTML (tagfilter still applies) */
    md_rewrite_fn rewrite;
    md_ref_fn ref; /* with rewrite_ctx; may be NULL */
    void *rewrite_ctx;
    int skip_html; /* headings and links only (charter check): no HTML */
    /* markdown.lax_headings: a paragraph line such as `#Foreword` (kramdown
     * read it as a heading) is rendered as the heading `# Foreword`. */
    int lax_headings;
    /* markdown.wiki_links: 1, a GitHub wiki's [[Page]] and [[Text|Page]]
     * links, and [[image.png|alt=Text]] images; MD_WIKI_OBSIDIAN, an Obsidian
     * vault's [[Page]], [[Page|Text]], [[Page#Heading]] and
     * ![[image.png]]. */
    int wiki_links;
    /* Whose rule makes the headings' ids (MD_IDS_*): GitHub's by default
     * ("Roles & Responsibilities" is roles--responsibilities). */
    int heading_ids;
    /* Liquid variables a page may use, and their values: name, value pairs,
     * NULL-terminated ("site.baseurl", "/isms", ...), or NULL for none. */
    const char *const *liquid_vars;
    /* The page's title, or NULL: a level-1 heading that opens the body with
     * the same text (Hugo's, Docusaurus's and comply's pages repeat it) is
     * left out of the HTML, so the layout's title is not shown twice. It
     * stays in md_doc.headings, so links to its id still resolve. */
    const char *title;
    /* cmark-gfm's working memory for the page comes from an arena of the
     * page's up to this many bytes, then from the heap; 0 for the default
     * (1 MB plus 64 bytes for each byte of text). */
    size_t arena_budget;
} md_options;

typedef struct md_doc {
    buf html;
    md_heading *headings;
    size_t n_headings;
    md_link *links;
    size_t n_links;
    /* The id and name attributes of raw HTML tags (`<a name="x">`), which
     * fragment links may target whether or not raw HTML is kept. */
    char **anchors;
    size_t n_anchors;
    size_t arena_used; /* what cmark-gfm took from the page's arena, in bytes */
    /* When set, one block holding the headings', links' and anchors' texts
     * (a parse cache's record: parse_cache_fill), freed whole. */
    char *strings;
} md_doc;

/* Registers the cmark-gfm extensions; call once before any thread renders. */
void markdown_init(void);
/* The linked cmark-gfm's version ("0.29.0.gfm.6"): a cache of rendered
 * pages is only good for the version that rendered them. */
const char *markdown_version(void);

/* Renders text[0..len). Invalid UTF-8 is reported (id invalid-utf8) at its
 * line and column and replaced by U+FFFD. A line that starts like a heading
 * without the space after its hashes is reported (heading-without-space),
 * and rendered as a heading with lax_headings. Liquid (a Jekyll page's
 * {% tag %} and {{ variable }}) outside code is dropped with a warning
 * (liquid-tag), but {% highlight lang %} becomes a fenced code block, the
 * text of {% raw %} stays as written and a {% comment %} goes whole.
 * Returns 0 and fills *out (release with markdown_release), or -1 if
 * cmark-gfm fails. Thread-safe. */
int markdown_render(md_doc *out, const char *text, size_t len, const md_options *opt, diags *d);
void markdown_release(md_doc *doc);

/* Appends the GitHub-style slug of text: lowercased ASCII letters and digits,
 * '-' and '_' kept, spaces to '-', other ASCII dropped, non-ASCII kept. */
void markdown_slug(buf *out, const char *text);
/* As markdown_slug, with `empty` for a text that leaves no character. */
void markdown_slug_with(buf *out, const char *text, const char *empty);
/* Appends html[0..len) (as markdown_render makes it) with each id="x" and
 * href="#x" made id="<prefix>-x" and href="#<prefix>-x": the body as a page
 * of many documents shows it (the handbook), where anchors of different
 * documents must not collide. */
void markdown_prefix_ids(buf *out, const char *html, size_t len, const char *prefix);

/* The version of the cmark-gfm library linked, as it reports it ("0.29.0.gfm.6").
 * Static storage. */
const char *markdown_cmark_version(void);

#endif
