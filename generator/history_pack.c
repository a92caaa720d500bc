/* history_pack: where blobs lie in the repository's packs, read from the
 * packs' indexes (objects/pack/pack-*.idx), so that history_blobs reads
 * them pack by pack, each from its end back; and reading a blob there
 * (history_pack_read), its deltas applied, inflated by libdeflate: half
 * the time of libgit2 with zlib. libgit2 has no call that tells an
 * object's place. An index or a pack that cannot be read or is damaged, a
 * blob in no pack (a loose object, an alternate's) or one stored as a
 * delta by id only costs speed: libgit2 reads it. */
#include "history_int.h"

#include "fs.h"

#include <fcntl.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* An index of version 2 (git's since 1.5.2): a header, 256 cumulative
 * counts by first byte, the sorted ids, their CRCs, their offsets (the
 * high bit naming a slot of the 8-byte offsets that follow), then the
 * pack's and the index's checksums. */
#define IDX_HEADER 8
#define IDX_FANOUT (256 * 4)
#define IDX_TRAILER (2 * GIT_OID_RAWSZ)

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int history_pack_lookup(uint64_t *offsets, const unsigned char *idx, size_t len, const git_oid *ids,
                        size_t n)
{
    static const unsigned char magic[] = {0xff, 't', 'O', 'c', 0, 0, 0, 2};
    if (len < IDX_HEADER + IDX_FANOUT + IDX_TRAILER || memcmp(idx, magic, sizeof magic) != 0)
        return -1;
    const unsigned char *fanout = idx + IDX_HEADER;
    for (size_t b = 1; b < 256; b++)
        if (be32(fanout + 4 * b) < be32(fanout + 4 * (b - 1)))
            return -1;
    size_t count = be32(fanout + 4 * 255);
    size_t room = len - IDX_HEADER - IDX_FANOUT - IDX_TRAILER;
    /* The ids, CRCs and offsets: 28 bytes an object, then 8 a large offset. */
    if (count > room / (GIT_OID_RAWSZ + 8))
        return -1;
    const unsigned char *sorted = fanout + IDX_FANOUT;
    const unsigned char *small = sorted + count * (GIT_OID_RAWSZ + 4);
    const unsigned char *large = small + count * 4;
    size_t n_large = (room - count * (GIT_OID_RAWSZ + 8)) / 8;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *id = ids[i].id;
        size_t lo = id[0] ? be32(fanout + 4 * (id[0] - 1)) : 0, hi = be32(fanout + 4 * id[0]);
        offsets[i] = UINT64_MAX;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = memcmp(sorted + mid * GIT_OID_RAWSZ, id, GIT_OID_RAWSZ);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid;
            } else {
                uint32_t off = be32(small + mid * 4);
                if (!(off & 0x80000000u)) {
                    offsets[i] = off;
                } else if ((off & 0x7fffffffu) < n_large) {
                    const unsigned char *p = large + (size_t)(off & 0x7fffffffu) * 8;
                    offsets[i] = (uint64_t)be32(p) << 32 | be32(p + 4);
                }
                break;
            }
        }
    }
    return 0;
}

/* Maps the regular file at path (never through a link) read-only: its
 * bytes in *len. NULL when it cannot be, or is not over `over` bytes and
 * at most `max`. */
static const unsigned char *map_file(const char *path, uint64_t over, uint64_t max, size_t *len)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return NULL;
    struct stat st;
    void *m = MAP_FAILED;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uintmax_t)st.st_size > over &&
        (uintmax_t)st.st_size <= max) {
        *len = (size_t)st.st_size;
        m = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
    }
    close(fd);
    return m == MAP_FAILED ? NULL : m;
}

void history_pack_places(pack_place *places, char ***packs, const git_oid *ids, size_t n,
                         const char *commondir)
{
    memset(places, 0, n * sizeof *places);
    size_t n_packs = 0;
    if (packs)
        *packs = xcalloc(IDX_FILES_MAX + 1, sizeof **packs);
    char **names = NULL;
    buf dir, path;
    buf_init(&dir);
    buf_init(&path);
    uint64_t *offsets = xmalloc((n ? n : 1) * sizeof *offsets);
    diags *quiet = diag_new(NULL);
    buf_printf(&dir, "%s%sobjects/pack", commondir,
               *commondir && commondir[strlen(commondir) - 1] != '/' ? "/" : "");
    if (fs_list(&names, dir.data, 1, quiet) != 0 || !names)
        goto done;
    uint32_t pack = 0;
    for (size_t k = 0; names[k] && pack < IDX_FILES_MAX; k++) {
        size_t l = strlen(names[k]), len = 0;
        if (l < 9 || strncmp(names[k], "pack-", 5) != 0 || strcmp(names[k] + l - 4, ".idx") != 0)
            continue;
        buf_reset(&path);
        buf_printf(&path, "%s/%s", dir.data, names[k]);
        /* Mapped, as libgit2 maps it: a binary search touches a few of its
         * pages, and a large repository's index is hundreds of MB. */
        const unsigned char *idx = map_file(path.data, 0, IDX_MAP_MAX, &len);
        if (!idx)
            continue;
        int found = history_pack_lookup(offsets, idx, len, ids, n) == 0;
        munmap((void *)idx, len);
        if (!found)
            continue;
        pack++;
        if (packs) {
            /* Its pack: the index's name with .pack for .idx. */
            buf_truncate(&path, path.len - 4);
            buf_adds(&path, ".pack");
            (*packs)[n_packs++] = xstrdup(path.data);
        }
        for (size_t i = 0; i < n; i++)
            if (!places[i].pack && offsets[i] != UINT64_MAX)
                places[i] = (pack_place){pack, offsets[i]};
    }
done:
    fs_list_free(names);
    diag_free(quiet);
    free(offsets);
    buf_release(&path);
    buf_release(&dir);
}

/* --- reading blobs from their packs ------------------------------------------- */

const char *history_libdeflate_version(void)
{
    return LIBDEFLATE_VERSION_STRING;
}

/* A pack's header: "PACK", version 2 or 3, the object count. */
#define PACK_HEADER 12
/* git never makes a chain of deltas longer than 4,095 (pack.depth). */
#define CHAIN_MAX 4096
/* Blobs kept resolved, by their place, for the deltas that build on them:
 * a direct-mapped table. Reading each pack from its end back, a delta's
 * base is met a little before it: 256 slots inflated 9% more than all. */
#define KEPT_SLOTS 1024
#define KEPT_MAX ((size_t)256 << 10) /* larger blobs are not kept */
/* What a reader keeps in all: past it, it forgets everything and starts
 * again (as libgit2's cache of delta bases does), so large blobs cannot
 * make it hold 1,024 times 256 KB. A delta's base is most often the blob
 * read just before it. */
#define KEPT_BYTES ((size_t)4 << 20)

typedef struct kept {
    uint32_t pack;
    uint64_t offset;
    unsigned char *data; /* NULL: an empty slot */
    size_t len;
} kept;

struct pack_reader {
    struct libdeflate_decompressor *z;
    kept slot[KEPT_SLOTS];
    size_t kept_bytes;
    buf delta, next; /* a delta inflated; the blob it makes */
    uint64_t chain[CHAIN_MAX];
};

pack_reader *history_pack_reader_new(void)
{
    pack_reader *r = xcalloc(1, sizeof *r);
    r->z = libdeflate_alloc_decompressor(); /* NULL: every read fails over to libgit2 */
    buf_init(&r->delta);
    buf_init(&r->next);
    return r;
}

void history_pack_reader_free(pack_reader *r)
{
    if (!r)
        return;
    libdeflate_free_decompressor(r->z);
    for (size_t i = 0; i < KEPT_SLOTS; i++)
        free(r->slot[i].data);
    buf_release(&r->delta);
    buf_release(&r->next);
    free(r);
}

size_t history_pack_reader_kept(const pack_reader *r)
{
    return r->kept_bytes;
}

static kept *kept_slot(pack_reader *r, uint32_t pack, uint64_t offset)
{
    uint64_t h = (offset ^ (uint64_t)pack << 56) * 0x9e3779b97f4a7c15ull;
    return &r->slot[h >> 54 & (KEPT_SLOTS - 1)];
}

static void keep(pack_reader *r, uint32_t pack, uint64_t offset, const buf *b)
{
    if (b->len > KEPT_MAX)
        return;
    if (r->kept_bytes + b->len > KEPT_BYTES) {
        for (size_t i = 0; i < KEPT_SLOTS; i++) {
            free(r->slot[i].data);
            r->slot[i].data = NULL;
        }
        r->kept_bytes = 0;
    }
    kept *k = kept_slot(r, pack, offset);
    if (k->data)
        r->kept_bytes -= k->len;
    r->kept_bytes += b->len;
    free(k->data);
    k->data = xmalloc(b->len ? b->len : 1);
    memcpy(k->data, b->data, b->len);
    k->len = b->len;
    k->pack = pack;
    k->offset = offset;
}

/* The header of the entry at offset in pack[0..len): its type, its size
 * (inflated), where its zlib data starts and, for an offset delta, its
 * base's offset (before it). -1 when it runs past the pack, declares a
 * size past `max`, or an offset delta's base is not before it. */
static int entry_header(const unsigned char *pack, size_t len, uint64_t offset, size_t max,
                        int *type, size_t *size, uint64_t *data, uint64_t *base)
{
    if (offset < PACK_HEADER || offset >= len)
        return -1;
    const unsigned char *p = pack + offset, *end = pack + len;
    unsigned c = *p++;
    *type = (int)(c >> 4 & 7);
    uint64_t s = c & 15;
    for (int shift = 4; c & 0x80; shift += 7) {
        if (p == end || shift > 57)
            return -1;
        c = *p++;
        s |= (uint64_t)(c & 0x7f) << shift;
    }
    if (s > max)
        return -1;
    *size = (size_t)s;
    if (*type == 6) {
        /* git's offset encoding: each further byte adds one before its
         * shift, so no two encodings name one distance. */
        if (p == end)
            return -1;
        c = *p++;
        uint64_t back = c & 0x7f;
        while (c & 0x80) {
            if (p == end || back > (UINT64_MAX >> 7) - 1)
                return -1;
            c = *p++;
            back = ((back + 1) << 7) | (c & 0x7f);
        }
        if (back == 0 || back > offset - PACK_HEADER)
            return -1;
        *base = offset - back;
    }
    *data = (uint64_t)(p - pack);
    return 0;
}

/* Inflates the zlib data at pack[at..len) into out, which must come to
 * exactly size bytes. */
static int inflate_exact(pack_reader *r, const unsigned char *pack, size_t len, uint64_t at,
                         size_t size, buf *out)
{
    buf_reset(out);
    buf_grow(out, size);
    size_t used_in = 0, made = 0;
    if (at >= len ||
        libdeflate_zlib_decompress_ex(r->z, pack + at, len - at, out->data, size, &used_in,
                                      &made) != LIBDEFLATE_SUCCESS ||
        made != size)
        return -1;
    out->len = size;
    out->data[size] = '\0';
    return 0;
}

static size_t delta_size(const unsigned char **p, const unsigned char *end, int *bad)
{
    uint64_t v = 0;
    unsigned c;
    int shift = 0;
    do {
        if (*p == end || shift > 57) {
            *bad = 1;
            return 0;
        }
        c = *(*p)++;
        v |= (uint64_t)(c & 0x7f) << shift;
        shift += 7;
    } while (c & 0x80);
    if (v > SIZE_MAX / 2)
        *bad = 1;
    return (size_t)v;
}

/* Applies git's delta d to base into out, at most max bytes: -1 when the
 * delta names another base size, copies from past the base's end, or does
 * not make exactly the size it declares. */
static int apply_delta(const buf *d, const unsigned char *base, size_t base_len, size_t max,
                       buf *out)
{
    const unsigned char *p = (const unsigned char *)d->data, *end = p + d->len;
    int bad = 0;
    size_t from = delta_size(&p, end, &bad), size = delta_size(&p, end, &bad);
    if (bad || from != base_len || size > max)
        return -1;
    buf_reset(out);
    buf_grow(out, size);
    unsigned char *o = (unsigned char *)out->data;
    size_t made = 0;
    while (p < end) {
        unsigned op = *p++;
        size_t at = 0, n = 0;
        if (op & 0x80) {
            for (int i = 0; i < 4; i++)
                if (op & 1u << i) {
                    if (p == end)
                        return -1;
                    at |= (size_t)*p++ << 8 * i;
                }
            for (int i = 0; i < 3; i++)
                if (op & 0x10u << i) {
                    if (p == end)
                        return -1;
                    n |= (size_t)*p++ << 8 * i;
                }
            if (n == 0)
                n = 0x10000;
            if (at > base_len || n > base_len - at || n > size - made)
                return -1;
            memcpy(o + made, base + at, n);
        } else if (op) {
            n = op;
            if (n > (size_t)(end - p) || n > size - made)
                return -1;
            memcpy(o + made, p, n);
            p += n;
        } else {
            return -1; /* reserved */
        }
        made += n;
    }
    if (made != size)
        return -1;
    out->len = size;
    out->data[size] = '\0';
    return 0;
}

int history_pack_read(pack_reader *r, const unsigned char *pack, size_t len, uint32_t pack_no,
                      uint64_t offset, size_t max, buf *out)
{
    if (!r->z)
        return -1;
    /* Down the chain of offset deltas to a whole blob, or to one kept. */
    size_t depth = 0;
    const kept *found = NULL;
    int type = 0;
    size_t size = 0;
    uint64_t data = 0, base = 0, at = offset;
    for (;;) {
        const kept *k = kept_slot(r, pack_no, at);
        if (k->data && k->pack == pack_no && k->offset == at) {
            found = k;
            break;
        }
        /* A delta's inflated size bounds nothing of what it makes: each
         * is read up to four times what a blob may be. */
        if (entry_header(pack, len, at, 4 * max, &type, &size, &data, &base) != 0)
            return -1;
        if (type == 3)
            break;
        if (type != 6 || depth == CHAIN_MAX)
            return -1; /* a delta by id (a thin pack's), or no blob */
        r->chain[depth++] = at;
        at = base;
    }
    buf_reset(out);
    if (found) {
        buf_add(out, (const char *)found->data, found->len);
    } else {
        if (size > max || inflate_exact(r, pack, len, data, size, out) != 0)
            return -1;
        if (depth)
            keep(r, pack_no, at, out);
    }
    /* Then back up it, each delta applied to what the last made. */
    while (depth > 0) {
        uint64_t here = r->chain[--depth];
        if (entry_header(pack, len, here, 4 * max, &type, &size, &data, &base) != 0 ||
            inflate_exact(r, pack, len, data, size, &r->delta) != 0 ||
            apply_delta(&r->delta, (const unsigned char *)out->data, out->len, max, &r->next) != 0)
            return -1;
        buf t = *out;
        *out = r->next;
        r->next = t;
        keep(r, pack_no, here, out);
    }
    return 0;
}

const unsigned char *history_pack_map(const char *path, size_t *len)
{
    const unsigned char *p = map_file(path, PACK_HEADER, PACK_MAP_MAX, len);
    if (p && (memcmp(p, "PACK", 4) != 0 || be32(p + 4) < 2 || be32(p + 4) > 3)) {
        munmap((void *)p, *len);
        return NULL;
    }
    return p;
}
