/* test_output: staged, atomic publication of the site in a sandbox per
 * test: which targets output_begin refuses (and the exact messages), the
 * manifest that makes a directory charter's (spoofed, extended and edited
 * outputs refused), writes that would escape the output or repeat a path,
 * commit replacing the previous site, release without commit keeping it,
 * leftovers of killed builds swept, and nothing else ever removed. */
#include "unit.h"

#include "fs.h"
#include "manifest.h"
#include "outcache.h"
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The sandbox, resolved (no symlinks), and the site's source directories in
 * it: the site root first, as cmd_build passes them. */
static char sb[PATH_MAX];
static char site[PATH_MAX + 16], content[PATH_MAX + 16], layouts[PATH_MAX + 16];
static char missing_src[PATH_MAX + 16];
static const char *sources[5];

/* Returns "<sandbox>/<rel>" in a new string; caller frees. */
static char *in_sb(const char *rel)
{
    buf b;
    buf_init(&b);
    buf_printf(&b, "%s/%s", sb, rel);
    return buf_detach(&b);
}

static void write_rel(const char *rel, const char *text)
{
    char *p = in_sb(rel);
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_write(p, text, strlen(text), d), 0, "cannot write %s", p);
    diag_free(d);
    free(p);
}

static void mkdir_rel(const char *rel)
{
    char *p = in_sb(rel);
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_mkdirs(p, d), 0, "cannot create %s", p);
    diag_free(d);
    free(p);
}

/* Returns the contents of the file at path, or NULL if it cannot be read;
 * caller frees. */
static char *read_path(const char *path)
{
    buf b;
    buf_init(&b);
    diags *d = diag_new(NULL);
    int rc = fs_read(&b, path, NULL, d);
    diag_free(d);
    if (rc != 0) {
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b);
}

static void expect_file(const char *dir, const char *rel, const char *want)
{
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/%s", dir, rel);
    char *got = read_path(p.data);
    cr_expect_not_null(got, "'%s' missing", p.data);
    if (got)
        cr_expect_str_eq(got, want, "contents of '%s'", p.data);
    free(got);
    buf_release(&p);
}

static void expect_absent(const char *dir, const char *rel)
{
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/%s", dir, rel);
    struct stat st;
    cr_expect_neq(lstat(p.data, &st), 0, "'%s' should not exist", p.data);
    buf_release(&p);
}

/* Asserts no staging (.tmp-) or set-aside (.old-) directory is left in dir. */
static void expect_no_leftovers(const char *dir)
{
    char **list;
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_list(&list, dir, 0, d), 0);
    for (char **p = list; *p; p++) {
        cr_expect_null(strstr(*p, ".tmp-"), "leftover '%s' in '%s'", *p, dir);
        cr_expect_null(strstr(*p, ".old-"), "leftover '%s' in '%s'", *p, dir);
    }
    fs_list_free(list);
    diag_free(d);
}

static void sandbox_setup(void)
{
    unit_mkdtemp(sb, sizeof sb, "output");
    snprintf(site, sizeof site, "%s/site", sb);
    snprintf(content, sizeof content, "%s/site/content", sb);
    snprintf(layouts, sizeof layouts, "%s/site/layouts", sb);
    snprintf(missing_src, sizeof missing_src, "%s/site/assets", sb);
    sources[0] = site;
    sources[1] = content;
    sources[2] = layouts;
    sources[3] = missing_src; /* missing sources are ignored */
    sources[4] = NULL;
    write_rel("site/site.yml", "title: T\n");
    write_rel("site/content/index.md", "# Home\n");
    write_rel("site/layouts/page.html", "{{content}}\n");
}

static void sandbox_teardown(void)
{
    unit_remove(sb);
}

TestSuite(output, .init = sandbox_setup, .fini = sandbox_teardown);

/* ---- output_begin refusals ---- */

/* Every refusal of a source reads "refusing to write the site to '<target>':
 * it <verb> the source directory '<source>'". */
static const struct {
    const char *name;
    const char *target; /* relative to the sandbox */
    const char *verb;
    int source; /* index into sources */
} refusals[] = {
    {"the site root", "site", "is", 0},
    {"the site root spelled differently", "site/content/../.", "is", 0},
    {"a parent of the site", ".", "contains", 0},
    {"the content dir", "site/content", "is", 1},
    {"the content dir with a trailing slash", "site/content/", "is", 1},
    {"inside the content dir", "site/content/_site", "is inside", 1},
    {"deep inside the layouts dir", "site/layouts/a/b", "is inside", 2},
};

/* A missing directory followed by ".." must not hide where the path really
 * goes: committing there would replace the sources with the built site. */
static const struct {
    const char *name;
    const char *target; /* relative to the sandbox */
    const char *verb;
    int source; /* index into sources */
} dotdot_refusals[] = {
    {"the content dir through missing/..", "missing/../site/content", "is", 1},
    {"the site root through missing/..", "missing/../site", "is", 0},
    {"inside the content dir through missing/..", "missing/../site/content/x", "is inside", 1},
    {"the content dir as content/missing/..", "site/content/missing/..", "is", 1},
};

static void make_links(void)
{
    char *link = in_sb("to-content");
    cr_assert_eq(symlink(content, link), 0);
    free(link);
    link = in_sb("to-site");
    cr_assert_eq(symlink(site, link), 0);
    free(link);
}

static const struct {
    const char *name, *target;
    const char *verb;
    int source;
} link_refusals[] = {
    {"a symlink to the content dir", "to-content", "is", 1},
    {"below a symlink to the content dir", "to-content/out", "is inside", 1},
    {"a symlink to the site root", "to-site", "is", 0},
};

static void expect_refused(const char *name, const char *target, const char *expected)
{
    diags *d = diag_new(NULL);
    output *o = NULL;
    int rc = output_begin(&o, target, sources, d);
    cr_expect_eq(rc, -1, "%s: accepted", name);
    cr_expect_null(o, "%s: staging set", name);
    char *got = unit_diag_text(d);
    cr_expect_str_eq(got, expected, "%s: diagnostics", name);
    free(got);
    output_free(o, d);
    diag_free(d);
}

static void expect_refused_source(const char *name, const char *target, const char *verb,
                                  const char *source)
{
    buf want;
    buf_init(&want);
    buf_printf(&want,
               "-:0:0: error: refusing to write the site to '%s': it %s the source directory "
               "'%s' [output]\n",
               target, verb, source);
    expect_refused(name, target, want.data);
    buf_release(&want);
}

Test(output, begin_refuses_sources)
{
    for (size_t i = 0; i < COUNT(refusals); i++) {
        char *target = in_sb(refusals[i].target);
        expect_refused_source(refusals[i].name, target, refusals[i].verb,
                              sources[refusals[i].source]);
        free(target);
    }
    expect_file(content, "index.md", "# Home\n");
    expect_file(site, "site.yml", "title: T\n");
    expect_no_leftovers(sb);
    expect_no_leftovers(site);
    expect_no_leftovers(content);
    expect_no_leftovers(layouts);
}

Test(output, begin_refuses_sources_behind_missing_dotdot)
{
    for (size_t i = 0; i < COUNT(dotdot_refusals); i++) {
        char *target = in_sb(dotdot_refusals[i].target);
        expect_refused_source(dotdot_refusals[i].name, target, dotdot_refusals[i].verb,
                              sources[dotdot_refusals[i].source]);
        free(target);
        /* A wrongly accepted target may have created "missing"; keep the
         * cases independent. */
        char *missing = in_sb("missing");
        diags *rd = diag_new(NULL);
        fs_remove_tree(missing, rd);
        diag_free(rd);
        free(missing);
    }
    expect_file(content, "index.md", "# Home\n");
    expect_no_leftovers(sb);
    expect_no_leftovers(site);
}

Test(output, build_never_replaces_sources)
{
    /* Whatever stage catches it, a build aimed at the sources through a
     * path that does not resolve yet must leave them in place. */
    static const char *const targets[] = {"missing/../site/content", "missing2/../site"};
    for (size_t i = 0; i < COUNT(targets); i++) {
        char *target = in_sb(targets[i]);
        diags *d = diag_new(NULL);
        output *o = NULL;
        if (output_begin(&o, target, sources, d) == 0) {
            output_write(o, "api/pages.json", "[]", 2, d);
            output_commit(o, d);
        }
        output_free(o, d);
        diag_free(d);
        expect_file(content, "index.md", "# Home\n");
        expect_file(site, "site.yml", "title: T\n");
        free(target);
    }
}

Test(output, begin_refuses_symlinks_into_sources)
{
    make_links();
    for (size_t i = 0; i < COUNT(link_refusals); i++) {
        char *target = in_sb(link_refusals[i].target);
        expect_refused_source(link_refusals[i].name, target, link_refusals[i].verb,
                              sources[link_refusals[i].source]);
        free(target);
    }
    expect_no_leftovers(sb);
    expect_no_leftovers(content);
}

Test(output, begin_refuses_relative_source_names)
{
    /* Messages quote the paths as the user gave them. */
    cr_assert_eq(chdir(site), 0);
    static const char *const rel_sources[] = {".", "content", "layouts", NULL};
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin(&o, "content/out", rel_sources, d), -1);
    cr_assert_diag(d, "-:0:0: error: refusing to write the site to 'content/out': it is inside "
                      "the source directory 'content' [output]\n");
    output_free(o, d);
    diag_free(d);
}

Test(output, begin_refuses_foreign_directory)
{
    write_rel("other/index.html", "<p>not ours</p>\n");
    char *target = in_sb("other");
    buf want;
    buf_init(&want);
    buf_printf(&want,
               "-:0:0: error: refusing to replace '%s': it is not empty and was not built by "
               "charter (no '.charter-manifest'); remove it or choose another output directory "
               "[output]\n",
               target);
    expect_refused("non-empty directory", target, want.data);
    expect_file(target, "index.html", "<p>not ours</p>\n");
    free(target);
    buf_release(&want);
    expect_no_leftovers(sb);
}

Test(output, begin_refuses_directory_with_only_api_dir)
{
    mkdir_rel("other/api");
    char *target = in_sb("other");
    buf want;
    buf_init(&want);
    buf_printf(&want,
               "-:0:0: error: refusing to replace '%s': it is not empty and was not built by "
               "charter (no '.charter-manifest'); remove it or choose another output directory "
               "[output]\n",
               target);
    expect_refused("api dir without pages.json", target, want.data);
    free(target);
    buf_release(&want);
}

Test(output, begin_refuses_file)
{
    write_rel("file.txt", "x");
    char *target = in_sb("file.txt");
    buf want;
    buf_init(&want);
    buf_printf(&want, "-:0:0: error: output path '%s' exists and is not a directory [output]\n",
               target);
    expect_refused("a file", target, want.data);
    expect_file(sb, "file.txt", "x");
    free(target);
    buf_release(&want);
    expect_no_leftovers(sb);
}

Test(output, begin_refuses_empty_target)
{
    expect_refused("empty", "", "-:0:0: error: the output directory must not be empty [output]\n");
}

/* ---- output_begin acceptances ---- */

/* Builds `target` once with the given files (NULL-terminated name, text
 * pairs), through a cache in `cache` (may be NULL), with racy_bytes as
 * output_set_racy_bytes. */
static void build_with(const char *target, const char *cache, const char *const *files,
                       long long racy_bytes)
{
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin_cached(&o, target, sources, cache, 0, NULL, d), 0, "cannot build %s",
                 target);
    output_set_racy_bytes(o, racy_bytes);
    for (const char *const *f = files; *f; f += 2)
        cr_assert_eq(output_write(o, f[0], f[1], strlen(f[1]), d), 0);
    cr_assert_eq(output_commit(o, d), 0);
    output_free(o, d);
    cr_assert_diag(d, "");
    diag_free(d);
}

/* As build_with, waiting out the racy window as a large site's build does,
 * so that the cache vouches for all it wrote. */
static void build_once(const char *target, const char *cache, const char *const *files)
{
    build_with(target, cache, files, 0);
}

/* Builds `rel` (in the sandbox) as charter would: files through output_write,
 * committed, so it carries its manifest. */
static void build_rel(const char *rel, const char *const *files)
{
    char *target = in_sb(rel);
    build_once(target, NULL, files);
    free(target);
}

static void prepare_previous(void)
{
    static const char *const files[] = {"api/pages.json", "[]\n", "old.html", "old\n", NULL};
    build_rel("prev", files);
}

static const struct {
    const char *name, *target;
    int exists; /* before and after begin + release */
} acceptances[] = {
    {"missing", "out", 0},
    {"missing with missing parents", "a/b/out", 0},
    {"inside the site root", "site/_site", 0},
    {"existing empty directory", "empty", 1},
    {"previous charter output", "prev", 1},
};

Test(output, begin_accepts)
{
    mkdir_rel("empty");
    prepare_previous();
    for (size_t i = 0; i < COUNT(acceptances); i++) {
        char *target = in_sb(acceptances[i].target);
        diags *d = diag_new(NULL);
        output *o = NULL;
        int rc = output_begin(&o, target, sources, d);
        cr_expect_eq(rc, 0, "%s: refused", acceptances[i].name);
        char *got = unit_diag_text(d);
        cr_expect_str_eq(got, "", "%s: diagnostics", acceptances[i].name);
        free(got);
        if (rc == 0) {
            cr_expect_str_eq(output_target(o), target, "%s: target", acceptances[i].name);
            cr_expect_eq(strncmp(output_staging(o), target, strlen(target)), 0, "%s: staging '%s'",
                         acceptances[i].name, output_staging(o));
            cr_expect_eq(strncmp(output_staging(o) + strlen(target), ".tmp-", 5), 0,
                         "%s: staging '%s'", acceptances[i].name, output_staging(o));
            cr_expect_eq(fs_is_dir(output_staging(o)), 1, "%s: no staging dir",
                         acceptances[i].name);
            /* Nothing is written to the target before commit. */
            cr_expect_eq(fs_is_dir(target), acceptances[i].exists ? 1 : -1, "%s: target",
                         acceptances[i].name);
        }
        char *staging = output_staging(o) ? xstrdup(output_staging(o)) : NULL;
        output_free(o, d);
        if (staging)
            cr_expect_eq(fs_is_dir(staging), -1, "%s: staging left", acceptances[i].name);
        free(staging);
        cr_expect_eq(fs_is_dir(target), acceptances[i].exists ? 1 : -1, "%s: target after",
                     acceptances[i].name);
        diag_free(d);
        free(target);
    }
    expect_file(sb, "prev/old.html", "old\n");
    expect_no_leftovers(sb);
    expect_no_leftovers(site);
}

Test(output, begin_accepts_relative_target)
{
    cr_assert_eq(chdir(site), 0);
    static const char *const rel_sources[] = {".", "content", "layouts", NULL};
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin(&o, "_site", rel_sources, d), 0);
    cr_assert_diag(d, "");
    cr_assert_eq(output_write(o, "index.html", "hi", 2, d), 0);
    cr_assert_eq(output_commit(o, d), 0);
    output_free(o, d);
    expect_file(site, "_site/index.html", "hi");
    expect_no_leftovers(site);
    diag_free(d);
}

/* ---- output_write ---- */

static const char *const unsafe_rels[] = {
    "../x", "/abs", "a//b", "", "..", "a/..", "a/../../x", "a/b/../../../x", "//x",
};

Test(output, write_refuses_escapes)
{
    diags *d = diag_new(NULL);
    char *target = in_sb("out");
    output *o = NULL;
    cr_assert_eq(output_begin(&o, target, sources, d), 0);
    for (size_t i = 0; i < COUNT(unsafe_rels); i++) {
        diags *wd = diag_new(NULL);
        cr_expect_eq(output_write(o, unsafe_rels[i], "x", 1, wd), -1, "'%s' accepted",
                     unsafe_rels[i]);
        buf want;
        buf_init(&want);
        buf_printf(&want, "-:0:0: error: refusing to write outside the output: '%s' [output]\n",
                   unsafe_rels[i]);
        char *got = unit_diag_text(wd);
        cr_expect_str_eq(got, want.data, "'%s'", unsafe_rels[i]);
        free(got);
        buf_release(&want);
        diag_free(wd);
    }
    expect_absent(sb, "x");
    expect_absent("/", "abs");
    expect_absent(output_staging(o), "a");
    output_free(o, d);
    cr_assert_diag(d, "");
    diag_free(d);
    free(target);
}

Test(output, write_creates_parents_in_staging)
{
    diags *d = diag_new(NULL);
    char *target = in_sb("out");
    output *o = NULL;
    cr_assert_eq(output_begin(&o, target, sources, d), 0);
    cr_assert_eq(output_write(o, "a/b/c.html", "deep", 4, d), 0);
    cr_assert_eq(output_write(o, "./top.txt", "top", 3, d), 0);
    cr_assert_eq(output_write(o, "bin", "a\0b", 3, d), 0);
    cr_assert_eq(output_write(o, "empty", "", 0, d), 0);
    cr_assert_diag(d, "");
    expect_file(output_staging(o), "a/b/c.html", "deep");
    expect_file(output_staging(o), "top.txt", "top");
    expect_file(output_staging(o), "empty", "");
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/bin", output_staging(o));
    buf got;
    buf_init(&got);
    cr_assert_eq(fs_read(&got, p.data, NULL, d), 0);
    cr_assert_eq(got.len, 3);
    cr_assert_eq(memcmp(got.data, "a\0b", 3), 0);
    buf_release(&got);
    buf_release(&p);
    cr_assert_eq(fs_is_dir(target), -1, "written to the target before commit");
    output_free(o, d);
    diag_free(d);
    free(target);
}

Test(output, copy)
{
    diags *d = diag_new(NULL);
    char *target = in_sb("out");
    output *o = NULL;
    cr_assert_eq(output_begin(&o, target, sources, d), 0);
    fs_root root;
    cr_assert_eq(fs_root_init(&root, site, d), 0);
    cr_assert_eq(output_copy(o, "assets/page.html", &root, "layouts/page.html", 100, "lim", d), 0);
    cr_assert_diag(d, "");
    expect_file(output_staging(o), "assets/page.html", "{{content}}\n");
    cr_assert_eq(output_copy(o, "../escape.html", &root, "layouts/page.html", 100, "lim", d), -1);
    cr_assert_diag(d, "-:0:0: error: refusing to write outside the output: '../escape.html' "
                      "[output]\n");
    expect_absent(sb, "escape.html");
    diags *d2 = diag_new(NULL);
    cr_assert_eq(output_copy(o, "nope.css", &root, "nope.css", 100, "lim", d2), -1);
    cr_assert_diag(d2, "-:0:0: error: cannot read 'nope.css': No such file or directory [io]\n");
    diags *d3 = diag_new(NULL);
    cr_assert_eq(output_copy(o, "big.html", &root, "layouts/page.html", 4, "limits.x", d3), -1);
    cr_assert_diag(d3, "layouts/page.html:0:0: error: 'layouts/page.html' is 12 bytes, over the "
                       "limit of 4 (limits.x) [too-large]\n");
    expect_absent(output_staging(o), "big.html");
    diag_free(d3);
    fs_root_release(&root);
    output_free(o, d);
    diag_free(d2);
    diag_free(d);
    free(target);
}

/* ---- commit and release ---- */

Test(output, commit_replaces_previous_site)
{
    static const char *const files[] = {"api/pages.json", "[]\n",      "old.html", "old\n",
                                        "sub/old.txt",    "old sub\n", NULL};
    build_rel("prev", files);
    char *target = in_sb("prev");
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin(&o, target, sources, d), 0);
    cr_assert_eq(output_write(o, "index.html", "new\n", 4, d), 0);
    cr_assert_eq(output_write(o, "api/pages.json", "[1]\n", 4, d), 0);
    /* Until commit the previous site is served unchanged. */
    expect_file(target, "old.html", "old\n");
    expect_absent(target, "index.html");
    cr_assert_eq(output_commit(o, d), 0);
    expect_file(target, "index.html", "new\n");
    expect_file(target, "api/pages.json", "[1]\n");
    expect_absent(target, "old.html");
    expect_absent(target, "sub");
    output_free(o, d);
    cr_assert_diag(d, "");
    expect_file(target, "index.html", "new\n");
    expect_no_leftovers(sb);
    diag_free(d);
    free(target);
}

Test(output, commit_to_missing_target)
{
    char *target = in_sb("a/b/out");
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin(&o, target, sources, d), 0);
    cr_assert_eq(output_write(o, "index.html", "new\n", 4, d), 0);
    cr_assert_eq(output_commit(o, d), 0);
    output_free(o, d);
    cr_assert_diag(d, "");
    expect_file(target, "index.html", "new\n");
    char *parent = in_sb("a/b");
    expect_no_leftovers(parent);
    free(parent);
    diag_free(d);
    free(target);
}

/* "--out public/" is how many people type a directory. */
static const struct {
    const char *target, *dir;
} spelled_targets[] = {
    {"out/", "out"},         {"out//", "out"},      {"out/.", "out"},
    {"a/b/out/", "a/b/out"}, {"new/../out", "out"},
};

Test(output, commit_to_missing_target_spelled_as_directory)
{
    for (size_t i = 0; i < COUNT(spelled_targets); i++) {
        char *target = in_sb(spelled_targets[i].target);
        char *dir = in_sb(spelled_targets[i].dir);
        diags *d = diag_new(NULL);
        output *o = NULL;
        cr_assert_eq(output_begin(&o, target, sources, d), 0, "'%s'", target);
        buf inside;
        buf_init(&inside);
        buf_printf(&inside, "%s/", dir);
        cr_expect_neq(strncmp(output_staging(o), inside.data, inside.len), 0,
                      "'%s': staging '%s' inside the target", target, output_staging(o));
        buf_release(&inside);
        cr_expect_eq(output_write(o, "index.html", "new\n", 4, d), 0);
        cr_expect_eq(output_commit(o, d), 0, "'%s': commit failed", target);
        output_free(o, d);
        char *got = unit_diag_text(d);
        cr_expect_str_eq(got, "", "'%s': diagnostics", target);
        free(got);
        expect_file(dir, "index.html", "new\n");
        expect_no_leftovers(sb);
        if (fs_is_dir(dir) == 1)
            expect_no_leftovers(dir);
        diags *rd = diag_new(NULL);
        fs_remove_tree(dir, rd);
        diag_free(rd);
        diag_free(d);
        free(dir);
        free(target);
    }
}

Test(output, commit_gives_umask_permissions)
{
    umask(022);
    char *target = in_sb("out");
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin(&o, target, sources, d), 0);
    cr_assert_eq(output_commit(o, d), 0);
    output_free(o, d);
    struct stat st;
    cr_assert_eq(stat(target, &st), 0);
    /* mkdtemp makes 0700; a web server must be able to read the site. */
    cr_assert_eq(st.st_mode & 0777, 0755, "mode %o", (unsigned)(st.st_mode & 0777));
    diag_free(d);
    free(target);
}

Test(output, free_without_commit_keeps_previous_site)
{
    prepare_previous();
    char *target = in_sb("prev");
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin(&o, target, sources, d), 0);
    cr_assert_eq(output_write(o, "index.html", "half-built\n", 11, d), 0);
    cr_assert_eq(output_write(o, "deep/er/page.html", "x", 1, d), 0);
    char *staging = xstrdup(output_staging(o));
    output_free(o, d);
    cr_assert_eq(fs_is_dir(staging), -1, "staging '%s' left behind", staging);
    expect_file(target, "old.html", "old\n");
    expect_file(target, "api/pages.json", "[]\n");
    expect_absent(target, "index.html");
    expect_no_leftovers(sb);
    cr_assert_diag(d, "");
    output_free(NULL, d);
    free(staging);
    diag_free(d);
    free(target);
}

Test(output, rebuild_over_own_output)
{
    /* The second build must accept what the first one wrote. */
    char *target = in_sb("site/_site");
    for (int round = 1; round <= 3; round++) {
        diags *d = diag_new(NULL);
        output *o = NULL;
        cr_assert_eq(output_begin(&o, target, sources, d), 0, "round %d", round);
        char page[32];
        int n = snprintf(page, sizeof page, "round %d", round);
        cr_assert_eq(output_write(o, "index.html", page, (size_t)n, d), 0);
        cr_assert_eq(output_write(o, "api/pages.json", "[]", 2, d), 0);
        cr_assert_eq(output_commit(o, d), 0, "round %d", round);
        output_free(o, d);
        cr_assert_diag(d, "");
        expect_file(target, "index.html", page);
        diag_free(d);
    }
    expect_no_leftovers(site);
    free(target);
}

/* ---- the manifest: a directory is charter's only when it matches ---- */

/* Expects output_begin to refuse `rel` with exactly `message` (after the
 * "-:0:0: error: " prefix, %s the target), leaving every listed file. */
static void expect_refused_rel(const char *rel, const char *message)
{
    char *target = in_sb(rel);
    buf want;
    buf_init(&want);
    buf_adds(&want, "-:0:0: error: ");
    const char *at = strstr(message, "%s");
    buf_add(&want, message, (size_t)(at - message));
    buf_adds(&want, target);
    buf_adds(&want, at + 2);
    buf_adds(&want, " [output]\n");
    expect_refused(rel, target, want.data);
    buf_release(&want);
    free(target);
}

Test(output, spoofed_marker_is_not_a_manifest)
{
    /* The reproduction of the issue: an old marker and a .git, nothing
     * charter wrote. Refused, and nothing deleted. */
    write_rel("X/api/pages.json", "{}\n");
    write_rel("X/IMPORTANT.txt", "important\n");
    mkdir_rel("X/.git");
    expect_refused_rel("X", "refusing to replace '%s': it holds '.git', so it is a source "
                            "directory, not a built site; choose another output directory");
    char *x = in_sb("X/.git");
    cr_expect_eq(fs_is_dir(x), 1, ".git removed");
    free(x);
    x = in_sb("X");
    expect_file(x, "IMPORTANT.txt", "important\n");
    free(x);
    /* Without the .git: still refused, for want of a manifest. */
    char *git = in_sb("X/.git");
    rmdir(git);
    free(git);
    expect_refused_rel("X", "refusing to replace '%s': it is not empty and was not built by "
                            "charter (no '.charter-manifest'); remove it or choose another "
                            "output directory");
    x = in_sb("X");
    expect_file(x, "IMPORTANT.txt", "important\n");
    free(x);
    expect_no_leftovers(sb);
}

Test(output, sources_of_a_site_are_never_replaced)
{
    static const char *const markers[] = {".git", "site.yml", "_config.yml"};
    static const char *const files[] = {"index.html", "hi\n", NULL};
    for (size_t i = 0; i < COUNT(markers); i++) {
        /* Even in what charter built: a site moved into its own output. */
        build_rel("built", files);
        char path[64];
        snprintf(path, sizeof path, "built/%s", markers[i]);
        write_rel(path, "x\n");
        char msg[256];
        snprintf(msg, sizeof msg,
                 "refusing to replace '%%s': it holds '%s', so it is a source directory, not a "
                 "built site; choose another output directory",
                 markers[i]);
        expect_refused_rel("built", msg);
        char *t = in_sb("built");
        expect_file(t, markers[i], "x\n");
        expect_file(t, "index.html", "hi\n");
        free(t);
        char *p = in_sb(path);
        unlink(p);
        free(p);
    }
}

Test(output, a_file_charter_did_not_write_is_kept)
{
    static const char *const files[] = {"index.html", "hi\n", "a/b.html", "b\n", NULL};
    build_rel("out", files);
    write_rel("out/a/notes.txt", "mine\n");
    expect_refused_rel("out", "refusing to replace '%s': 'a/notes.txt' in it was not written by "
                              "charter; move it away or choose another output directory");
    char *t = in_sb("out");
    expect_file(t, "a/notes.txt", "mine\n");
    expect_file(t, "index.html", "hi\n");
    free(t);
}

Test(output, a_file_changed_since_charter_wrote_it_is_kept)
{
    static const char *const files[] = {"index.html", "hi\n", NULL};
    build_rel("out", files);
    write_rel("out/index.html", "edited by hand\n");
    expect_refused_rel("out", "refusing to replace '%s': 'index.html' in it was changed since "
                              "charter wrote it; move it away or choose another output "
                              "directory");
    char *t = in_sb("out");
    expect_file(t, "index.html", "edited by hand\n");
    free(t);
}

/* The folders are verified on all cores; what is reported is still the
 * first failing file of the first failing folder in name order, whichever
 * thread met its failure first. */
Test(output, the_first_changed_file_in_name_order_is_reported)
{
    static const char *const files[] = {"index.html",
                                        "hi\n",
                                        "a/x/index.html",
                                        "a\n",
                                        "b/index.html",
                                        "b\n",
                                        "c/d/e.html",
                                        "e\n",
                                        "z/index.html",
                                        "z\n",
                                        NULL};
    build_rel("out", files);
    write_rel("out/c/d/e.html", "edited\n");
    write_rel("out/z/index.html", "edited\n");
    write_rel("out/b/index.html", "edited\n");
    for (int run = 0; run < 5; run++)
        expect_refused_rel("out", "refusing to replace '%s': 'b/index.html' in it was changed "
                                  "since charter wrote it; move it away or choose another output "
                                  "directory");
    char *t = in_sb("out");
    expect_file(t, "c/d/e.html", "edited\n");
    expect_file(t, "z/index.html", "edited\n");
    free(t);
}

/* The build stamp's check of the output stops when its answer is no longer
 * wanted: unchanged, it says so; told to stop, it says no. */
Test(output, unchanged_output_check_stops_when_told)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    const char *files[] = {"index.html", "hi", "a/index.html", "aaaa", NULL};
    build_once(target, cache, files);
    char hex[DIGEST_HEX];
    cr_assert_eq(output_manifest_digest(hex, target), 0);
    atomic_int stop;
    atomic_init(&stop, 0);
    cr_expect_eq(output_unchanged(target, cache, hex, &stop), 1);
    cr_expect_eq(output_unchanged(target, cache, hex, NULL), 1);
    atomic_store(&stop, 1);
    cr_expect_eq(output_unchanged(target, cache, hex, &stop), 0);
    free(cache);
    free(target);
}

Test(output, a_link_in_the_output_is_not_charters)
{
    static const char *const files[] = {"index.html", "hi\n", NULL};
    build_rel("out", files);
    char *link = in_sb("out/link");
    cr_assert_eq(symlink("/etc/passwd", link), 0);
    free(link);
    expect_refused_rel("out", "refusing to replace '%s': 'link' in it was not written by charter; "
                              "move it away or choose another output directory");
}

Test(output, a_broken_manifest_is_refused)
{
    write_rel("out/index.html", "hi\n");
    write_rel("out/.charter-manifest", "not a manifest\n");
    expect_refused_rel(
        "out", "refusing to replace '%s': its '.charter-manifest' is not a manifest charter "
               "wrote");
}

Test(output, manifest_lists_every_file_with_its_digest)
{
    static const char *const files[] = {"b.html",          "b\n", "a/x.html", "",
                                        "back\\slash.txt", "x",   NULL};
    build_rel("out", files);
    char *t = in_sb("out");
    /* sha256sum's format, sorted by path; a backslash escapes the line. */
    expect_file(t, ".charter-manifest",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a/x.html\n"
                "0263829989b6fd954f72baaf2fc64bc2e2f01d692d4de72986ea808f6e99813f  b.html\n"
                "\\2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881  "
                "back\\\\slash.txt\n");
    manifest_entry *v;
    size_t n;
    char *text = read_path(".charter-manifest");
    free(text);
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/.charter-manifest", t);
    text = read_path(p.data);
    cr_assert_eq(manifest_parse(&v, &n, text, strlen(text)), 0);
    cr_assert_eq(n, 3);
    cr_expect_str_eq(v[0].rel, "a/x.html");
    cr_expect_str_eq(v[2].rel, "back\\slash.txt");
    manifest_entries_free(v, n);
    free(text);
    buf_release(&p);
    free(t);
}

Test(output, malformed_manifests_do_not_parse)
{
    static const char *const bad[] = {
        "abc  x\n",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  ../x\n",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  /etc/passwd\n",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 x\n",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  x",
        "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855  x\n",
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        manifest_entry *v = (manifest_entry *)1;
        size_t n = 9;
        cr_expect_eq(manifest_parse(&v, &n, bad[i], strlen(bad[i])), -1, "accepted: %s", bad[i]);
        cr_expect_null(v);
        cr_expect_eq(n, 0);
    }
}

Test(output, a_path_is_written_once)
{
    char *target = in_sb("out");
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin(&o, target, sources, d), 0);
    cr_assert_eq(output_write(o, "a/index.html", "first", 5, d), 0);
    diags *d2 = diag_new(NULL);
    cr_assert_eq(output_write(o, "./a/index.html", "second", 6, d2), -1);
    cr_assert_diag(d2, "-:0:0: error: 'a/index.html' would be written twice [output-collision]\n");
    cr_assert_eq(output_write(o, ".charter-manifest", "x", 1, d2), -1);
    expect_file(output_staging(o), "a/index.html", "first");
    output_free(o, d);
    diag_free(d2);
    diag_free(d);
    free(target);
}

/* ---- home directories and the root ---- */

Test(output, a_home_directory_is_refused_even_empty)
{
    mkdir_rel("home/me");
    char *home = in_sb("home/me");
    setenv("HOME", home, 1);
    static const struct {
        const char *rel, *verb;
    } cases[] = {{"home/me", "is"}, {"home", "contains"}};
    for (size_t i = 0; i < COUNT(cases); i++) {
        char *target = in_sb(cases[i].rel);
        buf want;
        buf_init(&want);
        buf_printf(&want,
                   "-:0:0: error: refusing to write the site to '%s': it %s a home directory "
                   "('%s') [output]\n",
                   target, cases[i].verb, home);
        expect_refused(cases[i].rel, target, want.data);
        buf_release(&want);
        free(target);
    }
    cr_expect_eq(fs_is_dir(home), 1, "the empty home was removed");
    free(home);
}

Test(output, the_root_directory_is_refused)
{
    static const char *const none[] = {NULL};
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin(&o, "/", none, d), -1);
    cr_assert_diag(d, "-:0:0: error: refusing to write the site to '/': it is the root directory "
                      "[output]\n");
    output_free(o, d);
    diag_free(d);
}

/* ---- what killed builds leave behind ---- */

Test(output, stale_staging_is_swept_by_its_journal)
{
    /* A build killed mid-way: its journal lists what it created. A file
     * it did not list (someone else's) stays, and so does its folder. */
    write_rel("out.tmp-AbC123/.charter-journal", "index.html\na/b.html\nhalf.html\n");
    write_rel("out.tmp-AbC123/index.html", "x");
    write_rel("out.tmp-AbC123/a/b.html", "y");
    write_rel("out.tmp-XyZ789/.charter-journal", "p.html\n");
    write_rel("out.tmp-XyZ789/p.html", "p");
    write_rel("out.tmp-XyZ789/q/not-ours.txt", "keep\n");
    write_rel("out.tmp-NoJrnl/whatever.txt", "not charter's\n");
    /* A previous site set aside by the two-rename swap, then killed. */
    static const char *const files[] = {"old.html", "old\n", NULL};
    build_rel("old-site", files);
    char *from = in_sb("old-site"), *to = in_sb("out.old-QwE456");
    cr_assert_eq(rename(from, to), 0);
    free(from);
    free(to);
    char *target = in_sb("out");
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin(&o, target, sources, d), 0);
    char *p = in_sb("out.tmp-AbC123");
    cr_expect_eq(fs_is_dir(p), -1, "'%s' not swept", p);
    free(p);
    p = in_sb("out.old-QwE456");
    cr_expect_eq(fs_is_dir(p), -1, "'%s' not swept", p);
    free(p);
    p = in_sb("out.tmp-XyZ789");
    expect_absent(p, "p.html");
    expect_file(p, "q/not-ours.txt", "keep\n");
    buf want;
    buf_init(&want);
    buf_printf(&want,
               "-:0:0: warning: kept the unfinished build '%s': it holds 'q', which charter did "
               "not write [output]\n",
               p);
    cr_assert_diag(d, want.data);
    buf_release(&want);
    free(p);
    p = in_sb("out.tmp-NoJrnl");
    expect_file(p, "whatever.txt", "not charter's\n");
    free(p);
    output_free(o, d);
    diag_free(d);
    free(target);
}

Test(output, a_failed_build_removes_only_what_it_wrote)
{
    char *target = in_sb("out");
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin(&o, target, sources, d), 0);
    cr_assert_eq(output_write(o, "a/index.html", "x", 1, d), 0);
    char *staging = xstrdup(output_staging(o));
    /* Something else lands in the staging directory meanwhile. */
    buf other;
    buf_init(&other);
    buf_printf(&other, "%s/a/intruder.txt", staging);
    cr_assert_eq(fs_write(other.data, "i", 1, d), 0);
    output_free(o, d);
    expect_file(staging, "a/intruder.txt", "i");
    expect_absent(staging, "a/index.html");
    expect_absent(staging, ".charter-journal");
    buf_release(&other);
    free(staging);
    diag_free(d);
    free(target);
}

/* Files declared before they are written are journaled once, in one
 * write, and not again as each is written; a failed build removes what it
 * wrote of them, a declared file it never made is no trouble, and what
 * it did not write (an intruder, a name it declared as unsafe) stays. */
Test(output, declared_files_are_journaled_once_and_removed_when_the_build_fails)
{
    char *target = in_sb("out");
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin(&o, target, sources, d), 0);
    static const char *const rels[] = {"a/index.html", "b/index.html", "./c/index.html",
                                       "a/index.html", "../escape.html"};
    cr_assert_eq(output_declare(o, rels, sizeof rels / sizeof *rels, d), 0);
    cr_assert_eq(output_write(o, "a/index.html", "x", 1, d), 0);
    cr_assert_eq(output_write(o, "c/index.html", "z", 1, d), 0);
    cr_assert_eq(output_write(o, "d/index.html", "w", 1, d), 0); /* not declared */
    char *staging = xstrdup(output_staging(o));
    buf p, text;
    buf_init(&p);
    buf_init(&text);
    buf_printf(&p, "%s/%s", staging, OUTPUT_JOURNAL);
    cr_assert_eq(fs_read(&text, p.data, NULL, d), 0);
    cr_expect_str_eq(text.data, "a/index.html\nb/index.html\nc/index.html\nd/index.html\n");
    buf_reset(&p);
    buf_printf(&p, "%s/a/intruder.txt", staging);
    cr_assert_eq(fs_write(p.data, "i", 1, d), 0);
    output_free(o, d);
    expect_file(staging, "a/intruder.txt", "i");
    expect_absent(staging, "a/index.html");
    expect_absent(staging, "c/index.html");
    expect_absent(staging, "d/index.html");
    expect_absent(staging, OUTPUT_JOURNAL);
    buf_reset(&p);
    buf_printf(&p,
               "-:0:0: warning: kept the unfinished build '%s': it holds 'a', which charter did "
               "not write [output]\n",
               staging);
    cr_assert_diag(d, p.data);
    buf_release(&p);
    buf_release(&text);
    free(staging);
    diag_free(d);
    free(target);
}

/* ---- a report beside the site ---- */

Test(output, write_file_refuses_the_sources)
{
    static const char *const src[] = {content, layouts, NULL};
    diags *d = diag_new(NULL);
    char *inside = in_sb("site/content/report.sarif");
    cr_assert_eq(output_write_file(inside, "{}", 2, src, d), -1);
    buf want;
    buf_init(&want);
    buf_printf(&want,
               "-:0:0: error: refusing to write '%s': it is inside the source directory '%s' "
               "[output]\n",
               inside, content);
    cr_assert_diag(d, want.data);
    buf_release(&want);
    expect_absent(content, "report.sarif");
    diags *d2 = diag_new(NULL);
    char *ok = in_sb("report.sarif");
    cr_assert_eq(output_write_file(ok, "{}", 2, src, d2), 0);
    cr_assert_diag(d2, "");
    expect_file(sb, "report.sarif", "{}");
    expect_no_leftovers(sb);
    free(inside);
    free(ok);
    diag_free(d);
    diag_free(d2);
}

/* ---- unchanged files reused from the previous site; the build cache ---- */

static struct stat stat_in(const char *dir, const char *rel)
{
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/%s", dir, rel);
    struct stat st;
    cr_assert_eq(lstat(p.data, &st), 0, "'%s' missing", p.data);
    buf_release(&p);
    return st;
}

Test(output, unchanged_files_are_linked_from_the_previous_site)
{
    char *target = in_sb("out");
    const char *first[] = {"a/same.html", "same", "a/changed.html", "old", NULL};
    build_once(target, NULL, first);
    struct stat same0 = stat_in(target, "a/same.html"),
                changed0 = stat_in(target, "a/changed.html");
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin(&o, target, sources, d), 0);
    cr_assert_eq(output_write(o, "a/same.html", "same", 4, d), 0);
    cr_assert_eq(output_write(o, "a/changed.html", "new", 3, d), 0);
    cr_expect_eq(output_reused(o), 1);
    cr_assert_eq(output_commit(o, d), 0);
    output_free(o, d);
    cr_assert_diag(d, "");
    struct stat same1 = stat_in(target, "a/same.html"),
                changed1 = stat_in(target, "a/changed.html");
    cr_expect_eq(same1.st_ino, same0.st_ino, "an unchanged file was written again");
    cr_expect_eq(same1.st_nlink, 1, "the previous site's name was left");
    cr_expect_neq(changed1.st_ino, changed0.st_ino);
    expect_file(target, "a/same.html", "same");
    expect_file(target, "a/changed.html", "new");
    expect_no_leftovers(sb);
    diag_free(d);
    free(target);
}

/* A folder of the previous site swapped for a link once the build began
 * (to a folder elsewhere holding a file of the same name and bytes): the
 * file there is never linked into the new site; it is written instead. */
Test(output, an_unchanged_file_is_never_linked_through_a_link)
{
    char *target = in_sb("out");
    const char *first[] = {"a/same.html", "same", NULL};
    build_once(target, NULL, first);
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin(&o, target, sources, d), 0);
    write_rel("secret/same.html", "same");
    char *a = in_sb("out/a"), *moved = in_sb("moved"), *secret = in_sb("secret");
    cr_assert_eq(rename(a, moved), 0);
    cr_assert_eq(symlink(secret, a), 0);
    cr_assert_eq(output_write(o, "a/same.html", "same", 4, d), 0);
    cr_expect_eq(output_reused(o), 0, "a file was linked through a link");
    cr_assert_eq(unlink(a), 0);
    cr_assert_eq(rename(moved, a), 0);
    cr_assert_eq(output_commit(o, d), 0);
    output_free(o, d);
    cr_assert_diag(d, "");
    struct stat kept = stat_in(sb, "secret/same.html"), now = stat_in(target, "a/same.html");
    cr_expect_eq(kept.st_nlink, 1, "the file behind the link was linked into the site");
    cr_expect_neq(now.st_ino, kept.st_ino);
    expect_file(target, "a/same.html", "same");
    diag_free(d);
    free(target);
    free(a);
    free(moved);
    free(secret);
}

static int fill_text(void *ctx, buf *chunk)
{
    const char **text = ctx;
    if (!*text)
        return 0;
    buf_reset(chunk);
    buf_adds(chunk, *text);
    *text = NULL;
    return 1;
}

Test(output, an_unchanged_stream_is_replaced_by_the_previous_file)
{
    char *target = in_sb("out");
    const char *first[] = {"big.html", "streamed", NULL};
    build_once(target, NULL, first);
    /* An old time, so a rewrite now could not keep it by chance. */
    char *p = in_sb("out/big.html");
    struct timespec old[2] = {{1000000000, 0}, {1000000000, 0}};
    cr_assert_eq(utimensat(AT_FDCWD, p, old, AT_SYMLINK_NOFOLLOW), 0);
    ino_t ino = stat_in(target, "big.html").st_ino;
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin(&o, target, sources, d), 0);
    const char *text = "streamed";
    cr_assert_eq(output_stream(o, "big.html", fill_text, &text, d), 0);
    cr_assert_eq(output_commit(o, d), 0);
    output_free(o, d);
    cr_assert_diag(d, "");
    cr_expect_eq(stat_in(target, "big.html").st_mtim.tv_sec, 1000000000);
    cr_expect_eq(stat_in(target, "big.html").st_ino, ino, "not the previous file");
    expect_no_leftovers(sb);
    expect_absent(target, ".charter-relink-0");
    expect_file(target, "big.html", "streamed");
    diag_free(d);
    free(p);
    free(target);
}

/* The listing behind manifest.json gives each file the size it was
 * written with or, linked from the previous site, the size the previous
 * build recorded of that same content: by every way a file gets there. */
Test(output, the_listing_gives_each_file_its_size_however_it_got_there)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    const char key[DIGEST_HEX] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    diags *d = diag_new(NULL);
    for (int round = 0; round < 2; round++) {
        output *o = NULL;
        cr_assert_eq(output_begin_cached(&o, target, sources, cache, 0, NULL, d), 0);
        /* Round 2 links the first three from round 1; "new.html" is new. */
        if (round == 0 || !output_reuse_keyed(o, "keyed.html", key))
            cr_assert_eq(output_write_keyed(o, "keyed.html", key, "made from a key", 15, d), 0);
        cr_assert_eq(output_write(o, "d/same.html", "the same bytes", 14, d), 0);
        const char *text = "streamed, twice";
        cr_assert_eq(output_stream(o, "big.html", fill_text, &text, d), 0);
        if (round == 1)
            cr_assert_eq(output_write(o, "new.html", "12345", 5, d), 0);
        cr_expect_eq(output_reused(o), round ? 3 : 0);
        manifest_entry *v;
        size_t n;
        output_listing(&v, &n, o);
        cr_assert_eq(n, 3u + (unsigned)round);
        for (size_t i = 0; i < n; i++) {
            struct stat st = stat_in(output_staging(o), v[i].rel);
            cr_expect_eq(v[i].size, (long long)st.st_size, "round %d: '%s'", round, v[i].rel);
        }
        manifest_entries_free(v, n);
        cr_assert_eq(output_commit(o, d), 0);
        output_free(o, d);
    }
    cr_assert_diag(d, "");
    diag_free(d);
    free(cache);
    free(target);
}

/* ... and takes it from what it recorded, not from the staging folder,
 * which publishing does not read again for it. */
Test(output, the_listing_reads_no_file_again)
{
    char *target = in_sb("out");
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin(&o, target, sources, d), 0);
    cr_assert_eq(output_write(o, "a.html", "abc", 3, d), 0);
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/a.html", output_staging(o));
    cr_assert_eq(unlink(p.data), 0);
    manifest_entry *v;
    size_t n;
    output_listing(&v, &n, o);
    cr_assert_eq(n, 1u);
    cr_expect_str_eq(v[0].rel, "a.html");
    cr_expect_eq(v[0].size, 3);
    manifest_entries_free(v, n);
    output_free(o, d); /* not published */
    cr_assert_diag(d, "");
    buf_release(&p);
    diag_free(d);
    free(target);
}

/* output_begin_cached refuses target, with `what` in its message. */
static void expect_cached_refusal(const char *target, const char *cache, const char *what)
{
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_expect_eq(output_begin_cached(&o, target, sources, cache, 0, NULL, d), -1);
    char *got = unit_diag_text(d);
    cr_expect(strstr(got, what) != NULL, "%s", got);
    free(got);
    output_free(o, d);
    diag_free(d);
}

/* The cache lets verification skip files whose stat is unchanged; a file
 * changed since, even to the same size and with its times set back, is
 * still read and refused. */
Test(output, cache_never_hides_an_edited_output)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    const char *files[] = {"a.html", "aaaa", "b.html", "bbbb", NULL};
    build_once(target, cache, files);
    char **list;
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_list(&list, cache, 0, d), 0);
    cr_assert_not_null(list[0], "no cache written");
    cr_expect_null(list[1]);
    fs_list_free(list);
    /* Rebuilt through the cache: fine, and the cache is rewritten. */
    build_once(target, cache, files);
    char *p = in_sb("out/a.html");
    struct stat st = stat_in(target, "a.html");
    write_rel("out/a.html", "AAAA");
    struct timespec back[2] = {st.st_atim, st.st_mtim};
    cr_assert_eq(utimensat(AT_FDCWD, p, back, AT_SYMLINK_NOFOLLOW), 0);
    expect_cached_refusal(target, cache, "'a.html' in it was changed since charter wrote it");
    diag_free(d);
    free(p);
    free(cache);
    free(target);
}

Test(output, no_cache_written_without_a_commit)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin_cached(&o, target, sources, cache, 0, NULL, d), 0);
    cr_assert_eq(output_write(o, "a.html", "a", 1, d), 0);
    output_free(o, d); /* a failed build */
    expect_absent(sb, "cache");
    cr_assert_diag(d, "");
    diag_free(d);
    free(cache);
    free(target);
}

/* A large site is removed on two cores, split between its top folders:
 * every listed file and every folder they leave empty goes, whichever side
 * removed it; a folder holding a file charter did not write stays, and so
 * does the site's own folder, with a warning naming what kept it. */
Test(output, removal_on_two_cores_keeps_what_is_not_listed)
{
    /* 41 x 21 files: the middle one falls inside a folder (s20). */
    enum { TOPS = 41, PER = 21 };
    char **rels = xcalloc(TOPS * PER + 1, sizeof *rels);
    size_t n = 0;
    char rel[64];
    for (int t = 0; t < TOPS; t++)
        for (int f = 0; f < PER; f++) {
            /* Nested a level in half of them: folders inside folders. */
            snprintf(rel, sizeof rel, f % 2 ? "out/s%02d/p%02d/index.html" : "out/s%02d/f%02d.html",
                     t, f);
            write_rel(rel, "x\n");
            rels[n++] = xstrdup(rel + 4);
        }
    write_rel("out/s17/mine.txt", "mine\n");
    char *dir = in_sb("out");
    diags *d = diag_new(NULL);
    manifest_remove_listed(dir, rels, n, 1, "out", "the previous site", d);
    char *got = unit_diag_text(d);
    cr_expect(strstr(got, "kept the previous site 'out': it holds 's17'") != NULL, "%s", got);
    free(got);
    expect_file(dir, "s17/mine.txt", "mine\n");
    char **list = NULL;
    cr_assert_eq(fs_list(&list, dir, 1, d), 0);
    cr_expect_str_eq(list[0], "s17");
    cr_expect_null(list[1], "left behind: '%s'", list[1] ? list[1] : "");
    fs_list_free(list);
    char *s17 = in_sb("out/s17");
    cr_assert_eq(fs_list(&list, s17, 1, d), 0);
    cr_expect_str_eq(list[0], "mine.txt");
    cr_expect_null(list[1]);
    fs_list_free(list);
    free(s17);
    for (size_t i = 0; i < n; i++)
        free(rels[i]);
    free(rels);
    free(dir);
    diag_free(d);
}

/* Removal unlinks each listed path without looking first: a folder found
 * where a file was listed stays with what it holds, and a link found there
 * goes, never what it leads to. */
Test(output, removal_keeps_a_folder_at_a_listed_path_and_never_follows_a_link)
{
    write_rel("out/a.html/mine.txt", "mine\n");
    write_rel("out/b/index.html", "x\n");
    write_rel("elsewhere.txt", "kept\n");
    char *link = in_sb("out/b/link.html"), *target = in_sb("elsewhere.txt");
    cr_assert_eq(symlink(target, link), 0);
    char *rels[] = {"a.html", "b/index.html", "b/link.html"};
    char *dir = in_sb("out");
    diags *d = diag_new(NULL);
    manifest_remove_listed(dir, rels, 3, 0, "out", "the previous site", d);
    expect_file(dir, "a.html/mine.txt", "mine\n");
    expect_absent(dir, "b");
    expect_file(sb, "elsewhere.txt", "kept\n");
    diag_free(d);
    free(dir);
    free(target);
    free(link);
}

/* ---- folders vouched for by the output cache ---- */

/* A folder the cache vouches for is not read: manifest_verify takes its
 * names from the manifest (so a name that is not there goes unseen), and
 * still checks each listed file by its digest. */
static int vouch_all(void *ctx, const char *rel, const struct stat *st)
{
    (void)rel;
    (void)st;
    (*(int *)ctx)++;
    return 1;
}

static int vouch_none(void *ctx, const char *rel, const struct stat *st)
{
    (void)rel;
    (void)st;
    (*(int *)ctx)++;
    return 0;
}

/* manifest_verify of t refuses, with `what` in its message. */
static void expect_verify_refuses(const char *t, const manifest_entry *v, size_t n,
                                  const manifest_known *known, const char *what)
{
    diags *d = diag_new(NULL);
    cr_expect_eq(manifest_verify(t, t, v, n, known, NULL, d), -1);
    char *got = unit_diag_text(d);
    cr_expect(strstr(got, what) != NULL, "%s", got);
    free(got);
    diag_free(d);
}

Test(output, a_vouched_folder_takes_its_names_from_the_manifest)
{
    static const char *const files[] = {"index.html", "hi\n", "a/x.html", "x\n",
                                        "b/c/y.html", "y\n",  NULL};
    build_rel("out", files);
    manifest_entry *v = NULL;
    size_t n = 0;
    char *t = in_sb("out");
    diags *d = diag_new(NULL);
    cr_assert_eq(manifest_read(&v, &n, t, t, d), 1);
    write_rel("out/b/c/foreign.txt", "mine\n");
    int asked = 0;
    manifest_known all = {NULL, vouch_all, &asked}, none = {NULL, vouch_none, &asked};
    cr_expect_eq(manifest_verify(t, t, v, n, &all, NULL, d), 0);
    cr_expect_eq(asked, 3, "asked for a, b and b/c"); /* never the top folder */
    cr_assert_diag(d, "");
    diag_free(d);
    asked = 0;
    expect_verify_refuses(t, v, n, &none, "'b/c/foreign.txt' in it was not written by charter");
    cr_expect_eq(asked, 3);
    /* A listed file in a vouched folder is still hashed, whatever the order
     * of the manifest's lines. */
    write_rel("out/a/x.html", "edited\n");
    const char *changed = "'a/x.html' in it was changed since charter wrote it";
    expect_verify_refuses(t, v, n, &all, changed);
    for (size_t i = 0; i < n / 2; i++) {
        manifest_entry e = v[i];
        v[i] = v[n - 1 - i];
        v[n - 1 - i] = e;
    }
    expect_verify_refuses(t, v, n, &all, changed);
    manifest_entries_free(v, n);
    free(t);
}

/* A folder's times change when a name in it is added: the cache stops
 * vouching for it, even with its modification time set back. */
Test(output, cache_never_hides_a_file_added_to_a_folder)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    const char *files[] = {"index.html", "hi", "a/b/index.html", "bbbb", NULL};
    build_once(target, cache, files);
    char hex[DIGEST_HEX];
    cr_assert_eq(output_manifest_digest(hex, target), 0);
    cr_expect_eq(output_unchanged(target, cache, hex, NULL), 1);
    struct stat st = stat_in(target, "a/b");
    write_rel("out/a/b/notes.txt", "mine");
    char *dir = in_sb("out/a/b");
    struct timespec back[2] = {st.st_atim, st.st_mtim};
    cr_assert_eq(utimensat(AT_FDCWD, dir, back, AT_SYMLINK_NOFOLLOW), 0);
    cr_expect_eq(output_unchanged(target, cache, hex, NULL), 0);
    expect_cached_refusal(target, cache, "'a/b/notes.txt' in it was not written by charter");
    free(dir);
    free(cache);
    free(target);
}

/* The one output cache in dir (not a spare tree's, ".spare" and
 * ".spare.cache"); caller frees. */
static char *the_cache_file(const char *dir)
{
    char **list = NULL;
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_list(&list, dir, 0, d), 0);
    const char *found = NULL;
    for (char **e = list; *e; e++) {
        if (strstr(*e, ".spare"))
            continue;
        cr_assert_null(found, "two caches: '%s' and '%s'", found, *e);
        found = *e;
    }
    cr_assert_not_null(found, "no cache written");
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/%s", dir, found);
    fs_list_free(list);
    diag_free(d);
    return buf_detach(&p);
}

/* The cache records every folder below the top one with its stat: it
 * vouches for each while it is unchanged, never for one that changed or
 * that it does not record, and never for one changed just before the cache
 * was written (its next change could carry the same time). */
Test(output, cache_vouches_only_for_unchanged_folders)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    const char *files[] = {"index.html", "hi", "a/b/index.html", "bbbb", "c/index.html", "c", NULL};
    build_once(target, cache, files);
    char *path = the_cache_file(cache);
    outcache *c = outcache_read(path, target);
    cr_assert_not_null(c);
    struct stat a = stat_in(target, "a"), b = stat_in(target, "a/b"), cs = stat_in(target, "c"),
                top = stat_in(target, ".");
    cr_expect_eq(outcache_same_dir(c, "a", &a), 1);
    cr_expect_eq(outcache_same_dir(c, "a/b", &b), 1);
    cr_expect_eq(outcache_same_dir(c, "c", &cs), 1);
    cr_expect_eq(outcache_same_dir(c, "", &top), 0, "the top folder is always read");
    cr_expect_eq(outcache_same_dir(c, "a", &b), 0, "another folder's stat");
    cr_expect_eq(outcache_same_dir(c, "a/b/index.html", &b), 0, "a file is no folder");
    cr_expect_eq(outcache_same_dir(NULL, "a", &a), 0);
    write_rel("out/c/new.html", "n");
    cs = stat_in(target, "c");
    cr_expect_eq(outcache_same_dir(c, "c", &cs), 0);
    outcache_free(c);
    /* Racy: written at once, the cache vouches for nothing changed within
     * FS_RACY_NS before it. */
    manifest_entry e[1] = {{"c/new.html", {0}, {0}, -1}};
    memset(e[0].hex, 'a', 64);
    diags *d = diag_new(NULL);
    cr_assert_eq(outcache_write(path, target, e, 1, LLONG_MAX, 0, NULL, d), 0);
    c = outcache_read(path, target);
    cr_assert_not_null(c);
    cr_expect_eq(outcache_same_dir(c, "c", &cs), 0);
    outcache_free(c);
    cr_assert_diag(d, "");
    diag_free(d);
    free(path);
    free(cache);
    free(target);
}

static long long ns_of(struct timespec t)
{
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Whether the cache in cache_dir was written within half the racy window
 * of the last change to "a" and "a/b/index.html" in target. */
static int cache_within_window(const char *cache_dir, const char *target)
{
    char *path = the_cache_file(cache_dir);
    struct stat c, a = stat_in(target, "a/b"), f = stat_in(target, "a/b/index.html");
    cr_assert_eq(stat(path, &c), 0);
    free(path);
    long long oldest = ns_of(a.st_ctim) < ns_of(f.st_ctim) ? ns_of(a.st_ctim) : ns_of(f.st_ctim);
    return ns_of(c.st_mtim) - oldest < FS_RACY_NS / 2;
}

/* A small site's cache is written at once, without waiting out the racy
 * window (25 ms): what the build just wrote is recorded as unknown, so the
 * next build hashes those files and lists those folders again. The same
 * site is still accepted, and a file changed behind charter's back, its
 * size and times kept, still refused. A large site's build waits, and its
 * cache vouches for what it wrote. Each build changes a/b/index.html, so
 * that it is written (an unchanged file is kept from the spare tree, not
 * written). */
Test(output, a_small_site_is_not_waited_for_and_what_it_wrote_is_read_again)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    const char *files[2][5] = {{"index.html", "hi", "a/b/index.html", "bbbb", NULL},
                               {"index.html", "hi", "a/b/index.html", "BBBB", NULL}};
    int k = 0;
    for (int small = 0; small < 2; small++) {
        build_with(target, cache, files[k ^= 1], small ? OUTPUT_RACY_BYTES : 0);
        /* A small build writes its cache within the window of what it
         * wrote, unless the machine stalls it that long: then again. */
        for (int again = 0; small && again < 5 && !cache_within_window(cache, target); again++)
            build_with(target, cache, files[k ^= 1], OUTPUT_RACY_BYTES);
        char hex[DIGEST_HEX];
        digest_of(hex, files[k][3], 4);
        char *path = the_cache_file(cache);
        outcache *c = outcache_read(path, target);
        cr_assert_not_null(c);
        struct stat a = stat_in(target, "a/b"), f = stat_in(target, "a/b/index.html");
        cr_expect_eq(outcache_fresh(c, "a/b/index.html", &f, hex), !small, "small %d", small);
        cr_expect_eq(outcache_same_dir(c, "a/b", &a), !small, "small %d", small);
        outcache_free(c);
        free(path);
    }
    build_with(target, cache, files[k ^= 1], OUTPUT_RACY_BYTES);
    char *p = in_sb("out/a/b/index.html");
    struct stat st = stat_in(target, "a/b/index.html");
    write_rel("out/a/b/index.html", "XXXX");
    struct timespec back[2] = {st.st_atim, st.st_mtim};
    cr_assert_eq(utimensat(AT_FDCWD, p, back, AT_SYMLINK_NOFOLLOW), 0);
    expect_cached_refusal(target, cache,
                          "'a/b/index.html' in it was changed since charter wrote it");
    free(p);
    free(cache);
    free(target);
}

/* The wait for the racy window is counted from when the output last
 * changed (changed_ns: output_commit's end, or the previous site's
 * removal), not from the call: given that time, the cache is written at
 * once where the window has passed since. Only the wait goes: a file
 * changed after that time, within the window before the stats, is still
 * recorded as unknown, to be hashed again. */
Test(output, the_racy_wait_counts_from_the_last_change)
{
    char *target = in_sb("out"), *path = in_sb("cache/out.cache");
    manifest_entry e[1] = {{"new.html", {0}, {0}, 1}};
    digest_of(e[0].hex, "n", 1);
    diags *d = diag_new(NULL);
    write_rel("out/new.html", "n");
    cr_assert_eq(outcache_write(path, target, e, 1, 0, fs_trace_now(), NULL, d), 0);
    outcache *c = outcache_read(path, target);
    cr_assert_not_null(c);
    struct stat n = stat_in(target, "new.html");
    cr_expect_eq(outcache_fresh(c, "new.html", &n, e[0].hex), 1, "waited out from the change");
    outcache_free(c);
    /* Told the output last changed a second ago: no wait, and new.html,
     * written since, is unknown (again, should the machine stall between
     * the write and the stats for half the window). */
    for (int again = 0; again < 5; again++) {
        write_rel("out/new.html", "n");
        long long changed = fs_trace_now();
        cr_assert_eq(outcache_write(path, target, e, 1, 0, changed - 1000000000LL, NULL, d), 0);
        if (fs_trace_now() - changed < FS_RACY_NS / 2)
            break;
    }
    c = outcache_read(path, target);
    cr_assert_not_null(c);
    n = stat_in(target, "new.html");
    cr_expect_eq(outcache_fresh(c, "new.html", &n, e[0].hex), 0, "written within the window");
    outcache_free(c);
    cr_assert_diag(d, "");
    diag_free(d);
    free(path);
    free(target);
}

/* Only what changed within the racy window counts towards racy_bytes: a
 * large output whose files are settled, but for one small file just
 * written, is not waited for (that file is recorded as unknown, to be
 * hashed again); when the racy files are large, the wait lasts until the
 * window has passed since their own last change, not since changed_ns. */
Test(output, only_the_racy_files_are_weighed_and_waited_for)
{
    char *target = in_sb("out"), *path = in_sb("cache/out.cache");
    write_rel("out/old.html", "o");
    struct timespec pause = {0, FS_RACY_NS + 10000000L};
    nanosleep(&pause, NULL);
    /* old.html counted as 100 MB: weighed as the whole output was, the
     * cache would wait out the window. */
    manifest_entry e[2] = {{"new.html", {0}, {0}, 1}, {"old.html", {0}, {0}, 100LL << 20}};
    digest_of(e[0].hex, "n", 1);
    digest_of(e[1].hex, "o", 1);
    diags *d = diag_new(NULL);
    long long changed = 0;
    for (int again = 0; again < 5; again++) {
        write_rel("out/new.html", "n");
        changed = fs_trace_now();
        cr_assert_eq(outcache_write(path, target, e, 2, OUTPUT_RACY_BYTES, changed, NULL, d), 0);
        if (fs_trace_now() - changed < FS_RACY_NS / 2)
            break;
    }
    outcache *c = outcache_read(path, target);
    cr_assert_not_null(c);
    struct stat n = stat_in(target, "new.html"), o = stat_in(target, "old.html");
    cr_expect_eq(outcache_fresh(c, "new.html", &n, e[0].hex), 0, "not waited for: unknown");
    outcache_free(c);
    /* The racy file large, changed_ns a window ahead: the wait ends a
     * window after the file's change, well before changed_ns's. */
    e[0].size = 100LL << 20;
    write_rel("out/new.html", "n");
    long long before = fs_trace_now();
    cr_assert_eq(
        outcache_write(path, target, e, 2, OUTPUT_RACY_BYTES, before + 10 * FS_RACY_NS, NULL, d),
        0);
    cr_expect_lt(fs_trace_now() - before, 10 * FS_RACY_NS, "waited from the file's change");
    c = outcache_read(path, target);
    cr_assert_not_null(c);
    n = stat_in(target, "new.html");
    cr_expect_eq(outcache_fresh(c, "new.html", &n, e[0].hex), 1, "waited for: vouched for");
    cr_expect_eq(outcache_fresh(c, "old.html", &o, e[1].hex), 1);
    outcache_free(c);
    cr_assert_diag(d, "");
    diag_free(d);
    free(path);
    free(target);
}

/* A file changed within the racy window before the cache's stats is never
 * vouched for, however long after them the cache is written (a large
 * output's stats can take longer than the window); one older is. */
Test(output, a_racy_file_is_unknown_however_late_the_cache_is_written)
{
    char *target = in_sb("out"), *path = in_sb("cache/out.cache");
    write_rel("out/old.html", "o");
    struct timespec pause = {0, FS_RACY_NS + 10000000L};
    nanosleep(&pause, NULL);
    manifest_entry e[2] = {{"new.html", {0}, {0}, 1}, {"old.html", {0}, {0}, 1}};
    digest_of(e[0].hex, "n", 1);
    digest_of(e[1].hex, "o", 1);
    diags *d = diag_new(NULL);
    /* new.html changed just before the stats (again, should the machine
     * stall between the two for half the window). */
    for (int again = 0; again < 5; again++) {
        write_rel("out/new.html", "n");
        long long changed = fs_trace_now();
        cr_assert_eq(outcache_write(path, target, e, 2, LLONG_MAX, 0, NULL, d), 0);
        if (fs_trace_now() - changed < FS_RACY_NS / 2)
            break;
    }
    /* Its time set as if it was written two windows after the stats. */
    pause.tv_nsec = 2 * FS_RACY_NS;
    nanosleep(&pause, NULL);
    cr_assert_eq(utimensat(AT_FDCWD, path, NULL, AT_SYMLINK_NOFOLLOW), 0);
    outcache *c = outcache_read(path, target);
    cr_assert_not_null(c);
    struct stat n = stat_in(target, "new.html"), o = stat_in(target, "old.html");
    cr_expect_eq(outcache_fresh(c, "new.html", &n, e[0].hex), 0);
    cr_expect_eq(outcache_fresh(c, "old.html", &o, e[1].hex), 1);
    outcache_free(c);
    cr_assert_diag(d, "");
    diag_free(d);
    free(path);
    free(target);
}

/* A change time of whole seconds is a whole-second file system's
 * (fs_racy_ns): the cache vouches for such a file only once it is two
 * seconds older than the cache; a finer one's, past FS_RACY_NS. The cache
 * is written by hand, at a time set on its file. */
Test(output, whole_second_times_are_racy_for_two_seconds)
{
    cr_expect_eq(fs_racy_ns(1796400000123456789LL), FS_RACY_NS);
    cr_expect_eq(fs_racy_ns(1796400000000000000LL), FS_RACY_COARSE_NS);
    char *target = in_sb("out"), *path = in_sb("cache/out.cache");
    write_rel("out/x", "x");
    const long long t = 1796400000LL; /* the cache's writing, in seconds */
    static const struct {
        long long ctime_s, ctime_ns;
        int fresh;
    } cases[] = {
        {t - 1, 0, 0},         /* whole seconds, one before: racy */
        {t - 2, 0, 0},         /* two: still within the window */
        {t - 3, 0, 1},         /* three: settled */
        {t - 1, 500000000, 1}, /* a finer file system's, half a second before */
        {t, -10000000, 0},     /* a finer one's, 10 ms before: racy */
    };
    char hex[DIGEST_HEX];
    memset(hex, 'a', DIGEST_HEX - 1);
    hex[DIGEST_HEX - 1] = '\0';
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        long long cs = cases[i].ctime_s, cn = cases[i].ctime_ns;
        if (cn < 0) {
            cs -= 1;
            cn += 1000000000LL;
        }
        buf b;
        buf_init(&b);
        buf_printf(&b, "%s\t%s\n%s - 1 %lld.%lld %lld.%lld 77 88 x\n", "charter-output-cache 3",
                   target, hex, cs, cn, cs, cn);
        diags *d = diag_new(NULL);
        cr_assert_eq(fs_write(path, b.data, b.len, d), 0);
        diag_free(d);
        buf_release(&b);
        struct timespec times[2] = {{(time_t)t, 0}, {(time_t)t, 0}};
        cr_assert_eq(utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW), 0);
        outcache *c = outcache_read(path, target);
        cr_assert_not_null(c, "case %zu", i);
        struct stat st;
        memset(&st, 0, sizeof st);
        st.st_mode = S_IFREG | 0644;
        st.st_size = 1;
        st.st_mtim.tv_sec = st.st_ctim.tv_sec = (time_t)cs;
        st.st_mtim.tv_nsec = st.st_ctim.tv_nsec = (long)cn;
        st.st_ino = 77;
        st.st_dev = 88;
        cr_expect_eq(outcache_fresh(c, "x", &st, hex), cases[i].fresh, "case %zu", i);
        outcache_free(c);
    }
    free(path);
    free(target);
}

/* A cache with a malformed line is not believed at all. */
Test(output, a_malformed_cache_is_ignored)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    const char *files[] = {"a/index.html", "aaaa", NULL};
    build_once(target, cache, files);
    char *path = the_cache_file(cache);
    char *text = read_path(path);
    cr_assert_not_null(text);
    outcache *c = outcache_read(path, target);
    cr_expect_not_null(c, "the cache as written");
    outcache_free(c);
    static const char *const bad[] = {
        "D 1.2 3.4 5\n",                        /* a field short */
        "D 1.2 3.4 5 6 \n",                     /* no path */
        "D 1.x 3.4 5 6 a\n",                    /* not a number */
        "D 1.2 3.4 5 99999999999999999999 a\n", /* too large */
        "Dx 1.2 3.4 5 6 a\n",
        "abc - 1 2.3 4.5 6 7 a.html\n", /* a short digest */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        buf b;
        buf_init(&b);
        buf_adds(&b, text);
        buf_adds(&b, bad[i]);
        diags *d = diag_new(NULL);
        cr_assert_eq(fs_write(path, b.data, b.len, d), 0);
        diag_free(d);
        cr_expect_null(outcache_read(path, target), "believed %s", bad[i]);
        buf_release(&b);
    }
    free(text);
    free(path);
    free(cache);
    free(target);
}

/* ---- the spare tree: the site before last, written over as staging ---- */

/* The spare tree the cache in dir holds (its name ends ".spare"), or NULL;
 * caller frees. */
static char *the_spare(const char *dir)
{
    char **list = NULL;
    diags *d = diag_new(NULL);
    char *found = NULL;
    if (fs_list(&list, dir, 0, d) == 0)
        for (char **e = list; *e && !found; e++) {
            size_t n = strlen(*e);
            if (n > 6 && !strcmp(*e + n - 6, ".spare")) {
                buf p;
                buf_init(&p);
                buf_printf(&p, "%s/%s", dir, *e);
                found = buf_detach(&p);
            }
        }
    fs_list_free(list);
    diag_free(d);
    return found;
}

static const char *const spare_v1[] = {
    "index.html", "home",      "a/same.html", "same",          "a/changed.html",
    "one",        "gone.html", "g",           "b/c/keep.html", "keep",
    "b/old.html", "old",       NULL};
static const char *const spare_v2[] = {
    "index.html", "home",      "a/same.html", "same",          "a/changed.html",
    "two",        "gone.html", "g",           "b/c/keep.html", "keep",
    "b/old.html", "old",       NULL};
static const char *const spare_v3[] = {
    "index.html", "home",           "a/same.html", "same",          "a/changed.html",
    "three",      "new/index.html", "n",           "b/c/keep.html", "keep",
    NULL};

/* Builds spare_v1, then spare_v2 into target with the cache in cache, and
 * returns the spare tree the second build kept (v1's site); caller frees. */
static char *spare_after_two_builds(const char *target, const char *cache)
{
    build_once(target, cache, spare_v1);
    build_once(target, cache, spare_v2);
    char *spare = the_spare(cache);
    cr_assert_not_null(spare, "the replaced site was not kept");
    return spare;
}

/* Asserts that dir holds exactly files (name, text pairs) and its manifest. */
static void expect_site(const char *dir, const char *const *files)
{
    size_t n = 0;
    for (const char *const *f = files; *f; f += 2, n++)
        expect_file(dir, f[0], f[1]);
    manifest_entry *v = NULL;
    size_t m = 0;
    diags *d = diag_new(NULL);
    cr_assert_eq(manifest_read(&v, &m, dir, dir, d), 1);
    cr_expect_eq(m, n, "'%s' lists %zu files, not %zu", dir, m, n);
    cr_expect_eq(manifest_verify(dir, dir, v, m, NULL, NULL, d), 0);
    cr_assert_diag(d, "");
    manifest_entries_free(v, m);
    diag_free(d);
}

/* With a build cache, the site a build replaces is kept in it as the
 * spare tree, and the next build writes over it: a file the last two
 * sites share stays as it is (the same inode, so with two names), only
 * what differs is written or removed, and the replaced site becomes the
 * spare in turn. */
Test(output, the_site_before_is_kept_and_the_next_build_writes_only_what_differs)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    build_once(target, cache, spare_v1);
    cr_expect_null(the_spare(cache), "a spare with no site replaced");
    build_once(target, cache, spare_v2);
    char *spare = the_spare(cache);
    cr_assert_not_null(spare, "the replaced site was not kept");
    expect_site(spare, spare_v1);
    struct stat same2 = stat_in(target, "a/same.html");
    build_once(target, cache, spare_v3);
    expect_site(target, spare_v3);
    expect_absent(target, "gone.html");
    struct stat same3 = stat_in(target, "a/same.html");
    cr_expect_eq(same3.st_ino, same2.st_ino, "an unchanged file was written again");
    cr_expect_eq(same3.st_nlink, 2, "not shared with the spare");
    expect_site(spare, spare_v2);
    expect_no_leftovers(sb);
    /* And back: the spare (v2's) is written over again. */
    build_once(target, cache, spare_v1);
    expect_site(target, spare_v1);
    expect_site(spare, spare_v3);
    expect_no_leftovers(sb);
    free(spare);
    free(cache);
    free(target);
}

/* A spare holding a name charter did not write is not written over or
 * published: its own files go, the stranger stays (a warning), and the
 * build stages afresh. */
Test(output, a_spare_with_a_stranger_is_not_used)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    char *spare = spare_after_two_builds(target, cache);
    unit_put(spare, "a/stray.html", "stray");
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin_cached(&o, target, sources, cache, 0, NULL, d), 0);
    output_set_racy_bytes(o, 0);
    for (const char *const *f = spare_v3; *f; f += 2)
        cr_assert_eq(output_write(o, f[0], f[1], strlen(f[1]), d), 0);
    cr_assert_eq(output_commit(o, d), 0);
    output_free(o, d);
    char *got = unit_diag_text(d);
    cr_expect(strstr(got, "kept the spare copy of the site") && strstr(got, "'a'"), "%s", got);
    free(got);
    expect_site(target, spare_v3);
    expect_absent(target, "a/stray.html");
    expect_file(spare, "a/stray.html", "stray");
    expect_absent(spare, "a/same.html");
    expect_no_leftovers(sb);
    diag_free(d);
    free(spare);
    free(cache);
    free(target);
}

/* A file gone from the spare (its folder's times set back, which cannot
 * set back its change time) is noticed: the spare is read whole, found
 * short, and not used. */
Test(output, a_spare_missing_a_file_is_not_used)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    char *spare = spare_after_two_builds(target, cache);
    struct stat a = stat_in(spare, "a");
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/a/same.html", spare);
    cr_assert_eq(unlink(p.data), 0);
    buf_reset(&p);
    buf_printf(&p, "%s/a", spare);
    struct timespec back[2] = {a.st_atim, a.st_mtim};
    cr_assert_eq(utimensat(AT_FDCWD, p.data, back, AT_SYMLINK_NOFOLLOW), 0);
    build_once(target, cache, spare_v3);
    expect_site(target, spare_v3);
    expect_site(spare, spare_v2);
    buf_release(&p);
    free(spare);
    free(cache);
    free(target);
}

/* How build_v3_with builds, and what it found. */
typedef struct v3_run {
    int own;              /* output_begin_cached's own */
    output_prefetch *pre; /* ... and its pre (may be NULL) */
    const char *want;     /* how the spare tree is to be taken (output_spare_use) */
    int taken;            /* output_taken_own */
    int prefetched;       /* output_prefetched */
    size_t listed;        /* the spare's folders listed */
} v3_run;

/* Builds spare_v3 into target through cache, as build_once does, as run
 * says; expects the spare tree taken as run->want says and the output to
 * hold spare_v3. */
static void build_v3_with(const char *target, const char *cache, v3_run *run)
{
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin_cached(&o, target, sources, cache, run->own, run->pre, d), 0);
    const char *use = output_spare_use(o, &run->listed);
    cr_expect_str_eq(use ? use : "(not taken)", run->want);
    run->taken = output_taken_own(o);
    run->prefetched = output_prefetched(o);
    output_set_racy_bytes(o, 0);
    for (const char *const *f = spare_v3; *f; f += 2)
        cr_assert_eq(output_write(o, f[0], f[1], strlen(f[1]), d), 0);
    cr_assert_eq(output_commit(o, d), 0);
    output_free(o, d);
    cr_assert_diag(d, "");
    diag_free(d);
    expect_site(target, spare_v3);
}

/* As build_v3_with, plainly; returns how many of the spare's folders it
 * listed. */
static size_t build_v3_over_spare(const char *target, const char *cache, const char *want)
{
    v3_run run = {.want = want};
    build_v3_with(target, cache, &run);
    return run.listed;
}

/* An output its caller vouches for (charter serve's private folder) is
 * taken by its cache: the previous site's files by the inodes it records,
 * the spare by its folders' records. A file the last two sites share is
 * still recognised as the very same file, and kept. */
Test(output, an_own_output_is_taken_by_its_cache)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    char *spare = spare_after_two_builds(target, cache);
    struct stat same2 = stat_in(target, "a/same.html");
    v3_run run = {.own = 1, .want = "by its folders"};
    build_v3_with(target, cache, &run);
    cr_expect(run.taken, "the previous site was stat-ed");
    struct stat same3 = stat_in(target, "a/same.html");
    cr_expect_eq(same3.st_ino, same2.st_ino, "the shared file was written again");
    expect_site(spare, spare_v2);
    expect_no_leftovers(sb);
    free(spare);
    free(cache);
    free(target);
}

/* Without the output's cache there is nothing to take it by: vouched for
 * or not, the previous site is verified file by file. */
Test(output, an_own_output_without_its_cache_is_verified)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    char *spare = spare_after_two_builds(target, cache);
    buf p;
    buf_init(&p);
    buf_add(&p, spare, strlen(spare) - strlen(".spare"));
    buf_adds(&p, ".cache");
    cr_assert_eq(unlink(p.data), 0, "no output cache at '%s'", p.data);
    v3_run run = {.own = 1, .want = "by its folders"};
    build_v3_with(target, cache, &run);
    cr_expect_not(run.taken, "taken without a cache");
    buf_release(&p);
    free(spare);
    free(cache);
    free(target);
}

/* What a server read of its output while it waited (output_prefetch_read)
 * is taken when the files are as they were: the site's manifest and
 * output cache, the spare's manifest and output cache. */
Test(output, a_prefetch_is_taken_where_its_files_are_unchanged)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    char *spare = spare_after_two_builds(target, cache);
    v3_run run = {.pre = output_prefetch_read(target, cache), .want = "by its folders"};
    build_v3_with(target, cache, &run);
    cr_expect_eq(run.prefetched, 4);
    output_prefetch_free(run.pre);
    expect_site(spare, spare_v2);
    free(spare);
    free(cache);
    free(target);
}

/* Read before another build replaced each of those files, the prefetch is
 * not taken: each is read again, and the build is as without it. */
Test(output, a_prefetch_of_files_replaced_since_is_not_taken)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    char *spare = spare_after_two_builds(target, cache);
    output_prefetch *pre = output_prefetch_read(target, cache);
    build_once(target, cache, spare_v1);
    v3_run run = {.pre = pre, .want = "by its folders"};
    build_v3_with(target, cache, &run);
    cr_expect_eq(run.prefetched, 0);
    output_prefetch_free(pre);
    expect_site(spare, spare_v1);
    free(spare);
    free(cache);
    free(target);
}

/* A name added to the spare's folder a and removed again: the folder's
 * times changed, as when a build wrote there within the racy window before
 * the spare's outcache was written (the folder of the page an edit
 * rewrote). Its names are listed instead, found as they were, each file
 * the inode recorded: the spare is still taken by its folders, not read
 * whole, and a file the last two sites share is kept. */
Test(output, a_spare_folder_whose_times_changed_is_listed)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    char *spare = spare_after_two_builds(target, cache);
    struct stat same2 = stat_in(target, "a/same.html");
    unit_put(spare, "a/passing.html", "x");
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/a/passing.html", spare);
    cr_assert_eq(unlink(p.data), 0);
    size_t listed = build_v3_over_spare(target, cache, "by its folders");
    cr_expect_eq(listed, 1, "%zu folders listed, not 1", listed);
    expect_site(spare, spare_v2);
    struct stat same3 = stat_in(target, "a/same.html");
    cr_expect_eq(same3.st_ino, same2.st_ino, "an unchanged file was written again");
    expect_no_leftovers(sb);
    buf_release(&p);
    free(spare);
    free(cache);
    free(target);
}

/* A file of the spare replaced by another with the same bytes (so its
 * folder changed): listing its folder finds the name leading to another
 * inode than recorded, so the spare is read whole; the new site is right
 * and the replaced file is not kept as the previous site's. */
Test(output, a_spare_file_replaced_is_not_taken_by_its_folder)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    char *spare = spare_after_two_builds(target, cache);
    struct stat same2 = stat_in(target, "a/same.html");
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/a/same.html", spare);
    cr_assert_eq(unlink(p.data), 0);
    unit_put(spare, "a/same.html", "same");
    build_v3_over_spare(target, cache, "read whole");
    expect_site(spare, spare_v2);
    struct stat same3 = stat_in(target, "a/same.html");
    cr_expect_eq(same3.st_ino, same2.st_ino, "the previous site's file was not the one kept");
    expect_no_leftovers(sb);
    buf_release(&p);
    free(spare);
    free(cache);
    free(target);
}

/* The site a build replaced with a fresh staging (there was no spare)
 * keeps its own outcache as the spare's: the file is moved, not written
 * again by stat-ing the spare (20,000 names at 10,000 pages); the next
 * build takes the spare by it, by its folders. */
Test(output, the_replaced_site_keeps_its_outcache_as_the_spare_s)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    build_once(target, cache, spare_v1);
    char *was = the_cache_file(cache);
    struct stat before;
    cr_assert_eq(stat(was, &before), 0);
    build_once(target, cache, spare_v2);
    buf p;
    buf_init(&p);
    buf_add(&p, was, strlen(was) - strlen(".cache"));
    buf_adds(&p, ".spare.cache");
    struct stat after;
    cr_assert_eq(stat(p.data, &after), 0, "no '%s'", p.data);
    cr_expect(after.st_ino == before.st_ino && after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
                  after.st_mtim.tv_nsec == before.st_mtim.tv_nsec,
              "the spare's outcache was written anew");
    build_v3_over_spare(target, cache, "by its folders");
    expect_no_leftovers(sb);
    buf_release(&p);
    free(was);
    free(cache);
    free(target);
}

/* A spare made for an output that has none (the first build's, staged
 * afresh): its files the output's own (linked), both outcaches written
 * again, so that the next build takes it by its folders and the output's
 * files are still vouched for by their stat; a second call finds it there
 * and does nothing. */
Test(output, a_spare_made_for_a_first_build_is_taken_by_the_next)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    build_once(target, cache, spare_v1);
    cr_assert_null(the_spare(cache));
    struct stat same1 = stat_in(target, "a/same.html");
    cr_assert_eq(output_make_spare(target, cache), 1);
    cr_expect_eq(output_make_spare(target, cache), 0, "made twice");
    char *spare = the_spare(cache);
    cr_assert_not_null(spare, "no spare made");
    expect_site(spare, spare_v1);
    cr_expect_eq(stat_in(spare, "a/same.html").st_ino, same1.st_ino, "not the output's file");
    expect_absent(spare, OUTPUT_JOURNAL);
    /* The output, as its cache says: unchanged, without reading it. */
    char hex[DIGEST_HEX];
    cr_assert_eq(output_manifest_digest(hex, target), 0);
    cr_expect(output_unchanged(target, cache, hex, NULL), "the output's cache no longer vouches");
    size_t listed = build_v3_over_spare(target, cache, "by its folders");
    cr_expect_eq(listed, 0, "%zu folders listed", listed);
    expect_site(spare, spare_v1);
    expect_no_leftovers(sb);
    free(spare);
    free(cache);
    free(target);
}

/* No spare is made while a build holds the output's lock, nor for a site
 * changed since it was published (its file no longer the one listed). */
Test(output, no_spare_is_made_for_a_changed_site_or_under_a_build)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    build_once(target, cache, spare_v1);
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin_cached(&o, target, sources, cache, 0, NULL, d), 0);
    cr_expect_eq(output_make_spare(target, cache), 0, "made under a build's lock");
    output_abandon(o);
    output_free(o, d);
    write_rel("out/a/same.html", "EDITED");
    cr_expect_eq(output_make_spare(target, cache), 0, "made of a changed site");
    cr_expect_null(the_spare(cache));
    expect_no_leftovers(sb);
    diag_free(d);
    free(cache);
    free(target);
}

/* The output's file, which the spare shares, edited in place and then
 * moved away (as the refusal to replace an edited output advises): the
 * spare's name for it still leads to the edited bytes, and its manifest
 * still gives the old digest. Only a file that is still the previous
 * site's own is kept, so the build writes it again. */
Test(output, a_shared_file_edited_and_moved_out_of_the_output_is_not_kept)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    char *spare = spare_after_two_builds(target, cache);
    cr_assert_eq(stat_in(target, "a/same.html").st_nlink, 2, "the premise: a shared file");
    write_rel("out/a/same.html", "EDIT");
    char *from = in_sb("out/a/same.html"), *to = in_sb("moved.html");
    cr_assert_eq(rename(from, to), 0);
    build_once(target, cache, spare_v3);
    expect_site(target, spare_v3);
    free(from);
    free(to);
    free(spare);
    free(cache);
    free(target);
}

/* A build that fails after writing into the spare leaves the output byte
 * for byte as it was and the spare gone, files and cache; the next build
 * stages afresh and keeps a spare again. */
Test(output, a_failed_build_in_the_spare_keeps_the_output_and_drops_the_spare)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    char *spare = spare_after_two_builds(target, cache);
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin_cached(&o, target, sources, cache, 0, NULL, d), 0);
    cr_expect_str_eq(output_staging(o), spare, "the spare is not the staging directory");
    cr_assert_eq(output_write(o, "a/changed.html", "three", 5, d), 0);
    cr_assert_eq(output_write(o, "extra.html", "x", 1, d), 0);
    output_free(o, d); /* no commit: a failed build */
    cr_assert_diag(d, "");
    expect_site(target, spare_v2);
    struct stat st;
    cr_expect_neq(lstat(spare, &st), 0, "the spare was left");
    char **list = NULL;
    cr_assert_eq(fs_list(&list, cache, 0, d), 0);
    for (char **e = list; *e; e++)
        cr_expect_null(strstr(*e, ".spare"), "'%s' left", *e);
    fs_list_free(list);
    build_once(target, cache, spare_v3);
    expect_site(target, spare_v3);
    expect_site(spare, spare_v2);
    diag_free(d);
    free(spare);
    free(cache);
    free(target);
}

/* A build killed while writing into the spare leaves its journal there:
 * the next build removes what the journal and the manifest list and
 * stages afresh. */
Test(output, a_killed_build_left_in_the_spare_is_swept)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    char *spare = spare_after_two_builds(target, cache);
    unit_put(spare, OUTPUT_JOURNAL, "half/index.html\n");
    unit_put(spare, "half/index.html", "half");
    build_once(target, cache, spare_v3);
    expect_site(target, spare_v3);
    expect_absent(target, "half");
    expect_site(spare, spare_v2);
    expect_absent(spare, "half");
    free(spare);
    free(cache);
    free(target);
}

/* A page's folder that becomes a file, and a file that becomes a folder,
 * where the spare has the other. */
Test(output, a_folder_and_a_file_trade_places_over_the_spare)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    const char *v1[] = {"x/index.html", "X", "x/sub/deep.html", "D", "y", "Y", NULL};
    const char *v2[] = {"x", "X2", "y/index.html", "Y2", "y/z/index.html", "Z", NULL};
    build_once(target, cache, v1);
    build_once(target, cache, v1);
    build_once(target, cache, v2);
    expect_site(target, v2);
    build_once(target, cache, v1);
    expect_site(target, v1);
    build_once(target, cache, v2);
    expect_site(target, v2);
    expect_no_leftovers(sb);
    free(cache);
    free(target);
}

/* Forgetting an output's cache (charter serve's folders) removes its spare
 * tree and that tree's cache too. */
Test(output, forgetting_an_output_removes_its_spare)
{
    char *target = in_sb("out"), *cache = in_sb("cache");
    char *spare = spare_after_two_builds(target, cache);
    free(spare);
    output_forget(cache, target);
    char **list = NULL;
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_list(&list, cache, 0, d), 0);
    cr_expect_null(list[0], "'%s' left", list[0]);
    fs_list_free(list);
    diag_free(d);
    expect_site(target, spare_v2);
    free(cache);
    free(target);
}

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of the cache at path after its header, sorted; caller frees
 * with fs_list_free. */
static char **cache_lines(const char *path)
{
    char *text = read_path(path);
    cr_assert_not_null(text, "no cache at '%s'", path);
    size_t n = 0, cap = 16;
    char **v = xcalloc(cap, sizeof *v);
    char *save = NULL;
    strtok_r(text, "\n", &save); /* the header names the directory */
    for (char *l = strtok_r(NULL, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (n + 2 > cap)
            v = xrealloc(v, (cap *= 2) * sizeof *v);
        v[n++] = xstrdup(l);
    }
    v[n] = NULL;
    qsort(v, n, sizeof *v, cmp_lines);
    free(text);
    return v;
}

/* After a build staged in the spare, the output's cache takes the stat of
 * what it kept and of the folders none of whose names changed from what it
 * knew, without a stat: it must record what a stat of every file and
 * folder records (here, after a file changed in a/, one added in new/ and
 * one removed at the top, one removed from b/; b/c/ unchanged). */
Test(output, the_cache_after_a_spare_build_records_what_a_stat_finds)
{
    char *target = in_sb("out"), *cache = in_sb("cache"), *again = in_sb("again.cache");
    char *spare = spare_after_two_builds(target, cache);
    build_once(target, cache, spare_v3);
    manifest_entry *v = NULL;
    size_t n = 0;
    diags *d = diag_new(NULL);
    cr_assert_eq(manifest_read(&v, &n, target, target, d), 1);
    cr_assert_eq(outcache_write(again, target, v, n, 0, 0, NULL, d), 0);
    char *path = the_cache_file(cache);
    char **carried = cache_lines(path), **stated = cache_lines(again);
    size_t i = 0;
    for (; carried[i] && stated[i]; i++)
        cr_expect_str_eq(carried[i], stated[i]);
    cr_expect(!carried[i] && !stated[i], "the caches differ in length");
    cr_expect_eq(i, 9, "not the files and folders of v3");
    fs_list_free(carried);
    fs_list_free(stated);
    manifest_entries_free(v, n);
    cr_assert_diag(d, "");
    diag_free(d);
    free(path);
    free(spare);
    free(again);
    free(cache);
    free(target);
}

/* ---- a page's folder, made before its file ---- */

/* open, counted: this test's own, which the output's calls reach before
 * libc's (it is the same call, made as a system call). Counts the opens
 * that would create a file and found no folder for it. */
static atomic_int creates_without_folder;

int open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, unsigned);
        va_end(ap);
    }
    int fd = (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
    if (fd < 0 && errno == ENOENT && (flags & O_CREAT))
        atomic_fetch_add(&creates_without_folder, 1);
    return fd;
}

/* A fresh output makes a page's folder before it opens the page (with
 * pretty URLs every page has a folder of its own): no open fails for want
 * of one, and every page, folders nested two deep and shared, is there. */
Test(output, new_folders_made_before_their_files)
{
    static const char *const files[] = {"a/x/index.html",
                                        "x\n",
                                        "a/y/index.html",
                                        "y\n",
                                        "a/index.html",
                                        "a\n",
                                        "b/c/d/e.html",
                                        "e\n",
                                        "b/c/d/f.html",
                                        "f\n",
                                        "index.html",
                                        "h\n",
                                        "b/c/index.html",
                                        "c\n",
                                        NULL};
    char *target = in_sb("fresh");
    atomic_store(&creates_without_folder, 0);
    build_once(target, NULL, files);
    cr_expect_eq(atomic_load(&creates_without_folder), 0, "%d opens found no folder for their file",
                 atomic_load(&creates_without_folder));
    for (const char *const *f = files; *f; f += 2)
        expect_file(target, f[0], f[1]);
    free(target);
}

/* ---- pruning: the caches of outputs that are gone ---- */

/* The names in dir, one per line, sorted; caller frees. */
static char *names_in(const char *dir)
{
    char **list = NULL;
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_list(&list, dir, 0, d), 0);
    buf b;
    buf_init(&b);
    for (char **e = list; *e; e++)
        buf_printf(&b, "%s\n", *e);
    fs_list_free(list);
    diag_free(d);
    return buf_detach(&b);
}

/* output_prune for each entry of cache, as a build does. */
static void prune(const char *cache)
{
    char **list = NULL;
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_list(&list, cache, 0, d), 0);
    for (char **e = list; *e; e++)
        output_prune(cache, *e);
    fs_list_free(list);
    diag_free(d);
}

static void remove_tree(const char *dir)
{
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_remove_tree(dir, d), 0, "cannot remove '%s'", dir);
    diag_free(d);
}

/* A folder built into twice keeps its replaced site as the spare tree in
 * the git directory's cache. Deleted, the next prune removes its cache and
 * spare (a copy of the site that would otherwise stay for good), and keeps
 * those of an output still there. */
Test(output, prune_removes_the_caches_of_an_output_that_is_gone)
{
    char *gone = in_sb("gone/out"), *kept = in_sb("kept"), *cache = in_sb("cache");
    char *spare = spare_after_two_builds(gone, cache);
    char *gone_only = names_in(cache);
    build_once(kept, cache, spare_v1);
    char *kept_cache = NULL;
    {
        char *all = names_in(cache);
        /* The name the second output added. */
        for (char *line = all, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
            *nl = '\0';
            if (!strstr(gone_only, line))
                kept_cache = xstrdup(line);
        }
        free(all);
    }
    cr_assert_not_null(kept_cache);
    char *before = names_in(cache);
    prune(cache);
    char *same = names_in(cache);
    cr_expect_str_eq(same, before, "a prune with both outputs there removed something");
    remove_tree(gone);
    prune(cache);
    char *after = names_in(cache), *want = NULL;
    {
        buf w;
        buf_init(&w);
        buf_printf(&w, "%s\n", kept_cache);
        want = buf_detach(&w);
    }
    cr_expect_str_eq(after, want, "left in the cache once '%s' was deleted", gone);
    expect_site(kept, spare_v1);
    free(want);
    free(after);
    free(same);
    free(before);
    free(kept_cache);
    free(gone_only);
    free(spare);
    free(cache);
    free(kept);
    free(gone);
}

/* A build into an output's parent folder holds its lock: the output may
 * be about to be made there, so its cache is left until a later prune. */
Test(output, prune_leaves_an_output_whose_parent_a_build_holds)
{
    char *gone = in_sb("parent/out"), *parent = in_sb("parent"), *cache = in_sb("cache");
    char *spare = spare_after_two_builds(gone, cache);
    remove_tree(gone);
    char *before = names_in(cache);
    int fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    cr_assert_geq(fd, 0);
    /* Another open file description: as another build's lock would be. */
    cr_assert_eq(flock(fd, LOCK_EX), 0);
    prune(cache);
    char *held = names_in(cache);
    cr_expect_str_eq(held, before, "pruned while the parent was locked");
    close(fd);
    prune(cache);
    char *after = names_in(cache);
    cr_expect_str_eq(after, "", "not pruned once the lock was released: '%s'", after);
    free(after);
    free(held);
    free(before);
    free(spare);
    free(cache);
    free(parent);
    free(gone);
}

/* Only a cache named for the output its header records is pruned: a file
 * of another name, or a header naming an output whose cache it is not,
 * stays. */
Test(output, prune_trusts_a_cache_only_under_its_own_name)
{
    char *cache = in_sb("cache");
    mkdir_rel("cache");
    char *gone = in_sb("nowhere");
    buf text;
    buf_init(&text);
    buf_printf(&text, "charter-output-cache 3\t%s\n", gone);
    write_rel("cache/output-0123456789abcdef.cache", text.data);
    write_rel("cache/output-notanid.cache", text.data);
    write_rel("cache/parse.cache", text.data);
    prune(cache);
    char *after = names_in(cache);
    cr_expect_str_eq(after, "output-0123456789abcdef.cache\noutput-notanid.cache\nparse.cache\n");
    free(after);
    buf_release(&text);
    free(gone);
    free(cache);
}

/* outcache_target reads an output cache's header alone: the output it
 * records; nothing for another file, a header cut short or a link. */
Test(output, outcache_target_reads_the_header)
{
    write_rel("c1", "charter-output-cache 3\t/srv/site out\nabc 1 2\n");
    write_rel("c2", "charter-output-cache 3\t/srv/site");
    write_rel("c3", "charter-stamp-1\ntarget /srv/site\n");
    write_rel("c4", "charter-output-cache 3\t\n");
    char *link = in_sb("c5");
    cr_assert_eq(symlink("c1", link), 0);
    free(link);
    for (int i = 1; i <= 6; i++) {
        char name[8];
        snprintf(name, sizeof name, "c%d", i);
        char *path = in_sb(name), *t = outcache_target(path);
        if (i == 1)
            cr_expect_str_eq(t ? t : "(none)", "/srv/site out");
        else
            cr_expect_null(t, "%s: '%s'", name, t);
        free(t);
        free(path);
    }
}
