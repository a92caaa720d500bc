/* Unit tests for site.c: loading site.yml, discovering pages and static
 * files, the typed page model (URLs, sections, review dates, required keys)
 * and link rewriting, over small sites written to a temporary directory. */
#include "unit.h"

#include "fs.h"
#include "site.h"

#include <unistd.h>

static char root[64];

static void put(const char *rel, const char *text)
{
    unit_put(root, rel, text);
}

static void make_root(void)
{
    unit_mkdtemp(root, sizeof root, "site");
}

static void remove_root(void)
{
    unit_remove(root);
}

/* 2026-11-25 */
static long as_of(void)
{
    return date_from_civil(2026, 11, 25);
}

static void example_site(void)
{
    make_root();
    put("site.yml", "title: Test\nbase_url: /sub\nsections: [Zeta, Alpha]\n"
                    "review: {cycle: 6 months, warn_within: 10 days}\n");
    put("content/index.md", "---\ntitle: Home\nlayout: home\n---\nHi\n");
    put("content/alpha/one.md", "---\ntitle: B one\nowner: o\nlast_reviewed: 2026-06-01\n---\n");
    put("content/alpha/two.md", "---\ntitle: A two\nowner: o\nlast_reviewed: 2026-05-20\n"
                                "review_cycle: 6 months\n---\n");
    put("content/alpha/index.md", "---\ntitle: Alpha\nowner: o\nlast_reviewed: 2026-01-01\n"
                                  "next_review: 2027-01-01\n---\n");
    put("content/zeta/three.md", "---\ntitle: Three\nsection: Zeta\nowner: o\n"
                                 "last_reviewed: 2025-01-01\npermalink: /three.html\n---\n");
    put("content/zeta/old.md", "---\ntitle: Old\npublished: false\n---\n");
    put("content/zeta/_draft.md", "---\ntitle: Draft\n---\n");
    put("content/.git/x.md", "hidden\n");
    put("content/img/pic.png", "PNG");
    put("assets/style.css", "body{}");
    put("layouts/policy.html", "{{CONTENT}}");
    put("layouts/home.html", "{{CONTENT}}");
    put("controls/none.txt", "");
}

static const page *find(const site *s, const char *rel)
{
    return map_get(s->by_rel, rel);
}

Test(site, discovers_pages_and_static_files)
{
    example_site();
    diags *d = diag_new(root);
    site *s;
    cr_assert_eq(site_load(&s, root, as_of(), d), 0);
    cr_assert_diag(d, "");
    static const char *const pages[] = {"alpha/index.md", "alpha/one.md", "alpha/two.md",
                                        "index.md",       "zeta/old.md",  "zeta/three.md"};
    cr_assert_eq(s->n_pages, 6);
    for (size_t i = 0; i < 6; i++)
        cr_assert_str_eq(s->pages[i]->rel, pages[i]);
    /* The site's own files, then the default theme's assets it lacks. */
    static const char *const statics[][2] = {
        {"content/img/pic.png", "img/pic.png"},
        {"assets/style.css", "assets/style.css"},
        {"(embedded)/assets/favicon.svg", "assets/favicon.svg"},
        {"(embedded)/assets/search.js", "assets/search.js"},
        {"(embedded)/assets/soa.js", "assets/soa.js"},
        {"(embedded)/assets/sort.js", "assets/sort.js"},
    };
    cr_assert_eq(s->n_statics, COUNT(statics));
    for (size_t i = 0; i < COUNT(statics); i++) {
        cr_assert_str_eq(s->statics[i].src, statics[i][0]);
        cr_assert_str_eq(s->statics[i].out_file, statics[i][1]);
        cr_assert_eq(s->statics[i].embedded != NULL, i >= 2);
    }
    cr_assert_str_eq(s->cfg.base_url, "/sub/");
    site_free(s);
    diag_free(d);
    remove_root();
}

/* Each page's full URL, made once at load for everything that links to it:
 * base_url and its URL percent-encoded, a permalink's too, and a page whose
 * front matter is broken still has one (links to it do not cascade). */
Test(site, pages_carry_their_full_url)
{
    example_site();
    put("content/alpha/a b%é.md", "---\ntitle: Odd\nowner: o\nlast_reviewed: 2026-06-01\n---\n");
    put("content/alpha/broken.md", "---\ntitle: [unclosed\n---\n");
    diags *d = diag_new(root);
    site *s;
    cr_assert_eq(site_load(&s, root, as_of(), d), 0);
    static const char *const want[][2] = {
        {"alpha/one.md", "/sub/alpha/one/"},
        {"alpha/index.md", "/sub/alpha/"},
        {"index.md", "/sub/"},
        {"zeta/three.md", "/sub/three.html"},
        {"alpha/a b%\xc3\xa9.md", "/sub/alpha/a%20b%25%C3%A9/"},
        {"alpha/broken.md", "/sub/alpha/broken/"},
    };
    for (size_t i = 0; i < COUNT(want); i++) {
        const page *p = find(s, want[i][0]);
        cr_assert_not_null(p, "%s", want[i][0]);
        cr_expect_str_eq(p->full_url, want[i][1], "%s", want[i][0]);
    }
    cr_expect_not(find(s, "alpha/broken.md")->ok);
    site_free(s);
    diag_free(d);
    remove_root();
}

/* site_load_start names the pages (what the history thread reads) and
 * reads none of them; site_load_finish then reads and models them, with
 * src and rel as they were, and reports a page's problems only then. */
Test(site, load_in_two_halves)
{
    example_site();
    put("content/zeta/bad.md", "---\ntitle: [unclosed\n---\n");
    diags *d = diag_new(root);
    site *s;
    cr_assert_eq(site_load_start(&s, root, as_of(), NULL, d), 0);
    cr_assert_diag(d, "");
    cr_assert_eq(s->n_pages, 7);
    const char *src[7], *rel[7];
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        cr_assert_eq(p->index, i);
        cr_assert_not(p->ok, "%s was read by the first half", p->rel);
        cr_assert_null(p->url);
        src[i] = p->src;
        rel[i] = p->rel;
    }
    cr_assert_str_eq(s->pages[6]->rel, "zeta/three.md");
    cr_assert_str_eq(s->pages[6]->src, "content/zeta/three.md");
    cr_assert_str_eq(s->cfg.base_url, "/sub/");
    cr_assert_eq(site_load_finish(s, d), 0);
    for (size_t i = 0; i < s->n_pages; i++) {
        cr_assert_eq(s->pages[i]->src, src[i]);
        cr_assert_eq(s->pages[i]->rel, rel[i]);
        cr_assert_not_null(s->pages[i]->url);
    }
    cr_assert(find(s, "zeta/three.md")->ok);
    cr_assert_not(find(s, "zeta/bad.md")->ok);
    size_t n;
    diag_entries(d, &n);
    cr_assert_gt(n, 0, "the bad page is reported by the second half");
    site_free(s);
    diag_free(d);
    remove_root();
}

/* site_load_start's two steps (a build takes git's fingerprint between
 * them): after the first, site.yml is read and nothing walked; the second
 * names the pages as site_load_start does. A missing content folder fails
 * the walk, not the configuration. */
Test(site, load_config_then_walk)
{
    example_site();
    diags *d = diag_new(root);
    site *s = NULL;
    cr_assert_eq(site_load_config(&s, root, as_of(), NULL, d), 0);
    cr_assert_str_eq(s->cfg.base_url, "/sub/");
    cr_assert_str_eq(s->cfg.content, "content");
    cr_assert_eq(s->n_pages, 0);
    cr_assert_eq(site_load_walk(s, d), 0);
    cr_assert_diag(d, "");
    site *whole = NULL;
    cr_assert_eq(site_load_start(&whole, root, as_of(), NULL, d), 0);
    cr_assert_eq(s->n_pages, 6); /* example_site's */
    cr_assert_eq(whole->n_pages, s->n_pages);
    for (size_t i = 0; i < s->n_pages; i++) {
        cr_assert_str_eq(s->pages[i]->src, whole->pages[i]->src);
        cr_assert_str_eq(s->pages[i]->rel, whole->pages[i]->rel);
        cr_assert_eq(s->pages[i]->index, i);
    }
    cr_assert_eq(s->n_statics, whole->n_statics);
    site_free(s);
    site_free(whole);

    put("site.yml", "title: T\ncontent: nowhere\n");
    cr_assert_eq(site_load_config(&s, root, as_of(), NULL, d), 0);
    cr_assert_eq(site_load_walk(s, d), -1);
    site_free(s);
    cr_assert_eq(site_load_start(&s, root, as_of(), NULL, d), -1);
    cr_assert_null(s);
    put("site.yml", "title: [unclosed\n");
    s = (site *)1;
    cr_assert_eq(site_load_config(&s, root, as_of(), NULL, d), -1);
    cr_assert_null(s);
    diag_free(d);
    remove_root();
}

/* content: . reads the pages at the site root, and none of what else is
 * there: site.yml, the other directories, `_`/`.` names (but what include:
 * names), what exclude: names, node_modules/ and vendor/ at the top, and a
 * directory charter built into. Assets are still walked (and excluded). */
Test(site, content_at_the_root)
{
    make_root();
    put("site.yml", "title: Root\ncontent: .\noutput: public\nrequired: []\n"
                    "exclude: [notes.txt, drafts/, 'hr/scratch-*', '*.bak']\n"
                    "include: [.well-known, _keep.md]\n");
    put("index.md", "---\ntitle: Home\n---\n");
    put("README.md", "# Readme\n");
    put("hr/people.md", "---\ntitle: People\n---\n");
    put("hr/scratch-1.md", "x\n");
    put("hr/vendor/list.md", "---\ntitle: Vendors\n---\n"); /* not at the top: a page */
    put("drafts/d.md", "x\n");
    put("notes.txt", "x\n");
    put("_config.yml", "title: x\n");
    put("_keep.md", "---\ntitle: Kept\n---\n");
    put(".github/w.md", "x\n");
    put(".well-known/security.txt", "x\n");
    put("node_modules/p/README.md", "x\n");
    put("vendor/v.md", "x\n");
    put("layouts/policy.html", "{{CONTENT}}");
    put("controls/none.txt", "");
    put("assets/style.css", "body{}");
    put("assets/style.css.bak", "body{}");
    put("public/index.html", "old");
    put("elsewhere/.charter-manifest", "");
    put("elsewhere/x.md", "x\n");
    diags *d = diag_new(root);
    site *s;
    cr_assert_eq(site_load(&s, root, as_of(), d), 0);
    cr_assert_diag(d, "");
    static const char *const pages[] = {"README.md", "_keep.md", "hr/people.md",
                                        "hr/vendor/list.md", "index.md"};
    cr_assert_eq(s->n_pages, COUNT(pages));
    for (size_t i = 0; i < COUNT(pages); i++) {
        cr_expect_str_eq(s->pages[i]->rel, pages[i]);
        cr_expect_str_eq(s->pages[i]->src, pages[i]);
    }
    cr_assert_eq(s->n_statics, 6); /* and the 4 assets of the default theme it lacks */
    cr_expect_str_eq(s->statics[0].src, ".well-known/security.txt");
    cr_expect_str_eq(s->statics[1].src, "assets/style.css");
    cr_expect_str_eq(s->statics[2].src, "(embedded)/assets/favicon.svg");
    site_free(s);
    diag_free(d);
    remove_root();
}

/* Hugo's _index.md is its folder's page (other `_` names stay hidden); a
 * folder with both index.md and _index.md has two pages at one URL. */
Test(site, hugo_section_pages)
{
    make_root();
    put("site.yml", "title: Hugo\nrequired: []\n");
    put("content/_index.md", "---\ntitle: Home\n---\n[p](personnel) [q](personnel/)\n");
    put("content/personnel/_index.md", "---\ntitle: Personnel\n---\n");
    put("content/personnel/_other.md", "---\ntitle: Hidden\n---\n");
    put("content/both/index.md", "---\ntitle: One\n---\n");
    put("content/both/_index.md", "---\ntitle: Two\n---\n");
    put("layouts/policy.html", "{{CONTENT}}");
    diags *d = diag_new(root);
    site *s;
    cr_assert_eq(site_load(&s, root, as_of(), d), 0);
    char *got = unit_diag_text(d);
    cr_expect(strstr(got, "[duplicate-url]") != NULL, "%s", got);
    free(got);
    cr_assert_eq(s->n_pages, 4);
    cr_expect_str_eq(find(s, "_index.md")->url, "/");
    cr_expect_str_eq(find(s, "personnel/_index.md")->url, "/personnel/");
    cr_expect_null(find(s, "personnel/_other.md"));
    buf out;
    buf_init(&out);
    cr_expect_eq(site_rewrite_link(&out, s, find(s, "_index.md"), "personnel"), 1);
    cr_expect_str_eq(out.data, "/personnel/");
    buf_release(&out);
    site_free(s);
    diag_free(d);
    remove_root();
}

Test(site, urls_sections_and_reviews)
{
    example_site();
    diags *d = diag_new(root);
    site *s;
    cr_assert_eq(site_load(&s, root, as_of(), d), 0);
    static const struct {
        const char *rel, *url, *out, *section;
        const char *next;
        review_state review;
    } want[] = {
        {"index.md", "/", "index.html", NULL, NULL, REVIEW_NONE},
        {"alpha/index.md", "/alpha/", "alpha/index.html", "Alpha", "2027-01-01", REVIEW_OK},
        /* 2026-06-01 + the site's 6 months = 2026-12-01, within 10 days */
        {"alpha/one.md", "/alpha/one/", "alpha/one/index.html", "Alpha", "2026-12-01",
         REVIEW_DUE_SOON},
        {"alpha/two.md", "/alpha/two/", "alpha/two/index.html", "Alpha", "2026-11-20",
         REVIEW_OVERDUE},
        {"zeta/three.md", "/three.html", "three.html", "Zeta", "2025-07-01", REVIEW_OVERDUE},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const page *p = find(s, want[i].rel);
        cr_assert_not_null(p, "%s", want[i].rel);
        cr_assert_str_eq(p->url, want[i].url);
        cr_assert_str_eq(p->out_file, want[i].out);
        if (want[i].section)
            cr_assert_str_eq(p->section_title, want[i].section);
        else
            cr_assert_null(p->section_title);
        char date[11] = "";
        if (p->next_review >= 0)
            date_format(date, p->next_review);
        cr_assert_str_eq(date, want[i].next ? want[i].next : "", "%s", want[i].rel);
        cr_assert_eq(p->review, want[i].review, "%s", want[i].rel);
    }
    /* Sections in site.yml order; within a section its folder's own page
     * (alpha/index.md) first, then the pages by title. */
    cr_assert_eq(s->n_sections, 2);
    cr_assert_str_eq(s->sections[0].title, "Zeta");
    cr_assert_eq(s->sections[0].n_pages, 1); /* old.md is unpublished */
    cr_assert_str_eq(s->sections[1].title, "Alpha");
    cr_assert_eq(s->sections[1].n_pages, 3);
    cr_assert_str_eq(s->sections[1].pages[0]->title, "Alpha");
    cr_assert_str_eq(s->sections[1].pages[1]->title, "A two");
    cr_assert_str_eq(s->sections[1].pages[2]->title, "B one");
    cr_assert_str_eq(find(s, "alpha/one.md")->id, "alpha/one");
    cr_assert_eq(find(s, "zeta/old.md")->published, 0);
    site_free(s);
    diag_free(d);
    remove_root();
}

Test(site, rewrites_links)
{
    example_site();
    diags *d = diag_new(root);
    site *s;
    cr_assert_eq(site_load(&s, root, as_of(), d), 0);
    static const struct {
        const char *from, *url, *want; /* want NULL: left as written */
    } cases[] = {
        {"alpha/one.md", "two.md", "/sub/alpha/two/"},
        {"alpha/one.md", "two.md#scope", "/sub/alpha/two/#scope"},
        {"alpha/one.md", "./index.md", "/sub/alpha/"},
        {"alpha/one.md", "../zeta/three.md?x=1#y", "/sub/three.html?x=1#y"},
        {"alpha/one.md", "../index.md", "/sub/"},
        {"alpha/one.md", "../img/pic.png", "/sub/img/pic.png"},
        {"alpha/one.md", "files/", "/sub/alpha/files/"},
        {"index.md", "alpha/one.md", "/sub/alpha/one/"},
        {"alpha/one.md", "../zeta/old.md", NULL}, /* unpublished */
        {"alpha/one.md", "missing.md", NULL},     /* no such page: the checks report it */
        {"alpha/one.md", "../../outside.png", NULL},
        {"alpha/one.md", "https://example.com/a.md", NULL},
        {"alpha/one.md", "mailto:a@b.example", NULL},
        {"alpha/one.md", "/abs/path/", NULL},
        /* As GitHub's file view and Jekyll's pretty URLs read links. */
        {"alpha/one.md", "../zeta/three", "/sub/three.html"},
        {"alpha/one.md", "../zeta/three#x", "/sub/three.html#x"},
        {"index.md", "alpha", "/sub/alpha/"}, /* the page's URL, whole */
        {"alpha/one.md", "/zeta/three.md", "/sub/three.html"},
        {"alpha/one.md", "/sub/zeta/three.md", "/sub/three.html"},
        {"alpha/one.md", "/content/alpha/two.md?q", "/sub/alpha/two/?q"},
        {"alpha/one.md", "/alpha/", "/sub/alpha/"}, /* alpha/index.md, outside base_url */
        {"alpha/one.md", "../two/", "/sub/alpha/two/"},
        {"alpha/one.md", "/sub/alpha/two/", NULL}, /* a URL already */
        {"alpha/one.md", "/zeta/old.md", NULL},    /* unpublished */
        {"alpha/one.md", "#local", NULL},
        {"alpha/one.md", "", NULL},
        /* Zola's "@/" and Docusaurus' "pathname://", read as root-relative
         * links: to a page, its URL; else the link they mean, its path
         * encoded as every link charter writes (HEAD~1 wrote it raw, found
         * by fuzz_links), its query and fragment as written. */
        {"alpha/one.md", "@/alpha/two.md#scope", "/sub/alpha/two/#scope"},
        {"alpha/one.md", "@/gone \xC3\xA9\"<\xED.md?x y#z", "/sub/gone%20%C3%A9%22%3C%ED.md?x y#z"},
        {"alpha/one.md", "@/gone%20b.md", "/sub/gone%20b.md"},
        {"alpha/one.md", "pathname:///files/a b.pdf", "/sub/files/a%20b.pdf"},
        {"alpha/one.md", "@/gone%00.md", NULL}, /* does not decode: the checks report it */
        /* Docusaurus' "@site/x": a page's file, that page; anything else below
         * base_url (HEAD~1: "/x", outside it); "@site//x", no alias, a
         * relative link as any other (HEAD~1: "//x", another host's). */
        {"alpha/one.md", "@site/content/alpha/two.md#scope", "/sub/alpha/two/#scope"},
        {"alpha/one.md", "@site/docs/gone.pdf", "/sub/docs/gone.pdf"},
        {"alpha/one.md", "@site//evil.example/x", "/sub/alpha/@site/evil.example/x"},
    };
    buf out;
    buf_init(&out);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_reset(&out);
        int rc = site_rewrite_link(&out, s, find(s, cases[i].from), cases[i].url);
        cr_assert_eq(rc, cases[i].want != NULL, "%s", cases[i].url);
        cr_assert_str_eq(out.data, cases[i].want ? cases[i].want : "", "%s", cases[i].url);
    }
    buf_release(&out);
    site_free(s);
    diag_free(d);
    remove_root();
}

Test(site, page_errors_are_reported_and_loading_continues)
{
    make_root();
    put("site.yml", "title: T\nrequired: [title, owner]\n");
    put("layouts/policy.html", "{{CONTENT}}");
    put("layouts/page.html", "{{CONTENT}}");
    put("content/a.md", "---\ntitle: A\npermalink: https://evil.example/\n---\n");
    put("content/b.md", "---\ntitle: B\nowner: x\npermalink: /a/\n---\n");
    put("content/c.md", "---\ntitle: C\nowner: x\nlayout: page\nstatus: done\n---\n");
    put("content/d.md", "---\ntitle: D\nowner: x\nreview_cycle: sometimes\ncontrols: A.1\n---\n");
    put("content/e.md", "---\nowner: x\nlayout: page\n---\n");
    diags *d = diag_new(root);
    site *s;
    cr_assert_eq(site_load(&s, root, as_of(), d), 0);
    cr_assert_diag(
        d, "content/a.md:1:1: error: missing required key 'owner' [missing-required-key]\n"
           "content/a.md:3:12: error: permalink 'https://evil.example/' must be a path on this "
           "site, not a URL with a scheme or host [invalid-permalink]\n"
           "content/b.md:4:12: error: page has the same URL '/a/' as 'content/a.md' "
           "[duplicate-url]\n"
           "content/c.md:5:9: error: 'status' must be draft, approved or retired, not 'done' "
           "[unknown-status]\n"
           "content/d.md:4:15: error: 'review_cycle' must be a duration like '12 months' or "
           "'90 days', not 'sometimes' [invalid-type]\n"
           "content/d.md:5:11: error: 'controls' must be a list of control ids [invalid-type]\n"
           /* owner makes e.md a policy (the default `policies:` rule), whatever
            * its layout: its title is required */
           "content/e.md:1:1: error: missing required key 'title' [missing-required-key]\n");
    /* A page without a title takes its id; a refused permalink falls back. */
    cr_assert_str_eq(find(s, "a.md")->url, "/a/");
    cr_assert_null(find(s, "e.md")->title);
    cr_assert_str_eq(find(s, "e.md")->id, "e");
    site_free(s);
    diag_free(d);
    remove_root();
}

Test(site, configuration_errors_are_fatal)
{
    static const struct {
        const char *yml, *want;
    } cases[] = {
        {"organization: x\n", "site.yml:1:1: error: missing required setting 'title' [config]\n"},
        {"title: T\ncontent: /etc\n",
         "site.yml:2:10: error: 'content' must be a directory inside the site, not '/etc' "
         "[config]\n"},
        {"title: T\nreview: 12 months\n",
         "site.yml:2:9: error: 'review' must be a mapping with 'cycle' and 'warn_within' "
         "[config]\n"},
        {"title: T\nframeworks: iso\n",
         "site.yml:2:13: error: 'frameworks' must be a list [config]\n"},
        {"title: T\ncontent: missing\n",
         "site.yml:0:0: error: content directory 'missing' does not exist [config]\n"},
        {"- a list\n", "site.yml:1:1: error: 'site.yml' must be a mapping of settings [config]\n"},
        /* Only content may be the site directory itself. */
        {"title: T\ncontrols: ./\n",
         "site.yml:2:11: error: 'controls' must be a directory inside the site, not './' "
         "[config]\n"},
        {"title: T\nexclude: drafts\n",
         "site.yml:2:10: error: 'exclude' must be a list [config]\n"},
        {"title: T\ninclude: [[x]]\n",
         "site.yml:2:11: error: 'include' must be a string, not a list [invalid-type]\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        make_root();
        put("site.yml", cases[i].yml);
        put("content/a.md", "x\n");
        diags *d = diag_new(root);
        site *s = (site *)1;
        cr_assert_eq(site_load(&s, root, as_of(), d), -1, "%s", cases[i].yml);
        cr_assert_null(s);
        cr_assert_diag(d, cases[i].want);
        diag_free(d);
        remove_root();
    }
}

Test(site, missing_site_yml)
{
    make_root();
    diags *d = diag_new(root);
    site *s;
    cr_assert_eq(site_load(&s, root, as_of(), d), -1);
    char *got = unit_diag_text(d);
    cr_assert(strstr(got, "no 'site.yml' (or Jekyll '_config.yml') in '/tmp/charter-site-") != NULL,
              "%s", got);
    free(got);
    diag_free(d);
    remove_root();
}

/* The titles of section k's pages, '|'-separated, into out. */
static void section_titles(buf *out, const site *s, size_t k)
{
    buf_reset(out);
    for (size_t i = 0; i < s->sections[k].n_pages; i++)
        buf_printf(out, "%s%s", i ? "|" : "", s->sections[k].pages[i]->title);
}

/* navigation.order from mkdocs.yml: the files of its nav (quoted, titled,
 * commented, with Python tags elsewhere in the file), from the content
 * folder; a URL and a file that is no page change nothing; sections follow
 * their first page's place, the pages it omits come after. */
Test(site, nav_order_mkdocs)
{
    make_root();
    put("site.yml", "title: T\ncontent: docs\nnavigation: {order: mkdocs.yml}\n");
    put("mkdocs.yml", "site_name: T\nnav:\n  - Home: index.md\n  - People:\n"
                      "      - people/b.md\n  - Policies:\n"
                      "      - 'Zed': \"policies/z.md\"   # first - owner: CISO\n"
                      "      # - Old: policies/a.md\n"
                      "      - policies/missing.md\n      - Web: https://x.example/a.md\n"
                      "      - policies/m.md\n"
                      "theme:\n  icon: !!python/name:material.icons\n  nav: policies/a.md\n");
    const char *pages[][2] = {
        {"docs/index.md", "Home"},          {"docs/people/a.md", "A person"},
        {"docs/people/b.md", "B person"},   {"docs/policies/a.md", "A policy"},
        {"docs/policies/m.md", "M policy"}, {"docs/policies/z.md", "Z policy"}};
    buf t;
    buf_init(&t);
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
        buf_reset(&t);
        buf_printf(&t, "---\ntitle: %s\n---\n", pages[i][1]);
        put(pages[i][0], t.data);
    }
    diags *d = diag_new(root);
    site *s = NULL;
    cr_assert_eq(site_load(&s, root, as_of(), d), 0);
    cr_assert_eq(s->n_sections, 2);
    cr_assert_str_eq(s->sections[0].title, "People");
    section_titles(&t, s, 0);
    cr_expect_str_eq(t.data, "B person|A person");
    section_titles(&t, s, 1);
    cr_expect_str_eq(t.data, "Z policy|M policy|A policy");
    buf_release(&t);
    site_free(s);
    diag_free(d);
    remove_root();
}

/* navigation.order from Docsify's _sidebar.md: routes without .md, from
 * the content folder with a leading '/', a title after the path. */
Test(site, nav_order_docsify)
{
    make_root();
    put("site.yml", "title: T\ncontent: docs\nnavigation: {order: docs/_sidebar.md}\n");
    put("docs/_sidebar.md", "* [Home](/)\n* Policies\n  * [Zed](/policies/z(1) \"Zed\")\n"
                            "  * [Em](policies/m.md ':id=m')\n");
    put("docs/README.md", "# Home\n");
    put("docs/policies/a.md", "---\ntitle: A policy\n---\n");
    put("docs/policies/m.md", "---\ntitle: M policy\n---\n");
    put("docs/policies/z(1).md", "---\ntitle: Z policy\n---\n");
    diags *d = diag_new(root);
    site *s = NULL;
    cr_assert_eq(site_load(&s, root, as_of(), d), 0);
    buf t;
    buf_init(&t);
    /* README.md, no home page here (no readme_index), is a page at the
     * top the sidebar names: an entry of the navigation of its own, first. */
    cr_assert_eq(s->n_sections, 2);
    cr_expect_str_eq(s->sections[0].title, "Home");
    cr_expect(site_section_is_page(&s->sections[0]));
    section_titles(&t, s, 1);
    cr_expect_str_eq(t.data, "Z policy|M policy|A policy");
    buf_release(&t);
    site_free(s);
    diag_free(d);
    remove_root();
}

/* site.yml's language: BCP 47's shape, for <html lang>; its direction. */
Test(site, language_tags)
{
    static const char *const good[] = {"en", "fr-FR", "zh-Hant-TW", "ckb", "de-CH-1996", "ar"};
    static const char *const bad[] = {
        "", "e", "French", "en_US", "en-", "-en", "en--US", "en-abcdefghi", "12", "fr FR", NULL};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        cr_expect(config_language_ok(good[i]), "'%s' refused", good[i]);
    for (size_t i = 0; bad[i]; i++)
        cr_expect(!config_language_ok(bad[i]), "'%s' accepted", bad[i]);
    cr_expect(!config_language_ok(NULL));
    cr_expect(config_language_rtl("ar") && config_language_rtl("he-IL") &&
              config_language_rtl("ckb"));
    cr_expect(!config_language_rtl("en") && !config_language_rtl("fr-FR") &&
              !config_language_rtl("arn"));
}
