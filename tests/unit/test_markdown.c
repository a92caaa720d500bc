/* test_markdown: GFM rendering through cmark-gfm, raw HTML policy, heading
 * ids and records, link collection with source positions, the rewrite hook,
 * invalid UTF-8 reporting, and what a Jekyll page brings: spaceless
 * headings (lax_headings) and Liquid. */
#include "unit.h"

#include "markdown.h"
#include "markdown_int.h"

#include <malloc.h>
#include <stddef.h>
#include <pthread.h>
#include <stdatomic.h>

/* Renders text with the given options, expecting success; the caller
 * releases doc. Diagnostics go to d. */
static void render(md_doc *doc, const char *text, size_t len, const md_options *opt, diags *d)
{
    cr_assert_eq(markdown_render(doc, text, len, opt, d), 0, "render failed: %s", text);
    cr_assert_not_null(doc->html.data);
}

/* Renders text (safe HTML, body on line 1) and returns its HTML; caller frees.
 * Asserts there were no diagnostics. */
static char *html_of(const char *text, int unsafe_html)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1, .unsafe_html = unsafe_html};
    md_doc doc;
    render(&doc, text, strlen(text), &opt, d);
    cr_assert_diag(d, "");
    char *html = buf_detach(&doc.html);
    markdown_release(&doc);
    diag_free(d);
    return html;
}

static void expect_contains(const char *html, const char *want, const char *what)
{
    cr_expect_not_null(strstr(html, want), "%s: '%s' not in:\n%s", what, want, html);
}

static void expect_lacks(const char *html, const char *unwanted, const char *what)
{
    cr_expect_null(strstr(html, unwanted), "%s: '%s' in:\n%s", what, unwanted, html);
}

/* ---- GFM features ---- */

static const struct {
    const char *name, *input, *want[3];
} gfm_cases[] = {
    {"paragraph", "hello *world*\n", {"<p>hello <em>world</em></p>\n"}},
    {"table",
     "| a | b |\n|---|--:|\n| 1 | 2 |\n",
     {"<table>", "<th>a</th>", "<td align=\"right\">2</td>"}},
    {"strikethrough", "~~gone~~ kept\n", {"<p><del>gone</del> kept</p>"}},
    {"autolink url",
     "see https://x.org/a now\n",
     {"<a href=\"https://x.org/a\">https://x.org/a</a> now"}},
    {"autolink www",
     "www.example.com\n",
     {"<a href=\"http://www.example.com\">www.example.com</a>"}},
    {"autolink email", "mail a@b.org\n", {"<a href=\"mailto:a@b.org\">a@b.org</a>"}},
    {"task list",
     "- [ ] todo\n- [x] done\n",
     {"<li><input type=\"checkbox\" disabled=\"\" aria-label=\"Not done\" /> todo</li>",
      "<li><input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"Done\" /> "
      "done</li>"}},
    {"footnote",
     "Text[^1].\n\n[^1]: The note.\n",
     {"<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\"",
      "<section class=\"footnotes\"", "<li id=\"fn-1\">\n<p>The note."}},
    {"footnote in a heading",
     "# Title[^1]\n\n[^1]: The note.\n",
     {"<h1 id=\"title\">Title<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\"",
      "<li id=\"fn-1\">\n<p>The note."}},
    {"fenced code language",
     "```yaml\na: 1\n```\n",
     {"<pre lang=\"yaml\"><code>a: 1\n</code></pre>"}},
};

Test(markdown, gfm_features)
{
    for (size_t i = 0; i < COUNT(gfm_cases); i++) {
        char *html = html_of(gfm_cases[i].input, 0);
        for (size_t k = 0; k < COUNT(gfm_cases[i].want) && gfm_cases[i].want[k]; k++)
            expect_contains(html, gfm_cases[i].want[k], gfm_cases[i].name);
        free(html);
    }
}

/* ---- raw HTML ---- */

Test(markdown, raw_html_kept_safe_by_default)
{
    /* html_safe's subset (test_html_safe has the rules): the element and
     * its text, not its class; no script, no handler; the same in the
     * block and inline. */
    char *html = html_of("<div class=\"x\">raw</div>\n\nx <b onclick=\"alert(1)\">y</b>"
                         "<script>alert(2)</script>\n\n<table><tr><td>c</td></tr></table>\n",
                         0);
    expect_contains(html, "<div>raw</div>", "block html");
    expect_contains(html, "<p>x <b>y</b>", "inline html");
    expect_contains(html, "<table><tr><td>c</td></tr></table>", "table");
    expect_lacks(html, "class=\"x\"", "class");
    expect_lacks(html, "onclick", "handler");
    expect_lacks(html, "<script", "script");
    expect_lacks(html, "raw HTML omitted", "placeholder");
    free(html);
    /* In a table's cell too, where cmark-gfm allows no node of charter's
     * own (HEAD~1 lost the cell's HTML there, and leaked its node). */
    html = html_of("| a | b |\n|---|---|\n| x<br>y | <a name=\"q\"></a>z |\n", 0);
    expect_contains(html, "<td>x<br>y</td>", "a break in a cell");
    expect_contains(html, "<td><a id=\"q\"></a>z</td>", "an anchor in a cell");
    free(html);
}

Test(markdown, dangerous_urls_dropped_by_default)
{
    char *html = html_of("[x](javascript:alert(1))\n", 0);
    expect_contains(html, "<a href=\"\">x</a>", "javascript link");
    free(html);
}

Test(markdown, unsafe_html_kept)
{
    char *html = html_of("<div class=\"x\">raw</div>\n\nx <b>y</b>\n", 1);
    expect_contains(html, "<div class=\"x\">raw</div>", "block html");
    expect_contains(html, "<p>x <b>y</b></p>", "inline html");
    expect_lacks(html, "raw HTML omitted", "placeholder");
    free(html);
}

/* Under unsafe_html too, a link written in Markdown leads to no script:
 * cmark-gfm's own filter is off there (HEAD~1 wrote them through). */
Test(markdown, dangerous_urls_dropped_under_unsafe_html)
{
    char *html = html_of("[a](javascript:alert(1)) [b](JAVA&#115;cript:x) <vbscript:x>\n"
                         "[c][r] ![d](data:text/html,x) ![e](data:image/png;base64,AA==)\n"
                         "[f](file:///etc/passwd) [g](https://example.org/)\n\n"
                         "[r]: javascript:alert(2)\n",
                         1);
    expect_lacks(html, "javascript:", "javascript");
    expect_lacks(html, "JAVAscript:", "entity");
    expect_lacks(html, "href=\"vbscript:", "autolink");
    expect_lacks(html, "data:text", "data");
    expect_lacks(html, "file:", "file");
    expect_contains(html, "src=\"data:image/png;base64,AA==\"", "an image's data:image/png");
    expect_contains(html, "href=\"https://example.org/\"", "a plain link");
    free(html);
}

static const struct {
    const char *input, *want, *unwanted;
} tagfilter_cases[] = {
    {"<script>alert(1)</script>\n", "&lt;script>alert(1)&lt;/script>", "<script"},
    {"<iframe src=\"x\"></iframe>\n", "&lt;iframe", "<iframe"},
    {"<style>p{}</style>\n", "&lt;style>", "<style"},
    {"a <textarea>t</textarea>\n", "&lt;textarea>", "<textarea"},
    {"a <title>t</title>\n", "&lt;title>", "<title"},
    {"a <xmp>x</xmp>\n", "&lt;xmp>", "<xmp"},
    {"a <plaintext>\n", "&lt;plaintext>", "<plaintext"},
    {"a <noembed> <noframes>\n", "&lt;noembed> &lt;noframes>", "<noembed"},
};

Test(markdown, unsafe_html_still_tagfiltered)
{
    for (size_t i = 0; i < COUNT(tagfilter_cases); i++) {
        char *html = html_of(tagfilter_cases[i].input, 1);
        expect_contains(html, tagfilter_cases[i].want, tagfilter_cases[i].input);
        expect_lacks(html, tagfilter_cases[i].unwanted, tagfilter_cases[i].input);
        free(html);
    }
}

/* ---- heading ids ---- */

static const struct {
    const char *text, *slug;
} slug_cases[] = {
    {"Scope", "scope"},
    {"Hello, World!", "hello-world"},
    {"A & B", "a--b"},
    {"snake_case-and-dash", "snake_case-and-dash"},
    {"1. Purpose", "1-purpose"},
    {"Version 2.0 (draft)", "version-20-draft"},
    {"ISO/IEC 27001:2022", "isoiec-270012022"},
    {"What's \"new\"?", "whats-new"},
    /* GitHub's rule in every script: letters lowercased (HEAD~1 kept
     * "\xC3\x9C" capital), emoji, dashes and curly quotes dropped (HEAD~1
     * kept every byte over 0x7F, so links written for GitHub broke). */
    {"\xC3\x9Cn\xC3\xAF"
     "code Stra\xC3\x9F"
     "e",
     "\xC3\xBCn\xC3\xAF"
     "code-stra\xC3\x9F"
     "e"},
    {"\xE6\x97\xA5\xE6\x9C\xAC", "\xE6\x97\xA5\xE6\x9C\xAC"},
    {"\xF0\x9F\x94\x90 Access Control", "-access-control"},
    {"Roles \xE2\x80\x94 Responsibilities", "roles--responsibilities"},
    {"Employee\xE2\x80\x99s duties", "employees-duties"},
    {"\xCE\xA3\xCE\xBA\xCE\xBF\xCF\x80\xCF\x8C\xCF\x82",
     "\xCF\x83\xCE\xBA\xCE\xBF\xCF\x80\xCF\x8C\xCF\x82"},
    {"!!!", "section"},
    {"", "section"},
};

Test(markdown, slug_rules)
{
    for (size_t i = 0; i < COUNT(slug_cases); i++) {
        buf b;
        buf_init(&b);
        markdown_slug(&b, slug_cases[i].text);
        cr_expect_str_eq(b.data, slug_cases[i].slug, "slug of '%s'", slug_cases[i].text);
        buf_release(&b);
    }
}

Test(markdown, slug_appends)
{
    buf b;
    buf_init(&b);
    buf_adds(&b, "x:");
    markdown_slug(&b, "A b");
    cr_assert_str_eq(b.data, "x:a-b");
    buf_reset(&b);
    buf_adds(&b, "x:");
    markdown_slug(&b, "?");
    cr_assert_str_eq(b.data, "x:section");
    buf_release(&b);
}

static const struct {
    const char *name, *input;
    const char *ids[4];
} id_cases[] = {
    {"duplicates", "# Scope\n## Scope\n### Scope\n", {"scope", "scope-1", "scope-2"}},
    {"suffix already taken", "# Scope\n# Scope 1\n# Scope\n", {"scope", "scope-1", "scope-2"}},
    {"punctuation", "# Hello, World!\n# Hello World\n", {"hello-world", "hello-world-1"}},
    {"inline markup is text", "# `code` and *em*\n", {"code-and-em"}},
    {"non-ascii kept",
     "# Stra\xC3\x9F"
     "e\n",
     {"stra\xC3\x9F"
      "e"}},
    {"empty", "#\n# !!!\n", {"section", "section-1"}},
    /* A heading's own id (kramdown, MkDocs attr_list, Docusaurus): HEAD~1
     * printed "{#roles}" and made "roles-and-responsibilities-roles". */
    {"own id",
     "## Roles and duties {#roles}\n## Purpose { #purpose .note }\n",
     {"roles", "purpose"}},
    {"own id taken twice", "# A {#x}\n# B {#x}\n", {"x", "x-1"}},
    {"classes alone",
     "## Roles {.important}\n## Wide {class=\"wide\" .x}\n## Empty {}\n",
     {"roles", "wide", "empty-"}},
    {"not an id",
     "# Bad {#a b}\n# Braces {like this}\n# Two {#a #b}\n",
     {"bad-a-b", "braces-like-this", "two-a-b"}},
};

Test(markdown, heading_ids)
{
    for (size_t i = 0; i < COUNT(id_cases); i++) {
        diags *d = diag_new(NULL);
        md_options opt = {.file = "p.md", .first_line = 1};
        md_doc doc;
        render(&doc, id_cases[i].input, strlen(id_cases[i].input), &opt, d);
        size_t n = 0;
        while (n < COUNT(id_cases[i].ids) && id_cases[i].ids[n])
            n++;
        cr_expect_eq(doc.n_headings, n, "%s: %zu headings", id_cases[i].name, doc.n_headings);
        for (size_t k = 0; k < n && k < doc.n_headings; k++) {
            cr_expect_str_eq(doc.headings[k].id, id_cases[i].ids[k], "%s: heading %zu",
                             id_cases[i].name, k);
            char attr[128];
            snprintf(attr, sizeof attr, "<h%d id=\"%s\">", doc.headings[k].level,
                     id_cases[i].ids[k]);
            expect_contains(doc.html.data, attr, id_cases[i].name);
        }
        markdown_release(&doc);
        diag_free(d);
    }
}

/* MkDocs's and VitePress's ids (markdown.heading_ids), as their slugify
 * makes them: Python-Markdown's toc (NFKD, ASCII only, runs of blanks and
 * hyphens one hyphen, a second id _1) and VitePress's (punctuation runs
 * one hyphen, none at the ends, '_' before a leading digit, -1). */
Test(markdown, heading_ids_generators)
{
    static const struct {
        int rule;
        const char *input;
        const char *ids[6];
    } cases[] = {
        {MD_IDS_MKDOCS,
         "## Roles & Responsibilities\n## 1. Purpose\n## \xc3\x9c"
         "ber uns\n## Scope\n## Scope\n"
         "## A -- B_c\n",
         {"roles-responsibilities", "1-purpose", "uber-uns", "scope", "scope_1", "a-b_c"}},
        {MD_IDS_VITEPRESS,
         "## Roles & Responsibilities\n## 1. Purpose\n## \xc3\x9c"
         "ber uns\n## Scope\n## Scope\n"
         "## \xe2\x80\x9cQuoted\xe2\x80\x9d A_b?\n",
         {"roles-responsibilities", "_1-purpose", "uber-uns", "scope", "scope-1", "quoted-a-b"}},
        {MD_IDS_GITLAB,
         "## Roles & Responsibilities\n## 1. Purpose\n",
         {"roles-responsibilities", "1-purpose"}},
        {MD_IDS_GITHUB,
         "## Roles & Responsibilities\n## 1. Purpose\n",
         {"roles--responsibilities", "1-purpose"}},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        diags *d = diag_new(NULL);
        md_options opt = {.file = "p.md", .first_line = 1, .heading_ids = cases[i].rule};
        md_doc doc;
        render(&doc, cases[i].input, strlen(cases[i].input), &opt, d);
        size_t n = 0;
        while (n < COUNT(cases[i].ids) && cases[i].ids[n])
            n++;
        cr_expect_eq(doc.n_headings, n, "rule %d: %zu headings", cases[i].rule, doc.n_headings);
        for (size_t k = 0; k < n && k < doc.n_headings; k++)
            cr_expect_str_eq(doc.headings[k].id, cases[i].ids[k], "rule %d: heading %zu",
                             cases[i].rule, k);
        markdown_release(&doc);
        diag_free(d);
    }
}

/* Raw HTML in a heading is made safe as the page's is, not omitted:
 * GitBook writes each custom anchor as `## MFA <a href="#mfa" id="mfa"></a>`
 * (HEAD~1: "<!-- raw HTML omitted -->" in the heading, no id="mfa"). */
Test(markdown, heading_raw_html)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1};
    md_doc doc;
    const char *in = "## MFA <a href=\"#mfa\" id=\"mfa\"></a>\n\n## Bad <script>x()</script>\n";
    render(&doc, in, strlen(in), &opt, d);
    cr_assert_eq(doc.n_headings, 2);
    expect_contains(doc.html.data, "id=\"mfa\"", "anchor kept");
    cr_expect(strstr(doc.html.data, "omitted") == NULL, "%s", doc.html.data);
    cr_expect(strstr(doc.html.data, "<script") == NULL, "%s", doc.html.data);
    markdown_release(&doc);
    diag_free(d);
}

/* The attribute list is taken off the heading's text and title. */
Test(markdown, heading_own_id_text)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1};
    md_doc doc;
    const char *in = "## Ops *fast* {#ops}\n\n## {#only}\n";
    render(&doc, in, strlen(in), &opt, d);
    cr_assert_eq(doc.n_headings, 2);
    cr_expect_str_eq(doc.headings[0].text, "Ops fast");
    expect_contains(doc.html.data, "<h2 id=\"ops\">Ops <em>fast</em></h2>", "own id");
    cr_expect_str_eq(doc.headings[1].id, "only");
    cr_expect(strstr(doc.html.data, "{#") == NULL, "%s", doc.html.data);
    markdown_release(&doc);
    diag_free(d);
}

/* MDX (Docusaurus reads .md pages as MDX): a comment, on one line or
 * several, and an ES module line are dropped, not published; in code,
 * kept; later lines keep their numbers. HEAD~1 published the comments. */
Test(markdown, mdx_comments_and_imports)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1};
    md_doc doc;
    const char *in = "import Tabs from '@theme/Tabs';\n"
                     "\n"
                     "{/* SECRET one */}\n"
                     "\n"
                     "Text {/* SECRET two */} here.\n"
                     "\n"
                     "{/*\n  SECRET three\n*/}\n"
                     "\n"
                     "Keep `{/* in code */}` and\n"
                     "\n"
                     "```\n{/* fenced */}\nimport X from 'y';\n```\n"
                     "\n"
                     "export const A = 1;\n"
                     "\n"
                     "## Last\n"
                     "\n"
                     "{ /* SECRET spaced */ } and {/* a */}{/* SECRET twice */ }\n"
                     "\n"
                     "{/*\nSECRET closed apart\n*/\n}\n"
                     "\n"
                     "A lone ` backtick, then {/* SECRET after */}\n"
                     "\n"
                     "{/* SECRET fenced\n```\n*/}\n"
                     "\n"
                     "{/* not closed\n";
    render(&doc, in, strlen(in), &opt, d);
    cr_expect(strstr(doc.html.data, "SECRET") == NULL, "%s", doc.html.data);
    cr_expect(strstr(doc.html.data, "import Tabs") == NULL, "%s", doc.html.data);
    cr_expect(strstr(doc.html.data, "export const") == NULL, "%s", doc.html.data);
    expect_contains(doc.html.data, "<p>Text  here.</p>", "inline comment");
    expect_contains(doc.html.data, "<code>{/* in code */}</code>", "inline code");
    expect_contains(doc.html.data, "{/* fenced */}\nimport X from 'y';", "fenced code");
    expect_contains(doc.html.data, "{/* not closed", "an unclosed comment");
    cr_assert_eq(doc.n_headings, 1);
    cr_expect_eq(doc.headings[0].line, 20);
    markdown_release(&doc);
    diag_free(d);
}

/* An imported Markdown partial (Docusaurus's `import Scope from
 * './_scope.md'`) is not expanded: a warning says its text is not on the
 * page (HEAD~1 published an empty section without a word); an import of
 * a component is not. JavaScript on an export line is no Liquid (HEAD~1
 * warned about its `{{color: 'red'}}`). */
Test(markdown, mdx_partials)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 3};
    md_doc doc;
    const char *in = "import Tabs from '@theme/Tabs';\n"
                     "import Scope from './_scope.md';\n"
                     "import Other from \"../shared/other.mdx\"\n"
                     "export const Red = ({children}) => <span style={{color: 'red'}}>{children}"
                     "</span>;\n"
                     "\n"
                     "## Scope\n"
                     "\n"
                     "<Scope />\n";
    render(&doc, in, strlen(in), &opt, d);
    cr_assert_diag(d, "p.md:4:1: warning: MDX import of './_scope.md' is not expanded: the text "
                      "its component shows is not published here; copy it into the page "
                      "[liquid-tag]\n"
                      "p.md:5:1: warning: MDX import of '../shared/other.mdx' is not expanded: "
                      "the text its component shows is not published here; copy it into the "
                      "page [liquid-tag]\n");
    markdown_release(&doc);
    diag_free(d);
}

/* MkDocs's admonitions: `!!! type "Title"` (or ??? / ???+), the body four
 * spaces in, becomes the box a Docusaurus `:::type` makes; in a list item
 * too; in code it stays. HEAD~1 made a paragraph and a code block. A
 * Docusaurus box indented in its item is a box too (it was raw HTML). */
Test(markdown, mkdocs_admonitions)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1};
    md_doc doc;
    const char *in = "!!! warning \"Keys\"\n"
                     "    Never [commit](x.md) a key.\n"
                     "\n"
                     "    Second.\n"
                     "\n"
                     "After.\n"
                     "\n"
                     "??? info\n"
                     "    Folded.\n"
                     "\n"
                     "- Item\n"
                     "\n"
                     "    !!! tip\n"
                     "        Inside.\n"
                     "\n"
                     "    :::note\n"
                     "    Docusaurus inside.\n"
                     "    :::\n"
                     "\n"
                     "```\n!!! note\n    code\n```\n"
                     "\n"
                     "## End\n";
    render(&doc, in, strlen(in), &opt, d);
    expect_contains(doc.html.data,
                    "<div class=\"admonition admonition-warning\" role=\"note\"><p "
                    "class=\"admonition-title\">Keys</p>\n<p>Never <a href=\"x.md\">commit</a> a "
                    "key.</p>\n<p>Second.</p>\n</div>\n<p>After.</p>",
                    "a box with a title");
    expect_contains(doc.html.data, "<p class=\"admonition-title\">Info</p>\n<p>Folded.</p>",
                    "collapsible, the type's title");
    expect_contains(doc.html.data, "<p class=\"admonition-title\">Tip</p>\n<p>Inside.</p>",
                    "in a list item");
    expect_contains(doc.html.data,
                    "<p class=\"admonition-title\">Note</p>\n<p>Docusaurus inside.</p>",
                    "a Docusaurus box in a list item");
    expect_contains(doc.html.data, "<pre><code>!!! note\n    code\n</code></pre>", "code");
    cr_expect(strstr(doc.html.data, "raw HTML omitted") == NULL, "%s", doc.html.data);
    cr_assert_eq(doc.n_headings, 1);
    cr_expect_eq(doc.headings[0].line, 25);
    cr_assert_eq(doc.n_links, 1);
    cr_expect_eq(doc.links[0].line, 2);
    cr_expect_eq(doc.links[0].col, 11);
    markdown_release(&doc);
    diag_free(d);
}

/* MkDocs Material's content tabs (`=== "Title"` and its indented body):
 * the title in bold, the body as the page's text. HEAD~1 printed the title
 * line as text and every tab's body as a code block. A `===` setext line
 * and one in code stay as they are; links keep their lines. */
Test(markdown, mkdocs_tabs)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1};
    md_doc doc;
    const char *in = "=== \"Joiners\"\n"
                     "\n"
                     "    Accounts are [created](hr.md) by HR.\n"
                     "\n"
                     "    - one\n"
                     "\n"
                     "===+ \"Leavers & co\"\n"
                     "    Removed in a day.\n"
                     "\n"
                     "Title\n"
                     "===\n"
                     "\n"
                     "```\n=== \"not a tab\"\n    code\n```\n"
                     "\n"
                     "Some text\n"
                     "    === \"In the paragraph\"\n"
                     "        [ten](ten.md)\n";
    render(&doc, in, strlen(in), &opt, d);
    expect_contains(
        doc.html.data,
        "<p><strong>Joiners</strong></p>\n<p>Accounts are <a href=\"hr.md\">created</a> "
        "by HR.</p>\n<ul>\n<li>one</li>\n</ul>\n<p><strong>Leavers &amp; co</strong></p>\n"
        "<p>Removed in a day.</p>",
        "tabs");
    expect_contains(doc.html.data, ">Title</h1>", "a setext heading");
    cr_expect(strstr(doc.html.data, "tab -->") == NULL, "%s", doc.html.data);
    /* In a paragraph, a tab line is its text (QA: HEAD~1 nested a <p> in
     * the paragraph's). A link on an indented continuation line is at its
     * '[' (cmark counts from the end of the indentation; HEAD~1 said 10,
     * for any such line). */
    expect_contains(doc.html.data, "<p>Some text\n=== &quot;In the paragraph&quot;\n<a",
                    "a tab line in a paragraph");
    expect_contains(doc.html.data, "<pre><code>=== &quot;not a tab&quot;\n    code\n</code></pre>",
                    "code");
    cr_assert_eq(doc.n_links, 2);
    cr_expect_eq(doc.links[0].line, 3);
    cr_expect_eq(doc.links[0].col, 18);
    cr_expect_eq(doc.links[1].line, 20);
    cr_expect_eq(doc.links[1].col, 9);
    markdown_release(&doc);
    diag_free(d);
}

/* MkDocs's snippets (`--8<-- "file.md"`, or a block of names between two
 * `--8<--` lines) are dropped with a warning naming each: HEAD~1 printed
 * them as text and said nothing, and the file's text was silently
 * missing. In code, or with no blank after the marker, they stay. */
Test(markdown, mkdocs_snippets)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1};
    md_doc doc;
    const char *in = "Before.\n"
                     "\n"
                     "--8<-- \"contacts.md\"\n"
                     "\n"
                     "--8<--\n"
                     "a.md\n"
                     "b.md\n"
                     "--8<--\n"
                     "\n"
                     "--8<--x stays\n"
                     "\n"
                     "```\n--8<-- \"code.md\"\n```\n"
                     "After [x](x.md).\n";
    render(&doc, in, strlen(in), &opt, d);
    cr_expect(strstr(doc.html.data, "contacts") == NULL, "%s", doc.html.data);
    cr_expect(strstr(doc.html.data, "a.md") == NULL, "%s", doc.html.data);
    expect_contains(doc.html.data, "<p>--8&lt;--x stays</p>", "not a snippet");
    expect_contains(doc.html.data, "<pre><code>--8&lt;-- &quot;code.md&quot;\n</code></pre>",
                    "code");
    cr_expect_eq(diag_count(d, DIAG_WARNING), 3);
    char *out = unit_diag_text(d);
    expect_contains(out,
                    "p.md:3:1: warning: MkDocs snippet '--8<-- \"contacts.md\"' is not supported "
                    "and is dropped",
                    "the line's warning");
    expect_contains(out, "p.md:6:1: warning: MkDocs snippet 'a.md'", "a block's name");
    free(out);
    cr_assert_eq(doc.n_links, 1);
    cr_expect_eq(doc.links[0].line, 15);
    markdown_release(&doc);
    diag_free(d);
}

/* Docsify: `!> ` and `?> ` helper lines are quotes (HEAD~1 printed
 * "?&gt;" as text), not inside a paragraph or code; a heading's `:id=x`
 * is its id (HEAD~1: "reviews-idaccess-reviews", with ":id=" in its
 * text). Columns after the helper hold. */
Test(markdown, docsify)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1};
    md_doc doc;
    const char *in = "## Reviews :id=access-reviews\n"
                     "\n"
                     "!> **Never** share [keys](keys.md).\n"
                     "\n"
                     "?> A tip.\n"
                     "\n"
                     "Text\n"
                     "?> not a helper\n"
                     "\n"
                     "```\n!> code\n```\n"
                     "## Next\n"
                     "?> Right under a heading.\n";
    render(&doc, in, strlen(in), &opt, d);
    expect_contains(doc.html.data, "<h2 id=\"access-reviews\">Reviews</h2>", "the :id");
    expect_contains(doc.html.data,
                    "<h2 id=\"next\">Next</h2>\n<blockquote>\n<p>Right under a heading.</p>",
                    "a helper under a heading");
    expect_contains(
        doc.html.data,
        "<blockquote>\n<p><strong>Never</strong> share <a href=\"keys.md\">keys</a>.</p>\n"
        "</blockquote>\n<blockquote>\n<p>A tip.</p>\n</blockquote>",
        "helpers");
    expect_contains(doc.html.data, "<p>Text\n?&gt; not a helper</p>", "in a paragraph");
    expect_contains(doc.html.data, "<pre><code>!&gt; code\n</code></pre>", "code");
    cr_assert_eq(doc.n_headings, 2);
    cr_expect_str_eq(doc.headings[0].id, "access-reviews");
    cr_assert_eq(doc.n_links, 1);
    cr_expect_eq(doc.links[0].line, 3);
    cr_expect_eq(doc.links[0].col, 20);
    markdown_release(&doc);
    diag_free(d);
}

/* A link on a paragraph's continuation line is reported at its '[' (or
 * '!'), whatever cmark strips or expands before it there: a list item's
 * indentation, a quote's marker, a lazy line, a tab. HEAD~1 was one or two
 * columns off, or on the line above (QA). */
Test(markdown, link_columns_in_containers)
{
    static const struct {
        const char *text;
        int line, col;
    } cases[] = {
        {"- item\n      more [a](x.md)\n", 2, 12}, {"- item\n\n  para\n    [a](x.md)\n", 4, 5},
        {"> quote\n>     [a](x.md)\n", 2, 7},      {"> quote\n    [a](x.md)\n", 2, 5},
        {"1. one\n\t[a](x.md)\n", 2, 2},           {"Text\n        [a](x.md)\n", 2, 9},
        {"Text\n  ![i](i.png)\n", 2, 3},           {"- a\n\n  b\n  c\n  d [a](x.md)\n", 5, 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        diags *d = diag_new(NULL);
        md_options opt = {.file = "p.md", .first_line = 1};
        md_doc doc;
        render(&doc, cases[i].text, strlen(cases[i].text), &opt, d);
        cr_assert_eq(doc.n_links, 1, "%zu", i);
        cr_expect_eq(doc.links[0].line, cases[i].line, "%zu: line %d", i, doc.links[0].line);
        cr_expect_eq(doc.links[0].col, cases[i].col, "%zu: column %d", i, doc.links[0].col);
        markdown_release(&doc);
        diag_free(d);
    }
}

/* GitBook's hints ({% hint style="..." %} ... {% endhint %}) are the boxes
 * admonitions make, with no liquid-tag warning; a hint without a style is
 * a tag like any other, dropped with one. HEAD~1 dropped both tags of
 * each hint with a warning, its text kept as a plain paragraph. */
Test(markdown, gitbook_hints)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1};
    md_doc doc;
    const char *in = "{% hint style=\"warning\" %}\n"
                     "Shared accounts are **not** permitted: [see](x.md).\n"
                     "{% endhint %}\n"
                     "\n"
                     "{% hint style='success' %}\n"
                     "Done.\n"
                     "{% endhint %}\n"
                     "\n"
                     "{% hint %}\n"
                     "Plain.\n"
                     "\n"
                     "{% hint style=\"info\" %} one line {% endhint %}\n";
    render(&doc, in, strlen(in), &opt, d);
    expect_contains(doc.html.data,
                    "<div class=\"admonition admonition-warning\" role=\"note\"><p "
                    "class=\"admonition-title\">Warning</p>\n<p>Shared accounts are "
                    "<strong>not</strong> permitted: <a href=\"x.md\">see</a>.</p>\n</div>",
                    "a hint");
    expect_contains(doc.html.data,
                    "<p class=\"admonition-title\">Success</p>\n<p>Done.</p>\n</div>",
                    "single quotes");
    cr_expect(strstr(doc.html.data, "{%") == NULL, "%s", doc.html.data);
    /* Sharing its line with text, a hint is a tag like any other (HEAD~1
     * lost the text). */
    expect_contains(doc.html.data, "<p>one line</p>", "a hint on a line of text");
    cr_assert_diag(d, "p.md:9:1: warning: liquid tag '{% hint %}' is not supported and is "
                      "dropped [liquid-tag]\n"
                      "p.md:12:1: warning: liquid tag '{% hint style=\"info\" %}' is not "
                      "supported and is dropped [liquid-tag]\n"
                      "p.md:12:34: warning: liquid tag '{% endhint %}' is not supported and is "
                      "dropped [liquid-tag]\n");
    cr_assert_eq(doc.n_links, 1);
    cr_expect_eq(doc.links[0].line, 2);
    markdown_release(&doc);
    diag_free(d);
}

/* Hugo's admonition shortcodes: hugo-book's hint (with a type, or none:
 * a box named Hint) and Relearn's notice (a type and a quoted title, or
 * style= and title=) are boxes; sharing a line with text, a shortcode is
 * dropped as before, with its warning. HEAD~1 dropped them all and kept
 * their text as paragraphs. */
Test(markdown, hugo_boxes)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1};
    md_doc doc;
    const char *in = "{{< hint warning >}}\n"
                     "Privileged accounts need a **second** approver.\n"
                     "{{< /hint >}}\n"
                     "\n"
                     "{{< hint >}}\nPlain.\n{{< /hint >}}\n"
                     "\n"
                     "{{% notice tip \"Before you start\" %}}\nCall first.\n{{% /notice %}}\n"
                     "\n"
                     "{{% notice style=\"danger\" title=\"Stop\" %}}\nDo not.\n{{% /notice %}}\n"
                     "\n"
                     "Text {{< hint info >}} inline\n"
                     "\n"
                     "{{% notice style=warning %}}\nBare.\n{{% /notice %}}\n"
                     "\n"
                     "{{% notice title=\"Only a title\" %}}\nTitled.\n{{% /notice %}}\n";
    render(&doc, in, strlen(in), &opt, d);
    expect_contains(doc.html.data,
                    "<div class=\"admonition admonition-warning\" role=\"note\"><p "
                    "class=\"admonition-title\">Warning</p>\n<p>Privileged accounts need a "
                    "<strong>second</strong> approver.</p>\n</div>",
                    "a hint");
    expect_contains(doc.html.data, "<p class=\"admonition-title\">Hint</p>\n<p>Plain.</p>",
                    "a hint without a type");
    expect_contains(doc.html.data,
                    "admonition-tip\" role=\"note\"><p class=\"admonition-title\">Before you "
                    "start</p>\n<p>Call first.</p>",
                    "a notice with a title");
    expect_contains(doc.html.data,
                    "admonition-danger\" role=\"note\"><p class=\"admonition-title\">Stop</p>",
                    "style= and title=");
    expect_contains(doc.html.data, "<p>Text  inline</p>", "a shortcode in a line of text");
    expect_contains(doc.html.data,
                    "admonition-warning\" role=\"note\"><p class=\"admonition-title\">Warning"
                    "</p>\n<p>Bare.</p>",
                    "an unquoted style= (HEAD~1: a box of type 'style')");
    expect_contains(doc.html.data,
                    "admonition-notice\" role=\"note\"><p class=\"admonition-title\">Only a "
                    "title</p>\n<p>Titled.</p>",
                    "a title alone");
    cr_assert_diag(d, "p.md:17:6: warning: shortcode '{{< hint info >}}' (Hugo's) is not "
                      "supported and is dropped; the text between its tags is kept "
                      "[liquid-tag]\n");
    markdown_release(&doc);
    diag_free(d);
}

/* Docsy's alert (title= and color=, either or neither) and pageinfo are
 * boxes; a colour that names no kind of box, and pageinfo, are titled
 * Note. HEAD~1 dropped each with two liquid-tag warnings and lost the
 * title. */
Test(markdown, docsy_boxes)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1};
    md_doc doc;
    const char *in = "{{< alert title=\"Exceptions\" color=\"warning\" >}}\n"
                     "Exceptions need the CISO.\n"
                     "{{< /alert >}}\n"
                     "\n"
                     "{{% pageinfo %}}\nThese policies apply to everyone.\n{{% /pageinfo %}}\n"
                     "\n"
                     "{{< alert color=\"primary\" >}}\nA plain one.\n{{< /alert >}}\n";
    render(&doc, in, strlen(in), &opt, d);
    expect_contains(doc.html.data,
                    "<div class=\"admonition admonition-warning\" role=\"note\"><p "
                    "class=\"admonition-title\">Exceptions</p>\n<p>Exceptions need the "
                    "CISO.</p>\n</div>",
                    "an alert with a title and a colour");
    expect_contains(doc.html.data,
                    "admonition-pageinfo\" role=\"note\"><p class=\"admonition-title\">Note</p>"
                    "\n<p>These policies apply to everyone.</p>",
                    "pageinfo");
    expect_contains(doc.html.data,
                    "admonition-primary\" role=\"note\"><p class=\"admonition-title\">Note</p>"
                    "\n<p>A plain one.</p>",
                    "a colour alone");
    cr_assert_diag(d, "");
    markdown_release(&doc);
    diag_free(d);
}

/* GitBook's other blocks: an embed is a link to its address, a file a
 * link to it (its name shown, checked as a link), a tab's title bold; the
 * wrappers (content-ref around its link, code, tabs, the closing tags)
 * go without a warning. HEAD~1 dropped every one with a warning, and the
 * embed's address and the file's link with it. */
Test(markdown, gitbook_blocks)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1};
    md_doc doc;
    const char *in = "Form: {% file src=\"../.gitbook/assets/Incident Form.pdf\" %}\n"
                     "\n"
                     "{% embed url=\"https://example.com/v\" %}\n"
                     "A video\n"
                     "{% endembed %}\n"
                     "\n"
                     "{% content-ref url=\"a.md\" %}\n"
                     "[a.md](a.md)\n"
                     "{% endcontent-ref %}\n"
                     "\n"
                     "{% tabs %}\n"
                     "{% tab title=\"Corporate\" %}\n"
                     "Twice a year.\n"
                     "{% endtab %}\n"
                     "{% endtabs %}\n";
    render(&doc, in, strlen(in), &opt, d);
    expect_contains(doc.html.data,
                    "Form: <a href=\"../.gitbook/assets/Incident%20Form.pdf\">Incident "
                    "Form.pdf</a>",
                    "a file");
    expect_contains(doc.html.data,
                    "<a href=\"https://example.com/v\">https://example.com/v</a>\nA video",
                    "an embed");
    expect_contains(doc.html.data, "<strong>Corporate</strong>\nTwice a year.", "a tab");
    cr_expect(strstr(doc.html.data, "{%") == NULL, "%s", doc.html.data);
    cr_assert_diag(d, "");
    cr_assert_eq(doc.n_links, 3);
    cr_expect_str_eq(doc.links[0].url, "../.gitbook/assets/Incident Form.pdf");
    cr_expect_eq(doc.links[0].line, 1);
    cr_expect_eq(doc.links[2].line, 8);
    markdown_release(&doc);
    diag_free(d);
}

/* A line asking for a table of contents (VitePress's [[toc]], GitLab's
 * [[_TOC_]], Python-Markdown's [TOC]), which the layout shows: dropped
 * (HEAD~1 printed it); in code, or in a line of text, kept. */
Test(markdown, toc_markers)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1};
    md_doc doc;
    const char *in = "[[toc]]\n\n[[_TOC_]]\n\n  [TOC]  \n\n## One\n\n```\n[[toc]]\n```\n\n"
                     "See [TOC] here.\n";
    render(&doc, in, strlen(in), &opt, d);
    expect_contains(doc.html.data,
                    "<h2 id=\"one\">One</h2>\n<pre><code>[[toc]]\n</code></pre>\n"
                    "<p>See [TOC] here.</p>",
                    "kept");
    cr_expect(!strncmp(doc.html.data, "<h2", 3), "%s", doc.html.data);
    cr_assert_eq(doc.n_headings, 1);
    cr_expect_eq(doc.headings[0].line, 7);
    markdown_release(&doc);
    diag_free(d);
}

/* An Obsidian vault's comments (%% ... %%), on a line or across lines, are
 * not published, as HTML comments are not, nor in a box's title; in code
 * and HTML comments they stay, a %% that none closes is text, and outside
 * a vault (wiki_links: obsidian) all is text. Lines keep their numbers.
 * HEAD~1 published them. */
Test(markdown, obsidian_comments)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1, .wiki_links = MD_WIKI_OBSIDIAN};
    md_doc doc;
    const char *in = "Shown %%hidden note%% too.\n"
                     "\n"
                     "%%\n"
                     "The CFO still has admin on prod.\n"
                     "%%\n"
                     "\n"
                     "`a %%b%% c` and\n"
                     "\n"
                     "```\n%%code%%\n```\n"
                     "\n"
                     "## [End](x.md)\n"
                     "\n"
                     "<!-- coverage is 100%% -->\n"
                     "\n"
                     "Kept <!-- 50%% --> text.\n"
                     "\n"
                     ":::note Keys %% secret %%\n"
                     "Body.\n"
                     ":::\n"
                     "\n"
                     "A lone %% stays.\n";
    render(&doc, in, strlen(in), &opt, d);
    expect_contains(doc.html.data, "<p>Shown  too.</p>", "inline");
    cr_expect(strstr(doc.html.data, "hidden") == NULL, "%s", doc.html.data);
    cr_expect(strstr(doc.html.data, "CFO") == NULL, "%s", doc.html.data);
    expect_contains(doc.html.data, "<code>a %%b%% c</code>", "a code span");
    expect_contains(doc.html.data, "<pre><code>%%code%%\n</code></pre>", "a code block");
    expect_contains(doc.html.data, "<p>A lone %% stays.</p>", "unclosed");
    /* A %% in an HTML comment pairs with none (it ended the comment early,
     * and the page with it). */
    expect_contains(doc.html.data, "<p>Kept  text.</p>", "an inline HTML comment");
    expect_contains(doc.html.data, "<p class=\"admonition-title\">Keys </p>\n<p>Body.</p>",
                    "a box's title");
    cr_expect(strstr(doc.html.data, "secret") == NULL, "%s", doc.html.data);
    cr_assert_eq(doc.n_headings, 1);
    cr_expect_eq(doc.headings[0].line, 13);
    cr_assert_eq(doc.n_links, 1);
    cr_expect_eq(doc.links[0].line, 13);
    markdown_release(&doc);
    diag_free(d);
    /* Outside an Obsidian vault, %% is text (100%% done and 50%% left). */
    char *off = html_of("100%% done and 50%% left.\n", 0);
    expect_contains(off, "100%% done and 50%% left.", "not a vault");
    free(off);
}

/* VitePress's containers: `::: tip Title` (blanks between the colons and
 * the type) is the box `:::tip Title` makes; `:::` then other text, not. */
Test(markdown, vitepress_containers)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1};
    md_doc doc;
    const char *in = "::: warning Keys\n"
                     "Never commit one.\n"
                     ":::\n"
                     "\n"
                     "::: details\n"
                     "Folded.\n"
                     ":::\n"
                     "\n"
                     "::: 12 not a box\n";
    render(&doc, in, strlen(in), &opt, d);
    expect_contains(doc.html.data,
                    "<div class=\"admonition admonition-warning\" role=\"note\"><p "
                    "class=\"admonition-title\">Keys</p>\n<p>Never commit one.</p>\n</div>",
                    "a titled container");
    expect_contains(doc.html.data,
                    "<p class=\"admonition-title\">Details</p>\n<p>Folded.</p>\n</div>",
                    "the type's title");
    expect_contains(doc.html.data, "<p>::: 12 not a box</p>", "not a container");
    markdown_release(&doc);
    diag_free(d);
}

/* GitHub's alerts and Obsidian's callouts: a quote whose first line is
 * `[!TYPE]` (and, Obsidian's, a title of plain text) is the box an
 * admonition makes; its link still checked at its line. Anything else on
 * the marker's line, a marker alone, or `[!x]` later in a quote: a quote. */
Test(markdown, github_alerts)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1};
    md_doc doc;
    const char *in = "> [!NOTE]\n"
                     "> Read [the policy](x.md).\n"
                     ">\n"
                     "> Second.\n"
                     "\n"
                     "> [!warning] Keys *stay* out\n"
                     "> Body.\n"
                     "\n"
                     "> [!faq]- Folded title\n"
                     "> Answer.\n"
                     "\n"
                     "> [!TIP]\n"
                     "\n"
                     "> [!NOTE] [link](y.md)\n"
                     "> Stays a quote.\n"
                     "\n"
                     "> Plain [!NOTE]\n"
                     "\n"
                     "> [!IMPORTANT]\n"
                     ">\n"
                     "> After a blank line.\n";
    render(&doc, in, strlen(in), &opt, d);
    expect_contains(doc.html.data,
                    "<div class=\"admonition admonition-note\" role=\"note\"><p "
                    "class=\"admonition-title\">Note</p>\n<p>Read <a href=\"x.md\">the "
                    "policy</a>.</p>\n<p>Second.</p>\n</div>",
                    "a GitHub alert");
    expect_contains(doc.html.data, "<blockquote>\n<p>[!warning] Keys <em>stay</em> out",
                    "emphasis on the marker's line: a quote");
    expect_contains(doc.html.data,
                    "<div class=\"admonition admonition-faq\" role=\"note\"><p "
                    "class=\"admonition-title\">Folded title</p>\n<p>Answer.</p>\n</div>",
                    "an Obsidian callout with its title");
    expect_contains(doc.html.data, "<blockquote>\n<p>[!TIP]</p>\n</blockquote>", "a marker alone");
    expect_contains(doc.html.data, "<blockquote>\n<p>[!NOTE] <a href=\"y.md\">link</a>",
                    "a link on the marker's line");
    expect_contains(doc.html.data, "<blockquote>\n<p>Plain [!NOTE]</p>", "not first");
    expect_contains(doc.html.data,
                    "<p class=\"admonition-title\">Important</p>\n<p>After a blank line.</p>",
                    "the body after a blank line");
    cr_assert_eq(doc.n_links, 2);
    cr_expect_eq(doc.links[0].line, 2);
    cr_expect_eq(doc.links[0].col, 8);
    markdown_release(&doc);
    diag_free(d);
}

Test(markdown, headings_recorded_with_file_lines)
{
    const char *text = "# Title\n"             /* line 10 */
                       "\n"                    /* 11 */
                       "Intro text.\n"         /* 12 */
                       "\n"                    /* 13 */
                       "## Sub *emphasis*\n"   /* 14 */
                       "\n"                    /* 15 */
                       "Setext two\n"          /* 16 */
                       "----------\n"          /* 17 */
                       "\n"                    /* 18 */
                       "> ### Quoted `code`\n" /* 19 */
                       "\n"                    /* 20 */
                       "    # not a heading\n" /* 21 */
                       "\n"                    /* 22 */
                       "###### Six\n";         /* 23 */
    static const struct {
        int level;
        const char *text, *id;
        int line;
    } want[] = {
        {1, "Title", "title", 10},
        {2, "Sub emphasis", "sub-emphasis", 14},
        {2, "Setext two", "setext-two", 16},
        {3, "Quoted code", "quoted-code", 19},
        {6, "Six", "six", 23},
    };
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 10};
    md_doc doc;
    render(&doc, text, strlen(text), &opt, d);
    cr_assert_diag(d, "");
    cr_assert_eq(doc.n_headings, COUNT(want));
    for (size_t i = 0; i < COUNT(want); i++) {
        cr_expect_eq(doc.headings[i].level, want[i].level, "heading %zu level", i);
        cr_expect_str_eq(doc.headings[i].text, want[i].text, "heading %zu text", i);
        cr_expect_str_eq(doc.headings[i].id, want[i].id, "heading %zu id", i);
        cr_expect_eq(doc.headings[i].line, want[i].line, "heading %zu line %d", i,
                     doc.headings[i].line);
    }
    expect_contains(doc.html.data, "<h1 id=\"title\">Title</h1>\n", "h1");
    expect_contains(doc.html.data, "<h2 id=\"sub-emphasis\">Sub <em>emphasis</em></h2>\n",
                    "inline markup kept in heading");
    expect_contains(doc.html.data, "<blockquote>\n<h3 id=\"quoted-code\">", "heading in quote");
    expect_contains(doc.html.data, "<pre><code># not a heading", "indented code");
    markdown_release(&doc);
    diag_free(d);
}

Test(markdown, heading_with_inline_html_when_unsafe)
{
    static const char *const inputs[] = {"# Policy <b>draft</b>\n", "Policy <b>draft</b>\n===\n"};
    for (size_t i = 0; i < COUNT(inputs); i++) {
        diags *d = diag_new(NULL);
        md_options opt = {.file = "p.md", .first_line = 1, .unsafe_html = 1};
        md_doc doc;
        render(&doc, inputs[i], strlen(inputs[i]), &opt, d);
        cr_assert_eq(doc.n_headings, 1);
        cr_expect_str_eq(doc.headings[0].id, "policy-draft");
        cr_expect_str_eq(doc.headings[0].text, "Policy draft");
        expect_contains(doc.html.data, "<h1 id=\"policy-draft\">Policy <b>draft</b></h1>",
                        inputs[i]);
        markdown_release(&doc);
        diag_free(d);
    }
}

/* ---- links ---- */

/* id and name attributes of raw HTML tags, inline or block, are recorded
 * (as fragment targets) whether raw HTML is kept or omitted. */
Test(markdown, raw_html_anchors)
{
    const char *text = "<a name=\"top\"></a>\n"
                       "\n"
                       "Text <a  href=\"x\" name = 'second' >b</a> <span ID=third>c</span>\n"
                       "<b title='it\"s' id=fourth data-id=\"no\" id-x=no>d</b>\n"
                       "</a name=\"closing\"> <a id=\"\"> <a name=\"open\n"
                       "\n"
                       "<div\nid=\"fifth\"\n>\n\ne\n</div>\n";
    static const char *const want[] = {"top", "second", "third", "fourth", "fifth"};
    for (int unsafe = 0; unsafe < 2; unsafe++) {
        md_doc doc;
        diags *d = diag_new(NULL);
        md_options opt = {.file = "t.md", .first_line = 1, .unsafe_html = unsafe};
        render(&doc, text, strlen(text), &opt, d);
        cr_assert_eq(doc.n_anchors, COUNT(want), "unsafe_html %d", unsafe);
        for (size_t i = 0; i < COUNT(want); i++)
            cr_expect_str_eq(doc.anchors[i], want[i]);
        markdown_release(&doc);
        diag_free(d);
    }
}

/* Lines that start like a heading without the space after the hashes are
 * warned about at their '#', in paragraphs only; real headings, 7 hashes,
 * a lone '#', code and quotes are left alone, and so is a line of tags,
 * whose advice (write '# policy #iso27001') was wrong. */
Test(markdown, headings_without_space)
{
    const char *text = "#Foreword\n"          /* 10 */
                       "\n"                   /* 11 */
                       "   ###Deep one\n"     /* 12 */
                       "text then\n"          /* 13 */
                       "##Second line\n"      /* 14: any line of a paragraph */
                       "\n"                   /* 15 */
                       "# Real\n"             /* 16 */
                       "#######seven\n"       /* 17 */
                       "#\n"                  /* 18 */
                       "```\n#code\n```\n"    /* 19-21 */
                       "> #quoted\n"          /* 22 */
                       "- #listed\n"          /* 23 */
                       "\n"                   /* 24 */
                       "#policy #iso27001\n"; /* 25: tags */
    md_doc doc;
    diags *d = diag_new(NULL);
    md_options opt = {.file = "t.md", .first_line = 10};
    render(&doc, text, strlen(text), &opt, d);
    cr_assert_diag(d, "t.md:10:1: warning: '#Foreword' is not a heading: Markdown needs a space "
                      "after '#' (write '# Foreword') [heading-without-space]\n"
                      "t.md:12:4: warning: '###Deep one' is not a heading: Markdown needs a space "
                      "after '###' (write '### Deep one') [heading-without-space]\n"
                      "t.md:14:1: warning: '##Second line' is not a heading: Markdown needs a "
                      "space after '##' (write '## Second line') [heading-without-space]\n");
    markdown_release(&doc);
    diag_free(d);
}

/* With lax_headings the same lines are headings, at their lines, and the
 * warning says so; links on them keep their source columns. Seven hashes,
 * a '#' inside a line, code, quotes and lists stay as they were. */
Test(markdown, lax_headings)
{
    const char *text = "#Foreword [a](x.md)\n"          /* 10 */
                       "text with #hashtag\n"           /* 11 */
                       "##Second line\n"                /* 12: any line of a paragraph */
                       "\n"                             /* 13 */
                       "#######seven\n"                 /* 14 */
                       "\n"                             /* 15 */
                       "```\n#code\n```\n"              /* 16-18 */
                       "\n"                             /* 19 */
                       "    #indented\n"                /* 20 */
                       "\n"                             /* 21 */
                       "> #quoted\n"                    /* 22 */
                       "- #listed\n"                    /* 23 */
                       "\n"                             /* 24 */
                       "###Trois \xC3\xAF [b](y.md)\n"; /* 25: columns in characters */
    static const struct {
        int level;
        const char *id;
        int line;
    } want[] = {{1, "foreword-a", 10}, {2, "second-line", 12}, {3, "trois-\xC3\xAF-b", 25}};
    md_doc doc;
    diags *d = diag_new(NULL);
    md_options opt = {.file = "t.md", .first_line = 10, .lax_headings = 1};
    render(&doc, text, strlen(text), &opt, d);
    cr_assert_diag(d, "t.md:10:1: warning: '#Foreword [a](x.md)' is rendered as a heading "
                      "(markdown.lax_headings), but Markdown needs a space after '#' (write "
                      "'# Foreword [a](x.md)') [heading-without-space]\n"
                      "t.md:12:1: warning: '##Second line' is rendered as a heading "
                      "(markdown.lax_headings), but Markdown needs a space after '##' (write "
                      "'## Second line') [heading-without-space]\n"
                      "t.md:25:1: warning: '###Trois \xC3\xAF [b](y.md)' is rendered as a heading "
                      "(markdown.lax_headings), but Markdown needs a space after '###' (write "
                      "'### Trois \xC3\xAF [b](y.md)') [heading-without-space]\n");
    cr_assert_str_eq(doc.html.data, "<h1 id=\"foreword-a\">Foreword <a href=\"x.md\">a</a></h1>\n"
                                    "<p>text with #hashtag</p>\n"
                                    "<h2 id=\"second-line\">Second line</h2>\n"
                                    "<p>#######seven</p>\n"
                                    "<pre><code>#code\n</code></pre>\n"
                                    "<pre><code>#indented\n</code></pre>\n"
                                    "<blockquote>\n<p>#quoted</p>\n</blockquote>\n"
                                    "<ul>\n<li>#listed</li>\n</ul>\n"
                                    "<h3 id=\"trois-\xC3\xAF-b\">Trois \xC3\xAF <a "
                                    "href=\"y.md\">b</a></h3>\n");
    cr_assert_eq(doc.n_headings, COUNT(want));
    for (size_t i = 0; i < COUNT(want); i++) {
        cr_expect_eq(doc.headings[i].level, want[i].level, "heading %zu level", i);
        cr_expect_str_eq(doc.headings[i].id, want[i].id, "heading %zu id", i);
        cr_expect_eq(doc.headings[i].line, want[i].line, "heading %zu line", i);
    }
    cr_assert_eq(doc.n_links, 2);
    cr_expect_eq(doc.links[0].line, 10);
    cr_expect_eq(doc.links[0].col, 11);
    cr_expect_eq(doc.links[1].line, 25);
    cr_expect_eq(doc.links[1].col, 12);
    markdown_release(&doc);
    diag_free(d);
}

/* ---- Liquid ---- */

/* Renders text (lax_headings off, body on line 1); returns its HTML
 * (caller frees) and its diagnostics in *diag_text (caller frees). */
static char *liquid_html(const char *text, char **diag_text)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "l.md", .first_line = 1};
    md_doc doc;
    render(&doc, text, strlen(text), &opt, d);
    *diag_text = unit_diag_text(d);
    char *html = buf_detach(&doc.html);
    markdown_release(&doc);
    diag_free(d);
    return html;
}

/* Tags and variables outside code are dropped with a warning at their
 * line and column (in characters); their newlines stay, so later lines
 * keep their numbers. Code spans, fences and indented code keep theirs; a
 * tag that does not end in its paragraph is text. */
/* A link to a page by its file through Jekyll's {% link %} or Hugo's
 * ref and relref: the path is the link, checked and resolved as a link to
 * the file is, with no liquid-tag warning. HEAD~1 dropped the tag, leaving
 * href="" and no finding. Other tags in a link are still dropped. */
Test(markdown, liquid_page_links)
{
    const char *text = "[a]({% link _policies/x-y.md-%}) [b]({{< ref \"y.md\" >}})\n"
                       "[c]({{% relref \"/p/z.md#k\" %}}) [d]({%- link 'q r.md' -%})\n"
                       "[e]({% link a.md b %}) `{% link code.md %}`\n";
    diags *d = diag_new(NULL);
    md_options opt = {.file = "l.md", .first_line = 1};
    md_doc doc;
    render(&doc, text, strlen(text), &opt, d);
    cr_assert_diag(d, "l.md:3:5: warning: liquid tag '{% link a.md b %}' is not supported and "
                      "is dropped [liquid-tag]\n");
    cr_assert_eq(doc.n_links, 5);
    cr_expect_str_eq(doc.links[0].url, "/_policies/x-y.md");
    cr_expect_str_eq(doc.links[1].url, "y.md");
    cr_expect_str_eq(doc.links[2].url, "/p/z.md#k");
    cr_expect_str_eq(doc.links[3].url, "/q%20r.md");
    cr_expect_str_eq(doc.links[4].url, "");
    cr_expect_eq(doc.links[2].line, 2);
    cr_expect_eq(doc.links[2].col, 1);
    expect_contains(doc.html.data, "<code>{% link code.md %}</code>", "inline code");
    markdown_release(&doc);
    diag_free(d);
}

/* Hugo's figure shortcode is the image it shows (alt, else caption or
 * title, as its text; the caption after it), checked as an image, with no
 * warning. HEAD~1 dropped it with "the text between its tags is kept":
 * the image was lost. Without a src it is dropped as any shortcode. */
Test(markdown, hugo_figure)
{
    const char *text =
        "{{< figure src=\"/img/org chart.png\" alt=\"Org\" caption=\"Who *reports*\" >}}\n"
        "\n"
        "{{% figure src='flow.svg' title=\"Flow\" %}}\n"
        "\n"
        "{{< figure caption=\"none\" >}}\n";
    diags *d = diag_new(NULL);
    md_options opt = {.file = "f.md", .first_line = 1};
    md_doc doc;
    render(&doc, text, strlen(text), &opt, d);
    expect_contains(doc.html.data,
                    "<p><img src=\"/img/org%20chart.png\" alt=\"Org\" /> <em>Who "
                    "*reports*</em></p>",
                    "figure");
    expect_contains(doc.html.data, "<p><img src=\"flow.svg\" alt=\"Flow\" /></p>", "title as alt");
    cr_assert_diag(d, "f.md:5:1: warning: shortcode '{{< figure caption=\"none\" >}}' (Hugo's) is "
                      "not supported and is dropped; the text between its tags is kept "
                      "[liquid-tag]\n");
    cr_assert_eq(doc.n_links, 2);
    cr_expect_str_eq(doc.links[0].url, "/img/org chart.png");
    cr_expect(doc.links[0].is_image);
    cr_expect_eq(doc.links[1].line, 3);
    markdown_release(&doc);
    diag_free(d);
}

Test(markdown, liquid_dropped)
{
    const char *text = "H\xC3\xA9llo {% include note.html %} and {{ site.title }}.\n" /* 1 */
                       "`{{ kept }}` and ``{% kept %}``\n"                            /* 2 */
                       "{% include a.html\n"                                          /* 3 */
                       "   x=1 %}[l](a.md)\n"                                         /* 4 */
                       "\n"                                                           /* 5 */
                       "```\n{% in fence %}\n```\n"                                   /* 6-8 */
                       "\n"                                                           /* 9 */
                       "    {{ indented }}\n"                                         /* 10 */
                       "\n"                                                           /* 11 */
                       "{% unterminated\n"                                            /* 12 */
                       "\n"                                                           /* 13 */
                       "%} {{ no end\n";                                              /* 14 */
    diags *d = diag_new(NULL);
    md_options opt = {.file = "l.md", .first_line = 1};
    md_doc doc;
    render(&doc, text, strlen(text), &opt, d);
    cr_assert_diag(d, "l.md:1:7: warning: liquid tag '{% include note.html %}' is not supported "
                      "and is dropped [liquid-tag]\n"
                      "l.md:1:35: warning: liquid tag '{{ site.title }}' is not supported and is "
                      "dropped [liquid-tag]\n"
                      "l.md:3:1: warning: liquid tag '{% include a.html x=1 %}' is not supported "
                      "and is dropped [liquid-tag]\n");
    cr_assert_str_eq(doc.html.data, "<p>H\xC3\xA9llo  and .\n"
                                    "<code>{{ kept }}</code> and <code>{% kept %}</code></p>\n"
                                    "<p><a href=\"a.md\">l</a></p>\n"
                                    "<pre><code>{% in fence %}\n</code></pre>\n"
                                    "<pre><code>{{ indented }}\n</code></pre>\n"
                                    "<p>{% unterminated</p>\n"
                                    "<p>%} {{ no end</p>\n");
    cr_assert_eq(doc.n_links, 1);
    cr_expect_eq(doc.links[0].line, 4);
    cr_expect_eq(doc.links[0].col, 10);
    markdown_release(&doc);
    diag_free(d);
}

/* {% highlight lang %} ... {% endhighlight %} is a fenced code block of
 * that language (options such as linenos ignored), its fence longer than
 * any backticks inside; a tag that shares its line with text is put on a
 * line of its own, and positions after it still point at the source. Its
 * lines are code, not spaceless headings; raw works inside it. */
Test(markdown, liquid_highlight_as_fence)
{
    const char *text = "{% highlight ruby linenos %}\n"                                /* 1 */
                       "puts \"#{x}\" # ```\n"                                         /* 2 */
                       "#not-a-heading\n"                                              /* 3 */
                       "{% endhighlight %}\n"                                          /* 4 */
                       "See {% highlight sh %}make{% endhighlight %} then [a](b.md)\n" /* 5 */
                       "\n"                                                            /* 6 */
                       "{% highlight liquid %}{% raw %}{{ page.title }}{% endraw %}\n" /* 7 */
                       "{% endhighlight %}\n"                                          /* 8 */
                       "- item\n"                                                      /* 9 */
                       "  {% highlight c %}\n"                                         /* 10 */
                       "  int x;\n"                                                    /* 11 */
                       "  {% endhighlight %}\n"                                        /* 12 */
                       "# After [c](d.md)\n";                                          /* 13 */
    diags *d = diag_new(NULL);
    md_options opt = {.file = "l.md", .first_line = 1};
    md_doc doc;
    render(&doc, text, strlen(text), &opt, d);
    cr_assert_diag(d, "");
    cr_assert_str_eq(doc.html.data, "<pre lang=\"ruby\"><code>puts &quot;#{x}&quot; # ```\n"
                                    "#not-a-heading\n</code></pre>\n"
                                    "<p>See</p>\n"
                                    "<pre lang=\"sh\"><code>make\n</code></pre>\n"
                                    "<p>then <a href=\"b.md\">a</a></p>\n"
                                    "<pre lang=\"liquid\"><code>{{ page.title }}\n</code></pre>\n"
                                    "<ul>\n<li>item\n"
                                    "<pre lang=\"c\"><code>int x;\n</code></pre>\n"
                                    "</li>\n</ul>\n"
                                    "<h1 id=\"after-c\">After <a href=\"d.md\">c</a></h1>\n");
    cr_assert_eq(doc.n_links, 2);
    cr_expect_eq(doc.links[0].line, 5);
    cr_expect_eq(doc.links[0].col, 51);
    cr_expect_eq(doc.links[1].line, 13);
    cr_expect_eq(doc.links[1].col, 9);
    cr_assert_eq(doc.n_headings, 1);
    cr_expect_eq(doc.headings[0].line, 13);
    markdown_release(&doc);
    diag_free(d);
}

/* The text of {% raw %} stays as written, without a warning; a comment
 * goes whole (Jekyll prints none of it), spaceless headings in it too. A
 * block tag never closed is dropped alone, with a warning naming its end. */
Test(markdown, liquid_raw_and_comment)
{
    const char *text = "{% raw %}{{ site.title }} and {% include x %}{% endraw %} stay.\n" /* 1 */
                       "\n"                                                                /* 2 */
                       "{% comment %}\n"                                                   /* 3 */
                       "#Draft note {{ x }}\n"                                             /* 4 */
                       "\n"                                                                /* 5 */
                       "More notes.\n"                                                     /* 6 */
                       "{% endcomment %}\n"                                                /* 7 */
                       "{% comment %} {% highlight c %} {% endraw %}\n"                    /* 8 */
                       "[a](b.md) {%- raw -%} never closed\n";                             /* 9 */
    char *diag_text, *html = liquid_html(text, &diag_text);
    cr_expect_str_eq(diag_text,
                     "l.md:8:1: warning: liquid tag '{% comment %}' has no '{% endcomment %}' and "
                     "is dropped [liquid-tag]\n"
                     "l.md:8:15: warning: liquid tag '{% highlight c %}' has no '{% endhighlight "
                     "%}' and is dropped [liquid-tag]\n"
                     "l.md:8:33: warning: liquid tag '{% endraw %}' is not supported and is "
                     "dropped [liquid-tag]\n"
                     "l.md:9:11: warning: liquid tag '{%- raw -%}' has no '{% endraw %}' and is "
                     "dropped [liquid-tag]\n");
    cr_expect_str_eq(html, "<p>{{ site.title }} and {% include x %} stay.</p>\n"
                           "<p><a href=\"b.md\">a</a>  never closed</p>\n");
    free(diag_text);
    free(html);
}

/* A fence line inside a highlight block or a comment opens no code block:
 * the Liquid and the fences after it are read as they are. */
Test(markdown, liquid_blocks_hide_their_fences)
{
    const char *text = "{% highlight md %}\n"    /* 1 */
                       "```\n"                   /* 2 */
                       "{% endhighlight %}\n"    /* 3 */
                       "text {{ x }}\n"          /* 4 */
                       "```\n"                   /* 5 */
                       "{{ in a real fence }}\n" /* 6 */
                       "```\n"                   /* 7 */
                       "{% comment %}\n"         /* 8 */
                       "```\n"                   /* 9 */
                       "{% endcomment %}\n"      /* 10 */
                       "after {{ y }}\n";        /* 11 */
    char *diag_text, *html = liquid_html(text, &diag_text);
    cr_expect_str_eq(diag_text, "l.md:4:6: warning: liquid tag '{{ x }}' is not supported and is "
                                "dropped [liquid-tag]\n"
                                "l.md:11:7: warning: liquid tag '{{ y }}' is not supported and is "
                                "dropped [liquid-tag]\n");
    cr_expect_str_eq(html, "<pre lang=\"md\"><code>```\n</code></pre>\n"
                           "<p>text</p>\n"
                           "<pre><code>{{ in a real fence }}\n</code></pre>\n"
                           "<p>after</p>\n");
    free(diag_text);
    free(html);
}

/* A lone '\r' ends a line, as cmark-gfm reads it: positions after a
 * rewritten line are mapped back through such lines too. */
Test(markdown, liquid_positions_across_lone_cr)
{
    const char *text = "{% highlight c %}x{% endhighlight %}\r" /* 1 */
                       "# Title [a](b.md)\r"                    /* 2 */
                       "{{ v }} [c](d.md)\n";                   /* 3 */
    diags *d = diag_new(NULL);
    md_options opt = {.file = "l.md", .first_line = 1};
    md_doc doc;
    render(&doc, text, strlen(text), &opt, d);
    cr_assert_diag(d, "l.md:3:1: warning: liquid tag '{{ v }}' is not supported and is dropped "
                      "[liquid-tag]\n");
    cr_assert_eq(doc.n_headings, 1);
    cr_expect_eq(doc.headings[0].line, 2);
    cr_assert_eq(doc.n_links, 2);
    cr_expect_eq(doc.links[0].line, 2);
    cr_expect_eq(doc.links[0].col, 9);
    cr_expect_eq(doc.links[1].line, 3);
    cr_expect_eq(doc.links[1].col, 9);
    markdown_release(&doc);
    diag_free(d);
}

/* The source rewrite and its map: offsets of the rewritten text lead back
 * to the bytes they came from; an offset inside a replacement leads into
 * what it replaced; an edit overlapping an earlier one is dropped. */
Test(markdown, rewrite_maps_back_to_source)
{
    const char *src = "ab{{x}}cd\nef";
    md_rewrite rw;
    md_rewrite_init(&rw);
    md_rewrite_drop(&rw, src, 2, 7);
    md_rewrite_replace(&rw, 10, 10, " ", 1);
    md_rewrite_replace(&rw, 4, 4, "!", 1); /* inside the drop: ignored */
    md_rewrite_replace(&rw, 0, 0, "#", 1);
    md_rewrite_apply(&rw, src, strlen(src));
    cr_assert_str_eq(rw.text.data, "#abcd\n ef");
    static const size_t want[] = {0, 0, 1, 7, 8, 9, 10, 10, 11, 12};
    for (size_t i = 0; i < COUNT(want); i++)
        cr_expect_eq(md_rewrite_source(&rw, i), want[i], "offset %zu: %zu", i,
                     md_rewrite_source(&rw, i));
    md_rewrite_release(&rw);
    md_rewrite_release(NULL);
}

Test(markdown, links_collected_with_positions)
{
    const char *text = "Intro paragraph\n"                         /* line 5 */
                       "second line [a](b.md) and ![i](img.png)\n" /* 6 */
                       "\n"                                        /* 7 */
                       "- item [c](https://x/ \"t\")\n"            /* 8 */
                       "\n"                                        /* 9 */
                       "# Head [h](../h.md#frag)\n"                /* 10 */
                       "\n"                                        /* 11 */
                       "[ref][] and <https://auto.example/>\n"     /* 12 */
                       "\n"                                        /* 13 */
                       "[ref]: policies/ref.md\n";                 /* 14 */
    static const struct {
        const char *url;
        int line, col, is_image;
    } want[] = {
        {"b.md", 6, 13, 0},
        {"img.png", 6, 27, 1},
        {"https://x/", 8, 8, 0},
        {"../h.md#frag", 10, 8, 0},
        {"policies/ref.md", 12, 1, 0},
        {"https://auto.example/", 12, 13, 0},
    };
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 5};
    md_doc doc;
    render(&doc, text, strlen(text), &opt, d);
    cr_assert_diag(d, "");
    cr_assert_eq(doc.n_links, COUNT(want), "%zu links", doc.n_links);
    for (size_t i = 0; i < COUNT(want); i++) {
        cr_expect_str_eq(doc.links[i].url, want[i].url, "link %zu", i);
        cr_expect_eq(doc.links[i].line, want[i].line, "link %zu (%s) line %d", i, want[i].url,
                     doc.links[i].line);
        cr_expect_eq(doc.links[i].col, want[i].col, "link %zu (%s) col %d", i, want[i].url,
                     doc.links[i].col);
        cr_expect_eq(doc.links[i].is_image, want[i].is_image, "link %zu image", i);
    }
    markdown_release(&doc);
    diag_free(d);
}

static const struct {
    const char *input, *url;
    int line, col;
} autolink_cases[] = {
    {"https://x.org/a\n", "https://x.org/a", 3, 1},
    {"see https://x.org/a\n", "https://x.org/a", 3, 5},
    {"first\nsee https://x.org/a\n", "https://x.org/a", 4, 5},
    {"www.x.org\n", "http://www.x.org", 3, 1},
    {"a www.x.org\n", "http://www.x.org", 3, 3},
    {"mail a@b.org\n", "mailto:a@b.org", 3, 6},
};

/* Bare URLs become links through the autolink extension; the link checks
 * need their positions as much as those of written links. */
Test(markdown, autolink_positions)
{
    for (size_t i = 0; i < COUNT(autolink_cases); i++) {
        diags *d = diag_new(NULL);
        md_options opt = {.file = "p.md", .first_line = 3};
        md_doc doc;
        render(&doc, autolink_cases[i].input, strlen(autolink_cases[i].input), &opt, d);
        cr_expect_eq(doc.n_links, 1, "'%s'", autolink_cases[i].input);
        if (doc.n_links == 1) {
            cr_expect_str_eq(doc.links[0].url, autolink_cases[i].url);
            cr_expect(doc.links[0].line == autolink_cases[i].line &&
                          doc.links[0].col == autolink_cases[i].col,
                      "'%s' at %d:%d, want %d:%d", autolink_cases[i].input, doc.links[0].line,
                      doc.links[0].col, autolink_cases[i].line, autolink_cases[i].col);
        }
        markdown_release(&doc);
        diag_free(d);
    }
}

struct rewrite_ctx {
    int calls;
    int keep_all; /* append junk but return 0 */
};

/* Rewrites "x.md" to "/x/" like the site does; leaves other URLs. */
static int rewrite_md(void *ctx, const char *url, buf *out)
{
    struct rewrite_ctx *c = ctx;
    c->calls++;
    size_t n = strlen(url);
    if (c->keep_all) {
        buf_adds(out, "/junk/");
        return 0;
    }
    if (n > 3 && strcmp(url + n - 3, ".md") == 0) {
        buf_addc(out, '/');
        buf_add(out, url, n - 3);
        buf_addc(out, '/');
        return 1;
    }
    return 0;
}

static const char rewrite_text[] = "[a](pol/a.md) [ext](https://x.org/) ![img](pic.md)\n"
                                   "\n"
                                   "# See [b](b.md)\n";

Test(markdown, rewrite_hook_applied)
{
    diags *d = diag_new(NULL);
    struct rewrite_ctx ctx = {0, 0};
    md_options opt = {.file = "p.md", .first_line = 1, .rewrite = rewrite_md, .rewrite_ctx = &ctx};
    md_doc doc;
    render(&doc, rewrite_text, strlen(rewrite_text), &opt, d);
    cr_assert_eq(ctx.calls, 4);
    expect_contains(doc.html.data, "<a href=\"/pol/a/\">a</a>", "rewritten link");
    expect_contains(doc.html.data, "<a href=\"https://x.org/\">ext</a>", "kept link");
    expect_contains(doc.html.data, "<img src=\"/pic/\" alt=\"img\" />", "rewritten image");
    expect_contains(doc.html.data, "<a href=\"/b/\">b</a>", "rewritten link in heading");
    expect_lacks(doc.html.data, ".md", "no .md left");
    /* The collected links keep the destinations as written. */
    cr_assert_eq(doc.n_links, 4);
    cr_expect_str_eq(doc.links[0].url, "pol/a.md");
    cr_expect_str_eq(doc.links[2].url, "pic.md");
    cr_expect_str_eq(doc.links[3].url, "b.md");
    markdown_release(&doc);
    diag_free(d);
}

Test(markdown, rewrite_hook_declined)
{
    diags *d = diag_new(NULL);
    struct rewrite_ctx ctx = {0, 1};
    md_options opt = {.file = "p.md", .first_line = 1, .rewrite = rewrite_md, .rewrite_ctx = &ctx};
    md_doc doc;
    render(&doc, rewrite_text, strlen(rewrite_text), &opt, d);
    cr_assert_eq(ctx.calls, 4);
    expect_contains(doc.html.data, "<a href=\"pol/a.md\">a</a>", "kept link");
    expect_contains(doc.html.data, "<img src=\"pic.md\" alt=\"img\" />", "kept image");
    expect_contains(doc.html.data, "<a href=\"b.md\">b</a>", "kept link in heading");
    expect_lacks(doc.html.data, "junk", "declined rewrite output");
    markdown_release(&doc);
    diag_free(d);
}

/* ---- invalid UTF-8 ---- */

#define FFFD "\xEF\xBF\xBD"

static const struct {
    const char *name, *input;
    const char *diag; /* at first_line 7 */
    const char *html;
} utf8_cases[] = {
    {"valid multi-byte", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\n", "",
     "<p>caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80</p>\n"},
    {"stray byte, reported once",
     "ok\nab\xFF"
     "cd\xFE\n",
     "p.md:8:3: error: invalid UTF-8 byte 0xff [invalid-utf8]\n",
     "<p>ok\nab" FFFD "cd" FFFD "</p>\n"},
    {"lone continuation", "x\x80y\n", "p.md:7:2: error: invalid UTF-8 byte 0x80 [invalid-utf8]\n",
     "<p>x" FFFD "y</p>\n"},
    {"truncated sequence", "ab\xE2\x82\n",
     "p.md:7:3: error: invalid UTF-8 byte 0xe2 [invalid-utf8]\n", "<p>ab" FFFD FFFD "</p>\n"},
    {"overlong", "\xC0\xAF\n", "p.md:7:1: error: invalid UTF-8 byte 0xc0 [invalid-utf8]\n",
     "<p>" FFFD FFFD "</p>\n"},
    {"surrogate", "a\xED\xA0\x80\n", "p.md:7:2: error: invalid UTF-8 byte 0xed [invalid-utf8]\n",
     "<p>a" FFFD FFFD FFFD "</p>\n"},
    {"above U+10FFFF", "\xF4\x90\x80\x80\n",
     "p.md:7:1: error: invalid UTF-8 byte 0xf4 [invalid-utf8]\n",
     "<p>" FFFD FFFD FFFD FFFD "</p>\n"},
    {"crlf lines counted",
     "one\r\ntwo\r\nthr\xFF"
     "e\r\n",
     "p.md:9:4: error: invalid UTF-8 byte 0xff [invalid-utf8]\n", "thr" FFFD "e</p>"},
    {"in a link destination", "[x](\xFF.md)\n",
     "p.md:7:5: error: invalid UTF-8 byte 0xff [invalid-utf8]\n", "<a href=\"%EF%BF%BD.md\">x</a>"},
};

Test(markdown, invalid_utf8)
{
    for (size_t i = 0; i < COUNT(utf8_cases); i++) {
        diags *d = diag_new(NULL);
        md_options opt = {.file = "p.md", .first_line = 7};
        md_doc doc;
        render(&doc, utf8_cases[i].input, strlen(utf8_cases[i].input), &opt, d);
        char *got = unit_diag_text(d);
        cr_expect_str_eq(got, utf8_cases[i].diag, "%s", utf8_cases[i].name);
        free(got);
        expect_contains(doc.html.data, utf8_cases[i].html, utf8_cases[i].name);
        markdown_release(&doc);
        diag_free(d);
    }
}

Test(markdown, nul_byte)
{
    static const char text[] = "line\na\0b\0c\n";
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 2};
    md_doc doc;
    render(&doc, text, sizeof text - 1, &opt, d);
    cr_assert_diag(d, "p.md:3:2: error: NUL byte in text [invalid-utf8]\n");
    expect_contains(doc.html.data, "<p>line\na" FFFD "b" FFFD "c</p>", "NUL replaced");
    markdown_release(&doc);
    diag_free(d);
}

Test(markdown, release_accepts_null_and_resets)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1};
    md_doc doc;
    render(&doc, "# A\n[x](y)\n", 10, &opt, d);
    markdown_release(&doc);
    cr_assert_eq(doc.n_headings, 0);
    cr_assert_eq(doc.n_links, 0);
    cr_assert_null(doc.headings);
    cr_assert_null(doc.links);
    cr_assert_str_eq(doc.html.data, "");
    markdown_release(&doc);
    markdown_release(NULL);
    diag_free(d);
}

/* Columns count characters, not bytes, as everywhere in charter. */
Test(markdown, link_columns_count_characters)
{
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1};
    md_doc doc;
    const char *text = "\xc3\xa9\xc3\xa9 [a](b) https://x.org\n";
    cr_assert_eq(markdown_render(&doc, text, strlen(text), &opt, d), 0);
    cr_assert_eq(doc.n_links, 2);
    cr_expect_eq(doc.links[0].col, 4);
    cr_expect_eq(doc.links[1].col, 11);
    markdown_release(&doc);
    diag_free(d);
}

/* ---- cmark-gfm's memory ---- */

/* Every construct charter reads or changes: headings (replaced by custom
 * blocks, the first dropped as the title), links rewritten, footnotes,
 * tables, task lists, raw HTML anchors, Liquid edited out and the text
 * parsed again. */
static const char arena_text[] =
    "# Access control\n\nIntro with *emphasis*, `code` and ~~struck~~ words.\n\n"
    "## Scope\n\nWelcome to {{ site.title }}. See [the other](other.md) and https://x.org/.\n\n"
    "| a | b |\n|---|--:|\n| 1 | 2 |\n\n- [ ] todo\n- [x] done\n\n"
    "Text[^1] <a name=\"here\"></a>.\n\n[^1]: The note.\n\n"
    "### Part one\n\n```yaml\na: 1\n```\n\n### Part one\n\nAgain.\n";

static void render_with_budget(md_doc *doc, size_t budget)
{
    struct rewrite_ctx rc = {0};
    md_options opt = {.file = "p.md",
                      .first_line = 1,
                      .unsafe_html = 1,
                      .rewrite = rewrite_md,
                      .rewrite_ctx = &rc,
                      .title = "Access control",
                      .arena_budget = budget};
    diags *d = diag_new(NULL);
    render(doc, arena_text, strlen(arena_text), &opt, d);
    diag_free(d);
}

static void expect_same_doc(const md_doc *a, const md_doc *b, const char *what)
{
    cr_expect_str_eq(a->html.data, b->html.data, "%s: HTML", what);
    cr_assert_eq(a->n_headings, b->n_headings, "%s: headings", what);
    for (size_t i = 0; i < a->n_headings; i++) {
        cr_expect_str_eq(a->headings[i].id, b->headings[i].id, "%s: heading %zu", what, i);
        cr_expect_str_eq(a->headings[i].text, b->headings[i].text, "%s: heading %zu", what, i);
    }
    cr_assert_eq(a->n_links, b->n_links, "%s: links", what);
    for (size_t i = 0; i < a->n_links; i++)
        cr_expect_str_eq(a->links[i].url, b->links[i].url, "%s: link %zu", what, i);
    cr_expect_eq(a->n_anchors, b->n_anchors, "%s: anchors", what);
}

/* cmark-gfm's nodes and strings come from the page's arena; past its
 * budget from the heap, and a page renders the same whichever it was. */
Test(markdown, arena_and_heap_render_alike)
{
    md_doc arena_doc, heap_doc, split_doc;
    render_with_budget(&arena_doc, 0);
    cr_assert_gt(arena_doc.arena_used, strlen(arena_text), "the default budget uses the arena");
    expect_contains(arena_doc.html.data, "<h2 id=\"scope\">Scope</h2>", "heading ids");
    expect_contains(arena_doc.html.data, "<h3 id=\"part-one-1\">", "repeated heading ids");
    expect_contains(arena_doc.html.data, "href=\"/other/\"", "rewritten link");
    expect_lacks(arena_doc.html.data, "{{", "Liquid");
    expect_lacks(arena_doc.html.data, "<h1", "the title heading");
    /* A budget nothing fits in: every allocation from the heap. */
    render_with_budget(&heap_doc, 1);
    cr_expect_eq(heap_doc.arena_used, 0);
    expect_same_doc(&arena_doc, &heap_doc, "heap only");
    /* Half the arena's use: pieces grown from the arena into the heap. */
    render_with_budget(&split_doc, arena_doc.arena_used / 2);
    cr_expect_gt(split_doc.arena_used, 0);
    cr_expect_leq(split_doc.arena_used, arena_doc.arena_used / 2);
    expect_same_doc(&arena_doc, &split_doc, "arena then heap");
    markdown_release(&arena_doc);
    markdown_release(&heap_doc);
    markdown_release(&split_doc);
}

/* What a page's parse keeps for the whole build is held at its size: at
 * 10,000 pages, 64-byte heading strings and arrays of eight took 6 MB more. */
Test(markdown, kept_results_at_their_size)
{
    static const char text[] = "## One\n\n## Two\n\n[a](a.md) <a id=\"x\"></a>\n";
    md_options opt = {.file = "p.md", .first_line = 1, .unsafe_html = 1};
    md_doc doc;
    diags *d = diag_new(NULL);
    render(&doc, text, strlen(text), &opt, d);
    cr_assert_eq(doc.n_headings, 2);
    cr_assert_eq(doc.n_links, 1);
    cr_assert_eq(doc.n_anchors, 1);
    cr_expect_lt(malloc_usable_size(doc.headings), 4 * sizeof *doc.headings);
    cr_expect_lt(malloc_usable_size(doc.links), 4 * sizeof *doc.links);
    cr_expect_lt(malloc_usable_size(doc.anchors), 4 * sizeof *doc.anchors);
    for (size_t i = 0; i < doc.n_headings; i++) {
        cr_expect_lt(malloc_usable_size(doc.headings[i].id), 32, "heading %zu's id", i);
        cr_expect_lt(malloc_usable_size(doc.headings[i].text), 32, "heading %zu's text", i);
    }
    markdown_release(&doc);
    diag_free(d);
}

/* ---- parallel parsing ---- */

/* cmark-gfm keeps its special inline characters in one process-wide table
 * that every parse fills as its inline parsing starts and clears as it ends
 * (github/cmark-gfm#221): a parse that ends while another is parsing
 * inlines turns strikethrough off under it, until charter serialised inline
 * parsing (parse_lock in markdown.c). Short texts on free-running threads
 * met that window in about half the runs. Here one thread parses a long
 * text, whose inline phase lasts several scheduler time slices, while the
 * others parse short texts without pause, so some of them end inside that
 * phase. Measured without the lock: 50 runs of 50 failed on two cores, 30
 * of 30 on one (taskset -c 0); with it, 0.3 s (2 s under ASan). */
#define PARALLEL_SHORT_THREADS 3
#define PARALLEL_LONG_ROUNDS 3
#define PARALLEL_PARAGRAPHS 2000

typedef struct strike_job {
    pthread_barrier_t *start;
    atomic_int *long_done;
    const char *text;
    int paragraphs; /* struck paragraphs in text */
    int rounds;     /* 0: until the long parses are done */
    int renders;
    int lost; /* struck paragraphs rendered without <del> */
} strike_job;

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static void *strike_many(void *arg)
{
    strike_job *job = arg;
    pthread_barrier_wait(job->start);
    while (job->rounds ? job->renders < job->rounds : !atomic_load(job->long_done)) {
        md_options opt = {.file = "p.md", .first_line = 1};
        md_doc doc;
        diags *d = diag_new(NULL);
        if (markdown_render(&doc, job->text, strlen(job->text), &opt, d) == 0)
            job->lost += job->paragraphs - count_of(doc.html.data, "</del>");
        else
            job->lost += job->paragraphs;
        job->renders++;
        markdown_release(&doc);
        diag_free(d);
    }
    if (job->rounds)
        atomic_store(job->long_done, 1);
    return NULL;
}

Test(markdown, strikethrough_survives_parallel_parses)
{
    markdown_init();
    buf text;
    buf_init(&text);
    for (int i = 0; i < PARALLEL_PARAGRAPHS; i++)
        buf_printf(&text, "Paragraph %d with *emphasis*, `code` and ~~struck %d~~ words.\n\n", i,
                   i);
    atomic_int long_done;
    atomic_init(&long_done, 0);
    pthread_barrier_t start;
    cr_assert_eq(pthread_barrier_init(&start, NULL, 1 + PARALLEL_SHORT_THREADS), 0);
    strike_job jobs[1 + PARALLEL_SHORT_THREADS];
    pthread_t t[1 + PARALLEL_SHORT_THREADS];
    jobs[0] = (strike_job){.start = &start,
                           .long_done = &long_done,
                           .text = text.data,
                           .paragraphs = PARALLEL_PARAGRAPHS,
                           .rounds = PARALLEL_LONG_ROUNDS};
    for (int i = 1; i <= PARALLEL_SHORT_THREADS; i++)
        jobs[i] = (strike_job){.start = &start,
                               .long_done = &long_done,
                               .text = "Short ~~struck~~ text.\n",
                               .paragraphs = 1};
    for (int i = 0; i <= PARALLEL_SHORT_THREADS; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, strike_many, &jobs[i]), 0);
    int lost = 0, renders = 0;
    for (int i = 0; i <= PARALLEL_SHORT_THREADS; i++) {
        pthread_join(t[i], NULL);
        lost += jobs[i].lost;
        renders += jobs[i].renders;
    }
    pthread_barrier_destroy(&start);
    buf_release(&text);
    cr_expect_eq(lost, 0,
                 "%d struck paragraphs lost their strikethrough (%d of %d in the long texts, "
                 "%d renders in all)",
                 lost, jobs[0].lost, PARALLEL_LONG_ROUNDS * PARALLEL_PARAGRAPHS, renders);
}

/* Jekyll's site variables and URL filters, and comply's .Name, are replaced
 * by their values; anything else is left to be dropped. */
Test(markdown, liquid_values)
{
    static const char *const vars[] = {"site.baseurl", "/isms",      "site.url",
                                       "https://x.io", "site.title", "ISMS",
                                       ".Name",        "Kestrel",    NULL};
    static const struct {
        const char *expr, *want; /* want NULL: not known */
    } cases[] = {
        {" site.baseurl ", "/isms"},
        {"site.title", "ISMS"},
        {"- site.url -", "https://x.io"},
        {".Name", "Kestrel"},
        {" \"/p/x/\" | relative_url ", "/isms/p/x/"},
        {" 'p/x/' | relative_url", "/isms/p/x/"},
        {" \"/p/\" | absolute_url ", "https://x.io/isms/p/"},
        {" \"/p/\" | upcase ", NULL},
        {" site.data.owners ", NULL},
        {" page.title ", NULL},
        {" \"/p/ | relative_url ", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        buf out;
        buf_init(&out);
        int known = md_liquid_value(&out, cases[i].expr, strlen(cases[i].expr), vars);
        cr_expect_eq(known, cases[i].want != NULL, "'%s'", cases[i].expr);
        if (cases[i].want)
            cr_expect_str_eq(out.data, cases[i].want, "'%s'", cases[i].expr);
        buf_release(&out);
    }
    buf out;
    buf_init(&out);
    cr_expect_eq(md_liquid_value(&out, "site.title", 10, NULL), 0, "no variables: nothing known");
    buf_release(&out);
}

/* A level-1 heading that opens the body with the page's title is left out
 * of the HTML (the layout shows the title), but stays a link target. */
Test(markdown, leading_title_heading)
{
    static const struct {
        const char *text;
        int dropped;
    } cases[] = {
        {"# Access Policy\n\nText.\n", 1},
        {"\n#  access policy \n\nText.\n", 1},
        {"Access Policy\n=============\n\nText.\n", 1},
        {"Intro.\n\n# Access Policy\n", 0},
        {"## Access Policy\n\nText.\n", 0},
        {"# Access Policies\n\nText.\n", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        diags *d = diag_new(NULL);
        md_options opt = {.file = "p.md", .first_line = 1, .title = "Access Policy"};
        md_doc doc;
        render(&doc, cases[i].text, strlen(cases[i].text), &opt, d);
        cr_assert_diag(d, "");
        cr_expect_eq(strstr(doc.html.data, "<h") == NULL, cases[i].dropped, "%zu: %s", i,
                     doc.html.data);
        cr_expect(strstr(doc.html.data, "Text.") || strstr(doc.html.data, "Intro."), "%zu", i);
        cr_assert_geq(doc.n_headings, 1, "%zu: the heading is still a target", i);
        markdown_release(&doc);
        diag_free(d);
    }
}

/* On a kramdown site, `* TOC` + `{:toc}` and attribute-list lines are
 * dropped, a callout's before a paragraph making it a box; in code, or
 * without lax_headings, they stay. */
Test(markdown, kramdown_markers)
{
    static const struct {
        const char *text;
        int lax;
        const char *absent, *present;
    } cases[] = {
        {"Intro.\n\n* TOC\n{:toc}\n\n## One\n", 1, "TOC", "One"},
        {"1. TOC\n{:toc}\n\nText.\n", 1, "TOC", "Text."},
        {"A note.\n{: .note}\n", 1, "{:", "A note."},
        {"* TOC\n{:toc}\n", 0, NULL, "{:toc}"},
        {"```\n* TOC\n{:toc}\n```\n", 1, NULL, "{:toc}"},
        {"* Table of contents\n{:toc}\n", 1, "{:toc}", "Table of contents"},
        {"Text {: not alone}\n", 1, NULL, "{: not alone}"},
        /* just-the-docs' callouts: the paragraph below, a box (HEAD~1:
         * a plain paragraph). */
        {"{: .warning }\nNever share\na password.\n\nAfter.\n", 1, "{:",
         "<div class=\"admonition admonition-warning\" role=\"note\"><p "
         "class=\"admonition-title\">Warning</p>\n<p>Never share\na password.</p>\n</div>\n"
         "<p>After.</p>"},
        {"{: .note}\nNoted.\n", 1, "{:", "<p class=\"admonition-title\">Note</p>\n<p>Noted.</p>"},
        {"{: .fs-6 }\nBig.\n", 1, "admonition", "<p>Big.</p>"},
        {"{: .note }\n\nAlone.\n", 1, "admonition", "<p>Alone.</p>"},
        {"{: .note }\nNoted.\n", 0, "admonition", "{: .note }"},
        /* The box ends with its paragraph, before a fence or a heading
         * (HEAD~1 put its marker inside the code). */
        {"{: .note }\nNoted.\n```\ncode\n```\n", 1, "charter-admonition",
         "<p>Noted.</p>\n</div>\n<pre><code>code\n</code></pre>"},
        {"{: .note }\nNoted.\n## Next\nText.\n", 1, "charter-admonition",
         "<p>Noted.</p>\n</div>\n<h2 id=\"next\">Next</h2>\n<p>Text.</p>"},
        /* Span lists after code, a link, emphasis: dropped (HEAD~1 printed
         * them); in a code span, or after a plain word, kept. */
        {"`Approved`{: .label .label-green } and [Go](x.md){: .btn }.\n", 1,
         "{:", "<code>Approved</code> and <a href=\"x.md\">Go</a>."},
        {"*New*{: .fs-6}\n", 1, "{:", "<em>New</em>"},
        {"Use `a{: .b}` here.\n", 1, NULL, "<code>a{: .b}</code>"},
        {"word{: .x}\n", 1, NULL, "word{: .x}"},
        /* Python-Markdown's attr_list (MkDocs) after an image or a link, on
         * any site (HEAD~1 printed them); not after a word, not when it
         * holds other text, not in code. */
        {"![Flow](f.png){ width=\"400\" loading=lazy } and [Go](x.md){ .md-button #go }.\n", 0, "{",
         "<img src=\"f.png\" alt=\"Flow\" /> and <a href=\"x.md\">Go</a>."},
        {"[Go](x.md){ see below }\n", 0, NULL, "{ see below }"},
        {"[Go](x.md){.x}\n", 0, "{", "<a href=\"x.md\">Go</a>"},
        {"a (b){ .c }\n", 0, "{", "a (b)"},
        {"`[Go](x.md){ .btn }`\n", 0, NULL, "{ .btn }"},
        {"[Go](x.md){ width=\"4 }\n", 0, NULL, "{ width="},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        diags *d = diag_new(NULL);
        md_options opt = {.file = "p.md", .first_line = 1, .lax_headings = cases[i].lax};
        md_doc doc;
        render(&doc, cases[i].text, strlen(cases[i].text), &opt, d);
        if (cases[i].absent)
            cr_expect_null(strstr(doc.html.data, cases[i].absent), "%zu: %s", i, doc.html.data);
        cr_expect_not_null(strstr(doc.html.data, cases[i].present), "%zu: %s", i, doc.html.data);
        markdown_release(&doc);
        diag_free(d);
    }
}

/* markdown_render reads text[0, len) and no further: the kramdown pass
 * looked for a list item's number with strspn, past the end of a text
 * whose last line is all digits (found by fuzz_markdown; an ASan report in
 * the sanitizers' run of this suite). Each text is copied into a block of
 * exactly its length, with no NUL after it. */
Test(markdown, reads_no_further_than_len)
{
    static const struct {
        const char *text, *shown;
    } cases[] = {
        {"{: .note }\nNoted.\n00", "Noted."}, /* the paragraph's end looked for */
        {"{: .note }\nNoted.\n12", "Noted."},
        {"1. TOC\n{:toc}\n\n2024", "2024"},             /* the list item before {:toc} */
        {"[[a.png|400]] and ![[b.png|4x3]]\n99", "99"}, /* Obsidian's sizes */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len = strlen(cases[i].text);
        char *exact = malloc(len);
        cr_assert_not_null(exact);
        memcpy(exact, cases[i].text, len);
        for (int lax = 0; lax < 2; lax++)
            for (int wiki = 0; wiki < 3; wiki++) {
                diags *d = diag_new(NULL);
                md_options opt = {
                    .file = "p.md", .first_line = 1, .lax_headings = lax, .wiki_links = wiki};
                md_doc doc;
                render(&doc, exact, len, &opt, d);
                cr_expect_not_null(strstr(doc.html.data, cases[i].shown), "%zu: %s", i,
                                   doc.html.data);
                markdown_release(&doc);
                diag_free(d);
            }
        free(exact);
    }
}

/* ---- the handbook's prefixed ids ---- */

/* markdown_prefix_ids as first written, with memmem for each mark: the
 * rule the faster one must keep. */
static void prefix_ids_reference(buf *out, const char *html, size_t len, const char *anchor)
{
    static const char *const marks[] = {" id=\"", " href=\"#"};
    const char *p = html, *end = html + len;
    const char *next[2];
    for (int k = 0; k < 2; k++)
        next[k] = memmem(p, len, marks[k], strlen(marks[k]));
    while (next[0] || next[1]) {
        int k = !next[0] || (next[1] && next[1] < next[0]);
        size_t mlen = strlen(marks[k]);
        buf_add(out, p, (size_t)(next[k] - p) + mlen);
        buf_adds(out, anchor);
        buf_addc(out, '-');
        p = next[k] + mlen;
        next[k] = memmem(p, (size_t)(end - p), marks[k], mlen);
    }
    buf_add(out, p, (size_t)(end - p));
}

/* Each id="x" and href="#x" gets the prefix, and nothing else changes: on
 * 50,000 generated texts of marks, their pieces and near misses (id= with
 * no quote, href=" without #, =" alone, marks back to back), as the
 * memmem version gives them. */
Test(markdown, prefix_ids_as_marked)
{
    static const char *const parts[] = {
        " id=\"",   " href=\"#", " href=\"", " id=", "=", "\"", "#",    " ",    "id",
        " id",      " href",     "href=\"#", "<h2",  ">", "x",  "</a>", "==\"", " id=\"\" href=\"#",
        "\xc3\xa9", "="};
    unsigned long long seed = 0x9E3779B97F4A7C15ULL;
    buf html, got, want;
    buf_init(&html);
    buf_init(&got);
    buf_init(&want);
    for (int round = 0; round < 50000; round++) {
        unit_pick_text(&html, &seed, parts, COUNT(parts), 30);
        buf_reset(&got);
        buf_reset(&want);
        prefix_ids_reference(&want, html.data, html.len, "policy-a");
        markdown_prefix_ids(&got, html.data, html.len, "policy-a");
        cr_assert_str_eq(got.data, want.data, "html '%s'", html.data);
    }
    buf_release(&html);
    buf_release(&got);
    buf_release(&want);
}

/* markdown.wiki_links: a GitHub wiki's [[...]] links are Markdown links
 * (recorded, so checked, at their place), outside code; off, they are
 * text. */
Test(markdown, wiki_links)
{
    const char *text = "See [[Access Control Policy]], [[the rules|Incident Response#sev]],\n"
                       "`[[in code]]`, \\[[escaped]] and [[images/org.png|alt=Org chart]].\n"
                       "[[https://example.org/x.png]] [[]] [[a<b]]\n\n    [[indented code]]\n";
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1, .wiki_links = 1};
    md_doc doc;
    render(&doc, text, strlen(text), &opt, d);
    const char *html = doc.html.data;
    expect_contains(html, "<a href=\"Access-Control-Policy\">Access Control Policy</a>", "page");
    expect_contains(html, "<a href=\"Incident-Response#sev\">the rules</a>", "text and page");
    expect_contains(html, "<code>[[in code]]</code>", "inline code");
    expect_contains(html, "[[escaped]]", "escaped");
    expect_contains(html, "<img src=\"images/org.png\" alt=\"Org chart\" />", "image with alt");
    expect_contains(html, "<img src=\"https://example.org/x.png\" alt=\"\" />", "image address");
    expect_contains(html, "[[]] [[a&lt;b]]", "no link");
    expect_contains(html, "<pre><code>[[indented code]]", "code block");
    cr_assert_eq(doc.n_links, 4u);
    cr_expect_str_eq(doc.links[0].url, "Access-Control-Policy");
    cr_expect_eq(doc.links[0].line, 1);
    cr_expect_eq(doc.links[0].col, 5);
    cr_expect_eq(doc.links[1].line, 1);
    cr_expect_eq(doc.links[1].col, 32);
    markdown_release(&doc);
    diag_free(d);
    char *off = html_of(text, 0);
    expect_contains(off, "See [[Access Control Policy]]", "off");
    free(off);
}

/* An Obsidian vault's links (wiki_links: MD_WIKI_OBSIDIAN): [[Page]] and
 * [[Page|Text]] (the other way round from a GitHub wiki's), the name kept
 * as written (blanks too), [[Page#Heading]] to the heading's id, [[#H]]
 * on the page, ![[image.png|400]] an image (its size left out), a block
 * reference the page alone. HEAD~1 read them as a wiki's: the text taken
 * for the page, blanks made '-', and 400 for the image's address. */
Test(markdown, obsidian_links)
{
    const char *text = "See [[Incident Response]], [[Access Control|the rules]],\n"
                       "[[Access Control#Scope of the policy]], [[#Purpose]] and\n"
                       "[[Backup#^abc123]].\n\n![[org chart.png|400]] ![[Screening]]\n"
                       "\n| Policy |\n| --- |\n| [[Unique\\|In a table]] |\n";
    diags *d = diag_new(NULL);
    md_options opt = {.file = "p.md", .first_line = 1, .wiki_links = MD_WIKI_OBSIDIAN};
    md_doc doc;
    render(&doc, text, strlen(text), &opt, d);
    const char *html = doc.html.data;
    expect_contains(html, "<a href=\"Incident%20Response\">Incident Response</a>", "page");
    expect_contains(html, "<a href=\"Access%20Control\">the rules</a>", "page and text");
    expect_contains(html,
                    "<a href=\"Access%20Control#scope-of-the-policy\">Access Control &gt; "
                    "Scope of the policy</a>",
                    "heading");
    expect_contains(html, "<a href=\"#purpose\">Purpose</a>", "heading on the page");
    expect_contains(html, "<a href=\"Backup\">Backup &gt; ^abc123</a>", "block reference");
    expect_contains(html, "<img src=\"org%20chart.png\" alt=\"\" />", "image");
    expect_contains(html, "<a href=\"Screening\">Screening</a>", "an embedded page");
    expect_contains(html, "<td><a href=\"Unique\">In a table</a></td>",
                    "in a table (HEAD~1: text)");
    cr_assert_eq(doc.n_links, 8u);
    cr_expect_str_eq(doc.links[0].url, "Incident Response");
    cr_expect_eq(doc.links[0].line, 1);
    cr_expect_eq(doc.links[0].col, 5);
    markdown_release(&doc);
    diag_free(d);
}

/* The markers as a memmem for each found them (the reference). */
static int has(const char *t, size_t n, const char *s)
{
    return memmem(t, n, s, strlen(s)) != NULL;
}

static int starts(const char *t, size_t n, const char *s)
{
    return n >= strlen(s) && !memcmp(t, s, strlen(s));
}

static void markers_by_memmem(md_markers *m, const char *t, size_t n)
{
    m->conflicts = has(t, n, "<<<<<<<");
    m->attrs = has(t, n, "){");
    m->boxes = starts(t, n, ":::") || has(t, n, "\n:::") || has(t, n, " :::");
    m->mkboxes = has(t, n, "!!! ") || has(t, n, "??? ") || has(t, n, "???+ ");
    m->mktabs = has(t, n, "=== \"") || has(t, n, "===! \"") || has(t, n, "===+ \"");
    m->snippets = has(t, n, "--8<--");
    m->helpers =
        starts(t, n, "!> ") || starts(t, n, "?> ") || has(t, n, "\n!> ") || has(t, n, "\n?> ");
    m->mdx = has(t, n, "/*") || starts(t, n, "import ") || has(t, n, "\nimport ") ||
             starts(t, n, "export ") || has(t, n, "\nexport ");
    m->wiki = has(t, n, "[[");
    m->pct = has(t, n, "%%");
    m->toc = has(t, n, "toc]") || has(t, n, "TOC]") || has(t, n, "TOC_]") || has(t, n, "toc_]");
    m->alerts = has(t, n, "[!");
    m->refs = has(t, n, "&#");
}

/* One pass finds each marker exactly where a memmem for each would, in
 * texts pieced together from the markers' own fragments at random (a
 * fixed seed), each marker at the start, the end, after a newline or a
 * space, and cut short. */
Test(markdown, markers_in_one_pass_as_memmem_finds_them)
{
    static const char *const bits[] = {
        "<<<<<<<", "<<<", "){",     ")",       ":::",     "::",    "!!! ",   "!!",   "??? ",
        "???+ ",   "??",  "=== \"", "===! \"", "===+ \"", "==",    "--8<--", "--8<", "!> ",
        "?> ",     "/*",  "/",      "import ", "export ", "impo",  "[[",     "[!",   "[",
        "%%",      "%",   "toc]",   "TOC]",    "toc_]",   "TOC_]", "toc",    "]",    "\n",
        " ",       "a",   "\r\n",   "x y z",   "*",       "&#",    "&",      "#"};
    const size_t nbits = sizeof bits / sizeof *bits;
    unsigned seed = 12345;
    /* Every field up to fnbreaks, which is no plain marker (below). */
    const size_t fields = offsetof(md_markers, fnbreaks) / sizeof(int);
    size_t seen[16] = {0};
    for (int round = 0; round < 20000; round++) {
        char t[96];
        size_t n = 0;
        int pieces = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 8;
        for (int k = 0; k < pieces; k++) {
            const char *b = bits[((seed = seed * 1103515245u + 12345u) >> 16) % nbits];
            size_t bl = strlen(b);
            if (n + bl > sizeof t)
                break;
            memcpy(t + n, b, bl);
            n += bl;
        }
        md_markers got, want;
        md_scan_markers(&got, t, n);
        markers_by_memmem(&want, t, n);
        int *g = &got.conflicts, *w = &want.conflicts;
        for (size_t f = 0; f < fields; f++) {
            cr_assert_eq(g[f], w[f], "field %zu of '%.*s'", f, (int)n, t);
            seen[f] += w[f] != 0;
        }
    }
    for (size_t f = 0; f < fields; f++)
        cr_expect_gt(seen[f], 0, "field %zu never found: the test tried nothing", f);
    md_markers none;
    md_scan_markers(&none, "", 0);
    cr_expect_eq(none.mdx + none.helpers + none.boxes, 0);
}

/* fnbreaks: a `[^` whose label runs over a line break, its paragraph
 * not yet known (a backtick in it counts as one), within 1,000 bytes and
 * before a blank line; inner brackets pair first. */
Test(markdown, marker_of_a_footnote_label_over_a_line_break)
{
    static const struct {
        const char *text;
        int want;
    } cases[] = {
        {"see [^a\nb] c", 1},    {"see [^a b] c", 0},
        {"see [^1] x\nnext", 0}, {"see [^a\n\nb] c", 0},
        {"[^a [x] b\nc]", 1},    {"[^a [x\n] b] c", 1},
        {"[^a `b] c", 1},        {"no caret [a\nb]", 0},
        {"[^a\r\nb]", 1},        {"[^a", 0},
        {"[^a\nb", 0},           {"[^\\]\nb]", 1},
        {"[^a\rb]", 1},          {"[^a\r\rb]", 0},
        {"[^a\r\n \r\nb]", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        md_markers m;
        md_scan_markers(&m, cases[i].text, strlen(cases[i].text));
        cr_expect_eq(m.fnbreaks, cases[i].want, "'%s'", cases[i].text);
    }
}

/* cmark-gfm drops the words of a footnote reference whose label runs
 * over a line break (github/cmark-gfm#282): charter escapes its `[`, so
 * the text shows as written; a real footnote, code and a link keep theirs. */
Test(markdown, footnote_label_over_a_line_break_keeps_its_text)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"See [^note\nhere] and more.", "<p>See [^note\nhere] and more.</p>\n"},
        {"> [^a `]` b\n> c] d", "<blockquote>\n<p>[^a <code>]</code> b\nc] d</p>\n</blockquote>\n"},
        {"[^t\n`x]\n=\n`", "<h1 id=\"t-x\">[^t\n`x]</h1>\n<p>`</p>\n"},
        {"See [^a\nb](http://x) y", "<p>See <a href=\"http://x\">^a\nb</a> y</p>\n"},
        {"```\n[^a\nb]\n```", "<pre><code>[^a\nb]\n</code></pre>\n"},
        {"See \\[^a\nb] e", "<p>See [^a\nb] e</p>\n"},
        {"See [^a\rb] e", "<p>See [^a\nb] e</p>\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = html_of(cases[i].text, 0);
        cr_expect_str_eq(got, cases[i].want, "'%s'", cases[i].text);
        free(got);
    }
    char *fn = html_of("A note[^1].\n\n[^1]: The note.", 0);
    cr_expect(strstr(fn, "class=\"footnote-ref\"") != NULL, "%s", fn);
    free(fn);
}
