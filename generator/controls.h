/* controls: the control catalogs (controls/<framework>.yml) and the statement
 * of applicability (controls/applicability.yml). Loads the frameworks the
 * site uses and answers "which control is this id?" in O(1). */
#ifndef CHARTER_CONTROLS_H
#define CHARTER_CONTROLS_H

#include "diag.h"
#include <stddef.h>

typedef struct control {
    const char *id; /* "A.5.15" */
    const char *title;
    const char *group;
    const char *framework; /* "iso27001-2022" */
    const char *file;      /* "controls/iso27001-2022.yml" */
    int line, col;
    /* From applicability.yml; applicable defaults to 1 with no entry. */
    int has_applicability;
    int applicable;
    const char *status;        /* implemented | planned | not-implemented, or NULL */
    const char *justification; /* or NULL */
} control;

typedef struct framework {
    const char *id;
    const char *name;
    const char *file;
    control *controls;
    size_t n_controls;
} framework;

typedef struct catalog catalog;

/* Loads every catalog in `dir` (shown in messages as `shown`), keeping only
 * the frameworks listed in `only` (n_only == 0: all), then the applicability
 * file. A missing directory is an empty catalog. Returns 0 and a new catalog
 * in *out (caller frees with catalog_free), or -1 after reporting errors. */
int catalog_load(catalog **out, const char *dir, const char *shown, const char *const *only,
                 size_t n_only, diags *d);
void catalog_free(catalog *c);

/* Finds a control by plain id ("A.5.15", unique across the loaded frameworks)
 * or qualified id ("iso27001-2022:A.5.15"). Borrowed; NULL if none. */
const control *catalog_find(const catalog *c, const char *id);
/* Borrowed array of the loaded frameworks, in file-name order. */
const framework *catalog_frameworks(const catalog *c, size_t *n);

#endif
