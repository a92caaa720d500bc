/* json: JSON string escaping and the writer that lays out objects and arrays
 * (see json.h). Every output byte goes through here, so a container is
 * closed, and a comma placed, in exactly one place. */
#include "json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A level's byte: its json_style (bit STYLE), and these flags. */
enum { STYLE = 1, IS_ARRAY = 2, HAS_MEMBER = 4 };

/* The length of the run at u[0..len) that is copied as it is: printable
 * ASCII but '"' and '\\', and whole, valid UTF-8 sequences. */
static size_t plain_run(const unsigned char *u, size_t len)
{
    size_t i = 0;
    /* Eight bytes at a time while they are all plain ASCII: none has its
     * high bit set, is below 0x20, or is '"', '\\' or DEL (the zero-byte
     * test of w ^ c for each of those). A word that fails goes on byte by
     * byte. Search and API JSON are tens of megabytes of such text. */
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    while (len - i >= 8) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\'), del = w ^ (ones * 0x7F);
        uint64_t bad = (w | ((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((b - ones) & ~b) |
                        ((del - ones) & ~del)) &
                       highs;
        if (bad)
            break;
        i += 8;
    }
    while (i < len) {
        unsigned c = u[i];
        if (c >= 0x80) {
            size_t n = utf8_seq_len(u + i, len - i);
            if (n == 0)
                break;
            i += n;
        } else if (c >= 0x20 && c != 0x7F && c != '"' && c != '\\') {
            i++;
        } else {
            break;
        }
    }
    return i;
}

void json_string(buf *out, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    buf_addc(out, '"');
    for (size_t i = 0; i < len;) {
        /* Most text needs no escape: copied a run at a time. */
        size_t run = plain_run(u + i, len - i);
        if (run) {
            buf_add(out, s + i, run);
            i += run;
            continue;
        }
        unsigned c = u[i++];
        if (c == '"' || c == '\\') {
            buf_addc(out, '\\');
            buf_addc(out, (char)c);
        } else if (c == '\n') {
            buf_adds(out, "\\n");
        } else if (c == '\t') {
            buf_adds(out, "\\t");
        } else if (c == '\r') {
            buf_adds(out, "\\r");
        } else if (c < 0x20 || c == 0x7F) {
            buf_printf(out, "\\u%04x", c);
        } else {
            buf_adds(out, "\\ufffd"); /* no valid UTF-8 sequence starts here */
        }
    }
    buf_addc(out, '"');
}

void json_writer_init(json_writer *w, buf *out, int indent)
{
    w->out = out;
    w->indent = indent;
    w->depth = 0;
    w->cap = 0;
    w->level = NULL;
    w->after_key = 0;
}

void json_writer_release(json_writer *w)
{
    if (!w)
        return;
    free(w->level);
    w->level = NULL;
    w->depth = w->cap = 0;
}

static void newline(json_writer *w)
{
    buf_addc(w->out, '\n');
    for (int i = 0; i < w->indent; i++)
        buf_adds(w->out, "  ");
}

/* Everything a value needs before it: nothing after a key or at the top,
 * else a comma after the previous member and the member's line. */
static void separate(json_writer *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (!w->depth)
        return;
    unsigned char *l = &w->level[w->depth - 1];
    if (*l & HAS_MEMBER)
        buf_addc(w->out, ',');
    if ((*l & STYLE) == JSON_BLOCK)
        newline(w);
    else if (*l & HAS_MEMBER)
        buf_addc(w->out, ' ');
    *l |= HAS_MEMBER;
}

void json_member_written(json_writer *w)
{
    if (w->depth)
        w->level[w->depth - 1] |= HAS_MEMBER;
}

static void begin(json_writer *w, json_style style, int array)
{
    separate(w);
    if (w->depth == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 8;
        w->level = xrealloc(w->level, w->cap);
    }
    w->level[w->depth++] = (unsigned char)(style | (array ? IS_ARRAY : 0));
    w->indent += style == JSON_BLOCK;
    buf_addc(w->out, array ? '[' : '{');
}

void json_begin_object(json_writer *w, json_style style)
{
    begin(w, style, 0);
}

void json_begin_array(json_writer *w, json_style style)
{
    begin(w, style, 1);
}

void json_end(json_writer *w)
{
    unsigned char l = w->level[--w->depth];
    if ((l & STYLE) == JSON_BLOCK) {
        w->indent--;
        if (l & HAS_MEMBER)
            newline(w);
    }
    buf_addc(w->out, l & IS_ARRAY ? ']' : '}');
}

void json_keyn(json_writer *w, const char *key, size_t len)
{
    json_strn(w, key, len);
    buf_adds(w->out, ": ");
    w->after_key = 1;
}

void json_key(json_writer *w, const char *key)
{
    json_keyn(w, key, strlen(key));
}

void json_strn(json_writer *w, const char *s, size_t len)
{
    separate(w);
    json_string(w->out, s, len);
}

void json_str(json_writer *w, const char *s)
{
    if (s)
        json_strn(w, s, strlen(s));
    else
        json_null(w);
}

void json_int(json_writer *w, long long v)
{
    separate(w);
    buf_printf(w->out, "%lld", v);
}

void json_bool(json_writer *w, int v)
{
    separate(w);
    buf_adds(w->out, v ? "true" : "false");
}

void json_null(json_writer *w)
{
    separate(w);
    buf_adds(w->out, "null");
}

void json_member_str(json_writer *w, const char *key, const char *s)
{
    json_key(w, key);
    json_str(w, s);
}

void json_member_int(json_writer *w, const char *key, long long v)
{
    json_key(w, key);
    json_int(w, v);
}
