/* fuzz_trailers: the approval evidence charter reads from commit messages,
 * which anyone who opens a pull request writes. The input is a message (up
 * to its first NUL, as git keeps none). history_read_trailers must find the
 * Approved-by:, Reviewed-by:, Co-authored-by: and Change-Type: trailers that
 * `git log --format=%(trailers)` finds (git interpret-trailers --parse
 * --no-divider, run on the same bytes, is the oracle), and
 * history_read_request a request reference of the shapes it knows.
 * tests/fuzz/README.md. */
#include "fuzz.h"

#include "buf.h"
#include "history_int.h"

#include <errno.h>
#include <fcntl.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

/* What git prints for the message: its trailers, "key: value" a line.
 * Returns 0, or -1 when git could not be run (the comparison is skipped:
 * the replay runs where git is, but a fuzzing machine might not have it). */
static int git_trailers(buf *out, const char *msg)
{
    char path[] = "/tmp/charter-fuzz-trailers-XXXXXX";
    int fd = mkstemp(path), pipefd[2] = {-1, -1}, rc = -1;
    if (fd < 0)
        return -1;
    size_t len = strlen(msg);
    if (write(fd, msg, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) != 0 || pipe(pipefd) != 0)
        goto done;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd, 0);
        dup2(pipefd[1], 1);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 2);
        /* Nobody's configuration: trailer.separators and the comment
         * character change what git reads. */
        setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
        setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
        setenv("HOME", "/nonexistent", 1);
        execlp("git", "git", "interpret-trailers", "--parse", "--no-divider", (char *)NULL);
        _exit(127);
    }
    if (pid < 0)
        goto done;
    close(pipefd[1]);
    pipefd[1] = -1;
    char chunk[4096];
    ssize_t n;
    /* libFuzzer's timer (SIGALRM) interrupts a read now and then. */
    while ((n = read(pipefd[0], chunk, sizeof chunk)) != 0) {
        if (n < 0 && errno != EINTR)
            break;
        if (n > 0)
            buf_add(out, chunk, (size_t)n);
    }
    int status;
    pid_t waited;
    while ((waited = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
        ;
    if (n == 0 && waited == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        rc = 0;
done:
    if (pipefd[0] >= 0)
        close(pipefd[0]);
    if (pipefd[1] >= 0)
        close(pipefd[1]);
    close(fd);
    unlink(path);
    return rc;
}

/* A value as charter keeps it: each run of git's blanks (space, tab, CR;
 * git keeps those inside a value) made one space. */
static char *collapsed(const char *s, size_t len)
{
    buf b;
    buf_init(&b);
    int blank = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r') {
            blank = 1;
            continue;
        }
        if (blank && b.len)
            buf_addc(&b, ' ');
        blank = 0;
        buf_addc(&b, s[i]);
    }
    return buf_detach(&b);
}

/* The values git gave for `key` (any case), as charter keeps them: empty
 * ones dropped, blanks collapsed, each clipped, the first HIST_LIST_MAX. */
static void git_values(char ***list, size_t *n, const buf *git, const char *key)
{
    size_t klen = strlen(key);
    for (const char *p = git->data; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len > klen + 1 && !strncasecmp(p, key, klen) && p[klen] == ':' && p[klen + 1] == ' ' &&
            len > klen + 2 && *n < HIST_LIST_MAX) {
            char *v = collapsed(p + klen + 2, len - klen - 2);
            history_clip(&v, HIST_NAME_MAX);
            if (*v) {
                *list = xgrow(*list, *n, sizeof **list);
                (*list)[(*n)++] = v;
            } else {
                free(v);
            }
        }
        p += len + (nl != NULL);
    }
}

static void check_list(char **mine, size_t n_mine, const buf *git, const char *key, const char *msg)
{
    char **theirs = NULL;
    size_t n = 0;
    git_values(&theirs, &n, git, key);
    int same = n == n_mine;
    for (size_t i = 0; same && i < n; i++)
        same = !strcmp(theirs[i], mine[i]);
    if (!same) {
        fprintf(stderr, "%s: git read %zu, charter %zu\nmessage: [%s]\ngit: [%s]\n", key, n, n_mine,
                msg, git->data ? git->data : "");
        FUZZ_CHECK(!"trailers read otherwise than git reads them");
    }
    for (size_t i = 0; i < n; i++)
        free(theirs[i]);
    free(theirs);
}

/* The first Change-Type: git gave whose value, lowercased, is a known type. */
static char *git_change_type(const buf *git)
{
    static const char key[] = "Change-Type: ";
    for (const char *p = git->data; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len >= sizeof key - 1 && !strncasecmp(p, key, sizeof key - 1)) {
            char *v = collapsed(p + sizeof key - 1, len - (sizeof key - 1));
            for (char *c = v; *c; c++)
                if (*c >= 'A' && *c <= 'Z')
                    *c = (char)(*c - 'A' + 'a');
            if (history_change_type_known(v))
                return v;
            free(v);
        }
        p += len + (nl != NULL);
    }
    return NULL;
}

static void check_names(char **list, size_t n)
{
    FUZZ_CHECK(n <= HIST_LIST_MAX);
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(list[i] && list[i][0]);
        FUZZ_CHECK(strlen(list[i]) <= HIST_NAME_MAX);
        FUZZ_CHECK(!strchr(list[i], '\n'));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *msg = xstrndup((const char *)data, size); /* up to a NUL */
    hist_row r;
    memset(&r, 0, sizeof r);
    history_read_trailers(&r, msg, NULL, 1);
    history_read_request(&r, msg, NULL);
    check_names(r.approved_by, r.n_approved);
    check_names(r.reviewed_by, r.n_reviewed);
    check_names(r.co_authors, r.n_co_authors);
    FUZZ_CHECK(!r.change_type || history_change_type_known(r.change_type));
    if (r.request) {
        /* "#12" (GitHub) or "!12" (GitLab): 1 to 9 digits. */
        size_t digits = strspn(r.request + 1, "0123456789");
        FUZZ_CHECK((r.request[0] == '#' || r.request[0] == '!') && digits >= 1 && digits <= 9 &&
                   !r.request[1 + digits]);
    }
    buf git;
    buf_init(&git);
    if (git_trailers(&git, msg) == 0) {
        check_list(r.approved_by, r.n_approved, &git, "Approved-by", msg);
        check_list(r.reviewed_by, r.n_reviewed, &git, "Reviewed-by", msg);
        check_list(r.co_authors, r.n_co_authors, &git, "Co-authored-by", msg);
        char *type = git_change_type(&git);
        FUZZ_CHECK((!type && !r.change_type) ||
                   (type && r.change_type && !strcmp(type, r.change_type)));
        free(type);
    }
    buf_release(&git);
    history_row_release(&r);
    free(msg);
    return 0;
}
