/* history: page histories from git in one pass. A first-parent walk from
 * HEAD compares each commit's tree with its first parent's, limited to the
 * content directory (history_diff.c, folder by folder); the blobs the
 * changes name are read once each, in the walk's order (history_blobs.c:
 * each revision's `version:`, whether only `last_reviewed:` changed); a map
 * from "path in the commit being visited" to pages follows each page back
 * through deletions, renames and copies, as `git log --follow` does
 * (history_follow.c finds where an added page came from). */
#include "history.h"

#include "digest.h"

#include "buf.h"
#include "frontmatter.h"
#include "fs.h"
#include "map.h"
#include "yamltree.h"

#include <ctype.h>
#include <errno.h>
#include <git2.h>
#include <git2/sys/alloc.h>
#include <iconv.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "history_int.h"

raw_row *history_add_row(page_rows *pr)
{
    /* From one row up: most pages of a large site have one or two (a row
     * is some 280 bytes; four at first left 11 MB unused at 10,000 pages). */
    if (pr->n == pr->cap) {
        pr->cap = pr->cap ? pr->cap * 2 : 1;
        pr->rows = xrealloc(pr->rows, pr->cap * sizeof *pr->rows);
    }
    raw_row *r = &pr->rows[pr->n++];
    memset(r, 0, sizeof *r);
    return r;
}

static void free_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

void history_row_release(hist_row *r)
{
    if (!r)
        return;
    free(r->author);
    free(r->summary);
    free(r->version);
    free_list(r->approved_by, r->n_approved);
    free_list(r->reviewed_by, r->n_reviewed);
    free_list(r->co_authors, r->n_co_authors);
    free_list(r->merged_authors, r->n_merged_authors);
    free(r->request);
    free(r->change_type);
    free(r->sig_key);
    free(r->sig_signer);
    free(r->sig_why);
}

void history_free_raw(raw_row *r)
{
    history_row_release(&r->row);
    free(r->declared);
    free(r->name);
    free(r->email);
    free_list(r->merged, r->n_merged);
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static void copy_list(char ***dst, size_t *n, char **src, size_t m)
{
    *n = m;
    *dst = m ? xcalloc(m, sizeof **dst) : NULL;
    for (size_t i = 0; i < m; i++)
        (*dst)[i] = xstrdup(src[i]);
}

/* Copies the commit's evidence from src into dst (whose own is empty). */
static void copy_evidence(hist_row *dst, const hist_row *src)
{
    copy_list(&dst->approved_by, &dst->n_approved, src->approved_by, src->n_approved);
    copy_list(&dst->reviewed_by, &dst->n_reviewed, src->reviewed_by, src->n_reviewed);
    copy_list(&dst->co_authors, &dst->n_co_authors, src->co_authors, src->n_co_authors);
    copy_list(&dst->merged_authors, &dst->n_merged_authors, src->merged_authors,
              src->n_merged_authors);
    dst->request = dup_or_null(src->request);
    dst->change_type = dup_or_null(src->change_type);
    memcpy(dst->sig_kind, src->sig_kind, sizeof dst->sig_kind);
    dst->sig_state = src->sig_state;
    dst->sig_key = dup_or_null(src->sig_key);
    dst->sig_signer = dup_or_null(src->sig_signer);
    dst->sig_why = dup_or_null(src->sig_why);
}

void history_copy_raw(raw_row *dst, const raw_row *src)
{
    *dst = *src;
    dst->row.author = dup_or_null(src->row.author);
    dst->row.summary = dup_or_null(src->row.summary);
    dst->row.version = dup_or_null(src->row.version);
    copy_evidence(&dst->row, &src->row);
    dst->declared = dup_or_null(src->declared);
    dst->name = dup_or_null(src->name);
    dst->email = dup_or_null(src->email);
    copy_list(&dst->merged, &dst->n_merged, src->merged, src->n_merged);
}

void history_free(history *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n_pages; i++) {
        for (size_t j = 0; j < h->raw[i].n; j++)
            history_free_raw(&h->raw[i].rows[j]);
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

/* Every field of r into d. */
static void row_fields_digest(digest *d, const hist_row *r)
{
    digest_add_long(d, (long)r->kind);
    digest_add_str(d, r->commit);
    digest_add_str(d, r->shortid);
    digest_add_str(d, r->date);
    digest_add_str(d, r->author);
    digest_add_str(d, r->summary);
    digest_add_str(d, r->version);
    digest_add_long(d, r->review);
    char **lists[] = {r->approved_by, r->reviewed_by, r->co_authors, r->merged_authors};
    size_t counts[] = {r->n_approved, r->n_reviewed, r->n_co_authors, r->n_merged_authors};
    for (size_t k = 0; k < 4; k++) {
        digest_add_long(d, (long)counts[k]);
        for (size_t i = 0; i < counts[k]; i++)
            digest_add_str(d, lists[k][i]);
    }
    digest_add_str(d, r->request);
    digest_add_str(d, r->change_type);
    digest_add_long(d, (long)r->sig_state);
    digest_add_str(d, r->sig_kind);
    digest_add_str(d, r->sig_key);
    digest_add_str(d, r->sig_signer);
    digest_add_str(d, r->sig_why);
}

void history_row_digest(digest *d, const hist_row *r)
{
    if (r->digest[0])
        digest_add(d, r->digest, DIGEST_HEX - 1);
    else
        row_fields_digest(d, r);
}

/* Each row's digest, made once, on the history's thread: each page's key,
 * its API entry's and each change's in the changelog add a row's, some 20
 * calls into the digest for each (1.5% of a one-page edit's CPU at 10,000
 * pages). */
static void digest_rows(history *h)
{
    digest *d = digest_new();
    for (size_t i = 0; i < h->n_pages; i++)
        for (size_t j = 0; j < h->raw[i].n; j++) {
            hist_row *r = &h->raw[i].rows[j].row;
            row_fields_digest(d, r);
            digest_hex(d, r->digest);
        }
    digest_free(d);
}

int history_row_approved(const hist_row *r)
{
    return r->kind == HIST_COMMIT && (r->request || r->n_approved || r->n_reviewed);
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

/* The version a revision of a page declares: its front matter's `version`
 * as the site loader reads it (quotes, escapes, comments), or NULL when it
 * declares none, a null, a list or a mapping, or when the front matter is
 * broken or text is over MAX_BLOB (such a revision is no review-only
 * change either). The diagnostics go to a throwaway sink:
 * an old revision's mistakes are no finding about today's site. Keep the
 * parser's call here alone, so a change of its signature is a one-line
 * edit. Caller frees. */
char *history_declared(const char *text, size_t len, char **change_out)
{
    char *version = NULL;
    const char *value;
    frontmatter fm;
    diags *quiet = diag_new(NULL);
    if (change_out)
        *change_out = NULL;
    if (len > MAX_BLOB || frontmatter_parse(&fm, text, len, NULL, quiet) != 0)
        goto done;
    const yaml_node *v = yamltree_get(fm.data, "version");
    if (v && yamltree_kind(v) == YAML_SCALAR && !yamltree_is_null(v) &&
        yamltree_as_string(&value, v, "version", NULL, quiet) == 0 && *value)
        version = xstrdup(value);
    const yaml_node *c = yamltree_get(fm.data, "change");
    if (change_out && c && yamltree_kind(c) == YAML_SCALAR && !yamltree_is_null(c) &&
        yamltree_as_string(&value, c, "change", NULL, quiet) == 0 && *value) {
        *change_out = xstrdup(value);
        for (char *p = *change_out; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    }
    frontmatter_release(&fm);
done:
    diag_free(quiet);
    return version;
}

char *history_declared_version(const char *text, size_t len)
{
    return history_declared(text, len, NULL);
}

/* Appends text without its `last_reviewed:` line to out. */
void history_without_review_line(buf *out, const char *text, size_t len)
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
    /* repo path at the commit being visited -> index + 1 of the first page
     * there; next[i] is the index + 1 of the next page at page i's path:
     * pages may meet on one path (a page copied from another) */
    map *tracked;
    size_t *next;
    map *seen;      /* every path the walk met a change of -> (void *)1 */
    map *page_exts; /* the file name extensions of the pages at HEAD -> (void *)1 */
    blobs *blobs;   /* what the last walk read of the blobs it met */
    const char *prefix;
    git_oid head; /* where the walk starts: HEAD, or the --at commit */
    int shallow;
    int truncated; /* a shallow clone's boundary was met */
    int degraded;  /* a blob could not be read (a partial clone) */
} walker;

static void git_warning(diags *d, const char *what)
{
    const git_error *e = git_error_last();
    diag_warning(d, NULL, 0, 0, "history", "%s: %s; pages get no history", what,
                 e && e->message ? e->message : "unknown error");
}

/* True when a commit's encoding header names UTF-8, or there is none (git
 * writes none for UTF-8). */
static int encoding_is_utf8(const char *encoding)
{
    return !encoding || !strcasecmp(encoding, "UTF-8") || !strcasecmp(encoding, "utf8");
}

/* True for a name iconv_open may be given: letters, digits and ._:- only, so
 * a header cannot smuggle in iconv's "//IGNORE"-style suffixes. */
static int encoding_name_ok(const char *encoding)
{
    size_t n = strlen(encoding);
    return n > 0 && n <= 64 &&
           strspn(encoding, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-") ==
               n;
}

/* text, from a commit whose encoding header is `encoding` (NULL: none), as a
 * new UTF-8 string, as `git log` re-encodes it. When iconv cannot convert it
 * (an encoding it does not know, bytes that are not text in it) the raw
 * bytes are returned: the writers repair invalid UTF-8. NULL text is "".
 * Caller frees. */
char *history_commit_text(const char *text, const char *encoding)
{
    char *out = NULL;
    buf b;
    buf_init(&b);
    iconv_t cd = (iconv_t)-1;
    if (!text)
        text = "";
    if (encoding_is_utf8(encoding) || !encoding_name_ok(encoding))
        goto done;
    if ((cd = iconv_open("UTF-8", encoding)) == (iconv_t)-1)
        goto done;
    char *in = (char *)text;
    size_t in_left = strlen(text);
    int flushing = 0;
    buf_grow(&b, in_left + 16);
    for (;;) {
        char *dst = b.data + b.len;
        size_t room = b.cap - b.len - 1, start = room;
        /* Last, a call without input ends a stateful encoding's shift. */
        size_t rc =
            flushing ? iconv(cd, NULL, NULL, &dst, &room) : iconv(cd, &in, &in_left, &dst, &room);
        b.len += start - room;
        b.data[b.len] = '\0';
        if (rc == (size_t)-1 && errno != E2BIG)
            goto done; /* EILSEQ, EINVAL: invalid or cut-off input */
        if (rc == (size_t)-1)
            buf_grow(&b, b.cap); /* doubles the room, so the loop ends */
        else if (flushing)
            break;
        else
            flushing = 1;
    }
    out = buf_detach(&b);
done:
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    buf_release(&b);
    return out ? out : xstrdup(text);
}

/* The author's calendar day in the author's own zone, as days since
 * 1970-01-01. A commit may hold any 64-bit time: it is clamped first, far
 * beyond the years 0000-9999 date_format shows, so nothing overflows. */
long history_author_day(const git_time *when)
{
    const int64_t lim = (int64_t)1 << 40; /* about 34,800 years each way */
    int64_t t = when->time < -lim ? -lim : when->time > lim ? lim : when->time;
    int64_t secs = t + (int64_t)when->offset * 60;
    return (long)(secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400));
}

void history_clip(char **s, size_t max)
{
    static const char ellipsis[] = "\xe2\x80\xa6";
    if (!*s || strlen(*s) <= max)
        return;
    size_t cut = max - (sizeof ellipsis - 1);
    while (cut > 0 && ((unsigned char)(*s)[cut] & 0xC0) == 0x80)
        cut--; /* not inside a character */
    memcpy(*s + cut, ellipsis, sizeof ellipsis);
    *s = xrealloc(*s, cut + sizeof ellipsis);
}

/* The row's columns from commit c: every string converted from the commit's
 * encoding; a missing author, name, summary or message reads as empty. */
static void fill_commit(raw_row *rr, git_commit *c)
{
    hist_row *r = &rr->row;
    const char *enc = git_commit_message_encoding(c);
    const git_oid *id = git_commit_id(c);
    git_oid_tostr(r->commit, sizeof r->commit, id);
    memcpy(r->shortid, r->commit, 7);
    r->shortid[7] = '\0';
    const git_signature *a = git_commit_author(c);
    date_format(r->date, a ? history_author_day(&a->when) : 0);
    rr->name = history_commit_text(a ? a->name : NULL, enc);
    rr->email = history_commit_text(a ? a->email : NULL, enc);
    r->summary = history_commit_text(git_commit_summary(c), enc);
    history_clip(&rr->name, HIST_NAME_MAX);
    history_clip(&rr->email, HIST_NAME_MAX);
    history_clip(&r->summary, HIST_SUMMARY_MAX);
    history_read_trailers(r, git_commit_message(c), enc, 1);
    history_read_request(r, git_commit_message(c), enc);
    /* Whether and how it is signed: verified later, once per commit. */
    git_buf field = GIT_BUF_INIT;
    if (git_commit_header_field(&field, c, "gpgsig") == 0 ||
        git_commit_header_field(&field, c, "gpgsig-sha256") == 0) {
        const char *kind = strstr(field.ptr, "BEGIN SSH SIGNATURE")    ? "ssh"
                           : strstr(field.ptr, "BEGIN SIGNED MESSAGE") ? "x509"
                                                                       : "openpgp";
        snprintf(r->sig_kind, sizeof r->sig_kind, "%s", kind);
        r->sig_state = HSIG_UNVERIFIED;
    }
    git_buf_dispose(&field);
}

/* --- libgit2's memory ------------------------------------------------------------ */

/* libgit2 allocates through these (history_git_init installs them). While
 * a thread reads a blob, any one allocation over BLOB_ALLOC_CAP
 * (history_int.h) fails, as an out-of-memory error: a blob (or a delta
 * base on the way to it) that declares a size over that is refused before
 * it is allocated. Asking its size first (git_odb_read_header) walked the
 * blob's whole delta chain for its type and inflated its delta twice: a
 * fifth of the history's instructions on a 2,500-page site. */
static _Thread_local size_t alloc_cap; /* 0: no cap */

static int refused(size_t n)
{
    return alloc_cap && n > alloc_cap;
}

static void *git_malloc(size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    void *p = refused(n) ? NULL : malloc(n);
    if (!p)
        git_error_set_oom();
    return p;
}

static void *git_mallocarray(size_t nelem, size_t elsize, const char *file, int line)
{
    size_t n;
    if (__builtin_mul_overflow(nelem, elsize, &n)) {
        git_error_set_oom();
        return NULL;
    }
    return git_malloc(n, file, line);
}

static void *git_calloc(size_t nelem, size_t elsize, const char *file, int line)
{
    size_t n;
    void *p = NULL;
    (void)file;
    (void)line;
    if (!__builtin_mul_overflow(nelem, elsize, &n) && !refused(n))
        p = calloc(nelem, elsize);
    if (!p)
        git_error_set_oom();
    return p;
}

static void *git_realloc(void *ptr, size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    void *p = refused(n) ? NULL : realloc(ptr, n);
    if (!p)
        git_error_set_oom();
    return p;
}

static void *git_reallocarray(void *ptr, size_t nelem, size_t elsize, const char *file, int line)
{
    size_t n;
    if (__builtin_mul_overflow(nelem, elsize, &n)) {
        git_error_set_oom();
        return NULL;
    }
    return git_realloc(ptr, n, file, line);
}

/* str[0..n) and a NUL. */
static char *git_substrdup(const char *str, size_t n, const char *file, int line)
{
    char *p = n < SIZE_MAX ? git_malloc(n + 1, file, line) : NULL;
    if (p) {
        memcpy(p, str, n);
        p[n] = '\0';
    }
    return p;
}

static char *git_strndup(const char *str, size_t n, const char *file, int line)
{
    return git_substrdup(str, strnlen(str, n), file, line);
}

static char *git_strdup(const char *str, const char *file, int line)
{
    return git_substrdup(str, strlen(str), file, line);
}

static void git_free(void *ptr)
{
    free(ptr);
}

static git_allocator git_alloc = {git_malloc,       git_calloc,      git_strdup,
                                  git_strndup,      git_substrdup,   git_realloc,
                                  git_reallocarray, git_mallocarray, git_free};

int history_read_blob(git_odb *odb, const git_oid *id, buf *out)
{
    int err = -1;
    git_odb_object *o = NULL;
    if (git_oid_is_zero(id))
        return -1;
    alloc_cap = BLOB_ALLOC_CAP;
    int read = git_odb_read(&o, odb, id);
    alloc_cap = 0;
    if (read != 0 || git_odb_object_type(o) != GIT_OBJECT_BLOB || git_odb_object_size(o) > MAX_BLOB)
        goto done;
    buf_add(out, git_odb_object_data(o), git_odb_object_size(o));
    err = 0;
done:
    git_odb_object_free(o);
    return err;
}

/* Moves the pages at path `from` (if any) to `to`, joining those there. */
static void track_move(walker *w, const char *from, const char *to)
{
    intptr_t head = (intptr_t)map_remove(w->tracked, from);
    if (!head)
        return;
    intptr_t there = (intptr_t)map_get(w->tracked, to);
    if (there) {
        size_t last = (size_t)head - 1;
        while (w->next[last])
            last = w->next[last] - 1;
        w->next[last] = (size_t)there;
    }
    map_put(w->tracked, to, (void *)head);
}

/* Adds page pi's row for a change of commit `info` (seq-th from HEAD): its
 * blobs are read later, once each, in parallel (resolve_blobs). */
static void add_row(walker *w, size_t pi, const raw_row *info, long seq, const git_oid *new_id,
                    const git_oid *old_id)
{
    raw_row *r = history_add_row(&w->h->raw[pi]);
    r->row.kind = HIST_COMMIT;
    r->seq = seq;
    r->unresolved = 1;
    git_oid_cpy(&r->new_id, new_id);
    if (old_id)
        git_oid_cpy(&r->old_id, old_id);
    memcpy(r->row.commit, info->row.commit, sizeof r->row.commit);
    memcpy(r->row.shortid, info->row.shortid, sizeof r->row.shortid);
    memcpy(r->row.date, info->row.date, sizeof r->row.date);
    r->row.summary = xstrdup(info->row.summary);
    r->name = xstrdup(info->name);
    r->email = xstrdup(info->email);
    copy_list(&r->merged, &r->n_merged, info->merged, info->n_merged);
    copy_evidence(&r->row, &info->row);
}

/* One commit of the first-parent line, compared with its parent. */
typedef struct step {
    git_oid id, tree, parent_tree; /* parent_tree zero: compared with nothing */
    git_oid parent, merged;        /* first and second parent; merged zero: no merge */
    int expanded;                  /* the merged commits' trailers are in info */
    raw_row info;                  /* the commit's columns, copied into each page's row */
    fchanges fc;
    int grafted; /* a shallow clone's boundary */
} step;

/* A move of the pages at one path to another, applied once the whole commit
 * is visited, so that a page gets one row per commit. */
typedef struct move {
    const char *from; /* borrowed from the step's changes */
    char *to;
} move;

/* Applies commit st (seq-th from HEAD) to the tracked pages: a row for each
 * page whose path it added, changed or deleted. A page stays at its path
 * through a deletion (it may have lived there before, as git log --follow
 * lists it); from an add it moves to the file it came from, if any (fl,
 * started here at the first add that needs it: NULL when it cannot be).
 * 0, or -1 when the parent's tree cannot be read. */
/* The most commits of a merge whose trailers are read: a merge of a
 * long-lived branch brings in thousands, and a policy change's evidence is
 * in the few of its pull request. */
#define MAX_MERGED 1000

/* Adds the trailers and the author ("Name <email>", each part clipped so
 * that the whole stays within HIST_NAME_MAX) of commit id, brought in by
 * merge st, to its evidence. 0, or -1 when the commit cannot be read. */
static int add_merged(walker *w, step *st, const git_oid *id)
{
    git_commit *c = NULL;
    if (git_commit_lookup(&c, w->repo, id) != 0)
        return -1;
    const char *enc = git_commit_message_encoding(c);
    history_read_trailers(&st->info.row, git_commit_message(c), enc, 0);
    const git_signature *a = git_commit_author(c);
    char *name = history_commit_text(a ? a->name : NULL, enc);
    char *email = history_commit_text(a ? a->email : NULL, enc);
    history_clip(&name, HIST_NAME_MAX / 2);
    history_clip(&email, HIST_NAME_MAX / 2 - 4);
    buf ident;
    buf_init(&ident);
    buf_printf(&ident, "%s <%s>", name, email);
    history_add_name(&st->info.merged, &st->info.n_merged, ident.data);
    buf_release(&ident);
    free(name);
    free(email);
    git_commit_free(c);
    return 0;
}

/* Adds to a merge's evidence the trailers and authors of the commits it
 * brought in (reachable from any parent but the first, not from the
 * first; an octopus merge has several), once. In a shallow clone, where
 * libgit2's walk fails at the missing history (and leaks as it does), and
 * wherever the walk fails, the merged parents themselves are read. */
static void expand_merge(walker *w, step *st)
{
    if (st->expanded || git_oid_is_zero(&st->merged))
        return;
    st->expanded = 1;
    git_revwalk *rw = NULL;
    git_commit *merge = NULL;
    git_oid id;
    int walked = 0, rc = -1;
    if (git_commit_lookup(&merge, w->repo, &st->id) != 0)
        goto done;
    unsigned parents = git_commit_parentcount(merge);
    if (w->shallow || git_revwalk_new(&rw, w->repo) != 0)
        goto fallback;
    for (unsigned k = 1; k < parents; k++)
        if (git_revwalk_push(rw, git_commit_parent_id(merge, k)) != 0)
            goto fallback;
    if (!git_oid_is_zero(&st->parent) && git_revwalk_hide(rw, &st->parent) != 0)
        goto fallback;
    while (walked < MAX_MERGED && (rc = git_revwalk_next(&id, rw)) == 0) {
        add_merged(w, st, &id);
        walked++;
    }
fallback:
    /* Nothing walked, and not because the merge brought nothing in. */
    for (unsigned k = 1; !walked && rc != 0 && rc != GIT_ITEROVER && k < parents; k++)
        add_merged(w, st, git_commit_parent_id(merge, k));
done:
    git_commit_free(merge);
    git_revwalk_free(rw);
}

static int visit_step(walker *w, step *st, long seq, follow **fl)
{
    int err = -1;
    move *moves = NULL;
    size_t n_moves = 0;
    buf boundary; /* pages at a shallow clone's boundary */
    buf_init(&boundary);
    int can_follow = !st->grafted && !git_oid_is_zero(&st->parent_tree);
    if (history_follow_started(*fl))
        history_follow_undo(*fl, &st->fc);
    for (size_t j = 0; j < st->fc.n; j++) {
        const fchange *ch = &st->fc.v[j];
        map_put(w->seen, ch->path, (void *)1);
        intptr_t head = (intptr_t)map_get(w->tracked, ch->path);
        if (!head)
            continue;
        const char *src = NULL;
        git_oid src_id;
        if (ch->status == 'A' && can_follow) {
            if (!*fl) {
                git_odb *odb = NULL;
                if (git_repository_odb(&odb, w->repo) != 0)
                    goto done;
                *fl = history_follow_new(odb, w->prefix);
                history_follow_use_blobs(*fl, w->blobs);
            }
            if (!history_follow_started(*fl) &&
                history_follow_start(*fl, &st->parent_tree, &st->fc) != 0)
                goto done;
            src = history_follow_source(*fl, ch, &src_id);
        }
        expand_merge(w, st);
        for (size_t pi = (size_t)head; pi; pi = w->next[pi - 1]) {
            /* A shallow clone's boundary commit "adds" every file, as its
             * parent is missing: whether it changed this page is unknown,
             * so it is no row of the page's (git log lists it; an auditor
             * would read a change that may not be one), only where the
             * history is cut. */
            if (ch->status == 'A' && st->grafted) {
                buf_add(&boundary, &(size_t){pi - 1}, sizeof(size_t));
                continue;
            }
            const git_oid *old_id = ch->status == 'M' ? &ch->old_id : src ? &src_id : NULL;
            add_row(w, pi - 1, &st->info, seq, &ch->new_id, old_id);
        }
        if (src) {
            moves = xgrow(moves, n_moves, sizeof *moves);
            moves[n_moves++] = (move){ch->path, xstrdup(src)};
        }
    }
    for (size_t k = 0; k < n_moves; k++)
        track_move(w, moves[k].from, moves[k].to);
    /* Older history is missing: the last row of each page that was there. */
    const size_t *pages = (const size_t *)(void *)boundary.data;
    for (size_t j = 0; j < boundary.len / sizeof *pages; j++) {
        raw_row *r = history_add_row(&w->h->raw[pages[j]]);
        r->row.kind = HIST_TRUNCATED;
        r->seq = seq;
        w->truncated = 1;
    }
    err = 0;
done:
    for (size_t k = 0; k < n_moves; k++)
        free(moves[k].to);
    free(moves);
    buf_release(&boundary);
    return err;
}

/* The extension of the file name at the end of path ("" for none). */
static const char *extension(const char *path)
{
    const char *base = strrchr(path, '/'), *dot;
    dot = strrchr(base ? base + 1 : path, '.');
    return dot ? dot + 1 : "";
}

/* Whether commit st adds a file where the page it is may have come from
 * another: from there on, blobs are read with their similarity chunks. */
static int may_follow(const step *st)
{
    if (st->grafted || git_oid_is_zero(&st->parent_tree))
        return 0;
    for (size_t j = 0; j < st->fc.n; j++)
        if (st->fc.v[j].status == 'A')
            return 1;
    return 0;
}

/* Wants the blobs that the changes of steps [from, to) made (`old`: those
 * they replaced), of the files named like a page (a picture is read only
 * if a page came from it), to be read in the walk's order: their versions
 * and review marks, and, from *first_add (the first commit that may_follow,
 * SIZE_MAX while there is none), their similarity chunks for
 * history_follow_source. A blob's place is the newest commit that made it,
 * which is where the pack keeps it; one only ever replaced, where it was
 * replaced. A blob this leaves out is read when it is needed. */
static void want_blobs(walker *w, const step *steps, size_t from, size_t to, int old,
                       size_t *first_add)
{
    for (size_t i = from; i < to; i++) {
        if (*first_add == SIZE_MAX && may_follow(&steps[i]))
            *first_add = i;
        for (size_t j = 0; j < steps[i].fc.n; j++) {
            const fchange *ch = &steps[i].fc.v[j];
            if ((old ? ch->status == 'A' : ch->status == 'D') ||
                !map_get(w->page_exts, extension(ch->path)))
                continue;
            history_blobs_want(w->blobs, old ? &ch->old_id : &ch->new_id, i, i >= *first_add);
        }
    }
}

/* Compares every commit with its first parent, one folder at a time
 * (history_diff_many), then reads ahead the blobs the changes name: 0, or
 * -1 after a warning. */
static int diff_all(walker *w, step *steps, size_t n)
{
    int err = -1, *failed = xcalloc(n ? n : 1, sizeof *failed);
    size_t first_add = SIZE_MAX;
    git_oid *old_sub = xcalloc(n ? n : 1, sizeof *old_sub);
    git_oid *new_sub = xcalloc(n ? n : 1, sizeof *new_sub);
    fchanges **out = xcalloc(n ? n : 1, sizeof *out);
    tree_cache tc = {NULL, map_new(), map_new()};
    buf path;
    buf_init(&path);
    if (git_repository_odb(&tc.odb, w->repo) != 0) {
        git_warning(w->d, "cannot compare commits");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        history_prefix_tree(&old_sub[i], &tc, &steps[i].parent_tree, w->prefix);
        history_prefix_tree(&new_sub[i], &tc, &steps[i].tree, w->prefix);
        history_tc_step(&tc);
        out[i] = &steps[i].fc;
    }
    buf_adds(&path, w->prefix);
    if (path.len)
        buf_truncate(&path, path.len - 1);
    history_diff_many(&tc, path.data, n, old_sub, new_sub, out, failed);
    for (size_t i = 0; i < n; i++)
        if (failed[i]) {
            git_warning(w->d, "cannot compare commits");
            goto done;
        }
    history_blobs_free(w->blobs);
    w->blobs = history_blobs_new();
    want_blobs(w, steps, 0, n, 0, &first_add);
    want_blobs(w, steps, 0, n, 1, &first_add);
    history_blobs_read(w->blobs, git_repository_path(w->repo), git_repository_commondir(w->repo));
    err = 0;
done:
    history_tc_release(&tc);
    buf_release(&path);
    free(failed);
    free(old_sub);
    free(new_sub);
    free(out);
    return err;
}

/* Walks from HEAD along first parents until `stop` (the cached HEAD, may be
 * NULL). Returns the number of commits walked, or -1 after a warning; *met
 * is set when the walk reached stop. First the line of commits is listed
 * (following parents by hand, so that a shallow clone's boundary, a parent
 * that is not there, ends it cleanly); then the commits are compared with
 * their parents and the blobs they name read (diff_all); then, newest
 * first, each change is applied to the pages it concerns, following
 * renames back in time. */
static long walk(walker *w, const git_oid *stop, int *met)
{
    long result = -1;
    *met = 0;
    step *steps = NULL;
    size_t n = 0;
    size_t cap = 0;
    git_commit *c = NULL;
    if (git_commit_lookup(&c, w->repo, &w->head) != 0) {
        git_warning(w->d, "cannot read HEAD");
        return -1;
    }
    while (c) {
        if (stop && git_oid_equal(git_commit_id(c), stop)) {
            *met = 1;
            break;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            steps = xrealloc(steps, cap * sizeof *steps);
        }
        step *st = &steps[n++];
        memset(st, 0, sizeof *st);
        git_oid_cpy(&st->id, git_commit_id(c));
        git_oid_cpy(&st->tree, git_commit_tree_id(c));
        fill_commit(&st->info, c);
        git_commit *parent = NULL;
        if (git_commit_parentcount(c) > 0) {
            if (git_commit_parent(&parent, c, 0) != 0)
                st->grafted = 1;
            else
                git_oid_cpy(&st->parent_tree, git_commit_tree_id(parent));
            git_oid_cpy(&st->parent, git_commit_parent_id(c, 0));
        }
        if (git_commit_parentcount(c) > 1)
            git_oid_cpy(&st->merged, git_commit_parent_id(c, 1));
        git_commit_free(c);
        c = parent;
    }
    git_commit_free(c);
    follow *fl = NULL;
    if (diff_all(w, steps, n) != 0)
        goto done;
    for (size_t i = 0; i < n; i++) {
        step *st = &steps[i];
        if (st->grafted)
            w->truncated = 1;
        if (visit_step(w, st, (long)i, &fl) != 0) {
            git_warning(w->d, "cannot read a commit's files");
            goto done;
        }
    }
    result = (long)n;
done:
    history_follow_free(fl);
    for (size_t i = 0; i < n; i++) {
        history_fc_clear(&steps[i].fc);
        free(steps[i].fc.v);
        history_free_raw(&steps[i].info);
    }
    free(steps);
    return result;
}

/* --- the rows' versions and review marks ----------------------------------------- */

/* Each new row's version (declared in the blob after the commit) and
 * review mark (the blob before it differs only in `last_reviewed:`), from
 * the blobs the walk read; those it did not (a page whose file was named
 * unlike a page, a page copied from a file older than the walk) are read
 * first, in the order of the rows, on all cores. */
static void resolve_rows(walker *w)
{
    git_odb *odb = NULL;
    for (size_t i = 0; i < w->h->n_pages; i++) {
        const page_rows *pr = &w->h->raw[i];
        for (size_t j = 0; j < pr->n; j++)
            if (pr->rows[j].unresolved) {
                history_blobs_want(w->blobs, &pr->rows[j].new_id, (size_t)pr->rows[j].seq, 0);
                history_blobs_want(w->blobs, &pr->rows[j].old_id, (size_t)pr->rows[j].seq, 0);
            }
    }
    history_blobs_read(w->blobs, git_repository_path(w->repo), git_repository_commondir(w->repo));
    if (git_repository_odb(&odb, w->repo) != 0)
        odb = NULL; /* what could not be read stays unknown */
    for (size_t i = 0; i < w->h->n_pages; i++) {
        page_rows *pr = &w->h->raw[i];
        for (size_t j = 0; j < pr->n; j++) {
            raw_row *r = &pr->rows[j];
            if (!r->unresolved)
                continue;
            r->unresolved = 0;
            const blob_info *after = odb ? history_blobs_get(w->blobs, odb, &r->new_id, 0) : NULL;
            if (!after || after->state != BLOB_READ) {
                /* Not a deletion's (no blob): one that could not be read. */
                if (!odb || (after && after->state == BLOB_UNREADABLE))
                    w->degraded = 1;
                /* A partial clone or a damaged repository: say so, go on. */
                if (after && after->missing) {
                    char hex[GIT_OID_HEXSZ + 1];
                    git_oid_tostr(hex, sizeof hex, &r->new_id);
                    diag_warning(w->d, w->s->pages[i]->src, 0, 0, "history",
                                 "blob %s of commit %.7s is missing from the repository: that "
                                 "version's number and review mark are unknown",
                                 hex, r->row.commit);
                }
                continue;
            }
            r->declared = dup_or_null(after->declared);
            unsigned char unreviewed[sizeof after->unreviewed];
            memcpy(unreviewed, after->unreviewed, sizeof unreviewed);
            /* An unreadable "before" is no evidence of a review. */
            const blob_info *before = history_blobs_get(w->blobs, odb, &r->old_id, 0);
            if (before && before->state == BLOB_READ && !git_oid_equal(&r->old_id, &r->new_id))
                r->row.review = !memcmp(before->unreviewed, unreviewed, sizeof unreviewed);
            /* A Change-Type: trailer classifies the commit; else the page's
             * `change:` does, but a review-only change is a review whatever
             * an older `change:` left in the page says. */
            if (!r->row.change_type && r->row.review)
                r->row.change_type = xstrdup("review");
            else if (!r->row.change_type && after->change &&
                     history_change_type_known(after->change))
                r->row.change_type = xstrdup(after->change);
        }
    }
    git_odb_free(odb);
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

/* The work tree's .mailmap, or under --at (commit not NULL) the one of that
 * commit: what a checkout of it would hold. */
static git_mailmap *load_mailmap(git_repository *repo, const char *workdir, const char *commit)
{
    git_mailmap *mm = NULL;
    buf text;
    buf_init(&text);
    int found = -1;
    if (commit) {
        git_oid id;
        git_commit *c = NULL;
        git_tree *t = NULL;
        git_tree_entry *e = NULL;
        git_odb *odb = NULL;
        if (git_oid_fromstr(&id, commit) == 0 && git_commit_lookup(&c, repo, &id) == 0 &&
            git_commit_tree(&t, c) == 0 && git_tree_entry_bypath(&e, t, ".mailmap") == 0 &&
            git_tree_entry_type(e) == GIT_OBJECT_BLOB && git_repository_odb(&odb, repo) == 0)
            found = history_read_blob(odb, git_tree_entry_id(e), &text);
        git_odb_free(odb);
        git_tree_entry_free(e);
        git_tree_free(t);
        git_commit_free(c);
    } else {
        found = history_mailmap_text(&text, workdir);
    }
    if (found == 0) {
        lower_emails(&text);
        if (git_mailmap_from_buffer(&mm, text.data, text.len) != 0)
            mm = NULL;
    }
    buf_release(&text);
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

/* The email .mailmap gives the author (name, email), or NULL when it maps
 * none: the caller frees it. */
static char *resolve_email(git_mailmap *mm, const char *name, const char *email)
{
    const char *real_name = NULL, *real_email = NULL;
    if (!mm)
        return NULL;
    buf lower;
    buf_init(&lower);
    for (const char *c = email ? email : ""; *c; c++)
        buf_addc(&lower, (*c >= 'A' && *c <= 'Z') ? (char)(*c - 'A' + 'a') : *c);
    char *out = NULL;
    if (git_mailmap_resolve(&real_name, &real_email, mm, name ? name : "", lower.data) == 0 &&
        real_email && strcmp(real_email, lower.data) != 0)
        out = xstrdup(real_email);
    buf_release(&lower);
    return out;
}

/* Row r's merged_authors: the authors of the commits its merge brought in
 * (r->merged, "Name <email>" as committed), named and addressed through
 * .mailmap, so that one person under two addresses is listed once. */
static void resolve_merged(raw_row *r, git_mailmap *mm)
{
    hist_row *row = &r->row;
    free_list(row->merged_authors, row->n_merged_authors);
    row->merged_authors = NULL;
    row->n_merged_authors = 0;
    buf b;
    buf_init(&b);
    for (size_t i = 0; i < r->n_merged; i++) {
        const char *ident = r->merged[i];
        const char *lt = strrchr(ident, '<');
        size_t name_len = lt ? (size_t)(lt - ident) : strlen(ident);
        while (name_len && ident[name_len - 1] == ' ')
            name_len--;
        buf_reset(&b);
        buf_add(&b, ident, name_len);
        char *email = xstrdup(lt ? lt + 1 : "");
        email[strcspn(email, ">")] = '\0';
        char *name = resolve_author(mm, b.data, email);
        char *real = resolve_email(mm, b.data, email);
        buf_reset(&b);
        buf_printf(&b, "%s <%s>", name, real ? real : email);
        history_add_name(&row->merged_authors, &row->n_merged_authors, b.data);
        free(name);
        free(real);
        free(email);
    }
    buf_release(&b);
}

/* Each page's rows: authors through .mailmap, versions counted. */
static void finish(history *h, git_mailmap *mm)
{
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
                resolve_merged(r, mm);
                if (r->declared) {
                    r->row.version = xstrdup(r->declared);
                } else {
                    buf b;
                    buf_init(&b);
                    buf_printf(&b, "%zu", ordinal);
                    r->row.version = buf_detach(&b);
                    r->row.counted = 1;
                }
                ordinal--;
            } else if (!r->row.version) {
                r->row.version = xstrdup("");
            }
        }
    }
}

void history_complete(history *h, const site *s)
{
    map *by_commit = map_new();
    seq_change *sc = NULL;
    size_t nsc = 0;
    /* Shallow copies: the rows' strings stay owned by raw. */
    for (size_t i = 0; i < h->n_pages; i++)
        for (size_t j = 0; j < h->raw[i].n; j++) {
            h->pages[i].rows[j] = h->raw[i].rows[j].row;
            const hist_row *row = &h->pages[i].rows[j];
            if (row->kind != HIST_COMMIT || !s->pages[i]->published)
                continue;
            intptr_t k = (intptr_t)map_get(by_commit, row->commit);
            if (!k) {
                sc = xgrow(sc, nsc, sizeof *sc);
                sc[nsc] = (seq_change){h->raw[i].rows[j].seq, {row, NULL, NULL, 0}};
                k = (intptr_t)++nsc;
                map_put(by_commit, row->commit, (void *)k);
            }
            change *ch = &sc[k - 1].ch;
            ch->pages = xgrow(ch->pages, ch->n_pages, sizeof *ch->pages);
            ch->rows = xgrow(ch->rows, ch->n_pages, sizeof *ch->rows);
            ch->pages[ch->n_pages] = i;
            ch->rows[ch->n_pages++] = row;
        }
    if (nsc)
        qsort(sc, nsc, sizeof *sc, cmp_seq);
    h->changes = xcalloc(nsc ? nsc : 1, sizeof *h->changes);
    for (size_t i = 0; i < nsc; i++)
        h->changes[i] = sc[i].ch;
    h->n_changes = nsc;
    free(sc);
    map_free(by_commit);
}

/* A row that is no commit (uncommitted, untracked), before the walk adds
 * the commits: so it comes first, newest first. */
static void add_special(history *h, size_t i, hist_kind kind)
{
    raw_row *r = history_add_row(&h->raw[i]);
    r->row.kind = kind;
    r->seq = -1;
}

/* What a page's first row says of its file: 2 in no commit (untracked), 1
 * uncommitted, 0 as committed (or no history). */
static int special_kind(const page_rows *pr)
{
    if (!pr->n)
        return 0;
    hist_kind k = pr->rows[0].row.kind;
    return k == HIST_UNTRACKED ? 2 : k == HIST_UNCOMMITTED;
}

history *history_reuse(history *prev, const history_status *prev_status, const site *s,
                       const history_status *status)
{
    if (!prev || !prev->reusable || !prev_status || !status || !status->kinds ||
        prev->n_pages != s->n_pages || s->git_commit || strcmp(prev_status->base, status->base))
        return NULL;
    unsigned char *now = xmalloc(s->n_pages ? s->n_pages : 1);
    buf path;
    buf_init(&path);
    buf_adds(&path, status->prefix);
    size_t at = path.len;
    int same = 1;
    for (size_t i = 0; i < s->n_pages && same; i++) {
        path.len = at;
        buf_adds(&path, s->pages[i]->rel);
        /* (never an unborn branch: its history is not reusable) */
        now[i] = (unsigned char)(intptr_t)map_get(status->kinds, path.data);
        /* A file into or out of HEAD's tree changes its commits' rows. */
        same = (now[i] == 2) == (special_kind(&prev->raw[i]) == 2);
    }
    buf_release(&path);
    if (!same) {
        free(now);
        return NULL;
    }
    /* Each changed page's rows shift by one (an uncommitted row added or
     * dropped at the top): the change list's rows of that page (its
     * commits', never a special row) move with them. */
    int *shift = NULL;
    digest *d = digest_new();
    for (size_t i = 0; i < s->n_pages; i++) {
        page_rows *pr = &prev->raw[i];
        int was = special_kind(pr);
        if (was == now[i])
            continue;
        if (!shift)
            shift = xcalloc(s->n_pages, sizeof *shift);
        shift[i] = now[i] - was;
        if (was == 1) { /* committed again, or put back as committed */
            history_free_raw(&pr->rows[0]);
            memmove(pr->rows, pr->rows + 1, (pr->n - 1) * sizeof *pr->rows);
            pr->n--;
        } else { /* changed: the row add_special and finish make */
            history_add_row(pr);
            memmove(pr->rows + 1, pr->rows, (pr->n - 1) * sizeof *pr->rows);
            memset(&pr->rows[0], 0, sizeof pr->rows[0]);
            pr->rows[0].row.kind = HIST_UNCOMMITTED;
            pr->rows[0].seq = -1;
            pr->rows[0].row.version = xstrdup("");
            row_fields_digest(d, &pr->rows[0].row);
            digest_hex(d, pr->rows[0].row.digest);
        }
    }
    digest_free(d);
    free(now);
    if (!shift)
        return prev;
    /* As history_complete makes them: each changed page's shallow copies
     * made again, and the change list's rows that pointed into the old
     * ones pointed into the new. */
    hist_row **old = xcalloc(s->n_pages, sizeof *old);
    for (size_t i = 0; i < s->n_pages; i++) {
        if (!shift[i])
            continue;
        page_rows *pr = &prev->raw[i];
        old[i] = prev->pages[i].rows;
        prev->pages[i].rows = xcalloc(pr->n ? pr->n : 1, sizeof *prev->pages[i].rows);
        prev->pages[i].n = pr->n;
        for (size_t j = 0; j < pr->n; j++)
            prev->pages[i].rows[j] = pr->rows[j].row;
    }
    for (size_t k = 0; k < prev->n_changes; k++) {
        change *ch = &prev->changes[k];
        for (size_t j = 0; j < ch->n_pages; j++) {
            size_t i = ch->pages[j];
            if (shift[i])
                ch->rows[j] = prev->pages[i].rows + (ch->rows[j] - old[i]) + shift[i];
        }
        ch->row = ch->rows[0];
    }
    for (size_t i = 0; i < s->n_pages; i++)
        free(old[i]);
    free(old);
    free(shift);
    return prev;
}

typedef struct merge_ctx {
    history *h;
    const size_t *next;
    cached *cache;
    long walked;
    int covered;
} merge_ctx;

/* Whether the cache knows the older history of the pages tracked at `path`
 * where the walk met the cached HEAD: it does for a page's path there, and
 * for a path the content directory never held (no older history); not for
 * another path it held (a page deleted before, and restored since; a file
 * that was no page). */
static void check_covered(void *ctx, const char *path, void *value)
{
    merge_ctx *mc = ctx;
    (void)value;
    if (!map_get(mc->cache->by_path, path) && map_get(mc->cache->seen, path))
        mc->covered = 0;
}

/* For the pages still tracked at `path` where the walk met the cached HEAD:
 * the rest of their history is the cache's, under the path they had there,
 * counted on from the commits walked since. */
static void merge_cached(void *ctx, const char *path, void *value)
{
    merge_ctx *mc = ctx;
    intptr_t ci = (intptr_t)map_get(mc->cache->by_path, path);
    if (!ci)
        return;
    page_rows *from = &mc->cache->rows_of[ci - 1];
    size_t first = (size_t)(intptr_t)value;
    /* Copied for the pages that met there (a page copied from another),
     * then moved to the first. */
    for (size_t pi = mc->next[first - 1]; pi; pi = mc->next[pi - 1]) {
        for (size_t j = 0; j < from->n; j++) {
            raw_row *r = history_add_row(&mc->h->raw[pi - 1]);
            history_copy_raw(r, &from->rows[j]);
            r->seq += mc->walked;
        }
    }
    for (size_t j = 0; j < from->n; j++) {
        raw_row *r = history_add_row(&mc->h->raw[first - 1]);
        *r = from->rows[j];
        r->seq += mc->walked;
    }
    /* Moved: the cache's list goes now, not with the cache at the end (at
     * 10,000 pages the two lists would be 11 MB each at once). */
    free(from->rows);
    from->rows = NULL;
    from->n = from->cap = 0;
}

/* Starts tracking every page in HEAD at its path there (none: NULL), with
 * only its first rows (uncommitted, untracked) kept. */
static void track_pages(walker *w, char *const *paths)
{
    map_free(w->tracked);
    map_free(w->seen);
    w->tracked = map_new();
    w->seen = map_new();
    w->truncated = 0;
    for (size_t i = 0; i < w->h->n_pages; i++) {
        page_rows *pr = &w->h->raw[i];
        size_t keep = 0;
        while (keep < pr->n && pr->rows[keep].row.kind != HIST_COMMIT &&
               pr->rows[keep].row.kind != HIST_TRUNCATED)
            keep++;
        for (size_t j = keep; j < pr->n; j++)
            history_free_raw(&pr->rows[j]);
        pr->n = keep;
        w->next[i] = 0;
        if (paths[i])
            w->next[i] = (size_t)(intptr_t)map_put(w->tracked, paths[i], (void *)(intptr_t)(i + 1));
    }
}

static void add_seen(void *ctx, const char *path, void *value)
{
    map_put(ctx, path, value);
}

/* Debian's libgit2 is built with mbedTLS, and its set-up parses every CA
 * certificate of the system's bundle (/etc/ssl/certs/ca-certificates.crt)
 * for HTTPS remotes, which charter never opens: 9-10 ms of each process's
 * start, a tenth of a 2,500-page build with nothing to do. This definition
 * is found before libmbedx509's (the executable comes first in the dynamic
 * linker's lookup, and exports the name because libgit2 refers to it): it
 * reads nothing and leaves the chain empty, so that a TLS connection, were
 * one ever made, would fail its verification rather than trust anything.
 * Counted for the unit test, which fails if the definition is not used. */
static atomic_int ca_files_skipped;

int mbedtls_x509_crt_parse_file(void *chain, const char *path);
int mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
    (void)chain;
    (void)path;
    atomic_fetch_add(&ca_files_skipped, 1);
    return 0;
}

int history_ca_files_skipped(void)
{
    return atomic_load(&ca_files_skipped);
}

static pthread_once_t git_once = PTHREAD_ONCE_INIT;

static void git_hold(void)
{
    /* Before anything is allocated: what the allocator gives it frees. */
    git_libgit2_opts(GIT_OPT_SET_ALLOCATOR, &git_alloc);
    git_libgit2_init();
}

void history_git_init(void)
{
    pthread_once(&git_once, git_hold);
    git_libgit2_init();
}

history *history_load(const site *s, int use_cache, const history_status *status_pass, diags *d)
{
    history *h = xcalloc(1, sizeof *h);
    h->n_pages = s->n_pages;
    h->raw = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *h->raw);
    h->pages = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *h->pages);
    history_git_init();
    /* No object cache: the walk reads each commit once and keeps the trees
     * it needs itself (tree_cache, history_diff_many), and blobs were never
     * cached; caching cost 6% of the CPU and 8 MB at the peak on a
     * 10,000-page site. */
    git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
    /* libgit2 re-hashes every object it reads, which git only does in
     * fsck: a fifth of the CPU of a cold read of a 10,000-page site's
     * history. A corrupt object is git fsck's to find. */
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    /* Packs are read through windows of 4 MB, at most 8 MB of them mapped
     * at once (git's core.packedGitWindowSize and packedGitLimit; libgit2
     * maps a whole pack of up to 1 GB by default), so the pages of a pack
     * read through do not all count to the process: 20 MB less at the
     * history's peak on a 10,000-page site, the same time. */
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)4 << 20);
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)8 << 20);
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
    walker w = {.s = s,
                .d = d,
                .h = h,
                .next = xcalloc(s->n_pages ? s->n_pages : 1, sizeof(size_t)),
                .page_exts = map_new()};

    /* --at: the site's files come from a commit; its history is that of
     * the repository holding the site as named, from that commit. */
    const char *root = s->git_root ? s->git_root : s->root;
    if (s->git_commit)
        use_cache = 0;
    int rc = history_repo_open(&repo, root);
    if (rc == GIT_ENOTFOUND) {
        diag_warning(d, NULL, 0, 0, "history",
                     "'%s' is not in a git repository: pages get no history", root);
        goto done;
    }
    if (rc == GIT_EOWNER) {
        buf why;
        buf_init(&why);
        history_owner_refusal(&why, root);
        diag_warning(d, NULL, 0, 0, "history", "%s; pages get no history", why.data);
        buf_release(&why);
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
    site_user_path(&content, s, s->cfg.content);
    if (history_content_prefix(&prefix, workdir, content.data) != 0) {
        diag_warning(d, NULL, 0, 0, "history",
                     "the content directory is outside the repository: pages get no history");
        goto done;
    }
    buf nested;
    buf_init(&nested);
    if (history_content_nested(&nested, workdir, prefix.data)) {
        diag_warning(d, NULL, 0, 0, "history",
                     "the content directory is in '%s', a git submodule or a repository of its "
                     "own, whose commits this repository's history does not hold: pages get no "
                     "history (build with --site inside it for theirs)",
                     nested.data);
        buf_release(&nested);
        goto done;
    }
    buf_release(&nested);
    w.repo = repo;
    w.prefix = prefix.data;
    w.shallow = git_repository_is_shallow(repo) == 1;
    w.mailmap = load_mailmap(repo, workdir, s->git_commit);
    for (size_t i = 0; i < s->n_pages; i++) {
        buf p;
        buf_init(&p);
        buf_printf(&p, "%s%s", prefix.data, s->pages[i]->rel);
        paths[i] = buf_detach(&p);
        map_put(w.page_exts, extension(paths[i]), (void *)1);
    }

    /* Uncommitted and untracked pages, in one status pass: the caller's,
     * when it made one of this work tree's content folder (its HEAD then
     * goes with it), else one of our own. At a past commit the work tree is
     * not the site's: no status. */
    const history_status *pass = status_pass && !s->git_commit &&
                                         !strcmp(status_pass->workdir, workdir) &&
                                         !strcmp(status_pass->prefix, prefix.data)
                                     ? status_pass
                                     : NULL;
    map *own = NULL;
    if (!pass) {
        git_status_options so;
        char *spec = prefix.data;
        history_status_options(&so, &spec);
        so.flags |= GIT_STATUS_OPT_UPDATE_INDEX;
        own = map_new();
        if (!s->git_commit && history_status_list(&st, repo, &so) == 0)
            history_status_kinds(own, st);
    }
    const map *status = pass ? pass->kinds : own;
    int unborn = pass ? pass->unborn : !s->git_commit && git_repository_head_unborn(repo) == 1;
    h->found = 1;
    for (size_t i = 0; i < s->n_pages; i++) {
        intptr_t stv = (intptr_t)map_get(status, paths[i]);
        if (stv == 2 || unborn) {
            add_special(h, i, HIST_UNTRACKED);
            free(paths[i]); /* not in HEAD: no history, nothing to cache */
            paths[i] = NULL;
            continue;
        }
        if (stv == 1)
            add_special(h, i, HIST_UNCOMMITTED);
    }
    map_free(own);
    if (unborn)
        goto assemble;

    git_oid head_id;
    if (pass)
        git_oid_cpy(&head_id, &pass->head);
    else if (s->git_commit ? git_oid_fromstr(&head_id, s->git_commit) != 0
                           : git_reference_name_to_id(&head_id, repo, "HEAD") != 0) {
        git_warning(d, "cannot read HEAD");
        goto assemble;
    }
    git_oid_cpy(&w.head, &head_id);
    buf_printf(&cache_dir, "%scharter", git_repository_path(repo));
    buf_printf(&cache_file, "%s/history.cache", cache_dir.data);
    if (use_cache)
        cache = history_cache_read(cache_file.data, prefix.data);
    /* With the cache at HEAD the walk meets it at once and walks nothing. */
    int met = 0;
    track_pages(&w, paths);
    long walked = walk(&w, cache ? &cache->head : NULL, &met);
    merge_ctx mc = {h, w.next, cache, walked, 1};
    if (walked >= 0 && cache && met)
        map_each(w.tracked, check_covered, &mc);
    if (!mc.covered) {
        /* Rare (a page restored since the cache was written): read it all. */
        history_cache_free(cache);
        cache = NULL;
        track_pages(&w, paths);
        walked = walk(&w, NULL, &met);
    }
    if (walked > 0)
        resolve_rows(&w);
    history_blobs_free(w.blobs);
    w.blobs = NULL;
    if (walked >= 0 && cache && met) {
        /* The rest of each page's history is the cache's, under the path the
         * page had at the cached HEAD, counted from there. */
        mc.walked = walked;
        map_each(w.tracked, merge_cached, &mc);
        map_each(cache->seen, add_seen, w.seen);
    } else if (walked >= 0 && w.truncated) {
        diag_warning(d, NULL, 0, 0, "history",
                     "the repository is a shallow clone: page histories stop at its oldest "
                     "commit (fetch with --unshallow for the full history)");
    }
    /* Not a history cut short (a shallow clone, a partial clone's missing
     * blobs): once the repository has them, the next build reads them,
     * and until then each build says what is missing. */
    h->reusable = pass && walked >= 0 && !w.truncated && !w.degraded;
    if (walked >= 0 && use_cache && !w.truncated && !w.degraded && !(cache && met && walked == 0)) {
        /* Keyed by the pages' paths at HEAD. */
        history_cache_write(h, cache_dir.data, &head_id, prefix.data, paths, w.seen, d);
    }
assemble:
done:
    if (repo)
        history_verify_signatures(h, s, repo, use_cache && cache_dir.len ? cache_dir.data : NULL,
                                  d);
    finish(h, w.mailmap);
    digest_rows(h);
    for (size_t i = 0; i < s->n_pages; i++)
        free(paths[i]);
    free(paths);
    history_cache_free(cache);
    map_free(w.tracked);
    map_free(w.seen);
    map_free(w.page_exts);
    history_blobs_free(w.blobs);
    free(w.next);
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
