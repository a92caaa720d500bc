/* test_fs: the file primitives in a sandbox per test: fs_read (regular files
 * only, the size cap), fs_list's bytewise order, fs_root_init, what
 * fs_source_kind makes of files, folders, FIFOs and symbolic links inside,
 * outside and in loops (with the exact messages), the limits of
 * fs_open_source and fs_read_source, fs_write_fd and fs_mkdirs, and the
 * trace of what a build read (records, changes seen, racy and unstable). */
#include "unit.h"

#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

/* The sandbox, resolved (no symbolic links): the site is <sb>/site, and
 * <sb>/outside is what links may not reach. */
static char sb[PATH_MAX];

/* Returns tmpl with every '@' replaced by the sandbox's path; caller frees. */
static char *expand(const char *tmpl)
{
    buf b;
    buf_init(&b);
    for (const char *p = tmpl; *p; p++) {
        if (*p == '@')
            buf_adds(&b, sb);
        else
            buf_addc(&b, *p);
    }
    return buf_detach(&b);
}

static void put(const char *rel, const char *text)
{
    char *p = expand(rel);
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_write(p, text, strlen(text), d), 0, "cannot write %s", p);
    diag_free(d);
    free(p);
}

static void link_to(const char *target, const char *rel)
{
    char *p = expand(rel);
    cr_assert_eq(symlink(target, p), 0, "symlink %s: %s", p, strerror(errno));
    free(p);
}

static void fifo_at(const char *rel)
{
    char *p = expand(rel);
    cr_assert_eq(mkfifo(p, 0600), 0, "mkfifo %s: %s", p, strerror(errno));
    free(p);
}

static void expect_diags(diags *d, const char *tmpl, const char *what)
{
    char *want = expand(tmpl);
    char *got = unit_diag_text(d);
    cr_expect_str_eq(got, want, "%s: diagnostics", what);
    free(got);
    free(want);
}

static void sandbox_setup(void)
{
    unit_mkdtemp(sb, sizeof sb, "fs");
    put("@/site/file.txt", "hello");
    put("@/site/dir/inner.txt", "inner");
    put("@/outside/secret", "secret");
    fifo_at("@/site/fifo");
    link_to("file.txt", "@/site/link-file");
    link_to("dir", "@/site/link-dir");
    link_to("nothing-here", "@/site/dangling");
    link_to("../outside/secret", "@/site/out-file");
    link_to("../outside", "@/site/out-dir");
    link_to("loop", "@/site/loop");
    link_to("loop-b", "@/site/loop-a");
    link_to("loop-a", "@/site/loop-b");
    /* Links whose targets are not there: out of the site, or inside it. */
    link_to("../outside/not-there", "@/site/out-missing");
    char *abs_out = expand("@/outside/not-there"), *abs_in = expand("@/site/not-there");
    link_to(abs_out, "@/site/out-abs-missing");
    link_to(abs_in, "@/site/in-abs-missing");
    free(abs_out);
    free(abs_in);
    link_to("link-dir/../../outside/none", "@/site/out-through-link");
    link_to("link-dir/none", "@/site/in-through-link");
}

static void sandbox_teardown(void)
{
    unit_remove(sb);
}

TestSuite(fs, .init = sandbox_setup, .fini = sandbox_teardown);

/* ---- fs_read ---- */

static const struct {
    const char *path, *shown; /* '@' is the sandbox */
    int rc;
    const char *contents, *diags;
} read_cases[] = {
    {"@/site/file.txt", NULL, 0, "pre:hello", ""},
    {"@/site/link-file", NULL, 0, "pre:hello", ""}, /* fs_read itself follows links */
    {"@/site/dir", NULL, -1, "pre:",
     "-:0:0: error: cannot read '@/site/dir': it is a directory, not a regular file [io]\n"},
    {"@/site/fifo", NULL, -1,
     "pre:", "-:0:0: error: cannot read '@/site/fifo': it is a FIFO, not a regular file [io]\n"},
    {"/dev/null", NULL, -1,
     "pre:", "-:0:0: error: cannot read '/dev/null': it is a device, not a regular file [io]\n"},
    {"@/site/missing", NULL, -1,
     "pre:", "-:0:0: error: cannot read '@/site/missing': No such file or directory [io]\n"},
    {"@/site/missing", "shown.txt", -1,
     "pre:", "-:0:0: error: cannot read 'shown.txt': No such file or directory [io]\n"},
    {"@/site/dir", "shown.txt", -1,
     "pre:", "-:0:0: error: cannot read 'shown.txt': it is a directory, not a regular file [io]\n"},
};

Test(fs, read_regular_files_only)
{
    for (size_t i = 0; i < COUNT(read_cases); i++) {
        char *path = expand(read_cases[i].path);
        buf b;
        buf_init(&b);
        buf_adds(&b, "pre:");
        diags *d = diag_new(NULL);
        cr_expect_eq(fs_read(&b, path, read_cases[i].shown, d), read_cases[i].rc, "%s", path);
        cr_expect_str_eq(b.data, read_cases[i].contents, "%s", path);
        cr_expect_eq(b.len, strlen(read_cases[i].contents), "%s", path);
        expect_diags(d, read_cases[i].diags, path);
        diag_free(d);
        buf_release(&b);
        free(path);
    }
}

/* fs_read_nofollow reads what fs_read reads, but not through a link at the
 * path itself (a link in a parent directory is still followed). */
Test(fs, read_nofollow)
{
    static const struct {
        const char *path;
        int rc;
        const char *contents, *diags;
    } cases[] = {
        {"@/site/file.txt", 0, "hello", ""},
        {"@/site/link-dir/inner.txt", 0, "inner", ""},
        {"@/site/link-file", -1, "",
         "-:0:0: error: cannot read '@/site/link-file': it is a symbolic link [io]\n"},
        {"@/site/dangling", -1, "",
         "-:0:0: error: cannot read '@/site/dangling': it is a symbolic link [io]\n"},
        {"@/site/fifo", -1, "",
         "-:0:0: error: cannot read '@/site/fifo': it is a FIFO, not a regular file [io]\n"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        char *path = expand(cases[i].path);
        buf b;
        buf_init(&b);
        diags *d = diag_new(NULL);
        cr_expect_eq(fs_read_nofollow(&b, path, NULL, d), cases[i].rc, "%s", path);
        cr_expect_str_eq(b.len ? b.data : "", cases[i].contents, "%s", path);
        expect_diags(d, cases[i].diags, path);
        diag_free(d);
        buf_release(&b);
        free(path);
    }
}

/* A sparse file one byte over FS_READ_MAX: refused (after reading the cap,
 * not the whole file), with nothing appended. */
Test(fs, read_size_cap)
{
    char *path = expand("@/big");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert_geq(fd, 0);
    cr_assert_eq(ftruncate(fd, (off_t)FS_READ_MAX + 1), 0);
    close(fd);
    buf b;
    buf_init(&b);
    diags *d = diag_new(NULL);
    cr_expect_eq(fs_read(&b, path, "big", d), -1);
    cr_assert_diag(d, "-:0:0: error: cannot read 'big': it is larger than 268435456 bytes [io]\n");
    diag_free(d);
    buf_release(&b);
    unlink(path);
    free(path);
}

/* fs_read_head: at most `max` bytes of a regular file reached without a
 * link, appended; nothing reported. */
/* fs_pread_all: exactly the bytes asked for at an offset, or -1 when the
 * file ends before them. */
Test(fs, pread_all)
{
    char *path = expand("@/site/file.txt");
    int fd = open(path, O_RDONLY);
    cr_assert_geq(fd, 0);
    char got[8] = {0};
    cr_expect_eq(fs_pread_all(fd, got, 3, 1), 0);
    cr_expect_str_eq(got, "ell");
    cr_expect_eq(fs_pread_all(fd, got, 5, 0), 0);
    cr_expect_eq(memcmp(got, "hello", 5), 0);
    cr_expect_eq(fs_pread_all(fd, got, 3, 3), -1, "read past the end");
    cr_expect_eq(fs_pread_all(fd, got, 0, 99), 0, "nothing asked");
    close(fd);
    free(path);
}

Test(fs, read_head)
{
    static const struct {
        const char *path;
        size_t max;
        int rc;
        const char *contents;
    } cases[] = {
        {"@/site/file.txt", 3, 0, "hel"},
        {"@/site/file.txt", 5, 0, "hello"},
        {"@/site/file.txt", 64, 0, "hello"},
        {"@/site/link-file", 64, -1, ""},
        {"@/site/dangling", 64, -1, ""},
        {"@/site/fifo", 64, -1, ""},
        {"@/site", 64, -1, ""},
        {"@/site/missing", 64, -1, ""},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        char *path = expand(cases[i].path);
        buf b;
        buf_init(&b);
        buf_adds(&b, ">");
        cr_expect_eq(fs_read_head(&b, path, cases[i].max), cases[i].rc, "%s", path);
        cr_expect_str_eq(b.data + 1, cases[i].contents, "%s (max %zu)", path, cases[i].max);
        buf_release(&b);
        free(path);
    }
}

/* ---- fs_list ---- */

Test(fs, list_sorted_bytewise)
{
    static const char *const names[] = {"b", "a", "B", "_x", "10", "9", ".h", "\xc3\xa9", "a b"};
    static const char *const sorted[] = {".h", "10", "9", "B", "_x", "a", "a b", "b", "\xc3\xa9"};
    buf p;
    buf_init(&p);
    for (size_t i = 0; i < COUNT(names); i++) {
        buf_reset(&p);
        buf_printf(&p, "@/list/%s", names[i]);
        put(p.data, "");
    }
    buf_release(&p);
    char *dir = expand("@/list");
    diags *d = diag_new(NULL);
    char **list = NULL;
    cr_assert_eq(fs_list(&list, dir, 0, d), 0);
    size_t n = 0;
    while (list[n])
        n++;
    cr_assert_eq(n, COUNT(sorted));
    for (size_t i = 0; i < n; i++)
        cr_expect_str_eq(list[i], sorted[i], "entry %zu", i);
    fs_list_free(list);
    cr_assert_diag(d, "");
    diag_free(d);
    free(dir);
}

static const struct {
    const char *dir;
    int missing_ok, rc;
    const char *entries; /* joined with ',' */
    const char *diags;
} list_cases[] = {
    {"@/nope", 1, 0, "", ""},
    {"@/nope", 0, -1, NULL,
     "@/nope:0:0: error: cannot read directory '@/nope': No such file or directory [io]\n"},
    {"@/site/file.txt", 1, -1, NULL,
     "@/site/file.txt:0:0: error: cannot read directory '@/site/file.txt': Not a directory "
     "[io]\n"},
    {"@/site/dir", 0, 0, "inner.txt", ""},
    {"@/site/link-dir", 0, 0, "inner.txt", ""},
};

Test(fs, list_missing_and_not_a_directory)
{
    for (size_t i = 0; i < COUNT(list_cases); i++) {
        char *dir = expand(list_cases[i].dir);
        diags *d = diag_new(NULL);
        char **list = (char **)1;
        cr_expect_eq(fs_list(&list, dir, list_cases[i].missing_ok, d), list_cases[i].rc, "%s", dir);
        if (list_cases[i].entries) {
            cr_assert_not_null(list, "%s", dir);
            buf got;
            buf_init(&got);
            for (char **p = list; *p; p++)
                buf_printf(&got, "%s%s", p == list ? "" : ",", *p);
            cr_expect_str_eq(got.data, list_cases[i].entries, "%s", dir);
            buf_release(&got);
            fs_list_free(list);
        } else {
            cr_expect_null(list, "%s", dir);
        }
        expect_diags(d, list_cases[i].diags, dir);
        diag_free(d);
        free(dir);
    }
}

/* ---- fs_root_init ---- */

Test(fs, root_init)
{
    char *site = expand("@/site");
    diags *d = diag_new(NULL);
    fs_root r;
    cr_assert_eq(fs_root_init(&r, site, d), 0);
    cr_expect_str_eq(r.path, site);
    cr_expect_str_eq(r.real, site); /* the sandbox is resolved already */
    fs_root_release(&r);
    cr_expect_null(r.path);
    cr_expect_null(r.real);
    fs_root_release(&r); /* twice is harmless */
    fs_root_release(NULL);

    /* Through a symbolic link: the path as given, the real one resolved. */
    link_to("site", "@/site-link");
    char *via = expand("@/site-link");
    cr_assert_eq(fs_root_init(&r, via, d), 0);
    cr_expect_str_eq(r.path, via);
    cr_expect_str_eq(r.real, site);
    fs_root_release(&r);

    /* NULL and "" are the current directory. */
    char cwd[PATH_MAX];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    char *real_cwd = realpath(cwd, NULL);
    static const char *const dots[] = {NULL, ""};
    for (size_t i = 0; i < COUNT(dots); i++) {
        cr_assert_eq(fs_root_init(&r, dots[i], d), 0);
        cr_expect_str_eq(r.path, ".");
        cr_expect_str_eq(r.real, real_cwd);
        fs_root_release(&r);
    }
    free(real_cwd);
    cr_assert_diag(d, "");

    /* A missing directory: reported, and nothing left to release. */
    char *missing = expand("@/nope");
    r.path = r.real = (char *)1;
    cr_expect_eq(fs_root_init(&r, missing, d), -1);
    cr_expect_null(r.path);
    cr_expect_null(r.real);
    expect_diags(
        d,
        "-:0:0: error: cannot read the site directory '@/nope': No such file or directory [io]\n",
        "missing root");
    diag_free(d);
    free(missing);
    free(via);
    free(site);
}

static const struct {
    const char *root, *rel, *want;
} root_path_cases[] = {
    {".", "content/a.md", "content/a.md"},
    {".", "", "."},
    {".", ".", "."},
    {"site", "", "site"},
    {"site", ".", "site"},
    {"site", "content/a.md", "site/content/a.md"},
    {"/abs/site/", "a", "/abs/site/a"},
};

Test(fs, root_path)
{
    for (size_t i = 0; i < COUNT(root_path_cases); i++) {
        fs_root r = {.path = (char *)root_path_cases[i].root};
        buf b;
        buf_init(&b);
        fs_root_path(&b, &r, root_path_cases[i].rel);
        cr_expect_str_eq(b.data, root_path_cases[i].want, "'%s' + '%s'", root_path_cases[i].root,
                         root_path_cases[i].rel);
        buf_release(&b);
    }
}

/* ---- fs_source_kind ---- */

static const struct {
    const char *rel;
    int kind; /* or -1 */
    const char *diags;
} kind_cases[] = {
    {"file.txt", FS_FILE, ""},
    {"dir", FS_DIR, ""},
    {"dir/inner.txt", FS_FILE, ""},
    {"missing", FS_MISSING, ""},
    {"dir/missing/deeper", FS_MISSING, ""},
    {"file.txt/below", FS_MISSING, ""},
    {"fifo", FS_SPECIAL, ""},
    {"link-file", FS_FILE, ""},
    {"link-dir", FS_DIR, ""},
    {"link-dir/inner.txt", FS_FILE, ""},
    {"dir/../file.txt", FS_FILE, ""},
    {"link-dir/../file.txt", FS_FILE, ""},
    {"dangling", FS_MISSING, ""},
    {"out-file", -1,
     "out-file:0:0: error: 'out-file' is a symbolic link to '../outside/secret', outside the "
     "site [unsafe-link]\n"},
    {"out-dir/secret", -1,
     "out-dir:0:0: error: 'out-dir' is a symbolic link to '../outside', outside the site "
     "[unsafe-link]\n"},
    {"dir/../../outside/secret", -1,
     "dir/../../outside/secret:0:0: error: 'dir/../../outside/secret' leads to "
     "'@/outside/secret', outside the site [unsafe-link]\n"},
    {"loop", -1, "loop:0:0: error: 'loop' leads into a loop of symbolic links [symlink-loop]\n"},
    /* Not there, judged by the links' text: out is out all the same. */
    {"out-missing", -1,
     "out-missing:0:0: error: 'out-missing' is a symbolic link to '../outside/not-there', "
     "outside the site [unsafe-link]\n"},
    {"out-missing/below", -1,
     "out-missing:0:0: error: 'out-missing' is a symbolic link to '../outside/not-there', "
     "outside the site [unsafe-link]\n"},
    {"out-abs-missing", -1,
     "out-abs-missing:0:0: error: 'out-abs-missing' is a symbolic link to "
     "'@/outside/not-there', outside the site [unsafe-link]\n"},
    {"out-through-link", -1,
     "out-through-link:0:0: error: 'out-through-link' is a symbolic link to "
     "'link-dir/../../outside/none', outside the site [unsafe-link]\n"},
    {"in-abs-missing", FS_MISSING, ""},
    {"in-through-link", FS_MISSING, ""},
    {"loop-a", -1,
     "loop-a:0:0: error: 'loop-a' leads into a loop of symbolic links [symlink-loop]\n"},
};

Test(fs, source_kind)
{
    char *site = expand("@/site");
    diags *root_d = diag_new(NULL);
    fs_root r;
    cr_assert_eq(fs_root_init(&r, site, root_d), 0);
    for (size_t i = 0; i < COUNT(kind_cases); i++) {
        diags *d = diag_new(NULL);
        struct stat st;
        memset(&st, 0, sizeof st);
        int kind = fs_source_kind(&r, kind_cases[i].rel, &st, d);
        cr_expect_eq(kind, kind_cases[i].kind, "%s: kind %d, want %d", kind_cases[i].rel, kind,
                     kind_cases[i].kind);
        if (kind == FS_FILE)
            cr_expect(S_ISREG(st.st_mode), "%s: stat of the target", kind_cases[i].rel);
        if (kind == FS_SPECIAL)
            cr_expect(S_ISFIFO(st.st_mode), "%s: stat of the target", kind_cases[i].rel);
        /* st may be NULL */
        cr_expect_eq(fs_source_kind(&r, kind_cases[i].rel, NULL, root_d), kind_cases[i].kind);
        expect_diags(d, kind_cases[i].diags, kind_cases[i].rel);
        diag_free(d);
    }
    fs_root_release(&r);
    diag_free(root_d);
    free(site);
}

/* A listing with kinds: every name of the folder, sorted, each with the
 * kind fs_source_kind gives when it is no link (and its own stat), links
 * left to fs_source_kind; the same through a folder reached by a link. The
 * folder is traced as listed, as fs_list_source traces it. */
Test(fs, list_source_stat)
{
    char *site = expand("@/site");
    diags *d = diag_new(NULL);
    fs_root r;
    cr_assert_eq(fs_root_init(&r, site, d), 0);
    fs_listing l;
    cr_assert_eq(fs_list_source_stat(&l, &r, ".", d), 0);
    char **want = NULL;
    cr_assert_eq(fs_list_source(&want, &r, ".", 0, d), 0);
    size_t n = 0;
    while (want[n])
        n++;
    cr_assert_eq(l.n, n);
    for (size_t i = 0; i < n; i++) {
        cr_expect_str_eq(l.names[i], want[i]);
        struct stat st;
        diags *quiet = diag_new(NULL);
        int kind = fs_source_kind(&r, l.names[i], &st, quiet);
        diag_free(quiet);
        struct stat own;
        char *path = expand("@/site/");
        buf full;
        buf_init(&full);
        buf_printf(&full, "%s%s", path, l.names[i]);
        cr_assert_eq(lstat(full.data, &own), 0);
        if (S_ISLNK(own.st_mode)) {
            cr_expect_eq(l.kinds[i], -1, "%s: a link, for fs_source_kind", l.names[i]);
        } else {
            cr_expect_eq(l.kinds[i], kind, "%s: kind %d, want %d", l.names[i], l.kinds[i], kind);
            cr_expect(l.sts[i].st_ino == st.st_ino && l.sts[i].st_dev == st.st_dev &&
                          l.sts[i].st_mode == st.st_mode && l.sts[i].st_size == st.st_size,
                      "%s: its stat", l.names[i]);
        }
        buf_release(&full);
        free(path);
    }
    cr_expect_null(l.names[n]);
    fs_list_free(want);
    fs_listing_release(&l);
    /* Through a link to a folder of the site: its names, their kinds. */
    cr_assert_eq(fs_list_source_stat(&l, &r, "link-dir", d), 0);
    cr_assert_eq(l.n, 1);
    cr_expect_str_eq(l.names[0], "inner.txt");
    cr_expect_eq(l.kinds[0], FS_FILE);
    cr_expect_eq(l.sts[0].st_size, 5);
    fs_listing_release(&l);
    /* A link leading out is not listed through. */
    diags *out = diag_new(NULL);
    cr_expect_eq(fs_list_source_stat(&l, &r, "out-dir", out), -1);
    cr_expect_eq(diag_count(out, DIAG_ERROR), 1);
    diag_free(out);
    fs_listing_release(&l); /* nothing to release: allowed */
    fs_listing_release(NULL);
    cr_expect_eq(diag_count(d, DIAG_ERROR), 0);
    fs_root_release(&r);
    diag_free(d);
    free(site);
}

/* The listing is traced as fs_list_source's is: the same record. */
Test(fs, list_source_stat_traced)
{
    char *site = expand("@/site");
    diags *d = diag_new(NULL);
    buf a, b;
    buf_init(&a);
    buf_init(&b);
    for (int k = 0; k < 2; k++) {
        fs_root r;
        cr_assert_eq(fs_root_init(&r, site, d), 0);
        fs_trace_start();
        if (k == 0) {
            char **list = NULL;
            cr_assert_eq(fs_list_source(&list, &r, "dir", 0, d), 0);
            fs_list_free(list);
        } else {
            fs_listing l;
            cr_assert_eq(fs_list_source_stat(&l, &r, "dir", d), 0);
            fs_listing_release(&l);
        }
        cr_assert_eq(fs_trace_stop(k == 0 ? &a : &b), 0);
        fs_root_release(&r);
    }
    cr_expect_str_eq(b.data, a.data);
    cr_expect(strstr(b.data, "inner.txt") == NULL, "the names are not traced: %s", b.data);
    buf_release(&a);
    buf_release(&b);
    diag_free(d);
    free(site);
}

/* ---- fs_open_source and fs_read_source ---- */

static const struct {
    const char *rel;
    size_t max;
    int rc;
    const char *contents, *diags;
} source_cases[] = {
    {"file.txt", 5, 0, "hello", ""},
    {"file.txt", 100, 0, "hello", ""},
    {"link-file", 5, 0, "hello", ""},
    {"dir/inner.txt", 5, 0, "inner", ""},
    {"file.txt", 4, -1, NULL,
     "file.txt:0:0: error: 'file.txt' is 5 bytes, over the limit of 4 (limits.test_bytes) "
     "[too-large]\n"},
    {"fifo", 100, -1, NULL,
     "fifo:0:0: error: 'fifo' is a FIFO, not a regular file [special-file]\n"},
    {"dir", 100, -1, NULL, "-:0:0: error: cannot read 'dir': Is a directory [io]\n"},
    {"missing", 100, -1, NULL,
     "-:0:0: error: cannot read 'missing': No such file or directory [io]\n"},
    {"dangling", 100, -1, NULL,
     "-:0:0: error: cannot read 'dangling': No such file or directory [io]\n"},
    {"out-file", 100, -1, NULL,
     "out-file:0:0: error: 'out-file' is a symbolic link to '../outside/secret', outside the "
     "site [unsafe-link]\n"},
    {"loop", 100, -1, NULL,
     "loop:0:0: error: 'loop' leads into a loop of symbolic links [symlink-loop]\n"},
};

Test(fs, open_source_limits)
{
    char *site = expand("@/site");
    diags *root_d = diag_new(NULL);
    fs_root r;
    cr_assert_eq(fs_root_init(&r, site, root_d), 0);
    for (size_t i = 0; i < COUNT(source_cases); i++) {
        const char *rel = source_cases[i].rel;
        diags *d = diag_new(NULL);
        int fd = 42;
        size_t size = 42;
        int rc = fs_open_source(&fd, &size, &r, rel, source_cases[i].max, "limits.test_bytes", d);
        cr_expect_eq(rc, source_cases[i].rc, "%s: open", rel);
        if (rc == 0) {
            cr_expect_geq(fd, 0, "%s", rel);
            cr_expect_eq(size, strlen(source_cases[i].contents), "%s: size", rel);
            char got[16] = "";
            cr_expect_eq(read(fd, got, sizeof got - 1), (ssize_t)size, "%s", rel);
            cr_expect_str_eq(got, source_cases[i].contents, "%s", rel);
            close(fd);
        } else {
            cr_expect_eq(fd, -1, "%s: fd", rel);
            cr_expect_eq(size, 0, "%s: size", rel);
        }
        expect_diags(d, source_cases[i].diags, rel);
        diag_free(d);

        /* fs_read_source: the same checks, and the bytes appended. */
        d = diag_new(NULL);
        buf b;
        buf_init(&b);
        buf_adds(&b, "pre:");
        cr_expect_eq(fs_read_source(&b, &r, rel, source_cases[i].max, "limits.test_bytes", d),
                     source_cases[i].rc, "%s: read", rel);
        if (source_cases[i].rc == 0) {
            cr_expect_eq(strncmp(b.data, "pre:", 4), 0, "%s", rel);
            cr_expect_str_eq(b.data + 4, source_cases[i].contents, "%s", rel);
        } else {
            cr_expect_str_eq(b.data, "pre:", "%s: nothing appended", rel);
        }
        expect_diags(d, source_cases[i].diags, rel);
        diag_free(d);
        buf_release(&b);
    }
    fs_root_release(&r);
    cr_assert_diag(root_d, "");
    diag_free(root_d);
    free(site);
}

/* ---- fs_describe_kind ---- */

Test(fs, describe_kind)
{
    static const struct {
        mode_t mode;
        const char *want;
    } cases[] = {
        {S_IFIFO, "a FIFO"},
        {S_IFSOCK, "a socket"},
        {S_IFCHR, "a device"},
        {S_IFBLK, "a device"},
        {S_IFDIR, "a directory"},
        {S_IFREG, "not a regular file"},
        {S_IFLNK, "not a regular file"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        struct stat st;
        memset(&st, 0, sizeof st);
        st.st_mode = cases[i].mode | 0644;
        buf b;
        buf_init(&b);
        buf_adds(&b, "it is ");
        fs_describe_kind(&b, &st);
        cr_expect_str_eq(b.data + 6, cases[i].want, "mode %o", (unsigned)cases[i].mode);
        buf_release(&b);
    }
}

/* ---- fs_write_fd ---- */

Test(fs, write_fd)
{
    /* Larger than a pipe or a page: written whole, read back the same. */
    size_t len = (size_t)3 << 20;
    char *data = malloc(len);
    cr_assert_not_null(data);
    for (size_t i = 0; i < len; i++)
        data[i] = (char)('a' + i % 23);
    char *path = expand("@/written");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert_geq(fd, 0);
    cr_expect_eq(fs_write_fd(fd, data, len), 0);
    cr_expect_eq(fs_write_fd(fd, "", 0), 0);
    close(fd);
    buf b;
    buf_init(&b);
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_read(&b, path, NULL, d), 0);
    cr_expect_eq(b.len, len);
    cr_expect_eq(memcmp(b.data, data, len), 0);
    buf_release(&b);

    /* Errors: -1 with errno, nothing reported. */
    errno = 0;
    cr_expect_eq(fs_write_fd(-1, "x", 1), -1);
    cr_expect_eq(errno, EBADF);
    fd = open(path, O_RDONLY);
    cr_assert_geq(fd, 0);
    errno = 0;
    cr_expect_eq(fs_write_fd(fd, "x", 1), -1);
    cr_expect_eq(errno, EBADF);
    close(fd);
    /* A full non-blocking pipe: the first write's EAGAIN is not retried. */
    int p[2];
    cr_assert_eq(pipe2(p, O_NONBLOCK), 0);
    errno = 0;
    cr_expect_eq(fs_write_fd(p[1], data, len), -1);
    cr_expect_eq(errno, EAGAIN);
    close(p[0]);
    close(p[1]);
    cr_assert_diag(d, "");
    diag_free(d);
    free(path);
    free(data);
}

/* ---- fs_mkdirs ---- */

static const struct {
    const char *path; /* '@' is the sandbox */
    int rc;
    const char *made; /* a directory that must exist afterwards */
    const char *diags;
} mkdirs_cases[] = {
    {"@/m/a/b/c", 0, "@/m/a/b/c", ""},
    {"@/m/a/b/c", 0, "@/m/a/b/c", ""}, /* again: already there */
    {"@/m/a", 0, "@/m/a", ""},
    {"@/m/t1//t2///", 0, "@/m/t1/t2", ""},
    {"@/site/link-dir/new", 0, "@/site/dir/new", ""},
    {"@/site/file.txt/sub", -1, NULL,
     "-:0:0: error: cannot create directory '@/site/file.txt/sub': Not a directory [io]\n"},
    {"@/site/file.txt/sub/deeper", -1, NULL,
     "-:0:0: error: cannot create directory '@/site/file.txt/sub/deeper': Not a directory "
     "[io]\n"},
};

Test(fs, mkdirs)
{
    for (size_t i = 0; i < COUNT(mkdirs_cases); i++) {
        char *path = expand(mkdirs_cases[i].path);
        diags *d = diag_new(NULL);
        cr_expect_eq(fs_mkdirs(path, d), mkdirs_cases[i].rc, "%s", path);
        if (mkdirs_cases[i].made) {
            char *made = expand(mkdirs_cases[i].made);
            cr_expect_eq(fs_is_dir(made), 1, "%s not made", made);
            free(made);
        }
        expect_diags(d, mkdirs_cases[i].diags, path);
        diag_free(d);
        free(path);
    }
}

/* A regular file already at path is no directory: fs_mkdirs once took
 * mkdir's EEXIST as success; it fails as `mkdir -p` does. */
Test(fs, mkdirs_over_a_file)
{
    char *path = expand("@/site/file.txt");
    diags *d = diag_new(NULL);
    cr_expect_eq(fs_mkdirs(path, d), -1);
    expect_diags(d, "-:0:0: error: cannot create directory '@/site/file.txt': File exists [io]\n",
                 path);
    diag_free(d);
    free(path);
}

/* The trace of a build's reads (fs_trace.c): what it records, and that
 * every kind of change to what was read makes fs_trace_holds say so. */
static fs_root trace_root;

/* Starts a trace, reads site/file.txt, lists site/dir, probes a missing
 * path, and returns the records (caller frees). */
static char *trace_reads(void)
{
    char *site = expand("@/site");
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_root_init(&trace_root, site, d), 0);
    fs_trace_start();
    buf text, out;
    buf_init(&text);
    buf_init(&out);
    char **list = NULL;
    cr_assert_eq(fs_read_source(&text, &trace_root, "file.txt", 100, "limit", d), 0);
    cr_assert_eq(fs_list_source(&list, &trace_root, "dir", 0, d), 0);
    cr_assert_eq(fs_source_kind(&trace_root, "not-yet", NULL, d), FS_MISSING);
    cr_assert_eq(fs_trace_stop(&out), 0);
    fs_list_free(list);
    fs_root_release(&trace_root);
    diag_free(d);
    buf_release(&text);
    free(site);
    return buf_detach(&out);
}

/* Far enough ahead that no record is racy. */
static long long later(void)
{
    return fs_trace_now() + 1000000000LL;
}

Test(fs, trace_records_and_holds)
{
    char *t = trace_reads();
    char *want = expand("f ");
    cr_expect(strstr(t, "\nl ") || !strncmp(t, "l ", 2), "a listed folder: %s", t);
    cr_expect(strstr(t, "m ") != NULL, "a missing path: %s", t);
    cr_expect(strstr(t, want) != NULL, "a file: %s", t);
    char *file = expand("@/site/file.txt"), *dir = expand("@/site/dir"),
         *missing = expand("@/site/not-yet");
    cr_expect(strstr(t, file) && strstr(t, dir) && strstr(t, missing), "absolute paths: %s", t);
    cr_expect_eq(fs_trace_holds(t, strlen(t), later()), 1, "nothing changed");
    /* Racy: the trace began as the file was last changed (its own change
     * time, not the clock's: on a busy machine more than the racy window
     * may pass between the write and this line). */
    struct stat st;
    cr_assert_eq(stat(file, &st), 0);
    long long changed = (long long)st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec;
    cr_expect_eq(fs_trace_holds(t, strlen(t), changed + 1), 0, "racy");
    cr_expect_eq(fs_trace_holds("x garbage\n", 10, later()), 0, "malformed");
    cr_expect_eq(fs_trace_holds("f 1 2\n", 6, later()), 0, "truncated record");
    free(t);
    free(want);
    free(file);
    free(dir);
    free(missing);
}

Test(fs, trace_sees_each_change)
{
    const char *what[] = {"the file's bytes (same size)", "the file's times only",
                          "a name added to the listed folder", "the missing path created",
                          "the file replaced by a link to the same bytes"};
    for (int k = 0; k < 5; k++) {
        put("@/site/file.txt", "hello");
        char *gone = expand("@/site/dir/new.txt"), *nyet = expand("@/site/not-yet"),
             *file = expand("@/site/file.txt");
        unlink(gone);
        unlink(nyet);
        /* An old mtime, so that a change in this clock tick still shows. */
        struct timespec old[2] = {{0, UTIME_OMIT}, {1000000000, 0}};
        cr_assert_eq(utimensat(AT_FDCWD, file, old, 0), 0);
        char *t = trace_reads();
        cr_assert_eq(fs_trace_holds(t, strlen(t), later()), 1, "before: %s", what[k]);
        if (k == 0) {
            put("@/site/file.txt", "HELLO");
        } else if (k == 1) {
            struct timespec ts[2] = {{0, UTIME_OMIT}, {1500000000, 0}};
            cr_assert_eq(utimensat(AT_FDCWD, file, ts, 0), 0);
        } else if (k == 2) {
            put("@/site/dir/new.txt", "new");
        } else if (k == 3) {
            put("@/site/not-yet", "here");
        } else {
            put("@/site/copy.txt", "hello");
            unlink(file);
            link_to("copy.txt", "@/site/file.txt");
        }
        cr_expect_eq(fs_trace_holds(t, strlen(t), later()), 0, "after: %s", what[k]);
        if (k == 4) {
            unlink(file);
            char *copy = expand("@/site/copy.txt");
            unlink(copy);
            free(copy);
        }
        free(t);
        free(gone);
        free(nyet);
        free(file);
    }
}

/* A build of a kept site (charter serve): the records of what it read
 * again replace those of the build that loaded the site; the others are
 * kept, each once. */
Test(fs, trace_merge)
{
    char *t = trace_reads();
    char *file = expand("@/site/file.txt");
    /* The newer trace: the file alone, as read again after a change. */
    buf newer;
    buf_init(&newer);
    buf_printf(&newer, "f 1 2 3 4 5 %s\n", file);
    cr_assert_eq(fs_trace_merge(&newer, t, strlen(t)), 0);
    size_t lines = 0, mine = 0;
    for (const char *p = newer.data; (p = strchr(p, '\n')); p++)
        lines++;
    for (const char *p = t; (p = strchr(p, '\n')); p++)
        mine++;
    cr_expect_eq(lines, mine, "each path once: %s", newer.data);
    cr_expect(!strncmp(newer.data, "f 1 2 3 4 5 ", 12), "the newer record first: %s", newer.data);
    buf line;
    buf_init(&line);
    buf_printf(&line, " %s\n", file);
    cr_expect(strstr(strchr(newer.data, '\n'), line.data) == NULL,
              "the older record of the file dropped: %s", newer.data);
    buf_release(&line);
    cr_expect(strstr(newer.data, "m ") != NULL, "the older records of other paths kept: %s",
              newer.data);
    cr_expect_eq(fs_trace_merge(&newer, "x garbage\n", 10), -1, "a malformed older trace");
    buf_reset(&newer);
    buf_adds(&newer, "f 1 2\n");
    cr_expect_eq(fs_trace_merge(&newer, t, strlen(t)), -1, "a malformed newer trace");
    buf_release(&newer);
    free(file);
    free(t);
}

Test(fs, trace_unstable)
{
    /* A file read twice, changed in between: the trace cannot vouch for it. */
    char *site = expand("@/site"), *file = expand("@/site/file.txt");
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_root_init(&trace_root, site, d), 0);
    fs_trace_start();
    buf text, out;
    buf_init(&text);
    buf_init(&out);
    cr_assert_eq(fs_read_source(&text, &trace_root, "file.txt", 100, "limit", d), 0);
    struct timespec ts[2] = {{0, UTIME_OMIT}, {1000000000, 0}};
    cr_assert_eq(utimensat(AT_FDCWD, file, ts, 0), 0);
    cr_assert_eq(fs_read_source(&text, &trace_root, "file.txt", 100, "limit", d), 0);
    cr_expect_eq(fs_trace_stop(&out), -1);
    cr_expect_eq(out.len, 0);
    cr_expect_eq(fs_trace_stop(&out), -1, "no trace on");
    fs_root_release(&trace_root);
    diag_free(d);
    buf_release(&text);
    buf_release(&out);
    free(site);
    free(file);
}

/* ---- fs_copy_range ---- */

/* A range of a file appended to another at its position: in the kernel
 * into a regular file; into a pipe, where copy_file_range refuses, read
 * and written by hand. Past the source's end: -1. */
Test(fs, copy_range_into_a_file_or_a_pipe)
{
    buf src;
    buf_init(&src);
    for (int i = 0; i < 300000; i++)
        buf_addc(&src, (char)('a' + i % 23));
    char *from_path = expand("@/from.bin"), *to_path = expand("@/to.bin");
    int from = open(from_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert_geq(from, 0);
    cr_assert_eq(fs_write_fd(from, src.data, src.len), 0);
    close(from);
    from = open(from_path, O_RDONLY);
    int to = open(to_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert_geq(to, 0);
    cr_assert_eq(fs_write_fd(to, "<", 1), 0);
    cr_expect_eq(fs_copy_range(from, 1000, to, 250000), 0);
    cr_assert_eq(fs_write_fd(to, ">", 1), 0);
    close(to);
    buf got;
    buf_init(&got);
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_read_nofollow(&got, to_path, to_path, d), 0);
    cr_expect_eq(got.len, 250002);
    cr_expect_eq(got.data[0], '<');
    cr_expect_eq(memcmp(got.data + 1, src.data + 1000, 250000), 0, "the range, in the file");
    cr_expect_eq(got.data[250001], '>');
    /* A pipe: 40,000 bytes (within its buffer), read back. */
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_expect_eq(fs_copy_range(from, 7, p[1], 40000), 0);
    close(p[1]);
    buf_reset(&got);
    char piece[4096];
    ssize_t n;
    while ((n = read(p[0], piece, sizeof piece)) > 0)
        buf_add(&got, piece, (size_t)n);
    close(p[0]);
    cr_expect_eq(got.len, 40000);
    cr_expect_eq(memcmp(got.data, src.data + 7, 40000), 0, "the range, through the pipe");
    /* Beyond the end of the source. */
    to = open(to_path, O_WRONLY | O_TRUNC);
    cr_expect_eq(fs_copy_range(from, 299000, to, 5000), -1);
    cr_expect_eq(errno, EIO, "a source too short: said as an IO error, not a stale errno");
    close(to);
    close(from);
    diag_free(d);
    buf_release(&got);
    buf_release(&src);
    free(from_path);
    free(to_path);
}

/* fs_lstat_at: below the opened folder, the same answer as the whole
 * path's lstat (a link not followed, a missing name ENOENT); without a
 * folder (-1), by the whole path; an absolute rel never leaves root; a
 * link to the folder is followed by fs_dir_open, as by a whole path. */
Test(fs, lstat_at_below_an_opened_folder)
{
    char *site = expand("@/site");
    int fd = fs_dir_open(site);
    cr_assert_geq(fd, 0);
    struct stat a, b;
    const char *rels[] = {"file.txt", "dir/inner.txt", "dir", "link-file", "out-dir"};
    for (size_t i = 0; i < sizeof rels / sizeof *rels; i++) {
        char *full = NULL;
        cr_assert_geq(asprintf(&full, "%s/%s", site, rels[i]), 0);
        cr_assert_eq(lstat(full, &a), 0);
        for (int with = 0; with < 2; with++) {
            memset(&b, 0, sizeof b);
            cr_expect_eq(fs_lstat_at(with ? fd : -1, site, rels[i], &b), 0, "%s", rels[i]);
            cr_expect(fs_same_stat(&a, &b), "%s (%s)", rels[i], with ? "the folder" : "no folder");
        }
        free(full);
    }
    cr_expect(S_ISLNK(b.st_mode), "a link is not followed");
    errno = 0;
    cr_expect_eq(fs_lstat_at(fd, site, "dir/none", &b), -1);
    cr_expect_eq(errno, ENOENT);
    errno = 0;
    cr_expect_eq(fs_lstat_at(-1, site, "dir/none", &b), -1);
    cr_expect_eq(errno, ENOENT);
    /* "/<sandbox>/outside/secret" below site is no file: ENOENT, where
     * fstatat alone would have found the secret. */
    char *secret = expand("@/outside/secret");
    cr_assert_eq(lstat(secret, &a), 0);
    cr_expect_eq(fs_lstat_at(fd, site, secret, &b), -1, "an absolute rel stays below root");
    /* A link to the folder: opened through it. */
    char *via = expand("@/site/link-dir");
    int lfd = fs_dir_open(via);
    cr_assert_geq(lfd, 0);
    cr_expect_eq(fs_lstat_at(lfd, via, "inner.txt", &b), 0);
    close(lfd);
    close(fd);
    char *file = expand("@/site/file.txt");
    cr_expect_eq(fs_dir_open(file), -1, "a file is no folder");
    free(file);
    free(via);
    free(secret);
    free(site);
}
