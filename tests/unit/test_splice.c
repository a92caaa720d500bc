/* test_splice: files streamed in keyed segments (splice.h, output_splice):
 * the next build copies a segment of the same key out of the previous file
 * and makes the others; the segments file is kept beside the output's
 * cache, carried for a file linked unchanged, ignored when damaged or when
 * the previous file is not the one it describes, and removed with the
 * output's cache. */
#include "unit.h"

#include "digest.h"
#include "fs.h"
#include "manifest.h"
#include "output.h"
#include "splice.h"

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

static char sb[PATH_MAX];
static char out[PATH_MAX + 8], cache[PATH_MAX + 8], site[PATH_MAX + 8];
static const char *sources[2];

static void sandbox_setup(void)
{
    unit_mkdtemp(sb, sizeof sb, "splice");
    snprintf(out, sizeof out, "%s/out", sb);
    snprintf(cache, sizeof cache, "%s/cache", sb);
    snprintf(site, sizeof site, "%s/site", sb);
    sources[0] = site;
    sources[1] = NULL;
    unit_put(sb, "site/site.yml", "title: T\n");
    unit_put(sb, "cache/.keep", "");
}

static void sandbox_teardown(void)
{
    unit_remove(sb);
}

TestSuite(splice, .init = sandbox_setup, .fini = sandbox_teardown);

/* A segment: its key and, when made, its text. */
typedef struct piece {
    const char *key, *text;
} piece;

typedef struct stream {
    splice_stream *sp;
    const piece *pieces;
    size_t next, made;
    int by_bytes; /* made pieces recorded with splice_mark_made (2: _in) */
} stream;

/* Each piece taken from the previous file when it has one of that key,
 * else made from its text. */
static int fill_pieces(void *ctx, buf *chunk)
{
    stream *s = ctx;
    for (; s->pieces[s->next].key; s->next++) {
        const piece *p = &s->pieces[s->next];
        long i = splice_find(s->sp, p->key);
        if (i >= 0 && splice_take(s->sp, (size_t)i, chunk) == 0)
            continue;
        size_t from = chunk->len;
        buf_adds(chunk, p->text);
        if (s->by_bytes == 2)
            splice_mark_made_in(s->sp, p->key, chunk, from);
        else if (s->by_bytes)
            splice_mark_made(s->sp, p->key, chunk->data + from, strlen(p->text));
        else
            splice_mark(s->sp, p->key, strlen(p->text));
        s->made++;
    }
    return 0;
}

/* One build of out through the cache: rel streamed from pieces (when
 * given), and the other files (name, text pairs). Returns how many pieces
 * were made rather than copied; *copied: the bytes copied. */
static size_t build(const char *rel, const piece *pieces, const char *const *files,
                    long long *copied)
{
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin_cached(&o, out, sources, cache, 0, NULL, d), 0);
    stream s = {NULL, pieces, 0, 0, 0};
    if (rel) {
        s.sp = output_splice(o, rel);
        int err = output_stream_keyed(o, rel, NULL, fill_pieces, &s, d);
        cr_assert_eq(err, 0);
        output_splice_end(o, rel, s.sp, err);
    }
    for (const char *const *f = files; f && *f; f += 2)
        cr_assert_eq(output_write(o, f[0], f[1], strlen(f[1]), d), 0);
    long long total = 0, taken = 0;
    long long unhashed = 0;
    output_spliced(o, &taken, &total, &unhashed);
    if (copied)
        *copied = taken;
    cr_assert_eq(output_commit(o, d), 0);
    output_free(o, d);
    cr_assert_diag(d, "");
    diag_free(d);
    return s.made;
}

static char *read_out(const char *rel)
{
    buf p, text;
    buf_init(&p);
    buf_init(&text);
    buf_printf(&p, "%s/%s", out, rel);
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_read_nofollow(&text, p.data, p.data, d), 0);
    diag_free(d);
    buf_release(&p);
    return buf_detach(&text);
}

/* The path of the one segments file in the cache, or NULL. */
static char *segments_file(void)
{
    char **list = NULL;
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_list(&list, cache, 0, d), 0);
    diag_free(d);
    char *found = NULL;
    for (char **e = list; *e; e++)
        if (strlen(*e) > 7 && !strcmp(*e + strlen(*e) - 7, ".splice")) {
            buf p;
            buf_init(&p);
            buf_printf(&p, "%s/%s", cache, *e);
            found = buf_detach(&p);
        }
    fs_list_free(list);
    return found;
}

/* Builds book.html from pieces, expecting every one of them made (nothing
 * copied), and the file to hold `text`. */
static void expect_made_afresh(const piece *pieces, size_t made, const char *text)
{
    long long copied = -1;
    cr_expect_eq(build("book.html", pieces, NULL, &copied), made);
    cr_expect_eq(copied, 0);
    char *got = read_out("book.html");
    cr_expect_str_eq(got, text);
    free(got);
}

static const piece v1[] = {
    {"head", "<h>"}, {"a 1", "AAAA"}, {"b 1", "BB"}, {"tail", "</h>\n"}, {NULL, NULL}};
/* b changed; a, head and tail the same. */
static const piece v2[] = {
    {"head", "<h>"}, {"a 1", "AAAA"}, {"b 2", "bbbbbb"}, {"tail", "</h>\n"}, {NULL, NULL}};

Test(splice, the_next_build_copies_the_segments_of_the_same_key)
{
    long long copied = -1;
    cr_expect_eq(build("book.html", v1, NULL, &copied), 4, "the first build copies nothing");
    cr_expect_eq(copied, 0);
    char *segments = segments_file();
    cr_assert_not_null(segments, "no segments file beside the cache");
    free(segments);
    cr_expect_eq(build("book.html", v2, NULL, &copied), 1, "only the changed segment is made");
    cr_expect_eq(copied, 3 + 4 + 5, "copied %lld bytes", copied);
    char *text = read_out("book.html");
    cr_expect_str_eq(text, "<h>AAAAbbbbbb</h>\n");
    free(text);
    /* And the segments of the file just written, not the first's. */
    cr_expect_eq(build("book.html", v2, NULL, &copied), 0);
    text = read_out("book.html");
    cr_expect_str_eq(text, "<h>AAAAbbbbbb</h>\n");
    free(text);
}

Test(splice, a_file_written_otherwise_since_is_not_spliced)
{
    build("book.html", v1, NULL, NULL);
    /* The next build writes the file whole, with other bytes: the segments
     * recorded describe a file that is no longer there. */
    static const char *const plain[] = {"book.html", "<h>XXXXYY</h>\n", NULL};
    build(NULL, NULL, plain, NULL);
    expect_made_afresh(v1, 4, "<h>AAAABB</h>\n");
}

Test(splice, the_segments_of_a_file_kept_unchanged_are_carried)
{
    static const piece other[] = {{"x", "xx"}, {"y", "yyy"}, {NULL, NULL}};
    build("other.json", other, NULL, NULL);
    /* other.json not streamed again but written with the same bytes (kept:
     * linked), book.html spliced: other.json's segments are still known. */
    static const char *const same[] = {"other.json", "xxyyy", NULL};
    build("book.html", v1, same, NULL);
    long long copied = -1;
    cr_expect_eq(build("other.json", other, NULL, &copied), 0);
    cr_expect_eq(copied, 5);
}

/* A segments file damaged in any byte is ignored: each byte flipped in
 * turn, the next build makes every segment, and writes the right file. */
Test(splice, a_damaged_segments_file_is_ignored)
{
    build("book.html", v1, NULL, NULL);
    char *path = segments_file();
    cr_assert_not_null(path);
    buf good;
    buf_init(&good);
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_read_nofollow(&good, path, path, d), 0);
    for (size_t i = 0; i < good.len; i += 7) {
        good.data[i] ^= 0x20;
        cr_assert_eq(fs_write(path, good.data, good.len, d), 0);
        good.data[i] ^= 0x20;
        splice_map *m = splice_map_read(path);
        cr_expect_null(m, "damaged at byte %zu, read all the same", i);
        splice_map_free(m);
    }
    cr_assert_eq(fs_write(path, good.data, good.len - 1, d), 0);
    expect_made_afresh(v2, 4, "<h>AAAAbbbbbb</h>\n");
    diag_free(d);
    buf_release(&good);
    free(path);
}

Test(splice, the_segments_file_goes_with_the_output_cache)
{
    build("book.html", v1, NULL, NULL);
    char *path = segments_file();
    cr_assert_not_null(path);
    output_forget(cache, out);
    cr_expect_eq(access(path, F_OK), -1, "'%s' is still there", path);
    free(path);
}

/* The previous file is opened beneath the output through no link: a
 * folder on its way replaced by a link once the build began (to a copy of
 * itself, the same bytes) gives nothing to copy. */
Test(splice, the_previous_file_is_never_read_through_a_link)
{
    static const piece deep[] = {{"one", "11"}, {"two", "222"}, {NULL, NULL}};
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin_cached(&o, out, sources, cache, 0, NULL, d), 0);
    stream s = {output_splice(o, "sub/book.html"), deep, 0, 0, 0};
    cr_assert_eq(output_stream_keyed(o, "sub/book.html", NULL, fill_pieces, &s, d), 0);
    output_splice_end(o, "sub/book.html", s.sp, 0);
    cr_assert_eq(output_commit(o, d), 0);
    output_free(o, d);
    cr_assert_eq(output_begin_cached(&o, out, sources, cache, 0, NULL, d), 0);
    char sub[PATH_MAX + 16], moved[PATH_MAX + 16];
    snprintf(sub, sizeof sub, "%s/sub", out);
    snprintf(moved, sizeof moved, "%s/elsewhere", sb);
    cr_assert_eq(rename(sub, moved), 0);
    cr_assert_eq(symlink(moved, sub), 0);
    splice_stream *sp = output_splice(o, "sub/book.html");
    cr_expect_eq(splice_count(sp), 0, "the previous file was opened through a link");
    splice_free(sp);
    cr_assert_eq(unlink(sub), 0);
    cr_assert_eq(rename(moved, sub), 0);
    sp = output_splice(o, "sub/book.html");
    cr_expect_eq(splice_count(sp), 2, "the previous file, back in place, was not opened");
    splice_free(sp);
    output_free(o, d);
    diag_free(d);
}

/* splice_take and splice_peek through the read window: segments smaller
 * and larger than it, in and out of order, each read back exactly. */
Test(splice, segments_read_back_exactly)
{
    enum { N = 40 };
    size_t lens[N];
    unsigned long long seed = 7;
    buf file, text;
    buf_init(&file);
    buf_init(&text);
    buf_adds(&text, SPLICE_MAGIC "\n");
    for (size_t i = 0; i < N; i++)
        lens[i] = i % 9 == 4 ? (size_t)(3u << 20) : (size_t)(unit_next(&seed) % 200000);
    size_t total = 0;
    for (size_t i = 0; i < N; i++)
        total += lens[i];
    /* The file: segment i is bytes of value i. */
    for (size_t i = 0; i < N; i++)
        for (size_t k = 0; k < lens[i]; k++)
            buf_addc(&file, (char)('a' + i % 26));
    char hex[DIGEST_HEX];
    digest_of(hex, file.data, file.len);
    buf_printf(&text, "file %s %zu %d 0 f.bin\n", hex, total, N);
    for (size_t i = 0; i < N; i++)
        buf_printf(&text, "%zu seg %zu\n", lens[i], i);
    char sum[DIGEST_CHECK_HEX];
    digest_check_of(sum, text.data, text.len);
    buf_printf(&text, "end %s\n", sum);
    unit_put(sb, "f.bin", file.data);
    unit_put(sb, "f.splice", text.data);
    char path[PATH_MAX + 16], bin[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/f.splice", sb);
    snprintf(bin, sizeof bin, "%s/f.bin", sb);
    splice_map *m = splice_map_read(path);
    cr_assert_not_null(m);
    cr_expect_eq(splice_map_has(m, "f.bin", hex), 1);
    cr_expect_eq(splice_map_has(m, "f.bin", "0"), 0);
    splice_stream *sp = splice_new(m, "f.bin", hex, open(bin, O_RDONLY));
    cr_assert_eq(splice_count(sp), N);
    static const size_t order[] = {0, 1, 2, 5, 4, 3, 39, 20, 21, 13, 22, 38, 6};
    buf got;
    buf_init(&got);
    for (size_t j = 0; j < COUNT(order); j++) {
        size_t i = order[j];
        buf_reset(&got);
        cr_assert_eq(splice_peek(sp, i, &got), 0);
        cr_assert_eq(got.len, lens[i], "segment %zu: %zu bytes", i, got.len);
        for (size_t k = 0; k < got.len; k++)
            cr_assert_eq(got.data[k], (char)('a' + i % 26), "segment %zu, byte %zu", i, k);
        char key[32];
        snprintf(key, sizeof key, "seg %zu", i);
        cr_expect_eq(splice_find(sp, key), (long)i);
    }
    cr_expect_eq(splice_find(sp, "seg 40"), -1);
    /* Carried to the next segments file (the file kept unchanged): its
     * lines as they were written, byte for byte; nothing for another
     * digest. */
    buf carried;
    buf_init(&carried);
    cr_expect_eq(splice_map_carry(&carried, m, "f.bin", "0"), 0);
    cr_expect_eq(carried.len, 0);
    cr_assert_eq(splice_map_carry(&carried, m, "f.bin", hex), 1);
    size_t head = strlen(SPLICE_MAGIC "\n"), tail = 4 + DIGEST_CHECK_HEX;
    cr_expect_eq(carried.len, text.len - head - tail);
    cr_expect(carried.len == text.len - head - tail &&
                  memcmp(carried.data, text.data + head, carried.len) == 0,
              "carried: %.200s", carried.data);
    buf_release(&carried);
    /* Another digest, or a file of another size: nothing to take. */
    splice_stream *other = splice_new(m, "f.bin", "0", open(bin, O_RDONLY));
    cr_expect_eq(splice_count(other), 0);
    splice_free(other);
    unit_put(sb, "short.bin", "abc");
    snprintf(bin, sizeof bin, "%s/short.bin", sb);
    other = splice_new(m, "f.bin", hex, open(bin, O_RDONLY));
    cr_expect_eq(splice_count(other), 0);
    splice_free(other);
    splice_free(sp);
    splice_map_free(m);
    buf_release(&got);
    buf_release(&file);
    buf_release(&text);
}

/* A key with a newline cannot be a line of the segments file: the file's
 * segments are not kept, and the next build makes them all. */
Test(splice, a_key_with_a_newline_is_not_kept)
{
    static const piece odd[] = {{"head", "<h>"}, {"two\nlines", "X"}, {NULL, NULL}};
    build("book.html", odd, NULL, NULL);
    expect_made_afresh(odd, 2, "<h>X");
}

/* One build streaming rel from pieces: how many of its bytes were not
 * hashed again (output_spliced), with CHARTER_CHECK_REUSE set, so that a
 * digest resumed from a wrong state is an error. */
static long long build_unhashed_by(const char *rel, const piece *pieces, int by_bytes)
{
    setenv("CHARTER_CHECK_REUSE", "1", 1);
    diags *d = diag_new(NULL);
    output *o = NULL;
    cr_assert_eq(output_begin_cached(&o, out, sources, cache, 0, NULL, d), 0);
    stream s = {output_splice(o, rel), pieces, 0, 0, by_bytes};
    int err = output_stream_keyed(o, rel, NULL, fill_pieces, &s, d);
    cr_assert_eq(err, 0);
    output_splice_end(o, rel, s.sp, err);
    long long total = 0, taken = 0, unhashed = 0;
    output_spliced(o, &taken, &total, &unhashed);
    cr_assert_eq(output_commit(o, d), 0);
    output_free(o, d);
    cr_assert_diag(d, "");
    diag_free(d);
    unsetenv("CHARTER_CHECK_REUSE");
    return unhashed;
}

static long long build_unhashed(const char *rel, const piece *pieces)
{
    return build_unhashed_by(rel, pieces, 0);
}

/* The file's digest as its manifest records it. */
static void manifest_hex(const char *rel, char hex[DIGEST_HEX])
{
    manifest_entry *v = NULL;
    size_t n = 0;
    diags *d = diag_new(NULL);
    cr_assert_eq(manifest_read(&v, &n, out, out, d), 1);
    diag_free(d);
    hex[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].rel, rel))
            memcpy(hex, v[i].hex, DIGEST_HEX);
    manifest_entries_free(v, n);
}

/* rel's digest in its manifest is the SHA-256 of its bytes (a resumed
 * digest as a whole one). */
static void expect_manifest_digest(const char *rel)
{
    char hex[DIGEST_HEX], want[DIGEST_HEX];
    char *now = read_out(rel);
    digest_of(want, now, strlen(now));
    manifest_hex(rel, hex);
    cr_expect_str_eq(hex, want, "%s", rel);
    free(now);
}

/* A file whose start is the previous one's, segment for segment, is
 * hashed only from the previous file's digest state before its first new
 * byte: the states are kept in the segments file, and the digest the
 * manifest records is the file's. A change at the start is hashed whole. */
Test(splice, the_digest_resumes_from_the_previous_files_state)
{
    char *a = xmalloc(200001), *b = xmalloc(200001);
    memset(a, 'a', 200000);
    memset(b, 'b', 200000);
    a[200000] = b[200000] = '\0';
    const piece first[] = {{"A", a}, {"B", b}, {"C", "the end\n"}, {NULL, NULL}};
    const piece late[] = {{"A", a}, {"B", b}, {"C2", "another end\n"}, {NULL, NULL}};
    const piece early[] = {
        {"A0", "new start\n"}, {"A", a}, {"B", b}, {"C2", "another end\n"}, {NULL, NULL}};
    cr_expect_eq(build_unhashed("big.html", first), 0, "nothing to resume from");
    char *segs = segments_file();
    cr_assert_not_null(segs);
    char *text = NULL;
    buf t;
    buf_init(&t);
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_read_nofollow(&t, segs, segs, d), 0);
    diag_free(d);
    text = t.data;
    cr_expect_not_null(strstr(text, " 400008 3 6 big.html\n"), "3 segments, 6 states: %s", text);
    buf_release(&t);
    free(segs);
    long long unhashed = build_unhashed("big.html", late);
    cr_expect_eq(unhashed, 6 * 65536, "resumed from the last state before byte 400,000");
    expect_manifest_digest("big.html");
    cr_expect_eq(build_unhashed("big.html", early), 0, "a change at the start");
    expect_manifest_digest("big.html");
    free(a);
    free(b);
}

/* A head made anew under another key (its dictionary's key moved, not its
 * text) whose bytes are the previous file's: still the previous file's own
 * bytes at the same places (splice_mark_made), so the digest resumes past
 * it; a head whose bytes differ does not, and the digests are checked
 * against the files (CHARTER_CHECK_REUSE). */
Test(splice, a_head_made_again_with_the_same_bytes_is_not_hashed_again)
{
    char *a = xmalloc(200001);
    memset(a, 'a', 200000);
    a[200000] = '\0';
    const piece first[] = {{"H1", "the head\n"}, {"A", a}, {"C", "the end\n"}, {NULL, NULL}};
    const piece same_head[] = {
        {"H2", "the head\n"}, {"A", a}, {"C2", "another end\n"}, {NULL, NULL}};
    const piece new_head[] = {{"H3", "a new head\n"}, {"A", a}, {"C3", "the end\n"}, {NULL, NULL}};
    cr_expect_eq(build_unhashed_by("h.html", first, 1), 0, "nothing to resume from");
    cr_expect_eq(build_unhashed_by("h.html", same_head, 1), 3 * 65536,
                 "resumed from the last state before the end");
    expect_manifest_digest("h.html");
    cr_expect_eq(build_unhashed_by("h.html", new_head, 1), 0, "another head");
    expect_manifest_digest("h.html");
    /* Marked by key alone (splice_mark), the same head is no resumption. */
    cr_expect_eq(build_unhashed_by("h.html", first, 0), 0);
    cr_expect_eq(build_unhashed_by("h.html", same_head, 0), 0, "by key alone");
    free(a);
}

/* Under splice_lazy, the segments that continue the previous file's first
 * bytes are recorded without being read (out stays empty) and written by
 * splice_lazy_flush, once; from the first byte made, or one taken out of
 * place, or once the writer was given a byte, segments are read as
 * before. */
Test(splice, the_previous_files_first_bytes_are_left_for_the_writer)
{
    buf file, text;
    buf_init(&file);
    buf_init(&text);
    for (int i = 0; i < 100000; i++)
        buf_addc(&file, 'a');
    for (int i = 0; i < 50000; i++)
        buf_addc(&file, 'b');
    buf_adds(&file, "tail");
    char hex[DIGEST_HEX];
    digest_of(hex, file.data, file.len);
    buf_printf(&text, SPLICE_MAGIC "\nfile %s %zu 3 0 f.bin\n100000 A\n50000 B\n4 T\n", hex,
               file.len);
    char sum[DIGEST_CHECK_HEX];
    digest_check_of(sum, text.data, text.len);
    buf_printf(&text, "end %s\n", sum);
    unit_put(sb, "f.bin", file.data);
    unit_put(sb, "f.splice", text.data);
    char path[PATH_MAX + 16], bin[PATH_MAX + 16], copy[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/f.splice", sb);
    snprintf(bin, sizeof bin, "%s/f.bin", sb);
    snprintf(copy, sizeof copy, "%s/copy.bin", sb);
    splice_map *m = splice_map_read(path);
    cr_assert_not_null(m);
    int w = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert_geq(w, 0);
    buf o;
    buf_init(&o);
    long long n = -1;

    /* In order from the start: left unread, then copied. */
    splice_stream *sp = splice_new(m, "f.bin", hex, open(bin, O_RDONLY));
    splice_lazy(sp);
    cr_assert_eq(splice_take(sp, 0, &o), 0);
    cr_assert_eq(splice_take(sp, 1, &o), 0);
    cr_expect_eq(o.len, 0, "taken unread");
    cr_expect_eq(splice_same(sp), 150000);
    cr_expect_eq(splice_size(sp), 150000);
    cr_expect_eq(splice_lazy_flush(sp, w, &n), 0);
    cr_expect_eq(n, 150000);
    cr_expect_eq(splice_lazy_flush(sp, w, &n), 0);
    cr_expect_eq(n, 0, "copied once");
    /* A byte made: what follows is read. */
    buf_adds(&o, "X");
    splice_mark(sp, "X", 1);
    cr_assert_eq(splice_take(sp, 2, &o), 0);
    cr_expect_str_eq(o.data, "Xtail");
    close(w);
    char *got = NULL;
    {
        buf t;
        buf_init(&t);
        diags *d = diag_new(NULL);
        cr_assert_eq(fs_read_nofollow(&t, copy, copy, d), 0);
        diag_free(d);
        got = buf_detach(&t);
    }
    cr_expect_eq(strlen(got), 150000);
    cr_expect_eq(strncmp(got, file.data, 150000), 0, "the previous file's first bytes");
    free(got);
    splice_free(sp);

    /* Out of place, or after the writer was given a byte: read. */
    sp = splice_new(m, "f.bin", hex, open(bin, O_RDONLY));
    splice_lazy(sp);
    buf_reset(&o);
    cr_assert_eq(splice_take(sp, 1, &o), 0);
    cr_expect_eq(o.len, 50000, "not the first bytes: read");
    splice_free(sp);
    sp = splice_new(m, "f.bin", hex, open(bin, O_RDONLY));
    splice_lazy(sp);
    splice_produced(sp);
    buf_reset(&o);
    cr_assert_eq(splice_take(sp, 0, &o), 0);
    cr_expect_eq(o.len, 100000, "the writer had bytes: read");
    splice_free(sp);
    /* Without splice_lazy: read. */
    sp = splice_new(m, "f.bin", hex, open(bin, O_RDONLY));
    buf_reset(&o);
    cr_assert_eq(splice_take(sp, 0, &o), 0);
    cr_expect_eq(o.len, 100000);
    splice_free(sp);
    /* Made again with the previous file's first bytes (splice_mark_made_in):
     * taken out of out, for the writer; other bytes stay. */
    sp = splice_new(m, "f.bin", hex, open(bin, O_RDONLY));
    splice_lazy(sp);
    buf_reset(&o);
    buf_add(&o, file.data, 100000);
    splice_mark_made_in(sp, "A2", &o, 0);
    cr_expect_eq(o.len, 0, "the same bytes: left for the writer");
    cr_expect_eq(splice_same(sp), 100000);
    buf_adds(&o, "bbbX");
    splice_mark_made_in(sp, "B2", &o, 0);
    cr_expect_str_eq(o.data, "bbbX", "other bytes: kept");
    cr_expect_eq(splice_same(sp), 100000);
    splice_free(sp);

    splice_map_free(m);
    buf_release(&o);
    buf_release(&file);
    buf_release(&text);
}

/* Through the output: a file whose start is the previous one's, taken or
 * made again with the same bytes, holds every byte it should, and its
 * digest is the file's (CHARTER_CHECK_REUSE hashes it whole to check). */
Test(splice, a_file_whose_start_was_copied_unread_is_whole)
{
    char *a = xmalloc(300001), *b = xmalloc(300001);
    memset(a, 'a', 300000);
    memset(b, 'b', 300000);
    a[300000] = b[300000] = '\0';
    const piece first[] = {
        {"H1", "the head\n"}, {"A", a}, {"B", b}, {"C", "the end\n"}, {NULL, NULL}};
    const piece later[] = {
        {"H2", "the head\n"}, {"A", a}, {"B", b}, {"C2", "another end\n"}, {NULL, NULL}};
    const piece middle[] = {{"H3", "the head\n"},    {"A", a},    {"M", "new\n"}, {"B", b},
                            {"C2", "another end\n"}, {NULL, NULL}};
    build_unhashed_by("l.html", first, 2);
    cr_expect_gt(build_unhashed_by("l.html", later, 2), 0, "resumed past the copied start");
    buf want;
    buf_init(&want);
    buf_adds(&want, "the head\n");
    buf_adds(&want, a);
    buf_adds(&want, b);
    buf_adds(&want, "another end\n");
    char *got = read_out("l.html");
    cr_expect_eq(strlen(got), want.len);
    cr_expect_eq(strcmp(got, want.data), 0, "the file, whole");
    free(got);
    expect_manifest_digest("l.html");
    build_unhashed_by("l.html", middle, 2);
    buf_reset(&want);
    buf_adds(&want, "the head\n");
    buf_adds(&want, a);
    buf_adds(&want, "new\n");
    buf_adds(&want, b);
    buf_adds(&want, "another end\n");
    got = read_out("l.html");
    cr_expect_eq(strcmp(got, want.data), 0, "the file, whole, after a segment put in");
    free(got);
    expect_manifest_digest("l.html");
    buf_release(&want);
    free(a);
    free(b);
}
