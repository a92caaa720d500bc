/* test_loadcache: the load cache (loadcache.h) through the load a build
 * makes (site_use_load_cache, site_load_finish): a page whose file keeps the
 * stat the cache recorded is not read, and loads as it would have; a page
 * changed in any way, one changed too close to its stat, a damaged cache,
 * one made under other limits and one reached through a link are read as
 * without a cache. And the YAML trees it keeps, as bytes and back. */
#include "unit.h"

#include "loadcache.h"
#include "site.h"
#include "yamltree.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char sb[PATH_MAX];

static void put(const char *rel, const char *text)
{
    unit_put(sb, rel, text);
}

static void cache_path(buf *out)
{
    buf_printf(out, "%s/cache/load.cache", sb);
}

/* Past the racy window of what was just written (FS_RACY_NS): a stat taken
 * now vouches for it. */
static void settle(void)
{
    struct timespec t = {0, 2 * FS_RACY_NS};
    nanosleep(&t, NULL);
}

/* What a page loaded as: its digest, where its body starts and its front
 * matter, as bytes. */
static void describe(buf *out, const page *p)
{
    buf_printf(out, "%s ok=%d hex=%s present=%d body=%zu@%d title=%s\n", p->rel, p->ok, p->text_hex,
               p->fm.present, p->fm.body_start, p->fm.body_line, p->title ? p->title : "-");
    if (p->ok)
        yamltree_encode(out, p->fm.data);
    buf_addc(out, '\n');
}

/* Loads the site in <sb> as a build does, with the load cache (or none):
 * how many pages came from it, every page described in *pages, the
 * messages in *messages. */
static size_t load(buf *pages, char **messages, int with_cache)
{
    diags *d = diag_new(sb);
    site *s = NULL;
    buf path;
    buf_init(&path);
    cache_path(&path);
    cr_assert_eq(site_load_config(&s, sb, date_from_civil(2026, 11, 25), NULL, d), 0);
    cr_assert_eq(site_load_walk(s, d), 0);
    s->reread = 1;
    if (with_cache)
        site_use_load_cache(s, path.data);
    cr_assert_eq(site_load_finish(s, d), 0);
    size_t hits = atomic_load(&s->load_hits);
    buf_reset(pages);
    for (size_t i = 0; i < s->n_pages; i++)
        describe(pages, s->pages[i]);
    *messages = unit_diag_text(d);
    site_free(s);
    diag_free(d);
    buf_release(&path);
    return hits;
}

#define PAGE(title, extra)                                                                         \
    "---\ntitle: " title "\nowner: Olga\nlast_reviewed: 2026-06-01\n" extra "---\nBody.\n"

static void make_site(void)
{
    unit_mkdtemp(sb, sizeof sb, "loadcache");
    put("site.yml", "title: Cache\nbase_url: /\n");
    put("content/a.md", PAGE("Alpha", "tags: [x, \"y z\"]\nnested: {k: [1, {m: n}]}\n"));
    put("content/b.md", PAGE("Beta", "status: draft\n"));
    put("content/c/d.md", PAGE("Delta", "version: [1, 2]\n")); /* a finding of the model */
}

/* Loads without the cache and with it (twice: the first writes it), and
 * checks that all three load the same. Returns the last load's hits. */
static size_t load_thrice(const char *what)
{
    buf plain, first, second;
    buf_init(&plain);
    buf_init(&first);
    buf_init(&second);
    char *m_plain, *m_first, *m_second;
    load(&plain, &m_plain, 0);
    load(&first, &m_first, 1);
    size_t hits = load(&second, &m_second, 1);
    cr_expect(plain.len == first.len && !memcmp(plain.data, first.data, plain.len),
              "%s: the load that wrote the cache differs", what);
    cr_expect(plain.len == second.len && !memcmp(plain.data, second.data, plain.len),
              "%s: the load from the cache differs", what);
    cr_expect_str_eq(m_first, m_plain, "%s", what);
    cr_expect_str_eq(m_second, m_plain, "%s", what);
    free(m_plain);
    free(m_first);
    free(m_second);
    buf_release(&plain);
    buf_release(&first);
    buf_release(&second);
    return hits;
}

Test(loadcache, unchanged_pages_are_not_read_and_load_the_same)
{
    make_site();
    settle();
    cr_expect_eq(load_thrice("settled pages"), 3);
    /* The same size, the same modification time: another change time. */
    buf b;
    buf_init(&b);
    buf_printf(&b, "%s/content/b.md", sb);
    struct stat was;
    cr_assert_eq(stat(b.data, &was), 0);
    put("content/b.md", PAGE("Bete", "status: draft\n"));
    struct timespec times[2] = {{0, UTIME_OMIT}, was.st_mtim};
    cr_assert_eq(utimensat(AT_FDCWD, b.data, times, 0), 0);
    settle();
    buf pages;
    buf_init(&pages);
    char *messages;
    cr_expect_eq(load(&pages, &messages, 1), 2, "b.md read again, its change time changed");
    cr_expect(memmem(pages.data, pages.len, "title=Bete", 10), "b.md as it is now");
    free(messages);
    cr_expect_eq(load(&pages, &messages, 1), 3, "and recorded again");
    free(messages);
    buf_release(&pages);
    buf_release(&b);
    unit_remove(sb);
}

/* A page changed within FS_RACY_NS before the walk's stat is not recorded:
 * a change in the same clock tick would keep its times. */
Test(loadcache, a_page_changed_just_before_the_load_is_not_recorded)
{
    make_site();
    settle();
    buf pages;
    buf_init(&pages);
    char *messages;
    cr_expect_eq(load(&pages, &messages, 1), 0);
    free(messages);
    put("content/a.md", PAGE("Alpha two", ""));
    cr_expect_eq(load(&pages, &messages, 1), 2, "a.md read, b.md and d.md from the cache");
    free(messages);
    cr_expect_eq(load(&pages, &messages, 1), 2, "a.md read again: it was not recorded");
    cr_expect(memmem(pages.data, pages.len, "title=Alpha two", 15), "a.md as it is now");
    free(messages);
    buf_release(&pages);
    unit_remove(sb);
}

/* A page whose front matter has findings is read every time, so that they
 * are reported every time; so is one that is not a page at all. */
Test(loadcache, pages_with_findings_are_read_every_time)
{
    make_site();
    put("content/e.md", "---\ntitle: [unclosed\n---\nBody.\n");
    settle();
    size_t hits = load_thrice("a page that does not parse");
    cr_expect_eq(hits, 3, "e.md is read each time");
    buf pages;
    buf_init(&pages);
    char *messages;
    load(&pages, &messages, 1);
    cr_expect(strstr(messages, "content/e.md:"), "its finding, again:\n%s", messages);
    free(messages);
    buf_release(&pages);
    unit_remove(sb);
}

/* The cache damaged at every length and in every byte, made under other
 * limits, or reached through a link: no cache. */
Test(loadcache, a_damaged_or_foreign_cache_is_none)
{
    make_site();
    settle();
    cr_expect_eq(load_thrice("good"), 3);
    buf path, good, pages;
    buf_init(&path);
    buf_init(&good);
    buf_init(&pages);
    cache_path(&path);
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_read(&good, path.data, NULL, d), 0);
    char *messages;
    for (size_t n = 0; n < good.len; n += 1 + n / 64) {
        cr_assert_eq(fs_write(path.data, good.data, n, d), 0);
        size_t hits = load(&pages, &messages, 1);
        /* Its end (a digest of all before it) is gone: nothing from it. */
        cr_expect_eq(hits, 0, "%zu pages from the cache cut at %zu", hits, n);
        free(messages);
        cr_expect_eq(load(&pages, &messages, 1), 3, "rewritten after the cache cut at %zu", n);
        free(messages);
    }
    for (size_t i = 0; i < good.len; i += 1 + i / 32) {
        good.data[i] ^= 0x55;
        cr_assert_eq(fs_write(path.data, good.data, good.len, d), 0);
        /* Any byte changed, a front matter value's included (HEAD~1
         * published a changed value as the page's): nothing from it. */
        size_t hits = load(&pages, &messages, 1);
        cr_expect_eq(hits, 0, "%zu pages from the cache with byte %zu changed", hits, i);
        free(messages);
        good.data[i] ^= 0x55;
    }
    /* Other limits: another key. */
    cr_assert_eq(fs_write(path.data, good.data, good.len, d), 0);
    put("site.yml", "title: Cache\nbase_url: /\nlimits: {scalar_bytes: 4096}\n");
    cr_expect_eq(load(&pages, &messages, 1), 0, "made under other limits");
    free(messages);
    put("site.yml", "title: Cache\nbase_url: /\n");
    /* Through a link. */
    buf aside;
    buf_init(&aside);
    buf_printf(&aside, "%s/aside.cache", sb);
    cr_assert_eq(fs_write(aside.data, good.data, good.len, d), 0);
    cr_assert_eq(unlink(path.data), 0);
    cr_assert_eq(symlink(aside.data, path.data), 0);
    cr_expect_eq(load(&pages, &messages, 1), 0, "a cache through a link");
    free(messages);
    diag_free(d);
    buf_release(&aside);
    buf_release(&path);
    buf_release(&good);
    buf_release(&pages);
    unit_remove(sb);
}

/* The cache is read into memory of its own: another process cutting the
 * file short (or rewriting it) while a build uses it changes nothing for
 * that build, where a mapping of the file itself would end it with
 * SIGBUS. */
Test(loadcache, a_cache_cut_short_while_in_use)
{
    make_site();
    settle();
    cr_expect_eq(load_thrice("good"), 3);
    buf path, want, got;
    buf_init(&path);
    buf_init(&want);
    buf_init(&got);
    cache_path(&path);
    char *messages;
    cr_expect_eq(load(&want, &messages, 0), 0);
    free(messages);
    diags *d = diag_new(sb);
    site *s = NULL;
    cr_assert_eq(site_load_config(&s, sb, date_from_civil(2026, 11, 25), NULL, d), 0);
    cr_assert_eq(site_load_walk(s, d), 0);
    s->reread = 1;
    site_use_load_cache(s, path.data);
    cr_assert_eq(truncate(path.data, 0), 0);
    cr_assert_eq(site_load_finish(s, d), 0);
    cr_expect_eq(atomic_load(&s->load_hits), 3, "every page from the cache as it was read");
    for (size_t i = 0; i < s->n_pages; i++)
        describe(&got, s->pages[i]);
    cr_expect_str_eq(got.data, want.data);
    site_free(s);
    diag_free(d);
    buf_release(&path);
    buf_release(&want);
    buf_release(&got);
    unit_remove(sb);
}

/* ---- the trees as bytes ---- */

static yaml_node *parse(const char *text)
{
    diags *d = diag_new(NULL);
    yaml_node *n = NULL;
    cr_assert_eq(yamltree_parse(&n, text, strlen(text), "f.yml", 3, d), 0, "%s", text);
    diag_free(d);
    return n;
}

static void expect_same(const yaml_node *a, const yaml_node *b)
{
    cr_assert_eq(yamltree_kind(a), yamltree_kind(b));
    cr_expect_eq(yamltree_line(a), yamltree_line(b));
    cr_expect_eq(yamltree_col(a), yamltree_col(b));
    cr_expect_eq(yamltree_plain(a), yamltree_plain(b));
    cr_assert_eq(yamltree_len(a), yamltree_len(b));
    if (yamltree_kind(a) == YAML_SCALAR) {
        cr_assert_eq(yamltree_text_len(a), yamltree_text_len(b));
        cr_expect(!memcmp(yamltree_text(a), yamltree_text(b), yamltree_text_len(a) + 1));
    }
    for (size_t i = 0; i < yamltree_len(a); i++) {
        if (yamltree_kind(a) == YAML_MAPPING)
            expect_same(yamltree_key(a, i), yamltree_key(b, i));
        expect_same(yamltree_item(a, i), yamltree_item(b, i));
    }
}

Test(loadcache, trees_as_bytes_and_back)
{
    static const char *const docs[] = {
        "{}",
        "a: 1\nb: 'quoted'\nc: \"nul\\0in it\"\nd: !!str plain\n",
        "list: [1, [2, [3, {k: v}]], {}]\nmap: {x: {y: {z: ''}}}\nempty:\n",
        "title: Caf\xc3\xa9\nwide:    \xe6\xbc\xa2\xe5\xad\x97\n",
    };
    for (size_t i = 0; i < COUNT(docs); i++) {
        yaml_node *n = parse(docs[i]);
        buf b;
        buf_init(&b);
        buf_adds(&b, "prefix");
        yamltree_encode(&b, n);
        size_t end = b.len;
        buf_adds(&b, "after");
        size_t at = 6;
        yaml_node *back = NULL;
        cr_assert_eq(yamltree_decode(&back, b.data, b.len, &at), 0, "%s", docs[i]);
        cr_expect_eq(at, end, "%s: read to its end", docs[i]);
        expect_same(n, back);
        /* Cut short anywhere: refused, nothing leaked (ASan). */
        for (size_t cut = 6; cut < end; cut++) {
            size_t a2 = 6;
            yaml_node *t = (yaml_node *)1;
            cr_expect_eq(yamltree_decode(&t, b.data, cut, &a2), -1, "%s cut at %zu", docs[i], cut);
            cr_expect_null(t);
        }
        yamltree_free(n);
        yamltree_free(back);
        buf_release(&b);
    }
}

/* Deeper than the parser allows, or a key that is no scalar: refused. */
Test(loadcache, trees_the_parser_would_not_make_are_refused)
{
    buf b;
    buf_init(&b);
    for (int i = 0; i < 70; i++)
        buf_add(&b, "\x01\x01\x01\x01", 4); /* a sequence of one, at 1:1 */
    buf_add(&b, "\x00\x01\x01\x00", 4);     /* an empty scalar */
    size_t at = 0;
    yaml_node *t = NULL;
    cr_expect_eq(yamltree_decode(&t, b.data, b.len, &at), -1, "70 levels");
    buf_reset(&b);
    buf_add(&b, "\x02\x01\x01\x01", 4); /* a mapping of one pair */
    buf_add(&b, "\x01\x01\x01\x00", 4); /* whose key is a sequence */
    buf_add(&b, "\x00\x01\x01\x00", 4);
    at = 0;
    cr_expect_eq(yamltree_decode(&t, b.data, b.len, &at), -1, "a key that is a list");
    buf_reset(&b);
    buf_add(&b, "\x01\x01\x01\xff\xff\xff\xff\x0f", 8); /* four billion items */
    at = 0;
    cr_expect_eq(yamltree_decode(&t, b.data, b.len, &at), -1, "a count past the bytes");
    buf_release(&b);
}
