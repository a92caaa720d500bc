/* redline: a word-level comparison of two texts, for charter diff's
 * redlines: the shortest edit (Myers' O(ND) algorithm) turning the words
 * of one text into the other's, as runs of kept, deleted and inserted
 * words. Whitespace only separates words and is not compared, except that
 * a line end between two words is a paragraph break: a word "\n". */
#ifndef CHARTER_REDLINE_H
#define CHARTER_REDLINE_H

#include <stddef.h>

typedef enum redline_op { REDLINE_SAME, REDLINE_DEL, REDLINE_INS } redline_op;

/* A run of words: [from, to) indexes the words of the old text (SAME,
 * DEL) or of the new text (INS). */
typedef struct redline_run {
    redline_op op;
    size_t from, to;
} redline_run;

typedef struct redline_word {
    const char *s; /* borrowed from the text compared */
    size_t len;
} redline_word;

typedef struct redline {
    redline_word *a, *b; /* the words of the old and the new text */
    size_t na, nb;
    redline_run *runs; /* in reading order */
    size_t n_runs;
    size_t deleted, inserted; /* words, paragraph breaks not counted */
    int coarse; /* too different to compare word by word: one deletion, one insertion */
} redline;

/* Compares a[0..alen) with b[0..blen) (borrowed: they must outlive r).
 * Fills r (release with redline_release); never fails. */
void redline_compare(redline *r, const char *a, size_t alen, const char *b, size_t blen);
/* 1 when w is a paragraph break. */
int redline_is_break(const redline_word *w);
void redline_release(redline *r);

#endif
