# Shared by make-fixture.sh and run.sh (sourced, not run): git isolated from
# the user's and the system's configuration, and commits whose names, emails
# and dates are pinned, so the fixture and every step's commit ids are the
# same on every machine. Set $work (the fixture's work directory) first.

HOME=$work/home
XDG_CONFIG_HOME=$HOME/.config
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL=$HOME/.gitconfig
GIT_CEILING_DIRECTORIES=$work
TZ=UTC
umask 022
LC_ALL=C
export HOME XDG_CONFIG_HOME GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL GIT_CEILING_DIRECTORIES TZ LC_ALL
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES \
    GIT_NAMESPACE GIT_COMMON_DIR GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE \
    GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE 2>/dev/null || true
mkdir -p "$XDG_CONFIG_HOME"
printf '[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n' >"$GIT_CONFIG_GLOBAL"

g() { git -c init.defaultBranch=main -c core.autocrlf=false -c commit.gpgsign=false \
    -c advice.detachedHead=false "$@"; }

# commit WHO DATE MESSAGE [git commit options...]: commits what is staged (or
# what the options say), as WHO ("Name <email>"), authored and committed at
# DATE (ISO 8601, UTC). MESSAGE may hold trailers after a blank line.
commit() {
    c_who=$1 c_date=$2 c_msg=$3
    shift 3
    GIT_AUTHOR_NAME=${c_who% <*} GIT_AUTHOR_EMAIL=$(echo "$c_who" | sed 's/.*<\(.*\)>/\1/') \
        GIT_AUTHOR_DATE=$c_date GIT_COMMITTER_NAME="Fixture Bot" \
        GIT_COMMITTER_EMAIL=bot@ci.example GIT_COMMITTER_DATE=$c_date \
        g commit -q --no-verify --cleanup=verbatim -m "$c_msg" "$@"
}

# edit FILE SED_SCRIPT: edits FILE in place with sed and fails (status 1, a
# message on stderr) when nothing changed, so a step whose line has gone from
# the example site says so instead of silently testing nothing.
edit() {
    cp "$1" "$work/edit.before"
    sed "$2" "$work/edit.before" >"$1"
    if cmp -s "$1" "$work/edit.before"; then
        echo "edit: '$2' changed nothing in '$1'" >&2
        return 1
    fi
}
