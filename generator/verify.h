/* verify: checks a copy of a published site against the manifest.json its
 * build wrote (manifest_json.h): every listed file there, a regular file
 * with the listed size and SHA-256, and no other file. What `charter
 * verify` runs; it reads, never writes. */
#ifndef CHARTER_VERIFY_H
#define CHARTER_VERIFY_H

#include "diag.h"

#include <stddef.h>

typedef enum verify_kind {
    VERIFY_CHANGED, /* listed, there, but other bytes (or not a regular file) */
    VERIFY_MISSING, /* listed, not there */
    VERIFY_EXTRA    /* there, not listed */
} verify_kind;

typedef struct verify_diff {
    char *rel; /* a path inside the site */
    verify_kind kind;
} verify_diff;

typedef struct verify_result {
    size_t n_listed;    /* files the manifest lists */
    char commit[41];    /* the commit it names, "" for null */
    int clean;          /* 1 clean, 0 uncommitted changes, -1 null (no repository) */
    verify_diff *diffs; /* sorted by path; n_diffs of them */
    size_t n_diffs;
} verify_result;

/* Reads dir/manifest.json and compares dir with it. A file is read only
 * when it is a regular file reached without a symbolic link below dir; a
 * link is never followed (a listed one is `changed`, another one `not in
 * the manifest`). Returns 0 with *res filled (release with
 * verify_result_release), differences or not; -1 after reporting (id
 * verify) when dir or its manifest cannot be read or the manifest is not
 * one charter writes, with nothing to release. */
int verify_dir(verify_result *res, const char *dir, diags *d);
void verify_result_release(verify_result *res);
/* "changed", "missing" or "not in the manifest". */
const char *verify_kind_name(verify_kind k);

#endif
