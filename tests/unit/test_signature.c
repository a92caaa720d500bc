/* test_signature: signature_verify on real signatures made at test time (gpg
 * and ssh-keygen keys generated in a sandbox): verified with key and signer,
 * a key outside the site's trust, tampered data, a revoked and an expired
 * key, nothing configured, unsigned, x509 and unknown armor, size limits; and
 * that the verifier keeps to its own temporary directory and removes it. */
#include "unit.h"

#include <dirent.h>
#include <sys/stat.h>

#include "signature.h"

/* Makes, in dir: gpg homes `k` (alice, mallory; alice's public key in
 * alice.asc, fingerprints in *.fpr) and `old` (a key that expired in 2020);
 * ssh keys alice and bob with allowed_signers naming alice for git; the
 * data, a tampered copy, and signatures of the data by each key. */
static const char fixture[] =
    "set -eu\n"
    "cd \"$1\"\n"
    "export HOME=\"$1\" GNUPGHOME=\"$1/k\"\n"
    "mkdir -m 700 k old\n"
    "g() { gpg -q --batch --pinentry-mode loopback --passphrase '' \"$@\"; }\n"
    "g --quick-gen-key 'Alice <alice@example.com>' ed25519 sign never\n"
    "g --quick-gen-key 'Mallory <mallory@example.com>' ed25519 sign never\n"
    "fpr() { gpg --batch --with-colons --fingerprint \"$@\" | awk -F: '$1 == \"fpr\" { print $10; "
    "exit }'; }\n"
    "fpr alice@example.com >alice.fpr\n"
    "fpr mallory@example.com >mallory.fpr\n"
    "g --armor --export alice@example.com >alice.asc\n"
    "{ cat alice.asc; sed 's/^:-----BEGIN/-----BEGIN/' \"k/openpgp-revocs.d/$(cat "
    "alice.fpr).rev\"; "
    "} >revoked.asc\n"
    "g --export alice@example.com >alice.gpg\n"
    "printf 'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\\nauthor A <a@example.com> 1 "
    "+0000\\n\\nPolicy\\n' >data\n"
    "sed 's/Policy/Polícy/' data >tampered\n"
    "g --local-user \"$(cat alice.fpr)\" --armor --detach-sign -o alice.pgp data\n"
    "g --local-user \"$(cat mallory.fpr)\" --armor --detach-sign -o mallory.pgp data\n"
    "g --homedir old --faked-system-time 20200101T000000 --quick-gen-key 'Old <old@example.com>' "
    "ed25519 sign 1d\n"
    "g --homedir old --faked-system-time 20200101T000100 --armor --detach-sign -o old.pgp data\n"
    "g --homedir old --armor --export old@example.com >old.asc\n"
    "gpgconf --homedir k --kill all; gpgconf --homedir old --kill all\n"
    "ssh-keygen -q -t ed25519 -N '' -C alice@example.com -f alice\n"
    "ssh-keygen -q -t ed25519 -N '' -C bob@example.com -f bob\n"
    "ssh-keygen -lf alice.pub | awk '{ print $2 }' >alice.sshfpr\n"
    "ssh-keygen -lf bob.pub | awk '{ print $2 }' >bob.sshfpr\n"
    "printf 'alice@example.com namespaces=\"git\" %s\\n' \"$(cat alice.pub)\" >allowed_signers\n"
    "printf 'alice@example.com namespaces=\"file\" %s\\n' \"$(cat alice.pub)\" >allowed_file\n"
    "ssh-keygen -q -Y sign -n git -f alice data && mv data.sig alice.sshsig\n"
    "ssh-keygen -q -Y sign -n git -f bob data && mv data.sig bob.sshsig\n"
    "mkdir -m 700 tmp\n";

typedef struct sandbox {
    char dir[256];
    buf data, tampered;
} sandbox;

static void sandbox_make(sandbox *s)
{
    unit_mkdtemp(s->dir, sizeof s->dir, "sig");
    buf cmd;
    buf_init(&cmd);
    buf_printf(&cmd, "sh -c '%s' sh '%s' >'%s/log' 2>&1", "eval \"$(cat)\"", s->dir, s->dir);
    FILE *p = popen(cmd.data, "w");
    cr_assert_not_null(p);
    fputs(fixture, p);
    int rc = pclose(p);
    cr_assert_eq(rc, 0, "fixture failed (%d): see %s/log", rc, s->dir);
    buf_release(&cmd);
    buf_init(&s->data);
    buf_init(&s->tampered);
    diags *d = diag_new(NULL);
    buf path;
    buf_init(&path);
    buf_printf(&path, "%s/data", s->dir);
    cr_assert_eq(fs_read(&s->data, path.data, NULL, d), 0);
    buf_reset(&path);
    buf_printf(&path, "%s/tampered", s->dir);
    cr_assert_eq(fs_read(&s->tampered, path.data, NULL, d), 0);
    buf_release(&path);
    diag_free(d);
    /* The verifier's temporary directory goes here, to be watched. */
    buf tmp;
    buf_init(&tmp);
    buf_printf(&tmp, "%s/tmp", s->dir);
    setenv("TMPDIR", tmp.data, 1);
    buf_release(&tmp);
}

static void sandbox_remove(sandbox *s)
{
    buf_release(&s->data);
    buf_release(&s->tampered);
    unit_remove(s->dir);
}

/* The content of dir/name, trailing newline removed; caller frees. */
static char *slurp(const sandbox *s, const char *name)
{
    buf path, text;
    buf_init(&path);
    buf_init(&text);
    buf_printf(&path, "%s/%s", s->dir, name);
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_read(&text, path.data, NULL, d), 0, "cannot read %s", path.data);
    diag_free(d);
    while (text.len && text.data[text.len - 1] == '\n')
        buf_truncate(&text, text.len - 1);
    buf_release(&path);
    return buf_detach(&text);
}

/* Entries in the sandbox's tmp (the verifier's temporary directories). */
static int tmp_entries(const sandbox *s)
{
    char path[300];
    snprintf(path, sizeof path, "%s/tmp", s->dir);
    DIR *d = opendir(path);
    cr_assert_not_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

typedef struct expect {
    const char *sig; /* file in the sandbox with the signature */
    int tampered;    /* verify over the tampered data */
    sig_state state;
    const char *kind;
    const char *key;    /* file with the expected fingerprint, NULL: key is NULL */
    const char *signer; /* NULL: signer is NULL */
    const char *why;    /* NULL: why is NULL */
} expect;

static void check(sig_verifier *v, const sandbox *s, const expect *e)
{
    char *sig = slurp(s, e->sig);
    const buf *data = e->tampered ? &s->tampered : &s->data;
    sig_result r;
    cr_assert_eq(signature_verify(v, &r, sig, strlen(sig), data->data, data->len), 0, "%s", e->sig);
    cr_assert_eq(r.state, e->state, "%s: state %s, why %s", e->sig, sig_state_name(r.state),
                 r.why ? r.why : "(null)");
    cr_assert_str_eq(r.kind, e->kind, "%s", e->sig);
    if (e->key) {
        char *key = slurp(s, e->key);
        cr_assert_not_null(r.key, "%s: no key", e->sig);
        cr_assert_str_eq(r.key, key, "%s", e->sig);
        free(key);
    } else {
        cr_assert_null(r.key, "%s: key %s", e->sig, r.key);
    }
    if (e->signer) {
        cr_assert_not_null(r.signer, "%s: no signer", e->sig);
        cr_assert_str_eq(r.signer, e->signer, "%s", e->sig);
    } else {
        cr_assert_null(r.signer, "%s: signer %s", e->sig, r.signer);
    }
    if (e->why) {
        cr_assert_not_null(r.why, "%s: no why", e->sig);
        cr_assert_str_eq(r.why, e->why, "%s", e->sig);
    } else {
        cr_assert_null(r.why, "%s: why %s", e->sig, r.why);
    }
    sig_result_release(&r);
    cr_assert_eq(r.state, SIG_UNSIGNED);
    cr_assert_null(r.key);
    free(sig);
}

static sig_verifier *verifier_from(const sandbox *s, const char *keyring, const char *allowed)
{
    char *k = keyring ? slurp(s, keyring) : NULL;
    char *a = allowed ? slurp(s, allowed) : NULL;
    /* Binary keyrings hold NULs: read them with their length. */
    size_t klen = k ? strlen(k) : 0;
    buf bin;
    buf_init(&bin);
    if (k && strstr(keyring, ".gpg")) {
        char path[300];
        snprintf(path, sizeof path, "%s/%s", s->dir, keyring);
        diags *d = diag_new(NULL);
        cr_assert_eq(fs_read(&bin, path, NULL, d), 0);
        diag_free(d);
        klen = bin.len;
    }
    sig_verifier *v = signature_verifier_new(bin.len ? bin.data : k, klen, a, a ? strlen(a) : 0);
    cr_assert_not_null(v);
    free(k);
    free(a);
    buf_release(&bin);
    return v;
}

#define ALICE_UID "Alice <alice@example.com>"

Test(signature, openpgp)
{
    sandbox s;
    sandbox_make(&s);
    /* The signer's own GNUPGHOME knows mallory: the verifier must not look. */
    char home[300];
    snprintf(home, sizeof home, "%s/k", s.dir);
    setenv("GNUPGHOME", home, 1);
    setenv("HOME", s.dir, 1);
    sig_verifier *v = verifier_from(&s, "alice.asc", NULL);
    cr_assert_eq(tmp_entries(&s), 1);
    static const expect cases[] = {
        {"alice.pgp", 0, SIG_VERIFIED, "openpgp", "alice.fpr", ALICE_UID, NULL},
        {"mallory.pgp", 0, SIG_UNVERIFIED, "openpgp", "mallory.fpr", NULL,
         "key not in the keyring"},
        {"alice.pgp", 1, SIG_UNVERIFIED, "openpgp", "alice.fpr", ALICE_UID, "bad signature"},
        {"alice.pgp", 0, SIG_VERIFIED, "openpgp", "alice.fpr", ALICE_UID, NULL},
    };
    for (size_t i = 0; i < COUNT(cases); i++)
        check(v, &s, &cases[i]);
    /* The private home: 0700, and no agent was started in it. */
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s/tmp", s.dir);
    DIR *d = opendir(tmp);
    struct dirent *e;
    while ((e = readdir(d)) && e->d_name[0] == '.')
        ;
    cr_assert_not_null(e);
    char gnupg[600];
    snprintf(gnupg, sizeof gnupg, "%s/%s/gnupg", tmp, e->d_name);
    closedir(d);
    struct stat st;
    cr_assert_eq(stat(gnupg, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0700);
    strcat(gnupg, "/S.gpg-agent");
    cr_assert_neq(stat(gnupg, &st), 0, "a gpg-agent was started");
    signature_verifier_free(v);
    cr_assert_eq(tmp_entries(&s), 0, "the temporary directory is left");
    sandbox_remove(&s);
}

Test(signature, openpgp_binary_keyring_revoked_and_expired_keys)
{
    sandbox s;
    sandbox_make(&s);
    sig_verifier *v = verifier_from(&s, "alice.gpg", NULL);
    static const expect ok = {"alice.pgp", 0,         SIG_VERIFIED, "openpgp",
                              "alice.fpr", ALICE_UID, NULL};
    check(v, &s, &ok);
    signature_verifier_free(v);

    /* alice's key with her revocation certificate (gpg makes one with the key). */
    v = verifier_from(&s, "revoked.asc", NULL);
    static const expect revoked = {"alice.pgp", 0,         SIG_UNVERIFIED, "openpgp",
                                   "alice.fpr", ALICE_UID, "key revoked"};
    check(v, &s, &revoked);
    signature_verifier_free(v);

    v = verifier_from(&s, "old.asc", NULL);
    sig_result r;
    char *sig = slurp(&s, "old.pgp");
    cr_assert_eq(signature_verify(v, &r, sig, strlen(sig), s.data.data, s.data.len), 0);
    cr_assert_eq(r.state, SIG_UNVERIFIED);
    cr_assert_str_eq(r.why, "key expired");
    cr_assert_str_eq(r.signer, "Old <old@example.com>");
    cr_assert_not_null(r.key);
    sig_result_release(&r);
    free(sig);
    signature_verifier_free(v);
    sandbox_remove(&s);
}

Test(signature, openpgp_no_keyring)
{
    sandbox s;
    sandbox_make(&s);
    sig_verifier *v = verifier_from(&s, NULL, "allowed_signers");
    /* What the signature claims is reported, nothing more. */
    static const expect cases[] = {
        {"alice.pgp", 0, SIG_UNVERIFIED, "openpgp", "alice.fpr", NULL, "no keyring configured"},
        {"alice.pgp", 1, SIG_UNVERIFIED, "openpgp", "alice.fpr", NULL, "no keyring configured"},
    };
    for (size_t i = 0; i < COUNT(cases); i++)
        check(v, &s, &cases[i]);
    signature_verifier_free(v);
    sandbox_remove(&s);
}

Test(signature, ssh)
{
    sandbox s;
    sandbox_make(&s);
    sig_verifier *v = verifier_from(&s, "alice.asc", "allowed_signers");
    static const expect cases[] = {
        {"alice.sshsig", 0, SIG_VERIFIED, "ssh", "alice.sshfpr", "alice@example.com", NULL},
        {"bob.sshsig", 0, SIG_UNVERIFIED, "ssh", "bob.sshfpr", NULL,
         "no allowed signer for this key"},
        {"alice.sshsig", 1, SIG_UNVERIFIED, "ssh", NULL, NULL, "bad signature"},
        {"alice.sshsig", 0, SIG_VERIFIED, "ssh", "alice.sshfpr", "alice@example.com", NULL},
    };
    for (size_t i = 0; i < COUNT(cases); i++)
        check(v, &s, &cases[i]);
    signature_verifier_free(v);
    cr_assert_eq(tmp_entries(&s), 0, "the temporary directory is left");

    /* Allowed, but only for another namespace than git's. */
    v = verifier_from(&s, NULL, "allowed_file");
    static const expect file_only = {"alice.sshsig",
                                     0,
                                     SIG_UNVERIFIED,
                                     "ssh",
                                     "alice.sshfpr",
                                     NULL,
                                     "allowed signer not valid for git signatures"};
    check(v, &s, &file_only);
    signature_verifier_free(v);
    sandbox_remove(&s);
}

Test(signature, ssh_no_allowed_signers)
{
    sandbox s;
    sandbox_make(&s);
    sig_verifier *v = verifier_from(&s, "alice.asc", NULL);
    static const expect cases[] = {
        {"alice.sshsig", 0, SIG_UNVERIFIED, "ssh", "alice.sshfpr", NULL,
         "no allowed signers file configured"},
        {"alice.sshsig", 1, SIG_UNVERIFIED, "ssh", NULL, NULL, "bad signature"},
    };
    for (size_t i = 0; i < COUNT(cases); i++)
        check(v, &s, &cases[i]);
    signature_verifier_free(v);
    sandbox_remove(&s);
}

Test(signature, ssh_keygen_missing)
{
    sandbox s;
    sandbox_make(&s);
    sig_verifier *v = verifier_from(&s, NULL, "allowed_signers");
    char empty[300];
    snprintf(empty, sizeof empty, "%s/tmp", s.dir);
    setenv("PATH", empty, 1);
    static const expect missing = {"alice.sshsig", 0,    SIG_UNVERIFIED,        "ssh",
                                   NULL,           NULL, "ssh-keygen not found"};
    check(v, &s, &missing);
    signature_verifier_free(v);
    sandbox_remove(&s);
}

/* ---- without keys ---- */

Test(signature, unsigned_x509_unknown_and_limits)
{
    sig_verifier *v = signature_verifier_new(NULL, 0, NULL, 0);
    cr_assert_not_null(v);
    sig_result r;
    cr_assert_eq(signature_verify(v, &r, NULL, 0, "data", 4), 0);
    cr_assert_eq(r.state, SIG_UNSIGNED);
    cr_assert_str_eq(r.kind, "");
    cr_assert_null(r.why);
    sig_result_release(&r);
    cr_assert_eq(signature_verify(v, &r, "", 0, "data", 4), 0);
    cr_assert_eq(r.state, SIG_UNSIGNED);
    sig_result_release(&r);

    static const struct {
        const char *sig;
        const char *kind, *why;
    } cases[] = {
        {"-----BEGIN SIGNED MESSAGE-----\nMIAG\n-----END SIGNED MESSAGE-----\n", "x509",
         "x509 signatures are not checked"},
        {"-----BEGIN FOO-----\n", "", "unrecognized signature format"},
        {"not armor at all", "", "unrecognized signature format"},
        {"-----BEGIN PGP SIGNATURE-----\n\nnot base64 !!\n-----END PGP SIGNATURE-----\n", "openpgp",
         "malformed signature"},
        {"-----BEGIN SSH SIGNATURE-----\ngarbage\n-----END SSH SIGNATURE-----\n", "ssh",
         "bad signature"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        cr_assert_eq(signature_verify(v, &r, cases[i].sig, strlen(cases[i].sig), "d", 1), 0);
        cr_assert_eq(r.state, SIG_UNVERIFIED, "case %zu", i);
        cr_assert_str_eq(r.kind, cases[i].kind, "case %zu", i);
        cr_assert_str_eq(r.why, cases[i].why, "case %zu: %s", i, r.why);
        sig_result_release(&r);
    }

    buf big;
    buf_init(&big);
    buf_adds(&big, "-----BEGIN PGP SIGNATURE-----\n");
    while (big.len <= SIGNATURE_MAX_SIG)
        buf_adds(&big, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
    cr_assert_eq(signature_verify(v, &r, big.data, big.len, "d", 1), 0);
    cr_assert_eq(r.state, SIG_UNVERIFIED);
    cr_assert_str_eq(r.why, "signature too large");
    sig_result_release(&r);
    static const char small[] = "-----BEGIN SSH SIGNATURE-----\n";
    char *data = malloc(SIGNATURE_MAX_DATA + 1);
    memset(data, 'x', SIGNATURE_MAX_DATA + 1);
    cr_assert_eq(signature_verify(v, &r, small, strlen(small), data, SIGNATURE_MAX_DATA + 1), 0);
    cr_assert_eq(r.state, SIG_UNVERIFIED);
    cr_assert_str_eq(r.why, "signed data too large");
    sig_result_release(&r);
    free(data);
    buf_release(&big);
    signature_verifier_free(v);

    sig_result_release(NULL);
    signature_verifier_free(NULL);
    cr_assert_str_eq(sig_state_name(SIG_VERIFIED), "verified");
    cr_assert_str_eq(sig_state_name(SIG_UNVERIFIED), "unverified");
    cr_assert_str_eq(sig_state_name(SIG_UNSIGNED), "unsigned");
}
