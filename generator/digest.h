/* digest: SHA-256 digests (FIPS 180-4) through Debian's nettle, the only
 * module that includes it. The output manifest records one per file charter
 * writes, so a directory can be recognised as charter's own, byte for byte,
 * before anything in it is replaced. SHA-1 only for name-based UUIDs (RFC
 * 4122 version 5), which are defined on it. */
#ifndef CHARTER_DIGEST_H
#define CHARTER_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define DIGEST_HEX 65 /* 64 hex digits and a NUL */

typedef struct digest digest;

/* A new SHA-256 state; caller frees with digest_free (accepts NULL). */
digest *digest_new(void);
void digest_free(digest *h);
void digest_add(digest *h, const void *data, size_t len);
/* Adds s (with its NUL), told apart from NULL and from what follows: for
 * keys made of fields, where "ab" + "c" must not equal "a" + "bc". */
void digest_add_str(digest *h, const char *s);
/* Adds v in the machine's representation (keys are not portable). */
void digest_add_long(digest *h, long v);
/* Writes the digest of everything added as 64 lowercase hex digits and a
 * NUL, and resets the state for the next file. */
void digest_hex(digest *h, char hex[DIGEST_HEX]);
/* Writes the digest of data[0..len) (a whole file's bytes, say) as
 * digest_hex does: new, add, hex and free in one call. */
void digest_of(char hex[DIGEST_HEX], const void *data, size_t len);
/* The state of h after a whole number of 64-byte blocks, as 64 hex
 * digits: 0, or -1 when h holds part of a block. For resuming a file's
 * digest from a place where its start is known unchanged. */
int digest_state(digest *h, char out[DIGEST_HEX]);
/* Sets h to the state `state` (as digest_state wrote it) after the first
 * `at` bytes, a multiple of 64: 0, or -1 when either is not one. */
int digest_resume(digest *h, const char *state, unsigned long long at);
/* Damage checks: XXH3 (64 bits) through Debian's libxxhash, of what
 * charter wrote into its own caches and reads back, where only damage (a
 * cut, a flipped bit) is to be told: many times faster than SHA-256, which
 * stays for everything that stands for content (keys, the manifest's
 * digests). Whoever can write a cache could forge either. */
typedef struct digest_check digest_check;
#define DIGEST_CHECK_HEX 17 /* 16 hex digits and a NUL */
/* A new check; free with digest_check_free (accepts NULL). */
digest_check *digest_check_new(void);
void digest_check_free(digest_check *c);
void digest_check_add(digest_check *c, const void *data, size_t len);
/* Writes the check of everything added as 16 lowercase hex digits and a
 * NUL, and resets c. */
void digest_check_hex(digest_check *c, char hex[DIGEST_CHECK_HEX]);
/* The check of data[0..len), as digest_check_hex writes it. */
void digest_check_of(char hex[DIGEST_CHECK_HEX], const void *data, size_t len);
/* XXH3 (64 bits) of data[0..len), for hash tables (map.h): a key of a
 * path's length hashed in a few nanoseconds, where FNV-1a took one
 * multiply per byte. Not a check of anything. */
uint64_t digest_table_hash(const void *data, size_t len);
/* How many of the first bytes of p, up to 64 and to room, are lowercase
 * hex digits (as digest_hex writes them), up to the first that is not.
 * p[0..room) must be readable: it is read eight bytes at a time. */
size_t digest_hex_span(const char *p, size_t room);
/* The digest of the running program, computed once: what a cache of its
 * results must match, since any change to charter may change what it
 * makes. It is made from the program's build ID (a digest of its file the
 * linker wrote into it) when it has one, else from its file
 * (/proc/self/exe). Static storage; thread-safe. */
const char *digest_self(void);
/* The running program's build ID (NT_GNU_BUILD_ID), copied into out; its
 * length, or 0 when it has none. */
size_t digest_self_build_id(unsigned char out[64]);

#define DIGEST_SHA1_SIZE 20

/* Writes the SHA-1 of data[0..len) to out: for RFC 4122 version 5 UUIDs
 * only (SHA-1 is broken for anything that must resist collisions). */
void digest_sha1(unsigned char out[DIGEST_SHA1_SIZE], const void *data, size_t len);

/* The version of Nettle linked, as its major and minor numbers. */
void digest_nettle_version(int *major, int *minor);
/* The loaded libxxhash's version, for --version. */
void digest_xxhash_version(int *major, int *minor, int *release);

#endif
