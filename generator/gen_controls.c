/* gen_controls: the pages about the control catalogs: one per control
 * (its applicability and the policies citing it), the controls index and
 * the Statement of Applicability (every framework's controls, covered or
 * not, filterable in the theme). */
#include "gen.h"

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

/* The applicability columns of a control, for its page and the SoA. */
static void set_control(tpl_dict *d, const gen *g, const control *c, const framework *fw,
                        const char *list, const char *title_var, const char *url_var)
{
    const site *s = g->s;
    buf u;
    buf_init(&u);
    tpl_dict_set(d, "CONTROL_ID", c->id);
    vars_set_shown(d, "CONTROL_TITLE", c->title);
    vars_set_shown(d, "CONTROL_GROUP", c->group);
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
    for (size_t i = 0; i < n_cites; i++) {
        const page *p = cites[i];
        tpl_dict *e = tpl_dict_add_section(d, list);
        tpl_dict_set(e, title_var, p->title ? p->title : p->id);
        buf_reset(&u);
        vars_full_url(&u, s, p->url);
        tpl_dict_set(e, url_var, u.data);
        if (!strcmp(list, "CITED_BY")) {
            vars_set_shown(e, "CITED_STATUS", p->status);
            vars_set_shown(e, "CITED_OWNER", p->owner);
        }
    }
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
    buf_printf(&t, "%s%s%s", c->id, titled ? " " : "", titled ? c->title : "");
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
        long applicable = 0, covered = 0, implemented = 0;
        for (size_t i = 0; i < fws[f].n_controls; i++) {
            const control *c = &fws[f].controls[i];
            set_control(tpl_dict_add_section(fd, "FW_CONTROL"), g, c, &fws[f], "COVER",
                        "COVER_TITLE", "COVER_URL");
            applicable += c->applicable;
            size_t n_cites;
            site_cited_by(g->s, c, &n_cites);
            covered += c->applicable && n_cites;
            implemented += c->status && !strcmp(c->status, "implemented");
        }
        tpl_dict_set_int(fd, "FW_TOTAL", (long)fws[f].n_controls);
        tpl_dict_set_int(fd, "FW_APPLICABLE_COUNT", applicable);
        tpl_dict_set_int(fd, "FW_NOT_APPLICABLE_COUNT", (long)fws[f].n_controls - applicable);
        tpl_dict_set_int(fd, "FW_COVERED_COUNT", covered);
        tpl_dict_set_int(fd, "FW_IMPLEMENTED_COUNT", implemented);
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
                cj.v = xrealloc(cj.v, (cj.n + 1) * sizeof *cj.v);
                cj.v[cj.n++] = (control_job){&fws[f].controls[i], &fws[f]};
            }
        pool_run(cj.n, render_control_page, &cj);
        free(cj.v);
    }
    if (s->catalog)
        err |= gen_simple(g, "controls", "Controls", "/controls/", "controls/index.html",
                          fill_frameworks);
    if (s->catalog)
        err |= gen_simple(g, "soa", "Statement of Applicability", "/soa/", "soa/index.html",
                          fill_frameworks);
    return err ? -1 : 0;
}
