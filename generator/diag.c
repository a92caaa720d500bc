/* diag: collects diagnostics from every stage (thread-safe) and renders them
 * as text with the offending source line and a caret, gcc style. */
#include "diag.h"
#include "buf.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct diags {
    pthread_mutex_t lock;
    char *root;
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
    pthread_mutex_destroy(&d->lock);
    free(d);
}

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

/* Reads line `line` (1-based) of `path` into `out`, without its line end.
 * Returns 0 when found. Reads the file afresh: printing happens once, at the
 * end of a run, and only for files that have diagnostics. */
static int read_source_line(const char *root, const char *file, int line, buf *out)
{
    buf path;
    buf_init(&path);
    if (root && file[0] != '/')
        buf_printf(&path, "%s/%s", root, file);
    else
        buf_adds(&path, file);
    FILE *f = fopen(path.data, "rb");
    buf_release(&path);
    if (!f)
        return -1;
    int cur = 1, c, found = -1;
    while ((c = getc(f)) != EOF) {
        if (cur == line) {
            found = 0;
            if (c == '\n')
                break;
            buf_addc(out, (char)c);
        } else if (c == '\n' && ++cur > line) {
            break;
        }
    }
    if (cur == line)
        found = 0;
    fclose(f);
    if (out->len && out->data[out->len - 1] == '\r')
        buf_truncate(out, out->len - 1);
    return found;
}

static const char *level_name(diag_level l)
{
    return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" : "note";
}

void diag_print_text(diags *d, FILE *out, int color)
{
    diag_sort(d);
    buf line;
    buf_init(&line);
    for (size_t i = 0; i < d->len; i++) {
        const diag_entry *e = &d->items[i];
        const char *lc = e->level == DIAG_ERROR     ? "\033[1;31m"
                         : e->level == DIAG_WARNING ? "\033[1;35m"
                                                    : "\033[1;36m";
        if (e->file) {
            fprintf(out, "%s%s", color ? "\033[1m" : "", e->file);
            if (e->line > 0) {
                fprintf(out, ":%d", e->line);
                if (e->col > 0)
                    fprintf(out, ":%d", e->col);
            }
            fprintf(out, ":%s ", color ? "\033[0m" : "");
        } else {
            fputs("charter: ", out);
        }
        fprintf(out, "%s%s:%s %s", color ? lc : "", level_name(e->level), color ? "\033[0m" : "",
                e->message);
        if (e->id[0])
            fprintf(out, " [%s]", e->id);
        fputc('\n', out);
        if (e->file && e->line > 0) {
            buf_reset(&line);
            if (read_source_line(d->root, e->file, e->line, &line) == 0) {
                fprintf(out, "%5d | %s\n", e->line, line.data);
                if (e->col > 0) {
                    fputs("      | ", out);
                    /* Keep tabs so the caret lines up under the source. */
                    /* Columns count characters: one space per character,
                     * skipping UTF-8 continuation bytes. */
                    int chars = 0;
                    for (size_t k = 0; k < line.len && chars < e->col - 1; k++) {
                        unsigned char c = (unsigned char)line.data[k];
                        if ((c & 0xC0) == 0x80)
                            continue;
                        fputc(c == '\t' ? '\t' : ' ', out);
                        chars++;
                    }
                    fprintf(out, "%s^%s\n", color ? lc : "", color ? "\033[0m" : "");
                }
            }
        }
    }
    buf_release(&line);
}
