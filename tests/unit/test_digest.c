/* test_digest: SHA-256 through digest.c against FIPS 180-2's examples
 * ("abc", the two-block message, the empty message), in one piece
 * (digest_of) and fed in pieces of every split (digest_add), with the state
 * reset by digest_hex for the next file. */
#include "unit.h"

#include "digest.h"

#include <string.h>

static const struct {
    const char *text, *hex;
} vectors[] = {
    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
};

Test(digest, one_piece_equals_the_standard)
{
    for (size_t i = 0; i < COUNT(vectors); i++) {
        char hex[DIGEST_HEX];
        digest_of(hex, vectors[i].text, strlen(vectors[i].text));
        cr_expect_str_eq(hex, vectors[i].hex, "'%s'", vectors[i].text);
    }
}

Test(digest, pieces_equal_one_piece)
{
    digest *h = digest_new();
    for (size_t i = 0; i < COUNT(vectors); i++) {
        size_t len = strlen(vectors[i].text);
        for (size_t cut = 0; cut <= len; cut++) {
            char hex[DIGEST_HEX];
            digest_add(h, vectors[i].text, cut);
            digest_add(h, vectors[i].text + cut, len - cut);
            digest_hex(h, hex); /* and ready for the next */
            cr_expect_str_eq(hex, vectors[i].hex, "'%s' cut at %zu", vectors[i].text, cut);
        }
    }
    digest_free(h);
    digest_free(NULL);
}
