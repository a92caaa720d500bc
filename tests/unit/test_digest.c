/* test_digest: SHA-256 through digest.c against FIPS 180-2's examples
 * ("abc", the two-block message, the empty message), in one piece
 * (digest_of) and fed in pieces of every split (digest_add), with the state
 * reset by digest_hex for the next file; and the running program's digest,
 * made from its build ID. */
#include "unit.h"

#include "digest.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

/* charter is known by the build ID the linker wrote into it, read from
 * memory: the same as readelf finds in its file. */
Test(digest, self_is_known_by_its_build_id)
{
    char cmd[64];
    snprintf(cmd, sizeof cmd, "readelf -n /proc/%d/exe 2>/dev/null", (int)getpid());
    FILE *f = popen(cmd, "r");
    cr_assert_not_null(f);
    char line[512], want[129] = "";
    while (fgets(line, sizeof line, f))
        if (sscanf(line, " Build ID: %128[0-9a-f]", want) == 1)
            break;
    pclose(f);
    if (!want[0])
        cr_skip_test("readelf finds no build ID (or is not installed)");
    unsigned char id[64];
    size_t n = digest_self_build_id(id);
    char got[129];
    for (size_t i = 0; i < n; i++)
        snprintf(got + 2 * i, 3, "%02x", id[i]);
    got[2 * n] = '\0';
    cr_expect_str_eq(got, want);
    digest *h = digest_new();
    digest_add(h, "charter build id", 16);
    digest_add(h, id, n);
    char hex[DIGEST_HEX];
    digest_hex(h, hex);
    digest_free(h);
    cr_expect_str_eq(digest_self(), hex);
}

/* digest_hex_span counts lowercase hex digits up to the first other byte,
 * at most 64 and at most room: eight at a time, so a stop at each place
 * in a group of eight is tried. */
Test(digest, hex_span_stops_at_the_first_other_byte)
{
    char hex[DIGEST_HEX];
    digest_of(hex, "x", 1);
    char s[80];
    memcpy(s, hex, 64);
    strcpy(s + 64, " rest");
    cr_expect_eq(digest_hex_span(s, strlen(s)), 64);
    cr_expect_eq(digest_hex_span(s, 70), 64, "never more than 64");
    for (size_t room = 0; room <= 64; room++)
        cr_expect_eq(digest_hex_span(s, room), room, "room %zu", room);
    const char bad[] = {'G', 'g', 'A', 'F', '/', ':', '`', ' ', '-', '\0'};
    for (size_t at = 0; at < 64; at++)
        for (size_t b = 0; b < sizeof bad; b++) {
            char t[80];
            memcpy(t, s, sizeof t);
            t[at] = bad[b];
            cr_expect_eq(digest_hex_span(t, 70), at, "'%c' at %zu", bad[b], at);
        }
    cr_expect_eq(digest_hex_span("0123456789abcdef", 16), 16);
}

/* The damage check is XXH3's 64 bits, as hex: the empty input's is the
 * published one; added in pieces it is the one of the whole; a flipped
 * bit or a cut changes it; and digest_check_hex starts the next anew. */
Test(digest, check_is_xxh3_and_tells_damage)
{
    char hex[DIGEST_CHECK_HEX], whole[DIGEST_CHECK_HEX];
    digest_check_of(hex, "", 0);
    cr_expect_str_eq(hex, "2d06800538d394c2");
    char text[1000];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (char)('a' + i % 23);
    digest_check_of(whole, text, sizeof text);
    digest_check *c = digest_check_new();
    for (size_t at = 0; at < sizeof text; at += 77)
        digest_check_add(c, text + at, sizeof text - at < 77 ? sizeof text - at : 77);
    digest_check_hex(c, hex);
    cr_expect_str_eq(hex, whole);
    digest_check_add(c, text, sizeof text);
    digest_check_hex(c, hex);
    cr_expect_str_eq(hex, whole, "reset after digest_check_hex");
    digest_check_free(c);
    digest_check_free(NULL);
    text[500] ^= 1;
    digest_check_of(hex, text, sizeof text);
    cr_expect_str_neq(hex, whole);
    text[500] ^= 1;
    digest_check_of(hex, text, sizeof text - 1);
    cr_expect_str_neq(hex, whole);
}

/* A digest's state after whole blocks, written and resumed, goes on to the
 * digest of the whole; there is none within a block, and no resuming
 * within one or from what is no state. */
Test(digest, state_resumes_to_the_digest_of_the_whole)
{
    char text[5000], whole[DIGEST_HEX], state[DIGEST_HEX], hex[DIGEST_HEX];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (char)(i * 7 + i / 64);
    digest_of(whole, text, sizeof text);
    for (size_t at = 0; at <= 4992; at += 64 * 13) {
        digest *h = digest_new();
        digest_add(h, text, at / 2);
        digest_add(h, text + at / 2, at - at / 2);
        cr_assert_eq(digest_state(h, state), 0, "at %zu", at);
        digest_free(h);
        digest *r = digest_new();
        digest_add(r, "noise", 5);
        cr_assert_eq(digest_resume(r, state, at), 0);
        digest_add(r, text + at, sizeof text - at);
        digest_hex(r, hex);
        cr_expect_str_eq(hex, whole, "resumed at %zu", at);
        digest_free(r);
    }
    digest *h = digest_new();
    digest_add(h, text, 100);
    cr_expect_eq(digest_state(h, state), -1, "within a block");
    cr_expect_eq(digest_resume(h, state, 100), -1, "not at a block's end");
    cr_expect_eq(digest_resume(h, "xyz", 64), -1, "no state");
    digest_free(h);
}

/* Small additions are gathered before nettle sees them (digest.c): fed in
 * pieces of random sizes, small and large mixed, the digest is the one of
 * the whole, and the state after a whole number of blocks resumes to it. */
Test(digest, gathered_small_pieces_equal_the_whole)
{
    char text[20000], whole[DIGEST_HEX], state[DIGEST_HEX], hex[DIGEST_HEX];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (char)(i * 31 + i / 97);
    digest_of(whole, text, sizeof text);
    unsigned long long seed = 7;
    for (int round = 0; round < 50; round++) {
        digest *h = digest_new();
        size_t at = 0, cut = 64 * (1 + unit_next(&seed) % 200);
        while (at < sizeof text) {
            size_t n = unit_next(&seed) % 4 ? unit_next(&seed) % 40 : unit_next(&seed) % 700;
            if (at < cut && at + n > cut)
                n = cut - at; /* stop at the cut, to take the state there */
            if (n > sizeof text - at)
                n = sizeof text - at;
            digest_add(h, text + at, n);
            at += n;
            if (at == cut) {
                cr_assert_eq(digest_state(h, state), 0, "round %d at %zu", round, cut);
                digest *r = digest_new();
                digest_add(r, "noise", 5);
                cr_assert_eq(digest_resume(r, state, cut), 0);
                digest_add(r, text + cut, sizeof text - cut);
                digest_hex(r, hex);
                cr_expect_str_eq(hex, whole, "round %d resumed at %zu", round, cut);
                digest_free(r);
            }
        }
        digest_hex(h, hex);
        cr_expect_str_eq(hex, whole, "round %d", round);
        digest_free(h);
    }
}
