/* init: planning what `charter init` writes (init.h): reading the
 * directory, writing YAML that reads back as meant, a new site, and the
 * site.yml of a comply, Docusaurus, Hugo or plain Markdown repository (a
 * Jekyll site's is in init_jekyll.c). */
#include "init.h"
#include "toml.h"
#include "init_int.h"

#include "config.h"
#include "dates.h"
#include "frontmatter.h"
#include "history.h"
#include "jsondoc.h"
#include "map.h"
#include "paths.h"
#include "site.h"
#include "yamltree.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

const char *const init_kind_names[INIT_N_KINDS] = {
    "new",    "plain",     "jekyll", "hugo",      "docusaurus", "comply",
    "mkdocs", "vitepress", "mdbook", "starlight", "eleventy"};

buf *init_plan_file(init_plan *p, const char *rel)
{
    p->rel[p->n] = rel;
    buf_init(&p->text[p->n]);
    return &p->text[p->n++];
}

/* --- reading the directory ---------------------------------------------------
 * Every file is read through the site's one checked door (fs.h): inside the
 * directory, a regular file, within a size limit. Detection asks quietly: a
 * link leading outside reads as nothing there. */

static fs_kind kind_at(const fs_root *r, const char *rel)
{
    diags *quiet = diag_new(NULL);
    int k = fs_source_kind(r, rel, NULL, quiet);
    diag_free(quiet);
    return k < 0 ? FS_MISSING : (fs_kind)k;
}

int init_is_file(const fs_root *r, const char *rel)
{
    return kind_at(r, rel) == FS_FILE;
}

static int is_dir(const fs_root *r, const char *rel)
{
    return kind_at(r, rel) == FS_DIR;
}

/* The first of names[] that is a file, or NULL. */
static const char *first_file(const fs_root *r, const char *const *names)
{
    for (; *names; names++)
        if (init_is_file(r, *names))
            return *names;
    return NULL;
}

int init_read_text(buf *out, const init_plan *p, const char *rel)
{
    return fs_read_source(out, p->root, rel, SITE_YML_MAX, "the fixed limit for settings files",
                          p->d);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Walks the files below rel (depth first, sorted), skipping what no site
 * publishes: names starting with '.', '_' names but Hugo's _index.md,
 * node_modules and vendor. fn returns 1 to stop the walk. Bounded in depth
 * and in entries, so a link loop or a huge tree costs little. */
typedef struct walker {
    const fs_root *root;
    size_t budget;
    int (*fn)(void *ctx, const char *rel);
    void *ctx;
    int stopped;
} walker;

static void walk(walker *w, const char *rel, int depth)
{
    char **list = NULL;
    buf path, child;
    buf_init(&path);
    buf_init(&child);
    diags *quiet = diag_new(NULL);
    fs_root_path(&path, w->root, rel);
    if (depth > 16 || fs_list(&list, path.data, 1, quiet) != 0)
        goto done;
    for (char **e = list; *e && !w->stopped && w->budget; e++, w->budget--) {
        if ((**e == '_' && !path_md_named(*e, "_index")) || **e == '.' ||
            !strcmp(*e, "node_modules") || !strcmp(*e, "vendor"))
            continue;
        buf_reset(&child);
        path_join(&child, rel, *e);
        fs_kind k = kind_at(w->root, child.data);
        if (k == FS_DIR)
            walk(w, child.data, depth + 1);
        else if (k == FS_FILE && w->fn(w->ctx, child.data))
            w->stopped = 1;
    }
done:
    fs_list_free(list);
    diag_free(quiet);
    buf_release(&path);
    buf_release(&child);
}

static int stop_at_md(void *ctx, const char *rel)
{
    return path_md_ext(rel, strlen(rel));
}

/* Counts the .mdx pages (never stops), naming the first in ctx's buf. */
typedef struct mdx_count {
    size_t n;
    buf first;
} mdx_count;

static int count_mdx(void *ctx, const char *rel)
{
    mdx_count *c = ctx;
    if (has_suffix(rel, ".mdx") && c->n++ == 0)
        buf_adds(&c->first, rel);
    return 0;
}

/* Whether a name of rel (a path below docs/) has Docusaurus's number
 * prefix (01-intro.md, 02-people/). */
static int numbered(void *ctx, const char *rel)
{
    (void)ctx;
    for (const char *c = rel; *c;) {
        size_t n = strcspn(c, "/");
        if (path_number_prefix(c, n, NULL))
            return 1;
        c += n + (c[n] == '/');
    }
    return 0;
}

/* True if some file below rel (".": everywhere) satisfies fn. */
static int any_file(const fs_root *r, const char *rel, int (*fn)(void *, const char *), void *ctx)
{
    walker w = {r, 20000, fn, ctx, 0};
    walk(&w, rel, 0);
    return w.stopped;
}

/* A page whose front matter (YAML, Hugo's TOML or JSON) has the key `<key>`
 * (Hugo teams' review date last_updated, Docusaurus's sidebar_position).
 * Only the page's first 64 KiB are read. */
typedef struct key_probe {
    const fs_root *r;
    const char *key;
    int foreign_status; /* only a `status` that is none of charter's */
} key_probe;

/* Calls fn with the front matter of the page rel (YAML, Hugo's TOML or
 * JSON, whole in its first 64 KiB) and returns what fn does; 0 when rel is
 * no Markdown page or has none. */
static int with_front_matter(const fs_root *r, const char *rel,
                             int (*fn)(void *, const yaml_node *), void *ctx)
{
    if (!path_md_ext(rel, strlen(rel)))
        return 0;
    int fd = -1, found = 0;
    size_t size = 0;
    char chunk[65536];
    diags *quiet = diag_new(NULL);
    if (fs_open_source(&fd, &size, r, rel, config_default_limits.page_bytes, "limits.page_bytes",
                       quiet) != 0)
        goto done;
    ssize_t got = read(fd, chunk, sizeof chunk - 1);
    if (got <= 0)
        goto done;
    chunk[got] = '\0';
    frontmatter fm;
    if (frontmatter_parse(&fm, chunk, (size_t)got, rel, quiet) == 0) {
        if (fm.present)
            found = fn(ctx, fm.data);
        frontmatter_release(&fm);
    }
done:
    if (fd >= 0)
        close(fd);
    diag_free(quiet);
    return found;
}

static int has_key(void *ctx, const yaml_node *fm)
{
    const key_probe *k = ctx;
    const yaml_node *v = yamltree_get(fm, k->key);
    if (v && k->foreign_status) {
        const char *t = yamltree_kind(v) == YAML_SCALAR ? yamltree_text(v) : "";
        return strcasecmp(t, "draft") && strcasecmp(t, "approved") && strcasecmp(t, "retired");
    }
    return v != NULL;
}

static int uses_key(void *ctx, const char *rel)
{
    const key_probe *k = ctx;
    return with_front_matter(k->r, rel, has_key, ctx);
}

/* Which of names[0..n) some page's front matter has (found[i] set), in
 * one pass over the pages; it stops once all are found. */
typedef struct keys_probe {
    const fs_root *r;
    const char *const *names;
    size_t n, left;
    char *found;
} keys_probe;

static int mark_keys(void *ctx, const yaml_node *fm)
{
    keys_probe *k = ctx;
    for (size_t i = 0; i < k->n; i++)
        if (!k->found[i] && yamltree_get(fm, k->names[i])) {
            k->found[i] = 1;
            k->left--;
        }
    return k->left == 0;
}

static int find_keys(void *ctx, const char *rel)
{
    keys_probe *k = ctx;
    return with_front_matter(k->r, rel, mark_keys, ctx);
}

/* --- writing YAML -------------------------------------------------------------- */

/* Appends a node of another file's tree in flow style, keeping what each
 * scalar is: a plain `true` stays a boolean, a quoted one a string. */
void init_put_node(buf *b, const yaml_node *n)
{
    size_t len = yamltree_len(n);
    switch (yamltree_kind(n)) {
    case YAML_SCALAR:
        if (yamltree_plain(n) && yamltree_is_null(n))
            buf_adds(b, "null");
        else if (yamltree_plain(n) && yamltree_is_keyword(yamltree_text(n)))
            buf_adds(b, yamltree_text(n));
        else
            yamltree_put_scalar(b, yamltree_text(n), 1);
        break;
    case YAML_SEQUENCE:
        buf_addc(b, '[');
        for (size_t i = 0; i < len; i++) {
            buf_adds(b, i ? ", " : "");
            init_put_node(b, yamltree_item(n, i));
        }
        buf_addc(b, ']');
        break;
    case YAML_MAPPING:
        buf_addc(b, '{');
        for (size_t i = 0; i < len; i++) {
            buf_adds(b, i ? ", " : "");
            yamltree_put_scalar(b, yamltree_text(yamltree_key(n, i)), 1);
            buf_adds(b, ": ");
            init_put_node(b, yamltree_item(n, i));
        }
        buf_addc(b, '}');
        break;
    }
}

/* `key: value` with the value a scalar; nothing when value is NULL. */
void init_put_setting(buf *b, const char *comment, const char *key, const char *value)
{
    if (!value)
        return;
    buf_printf(b, "# %s\n%s: ", comment, key);
    yamltree_put_scalar(b, value, 0);
    buf_addc(b, '\n');
}

void init_put_base_url(init_plan *p, buf *b, const char *comment, const char *value,
                       const char *from)
{
    const char *why = value ? config_base_url_problem(value) : NULL;
    if (!why) {
        init_put_setting(b, comment, "base_url", value);
        return;
    }
    buf shown;
    buf_init(&shown);
    diag_term_safe(&shown, value, strlen(value));
    buf_printf(&p->notes, "note: %s gives the path '%s', which %s: base_url is not set\n", from,
               shown.data, why);
    buf_release(&shown);
}

/* navigation.order: the file whose list orders the pages, as the tool that
 * made the site orders them (`what` says whose). */
static void put_nav_order(buf *b, const char *what, const char *file, const char *omit)
{
    buf_printf(b, "# The pages' order: %s.", what);
    if (omit)
        buf_printf(b, "\n# A page it does not name is not published, %s.", omit);
    buf_adds(b, "\nnavigation:\n  order: ");
    yamltree_put_scalar(b, file, 0);
    buf_addc(b, '\n');
    if (omit)
        buf_adds(b, "  unlisted: omit\n");
}

/* The directory's name, readable: "security-policies" -> "Security policies". */
void init_dir_title(buf *out, const fs_root *r)
{
    const char *base = strrchr(r->real, '/');
    base = base && base[1] ? base + 1 : "Security policies";
    for (size_t i = 0; base[i]; i++) {
        char c = base[i] == '-' || base[i] == '_' ? ' ' : base[i];
        buf_addc(out, i == 0 ? (char)toupper((unsigned char)c) : c);
    }
}

int init_gitlab_rendered(const init_plan *p)
{
    buf url, branch;
    buf_init(&url);
    buf_init(&branch);
    site_config c;
    memset(&c, 0, sizeof c);
    int gitlab = history_remote_web(&url, &branch, p->root->path) == 0 &&
                 (c.repository_url = url.data, site_gitlab_hosted(&c));
    buf_release(&url);
    buf_release(&branch);
    return gitlab && p->kind != INIT_PLAIN && p->kind != INIT_NEW;
}

void init_put_repository(buf *b, const init_plan *p)
{
    buf url, branch;
    buf_init(&url);
    buf_init(&branch);
    if (history_remote_web(&url, &branch, p->root->path) == 0) {
        init_put_setting(b,
                         "The repository's web address (git's remote origin), for 'edit this "
                         "page' links\n# and links to its files outside the pages.",
                         "repository_url", url.data);
        if (branch.len && strcmp(branch.data, "main"))
            init_put_setting(b, "The branch those links point at.", "repository_branch",
                             branch.data);
        /* Jekyll's writes its own markdown: mapping, with the same;
         * MkDocs's and VitePress's, their own ids wherever they are. */
        if (p->kind != INIT_JEKYLL && p->kind != INIT_MKDOCS && p->kind != INIT_VITEPRESS &&
            init_gitlab_rendered(p))
            buf_printf(b,
                       "# GitLab hosts the repository, %s renders the pages: their headings'\n"
                       "# ids are GitHub's (a run of hyphens kept), not GitLab's.\n"
                       "markdown: {heading_ids: github}\n",
                       init_kind_names[p->kind]);
    }
    buf_release(&url);
    buf_release(&branch);
}

void init_put_header(buf *b, const char *what)
{
    buf_printf(b,
               "# charter's settings for this %s, written by\n"
               "# 'charter init' to read the repository as it is. Every setting is in\n"
               "# docs/content-model.md; charter init never changes this file again.\n",
               what);
}

/* layouts, assets (and controls) in .charter/, which holds nothing yet: the
 * built-in theme and catalogs, overridable file by file. `why` is a comment
 * line or "". */
void init_put_theme(buf *b, const char *why, int controls)
{
    buf_printf(b,
               "# charter's theme%s are built in; a file in\n"
               "# these folders replaces the built-in one of the same name.%s\n"
               "layouts: .charter/layouts\nassets: .charter/assets\n",
               controls ? ", assets and control catalogs" : " and assets", why);
    if (controls)
        buf_adds(b, "controls: .charter/controls\n");
}

void init_put_default_layout(buf *b, const char *example)
{
    buf_printf(b,
               "# A page that names no layout is a plain page, or a policy (held to the\n"
               "# required keys) when it names an owner or a review date. %s\n"
               "default_layout: page\n",
               example);
}

int init_pages_use_key(const init_plan *p, const char *content, const char *key)
{
    key_probe k = {p->root, key, 0};
    return any_file(p->root, content, uses_key, &k);
}

/* keys: for the names the pages give charter's keys (config.h's common
 * aliases: last_updated, a SOC 2 template's last_review_date...). */
static void put_last_updated(buf *b, const init_plan *p, const char *content)
{
    const config_common_alias *al = config_common_aliases;
    size_t n = config_n_common_aliases;
    const char **names = xcalloc(n, sizeof *names);
    char *found = xcalloc(n, 1);
    for (size_t i = 0; i < n; i++)
        names[i] = al[i].alias;
    keys_probe k = {p->root, names, n, n, found};
    any_file(p->root, content, find_keys, &k);
    if (k.left == n)
        goto done;
    if (k.left == n - 1 && found[0]) { /* last_updated alone, as before */
        buf_adds(b, "# The pages' last_updated: is their review date.\n"
                    "keys: {last_reviewed: [last_updated]}\n");
        goto done;
    }
    buf_adds(b, "# The pages' own names for charter's keys (a review date written\n"
                "# last_review_date:, an owner policy_owner:).\nkeys: {");
    int first_key = 1;
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            seen |= !strcmp(al[j].key, al[i].key);
        if (seen)
            continue; /* listed with its first alias */
        int any = 0;
        for (size_t j = i; j < n; j++) {
            if (!found[j] || strcmp(al[j].key, al[i].key))
                continue;
            if (!any)
                buf_printf(b, "%s%s: [", first_key ? "" : ", ", al[i].key);
            buf_printf(b, "%s%s", any ? ", " : "", al[j].alias);
            any = 1;
            first_key = 0;
        }
        if (any)
            buf_addc(b, ']');
    }
    buf_adds(b, "}\n");
done:
    free(names);
    free(found);
}

/* --- a new site ----------------------------------------------------------------- */

static const char new_site_yml[] =
    "# The settings of this policy site; every one is in docs/content-model.md.\n"
    "# Only title is required: the commented lines show the other settings, most\n"
    "# with their defaults.\n"
    "title: Security Policies\n"
    "# organization: Example Ltd\n"
    "# One sentence for the home page and the pages' metadata.\n"
    "# description: The information security policies of Example Ltd.\n"
    "# Where the site is served: /, /policies/ or https://example.com/policies/.\n"
    "# base_url: /\n"
    "# The repository's web address and branch, for 'edit this page' links.\n"
    "# repository_url: https://github.com/example/policies\n"
    "# repository_branch: main\n"
    "# The folders charter reads: the pages, the control catalogs with the\n"
    "# statement of applicability (controls/applicability.yml), the layouts and\n"
    "# the assets. The theme and the catalogs of ISO/IEC 27001:2022 and 2013,\n"
    "# SOC 2 and NIST CSF 2.0 are built in; a file in these folders replaces the\n"
    "# built-in one of the same name.\n"
    "# content: content\n"
    "# controls: controls\n"
    "# layouts: layouts\n"
    "# assets: assets\n"
    "# Where 'charter build' writes the site.\n"
    "# output: _site\n"
    "# The frameworks that apply. Unset, charter takes them from the control ids\n"
    "# the policies cite and asks no more. Declaring them makes every applicable\n"
    "# control of each need a policy that cites it: mark the ones that do not\n"
    "# apply with applicable: false in controls/applicability.yml.\n"
    "# frameworks: [iso27001-2022]\n"
    "# The order of the sections (the folders of content/) in the navigation.\n"
    "# sections: [Governance, People, Technology, Operations]\n"
    "# How often a policy is reviewed (a page's review_cycle: overrides it), and\n"
    "# how early a coming review is reported as due soon.\n"
    "# review:\n"
    "#   cycle: 12 months\n"
    "#   warn_within: 30 days\n"
    "# The front matter keys every policy must carry.\n"
    "# required: [title, owner, last_reviewed]\n"
    "# Each check's severity, error, warning or off (docs/checks.md).\n"
    "# checks: {orphan-page: off}\n";

static const char new_index_md[] =
    "---\n"
    "title: Security Policies\n"
    "layout: home\n"
    "---\n"
    "\n"
    "These are our information security policies. Each names its owner, the date\n"
    "of its last review and the controls it puts into practice; `charter check`\n"
    "reports a review that is overdue, a control id that does not exist and a\n"
    "link that leads nowhere.\n"
    "\n"
    "Start with the [Information Security Policy](information-security-policy.md).\n"
    "\n"
    "To add a policy, copy that file, change its front matter and text, and list\n"
    "the controls it implements under `controls:`. Record in\n"
    "`controls/applicability.yml` whether each control applies, and why.\n";

static const char new_policy_md[] =
    "---\n"
    "title: Information Security Policy\n"
    "owner: Head of Security\n"
    "approver: Chief Executive Officer\n"
    "status: draft\n"
    "version: \"0.1\"\n"
    "last_reviewed: %s\n"
    "review_cycle: 12 months\n"
    "controls: [A.5.1]\n"
    "---\n"
    "\n"
    "## Purpose\n"
    "\n"
    "This policy sets out how we protect the confidentiality, integrity and\n"
    "availability of the information we hold, who is responsible for doing so,\n"
    "and how our other security policies fit together. It is the top-level\n"
    "policy of our information security management system (ISMS).\n"
    "\n"
    "## Scope\n"
    "\n"
    "This policy applies to:\n"
    "\n"
    "- everyone who works for us or on our behalf: employees, contractors and\n"
    "  temporary staff, wherever they work;\n"
    "- all information we create, receive or process, in any form;\n"
    "- every system used to handle that information, including cloud services\n"
    "  and the devices people use for work.\n"
    "\n"
    "## Policy\n"
    "\n"
    "- Information is classified by the harm its disclosure, loss or alteration\n"
    "  would cause, and protected accordingly.\n"
    "- Access to information and systems is given only to those who need it,\n"
    "  approved by the information's owner and reviewed at least every six\n"
    "  months.\n"
    "- Everyone reports a security incident or a suspected weakness to the\n"
    "  security team as soon as they notice it.\n"
    "- Everyone completes security awareness training when they join and every\n"
    "  year after.\n"
    "- Topic-specific policies set out the detail. Management approves each one;\n"
    "  it is published on this site and reviewed at least once a year.\n"
    "\n"
    "## Roles and responsibilities\n"
    "\n"
    "| Role | Responsibility |\n"
    "|---|---|\n"
    "| Chief Executive Officer | Approves this policy and gives the ISMS the resources it needs |\n"
    "| Head of Security | Owns this policy, runs the ISMS and reports on it to management |\n"
    "| Managers | Make sure their teams know and follow the policies |\n"
    "| Everyone | Follows the policies and reports incidents and weaknesses |\n"
    "\n"
    "## Compliance and exceptions\n"
    "\n"
    "Breaking this policy or the policies under it may lead to disciplinary\n"
    "action. An exception needs the Head of Security's written approval, states\n"
    "its reason and its end date, and is recorded with the risks it accepts.\n"
    "\n"
    "## Review\n"
    "\n"
    "The owner reviews this policy at least every twelve months, and after any\n"
    "significant change to the organisation, its systems or the threats it\n"
    "faces.\n";

static const char new_applicability_yml[] =
    "# The statement of applicability: for each control of the frameworks this\n"
    "# site uses, whether it applies, how far it is implemented and why.\n"
    "# status: implemented | planned | not-implemented\n"
    "# A control that does not apply is marked applicable: false, with the reason.\n"
    "A.5.1:\n"
    "  applicable: true\n"
    "  status: implemented\n"
    "  justification: The Information Security Policy, approved by management and\n"
    "    published on this site, sets the direction for information security.\n";

static int plan_new(init_plan *p)
{
    char today[11];
    date_format(today, date_today());
    buf_adds(init_plan_file(p, "site.yml"), new_site_yml);
    buf_adds(init_plan_file(p, "content/index.md"), new_index_md);
    buf_printf(init_plan_file(p, "content/information-security-policy.md"), new_policy_md, today);
    buf_adds(init_plan_file(p, "controls/applicability.yml"), new_applicability_yml);
    return 0;
}

/* --- comply ---------------------------------------------------------------------- */

static int plan_comply(init_plan *p)
{
    int err = -1;
    buf text, title;
    buf_init(&text);
    buf_init(&title);
    yaml_node *y = NULL;
    const char *prefix = "";
    if (init_is_file(p->root, "comply.yml")) {
        const yaml_node *n;
        if (init_read_text(&text, p, "comply.yml") != 0 ||
            yamltree_parse(&y, text.data, text.len, "comply.yml", 0, p->d) != 0)
            goto done;
        if ((n = yamltree_get(y, "name")) && yamltree_kind(n) == YAML_SCALAR &&
            !yamltree_is_null(n))
            buf_adds(&title, yamltree_text(n));
        if ((n = yamltree_get(y, "filePrefix")) && yamltree_kind(n) == YAML_SCALAR &&
            !yamltree_is_null(n) && !strpbrk(yamltree_text(n), "/\"\\\n"))
            prefix = yamltree_text(n);
    }
    int named = title.len > 0;
    if (!named)
        init_dir_title(&title, p->root);
    buf *b = init_plan_file(p, "site.yml");
    init_put_header(b, "strongdm comply repository");
    init_put_repository(b, p);
    init_put_setting(b,
                     named ? "The program's name, from comply.yml."
                           : "The site's title: the directory's name.",
                     "title", title.data);
    buf_adds(b, "# The documents stay where comply keeps them, at the repository's root.\n"
                "content: .\n"
                "# comply's templates and output, its settings, and the READMEs and TODO,\n"
                "# are not documents.\n"
                "exclude: [templates, output, comply.yml, README.md, TODO.md]\n"
                "# comply's header has no opening ---: it runs from the first line to the\n"
                "# first --- line.\n"
                "fenceless_front_matter: true\n"
                "# comply's names: a document's name: is its title, its acronym: its document\n"
                "# id, and satisfies: {TSC: [...]} lists the criteria it meets.\n"
                "keys: {title: name, id: acronym, controls: satisfies}\n");
    buf_printf(b,
               "# comply builds each document into output/<filePrefix>-<acronym>.pdf: a\n"
               "# link to that file leads to the document's page here.\n"
               "document_files: \"%s-:id.pdf\"\n",
               prefix);
    if (is_dir(p->root, "standards"))
        buf_adds(b, "# comply's standards (standards/*.yml) are the control catalogs.\n"
                    "controls: standards\n");
    buf_adds(b, "# comply documents carry no owner or review date: a name is all they need.\n"
                "required: [title]\n"
                "# comply does not require every criterion to be covered by a document.\n"
                "checks: {uncovered-control: off}\n");
    init_put_theme(b, "", !is_dir(p->root, "standards"));
    err = 0;
done:
    yamltree_free(y);
    buf_release(&text);
    buf_release(&title);
    return err;
}

/* --- Docusaurus and Hugo -------------------------------------------------------- */

/* A JavaScript config (file, from the site's root) read into text with its
 * comments blanked, strings kept, so that a commented-out `// title: 'Old'`
 * is not taken for a setting. 0, or -1 as init_read_text. */
static int read_js(buf *text, init_plan *p, const char *file)
{
    if (init_read_text(text, p, file) != 0)
        return -1;
    char q = 0;
    for (char *c = text->data; *c; c++) {
        if (q) {
            if (*c == '\\' && c[1])
                c++;
            else if (*c == q)
                q = 0;
        } else if (*c == '\'' || *c == '"' || *c == '`') {
            q = *c;
        } else if (c[0] == '/' && c[1] == '/') {
            while (*c && *c != '\n')
                *c++ = ' ';
            if (!*c)
                break;
        } else if (c[0] == '/' && c[1] == '*') {
            for (; *c && !(c[0] == '*' && c[1] == '/'); c++)
                if (*c != '\n')
                    *c = ' ';
            if (!*c)
                break;
            c[0] = c[1] = ' ';
            c++;
        }
    }
    return 0;
}

/* The string after the first `key:` (JavaScript; `key =`, TOML, with eq)
 * that is quoted with ', " or `: a scan, not an evaluation. */
static int scan_string(buf *out, const char *text, const char *key, int eq)
{
    size_t kl = strlen(key);
    for (const char *s = strstr(text, key); s; s = strstr(s + 1, key)) {
        if (s > text && (isalnum((unsigned char)s[-1]) || s[-1] == '_' || s[-1] == '.'))
            continue;
        const char *v = s + kl;
        while (*v == ' ' || *v == '\t')
            v++;
        if (*v++ != (eq ? '=' : ':'))
            continue;
        while (*v == ' ' || *v == '\t')
            v++;
        char q = *v;
        if (q != '\'' && q != '"' && q != '`')
            continue;
        for (v++; *v && *v != q && *v != '\n'; v++) {
            if (*v == '\\' && v[1] && v[1] != '\n')
                v++;
            buf_addc(out, *v);
        }
        if (*v == q)
            return 0;
        buf_reset(out);
    }
    return -1;
}

/* The MDX pages of folder (JSX as much as Markdown, which charter does
 * not read): excluded in site.yml, and said in a note, since a policy
 * there would go unchecked. */
static void put_mdx_exclude(buf *b, init_plan *p, const char *folder)
{
    mdx_count mdx = {0};
    buf_init(&mdx.first);
    any_file(p->root, folder, count_mdx, &mdx);
    /* Docusaurus's tag definitions (its docs plugin's `tags` file) are
     * read by Docusaurus, not published. */
    buf tags;
    buf_init(&tags);
    path_join(&tags, folder, "tags.yml");
    int tagfile = init_is_file(p->root, tags.data);
    buf_release(&tags);
    if (tagfile)
        buf_adds(b, "# tags.yml defines Docusaurus's tags: read by Docusaurus, not published.\n");
    if (mdx.n)
        buf_adds(b, "# MDX pages hold JSX, which charter does not read: not published.\n");
    if (mdx.n || tagfile)
        buf_printf(b, "exclude: [%s%s%s]\n", mdx.n ? "\"*.mdx\"" : "", mdx.n && tagfile ? ", " : "",
                   tagfile ? "tags.yml" : "");
    if (mdx.n) {
        buf_printf(
            &p->notes,
            "note: %zu .mdx page%s ('%s'%s) %s left out (exclude: [\"*.mdx\"] in site.yml): "
            "charter reads Markdown, not JSX; rename a page to .md to publish and check it\n",
            mdx.n, mdx.n == 1 ? "" : "s", mdx.first.data, mdx.n > 1 ? " and others" : "",
            mdx.n == 1 ? "is" : "are");
    }
    buf_release(&mdx.first);
}

/* A section as a generator titles and places it (Docusaurus's _category_
 * files, Hugo's _index.md, MkDocs's nav and .pages): its title, the
 * folder whose pages take it when charter would title them otherwise
 * (else NULL), and its place when it has one. */
typedef struct placed_section {
    double position;
    char *title;
    char *folder;
    int placed;
} placed_section;

/* Placed first, by position, then by title. */
static int cmp_placed(const void *a, const void *b)
{
    const placed_section *x = a, *y = b;
    if (x->placed != y->placed)
        return x->placed ? -1 : 1;
    if (x->position != y->position)
        return x->position < y->position ? -1 : 1;
    return strcmp(x->title, y->title);
}

/* `defaults:` giving each section with a folder its title, in v's order
 * (later entries win, so deeper folders go after), under the comment. */
static void put_section_titles(buf *b, const char *comment, const placed_section *v, size_t n)
{
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (!v[i].folder)
            continue;
        if (!any++)
            buf_printf(b, "%sdefaults:\n", comment);
        buf_adds(b, "  - scope: {path: ");
        yamltree_put_scalar(b, v[i].folder, 1);
        buf_adds(b, "}\n    values: {section: ");
        yamltree_put_scalar(b, v[i].title, 1);
        buf_adds(b, "}\n");
    }
}

/* `sections:` in the order of the placed ones, when two or more are
 * (v is sorted), under the comment. */
static void put_section_order(buf *b, const char *comment, placed_section *v, size_t n)
{
    size_t placed = 0;
    for (size_t i = 0; i < n; i++)
        placed += (size_t)v[i].placed;
    if (placed < 2)
        return;
    qsort(v, n, sizeof *v, cmp_placed);
    buf_printf(b, "%ssections: [", comment);
    for (size_t i = 0; i < placed; i++) {
        if (i)
            buf_adds(b, ", ");
        yamltree_put_scalar(b, v[i].title, 1);
    }
    buf_adds(b, "]\n");
}

static void placed_sections_free(placed_section *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].title);
        free(v[i].folder);
    }
    free(v);
}

/* Docusaurus's docs/<folder>/_category_.json (or .yml, .yaml): each
 * section's place in the sidebar (position) and its title (label). */

/* A folder's _category_ file: its position and label (the caller frees
 * *label), each when it has one. 0 when it has a file, else -1. */
static int read_category(double *position, int *placed, char **label, const init_plan *p,
                         const char *dir, diags *quiet)
{
    static const char *const names[] = {"_category_.json", "_category_.yml", "_category_.yaml"};
    buf path, text;
    buf_init(&path);
    buf_init(&text);
    int rc = -1;
    *placed = 0;
    *label = NULL;
    for (size_t i = 0; i < 3 && rc != 0; i++) {
        buf_reset(&path);
        buf_reset(&text);
        buf_printf(&path, "%s/%s", dir, names[i]);
        if (fs_source_kind(p->root, path.data, NULL, quiet) != FS_FILE ||
            fs_read_source(&text, p->root, path.data, 64 << 10,
                           "the fixed limit for settings files", quiet) != 0)
            continue;
        rc = 0;
        if (i == 0) {
            jsondoc *doc = NULL;
            if (jsondoc_parse(&doc, text.data, text.len, path.data, 0, quiet) == 0) {
                const jsondoc_node *root = jsondoc_root(doc);
                *placed = jsondoc_number(position, jsondoc_get(root, "position")) == 0;
                const char *l = jsondoc_string(jsondoc_get(root, "label"));
                if (l && *l)
                    *label = xstrdup(l);
            }
            jsondoc_free(doc);
        } else {
            yaml_node *y = NULL;
            if (yamltree_parse(&y, text.data, text.len, path.data, 0, quiet) == 0 && y &&
                yamltree_kind(y) == YAML_MAPPING) {
                const yaml_node *pos = yamltree_get(y, "position"), *l = yamltree_get(y, "label");
                const char *t =
                    pos && yamltree_kind(pos) == YAML_SCALAR ? yamltree_text(pos) : NULL;
                char *end = NULL;
                if (t && *t) {
                    double d = strtod(t, &end);
                    if (end && !*end) {
                        *position = d;
                        *placed = 1;
                    }
                }
                if (l && yamltree_kind(l) == YAML_SCALAR && *yamltree_text(l))
                    *label = xstrdup(yamltree_text(l));
            }
            yamltree_free(y);
        }
    }
    buf_release(&path);
    buf_release(&text);
    return rc;
}

static void put_category_order(buf *b, const init_plan *p, const char *docs, int numbers)
{
    diags *quiet = diag_new(NULL);
    char **names = NULL;
    placed_section *v = NULL;
    size_t n = 0;
    buf dir;
    buf_init(&dir);
    if (fs_list_source(&names, p->root, docs, 1, quiet) != 0)
        goto done;
    for (char **e = names; *e; e++) {
        buf_reset(&dir);
        buf_printf(&dir, "%s/%s", docs, *e);
        if (!is_dir(p->root, dir.data))
            continue;
        double position = 0;
        int placed = 0;
        char *label = NULL;
        int has = read_category(&position, &placed, &label, p, dir.data, quiet) == 0;
        /* A folder's number prefix (01-policies) places it too. */
        long number = 0;
        size_t k = numbers ? path_number_prefix(*e, strlen(*e), &number) : 0;
        if (!placed && k) {
            position = (double)number;
            placed = 1;
        }
        if (!has && !placed)
            continue;
        buf title;
        buf_init(&title);
        site_humanize(&title, *e + k, strlen(*e + k));
        char *folder = NULL;
        if (label && strcmp(label, title.data) != 0) {
            buf_reset(&title);
            buf_adds(&title, label);
            folder = xstrdup(*e);
        }
        free(label);
        v = xgrow(v, n, sizeof *v);
        v[n++] = (placed_section){position, buf_detach(&title), folder, placed};
    }
    put_section_titles(b, "# The sections' titles: their _category_ label, given to their pages.\n",
                       v, n);
    put_section_order(b,
                      "# The sections in the order of their _category_ position (or the\n"
                      "# number their folder's name starts with).\n",
                      v, n);
done:
    placed_sections_free(v, n);
    fs_list_free(names);
    buf_release(&dir);
    diag_free(quiet);
}

/* The top folder all the files of a mkdocs.yml nav section's entries (a
 * list of "file.md", "Title: file.md" or nested sections) are in, into
 * folder; 0 when there is one, -1 when none or several. */
static int nav_section_folder(buf *folder, const yaml_node *items)
{
    int err = 0;
    for (size_t i = 0; !err && yamltree_kind(items) == YAML_SEQUENCE && i < yamltree_len(items);
         i++) {
        const yaml_node *it = yamltree_item(items, i);
        if (yamltree_kind(it) == YAML_MAPPING && yamltree_len(it) == 1)
            it = yamltree_item(it, 0);
        if (yamltree_kind(it) == YAML_SEQUENCE) {
            err = nav_section_folder(folder, it);
            continue;
        }
        const char *t = yamltree_kind(it) == YAML_SCALAR ? yamltree_text(it) : NULL;
        if (!t || strstr(t, "://"))
            continue; /* an external link */
        const char *slash = strchr(t, '/');
        if (!slash || slash == t)
            return -1; /* a page at the top */
        size_t n = (size_t)(slash - t);
        if (!folder->len)
            buf_add(folder, t, n);
        else if (folder->len != n || memcmp(folder->data, t, n) != 0)
            return -1;
    }
    return err || !folder->len ? -1 : 0;
}

/* MkDocs's section titles and order: awesome-pages' .pages files (a
 * folder's title:, the top one's nav: of folder names) and mkdocs.yml's
 * nav (y; a section "Title: [pages]" whose pages are all in one top
 * folder titles it). Titles unlike charter's: `defaults:` giving the
 * folder's pages that section; two or more folders in the top .pages nav:
 * `sections:` in its order. */
static void put_mkdocs_sections(buf *b, const init_plan *p, const char *docs, const yaml_node *y)
{
    diags *quiet = diag_new(NULL);
    char **names = NULL;
    buf dir, text;
    buf_init(&dir);
    buf_init(&text);
    yaml_node *top = NULL;
    size_t n_names = 0, n = 0;
    char **titles = NULL;
    placed_section *v = NULL;
    if (fs_list_source(&names, p->root, docs, 1, quiet) != 0)
        goto done;
    while (names[n_names])
        n_names++;
    titles = xcalloc(n_names + 1, sizeof *titles);
    /* mkdocs.yml's nav sections, then each folder's .pages title. */
    const yaml_node *nav = yamltree_get(y, "nav");
    for (size_t j = 0; nav && yamltree_kind(nav) == YAML_SEQUENCE && j < yamltree_len(nav); j++) {
        const yaml_node *it = yamltree_item(nav, j);
        if (yamltree_kind(it) != YAML_MAPPING || yamltree_len(it) != 1 ||
            yamltree_kind(yamltree_item(it, 0)) != YAML_SEQUENCE)
            continue;
        buf folder;
        buf_init(&folder);
        if (nav_section_folder(&folder, yamltree_item(it, 0)) == 0)
            for (size_t i = 0; i < n_names; i++)
                if (!titles[i] && !strcmp(names[i], folder.data))
                    titles[i] = xstrdup(yamltree_text(yamltree_key(it, 0)));
        buf_release(&folder);
    }
    for (size_t i = 0; i < n_names; i++) {
        buf_reset(&dir);
        buf_printf(&dir, "%s/%s/.pages", docs, names[i]);
        yaml_node *py = NULL;
        buf_reset(&text);
        if (fs_source_kind(p->root, dir.data, NULL, quiet) == FS_FILE &&
            fs_read_source(&text, p->root, dir.data, 64 << 10, "the fixed limit for settings files",
                           quiet) == 0 &&
            yamltree_parse(&py, text.data, text.len, dir.data, 0, quiet) == 0) {
            const yaml_node *t = yamltree_get(py, "title");
            if (t && yamltree_kind(t) == YAML_SCALAR && *yamltree_text(t)) {
                free(titles[i]);
                titles[i] = xstrdup(yamltree_text(t));
            }
        }
        yamltree_free(py);
    }
    /* The top .pages nav: the folders in its order. */
    buf_reset(&dir);
    buf_printf(&dir, "%s/.pages", docs);
    buf_reset(&text);
    const yaml_node *pnav = NULL;
    if (fs_source_kind(p->root, dir.data, NULL, quiet) == FS_FILE &&
        fs_read_source(&text, p->root, dir.data, 64 << 10, "the fixed limit for settings files",
                       quiet) == 0 &&
        yamltree_parse(&top, text.data, text.len, dir.data, 0, quiet) == 0)
        pnav = yamltree_get(top, "nav");
    /* Each folder: its title, given to its pages when unlike charter's,
     * and its place in the top nav. */
    for (size_t i = 0; i < n_names; i++) {
        buf_reset(&dir);
        buf_printf(&dir, "%s/%s", docs, names[i]);
        if (!is_dir(p->root, dir.data))
            continue;
        placed_section sec = {0};
        for (size_t j = 0; pnav && yamltree_kind(pnav) == YAML_SEQUENCE && j < yamltree_len(pnav);
             j++) {
            const yaml_node *it = yamltree_item(pnav, j);
            if (!sec.placed && yamltree_kind(it) == YAML_SCALAR &&
                !strcmp(yamltree_text(it), names[i])) {
                sec.position = (double)j;
                sec.placed = 1;
            }
        }
        buf mine;
        buf_init(&mine);
        site_humanize(&mine, names[i], strlen(names[i]));
        int titled = titles[i] && strcmp(titles[i], mine.data) != 0;
        sec.title = titled ? xstrdup(titles[i]) : buf_detach(&mine);
        sec.folder = titled ? xstrdup(names[i]) : NULL;
        buf_release(&mine);
        v = xgrow(v, n, sizeof *v);
        v[n++] = sec;
    }
    put_section_titles(
        b,
        "# The sections' titles: mkdocs.yml's nav and the .pages files (awesome-pages)\n"
        "# name them; given to their pages.\n",
        v, n);
    put_section_order(b, "# The sections in the order of the top .pages nav (awesome-pages).\n", v,
                      n);
done:
    placed_sections_free(v, n);
    for (size_t i = 0; titles && i < n_names; i++)
        free(titles[i]);
    free(titles);
    yamltree_free(top);
    fs_list_free(names);
    buf_release(&dir);
    buf_release(&text);
    diag_free(quiet);
}

/* A generator's base path (Docusaurus's baseUrl, VitePress's base) as a
 * commented-out base_url, said on the terminal too: the generator puts it
 * before a root-relative link (`example`), charter does not, so set it
 * would make every such link a broken one. */
static void put_commented_base(buf *b, init_plan *p, const char *base, const char *who,
                               const char *key, const char *example)
{
    buf_printf(b,
               "# %s serves the site below its %s and reads a link like\n"
               "# %s below it too; charter reads it from the server's root. Set\n"
               "# base_url once the links start with it.\n"
               "# base_url: ",
               who, key, example);
    yamltree_put_scalar(b, base, 0);
    buf_addc(b, '\n');
    buf_printf(&p->notes,
               "note: base_url is commented out in site.yml: %s reads a link like %s below %s, "
               "charter does not\n",
               who, example, key);
}

/* The lastVersion of the docs plugin's default instance (the classic
 * preset's docs:, or a plugin-content-docs with no id or id 'default'),
 * into out: 0, or -1 when it sets none. Another instance's (id:
 * 'runbooks', with versions of its own) is not the docs'. */
static int docs_last_version(buf *out, const char *text)
{
    static const char key[] = "lastVersion";
    for (const char *at = strstr(text, key); at; at = strstr(at + 1, key)) {
        if (at > text && (isalnum((unsigned char)at[-1]) || at[-1] == '_'))
            continue;
        /* The object it is a key of: back to its unmatched '{', on to the
         * matching '}'. */
        const char *open = NULL;
        int depth = 0;
        for (const char *c = at; c > text; c--) {
            if (c[-1] == '}')
                depth++;
            else if (c[-1] == '{' && depth-- == 0) {
                open = c - 1;
                break;
            }
        }
        int other = 0;
        depth = 0;
        for (const char *c = open ? open : text; *c && !other; c++) {
            if (*c == '{')
                depth++;
            else if (*c == '}' && --depth == 0)
                break;
            else if (depth == 1 && (c == text || !isalnum((unsigned char)c[-1])) &&
                     (!strncmp(c, "id:", 3) || !strncmp(c, "id :", 4) ||
                      !strncmp(c, "\"id\":", 5) || !strncmp(c, "'id':", 5))) {
                const char *v = c + strcspn(c, ":") + 1;
                v += strspn(v, " \t");
                other = strncmp(v, "'default'", 9) != 0 && strncmp(v, "\"default\"", 9) != 0;
            }
        }
        if (other)
            continue;
        buf_reset(out);
        if (scan_string(out, at, key, 0) == 0 && out->len)
            return 0;
    }
    buf_reset(out);
    return -1;
}

/* The folder of the docs Docusaurus serves at their root: docs/, unless
 * versions.json names released versions, the last of which (its first,
 * or the config's lastVersion) is served there from
 * versioned_docs/version-<name>/, and docs/ at /next/ as "unreleased".
 * Into docs (a path the caller releases); said in a note when it is not
 * docs/. */
static void docusaurus_docs(buf *docs, init_plan *p, const char *config_text)
{
    buf last, path, text;
    buf_init(&last);
    buf_init(&path);
    buf_init(&text);
    diags *quiet = diag_new(NULL);
    jsondoc *doc = NULL;
    buf_adds(docs, "docs");
    if (config_text && docs_last_version(&last, config_text) == 0 && !strcmp(last.data, "current"))
        goto done;
    if (!config_text || docs_last_version(&last, config_text) != 0) {
        buf_reset(&last);
        if (!init_is_file(p->root, "versions.json") ||
            fs_read_source(&text, p->root, "versions.json", 64 << 10,
                           "the fixed limit for settings files", quiet) != 0 ||
            jsondoc_parse(&doc, text.data, text.len, "versions.json", 0, quiet) != 0)
            goto done;
        const jsondoc_node *first = jsondoc_item(jsondoc_root(doc), 0);
        const char *name = first ? jsondoc_string(first) : NULL;
        if (!name || !*name)
            goto done;
        buf_adds(&last, name);
    }
    buf_printf(&path, "versioned_docs/version-%s", last.data);
    if (strchr(last.data, '/') || !strcmp(last.data, "..") || !is_dir(p->root, path.data))
        goto done;
    buf_reset(docs);
    buf_add(docs, path.data, path.len);
    buf_printf(&p->notes,
               "note: content is %s, the version Docusaurus serves at the docs' root; docs/, "
               "the next version (served at /next/, \"unreleased\"), is not published\n",
               path.data);
done:
    jsondoc_free(doc);
    diag_free(quiet);
    buf_release(&last);
    buf_release(&path);
    buf_release(&text);
}

static int plan_docusaurus(init_plan *p, const char *config)
{
    int err = -1;
    buf text, title, base, docs;
    buf_init(&text);
    buf_init(&title);
    buf_init(&base);
    buf_init(&docs);
    if (config && read_js(&text, p, config) != 0)
        goto done;
    int named = config && scan_string(&title, text.data, "title", 0) == 0 && title.len;
    if (!named) {
        buf_reset(&title);
        init_dir_title(&title, p->root);
    }
    if (config && scan_string(&base, text.data, "baseUrl", 0) == 0 && base.len == 1 &&
        base.data[0] == '/')
        buf_reset(&base);
    buf *b = init_plan_file(p, "site.yml");
    init_put_header(b, "Docusaurus site");
    init_put_repository(b, p);
    init_put_setting(b,
                     named ? "The site's title, from docusaurus.config."
                           : "The site's title: the directory's name.",
                     "title", title.data);
    if (base.len)
        put_commented_base(b, p, base.data, "Docusaurus", "baseUrl", "/img/logo.png");
    docusaurus_docs(&docs, p, config ? text.data : NULL);
    int versioned = strcmp(docs.data, "docs") != 0;
    if (versioned) {
        buf_printf(b, "# The pages: the last released version of Docusaurus's docs, which it\n"
                      "# serves at their root (docs/ is the next one, unreleased).\n"
                      "content: ");
        yamltree_put_scalar(b, docs.data, 0);
        buf_addc(b, '\n');
    } else {
        buf_adds(b, "# The pages: Docusaurus's docs.\n"
                    "content: docs\n");
    }
    if (is_dir(p->root, "static"))
        buf_adds(b, "# Docusaurus serves static/ at the site's root; so does charter.\n"
                    "static: [static]\n");
    put_mdx_exclude(b, p, docs.data);
    /* Versioned docs: the older versions' copies are no part of the site
     * charter builds. */
    if (!versioned && (init_is_file(p->root, "versions.json") || is_dir(p->root, "versioned_docs")))
        buf_adds(&p->notes, "note: the versioned docs (versioned_docs/, versions.json) are not "
                            "built: charter builds docs/, the current version, and a link to an "
                            "older version's page is reported as broken\n");
    buf_adds(b, "# A page's slug: is its URL, as Docusaurus reads it.\n");
    key_probe updated = {p->root, "last_updated", 0}, position = {p->root, "sidebar_position", 0};
    int reviewed = any_file(p->root, docs.data, uses_key, &updated),
        placed = any_file(p->root, docs.data, uses_key, &position);
    if (reviewed)
        buf_adds(b, "# ...its last_updated: is its review date.\n");
    if (placed)
        buf_adds(b, "# ...its sidebar_position: its place in its section.\n");
    buf_printf(b, "keys: {permalink: slug%s%s}\n",
               reviewed ? ", last_reviewed: [last_updated]" : "",
               placed ? ", weight: sidebar_position" : "");
    buf_adds(b, "# A folder's README.md is its page (its category's index), as Docusaurus\n"
                "# shows it; a doc's id: names its URL when it has no slug.\n"
                "readme_index: true\n");
    int numbers = any_file(p->root, docs.data, numbered, NULL);
    if (numbers)
        buf_adds(b, "# Names start with a number (01-intro.md): left out of the URLs and\n"
                    "# titles, and the page's place in its section, as Docusaurus reads them.\n"
                    "strip_number_prefixes: true\n");
    put_category_order(b, p, docs.data, numbers);
    init_put_default_layout(b, "So the docs'\n# home page (slug: /) is not one.");
    init_put_theme(b, "\n# (Docusaurus's theme is React, which charter does not read.)", 1);
    err = 0;
done:
    buf_release(&text);
    buf_release(&title);
    buf_release(&base);
    buf_release(&docs);
    return err;
}

/* A Hugo setting: top-level in YAML or JSON (keys are case-insensitive),
 * or before the first [table] in TOML. */
static int hugo_setting(buf *out, const init_plan *p, const char *file, const char *text,
                        size_t len, const char *key)
{
    if (has_suffix(file, ".toml")) {
        buf head;
        buf_init(&head);
        for (const char *s = text; s && *s;) {
            const char *e = strchr(s, '\n');
            const char *t = s;
            while (*t == ' ' || *t == '\t')
                t++;
            if (*t == '[')
                break;
            buf_add(&head, s, e ? (size_t)(e - s + 1) : strlen(s));
            s = e ? e + 1 : NULL;
        }
        int rc = scan_string(out, head.data, key, 1);
        if (rc != 0) {
            /* TOML keys are case-sensitive, Hugo's are not: baseurl, baseURL. */
            buf_reset(out);
            for (char *c = head.data; *c; c++)
                if (!strncasecmp(c, key, strlen(key)))
                    memcpy(c, key, strlen(key));
            rc = scan_string(out, head.data, key, 1);
        }
        buf_release(&head);
        return rc;
    }
    yaml_node *y = NULL;
    diags *quiet = diag_new(NULL);
    int rc = -1;
    if (yamltree_parse(&y, text, len, file, 0, quiet) == 0 && yamltree_kind(y) == YAML_MAPPING)
        for (size_t i = 0; i < yamltree_len(y) && rc; i++)
            if (!strcasecmp(yamltree_text(yamltree_key(y, i)), key) &&
                yamltree_kind(yamltree_item(y, i)) == YAML_SCALAR) {
                buf_adds(out, yamltree_text(yamltree_item(y, i)));
                rc = 0;
            }
    yamltree_free(y);
    diag_free(quiet);
    return rc;
}

static const char *const hugo_configs[] = {
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
    "config/_default/hugo.toml",
    "config/_default/hugo.yaml",
    "config/_default/hugo.yml",
    "config/_default/hugo.json",
    "config/_default/config.toml",
    "config/_default/config.yaml",
    "config/_default/config.yml",
    "config/_default/config.json",
    NULL,
};

/* The pages folder of the Hugo site whose configuration is `config`
 * (NULL: none): its contentDir, else content. */
static void hugo_content(buf *out, init_plan *p, const char *config)
{
    buf text;
    buf_init(&text);
    diags *quiet = diag_new(NULL), *saved = p->d;
    p->d = quiet; /* read again by plan_hugo, which reports */
    if (!config || init_read_text(&text, p, config) != 0 ||
        hugo_setting(out, p, config, text.data, text.len, "contentDir") != 0 || !out->len ||
        !path_is_safe_output(out->data)) {
        buf_reset(out);
        buf_adds(out, "content");
    }
    while (out->len > 1 && out->data[out->len - 1] == '/')
        buf_truncate(out, out->len - 1);
    p->d = saved;
    diag_free(quiet);
    buf_release(&text);
}

/* The value of key (Hugo's keys are read in any case) in mapping m, or
 * NULL. */
static const yaml_node *hugo_key(const yaml_node *m, const char *key)
{
    for (size_t i = 0; m && yamltree_kind(m) == YAML_MAPPING && i < yamltree_len(m); i++)
        if (!strcasecmp(yamltree_text(yamltree_key(m, i)), key))
            return yamltree_item(m, i);
    return NULL;
}

/* A Hugo site's [languages]: charter builds its default language
 * (defaultContentLanguage, else en). With a contentDir of that language's,
 * *content becomes it; with translations by file name (access.de.md), the
 * other languages' files are appended to `excluded` (", "-separated
 * patterns). A note says so when there are two or more. */
static void hugo_languages(buf *content, buf *excluded, init_plan *p, const char *config,
                           const char *text, size_t len)
{
    yaml_node *y = NULL, *split = NULL;
    diags *quiet = diag_new(NULL), *saved = p->d;
    buf more;
    buf_init(&more);
    int parsed = has_suffix(config, ".toml") ? toml_parse(&y, text, len, config, 0, NULL, quiet)
                                             : yamltree_parse(&y, text, len, config, 0, quiet);
    const yaml_node *langs = parsed == 0 ? hugo_key(y, "languages") : NULL;
    /* Hugo's configuration directory keeps them in a file of their own,
     * each language a table at its top. */
    static const char *const split_files[] = {"config/_default/languages.toml",
                                              "config/_default/languages.yaml",
                                              "config/_default/languages.yml", NULL};
    const char *sf = langs ? NULL : first_file(p->root, split_files);
    p->d = quiet;
    if (sf && init_read_text(&more, p, sf) == 0 &&
        (has_suffix(sf, ".toml") ? toml_parse(&split, more.data, more.len, sf, 0, NULL, quiet)
                                 : yamltree_parse(&split, more.data, more.len, sf, 0, quiet)) == 0)
        langs = split;
    p->d = saved;
    /* One language is no multilingual site, but its contentDir is still
     * where its pages are (a Docsy site's content/en). */
    if (!langs || yamltree_kind(langs) != YAML_MAPPING || yamltree_len(langs) < 1)
        goto done;
    const yaml_node *dl = hugo_key(y, "defaultContentLanguage");
    const char *lang = dl && yamltree_kind(dl) == YAML_SCALAR ? yamltree_text(dl) : "en";
    const yaml_node *mine = hugo_key(langs, lang);
    const yaml_node *dir = hugo_key(mine, "contentDir");
    if (dir && yamltree_kind(dir) == YAML_SCALAR && path_is_safe_output(yamltree_text(dir))) {
        buf_reset(content);
        buf_adds(content, yamltree_text(dir));
        while (content->len > 1 && content->data[content->len - 1] == '/')
            buf_truncate(content, content->len - 1);
    } else {
        for (size_t i = 0; i < yamltree_len(langs); i++) {
            const char *code = yamltree_text(yamltree_key(langs, i));
            if (!strcasecmp(code, lang) || strpbrk(code, "/*?[]\"\\ "))
                continue;
            buf_printf(excluded, "%s\"*.%s.md\"", excluded->len ? ", " : "", code);
        }
    }
    if (yamltree_len(langs) > 1)
        buf_printf(&p->notes,
                   "note: a multilingual Hugo site: charter builds its default language ('%s') "
                   "alone\n",
                   lang);
done:
    yamltree_free(y);
    yamltree_free(split);
    buf_release(&more);
    diag_free(quiet);
}

/* A Hugo section's _index.md: its title and weight (ctx: a
 * placed_section). */
static int read_title_weight(void *ctx, const yaml_node *fm)
{
    placed_section *h = ctx;
    const yaml_node *t = yamltree_get(fm, "title"), *w = yamltree_get(fm, "weight");
    if (t && yamltree_kind(t) == YAML_SCALAR && *yamltree_text(t))
        h->title = xstrdup(yamltree_text(t));
    const char *wt = w && yamltree_kind(w) == YAML_SCALAR ? yamltree_text(w) : NULL;
    char *end = NULL;
    if (wt && *wt) {
        double v = strtod(wt, &end);
        if (end && !*end) {
            h->position = v;
            h->placed = 1;
        }
    }
    return 1;
}

/* Hugo's sections, as its theme shows them: each titled by its _index.md
 * title (charter titles a folder by its name), and a top folder whose
 * sub-folders have an _index.md (Docsy's content/docs/governance/) shows
 * those as sections of their own. Written as `defaults:` giving each
 * folder's pages their section (the deeper folders after, so theirs win),
 * and `sections:` in the order of their weights when two or more have
 * one. */
static void put_hugo_sections(buf *b, const init_plan *p, const char *content)
{
    diags *quiet = diag_new(NULL);
    char **tops = NULL;
    placed_section *v = NULL;
    size_t n = 0;
    buf dir, idx;
    buf_init(&dir);
    buf_init(&idx);
    if (fs_list_source(&tops, p->root, content, 1, quiet) != 0)
        goto done;
    for (int depth = 1; depth <= 2; depth++) {
        for (size_t i = 0; tops[i]; i++) {
            buf_reset(&dir);
            path_join(&dir, content, tops[i]);
            if (!is_dir(p->root, dir.data))
                continue;
            char **subs = NULL;
            size_t want = 1;
            if (depth == 2 && fs_list_source(&subs, p->root, dir.data, 1, quiet) != 0)
                continue;
            for (size_t j = 0; depth == 1 ? want-- : subs[j] != NULL; j++) {
                buf folder;
                buf_init(&folder);
                buf_adds(&folder, tops[i]);
                if (depth == 2)
                    buf_printf(&folder, "/%s", subs[j]);
                buf_reset(&idx);
                path_join(&idx, content, folder.data);
                int is_folder = is_dir(p->root, idx.data);
                buf_adds(&idx, "/_index.md");
                int has_index = is_folder && init_is_file(p->root, idx.data);
                /* A sub-folder is a section when it has an _index.md. */
                if (!is_folder || (depth == 2 && !has_index)) {
                    buf_release(&folder);
                    continue;
                }
                placed_section h = {0};
                if (has_index)
                    with_front_matter(p->root, idx.data, read_title_weight, &h);
                const char *leaf = depth == 2 ? subs[j] : tops[i];
                buf mine;
                buf_init(&mine);
                site_humanize(&mine, leaf, strlen(leaf));
                if (!h.title)
                    h.title = xstrdup(mine.data);
                if (depth == 2 || strcmp(h.title, mine.data) != 0)
                    h.folder = buf_detach(&folder);
                buf_release(&folder);
                buf_release(&mine);
                v = xgrow(v, n, sizeof *v);
                v[n++] = h;
            }
            fs_list_free(subs);
        }
    }
    put_section_titles(b,
                       "# The sections, as Hugo shows them: titled by their _index.md, a folder\n"
                       "# below the top with an _index.md a section of its own.\n",
                       v, n);
    put_section_order(b, "# The sections in the order of their _index.md weight.\n", v, n);
done:
    placed_sections_free(v, n);
    fs_list_free(tops);
    buf_release(&dir);
    buf_release(&idx);
    diag_free(quiet);
}

/* A Markdown file whose path has a capital letter (Policies/Access.md). */
static int capital_page(void *ctx, const char *rel)
{
    (void)ctx;
    if (!path_md_ext(rel, strlen(rel)))
        return 0;
    for (const char *c = rel; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            return 1;
    return 0;
}

/* Whether Hugo's configuration (text, of file config) sets key to true
 * (uglyURLs: a page at /a/b.html; disablePathToLower). */
static int hugo_true(const char *config, const char *text, size_t len, const char *key)
{
    yaml_node *y = NULL;
    diags *quiet = diag_new(NULL);
    int parsed = has_suffix(config, ".toml") ? toml_parse(&y, text, len, config, 0, NULL, quiet)
                                             : yamltree_parse(&y, text, len, config, 0, quiet);
    const yaml_node *u = parsed == 0 ? hugo_key(y, key) : NULL;
    const char *v = u && yamltree_kind(u) == YAML_SCALAR ? yamltree_text(u) : NULL;
    int ugly = v && !strcasecmp(v, "true");
    yamltree_free(y);
    diag_free(quiet);
    return ugly;
}

static int plan_hugo(init_plan *p, const char *config)
{
    int err = -1;
    buf text, title, base;
    buf_init(&text);
    buf_init(&title);
    buf_init(&base);
    if (config && init_read_text(&text, p, config) != 0)
        goto done;
    int named =
        config && hugo_setting(&title, p, config, text.data, text.len, "title") == 0 && title.len;
    if (!named) {
        buf_reset(&title);
        init_dir_title(&title, p->root);
    }
    /* Zola's config.toml, which init reads as Hugo's, calls it base_url. */
    int zola_base = 0;
    if (config &&
        (hugo_setting(&base, p, config, text.data, text.len, "baseURL") == 0 ||
         (zola_base = hugo_setting(&base, p, config, text.data, text.len, "base_url") == 0))) {
        /* Its path: charter's links start there ("https://x.io/docs/" -> "/docs/"). */
        const char *s = strstr(base.data, "://");
        s = s ? strchr(s + 3, '/') : base.data[0] == '/' ? base.data : NULL;
        char *path = xstrdup(s ? s : "/");
        buf_reset(&base);
        buf_adds(&base, path);
        free(path);
    }
    buf *b = init_plan_file(p, "site.yml");
    init_put_header(b, "Hugo site");
    init_put_repository(b, p);
    init_put_setting(b,
                     named ? "The site's title, from Hugo's configuration."
                           : "The site's title: the directory's name.",
                     "title", title.data);
    /* Its language, for <html lang> (a screen reader's voice): Hugo's
     * languageCode, else its defaultContentLanguage. */
    buf lang;
    buf_init(&lang);
    if (config &&
        ((hugo_setting(&lang, p, config, text.data, text.len, "languageCode") == 0 && lang.len) ||
         (buf_reset(&lang),
          hugo_setting(&lang, p, config, text.data, text.len, "defaultContentLanguage") == 0 &&
              lang.len)) &&
        config_language_ok(lang.data) && strcasecmp(lang.data, "en"))
        init_put_setting(b, "The pages' language, from Hugo's configuration.", "language",
                         lang.data);
    buf_release(&lang);
    if (base.len)
        init_put_base_url(p, b,
                          zola_base ? "Where the site is served: the path of base_url (Zola's)."
                                    : "Where the site is served: the path of Hugo's baseURL.",
                          base.data, zola_base ? "Zola's base_url" : "Hugo's baseURL");
    buf content, excluded;
    buf_init(&content);
    buf_init(&excluded);
    hugo_content(&content, p, config);
    if (config)
        hugo_languages(&content, &excluded, p, config, text.data, text.len);
    init_put_setting(b,
                     strcmp(content.data, "content") ? "The pages: Hugo's contentDir."
                                                     : "The pages: Hugo's content/.",
                     "content", content.data);
    if (excluded.len)
        buf_printf(b,
                   "# The other languages' pages: charter builds the default one.\n"
                   "exclude: [%s]\n",
                   excluded.data);
    buf_release(&excluded);
    if (is_dir(p->root, "static"))
        buf_adds(b, "# Hugo serves static/ at the site's root; so does charter.\n"
                    "static: [static]\n");
    buf_adds(b, "# A folder with an index.md is one page, a leaf bundle: the other Markdown\n"
                "# files in it are its resources, which Hugo does not publish.\n"
                "leaf_bundles: true\n");
    /* Docsy's search page (layout: search) and the like name Hugo's
     * templates. */
    key_probe layout = {p->root, "layout", 0};
    if (any_file(p->root, content.data, uses_key, &layout))
        buf_adds(b, "# A page's layout: names a Hugo template (Docsy's search), not charter's.\n"
                    "checks: {unknown-layout: off}\n");
    if (!(config && hugo_true(config, text.data, text.len, "disablePathToLower")) &&
        any_file(p->root, content.data, capital_page, NULL))
        buf_adds(b, "# A page's address is its path lowercased (Policies/Access.md is\n"
                    "# /policies/access/), as Hugo makes it.\n"
                    "lowercase_urls: true\n");
    if (config && hugo_true(config, text.data, text.len, "uglyURLs"))
        buf_adds(b, "# Pages at a/b.html, as Hugo's uglyURLs has them.\n"
                    "urls: html\n");
    /* Hugo's url: is a page's whole address, as a permalink is. */
    key_probe updated = {p->root, "last_updated", 0}, url = {p->root, "url", 0},
              extra = {p->root, "extra", 0}, params = {p->root, "params", 0};
    int reviewed = any_file(p->root, content.data, uses_key, &updated),
        addressed = any_file(p->root, content.data, uses_key, &url);
    /* Zola keeps a page's own values in its [extra] table, Hugo in
     * [params]: an owner and a review date there are read through
     * dotted keys (nothing, where a page has none). */
    const char *table = any_file(p->root, content.data, uses_key, &extra)    ? "extra"
                        : any_file(p->root, content.data, uses_key, &params) ? "params"
                                                                             : NULL;
    if (reviewed)
        buf_adds(b, "# The pages' last_updated: is their review date.\n");
    if (addressed)
        buf_adds(b, "# A page's url: is its address, as Hugo reads it.\n");
    if (table)
        buf_printf(b, "# An owner and a review date kept in a page's [%s] table are its own.\n",
                   table);
    if (reviewed || addressed || table) {
        buf keys;
        buf_init(&keys);
        if (reviewed || table) {
            buf_adds(&keys, "last_reviewed: [");
            if (reviewed)
                buf_printf(&keys, "last_updated%s", table ? ", " : "");
            if (table)
                buf_printf(&keys, "%s.last_reviewed", table);
            buf_adds(&keys, "]");
        }
        if (table)
            buf_printf(&keys, ", owner: %s.owner", table);
        if (addressed)
            buf_printf(&keys, "%spermalink: url", keys.len ? ", " : "");
        buf_printf(b, "keys: {%s}\n", keys.data);
        buf_release(&keys);
    }
    put_hugo_sections(b, p, content.data);
    buf_release(&content);
    init_put_default_layout(b, "So section\n# pages (_index.md) are not.");
    init_put_theme(b, "\n# (Hugo's layouts/ and assets/ are Hugo's, which charter does not read.)",
                   1);
    if (is_dir(p->root, "archetypes"))
        buf_adds(b, "# Hugo's archetypes/ are Go templates: charter new's are in .charter/.\n"
                    "archetypes: .charter/archetypes\n");
    err = 0;
done:
    buf_release(&text);
    buf_release(&title);
    buf_release(&base);
    return err;
}

/* --- MkDocs ---------------------------------------------------------------------- */

/* Setting key of mkdocs.yml (text, parsed as y) when it is written with
 * MkDocs's !ENV tag, which charter's YAML reader drops: "key: !ENV [VAR,
 * default]" gives the default, "key: !ENV VAR" nothing (said in a note).
 * Else the plain scalar, or NULL. */
static const char *mkdocs_value(init_plan *p, const char *text, const yaml_node *y, const char *key)
{
    const yaml_node *n = yamltree_get(y, key);
    if (!n || yamltree_is_null(n))
        return NULL;
    size_t kl = strlen(key);
    int env = 0;
    for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
        if (!strncmp(l, key, kl) && l[kl] == ':') {
            const char *v = l + kl + 1;
            v += strspn(v, " \t");
            env = !strncmp(v, "!ENV", 4);
            break;
        }
    if (!env)
        return yamltree_kind(n) == YAML_SCALAR ? yamltree_text(n) : NULL;
    size_t len = yamltree_kind(n) == YAML_SEQUENCE ? yamltree_len(n) : 0;
    const yaml_node *def = len >= 2 ? yamltree_item(n, len - 1) : NULL;
    if (def && yamltree_kind(def) == YAML_SCALAR && !yamltree_is_null(def) && *yamltree_text(def))
        return yamltree_text(def);
    buf_printf(&p->notes,
               "note: mkdocs.yml's %s comes from the environment (!ENV) with no default: "
               "set it in site.yml\n",
               key);
    return NULL;
}

/* mkdocs.yml's exclude_docs and draft_docs (gitignore-style lines, from
 * docs_dir), which MkDocs does not publish, appended to list as site.yml's
 * exclude patterns: "**" + "/name" is the name at any depth, as exclude:
 * reads a name; a negation ("!keep.md") or another "**" has no equal, and
 * is said in a note. */
static void mkdocs_excludes(buf *list, init_plan *p, const yaml_node *y)
{
    static const char *const keys[] = {"exclude_docs", "draft_docs"};
    buf pat;
    buf_init(&pat);
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        const yaml_node *n = yamltree_get(y, keys[k]);
        if (!n || yamltree_kind(n) != YAML_SCALAR || yamltree_is_null(n))
            continue;
        for (const char *l = yamltree_text(n); *l;) {
            size_t len = strcspn(l, "\n");
            const char *s = l, *e = l + len;
            l = *e ? e + 1 : e;
            while (s < e && (*s == ' ' || *s == '\t'))
                s++;
            while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
                e--;
            if (s < e && *s == '/')
                s++;
            if (e - s > 3 && !memcmp(s, "**/", 3) && !memchr(s + 3, '/', (size_t)(e - s - 3)))
                s += 3;
            if (s == e || *s == '#')
                continue;
            if (*s == '!' || memmem(s, (size_t)(e - s), "**", 2)) {
                buf_printf(&p->notes,
                           "note: mkdocs.yml's %s pattern '%.*s' has no equal in site.yml's "
                           "exclude: check what it keeps or leaves out\n",
                           keys[k], (int)(e - s), s);
                continue;
            }
            buf_reset(&pat);
            buf_add(&pat, s, (size_t)(e - s));
            if (list->len)
                buf_adds(list, ", ");
            yamltree_put_scalar(list, pat.data, 1);
        }
    }
    buf_release(&pat);
}

/* mkdocs.yml's settings, read as YAML (its !!python tags are ignored):
 * site_name, site_description, site_url (its path), docs_dir, site_dir;
 * config NULL (--kind mkdocs without one): MkDocs's defaults. */
static int plan_mkdocs(init_plan *p, const char *config)
{
    int err = -1;
    buf text, base;
    buf_init(&text);
    buf_init(&base);
    yaml_node *y = NULL;
    if (!config) /* --kind mkdocs without one: the defaults */
        y = yamltree_new(YAML_MAPPING, NULL, 0, NULL);
    else if (init_read_text(&text, p, config) != 0 ||
             yamltree_parse(&y, text.data, text.len, config, 0, p->d) != 0)
        goto done;
    if (yamltree_kind(y) != YAML_MAPPING) {
        diag_error(p->d, config, yamltree_line(y), yamltree_col(y), "config",
                   "'%s' must be a mapping of settings", config);
        goto done;
    }
    const char *t = text.data ? text.data : "";
    const char *name = mkdocs_value(p, t, y, "site_name");
    const char *about = mkdocs_value(p, t, y, "site_description");
    const char *url = mkdocs_value(p, t, y, "site_url");
    const char *docs = mkdocs_value(p, t, y, "docs_dir"), *out = mkdocs_value(p, t, y, "site_dir");
    buf title;
    buf_init(&title);
    if (name)
        buf_adds(&title, name);
    else
        init_dir_title(&title, p->root);
    if (url) {
        /* Its path: charter's links start there ("https://x.io/isms/" -> "/isms/"). */
        const char *s = strstr(url, "://");
        s = s ? strchr(s + 3, '/') : url[0] == '/' ? url : NULL;
        buf_adds(&base, s ? s : "/");
    }
    buf *b = init_plan_file(p, "site.yml");
    init_put_header(b, "MkDocs site");
    init_put_repository(b, p);
    init_put_setting(b,
                     name ? "The site's title: mkdocs.yml's site_name."
                          : "The site's title: the directory's name.",
                     "title", title.data);
    buf_release(&title);
    init_put_setting(b, "One sentence for the home page and metadata: site_description.",
                     "description", about);
    if (base.len)
        init_put_base_url(p, b, "Where the site is served: the path of site_url.", base.data,
                          "mkdocs.yml's site_url");
    init_put_setting(b, "The pages: MkDocs's docs_dir.", "content", docs ? docs : "docs");
    if (out && !path_is_safe_output(out)) {
        /* Outside the repository, or above it: a build would refuse it. */
        buf_printf(&p->notes,
                   "note: mkdocs.yml's site_dir '%s' is outside the repository: the site is "
                   "built into site/\n",
                   out);
        out = NULL;
    }
    init_put_setting(b, "Where 'charter build' writes the site, as MkDocs's site_dir.", "output",
                     out ? out : "site");
    buf_adds(b, "# A folder's README.md is its page when it has no index.md, as MkDocs\n"
                "# renders it.\n"
                "readme_index: true\n"
                "# The headings' ids as MkDocs makes them (\"Roles & Responsibilities\" is\n"
                "# #roles-responsibilities), which links' #fragments name.\n"
                "markdown: {heading_ids: mkdocs}\n");
    const yaml_node *dirs = yamltree_get(y, "use_directory_urls");
    const char *dv = dirs && yamltree_kind(dirs) == YAML_SCALAR ? yamltree_text(dirs) : NULL;
    if (dv && (!strcasecmp(dv, "false") || !strcasecmp(dv, "no") || !strcasecmp(dv, "off")))
        buf_adds(b, "# Pages at a/b.html, as mkdocs.yml's use_directory_urls: false has them.\n"
                    "urls: html\n");
    buf excluded;
    buf_init(&excluded);
    mkdocs_excludes(&excluded, p, y);
    if (excluded.len)
        buf_printf(b,
                   "# mkdocs.yml's exclude_docs and draft_docs: pages MkDocs does not publish.\n"
                   "exclude: [%s]\n",
                   excluded.data);
    buf_release(&excluded);
    put_last_updated(b, p, docs ? docs : "docs");
    /* Material's page status (`status: new`, `deprecated`, or one of
     * extra.status) is no document status of charter's. */
    key_probe status = {p->root, "status", 1};
    if (any_file(p->root, docs ? docs : "docs", uses_key, &status))
        buf_adds(b, "# The pages' status: is Material's (new, deprecated), not a document\n"
                    "# status of charter's (draft, approved, retired).\n"
                    "checks: {unknown-status: off}\n");
    put_mkdocs_sections(b, p, docs ? docs : "docs", y);
    init_put_default_layout(b, "As MkDocs\n# shows every page alike.");
    init_put_theme(b, "\n# (MkDocs's theme is Jinja templates, which charter does not read.)", 1);
    if (config && yamltree_get(y, "nav"))
        put_nav_order(b, "as mkdocs.yml's nav lists them", config, NULL);
    err = 0;
done:
    yamltree_free(y);
    buf_release(&text);
    buf_release(&base);
    return err;
}

/* --- mdBook ------------------------------------------------------------------------ */

/* book.toml's settings (TOML): [book] title, description and src,
 * [output.html] site-url (its path); config NULL (--kind mdbook without
 * one): mdBook's defaults. The chapters stay where mdBook keeps them; a
 * folder's README.md is its chapter's page, src/README.md the home page,
 * as mdBook renders them; SUMMARY.md, mdBook's table of contents, is no
 * page. */
static int plan_mdbook(init_plan *p, const char *config)
{
    int err = -1;
    buf text, title;
    buf_init(&text);
    buf_init(&title);
    yaml_node *y = NULL;
    if (!config)
        y = yamltree_new(YAML_MAPPING, NULL, 0, NULL);
    else if (init_read_text(&text, p, config) != 0)
        goto done;
    /* A byte-order mark, as an editor may save it: not TOML's. */
    size_t bom = text.len >= 3 && !memcmp(text.data, "\xEF\xBB\xBF", 3) ? 3 : 0;
    if (config && toml_parse(&y, text.data + bom, text.len - bom, config, 0, NULL, p->d) != 0)
        goto done;
    const yaml_node *book = yamltree_get(y, "book"), *out = yamltree_get(y, "output"), *n;
    const yaml_node *html = out ? yamltree_get(out, "html") : NULL;
#define SETTING(m, key)                                                                            \
    ((m) && (n = yamltree_get((m), key)) && yamltree_kind(n) == YAML_SCALAR &&                     \
             !yamltree_is_null(n)                                                                  \
         ? yamltree_text(n)                                                                        \
         : NULL)
    const char *name = SETTING(book, "title"), *about = SETTING(book, "description");
    const char *src = SETTING(book, "src"), *url = SETTING(html, "site-url");
#undef SETTING
    if (!src || !*src || strstr(src, "..") || src[0] == '/')
        src = "src"; /* mdBook's default; a path leaving the book is none */
    if (name)
        buf_adds(&title, name);
    else
        init_dir_title(&title, p->root);
    buf *b = init_plan_file(p, "site.yml");
    init_put_header(b, "mdBook book");
    init_put_repository(b, p);
    init_put_setting(b,
                     name ? "The site's title: book.toml's title."
                          : "The site's title: the directory's name.",
                     "title", title.data);
    buf_release(&title);
    init_put_setting(b, "One sentence for the home page and metadata: book.toml's description.",
                     "description", about);
    if (url && url[0] == '/' && strcmp(url, "/") != 0)
        init_put_base_url(p, b, "Where the site is served: book.toml's site-url.", url,
                          "book.toml's site-url");
    init_put_setting(b, "The chapters: book.toml's src.", "content", src);
    int top = !strcmp(src, ".") || !strcmp(src, "./");
    buf_printf(b,
               "# A folder's README.md is its chapter's page (the top one the home page),\n"
               "# as mdBook renders it.\n"
               "readme_index: true\n"
               "# SUMMARY.md is mdBook's table of contents, not a chapter%s.\n"
               "exclude: [SUMMARY.md%s]\n",
               top ? "; book.toml, theme/ and book/ are mdBook's" : "",
               top ? ", book.toml, theme, book" : "");
    buf summary;
    buf_init(&summary);
    path_join(&summary, src, "SUMMARY.md");
    if (path_normalize(&summary) == 0 && init_is_file(p->root, summary.data))
        put_nav_order(b, "as SUMMARY.md, mdBook's table of contents, lists them", summary.data,
                      "as mdBook renders only the\n# chapters it lists (not a partial an include "
                      "reads, nor a draft)");
    buf_release(&summary);
    buf_adds(b, "# A chapter at a/b.html, as mdBook writes it (a README.md is its\n"
                "# folder's index.html).\n"
                "urls: html\n");
    put_last_updated(b, p, src);
    init_put_default_layout(b, "As mdBook\n# shows every chapter alike.");
    init_put_theme(b, "\n# (mdBook's theme is Handlebars templates, which charter does not read.)",
                   1);
    buf_adds(&p->notes, "note: {{#include}} is not read: copy the text into the chapter\n");
    err = 0;
done:
    yamltree_free(y);
    buf_release(&text);
    return err;
}

/* --- VitePress ------------------------------------------------------------------ */

/* Where VitePress sites keep their settings: .vitepress/ in the folder of
 * the pages, docs/ (most) or the root. */
static const char *const vitepress_configs[] = {
    "docs/.vitepress/config.mts", "docs/.vitepress/config.ts", "docs/.vitepress/config.mjs",
    "docs/.vitepress/config.js",  ".vitepress/config.mts",     ".vitepress/config.ts",
    ".vitepress/config.mjs",      ".vitepress/config.js",      NULL,
};

static int plan_vitepress(init_plan *p, const char *config)
{
    int err = -1;
    buf text, title, about, base, pub;
    buf_init(&text);
    buf_init(&title);
    buf_init(&about);
    buf_init(&base);
    buf_init(&pub);
    if (config && read_js(&text, p, config) != 0)
        goto done;
    /* The pages: the folder holding .vitepress/. */
    const char *content = config && !strncmp(config, "docs/", 5) ? "docs"
                          : config                               ? "."
                          : is_dir(p->root, "docs")              ? "docs"
                                                                 : ".";
    int named = config && scan_string(&title, text.data, "title", 0) == 0 && title.len;
    if (!named) {
        buf_reset(&title);
        init_dir_title(&title, p->root);
    }
    if (config && scan_string(&about, text.data, "description", 0) != 0)
        buf_reset(&about);
    if (config &&
        (scan_string(&base, text.data, "base", 0) != 0 || (base.len == 1 && base.data[0] == '/')))
        buf_reset(&base);
    buf *b = init_plan_file(p, "site.yml");
    init_put_header(b, "VitePress site");
    init_put_repository(b, p);
    init_put_setting(b,
                     named ? "The site's title, from the VitePress config."
                           : "The site's title: the directory's name.",
                     "title", title.data);
    if (about.len)
        init_put_setting(b, "One sentence for the home page and metadata: its description.",
                         "description", about.data);
    if (base.len)
        put_commented_base(b, p, base.data, "VitePress", "base", "/policies/x");
    init_put_setting(b, "The pages: VitePress's source folder.", "content", content);
    path_join(&pub, content, "public");
    if (is_dir(p->root, pub.data)) {
        buf_adds(b, "# VitePress serves public/ at the site's root; so does charter.\n"
                    "static: [");
        yamltree_put_scalar(b, pub.data, 1);
        buf_adds(b, "]\n");
    }
    buf_adds(b, "# The headings' ids as VitePress makes them (\"1. Purpose\" is #_1-purpose),\n"
                "# which links' #fragments name.\n"
                "markdown: {heading_ids: vitepress}\n");
    put_last_updated(b, p, content);
    init_put_default_layout(b, "As VitePress\n# shows every page alike.");
    init_put_theme(b, "\n# (VitePress's theme is Vue components, which charter does not read.)", 1);
    buf_adds(&p->notes, "note: the VitePress config's sidebar and nav are not read: sections are "
                        "the pages' folders, in the order of site.yml's sections:, else "
                        "alphabetical\n");
    err = 0;
done:
    buf_release(&text);
    buf_release(&title);
    buf_release(&about);
    buf_release(&base);
    buf_release(&pub);
    return err;
}

/* --- Astro Starlight ------------------------------------------------------------- */

/* Astro's settings, at the top; a Starlight site's name its integration. */
static const char *const astro_configs[] = {"astro.config.mjs", "astro.config.ts",
                                            "astro.config.mts", "astro.config.js", NULL};
#define STARLIGHT_DOCS "src/content/docs"

/* An Astro config that uses Starlight, with its pages folder: 1. */
static int is_starlight(init_plan *p, const char *config)
{
    buf text;
    buf_init(&text);
    diags *quiet = diag_new(NULL);
    diags *d = p->d;
    p->d = quiet;
    int yes = is_dir(p->root, STARLIGHT_DOCS) && read_js(&text, p, config) == 0 &&
              strstr(text.data, "starlight(");
    p->d = d;
    diag_free(quiet);
    buf_release(&text);
    return yes;
}

/* The options of the call starlight({...}) in t (comments blanked): their
 * text with every nested object, array or call left out, so that only its
 * own keys are found (not a `head:` entry's title, nor another
 * integration's). 0, or -1 without one. */
static int starlight_options(buf *out, const char *t)
{
    const char *c = strstr(t, "starlight(");
    if (!c)
        return -1;
    c += 10;
    while (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r')
        c++;
    if (*c != '{')
        return -1;
    int depth = 0;
    char q = 0;
    for (; *c; c++) {
        if (q || *c == '\'' || *c == '"' || *c == '`') {
            if (!q)
                q = *c;
            else if (*c == '\\' && c[1]) {
                if (depth == 1)
                    buf_addc(out, *c);
                c++;
            } else if (*c == q)
                q = 0;
        } else if (*c == '{' || *c == '[' || *c == '(') {
            depth++;
            continue;
        } else if (*c == '}' || *c == ']' || *c == ')') {
            if (--depth == 0)
                return 0;
            continue;
        }
        if (depth == 1)
            buf_addc(out, *c);
    }
    return 0;
}

/* astro.config's Starlight integration: its title and description (its
 * own options', comments left out), and Astro's base; the
 * pages in src/content/docs, public/ at the site's root. */
static int plan_starlight(init_plan *p, const char *config)
{
    int err = -1;
    buf text, title, about, base, options;
    buf_init(&options);
    buf_init(&text);
    buf_init(&title);
    buf_init(&about);
    buf_init(&base);
    if (config && read_js(&text, p, config) != 0)
        goto done;
    int found = config && starlight_options(&options, text.data) == 0;
    int named = found && scan_string(&title, options.data, "title", 0) == 0 && title.len;
    if (!named) {
        buf_reset(&title);
        init_dir_title(&title, p->root);
    }
    if (!found || scan_string(&about, options.data, "description", 0) != 0)
        buf_reset(&about);
    if (config &&
        (scan_string(&base, text.data, "base", 0) != 0 || (base.len == 1 && base.data[0] == '/')))
        buf_reset(&base);
    buf *b = init_plan_file(p, "site.yml");
    init_put_header(b, "Astro Starlight site");
    init_put_repository(b, p);
    init_put_setting(b,
                     named ? "The site's title, from the Starlight integration's."
                           : "The site's title: the directory's name.",
                     "title", title.data);
    if (about.len)
        init_put_setting(b, "One sentence for the home page and metadata: its description.",
                         "description", about.data);
    if (base.len && base.data[0] != '/' && !strchr(base.data, ':')) {
        /* Astro reads 'docs' as /docs. */
        buf slash;
        buf_init(&slash);
        buf_printf(&slash, "/%s", base.data);
        buf_reset(&base);
        buf_adds(&base, slash.data);
        buf_release(&slash);
    }
    if (base.len && (base.data[0] != '/' || base.data[1] == '/' || strstr(base.data, ".."))) {
        /* Not a path on the site's host: left for the user to write. */
        buf_printf(&p->notes, "note: Astro's base '%s' is not a path: base_url is not set\n",
                   base.data);
        buf_reset(&base);
    }
    if (base.len)
        init_put_base_url(p, b, "Where the site is served: Astro's base.", base.data,
                          "Astro's base");
    init_put_setting(b, "The pages: Starlight's content collection.", "content", STARLIGHT_DOCS);
    if (is_dir(p->root, "public"))
        buf_adds(b, "# Astro serves public/ at the site's root; so does charter.\n"
                    "static: [public]\n");
    put_mdx_exclude(b, p, STARLIGHT_DOCS);
    put_last_updated(b, p, STARLIGHT_DOCS);
    init_put_default_layout(b, "As Starlight\n# shows every page alike.");
    init_put_theme(b, "\n# (Starlight's theme is Astro components, which charter does not read.)",
                   1);
    buf_adds(&p->notes, "note: the Starlight sidebar and a page's sidebar: settings are not read: "
                        "sections are the pages' folders, in the order of site.yml's sections:, "
                        "else alphabetical\n");
    err = 0;
done:
    buf_release(&text);
    buf_release(&title);
    buf_release(&about);
    buf_release(&base);
    buf_release(&options);
    return err;
}

/* --- plain Markdown -------------------------------------------------------------- */

/* Files and folders at the root that hold no page and no file a page could
 * show (a LICENSE, a Makefile, scripts/): with content: . charter would
 * publish them as they are. */
static int is_asset(void *ctx, const char *rel)
{
    static const char *const kinds[] = {".md",   ".png", ".jpg", ".jpeg", ".gif", ".svg",
                                        ".webp", ".pdf", ".ico", ".txt",  NULL};
    if (path_md_ext(rel, strlen(rel)))
        return 1;
    for (const char *const *k = kinds; *k; k++)
        if (has_suffix(rel, *k) && strcmp(rel, "LICENSE.txt"))
            return 1;
    return 0;
}

/* The names pages link to at the top level: from each Markdown link
 * `](name`, `](./name` or `](../name` (then its end, a slash or a
 * fragment) in the .md files (their first 64 KiB), `name`. One pass over
 * the pages for all the names at the root. */
typedef struct link_names {
    const fs_root *r;
    map *names;
} link_names;

static int collect_links(void *ctx, const char *rel)
{
    link_names *k = ctx;
    if (!path_md_ext(rel, strlen(rel)))
        return 0;
    buf text, name;
    buf_init(&text);
    buf_init(&name);
    diags *quiet = diag_new(NULL);
    if (fs_read_source(&text, k->r, rel, config_default_limits.page_bytes, "limits.page_bytes",
                       quiet) == 0) {
        size_t len = text.len < 65536 ? text.len : 65536;
        for (const char *s = text.data;
             (s = memmem(s, len - (size_t)(s - text.data), "](", 2)) != NULL;) {
            s += 2;
            while (*s == '<' || *s == ' ')
                s++;
            while (!strncmp(s, "./", 2) || !strncmp(s, "../", 3))
                s += s[1] == '/' ? 2 : 3;
            size_t n = strcspn(s, ")#/> \"");
            if (n && s[n]) {
                buf_reset(&name);
                buf_add(&name, s, n);
                map_put(k->names, name.data, (void *)1);
            }
            if ((size_t)(s - text.data) >= len)
                break;
        }
    }
    diag_free(quiet);
    buf_release(&name);
    buf_release(&text);
    return 0;
}

/* Adds name to list (", "-separated) unless it is there already. */
static void list_add_once(buf *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *at = list->data; (at = strstr(at, name)); at += n)
        if ((at == list->data || at[-1] == ' ') && (at[n] == ',' || !at[n]))
            return;
    buf_printf(list, "%s%s", list->len ? ", " : "", name);
}

static void root_leftovers(buf *list, init_plan *p)
{
    char **names = NULL;
    diags *quiet = diag_new(NULL);
    link_names linked = {p->root, NULL};
    if (fs_list(&names, p->root->path, 0, quiet) == 0)
        for (char **e = names; *e; e++) {
            if (**e == '.' || **e == '_' || !strcmp(*e, "node_modules") || !strcmp(*e, "vendor"))
                continue;
            fs_kind k = kind_at(p->root, *e);
            if ((k == FS_DIR && !any_file(p->root, *e, is_asset, NULL)) ||
                (k == FS_FILE && !is_asset(NULL, *e))) {
                /* A page links to it (README.md's [license](LICENSE)): kept,
                 * or the first check would find the link broken. */
                if (!linked.names) {
                    linked.names = map_new();
                    any_file(p->root, ".", collect_links, &linked);
                }
                if (map_get(linked.names, *e)) {
                    buf_printf(&p->notes,
                               "note: '%s' is not left out (exclude): a page links to it, so "
                               "it is published as it is\n",
                               *e);
                    continue;
                }
                buf_adds(list, list->len ? ", " : "");
                yamltree_put_scalar(list, *e, 1);
            }
        }
    fs_list_free(names);
    map_free(linked.names);
    diag_free(quiet);
}

/* The name of the page `stem` in dir ("." for the top) as GitHub finds
 * it, .md or .markdown ("README.markdown"): into name, 1; or 0. */
static int page_named(buf *name, const init_plan *p, const char *dir, const char *stem)
{
    static const char *const exts[] = {".md", ".markdown"};
    buf rel;
    buf_init(&rel);
    int found = 0;
    for (size_t i = 0; i < 2 && !found; i++) {
        buf_reset(name);
        buf_printf(name, "%s%s", stem, exts[i]);
        buf_reset(&rel);
        path_join(&rel, dir, name->data);
        found = init_is_file(p->root, rel.data);
    }
    buf_release(&rel);
    return found;
}

/* The first `# ` heading of dir's README, or nothing. */
static void readme_title_in(buf *out, const init_plan *p, const char *dir)
{
    buf text, name, rel;
    buf_init(&text);
    buf_init(&name);
    buf_init(&rel);
    diags *quiet = diag_new(NULL);
    int found = page_named(&name, p, dir, "README");
    path_join(&rel, dir, name.data);
    if (found && fs_read_source(&text, p->root, rel.data, SITE_YML_MAX, "", quiet) == 0) {
        for (const char *s = text.data; s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL) {
            if (strncmp(s, "# ", 2))
                continue;
            s += 2;
            size_t n = strcspn(s, "\r\n");
            while (n && (s[n - 1] == ' ' || s[n - 1] == '#'))
                n--;
            while (n && *s == ' ')
                s++, n--;
            buf_add(out, s, n);
            break;
        }
    }
    diag_free(quiet);
    buf_release(&text);
    buf_release(&name);
    buf_release(&rel);
}

/* The top README's first `# ` heading, or nothing. */
static void readme_title(buf *out, const init_plan *p)
{
    readme_title_in(out, p, ".");
}

/* A path .gitbook.yaml sets: its top-level `key`, or within the mapping
 * `section` (structure.summary), without a leading "./", into out. 0, or
 * -1 when the file or the value is not there. */
static int gitbook_setting(buf *out, init_plan *p, const char *section, const char *key)
{
    buf text;
    buf_init(&text);
    yaml_node *y = NULL;
    diags *quiet = diag_new(NULL);
    int err = -1;
    buf_reset(out);
    if (!init_is_file(p->root, ".gitbook.yaml") ||
        fs_read_source(&text, p->root, ".gitbook.yaml", SITE_YML_MAX, "", quiet) != 0 ||
        yamltree_parse(&y, text.data, text.len, ".gitbook.yaml", 0, quiet) != 0 || !y)
        goto done;
    const yaml_node *m = section ? yamltree_get(y, section) : y, *v = yamltree_get(m, key);
    const char *t = v && yamltree_kind(v) == YAML_SCALAR ? yamltree_text(v) : NULL;
    if (!t)
        goto done;
    while (t[0] == '.' && t[1] == '/')
        t += 2;
    buf_adds(out, t);
    err = 0;
done:
    yamltree_free(y);
    diag_free(quiet);
    buf_release(&text);
    return err;
}

/* GitBook's Git Sync: .gitbook.yaml's `root:`, the folder of the space
 * (its README the first page, its SUMMARY.md, its .gitbook/assets), into
 * out ("policy-space"), when it is a folder inside the repository other
 * than the top. 0, or -1 when there is none. */
static int gitbook_root(buf *out, init_plan *p)
{
    if (gitbook_setting(out, p, NULL, "root") != 0)
        return -1;
    while (out->len && out->data[out->len - 1] == '/')
        out->data[--out->len] = '\0';
    if (out->len && path_normalize(out) == 0 && out->data[0] != '/' && strcmp(out->data, ".") &&
        strncmp(out->data, "..", 2) && is_dir(p->root, out->data))
        return 0;
    buf_reset(out);
    return -1;
}

/* .gitbook.yaml's structure.<key> (summary: the table of contents' file,
 * readme: the first page; GitBook's SUMMARY.md and README.md by default),
 * from the space's root, into out: 0 when it names a Markdown file there,
 * else -1. */
static int gitbook_structure(buf *out, init_plan *p, const char *space, const char *key)
{
    if (gitbook_setting(out, p, "structure", key) != 0)
        return -1;
    buf path;
    buf_init(&path);
    path_join(&path, space, out->data);
    int ok = out->len && path_normalize(out) == 0 && out->data[0] != '/' &&
             strncmp(out->data, "..", 2) && path_md_ext(out->data, out->len) &&
             init_is_file(p->root, path.data);
    buf_release(&path);
    if (!ok)
        buf_reset(out);
    return ok ? 0 : -1;
}

/* With content: docs, the folders beside docs/ that hold Markdown too
 * (policies/ next to contributor notes in docs/) are left out: said in a
 * note, naming them, so that no policy is dropped unseen. */
static void docs_leaves_out(init_plan *p)
{
    char **list = NULL;
    buf path, named;
    buf_init(&path);
    buf_init(&named);
    diags *quiet = diag_new(NULL);
    fs_root_path(&path, p->root, ".");
    size_t n = 0;
    if (fs_list(&list, path.data, 1, quiet) == 0)
        for (char **e = list; *e; e++) {
            /* A name with a control character is no folder of pages (the
             * walk refuses it) and is not printed: it could hold terminal
             * escapes. */
            int ctl = 0;
            for (const unsigned char *c = (const unsigned char *)*e; *c; c++)
                ctl |= *c < 0x20 || *c == 0x7f;
            if (ctl || **e == '.' || **e == '_' || !strcmp(*e, "docs") ||
                !strcmp(*e, "node_modules") || !strcmp(*e, "vendor") || !is_dir(p->root, *e) ||
                !any_file(p->root, *e, stop_at_md, NULL))
                continue;
            if (n++ < 3)
                buf_printf(&named, "%s%s/", n > 1 ? ", " : "", *e);
        }
    if (n)
        buf_printf(&p->notes,
                   "note: the pages are docs/'s (content: docs); the Markdown of %s%s beside it "
                   "is left out: set content: . to read the whole repository\n",
                   named.data, n > 3 ? " and more" : "");
    fs_list_free(list);
    diag_free(quiet);
    buf_release(&path);
    buf_release(&named);
}

/* --- Eleventy -------------------------------------------------------------------- */

/* Eleventy's settings, at the top (v2's and v3's names, then v1's). */
static const char *const eleventy_configs[] = {"eleventy.config.js", "eleventy.config.mjs",
                                               "eleventy.config.cjs", ".eleventy.js", NULL};

/* The lines of an .eleventyignore at `rel` (globs of paths from the
 * project's top, or from the input folder for one there), as exclude:
 * items relative to the content folder `content`, appended to list. */
static void eleventy_ignores(buf *list, init_plan *p, const char *rel, const char *content,
                             int in_content)
{
    buf text, item;
    buf_init(&text);
    buf_init(&item);
    diags *quiet = diag_new(NULL);
    diags *d = p->d;
    p->d = quiet;
    size_t cl = strlen(content);
    if (init_is_file(p->root, rel) && init_read_text(&text, p, rel) == 0)
        for (char *line = text.data; line && *line;) {
            char *nl = strchr(line, '\n');
            if (nl)
                *nl = '\0';
            char *e = line + strlen(line);
            while (e > line && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
                *--e = '\0';
            const char *l = line;
            if (l[0] == '.' && l[1] == '/')
                l += 2;
            /* From the top: inside the content folder, its path there. */
            if (!in_content && strcmp(content, ".")) {
                if (!strncmp(l, content, cl) && l[cl] == '/')
                    l += cl + 1;
                else
                    l = "";
            }
            buf_reset(&item);
            buf_adds(&item, l);
            while (item.len > 1 && item.data[item.len - 1] == '/')
                buf_truncate(&item, item.len - 1);
            if (item.len && item.data[0] != '#' && item.data[0] != '!' && !strchr(item.data, ','))
                list_add_once(list, item.data);
            line = nl ? nl + 1 : NULL;
        }
    p->d = d;
    diag_free(quiet);
    buf_release(&text);
    buf_release(&item);
}

/* An Eleventy site: the pages of its input folder (dir.input, "." by
 * default), without what its .eleventyignore files leave out; its pages'
 * layout: names Nunjucks or Liquid templates, not charter's. */
static int plan_eleventy(init_plan *p, const char *config)
{
    int err = -1;
    buf text, title, input, left, readme, why;
    buf_init(&text);
    buf_init(&title);
    buf_init(&input);
    buf_init(&left);
    buf_init(&readme);
    buf_init(&why);
    if (config && read_js(&text, p, config) != 0)
        goto done;
    /* dir: { input: "src" } */
    const char *dir = config ? strstr(text.data, "dir") : NULL;
    if (!dir || scan_string(&input, dir, "input", 0) != 0 || !input.len ||
        !is_dir(p->root, input.data))
        buf_reset(&input);
    while (input.len > 2 && !strncmp(input.data, "./", 2)) {
        memmove(input.data, input.data + 2, input.len - 1);
        input.len -= 2;
    }
    while (input.len > 1 && input.data[input.len - 1] == '/')
        buf_truncate(&input, input.len - 1);
    const char *content = input.len && strcmp(input.data, ".") ? input.data : ".";
    readme_title(&title, p);
    int from_readme = title.len > 0;
    page_named(&readme, p, ".", "README");
    buf_printf(&why, "The site's title: %s's first heading.", readme.data);
    if (!from_readme)
        init_dir_title(&title, p->root);
    buf *b = init_plan_file(p, "site.yml");
    init_put_header(b, "Eleventy site");
    init_put_repository(b, p);
    init_put_setting(b, from_readme ? why.data : "The site's title: the directory's name.", "title",
                     title.data);
    init_put_setting(b,
                     strcmp(content, ".") ? "The pages: Eleventy's input folder (dir.input)."
                                          : "The pages: Eleventy's input folder, the top.",
                     "content", content);
    if (!strcmp(content, "."))
        root_leftovers(&left, p);
    eleventy_ignores(&left, p, ".eleventyignore", content, 0);
    if (strcmp(content, ".")) {
        buf in;
        buf_init(&in);
        path_join(&in, content, ".eleventyignore");
        eleventy_ignores(&left, p, in.data, content, 1);
        buf_release(&in);
    }
    if (left.len)
        buf_printf(b,
                   "# What Eleventy leaves out (.eleventyignore), and what is no page\n"
                   "# nor anything a page shows.\nexclude: [%s]\n",
                   left.data);
    init_put_default_layout(b, "As Eleventy\n# renders every page alike.");
    /* eleventyNavigation: {key: ..., order: 2}: the order orders the pages. */
    key_probe nav = {p->root, "eleventyNavigation", 0};
    if (any_file(p->root, content, uses_key, &nav))
        buf_adds(b, "# A page's place in its section: eleventyNavigation's order.\n"
                    "keys: {weight: eleventyNavigation.order}\n");
    buf_adds(b, "# A page's layout: names an Eleventy template (base.njk), not charter's.\n"
                "checks: {unknown-layout: off}\n");
    init_put_theme(b,
                   "\n# (Eleventy's _includes/ and layouts are Nunjucks or Liquid, which "
                   "charter does not read.)",
                   1);
    buf_adds(&p->notes, "note: Eleventy's collections and shortcodes are not read: sections are "
                        "the pages' folders, and a page's permalink: is its URL\n");
    err = 0;
done:
    buf_release(&text);
    buf_release(&title);
    buf_release(&input);
    buf_release(&left);
    buf_release(&readme);
    buf_release(&why);
    return err;
}

static int plan_plain(init_plan *p)
{
    buf title, left, rel, readme;
    buf_init(&title);
    buf_init(&left);
    buf_init(&rel);
    buf_init(&readme);
    /* GitBook's space where .gitbook.yaml's root says, else docs/ when it
     * holds pages, else the whole repository. */
    buf space;
    buf_init(&space);
    int gitbook_space = gitbook_root(&space, p) == 0;
    int docs = gitbook_space || any_file(p->root, "docs", stop_at_md, NULL);
    const char *content = gitbook_space ? space.data : docs ? "docs" : ".";
    readme_title_in(&title, p, gitbook_space ? content : ".");
    int from_readme = title.len > 0;
    buf why;
    buf_init(&why);
    page_named(&readme, p, gitbook_space ? content : ".", "README");
    buf_printf(&why, "The site's title: %s%s%s's first heading.", gitbook_space ? content : "",
               gitbook_space ? "/" : "", readme.data);
    if (!from_readme)
        init_dir_title(&title, p->root);
    /* A Docsify site: its index.html (the page that runs it, no page of
     * ours) names the site in window.$docsify's `name`. */
    buf shell, name;
    buf_init(&shell);
    buf_init(&name);
    path_join(&shell, content, "index.html");
    int docsify = 0;
    if (init_is_file(p->root, shell.data)) {
        buf html;
        buf_init(&html);
        diags *quiet = diag_new(NULL);
        const char *cfg = NULL;
        if (fs_read_source(&html, p->root, shell.data, 1 << 20, "the probe's limit", quiet) == 0 &&
            (cfg = strstr(html.data, "$docsify"))) {
            docsify = 1;
            buf_reset(&p->why);
            buf_printf(&p->why, "a Docsify site: %s", shell.data);
            /* Its name: in window.$docsify = {...}, not in a comment or
             * another script before it. */
            if (scan_string(&name, cfg, "name", 0) == 0 && name.len) {
                buf_reset(&title);
                buf_add(&title, name.data, name.len);
                buf_reset(&why);
                buf_adds(&why, "The site's title: Docsify's name (index.html).");
                from_readme = 1;
            }
        }
        diag_free(quiet);
        buf_release(&html);
    }
    buf *b = init_plan_file(p, "site.yml");
    init_put_header(b, docsify ? "Docsify site" : "Markdown repository");
    init_put_repository(b, p);
    init_put_setting(b, from_readme ? why.data : "The site's title: the directory's name.", "title",
                     title.data);
    if (gitbook_space) {
        init_put_setting(b, "The pages: GitBook's space, where .gitbook.yaml's root says.",
                         "content", content);
    } else if (docs) {
        buf_adds(b, "# The pages: the Markdown files of docs/.\n"
                    "content: docs\n");
        docs_leaves_out(p);
    }
    /* GitBook's Git Sync: its pages' images in .gitbook/assets, a hidden
     * folder, and its table of contents in SUMMARY.md, no page. */
    buf gb;
    buf_init(&gb);
    path_join(&gb, content, ".gitbook/assets");
    /* A Git Sync repository: its images' folder, or its .gitbook.yaml. */
    int assets = is_dir(p->root, gb.data), summary = 0;
    int gitbook = assets || init_is_file(p->root, ".gitbook.yaml");
    /* Its table of contents: SUMMARY.md, or .gitbook.yaml's
     * structure.summary (toc.md). */
    buf sname;
    buf_init(&sname);
    if (!gitbook || gitbook_structure(&sname, p, content, "summary") != 0)
        buf_adds(&sname, "SUMMARY.md");
    buf_reset(&gb);
    path_join(&gb, content, sname.data);
    summary = gitbook && init_is_file(p->root, gb.data);
    buf_release(&gb);
    if (!docs) {
        buf_adds(b, "# The pages stay where they are: every Markdown file of the repository.\n"
                    "content: .\n");
        root_leftovers(&left, p);
    }
    if (summary)
        list_add_once(&left, sname.data);
    if (docsify)
        list_add_once(&left, "index.html");
    /* An Obsidian vault (.obsidian/): its Templates folder holds
     * templates ({{date}} in front matter), not pages. */
    int obsidian = is_dir(p->root, ".obsidian");
    buf templates;
    buf_init(&templates);
    path_join(&templates, content, "Templates");
    if (obsidian && is_dir(p->root, templates.data))
        buf_printf(&left, "%sTemplates", left.len ? ", " : "");
    buf_release(&templates);
    if (left.len)
        buf_printf(b,
                   "# Not pages, and nothing a page shows: charter would publish them as "
                   "they are%s%s.\nexclude: [%s]\n",
                   summary ? " (the table of contents: GitBook's)" : "",
                   docsify ? " (index.html: the page that runs Docsify)" : "", left.data);
    if (assets)
        buf_adds(b, "# GitBook keeps the pages' images in .gitbook/assets: published.\n"
                    "include: [.gitbook]\n");
    buf order;
    buf_init(&order);
    path_join(&order, content, summary ? sname.data : "_sidebar.md");
    if (summary)
        put_nav_order(b, "as GitBook's table of contents lists them", order.data,
                      "as GitBook's space holds\n# only the pages it lists");
    else if (docsify && init_is_file(p->root, order.data))
        put_nav_order(b, "as _sidebar.md, Docsify's sidebar, lists them", order.data, NULL);
    buf_release(&order);
    buf_reset(&shell);
    path_join(&shell, content, "_media");
    if (docsify && is_dir(p->root, shell.data))
        buf_adds(b, "# Docsify keeps the pages' images in _media: published.\n"
                    "include: [_media]\n");
    buf_release(&shell);
    buf_adds(b, "# A folder's README.md is its page when it has no index.md, as GitHub\n"
                "# shows it.\n"
                "readme_index: true\n");
    /* GitHub shows a folder's README.md as its page: the home page, when
     * there is no index.md; a wiki's is Home.md. */
    int wiki = page_named(&rel, p, content, "Home") && !page_named(&readme, p, content, "README");
    /* GitBook's first page: .gitbook.yaml's structure.readme (intro.md). */
    buf first;
    buf_init(&first);
    int gb_first = gitbook && gitbook_structure(&first, p, content, "readme") == 0;
    if (gb_first) {
        buf_reset(&readme);
        buf_add(&readme, first.data, first.len);
        wiki = 0;
    }
    buf_release(&first);
    if ((gb_first || page_named(&readme, p, content, "README") || wiki) &&
        !page_named(&rel, p, content, "index"))
        buf_printf(b,
                   "# %s%s is the home page, as GitHub shows it.\n"
                   "defaults:\n"
                   "  - scope: {path: %s}\n"
                   "    values: {permalink: /, layout: home}\n",
                   docs ? "docs/" : "", wiki ? "Home.md" : readme.data,
                   wiki ? "Home.md" : readme.data);
    if (obsidian)
        buf_adds(b, "# An Obsidian vault: its [[Page]], [[Page|Text]] and ![[image.png]] links\n"
                    "# are links, each page found by its name; %% comments %% are not published.\n"
                    "markdown: {wiki_links: obsidian}\n");
    else if (wiki)
        buf_adds(b, "# A GitHub wiki: its [[Page]] and [[Text|Page]] links are links.\n"
                    "markdown: {wiki_links: true}\n");
    put_last_updated(b, p, content);
    init_put_default_layout(b, "So a README\n# is not one.");
    init_put_theme(b, "", 1);
    buf_release(&title);
    buf_release(&left);
    buf_release(&rel);
    buf_release(&readme);
    buf_release(&why);
    buf_release(&name);
    buf_release(&sname);
    buf_release(&space);
    return 0;
}

/* --- detection, checking and writing -------------------------------------------- */

static const char *const docusaurus_configs[] = {
    "docusaurus.config.js",
    "docusaurus.config.ts",
    "docusaurus.config.mjs",
    "docusaurus.config.cjs",
    NULL,
};

static const char *const mkdocs_configs[] = {"mkdocs.yml", "mkdocs.yaml", NULL};

static init_kind detect(init_plan *p, const char **config)
{
    *config = NULL;
    if (init_is_file(p->root, "comply.yml")) {
        buf_adds(&p->why, "found comply.yml");
        return INIT_COMPLY;
    }
    if (init_is_file(p->root, "_config.yml")) {
        buf_adds(&p->why, "found _config.yml");
        return INIT_JEKYLL;
    }
    if ((*config = first_file(p->root, docusaurus_configs))) {
        buf_printf(&p->why, "found %s", *config);
        return INIT_DOCUSAURUS;
    }
    if ((*config = first_file(p->root, mkdocs_configs))) {
        buf_printf(&p->why, "found %s", *config);
        return INIT_MKDOCS;
    }
    if ((*config = first_file(p->root, vitepress_configs))) {
        buf_printf(&p->why, "found %s", *config);
        return INIT_VITEPRESS;
    }
    if ((*config = first_file(p->root, astro_configs)) && is_starlight(p, *config)) {
        buf_printf(&p->why, "found %s and %s/", *config, STARLIGHT_DOCS);
        return INIT_STARLIGHT;
    }
    if (init_is_file(p->root, "book.toml")) {
        *config = "book.toml";
        buf_adds(&p->why, "found book.toml");
        return INIT_MDBOOK;
    }
    if ((*config = first_file(p->root, eleventy_configs))) {
        buf_printf(&p->why, "found %s", *config);
        return INIT_ELEVENTY;
    }
    if ((*config = first_file(p->root, hugo_configs))) {
        buf content;
        buf_init(&content);
        hugo_content(&content, p, *config);
        int hugo = is_dir(p->root, content.data);
        if (hugo)
            buf_printf(&p->why, "found %s and %s/", *config, content.data);
        buf_release(&content);
        if (hugo)
            return INIT_HUGO;
    }
    *config = NULL;
    if (any_file(p->root, ".", stop_at_md, NULL)) {
        buf_adds(&p->why, "Markdown files, no site generator's settings");
        return INIT_PLAIN;
    }
    /* Nothing but maybe .git: an empty directory. */
    char **names = NULL;
    diags *quiet = diag_new(NULL);
    int empty = fs_list(&names, p->root->path, 1, quiet) == 0;
    for (char **e = names; empty && e && *e; e++)
        empty = !strcmp(*e, ".git");
    fs_list_free(names);
    diag_free(quiet);
    buf_adds(&p->why, empty ? "an empty directory" : "no Markdown files");
    return INIT_NEW;
}

/* The site.yml planned must read: a bug, or a value of the repository's
 * settings charter cannot take, is reported before anything is written. */
/* The content folder the planned site.yml (p->text[i]) names, into out:
 * "." when it names none. */
static void planned_content(buf *out, const init_plan *p, size_t i)
{
    diags *quiet = diag_new(NULL);
    yaml_node *y = NULL;
    const yaml_node *c = NULL;
    if (yamltree_parse(&y, p->text[i].data, p->text[i].len, "site.yml", 0, quiet) == 0)
        c = yamltree_get(y, "content");
    buf_adds(out, c && yamltree_kind(c) == YAML_SCALAR ? yamltree_text(c) : ".");
    yamltree_free(y);
    diag_free(quiet);
}

/* Under --kind: the pages folder the planned site.yml names is there
 * (a Hugo site.yml in an empty folder would name a content/ that is
 * not). 0, or -1 after reporting. */
static int content_there(init_plan *p)
{
    int err = 0;
    buf content;
    buf_init(&content);
    for (size_t i = 0; i < p->n && !err; i++) {
        if (strcmp(p->rel[i], "site.yml"))
            continue;
        buf_reset(&content);
        planned_content(&content, p, i);
        if (strcmp(content.data, ".") && !is_dir(p->root, content.data))
            err = diag_error(p->d, NULL, 0, 0, "config",
                             "--kind %s: the pages folder '%s' is not there; for a new site, "
                             "run 'charter init' in an empty folder without --kind",
                             init_kind_names[p->kind], content.data);
    }
    buf_release(&content);
    return err;
}

/* Where the site has a page of its own at the address of one of charter's
 * (a handbook section's content/handbook/_index.md at /handbook/), the
 * planned site.yml publishes charter's elsewhere (generated_pages), so the
 * site builds as it is. */
static void put_generated_pages(init_plan *p)
{
    buf content, dir, name, moved;
    buf_init(&content);
    buf_init(&dir);
    buf_init(&name);
    buf_init(&moved);
    for (size_t i = 0; i < p->n; i++) {
        if (strcmp(p->rel[i], "site.yml"))
            continue;
        planned_content(&content, p, i);
        const char *taken = NULL;
        for (int g = 0; g < GEN_MOVABLE; g++) {
            /* charter's own address is its name's folder: /handbook/. */
            const char *stem = config_gen_name(g);
            buf_reset(&dir);
            path_join(&dir, content.data, stem);
            if (page_named(&name, p, content.data, stem) ||
                page_named(&name, p, dir.data, "index") ||
                page_named(&name, p, dir.data, "_index") ||
                page_named(&name, p, dir.data, "README")) {
                buf_printf(&moved, "%s%s: %s", moved.len ? ", " : "", stem,
                           config_gen_alternative(g));
                taken = taken ? taken : stem;
            }
        }
        if (moved.len)
            buf_printf(&p->text[i],
                       "# The site has a page of its own where charter would publish one of its\n"
                       "# pages (/%s/%s): charter's is published elsewhere.\n"
                       "generated_pages: {%s}\n",
                       taken, strchr(moved.data, ',') ? " and others" : "", moved.data);
        break;
    }
    buf_release(&content);
    buf_release(&dir);
    buf_release(&name);
    buf_release(&moved);
}

int init_plan_make(init_plan *p, const fs_root *root, int forced, diags *d)
{
    memset(p, 0, sizeof *p);
    p->root = root;
    p->d = d;
    buf_init(&p->why);
    buf_init(&p->notes);
    const char *config = NULL;
    p->kind = detect(p, &config);
    if (forced >= 0) {
        config = forced == INIT_HUGO         ? first_file(root, hugo_configs)
                 : forced == INIT_DOCUSAURUS ? first_file(root, docusaurus_configs)
                 : forced == INIT_MKDOCS     ? first_file(root, mkdocs_configs)
                 : forced == INIT_VITEPRESS  ? first_file(root, vitepress_configs)
                 : forced == INIT_STARLIGHT  ? first_file(root, astro_configs)
                 : forced == INIT_ELEVENTY   ? first_file(root, eleventy_configs)
                 : forced == INIT_MDBOOK && init_is_file(root, "book.toml") ? "book.toml"
                                                                            : NULL;
        p->kind = (init_kind)forced;
        buf_reset(&p->why);
        buf_adds(&p->why, "--kind");
    }
    int rc = -1;
    switch (p->kind) {
    case INIT_NEW:
        return plan_new(p);
    case INIT_PLAIN:
        rc = plan_plain(p);
        break;
    case INIT_JEKYLL:
        rc = init_plan_jekyll(p);
        break;
    case INIT_HUGO:
        rc = plan_hugo(p, config);
        break;
    case INIT_DOCUSAURUS:
        rc = plan_docusaurus(p, config);
        break;
    case INIT_COMPLY:
        rc = plan_comply(p);
        break;
    case INIT_MKDOCS:
        rc = plan_mkdocs(p, config);
        break;
    case INIT_VITEPRESS:
        rc = plan_vitepress(p, config);
        break;
    case INIT_ELEVENTY:
        rc = plan_eleventy(p, config);
        break;
    case INIT_MDBOOK:
        rc = plan_mdbook(p, config);
        break;
    case INIT_STARLIGHT:
        rc = plan_starlight(p, config);
        break;
    case INIT_N_KINDS:
        break;
    }
    if (rc == 0)
        put_generated_pages(p);
    return rc == 0 && forced >= 0 ? content_there(p) : rc;
}

void init_plan_release(init_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        buf_release(&p->text[i]);
    buf_release(&p->why);
    buf_release(&p->notes);
    p->n = 0;
}
