/* build: the pipeline shared by `charter build` and `charter serve`
 * (build.h): the caches and the stamp, then load, parse, check, history on
 * a thread beside parse and check, render and publish. Reports through the
 * diagnostics; prints nothing. */
#include "build.h"

#include "checks.h"
#include "fs.h"
#include "heap.h"
#include "history.h"
#include "loadcache.h"
#include "manifest_json.h"
#include "output.h"
#include "parse.h"
#include "pool.h"
#include "render.h"
#include "site.h"
#include "stamp.h"
#include "watchdog.h"

#include <errno.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The stamp's digest of the git facts (history_fingerprint), on a thread
 * beside the walk of the folders: at 10,000 pages each takes 0.09 s, and
 * neither reads what the other writes. Its pass over git's status is the
 * history's too. */
typedef struct fingerprint_job {
    const char *root, *content, *settings;
    char git[DIGEST_HEX], head[41];
    int clean, rc;
    history_status *status;
    /* A server's build (history_fingerprint_since); of its kept site, the
     * last build's pass and the files seen changing since. */
    int watched;
    const history_status *prev;
    const char *const *changed;
    size_t n_changed;
    int narrowed;
    pthread_t thread;
    int threaded;
} fingerprint_job;

static void *take_fingerprint(void *arg)
{
    fingerprint_job *j = arg;
    if (j->watched)
        j->rc =
            history_fingerprint_since(j->git, j->head, &j->clean, &j->status, &j->narrowed, j->prev,
                                      j->changed, j->n_changed, j->root, j->content, j->settings);
    else
        j->rc = history_fingerprint(j->git, j->head, &j->clean, &j->status, j->root, j->content,
                                    j->settings);
    return NULL;
}

/* A server's kept model (build.h): the site its last good build loaded,
 * what that build's walk and load reported (copied), and, when it wrote a
 * stamp, the files it and the builds of the kept site since read (their fs
 * traces merged): a build of the kept site stamps its output with them
 * and what it read itself, nothing of the site having changed since but
 * what it read again. */
struct build_kept {
    site *s;
    diags *load;
    buf trace;
    int traced;
    /* The git status pass of the last build, when it was good and took
     * one: the next build's narrows it to the files seen changing. */
    history_status *status;
    /* The history that build read from that pass, when it read it whole
     * and said nothing of it: a build of the kept site at the same HEAD
     * takes it (history_reuse). Its HEAD, as 40 hex digits. */
    history *h;
    char head[41];
    /* What the last render of the kept site kept for the next (render.h):
     * the keys of pages whose body and history did not change. */
    render_keys *keys;
};

build_kept *build_kept_new(void)
{
    return xcalloc(1, sizeof(build_kept));
}

void build_kept_clear(build_kept *k)
{
    if (!k)
        return;
    site_free(k->s);
    diag_free(k->load);
    history_status_free(k->status);
    history_free(k->h);
    render_keys_free(k->keys);
    k->s = NULL;
    k->load = NULL;
    k->status = NULL;
    k->h = NULL;
    k->keys = NULL;
    k->head[0] = '\0';
    buf_reset(&k->trace);
    k->traced = 0;
}

void build_kept_free(build_kept *k)
{
    build_kept_clear(k);
    if (k)
        buf_release(&k->trace);
    free(k);
}

int build_kept_has(const build_kept *k)
{
    return k && k->s;
}

int build_scratch_name(const char *name)
{
    size_t nl = strlen(name);
    return !strcmp(name, "charter") || (nl > 5 && !strcmp(name + nl - 5, ".lock")) ||
           !strncmp(name, ".#", 2) || name[0] == '#' ||
           (nl > 4 && !strcmp(name + nl - 4, ".swp")) || (nl && name[nl - 1] == '~');
}

/* What a change of the file at rel (site-relative) is to k's site: 1 one
 * of its pages, 0 no file of it nor any file now (or a scratch file of an
 * editor's or git's, which no build reads), -1 another (or one that cannot
 * be told). *pg: the page, or NULL. */
static int kept_change(const build_kept *k, const char *rel, page **pg)
{
    /* A page whose text the load reads for more than its front matter:
     * navigation.order's file (a GitBook SUMMARY.md) orders the site. */
    const char *nav = k->s->cfg.nav_order;
    if (nav && !strncmp(nav, "./", 2))
        nav += 2;
    *pg = nav && !strcmp(nav, rel) ? NULL : site_page_by_src(k->s, rel);
    if (*pg)
        return 1;
    const char *base = strrchr(rel, '/');
    if (build_scratch_name(base ? base + 1 : rel))
        return 0;
    for (size_t i = 0; i < k->s->n_statics; i++)
        if (!strcmp(k->s->statics[i].src, rel))
            return -1;
    buf path;
    buf_init(&path);
    buf_printf(&path, "%s/%s", k->s->root, rel);
    struct stat st;
    int gone = lstat(path.data, &st) != 0 && errno == ENOENT;
    buf_release(&path);
    return gone ? 0 : -1;
}

int build_kept_may_take(const build_kept *k, const char *const *paths, size_t n)
{
    if (!build_kept_has(k))
        return 0;
    page *pg;
    for (size_t i = 0; i < n; i++)
        if (kept_change(k, paths[i], &pg) < 0)
            return 0;
    return 1;
}

/* Reads again into k's site the pages among paths[0..n) (site_refresh_page):
 * 1 when each change is a page's body or no change, else 0. */
static int kept_refresh(build_kept *k, const char *const *paths, size_t n)
{
    page *pg;
    for (size_t i = 0; i < n; i++) {
        int what = kept_change(k, paths[i], &pg);
        if (what < 0 || (what == 1 && !site_refresh_page(k->s, pg)))
            return 0;
    }
    return 1;
}

/* The previous build's load and parse caches, read and checked whole on a
 * thread of their own beside the walk: at 10,000 pages some 5 and 39 MB,
 * hashed, which were the first steps of the load and of the parse. */
typedef struct cache_read_job {
    const char *load_path, *parse_path;
    char key[DIGEST_HEX];
    loadcache *lc;
    parse_cache *pc;
    pthread_t thread;
    int threaded, joined;
} cache_read_job;

/* The output's reads only: the load and parse caches read ahead as well
 * made no difference (median "rebuilt in" 0.30 against 0.295 s at 10,000
 * pages): they are read beside the walk, which waits for git's status. */
output_prefetch *build_prefetch_read(const char *site_dir, const char *out)
{
    buf dir;
    buf_init(&dir);
    output_prefetch *p =
        history_cache_dir(&dir, site_dir) == 0 ? output_prefetch_read(out, dir.data) : NULL;
    buf_release(&dir);
    return p;
}

static void *read_caches(void *arg)
{
    cache_read_job *j = arg;
    j->lc = j->load_path ? loadcache_read(j->load_path, j->key) : NULL;
    j->pc = parse_cache_open(j->parse_path);
    return NULL;
}

/* Reads the caches at load_path (NULL: none) and parse_path for s: on a
 * thread when one starts, else at once. */
static void read_caches_start(cache_read_job *j, const site *s, const char *load_path,
                              const char *parse_path)
{
    *j = (cache_read_job){.load_path = load_path, .parse_path = parse_path};
    site_load_cache_key(s, j->key);
    j->threaded = pthread_create(&j->thread, NULL, read_caches, j) == 0;
    if (!j->threaded)
        read_caches(j);
}

/* Waits for read_caches_start's reading; the caches are the job's until
 * taken (set to NULL). Called again, does nothing. */
static void read_caches_join(cache_read_job *j)
{
    if (j->threaded && !j->joined)
        pthread_join(j->thread, NULL);
    j->joined = 1;
}

/* With --no-check: tunable findings (the checks' business) become warnings. */
static int keep_structural(void *ctx, const diag_entry *e)
{
    const check_info *ci = checks_find(e->id);
    return ci && ci->tunable && e->level == DIAG_ERROR ? (int)DIAG_WARNING : (int)e->level;
}

/* site.yml's output, which a pull request may change (to '/home/ci/.ssh',
 * or a committed link `_site -> /elsewhere`): inside the repository that
 * holds the site, or inside the site when there is none. --out, the
 * user's own choice, goes anywhere. 0, or -1 after reporting. */
static int output_inside_repository(const char *path, const char *site_dir, const site *s, diags *d)
{
    buf bound;
    buf_init(&bound);
    int in_repo = history_workdir(&bound, site_dir) == 0;
    if (!in_repo)
        buf_adds(&bound, site_dir);
    int within = output_within(path, bound.data);
    if (within == 1 && in_repo) {
        /* Nor in the repository's own folder (.git/hooks...). */
        buf git;
        buf_init(&git);
        buf_printf(&git, "%s.git", bound.data);
        if (output_within(path, git.data) == 1)
            within = 0;
        buf_release(&git);
    }
    if (within != 1) {
        const yaml_node *n = yamltree_get(s->cfg.yaml, "output");
        diag_error(d, s->cfg.file, n ? yamltree_line(n) : 0, n ? yamltree_col(n) : 0, "config",
                   "'output' leads to '%s', outside the %s or into its .git; pass --out to "
                   "build elsewhere",
                   s->cfg.output, in_repo ? "repository" : "site");
    }
    buf_release(&bound);
    return within == 1 ? 0 : -1;
}

/* The findings' levels as site.yml's checks: sets them; under --no-check
 * only what made pages unreadable stays an error (keep_structural). */
static void tune_findings(const site *s, const build_request *r, diags *d)
{
    checks_tune(s, d);
    if (r->no_check == 1)
        diag_retune(d, keep_structural, NULL);
}

/* The errors that stop a build: every one; under no_check, those
 * keep_structural keeps (what made pages unreadable). */
static size_t stopping_errors(const build_request *r, const diags *d)
{
    if (!r->no_check)
        return diag_count(d, DIAG_ERROR);
    size_t n, stop = 0;
    const diag_entry *e = diag_entries(d, &n);
    for (size_t i = 0; i < n; i++)
        stop += keep_structural(NULL, &e[i]) == (int)DIAG_ERROR;
    return stop;
}

static void abandon(void *ctx)
{
    output_abandon(ctx);
}

static void *load_history(void *arg)
{
    history_job *j = arg;
    /* The history is the build's longest thread: it keeps a core, and the
     * stages beside it share the other. */
    pool_hold();
    int token = watchdog_enter(NULL, "reading the git history", j->s->cfg.limits.history_seconds,
                               "limits.history_seconds");
    j->h = history_load(j->s, j->use_cache, j->status, j->own);
    watchdog_leave(token);
    pool_unhold();
    atomic_store(&j->finished, 1);
    return NULL;
}

void build_history_start(history_job *j, const site *s, int use_cache, const history_status *status,
                         diags *d)
{
    *j = (history_job){
        .s = s, .use_cache = use_cache, .status = status, .d = d, .own = diag_new(NULL)};
    atomic_init(&j->finished, 0);
    j->threaded = pthread_create(&j->thread, NULL, load_history, j) == 0;
}

void build_history_reused(history_job *j, const site *s, history *h, diags *d)
{
    *j = (history_job){.s = s, .d = d, .own = diag_new(NULL), .h = h, .reused = 1};
    atomic_init(&j->finished, 1);
}

history *build_history_join(history_job *j)
{
    if (j->threaded)
        pthread_join(j->thread, NULL);
    else if (!j->reused)
        load_history(j);
    if (!j->reused) /* (history_reuse completes its own) */
        history_complete(j->h, j->s);
    j->quiet = !diag_count(j->own, DIAG_ERROR) && !diag_count(j->own, DIAG_WARNING) &&
               !diag_count(j->own, DIAG_NOTE);
    diag_move(j->d, j->own);
    diag_free(j->own);
    j->own = NULL;
    return j->h;
}

void build_history_cancel(history_job *j)
{
    if (j->threaded)
        pthread_join(j->thread, NULL);
    history_free(j->h); /* NULL when there was no thread to read it */
    diag_free(j->own);
    j->own = NULL;
    j->h = NULL;
}

int build_at_export(buf *dir, const char *root, const char *commit, diags *d)
{
    const char *t = getenv("TMPDIR");
    buf_reset(dir);
    buf_printf(dir, "%s/charter-at-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir->data)) {
        diag_error(d, NULL, 0, 0, "io", "cannot create '%s': %s", dir->data, strerror(errno));
        buf_reset(dir);
        return -1;
    }
    if (history_export(root, commit, dir->data, d) != 0)
        return -1;
    return build_at_config(dir->data, root, commit, d);
}

int build_at_config(const char *dir, const char *root, const char *commit, diags *d)
{
    buf path, text;
    buf_init(&path);
    buf_init(&text);
    fs_root from;
    int err = -1, rooted = 0;
    struct stat st;
    buf_printf(&path, "%s/site.yml", dir);
    if (lstat(path.data, &st) == 0 || errno != ENOENT)
        goto kept;
    buf_reset(&path);
    buf_printf(&path, "%s/_config.yml", dir);
    if (lstat(path.data, &st) == 0 || errno != ENOENT)
        goto kept;
    /* A commit from before the site had its settings (the repository
     * adopted charter since): its pages, read with today's settings. */
    diags *quiet = diag_new(NULL);
    rooted = fs_root_init(&from, root, quiet) == 0;
    int have = rooted && fs_source_kind(&from, "site.yml", NULL, quiet) == FS_FILE;
    diag_free(quiet);
    if (!have) {
        err = 0; /* nothing to copy: the load says what is missing */
        goto done;
    }
    if (fs_read_source(&text, &from, "site.yml", SITE_YML_MAX, "the fixed limit for site.yml", d) !=
        0)
        goto done;
    buf_reset(&path);
    buf_printf(&path, "%s/site.yml", dir);
    if (fs_write(path.data, text.data, text.len, d) != 0)
        goto done;
    diag_report(d, DIAG_NOTE, "site.yml", 0, 0, "config",
                "commit %.7s has no 'site.yml': the working tree's is used", commit);
    err = 1;
    goto done;
kept:
    err = 0;
done:
    if (rooted)
        fs_root_release(&from);
    buf_release(&path);
    buf_release(&text);
    return err;
}

void build_at_remove(buf *dir)
{
    if (!dir->len)
        return;
    diags *quiet = diag_new(NULL);
    fs_remove_tree(dir->data, quiet);
    diag_free(quiet);
    buf_reset(dir);
}

/* The render stage and the parse cache's rewrite, two independent jobs. */
typedef struct render_job {
    const site *s;
    parsed *pp;
    const history *hist;
    const build_provenance *prov;
    output *out;
    render_early *early; /* what render_early_start makes beside the history */
    render_keys *keys;   /* the server's (render_site), or NULL */
    diags *d;
    int rendered;
} render_job;

static void render_one(void *ctx, size_t i)
{
    render_job *j = ctx;
    if (i == 0)
        j->rendered = render_site(j->s, j->pp, j->hist, j->prov, j->out, j->early, j->keys, j->d);
    else
        parse_cache_write(j->pp, j->d);
}

/* What a build releases at its end, three independent jobs: the output
 * (which writes its cache, after waiting out the racy window, the slow
 * part), the model, and the stamp (when sf is set: the sources the build
 * read, and the output it published, which releasing does not change). */
typedef struct release_job {
    output *out;
    diags *d;
    parsed *pp;
    history *hist;
    site *s;
    site *dropped;         /* a kept site this build replaced */
    history *dropped_hist; /* a kept history it did not take */
    stamp_facts *sf;
    const buf *findings;
    int write_stamp; /* the build published: its stamp is written */
    int leave_model; /* the model is left to the process's exit (build_request.exiting) */
    /* When the site is kept (build_request.kept): where its trace is kept
     * too, and, in a build of the kept site, what it holds of the builds
     * before, merged into this one's. */
    build_kept *kept_trace;
} release_job;

static void release_one(void *ctx, size_t i)
{
    release_job *j = ctx;
    if (i == 0) {
        output_free(j->out, j->d);
    } else if (i == 1) {
        site_free(j->dropped);
        history_free(j->dropped_hist);
        if (j->leave_model)
            return;
        parsed_free(j->pp);
        history_free(j->hist);
        site_free(j->s);
    } else if (j->sf) {
        /* A build of a kept site read what its changes were: with what the
         * build that loaded it read, that is what this one stands on. */
        buf trace;
        buf_init(&trace);
        int traced =
            fs_trace_stop(&trace) == 0 &&
            (!j->kept_trace || !j->kept_trace->trace.len ||
             fs_trace_merge(&trace, j->kept_trace->trace.data, j->kept_trace->trace.len) == 0);
        if (traced && j->write_stamp)
            stamp_write(j->sf, j->findings, &trace);
        if (j->kept_trace && traced && j->write_stamp) {
            buf_reset(&j->kept_trace->trace);
            buf_add(&j->kept_trace->trace, trace.data, trace.len);
            j->kept_trace->traced = 1;
        } else if (j->kept_trace) {
            buf_reset(&j->kept_trace->trace);
            j->kept_trace->traced = 0;
        }
        buf_release(&trace);
    }
}

/* The caches in cache_dir of outputs since deleted: each output's cache
 * and spare tree, each stamp. */
static void prune_caches(const char *cache_dir)
{
    char **names = NULL;
    diags *quiet = diag_new(NULL);
    if (fs_list(&names, cache_dir, 1, quiet) == 0)
        for (char **e = names; *e; e++) {
            output_prune(cache_dir, *e);
            stamp_prune(cache_dir, *e);
        }
    fs_list_free(names);
    diag_free(quiet);
}

/* Whether the caches' folder (cache_dir) is there or can be made, and can
 * be written: else (a read-only checkout) one warning, and the build goes
 * on without its caches rather than warning at each. */
static int caches_writable(const buf *cache_dir, diags *d)
{
    diags *tried = diag_new(NULL);
    int ok = fs_is_dir(cache_dir->data) == 1 || fs_mkdirs(cache_dir->data, tried) == 0;
    if (ok && access(cache_dir->data, W_OK) != 0) {
        diag_warning(d, NULL, 0, 0, "output",
                     "cannot write '%s': %s; building without the build caches", cache_dir->data,
                     strerror(errno));
        ok = -1;
    } else if (!ok) {
        size_t n;
        const diag_entry *e = diag_entries(tried, &n);
        diag_warning(d, NULL, 0, 0, "output", "%s; building without the build caches",
                     n ? e[0].message : "cannot make the caches' folder");
    }
    diag_free(tried);
    return ok == 1;
}

/* Whether the history cache may spare the walk: it is there, and the
 * build uses it (not --no-cache, not --at). */
static int history_warm(const buf *cache_dir, const build_request *r)
{
    if (r->no_cache || r->at_commit || !cache_dir->len)
        return 0;
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/history.cache", cache_dir->data);
    struct stat st;
    int warm = stat(p.data, &st) == 0;
    buf_release(&p);
    return warm;
}

int build_probe(const build_request *r, char held[DIGEST_HEX])
{
    held[0] = '\0';
    if (r->no_cache || r->at_commit)
        return -1;
    buf dir;
    buf_init(&dir);
    stamp_facts sf;
    memset(&sf, 0, sizeof sf);
    int verdict = -1;
    if (history_cache_dir_guess(&dir, r->site) == 0 &&
        stamp_init(&sf, dir.data, r->site, r->out, r->as_of, r->no_check, r->base_url) == 0)
        verdict = stamp_probe(&sf, held);
    stamp_release(&sf);
    buf_release(&dir);
    return verdict;
}

int build_make_spare(const build_request *r, const char *out)
{
    if (r->no_cache || r->at_commit || !out)
        return 0;
    buf dir;
    buf_init(&dir);
    int made = history_cache_dir(&dir, r->site) == 0 && output_make_spare(out, dir.data);
    buf_release(&dir);
    return made;
}

/* Whether HEAD is still the commit k's history was read at (read from
 * git's files, a tenth of a millisecond): else (a commit) that history
 * cannot be taken, and git's status is waited for before the load, for the
 * history to be read beside it. */
static int same_head(const build_kept *k, const char *root)
{
    char now[41];
    return history_head_id(now, root) == 0 && k->head[0] && !strcmp(now, k->head);
}

/* What the fingerprint's pass says once it is done (waited for within
 * limits.history_seconds: a library call into a .gitignore cannot be
 * interrupted): the stamp's git facts (when stamped), the commit the site
 * is built from (*proven), and the pass itself, for the history (the
 * caller's to free; NULL when none was made). */
static history_status *fingerprint_take(fingerprint_job *fj, const build_request *r, const site *s,
                                        stamp_facts *sf, int stamped, build_provenance *prov,
                                        int *proven, stage_clock *sc)
{
    int timed = watchdog_enter(NULL, "git's status of the site", s->cfg.limits.history_seconds,
                               "limits.history_seconds");
    if (fj->threaded)
        pthread_join(fj->thread, NULL);
    fj->threaded = 0;
    watchdog_leave(timed);
    if (fj->narrowed)
        stage_clock_note(sc,
                         "git's status narrowed to what changed since the last build's (%zu "
                         "file%s seen changing%s)",
                         r->n_changed, r->n_changed == 1 ? "" : "s",
                         fj->narrowed == 2 ? ", and a commit" : "");
    if (stamped && fj->rc != 0)
        sf->git[0] = sf->head[0] = '\0';
    else if (stamped) {
        memcpy(sf->git, fj->git, DIGEST_HEX);
        memcpy(sf->head, fj->head, sizeof sf->head);
    }
    if (fj->rc == 0 && !r->at_commit) {
        build_provenance_set(prov, s, fj->head, fj->clean);
        *proven = 1;
    }
    history_status *st = fj->status;
    fj->status = NULL;
    return st;
}

int build_run(build_result *res, const build_request *r, stage_clock *sc, diags *d)
{
    memset(res, 0, sizeof *res);
    int status = EXIT_USAGE, tuned = 0, borrowed = 0, hist_quiet = 0;
    site *s = NULL;
    history *hist = NULL;
    parsed *pp = NULL;
    output *out = NULL;
    buf path, cache_dir, parse_path, load_cache, findings;
    buf *at_dir = &res->at_dir;
    buf_init(at_dir);
    buf_init(&path);
    buf_init(&findings);
    buf_init(&cache_dir);
    buf_init(&parse_path);
    buf_init(&load_cache);
    const char *sources[7] = {0};
    history_job hj;
    int history_started = 0;
    int scratch = -1, texts = -1;      /* the parse's scratch files: its HTML, its texts */
    history_status *git_status = NULL; /* the fingerprint's pass, for the history */
    /* The last build's pass (a server's): this build's only, kept or not. */
    history_status *prev_status = r->kept ? r->kept->status : NULL;
    if (r->kept)
        r->kept->status = NULL;
    /* ... and the history it read from it (a server's), taken by a build of
     * the kept site, else freed as the build ends. */
    history *prev_hist = r->kept ? r->kept->h : NULL;
    if (r->kept)
        r->kept->h = NULL;
    cache_read_job caches = {.joined = 1};
    fingerprint_job fj = {.rc = -1};
    build_provenance prov;
    int proven = 0;
    /* The server's kept site when this build loads its own: freed as the
     * build ends, beside its own model, not on the way to the new site
     * (0.02 s at 10,000 pages, block by block). */
    site *dropped = NULL;
    diags *dropped_load = NULL;
    diags *loaded = NULL; /* the walk's and load's findings, for r->kept */
    /* The server's kept site, taken (reuse_kept), or else freed as above. */
    int reusing = r->reuse_kept && build_kept_has(r->kept) && !r->at_commit;
    buf fp[3]; /* the fingerprint's folders: the site, its content, its settings */
    for (int i = 0; i < 3; i++)
        buf_init(&fp[i]);
    buf src[5];
    for (int i = 0; i < 5; i++)
        buf_init(&src[i]);

    /* The caches live in the git directory, which no commit can fill. */
    int cached = !r->no_cache && !r->at_commit && history_cache_dir(&cache_dir, r->site) == 0;
    int cache_ok = !cached || caches_writable(&cache_dir, d);
    if (!cache_ok)
        cached = 0;
    stamp_facts sf;
    int stamped = cached && stamp_init(&sf, cache_dir.data, r->site, r->out, r->as_of, r->no_check,
                                       r->base_url) == 0;
    if (stamped && !r->stamp_stale && stamp_holds(&sf, cache_dir.data, r->stamp_held, d)) {
        /* Nothing this build would read has changed since the last good
         * one, and its output is as it was published: it is done. */
        stage_clock_mark(sc, "up to date");
        res->unchanged = 1;
        res->pages = sf.pages;
        res->files = sf.files;
        res->html = sf.html;
        res->out = xstrdup(sf.target);
        stamp_release(&sf);
        status = EXIT_OK;
        goto cleanup;
    }
    if (stamped)
        stage_clock_mark(sc, "stamp");
    if (stamped && r->stamp_stale)
        stage_clock_note(sc, "the stamp known not to hold, not checked");
    if (stamped) {
        /* Record every source the build looks at, for the next one. */
        sf.since = fs_trace_now();
        fs_trace_start();
    }
    /* The pages the server saw saved, read again into its kept site; any
     * other change, and the site is loaded as usual. */
    if (reusing && !kept_refresh(r->kept, r->changed, r->n_changed))
        reusing = 0;
    if (stamped && reusing && !r->kept->traced) {
        /* A stamp lists the files its build read: those of the build that
         * loaded the kept site, with what this one read again (merged as
         * this build ends). Without the former, none is written. */
        buf none;
        buf_init(&none);
        fs_trace_stop(&none);
        buf_release(&none);
        stamp_release(&sf);
        stamped = 0;
    }
    if (r->at_commit) {
        borrowed = build_at_export(at_dir, r->site, r->at_commit, d);
        if (borrowed < 0)
            goto done;
        diag_set_sources(d, at_dir->data);
    }
    if (r->kept && !reusing) {
        dropped = r->kept->s;
        dropped_load = r->kept->load;
        r->kept->s = NULL;
        r->kept->load = NULL;
        buf_reset(&r->kept->trace);
        r->kept->traced = 0;
    }
    if (reusing) {
        s = r->kept->s;
        r->kept->s = NULL;
        loaded = r->kept->load;
        r->kept->load = NULL;
        if (loaded)
            diag_copy(d, loaded);
    } else if (site_load_config(&s, at_dir->len ? at_dir->data : r->site, r->as_of, r->base_url,
                                d) != 0)
        goto done;
    if (cached) {
        buf_printf(&load_cache, "%s/load.cache", cache_dir.data);
        buf_printf(&parse_path, "%s/parse.cache", cache_dir.data);
        read_caches_start(&caches, s, reusing ? NULL : load_cache.data, parse_path.data);
    }
    /* Before the history is read: a commit meanwhile makes it stale. The
     * same pass over git's status says what the build is made of, and is
     * the history's. It is taken beside the walk. */
    if (stamped || (reusing && cached)) {
        buf_adds(&fp[0], s->root);
        site_path(&fp[1], s, s->cfg.content);
        build_settings_paths(&fp[2], s);
        if (stamped) {
            sf.root = xstrdup(fp[0].data);
            sf.content = xstrdup(fp[1].data);
            sf.settings = xstrdup(fp[2].data);
        }
        fj.root = fp[0].data;
        fj.content = fp[1].data;
        fj.settings = fp[2].data;
        fj.watched = r->kept != NULL;
        if (reusing && prev_status) {
            fj.prev = prev_status;
            fj.changed = r->changed;
            fj.n_changed = r->n_changed;
        }
        fj.threaded = pthread_create(&fj.thread, NULL, take_fingerprint, &fj) == 0;
        if (!fj.threaded)
            take_fingerprint(&fj);
    }
    /* The walk, and git's status beside it. A kept site is not walked: with
     * the history its last build read (likely taken, history_reuse), git's
     * status is waited for after the parse, which goes on beside it (at
     * 10,000 pages the pass takes 0.02-0.03 s of one core). */
    watchdog_start(NULL, NULL, "nothing was published");
    int walked = reusing ? 0 : site_load_walk(s, d);
    int later = reusing && prev_hist && prev_status && fj.threaded && same_head(r->kept, r->site);
    if (!later)
        git_status = fingerprint_take(&fj, r, s, &sf, stamped, &prov, &proven, sc);
    if (walked != 0)
        goto done;
    stage_clock_mark(sc, "walk");
    if (r->at_commit)
        site_set_origin(s, r->site, r->at_commit);
    /* From here a watchdog ends a build that some input keeps busy too long
     * (limits.*_seconds); once there is an output, removing it first. */
    watchdog_start(NULL, NULL, "nothing was published");
    /* The history is read on a thread. Read from git, it is the longest
     * stage: it starts as soon as the walk has named the pages, beside the
     * rest of the load, the parse and the checks. From its cache it is
     * short, and started beside the load it only slowed it (a one-page edit
     * at 10,000 pages 1.87 s against 1.82, with the fingerprint's status
     * pass): it starts after it. */
    int warm = history_warm(&cache_dir, r);
    if (!warm && !later) {
        build_history_start(&hj, s, !r->no_cache && cache_ok, git_status, d);
        history_started = 1;
    }
    /* The pages' bytes are read again by the parse rather than all held
     * from the load (at 10,000 pages the resident peak 164 -> 143 MB). */
    s->reread = 1;
    if (cached && !reusing) {
        read_caches_join(&caches);
        site_adopt_load_cache(s, load_cache.data, caches.lc);
        caches.lc = NULL;
    }
    if (!reusing) {
        if (site_load_finish(s, d) != 0)
            goto done;
        if (r->kept) {
            loaded = diag_new(NULL);
            diag_copy(loaded, d);
        }
    }
    if (checks_configure(s, d) != 0)
        goto done;
    if (!history_started && !later) {
        build_history_start(&hj, s, !r->no_cache && cache_ok, git_status, d);
        history_started = 1;
    }
    stage_clock_mark(sc, "load");
    if (!proven && !later)
        build_provenance_read(&prov, s);
    if (borrowed > 0)
        prov.clean = 0; /* --at with today's site.yml: not that commit alone */

    /* Under --at too, the output and the sources it must not touch are
     * those of the site as named. */
    if (r->out)
        buf_adds(&path, r->out);
    else {
        site_user_path(&path, s, s->cfg.output);
        if (output_inside_repository(path.data, r->site, s, d) != 0)
            goto done;
    }
    res->out = xstrdup(path.data);
    if (stamped)
        sf.output = xstrdup(path.data);
    /* Content at the site root (content: .) is the root itself: output under
     * it is allowed there too, and the content walk skips it. */
    const char *dirs[] = {".", s->cfg.layouts, s->cfg.controls, s->cfg.assets, s->cfg.content};
    for (int i = 0; i < 5 - !strcmp(s->cfg.content, "."); i++) {
        site_user_path(&src[i], s, dirs[i]);
        sources[i] = src[i].data;
    }
    if (output_begin_cached(&out, path.data, sources, cached ? cache_dir.data : NULL, r->own_output,
                            r->prefetch, d) != 0)
        goto done;
    watchdog_set_cleanup(abandon, out);
    /* The stages, in order: load (above), parse, check, history, render;
     * render writes through the output, published at the end. */
    stage_clock_mark(sc, "begin");
    if (output_taken_own(out))
        stage_clock_note(sc, "the previous site taken as this server left it, not stat-ed");
    if (output_prefetched(out))
        stage_clock_note(sc, "%d of the output's manifests and caches read while it waited",
                         output_prefetched(out));
    size_t listed;
    const char *spare = output_spare_use(out, &listed);
    if (spare && listed)
        stage_clock_note(sc, "the spare tree taken %s, %zu of them listed", spare, listed);
    else if (spare)
        stage_clock_note(sc, "the spare tree taken %s", spare);
    scratch = output_scratch(out, d);
    if (scratch < 0)
        goto done;
    /* With a parse cache, each page parsed is cut down to its text for
     * search at once (its key): kept in a second scratch file, search
     * reads it instead of making it from the HTML again. */
    if (parse_path.len && (texts = output_scratch(out, d)) < 0)
        goto done;
    /* The parse cache its thread read: a build of the kept site joined
     * none yet (read as this one was taking it, it went unfreed). */
    read_caches_join(&caches);
    pp =
        parse_site_opened(s, scratch, texts, parse_path.len ? parse_path.data : NULL, caches.pc, d);
    caches.pc = NULL;
    stage_clock_mark(sc, "parse");
    if (later) {
        git_status = fingerprint_take(&fj, r, s, &sf, stamped, &prov, &proven, sc);
        if (!proven)
            build_provenance_read(&prov, s);
        /* The kept site at the same HEAD: its history, but for the pages
         * whose status changed (at 10,000 pages, 0.06-0.08 s of a core
         * saved, which the parse and the checks then share). */
        history *reused = history_reuse(prev_hist, prev_status, s, git_status);
        if (reused) {
            prev_hist = NULL;
            build_history_reused(&hj, s, reused, d);
            stage_clock_note(sc, "the history kept from the last build, but for the pages whose "
                                 "status changed");
        } else
            build_history_start(&hj, s, !r->no_cache && cache_ok, git_status, d);
        history_started = 1;
    }
    if (parsed_failed(pp))
        goto done; /* a page that changed or cannot be read: reported, exit 2 */
    if (reusing)
        stage_clock_note(sc, "the site kept from the last build, not walked nor loaded again");
    if (cached) {
        size_t live = 0;
        for (size_t i = 0; i < s->n_pages; i++)
            live += parsed_page_at(pp, i)->ok;
        if (reusing)
            stage_clock_note(sc, "%zu of %zu pages from the parse cache", parsed_cache_hits(pp),
                             live);
        else
            stage_clock_note(
                sc, "%zu of %zu pages from the load cache, %zu of %zu from the parse cache",
                (size_t)atomic_load(&s->load_hits), s->n_pages, parsed_cache_hits(pp), live);
    }
    /* --no-check still runs the checks: their errors become warnings. */
    checks_run(s, pp, d);
    site_release_texts(s); /* parsed and checked: not read again */
    stage_clock_mark(sc, "check");
    /* While the history is still being read, on the core it leaves: the
     * outputs made without it, one at a time until it is done, on a thread
     * of their own. The one under way when it is done goes on beside the
     * render (a commit's OSCAL export, 0.08 s at 10,000 pages, held the
     * render back for 0.07 s of it, one core idle). */
    render_early *early = render_early_start(s, pp, &prov, out, &hj.finished, d);
    hist = build_history_join(&hj);
    hist_quiet = hj.quiet;
    history_started = 0;
    stage_clock_mark(sc, "history (waited for)");
    checks_history(s, hist, d);
    /* What the stages before freed (the pages' bytes, the parse's and the
     * history's working sets) lies in the threads' malloc arenas, where
     * rendering's threads would not reuse it: returned to the system here,
     * render's peak starts about 25 MB lower at 10,000 pages. Not after a
     * history from its cache (an edit): its working set was small, and the
     * pages given back would only be faulted in and cleared again (a
     * one-page edit at 10,000 pages, 0.326 -> 0.308 s); a render that
     * proves large gives them back itself (gen_pages). */
    if (!warm)
        heap_trim();
    /* Rendering, and beside it the parse cache's rewrite (it only reads
     * the parse, and its HTML in the scratch file, as rendering does). */
    /* The server's keys of its last render: taken for this model while
     * it is the kept one, each page's while its history rows are the same
     * (a commit's build too: only the pages it changed are keyed again). */
    render_keys *keys = NULL;
    if (r->kept) {
        if (!r->kept->keys)
            r->kept->keys = render_keys_new();
        keys = r->kept->keys;
        render_keys_allow(keys, reusing);
    }
    render_job job = {s, pp, hist, &prov, out, early, keys, d, 0};
    pool_run(2, render_one, &job);
    size_t keys_taken, keys_made;
    render_keys_counts(keys, &keys_taken, &keys_made);
    if (keys_taken)
        stage_clock_note(sc, "%zu of %zu pages' keys kept from the last build", keys_taken,
                         keys_taken + keys_made);
    unsigned made;
    int early_failed = render_early_end(early, &made);
    if (made)
        stage_clock_note(sc, "%d output%s made beside the history", __builtin_popcount(made),
                         __builtin_popcount(made) == 1 ? "" : "s");
    /* HTML the previous build's parse cache held damaged was parsed again;
     * the cache just written may have copied it: the next build parses
     * every page. */
    if (parse_cache_drop_damaged(pp))
        stage_clock_note(sc, "the parse cache was damaged: parsed again, and removed");
    int rendered = job.rendered != 0 || early_failed != 0 ? -1 : 0;
    stage_clock_mark(sc, "render");
    long long spliced, streamed, unhashed;
    output_spliced(out, &spliced, &streamed, &unhashed);
    if (streamed)
        stage_clock_note(sc,
                         "%lld of %lld bytes streamed in segments copied from the previous build, "
                         "%lld not hashed again",
                         spliced, streamed, unhashed);
    if (output_recommitted(out))
        stage_clock_note(sc, "%d files copied but for the commit they name",
                         output_recommitted(out));
    if (output_rows_copied(out))
        stage_clock_note(sc, "%zu row%s of the registers copied from the previous build",
                         output_rows_copied(out), output_rows_copied(out) == 1 ? "" : "s");
    close(scratch);
    scratch = -1;
    if (texts >= 0)
        close(texts);
    texts = -1;
    if (rendered != 0)
        goto done;
    tune_findings(s, r, d);
    tuned = 1;
    if (stopping_errors(r, d) > 0) {
        /* A file that could not be read: an IO error, exit 2. */
        status = diag_count_id(d, DIAG_ERROR, "io") ? EXIT_USAGE : EXIT_FINDINGS;
        goto done;
    }
    if (manifest_json_publish(out, &prov, d) != 0 || output_commit(out, d) != 0)
        goto done;
    stage_clock_mark(sc, "publish");
    status = EXIT_OK;
    if (stamped) {
        /* What this build reported, without what releasing the output may. */
        stamp_findings(&findings, d);
        sf.target = xstrdup(output_target(out));
    }
done:
    /* A build stopped early (its output refused, a page unreadable) shows
     * what it found so far as a finished one would: site.yml's levels, and
     * under --no-check the findings that do not stop a build as warnings. */
    if (!tuned && s)
        tune_findings(s, r, d);
    if (history_started) /* a build that failed before it needed it */
        build_history_cancel(&hj);
    if (fj.threaded) { /* ... or before it took git's status */
        pthread_join(fj.thread, NULL);
        history_status_free(fj.status);
    }
    if (scratch >= 0) /* a build that failed in its parse or before */
        close(scratch);
    if (texts >= 0)
        close(texts);
    watchdog_stop();
    /* What was written, not what was meant to be: a page whose layout is
     * missing (under --no-check) is not counted. */
    size_t pages = 0, html = 0, files = out ? output_count(out, &html) : 0;
    for (size_t i = 0; out && s && i < s->n_pages; i++)
        pages +=
            s->pages[i]->ok && s->pages[i]->published && output_has(out, s->pages[i]->out_file);
    res->pages = pages;
    res->files = files;
    res->html = html;
    if (stamped) {
        sf.pages = pages;
        sf.files = files;
        sf.html = html;
    }
    if (status == EXIT_OK && r->published)
        r->published(r->published_ctx, res, d);
    /* A server keeps a good build's site for its next build (build.h). */
    int keep = r->kept && status == EXIT_OK && loaded;
    if (r->kept && !keep) {
        /* Made from a model not kept: of no use to the next build. */
        render_keys_free(r->kept->keys);
        r->kept->keys = NULL;
    }
    if (keep) {
        r->kept->s = s;
        r->kept->load = loaded;
        loaded = NULL;
        r->kept->status = git_status; /* the history's thread is joined */
        git_status = NULL;
        /* A history read whole from that pass, which said nothing: a
         * warning (a shallow clone's, a missing object's) is said again by
         * each build that reads it. */
        if (hist && hist_quiet && r->kept->status) {
            r->kept->h = hist;
            hist = NULL;
            memcpy(r->kept->head, fj.head, sizeof r->kept->head);
        }
    }
    /* Releasing the output, freeing the model and writing the stamp, side
     * by side. */
    release_job rj = {out,
                      d,
                      pp,
                      hist,
                      keep ? NULL : s,
                      dropped,
                      prev_hist,
                      stamped ? &sf : NULL,
                      &findings,
                      status == EXIT_OK,
                      r->exiting && !heap_frees_at_exit(),
                      keep ? r->kept : NULL};
    if (rj.leave_model)
        stage_clock_note(sc, "the model left to the process's exit");
    pool_run(3, release_one, &rj);
    dropped = NULL;
    prev_hist = NULL;
    pp = NULL;
    hist = NULL;
    s = NULL;
    if (stamped) {
        stamp_release(&sf);
    }
cleanup:
    site_free(dropped); /* a build that ended before its release */
    history_free(prev_hist);
    diag_free(dropped_load);
    diag_free(loaded);
    for (int i = 0; i < 3; i++)
        buf_release(&fp[i]);
    read_caches_join(&caches); /* a build that failed before it took them */
    loadcache_free(caches.lc);
    parse_cache_free(caches.pc);
    /* The caches of outputs since deleted, spare trees included: after the
     * output's lock is released, as a later build's would be. */
    if (cached)
        prune_caches(cache_dir.data);
    history_status_free(git_status); /* the history's thread is joined */
    history_status_free(prev_status);
    parsed_free(pp);
    history_free(hist);
    site_free(s);
    buf_release(&path);
    buf_release(&cache_dir);
    buf_release(&parse_path);
    buf_release(&load_cache);
    buf_release(&findings);
    for (int i = 0; i < 5; i++)
        buf_release(&src[i]);
    res->status = status;
    return status;
}

void build_result_release(build_result *res)
{
    if (!res)
        return;
    free(res->out);
    res->out = NULL;
    build_at_remove(&res->at_dir);
    buf_release(&res->at_dir);
}
