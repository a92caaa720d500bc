/* fuzz_review: what reaches charter from a browser and from a pull request
 * in its review tools: a request's raw path (serve_decode_path, charter
 * serve) and two page texts (redline_compare and diff_html_text, charter
 * diff). The input is `<path>\n<old text>\x1e<new text>`. Checked: a path
 * that is accepted has no "." or ".." segment, no NUL, backslash or control
 * character, and does not start with '/'; a redline's kept and deleted
 * runs give back the old text's words and its kept and inserted runs the
 * new text's, with counts that match. tests/fuzz/README.md. */
#include "fuzz.h"

#include "buf.h"
#include "diff.h"
#include "redline.h"
#include "serve.h"

static void check_path(const char *raw)
{
    buf rel;
    buf_init(&rel);
    if (serve_decode_path(&rel, raw) == 0) {
        FUZZ_CHECK(rel.len == strlen(rel.data)); /* no NUL inside */
        FUZZ_CHECK(rel.len == 0 || rel.data[0] != '/');
        for (size_t i = 0; i < rel.len; i++) {
            unsigned char c = (unsigned char)rel.data[i];
            FUZZ_CHECK(c >= 0x20 && c != 0x7f && c != '\\');
        }
        for (const char *p = rel.data; *p;) {
            size_t n = strcspn(p, "/");
            FUZZ_CHECK(!(n == 1 && p[0] == '.') && !(n == 2 && p[0] == '.' && p[1] == '.'));
            p += n;
            if (*p)
                p++;
        }
    }
    buf_release(&rel);
}

/* The words of side `which` (0 old, 1 new) rebuilt from r's runs equal its
 * own words. */
static void check_side(const redline *r, int which)
{
    size_t k = 0, counted = 0;
    const redline_word *own = which ? r->b : r->a;
    size_t n_own = which ? r->nb : r->na;
    for (size_t i = 0; i < r->n_runs; i++) {
        const redline_run *run = &r->runs[i];
        if (run->op == (which ? REDLINE_DEL : REDLINE_INS))
            continue;
        const redline_word *w = run->op == REDLINE_INS ? r->b : r->a;
        for (size_t j = run->from; j < run->to; j++, k++) {
            FUZZ_CHECK(k < n_own);
            FUZZ_CHECK(w[j].len == own[k].len && !memcmp(w[j].s, own[k].s, w[j].len));
            counted += run->op != REDLINE_SAME && !redline_is_break(&w[j]);
        }
    }
    FUZZ_CHECK(k == n_own);
    FUZZ_CHECK(counted == (which ? r->inserted : r->deleted));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *nl = memchr(s, '\n', size);
    size_t plen = nl ? (size_t)(nl - s) : size;
    buf path;
    buf_init(&path);
    buf_add(&path, s, plen);
    check_path(path.data);
    buf_release(&path);
    if (!nl)
        return 0;
    const char *text = nl + 1, *end = s + size;
    const char *sep = memchr(text, '\x1e', (size_t)(end - text));
    const char *b = sep ? sep + 1 : end;
    size_t alen = (size_t)((sep ? sep : end) - text), blen = (size_t)(end - b);
    redline r;
    redline_compare(&r, text, alen, b, blen);
    check_side(&r, 0);
    check_side(&r, 1);
    redline_release(&r);
    buf plain;
    buf_init(&plain);
    diff_html_text(&plain, text, alen);
    FUZZ_CHECK(plain.len <= alen + 1 + 4 * alen); /* entities grow by at most 4 bytes each */
    buf_release(&plain);
    return 0;
}
