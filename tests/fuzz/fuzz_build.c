/* fuzz_build: a whole `charter build` (build_run, as the command and the
 * preview server run it) of a small site whose files are anything: site.yml,
 * pages, catalogs, the statement of applicability, a crosswalk, layouts,
 * navigation files, Jekyll's _config.yml, and symbolic links to anywhere.
 * The input is `<flags>` then records split by 0x1E, each `<slot><bytes>`:
 * the slot (modulo N_SLOTS) names the file the bytes replace in a valid
 * base site, or the link they are the target of ("@" at the start stands
 * for the folder that holds the site, the output and a secret file beside
 * them; a record of the byte 0x18 alone removes the file). Checked: the
 * status is 0, 1 or 2 and agrees with the errors; each error names its
 * check and points inside its file; the findings in every report format
 * are well formed; the site's files are as they were; nothing is left
 * beside the output; a build that fails leaves the previous output byte
 * for byte; a published output never holds the secret (the file beside
 * the site, reachable only through a link); with flag bit 7, the same site
 * built again gives the same bytes; with bit 6, the site is a git
 * repository whose caches each build uses (the input an edit of the site
 * the last one left), and gives the bytes of a build without them.
 * tests/fuzz/README.md. */
#include "fuzz_site.h"

#include "build.h"
#include "buf.h"
#include "cli.h"
#include "dates.h"
#include "digest.h"
#include "report.h"

#include <dirent.h>
#include <jansson.h>
#include <errno.h>
#include <time.h>

#define SEP 0x1E
#define DEL 0x18 /* a record of this byte alone removes its file */

typedef struct slot {
    const char *rel; /* below the site */
    int link;        /* a symbolic link to the record's bytes */
} slot;

static const slot slots[] = {
    {"site.yml", 0},
    {"content/index.md", 0},
    {"content/access.md", 0},
    {"content/backup.md", 0},
    {"content/ops/_index.md", 0},
    {"content/ops/change.md", 0},
    {"controls/iso.yml", 0},
    {"controls/applicability.yml", 0},
    {"controls/soc.yml", 0},
    {"controls/crosswalk-iso-soc.yml", 0},
    {"layouts/page.html", 0},
    {"layouts/policy.html", 0},
    {"layouts/default.html", 0},
    {"layouts/_includes/note.html", 0},
    {"content/SUMMARY.md", 0},
    {"_config.yml", 0},
    {"content/hugo.md", 0},
    {"assets/site.css", 0},
    {"content/linked.md", 1},
    {"controls/linked.yml", 1},
    {"content/folder", 1},
    {"layouts/linked.html", 1},
    {"mkdocs.yml", 0},
    {"content/ops/README.md", 0},
};
#define N_SLOTS (sizeof slots / sizeof *slots)

/* The base site: valid, with a policy citing a control, a link to an
 * anchor, a folder and a second framework with a crosswalk. */
static const char *const base[][2] = {
    {"site.yml", "title: Fuzz Ltd policies\nframeworks: [iso]\nrequired: [title, owner, "
                 "last_reviewed]\nsections: [Ops]\n"},
    {"content/index.md",
     "---\ntitle: Home\nlayout: home\n---\nWelcome. See [access](access.md).\n"},
    {"content/access.md",
     "---\ntitle: Access control\nowner: CISO\nlast_reviewed: 2026-06-01\ncontrols: [A.1]\n"
     "section: Ops\ntags: [access]\n---\n# Access control\n\nSee [backup](backup.md#keep).\n"},
    {"content/backup.md", "---\ntitle: Backup\nowner: CTO\nlast_reviewed: 2026-05-01\ncontrols: "
                          "[A.2]\n---\n## Keep\n\nCopies are kept.\n"},
    {"content/ops/_index.md", "---\ntitle: Operations\nowner: COO\nlast_reviewed: 2026-03-01\n---\n"
                              "The operations policies.\n"},
    {"content/ops/change.md",
     "---\ntitle: Change management\nowner: CTO\nlast_reviewed: 2026-01-10\nversion: \"1.2\"\n---\n"
     "Changes are reviewed. [Home](../index.md)\n"},
    {"controls/iso.yml", "framework: iso\nname: ISO\ncontrols:\n  - id: A.1\n    title: Access\n"
                         "  - id: A.2\n    title: Backup\n"},
    {"controls/applicability.yml", "A.1:\n  applicable: true\n  status: implemented\n"
                                   "A.2:\n  applicable: true\n  status: planned\n"},
    {"controls/soc.yml", "framework: soc\nname: SOC\ncontrols:\n  - id: CC1\n    title: One\n"},
    {"controls/crosswalk-iso-soc.yml", "from: iso\nto: soc\nmappings:\n  - from: A.1\n    to: CC1\n"
                                       "    relationship: equal\n"},
};
#define N_BASE (sizeof base / sizeof *base)

static char secret[65]; /* the secret file's text: random, so no input can hold it */
static buf root_dir;    /* the folder of the site, the output and the secret */
static buf site_dir, out_dir, cold_dir;
static const char *site_name; /* "site", or "repo": a git repository, for the caches */
static buf previous;          /* the output's listing after the last build that published */
static int have_previous;     /* a build has published */

/* Whether text holds the secret. By a rolling hash rather than memmem or
 * memcmp, whose operands libFuzzer sees and puts into its inputs (it
 * learned the secret that way, and wrote it into a page). */
static int holds_secret(const char *text, size_t len)
{
    const size_t n = strlen(secret);
    const uint64_t mult = 1099511628211ULL;
    uint64_t want = 0, have = 0, top = 1;
    if (len < n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        want = want * mult + (unsigned char)secret[i];
        have = have * mult + (unsigned char)text[i];
        top = i ? top * mult : 1;
    }
    for (size_t at = 0;; at++) {
        if (have == want) {
            int same = 1;
            for (size_t i = 0; i < n && same; i++)
                same = text[at + i] == secret[i];
            if (same)
                return 1;
        }
        if (at + n >= len)
            return 0;
        have = (have - (unsigned char)text[at] * top) * mult + (unsigned char)text[at + n];
    }
}

static void setup(void)
{
    static int ready;
    if (ready)
        return;
    buf_init(&root_dir);
    buf_init(&site_dir);
    buf_init(&cold_dir);
    buf_init(&out_dir);
    buf_init(&previous);
    buf_adds(&root_dir, fuzz_empty_site()->path);
    buf_printf(&cold_dir, "%s/cold", root_dir.data);
    buf_printf(&out_dir, "%s/out", root_dir.data);
    unsigned char seed[32];
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    for (size_t i = 0; i < sizeof seed; i++)
        seed[i] = (unsigned char)((t.tv_nsec >> (i % 24)) ^ (getpid() * 31 + (int)i * 131));
    char hex[DIGEST_HEX];
    digest_of(hex, seed, sizeof seed);
    snprintf(secret, sizeof secret, "%s", hex);
    fuzz_site_put("secret.txt", secret, strlen(secret));
    /* The search finds it anywhere in a text, and only it. */
    buf probe;
    buf_init(&probe);
    buf_printf(&probe, "<p>%s</p>", secret);
    FUZZ_CHECK(holds_secret(probe.data, probe.len) && holds_secret(probe.data + 3, strlen(secret)));
    probe.data[10] ^= 1;
    FUZZ_CHECK(!holds_secret(probe.data, probe.len) && !holds_secret(secret, strlen(secret) - 1));
    buf_release(&probe);
    ready = 1;
}

/* Appends a line per entry below dir (rel is its path below the top),
 * in name order: its path, kind, size and digest. Marks *leaked when a file
 * holds the secret. */
static void list_tree(buf *b, const char *dir, const char *rel, int *leaked)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    FUZZ_CHECK(n >= 0);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (!strcmp(name, ".") || !strcmp(name, "..") || (!*rel && !strcmp(name, ".git"))) {
            free(names[i]);
            continue;
        }
        buf path, sub;
        buf_init(&path);
        buf_init(&sub);
        buf_printf(&path, "%s/%s", dir, name);
        buf_printf(&sub, "%s%s%s", rel, *rel ? "/" : "", name);
        struct stat st;
        FUZZ_CHECK(lstat(path.data, &st) == 0);
        if (S_ISDIR(st.st_mode)) {
            buf_printf(b, "%s d\n", sub.data);
            list_tree(b, path.data, sub.data, leaked);
        } else if (S_ISLNK(st.st_mode)) {
            char target[4096];
            ssize_t k = readlink(path.data, target, sizeof target - 1);
            FUZZ_CHECK(k >= 0);
            target[k] = '\0';
            buf_printf(b, "%s l %s\n", sub.data, target);
        } else {
            FUZZ_CHECK(S_ISREG(st.st_mode));
            buf text;
            buf_init(&text);
            FILE *f = fopen(path.data, "rb");
            FUZZ_CHECK(f != NULL);
            char chunk[65536];
            size_t k;
            while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
                buf_add(&text, chunk, k);
            fclose(f);
            char hex[DIGEST_HEX];
            digest_of(hex, text.data ? text.data : "", text.len);
            buf_printf(b, "%s f %lld %s\n", sub.data, (long long)st.st_size, hex);
            if (leaked && holds_secret(text.data, text.len)) {
                fprintf(stderr, "the secret beside the site is published in '%s'\n", sub.data);
                *leaked = 1;
            }
            buf_release(&text);
        }
        buf_release(&path);
        buf_release(&sub);
        free(names[i]);
    }
    free(names);
}

/* The names the folder holding the site holds: the site, the secret, and
 * the output once a build has published. Nothing a build staged is left. */
static void check_beside(void)
{
    struct dirent **names = NULL;
    int n = scandir(root_dir.data, &names, NULL, alphasort);
    FUZZ_CHECK(n >= 0);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        int known = !strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, "site") ||
                    !strcmp(name, "repo") || !strcmp(name, "cold") || !strcmp(name, "secret.txt") ||
                    !strcmp(name, "out");
        if (!known)
            fprintf(stderr, "left beside the output: '%s'\n", name);
        FUZZ_CHECK(known);
        free(names[i]);
    }
    free(names);
}

/* Writes the base site, then the input's records over it. */
static void write_site(const uint8_t *data, size_t size)
{
    /* All but the repository's .git, which keeps the caches from input to
     * input: each input is an edit of the site the last one left. */
    diags *quiet = diag_new(NULL);
    struct dirent **names = NULL;
    int listed = scandir(site_dir.data, &names, NULL, alphasort);
    for (int i = 0; i < listed; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..") &&
            strcmp(names[i]->d_name, ".git")) {
            buf path;
            buf_init(&path);
            buf_printf(&path, "%s/%s", site_dir.data, names[i]->d_name);
            fs_remove_tree(path.data, quiet);
            buf_release(&path);
        }
        free(names[i]);
    }
    free(names);
    diag_free(quiet);
    if (listed < 0)
        FUZZ_CHECK(mkdir(site_dir.data, 0777) == 0);
    for (size_t i = 0; i < N_BASE; i++) {
        buf rel;
        buf_init(&rel);
        buf_printf(&rel, "%s/%s", site_name, base[i][0]);
        fuzz_site_put(rel.data, base[i][1], strlen(base[i][1]));
        buf_release(&rel);
    }
    size_t at = 0;
    while (at < size) {
        const uint8_t *end = memchr(data + at, SEP, size - at);
        size_t len = end ? (size_t)(end - (data + at)) : size - at;
        if (len > 0) {
            const slot *s = &slots[data[at] % N_SLOTS];
            const char *text = (const char *)data + at + 1;
            size_t n = len - 1;
            buf rel;
            buf_init(&rel);
            buf_printf(&rel, "%s/%s", site_name, s->rel);
            if (n == 1 && text[0] == DEL)
                fuzz_site_unlink(rel.data);
            else if (!s->link)
                fuzz_site_put(rel.data, text, n);
            else {
                buf target, path;
                buf_init(&target);
                buf_init(&path);
                if (n && text[0] == '@') {
                    buf_adds(&target, root_dir.data);
                    buf_add(&target, text + 1, n - 1);
                } else
                    buf_add(&target, text, n);
                /* Made again (never written through: it may lead to the
                 * secret), its folders first. */
                fuzz_site_path(&path, rel.data);
                unlink(path.data);
                /* A target with a NUL is not one: no link. */
                if (target.len && target.len == strlen(target.data) && target.len < 1024)
                    FUZZ_CHECK(symlink(target.data, path.data) == 0);
                buf_release(&target);
                buf_release(&path);
            }
            buf_release(&rel);
        }
        at += len + 1;
    }
}

/* The repository, made once: git init, no commit (every page is new). */
static void make_repo(void)
{
    static int made;
    if (made)
        return;
    buf cmd;
    buf_init(&cmd);
    buf_printf(&cmd, "GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git init -q '%s'",
               site_dir.data);
    FUZZ_CHECK(system(cmd.data) == 0);
    buf_release(&cmd);
    made = 1;
}

static int build_once(const build_request *r, diags **out_d, buf *listing, int *leaked)
{
    diags *d = diag_new(site_dir.data);
    build_result res;
    int status = build_run(&res, r, NULL, d);
    FUZZ_CHECK(status == res.status);
    FUZZ_CHECK(status == EXIT_OK || status == EXIT_FINDINGS || status == EXIT_USAGE);
    build_result_release(&res);
    buf_reset(listing);
    struct stat st;
    if (lstat(r->out, &st) == 0) {
        FUZZ_CHECK(S_ISDIR(st.st_mode));
        list_tree(listing, r->out, "", status == EXIT_OK ? leaked : NULL);
    }
    *out_d = d;
    return status;
}

/* Every error names its check; findings about a file written from the input
 * point inside it. */
static void check_findings(diags *d, const uint8_t *data, size_t size)
{
    size_t n;
    const diag_entry *e = diag_entries(d, &n);
    for (size_t i = 0; i < n; i++) {
        if (e[i].level == DIAG_ERROR && (!e[i].id || !*e[i].id)) {
            fprintf(stderr, "an error without its check: %s:%d:%d: %s\n",
                    e[i].file ? e[i].file : "-", e[i].line, e[i].col, e[i].message);
            FUZZ_CHECK(!"an error without a check id");
        }
    }
    size_t at = 0;
    while (at < size) {
        const uint8_t *end = memchr(data + at, SEP, size - at);
        size_t len = end ? (size_t)(end - (data + at)) : size - at;
        /* The last record written to a slot is the file's text. */
        if (len > 0 && !slots[data[at] % N_SLOTS].link) {
            int last = 1;
            size_t later = at + len + 1;
            while (later < size) {
                const uint8_t *e2 = memchr(data + later, SEP, size - later);
                size_t l2 = e2 ? (size_t)(e2 - (data + later)) : size - later;
                if (l2 > 0 && data[later] % N_SLOTS == data[at] % N_SLOTS)
                    last = 0;
                later += l2 + 1;
            }
            if (last)
                fuzz_check_positions(d, slots[data[at] % N_SLOTS].rel, (const char *)data + at + 1,
                                     len - 1, 0);
        }
        at += len + 1;
    }
}

/* Whether a report's bytes are safe in a terminal or a CI log: no C0
 * control but tab and line feed, no DEL, no C1 control. */
static int term_safe(const buf *b)
{
    const unsigned char *u = (const unsigned char *)b->data;
    for (size_t i = 0; i < b->len; i++) {
        if ((u[i] < 0x20 && u[i] != '\t' && u[i] != '\n') || u[i] == 0x7f)
            return 0;
        if (u[i] == 0xC2 && i + 1 < b->len && u[i + 1] >= 0x80 && u[i + 1] < 0xA0)
            return 0;
    }
    return 1;
}

/* The findings in every format `charter check --format` writes: JSON and
 * SARIF parse; GitHub's commands are one a line, their properties free of
 * the ':' and ',' that would end them; text and GitHub's are safe in a
 * terminal; JUnit's XML holds no character XML 1.0 forbids. */
static void check_reports(diags *d, long as_of)
{
    static const report_format formats[] = {REPORT_TEXT, REPORT_JSON, REPORT_GITHUB, REPORT_SARIF,
                                            REPORT_JUNIT};
    for (size_t k = 0; k < sizeof formats / sizeof *formats; k++) {
        buf out;
        buf_init(&out);
        report_write(&out, formats[k], d, NULL, as_of, 0);
        if (formats[k] == REPORT_JSON || formats[k] == REPORT_SARIF) {
            json_error_t err;
            json_t *j = json_loadb(out.data, out.len, 0, &err);
            if (!j)
                fprintf(stderr, "report %zu is not JSON: %s at %d:%d\n%s\n", k, err.text, err.line,
                        err.column, out.data);
            FUZZ_CHECK(j != NULL && json_is_object(j));
            json_decref(j);
        }
        if (formats[k] == REPORT_TEXT || formats[k] == REPORT_GITHUB) {
            if (!term_safe(&out))
                fprintf(stderr, "report %zu is not safe in a terminal:\n%s\n", k, out.data);
            FUZZ_CHECK(term_safe(&out));
        }
        if (formats[k] == REPORT_GITHUB) {
            for (char *line = out.data; *line;) {
                char *nl = strchr(line, '\n');
                FUZZ_CHECK(nl != NULL);
                FUZZ_CHECK(!strncmp(line, "::error ", 8) || !strncmp(line, "::warning ", 10) ||
                           !strncmp(line, "::notice ", 9));
                char *props = strchr(line + 2, ' ') + 1;
                char *end = strstr(props, "::");
                FUZZ_CHECK(end != NULL && end < nl);
                for (char *c = props; c < end; c++)
                    FUZZ_CHECK(*c != ':');
                line = nl + 1;
            }
        }
        if (formats[k] == REPORT_JUNIT) {
            const unsigned char *u = (const unsigned char *)out.data;
            for (size_t i = 0; i < out.len; i++)
                FUZZ_CHECK(u[i] >= 0x20 || u[i] == '\t' || u[i] == '\n' || u[i] == '\r');
            FUZZ_CHECK(!strncmp(out.data, "<?xml", 5));
        }
        buf_release(&out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65536)
        return 0;
    setup();
    uint8_t flags = data[0];
    int cached = flags & 0x40;
    site_name = cached ? "repo" : "site";
    buf_reset(&site_dir);
    buf_printf(&site_dir, "%s/%s", root_dir.data, site_name);
    write_site(data + 1, size - 1);
    if (cached)
        make_repo();

    buf before, after, listing, again;
    buf_init(&before);
    buf_init(&after);
    buf_init(&listing);
    buf_init(&again);
    list_tree(&before, site_dir.data, "", NULL);

    build_request r = {0};
    r.site = site_dir.data;
    r.out = out_dir.data;
    r.as_of = date_from_civil(2026, 11 + (flags >> 2 & 1), 25);
    r.no_check = flags & 3; /* 0, 1 (--no-check), 2 (serve's), 3 read as --no-check */
    if (r.no_check == 3)
        r.no_check = 1;
    r.no_cache = !cached;
    r.base_url = flags & 8 ? "/policies/" : NULL;

    int leaked = 0;
    diags *d = NULL;
    int status = build_once(&r, &d, &listing, &leaked);
    fuzz_debug_diags(d);
    size_t errors = diag_count(d, DIAG_ERROR);
    if (status == EXIT_OK && r.no_check != 2)
        FUZZ_CHECK(errors == 0);
    if (status != EXIT_OK)
        FUZZ_CHECK(errors > 0);
    check_findings(d, data + 1, size - 1);
    check_reports(d, r.as_of);
    FUZZ_CHECK(!leaked);

    /* What the build did not write is as it was. */
    list_tree(&after, site_dir.data, "", NULL);
    if (strcmp(before.data, after.data) != 0) {
        fprintf(stderr, "the site changed:\n%s---\n%s", before.data, after.data);
        FUZZ_CHECK(!"the build changed the site");
    }
    check_beside();
    if (status != EXIT_OK && have_previous && strcmp(previous.data, listing.data) != 0) {
        fprintf(stderr, "a failed build changed the output:\n%s---\n%s", previous.data,
                listing.data);
        FUZZ_CHECK(!"a failed build changed the previous output");
    }
    if (status == EXIT_OK) {
        buf_reset(&previous);
        buf_adds(&previous, listing.data);
        have_previous = 1;
    }

    /* With the caches the last inputs left (an edit of that site, which
     * may be anything), the bytes of a build without them. */
    if (cached) {
        build_request cold = r;
        cold.no_cache = 1;
        cold.out = cold_dir.data;
        diags *dc = NULL;
        buf cold_listing;
        buf_init(&cold_listing);
        int status_cold = build_once(&cold, &dc, &cold_listing, &leaked);
        FUZZ_CHECK(status_cold == status);
        FUZZ_CHECK(diag_count(dc, DIAG_ERROR) == errors);
        if (status == EXIT_OK && strcmp(cold_listing.data, listing.data) != 0) {
            fprintf(stderr, "with the caches, not the bytes of a cold build:\n%s---\n%s",
                    listing.data, cold_listing.data);
            FUZZ_CHECK(!"a build with the caches differs from a cold build");
        }
        buf_release(&cold_listing);
        diag_free(dc);
    }

    /* The same site again: the same status and the same bytes. */
    if (flags & 0x80) {
        diags *d2 = NULL;
        int status2 = build_once(&r, &d2, &again, &leaked);
        FUZZ_CHECK(status2 == status);
        FUZZ_CHECK(diag_count(d2, DIAG_ERROR) == errors);
        if (strcmp(again.data, listing.data) != 0) {
            fprintf(stderr, "built twice, two outputs:\n%s---\n%s", listing.data, again.data);
            FUZZ_CHECK(!"the same site built twice gives two outputs");
        }
        diag_free(d2);
    }
    diag_free(d);
    buf_release(&before);
    buf_release(&after);
    buf_release(&listing);
    buf_release(&again);
    return 0;
}
