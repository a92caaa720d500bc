/* cmd_diff: `charter diff [BASE..HEAD]`: what a change to the policies
 * changes, for the reviewer who approves it. Both revisions are read from
 * git (history_export writes each one's site into a temporary folder: no
 * checkout, the work tree is not touched); each is loaded, parsed and
 * checked as `charter check` does; diff.c compares them and diff_out.c
 * writes the report. */
#include "build.h"
#include "checks.h"
#include "cli.h"
#include "commands.h"
#include "dates.h"
#include "diag.h"
#include "diff.h"
#include "diff_out.h"
#include "fs.h"
#include "history.h"
#include "output.h"
#include "parse.h"
#include "site.h"
#include "watchdog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { OPT_SITE, OPT_FORMAT, OPT_OUT, OPT_OUTPUT, OPT_FAIL_ON, OPT_AS_OF, OPT_REDLINE_URL };

static const cli_option options[] = {
    [OPT_SITE] = {"site", "DIR",
                  "the site directory, holding site.yml (default: . or the nearest above it)"},
    [OPT_FORMAT] = {"format", "FORMAT", "text, markdown, html or json (default: text)"},
    [OPT_OUT] = {"out", "DIR", "html: the folder to write the redline pages into"},
    [OPT_OUTPUT] = {"output", "FILE", "write the report to FILE instead of standard output"},
    [OPT_FAIL_ON] = {"fail-on", "WHEN",
                     "never (default), or new: exit 1 when the change introduces findings"},
    [OPT_AS_OF] = {"as-of", "YYYY-MM-DD",
                   "judge review dates as of this day (default: today, UTC)"},
    [OPT_REDLINE_URL] = {"redline-url", "URL",
                         "markdown: where the full redlines are, for those left out"},
    {NULL, NULL, NULL},
};

const cli_command cmd_diff_def = {
    "diff",
    "Show what a change does to the policies: pages added, removed, renamed and changed\n"
    "(with a word-level redline and their front matter key by key), coverage and\n"
    "applicability, the findings it introduces and fixes, and the rules a reviewer cares\n"
    "about. BASE..HEAD are git revisions, read without a checkout, or days (YYYY-MM-DD:\n"
    "the last commit on or before it, for an audit window); BASE...HEAD starts where HEAD\n"
    "left BASE (their merge base); HEAD left out is the working tree, BASE left out the\n"
    "merge base with the default branch.",
    "[BASE..HEAD | BASE...HEAD | BASE] [--site DIR] [--format text|markdown|html|json]\n"
    "       [--out DIR] [--output FILE] [--fail-on never|new] [--as-of YYYY-MM-DD]\n"
    "       [--redline-url URL]",
    "exit status: 0 shown, 1 with --fail-on new when the change introduces findings, 2 usage,\n"
    "configuration, git or IO error.\n",
    options,
    cmd_diff,
};

typedef struct diff_opts {
    const char *site, *format, *out, *output, *fail_on, *as_of, *redline_url;
} diff_opts;

static int on_option(void *ctx, int opt, const char *value)
{
    diff_opts *o = ctx;
    const char **slots[] = {[OPT_SITE] = &o->site,
                            [OPT_FORMAT] = &o->format,
                            [OPT_OUT] = &o->out,
                            [OPT_OUTPUT] = &o->output,
                            [OPT_FAIL_ON] = &o->fail_on,
                            [OPT_AS_OF] = &o->as_of,
                            [OPT_REDLINE_URL] = &o->redline_url};
    *slots[opt] = value;
    return 0;
}

/* One side, loaded, parsed with its HTML (into a scratch file in tmp) and
 * checked. */
typedef struct side {
    char rev[41];
    char *root; /* the site folder: the real one, or its export */
    site *s;
    parsed *pp;
    diags *d;
    int scratch;
    buf label;
} side;

static int load_side(side *sd, long as_of, const char *tmp, diags *d)
{
    sd->d = diag_new(sd->root);
    if (site_load(&sd->s, sd->root, as_of, sd->d) != 0 || checks_configure(sd->s, sd->d) != 0) {
        /* The site of that revision cannot be read: say which. */
        size_t n;
        const diag_entry *e = diag_entries(sd->d, &n);
        return diag_error(d, NULL, 0, 0, "diff", "cannot read the site of %s: %s", sd->label.data,
                          n ? e[n - 1].message : "unknown error");
    }
    sd->scratch = open(tmp, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (sd->scratch < 0)
        return diag_error(d, NULL, 0, 0, "diff", "cannot create a scratch file in '%s': %s", tmp,
                          strerror(errno));
    sd->pp = parse_site(sd->s, sd->scratch, sd->d);
    checks_run(sd->s, sd->pp, sd->d);
    checks_tune(sd->s, sd->d);
    return 0;
}

static void release_side(side *sd)
{
    parsed_free(sd->pp);
    site_free(sd->s);
    diag_free(sd->d);
    if (sd->scratch > 0)
        close(sd->scratch);
    free(sd->root);
    buf_release(&sd->label);
}

/* Resolves rev for the label "rev (abc1234)". 0 or -1 after reporting. */
/* A revision, or a day as --at reads one: its last commit on or before. */
static int resolve(side *sd, const char *site_dir, const char *rev, diags *d)
{
    long day;
    if (date_parse(&day, rev, strlen(rev)) == 0 ? history_at(sd->rev, &day, site_dir, rev, d) != 0
                                                : history_resolve(sd->rev, site_dir, rev, d) != 0)
        return -1;
    buf_printf(&sd->label, "%s (%.7s)", rev, sd->rev);
    return 0;
}

/* One file name as charter check names it: from the working directory
 * ("policies/content/access.md" with --site policies). */
static void shown_name(char **file, const char *root)
{
    if (!*file)
        return;
    buf b;
    buf_init(&b);
    diag_shown_file(&b, root, *file);
    free(*file);
    *file = buf_detach(&b);
}

/* The result's files named from the working directory, as check's. */
static void shown_names(diff_result *r, const diags *d)
{
    char *root = diag_shown_root(d);
    for (size_t i = 0; i < r->n_pages; i++) {
        shown_name(&r->pages[i].old_file, root);
        shown_name(&r->pages[i].new_file, root);
    }
    for (size_t i = 0; i < r->n_added; i++)
        shown_name(&r->added[i].file, root);
    for (size_t i = 0; i < r->n_fixed; i++)
        shown_name(&r->fixed[i].file, root);
    free(root);
}

int cmd_diff(int argc, char **argv)
{
    diff_opts o = {.format = "text", .fail_on = "never"};
    const char *args[1] = {NULL};
    int n_args = 0;
    int rc = cli_parse_args(&cmd_diff_def, argc, argv, on_option, &o, args, 1, &n_args);
    if (rc != 0)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    o.site = cmd_site(o.site);
    long as_of;
    if (cmd_parse_as_of(&as_of, &cmd_diff_def, o.as_of) != 0)
        return EXIT_USAGE;
    int fmt_html = !strcmp(o.format, "html");
    if (strcmp(o.format, "text") && strcmp(o.format, "markdown") && !fmt_html &&
        strcmp(o.format, "json")) {
        cli_usage_error(&cmd_diff_def, "unknown format '%s' (text, markdown, html or json)",
                        o.format);
        return EXIT_USAGE;
    }
    if (fmt_html != (o.out != NULL)) {
        cli_usage_error(&cmd_diff_def,
                        fmt_html ? "--format html needs --out DIR" : "--out is for --format html");
        return EXIT_USAGE;
    }
    if (fmt_html && o.output) {
        /* Never written (HEAD~1 said nothing of it). */
        cli_usage_error(&cmd_diff_def, "--output is for text, markdown and json; --format html "
                                       "writes its pages to --out");
        return EXIT_USAGE;
    }
    if (strcmp(o.fail_on, "never") && strcmp(o.fail_on, "new")) {
        cli_usage_error(&cmd_diff_def, "unknown --fail-on '%s' (never or new)", o.fail_on);
        return EXIT_USAGE;
    }

    int status = EXIT_USAGE;
    diags *d = diag_new(o.site);
    side base = {.scratch = -1}, head = {.scratch = -1};
    buf_init(&base.label);
    buf_init(&head.label);
    buf range_base, range_head, def, tmp, path, report;
    buf_init(&range_base);
    buf_init(&range_head);
    buf_init(&def);
    buf_init(&tmp);
    buf_init(&path);
    buf_init(&report);
    diff_result *r = NULL;
    map *evidence = NULL, *moved = NULL;
    int made_tmp = 0;

    /* BASE..HEAD, BASE...HEAD (from where HEAD left BASE, as git reads
     * it), BASE, or nothing (from where the work left the default
     * branch). */
    const char *range = args[0] ? args[0] : "";
    const char *dots = strstr(range, "..");
    int three = dots && dots[2] == '.';
    if (dots) {
        buf_add(&range_base, range, (size_t)(dots - range));
        buf_adds(&range_head, dots + 2 + three);
    } else {
        buf_adds(&range_base, range);
    }
    if (three && !range_base.len) {
        diag_error(d, NULL, 0, 0, "usage", "'%s' names no base before '...'", range);
        goto done;
    }
    if (three) {
        buf_adds(&def, range_base.data); /* the merge base of it, below */
        buf_reset(&range_base);
    } else if (!range_base.len && history_default_branch(&def, o.site) != 0) {
        /* Outside git, that (history_resolve says it); else no branch. */
        char head_id[41];
        if (history_resolve(head_id, o.site, "HEAD", d) == 0)
            diag_error(d, NULL, 0, 0, "diff",
                       "no default branch (main, master or origin/HEAD) to compare with: name "
                       "the base, as in 'charter diff main..HEAD'");
        goto done;
    }
    if (range_head.len) {
        if (resolve(&head, o.site, range_head.data, d) != 0)
            goto done;
    } else {
        buf_adds(&head.label, "the working tree");
    }
    if (range_base.len) {
        if (resolve(&base, o.site, range_base.data, d) != 0)
            goto done;
    } else {
        /* Where the change left the default branch. */
        char tip[41], at[41];
        if (history_resolve(tip, o.site, def.data, d) != 0 ||
            history_resolve(at, o.site, range_head.len ? head.rev : "HEAD", d) != 0 ||
            history_merge_base(base.rev, o.site, tip, at, d) != 0)
            goto done;
        buf_printf(&base.label, "%s where %s left it (%.7s)", def.data,
                   range_head.len ? range_head.data : "the work", base.rev);
    }

    const char *t = getenv("TMPDIR");
    buf_printf(&tmp, "%s/charter-diff-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmp.data)) {
        diag_error(d, NULL, 0, 0, "diff", "cannot create '%s': %s", tmp.data, strerror(errno));
        goto done;
    }
    made_tmp = 1;
    side *sides[2] = {&base, &head};
    for (int i = 0; i < 2; i++) {
        side *sd = sides[i];
        if (!sd->rev[0]) {
            sd->root = xstrdup(o.site); /* the working tree */
            continue;
        }
        buf_reset(&path);
        buf_printf(&path, "%s/%s", tmp.data, i ? "head" : "base");
        if (mkdir(path.data, 0700) != 0 || history_export(o.site, sd->rev, path.data, d) != 0 ||
            build_at_config(path.data, o.site, sd->rev, d) < 0)
            goto done;
        sd->root = xstrdup(path.data);
    }
    watchdog_start(NULL, NULL, NULL);
    for (int i = 0; i < 2; i++)
        if (load_side(sides[i], as_of, tmp.data, d) != 0)
            goto done;

    /* git's evidence and renames (the work tree's read with its ignore
     * rules, from files a library call cannot be interrupted in): bounded
     * as the history is. */
    int timed = watchdog_enter(NULL, "reading git's evidence and renames",
                               head.s->cfg.limits.history_seconds, "limits.history_seconds");
    char head_commit[41] = "";
    if (head.rev[0])
        memcpy(head_commit, head.rev, sizeof head_commit);
    else
        history_resolve(head_commit, o.site, "HEAD", d);
    evidence = history_evidence(o.site, base.rev, head_commit, d);
    diff_side a = {base.label.data, base.rev, base.s, base.pp, base.d};
    diff_side b = {head.label.data, head.rev[0] ? head.rev : NULL, head.s, head.pp, head.d};
    moved = history_renames(o.site, base.rev, head.rev[0] ? head.rev : NULL, d);
    watchdog_leave(timed);
    watchdog_stop();
    r = diff_compare(&a, &b, evidence, moved);
    shown_names(r, d);

    if (fmt_html) {
        /* Never over the site's own sources. */
        buf srcs[5];
        const char *dirs[] = {".", head.s->cfg.layouts, head.s->cfg.controls, head.s->cfg.assets,
                              head.s->cfg.content};
        const char *sources[6] = {0};
        for (int i = 0; i < 5; i++)
            buf_init(&srcs[i]);
        for (int i = 0; i < 5 - !strcmp(head.s->cfg.content, "."); i++) {
            site_path(&srcs[i], head.s, dirs[i]);
            sources[i] = srcs[i].data;
        }
        rc = diff_write_html(r, o.out, sources, d);
        for (int i = 0; i < 5; i++)
            buf_release(&srcs[i]);
        if (rc != 0)
            goto done;
        fprintf(stderr, "wrote the redline to '%s' (index.html)\n", o.out);
    } else {
        if (!strcmp(o.format, "text"))
            diff_write_text(&report, r, !o.output && cmd_color(1));
        else if (!strcmp(o.format, "markdown"))
            diff_write_markdown(&report, r, DIFF_MARKDOWN_LIMIT, o.redline_url);
        else
            diff_write_json(&report, r);
        if (o.output) {
            /* Never over the work tree's sources (head is the work tree's
             * site, or a commit's, whose folders are named alike). */
            if (cmd_write_report(o.output, report.data, report.len, head.s, o.site, d) != 0)
                goto done;
        } else {
            fwrite(report.data, 1, report.len, stdout);
        }
    }
    status = !strcmp(o.fail_on, "new") && r->n_added ? EXIT_FINDINGS : EXIT_OK;
done:
    watchdog_stop();
    cmd_print_diags(d);
    diff_result_free(r);
    map_free(evidence);
    history_renames_free(moved);
    release_side(&base);
    release_side(&head);
    if (made_tmp) {
        diags *quiet = diag_new(NULL);
        fs_remove_tree(tmp.data, quiet);
        diag_free(quiet);
    }
    diag_free(d);
    buf_release(&range_base);
    buf_release(&range_head);
    buf_release(&def);
    buf_release(&tmp);
    buf_release(&path);
    buf_release(&report);
    return status;
}
