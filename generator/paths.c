/* paths: source paths, pretty URLs, permalinks and relative link resolution,
 * as pure string functions (see paths.h). URLs follow Jekyll's pretty style:
 * a page "a/b.md" is served at "/a/b/" from "a/b/index.html". */
#include "paths.h"

#include <ctype.h>
#include <fnmatch.h>
#include <string.h>
#include <strings.h>

void path_join(buf *out, const char *a, const char *b)
{
    if (!strcmp(a, ".") && *b)
        a = ""; /* "./x" is "x": a site's pages may sit at its root */
    size_t al = strlen(a);
    while (al > 1 && a[al - 1] == '/')
        al--;
    buf_add(out, a, al);
    while (*b == '/')
        b++;
    if (al && a[al - 1] != '/' && *b)
        buf_addc(out, '/');
    buf_adds(out, b);
}

int path_normalize(buf *p)
{
    buf out;
    buf_init(&out);
    int err = -1;
    const char *s = p->data;
    while (*s) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 0 || (n == 1 && s[0] == '.')) {
            /* skip */
        } else if (n == 2 && s[0] == '.' && s[1] == '.') {
            if (out.len == 0)
                goto done;
            char *slash = strrchr(out.data, '/');
            buf_truncate(&out, slash ? (size_t)(slash - out.data) : 0);
        } else {
            if (out.len)
                buf_addc(&out, '/');
            buf_add(&out, s, n);
        }
        s += n;
        if (*s == '/')
            s++;
    }
    buf_reset(p);
    buf_add(p, out.data, out.len);
    err = 0;
done:
    buf_release(&out);
    return err;
}

void path_clean(buf *p)
{
    buf out;
    buf_init(&out);
    int abs = p->data[0] == '/';
    size_t floor = 0; /* out[0..floor) is "..", "../..": never resolved away */
    if (abs)
        buf_addc(&out, '/');
    for (const char *s = p->data; *s;) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 0 || (n == 1 && s[0] == '.')) {
            /* skip */
        } else if (n == 2 && s[0] == '.' && s[1] == '.') {
            if (out.len > floor && !(abs && out.len == 1)) {
                char *slash = strrchr(out.data, '/');
                size_t keep = slash ? (size_t)(slash - out.data) : 0;
                buf_truncate(&out, abs && keep == 0 ? 1 : keep);
            } else if (!abs) {
                buf_adds(&out, out.len ? "/.." : "..");
                floor = out.len;
            }
        } else {
            if (out.len && out.data[out.len - 1] != '/')
                buf_addc(&out, '/');
            buf_add(&out, s, n);
        }
        s += n;
        if (*s == '/')
            s++;
    }
    if (!out.len)
        buf_addc(&out, '.');
    buf_reset(p);
    buf_add(p, out.data, out.len);
    buf_release(&out);
}

void path_relative(buf *out, const char *path, const char *base)
{
    /* The longest common prefix that ends at a component boundary. */
    size_t common = 0;
    for (size_t i = 0;; i++) {
        int pe = path[i] == '\0' || path[i] == '/', be = base[i] == '\0' || base[i] == '/';
        if (pe && be)
            common = i;
        if (path[i] != base[i] || !path[i])
            break;
    }
    size_t start = out->len;
    for (const char *b = base + common; *b; b++)
        if (*b == '/' && b[1])
            buf_adds(out, out->len > start ? "/.." : "..");
    const char *rest = path + common;
    while (*rest == '/')
        rest++;
    if (*rest) {
        if (out->len > start)
            buf_addc(out, '/');
        buf_adds(out, rest);
    }
    if (out->len == start)
        buf_addc(out, '.');
}

int path_is_hidden(const char *name)
{
    size_t n = strlen(name);
    return name[0] == '_' || name[0] == '.' || name[0] == '#' || name[0] == '~' ||
           (n && name[n - 1] == '~');
}

int path_glob_match(const char *pattern, const char *rel, const char *name)
{
    buf p;
    buf_init(&p);
    buf_adds(&p, pattern[0] == '/' ? pattern + 1 : pattern);
    while (p.len > 1 && p.data[p.len - 1] == '/')
        p.data[--p.len] = '\0';
    int match = strchr(p.data, '/') ? fnmatch(p.data, rel, FNM_PATHNAME) == 0
                                    : fnmatch(p.data, name, 0) == 0;
    buf_release(&p);
    return match;
}

size_t path_number_prefix(const char *name, size_t n, long *number)
{
    size_t d = 0;
    while (d < n && name[d] >= '0' && name[d] <= '9')
        d++;
    if (!d || d > 9)
        return 0;
    /* 2024-01-05-x, 05.01.2024: a date, not a place. */
    if (d == 4 && n > 10 && name[4] == '-' && isdigit((unsigned char)name[5]) &&
        isdigit((unsigned char)name[6]) && name[7] == '-')
        return 0;
    if (d == 2 && n > 9 && name[2] == '.' && isdigit((unsigned char)name[3]) &&
        isdigit((unsigned char)name[4]) && name[5] == '.')
        return 0;
    size_t i = d;
    while (i < n && name[i] == ' ')
        i++;
    size_t marks = i;
    while (i < n && strchr("-_.", name[i]))
        i++;
    if (i == marks)
        return 0;
    while (i < n && name[i] == ' ')
        i++;
    size_t ext = path_md_ext(name, n);
    if (i >= n || strchr("-_. ", name[i]) || (ext && i >= n - ext))
        return 0; /* nothing left, or but an extension ("01.md") */
    if (number) {
        *number = 0;
        for (size_t k = 0; k < d; k++)
            *number = *number * 10 + (name[k] - '0');
    }
    return i;
}

size_t path_md_ext(const char *name, size_t n)
{
    static const char *const exts[] = {".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mkdown"};
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        size_t e = strlen(exts[i]);
        if (n > e && !strncasecmp(name + n - e, exts[i], e) && name[n - e - 1] != '/')
            return e;
    }
    return 0;
}

int path_md_named(const char *name, const char *stem)
{
    size_t n = strlen(name), e = path_md_ext(name, n), sl = strlen(stem);
    return e && n - e == sl && !memcmp(name, stem, sl);
}

void path_page_url(buf *url, buf *out_file, const char *rel)
{
    size_t n = strlen(rel);
    n -= path_md_ext(rel, n);
    const char *base = rel;
    for (size_t i = 0; i < n; i++)
        if (rel[i] == '/')
            base = rel + i + 1;
    size_t dir_len = (size_t)(base - rel); /* includes the trailing '/' */
    size_t base_len = n - dir_len;
    buf_addc(url, '/');
    if ((base_len == 5 && memcmp(base, "index", 5) == 0) ||
        (base_len == 6 && memcmp(base, "_index", 6) == 0)) {
        buf_add(url, rel, dir_len);
        buf_add(out_file, rel, dir_len);
    } else {
        buf_add(url, rel, n);
        buf_addc(url, '/');
        buf_add(out_file, rel, n);
        buf_addc(out_file, '/');
    }
    buf_adds(out_file, "index.html");
}

void path_page_url_style(buf *url, buf *out_file, const char *rel, int html)
{
    size_t u0 = url->len, o0 = out_file->len;
    path_page_url(url, out_file, rel);
    const char *slash = strrchr(rel, '/'), *base = slash ? slash + 1 : rel;
    if (!html || path_md_named(base, "index") || path_md_named(base, "_index"))
        return;
    /* "/a/b/" and "a/b/index.html": "/a/b.html" and "a/b.html". */
    if (url->len - u0 < 2 || out_file->len - o0 < 11)
        return;
    buf_truncate(url, url->len - 1);
    buf_adds(url, ".html");
    buf_truncate(out_file, out_file->len - 11);
    buf_adds(out_file, ".html");
}

int url_is_external(const char *url)
{
    if (url[0] == '/' && url[1] == '/')
        return 1;
    if (!isalpha((unsigned char)url[0]))
        return 0;
    const char *p = url + 1;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    return *p == ':';
}

int url_repository_web(buf *out, const char *remote)
{
    size_t n = strlen(remote);
    while (n && isspace((unsigned char)remote[n - 1]))
        n--;
    const char *sep = memmem(remote, n, "://", 3), *host, *path;
    size_t host_len;
    int http = 0;
    if (sep) {
        size_t sl = (size_t)(sep - remote);
        static const char *const schemes[] = {"https", "http", "ssh", "git", "git+ssh"};
        int known = 0;
        for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
            if (strlen(schemes[i]) == sl && !strncasecmp(remote, schemes[i], sl)) {
                known = 1;
                http = i < 2;
                http += i == 1; /* 2: http */
            }
        if (!known)
            return -1;
        const char *auth = sep + 3, *end = remote + n;
        const char *slash = memchr(auth, '/', (size_t)(end - auth));
        if (!slash)
            return -1;
        const char *at = memrchr(auth, '@', (size_t)(slash - auth));
        host = at ? at + 1 : auth;
        host_len = (size_t)(slash - host);
        const char *colon = memchr(host, ':', host_len);
        if (colon && !http)
            host_len = (size_t)(colon - host); /* ssh's port is not the web's */
        path = slash + 1;
    } else {
        /* scp's form: [user@]host:path, the ':' before any '/'. */
        const char *colon = memchr(remote, ':', n), *slash = memchr(remote, '/', n);
        if (!colon || (slash && slash < colon))
            return -1;
        const char *at = memrchr(remote, '@', (size_t)(colon - remote));
        host = at ? at + 1 : remote;
        host_len = (size_t)(colon - host);
        path = colon + 1;
        if (!at && host_len == 1)
            return -1; /* C:/repos/x, a Windows path */
    }
    size_t path_len = (size_t)(remote + n - path);
    while (path_len && *path == '/')
        path++, path_len--;
    while (path_len && path[path_len - 1] == '/')
        path_len--;
    if (path_len > 4 && !memcmp(path + path_len - 4, ".git", 4))
        path_len -= 4;
    if (!host_len || !path_len || !memchr(path, '/', path_len))
        return -1;
    /* An '@' or ':' left where no address has one: a credential the forms
     * above did not take apart (https://user:pa/ss@host/...). */
    if (memchr(path, '@', path_len) || memchr(path, ':', path_len))
        return -1;
    const char *port = memchr(host, ':', host_len);
    for (const char *c = port ? port + 1 : host + host_len; c < host + host_len; c++)
        if (!isdigit((unsigned char)*c))
            return -1;
    for (size_t i = 0; i < host_len; i++)
        if (!isalnum((unsigned char)host[i]) && !strchr(".-:", host[i]))
            return -1;
    for (size_t i = 0; i < path_len; i++)
        if ((unsigned char)path[i] <= 0x20 || path[i] == 0x7f || strchr("\"'<>\\`?#", path[i]))
            return -1;
    buf_adds(out, http == 2 ? "http://" : "https://");
    buf_add(out, host, host_len);
    buf_addc(out, '/');
    buf_add(out, path, path_len);
    return 0;
}

void path_permalink_expand(buf *out, const char *pattern, const char *collection, const char *rel)
{
    size_t rl = strlen(rel);
    rl -= path_md_ext(rel, rl);
    const char *slash = memrchr(rel, '/', rl);
    const char *name = slash ? slash + 1 : rel;
    size_t nl = (size_t)(rel + rl - name);
    static const char *const tokens[] = {":collection", ":path",  ":name",
                                         ":slug",       ":title", ":output_ext"};
    for (const char *p = pattern; *p;) {
        size_t k = 0;
        while (k < sizeof tokens / sizeof *tokens &&
               (strncmp(p, tokens[k], strlen(tokens[k])) != 0 ||
                isalnum((unsigned char)p[strlen(tokens[k])]) || p[strlen(tokens[k])] == '_'))
            k++;
        if (k == sizeof tokens / sizeof *tokens) {
            buf_addc(out, *p++);
            continue;
        }
        if (k == 0)
            buf_adds(out, collection);
        else if (k == 1)
            buf_add(out, rel, rl);
        else if (k < 5)
            buf_add(out, name, nl);
        p += strlen(tokens[k]);
    }
}

int path_permalink(buf *url, buf *out_file, const char *permalink, const char **why)
{
    const char *p = permalink;
    if (!*p) {
        *why = "is empty";
        return -1;
    }
    if (url_is_external(p)) {
        *why = "must be a path on this site, not a URL with a scheme or host";
        return -1;
    }
    if (strstr(p, "{{") || strstr(p, "{%")) {
        *why = "is a template (Liquid's or Nunjucks'), which charter does not fill in: write the "
               "path it makes";
        return -1;
    }
    for (const char *c = p; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            *why = "contains a control character";
            return -1;
        }
        if (*c == '\\') {
            *why = "contains a backslash";
            return -1;
        }
        if (*c == '?' || *c == '#') {
            *why = "contains a query or fragment";
            return -1;
        }
    }
    buf norm;
    buf_init(&norm);
    buf_adds(&norm, p);
    /* Any `..` is refused, even one that stays inside: a permalink names a
     * place in the output, and climbing is never meant. */
    const char *s = p;
    while (*s) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 2 && s[0] == '.' && s[1] == '.') {
            buf_release(&norm);
            *why = "must not contain '..'";
            return -1;
        }
        /* A name the file system takes (NAME_MAX), or the write fails. */
        if (n > 255) {
            buf_release(&norm);
            *why = "has a part longer than 255 bytes, more than a file name may hold";
            return -1;
        }
        s += n;
        if (*s)
            s++;
    }
    path_normalize(&norm);
    /* Nor what makes an output folder look like a site's sources, which
     * every later build would refuse to replace (output.c). */
    size_t first = strcspn(norm.data ? norm.data : "", "/");
    if ((first == 4 && !strncasecmp(norm.data, ".git", 4)) || !strcasecmp(norm.data, "site.yml") ||
        !strcasecmp(norm.data, "_config.yml")) {
        buf_release(&norm);
        *why = "names .git, site.yml or _config.yml at the top of the output, which the next "
               "build would take for a site's sources and refuse to replace";
        return -1;
    }
    int dir = p[strlen(p) - 1] == '/' || norm.len == 0;
    if (!dir) {
        /* "/about" without an extension is a folder too, as in Jekyll. */
        const char *last = strrchr(norm.data, '/');
        last = last ? last + 1 : norm.data;
        dir = strchr(last, '.') == NULL;
    }
    buf_addc(url, '/');
    buf_add(url, norm.data, norm.len);
    if (dir) {
        if (norm.len)
            buf_addc(url, '/');
        buf_add(out_file, norm.data, norm.len);
        if (norm.len)
            buf_addc(out_file, '/');
        buf_adds(out_file, "index.html");
    } else {
        buf_add(out_file, norm.data, norm.len);
    }
    buf_release(&norm);
    return 0;
}

int path_resolve(buf *out, const char *from, const char *target)
{
    if (target[0] == '/' || url_is_external(target))
        return -1;
    const char *slash = strrchr(from, '/');
    if (slash)
        buf_add(out, from, (size_t)(slash - from) + 1);
    buf_adds(out, target);
    return path_normalize(out);
}

void url_encode_path(buf *out, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~/!$&'()*+,;=@", (int)c)) {
            buf_addc(out, (char)c);
        } else {
            buf_addc(out, '%');
            buf_addc(out, hex[c >> 4]);
            buf_addc(out, hex[c & 15]);
        }
    }
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int url_decode(buf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < len && (hi = hex_value(s[i + 1])) >= 0 &&
            (lo = hex_value(s[i + 2])) >= 0) {
            if (hi == 0 && lo == 0)
                return -1;
            buf_addc(out, (char)(hi * 16 + lo));
            i += 2;
        } else {
            buf_addc(out, s[i]);
        }
    }
    return 0;
}

/* Output paths come from the model, which refuses `..`; this re-check keeps
 * the promise that nothing is written outside the output directory even if
 * a later stage has a bug. Control characters would split the manifest's
 * and journal's lines. */
int path_is_safe_output(const char *rel)
{
    if (rel[0] == '/' || !rel[0])
        return 0;
    for (const char *p = rel; *p;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if ((n == 2 && p[0] == '.' && p[1] == '.') || n == 0)
            return 0;
        p += n + (e != NULL);
    }
    for (const unsigned char *c = (const unsigned char *)rel; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return 0;
    return 1;
}

int path_is_within(const char *inner, const char *outer)
{
    size_t n = strlen(outer);
    if (n == 1 && outer[0] == '/')
        return 1;
    return strncmp(inner, outer, n) == 0 && (inner[n] == '\0' || inner[n] == '/');
}
