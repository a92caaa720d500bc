/* catalog: the control catalogs (controls/<framework>.yml, the site's own or
 * charter's built-in ones) and the statement of applicability
 * (controls/applicability.yml). Loads the frameworks the site uses and
 * answers "which control is this id?" in O(1). */
#ifndef CHARTER_CATALOG_H
#define CHARTER_CATALOG_H

#include "buf.h"
#include "diag.h"
#include "fs.h"
#include "yamltree.h"
#include <stddef.h>

typedef struct control {
    const char *id; /* "A.5.15" */
    const char *title;
    const char *group;
    const char *statement; /* the control's text, when the catalog gives it (OSCAL's) */
    const char *label;     /* the id as the catalog prints it ("AC-2(1)" for ac-2.1), or NULL */
    const char *framework; /* "iso27001-2022" */
    const char *file;      /* "controls/iso27001-2022.yml" */
    int line, col;
    /* From applicability.yml; with no entry there, the catalog's own
     * `applicable:` and `justification:` (an OSCAL profile's selection),
     * else applicable. */
    int has_applicability;
    int applicable;
    const char *status;        /* implemented | planned | not-implemented, or NULL */
    const char *justification; /* or NULL */
    const char *soa_file;      /* applicability.yml, when it has an entry there */
    int soa_line, soa_col;     /* its entry's position, 0 without one */
} control;

/* An entry of applicability.yml whose id names no control of the loaded
 * frameworks. */
typedef struct soa_orphan {
    const char *id;
    const char *file;
    int line, col;
} soa_orphan;

/* How catalog_resolve found an id. */
typedef enum control_match {
    CONTROL_UNKNOWN,     /* no control */
    CONTROL_AMBIGUOUS,   /* a plain id that several frameworks define */
    CONTROL_EXACT,       /* as written */
    CONTROL_NONCANONICAL /* not as written, but a known misspelling of one ("A.05.15" for
                            "A.5.15"): never accepted as it (*ctl is NULL) */
} control_match;

typedef struct framework {
    const char *id;
    const char *name;
    const char *file;
    control *controls;
    size_t n_controls;
} framework;

typedef struct catalog catalog;

/* Loads every catalog in `dir` (relative to the site root, read through
 * fs_read_source, each file at most max bytes), keeping only the frameworks
 * listed in `only` (n_only == 0: all), then the applicability file. A
 * framework `only` lists that no file there declares comes from charter's
 * own catalogs (embed.h: controls/<framework>.yml, named
 * "(embedded)/controls/..." in messages), unless the site has a file of
 * that name. A missing directory is an empty catalog (with `only`, all
 * embedded). Returns 0 and a new catalog in *out (caller frees with
 * catalog_free), or -1 after reporting errors. */
int catalog_load(catalog **out, const fs_root *root, const char *dir, const char *const *only,
                 size_t n_only, size_t max, diags *d);
/* A catalog given as text rather than found in the directory: site.yml's
 * oscal_catalogs, converted (oscal.h). Its controls are named after `file`
 * with no line (the text is not the file). */
typedef struct catalog_text {
    const char *file;
    const char *text;
    size_t len;
} catalog_text;

/* As catalog_load, also loading each of texts[0..n_texts) (borrowed for the
 * call), whether `only` lists its framework or not. A framework declared by
 * a text and by another catalog is an error. */
int catalog_load_with(catalog **out, const fs_root *root, const char *dir, const char *const *only,
                      size_t n_only, const catalog_text *texts, size_t n_texts, size_t max,
                      diags *d);
void catalog_free(catalog *c);
/* Whether a file name in a controls folder ("crosswalk-a-b.yml") names a
 * crosswalk between two frameworks (crosswalk.h) rather than a catalog. */
int catalog_is_crosswalk(const char *name);

/* Finds a control by plain id ("A.5.15", unique across the loaded frameworks)
 * or qualified id ("iso27001-2022:A.5.15"). Borrowed; NULL if none. */
const control *catalog_find(const catalog *c, const char *id);
/* Borrowed array of the loaded frameworks, in file-name order. */
const framework *catalog_frameworks(const catalog *c, size_t *n);
/* Borrowed array of the applicability entries that match no control. */
const soa_orphan *catalog_soa_orphans(const catalog *c, size_t *n);

/* The site's framework_aliases ("TSC" -> "soc2") and control_aliases
 * ("iso27001:A.05.01" -> "iso27001-2022:A.5.1"), mappings borrowed for the
 * catalog's life (NULL: none). */
void catalog_set_aliases(catalog *c, const yaml_node *frameworks, const yaml_node *ids);

/* Resolves an id as a page cites it: a control alias first, then the id
 * as written, plain ("A.5.15", unique across the loaded frameworks) or
 * qualified ("framework:id", where the prefix is a framework's id, name,
 * alias, or the start of exactly one loaded framework's id). Sets *ctl
 * (borrowed) for CONTROL_EXACT only. For CONTROL_NONCANONICAL writes the
 * spelling the catalog has to canon; for CONTROL_AMBIGUOUS, the frameworks
 * that define it ("a, b"). */
control_match catalog_resolve(const catalog *c, const char *id, const control **ctl, buf *canon);
/* Whether a qualified id's prefix names a loaded framework (1 for a
 * plain id). */
int catalog_knows_prefix(const catalog *c, const char *id);
/* The closest known plain id to `id` by edit distance (at most 2, or a
 * third of its length), written to out; 0 if none is close. For a
 * qualified id, only the framework its prefix names is searched. */
int catalog_suggest(const catalog *c, const char *id, buf *out);

#endif
