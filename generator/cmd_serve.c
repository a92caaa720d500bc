/* cmd_serve: `charter serve`: builds the site into a private folder, serves
 * it (serve.c), watches the site's files with inotify and rebuilds on each
 * change (build.c: the stamp and caches make it incremental, and the site
 * a good build loaded is kept for the next while the watches saw only
 * pages' files and git change), publishing each good build to the open
 * pages; a failed build leaves the last good one served, with its errors
 * shown. Ctrl-C stops it; the private build is kept for the next server
 * (a temporary one, outside git, is removed). */
#include "build.h"
#include "checks.h"
#include "cli.h"
#include "commands.h"
#include "diag.h"
#include "fs.h"
#include "history.h"
#include "output.h"
#include "serve.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { OPT_SITE, OPT_PORT, OPT_BIND, OPT_BASE_URL, OPT_AS_OF, OPT_NO_CHECK, OPT_QUIET };

static const cli_option options[] = {
    [OPT_SITE] = {"site", "DIR",
                  "the site directory, holding site.yml (default: . or the nearest above it)"},
    [OPT_PORT] = {"port", "N", "the port to listen on (default: 4000; 0: any free port)"},
    [OPT_BIND] = {"bind", "ADDRESS",
                  "the address to listen on (default: 127.0.0.1, this machine only)"},
    [OPT_BASE_URL] = {"base-url", "URL",
                      "the address pages link to (default: /, wherever it is served)"},
    [OPT_AS_OF] = {"as-of", "YYYY-MM-DD",
                   "judge review dates as of this day (default: today, UTC)"},
    [OPT_NO_CHECK] = {"no-check", NULL, "serve builds with findings too (errors become warnings)"},
    [OPT_QUIET] = {"quiet", NULL, "print nothing but findings and errors"},
    {NULL, NULL, NULL},
};

const cli_command cmd_serve_def = {
    "serve",
    "Preview the site while editing it: build it, serve it at http://127.0.0.1:4000/,\n"
    "rebuild when a file of the site changes, and reload the open pages. Every page shows\n"
    "the findings of the last build; a build that fails keeps the last good one served.",
    "[--site DIR] [--port N] [--bind ADDRESS] [--base-url URL] [--as-of YYYY-MM-DD] "
    "[--no-check] [--quiet]",
    "The site is built into <git dir>/charter/serve/site, never into its output folder, and\n"
    "kept there for the next 'charter serve'; outside a git repository (or where its git\n"
    "directory cannot be written), into a temporary folder removed on exit. Ctrl-C stops;\n"
    "during a build into the git directory, at once, as it stops charter build (status 130).\n"
    "exit status: 0 stopped, 2 usage, configuration or IO error.\n",
    options,
    cmd_serve,
};

typedef struct serve_opts {
    const char *site, *port, *bind, *base_url, *as_of;
    int no_check, quiet;
} serve_opts;

static int on_option(void *ctx, int opt, const char *value)
{
    serve_opts *o = ctx;
    switch (opt) {
    case OPT_SITE:
        o->site = value;
        break;
    case OPT_PORT:
        o->port = value;
        break;
    case OPT_BIND:
        o->bind = value;
        break;
    case OPT_BASE_URL:
        o->base_url = value;
        break;
    case OPT_AS_OF:
        o->as_of = value;
        break;
    case OPT_NO_CHECK:
        o->no_check = 1;
        break;
    case OPT_QUIET:
        o->quiet = 1;
        break;
    }
    return 0;
}

/* --- watching the site ---------------------------------------------------------- */

/* The inotify descriptor, and which of its watches are git's (its folder
 * and its branches' folders): their events say the history moved, not
 * that a file of the site was written. */
typedef struct watcher {
    int ino;
    int *git; /* watch descriptors, each once */
    size_t n_git, cap_git;
    /* A folder was made or moved in since the watches were last added, or
     * events were lost (the queue overflowed): watch_all is due. */
    int grew;
    /* A folder of the site could not be watched: its changes may go
     * unseen, and no build takes a kept site. */
    int blind;
    /* The site's folders watched, by watch descriptor: each relative to
     * the site ("" for its top; NULL: none). */
    char **dirs;
    size_t n_dirs;
    /* Since the last build began: the files of the site written, made,
     * removed, moved or touched (relative to it, each once: `seen`),
     * editors' scratch files included (no change of the site, but git's
     * status lists them), for the next build to tell whether the site the
     * last one loaded may stand for them and ask git only of them
     * (build_request's `changed`); `unknown` when that cannot be told (a
     * folder changed, events were lost). */
    char **changed;
    size_t n_changed, cap_changed;
    map *seen;
    int unknown;
} watcher;

/* Forgets the changes noted (watcher's `changed`) for the next build. */
static void changes_reset(watcher *w)
{
    for (size_t i = 0; i < w->n_changed; i++)
        free(w->changed[i]);
    w->n_changed = 0;
    map_free(w->seen);
    w->seen = NULL;
    w->unknown = 0;
}

/* Watches dir and the folders below it, except hidden ones (.git),
 * charter's outputs (a folder holding a manifest), which a build writes,
 * and the tool folders no build reads (node_modules/ anywhere, a Ruby or
 * PHP vendor/ at the top): tens of thousands of folders to watch and walk
 * again after each change. A folder that cannot be watched (the system's
 * limit on watches reached) is said, once. */
static void watch_tree(watcher *w, const char *dir, const char *rel, int depth)
{
    static int said;
    buf m;
    buf_init(&m);
    buf_printf(&m, "%s/%s", dir, OUTPUT_MANIFEST);
    struct stat st;
    int is_output = lstat(m.data, &st) == 0;
    buf_release(&m);
    if (is_output || depth > 64)
        return;
    int wd =
        inotify_add_watch(w->ino, dir,
                          IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                              IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR);
    if (wd < 0 && errno != ENOENT)
        w->blind = 1;
    if (wd >= 0) {
        if ((size_t)wd >= w->n_dirs) {
            size_t n = (size_t)wd + 64;
            w->dirs = xrealloc(w->dirs, n * sizeof *w->dirs);
            memset(w->dirs + w->n_dirs, 0, (n - w->n_dirs) * sizeof *w->dirs);
            w->n_dirs = n;
        }
        free(w->dirs[wd]);
        w->dirs[wd] = xstrdup(rel);
    }
    if (wd < 0 && (errno == ENOSPC || errno == ENOMEM) && !said) {
        said = 1;
        fprintf(stderr,
                "charter serve: warning: cannot watch '%s': %s (the system's limit, "
                "fs.inotify.max_user_watches); changes there are not seen\n",
                dir, strerror(errno));
    }
    char **list = NULL;
    diags *quiet = diag_new(NULL);
    if (fs_list(&list, dir, 1, quiet) == 0) {
        buf child, child_rel;
        buf_init(&child);
        buf_init(&child_rel);
        for (char **p = list; *p; p++) {
            if ((*p)[0] == '.' || !strcmp(*p, "node_modules") ||
                (depth == 0 && !strcmp(*p, "vendor")))
                continue;
            buf_reset(&child);
            buf_printf(&child, "%s/%s", dir, *p);
            buf_reset(&child_rel);
            buf_printf(&child_rel, "%s%s%s", rel, rel[0] ? "/" : "", *p);
            if (lstat(child.data, &st) == 0 && S_ISDIR(st.st_mode))
                watch_tree(w, child.data, child_rel.data, depth + 1);
        }
        buf_release(&child);
        buf_release(&child_rel);
    }
    fs_list_free(list);
    diag_free(quiet);
}

static void note_git_watch(watcher *w, int wd)
{
    if (wd < 0)
        return;
    for (size_t i = 0; i < w->n_git; i++)
        if (w->git[i] == wd)
            return;
    if (w->n_git == w->cap_git) {
        w->cap_git = w->cap_git ? 2 * w->cap_git : 16;
        w->git = xrealloc(w->git, w->cap_git * sizeof *w->git);
    }
    w->git[w->n_git++] = wd;
}

static int is_git_watch(const watcher *w, int wd)
{
    for (size_t i = 0; i < w->n_git; i++)
        if (w->git[i] == wd)
            return 1;
    return 0;
}

/* Watches dir, a folder of git's branches, and the folders below it: a
 * branch named feature/x is the file x in the folder feature. */
static void watch_refs(watcher *w, const char *dir, int depth)
{
    if (depth > 32)
        return;
    int wd = inotify_add_watch(w->ino, dir,
                               IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_ONLYDIR);
    if (wd < 0)
        return;
    note_git_watch(w, wd);
    char **list = NULL;
    diags *quiet = diag_new(NULL);
    if (fs_list(&list, dir, 1, quiet) == 0) {
        buf child;
        buf_init(&child);
        struct stat st;
        for (char **p = list; *p; p++) {
            buf_reset(&child);
            buf_printf(&child, "%s/%s", dir, *p);
            if (lstat(child.data, &st) == 0 && S_ISDIR(st.st_mode))
                watch_refs(w, child.data, depth + 1);
        }
        buf_release(&child);
    }
    fs_list_free(list);
    diag_free(quiet);
}

/* Watches the site, or (git_dir set) git's HEAD, index and branches (a
 * commit changes the history shown); again is harmless, and watches the
 * folders made since. */
static void watch_all(watcher *w, const char *site_dir, const char *git_dir)
{
    if (w->ino < 0)
        return;
    watch_tree(w, site_dir, "", 0);
    if (git_dir) {
        buf refs;
        buf_init(&refs);
        uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE;
        note_git_watch(w, inotify_add_watch(w->ino, git_dir, mask | IN_ONLYDIR));
        buf_printf(&refs, "%s/refs/heads", git_dir);
        watch_refs(w, refs.data, 0);
        buf_release(&refs);
    }
}

/* Starts watching the site and git (watch_all); w->ino is -1 when inotify
 * cannot be had. */
static void watch_site(watcher *w, const char *site_dir, const char *git_dir)
{
    *w = (watcher){.ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)};
    watch_all(w, site_dir, git_dir);
}

static void watch_release(watcher *w)
{
    if (w->ino >= 0)
        close(w->ino);
    w->ino = -1;
    free(w->git);
    w->git = NULL;
    w->n_git = w->cap_git = 0;
    for (size_t i = 0; i < w->n_dirs; i++)
        free(w->dirs[i]);
    free(w->dirs);
    w->dirs = NULL;
    w->n_dirs = 0;
    changes_reset(w);
    free(w->changed);
    w->changed = NULL;
    w->cap_changed = 0;
}

/* More files than this changed at once (a checkout, a pull): the site is
 * loaded again, on both cores, rather than each page read again one by one
 * into the kept site (and looked for among its pages). */
#define CHANGES_MOST 64

/* Notes a change of the site's file `name` in the folder watched as wd. */
static void note_change(watcher *w, int wd, const char *name)
{
    if (wd < 0 || (size_t)wd >= w->n_dirs || !w->dirs[wd] || !name[0] ||
        w->n_changed >= CHANGES_MOST) {
        w->unknown = 1;
        return;
    }
    buf rel;
    buf_init(&rel);
    buf_printf(&rel, "%s%s%s", w->dirs[wd], w->dirs[wd][0] ? "/" : "", name);
    if (!w->seen)
        w->seen = map_new();
    if (!map_get(w->seen, rel.data)) {
        map_put(w->seen, rel.data, (void *)1);
        if (w->n_changed == w->cap_changed) {
            w->cap_changed = w->cap_changed ? 2 * w->cap_changed : 16;
            w->changed = xrealloc(w->changed, w->cap_changed * sizeof *w->changed);
        }
        w->changed[w->n_changed++] = buf_detach(&rel);
    }
    buf_release(&rel);
}

/* Reads the pending events. Returns 1 when any event concerns the site
 * (not charter's own files in the git directory), else 0. Sets *edited
 * when one is a file or folder of the site written, made, removed or
 * moved: its build's stamp cannot hold and is not checked (a save of the
 * same bytes builds again, to the same output); and w->grew when a folder
 * was made or moved in, which watch_all then watches. */
static int drain(watcher *w, int *edited)
{
    char ev[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    int relevant = 0;
    if (w->ino < 0)
        return 0;
    for (;;) {
        ssize_t n = read(w->ino, ev, sizeof ev);
        if (n <= 0)
            break;
        for (char *p = ev; p < ev + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            const char *name = e->len ? e->name : "";
            if (((e->mask & IN_ISDIR) && (e->mask & (IN_CREATE | IN_MOVED_TO))) ||
                (e->mask & IN_Q_OVERFLOW))
                w->grew = 1;
            /* git's lock files come and go; what they become is what counts.
             * An editor's lock, swap and backup files, neither. */
            size_t nl = strlen(name);
            int scratch = build_scratch_name(name);
            if ((e->mask & IN_Q_OVERFLOW) || !is_git_watch(w, e->wd)) {
                /* A folder's own change, or lost events: what changed
                 * cannot be told file by file. */
                if (e->mask & (IN_Q_OVERFLOW | IN_ISDIR | IN_DELETE_SELF | IN_MOVE_SELF |
                               IN_IGNORED | IN_UNMOUNT))
                    w->unknown = 1;
                else /* scratch files too: git's status sees them */
                    note_change(w, e->wd, name);
            }
            if (!scratch) {
                relevant = 1;
                if (nl &&
                    (e->mask &
                     (IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO)) &&
                    !is_git_watch(w, e->wd))
                    *edited = 1;
            }
            p += sizeof *e + e->len;
        }
    }
    return relevant;
}

/* --- building ---------------------------------------------------------------------- */

/* Appends the findings of d as the overlay's HTML fragment. */
static void findings_html(buf *out, diags *d)
{
    size_t n;
    diag_sort(d);
    const diag_entry *e = diag_entries(d, &n);
    if (!n) {
        buf_adds(out, "<p>No findings.</p>");
        return;
    }
    buf_adds(out, "<ul>");
    for (size_t i = 0; i < n; i++) {
        static const char *const level[] = {"error", "warning", "note"};
        buf_adds(out, "<li><code>");
        if (e[i].file) {
            buf_add_html(out, e[i].file, strlen(e[i].file));
            if (e[i].line)
                buf_printf(out, ":%d", e[i].line);
            if (e[i].col)
                buf_printf(out, ":%d", e[i].col);
        }
        buf_printf(out, "</code> <strong>%s</strong>: ", level[e[i].level]);
        buf_add_html(out, e[i].message, strlen(e[i].message));
        buf_adds(out, " <code>[");
        buf_add_html(out, e[i].id, strlen(e[i].id));
        buf_adds(out, "]</code>");
        /* How to fix it: the check's own help (docs/checks.md). */
        const check_info *ci = checks_find(e[i].id);
        if (ci && ci->help) {
            buf_adds(out, "<br>Fix: ");
            buf_add_html(out, ci->help, strlen(ci->help));
        }
        buf_adds(out, "</li>");
    }
    buf_adds(out, "</ul>");
}

typedef struct serving {
    const serve_opts *o;
    build_request r;
    /* The site of the last good build, which the next takes when nothing
     * of the site but git's folder and pages' bodies has changed since (a
     * commit, a save). */
    build_kept *kept;
    server *srv;
    char *out;     /* the private output folder */
    int built;     /* a build has been published */
    int temporary; /* builds into a temporary folder, removed on exit */
    int unchecked; /* ... and it is an unchecked one (SERVE_UNCHECKED) */
    /* The private folder as this server's last good build left it: the
     * lstat of the folder and of its manifest (both replaced by any build
     * that publishes there). While they hold, the next build takes the
     * folder as its own (build_request's own_output). owned 0: not known
     * (the first build, after a failed one, or a temporary folder). */
    int owned;
    struct stat left[2];
    /* What the next build reads first of its caches, read while the
     * server waited (build_prefetch_read; NULL: nothing). */
    output_prefetch *pre;
    /* HEAD's commit when the last build started ("" when it could not be
     * read: outside git, on an unborn branch). */
    char head[41];
} serving;

/* The lstat of the private folder and of its manifest in st[0..1]: 0, or
 * -1 when either is missing. */
static int output_state(const char *out, struct stat st[2])
{
    buf m;
    buf_init(&m);
    buf_printf(&m, "%s/%s", out, OUTPUT_MANIFEST);
    int err = lstat(out, &st[0]) == 0 && lstat(m.data, &st[1]) == 0 ? 0 : -1;
    buf_release(&m);
    return err;
}

/* Whether the private folder is as the last good build left it. */
static int still_owned(const serving *sv)
{
    struct stat now[2];
    return sv->owned && output_state(sv->out, now) == 0 && fs_same_stat(&now[0], &sv->left[0]) &&
           fs_same_stat(&now[1], &sv->left[1]);
}

/* build_run with Ctrl-C and SIGTERM let through: they stop the server
 * mid-build as they stop charter build (the private folder's last
 * complete build stays, and the next build clears what this one left),
 * instead of waiting until it ends (blocked, they are read between builds
 * from the signal descriptor). */
static int build_interruptible(build_result *res, const build_request *r, int temporary,
                               stage_clock *sc, diags *d)
{
    /* A temporary folder is removed on the way out: the build is finished
     * first, and the signal read after it. */
    if (temporary)
        return build_run(res, r, sc, d);
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);
    int status = build_run(res, r, sc, d);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    return status;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* What a build with `status` and the findings in d shows. */
static serve_state state_of(int status, int lenient, diags *d)
{
    if (status != EXIT_OK)
        return SERVE_FAILED;
    return lenient && diag_count(d, DIAG_ERROR) ? SERVE_UNCHECKED : SERVE_GOOD;
}

/* Serves the private folder (or, failed, keeps the last good build) with
 * the findings in d for the banner. */
static void show(serving *sv, serve_state state, diags *d)
{
    buf html;
    buf_init(&html);
    findings_html(&html, d);
    server_publish(sv->srv, state == SERVE_FAILED ? NULL : sv->out, state, html.data,
                   diag_count(d, DIAG_ERROR), diag_count(d, DIAG_WARNING), d);
    buf_release(&html);
}

/* A rebuild's publication, made from the build itself (build_request's
 * `published`): the open pages reload as soon as the new site is in
 * place, not once the build has freed its model and written its caches. */
typedef struct shown {
    serving *sv;
    int lenient;
    struct timespec t0;
    int done;          /* shown by on_published */
    serve_state state; /* then: what it showed */
    double secs;       /* from the start until it was shown */
    stage_clock *sc;
} shown;

static void on_published(void *ctx, const build_result *res, diags *d)
{
    shown *sh = ctx;
    (void)res;
    sh->state = state_of(EXIT_OK, sh->lenient, d);
    show(sh->sv, sh->state, d);
    sh->secs = seconds_since(&sh->t0);
    sh->done = 1;
    stage_clock_mark(sh->sc, "shown");
}

/* One build into the private folder, then published (or its
 * errors shown over the last good one; until there is one, a site whose
 * checks fail is shown as build --no-check would publish it, its errors in
 * the banner, from the same build). A build that fails while the site
 * changes under it (an editor's save landing mid-build: a file changed
 * during the build, or read half-written) is no news: it is neither shown
 * nor printed, and *again is set, for the build that follows. Returns 0,
 * or -1 on an error that ends serving (the first build cannot be made). */
static int rebuild(serving *sv, int first, watcher *w, int *edited, int *again)
{
    shown sh = {.sv = sv};
    clock_gettime(CLOCK_MONOTONIC, &sh.t0);
    diags *d = diag_new(sv->o->site);
    sv->r.out = sv->out;
    build_result res;
    build_request req = sv->r;
    req.published = on_published;
    req.published_ctx = &sh;
    /* A file of the site written since the last build: its stamp is not
     * checked (at 10,000 pages, 0.01-0.03 s of stat calls, and the output's
     * check beside them). */
    /* ... or one in git's folder that moved HEAD (a commit, a checkout of
     * another commit): the stamp names the commit the site was built from,
     * so it cannot hold either (its check, with git's status, 0.05-0.07 s
     * at 10,000 pages). A new branch or `git add` leaves HEAD where it
     * was: the stamp is checked, and may hold. */
    char head[41];
    history_head_id(head, sv->o->site);
    req.stamp_stale = !first && (*edited || strcmp(head, sv->head) != 0);
    memcpy(sv->head, head, sizeof head);
    *edited = 0;
    /* Nothing but this server writes its private folder (it holds the
     * lock on it); unchanged at the top since its last good build, the
     * previous site and the spare are not stat-ed file by file (at 10,000
     * pages, 0.05-0.07 s). */
    req.own_output = !sv->temporary && still_owned(sv);
    sv->owned = 0;
    req.prefetch = sv->pre;
    /* Nothing of the site seen changing since the last build began but
     * pages' bodies: its site is taken, not walked and loaded again (at
     * 10,000 pages 0.05-0.09 s of a rebuild), those pages read again. */
    req.kept = sv->kept;
    req.reuse_kept = !first && w->ino >= 0 && !w->blind && !w->unknown;
    /* The changes seen so far are this build's; those seen from now on,
     * the next one's. */
    char **changed = w->changed;
    size_t n_changed = w->n_changed;
    w->changed = NULL;
    w->n_changed = w->cap_changed = 0;
    changes_reset(w);
    req.changed = (const char *const *)changed;
    req.n_changed = n_changed;
    /* Serving an unchecked build: the next is one too, its errors kept. */
    sh.lenient = sv->built && sv->unchecked && !sv->r.no_check;
    if (sh.lenient)
        req.no_check = 2; /* published with its errors, which stay errors */
    stage_clock sc;       /* CHARTER_TIMINGS: each build's stages, printed after it */
    stage_clock_init(&sc);
    sh.sc = &sc;
    int status = build_interruptible(&res, &req, sv->temporary, &sc, d);
    if (status == EXIT_FINDINGS && !sv->built && !sv->r.no_check) {
        /* Nothing to show yet (a site with findings it already had): as
         * build --no-check would publish it (the first build checked, so
         * that a server started again on a clean site does nothing). */
        diag_free(d);
        build_result_release(&res);
        d = diag_new(sv->o->site);
        sh.lenient = 1;
        req.no_check = 2;
        req.own_output = 0;
        stage_clock_init(&sc);
        status = build_interruptible(&res, &req, sv->temporary, &sc, d);
    }
    /* Shown already unless it failed, or found its output up to date. */
    serve_state state = sh.done ? sh.state : state_of(status, sh.lenient, d);
    *again = 0;
    /* Only a failure is dropped: a build published with its errors (a site
     * with findings it already had) is shown, or a site that keeps
     * changing would never be. */
    for (size_t i = 0; i < n_changed; i++)
        free(changed[i]);
    free(changed);
    if (state == SERVE_FAILED && drain(w, edited)) {
        *again = 1;
        build_result_release(&res);
        diag_free(d);
        return 0;
    }
    double secs = sh.done ? sh.secs : seconds_since(&sh.t0);
    stage_clock_mark(&sc, "cleanup");
    stage_clock_print(&sc);
    size_t errors = diag_count(d, DIAG_ERROR), warnings = diag_count(d, DIAG_WARNING);
    if (!sh.done)
        show(sv, state, d);
    cmd_print_diags(d);
    int err = 0;
    if (state != SERVE_FAILED) {
        /* Idle until the next change: the spare tree the first build had
         * none to leave, for the next to write over. */
        if (!sv->temporary)
            build_make_spare(&req, res.out);
        sv->owned = !sv->temporary && output_state(sv->out, sv->left) == 0;
        sv->built = 1;
        sv->unchecked = state == SERVE_UNCHECKED;
        if (state == SERVE_UNCHECKED)
            fprintf(stderr,
                    "build failed: %zu error%s, %zu warning%s; serving it as build "
                    "--no-check would publish it\n",
                    errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
        else if (!sv->o->quiet)
            fprintf(stderr, "%s %zu page%s in %.2f s%s\n", first ? "built" : "rebuilt", res.pages,
                    res.pages == 1 ? "" : "s", secs, res.unchanged ? " (nothing changed)" : "");
    } else {
        fprintf(stderr, "build failed: %zu error%s, %zu warning%s; %s\n", errors,
                errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
                sv->built ? "still serving the last good build" : "nothing to serve yet");
        if (status == EXIT_USAGE && first)
            err = -1;
    }
    build_result_release(&res);
    diag_free(d);
    /* While it waits for the next change: what the next build reads first
     * of its output (at 10,000 pages 0.015-0.02 s), taken then where the
     * files have not changed. */
    output_prefetch_free(sv->pre);
    sv->pre = sv->owned ? build_prefetch_read(sv->o->site, sv->out) : NULL;
    return err;
}

static int is_loopback(const char *a)
{
    return !strncmp(a, "127.", 4) || !strcmp(a, "::1");
}

/* The path part of a base URL: "/" for "http://h:1", "/x/" for "/x". */
static void base_path(buf *out, const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : url;
    buf_adds(out, p && *p == '/' ? p : "/");
    if (out->data[out->len - 1] != '/')
        buf_addc(out, '/');
}

/* The host:port of a base URL with a scheme, or "". */
static void base_host(buf *out, const char *url)
{
    const char *p = strstr(url, "://");
    if (p)
        buf_add(out, p + 3, strcspn(p + 3, "/?#"));
}

int cmd_serve(int argc, char **argv)
{
    serve_opts o = {.port = "4000", .bind = "127.0.0.1"};
    int rc = cli_parse(&cmd_serve_def, argc, argv, on_option, &o);
    if (rc != 0)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    o.site = cmd_site(o.site);
    serving sv = {.o = &o, .kept = build_kept_new()};
    sv.r.site = o.site;
    sv.r.no_check = o.no_check;
    sv.r.base_url = o.base_url ? o.base_url : "/";
    if (cmd_parse_as_of(&sv.r.as_of, &cmd_serve_def, o.as_of) != 0)
        return EXIT_USAGE;
    char *end;
    errno = 0;
    unsigned long port = strtoul(o.port, &end, 10);
    if (!*o.port || *end || errno || port > 65535) {
        fprintf(stderr, "charter serve: '%s' is not a port (0 to 65535)\n", o.port);
        return EXIT_USAGE;
    }

    int status = EXIT_USAGE, sfd = -1, lock = -1;
    watcher w = {.ino = -1};
    diags *d = diag_new(o.site);
    buf git_dir, priv, path;
    buf_init(&git_dir);
    buf_init(&priv);
    buf_init(&path);
    int made_priv = 0, temporary = 1;
    /* Ctrl-C and friends arrive through a descriptor, in this thread only:
     * blocked before the server's threads start, so they inherit it.
     * During a build they end the process (build_interruptible): their
     * default action, even for a server started in the background, which
     * a shell starts with them ignored (they always stopped it). */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
    /* A thousand idle browsers' connections need as many descriptors. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    /* The private folders: in the git directory's charter/ (where the
     * caches are, so a rebuild reuses them), else (outside git, or a git
     * directory that cannot be written: a read-only checkout) a temporary
     * folder. */
    if (history_cache_dir(&priv, o.site) == 0) {
        buf_add(&git_dir, priv.data, priv.len - strlen("/charter"));
        buf_adds(&priv, "/serve");
        struct stat st;
        diags *tried = diag_new(NULL);
        int made =
            fs_mkdirs(priv.data, tried) == 0 && lstat(priv.data, &st) == 0 && S_ISDIR(st.st_mode);
        size_t n_tried;
        const diag_entry *why = diag_entries(tried, &n_tried);
        if (!made)
            fprintf(stderr,
                    "charter serve: warning: %s; building into a temporary folder instead\n",
                    n_tried ? why[0].message : "cannot use the git directory");
        diag_free(tried);
        temporary = !made;
    }
    if (!temporary) {
        /* One server per site: a second would build into the first's folders. */
        buf_reset(&path);
        buf_printf(&path, "%s/lock", priv.data);
        lock = open(path.data, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) != 0) {
            diag_error(d, NULL, 0, 0, "serve",
                       "another 'charter serve' is serving this site (it holds '%s'); stop it "
                       "first",
                       path.data);
            goto done;
        }
    } else {
        const char *tmp = getenv("TMPDIR");
        buf_reset(&priv);
        buf_printf(&priv, "%s/charter-serve-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(priv.data)) {
            diag_error(d, NULL, 0, 0, "serve", "cannot create '%s': %s", priv.data,
                       strerror(errno));
            goto done;
        }
    }
    made_priv = 1;
    sv.temporary = temporary;
    buf_reset(&path);
    buf_printf(&path, "%s/site", priv.data);
    sv.out = xstrdup(path.data);

    server_config sc = {o.bind, (unsigned)port};
    if (server_start(&sv.srv, &sc, d) != 0)
        goto done;
    buf_reset(&path);
    base_path(&path, sv.r.base_url);
    server_set_base(sv.srv, path.data);
    buf_reset(&path);
    base_host(&path, sv.r.base_url);
    if (path.len)
        server_allow_host(sv.srv, path.data);
    if (!is_loopback(o.bind))
        fprintf(stderr,
                "charter serve: warning: listening on %s, not on this machine only: anyone "
                "who can reach it can read the site\n",
                o.bind);
    /* Its builds leave the index alone: a write of its own there would
     * start the next build. */
    history_set_refresh_index(0);
    watch_site(&w, o.site, git_dir.len ? git_dir.data : NULL);
    int pending = 0, edited = 0;
    if (rebuild(&sv, 1, &w, &edited, &pending) != 0)
        goto done;
    buf_reset(&path);
    base_path(&path, sv.r.base_url);
    fprintf(stderr, "serving '%s' at http://%s%s%s:%u%s (Ctrl-C stops)\n", o.site,
            strchr(o.bind, ':') ? "[" : "", o.bind, strchr(o.bind, ':') ? "]" : "",
            server_port(sv.srv), path.data);

    /* Each change starts a quiet period; the build runs once it is over, so
     * an editor's save of several files makes one build. */
    for (;;) {
        struct pollfd fds[2] = {{sfd, POLLIN, 0}, {w.ino, POLLIN, 0}};
        int n = poll(fds, w.ino >= 0 ? 2 : 1, pending ? 150 : -1);
        if (n < 0 && errno != EINTR)
            break;
        if (fds[0].revents & POLLIN)
            break;
        if (n > 0 && w.ino >= 0 && (fds[1].revents & POLLIN)) {
            if (drain(&w, &edited))
                pending = 1;
            /* A change the kept site cannot stand for (a file of the site
             * that is none of its pages, a folder): it is freed now, in
             * the quiet period before the build (0.02 s at 10,000 pages),
             * whose model then reuses its memory rather than faulting in
             * fresh pages (a saved edit 0.25 s against 0.275 s with it
             * kept until the build). */
            if (w.unknown ||
                !build_kept_may_take(sv.kept, (const char *const *)w.changed, w.n_changed))
                build_kept_clear(sv.kept);
            if (w.grew) {
                /* Folders were added: watch them too (again is harmless).
                 * Only then: at 10,000 pages the walk lists every folder
                 * and stats every name, 0.02 s of each save's wait. */
                w.grew = 0;
                watch_all(&w, o.site, git_dir.len ? git_dir.data : NULL);
            }
            continue;
        }
        if (n == 0 && pending) {
            rebuild(&sv, 0, &w, &edited, &pending);
            if (pending || w.grew) { /* changed under the build: folders may be new */
                w.grew = 0;
                watch_all(&w, o.site, git_dir.len ? git_dir.data : NULL);
            }
        }
    }
    if (!o.quiet)
        fputs("stopped\n", stderr);
    status = EXIT_OK;
done:
    server_stop(sv.srv);
    watch_release(&w);
    if (sfd >= 0)
        close(sfd);
    if (made_priv && temporary) {
        /* Outside git, the temporary folder and all it holds. In the git
         * directory, the build and its caches stay: the next server starts
         * from them (with nothing changed, its first build is done at
         * once). */
        diags *quiet = diag_new(NULL);
        fs_remove_tree(priv.data, quiet);
        diag_free(quiet);
    }
    if (lock >= 0)
        close(lock);
    cmd_print_diags(d);
    diag_free(d);
    free(sv.out);
    output_prefetch_free(sv.pre);
    build_kept_free(sv.kept);
    buf_release(&git_dir);
    buf_release(&priv);
    buf_release(&path);
    return status;
}
