/* history_pack: where blobs lie in the repository's packs, read from the
 * packs' indexes (objects/pack/pack-*.idx), so that history_blobs reads
 * them in the order libgit2's cache of delta bases serves best. libgit2
 * has no call that tells an object's place in its pack. Only an order: an
 * index that cannot be read or is damaged, or a blob in no pack (a loose
 * object, an alternate's), costs speed, never a result. */
#include "history_int.h"

#include "fs.h"

#include <fcntl.h>
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
 * bytes in *len. NULL when it cannot be, or is over IDX_MAP_MAX. */
static const unsigned char *map_index(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return NULL;
    struct stat st;
    void *m = MAP_FAILED;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uintmax_t)st.st_size <= (uintmax_t)IDX_MAP_MAX) {
        *len = (size_t)st.st_size;
        m = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
    }
    close(fd);
    return m == MAP_FAILED ? NULL : m;
}

void history_pack_places(pack_place *places, const git_oid *ids, size_t n, const char *commondir)
{
    memset(places, 0, n * sizeof *places);
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
        const unsigned char *idx = map_index(path.data, &len);
        if (!idx)
            continue;
        int found = history_pack_lookup(offsets, idx, len, ids, n) == 0;
        munmap((void *)idx, len);
        if (!found)
            continue;
        pack++;
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
