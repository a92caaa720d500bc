/* template: Google ctemplate's template language, implemented in C. Templates
 * are compiled once into a tree and cached in a tpl_set; rendering walks the
 * tree against a dictionary and appends to a buf. Reference:
 * /usr/share/doc/libctemplate-dev/html/reference.html. Thread-safety: after
 * loading, a tpl_set and its templates are read-only and may be rendered from
 * several threads at once, each with its own dictionaries. charter adds slots
 * (tpl_dict_set_slot): places in the output recorded out of band, for text
 * that the caller splices in later without the template ever seeing it,
 * and marks (tpl_render_marked): where chosen values were rendered.
 * Implemented by template_dict.c, template_mods.c, template_parse.c,
 * template_load.c and template_render.c, which share template_int.h. */
#ifndef CHARTER_TEMPLATE_H
#define CHARTER_TEMPLATE_H

#include "buf.h"
#include "diag.h"

typedef struct tpl_dict tpl_dict;
typedef struct tpl tpl;
typedef struct tpl_set tpl_set;

typedef enum tpl_strip { TPL_DO_NOT_STRIP, TPL_STRIP_BLANK_LINES, TPL_STRIP_WHITESPACE } tpl_strip;

/* --- dictionaries: names -> values, sections and includes ------------------ */
/* Returns a new root dictionary; caller frees with tpl_dict_free (which frees
 * every child section and include dictionary too). */
tpl_dict *tpl_dict_new(void);
void tpl_dict_free(tpl_dict *d);
/* Sets variable `name` to a copy of value[0..len) (or the NUL-terminated
 * value with tpl_dict_set). Later sets replace earlier ones. */
void tpl_dict_set(tpl_dict *d, const char *name, const char *value);
void tpl_dict_set_len(tpl_dict *d, const char *name, const char *value, size_t len);
void tpl_dict_set_int(tpl_dict *d, const char *name, long value);
/* Sets variable `name` to value[0..len) without copying: the caller keeps
 * ownership and the bytes must stay unchanged while d renders (for a page's
 * rendered HTML, which would otherwise be copied once per layout). */
void tpl_dict_set_ref(tpl_dict *d, const char *name, const char *value, size_t len);
/* A slot: a variable whose value is a place in the output rather than text.
 * Rendering it appends nothing and records where it would have gone (see
 * tpl_render_slots). It must be written {{NAME}} or {{NAME:none}}: escaping
 * would change text that is not there yet, so any other modifier (written,
 * added by auto-escaping, or those of an include it is rendered in) is a
 * render error naming the variable. Setting a value replaces a slot and a
 * slot replaces a value. `id` is the caller's, returned as is. */
void tpl_dict_set_slot(tpl_dict *d, const char *name, size_t id);
/* Sets a template-global value (upstream SetTemplateGlobalValue): visible
 * from every dictionary of d's tree, include dictionaries too, after their
 * own values and their parents'. */
void tpl_dict_set_template_global(tpl_dict *d, const char *name, const char *value, size_t len);
/* The value of variable `name` set in d itself (not its parents or the
 * shared dictionary): borrowed from d, valid while d is; its length in
 * *len (may be NULL). NULL when d sets none (or a slot). */
const char *tpl_dict_get(const tpl_dict *d, const char *name, size_t *len);
/* Shows section `name` once (with this dictionary's values) if it is not
 * already shown by a child dictionary. */
void tpl_dict_show_section(tpl_dict *d, const char *name);
/* Adds one repetition of section `name` and returns its dictionary (borrowed,
 * owned by d). Sections repeat once per added dictionary, in order. */
tpl_dict *tpl_dict_add_section(tpl_dict *d, const char *name);
/* Makes dictionary i (0 <= i < n) of a lazy section, a fresh dictionary
 * under the section's (see tpl_dict_add_lazy_section). */
typedef void (*tpl_fill_fn)(const void *ctx, size_t i, tpl_dict *d);
/* charter extension: section `name` of d repeats n times, and its
 * dictionaries are not kept: each is made by fill(ctx, i, kid) when a render
 * reaches it, and freed once that is done with it. It renders as the same
 * section made with tpl_dict_add_section would, but a list of every page
 * holds one entry at a time. A digest feeds what fill sets as it sets it,
 * into a dictionary that keeps nothing (so fill must not read kid back):
 * the same fill of the same values digests alike. ctx[0..ctx_size) is
 * copied into d's tree. With n 0 nothing is added. fill reads only what
 * outlives d, sets no template-global values, and may run on several
 * threads at once (as d may be rendered). Adding to the section afterwards
 * replaces it. */
void tpl_dict_add_lazy_section(tpl_dict *d, const char *name, size_t n, tpl_fill_fn fill,
                               const void *ctx, size_t ctx_size);
/* The digest of dictionary i of a lazy section, as 64 hex digits and a NUL:
 * of what its fill sets, made ahead once for the many sections that list
 * it. */
typedef void (*tpl_key_fn)(const void *ctx, size_t i, char key[65]);
/* As tpl_dict_add_lazy_section, but a digest of d feeds `variant` and each
 * key(ctx, i) instead of running fill: key(ctx, i) must differ whenever
 * fill(ctx, i, kid) would set other values, and `variant` whenever it
 * would set them under other names. */
void tpl_dict_add_lazy_section_keyed(tpl_dict *d, const char *name, size_t n, tpl_fill_fn fill,
                                     tpl_key_fn key, const char *variant, const void *ctx,
                                     size_t ctx_size);
/* Marks d's keyed lazy section `name` (if any) as one whose rows a render
 * with tpl_marks.rows leaves to its caller (tpl_rows_fn): for rows large
 * enough to be worth a segment of their own each. */
void tpl_dict_rows_apart(tpl_dict *d, const char *name);
/* Makes room for n names (values, sections and includes together) in d, so
 * that a dictionary whose size is known does not leave the smaller tables
 * it grew through in its tree's arena (an entry per page of the site in the
 * shared values: 10 MB at 10,000 pages). Only a size hint. */
void tpl_dict_reserve(tpl_dict *d, size_t n);
/* Adds a dictionary for include marker `name` that renders template file
 * `filename` (relative to the set's directory); borrowed, owned by d.
 * Lookups from an include dictionary do not reach d (the include boundary)
 * but do reach template-global and global values. */
tpl_dict *tpl_dict_add_include(tpl_dict *d, const char *name, const char *filename);

/* charter extension: makes `shared` (a separate, read-only tree, e.g. the
 * site-wide values built once for all pages) the last place lookups from
 * d's tree go, for variables, sections and includes. Lookups inside shared's
 * sections see only shared's own tree. shared is borrowed: it must outlive
 * every render with d, and may be used by several threads at once. */
void tpl_dict_set_shared(tpl_dict *d, const tpl_dict *shared);

/* Feeds everything d's tree holds to `add` (names, values, sections and
 * includes in order, template-globals; not the shared tree, whose digest
 * the caller adds once): two trees fed alike render alike through the same
 * template. A value set by reference is fed its bytes. */
void tpl_dict_digest(const tpl_dict *d, void (*add)(void *ctx, const void *data, size_t len),
                     void *ctx);

/* --- templates --------------------------------------------------------------- */
/* Returns a new set that loads templates from directory `dir`. With
 * `auto_includes`, an include marker {{>NAME}} that has no include dictionary
 * renders `_includes/<name lowercased>.html` with the current dictionary (a
 * charter extension used by layouts; off for upstream-exact rendering); with
 * TPL_AUTO_REQUIRED that file must exist when the template loads (layouts
 * have no include dictionaries, so a missing one is an error at once).
 * Caller frees with tpl_set_free, which frees every template it loaded. */
enum { TPL_AUTO_REQUIRED = 2 };
tpl_set *tpl_set_new(const char *dir, tpl_strip strip, int auto_includes);
void tpl_set_free(tpl_set *s);
/* How a set reads its files (charter reads every source through one checked
 * door, fs_read_source). The reader appends the text of `name` (relative to
 * the set's dir) to out and returns 0; or returns -1 with *missing set when
 * there is no such file (nothing reported), or -1 after reporting why it
 * cannot be read. It may append to `shown` (empty on entry) the name that
 * diagnostics give the file when that is not its path in the set's dir (a
 * file compiled into the binary). Without a reader, files are read directly:
 * regular files only, inside the set's dir once links are resolved. Set
 * before loading. */
typedef int (*tpl_reader)(void *ctx, const char *name, buf *out, buf *shown, int *missing,
                          diags *d);
void tpl_set_reader(tpl_set *s, tpl_reader fn, void *ctx);
/* Sets a global value (upstream TemplateDictionary::SetGlobalValue, scoped to
 * the set): looked up last, after a dictionary's own values, its parents' and
 * the template-globals, from every template the set renders. Set globals
 * before rendering: the set is read-only while it renders. */
void tpl_set_global(tpl_set *s, const char *name, const char *value, size_t len);

/* Loads and compiles `name` (a path relative to the set's dir) and every file
 * it includes statically, once; later calls return the cached template.
 * Returns a template borrowed from the set, or NULL after reporting errors
 * (file:line:col, ids template-syntax, template-include) through d.
 * Not thread-safe: load everything before rendering in parallel. */
tpl *tpl_set_load(tpl_set *s, const char *name, diags *d);
/* Compiles a template from memory under `name` (for tests and layouts whose
 * front matter was stripped: `line_offset` is added to reported lines).
 * Returns it borrowed from the set, or NULL after reporting errors. */
tpl *tpl_set_add(tpl_set *s, const char *name, const char *text, size_t len, int line_offset,
                 diags *d);
/* As tpl_set_add, naming the template `shown` in diagnostics (NULL: its
 * path in the set's dir, as tpl_set_add does). */
tpl *tpl_set_add_shown(tpl_set *s, const char *name, const char *shown, const char *text,
                       size_t len, int line_offset, diags *d);

/* Whether t, or a template it includes (auto includes, resolved when it
 * was loaded), has a marker named `name`: a variable, a section or an
 * include. What a render of t can look up in a dictionary by that name
 * (sections are entered only through their own marker). */
int tpl_mentions(const tpl *t, const char *name);

/* Renders t with dictionary `dict`, appending to out. Returns 0, or -1 after
 * reporting through d (e.g. an include that cannot be loaded). Slots expand
 * to nothing, and are errors where tpl_render_slots would refuse them. */
int tpl_render(const tpl *t, const tpl_dict *dict, buf *out, diags *d);

/* Where a slot expanded. */
typedef struct tpl_slot {
    size_t offset; /* byte offset in the rendered output */
    size_t id;     /* as given to tpl_dict_set_slot */
} tpl_slot;

/* The slots a render expanded; zero-initialise, free with tpl_slots_release. */
typedef struct tpl_slots {
    tpl_slot *v; /* in output order */
    size_t n, cap;
} tpl_slots;
/* Frees the entries and leaves s empty and reusable. Accepts NULL. */
void tpl_slots_release(tpl_slots *s);

/* As tpl_render, also recording every slot expanded, in output order, with
 * offsets into `out` (counted from out->len at the call): splicing each
 * slot's text into the output at its offset, last first, gives what
 * tpl_render would give with the texts as values, except that a slot inside
 * an indented include is not indented (upstream would indent every line of
 * a value there). A slot may expand several times (in a repeated section),
 * or never. `slots` is emptied first (keeping its memory) and is owned by
 * the caller; NULL records nothing. Returns 0, or -1 after reporting
 * through d, with slots then empty. */
int tpl_render_slots(const tpl *t, const tpl_dict *dict, buf *out, tpl_slots *slots, diags *d);

/* Where a watched value was rendered, or a row (tpl_rows_fn) went. */
typedef struct tpl_mark {
    size_t offset; /* byte offset in the rendered output */
    size_t len;    /* its length there, through its modifiers */
    size_t which;  /* index into tpl_marks.watch, or TPL_MARK_ROW* */
    char key[65];  /* a row's: as tpl_row_fn wrote it ("" for a value) */
} tpl_mark;

/* A row rendered here, len bytes long; a row left out (len 0): its caller
 * holds its text, which goes at offset. */
#define TPL_MARK_ROW ((size_t)-1)
#define TPL_MARK_ROW_KEPT ((size_t)-2)

/* charter extension: the rows of the sections marked apart
 * (tpl_dict_rows_apart) left to the caller, for a render with
 * tpl_marks.rows. Such a section's rows are taken apart where it renders
 * straight into the output (not through an include's modifiers, not inside
 * another row, without a separator). Its rows begin with rows_begin: where
 * names the section's marker (its template and place there), variant is
 * the section's, and context[0..len) is what its rows read beside their
 * own dictionaries, as bytes: for every name the section's text uses (its
 * variables, sections and includes, those of the templates it includes
 * without a dictionary too), what each dictionary a lookup of it would go
 * through holds of it, from the section's on to its tree's root and
 * through its shared tree, and its template-globals. Then rows is asked
 * for each row, with the row's key (tpl_key_fn): it writes the row's own
 * key (made from these) into full, 64 hex digits and a NUL, and returns 1
 * when the caller holds the text of a row of that key: the row is then
 * neither made nor rendered, and is marked TPL_MARK_ROW_KEPT where it
 * goes; else 0, and it is rendered and marked TPL_MARK_ROW. */
typedef void (*tpl_rows_fn)(void *ctx, const char *where, const char *variant, const void *context,
                            size_t len);
typedef int (*tpl_row_fn)(void *ctx, const char *key, char full[65]);

#define TPL_MARKS_WATCH 4
/* Zero-initialise, set watch and n_watch (and rows), free with
 * tpl_marks_release. */
typedef struct tpl_marks {
    /* The values to mark, by address: as tpl_dict_get returns them. */
    const char *watch[TPL_MARKS_WATCH];
    size_t n_watch;
    /* NULL: every row rendered in place, none marked. */
    tpl_rows_fn rows_begin;
    tpl_row_fn rows;
    void *rows_ctx;
    tpl_mark *v; /* in output order */
    size_t n, cap;
    /* A watched value was rendered where its place in the output is not
     * known (through an include's modifiers or its indentation), or inside
     * a row; or a row's text would not be its own where it goes (indented
     * with an include). A render that left rows out must then be made
     * again without. */
    int lost;
    size_t kept; /* rows left out (TPL_MARK_ROW_KEPT) */
} tpl_marks;
/* Frees the marks (not watch) and leaves m empty and reusable. Accepts
 * NULL. */
void tpl_marks_release(tpl_marks *m);

/* As tpl_render_slots (slots may be NULL), also recording in `marks`
 * (emptied first, keeping its memory and watch) every place a watched
 * value was rendered, with offsets counted from out->len at the call.
 * Returns 0, or -1 after reporting through d. */
int tpl_render_marked(const tpl *t, const tpl_dict *dict, buf *out, tpl_slots *slots,
                      tpl_marks *marks, diags *d);

#endif
