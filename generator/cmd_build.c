/* cmd_build: `charter build`: its options, one run of the pipeline
 * (build.c: load, parse, check, history, render, publish, swapped into
 * place only when there were no errors), then the findings and a summary. */
#include "build.h"
#include "cli.h"
#include "commands.h"
#include "diag.h"
#include "heap.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { OPT_SITE, OPT_OUT, OPT_AS_OF, OPT_AT, OPT_QUIET, OPT_NO_CHECK, OPT_NO_CACHE };

static const cli_option options[] = {
    [OPT_SITE] = {"site", "DIR",
                  "the site directory, holding site.yml (default: . or the nearest above it)"},
    [OPT_OUT] = {"out", "DIR", "write the site here (default: site.yml 'output', '_site')"},
    [OPT_AS_OF] = {"as-of", "YYYY-MM-DD",
                   "judge review dates as of this day (default: today, UTC; with --at, its "
                   "day)"},
    [OPT_AT] = {"at", "DATE|REV",
                "build the site as it stood on a day or at a commit, from git alone (a banner "
                "on every page says so)"},
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
    "[--site DIR] [--out DIR] [--as-of YYYY-MM-DD] [--at DATE|REV] [--quiet] [--no-check]\n"
    "       [--no-cache]",
    "exit status: 0 built, 1 errors in the content (nothing published), 2 usage, "
    "configuration\nor IO error.\n",
    options,
    cmd_build,
};

typedef struct build_opts {
    const char *site, *out, *as_of, *at;
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
    case OPT_AT:
        o->at = value;
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

/* Set by the run that found the stamp not holding, for the run it started
 * (below): the stamp is not read again. Heeded only in a run heap_tune
 * started. */
#define STAMP_STALE "CHARTER_STAMP_STALE"

int cmd_build(int argc, char **argv)
{
    /* Taken out at once: nothing this run starts (gpg) sees it. */
    int stale = heap_tuned() && getenv(STAMP_STALE) != NULL;
    unsetenv(STAMP_STALE);
    build_opts o = {0};
    int rc = cli_parse(&cmd_build_def, argc, argv, on_option, &o);
    if (rc != 0)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    o.site = cmd_site(o.site);
    build_request r = {
        .site = o.site, .out = o.out, .no_check = o.no_check, .no_cache = o.no_cache, .exiting = 1};
    if (cmd_parse_as_of(&r.as_of, &cmd_build_def, o.as_of) != 0)
        return EXIT_USAGE;

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    stage_clock sc;
    stage_clock_init(&sc);
    /* malloc's huge pages (heap.h) pay only for a build with work to do:
     * charter starts again for them unless the stamp, read without git,
     * says the output is likely up to date. The run started so is told
     * when the stamp did not hold. */
    char held[DIGEST_HEX] = "";
    if (!stale && !heap_tuned()) {
        int probe = o.at ? -1 : build_probe(&r, held);
        stage_clock_mark(&sc, "probe");
        if (probe != 1) {
            if (probe == 0)
                setenv(STAMP_STALE, "1", 1);
            heap_tune();
            unsetenv(STAMP_STALE);
            stale = probe == 0;
        }
    }
    r.stamp_stale = stale;
    r.stamp_held = held[0] ? held : NULL;
    char at[41];
    if (o.at) {
        if (cmd_resolve_at(at, &r.as_of, o.as_of != NULL, o.site, o.at) != 0)
            return EXIT_USAGE;
        r.at_commit = at;
    }
    diags *d = diag_new(o.site);
    build_result res;
    int status = build_run(&res, &r, &sc, d);
    if (!res.unchanged)
        stage_clock_mark(&sc, "cleanup");
    stage_clock_print(&sc);
    size_t errors = diag_count(d, DIAG_ERROR), warnings = diag_count(d, DIAG_WARNING);
    cmd_print_diags(d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    buf shown;
    buf_init(&shown);
    if (res.out)
        diag_term_safe(&shown, res.out, strlen(res.out)); /* site.yml names it */
    if (status == EXIT_OK && !o.quiet) {
        if (res.unchanged)
            fprintf(stderr,
                    "nothing changed since the last build: '%s' holds its %zu page%s (%zu "
                    "file%s: %zu HTML, %zu other); checked in %.2f s",
                    shown.data, res.pages, res.pages == 1 ? "" : "s", res.files,
                    res.files == 1 ? "" : "s", res.html, res.files - res.html, secs);
        else
            fprintf(stderr, "built %zu page%s (%zu file%s: %zu HTML, %zu other) in %.2f s",
                    res.pages, res.pages == 1 ? "" : "s", res.files, res.files == 1 ? "" : "s",
                    res.html, res.files - res.html, secs);
        if (warnings)
            fprintf(stderr, " (%zu warning%s)", warnings, warnings == 1 ? "" : "s");
        fputc('\n', stderr);
    } else if (status == EXIT_FINDINGS) {
        fprintf(stderr, "build failed: %zu error%s, %zu warning%s; '%s' was not changed\n", errors,
                errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", shown.data);
    }
    buf_release(&shown);
    build_result_release(&res);
    diag_free(d);
    return status;
}
