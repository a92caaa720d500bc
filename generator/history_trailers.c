/* history_trailers: the evidence a commit message carries: its
 * Approved-by:, Reviewed-by:, Co-authored-by: and Change-Type: trailers,
 * read as `git interpret-trailers --parse` reads them (git's trailer.c
 * rules: the last paragraph after the title, all trailers or a quarter with
 * a git-made one, folded lines unfolded, values trimmed), and the pull or
 * merge request it came through. Pure: no repository. */
#include "buf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "history_int.h"

/* A line of the message: [s, s + len), without its '\n'. */
typedef struct line {
    const char *s;
    size_t len;
} line;

/* git's own isspace: space, tab, LF and CR, not the C locale's vertical
 * tab and form feed, which git keeps inside a value. */
static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int line_blank(line l)
{
    for (size_t i = 0; i < l.len; i++)
        if (!blank(l.s[i]))
            return 0;
    return 1;
}

static int line_starts(line l, const char *prefix)
{
    size_t n = strlen(prefix);
    return l.len >= n && !memcmp(l.s, prefix, n);
}

/* The offset of the ':' ending a trailer's key ("Key:", "Key :"), or -1:
 * the key is letters, digits and '-', then only blanks may come. */
static long key_end(line l)
{
    int blank_seen = 0;
    for (size_t i = 0; i < l.len; i++) {
        unsigned char c = (unsigned char)l.s[i];
        if (c == ':')
            return (long)i;
        if (!blank_seen && (isalnum(c) || c == '-'))
            continue;
        if (i > 0 && (c == ' ' || c == '\t')) {
            blank_seen = 1;
            continue;
        }
        break;
    }
    return -1;
}

/* The lines that git itself writes as trailers: one of them makes a block
 * a trailer block when a quarter of its lines are trailers. */
static int git_made(line l)
{
    return line_starts(l, "Signed-off-by: ") || line_starts(l, "(cherry picked from commit ");
}

/* The index of the trailer block's first line in lines[0, n), or n when the
 * message has none. Line 0 up to the first blank line is the title. */
static size_t block_start(const line *lines, size_t n)
{
    size_t title_end = 0;
    while (title_end < n && !line_blank(lines[title_end]))
        title_end++;
    size_t trailers = 0, others = 0, maybe_folded = 0;
    int only_blank = 1, git_seen = 0;
    for (size_t i = n; i-- > title_end;) {
        line l = lines[i];
        if (l.len && l.s[0] == '#') {
            others += maybe_folded;
            maybe_folded = 0;
            continue;
        }
        if (line_blank(l)) {
            if (only_blank)
                continue;
            others += maybe_folded;
            if ((git_seen && trailers * 3 >= others) || (trailers && !others))
                return i + 1;
            return n;
        }
        only_blank = 0;
        if (git_made(l)) {
            trailers++;
            maybe_folded = 0;
            git_seen = 1;
        } else if (key_end(l) >= 1 && !blank(l.s[0])) {
            trailers++;
            maybe_folded = 0;
        } else if (blank(l.s[0])) {
            maybe_folded++;
        } else {
            others += 1 + maybe_folded;
            maybe_folded = 0;
        }
    }
    return n;
}

/* Appends s[0, len) trimmed to b, folded lines joined with one space. */
static void add_unfolded(buf *b, const char *s, size_t len)
{
    int space = 0;
    for (size_t i = 0; i < len; i++) {
        if (blank(s[i])) {
            space = 1;
            continue;
        }
        if (space && b->len)
            buf_addc(b, ' ');
        space = 0;
        buf_addc(b, s[i]);
    }
}

/* The trailers kept; any other key is read past. */
enum { T_OTHER, T_APPROVED, T_REVIEWED, T_CO_AUTHOR, T_CHANGE_TYPE };

static const struct {
    const char *key;
    int id;
} kept[] = {{"Approved-by", T_APPROVED},
            {"Reviewed-by", T_REVIEWED},
            {"Co-authored-by", T_CO_AUTHOR},
            {"Change-Type", T_CHANGE_TYPE}};

/* Adds value to a list; with `unique`, unless it is there already (a
 * merge's trailers and those of the commits it brought in often repeat a
 * name; a commit's own are kept as git lists them). */
static void add_item(char ***list, size_t *n, const char *value, int unique)
{
    if (*n >= HIST_LIST_MAX)
        return;
    char *v = xstrdup(value);
    history_clip(&v, HIST_NAME_MAX);
    for (size_t i = 0; unique && i < *n; i++)
        if (!strcmp((*list)[i], v)) {
            free(v);
            return;
        }
    *list = xgrow(*list, *n, sizeof **list);
    (*list)[(*n)++] = v;
}

void history_add_name(char ***list, size_t *n, const char *value)
{
    add_item(list, n, value, 1);
}

int history_change_type_known(const char *v)
{
    static const char *const types[] = {"material", "minor", "editorial", "review"};
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (!strcmp(v, types[i]))
            return 1;
    return 0;
}

/* Ends the trailer being read: records its value when its key is one we
 * keep and the value is not empty (an empty approval is no evidence). A
 * Change-Type: is kept lowercased, the first known one (a merge's own
 * before those of the commits it brought in). `own`: the commit's own
 * message, else one a merge brought in. */
static void end_trailer(hist_row *r, int key, buf *value, int own)
{
    if (key == T_OTHER || !value->len)
        goto done;
    if (key == T_APPROVED)
        add_item(&r->approved_by, &r->n_approved, value->data, !own);
    else if (key == T_REVIEWED)
        add_item(&r->reviewed_by, &r->n_reviewed, value->data, !own);
    else if (key == T_CO_AUTHOR)
        add_item(&r->co_authors, &r->n_co_authors, value->data, !own);
    else if (key == T_CHANGE_TYPE && !r->change_type) {
        for (char *c = value->data; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        if (history_change_type_known(value->data))
            r->change_type = xstrdup(value->data);
    }
done:
    buf_reset(value);
}

/* The message's lines (pointers into text). Caller frees the array. */
static line *split_lines(const char *text, size_t *count)
{
    size_t n = 0, cap = 0;
    line *lines = NULL;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            lines = xrealloc(lines, cap * sizeof *lines);
        }
        lines[n++] = (line){p, len};
        p += len + (nl != NULL);
    }
    *count = n;
    return lines;
}

void history_read_trailers(hist_row *r, const char *message, const char *encoding, int own)
{
    if (!message)
        return;
    char *text = history_commit_text(message, encoding);
    size_t n;
    line *lines = split_lines(text, &n);
    buf value;
    buf_init(&value);
    int key = T_OTHER; /* of the trailer being read */
    for (size_t i = block_start(lines, n); i < n; i++) {
        line l = lines[i];
        long colon = key_end(l);
        if (l.len && blank(l.s[0]) && !line_blank(l)) {
            add_unfolded(&value, l.s, l.len); /* a folded line of the trailer above */
            continue;
        }
        end_trailer(r, key, &value, own);
        key = T_OTHER;
        if (colon < 1 || (l.len && l.s[0] == '#'))
            continue;
        size_t klen = (size_t)colon;
        while (klen && blank(l.s[klen - 1]))
            klen--;
        for (size_t k = 0; k < sizeof kept / sizeof *kept; k++)
            if (klen == strlen(kept[k].key) && !strncasecmp(l.s, kept[k].key, klen))
                key = kept[k].id;
        add_unfolded(&value, l.s + colon + 1, l.len - (size_t)colon - 1);
    }
    end_trailer(r, key, &value, own);
    buf_release(&value);
    free(lines);
    free(text);
}

/* The digits at s[0, len) as a request number: 1 to 9 digits, no sign. */
static int request_digits(const char *s, size_t len)
{
    if (len == 0 || len > 9)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* A merge commit's subject says only where it came from: the request's
 * title is the message's next paragraph, its first line, when there is one
 * before line `end` that is not the trailers. Replaces r's summary with it. */
static void title_from_body(hist_row *r, const line *lines, size_t end)
{
    size_t i = 1;
    while (i < end && line_blank(lines[i]))
        i++;
    if (i >= end || i == 1 || i >= block_start(lines, end))
        return; /* no paragraph, or only the trailers */
    buf b;
    buf_init(&b);
    add_unfolded(&b, lines[i].s, lines[i].len);
    free(r->summary);
    r->summary = buf_detach(&b);
    history_clip(&r->summary, HIST_SUMMARY_MAX);
}

void history_read_request(hist_row *r, const char *message, const char *encoding)
{
    if (!message || r->request)
        return;
    char *text = history_commit_text(message, encoding);
    size_t n;
    line *lines = split_lines(text, &n);
    buf ref;
    buf_init(&ref);
    line title = n ? lines[0] : (line){"", 0};
    static const char merge[] = "Merge pull request #";
    if (line_starts(title, merge)) {
        /* GitHub's merge button: "Merge pull request #12 from owner/branch". */
        const char *num = title.s + strlen(merge);
        size_t len = 0;
        while (num + len < title.s + title.len && isdigit((unsigned char)num[len]))
            len++;
        if (request_digits(num, len) && num + len < title.s + title.len && num[len] == ' ') {
            buf_printf(&ref, "#%.*s", (int)len, num);
            title_from_body(r, lines, n);
        }
    } else if (title.len > 4 && title.s[title.len - 1] == ')') {
        /* A squash merge: "Subject (#15)". */
        const char *open = title.s + title.len - 2;
        while (open > title.s && isdigit((unsigned char)*open))
            open--;
        size_t len = (size_t)(title.s + title.len - 1 - (open + 1));
        if (open > title.s + 1 && open[0] == '#' && open[-1] == '(' &&
            request_digits(open + 1, len))
            buf_printf(&ref, "#%.*s", (int)len, open + 1);
    }
    /* GitLab: "See merge request group/project!23" in the body. */
    static const char see[] = "See merge request ";
    for (size_t i = 1; i < n && !ref.len; i++) {
        line l = lines[i];
        if (!line_starts(l, see))
            continue;
        const char *bang = memchr(l.s, '!', l.len);
        if (!bang)
            continue;
        size_t len = 0;
        while (bang + 1 + len < l.s + l.len && isdigit((unsigned char)bang[1 + len]))
            len++;
        if (request_digits(bang + 1, len)) {
            buf_printf(&ref, "!%.*s", (int)len, bang + 1);
            /* GitLab's merge commit: "Merge branch 'x' into 'main'", then
             * the merge request's title. */
            if (line_starts(title, "Merge branch '"))
                title_from_body(r, lines, i);
        }
    }
    if (ref.len)
        r->request = buf_detach(&ref);
    buf_release(&ref);
    free(lines);
    free(text);
}
