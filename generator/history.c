/* history: page histories from git in one pass. A first-parent revwalk from
 * HEAD diffs each commit's tree against its first parent's, limited to the
 * content directory, with rename detection; a map from "path in the commit
 * being visited" to page follows each page back through its moves, as
 * `git log --follow` does. Blobs are read only for the pages a commit
 * touched (their `version:` and whether only `last_reviewed:` changed). */
#include "history.h"

#include "buf.h"
#include "fs.h"
#include "map.h"

#include <errno.h>
#include <git2.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CACHE_MAGIC "charter-history-cache 2"

typedef struct raw_row {
    hist_row row;
    long seq;           /* commits from HEAD along the first-parent chain */
    char *declared;     /* the version the page declared then, or NULL */
    char *name, *email; /* the author as committed; .mailmap applies at the end */
} raw_row;

typedef struct page_rows {
    raw_row *rows;
    size_t n, cap;
} page_rows;

struct history {
    int found; /* a repository with a HEAD was read */
    size_t n_pages;
    page_rows *raw;
    page_history *pages;
    change *changes;
    size_t n_changes;
};

static raw_row *add_row(page_rows *pr)
{
    if (pr->n == pr->cap) {
        pr->cap = pr->cap ? pr->cap * 2 : 4;
        pr->rows = xrealloc(pr->rows, pr->cap * sizeof *pr->rows);
    }
    raw_row *r = &pr->rows[pr->n++];
    memset(r, 0, sizeof *r);
    return r;
}

static void free_row(hist_row *r)
{
    free(r->author);
    free(r->summary);
    free(r->version);
    for (size_t i = 0; i < r->n_approved; i++)
        free(r->approved_by[i]);
    for (size_t i = 0; i < r->n_reviewed; i++)
        free(r->reviewed_by[i]);
    free(r->approved_by);
    free(r->reviewed_by);
}

static void free_raw(raw_row *r)
{
    free_row(&r->row);
    free(r->declared);
    free(r->name);
    free(r->email);
}

void history_free(history *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n_pages; i++) {
        for (size_t j = 0; j < h->raw[i].n; j++)
            free_raw(&h->raw[i].rows[j]);
        free(h->raw[i].rows);
        free(h->pages[i].rows);
    }
    for (size_t i = 0; i < h->n_changes; i++) {
        free(h->changes[i].pages);
        free(h->changes[i].rows);
    }
    free(h->changes);
    free(h->raw);
    free(h->pages);
    free(h);
}

const page_history *history_page(const history *h, size_t i)
{
    static const page_history none;
    return h && i < h->n_pages ? &h->pages[i] : &none;
}

int history_found(const history *h)
{
    return h && h->found;
}

const change *history_changes(const history *h, size_t *n)
{
    *n = h ? h->n_changes : 0;
    return h ? h->changes : NULL;
}

/* --- reading a page's text ------------------------------------------------------ */

/* The value of front matter key `key` in text (a plain scan of the block
 * between the opening and closing `---` lines, quotes removed), or NULL. */
static char *fm_value(const char *text, size_t len, const char *key)
{
    const char *p = text, *end = text + len;
    if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
        p += 3;
    if (end - p < 3 || memcmp(p, "---", 3))
        return NULL;
    size_t klen = strlen(key);
    p = memchr(p, '\n', (size_t)(end - p));
    while (p && ++p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *le = eol ? eol : end;
        if (le - p >= 3 && !memcmp(p, "---", 3))
            return NULL;
        if ((size_t)(le - p) > klen && !memcmp(p, key, klen) && p[klen] == ':') {
            const char *v = p + klen + 1, *ve = le;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t' || ve[-1] == '\r'))
                ve--;
            if (ve - v >= 2 && (*v == '"' || *v == '\'') && ve[-1] == *v) {
                v++;
                ve--;
            }
            return ve > v ? xstrndup(v, (size_t)(ve - v)) : NULL;
        }
        p = eol;
    }
    return NULL;
}

/* Appends text without its `last_reviewed:` line to out. */
static void without_review_line(buf *out, const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *next = eol ? eol + 1 : end;
        if (!((size_t)(end - p) > 14 && !memcmp(p, "last_reviewed:", 14)))
            buf_add(out, p, (size_t)(next - p));
        p = next;
    }
}

/* --- git ------------------------------------------------------------------------- */

typedef struct walker {
    const site *s;
    diags *d;
    git_repository *repo;
    git_mailmap *mailmap;
    history *h;
    map *tracked; /* repo path at the commit being visited -> page index + 1 */
    const char *prefix;
    int shallow;
    int truncated;
} walker;

static void git_warning(diags *d, const char *what)
{
    const git_error *e = git_error_last();
    diag_warning(d, NULL, 0, 0, "history", "%s: %s; pages get no history", what,
                 e && e->message ? e->message : "unknown error");
}

static void fill_commit(walker *w, raw_row *rr, git_commit *c)
{
    hist_row *r = &rr->row;
    const git_oid *id = git_commit_id(c);
    git_oid_tostr(r->commit, sizeof r->commit, id);
    memcpy(r->shortid, r->commit, 7);
    r->shortid[7] = '\0';
    const git_signature *a = git_commit_author(c);
    long secs = (long)a->when.time + (long)a->when.offset * 60;
    long days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    date_format(r->date, days);
    rr->name = xstrdup(a->name);
    rr->email = xstrdup(a->email);
    (void)w;
    const char *summary = git_commit_summary(c);
    r->summary = xstrdup(summary ? summary : "");
    git_message_trailer_array tr;
    if (git_message_trailers(&tr, git_commit_message(c)) == 0) {
        for (size_t i = 0; i < tr.count; i++) {
            int approved = !strcasecmp(tr.trailers[i].key, "Approved-by");
            int reviewed = !strcasecmp(tr.trailers[i].key, "Reviewed-by");
            if (!approved && !reviewed)
                continue;
            char ***list = approved ? &r->approved_by : &r->reviewed_by;
            size_t *n = approved ? &r->n_approved : &r->n_reviewed;
            *list = xrealloc(*list, (*n + 1) * sizeof **list);
            (*list)[(*n)++] = xstrdup(tr.trailers[i].value);
        }
        git_message_trailer_array_free(&tr);
    }
}

static int read_blob(git_repository *repo, const git_oid *id, buf *out)
{
    git_blob *b = NULL;
    if (git_oid_is_zero(id) || git_blob_lookup(&b, repo, id) != 0)
        return -1;
    buf_add(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
    git_blob_free(b);
    return 0;
}

/* Records that commit c (seq-th from HEAD) changed the page tracked at the
 * delta's new path, and moves the tracking to its old path on a rename. */
static void visit_delta(walker *w, git_commit *c, long seq, const git_diff_delta *dl)
{
    const char *path = dl->new_file.path;
    intptr_t v = (intptr_t)map_get(w->tracked, path);
    if (!v)
        return;
    size_t pi = (size_t)(v - 1);
    raw_row *r = add_row(&w->h->raw[pi]);
    r->row.kind = HIST_COMMIT;
    r->seq = seq;
    fill_commit(w, r, c);
    buf now, before, a, b;
    buf_init(&now);
    buf_init(&before);
    buf_init(&a);
    buf_init(&b);
    if (read_blob(w->repo, &dl->new_file.id, &now) == 0) {
        r->declared = fm_value(now.data, now.len, "version");
        if (dl->status != GIT_DELTA_ADDED && read_blob(w->repo, &dl->old_file.id, &before) == 0 &&
            (before.len != now.len || memcmp(before.data, now.data, now.len) != 0)) {
            without_review_line(&a, now.data, now.len);
            without_review_line(&b, before.data, before.len);
            r->row.review = a.len == b.len && !memcmp(a.data, b.data, a.len);
        }
    }
    buf_release(&now);
    buf_release(&before);
    buf_release(&a);
    buf_release(&b);
    if (dl->status == GIT_DELTA_RENAMED) {
        map_remove(w->tracked, path);
        map_put(w->tracked, dl->old_file.path, (void *)v);
    } else if (dl->status == GIT_DELTA_ADDED) {
        map_remove(w->tracked, path); /* created here */
    }
}

static void collect_tracked(void *ctx, const char *path, void *value)
{
    (void)path;
    buf *b = ctx;
    size_t pi = (size_t)((intptr_t)value - 1);
    buf_add(b, &pi, sizeof pi);
}

/* Walks from HEAD along first parents until `stop` (the cached HEAD, may be
 * NULL). Returns the number of commits walked, or -1 after a warning; *met
 * is set when the walk reached stop. Parents are followed by hand rather
 * than with a revwalk so that a shallow clone's boundary (a parent that is
 * not there) ends the walk cleanly: that commit is compared with nothing,
 * as `git log` does, and every page it reaches is marked truncated. */
static long walk(walker *w, const git_oid *stop, int *met)
{
    long seq = 0;
    *met = 0;
    git_commit *c = NULL, *parent = NULL;
    git_tree *tree = NULL, *ptree = NULL;
    git_diff *diff = NULL;
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    char *spec = (char *)w->prefix;
    opts.pathspec.strings = &spec;
    opts.pathspec.count = 1;
    opts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
    git_diff_find_options fo;
    git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
    fo.flags = GIT_DIFF_FIND_RENAMES;
    git_oid id;
    if (git_reference_name_to_id(&id, w->repo, "HEAD") != 0 ||
        git_commit_lookup(&c, w->repo, &id) != 0) {
        git_warning(w->d, "cannot read HEAD");
        return -1;
    }
    while (c && map_count(w->tracked)) {
        if (stop && git_oid_equal(git_commit_id(c), stop)) {
            *met = 1;
            break;
        }
        if (git_commit_tree(&tree, c) != 0) {
            git_warning(w->d, "cannot read a commit");
            seq = -1;
            goto done;
        }
        int grafted = 0;
        if (git_commit_parentcount(c) > 0) {
            if (git_commit_parent(&parent, c, 0) != 0 || git_commit_tree(&ptree, parent) != 0)
                grafted = 1; /* a shallow clone's boundary */
        }
        buf at_boundary;
        buf_init(&at_boundary);
        if (grafted) {
            w->truncated = 1;
            map_each(w->tracked, collect_tracked, &at_boundary);
        }
        if (git_diff_tree_to_tree(&diff, w->repo, ptree, tree, &opts) != 0 ||
            git_diff_find_similar(diff, &fo) != 0) {
            git_warning(w->d, "cannot compare commits");
            buf_release(&at_boundary);
            seq = -1;
            goto done;
        }
        size_t n = git_diff_num_deltas(diff);
        for (size_t i = 0; i < n; i++)
            visit_delta(w, c, seq, git_diff_get_delta(diff, i));
        const size_t *pages = (const size_t *)(void *)at_boundary.data;
        for (size_t i = 0; i < at_boundary.len / sizeof *pages; i++) {
            page_rows *pr = &w->h->raw[pages[i]];
            raw_row *r = add_row(pr);
            r->row.kind = HIST_TRUNCATED;
            r->seq = seq;
        }
        buf_release(&at_boundary);
        git_diff_free(diff);
        diff = NULL;
        git_tree_free(ptree);
        ptree = NULL;
        git_tree_free(tree);
        tree = NULL;
        git_commit_free(c);
        c = grafted ? NULL : parent; /* NULL after the root commit too */
        parent = NULL;
        seq++;
    }
done:
    git_diff_free(diff);
    git_tree_free(ptree);
    git_commit_free(parent);
    git_tree_free(tree);
    git_commit_free(c);
    return seq;
}

/* --- the cache ------------------------------------------------------------------ */

/* Text, one record per line, tab-separated, every field escaped (\t \n \\):
 *   charter-history-cache 1 / head <oid> / prefix <path>
 *   path <repo path at head>            then its rows:
 *   row <seq> <commit> <date> <review> <author> <summary> <declared|-> <approved> <reviewed>
 * Anything unexpected makes the whole cache ignored. */

static void esc(buf *out, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\t')
            buf_adds(out, "\\t");
        else if (*s == '\n')
            buf_adds(out, "\\n");
        else if (*s == '\\')
            buf_adds(out, "\\\\");
        else
            buf_addc(out, *s);
    }
}

static char *unesc(const char *s, size_t len)
{
    buf b;
    buf_init(&b);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len) {
            i++;
            buf_addc(&b, s[i] == 't' ? '\t' : s[i] == 'n' ? '\n' : s[i]);
        } else {
            buf_addc(&b, s[i]);
        }
    }
    return buf_detach(&b);
}

static void esc_list(buf *out, char **items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_addc(out, '\x1f');
        esc(out, items[i]);
    }
}

static size_t split_list(char ***out, const char *s)
{
    size_t n = 0;
    *out = NULL;
    while (*s) {
        size_t len = strcspn(s, "\x1f");
        *out = xrealloc(*out, (n + 1) * sizeof **out);
        (*out)[n++] = unesc(s, len);
        s += len + (s[len] != '\0');
    }
    return n;
}

typedef struct cached {
    git_oid head;
    map *by_path; /* repo path -> index into rows_of */
    page_rows *rows_of;
    size_t n;
} cached;

static void cached_free(cached *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        for (size_t j = 0; j < c->rows_of[i].n; j++)
            free_raw(&c->rows_of[i].rows[j]);
        free(c->rows_of[i].rows);
    }
    free(c->rows_of);
    map_free(c->by_path);
    free(c);
}

/* Splits line into at most max tab-separated fields (pointers into line,
 * which is modified). Returns the count. */
static size_t fields(char *line, char **f, size_t max)
{
    size_t n = 0;
    while (n < max) {
        f[n++] = line;
        char *t = strchr(line, '\t');
        if (!t)
            break;
        *t = '\0';
        line = t + 1;
    }
    return n;
}

static cached *cache_read(const char *path, const char *prefix)
{
    buf text;
    buf_init(&text);
    cached *c = NULL;
    diags *quiet = diag_new(NULL);
    if (fs_read(&text, path, path, quiet) != 0)
        goto fail;
    c = xcalloc(1, sizeof *c);
    c->by_path = map_new();
    char *save = NULL;
    int line_no = 0;
    page_rows *cur = NULL;
    for (char *line = strtok_r(text.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        line_no++;
        char *f[10];
        size_t nf = fields(line, f, 10);
        if (line_no == 1) {
            if (strcmp(line, CACHE_MAGIC) != 0)
                goto fail;
        } else if (line_no == 2) {
            if (nf != 2 || strcmp(f[0], "head") || git_oid_fromstr(&c->head, f[1]) != 0)
                goto fail;
        } else if (line_no == 3) {
            if (nf != 2 || strcmp(f[0], "prefix") || strcmp(f[1], prefix) != 0)
                goto fail; /* a cache for another content directory */
        } else if (nf == 2 && !strcmp(f[0], "path")) {
            c->rows_of = xrealloc(c->rows_of, (c->n + 1) * sizeof *c->rows_of);
            cur = &c->rows_of[c->n];
            memset(cur, 0, sizeof *cur);
            char *p = unesc(f[1], strlen(f[1]));
            map_put(c->by_path, p, (void *)(intptr_t)(c->n + 1));
            free(p);
            c->n++;
        } else if (nf == 10 && !strcmp(f[0], "row") && cur) {
            raw_row *r = add_row(cur);
            char *endp;
            r->seq = strtol(f[1], &endp, 10);
            if (*endp || r->seq < 0 || (strcmp(f[2], "-") && strlen(f[2]) != 40) ||
                strlen(f[3]) > 10 || (strcmp(f[4], "0") && strcmp(f[4], "1")))
                goto fail;
            if (!strcmp(f[2], "-")) {
                r->row.kind = HIST_TRUNCATED;
            } else {
                r->row.kind = HIST_COMMIT;
                memcpy(r->row.commit, f[2], 41);
                memcpy(r->row.shortid, f[2], 7);
                strcpy(r->row.date, f[3]);
                const char *sep = strchr(f[5], '\x1f');
                if (!sep)
                    goto fail;
                r->name = unesc(f[5], (size_t)(sep - f[5]));
                r->email = unesc(sep + 1, strlen(sep + 1));
                r->row.summary = unesc(f[6], strlen(f[6]));
            }
            r->row.review = f[4][0] == '1';
            r->declared = strcmp(f[7], "-") ? unesc(f[7], strlen(f[7])) : NULL;
            r->row.n_approved = split_list(&r->row.approved_by, f[8]);
            r->row.n_reviewed = split_list(&r->row.reviewed_by, f[9]);
        } else {
            goto fail;
        }
    }
    if (line_no < 3)
        goto fail;
    buf_release(&text);
    diag_free(quiet);
    return c;
fail:
    cached_free(c);
    buf_release(&text);
    diag_free(quiet);
    return NULL;
}

/* Writes every page's rows (commit and truncated ones) keyed by its path at
 * head; seqs as they are (head is where they count from). */
static void cache_write(const site *s, const history *h, const char *dir, const git_oid *head,
                        const char *prefix, char *const *paths, diags *d)
{
    buf out, path, tmp;
    buf_init(&out);
    buf_init(&path);
    buf_init(&tmp);
    char hex[41];
    git_oid_tostr(hex, sizeof hex, head);
    buf_printf(&out, "%s\nhead\t%s\nprefix\t%s\n", CACHE_MAGIC, hex, prefix);
    for (size_t i = 0; i < h->n_pages; i++) {
        if (!paths[i])
            continue;
        buf_adds(&out, "path\t");
        esc(&out, paths[i]);
        buf_addc(&out, '\n');
        for (size_t j = 0; j < h->raw[i].n; j++) {
            const raw_row *r = &h->raw[i].rows[j];
            if (r->row.kind != HIST_COMMIT && r->row.kind != HIST_TRUNCATED)
                continue;
            buf_printf(&out, "row\t%ld\t%s\t%s\t%d\t", r->seq,
                       r->row.kind == HIST_COMMIT ? r->row.commit : "-", r->row.date,
                       r->row.review);
            esc(&out, r->name);
            buf_addc(&out, '\x1f');
            esc(&out, r->email);
            buf_addc(&out, '\t');
            esc(&out, r->row.summary);
            buf_addc(&out, '\t');
            if (r->declared)
                esc(&out, r->declared);
            else
                buf_addc(&out, '-');
            buf_addc(&out, '\t');
            esc_list(&out, r->row.approved_by, r->row.n_approved);
            buf_addc(&out, '\t');
            esc_list(&out, r->row.reviewed_by, r->row.n_reviewed);
            buf_addc(&out, '\n');
        }
    }
    /* .charter/ ignores itself, so no .gitignore of the site needs editing. */
    buf_printf(&path, "%s/.gitignore", dir);
    if (fs_write(path.data, "*\n", 2, d) == 0) {
        buf_reset(&path);
        buf_printf(&path, "%s/history.cache", dir);
        buf_printf(&tmp, "%s/history.cache.tmp", dir);
        if (fs_write(tmp.data, out.data, out.len, d) == 0 && rename(tmp.data, path.data) != 0)
            diag_warning(d, NULL, 0, 0, "history", "cannot write '%s': %s", path.data,
                         strerror(errno));
    }
    (void)s;
    buf_release(&out);
    buf_release(&path);
    buf_release(&tmp);
}

/* --- assembling ------------------------------------------------------------------ */

typedef struct seq_change {
    long seq;
    change ch;
} seq_change;

static int cmp_seq(const void *a, const void *b)
{
    const seq_change *x = a, *y = b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Running numbers, the public row arrays, the changelog. */
/* git matches .mailmap emails ignoring case (gitmailmap(5)); libgit2 1.5
 * does not, so both the map and the lookups use lowercased emails. */
static void lower_emails(buf *b)
{
    int in = 0;
    for (size_t i = 0; i < b->len; i++) {
        char ch = b->data[i];
        if (ch == '<')
            in = 1;
        else if (ch == '>')
            in = 0;
        else if (in && ch >= 'A' && ch <= 'Z')
            b->data[i] = (char)(ch - 'A' + 'a');
    }
}

static git_mailmap *load_mailmap(const char *workdir)
{
    git_mailmap *mm = NULL;
    buf text, path;
    buf_init(&text);
    buf_init(&path);
    buf_printf(&path, "%s.mailmap", workdir);
    diags *quiet = diag_new(NULL);
    if (fs_read(&text, path.data, path.data, quiet) == 0) {
        lower_emails(&text);
        if (git_mailmap_from_buffer(&mm, text.data, text.len) != 0)
            mm = NULL;
    }
    diag_free(quiet);
    buf_release(&text);
    buf_release(&path);
    return mm;
}

static char *resolve_author(git_mailmap *mm, const char *name, const char *email)
{
    const char *real_name = NULL, *real_email = NULL;
    if (!mm)
        return xstrdup(name ? name : "");
    buf lower;
    buf_init(&lower);
    for (const char *c = email ? email : ""; *c; c++)
        buf_addc(&lower, (*c >= 'A' && *c <= 'Z') ? (char)(*c - 'A' + 'a') : *c);
    char *out = xstrdup(
        git_mailmap_resolve(&real_name, &real_email, mm, name ? name : "", lower.data) == 0 &&
                real_name
            ? real_name
        : name ? name
               : "");
    buf_release(&lower);
    return out;
}

static void finish(history *h, const site *s, git_mailmap *mm)
{
    map *by_commit = map_new();
    seq_change *sc = NULL;
    size_t nsc = 0;
    for (size_t i = 0; i < h->n_pages; i++) {
        page_rows *pr = &h->raw[i];
        size_t commits = 0;
        for (size_t j = 0; j < pr->n; j++)
            commits += pr->rows[j].row.kind == HIST_COMMIT;
        size_t ordinal = commits;
        h->pages[i].rows = xcalloc(pr->n ? pr->n : 1, sizeof *h->pages[i].rows);
        h->pages[i].n = pr->n;
        for (size_t j = 0; j < pr->n; j++) {
            raw_row *r = &pr->rows[j];
            if (r->row.kind == HIST_COMMIT) {
                free(r->row.author);
                r->row.author = resolve_author(mm, r->name, r->email);
                if (r->declared) {
                    r->row.version = xstrdup(r->declared);
                } else {
                    buf b;
                    buf_init(&b);
                    buf_printf(&b, "%zu", ordinal);
                    r->row.version = buf_detach(&b);
                }
                ordinal--;
            } else if (!r->row.version) {
                r->row.version = xstrdup("");
            }
        }
    }
    /* Shallow copies: the rows' strings stay owned by raw. */
    for (size_t i = 0; i < h->n_pages; i++)
        for (size_t j = 0; j < h->raw[i].n; j++) {
            h->pages[i].rows[j] = h->raw[i].rows[j].row;
            const hist_row *row = &h->pages[i].rows[j];
            if (row->kind != HIST_COMMIT || !s->pages[i]->published)
                continue;
            intptr_t k = (intptr_t)map_get(by_commit, row->commit);
            if (!k) {
                sc = xrealloc(sc, (nsc + 1) * sizeof *sc);
                sc[nsc] = (seq_change){h->raw[i].rows[j].seq, {row, NULL, NULL, 0}};
                k = (intptr_t)++nsc;
                map_put(by_commit, row->commit, (void *)k);
            }
            change *ch = &sc[k - 1].ch;
            ch->pages = xrealloc(ch->pages, (ch->n_pages + 1) * sizeof *ch->pages);
            ch->rows = xrealloc(ch->rows, (ch->n_pages + 1) * sizeof *ch->rows);
            ch->pages[ch->n_pages] = i;
            ch->rows[ch->n_pages++] = row;
        }
    qsort(sc, nsc, sizeof *sc, cmp_seq);
    h->changes = xcalloc(nsc ? nsc : 1, sizeof *h->changes);
    for (size_t i = 0; i < nsc; i++)
        h->changes[i] = sc[i].ch;
    h->n_changes = nsc;
    free(sc);
    map_free(by_commit);
}

static void add_special(history *h, size_t i, hist_kind kind, int front)
{
    page_rows *pr = &h->raw[i];
    add_row(pr);
    if (front) {
        memmove(pr->rows + 1, pr->rows, (pr->n - 1) * sizeof *pr->rows);
        memset(&pr->rows[0], 0, sizeof pr->rows[0]);
    }
    raw_row *r = front ? &pr->rows[0] : &pr->rows[pr->n - 1];
    r->row.kind = kind;
    r->seq = -1;
}

typedef struct merge_ctx {
    history *h;
    cached *cache;
    long walked;
} merge_ctx;

/* For a page still tracked where the walk met the cached HEAD: the rest of
 * its history is the cache's, under the path it had there, counted on from
 * the commits walked since. */
static void merge_cached(void *ctx, const char *path, void *value)
{
    merge_ctx *mc = ctx;
    size_t pi = (size_t)((intptr_t)value - 1);
    intptr_t ci = (intptr_t)map_get(mc->cache->by_path, path);
    if (!ci)
        return;
    page_rows *from = &mc->cache->rows_of[ci - 1];
    for (size_t j = 0; j < from->n; j++) {
        raw_row *r = add_row(&mc->h->raw[pi]);
        *r = from->rows[j];
        r->seq += mc->walked;
        memset(&from->rows[j], 0, sizeof from->rows[j]); /* moved, not copied */
    }
}

history *history_load(const site *s, int use_cache, diags *d)
{
    history *h = xcalloc(1, sizeof *h);
    h->n_pages = s->n_pages;
    h->raw = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *h->raw);
    h->pages = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *h->pages);
    git_libgit2_init();
    git_repository *repo = NULL;
    git_status_list *st = NULL;
    git_reference *head = NULL;
    cached *cache = NULL;
    char **paths = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *paths);
    buf content, prefix, cache_dir, cache_file;
    buf_init(&content);
    buf_init(&prefix);
    buf_init(&cache_dir);
    buf_init(&cache_file);
    walker w = {s, d, NULL, NULL, h, map_new(), NULL, 0, 0};

    int rc = git_repository_open_ext(&repo, s->root, 0, NULL);
    if (rc == GIT_ENOTFOUND) {
        diag_warning(d, NULL, 0, 0, "history",
                     "'%s' is not in a git repository: pages get no history", s->root);
        goto done;
    }
    if (rc == GIT_EOWNER) {
        diag_warning(d, NULL, 0, 0, "history",
                     "the git repository holding '%s' belongs to another user, so git refuses "
                     "to read it; if you trust it, run 'git config --global --add "
                     "safe.directory <its path>'; pages get no history",
                     s->root);
        goto done;
    }
    if (rc != 0) {
        git_warning(d, "cannot open the git repository");
        goto done;
    }
    const char *workdir = git_repository_workdir(repo);
    if (!workdir) {
        diag_warning(d, NULL, 0, 0, "history", "the repository is bare: pages get no history");
        goto done;
    }
    /* The content directory as a path inside the repository. */
    site_path(&content, s, s->cfg.content);
    char *real_content = realpath(content.data, NULL), *real_work = realpath(workdir, NULL);
    size_t wl = real_work ? strlen(real_work) : 0;
    if (!real_content || !real_work || strncmp(real_content, real_work, wl) != 0 ||
        (real_content[wl] != '/' && real_content[wl] != '\0')) {
        diag_warning(d, NULL, 0, 0, "history",
                     "the content directory is outside the repository: pages get no history");
        free(real_content);
        free(real_work);
        goto done;
    }
    buf_adds(&prefix, real_content[wl] ? real_content + wl + 1 : "");
    if (prefix.len)
        buf_addc(&prefix, '/');
    free(real_content);
    free(real_work);
    w.repo = repo;
    w.prefix = prefix.data;
    w.shallow = git_repository_is_shallow(repo) == 1;
    w.mailmap = load_mailmap(workdir);
    for (size_t i = 0; i < s->n_pages; i++) {
        buf p;
        buf_init(&p);
        buf_printf(&p, "%s%s", prefix.data, s->pages[i]->rel);
        paths[i] = buf_detach(&p);
    }

    /* Uncommitted and untracked pages, in one status pass. */
    git_status_options so;
    git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
    char *spec = prefix.data;
    so.pathspec.strings = &spec;
    so.pathspec.count = 1;
    so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
               GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
    map *status = map_new();
    if (git_status_list_new(&st, repo, &so) == 0) {
        size_t n = git_status_list_entrycount(st);
        for (size_t i = 0; i < n; i++) {
            const git_status_entry *e = git_status_byindex(st, i);
            const git_diff_delta *dl = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
            if (!dl || !dl->new_file.path)
                continue;
            int untracked = (e->status & (GIT_STATUS_WT_NEW | GIT_STATUS_INDEX_NEW)) != 0;
            map_put(status, dl->new_file.path, (void *)(intptr_t)(untracked ? 2 : 1));
        }
    }
    int unborn = git_repository_head_unborn(repo) == 1;
    h->found = 1;
    for (size_t i = 0; i < s->n_pages; i++) {
        intptr_t stv = (intptr_t)map_get(status, paths[i]);
        if (stv == 2 || unborn) {
            add_special(h, i, HIST_UNTRACKED, 0);
            continue;
        }
        if (stv == 1)
            add_special(h, i, HIST_UNCOMMITTED, 0);
        map_put(w.tracked, paths[i], (void *)(intptr_t)(i + 1));
    }
    map_free(status);
    if (unborn)
        goto assemble;

    git_oid head_id;
    if (git_reference_name_to_id(&head_id, repo, "HEAD") != 0) {
        git_warning(d, "cannot read HEAD");
        goto assemble;
    }
    site_path(&cache_dir, s, ".charter");
    buf_printf(&cache_file, "%s/history.cache", cache_dir.data);
    if (use_cache)
        cache = cache_read(cache_file.data, prefix.data);
    /* With the cache at HEAD the walk meets it at once and walks nothing. */
    int met = 0;
    long walked = walk(&w, cache ? &cache->head : NULL, &met);
    if (walked >= 0 && cache && met) {
        /* The rest of each page's history is the cache's, under the path the
         * page had at the cached HEAD, counted from there. */
        merge_ctx mc = {h, cache, walked};
        map_each(w.tracked, merge_cached, &mc);
    } else if (walked >= 0 && w.truncated) {
        diag_warning(d, NULL, 0, 0, "history",
                     "the repository is a shallow clone: page histories stop at its oldest "
                     "commit (fetch with --unshallow for the full history)");
    }
    if (walked >= 0 && use_cache && !(cache && met && walked == 0)) {
        /* Keyed by the pages' paths at HEAD. */
        cache_write(s, h, cache_dir.data, &head_id, prefix.data, paths, d);
    }
assemble:
done:
    finish(h, s, w.mailmap);
    for (size_t i = 0; i < s->n_pages; i++)
        free(paths[i]);
    free(paths);
    cached_free(cache);
    map_free(w.tracked);
    git_mailmap_free(w.mailmap);
    git_status_list_free(st);
    git_reference_free(head);
    git_repository_free(repo);
    git_libgit2_shutdown();
    buf_release(&content);
    buf_release(&prefix);
    buf_release(&cache_dir);
    buf_release(&cache_file);
    return h;
}
