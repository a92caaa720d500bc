/* digest: a thin wrapper over nettle's SHA-256 and libxxhash's XXH3 (see
 * digest.h): packaged, maintained and tested, where a hand-written digest
 * would be none of those. */
#include "digest.h"
#include "buf.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <nettle/version.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

/* Small additions (a key's fields, a few bytes each: four million of them
 * in a one-page edit at 10,000 pages) are gathered first and handed to
 * nettle together, a call each costing more than a copy. */
#define DIGEST_GATHER 512
#define DIGEST_SMALL 128

struct digest {
    struct sha256_ctx ctx;
    size_t n; /* bytes gathered in pend, not yet in ctx */
    uint8_t pend[DIGEST_GATHER];
};

digest *digest_new(void)
{
    digest *h = xmalloc(sizeof *h);
    sha256_init(&h->ctx);
    h->n = 0;
    return h;
}

static void flush(digest *h)
{
    if (h->n)
        sha256_update(&h->ctx, h->n, h->pend);
    h->n = 0;
}

void digest_free(digest *h)
{
    free(h);
}

void digest_add(digest *h, const void *data, size_t len)
{
    if (len <= DIGEST_SMALL) {
        if (h->n + len > DIGEST_GATHER)
            flush(h);
        memcpy(h->pend + h->n, data, len);
        h->n += len;
        return;
    }
    flush(h);
    sha256_update(&h->ctx, len, data);
}

void digest_add_str(digest *h, const char *s)
{
    digest_add(h, s ? "s" : "n", 1);
    if (s)
        digest_add(h, s, strlen(s) + 1);
}

void digest_add_long(digest *h, long v)
{
    digest_add(h, &v, sizeof v);
}

void digest_hex(digest *h, char hex[DIGEST_HEX])
{
    static const char digits[] = "0123456789abcdef";
    uint8_t d[SHA256_DIGEST_SIZE];
    flush(h);
    sha256_digest(&h->ctx, sizeof d, d); /* also resets the context */
    for (size_t i = 0; i < sizeof d; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = '\0';
}

int digest_state(digest *h, char out[DIGEST_HEX])
{
    static const char digits[] = "0123456789abcdef";
    flush(h);
    if (h->ctx.index != 0)
        return -1;
    for (size_t i = 0; i < 8; i++)
        for (int k = 7; k >= 0; k--)
            out[8 * i + (size_t)(7 - k)] = digits[(h->ctx.state[i] >> (4 * k)) & 15];
    out[64] = '\0';
    return 0;
}

int digest_resume(digest *h, const char *state, unsigned long long at)
{
    if (at % SHA256_BLOCK_SIZE || strnlen(state, 65) != 64 || digest_hex_span(state, 64) != 64)
        return -1;
    sha256_init(&h->ctx);
    h->n = 0;
    for (size_t i = 0; i < 8; i++) {
        uint32_t w = 0;
        for (size_t k = 0; k < 8; k++) {
            char c = state[8 * i + k];
            w = w << 4 | (uint32_t)(c <= '9' ? c - '0' : c - 'a' + 10);
        }
        h->ctx.state[i] = w;
    }
    h->ctx.count = at / SHA256_BLOCK_SIZE;
    h->ctx.index = 0;
    return 0;
}

struct digest_check {
    XXH3_state_t *state;
};

digest_check *digest_check_new(void)
{
    digest_check *c = xmalloc(sizeof *c);
    c->state = XXH3_createState();
    if (!c->state || XXH3_64bits_reset(c->state) != XXH_OK) {
        fputs("charter: out of memory\n", stderr);
        abort();
    }
    return c;
}

void digest_check_free(digest_check *c)
{
    if (!c)
        return;
    XXH3_freeState(c->state);
    free(c);
}

void digest_check_add(digest_check *c, const void *data, size_t len)
{
    XXH3_64bits_update(c->state, data, len);
}

static void check_hex(char hex[DIGEST_CHECK_HEX], unsigned long long v)
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, v >>= 4)
        hex[i] = digits[v & 15];
    hex[16] = '\0';
}

void digest_check_hex(digest_check *c, char hex[DIGEST_CHECK_HEX])
{
    check_hex(hex, (unsigned long long)XXH3_64bits_digest(c->state));
    XXH3_64bits_reset(c->state);
}

void digest_check_of(char hex[DIGEST_CHECK_HEX], const void *data, size_t len)
{
    check_hex(hex, (unsigned long long)XXH3_64bits(data, len));
}

uint64_t digest_table_hash(const void *data, size_t len)
{
    return (uint64_t)XXH3_64bits(data, len);
}

size_t digest_hex_span(const char *p, size_t room)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t n = 0, most = room < 64 ? room : 64;
    /* Eight at a time, without a branch per digit: the caches' digests,
     * 40,000 of them at 10,000 pages, are checked so in every build (a
     * digit at a time, a third of reading the output's cache). */
    while (n + 8 <= most) {
        unsigned bad = 0;
        for (size_t i = 0; i < 8; i++)
            bad |= (unsigned)(u[n + i] - '0') > 9u && (unsigned)(u[n + i] - 'a') > 5u;
        if (bad)
            break;
        n += 8;
    }
    while (n < most && ((u[n] >= '0' && u[n] <= '9') || (u[n] >= 'a' && u[n] <= 'f')))
        n++;
    return n;
}

void digest_of(char hex[DIGEST_HEX], const void *data, size_t len)
{
    digest *h = digest_new();
    digest_add(h, data, len);
    digest_hex(h, hex);
    digest_free(h);
}

void digest_sha1(unsigned char out[DIGEST_SHA1_SIZE], const void *data, size_t len)
{
    struct sha1_ctx ctx;
    sha1_init(&ctx);
    sha1_update(&ctx, len, data);
    sha1_digest(&ctx, DIGEST_SHA1_SIZE, out);
}

static char self_hex[DIGEST_HEX];
static pthread_once_t self_once = PTHREAD_ONCE_INIT;

/* The running program's build ID: the digest of its file that the linker
 * writes into it (ld --build-id, gcc's default on Debian), read from the
 * note in memory. Reading and hashing the file instead took a fifth of a
 * build with nothing to do of the example site. */
typedef struct build_id {
    unsigned char bytes[64];
    size_t n;
} build_id;

static int find_build_id(struct dl_phdr_info *info, size_t size, void *ctx)
{
    (void)size;
    build_id *id = ctx;
    for (int i = 0; i < info->dlpi_phnum && !id->n; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE)
            continue;
        size_t align = ph->p_align == 8 ? 8 : 4;
        const unsigned char *p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
        const unsigned char *end = p + ph->p_memsz;
        while ((size_t)(end - p) >= sizeof(ElfW(Nhdr))) {
            ElfW(Nhdr) nh;
            memcpy(&nh, p, sizeof nh);
            size_t name = (nh.n_namesz + align - 1) & ~(align - 1);
            size_t desc = (nh.n_descsz + align - 1) & ~(align - 1);
            const unsigned char *q = p + sizeof nh;
            if (name > (size_t)(end - q) || desc > (size_t)(end - q) - name)
                break;
            if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 && !memcmp(q, "GNU", 4) &&
                nh.n_descsz > 0 && nh.n_descsz <= sizeof id->bytes) {
                memcpy(id->bytes, q + name, nh.n_descsz);
                id->n = nh.n_descsz;
                break;
            }
            p = q + name + desc;
        }
    }
    return 1; /* the first object is the program itself */
}

size_t digest_self_build_id(unsigned char out[64])
{
    build_id id = {{0}, 0};
    dl_iterate_phdr(find_build_id, &id);
    memcpy(out, id.bytes, id.n);
    return id.n;
}

static void hash_self(void)
{
    digest *h = digest_new();
    unsigned char id[64];
    size_t id_len = digest_self_build_id(id);
    if (id_len) {
        digest_add(h, "charter build id", 16);
        digest_add(h, id, id_len);
        digest_hex(h, self_hex);
        digest_free(h);
        return;
    }
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    char chunk[65536];
    ssize_t n = 0;
    while (fd >= 0 && (n = read(fd, chunk, sizeof chunk)) > 0)
        digest_add(h, chunk, (size_t)n);
    if (fd < 0 || n < 0) {
        /* Unreadable: a digest no cache can match, so nothing is reused. */
        unsigned long long r = (unsigned long long)getpid() ^ (unsigned long long)(size_t)h;
        digest_add(h, &r, sizeof r);
        digest_add(h, "unreadable", 10);
    }
    if (fd >= 0)
        close(fd);
    digest_hex(h, self_hex);
    digest_free(h);
}

const char *digest_self(void)
{
    pthread_once(&self_once, hash_self);
    return self_hex;
}

void digest_nettle_version(int *major, int *minor)
{
    *major = nettle_version_major();
    *minor = nettle_version_minor();
}

void digest_xxhash_version(int *major, int *minor, int *release)
{
    unsigned v = XXH_versionNumber(); /* major * 10000 + minor * 100 + release */
    *major = (int)(v / 10000);
    *minor = (int)(v / 100 % 100);
    *release = (int)(v % 100);
}
