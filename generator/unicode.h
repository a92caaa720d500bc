/* unicode: Unicode normalisation of names, through libutf8proc (the only
 * module that includes it). File names reach charter in whatever form the
 * editor's system wrote them: macOS writes "café" decomposed (NFD), Linux
 * keeps what it is given, and a link typed in Markdown is usually composed
 * (NFC). charter compares names in NFC (Unicode UAX #15). */
#ifndef CHARTER_UNICODE_H
#define CHARTER_UNICODE_H

#include "buf.h"

/* Appends the NFC form of s[0..len) to out. ASCII is copied as it is; text
 * that is not valid UTF-8 is copied unchanged (there is no form to
 * normalise). Returns 1 when the text changed, else 0. */
int unicode_nfc(buf *out, const char *s, size_t len);

/* Appends s[0..len) lowercased to out (Unicode's simple lowercase, as Hugo
 * lowercases a page's path); text that is not valid UTF-8 is copied with
 * its ASCII letters lowercased. */
void unicode_lower(buf *out, const char *s, size_t len);

/* Appends to out the heading id GitHub makes of text: lowercased, a space
 * a hyphen, and only word characters (letters, marks and numbers of any
 * script, '_') and hyphens kept, so emoji, dashes and curly quotes go.
 * Text that is not valid UTF-8 keeps its bytes from the first bad one. */
void unicode_slug(buf *out, const char *text);

/* Appends the heading id MkDocs makes of text (Python-Markdown's toc
 * slugify, Material's default): decomposed (NFKD) and the letters that are
 * not ASCII dropped ("Über" is "uber"), only ASCII letters, digits, '_',
 * '-' and blanks kept, lowercased, trimmed, and each run of blanks and
 * hyphens one hyphen ("Roles & Responsibilities" is roles-responsibilities). */
void unicode_slug_mkdocs(buf *out, const char *text);

/* Appends the heading id VitePress makes of text: decomposed (NFKD), the
 * combining marks and control characters dropped, each run of blanks and
 * ASCII punctuation one hyphen, none at either end, '_' before a leading
 * digit ("1. Purpose" is _1-purpose), lowercased; other characters kept. */
void unicode_slug_vitepress(buf *out, const char *text);

/* The columns a terminal gives the character at s (n > 0 bytes left): 2
 * for a wide one (CJK, most emoji), 0 for a combining mark, else 1 (a byte
 * that is not UTF-8 too); its length in bytes in *len. */
int unicode_columns(const char *s, size_t n, size_t *len);

/* The version of utf8proc linked ("2.8.0"). Static storage. */
const char *unicode_utf8proc_version(void);

#endif
