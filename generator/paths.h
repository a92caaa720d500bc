/* paths: pure string functions for source paths, URLs and output paths:
 * joining and normalising, the URL a page gets (pretty URLs, Jekyll style),
 * permalink validation and resolving relative links between pages. No
 * filesystem access here, so every rule is unit-testable. */
#ifndef CHARTER_PATHS_H
#define CHARTER_PATHS_H

#include "buf.h"

/* Appends `a` and `b` joined by exactly one '/' to out; `a` "." adds
 * only `b` (when b is not empty). */
void path_join(buf *out, const char *a, const char *b);

/* Normalises a '/'-separated relative path in place: removes `.` segments and
 * empty segments, resolves `x/..`. Returns 0, or -1 if a `..` would climb
 * above the start (the path leaves its root). */
int path_normalize(buf *p);

/* Normalises a '/'-separated path in place without leaving it: removes `.`
 * and empty segments and resolves `x/..` lexically, keeping the `..` that
 * climb above a relative start ("../a") and dropping those at the root of
 * an absolute one ("/.." is "/"). An empty relative result is ".". For
 * naming a file, never for deciding what may be read. */
void path_clean(buf *p);

/* Appends `path` relative to the directory `base`, both absolute and clean
 * (path_clean): "." when they are equal, "../" once per component of base
 * that path does not share ("/a/b" from "/a/c" is "../b"). */
void path_relative(buf *out, const char *path, const char *base);

/* True if name (a single path component) is hidden from the site: it starts
 * with '_', '.', '#' or '~', or ends with '~', as Jekyll skips them (an
 * editor's backup "x.md~", Emacs's autosave "#x.md#" and lock ".#x.md" are
 * never published; the content walk still reads Hugo's _index.md, a
 * folder's own page). */
int path_is_hidden(const char *name);
/* True if the glob `pattern` (fnmatch(3); a trailing '/' ignored) matches
 * the entry `rel` (its path below a walked directory) whose last component
 * is `name`: a pattern with a '/' against all of rel ('*' stays within one
 * component), one without against name alone, as Jekyll's exclude: and
 * include: lists read. */
int path_glob_match(const char *pattern, const char *rel, const char *name);

/* Docusaurus's number prefix of the file or folder name name[0..n):
 * digits, blanks, one or more of `-_.`, blanks, before the rest of the name
 * (`01-access-control.md`, `2. People`), which must not start with one of
 * them; a date (`2024-01-05-x`) is none. Its length, with its number in
 * *number (may be NULL), or 0. */
size_t path_number_prefix(const char *name, size_t n, long *number);

/* The length of the Markdown extension ending name[0..n): 3 for ".md", or
 * that of ".markdown", ".mdown", ".mkdn", ".mkd" or ".mkdown" (Jekyll's,
 * Hugo's and MkDocs's other names for a page), in any case (".MD", as
 * Jekyll, Hugo and GitHub read it) after a name that is not empty; 0 for
 * any other name. */
size_t path_md_ext(const char *name, size_t n);
/* Whether the file name `name` is `stem` with a Markdown extension
 * ("_index.markdown" for "_index"). */
int path_md_named(const char *name, const char *stem);

/* The URL path (relative to base_url, always starting with '/') and the
 * output file (relative to the output dir) of the page whose source is `rel`
 * (relative to the content dir, e.g. "governance/access-control.md"):
 * pretty URLs, so "a/b.md" -> "/a/b/" in "a/b/index.html", and "index.md"
 * files (and Hugo's "_index.md") -> their folder; any Markdown extension
 * (path_md_ext) as ".md". Appends to url and out_file. */
void path_page_url(buf *url, buf *out_file, const char *rel);
/* As path_page_url, in site.yml's `urls: html` style when html is set: a
 * page that is no folder's own is "/a/b.html" from "a/b.html" (mdBook's,
 * MkDocs's use_directory_urls: false, Hugo's uglyURLs); index.md and
 * _index.md stay their folder's "/a/" from "a/index.html". */
void path_page_url_style(buf *url, buf *out_file, const char *rel, int html);

/* Validates a front matter permalink and computes its URL and output file.
 * Accepted: a path like "/about/" or "about/", or one naming a file
 * ("/security.txt"). Refused, returning -1 with a reason in `why` (a static
 * string): a scheme or host ("https://x/", "//x"), `..` segments, a
 * backslash, control characters, a query or fragment, an empty value, a
 * part over 255 bytes (no file name may be that long). */
int path_permalink(buf *url, buf *out_file, const char *permalink, const char **why);
/* Appends a Jekyll permalink pattern with its placeholders filled for the
 * page at rel (relative to its collection's folder, ".md" included) of
 * collection `collection`: :collection, :path (rel without ".md"), :name,
 * :slug and :title (its file name without ".md"), :output_ext (none: the
 * URL is pretty). Other text is copied as it is. */
void path_permalink_expand(buf *out, const char *pattern, const char *collection, const char *rel);

/* Resolves `target` (a link's path part, no fragment) relative to the
 * directory of `from` (both relative to the same root). Returns 0 and the
 * normalised result in out, or -1 if it leaves the root or is absolute. */
int path_resolve(buf *out, const char *from, const char *target);

/* True if the absolute, resolved path `inner` is `outer` or lies below it. */
int path_is_within(const char *inner, const char *outer);

/* True if rel is a path inside an output directory: relative, no `..`,
 * no empty segment, no control character (which would split the lines of
 * the manifest and the journal). output.c re-checks every path it writes. */
int path_is_safe_output(const char *rel);

/* True if url has a scheme ("https:", "mailto:") or starts with "//". */
int url_is_external(const char *url);
/* Appends the web address of a git remote: "git@host:owner/repo.git",
 * "ssh://git@host:22/owner/repo" and "https://user:token@host/owner/repo.git"
 * all give "https://host/owner/repo" (userinfo, ports of ssh and ".git"
 * dropped; http stays http). Returns 0, or -1 with nothing appended for a
 * remote that is no such address (a path, file://, a host or path with
 * blanks, quotes or control characters, or no "owner/repo" path). */
int url_repository_web(buf *out, const char *remote);

/* Appends path percent-encoded for use in a URL (RFC 3986): unreserved
 * characters, '/', and the sub-delimiters that are safe in a path are kept;
 * everything else (space, '%', '?', '#', ':', controls, every byte of a
 * non-ASCII character) becomes %XX. */
void url_encode_path(buf *out, const char *path);
/* Appends s[0..len) with %XX sequences decoded. A '%' not followed by two
 * hex digits is kept as written, as browsers do. Returns 0, or -1 if the
 * result would contain a NUL byte (%00), which no file name can hold. */
int url_decode(buf *out, const char *s, size_t len);

#endif
