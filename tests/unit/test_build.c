/* Unit tests for build_run's hook for the preview server: a build that
 * succeeds calls build_request's `published` once its output is in place,
 * before it frees its model and writes its caches and stamp; a build that
 * fails, or finds its output up to date, does not. */
#include <criterion/criterion.h>

#include "unit.h"

#include "build.h"
#include "dates.h"
#include "fs.h"

#include <dirent.h>
#include <git2.h>
#include <limits.h>
#include <string.h>
#include <time.h>

static char sandbox[PATH_MAX];

static void sandbox_init(void)
{
    unit_mkdtemp(sandbox, sizeof sandbox, "build");
    git_libgit2_init();
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/site", sandbox);
    git_repository *repo = NULL;
    cr_assert_eq(git_repository_init(&repo, p.data, 0), 0);
    git_repository_free(repo);
    buf_release(&p);
    unit_put(sandbox, "site/site.yml", "title: T\n");
    unit_put(sandbox, "site/content/index.md",
             "---\ntitle: Home\nowner: A\nlast_reviewed: 2026-10-01\n---\n# Home\n");
}

static void sandbox_fini(void)
{
    unit_remove(sandbox);
    git_libgit2_shutdown();
}

/* Whether the build's stamp (<git dir>/charter/stamp-*) has been written. */
static int stamped(void)
{
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/site/.git/charter", sandbox);
    int found = 0;
    DIR *dir = opendir(p.data);
    for (struct dirent *e; dir && (e = readdir(dir));)
        found |= !strncmp(e->d_name, "stamp-", 6);
    if (dir)
        closedir(dir);
    buf_release(&p);
    return found;
}

typedef struct seen {
    int calls;
    int output_in_place; /* the new home page, when called */
    int stamp_written;   /* the stamp already there, when called */
    size_t pages;
    size_t errors;
} seen;

static void on_published(void *ctx, const build_result *res, diags *d)
{
    seen *s = ctx;
    s->calls++;
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/out/index.html", sandbox);
    buf html;
    buf_init(&html);
    diags *quiet = diag_new(NULL);
    s->output_in_place = fs_read(&html, p.data, NULL, quiet) == 0 && strstr(html.data, "Home");
    buf_release(&html);
    diag_free(quiet);
    buf_release(&p);
    s->stamp_written = stamped();
    s->pages = res->pages;
    s->errors = diag_count(d, DIAG_ERROR);
}

static int build(seen *s, build_result *res)
{
    buf site, out;
    buf_init(&site);
    buf_init(&out);
    buf_printf(&site, "%s/site", sandbox);
    buf_printf(&out, "%s/out", sandbox);
    build_request r = {
        .site = site.data, .out = out.data, .published = on_published, .published_ctx = s};
    r.as_of = date_from_civil(2026, 11, 25);
    diags *d = diag_new(site.data);
    int status = build_run(res, &r, NULL, d);
    diag_free(d);
    buf_release(&site);
    buf_release(&out);
    return status;
}

Test(build, published_before_release, .init = sandbox_init, .fini = sandbox_fini)
{
    seen s = {0};
    build_result res;
    cr_assert_eq(build(&s, &res), EXIT_OK);
    build_result_release(&res);
    cr_expect_eq(s.calls, 1);
    cr_expect(s.output_in_place, "the output is in place when the build says so");
    cr_expect(!s.stamp_written, "called before the stamp is written");
    cr_expect_eq(s.pages, 1);
    cr_expect_eq(s.errors, 0);
    cr_expect(stamped(), "the stamp written after");
}

Test(build, not_published_when_up_to_date, .init = sandbox_init, .fini = sandbox_fini)
{
    /* Past the racy window (FS_RACY_NS) of each build: a stamp does not
     * vouch for a file changed within it. */
    struct timespec pause = {0, 3 * FS_RACY_NS};
    nanosleep(&pause, NULL);
    seen s = {0};
    build_result res;
    cr_assert_eq(build(&s, &res), EXIT_OK);
    build_result_release(&res);
    cr_assert_eq(s.calls, 1);
    nanosleep(&pause, NULL);
    cr_assert_eq(build(&s, &res), EXIT_OK);
    cr_expect(res.unchanged, "the stamp held");
    build_result_release(&res);
    cr_expect_eq(s.calls, 1, "nothing new put in place");
}

Test(build, not_published_when_failed, .init = sandbox_init, .fini = sandbox_fini)
{
    unit_put(sandbox, "site/content/index.md", "---\ntitle: Home\n---\n# Home\n");
    seen s = {0};
    build_result res;
    cr_assert_eq(build(&s, &res), EXIT_FINDINGS);
    build_result_release(&res);
    cr_expect_eq(s.calls, 0);
}
