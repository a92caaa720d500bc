/* stamp: the last good build of an output, and whether it still stands
 * (stamp.h). The file is text, one record per line, fields escaped:
 *   charter-stamp-2 / key <hex> / since <ns> / root <path> / content <path>
 *   settings <paths, newline-separated>
 *   git <hex>
 *   target <path> / output <path> / manifest <hex> / counts <pages> <files> <html>
 *   finding <level> <line> <col> <file|-> <id> <message>   (tab-separated)
 *   trace                      then fs_trace_stop's records to the end
 * Anything unexpected makes the stamp not hold: the build is a full one. */
#include "stamp.h"

#include "fs.h"
#include "history.h"
#include "output.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STAMP_MAGIC "charter-stamp-3"
#define STAMP_MAX ((size_t)256 << 20)

static void add_field(digest *h, const char *s)
{
    digest_add(h, s, strlen(s) + 1);
}

int stamp_init(stamp_facts *f, const char *cache_dir, const char *site_dir, const char *out,
               long as_of, int no_check, const char *base_url)
{
    memset(f, 0, sizeof *f);
    char *real = realpath(site_dir, NULL), *cwd = getcwd(NULL, 0);
    int err = -1;
    if (!real || !cwd)
        goto done;
    /* One stamp per output: the site, --out and the folder it is relative to. */
    char where[DIGEST_HEX], as_of_s[32];
    digest *h = digest_new();
    add_field(h, real);
    add_field(h, out ? out : "");
    add_field(h, out ? "--out" : "site.yml");
    add_field(h, cwd);
    digest_hex(h, where);
    digest_free(h);
    if ((size_t)snprintf(f->path, sizeof f->path, "%s/stamp-%.16s", cache_dir, where) >=
        sizeof f->path)
        goto done;
    /* And what the build is asked, by which charter. */
    snprintf(as_of_s, sizeof as_of_s, "%ld", as_of);
    h = digest_new();
    add_field(h, STAMP_MAGIC);
    add_field(h, digest_self());
    add_field(h, where);
    add_field(h, as_of_s);
    add_field(h, no_check == 2 ? "no-check, levels kept" : no_check ? "no-check" : "check");
    add_field(h, base_url ? base_url : "");
    digest_hex(h, f->key);
    digest_free(h);
    err = 0;
done:
    free(real);
    free(cwd);
    return err;
}

void stamp_forget(const char *cache_dir, const char *site_dir, const char *out)
{
    stamp_facts f;
    if (stamp_init(&f, cache_dir, site_dir, out, 0, 0, NULL) == 0)
        unlink(f.path);
    stamp_release(&f);
}

void stamp_release(stamp_facts *f)
{
    if (!f)
        return;
    free(f->root);
    free(f->content);
    free(f->settings);
    free(f->target);
    free(f->output);
    f->root = f->content = f->settings = f->target = f->output = NULL;
}

void stamp_findings(buf *out, const diags *d)
{
    size_t n;
    const diag_entry *e = diag_entries(d, &n);
    for (size_t i = 0; i < n; i++) {
        buf_printf(out, "finding\t%d\t%d\t%d\t", (int)e[i].level, e[i].line, e[i].col);
        if (e[i].file)
            buf_add_escaped(out, e[i].file);
        else
            buf_addc(out, '-');
        buf_addc(out, '\t');
        buf_add_escaped(out, e[i].id);
        buf_addc(out, '\t');
        buf_add_escaped(out, e[i].message);
        buf_addc(out, '\n');
    }
}

void stamp_write(const stamp_facts *f, const buf *findings, const buf *trace)
{
    char manifest[DIGEST_HEX];
    if (!f->git[0] || output_manifest_digest(manifest, f->target) != 0)
        return;
    buf out;
    buf_init(&out);
    buf_printf(&out, "%s\nkey %s\nsince %lld\nroot ", STAMP_MAGIC, f->key, f->since);
    buf_add_escaped(&out, f->root);
    buf_adds(&out, "\ncontent ");
    buf_add_escaped(&out, f->content);
    buf_adds(&out, "\nsettings ");
    buf_add_escaped(&out, f->settings ? f->settings : "");
    buf_printf(&out, "\ngit %s\nhead %s\ntarget ", f->git, f->head);
    buf_add_escaped(&out, f->target);
    buf_adds(&out, "\noutput ");
    buf_add_escaped(&out, f->output ? f->output : f->target);
    buf_printf(&out, "\nmanifest %s\ncounts %zu %zu %zu\n", manifest, f->pages, f->files, f->html);
    buf_add(&out, findings->data, findings->len);
    buf_adds(&out, "trace\n");
    buf_add(&out, trace->data, trace->len);
    diags *quiet = diag_new(NULL);
    fs_write_cache(f->path, out.data, out.len, "output", quiet);
    diag_free(quiet);
    buf_release(&out);
}

/* The value of the line `name <value>` at *p (then moved past it), as a
 * new unescaped string; NULL when the line is another. */
static char *field(const char **p, const char *end, const char *name)
{
    size_t nl = strlen(name);
    const char *eol = memchr(*p, '\n', (size_t)(end - *p));
    if (!eol || (size_t)(eol - *p) < nl + 1 || memcmp(*p, name, nl) != 0 || (*p)[nl] != ' ')
        return NULL;
    buf v;
    buf_init(&v);
    buf_add_unescaped(&v, *p + nl + 1, (size_t)(eol - *p - nl - 1));
    *p = eol + 1;
    return buf_detach(&v);
}

/* Splits a finding's line (without "finding\t") into its 6 fields and
 * reports it into `into` (NULL: only checks it). 0, or -1 when malformed. */
static int replay_finding(const char *s, const char *eol, diags *into)
{
    const char *f[6];
    size_t len[6];
    for (int i = 0; i < 6; i++) {
        const char *tab = i < 5 ? memchr(s, '\t', (size_t)(eol - s)) : eol;
        if (!tab)
            return -1;
        f[i] = s;
        len[i] = (size_t)(tab - s);
        s = tab + 1;
    }
    buf file, id, msg;
    buf_init(&file);
    buf_init(&id);
    buf_init(&msg);
    buf_add_unescaped(&file, f[3], len[3]);
    buf_add_unescaped(&id, f[4], len[4]);
    buf_add_unescaped(&msg, f[5], len[5]);
    int level = atoi(f[0]);
    int err = level < DIAG_ERROR || level > DIAG_NOTE ? -1 : 0;
    if (!err && into)
        diag_report(into, (diag_level)level, strcmp(file.data, "-") ? file.data : NULL, atoi(f[1]),
                    atoi(f[2]), id.data, "%s", msg.data);
    buf_release(&file);
    buf_release(&id);
    buf_release(&msg);
    return err;
}

typedef struct out_check {
    const char *target, *cache_dir, *manifest;
    int same;
    atomic_int stop; /* the sources changed: the answer is not needed */
} out_check;

static void *check_output(void *arg)
{
    out_check *c = arg;
    c->same = output_unchanged(c->target, c->cache_dir, c->manifest, &c->stop);
    return NULL;
}

/* The output directory the stamp at path was written for (caller frees),
 * read from its head only; NULL when path holds no stamp. */
static char *stamp_target(const char *path)
{
    /* The lines before it: the magic, key, since, root, content, settings,
     * git and head; root, content and a few settings paths escaped (each
     * byte at most four). */
    static const char *const before[] = {"key",      "since", "root", "content",
                                         "settings", "git",   "head"};
    size_t ml = strlen(STAMP_MAGIC);
    buf head;
    buf_init(&head);
    char *target = NULL, *skip = NULL;
    if (fs_read_head(&head, path, 8 * PATH_MAX + 1024) != 0 || head.len <= ml ||
        memcmp(head.data, STAMP_MAGIC "\n", ml + 1) != 0)
        goto done;
    const char *p = head.data + ml + 1, *end = head.data + head.len;
    for (size_t i = 0; i < sizeof before / sizeof *before; i++) {
        free(skip);
        if (!(skip = field(&p, end, before[i])))
            goto done;
    }
    target = field(&p, end, "target");
done:
    free(skip);
    buf_release(&head);
    return target;
}

void stamp_prune(const char *cache_dir, const char *name)
{
    if (strncmp(name, "stamp-", 6) != 0 || strlen(name) != 22 ||
        strspn(name + 6, "0123456789abcdef") != 16)
        return;
    buf path;
    buf_init(&path);
    buf_printf(&path, "%s/%s", cache_dir, name);
    char *target = stamp_target(path.data);
    struct stat st;
    if (target && target[0] == '/' && lstat(target, &st) != 0 && errno == ENOENT)
        unlink(path.data);
    free(target);
    buf_release(&path);
}

/* A stamp's text taken apart: its fields (new strings, freed by
 * stamp_text_release) and where its trace begins. */
typedef struct stamp_text {
    char *key, *since, *root, *content, *settings, *git, *head, *target, *output, *manifest,
        *counts;
    size_t pages, files, html; /* counts, parsed */
    const char *trace, *end;
} stamp_text;

static void stamp_text_release(stamp_text *t)
{
    free(t->key);
    free(t->since);
    free(t->root);
    free(t->content);
    free(t->settings);
    free(t->git);
    free(t->head);
    free(t->target);
    free(t->output);
    free(t->manifest);
    free(t->counts);
    memset(t, 0, sizeof *t);
}

/* Parses text into *t up to its trace, replaying its findings into `found`
 * (NULL: each only checked). 0, or -1 when it is not a well-formed stamp
 * written with `key` (then *t is released). */
static int stamp_parse(stamp_text *t, const buf *text, const char *key, diags *found)
{
    memset(t, 0, sizeof *t);
    const char *p = text->data, *end = text->data + text->len;
    size_t ml = strlen(STAMP_MAGIC);
    if (text->len <= ml || memcmp(p, STAMP_MAGIC "\n", ml + 1) != 0)
        goto bad;
    p += ml + 1;
    if (!(t->key = field(&p, end, "key")) || strcmp(t->key, key) != 0 ||
        !(t->since = field(&p, end, "since")) || !(t->root = field(&p, end, "root")) ||
        !(t->content = field(&p, end, "content")) || !(t->settings = field(&p, end, "settings")) ||
        !(t->git = field(&p, end, "git")) || !(t->head = field(&p, end, "head")) ||
        !(t->target = field(&p, end, "target")) || !(t->output = field(&p, end, "output")) ||
        !(t->manifest = field(&p, end, "manifest")) || !(t->counts = field(&p, end, "counts")) ||
        sscanf(t->counts, "%zu %zu %zu", &t->pages, &t->files, &t->html) != 3)
        goto bad;
    for (;;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            goto bad;
        if (eol - p == 5 && !memcmp(p, "trace", 5)) {
            t->trace = eol + 1;
            t->end = end;
            return 0;
        }
        if (strncmp(p, "finding\t", 8) != 0 || replay_finding(p + 8, eol, found) != 0)
            goto bad;
        p = eol + 1;
    }
bad:
    stamp_text_release(t);
    return -1;
}

static int trace_holds(const stamp_text *t)
{
    return fs_trace_holds(t->trace, (size_t)(t->end - t->trace), atoll(t->since));
}

/* Whether HEAD names another commit than t records (a commit or a
 * checkout since, which changes what the site is built from), as git's own
 * files in the git folder above the caches folder `path_in` tell it
 * (history_head_peek; `levels`: how many names to take off path_in to get
 * there). 0 when they cannot tell, or t records none. */
static int head_moved(const stamp_text *t, const char *path_in, int levels)
{
    if (!t->head[0])
        return 0;
    buf gitdir;
    buf_init(&gitdir);
    buf_adds(&gitdir, path_in);
    int moved = 0;
    for (int up = 0; up < levels; up++) {
        char *slash = strrchr(gitdir.data, '/');
        if (!slash || slash == gitdir.data)
            goto done;
        buf_truncate(&gitdir, (size_t)(slash - gitdir.data));
    }
    char now[41];
    moved = history_head_peek(now, gitdir.data) == 0 && strcmp(now, t->head) != 0;
done:
    buf_release(&gitdir);
    return moved;
}

/* Whether what t records holds: its output, left as published, on a
 * thread of its own (its folders are many: one per page), while this one
 * checks its trace (unless `traced`: it held a moment ago), then git. */
static int stamp_verify(const stamp_text *t, const char *cache_dir, int traced)
{
    /* The output as named still leads where it led (a link there may have
     * been pointed elsewhere since). */
    buf now_at;
    buf_init(&now_at);
    int there = output_resolve(&now_at, t->output) == 0 && !strcmp(now_at.data, t->target);
    buf_release(&now_at);
    if (!there || head_moved(t, cache_dir, 1))
        return 0;
    out_check oc = {t->target, cache_dir, t->manifest, 0, 0};
    atomic_init(&oc.stop, 0);
    pthread_t th;
    int threaded = pthread_create(&th, NULL, check_output, &oc) == 0;
    char now[DIGEST_HEX];
    int same = (traced || trace_holds(t)) &&
               history_fingerprint(now, NULL, NULL, NULL, t->root, t->content, t->settings) == 0 &&
               !strcmp(now, t->git);
    if (!same) /* an edit: the build goes on, whatever the output holds */
        atomic_store(&oc.stop, 1);
    if (threaded)
        pthread_join(th, NULL);
    else if (same)
        check_output(&oc);
    return same && oc.same;
}

int stamp_probe(const stamp_facts *f, char held[DIGEST_HEX])
{
    held[0] = '\0';
    buf text;
    buf_init(&text);
    diags *quiet = diag_new(NULL);
    stamp_text t = {0};
    int verdict = -1;
    struct stat st;
    if (lstat(f->path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > STAMP_PROBE_MAX ||
        fs_read_nofollow(&text, f->path, f->path, quiet) != 0 || text.len > STAMP_MAX)
        goto done;
    verdict = 0;
    /* A commit or a checkout since (HEAD names another commit) changes
     * what the site is built from: told from git's own files in the folder
     * that holds the caches, when they can tell it. */
    if (stamp_parse(&t, &text, f->key, NULL) == 0 && !head_moved(&t, f->path, 2) &&
        trace_holds(&t)) {
        digest_of(held, text.data, text.len);
        verdict = 1;
    }
done:
    stamp_text_release(&t);
    diag_free(quiet);
    buf_release(&text);
    return verdict;
}

int stamp_holds(stamp_facts *f, const char *cache_dir, const char *held, diags *d)
{
    buf text;
    buf_init(&text);
    diags *quiet = diag_new(NULL), *found = diag_new(NULL);
    stamp_text t = {0};
    int holds = 0;
    if (fs_read_nofollow(&text, f->path, f->path, quiet) != 0 || text.len > STAMP_MAX ||
        stamp_parse(&t, &text, f->key, found) != 0)
        goto done;
    f->pages = t.pages;
    f->files = t.files;
    f->html = t.html;
    /* Its trace found holding by stamp_probe a moment ago (this very
     * text): not checked again. */
    char hex[DIGEST_HEX] = "";
    if (held && held[0])
        digest_of(hex, text.data, text.len);
    if (!stamp_verify(&t, cache_dir, hex[0] && !strcmp(hex, held)))
        goto done;
    f->root = t.root;
    f->content = t.content;
    f->target = t.target;
    t.root = t.content = t.target = NULL;
    size_t n;
    const diag_entry *e = diag_entries(found, &n);
    for (size_t i = 0; i < n; i++)
        diag_report(d, e[i].level, e[i].file, e[i].line, e[i].col, e[i].id, "%s", e[i].message);
    holds = 1;
done:
    if (!holds)
        stamp_release(f);
    stamp_text_release(&t);
    diag_free(quiet);
    diag_free(found);
    buf_release(&text);
    return holds;
}
