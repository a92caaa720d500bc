/* template_load: the template set (tpl_set): where templates come from (the
 * set's directory, or the caller's reader), the cache that compiles each one
 * once by name, and includes, loaded when their template is (auto includes)
 * or when a render first asks for them (include dictionaries). */
#include "template_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void tpl_free(tpl *t)
{
    if (!t)
        return;
    tpl_node_release(&t->root);
    free(t->name);
    free(t->path);
    free(t->text);
    free(t);
}

tpl_set *tpl_set_new(const char *dir, tpl_strip strip, int auto_includes)
{
    tpl_set *s = xcalloc(1, sizeof *s);
    s->dir = xstrdup(dir && *dir ? dir : ".");
    char *r = realpath(s->dir, NULL);
    s->realdir = r ? xstrdup(r) : NULL;
    free(r);
    s->strip = strip;
    s->auto_includes = auto_includes;
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&s->lock, &attr);
    pthread_mutexattr_destroy(&attr);
    s->cache = map_new();
    return s;
}

static void free_cached(void *ctx, const char *name, void *t)
{
    tpl_free(t);
}

void tpl_set_free(tpl_set *s)
{
    if (!s)
        return;
    map_each(s->cache, free_cached, NULL);
    map_free(s->cache);
    tpl_dict_free(s->globals);
    free(s->dir);
    free(s->realdir);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

void tpl_set_global(tpl_set *s, const char *name, const char *value, size_t len)
{
    if (!s->globals)
        s->globals = tpl_dict_new();
    tpl_dict_set_len(s->globals, name, value, len);
}

static char *display_path(const tpl_set *s, const char *name)
{
    buf b;
    buf_init(&b);
    if (strcmp(s->dir, "."))
        buf_printf(&b, "%s/", s->dir);
    buf_adds(&b, name);
    return buf_detach(&b);
}

/* Reports a load error at the include marker that asked for `name`, or
 * against `name` itself when it was asked for directly. */
static int load_error(diags *d, const tpl_set *s, const tpl *from, int line, int col,
                      const char *name, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static int load_error(diags *d, const tpl_set *s, const tpl *from, int line, int col,
                      const char *name, const char *fmt, ...)
{
    char *path = from ? NULL : display_path(s, name);
    va_list ap;
    va_start(ap, fmt);
    tpl_verror(d, from ? from->path : path, from ? line : 0, from ? col : 0, ID_INCLUDE, fmt, ap);
    va_end(ap);
    free(path);
    return -1;
}

/* An include whose own errors were reported (its syntax, or its reader's
 * refusal): at the marker that asked for it, a note rather than another
 * error, so that one fault is one error (a footer included by every
 * layout, charter's embedded ones too, made one error per layout). */
static void include_note(diags *d, const tpl *from, int line, int col, const char *name)
{
    diag_report(d, DIAG_NOTE, from->path, line, col, ID_INCLUDE,
                "include '%s' not loaded: see the errors in it", name);
}

/* Names are relative paths that stay inside the set's directory. */
static int name_is_inside(const char *name)
{
    if (!*name || name[0] == '/')
        return 0;
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return 0;
        p += n;
        p += *p == '/';
    }
    return 1;
}

static tpl_strip strip_for(const tpl_set *s, const char *name)
{
    /* Upstream keeps line breaks in JavaScript files: they can end comments
     * and statements. */
    size_t n = strlen(name);
    if (s->strip == TPL_STRIP_WHITESPACE && n > 3 && !strcmp(name + n - 3, ".js"))
        return TPL_STRIP_BLANK_LINES;
    return s->strip;
}

int tpl_load_auto(tpl_set *s, const tpl *from, const tpl_node *n, int missing_ok, const tpl **out,
                  diags *d)
{
    buf name;
    buf_init(&name);
    buf_adds(&name, "_includes/");
    for (size_t j = 0; j < n->len; j++)
        buf_addc(&name, (char)tolower((unsigned char)n->s[j]));
    buf_adds(&name, ".html");
    int err = tpl_load(s, name.data, d, from, n->line, n->col, missing_ok, out);
    buf_release(&name);
    return err;
}

/* Resolves the auto include of every include marker under n, loading the
 * files that exist (all of them must, with TPL_AUTO_REQUIRED). 0, or -1 if
 * one of them failed to compile. */
static int resolve_auto(tpl_set *s, const tpl *t, tpl_node *n, diags *d)
{
    int err = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        tpl_node *k = &n->kids[i];
        if (k->kind == N_SECTION && resolve_auto(s, t, k, d) < 0)
            err = -1;
        if (k->kind == N_INCLUDE &&
            tpl_load_auto(s, t, k, s->auto_includes != TPL_AUTO_REQUIRED, &k->auto_tpl, d) < 0)
            err = -1;
    }
    return err;
}

/* Compiles src into a new template cached under name, named `shown` in
 * diagnostics (NULL or "": its path in the set's dir); call with s->lock
 * held. Returns the template, with ok = 0 after reporting errors. */
static tpl *compile(tpl_set *s, const char *name, const char *shown, const char *src, size_t len,
                    int line_offset, diags *d)
{
    tpl *t = xcalloc(1, sizeof *t);
    t->set = s;
    t->name = xstrdup(name);
    t->path = shown && *shown ? xstrdup(shown) : display_path(s, name);
    map_put(s->cache, name, t); /* before includes, so that include cycles find it */
    t->ok = tpl_parse(t, src, len, strip_for(s, name), line_offset, d) == 0;
    if (t->ok && s->auto_includes && resolve_auto(s, t, &t->root, d) < 0)
        t->ok = 0;
    return t;
}

static void lower_first(char *s)
{
    s[0] = (char)tolower((unsigned char)s[0]);
}

static int read_file(tpl_set *s, const char *name, buf *out, int *missing)
{
    int err = -1, fd = -1;
    char *real = NULL;
    buf full;
    buf_init(&full);
    buf_printf(&full, "%s/%s", s->dir, name);
    *missing = 0;
    /* O_NONBLOCK: a FIFO must not block the open; it is refused below. */
    fd = open(full.data, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        *missing = errno == ENOENT || errno == ENOTDIR;
        goto done;
    }
    struct stat st;
    if (fstat(fd, &st) < 0)
        goto done;
    if (!S_ISREG(st.st_mode)) {
        errno = EISDIR;
        goto done;
    }
    /* A symlink may lead out of the directory: compare resolved paths. */
    real = realpath(full.data, NULL);
    size_t dl = s->realdir ? strlen(s->realdir) : 0;
    if (!real || !s->realdir ||
        !(strncmp(real, s->realdir, dl) == 0 && (real[dl] == '/' || (dl == 1 && real[0] == '/')))) {
        errno = EXDEV;
        goto done;
    }
    for (;;) {
        buf_grow(out, 65536);
        ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto done;
        if (n == 0)
            break;
        out->len += (size_t)n;
        out->data[out->len] = '\0';
    }
    err = 0;
done:
    if (fd >= 0) {
        int saved = errno;
        close(fd);
        errno = saved;
    }
    free(real);
    buf_release(&full);
    return err;
}

int tpl_load(tpl_set *s, const char *name, diags *d, const tpl *from, int line, int col,
             int missing_ok, const tpl **out)
{
    int err = -1;
    buf text, shown;
    buf_init(&text);
    buf_init(&shown);
    *out = NULL;
    pthread_mutex_lock(&s->lock);
    const tpl *cached = map_get(s->cache, name);
    if (cached) {
        if (!cached->ok) {
            if (from)
                include_note(d, from, line, col, name);
            else
                load_error(d, s, from, line, col, name, "cannot load template '%s'", name);
            goto done;
        }
        *out = cached;
        err = 0;
        goto done;
    }
    if (!name_is_inside(name)) {
        load_error(d, s, from, line, col, name, "%s '%s' is outside the template directory",
                   from ? "include" : "template", name);
        goto done;
    }
    int missing;
    if (s->reader) {
        /* The caller's reader reports its own errors (its file names, its
         * limits); only "missing" and the include's context are ours. */
        int rc = s->reader(s->reader_ctx, name, &text, &shown, &missing, d);
        if (rc < 0 && missing && missing_ok) {
            err = 0;
            goto done;
        }
        if (rc < 0 && missing) {
            load_error(d, s, from, line, col, name,
                       "cannot read %s '%s': no such file or directory",
                       from ? "include" : "template", name);
            goto done;
        }
        if (rc < 0) {
            if (from)
                include_note(d, from, line, col, name);
            goto done;
        }
    } else if (read_file(s, name, &text, &missing) < 0) {
        if (missing && missing_ok) {
            err = 0;
            goto done;
        }
        if (errno == EXDEV) {
            load_error(d, s, from, line, col, name, "%s '%s' is outside the template directory",
                       from ? "include" : "template", name);
            goto done;
        }
        char *why = xstrdup(strerror(errno));
        lower_first(why);
        load_error(d, s, from, line, col, name, "cannot read %s '%s': %s",
                   from ? "include" : "template", name, why);
        free(why);
        goto done;
    }
    tpl *t = compile(s, name, shown.data, text.data, text.len, 0, d);
    if (!t->ok) {
        if (from)
            include_note(d, from, line, col, name);
        goto done;
    }
    *out = t;
    err = 0;
done:
    pthread_mutex_unlock(&s->lock);
    buf_release(&text);
    buf_release(&shown);
    return err;
}

tpl *tpl_set_load(tpl_set *s, const char *name, diags *d)
{
    const tpl *t;
    if (tpl_load(s, name, d, NULL, 0, 0, 0, &t) < 0)
        return NULL;
    return (tpl *)t;
}

tpl *tpl_set_add(tpl_set *s, const char *name, const char *text, size_t len, int line_offset,
                 diags *d)
{
    return tpl_set_add_shown(s, name, NULL, text, len, line_offset, d);
}

tpl *tpl_set_add_shown(tpl_set *s, const char *name, const char *shown, const char *text,
                       size_t len, int line_offset, diags *d)
{
    tpl *t = NULL;
    pthread_mutex_lock(&s->lock);
    if (map_get(s->cache, name)) {
        load_error(d, s, NULL, 0, 0, name, "template '%s' is already loaded", name);
        goto done;
    }
    t = compile(s, name, shown, text, len, line_offset, d);
    if (!t->ok)
        t = NULL;
done:
    pthread_mutex_unlock(&s->lock);
    return t;
}

void tpl_set_reader(tpl_set *s, tpl_reader fn, void *ctx)
{
    s->reader = fn;
    s->reader_ctx = ctx;
}
