/* cmd_common: what the subcommands share: reading --as-of, printing the
 * diagnostics as text and timing the stages (declared in commands.h). */
#include "commands.h"
#include "heap.h"
#include "history.h"
#include "output.h"
#include "paths.h"
#include "site.h"

#include "dates.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int cmd_parse_as_of(long *out, const cli_command *cmd, const char *value)
{
    /* Without --as-of, SOURCE_DATE_EPOCH (reproducible-builds.org) names
     * the day, so a rebuild needs no option to give the same bytes; only
     * without either is it today's. */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!value && sde && *sde) {
        char *end;
        errno = 0;
        long long secs = strtoll(sde, &end, 10);
        if (*end || errno || secs < 0 || secs > 253402300799LL) /* 9999-12-31 */
            return cli_usage_error(cmd,
                                   "SOURCE_DATE_EPOCH must be a number of seconds since "
                                   "1970-01-01, not '%s'",
                                   sde);
        *out = (long)(secs / 86400);
        return 0;
    }
    if (!value) {
        *out = date_today();
        return 0;
    }
    if (date_parse(out, value, strlen(value)) != 0)
        return cli_usage_error(cmd, "'--as-of' must be a date (YYYY-MM-DD), not '%s'", value);
    return 0;
}

int cmd_resolve_at(char commit[41], long *as_of, int as_of_given, const char *root,
                   const char *when)
{
    long day;
    diags *d = diag_new(root);
    int err = history_at(commit, &day, root, when, d);
    if (err != 0)
        cmd_print_diags(d);
    else if (!as_of_given)
        *as_of = day;
    diag_free(d);
    return err;
}

int cmd_color(int fd)
{
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
    return isatty(fd) && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
}

int cmd_print_diags(diags *d)
{
    diag_print_text(d, stderr, cmd_color(2));
    return 0;
}

/* The process's CPU time so far, user and system, and its peak size. */
static double process_cpu(long *rss_mb)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) {
        *rss_mb = 0;
        return 0;
    }
    *rss_mb = ru.ru_maxrss / 1024;
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

void stage_clock_init(stage_clock *c)
{
    const char *env = getenv("CHARTER_TIMINGS");
    memset(c, 0, sizeof *c);
    c->on = env && *env;
    clock_gettime(CLOCK_MONOTONIC, &c->last);
    long rss;
    c->last_cpu = process_cpu(&rss);
}

void stage_clock_mark(stage_clock *c, const char *name)
{
    if (!c || !c->on || c->n == (int)(sizeof c->secs / sizeof *c->secs))
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double cpu = process_cpu(&c->rss_mb[c->n]);
    c->cpu[c->n] = cpu - c->last_cpu;
    c->last_cpu = cpu;
    c->names[c->n] = name;
    c->secs[c->n++] =
        (double)(now.tv_sec - c->last.tv_sec) + (double)(now.tv_nsec - c->last.tv_nsec) / 1e9;
    c->last = now;
}

void stage_clock_note(stage_clock *c, const char *fmt, ...)
{
    if (!c || !c->on)
        return;
    size_t len = strlen(c->note);
    if (len && len + 2 < sizeof c->note) {
        memcpy(c->note + len, "; ", 3);
        len += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->note + len, sizeof c->note - len, fmt, ap);
    va_end(ap);
}

void stage_clock_print(const stage_clock *c)
{
    if (!c->on)
        return;
    fputs("charter: timings:", stderr);
    for (int i = 0; i < c->n; i++)
        fprintf(stderr, "%s %s %.3f s (cpu %.2f s, peak %ld MB)", i ? "," : "", c->names[i],
                c->secs[i], c->cpu[i], c->rss_mb[i]);
    if (c->note[0])
        fprintf(stderr, "; %s", c->note);
    if (heap_tuned() || heap_padded())
        fprintf(stderr, "; malloc with %s%s%s", heap_tuned() ? "huge pages" : "",
                heap_tuned() && heap_padded() ? " and " : "",
                heap_padded() ? "a 16 MB top pad" : "");
    fputc('\n', stderr);
}

/* dir/rel, as the user names it ("." is dir itself). */
static void user_path(buf *out, const char *dir, const char *rel)
{
    if (!strcmp(rel, "."))
        buf_adds(out, dir);
    else if (rel[0] == '/')
        buf_adds(out, rel);
    else
        path_join(out, dir, rel);
}

/* Whether the file at path is one of charter's reports (its first 4 KB
 * name charter, as every format's opening does): one a run may replace. */
static int is_report(const char *path)
{
    char head[4097];
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, head, sizeof head - 1);
    close(fd);
    if (n <= 0)
        return n == 0;
    head[n] = '\0';
    return strstr(head, "charter") != NULL;
}

/* With no settings read (they failed): never over the usual sources, nor
 * over a file that is no report of charter's. */
static int write_report_unread(const char *path, const char *data, size_t len, const char *dir,
                               diags *d)
{
    static const char *const usual[] = {"site.yml", "_config.yml", ".git",     "content",
                                        "layouts",  "controls",    "assets",   "archetypes",
                                        "docs",     "_layouts",    "_includes"};
    enum { N = sizeof usual / sizeof *usual };
    struct stat st;
    if (lstat(path, &st) == 0 && !(S_ISREG(st.st_mode) && is_report(path)))
        return diag_error(d, NULL, 0, 0, "output",
                          "refusing to write '%s': the site's settings could not be read to tell "
                          "it from a source, and it is no report of charter's",
                          path);
    buf srcs[N];
    const char *sources[N + 1] = {0};
    for (size_t i = 0; i < N; i++) {
        buf_init(&srcs[i]);
        user_path(&srcs[i], dir, usual[i]);
        sources[i] = srcs[i].data;
    }
    int err = output_write_file(path, data, len, sources, d);
    for (size_t i = 0; i < N; i++)
        buf_release(&srcs[i]);
    return err;
}

int cmd_write_report(const char *path, const char *data, size_t len, const site *s, const char *dir,
                     diags *d)
{
    if (!s)
        return write_report_unread(path, data, len, dir, d);
    /* What the site is read from: site.yml (or Jekyll's _config.yml in its
     * stead), its folders, its static folders, and the repository's own
     * .git (a report there would break it); with the content at the root,
     * not the whole site. */
    int at_root = !strcmp(s->cfg.content, "."), err = -1;
    size_t n = 0, cap = 9 + s->cfg.n_statics;
    const char *fixed[] = {"site.yml",
                           "_config.yml",
                           ".git",
                           s->cfg.layouts,
                           s->cfg.controls,
                           s->cfg.assets,
                           s->cfg.archetypes,
                           at_root ? NULL : s->cfg.content};
    buf *srcs = xcalloc(cap, sizeof *srcs);
    const char **sources = xcalloc(cap + 1, sizeof *sources);
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed + s->cfg.n_statics; i++) {
        const char *rel = i < sizeof fixed / sizeof *fixed
                              ? fixed[i]
                              : s->cfg.statics[i - sizeof fixed / sizeof *fixed];
        if (!rel || !strcmp(rel, "."))
            continue;
        buf_init(&srcs[n]);
        user_path(&srcs[n], dir, rel);
        sources[n] = srcs[n].data;
        n++;
    }
    buf target, root;
    buf_init(&target);
    buf_init(&root);
    /* Content at the site root is not the whole site (the report may sit
     * beside the pages), but never one of its pages or published files. */
    if (at_root && output_resolve(&target, path) == 0 && output_resolve(&root, dir) == 0 &&
        path_is_within(target.data, root.data) && strcmp(target.data, root.data) != 0) {
        const char *rel = target.data + root.len + (root.data[root.len - 1] != '/');
        if (map_get(s->by_rel, rel) || site_static_by_out(s, rel)) {
            diag_error(d, NULL, 0, 0, "output",
                       "refusing to write '%s': it is the site's source '%s'", path, rel);
            goto done;
        }
    }
    err = output_write_file(path, data, len, sources, d);
done:
    for (size_t i = 0; i < n; i++)
        buf_release(&srcs[i]);
    free(srcs);
    free(sources);
    buf_release(&target);
    buf_release(&root);
    return err;
}

const char *cmd_site(const char *given)
{
    static buf above;
    struct stat st;
    if (given)
        return given;
    if ((stat("site.yml", &st) == 0 && S_ISREG(st.st_mode)) ||
        (stat("_config.yml", &st) == 0 && S_ISREG(st.st_mode)))
        return ".";
    if (above.data)
        buf_reset(&above);
    else
        buf_init(&above);
    return site_find_above(&above, ".") == 0 ? above.data : ".";
}
