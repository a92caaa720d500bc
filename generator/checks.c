/* checks: cross-reference and review checks over the site model. Each check
 * walks the pages once with hash lookups (pages by URL and source path,
 * controls by id, static files by output path), so a 10,000-page site costs
 * linear time; the results go to the diagnostics sink like every stage's. */
#include "checks.h"

#include "crosswalk.h"
#include "map.h"
#include "parse.h"
#include "pool.h"
#include "paths.h"
#include "plan.h"
#include "yamltree.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const check_info table[] = {
    /* Front matter */
    {"frontmatter-unterminated", DIAG_ERROR, 0,
     "front matter is opened with '---' (or '+++') but never closed",
     "Close the front matter with a line holding only '---' (or '+++')."},
    {"yaml-syntax", DIAG_ERROR, 0, "front matter or a YAML file does not parse",
     "Fix the YAML at the position shown."},
    {"toml-syntax", DIAG_ERROR, 0, "TOML front matter (Hugo's '+++' block) does not parse",
     "Fix the TOML at the position shown."},
    {"yaml-duplicate-key", DIAG_ERROR, 0, "a YAML mapping repeats a key",
     "Keep one of the keys: YAML would silently use the last."},
    {"yaml-alias", DIAG_ERROR, 0, "YAML aliases and anchors are not accepted",
     "Write the value out; aliases are refused so no input can blow up memory."},
    {"yaml-unsupported", DIAG_ERROR, 0,
     "a YAML construct charter does not read (tags, complex keys)",
     "Use plain scalars, lists and mappings."},
    {"json", DIAG_ERROR, 0,
     "JSON that does not parse: an OSCAL file site.yml names, or a page's JSON front matter",
     "Fix the JSON at the position shown: it must be UTF-8, with no key repeated in an object."},
    {"invalid-type", DIAG_ERROR, 0, "a front matter key has the wrong type",
     "Give the key the type the message names (a list, a string, a date...)."},
    {"invalid-date", DIAG_ERROR, 0, "a date that does not exist or is not YYYY-MM-DD",
     "Write the date as YYYY-MM-DD, a real day."},
    {"invalid-utf8", DIAG_ERROR, 0, "a page's text is not valid UTF-8",
     "Save the file as UTF-8; the message gives the first bad byte."},
    {"control-character", DIAG_WARNING, 1,
     "a control character in a page's or a layout's text (pasted from a word processor or a "
     "terminal), which HTML does not allow",
     "Delete the character at the position shown (an editor may show it as ^K or <0x0b>); "
     "to break a line, end it with two spaces or a backslash."},
    {"conflict-marker", DIAG_ERROR, 0,
     "an unresolved merge conflict: git's <<<<<<<, ======= and >>>>>>> lines in a page",
     "Resolve the conflict: keep the text meant, remove the three marker lines, commit."},
    {"invalid-permalink", DIAG_ERROR, 0,
     "a permalink that leaves the site, is not a path, or is a template charter does not fill in",
     "Use a path such as /policies/access/ (no scheme, host, '..', query or template)."},
    {"missing-required-key", DIAG_ERROR, 1, "a policy lacks a key site.yml `required` lists",
     "Add the key to the page's front matter (or change `required` in site.yml)."},
    {"placeholder", DIAG_ERROR, 1, "a front matter value is a placeholder (TBD, TODO) or empty",
     "Fill in the real value, or remove the key until it is known."},
    {"unknown-status", DIAG_ERROR, 1, "`status` is not draft, approved or retired",
     "Use one of draft, approved, retired."},
    {"unknown-section", DIAG_WARNING, 1, "site.yml's `sections` lists a section the site lacks",
     "Spell it as the section's title (its folder's name, humanized), or remove it."},
    {"unknown-setting", DIAG_WARNING, 1,
     "a setting of site.yml is spelt like one of charter's but is not one",
     "Correct its name; a name that is the team's own, for the layouts, can stay (tune this "
     "check off)."},
    {"mdx-page", DIAG_WARNING, 1,
     "an MDX page (.mdx) in the content folder, which charter neither reads nor publishes",
     "Rename it to .md if it is plain Markdown, or exclude it (exclude: [\"*.mdx\"])."},
    {"no-pages", DIAG_WARNING, 1, "the site has no page: its content folder holds no Markdown file",
     "Point `content:` in site.yml at the folder of the pages, or commit the pages git ignores."},
    {"lfs-pointer", DIAG_WARNING, 1,
     "a file of the site is a Git LFS pointer, not the file it stands for",
     "Fetch the files before the build: 'git lfs pull', or actions/checkout with lfs: true."},
    {"no-policies", DIAG_WARNING, 1,
     "the site has pages but none is a policy, so no owner or review date is checked",
     "Give the policies 'owner:' and 'last_reviewed:' in their front matter, or name them in "
     "site.yml's `policies:` rule (paths, layouts or keys)."},
    {"unknown-layout", DIAG_WARNING, 1, "a page or layout names a layout that does not exist",
     "Create layouts/<name>.html or use an existing layout."},
    {"template-syntax", DIAG_ERROR, 0, "a layout does not compile",
     "Fix the template at the position shown (docs/templates.md)."},
    {"template-include", DIAG_ERROR, 0, "a layout includes something it cannot",
     "Fix the include: a missing file, a cycle, or a path outside layouts/."},
    /* Controls */
    {"unknown-control", DIAG_ERROR, 1, "a page cites a control id no active catalog defines",
     "Correct the id (the message suggests the nearest one) or add the framework to "
     "`frameworks`."},
    {"ambiguous-control", DIAG_ERROR, 1, "a plain id that several active frameworks define",
     "Qualify it with its framework: iso27001-2013:A.9.2.1, soc2:CC6.1."},
    {"noncanonical-control", DIAG_ERROR, 1,
     "a control id that is not in the catalog as written, though a known misspelling of one",
     "Write the id as the catalog does (A.5.15, not A.05.15 or A5.15), or declare what you "
     "mean in control_aliases."},
    {"not-applicable-control", DIAG_WARNING, 1,
     "a page cites a control the statement of applicability excludes",
     "Remove the citation, or mark the control applicable in controls/applicability.yml."},
    {"missing-justification", DIAG_WARNING, 1,
     "a control the statement of applicability excludes has no justification",
     "Add `justification:` to its entry in controls/applicability.yml: why the control does not "
     "apply (ISO/IEC 27001 6.1.3 d)."},
    {"uncovered-control", DIAG_ERROR, 1, "an applicable control that no page in force cites",
     "Cite it from the policy in force that implements it, or mark it not applicable with a "
     "justification."},
    {"unknown-applicability", DIAG_ERROR, 1,
     "controls/applicability.yml has an entry for an id in no active catalog",
     "Correct the id, or remove the entry."},
    {"duplicate-control", DIAG_ERROR, 1, "a catalog defines the same id twice",
     "Keep one definition."},
    {"oscal-profile", DIAG_WARNING, 1, "an OSCAL profile selects a control its catalog lacks",
     "Import the catalog the profile was written for, or accept that those controls are "
     "not in it."},
    /* Links */
    {"heading-without-space", DIAG_WARNING, 1,
     "a line that starts like a heading but has no space after its '#'",
     "Put a space after the hashes ('# Foreword'), as Markdown headings need."},
    {"liquid-tag", DIAG_WARNING, 1, "a Liquid tag or variable ({% include %}, {{ site.title }})",
     "Write out what the tag produced; only {% highlight %} and {% raw %} are read."},
    {"broken-link", DIAG_ERROR, 1, "a link to a page or path of the site that does not exist",
     "Point the link at an existing page: a relative .md path, its permalink or its URL."},
    {"broken-fragment", DIAG_ERROR, 1, "a #fragment that names no heading of its target page",
     "Use the heading id the target page has (shown in its table of contents)."},
    {"missing-file", DIAG_ERROR, 1, "a link or image to a static file that does not exist",
     "Add the file or correct the path."},
    {"link-without-scheme", DIAG_WARNING, 1,
     "a link that looks like a web address without https:// (read as a relative path)",
     "Write the full address: https://www.example.com."},
    {"duplicate-url", DIAG_ERROR, 1, "two pages (or a page and a file) get the same URL",
     "Change a permalink or rename a file."},
    {"url-case-collision", DIAG_ERROR, 1,
     "two outputs whose paths differ only in letter case (they collide on macOS and Windows)",
     "Rename one of them."},
    /* Reviews */
    {"review-overdue", DIAG_ERROR, 1, "a policy's next review date has passed",
     "Review the policy and update `last_reviewed` (or set `next_review`)."},
    {"review-due-soon", DIAG_WARNING, 1, "a policy's next review falls within `review.warn_within`",
     "Plan the review; the warning turns into review-overdue on the date."},
    {"review-in-future", DIAG_ERROR, 1, "`last_reviewed` is later than today",
     "Correct the date: a review cannot have happened yet."},
    /* Evidence: the git history (checks_history.c, docs/evidence.md) */
    {"unapproved-change", DIAG_ERROR, 1,
     "a policy change with no approval evidence (on with evidence.require_approval)",
     "Merge policy changes through pull or merge requests, or record the approver with an "
     "`Approved-by:` trailer; evidence.approval_since in site.yml leaves older changes out."},
    {"version-rule", DIAG_ERROR, 1,
     "a policy's newest change breaks site.yml's versioning rule for its Change-Type (on with "
     "a versioning section)",
     "Bump `version:` as site.yml `versioning` asks for the change's type (material: major, "
     "minor: minor), or correct its `Change-Type:`."},
    /* Structure */
    {"orphan-page", DIAG_WARNING, 1, "a page no page links to and no navigation reaches",
     "Link to it from a related page, or give it a section."},
    /* Safety: inputs charter refuses to read or write (docs/security.md) */
    {"unsafe-link", DIAG_ERROR, 0, "a symbolic link that leads outside the site",
     "Copy the file into the site, or remove the link: charter reads nothing outside the site."},
    {"symlink-loop", DIAG_ERROR, 0,
     "a symbolic link to a folder that contains it, or to a folder already in the site",
     "Remove the link; each folder is published once."},
    {"special-file", DIAG_ERROR, 0, "a FIFO, socket or device where a file is expected",
     "Remove it: only regular files are read."},
    {"bad-file-name", DIAG_ERROR, 0, "a file name with a newline or another control character",
     "Rename the file."},
    {"too-large", DIAG_ERROR, 0, "a file, front matter or value over its limit in site.yml",
     "Make it smaller, or raise the limit under `limits:` in site.yml (docs/security.md)."},
    {"time-limit", DIAG_ERROR, 0,
     "a page's Markdown or the git history took longer than its limit; the build stops",
     "Simplify the page the message names, or raise `limits.page_seconds` or "
     "`limits.history_seconds` (docs/security.md)."},
    {"output-collision", DIAG_ERROR, 0,
     "an output path that two outputs claim, or that one needs as a folder where another is a "
     "file (a page at /feed.xml/, a file at a theme asset's path)",
     "Change the page's permalink, or move the file; the message names both."},
};

#define N_TABLE (sizeof table / sizeof *table)

const check_info *checks_table(size_t *n)
{
    *n = N_TABLE;
    return table;
}

const check_info *checks_find(const char *id)
{
    for (size_t i = 0; i < N_TABLE; i++)
        if (!strcmp(table[i].id, id))
            return &table[i];
    return NULL;
}

/* --- controls -------------------------------------------------------------------- */

/* Why an uncovered control's citing pages do not count, into out: ": it is
 * cited only by 'x.md', a draft" (its first three). */
static void not_in_force(buf *out, const site *s, const control *ctl)
{
    size_t n;
    const page *const *by = site_cited_by(s, ctl, &n);
    for (size_t k = 0; k < n && k < 3; k++)
        buf_printf(out, "%s '%s', %s", k ? "," : " in force: it is cited only by", by[k]->src,
                   by[k]->status && !strcmp(by[k]->status, "retired") ? "retired" : "a draft");
    if (n > 3)
        buf_printf(out, " and %zu more", n - 3);
}

/* Appends "; through a crosswalk, 'A.5.1' (iso27001-2022) covers it only in
 * part" for the cited controls that cover ctl in part. */
static void partial_cover(buf *out, const site *s, const control *ctl)
{
    size_t nl, n, shown = 0;
    const xw_link *l = crosswalks_links(s->crosswalks, ctl, &nl);
    for (size_t i = 0; i < nl; i++) {
        site_cited_by(s, l[i].other, &n);
        if (!n || crosswalk_rel_covers(l[i].rel))
            continue;
        buf_printf(out, "%s'%s' (%s)", shown++ ? ", " : "; through a crosswalk, ", l[i].other->id,
                   l[i].other->framework);
    }
    if (shown)
        buf_printf(out, " cover%s it only in part", shown == 1 ? "s" : "");
}
/* The id to suggest for `written`, in the form it was written: with its
 * framework prefix ("iso27001:A.5.1" for "iso27001:A.05.01") when it had
 * one and the id found has none. In out (reset); returns out's text. */
static const char *as_written(buf *out, const char *written, const char *id)
{
    buf_reset(out);
    const char *colon = strchr(written, ':');
    if (colon && !strchr(id, ':'))
        buf_add(out, written, (size_t)(colon - written) + 1);
    buf_adds(out, id);
    return out->data;
}

/* charter's built-in catalogs, read when a finding first needs them. */
typedef struct builtin_lookup {
    const site *s;
    catalog *all;
    int tried;
} builtin_lookup;

/* The built-in framework the site does not use that is called `name`
 * (length n), or that holds the control `id` when name is NULL; NULL when
 * none is. */
static const framework *unused_framework(builtin_lookup *b, const char *name, size_t n,
                                         const char *id)
{
    if (!b->tried) {
        b->all = site_builtin_catalogs(b->s);
        b->tried = 1;
    }
    size_t nb, na;
    const framework *fb = b->all ? catalog_frameworks(b->all, &nb) : NULL;
    const framework *fa = catalog_frameworks(b->s->catalog, &na);
    buf q;
    buf_init(&q);
    const framework *found = NULL;
    for (size_t i = 0; fb && i < nb && !found; i++) {
        int used = 0;
        for (size_t k = 0; k < na && !used; k++)
            used = !strcmp(fa[k].id, fb[i].id);
        if (used)
            continue;
        if (name) {
            if (strlen(fb[i].id) == n && !strncmp(fb[i].id, name, n))
                found = &fb[i];
        } else {
            buf_reset(&q);
            buf_printf(&q, "%s:%s", fb[i].id, id);
            if (catalog_find(b->all, q.data))
                found = &fb[i];
        }
    }
    buf_release(&q);
    return found;
}

static void check_controls(const site *s, diags *d)
{
    const catalog *c = s->catalog;
    if (!c)
        return;
    map *covered = map_new(); /* control pointer as "framework:id" -> 1 */
    builtin_lookup builtin = {s, NULL, 0};
    const framework *other;
    buf canon, q;
    buf_init(&canon);
    buf_init(&q);
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok || !p->controls)
            continue;
        for (size_t j = 0; j < yamltree_len(p->controls); j++) {
            const yaml_node *v = yamltree_item(p->controls, j);
            const control *ctl = NULL;
            buf_reset(&canon);
            switch (catalog_resolve(c, yamltree_text(v), &ctl, &canon)) {
            case CONTROL_UNKNOWN: {
                buf_reset(&q);
                const char *id = yamltree_text(v), *colon = strchr(id, ':');
                if (!catalog_knows_prefix(c, id)) {
                    size_t nf;
                    const framework *fw = catalog_frameworks(c, &nf);
                    for (size_t f = 0; f < nf; f++)
                        buf_printf(&q, "%s%s", f ? ", " : "", fw[f].id);
                    other = unused_framework(&builtin, id, (size_t)(colon - id), NULL);
                    if (other && !catalog_find(builtin.all, id))
                        diag_error(d, p->src, yamltree_line(v), yamltree_col(v), "unknown-control",
                                   "unknown control '%s': the site does not use charter's '%s' "
                                   "catalog (%s), and it has no control '%s' either",
                                   id, other->id, other->name ? other->name : other->id, colon + 1);
                    else if (other)
                        diag_error(d, p->src, yamltree_line(v), yamltree_col(v), "unknown-control",
                                   "unknown control '%s': the site does not use charter's '%s' "
                                   "catalog (%s); add %s to 'frameworks' in site.yml (it has %s)",
                                   id, other->id, other->name ? other->name : other->id, other->id,
                                   q.len ? q.data : "none");
                    else
                        diag_error(d, p->src, yamltree_line(v), yamltree_col(v), "unknown-control",
                                   "unknown control '%s': no framework of the site is called "
                                   "'%.*s' (it has %s; see framework_aliases)",
                                   id, (int)(colon - id), id, q.len ? q.data : "none");
                } else if (!colon && (other = unused_framework(&builtin, NULL, 0, id)))
                    diag_error(d, p->src, yamltree_line(v), yamltree_col(v), "unknown-control",
                               "unknown control '%s': it is a control of '%s' (%s), which the "
                               "site does not use; add %s to 'frameworks' in site.yml",
                               id, other->id, other->name ? other->name : other->id, other->id);
                else if (catalog_suggest(c, yamltree_text(v), &q))
                    diag_error(d, p->src, yamltree_line(v), yamltree_col(v), "unknown-control",
                               "unknown control '%s'; did you mean '%s'?", yamltree_text(v),
                               as_written(&canon, yamltree_text(v), q.data));
                else
                    diag_error(d, p->src, yamltree_line(v), yamltree_col(v), "unknown-control",
                               "unknown control '%s'", yamltree_text(v));
                continue;
            }
            case CONTROL_AMBIGUOUS:
                diag_error(d, p->src, yamltree_line(v), yamltree_col(v), "ambiguous-control",
                           "control '%s' is defined by %s; qualify it as '<framework>:%s'",
                           yamltree_text(v), canon.data, yamltree_text(v));
                continue;
            case CONTROL_NONCANONICAL:
                diag_error(d, p->src, yamltree_line(v), yamltree_col(v), "noncanonical-control",
                           "control '%s' is not in the catalog as written; did you mean '%s'? "
                           "(or declare it in 'control_aliases')",
                           yamltree_text(v), as_written(&q, yamltree_text(v), canon.data));
                continue;
            case CONTROL_EXACT:
                break;
            }
            if (!ctl->applicable)
                diag_warning(d, p->src, yamltree_line(v), yamltree_col(v), "not-applicable-control",
                             "control '%s' is marked not applicable in the statement of "
                             "applicability",
                             ctl->id);
            /* A draft's controls are planned, a retired page's no longer
             * met: neither covers (site_page_in_force); nor does a page the
             * site does not publish (published: false, a chapter its
             * navigation.order leaves out), which no reader sees. */
            if (!site_page_in_force(p) || !p->published)
                continue;
            buf_reset(&q);
            buf_printf(&q, "%s:%s", ctl->framework, ctl->id);
            map_put(covered, q.data, (void *)ctl);
        }
    }
    size_t nf;
    const framework *fws = catalog_frameworks(c, &nf);
    /* Coverage is asked of the frameworks a site declares (or keeps the
     * catalogs of), not of ones charter chose by the ids cited. */
    if (s->frameworks_inferred)
        nf = 0;
    for (size_t f = 0; f < nf; f++) {
        for (size_t i = 0; i < fws[f].n_controls; i++) {
            const control *ctl = &fws[f].controls[i];
            if (!ctl->applicable) {
                /* ISO/IEC 27001 6.1.3 d): every exclusion is justified. */
                const char *why = ctl->justification;
                if (!why || !why[strspn(why, " \t\r\n")]) {
                    int soa = ctl->soa_line != 0;
                    diag_warning(d, soa ? ctl->soa_file : ctl->file,
                                 soa ? ctl->soa_line : ctl->line, soa ? ctl->soa_col : ctl->col,
                                 "missing-justification",
                                 "control '%s' (%s) is excluded without a justification; the "
                                 "statement of applicability must say why",
                                 ctl->id, ctl->title ? ctl->title : fws[f].name);
                }
                continue;
            }
            buf_reset(&q);
            buf_printf(&q, "%s:%s", ctl->framework, ctl->id);
            if (map_get(covered, q.data))
                continue;
            /* Covered through a crosswalk by a control that includes all
             * of it; one covering part of it is named, not counted. */
            coverage cov = site_coverage(s, ctl);
            if (cov == COVER_CROSSWALK)
                continue;
            buf_reset(&q);
            if (cov == COVER_PARTIAL)
                partial_cover(&q, s, ctl);
            else
                not_in_force(&q, s, ctl);
            if (ctl->soa_line)
                diag_error(d, ctl->soa_file, ctl->soa_line, ctl->soa_col, "uncovered-control",
                           "applicable control '%s' (%s) is covered by no policy%s", ctl->id,
                           ctl->title ? ctl->title : fws[f].name, q.len ? q.data : "");
            else
                diag_error(d, ctl->file, ctl->line, ctl->col, "uncovered-control",
                           "applicable control '%s' (%s) is covered by no policy%s", ctl->id,
                           ctl->title ? ctl->title : fws[f].name, q.len ? q.data : "");
        }
    }
    size_t no;
    const soa_orphan *o = catalog_soa_orphans(c, &no);
    for (size_t i = 0; i < no; i++)
        diag_error(d, o[i].file, o[i].line, o[i].col, "unknown-applicability",
                   "the statement of applicability lists '%s', which no active catalog defines",
                   o[i].id);
    map_free(covered);
    catalog_free(builtin.all);
    buf_release(&canon);
    buf_release(&q);
}

/* --- links ------------------------------------------------------------------------ */

typedef struct link_index {
    const parsed *parsed; /* the pages' headings and links */
    map *inbound;         /* page src -> 1, for pages some other page links to */
    map *headings;        /* page src -> map of its heading ids, built when first asked */
    map *unpublished;     /* the URL an unpublished page would have -> it, when first asked */
} link_index;

static int has_ext(const char *seg, size_t len)
{
    /* Files' extensions that are also top-level domains or look like one
     * (.md, .sh, .py, .rs) included: "backup.sh" is a script before it is
     * a host in Saint Helena. */
    static const char *const exts[] = {
        "md",   "mdx",  "markdown", "html", "htm",  "pdf",  "png", "jpg",  "jpeg", "gif",  "svg",
        "webp", "ico",  "txt",      "csv",  "tsv",  "css",  "js",  "mjs",  "ts",   "tsx",  "jsx",
        "json", "xml",  "yml",      "yaml", "toml", "ini",  "cfg", "conf", "sh",   "bash", "ps1",
        "bat",  "py",   "rb",       "go",   "rs",   "java", "tf",  "sql",  "log",  "rst",  "adoc",
        "doc",  "docx", "xls",      "xlsx", "ppt",  "pptx", "odt", "ods",  "rtf",  "pem",  "crt",
        "asc",  "gpg",  "zip",      "gz",   "tgz",  "xz",   "tar", "mp4",  "mov",  "mp3"};
    const char *dot = NULL;
    for (size_t i = 0; i < len; i++)
        if (seg[i] == '.')
            dot = seg + i;
    if (!dot)
        return 0;
    size_t el = (size_t)(seg + len - dot - 1);
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
        if (strlen(exts[i]) == el && !strncasecmp(dot + 1, exts[i], el))
            return 1;
    return 0;
}

/* "www.example.com/x" or "example.org": a first segment that is a host name
 * (dotted, ending in a 2-6 letter label) rather than a file. */
static int looks_like_host(const char *url)
{
    if (!strncasecmp(url, "www.", 4))
        return 1;
    size_t seg = strcspn(url, "/?#");
    const char *dot = NULL;
    for (size_t i = 0; i < seg; i++) {
        char ch = url[i];
        if (ch == '.')
            dot = url + i;
        else if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                   (ch >= '0' && ch <= '9') || ch == '-'))
            return 0;
    }
    if (!dot || dot == url || has_ext(url, seg))
        return 0;
    size_t tld = (size_t)(url + seg - dot - 1);
    if (tld < 2 || tld > 6)
        return 0;
    for (const char *t = dot + 1; t < url + seg; t++)
        if (!((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z')))
            return 0;
    return 1;
}

/* True if p has a heading with id frag, or a raw HTML tag with that id or
 * name (`<a name="x">`, kramdown's way). Each page's ids are hashed once,
 * so 10,000 fragment links to a long page cost linear time. */
static int has_heading(link_index *ix, const page *p, const char *frag)
{
    map *ids = map_get(ix->headings, p->src);
    if (!ids) {
        ids = map_new();
        const md_doc *doc = &parsed_page_at(ix->parsed, p->index)->doc;
        for (size_t i = 0; i < doc->n_headings; i++)
            map_put(ids, doc->headings[i].id, (void *)1);
        for (size_t i = 0; i < doc->n_anchors; i++)
            map_put(ids, doc->anchors[i], (void *)1);
        map_put(ix->headings, p->src, ids);
    }
    if (map_get(ids, frag))
        return 1;
    /* Footnote targets cmark-gfm writes ("fn-1", "fnref-1") count too. */
    return !strncmp(frag, "fn-", 3) || !strncmp(frag, "fnref-", 6);
}

/* A fragment that names no heading of p: its error, with the heading id
 * spelt most like it when one is near (a typo, or GitHub's id where
 * GitLab's is meant: "roles--responsibilities"). A page of more headings
 * than the bound is not searched: reported errors stay linear. */
static void report_fragment(const parsed *pp, const page *from, const md_link *l, const page *p,
                            const char *frag, diags *d)
{
    const md_doc *doc = &parsed_page_at(pp, p->index)->doc;
    /* GitHub's line anchors (#L7, #L7-L9), as written for its view of the
     * file: no place on the page here, but no mistake either. */
    size_t k = 0;
    if (frag[0] == 'L' && isdigit((unsigned char)frag[1])) {
        k = 1 + strspn(frag + 1, "0123456789");
        if (frag[k] == '-' && frag[k + 1] == 'L' && isdigit((unsigned char)frag[k + 2]))
            k += 2 + strspn(frag + k + 2, "0123456789");
    }
    if (k && !frag[k]) {
        diag_warning(d, from->src, l->line, l->col, "broken-fragment",
                     "'#%s' names a line of '%s' in GitHub's view of the file, no place on its "
                     "page here: the link leads to the page's top",
                     frag, p->src);
        return;
    }
    const char *meant = NULL;
    size_t n = doc->n_headings;
    if (n && n <= 1000) {
        const char **ids = xcalloc(n, sizeof *ids);
        for (size_t i = 0; i < n; i++)
            ids[i] = doc->headings[i].id;
        meant = diag_nearest(frag, ids, n, strlen(frag) >= 8 ? 2 : 1);
        free(ids);
    }
    if (meant)
        diag_error(d, from->src, l->line, l->col, "broken-fragment",
                   "'#%s' names no heading of '%s'; did you mean '#%s'?", frag, p->src, meant);
    else
        diag_error(d, from->src, l->line, l->col, "broken-fragment",
                   "'#%s' names no heading of '%s'", frag, p->src);
}

static void free_ids(void *ctx, const char *key, void *value)
{
    (void)ctx;
    (void)key;
    map_free(value);
}

/* Whether res, a path in the content directory, is a file or folder on
 * disk (published or not); its path from the site root in src. */
static int on_disk(buf *src, const site *s, const char *res)
{
    path_join(src, s->cfg.content, res);
    diags *quiet = diag_new(NULL);
    int kind = fs_source_kind(&s->fs, src->data, NULL, quiet);
    diag_free(quiet);
    return kind == FS_FILE || kind == FS_DIR;
}

/* Whether a relative link's path names something beside the page: a page,
 * a published file, a folder, or any file in the content directory (an
 * excluded `.mdx`, a script). "backup.sh" and "policy.mdx" look like host
 * names; a file of that name makes them links. */
static int relative_exists(const site *s, const page *p, const char *path)
{
    buf res, u;
    buf_init(&res);
    buf_init(&u);
    int found = 0;
    if (site_resolve(&res, s, p, path) == 0) {
        buf_printf(&u, "/%s", res.data);
        found = map_get(s->by_rel, res.data) || site_static_by_out(s, res.data) ||
                site_page_by_url(s, u.data) || site_folder_by_url(s, u.data);
        buf_reset(&u);
        if (!found)
            found = on_disk(&u, s, res.data);
    }
    buf_release(&res);
    buf_release(&u);
    return found;
}

/* A relative link to res that leads nowhere in the site: when the file is
 * there, left out (site.yml's exclude, a hidden name), said so rather than
 * "does not exist". Returns 1 when reported. */
static int report_unpublished(const site *s, const page *p, const md_link *l, const char *res,
                              diags *d)
{
    buf src, copy;
    buf_init(&src);
    buf_init(&copy);
    int there = on_disk(&src, s, res), folder = 0;
    /* With repository_url, the link leads to the repository's copy. */
    int repo = s->cfg.repository_url && *s->cfg.repository_url;
    size_t sl = src.len;
    int mdx = sl > 4 && !strcasecmp(src.data + sl - 4, ".mdx");
    /* A folder of files and no page (PDFs of evidence): published, with
     * no listing of them, as GitHub's view of the folder has. */
    size_t rl = strlen(res);
    int files_only = 0;
    for (size_t i = 0; there && !repo && i < s->n_statics && !files_only; i++)
        files_only = !strncmp(s->statics[i].out_file, res, rl) && s->statics[i].out_file[rl] == '/';
    if (files_only)
        diag_error(d, p->src, l->line, l->col, "broken-link",
                   "link '%s' names the folder '%s', which holds files but no page: the site "
                   "publishes the files, not a listing of them; link to a file, give the "
                   "folder an index.md, or set repository_url in site.yml to link to the "
                   "folder in the repository",
                   l->url, src.data);
    else if (there && !(repo && site_unpublished_file(&copy, &folder, s, res)))
        diag_error(d, p->src, l->line, l->col, "broken-link",
                   "link '%s' names '%s', which the site does not publish (%s)%s", l->url, src.data,
                   mdx ? "an MDX page, which charter does not read"
                       : "left out by site.yml's exclude, or a hidden name",
                   repo ? "" : "; set repository_url in site.yml to link to it in the repository");
    buf_release(&copy);
    buf_release(&src);
    return there;
}

/* The unpublished page (draft: true, published: false) whose URL would be
 * the path rest ("/a/b/", also "/a/b"), or NULL: a link there is a link
 * to a page the site leaves out, not to nothing. Their index is made when
 * a link first leads nowhere. */
static const page *unpublished_at(const site *s, link_index *ix, const char *rest)
{
    if (!ix->unpublished) {
        ix->unpublished = map_new();
        for (size_t i = 0; i < s->n_pages; i++) {
            const page *q = s->pages[i];
            if (q->ok && !q->published && q->url)
                map_put(ix->unpublished, q->url, (void *)q);
        }
    }
    const page *q = map_get(ix->unpublished, rest);
    if (!q && *rest && rest[strlen(rest) - 1] != '/') {
        buf slash;
        buf_init(&slash);
        buf_printf(&slash, "%s/", rest);
        q = map_get(ix->unpublished, slash.data);
        buf_release(&slash);
    }
    return q;
}

/* The page whose file a root-relative link names as a path in the content
 * ("/policies/draft.md") or in the repository ("/content/policies/draft.md"),
 * read or not, published or not; or NULL. */
static const page *page_of_file(const site *s, const char *path)
{
    if (path[0] != '/' || !path_md_ext(path, strlen(path)))
        return NULL;
    const page *q = map_get(s->by_rel, path + 1);
    size_t cl = strlen(s->cfg.content);
    if (!q && strcmp(s->cfg.content, ".") && !strncmp(path + 1, s->cfg.content, cl) &&
        path[1 + cl] == '/')
        q = map_get(s->by_rel, path + 2 + cl);
    return q;
}

/* Why the site does not publish p, for a link to it: "('x.md' is a draft
 * or not published)" or, with navigation.unlisted: omit, that the
 * navigation's file does not name it. */
static void why_unpublished(buf *out, const site *s, const page *p)
{
    if (p->resource)
        buf_printf(out,
                   "('%s' is a resource of the leaf bundle its folder's index.md makes, "
                   "which Hugo does not publish: leaf_bundles)",
                   p->src);
    else if (s->cfg.nav_omit_unlisted && !p->nav_place)
        buf_printf(out, "('%s' is not in '%s', and navigation.unlisted is omit)", p->src,
                   s->cfg.nav_order);
    else
        buf_printf(out, "('%s' is a draft or not published)", p->src);
}

/* The unpublished page whose file a root-relative link names, or NULL. */
static const page *unpublished_file(const site *s, const char *path)
{
    const page *q = page_of_file(s, path);
    return q && q->ok && !q->published ? q : NULL;
}

static void check_link(const site *s, const page *p, const md_link *l, link_index *ix, diags *d)
{
    const char *url = l->url;
    buf pathname;
    buf_init(&pathname);
    url = site_link_alias(&pathname, s, url); /* Docusaurus's pathname:///x, @site/x */
    if (!*url || url_is_external(url)) {
        buf_release(&pathname);
        return;
    }
    buf path, frag, res, tried;
    buf_init(&path);
    buf_init(&frag);
    buf_init(&res);
    buf_init(&tried);
    size_t n = strcspn(url, "?#");
    const char *hash = strchr(url, '#');
    /* Links name files percent-encoded ("data%20retention.md"); the site's
     * files and heading ids are compared decoded and in NFC. */
    if (site_link_target(&path, url, n) != 0 ||
        (hash && site_link_target(&frag, hash + 1, strlen(hash + 1)) != 0)) {
        diag_error(d, p->src, l->line, l->col, "broken-link",
                   "link '%s' holds '%%00', which no file or heading can have", l->url);
        goto done;
    }
    const page *target = NULL;
    if (!path.len) {
        target = p; /* "#x": this page */
    } else if (looks_like_host(path.data) && path.data[0] != '/' && path.data[0] != '.' &&
               !relative_exists(s, p, path.data)) {
        diag_warning(d, p->src, l->line, l->col, "link-without-scheme",
                     "link '%s' looks like a web address but has no scheme; write 'https://%s'",
                     url, url);
        goto done;
    } else if (path.data[0] == '/') {
        /* Root-relative: under base_url's path when it has one. */
        const char *bp;
        const char *rest = site_path_in_base(s, path.data, &bp);
        if (!rest) {
            /* Unless it names a page's file, as GitHub reads it. */
            target = site_link_page(s, p, path.data, NULL);
            const page *named = target ? NULL : page_of_file(s, path.data);
            if (named && !named->ok)
                goto done; /* its own error (its front matter) says why */
            const page *hidden = target ? NULL : unpublished_file(s, path.data);
            if (hidden) {
                why_unpublished(&tried, s, hidden);
                diag_error(d, p->src, l->line, l->col, "broken-link",
                           "link '%s' leads to an unpublished page %s", l->url, tried.data);
            } else if (!target)
                diag_error(d, p->src, l->line, l->col, "broken-link",
                           "link '%s' is outside the site (base_url is '%s')", l->url, bp);
            if (!target)
                goto done;
            goto found;
        }
        target = site_page_by_url(s, rest);
        if (!target) /* an old address of a page (aliases:), which sends there */
            target = plan_redirect(s->plan, rest);
        if (!target) {
            if (site_static_by_out(s, rest + 1) || site_folder_by_url(s, rest))
                goto done;
            buf_printf(&tried, "'%s'", rest);
            target = site_link_page(s, p, rest, &tried);
        }
        const page *hidden = target ? NULL : unpublished_at(s, ix, rest);
        if (!target && !hidden)
            hidden = unpublished_file(s, rest);
        if (hidden) {
            buf_reset(&tried);
            why_unpublished(&tried, s, hidden);
            diag_error(d, p->src, l->line, l->col, "broken-link",
                       "link '%s' leads to an unpublished page %s", l->url, tried.data);
            goto done;
        }
        if (!target) {
            if (has_ext(rest, strlen(rest)) || l->is_image)
                diag_error(d, p->src, l->line, l->col, "missing-file",
                           "link '%s' leads to no page or file of the site", l->url);
            else
                diag_error(d, p->src, l->line, l->col, "broken-link",
                           "link '%s' leads to no page or file of the site (tried %s)", l->url,
                           tried.data);
            goto done;
        }
    } else {
        /* Relative to the page's source file in the content directory. */
        if (site_resolve(&res, s, p, path.data) != 0) {
            /* As Jekyll reads it, from the page's pretty URL, it may not:
             * "../../" from /a/b/ is the home page. */
            target = site_link_page(s, p, path.data, NULL);
            if (target)
                goto found;
            /* A file of the repository outside the content (GitHub's
             * "../LICENSE" from docs/): a link to the repository's copy
             * when site.yml names the repository. */
            buf there;
            buf_init(&there);
            int folder = 0, outside = site_outside_content(&there, &folder, s, p, path.data);
            if (outside && !(s->cfg.repository_url && *s->cfg.repository_url))
                diag_error(d, p->src, l->line, l->col, "broken-link",
                           "link '%s' names '%s', outside the content directory, which the "
                           "site does not publish; set repository_url in site.yml to link to "
                           "it in the repository",
                           url, there.data);
            else if (!outside && !site_repository_above(&there, s, p, path.data))
                diag_error(d, p->src, l->line, l->col, "broken-link",
                           "link '%s' leaves the content directory", l->url);
            buf_release(&there);
            goto done;
        }
        size_t rl = res.len;
        if (path_md_ext(res.data, rl)) {
            target = map_get(s->by_rel, res.data);
            if (!target)
                target = site_link_page(s, p, path.data, NULL);
            if (!target && report_unpublished(s, p, l, res.data, d))
                goto done;
            if (target && !target->ok) {
                /* Its own error (its front matter) says why it is not
                 * published; the link is right once that is fixed. */
                target = NULL;
                goto done;
            }
            if (target && !target->published) {
                why_unpublished(&tried, s, target);
                diag_error(d, p->src, l->line, l->col, "broken-link",
                           "link '%s' leads to an unpublished page %s", l->url, tried.data);
                target = NULL;
                goto done;
            }
            if (!target) {
                diag_error(d, p->src, l->line, l->col, "broken-link",
                           "link '%s' leads to no page ('%s%s%s' does not exist)", l->url,
                           strcmp(s->cfg.content, ".") ? s->cfg.content : "",
                           strcmp(s->cfg.content, ".") ? "/" : "", res.data);
                target = NULL;
                goto done;
            }
        } else if (site_static_by_out(s, res.data)) {
            goto done;
        } else {
            buf u;
            buf_init(&u);
            buf_printf(&u, "/%s", res.data);
            target = site_page_by_url(s, u.data);
            int folder = !target && site_folder_by_url(s, u.data);
            buf_release(&u);
            if (folder)
                goto done; /* a folder's generated index */
            if (!target) {
                buf_printf(&tried, "'/%s'", res.data);
                target = site_link_page(s, p, path.data, &tried);
            }
            if (!target && report_unpublished(s, p, l, res.data, d))
                goto done;
            if (!target && site_static_by_name(s, path.data))
                goto done; /* an Obsidian link to a file by its name */
            if (!target) {
                /* The page it names without .md, which the site does not
                 * publish (a draft). */
                buf md;
                buf_init(&md);
                buf_printf(&md, "%s.md", res.data);
                const page *hidden = map_get(s->by_rel, md.data);
                buf_release(&md);
                if (hidden && hidden->ok && !hidden->published) {
                    buf_reset(&tried);
                    why_unpublished(&tried, s, hidden);
                    diag_error(d, p->src, l->line, l->col, "broken-link",
                               "link '%s' leads to an unpublished page %s", l->url, tried.data);
                    goto done;
                }
                int file = has_ext(res.data, res.len) || l->is_image;
                if (site_name_shared(s, path.data))
                    diag_error(d, p->src, l->line, l->col, "broken-link",
                               "link '%s' names more than one page or file of the vault by that "
                               "name; write its path from the vault's top ('folder/%s')",
                               l->url, path.data);
                else if (file)
                    diag_error(d, p->src, l->line, l->col, "missing-file",
                               "link '%s' names a file that does not exist ('%s%s%s')", l->url,
                               strcmp(s->cfg.content, ".") ? s->cfg.content : "",
                               strcmp(s->cfg.content, ".") ? "/" : "", res.data);
                else
                    diag_error(d, p->src, l->line, l->col, "broken-link",
                               "link '%s' leads to no page of the site (tried %s)", l->url,
                               tried.data);
                goto done;
            }
        }
    }
found:
    if (target && target != p)
        map_put(ix->inbound, target->src, (void *)target);
    /* A PDF's #page=2 (document_files) names no heading of the page. */
    if (target && frag.len && target->ok && target->published &&
        !site_document_file(s, path.data) && !has_heading(ix, target, frag.data))
        report_fragment(ix->parsed, p, l, target, frag.data, d);
done:
    buf_release(&path);
    buf_release(&frag);
    buf_release(&res);
    buf_release(&tried);
    buf_release(&pathname);
}

/* Lowercases path into b (ASCII letters: what a case-insensitive file
 * system folds, for the names charter writes). */
static void lower_into(buf *b, const char *path, size_t len)
{
    buf_reset(b);
    for (size_t i = 0; i < len; i++) {
        char c = path[i];
        buf_addc(b, (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c);
    }
}

/* The outputs charter generates and the static files, against the pages'
 * (lower: each page's out_file lowercased -> its page): a page whose path,
 * or a folder of it, differs from one of theirs only in letter case
 * (CHANGELOG.md's CHANGELOG/ beside the changelog's changelog/) is
 * url-case-collision, as two pages' are. */
static void case_against_generated(const site *s, map *lower, buf *b, diags *d)
{
    /* The pages' folders too: "Handbook/x/index.html" meets "handbook/". */
    map *folders = map_new();
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok || !p->published)
            continue;
        /* From the deepest up: a folder there already has its own above
         * it (a page 10,000 folders deep costs its path once, not once
         * per folder). */
        const char *o = p->out_file;
        for (const char *sl = strrchr(o, '/'); sl; sl = memrchr(o, '/', (size_t)(sl - o))) {
            lower_into(b, o, (size_t)(sl - o));
            void **slot = map_ref(folders, b->data);
            if (*slot)
                break;
            *slot = (void *)p;
        }
    }
    size_t ng = 0;
    const plan_entry *g = s->plan ? plan_generated(s->plan, &ng) : NULL;
    /* What charter writes and the static files, each against the pages
     * and against those before it (content/Assets/style.css against the
     * theme's assets/style.css): lowercased path or folder -> index + 1. */
    map *others = map_new(), *reported = map_new(), *checked = map_new();
    buf what;
    buf_init(&what);
    for (size_t i = 0; i < ng + s->n_statics; i++) {
        const static_file *f = i < ng ? NULL : &s->statics[i - ng];
        const char *out = f ? f->out_file : g[i].out_file;
        if (!f && g[i].blocked)
            continue;
        /* The output itself, then each of its folders; a file may meet a
         * folder of the same name as well as a file. */
        const char *end = out + strlen(out);
        int met = 0;
        for (const char *cut = end; cut && !met; cut = memrchr(out, '/', (size_t)(cut - out))) {
            size_t len = (size_t)(cut - out);
            if (cut != end) {
                /* A folder an output before had, as written: it and those
                 * above it were checked then (and what meets them since
                 * was, against it). */
                buf_reset(b);
                buf_add(b, out, len);
                void **seen = map_ref(checked, b->data);
                if (*seen)
                    break;
                *seen = (void *)1;
            }
            lower_into(b, out, len);
            const page *p = cut == end ? map_get(lower, b->data) : NULL;
            if (!p)
                p = map_get(folders, b->data);
            size_t k = (size_t)map_get(others, b->data);
            const char *theirs = p            ? p->out_file
                                 : !k         ? NULL
                                 : k - 1 < ng ? g[k - 1].out_file
                                              : s->statics[k - 1 - ng].out_file;
            if (!theirs || !strncmp(theirs, out, len))
                continue;
            met = 1;
            /* A folder's, said once for all its files. */
            if (map_get(reported, b->data))
                break;
            map_put(reported, b->data, (void *)1);
            buf_reset(&what);
            int which = 0;
            while (!f && which < GEN_MOVABLE &&
                   strcmp(config_gen_file(&s->cfg, which), g[i].out_file))
                which++;
            if (!f && which < GEN_MOVABLE && !s->cfg.gen_file[which])
                buf_printf(&what,
                           "%s, which charter writes, and which generated_pages: {%s: %s} in "
                           "site.yml would move",
                           g[i].what, config_gen_name(which), config_gen_alternative(which));
            else if (!f)
                buf_printf(&what, "%s, which charter writes", g[i].what);
            else if (f->embedded)
                buf_printf(&what, "the theme's '%s'", f->out_file);
            else
                buf_printf(&what, "the file '%s'", f->src);
            if (p) {
                diag_error(d, p->src, 1, 1, "url-case-collision",
                           "'%s' and '%.*s' (%s) differ only in letter case, which a file "
                           "system such as macOS's or Windows' cannot tell apart; rename the "
                           "page or give it a permalink",
                           p->out_file, (int)len, out, what.data);
            } else {
                /* Two files of the site's, or one and charter's: at the
                 * site's file. */
                const static_file *mine = f && !f->embedded ? f
                                          : k - 1 >= ng && !s->statics[k - 1 - ng].embedded
                                              ? &s->statics[k - 1 - ng]
                                              : NULL;
                diag_error(d, mine ? mine->src : NULL, 0, 0, "url-case-collision",
                           "%s'%.*s' (%s) and '%.*s' differ only in letter case, which a file "
                           "system such as macOS's or Windows' cannot tell apart; rename one",
                           cut == end ? "" : "the folders ", (int)len, out, what.data, (int)len,
                           theirs);
            }
        }
        /* Its path and folders, for those after it. */
        for (const char *cut = end; cut; cut = memrchr(out, '/', (size_t)(cut - out))) {
            lower_into(b, out, (size_t)(cut - out));
            void **slot = map_ref(others, b->data);
            if (*slot && cut != end)
                break; /* and those above it */
            if (!*slot)
                *slot = (void *)(i + 1);
        }
    }
    map_free(others);
    map_free(reported);
    map_free(checked);
    buf_release(&what);
    map_free(folders);
}

static void check_links(const site *s, const parsed *pp, diags *d)
{
    link_index ix = {pp, map_new(), map_new(), NULL};
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok || !p->published)
            continue;
        const md_doc *doc = &parsed_page_at(pp, i)->doc;
        for (size_t j = 0; j < doc->n_links; j++)
            check_link(s, p, &doc->links[j], &ix, d);
    }
    /* Orphans: not the home page, in no section (sections are in every
     * page's navigation), and linked from no other page. */
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok || !p->published || p->section_title || !strcmp(p->url, "/"))
            continue;
        /* At its title, when the front matter gives it one (a title taken
         * from the first heading has no place in it). */
        const yaml_node *t = yamltree_get(p->fm.data, "title");
        if (t && !yamltree_line(t))
            t = NULL;
        if (!map_get(ix.inbound, p->src))
            diag_warning(d, p->src, t ? yamltree_line(t) : 1, t ? yamltree_col(t) : 1,
                         "orphan-page",
                         "no page links to '%s' and it is in no section of the navigation", p->url);
    }
    /* Output paths that differ only in case. */
    map *lower = map_new();
    buf b;
    buf_init(&b);
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok || !p->published)
            continue;
        buf_reset(&b);
        for (const char *c = p->out_file; *c; c++)
            buf_addc(&b, (*c >= 'A' && *c <= 'Z') ? (char)(*c - 'A' + 'a') : *c);
        const page *prev = map_get(lower, b.data);
        if (prev && strcmp(prev->out_file, p->out_file) != 0)
            diag_error(d, p->src, 1, 1, "url-case-collision",
                       "'%s' and '%s' (from '%s') differ only in letter case", p->out_file,
                       prev->out_file, prev->src);
        else if (!prev)
            map_put(lower, b.data, (void *)p);
    }
    case_against_generated(s, lower, &b, d);
    buf_release(&b);
    map_free(lower);
    map_free(ix.inbound);
    map_each(ix.headings, free_ids, NULL);
    map_free(ix.headings);
    map_free(ix.unpublished);
}

/* --- reviews ---------------------------------------------------------------------- */

/* A site with pages but no policy checks no owner and no review date: it
 * passes, however overdue its documents (a repository whose owners are in
 * a table in the text, or whose pages are plain by default). Said at
 * site.yml's policies: (or default_layout:), naming the rule. */
static void check_any_policy(const site *s, diags *d)
{
    size_t pages = 0;
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok)
            return; /* a page unread may be one: its own finding comes first */
        if (!p->published)
            continue;
        if (p->policy)
            return;
        pages++;
    }
    if (!pages)
        return; /* no-pages says so */
    const site_config *c = &s->cfg;
    buf rule;
    buf_init(&rule);
    const struct {
        const char **v;
        size_t n;
        const char *how;
    } parts[] = {{c->policy_layouts, c->n_policy_layouts, "with the layout"},
                 {c->policy_keys, c->n_policy_keys, "with the key"},
                 {c->policy_paths, c->n_policy_paths, "at a path matching"}};
    for (size_t k = 0; k < 3; k++) {
        if (!parts[k].n)
            continue;
        buf_printf(&rule, "%s%s ", rule.len ? ", or " : "", parts[k].how);
        for (size_t i = 0; i < parts[k].n; i++)
            buf_printf(&rule, "%s'%s'", i ? " or " : "", parts[k].v[i]);
    }
    const yaml_node *at = c->yaml ? yamltree_get(c->yaml, "policies") : NULL;
    if (!at && c->yaml)
        at = yamltree_get(c->yaml, "default_layout");
    diag_warning(d, c->file, at ? yamltree_line(at) : 1, at ? yamltree_col(at) : 1, "no-policies",
                 "none of the %zu page%s is a policy, so no owner or review date is checked (by "
                 "site.yml's policies: rule, a policy is a page %s): give the policies 'owner:' "
                 "and 'last_reviewed:', or name them in the rule (policies: {paths: "
                 "[\"policies/*.md\"]})",
                 pages, pages == 1 ? "" : "s", rule.len ? rule.data : "no rule names");
    buf_release(&rule);
}

static void check_reviews(const site *s, diags *d)
{
    char day[16], next[16];
    check_any_policy(s, d);
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok || !p->published || !p->policy)
            continue;
        const yaml_node *lr = yamltree_get(p->fm.data, "last_reviewed");
        const yaml_node *nr = yamltree_get(p->fm.data, "next_review");
        const yaml_node *at = nr ? nr : lr;
        if (p->last_reviewed >= 0 && p->last_reviewed > s->as_of) {
            date_format(day, p->last_reviewed);
            diag_error(d, p->src, yamltree_line(lr), yamltree_col(lr), "review-in-future",
                       "last_reviewed %s is in the future", day);
        }
        if (p->next_review < 0 || !at)
            continue;
        date_format(next, p->next_review);
        long days = p->next_review - s->as_of;
        if (p->review == REVIEW_OVERDUE)
            diag_error(d, p->src, yamltree_line(at), yamltree_col(at), "review-overdue",
                       "review overdue since %s (%ld day%s)", next, -days, days == -1 ? "" : "s");
        else if (p->review == REVIEW_DUE_SOON && days == 0)
            diag_warning(d, p->src, yamltree_line(at), yamltree_col(at), "review-due-soon",
                         "review due on %s (today)", next);
        else if (p->review == REVIEW_DUE_SOON)
            diag_warning(d, p->src, yamltree_line(at), yamltree_col(at), "review-due-soon",
                         "review due on %s (in %ld day%s)", next, days, days == 1 ? "" : "s");
    }
}

/* The three families of checks, independent of each other, one per item
 * of pool_run, each reporting into a sink of its own. */
typedef struct check_job {
    const site *s;
    const parsed *pp;
    diags *found[3];
} check_job;

static void check_one(void *ctx, size_t i)
{
    check_job *j = ctx;
    if (i == 0)
        check_controls(j->s, j->found[0]);
    else if (i == 1)
        check_links(j->s, j->pp, j->found[1]);
    else
        check_reviews(j->s, j->found[2]);
}

void checks_run(const site *s, const parsed *pp, diags *d)
{
    /* Side by side (at 10,000 pages some 8, 12 and 5 ms), their findings
     * handed on in this order whatever order they finished in. */
    check_job j = {s, pp, {diag_new(NULL), diag_new(NULL), diag_new(NULL)}};
    pool_run(3, check_one, &j);
    for (int i = 0; i < 3; i++) {
        diag_move(d, j.found[i]);
        diag_free(j.found[i]);
    }
}

/* --- tuning ----------------------------------------------------------------------- */

typedef struct tuning {
    const site *s;
    map *levels; /* check id -> level + 1 (0 stands for off) */
    map *by_src; /* page src -> page, for the pages whose front matter has `ignore` */
} tuning;

static int level_for(void *ctx, const diag_entry *e)
{
    tuning *t = ctx;
    const check_info *ci = checks_find(e->id);
    if (!ci || !ci->tunable)
        return (int)e->level;
    if (e->file) {
        const page *p = map_get(t->by_src, e->file);
        const yaml_node *ig = p && p->ok ? yamltree_get(p->fm.data, "ignore") : NULL;
        for (size_t i = 0; ig && yamltree_kind(ig) == YAML_SEQUENCE && i < yamltree_len(ig); i++) {
            const yaml_node *it = yamltree_item(ig, i);
            if (yamltree_kind(it) == YAML_SCALAR && !strcmp(yamltree_text(it), e->id))
                return -1;
        }
    }
    void *v = map_get(t->levels, e->id);
    if (!v)
        return (int)e->level;
    intptr_t lv = (intptr_t)v - 1;
    return lv == 0 ? -1 : lv == 1 ? (int)DIAG_WARNING : (int)DIAG_ERROR;
}

/* Reads site.yml `checks:` into t->levels; with d, reports what is wrong. */
static int read_levels(tuning *t, diags *d)
{
    int err = 0;
    const yaml_node *c = yamltree_get(t->s->cfg.yaml, "checks");
    if (!c || yamltree_is_null(c))
        return 0;
    if (yamltree_kind(c) != YAML_MAPPING)
        return d ? diag_error(d, "site.yml", yamltree_line(c), yamltree_col(c), "config",
                              "'checks' must map check ids to off, warning or error")
                 : -1;
    for (size_t i = 0; i < yamltree_len(c); i++) {
        const yaml_node *k = yamltree_key(c, i), *v = yamltree_item(c, i);
        const check_info *ci = checks_find(yamltree_text(k));
        if (!ci) {
            err = d ? diag_error(d, "site.yml", yamltree_line(k), yamltree_col(k), "config",
                                 "unknown check '%s' in 'checks' (docs/checks.md lists them)",
                                 yamltree_text(k))
                    : -1;
            continue;
        }
        if (!ci->tunable) {
            err = d ? diag_error(d, "site.yml", yamltree_line(k), yamltree_col(k), "config",
                                 "check '%s' reports input charter cannot read; it cannot be "
                                 "tuned",
                                 yamltree_text(k))
                    : -1;
            continue;
        }
        intptr_t lv = -1;
        if (yamltree_kind(v) == YAML_SCALAR) {
            /* `off` arrives as a plain scalar: YAML 1.1's boolean spelling. */
            if (!strcmp(yamltree_text(v), "off") || !strcmp(yamltree_text(v), "false"))
                lv = 0;
            else if (!strcmp(yamltree_text(v), "warning"))
                lv = 1;
            else if (!strcmp(yamltree_text(v), "error"))
                lv = 2;
        }
        if (lv < 0) {
            err = d ? diag_error(d, "site.yml", yamltree_line(v), yamltree_col(v), "config",
                                 "'checks.%s' must be off, warning or error", yamltree_text(k))
                    : -1;
            continue;
        }
        map_put(t->levels, yamltree_text(k), (void *)(lv + 1));
    }
    return err;
}

int checks_configure(const site *s, diags *d)
{
    tuning t = {s, map_new(), NULL};
    int err = read_levels(&t, d);
    map_free(t.levels);
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        /* Looked into only where the load saw the key: every page's front
         * matter looked through took 0.007 s of the main thread at 10,000
         * pages, at each build's start. */
        const yaml_node *ig = p->ok && p->has_ignore ? yamltree_get(p->fm.data, "ignore") : NULL;
        if (!ig || yamltree_is_null(ig))
            continue;
        if (yamltree_kind(ig) != YAML_SEQUENCE) {
            diag_error(d, p->src, yamltree_line(ig), yamltree_col(ig), "invalid-type",
                       "'ignore' must be a list of check ids");
            continue;
        }
        for (size_t j = 0; j < yamltree_len(ig); j++) {
            const yaml_node *v = yamltree_item(ig, j);
            const check_info *ci =
                yamltree_kind(v) == YAML_SCALAR ? checks_find(yamltree_text(v)) : NULL;
            if (!ci || !ci->tunable)
                diag_error(d, p->src, yamltree_line(v), yamltree_col(v), "invalid-type",
                           "'ignore' lists '%s', which is not a check that can be silenced",
                           yamltree_kind(v) == YAML_SCALAR ? yamltree_text(v) : "?");
        }
    }
    return err;
}

void checks_tune(const site *s, diags *d)
{
    tuning t = {s, map_new(), map_new()};
    read_levels(&t, NULL);
    /* Only the pages that silence a check: at 10,000 pages, a map of them
     * all took 0.01 s of the main thread, before a build is published. */
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (p->ok && p->has_ignore)
            map_put(t.by_src, p->src, (void *)p);
    }
    diag_retune(d, level_for, &t);
    map_free(t.levels);
    map_free(t.by_src);
}
