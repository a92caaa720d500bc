/* history_tree: what `charter diff` needs from git besides the history:
 * revisions resolved (a merge base, the default branch), the site's folder
 * as it was in a commit written out to a folder of its own (no checkout:
 * the work tree is never touched), and which files the commits of a range
 * changed with review evidence (Approved-by:, Reviewed-by: trailers). */
#include "history_int.h"

#include "dates.h"
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int git_fail(diags *d, const char *what)
{
    const git_error *e = git_error_last();
    return diag_error(d, NULL, 0, 0, "diff", "%s: %s", what,
                      e && e->message ? e->message : "unknown error");
}

/* Opens the repository holding root, with root's path inside its work tree
 * (with a final '/', "" at the top) in prefix. 0 or -1 after reporting. */
static int open_repo(git_repository **repo, buf *prefix, const char *root, diags *d)
{
    int rc = history_repo_open(repo, root);
    if (rc == GIT_EOWNER) {
        buf why;
        buf_init(&why);
        history_owner_refusal(&why, root);
        diag_error(d, NULL, 0, 0, "diff", "%s", why.data);
        buf_release(&why);
        return -1;
    }
    if (rc != 0 || !git_repository_workdir(*repo)) {
        git_repository_free(*repo);
        *repo = NULL;
        return diag_error(d, NULL, 0, 0, "diff", "'%s' is not in a git repository with a work tree",
                          root);
    }
    if (history_content_prefix(prefix, git_repository_workdir(*repo), root) != 0)
        return diag_error(d, NULL, 0, 0, "diff", "cannot resolve '%s' in its repository", root);
    return 0;
}

/* What to add to a message about a commit not found: in a shallow clone
 * (CI's usual checkout), how to fetch the rest. */
static const char *shallow_hint(git_repository *repo)
{
    return git_repository_is_shallow(repo) == 1
               ? " (the repository is a shallow clone, whose older commits are not here: "
                 "'git fetch --unshallow', or actions/checkout with fetch-depth: 0)"
               : "";
}

int history_resolve(char hex[41], const char *root, const char *rev, diags *d)
{
    history_git_init();
    git_repository *repo = NULL;
    git_object *obj = NULL;
    buf prefix;
    buf_init(&prefix);
    int err = -1;
    if (open_repo(&repo, &prefix, root, d) != 0)
        goto done;
    if (git_revparse_single(&obj, repo, rev) != 0) {
        diag_error(d, NULL, 0, 0, "diff", "unknown revision '%s'%s", rev, shallow_hint(repo));
        goto done;
    }
    git_object *commit = NULL;
    if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) != 0) {
        diag_error(d, NULL, 0, 0, "diff", "'%s' is not a commit", rev);
        goto done;
    }
    git_oid_tostr(hex, 41, git_object_id(commit));
    git_object_free(commit);
    err = 0;
done:
    git_object_free(obj);
    git_repository_free(repo);
    git_libgit2_shutdown();
    buf_release(&prefix);
    return err;
}

/* The calendar day of a commit's committer date in its own zone. */
static long committer_day(const git_commit *c)
{
    const git_signature *who = git_commit_committer(c);
    return who ? history_author_day(&who->when) : 0;
}

int history_at(char hex[41], long *day, const char *root, const char *when, diags *d)
{
    history_git_init();
    git_repository *repo = NULL;
    git_commit *c = NULL;
    git_object *obj = NULL;
    buf prefix;
    buf_init(&prefix);
    int err = -1;
    long want;
    if (open_repo(&repo, &prefix, root, d) != 0)
        goto done;
    if (date_parse(&want, when, strlen(when)) == 0) {
        /* A day: the last commit of the first-parent line of HEAD committed
         * on or before it (a commit's day in its committer's zone). */
        git_oid id;
        if (git_reference_name_to_id(&id, repo, "HEAD") != 0 ||
            git_commit_lookup(&c, repo, &id) != 0) {
            git_fail(d, "cannot read HEAD");
            goto done;
        }
        while (c && committer_day(c) > want) {
            git_commit *parent = NULL;
            if (git_commit_parentcount(c) == 0 || git_commit_parent(&parent, c, 0) != 0) {
                git_commit_free(c);
                c = NULL;
                break;
            }
            git_commit_free(c);
            c = parent;
        }
        if (!c) {
            diag_error(d, NULL, 0, 0, "usage", "no commit of '%s' is as old as %s%s", root, when,
                       shallow_hint(repo));
            goto done;
        }
        *day = want;
    } else {
        if (git_revparse_single(&obj, repo, when) != 0 ||
            git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT) != 0) {
            diag_error(d, NULL, 0, 0, "usage",
                       "'%s' is neither a day (YYYY-MM-DD) nor a commit of '%s'%s", when, root,
                       shallow_hint(repo));
            goto done;
        }
        *day = committer_day(c);
    }
    git_oid_tostr(hex, 41, git_commit_id(c));
    err = 0;
done:
    git_commit_free(c);
    git_object_free(obj);
    git_repository_free(repo);
    git_libgit2_shutdown();
    buf_release(&prefix);
    return err;
}

int history_merge_base(char out[41], const char *root, const char *a, const char *b, diags *d)
{
    history_git_init();
    git_repository *repo = NULL;
    buf prefix;
    buf_init(&prefix);
    git_oid oa, ob, base;
    int err = -1;
    if (open_repo(&repo, &prefix, root, d) != 0)
        goto done;
    if (git_oid_fromstr(&oa, a) != 0 || git_oid_fromstr(&ob, b) != 0 ||
        git_merge_base(&base, repo, &oa, &ob) != 0) {
        diag_error(d, NULL, 0, 0, "diff", "'%.7s' and '%.7s' have no common ancestor", a, b);
        goto done;
    }
    git_oid_tostr(out, 41, &base);
    err = 0;
done:
    git_repository_free(repo);
    git_libgit2_shutdown();
    buf_release(&prefix);
    return err;
}

map *history_pending(const char *root, const char *base, diags *d)
{
    history_git_init();
    git_repository *repo = NULL;
    git_object *obj = NULL;
    git_commit *c = NULL;
    map *pending = NULL;
    git_oid to, head;
    if (history_repo_open(&repo, root) != 0 || git_revparse_single(&obj, repo, base) != 0 ||
        git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT) != 0) {
        diag_warning(d, NULL, 0, 0, "history",
                     "the pull request's base '%s' is not in the repository: its changes are "
                     "judged for approval as merged ones; fetch it (actions/checkout's "
                     "fetch-depth: 0)",
                     base);
        goto done;
    }
    git_oid_cpy(&to, git_commit_id(c));
    git_commit_free(c);
    c = NULL;
    if (git_reference_name_to_id(&head, repo, "HEAD") != 0 || git_commit_lookup(&c, repo, &head))
        goto done;
    /* The commits HEAD reaches and the base does not (base..HEAD), in one
     * walk; then down HEAD's first-parent line while they are among them
     * (one reachability query per commit was a walk each). */
    map *ahead = map_new();
    git_revwalk *walk = NULL;
    git_oid id;
    char hex[41];
    if (git_revwalk_new(&walk, repo) == 0 && git_revwalk_push(walk, &head) == 0 &&
        git_revwalk_hide(walk, &to) == 0)
        for (int n = 0; n < 100000 && git_revwalk_next(&id, walk) == 0; n++) {
            git_oid_tostr(hex, sizeof hex, &id);
            map_put(ahead, hex, (void *)1);
        }
    git_revwalk_free(walk);
    pending = map_new();
    for (int n = 0; c && n < 10000; n++) {
        git_oid_tostr(hex, sizeof hex, git_commit_id(c));
        if (!map_get(ahead, hex))
            break;
        map_put(pending, hex, (void *)1);
        git_commit *parent = NULL;
        if (git_commit_parentcount(c) == 0 || git_commit_parent(&parent, c, 0) != 0)
            parent = NULL;
        git_commit_free(c);
        c = parent;
    }
    map_free(ahead);
done:
    git_commit_free(c);
    git_object_free(obj);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return pending;
}

int history_default_branch(buf *out, const char *root)
{
    history_git_init();
    git_repository *repo = NULL;
    git_reference *ref = NULL;
    int err = -1;
    if (history_repo_open(&repo, root) != 0)
        goto done;
    /* The remote's idea first (a clone's origin/HEAD), then the usual names. */
    if (git_reference_lookup(&ref, repo, "refs/remotes/origin/HEAD") == 0 &&
        git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC) {
        const char *t = git_reference_symbolic_target(ref);
        if (t && !strncmp(t, "refs/remotes/", 13)) {
            buf_adds(out, t + 13);
            err = 0;
            goto done;
        }
    }
    static const char *const names[] = {"refs/heads/main", "refs/heads/master",
                                        "refs/remotes/origin/main", "refs/remotes/origin/master"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        git_reference_free(ref);
        ref = NULL;
        if (git_reference_lookup(&ref, repo, names[i]) == 0) {
            buf_adds(out, names[i] + (names[i][5] == 'h' ? 11 : 13));
            err = 0;
            goto done;
        }
    }
done:
    git_reference_free(ref);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return err;
}

/* --- a commit's site, written out -------------------------------------------------- */

/* What a commit's files may take when written out (--at, diff): any one
 * file the site may read (limits.static_bytes' default, the largest), and
 * all of them, so that a blob of zeros named a thousand times (a few MB
 * of git objects) cannot fill the disk. */
#define EXPORT_FILE_MAX ((size_t)64 << 20)
#define EXPORT_TOTAL_MAX ((size_t)2 << 30)

typedef struct export_ctx {
    git_repository *repo;
    git_odb *odb;
    const char *dir;
    buf path;
    diags *d;
    int failed;
    size_t files, bytes;
} export_ctx;

/* Whether git would check out an entry of this name: not ".", "..", a name
 * holding '/' or '\\', or ".git" in any case (git refuses such trees; a
 * written-out ".." would land outside the folder, a ".git" would be the
 * repository the site is then read with). */
static int export_name_ok(const char *name)
{
    return *name && strcmp(name, ".") && strcmp(name, "..") && !strchr(name, '/') &&
           !strchr(name, '\\') && strcasecmp(name, ".git");
}

static int export_entry(const char *parent, const git_tree_entry *e, void *arg)
{
    export_ctx *x = arg;
    const char *name = git_tree_entry_name(e);
    git_filemode_t mode = git_tree_entry_filemode(e);
    if (!export_name_ok(name)) {
        if (!strcasecmp(name, ".git"))
            return mode == GIT_FILEMODE_TREE ? 1 : 0; /* skipped, as git checks out none */
        diag_error(x->d, NULL, 0, 0, "diff",
                   "the revision holds a file named '%s' in '%s', which git refuses to check "
                   "out; nothing was read from it",
                   name, *parent ? parent : ".");
        x->failed = 1;
        return -1;
    }
    buf_reset(&x->path);
    buf_printf(&x->path, "%s/%s%s", x->dir, parent, name);
    if (mode == GIT_FILEMODE_TREE) {
        struct stat st;
        /* A folder, not a link or file of the same name written before
         * (a tree holding both is malformed: writing through the link
         * would leave the folder). */
        if (mkdir(x->path.data, 0755) != 0 &&
            (errno != EEXIST || lstat(x->path.data, &st) != 0 || !S_ISDIR(st.st_mode))) {
            diag_error(x->d, NULL, 0, 0, "diff", "cannot create '%s': %s", x->path.data,
                       errno == EEXIST || errno == 0 ? "the revision names it twice"
                                                     : strerror(errno));
            x->failed = 1;
            return -1;
        }
        return 0;
    }
    if (mode == GIT_FILEMODE_COMMIT)
        return 0; /* a submodule: not part of the site */
    size_t size = 0;
    git_object_t type;
    if (x->odb && git_odb_read_header(&size, &type, x->odb, git_tree_entry_id(e)) == 0 &&
        (size > EXPORT_FILE_MAX || size > EXPORT_TOTAL_MAX - x->bytes)) {
        diag_error(x->d, NULL, 0, 0, "too-large",
                   size > EXPORT_FILE_MAX
                       ? "'%s%s' in the revision is %zu bytes, over the %zu any file of a site may "
                         "be; nothing was read from it"
                       : "'%s%s' in the revision takes its files past %zu bytes; nothing was read "
                         "from it",
                   parent, name, size > EXPORT_FILE_MAX ? size : EXPORT_TOTAL_MAX, EXPORT_FILE_MAX);
        x->failed = 1;
        return -1;
    }
    x->bytes += size;
    git_blob *blob = NULL;
    if (git_blob_lookup(&blob, x->repo, git_tree_entry_id(e)) != 0) {
        git_fail(x->d, "cannot read a file of the revision");
        x->failed = 1;
        return -1;
    }
    const char *data = git_blob_rawcontent(blob);
    size_t len = (size_t)git_blob_rawsize(blob);
    int err = 0;
    if (mode == GIT_FILEMODE_LINK) {
        /* As git checks it out: the link, which the site's reading judges. */
        buf target;
        buf_init(&target);
        buf_add(&target, data, len);
        err = symlink(target.data, x->path.data);
        buf_release(&target);
    } else {
        int fd = open(x->path.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                      mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644);
        err = fd < 0 || fs_write_fd(fd, data, len) != 0 ? -1 : 0;
        if (fd >= 0 && close(fd) != 0)
            err = -1;
    }
    git_blob_free(blob);
    if (err) {
        diag_error(x->d, NULL, 0, 0, "diff", "cannot write '%s': %s", x->path.data,
                   strerror(errno));
        x->failed = 1;
        return -1;
    }
    x->files++;
    return 0;
}

int history_export(const char *root, const char *hex, const char *dir, diags *d)
{
    history_git_init();
    git_repository *repo = NULL;
    git_commit *commit = NULL;
    git_tree *tree = NULL, *sub = NULL;
    git_tree_entry *entry = NULL;
    buf prefix;
    buf_init(&prefix);
    export_ctx x = {.dir = dir, .d = d};
    buf_init(&x.path);
    int err = -1;
    git_oid id;
    if (open_repo(&repo, &prefix, root, d) != 0)
        goto done;
    x.repo = repo;
    if (git_repository_odb(&x.odb, repo) != 0)
        x.odb = NULL;
    if (git_oid_fromstr(&id, hex) != 0 || git_commit_lookup(&commit, repo, &id) != 0 ||
        git_commit_tree(&tree, commit) != 0) {
        git_fail(d, "cannot read the revision");
        goto done;
    }
    if (prefix.len) {
        /* The site's folder in that commit; none: an empty site. */
        buf_truncate(&prefix, prefix.len - 1);
        if (git_tree_entry_bypath(&entry, tree, prefix.data) != 0 ||
            git_tree_entry_type(entry) != GIT_OBJECT_TREE) {
            err = 0;
            goto done;
        }
        if (git_tree_lookup(&sub, repo, git_tree_entry_id(entry)) != 0) {
            git_fail(d, "cannot read the revision");
            goto done;
        }
    }
    if (git_tree_walk(sub ? sub : tree, GIT_TREEWALK_PRE, export_entry, &x) != 0 || x.failed) {
        if (!x.failed)
            git_fail(d, "cannot read the revision");
        goto done;
    }
    err = 0;
done:
    git_tree_entry_free(entry);
    git_tree_free(sub);
    git_tree_free(tree);
    git_commit_free(commit);
    git_odb_free(x.odb);
    git_repository_free(repo);
    git_libgit2_shutdown();
    buf_release(&prefix);
    buf_release(&x.path);
    return err;
}

/* --- review evidence over a range --------------------------------------------------- */

/* Marks every commit reachable from `from` (parents followed by hand: in a
 * shallow clone a missing parent ends its line) with `mark` in marks (hex
 * -> bits); with `list`, appends each commit not marked `stop` before to
 * *list, the range's commits. */
static void mark_ancestors(map *marks, git_repository *repo, const git_oid *from, intptr_t mark,
                           intptr_t stop, git_oid **list, size_t *n)
{
    git_oid *todo = xmalloc(sizeof *todo);
    size_t nt = 1;
    todo[0] = *from;
    char hex[GIT_OID_HEXSZ + 1];
    while (nt) {
        git_oid id = todo[--nt];
        git_oid_tostr(hex, sizeof hex, &id);
        intptr_t was = (intptr_t)map_get(marks, hex);
        if (was & (mark | stop))
            continue;
        map_put(marks, hex, (void *)(was | mark));
        git_commit *c = NULL;
        if (git_commit_lookup(&c, repo, &id) != 0)
            continue; /* beyond a shallow clone's boundary */
        if (list) {
            *list = xgrow(*list, *n, sizeof **list);
            (*list)[(*n)++] = id;
        }
        for (unsigned i = 0; i < git_commit_parentcount(c); i++) {
            todo = xgrow(todo, nt, sizeof *todo);
            todo[nt++] = *git_commit_parent_id(c, i);
        }
        git_commit_free(c);
    }
    free(todo);
}

/* The commits of base..head (base may be NULL): head's ancestors that are
 * not base's, in *out (the caller frees it); their number. libgit2 1.5's
 * revwalk fails at a shallow clone's boundary (and leaks there): such a
 * repository, CI's usual checkout, is walked by hand. */
static size_t range_commits(git_oid **out, git_repository *repo, const git_oid *head,
                            const git_oid *base)
{
    *out = NULL;
    size_t n = 0;
    if (git_repository_is_shallow(repo) == 1) {
        map *marks = map_new();
        if (base)
            mark_ancestors(marks, repo, base, 1, 0, NULL, NULL);
        mark_ancestors(marks, repo, head, 2, 1, out, &n);
        map_free(marks);
        return n;
    }
    git_revwalk *walk = NULL;
    git_oid id;
    if (git_revwalk_new(&walk, repo) == 0 && git_revwalk_push(walk, head) == 0) {
        if (base)
            git_revwalk_hide(walk, base);
        while (git_revwalk_next(&id, walk) == 0) {
            *out = xgrow(*out, n, sizeof **out);
            (*out)[n++] = id;
        }
    }
    git_revwalk_free(walk);
    return n;
}

map *history_renames(const char *root, const char *base, const char *head, diags *d)
{
    history_git_init();
    map *renames = map_new();
    git_repository *repo = NULL;
    git_commit *bc = NULL, *hc = NULL;
    git_tree *bt = NULL, *ht = NULL;
    git_diff *diff = NULL;
    buf prefix;
    buf_init(&prefix);
    git_oid bid, hid;
    if (open_repo(&repo, &prefix, root, d) != 0 || !base || git_oid_fromstr(&bid, base) != 0 ||
        git_commit_lookup(&bc, repo, &bid) != 0 || git_commit_tree(&bt, bc) != 0)
        goto done;
    git_diff_options o;
    git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
    char *spec = prefix.data;
    o.pathspec.strings = &spec;
    o.pathspec.count = prefix.len ? 1 : 0;
    int rc;
    if (head) {
        if (git_oid_fromstr(&hid, head) != 0 || git_commit_lookup(&hc, repo, &hid) != 0 ||
            git_commit_tree(&ht, hc) != 0)
            goto done;
        rc = git_diff_tree_to_tree(&diff, repo, bt, ht, &o);
    } else {
        /* A file moved and not yet added is a rename too. */
        o.flags |= GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
        rc = git_diff_tree_to_workdir_with_index(&diff, repo, bt, &o);
    }
    git_diff_find_options fo;
    git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
    fo.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_FOR_UNTRACKED;
    if (rc != 0 || git_diff_find_similar(diff, &fo) != 0)
        goto done;
    for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
        const git_diff_delta *dl = git_diff_get_delta(diff, i);
        const char *was = dl->old_file.path, *now = dl->new_file.path;
        if (dl->status != GIT_DELTA_RENAMED || !was || !now ||
            strncmp(was, prefix.data, prefix.len) || strncmp(now, prefix.data, prefix.len))
            continue;
        free(map_put(renames, now + prefix.len, xstrdup(was + prefix.len)));
    }
done:
    git_diff_free(diff);
    git_tree_free(bt);
    git_tree_free(ht);
    git_commit_free(bc);
    git_commit_free(hc);
    git_repository_free(repo);
    git_libgit2_shutdown();
    buf_release(&prefix);
    return renames;
}

static void free_value(void *ctx, const char *key, void *value)
{
    (void)ctx;
    (void)key;
    free(value);
}

void history_renames_free(map *renames)
{
    if (renames)
        map_each(renames, free_value, NULL);
    map_free(renames);
}

map *history_evidence(const char *root, const char *base, const char *head, diags *d)
{
    history_git_init();
    map *seen = map_new();
    git_repository *repo = NULL;
    git_oid *commits = NULL;
    size_t n_commits = 0;
    buf prefix;
    buf_init(&prefix);
    git_oid hid, bid;
    if (open_repo(&repo, &prefix, root, d) != 0 || git_oid_fromstr(&hid, head) != 0)
        goto done;
    /* Every commit of the range, not the first-parent line only: in CI the
     * head is often the merge a pull request would make, whose first parent
     * is the base and whose second brings the commits that carry the
     * trailers. */
    n_commits =
        range_commits(&commits, repo, &hid, base && git_oid_fromstr(&bid, base) == 0 ? &bid : NULL);
    for (size_t ci = 0; ci < n_commits; ci++) {
        const git_oid id = commits[ci];
        git_commit *c = NULL;
        git_commit *parent = NULL;
        git_tree *t = NULL, *pt = NULL;
        git_diff *diff = NULL;
        if (git_commit_lookup(&c, repo, &id) != 0)
            continue;
        hist_row r;
        memset(&r, 0, sizeof r);
        history_read_trailers(&r, git_commit_message(c), git_commit_message_encoding(c), 1);
        /* A review needs a named reviewer or approver: a pull request alone
         * says the change was merged, not that anyone read the policy. */
        int evidence = r.n_approved + r.n_reviewed > 0;
        /* The strongest type a commit of the range gave the file. */
        static const char *const ranks[] = {"review", "editorial", "minor", "material"};
        intptr_t rank = 0;
        for (int k = 0; r.change_type && k < 4; k++)
            if (!strcmp(r.change_type, ranks[k]))
                rank = k + 1;
        history_row_release(&r);
        if ((evidence || rank) && git_commit_tree(&t, c) == 0) {
            if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) == 0)
                git_commit_tree(&pt, parent);
            git_diff_options o;
            git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
            char *spec = prefix.data;
            o.pathspec.strings = &spec;
            o.pathspec.count = prefix.len ? 1 : 0;
            if (git_diff_tree_to_tree(&diff, repo, pt, t, &o) == 0) {
                for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
                    const git_diff_delta *dl = git_diff_get_delta(diff, i);
                    const char *p = dl->new_file.path;
                    if (p && !strncmp(p, prefix.data, prefix.len)) {
                        intptr_t v = (intptr_t)map_get(seen, p + prefix.len);
                        intptr_t was = v >> 1 & 7;
                        v = HISTORY_EV_SEEN | (v & HISTORY_EV_APPROVED) |
                            (evidence ? HISTORY_EV_APPROVED : 0) | (rank > was ? rank : was) << 1;
                        map_put(seen, p + prefix.len, (void *)v);
                    }
                }
            }
        }
        git_diff_free(diff);
        git_tree_free(t);
        git_tree_free(pt);
        git_commit_free(parent);
        git_commit_free(c);
    }
done:
    free(commits);
    git_repository_free(repo);
    git_libgit2_shutdown();
    buf_release(&prefix);
    return seen;
}
