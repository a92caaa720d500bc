/* splice: the segments of the files an output's builds stream in keyed
 * segments (splice.h): reading them from the segments file, looking a
 * segment up by its key, copying it out of the previous file, and
 * recording the new file's segments for the next build. */
#include "splice.h"

#include "digest.h"
#include "fs.h"
#include "map.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SPLICE_FILE_MAX ((size_t)64 << 20)

/* A file's segments in the map: its "file" line's fields, and where its
 * segment lines start and end in the map's text. */
typedef struct section {
    const char *rel; /* NUL-terminated inside the map's text */
    char hex[DIGEST_HEX];
    long long size;
    size_t n, n_states;
    const char *start, *lines, *end; /* its "file" line, its first segment line, past its last */
    const char *states;              /* its first state line (after its segments) */
} section;

struct splice_map {
    buf text;
    section *v;
    size_t n;
    map *by_rel; /* rel -> index + 1 */
};

/* A decimal number at *p ending in `stop`; moves *p past the stop. */
static int number(const char **p, const char *end, char stop, long long *out)
{
    const char *q = *p;
    long long v = 0;
    if (q >= end || *q < '0' || *q > '9')
        return -1;
    while (q < end && *q >= '0' && *q <= '9') {
        if (v > (LLONG_MAX - 9) / 10)
            return -1;
        v = v * 10 + (*q++ - '0');
    }
    if (q >= end || *q != stop)
        return -1;
    *p = q + 1;
    *out = v;
    return 0;
}

void splice_map_free(splice_map *m)
{
    if (!m)
        return;
    buf_release(&m->text);
    free(m->v);
    map_free(m->by_rel);
    free(m);
}

splice_map *splice_map_read(const char *path)
{
    splice_map *m = xcalloc(1, sizeof *m);
    buf_init(&m->text);
    m->by_rel = map_new();
    size_t cap = 0;
    if (fs_read_head(&m->text, path, SPLICE_FILE_MAX + 1) != 0 || m->text.len > SPLICE_FILE_MAX)
        goto fail;
    char *p = m->text.data, *end = m->text.data + m->text.len;
    /* Its last line, "end <check of all before it>" (digest_check): a damaged file is
     * not half believed. */
    size_t tail = 4 + DIGEST_CHECK_HEX;
    char hex[DIGEST_CHECK_HEX];
    if (m->text.len < tail || memcmp(end - tail, "end ", 4) != 0 || end[-1] != '\n')
        goto fail;
    digest_check_of(hex, p, m->text.len - tail);
    if (memcmp(hex, end - tail + 4, DIGEST_CHECK_HEX - 1) != 0)
        goto fail;
    end -= tail;
    size_t magic = strlen(SPLICE_MAGIC);
    if ((size_t)(end - p) < magic + 1 || memcmp(p, SPLICE_MAGIC, magic) != 0 || p[magic] != '\n')
        goto fail;
    p += magic + 1;
    while (p < end) {
        /* file <hex> <size> <n> <rel> */
        section s = {0};
        s.start = p;
        char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol || eol - p < 5 + DIGEST_HEX || memcmp(p, "file ", 5) != 0)
            goto fail;
        memcpy(s.hex, p + 5, DIGEST_HEX - 1);
        s.hex[DIGEST_HEX - 1] = '\0';
        const char *q = p + 5 + DIGEST_HEX - 1;
        long long n, k;
        if (q >= eol || *q++ != ' ' || number(&q, eol, ' ', &s.size) != 0 ||
            number(&q, eol, ' ', &n) != 0 || number(&q, eol, ' ', &k) != 0 || q >= eol)
            goto fail;
        *eol = '\0';
        s.rel = q;
        s.n = (size_t)n;
        s.n_states = (size_t)k;
        s.lines = p = eol + 1;
        /* Its segment lines: "<length> <key>", the lengths adding up. */
        long long total = 0;
        for (long long i = 0; i < n; i++) {
            const char *l = p;
            char *nl = memchr(p, '\n', (size_t)(end - p));
            long long len;
            if (!nl || number(&l, nl, ' ', &len) != 0 || total > LLONG_MAX - len)
                goto fail;
            total += len;
            *nl = '\0'; /* each key a string, in place */
            p = nl + 1;
        }
        if (total != s.size)
            goto fail;
        /* Its states: "<offset> <SHA-256 state>", at whole blocks, in
         * order, within the file. */
        s.states = p;
        long long last = 0;
        for (long long i = 0; i < k; i++) {
            const char *l = p;
            char *nl = memchr(p, '\n', (size_t)(end - p));
            long long at;
            if (!nl || number(&l, nl, ' ', &at) != 0 || at <= last || at % 64 || at > s.size ||
                nl - l != DIGEST_HEX - 1 || digest_hex_span(l, DIGEST_HEX - 1) != DIGEST_HEX - 1)
                goto fail;
            last = at;
            *nl = '\0';
            p = nl + 1;
        }
        s.end = p;
        if (m->n == cap) {
            cap = cap ? cap * 2 : 4;
            m->v = xrealloc(m->v, cap * sizeof *m->v);
        }
        m->v[m->n++] = s;
        if (map_put(m->by_rel, s.rel, (void *)(intptr_t)m->n) != NULL)
            goto fail; /* a file twice */
    }
    return m;
fail:
    splice_map_free(m);
    return NULL;
}

static const section *find_section(const splice_map *m, const char *rel, const char *hex)
{
    intptr_t k = m ? (intptr_t)map_get(m->by_rel, rel) : 0;
    if (!k || strcmp(m->v[k - 1].hex, hex) != 0)
        return NULL;
    return &m->v[k - 1];
}

int splice_map_has(const splice_map *m, const char *rel, const char *hex)
{
    return find_section(m, rel, hex) != NULL;
}

int splice_map_carry(buf *out, const splice_map *m, const char *rel, const char *hex)
{
    const section *s = find_section(m, rel, hex);
    if (!s)
        return 0;
    /* Its lines were cut at their ends (each '\n' made a NUL, and none
     * holds one of its own): copied whole, and their ends put back. */
    size_t from = out->len, n = (size_t)(s->end - s->start);
    buf_add(out, s->start, n);
    for (char *p = out->data + from, *end = p + n; (p = memchr(p, '\0', (size_t)(end - p)));)
        *p++ = '\n';
    return 1;
}

/* --- one file being streamed ------------------------------------------------------ */

typedef struct seg {
    const char *key; /* in the map's text */
    long long off, len;
} seg;

struct splice_stream {
    int fd;
    seg *old; /* the previous file's segments */
    size_t n_old;
    map *by_key; /* key -> index + 1 into old, made on first need */
    buf now;     /* the new file's segment lines */
    size_t n_now;
    long long size_now;
    int unkeepable;
    long long taken;
    buf scratch; /* splice_segment's check */
    /* The previous file's states (splice_state_at), and how many bytes
     * from the start of the new file are the previous file's own, at the
     * same places: each segment so far taken, in order. */
    const char *const *old_states;
    long long *old_state_at;
    size_t n_old_states;
    long long same;
    buf states_now; /* the new file's state lines */
    size_t n_states_now;
    /* What was last read of the previous file, from win_off: segments are
     * mostly taken in order, a window at a time rather than each alone. */
    char *win;
    long long win_off;
    size_t win_len;
    /* splice_lazy: while every byte of the new file so far is one of the
     * previous file's first lazy_bytes, taken in order and not read, the
     * next such segment is not read either; the writer copies them from
     * lazy_flushed on (splice_lazy_flush). `lazy` ends with the first byte
     * the writer is given (splice_produced). */
    int lazy;
    long long lazy_bytes, lazy_flushed;
    buf copied; /* splice_bytes' */
};

/* Bytes read of the previous file at once. */
#define SPLICE_WINDOW ((size_t)1 << 20)

splice_stream *splice_new(const splice_map *m, const char *rel, const char *hex, int fd)
{
    splice_stream *sp = xcalloc(1, sizeof *sp);
    sp->fd = fd;
    buf_init(&sp->now);
    buf_init(&sp->scratch);
    buf_init(&sp->states_now);
    buf_init(&sp->copied);
    const section *s = find_section(m, rel, hex);
    struct stat st;
    if (!s || fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != (off_t)s->size)
        return sp;
    sp->old = xcalloc(s->n ? s->n : 1, sizeof *sp->old);
    const char *p = s->lines;
    long long off = 0;
    for (size_t i = 0; i < s->n; i++) {
        const char *nul = p + strlen(p);
        long long len = 0;
        number(&p, nul + 1, ' ', &len); /* checked when the map was read */
        sp->old[i].key = p;
        sp->old[i].off = off;
        sp->old[i].len = len;
        off += len;
        p = nul + 1;
    }
    sp->n_old = s->n;
    if (s->n_states) {
        const char **states = xmalloc(s->n_states * sizeof *states);
        sp->old_state_at = xmalloc(s->n_states * sizeof *sp->old_state_at);
        p = s->states;
        for (size_t i = 0; i < s->n_states; i++) {
            const char *nul = p + strlen(p);
            number(&p, nul + 1, ' ', &sp->old_state_at[i]); /* checked when read */
            states[i] = p;
            p = nul + 1;
        }
        sp->old_states = states;
        sp->n_old_states = s->n_states;
    }
    return sp;
}

void splice_free(splice_stream *sp)
{
    if (!sp)
        return;
    if (sp->fd >= 0)
        close(sp->fd);
    free(sp->old);
    free((void *)sp->old_states);
    free(sp->old_state_at);
    buf_release(&sp->now);
    buf_release(&sp->scratch);
    buf_release(&sp->states_now);
    buf_release(&sp->copied);
    map_free(sp->by_key);
    free(sp->win);
    free(sp);
}

size_t splice_count(const splice_stream *sp)
{
    return sp->n_old;
}

const char *splice_key(const splice_stream *sp, size_t i)
{
    return i < sp->n_old ? sp->old[i].key : NULL;
}

long splice_find(splice_stream *sp, const char *key)
{
    if (!sp->n_old)
        return -1;
    if (!sp->by_key) {
        sp->by_key = map_new();
        for (size_t i = 0; i < sp->n_old; i++)
            map_put(sp->by_key, sp->old[i].key, (void *)(intptr_t)(i + 1));
    }
    intptr_t k = (intptr_t)map_get(sp->by_key, key);
    return k ? (long)(k - 1) : -1;
}

int splice_peek(splice_stream *sp, size_t i, buf *out)
{
    if (i >= sp->n_old)
        return -1;
    const seg *s = &sp->old[i];
    size_t len = (size_t)s->len;
    if (s->off < sp->win_off || s->off + s->len > sp->win_off + (long long)sp->win_len) {
        /* Not in the window: read from the segment on, as much as the
         * window holds (a segment larger than that, alone). */
        if (len > SPLICE_WINDOW) {
            buf_grow(out, len);
            if (fs_pread_all(sp->fd, out->data + out->len, len, (off_t)s->off) != 0) {
                out->data[out->len] = '\0';
                return -1;
            }
            out->len += len;
            out->data[out->len] = '\0';
            return 0;
        }
        const seg *last = &sp->old[sp->n_old - 1];
        long long left = last->off + last->len - s->off;
        size_t want = left < (long long)SPLICE_WINDOW ? (size_t)left : SPLICE_WINDOW;
        if (!sp->win)
            sp->win = xmalloc(SPLICE_WINDOW);
        sp->win_len = 0;
        if (fs_pread_all(sp->fd, sp->win, want, (off_t)s->off) != 0)
            return -1;
        sp->win_off = s->off;
        sp->win_len = want;
    }
    buf_add(out, sp->win + (s->off - sp->win_off), len);
    return 0;
}

int splice_take(splice_stream *sp, size_t i, buf *out)
{
    if (i >= sp->n_old)
        return -1;
    if (sp->lazy && out->len == 0 && sp->size_now == sp->lazy_bytes &&
        sp->old[i].off == sp->size_now) {
        /* The next of the previous file's first bytes: left where it is. */
        sp->lazy_bytes += sp->old[i].len;
        splice_took(sp, i);
        return 0;
    }
    if (splice_peek(sp, i, out) != 0)
        return -1;
    splice_took(sp, i);
    return 0;
}

void splice_lazy(splice_stream *sp)
{
    sp->lazy = sp->fd >= 0 && sp->n_old > 0 && sp->size_now == 0;
}

void splice_produced(splice_stream *sp)
{
    sp->lazy = 0;
}

int splice_lazy_flush(splice_stream *sp, int fd, long long *n)
{
    *n = sp->lazy_bytes - sp->lazy_flushed;
    if (!*n)
        return 0;
    /* On tmpfs a page cache copy in the kernel: nothing read in here. */
    if (fs_copy_range(sp->fd, (off_t)sp->lazy_flushed, fd, *n) != 0)
        return -1;
    sp->lazy_flushed = sp->lazy_bytes;
    return 0;
}

const char *splice_bytes(splice_stream *sp, size_t i, const buf *out, size_t from)
{
    if (i < sp->n_old && (long long)(out->len - from) == sp->old[i].len)
        return out->data + from;
    buf_reset(&sp->copied);
    return splice_peek(sp, i, &sp->copied) == 0 ? sp->copied.data : NULL;
}

void splice_extent(const splice_stream *sp, size_t i, long long *off, long long *len)
{
    *off = sp->old[i].off;
    *len = sp->old[i].len;
}

void splice_took(splice_stream *sp, size_t i)
{
    if (sp->same == sp->size_now && sp->old[i].off == sp->size_now)
        sp->same += sp->old[i].len;
    sp->taken += sp->old[i].len;
    splice_mark(sp, sp->old[i].key, (size_t)sp->old[i].len);
}

long splice_segment(splice_stream *sp, const char *key, long hint, buf *out,
                    int (*make)(void *ctx, buf *into), void *ctx, int check, size_t *differing)
{
    long k = hint >= 0 && (size_t)hint < sp->n_old && !strcmp(sp->old[hint].key, key)
                 ? hint
                 : splice_find(sp, key);
    size_t from = out->len;
    if (k >= 0 && splice_take(sp, (size_t)k, out) == 0) {
        if (check) {
            buf_reset(&sp->scratch);
            if (make(ctx, &sp->scratch) != 0)
                return -2;
            const char *was = splice_bytes(sp, (size_t)k, out, from);
            if (!was || (long long)sp->scratch.len != sp->old[k].len ||
                memcmp(sp->scratch.data, was, sp->scratch.len) != 0)
                (*differing)++;
        }
        return k;
    }
    if (make(ctx, out) != 0)
        return -2;
    splice_mark_made(sp, key, out->data + from, out->len - from);
    return -1;
}

/* Whether the previous file holds data[0..len) at byte `at` (read through
 * the window, as segments are). */
static int old_holds(splice_stream *sp, long long at, const char *data, size_t len)
{
    if (sp->fd < 0 || !sp->n_old)
        return 0;
    const seg *last = &sp->old[sp->n_old - 1];
    if (at + (long long)len > last->off + last->len)
        return 0;
    if (at < sp->win_off || at + (long long)len > sp->win_off + (long long)sp->win_len) {
        if (len > SPLICE_WINDOW)
            return 0;
        long long left = last->off + last->len - at;
        size_t want = left < (long long)SPLICE_WINDOW ? (size_t)left : SPLICE_WINDOW;
        if (!sp->win)
            sp->win = xmalloc(SPLICE_WINDOW);
        sp->win_len = 0;
        if (fs_pread_all(sp->fd, sp->win, want, (off_t)at) != 0)
            return 0;
        sp->win_off = at;
        sp->win_len = want;
    }
    return memcmp(sp->win + (at - sp->win_off), data, len) == 0;
}

void splice_mark_made(splice_stream *sp, const char *key, const char *data, size_t len)
{
    /* Made anew, but the same bytes at the same place as the previous
     * file's (a head whose key changed, not its text): still the previous
     * file's own, whose digest need not be made again. */
    if (sp->same == sp->size_now && old_holds(sp, sp->size_now, data, len))
        sp->same += (long long)len;
    splice_mark(sp, key, len);
}

void splice_mark_made_in(splice_stream *sp, const char *key, buf *out, size_t from)
{
    size_t len = out->len - from;
    if (sp->lazy && from == 0 && sp->size_now == sp->lazy_bytes &&
        old_holds(sp, sp->size_now, out->data, len)) {
        /* The previous file's next first bytes, made again: left to the
         * writer's copy of them, as if taken (splice_take). */
        sp->lazy_bytes += (long long)len;
        sp->same += (long long)len;
        splice_mark(sp, key, len);
        buf_reset(out);
        return;
    }
    splice_mark_made(sp, key, out->data + from, len);
}

void splice_mark(splice_stream *sp, const char *key, size_t len)
{
    char digits[24];
    size_t d = sizeof digits;
    size_t v = len;
    do
        digits[--d] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    buf_add(&sp->now, digits + d, sizeof digits - d);
    buf_addc(&sp->now, ' ');
    size_t k = strlen(key);
    buf_add(&sp->now, key, k);
    buf_addc(&sp->now, '\n');
    sp->n_now++;
    sp->size_now += (long long)len;
    if (memchr(key, '\n', k))
        sp->unkeepable = 1;
}

long long splice_taken(const splice_stream *sp)
{
    return sp->taken;
}

long long splice_size(const splice_stream *sp)
{
    return sp->size_now;
}

void splice_write_text(buf *out, const splice_stream *sp, const char *rel, const char *hex)
{
    if (sp->unkeepable || strchr(rel, '\n') || strlen(hex) != DIGEST_HEX - 1)
        return;
    buf_printf(out, "file %s %lld %zu %zu %s\n", hex, sp->size_now, sp->n_now, sp->n_states_now,
               rel);
    buf_add(out, sp->now.data, sp->now.len);
    buf_add(out, sp->states_now.data, sp->states_now.len);
}

long long splice_same(const splice_stream *sp)
{
    return sp->same;
}

int splice_state_at(const splice_stream *sp, long long upto, long long *at, char state[DIGEST_HEX])
{
    size_t lo = 0, hi = sp->n_old_states; /* the first state past upto */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sp->old_state_at[mid] <= upto)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo)
        return -1;
    *at = sp->old_state_at[lo - 1];
    memcpy(state, sp->old_states[lo - 1], DIGEST_HEX - 1);
    state[DIGEST_HEX - 1] = '\0';
    return 0;
}

void splice_state_add(splice_stream *sp, long long at, const char *state)
{
    buf_printf(&sp->states_now, "%lld %s\n", at, state);
    sp->n_states_now++;
}

void splice_states_forget(splice_stream *sp)
{
    buf_reset(&sp->states_now);
    sp->n_states_now = 0;
}

int splice_read_old(splice_stream *sp, long long off, size_t len, buf *out)
{
    buf_grow(out, len);
    if (sp->fd < 0 || fs_pread_all(sp->fd, out->data + out->len, len, (off_t)off) != 0)
        return -1;
    out->len += len;
    out->data[out->len] = '\0';
    return 0;
}
