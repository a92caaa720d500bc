/* cmd_catalog: `charter catalog import FILE`, an OSCAL catalog (and a
 * profile selecting from it) converted by oscal.c into a charter catalog,
 * written to controls/<framework>.yml through a temporary file and a
 * rename. It never replaces a file it did not write itself. docs/oscal.md. */
#include "cli.h"
#include "commands.h"
#include "config.h"
#include "fs.h"
#include "oscal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An OSCAL file given on the command line: NIST's full SP 800-53 catalog is
 * about 10 MB; anything past this is not a catalog charter should hold. */
#define IMPORT_MAX_BYTES ((size_t)64 << 20)

enum { OPT_PROFILE, OPT_FRAMEWORK, OPT_NAME, OPT_OUTPUT, OPT_FORCE, OPT_SITE };

static const cli_option options[] = {
    [OPT_PROFILE] = {"profile", "FILE",
                     "an OSCAL profile: the controls it leaves out are not applicable"},
    [OPT_FRAMEWORK] = {"framework", "ID", "the framework's id (default: the title as a slug)"},
    [OPT_NAME] = {"name", "NAME", "the framework's name (default: the catalog's title)"},
    [OPT_OUTPUT] = {"output", "FILE",
                    "write here (default: controls/<framework>.yml; - for stdout)"},
    [OPT_FORCE] = {"force", NULL, "replace a catalog an earlier import wrote"},
    [OPT_SITE] = {"site", "DIR", "the site directory (default: . or the nearest above it)"},
    {NULL, NULL, NULL},
};

const cli_command cmd_catalog_def = {
    "catalog",
    "Import an OSCAL catalog as one of the site's control catalogs. It reads OSCAL 1.0 and\n"
    "1.1 JSON: each control's id, label, title, group and statement; withdrawn controls are\n"
    "left out. With --profile, the controls the profile does not select are written not\n"
    "applicable.",
    "import FILE [--profile FILE] [--framework ID] [--name NAME] [--output FILE] [--force] "
    "[--site DIR]",
    "The catalog is written to controls/<framework>.yml in the site (the site.yml setting\n"
    "controls: moves it), starting with a comment naming its source. A file that exists is\n"
    "replaced only with --force, and only when an earlier import wrote it. site.yml's\n"
    "oscal_catalogs: converts the same way at every build instead (docs/oscal.md).\n\n"
    "exit status: 0 written (warnings, such as profile ids the catalog lacks, are\n"
    "printed), 2 usage error, a file in the way, an unreadable or invalid OSCAL file, or an\n"
    "IO error (nothing is written).\n",
    options,
    cmd_catalog,
};

typedef struct catalog_opts {
    const char *profile, *framework, *name, *output, *site;
    int force;
} catalog_opts;

static int on_option(void *ctx, int opt, const char *value)
{
    catalog_opts *o = ctx;
    switch (opt) {
    case OPT_PROFILE:
        o->profile = value;
        break;
    case OPT_FRAMEWORK:
        o->framework = value;
        break;
    case OPT_NAME:
        o->name = value;
        break;
    case OPT_OUTPUT:
        o->output = value;
        break;
    case OPT_FORCE:
        o->force = 1;
        break;
    case OPT_SITE:
        o->site = value;
        break;
    }
    return 0;
}

/* Reads an OSCAL file named on the command line (anywhere: it is not a
 * site's source), refusing anything but a regular file within
 * IMPORT_MAX_BYTES. 0, or -1 after reporting. */
static int read_input(buf *out, const char *path, diags *d)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size > IMPORT_MAX_BYTES)
        return diag_error(d, path, 0, 0, "too-large", "'%s' is %lld bytes, over the limit of %zu",
                          path, (long long)st.st_size, IMPORT_MAX_BYTES);
    return fs_read(out, path, NULL, d);
}

/* The site's catalog directory: site.yml's controls:, else "controls",
 * when it is a folder inside the site or missing. 0, or -1 after
 * reporting. */
static int controls_dir(buf *out, const char *site, diags *d)
{
    int err = -1;
    fs_root root;
    site_config cfg = {0};
    buf text;
    buf_init(&text);
    if (fs_root_init(&root, site, d) != 0) {
        buf_release(&text);
        return -1;
    }
    int kind = fs_source_kind(&root, "site.yml", NULL, d);
    if (kind < 0)
        goto done;
    if (kind == FS_MISSING) {
        buf_adds(out, "controls");
    } else {
        if (fs_read_source(&text, &root, "site.yml", SITE_YML_MAX, NULL, d) != 0 ||
            config_parse(&cfg, text.data, text.len, d) != 0)
            goto done;
        buf_adds(out, cfg.controls);
    }
    /* The catalog is written inside the site: a controls folder that is a
     * link leading out of it (reported by fs_source_kind) or no folder at
     * all is refused, as charter new refuses such a content folder. */
    kind = fs_source_kind(&root, out->data, NULL, d);
    if (kind < 0)
        goto done;
    if (kind != FS_MISSING && kind != FS_DIR) {
        diag_error(d, NULL, 0, 0, "io", "'%s' is not a folder; nothing was written", out->data);
        goto done;
    }
    err = 0;
done:
    config_release(&cfg);
    fs_root_release(&root);
    buf_release(&text);
    return err;
}

/* Whether path may be written: nothing there, or, with force, a regular
 * file (no link) that starts with OSCAL_HEADER. 0, or -1 after saying why
 * not. */
static int may_write(const char *path, int force, diags *d)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT
                   ? 0
                   : diag_error(d, path, 0, 0, "io", "cannot read '%s': %s", path, strerror(errno));
    if (!force)
        return diag_error(d, NULL, 0, 0, "io",
                          "'%s' exists; nothing was written (--force replaces a catalog an "
                          "earlier import wrote)",
                          path);
    if (!S_ISREG(st.st_mode))
        return diag_error(d, NULL, 0, 0, "io",
                          "'%s' is not a regular file; nothing was written, even with --force",
                          path);
    char head[sizeof OSCAL_HEADER - 1];
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, head, sizeof head) : -1;
    if (fd >= 0)
        close(fd);
    if (n != (ssize_t)sizeof head || memcmp(head, OSCAL_HEADER, sizeof head) != 0)
        return diag_error(d, NULL, 0, 0, "io",
                          "refusing to replace '%s' even with --force: it does not start "
                          "with '# Generated by charter catalog import', so no import wrote it",
                          path);
    return 0;
}

/* Writes text to path through a new file beside it, renamed over path, so
 * a reader never sees half a catalog. 0, or -1 after reporting. */
static int write_atomic(const char *path, const buf *text, diags *d)
{
    buf tmp;
    buf_init(&tmp);
    buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
    fs_chunk c = {text->data, text->len};
    int err = fs_write_new(tmp.data, O_EXCL | O_NOFOLLOW, fs_fill_once, &c, NULL, NULL, d);
    if (!err && rename(tmp.data, path) != 0) {
        err = diag_error(d, NULL, 0, 0, "io", "cannot write '%s': %s", path, strerror(errno));
        unlink(tmp.data);
    }
    buf_release(&tmp);
    return err;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

int cmd_catalog(int argc, char **argv)
{
    catalog_opts o = {0};
    const char *args[2];
    int n_args;
    int rc = cli_parse_args(&cmd_catalog_def, argc, argv, on_option, &o, args, 2, &n_args);
    if (rc != 0)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    o.site = cmd_site(o.site);
    if (n_args == 0) {
        cli_usage_error(&cmd_catalog_def, "missing the action, as in 'charter catalog import "
                                          "FILE'");
        return EXIT_USAGE;
    }
    if (strcmp(args[0], "import") != 0) {
        buf t;
        buf_init(&t);
        diag_term_safe(&t, args[0], strlen(args[0]));
        cli_usage_error(&cmd_catalog_def, "unknown action '%s': the action is import", t.data);
        buf_release(&t);
        return EXIT_USAGE;
    }
    if (n_args < 2) {
        cli_usage_error(&cmd_catalog_def, "missing FILE, the OSCAL catalog to import");
        return EXIT_USAGE;
    }
    if (o.framework && !oscal_framework_id_ok(o.framework)) {
        cli_usage_error(&cmd_catalog_def,
                        "'%s' cannot be a framework id: use letters, digits, '.', '-' and '_' "
                        "(not applicability or crosswalk-*)",
                        o.framework);
        return EXIT_USAGE;
    }
    const char *file = args[1];
    int status = EXIT_USAGE;
    diags *d = diag_new(NULL);
    buf cat, prof, yaml, fw, header, path;
    buf *bufs[] = {&cat, &prof, &yaml, &fw, &header, &path};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        buf_init(bufs[i]);
    oscal_counts n;

    if (read_input(&cat, file, d) != 0 || (o.profile && read_input(&prof, o.profile, d) != 0))
        goto done;
    buf_printf(&header, "Generated by charter catalog import from %s", base_name(file));
    if (o.profile)
        buf_printf(&header, " with the profile %s", base_name(o.profile));
    buf_adds(&header, ".\nImport again (with --force) rather than edit this file; "
                      "controls/applicability.yml\noverrides what it says of applicability.");
    oscal_input ci = {file, cat.data, cat.len}, pi = {o.profile, prof.data, prof.len};
    if (oscal_convert(&yaml, &fw, &n, &ci, o.profile ? &pi : NULL, o.framework, o.name, header.data,
                      d) != 0)
        goto done;

    int to_stdout = o.output && !strcmp(o.output, "-");
    if (o.output) {
        buf_adds(&path, o.output);
    } else {
        buf dir;
        buf_init(&dir);
        int err = controls_dir(&dir, o.site, d);
        if (!err)
            buf_printf(&path, "%s%s%s/%s.yml", strcmp(o.site, ".") ? o.site : "",
                       strcmp(o.site, ".") ? "/" : "", dir.data, fw.data);
        buf_release(&dir);
        if (err)
            goto done;
    }
    if (to_stdout) {
        if (fs_write_fd(1, yaml.data, yaml.len) != 0) {
            diag_error(d, NULL, 0, 0, "io", "cannot write to standard output: %s", strerror(errno));
            goto done;
        }
    } else if (may_write(path.data, o.force, d) != 0 || write_atomic(path.data, &yaml, d) != 0) {
        goto done;
    }
    buf shown;
    buf_init(&shown);
    diag_term_safe(&shown, path.data, path.len);
    FILE *say = to_stdout ? stderr : stdout;
    if (!to_stdout)
        fprintf(say, "wrote %s\n", shown.data);
    buf_reset(&shown);
    diag_term_safe(&shown, fw.data, fw.len);
    fprintf(say, "framework: %s\ncontrols: %zu", shown.data, n.controls);
    if (o.profile)
        fprintf(say, " (%zu selected by the profile, %zu not applicable)", n.applicable,
                n.controls - n.applicable);
    fprintf(say, "\nwithdrawn, left out: %zu\n", n.withdrawn);
    if (o.profile)
        fprintf(say, "profile ids the catalog lacks: %zu\n", n.profile_missing);
    buf_release(&shown);
    status = EXIT_OK;
done:
    fflush(stdout);
    cmd_print_diags(d);
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        buf_release(bufs[i]);
    diag_free(d);
    return status;
}
