/* history_sign: verifies the signatures of the commits in the pages'
 * histories against the keys the site names (evidence.keyring,
 * evidence.allowed_signers; docs/evidence.md), once per commit, through
 * signature.c. The walk notes only a signature's kind; the verdicts depend
 * on the site's keys, so they are kept in <git dir>/charter/signatures.cache
 * under the digest of both files (and of charter): an SSH verdict costs
 * three runs of ssh-keygen, and a site whose every commit is signed would
 * pay them on every build. */
#include "buf.h"
#include "digest.h"
#include "fs.h"
#include "map.h"
#include "signature.h"

#include <stdint.h>
#include <stdio.h>
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

#define SIGN_CACHE_MAGIC "charter-signatures 1"

/* The key of the cache: charter itself, the keyring and the allowed
 * signers (each with its length, so that no two pairs collide). */
static void keys_digest(char hex[DIGEST_HEX], const buf *keyring, const buf *allowed)
{
    digest *dg = digest_new();
    char len[32];
    digest_add(dg, digest_self(), strlen(digest_self()));
    snprintf(len, sizeof len, "\n%zu\n", keyring->len);
    digest_add(dg, len, strlen(len));
    digest_add(dg, keyring->data, keyring->len);
    snprintf(len, sizeof len, "\n%zu\n", allowed->len);
    digest_add(dg, len, strlen(len));
    digest_add(dg, allowed->data, allowed->len);
    digest_hex(dg, hex);
    digest_free(dg);
}

static char *field(const char *f)
{
    return strcmp(f, "-") ? history_cache_unescape(f, strlen(f)) : NULL;
}

/* Reads the cache at path made with keys `key` into verdicts (commit ->
 * a new sig_result); anything unexpected leaves it empty. */
static void cache_read(map *verdicts, const char *path, const char *key)
{
    buf text;
    buf_init(&text);
    diags *quiet = diag_new(NULL);
    if (fs_read_nofollow(&text, path, path, quiet) != 0)
        goto done;
    char *save = NULL;
    char *line = strtok_r(text.data, "\n", &save);
    char want[sizeof SIGN_CACHE_MAGIC + DIGEST_HEX + 1];
    snprintf(want, sizeof want, "%s\t%s", SIGN_CACHE_MAGIC, key);
    if (!line || strcmp(line, want) != 0)
        goto done;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *f[6];
        size_t n = 0;
        for (char *p = line; n < 6; n++) {
            f[n] = p;
            char *t = strchr(p, '\t');
            if (!t) {
                n++;
                break;
            }
            *t = '\0';
            p = t + 1;
        }
        if (n != 6 || strlen(f[0]) != 40 || strlen(f[1]) != 1 || f[1][0] < '0' || f[1][0] > '2' ||
            strlen(f[2]) >= sizeof((sig_result *)0)->kind)
            continue;
        sig_result *r = xcalloc(1, sizeof *r);
        r->state = (sig_state)(f[1][0] - '0');
        if (strcmp(f[2], "-"))
            strcpy(r->kind, f[2]);
        r->key = field(f[3]);
        r->signer = field(f[4]);
        r->why = field(f[5]);
        sig_result *old = map_put(verdicts, f[0], r);
        if (old) {
            sig_result_release(old);
            free(old);
        }
    }
done:
    diag_free(quiet);
    buf_release(&text);
}

static void put_field(buf *out, const char *s)
{
    buf_addc(out, '\t');
    if (s)
        history_cache_escape(out, s);
    else
        buf_addc(out, '-');
}

static void free_verdict(void *ctx, const char *k, void *v)
{
    (void)ctx;
    (void)k;
    sig_result_release(v);
    free(v);
}

void history_verify_signatures(history *h, const site *s, git_repository *repo,
                               const char *cache_dir, diags *d)
{
    sig_verifier *v = NULL;
    map *earlier = map_new(); /* commit -> sig_result, from the cache */
    map *done = map_new();    /* commit -> index + 1 into results */
    sig_result *results = NULL;
    size_t n_results = 0;
    int keys_read = 0, fresh = 0;
    char key[DIGEST_HEX];
    buf keyring, allowed, path, out;
    buf_init(&keyring);
    buf_init(&allowed);
    buf_init(&path);
    buf_init(&out);
    for (size_t i = 0; i < h->n_pages; i++)
        for (size_t j = 0; j < h->raw[i].n; j++) {
            hist_row *r = &h->raw[i].rows[j].row;
            if (r->kind != HIST_COMMIT || !r->sig_kind[0])
                continue;
            intptr_t k = (intptr_t)map_get(done, r->commit);
            if (!k) {
                if (!keys_read) {
                    keys_read = 1;
                    read_keys(&keyring, s, s->cfg.keyring, d);
                    read_keys(&allowed, s, s->cfg.allowed_signers, d);
                    keys_digest(key, &keyring, &allowed);
                    if (cache_dir) {
                        buf_printf(&path, "%s/signatures.cache", cache_dir);
                        cache_read(earlier, path.data, key);
                    }
                }
                results = xgrow(results, n_results, sizeof *results);
                sig_result *res = &results[n_results];
                memset(res, 0, sizeof *res);
                const sig_result *known = map_get(earlier, r->commit);
                git_buf armor = GIT_BUF_INIT, data = GIT_BUF_INIT;
                git_oid id;
                if (known) {
                    *res = *known;
                    res->key = known->key ? xstrdup(known->key) : NULL;
                    res->signer = known->signer ? xstrdup(known->signer) : NULL;
                    res->why = known->why ? xstrdup(known->why) : NULL;
                } else {
                    fresh = 1;
                    if (!v)
                        v = signature_verifier_new(keyring.data, keyring.len, allowed.data,
                                                   allowed.len);
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
                }
                git_buf_dispose(&armor);
                git_buf_dispose(&data);
                k = (intptr_t)++n_results;
                map_put(done, r->commit, (void *)k);
                buf_printf(&out, "%s\t%d\t%s", r->commit, (int)res->state,
                           res->kind[0] ? res->kind : "-");
                put_field(&out, res->key);
                put_field(&out, res->signer);
                put_field(&out, res->why);
                buf_addc(&out, '\n');
            }
            set_verdict(r, &results[k - 1]);
        }
    /* The verdicts of this history only, so the cache does not grow. */
    if (fresh && path.len) {
        buf file;
        buf_init(&file);
        buf_printf(&file, "%s\t%s\n", SIGN_CACHE_MAGIC, key);
        buf_add(&file, out.data, out.len);
        fs_write_cache(path.data, file.data, file.len, "history", d);
        buf_release(&file);
    }
    for (size_t i = 0; i < n_results; i++)
        sig_result_release(&results[i]);
    free(results);
    map_each(earlier, free_verdict, NULL);
    map_free(earlier);
    map_free(done);
    signature_verifier_free(v);
    buf_release(&keyring);
    buf_release(&allowed);
    buf_release(&path);
    buf_release(&out);
}
