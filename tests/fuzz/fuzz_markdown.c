/* fuzz_markdown: markdown_render (markdown.h) on a page body. The input is
 * <flags byte><body>: bit 0 unsafe_html, bit 1 the rewrite hook on, bits 2-7
 * the body's first line in its file (as after a front matter), bit 7 also
 * lax_headings, bit 6 also wiki_links (bit 5 then Obsidian's). The input's length picks where
 * cmark-gfm's memory comes from: the page's arena as in a build, the heap alone, or the arena up to
 * a budget the page passes (then the heap). The hook
 * rewrites links as charter's does for pages (x.md -> x/, keeping the
 * fragment), and drops some. The result's cheap invariants are checked:
 * positions, NUL-terminated HTML that is valid UTF-8 without control
 * characters, unique heading ids. tests/fuzz/README.md. */
#include "fuzz.h"

#include "markdown.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct hook_ctx {
    size_t calls;
} hook_ctx;

/* "a/b.md#x" -> "/site/a/b/#x"; "drop:..." -> ""; the rest as written. */
static int rewrite(void *ctx, const char *url, buf *out)
{
    hook_ctx *h = ctx;
    h->calls++;
    FUZZ_CHECK(url && out);
    size_t path_len = strcspn(url, "?#");
    if (path_len >= 3 && !memcmp(url + path_len - 3, ".md", 3)) {
        buf_adds(out, "/site/");
        buf_add(out, url, path_len - 3);
        buf_addc(out, '/');
        buf_adds(out, url + path_len);
        return 1;
    }
    if (!strncmp(url, "drop:", 5))
        return 1; /* an empty replacement */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    hook_ctx h = {0};
    md_options opt = {
        .file = "fuzz/page.md",
        .first_line = 1 + (data[0] >> 2),
        .unsafe_html = data[0] & 1,
        .rewrite = (data[0] & 2) ? rewrite : NULL,
        .rewrite_ctx = &h,
        .lax_headings = data[0] >> 7,
        .wiki_links = (data[0] >> 6) & 1 ? 1 + ((data[0] >> 5) & 1) : 0, /* 2: Obsidian's */
        .arena_budget = size % 3 == 0   ? 0
                        : size % 3 == 1 ? 1
                                        : 256 + size * 4,
    };
    diags *d = diag_new(NULL);
    md_doc doc;
    if (markdown_render(&doc, (const char *)data + 1, size - 1, &opt, d) == 0) {
        FUZZ_CHECK(doc.html.data && doc.html.data[doc.html.len] == '\0');
        /* Valid UTF-8 without a control character HTML refuses: written in
         * the body, or decoded from a character reference (&#11;). */
        size_t width;
        FUZZ_CHECK(text_first_flaw(doc.html.data, doc.html.len, &width) == doc.html.len);
        FUZZ_CHECK(!opt.arena_budget || doc.arena_used <= opt.arena_budget);
        FUZZ_CHECK(doc.n_links == 0 || doc.links);
        size_t lines = 1;
        for (size_t i = 1; i < size; i++)
            lines += data[i] == '\n' || data[i] == '\r';
        for (size_t i = 0; i < doc.n_links; i++) {
            const md_link *l = &doc.links[i];
            FUZZ_CHECK(l->url);
            FUZZ_CHECK(l->line >= 0 && l->col >= 0);
            /* 0 (unknown) or a line of the body, numbered in the file. */
            FUZZ_CHECK(l->line == 0 ||
                       (l->line >= opt.first_line && (size_t)l->line < opt.first_line + lines));
            FUZZ_CHECK(l->col == 0 || (size_t)l->col <= size);
        }
        /* The hook sees each link and image at most once. */
        FUZZ_CHECK(h.calls <= doc.n_links);
        for (size_t i = 0; i < doc.n_headings; i++) {
            const md_heading *hd = &doc.headings[i];
            FUZZ_CHECK(hd->level >= 1 && hd->level <= 6);
            FUZZ_CHECK(hd->id && hd->id[0] && hd->text);
            FUZZ_CHECK(hd->line >= opt.first_line && (size_t)hd->line < opt.first_line + lines);
            /* Ids are unique within the page (quadratic: only for few). */
            for (size_t j = 0; j < i && doc.n_headings <= 256; j++)
                FUZZ_CHECK(strcmp(doc.headings[j].id, hd->id) != 0);
        }
        /* Raw HTML anchors: non-empty values (longer than the input's bytes
         * they came from when invalid UTF-8 became U+FFFD). */
        for (size_t i = 0; i < doc.n_anchors; i++)
            FUZZ_CHECK(doc.anchors[i] && doc.anchors[i][0]);
        markdown_release(&doc);
    }
    fuzz_check_positions(d, opt.file, (const char *)data + 1, size - 1, opt.first_line - 1);
    fuzz_debug_diags(d); /* FUZZ_DEBUG=1: what an input did */
    diag_free(d);
    return 0;
}
