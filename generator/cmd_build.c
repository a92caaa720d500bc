/* cmd_build: `charter build`, the whole pipeline: load the site, render every
 * page through its layouts into a staging directory, write api/pages.json,
 * and swap the result into place only when there were no errors. */
#include "checks.h"
#include "cli.h"
#include "commands.h"
#include "diag.h"
#include "fs.h"
#include "history.h"
#include "output.h"
#include "parse.h"
#include "render.h"
#include "site.h"
#include "stamp.h"
#include "watchdog.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { OPT_SITE, OPT_OUT, OPT_AS_OF, OPT_QUIET, OPT_NO_CHECK, OPT_NO_CACHE };

static const cli_option options[] = {
    [OPT_SITE] = {"site", "DIR", "the site directory holding site.yml (default: .)"},
    [OPT_OUT] = {"out", "DIR", "write the site here (default: site.yml 'output', '_site')"},
    [OPT_AS_OF] = {"as-of", "YYYY-MM-DD",
                   "judge review dates as of this day (default: today, UTC)"},
    [OPT_QUIET] = {"quiet", NULL, "print nothing but errors and warnings"},
    [OPT_NO_CHECK] = {"no-check", NULL, "publish even when the checks find errors"},
    [OPT_NO_CACHE] = {"no-cache", NULL,
                      "build from scratch: read and write no cache (in the git directory)"},
    {NULL, NULL, NULL},
};

const cli_command cmd_build_def = {
    "build",
    "Build the policy site: render every page of the content directory through its layout "
    "into\nthe output directory, after the same checks as 'charter check'. The previous "
    "output is\nreplaced only when the build succeeds.",
    "[--site DIR] [--out DIR] [--as-of YYYY-MM-DD] [--quiet] [--no-check] [--no-cache]",
    "exit status: 0 built, 1 errors in the content (nothing published), 2 usage, "
    "configuration\nor IO error.\n",
    options,
    cmd_build,
};

typedef struct build_opts {
    const char *site, *out, *as_of;
    int quiet, no_check, no_cache;
} build_opts;

static int on_option(void *ctx, int opt, const char *value)
{
    build_opts *o = ctx;
    switch (opt) {
    case OPT_SITE:
        o->site = value;
        break;
    case OPT_OUT:
        o->out = value;
        break;
    case OPT_AS_OF:
        o->as_of = value;
        break;
    case OPT_QUIET:
        o->quiet = 1;
        break;
    case OPT_NO_CHECK:
        o->no_check = 1;
        break;
    case OPT_NO_CACHE:
        o->no_cache = 1;
        break;
    }
    return 0;
}

/* With --no-check: tunable findings (the checks' business) become warnings. */
static int keep_structural(void *ctx, const diag_entry *e)
{
    const check_info *ci = checks_find(e->id);
    return ci && ci->tunable && e->level == DIAG_ERROR ? (int)DIAG_WARNING : (int)e->level;
}

static void abandon(void *ctx)
{
    output_abandon(ctx);
}

/* The history step, on a thread of its own: it reads git while the pages
 * are parsed and checked on the other cores (neither reads what the other
 * writes; both report through the thread-safe diagnostics). */
typedef struct history_job {
    const site *s;
    int use_cache;
    diags *d;
    history *h;
} history_job;

static void *load_history(void *arg)
{
    history_job *j = arg;
    int token = watchdog_enter(NULL, "reading the git history", j->s->cfg.limits.history_seconds,
                               "limits.history_seconds");
    j->h = history_load(j->s, j->use_cache, j->d);
    watchdog_leave(token);
    return NULL;
}

/* The summary of a build that had nothing to do. */
static void print_unchanged(const stamp_facts *sf, const struct timespec *t0, diags *d)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
    size_t warnings = diag_count(d, DIAG_WARNING);
    buf shown;
    buf_init(&shown);
    diag_term_safe(&shown, sf->target, strlen(sf->target));
    fprintf(stderr,
            "nothing changed since the last build: '%s' holds its %zu page%s (%zu file%s: %zu "
            "HTML, %zu other); checked in %.2f s",
            shown.data, sf->pages, sf->pages == 1 ? "" : "s", sf->files, sf->files == 1 ? "" : "s",
            sf->html, sf->files - sf->html, secs);
    if (warnings)
        fprintf(stderr, " (%zu warning%s)", warnings, warnings == 1 ? "" : "s");
    fputc('\n', stderr);
    buf_release(&shown);
}

int cmd_build(int argc, char **argv)
{
    build_opts o = {.site = "."};
    int rc = cli_parse(&cmd_build_def, argc, argv, on_option, &o);
    if (rc != 0)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    long as_of;
    if (cmd_parse_as_of(&as_of, &cmd_build_def, o.as_of) != 0)
        return EXIT_USAGE;

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    stage_clock sc;
    stage_clock_init(&sc);
    int status = EXIT_USAGE;
    diags *d = diag_new(o.site);
    site *s = NULL;
    history *hist = NULL;
    parsed *pp = NULL;
    output *out = NULL;
    buf path, cache_dir, parse_cache, findings;
    buf_init(&path);
    buf_init(&findings);
    buf_init(&cache_dir);
    buf_init(&parse_cache);
    const char *sources[7] = {0};
    buf src[5];
    for (int i = 0; i < 5; i++)
        buf_init(&src[i]);

    /* The caches live in the git directory, which no commit can fill. */
    int cached = !o.no_cache && history_cache_dir(&cache_dir, o.site) == 0;
    stamp_facts sf;
    int stamped = cached && stamp_init(&sf, cache_dir.data, o.site, o.out, as_of, o.no_check) == 0;
    if (stamped && stamp_holds(&sf, cache_dir.data, d)) {
        /* Nothing this build would read has changed since the last good
         * one, and its output is as it was published: it is done. */
        stage_clock_mark(&sc, "up to date");
        stage_clock_print(&sc);
        status = EXIT_OK;
        cmd_print_diags(d);
        if (!o.quiet)
            print_unchanged(&sf, &t0, d);
        stamp_release(&sf);
        goto cleanup;
    }
    if (stamped) {
        /* Record every source the build looks at, for the next one. */
        sf.since = fs_trace_now();
        fs_trace_start();
    }
    if (site_load(&s, o.site, as_of, d) != 0 || checks_configure(s, d) != 0)
        goto done;
    stage_clock_mark(&sc, "load");
    if (stamped) {
        /* Before the history is read: a commit meanwhile makes it stale. */
        buf content;
        buf_init(&content);
        site_path(&content, s, s->cfg.content);
        sf.root = xstrdup(s->root);
        sf.content = buf_detach(&content);
        if (history_fingerprint(sf.git, sf.root, sf.content) != 0)
            sf.git[0] = '\0';
    }

    if (o.out)
        buf_adds(&path, o.out);
    else
        site_path(&path, s, s->cfg.output);
    /* Content at the site root (content: .) is the root itself: output under
     * it is allowed there too, and the content walk skips it. */
    const char *dirs[] = {".", s->cfg.layouts, s->cfg.controls, s->cfg.assets, s->cfg.content};
    for (int i = 0; i < 5 - !strcmp(s->cfg.content, "."); i++) {
        site_path(&src[i], s, dirs[i]);
        sources[i] = src[i].data;
    }
    if (cached)
        buf_printf(&parse_cache, "%s/parse.cache", cache_dir.data);
    if (output_begin_cached(&out, path.data, sources, cached ? cache_dir.data : NULL, d) != 0)
        goto done;
    /* From here a watchdog ends a build that some input keeps busy too long
     * (limits.*_seconds), removing the unfinished output first. */
    watchdog_start(abandon, out, "nothing was published");
    /* The stages, in order: load (above), parse, check, history, render;
     * render writes through the output, published at the end. */
    stage_clock_mark(&sc, "begin");
    int scratch = output_scratch(out, d);
    if (scratch < 0)
        goto done;
    history_job hj = {s, !o.no_cache, d, NULL};
    pthread_t history_thread;
    int threaded = pthread_create(&history_thread, NULL, load_history, &hj) == 0;
    pp = parse_site_cached(s, scratch, parse_cache.len ? parse_cache.data : NULL, d);
    stage_clock_mark(&sc, "parse");
    /* --no-check still runs the checks: their errors become warnings. */
    checks_run(s, pp, d);
    stage_clock_mark(&sc, "check");
    if (threaded)
        pthread_join(history_thread, NULL);
    else
        load_history(&hj);
    hist = hj.h;
    stage_clock_mark(&sc, "history (waited for)");
    int rendered = render_site(s, pp, hist, out, d);
    stage_clock_mark(&sc, "render");
    parse_cache_write(pp, d);
    close(scratch);
    if (rendered != 0)
        goto done;
    checks_tune(s, d);
    if (o.no_check) {
        /* Publish anyway: only what made pages unreadable still counts. */
        diag_retune(d, keep_structural, NULL);
    }
    if (diag_count(d, DIAG_ERROR) > 0) {
        status = EXIT_FINDINGS;
        goto done;
    }
    if (output_commit(out, d) != 0)
        goto done;
    stage_clock_mark(&sc, "publish");
    status = EXIT_OK;
    if (stamped) {
        /* What this build reported, without what releasing the output may. */
        stamp_findings(&findings, d);
        sf.target = xstrdup(output_target(out));
    }
done:
    watchdog_stop();
    /* What was written, not what was meant to be: a page whose layout is
     * missing (under --no-check) is not counted. */
    size_t pages = 0, html = 0, files = out ? output_count(out, &html) : 0;
    for (size_t i = 0; out && s && i < s->n_pages; i++)
        pages +=
            s->pages[i]->ok && s->pages[i]->published && output_has(out, s->pages[i]->out_file);
    output_free(out, d);
    if (stamped) {
        buf trace;
        buf_init(&trace);
        sf.pages = pages;
        sf.files = files;
        sf.html = html;
        if (fs_trace_stop(&trace) == 0 && status == EXIT_OK)
            stamp_write(&sf, &findings, &trace);
        buf_release(&trace);
        stamp_release(&sf);
    }
    stage_clock_mark(&sc, "cleanup");
    stage_clock_print(&sc);
    size_t errors = diag_count(d, DIAG_ERROR), warnings = diag_count(d, DIAG_WARNING);
    cmd_print_diags(d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (status == EXIT_OK && !o.quiet) {
        fprintf(stderr, "built %zu page%s (%zu file%s: %zu HTML, %zu other) in %.2f s", pages,
                pages == 1 ? "" : "s", files, files == 1 ? "" : "s", html, files - html, secs);
        if (warnings)
            fprintf(stderr, " (%zu warning%s)", warnings, warnings == 1 ? "" : "s");
        fputc('\n', stderr);
    } else if (status == EXIT_FINDINGS) {
        buf shown;
        buf_init(&shown);
        diag_term_safe(&shown, path.data, path.len); /* site.yml names it */
        fprintf(stderr, "build failed: %zu error%s, %zu warning%s; '%s' was not changed\n", errors,
                errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", shown.data);
        buf_release(&shown);
    }
cleanup:
    parsed_free(pp);
    history_free(hist);
    site_free(s);
    diag_free(d);
    buf_release(&path);
    buf_release(&cache_dir);
    buf_release(&parse_cache);
    buf_release(&findings);
    for (int i = 0; i < 5; i++)
        buf_release(&src[i]);
    return status;
}
