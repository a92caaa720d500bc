/* signature: whether a commit's signature is verified against the site's own
 * trust statement (an OpenPGP keyring, an ssh allowed signers file), signed
 * but not verified (and why), or unsigned. GPGME because it is the maintained
 * Debian library for OpenPGP verification; ssh-keygen -Y because OpenSSH has
 * no library API for SSHSIG. The only file that includes gpgme.h. */
#include "signature.h"

#include <errno.h>
#include <fcntl.h>
#include <gpgme.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "fs.h"

extern char **environ;

/* Longest ssh-keygen may take; then it is killed: nothing may hang a build. */
#define TOOL_TIMEOUT_MS 10000
/* Bytes kept of a tool's stdout and of its stderr; the rest is read and dropped. */
#define TOOL_MAX_OUTPUT (64 * 1024)

struct sig_verifier {
    char *dir;               /* private temporary directory, mode 0700 */
    char *keyring, *allowed; /* copies; NULL when not configured */
    size_t keyring_len, allowed_len;
    int gpg_state;       /* 0 not set up yet, 1 ready, -1 cannot be used */
    const char *gpg_why; /* gpg_state -1: why (static) */
    gpgme_ctx_t ctx;     /* with its GNUPGHOME in dir/gnupg */
    int allowed_written; /* dir/allowed_signers holds `allowed` */
};

/* ---- results ---- */

static void result_set(sig_result *r, sig_state state, const char *kind, const char *why)
{
    r->state = state;
    snprintf(r->kind, sizeof r->kind, "%s", kind);
    free(r->why);
    r->why = why ? xstrdup(why) : NULL;
}

static void result_set_str(char **field, const char *s)
{
    free(*field);
    *field = s ? xstrdup(s) : NULL;
}

void sig_result_release(sig_result *r)
{
    if (!r)
        return;
    free(r->key);
    free(r->signer);
    free(r->why);
    memset(r, 0, sizeof *r);
    r->state = SIG_UNSIGNED;
}

const char *sig_state_name(sig_state s)
{
    switch (s) {
    case SIG_VERIFIED:
        return "verified";
    case SIG_UNVERIFIED:
        return "unverified";
    case SIG_UNSIGNED:
        break;
    }
    return "unsigned";
}

/* ---- the verifier ---- */

sig_verifier *signature_verifier_new(const char *keyring, size_t keyring_len, const char *allowed,
                                     size_t allowed_len)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || tmp[0] != '/')
        tmp = "/tmp";
    buf path;
    buf_init(&path);
    buf_printf(&path, "%s/charter-sig-XXXXXX", tmp);
    if (!mkdtemp(path.data)) { /* mkdtemp makes it 0700 */
        buf_release(&path);
        return NULL;
    }
    sig_verifier *v = xcalloc(1, sizeof *v);
    v->dir = buf_detach(&path);
    if (keyring && keyring_len) {
        v->keyring = xstrndup(keyring, keyring_len);
        v->keyring_len = keyring_len;
    }
    if (allowed && allowed_len) {
        v->allowed = xstrndup(allowed, allowed_len);
        v->allowed_len = allowed_len;
    }
    return v;
}

void signature_verifier_free(sig_verifier *v)
{
    if (!v)
        return;
    gpgme_release(v->ctx);
    if (v->dir) {
        diags *d = diag_new(NULL);
        fs_remove_tree(v->dir, d);
        diag_free(d);
    }
    free(v->dir);
    free(v->keyring);
    free(v->allowed);
    free(v);
}

/* Writes data to dir/name (created 0600, replaced if there). 0 or -1. */
static int put_file(const sig_verifier *v, const char *name, const char *data, size_t len,
                    buf *path)
{
    int err = -1;
    buf_reset(path);
    buf_printf(path, "%s/%s", v->dir, name);
    int fd = open(path->data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        goto done;
    if (fs_write_fd(fd, data, len) != 0)
        goto done;
    err = 0;
done:
    if (fd >= 0 && close(fd) != 0)
        err = -1;
    return err;
}

/* ---- OpenPGP, through GPGME ---- */

static const char *gpgme_version;
static pthread_once_t gpgme_once = PTHREAD_ONCE_INIT;

static void gpgme_init_once(void)
{
    /* Required once per process before any other call (GPGME manual,
     * "Library Version Check"); it also sets up GPGME's I/O. */
    gpgme_version = gpgme_check_version(NULL);
}

const char *sig_gpgme_version(void)
{
    pthread_once(&gpgme_once, gpgme_init_once);
    return gpgme_version;
}

/* Makes dir/gnupg (mode 0700) with a gpg.conf that keeps gpg from starting an
 * agent or reaching a key server, a context using it, and imports the site's
 * keyring. 0, or -1 with v->gpg_why set. Runs once per verifier. */
static int gpg_setup(sig_verifier *v)
{
    gpgme_data_t keys = NULL;
    buf home, conf;
    buf_init(&home);
    buf_init(&conf);
    int err = -1;

    if (v->gpg_state)
        return v->gpg_state > 0 ? 0 : -1;
    v->gpg_why = "cannot set up gpg";
    pthread_once(&gpgme_once, gpgme_init_once);
    if (!gpgme_version)
        goto done;
    if (gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP) != 0) {
        v->gpg_why = "gpg not found";
        goto done;
    }
    buf_printf(&home, "%s/gnupg", v->dir);
    if (mkdir(home.data, 0700) != 0)
        goto done;
    /* gpg --import would start a gpg-agent (to look for secret keys) that
     * outlives us; verifying needs neither it nor the network. */
    static const char gpg_conf[] = "no-autostart\nno-auto-key-retrieve\n";
    if (put_file(v, "gnupg/gpg.conf", gpg_conf, sizeof gpg_conf - 1, &conf) != 0)
        goto done;
    if (gpgme_new(&v->ctx) != 0)
        goto done;
    if (gpgme_set_protocol(v->ctx, GPGME_PROTOCOL_OpenPGP) != 0 ||
        gpgme_ctx_set_engine_info(v->ctx, GPGME_PROTOCOL_OpenPGP, NULL, home.data) != 0)
        goto done;
    gpgme_set_offline(v->ctx, 1);
    if (v->keyring) {
        if (gpgme_data_new_from_mem(&keys, v->keyring, v->keyring_len, 0) != 0)
            goto done;
        /* A keyring gpg cannot read imports nothing: its signatures then
         * show as "key not in the keyring", which is what is true. */
        gpgme_op_import(v->ctx, keys);
    }
    err = 0;
done:
    gpgme_data_release(keys);
    buf_release(&home);
    buf_release(&conf);
    v->gpg_state = err == 0 ? 1 : -1;
    return err;
}

/* Why a signature GPGME checked is not verified, or NULL when it is: a good
 * signature by a key of the site's keyring, unexpired and unrevoked. The
 * key's owner-trust is ignored: the keyring is the site's trust statement. */
static const char *gpg_why_not(const sig_verifier *v, gpgme_signature_t s, gpgme_key_t key)
{
    switch (gpgme_err_code(s->status)) {
    case GPG_ERR_NO_ERROR:
        break;
    case GPG_ERR_BAD_SIGNATURE:
        return "bad signature";
    case GPG_ERR_NO_PUBKEY:
        return v->keyring ? "key not in the keyring" : "no keyring configured";
    case GPG_ERR_KEY_EXPIRED:
        return "key expired";
    case GPG_ERR_SIG_EXPIRED:
        return "signature expired";
    case GPG_ERR_CERT_REVOKED:
        return "key revoked";
    default:
        return "signature not valid";
    }
    if (!v->keyring)
        return "no keyring configured"; /* cannot happen: the home starts empty */
    if (s->summary & GPGME_SIGSUM_KEY_REVOKED)
        return "key revoked";
    if (s->summary & GPGME_SIGSUM_KEY_EXPIRED)
        return "key expired";
    if (s->summary & GPGME_SIGSUM_SIG_EXPIRED)
        return "signature expired";
    if (s->summary & (GPGME_SIGSUM_RED | GPGME_SIGSUM_KEY_MISSING))
        return "signature not valid";
    if (s->wrong_key_usage)
        return "key not usable for signing";
    if (!key)
        return "key not in the keyring";
    if (key->revoked)
        return "key revoked";
    if (key->expired)
        return "key expired";
    if (key->disabled || key->invalid)
        return "key not usable for signing";
    return NULL;
}

static int verify_openpgp(sig_verifier *v, sig_result *out, const char *sig, size_t sig_len,
                          const char *data, size_t data_len)
{
    gpgme_data_t s = NULL, d = NULL;
    gpgme_key_t key = NULL;
    int err = -1;

    if (gpg_setup(v) != 0) {
        /* Without a keyring that is the reason, whether or not gpg works. */
        if (!v->keyring) {
            result_set(out, SIG_UNVERIFIED, "openpgp", "no keyring configured");
            return 0;
        }
        result_set(out, SIG_UNVERIFIED, "openpgp", v->gpg_why);
        return strcmp(v->gpg_why, "gpg not found") == 0 ? 0 : -1;
    }
    result_set(out, SIG_UNVERIFIED, "openpgp", "cannot run gpg");
    if (gpgme_data_new_from_mem(&s, sig, sig_len, 0) != 0 ||
        gpgme_data_new_from_mem(&d, data, data_len, 0) != 0)
        goto done;
    gpgme_error_t e = gpgme_op_verify(v->ctx, s, d, NULL);
    gpgme_verify_result_t res = gpgme_op_verify_result(v->ctx);
    if (gpgme_err_code(e) == GPG_ERR_NO_DATA || gpgme_err_code(e) == GPG_ERR_BAD_DATA ||
        (!e && (!res || !res->signatures))) {
        result_set(out, SIG_UNVERIFIED, "openpgp", "malformed signature");
        err = 0;
        goto done;
    }
    if (e || !res)
        goto done;
    gpgme_signature_t one = res->signatures;
    if (one->next) {
        /* git makes one; several would need a rule for mixed results. */
        result_set(out, SIG_UNVERIFIED, "openpgp", "more than one signature");
        err = 0;
        goto done;
    }
    if (one->fpr && gpgme_get_key(v->ctx, one->fpr, &key, 0) != 0)
        key = NULL;
    /* The primary key's fingerprint (what a keyring listing shows), even
     * when a subkey signed; without the key, what the signature claims. */
    result_set_str(&out->key, key && key->fpr ? key->fpr : one->fpr);
    if (key && key->uids && key->uids->uid)
        result_set_str(&out->signer, key->uids->uid);
    const char *why = gpg_why_not(v, one, key);
    result_set(out, why ? SIG_UNVERIFIED : SIG_VERIFIED, "openpgp", why);
    err = 0;
done:
    gpgme_key_unref(key);
    gpgme_data_release(s);
    gpgme_data_release(d);
    return err;
}

/* ---- SSH, through ssh-keygen -Y ---- */

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads what is there on *fd into out (up to TOOL_MAX_OUTPUT); closes it and
 * sets it to -1 at the end of the stream or on an error. */
static void drain(int *fd, buf *out)
{
    char chunk[4096];
    ssize_t n = read(*fd, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        close(*fd);
        *fd = -1;
        return;
    }
    if (out->len < TOOL_MAX_OUTPUT)
        buf_add(out, chunk,
                (size_t)n < TOOL_MAX_OUTPUT - out->len ? (size_t)n : TOOL_MAX_OUTPUT - out->len);
}

/* Runs argv (argv[0] found in PATH, no shell) with stdin from stdin_path,
 * and its stdout and stderr both appended to out; kills it after
 * TOOL_TIMEOUT_MS. Returns 0 with its exit status in *status (-1 when it
 * was killed by a signal), 1 when argv[0] is not found, or -1 with *why set
 * (it could not be started, or timed out). */
static int run_tool(char *const argv[], const char *stdin_path, buf *out, int *status,
                    const char **why)
{
    int outp[2] = {-1, -1};
    int fa_ok = 0, attr_ok = 0, err = -1;
    pid_t pid = -1;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;

    *why = "cannot run ssh-keygen";
    *status = -1;
    if (pipe2(outp, O_CLOEXEC) != 0)
        goto done;
    if (posix_spawn_file_actions_init(&fa) != 0)
        goto done;
    fa_ok = 1;
    if (posix_spawnattr_init(&attr) != 0)
        goto done;
    attr_ok = 1;
    /* The child starts with no blocked signals and SIGPIPE at its default,
     * whatever this process (or GPGME) did to them. */
    sigset_t none, dfl;
    sigemptyset(&none);
    sigemptyset(&dfl);
    sigaddset(&dfl, SIGPIPE);
    if (posix_spawn_file_actions_addopen(&fa, 0, stdin_path, O_RDONLY, 0) != 0 ||
        posix_spawn_file_actions_adddup2(&fa, outp[1], 1) != 0 ||
        posix_spawn_file_actions_adddup2(&fa, outp[1], 2) != 0 ||
        posix_spawnattr_setsigmask(&attr, &none) != 0 ||
        posix_spawnattr_setsigdefault(&attr, &dfl) != 0 ||
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) != 0)
        goto done;
    int rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
    if (rc != 0) {
        pid = -1;
        if (rc == ENOENT) {
            *why = "ssh-keygen not found";
            err = 1;
        }
        goto done;
    }
    close(outp[1]);
    outp[1] = -1;

    long long deadline = now_ms() + TOOL_TIMEOUT_MS;
    int ws = 0;
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0)
            break;
        if (outp[0] >= 0) {
            struct pollfd p = {.fd = outp[0], .events = POLLIN};
            int n = poll(&p, 1, (int)left);
            if (n > 0)
                drain(&outp[0], out);
            else if (n < 0 && errno != EINTR)
                break;
            continue;
        }
        /* Output closed: wait for the exit, still bounded. */
        pid_t w = waitpid(pid, &ws, WNOHANG);
        if (w == pid) {
            pid = -1;
            *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
            err = 0;
            goto done;
        }
        if (w < 0 && errno != EINTR)
            break;
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    *why = "ssh-keygen timed out";
done:
    if (pid > 0) {
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    if (outp[0] >= 0)
        close(outp[0]);
    if (outp[1] >= 0)
        close(outp[1]);
    if (fa_ok)
        posix_spawn_file_actions_destroy(&fa);
    if (attr_ok)
        posix_spawnattr_destroy(&attr);
    return err;
}

/* The "SHA256:..." fingerprint in ssh-keygen's "Good ... key SHA256:..."
 * message, as a new string (caller frees), or NULL. */
static char *ssh_fingerprint(const buf *text)
{
    const char *p = strstr(text->data, " key SHA256:");
    if (!p)
        return NULL;
    p += strlen(" key ");
    size_t n = strcspn(p, " \t\r\n");
    return xstrndup(p, n);
}

static int verify_ssh(sig_verifier *v, sig_result *out, const char *sig, size_t sig_len,
                      const char *data, size_t data_len)
{
    buf sigpath, datapath, allowedpath, text;
    buf_init(&sigpath);
    buf_init(&datapath);
    buf_init(&allowedpath);
    buf_init(&text);
    char *principals = NULL;
    const char *why = NULL;
    int status, rc, err = -1;

    result_set(out, SIG_UNVERIFIED, "ssh", "cannot write a temporary file");
    if (put_file(v, "sig", sig, sig_len, &sigpath) != 0 ||
        put_file(v, "data", data, data_len, &datapath) != 0)
        goto done;

    /* The signature checked against the key it carries: its fingerprint,
     * and a bad signature told apart from an unknown signer. */
    char *check[] = {"ssh-keygen", "-Y", "check-novalidate", "-n", "git", "-s", sigpath.data, NULL};
    rc = run_tool(check, datapath.data, &text, &status, &why);
    if (rc != 0) {
        result_set(out, SIG_UNVERIFIED, "ssh",
                   v->allowed ? why : "no allowed signers file configured");
        err = rc > 0 || !v->allowed ? 0 : -1;
        goto done;
    }
    if (status != 0) {
        result_set(out, SIG_UNVERIFIED, "ssh", "bad signature");
        err = 0;
        goto done;
    }
    char *fpr = ssh_fingerprint(&text);
    free(out->key);
    out->key = fpr;
    if (!v->allowed) {
        result_set(out, SIG_UNVERIFIED, "ssh", "no allowed signers file configured");
        err = 0;
        goto done;
    }

    result_set(out, SIG_UNVERIFIED, "ssh", "cannot write a temporary file");
    buf_printf(&allowedpath, "%s/allowed_signers", v->dir);
    if (!v->allowed_written) {
        if (put_file(v, "allowed_signers", v->allowed, v->allowed_len, &allowedpath) != 0)
            goto done;
        v->allowed_written = 1;
    }
    buf_reset(&text);
    char *find[] = {"ssh-keygen",     "-Y", "find-principals", "-f",
                    allowedpath.data, "-s", sigpath.data,      NULL};
    rc = run_tool(find, "/dev/null", &text, &status, &why);
    if (rc != 0) {
        result_set(out, SIG_UNVERIFIED, "ssh", why);
        err = rc > 0 ? 0 : -1;
        goto done;
    }
    if (status != 0 || text.len == 0) {
        result_set(out, SIG_UNVERIFIED, "ssh", "no allowed signer for this key");
        err = 0;
        goto done;
    }
    principals = buf_detach(&text);
    /* One principal per line; the first that verifies is the signer. */
    for (char *line = principals, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (!*line)
            continue;
        buf_reset(&text);
        char *verify[] = {"ssh-keygen", "-Y", "verify", "-f", allowedpath.data, "-I",
                          line,         "-n", "git",    "-s", sigpath.data,     NULL};
        rc = run_tool(verify, datapath.data, &text, &status, &why);
        if (rc != 0) {
            result_set(out, SIG_UNVERIFIED, "ssh", why);
            err = rc > 0 ? 0 : -1;
            goto done;
        }
        if (status == 0) {
            result_set(out, SIG_VERIFIED, "ssh", NULL);
            result_set_str(&out->signer, line);
            if (!out->key)
                out->key = ssh_fingerprint(&text);
            err = 0;
            goto done;
        }
    }
    /* Listed, but not for git, or not at the signature's time. */
    result_set(out, SIG_UNVERIFIED, "ssh", "allowed signer not valid for git signatures");
    err = 0;
done:
    buf_release(&sigpath);
    buf_release(&datapath);
    buf_release(&allowedpath);
    buf_release(&text);
    free(principals);
    return err;
}

/* ---- classification ---- */

static int has_armor(const char *sig, size_t len, const char *armor)
{
    size_t n = strlen(armor);
    return len >= n && memcmp(sig, armor, n) == 0;
}

int signature_verify(sig_verifier *v, sig_result *out, const char *sig, size_t sig_len,
                     const char *data, size_t data_len)
{
    memset(out, 0, sizeof *out);
    out->state = SIG_UNSIGNED;
    if (!sig || sig_len == 0)
        return 0;
    if (!data)
        data_len = 0;
    /* git stores the armor at the start; tolerate leading blank space. */
    while (sig_len && (*sig == ' ' || *sig == '\t' || *sig == '\r' || *sig == '\n')) {
        sig++;
        sig_len--;
    }
    const char *kind = has_armor(sig, sig_len, "-----BEGIN PGP SIGNATURE-----")    ? "openpgp"
                       : has_armor(sig, sig_len, "-----BEGIN SSH SIGNATURE-----")  ? "ssh"
                       : has_armor(sig, sig_len, "-----BEGIN SIGNED MESSAGE-----") ? "x509"
                                                                                   : "";
    if (!*kind) {
        result_set(out, SIG_UNVERIFIED, "", "unrecognized signature format");
        return 0;
    }
    if (sig_len > SIGNATURE_MAX_SIG) {
        result_set(out, SIG_UNVERIFIED, kind, "signature too large");
        return 0;
    }
    if (data_len > SIGNATURE_MAX_DATA) {
        result_set(out, SIG_UNVERIFIED, kind, "signed data too large");
        return 0;
    }
    if (strcmp(kind, "x509") == 0) {
        result_set(out, SIG_UNVERIFIED, kind, "x509 signatures are not checked");
        return 0;
    }
    if (!v) {
        result_set(out, SIG_UNVERIFIED, kind, "no verifier");
        return -1;
    }
    if (strcmp(kind, "openpgp") == 0)
        return verify_openpgp(v, out, sig, sig_len, data ? data : "", data_len);
    return verify_ssh(v, out, sig, sig_len, data ? data : "", data_len);
}
