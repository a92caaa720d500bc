/* history_trailers: a commit message's Approved-by: and Reviewed-by:
 * trailers, read as `git interpret-trailers --parse` and `git log
 * --format=%(trailers)` read them (git's trailer.c rules: the last
 * paragraph after the title, all trailers or a quarter with a git-made
 * one, folded lines unfolded, values trimmed). Pure: no repository. */
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

static int line_blank(line l)
{
    for (size_t i = 0; i < l.len; i++)
        if (!isspace((unsigned char)l.s[i]))
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
        } else if (key_end(l) >= 1 && !isspace((unsigned char)l.s[0])) {
            trailers++;
            maybe_folded = 0;
        } else if (isspace((unsigned char)l.s[0])) {
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
        if (isspace((unsigned char)s[i])) {
            space = 1;
            continue;
        }
        if (space && b->len)
            buf_addc(b, ' ');
        space = 0;
        buf_addc(b, s[i]);
    }
}

static void add_value(hist_row *r, int approved, const char *value)
{
    char ***list = approved ? &r->approved_by : &r->reviewed_by;
    size_t *n = approved ? &r->n_approved : &r->n_reviewed;
    *list = xrealloc(*list, (*n + 1) * sizeof **list);
    (*list)[(*n)++] = xstrdup(value);
}

/* Ends the trailer being read: records its value when its key is one we
 * keep and the value is not empty (an empty approval is no evidence). */
static void end_trailer(hist_row *r, int key, buf *value)
{
    if (key && value->len)
        add_value(r, key == 1, value->data);
    buf_reset(value);
}

void history_read_trailers(hist_row *r, const char *message, const char *encoding)
{
    if (!message)
        return;
    char *text = history_commit_text(message, encoding);
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
    buf value;
    buf_init(&value);
    int key = 0; /* of the trailer being read: 1 Approved-by, 2 Reviewed-by, 0 other */
    for (size_t i = block_start(lines, n); i < n; i++) {
        line l = lines[i];
        long colon = key_end(l);
        if (isspace((unsigned char)(l.len ? l.s[0] : 'x')) && !line_blank(l)) {
            add_unfolded(&value, l.s, l.len); /* a folded line of the trailer above */
            continue;
        }
        end_trailer(r, key, &value);
        key = 0;
        if (colon < 1 || (l.len && l.s[0] == '#'))
            continue;
        size_t klen = (size_t)colon;
        while (klen && isspace((unsigned char)l.s[klen - 1]))
            klen--;
        if (klen == 11 && !strncasecmp(l.s, "Approved-by", 11))
            key = 1;
        else if (klen == 11 && !strncasecmp(l.s, "Reviewed-by", 11))
            key = 2;
        add_unfolded(&value, l.s + colon + 1, l.len - (size_t)colon - 1);
    }
    end_trailer(r, key, &value);
    buf_release(&value);
    free(lines);
    free(text);
}
