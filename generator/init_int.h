/* init_int: what init.c and init_jekyll.c share: reading the directory
 * through fs.h and writing site.yml settings. Private to the init module. */
#ifndef CHARTER_INIT_INT_H
#define CHARTER_INIT_INT_H

#include "init.h"
#include "yamltree.h"

/* Adds a file to p and returns its text buffer (borrowed from p). */
buf *init_plan_file(init_plan *p, const char *rel);
/* True if rel is a regular file inside the directory (a link leading
 * outside reads as nothing there). */
int init_is_file(const fs_root *r, const char *rel);
/* Appends the file rel, a settings file: 0, or -1 after reporting to p->d. */
int init_read_text(buf *out, const init_plan *p, const char *rel);
/* Appends the directory's name, readable: "security-policies" -> "Security policies". */
void init_dir_title(buf *out, const fs_root *r);
/* Whether a page below content (".": anywhere) has the front matter key
 * `key` (its first 64 KiB read). */
int init_pages_use_key(const init_plan *p, const char *content, const char *key);

/* Appends a node of another file's tree in YAML flow style, each scalar
 * read back as it was (a plain `true` a boolean, a quoted one a string). */
void init_put_node(buf *b, const yaml_node *n);
/* Appends "# comment" and `key: value`, the value quoted when it must be;
 * nothing when value is NULL. */
void init_put_setting(buf *b, const char *comment, const char *key, const char *value);
/* init_put_setting of base_url, unless charter cannot take the value (a
 * host with '>' in it): then a note naming `from`, the setting it came
 * from, and base_url is left out (the site served from /). */
void init_put_base_url(init_plan *p, buf *b, const char *comment, const char *value,
                       const char *from);
/* Appends the comment that opens a site.yml written for a `what`. */
void init_put_header(buf *b, const char *what);
/* Appends repository_url and repository_branch from git's remote `origin`
 * of the repository holding the directory (history_remote_web); nothing
 * when there is none. */
void init_put_repository(buf *b, const init_plan *p);
/* Whether git's remote origin is on a GitLab host while a generator (not
 * GitLab's own view of a plain repository) renders the pages: their
 * headings' ids are then GitHub's, said with markdown.heading_ids. */
int init_gitlab_rendered(const init_plan *p);
/* Appends layouts and assets (and, with controls, controls) in .charter/:
 * charter's built-in theme and catalogs. `why` is one more comment line
 * ("\n# ...") or "". */
void init_put_theme(buf *b, const char *why, int controls);

/* Appends `default_layout: page`: a page naming no layout is a plain page,
 * or a policy when it names an owner or a review date. `example` ends the
 * comment above it. */
void init_put_default_layout(buf *b, const char *example);

/* The site.yml of a Jekyll site (init_jekyll.c): 0, or -1 after reporting. */
int init_plan_jekyll(init_plan *p);

#endif
