/* gen_controls: the pages about the control catalogs: one per control
 * (its applicability and the policies citing it), the controls index and
 * the Statement of Applicability (every framework's controls, covered or
 * not, filterable in the theme). */
#include "gen.h"

#include "crosswalk.h"
#include "pool.h"

#include <stdlib.h>
#include <string.h>

static const char *status_label(const char *status)
{
    if (!status)
        return NULL;
    if (!strcmp(status, "implemented"))
        return "Implemented";
    if (!strcmp(status, "planned"))
        return "Planned";
    if (!strcmp(status, "not-implemented"))
        return "Not implemented";
    return status;
}

/* How a mapped control relates to this one, as its page and the SoA say
 * it: the other control is `rel` this one. */
static const char *rel_label(xw_rel rel)
{
    switch (rel) {
    case XW_EQUAL:
        return "equal to this control";
    case XW_SUPERSET:
        return "includes all of this control";
    case XW_SUBSET:
        return "covers part of this control";
    default:
        return "overlaps this control";
    }
}

static int cites_directly(const page *const *cites, size_t n, const page *p)
{
    for (size_t i = 0; i < n; i++)
        if (cites[i] == p)
            return 1;
    return 0;
}

/* The controls of other frameworks c maps to (MAPPED) and the policies
 * that cover c through them (THROUGH), skipping policies that cite c. */
static void set_mappings(tpl_dict *d, const gen *g, const control *c, const page *const *cites,
                         size_t n_cites)
{
    const site *s = g->s;
    size_t nl;
    const xw_link *l = crosswalks_links(s->crosswalks, c, &nl);
    buf u;
    buf_init(&u);
    int through = 0;
    for (size_t i = 0; i < nl; i++) {
        const control *o = l[i].other;
        tpl_dict *e = tpl_dict_add_section(d, "MAPPED");
        tpl_dict_set(e, "MAPPED_ID", o->id);
        tpl_dict_set(e, "MAPPED_LABEL", o->label ? o->label : o->id);
        vars_set_shown(e, "MAPPED_TITLE", o->title);
        tpl_dict_set(e, "MAPPED_FRAMEWORK", o->framework);
        size_t nf;
        const framework *fws = catalog_frameworks(s->catalog, &nf);
        for (size_t f = 0; f < nf; f++)
            if (!strcmp(fws[f].id, o->framework))
                tpl_dict_set(e, "MAPPED_FRAMEWORK_NAME", fws[f].name);
        buf_reset(&u);
        vars_control_url(&u, s, o);
        tpl_dict_set(e, "MAPPED_URL", u.data);
        tpl_dict_set(e, "MAPPED_REL", crosswalk_rel_name(l[i].rel));
        tpl_dict_set(e, "MAPPED_REL_LABEL", rel_label(l[i].rel));
        vars_set_shown(e, "MAPPED_NOTE", l[i].note);
        vars_set_shown(e, "MAPPED_SOURCE", l[i].source);
        size_t n;
        const page *const *via = site_cited_by(s, o, &n);
        for (size_t j = 0; j < n; j++) {
            if (cites_directly(cites, n_cites, via[j]))
                continue;
            tpl_dict *t = tpl_dict_add_section(d, "THROUGH");
            tpl_dict_set(t, "THROUGH_TITLE", via[j]->title ? via[j]->title : via[j]->id);
            tpl_dict_set(t, "THROUGH_URL", via[j]->full_url);
            tpl_dict_set(t, "THROUGH_VIA", o->id);
            tpl_dict_set(t, "THROUGH_VIA_LABEL", o->label ? o->label : o->id);
            tpl_dict_set(t, "THROUGH_VIA_FRAMEWORK", o->framework);
            tpl_dict_set(t, "THROUGH_REL", crosswalk_rel_name(l[i].rel));
            tpl_dict_show_section(t, crosswalk_rel_covers(l[i].rel) ? "THROUGH_FULL"
                                                                    : "THROUGH_PARTIAL");
            through = 1;
        }
    }
    if (nl)
        tpl_dict_show_section(d, "HAS_MAPPED");
    if (through)
        tpl_dict_show_section(d, "HAS_THROUGH");
    buf_release(&u);
}

static const char *const coverage_slugs[] = {"none", "partial", "crosswalk", "policy"};
static const char *const coverage_labels[] = {"Not covered", "Covered in part through a crosswalk",
                                              "Covered through a crosswalk", "Covered by a policy"};

/* A control's citing pages (site_cited_by), as entries of `list`. */
typedef struct cite_list {
    const page *const *cites;
    const char *title_var, *url_var;
    int cited_by;     /* the control's page: each page's status and owner too */
    char (*keys)[65]; /* gen.entry_keys */
} cite_list;

static void fill_cite(const void *ctx, size_t i, tpl_dict *e)
{
    const cite_list *c = ctx;
    const page *p = c->cites[i];
    tpl_dict_set(e, c->title_var, p->title ? p->title : p->id);
    tpl_dict_set(e, c->url_var, p->full_url);
    if (c->cited_by) {
        vars_set_shown(e, "CITED_STATUS", p->status);
        vars_set_shown(e, "CITED_OWNER", p->owner);
    } else if (!site_page_in_force(p)) {
        /* Listed in the SoA, marked: a draft or retired page covers nothing. */
        vars_set_shown(e, "COVER_STATUS", p->status);
    }
}

static void cite_key(const void *ctx, size_t i, char key[65])
{
    const cite_list *c = ctx;
    memcpy(key, c->keys[c->cites[i]->index], 65);
}

/* The applicability columns of a control, for its page and the SoA. */
static void set_control(tpl_dict *d, const gen *g, const control *c, const framework *fw,
                        const char *list, const char *title_var, const char *url_var)
{
    const site *s = g->s;
    buf u;
    buf_init(&u);
    tpl_dict_set(d, "CONTROL_ID", c->id);
    tpl_dict_set(d, "CONTROL_LABEL", c->label ? c->label : c->id);
    vars_set_shown(d, "CONTROL_TITLE", c->title);
    vars_set_shown(d, "CONTROL_GROUP", c->group);
    vars_set_shown(d, "CONTROL_STATEMENT", c->statement);
    tpl_dict_set(d, "CONTROL_FRAMEWORK", fw->id);
    tpl_dict_set(d, "CONTROL_FRAMEWORK_NAME", fw->name);
    vars_control_url(&u, s, c);
    tpl_dict_set(d, "CONTROL_URL", u.data);
    tpl_dict_show_section(d, c->applicable ? "CONTROL_APPLICABLE" : "CONTROL_NOT_APPLICABLE");
    tpl_dict_set(d, "CONTROL_APPLICABLE_LABEL", c->applicable ? "Applicable" : "Not applicable");
    tpl_dict_set(d, "CONTROL_APPLICABLE_SLUG", c->applicable ? "yes" : "no");
    vars_set_shown(d, "CONTROL_JUSTIFICATION", c->justification);
    vars_set_shown(d, "CONTROL_STATUS", c->status);
    vars_set_shown(d, "CONTROL_STATUS_LABEL", status_label(c->status));
    size_t n_cites;
    const page *const *cites = site_cited_by(s, c, &n_cites);
    /* Made as they render: the SoA lists every citation of every control
     * (80,000 at 20,000 pages). */
    cite_list cl = {cites, title_var, url_var, !strcmp(list, "CITED_BY"), g->entry_keys};
    buf variant;
    buf_init(&variant);
    buf_printf(&variant, "%s %s %d", title_var, url_var, cl.cited_by);
    tpl_dict_add_lazy_section_keyed(d, list, n_cites, fill_cite, cite_key, variant.data, &cl,
                                    sizeof cl);
    buf_release(&variant);
    set_mappings(d, g, c, cites, n_cites);
    coverage cov = site_coverage(s, c);
    tpl_dict_set(d, "CONTROL_COVERAGE", coverage_slugs[cov]);
    tpl_dict_set(d, "CONTROL_COVERAGE_LABEL", coverage_labels[cov]);
    if (cov == COVER_NONE)
        tpl_dict_show_section(d, "NOT_COVERED");
    if (n_cites)
        tpl_dict_show_section(d, !strcmp(list, "CITED_BY") ? "HAS_CITED_BY" : "HAS_COVER");
    else
        tpl_dict_show_section(d, !strcmp(list, "CITED_BY") ? "NO_CITATIONS" : "NO_COVER");
    buf_release(&u);
}

typedef struct control_job {
    const control *c;
    const framework *fw;
} control_job;

typedef struct control_jobs {
    gen *g;
    control_job *v;
    size_t n;
} control_jobs;

static void render_control_page(void *arg, size_t i)
{
    control_jobs *cj = arg;
    const control *c = cj->v[i].c;
    tpl_dict *d = tpl_dict_new();
    buf t, out;
    buf_init(&t);
    buf_init(&out);
    int titled = c->title && *c->title;
    buf_printf(&t, "%s%s%s", c->label ? c->label : c->id, titled ? " " : "",
               titled ? c->title : "");
    tpl_dict_set(d, "TITLE", t.data);
    set_control(d, cj->g, c, cj->v[i].fw, "CITED_BY", "CITED_TITLE", "CITED_URL");
    buf_printf(&out, "controls/%s/%s/index.html", c->framework, c->id);
    buf_reset(&t);
    vars_control_url(&t, cj->g->s, c);
    tpl_dict_set(d, "URL", t.data);
    if (gen_render(cj->g, "control", out.data, d) != 0)
        cj->g->failed = 1;
    tpl_dict_free(d);
    buf_release(&t);
    buf_release(&out);
}

/* FRAMEWORK sections with every control's row: the SoA and controls index. */
static void add_frameworks(tpl_dict *d, const gen *g)
{
    size_t nf;
    const framework *fws = catalog_frameworks(g->s->catalog, &nf);
    for (size_t f = 0; f < nf; f++) {
        tpl_dict *fd = tpl_dict_add_section(d, "FRAMEWORK");
        tpl_dict_set(fd, "FRAMEWORK_ID", fws[f].id);
        tpl_dict_set(fd, "FRAMEWORK_NAME", fws[f].name);
        long applicable = 0, covered = 0, implemented = 0, through = 0, partial = 0, mapped = 0;
        for (size_t i = 0; i < fws[f].n_controls; i++) {
            const control *c = &fws[f].controls[i];
            set_control(tpl_dict_add_section(fd, "FW_CONTROL"), g, c, &fws[f], "COVER",
                        "COVER_TITLE", "COVER_URL");
            applicable += c->applicable;
            coverage cov = site_coverage(g->s, c);
            covered += c->applicable && cov == COVER_POLICY;
            through += c->applicable && cov == COVER_CROSSWALK;
            partial += c->applicable && cov == COVER_PARTIAL;
            size_t nl;
            crosswalks_links(g->s->crosswalks, c, &nl);
            mapped += nl > 0;
            implemented += c->status && !strcmp(c->status, "implemented");
        }
        tpl_dict_set_int(fd, "FW_TOTAL", (long)fws[f].n_controls);
        tpl_dict_set_int(fd, "FW_APPLICABLE_COUNT", applicable);
        tpl_dict_set_int(fd, "FW_NOT_APPLICABLE_COUNT", (long)fws[f].n_controls - applicable);
        tpl_dict_set_int(fd, "FW_COVERED_COUNT", covered);
        tpl_dict_set_int(fd, "FW_IMPLEMENTED_COUNT", implemented);
        if (mapped) {
            tpl_dict *m = tpl_dict_add_section(fd, "FW_HAS_CROSSWALK");
            tpl_dict_set_int(m, "FW_THROUGH_COUNT", through);
            tpl_dict_set_int(m, "FW_PARTIAL_COUNT", partial);
            tpl_dict_set_int(m, "FW_UNCOVERED_COUNT", applicable - covered - through - partial);
        }
    }
}

static void fill_frameworks(tpl_dict *d, const gen *g)
{
    add_frameworks(d, g);
}

int gen_controls(gen *g)
{
    const site *s = g->s;
    int err = 0;
    if (s->catalog && layouts_has(s->layouts, "control")) {
        control_jobs cj = {g, NULL, 0};
        size_t nf;
        const framework *fws = catalog_frameworks(s->catalog, &nf);
        for (size_t f = 0; f < nf; f++)
            for (size_t i = 0; i < fws[f].n_controls; i++) {
                cj.v = xgrow(cj.v, cj.n, sizeof *cj.v);
                cj.v[cj.n++] = (control_job){&fws[f].controls[i], &fws[f]};
            }
        pool_run(cj.n, render_control_page, &cj);
        free(cj.v);
    }
    if (s->catalog)
        err |= gen_simple(g, "controls", "Controls", "/controls/", "controls/index.html",
                          fill_frameworks);
    if (s->catalog)
        err |= gen_simple(g, "soa", "Statement of Applicability", config_gen_url(&s->cfg, GEN_SOA),
                          config_gen_file(&s->cfg, GEN_SOA), fill_frameworks);
    return err ? -1 : 0;
}
