# Shared set-up of the fixture repository scripts in tests/repos/, sourced by
# each <kind>.sh. It checks the target directory, isolates git from the
# caller's configuration (as tests/history/make-repos.sh does) and pins every
# author, committer, date, time zone and locale, so that each script makes the
# same commits, with the same ids, on every machine and every run.

# repo_init NAME TARGET: create TARGET (absent or empty), `git init` it and
# cd into it. Exits 2 on a usage error.
repo_init() {
    if [ $# -ne 2 ]; then
        echo "usage: $1.sh TARGET" >&2
        exit 2
    fi
    mkdir -p "$2"
    target=$(cd "$2" && pwd)
    if [ -n "$(ls -A "$target")" ]; then
        echo "$1.sh: '$target' is not empty" >&2
        exit 2
    fi
    # HOME lives outside the repository so that `git add -A` never sees it.
    fixture_home=$(mktemp -d "${TMPDIR:-/tmp}/charter-repos.XXXXXX")
    trap 'rm -rf "$fixture_home"' EXIT
    HOME=$fixture_home
    XDG_CONFIG_HOME=$HOME/.config
    GIT_CONFIG_NOSYSTEM=1
    GIT_CONFIG_GLOBAL=$HOME/.gitconfig
    GIT_CEILING_DIRECTORIES=$(dirname "$target")
    export HOME XDG_CONFIG_HOME GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL GIT_CEILING_DIRECTORIES
    unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
        GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_NAMESPACE GIT_COMMON_DIR \
        GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE \
        GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE 2>/dev/null || true
    mkdir -p "$XDG_CONFIG_HOME"
    printf '[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n' >"$GIT_CONFIG_GLOBAL"
    TZ=UTC
    LC_ALL=C
    export TZ LC_ALL
    umask 022
    g init -q "$target"
    cd "$target"
}

g() {
    git -c init.defaultBranch=main -c core.autocrlf=false -c core.fileMode=true \
        -c commit.gpgsign=false -c tag.gpgsign=false -c advice.detachedHead=false "$@"
}

# commit NAME EMAIL DATE SUBJECT [BODY_LINE...]: stage everything and commit
# it, authored and committed by NAME on DATE (ISO 8601 with its offset).
commit() {
    c_name=$1 c_email=$2 c_date=$3
    shift 3
    printf '%s\n' "$@" >"$fixture_home/msg"
    g add -A
    GIT_AUTHOR_NAME=$c_name GIT_AUTHOR_EMAIL=$c_email GIT_AUTHOR_DATE=$c_date \
        GIT_COMMITTER_NAME=$c_name GIT_COMMITTER_EMAIL=$c_email GIT_COMMITTER_DATE=$c_date \
        g commit -q --no-verify --cleanup=verbatim -F "$fixture_home/msg"
}

# merge NAME EMAIL DATE BRANCH SUBJECT [BODY_LINE...]: a --no-ff merge of
# BRANCH as GitHub's merge button writes it (committed by GitHub).
merge() {
    c_name=$1 c_email=$2 c_date=$3 c_branch=$4
    shift 4
    printf '%s\n' "$@" >"$fixture_home/msg"
    GIT_AUTHOR_NAME=$c_name GIT_AUTHOR_EMAIL=$c_email GIT_AUTHOR_DATE=$c_date \
        GIT_COMMITTER_NAME=GitHub GIT_COMMITTER_EMAIL=noreply@github.com \
        GIT_COMMITTER_DATE=$c_date \
        g merge -q --no-ff --no-verify --no-edit -F "$fixture_home/msg" "$c_branch"
}

# edit FILE SED_SCRIPT: edit FILE in place with sed (portable, no sed -i).
edit() {
    sed "$2" "$1" >"$1.tmp"
    mv "$1.tmp" "$1"
}
