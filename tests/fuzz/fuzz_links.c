/* fuzz_links: the link resolver's pure functions (paths.h, site.h). The
 * input is `<from page path>\n<link>`: the path of the page the link is
 * written in, relative to the content directory, and the link as written
 * (both end at a NUL, as the C strings they are in charter). Checked: that
 * encoding then decoding a path gives it back, that resolved and normalised
 * paths are normal, that permalinks and page URLs have their shape, and
 * site_rewrite_link on a small site built here. tests/fuzz/README.md. */
#include "fuzz.h"

#include "map.h"
#include "paths.h"
#include "site.h"
#include "unicode.h"

#include <stdint.h>
#include <string.h>

/* True if p is what path_normalize makes: no empty, "." or ".." segment, so
 * no leading, trailing or doubled '/'. */
static int is_normal(const char *p)
{
    if (!*p)
        return 1;
    for (;;) {
        size_t n = strcspn(p, "/");
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return 0;
        p += n;
        if (!*p)
            return 1;
        p++;
    }
}

static int has_dotdot(const char *p)
{
    for (;;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return 1;
        p += n;
        if (!*p)
            return 0;
        p++;
    }
}

/* Normalising a normal path changes nothing. */
static void check_normal(const char *p)
{
    FUZZ_CHECK(is_normal(p));
    buf again;
    buf_init(&again);
    buf_adds(&again, p);
    FUZZ_CHECK(path_normalize(&again) == 0 && !strcmp(again.data, p));
    buf_release(&again);
}

/* What url_encode_path may leave unencoded, and '%'. */
static int is_url_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("-._~/!$&'()*+,;=@%", c));
}

static void check_encoding(const char *s)
{
    buf enc, dec;
    buf_init(&enc);
    buf_init(&dec);
    url_encode_path(&enc, s);
    for (size_t i = 0; i < enc.len; i++)
        FUZZ_CHECK(is_url_char((unsigned char)enc.data[i]));
    FUZZ_CHECK(url_decode(&dec, enc.data, enc.len) == 0);
    FUZZ_CHECK(!strcmp(dec.data, s) && dec.len == strlen(s));
    buf_release(&enc);
    buf_release(&dec);
}

/* A site of three published pages, a draft and a static file, under
 * base_url "/base/", enough for site_rewrite_link: it reads cfg.base_url,
 * cfg.content, by_rel, by_url and by_static. */
static const struct {
    const char *rel, *url;
    int published;
} pages[] = {
    {"index.md", "/", 1},
    {"governance/access-control.md", "/governance/access-control/", 1},
    {"data retention.md", "/data retention/", 1},
    {"caf\xC3\xA9/draft.md", "/caf\xC3\xA9/draft/", 0},
};
#define N_PAGES (sizeof pages / sizeof pages[0])

static void check_rewrite(const char *from_rel, const char *url)
{
    page p[N_PAGES], from;
    site s;
    memset(&s, 0, sizeof s);
    memset(p, 0, sizeof p);
    memset(&from, 0, sizeof from);
    s.cfg.base_url = (char *)"/base/";
    s.cfg.content = "content";
    s.by_rel = map_new();
    s.by_url = map_new();
    s.by_static = map_new();
    static_file img = {(char *)"content/img/a.png", (char *)"img/a.png", NULL};
    map_put(s.by_static, img.out_file, &img);
    for (size_t i = 0; i < N_PAGES; i++) {
        p[i].rel = (char *)pages[i].rel;
        p[i].url = (char *)pages[i].url;
        p[i].published = pages[i].published;
        map_put(s.by_rel, p[i].rel, &p[i]);
        map_put(s.by_url, p[i].url, &p[i]);
    }
    from.rel = (char *)from_rel;
    from.url = (char *)"/from/page/";
    buf out;
    buf_init(&out);
    buf_adds(&out, "x"); /* appends, never overwrites */
    if (site_rewrite_link(&out, &s, &from, url)) {
        FUZZ_CHECK(!strncmp(out.data, "x/base/", 7));
        /* The path encoded, then the query and fragment as written. */
        const char *rest = url + strcspn(url, "?#");
        size_t tail = strlen(rest);
        FUZZ_CHECK(out.len >= 7 + tail && !strcmp(out.data + out.len - tail, rest));
        for (size_t i = 1; i < out.len - tail; i++)
            FUZZ_CHECK(is_url_char((unsigned char)out.data[i]));
    } else {
        FUZZ_CHECK(out.len == 1);
    }
    buf_release(&out);
    map_free(s.by_rel);
    map_free(s.by_url);
    map_free(s.by_static);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* from\nlink, each a C string. */
    char *in = xstrndup((const char *)data, size);
    char *nl = strchr(in, '\n');
    const char *from = in, *link = nl ? nl + 1 : "";
    if (nl)
        *nl = '\0';
    buf a, b;
    buf_init(&a);
    buf_init(&b);

    (void)url_is_external(from);
    int external = url_is_external(link);
    FUZZ_CHECK(external == 0 || external == 1);
    if (link[0] == '/' && link[1] == '/')
        FUZZ_CHECK(external);

    check_encoding(link);
    check_encoding(from);

    /* url_decode: never longer, never a NUL when it succeeds. */
    if (url_decode(&a, link, strlen(link)) == 0)
        FUZZ_CHECK(a.len <= strlen(link) && strlen(a.data) == a.len);
    buf_reset(&a);

    /* site_link_target: the path part, decoded and in NFC (so already NFC). */
    size_t n = strcspn(link, "?#");
    if (site_link_target(&a, link, n) == 0) {
        FUZZ_CHECK(strlen(a.data) == a.len);
        FUZZ_CHECK(unicode_nfc(&b, a.data, a.len) == 0);
        FUZZ_CHECK(b.len == a.len && !memcmp(a.data, b.data, a.len));
        buf_reset(&b);
        /* As the link checks do: resolved against the page's folder. */
        if (path_resolve(&b, from, a.data) == 0)
            check_normal(b.data);
        else
            FUZZ_CHECK(a.data[0] == '/' || url_is_external(a.data) || strstr(a.data, "..") ||
                       strstr(from, ".."));
        buf_reset(&b);
    }
    buf_reset(&a);

    if (path_resolve(&a, from, link) == 0)
        check_normal(a.data);
    buf_reset(&a);

    buf_adds(&a, link);
    if (path_normalize(&a) == 0) {
        check_normal(a.data);
        FUZZ_CHECK(a.len <= strlen(link));
    } else {
        FUZZ_CHECK(strstr(link, ".."));
    }
    buf_reset(&a);

    const char *why = NULL;
    if (path_permalink(&a, &b, link, &why) == 0) {
        FUZZ_CHECK(a.data[0] == '/');
        FUZZ_CHECK(!has_dotdot(a.data) && !has_dotdot(b.data));
        FUZZ_CHECK(b.len && b.data[0] != '/');
        FUZZ_CHECK(!strpbrk(a.data, "?#\\") && !strpbrk(b.data, "?#\\"));
    } else {
        FUZZ_CHECK(why && *why);
    }
    buf_reset(&a);
    buf_reset(&b);

    path_page_url(&a, &b, from);
    FUZZ_CHECK(a.data[0] == '/');
    FUZZ_CHECK(b.len >= 10 && !strcmp(b.data + b.len - 10, "index.html"));
    buf_reset(&a);
    buf_reset(&b);

    path_join(&a, from, link);
    (void)path_is_hidden(from);

    check_rewrite(from, link);

    buf_release(&a);
    buf_release(&b);
    free(in);
    return 0;
}
