/* history_int: what the history module's files (history.c and
 * history_*.c) share, its private types; nothing else includes it but the
 * unit tests. It carries git2.h, which stays inside the history module. */
#ifndef CHARTER_HISTORY_INT_H
#define CHARTER_HISTORY_INT_H

#include "history.h"
#include "buf.h"
#include "digest.h"
#include "map.h"

#include <git2.h>
#include <stdint.h>
#include <sys/stat.h>

/* 6: rows carry the commit's evidence (Co-authored-by:, the pull or merge
 * request, the change type, the signature's kind);
 * 5: a page's history goes on through a deletion, renames from and to any
 * name and copies (docs/history.md), and the cache lists every path the
 * content directory ever held; 4: versions read with the front matter
 * parser, text in UTF-8 whatever a commit's encoding, \x1f escaped, trailers
 * read as git reads them, each list item ended by \x1f. A cache written
 * before holds rows that were read otherwise, so it is ignored and rebuilt. */
#define CACHE_MAGIC "charter-history-cache 10"

/* libgit2, initialised (pair each call with git_libgit2_shutdown). The
 * first call takes one more reference that is never given back, so that
 * libgit2 is set up once per process: a build starts and ends libgit2
 * several times. */
void history_git_init(void);

/* How many times libgit2's set-up asked for a CA certificate file, which
 * history.c answers without reading it (see there): at least 1 once
 * history_git_init has run, with a libgit2 built with mbedTLS. */
int history_ca_files_skipped(void);

/* Blobs larger than this are not read (history.c, history_follow.c): a
 * policy page is a few KB, and a blob is inflated whole, so a hostile
 * repository could otherwise make each row inflate gigabytes (a zlib
 * bomb). */
#define MAX_BLOB ((size_t)4 << 20)
/* What one allocation of libgit2's may take while it reads a blob
 * (history_read_blob): the blob, or a delta base on the way to it. */
#define BLOB_ALLOC_CAP (4 * MAX_BLOB)

typedef struct raw_row {
    hist_row row;
    long seq;           /* commits from HEAD along the first-parent chain */
    char *declared;     /* the version the page declared then, or NULL */
    char *name, *email; /* the author as committed; .mailmap applies at the end */
    char **merged;      /* a merge's: its commits' authors as committed, "Name <email>" */
    size_t n_merged;
    git_oid new_id, old_id; /* the page's blobs after and before the commit */
    int unresolved;         /* blobs not read yet (declared, review) */
} raw_row;

typedef struct page_rows {
    raw_row *rows;
    size_t n, cap;
} page_rows;

struct history {
    int found; /* a repository with a HEAD was read */
    /* Read whole from the status pass it was given (history_reuse): not a
     * shallow clone's, nor one with objects missing. */
    int reusable;
    size_t n_pages;
    page_rows *raw;
    page_history *pages;
    change *changes;
    size_t n_changes;
};

/* Adds an empty row to pr and returns it (borrowed). */
raw_row *history_add_row(page_rows *pr);
/* Frees what a row owns (not the row); accepts NULL. */
void history_row_release(hist_row *r);
/* Frees what a raw row owns (not the row). */
void history_free_raw(raw_row *r);
/* Makes dst a deep copy of src (dst's old contents are not freed). */
void history_copy_raw(raw_row *dst, const raw_row *src);
/* Appends blob `id` to out. Returns 0, or -1 when the id is zero, the
 * object is missing or no blob, or it is over MAX_BLOB (one that declares
 * more than BLOB_ALLOC_CAP is refused before it is allocated, with an
 * out-of-memory error: a huge blob is never inflated). */
int history_read_blob(git_odb *odb, const git_oid *id, buf *out);

/* --- history.c's text helpers (pure: no repository) ----------------------- */

/* The version a revision's text declares (its front matter's `version`, read
 * as the site loader reads it), or NULL when it declares none, a null, a
 * list or a mapping, or the front matter is broken or the text is too large
 * to be read as a page. Caller frees. */
char *history_declared_version(const char *text, size_t len);
/* The same, and in *change (NULL allowed) its front matter's `change:`
 * lowercased as a new string, or NULL. */
char *history_declared(const char *text, size_t len, char **change_out);
/* Appends text without its `last_reviewed:` line to out. */
void history_without_review_line(buf *out, const char *text, size_t len);
/* text (NULL: "") from a commit whose encoding header is `encoding` (NULL:
 * none, UTF-8) as a new UTF-8 string, or the bytes as they are when iconv
 * cannot convert them. Caller frees. */
char *history_commit_text(const char *text, const char *encoding);

/* What a commit says is anybody's (a pull request writes its messages) and
 * is copied into every page it touched: each text kept is cut to at most
 * these many bytes, at a character's start, ending in "..." (U+2026); a
 * list keeps its first HIST_LIST_MAX names. A 12 MB Approved-by: on a
 * commit touching every page once made a 650 MB site. */
enum { HIST_NAME_MAX = 256, HIST_SUMMARY_MAX = 1024, HIST_LIST_MAX = 64 };
/* Cuts the malloc'ed string *s (may be NULL) to at most max bytes. */
void history_clip(char **s, size_t max);
/* The author's calendar day in the author's own zone, days since 1970-01-01. */
long history_author_day(const git_time *when);
/* --- history_trailers.c ---------------------------------------------------- */

/* Appends the non-empty Approved-by:, Reviewed-by: and Co-authored-by:
 * trailers of a commit message (NULL: none), converted from `encoding`, to
 * r's lists, read as git reads trailers, and sets r->change_type from its
 * first known Change-Type: unless set; other trailers are ignored. `own`:
 * the row's own commit (its lists as git lists them), else a commit a merge
 * brought in (only names not listed yet are added). */
void history_read_trailers(hist_row *r, const char *message, const char *encoding, int own);
/* Adds value (clipped to HIST_NAME_MAX) to a list of names unless it is
 * there already or the list holds HIST_LIST_MAX. */
void history_add_name(char ***list, size_t *n, const char *value);
/* 1 when v is a change type: material, minor, editorial or review. */
int history_change_type_known(const char *v);
/* Sets r->request (unless set) from the message's merge styles: GitHub's
 * "Merge pull request #N from ..." (whose summary then becomes the pull
 * request's title, the next paragraph), a squash "Subject (#N)", GitLab's
 * "See merge request group/project!N". */
void history_read_request(hist_row *r, const char *message, const char *encoding);

/* --- history_diff.c: what changed between two trees ------------------------ */

/* A changed file of the content directory between a commit and its first
 * parent: any file, not only pages, since a page may come from any name. */
typedef struct fchange {
    char *path;
    char status;                 /* 'A' added, 'D' deleted, 'M' modified */
    unsigned old_mode, new_mode; /* git's modes: 0100644, 0100755, 0120000 */
    git_oid old_id, new_id;
} fchange;

typedef struct fchanges {
    fchange *v;
    size_t n, cap;
} fchanges;

/* Trees are read raw (git_odb_read) and parsed in place: a section of 1,000
 * pages is a 40 KB tree, and libgit2's parsed trees cost an allocation per
 * entry. The cache keeps the trees history_prefix_tree read for the last
 * commit, which are the next commit's parent's. */
typedef struct tree_cache {
    git_odb *odb;
    map *cur, *prev; /* oid hex -> git_odb_object */
} tree_cache;
/* Frees the changes' strings and empties fc (keeps its memory). */
void history_fc_clear(fchanges *fc);
/* After each commit: forgets the trees only that commit needed. */
void history_tc_step(tree_cache *tc);
void history_tc_release(tree_cache *tc);
/* Compares n pairs of trees at once, pair i being old_ids[i] and
 * new_ids[i] (a zero id: nothing) at `path` ("" for the root), one folder
 * at a time: appends pair i's changes to *out[i], in the order a walk
 * through both trees meets them, and sets failed[i] when a tree of the
 * pair cannot be read or is malformed (its changes are then incomplete).
 * Trees are read through tc->odb. */
void history_diff_many(tree_cache *tc, const char *path, size_t n, const git_oid *old_ids,
                       const git_oid *new_ids, fchanges **out, int *failed);
/* Every file of tree `tree_id` (at `path`) as added or deleted. */
int history_add_whole(tree_cache *tc, const git_oid *tree_id, buf *path, char status,
                      fchanges *out);
/* The files that differ between two trees, below `path`. 0 or -1. */
int history_diff_trees(tree_cache *tc, const git_oid *old_id, const git_oid *new_id, buf *path,
                       fchanges *out);
/* The id of the tree at `prefix` in tree `root` (zero when there is none). */
void history_prefix_tree(git_oid *out, tree_cache *tc, const git_oid *root, const char *prefix);

/* --- history_follow.c: where an added page came from ---------------------- */

/* A text as git's similarity sees it: chunks (a line, or 64 bytes of a
 * longer one), hashed, and the bytes of the chunks of each hash. */
typedef struct sig {
    size_t size;     /* the blob's size, which the score divides by */
    size_t n;        /* distinct hashes */
    uint32_t *hash;  /* ascending; NULL until computed */
    uint32_t *bytes; /* bytes of the chunks with hash[i] */
} sig;

/* Computes text's chunks into *out (new arrays; release them with
 * history_sig_release, which accepts NULL and zeroes the sig). */
void history_sig_compute(sig *out, const char *text, size_t len);
void history_sig_release(sig *s);

/* git's similarity of dst to src (diffcore-delta, as git 2.39 computes it):
 * from 0 to 60000, git's MAX_SCORE, of which git prints score * 100 / 60000
 * as the similarity index; 0 when the sizes differ too much for the 50%
 * that --follow asks. */
unsigned history_similarity(const char *src, size_t src_len, const char *dst, size_t dst_len);

/* The files of the content directory in the first parent of the commit the
 * walk is at, kept up to date as the walk steps back one commit at a time,
 * to find the file an added page came from as `git log --follow` finds it
 * (docs/history.md): identical contents first, then git's similarity of at
 * least 50%, a file the commit deleted before one it kept. */
typedef struct follow follow;

typedef struct blobs blobs;

/* A new, empty state reading objects from odb (taken over: freed with the
 * state) for the content directory at `prefix` ("" or ending in '/'). */
follow *history_follow_new(git_odb *odb, const char *prefix);
/* Makes f take what it knows of blobs from b (borrowed: b must outlive f)
 * instead of a table of its own, so the blobs a walk read ahead are not
 * read again. Call before history_follow_start. */
void history_follow_use_blobs(follow *f, blobs *b);
void history_follow_free(follow *f);
/* 1 once history_follow_start has loaded a tree. */
int history_follow_started(const follow *f);
/* Loads the files below `prefix` of root tree `parent_tree`, the first
 * parent of the commit whose changes are fc. 0, or -1 when a tree cannot be
 * read. */
int history_follow_start(follow *f, const git_oid *parent_tree, const fchanges *fc);
/* Steps back over the next older commit, whose changes are fc: its adds
 * leave, its deletions come back, its changes revert. */
void history_follow_undo(follow *f, const fchanges *fc);
/* The file the add `added` of the current commit came from: returns its
 * path (borrowed, valid until f next changes) and its blob in *src_id, or
 * NULL when it came from none. */
const char *history_follow_source(follow *f, const fchange *added, git_oid *src_id);
/* How many files the search above has scored, over all its queries:
 * those its bound could not rule out (for tests). */
size_t history_follow_ranked(const follow *f);
/* The postings the index holds, stale ones included, the room it has for
 * them, and how many are stale (for tests). */
void history_follow_postings(const follow *f, size_t *posts, size_t *room, size_t *stale);

/* --- history_blobs.c: the blobs the history reads, each read once ----------- */

typedef enum blob_state { BLOB_UNREAD, BLOB_READ, BLOB_UNREADABLE } blob_state;

typedef struct blob_info {
    git_oid id;
    size_t order; /* its place in the reading order (the first walk step naming it) */
    blob_state state;
    int missing;    /* unreadable as the object is not in the repository */
    int want_sig;   /* sig is wanted too */
    char *declared; /* history_declared_version of its text */
    char *change;   /* its front matter's `change:`, lowercased, or NULL */
    /* SHA-256 of the text without its `last_reviewed:` line: two revisions
     * differ only in that line when these are equal and their ids not */
    unsigned char unreviewed[32];
    sig sig; /* its similarity chunks, when wanted */
    /* Where history_blobs_plan found it: the number of its pack (0: none)
     * and its offset there. */
    uint32_t pack;
    uint64_t offset;
} blob_info;

/* A new, empty table (caller frees with history_blobs_free, which accepts
 * NULL). */
blobs *history_blobs_new(void);
void history_blobs_free(blobs *b);
/* Adds blob id (a zero id is ignored) to be read at `order` (the first
 * order given is kept), with its similarity chunks when want_sig. */
void history_blobs_want(blobs *b, const git_oid *id, size_t order, int want_sig);
/* Reads every wanted blob not read yet, on all cores, each thread through
 * its own handle on the repository at gitdir (commondir: its common
 * directory, where the packs are). Those in a pack are read pack by pack,
 * each from its end back (history_blobs_plan), from the pack itself
 * (history_pack_read) or else by libgit2; the rest after them in the order
 * wanted. 0, or -1 when a handle cannot be opened (its blobs stay
 * unread). */
int history_blobs_read(blobs *b, const char *gitdir, const char *commondir);
/* The order history_blobs_read reads b's unread blobs in: sets *index to
 * a new array (caller frees) of their indexes in the table (in the order
 * they were first wanted), in reading order, and each entry's place in
 * its pack; returns how many. */
size_t history_blobs_plan(size_t **index, blobs *b, const char *commondir);
/* The table's i-th entry, in the order blobs were first wanted (borrowed,
 * valid until the table next changes); i below the number wanted. */
const blob_info *history_blobs_at(const blobs *b, size_t i);
/* What the table knows of blob id, read now through odb when it was not
 * (borrowed, valid until the table next changes); NULL for a zero id. */
const blob_info *history_blobs_get(blobs *b, git_odb *odb, const git_oid *id, int want_sig);

/* --- history_pack.c: where blobs lie in the packs ------------------------- */

/* How many pack indexes are read (the blobs of packs past these are read
 * in the order wanted), and the largest mapped (an index of some 38
 * million objects). */
#define IDX_FILES_MAX 256
#define IDX_MAP_MAX ((size_t)1 << 30)
/* The largest pack history_pack_map maps (its blobs past that are read by
 * libgit2). */
#define PACK_MAP_MAX ((uint64_t)16 << 30)

/* A blob's place: the number of the pack holding it (1 for the first
 * index read, in the sorted order of objects/pack) and its offset there;
 * pack 0 when it was found in none. */
typedef struct pack_place {
    uint32_t pack;
    uint64_t offset;
} pack_place;

/* Looks up each of ids[0..n) in the pack index idx[0..len) (version 2),
 * setting offsets[i] to its offset in the pack, or UINT64_MAX when it is
 * not there. 0, or -1 (offsets untouched) when idx is no index of version
 * 2 or is too short for what it declares. Reads nothing outside idx. */
int history_pack_lookup(uint64_t *offsets, const unsigned char *idx, size_t len, const git_oid *ids,
                        size_t n);
/* Sets places[0..n) to where ids[0..n) lie in the packs of the repository
 * whose common git directory is commondir (git_repository_commondir),
 * looked up in its objects/pack/pack-*.idx (regular files, never through a
 * link; up to IDX_FILES_MAX of them, each up to IDX_MAP_MAX, mapped one at
 * a time). An index that cannot be read or is damaged is passed over;
 * nothing is reported: the places only order reads. */
void history_pack_places(pack_place *places, char ***packs, const git_oid *ids, size_t n,
                         const char *commondir);
/* ...and, when packs is not NULL, sets *packs to the path of each pack the
 * places number (pack k at (*packs)[k - 1]), NULL-terminated (caller frees
 * each and the array). */

/* What reads blobs from packs for one thread: libdeflate's state and the
 * blobs last made, kept for the deltas built on them. */
typedef struct pack_reader pack_reader;
/* A new reader (caller frees with history_pack_reader_free, which accepts
 * NULL). */
pack_reader *history_pack_reader_new(void);
void history_pack_reader_free(pack_reader *r);
/* The bytes of the blobs r keeps (for tests): at most 4 MB. */
size_t history_pack_reader_kept(const pack_reader *r);
/* Maps the pack at path (a regular file, never through a link, up to
 * PACK_MAP_MAX) read-only and checks its header: its bytes in *len (the
 * caller unmaps them), or NULL. */
const unsigned char *history_pack_map(const char *path, size_t *len);
/* Reads into out the blob whose entry is at offset in pack[0..len) (pack
 * number pack_no, for what r keeps), a whole blob or a chain of offset
 * deltas down to one, each applied; none may make more than max bytes.
 * 0, or -1 (out unspecified) when it is anything else (a delta by id, a
 * tree), runs past the pack, or its data or a delta is damaged: reads
 * nothing outside pack[0..len), and the chain is at most 4,096 long. */
int history_pack_read(pack_reader *r, const unsigned char *pack, size_t len, uint32_t pack_no,
                      uint64_t offset, size_t max, buf *out);

/* --- history_sign.c -------------------------------------------------------- */

/* Verifies the signature of each signed commit in h's raw rows (once per
 * commit) against the site's evidence.keyring and evidence.allowed_signers,
 * read inside the site, and sets each row's sig_state, key, signer and why.
 * With cache_dir (<git dir>/charter; NULL: none), verdicts made with the
 * same keys are read from and written to its signatures.cache. A key file
 * that cannot be read is reported through d. */
void history_verify_signatures(history *h, const site *s, git_repository *repo,
                               const char *cache_dir, diags *d);

/* --- history_cache.c: <git dir>/charter/history.cache ---------------------- */

/* A cache read back: each page's rows under its path at the cached head. */
typedef struct cached {
    git_oid head;
    map *seen;    /* every path the content directory held up to head -> (void *)1 */
    map *by_path; /* repo path -> index + 1 into rows_of */
    page_rows *rows_of;
    size_t n;
} cached;

/* --- repository facts (history_dir.c) --- */
/* Opens the repository holding root, as git would: GIT_DIR (and
 * GIT_WORK_TREE, else the current folder as its work tree) when set; a
 * repository another user owns when git's safe.directory trusts it,
 * including the forms libgit2 1.5 does not read ('*', GIT_CONFIG_GLOBAL,
 * GIT_CONFIG_COUNT). Returns 0 with *repo (caller frees), GIT_EOWNER when
 * git's ownership check refuses it, GIT_ENOTFOUND when there is none, or
 * another libgit2 error. */
int history_repo_open(git_repository **repo, const char *root);
/* git_status_list_new with so, which may ask to refresh the index's stat
 * data as git status does (GIT_STATUS_OPT_UPDATE_INDEX); when the index
 * cannot be written (locked, read-only), as git status does, without the
 * refresh. 0, or -1. */
int history_status_list(git_status_list **st, git_repository *repo, git_status_options *so);
/* The top of the work tree holding root as an absolute path (the first
 * folder at or above it with a .git, else root's own), for messages; 0, or
 * -1 when root cannot be resolved. */
int history_repo_top(buf *out, const char *root);
/* Appends why the repository holding root is not read when git's
 * ownership check refuses it, and how to trust it (its path). */
void history_owner_refusal(buf *out, const char *root);
/* Appends the content folder's path inside the work tree, with a final '/'
 * ("" at its root). Returns 0, or -1 when it is outside (or either path
 * cannot be resolved). */
int history_content_prefix(buf *prefix, const char *workdir, const char *content);
/* Whether the content folder (prefix, in the work tree workdir) is in a
 * repository of its own below it (a submodule, a nested clone: a folder on
 * the way holds a .git), whose files the work tree's history and status
 * do not see: 1 with its path in the work tree in *nested, else 0. */
int history_content_nested(buf *nested, const char *workdir, const char *prefix);

/* Whether the site's settings paths (`settings`: '\n'-separated, relative
 * to the site, at `at` in the repository: a file, or a folder with its
 * final '/'; "." and paths with ".." skipped) or the repository's .mailmap
 * hold an uncommitted or untracked change: 1, 0, or -1 when git cannot
 * tell. Each path is one status pass, narrowed to it. With h, each change
 * is digested. */
int history_paths_changed(git_repository *repo, const char *at, const char *settings, digest *h);

/* history_status (history.h): one status pass, kept. */
struct history_status {
    char *workdir; /* the work tree, as libgit2 names it */
    char *prefix;  /* the content folder in the repository ("" or "a/b/") */
    int unborn;    /* HEAD names no commit yet */
    git_oid head;
    map *kinds; /* path in the repository -> (void *)1 uncommitted, 2 untracked */
    /* What a later pass narrowed to a few files (history_fingerprint_since)
     * compares with: git's index as this pass found it (the digest of its
     * entries, and each entry's mode, flags and blob by path), the lstat
     * of info/exclude (known: 1 index, 2 exclude, each when it could be
     * read; 0 when not noted), and whether the site is the work tree's top
     * (`at` ""). */
    char index[DIGEST_HEX];
    map *entries; /* path -> its entry (history_dir.c), or NULL */
    /* The digest of what history_load reads of git apart from the content
     * folder's statuses (kinds) and the commits HEAD names: the work tree,
     * the content folder, HEAD, .mailmap and a shallow clone's boundary.
     * Equal bases and equal statuses of the pages: an equal history
     * (history_reuse). */
    char base[DIGEST_HEX];
    struct stat exclude;
    int known, at_top;
};

/* The status pass both history_load and history_fingerprint make: untracked
 * files too, below the pathspec *spec (borrowed, must outlive so). */
void history_status_options(git_status_options *so, char **spec);
/* What a status entry says of its page: 2 untracked (not in HEAD), 1
 * uncommitted, 0 nothing to say; *path is borrowed from e. */
int history_status_kind(const git_status_entry *e, const char **path);
/* Puts into kinds what each entry of st says (history_status_kind): its
 * path -> (void *)1 uncommitted or 2 untracked; entries with nothing to
 * say are left out. */
void history_status_kinds(map *kinds, git_status_list *st);
/* Appends the work tree's .mailmap (never through a link). 0, or -1 when
 * there is none. */
int history_mailmap_text(buf *text, const char *workdir);

/* Reads the cache at path for the content directory at `prefix` in the
 * repository. Returns a new cache (free with history_cache_free), or NULL
 * when there is none or it is not usable (corrupt, for another prefix, an
 * older format): the history is then read in full. */
cached *history_cache_read(const char *path, const char *prefix);
void history_cache_free(cached *c);
/* Writes every page's commit and truncated rows, keyed by paths[i] (its
 * path at head; NULL skips the page), and the keys of `seen` (every path
 * the content directory held up to head; NULL: none), into
 * dir/history.cache (dir is <git dir>/charter, created here), through a
 * temporary file, following no symbolic link. Problems are warnings (id
 * history): a cache is never needed. */
void history_cache_write(const history *h, const char *dir, const git_oid *head, const char *prefix,
                         char *const *paths, const map *seen, diags *d);
/* The cache's escaping of one field: \t \n \\ and \u for 0x1f (the separator
 * of a name from its email and of list items), appended to out. */
void history_cache_escape(buf *out, const char *s);
/* The inverse of history_cache_escape on s[0..len); returns a new string. */
char *history_cache_unescape(const char *s, size_t len);
/* A list as one field: each item escaped and ended by 0x1f, so that an
 * empty item stays one. */
void history_cache_escape_list(buf *out, char **items, size_t n);
/* Splits a list field into *out (new strings in a new array; NULL when
 * empty) and returns the number of items. */
size_t history_cache_split_list(char ***out, const char *s);

#endif
