/* init: what `charter init` writes in a directory. It tells what the
 * directory holds (a comply, Jekyll, Docusaurus or Hugo site, plain
 * Markdown, or nothing) and plans the files that read it as it is: a
 * site.yml, or a new site with an example policy. It reads the directory
 * through fs.h's checked door and writes nothing; cmd_init.c does. */
#ifndef CHARTER_INIT_H
#define CHARTER_INIT_H

#include "buf.h"
#include "diag.h"
#include "fs.h"

#include <stddef.h>

typedef enum init_kind {
    INIT_NEW,
    INIT_PLAIN,
    INIT_JEKYLL,
    INIT_HUGO,
    INIT_DOCUSAURUS,
    INIT_COMPLY,
    INIT_MKDOCS,
    INIT_VITEPRESS,
    INIT_MDBOOK,
    INIT_STARLIGHT,
    INIT_ELEVENTY,
    INIT_N_KINDS
} init_kind;

/* The kinds' names, as --kind takes them: "new", "plain", "jekyll"... */
extern const char *const init_kind_names[INIT_N_KINDS];

#define INIT_MAX_FILES 4

/* What init writes, in order (site.yml first), and what it says about it. */
typedef struct init_plan {
    const fs_root *root; /* borrowed: the directory */
    diags *d;            /* borrowed: where reading errors go */
    init_kind kind;
    buf why;                         /* how the kind was found: "found _config.yml", "--kind" */
    const char *rel[INIT_MAX_FILES]; /* each file's path in the directory (static) */
    buf text[INIT_MAX_FILES];        /* and its bytes */
    size_t n;
    buf notes; /* "note: ..." lines, to print after the files */
} init_plan;

/* Plans the files for root: for the kind detected there, or for `forced`
 * (an init_kind; -1 to detect). Returns 0, or -1 after reporting to d a
 * settings file of the repository that cannot be read (a _config.yml that
 * does not parse). Either way release p with init_plan_release. */
int init_plan_make(init_plan *p, const fs_root *root, int forced, diags *d);
/* Frees the texts; accepts NULL. */
void init_plan_release(init_plan *p);

#endif
