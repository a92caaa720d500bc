/* oscal_export: writes oscal/component-definition.json, an OSCAL 1.0.6
 * component definition (NIST's JSON schema, oscal_component_schema.json)
 * made from the model alone, through the JSON writer (json.h), so that it
 * is valid UTF-8 whatever the pages hold. The schema's rules shape it:
 * arrays are never empty (minItems 1), prop values are single-line strings
 * without leading or trailing space, control ids are tokens. */
#include "oscal_export.h"

#include "digest.h"
#include "fs.h"
#include "json.h"
#include "manifest_json.h"
#include "map.h"
#include "paths.h"
#include "splice.h"

#include <stdlib.h>
#include <string.h>

/* The namespace of every UUID charter writes in OSCAL: the version 5 UUID
 * of the URL https://github.com/charter-policy/charter/oscal in RFC 4122's
 * URL namespace (934311c7-8ebd-530f-9a7b-95328277814f). */
static const unsigned char charter_ns[16] = {0x93, 0x43, 0x11, 0xc7, 0x8e, 0xbd, 0x53, 0x0f,
                                             0x9a, 0x7b, 0x95, 0x32, 0x82, 0x77, 0x81, 0x4f};

/* Props charter adds (the policy's owner, a control's original id) are in
 * its own namespace, as OSCAL asks of names it does not define. */
#define CHARTER_NS "https://github.com/charter-policy/charter/ns/oscal"

typedef struct uuid {
    unsigned char b[16];
} uuid;

/* RFC 4122 section 4.3: SHA-1 of the namespace's bytes and the name, its
 * first 16 bytes with the version (5) and the variant (10x) set. */
static uuid uuid5(const uuid *ns, const char *name)
{
    buf in;
    buf_init(&in);
    buf_add(&in, ns->b, 16);
    buf_adds(&in, name);
    unsigned char h[DIGEST_SHA1_SIZE];
    digest_sha1(h, in.data, in.len);
    buf_release(&in);
    uuid u;
    memcpy(u.b, h, 16);
    u.b[6] = (unsigned char)((u.b[6] & 0x0f) | 0x50);
    u.b[8] = (unsigned char)((u.b[8] & 0x3f) | 0x80);
    return u;
}

static void uuid_text(char out[37], const uuid *u)
{
    static const char digits[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = digits[u->b[i] >> 4];
        out[o++] = digits[u->b[i] & 15];
    }
    out[o] = '\0';
}

/* The exporter's state while writing one document. */
typedef struct exporter {
    const site *s;
    json_writer w;
    uuid site_ns;     /* every other UUID is named in it */
    char **res_uuid;  /* per page (by index): its resource's UUID, or NULL */
    map *id_count;    /* page id -> how many exported pages have it (as a pointer) */
    buf url, scratch; /* scratch buffers */
    const struct build_provenance *prov;
    /* Where oscal_export_fill is: its phase, then the framework and control
     * of the next requirement, or the next resource's page. */
    int phase;
    size_t fw, ctl, res;
    int opened, any; /* control-implementations, and this framework's, begun */
    /* In segments (oscal_export_splice): each requirement and each resource
     * keyed by what it is written from, the rest made between them ("-").
     * `base`: what every key holds (charter, the UUIDs' namespace); the
     * bytes made since the last segment: `pending` in earlier parts, and
     * this part's from `mark_at`. */
    splice_stream *sp;
    int check;
    size_t mismatches, reqs, resources;
    char base[DIGEST_HEX];
    size_t pending, mark_at, cursor;
    buf key;
    digest *kd;
    /* Each page's part of the keys (key_page), made on first use: a page
     * is cited by a requirement per control it names, besides its
     * resource. DIGEST_HEX bytes per page, "" until made. */
    char (*page_keys)[DIGEST_HEX];
} exporter;

static void member_uuid(exporter *x, const char *key, const char *name)
{
    char text[37];
    uuid u = uuid5(&x->site_ns, name);
    uuid_text(text, &u);
    json_member_str(&x->w, key, text);
}

/* The site's published address of a root-relative URL path ("/a/b/"). */
static void site_url(buf *out, const site *s, const char *path)
{
    buf_reset(out);
    buf_adds(out, s->cfg.base_url);
    url_encode_path(out, path[0] == '/' ? path + 1 : path);
}

/* A StringDatatype value (^\S(.*\S)?$, where '.' is no newline): runs of
 * whitespace as one space, none at either end. Empty when s has no text. */
static void one_line(buf *out, const char *s)
{
    buf_reset(out);
    int space = 0;
    for (; s && *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v') {
            space = out->len > 0;
            continue;
        }
        if (space)
            buf_addc(out, ' ');
        space = 0;
        buf_addc(out, *s);
    }
}

/* A prop {name, ns, value} when value has text, in the "props" array the
 * caller has opened. */
static void prop(exporter *x, const char *name, const char *value)
{
    one_line(&x->scratch, value);
    if (!x->scratch.len)
        return;
    json_begin_object(&x->w, JSON_LINE);
    json_member_str(&x->w, "name", name);
    json_member_str(&x->w, "ns", CHARTER_NS);
    json_member_str(&x->w, "value", x->scratch.data);
    json_end(&x->w);
}

int oscal_control_token(buf *out, const char *id)
{
    const unsigned char *p = (const unsigned char *)id;
    int fits = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z');
    for (const unsigned char *q = p; fits && *q; q++)
        fits = (*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') ||
               *q == '.' || *q == '-' || *q == '_';
    if (fits) {
        buf_adds(out, id);
        return 0;
    }
    /* '_' cannot start a kept id, so a leading '_' marks a mapped one. */
    buf_addc(out, '_');
    for (; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '.' || *p == '-')
            buf_addc(out, (char)*p);
        else
            buf_printf(out, "_%02X", *p);
    }
    return 1;
}

static const char *page_title(const page *p)
{
    return p->title && *p->title ? p->title : p->rel;
}

/* The pages exported as resources: published policies, and published
 * pages citing a control of the catalog (an implemented requirement links
 * to each page that cites it). Marks them in x->res_uuid. */
static void pick_resources(exporter *x)
{
    const site *s = x->s;
    size_t nf;
    const framework *fws = s->catalog ? catalog_frameworks(s->catalog, &nf) : NULL;
    char *mark = xcalloc(s->n_pages + 1, 1);
    for (size_t i = 0; i < s->n_pages; i++)
        mark[i] = s->pages[i]->ok && s->pages[i]->published && s->pages[i]->policy;
    for (size_t k = 0; fws && k < nf; k++)
        for (size_t c = 0; c < fws[k].n_controls; c++) {
            size_t n;
            const page *const *by = site_cited_by(s, &fws[k].controls[c], &n);
            for (size_t j = 0; j < n; j++)
                mark[by[j]->index] = 1;
        }
    /* A resource is named by its page's id, stable across renames; pages
     * sharing an id (nothing forbids it) are named by their paths. */
    for (size_t i = 0; i < s->n_pages; i++)
        if (mark[i]) {
            size_t n = (size_t)map_get(x->id_count, s->pages[i]->id);
            map_put(x->id_count, s->pages[i]->id, (void *)(n + 1));
        }
    for (size_t i = 0; i < s->n_pages; i++) {
        if (!mark[i])
            continue;
        const page *p = s->pages[i];
        buf_reset(&x->scratch);
        if ((size_t)map_get(x->id_count, p->id) == 1)
            buf_printf(&x->scratch, "policy:%s", p->id);
        else
            buf_printf(&x->scratch, "policy-source:%s", p->rel);
        uuid u = uuid5(&x->site_ns, x->scratch.data);
        x->res_uuid[i] = xmalloc(37);
        uuid_text(x->res_uuid[i], &u);
    }
    free(mark);
}

/* Opens back-matter's resources; 0 when there are none (its resources may
 * not be empty: then there is no back-matter). */
static int resources_begin(exporter *x)
{
    size_t n = 0;
    for (size_t i = 0; i < x->s->n_pages; i++)
        n += x->res_uuid[i] != NULL;
    if (!n)
        return 0;
    json_key(&x->w, "back-matter");
    json_begin_object(&x->w, JSON_BLOCK);
    json_key(&x->w, "resources");
    json_begin_array(&x->w, JSON_BLOCK);
    return 1;
}

/* Page i's resource. */
static void write_resource(exporter *x, size_t i)
{
    const site *s = x->s;
    json_writer *w = &x->w;
    const page *p = s->pages[i];
    char date[11];
    json_begin_object(w, JSON_BLOCK);
    json_member_str(w, "uuid", x->res_uuid[i]);
    json_member_str(w, "title", page_title(p));
    if (p->description && *p->description)
        json_member_str(w, "description", p->description);
    json_key(w, "props");
    json_begin_array(w, JSON_BLOCK);
    /* "type" is OSCAL's own (a resource's kind); the rest are charter's. */
    json_begin_object(w, JSON_LINE);
    json_member_str(w, "name", "type");
    json_member_str(w, "value", "policy");
    json_end(w);
    prop(x, "id", p->id);
    prop(x, "version", p->version);
    prop(x, "owner", p->owner);
    prop(x, "status", p->status);
    if (p->last_reviewed >= 0) {
        date_format(date, p->last_reviewed);
        prop(x, "last-reviewed", date);
    }
    if (p->next_review >= 0) {
        date_format(date, p->next_review);
        prop(x, "next-review", date);
    }
    prop(x, "source", p->src);
    json_end(w);
    json_key(w, "rlinks");
    json_begin_array(w, JSON_BLOCK);
    json_begin_object(w, JSON_LINE);
    json_member_str(w, "href", p->full_url);
    json_member_str(w, "media-type", "text/html");
    json_end(w);
    json_end(w);
    json_end(w);
}

/* The bytes made since the last segment, as one ("-": never looked up). */
static void made_segment(exporter *x)
{
    size_t len = x->pending + (x->w.out->len - x->mark_at);
    if (len)
        splice_mark(x->sp, "-", len);
    x->pending = 0;
    x->mark_at = x->w.out->len;
}

/* A part to make (splice_segment's make): write(x, arg), into `into`. */
typedef struct part_job {
    exporter *x;
    void (*write)(exporter *x, const void *arg);
    const void *arg;
} part_job;

static int make_part(void *ctx, buf *into)
{
    part_job *p = ctx;
    buf *was = p->x->w.out;
    p->x->w.out = into;
    p->write(p->x, p->arg);
    p->x->w.out = was;
    return 0;
}

/* A keyed segment (its key in x->key, after made_segment): copied from the
 * previous file when it has one of that key, else made by write (one
 * member of the innermost array). The next requirement or resource is
 * most often the previous file's next keyed one: tried first. */
static void keyed_segment(exporter *x, void (*write)(exporter *x, const void *arg), const void *arg)
{
    long hint = (long)x->cursor;
    const char *next = splice_key(x->sp, x->cursor);
    if (next && !strcmp(next, "-"))
        hint++;
    part_job p = {x, write, arg};
    long k =
        splice_segment(x->sp, x->key.data, hint, x->w.out, make_part, &p, x->check, &x->mismatches);
    if (k >= 0) {
        x->cursor = (size_t)k + 1;
        if (!x->check) /* else making it again counted it */
            json_member_written(&x->w);
    }
    x->mark_at = x->w.out->len;
}

/* Adds a page's fields a requirement or resource shows to x->kd: their
 * digest, made once per page. */
static void key_page(exporter *x, const page *p)
{
    char *key = x->page_keys[p->index];
    if (key[0]) {
        digest_add(x->kd, key, DIGEST_HEX);
        return;
    }
    digest *h = digest_new();
    digest_add_long(h, (long)p->index);
    const char *fields[] = {x->res_uuid[p->index],
                            page_title(p),
                            p->id,
                            p->description,
                            p->full_url,
                            p->version,
                            p->owner,
                            p->status,
                            p->src};
    for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
        digest_add_str(h, fields[k]);
    digest_add_long(h, p->last_reviewed);
    digest_add_long(h, p->next_review);
    digest_hex(h, key);
    digest_free(h);
    digest_add(x->kd, key, DIGEST_HEX);
}

/* x->key: "<kind> <first|next> <digest>". */
static void finish_key(exporter *x, const char *kind, int first)
{
    char hex[DIGEST_HEX];
    digest_hex(x->kd, hex);
    buf_reset(&x->key);
    buf_printf(&x->key, "%s %s %s", kind, first ? "first" : "next", hex);
}

/* One implemented requirement: control c, cited by by[0..n). */
static void write_requirement(exporter *x, const control *c, const char *status,
                              const page *const *by, size_t n)
{
    json_writer *w = &x->w;
    json_begin_object(w, JSON_BLOCK);
    buf_reset(&x->scratch);
    buf_printf(&x->scratch, "control:%s:%s", c->framework, c->id);
    member_uuid(x, "uuid", x->scratch.data);
    buf token;
    buf_init(&token);
    int mapped = oscal_control_token(&token, c->id);
    json_member_str(w, "control-id", token.data);
    buf_release(&token);
    /* Each citing policy's statement (its description; its title alone
     * without one), naming it: Markdown (the schema's markup-multiline),
     * one paragraph per policy. */
    buf text;
    buf_init(&text);
    for (size_t j = 0; j < n; j++) {
        if (j)
            buf_adds(&text, "\n\n");
        buf_printf(&text, "%s (%s)", page_title(by[j]), by[j]->id);
        if (by[j]->description && *by[j]->description)
            buf_printf(&text, ": %s", by[j]->description);
    }
    json_member_str(w, "description", text.data);
    buf_release(&text);
    if (mapped || status) {
        json_key(w, "props");
        json_begin_array(w, JSON_BLOCK);
        if (mapped)
            prop(x, "control-id", c->id); /* the id as the catalog has it */
        if (status)
            prop(x, "implementation-status", status);
        json_end(w);
    }
    /* Why it is excluded, from the statement of applicability. */
    if (!c->applicable && c->justification && c->justification[strspn(c->justification, " \t\r\n")])
        json_member_str(w, "remarks", c->justification);
    json_key(w, "links");
    json_begin_array(w, JSON_BLOCK);
    for (size_t j = 0; j < n; j++) {
        json_begin_object(w, JSON_LINE);
        buf_reset(&x->scratch);
        buf_printf(&x->scratch, "#%s", x->res_uuid[by[j]->index]);
        json_member_str(w, "href", x->scratch.data);
        json_member_str(w, "rel", "reference");
        json_member_str(w, "text", page_title(by[j]));
        json_end(w);
        json_begin_object(w, JSON_LINE);
        json_member_str(w, "href", by[j]->full_url);
        json_member_str(w, "media-type", "text/html");
        json_member_str(w, "text", page_title(by[j]));
        json_end(w);
    }
    json_end(w);
    json_end(w);
}

typedef struct req_arg {
    const control *c;
    const char *status;
    const page *const *by;
    size_t n;
} req_arg;

static void write_req_arg(exporter *x, const void *arg)
{
    const req_arg *r = arg;
    write_requirement(x, r->c, r->status, r->by, r->n);
}

/* Control c's requirement (status: its implementation-status, or NULL), in
 * a segment when splicing. */
static void requirement(exporter *x, const control *c, const char *status, const page *const *by,
                        size_t n)
{
    int first = x->reqs++ == 0;
    if (!x->sp) {
        write_requirement(x, c, status, by, n);
        return;
    }
    made_segment(x);
    digest_add(x->kd, x->base, DIGEST_HEX);
    const char *fields[] = {c->framework, c->id, status, c->applicable ? "" : c->justification};
    for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
        digest_add_str(x->kd, fields[k]);
    digest_add_long(x->kd, (long)n);
    for (size_t j = 0; j < n; j++)
        key_page(x, by[j]);
    finish_key(x, "requirement", first);
    req_arg r = {c, status, by, n};
    keyed_segment(x, write_req_arg, &r);
}

static void write_res_arg(exporter *x, const void *arg)
{
    write_resource(x, *(const size_t *)arg);
}

/* Page i's resource, in a segment when splicing. */
static void resource(exporter *x, size_t i)
{
    int first = x->resources++ == 0;
    if (!x->sp) {
        write_resource(x, i);
        return;
    }
    made_segment(x);
    digest_add(x->kd, x->base, DIGEST_HEX);
    key_page(x, x->s->pages[i]);
    finish_key(x, "resource", first);
    keyed_segment(x, write_res_arg, &i);
}

/* control-implementations: one per framework with a cited control (an
 * entry's implemented-requirements may not be empty), in catalog order.
 * Writes requirements from where x is until the output holds `until`
 * bytes: 1 while more follow, 0 once all are written (and the array
 * closed). */
static int write_implementations(exporter *x, size_t until)
{
    const site *s = x->s;
    json_writer *w = &x->w;
    size_t nf;
    const framework *fws = s->catalog ? catalog_frameworks(s->catalog, &nf) : NULL;
    for (; fws && x->fw < nf; x->fw++, x->ctl = 0, x->any = 0) {
        const framework *f = &fws[x->fw];
        for (; x->ctl < f->n_controls; x->ctl++) {
            if (w->out->len >= until)
                return 1;
            size_t n_by, n = 0;
            const page *const *by = site_cited_by(s, &f->controls[x->ctl], &n_by);
            /* Implemented by the pages in force (applicability.yml's
             * status); else planned by the drafts; never by a retired
             * page. */
            const page **live = xmalloc((n_by ? n_by : 1) * sizeof *live);
            for (size_t j = 0; j < n_by; j++)
                if (site_page_in_force(by[j]))
                    live[n++] = by[j];
            /* A control the statement of applicability excludes is not
             * implemented by the pages that cite it (check
             * not-applicable-control warns of them): it says so. */
            const char *status =
                f->controls[x->ctl].applicable ? f->controls[x->ctl].status : "not-applicable";
            if (!n) {
                for (size_t j = 0; j < n_by; j++)
                    if (strcmp(by[j]->status, "retired") != 0)
                        live[n++] = by[j];
                if (f->controls[x->ctl].applicable)
                    status = "planned";
            }
            if (!n) {
                free(live);
                continue;
            }
            if (!x->opened) {
                json_key(w, "control-implementations");
                json_begin_array(w, JSON_BLOCK);
                x->opened = 1;
            }
            if (!x->any) {
                json_begin_object(w, JSON_BLOCK);
                buf_reset(&x->scratch);
                buf_printf(&x->scratch, "control-implementation:%s", f->id);
                member_uuid(x, "uuid", x->scratch.data);
                /* The catalog as the site publishes it: its framework's
                 * part of the controls index. */
                site_url(&x->url, s, "/controls/");
                buf_adds(&x->url, "#fw-");
                url_encode_path(&x->url, f->id);
                json_member_str(w, "source", x->url.data);
                json_member_str(w, "description", f->name && *f->name ? f->name : f->id);
                json_key(w, "props");
                json_begin_array(w, JSON_BLOCK);
                prop(x, "framework", f->id);
                json_end(w);
                json_key(w, "implemented-requirements");
                json_begin_array(w, JSON_BLOCK);
                x->any = 1;
                x->reqs = 0;
            }
            requirement(x, &f->controls[x->ctl], status, live, n);
            free(live);
        }
        if (x->any) {
            json_end(w); /* implemented-requirements */
            json_end(w); /* the control implementation */
        }
    }
    if (x->opened)
        json_end(w);
    return 0;
}

void oscal_export_key(char *key, const site *s, const build_provenance *prov)
{
    digest *h = digest_new();
    digest_add(h, digest_self(), DIGEST_HEX);
    digest_add_str(h, OSCAL_EXPORT_FILE);
    digest_add_str(h, s->cfg.title);
    digest_add_str(h, s->cfg.description);
    digest_add_str(h, s->cfg.organization);
    digest_add_str(h, s->cfg.base_url);
    digest_add_str(h, s->cfg.repository_url);
    digest_add_long(h, s->as_of);
    digest_add_long(h, prov ? prov->clean : -1);
    digest_add_str(h, prov ? prov->commit : NULL);
    digest_add_long(h, (long)s->n_pages);
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        digest_add_long(h, p->ok);
        digest_add_long(h, p->published);
        digest_add_long(h, p->policy);
        digest_add_long(h, (long)p->index);
        digest_add_str(h, p->id);
        digest_add_str(h, p->rel);
        digest_add_str(h, p->title);
        digest_add_str(h, p->description);
        digest_add_str(h, p->version);
        digest_add_str(h, p->owner);
        digest_add_str(h, p->status);
        digest_add_long(h, p->last_reviewed);
        digest_add_long(h, p->next_review);
        digest_add_str(h, p->src);
        digest_add_str(h, p->url);
    }
    size_t nf;
    const framework *fws = s->catalog ? catalog_frameworks(s->catalog, &nf) : NULL;
    digest_add_long(h, fws ? (long)nf : -1);
    for (size_t k = 0; fws && k < nf; k++) {
        digest_add_str(h, fws[k].id);
        digest_add_str(h, fws[k].name);
        digest_add_long(h, (long)fws[k].n_controls);
        for (size_t c = 0; c < fws[k].n_controls; c++) {
            const control *ctl = &fws[k].controls[c];
            digest_add_str(h, ctl->id);
            digest_add_str(h, ctl->framework);
            digest_add_str(h, ctl->status);
            size_t n;
            const page *const *by = site_cited_by(s, ctl, &n);
            digest_add_long(h, (long)n);
            for (size_t j = 0; j < n; j++)
                digest_add_long(h, (long)by[j]->index);
        }
    }
    digest_hex(h, key);
    digest_free(h);
}

struct oscal_export {
    exporter x;
};

oscal_export *oscal_export_new(const site *s, const build_provenance *prov)
{
    oscal_export *e = xcalloc(1, sizeof *e);
    exporter *x = &e->x;
    x->s = s;
    x->prov = prov;
    x->res_uuid = xcalloc(s->n_pages + 1, sizeof *x->res_uuid);
    x->page_keys = xcalloc(s->n_pages + 1, sizeof *x->page_keys);
    x->id_count = map_new();
    buf_init(&x->url);
    buf_init(&x->scratch);
    buf_init(&x->key);
    json_writer_init(&x->w, NULL, 0);
    const char *title = s->cfg.title && *s->cfg.title ? s->cfg.title : "Policies";
    /* The site's namespace, from its address: its absolute base_url, else
     * its repository, else its title (a base_url of "/" names no site). */
    const char *where = strstr(s->cfg.base_url, "://")                    ? s->cfg.base_url
                        : s->cfg.repository_url && *s->cfg.repository_url ? s->cfg.repository_url
                                                                          : title;
    uuid root_ns;
    memcpy(root_ns.b, charter_ns, 16);
    buf_reset(&x->scratch);
    buf_printf(&x->scratch, "site:%s", where);
    x->site_ns = uuid5(&root_ns, x->scratch.data);
    pick_resources(x);
    return e;
}

void oscal_export_free(oscal_export *e)
{
    if (!e)
        return;
    exporter *x = &e->x;
    json_writer_release(&x->w);
    for (size_t i = 0; i < x->s->n_pages; i++)
        free(x->res_uuid[i]);
    free(x->res_uuid);
    free(x->page_keys);
    map_free(x->id_count);
    buf_release(&x->url);
    buf_release(&x->scratch);
    buf_release(&x->key);
    digest_free(x->kd);
    free(e);
}

/* The document's start, up to its control implementations. */
static void write_head(exporter *x)
{
    const site *s = x->s;
    const build_provenance *prov = x->prov;
    json_writer *w = &x->w;
    const char *title = s->cfg.title && *s->cfg.title ? s->cfg.title : "Policies";
    json_begin_object(w, JSON_BLOCK);
    json_key(w, "component-definition");
    json_begin_object(w, JSON_BLOCK);
    member_uuid(x, "uuid", "component-definition");
    json_key(w, "metadata");
    json_begin_object(w, JSON_BLOCK);
    json_member_str(w, "title", title);
    /* The day the site was judged as of (--as-of, SOURCE_DATE_EPOCH or
     * today), never the clock: a rebuild gives the same bytes. */
    char date[11];
    date_format(date, s->as_of);
    buf_reset(&x->scratch);
    buf_printf(&x->scratch, "%sT00:00:00Z", date);
    json_member_str(w, "last-modified", x->scratch.data);
    /* The commit built from when the content has no uncommitted change,
     * else the day. */
    json_member_str(w, "version", prov && prov->clean && prov->commit[0] ? prov->commit : date);
    json_member_str(w, "oscal-version", "1.0.6");
    json_end(w);

    json_key(w, "components");
    json_begin_array(w, JSON_BLOCK);
    json_begin_object(w, JSON_BLOCK);
    member_uuid(x, "uuid", "component");
    json_member_str(w, "type", "policy");
    json_member_str(w, "title", title);
    if (s->cfg.description && *s->cfg.description) {
        json_member_str(w, "description", s->cfg.description);
    } else {
        buf_reset(&x->scratch);
        buf_printf(&x->scratch, "The policies of %s.", title);
        json_member_str(w, "description", x->scratch.data);
    }
    json_key(w, "props");
    json_begin_array(w, JSON_BLOCK);
    prop(x, "organization", s->cfg.organization);
    prop(x, "generator", "charter " CHARTER_VERSION);
    json_end(w);
    json_key(w, "links");
    json_begin_array(w, JSON_BLOCK);
    json_begin_object(w, JSON_LINE);
    json_member_str(w, "href", s->cfg.base_url);
    json_member_str(w, "rel", "homepage");
    json_member_str(w, "media-type", "text/html");
    json_end(w);
    if (s->cfg.repository_url && *s->cfg.repository_url) {
        json_begin_object(w, JSON_LINE);
        json_member_str(w, "href", s->cfg.repository_url);
        json_member_str(w, "rel", "source");
        json_end(w);
    }
    json_end(w);
}

/* Requirements and resources per part of oscal_export_fill. */
enum { PHASE_HEAD, PHASE_IMPL, PHASE_RES, PHASE_DONE };

static int fill_part(exporter *x, buf *chunk)
{
    json_writer *w = &x->w;
    size_t until = chunk->len + FS_CHUNK_BYTES; /* the caller may keep what it had */
    switch (x->phase) {
    case PHASE_HEAD:
        write_head(x);
        x->phase = PHASE_IMPL;
        return 1;
    case PHASE_IMPL:
        if (write_implementations(x, until))
            return 1;
        json_end(w); /* the component */
        json_end(w); /* components */
        x->phase = resources_begin(x) ? PHASE_RES : PHASE_DONE;
        if (x->phase == PHASE_RES)
            return 1;
        break;
    case PHASE_RES:
        for (; x->res < x->s->n_pages && chunk->len < until; x->res++)
            if (x->res_uuid[x->res])
                resource(x, x->res);
        if (x->res < x->s->n_pages)
            return 1;
        json_end(w); /* resources */
        json_end(w); /* back-matter */
        break;
    default:
        return 0;
    }
    x->phase = PHASE_DONE;
    json_end(w); /* component-definition */
    json_end(w);
    buf_addc(chunk, '\n');
    return 0;
}

int oscal_export_fill(void *ctx, buf *chunk)
{
    exporter *x = &((oscal_export *)ctx)->x;
    x->w.out = chunk;
    x->mark_at = chunk->len;
    int more = fill_part(x, chunk);
    if (x->sp) {
        if (more)
            x->pending += chunk->len - x->mark_at;
        else
            made_segment(x);
    }
    return more;
}

void oscal_export_splice(oscal_export *e, splice_stream *sp, int check)
{
    exporter *x = &e->x;
    x->sp = sp;
    x->check = check;
    if (!x->kd)
        x->kd = digest_new();
    digest_add(x->kd, digest_self(), DIGEST_HEX);
    digest_add(x->kd, x->site_ns.b, sizeof x->site_ns.b);
    digest_hex(x->kd, x->base);
}

size_t oscal_export_mismatches(const oscal_export *e)
{
    return e->x.mismatches;
}

void oscal_component_definition(buf *out, const site *s, const build_provenance *prov)
{
    oscal_export *e = oscal_export_new(s, prov);
    while (oscal_export_fill(e, out) > 0)
        ;
    oscal_export_free(e);
}
