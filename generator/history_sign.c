/* history_sign: verifies the signatures of the commits in the pages'
 * histories against the keys the site names (evidence.keyring,
 * evidence.allowed_signers; docs/evidence.md), once per commit, through
 * signature.c. The walk notes only a signature's kind; the verdict depends
 * on the site's keys, so it is made on every load and never cached. */
#include "buf.h"
#include "fs.h"
#include "map.h"
#include "signature.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "history_int.h"

/* Reads one of the site's key files (NULL: not configured) into out, inside
 * the site and under limits.file_bytes; a file that cannot be read is
 * reported (its id says why) and leaves out empty, so every signature
 * reads as not verified. */
static void read_keys(buf *out, const site *s, const char *rel, diags *d)
{
    if (rel &&
        fs_read_source(out, &s->fs, rel, s->cfg.limits.file_bytes, "limits.file_bytes", d) != 0)
        buf_reset(out);
}

static void set_verdict(hist_row *r, const sig_result *v)
{
    r->sig_state = v->state == SIG_VERIFIED     ? HSIG_VERIFIED
                   : v->state == SIG_UNVERIFIED ? HSIG_UNVERIFIED
                                                : HSIG_UNSIGNED;
    if (v->kind[0])
        memcpy(r->sig_kind, v->kind, sizeof r->sig_kind);
    free(r->sig_key);
    free(r->sig_signer);
    free(r->sig_why);
    r->sig_key = v->key ? xstrdup(v->key) : NULL;
    r->sig_signer = v->signer ? xstrdup(v->signer) : NULL;
    r->sig_why = v->why ? xstrdup(v->why) : NULL;
}

void history_verify_signatures(history *h, const site *s, git_repository *repo, diags *d)
{
    sig_verifier *v = NULL;
    map *done = map_new(); /* commit hex -> index + 1 into results */
    sig_result *results = NULL;
    size_t n_results = 0;
    buf keyring, allowed;
    buf_init(&keyring);
    buf_init(&allowed);
    for (size_t i = 0; i < h->n_pages; i++)
        for (size_t j = 0; j < h->raw[i].n; j++) {
            hist_row *r = &h->raw[i].rows[j].row;
            if (r->kind != HIST_COMMIT || !r->sig_kind[0])
                continue;
            intptr_t k = (intptr_t)map_get(done, r->commit);
            if (!k) {
                if (!v) {
                    read_keys(&keyring, s, s->cfg.keyring, d);
                    read_keys(&allowed, s, s->cfg.allowed_signers, d);
                    v = signature_verifier_new(keyring.data, keyring.len, allowed.data,
                                               allowed.len);
                }
                results = xrealloc(results, (n_results + 1) * sizeof *results);
                sig_result *res = &results[n_results];
                memset(res, 0, sizeof *res);
                git_buf armor = GIT_BUF_INIT, data = GIT_BUF_INIT;
                git_oid id;
                if (!v) {
                    res->state = SIG_UNVERIFIED;
                    res->why = xstrdup("no temporary folder to verify in");
                } else if (git_oid_fromstr(&id, r->commit) != 0 ||
                           git_commit_extract_signature(&armor, &data, repo, &id, NULL) != 0) {
                    res->state = SIG_UNVERIFIED;
                    res->why = xstrdup("the signature cannot be read");
                } else {
                    signature_verify(v, res, armor.ptr, armor.size, data.ptr, data.size);
                }
                git_buf_dispose(&armor);
                git_buf_dispose(&data);
                k = (intptr_t)++n_results;
                map_put(done, r->commit, (void *)k);
            }
            set_verdict(r, &results[k - 1]);
        }
    for (size_t i = 0; i < n_results; i++)
        sig_result_release(&results[i]);
    free(results);
    map_free(done);
    signature_verifier_free(v);
    buf_release(&keyring);
    buf_release(&allowed);
}
