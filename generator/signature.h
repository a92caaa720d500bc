/* signature: classifies a git commit's signature as verified, signed but not
 * verified (and why), or unsigned, never claiming more than was checked.
 * OpenPGP through GPGME against the site's keyring, in a private temporary
 * GNUPGHOME; SSH (SSHSIG, as `git commit -S` with gpg.format=ssh makes)
 * through `ssh-keygen -Y` against the site's allowed signers. The only file
 * that includes gpgme.h. */
#ifndef CHARTER_SIGNATURE_H
#define CHARTER_SIGNATURE_H

#include <stddef.h>

#define SIGNATURE_MAX_SIG (64 * 1024)         /* bytes of armored signature */
#define SIGNATURE_MAX_DATA (16 * 1024 * 1024) /* bytes of signed commit */

typedef enum sig_state { SIG_UNSIGNED, SIG_VERIFIED, SIG_UNVERIFIED } sig_state;

typedef struct sig_result {
    sig_state state;
    char kind[8]; /* "openpgp", "ssh", "x509" or "" (unsigned or unrecognized) */
    char *key;    /* the signing key's fingerprint (OpenPGP primary key fpr, or
                     ssh "SHA256:..."), NULL if unknown; unverified: only what
                     the signature claims */
    char *signer; /* verified: the key's primary user id / the allowed signer's
                     principal; otherwise NULL or what is known */
    char *why;    /* SIG_UNVERIFIED: a short lowercase reason, e.g. "no keyring
                     configured", "key not in the keyring", "bad signature",
                     "key expired", "no allowed signer for this key"; else NULL */
} sig_result;

typedef struct sig_verifier sig_verifier;

/* Returns a new verifier for one site: keyring holds OpenPGP public keys
 * (armored or binary), allowed the text of an ssh ALLOWED SIGNERS file;
 * either may be NULL (or empty: not configured). Both are copied. Makes a
 * private temporary directory (mode 0700, under $TMPDIR or /tmp); nothing
 * reads or touches ~/.gnupg, a running gpg-agent or ~/.ssh. Returns NULL
 * only when no temporary directory can be made. Caller frees with
 * signature_verifier_free. Not thread-safe: one verifier per thread. */
sig_verifier *signature_verifier_new(const char *keyring, size_t keyring_len, const char *allowed,
                                     size_t allowed_len);

/* Classifies sig[0..sig_len) (NULL or empty: unsigned) as a signature of
 * data[0..data_len) into out, which it initializes (any earlier content is
 * not freed). Returns 0, or -1 on an internal error (a temporary file that
 * cannot be written, a tool that timed out), with out filled as unverified
 * and why saying so. Caller releases out with sig_result_release. */
int signature_verify(sig_verifier *v, sig_result *out, const char *sig, size_t sig_len,
                     const char *data, size_t data_len);

/* Frees the strings of r and leaves it unsigned and empty. Accepts NULL. */
void sig_result_release(sig_result *r);

/* Removes the verifier's temporary directory and frees it. Accepts NULL. */
void signature_verifier_free(sig_verifier *v);

/* The state as a word for pages and reports: "verified", "unverified" or
 * "unsigned". Static storage. */
const char *sig_state_name(sig_state s);

/* The version of GPGME linked ("1.18.0"), initialising it as its manual asks
 * of a first call. Static storage; NULL if GPGME cannot start. */
const char *sig_gpgme_version(void);

#endif
