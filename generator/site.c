/* site: loads site.yml, discovers pages and static files under the content
 * directory (skipping `_` and `.` names, as Jekyll does), parses every page's
 * front matter in parallel into typed fields, and derives URLs, sections and
 * review dates. The content model is documented in docs/content-model.md. */
#include "site.h"
#include "crosswalk.h"
#include "embed.h"
#include "fs.h"
#include "history.h"
#include "layout.h"
#include "loadcache.h"
#include "manifest.h"
#include "oscal.h"
#include "paths.h"
#include "navorder.h"
#include "plan.h"
#include "terms.h"
#include "pool.h"
#include "unicode.h"
#include "watchdog.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directory settings name places the site reads: each must be inside
 * the site once its symbolic links are followed, so `content: c2` with c2 a
 * link to /etc is refused as the link itself is. */
static int check_dirs(site *s, diags *d)
{
    const site_config *c = &s->cfg;
    const char *const keys[] = {"content", "controls", "layouts", "assets"};
    const char *const dirs[] = {c->content, c->controls, c->layouts, c->assets};
    int err = 0;
    for (int i = 0; i < 4; i++) {
        struct stat st;
        int kind = fs_source_kind(&s->fs, dirs[i], &st, d);
        if (kind < 0) {
            const yaml_node *n = yamltree_get(c->yaml, keys[i]);
            err = diag_error(d, "site.yml", n ? yamltree_line(n) : 0, n ? yamltree_col(n) : 0,
                             "config", "'%s' must be a directory inside the site, not '%s'",
                             keys[i], dirs[i]);
        } else if (kind != FS_MISSING && kind != FS_DIR) {
            const yaml_node *n = yamltree_get(c->yaml, keys[i]);
            err =
                diag_error(d, "site.yml", n ? yamltree_line(n) : 0, n ? yamltree_col(n) : 0,
                           "config", "'%s' names '%s', which is not a directory", keys[i], dirs[i]);
        }
    }
    return err;
}

/* Jekyll's site.url and site.baseurl from base_url ("https://x.io/isms/":
 * "https://x.io" and "/isms"), its title and description, and comply's Go
 * template field .Name (the title). */
static void set_liquid_vars(site *s)
{
    const char *b = s->cfg.base_url;
    const char *path = b;
    if (url_is_external(b)) {
        const char *host = strstr(b, "//");
        path = host ? strchr(host + 2, '/') : NULL;
        if (!path)
            path = b + strlen(b);
    }
    s->vars_own[0] = xstrndup(b, (size_t)(path - b));
    size_t n = strlen(path);
    while (n && path[n - 1] == '/')
        n--;
    s->vars_own[1] = xstrndup(path, n);
    size_t i = 0;
    s->liquid_vars[i++] = "site.url";
    s->liquid_vars[i++] = s->vars_own[0];
    s->liquid_vars[i++] = "site.baseurl";
    s->liquid_vars[i++] = s->vars_own[1];
    s->liquid_vars[i++] = "site.title";
    s->liquid_vars[i++] = s->cfg.title;
    s->liquid_vars[i++] = ".Name";
    s->liquid_vars[i++] = s->cfg.title;
    if (s->cfg.description) {
        s->liquid_vars[i++] = "site.description";
        s->liquid_vars[i++] = s->cfg.description;
    }
    s->liquid_vars[i] = NULL;
}

static int is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int site_find_above(buf *out, const char *dir)
{
    buf up, probe;
    buf_init(&up);
    buf_init(&probe);
    struct stat top, st;
    int found = -1;
    if (stat(dir, &top) != 0)
        goto done;
    buf_adds(&up, dir);
    for (int depth = 0; depth < 64; depth++) {
        buf_reset(&probe);
        buf_printf(&probe, "%s/.git", up.data);
        int repo_top = lstat(probe.data, &st) == 0;
        buf_adds(&up, "/..");
        if (stat(up.data, &st) != 0 || st.st_dev != top.st_dev || repo_top)
            break;
        const char *names[] = {"site.yml", "_config.yml"};
        for (int k = 0; k < 2 && found; k++) {
            buf_reset(&probe);
            buf_printf(&probe, "%s/%s", up.data, names[k]);
            if (is_regular(probe.data))
                found = 0;
        }
        if (!found) {
            /* "./.." is "..": the path from dir, as a user would type it. */
            const char *p = up.data + strlen(dir) + 1;
            if (!strcmp(dir, "."))
                buf_adds(out, p);
            else
                buf_printf(out, "%s/%s", dir, p);
            break;
        }
        char *real = realpath(up.data, NULL);
        int at_root = !real || !strcmp(real, "/");
        free(real);
        if (at_root)
            break;
    }
done:
    buf_release(&up);
    buf_release(&probe);
    return found;
}

static int load_config(site *s, const char *base_url, diags *d)
{
    buf text;
    buf_init(&text);
    int err = -1;
    int kind = fs_source_kind(&s->fs, "site.yml", NULL, d);
    if (kind < 0)
        goto done;
    /* No site.yml: a Jekyll site builds from its own _config.yml. */
    const char *file = "site.yml";
    if (kind == FS_MISSING) {
        file = "_config.yml";
        kind = fs_source_kind(&s->fs, file, NULL, d);
        if (kind < 0)
            goto done;
    }
    if (kind == FS_MISSING) {
        buf above;
        buf_init(&above);
        if (site_find_above(&above, s->root) == 0)
            diag_error(d, NULL, 0, 0, "config",
                       "no 'site.yml' (or Jekyll '_config.yml') in '%s': it is a folder of the "
                       "site '%s'; pass --site %s, or run charter there",
                       s->root, above.data, above.data);
        else
            diag_error(d, NULL, 0, 0, "config",
                       "no 'site.yml' (or Jekyll '_config.yml') in '%s': run charter in a site's "
                       "directory, pass --site DIR, or run 'charter init' to make one",
                       s->root);
        buf_release(&above);
        goto done;
    }
    if (fs_read_source(&text, &s->fs, file, SITE_YML_MAX, "the fixed limit for site.yml", d) != 0)
        goto done;
    int rc;
    if (!strcmp(file, "site.yml")) {
        rc = config_parse(&s->cfg, text.data, text.len, d);
    } else {
        /* A Jekyll site without a title is named after its directory. */
        char *abs = realpath(s->root, NULL);
        const char *base = abs ? strrchr(abs, '/') : NULL;
        buf title;
        buf_init(&title);
        site_humanize(&title, base && base[1] ? base + 1 : "Policies",
                      strlen(base && base[1] ? base + 1 : "Policies"));
        s->title_own = buf_detach(&title);
        free(abs);
        rc = config_parse_jekyll(&s->cfg, text.data, text.len, s->title_own, d);
    }
    if (rc != 0 || check_dirs(s, d) != 0)
        goto done;
    if (base_url) {
        /* `charter serve`: the site as served here, not where it is published. */
        buf b;
        buf_init(&b);
        buf_adds(&b, base_url);
        if (!b.len || b.data[b.len - 1] != '/')
            buf_addc(&b, '/');
        free(s->cfg.base_url);
        s->cfg.base_url = buf_detach(&b);
    }
    set_liquid_vars(s);
    err = 0;
done:
    buf_release(&text);
    return err;
}

/* --- discovery -------------------------------------------------------------- */

/* A directory on the walk's way down, to recognise a symbolic link back up. */
typedef struct dir_id {
    dev_t dev;
    ino_t ino;
    const char *path; /* borrowed from the walk's `seen` map */
} dir_id;

typedef struct walk {
    site *s;
    char **mds;       /* pages: paths relative to the content dir, as on disk */
    char **nfcs;      /* ... and in NFC */
    struct stat *sts; /* ... and their stat, links followed */
    size_t n_mds, cap_mds;
    dir_id *up; /* the directories from the walk's top to the current one */
    size_t n_up, cap_up;
    map *seen;    /* "dev:ino" of every directory walked -> its path */
    char **paths; /* the paths `seen` and `up` borrow */
    size_t n_paths;
    buf other[4];             /* layouts, controls, assets, output, normalised: not content */
    history_ignores *ignores; /* what git ignores: no part of the site */
    size_t n_ignored;         /* of the content: files and folders git ignores */
    char *first_ignored;      /* the first of them, for the no-pages warning */
    size_t n_skipped;         /* Markdown files left out: exclude:, or a name's '_' or '.' */
    char *first_skipped;
    diags *d;
} walk;

static int glob_any(const char **globs, size_t n, const char *rel, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (path_glob_match(globs[i], rel, name))
            return 1;
    return 0;
}

/* Whether a walk skips the entry `name`, at `rel` below the walked directory
 * and `full` from the site root, before looking at it on disk: a `_` or `.`
 * name unless include: names it, what exclude: names, and in the content
 * walk the site's other directories and output inside it. At the site root
 * (content: .) also site.yml and the tool folders node_modules/ and vendor/. */
/* The collection whose folder `_<name>` is the first part of rel, or
 * NULL. */
static const struct site_collection *collection_of(const site_config *c, const char *rel)
{
    if (rel[0] != '_')
        return NULL;
    size_t n = strcspn(rel + 1, "/");
    for (size_t i = 0; i < c->n_collections; i++)
        if (strlen(c->collections[i].name) == n && !memcmp(rel + 1, c->collections[i].name, n))
            return &c->collections[i];
    return NULL;
}

static int skip_name(const walk *w, int pages, const char *rel, const char *name, const char *full)
{
    const site_config *c = &w->s->cfg;
    /* Hugo's _index.md is a folder's own page, as index.md is; a Jekyll
     * collection's folder at the content's root holds pages. */
    int section_page =
        pages && (path_md_named(name, "_index") ||
                  (!strcmp(rel, name) && collection_of(c, name) && !strchr(name, '/')));
    if (path_is_hidden(name) && !section_page && !glob_any(c->include, c->n_include, rel, name))
        return 1;
    if (glob_any(c->exclude, c->n_exclude, rel, name))
        return 1;
    if (!pages)
        return 0;
    for (int i = 0; i < 4; i++)
        if (!strcmp(full, w->other[i].data))
            return 1;
    for (size_t i = 0; i < c->n_statics; i++) {
        buf st;
        buf_init(&st);
        buf_adds(&st, c->statics[i]);
        int same = path_normalize(&st) == 0 && !strcmp(full, st.data);
        buf_release(&st);
        if (same)
            return 1;
    }
    /* At the root: charter's and the tools' files (Jekyll's own
     * exclusions too, for a site read from _config.yml). */
    static const char *const tools[] = {"site.yml", "node_modules", "vendor",
                                        "Gemfile",  "Gemfile.lock", "gemfiles"};
    size_t n_tools = c->jekyll ? 6 : 3;
    int tool = 0;
    for (size_t i = 0; i < n_tools && !tool; i++)
        tool = !strcmp(name, tools[i]);
    return !strcmp(c->content, ".") && !strcmp(rel, name) && tool &&
           !glob_any(c->include, c->n_include, rel, name);
}

/* A directory charter wrote (an output from `build --out`, or what a
 * crashed build left) carries its manifest or journal: never content. */
static int is_charter_output(const walk *w, const char *full)
{
    static const char *const marks[] = {OUTPUT_MANIFEST, OUTPUT_JOURNAL};
    for (int i = 0; i < 2; i++) {
        buf p;
        buf_init(&p);
        path_join(&p, full, marks[i]);
        diags *quiet = diag_new(NULL);
        int kind = fs_source_kind(&w->s->fs, p.data, NULL, quiet);
        diag_free(quiet);
        buf_release(&p);
        if (kind == FS_FILE)
            return 1;
    }
    return 0;
}

static void add_static(site *s, const char *src, const char *out_file)
{
    s->statics = xgrow(s->statics, s->n_statics, sizeof *s->statics);
    s->statics[s->n_statics++] = (static_file){xstrdup(src), xstrdup(out_file), NULL};
}

/* The default theme's assets (embed.h) that the site has no file for at
 * the same output path, published where the site's own copy would be.
 * Only the assets folder's files, statics [from, to), replace the theme's:
 * another file of the site at the same path (content/assets/search.js) is
 * an output-collision error, as one at a generated file's path is (plan.h),
 * not a theme replaced without a word. */
static void add_embedded_assets(site *s, size_t from, size_t to, diags *d)
{
    size_t n, own = s->n_statics;
    const embed_file *ef = embed_list("assets/", &n);
    buf out, src;
    buf_init(&out);
    buf_init(&src);
    for (size_t i = 0; i < n; i++) {
        buf_reset(&out);
        path_join(&out, "assets", ef[i].path + strlen("assets/"));
        size_t j = 0;
        while (j < own && strcmp(s->statics[j].out_file, out.data))
            j++;
        if (j < own && (j < from || j >= to))
            diag_error(d, s->statics[j].src, 0, 0, "output-collision",
                       "'%s' would replace the theme's '%s'; to change the theme's file, put it "
                       "in the assets folder ('%s'), else move or exclude this one",
                       s->statics[j].src, out.data, s->cfg.assets);
        if (j < own)
            continue;
        buf_reset(&src);
        embed_shown(&src, &ef[i]);
        add_static(s, src.data, out.data);
        s->statics[s->n_statics - 1].embedded = &ef[i];
    }
    buf_release(&out);
    buf_release(&src);
}

/* A file name must not hold control characters: a newline would split the
 * lines of every list charter writes (the manifest, sitemap, reports), and
 * the others print as terminal escapes. Reports at `path`; 0 when clean. */
static int check_name(const char *path, const char *name, diags *d)
{
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p >= 0x20 && *p != 0x7f)
            continue;
        return diag_error(d, path, 0, 0, "bad-file-name",
                          "the name '%s' contains %s; rename the file", path,
                          *p == '\n' ? "a newline" : "a control character");
    }
    return 0;
}

static void dir_key(buf *key, const struct stat *st)
{
    buf_printf(key, "%ju:%ju", (uintmax_t)st->st_dev, (uintmax_t)st->st_ino);
}

/* Refuses to enter a directory twice: a link back to one of its own
 * ancestors (`loop -> .`) would repeat the site forever, and one to a
 * directory walked elsewhere would publish it twice. Returns 0 to enter. */
static int enter_dir(walk *w, const char *path, const struct stat *st)
{
    for (size_t i = 0; i < w->n_up; i++)
        if (w->up[i].dev == st->st_dev && w->up[i].ino == st->st_ino)
            return diag_error(w->d, path, 0, 0, "symlink-loop",
                              "'%s' is a symbolic link to '%s', a folder that contains it", path,
                              w->up[i].path);
    buf key;
    buf_init(&key);
    dir_key(&key, st);
    const char *first = map_get(w->seen, key.data);
    buf_release(&key);
    if (first)
        return diag_error(w->d, path, 0, 0, "symlink-loop",
                          "'%s' leads to the folder '%s', which is already part of the site", path,
                          first);
    return 0;
}

/* Whether the link at `path` leads to a folder beside it in `list` (of
 * the folder `dir`), reported then: the finding names the link, whose fix
 * removes it, even where its name comes first (alink -> policies) and the
 * walk would otherwise find the folder where the link had led. */
static int link_to_sibling(walk *w, int pages, const char *rel, const fs_listing *list,
                           const buf *dir, const char *path, const struct stat *st)
{
    for (size_t j = 0; j < list->n; j++) {
        if (list->kinds[j] != FS_DIR || list->sts[j].st_dev != st->st_dev ||
            list->sts[j].st_ino != st->st_ino)
            continue;
        buf sib, sib_rel;
        buf_init(&sib);
        buf_init(&sib_rel);
        path_join(&sib, dir->data, list->names[j]);
        path_join(&sib_rel, rel, list->names[j]);
        /* A folder the walk leaves out is not part of the site. */
        int walked = !skip_name(w, pages, sib_rel.data, list->names[j], sib.data) &&
                     !history_ignores_skip(w->ignores, sib.data, 1);
        buf_release(&sib_rel);
        if (!walked) {
            buf_release(&sib);
            continue;
        }
        diag_error(w->d, path, 0, 0, "symlink-loop",
                   "'%s' leads to the folder '%s', which is already part of the site", path,
                   sib.data);
        buf_release(&sib);
        return 1;
    }
    return 0;
}

static void push_dir(walk *w, const char *path, const struct stat *st)
{
    if (w->n_up == w->cap_up) {
        w->cap_up = w->cap_up ? w->cap_up * 2 : 16;
        w->up = xrealloc(w->up, w->cap_up * sizeof *w->up);
    }
    buf key;
    buf_init(&key);
    dir_key(&key, st);
    /* Paths are kept until the walk ends: the stack and the map borrow them. */
    char *copy = xstrdup(path);
    w->paths = xgrow(w->paths, w->n_paths, sizeof *w->paths);
    w->paths[w->n_paths++] = copy;
    map_put(w->seen, key.data, copy);
    w->up[w->n_up++] = (dir_id){st->st_dev, st->st_ino, copy};
    buf_release(&key);
}

/* Whether git ignores what the link at `full` (from the site root) leads
 * to, inside the site: a committed `notes.txt -> deploy-secrets.txt`
 * would publish the ignored secret under the link's name. */
static int link_ignored(walk *w, const char *full, int is_dir)
{
    if (!w->ignores)
        return 0;
    buf path;
    buf_init(&path);
    path_join(&path, w->s->root, full);
    char *target = realpath(path.data, NULL), *root = realpath(w->s->root, NULL);
    size_t rl = root ? strlen(root) : 0;
    int ignored = target && root && !strncmp(target, root, rl) && target[rl] == '/' &&
                  history_ignores_skip(w->ignores, target + rl + 1, is_dir);
    free(target);
    free(root);
    buf_release(&path);
    return ignored;
}

/* A static file that is a Git LFS pointer (a clone made without `git lfs
 * pull`: some 130 bytes naming the object) is published as it is, a PDF
 * that opens as text: a warning, from the first bytes of the small files
 * only. */
static void lfs_pointer(walk *w, const char *path, const struct stat *st)
{
    static const char head[] = "version https://git-lfs.github.com/spec/";
    if (st->st_size < (off_t)sizeof head || st->st_size > 1024)
        return;
    buf text;
    buf_init(&text);
    diags *quiet = diag_new(NULL);
    if (fs_read_source(&text, &w->s->fs, path, 1024, "limits.static_bytes", quiet) == 0 &&
        text.len >= sizeof head - 1 && !memcmp(text.data, head, sizeof head - 1))
        diag_warning(w->d, path, 1, 1, "lfs-pointer",
                     "'%s' is a Git LFS pointer, not the file it stands for, and is published "
                     "as it is: fetch the files before the build ('git lfs pull', or "
                     "actions/checkout with lfs: true)",
                     path);
    diag_free(quiet);
    buf_release(&text);
}

/* Walks the directory `top`/`rel` (relative to the site root; `rel` is the
 * part below the walk's top, as on disk). Pages are collected when `pages`
 * is set; every other file becomes a static file under out_prefix. Every
 * entry is known from the listing (no link) or through fs_source_kind, so
 * links leaving the site, loops and special files are reported as findings
 * while the rest of the site still loads. Returns 0, or -1 when a
 * directory cannot be listed at all. */
static int walk_dir(walk *w, const char *top, const char *rel, int pages, const char *out_prefix)
{
    buf dir, child_rel, full, out, nfc;
    buf_init(&dir);
    buf_init(&child_rel);
    buf_init(&full);
    buf_init(&out);
    buf_init(&nfc);
    fs_listing list = {0};
    int err = -1;
    history_ignores *ignores = w->ignores; /* put back at the end */
    size_t depth = rel[0] != '\0';
    for (const char *c = rel; *c; c++)
        depth += *c == '/';
    path_join(&dir, top, rel);
    if (fs_list_source_stat(&list, &w->s->fs, dir.data, w->d) != 0)
        goto done;
    err = 0;
    /* git's ignore rules, which decide what is part of the site, are read
     * from a file of the site: not through a link (outside, it would say
     * what the site holds; git 2.32 and later refuse one too), nor from a
     * FIFO, which blocks their reading. Then they are not asked here or
     * below (a reader of git's waiting on a FIFO is let go, reading
     * nothing); the walk's budget bounds the status's reading. */
    for (size_t i = 0; ignores && i < list.n; i++) {
        if (strcmp(list.names[i], ".gitignore") || list.kinds[i] == FS_FILE)
            continue;
        path_join(&full, dir.data, list.names[i]);
        struct stat lst;
        int link = lstat(full.data, &lst) == 0 && S_ISLNK(lst.st_mode);
        buf what;
        buf_init(&what);
        if (!link)
            fs_describe_kind(&what, &list.sts[i]);
        diag_error(w->d, full.data, 0, 0, link ? "unsafe-link" : "special-file",
                   link ? "'%s' is a link: git's ignore rules are not read through one (git 2.32 "
                          "and later refuse it too); make it a file"
                        : "'%s' is %s, not a regular file: git's ignore rules cannot be read "
                          "from it",
                   full.data, what.data);
        buf_release(&what);
        if (!link && S_ISFIFO(list.sts[i].st_mode)) {
            int fd = open(full.data, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
            if (fd >= 0)
                close(fd);
        }
        w->ignores = NULL;
    }
    for (size_t i = 0; i < list.n; i++) {
        char *const *p = &list.names[i];
        buf_reset(&child_rel);
        if (rel[0])
            buf_printf(&child_rel, "%s/%s", rel, *p);
        else
            buf_adds(&child_rel, *p);
        buf_reset(&full);
        path_join(&full, top, child_rel.data);
        if (skip_name(w, pages, child_rel.data, *p, full.data)) {
            if (pages && path_md_ext(*p, strlen(*p)) && !w->n_skipped++)
                w->first_skipped = xstrdup(full.data);
            continue;
        }
        /* Known from the listing when no link, as fs_source_kind knows it. */
        struct stat st = list.sts[i];
        int kind = list.kinds[i];
        if (depth >= SITE_MAX_DEPTH && (kind == FS_DIR || kind < 0)) {
            /* Bounded before git's ignore rules are asked (each asking
             * reads every folder's .gitignore above it: 2,000 folders deep
             * took 90 s, 10,000 hours), and the walk with them. */
            diag_error(w->d, full.data, 0, 0, "too-large",
                       "'%s' is %zu folders deep, deeper than any page or file of a site may "
                       "lie (%d folders); it is not read",
                       full.data, depth + 1, SITE_MAX_DEPTH);
            continue;
        }
        /* A file git ignores (a local secret, a tool's build output) is no
         * part of the repository: not published, not read, not reported. */
        if (history_ignores_skip(w->ignores, full.data, kind == FS_DIR)) {
            if (pages && !w->n_ignored++)
                w->first_ignored = xstrdup(full.data);
            continue;
        }
        if (check_name(full.data, *p, w->d) != 0)
            continue;
        if (kind >= 0)
            fs_trace_seen(&w->s->fs, full.data, &st);
        else if ((kind = fs_source_kind(&w->s->fs, full.data, &st, w->d)) >= 0 &&
                 link_ignored(w, full.data, kind == FS_DIR))
            continue; /* a link to what git ignores: its target is no part of the site */
        if (kind == FS_DIR) {
            if (list.kinds[i] < 0 && link_to_sibling(w, pages, rel, &list, &dir, full.data, &st))
                continue;
            if (is_charter_output(w, full.data) || enter_dir(w, full.data, &st) != 0)
                continue;
            push_dir(w, full.data, &st);
            err |= walk_dir(w, top, child_rel.data, pages, out_prefix);
            w->n_up--;
            continue;
        }
        if (kind == FS_SPECIAL) {
            buf what;
            buf_init(&what);
            fs_describe_kind(&what, &st);
            diag_error(w->d, full.data, 0, 0, "special-file", "'%s' is %s, not a regular file",
                       full.data, what.data);
            buf_release(&what);
            continue;
        }
        if (kind != FS_FILE)
            continue; /* reported, or a link to nothing */
        /* Names are compared in NFC: "café.md" saved by macOS (NFD) is the
         * page a Markdown link spelt "café.md" (NFC) points to. */
        buf_reset(&nfc);
        unicode_nfc(&nfc, child_rel.data, child_rel.len);
        size_t n = strlen(*p);
        if (pages && n > 4 && !strcasecmp(*p + n - 4, ".mdx")) {
            /* MDX (Docusaurus, Nextra, Starlight) is JSX as much as
             * Markdown: not read as a page, and never published as it is,
             * comments and imports included. */
            diag_warning(w->d, full.data, 1, 1, "mdx-page",
                         "'%s' is an MDX page, which charter does not read: it is left out "
                         "(rename it to .md if it is plain Markdown, or exclude it: exclude: "
                         "[\"*.mdx\"])",
                         full.data);
            continue;
        }
        if (pages && path_md_ext(*p, n)) {
            if (w->n_mds == w->cap_mds) {
                w->cap_mds = w->cap_mds ? w->cap_mds * 2 : 64;
                w->mds = xrealloc(w->mds, w->cap_mds * sizeof *w->mds);
                w->nfcs = xrealloc(w->nfcs, w->cap_mds * sizeof *w->nfcs);
                w->sts = xrealloc(w->sts, w->cap_mds * sizeof *w->sts);
            }
            w->sts[w->n_mds] = st;
            w->nfcs[w->n_mds] = xstrdup(nfc.data);
            w->mds[w->n_mds++] = xstrdup(child_rel.data);
        } else if ((uintmax_t)st.st_size > (uintmax_t)w->s->cfg.limits.static_bytes) {
            /* A finding at load, like a page over its limit, not an IO
             * failure when it is copied. */
            diag_error(w->d, full.data, 0, 0, "too-large",
                       "'%s' is %jd bytes, over the limit of %zu (limits.static_bytes)", full.data,
                       (intmax_t)st.st_size, w->s->cfg.limits.static_bytes);
        } else {
            buf_reset(&out);
            path_join(&out, out_prefix, nfc.data);
            const char *last = strrchr(out.data, '/');
            if (pages && w->s->cfg.lower_urls && last) {
                /* A page's file beside it, at its folder's lowercased
                 * address with its own name, as Hugo publishes a bundle's
                 * resource. */
                buf low;
                buf_init(&low);
                size_t dl = (size_t)(last - out.data);
                unicode_lower(&low, out.data, dl);
                buf_adds(&low, last);
                buf_reset(&out);
                buf_add(&out, low.data, low.len);
                buf_release(&low);
            }
            if (!strcasecmp(out.data, "site.yml") || !strcasecmp(out.data, "_config.yml"))
                /* The output would look like a site's sources, which every
                 * later build refuses to replace (output.c). */
                diag_error(w->d, full.data, 0, 0, "output-collision",
                           "'%s' would be published as '%s' at the top of the output, which the "
                           "next build would take for a site's sources and refuse to replace; "
                           "exclude or rename it",
                           full.data, out.data);
            else {
                lfs_pointer(w, full.data, &st);
                add_static(w->s, full.data, out.data);
            }
        }
    }
done:
    w->ignores = ignores;
    fs_listing_release(&list);
    buf_release(&dir);
    buf_release(&child_rel);
    buf_release(&full);
    buf_release(&out);
    buf_release(&nfc);
    return err;
}

/* Walks one of the site's directories (content, assets) from its top;
 * a missing one is nothing to walk. */
static int walk_top(walk *w, const char *top, int pages, const char *out_prefix)
{
    struct stat st;
    int kind = fs_source_kind(&w->s->fs, top, &st, w->d);
    if (kind != FS_DIR)
        return kind < 0 ? -1 : 0;
    push_dir(w, top, &st);
    int err = walk_dir(w, top, "", pages, out_prefix);
    w->n_up--;
    return err;
}

/* --- pages ------------------------------------------------------------------ */

void site_humanize(buf *out, const char *name, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = name[i] == '-' || name[i] == '_' ? ' ' : name[i];
        buf_addc(out, i == 0 ? (char)toupper((unsigned char)c) : c);
    }
}

static int is_known_status(const char *s)
{
    return strcmp(s, "draft") == 0 || strcmp(s, "approved") == 0 || strcmp(s, "retired") == 0;
}

/* A string or a list of strings; a string is split on whitespace and commas
 * when the list is read (templates). Here only the types are checked. */
static int check_list_or_string(const yaml_node *n, const char *key, const char *file, diags *d)
{
    if (yamltree_kind(n) == YAML_SCALAR)
        return 0;
    if (yamltree_kind(n) != YAML_SEQUENCE)
        return diag_error(d, file, yamltree_line(n), yamltree_col(n), "invalid-type",
                          "'%s' must be a list or a string, not a mapping", key);
    int err = 0;
    const char *s;
    for (size_t i = 0; i < yamltree_len(n); i++) {
        const yaml_node *it = yamltree_item(n, i);
        if (yamltree_kind(it) == YAML_MAPPING && terms_item_name(it))
            continue; /* Docusaurus's {label: ..., permalink: ...} */
        if (yamltree_kind(it) == YAML_MAPPING)
            err |= diag_error(d, file, yamltree_line(it), yamltree_col(it), "invalid-type",
                              "'%s' must list strings or mappings with a 'label', not a mapping "
                              "without one",
                              key);
        else
            err |= yamltree_as_string(&s, it, key, file, d);
    }
    return err;
}

/* The front matter keys charter reads; every other key is the team's. */
static int is_model_key(const char *k)
{
    static const char *const keys[] = {"title",     "layout",         "id",          "description",
                                       "owner",     "status",         "version",     "section",
                                       "approver",  "classification", "permalink",   "review_cycle",
                                       "published", "last_reviewed",  "next_review", "date",
                                       "controls",  "tags",           "categories",  "weight"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(k, keys[i]))
            return 1;
    return 0;
}

/* Whether v stands in for a value not yet known: TBD, TODO or TBC in any
 * case (plain, quoted or bracketed), `[TBD]` (a list of just that), or an
 * empty string. Returns 2 for the list, 1 for a string, else 0; sets *shown
 * to the text to quote. */
static int is_placeholder(const yaml_node *v, const char **shown)
{
    if (yamltree_kind(v) == YAML_SEQUENCE && yamltree_len(v) == 1 &&
        yamltree_kind(yamltree_item(v, 0)) == YAML_SCALAR) {
        const char *t = yamltree_text(yamltree_item(v, 0));
        *shown = t;
        return !strcasecmp(t, "TBD") || !strcasecmp(t, "TODO") || !strcasecmp(t, "TBC") ? 2 : 0;
    }
    if (yamltree_kind(v) != YAML_SCALAR)
        return 0;
    const char *t = yamltree_text(v);
    size_t n = strlen(t);
    *shown = t;
    if (n >= 2 && t[0] == '[' && t[n - 1] == ']') {
        t++;
        n -= 2;
    }
    static const char *const marks[] = {"TBD", "TODO", "TBC"};
    for (size_t i = 0; i < 3; i++)
        if (n == strlen(marks[i]) && !strncasecmp(t, marks[i], n))
            return 1;
    return n == 0;
}

/* Whether a `defaults:` scope path covers the page at rel: "" every page, a
 * glob by path_glob_match, else the folder (or file) it names. */
static int default_covers(const char *path, const char *rel)
{
    if (!*path)
        return 1;
    if (strpbrk(path, "*?["))
        return path_glob_match(path, rel, strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel);
    size_t n = strlen(path);
    while (n && path[n - 1] == '/')
        n--;
    return !strncmp(rel, path, n) && (rel[n] == '/' || rel[n] == '\0');
}

/* Whether default pd applies to the page at rel: its scope's path covers
 * it, and its type (Jekyll's) is the page's: "pages" for a page in no
 * collection, else its collection's name. */
static int default_applies(const site_config *c, const page_default *pd, const char *rel)
{
    if (!default_covers(pd->path, rel))
        return 0;
    if (!pd->type)
        return 1;
    const struct site_collection *coll = collection_of(c, rel);
    return coll ? !strcmp(pd->type, coll->name) : !strcmp(pd->type, "pages");
}

/* The name charter reads for a page's key k: its alias target, or k. */
static const char *canonical_key(const site_config *c, const char *k)
{
    for (size_t i = 0; i < c->n_keys; i++)
        if (!strcmp(c->keys[i].alias, k))
            return c->keys[i].key;
    return k;
}

/* comply's `satisfies: {TSC: [CC1.1, ...]}`: one framework-qualified id per
 * item ("TSC:CC1.1"), each at its item's position. NULL when v is not a
 * mapping of lists of scalars (the type error is reported as for any
 * `controls:`). */
static yaml_node *flatten_controls(const yaml_node *v)
{
    if (yamltree_kind(v) != YAML_MAPPING)
        return NULL;
    yaml_node *seq = yamltree_new(YAML_SEQUENCE, NULL, 0, v);
    buf id;
    buf_init(&id);
    for (size_t i = 0; i < yamltree_len(v); i++) {
        const yaml_node *fw = yamltree_key(v, i), *ids = yamltree_item(v, i);
        size_t n = yamltree_kind(ids) == YAML_SEQUENCE ? yamltree_len(ids) : 1;
        for (size_t j = 0; j < n; j++) {
            const yaml_node *x = yamltree_kind(ids) == YAML_SEQUENCE ? yamltree_item(ids, j) : ids;
            if (yamltree_kind(x) != YAML_SCALAR) {
                yamltree_free(seq);
                buf_release(&id);
                return NULL;
            }
            buf_reset(&id);
            buf_printf(&id, "%s:%s", yamltree_text(fw), yamltree_text(x));
            yamltree_append(seq, NULL, yamltree_new(YAML_SCALAR, id.data, 1, x));
        }
    }
    buf_release(&id);
    return seq;
}

/* Applies the site's key aliases and front matter defaults to a page's
 * front matter, replacing p->fm.data with the result when anything
 * applies: an alias is renamed to charter's key (unless the page also
 * sets that key), a `controls:` mapping of framework to ids becomes a list
 * of qualified ids, and a default fills a key the page does not set (later
 * defaults win). */
/* The value the dotted alias names in fm (keys: {owner: extra.owner}: the
 * `owner` of the table `extra`, Zola's and Hugo's [extra] or [params]),
 * or NULL: none, or an alias without a dot. */
static const yaml_node *dotted_value(const yaml_node *fm, const char *alias)
{
    if (!strchr(alias, '.'))
        return NULL;
    const yaml_node *cur = fm;
    buf part;
    buf_init(&part);
    for (const char *c = alias; cur && *c;) {
        size_t n = strcspn(c, ".");
        buf_reset(&part);
        buf_add(&part, c, n);
        cur = yamltree_kind(cur) == YAML_MAPPING ? yamltree_get(cur, part.data) : NULL;
        c += n;
        if (*c)
            c++;
    }
    buf_release(&part);
    return cur && !yamltree_is_null(cur) ? cur : NULL;
}

static void apply_site_keys(page *p, const site *s)
{
    const site_config *c = &s->cfg;
    const yaml_node *fm = p->fm.data;
    int any = 0;
    for (size_t i = 0; i < c->n_keys && !any; i++)
        any = !yamltree_get(fm, c->keys[i].key) && dotted_value(fm, c->keys[i].alias);
    for (size_t i = 0; i < yamltree_len(fm) && !any; i++) {
        const char *k = yamltree_text(yamltree_key(fm, i));
        const char *ck = canonical_key(c, k);
        any = ck != k ||
              (!strcmp(ck, "controls") && yamltree_kind(yamltree_item(fm, i)) == YAML_MAPPING);
    }
    const yaml_node *lay = yamltree_get(fm, "layout");
    for (size_t i = 0; i < c->n_defaults && !any; i++)
        any = default_applies(c, &c->defaults[i], p->rel);
    if (!any)
        return;
    yaml_node *out = yamltree_new(YAML_MAPPING, NULL, 0, fm);
    for (size_t i = 0; i < yamltree_len(fm); i++) {
        const yaml_node *key = yamltree_key(fm, i), *v = yamltree_item(fm, i);
        const char *k = yamltree_text(key);
        const char *ck = canonical_key(c, k);
        if (ck != k && yamltree_get(fm, ck))
            ck = k; /* the page sets charter's own key too: that one counts */
        yaml_node *val = NULL;
        if (!strcmp(ck, "controls"))
            val = flatten_controls(v);
        yamltree_append(out, yamltree_new(YAML_SCALAR, ck, 0, key),
                        val ? val : yamltree_copy(v, NULL));
    }
    /* A key site.yml's keys: names by a dotted path, where the page does
     * not set it itself: at the value's place, for its findings. */
    for (size_t i = 0; i < c->n_keys; i++) {
        const yaml_node *v =
            yamltree_get(out, c->keys[i].key) ? NULL : dotted_value(fm, c->keys[i].alias);
        if (!v)
            continue;
        yaml_node *val = NULL;
        if (!strcmp(c->keys[i].key, "controls"))
            val = flatten_controls(v);
        yamltree_append(out, yamltree_new(YAML_SCALAR, c->keys[i].key, 0, v),
                        val ? val : yamltree_copy(v, NULL));
    }
    /* Defaults: the layout first (a default's scope may name a layout). */
    const char *lname = lay && yamltree_kind(lay) == YAML_SCALAR ? yamltree_text(lay) : NULL;
    if (!lname)
        for (size_t i = 0; i < c->n_defaults; i++) {
            const yaml_node *l = yamltree_get(c->defaults[i].values, "layout");
            if (l && yamltree_kind(l) == YAML_SCALAR && !c->defaults[i].layout &&
                default_applies(c, &c->defaults[i], p->rel))
                lname = yamltree_text(l);
        }
    size_t n_own = yamltree_len(out);
    for (size_t i = 0; i < c->n_defaults; i++) {
        const page_default *pd = &c->defaults[i];
        if (!default_applies(c, pd, p->rel) ||
            (pd->layout && (!lname || strcmp(pd->layout, lname) != 0)))
            continue;
        for (size_t j = 0; j < yamltree_len(pd->values); j++) {
            const yaml_node *key = yamltree_key(pd->values, j);
            const char *ck = canonical_key(c, yamltree_text(key));
            if (yamltree_get(fm, yamltree_text(key)) || yamltree_get(fm, ck))
                continue;
            /* A later default for the same key replaces an earlier one. */
            size_t at = n_own;
            while (at < yamltree_len(out) && strcmp(yamltree_text(yamltree_key(out, at)), ck))
                at++;
            /* Placed at the page's front matter: findings about a
             * default's value are the page's (which has no line for it). */
            yaml_node *val = yamltree_copy(yamltree_item(pd->values, j), fm);
            if (!strcmp(ck, "controls")) {
                yaml_node *flat = flatten_controls(val);
                if (flat) {
                    yamltree_free(val);
                    val = flat;
                }
            }
            if (at < yamltree_len(out))
                yamltree_replace(out, at, val);
            else
                yamltree_append(out, yamltree_new(YAML_SCALAR, ck, 0, fm), val);
        }
    }
    yamltree_free(p->fm.data);
    p->fm.data = yamltree_pack(out);
}

/* The site's `policies:` rule: a path glob, a layout (as the page names
 * it, before any fallback) or a key. */
/* Whether the front matter key `name` is `key` written another way:
 * letters in another case, a space or '-' for '_' ("Last Reviewed",
 * "last-reviewed" for last_reviewed). */
static int key_folds_to(const char *name, const char *key)
{
    for (; *name && *key; name++, key++) {
        char a = (char)tolower((unsigned char)*name), b = (char)tolower((unsigned char)*key);
        if (a == ' ' || a == '-')
            a = '_';
        if (b == ' ' || b == '-')
            b = '_';
        if (a != b)
            return 0;
    }
    return !*name && !*key;
}

/* The first key of fm that is `key` written another way (key_folds_to),
 * not as it is; NULL when none. */
static const yaml_node *folded_key(const yaml_node *fm, const char *key)
{
    for (size_t i = 0; i < yamltree_len(fm); i++) {
        const yaml_node *k = yamltree_key(fm, i);
        const char *name = yamltree_text(k);
        if (strcmp(name, key) != 0 && key_folds_to(name, key) &&
            !yamltree_is_null(yamltree_item(fm, i)))
            return k;
    }
    return NULL;
}

static int is_policy(const page *p, const site_config *c, const char *lname)
{
    const char *name = strrchr(p->rel, '/') ? strrchr(p->rel, '/') + 1 : p->rel;
    for (size_t i = 0; i < c->n_policy_paths; i++)
        if (path_glob_match(c->policy_paths[i], p->rel, name))
            return 1;
    for (size_t i = 0; i < c->n_policy_layouts; i++)
        if (!strcmp(c->policy_layouts[i], lname))
            return 1;
    for (size_t i = 0; i < c->n_policy_keys; i++) {
        const yaml_node *v = yamltree_get(p->fm.data, c->policy_keys[i]);
        if (v && !yamltree_is_null(v))
            return 1;
        /* `Owner:` or `Last Reviewed:` is meant as the key: the page is
         * a policy, and missing-required-key asks about the spelling,
         * rather than the page passing unchecked. */
        if (folded_key(p->fm.data, c->policy_keys[i]))
            return 1;
        /* So is an alias of it so written (`Policy_Owner:` where keys:
         * reads policy_owner). */
        for (size_t j = 0; j < c->n_keys; j++)
            if (!strcmp(c->keys[j].key, c->policy_keys[i]) &&
                folded_key(p->fm.data, c->keys[j].alias))
                return 1;
    }
    return 0;
}

/* site.by_name's mark for a name two pages share. */
static const char name_shared;

/* Appends name[0, n) lowercase (ASCII), as by_name's keys are. */
static void name_key(buf *out, const char *name, size_t n)
{
    for (size_t k = 0; k < n; k++)
        buf_addc(out, (char)tolower((unsigned char)name[k]));
}

/* Whether the file name base is a README page (README.md, readme.md). */
static int readme_named(const char *base)
{
    size_t n = strlen(base), e = path_md_ext(base, n);
    return e && n - e == 6 && !strncasecmp(base, "README", 6);
}

/* rel without the number prefix of each of its names, Docusaurus's
 * (path_number_prefix: "01-policies/02-access.md" is "policies/access.md"),
 * into out. */
static void strip_number_prefixes(buf *out, const char *rel)
{
    for (const char *c = rel; *c;) {
        size_t n = strcspn(c, "/");
        size_t k = path_number_prefix(c, n, NULL);
        buf_add(out, c + k, n - k);
        c += n;
        if (*c == '/')
            buf_addc(out, *c++);
    }
}

/* Whether the pages' permalink is Docusaurus's slug (keys: {permalink:
 * slug}), whose value without a '/' first is relative to the page. */
static int slug_permalinks(const site *s)
{
    for (size_t i = 0; i < s->cfg.n_keys; i++)
        if (!strcmp(s->cfg.keys[i].key, "permalink") && !strcmp(s->cfg.keys[i].alias, "slug"))
            return 1;
    return 0;
}

/* Whether p's id: names its URL in its folder, as Docusaurus reads a doc
 * without a slug (`id: access-control` in docs/policies/ac.md is
 * /policies/access-control/): under keys: {permalink: slug}, for an id
 * Docusaurus accepts as a name (no '/'), and not for a folder's own page
 * (index.md, README.md, or a file named as its folder), which keeps its
 * folder's URL there. */
static int docusaurus_id_names(const site *s, const page *p)
{
    const char *id = p->id;
    if (!id || !*id || id[0] == '.' || strcspn(id, "/\\?#%") != strlen(id) || !slug_permalinks(s))
        return 0;
    const char *slash = strrchr(p->rel, '/'), *base = slash ? slash + 1 : p->rel;
    size_t n = strlen(base), e = path_md_ext(base, n);
    if (readme_named(base) || (n - e == 5 && !strncmp(base, "index", 5)))
        return 0;
    if (slash) { /* governance/governance.md */
        const char *dir = slash;
        while (dir > p->rel && dir[-1] != '/')
            dir--;
        if ((size_t)(slash - dir) == n - e && !strncmp(dir, base, n - e))
            return 0;
    }
    return 1;
}

/* The URL and output file of page p where no permalink says otherwise
 * (path_page_url's), but for a folder's README under readme_index: its
 * folder's, as GitHub shows it, when no index page is there. */
void site_address_case(const site *s, buf *url, buf *out)
{
    if (!s->cfg.lower_urls)
        return;
    buf *both[] = {url, out};
    buf low;
    buf_init(&low);
    for (int i = 0; i < 2; i++) {
        buf_reset(&low);
        unicode_lower(&low, both[i]->data ? both[i]->data : "", both[i]->len);
        buf_reset(both[i]);
        buf_add(both[i], low.data ? low.data : "", low.len);
    }
    buf_release(&low);
}

static void page_default_url(const site *s, const page *p, buf *url, buf *out)
{
    buf stripped;
    buf_init(&stripped);
    const char *rel = p->rel;
    if (s->cfg.strip_number_prefixes) {
        strip_number_prefixes(&stripped, rel);
        rel = stripped.data ? stripped.data : "";
    }
    const char *slash = strrchr(rel, '/'), *base = slash ? slash + 1 : rel;
    size_t dl = (size_t)(base - rel);
    if (s->cfg.readme_index && s->index_folders && readme_named(base)) {
        buf dir;
        buf_init(&dir);
        buf_add(&dir, p->rel, (size_t)(strrchr(p->rel, '/') ? strrchr(p->rel, '/') - p->rel : 0));
        int taken = map_get(s->index_folders, dir.data ? dir.data : "") != NULL;
        buf_reset(&dir);
        buf_add(&dir, rel, dl);
        buf_adds(&dir, "index.md");
        path_page_url_style(url, out, taken ? rel : dir.data, s->cfg.html_urls);
        buf_release(&dir);
    } else {
        path_page_url_style(url, out, rel, s->cfg.html_urls);
    }
    site_address_case(s, url, out);
    buf_release(&stripped);
}

/* The key of the front matter fm spelt like `key` but not it (`ownr` for
 * owner, `Owner`): one edit away, two from eight letters, or another case.
 * NULL when none is. */
static const yaml_node *misspelt_key(const yaml_node *fm, const char *key)
{
    size_t cap = strlen(key) >= 8 ? 2 : 1;
    for (size_t i = 0; i < yamltree_len(fm); i++) {
        const yaml_node *k = yamltree_key(fm, i);
        const char *name = yamltree_text(k);
        if (strlen(name) >= 3 && strcmp(name, key) != 0 &&
            (key_folds_to(name, key) || diag_edit_distance(name, key, cap) <= cap))
            return k;
    }
    return NULL;
}

/* p's url and full_url from url (taken), and its out_file from out. The
 * full URL, encoded once here, is what every page linking to p writes:
 * 40,000 and more times at 10,000 pages. */
static void set_page_url(page *p, const site *s, buf *url, buf *out)
{
    buf full;
    buf_init(&full);
    buf_adds(&full, s->cfg.base_url);
    url_encode_path(&full, url->data + 1);
    p->full_url = buf_detach(&full);
    p->url = buf_detach(url);
    p->out_file = buf_detach(out);
}

/* Whether Hugo's build options v (`build:` or `_build:`) say the page is
 * never rendered: render never, false or link (a permalink, no file). */
static int never_rendered(const yaml_node *v)
{
    const yaml_node *r = v && yamltree_kind(v) == YAML_MAPPING ? yamltree_get(v, "render") : NULL;
    const char *t = r && yamltree_kind(r) == YAML_SCALAR ? yamltree_text(r) : NULL;
    return t && (!strcasecmp(t, "never") || !strcasecmp(t, "false") || !strcasecmp(t, "link"));
}

static int bundle_hides(const map *hiding, const char *rel);

/* An owner written as a string, or as a person (`{name: Priya, email:
 * priya@example.com}`, a GRC tool's export): the name, else the e-mail, in
 * *out (borrowed from v). Returns 0, or -1 reported. */
static int owner_name(const char **out, const yaml_node *v, const char *f, diags *d)
{
    if (yamltree_kind(v) != YAML_MAPPING)
        return yamltree_as_string(out, v, "owner", f, d);
    const char *keys[] = {"name", "email"};
    for (int k = 0; k < 2; k++) {
        const yaml_node *n = yamltree_get(v, keys[k]);
        if (n && !yamltree_is_null(n))
            return yamltree_as_string(out, n, keys[k], f, d);
    }
    return diag_error(d, f, yamltree_line(v), yamltree_col(v), "invalid-type",
                      "'owner' must be a name, a list of names, or a person with a 'name' or "
                      "'email', not a mapping with neither");
}

static int page_model(page *p, const site *s, diags *d)
{
    apply_site_keys(p, s);
    const yaml_node *fm = p->fm.data;
    const char *f = p->src;
    int err = 0;
    p->layout = NULL; /* set below when the page names none */
    p->published = 1;
    p->hides_below = 0;
    p->nav_hidden = p->unsearched = p->own_section = p->has_ignore = 0;
    p->nav_label = NULL;
    p->last_reviewed = p->next_review = -1;
    const char *permalink = NULL, *cycle = NULL, *slug = NULL;
    for (size_t i = 0; i < yamltree_len(fm); i++) {
        const char *k = yamltree_text(yamltree_key(fm, i));
        const yaml_node *v = yamltree_item(fm, i);
        if (yamltree_is_null(v))
            continue;
        if (!strcmp(k, "ignore"))
            p->has_ignore = 1;
        /* A placeholder in a key charter reads is a finding, and the key
         * counts as absent (not a type error: `owner: [TBD]`). */
        const char *shown;
        int ph = is_model_key(k) ? is_placeholder(v, &shown) : 0;
        if (ph) {
            if (*shown)
                diag_error(d, f, yamltree_line(v), yamltree_col(v), "placeholder",
                           "'%s' is a placeholder ('%s%s%s'), not a value", k, ph == 2 ? "[" : "",
                           shown, ph == 2 ? "]" : "");
            else
                diag_error(d, f, yamltree_line(v), yamltree_col(v), "placeholder", "'%s' is empty",
                           k);
            err = -1;
            continue;
        }
        /* Owners as a list (a compliance tool's export: e-mail addresses),
         * or as people ({name:, email:}): shown by name, joined. */
        if (!strcmp(k, "owner") &&
            (yamltree_kind(v) == YAML_SEQUENCE || yamltree_kind(v) == YAML_MAPPING)) {
            buf o;
            buf_init(&o);
            int bad = 0, list = yamltree_kind(v) == YAML_SEQUENCE;
            for (size_t j = 0; j < (list ? yamltree_len(v) : 1) && !bad; j++) {
                const char *t = NULL;
                const yaml_node *one = list ? yamltree_item(v, j) : v;
                if (yamltree_is_null(one))
                    continue; /* `[a, ~]`: no one there */
                bad = owner_name(&t, one, f, d) != 0;
                if (!bad && t && *t)
                    buf_printf(&o, "%s%s", o.len ? ", " : "", t);
            }
            /* `[]`, `[""]`, `[~]`: no owner, as `owner: ""` is none. */
            if (!bad && !o.len)
                bad = diag_error(d, f, yamltree_line(v), yamltree_col(v), "placeholder",
                                 "'owner' is empty") != 0;
            err |= bad ? -1 : 0;
            free(p->owner_own);
            p->owner_own = o.len ? buf_detach(&o) : NULL;
            p->owner = p->owner_own;
            buf_release(&o);
            continue;
        }
        /* GitBook's `layout:` is a mapping of what its page shows
         * (`title: {visible: true}`), no layout's name: not charter's. */
        if (!strcmp(k, "layout") && yamltree_kind(v) == YAML_MAPPING)
            continue;
        /* String-valued keys of the content model. */
        static const struct {
            const char *key;
            size_t off;
        } strs[] = {
            {"title", offsetof(page, title)},     {"layout", offsetof(page, layout)},
            {"id", offsetof(page, id)},           {"description", offsetof(page, description)},
            {"owner", offsetof(page, owner)},     {"status", offsetof(page, status)},
            {"version", offsetof(page, version)}, {"section", offsetof(page, section_key)},
        };
        int done = 0;
        for (size_t j = 0; j < sizeof strs / sizeof strs[0] && !done; j++) {
            if (strcmp(k, strs[j].key) == 0) {
                err |= yamltree_as_string((const char **)((char *)p + strs[j].off), v, k, f, d);
                done = 1;
            }
        }
        if (done)
            continue;
        const char *tmp;
        long date;
        if (strcmp(k, "approver") == 0 || strcmp(k, "classification") == 0) {
            err |= yamltree_as_string(&tmp, v, k, f, d);
        } else if (strcmp(k, "permalink") == 0) {
            /* Eleventy's `permalink: false`: the page is not written. */
            const char *t =
                yamltree_kind(v) == YAML_SCALAR && yamltree_plain(v) ? yamltree_text(v) : NULL;
            if (t && (!strcmp(t, "false") || !strcmp(t, "False") || !strcmp(t, "FALSE")))
                p->published = 0;
            else
                err |= yamltree_as_string(&permalink, v, k, f, d);
        } else if (strcmp(k, "review_cycle") == 0) {
            if (yamltree_as_string(&cycle, v, k, f, d) != 0) {
                err = -1;
            } else {
                duration dur;
                if (duration_parse(&dur, cycle) != 0)
                    err = diag_error(d, f, yamltree_line(v), yamltree_col(v), "invalid-type",
                                     "'review_cycle' must be a duration like '12 months' or "
                                     "'90 days', not '%s'",
                                     cycle);
            }
        } else if (strcmp(k, "published") == 0) {
            err |= yamltree_as_bool(&p->published, v, k, f, d);
        } else if (strcmp(k, "draft") == 0) {
            /* Hugo's and Docusaurus's draft: true, which they do not
             * publish; nor does charter. */
            int draft = 0;
            err |= yamltree_as_bool(&draft, v, k, f, d);
            if (draft)
                p->published = 0;
        } else if (!strcasecmp(k, "publishDate") || !strcmp(k, "pubdate") ||
                   !strcasecmp(k, "expiryDate") || !strcmp(k, "unpublishdate")) {
            /* Hugo's: a page it publishes later, or no longer (its
             * buildFuture and buildExpired are off by default), is not
             * published as of the build's day. A value that is no date
             * is not charter's key: left alone. */
            long day;
            diags *quiet = diag_new(NULL);
            int later = tolower((unsigned char)k[0]) == 'p';
            if (yamltree_as_date(&day, v, k, f, quiet) == 0 &&
                (later ? day > s->as_of : day <= s->as_of))
                p->published = 0;
            diag_free(quiet);
        } else if (strcmp(k, "slug") == 0) {
            /* Hugo's slug: the URL's last part, for the file's name (not
             * keys-mapped to permalink, as Docusaurus's path slugs are). */
            err |= yamltree_as_string(&slug, v, k, f, d);
        } else if (strcmp(k, "build") == 0 || strcmp(k, "_build") == 0) {
            /* Hugo's build options: a page it never renders is not
             * written here either. */
            if (never_rendered(v))
                p->published = 0;
        } else if (strcmp(k, "cascade") == 0) {
            /* Hugo's cascade of build options to a section's pages. */
            for (size_t j = 0; j < (yamltree_kind(v) == YAML_SEQUENCE ? yamltree_len(v) : 1); j++) {
                const yaml_node *c = yamltree_kind(v) == YAML_SEQUENCE ? yamltree_item(v, j) : v;
                if (yamltree_kind(c) == YAML_MAPPING && (never_rendered(yamltree_get(c, "build")) ||
                                                         never_rendered(yamltree_get(c, "_build"))))
                    p->hides_below = 1;
            }
        } else if (!strcmp(k, "sidebar_label") || !strcmp(k, "linkTitle")) {
            /* Docusaurus's and Hugo's title in the navigation. */
            err |= yamltree_as_string(&p->nav_label, v, k, f, d);
            if (p->nav_label && !*p->nav_label)
                p->nav_label = NULL;
        } else if (!strcmp(k, "nav_exclude") || !strcmp(k, "search_exclude") ||
                   !strcmp(k, "unlisted")) {
            /* just-the-docs' nav_exclude and search_exclude; Docusaurus's
             * unlisted (both, and no sitemap): published, shown less. */
            int on = 0;
            err |= yamltree_as_bool(&on, v, k, f, d);
            if (on && k[0] != 's')
                p->nav_hidden = 1;
            if (on && k[0] != 'n')
                p->unsearched = 1;
        } else if (strcmp(k, "headless") == 0) {
            /* Hugo's headless bundle: neither it nor what it holds is a
             * page of the site. */
            int headless = 0;
            err |= yamltree_as_bool(&headless, v, k, f, d);
            if (headless)
                p->published = 0;
            p->hides_below = headless;
        } else if (strcmp(k, "last_reviewed") == 0) {
            err |= yamltree_as_date(&p->last_reviewed, v, k, f, d);
        } else if (strcmp(k, "next_review") == 0) {
            err |= yamltree_as_date(&p->next_review, v, k, f, d);
        } else if (strcmp(k, "date") == 0) {
            /* Eleventy's dates that name where the date comes from, not
             * a date: no date to read here. */
            static const char *const eleventy[] = {"Last Modified", "Created", "git Last Modified",
                                                   "git Created"};
            const char *t = yamltree_kind(v) == YAML_SCALAR ? yamltree_text(v) : NULL;
            int named = 0;
            for (size_t e = 0; t && e < sizeof eleventy / sizeof *eleventy; e++)
                named |= !strcmp(t, eleventy[e]);
            /* MkDocs Material's blog post: `date: {created: ..., updated:
             * ...}`, the post's date its `created`. */
            const yaml_node *created =
                yamltree_kind(v) == YAML_MAPPING ? yamltree_get(v, "created") : NULL;
            if (created)
                err |= yamltree_as_date(&date, created, "date.created", f, d);
            else if (!named)
                err |= yamltree_as_date(&date, v, k, f, d);
        } else if (strcmp(k, "weight") == 0) {
            /* Hugo's weight, Docusaurus's sidebar_position (keys:): a
             * number, whole or not. */
            const char *t = yamltree_kind(v) == YAML_SCALAR ? yamltree_text(v) : NULL;
            char *end = NULL;
            errno = 0;
            /* Digits, a sign, a point: not strtod's hex, inf or nan. */
            int plain = t && *t && strspn(t, "+-0123456789.") == strlen(t);
            double w = plain ? strtod(t, &end) : 0;
            if (!plain || *end || errno || w > 1e15 || w < -1e15)
                err = t ? diag_error(d, f, yamltree_line(v), yamltree_col(v), "invalid-type",
                                     "'weight' must be a number, not '%s'", t)
                        : diag_error(d, f, yamltree_line(v), yamltree_col(v), "invalid-type",
                                     "'weight' must be a number");
            else {
                p->weight = w;
                p->weighted = 1;
            }
        } else if (strcmp(k, "tags") == 0 || strcmp(k, "categories") == 0) {
            err |= check_list_or_string(v, k, f, d);
        } else if (strcmp(k, "controls") == 0) {
            if (yamltree_kind(v) != YAML_SEQUENCE) {
                err = diag_error(d, f, yamltree_line(v), yamltree_col(v), "invalid-type",
                                 "'controls' must be a list of control ids");
            } else {
                /* Kept only when every item is an id: later stages read
                 * them as strings (a mapping here once crashed them). */
                int bad = 0;
                for (size_t j = 0; j < yamltree_len(v); j++)
                    bad |= yamltree_as_string(&tmp, yamltree_item(v, j), "controls", f, d);
                if (bad)
                    err = -1;
                else
                    p->controls = v;
            }
        }
        /* Any other key is the team's own and reaches templates untouched. */
    }
    /* Written as a tool exports it ("Approved"): the status it names. */
    static const char *const statuses[] = {"draft", "approved", "retired"};
    for (size_t j = 0; p->status && j < sizeof statuses / sizeof *statuses; j++)
        if (!strcasecmp(p->status, statuses[j]))
            p->status = statuses[j];
    if (p->status && !is_known_status(p->status)) {
        const yaml_node *v = yamltree_get(fm, "status");
        err = diag_error(d, f, yamltree_line(v), yamltree_col(v), "unknown-status",
                         "'status' must be draft, approved or retired, not '%s'", p->status);
    }

    /* URL: the permalink, else the pretty URL of the source path; a
     * collection's page, its collection's permalink (Jekyll's
     * /:collection/:path/ when it names none). */
    buf url, out, pattern;
    buf_init(&url);
    buf_init(&out);
    buf_init(&pattern);
    const struct site_collection *coll = collection_of(&s->cfg, p->rel);
    const char *file = strrchr(p->rel, '/') ? strrchr(p->rel, '/') + 1 : p->rel;
    /* Not Jekyll's (its _config.yml read): its slug names a post, and a
     * page's URL is its file's. */
    if (!permalink && !coll && !s->cfg.jekyll && slug && slug[strspn(slug, " \t")] &&
        !strchr(slug, '/') && !strchr(slug, '\\') && strcmp(slug, ".") && strcmp(slug, "..") &&
        !path_md_named(file, "index") && !path_md_named(file, "_index")) {
        /* The page's own URL with its last part the slug. */
        buf o;
        buf_init(&o);
        page_default_url(s, p, &pattern, &o);
        buf_release(&o);
        while (pattern.len > 1 && pattern.data[pattern.len - 1] == '/')
            pattern.len--;
        while (pattern.len > 1 && pattern.data[pattern.len - 1] != '/')
            pattern.len--;
        pattern.data[pattern.len] = '\0';
        buf_printf(&pattern, "%s%s", slug, s->cfg.html_urls ? ".html" : "/");
        permalink = pattern.data;
    }
    int by_id = !permalink && !coll && docusaurus_id_names(s, p);
    if (by_id)
        permalink = p->id; /* resolved in its folder below, as a slug is */
    if (!permalink && coll && strchr(p->rel, '/')) {
        const char *in = strchr(p->rel, '/') + 1;
        path_permalink_expand(&pattern, coll->permalink ? coll->permalink : "/:collection/:path/",
                              coll->name, in);
        permalink = pattern.data;
    } else if (permalink && permalink[0] && permalink[0] != '/' && !url_is_external(permalink) &&
               slug_permalinks(s)) {
        /* Docusaurus's (and Hugo's) slug without a '/' first is relative
         * to the page's folder: docs/hr/leave.md's `slug: time-off` is
         * /hr/time-off. */
        const char *slash = strrchr(p->rel, '/');
        buf dir;
        buf_init(&dir);
        buf_addc(&dir, '/');
        if (slash) {
            buf_add(&dir, p->rel, (size_t)(slash - p->rel) + 1);
            if (s->cfg.strip_number_prefixes) {
                buf_reset(&pattern);
                strip_number_prefixes(&pattern, dir.data);
                buf_reset(&dir);
                buf_add(&dir, pattern.data, pattern.len);
            }
        }
        buf_reset(&pattern);
        /* An id is a name, a folder's: "iso-a.5.1" is no file. */
        buf_printf(&pattern, "%s%s%s", dir.data, permalink, by_id ? "/" : "");
        buf_release(&dir);
        permalink = pattern.data;
    }
    if (permalink) {
        const char *why;
        if (path_permalink(&url, &out, permalink, &why) != 0) {
            const yaml_node *v = yamltree_get(fm, by_id ? "id" : "permalink");
            if (v && by_id)
                err = diag_error(d, f, yamltree_line(v), yamltree_col(v), "invalid-permalink",
                                 "id '%s' names the page's URL here (a Docusaurus doc without a "
                                 "slug), and '%s' %s",
                                 p->id, permalink, why);
            else if (v)
                err = diag_error(d, f, yamltree_line(v), yamltree_col(v), "invalid-permalink",
                                 "permalink '%s' %s", permalink, why);
            else if (coll) /* its collection's, filled in for this page */
                err =
                    diag_error(d, f, 1, 1, "invalid-permalink",
                               "permalink '%s' (collection '%s''s, '%s') %s", permalink, coll->name,
                               coll->permalink ? coll->permalink : "/:collection/:path/", why);
            else /* from its id, which its file's name gave */
                err = diag_error(d, f, 1, 1, "invalid-permalink", "the page's URL '%s' %s",
                                 permalink, why);
            buf_reset(&url);
            buf_reset(&out);
        }
    }
    if (!url.len)
        page_default_url(s, p, &url, &out);
    set_page_url(p, s, &url, &out);
    buf_release(&pattern);

    if (!p->id) {
        size_t n = strlen(p->rel);
        p->id = p->id_own = xstrndup(p->rel, n - path_md_ext(p->rel, n));
    }

    buf sec;
    buf_init(&sec);
    /* Docusaurus's number prefix of the top folder and of the file: not
     * in the section's title; the file's places the page. */
    const char *top_slash = strchr(p->rel, '/'), *fname = strrchr(p->rel, '/');
    fname = fname ? fname + 1 : p->rel;
    size_t k_sec = s->cfg.strip_number_prefixes && top_slash
                       ? path_number_prefix(p->rel, (size_t)(top_slash - p->rel), NULL)
                       : 0;
    long place;
    if (s->cfg.strip_number_prefixes && !p->weighted &&
        path_number_prefix(fname, strlen(fname), &place)) {
        p->weight = (double)place;
        p->weighted = 1;
    }
    if (p->section_key) {
        buf_adds(&sec, p->section_key);
    } else {
        const char *slash = strchr(p->rel, '/');
        if (slash && coll)
            site_humanize(&sec, coll->name, strlen(coll->name)); /* _policies: "Policies" */
        else if (slash)
            site_humanize(&sec, p->rel + k_sec, (size_t)(slash - p->rel) - k_sec);
        else if (s->cfg.nav_order && p->nav_place && !p->nav_hidden && strcmp(p->url, "/")) {
            /* A page at the top that navigation.order names (mdBook's
             * prefix and suffix chapters): an entry of the navigation of
             * its own, which leads to it (link_sections). */
            if (p->nav_label || p->title)
                buf_adds(&sec, p->nav_label ? p->nav_label : p->title);
            else
                site_humanize(&sec, p->rel, strlen(p->rel) - path_md_ext(p->rel, strlen(p->rel)));
            p->own_section = 1;
        }
    }
    p->section_title = sec.len ? buf_detach(&sec) : NULL;
    buf_release(&sec);

    /* Required keys apply to policies (the `policies:` rule). A page that
     * names no layout is judged by the site's default_layout, and a policy
     * then gets the policy layout (a page selected by its keys on a site
     * whose pages are plain by default). So does a policy naming the
     * default layout itself: a Jekyll site's `layout: page`, written on
     * each page or given to all by `defaults:`, means "a page of the
     * site", and a plain page would hide the policy's owner, review dates
     * and change table. `layout: default`, the skeleton every layout ends
     * up in (no title, no metadata), is Jekyll's other name for a page:
     * it reads as naming none. */
    p->policy = is_policy(p, &s->cfg, p->layout ? p->layout : s->cfg.default_layout);
    const char *named = p->layout && strcmp(p->layout, "default") != 0 ? p->layout : NULL;
    if (!named || (p->policy && !strcmp(named, s->cfg.default_layout)))
        p->layout = p->policy ? "policy" : s->cfg.default_layout;
    /* Below an index that hides its folder's pages: not published. Nor,
     * with navigation.unlisted: omit, a page its file does not name (the
     * home page aside), as mdBook renders only SUMMARY.md's chapters. */
    p->resource = p->published && bundle_hides(s->leaves, p->rel);
    if (p->published && (bundle_hides(s->hiding, p->rel) || p->resource))
        p->published = 0;
    if (p->published && s->cfg.nav_omit_unlisted && !p->nav_place && strcmp(p->url, "/") != 0)
        p->published = 0;
    if (p->published && p->policy) {
        for (size_t i = 0; i < s->cfg.n_required; i++) {
            const yaml_node *v = yamltree_get(fm, s->cfg.required[i]);
            if (v && !yamltree_is_null(v))
                continue;
            /* Name the site's aliases too: the page's author knows those. */
            buf names;
            buf_init(&names);
            for (size_t j = 0; j < s->cfg.n_keys; j++)
                if (!strcmp(s->cfg.keys[j].key, s->cfg.required[i]))
                    buf_printf(&names, " or '%s'", s->cfg.keys[j].alias);
            /* A key of the page spelt like it or an alias of it (`ownr:`,
             * `Maintainer:`): reported there. */
            const yaml_node *typo = v ? NULL : misspelt_key(fm, s->cfg.required[i]);
            for (size_t j = 0; !v && !typo && j < s->cfg.n_keys; j++)
                if (!strcmp(s->cfg.keys[j].key, s->cfg.required[i]))
                    typo = misspelt_key(fm, s->cfg.keys[j].alias);
            /* A name policy templates give it (`last_review_date:`), which
             * keys: would read. */
            const yaml_node *common = NULL;
            for (size_t j = 0; !v && !typo && !common && j < config_n_common_aliases; j++)
                for (size_t k = 0;
                     !common && strcmp(config_common_aliases[j].key, s->cfg.required[i]) == 0 &&
                     k < yamltree_len(fm);
                     k++)
                    if (!strcmp(yamltree_text(yamltree_key(fm, k)), config_common_aliases[j].alias))
                        common = yamltree_key(fm, k);
            if (typo)
                err = diag_error(
                    d, f, yamltree_line(typo), yamltree_col(typo), "missing-required-key",
                    "missing required key '%s'%s; is '%s' meant to be it?", s->cfg.required[i],
                    names.len ? names.data : "", yamltree_text(typo));
            else if (common)
                err = diag_error(d, f, yamltree_line(common), yamltree_col(common),
                                 "missing-required-key",
                                 "missing required key '%s'%s; is '%s' meant to be it? "
                                 "(keys: {%s: [%s]} in site.yml reads it so)",
                                 s->cfg.required[i], names.len ? names.data : "",
                                 yamltree_text(common), s->cfg.required[i], yamltree_text(common));
            else
                err = diag_error(d, f, v ? yamltree_line(v) : 1, v ? yamltree_col(v) : 1,
                                 "missing-required-key", "missing required key '%s'%s",
                                 s->cfg.required[i], names.len ? names.data : "");
            buf_release(&names);
        }
    }

    /* Review dates: next_review, else last_reviewed + the page's cycle, else
     * + the site's cycle. */
    if (p->next_review < 0 && p->last_reviewed >= 0) {
        duration dur = s->cfg.cycle;
        if (cycle)
            duration_parse(&dur, cycle);
        p->next_review = date_add(p->last_reviewed, dur);
    }
    if (p->status && !strcmp(p->status, "retired")) {
        /* No longer in force: no review is due, nor overdue. */
        p->next_review = -1;
        p->review = REVIEW_RETIRED;
    } else if (p->next_review < 0)
        p->review = REVIEW_NONE;
    else if (p->next_review < s->as_of)
        p->review = REVIEW_OVERDUE;
    else if (p->next_review <= date_add(s->as_of, s->cfg.warn_within))
        p->review = REVIEW_DUE_SOON;
    else
        p->review = REVIEW_OK;
    return err;
}

/* What a page's front matter is parsed under. */
static fm_limits page_fm_limits(const site *s)
{
    const site_limits *l = &s->cfg.limits;
    return (fm_limits){
        l->frontmatter_bytes,
        {l->scalar_bytes, "limits.scalar_bytes", l->frontmatter_keys, "limits.frontmatter_keys"},
        s->cfg.fenceless};
}

void site_load_cache_key(const site *s, char key[DIGEST_HEX])
{
    fm_limits fl = page_fm_limits(s);
    /* An entry holds the title a page takes from its heading: what decides
     * that (kramdown's '#Title', the site's names for the title) is part
     * of the key. */
    buf extra;
    buf_init(&extra);
    buf_printf(&extra, "lax %d; title", s->cfg.lax_headings);
    for (size_t i = 0; i < s->cfg.n_keys; i++)
        if (!strcmp(s->cfg.keys[i].key, "title"))
            buf_printf(&extra, " %s", s->cfg.keys[i].alias);
    loadcache_key(key, &fl, extra.data);
    buf_release(&extra);
}

void site_adopt_load_cache(site *s, const char *path, loadcache *lc)
{
    loadcache_free(s->load_cache);
    s->load_cache = lc;
    s->load_cache_path = path;
}

void site_use_load_cache(site *s, const char *path)
{
    char key[DIGEST_HEX];
    site_load_cache_key(s, key);
    site_adopt_load_cache(s, path, loadcache_read(path, key));
}

/* The end of the load cache's part in a load: rewritten with what the load
 * read, unless every page came from it, then freed with the records. */
static void finish_load_cache(site *s, diags *d)
{
    size_t n = s->n_pages;
    if (s->load_cache_path && s->reread && atomic_load(&s->load_hits) < n) {
        char key[DIGEST_HEX];
        site_load_cache_key(s, key);
        loadcache_page *pages = xcalloc(n + 1, sizeof *pages);
        for (size_t i = 0; i < n; i++) {
            const page *p = s->pages[i];
            pages[i] = (loadcache_page){p->src, &p->st, {p->cached, p->cached_len}};
        }
        loadcache_write(s->load_cache_path, key, pages, n, s->walked_ns, d);
        free(pages);
    }
    for (size_t i = 0; i < n; i++) {
        buf_release(&s->pages[i]->made);
        s->pages[i]->cached = NULL;
        s->pages[i]->cached_len = 0;
    }
    loadcache_free(s->load_cache);
    s->load_cache = NULL;
}

typedef struct load_ctx {
    site *s;
    diags *d;
    int nav_failed; /* navigation.order's file could not be read */
} load_ctx;

/* The text of a level-1 heading that opens a body (its first line that is
 * not blank: `# Title`, `#Title` on a kramdown site, or `Title` over a
 * `===` line), as a title: inline marks (`*`, `` ` ``), a link's address,
 * closing hashes and an attribute list `{#id}` left out. Appends it to out
 * and where the heading ends to *after; returns 1 when there is one. */
static int opening_heading(buf *out, const char *body, size_t len, int lax, size_t max,
                           size_t *after)
{
    const char *p = body, *end = body + len;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        const char *le = e ? e : end;
        const char *t = p;
        while (t < le && (*t == ' ' || *t == '\t' || *t == '\r'))
            t++;
        /* An HTML comment on lines of its own (`<!-- Owner: HR -->`),
         * which no reader sees, does not keep the heading from opening
         * the page. */
        const char *close = end - t >= 4 && !memcmp(t, "<!--", 4)
                                ? memmem(t + 4, (size_t)(end - t - 4), "-->", 3)
                                : NULL;
        if (close) {
            const char *r = close + 3;
            while (r < end && (*r == ' ' || *r == '\t' || *r == '\r'))
                r++;
            if (r == end || *r == '\n') {
                p = r < end ? r + 1 : end;
                continue;
            }
        }
        if (t < le)
            break;
        p = e ? e + 1 : end;
    }
    if (p >= end)
        return 0;
    const char *le = memchr(p, '\n', (size_t)(end - p));
    le = le ? le : end;
    *after = (size_t)(le - body);
    const char *a = p, *b = le;
    while (b > a && (b[-1] == '\r' || b[-1] == ' ' || b[-1] == '\t'))
        b--;
    if (a < b && *a == '#' && (a + 1 == b || a[1] == ' ' || a[1] == '\t' || (lax && a[1] != '#'))) {
        a++;
        while (b > a && b[-1] == '#' && (b - 1 == a || b[-2] == ' ' || b[-2] == '\t'))
            b--; /* closing hashes */
    } else {
        /* Setext: the next line is all '='. */
        const char *n = le < end ? le + 1 : end, *ne = memchr(n, '\n', (size_t)(end - n));
        ne = ne ? ne : end;
        const char *q = n;
        while (q < ne && *q == '=')
            q++;
        while (q < ne && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (n >= end || *n != '=' || q != ne || *a == '#' || *a == '<' || *a == '-' || *a == '>' ||
            *a == '|')
            return 0;
        *after = (size_t)(ne - body);
    }
    while (a < b && (*a == ' ' || *a == '\t'))
        a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
        b--;
    /* An attribute list naming its id: not part of the title. */
    if (b > a && b[-1] == '}') {
        const char *o = b - 1;
        while (o > a && *o != '{')
            o--;
        if (*o == '{' && memchr(o, '#', (size_t)(b - o))) {
            b = o;
            while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
                b--;
        }
    }
    size_t start = out->len;
    /* The last ']' of the line, and the next ')' from where it was last
     * looked for: each found once, so a line of '[' or "](" is linear. */
    const char *last_close = memrchr(a, ']', (size_t)(b - a)), *paren = NULL;
    for (const char *c = a; c < b; c++) {
        if (*c == '*' || *c == '`')
            continue;
        /* A comment (HTML's, or MDX's `{/ * ... * /}`, here with spaces)
         * stays hidden: left out, and a heading with one never closed
         * gives no title. */
        if (*c == '<' && b - c >= 4 && !memcmp(c, "<!--", 4)) {
            const char *e = memmem(c + 4, (size_t)(b - c - 4), "-->", 3);
            if (!e)
                goto none;
            c = e + 2;
            continue;
        }
        /* A template comment ({# ... #}), dropped from the body too; a
         * template's value ({{ ... }}, {% ... %}) is no title as written. */
        if (*c == '{' && c + 2 < b && c[1] == '#' && (c[2] == ' ' || c[2] == '\t' || c[2] == '-')) {
            const char *e = memmem(c + 2, (size_t)(b - c - 2), "#}", 2);
            if (!e)
                goto none;
            c = e + 1;
            while (c + 1 < b && (c[1] == ' ' || c[1] == '\t') && out->len > start &&
                   out->data[out->len - 1] == ' ')
                c++;
            continue;
        }
        if (*c == '{' && c + 1 < b && (c[1] == '{' || c[1] == '%'))
            goto none;
        if (*c == '{') {
            const char *o = c + 1;
            while (o < b && (*o == ' ' || *o == '\t'))
                o++;
            if (b - o >= 2 && o[0] == '/' && o[1] == '*') {
                const char *e = memmem(o + 2, (size_t)(b - o - 2), "*/", 2);
                if (!e)
                    goto none;
                e += 2;
                while (e < b && (*e == ' ' || *e == '\t'))
                    e++;
                if (e >= b || *e != '}')
                    goto none;
                c = e;
                continue;
            }
        }
        if (*c == ']' && c + 1 < b && c[1] == '(') {
            if (!paren || (paren < c && paren != b)) {
                paren = memchr(c, ')', (size_t)(b - c));
                paren = paren ? paren : b;
            }
            if (paren != b) {
                c = paren;
                continue;
            }
        }
        if (*c == '[' && last_close && last_close > c)
            continue;
        buf_addc(out, *c);
    }
    while (out->len > start && out->data[out->len - 1] == ' ')
        out->data[--out->len] = '\0';
    /* As long as a front matter value may be, at most (limits.scalar_bytes). */
    if (out->len - start <= max)
        return out->len > start;
none:
    buf_truncate(out, start);
    return 0;
}

/* Whether body[from, len) has a level-1 heading (`# x`, or a `===`
 * underline) outside fenced code. */
static int another_h1(const char *body, size_t len, size_t from, int lax)
{
    char fence = 0;
    for (size_t i = from; i < len;) {
        const char *l = body + i;
        const char *e = memchr(l, '\n', len - i);
        size_t n = e ? (size_t)(e - l) : len - i;
        size_t k = 0;
        while (k < n && k < 4 && l[k] == ' ')
            k++;
        if (k < 4 && n - k >= 3 && (l[k] == '`' || l[k] == '~') && l[k + 1] == l[k] &&
            l[k + 2] == l[k] && (!fence || fence == l[k]))
            fence = fence ? 0 : l[k];
        else if (!fence && k == 0 && n && l[0] == '#' &&
                 (n == 1 || l[1] == ' ' || l[1] == '\t' || (lax && l[1] != '#')))
            return 1;
        else if (!fence && k < 4 && n > k && l[k] == '=' && i > from) {
            size_t m = k;
            while (m < n && l[m] == '=')
                m++;
            while (m < n && (l[m] == ' ' || l[m] == '\t' || l[m] == '\r'))
                m++;
            if (m == n)
                return 1;
        }
        i += n + 1;
    }
    return 0;
}

/* A page whose front matter names no title (under any of the site's names
 * for it) takes its opening level-1 heading's, as Docusaurus, MkDocs and
 * GitHub Pages (jekyll-titles-from-headings) do: a folder of plain
 * Markdown files gets "Access Control Policy", not
 * "policies/access-control-policy", and the heading, the title's
 * duplicate, is not shown twice. Only a heading that is the body's one
 * level-1 heading: where `#` marks sections (comply's `# Purpose`,
 * `# Policy`), the first is no title. Before the load cache records the
 * page, so its entry holds the title. */
static void title_from_heading(page *p, const site *s)
{
    const yaml_node *fm = p->fm.data;
    for (size_t i = 0; i < yamltree_len(fm); i++)
        if (!strcmp(canonical_key(&s->cfg, yamltree_text(yamltree_key(fm, i))), "title"))
            return;
    buf t;
    buf_init(&t);
    const char *body = p->text.data + p->fm.body_start;
    size_t len = p->fm.body_start <= p->text.len ? p->text.len - p->fm.body_start : 0;
    size_t after = 0;
    if (len &&
        opening_heading(&t, body, len, s->cfg.lax_headings, s->cfg.limits.scalar_bytes, &after) &&
        !another_h1(body, len, after, s->cfg.lax_headings)) {
        yaml_node *out = yamltree_new(YAML_MAPPING, NULL, 0, fm);
        for (size_t i = 0; i < yamltree_len(fm); i++)
            yamltree_append(out, yamltree_copy(yamltree_key(fm, i), NULL),
                            yamltree_copy(yamltree_item(fm, i), NULL));
        yamltree_append(out, yamltree_new(YAML_SCALAR, "title", 0, NULL),
                        yamltree_new(YAML_SCALAR, t.data, 1, NULL));
        yamltree_free(p->fm.data);
        p->fm.data = yamltree_pack(out);
    }
    buf_release(&t);
}

/* Sets p->fm_hex from its front matter, once the load has made it. */
static void digest_front_matter(page *p)
{
    digest *h = digest_new();
    yamltree_digest(h, p->fm.data);
    digest_hex(h, p->fm_hex);
    digest_free(h);
}

/* Sets p->load_check from its load cache entry (p->cached). */
static void entry_check(page *p)
{
    size_t skip = DIGEST_HEX - 1;
    if (p->cached_len >= skip)
        digest_check_of(p->load_check, p->cached + skip, p->cached_len - skip);
}

static void load_page(void *arg, size_t i)
{
    load_ctx *ctx = arg;
    page *p = ctx->s->pages[i];
    const site_limits *l = &ctx->s->cfg.limits;
    fm_limits fl = page_fm_limits(ctx->s);
    site *s = ctx->s;
    loadcache_entry_ref ref;
    /* Unchanged since the load cache recorded it (the same stat as the
     * walk's, which followed its links inside the site): not opened, its
     * front matter and digest as they were, and the stamp's trace told
     * (as fs_read_source would). */
    if (s->reread && s->load_cache && (uintmax_t)p->st.st_size <= (uintmax_t)l->page_bytes &&
        loadcache_get(s->load_cache, p->src, &p->st, &p->fm, p->text_hex, &ref)) {
        p->cached = ref.data;
        p->cached_len = ref.len;
        entry_check(p);
        fs_trace_seen(&s->fs, p->src, &p->st);
        atomic_fetch_add(&s->load_hits, 1);
        p->ok = 1;
        page_model(p, s, ctx->d);
        digest_front_matter(p);
        return;
    }
    /* When recording for the load cache, its front matter's findings
     * apart: a page that has any is read again next time, so that they are
     * reported again. */
    int recording = s->reread && s->load_cache_path;
    diags *mine = recording ? diag_new(NULL) : ctx->d;
    int read =
        fs_read_source(&p->text, &s->fs, p->src, l->page_bytes, "limits.page_bytes", mine) == 0 &&
        frontmatter_parse_limited(&p->fm, p->text.data, p->text.len, p->src, &fl, mine) == 0;
    if (read)
        title_from_heading(p, s);
    int clean = recording && !diag_count(mine, DIAG_ERROR) && !diag_count(mine, DIAG_WARNING);
    if (mine != ctx->d) {
        diag_move(ctx->d, mine);
        diag_free(mine);
    }
    if (read) {
        p->ok = 1;
        if (s->reread) {
            digest_of(p->text_hex, p->text.data, p->text.len);
            digest_check_of(p->text_check, p->text.data, p->text.len);
            buf_release(&p->text);
            if (clean) {
                loadcache_entry(&p->made, p->text_hex, &p->fm);
                p->cached = p->made.data;
                p->cached_len = p->made.len;
                entry_check(p);
            }
        }
        page_model(p, s, ctx->d);
    } else {
        /* Keep the page addressable so links to it do not cascade errors. */
        p->layout = "policy";
        p->last_reviewed = p->next_review = -1;
        buf url, out;
        buf_init(&url);
        buf_init(&out);
        page_default_url(ctx->s, p, &url, &out);
        set_page_url(p, ctx->s, &url, &out);
    }
    digest_front_matter(p);
}

page *site_page_by_src(const site *s, const char *src)
{
    for (size_t i = 0; i < s->n_pages; i++)
        if (!strcmp(s->pages[i]->src, src))
            return s->pages[i];
    return NULL;
}

int site_refresh_page(const site *s, page *p)
{
    if (!s->reread || !p->ok)
        return 0;
    fm_limits fl = page_fm_limits(s);
    diags *mine = diag_new(NULL);
    page now = {.src = p->src};
    buf_init(&now.text);
    int read =
        fs_read_source(&now.text, &s->fs, p->src, s->cfg.limits.page_bytes, "limits.page_bytes",
                       mine) == 0 &&
        frontmatter_parse_limited(&now.fm, now.text.data, now.text.len, p->src, &fl, mine) == 0;
    int same = 0;
    if (read) {
        /* The entry the load would make of it, but the bytes' digest: the
         * same front matter, each node at the same line and column (what
         * the checks report at), the same heading's title, the body where
         * it was. */
        title_from_heading(&now, s);
        buf entry;
        buf_init(&entry);
        loadcache_entry(&entry, p->text_hex, &now.fm);
        size_t skip = DIGEST_HEX - 1;
        now.load_check[0] = '\0';
        if (entry.len >= skip)
            digest_check_of(now.load_check, entry.data + skip, entry.len - skip);
        same = !diag_count(mine, DIAG_ERROR) && !diag_count(mine, DIAG_WARNING) &&
               !diag_count(mine, DIAG_NOTE) && p->load_check[0] &&
               !strcmp(now.load_check, p->load_check);
        buf_release(&entry);
        frontmatter_release(&now.fm);
    }
    if (same) {
        digest_of(p->text_hex, now.text.data, now.text.len);
        digest_check_of(p->text_check, now.text.data, now.text.len);
    }
    buf_release(&now.text);
    diag_free(mine);
    return same;
}

/* Whether p is its top folder's own page (content/policies/_index.md or
 * index.md): its section's landing page. */
static int folder_index(const page *p)
{
    const char *slash = strchr(p->rel, '/');
    if (!slash || strchr(slash + 1, '/'))
        return 0;
    if (path_md_named(slash + 1, "_index") || path_md_named(slash + 1, "index"))
        return 1;
    /* A README that is its folder's page (readme_index). */
    size_t n = (size_t)(slash - p->rel);
    return readme_named(slash + 1) && p->url && !strncmp(p->url + 1, p->rel, n) &&
           !strcmp(p->url + 1 + n, "/");
}

/* A section's pages: its folder's own page first (whose weight, as in
 * Hugo, places the section: section_index), then those navigation.order's
 * file names, in its order, then those with a weight,
 * lightest first (as Hugo and Docusaurus order them), then by title, then
 * by path. */
static int cmp_page_title(const void *a, const void *b)
{
    const page *x = *(page *const *)a, *y = *(page *const *)b;
    if (folder_index(x) != folder_index(y))
        return folder_index(x) ? -1 : 1;
    /* Hugo's section page (_index.md) of a deeper folder that is a section
     * of its own (defaults:, Docsy's docs/governance/): first too. */
    const char *bx = strrchr(x->rel, '/'), *by = strrchr(y->rel, '/');
    int ix = path_md_named(bx ? bx + 1 : x->rel, "_index"),
        iy = path_md_named(by ? by + 1 : y->rel, "_index");
    if (ix != iy)
        return ix ? -1 : 1;
    /* navigation.order's file first, in its order. */
    if (x->nav_place != y->nav_place && (!x->nav_place || !y->nav_place))
        return x->nav_place ? -1 : 1;
    if (x->nav_place != y->nav_place)
        return x->nav_place < y->nav_place ? -1 : 1;
    if (x->weighted != y->weighted)
        return x->weighted ? -1 : 1;
    if (x->weighted && x->weight != y->weight)
        return x->weight < y->weight ? -1 : 1;
    int c = strcmp(x->title ? x->title : x->rel, y->title ? y->title : y->rel);
    return c ? c : strcmp(x->rel, y->rel);
}

/* The weight of section sec: its folder's own page's (Hugo's
 * content/policies/_index.md), when that page is one of its pages and has
 * one. */
static const page *section_index(const site_section *sec)
{
    for (size_t i = 0; i < sec->n_pages; i++)
        if (sec->pages[i]->weighted && folder_index(sec->pages[i]))
            return sec->pages[i];
    return NULL;
}

/* Sections not listed in site.yml: those navigation.order's file names
 * first, by the first place of their pages; then weighted (section_index);
 * then by title. */
static int cmp_section_title(const void *a, const void *b)
{
    const site_section *x = a, *y = b;
    if (x->nav_place != y->nav_place && (!x->nav_place || !y->nav_place))
        return x->nav_place ? -1 : 1;
    if (x->nav_place != y->nav_place)
        return x->nav_place < y->nav_place ? -1 : 1;
    const page *wx = section_index(x), *wy = section_index(y);
    if ((wx != NULL) != (wy != NULL))
        return wx ? -1 : 1;
    if (wx && wx->weight != wy->weight)
        return wx->weight < wy->weight ? -1 : 1;
    return strcmp(x->title, y->title);
}

void site_sort_pages(const page **v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_page_title);
}

/* sections: names a section the site does not have (`Governence`): its
 * order is lost without a word otherwise. A warning at the name, with the
 * section meant when one is spelt alike. */
static void unknown_section(const site *s, size_t i, diags *d)
{
    const yaml_node *list = yamltree_get(s->cfg.yaml, "sections");
    const yaml_node *v = list && yamltree_kind(list) == YAML_SEQUENCE && i < yamltree_len(list)
                             ? yamltree_item(list, i)
                             : NULL;
    const char *name = s->cfg.sections[i];
    const char **titles = xcalloc(s->n_sections + 1, sizeof *titles);
    for (size_t k = 0; k < s->n_sections; k++)
        titles[k] = s->sections[k].title;
    size_t len = strlen(name);
    const char *meant = diag_nearest(name, titles, s->n_sections, len >= 8 ? 2 : 1);
    for (size_t k = 0; k < s->n_sections && !meant; k++)
        if (!strcasecmp(titles[k], name))
            meant = titles[k];
    buf hint;
    buf_init(&hint);
    if (meant)
        buf_printf(&hint, "; did you mean '%s'?", meant);
    diag_warning(d, s->cfg.file, v ? yamltree_line(v) : 0, v ? yamltree_col(v) : 0,
                 "unknown-section", "'sections' lists '%s', which is no section of the site%s",
                 name, hint.data);
    buf_release(&hint);
    free(titles);
}

/* The URL path ("/a/", new) of the one top folder every page of sec is
 * served in, when that folder has an index (a page, or one generated:
 * find_folders); else NULL. */
static char *section_folder(const site *s, const site_section *sec)
{
    if (!sec->n_pages)
        return NULL;
    const char *first = sec->pages[0]->url;
    const char *slash = first[0] == '/' ? strchr(first + 1, '/') : NULL;
    if (!slash)
        return NULL; /* served at the top: in no folder */
    size_t len = (size_t)(slash - first) + 1;
    for (size_t i = 1; i < sec->n_pages; i++)
        if (strncmp(sec->pages[i]->url, first, len) != 0)
            return NULL;
    char *folder = xstrndup(first, len);
    if (!map_get(s->by_url, folder) && !map_get(s->by_folder, folder)) {
        free(folder);
        folder = NULL;
    }
    return folder;
}

static void build_sections(site *s, diags *d)
{
    map *by_title = map_new(); /* title -> index + 1 */
    for (size_t i = 0; i < s->n_pages; i++) {
        page *p = s->pages[i];
        if (!p->ok || !p->published || !p->section_title || p->nav_hidden)
            continue;
        size_t k = (size_t)(intptr_t)map_get(by_title, p->section_title);
        if (k)
            k--;
        else
            k = s->n_sections;
        if (k == s->n_sections) {
            map_put(by_title, p->section_title, (void *)(intptr_t)(k + 1));
            s->sections = xgrow(s->sections, k, sizeof *s->sections);
            buf slug;
            buf_init(&slug);
            markdown_slug(&slug, p->section_title);
            s->sections[k] =
                (site_section){xstrdup(p->section_title), buf_detach(&slug), NULL, 0, 0, NULL, 0};
            s->n_sections++;
        }
        site_section *sec = &s->sections[k];
        sec->pages = xgrow(sec->pages, sec->n_pages, sizeof *sec->pages);
        sec->pages[sec->n_pages++] = p;
    }
    map_free(by_title);
    for (size_t k = 0; k < s->n_sections; k++) {
        site_section *sec = &s->sections[k];
        if (sec->n_pages > 1)
            qsort(sec->pages, sec->n_pages, sizeof(page *), cmp_page_title);
        for (size_t i = 0; i < sec->n_pages; i++)
            if (sec->pages[i]->nav_place &&
                (!sec->nav_place || sec->pages[i]->nav_place < sec->nav_place))
                sec->nav_place = sec->pages[i]->nav_place;
    }
    /* Order: as listed in site.yml `sections`, then the rest by title. */
    site_section *sorted = xcalloc(s->n_sections + 1, sizeof *sorted);
    size_t n = 0;
    char *used = xcalloc(s->n_sections + 1, 1);
    for (size_t i = 0; i < s->cfg.n_sections; i++) {
        size_t before = n;
        for (size_t k = 0; k < s->n_sections; k++)
            if (!used[k] && strcmp(s->sections[k].title, s->cfg.sections[i]) == 0) {
                sorted[n++] = s->sections[k];
                used[k] = 1;
            }
        if (n == before)
            unknown_section(s, i, d);
    }
    size_t first_rest = n;
    for (size_t k = 0; k < s->n_sections; k++)
        if (!used[k])
            sorted[n++] = s->sections[k];
    if (n - first_rest > 1)
        qsort(sorted + first_rest, n - first_rest, sizeof *sorted, cmp_section_title);
    free(used);
    free(s->sections);
    s->sections = sorted;
    /* Each page's section and place in it, for navigation and prev/next. */
    for (size_t k = 0; k < s->n_sections; k++)
        for (size_t i = 0; i < s->sections[k].n_pages; i++) {
            s->sections[k].pages[i]->section = k + 1;
            s->sections[k].pages[i]->section_pos = i;
        }
}

/* Where a link to each section leads (site_section): the home page's
 * register when the home, generated (find_folders made its folder) or a
 * page of the site's own, renders through a layout that lists the
 * sections; else (Docusaurus's `slug: /`, Hugo's _index.md) each one's
 * folder. After the layouts are loaded. */
static void link_sections(site *s)
{
    const page *home = site_page_by_url(s, "/");
    const layout *l = home ? layouts_for_page(s->layouts, home->layout, home->policy)
                      : map_get(s->by_folder, "/") ? layouts_get(s->layouts, "home")
                                                   : NULL;
    int on_home = l && layout_lists_sections(l);
    for (size_t k = 0; k < s->n_sections; k++) {
        site_section *sec = &s->sections[k];
        if (site_section_is_page(sec)) {
            sec->folder = xstrdup(sec->pages[0]->url); /* the page itself */
            continue;
        }
        sec->on_home = on_home;
        if (!on_home)
            sec->folder = section_folder(s, sec);
    }
}

/* Indexes pages by path and URL. Two outputs claiming one path are errors
 * naming both; the later page (in source order) is marked `collides` and
 * is not written, so no content is silently replaced. */
static int index_pages(site *s, diags *d)
{
    int err = 0;
    map *statics = map_new();
    for (size_t i = 0; i < s->n_statics; i++) {
        const static_file *f = &s->statics[i];
        const static_file *prev = map_put(statics, f->out_file, (void *)f);
        if (prev)
            err = diag_error(d, f->src, 0, 0, "duplicate-url",
                             "'%s' and '%s' would both be published as '%s'", prev->src, f->src,
                             f->out_file);
    }
    for (size_t i = 0; i < s->n_pages; i++) {
        page *p = s->pages[i];
        map_put(s->by_rel, p->rel, p);
        if (!p->published)
            continue;
        const yaml_node *pl = p->ok ? yamltree_get(p->fm.data, "permalink") : NULL;
        int line = pl ? yamltree_line(pl) : 1, col = pl ? yamltree_col(pl) : 1;
        page *prev = map_get(s->by_url, p->url);
        if (prev) {
            /* "café.md" twice: once composed, once decomposed (NFC, NFD). */
            int forms = !strcmp(p->rel, prev->rel) && strcmp(p->src, prev->src);
            err = diag_error(d, p->src, line, col, "duplicate-url",
                             "page has the same URL '%s' as '%s'%s", p->url, prev->src,
                             forms ? " (the two names differ only in Unicode normalisation: "
                                     "rename one)"
                                   : "");
            p->collides = 1;
            continue;
        }
        map_put(s->by_url, p->url, p);
        const static_file *f = map_get(statics, p->out_file);
        if (f) {
            err = diag_error(d, p->src, line, col, "duplicate-url",
                             "page would overwrite static file '%s' at '%s'", f->src, f->out_file);
            p->collides = 1;
            continue;
        }
        /* Two URLs of one file: "/" and a permalink "/index.html". */
        const page *same = map_get(s->by_out, p->out_file);
        if (same) {
            err = diag_error(d, p->src, line, col, "duplicate-url",
                             "page would be written to '%s', as '%s' is (at the URL '%s')",
                             p->out_file, same->src, same->url);
            p->collides = 1;
            continue;
        }
        map_put(s->by_out, p->out_file, p);
    }
    map_free(statics);
    return err;
}

static int cmp_folder(const void *a, const void *b)
{
    return strcmp(((const site_folder *)a)->url, ((const site_folder *)b)->url);
}

/* Every folder above a published page's URL (and the home) that has no
 * page at its URL gets a generated index (site.h). The URL's folders, not
 * the source file's: a page moved by its permalink is listed where it is
 * served, and its source folder, which serves nothing, gets no empty index.
 * Linear in the pages' URLs. */
static void find_folders(site *s)
{
    s->by_folder = map_new();
    buf rel, url;
    buf_init(&rel);
    buf_init(&url);
    size_t cap = 0;
    for (size_t i = 0; i <= s->n_pages; i++) {
        const page *p = i < s->n_pages ? s->pages[i] : NULL;
        if (p && (!p->published || p->collides))
            continue;
        /* The folders of p's URL ("/a/b/": "a"; "/a/b.html": "a"), deepest
         * last, the page's own left out; then the home once. */
        const char *path = p ? p->url + 1 : "";
        for (size_t end = 0;; end++) {
            int home = !p && end == 0;
            if (!home && (!p || path[end] == '\0'))
                break;
            if (!home && (path[end] != '/' || path[end + 1] == '\0'))
                continue;
            buf_reset(&rel);
            buf_add(&rel, path, end);
            buf_reset(&url);
            buf_printf(&url, "/%s%s", rel.data, rel.len ? "/" : "");
            if (map_get(s->by_url, url.data) || map_get(s->by_folder, url.data))
                continue;
            if (s->n_folders == cap) {
                cap = cap ? cap * 2 : 16;
                s->folders = xrealloc(s->folders, cap * sizeof *s->folders);
            }
            site_folder *f = &s->folders[s->n_folders++];
            f->rel = xstrdup(rel.data);
            f->url = xstrdup(url.data);
            buf t;
            buf_init(&t);
            if (rel.len) {
                const char *name = strrchr(rel.data, '/') ? strrchr(rel.data, '/') + 1 : rel.data;
                site_humanize(&t, name, strlen(name));
                f->title = buf_detach(&t);
                buf_printf(&t, "%s/index.html", rel.data);
            } else {
                f->title = xstrdup(s->cfg.title);
                buf_adds(&t, "index.html");
            }
            f->out_file = buf_detach(&t);
            buf_release(&t);
            map_put(s->by_folder, url.data, (void *)1);
            if (home)
                break;
        }
    }
    if (s->n_folders)
        qsort(s->folders, s->n_folders, sizeof *s->folders, cmp_folder);
    for (size_t i = 0; i < s->n_folders; i++)
        map_put(s->by_folder, s->folders[i].url, &s->folders[i]);
    buf_release(&rel);
    buf_release(&url);
}

const site_folder *site_folder_by_url(const site *s, const char *path)
{
    if (!s->by_folder)
        return NULL;
    buf u;
    buf_init(&u);
    buf_adds(&u, path);
    if (u.len >= 10 && !strcmp(u.data + u.len - 10, "index.html"))
        u.data[u.len -= 10] = '\0';
    if (!u.len || u.data[u.len - 1] != '/')
        buf_addc(&u, '/');
    const site_folder *f = map_get(s->by_folder, u.data);
    buf_release(&u);
    return f;
}

/* The pages that cite one control, in page order. */
typedef struct cite_list {
    const page **pages;
    size_t n;
} cite_list;

static void free_cites(void *ctx, const char *key, void *value)
{
    (void)ctx;
    (void)key;
    cite_list *cl = value;
    free(cl->pages);
    free(cl);
}

/* evidence.keyring and evidence.allowed_signers, when named, must be files
 * of the site, readable within limits.file_bytes (fs_open_source reports
 * at the file, as for site.yml's OSCAL catalogs). The signatures read them
 * only once a signed commit needs them, so a name that leads nowhere would
 * otherwise pass unsaid while no commit is signed, and make every later
 * signature "not verified". 0, or -1 after reporting. */
static int check_evidence_files(const site *s, diags *d)
{
    const char *files[] = {s->cfg.keyring, s->cfg.allowed_signers};
    static const char *const keys[] = {"keyring", "allowed_signers"};
    int err = 0;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        int fd = -1;
        size_t size;
        if (!files[i])
            continue;
        if (fs_open_source(&fd, &size, &s->fs, files[i], s->cfg.limits.file_bytes,
                           "limits.file_bytes", d) == 0) {
            close(fd);
            continue;
        }
        /* Where it is named, for the reader who wonders why it was read. */
        const yaml_node *n = yamltree_get(yamltree_get(s->cfg.yaml, "evidence"), keys[i]);
        diag_report(d, DIAG_NOTE, s->cfg.file, n ? yamltree_line(n) : 0, n ? yamltree_col(n) : 0,
                    "config", "'%s' is named by evidence.%s", files[i], keys[i]);
        err = -1;
    }
    return err;
}

/* The frameworks of charter's own catalogs (embed.h's controls/<name>.yml but
 * the applicability file and crosswalks): a new array of new strings,
 * their number in *n; the caller frees each and the array. */
static const char **builtin_frameworks(size_t *n_ids)
{
    size_t n;
    const embed_file *ef = embed_list("controls/", &n);
    const char **ids = xcalloc(n + 1, sizeof *ids);
    *n_ids = 0;
    for (size_t i = 0; i < n; i++) {
        const char *base = ef[i].path + strlen("controls/");
        size_t len = strlen(base);
        if (len > 4 && !strcmp(base + len - 4, ".yml") && !strchr(base, '/') &&
            strcmp(base, "applicability.yml") != 0 && !catalog_is_crosswalk(base))
            ids[(*n_ids)++] = xstrndup(base, len - 4);
    }
    return ids;
}

/* A site that names no frameworks and has no catalog of its own gets the
 * charter catalogs its pages' ids are found in: each embedded framework
 * counts the cited ids it has exactly; every framework with any is kept,
 * except that of two editions of one standard (iso27001-2013 and -2022)
 * only the one with more (on a tie, the later) is. Such frameworks are only
 * inferred: their controls need not be covered (s->frameworks_inferred). */
static int infer_frameworks(site *s, diags *d)
{
    size_t nf, n_ids;
    catalog_frameworks(s->catalog, &nf);
    if (s->cfg.n_frameworks || nf)
        return 0;
    const char **ids = builtin_frameworks(&n_ids);
    size_t *hits = xcalloc(n_ids + 1, sizeof *hits);
    buf name;
    buf_init(&name);
    int err = 0;
    catalog *all = NULL;
    if (n_ids &&
        catalog_load(&all, &s->fs, s->cfg.controls, ids, n_ids, s->cfg.limits.file_bytes, d) != 0)
        err = -1;
    for (size_t i = 0; all && i < s->n_pages; i++) {
        const page *p = s->pages[i];
        for (size_t j = 0; p->ok && p->controls && j < yamltree_len(p->controls); j++) {
            const char *id = yamltree_text(yamltree_item(p->controls, j));
            for (size_t f = 0; f < n_ids; f++) {
                buf_reset(&name);
                buf_printf(&name, "%s:%s", ids[f], strchr(id, ':') ? strchr(id, ':') + 1 : id);
                hits[f] += catalog_find(all, name.data) != NULL;
            }
        }
    }
    /* Keep, per standard (the id before its last '-'), the best edition. */
    const char **keep = xcalloc(n_ids + 1, sizeof *keep);
    size_t n_keep = 0;
    for (size_t f = 0; f < n_ids; f++) {
        if (!hits[f])
            continue;
        const char *dash = strrchr(ids[f], '-');
        size_t stem = dash ? (size_t)(dash - ids[f]) : strlen(ids[f]);
        int beaten = 0;
        for (size_t g = 0; g < n_ids && !beaten; g++)
            beaten = g != f && hits[g] && !strncmp(ids[g], ids[f], stem) &&
                     (ids[g][stem] == '-' || ids[g][stem] == '\0') &&
                     (hits[g] > hits[f] || (hits[g] == hits[f] && strcmp(ids[g], ids[f]) > 0));
        if (!beaten)
            keep[n_keep++] = ids[f];
    }
    if (!err && n_keep) {
        catalog *chosen = NULL;
        if (catalog_load(&chosen, &s->fs, s->cfg.controls, keep, n_keep, s->cfg.limits.file_bytes,
                         d) != 0) {
            err = -1;
        } else {
            catalog_free(s->catalog);
            s->catalog = chosen;
            catalog_set_aliases(s->catalog, s->cfg.framework_aliases, s->cfg.control_aliases);
            s->frameworks_inferred = 1;
        }
    }
    catalog_free(all);
    for (size_t i = 0; i < n_ids; i++)
        free((char *)ids[i]);
    free(ids);
    free(keep);
    free(hits);
    buf_release(&name);
    return err;
}

static void cite_key(buf *key, const control *c)
{
    buf_printf(key, "%s:%s", c->framework, c->id);
}

catalog *site_builtin_catalogs(const site *s)
{
    size_t n_ids;
    const char **ids = builtin_frameworks(&n_ids);
    diags *quiet = diag_new(NULL);
    catalog *all = NULL;
    if (n_ids && catalog_load(&all, &s->fs, s->cfg.controls, ids, n_ids, s->cfg.limits.file_bytes,
                              quiet) != 0)
        all = NULL;
    diag_free(quiet);
    for (size_t i = 0; i < n_ids; i++)
        free((char *)ids[i]);
    free(ids);
    return all;
}

/* Which published pages cite each control, by "framework:id". */
static map *build_citations(const site *s)
{
    map *m = map_new();
    buf key, canon;
    buf_init(&key);
    buf_init(&canon);
    for (size_t i = 0; s->catalog && i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok || !p->published || !p->controls)
            continue;
        for (size_t j = 0; j < yamltree_len(p->controls); j++) {
            const char *id = yamltree_text(yamltree_item(p->controls, j));
            const control *c = NULL;
            buf_reset(&canon);
            if (catalog_resolve(s->catalog, id, &c, &canon) == CONTROL_UNKNOWN || !c)
                continue;
            buf_reset(&key);
            cite_key(&key, c);
            cite_list *cl = map_get(m, key.data);
            if (!cl) {
                cl = xcalloc(1, sizeof *cl);
                map_put(m, key.data, cl);
            }
            if (cl->n && cl->pages[cl->n - 1] == p)
                continue; /* cited twice by one page */
            cl->pages = xgrow(cl->pages, cl->n, sizeof *cl->pages);
            cl->pages[cl->n++] = p;
        }
    }
    buf_release(&key);
    buf_release(&canon);
    return m;
}

const page *const *site_cited_by(const site *s, const control *c, size_t *n)
{
    buf key;
    buf_init(&key);
    cite_key(&key, c);
    const cite_list *cl = s->cited ? map_get(s->cited, key.data) : NULL;
    buf_release(&key);
    *n = cl ? cl->n : 0;
    return cl ? cl->pages : NULL;
}

int site_page_in_force(const page *p)
{
    return !p->status || (strcmp(p->status, "draft") != 0 && strcmp(p->status, "retired") != 0);
}

/* Whether a page in force cites c. */
static int cited_in_force(const site *s, const control *c)
{
    size_t n;
    const page *const *by = site_cited_by(s, c, &n);
    for (size_t i = 0; i < n; i++)
        if (site_page_in_force(by[i]))
            return 1;
    return 0;
}

coverage site_coverage(const site *s, const control *c)
{
    size_t nl;
    if (cited_in_force(s, c))
        return COVER_POLICY;
    const xw_link *l = crosswalks_links(s->crosswalks, c, &nl);
    coverage best = COVER_NONE;
    for (size_t i = 0; i < nl; i++) {
        coverage via = crosswalk_rel_covers(l[i].rel) ? COVER_CROSSWALK : COVER_PARTIAL;
        if (via > best && cited_in_force(s, l[i].other))
            best = via;
    }
    return best;
}

int site_load(site **out, const char *root, long as_of, diags *d)
{
    return site_load_at(out, root, as_of, NULL, d);
}

int site_load_at(site **out, const char *root, long as_of, const char *base_url, diags *d)
{
    if (site_load_start(out, root, as_of, base_url, d) != 0)
        return -1;
    if (site_load_finish(*out, d) != 0) {
        site_free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

int site_load_config(site **out, const char *root, long as_of, const char *base_url, diags *d)
{
    site *s = xcalloc(1, sizeof *s);
    s->root = xstrdup(root && *root ? root : ".");
    s->as_of = as_of;
    s->by_rel = map_new();
    pthread_mutex_init(&s->by_base_lock, NULL);
    s->by_url = map_new();
    s->by_out = map_new();
    s->by_static = map_new();
    if (fs_root_init(&s->fs, s->root, d) != 0 || load_config(s, base_url, d) != 0) {
        site_free(s);
        s = NULL;
    }
    *out = s;
    return s ? 0 : -1;
}

int site_load_start(site **out, const char *root, long as_of, const char *base_url, diags *d)
{
    if (site_load_config(out, root, as_of, base_url, d) != 0)
        return -1;
    if (site_load_walk(*out, d) != 0) {
        site_free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* A site with no page builds an empty site: most likely `content:` names
 * the wrong folder, or git ignores the pages. Said at `content:`. */
static void warn_no_pages(const site *s, const walk *w, diags *d)
{
    const yaml_node *n = s->cfg.yaml ? yamltree_get(s->cfg.yaml, "content") : NULL;
    buf why;
    buf_init(&why);
    if (w->n_ignored) {
        buf_printf(&why, "; git ignores '%s'", w->first_ignored);
        if (w->n_ignored > 1)
            buf_printf(&why, " and %zu more", w->n_ignored - 1);
        buf_adds(&why, " ('git check-ignore -v' names the rule)");
    }
    if (w->n_skipped) {
        buf_printf(&why, "; charter leaves out '%s'", w->first_skipped);
        if (w->n_skipped > 1)
            buf_printf(&why, " and %zu more", w->n_skipped - 1);
        buf_adds(&why, " (a name starting with '_' or '.', or site.yml's exclude:)");
    }
    diag_warning(d, s->cfg.file, n ? yamltree_line(n) : 1, n ? yamltree_col(n) : 1, "no-pages",
                 "the site has no page: the content folder '%s' holds no Markdown file charter "
                 "reads%s",
                 s->cfg.content, why.data);
    buf_release(&why);
}

int site_load_walk(site *s, diags *d)
{
    int err = -1;
    /* git's ignore rules are asked at each folder, and a library call into
     * a .gitignore cannot be interrupted: the walk is bounded as reading
     * the history is (a build or check runs the watchdog). */
    int timed = watchdog_enter(NULL, "the walk of the site's folders and git's ignore rules",
                               s->cfg.limits.history_seconds, "limits.history_seconds");
    walk w = {.s = s, .d = d, .seen = map_new(), .ignores = history_ignores_open(s->root)};
    s->walked_ns = fs_trace_now();
    for (int i = 0; i < 4; i++)
        buf_init(&w.other[i]);
    if (fs_source_kind(&s->fs, s->cfg.content, NULL, d) != FS_DIR) {
        diag_error(d, "site.yml", 0, 0, "config", "content directory '%s' does not exist",
                   s->cfg.content);
        goto done;
    }
    const char *other[] = {s->cfg.layouts, s->cfg.controls, s->cfg.assets, s->cfg.output};
    for (int i = 0; i < 4; i++) {
        buf_adds(&w.other[i], other[i]);
        if (path_normalize(&w.other[i]) != 0 || other[i][0] == '/')
            buf_reset(&w.other[i]); /* outside the site: nothing to skip */
    }
    /* The theme's assets are published under assets/, where its layouts
     * link them, whatever the folder is called; static folders' files at
     * the site's root. */
    if (walk_top(&w, s->cfg.content, 1, "") != 0)
        goto done;
    size_t assets_from = s->n_statics;
    if (walk_top(&w, s->cfg.assets, 0, "assets") != 0)
        goto done;
    size_t assets_to = s->n_statics;
    for (size_t i = 0; i < s->cfg.n_statics; i++)
        if (walk_top(&w, s->cfg.statics[i], 0, "") != 0)
            goto done;
    add_embedded_assets(s, assets_from, assets_to, d);
    for (size_t i = 0; i < s->n_statics; i++)
        map_put(s->by_static, s->statics[i].out_file, &s->statics[i]);
    if (!w.n_mds)
        warn_no_pages(s, &w, d);

    s->pages = xcalloc(w.n_mds + 1, sizeof *s->pages);
    s->n_pages = w.n_mds;
    for (size_t i = 0; i < w.n_mds; i++) {
        page *p = xcalloc(1, sizeof *p);
        buf src;
        buf_init(&src);
        path_join(&src, s->cfg.content, w.mds[i]);
        p->src = buf_detach(&src);
        p->rel = w.nfcs[i];
        p->index = i;
        p->st = w.sts[i];
        buf_init(&p->text);
        buf_init(&p->made);
        s->pages[i] = p;
        free(w.mds[i]);
    }
    free(w.mds);
    free(w.nfcs);
    w.mds = w.nfcs = NULL;
    w.n_mds = 0;
    err = 0;
done:
    for (size_t i = 0; i < w.n_mds; i++) {
        free(w.mds[i]);
        free(w.nfcs[i]);
    }
    free(w.mds);
    free(w.nfcs);
    free(w.sts);
    free(w.up);
    map_free(w.seen);
    history_ignores_free(w.ignores);
    free(w.first_ignored);
    free(w.first_skipped);
    for (int i = 0; i < 4; i++)
        buf_release(&w.other[i]);
    for (size_t i = 0; i < w.n_paths; i++)
        free(w.paths[i]);
    free(w.paths);
    watchdog_leave(timed);
    return err;
}

/* What the load derives once every page is read, in two independent
 * halves side by side (each 15 ms at 10,000 pages): the indexes, folders
 * and sections; the theme and the terms, then the load cache's rewrite.
 * Neither reads what the other writes (the pages' model fields are set by
 * then; index_pages sets only `collides`, build_sections the section
 * fields, which neither layouts_load nor terms_collect reads). */
static void finish_one(void *arg, size_t i)
{
    load_ctx *ctx = arg;
    site *s = ctx->s;
    if (i == 0) {
        index_pages(s, ctx->d);
        find_folders(s);
        build_sections(s, ctx->d);
    } else {
        s->layouts = layouts_load(s, ctx->d);
        s->terms = terms_collect(s);
        finish_load_cache(s, ctx->d);
    }
}

/* The site's folder in the work tree of the repository holding it
 * (site->repo_path's value; the caller frees it): "" when it is the top,
 * or not in one. */
static char *repo_path(const site *s)
{
    const char *root = s->git_root ? s->git_root : s->root;
    buf wd;
    buf_init(&wd);
    char *top = NULL, *here = NULL, *found = NULL;
    if (history_workdir(&wd, root) == 0 && (top = realpath(wd.data, NULL)) &&
        (here = realpath(root, NULL))) {
        size_t n = strlen(top);
        if (!strncmp(here, top, n) && here[n] == '/' && here[n + 1]) {
            buf p;
            buf_init(&p);
            buf_printf(&p, "%s/", here + n + 1);
            found = buf_detach(&p);
        }
    }
    free(top);
    free(here);
    buf_release(&wd);
    return found ? found : xstrdup("");
}

/* The folder of an index page (index.md, _index.md) rel, in *dir; 0 when
 * rel is no index. */
static int index_folder(buf *dir, const char *rel)
{
    const char *slash = strrchr(rel, '/'), *base = slash ? slash + 1 : rel;
    if (!path_md_named(base, "index") && !path_md_named(base, "_index"))
        return 0;
    buf_reset(dir);
    buf_add(dir, rel, slash ? (size_t)(slash - rel) : 0);
    buf_addc(dir, '\0');
    dir->len--;
    return 1;
}

/* Fills an Obsidian vault's indexes by name (the name shared by several:
 * name_shared): s->by_name with the pages (pages set), s->statics_by_name
 * with the static files. */
static void index_names(site *s, int pages)
{
    buf name;
    buf_init(&name);
    for (size_t i = pages ? 0 : s->n_pages; i < s->n_pages + s->n_statics; i++) {
        int pg = i < s->n_pages;
        const char *rel = pg ? s->pages[i]->rel : s->statics[i - s->n_pages].out_file;
        const char *slash = strrchr(rel, '/'), *base = slash ? slash + 1 : rel;
        size_t n = strlen(base);
        buf_reset(&name);
        name_key(&name, base, n - (pg ? path_md_ext(base, n) : 0));
        void **slot = map_ref(pg ? s->by_name : s->statics_by_name, name.data ? name.data : "");
        *slot = *slot ? (void *)&name_shared
                : pg  ? (void *)s->pages[i]
                      : (void *)&s->statics[i - s->n_pages];
    }
    buf_release(&name);
}

/* Unpublishes the pages below an index that hides them (hides_below): a
 * headless bundle's, a section's that cascades render: never. */
/* Whether the page at rel lies below a folder of hiding (an index's own
 * cascade is its pages', not its own: from its folder's parent). */
static int bundle_hides(const map *hiding, const char *rel)
{
    if (!hiding)
        return 0;
    buf dir;
    buf_init(&dir);
    int own = index_folder(&dir, rel), hidden = 0;
    if (!own) {
        buf_reset(&dir);
        buf_adds(&dir, rel);
    }
    while (!(own && !dir.len) && !hidden) {
        char *slash = strrchr(dir.data, '/');
        dir.len = slash ? (size_t)(slash - dir.data) : 0;
        dir.data[dir.len] = '\0';
        hidden = map_get(hiding, dir.data) != NULL;
        if (!dir.len)
            break;
    }
    buf_release(&dir);
    return hidden;
}

/* The folders whose pages an index hides (hides_below), into s->hiding
 * (NULL: none), for page_model to read as the other pages load; the index
 * pages below another's, loaded before it was known, unpublished. */
static void hide_bundles(site *s)
{
    map *hiding = NULL;
    buf dir;
    buf_init(&dir);
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (p->ok && p->hides_below && index_folder(&dir, p->rel)) {
            if (!hiding)
                hiding = map_new();
            map_put(hiding, dir.data, (void *)1);
        }
    }
    s->hiding = hiding;
    for (size_t i = 0; hiding && i < s->n_pages; i++)
        if (s->pages[i]->ok && bundle_hides(hiding, s->pages[i]->rel))
            s->pages[i]->published = 0;
    buf_release(&dir);
}

/* The static files of the content in a hidden folder (a headless bundle's
 * attachments), which Hugo publishes none of: dropped. */
static void hide_bundle_files(site *s)
{
    map *hiding = s->hiding;
    buf dir;
    buf_init(&dir);
    size_t kept = 0, cl = strcmp(s->cfg.content, ".") ? strlen(s->cfg.content) + 1 : 0;
    for (size_t i = 0; hiding && i < s->n_statics; i++) {
        static_file *f = &s->statics[i];
        int hidden = 0;
        if (!f->embedded &&
            (!cl || (!strncmp(f->src, s->cfg.content, cl - 1) && f->src[cl - 1] == '/'))) {
            buf_reset(&dir);
            buf_adds(&dir, f->src + cl);
            for (char *slash; !hidden && (slash = strrchr(dir.data, '/'));) {
                *slash = '\0';
                dir.len = (size_t)(slash - dir.data);
                hidden = map_get(hiding, dir.data) != NULL;
            }
            hidden |= !hidden && map_get(hiding, "") != NULL;
        }
        if (hidden) {
            free(f->src);
            free(f->out_file);
        } else {
            s->statics[kept++] = *f;
        }
    }
    if (hiding && kept != s->n_statics) {
        s->n_statics = kept;
        map_free(s->by_static);
        s->by_static = map_new();
        for (size_t i = 0; i < s->n_statics; i++)
            map_put(s->by_static, s->statics[i].out_file, &s->statics[i]);
        if (s->statics_by_name) {
            map_free(s->statics_by_name);
            s->statics_by_name = map_new();
            index_names(s, 0);
        }
    }
    map_free(hiding);
    s->hiding = NULL;
    buf_release(&dir);
}

/* load_page over a subset of the pages: job->idx[k] for item k. */
typedef struct load_subset {
    load_ctx *ctx;
    const size_t *idx;
} load_subset;

static void load_some(void *arg, size_t k)
{
    load_subset *j = arg;
    load_page(j->ctx, j->idx[k]);
}

int site_load_finish(site *s, diags *d)
{
    int err = -1;
    load_ctx ctx = {s, d, 0};
    if (s->cfg.readme_index) {
        /* Before the pages' URLs: the folders whose README is no page of
         * theirs. */
        s->index_folders = map_new();
        buf dir;
        buf_init(&dir);
        for (size_t i = 0; i < s->n_pages; i++) {
            const char *rel = s->pages[i]->rel, *slash = strrchr(rel, '/');
            const char *base = slash ? slash + 1 : rel;
            if (!path_md_named(base, "index") && !path_md_named(base, "_index"))
                continue;
            buf_reset(&dir);
            buf_add(&dir, rel, slash ? (size_t)(slash - rel) : 0);
            map_put(s->index_folders, dir.data ? dir.data : "", (void *)1);
        }
        buf_release(&dir);
    }
    if (s->cfg.wiki_links == WIKI_OBSIDIAN) {
        s->by_name = map_new();
        s->statics_by_name = map_new();
        index_names(s, 1);
    }
    /* navigation.order's places, which `unlisted: omit` publishes by, from
     * the pages' files before any is loaded. */
    if (s->cfg.nav_order) {
        for (size_t i = 0; i < s->n_pages; i++)
            map_put(s->by_rel, s->pages[i]->rel, s->pages[i]);
        ctx.nav_failed = navorder_places(s, d) != 0;
    }
    /* Hugo's leaf bundles, known by their files' names: a folder below
     * the top with an index.md (not _index.md) is a page whose other
     * Markdown files, there and below, are its resources, which Hugo does
     * not publish (its images it does). */
    if (s->cfg.leaf_bundles) {
        buf ldir;
        buf_init(&ldir);
        for (size_t i = 0; i < s->n_pages; i++) {
            const char *rel = s->pages[i]->rel, *slash = strrchr(rel, '/');
            if (slash && path_md_named(slash + 1, "index") && index_folder(&ldir, rel)) {
                if (!s->leaves)
                    s->leaves = map_new();
                map_put(s->leaves, ldir.data, (void *)1);
            }
        }
        buf_release(&ldir);
    }
    /* The folders' own pages first (index.md, _index.md): one may hide the
     * pages below it (Hugo's headless bundle, a cascade of render: never),
     * which the rest then load unpublished, held to no required key. */
    size_t *order = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *order), n_index = 0, n_rest = 0;
    buf idir;
    buf_init(&idir);
    for (size_t i = 0; i < s->n_pages; i++)
        if (index_folder(&idir, s->pages[i]->rel))
            order[n_index++] = i;
    for (size_t i = 0; i < s->n_pages; i++)
        if (!index_folder(&idir, s->pages[i]->rel))
            order[n_index + n_rest++] = i;
    buf_release(&idir);
    load_subset first = {&ctx, order}, rest = {&ctx, order + n_index};
    pool_run(n_index, load_some, &first);
    hide_bundles(s);
    pool_run(n_rest, load_some, &rest);
    map_free(s->leaves);
    s->leaves = NULL;
    free(order);
    hide_bundle_files(s);
    pool_run(2, finish_one, &ctx);
    if (ctx.nav_failed)
        goto done;
    link_sections(s);

    /* site.yml's OSCAL catalogs load as if imported into controls/. */
    catalog_text *oscal = NULL;
    int loaded = oscal_site_catalogs(&oscal, &s->fs, s->cfg.oscal_catalogs, s->cfg.n_oscal_catalogs,
                                     s->cfg.limits.file_bytes, d) == 0 &&
                 catalog_load_with(&s->catalog, &s->fs, s->cfg.controls, s->cfg.frameworks,
                                   s->cfg.n_frameworks, oscal, s->cfg.n_oscal_catalogs,
                                   s->cfg.limits.file_bytes, d) == 0;
    oscal_texts_free(oscal, s->cfg.n_oscal_catalogs);
    if (!loaded)
        goto done;
    catalog_set_aliases(s->catalog, s->cfg.framework_aliases, s->cfg.control_aliases);
    if (infer_frameworks(s, d) != 0)
        goto done;
    if (crosswalks_load(&s->crosswalks, &s->fs, s->cfg.controls, s->catalog,
                        s->cfg.limits.file_bytes, d) != 0)
        goto done;
    if (check_evidence_files(s, d) != 0)
        goto done;
    if (s->cfg.repository_url && *s->cfg.repository_url)
        s->repo_path = repo_path(s);
    /* What later stages read, derived once (the theme and the terms
     * above): every output path, and who cites each control. */
    s->plan = plan_outputs(s, d);
    s->cited = build_citations(s);
    err = 0;
done:
    return err;
}

void site_release_texts(site *s)
{
    for (size_t i = 0; s && i < s->n_pages; i++)
        buf_release(&s->pages[i]->text);
}

int site_page_reread(const site *s, page *p, diags *d)
{
    if (!s->reread || !p->ok || !p->published)
        return 0;
    buf_release(&p->text);
    if (fs_read_source(&p->text, &s->fs, p->src, s->cfg.limits.page_bytes, "limits.page_bytes",
                       d) != 0)
        return -1;
    /* The bytes this load read were checked with a damage check (XXH3), a
     * tenth of SHA-256's time: an editor's save between the two reads is
     * what is to be told (a writer racing charter on purpose is out of
     * scope, docs/security.md); those the load cache vouched for, with the
     * digest it kept. */
    char hex[DIGEST_HEX];
    if (p->text_check[0])
        digest_check_of(hex, p->text.data, p->text.len);
    else
        digest_of(hex, p->text.data, p->text.len);
    if (strcmp(hex, p->text_check[0] ? p->text_check : p->text_hex) == 0)
        return 0;
    /* Its front matter was read from other bytes: a build of both would
     * be of neither. */
    buf_release(&p->text);
    return diag_error(d, p->src, 0, 0, "io", "'%s' changed during the build; build again", p->src);
}

void site_free(site *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_pages; i++) {
        page *p = s->pages[i];
        free(p->src);
        free(p->rel);
        free(p->url);
        free(p->full_url);
        free(p->out_file);
        free(p->id_own);
        free(p->owner_own);
        free(p->section_title);
        buf_release(&p->text);
        buf_release(&p->made);
        if (p->ok)
            frontmatter_release(&p->fm);
        free(p);
    }
    loadcache_free(s->load_cache);
    free(s->pages);
    for (size_t i = 0; i < s->n_sections; i++) {
        free(s->sections[i].title);
        free(s->sections[i].slug);
        free(s->sections[i].folder);
        free(s->sections[i].pages);
    }
    free(s->sections);
    for (size_t i = 0; i < s->n_statics; i++) {
        free(s->statics[i].src);
        free(s->statics[i].out_file);
    }
    free(s->statics);
    map_free(s->by_rel);
    map_free(s->index_folders);
    map_free(s->by_name);
    map_free(s->by_base);
    pthread_mutex_destroy(&s->by_base_lock);
    map_free(s->statics_by_name);
    map_free(s->by_url);
    map_free(s->by_out);
    map_free(s->by_static);
    layouts_free(s->layouts);
    terms_free(s->terms);
    plan_free(s->plan);
    if (s->cited) {
        map_each(s->cited, free_cites, NULL);
        map_free(s->cited);
    }
    crosswalks_free(s->crosswalks);
    catalog_free(s->catalog);
    config_release(&s->cfg);
    fs_root_release(&s->fs);
    free(s->root);
    free(s->git_root);
    free(s->git_commit);
    free(s->repo_path);
    free(s->title_own);
    free(s->vars_own[0]);
    free(s->vars_own[1]);
    for (size_t i = 0; i < s->n_folders; i++) {
        free(s->folders[i].rel);
        free(s->folders[i].url);
        free(s->folders[i].out_file);
        free(s->folders[i].title);
    }
    free(s->folders);
    map_free(s->by_folder);
    free(s);
}

void site_set_origin(site *s, const char *git_root, const char *commit)
{
    free(s->git_root);
    free(s->git_commit);
    s->git_root = xstrdup(git_root);
    s->git_commit = xstrdup(commit);
}

void site_user_path(buf *out, const site *s, const char *rel)
{
    site at = {.root = s->git_root ? s->git_root : s->root};
    site_path(out, &at, rel);
}

void site_path(buf *out, const site *s, const char *rel)
{
    if (strcmp(rel, ".") == 0)
        buf_adds(out, s->root);
    else if (strcmp(s->root, ".") == 0 || rel[0] == '/')
        buf_adds(out, rel);
    else
        path_join(out, s->root, rel);
}

/* Whether rel (relative to the site's folder) names a regular file or a
 * folder there, not in the git directory, whatever a link says: 1, with
 * *folder set and rel appended to out; else 0. */
static int repository_file(buf *out, int *folder, const site *s, const char *rel, size_t n)
{
    diags *quiet = diag_new(NULL);
    fs_kind kind = fs_source_kind(&s->fs, rel, NULL, quiet);
    diag_free(quiet);
    int git = !strcmp(rel, ".git") || !strncmp(rel, ".git/", 5);
    int found = n && !git && (kind == FS_FILE || kind == FS_DIR);
    if (found) {
        *folder = kind == FS_DIR;
        buf_add(out, rel, n);
    }
    return found;
}

int site_resolve(buf *out, const site *s, const page *from, const char *target)
{
    if (path_resolve(out, from->rel, target) == 0)
        return 0;
    /* Out of the content directory and back in ("../content/x.md", as
     * GitHub follows it): the page's own, from the site's folder. */
    size_t cl = strlen(s->cfg.content);
    if (!strcmp(s->cfg.content, ".") || target[0] == '/')
        return -1;
    buf src, res;
    buf_init(&src);
    buf_init(&res);
    path_join(&src, s->cfg.content, from->rel);
    int err = -1;
    if (path_resolve(&res, src.data, target) == 0 && !strncmp(res.data, s->cfg.content, cl) &&
        res.data[cl] == '/' && res.data[cl + 1]) {
        buf_reset(out);
        buf_adds(out, res.data + cl + 1);
        err = 0;
    }
    buf_release(&src);
    buf_release(&res);
    return err;
}

int site_outside_content(buf *out, int *folder, const site *s, const page *from, const char *path)
{
    buf src, res;
    buf_init(&src);
    buf_init(&res);
    path_join(&src, s->cfg.content, from->rel);
    int found = path_resolve(&res, src.data, path) == 0 &&
                repository_file(out, folder, s, res.data, res.len);
    buf_release(&src);
    buf_release(&res);
    return found;
}

int site_unpublished_file(buf *out, int *folder, const site *s, const char *res)
{
    buf src;
    buf_init(&src);
    path_join(&src, s->cfg.content, res);
    int found = repository_file(out, folder, s, src.data, src.len);
    buf_release(&src);
    return found;
}

/* Appends the repository's address of rel (relative to the site's folder,
 * named by the link `written`): a folder's when written with a last '/',
 * an image's raw bytes, else its page; from the link alone, never from
 * what is on disk. 1, or 0 (nothing appended) for an empty path or one in
 * the git directory, whatever a link says. */
static int repository_link(buf *out, const site *s, const char *rel, const char *written)
{
    if (!*rel || !strcmp(rel, ".") || !strcmp(rel, ".git") || !strncmp(rel, ".git/", 5))
        return 0;
    size_t wl = strlen(written);
    int folder = wl && written[wl - 1] == '/';
    const char *ext = strrchr(rel, '.');
    int image =
        !folder && ext &&
        (!strcasecmp(ext, ".png") || !strcasecmp(ext, ".jpg") || !strcasecmp(ext, ".jpeg") ||
         !strcasecmp(ext, ".gif") || !strcasecmp(ext, ".svg") || !strcasecmp(ext, ".webp"));
    site_repository_url(out, s, rel, folder ? "tree" : image ? "raw" : "blob");
    if (folder)
        buf_addc(out, '/');
    return 1;
}

void site_repository_page(buf *out, const site_config *c, const char *what)
{
    const char *r = c->repository_url;
    if (!r || !*r)
        return;
    size_t n = strlen(r);
    while (n && r[n - 1] == '/')
        n--;
    buf_add(out, r, n);
    /* GitLab's pages of a project are under /-/ (its old paths without
     * it no longer redirect since GitLab 16). */
    buf_printf(out, "/%s%s", site_gitlab_hosted(c) ? "-/" : "", what);
}

int site_repository_above(buf *out, const site *s, const page *from, const char *target)
{
    const site_config *c = &s->cfg;
    if (!c->repository_url || !*c->repository_url || target[0] == '/')
        return 0;
    const char *r = c->repository_url;
    size_t n = strlen(r);
    while (n && r[n - 1] == '/')
        n--;
    /* The page as the repository's web view shows it, below a root "R":
     * R/blob/<branch>/<the site's folder><content>/<page> (GitLab's with
     * -/ before blob). */
    const char *tree = site_gitlab_hosted(c) ? "-/blob/" : "blob/";
    buf view, res;
    buf_init(&view);
    buf_init(&res);
    buf_printf(&view, "R/%s%s/", tree, c->branch);
    if (s->repo_path)
        buf_adds(&view, s->repo_path);
    if (strcmp(c->content, "."))
        buf_printf(&view, "%s/", c->content);
    buf_adds(&view, from->rel);
    int found = 0;
    /* Above the tree ("../../issues" from the top's README is R/issues),
     * still among the repository's pages: its address there. */
    if (path_resolve(&res, view.data, target) == 0 && res.data[0] == 'R' &&
        (res.data[1] == '\0' || res.data[1] == '/') &&
        !(res.data[1] == '/' && !strncmp(res.data + 2, tree, strlen(tree)))) {
        buf_add(out, r, n);
        if (res.data[1] == '/' && res.data[2]) {
            buf_addc(out, '/');
            url_encode_path(out, res.data + 2);
        }
        found = 1;
    }
    buf_release(&view);
    buf_release(&res);
    return found;
}

int site_heading_ids(const site_config *c)
{
    static const int rules[] = {MD_IDS_GITHUB, MD_IDS_GITHUB, MD_IDS_GITLAB, MD_IDS_MKDOCS,
                                MD_IDS_VITEPRESS};
    if (c->heading_ids > 0 && c->heading_ids < (int)(sizeof rules / sizeof *rules))
        return rules[c->heading_ids];
    return site_gitlab_hosted(c) ? MD_IDS_GITLAB : MD_IDS_GITHUB;
}

int site_gitlab_hosted(const site_config *c)
{
    const char *r = c->repository_url;
    if (!r || !*r)
        return 0;
    const char *host = strstr(r, "://");
    host = host ? host + 3 : r;
    size_t n = strcspn(host, "/");
    for (size_t i = 0; i + 6 <= n; i++)
        if (!strncasecmp(host + i, "gitlab", 6)) /* a host name's case is no part of it */
            return 1;
    return 0;
}

void site_repository_url(buf *out, const site *s, const char *rel, const char *how)
{
    if (!s->cfg.repository_url || !*s->cfg.repository_url)
        return;
    site_repository_page(out, &s->cfg, how);
    buf_addc(out, '/');
    url_encode_path(out, s->cfg.branch);
    buf_addc(out, '/');
    if (s->repo_path)
        url_encode_path(out, s->repo_path);
    url_encode_path(out, rel);
}

/* Rewrites relative links, which are written relative to the source file
 * (so they also work on GitHub), into URLs that work from the page's pretty
 * URL: a link to another page's .md file becomes that page's URL; any other
 * relative link (an image, a PDF) becomes the absolute URL of the file it
 * names in the content directory. The query and fragment are kept. */
const char *site_link_alias(buf *tmp, const site *s, const char *url)
{
    const char *rest = NULL;
    if (!strncmp(url, "pathname://", 11) && url[11] == '/' && url[12] != '/' && url[12] != '\\')
        rest = url + 12;
    else if (!strncmp(url, "@site/", 6))
        for (size_t i = 0; i < s->cfg.n_statics && !rest; i++) {
            size_t l = strlen(s->cfg.statics[i]);
            if (!strncmp(url + 6, s->cfg.statics[i], l) && url[6 + l] == '/')
                rest = url + 7 + l;
        }
    /* Zola's "@/policies/x.md": a page's file, from the content folder,
     * read as "/policies/x.md" below base_url. */
    if (!rest && !strncmp(url, "@/", 2) && url[2] != '/')
        rest = url + 2;
    /* Any other file of the site's folder, "@site/docs/x.md", as "/docs/x.md"
     * below base_url, where a page's file is that page (rewrite_link), and
     * what is not stays inside the site's addresses (HEAD~1 wrote "/x" for
     * base_url "/sub/": outside them). */
    if (!rest && !strncmp(url, "@site/", 6) && url[6] != '/')
        rest = url + 6;
    if (!rest)
        return url;
    const char *bp;
    site_path_in_base(s, "/", &bp);
    buf_reset(tmp);
    buf_printf(tmp, "%s%s", bp, rest);
    return tmp->data;
}

static int rewrite_link(buf *out, const site *s, const page *from, const char *url);

int site_rewrite_link(buf *out, const site *s, const page *from, const char *url)
{
    buf alias;
    buf_init(&alias);
    const char *written = url;
    url = site_link_alias(&alias, s, url);
    int rc = rewrite_link(out, s, from, url);
    if (!rc && url != written) {
        /* Read as another link (Zola's "@/x.md", "pathname:///x"), it is
         * written as that one, as every link charter writes: its path
         * decoded and encoded again, its query and fragment as written.
         * One whose path does not decode (%00) is left as written, for the
         * link checks to report. */
        size_t n = strcspn(url, "?#");
        buf path;
        buf_init(&path);
        if (site_link_target(&path, url, n) == 0) {
            url_encode_path(out, path.data);
            buf_adds(out, url + n);
            rc = 1;
        }
        buf_release(&path);
    }
    buf_release(&alias);
    return rc;
}

static int rewrite_link(buf *out, const site *s, const page *from, const char *url)
{
    if (!*url || url[0] == '#' || url[0] == '?' || url_is_external(url))
        return 0;
    size_t n = strcspn(url, "?#");
    buf target, resolved;
    buf_init(&target);
    buf_init(&resolved);
    int done = 0;
    const page *dest = NULL;
    /* Resolved as the file it names: percent-decoded and in NFC. */
    if (site_link_target(&target, url, n) != 0) {
        /* %00: left as written, reported by the link checks */
    } else if (url[0] == '/') {
        /* A root-relative link stays as written unless it names a page's
         * or a folder's URL without its last '/' (written so for VitePress
         * and Hugo), or no page or file by URL but a page's .md file
         * (GitHub's file view). */
        const char *bp, *rest = site_path_in_base(s, target.data, &bp);
        const page *by_url = rest ? site_page_by_url(s, rest) : NULL;
        const site_folder *fo = rest && !by_url ? site_folder_by_url(s, rest) : NULL;
        if (!rest)
            dest = site_link_page(s, from, target.data, NULL);
        else if (by_url && by_url->published && strcmp(by_url->url, rest))
            dest = by_url; /* its URL without the last '/': the URL itself */
        else if (fo && strcmp(fo->url, rest) && !site_static_by_out(s, rest + 1)) {
            buf_adds(out, s->cfg.base_url); /* a folder's index, the same */
            url_encode_path(out, fo->url + 1);
            done = 1;
        } else if (!by_url && !site_static_by_out(s, rest + 1)) {
            dest = site_link_page(s, from, rest, NULL);
        } else if (!by_url && s->cfg.lower_urls) {
            /* A file named with its folders' capitals (lowercase_urls):
             * where it is published. */
            const static_file *sf = site_static_by_out(s, rest + 1);
            if (strcmp(sf->out_file, rest + 1) != 0) {
                buf_adds(out, s->cfg.base_url);
                url_encode_path(out, sf->out_file);
                done = 1;
            }
        }
    } else if (site_resolve(&resolved, s, from, target.data) == 0) {
        int is_md = path_md_ext(target.data, target.len) > 0;
        buf u;
        buf_init(&u);
        buf_printf(&u, "/%s", resolved.data);
        int published = 1;
        if (is_md) {
            dest = map_get(s->by_rel, resolved.data);
            if (!dest || !dest->published)
                dest = site_link_page(s, from, target.data, NULL);
        } else if (!site_static_by_out(s, resolved.data)) {
            /* A page's URL written without its last '/': the URL itself. */
            dest = site_page_by_url(s, u.data);
            if (!dest)
                dest = site_link_page(s, from, target.data, NULL);
            published = dest || site_folder_by_url(s, u.data);
        }
        const static_file *named = !dest && !is_md ? site_static_by_name(s, target.data) : NULL;
        if (named) {
            buf_adds(out, s->cfg.base_url);
            url_encode_path(out, named->out_file);
            done = 1;
        } else if ((is_md ? !dest || !dest->published : !published) && s->cfg.repository_url &&
                   *s->cfg.repository_url) {
            /* A file the site does not publish (.github/CODEOWNERS, an
             * excluded page) where the repository shows it; whether it is
             * there is the link check's to say (the page's HTML depends
             * on nothing but the site's pages and files). */
            buf there;
            buf_init(&there);
            path_join(&there, s->cfg.content, resolved.data);
            done = repository_link(out, s, there.data, target.data);
            buf_release(&there);
            if (done)
                dest = NULL;
        }
        if (!dest && !is_md && !done) {
            /* Any other file: its absolute URL (where it is published). */
            const static_file *sf = site_static_by_out(s, resolved.data);
            buf_adds(out, s->cfg.base_url);
            url_encode_path(out, sf ? sf->out_file : resolved.data);
            if (target.len && target.data[target.len - 1] == '/' && resolved.len)
                buf_addc(out, '/');
            done = 1;
        }
        buf_release(&u);
    } else {
        /* Above the content folder from the page's file ("../../"): read as
         * Jekyll does, from the page's pretty URL. Left relative, it would
         * lead elsewhere from the handbook, which shows the page at its own
         * URL. */
        dest = site_link_page(s, from, target.data, NULL);
        /* Else a file of the repository outside the content (GitHub's
         * "../LICENSE" from docs/), where the repository shows it (the
         * link check says whether it is there). */
        if ((!dest || !dest->published) && s->cfg.repository_url && *s->cfg.repository_url) {
            buf src, there;
            buf_init(&src);
            buf_init(&there);
            path_join(&src, s->cfg.content, from->rel);
            if (path_resolve(&there, src.data, target.data) == 0)
                done = repository_link(out, s, there.data, target.data);
            else
                done = site_repository_above(out, s, from, target.data);
            buf_release(&src);
            buf_release(&there);
        }
    }
    if (dest && dest->published) {
        buf_adds(out, s->cfg.base_url);
        url_encode_path(out, dest->url + 1);
        done = 1;
    }
    if (done)
        buf_adds(out, url + n);
    buf_release(&target);
    buf_release(&resolved);
    return done;
}

const char *site_path_in_base(const site *s, const char *path, const char **base)
{
    const char *bp = s->cfg.base_url;
    if (url_is_external(bp)) {
        bp = strchr(bp + strcspn(bp, ":") + 3, '/');
        if (!bp)
            bp = "/";
    }
    *base = bp;
    size_t bl = strlen(bp);
    if (!strncmp(path, bp, bl))
        return path + bl - 1; /* keep the leading '/' */
    if (bl > 1 && !strncmp(path, bp, bl - 1) && path[bl - 1] == '\0')
        return "/";
    return NULL;
}

int site_section_is_page(const site_section *sec)
{
    return sec->n_pages == 1 && sec->pages[0]->own_section;
}

const static_file *site_static_by_out(const site *s, const char *out_file)
{
    const static_file *f = map_get(s->by_static, out_file);
    const char *last = strrchr(out_file, '/');
    if (!f && s->cfg.lower_urls && last) {
        /* Named by its source's path, with its folders' capitals. */
        buf low;
        buf_init(&low);
        unicode_lower(&low, out_file, (size_t)(last - out_file));
        buf_adds(&low, last);
        f = map_get(s->by_static, low.data);
        buf_release(&low);
    }
    return f;
}

int site_name_shared(const site *s, const char *name)
{
    if (!s->by_name || strchr(name, '/'))
        return 0;
    buf key;
    buf_init(&key);
    name_key(&key, name, strlen(name));
    size_t e = key.len ? path_md_ext(key.data, key.len) : 0;
    buf_truncate(&key, key.len - e);
    int shared = key.len && (map_get(s->by_name, key.data) == (void *)&name_shared ||
                             map_get(s->statics_by_name, key.data) == (void *)&name_shared);
    buf_release(&key);
    return shared;
}

const static_file *site_static_by_name(const site *s, const char *name)
{
    if (!s->statics_by_name || strchr(name, '/'))
        return NULL;
    buf key;
    buf_init(&key);
    name_key(&key, name, strlen(name));
    const static_file *f = key.len ? map_get(s->statics_by_name, key.data) : NULL;
    buf_release(&key);
    return f == (const static_file *)&name_shared ? NULL : f;
}

const page *site_page_by_url(const site *s, const char *path)
{
    const page *p = map_get(s->by_url, path);
    if (p)
        return p;
    buf b;
    buf_init(&b);
    size_t n = strlen(path);
    if (n >= 10 && !strcmp(path + n - 10, "index.html")) {
        buf_add(&b, path, n - 10);
    } else if (n && path[n - 1] != '/') {
        buf_adds(&b, path);
        buf_addc(&b, '/');
    }
    if (b.len)
        p = map_get(s->by_url, b.data);
    buf_release(&b);
    return p;
}

/* The published page whose file another tool makes is named by the last
 * part of path (document_files: comply's "ACME-:id.pdf" for the page with
 * id AOTP), or NULL. */
int site_document_file(const site *s, const char *path)
{
    const char *pat = s->cfg.document_files, *at = pat ? strstr(pat, ":id") : NULL;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (!at)
        return 0;
    size_t pre = (size_t)(at - pat), post = strlen(at + 3), n = strlen(base);
    return n > pre + post && !strncmp(base, pat, pre) && !strcmp(base + n - post, at + 3);
}

static const page *page_by_document_file(const site *s, const char *path)
{
    if (!site_document_file(s, path))
        return NULL;
    const char *pat = s->cfg.document_files, *at = strstr(pat, ":id");
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t pre = (size_t)(at - pat), post = strlen(at + 3), n = strlen(base);
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (p->ok && p->published && p->id && strlen(p->id) == n - pre - post &&
            !strncmp(p->id, base + pre, n - pre - post))
            return p;
    }
    return NULL;
}

/* A published page by its path in the content directory, as written
 * (x.md), without .md (x: x.md, then x/index.md and x/_index.md) or as
 * its folder (x/: x/index.md, x/_index.md). */
static const page *page_by_file(const site *s, const char *rel, buf *tried)
{
    buf r;
    buf_init(&r);
    buf_adds(&r, rel);
    int folder = r.len && r.data[r.len - 1] == '/';
    while (r.len && r.data[r.len - 1] == '/')
        r.data[--r.len] = '\0';
    size_t base = r.len;
    int is_md = !folder && path_md_ext(r.data, base) > 0;
    /* Jekyll's address of x.md with its default permalinks: x.html. */
    int html = !folder && !is_md && base > 5 && r.data[base - 6] != '/' &&
               !strcasecmp(r.data + base - 5, ".html");
    if (html)
        base -= 5;
    const char *const plain[] = {"", NULL};
    const char *const bare[] = {".md", base ? "/index.md" : "index.md",
                                base ? "/_index.md" : "_index.md", NULL};
    const char *const md[] = {".md", NULL};
    const char *const *sfx = is_md ? plain : html ? md : folder ? bare + 1 : bare;
    const page *p = NULL;
    for (; *sfx && !p; sfx++) {
        buf_truncate(&r, base);
        buf_adds(&r, *sfx);
        if (tried) {
            buf_printf(tried, "%s'", tried->len ? ", " : "");
            path_join(tried, s->cfg.content, r.data);
            buf_addc(tried, '\'');
        }
        p = map_get(s->by_rel, r.data);
        if (p && !p->published)
            p = NULL;
    }
    buf_release(&r);
    return p;
}

const page *site_link_page(const site *s, const page *from, const char *path, buf *tried)
{
    const page *p = NULL;
    buf r;
    buf_init(&r);
    if (path[0] == '/') {
        /* GitHub's root is the repository's: the site's folder, so a path
         * may name the content directory first. */
        const char *rel = path + 1;
        size_t cl = strlen(s->cfg.content);
        if (strcmp(s->cfg.content, ".") && !strncmp(rel, s->cfg.content, cl) && rel[cl] == '/')
            p = page_by_file(s, rel + cl + 1, tried);
        if (!p)
            p = page_by_file(s, rel, tried);
    } else {
        if (site_resolve(&r, s, from, path) == 0)
            p = page_by_file(s, r.data, tried);
        /* Jekyll's: relative to the page's URL, a folder ("/a/b/"). */
        buf base;
        buf_init(&base);
        buf_printf(&base, "%sx", from->url + 1);
        buf_reset(&r);
        if (!p && path_resolve(&r, base.data, path) == 0) {
            buf u;
            buf_init(&u);
            buf_printf(&u, "/%s", r.data);
            if (tried)
                buf_printf(tried, "%s'%s'", tried->len ? ", " : "", u.data);
            p = site_page_by_url(s, u.data);
            if (!p)
                p = page_by_file(s, r.data, NULL);
            buf_release(&u);
        }
        buf_release(&base);
    }
    if (!p && s->cfg.document_files)
        p = page_by_document_file(s, path);
    if (!p && s->by_name) {
        /* An Obsidian link: from the vault's top, else by the page's name
         * wherever it is, when one page alone has it. */
        const char *rel = path[0] == '/' ? path + 1 : path;
        p = page_by_file(s, rel, strchr(rel, '/') ? tried : NULL);
        buf_reset(&r);
        if (!p && !strchr(rel, '/'))
            name_key(&r, rel, strlen(rel));
        size_t e = r.len ? path_md_ext(r.data, r.len) : 0;
        buf_truncate(&r, r.len - e);
        const page *named = !p && r.len ? map_get(s->by_name, r.data) : NULL;
        if (named && named != (const page *)&name_shared && named->published)
            p = named;
    }
    buf_release(&r);
    return p;
}

/* Each page by its name (site.by_base): its file's without the extension,
 * or its folder's for a folder's own page (a bundle's index.md). */
static void index_bases(site *s)
{
    buf name;
    buf_init(&name);
    s->by_base = map_new();
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok || !p->published)
            continue;
        const char *rel = p->rel, *slash = strrchr(rel, '/'), *base = slash ? slash + 1 : rel;
        size_t n = strlen(base);
        if (path_md_named(base, "index") || path_md_named(base, "_index")) {
            if (!slash)
                continue; /* the home page has no name */
            const char *end = slash;
            while (slash > rel && slash[-1] != '/')
                slash--;
            base = slash;
            n = (size_t)(end - slash);
        } else {
            n -= path_md_ext(base, n);
        }
        buf_reset(&name);
        name_key(&name, base, n);
        void **slot = map_ref(s->by_base, name.data ? name.data : "");
        *slot = *slot ? (void *)&name_shared : (void *)p;
    }
    buf_release(&name);
}

int site_hugo_ref(buf *out, const site *s, const page *from, const char *path, size_t len)
{
    size_t n = 0;
    while (n < len && path[n] != '#' && path[n] != '?')
        n++;
    if (!n || path[0] == '/' || path[0] == '.')
        return 0; /* this page, the content's top, or its folder's: as written */
    buf target, root;
    buf_init(&target);
    buf_init(&root);
    int found = 0;
    if (site_link_target(&target, path, n) != 0 || site_link_page(s, from, target.data, NULL))
        goto done; /* from the page's folder, as Hugo looks first */
    buf_printf(&root, "/%s", target.data);
    const page *p = site_link_page(s, from, root.data, NULL);
    if (!p && !strchr(target.data, '/')) {
        /* A name alone: the page of that name, wherever it is, when one
         * page alone has it (Hugo calls the others ambiguous). */
        pthread_mutex_lock((pthread_mutex_t *)&s->by_base_lock);
        if (!s->by_base)
            index_bases((site *)s);
        pthread_mutex_unlock((pthread_mutex_t *)&s->by_base_lock);
        buf key;
        buf_init(&key);
        name_key(&key, target.data, target.len - path_md_ext(target.data, target.len));
        p = map_get(s->by_base, key.data ? key.data : "");
        buf_release(&key);
        if (p == (const page *)&name_shared)
            p = NULL;
    }
    if (!p)
        goto done;
    buf_addc(out, '/');
    url_encode_path(out, p->rel);
    buf_add(out, path + n, len - n);
    found = 1;
done:
    buf_release(&target);
    buf_release(&root);
    return found;
}

int site_link_target(buf *out, const char *url, size_t n)
{
    buf decoded;
    buf_init(&decoded);
    int err = url_decode(&decoded, url, n);
    if (err == 0)
        unicode_nfc(out, decoded.data, decoded.len);
    buf_release(&decoded);
    return err;
}

const char *review_state_slug(review_state r)
{
    static const char *const names[] = {"none", "ok", "due-soon", "overdue", "retired"};
    return names[r];
}

const char *review_state_label(review_state r)
{
    static const char *const names[] = {"Not set", "OK", "Due soon", "Overdue", "Retired"};
    return names[r];
}
