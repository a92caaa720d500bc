/* oscal_export: the site as an OSCAL 1.0.6 component definition,
 * `oscal/component-definition.json` (NIST OSCAL, JSON format): the site is
 * one component of type "policy", each policy a back-matter resource, each
 * cited control an implemented requirement naming the policies that cite
 * it. Mapping and identifiers: docs/oscal.md. */
#ifndef CHARTER_OSCAL_EXPORT_H
#define CHARTER_OSCAL_EXPORT_H

#include "buf.h"
#include "site.h"

#define OSCAL_EXPORT_FILE "oscal/component-definition.json"

struct build_provenance;

/* Appends the component definition of s to out. Deterministic: the same
 * site (and as_of day) gives the same bytes; UUIDs are RFC 4122 version 5,
 * named from the site's address and each object's stable name. prov (may
 * be NULL) gives metadata.version the commit built from. */
void oscal_component_definition(buf *out, const site *s, const struct build_provenance *prov);
/* The same in parts, for output_stream (28 MB at 10,000 pages):
 * oscal_export_fill appends the next part to chunk and returns 1 while more
 * follows, 0 with the last. oscal_export_new's result is the caller's,
 * freed with oscal_export_free (NULL allowed); s and prov must outlive it. */
typedef struct oscal_export oscal_export;
oscal_export *oscal_export_new(const site *s, const struct build_provenance *prov);
int oscal_export_fill(void *ctx, buf *chunk);
void oscal_export_free(oscal_export *e);
/* Streams e's document in segments (splice.h): each implemented
 * requirement and each resource whose key (what it is written from) the
 * previous file has is copied from it, the rest made. With `check`
 * (CHARTER_CHECK_REUSE), each copied part is made again beside it and
 * compared; oscal_export_mismatches counts the differences. */
struct splice_stream;
void oscal_export_splice(oscal_export *e, struct splice_stream *sp, int check);
size_t oscal_export_mismatches(const oscal_export *e);

/* The key of the component definition of s (DIGEST_HEX bytes with the
 * NUL): the digest of charter itself and of every value the document is
 * made from (the site's settings and day, the commit, each page's fields
 * that it shows, the frameworks' controls and who cites them), so that a
 * rebuild that changed none of them reuses the previous file
 * (output_reuse_keyed) instead of writing tens of megabytes again. */
void oscal_export_key(char *key, const site *s, const struct build_provenance *prov);

/* Appends the OSCAL token (the schema's TokenDatatype) for a control id:
 * the id itself when it is an ASCII letter followed by letters, digits,
 * '.', '-' or '_'; otherwise '_' followed by the id with each byte other
 * than a letter, digit, '.' or '-' written as "_XX" (two uppercase hex
 * digits), which reads back unambiguously. Returns 1 when it mapped. */
int oscal_control_token(buf *out, const char *id);

#endif
