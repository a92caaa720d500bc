/* parse_int: what parse.c and parse_cache.c share (the parse stage's
 * private types); nothing else includes it. */
#ifndef CHARTER_PARSE_INT_H
#define CHARTER_PARSE_INT_H

#include "digest.h"
#include "map.h"
#include "parse.h"

#include <stdatomic.h>

/* One diagnostic a page's Markdown gave, kept to be given again when the
 * page comes from the cache. */
typedef struct parse_note {
    int level, line, col;
    char *id, *message;
} parse_note;

/* The previous build's parse cache, opened read-only (parse.h). */
struct parse_cache {
    int fd;      /* the cache file: the HTML of its pages, then its index */
    char *index; /* the index, read into memory; records point into it */
    map *by_key; /* key -> the record's start in index */
    size_t index_len;
    size_t n_records;   /* how many keys the index has (kept once it is freed) */
    atomic_int damaged; /* a page's HTML in it did not match its digest */
};

/* Frees c's index (every page taken from it is filled by then), keeping
 * its file for the HTML and how many records it had. NULL allowed. */
void parse_cache_forget_index(parse_cache *c);

struct parsed {
    parsed_page *pages; /* by page index */
    size_t n;
    int html_fd;
    _Atomic unsigned long long end;      /* of what is written to html_fd */
    int text_fd;                         /* the texts' scratch file, -1: none */
    _Atomic unsigned long long text_end; /* of what is written to text_fd */
    atomic_int failed;
    /* The cache: where it is written (NULL: none), what it held. */
    char *cache_path;
    parse_cache *old;
    char (*keys)[DIGEST_HEX]; /* each page's key, "" when it has none */
    parse_note **notes;       /* each page's diagnostics */
    size_t *n_notes;
    char global[DIGEST_HEX]; /* what every page's rendering depends on */
    const struct site *s;    /* for a page parsed again (parsed_html) */
    atomic_size_t hits;
    size_t cache_copies; /* runs of HTML the last parse_cache_write copied */
};

/* Fills page i of p from the cache when it holds p->keys[i]: its headings,
 * links, anchors, the digest of its search text, where its HTML lies (in
 * c->fd) and its diagnostics. Returns 1 on a hit, else 0. Thread-safe. */
int parse_cache_fill(parsed *p, size_t i);
/* The key of everything a page's rendering reads besides its own file:
 * the renderer's version, the site's Markdown settings and every path a
 * link may name (pages, static files, folders). */
void parse_cache_global(char hex[DIGEST_HEX], const struct site *s);

#endif
