/* fuzz_site.h: an empty site folder for the targets that load catalogs
 * (catalog_load_with reads the site's controls/ besides the texts it is
 * given): made once per process under /tmp, removed at its exit. */
#ifndef CHARTER_FUZZ_SITE_H
#define CHARTER_FUZZ_SITE_H

#include "fuzz.h"

#include "fs.h"

#include <stdlib.h>
#include <unistd.h>

static char fuzz_site_dir[] = "/tmp/charter-fuzz-site-XXXXXX";
static fs_root fuzz_site;

static void fuzz_site_remove(void)
{
    fs_root_release(&fuzz_site);
    rmdir(fuzz_site_dir);
}

/* The folder, borrowed. */
static const fs_root *fuzz_empty_site(void)
{
    static int ready;
    if (!ready) {
        diags *d = diag_new(NULL);
        FUZZ_CHECK(mkdtemp(fuzz_site_dir) != NULL);
        FUZZ_CHECK(fs_root_init(&fuzz_site, fuzz_site_dir, d) == 0);
        diag_free(d);
        atexit(fuzz_site_remove);
        ready = 1;
    }
    return &fuzz_site;
}

#endif
