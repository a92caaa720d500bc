/* history_head: which commit a build is made from, for its provenance
 * (manifest.json and the footer of every page): HEAD's id and whether the
 * content folder, or the settings, layouts, catalogs and assets beside
 * it, hold changes git has not committed. Read with the same
 * status pass as the history (history_dir.c), so "clean" means what the
 * history's "uncommitted" and "untracked" rows mean. Also the version of
 * libgit2 linked, for `charter --version`. */
#include "history_int.h"

#include <string.h>

int history_head(char hex[41], int *clean, const char *root, const char *content)
{
    history_git_init();
    git_repository *repo = NULL;
    git_status_list *st = NULL;
    buf prefix;
    buf_init(&prefix);
    int err = -1;
    hex[0] = '\0';
    *clean = 0;
    if (history_repo_open(&repo, root) != 0 || !git_repository_workdir(repo))
        goto done;
    if (history_content_prefix(&prefix, git_repository_workdir(repo), content) != 0)
        goto done;
    if (git_repository_head_unborn(repo) != 1) {
        git_oid head;
        if (git_reference_name_to_id(&head, repo, "HEAD") != 0)
            goto done;
        git_oid_tostr(hex, 41, &head);
    }
    git_status_options so;
    char *spec = prefix.data;
    history_status_options(&so, &spec);
    if (git_status_list_new(&st, repo, &so) != 0)
        goto done;
    size_t n = git_status_list_entrycount(st);
    int changed = 0;
    for (size_t i = 0; i < n && !changed; i++) {
        const char *p = NULL;
        changed = history_status_kind(git_status_byindex(st, i), &p) != 0;
    }
    *clean = !changed;
    err = 0;
done:
    if (err)
        hex[0] = '\0';
    git_status_list_free(st);
    git_repository_free(repo);
    git_libgit2_shutdown();
    buf_release(&prefix);
    return err;
}

int history_head_id(char hex[41], const char *root)
{
    history_git_init();
    git_repository *repo = NULL;
    git_oid head;
    int err = history_repo_open(&repo, root) == 0 && git_repository_head_unborn(repo) == 0 &&
                      git_reference_name_to_id(&head, repo, "HEAD") == 0
                  ? 0
                  : -1;
    hex[0] = '\0';
    if (!err)
        git_oid_tostr(hex, 41, &head);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return err;
}

int history_paths_clean(const char *root, const char *settings)
{
    history_git_init();
    git_repository *repo = NULL;
    buf at;
    buf_init(&at);
    int result = -1;
    if (history_repo_open(&repo, root) == 0 && git_repository_workdir(repo) &&
        history_content_prefix(&at, git_repository_workdir(repo), root) == 0) {
        int changed = history_paths_changed(repo, at.data, settings, NULL);
        result = changed < 0 ? -1 : !changed;
    }
    git_repository_free(repo);
    git_libgit2_shutdown();
    buf_release(&at);
    return result;
}

void history_libgit2_version(int *major, int *minor, int *rev)
{
    git_libgit2_version(major, minor, rev);
}
