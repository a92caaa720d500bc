/* digest: a thin wrapper over nettle's SHA-256 (see digest.h): packaged,
 * maintained and tested, where a hand-written digest would be none of those. */
#include "digest.h"
#include "buf.h"

#include <nettle/sha2.h>
#include <stdlib.h>

struct digest {
    struct sha256_ctx ctx;
};

digest *digest_new(void)
{
    digest *h = xmalloc(sizeof *h);
    sha256_init(&h->ctx);
    return h;
}

void digest_free(digest *h)
{
    free(h);
}

void digest_add(digest *h, const void *data, size_t len)
{
    sha256_update(&h->ctx, len, data);
}

void digest_hex(digest *h, char hex[DIGEST_HEX])
{
    static const char digits[] = "0123456789abcdef";
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_digest(&h->ctx, sizeof d, d); /* also resets the context */
    for (size_t i = 0; i < sizeof d; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = '\0';
}
