/* test_parse: the parse stage over small sites in a temporary directory:
 * headings and links kept with and without a scratch file, the HTML read
 * back from the scratch file equal to markdown_render's (links rewritten as
 * the site rewrites them), the search text (tags dropped, entities decoded,
 * cut at 1,500 bytes on a UTF-8 boundary), and pages that are not parsed
 * (unpublished, or whose front matter did not load). */
#include "unit.h"

#include "digest.h"
#include "fs.h"
#include "parse.h"
#include "site.h"

#include <ctype.h>
#include <fcntl.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static void put(const char *rel, const char *text)
{
    unit_put(root, rel, text);
}

static void make_root(void)
{
    unit_mkdtemp(root, sizeof root, "parse");
    put("site.yml", "title: T\nrequired: [title]\n");
    put("layouts/policy.html", "{{CONTENT}}");
}

static void remove_root(void)
{
    unit_remove(root);
}

TestSuite(parse, .init = make_root, .fini = remove_root);

/* Loads the site, expecting the load diagnostics `load_diags`. */
static site *load(const char *load_diags)
{
    diags *d = diag_new(root);
    site *s = NULL;
    cr_assert_eq(site_load(&s, root, date_from_civil(2026, 11, 25), d), 0);
    cr_assert_diag(d, load_diags);
    diag_free(d);
    return s;
}

static size_t index_of(const site *s, const char *rel)
{
    const page *p = map_get(s->by_rel, rel);
    cr_assert_not_null(p, "no page %s", rel);
    return p->index;
}

/* A scratch file as the build has one: unnamed, read-write. */
static int scratch_fd(void)
{
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/scratch-XXXXXX", root);
    int fd = mkstemp(p.data);
    cr_assert_geq(fd, 0);
    unlink(p.data);
    buf_release(&p);
    return fd;
}

/* Page i's text (parsed_text), through a reader of its own. */
static int text_of(char **out, const parsed *pp, size_t i, diags *d)
{
    parsed_reader r;
    parsed_reader_init(&r, pp);
    int err = parsed_text(out, &r, i, d);
    parsed_reader_release(&r);
    return err;
}

static void basic_site(void)
{
    put("content/pol/a.md", "---\n"
                            "title: A\n"
                            "---\n"
                            "# Scope\n"                                                /* 4 */
                            "\n"                                                       /* 5 */
                            "See [B](b.md#purpose), [ext](https://x.example/) and\n"   /* 6 */
                            "![logo](../img/logo.png).\n"                              /* 7 */
                            "\n"                                                       /* 8 */
                            "## Purpose &amp; *aims*\n"                                /* 9 */
                            "\n"                                                       /* 10 */
                            "Text with a ~~strike~~ and `code` and [old](old.md).\n"); /* 11 */
    put("content/pol/b.md", "---\ntitle: B\n---\n\n## Purpose\n\nB's text.\n");
    put("content/pol/old.md", "---\ntitle: Old\npublished: false\n---\n# Hidden\n\n[a](a.md)\n");
    put("content/pol/broken.md", "---\ntitle: [unclosed\n---\n# Broken\n\n[a](a.md)\n");
}

static const char broken_diag[] =
    "content/pol/broken.md:3:1: error: invalid YAML: did not find expected ',' or ']' (while "
    "parsing a flow sequence at line 2) [yaml-syntax]\n";

static const struct {
    int level;
    const char *id, *text;
    int line;
} a_headings[] = {
    {1, "scope", "Scope", 4},
    {2, "purpose--aims", "Purpose & aims", 9},
};

static const struct {
    const char *url;
    int line, col, is_image;
} a_links[] = {
    {"b.md#purpose", 6, 5, 0},
    {"https://x.example/", 6, 24, 0},
    {"../img/logo.png", 7, 1, 1},
    {"old.md", 11, 39, 0},
};

static void expect_a_parsed(const parsed_page *pp)
{
    cr_assert_eq(pp->ok, 1);
    cr_assert_eq(pp->doc.n_headings, COUNT(a_headings));
    for (size_t i = 0; i < COUNT(a_headings); i++) {
        cr_expect_eq(pp->doc.headings[i].level, a_headings[i].level, "heading %zu", i);
        cr_expect_str_eq(pp->doc.headings[i].id, a_headings[i].id, "heading %zu", i);
        cr_expect_str_eq(pp->doc.headings[i].text, a_headings[i].text, "heading %zu", i);
        cr_expect_eq(pp->doc.headings[i].line, a_headings[i].line, "heading %zu line", i);
    }
    cr_assert_eq(pp->doc.n_links, COUNT(a_links));
    for (size_t i = 0; i < COUNT(a_links); i++) {
        cr_expect_str_eq(pp->doc.links[i].url, a_links[i].url, "link %zu", i);
        cr_expect(pp->doc.links[i].line == a_links[i].line &&
                      pp->doc.links[i].col == a_links[i].col,
                  "link %zu at %d:%d, want %d:%d", i, pp->doc.links[i].line, pp->doc.links[i].col,
                  a_links[i].line, a_links[i].col);
        cr_expect_eq(pp->doc.links[i].is_image, a_links[i].is_image, "link %zu image", i);
    }
    /* The HTML is never kept in memory. */
    cr_expect_eq(pp->doc.html.len, 0);
}

static void expect_not_parsed(const parsed_page *pp, const char *what)
{
    cr_expect_eq(pp->ok, 0, "%s", what);
    cr_expect_eq(pp->doc.n_headings, 0, "%s", what);
    cr_expect_eq(pp->doc.n_links, 0, "%s", what);
    cr_expect_eq(pp->len, 0, "%s", what);
}

Test(parse, without_scratch_keeps_headings_and_links)
{
    basic_site();
    site *s = load(broken_diag);
    diags *d = diag_new(root);
    parsed *pp = parse_site(s, -1, d);
    cr_assert_diag(d, "");
    const parsed_page *a = parsed_page_at(pp, index_of(s, "pol/a.md"));
    expect_a_parsed(a);
    cr_expect_eq(a->len, 0);
    const parsed_page *b = parsed_page_at(pp, index_of(s, "pol/b.md"));
    cr_expect_eq(b->ok, 1);
    cr_expect_eq(b->doc.n_headings, 1);
    expect_not_parsed(parsed_page_at(pp, index_of(s, "pol/old.md")), "unpublished");
    expect_not_parsed(parsed_page_at(pp, index_of(s, "pol/broken.md")), "broken front matter");
    /* No HTML to read back without a scratch file. */
    buf out;
    buf_init(&out);
    cr_expect_eq(parsed_html(pp, index_of(s, "pol/a.md"), &out, d), 0);
    cr_expect_str_eq(out.data, "");
    /* Out of range: an empty page, nothing read. */
    expect_not_parsed(parsed_page_at(pp, s->n_pages), "out of range");
    expect_not_parsed(parsed_page_at(NULL, 0), "no table");
    cr_expect_eq(parsed_html(pp, s->n_pages + 3, &out, d), 0);
    cr_expect_str_eq(out.data, "");
    buf_release(&out);
    parsed_free(pp);
    parsed_free(NULL);
    site_free(s);
    diag_free(d);
}

/* The site's rewrite, as parse.c applies it, for the reference render. */
typedef struct ref_ctx {
    const site *s;
    const page *p;
} ref_ctx;

static int ref_rewrite(void *arg, const char *url, buf *out)
{
    const ref_ctx *c = arg;
    return site_rewrite_link(out, c->s, c->p, url);
}

static char *reference_html(const site *s, const page *p)
{
    ref_ctx rc = {s, p};
    md_options opt = {.file = p->src,
                      .first_line = p->fm.body_line,
                      .unsafe_html = s->cfg.unsafe_html,
                      .rewrite = ref_rewrite,
                      .rewrite_ctx = &rc,
                      .lax_headings = s->cfg.lax_headings};
    diags *d = diag_new(NULL);
    md_doc doc;
    cr_assert_eq(markdown_render(&doc, p->text.data + p->fm.body_start,
                                 p->text.len - p->fm.body_start, &opt, d),
                 0);
    char *html = buf_detach(&doc.html);
    markdown_release(&doc);
    diag_free(d);
    return html;
}

Test(parse, scratch_html_equals_markdown_render)
{
    basic_site();
    put("content/pol/c.md", "---\ntitle: C\n---\n| a | b |\n|---|---|\n| 1 | [a](a.md) |\n\n"
                            "Note[^1].\n\n[^1]: The note.\n");
    site *s = load(broken_diag);
    diags *d = diag_new(root);
    int fd = scratch_fd();
    parsed *pp = parse_site(s, fd, d);
    cr_assert_diag(d, "");
    size_t ia = index_of(s, "pol/a.md");
    expect_a_parsed(parsed_page_at(pp, ia));
    expect_not_parsed(parsed_page_at(pp, index_of(s, "pol/old.md")), "unpublished");
    expect_not_parsed(parsed_page_at(pp, index_of(s, "pol/broken.md")), "broken front matter");

    /* Links to pages are rewritten to their URLs, other relative links to
     * the file's URL; the unpublished page's link is left as written. */
    static const char a_html[] =
        "<h1 id=\"scope\">Scope</h1>\n"
        "<p>See <a href=\"/pol/b/#purpose\">B</a>, <a href=\"https://x.example/\">ext</a> and\n"
        "<img src=\"/img/logo.png\" alt=\"logo\" />.</p>\n"
        "<h2 id=\"purpose--aims\">Purpose &amp; <em>aims</em></h2>\n"
        "<p>Text with a <del>strike</del> and <code>code</code> and <a "
        "href=\"old.md\">old</a>.</p>\n";
    buf out;
    buf_init(&out);
    buf_adds(&out, "pre:");
    cr_assert_eq(parsed_html(pp, ia, &out, d), 0);
    cr_expect_str_eq(out.data + 4, a_html);
    cr_expect_eq(strncmp(out.data, "pre:", 4), 0, "appended");

    /* Every parsed page: the same bytes as markdown_render gives, each at
     * a place of its own in the scratch file. */
    unsigned long long total = 0;
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        const parsed_page *pg = parsed_page_at(pp, i);
        buf_reset(&out);
        cr_assert_eq(parsed_html(pp, i, &out, d), 0);
        if (!pg->ok) {
            cr_expect_str_eq(out.data, "", "%s", p->rel);
            continue;
        }
        char *want = reference_html(s, p);
        cr_expect_str_eq(out.data, want, "%s", p->rel);
        cr_expect_eq(pg->len, strlen(want), "%s", p->rel);
        free(want);
        total += pg->len;
        for (size_t j = 0; j < s->n_pages; j++) {
            const parsed_page *other = parsed_page_at(pp, j);
            if (j == i || !other->ok)
                continue;
            cr_expect(pg->off + pg->len <= other->off || other->off + other->len <= pg->off,
                      "%s overlaps %s in the scratch file", p->rel, s->pages[j]->rel);
        }
    }
    struct stat st;
    cr_assert_eq(fstat(fd, &st), 0);
    cr_expect_eq((unsigned long long)st.st_size, total, "scratch file holds every page once");
    cr_assert_diag(d, "");

    /* A scratch file that can no longer be read is reported. */
    close(fd);
    buf_reset(&out);
    cr_expect_eq(parsed_html(pp, ia, &out, d), -1);
    cr_assert_diag(
        d, "-:0:0: error: cannot read the parsed pages' scratch file: Bad file descriptor [io]\n");
    buf_release(&out);
    parsed_free(pp);
    site_free(s);
    diag_free(d);
}

/* ---- search text ---- */

static char *repeat(const char *head, const char *unit, size_t n)
{
    buf b;
    buf_init(&b);
    buf_adds(&b, head);
    for (size_t i = 0; i < n; i++)
        buf_adds(&b, unit);
    return buf_detach(&b);
}

static const struct {
    const char *head, *unit; /* the body: head, then unit n times */
    size_t n;
    const char *want_head, *want_unit; /* the search text: want_head, then want_unit k times */
    size_t k;
} search_cases[] = {
    /* Whole texts: tags dropped, blocks separate words, entities decoded,
     * whitespace folded. */
    {"# T\n\nx &amp; <b>y</b>  \"q\" 'z' &lt;\n\n- one\n- two\n\n    code\n", "", 0,
     "T x & y \"q\" 'z' < one two code", "", 0},
    {"a *b* [c](https://x.example/)`d`\n", "", 0, "a b cd", "", 0},
    /* Cut at 1,500 bytes, never inside a character. */
    {"x", "\xc3\xa9", 800, "x", "\xc3\xa9", 749},           /* 1,499: a cut lead byte dropped */
    {"", "\xe2\x82\xac", 600, "", "\xe2\x82\xac", 500},     /* 1,500: ends on a whole one */
    {"a", "\xe2\x82\xac", 600, "a", "\xe2\x82\xac", 499},   /* 1,498: two of three bytes dropped */
    {"ab", "\xe2\x82\xac", 600, "ab", "\xe2\x82\xac", 499}, /* 1,499: one of three dropped */
    {"", "\xf0\x9f\x98\x80", 400, "", "\xf0\x9f\x98\x80", 375}, /* 1,500 */
    {"", "a ", 1000, "a", " a", 749},                           /* a trailing space trimmed */
};

/* A page content/s/p<i>.md for each of search_cases. */
static void put_search_pages(void)
{
    buf name, text;
    buf_init(&name);
    buf_init(&text);
    for (size_t i = 0; i < COUNT(search_cases); i++) {
        char *body = repeat(search_cases[i].head, search_cases[i].unit, search_cases[i].n);
        buf_reset(&text);
        buf_printf(&text, "---\ntitle: P%zu\n---\n%s\n", i, body);
        buf_reset(&name);
        buf_printf(&name, "content/s/p%zu.md", i);
        put(name.data, text.data);
        free(body);
    }
    buf_release(&name);
    buf_release(&text);
}

Test(parse, search_text)
{
    buf name;
    buf_init(&name);
    put_search_pages();
    site *s = load("");
    diags *d = diag_new(root);
    int fd = scratch_fd();
    parsed *pp = parse_site(s, fd, d);
    cr_assert_diag(d, "");
    for (size_t i = 0; i < COUNT(search_cases); i++) {
        buf_reset(&name);
        buf_printf(&name, "s/p%zu.md", i);
        char *want =
            repeat(search_cases[i].want_head, search_cases[i].want_unit, search_cases[i].k);
        char *got = NULL;
        cr_assert_eq(text_of(&got, pp, index_of(s, name.data), d), 0, "case %zu", i);
        cr_expect_str_eq(got, want, "case %zu (%zu bytes, want %zu)", i, strlen(got), strlen(want));
        cr_expect_leq(strlen(got), 1500, "case %zu", i);
        free(got);
        free(want);
    }
    buf_release(&name);
    close(fd);
    parsed_free(pp);
    site_free(s);
    diag_free(d);
}

/* parse_plain_text as it was first written, a byte at a time: the rule
 * the faster one must keep. */
static char *plain_text_reference(const char *html, size_t len, size_t max)
{
    static const char *const blocks[] = {"p",  "li", "h1", "h2", "h3",         "h4",   "h5",
                                         "h6", "br", "td", "th", "tr",         "div",  "pre",
                                         "ul", "ol", "dt", "dd", "blockquote", "table"};
    static const struct {
        const char *ent;
        char ch;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    buf out;
    buf_init(&out);
    int in_tag = 0, space = 1, block = 0;
    for (size_t i = 0; i < len && out.len < max; i++) {
        char c = html[i];
        if (in_tag) {
            in_tag = c != '>';
            if (!in_tag && block && !space) {
                buf_addc(&out, ' ');
                space = 1;
            }
            continue;
        }
        if (c == '<') {
            size_t j = i + 1 + (i + 1 < len && html[i + 1] == '/');
            size_t e = j;
            while (e < len && isalnum((unsigned char)html[e]))
                e++;
            block = 0;
            for (size_t k = 0; k < COUNT(blocks) && !block; k++)
                block = strlen(blocks[k]) == e - j && !strncasecmp(html + j, blocks[k], e - j);
            in_tag = 1;
            continue;
        }
        if (c == '&') {
            int done = 0;
            for (size_t k = 0; k < COUNT(ents) && !done; k++) {
                size_t el = strlen(ents[k].ent);
                if (len - i >= el && !memcmp(html + i, ents[k].ent, el)) {
                    buf_addc(&out, ents[k].ch);
                    i += el - 1;
                    done = 1;
                }
            }
            if (done) {
                space = 0;
                continue;
            }
        }
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            if (!space)
                buf_addc(&out, ' ');
            space = 1;
            continue;
        }
        buf_addc(&out, c);
        space = 0;
    }
    if (out.len >= max)
        out.len = utf8_whole_len(out.data, out.len); /* the cut, unchanged: buf.c's */
    while (out.len && out.data[out.len - 1] == ' ')
        out.len--;
    out.data[out.len] = '\0';
    return buf_detach(&out);
}

/* parse_plain_text gives what the byte-at-a-time rule gives, on 50,000
 * generated texts of tags (block and inline, closing, any case, with
 * attributes, unclosed), entities (and near misses), whitespace runs,
 * UTF-8 and words, cut at many lengths. */
Test(parse, plain_text_keeps_the_rule)
{
    static const char *const parts[] = {"<p>",
                                        "</p>",
                                        "<P class=\"x\">",
                                        "<li>",
                                        "</LI>",
                                        "<h2 id=\"a\">",
                                        "</h2>",
                                        "<br />",
                                        "<blockquote>",
                                        "</blockquote>",
                                        "<blockquotes>",
                                        "<table>",
                                        "<td>",
                                        "<a href=\"#x\">",
                                        "</a>",
                                        "<em>",
                                        "<code>",
                                        "<pre><code>",
                                        "<div",
                                        "<",
                                        "</",
                                        "<>",
                                        ">",
                                        "<h7>",
                                        "<h1x>",
                                        "&amp;",
                                        "&lt;",
                                        "&gt;",
                                        "&quot;",
                                        "&#39;",
                                        "&amp",
                                        "&",
                                        "&#3",
                                        "&nbsp;",
                                        " ",
                                        "  ",
                                        "\n",
                                        "\t",
                                        "\r\n",
                                        " \n ",
                                        "word",
                                        "x",
                                        "Policy",
                                        "\xc3\xa9",
                                        "\xe2\x82\xac",
                                        "\xf0\x9f\x98\x80",
                                        "\xff",
                                        "a&b",
                                        "1<2"};
    static const size_t maxes[] = {0, 1, 2, 3, 5, 8, 13, 40, 1500};
    unsigned long long seed = 88172645463325252ULL;
    buf html;
    buf_init(&html);
    for (int round = 0; round < 50000; round++) {
        unit_pick_text(&html, &seed, parts, COUNT(parts), 40);
        size_t max = maxes[round % COUNT(maxes)];
        char *want = plain_text_reference(html.data, html.len, max);
        char *got = parse_plain_text(html.data, html.len, max);
        cr_assert_str_eq(got, want, "max %zu, html '%s'", max, html.data);
        free(want);
        free(got);
    }
    buf_release(&html);
}

static site *load_reread(const char *load_diags);

/* A reader gives each page's HTML as parsed_html does, in any order; read
 * in the order the parse wrote them, the pages come a window at a time,
 * not a read each. */
Test(parse, reader_reads_a_window_at_a_time)
{
    enum { N = 400 };
    buf rel, text;
    buf_init(&rel);
    buf_init(&text);
    for (int i = 0; i < N; i++) {
        buf_reset(&rel);
        buf_reset(&text);
        buf_printf(&rel, "content/s/p%03d.md", i);
        buf_printf(&text, "---\ntitle: P%d\n---\n# Page %d\n\n", i, i);
        for (int k = 0; k <= i % 13; k++)
            buf_printf(
                &text,
                "Paragraph %d of page %d, with *words* and [a link](https://x.example/%d).\n\n", k,
                i, k);
        put(rel.data, text.data);
    }
    site *s = load("");
    diags *d = diag_new(root);
    int fd = scratch_fd();
    parsed *pp = parse_site(s, fd, d);
    cr_assert_diag(d, "");
    /* In the parse's order (by where each page lies), backwards, and
     * jumping about. */
    size_t order[N], n = s->n_pages;
    cr_assert_eq(n, (size_t)N);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i;
             j > 0 && parsed_page_at(pp, order[j - 1])->off > parsed_page_at(pp, order[j])->off;
             j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    unsigned long long total = 0;
    for (size_t i = 0; i < n; i++)
        total += parsed_page_at(pp, i)->len;
    for (int pass = 0; pass < 3; pass++) {
        parsed_reader r;
        parsed_reader_init(&r, pp);
        for (size_t k = 0; k < n; k++) {
            size_t i = pass == 0 ? order[k] : pass == 1 ? order[n - 1 - k] : order[(k * 157) % n];
            buf want, got;
            buf_init(&want);
            buf_init(&got);
            cr_assert_eq(parsed_html(pp, i, &want, d), 0);
            cr_assert_eq(parsed_read_html(&r, i, &got, d), 0);
            cr_assert_eq(got.len, want.len, "pass %d, page %zu", pass, i);
            cr_assert(!memcmp(got.data, want.data, want.len), "pass %d, page %zu", pass, i);
            buf_release(&want);
            buf_release(&got);
        }
        if (pass == 0)
            cr_expect_leq(r.reads, total / (128 << 10) + 2,
                          "%zu reads for %zu pages, %llu bytes, in order", r.reads, n, total);
        else
            cr_expect_leq(r.reads, 2 * n, "pass %d: %zu reads", pass, r.reads);
        parsed_reader_release(&r);
    }
    cr_assert_diag(d, "");
    close(fd);
    parsed_free(pp);
    site_free(s);

    /* Pages from two files: the previous build's parse cache, and the
     * scratch file for every seventh page, edited since. The window holds
     * one file's bytes, never served for the other's. */
    char cache[128];
    snprintf(cache, sizeof cache, "%s/cache/parse.cache", root);
    s = load_reread("");
    fd = scratch_fd();
    pp = parse_site_cached(s, fd, cache, d);
    cr_assert_eq(parse_cache_write(pp, d), 0);
    parsed_free(pp);
    close(fd);
    site_free(s);
    for (int i = 0; i < N; i += 7) {
        buf_reset(&rel);
        buf_reset(&text);
        buf_printf(&rel, "content/s/p%03d.md", i);
        buf_printf(&text, "---\ntitle: P%d\n---\nEdited %d.\n", i, i);
        put(rel.data, text.data);
    }
    s = load_reread("");
    fd = scratch_fd();
    pp = parse_site_cached(s, fd, cache, d);
    cr_assert_eq(parsed_cache_hits(pp), (size_t)N - (N + 6) / 7);
    parsed_reader r;
    parsed_reader_init(&r, pp);
    for (size_t i = 0; i < s->n_pages; i++) {
        buf want, got;
        buf_init(&want);
        buf_init(&got);
        cr_assert_eq(parsed_html(pp, i, &want, d), 0);
        cr_assert_eq(parsed_read_html(&r, i, &got, d), 0);
        cr_assert_str_eq(got.data, want.data, "page %zu", i);
        buf_release(&want);
        buf_release(&got);
    }
    parsed_reader_release(&r);
    cr_assert_diag(d, "");
    close(fd);
    parsed_free(pp);
    site_free(s);
    diag_free(d);
    buf_release(&rel);
    buf_release(&text);
}

/* Markdown findings are reported at their line in the page's file: the
 * body's first line is the line after the front matter. */
Test(parse, findings_at_file_lines)
{
    put("content/s/u.md", "---\ntitle: U\nowner: o\n---\n\nok\nbad \xff here\n");
    put("content/s/plain.md", "no front matter\n\n\xfe\n");
    site *s = load("content/s/plain.md:1:1: error: missing required key 'title' "
                   "[missing-required-key]\n");
    static const char want[] =
        "content/s/plain.md:3:1: error: invalid UTF-8 byte 0xfe [invalid-utf8]\n"
        "content/s/u.md:7:5: error: invalid UTF-8 byte 0xff [invalid-utf8]\n";
    for (int with_html = 0; with_html < 2; with_html++) {
        diags *d = diag_new(root);
        int fd = with_html ? scratch_fd() : -1;
        parsed *pp = parse_site(s, fd, d);
        cr_assert_diag(d, want);
        /* Still parsed: the bytes are replaced, the page kept. */
        const parsed_page *u = parsed_page_at(pp, index_of(s, "s/u.md"));
        cr_expect_eq(u->ok, 1);
        if (with_html) {
            char *text = NULL;
            cr_assert_eq(text_of(&text, pp, index_of(s, "s/u.md"), d), 0);
            cr_expect_str_eq(text, "ok bad \xef\xbf\xbd here");
            free(text);
            close(fd);
        }
        parsed_free(pp);
        diag_free(d);
    }
    site_free(s);
}

/* A site without pages parses to an empty table. */
Test(parse, no_pages)
{
    put("content/.keep", "");
    site *s = load("site.yml:1:1: warning: the site has no page: the content folder 'content' "
                   "holds no Markdown file charter reads [no-pages]\n");
    cr_assert_eq(s->n_pages, 0);
    diags *d = diag_new(root);
    parsed *pp = parse_site(s, -1, d);
    cr_assert_not_null(pp);
    expect_not_parsed(parsed_page_at(pp, 0), "page 0 of none");
    cr_assert_diag(d, "");
    parsed_free(pp);
    site_free(s);
    diag_free(d);
}

/* Loads the site as a build does (site.reread: the pages' bytes released
 * once their front matter is read, and read again by the parse). */
static site *load_reread(const char *load_diags)
{
    diags *d = diag_new(root);
    site *s = NULL;
    cr_assert_eq(site_load_config(&s, root, date_from_civil(2026, 11, 25), NULL, d), 0);
    cr_assert_eq(site_load_walk(s, d), 0);
    s->reread = 1;
    cr_assert_eq(site_load_finish(s, d), 0);
    cr_assert_diag(d, load_diags);
    diag_free(d);
    return s;
}

/* A build's load keeps each page's digest, not its bytes; its parse reads
 * them again and makes the pages a load that kept them makes. A page that
 * changed on disk in between is an error and is not parsed (its front
 * matter was read from other bytes), and the parse has failed: the build
 * stops there, with exit 2. */
Test(parse, pages_read_again_by_the_parse)
{
    basic_site();
    site *kept = load(broken_diag);
    site *s = load_reread(broken_diag);
    cr_assert_eq(s->n_pages, kept->n_pages);
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok)
            continue;
        cr_expect_eq(p->text.len, 0, "%s: its bytes released at load", p->src);
        cr_expect_eq(strlen(p->text_hex), 64, "%s: their digest kept", p->src);
        cr_expect_eq(strlen(p->text_check), 16, "%s: and their check, for the second read", p->src);
    }
    diags *d = diag_new(root);
    int fd_kept = scratch_fd(), fd = scratch_fd();
    parsed *want = parse_site(kept, fd_kept, d);
    parsed *got = parse_site_cached(s, fd, NULL, d);
    cr_assert_diag(d, "");
    buf a, b;
    buf_init(&a);
    buf_init(&b);
    size_t n_ok = 0;
    for (size_t i = 0; i < s->n_pages; i++) {
        const parsed_page *w = parsed_page_at(want, i), *g = parsed_page_at(got, i);
        cr_expect_eq(g->ok, w->ok, "%s", s->pages[i]->src);
        if (!w->ok || !g->ok)
            continue;
        n_ok++;
        buf_reset(&a);
        buf_reset(&b);
        cr_assert_eq(parsed_html(want, i, &a, d), 0);
        cr_assert_eq(parsed_html(got, i, &b, d), 0);
        cr_expect_str_eq(b.data, a.data, "%s", s->pages[i]->src);
        cr_expect_eq(s->pages[i]->text.len, 0, "%s: released once parsed", s->pages[i]->src);
    }
    cr_expect_eq(n_ok, 2, "a.md and b.md parsed");
    cr_expect_eq(parsed_failed(got), 0);
    expect_a_parsed(parsed_page_at(got, index_of(s, "pol/a.md")));
    parsed_free(want);
    parsed_free(got);
    close(fd_kept);
    close(fd);

    /* b.md edited between the load and the parse. */
    site *edited = load_reread(broken_diag);
    put("content/pol/b.md", "---\ntitle: B\n---\n\n## Purpose\n\nB's new text.\n");
    fd = scratch_fd();
    got = parse_site_cached(edited, fd, NULL, d);
    cr_assert_diag(
        d, "content/pol/b.md:0:0: error: 'content/pol/b.md' changed during the build; build "
           "again [io]\n");
    expect_not_parsed(parsed_page_at(got, index_of(edited, "pol/b.md")), "changed since the load");
    cr_expect_eq(parsed_failed(got), 1, "a build stops there (exit 2)");
    expect_a_parsed(parsed_page_at(got, index_of(edited, "pol/a.md")));
    parsed_free(got);
    close(fd);
    buf_release(&a);
    buf_release(&b);
    site_free(edited);
    site_free(kept);
    site_free(s);
    diag_free(d);
}

/* A page the parse cache holds is taken from it by the digest the load
 * kept, without its bytes: a one-page edit reads one page again, not all.
 * What the cache gives is made from the bytes the load read, so a page
 * changed since is not read either (the next build sees the change). */
Test(parse, cached_pages_not_read_again)
{
    basic_site();
    char cache[128];
    snprintf(cache, sizeof cache, "%s/cache/parse.cache", root);
    diags *d = diag_new(root);
    site *s = load_reread(broken_diag);
    int fd = scratch_fd();
    parsed *first = parse_site_cached(s, fd, cache, d);
    cr_assert_diag(d, "");
    cr_assert_eq(parsed_cache_hits(first), 0);
    cr_assert_eq(parse_cache_write(first, d), 0);
    buf want;
    buf_init(&want);
    size_t a = index_of(s, "pol/a.md");
    cr_assert_eq(parsed_html(first, a, &want, d), 0);
    parsed_free(first);
    close(fd);
    site_free(s);

    s = load_reread(broken_diag);
    /* Both pages changed after the load: neither is read again. */
    put("content/pol/a.md", "---\ntitle: A\n---\n\nChanged after the load.\n");
    put("content/pol/b.md", "---\ntitle: B\n---\n\nChanged after the load.\n");
    fd = scratch_fd();
    parsed *got = parse_site_cached(s, fd, cache, d);
    cr_assert_diag(d, "");
    cr_expect_eq(parsed_cache_hits(got), 2, "a.md and b.md from the cache");
    cr_expect_eq(parsed_failed(got), 0);
    expect_a_parsed(parsed_page_at(got, a));
    buf html;
    buf_init(&html);
    cr_assert_eq(parsed_html(got, a, &html, d), 0);
    cr_expect_str_eq(html.data, want.data, "the HTML of the bytes the load read");
    parsed_free(got);
    close(fd);
    site_free(s);

    /* The next build's load reads the edit, and its parse reads it again. */
    s = load_reread(broken_diag);
    fd = scratch_fd();
    got = parse_site_cached(s, fd, cache, d);
    cr_assert_diag(d, "");
    cr_expect_eq(parsed_cache_hits(got), 0, "both edited: both parsed");
    buf_reset(&html);
    cr_assert_eq(parsed_html(got, a, &html, d), 0);
    cr_expect(strstr(html.data, "Changed after the load.") != NULL, "%s", html.data);
    parsed_free(got);
    close(fd);
    site_free(s);
    buf_release(&want);
    buf_release(&html);
    diag_free(d);
}

/* The cache rewritten after a one-page edit copies the pages it kept as a
 * few runs (those lying end to end in the old cache go as one), not page
 * by page, and what it then gives back is each page's HTML as parsed. */
Test(parse, cache_rewrite_copies_runs)
{
    char rel[64], text[256];
    for (int i = 0; i < 12; i++) {
        snprintf(rel, sizeof rel, "content/pol/p%02d.md", i);
        snprintf(text, sizeof text, "---\ntitle: P%d\n---\n\n## Part %d\n\nText of page %d.\n", i,
                 i, i);
        put(rel, text);
    }
    char cache[128];
    snprintf(cache, sizeof cache, "%s/cache/parse.cache", root);
    diags *d = diag_new(root);
    site *s = load_reread("");
    int fd = scratch_fd();
    parsed *p = parse_site_cached(s, fd, cache, d);
    cr_assert_eq(parse_cache_write(p, d), 0);
    cr_expect_leq(parsed_cache_copies(p), 2, "a fresh parse is one run of the scratch file");
    parsed_free(p);
    close(fd);
    site_free(s);

    put("content/pol/p05.md", "---\ntitle: P5\n---\n\n## Part 5\n\nEdited.\n");
    s = load_reread("");
    fd = scratch_fd();
    p = parse_site_cached(s, fd, cache, d);
    cr_assert_eq(parsed_cache_hits(p), 11);
    cr_assert_eq(parse_cache_write(p, d), 0);
    cr_expect_leq(parsed_cache_copies(p), 3, "before the edit, the edit, after it");
    parsed_free(p);
    close(fd);
    site_free(s);

    /* Every page from the rewritten cache, as a parse without one makes it. */
    site *fresh = load("");
    s = load_reread("");
    int fd_fresh = scratch_fd();
    fd = scratch_fd();
    parsed *want = parse_site(fresh, fd_fresh, d);
    p = parse_site_cached(s, fd, cache, d);
    cr_assert_diag(d, "");
    cr_expect_eq(parsed_cache_hits(p), 12);
    buf a, b;
    buf_init(&a);
    buf_init(&b);
    for (size_t i = 0; i < s->n_pages; i++) {
        buf_reset(&a);
        buf_reset(&b);
        cr_assert_eq(parsed_html(want, i, &a, d), 0);
        cr_assert_eq(parsed_html(p, i, &b, d), 0);
        cr_expect_str_eq(b.data, a.data, "%s", s->pages[i]->src);
    }
    parsed_free(want);
    parsed_free(p);
    close(fd_fresh);
    close(fd);
    site_free(fresh);
    site_free(s);
    buf_release(&a);
    buf_release(&b);
    diag_free(d);
}

/* With a cache, each page's parse keeps the digest of its search text
 * (parsed_text_key), and the cache gives it back on a hit: what search.json
 * shows of a page is known without reading its HTML. Without a cache there
 * is none. */
Test(parse, text_key_is_the_search_text_digest)
{
    put_search_pages();
    char cache[128];
    snprintf(cache, sizeof cache, "%s/cache/parse.cache", root);
    diags *d = diag_new(root);
    for (int round = 0; round < 2; round++) {
        site *s = load_reread("");
        int fd = scratch_fd();
        parsed *pp = parse_site_cached(s, fd, cache, d);
        cr_assert_diag(d, "");
        cr_expect_eq(parsed_cache_hits(pp), round ? COUNT(search_cases) : 0u, "round %d", round);
        for (size_t i = 0; i < s->n_pages; i++) {
            char *text = NULL, want[DIGEST_HEX];
            cr_assert_eq(text_of(&text, pp, i, d), 0);
            digest_of(want, text, strlen(text));
            const char *got = parsed_text_key(pp, i);
            cr_assert_not_null(got, "round %d: %s", round, s->pages[i]->rel);
            cr_expect_str_eq(got, want, "round %d: %s", round, s->pages[i]->rel);
            free(text);
        }
        if (!round)
            cr_assert_eq(parse_cache_write(pp, d), 0);
        parsed_free(pp);
        close(fd);
        site_free(s);
    }
    site *s = load("");
    int fd = scratch_fd();
    parsed *pp = parse_site(s, fd, d);
    cr_assert_diag(d, "");
    for (size_t i = 0; i < s->n_pages; i++)
        cr_expect_null(parsed_text_key(pp, i), "%s", s->pages[i]->rel);
    parsed_free(pp);
    close(fd);
    site_free(s);
    diag_free(d);
}

/* With a texts' scratch file, each page's text for search is kept there as
 * it is parsed, and parsed_text reads it rather than the HTML: the HTML's
 * scratch file cut to nothing, every page's text is still what its HTML
 * gives. */
Test(parse, search_text_kept_in_its_scratch_file)
{
    put_search_pages();
    char cache[128];
    snprintf(cache, sizeof cache, "%s/cache/parse.cache", root);
    diags *d = diag_new(root);
    site *s = load_reread("");
    int fd = scratch_fd(), texts = scratch_fd();
    parsed *pp = parse_site_opened(s, fd, texts, cache, NULL, d);
    cr_assert_diag(d, "");
    char **want = xcalloc(s->n_pages, sizeof *want);
    size_t kept = 0;
    buf html;
    buf_init(&html);
    for (size_t i = 0; i < s->n_pages; i++) {
        buf_reset(&html);
        cr_assert_eq(parsed_html(pp, i, &html, d), 0);
        want[i] = parse_plain_text(html.data, html.len, 1500);
        kept += parsed_page_at(pp, i)->text_len;
        cr_expect_eq(parsed_page_at(pp, i)->text_len, strlen(want[i]), "%s", s->pages[i]->rel);
    }
    struct stat st;
    cr_assert_eq(fstat(texts, &st), 0);
    cr_expect_gt(kept, 0);
    cr_expect_eq((size_t)st.st_size, kept, "the texts, end to end");
    cr_assert_eq(ftruncate(fd, 0), 0);
    for (size_t i = 0; i < s->n_pages; i++) {
        char *text = NULL;
        cr_assert_eq(text_of(&text, pp, i, d), 0, "%s", s->pages[i]->rel);
        cr_expect_str_eq(text, want[i], "%s", s->pages[i]->rel);
        free(text);
        free(want[i]);
    }
    cr_assert_diag(d, "");
    free(want);
    buf_release(&html);
    parsed_free(pp);
    close(fd);
    close(texts);
    site_free(s);
    diag_free(d);
}

/* Each record vouches for its page's HTML by a digest, checked as the HTML
 * is read back: a byte of it changed (the index and the trailer intact)
 * gives the page parsed again from its file, never the damaged bytes; the
 * cache is removed after, so that the next build parses every page. */
Test(parse, a_cache_whose_html_changed_is_parsed_again)
{
    basic_site();
    char cache[128];
    snprintf(cache, sizeof cache, "%s/cache/parse.cache", root);
    diags *d = diag_new(root);
    buf want[8];
    size_t n = 0;
    for (int round = 0; round < 4; round++) {
        site *s = load_reread(broken_diag);
        int fd = scratch_fd();
        parsed *p = parse_site_cached(s, fd, cache, d);
        cr_assert_diag(d, "");
        size_t hits = round == 1 || round == 3 ? 2u : 0u;
        cr_expect_eq(parsed_cache_hits(p), hits, "round %d", round);
        cr_assert_eq(parse_cache_write(p, d), 0);
        cr_assert_leq(s->n_pages, COUNT(want));
        for (size_t i = 0; i < s->n_pages; i++) {
            buf html;
            buf_init(&html);
            cr_assert_eq(parsed_html(p, i, &html, d), 0);
            if (round == 0)
                want[n++] = html;
            else {
                cr_expect_str_eq(html.data, want[i].data, "round %d: %s", round, s->pages[i]->rel);
                buf_release(&html);
            }
        }
        cr_assert_diag(d, "");
        cr_expect_eq(parse_cache_drop_damaged(p), round == 1, "round %d", round);
        cr_expect_eq(access(cache, F_OK) == 0, round != 1, "round %d", round);
        parsed_free(p);
        close(fd);
        site_free(s);
        if (round == 0) {
            /* The file starts with a page's HTML. */
            int cfd = open(cache, O_RDWR);
            cr_assert_geq(cfd, 0);
            char c;
            cr_assert_eq(pread(cfd, &c, 1, 1), 1);
            c ^= 0x20;
            cr_assert_eq(pwrite(cfd, &c, 1, 1), 1);
            close(cfd);
        }
    }
    for (size_t i = 0; i < n; i++)
        buf_release(&want[i]);
    diag_free(d);
}
