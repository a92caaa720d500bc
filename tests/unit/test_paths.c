/* test_paths: joining, normalising and cleaning paths, one path relative to
 * another, pretty page URLs, permalink validation with its refusal reasons,
 * relative link resolution and the external-URL test. */
#include "unit.h"

#include "paths.h"

/* ---- path_join ---- */

static const struct {
    const char *a, *b, *want;
} join_cases[] = {
    {"a", "b", "a/b"},
    {"a/", "b", "a/b"},
    {"a", "/b", "a/b"},
    {"a//", "//b", "a/b"},
    {"a/b", "c/d.md", "a/b/c/d.md"},
    {"", "b", "b"},
    {"/", "b", "/b"},
    {"/", "/b", "/b"},
    {"a", "", "a"},
    {".", "x", "x"}, /* a site whose content is its root */
    {".", "", "."},
};

static const struct {
    const char *pattern, *rel, *name;
    int match;
} glob_cases[] = {
    {"notes.txt", "notes.txt", "notes.txt", 1},
    {"notes.txt", "hr/notes.txt", "notes.txt", 1}, /* no '/': any depth, by name */
    {"*.bak", "a/b/c.bak", "c.bak", 1},
    {"drafts/", "drafts", "drafts", 1}, /* a trailing '/' is ignored */
    {"hr/scratch-*", "hr/scratch-1.md", "scratch-1.md", 1},
    {"hr/scratch-*", "x/hr/scratch-1.md", "scratch-1.md", 0}, /* with '/': the whole path */
    {"hr/*", "hr/a/b.md", "b.md", 0},                         /* '*' stays in one component */
    {"/vendor", "vendor", "vendor", 1},                       /* a leading '/' is the top */
    {"[!.]*", ".x", ".x", 0},
    {"docs", "docsx", "docsx", 0},
};

Test(paths, glob_match)
{
    for (size_t i = 0; i < COUNT(glob_cases); i++)
        cr_expect_eq(path_glob_match(glob_cases[i].pattern, glob_cases[i].rel, glob_cases[i].name),
                     glob_cases[i].match, "'%s' against '%s'", glob_cases[i].pattern,
                     glob_cases[i].rel);
}

Test(paths, join)
{
    for (size_t i = 0; i < COUNT(join_cases); i++) {
        buf b;
        buf_init(&b);
        path_join(&b, join_cases[i].a, join_cases[i].b);
        cr_expect_str_eq(b.data, join_cases[i].want, "join '%s' '%s'", join_cases[i].a,
                         join_cases[i].b);
        buf_release(&b);
    }
}

Test(paths, join_appends)
{
    buf b;
    buf_init(&b);
    buf_adds(&b, "root:");
    path_join(&b, "a", "b");
    cr_assert_str_eq(b.data, "root:a/b");
    buf_release(&b);
}

/* ---- path_normalize ---- */

static const struct {
    const char *in;
    int rc;
    const char *want; /* when rc == 0 */
} normalize_cases[] = {
    {"a/b", 0, "a/b"},
    {"a/./b", 0, "a/b"},
    {"./a/", 0, "a"},
    {"a//b///c", 0, "a/b/c"},
    {"a/b/../c", 0, "a/c"},
    {"a/b/../../c", 0, "c"},
    {"a/..", 0, ""},
    {".", 0, ""},
    {"", 0, ""},
    {"a/b/c/../../d/./e/..", 0, "a/d"},
    {"a..b/..c/d..", 0, "a..b/..c/d.."},
    {"...", 0, "..."},
    {"..", -1, NULL},
    {"../a", -1, NULL},
    {"a/../..", -1, NULL},
    {"a/../../b", -1, NULL},
    {"./../a", -1, NULL},
    {"a/b/../../../c", -1, NULL},
};

Test(paths, normalize)
{
    for (size_t i = 0; i < COUNT(normalize_cases); i++) {
        buf b;
        buf_init(&b);
        buf_adds(&b, normalize_cases[i].in);
        int rc = path_normalize(&b);
        cr_expect_eq(rc, normalize_cases[i].rc, "normalize '%s' returned %d", normalize_cases[i].in,
                     rc);
        if (rc == 0 && normalize_cases[i].rc == 0) {
            cr_expect_str_eq(b.data, normalize_cases[i].want, "normalize '%s'",
                             normalize_cases[i].in);
            cr_expect_eq(b.len, strlen(normalize_cases[i].want), "normalize '%s'",
                         normalize_cases[i].in);
        }
        buf_release(&b);
    }
}

/* ---- path_clean: lexical, never refusing; for naming files ---- */

static const struct {
    const char *in, *want;
} clean_cases[] = {
    {"policies", "policies"},
    {"./policies/", "policies"},
    {"policies//content/./a.md", "policies/content/a.md"},
    {"policies/../content/a.md", "content/a.md"},
    {"a/b/../../c", "c"},
    {".", "."},
    {"", "."},
    {"./", "."},
    {"a/..", "."},
    {"..", ".."},
    {"../a", "../a"},
    {"./../a/", "../a"},
    {"../../a/../b", "../../b"},
    {"a/../../b", "../b"},
    {"../a/..", ".."},
    {"/", "/"},
    {"//", "/"},
    {"/..", "/"},
    {"/../a", "/a"},
    {"/a/./b/", "/a/b"},
    {"/a/b/..", "/a"},
    {"/a/..", "/"},
    {"/a/../../b", "/b"},
    {"..a/.b/...", "..a/.b/..."}, /* only '.' and '..' are special */
};

Test(paths, clean)
{
    for (size_t i = 0; i < COUNT(clean_cases); i++) {
        buf b;
        buf_init(&b);
        buf_adds(&b, clean_cases[i].in);
        path_clean(&b);
        cr_expect_str_eq(b.data, clean_cases[i].want, "clean '%s'", clean_cases[i].in);
        cr_expect_eq(b.len, strlen(clean_cases[i].want), "clean '%s'", clean_cases[i].in);
        buf_release(&b);
    }
}

/* ---- path_relative ---- */

static const struct {
    const char *path, *base, *want;
} relative_cases[] = {
    {"/repo/policies", "/repo", "policies"},
    {"/repo", "/repo", "."},
    {"/repo/a/b/c", "/repo", "a/b/c"},
    {"/repo", "/repo/policies", ".."},
    {"/repo", "/repo/a/b", "../.."},
    {"/repo/b", "/repo/a", "../b"},
    {"/repo/ab", "/repo/a", "../ab"}, /* a prefix of a name is not a parent */
    {"/repo/a", "/repo/ab", "../a"},
    {"/x/y", "/repo/a", "../../x/y"},
    {"/", "/repo", ".."},
    {"/repo", "/", "repo"},
    {"/", "/", "."},
};

Test(paths, relative)
{
    for (size_t i = 0; i < COUNT(relative_cases); i++) {
        buf b;
        buf_init(&b);
        buf_adds(&b, "kept:");
        path_relative(&b, relative_cases[i].path, relative_cases[i].base);
        cr_expect_str_eq(b.data + 5, relative_cases[i].want, "'%s' from '%s'",
                         relative_cases[i].path, relative_cases[i].base);
        cr_expect_eq(strncmp(b.data, "kept:", 5), 0, "appends");
        buf_release(&b);
    }
}

/* ---- path_is_hidden ---- */

static const struct {
    const char *name;
    int hidden;
} hidden_cases[] = {
    {"_drafts", 1}, {".git", 1}, {"_", 1},        {".", 1}, {"a", 0},
    {"a_b", 0},     {"a.md", 0}, {"index.md", 0}, {"", 0},  {"-x", 0},
};

Test(paths, is_hidden)
{
    for (size_t i = 0; i < COUNT(hidden_cases); i++)
        cr_expect_eq(!!path_is_hidden(hidden_cases[i].name), hidden_cases[i].hidden, "'%s'",
                     hidden_cases[i].name);
}

/* ---- path_page_url ---- */

static const struct {
    const char *rel, *url, *out;
} page_url_cases[] = {
    {"a/b.md", "/a/b/", "a/b/index.html"},
    {"b.md", "/b/", "b/index.html"},
    {"index.md", "/", "index.html"},
    {"a/index.md", "/a/", "a/index.html"},
    {"a/b/index.md", "/a/b/", "a/b/index.html"},
    {"a/b/c.md", "/a/b/c/", "a/b/c/index.html"},
    {"governance/access-control.md", "/governance/access-control/",
     "governance/access-control/index.html"},
    {"reindex.md", "/reindex/", "reindex/index.html"},
    {"a/index-old.md", "/a/index-old/", "a/index-old/index.html"},
    {"index/a.md", "/index/a/", "index/a/index.html"},
    {"_index.md", "/", "index.html"}, /* Hugo's section pages */
    {"a/_index.md", "/a/", "a/index.html"},
    {"a/__index.md", "/a/__index/", "a/__index/index.html"},
    /* Markdown's other extensions (Jekyll, Hugo, MkDocs). */
    {"index.markdown", "/", "index.html"},
    {"a/b.markdown", "/a/b/", "a/b/index.html"},
    {"a/_index.mkd", "/a/", "a/index.html"},
    {"a/b.mdown", "/a/b/", "a/b/index.html"},
    {"a/.markdown", "/a/.markdown/", "a/.markdown/index.html"},
    {"a/B.MD", "/a/B/", "a/B/index.html"},
    {"a/index.MD", "/a/", "a/index.html"},
};

Test(paths, md_ext)
{
    cr_expect_eq(path_md_ext("a.md", 4), 3u);
    cr_expect_eq(path_md_ext("a.markdown", 10), 9u);
    cr_expect_eq(path_md_ext("a.mkdown", 8), 7u);
    cr_expect_eq(path_md_ext("a.mkd", 5), 4u);
    cr_expect_eq(path_md_ext("a.mkdn", 6), 5u);
    cr_expect_eq(path_md_ext("a.MD", 4), 3u); /* as Jekyll, Hugo and GitHub read it */
    cr_expect_eq(path_md_ext("a.Markdown", 10), 9u);
    cr_expect_eq(path_md_ext("a.mdx", 5), 0u);
    cr_expect_eq(path_md_ext("a.md.txt", 8), 0u);
    cr_expect_eq(path_md_ext(".md", 3), 0u);
    cr_expect_eq(path_md_ext("a.md", 3), 0u); /* only the first n bytes */
    cr_expect(path_md_named("_index.markdown", "_index"));
    cr_expect(path_md_named("index.md", "index"));
    cr_expect(!path_md_named("_index.md", "index"));
    cr_expect(!path_md_named("index.html", "index"));
}

/* Docusaurus's number prefixes: digits, blanks, -_. marks, blanks, then
 * the name; not a date, not an extension alone, not a mark after them. */
Test(paths, number_prefix)
{
    static const struct {
        const char *name;
        size_t len;
        long number;
    } cases[] = {
        {"01-intro.md", 3, 1},
        {"2. People", 3, 2},
        {"10_x", 3, 10},
        {"3 - Scope.md", 4, 3},
        {"1.screening.md", 2, 1},
        {"01.md", 0, 0},
        {"2024-01-05-notes.md", 0, 0},
        {"05.01.2024 x", 0, 0},
        {"intro.md", 0, 0},
        {"12", 0, 0},
        {"1--x", 3, 1},
        {"1-.x", 3, 1},
        {"4k-video.md", 0, 0},
        {"1234567890-x", 0, 0},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        long n = -1;
        size_t got = path_number_prefix(cases[i].name, strlen(cases[i].name), &n);
        cr_expect_eq(got, cases[i].len, "%s: %zu", cases[i].name, got);
        if (got)
            cr_expect_eq(n, cases[i].number, "%s: %ld", cases[i].name, n);
    }
}

Test(paths, page_url)
{
    for (size_t i = 0; i < COUNT(page_url_cases); i++) {
        buf url, out;
        buf_init(&url);
        buf_init(&out);
        path_page_url(&url, &out, page_url_cases[i].rel);
        cr_expect_str_eq(url.data, page_url_cases[i].url, "url of '%s'", page_url_cases[i].rel);
        cr_expect_str_eq(out.data, page_url_cases[i].out, "file of '%s'", page_url_cases[i].rel);
        buf_release(&url);
        buf_release(&out);
    }
}

/* ---- path_permalink ---- */

static const struct {
    const char *permalink, *url, *out;
} permalink_ok[] = {
    {"/about/", "/about/", "about/index.html"},
    {"about/", "/about/", "about/index.html"},
    {"about", "/about/", "about/index.html"},
    {"/about", "/about/", "about/index.html"},
    {"/", "/", "index.html"},
    {"/security.txt", "/security.txt", "security.txt"},
    {"/.well-known/security.txt", "/.well-known/security.txt", ".well-known/security.txt"},
    {"/a/b/c/", "/a/b/c/", "a/b/c/index.html"},
    {"/a//b/", "/a/b/", "a/b/index.html"},
    {"/./x/", "/x/", "x/index.html"},
    {"/v1.0/", "/v1.0/", "v1.0/index.html"},
    {"/feed.xml", "/feed.xml", "feed.xml"},
    {"/caf\xC3\xA9/", "/caf\xC3\xA9/", "caf\xC3\xA9/index.html"},
    {"/docs/site.yml", "/docs/site.yml", "docs/site.yml"},
    {"/.github/x/", "/.github/x/", ".github/x/index.html"},
};

Test(paths, permalink_accepted)
{
    for (size_t i = 0; i < COUNT(permalink_ok); i++) {
        buf url, out;
        buf_init(&url);
        buf_init(&out);
        const char *why = NULL;
        int rc = path_permalink(&url, &out, permalink_ok[i].permalink, &why);
        cr_expect_eq(rc, 0, "'%s' refused: %s", permalink_ok[i].permalink, why ? why : "");
        if (rc == 0) {
            cr_expect_str_eq(url.data, permalink_ok[i].url, "url of '%s'",
                             permalink_ok[i].permalink);
            cr_expect_str_eq(out.data, permalink_ok[i].out, "file of '%s'",
                             permalink_ok[i].permalink);
        }
        buf_release(&url);
        buf_release(&out);
    }
}

#define WHY_EMPTY "is empty"
#define WHY_URL "must be a path on this site, not a URL with a scheme or host"
#define WHY_DOTDOT "must not contain '..'"
#define WHY_BACKSLASH "contains a backslash"
#define WHY_QUERY "contains a query or fragment"
#define WHY_CONTROL "contains a control character"
#define WHY_SOURCES                                                                                \
    "names .git, site.yml or _config.yml at the top of the output, which the next build would "    \
    "take for a site's sources and refuse to replace"

static const struct {
    const char *permalink, *why;
} permalink_refused[] = {
    {"", WHY_EMPTY},
    {"https://x/", WHY_URL},
    {"http://example.com/a/", WHY_URL},
    {"//host/x", WHY_URL},
    {"mailto:a@b.org", WHY_URL},
    {"javascript:alert(1)", WHY_URL},
    {"/a/../b", WHY_DOTDOT},
    {"..", WHY_DOTDOT},
    {"../x/", WHY_DOTDOT},
    {"/a/..", WHY_DOTDOT},
    {"/a/b/../", WHY_DOTDOT},
    {"a\\b", WHY_BACKSLASH},
    {"\\\\host\\share", WHY_BACKSLASH},
    {"/x?y", WHY_QUERY},
    {"/x#y", WHY_QUERY},
    {"/about/#team", WHY_QUERY},
    {"/a\tb/", WHY_CONTROL},
    {"/a\nb/", WHY_CONTROL},
    {"/a\rb", WHY_CONTROL},
    {"/a\x1b[0m", WHY_CONTROL},
    {"/a\x7f", WHY_CONTROL},
    /* An output holding these is refused by every later build. */
    {"/.git/config", WHY_SOURCES},
    {"/.GIT/", WHY_SOURCES},
    {"/./.git", WHY_SOURCES},
    {"/site.yml", WHY_SOURCES},
    {"/Site.YML", WHY_SOURCES},
    {"_config.yml", WHY_SOURCES},
};

Test(paths, permalink_refused)
{
    for (size_t i = 0; i < COUNT(permalink_refused); i++) {
        buf url, out;
        buf_init(&url);
        buf_init(&out);
        const char *why = NULL;
        int rc = path_permalink(&url, &out, permalink_refused[i].permalink, &why);
        cr_expect_eq(rc, -1, "'%s' accepted as %s", permalink_refused[i].permalink, url.data);
        if (rc == -1) {
            cr_expect_not_null(why, "no reason for '%s'", permalink_refused[i].permalink);
            if (why)
                cr_expect_str_eq(why, permalink_refused[i].why, "reason for '%s'",
                                 permalink_refused[i].permalink);
        }
        buf_release(&url);
        buf_release(&out);
    }
}

/* ---- path_resolve ---- */

static const struct {
    const char *from, *target;
    int rc;
    const char *want;
} resolve_cases[] = {
    {"a/b.md", "c.md", 0, "a/c.md"},
    {"a/b.md", "./c.md", 0, "a/c.md"},
    {"a/b.md", "../c.md", 0, "c.md"},
    {"a/b.md", "sub/d.md", 0, "a/sub/d.md"},
    {"a/b.md", "img/logo.png", 0, "a/img/logo.png"},
    {"a/b/c.md", "../../x.md", 0, "x.md"},
    {"a/b/c.md", "../d/./e.md", 0, "a/d/e.md"},
    {"index.md", "a/b.md", 0, "a/b.md"},
    {"index.md", "a//b.md", 0, "a/b.md"},
    {"a/b.md", "b.md", 0, "a/b.md"},
    {"a/b/c.md", "../../../x.md", -1, NULL},
    {"index.md", "../x.md", -1, NULL},
    {"a/b.md", "../../x.md", -1, NULL},
    {"a/b.md", "/abs.md", -1, NULL},
    {"a/b.md", "/", -1, NULL},
    {"a/b.md", "https://x/", -1, NULL},
    {"a/b.md", "//host/x", -1, NULL},
    {"a/b.md", "mailto:a@b.org", -1, NULL},
};

Test(paths, resolve)
{
    for (size_t i = 0; i < COUNT(resolve_cases); i++) {
        buf out;
        buf_init(&out);
        int rc = path_resolve(&out, resolve_cases[i].from, resolve_cases[i].target);
        cr_expect_eq(rc, resolve_cases[i].rc, "'%s' from '%s' returned %d (%s)",
                     resolve_cases[i].target, resolve_cases[i].from, rc, out.data);
        if (rc == 0 && resolve_cases[i].rc == 0)
            cr_expect_str_eq(out.data, resolve_cases[i].want, "'%s' from '%s'",
                             resolve_cases[i].target, resolve_cases[i].from);
        buf_release(&out);
    }
}

/* ---- url_is_external ---- */

static const struct {
    const char *url;
    int external;
} external_cases[] = {
    {"https://example.com/", 1},
    {"http://x", 1},
    {"HTTPS://X", 1},
    {"mailto:a@b.org", 1},
    {"tel:+123", 1},
    {"//cdn.example.com/x.js", 1},
    {"git+ssh://host/repo", 1},
    {"x-y.z:rest", 1},
    {"/a/b/", 0},
    {"a.md", 0},
    {"../a.md", 0},
    {"./a:b", 0},
    {"a/b:c", 0},
    {"#frag", 0},
    {"?q=1", 0},
    {"", 0},
    {"/", 0},
    {"1http://x", 0},
    {":x", 0},
};

Test(paths, url_is_external)
{
    for (size_t i = 0; i < COUNT(external_cases); i++)
        cr_expect_eq(!!url_is_external(external_cases[i].url), external_cases[i].external, "'%s'",
                     external_cases[i].url);
}

/* Jekyll's permalink placeholders for a collection's page. */
Test(paths, permalink_expand)
{
    static const struct {
        const char *pattern, *rel, *want;
    } cases[] = {
        {"/:collection/:path/", "hr/leavers.md", "/policies/hr/leavers/"},
        {"/policies/:name/", "hr/leavers.md", "/policies/leavers/"},
        {"/p/:title:output_ext", "x.md", "/p/x"},
        {"/:slug/", "a/b/c.md", "/c/"},
        {"/:names/:collection_x/", "x.md", "/:names/:collection_x/"},
        {"/fixed/", "x.md", "/fixed/"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        buf b;
        buf_init(&b);
        path_permalink_expand(&b, cases[i].pattern, "policies", cases[i].rel);
        cr_expect_str_eq(b.data, cases[i].want, "%s %s", cases[i].pattern, cases[i].rel);
        buf_release(&b);
    }
}

/* ---- url_repository_web ---- */

Test(paths, repository_web)
{
    static const struct {
        const char *remote, *web;
    } cases[] = {
        {"git@github.com:acme/policies.git", "https://github.com/acme/policies"},
        {"git@github.com:acme/policies", "https://github.com/acme/policies"},
        {"https://github.com/acme/policies.git\n", "https://github.com/acme/policies"},
        {"https://x-access-token:SECRET@github.com/acme/policies.git",
         "https://github.com/acme/policies"},
        {"ssh://git@gitlab.example:2222/group/sub/repo.git",
         "https://gitlab.example/group/sub/repo"},
        {"http://git.internal/a/b/", "http://git.internal/a/b"},
        {"https://git.example:8443/a/b", "https://git.example:8443/a/b"},
        {"git://github.com/a/b", "https://github.com/a/b"},
        {"/srv/git/policies.git", NULL},
        {"file:///srv/git/policies.git", NULL},
        {"../policies", NULL},
        {"https://github.com/", NULL},
        {"https://github.com/onlyone", NULL},
        {"git@github.com:a/b c.git", NULL},
        {"https://github.com/a/\"><script>", NULL},
        {"https://gith ub.com/a/b", NULL},
        {"C:/repos/x/y", NULL},
        {"https://user:pa/ss@github.com/org/repo", NULL},
        {"user:SECRET@github.com:org/repo.git", NULL},
        {"https://github.com:x/a/b", NULL},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        buf out;
        buf_init(&out);
        int rc = url_repository_web(&out, cases[i].remote);
        if (cases[i].web) {
            cr_expect_eq(rc, 0, "%s", cases[i].remote);
            cr_expect_str_eq(out.data ? out.data : "", cases[i].web, "%s", cases[i].remote);
        } else {
            cr_expect_eq(rc, -1, "%s: %s", cases[i].remote, out.data ? out.data : "");
            cr_expect_eq(out.len, 0u, "%s", cases[i].remote);
        }
        buf_release(&out);
    }
}

/* A part of a permalink over 255 bytes is refused with a reason (NAME_MAX:
 * the write would fail with "File name too long", as it did from a long
 * Docusaurus id); 255 is taken. */
Test(paths, permalink_long_part)
{
    char name[300];
    buf p, url, out;
    buf_init(&p);
    buf_init(&url);
    buf_init(&out);
    memset(name, 'b', 255);
    name[255] = '\0';
    buf_printf(&p, "/policies/%s/", name);
    const char *why = NULL;
    cr_expect_eq(path_permalink(&url, &out, p.data, &why), 0);
    buf_reset(&p);
    buf_reset(&url);
    buf_reset(&out);
    buf_printf(&p, "/policies/%sb/", name);
    cr_expect_eq(path_permalink(&url, &out, p.data, &why), -1);
    cr_expect_str_eq(why, "has a part longer than 255 bytes, more than a file name may hold");
    buf_release(&p);
    buf_release(&url);
    buf_release(&out);
}

/* urls: html: a page that is no folder's own at "/a/b.html"; index.md and
 * _index.md at their folder's "/a/"; pretty when not asked. */
Test(paths, page_url_style)
{
    static const struct {
        const char *rel;
        int html;
        const char *url, *out;
    } cases[] = {
        {"a/b.md", 1, "/a/b.html", "a/b.html"},   {"b.md", 1, "/b.html", "b.html"},
        {"a/index.md", 1, "/a/", "a/index.html"}, {"a/_index.md", 1, "/a/", "a/index.html"},
        {"index.md", 1, "/", "index.html"},       {"a/b.markdown", 1, "/a/b.html", "a/b.html"},
        {"a/b.md", 0, "/a/b/", "a/b/index.html"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        buf url, out;
        buf_init(&url);
        buf_init(&out);
        path_page_url_style(&url, &out, cases[i].rel, cases[i].html);
        cr_expect_str_eq(url.data, cases[i].url, "url of '%s'", cases[i].rel);
        cr_expect_str_eq(out.data, cases[i].out, "file of '%s'", cases[i].rel);
        buf_release(&url);
        buf_release(&out);
    }
}
