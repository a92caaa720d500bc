/* cmd_fix: `charter fix`, the fix-its the checks compute, applied. It runs
 * load, parse and check as `charter check` does, has fix.c turn the
 * findings (and --reviewed, --canonical-keys) into edits, and either prints
 * them as a unified diff (--dry-run) or writes each file whole: re-read
 * through the checked door, a regular file inside the content directory,
 * replaced atomically (a new file beside it, renamed over it, its mode
 * kept). docs/editing.md, "Fixing findings". */
#include "checks.h"
#include "cli.h"
#include "commands.h"
#include "dates.h"
#include "fix.h"
#include "fs.h"
#include "parse.h"
#include "site.h"
#include "watchdog.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { OPT_SITE, OPT_AS_OF, OPT_DRY_RUN, OPT_REVIEWED, OPT_CANONICAL };

static const cli_option options[] = {
    [OPT_SITE] = {"site", "DIR", "the site directory holding site.yml (default: .)"},
    [OPT_AS_OF] = {"as-of", "YYYY-MM-DD", "the date --reviewed writes (default: today, UTC)"},
    [OPT_DRY_RUN] = {"dry-run", NULL, "print the fixes as a unified diff; write nothing"},
    [OPT_REVIEWED] = {"reviewed", NULL, "set last_reviewed of the pages named to the date"},
    [OPT_CANONICAL] = {"canonical-keys", NULL,
                       "rename the site's key aliases (keys: in site.yml) to charter's names"},
    {NULL, NULL, NULL},
};

const cli_command cmd_fix_def = {
    "fix",
    "Apply the fixes the checks know: a space after a heading's '#', https:// before a\n"
    "link that is a web address without a scheme; with --reviewed, the review date of the\n"
    "pages named; with --canonical-keys, charter's key names for the site's aliases.",
    "[PATH...] [--reviewed] [--canonical-keys] [--dry-run] [--site DIR]\n"
    "       [--as-of YYYY-MM-DD]",
    "PATH names a page as the findings do (content/technology/access-control.md) or by its\n"
    "place in the content directory (technology/access-control.md); with paths, only those\n"
    "pages are fixed. --reviewed needs them: a review is recorded only where you say so.\n"
    "Only the bytes of each fix change; every file is replaced whole or not at all.\n\n"
    "exit status: 0 nothing to fix or all fixed, 1 with --dry-run when there is something\n"
    "to fix, 2 usage, configuration or IO error.\n",
    options,
    cmd_fix,
};

typedef struct fix_opts {
    const char *site, *as_of;
    int dry_run, reviewed, canonical;
} fix_opts;

static int on_option(void *ctx, int opt, const char *value)
{
    fix_opts *o = ctx;
    switch (opt) {
    case OPT_SITE:
        o->site = value;
        break;
    case OPT_AS_OF:
        o->as_of = value;
        break;
    case OPT_DRY_RUN:
        o->dry_run = 1;
        break;
    case OPT_REVIEWED:
        o->reviewed = 1;
        break;
    case OPT_CANONICAL:
        o->canonical = 1;
        break;
    }
    return 0;
}

/* The page that arg names: its source path, or its path in the content
 * directory. NULL when none. */
static const page *find_page(const site *s, const char *arg)
{
    for (size_t i = 0; i < s->n_pages; i++)
        if (!strcmp(s->pages[i]->src, arg) || !strcmp(s->pages[i]->rel, arg))
            return s->pages[i];
    /* As the findings name it, from the working directory
     * ("policies/content/p.md" with --site policies), or absolute. */
    const page *found = NULL;
    char *file = realpath(arg, NULL), *root = realpath(s->root, NULL);
    size_t rl = root ? strlen(root) : 0;
    if (file && root && !strncmp(file, root, rl) && file[rl] == '/')
        for (size_t i = 0; i < s->n_pages && !found; i++)
            if (!strcmp(s->pages[i]->src, file + rl + 1))
                found = s->pages[i];
    free(file);
    free(root);
    return found;
}

/* Writes the fixed text of page p: only when the file is still the text
 * the fixes were computed from (read again through the checked door), is
 * a regular file and not a link, and lies in the content directory. A new
 * file beside it takes its mode and is renamed over it, so a reader sees
 * the old file or the new one, never a part. 0, or -1 after reporting. */
static int write_fixed(const site *s, const page *p, const buf *text, diags *d)
{
    int err = -1, dirfd = -1, fd = -1;
    buf now, path, tmp;
    buf_init(&now);
    buf_init(&path);
    buf_init(&tmp);
    char *dir_real = NULL, *content_real = NULL;
    struct stat st;

    site_path(&path, s, p->src);
    if (lstat(path.data, &st) != 0) {
        diag_error(d, p->src, 0, 0, "io", "cannot read '%s': %s", p->src, strerror(errno));
        goto done;
    }
    if (S_ISLNK(st.st_mode)) {
        diag_error(d, p->src, 0, 0, "fix",
                   "'%s' is a symbolic link; charter fix writes only regular files", p->src);
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        diag_error(d, p->src, 0, 0, "fix", "'%s' is not a regular file", p->src);
        goto done;
    }
    if (fs_read_source(&now, &s->fs, p->src, s->cfg.limits.page_bytes, "limits.page_bytes", d) != 0)
        goto done;
    if (now.len != p->text.len || memcmp(now.data, p->text.data, now.len)) {
        diag_error(d, p->src, 0, 0, "fix", "'%s' changed while charter fix read it; run it again",
                   p->src);
        goto done;
    }
    /* The folder the file is in, with its links resolved, must be the
     * content directory's or one below it. */
    const char *slash = strrchr(path.data, '/');
    buf_reset(&tmp);
    if (slash)
        buf_add(&tmp, path.data, (size_t)(slash - path.data));
    else
        buf_addc(&tmp, '.');
    dir_real = realpath(tmp.data, NULL);
    buf_reset(&tmp);
    site_path(&tmp, s, s->cfg.content);
    content_real = realpath(tmp.data, NULL);
    size_t cn = content_real ? strlen(content_real) : 0;
    if (!dir_real || !content_real || strncmp(dir_real, content_real, cn) ||
        (dir_real[cn] && dir_real[cn] != '/' && strcmp(content_real, "/"))) {
        diag_error(d, p->src, 0, 0, "fix", "'%s' is not inside the content directory '%s'", p->src,
                   s->cfg.content);
        goto done;
    }
    const char *name = slash ? slash + 1 : path.data;
    if ((dirfd = open(dir_real, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        diag_error(d, p->src, 0, 0, "io", "cannot open the folder of '%s': %s", p->src,
                   strerror(errno));
        goto done;
    }
    /* The file in that folder, once more: a link put there meanwhile is refused. */
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) {
        diag_error(d, p->src, 0, 0, "fix", "'%s' is no longer a regular file", p->src);
        goto done;
    }
    buf_reset(&tmp);
    buf_printf(&tmp, ".%s.charter-fix-%ld", name, (long)getpid());
    fd = openat(dirfd, tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        diag_error(d, p->src, 0, 0, "io", "cannot write beside '%s': %s", p->src, strerror(errno));
        goto done;
    }
    if (fs_write_fd(fd, text->data, text->len) != 0 || fchmod(fd, st.st_mode & 07777) != 0 ||
        fsync(fd) != 0) {
        diag_error(d, p->src, 0, 0, "io", "cannot write '%s': %s", p->src, strerror(errno));
        goto unlink;
    }
    if (close(fd) != 0) {
        fd = -1;
        diag_error(d, p->src, 0, 0, "io", "cannot write '%s': %s", p->src, strerror(errno));
        goto unlink;
    }
    fd = -1;
    if (renameat(dirfd, tmp.data, dirfd, name) != 0) {
        diag_error(d, p->src, 0, 0, "io", "cannot replace '%s': %s", p->src, strerror(errno));
        goto unlink;
    }
    err = 0;
    goto done;
unlink:
    unlinkat(dirfd, tmp.data, 0);
done:
    if (fd >= 0)
        close(fd);
    if (dirfd >= 0)
        close(dirfd);
    free(dir_real);
    free(content_real);
    buf_release(&now);
    buf_release(&path);
    buf_release(&tmp);
    return err;
}

int cmd_fix(int argc, char **argv)
{
    fix_opts o = {.site = "."};
    const char **args = xcalloc((size_t)argc + 1, sizeof *args);
    int n_args = 0;
    int rc = cli_parse_args(&cmd_fix_def, argc, argv, on_option, &o, args, argc, &n_args);
    if (rc != 0) {
        free(args);
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    }
    int status = EXIT_USAGE, failed = 0;
    long as_of;
    diags *found = NULL, *d = NULL;
    site *s = NULL;
    parsed *pp = NULL;
    fix_file *files = NULL;
    size_t n_files = 0, n_edits = 0;
    const char **only = NULL;
    char date[11];
    char *shown = NULL;
    buf out, fixed, name;
    buf_init(&out);
    buf_init(&fixed);
    buf_init(&name);
    if (cmd_parse_as_of(&as_of, &cmd_fix_def, o.as_of) != 0)
        goto done;
    if (o.reviewed && !n_args) {
        cli_usage_error(&cmd_fix_def, "'--reviewed' needs the pages that were reviewed: "
                                      "charter fix --reviewed PATH...");
        goto done;
    }
    date_format(date, as_of);

    found = diag_new(o.site);
    d = diag_new(o.site);
    if (site_load(&s, o.site, as_of, found) != 0 || checks_configure(s, found) != 0) {
        cmd_print_diags(found);
        goto done;
    }
    if (n_args) {
        only = xcalloc((size_t)n_args + 1, sizeof *only);
        for (int i = 0; i < n_args; i++) {
            const page *p = find_page(s, args[i]);
            if (!p) {
                cli_usage_error(&cmd_fix_def, "'%s' is not a page of the site", args[i]);
                goto done;
            }
            only[i] = p->src;
        }
    }
    /* The findings, as `charter check` makes them (tuning included). */
    watchdog_start(NULL, NULL, NULL);
    pp = parse_site(s, -1, found);
    checks_run(s, pp, found);
    checks_tune(s, found);

    fix_options fo = {o.reviewed ? date : NULL, o.canonical, only};
    files = fix_site(&n_files, &failed, s, pp, found, &fo, d);
    shown = diag_shown_root(d);
    size_t n_done = 0, n_files_done = 0;
    for (size_t i = 0; i < n_files; i++) {
        const page *p = s->pages[files[i].page];
        const fix_edits *e = &files[i].edits;
        /* Named from the working directory, as diagnostics are, so the
         * diff applies there (git apply) with --site too. */
        buf_reset(&name);
        diag_shown_file(&name, shown, p->src);
        if (o.dry_run) {
            fix_diff(&out, name.data, p->text.data, p->text.len, e);
        } else {
            buf_reset(&fixed);
            fix_apply(&fixed, p->text.data, p->text.len, e);
            if (write_fixed(s, p, &fixed, d) != 0) {
                failed = 1;
                continue;
            }
            for (size_t k = 0; k < e->n; k++)
                buf_printf(&out, "%s:%d: fixed %s\n", name.data, e->v[k].line, e->v[k].id);
        }
        n_done += e->n;
        n_files_done++;
    }
    n_edits = n_done;
    fwrite(out.data, 1, out.len, stdout);
    fflush(stdout);
    cmd_print_diags(d);
    if (!n_edits && !n_files && !failed)
        fprintf(stderr, "nothing to fix\n");
    else if (n_edits || !failed)
        fprintf(stderr, "%s %zu issue%s in %zu file%s\n", o.dry_run ? "would fix" : "fixed",
                n_edits, n_edits == 1 ? "" : "s", n_files_done, n_files_done == 1 ? "" : "s");
    status = failed ? EXIT_USAGE : o.dry_run && n_edits ? EXIT_FINDINGS : EXIT_OK;
done:
    watchdog_stop();
    fix_files_free(files, n_files);
    parsed_free(pp);
    site_free(s);
    diag_free(found);
    diag_free(d);
    free(args);
    free(only);
    free(shown);
    buf_release(&out);
    buf_release(&fixed);
    buf_release(&name);
    return status;
}
