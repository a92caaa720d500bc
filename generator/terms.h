/* terms: the site's tags and categories (front matter `tags:` and
 * `categories:`, a list or a string of words), each with the pages that use
 * it and a slug of its own for its page's URL. Derived once, at load. */
#ifndef CHARTER_TERMS_H
#define CHARTER_TERMS_H

#include <stddef.h>

struct site;
struct page;

typedef struct term {
    char *name; /* as written: "C++", "C" and "c" are three terms */
    char *slug; /* unique among the terms of its kind */
    int is_category;
    const struct page **pages; /* in page order */
    size_t n;
} term;

typedef struct terms terms;

/* Collects the terms of every published page and gives each a slug: its
 * name's ("tag" when nothing is left, as of "!!!"); names that share one get
 * "-2", "-3"... in the order of their bytes. Returns a new table (caller
 * frees with terms_free), sorted by kind (tags first) and slug. */
terms *terms_collect(const struct site *s);
void terms_free(terms *t);
/* The terms, borrowed. */
const term *terms_list(const terms *t, size_t *n);

struct yaml_node;
/* The scalar naming one item of a tags/categories list: the item itself,
 * or a mapping's `label` (Docusaurus's {label: ..., permalink: ...});
 * borrowed from the item. NULL for anything else. */
const struct yaml_node *terms_item_name(const struct yaml_node *item);

/* Calls fn for each word of a tags/categories string: words are separated
 * by whitespace and commas, as Jekyll splits them. */
void terms_each_word(const char *s, void (*fn)(void *ctx, const char *word, size_t len), void *ctx);

#endif
