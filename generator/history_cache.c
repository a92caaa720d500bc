/* history_cache: <git dir>/charter/history.cache, a page's rows as of a commit, so
 * a rebuild at the same HEAD walks nothing and one after new commits walks
 * only those. Written through a temporary file; anything unexpected in it
 * makes the whole cache ignored (history.c then reads git in full). */
#include "history_int.h"

#include "buf.h"
#include "dates.h"
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* --- the cache ------------------------------------------------------------------ */

/* Text, one record per line, tab-separated, every field escaped (\t \n \\,
 * and \u for the 0x1f that separates a name from its email and list items):
 *   CACHE_MAGIC / head <oid> / prefix <path>
 *   path <repo path at head>            then its rows:
 *   row <seq> <commit> <date> <review> <author> <summary> <declared|-> <approved> <reviewed>
 *       <co-authors> <request|-> <change type|-> <signature kind|-> <merged commits' authors>
 *   seen <repo path>                    each path the content directory held
 *   end <sha256 of every line before>   last: a cache cut short or changed
 *                                       is never taken for rows
 * Anything unexpected makes the whole cache ignored. */

void history_cache_escape(buf *out, const char *s)
{
    /* The runs between the four bytes escaped are copied whole, as
     * history_cache_unescape reads them. */
    while (s && *s) {
        size_t run = strcspn(s, "\t\n\\\x1f");
        buf_add(out, s, run);
        s += run;
        if (!*s)
            break;
        /* 0x1f separates a name from its email, and list items */
        buf_adds(out, *s == '\t' ? "\\t" : *s == '\n' ? "\\n" : *s == '\\' ? "\\\\" : "\\u");
        s++;
    }
}

char *history_cache_unescape(const char *s, size_t len)
{
    /* Allocated once, the runs between backslashes copied whole: byte by
     * byte, reading a 10,000-page site's cache took a quarter longer. */
    char *out = xmalloc(len + 1), *o = out;
    const char *end = s + len;
    while (s < end) {
        const char *bs = memchr(s, '\\', (size_t)(end - s));
        size_t run = (size_t)((bs ? bs : end) - s);
        memcpy(o, s, run);
        o += run;
        s += run;
        if (!bs)
            break;
        if (s + 1 < end) {
            s++;
            *o++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s == 'u' ? '\x1f' : *s;
        } else {
            *o++ = '\\'; /* a last lone backslash stays */
        }
        s++;
    }
    *o = '\0';
    return out;
}

void history_cache_escape_list(buf *out, char **items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        history_cache_escape(out, items[i]);
        buf_addc(out, '\x1f');
    }
}

size_t history_cache_split_list(char ***out, const char *s)
{
    size_t n = 0;
    *out = NULL;
    while (*s) {
        size_t len = strcspn(s, "\x1f");
        *out = xgrow(*out, n, sizeof **out);
        (*out)[n++] = history_cache_unescape(s, len);
        s += len + (s[len] != '\0'); /* each item ends with 0x1f */
    }
    return n;
}

void history_cache_free(cached *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        for (size_t j = 0; j < c->rows_of[i].n; j++)
            history_free_raw(&c->rows_of[i].rows[j]);
        free(c->rows_of[i].rows);
    }
    free(c->rows_of);
    map_free(c->by_path);
    map_free(c->seen);
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

/* Whether text ends with its end line, the check (digest_check) of all
 * before it: then that line is cut off. */
static int whole(buf *text)
{
    const size_t line = 4 + DIGEST_CHECK_HEX; /* "end\t", the check, "\n" */
    if (text->len < line || text->data[text->len - 1] != '\n' ||
        memcmp(text->data + text->len - line, "end\t", 4) != 0 ||
        (text->len > line && text->data[text->len - line - 1] != '\n'))
        return 0;
    char hex[DIGEST_CHECK_HEX];
    digest_check_of(hex, text->data, text->len - line);
    if (memcmp(hex, text->data + text->len - line + 4, DIGEST_CHECK_HEX - 1) != 0)
        return 0;
    buf_truncate(text, text->len - line);
    return 1;
}

cached *history_cache_read(const char *path, const char *prefix)
{
    buf text;
    buf_init(&text);
    cached *c = NULL;
    diags *quiet = diag_new(NULL);
    if (fs_read_nofollow(&text, path, path, quiet) != 0 || !whole(&text))
        goto fail;
    c = xcalloc(1, sizeof *c);
    c->by_path = map_new();
    c->seen = map_new();
    char *save = NULL;
    int line_no = 0;
    page_rows *cur = NULL;
    for (char *line = strtok_r(text.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        line_no++;
        char *f[15];
        size_t nf = fields(line, f, 15);
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
            c->rows_of = xgrow(c->rows_of, c->n, sizeof *c->rows_of);
            cur = &c->rows_of[c->n];
            memset(cur, 0, sizeof *cur);
            char *p = history_cache_unescape(f[1], strlen(f[1]));
            map_put(c->by_path, p, (void *)(intptr_t)(c->n + 1));
            free(p);
            c->n++;
        } else if (nf == 2 && !strcmp(f[0], "seen")) {
            char *p = history_cache_unescape(f[1], strlen(f[1]));
            map_put(c->seen, p, (void *)1);
            free(p);
            cur = NULL; /* rows belong to a path record */
        } else if (nf == 15 && !strcmp(f[0], "row") && cur) {
            raw_row *r = history_add_row(cur);
            char *endp;
            errno = 0;
            r->seq = strtol(f[1], &endp, 10);
            /* Bounded, so adding the commits walked since cannot overflow. */
            if (endp == f[1] || *endp || errno || r->seq < 0 || r->seq > INT_MAX ||
                (strcmp(f[2], "-") && strlen(f[2]) != 40) || strlen(f[3]) > 10 ||
                (strcmp(f[4], "0") && strcmp(f[4], "1")))
                goto fail;
            if (!strcmp(f[2], "-")) {
                r->row.kind = HIST_TRUNCATED;
            } else {
                git_oid id;
                long day;
                /* Checked, as the rows from git are: pages link the commit
                 * and the API promises YYYY-MM-DD. */
                if (git_oid_fromstr(&id, f[2]) != 0 || date_parse(&day, f[3], strlen(f[3])) != 0)
                    goto fail;
                r->row.kind = HIST_COMMIT;
                memcpy(r->row.commit, f[2], 41);
                memcpy(r->row.shortid, f[2], 7);
                strcpy(r->row.date, f[3]);
                const char *sep = strchr(f[5], '\x1f');
                if (!sep)
                    goto fail;
                r->name = history_cache_unescape(f[5], (size_t)(sep - f[5]));
                r->email = history_cache_unescape(sep + 1, strlen(sep + 1));
                r->row.summary = history_cache_unescape(f[6], strlen(f[6]));
            }
            r->row.review = f[4][0] == '1';
            r->declared = strcmp(f[7], "-") ? history_cache_unescape(f[7], strlen(f[7])) : NULL;
            r->row.n_approved = history_cache_split_list(&r->row.approved_by, f[8]);
            r->row.n_reviewed = history_cache_split_list(&r->row.reviewed_by, f[9]);
            r->row.n_co_authors = history_cache_split_list(&r->row.co_authors, f[10]);
            r->row.request =
                strcmp(f[11], "-") ? history_cache_unescape(f[11], strlen(f[11])) : NULL;
            r->row.change_type =
                strcmp(f[12], "-") ? history_cache_unescape(f[12], strlen(f[12])) : NULL;
            /* The kind only: the verdict depends on the site's keys, so it
             * is made again on every load. */
            if (strcmp(f[13], "-")) {
                if (strlen(f[13]) >= sizeof r->row.sig_kind)
                    goto fail;
                strcpy(r->row.sig_kind, f[13]);
                r->row.sig_state = HSIG_UNVERIFIED;
            }
            r->n_merged = history_cache_split_list(&r->merged, f[14]);
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
    history_cache_free(c);
    buf_release(&text);
    diag_free(quiet);
    return NULL;
}

static void collect_key(void *ctx, const char *key, void *value)
{
    (void)value;
    buf *b = ctx;
    const char *k = key;
    buf_add(b, &k, sizeof k);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Writes every page's rows (commit and truncated ones) keyed by its path at
 * head; seqs as they are (head is where they count from); then the paths
 * seen, sorted. */
void history_cache_write(const history *h, const char *dir, const git_oid *head, const char *prefix,
                         char *const *paths, const map *seen, diags *d)
{
    buf out, path;
    buf_init(&out);
    buf_init(&path);
    char hex[41];
    git_oid_tostr(hex, sizeof hex, head);
    buf_printf(&out, "%s\nhead\t%s\nprefix\t%s\n", CACHE_MAGIC, hex, prefix);
    for (size_t i = 0; i < h->n_pages; i++) {
        if (!paths[i])
            continue;
        buf_adds(&out, "path\t");
        history_cache_escape(&out, paths[i]);
        buf_addc(&out, '\n');
        for (size_t j = 0; j < h->raw[i].n; j++) {
            const raw_row *r = &h->raw[i].rows[j];
            if (r->row.kind != HIST_COMMIT && r->row.kind != HIST_TRUNCATED)
                continue;
            buf_printf(&out, "row\t%ld\t%s\t%s\t%d\t", r->seq,
                       r->row.kind == HIST_COMMIT ? r->row.commit : "-", r->row.date,
                       r->row.review);
            history_cache_escape(&out, r->name);
            buf_addc(&out, '\x1f');
            history_cache_escape(&out, r->email);
            buf_addc(&out, '\t');
            history_cache_escape(&out, r->row.summary);
            buf_addc(&out, '\t');
            if (r->declared)
                history_cache_escape(&out, r->declared);
            else
                buf_addc(&out, '-');
            buf_addc(&out, '\t');
            history_cache_escape_list(&out, r->row.approved_by, r->row.n_approved);
            buf_addc(&out, '\t');
            history_cache_escape_list(&out, r->row.reviewed_by, r->row.n_reviewed);
            buf_addc(&out, '\t');
            history_cache_escape_list(&out, r->row.co_authors, r->row.n_co_authors);
            buf_addc(&out, '\t');
            history_cache_escape(&out, r->row.request ? r->row.request : "-");
            buf_addc(&out, '\t');
            history_cache_escape(&out, r->row.change_type ? r->row.change_type : "-");
            buf_printf(&out, "\t%s\t", r->row.sig_kind[0] ? r->row.sig_kind : "-");
            history_cache_escape_list(&out, r->merged, r->n_merged);
            buf_addc(&out, '\n');
        }
    }
    if (seen) {
        buf keys;
        buf_init(&keys);
        map_each(seen, collect_key, &keys);
        const char **k = (const char **)(void *)keys.data;
        size_t n = keys.len / sizeof *k;
        if (n)
            qsort(k, n, sizeof *k, cmp_str);
        for (size_t i = 0; i < n; i++) {
            buf_adds(&out, "seen\t");
            history_cache_escape(&out, k[i]);
            buf_addc(&out, '\n');
        }
        buf_release(&keys);
    }
    /* The cache lives in the git directory, which no commit can fill: a
     * committed file cannot forge rows, and a link there is not followed.
     * It is only a cache, so failing to write it is a warning. */
    char end[DIGEST_CHECK_HEX];
    digest_check_of(end, out.data, out.len);
    buf_printf(&out, "end\t%s\n", end);
    buf_printf(&path, "%s/history.cache", dir);
    fs_write_cache(path.data, out.data, out.len, "history", d);
    buf_release(&out);
    buf_release(&path);
}
