/* layout: the theme's layouts (layouts/<name>.html, the site's own or the
 * default theme's), loaded and compiled at load, each with the parent it
 * names in its front matter (`layout:`, Jekyll style), so render only walks
 * chains: a page's HTML becomes the first layout's CONTENT, whose output
 * becomes its parent's CONTENT. */
#ifndef CHARTER_LAYOUT_H
#define CHARTER_LAYOUT_H

#include "buf.h"
#include "diag.h"
#include "template.h"

struct site;
typedef struct layout layout;
typedef struct layouts layouts;

/* The layouts of the generated pages, by name ("soa" for /soa/...). */
extern const char *const layout_generated[];

/* Loads and compiles the layout of every published page of s, then every
 * generated page's layout the theme has. A layout or include is the site's
 * file (read through fs_read_source) or, when the site has none of that
 * name, the default theme's (embed.h). A page naming a layout neither has
 * is warned about at its `layout:` key (id unknown-layout) and rendered
 * with `policy`; a layout naming a missing parent is an error. Returns a
 * new table (caller frees with layouts_free); never NULL. */
layouts *layouts_load(const struct site *s, diags *d);
void layouts_free(layouts *ls);

/* The digest (hex, borrowed) of every template text the theme read at
 * load, layouts and includes, with their names and the strip setting: a
 * page rendered from the same dictionary through a theme of the same
 * digest is the same page. */
const char *layouts_digest(const layouts *ls);
/* The layout's name ("policy"); borrowed. */
const char *layout_name(const layout *l);
/* Whether l or a layout it sits in (or what they include) mentions
 * SECTIONS, the site-wide list of every section and its pages: only such a
 * layout's pages are rendered with it (gen_shared). 0 for NULL. */
int layout_lists_sections(const layout *l);
/* Whether l or a layout it sits in (or what they include) mentions
 * RECENT_CHANGES or HAS_RECENT_CHANGES: a page of the site's own rendered
 * with it (a home page from content/index.md) is given what the generated
 * pages show of the build (vars_site_build), and keyed by it. 0 for NULL. */
int layout_shows_changes(const layout *l);

/* True when the theme has layouts/<name>.html (loaded or not). */
int layouts_has(const layouts *ls, const char *name);
/* The compiled layout `name` (borrowed), or NULL when it is missing or did
 * not load (reported by layouts_load). */
const layout *layouts_get(const layouts *ls, const char *name);

/* The layout a page naming `name` is rendered with (borrowed): that one,
 * or when no theme has it (warned at load) `policy` for a policy (the
 * `policies:` rule selects it) and the site's default_layout for another
 * page; NULL when it did not load (reported by layouts_load). */
const layout *layouts_for_page(const layouts *ls, const char *name, int policy);

/* Renders d through l and its parents. *html holds the first CONTENT (may
 * be empty) and, on return, the page. Thread-safe for distinct d. Returns
 * 0, or -1 after a render error was reported. */
int layout_render(const layout *l, tpl_dict *d, buf *html, diags *dg);
/* As layout_render from an empty CONTENT, recording where d's slots expand
 * in the finished page (see tpl_render_slots): through each parent, CONTENT
 * is a slot and the child's slots move with it. With marks (may be NULL),
 * where its watched values went too (as layout_render_marked, all four
 * watched). */
int layout_render_slots(const layout *l, tpl_dict *d, buf *html, tpl_slots *slots, tpl_marks *marks,
                        diags *dg);
/* As layout_render, recording in marks (see tpl_render_marked; at most
 * TPL_MARKS_WATCH - 1 watched: CONTENT takes one) where the watched values
 * went in the finished page: through each parent, the child's marks move
 * with its CONTENT, and are lost where a modifier changed it. With
 * marks->rows, the rows each layout leaves to it (tpl_row_fn) are marked
 * too, and counted in marks->kept. */
int layout_render_marked(const layout *l, tpl_dict *d, buf *html, tpl_marks *marks, diags *dg);

#endif
