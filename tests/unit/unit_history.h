/* unit_history.h: history rows built by hand for the unit tests of the
 * stages that read history (api, render): what the history stage would
 * give them, without a repository. */
#ifndef CHARTER_UNIT_HISTORY_H
#define CHARTER_UNIT_HISTORY_H

#include "history.h"

#include <string.h>

/* Makes r a commit row; the strings are borrowed (the test owns them). */
static inline void unit_commit_row(hist_row *r, const char *commit, const char *date,
                                   const char *author, const char *summary, const char *version)
{
    r->kind = HIST_COMMIT;
    strcpy(r->commit, commit);
    memcpy(r->shortid, commit, 7);
    r->shortid[7] = '\0';
    strcpy(r->date, date);
    r->author = (char *)author;
    r->summary = (char *)summary;
    r->version = (char *)version;
}

#endif
