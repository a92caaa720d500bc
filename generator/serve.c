/* serve: the preview server (serve.h) on libmicrohttpd, chosen over
 * hand-written HTTP parsing: it parses requests, enforces the size and
 * connection limits, and polls sockets with epoll on a thread of its own.
 * This file decides what each request gets: a file of the published build
 * (opened beneath its folder, never through a link), the overlay of
 * findings, the reload script, or an event stream. libmicrohttpd is
 * opened when a server starts (mhd_load), not linked. */
#include "serve.h"

#include "buf.h"
#include "paths.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Requests are small: a request line and headers over this get 414 or 431
 * from libmicrohttpd. */
#define MEMORY_LIMIT (32 * 1024)
/* Idle connections are closed after this many seconds; an event stream
 * sends a comment more often than that. */
#define IDLE_SECONDS 30
#define PING_SECONDS 10
#define MAX_CONNECTIONS 4000
/* HTML pages are read whole to add the banner; anything larger is sent as
 * it is. */
#define INJECT_MAX ((size_t)256 << 20)

/* --- libmicrohttpd, opened when needed ---------------------------------------------- */

/* Linked, libmicrohttpd brings GnuTLS, whose set-up took 8 ms of every
 * charter command (a build with nothing to do at 2,500 pages takes 80):
 * only `charter serve` needs it, so it is opened then, by its soname
 * (MHD_SONAME, from the Makefile), and never closed. */
#ifndef MHD_SONAME
#define MHD_SONAME "libmicrohttpd.so.12"
#endif

static struct {
    __typeof__(MHD_add_response_header) *add_response_header;
    __typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
    __typeof__(MHD_create_response_from_callback) *create_response_from_callback;
    __typeof__(MHD_create_response_from_fd64) *create_response_from_fd64;
    __typeof__(MHD_destroy_response) *destroy_response;
    __typeof__(MHD_get_daemon_info) *get_daemon_info;
    __typeof__(MHD_get_version) *get_version;
    __typeof__(MHD_lookup_connection_value) *lookup_connection_value;
    __typeof__(MHD_queue_response) *queue_response;
    __typeof__(MHD_resume_connection) *resume_connection;
    __typeof__(MHD_start_daemon) *start_daemon;
    __typeof__(MHD_stop_daemon) *stop_daemon;
    __typeof__(MHD_suspend_connection) *suspend_connection;
    int ready;
    char error[256]; /* why it is not */
} mhd;

static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;

static void mhd_open(void)
{
    void *h = dlopen(MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(mhd.error, sizeof mhd.error, "%s", dlerror());
        return;
    }
    /* Each function by its name, as POSIX has a void * turn into one. */
    const char *missing = NULL;
#define MHD_FIND(f)                                                                                \
    do {                                                                                           \
        void *sym = dlsym(h, "MHD_" #f);                                                           \
        if (!sym && !missing)                                                                      \
            missing = "MHD_" #f;                                                                   \
        memcpy(&mhd.f, &sym, sizeof sym);                                                          \
    } while (0)
    MHD_FIND(add_response_header);
    MHD_FIND(create_response_from_buffer);
    MHD_FIND(create_response_from_callback);
    MHD_FIND(create_response_from_fd64);
    MHD_FIND(destroy_response);
    MHD_FIND(get_daemon_info);
    MHD_FIND(get_version);
    MHD_FIND(lookup_connection_value);
    MHD_FIND(queue_response);
    MHD_FIND(resume_connection);
    MHD_FIND(start_daemon);
    MHD_FIND(stop_daemon);
    MHD_FIND(suspend_connection);
#undef MHD_FIND
    if (missing)
        snprintf(mhd.error, sizeof mhd.error, "it has no '%s'", missing);
    mhd.ready = !missing;
}

/* Opens libmicrohttpd (once per process). 0, or -1 with mhd.error set. */
static int mhd_load(void)
{
    pthread_once(&mhd_once, mhd_open);
    return mhd.ready ? 0 : -1;
}

typedef struct stream stream; /* an open /_charter/events connection */

struct server {
    struct MHD_Daemon *mhd;
    unsigned port;
    char bind[64];
    pthread_mutex_t lock; /* guards everything below */
    int root;             /* the published build's folder, or -1 */
    char *base;           /* "/" or "/x/" */
    char **hosts;         /* accepted Host headers */
    size_t n_hosts;
    char *findings; /* the overlay's fragment */
    size_t errors, warnings;
    serve_state state;   /* of the last build */
    unsigned long gen;   /* builds published */
    char token[40];      /* this server's own, apart from any before it on the port */
    unsigned long ticks; /* pings sent to the event streams */
    stream *streams;     /* suspended event streams */
    pthread_t pinger;
    int has_pinger, stopping;
    pthread_cond_t wake;
};

struct stream {
    server *s;
    struct MHD_Connection *conn;
    unsigned long gen, ticks; /* what it was last sent */
    int sent_first, suspended;
    stream *next;
};

/* --- what is sent ------------------------------------------------------------ */

static const char reload_js[] =
    "// charter serve: reload this page when a new build is published.\n"
    "// The page says which build it is of (its server and number): another\n"
    "// announced, from this server or one started since, reloads it.\n"
    "(function () {\n"
    "  var el = document.getElementById('charter-serve');\n"
    "  var mine = el ? el.getAttribute('data-build') : null;\n"
    "  var events = new EventSource('/_charter/events');\n"
    "  events.addEventListener('build', function (e) {\n"
    "    if (mine !== null && e.lastEventId + ' ' + e.data !== mine) location.reload();\n"
    "  });\n"
    "})();\n";

static const char serve_css[] =
    "#charter-serve{position:fixed;bottom:0.75rem;right:0.75rem;z-index:1000;"
    "font:14px/1.4 system-ui,sans-serif;background:#1f2937;color:#fff;"
    "padding:0.4rem 0.75rem;border-radius:0.4rem;box-shadow:0 1px 4px rgba(0,0,0,.3)}"
    "#charter-serve a{color:#fff;text-decoration:underline}"
    "#charter-serve.charter-serve-failed{background:#b91c1c}"
    "#charter-serve.charter-serve-warn{background:#92400e}"
    ".charter-findings{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
    "padding:0 1rem}"
    ".charter-findings li{margin:0.5rem 0}"
    ".charter-findings code{font:13px ui-monospace,monospace}\n";

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".json", "application/json"},
    {".xml", "application/xml"},
    {".txt", "text/plain; charset=utf-8"},
    {".md", "text/plain; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".pdf", "application/pdf"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".csv", "text/csv; charset=utf-8"},
    {".yml", "text/plain; charset=utf-8"},
    {".yaml", "text/plain; charset=utf-8"},
};

static const char *content_type(const char *path)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash))
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (!strcasecmp(dot, types[i].ext))
                return types[i].type;
    return "application/octet-stream";
}

/* Adds the headers every answer carries. */
static void common_headers(struct MHD_Response *r, const char *type)
{
    mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    mhd.add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    mhd.add_response_header(r, "X-Content-Type-Options", "nosniff");
    mhd.add_response_header(r, "Referrer-Policy", "no-referrer");
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *type,
                                 const char *text, size_t len)
{
    struct MHD_Response *r =
        mhd.create_response_from_buffer(len, (void *)text, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    common_headers(r, type);
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        mhd.add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ret = mhd.queue_response(c, status, r);
    mhd.destroy_response(r);
    return ret;
}

static enum MHD_Result send_plain(struct MHD_Connection *c, unsigned status, const char *text)
{
    return send_text(c, status, "text/plain; charset=utf-8", text, strlen(text));
}

/* Takes html's bytes (a buf's, detached). */
static enum MHD_Result send_html(struct MHD_Connection *c, unsigned status, buf *html,
                                 const char *etag)
{
    size_t len = html->len;
    struct MHD_Response *r =
        mhd.create_response_from_buffer(len, buf_detach(html), MHD_RESPMEM_MUST_FREE);
    if (!r)
        return MHD_NO;
    common_headers(r, "text/html; charset=utf-8");
    if (etag)
        mhd.add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
    enum MHD_Result ret = mhd.queue_response(c, status, r);
    mhd.destroy_response(r);
    return ret;
}

/* The banner added before </body>: the build's state, a link to the
 * findings, the stylesheet and the reload script (no inline style or
 * script: a strict Content-Security-Policy still holds). Call locked. */
static void banner(buf *out, const server *s)
{
    /* The build it is of, which the reload script compares with each
     * build announced: a page of an earlier build (or an earlier server's)
     * reloads at once. */
    buf_printf(out,
               "<link rel=\"stylesheet\" href=\"/_charter/serve.css\">"
               "<div id=\"charter-serve\" role=\"status\" data-build=\"%s %lu\" class=\"",
               s->token, s->gen);
    if (s->state == SERVE_FAILED)
        buf_printf(out,
                   "charter-serve-failed\">The last build failed (%zu error%s)%s <a "
                   "href=\"/_charter/\">See the errors</a>",
                   s->errors, s->errors == 1 ? "" : "s",
                   s->root >= 0 ? ": this is the one before." : ", and none has succeeded yet.");
    else if (s->state == SERVE_UNCHECKED)
        buf_printf(out,
                   "charter-serve-failed\">This build has %zu error%s, shown anyway (as build "
                   "--no-check would publish it). <a href=\"/_charter/\">See the errors</a>",
                   s->errors, s->errors == 1 ? "" : "s");
    else if (s->errors || s->warnings)
        buf_printf(out,
                   "charter-serve-warn\">Preview: %zu warning%s. <a href=\"/_charter/\">See "
                   "the findings</a>",
                   s->warnings, s->warnings == 1 ? "" : "s");
    else
        buf_adds(out, "\">Preview: no findings");
    buf_adds(out, "</div><script src=\"/_charter/reload.js\"></script>");
}

/* Reads the HTML file fd (size bytes) into out with the banner before its
 * last </body> (or at its end). 0, or -1 (errno set). */
static int read_with_banner(buf *out, server *s, int fd, size_t size)
{
    buf_grow(out, size + 1024);
    size_t got = 0;
    while (got < size) {
        ssize_t n = pread(fd, out->data + got, size - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    out->len = got;
    out->data[got] = '\0';
    size_t at = got;
    for (size_t i = got; i >= 7; i--)
        if (!strncasecmp(out->data + i - 7, "</body>", 7)) {
            at = i - 7;
            break;
        }
    buf tail;
    buf_init(&tail);
    buf_add(&tail, out->data + at, got - at);
    buf_truncate(out, at);
    pthread_mutex_lock(&s->lock);
    banner(out, s);
    pthread_mutex_unlock(&s->lock);
    buf_add(out, tail.data, tail.len);
    buf_release(&tail);
    return 0;
}

/* --- paths --------------------------------------------------------------------- */

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* (serve.h) Decodes the raw request path into rel ("" for the root;
 * "x/" keeps a final slash), once. Returns 0, or -1 for what no file of a
 * build can be named by: an escaped '/', '\' or NUL, a control character,
 * a bad escape, a "." or ".." segment (escaped or not). */
int serve_decode_path(buf *rel, const char *raw)
{
    buf seg;
    buf_init(&seg);
    int err = -1;
    for (const char *p = raw;; p++) {
        if (*p == '/' || *p == '\0') {
            if (!strcmp(seg.data, ".") || !strcmp(seg.data, ".."))
                goto done;
            if (seg.len) {
                if (rel->len)
                    buf_addc(rel, '/');
                buf_add(rel, seg.data, seg.len);
            }
            if (*p == '\0') {
                if (p > raw && p[-1] == '/' && rel->len)
                    buf_addc(rel, '/');
                break;
            }
            buf_reset(&seg);
            continue;
        }
        unsigned char ch = (unsigned char)*p;
        if (ch == '%') {
            int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
            if (lo < 0)
                goto done;
            ch = (unsigned char)(hi * 16 + lo);
            p += 2;
            if (ch == '/' || ch == '\0')
                goto done;
        }
        if (ch < 0x20 || ch == 0x7f || ch == '\\')
            goto done;
        buf_addc(&seg, (char)ch);
    }
    err = 0;
done:
    buf_release(&seg);
    return err;
}

/* Opens rel beneath the build's folder root, following no link at all. */
static int open_beneath(int root, const char *rel, int flags)
{
    struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC | O_NOCTTY),
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
                                      RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV};
    return (int)syscall(SYS_openat2, root, rel[0] ? rel : ".", &how, sizeof how);
}

/* --- requests -------------------------------------------------------------------- */

static int host_allowed(server *s, const char *host)
{
    if (!host)
        return 0;
    pthread_mutex_lock(&s->lock);
    int ok = 0;
    for (size_t i = 0; i < s->n_hosts && !ok; i++)
        ok = !strcasecmp(s->hosts[i], host);
    pthread_mutex_unlock(&s->lock);
    return ok;
}

static void http_date(char out[64], time_t t)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 64, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Answers with the file fd (a regular file, taken), as status. */
static enum MHD_Result send_file(struct MHD_Connection *c, server *s, int fd, const char *rel,
                                 unsigned status)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return send_plain(c, MHD_HTTP_NOT_FOUND, "not found\n");
    }
    const char *type = content_type(rel[0] ? rel : "index.html");
    int html = !strncmp(type, "text/html", 9) && (size_t)st.st_size <= INJECT_MAX;
    char etag[128], date[64];
    pthread_mutex_lock(&s->lock);
    unsigned long gen = s->gen;
    pthread_mutex_unlock(&s->lock);
    /* HTML carries the banner of the current build too. */
    snprintf(etag, sizeof etag, "\"%jx-%jx-%jx.%lx-%lx%s%s\"", (uintmax_t)st.st_ino,
             (uintmax_t)st.st_size, (uintmax_t)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec,
             html ? gen : 0UL, html ? "-" : "", html ? s->token : "");
    http_date(date, st.st_mtim.tv_sec);
    const char *inm =
        mhd.lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    struct MHD_Response *r = NULL;
    if (status == MHD_HTTP_OK && inm && !strcmp(inm, etag)) {
        close(fd);
        r = mhd.create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
        status = MHD_HTTP_NOT_MODIFIED;
    } else if (html) {
        buf body;
        buf_init(&body);
        if (read_with_banner(&body, s, fd, (size_t)st.st_size) != 0) {
            close(fd);
            buf_release(&body);
            return send_plain(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot read the file\n");
        }
        close(fd);
        size_t len = body.len;
        r = mhd.create_response_from_buffer(len, buf_detach(&body), MHD_RESPMEM_MUST_FREE);
    } else {
        r = mhd.create_response_from_fd64((uint64_t)st.st_size, fd);
    }
    if (!r)
        return MHD_NO;
    common_headers(r, type);
    mhd.add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
    mhd.add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED, date);
    enum MHD_Result ret = mhd.queue_response(c, status, r);
    mhd.destroy_response(r);
    return ret;
}

static enum MHD_Result not_found(struct MHD_Connection *c, server *s, int root)
{
    int fd = root >= 0 ? open_beneath(root, "404.html", O_RDONLY | O_NONBLOCK) : -1;
    if (fd >= 0)
        return send_file(c, s, fd, "404.html", MHD_HTTP_NOT_FOUND);
    return send_plain(c, MHD_HTTP_NOT_FOUND, "not found\n");
}

/* The overlay: the findings of the last build (as status: 503 when there
 * is no good build to serve yet). */
static enum MHD_Result overlay(struct MHD_Connection *c, server *s, unsigned status)
{
    buf html;
    buf_init(&html);
    buf_adds(&html, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<title>Findings of the last build</title></head><body>"
                    "<main class=\"charter-findings\"><h1>Findings of the last build</h1>");
    pthread_mutex_lock(&s->lock);
    if (s->state == SERVE_FAILED && s->root < 0)
        buf_adds(&html, "<p>The build failed, and there is no earlier one to show.</p>");
    else if (s->state == SERVE_FAILED)
        buf_adds(&html, "<p>The last build failed: the site shown is the one before it.</p>");
    else if (s->state == SERVE_UNCHECKED)
        buf_adds(&html, "<p>The build failed on these findings; the site is shown as "
                        "<code>charter build --no-check</code> would publish it.</p>");
    buf_adds(&html, s->findings ? s->findings : "<p>No build yet.</p>");
    buf_printf(&html, "<p><a href=\"%s\">Back to the site</a></p></main>", s->base);
    banner(&html, s);
    pthread_mutex_unlock(&s->lock);
    buf_adds(&html, "</body></html>\n");
    return send_html(c, status, &html, NULL);
}

/* --- the event stream -------------------------------------------------------------- */

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
    stream *st = cls;
    server *s = st->s;
    buf b;
    buf_init(&b);
    pthread_mutex_lock(&s->lock);
    if (s->stopping) {
        pthread_mutex_unlock(&s->lock);
        buf_release(&b);
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    /* Before its first build is published, a server has no build to
     * announce: a page open from a server before it would reload once for
     * "build 0" and again for build 1. */
    if (s->gen && (!st->sent_first || st->gen != s->gen)) {
        buf_printf(&b, "event: build\nid: %s\ndata: %lu\n\n", s->token, s->gen);
        st->gen = s->gen;
        st->sent_first = 1;
        st->ticks = s->ticks;
    } else if (st->ticks != s->ticks) {
        buf_adds(&b, ": ping\n\n");
        st->ticks = s->ticks;
    }
    if (!b.len) {
        /* Nothing to say: sleep until a build or a ping wakes it. */
        st->suspended = 1;
        st->next = s->streams;
        s->streams = st;
        mhd.suspend_connection(st->conn);
        pthread_mutex_unlock(&s->lock);
        buf_release(&b);
        return 0;
    }
    pthread_mutex_unlock(&s->lock);
    size_t n = b.len < max ? b.len : max; /* always far below max */
    memcpy(out, b.data, n);
    buf_release(&b);
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    stream *st = cls;
    server *s = st->s;
    pthread_mutex_lock(&s->lock);
    for (stream **p = &s->streams; *p; p = &(*p)->next)
        if (*p == st) {
            *p = st->next;
            break;
        }
    pthread_mutex_unlock(&s->lock);
    free(st);
}

/* Resumes every suspended stream; call locked. */
static void wake_streams(server *s)
{
    for (stream *st = s->streams; st; st = st->next) {
        st->suspended = 0;
        mhd.resume_connection(st->conn);
    }
    s->streams = NULL;
}

static enum MHD_Result events(struct MHD_Connection *c, server *s)
{
    stream *st = xcalloc(1, sizeof *st);
    st->s = s;
    st->conn = c;
    struct MHD_Response *r =
        mhd.create_response_from_callback(MHD_SIZE_UNKNOWN, 256, stream_read, st, stream_free);
    if (!r) {
        free(st);
        return MHD_NO;
    }
    common_headers(r, "text/event-stream");
    enum MHD_Result ret = mhd.queue_response(c, MHD_HTTP_OK, r);
    mhd.destroy_response(r);
    return ret;
}

static void *pinger(void *arg)
{
    server *s = arg;
    pthread_mutex_lock(&s->lock);
    while (!s->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += PING_SECONDS;
        if (pthread_cond_timedwait(&s->wake, &s->lock, &until) == ETIMEDOUT && !s->stopping) {
            s->ticks++;
            wake_streams(s);
        }
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

/* --- the handler ------------------------------------------------------------------- */

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
    server *s = cls;
    (void)version;
    (void)upload;
    (void)state;
    /* Answered on the first call, with the headers: a body is not read. */
    *upload_size = 0;
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return send_plain(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
    /* DNS rebinding: a page of another site reaching this one by a name
     * that resolves here sends that name. */
    if (!host_allowed(s, mhd.lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)))
        return send_plain(c, MHD_HTTP_BAD_REQUEST, "unknown Host\n");
    if (!strcmp(url, "/_charter/events"))
        return events(c, s);
    if (!strcmp(url, "/_charter/reload.js"))
        return send_text(c, MHD_HTTP_OK, "text/javascript; charset=utf-8", reload_js,
                         sizeof reload_js - 1);
    if (!strcmp(url, "/_charter/serve.css"))
        return send_text(c, MHD_HTTP_OK, "text/css; charset=utf-8", serve_css,
                         sizeof serve_css - 1);
    if (!strcmp(url, "/_charter/") || !strcmp(url, "/_charter"))
        return overlay(c, s, MHD_HTTP_OK);

    buf rel;
    buf_init(&rel);
    enum MHD_Result ret;
    pthread_mutex_lock(&s->lock);
    size_t bl = strlen(s->base);
    int under = !strncmp(url, s->base, bl) ||
                (bl > 1 && !strncmp(url, s->base, bl - 1) && url[bl - 1] == '\0');
    /* The build being served stays open while this request reads it. */
    int root = s->root >= 0 ? dup(s->root) : -1;
    pthread_mutex_unlock(&s->lock);
    if (root < 0) {
        ret = overlay(c, s, MHD_HTTP_SERVICE_UNAVAILABLE);
        goto done;
    }
    if (!under) {
        ret = not_found(c, s, root);
        goto done;
    }
    if (url[bl - 1] == '\0' || serve_decode_path(&rel, url + strlen(s->base) - 1) != 0) {
        if (url[bl - 1] == '\0') {
            /* The base without its final slash: where relative links work. */
            struct MHD_Response *r = mhd.create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
            common_headers(r, "text/plain; charset=utf-8");
            mhd.add_response_header(r, MHD_HTTP_HEADER_LOCATION, s->base);
            ret = mhd.queue_response(c, MHD_HTTP_MOVED_PERMANENTLY, r);
            mhd.destroy_response(r);
        } else {
            ret = send_plain(c, MHD_HTTP_BAD_REQUEST, "bad path\n");
        }
        goto done;
    }
    int dir = !rel.len || rel.data[rel.len - 1] == '/';
    if (dir)
        buf_adds(&rel, "index.html");
    int fd = open_beneath(root, rel.data, O_RDONLY | O_NONBLOCK);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* A folder named without its slash: relative links need it. The
         * address is made from the cleaned path, not the URL as sent:
         * "//evil.example" would send the browser to another site. */
        close(fd);
        buf loc;
        buf_init(&loc);
        buf_adds(&loc, s->base);
        url_encode_path(&loc, rel.data);
        buf_addc(&loc, '/');
        struct MHD_Response *r = mhd.create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
        common_headers(r, "text/plain; charset=utf-8");
        mhd.add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc.data);
        ret = mhd.queue_response(c, MHD_HTTP_MOVED_PERMANENTLY, r);
        mhd.destroy_response(r);
        buf_release(&loc);
        goto done;
    }
    if (fd < 0)
        ret = not_found(c, s, root);
    else
        ret = send_file(c, s, fd, rel.data, MHD_HTTP_OK);
done:
    if (root >= 0)
        close(root);
    buf_release(&rel);
    return ret;
}

/* libmicrohttpd would decode %XX before the handler sees the path (and cut
 * it at a %00); serve_decode_path does it once, refusing what it must. */
static size_t keep_escaped(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

/* --- the server ------------------------------------------------------------------------ */

int server_start(server **out, const server_config *cfg, diags *d)
{
    *out = NULL;
    if (mhd_load() != 0)
        return diag_error(d, NULL, 0, 0, "serve",
                          "cannot load '%s', which the preview server needs: %s (on Debian, "
                          "install the package libmicrohttpd12)",
                          MHD_SONAME, mhd.error);
    server *s = xcalloc(1, sizeof *s);
    s->root = -1;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    snprintf(s->token, sizeof s->token, "%lx%09lx.%x", (unsigned long)now.tv_sec,
             (unsigned long)now.tv_nsec, (unsigned)getpid());
    s->base = xstrdup("/");
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
    if (inet_pton(AF_INET, cfg->bind, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)cfg->port);
    } else if (inet_pton(AF_INET6, cfg->bind, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)cfg->port);
        flags |= MHD_USE_IPv6;
    } else {
        diag_error(d, NULL, 0, 0, "serve", "'%s' is not a numeric IPv4 or IPv6 address", cfg->bind);
        goto fail;
    }
    snprintf(s->bind, sizeof s->bind, "%s", cfg->bind);
    errno = 0;
    s->mhd = mhd.start_daemon(
        flags, (uint16_t)cfg->port, NULL, NULL, answer, s, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MEMORY_LIMIT,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)IDLE_SECONDS, MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, NULL, MHD_OPTION_END);
    if (!s->mhd) {
        diag_error(d, NULL, 0, 0, "serve", "cannot listen on %s port %u: %s", cfg->bind, cfg->port,
                   errno ? strerror(errno) : "libmicrohttpd refused");
        goto fail;
    }
    const union MHD_DaemonInfo *info = mhd.get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : cfg->port;
    /* The bound address and localhost, at the port: the names a browser
     * here sends. */
    buf h;
    buf_init(&h);
    const char *names[] = {cfg->bind, "localhost", "127.0.0.1", "[::1]"};
    for (int i = 0; i < 4; i++) {
        buf_reset(&h);
        if (i == 0 && strchr(cfg->bind, ':'))
            buf_printf(&h, "[%s]:%u", cfg->bind, s->port);
        else
            buf_printf(&h, "%s:%u", names[i], s->port);
        /* Loopback names only when bound to loopback (or to every address). */
        if (i == 0 || !strcmp(cfg->bind, "127.0.0.1") || !strcmp(cfg->bind, "::1") ||
            !strcmp(cfg->bind, "0.0.0.0") || !strcmp(cfg->bind, "::"))
            server_allow_host(s, h.data);
    }
    buf_release(&h);
    s->has_pinger = pthread_create(&s->pinger, NULL, pinger, s) == 0;
    *out = s;
    return 0;
fail:
    server_stop(s);
    return -1;
}

unsigned server_port(const server *s)
{
    return s->port;
}

void server_allow_host(server *s, const char *host)
{
    pthread_mutex_lock(&s->lock);
    s->hosts = xgrow(s->hosts, s->n_hosts, sizeof *s->hosts);
    s->hosts[s->n_hosts++] = xstrdup(host);
    pthread_mutex_unlock(&s->lock);
}

void server_set_base(server *s, const char *base)
{
    pthread_mutex_lock(&s->lock);
    free(s->base);
    s->base = xstrdup(base);
    pthread_mutex_unlock(&s->lock);
}

int server_publish(server *s, const char *dir, serve_state state, const char *findings,
                   size_t errors, size_t warnings, diags *d)
{
    int fd = -1;
    if (dir) {
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return diag_error(d, NULL, 0, 0, "serve", "cannot open '%s': %s", dir, strerror(errno));
    }
    pthread_mutex_lock(&s->lock);
    if (fd >= 0) {
        if (s->root >= 0)
            close(s->root);
        s->root = fd;
    }
    s->state = state;
    free(s->findings);
    s->findings = xstrdup(findings ? findings : "");
    s->errors = errors;
    s->warnings = warnings;
    s->gen++;
    wake_streams(s);
    pthread_mutex_unlock(&s->lock);
    return 0;
}

void server_stop(server *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->stopping = 1;
    wake_streams(s);
    pthread_cond_broadcast(&s->wake);
    pthread_mutex_unlock(&s->lock);
    if (s->has_pinger)
        pthread_join(s->pinger, NULL);
    if (s->mhd)
        mhd.stop_daemon(s->mhd);
    if (s->root >= 0)
        close(s->root);
    for (size_t i = 0; i < s->n_hosts; i++)
        free(s->hosts[i]);
    free(s->hosts);
    free(s->base);
    free(s->findings);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

const char *serve_microhttpd_version(void)
{
    return mhd_load() == 0 ? mhd.get_version() : NULL;
}
