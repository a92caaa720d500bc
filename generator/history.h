/* history: each page's revision history from git (libgit2), read in one walk
 * over the first-parent history of HEAD for the whole site, following
 * renames; plus the site-wide changelog. A cache in the git directory makes a
 * rebuild at the same HEAD free and one after new commits walk only those.
 * The only file that includes git2.h. */
#ifndef CHARTER_HISTORY_H
#define CHARTER_HISTORY_H

#include "diag.h"
#include "digest.h"
#include "map.h"
#include "site.h"

typedef enum hist_kind {
    HIST_COMMIT,      /* a commit that changed the page */
    HIST_UNCOMMITTED, /* the working tree differs from HEAD */
    HIST_UNTRACKED,   /* the page is not in HEAD yet */
    HIST_TRUNCATED    /* a shallow clone: older history is missing */
} hist_kind;

typedef enum hist_sig {
    HSIG_UNSIGNED,
    HSIG_VERIFIED,  /* good signature by a key the site trusts */
    HSIG_UNVERIFIED /* signed, not verified: sig_why says why */
} hist_sig;

typedef struct hist_row {
    hist_kind kind;
    char commit[41]; /* "" unless HIST_COMMIT */
    char shortid[8];
    char date[11]; /* author date in the author's zone, "" unless HIST_COMMIT */
    char *author;  /* after .mailmap; NULL unless HIST_COMMIT */
    char *summary; /* the commit subject */
    char *version; /* the page's `version:` in that commit, else its running number */
    int counted;   /* version is the running number: the page declared none */
    int review;    /* the commit only changed `last_reviewed:` */
    /* Evidence (docs/evidence.md): trailers of the commit and, for a merge,
     * of the commits it brought in; each list without repeats. */
    char **approved_by, **reviewed_by,
        **co_authors; /* Approved-by:, Reviewed-by:, Co-authored-by: */
    size_t n_approved, n_reviewed, n_co_authors;
    /* For a merge on the first-parent line: the authors of the commits it
     * brought in, "Name <email>" after .mailmap, without repeats (the row's
     * author is whoever merged); none otherwise. */
    char **merged_authors;
    size_t n_merged_authors;
    /* The pull or merge request it came through: "#12" (GitHub: a merge
     * commit "Merge pull request #12 from ..." or a squash "... (#12)") or
     * "!23" (GitLab: "See merge request group/project!23"); NULL if none. */
    char *request;
    /* material, minor, editorial or review: its Change-Type: trailer, else
     * the page's front matter `change:` (review for a review-only change);
     * NULL when unclassified. */
    char *change_type;
    /* The commit's signature: its kind ("openpgp", "ssh", "x509"; "" when
     * unsigned) and what verifying it against the site's keys said. */
    char sig_kind[8];
    hist_sig sig_state;
    char *sig_key, *sig_signer, *sig_why; /* NULL when unknown */
    /* The digest of every field above, made once the history is loaded
     * (history_row_digest adds it); "" until then. */
    char digest[65];
} hist_row;

typedef struct page_history {
    hist_row *rows; /* newest first */
    size_t n;
} page_history;

/* One changelog entry: a commit and the pages it changed (indexes into
 * s->pages, with the row of each page's history). */
typedef struct change {
    const hist_row *row; /* the first page's row: commit, date, author, summary */
    size_t *pages;
    const hist_row **rows;
    size_t n_pages;
} change;

typedef struct history history;
/* What one pass over git's status found (history_fingerprint): HEAD, and
 * the content folder's uncommitted and untracked files. history_load reads
 * it instead of making a pass of its own, so a build asks git once. */
typedef struct history_status history_status;
void history_status_free(history_status *st);

/* Reads the history of every page of s. Never fails the build: with no
 * repository, a shallow clone, an unborn branch or a repository another user
 * owns, it reports a warning (id `history`) and returns what it could. With
 * `use_cache`, reads and updates `<git dir>/charter/history.cache`. Reads of
 * s only what site_load_start set (its configuration, origin and the pages'
 * src and rel), so it may run beside site_load_finish. `status` (may be
 * NULL; borrowed) is a pass over git's status made for this site: when it
 * was made in the same work tree for the same content folder, the history
 * is read from its HEAD with its uncommitted and untracked files. Returns a
 * new history (caller frees with history_free), never NULL, whose site-wide
 * change list history_complete makes. */
history *history_load(const site *s, int use_cache, const history_status *status, diags *d);
/* The site-wide change list (history_changes) from the published pages'
 * rows, once site_load_finish has run on s; call once, after history_load. */
void history_complete(history *h, const site *s);
/* For a process that keeps its site between builds (charter serve): the
 * history history_load would read for s with the pass `status`, made from
 * prev, what history_load read with prev_status for the same site (its
 * pages the same, only bodies read again since), by changing the rows no
 * commit made (uncommitted) of the pages whose status changed. Only while
 * both passes' bases are equal (the same HEAD, .mailmap and shallow
 * boundary), prev was read whole from prev_status, and no page's file came
 * into or out of HEAD's tree; else NULL, prev untouched. Returns prev,
 * complete (its change list too: history_complete is not called again);
 * it stays the caller's. At 10,000 pages, a millisecond where reading the
 * history from its cache takes 0.06-0.08 s of a core. */
history *history_reuse(history *prev, const history_status *prev_status, const site *s,
                       const history_status *status);
/* Appends the folder charter keeps its caches in for the site at root:
 * `<git dir>/charter` of the (non-bare) repository holding it. Returns 0,
 * or -1 with nothing appended when root is in no repository git may read
 * (history_load says why). */
int history_cache_dir(buf *out, const char *root);
/* Appends the work tree of the (non-bare) repository holding root, with a
 * final '/'. 0, or -1 with nothing appended when there is none git may
 * read. */
int history_workdir(buf *out, const char *root);
/* What git ignores in the work tree holding the site at root (.gitignore
 * files, .git/info/exclude, core.excludesFile): files a build must not
 * publish or read, as they are no part of the repository. NULL (nothing
 * is ignored) when root is in no repository git may read; caller frees
 * with history_ignores_free (accepts NULL). */
typedef struct history_ignores history_ignores;
history_ignores *history_ignores_open(const char *root);
/* Whether git ignores rel (a path from the site's root; is_dir: a folder,
 * all of it). A tracked file is never ignored, and a folder holding one
 * is walked; only the rest is matched against the patterns. 0 on NULL or
 * when git cannot say. Not thread-safe: one walk at a time. */
int history_ignores_skip(history_ignores *ig, const char *rel, int is_dir);
void history_ignores_free(history_ignores *ig);
/* Appends the web address of the repository holding root, from its remote
 * `origin` (url_repository_web: "git@github.com:o/r.git" gives
 * "https://github.com/o/r"), and the branch its HEAD names (also unborn)
 * to branch. Returns 0, or -1 with nothing appended when there is no such
 * remote or its address is no web one; branch is left empty when HEAD is
 * detached. */
int history_remote_web(buf *url, buf *branch, const char *root);
/* What history_cache_dir most likely appends, found without libgit2, whose
 * start (it reads the system's certificates, some 7 ms) a build that starts
 * again (heap.h) would pay twice: the `charter` folder
 * of the nearest `.git` folder from root up, on root's file system. -1,
 * nothing appended, when there is none, or a `.git` file (a worktree's, a
 * submodule's) comes first. A guess, for what only saves time
 * (build_probe): what the caches are is history_cache_dir's to say. */
int history_cache_dir_guess(buf *out, const char *root);
/* HEAD's commit in the git folder gitdir, read without libgit2 from its
 * files (HEAD, the loose ref it names, else packed-refs): 40 hex digits in
 * hex, 0. -1 (hex "") when that cannot be told so: an unborn branch, refs
 * kept otherwise (a worktree's in another folder, a reftable), a link, a
 * file too large, anything unexpected. For what only saves time
 * (stamp_probe): git's own answer is history_fingerprint's. */
int history_head_peek(char hex[41], const char *gitdir);
/* Digests every git fact history_load reads for the site at root with its
 * content folder at `content` (a path to it), apart from the commits, which
 * HEAD names: HEAD, the uncommitted and untracked files of the content
 * folder, .mailmap and a shallow clone's boundary; and those of `settings`
 * (history_paths_clean; may be NULL), which *clean covers too. Equal digests mean an
 * equal history. Fills hex (DIGEST_HEX) and, from the same pass, what
 * history_head says (head_hex and clean may be NULL) and, when status is
 * not NULL, the pass itself for history_load (caller frees with
 * history_status_free; that pass also refreshes the index, as
 * history_load's own would). Returns 0, or -1 (*status NULL) when root is
 * in no repository git may read or content is outside it. */
int history_fingerprint(char hex[65], char head_hex[41], int *clean, history_status **status,
                        const char *root, const char *content, const char *settings);
/* history_fingerprint for a process that watches the site (charter
 * serve): prev (may be NULL) is the pass of its last build, made by this
 * function, and paths[0..n) are the files of the site (relative to it)
 * seen changing since that pass began, editors' scratch files included.
 * While git's index entries and info/exclude are as that pass found them
 * and the site is the work tree's top, git is asked only about those files,
 * each on a pass narrowed to it, and told the rest as prev had it: *narrowed
 * 1, or 2 when HEAD moved since (a commit of what was staged), the files
 * the two commits differ in asked about too (up to 256). Otherwise, as
 * history_fingerprint (*narrowed 0). The same digest either way. status
 * must not be NULL; returns as history_fingerprint. */
int history_fingerprint_since(char hex[65], char head_hex[41], int *clean, history_status **status,
                              int *narrowed, const history_status *prev, const char *const *paths,
                              size_t n, const char *root, const char *content,
                              const char *settings);
/* Whether the status passes refresh the index's stat data as git status
 * does (on by default). charter serve turns it off: it watches the index,
 * and its own writes would start a build after each build. */
void history_set_refresh_index(int on);
/* The commit a build of the site at root (content folder at `content`, a
 * path to it) is made from (history_head.c): HEAD's id as 40 hex digits in
 * hex ("" on an unborn branch), and in *clean whether the content folder
 * has no uncommitted and no untracked change. Returns 0, or -1 (hex "")
 * when root is in no repository git may read or content is outside it. */
int history_head(char hex[41], int *clean, const char *root, const char *content);
/* HEAD's commit id, as 40 hex digits in hex, of the repository holding
 * root, without a status pass (a tenth of a millisecond: charter serve asks
 * after each change in git's folder whether HEAD moved). Returns 0, or -1
 * (hex "") when there is none: root in no repository git may read, an
 * unborn branch. */
int history_head_id(char hex[41], const char *root);
/* Whether `settings` ('\n'-separated paths relative to the site at root: a
 * file, or a folder written with its final '/'; "." and paths with ".."
 * are skipped) and the repository's .mailmap hold no uncommitted or
 * untracked change (deleted files included): 1 when none does, 0 when one
 * does, -1 when root is in no repository git may read. */
int history_paths_clean(const char *root, const char *settings);
/* --- for charter diff (history_tree.c); each reports (id diff) and returns
 * -1 when the repository or a revision cannot be read. */
/* Resolves rev (a branch, tag, commit id, HEAD~2...) in the repository
 * holding root to a commit id, as 40 hex digits in hex. 0 or -1. */
int history_resolve(char hex[41], const char *root, const char *rev, diags *d);
/* --at: resolves `when` in the repository holding root, to a commit id in
 * hex and a day in *day: a day (YYYY-MM-DD) to the last commit on the
 * first-parent line of HEAD committed on or before it (*day: that day),
 * anything else as a revision (*day: its committer's day). 0 or -1. */
int history_at(char hex[41], long *day, const char *root, const char *when, diags *d);
/* The best common ancestor of commits a and b (hex ids) into out. 0 or -1. */
int history_merge_base(char out[41], const char *root, const char *a, const char *b, diags *d);
/* The commits of a pull request not yet merged into its base (a revision:
 * "origin/main"): those of the first-parent line of HEAD, in the
 * repository holding root, that base does not reach (a test merge, or the
 * request's own commits), at most 10,000, each as 40 hex digits, in a new
 * map (caller frees). NULL, reported as a warning (id history), when base
 * cannot be read: every change is then judged as merged. */
map *history_pending(const char *root, const char *base, diags *d);
/* Appends the default branch as a revision: origin/HEAD's target
 * ("origin/main"), else main, master, origin/main, origin/master. 0, or -1
 * (nothing appended, nothing reported) when there is none. */
int history_default_branch(buf *out, const char *root);
/* Writes root's folder as it is in commit hex (its files, executable bits
 * and links; no submodule) into the existing empty folder dir, without
 * touching the work tree. A commit without the folder writes nothing. */
int history_export(const char *root, const char *hex, const char *dir, diags *d);
/* The files below root (paths relative to it) that a commit of base..head
 * (reachable from head and not from base; NULL base: all) changed, against
 * its first parent, when its message has an Approved-by: or Reviewed-by:
 * trailer or a Change-Type:. Each value is a number, not a pointer:
 * HISTORY_EV_SEEN, HISTORY_EV_APPROVED when such a commit carried an
 * approval, and history_ev_type of it the strongest change type given (1
 * review, 2 editorial, 3 minor, 4 material; 0 none). Returns a new map
 * (caller frees); empty when nothing could be read. */
map *history_evidence(const char *root, const char *base, const char *head, diags *d);
/* The files below root that git sees renamed from commit base to commit
 * head (NULL head: the work tree, with the index and untracked files), as
 * `git diff -M` finds them (half the content kept): a new map from the new
 * path to the old (both relative to root; the values the caller's to free,
 * history_renames_free). Empty when nothing could be read. */
map *history_renames(const char *root, const char *base, const char *head, diags *d);
void history_renames_free(map *renames);
#define HISTORY_EV_SEEN 0x100
#define HISTORY_EV_APPROVED 1
#define history_ev_type(v) ((int)((intptr_t)(v) >> 1 & 7))
void history_free(history *h);

/* 1 when a repository was read (even an unborn branch), 0 without one. */
int history_found(const history *h);
/* The history of s->pages[i] (borrowed; empty when unknown). */
const page_history *history_page(const history *h, size_t i);
/* The changelog, newest first (borrowed). */
const change *history_changes(const history *h, size_t *n);
/* 1 when the row carries approval evidence: a pull or merge request, an
 * Approved-by: or a Reviewed-by: (a signature proves authorship, not
 * approval). */
int history_row_approved(const hist_row *r);
/* Adds every field of r to d, in its order: what any output shows of a
 * row (the pages' change tables, api/pages.json) is a function of it. */
void history_row_digest(digest *d, const hist_row *r);

/* The version of libgit2 linked, as its major, minor and revision numbers. */
void history_libgit2_version(int *major, int *minor, int *rev);
/* The version of libdeflate, which reads blobs from packs (history_pack.c):
 * the one charter was built with, as libdeflate has no call that tells its
 * own (static storage). */
const char *history_libdeflate_version(void);

#endif
