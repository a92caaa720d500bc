/* diag: collects diagnostics from every stage (thread-safe) and renders them
 * as text with the offending source line and a caret, gcc style, each file
 * named from the working directory (the reports' one rule for names). */
#include "diag.h"
#include "buf.h"
#include "embed.h"
#include "fs.h"
#include "pool.h"
#include "paths.h"
#include "unicode.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct diags {
    pthread_mutex_t lock;
    char *root;
    char *sources; /* where the source lines are read from; NULL: root */
    diag_entry *items;
    size_t len, cap;
};

diags *diag_new(const char *root)
{
    diags *d = xcalloc(1, sizeof *d);
    pthread_mutex_init(&d->lock, NULL);
    d->root = root ? xstrdup(root) : NULL;
    return d;
}

void diag_set_sources(diags *d, const char *dir)
{
    free(d->sources);
    d->sources = dir ? xstrdup(dir) : NULL;
}

void diag_free(diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->len; i++) {
        free(d->items[i].file);
        free(d->items[i].id);
        free(d->items[i].message);
    }
    free(d->items);
    free(d->root);
    free(d->sources);
    pthread_mutex_destroy(&d->lock);
    free(d);
}

static void vreport(diags *d, diag_level level, const char *file, int line, int col, const char *id,
                    const char *fmt, va_list ap) __attribute__((format(printf, 7, 0)));

static void vreport(diags *d, diag_level level, const char *file, int line, int col, const char *id,
                    const char *fmt, va_list ap)
{
    buf msg;
    buf_init(&msg);
    buf_vprintf(&msg, fmt, ap);
    diag_entry e = {level, file ? xstrdup(file) : NULL, line,
                    col,   xstrdup(id ? id : ""),       buf_detach(&msg)};
    pthread_mutex_lock(&d->lock);
    if (d->len == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = xrealloc(d->items, d->cap * sizeof *d->items);
    }
    d->items[d->len++] = e;
    pthread_mutex_unlock(&d->lock);
}

void diag_move(diags *to, diags *from)
{
    if (!to || !from || to == from)
        return;
    pthread_mutex_lock(&from->lock);
    diag_entry *items = from->items;
    size_t n = from->len;
    from->items = NULL;
    from->len = from->cap = 0;
    pthread_mutex_unlock(&from->lock);
    if (!n) {
        free(items);
        return;
    }
    pthread_mutex_lock(&to->lock);
    if (to->len + n > to->cap) {
        to->cap = to->len + n;
        to->items = xrealloc(to->items, to->cap * sizeof *to->items);
    }
    memcpy(to->items + to->len, items, n * sizeof *items);
    to->len += n;
    pthread_mutex_unlock(&to->lock);
    free(items);
}

int diag_report(diags *d, diag_level level, const char *file, int line, int col, const char *id,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(d, level, file, line, col, id, fmt, ap);
    va_end(ap);
    return -1;
}

int diag_error(diags *d, const char *file, int line, int col, const char *id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(d, DIAG_ERROR, file, line, col, id, fmt, ap);
    va_end(ap);
    return -1;
}

void diag_warning(diags *d, const char *file, int line, int col, const char *id, const char *fmt,
                  ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(d, DIAG_WARNING, file, line, col, id, fmt, ap);
    va_end(ap);
}

void diag_copy(diags *to, const diags *from)
{
    size_t n;
    const diag_entry *e = diag_entries(from, &n);
    for (size_t i = 0; i < n; i++)
        diag_report(to, e[i].level, e[i].file, e[i].line, e[i].col, e[i].id, "%s", e[i].message);
}

void diag_retune(diags *d, int (*level_for)(void *ctx, const diag_entry *e), void *ctx)
{
    size_t kept = 0;
    for (size_t i = 0; i < d->len; i++) {
        diag_entry *e = &d->items[i];
        int level = level_for(ctx, e);
        if (level < 0) {
            free(e->file);
            free(e->id);
            free(e->message);
            continue;
        }
        e->level = (diag_level)level;
        d->items[kept++] = *e;
    }
    d->len = kept;
}

size_t diag_count(const diags *d, diag_level level)
{
    size_t n = 0;
    for (size_t i = 0; i < d->len; i++)
        n += d->items[i].level == level;
    return n;
}

size_t diag_count_id(const diags *d, diag_level level, const char *id)
{
    size_t n = 0;
    for (size_t i = 0; i < d->len; i++)
        n += d->items[i].level == level && !strcmp(d->items[i].id, id);
    return n;
}

static int cmp_entry(const void *a, const void *b)
{
    const diag_entry *x = a, *y = b;
    /* Messages about no file (configuration, usage) come first. */
    if (!x->file || !y->file) {
        if (x->file != y->file)
            return x->file ? 1 : -1;
    } else {
        int c = strcmp(x->file, y->file);
        if (c)
            return c;
    }
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    int c = strcmp(x->message, y->message);
    if (c)
        return c;
    return strcmp(x->id, y->id);
}

void diag_sort(diags *d)
{
    if (d->len > 1)
        qsort(d->items, d->len, sizeof *d->items, cmp_entry);
}

const diag_entry *diag_entries(const diags *d, size_t *count)
{
    *count = d->len;
    return d->items;
}

/* --- names from the working directory ------------------------------------------ */

char *diag_shown_root(const diags *d)
{
    buf root, cwd, shown;
    buf_init(&root);
    buf_init(&cwd);
    buf_init(&shown);
    char *here = getcwd(NULL, 0), *real = NULL;
    const char *r = d && d->root && d->root[0] ? d->root : ".";
    if (r[0] != '/' && !here) {
        /* No cwd to measure from: the root as it was given, clean. */
        buf_adds(&shown, r);
        path_clean(&shown);
        goto done;
    }
    if (r[0] != '/')
        path_join(&root, here, r);
    else
        buf_adds(&root, r);
    path_clean(&root);
    if (here) {
        buf_adds(&cwd, here);
        path_clean(&cwd);
    }
    if (r[0] != '/' || (here && path_is_within(root.data, cwd.data))) {
        /* A relative root is named relative, with "../" when it is above the
         * cwd, as the user wrote it. */
        path_relative(&shown, root.data, cwd.data);
        goto done;
    }
    /* An absolute root outside the cwd may still be inside it through a
     * symbolic link ($TMPDIR, a CI workspace); otherwise it is outside the
     * repository a CI names files against, and "../../.." would say less
     * than the absolute name. */
    real = here ? realpath(r, NULL) : NULL;
    if (real && path_is_within(real, cwd.data))
        path_relative(&shown, real, cwd.data);
    else
        buf_adds(&shown, root.data);
done:
    free(here);
    free(real);
    buf_release(&root);
    buf_release(&cwd);
    return buf_detach(&shown);
}

int diag_file_embedded(const char *file)
{
    return file && !strncmp(file, EMBED_SHOWN, strlen(EMBED_SHOWN));
}

void diag_shown_file(buf *out, const char *shown_root, const char *file)
{
    if (file[0] == '/' || !strcmp(shown_root, ".") || diag_file_embedded(file)) {
        buf_adds(out, file);
        return;
    }
    buf name;
    buf_init(&name);
    path_join(&name, shown_root, file);
    path_clean(&name);
    buf_add(out, name.data, name.len);
    buf_release(&name);
}

/* The line and column (in characters) of text[at], text's first line
 * being first_line. */
static void text_position(const char *text, size_t at, int first_line, int *line, int *col)
{
    const unsigned char *s = (const unsigned char *)text;
    *line = first_line;
    *col = 1;
    for (size_t i = 0; i < at; i++) {
        if (s[i] == '\n') {
            ++*line;
            *col = 1;
        } else if ((s[i] & 0xC0) != 0x80) {
            ++*col;
        }
    }
}

int diag_check_text(buf *clean, const char *text, size_t len, const char *file, int first_line,
                    diags *d)
{
    size_t width, at = text_first_flaw(text, len, &width);
    if (at == len)
        return 0;
    const unsigned char *s = (const unsigned char *)text;
    int said_bad = 0, line = 0, col = 0;
    size_t start = 0, controls = 0, first_control = 0;
    while (at < len) {
        buf_add(clean, text + start, at - start);
        if (!width) {
            if (!said_bad) {
                text_position(text, at, first_line, &line, &col);
                diag_error(d, file, line, col, "invalid-utf8",
                           s[at] ? "invalid UTF-8 byte 0x%02x" : "NUL byte in text", s[at]);
                said_bad = 1;
            }
            buf_adds(clean, "\xEF\xBF\xBD");
            start = at + 1;
        } else {
            /* A vertical tab is Markdown's whitespace (a word processor's
             * line break): a space keeps it so; any other, as a bad byte,
             * what is left of a link or a word around it. */
            if (!controls++)
                first_control = at;
            buf_adds(clean, s[at] == '\v' ? " " : "\xEF\xBF\xBD");
            start = at + width;
        }
        at = start + text_first_flaw(text + start, len - start, &width);
    }
    buf_add(clean, text + start, len - start);
    if (controls) {
        const unsigned char *c = s + first_control;
        unsigned cp = c[0] < 0x80 ? c[0] : ((c[0] & 0x1Fu) << 6) | (c[1] & 0x3Fu);
        text_position(text, first_control, first_line, &line, &col);
        buf more;
        buf_init(&more);
        if (controls > 1)
            buf_printf(&more, " (and %zu more in the file)", controls - 1);
        diag_warning(d, file, line, col, "control-character",
                     "control character U+%04X in the text, published as %s%s", cp,
                     cp == '\v' ? "a space" : "U+FFFD", more.data);
        buf_release(&more);
    }
    return 1;
}

/* --- printing ---------------------------------------------------------------- */

enum {
    EXCERPT_MAX = 160, /* bytes of a source line shown around the caret */
    SOURCE_MAX = 64 << 20,
};

void diag_term_safe(buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t n = u[i] < 0x80 ? 1 : utf8_seq_len(u + i, len - i);
        /* C0 controls and DEL, C1 controls (U+0080-U+009F, which some
         * terminals obey), and bytes that are not UTF-8. */
        int bad = n == 0 || (n == 1 && ((u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7f)) ||
                  (n == 2 && u[i] == 0xC2 && u[i + 1] < 0xA0);
        /* The marks and overrides of bidirectional text (U+061C, U+200E,
         * U+200F, U+202A-U+202E, U+2066-U+2069), which reorder what a
         * terminal or a CI log shows after them: "\u202e". */
        unsigned cp = n == 2   ? (u[i] & 0x1fu) << 6 | (u[i + 1] & 0x3fu)
                      : n == 3 ? (u[i] & 0x0fu) << 12 | (u[i + 1] & 0x3fu) << 6 | (u[i + 2] & 0x3fu)
                               : 0;
        if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
            (cp >= 0x2066 && cp <= 0x2069)) {
            buf_printf(out, "\\u%04x", cp);
            i += n;
            continue;
        }
        if (!bad) {
            buf_add(out, s + i, n);
            i += n;
            continue;
        }
        buf_adds(out, "\\x");
        buf_addc(out, hex[u[i] >> 4]);
        buf_addc(out, hex[u[i] & 15]);
        i++;
    }
}

/* The source files of the diagnostics: entries are printed sorted by
 * file, so each file is read once (through the checked door: inside the
 * site, a regular file, size-capped), its lines indexed. They are read a
 * batch at a time on all cores (1,300 warnings on as many pages took 11 ms
 * to print, most of it reading), then printed in order. */
typedef struct source_cache {
    char *file;    /* the file held, or NULL */
    buf text;      /* its bytes (empty when unreadable) */
    size_t *start; /* line i + 1 starts at start[i] */
    size_t n_lines;
    /* Where the last caret was, to resume counting characters from there:
     * diagnostics come sorted by line and column, and 10,000 of them on
     * one long line must not each count from its start. */
    int cur_line;
    size_t cur_byte;
    int cur_chars;
} source_cache;

/* How many files are read ahead at once. */
#define SOURCE_BATCH 256

/* Reads file into c (empty), from root (NULL: none) unless it is absolute
 * or one of the binary's own. */
static void cache_load(source_cache *c, const fs_root *root, const char *file)
{
    c->file = xstrdup(file);
    buf_init(&c->text);
    diags *quiet = diag_new(NULL);
    /* Diagnostics name files relative to the site; an absolute name (a
     * tool's own file) is read as it is, still only a regular file; the
     * default theme's and catalogs' files come from the binary. */
    const embed_file *ef = embed_find_shown(file);
    if (ef)
        buf_add(&c->text, ef->data, ef->len);
    int ok = ef ? 1
             : file[0] == '/'
                 ? fs_read(&c->text, file, NULL, quiet) == 0
                 : root && fs_read_source(&c->text, root, file, SOURCE_MAX, "", quiet) == 0;
    if (ok) {
        size_t cap = 64;
        c->start = xmalloc(cap * sizeof *c->start);
        c->start[c->n_lines++] = 0;
        for (const char *p = c->text.data, *end = p + c->text.len;
             (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) {
            if (c->n_lines == cap) {
                cap *= 2;
                c->start = xrealloc(c->start, cap * sizeof *c->start);
            }
            c->start[c->n_lines++] = (size_t)(p - c->text.data) + 1;
        }
    }
    diag_free(quiet);
}

static void cache_release(source_cache *c)
{
    free(c->file);
    free(c->start);
    buf_release(&c->text);
    memset(c, 0, sizeof *c);
}

/* A batch of files read ahead: caches[k] holds the file of entry at[k]. */
typedef struct source_batch {
    const fs_root *root;
    const diag_entry *items;
    const size_t *at;
    source_cache *caches;
} source_batch;

static void batch_load_one(void *ctx, size_t k)
{
    source_batch *b = ctx;
    cache_load(&b->caches[k], b->root, b->items[b->at[k]].file);
}

/* Line `line` (1-based) of the cached file, without its line end; NULL when
 * there is no such line. A final line after the last newline counts only
 * when it holds something. */
static const char *cache_line(const source_cache *c, int line, size_t *len)
{
    if (line < 1 || (size_t)line > c->n_lines)
        return NULL;
    size_t s = c->start[line - 1];
    size_t e = (size_t)line < c->n_lines ? c->start[line] - 1 : c->text.len;
    if ((size_t)line == c->n_lines && s == e)
        return NULL;
    if (e > s && c->text.data[e - 1] == '\r')
        e--;
    *len = e - s;
    return c->text.data + s;
}

static const char *level_name(diag_level l)
{
    return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" : "note";
}

/* Prints the source line and, with a column, a caret under it. A long line
 * is cut to a window around the column ("..." where it is cut), so one
 * diagnostic prints a bounded amount however long the line. */
static void print_excerpt(buf *out, source_cache *c, const char *text, size_t len, int line,
                          int col, const char *lc, int color, buf *scratch)
{
    /* Byte offset of the caret: `col` counts characters. */
    size_t at = 0;
    int chars = 0;
    if (c->cur_line == line && c->cur_chars <= col - 1) {
        at = c->cur_byte;
        chars = c->cur_chars;
    }
    for (; at < len && chars < col - 1; at++)
        chars += ((unsigned char)text[at] & 0xC0) != 0x80;
    c->cur_line = line;
    c->cur_byte = at;
    c->cur_chars = chars;
    while (at < len && ((unsigned char)text[at] & 0xC0) == 0x80)
        at++;
    size_t from = 0, to = len;
    if (len > EXCERPT_MAX) {
        from = at > EXCERPT_MAX / 2 ? at - EXCERPT_MAX / 2 : 0;
        to = from + EXCERPT_MAX < len ? from + EXCERPT_MAX : len;
        while (from > 0 && ((unsigned char)text[from] & 0xC0) == 0x80)
            from--;
        while (to < len && ((unsigned char)text[to] & 0xC0) == 0x80)
            to++;
    }
    const char *pre = from > 0 ? "..." : "", *post = to < len ? "..." : "";
    buf_reset(scratch);
    diag_term_safe(scratch, text + from, to - from);
    buf_printf(out, "%5d | %s%s%s\n", line, pre, scratch->data, post);
    if (col <= 0)
        return;
    /* The caret goes under the same character of the printed (escaped)
     * line: one space per character before it, tabs kept. */
    buf_reset(scratch);
    diag_term_safe(scratch, text + from, (at < from ? from : at > to ? to : at) - from);
    buf_adds(out, "      | ");
    buf_adds(out, pre);
    for (size_t k = 0, n; k < scratch->len; k += n) {
        /* As wide as the terminal shows it: two columns for a CJK
         * character, none for a combining mark. */
        int w = unicode_columns(scratch->data + k, scratch->len - k, &n);
        for (int i = 0; i < w; i++)
            buf_addc(out, scratch->data[k] == '\t' ? '\t' : ' ');
    }
    buf_printf(out, "%s^%s\n", color ? lc : "", color ? "\033[0m" : "");
}

/* Whether entry i shows a line of its file under it. */
static int shows_source(const diags *d, size_t i)
{
    return d->items[i].file && d->items[i].line > 0;
}

void diag_print_text(diags *d, FILE *file, int color)
{
    /* Each diagnostic is built in memory and written at once: stderr is
     * unbuffered, and a character at a time would be a system call each. */
    buf text;
    buf_init(&text);
    buf *out = &text;
    diag_sort(d);
    fs_root root;
    diags *quiet = diag_new(NULL);
    const char *from = d->sources ? d->sources : d->root ? d->root : ".";
    int have_root = fs_root_init(&root, from, quiet) == 0;
    diag_free(quiet);
    /* The first entry of each file with a source line, in order. */
    size_t n_files = 0, *at = xcalloc(d->len + 1, sizeof *at);
    for (size_t i = 0; i < d->len; i++)
        if (shows_source(d, i) &&
            (!n_files || strcmp(d->items[at[n_files - 1]].file, d->items[i].file) != 0))
            at[n_files++] = i;
    source_cache *caches = xcalloc(SOURCE_BATCH, sizeof *caches);
    size_t loaded = 0, next = 0; /* files at[loaded - batch .. loaded) held */
    source_cache *cur = NULL;
    buf safe, scratch, name;
    buf_init(&safe);
    buf_init(&scratch);
    buf_init(&name);
    char *shown_root = diag_shown_root(d);
    for (size_t i = 0; i < d->len; i++) {
        const diag_entry *e = &d->items[i];
        const char *lc = e->level == DIAG_ERROR     ? "\033[1;31m"
                         : e->level == DIAG_WARNING ? "\033[1;35m"
                                                    : "\033[1;36m";
        if (e->file) {
            buf_reset(&name);
            diag_shown_file(&name, shown_root, e->file);
            buf_reset(&safe);
            diag_term_safe(&safe, name.data, name.len);
            buf_printf(out, "%s%s", color ? "\033[1m" : "", safe.data);
            if (e->line > 0) {
                buf_printf(out, ":%d", e->line);
                if (e->col > 0)
                    buf_printf(out, ":%d", e->col);
            }
            buf_printf(out, ":%s ", color ? "\033[0m" : "");
        } else {
            buf_adds(out, "charter: ");
        }
        buf_reset(&safe);
        diag_term_safe(&safe, e->message, strlen(e->message));
        buf_printf(out, "%s%s:%s %s", color ? lc : "", level_name(e->level), color ? "\033[0m" : "",
                   safe.data);
        if (e->id[0])
            buf_printf(out, " [%s]", e->id);
        buf_addc(out, '\n');
        if (shows_source(d, i)) {
            if (next < n_files && at[next] == i) {
                if (next == loaded) {
                    /* The next batch of files, read on all cores. */
                    size_t k = n_files - loaded < SOURCE_BATCH ? n_files - loaded : SOURCE_BATCH;
                    for (size_t j = 0; j < SOURCE_BATCH; j++)
                        cache_release(&caches[j]);
                    source_batch b = {have_root ? &root : NULL, d->items, at + loaded, caches};
                    pool_run(k, batch_load_one, &b);
                    loaded += k;
                }
                cur = &caches[next++ % SOURCE_BATCH];
            }
            size_t len;
            const char *src = cur ? cache_line(cur, e->line, &len) : NULL;
            if (src)
                print_excerpt(out, cur, src, len, e->line, e->col, lc, color, &scratch);
        }
        fwrite(text.data, 1, text.len, file);
        buf_reset(&text);
    }
    buf_release(&text);
    for (size_t j = 0; j < SOURCE_BATCH; j++)
        cache_release(&caches[j]);
    free(caches);
    free(at);
    if (have_root)
        fs_root_release(&root);
    buf_release(&safe);
    buf_release(&scratch);
    buf_release(&name);
    free(shown_root);
}

size_t diag_edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if ((la > lb ? la - lb : lb - la) > cap || lb >= 64)
        return cap + 1;
    /* Three rows: the one before the previous for a swap. */
    size_t rows[3][64], *prev2 = rows[0], *prev = rows[1], *row = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t best = row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t v = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            row[j] = v;
            if (v < best)
                best = v;
        }
        if (best > cap)
            return cap + 1;
        size_t *t = prev2;
        prev2 = prev;
        prev = row;
        row = t;
    }
    return prev[lb];
}

const char *diag_nearest(const char *word, const char *const *cands, size_t n, size_t cap)
{
    const char *best = NULL;
    size_t best_d = cap + 1;
    for (size_t i = 0; i < n; i++) {
        size_t dist = diag_edit_distance(word, cands[i], cap);
        if (dist < best_d) {
            best = cands[i];
            best_d = dist;
        }
    }
    return best;
}
