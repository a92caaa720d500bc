#!/bin/sh
# make-signed-repo.sh DIR: a git repository in DIR/repo (DIR new or empty)
# holding a tiny charter site whose one page was changed by six commits, each
# signed a different way (issue 14): plain, OpenPGP by a key of the site's
# keyring, OpenPGP by a key outside it, SSH by an allowed signer, SSH by a key
# not allowed, unsigned. Keys are made at run time; HOME, GNUPGHOME and git's
# configuration are kept inside DIR, and dates are pinned. Prints
# `<commit id> <expected>` for each commit, oldest first, expected being
# verified, unverified or unsigned.
set -eu

[ $# -eq 1 ] || {
    echo "usage: make-signed-repo.sh DIR" >&2
    exit 2
}
mkdir -p "$1"
dir=$(cd "$1" && pwd)
[ -z "$(ls -A "$dir")" ] || {
    echo "make-signed-repo.sh: '$dir' is not empty" >&2
    exit 2
}

export HOME="$dir/home" GNUPGHOME="$dir/gnupg" GIT_CONFIG_NOSYSTEM=1 GIT_CEILING_DIRECTORIES="$dir"
export GIT_AUTHOR_NAME=Alice GIT_AUTHOR_EMAIL=alice@example.com GIT_COMMITTER_NAME=Alice
export GIT_COMMITTER_EMAIL=alice@example.com LC_ALL=C TZ=UTC
unset SSH_AUTH_SOCK GPG_AGENT_INFO GIT_DIR GIT_WORK_TREE
mkdir -p "$HOME" "$dir/ssh"
mkdir -m 700 "$GNUPGHOME"
# The agent that signs for git lives in GNUPGHOME: stop it however we end.
trap 'gpgconf --homedir "$GNUPGHOME" --kill all >/dev/null 2>&1 || :' EXIT

# gpg's chatter (trustdb notes) goes to DIR/gpg.log, shown when it fails.
gpg_() {
    gpg --quiet --batch --pinentry-mode loopback --passphrase '' "$@" 2>>"$dir/gpg.log" || {
        cat "$dir/gpg.log" >&2
        return 1
    }
}
fingerprint() {
    gpg --batch --with-colons --fingerprint "$1" 2>>"$dir/gpg.log" | awk -F: '$1 == "fpr" { print $10; exit }'
}
gpg_ --quick-gen-key 'Alice <alice@example.com>' ed25519 sign never
gpg_ --quick-gen-key 'Mallory <mallory@example.com>' ed25519 sign never
alice=$(fingerprint alice@example.com)
mallory=$(fingerprint mallory@example.com)
ssh-keygen -q -t ed25519 -N '' -C alice@example.com -f "$dir/ssh/alice"
ssh-keygen -q -t ed25519 -N '' -C bob@example.com -f "$dir/ssh/bob"

repo="$dir/repo"
mkdir -p "$repo/content" "$repo/keys"
git -C "$repo" init -q -b main
gpg_ --armor --export "$alice" >"$repo/keys/approvers.asc"
printf 'alice@example.com namespaces="git" %s\n' "$(cat "$dir/ssh/alice.pub")" \
    >"$repo/keys/allowed_signers"
cat >"$repo/site.yml" <<'EOF'
title: Signed
content: content
evidence:
  keyring: keys/approvers.asc
  allowed_signers: keys/allowed_signers
EOF

# page VERSION: content/policy.md at that version.
page() {
    cat >"$repo/content/policy.md" <<EOF
---
title: Access policy
owner: Head of Security
last_reviewed: 2026-05-01
version: "$1"
---

Access to production is granted by the Head of Security, version $1.
EOF
}

n=0
# commit EXPECTED MESSAGE [GIT OPTIONS...]: the page at the next version,
# committed with the options given (-S and its configuration) at a pinned
# date a day after the last.
commit() {
    expected=$1 message=$2
    shift 2
    n=$((n + 1))
    page "1.$((n - 1))"
    GIT_AUTHOR_DATE="2026-05-0${n}T10:00:00Z" GIT_COMMITTER_DATE="2026-05-0${n}T10:00:00Z" \
        git -C "$repo" -c gpg.program=gpg "$@" commit -q -a -m "$message" >/dev/null
    echo "$(git -C "$repo" rev-parse HEAD) $expected"
}

page 1.0
git -C "$repo" add site.yml content keys
n=0
commit unsigned "Add the access policy"
commit verified "Sign with the approvers' OpenPGP key" -c user.signingkey="$alice" -c commit.gpgsign=true
commit unverified "Sign with an OpenPGP key outside the keyring" -c user.signingkey="$mallory" \
    -c commit.gpgsign=true
commit verified "Sign with an allowed SSH key" -c gpg.format=ssh -c user.signingkey="$dir/ssh/alice" \
    -c commit.gpgsign=true
commit unverified "Sign with an SSH key that is not allowed" -c gpg.format=ssh \
    -c user.signingkey="$dir/ssh/bob" -c commit.gpgsign=true
commit unsigned "Change the policy without signing"
