/* fuzz_packread: history_pack_read on any bytes, as a git pack file
 * (objects/pack/pack-*.pack, which comes with whatever repository charter
 * is pointed at), through one reader per input. Offsets read: 0, 11, every
 * one from 12 to 76, each entry met walking the input as git writes a pack,
 * four taken from its bytes 12-19, and some past its end. Each is read
 * twice (the second time from the blobs the reader keeps), under another
 * pack number, and in a pack of zeros. Checks: the contract, the reads
 * agree, a whole blob is its data inflated. tests/fuzz/README.md. */
#include "fuzz.h"

#include "history_int.h"

#include <libdeflate.h>

/* The layout, counted here rather than taken from history_pack.c: a
 * 12-byte header, then entries: a byte of type (bits 4-6) and size (bits
 * 0-3, more in 7-bit groups while bit 7 is set), for an offset delta
 * (type 6) the distance back to its base, for a delta by id (7) the base's
 * 20-byte id, then the zlib data. */
enum { HEADER = 12, SPAN = 64, MAX_ENTRIES = 256, BLOB = 3, OFS_DELTA = 6, REF_DELTA = 7 };
#define MAX ((size_t)1 << 16)

typedef struct ctx {
    pack_reader *r;
    const unsigned char *in, *zeros; /* the input; as many zeros */
    size_t len;
} ctx;

static void check_same(const buf *a, const buf *b)
{
    FUZZ_CHECK(a->len == b->len && memcmp(a->data, b->data, a->len) == 0);
}

/* Reads the entry at offset of the input (pack 1) into out, checks it and
 * returns what the read returned. Then reads it again, and under pack
 * number 2, which must give the same; and at that offset of the zeros as
 * pack 3, which must fail (type 0), though the reader keeps pack 1's blobs
 * there. (Under pack 2, where the reader keeps other blobs, a chain of over
 * 4,096 deltas could end otherwise: some 12 bytes each, too long here.) */
static int read_at(ctx *c, uint64_t offset, buf *out)
{
    buf again, other, none;
    buf_init(&again);
    buf_init(&other);
    buf_init(&none);
    int rc = history_pack_read(c->r, c->in, c->len, 1, offset, MAX, out);
    FUZZ_CHECK(rc == 0 || rc == -1);
    if (offset >= c->len)
        FUZZ_CHECK(rc == -1);
    else if ((c->in[offset] >> 4 & 7) != BLOB && (c->in[offset] >> 4 & 7) != OFS_DELTA)
        FUZZ_CHECK(rc == -1); /* a delta by id, a commit, a tree */
    if (rc == 0) {
        FUZZ_CHECK(out->len <= MAX);
        FUZZ_CHECK(out->data[out->len] == '\0');
    }
    FUZZ_CHECK(history_pack_read(c->r, c->in, c->len, 1, offset, MAX, &again) == rc);
    FUZZ_CHECK(history_pack_read(c->r, c->in, c->len, 2, offset, MAX, &other) == rc);
    if (rc == 0) {
        check_same(out, &again);
        check_same(out, &other);
    }
    FUZZ_CHECK(history_pack_read(c->r, c->zeros, c->len, 3, offset, MAX, &none) == -1);
    if (getenv("FUZZ_DEBUG")) /* what each offset read gave: for writing seeds */
        fprintf(stderr, "offset %llu: %d, %zu bytes\n", (unsigned long long)offset, rc,
                rc == 0 ? out->len : 0);
    buf_release(&again);
    buf_release(&other);
    buf_release(&none);
    return rc;
}

/* A delta's varint (its base's size, then its result's) from p[0..n) at
 * *at: 0, or -1 when it runs off the end. */
static int delta_varint(const unsigned char *p, size_t n, size_t *at, uint64_t *v)
{
    *v = 0;
    for (int shift = 0;; shift += 7) {
        if (*at == n || shift > 63)
            return -1;
        unsigned b = p[(*at)++];
        *v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return 0;
    }
}

/* Walks the entries from the header, each after the zlib data of the last,
 * as git writes them, up to the first that does not parse or inflate, and
 * reads each: a whole blob is its zlib data inflated (exactly its declared
 * size, up to MAX), or fails; an offset delta read makes what it declares
 * from a base that reads as the size it declares. */
static void walk(ctx *c, struct libdeflate_decompressor *z, unsigned char *scratch)
{
    const unsigned char *end = c->in + c->len;
    uint64_t at = HEADER;
    buf out, base;
    buf_init(&out);
    buf_init(&base);
    for (int k = 0; k < MAX_ENTRIES && at < c->len; k++) {
        const unsigned char *p = c->in + at;
        unsigned b = *p++;
        int type = b >> 4 & 7;
        uint64_t size = b & 15, back = 0;
        for (int shift = 4; b & 0x80; shift += 7) {
            if (p == end || shift > 57)
                goto done;
            b = *p++;
            size |= (uint64_t)(b & 0x7f) << shift;
        }
        if (type == OFS_DELTA) {
            if (p == end)
                goto done;
            b = *p++;
            back = b & 0x7f;
            while (b & 0x80) {
                if (p == end || back > (UINT64_MAX >> 7) - 1)
                    goto done;
                b = *p++;
                back = ((back + 1) << 7) | (b & 0x7f);
            }
        } else if (type == REF_DELTA) {
            if (end - p < GIT_OID_RAWSZ)
                goto done;
            p += GIT_OID_RAWSZ;
        }
        size_t used = 0, made = 0;
        int inflated = size <= 4 * MAX &&
                       libdeflate_zlib_decompress_ex(z, p, (size_t)(end - p), scratch, size, &used,
                                                     &made) == LIBDEFLATE_SUCCESS &&
                       made == size;
        int rc = read_at(c, at, &out);
        if (type == BLOB) {
            FUZZ_CHECK(rc == (inflated && size <= MAX ? 0 : -1));
            if (rc == 0)
                FUZZ_CHECK(out.len == size && memcmp(out.data, scratch, size) == 0);
        } else if (type == OFS_DELTA && rc == 0) {
            size_t pos = 0;
            uint64_t from, to;
            FUZZ_CHECK(inflated && back != 0 && back <= at - HEADER);
            FUZZ_CHECK(delta_varint(scratch, size, &pos, &from) == 0 &&
                       delta_varint(scratch, size, &pos, &to) == 0);
            FUZZ_CHECK(out.len == to);
            FUZZ_CHECK(read_at(c, at - back, &base) == 0 && base.len == from);
        }
        if (!inflated)
            break;
        at = (uint64_t)(p - c->in) + used;
    }
done:
    buf_release(&out);
    buf_release(&base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A delta may inflate to four times what a blob may make. */
    static unsigned char scratch[4 * MAX + 1];
    /* Exact-size copies: ASan then reports a read one past the end. */
    unsigned char *in = malloc(size ? size : 1), *zeros = calloc(size ? size : 1, 1);
    struct libdeflate_decompressor *z = libdeflate_alloc_decompressor();
    FUZZ_CHECK(in != NULL && zeros != NULL && z != NULL);
    if (size)
        memcpy(in, data, size);
    ctx c = {history_pack_reader_new(), in, zeros, size};
    buf out;
    buf_init(&out);

    for (uint64_t off = HEADER; off <= size && off <= HEADER + SPAN; off++)
        read_at(&c, off, &out);
    walk(&c, z, scratch);
    /* Four offsets from the input's bytes 12-19 (little-endian), modulo
     * its length plus 16 so that some lie past its end; then below the
     * header and past the end. */
    for (size_t i = 0; i < 4 && size >= HEADER + 8; i++)
        read_at(&c, (uint64_t)(in[HEADER + 2 * i] | in[HEADER + 2 * i + 1] << 8) % (size + 16),
                &out);
    uint64_t fixed[] = {0, HEADER - 1, size, (uint64_t)size + 1, (uint64_t)1 << 40, UINT64_MAX};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        read_at(&c, fixed[i], &out);

    buf_release(&out);
    history_pack_reader_free(c.r);
    libdeflate_free_decompressor(z);
    free(zeros);
    free(in);
    return 0;
}
