/* build: the pipeline `charter build` and `charter serve` run, stage by
 * stage: load, parse, check (and history beside them), render, publish,
 * with the caches and the build stamp (stamp.h). It prints nothing: the
 * caller prints the findings (in d) and the summary. */
#ifndef CHARTER_BUILD_H
#define CHARTER_BUILD_H

#include "buf.h"
#include "commands.h"
#include "diag.h"
#include "digest.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

struct build_result;

typedef struct build_request {
    const char *site; /* the site directory */
    const char *out;  /* the output directory; NULL: site.yml's `output` */
    long as_of;       /* review dates are judged as of this day */
    /* 1: publish even with findings (they become warnings); 2 (charter
     * serve): publish even with them, reported at their levels. */
    int no_check;
    int no_cache;         /* read and write no cache, no stamp */
    const char *base_url; /* NULL: site.yml's base_url */
    /* --at: build the site as it was in this commit (40 hex), read from git
     * objects into a scratch folder; no cache, no stamp. NULL: the work
     * tree. */
    const char *at_commit;
    /* What build_probe found of the stamp, or charter serve of the files
     * it watches: it does not hold (the stamp is not read again: a source
     * has changed), or the digest of a stamp whose trace build_probe found
     * holding (not checked again; NULL: none). */
    int stamp_stale;
    const char *stamp_held;
    /* charter serve: the output is its private folder, which nothing but
     * its own last build has written since (it holds the folder's lock and
     * saw its top as that build left it). The previous site and the spare
     * are taken by their caches rather than stat-ed file by file
     * (output_begin_cached's `own`). */
    int own_output;
    /* charter serve: what the build reads first of its output (its
     * manifests and output caches), read while it waited for a change
     * (build_prefetch_read; may be NULL): taken where their files are
     * unchanged, the rest read as usual. Still the caller's. */
    struct output_prefetch *prefetch;
    /* Called once a build that succeeded has put its output in place,
     * with res's counts and the findings so far, before the model is freed
     * and the caches and stamp are written (at 10,000 pages 0.03-0.05 s):
     * the preview server shows the new site then. What releasing the
     * output reports comes after it, in d. NULL: none. */
    void (*published)(void *ctx, const struct build_result *res, diags *d);
    void *published_ctx;
    /* charter serve: where its last good build's model is kept between
     * builds (build_kept_new; NULL: none). A build given one leaves its
     * site there when it publishes, else empties it. With `reuse_kept`
     * (nothing of the site but git's folder and the files in `changed`
     * has changed since the kept site's build began: charter serve's
     * watches say so), a build takes that site rather than walking and
     * loading the files again (at 10,000 pages 0.05-0.09 s of a rebuild),
     * and its load's findings as that build reported them. Its stamp
     * lists the files the builds of that site read, merged
     * (fs_trace_merge). */
    struct build_kept *kept;
    int reuse_kept;
    /* With reuse_kept: the files of the site (as on disk, relative to it)
     * seen written, made or removed since then, each once. A page among
     * them whose body alone changed is read again into the kept site; any
     * other change of a file there is, or of a page's front matter, and
     * the site is walked and loaded as usual. A name that is no file now
     * and none of the kept site's, or an editor's scratch file
     * (build_scratch_name), is no change of the site; git's status of
     * them all is taken again (history_fingerprint_since). */
    const char *const *changed;
    size_t n_changed;
    /* charter build: the process ends with this build. Its model (the
     * pages, their parse, the history), freed block by block in 0.02 s at
     * 10,000 pages, is left to the exit, but in a sanitizer's build
     * (heap_frees_at_exit). The output's and the stamp's release, which
     * write the caches, run as always. */
    int exiting;
} build_request;

/* A place for the model of a server's last good build (build_request's
 * `kept`), empty at first. Free with build_kept_free (accepts NULL), which
 * frees what it holds. */
typedef struct build_kept build_kept;
build_kept *build_kept_new(void);
void build_kept_free(build_kept *k);
/* Empties k (may be NULL), freeing what it held: charter serve, once it
 * sees a change that no kept site may stand for, frees it while it waits
 * for the change's build, whose model then reuses its memory. */
void build_kept_clear(build_kept *k);
/* 1 when a file named `name` (no folder) is a scratch file of an
 * editor's or of git's, which no build reads: a lock (.lock, .#x, #x#),
 * swap (.swp) or backup (x~) file, or the caches' folder "charter". */
int build_scratch_name(const char *name);
/* 1 when k holds a model a build may take (reuse_kept), else 0. */
int build_kept_has(const build_kept *k);
/* 0 when a change of the files paths[0..n) (build_request's `changed`)
 * makes k's site unusable at once: one is there, and is none of its pages
 * (a new page, a layout, site.yml). Else 1: whether a page's front matter
 * changed is for the build to read. */
int build_kept_may_take(const build_kept *k, const char *const *paths, size_t n);

/* What a build of the site at `site` into `out` reads first of its build
 * cache: the output's manifests and output caches, read by
 * output_prefetch_read in the cache's folder as build_run finds it. Read
 * ahead by charter serve while it waits for a change (at 10,000 pages
 * about 8 MB, 0.015-0.02 s of each rebuild's begin stage), each file
 * between two lstat calls that agree; build_run takes each that a third
 * still finds unchanged. Returns a new prefetch (caller frees with
 * output_prefetch_free), or NULL where there is no build cache. */
struct output_prefetch *build_prefetch_read(const char *site, const char *out);

typedef struct build_result {
    int status;                /* EXIT_OK, EXIT_FINDINGS (nothing published) or EXIT_USAGE */
    int unchanged;             /* the stamp held: nothing was done */
    size_t pages, files, html; /* what the output holds */
    char *out;                 /* the output directory as named (NULL before it is known) */
    buf at_dir;                /* --at: the scratch folder of the commit's files, which the
                                  findings' source lines are read from until released */
} build_result;

/* What can be told, without git, of whether r would find its output up to
 * date (stamp_probe on the stamp where history_cache_dir_guess points):
 * 1, with the stamp's digest in `held`, when the files it read are as they
 * were; 0 when the stamp is there but does not hold; -1 when there is
 * none, or r reads no cache. Only build_run says it is up to date. */
int build_probe(const build_request *r, char held[DIGEST_HEX]);
/* After a build of r published into out (res.out), makes its spare tree
 * when it has none (output_make_spare), so that the next build writes over
 * it instead of making every folder and link anew: for the preview server,
 * idle after its first build. 1 when made; 0 otherwise (no build cache,
 * a spare there already, a build under way). */
int build_make_spare(const build_request *r, const char *out);
/* Runs one build of r, reporting into d and marking stages on sc (may be
 * NULL). Fills *res (release with build_result_release) and returns its
 * status. */
int build_run(build_result *res, const build_request *r, stage_clock *sc, diags *d);

struct site;
struct history;
/* The history step on a thread of its own: it reads git while the pages are
 * loaded, parsed and checked on the other cores (neither reads what the
 * other writes), within limits.history_seconds. Start once site_load_start
 * has named the pages; join, once site_load_finish has run, for the history
 * with its change list (caller frees with history_free) and its warnings,
 * moved to d then; without a thread, join reads it then. A build that
 * fails before it needs the history cancels it instead: joined and freed,
 * its warnings dropped (they would bury the error that stopped it). A
 * pass over git's status the caller made (may be NULL) is read instead of
 * one of the thread's own; it must outlive the join. */
typedef struct history_job {
    const struct site *s;
    int use_cache;
    const struct history_status *status;
    diags *d;
    diags *own;          /* the thread's findings until the join */
    atomic_int finished; /* set by the thread as it ends */
    struct history *h;
    int threaded;
    int reused; /* h was taken, not read (build_history_reused) */
    int quiet;  /* the read said nothing (set by the join) */
    pthread_t thread;
} history_job;
void build_history_start(history_job *j, const struct site *s, int use_cache,
                         const struct history_status *status, diags *d);
/* A job whose history h (history_reuse) is taken as read: finished at
 * once, joined as a read one. */
void build_history_reused(history_job *j, const struct site *s, struct history *h, diags *d);
struct history *build_history_join(history_job *j);
void build_history_cancel(history_job *j);
void build_result_release(build_result *res);

/* --at: writes the folder `root` as it is in commit `commit` (40 hex) into
 * a new scratch folder under $TMPDIR (its path in *dir; remove it with
 * build_at_remove), without touching the work tree. 0, 1 when the work
 * tree's site.yml was copied in (build_at_config), or -1 after reporting. */
int build_at_export(buf *dir, const char *root, const char *commit, diags *d);
/* When the export of commit in dir has no site.yml (nor Jekyll's
 * _config.yml), as in history from before the repository adopted charter:
 * the working tree's site.yml at root is copied there, with a note saying
 * so. 1 when it was, 0 when there was nothing to do or none to copy, or -1
 * after reporting. */
int build_at_config(const char *dir, const char *root, const char *commit, diags *d);
/* Removes a scratch folder build_at_export made (nothing when dir is empty). */
void build_at_remove(buf *dir);

#endif
