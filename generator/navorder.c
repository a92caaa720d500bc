/* navorder: the pages' order from the file another tool orders them by
 * (site.yml navigation.order): mdBook's SUMMARY.md and Docsify's
 * _sidebar.md, whose links name the pages in order, or mkdocs.yml, whose
 * `nav:` lists their files. Part of the load: it sets each page's
 * nav_place, which the sections' sort reads. */
#include "navorder.h"

#include "buf.h"
#include "fs.h"
#include "map.h"
#include "paths.h"
#include "yamltree.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* A link's target as a file path: %XX decoded, without its query or
 * fragment, nor (unless it was written in <>, which may hold spaces) a
 * title after a space ("path 'Title'", Docsify's "path ':id=x'"). */
static void decode_target(buf *out, const char *s, size_t n, int spaces)
{
    size_t end = 0;
    while (end < n && s[end] != '#' && s[end] != '?' &&
           (spaces || (s[end] != ' ' && s[end] != '\t')))
        end++;
    static const struct {
        const char *ent;
        char c;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    for (size_t i = 0; i < end; i++) {
        if (s[i] == '%' && i + 2 < end && isxdigit((unsigned char)s[i + 1]) &&
            isxdigit((unsigned char)s[i + 2])) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            buf_addc(out, (char)strtol(hex, NULL, 16));
            i += 2;
            continue;
        }
        /* CommonMark's backslash escape of punctuation (data\_retention.md)
         * and the entities a file name may be written with. */
        if (s[i] == '\\' && i + 1 < end && ispunct((unsigned char)s[i + 1])) {
            buf_addc(out, s[++i]);
            continue;
        }
        size_t k = 0;
        while (
            s[i] == '&' && k < sizeof ents / sizeof *ents &&
            !(end - i >= strlen(ents[k].ent) && !memcmp(s + i, ents[k].ent, strlen(ents[k].ent))))
            k++;
        if (s[i] == '&' && k < sizeof ents / sizeof *ents) {
            buf_addc(out, ents[k].c);
            i += strlen(ents[k].ent) - 1;
            continue;
        }
        buf_addc(out, s[i]);
    }
}

typedef struct orderer {
    site *s;
    const char *base; /* the folder relative targets start from, from the root */
    buf content;      /* the content folder, normalised ("" for the root) */
    size_t place;
    const char *file, *text; /* the order's file and its text, for findings */
    diags *d;
} orderer;

/* A target that names no page of the site (a chapter renamed, or left out
 * by exclude): reported at it, as the pages it meant to publish or order
 * are not. */
static void report_missing(const orderer *o, const char *at, size_t n)
{
    int line = 1, col = 1;
    for (const char *c = o->text; c < at; c++) {
        if (*c == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)*c & 0xC0) != 0x80) {
            col++;
        }
    }
    buf shown;
    buf_init(&shown);
    diag_term_safe(&shown, at, n);
    diag_report(o->d, o->s->cfg.nav_omit_unlisted ? DIAG_ERROR : DIAG_WARNING, o->file, line, col,
                "broken-link", "'%s' (navigation.order) names '%s', which is no page of the site",
                o->file, shown.data);
    buf_release(&shown);
}

/* The page at rel (from the content folder), or NULL. */
static page *page_at(const orderer *o, const char *rel)
{
    return map_get(o->s->by_rel, rel);
}

/* Places the page a target names (relative to o->base, or with a leading
 * '/' to the content folder), as a link or a nav entry would reach it: the
 * file, the file with .md added, or a folder's README.md or index.md. */
static void place_target(orderer *o, const char *s, size_t n, int spaces)
{
    buf t, path;
    buf_init(&t);
    buf_init(&path);
    decode_target(&t, s, n, spaces);
    if (!t.len || strchr(t.data, ':'))
        goto done; /* empty, an anchor alone, or a URL (https:, mailto:) */
    if (t.len && t.data[0] == '/')
        path_join(&path, o->content.data, t.data + 1);
    else
        path_join(&path, o->base, t.data);
    if (path_normalize(&path) != 0)
        goto done;
    /* From the root to the content folder. */
    const char *rel = path.data;
    size_t cl = o->content.len;
    if (cl) {
        if (!strcmp(rel, o->content.data))
            rel = "";
        else if (!strncmp(rel, o->content.data, cl) && rel[cl] == '/')
            rel += cl + 1;
        else
            goto done;
    } else if (!strcmp(rel, ".")) {
        rel = "";
    }
    static const char *const tails[] = {"",           ".md",       "/README.md",
                                        "/readme.md", "/index.md", "/_index.md"};
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        buf_reset(&t);
        if (*rel)
            buf_printf(&t, "%s%s", rel, tails[i]);
        else if (i >= 2)
            buf_adds(&t, tails[i] + 1);
        else
            continue;
        page *p = page_at(o, t.data);
        if (p) {
            if (!p->nav_place)
                p->nav_place = ++o->place;
            goto done;
        }
    }
    /* A path to a Markdown file (or a folder's page) that is no page. */
    if (o->d && (path_md_ext(path.data, path.len) || !strrchr(path.data, '.')))
        report_missing(o, s, n);
done:
    buf_release(&t);
    buf_release(&path);
}

/* Markdown: each link's target, in order ([Title](target), with the target
 * in <> or not, its parentheses balanced as CommonMark reads them);
 * nothing inside an HTML comment, which mdBook and Docsify skip. */
static void scan_markdown(orderer *o, const char *text, size_t len)
{
    char fence = 0;  /* '`' or '~' inside a fenced code block */
    size_t flen = 0; /* its fence's length */
    for (size_t i = 0; i + 1 < len; i++) {
        /* At a line's start: a code fence opens or closes; inside one,
         * the line is code, no chapter (mdBook reads none there). */
        if (i == 0 || text[i - 1] == '\n') {
            size_t k = i, sp = 0;
            while (k < len && text[k] == ' ' && sp < 4)
                k++, sp++;
            size_t run = 0;
            while (k + run < len && (text[k + run] == '`' || text[k + run] == '~') &&
                   text[k + run] == text[k])
                run++;
            if (sp < 4 && run >= 3 && (!fence || (text[k] == fence && run >= flen))) {
                fence = fence ? 0 : text[k];
                flen = run;
            }
            if (fence || (sp < 4 && run >= 3)) {
                const char *nl = memchr(text + i, '\n', len - i);
                if (!nl)
                    return;
                i = (size_t)(nl - text);
                continue;
            }
        }
        /* A code span: its text is code. */
        if (text[i] == '`') {
            size_t run = 0;
            while (i + run < len && text[i + run] == '`')
                run++;
            size_t j = i + run;
            while (j < len && text[j] != '\n') {
                size_t r = 0;
                while (j + r < len && text[j + r] == '`')
                    r++;
                if (r == run)
                    break;
                j += r ? r : 1;
            }
            if (j < len && text[j] == '`')
                i = j + run - 1;
            else
                i += run - 1;
            continue;
        }
        if (text[i] == '<' && i + 3 < len && !memcmp(text + i, "<!--", 4)) {
            const char *close = memmem(text + i + 4, len - i - 4, "-->", 3);
            if (!close)
                return;
            i = (size_t)(close - text) + 2;
            continue;
        }
        if (text[i] != ']' || text[i + 1] != '(')
            continue;
        size_t start = i + 2, end = start;
        int angled = start < len && text[start] == '<';
        if (angled) {
            start++;
            end = start;
            while (end < len && text[end] != '>' && text[end] != '\n')
                end++;
        } else {
            for (size_t depth = 0; end < len && text[end] != '\n'; end++) {
                if (text[end] == '(')
                    depth++;
                else if (text[end] == ')' && !depth--)
                    break;
            }
        }
        place_target(o, text + start, end - start, angled);
        i = end;
    }
}

/* mkdocs.yml: the files its top-level `nav:` lists, in order ("- a.md",
 * "- Title: a.md", quoted or not). Read line by line rather than as YAML:
 * mkdocs.yml holds Python tags charter's YAML reader refuses. */
static void scan_mkdocs(orderer *o, const char *text, size_t len)
{
    int in_nav = 0;
    for (size_t i = 0; i < len;) {
        const char *line = text + i;
        const char *nl = memchr(line, '\n', len - i);
        size_t n = nl ? (size_t)(nl - line) : len - i;
        i += n + 1;
        while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
            n--;
        if (!n || line[0] == '#')
            continue;
        if (line[0] != ' ' && line[0] != '-') {
            in_nav = n >= 4 && !strncmp(line, "nav:", 4);
            continue;
        }
        if (!in_nav)
            continue;
        /* Without its comment: from a '#' that starts the line's text or
         * follows a space (not one inside a quoted value). */
        char quote = 0;
        for (size_t k = 0; k < n; k++) {
            if (quote) {
                quote = line[k] == quote ? 0 : quote;
            } else if (line[k] == '\'' || line[k] == '"') {
                quote = line[k];
            } else if (line[k] == '#' && (k == 0 || line[k - 1] == ' ' || line[k - 1] == '\t')) {
                n = k;
                break;
            }
        }
        /* The value: after the last ": " or the list's "- ". */
        size_t v = 0;
        for (size_t k = 0; k + 1 < n; k++)
            if ((line[k] == ':' && line[k + 1] == ' ') || (line[k] == '-' && line[k + 1] == ' '))
                v = k + 2;
        while (v < n && line[v] == ' ')
            v++;
        size_t e = n;
        while (e > v && (line[e - 1] == ' ' || line[e - 1] == '\t'))
            e--;
        if (e - v >= 2 && (line[v] == '\'' || line[v] == '"') && line[e - 1] == line[v]) {
            v++;
            e--;
        }
        if (e > v && memmem(line + v, e - v, ".md", 3))
            place_target(o, line + v, e - v, 1);
    }
}

/* site.yml's navigation.order, where messages about its file point. */
static const yaml_node *setting(const site *s)
{
    return yamltree_get(yamltree_get(s->cfg.yaml, "navigation"), "order");
}

int navorder_places(site *s, diags *d)
{
    const char *file = s->cfg.nav_order;
    if (!file)
        return 0;
    buf text, base;
    buf_init(&text);
    buf_init(&base);
    orderer o = {s, NULL, {0}, 0, file, NULL, d};
    buf_init(&o.content);
    int err = -1;
    if (fs_read_source(&text, &s->fs, file, s->cfg.limits.file_bytes, "limits.file_bytes", d) !=
        0) {
        const yaml_node *k = setting(s);
        diag_report(d, DIAG_NOTE, s->cfg.file, k ? yamltree_line(k) : 0, k ? yamltree_col(k) : 0,
                    "config", "'%s' is named by navigation.order", file);
        goto done;
    }
    o.text = text.data;
    buf_adds(&o.content, s->cfg.content);
    if (path_normalize(&o.content) != 0)
        goto done;
    if (!strcmp(o.content.data, ".")) {
        buf_reset(&o.content);
    }
    size_t n = strlen(file);
    int yaml =
        (n > 4 && !strcmp(file + n - 4, ".yml")) || (n > 5 && !strcmp(file + n - 5, ".yaml"));
    if (yaml) {
        /* mkdocs.yml's paths are from its docs_dir: the content folder. */
        o.base = o.content.data;
        scan_mkdocs(&o, text.data, text.len);
    } else {
        const char *slash = strrchr(file, '/');
        buf_add(&base, file, slash ? (size_t)(slash - file) : 0);
        o.base = base.data;
        scan_markdown(&o, text.data, text.len);
    }
    if (!o.place && s->n_pages) {
        /* An order that orders nothing: most likely the wrong file; with
         * unlisted: omit it would publish nothing but the home page. */
        const yaml_node *k = setting(s);
        if (s->cfg.nav_omit_unlisted) {
            diag_error(d, s->cfg.file, k ? yamltree_line(k) : 0, k ? yamltree_col(k) : 0, "config",
                       "'%s' (navigation.order) names no page of the site, and "
                       "navigation.unlisted: omit would publish none",
                       file);
            goto done;
        }
        diag_warning(d, s->cfg.file, k ? yamltree_line(k) : 0, k ? yamltree_col(k) : 0, "config",
                     "'%s' (navigation.order) names no page of the site: the pages keep their "
                     "order",
                     file);
    }
    err = 0;
done:
    buf_release(&text);
    buf_release(&base);
    buf_release(&o.content);
    return err;
}
