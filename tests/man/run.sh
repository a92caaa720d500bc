#!/bin/sh
# charter(1), the bash and zsh completions and `make install` (docs/install.md).
# The man page in BUILD_DIR is what `charter help --man` writes, groff reads
# it without a warning, and it names every command and, in each command's
# section, every option `charter <cmd> --help` lists. The bash completion,
# sourced in `bash --norc`, completes commands, each command's options (from
# its --help), the choices of --format and paths after --site; the zsh one
# parses (when zsh is installed) and names every command and option.
# `make install` into a DESTDIR puts the four files where they belong and
# `make uninstall` removes them. Needs CHARTER and BUILD_DIR (the folder
# holding charter, charter.1, charter.bash and _charter).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
: "${BUILD_DIR:?set BUILD_DIR to the build folder}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
case $BUILD_DIR in /*) ;; *) BUILD_DIR=$(pwd)/$BUILD_DIR ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-man.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
. "$top/tests/lib.sh"
man=$BUILD_DIR/charter.1
bashc=$BUILD_DIR/charter.bash
zshc=$BUILD_DIR/_charter

# The commands, from the overview, and each one's options, from its --help.
commands=$("$CHARTER" --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
check "the overview lists commands" test -n "$commands"
options() { "$CHARTER" "$1" --help | sed -n 's/^  \(--[a-z][a-z0-9-]*\).*/\1/p'; }

# --- the man page ---------------------------------------------------------------
"$CHARTER" help --man >"$tmp/charter.1"
check "the built man page is what 'charter help --man' writes" cmp "$man" "$tmp/charter.1"
if command -v groff >/dev/null 2>&1; then
    groff -ww -man -Tutf8 "$man" >"$tmp/man.txt" 2>"$tmp/groff.err"
    check "groff -ww reads the man page without a warning" test ! -s "$tmp/groff.err" -a -s "$tmp/man.txt"
else
    not_ok "groff is installed (scripts/install-deps.sh --test)"
fi
check "the man page's title is charter(1)" grep -q '^\.TH CHARTER 1 ' "$man"
missing=
for c in $commands; do
    # The command's section: from its .SS line to the next heading.
    sed -n "/^\\.SS $c\$/,/^\\.S[SH] /p" "$man" >"$tmp/section"
    if [ ! -s "$tmp/section" ]; then
        missing="$missing $c"
        continue
    fi
    for o in $(options "$c"); do
        roff=$(printf '%s' "$o" | sed 's/-/\\-/g')
        grep -qF "\\fB$roff\\fR" "$tmp/section" || missing="$missing $c:$o"
    done
done
check "the man page has a section for every command naming each of its options" test -z "$missing"
[ -z "$missing" ] || echo "#   missing:$missing"
check "no line of the man page starts with an unescaped control character by accident" \
    sh -c "! grep -n \"^'\" '$man'"

# --- bash -----------------------------------------------------------------------
# complete WORDS...: what the completion offers for the last word (the word
# being completed; '' for an empty one), one per line, sorted.
complete_bash() {
    CWORD=$(($# - 1)) bash --norc --noprofile -c '
        . "$0"
        COMP_WORDS=("$@")
        COMP_CWORD=$CWORD
        _charter
        printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort' "$bashc" "$@"
}
if command -v bash >/dev/null 2>&1; then
    check "the bash completion parses" bash -n "$bashc"
    check "charter b<TAB> completes build" test "$(complete_bash charter b)" = build
    check "charter <TAB> offers every command" \
        test "$(complete_bash charter '' | grep -v '^-' | grep -vx help)" = "$(printf '%s\n' $commands | LC_ALL=C sort)"
    for c in $commands; do
        want=$(options "$c" | LC_ALL=C sort)
        [ -n "$want" ] || want=--help
        got=$(complete_bash charter "$c" --)
        [ "$got" = "$want" ] || missing="$missing $c"
    done
    check "charter <cmd> --<TAB> offers exactly the options of its --help" test -z "$missing"
    check "charter build --<TAB> includes --as-of" sh -c "echo '$(complete_bash charter build --)' | grep -qx -- --as-of"
    check "charter check --format <TAB> offers the formats" \
        test "$(complete_bash charter check --format '' | tr '\n' ' ')" = "github json junit sarif text "
    check "charter check --format=s<TAB> offers sarif" test "$(complete_bash charter check --format = s)" = sarif
    mkdir -p "$tmp/paths/site-a" "$tmp/paths/site-b"
    : >"$tmp/paths/site-file"
    got=$(cd "$tmp/paths" && complete_bash charter build --site si | tr '\n' ' ')
    check "charter build --site si<TAB> offers the directories only" test "$got" = "site-a site-b "
    got=$(cd "$tmp/paths" && complete_bash charter check --output site-f)
    check "charter check --output site-f<TAB> offers the file" test "$got" = site-file
    got=$(cd "$tmp/paths" && complete_bash charter verify si | tr '\n' ' ')
    check "charter verify si<TAB> offers directories" test "$got" = "site-a site-b "
    check "charter build --as-of <TAB> offers nothing" test -z "$(complete_bash charter build --as-of '')"
    check "charter help <TAB> offers the commands" \
        test "$(complete_bash charter help '')" = "$(printf '%s\n' $commands | LC_ALL=C sort)"
else
    not_ok "bash is installed"
fi

# --- zsh ------------------------------------------------------------------------
check "the zsh completion starts with #compdef charter" sh -c "head -n 1 '$zshc' | grep -qx '#compdef charter'"
if command -v zsh >/dev/null 2>&1; then
    check "the zsh completion parses (zsh -n)" zsh -n "$zshc"
else
    echo "# zsh is not installed: the zsh completion is not parsed"
fi
missing=
for c in $commands; do
    grep -q "^        '$c:" "$zshc" || missing="$missing $c"
    for o in $(options "$c"); do
        [ "$o" = --help ] && continue
        grep -q "^                '$o[=[]" "$zshc" || missing="$missing $c:$o"
    done
done
check "the zsh completion names every command and option" test -z "$missing"
[ -z "$missing" ] || echo "#   missing:$missing"

# --- make install / uninstall ---------------------------------------------------
# The files are installed as built (-o: never remade here, even if HEAD
# moved since, which would relink charter in the middle of the test run).
stage=$tmp/stage
built="-o $BUILD_DIR/charter -o $BUILD_DIR/charter.1 -o $BUILD_DIR/charter.bash -o $BUILD_DIR/_charter"
# shellcheck disable=SC2086
make --no-print-directory -C "$top" BUILD="$BUILD_DIR" $built DESTDIR="$stage" PREFIX=/usr install \
    >"$tmp/install.log" 2>&1
check "make install succeeds" test $? -eq 0
(cd "$stage" && find . -type f -printf '%m %p\n' | LC_ALL=C sort) >"$tmp/installed"
cat >"$tmp/want" <<'EOF'
644 ./usr/share/bash-completion/completions/charter
644 ./usr/share/man/man1/charter.1
644 ./usr/share/zsh/vendor-completions/_charter
755 ./usr/bin/charter
EOF
check "make install puts the binary, the man page and both completions under DESTDIR/PREFIX" \
    diff "$tmp/want" "$tmp/installed"
check "the installed man page is the built one" cmp "$man" "$stage/usr/share/man/man1/charter.1"
make --no-print-directory -C "$top" BUILD="$BUILD_DIR" DESTDIR="$stage" PREFIX=/usr uninstall \
    >"$tmp/uninstall.log" 2>&1
check "make uninstall removes every file it installed" test -z "$(find "$stage" -type f)"

echo "man: $n checks, $failed failed"
[ "$failed" -eq 0 ]
