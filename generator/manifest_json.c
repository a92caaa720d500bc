/* manifest_json: writes the published manifest (manifest_json.h) through
 * the one JSON writer (json.c) and the one door out (output.c), and reads
 * the build's provenance from git through the history module. */
#include "manifest_json.h"

#include "dates.h"
#include "history.h"
#include "json.h"
#include "output.h"
#include "site.h"

#include <string.h>

/* Appends "\n" and path (a folder's with its final '/'), unless a newline
 * in it would split the list. */
static void add_path(buf *out, const char *path, int folder)
{
    if (path && *path && !strchr(path, '\n'))
        buf_printf(out, "\n%s%s", path, folder ? "/" : "");
}

void build_settings_paths(buf *out, const site *s)
{
    const site_config *c = &s->cfg;
    buf_adds(out, c->file ? c->file : "site.yml");
    add_path(out, c->layouts, 1);
    add_path(out, c->controls, 1);
    add_path(out, c->assets, 1);
    for (size_t i = 0; i < c->n_statics; i++)
        add_path(out, c->statics[i], 1);
    for (size_t i = 0; i < c->n_oscal_catalogs; i++) {
        add_path(out, c->oscal_catalogs[i].catalog, 0);
        add_path(out, c->oscal_catalogs[i].profile, 0);
    }
    add_path(out, c->keyring, 0);
    add_path(out, c->allowed_signers, 0);
}

static int settings_clean(const site *s)
{
    buf paths;
    buf_init(&paths);
    build_settings_paths(&paths, s);
    int clean = history_paths_clean(s->root, paths.data);
    buf_release(&paths);
    return clean;
}

void build_provenance_read(build_provenance *p, const site *s)
{
    memset(p, 0, sizeof *p);
    date_format(p->as_of, s->as_of);
    if (s->git_commit) {
        /* --at: built from that commit's objects, so clean by making. */
        p->in_repo = 1;
        p->clean = 1;
        memcpy(p->commit, s->git_commit, sizeof p->commit);
        return;
    }
    buf content;
    buf_init(&content);
    site_path(&content, s, s->cfg.content);
    int clean = 0;
    if (history_head(p->commit, &clean, s->root, content.data) == 0) {
        p->in_repo = 1;
        p->clean = clean && settings_clean(s) == 1;
    }
    buf_release(&content);
}

void build_provenance_set(build_provenance *p, const site *s, const char *commit, int clean)
{
    memset(p, 0, sizeof *p);
    date_format(p->as_of, s->as_of);
    p->in_repo = 1;
    p->clean = clean;
    snprintf(p->commit, sizeof p->commit, "%s", commit);
}

void manifest_json_write(buf *out, const manifest_entry *v, size_t n, const build_provenance *p)
{
    json_writer w;
    json_writer_init(&w, out, 0);
    json_begin_object(&w, JSON_BLOCK);
    json_member_str(&w, "schema", MANIFEST_JSON_SCHEMA);
    json_member_str(&w, "charter", CHARTER_VERSION);
    json_member_str(&w, "commit", p->commit[0] ? p->commit : NULL);
    json_key(&w, "clean");
    if (p->in_repo)
        json_bool(&w, p->clean);
    else
        json_null(&w);
    json_member_str(&w, "as_of", p->as_of);
    json_key(&w, "files");
    json_begin_array(&w, JSON_BLOCK);
    for (size_t i = 0; i < n; i++) {
        json_begin_object(&w, JSON_LINE);
        json_member_str(&w, "path", v[i].rel);
        json_member_int(&w, "size", v[i].size);
        json_member_str(&w, "sha256", v[i].hex);
        json_end(&w);
    }
    json_end(&w);
    json_end(&w);
    json_writer_release(&w);
    buf_addc(out, '\n');
}

int manifest_json_publish(output *o, const build_provenance *p, diags *d)
{
    manifest_entry *v = NULL;
    size_t n = 0;
    buf text;
    buf_init(&text);
    int err = -1;
    if (output_has(o, MANIFEST_JSON)) {
        err = 0; /* a page holds the path: reported as a collision by plan.c */
        goto done;
    }
    output_listing(&v, &n, o);
    manifest_json_write(&text, v, n, p);
    err = output_write(o, MANIFEST_JSON, text.data, text.len, d);
done:
    manifest_entries_free(v, n);
    buf_release(&text);
    return err;
}
