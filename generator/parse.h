/* parse: the pipeline's second stage. Every published page's Markdown,
 * parsed once (markdown.c, cmark-gfm): its headings and their ids, its links
 * with their positions (for the checks), and for a build its HTML and the
 * text search indexes. The HTML goes to a scratch file the build provides
 * (output_scratch), so memory stays flat however large the site; render
 * reads it back. Links to other pages' .md files are rewritten here. */
#ifndef CHARTER_PARSE_H
#define CHARTER_PARSE_H

#include "buf.h"
#include "diag.h"
#include "digest.h"
#include "markdown.h"

struct site;

typedef struct parsed_page {
    int ok;                 /* parsed: a published page whose front matter read */
    int in_cache;           /* its HTML lies in the previous build's parse cache */
    md_doc doc;             /* headings and links; doc.html is always empty */
    unsigned long long off; /* where its HTML lies in the scratch file */
    size_t len;
    /* Parsed by this build for one with a cache and a texts' scratch file
     * (parse_site_opened): where its text (parsed_text's) lies there, and
     * its length; 0 otherwise (parsed_text makes it from the HTML). */
    unsigned long long text_off;
    size_t text_len;
    /* The digest of the start of its text (parsed_text's), hex, made as it
     * was parsed for a build with a cache; "" otherwise: what search.json
     * shows of it, known without reading its HTML back. */
    char text_key[DIGEST_HEX];
    /* The check (digest_check) of its HTML, hex, for a build with a cache;
     * "" otherwise. HTML read back from the previous build's cache is
     * checked against it (the cache's trailer vouches only for its index). */
    char html_key[DIGEST_CHECK_HEX];
} parsed_page;

typedef struct parsed parsed;
/* The previous build's parse cache, opened read-only (parse_cache.c). */
typedef struct parse_cache parse_cache;

/* Opens the parse cache at path (never through a link) and checks its
 * index against the trailer's digest; each page's HTML is checked when it
 * is read back (parsed_html). NULL when there is none or it is unusable:
 * it is only a cache.
 * Caller frees with parse_cache_free (NULL allowed), or hands it to
 * parse_site_opened. Touches nothing but the file: may run on any thread. */
parse_cache *parse_cache_open(const char *path);
void parse_cache_free(parse_cache *c);

/* Parses every published page of s, in parallel, each under the watchdog's
 * limits.page_seconds. With html_fd >= 0 (a scratch file) the HTML is
 * rendered and appended there; with -1 (charter check) only headings and
 * links are kept. Problems are reported through d. Returns a new table
 * (caller frees with parsed_free); never NULL. */
parsed *parse_site(const struct site *s, int html_fd, diags *d);
/* As parse_site, for a build (html_fd >= 0), with the parse cache at
 * cache_path (NULL: none; see parse_cache.c): a page whose file and
 * surroundings are unchanged since the build that wrote it is taken from
 * there, diagnostics included, instead of being parsed again. Under
 * s->reread the key is made from the digest the load kept, and a page the
 * cache does not hold is read again before its parse (site_page_reread; a
 * page that changed since the load or cannot be read is reported and makes
 * parsed_failed true): a hit reads nothing. Each page's bytes (its text)
 * are freed once it is parsed: nothing after the parse reads them in a
 * build (site_release_texts frees the others'). */
parsed *parse_site_cached(struct site *s, int html_fd, const char *cache_path, diags *d);
/* As parse_site_cached, with the cache at cache_path already opened as
 * `old` (taken: freed with the table; NULL: none could be), and each new
 * page's text for search written to text_fd (a scratch file, as html_fd;
 * -1: none), so that search does not make it again from the HTML. */
parsed *parse_site_opened(struct site *s, int html_fd, int text_fd, const char *cache_path,
                          parse_cache *old, diags *d);
/* The key of page i's parse (parse_cache.c), which determines its HTML,
 * or NULL when the build keeps no cache. Borrowed. */
const char *parsed_page_key(const parsed *p, size_t i);
/* The digest of the start of page i's text (what parsed_text gives), or
 * NULL when the build keeps no cache. Borrowed. */
const char *parsed_text_key(const parsed *p, size_t i);
/* How many pages came from the cache. */
size_t parsed_cache_hits(const parsed *p);
/* How many runs of HTML the last parse_cache_write copied (pages lying end
 * to end in one file go as one). */
size_t parsed_cache_copies(const parsed *p);
/* 1 when the parse could not read or write what it had to (a page read
 * again under site.reread, the scratch file; reported): a build stops
 * there and exits 2. 0 otherwise, and for NULL. */
int parsed_failed(const parsed *p);
/* Rewrites the parse cache with every page of this build (when one was
 * asked for and anything changed), atomically. Call while the scratch file
 * is open. Returns 0, or -1 after a warning: it is only a cache. */
int parse_cache_write(parsed *p, diags *d);
void parsed_free(parsed *p);
/* Page i of the site (borrowed). */
const parsed_page *parsed_page_at(const parsed *p, size_t i);
/* Appends page i's HTML to out. HTML from the previous build's cache
 * that does not match its digest (a damaged cache) is not used: the page
 * is parsed again from its file instead (then parse_cache_drop_damaged).
 * Returns 0, or -1 after reporting. */
int parsed_html(const parsed *p, size_t i, buf *out, diags *d);
/* After the render: when HTML read from the previous build's cache did not
 * match its digest, the cache at p's path (written meanwhile, perhaps with
 * that HTML copied in) is removed, so that the next build parses every
 * page again. Returns 1 when it was, else 0. */
int parse_cache_drop_damaged(parsed *p);
/* Reads pages' HTML back as parsed_html does, through a window of the file
 * it lies in: a page lying a little after the one read before comes from
 * one read of a quarter megabyte for it and those after it; any other page
 * is read alone. For a reader that goes through the pages in about the
 * order the parse wrote them (the pages, search.json, the handbook): a read per
 * window, not per page. Release with parsed_reader_release. */
typedef struct parsed_reader {
    const parsed *p;
    int win_fd;                  /* the file the window holds, -1: none yet */
    unsigned long long from;     /* the window's offset in that file */
    int last_fd;                 /* the file of the page read last, -1: none */
    unsigned long long last_end; /* where that page ended */
    buf win;
    size_t reads; /* the reads it made (for tests) */
} parsed_reader;
void parsed_reader_init(parsed_reader *r, const parsed *p);
void parsed_reader_release(parsed_reader *r);
/* As parsed_html, through r. */
int parsed_read_html(parsed_reader *r, size_t i, buf *out, diags *d);
/* The start of page i's text, for search (its HTML read back through r and
 * stripped of markup), in *out (caller frees; "" for a page without HTML).
 * Returns 0, or -1 after reporting, with *out NULL. */
int parsed_text(char **out, parsed_reader *r, size_t i, diags *d);
/* The text of rendered HTML, as parsed_text gives it: tags dropped (a
 * block element's a space), the entities for & < > " ' decoded, runs of
 * whitespace folded to one space, at most max bytes (cut at a UTF-8
 * boundary), no space at the end. Returns a new string (caller frees). */
char *parse_plain_text(const char *html, size_t len, size_t max);

#endif
