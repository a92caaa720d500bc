/* cmd_check: `charter check`, the CI gate: load the site (layouts included),
 * parse every page's Markdown, run every check, apply the site's tuning and
 * report in the format the CI system reads. Renders and writes nothing. */
#include "build.h"
#include "checks.h"
#include "cli.h"
#include "commands.h"
#include "fs.h"
#include "history.h"
#include "output.h"
#include "parse.h"
#include "report.h"
#include "site.h"
#include "watchdog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_SITE, OPT_AS_OF, OPT_AT, OPT_FORMAT, OPT_STRICT, OPT_OUTPUT, OPT_LIST };

static const cli_option options[] = {
    [OPT_SITE] = {"site", "DIR",
                  "the site directory, holding site.yml (default: . or the nearest above it)"},
    [OPT_AS_OF] = {"as-of", "YYYY-MM-DD",
                   "judge review dates as of this day (default: today, UTC; with --at, its "
                   "day)"},
    [OPT_AT] = {"at", "DATE|REV",
                "check the site as it stood on a day or at a commit, from git alone"},
    [OPT_FORMAT] = {"format", "FORMAT",
                    "text (default), json, github (workflow annotations), sarif (SARIF 2.1.0) "
                    "or junit"},
    [OPT_STRICT] = {"strict", NULL, "fail (exit 1) on warnings too"},
    [OPT_OUTPUT] = {"output", "FILE", "write the report to FILE instead of standard output"},
    [OPT_LIST] = {"list-checks", NULL, "list every check id, its default severity and summary"},
    {NULL, NULL, NULL},
};

const cli_command cmd_check_def = {
    "check",
    "Check cited controls, coverage, links, front matter and review dates. Every cited "
    "control\nmust exist and every applicable one be covered, every link resolve, every "
    "policy carry\nits keys and no review be overdue. Writes nothing but the report.",
    "[--site DIR] [--as-of YYYY-MM-DD] [--at DATE|REV]\n"
    "       [--format text|json|github|sarif|junit] [--strict] [--output FILE] | --list-checks",
    "exit status: 0 no errors (warnings allowed unless --strict), 1 findings, 2 usage,\n"
    "configuration or IO error. Check ids and tuning: docs/checks.md.\n",
    options,
    cmd_check,
};

typedef struct check_opts {
    const char *site, *as_of, *at, *format, *output;
    int strict, list;
} check_opts;

static int on_option(void *ctx, int opt, const char *value)
{
    check_opts *o = ctx;
    switch (opt) {
    case OPT_SITE:
        o->site = value;
        break;
    case OPT_AS_OF:
        o->as_of = value;
        break;
    case OPT_AT:
        o->at = value;
        break;
    case OPT_FORMAT:
        o->format = value;
        break;
    case OPT_STRICT:
        o->strict = 1;
        break;
    case OPT_OUTPUT:
        o->output = value;
        break;
    case OPT_LIST:
        o->list = 1;
        break;
    }
    return 0;
}

int cmd_check(int argc, char **argv)
{
    check_opts o = {.format = "text"};
    int rc = cli_parse(&cmd_check_def, argc, argv, on_option, &o);
    if (rc != 0)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    o.site = cmd_site(o.site);
    if (o.list && (strcmp(o.format, "text") || o.output || o.strict || o.as_of || o.at)) {
        /* A table of the checks, on standard output, whatever else is asked. */
        cli_usage_error(&cmd_check_def, "--list-checks takes no other option but --site");
        return EXIT_USAGE;
    }
    if (o.list) {
        size_t n;
        const check_info *t = checks_table(&n);
        for (size_t i = 0; i < n; i++)
            printf("%-24s %-8s %s%s\n", t[i].id, t[i].level == DIAG_ERROR ? "error" : "warning",
                   t[i].summary, t[i].tunable ? "" : " (cannot be tuned)");
        return EXIT_OK;
    }
    long as_of;
    if (cmd_parse_as_of(&as_of, &cmd_check_def, o.as_of) != 0)
        return EXIT_USAGE;
    char at[41];
    if (o.at && cmd_resolve_at(at, &as_of, o.as_of != NULL, o.site, o.at) != 0)
        return EXIT_USAGE;
    report_format fmt;
    if (report_format_parse(&fmt, o.format) != 0) {
        cli_usage_error(&cmd_check_def,
                        "'--format' must be text, json, github, sarif or junit, not '%s'",
                        o.format);
        return EXIT_USAGE;
    }

    int status = EXIT_USAGE;
    history_job hj;
    int want = 0;    /* the history is being read */
    int written = 0; /* the report's file was tried */
    diags *d = diag_new(o.site);
    site *s = NULL;
    parsed *pp = NULL;
    buf report, line, at_dir;
    buf_init(&report);
    buf_init(&line);
    buf_init(&at_dir);
    /* --at: the site's files as they were in that commit, in a scratch
     * folder; findings still name them as the site's. */
    if (o.at) {
        if (build_at_export(&at_dir, o.site, at, d) < 0)
            goto fatal;
        diag_set_sources(d, at_dir.data);
    }
    /* Load, parse, check: nothing is rendered or written. The walk is timed
     * too (git's ignore rules, read at each folder, cannot be interrupted). */
    watchdog_start(NULL, NULL, NULL);
    if (site_load_start(&s, at_dir.len ? at_dir.data : o.site, as_of, NULL, d) != 0)
        goto fatal;
    if (o.at)
        site_set_origin(s, o.site, at);
    /* Only a site whose checks rest on the history (site.yml says) pays for
     * reading it (a cold walk of 5,000 commits doubles a 10,000-page
     * check), from the moment the walk has named the pages. Its own
     * warnings (no repository, a shallow clone, one owned by another user,
     * a partial clone's missing blobs) say what those checks could not
     * see: reported, so that a gate that could not look does not pass
     * silently (--strict fails on them). */
    want = checks_want_history(s);
    if (want)
        build_history_start(&hj, s, 1, NULL, d);
    if (site_load_finish(s, d) != 0 || checks_configure(s, d) != 0)
        goto fatal;
    pp = parse_site(s, -1, d);
    checks_run(s, pp, d);
    if (want) {
        history *hist = build_history_join(&hj);
        want = 0;
        checks_history(s, hist, d);
        history_free(hist);
    }
    checks_tune(s, d);
    /* Text for a terminal has source excerpts (stderr); for a file, plain lines. */
    if (fmt == REPORT_TEXT && !o.output)
        cmd_print_diags(d);
    else
        report_write(&report, fmt, d, s, as_of, o.strict);
    if (o.output) {
        /* The report may go anywhere but over the site's own sources. */
        buf dir;
        buf_init(&dir);
        site_user_path(&dir, s, ".");
        written = 1; /* tried: not again below */
        rc = cmd_write_report(o.output, report.data, report.len, s, dir.data, d);
        buf_release(&dir);
        if (rc != 0)
            goto fatal;
    } else {
        fwrite(report.data, 1, report.len, stdout);
    }
    size_t errors = diag_count(d, DIAG_ERROR), warnings = diag_count(d, DIAG_WARNING);
    status = errors || (o.strict && warnings) ? EXIT_FINDINGS : EXIT_OK;
    /* A file that could not be read (a page, a layout): an IO error, exit 2,
     * as an unreadable folder or catalog is. */
    if (diag_count_id(d, DIAG_ERROR, "io"))
        status = EXIT_USAGE;
    report_summary(&line, d, s);
    fprintf(stderr, "%s\n", line.data);
    goto done;
fatal:
    /* Configuration or IO: the findings so far, as text for the log, and in
     * the format asked for, where it was asked for (a CI's annotations, the
     * SARIF or JUnit file the next step uploads); exit 2 all the same. */
    cmd_print_diags(d);
    if ((fmt != REPORT_TEXT || o.output) && !written) {
        buf_reset(&report);
        report_write(&report, fmt, d, s, as_of, o.strict);
        if (o.output) {
            buf dir;
            buf_init(&dir);
            if (s)
                site_user_path(&dir, s, ".");
            else
                buf_adds(&dir, o.site);
            diags *w = diag_new(NULL);
            if (cmd_write_report(o.output, report.data, report.len, s, dir.data, w) != 0)
                cmd_print_diags(w);
            diag_free(w);
            buf_release(&dir);
        } else {
            fwrite(report.data, 1, report.len, stdout);
        }
    }
done:
    if (want) /* stopped before it was needed */
        build_history_cancel(&hj);
    watchdog_stop();
    parsed_free(pp);
    site_free(s);
    diag_free(d);
    buf_release(&report);
    buf_release(&line);
    build_at_remove(&at_dir);
    buf_release(&at_dir);
    return status;
}
