/* api: writes api/pages.json (schema "charter/pages@1"), the documented
 * machine-readable index of the site, with stable key order and 2-space
 * indentation so that diffs between builds stay readable. */
#include "api.h"

#include "digest.h"
#include "fs.h"
#include "history.h"
#include "paths.h"
#include "json.h"
#include "splice.h"

#include <stdlib.h>
#include <string.h>

static void yaml_value(json_writer *w, const yaml_node *n)
{
    if (yamltree_kind(n) == YAML_SCALAR) {
        if (yamltree_is_null(n))
            json_null(w);
        else if (yamltree_plain(n) &&
                 (strcmp(yamltree_text(n), "true") == 0 || strcmp(yamltree_text(n), "false") == 0))
            json_bool(w, yamltree_text(n)[0] == 't');
        else
            json_strn(w, yamltree_text(n), yamltree_text_len(n));
        return;
    }
    int is_map = yamltree_kind(n) == YAML_MAPPING;
    if (is_map)
        json_begin_object(w, JSON_BLOCK);
    else
        json_begin_array(w, JSON_BLOCK);
    for (size_t i = 0; i < yamltree_len(n); i++) {
        if (is_map) {
            const yaml_node *k = yamltree_key(n, i);
            json_keyn(w, yamltree_text(k), yamltree_text_len(k));
        }
        yaml_value(w, yamltree_item(n, i));
    }
    json_end(w);
}

void api_yaml_json(buf *out, const yaml_node *n, int indent)
{
    json_writer w;
    json_writer_init(&w, out, indent);
    yaml_value(&w, n);
    json_writer_release(&w);
}

static void str_list(json_writer *w, const char *key, char **items, size_t n)
{
    json_key(w, key);
    json_begin_array(w, JSON_LINE);
    for (size_t i = 0; i < n; i++)
        json_str(w, items[i]);
    json_end(w);
}

/* s, or null when it is NULL or empty. */
static const char *or_null(const char *s)
{
    return s && *s ? s : NULL;
}

/* "history": the page's rows, newest first, one line each; then created,
 * last_changed and last_changed_by. */
static void history_json(json_writer *w, const page_history *ph)
{
    static const char *const kinds[] = {"commit", "uncommitted", "untracked", "truncated"};
    const hist_row *newest = NULL, *oldest = NULL;
    int truncated = 0;
    json_key(w, "history");
    json_begin_array(w, JSON_BLOCK);
    for (size_t i = 0; i < ph->n; i++) {
        const hist_row *r = &ph->rows[i];
        if (r->kind == HIST_COMMIT) {
            if (!newest)
                newest = r;
            oldest = r;
        }
        truncated |= r->kind == HIST_TRUNCATED;
        json_begin_object(w, JSON_LINE);
        json_member_str(w, "kind", kinds[r->kind]);
        json_member_str(w, "commit", or_null(r->commit));
        json_member_str(w, "short", or_null(r->shortid));
        json_member_str(w, "date", or_null(r->date));
        json_member_str(w, "author", or_null(r->author));
        json_member_str(w, "summary", or_null(r->summary));
        json_member_str(w, "version", r->version ? r->version : "");
        json_key(w, "review");
        json_bool(w, r->review);
        str_list(w, "approved_by", r->approved_by, r->n_approved);
        str_list(w, "reviewed_by", r->reviewed_by, r->n_reviewed);
        str_list(w, "co_authors", r->co_authors, r->n_co_authors);
        str_list(w, "merged_authors", r->merged_authors, r->n_merged_authors);
        json_member_str(w, "request", or_null(r->request));
        json_member_str(w, "change_type", or_null(r->change_type));
        json_key(w, "signature");
        if (r->kind == HIST_COMMIT) {
            static const char *const states[] = {"unsigned", "verified", "unverified"};
            json_begin_object(w, JSON_LINE);
            json_member_str(w, "state", states[r->sig_state]);
            json_member_str(w, "kind", or_null(r->sig_kind));
            json_member_str(w, "key", or_null(r->sig_key));
            json_member_str(w, "signer", or_null(r->sig_signer));
            json_member_str(w, "why", or_null(r->sig_why));
            json_end(w);
        } else {
            json_null(w);
        }
        json_end(w);
    }
    json_end(w);
    json_member_str(w, "created", or_null(oldest && !truncated ? oldest->date : NULL));
    json_member_str(w, "last_changed", or_null(newest ? newest->date : NULL));
    json_member_str(w, "last_changed_by", or_null(newest ? newest->author : NULL));
}

/* Pages per chunk of api/pages.json (api_pages_fill). */

struct api_pages {
    const site *s;
    const history *h;
    json_writer w;
    size_t next; /* the next page to write */
    int started;
    /* Splicing (api_pages_splice): each published page's entry key (hex,
     * from api_pages_keys), the segments, and what the check found. */
    char (*keys)[DIGEST_HEX];
    splice_stream *sp;
    int check;
    size_t entries, mismatches;
    size_t cursor; /* the previous segment after the last one copied */
    buf key;
};

api_pages *api_pages_new(const site *s, const history *h)
{
    api_pages *a = xcalloc(1, sizeof *a);
    a->s = s;
    a->h = h;
    json_writer_init(&a->w, NULL, 0);
    buf_init(&a->key);
    return a;
}

void api_pages_free(api_pages *a)
{
    if (!a)
        return;
    json_writer_release(&a->w);
    free(a->keys);
    buf_release(&a->key);
    free(a);
}

/* Page i's entry, the member of "pages" (its comma and line first). */
static void write_entry(api_pages *a, size_t i)
{
    json_writer *w = &a->w;
    const page *p = a->s->pages[i];
    char date[11];
    json_begin_object(w, JSON_BLOCK);
    json_member_str(w, "url", p->full_url);
    json_member_str(w, "output", p->out_file);
    json_member_str(w, "source", p->src);
    json_member_str(w, "id", p->id);
    json_member_str(w, "title", p->title);
    json_member_str(w, "layout", p->layout);
    json_member_str(w, "section", p->section_title);
    if (p->next_review >= 0)
        date_format(date, p->next_review);
    json_member_str(w, "next_review", p->next_review >= 0 ? date : NULL);
    json_member_str(w, "review_state", review_state_slug(p->review));
    if (a->h)
        history_json(w, history_page(a->h, i));
    json_key(w, "front_matter");
    yaml_value(w, p->fm.data);
    json_end(w);
}

/* An entry to make (splice_segment's make): page i's, into `into`. */
typedef struct entry_job {
    api_pages *a;
    size_t i;
} entry_job;

static int make_entry(void *ctx, buf *into)
{
    entry_job *e = ctx;
    buf *was = e->a->w.out;
    e->a->w.out = into;
    write_entry(e->a, e->i);
    e->a->w.out = was;
    return 0;
}

/* Page i's entry, spliced: copied from the previous file when it has the
 * entry's key (the first entry's differs: it has no comma), else made.
 * Most entries are where the previous file had them: the one after the
 * last copied is tried first. */
static void splice_entry(api_pages *a, size_t i, buf *chunk)
{
    buf_reset(&a->key);
    buf_printf(&a->key, "%s %s", a->entries ? "page" : "first", a->keys[i]);
    a->entries++;
    entry_job e = {a, i};
    long k = splice_segment(a->sp, a->key.data, (long)a->cursor, chunk, make_entry, &e, a->check,
                            &a->mismatches);
    if (k >= 0) {
        a->cursor = (size_t)k + 1;
        if (!a->check) /* else making it again counted it */
            json_member_written(&a->w);
    }
}

int api_pages_fill(void *ctx, buf *chunk)
{
    api_pages *a = ctx;
    const site *s = a->s;
    json_writer *w = &a->w;
    char date[11];
    w->out = chunk;
    if (!a->started) {
        a->started = 1;
        size_t from = chunk->len;
        json_begin_object(w, JSON_BLOCK);
        json_member_str(w, "schema", "charter/pages@1");
        json_key(w, "site");
        json_begin_object(w, JSON_BLOCK);
        json_member_str(w, "title", s->cfg.title);
        json_member_str(w, "base_url", s->cfg.base_url);
        date_format(date, s->as_of);
        json_member_str(w, "as_of", date);
        json_end(w);
        json_key(w, "pages");
        json_begin_array(w, JSON_BLOCK);
        if (a->sp) {
            splice_mark_made_in(a->sp, "head", chunk, from);
            a->cursor = 1; /* the first entry follows the previous file's head */
        }
    }
    for (size_t until = chunk->len + FS_CHUNK_BYTES; a->next < s->n_pages && chunk->len < until;
         a->next++) {
        const page *p = s->pages[a->next];
        if (!p->ok || !p->published)
            continue;
        if (a->sp)
            splice_entry(a, a->next, chunk);
        else
            write_entry(a, a->next);
    }
    if (a->next < s->n_pages)
        return 1;
    size_t from = chunk->len;
    json_end(w);
    json_end(w);
    buf_addc(chunk, '\n');
    if (a->sp)
        splice_mark_made(a->sp, "tail", chunk->data + from, chunk->len - from);
    return 0;
}

void api_pages_splice(api_pages *a, splice_stream *sp, int check)
{
    a->sp = a->keys ? sp : NULL;
    a->check = check;
}

size_t api_pages_mismatches(const api_pages *a)
{
    return a->mismatches;
}

/* Kept in step with api_pages_fill and history_json: a value they write
 * and this does not feed would let a changed file be linked unchanged.
 * CHARTER_CHECK_REUSE (the test suites) makes the file found unchanged by
 * this key again and compares. */
/* What page i's entry is written from (write_entry), into d. */
static void key_entry(digest *d, const api_pages *a, size_t i)
{
    const page *p = a->s->pages[i];
    const char *fields[] = {p->full_url, p->out_file, p->src,          p->id,
                            p->title,    p->layout,   p->section_title};
    for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
        digest_add_str(d, fields[k]);
    digest_add_long(d, p->next_review);
    digest_add_long(d, (long)p->review);
    if (a->h) {
        const page_history *ph = history_page(a->h, i);
        digest_add_long(d, (long)ph->n);
        for (size_t k = 0; k < ph->n; k++)
            history_row_digest(d, &ph->rows[k]);
    }
    digest_add(d, p->fm_hex, DIGEST_HEX);
}

void api_pages_keys(api_pages *a, char key[65])
{
    const site *s = a->s;
    free(a->keys);
    a->keys = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *a->keys);
    digest *d = digest_new(), *e = digest_new(); /* e: reset by each digest_hex */
    digest_add(d, digest_self(), DIGEST_HEX);
    digest_add_str(d, "api/pages.json");
    digest_add_str(d, s->cfg.title);
    digest_add_str(d, s->cfg.base_url);
    digest_add_long(d, s->as_of);
    digest_add_long(d, a->h != NULL);
    digest_add_long(d, (long)s->n_pages);
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        digest_add_long(d, p->ok && p->published);
        if (!p->ok || !p->published)
            continue;
        key_entry(e, a, i);
        digest_hex(e, a->keys[i]);
        digest_add(d, a->keys[i], DIGEST_HEX);
    }
    digest_hex(d, key);
    digest_free(d);
    digest_free(e);
}

void api_pages_key(char key[65], const site *s, const history *h)
{
    api_pages *a = api_pages_new(s, h);
    api_pages_keys(a, key);
    api_pages_free(a);
}

void api_pages_json(buf *out, const site *s, const history *h)
{
    api_pages *a = api_pages_new(s, h);
    while (api_pages_fill(a, out) > 0)
        ;
    api_pages_free(a);
}
