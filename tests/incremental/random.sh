#!/bin/sh
# Random edit sequences: the incremental build must equal the cold build
# (run.sh's check, steps.sh) after each of STEPS edits drawn from SEED on
# the same fixture repository: a page's body, a heading, a link, its title,
# owner, approver, version, status, review date, cited controls, tags,
# description, next review, review cycle or weight; a page titled by its
# opening heading, or its front matter in TOML; a page added, deleted or
# renamed; a layout, an include, site.yml's description, review cycle and
# sections, a catalog's control title, a control's applicability, the
# stylesheet; a commit (with approval trailers, or amending the last), a
# branch merged, the branch reset a commit back, a file touched unchanged,
# a symbolic link in place of a page (to a page, or out of the
# repository), bytes that are not UTF-8, every change undone, and another
# --as-of day.
# Edits may break the site (a link to a page deleted, a control no catalog
# has): both builds must then fail alike, the kept output unchanged.
#
#   CHARTER=$PWD/build/charter SEED=7 STEPS=60 sh tests/incremental/random.sh
#   CHARTER=$PWD/build/charter FIXTURE=hugo-plain sh tests/incremental/random.sh
#
# FIXTURE (steps.sh) is the example site by default, or a repository shaped
# like users' (tests/repos/: jekyll-isms, comply-soc2, docusaurus-iso,
# hugo-plain), built --no-check; an edit of a file such a repository does
# not have changes nothing, and is a step all the same.
#
# The same SEED and STEPS give the same sequence on every machine (the
# numbers come from a generator of its own, the commits are pinned), so a
# failing step is reproduced by running the sequence up to it again. `make
# test` runs SEED=1 on the example site and on jekyll-isms; `make
# check-random` more (RANDOM_SEEDS, RANDOM_STEPS, RANDOM_FIXTURES).
# Prints `ok N - what` per step, `1..N` and a summary; exits 1 when a step
# failed. KEEP=1 keeps the temporary directory.
set -u
here=$(cd "$(dirname "$0")" && pwd)
SEED=${SEED:-1}
STEPS=${STEPS:-40}
. "$here/steps.sh"
echo "# FIXTURE=$FIXTURE SEED=$SEED STEPS=$STEPS"

# rnd N: r, a number in [0, N) (0 when N is 0), from a linear congruential
# generator (the constants of C's example rand) seeded with SEED: the high
# bits.
state=$SEED
rnd() {
    state=$(((state * 1103515245 + 12345) % 2147483648))
    r=$(((state / 65536) % ($1 > 0 ? $1 : 1)))
}

# pick: p, a page of content/ (index.md and about.md aside), or of a real
# repository any Markdown file (one that is not a page included), by rnd;
# empty when every one is gone (the step's edit then changes nothing).
pick() {
    if [ "$FIXTURE" = example ]; then
        find content -name '*.md' ! -name index.md ! -name about.md
    else
        find . -path ./.git -prune -o \( -name '*.md' -o -name '*.markdown' -o -name '*.mdx' \) \
            -print | sed 's|^\./||'
    fi | sort >"$tmp/pages"
    count=$(wc -l <"$tmp/pages")
    rnd "$count"
    p=$(sed -n "$((r + 1))p" "$tmp/pages")
}

# set_field FILE KEY VALUE: the front matter's KEY line, replaced (or added
# after the title).
set_field() {
    if grep -q "^$2:" "$1"; then
        run edit "$1" "s|^$2:.*|$2: $3|"
    else
        run edit "$1" "s|^title:.*|&\\n$2: $3|"
    fi
}

# choose WORD...: c, one of the words, by rnd.
choose() {
    rnd $#
    shift "$r"
    c=$1
}
# word: w, a word for a text.
word() {
    choose access backup change data encryption incident log network owner risk supplier training
    w=$c
}

people="Alice Lindqvist <alice@larkspur.example>|Bob Okafor <bob@larkspur.example>|Chen Wei <chen@larkspur.example>"

base=$(g rev-parse HEAD)
step=0
while [ "$step" -lt "$STEPS" ]; do
    step=$((step + 1))
    day=$asof
    rnd 100
    op=$r
    # After a failing build, half the time the site is mended, so that a
    # sequence does not stay broken: its changes since the last commit
    # undone, or when there are none, its files as the fixture had them,
    # committed.
    if [ "${last:-0}" != 0 ]; then
        rnd 2
        [ "$r" = 1 ] || op=1000
        [ "$op" != 1000 ] || [ -n "$(g status --porcelain)" ] || op=2000
    fi
    begin "step $step"
    if [ "$op" -lt 14 ]; then
        pick
        word
        what="append a paragraph to $p"
        run sh -c 'printf "\nA %s paragraph added in step %s.\n" "$1" "$2" >>"$3"' sh "$w" "$step" "$p"
    elif [ "$op" -lt 18 ]; then
        pick
        word
        what="add a heading to $p"
        run sh -c 'printf "\n## %s heading %s\n\nText.\n" "$1" "$2" >>"$3"' sh "$w" "$step" "$p"
    elif [ "$op" -lt 22 ]; then
        pick
        from=$p
        pick
        what="link $from to $p"
        run sh -c 'printf "\nSee [the other policy](%s).\n" "$1" >>"$2"' sh \
            "$(realpath -m --relative-to="$(dirname "$from")" "$p")" "$from"
    elif [ "$op" -lt 28 ]; then
        pick
        what="retitle $p"
        run edit "$p" "s|^title: \\(.*\\)|title: \\1 $step|"
    elif [ "$op" -lt 31 ]; then
        pick
        rnd 3
        what="change the owner of $p"
        set_field "$p" owner "Owner $r"
    elif [ "$op" -lt 33 ]; then
        pick
        what="change the approver of $p"
        set_field "$p" approver "Approver $step"
    elif [ "$op" -lt 36 ]; then
        pick
        rnd 9
        what="set the version of $p"
        set_field "$p" version "\"2.$r\""
    elif [ "$op" -lt 38 ]; then
        pick
        choose approved draft retired
        what="set the status of $p to $c"
        set_field "$p" status "$c"
    elif [ "$op" -lt 42 ]; then
        pick
        rnd 20
        what="set the last review of $p"
        set_field "$p" last_reviewed "$(date -u -d "2026-11-20 - $((r * 28)) days" +%Y-%m-%d)"
    elif [ "$op" -lt 46 ]; then
        pick
        rnd 8
        a=A.5.$((r + 1))
        rnd 34
        b=A.8.$((r + 1))
        rnd 10
        # One time in ten a control no catalog has: a finding.
        [ "$r" != 0 ] || b=A.9.99
        what="cite $a and $b in $p"
        set_field "$p" controls "[$a, $b]"
    elif [ "$op" -lt 48 ]; then
        pick
        word
        what="tag $p with $w"
        set_field "$p" tags "[$w]"
    elif [ "$op" -lt 52 ]; then
        pick
        new=$(dirname "$p")/added-$step.md
        what="add $new"
        run sh -c 'printf -- "---\ntitle: Added policy %s\nowner: Owner %s\nlast_reviewed: 2026-06-01\ncontrols: [A.5.1]\n---\n\n## Purpose\n\nAdded in step %s.\n" "$1" "$1" "$1" >"$2"' sh "$step" "$new"
    elif [ "$op" -lt 54 ]; then
        pick
        what="delete $p"
        run rm "$p"
    elif [ "$op" -lt 56 ]; then
        pick
        what="rename $p"
        run g mv "$p" "${p%.md}-$step.md"
    elif [ "$op" -lt 59 ]; then
        choose policy.html _includes/footer.html home.html
        what="edit the layout $c"
        run sh -c 'printf "<!-- step %s -->\n" "$1" >>"$2"' sh "$step" "layouts/$c"
    elif [ "$op" -lt 61 ]; then
        what="edit site.yml's description"
        run edit site.yml "s|^description: .*|description: The security policies, as of step $step.|"
    elif [ "$op" -lt 63 ]; then
        rnd 8
        what="retitle control A.5.$((r + 1)) in the catalog"
        run sed -i "/- id: A.5.$((r + 1))\$/{n;s/title: \\(.*\\)/title: \\1 ($step)/}" controls/iso27001-2022.yml
    elif [ "$op" -lt 64 ]; then
        what="edit the stylesheet"
        run sh -c 'f=$(find assets -name "*.css" | sort | head -n 1); printf "/* step %s */\n" "$1" >>"$f"' sh "$step"
    elif [ "$op" -lt 80 ]; then
        rnd 3
        who=$(echo "$people" | cut -d '|' -f $((r + 1)))
        rnd 3
        case $r in
        0) msg="Step $step" ;;
        1) msg="Step $step

Approved-by: Dana Reyes <dana@larkspur.example>" ;;
        *) msg="Step $step

Reviewed-by: Bob Okafor <bob@larkspur.example>" ;;
        esac
        what="commit everything as ${who% <*}"
        run g add -A
        g diff --cached --quiet && what="$what (nothing to commit)" ||
            run commit "$who" "$at" "$msg"
    elif [ "$op" -lt 82 ]; then
        what="amend the last commit"
        run g add -A
        run commit "$ALICE" "$at" "Amended in step $step" --amend
    elif [ "$op" -lt 83 ]; then
        # A pull request: a branch with the changes and a commit more,
        # merged (--no-ff) as a merge button does.
        pick
        word
        main=$(g rev-parse --abbrev-ref HEAD)
        what="merge a branch that edits $p"
        run g checkout -q -b "side-$step"
        run sh -c 'printf "\nA %s paragraph from a branch, step %s.\n" "$1" "$2" >>"$3"' sh "$w" "$step" "$p"
        run g add -A
        run commit "$BOB" "$at" "Step $step on a branch

Co-authored-by: Chen Wei <chen@larkspur.example>"
        run g checkout -q "$main"
        run env GIT_AUTHOR_NAME=Merger GIT_AUTHOR_EMAIL=merge@ci.example GIT_AUTHOR_DATE="$at" \
            GIT_COMMITTER_NAME=Merger GIT_COMMITTER_EMAIL=merge@ci.example GIT_COMMITTER_DATE="$at" \
            git -c commit.gpgsign=false merge -q --no-ff -m "Merge side-$step

Approved-by: Dana Reyes <dana@larkspur.example>" "side-$step"
    elif [ "$op" -lt 84 ]; then
        what="reset the branch to the commit before its last (history rewritten)"
        g rev-parse -q --verify HEAD~1 >/dev/null && run g reset -q --hard HEAD~1 ||
            what="$what: there is none"
    elif [ "$op" -lt 85 ]; then
        pick
        what="touch $p unchanged"
        run touch "$p"
    elif [ "$op" -lt 86 ]; then
        pick
        word
        what="describe $p"
        set_field "$p" description "\"A policy on $w, step $step.\""
    elif [ "$op" -lt 87 ]; then
        pick
        rnd 300
        what="pin the next review of $p"
        set_field "$p" next_review "$(date -u -d "2026-10-01 + $r days" +%Y-%m-%d)"
    elif [ "$op" -lt 88 ]; then
        pick
        choose "6 months" "12 months" "2 years"
        what="give $p a review cycle of $c"
        set_field "$p" review_cycle "$c"
    elif [ "$op" -lt 89 ]; then
        choose "12 months" "9 months"
        what="set site.yml's review cycle to $c"
        run sed -i "s/^  cycle: .*/  cycle: $c/" site.yml
    elif [ "$op" -lt 90 ]; then
        choose "Governance, People, Technology, Operations" "Operations, Technology, People, Governance"
        what="order site.yml's sections: $c"
        run sed -i "s/^sections: .*/sections: [$c]/" site.yml
    elif [ "$op" -lt 91 ]; then
        rnd 8
        what="toggle the applicability of A.7.$((r + 1))"
        run sed -i "/^A.7.$((r + 1)):\$/{n;s/applicable: true/applicable: X/;s/applicable: false/applicable: true/;s/applicable: X/applicable: false/}" controls/applicability.yml
    elif [ "$op" -lt 92 ]; then
        rnd 60
        day=$(date -u -d "$asof + $r days" +%Y-%m-%d)
        what="build as of $day"
    elif [ "$op" -lt 93 ]; then
        # Careless or hostile input: a link in place of a page, to another
        # page or out of the repository. Neither build may read through it.
        pick
        rnd 2
        if [ "$r" = 0 ]; then
            target=$(basename "$p")
        else
            target=/etc/hostname
        fi
        what="add a symbolic link to $target beside $p"
        run ln -s "$target" "$(dirname "$p")/link-$step.md"
    elif [ "$op" -lt 94 ]; then
        pick
        what="append bytes that are not UTF-8 to $p"
        run sh -c 'printf "\nBad \377\376 bytes.\n" >>"$1"' sh "$p"
    elif [ "$op" -lt 96 ]; then
        # A page's place in its section (weight): every page of the
        # section may move in the navigation.
        pick
        rnd 4
        what="give $p the weight $r"
        set_field "$p" weight "$r"
    elif [ "$op" -lt 97 ]; then
        # A page titled by its opening heading: its title: line gone, a
        # heading first in its body (kept in the load cache's entry).
        pick
        word
        what="title $p by an opening heading on $w"
        run sed -i "/^title:/d" "$p"
        awk -v h="# On $w, step $step" 'n == 1 && !done && /^---/ { print; print h; done = 1; next }
            /^---/ { n++ } { print }' "$p" >"$tmp/page" && run cp "$tmp/page" "$p"
    elif [ "$op" -lt 98 ]; then
        # Hugo's TOML front matter for a page (to_toml, steps.sh).
        pick
        what="write $p's front matter in TOML"
        to_toml "$p"
    elif [ "$op" -lt 2000 ]; then
        what="undo every change since the last commit"
        run g reset -q --hard
        run g clean -fdq
    else
        what="put every file back as the fixture had it, and commit"
        run g rm -rq --cached .
        run g clean -fdq
        run g checkout "$base" -- .
        run g add -A
        run commit "$BOB" "$at" "Step $step: back to the fixture's files"
    fi
    # An edit that changed nothing (a value drawn again) is a step all the
    # same.
    if [ -n "$setup" ]; then
        what="$what: it changed nothing"
        setup=
    fi
    what="$what (step $step)"
    build any "$day"
    [ "$last" = 0 ] || echo "#   both builds exited $last"
done

finish random
