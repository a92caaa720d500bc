/* test_html_safe: what html_safe keeps of a page's raw HTML: the tables,
 * breaks, anchors (a name as an id) and details of exported documents; and what
 * it drops: scripts, event handlers, style, javascript: and data: addresses
 * however spelled, comments, unknown elements, a '<' that opens no tag. */
#include "unit.h"

#include "html_safe.h"

static char *safe(const char *html)
{
    buf out;
    buf_init(&out);
    html_safe_append(&out, html, strlen(html));
    buf_addc(&out, '\0');
    return buf_detach(&out);
}

static const struct {
    const char *name, *in, *want;
} cases[] = {
    /* Kept, as exports write them. */
    {"table", "<table>\n<tr><th>A</th><td colspan=\"2\">B</td></tr>\n</table>\n",
     "<table>\n<tr><th>A</th><td colspan=\"2\">B</td></tr>\n</table>\n"},
    {"break", "a<br>b<br/>c<BR />", "a<br>b<br>c<br>"},
    {"anchor", "<a name=\"h.3dy6vkm\"></a>", "<a id=\"h.3dy6vkm\"></a>"},
    {"anchor with an id", "<a name=\"n\" id=\"i\"></a><a NAME=n1 name=n2>",
     "<a id=\"i\"></a><a id=\"n1\">"},
    {"heading with id", "<h2 id='scope'>Scope</h2>", "<h2 id=\"scope\">Scope</h2>"},
    {"details", "<details open><summary>More</summary>Text</details>",
     "<details open><summary>More</summary>Text</details>"},
    {"link", "<a href=\"https://example.org/x?a=1&amp;b=2\" title=\"T\">x</a>",
     "<a href=\"https://example.org/x?a=1&amp;b=2\" title=\"T\">x</a>"},
    {"relative link", "<a href=\"../policies/x/#scope\">x</a>",
     "<a href=\"../policies/x/#scope\">x</a>"},
    {"mail link", "<a href=\"mailto:dpo@example.org\">DPO</a>",
     "<a href=\"mailto:dpo@example.org\">DPO</a>"},
    {"image", "<img src=\"images/org.png\" alt=\"Org chart\" width=\"300\">",
     "<img src=\"images/org.png\" alt=\"Org chart\" width=\"300\">"},
    {"entities and text", "Caf&eacute; &amp; more &#169; > x", "Caf&eacute; &amp; more &#169; > x"},
    {"upper case", "<TD ALIGN=center>x</TD>", "<td align=\"center\">x</td>"},
    {"unquoted value with a quote", "<td title=a\"b>x</td>", "<td title=\"a&quot;b\">x</td>"},
    {"value with brackets", "<td title='<b>'>x</td>", "<td title=\"&lt;b&gt;\">x</td>"},
    /* Dropped. */
    {"script", "a<script>alert(1)</script>b", "ab"},
    {"script in capitals, spaced end", "a<SCRIPT type=x>alert(1)</script >b", "ab"},
    {"script never closed", "a<script>alert(1)", "a"},
    {"style", "<style>body{display:none}</style>x", "x"},
    {"iframe", "<iframe src=\"https://evil.example\"></iframe>x", "x"},
    {"event handler", "<img src=x.png onerror=\"alert(1)\">", "<img src=\"x.png\">"},
    {"style attribute", "<p style=\"position:fixed\">x</p>", "<p>x</p>"},
    {"class attribute", "<div class=\"site-nav\">x</div>", "<div>x</div>"},
    {"javascript link", "<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>"},
    {"javascript, capitals", "<a href=\"JaVaScRiPt:alert(1)\">x</a>", "<a>x</a>"},
    {"javascript, entity", "<a href=\"jav&#x61;script:alert(1)\">x</a>", "<a>x</a>"},
    {"javascript, named entity colon", "<a href=\"javascript&colon;alert(1)\">x</a>", "<a>x</a>"},
    {"javascript, tab", "<a href=\"java\tscript:alert(1)\">x</a>", "<a>x</a>"},
    {"javascript, leading space", "<a href=\" javascript:alert(1)\">x</a>", "<a>x</a>"},
    {"data image", "<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">", "<img>"},
    {"vbscript", "<a href='vbscript:x'>x</a>", "<a>x</a>"},
    {"mailto image", "<img src=\"mailto:x@y\">", "<img>"},
    {"address with a '>'", "<img src=x.png> <img src='a>b'>", "<img src=\"x.png\"> <img>"},
    {"name on an image", "<img name=\"querySelector\" src=\"a.png\">", "<img src=\"a.png\">"},
    {"unknown element", "<marquee>x</marquee><svg><circle/></svg>", "x"},
    {"form", "<form action=\"/x\"><input name=q><button>Go</button></form>", "Go"},
    {"comment", "a<!-- internal note -->b", "ab"},
    {"comment never closed", "a<!-- internal note", "a"},
    {"short comments", "a<!-->b<!--->c", "abc"},
    {"declaration and cdata", "<!DOCTYPE html><![CDATA[x]]>y<?php echo 1 ?>z", "yz"},
    {"bare less-than", "a < b and 3<4", "a &lt; b and 3&lt;4"},
    {"tag never closed", "<a href=\"x\"", "&lt;a href=\"x\""},
    {"quote never closed", "<td title=\"x>y", "&lt;td title=\"x>y"},
    {"end tag with attributes", "</td foo>", "</td>"},
    {"end tag never closed", "</td", "&lt;/td"},
    {"less-than in a name", "<a<b>", "&lt;a<b>"},
};

Test(html_safe, kept_and_dropped)
{
    for (size_t i = 0; i < COUNT(cases); i++) {
        char *got = safe(cases[i].in);
        cr_expect_str_eq(got, cases[i].want, "%s: got '%s'", cases[i].name, got);
        free(got);
    }
}

/* What it writes, read again, is what it wrote: nothing it writes is read
 * differently a second time. */
Test(html_safe, idempotent)
{
    for (size_t i = 0; i < COUNT(cases); i++) {
        char *once = safe(cases[i].in);
        char *twice = safe(once);
        cr_expect_str_eq(twice, once, "%s", cases[i].name);
        free(once);
        free(twice);
    }
}

/* Unclosed quotes, comments and tags, repeated: each byte looked at a
 * bounded number of times (the counterpart of tests/pathological). */
Test(html_safe, unclosed_markup_is_linear)
{
    const char *units[] = {"<a title=\"", "<a title='x' ", "<!--", "</a", "<a b=c<", "<script>"};
    for (size_t u = 0; u < COUNT(units); u++) {
        buf in;
        buf_init(&in);
        for (int i = 0; i < 200000; i++)
            buf_adds(&in, units[u]);
        buf out;
        buf_init(&out);
        html_safe_append(&out, in.data, in.len);
        cr_expect_leq(out.len, in.len * 4, "%s", units[u]);
        buf_release(&out);
        buf_release(&in);
    }
}

/* Each kept address goes through the hook, with its offset in the input;
 * a replacement is written, one that is no safe address is not,
 * and a dropped address (javascript:) never reaches the hook. */
static int swap(void *ctx, const char *url, size_t len, size_t at, int image, buf *with)
{
    buf *seen = ctx;
    buf_printf(seen, "%.*s@%zu%s;", (int)len, url, at, image ? " image" : "");
    if (len == 5 && !memcmp(url, "x.png", 5))
        buf_adds(with, "/p/x.png?a=1&b=2");
    else if (len == 4 && !memcmp(url, "y.md", 4))
        buf_adds(with, "javascript:alert(1)");
    return with->len > 0;
}

Test(html_safe, address_hook)
{
    const char *in = "<img src=\"x.png\"> <a href='y.md'>y</a> <a href=\"javascript:z\">z</a>";
    buf out, seen;
    buf_init(&out);
    buf_init(&seen);
    html_safe_append_urls(&out, in, strlen(in), swap, &seen);
    buf_addc(&out, '\0');
    buf_addc(&seen, '\0');
    cr_expect_str_eq(seen.data, "x.png@10 image;y.md@27;");
    cr_expect_str_eq(out.data, "<img src=\"/p/x.png?a=1&b=2\"> <a href=\"y.md\">y</a> "
                               "<a>z</a>");
    buf_release(&out);
    buf_release(&seen);
}
