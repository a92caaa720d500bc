/* html_safe: the raw HTML of a Markdown page kept to a safe subset, as
 * GitHub shows it, when unsafe_html is off: tables, <br>, <details>, <a
 * name>, <img>, <sup>... with their presentational attributes, links and
 * images to http(s), mailto (links) or a relative address. Every other
 * tag, comment and declaration is dropped, with the text of script-like
 * elements; a '<' that opens no tag is escaped. Tags are not balanced. */
#ifndef CHARTER_HTML_SAFE_H
#define CHARTER_HTML_SAFE_H

#include "buf.h"

#include <stddef.h>

/* Appends html[0..len) as kept (see above) to out. Linear in len; never
 * fails. */
void html_safe_append(buf *out, const char *html, size_t len);

/* Called for each address kept (an <a href>, an <img src>): url[0..len)
 * as written, `at` its offset in the html, image for a src. May append a
 * replacement (the address as the page's URL needs it) to `with` and
 * return 1, or return 0 to keep it as written. */
typedef int (*html_safe_url_fn)(void *ctx, const char *url, size_t len, size_t at, int image,
                                buf *with);
/* As html_safe_append, each kept address passed through fn (may be NULL). */
void html_safe_append_urls(buf *out, const char *html, size_t len, html_safe_url_fn fn, void *ctx);

#endif
