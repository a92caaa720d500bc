/* history_dir: where charter keeps its caches for a site: the `charter`
 * folder of the git directory of the repository holding it, which no
 * commit can fill (history.h). Part of the history module because it is
 * the one that speaks to libgit2. */
#include "history.h"

#include <git2.h>

int history_cache_dir(buf *out, const char *root)
{
    git_libgit2_init();
    git_repository *repo = NULL;
    int err = -1;
    if (git_repository_open_ext(&repo, root, 0, NULL) == 0 && git_repository_workdir(repo)) {
        buf_printf(out, "%scharter", git_repository_path(repo));
        err = 0;
    }
    git_repository_free(repo);
    git_libgit2_shutdown();
    return err;
}
