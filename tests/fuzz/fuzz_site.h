/* fuzz_site.h: a site folder for the targets that read a site's files
 * (catalog_load_with reads the site's controls/ besides the texts it is
 * given; others write their input there first): made empty once per
 * process under /tmp, removed with what it holds at its exit. */
#ifndef CHARTER_FUZZ_SITE_H
#define CHARTER_FUZZ_SITE_H

#include "fuzz.h"

#include "buf.h"
#include "fs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char fuzz_site_dir[] = "/tmp/charter-fuzz-site-XXXXXX";
static fs_root fuzz_site;

static void fuzz_site_remove(void)
{
    fs_root_release(&fuzz_site);
    diags *quiet = diag_new(NULL);
    fs_remove_tree(fuzz_site_dir, quiet);
    diag_free(quiet);
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

/* The full path of rel below the folder, in path, with the folders it
 * lies in made. */
static inline void fuzz_site_path(buf *path, const char *rel)
{
    buf_printf(path, "%s/%s", fuzz_empty_site()->path, rel);
    for (char *slash = strchr(path->data + strlen(fuzz_site_dir) + 1, '/'); slash;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path->data, 0777);
        *slash = '/';
    }
}

/* Writes len bytes of text to rel below the folder, making its folders. */
static inline void fuzz_site_put(const char *rel, const void *text, size_t len)
{
    buf path;
    buf_init(&path);
    fuzz_site_path(&path, rel);
    int fd = open(path.data, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    FUZZ_CHECK(fd >= 0);
    FUZZ_CHECK(write(fd, text, len) == (ssize_t)len);
    close(fd);
    buf_release(&path);
}

/* Removes rel below the folder, if it is there. */
static inline void fuzz_site_unlink(const char *rel)
{
    buf path;
    buf_init(&path);
    buf_printf(&path, "%s/%s", fuzz_empty_site()->path, rel);
    unlink(path.data);
    buf_release(&path);
}

#endif
