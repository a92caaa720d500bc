/* stamp: the record of an output's last good build, kept in the build cache
 * (<git dir>/charter/stamp-<digest>): what the build was asked, everything
 * it read (the fs trace, the git facts under its history), the manifest it
 * published and the findings it reported. While all of that holds, a build
 * with the same options would publish the same bytes, so it has nothing to
 * do: it reports the same findings and leaves the output as it is. */
#ifndef CHARTER_STAMP_H
#define CHARTER_STAMP_H

#include "buf.h"
#include "diag.h"
#include "digest.h"

#include <stddef.h>

/* What a build knows of itself, to write or check a stamp. */
typedef struct stamp_facts {
    char key[DIGEST_HEX]; /* the build's options and charter itself (stamp_init) */
    char path[4096];      /* the stamp file: cache folder, site, --out, working dir */
    long long since;      /* when the build started reading (fs_trace_now) */
    char *root, *content; /* the site and its content folder, for history_fingerprint */
    char *settings;       /* and the rest it is made from (build_settings_paths) */
    char git[DIGEST_HEX]; /* history_fingerprint, "" when there is none */
    char head[41];        /* HEAD's commit as that pass read it, "" when none */
    char *target;         /* the output, absolute */
    char *output;         /* the output as the build named it, before its links */
    size_t pages, files, html;
} stamp_facts;

/* Fills f's key and path for a build of the site at `site_dir` into `out` (the
 * --out option, NULL for site.yml's) judged as of as_of, with or without
 * --no-check, at base_url (NULL: site.yml's), keeping its caches in cache_dir. Returns 0, or -1
 * when the site or working directory cannot be resolved (then no stamp is used). Release with
 * stamp_release. */
int stamp_init(stamp_facts *f, const char *cache_dir, const char *site_dir, const char *out,
               long as_of, int no_check, const char *base_url);
void stamp_release(stamp_facts *f);
/* Removes the stamp of the output `out` of the site at site_dir (the file
 * stamp_init names, whatever the options): `charter serve` leaves none of
 * its own folders. Best effort. */
void stamp_forget(const char *cache_dir, const char *site_dir, const char *out);
/* When `name`, an entry of cache_dir, is a stamp whose output directory is
 * no longer there, removes it (a stamp is kept per site, --out and working
 * directory: a folder built into once would keep its stamp for good). Best
 * effort. */
void stamp_prune(const char *cache_dir, const char *name);

/* 1 when the stamp at f->path was written with f->key and everything it
 * records still holds (the trace, git, the output left as published): then
 * its findings are reported again into d and f's counts, target and
 * content are filled. 0 otherwise, with d untouched. `held` (may be NULL):
 * what stamp_probe filled, when it found this stamp's trace holding; when
 * the stamp is still that text, its trace is not checked again. */
int stamp_holds(stamp_facts *f, const char *cache_dir, const char *held, diags *d);
/* What can be told of the stamp at f->path without git (stamp_init's
 * facts, for a cache folder history_cache_dir_guess found): 1 when it was
 * written with f->key and every file its trace records is as it was, with
 * the digest of its text in `held` (for stamp_holds); 0 when it is there
 * but was written for other options or by another charter, is malformed,
 * or a file it records changed (the build has work to do); -1 when there
 * is none, or it is larger than STAMP_PROBE_MAX (held "" unless 1). Only
 * stamp_holds says the build is up to date: git and the output are not
 * looked at here. */
int stamp_probe(const stamp_facts *f, char held[DIGEST_HEX]);
/* The stamp of a site of some 1,600 pages. Up to date, a smaller site's
 * build is quicker without a new start for malloc's huge pages (heap.h;
 * 250 pages: 0.031 s against 0.041; 1,000: 0.047 against 0.053), 2,500
 * pages' alike; from there on the up-to-date check itself gains more from
 * huge pages than a start costs (10,000 pages without a new start: 0.234 s
 * against 0.197): a larger stamp is not probed. */
#define STAMP_PROBE_MAX ((long long)256 << 10)

/* Writes the stamp for a build that published f->target: `findings` (from
 * stamp_findings, taken before the output was released) and `trace` (from
 * fs_trace_stop). Atomic (a temporary file, then a rename); never through
 * a link. Problems are ignored: the next build is then a full one. */
void stamp_write(const stamp_facts *f, const buf *findings, const buf *trace);
/* Appends d's findings as the stamp keeps them. */
void stamp_findings(buf *out, const diags *d);

#endif
