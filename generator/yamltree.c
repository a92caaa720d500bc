/* yamltree: turns libyaml's event stream (YAML 1.1) into charter's small tree,
 * keeping the 1-based line and column of every node, and reads typed values
 * (bool, int, date) out of scalars. The tree is built with an explicit stack
 * capped at MAX_DEPTH, so no input can recurse deeply or expand in memory
 * (aliases and anchors are refused). */
#include "yamltree.h"

#include "arena.h"
#include "buf.h"
#include "dates.h"
#include "digest.h"
#include "map.h"

/* libyaml; see the note at the top of yamltree.h on the shared header name. */
#include <yaml.h>

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* 32 bytes: every page's front matter stays in memory for the whole build,
 * some thirty nodes a page. */
struct yaml_node {
    unsigned char kind;   /* a yaml_kind */
    unsigned char plain;  /* scalar only: 1 if unquoted and not tagged `!!str` or `!` */
    unsigned char packed; /* PACKED_ROOT or PACKED_INNER: in one block (yamltree_pack) */
    int line;             /* 1-based, in the file the YAML came from (offset applied) */
    int col;              /* 1-based, counted in characters */
    uint32_t len;         /* sequence: items; mapping: pairs; scalar: 0 */
    size_t value_len;     /* scalar: bytes of value */
    union {
        char *value; /* scalar: NUL-terminated UTF-8 text, never NULL */
        /* sequence: items[0..len); mapping: pair i's key (always a scalar)
         * at items[2i], its value at items[2i + 1] */
        yaml_node **items;
    };
};

_Static_assert(sizeof(struct yaml_node) <= 32, "a yaml_node is 32 bytes at most");

/* Where item i of a sequence, or the value of pair i of a mapping, is. */
static inline yaml_node **item_at(const yaml_node *n, size_t i)
{
    return n->kind == YAML_MAPPING ? &n->items[2 * i + 1] : &n->items[i];
}

/* Where the key of pair i of a mapping is. */
static inline yaml_node **key_at(const yaml_node *n, size_t i)
{
    return &n->items[2 * i];
}

/* The length of n's items array. */
static inline size_t n_ptrs(const yaml_node *n)
{
    return n->kind == YAML_SCALAR ? 0 : n->kind == YAML_MAPPING ? 2 * (size_t)n->len : n->len;
}

enum {
    MAX_DEPTH = 64, /* nested lists and mappings; yamltree_free recurses this deep */
    SHOWN_MAX = 40, /* bytes of a scalar quoted back in a message */
    HASH_KEYS = 8,  /* a mapping this large finds duplicate keys by hash */
};

typedef struct frame {
    yaml_node *node; /* a sequence or mapping still being filled */
    size_t cap;
    map *keys; /* a large mapping's keys (text up to any NUL) -> key node */
} frame;

typedef struct builder {
    const char *file;
    const char *text;
    size_t len;
    int line_offset;
    diags *d;
    /* Every node, text and item array while the tree is built, freed at
     * once when it has been packed: a page's front matter is some thirty
     * nodes, and a malloc and a free each cost more than parsing them. */
    arena *scratch;
    yaml_node *root; /* the tree so far, in scratch */
    frame stack[MAX_DEPTH];
    size_t depth;
    int documents;
    const yamltree_limits *lim;
    size_t n_keys; /* mapping keys so far, at any depth */
    size_t bom;    /* bytes of a UTF-8 byte order mark before what libyaml reads */
} builder;

/* A packed tree (see yamltree_pack) is one allocation, its root's. */
enum { PACKED_ROOT = 1, PACKED_INNER = 2 };

void yamltree_free(yaml_node *n)
{
    if (!n || n->packed == PACKED_INNER)
        return;
    if (n->packed == PACKED_ROOT) {
        free(n);
        return;
    }
    if (n->kind == YAML_SCALAR) {
        free(n->value);
    } else {
        for (size_t i = 0; i < n_ptrs(n); i++)
            yamltree_free(n->items[i]);
        free(n->items);
    }
    free(n);
}

yaml_node *yamltree_copy(const yaml_node *n, const yaml_node *at)
{
    if (!n)
        return NULL;
    yaml_node *c = xcalloc(1, sizeof *c);
    *c = *n;
    c->packed = 0;
    if (at) {
        c->line = at->line;
        c->col = at->col;
    }
    c->len = 0;
    if (n->kind == YAML_SCALAR) {
        c->value = xmalloc(n->value_len + 1);
        memcpy(c->value, n->value, n->value_len + 1);
        return c;
    }
    c->items = NULL;
    for (size_t i = 0; i < n->len; i++)
        yamltree_append(c, n->kind == YAML_MAPPING ? yamltree_copy(*key_at(n, i), at) : NULL,
                        yamltree_copy(*item_at(n, i), at));
    return c;
}

yaml_node *yamltree_new(yaml_kind kind, const char *text, int quoted, const yaml_node *at)
{
    yaml_node *n = xcalloc(1, sizeof *n);
    n->kind = (unsigned char)kind;
    n->line = at ? at->line : 0;
    n->col = at ? at->col : 0;
    if (kind == YAML_SCALAR) {
        n->value = xstrdup(text ? text : "");
        n->value_len = strlen(n->value);
        n->plain = !quoted;
    }
    return n;
}

yaml_node *yamltree_new_at(yaml_kind kind, const char *text, size_t len, int quoted, int line,
                           int col)
{
    yaml_node *n = xcalloc(1, sizeof *n);
    n->kind = (unsigned char)kind;
    n->line = line;
    n->col = col;
    if (kind == YAML_SCALAR) {
        n->value = xmalloc(len + 1);
        memcpy(n->value, text, len);
        n->value[len] = '\0';
        n->value_len = len;
        n->plain = !quoted;
    }
    return n;
}

void yamltree_append(yaml_node *parent, yaml_node *key, yaml_node *value)
{
    if (parent->packed)
        abort(); /* a parsed tree is read-only */
    if (parent->kind == YAML_SCALAR || parent->len == UINT32_MAX)
        abort();
    /* Room in powers of two, found from the count alone: a built list
     * (TOML's arrays) may be long. */
    size_t have = n_ptrs(parent), want = have + 1 + (parent->kind == YAML_MAPPING);
    size_t room = have ? 1 : 0;
    while (room && room < have)
        room *= 2;
    if (want > room) {
        size_t grow = 4;
        while (grow < want)
            grow *= 2;
        parent->items = xrealloc(parent->items, grow * sizeof *parent->items);
    }
    if (parent->kind == YAML_MAPPING)
        *key_at(parent, parent->len) = key;
    else
        yamltree_free(key);
    *item_at(parent, parent->len++) = value;
}

void yamltree_replace(yaml_node *parent, size_t i, yaml_node *value)
{
    if (parent->packed)
        abort(); /* a parsed tree is read-only */
    yamltree_free(*item_at(parent, i));
    *item_at(parent, i) = value;
}

/* Packing: a parsed tree's nodes, their item and key arrays and their
 * texts moved into one allocation, its nodes first (the root at its start),
 * then the arrays, then the texts. A page's front matter is some thirty
 * nodes: a few hundred mallocs' overhead and rounding saved per page, and
 * one free. */
typedef struct pack_ctx {
    yaml_node *nodes;
    yaml_node **ptrs;
    char *text;
} pack_ctx;

static void pack_measure(const yaml_node *n, size_t *nodes, size_t *ptrs, size_t *bytes)
{
    (*nodes)++;
    if (n->kind == YAML_SCALAR)
        *bytes += n->value_len + 1;
    *ptrs += n_ptrs(n);
    for (size_t i = 0; i < n_ptrs(n); i++)
        pack_measure(n->items[i], nodes, ptrs, bytes);
}

static yaml_node *pack_copy(const yaml_node *n, pack_ctx *c)
{
    yaml_node *p = c->nodes++;
    *p = *n;
    p->packed = PACKED_INNER;
    if (n->kind == YAML_SCALAR) {
        p->value = c->text;
        memcpy(c->text, n->value, n->value_len + 1);
        c->text += n->value_len + 1;
        return p;
    }
    size_t k = n_ptrs(n);
    p->items = k ? c->ptrs : NULL;
    c->ptrs += k;
    for (size_t i = 0; i < k; i++)
        p->items[i] = pack_copy(n->items[i], c);
    return p;
}

/* A packed copy of root's tree, which is left as it is. */
static yaml_node *pack(const yaml_node *root)
{
    size_t nodes = 0, ptrs = 0, bytes = 0;
    pack_measure(root, &nodes, &ptrs, &bytes);
    char *block = xmalloc(nodes * sizeof(yaml_node) + ptrs * sizeof(yaml_node *) + bytes);
    pack_ctx c = {(yaml_node *)block, (yaml_node **)(block + nodes * sizeof(yaml_node)),
                  block + nodes * sizeof(yaml_node) + ptrs * sizeof(yaml_node *)};
    yaml_node *p = pack_copy(root, &c);
    p->packed = PACKED_ROOT;
    return p;
}

yaml_node *yamltree_pack(yaml_node *root)
{
    if (!root || root->packed)
        return root;
    yaml_node *p = pack(root);
    yamltree_free(root);
    return p;
}

/* --- as bytes, for a cache ------------------------------------------------------ */

void yamltree_encode(buf *out, const yaml_node *n)
{
    buf_addc(out, (char)(n->kind | (n->plain ? 4 : 0)));
    buf_add_uv(out, (unsigned long long)(unsigned)n->line);
    buf_add_uv(out, (unsigned long long)(unsigned)n->col);
    if (n->kind == YAML_SCALAR) {
        buf_add_uv(out, n->value_len);
        buf_add(out, n->value, n->value_len);
        return;
    }
    buf_add_uv(out, n->len);
    for (size_t i = 0; i < n_ptrs(n); i++)
        yamltree_encode(out, n->items[i]);
}

/* One encoded node's head: its kind, plainness, line, column and count
 * (a scalar's bytes, else its items or pairs), checked; -1 when malformed. */
typedef struct coded {
    yaml_kind kind;
    int plain;
    unsigned long long line, col, count;
} coded;

static int decode_head(coded *c, const char *data, size_t len, size_t *at)
{
    if (*at >= len)
        return -1;
    unsigned char head = (unsigned char)data[(*at)++];
    if ((head & 3) > YAML_MAPPING || (head & ~7u) || ((head & 4) && (head & 3) != YAML_SCALAR) ||
        buf_get_uv(&c->line, data, len, at) != 0 || buf_get_uv(&c->col, data, len, at) != 0 ||
        buf_get_uv(&c->count, data, len, at) != 0 || c->line > INT_MAX || c->col > INT_MAX)
        return -1;
    c->kind = (yaml_kind)(head & 3);
    c->plain = (head & 4) != 0;
    /* Each node takes four bytes at least: no count can outrun the data. */
    if (c->count > len - *at || (c->kind != YAML_SCALAR && c->count > (len - *at) / 4) ||
        (c->kind != YAML_SCALAR && c->count > UINT32_MAX))
        return -1;
    return 0;
}

/* Checks the encoded tree at data[*at..len) and counts what its packed
 * copy holds (as pack_measure does): 0, or -1 when it is malformed. */
static int decode_measure(const char *data, size_t len, size_t *at, int depth, size_t *nodes,
                          size_t *ptrs, size_t *bytes)
{
    coded c;
    if (depth > 64 || decode_head(&c, data, len, at) != 0)
        return -1;
    (*nodes)++;
    if (c.kind == YAML_SCALAR) {
        *bytes += (size_t)c.count + 1;
        *at += (size_t)c.count;
        return 0;
    }
    size_t k = c.kind == YAML_MAPPING ? 2 * (size_t)c.count : (size_t)c.count;
    *ptrs += k;
    for (size_t i = 0; i < k; i++) {
        /* A mapping's keys are scalars. */
        if (c.kind == YAML_MAPPING && i % 2 == 0 &&
            (*at >= len || ((unsigned char)data[*at] & 3) != YAML_SCALAR))
            return -1;
        if (decode_measure(data, len, at, depth + 1, nodes, ptrs, bytes) != 0)
            return -1;
    }
    return 0;
}

/* The tree decode_measure checked, into c's block. */
static yaml_node *decode_fill(const char *data, size_t len, size_t *at, pack_ctx *c)
{
    coded h;
    decode_head(&h, data, len, at);
    yaml_node *n = c->nodes++;
    memset(n, 0, sizeof *n);
    n->kind = (unsigned char)h.kind;
    n->plain = (unsigned char)h.plain;
    n->packed = PACKED_INNER;
    n->line = (int)h.line;
    n->col = (int)h.col;
    if (h.kind == YAML_SCALAR) {
        n->value = c->text;
        memcpy(c->text, data + *at, (size_t)h.count);
        c->text[h.count] = '\0';
        c->text += h.count + 1;
        n->value_len = (size_t)h.count;
        *at += (size_t)h.count;
        return n;
    }
    n->len = (uint32_t)h.count;
    size_t k = n_ptrs(n);
    n->items = k ? c->ptrs : NULL;
    c->ptrs += k;
    for (size_t i = 0; i < k; i++)
        n->items[i] = decode_fill(data, len, at, c);
    return n;
}

int yamltree_decode(yaml_node **out, const char *data, size_t len, size_t *at)
{
    /* Checked and measured first, then decoded straight into one packed
     * block: a page's front matter from the load cache is one malloc, where
     * decoding node by node and then packing made some sixty. */
    size_t pos = *at, nodes = 0, ptrs = 0, bytes = 0;
    *out = NULL;
    if (decode_measure(data, len, &pos, 0, &nodes, &ptrs, &bytes) != 0)
        return -1;
    char *block = xmalloc(nodes * sizeof(yaml_node) + ptrs * sizeof(yaml_node *) + bytes);
    pack_ctx c = {(yaml_node *)block, (yaml_node **)(block + nodes * sizeof(yaml_node)),
                  block + nodes * sizeof(yaml_node) + ptrs * sizeof(yaml_node *)};
    pos = *at;
    yaml_node *root = decode_fill(data, len, &pos, &c);
    root->packed = PACKED_ROOT;
    *out = root;
    *at = pos;
    return 0;
}

static int clamp_int(long long v)
{
    return v > INT_MAX ? INT_MAX : (int)v;
}

static int mark_line(const builder *b, yaml_mark_t m)
{
    return clamp_int((long long)m.line + 1 + b->line_offset);
}

static int mark_col(yaml_mark_t m)
{
    return clamp_int((long long)m.column + 1);
}

static yaml_node *node_new(builder *b, yaml_kind kind, int line, int col)
{
    yaml_node *n = arena_alloc(b->scratch, sizeof *n); /* zeroed */
    n->kind = (unsigned char)kind;
    n->line = line;
    n->col = col;
    return n;
}

static const char *kind_name(const yaml_node *n)
{
    return n->kind == YAML_SEQUENCE ? "a list" : n->kind == YAML_MAPPING ? "a mapping" : "a string";
}

static int same_key(const yaml_node *a, const yaml_node *b)
{
    return a->value_len == b->value_len && memcmp(a->value, b->value, a->value_len) == 0;
}

/* The key of f's mapping equal to `key`, or NULL. Small mappings are
 * scanned; from HASH_KEYS keys on, a hash keeps a 40,000-key document
 * linear. The hash is keyed by the text up to any NUL byte, so a hit is
 * confirmed on the whole key, and a miss-by-NUL falls back to the scan. */
static const yaml_node *find_key(frame *f, const yaml_node *key)
{
    const yaml_node *p = f->node;
    if (!f->keys && p->len >= HASH_KEYS) {
        f->keys = map_new();
        for (size_t i = 0; i < p->len; i++)
            map_put(f->keys, (*key_at(p, i))->value, *key_at(p, i));
    }
    if (f->keys) {
        const yaml_node *hit = map_get(f->keys, key->value);
        if (!hit)
            return NULL;
        if (same_key(hit, key))
            return hit;
        if (!memchr(key->value, '\0', key->value_len) && !memchr(hit->value, '\0', hit->value_len))
            return NULL;
    }
    for (size_t i = 0; i < p->len; i++)
        if (same_key(*key_at(p, i), key))
            return *key_at(p, i);
    return NULL;
}

/* Hands `child` to the collection on top of the stack, as its next item, key
 * or value, or makes it the root (both in the builder's arena). */
static int attach(builder *b, yaml_node *child)
{
    if (b->depth == 0) {
        b->root = child;
        return 0;
    }
    frame *f = &b->stack[b->depth - 1];
    yaml_node *p = f->node;
    int is_key = p->kind == YAML_MAPPING && (p->len == 0 || *item_at(p, p->len - 1));
    if (p->kind == YAML_MAPPING && !is_key) {
        *item_at(p, p->len - 1) = child;
        return 0;
    }
    if (is_key) {
        if (child->kind != YAML_SCALAR) {
            diag_error(b->d, b->file, child->line, child->col, "yaml-unsupported",
                       "mapping keys must be strings, not %s", kind_name(child));
            return -1;
        }
        if (b->lim && b->lim->keys && ++b->n_keys > b->lim->keys) {
            diag_error(b->d, b->file, child->line, child->col, "too-large",
                       "more than %zu keys (%s)", b->lim->keys, b->lim->keys_name);
            return -1;
        }
        const yaml_node *dup = find_key(f, child);
        if (dup) {
            diag_error(b->d, b->file, child->line, child->col, "yaml-duplicate-key",
                       "duplicate key '%s' (first defined at line %d)", child->value, dup->line);
            return -1;
        }
    }
    if (p->len == UINT32_MAX) {
        diag_error(b->d, b->file, child->line, child->col, "too-large", "too many items");
        return -1;
    }
    if (p->len == f->cap) {
        /* A new array: the arena does not grow one in place (the old stays
         * there until the tree is packed). */
        size_t per = p->kind == YAML_MAPPING ? 2 : 1, cap = f->cap ? f->cap * 2 : 4;
        yaml_node **items = arena_alloc(b->scratch, xsize_mul(xsize_mul(cap, per), sizeof *items));
        if (p->len)
            memcpy(items, p->items, p->len * per * sizeof *items);
        p->items = items;
        f->cap = cap;
    }
    if (is_key) {
        if (f->keys)
            map_put(f->keys, child->value, child);
        /* The value arrives with the next node; NULL until then. */
        *key_at(p, p->len) = child;
        *item_at(p, p->len) = NULL;
    } else {
        *item_at(p, p->len) = child;
    }
    p->len++;
    return 0;
}

static int refuse_anchor(builder *b, const yaml_event_t *e, const yaml_char_t *anchor)
{
    if (!anchor)
        return 0;
    return diag_error(b->d, b->file, mark_line(b, e->start_mark), mark_col(e->start_mark),
                      "yaml-alias", "YAML anchors are not supported");
}

/* `!!str` and the non-specific `!` make a scalar a string even when unquoted;
 * every other tag is ignored. */
static int is_string_tag(const yaml_char_t *tag)
{
    return tag &&
           (strcmp((const char *)tag, "!") == 0 || strcmp((const char *)tag, YAML_STR_TAG) == 0);
}

static int add_scalar(builder *b, const yaml_event_t *e)
{
    if (refuse_anchor(b, e, e->data.scalar.anchor))
        return -1;
    if (b->lim && b->lim->scalar_bytes && e->data.scalar.length > b->lim->scalar_bytes)
        return diag_error(b->d, b->file, mark_line(b, e->start_mark), mark_col(e->start_mark),
                          "too-large", "value is %zu bytes, over the limit of %zu (%s)",
                          e->data.scalar.length, b->lim->scalar_bytes, b->lim->scalar_name);
    yaml_node *n = node_new(b, YAML_SCALAR, mark_line(b, e->start_mark), mark_col(e->start_mark));
    n->value = arena_strndup(b->scratch, (const char *)e->data.scalar.value, e->data.scalar.length);
    n->value_len = e->data.scalar.length;
    n->plain =
        e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !is_string_tag(e->data.scalar.tag);
    return attach(b, n);
}

static int open_collection(builder *b, const yaml_event_t *e, yaml_kind kind)
{
    const yaml_char_t *anchor =
        kind == YAML_MAPPING ? e->data.mapping_start.anchor : e->data.sequence_start.anchor;
    if (refuse_anchor(b, e, anchor))
        return -1;
    if (b->depth == MAX_DEPTH)
        return diag_error(b->d, b->file, mark_line(b, e->start_mark), mark_col(e->start_mark),
                          "yaml-unsupported", "YAML is nested more than %d levels deep", MAX_DEPTH);
    yaml_node *n = node_new(b, kind, mark_line(b, e->start_mark), mark_col(e->start_mark));
    if (attach(b, n))
        return -1;
    b->stack[b->depth] = (frame){n, 0, NULL};
    b->depth++;
    return 0;
}

/* Applies one event to the tree; sets *done at the end of the stream. */
static int handle_event(builder *b, const yaml_event_t *e, int *done)
{
    switch (e->type) {
    case YAML_STREAM_END_EVENT:
        *done = 1;
        return 0;
    case YAML_DOCUMENT_START_EVENT:
        if (b->documents++)
            return diag_error(b->d, b->file, mark_line(b, e->start_mark), mark_col(e->start_mark),
                              "yaml-unsupported", "only one YAML document is allowed");
        return 0;
    case YAML_ALIAS_EVENT:
        return diag_error(b->d, b->file, mark_line(b, e->start_mark), mark_col(e->start_mark),
                          "yaml-alias", "YAML aliases are not supported");
    case YAML_SCALAR_EVENT:
        return add_scalar(b, e);
    case YAML_SEQUENCE_START_EVENT:
        return open_collection(b, e, YAML_SEQUENCE);
    case YAML_MAPPING_START_EVENT:
        return open_collection(b, e, YAML_MAPPING);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        b->depth--;
        map_free(b->stack[b->depth].keys);
        b->stack[b->depth].keys = NULL;
        return 0;
    default: /* stream start, document end */
        return 0;
    }
}

size_t yamltree_break_len(const char *s, size_t n)
{
    const unsigned char *t = (const unsigned char *)s;
    if (n >= 1 && t[0] == '\n')
        return 1;
    if (n >= 1 && t[0] == '\r')
        return n >= 2 && t[1] == '\n' ? 2 : 1;
    if (n >= 2 && t[0] == 0xC2 && t[1] == 0x85)
        return 2;
    if (n >= 3 && t[0] == 0xE2 && t[1] == 0x80 && (t[2] == 0xA8 || t[2] == 0xA9))
        return 3;
    return 0;
}

/* Line and column of byte `off` of the input: libyaml's reader errors (bad
 * UTF-8, control characters) carry an offset instead of a mark. */
static void offset_position(const builder *b, size_t off, int *line, int *col)
{
    long long l = 1, c = 1;
    size_t i = b->bom;
    off += b->bom; /* libyaml's offsets start after the byte order mark */
    if (off > b->len)
        off = b->len;
    /* Line breaks as libyaml counts them, so that positions agree with its
     * marks: LF, CR, CRLF (one), NEL, LS and PS. */
    while (i < off) {
        size_t brk = yamltree_break_len(b->text + i, off - i);
        if (brk) {
            l++;
            c = 1;
            i += brk;
        } else if (((unsigned char)b->text[i++] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = clamp_int(l + b->line_offset);
    *col = clamp_int(c);
}

static int syntax_error(builder *b, const yaml_parser_t *p)
{
    int line, col;
    buf msg;
    if (p->error == YAML_MEMORY_ERROR)
        return diag_error(b->d, b->file, 0, 0, "yaml-syntax", "out of memory while parsing YAML");
    if (p->error == YAML_READER_ERROR) {
        offset_position(b, p->problem_offset, &line, &col);
    } else if (p->problem_mark.index >= b->len - b->bom && b->line_offset == 0) {
        /* At the end of a whole file libyaml's mark has moved past its last
         * line (a one-line "x: [a" is reported on line 2, which does not
         * exist): point at the end of the text instead. In front matter the
         * next line is the closing '---', which is a fine place. */
        size_t end = b->len;
        while (end > b->bom && (b->text[end - 1] == '\n' || b->text[end - 1] == '\r'))
            end--;
        offset_position(b, end - b->bom, &line, &col);
    } else {
        line = mark_line(b, p->problem_mark);
        col = mark_col(p->problem_mark);
    }
    /* An unresolved merge conflict is what breaks it, most likely: said. */
    const char *t = b->text + b->bom, *end = b->text + b->len;
    for (const char *q = t; q && q < end; q = memchr(q, '\n', (size_t)(end - q)), q = q ? q + 1 : q)
        if (end - q >= 8 && !memcmp(q, "<<<<<<<", 7) &&
            (q[7] == ' ' || q[7] == '\n' || q[7] == '\r')) {
            offset_position(b, (size_t)(q - t), &line, &col);
            return diag_error(b->d, b->file, line, col, "conflict-marker",
                              "unresolved merge conflict in the front matter");
        }
    buf_init(&msg);
    buf_printf(&msg, "invalid YAML: %s", p->problem ? p->problem : "unknown error");
    if (p->context)
        buf_printf(&msg, " (%s at line %d)", p->context, mark_line(b, p->context_mark));
    diag_error(b->d, b->file, line, col, "yaml-syntax", "%s", msg.data);
    buf_release(&msg);
    return -1;
}

int yamltree_parse(yaml_node **out, const char *text, size_t len, const char *file, int line_offset,
                   diags *d)
{
    return yamltree_parse_limited(out, text, len, file, line_offset, NULL, d);
}

/* --- the plain shape, without libyaml ------------------------------------------- */

/* At most this many keys in a plain document: duplicates are looked for
 * pair by pair. */
#define PLAIN_MAX_KEYS 64

static int is_name_char(char c)
{
    return c == '_' || c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* A node of the plain reader, in the builder's arena. */
static yaml_node *plain_node(builder *b, yaml_kind kind, int line, size_t col)
{
    return node_new(b, kind, clamp_int((long long)line + b->line_offset),
                    clamp_int((long long)col));
}

static yaml_node *plain_scalar(builder *b, int line, size_t col, const char *s, size_t n, int plain)
{
    yaml_node *v = plain_node(b, YAML_SCALAR, line, col);
    v->value = arena_strndup(b->scratch, s, n);
    v->value_len = n;
    v->plain = (unsigned char)plain;
    return v;
}

/* A one-line flow list's inside, s[0..n) starting at column col: words of
 * letters, digits and `-._/+()` joined by single spaces, items separated by
 * ", ". Returns the list, or NULL when the inside is not in that shape. */
static yaml_node *plain_list(builder *b, int line, size_t col, const char *s, size_t n)
{
    yaml_node *list = plain_node(b, YAML_SEQUENCE, line, col - 1);
    size_t cap = 0;
    for (size_t i = 0; i < n;) {
        size_t start = i;
        if (s[i] == '-' || s[i] == '.')
            return NULL;
        while (i < n && (is_name_char(s[i]) || strchr("._/+()", s[i]) ||
                         (s[i] == ' ' && i > start && i + 1 < n && s[i + 1] != ' ' &&
                          s[i + 1] != ',' && s[i - 1] != ' ')))
            i++;
        if (i == start || s[i - 1] == ' ' ||
            (i < n && !(s[i] == ',' && i + 2 < n && s[i + 1] == ' ')))
            return NULL;
        if (list->len == cap) {
            cap = cap ? cap * 2 : 4;
            yaml_node **items = arena_alloc(b->scratch, cap * sizeof *items);
            if (list->len)
                memcpy(items, list->items, list->len * sizeof *items);
            list->items = items;
        }
        list->items[list->len++] = plain_scalar(b, line, col + start, s + start, i - start, 1);
        if (i < n)
            i += 2;
    }
    return list;
}

/* One line's value, v[0..n) after "key:" at column col: its node when it
 * has one of the plain shapes, else NULL. */
static yaml_node *plain_value(builder *b, int line, size_t col, const char *v, size_t n)
{
    while (n > 0 && v[n - 1] == ' ')
        n--;
    if (n == 0 || v[0] != ' ')
        return NULL; /* an empty value, or `key:value`, one plain scalar */
    size_t i = 0;
    while (i < n && v[i] == ' ')
        i++;
    const char *s = v + i;
    size_t m = n - i;
    col += i;
    if (s[0] == '"' || s[0] == '\'') {
        /* Quoted: no escape, no quote inside, nothing after it. */
        if (m < 2 || s[m - 1] != s[0])
            return NULL;
        for (size_t k = 1; k + 1 < m; k++)
            if (s[k] == s[0] || s[k] == '\\')
                return NULL;
        return plain_scalar(b, line, col, s + 1, m - 2, 0);
    }
    if (s[0] == '[')
        return s[m - 1] == ']' ? plain_list(b, line, col + 1, s + 1, m - 2) : NULL;
    /* YAML's indicators, and the `-` and `.` of document markers. */
    if (strchr("-?:,[]{}#&*!|>'\"%@`.~", s[0]))
        return NULL;
    for (size_t k = 0; k < m; k++)
        /* ": " or a final ':' would open a mapping, " #" a comment. */
        if ((s[k] == ':' && (k + 1 == m || s[k + 1] == ' ')) || (s[k] == '#' && s[k - 1] == ' '))
            return NULL;
    return plain_scalar(b, line, col, s, m, 1);
}

/* Whether a value of the plain reader, a scalar or a list of them, holds a
 * scalar longer than lim allows. */
static int over_limit(const yaml_node *v, const yamltree_limits *lim)
{
    if (v->kind == YAML_SCALAR)
        return v->value_len > lim->scalar_bytes;
    for (size_t i = 0; i < v->len; i++)
        if (v->items[i]->value_len > lim->scalar_bytes)
            return 1;
    return 0;
}

/* Builds b->root without libyaml when the document is in the shape most
 * front matter has: printable ASCII lines, each `key: value` (the value
 * plain, quoted without escapes, or a one-line list of plain words), a
 * comment from column 1, or empty. Returns 1 when it did, 0 when libyaml
 * must read it (anything else, and what would be an error or over a
 * limit, which libyaml then reports). */
static int parse_plain(builder *b)
{
    yaml_node *root = NULL;
    yaml_node *keys[PLAIN_MAX_KEYS], *values[PLAIN_MAX_KEYS];
    size_t n_keys = 0;
    int line = 1;
    for (size_t p = 0; p < b->len; line++) {
        if (line == INT_MAX)
            return 0; /* lines past what an int counts: libyaml's reading clamps them */
        const char *nl = memchr(b->text + p, '\n', b->len - p);
        size_t e = nl ? (size_t)(nl - b->text) : b->len;
        const char *s = b->text + p;
        size_t m = e - p;
        for (size_t k = 0; k < m; k++)
            if (s[k] < 0x20 || s[k] > 0x7e)
                return 0;
        p = e + 1;
        if (m == 0 || s[0] == '#')
            continue;
        size_t k = 0;
        while (k < m && is_name_char(s[k]))
            k++;
        /* libyaml takes a key of at most 1024 characters. */
        if (k == 0 || k > 1000 || s[0] == '-' || k == m || s[k] != ':' ||
            n_keys == PLAIN_MAX_KEYS || (b->lim && b->lim->keys && n_keys + 1 > b->lim->keys))
            return 0;
        yaml_node *value = plain_value(b, line, k + 2, s + k + 1, m - k - 1);
        if (!value)
            return 0;
        if (b->lim && b->lim->scalar_bytes &&
            (k > b->lim->scalar_bytes || over_limit(value, b->lim)))
            return 0;
        for (size_t j = 0; j < n_keys; j++)
            if (keys[j]->value_len == k && !memcmp(keys[j]->value, s, k))
                return 0; /* a duplicate: libyaml's reading reports it */
        if (!root)
            root = plain_node(b, YAML_MAPPING, line, 1);
        keys[n_keys] = plain_scalar(b, line, 1, s, k, 1);
        values[n_keys++] = value;
    }
    if (!root)
        return 0; /* comments only: libyaml's empty document */
    root->items = arena_alloc(b->scratch, 2 * n_keys * sizeof *root->items);
    for (size_t i = 0; i < n_keys; i++) {
        root->items[2 * i] = keys[i];
        root->items[2 * i + 1] = values[i];
    }
    root->len = (uint32_t)n_keys;
    b->root = root;
    return 1;
}

int yamltree_parse_plain(yaml_node **out, const char *text, size_t len, int line_offset,
                         const yamltree_limits *lim)
{
    builder b = {.text = text ? text : "", .len = len, .line_offset = line_offset, .lim = lim};
    *out = NULL;
    if (len >= 3 && memcmp(b.text, "\xEF\xBB\xBF", 3) == 0)
        return 0;
    b.scratch = arena_new();
    if (parse_plain(&b))
        *out = pack(b.root);
    arena_free(b.scratch);
    return *out != NULL;
}

int yamltree_parse_limited(yaml_node **out, const char *text, size_t len, const char *file,
                           int line_offset, const yamltree_limits *lim, diags *d)
{
    if (yamltree_parse_plain(out, text, len, line_offset, lim))
        return 0;
    return yamltree_parse_libyaml(out, text, len, file, line_offset, lim, d);
}

int yamltree_parse_libyaml(yaml_node **out, const char *text, size_t len, const char *file,
                           int line_offset, const yamltree_limits *lim, diags *d)
{
    int err = -1, done = 0, parser_ready = 0;
    builder b = {.file = file,
                 .text = text ? text : "",
                 .len = len,
                 .line_offset = line_offset,
                 .d = d,
                 .lim = lim};
    yaml_parser_t parser;
    yaml_event_t event;

    *out = NULL;
    memset(&event, 0, sizeof event);
    b.scratch = arena_new();
    /* A UTF-8 byte order mark is skipped here: with the encoding set, libyaml
     * would count it as a character. */
    if (len >= 3 && memcmp(b.text, "\xEF\xBB\xBF", 3) == 0)
        b.bom = 3;
    if (!yaml_parser_initialize(&parser)) {
        diag_error(d, file, 0, 0, "yaml-syntax", "out of memory while parsing YAML");
        goto done;
    }
    parser_ready = 1;
    yaml_parser_set_input_string(&parser, (const unsigned char *)b.text + b.bom, len - b.bom);
    /* UTF-8 only, as everywhere in charter: a UTF-16 byte order mark would
     * make libyaml count positions in a text charter does not have. */
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    while (!done) {
        if (!yaml_parser_parse(&parser, &event)) {
            syntax_error(&b, &parser);
            goto done;
        }
        int rc = handle_event(&b, &event, &done);
        yaml_event_delete(&event);
        if (rc)
            goto done;
    }
    /* No document, or one with no content (an empty plain scalar). */
    if (!b.root || (b.root->kind == YAML_SCALAR && b.root->plain && b.root->value_len == 0))
        b.root = node_new(&b, YAML_MAPPING, clamp_int(1LL + line_offset), 1);
    *out = pack(b.root);
    err = 0;
done:
    for (size_t i = 0; i < b.depth; i++)
        map_free(b.stack[i].keys);
    yaml_event_delete(&event);
    if (parser_ready)
        yaml_parser_delete(&parser);
    arena_free(b.scratch);
    return err;
}

yaml_kind yamltree_kind(const yaml_node *n)
{
    return n->kind;
}

int yamltree_line(const yaml_node *n)
{
    return n->line;
}

int yamltree_col(const yaml_node *n)
{
    return n->col;
}

const char *yamltree_text(const yaml_node *n)
{
    return n->kind == YAML_SCALAR ? n->value : NULL;
}

size_t yamltree_text_len(const yaml_node *n)
{
    return n->value_len;
}

int yamltree_plain(const yaml_node *n)
{
    return n->plain;
}

size_t yamltree_len(const yaml_node *n)
{
    return n->len;
}

const yaml_node *yamltree_item(const yaml_node *n, size_t i)
{
    return i < n->len ? *item_at(n, i) : NULL;
}

const yaml_node *yamltree_key(const yaml_node *n, size_t i)
{
    return n->kind == YAML_MAPPING && i < n->len ? *key_at(n, i) : NULL;
}

static int scalar_is(const yaml_node *n, const char *s)
{
    size_t len = strlen(s);
    return n->value_len == len && memcmp(n->value, s, len) == 0;
}

const yaml_node *yamltree_get(const yaml_node *m, const char *key)
{
    if (!m || m->kind != YAML_MAPPING)
        return NULL;
    for (size_t i = 0; i < m->len; i++)
        if (scalar_is(*key_at(m, i), key))
            return *item_at(m, i);
    return NULL;
}

static void digest_node(digest *h, const yaml_node *n, int depth)
{
    digest_add_long(h, n ? (long)n->kind : -1);
    if (!n || depth > MAX_DEPTH)
        return;
    if (n->kind == YAML_SCALAR) {
        /* With its length: a value may hold a NUL ("\0"), which makes it
         * true where "" is not. */
        digest_add_long(h, n->plain);
        digest_add_long(h, (long)n->value_len);
        digest_add(h, n->value, n->value_len);
        return;
    }
    digest_add_long(h, (long)n->len);
    for (size_t i = 0; i < n->len; i++) {
        if (n->kind == YAML_MAPPING)
            digest_node(h, *key_at(n, i), depth + 1);
        digest_node(h, *item_at(n, i), depth + 1);
    }
}

void yamltree_digest(digest *h, const yaml_node *n)
{
    digest_node(h, n, 0);
}

int yamltree_is_null(const yaml_node *n)
{
    return n && n->kind == YAML_SCALAR && n->plain &&
           (n->value_len == 0 || scalar_is(n, "~") || scalar_is(n, "null") ||
            scalar_is(n, "Null") || scalar_is(n, "NULL"));
}

/* Appends the scalar's text for a message: its first line, at most SHOWN_MAX
 * bytes cut on a character boundary, with "..." when shortened. */
static void add_shown(buf *msg, const yaml_node *n)
{
    size_t len = n->value_len;
    const char *nl = memchr(n->value, '\n', len);
    int cut = 0;
    if (nl) {
        len = (size_t)(nl - n->value);
        cut = 1;
    }
    /* Messages are C strings: a NUL would end the message there. */
    const char *nul = memchr(n->value, '\0', len);
    if (nul) {
        len = (size_t)(nul - n->value);
        cut = 1;
    }
    if (len > SHOWN_MAX) {
        len = SHOWN_MAX;
        while (len > 0 && ((unsigned char)n->value[len] & 0xC0) == 0x80)
            len--;
        cut = 1;
    }
    if (cut)
        while (len > 0 && (n->value[len - 1] == ' ' || n->value[len - 1] == '\t'))
            len--;
    buf_add(msg, n->value, len);
    if (cut)
        buf_adds(msg, "...");
}

static int missing(const char *key, const char *file, diags *d)
{
    return diag_error(d, file, 0, 0, "invalid-type", "'%s' is missing", key);
}

/* Reports "'<key>' must be <want>, not <what n is>" at n; returns -1. */
static int type_error(const yaml_node *n, const char *key, const char *want, const char *file,
                      diags *d)
{
    buf msg;
    buf_init(&msg);
    buf_printf(&msg, "'%s' must be %s, not ", key, want);
    if (n->kind != YAML_SCALAR) {
        buf_adds(&msg, kind_name(n));
    } else if (n->plain && n->value_len == 0) {
        buf_adds(&msg, "empty");
    } else if (yamltree_is_null(n)) {
        buf_adds(&msg, "null");
    } else {
        buf_addc(&msg, '\'');
        add_shown(&msg, n);
        buf_addc(&msg, '\'');
    }
    diag_error(d, file, n->line, n->col, "invalid-type", "%s", msg.data);
    buf_release(&msg);
    return -1;
}

int yamltree_as_string(const char **out, const yaml_node *n, const char *key, const char *file,
                       diags *d)
{
    if (!n)
        return missing(key, file, d);
    if (n->kind != YAML_SCALAR)
        return diag_error(d, file, n->line, n->col, "invalid-type", "'%s' must be a string, not %s",
                          key, kind_name(n));
    /* Everything downstream is C strings: a NUL would silently cut the text. */
    if (memchr(n->value, '\0', n->value_len))
        return diag_error(d, file, n->line, n->col, "invalid-type",
                          "'%s' must not contain a NUL character", key);
    *out = n->value;
    return 0;
}

int yamltree_as_bool(int *out, const yaml_node *n, const char *key, const char *file, diags *d)
{
    /* YAML 1.1 booleans (yaml.org/type/bool.html) without y/n, which are
     * more often meant as letters. */
    static const char *const words[][2] = {
        {"true", "false"}, {"True", "False"}, {"TRUE", "FALSE"}, {"yes", "no"}, {"Yes", "No"},
        {"YES", "NO"},     {"on", "off"},     {"On", "Off"},     {"ON", "OFF"},
    };
    if (!n)
        return missing(key, file, d);
    if (n->kind != YAML_SCALAR)
        return type_error(n, key, "true or false", file, d);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        for (int v = 0; v < 2; v++) {
            if (!scalar_is(n, words[i][v]))
                continue;
            if (!n->plain)
                return diag_error(d, file, n->line, n->col, "invalid-type",
                                  "'%s' must be true or false without quotes", key);
            *out = !v;
            return 0;
        }
    }
    return type_error(n, key, "true or false", file, d);
}

int yamltree_as_int(long *out, const yaml_node *n, const char *key, const char *file, diags *d)
{
    if (!n)
        return missing(key, file, d);
    if (n->kind != YAML_SCALAR)
        return type_error(n, key, "an integer", file, d);
    const char *s = n->value;
    size_t len = n->value_len, i = 0;
    int neg = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    if (i == len)
        return type_error(n, key, "an integer", file, d);
    /* Accumulate negatively: LONG_MIN has no positive counterpart. */
    long v = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return type_error(n, key, "an integer", file, d);
        int digit = s[i] - '0';
        if (v < (LONG_MIN + digit) / 10)
            return diag_error(d, file, n->line, n->col, "invalid-type", "'%s' is out of range: %s",
                              key, n->value);
        v = v * 10 - digit;
    }
    if (!neg && v == LONG_MIN)
        return diag_error(d, file, n->line, n->col, "invalid-type", "'%s' is out of range: %s", key,
                          n->value);
    *out = neg ? v : -v;
    return 0;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads `count` digits at s[*i] into *out, advancing *i. */
static int read_digits(const char *s, size_t len, size_t *i, int count, int *out)
{
    int v = 0;
    for (int k = 0; k < count; k++, (*i)++) {
        if (*i >= len || !is_digit(s[*i]))
            return -1;
        v = v * 10 + (s[*i] - '0');
    }
    *out = v;
    return 0;
}

/* Matches the time part of a YAML 1.1 timestamp after the date (same grammar
 * as PyYAML's): ([Tt]|[ \t]+)H?H:MM:SS(.F*)?([ \t]*(Z|[-+]H?H(:MM)?))? */
static int is_time_suffix(const char *s, size_t len)
{
    size_t i = 0;
    int h, mi, sec, tz;
    if (len == 0)
        return 0;
    if (s[0] == 'T' || s[0] == 't') {
        i = 1;
    } else {
        while (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == 0)
            return 0;
    }
    if (read_digits(s, len, &i, 1, &h))
        return 0;
    if (i < len && is_digit(s[i]))
        h = h * 10 + (s[i++] - '0');
    if (i >= len || s[i++] != ':' || read_digits(s, len, &i, 2, &mi) || i >= len || s[i++] != ':' ||
        read_digits(s, len, &i, 2, &sec))
        return 0;
    if (h > 23 || mi > 59 || sec > 60)
        return 0;
    if (i < len && s[i] == '.')
        for (i++; i < len && is_digit(s[i]); i++)
            ;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < len && s[i] == 'Z') {
        i++;
    } else if (i < len && (s[i] == '+' || s[i] == '-')) {
        i++;
        if (read_digits(s, len, &i, 1, &tz))
            return 0;
        if (i < len && is_digit(s[i]))
            i++;
        if (i < len && s[i] == ':') {
            i++;
            if (read_digits(s, len, &i, 2, &tz))
                return 0;
        } else if (i + 2 == len && is_digit(s[i]) && is_digit(s[i + 1])) {
            i += 2; /* +0000, as Jekyll and Ruby write an offset */
        }
    }
    return i == len;
}

int yamltree_as_date(long *out, const yaml_node *n, const char *key, const char *file, diags *d)
{
    const char *want = "a date (YYYY-MM-DD)";
    int y, m, dd;
    if (!n)
        return missing(key, file, d);
    if (n->kind != YAML_SCALAR)
        return type_error(n, key, want, file, d);
    if (date_split(n->value, n->value_len, &y, &m, &dd) ||
        (n->value_len > 10 && !is_time_suffix(n->value + 10, n->value_len - 10))) {
        int numbers = -1;
        if (strlen(n->value) != n->value_len ||
            (date_split_words(n->value, &y, &m, &dd) != 0 &&
             (numbers = date_split_numbers(n->value, &y, &m, &dd)) != 0)) {
            if (numbers == -2)
                return diag_error(d, file, n->line, n->col, "invalid-type",
                                  "'%s' must be a date (YYYY-MM-DD), not '%s', which reads as "
                                  "day/month or as month/day",
                                  key, n->value);
            return type_error(n, key, want, file, d);
        }
    }
    if (!date_is_real(y, m, dd)) {
        buf msg;
        buf_init(&msg);
        add_shown(&msg, n); /* a long fraction of a second could follow */
        diag_error(d, file, n->line, n->col, "invalid-date", "'%s' is not a real date: %s", key,
                   msg.data);
        buf_release(&msg);
        return -1;
    }
    *out = date_from_civil(y, m, dd);
    return 0;
}

/* --- writing scalars --------------------------------------------------------- */

int yamltree_is_keyword(const char *s)
{
    static const char *const words[] = {"true", "false", "yes", "no", "on",
                                        "off",  "null",  "~",   "y",  "n"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (!strcasecmp(s, words[i]))
            return 1;
    return 0;
}

/* YAML reads NEL, LS and PS (U+0085, U+2028, U+2029) as line breaks, even
 * in a quoted scalar: their escape, or NULL for any other text at s. */
static const char *break_escape(const unsigned char *s)
{
    if (s[0] == 0xC2 && s[1] == 0x85)
        return "\\N";
    if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9))
        return s[2] == 0xA8 ? "\\L" : "\\P";
    return NULL;
}

/* Characters libyaml refuses anywhere in a stream (C1 controls but NEL,
 * U+FEFF inside the text, U+FFFE, U+FFFF), at c (a k-byte UTF-8
 * sequence): their escape's code point, or 0. */
static unsigned refused_char(const unsigned char *c, size_t k)
{
    if (k == 2 && c[0] == 0xC2 && c[1] >= 0x80 && c[1] <= 0x9F && c[1] != 0x85)
        return c[1];
    if (k == 3 && c[0] == 0xEF && c[1] == 0xBB && c[2] == 0xBF)
        return 0xFEFF;
    if (k == 3 && c[0] == 0xEF && c[1] == 0xBF && (c[2] == 0xBE || c[2] == 0xBF))
        return c[2] == 0xBE ? 0xFFFE : 0xFFFF;
    return 0;
}

/* True if s reads back as the same string written plain, in a block value
 * or (flow) inside [ ] or { }. Deliberately narrow: anything else is quoted. */
static int plain_ok(const char *s, int flow)
{
    size_t n = strlen(s);
    if (!n || s[0] == ' ' || s[n - 1] == ' ' || yamltree_is_keyword(s))
        return 0;
    if (!isalnum((unsigned char)s[0]) && !strchr("/._(", s[0]) && (unsigned char)s[0] < 0x80)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *c = (const unsigned char *)s + i;
        if (*c >= 0x80) {
            size_t k = utf8_seq_len(c, n - i);
            if (!k || break_escape(c) || refused_char(c, k))
                return 0;
            i += k - 1;
            continue;
        }
        if (isalnum(*c) || strchr(" _./()&+-'", *c))
            continue;
        if (!flow && *c == ',')
            continue;
        if (!flow && *c == ':' && s[i + 1] && s[i + 1] != ' ')
            continue;
        return 0;
    }
    return 1;
}

void yamltree_put_scalar(buf *b, const char *s, int flow)
{
    if (plain_ok(s, flow))
        buf_adds(b, s);
    else
        yamltree_put_quoted(b, s);
}

void yamltree_put_quoted(buf *b, const char *s)
{
    size_t n = strlen(s);
    buf_addc(b, '"');
    for (size_t i = 0; i < n; i++) {
        const unsigned char *c = (const unsigned char *)s + i;
        size_t k = *c >= 0x80 ? utf8_seq_len(c, n - i) : 1;
        if (*c == '"' || *c == '\\')
            buf_printf(b, "\\%c", *c);
        else if (*c == '\n')
            buf_adds(b, "\\n");
        else if (*c == '\t')
            buf_adds(b, "\\t");
        else if (*c < 0x20 || *c == 0x7f || !k)
            buf_printf(b, "\\x%02x", *c);
        else if (break_escape(c))
            buf_adds(b, break_escape(c));
        else if (refused_char(c, k) > 0xFF)
            buf_printf(b, "\\u%04X", refused_char(c, k));
        else if (refused_char(c, k))
            buf_printf(b, "\\x%02x", refused_char(c, k));
        else
            buf_add(b, c, k);
        i += k ? k - 1 : 0;
    }
    buf_addc(b, '"');
}

const char *yamltree_libyaml_version(void)
{
    return yaml_get_version_string();
}
