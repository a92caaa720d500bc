/* manifest_json: the published manifest, `manifest.json` at the top of the
 * output (schema "charter/manifest@1"): every other published file with its
 * size and SHA-256, and the build's provenance: the source commit, whether
 * the content was committed, the charter version and the --as-of date.
 * `charter verify` (verify.h) checks a copy of a site against it; unlike
 * .charter-manifest (manifest.h, charter's own bookkeeping) it is meant
 * for auditors. docs/evidence.md describes it. */
#ifndef CHARTER_MANIFEST_JSON_H
#define CHARTER_MANIFEST_JSON_H

#include "buf.h"
#include "diag.h"
#include "manifest.h"

#define MANIFEST_JSON "manifest.json"
#define MANIFEST_JSON_SCHEMA "charter/manifest@1"

struct output;
struct site;

/* What a build was made from. */
typedef struct build_provenance {
    int in_repo;     /* the site is in a git repository charter may read */
    char commit[41]; /* HEAD's id, "" when none: no repository, or an unborn branch */
    int clean;       /* in_repo, and neither the content folder nor the
                        settings, layouts, catalogs and assets have an
                        uncommitted or untracked change */
    char as_of[11];  /* the day reviews were judged by, YYYY-MM-DD */
} build_provenance;

/* Appends what a build is made from besides its content folder, for
 * history_paths_clean and history_fingerprint: site.yml (or Jekyll's
 * _config.yml); the layouts, controls and assets folders and the static:
 * ones; the OSCAL catalogs and profiles, the keyring and the allowed
 * signers file site.yml names; relative to the site, '\n'-separated. */
void build_settings_paths(buf *out, const struct site *s);
/* Fills p for the loaded site s, asking git (history_head,
 * history_paths_clean). Never fails: with no repository, p says so. */
void build_provenance_read(build_provenance *p, const struct site *s);
/* Fills p for s from what git said already (history_fingerprint): HEAD's
 * id ("" on an unborn branch) and whether the content folder and the rest
 * of what the build is made from are clean. */
void build_provenance_set(build_provenance *p, const struct site *s, const char *commit, int clean);

/* Appends manifest.json for the files v[0..n) (sorted by path, sizes
 * known) and provenance p. Deterministic: no clock, no build path. */
void manifest_json_write(buf *out, const manifest_entry *v, size_t n, const build_provenance *p);

/* Writes manifest.json into o, listing what o holds so far except
 * itself: call once, after every other file is written and before
 * output_commit. Writes nothing when a page already took the path (a
 * collision plan.c reports). 0, or -1 after reporting. */
int manifest_json_publish(struct output *o, const build_provenance *p, diags *d);

#endif
