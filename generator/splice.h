/* splice: a file streamed into the output as a run of keyed segments, so
 * that the next build copies a segment made from the same inputs out of
 * the file it replaces instead of making it again: the handbook (the
 * skeleton's text between the policies, each policy's body),
 * api/pages.json (an entry per page) and the OSCAL export (a requirement
 * per control, a resource per policy). Each output keeps its files'
 * segments beside its build cache (output-<id>.splice): per file its
 * digest and size, then each segment's length and key, in order, then the
 * digest's states at some of its places (splice_state_at); the file
 * ends with the check (digest_check) of the rest. A file's segments are used only while
 * the previous site holds that file with that digest and that size;
 * output.c opens them (output_splice), this module reads, looks up and
 * writes them. */
#ifndef CHARTER_SPLICE_H
#define CHARTER_SPLICE_H

#include "buf.h"
#include "digest.h"

#include <stddef.h>

/* The segments of every file an output's previous build spliced, as read
 * from its cache file (opaque). */
typedef struct splice_map splice_map;

/* Reads the segments file at path (never through a link; at most 64 MB).
 * Returns a new map (free with splice_map_free), or NULL when there is no
 * such file or it is malformed: it is only a cache. */
splice_map *splice_map_read(const char *path);
void splice_map_free(splice_map *m);
/* 1 when m holds segments of rel recorded for a file of digest hex. */
int splice_map_has(const splice_map *m, const char *rel, const char *hex);
/* Appends to out the text of rel's segments in m (as splice_write_text
 * wrote them) when m holds them for digest hex; 1 when appended, else 0. */
int splice_map_carry(buf *out, const splice_map *m, const char *rel, const char *hex);

/* One file being streamed (opaque). */
typedef struct splice_stream splice_stream;

/* A splice of rel over the previous build's segments of it in m (may be
 * NULL), used only when they were recorded for a file of digest hex, and
 * fd (taken: closed by splice_free; -1 for none) is a regular file of the
 * size they add up to: the previous site's rel, which the caller knows to
 * have that digest. Never NULL. */
splice_stream *splice_new(const splice_map *m, const char *rel, const char *hex, int fd);
void splice_free(splice_stream *sp);
/* How many segments the previous file has (0 when none are usable), and
 * the key of segment i (borrowed). */
size_t splice_count(const splice_stream *sp);
const char *splice_key(const splice_stream *sp, size_t i);
/* The index of the previous segment `key`, or -1. */
long splice_find(splice_stream *sp, const char *key);
/* Appends previous segment i to out and records it as the new file's next
 * segment: 0, or -1 (out as it was) when it cannot be read. Under
 * splice_lazy, a segment that is the next of the previous file's first
 * bytes, taken into an empty out while every byte so far was so taken, is
 * recorded without being read: out stays empty, and the writer copies it
 * (splice_lazy_flush). */
int splice_take(splice_stream *sp, size_t i, buf *out);
/* For the writer of the new file, before any segment is taken: lets
 * splice_take leave the previous file's first bytes unread (the writer
 * must then need none of them to hash: output.c resumes the digest past
 * them). */
void splice_lazy(splice_stream *sp);
/* The writer is about to write bytes it was given: no segment is left
 * unread from now on. */
void splice_produced(splice_stream *sp);
/* Writes to fd, at its position, the bytes splice_take left unread since
 * the last call (*n of them, the writer's next bytes): 0, or -1 when they
 * cannot be copied. */
int splice_lazy_flush(splice_stream *sp, int fd, long long *n);
/* Previous segment i's bytes just taken into out from `from` (borrowed:
 * from out, or read again when the take left them unread), or NULL when
 * they cannot be read. For the checks of CHARTER_CHECK_REUSE. */
const char *splice_bytes(splice_stream *sp, size_t i, const buf *out, size_t from);
/* Where previous segment i is in the previous file, and its length. */
void splice_extent(const splice_stream *sp, size_t i, long long *off, long long *len);
/* Records previous segment i as the new file's next segment, as
 * splice_take does, without reading it: its caller appends its bytes
 * itself (splice_read_old), a piece at a time. */
void splice_took(splice_stream *sp, size_t i);
/* Appends previous segment i to out as splice_take does, recording
 * nothing. */
int splice_peek(splice_stream *sp, size_t i, buf *out);
/* The new file's next segment, `key`: copied from the previous file when
 * it has one of that key (looked for first at index `hint`; -1: none),
 * else made: make(ctx, into) appends it, 0 or -1. With `check`
 * (CHARTER_CHECK_REUSE) a copied segment is made again beside it and
 * compared, each difference counted in *differing. Returns the previous
 * segment's index when copied, -1 when made, -2 when make failed. */
long splice_segment(splice_stream *sp, const char *key, long hint, buf *out,
                    int (*make)(void *ctx, buf *into), void *ctx, int check, size_t *differing);
/* Records that the new file's next segment, `key`, is the len bytes just
 * made. A key with a newline cannot be kept: the file is then not spliced
 * next time. */
void splice_mark(splice_stream *sp, const char *key, size_t len);
/* As splice_mark, for the bytes data[0..len) just made: while the new file
 * is so far the previous file's own bytes at the same places, these too
 * when the previous file holds them there (splice_same), whatever their
 * key. */
void splice_mark_made(splice_stream *sp, const char *key, const char *data, size_t len);
/* As splice_mark_made, for the bytes out[from..] just made. Under
 * splice_lazy, when they are all that out holds and are the previous
 * file's next first bytes, they are taken out of out again, for the writer
 * to copy (as splice_take leaves a segment unread). */
void splice_mark_made_in(splice_stream *sp, const char *key, buf *out, size_t from);
/* How many bytes came from the previous file, and how many the new file's
 * segments hold. */
long long splice_taken(const splice_stream *sp);
long long splice_size(const splice_stream *sp);
/* Appends to out the new file's segments, written as digest hex, in the
 * segments file's format; nothing when one cannot be kept. */
void splice_write_text(buf *out, const splice_stream *sp, const char *rel, const char *hex);

/* The SHA-256 of a file streamed so, from where the previous one's is
 * known: the segments file keeps, for each file, the digest's state every
 * so many bytes (digest_state); while the new file's bytes are the
 * previous file's own at the same places, they need not be hashed again
 * (output.c). */
/* How many bytes from the start of the new file so far are the previous
 * file's own, at the same places: each segment, from the first, taken in
 * order. */
long long splice_same(const splice_stream *sp);
/* The previous file's last state at or before byte upto: its place in *at
 * and the state (64 hex digits), 0; or -1 when there is none. */
int splice_state_at(const splice_stream *sp, long long upto, long long *at, char state[DIGEST_HEX]);
/* Records the new file's state at byte `at` (a whole number of blocks, in
 * order), and forgets all it recorded (when the digest cannot vouch for
 * them). */
void splice_state_add(splice_stream *sp, long long at, const char *state);
void splice_states_forget(splice_stream *sp);
/* Appends the previous file's bytes [off, off + len) to out: 0, or -1. */
int splice_read_old(splice_stream *sp, long long off, size_t len, buf *out);
/* The segments file's first line. */
#define SPLICE_MAGIC "charter-splice-3"

#endif
