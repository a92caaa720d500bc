/* serve: the preview server of `charter serve` (libmicrohttpd, only here).
 * It answers GET and HEAD from the last complete build, never from one
 * being written; adds to each HTML page a banner with the build's findings
 * and a script that reloads the page when a new build is published
 * (Server-Sent Events at /_charter/events); and refuses what a local
 * server must: other Host names (DNS rebinding), paths that leave the
 * output or name a link, oversized requests. */
#ifndef CHARTER_SERVE_H
#define CHARTER_SERVE_H

#include "buf.h"
#include "diag.h"

#include <stddef.h>

typedef struct server server;

typedef struct server_config {
    const char *bind; /* the address to listen on (numeric IPv4 or IPv6) */
    unsigned port;    /* 0: a free port, chosen by the system */
} server_config;

/* Starts listening (threads of its own). Returns 0 and a new server in
 * *out (stop and free with server_stop), or -1 after reporting (id serve). */
int server_start(server **out, const server_config *c, diags *d);
/* The port it listens on. */
unsigned server_port(const server *s);
/* Accepts `host` (as a Host header: "name:port") besides the bound
 * address and localhost at the bound port. Call before serving. */
void server_allow_host(server *s, const char *host);
/* Serves the site from now on at the URL path `base` ("/" or "/x/"). */
void server_set_base(server *s, const char *base);
/* What a published build is. */
typedef enum serve_state {
    SERVE_GOOD,     /* it succeeded: dir is served */
    SERVE_FAILED,   /* it failed: the previous build stays served (dir NULL) */
    SERVE_UNCHECKED /* it failed on findings, and there was nothing to serve: dir is
                       its --no-check build, served with its errors shown */
} serve_state;
/* Publishes a finished build: `dir` (absolute) to serve from now on, or
 * NULL to keep serving the previous one; `findings` (an HTML fragment,
 * copied) for the overlay at /_charter/, with its counts. Open pages
 * reload. Returns 0, or -1 after reporting when dir cannot be opened. */
int server_publish(server *s, const char *dir, serve_state state, const char *findings,
                   size_t errors, size_t warnings, diags *d);
/* Decodes a request's raw path (percent escapes undone once) into the
 * '/'-separated path of a file below the served folder, appended to rel:
 * "" for the folder itself, a final '/' kept. Returns 0, or -1 for a path
 * no file of a build has: an escaped '/' or NUL, a '\\', a control
 * character, a bad escape, a "." or ".." segment (escaped or not). */
int serve_decode_path(buf *rel, const char *raw);
/* Stops listening, closes every connection, frees s; accepts NULL. */
void server_stop(server *s);

/* The version of libmicrohttpd ("0.9.76"), which is opened (once) to ask;
 * NULL when it cannot be. Static storage. */
const char *serve_microhttpd_version(void);

#endif
