/* cmd_init: `charter init`, setting charter up in a directory: init.c
 * plans the files for what the directory holds (a site.yml that reads the
 * repository as it is, or a new site); this file checks that the site.yml
 * reads and that nothing is in the way, then writes. It never changes a
 * file that exists: each is created new (O_EXCL), following no link. */
#include "cli.h"
#include "commands.h"
#include "config.h"
#include "fs.h"
#include "init.h"
#include "site.h"
#include "paths.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_SITE, OPT_KIND };

static const cli_option options[] = {
    [OPT_SITE] = {"site", "DIR", "the directory to set up (default: .; made when missing)"},
    [OPT_KIND] = {"kind", "KIND", "the kind of repository, instead of detecting it (see below)"},
    {NULL, NULL, NULL},
};

const cli_command cmd_init_def = {
    "init",
    "Set up charter in a directory: a site.yml that reads the policy repository there as it "
    "is\n(Jekyll, Hugo, Docusaurus, MkDocs, VitePress, Starlight, mdBook, Eleventy, comply or "
    "plain\nMarkdown), or, in an empty directory, a new site with an example policy. Never changes "
    "a "
    "file that exists.",
    "[--site DIR] "
    "[--kind jekyll|hugo|docusaurus|mkdocs|vitepress|starlight|mdbook|eleventy|comply|plain|new]",
    "kinds, detected in this order: comply (comply.yml), jekyll (_config.yml), docusaurus\n"
    "(docusaurus.config.js, .ts or .mjs), mkdocs (mkdocs.yml), vitepress\n"
    "(.vitepress/config.mts, .ts, .mjs or .js, in docs/ or at the top), starlight\n"
    "(astro.config.mjs, .ts, .mts or .js using Starlight, and src/content/docs/), mdbook\n"
    "(book.toml), eleventy (eleventy.config.js, .mjs or .cjs, or .eleventy.js), hugo\n"
    "(hugo.toml, config.toml, hugo.yaml... and a content/ folder), plain\n"
    "(any other directory with Markdown files) and new (no Markdown: site.yml,\n"
    "content/index.md, an example policy and controls/applicability.yml).\n"
    "docs/migrating.md says what each site.yml reads.\n\n"
    "exit status: 0 written, 2 usage error, a file that exists (nothing is written) or an IO\n"
    "error.\n",
    options,
    cmd_init,
};

typedef struct init_opts {
    const char *site, *kind;
    int site_given; /* --site names the folder: a site there is meant */
} init_opts;

static int on_option(void *ctx, int opt, const char *value)
{
    init_opts *o = ctx;
    if (opt == OPT_SITE) {
        o->site = value;
        o->site_given = 1;
    } else if (opt == OPT_KIND)
        o->kind = value;
    return 0;
}

/* The site.yml planned must read, or nothing is written: a bug, or a value
 * of the repository's own settings that charter cannot take. */
static int plan_check(const init_plan *p)
{
    site_config c;
    diags *d = diag_new(NULL);
    int err = config_parse(&c, p->text[0].data, p->text[0].len, d);
    config_release(&c);
    size_t n;
    const diag_entry *e = diag_entries(d, &n);
    buf line;
    buf_init(&line);
    for (size_t i = 0; err && i < n; i++) {
        buf_reset(&line);
        buf_printf(&line, "site.yml:%d:%d: error: ", e[i].line, e[i].col);
        diag_term_safe(&line, e[i].message, strlen(e[i].message));
        fprintf(stderr, "%s [%s]\n", line.data, e[i].id);
    }
    if (err)
        fprintf(stderr,
                "charter init: the site.yml made for this %s site would not read; "
                "nothing was written\n",
                init_kind_names[p->kind]);
    buf_release(&line);
    diag_free(d);
    return err;
}

/* Nothing may be in the way: no file where one is planned, and no link or
 * file where a folder must be (a link there could lead the write outside). */
static int plan_clear(const init_plan *p, const char *dir)
{
    int err = 0;
    buf path, rel;
    buf_init(&path);
    buf_init(&rel);
    for (size_t i = 0; i < p->n && !err; i++) {
        for (const char *s = strchr(p->rel[i], '/'); s && !err; s = strchr(s + 1, '/')) {
            struct stat st;
            buf_reset(&rel);
            buf_add(&rel, p->rel[i], (size_t)(s - p->rel[i]));
            buf_reset(&path);
            path_join(&path, dir, rel.data);
            if (lstat(path.data, &st) == 0 && !S_ISDIR(st.st_mode)) {
                fprintf(stderr, "charter init: '%s' is %s, not a folder; nothing was written\n",
                        path.data, S_ISLNK(st.st_mode) ? "a symbolic link" : "a file");
                err = -1;
            }
        }
        struct stat st;
        buf_reset(&path);
        path_join(&path, dir, p->rel[i]);
        if (!err && lstat(path.data, &st) == 0) {
            fprintf(stderr, "charter init: '%s' exists; nothing was written\n", path.data);
            err = -1;
        }
    }
    buf_release(&path);
    buf_release(&rel);
    return err;
}

/* Prints " --site DIR" for a shell, DIR as it is when that is safe, else
 * single-quoted; nothing for the default ".". */
static void print_site(const char *s)
{
    if (!strcmp(s, "."))
        return;
    fputs(" --site ", stdout);
    if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/-+") ==
                  strlen(s)) {
        fputs(s, stdout);
        return;
    }
    buf q;
    buf_init(&q);
    for (const char *c = s; *c; c++)
        if (*c == '\'')
            buf_adds(&q, "'\\''");
        else
            buf_addc(&q, *c);
    buf t;
    buf_init(&t);
    diag_term_safe(&t, q.data, q.len);
    printf("'%s'", t.data);
    buf_release(&q);
    buf_release(&t);
}

int cmd_init(int argc, char **argv)
{
    init_opts o = {.site = "."};
    int rc = cli_parse(&cmd_init_def, argc, argv, on_option, &o);
    if (rc != 0)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    int forced = -1;
    for (int k = 0; o.kind && k < INIT_N_KINDS; k++)
        if (!strcmp(o.kind, init_kind_names[k]))
            forced = k;
    if (o.kind && forced < 0) {
        cli_usage_error(&cmd_init_def,
                        "'--kind' must be jekyll, hugo, docusaurus, mkdocs, vitepress, "
                        "starlight, mdbook, eleventy, comply, plain or new, not '%s'",
                        o.kind);
        return EXIT_USAGE;
    }

    int status = EXIT_USAGE;
    diags *d = diag_new(o.site);
    fs_root root = {0};
    init_plan p = {0};
    buf path, shown;
    buf_init(&path);
    buf_init(&shown);
    if (fs_is_dir(o.site) == 0) {
        fprintf(stderr, "charter init: '%s' is not a directory; nothing was written\n", o.site);
        goto done;
    }
    if (fs_is_dir(o.site) < 0 && fs_mkdirs(o.site, d) != 0)
        goto fail;
    if (fs_root_init(&root, o.site, d) != 0)
        goto fail;
    path_join(&path, o.site, "site.yml");
    struct stat st;
    if (lstat(path.data, &st) == 0) {
        fprintf(stderr, "charter init: '%s' exists; nothing was written\n", path.data);
        goto done;
    }
    /* A folder of a site is not a site of its own: its site.yml would be
     * published by the site around it, and charter would read the folder
     * alone from there on. A folder named with --site is the user's word. */
    buf above;
    buf_init(&above);
    if (!o.site_given && site_find_above(&above, o.site) == 0) {
        fprintf(stderr,
                "charter init: '%s' is a folder of the site '%s', which has its settings; "
                "nothing was written (run charter there, or pass --site to make a site here)\n",
                o.site, above.data);
        buf_release(&above);
        goto done;
    }
    buf_release(&above);
    if (init_plan_make(&p, &root, forced, d) != 0)
        goto fail;
    if (plan_check(&p) != 0 || plan_clear(&p, o.site) != 0)
        goto done;

    printf("kind: %s (%s)\n", init_kind_names[p.kind], p.why.data);
    for (size_t i = 0; i < p.n; i++) {
        buf_reset(&path);
        path_join(&path, o.site, p.rel[i]);
        fs_chunk c = {p.text[i].data, p.text[i].len};
        if (fs_write_new(path.data, O_EXCL | O_NOFOLLOW, fs_fill_once, &c, NULL, NULL, d) != 0)
            goto fail;
        buf_reset(&shown);
        diag_term_safe(&shown, path.data, path.len);
        printf("wrote %s\n", shown.data);
    }
    fputs(p.notes.data, stdout);
    fputs("next: charter check", stdout);
    print_site(o.site);
    if (p.kind == INIT_NEW) {
        fputs(", then charter build", stdout);
        print_site(o.site);
    }
    putchar('\n');
    status = EXIT_OK;
    goto done;
fail:
    fflush(stdout);
    cmd_print_diags(d);
done:
    init_plan_release(&p);
    buf_release(&path);
    buf_release(&shown);
    if (root.path)
        fs_root_release(&root);
    diag_free(d);
    return status;
}
