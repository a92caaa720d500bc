/* diff_out: charter diff's formats (diff.h's result): text, Markdown, JSON
 * and HTML. */
#ifndef CHARTER_DIFF_OUT_H
#define CHARTER_DIFF_OUT_H

#include "buf.h"
#include "diff.h"

/* GitHub's limit on a pull request comment and a job summary. */
#define DIFF_MARKDOWN_LIMIT 65536

/* Appends the text report; `color` adds ANSI colour (a terminal). */
void diff_write_text(buf *out, const diff_result *r, int color);
/* Appends the Markdown report, at most `limit` bytes: beyond it the
 * longest redlines give way to a line each (naming redline_url, when not
 * NULL, for the full ones), and if need be the end is cut at a line. */
void diff_write_markdown(buf *out, const diff_result *r, size_t limit, const char *redline_url);
/* Appends the JSON report (schema charter/diff@1). */
void diff_write_json(buf *out, const diff_result *r);
/* Writes the HTML redline into the output folder dir (output.c: staged,
 * then swapped in; never over what charter did not write; `sources` are
 * the folders it must not be): index.html, one page per changed page,
 * diff.css. Returns 0, or -1 after reporting. */
int diff_write_html(const diff_result *r, const char *dir, const char *const *sources, diags *d);

#endif
