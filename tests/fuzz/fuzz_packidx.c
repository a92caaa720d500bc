/* fuzz_packidx: history_pack_lookup on any bytes, as a pack index of
 * version 2 read from a repository's objects/pack (a file that comes with
 * whatever repository charter is pointed at). The ids looked up: three
 * fixed ones (all zero, all 0xff, one starting 0x01), the input's own
 * first, middle and last table entries, and a near miss, so the found path
 * and large offsets run. Checks: the documented contract, and every id
 * found is in the input's table with the offset its entry gives.
 * tests/fuzz/README.md. */
#include "fuzz.h"

#include "history_int.h"

/* The layout, counted here rather than taken from history_pack.c: an 8-byte
 * header, 256 fanout counts, then per object a 20-byte id, a CRC and a
 * 4-byte offset, the 8-byte large offsets, and a 40-byte trailer. */
enum { HEADER = 8, FANOUT = 256 * 4, TABLE = HEADER + FANOUT, TRAILER = 40, RAW = GIT_OID_RAWSZ };
enum { MAX_IDS = 12 };

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* What entry k of a table of `count` that fits in in[0..len) says its
 * offset is: UINT64_MAX for a large one whose slot is not wholly between
 * the 4-byte offsets and the trailer. */
static uint64_t entry_offset(const unsigned char *in, size_t len, size_t count, size_t k)
{
    uint32_t off = get32(in + TABLE + count * (RAW + 4) + k * 4);
    if (!(off & 0x80000000u))
        return off;
    size_t slot = TABLE + count * (RAW + 8) + (size_t)(off & 0x7fffffffu) * 8;
    if (slot + 8 > len - TRAILER)
        return UINT64_MAX;
    return (uint64_t)get32(in + slot) << 32 | get32(in + slot + 4);
}

/* 1 when the table's ids ascend strictly and each fanout count is the
 * number of ids whose first byte is at most its own: git's index, in which
 * every id of the table must be found. */
static int table_sound(const unsigned char *in, size_t count)
{
    size_t k = 0;
    for (unsigned b = 0; b < 256; b++) {
        while (k < count && in[TABLE + k * RAW] == b)
            k++;
        if (get32(in + HEADER + 4 * b) != k)
            return 0;
    }
    for (k = 1; k < count; k++)
        if (memcmp(in + TABLE + (k - 1) * RAW, in + TABLE + k * RAW, RAW) >= 0)
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned char magic[] = {0xff, 't', 'O', 'c', 0, 0, 0, 2};
    /* An exact-size copy: ASan then reports a read one past the end. */
    unsigned char *in = malloc(size ? size : 1);
    FUZZ_CHECK(in != NULL);
    if (size)
        memcpy(in, data, size);

    git_oid ids[MAX_IDS];
    memset(ids, 0, sizeof ids);
    size_t n = 1; /* ids[0]: all zero */
    memset(ids[n++].id, 0xff, RAW);
    ids[n++].id[0] = 0x01;
    size_t count = size >= TABLE ? get32(in + HEADER + 4 * 255) : 0;
    size_t pick[] = {0, 1, 2, 3, count / 2, count ? count - 1 : 0};
    for (size_t j = 0; j < sizeof pick / sizeof pick[0]; j++)
        if (size >= TABLE && pick[j] < (size - TABLE) / RAW)
            memcpy(ids[n++].id, in + TABLE + pick[j] * RAW, RAW);
    if (size >= TABLE + RAW) { /* the first entry, its last bit flipped */
        memcpy(ids[n].id, in + TABLE, RAW);
        ids[n++].id[RAW - 1] ^= 1;
    }

    /* Two calls over different fillings: an offset left unwritten shows as
     * a difference (any value may be a real large offset, so no one filling
     * can tell "untouched"). */
    uint64_t offsets[MAX_IDS], again[MAX_IDS];
    memset(offsets, 0x5a, sizeof offsets);
    memset(again, 0xa5, sizeof again);
    int rc = history_pack_lookup(offsets, in, size, ids, n);
    FUZZ_CHECK(rc == 0 || rc == -1);
    FUZZ_CHECK(history_pack_lookup(again, in, size, ids, n) == rc);

    /* Its contract: 0 exactly for an index of version 2 (magic, ascending
     * fanout) whose ids, CRCs and offsets fit before the trailer. */
    int monotone = size >= TABLE;
    for (size_t b = 1; monotone && b < 256; b++)
        monotone = get32(in + HEADER + 4 * b) >= get32(in + HEADER + 4 * (b - 1));
    int valid = size >= TABLE + TRAILER && !memcmp(in, magic, sizeof magic) && monotone &&
                count <= (size - TABLE - TRAILER) / (RAW + 8);
    FUZZ_CHECK(rc == (valid ? 0 : -1));
    if (rc != 0) {
        for (size_t i = 0; i < MAX_IDS; i++)
            FUZZ_CHECK(offsets[i] == 0x5a5a5a5a5a5a5a5au && again[i] == 0xa5a5a5a5a5a5a5a5u);
        free(in);
        return 0;
    }

    int sound = table_sound(in, count);
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(offsets[i] == again[i]);
        /* Found: some entry of the table holds the id and that offset. */
        int seen = 0, matched = 0;
        for (size_t k = 0; k < count; k++) {
            if (memcmp(in + TABLE + k * RAW, ids[i].id, RAW) != 0)
                continue;
            seen = 1;
            uint64_t want = entry_offset(in, size, count, k);
            matched |= want == offsets[i];
            if (sound) /* ids unique: the entry's offset, found or not */
                FUZZ_CHECK(want == offsets[i]);
        }
        if (offsets[i] != UINT64_MAX)
            FUZZ_CHECK(seen && matched);
    }
    free(in);
    return 0;
}
