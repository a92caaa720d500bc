/* cmd_new: `charter new KIND PATH`, a page from an archetype (new.c fills
 * it in). It loads the site for the ids of the section, the review cycle
 * and the URLs taken, reads the archetype through the checked door, refuses
 * a path outside the content directory or one that is taken, and creates
 * the file new (O_EXCL, no link followed). docs/editing.md, "New policies". */
#include "cli.h"
#include "commands.h"
#include "dates.h"
#include "fs.h"
#include "new.h"
#include "paths.h"
#include "plan.h"
#include "site.h"
#include "unicode.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_SITE, OPT_TITLE, OPT_AS_OF };

static const cli_option options[] = {
    [OPT_SITE] = {"site", "DIR", "the site directory (default: .)"},
    [OPT_TITLE] = {"title", "TEXT",
                   "the page's title (default: from PATH, vendor-risk -> Vendor Risk)"},
    [OPT_AS_OF] = {"as-of", "YYYY-MM-DD",
                   "the date written as last_reviewed (default: today, UTC)"},
    {NULL, NULL, NULL},
};

const cli_command cmd_new_def = {
    "new",
    "Write a new page from an archetype: the site's archetypes/KIND.md (site.yml's\n"
    "archetypes folder), or charter's own (policy). The front matter gets the next id of\n"
    "the section's scheme, the title, status draft, version 0.1, today's date, the site's\n"
    "review cycle, and empty owner and approver for you to fill in.",
    "KIND PATH [--title TEXT] [--site DIR] [--as-of YYYY-MM-DD]",
    "PATH is the page's place in the content directory, with or without .md:\n"
    "technology/vendor-risk writes content/technology/vendor-risk.md. Missing folders are\n"
    "made; a file that exists is never replaced. docs/editing.md says how each value is\n"
    "chosen.\n\n"
    "exit status: 0 written, 2 usage error, a file or URL that is taken, a path outside the\n"
    "content directory, or an IO or configuration error (nothing is written).\n",
    options,
    cmd_new,
};

typedef struct new_opts {
    const char *site, *title, *as_of;
} new_opts;

static int on_option(void *ctx, int opt, const char *value)
{
    new_opts *o = ctx;
    if (opt == OPT_SITE)
        o->site = value;
    else if (opt == OPT_TITLE)
        o->title = value;
    else if (opt == OPT_AS_OF)
        o->as_of = value;
    return 0;
}

static int is_kind_name(const char *k)
{
    return *k && strspn(k, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
                     strlen(k);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Appends the kinds there are: the site's <archetypes>/<kind>.md and the embedded
 * ones, sorted, each once, ", "-separated. */
static void list_kinds(buf *out, const site *s, diags *d)
{
    char **names = NULL;
    size_t n = 0;
    const char **kinds = NULL;
    if (fs_list_source(&names, &s->fs, s->cfg.archetypes, 1, d) == 0)
        for (char **p = names; *p; p++)
            n++;
    size_t n_embedded = 0;
    while (new_embedded_kinds[n_embedded])
        n_embedded++;
    kinds = xcalloc(n + n_embedded + 1, sizeof *kinds);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        if (len <= 3 || strcmp(names[i] + len - 3, ".md"))
            continue;
        names[i][len - 3] = '\0';
        if (is_kind_name(names[i]))
            kinds[k++] = names[i];
    }
    for (const char *const *e = new_embedded_kinds; *e; e++)
        kinds[k++] = *e;
    qsort(kinds, k, sizeof *kinds, cmp_str);
    for (size_t i = 0; i < k; i++)
        if (!i || strcmp(kinds[i], kinds[i - 1]))
            buf_printf(out, "%s%s", out->len ? ", " : "", kinds[i]);
    free(kinds);
    if (names)
        fs_list_free(names);
}

/* Prints "charter new: <before>'<subject>'<after>", the subject made safe
 * for a terminal; returns -1. */
static int refuse(const char *before, const char *subject, const char *after)
{
    buf t;
    buf_init(&t);
    diag_term_safe(&t, subject, strlen(subject));
    fprintf(stderr, "charter new: %s'%s'%s\n", before, t.data, after);
    buf_release(&t);
    return -1;
}

/* The page's path below the content directory from PATH as given: ".md"
 * added when missing, normalised, in NFC (as the content walk names
 * pages). Returns 0, or -1 after saying why it cannot be a page's path. */
static int page_rel(buf *rel, const char *arg)
{
    int err = -1;
    buf raw;
    buf_init(&raw);
    buf_adds(&raw, arg);
    for (const unsigned char *c = (const unsigned char *)arg; *c; c++)
        if (*c < 0x20 || *c == 0x7f) {
            refuse("the path ", arg, " holds a control character");
            goto done;
        }
    if (arg[0] == '/') {
        refuse("", arg, " is an absolute path: give the page's path inside the content directory");
        goto done;
    }
    if (!raw.len || raw.data[raw.len - 1] == '/') {
        refuse("", arg, " names no file: give the page's path, as technology/vendor-risk");
        goto done;
    }
    if (raw.len < 3 || strcmp(raw.data + raw.len - 3, ".md"))
        buf_adds(&raw, ".md");
    if (path_normalize(&raw) != 0) {
        refuse("", arg, " leads out of the content directory; nothing was written");
        goto done;
    }
    unicode_nfc(rel, raw.data, raw.len);
    err = 0;
done:
    buf_release(&raw);
    return err;
}

static int glob_any(const char **globs, size_t n, const char *rel, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (path_glob_match(globs[i], rel, name))
            return 1;
    return 0;
}

/* Whether the content walk would skip the page at rel for a name on its
 * way (as site.c's walk reads them): one starting with '_' or '.' that
 * include: does not bring back (a folder's _index.md is read), or one that
 * exclude: names. Returns 0, or -1 after saying so. */
static int page_skipped(const site *s, const char *rel, const char *arg)
{
    const site_config *c = &s->cfg;
    buf prefix;
    buf_init(&prefix);
    int err = 0;
    for (const char *name = rel; name && !err;
         name = strchr(name, '/') ? strchr(name, '/') + 1 : NULL) {
        size_t n = strcspn(name, "/");
        buf_reset(&prefix);
        buf_add(&prefix, rel, (size_t)(name - rel) + n);
        const char *base = prefix.data + (name - rel);
        int last = !name[n];
        if (path_is_hidden(base) && !(last && !strcmp(base, "_index.md")) &&
            !glob_any(c->include, c->n_include, prefix.data, base))
            err = refuse("", arg,
                         " would not be a page: charter skips names that start with '_' or '.'");
        else if (glob_any(c->exclude, c->n_exclude, prefix.data, base))
            err = refuse("", arg, " would not be a page: the site's exclude: setting skips it");
    }
    buf_release(&prefix);
    return err;
}

/* Appends the id of a new page at rel, learnt from the `id:`s the pages'
 * front matter gives (not the ids made from paths): those of its section
 * (its top folder; the pages outside any folder for one at the top) and,
 * to keep it unique, the whole site's. */
static void page_id(buf *id, const site *s, const char *rel, const char *kind)
{
    const char *slash = strchr(rel, '/');
    size_t sec_len = slash ? (size_t)(slash - rel) : 0;
    size_t n_sec = 0, n_site = 0;
    const char **sec_ids = xcalloc(s->n_pages + 1, sizeof *sec_ids);
    const char **site_ids = xcalloc(s->n_pages + 1, sizeof *site_ids);
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->id || p->id_own)
            continue;
        site_ids[n_site++] = p->id;
        if (slash ? !strncmp(p->rel, rel, sec_len + 1) : !strchr(p->rel, '/'))
            sec_ids[n_sec++] = p->id;
    }
    char *section = xstrndup(rel, sec_len);
    new_next_id(id, sec_ids, n_sec, site_ids, n_site, kind, section);
    free(section);
    free(sec_ids);
    free(site_ids);
}

/* Whether another output has the page's output file: a static file, or
 * one charter generates (the handbook, /soa/, /tags/...), as plan.c claims
 * them; a generated folder index gives its place to a page. Returns 0, or
 * -1 after saying which. */
static int output_taken(const site *s, const char *url, const char *out_file, const char *arg)
{
    const char *what = site_static_by_out(s, out_file) ? "a static file's" : NULL;
    size_t n;
    const plan_entry *e = plan_generated(s->plan, &n);
    for (size_t i = 0; i < n && !what; i++)
        if (!strcmp(e[i].out_file, out_file) && !site_folder_by_url(s, url))
            what = e[i].what;
    if (!what)
        return 0;
    buf msg;
    buf_init(&msg);
    buf_printf(&msg, "'%s' would be written to ", arg);
    buf after;
    buf_init(&after);
    buf_adds(&after, ", ");
    diag_term_safe(&after, what, strlen(what));
    buf_adds(&after, strncmp(what, "a static", 8) ? "'s path" : " path");
    buf_adds(&after, "; nothing was written");
    refuse(msg.data, out_file, after.data);
    buf_release(&msg);
    buf_release(&after);
    return -1;
}

/* Every folder on the way to the site-relative src must be a folder
 * inside the site (fs_source_kind reports a link leading out); the first
 * missing one and those below it are made when the page is written.
 * Returns 0, or -1 after reporting (to stderr or d: *reported set). */
static int path_clear(const site *s, buf *src, diags *d, int *reported)
{
    *reported = 0;
    for (char *p = strchr(src->data, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        int kind = fs_source_kind(&s->fs, src->data, NULL, d);
        int err = kind < 0 ? -1 : kind != FS_MISSING && kind != FS_DIR ? -2 : 0;
        if (err == -2)
            refuse("", src->data, " is not a folder; nothing was written");
        *p = '/';
        if (err) {
            *reported = err == -1;
            return -1;
        }
        if (kind == FS_MISSING)
            break;
    }
    return 0;
}

int cmd_new(int argc, char **argv)
{
    new_opts o = {.site = "."};
    const char *args[2];
    int n_args;
    int rc = cli_parse_args(&cmd_new_def, argc, argv, on_option, &o, args, 2, &n_args);
    if (rc != 0)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (n_args < 2) {
        cli_usage_error(&cmd_new_def, n_args ? "missing PATH, the new page's place in the "
                                               "content directory"
                                             : "missing KIND and PATH, as in 'charter new "
                                               "policy technology/vendor-risk'");
        return EXIT_USAGE;
    }
    const char *kind = args[0], *path = args[1];
    long as_of;
    if (cmd_parse_as_of(&as_of, &cmd_new_def, o.as_of) != 0)
        return EXIT_USAGE;
    if (!is_kind_name(kind)) {
        buf t;
        buf_init(&t);
        diag_term_safe(&t, kind, strlen(kind));
        cli_usage_error(&cmd_new_def,
                        "'%s' is not a kind: a kind names an archetype, in letters, digits, '-' "
                        "and '_'",
                        t.data);
        buf_release(&t);
        return EXIT_USAGE;
    }
    if (o.title && !*o.title) {
        cli_usage_error(&cmd_new_def, "'--title' must not be empty");
        return EXIT_USAGE;
    }

    int status = EXIT_USAGE;
    diags *load_d = diag_new(o.site), *d = diag_new(o.site);
    site *s = NULL;
    frontmatter fm = {0};
    int have_fm = 0;
    buf rel, src, arche, text, id, title, page_text, url, out_file, full, shown, kinds;
    buf *bufs[] = {&rel,       &src, &arche,    &text, &id,    &title,
                   &page_text, &url, &out_file, &full, &shown, &kinds};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        buf_init(bufs[i]);

    if (page_rel(&rel, path) != 0)
        goto done;
    if (site_load(&s, o.site, as_of, load_d) != 0) {
        fflush(stdout);
        cmd_print_diags(load_d);
        goto done;
    }
    /* The site's other findings are charter check's to report. */
    if (page_skipped(s, rel.data, path) != 0)
        goto done;
    path_join(&src, s->cfg.content, rel.data);

    /* The archetype: the site's own, else charter's. */
    buf_printf(&arche, "%s/%s.md", s->cfg.archetypes, kind);
    int k = fs_source_kind(&s->fs, arche.data, NULL, d);
    if (k < 0)
        goto fail;
    const char *from = arche.data;
    if (k != FS_MISSING) {
        if (fs_read_source(&text, &s->fs, arche.data, s->cfg.limits.page_bytes, "limits.page_bytes",
                           d) != 0)
            goto fail;
    } else if (new_embedded_archetype(kind)) {
        buf_adds(&text, new_embedded_archetype(kind));
        from = "(embedded)";
    } else {
        list_kinds(&kinds, s, d);
        cli_usage_error(&cmd_new_def, "unknown kind '%s' (no '%s'); the kinds are: %s", kind,
                        arche.data, kinds.data);
        goto done;
    }

    page_id(&id, s, rel.data, kind);
    if (!o.title)
        new_title_from_path(&title, rel.data);
    const yaml_node *review = yamltree_get(s->cfg.yaml, "review");
    const yaml_node *cycle = review ? yamltree_get(review, "cycle") : NULL;
    char date[11];
    date_format(date, as_of);
    new_values v = {
        .id = id.data,
        .title = o.title ? o.title : title.data,
        .date = date,
        .cycle = cycle && yamltree_kind(cycle) == YAML_SCALAR && !yamltree_is_null(cycle)
                     ? yamltree_text(cycle)
                     : "12 months",
        .keys = s->cfg.keys,
        .n_keys = s->cfg.n_keys,
    };
    if (new_fill(&page_text, text.data, text.len, from, &v, d) != 0)
        goto fail;

    /* Its URL, as site.c gives it: the permalink, else the pretty URL. */
    if (frontmatter_parse(&fm, page_text.data, page_text.len, src.data, d) != 0)
        goto fail;
    have_fm = 1;
    const yaml_node *permalink = yamltree_get(fm.data, "permalink");
    if (permalink && yamltree_kind(permalink) == YAML_SCALAR && !yamltree_is_null(permalink)) {
        const char *why;
        if (path_permalink(&url, &out_file, yamltree_text(permalink), &why) != 0) {
            buf_printf(&shown, " %s; nothing was written", why);
            refuse("the archetype's permalink ", yamltree_text(permalink), shown.data);
            goto done;
        }
    } else {
        path_page_url_style(&url, &out_file, rel.data, s->cfg.html_urls);
        site_address_case(s, &url, &out_file); /* as the load addresses it */
    }

    /* Nothing may be in the way: no file, no page at that URL, no link. */
    site_path(&full, s, src.data);
    struct stat st;
    if (lstat(full.data, &st) == 0) {
        refuse("", full.data, " exists; nothing was written");
        goto done;
    }
    const page *other = site_page_by_url(s, url.data);
    for (size_t i = 0; !other && i < s->n_pages; i++)
        if (s->pages[i]->url && !strcasecmp(s->pages[i]->url, url.data)) {
            /* Letter case alone (url-case-collision): a case-insensitive
             * file system, macOS's or Windows's, holds one of the two. */
            buf_adds(&shown, ", which differs only in letter case from the URL of '");
            diag_term_safe(&shown, s->pages[i]->src, strlen(s->pages[i]->src));
            buf_adds(&shown, "' (a case-insensitive file system holds one of the two); nothing "
                             "was written");
            buf_printf(&kinds, "'%s' would be served at ", path);
            refuse(kinds.data, url.data, shown.data);
            goto done;
        }
    if (other) {
        buf_adds(&shown, ", the URL of '");
        diag_term_safe(&shown, other->src, strlen(other->src));
        buf_adds(&shown, "'; nothing was written");
        buf_printf(&kinds, "'%s' would be served at ", path);
        refuse(kinds.data, url.data, shown.data);
        goto done;
    }
    if (output_taken(s, url.data, out_file.data, path) != 0)
        goto done;
    int reported;
    if (path_clear(s, &src, d, &reported) != 0) {
        if (reported)
            goto fail;
        goto done;
    }
    fs_chunk c = {page_text.data, page_text.len};
    if (fs_write_new(full.data, O_EXCL | O_NOFOLLOW, fs_fill_once, &c, NULL, NULL, d) != 0)
        goto fail;

    diag_term_safe(&shown, full.data, full.len);
    printf("wrote %s\n", shown.data);
    buf_reset(&shown);
    diag_term_safe(&shown, id.data, id.len);
    printf("id: %s\n", shown.data);
    buf_reset(&shown);
    buf_adds(&shown, s->cfg.base_url);
    url_encode_path(&shown, url.data + 1);
    buf_reset(&full);
    diag_term_safe(&full, shown.data, shown.len);
    printf("url: %s\n", full.data);
    if (s->cfg.nav_omit_unlisted) {
        /* Published only once the navigation's file names it. */
        buf_reset(&shown);
        diag_term_safe(&shown, s->cfg.nav_order, strlen(s->cfg.nav_order));
        printf("note: add it to '%s' to publish it (navigation.unlisted: omit)\n", shown.data);
    }
    status = EXIT_OK;
    goto done;
fail:
    fflush(stdout);
    cmd_print_diags(d);
done:
    if (have_fm)
        frontmatter_release(&fm);
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        buf_release(bufs[i]);
    site_free(s);
    diag_free(load_d);
    diag_free(d);
    return status;
}
