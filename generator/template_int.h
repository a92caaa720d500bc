/* template_int.h: the internals of the template engine, shared by its files
 * and included by template_*.c only (everyone else includes template.h): the
 * dictionary layout (template_dict.c), the compiled form that the parser
 * builds (template_parse.c) and the renderer walks (template_render.c), the
 * modifiers (template_mods.c), and the set with its cache (template_load.c). */
#ifndef CHARTER_TEMPLATE_INT_H
#define CHARTER_TEMPLATE_INT_H

#include "template.h"

#include "arena.h"
#include "map.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

/* Limits that keep hostile or broken templates from exhausting the stack. */
#define MAX_SECTION_DEPTH 100
#define MAX_INCLUDE_DEPTH 32

#define ID_SYNTAX "template-syntax"
#define ID_INCLUDE "template-include"

/* --- dictionaries (template_dict.c) ------------------------------------------ */

/* Variables, sections and includes are separate namespaces (reference.html):
 * each entry of a dictionary says which one its name is in. */
enum { K_VAR, K_SECTION, K_INCLUDE, K_COUNT };

/* A variable's value (K_VAR entries): one piece, replaced whole by the next
 * set, with what it holds after it. */
typedef struct tpl_value {
    const char *value; /* copy, the caller's bytes, or tpl_slot_value for a slot */
    size_t len;
    char copy[]; /* a copied value's bytes and a NUL; a slot's id (a size_t) */
} tpl_value;

/* How a lazy section's dictionaries are made (tpl_dict_add_lazy_section). */
typedef struct tpl_lazy {
    tpl_dict *owner; /* the dictionary holding the section: each one's parent */
    tpl_fill_fn fill;
    const void *ctx; /* a copy, in owner's tree */
    /* With key (tpl_dict_add_lazy_section_keyed): what a digest is fed
     * instead of the fills, and variant (in owner's tree). */
    tpl_key_fn key;
    const char *variant;
    int apart; /* its rows left to a marked render's caller (tpl_dict_rows_apart) */
} tpl_lazy;

/* A section's or include's dictionaries, in the order added (K_SECTION and
 * K_INCLUDE entries): one piece, replaced by a larger copy as it grows. A
 * lazy section's list holds none: its n are made as they are used. */
typedef struct tpl_kids {
    size_t n, cap;
    const tpl_lazy *lazy; /* NULL, or how the n dictionaries are made */
    tpl_dict *v[];
} tpl_kids;

/* Dictionary i of lazy section k, made now in mem: a root of its own
 * whose lookups go on to the section's dictionary and its tree's shared
 * and template-global values. The caller takes it back with arena_reset
 * (or arena_free) of mem, never tpl_dict_free: a loop over the section
 * makes each one in the same arena. */
tpl_dict *tpl_lazy_make(const tpl_kids *k, size_t i, arena *mem);

/* A marker's name in one namespace, as the render looks it up. */
typedef struct tpl_name {
    int kind; /* K_VAR, K_SECTION or K_INCLUDE */
    const char *s;
    size_t len;
    uint64_t hash; /* map_hash of s[0..len) */
} tpl_name;

/* Feeds to add, for each of names[0..n), what each dictionary a lookup
 * from d goes through holds under it (as tpl_dict_digest feeds an entry,
 * or that it holds none): from d on to its root, on through its shared
 * tree, and for a variable d's template-globals. What a lookup of those
 * names from below d can find (tpl_rows_fn's context). */
void tpl_feed_names(const tpl_dict *d, const tpl_name *names, size_t n,
                    void (*add)(void *ctx, const void *data, size_t len), void *ctx);

/* A name in one namespace and what it holds: a tpl_value or a tpl_kids. */
typedef struct tpl_entry {
    const char *name;
    void *value;
    uint32_t hash; /* the low half of map_hash of the name */
    uint32_t kind;
} tpl_entry;

/* Dictionaries with more entries than this also keep a hash index (a
 * page's entry in a list has about 20: values, and the sections showing
 * them). */
#define TPL_INDEX_FROM 32

/* Everything a tree of dictionaries holds (names, values, child and include
 * dictionaries, the template-global values) lives in its root's arena and
 * is freed with the root. Small dictionaries (most: a page's entry in a
 * list) are searched in order; larger ones through their index. */
struct tpl_dict {
    tpl_dict *parent; /* lookup parent; NULL for the root and include dicts */
    tpl_dict *root;   /* root of the tree; owns the template-global values */
    tpl_dict *globals;
    const tpl_dict *shared; /* roots only: read-only fallback, see tpl_dict_set_shared */
    char *filename;         /* include dictionaries only */
    arena *mem;             /* the root's */
    tpl_entry *e;           /* in the order first set */
    uint32_t n, cap;
    uint32_t *index; /* NULL, or index_cap slots of entry number + 1 (0: empty) */
    uint32_t index_cap;
    /* What every section shown here (tpl_dict_show_section) holds: one
     * empty dictionary, as its own, and the list of just it. Shared, since
     * nothing can be added to a shown section's dictionary; a section added
     * to after being shown gets a list of its own (dict_add_kid copies a
     * full list). NULL until a section is shown. */
    tpl_kids *shown;
    /* A sink (see template_dict.c) keeps nothing: what is set in it is fed
     * to a digest at once. NULL in every other dictionary. */
    struct feed *sink;
    uint32_t sink_id;   /* its number in the feed */
    uint32_t sink_next; /* a sink's root: the numbers it gave */
};

/* The entry of name[0..len) (hash: map_hash of it) in namespace `kind` of d
 * alone, or NULL. Inline: rendering looks names up all the time. */
static inline tpl_entry *tpl_dict_find(const tpl_dict *d, int kind, const char *name, size_t len,
                                       uint64_t hash)
{
    if (d->index) {
        for (uint32_t i = (uint32_t)hash & (d->index_cap - 1);; i = (i + 1) & (d->index_cap - 1)) {
            uint32_t k = d->index[i];
            if (!k)
                return NULL;
            tpl_entry *e = &d->e[k - 1];
            if (e->hash == (uint32_t)hash && e->kind == (uint32_t)kind &&
                strncmp(e->name, name, len) == 0 && e->name[len] == '\0')
                return e;
        }
    }
    for (uint32_t i = 0; i < d->n; i++) {
        tpl_entry *e = &d->e[i];
        if (e->hash == (uint32_t)hash && e->kind == (uint32_t)kind &&
            strncmp(e->name, name, len) == 0 && e->name[len] == '\0')
            return e;
    }
    return NULL;
}

/* The value of every slot, told apart by its address: rendering checks one
 * pointer it holds anyway, and any other reader sees an empty value. */
extern char tpl_slot_value[1];

/* --- compiled form ------------------------------------------------------------ */

typedef enum tpl_mod {
    M_NONE,
    M_PASS, /* x- modifiers: nothing registered, output unchanged */
    M_HTML,
    M_PRE,
    M_SNIPPET,
    M_ATTRIBUTE,
    M_URL_HTML,
    M_URL_JS,
    M_URL_CSS,
    M_IMG_HTML,
    M_IMG_JS,
    M_IMG_CSS,
    M_JS,
    M_JSON,
    M_URL_QUERY,
    M_CSS,
    M_XML,
    M_JS_NUMBER
} tpl_mod;

enum { N_TEXT, N_VAR, N_SECTION, N_INCLUDE };

typedef struct tpl_node tpl_node;
struct tpl_node {
    unsigned char kind;
    unsigned char nmods;
    unsigned char auto_escaped; /* auto-escaping added the last of mods */
    int line, col;              /* variables, includes: where render-time errors point */
    tpl_mod *mods;
    const char *s; /* text, or marker name; points into the template's text */
    size_t len;
    uint64_t hash;      /* markers: map_hash of the name, for dictionary lookups */
    const char *indent; /* include markers: indentation of the marker line */
    size_t indentlen;
    const tpl *auto_tpl; /* include markers with auto_includes, resolved at load */
    tpl_node *kids;      /* sections */
    size_t nkids;
    size_t sep; /* index of the OURNAME_separator child, or (size_t)-1 */
};

struct tpl {
    tpl_set *set;
    char *name; /* as given: the cache key and the name in include chains */
    char *path; /* as reported in diagnostics */
    char *text; /* stripped source; nodes point into it */
    size_t textlen;
    tpl_node root;
    int ok;
};

struct tpl_set {
    char *dir;
    char *realdir; /* resolved dir, to refuse symlinks that leave it */
    tpl_strip strip;
    int auto_includes;
    tpl_dict *globals; /* tpl_set_global: looked up after template-globals */
    tpl_reader reader; /* tpl_set_reader, or NULL: read_file */
    void *reader_ctx;
    pthread_mutex_t lock; /* recursive: loads nest through eager auto includes */
    map *cache;           /* name -> tpl, every template compiled, failed ones too */
};

/* --- modifiers (template_mods.c) --------------------------------------------- */

static inline int tpl_is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* What tpl_mod_find makes of a modifier name and its "=value" (val[0..vlen),
 * "=" included; vlen 0 without one). */
typedef enum tpl_mod_lookup {
    TPL_MOD_FOUND,
    TPL_MOD_UNKNOWN,     /* no modifier has this name */
    TPL_MOD_NO_VALUE,    /* the modifier takes no value, and one was given */
    TPL_MOD_NEEDS_VALUE, /* the modifier takes a value, and none was given */
    TPL_MOD_BAD_VALUE    /* the modifier does not take this value */
} tpl_mod_lookup;

/* Upstream FindModifier: sets *out and returns TPL_MOD_FOUND, or says why
 * nothing matched. x- names are M_PASS. */
tpl_mod_lookup tpl_mod_find(const char *name, size_t nlen, const char *val, size_t vlen,
                            tpl_mod *out);
/* Applies mods[0..n) left to right to in[0..len), appending the result to out.
 * Intermediate results live in the two scratch buffers. */
void tpl_mods_apply(const tpl_mod *mods, size_t n, const char *in, size_t len, buf *out,
                    buf scratch[2]);

/* --- stripping and parsing (template_parse.c) -------------------------------- */

/* Strips src[0..len) by `strip` into t->text and parses that into t->root;
 * diagnostics name t->path, at source lines moved by line_offset. 0, or -1
 * after reporting the first error (as upstream, parsing stops there). */
int tpl_parse(tpl *t, const char *src, size_t len, tpl_strip strip, int line_offset, diags *d);
/* Frees what node n holds (its modifiers and children), not n itself. */
void tpl_node_release(tpl_node *n);
/* Reports an error at file:line:col with message fmt; returns -1. */
int tpl_verror(diags *d, const char *file, int line, int col, const char *id, const char *fmt,
               va_list ap) __attribute__((format(printf, 6, 0)));

/* --- loading (template_load.c) ------------------------------------------------ */

/* Finds or loads template `name` into *out (borrowed from s). from/line/col
 * locate the include marker asking for it (NULL for a direct load). With
 * missing_ok, a file that does not exist is no error: *out is NULL. 0, or -1
 * after reporting. Takes s->lock. */
int tpl_load(tpl_set *s, const char *name, diags *d, const tpl *from, int line, int col,
             int missing_ok, const tpl **out);
/* tpl_load for the auto include of include marker n in template `from`:
 * _includes/<n's name in lowercase>.html. */
int tpl_load_auto(tpl_set *s, const tpl *from, const tpl_node *n, int missing_ok, const tpl **out,
                  diags *d);

#endif
