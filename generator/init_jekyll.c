/* init_jekyll: the site.yml `charter init` writes for a Jekyll site: the
 * settings charter's own reading of _config.yml implies (config.c), with
 * _config.yml's exclude, include and defaults copied line for line, so the
 * team's comments and layout stay. */
#include "config.h"
#include "init.h"
#include "init_int.h"

#include "paths.h"
#include "yamltree.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* _config.yml split into lines as YAML breaks them (1-based; a BOM
 * dropped), for copying top-level settings as written. */
typedef struct lines {
    const char **at;
    size_t *len;
    size_t n;
} lines;

static void lines_split(lines *l, const char *text, size_t len)
{
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        len -= 3;
    }
    /* Split where YAML breaks lines (a CR alone, NEL, LS and PS too), so
     * that line k here is line k of the tree's positions. */
    size_t cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += text[i] == '\n' || text[i] == '\r' || (unsigned char)text[i] >= 0x80;
    l->at = xcalloc(cap + 1, sizeof *l->at);
    l->len = xcalloc(cap + 1, sizeof *l->len);
    l->n = 0;
    for (size_t i = 0; i < len;) {
        size_t end = i, brk = 0;
        while (end < len && !(brk = yamltree_break_len(text + end, len - end)))
            end++;
        l->n++;
        l->at[l->n] = text + i;
        l->len[l->n] = end - i;
        i = end + brk;
    }
}

static void lines_free(lines *l)
{
    free(l->at);
    free(l->len);
}

static int line_is(const lines *l, size_t i, const char *s)
{
    return l->len[i] == strlen(s) && !memcmp(l->at[i], s, l->len[i]);
}

/* A line that belongs to no setting: blank, a comment in column 1, or a
 * document marker. */
static int line_is_gap(const lines *l, size_t i)
{
    size_t k = 0;
    while (k < l->len[i] && (l->at[i][k] == ' ' || l->at[i][k] == '\t'))
        k++;
    return k == l->len[i] || l->at[i][0] == '#' || line_is(l, i, "---") || line_is(l, i, "...");
}

/* The lines of the top-level setting i of root: the comment lines just above
 * it, its key's line and every line to the next setting, less trailing
 * blanks and column-1 comments (which head the next one). Returns 0, or -1
 * when the file is not laid out one setting per line (a flow mapping). */
static int setting_lines(const lines *l, const yaml_node *root, size_t i, size_t *from, size_t *to)
{
    const yaml_node *key = yamltree_key(root, i);
    size_t first = (size_t)yamltree_line(key);
    size_t next =
        i + 1 < yamltree_len(root) ? (size_t)yamltree_line(yamltree_key(root, i + 1)) : l->n + 1;
    if (yamltree_col(key) != 1 || first < 1 || first > l->n || next <= first)
        return -1;
    size_t last = next - 1;
    while (last > first && line_is_gap(l, last))
        last--;
    while (first > 1 && l->len[first - 1] && l->at[first - 1][0] == '#')
        first--;
    *from = first;
    *to = last;
    return 0;
}

static void put_lines(buf *b, const lines *l, size_t from, size_t to)
{
    for (size_t i = from; i <= to; i++) {
        buf_add(b, l->at[i], l->len[i]);
        buf_addc(b, '\n');
    }
}

/* Whether lines from..to read alone as a mapping of `key` alone, holding
 * a value of v's kind: not so for a line of a flow mapping that spans
 * lines ("exclude: [a, b],", its key in column 1). */
static int lines_stand_alone(const lines *l, size_t from, size_t to, const char *key,
                             const yaml_node *v)
{
    buf text;
    buf_init(&text);
    put_lines(&text, l, from, to);
    yaml_node *y = NULL;
    diags *quiet = diag_new(NULL);
    int ok = yamltree_parse(&y, text.data, text.len, "_config.yml", 0, quiet) == 0 &&
             yamltree_kind(y) == YAML_MAPPING && yamltree_len(y) == 1 &&
             !strcmp(yamltree_text(yamltree_key(y, 0)), key) &&
             yamltree_kind(yamltree_item(y, 0)) == yamltree_kind(v);
    yamltree_free(y);
    diag_free(quiet);
    buf_release(&text);
    return ok;
}

/* The indentation of a block sequence's items ("  " for "  - x"), when v is
 * one whose first item starts a line below its key; else -1. */
static int block_indent(const lines *l, const yaml_node *key, const yaml_node *v)
{
    if (yamltree_kind(v) != YAML_SEQUENCE || !yamltree_len(v))
        return -1;
    size_t at = (size_t)yamltree_line(yamltree_item(v, 0));
    if (at <= (size_t)yamltree_line(key) || at > l->n)
        return -1;
    size_t k = 0;
    while (k < l->len[at] && l->at[at][k] == ' ')
        k++;
    return k < l->len[at] && l->at[at][k] == '-' ? (int)k : -1;
}

/* Writes _config.yml's setting `key` into b as written (or, when its lines
 * cannot be told apart, re-written in flow style), after a comment saying
 * so and what it is (`what`). Jekyll
 * leaves out its own files (Gemfile...) whatever exclude says: `extra`
 * lists those to add to the list. */
static void put_jekyll_setting(buf *b, const lines *l, const yaml_node *root, const char *key,
                               const char *what, const char *const *extra, size_t n_extra)
{
    size_t i = 0, from, to;
    while (i < yamltree_len(root) && strcmp(yamltree_text(yamltree_key(root, i)), key))
        i++;
    const yaml_node *v = i < yamltree_len(root) ? yamltree_item(root, i) : NULL;
    if (!v || yamltree_is_null(v)) {
        /* Not in _config.yml: only Jekyll's own files. */
        if (n_extra) {
            buf_printf(b,
                       "# Jekyll's own files, which Jekyll leaves out whatever it is told.\n%s: [",
                       key);
            for (size_t k = 0; k < n_extra; k++)
                buf_printf(b, "%s%s", k ? ", " : "", extra[k]);
            buf_adds(b, "]\n");
        }
        return;
    }
    int ind = block_indent(l, yamltree_key(root, i), v);
    if (setting_lines(l, root, i, &from, &to) == 0 && (!n_extra || ind >= 0) &&
        lines_stand_alone(l, from, to, key, v)) {
        buf_printf(b, "# _config.yml's %s, as written: %s\n", key, what);
        put_lines(b, l, from, to);
        for (size_t k = 0; k < n_extra; k++)
            buf_printf(b, "%*s- %s  # Jekyll's own, left out whatever exclude says\n", ind, "",
                       extra[k]);
        return;
    }
    /* Not laid out as a block: the same values in flow style. */
    buf_printf(b, "# _config.yml's %s: %s\n%s%s: ", key, what,
               n_extra ? "# And Jekyll's own files, which it leaves out whatever exclude says.\n"
                       : "",
               key);
    if (yamltree_kind(v) == YAML_SEQUENCE && n_extra) {
        buf_addc(b, '[');
        for (size_t j = 0; j < yamltree_len(v); j++) {
            buf_adds(b, j ? ", " : "");
            init_put_node(b, yamltree_item(v, j));
        }
        for (size_t j = 0; j < n_extra; j++)
            buf_printf(b, "%s%s", yamltree_len(v) || j ? ", " : "", extra[j]);
        buf_adds(b, "]\n");
    } else {
        init_put_node(b, v);
        buf_addc(b, '\n');
    }
}

/* url + baseurl, as charter reads them from _config.yml (config.c). */
static void jekyll_base_url(buf *out, const yaml_node *y)
{
    const yaml_node *u = yamltree_get(y, "url"), *bu = yamltree_get(y, "baseurl");
    const char *url =
        u && yamltree_kind(u) == YAML_SCALAR && !yamltree_is_null(u) ? yamltree_text(u) : NULL;
    const char *base =
        bu && yamltree_kind(bu) == YAML_SCALAR && !yamltree_is_null(bu) ? yamltree_text(bu) : NULL;
    if (url)
        buf_adds(out, url);
    while (out->len && out->data[out->len - 1] == '/')
        buf_truncate(out, out->len - 1);
    if (base && *base && *base != '/')
        buf_addc(out, '/');
    if (base)
        buf_adds(out, base);
    if (!out->len)
        buf_addc(out, '/');
}

static const char *scalar_of(const yaml_node *y, const char *key)
{
    const yaml_node *n = yamltree_get(y, key);
    return n && yamltree_kind(n) == YAML_SCALAR && !yamltree_is_null(n) ? yamltree_text(n) : NULL;
}

/* Whether charter reads _config.yml as it is (as it does with no
 * site.yml): its settings are copied as written, so a value charter cannot
 * take there (an exclude item that is a mapping) would be one in site.yml.
 * Its errors are reported where they are written: 0, or -1. */
static int jekyll_readable(init_plan *p, const buf *text)
{
    site_config c;
    diags *tried = diag_new(NULL);
    int err = config_parse_jekyll(&c, text->data, text->len, "site", tried);
    config_release(&c);
    size_t n;
    const diag_entry *e = diag_entries(tried, &n);
    for (size_t i = 0; err && i < n; i++)
        if (e[i].level == DIAG_ERROR)
            diag_report(p->d, DIAG_ERROR, e[i].file, e[i].line, e[i].col, e[i].id, "%s",
                        e[i].message);
    diag_free(tried);
    return err ? -1 : 0;
}

int init_plan_jekyll(init_plan *p)
{
    int err = -1;
    buf text, title, base;
    buf_init(&text);
    buf_init(&title);
    buf_init(&base);
    yaml_node *y = NULL;
    lines l = {0};
    if (init_is_file(p->root, "_config.yml")) {
        if (init_read_text(&text, p, "_config.yml") != 0 ||
            yamltree_parse(&y, text.data, text.len, "_config.yml", 0, p->d) != 0)
            goto done;
        if (yamltree_kind(y) != YAML_MAPPING) {
            diag_error(p->d, "_config.yml", yamltree_line(y), yamltree_col(y), "config",
                       "'_config.yml' must be a mapping of settings");
            goto done;
        }
        if (jekyll_readable(p, &text) != 0)
            goto done;
    } else {
        y = yamltree_new(YAML_MAPPING, NULL, 0, NULL);
    }
    lines_split(&l, text.data, text.len);
    if (scalar_of(y, "title"))
        buf_adds(&title, scalar_of(y, "title"));
    else
        init_dir_title(&title, p->root);
    jekyll_base_url(&base, y);

    /* Jekyll leaves out its own files whatever exclude says; so does
     * charter reading _config.yml, and so must the list written here. */
    static const char *const own[] = {"Gemfile", "Gemfile.lock", "gemfiles"};
    const char *extra[3];
    size_t n_extra = 0;
    const yaml_node *ex = yamltree_get(y, "exclude");
    for (size_t i = 0; i < 3; i++) {
        struct stat st;
        buf path;
        buf_init(&path);
        fs_root_path(&path, p->root, own[i]);
        int present = lstat(path.data, &st) == 0;
        buf_release(&path);
        for (size_t j = 0; present && ex && j < yamltree_len(ex); j++) {
            const yaml_node *pat = yamltree_item(ex, j);
            present = yamltree_kind(pat) != YAML_SCALAR ||
                      !path_glob_match(yamltree_text(pat), own[i], own[i]);
        }
        if (present)
            extra[n_extra++] = own[i];
    }

    buf *b = init_plan_file(p, "site.yml");
    init_put_header(b, "Jekyll site");
    init_put_repository(b, p);
    buf_adds(b, "# Without this file charter reads _config.yml to the same effect.\n");
    init_put_setting(b,
                     scalar_of(y, "title") ? "The site's title, from _config.yml."
                                           : "The site's title: the directory's name, as "
                                             "_config.yml sets none.",
                     "title", title.data);
    char *lang = scalar_of(y, "lang") ? xstrdup(scalar_of(y, "lang")) : NULL;
    for (char *u = lang; u && *u; u++)
        *u = *u == '_' ? '-' : *u; /* fr_FR, as jekyll-seo-tag writes it */
    if (lang && config_language_ok(lang) && strcasecmp(lang, "en"))
        init_put_setting(b, "The pages' language, _config.yml's lang.", "language", lang);
    free(lang);
    init_put_setting(b, "One sentence for the home page and metadata, from _config.yml.",
                     "description", scalar_of(y, "description"));
    init_put_setting(b, "Where the site is served: _config.yml's url and baseurl.", "base_url",
                     base.data);
    buf_adds(b, "# The pages stay where Jekyll keeps them, at the repository's root.\n"
                "content: .\n");
    init_put_setting(b, "Where 'charter build' writes the site, as Jekyll's destination.", "output",
                     scalar_of(y, "destination") ? scalar_of(y, "destination") : "_site");
    init_put_theme(b, "\n# (Jekyll's _layouts are Liquid templates, which charter does not read.)",
                   1);
    buf_adds(b, "# kramdown reads '#Title', with no space after the hashes, as a heading; so\n"
                "# does charter here.");
    if (init_gitlab_rendered(p))
        buf_adds(b, " GitLab hosts the repository, Jekyll renders the pages: their\n"
                    "# headings' ids are GitHub's (a run of hyphens kept), not GitLab's.\n"
                    "markdown: {lax_headings: true, heading_ids: github}\n");
    else
        buf_adds(b, "\nmarkdown: {lax_headings: true}\n");
    init_put_default_layout(b, "That is how\n# charter reads a Jekyll site without this file.");
    /* just-the-docs orders its navigation by nav_order. */
    if (init_pages_use_key(p, ".", "nav_order"))
        buf_adds(b, "# The pages' nav_order (just-the-docs'): their place in their section.\n"
                    "keys: {weight: nav_order}\n");
    put_jekyll_setting(b, &l, y, "exclude", "files and folders that are not pages.", extra,
                       n_extra);
    for (size_t k = 0; k < n_extra; k++)
        buf_printf(&p->notes,
                   "note: '%s' is added to 'exclude': Jekyll leaves its own files out whatever "
                   "exclude says\n",
                   extra[k]);
    put_jekyll_setting(b, &l, y, "include", "'_' and '.' names that are pages.", NULL, 0);
    put_jekyll_setting(b, &l, y, "defaults", "front matter values by path.", NULL, 0);
    put_jekyll_setting(b, &l, y, "collections",
                       "those with output: true are pages, at their permalinks.", NULL, 0);
    const char *perm = scalar_of(y, "permalink");
    if (perm && strcmp(perm, "pretty") && strcmp(perm, "none"))
        buf_printf(&p->notes,
                   "note: _config.yml's permalink style is not read: pages get pretty URLs "
                   "(/folder/page/)\n");
    err = 0;
done:
    lines_free(&l);
    yamltree_free(y);
    buf_release(&text);
    buf_release(&title);
    buf_release(&base);
    return err;
}
