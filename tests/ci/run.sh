#!/bin/sh
# The GitHub Action (action.yml) and the GitLab CI template
# (ci/gitlab-charter.yml) run here, with CHARTER on the PATH in place of the
# steps that install or build it: their shell steps, as the CI systems run
# them (the action's with bash -eo pipefail, inputs and contexts put in;
# the template's script lines in one shell), on the example site committed
# to a repository with a pull request's branch. The SARIF report is written
# and named as the step's output, annotations come out and fail the step on
# errors, fail-on-warnings fails it on warnings, the pull request's change
# lands in the job summary (only with diff: true, only on pull requests),
# and the template writes a JUnit report and fails on errors. Needs CHARTER
# and python3 with yaml.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-ci.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
. "$top/tests/lib.sh"

mkdir "$tmp/bin"
ln -s "$CHARTER" "$tmp/bin/charter"
PATH=$tmp/bin:$PATH

# A repository with the example site under policies/, and a clone of it on
# a pull request's branch (origin/main is the base, as in actions/checkout).
example_repo "$tmp/upstream/policies"
git -C "$tmp/upstream/policies" init -q
mv "$tmp/upstream/policies/.git" "$tmp/upstream/.git"
git -C "$tmp/upstream" add -A
git -C "$tmp/upstream" commit -q -m "policies under policies/"
git clone -q "$tmp/upstream" "$tmp/repo"
git -C "$tmp/repo" checkout -q -b change
page=policies/content/governance/asset-management.md
printf '\nA sentence the pull request adds.\n' >>"$tmp/repo/$page"
git -C "$tmp/repo" commit -q -am "a pull request's change"

# run_action NAME EVENT INPUTS...: the shell steps of action.yml that do not
# install or build charter, in the repository; INPUTS are name=value. Exit
# status of the first step that fails; outputs in $tmp/NAME/.
run_action() {
    name=$1 event=$2
    shift 2
    mkdir -p "$tmp/$name"
    python3 - "$top/action.yml" "$tmp/$name" "$event" "$@" <<'PY'
import os, re, subprocess, sys, yaml
action, out, event = sys.argv[1:4]
inputs = {k: v.get("default", "") for k, v in yaml.safe_load(open(action))["inputs"].items()}
inputs.update(a.split("=", 1) for a in sys.argv[4:])
ctx = {"github.event_name": event, "github.base_ref": "main" if event == "pull_request" else ""}
skip = ("Install charter's build dependencies", "Cache the charter binary", "Build charter",
        "Put charter on the PATH", "Install the charter package", "Upload the SARIF report")
outputs = {}

def value(expr):
    expr = expr.strip()
    m = re.fullmatch(r"inputs\.([\w-]+)", expr)
    if m:
        return inputs[m.group(1)]
    m = re.fullmatch(r"steps\.(\w+)\.outputs\.(\w+)", expr)
    if m:
        return outputs.get(m.group(1), {}).get(m.group(2), "")
    if expr in ctx:
        return ctx[expr]
    m = re.fullmatch(r"'(.*)'", expr)
    if m:
        return m.group(1)
    raise SystemExit("run_action: cannot evaluate %r" % expr)

def holds(cond):
    """The `if:` conditions action.yml uses: a == b, a != b joined by &&."""
    return all((value(a) == value(b)) == (op == "==")
               for a, op, b in (re.fullmatch(r"(.+?)\s*(==|!=)\s*(.+)", c.strip()).groups()
                                for c in cond.split("&&")))

env = dict(os.environ, GITHUB_STEP_SUMMARY=out + "/summary.md", GITHUB_SERVER_URL="https://github.com",
           GITHUB_REPOSITORY="acme/policies", GITHUB_RUN_ID="1")
open(out + "/summary.md", "w").close()
for step in yaml.safe_load(open(action))["runs"]["steps"]:
    if step["name"] in skip or "run" not in step or ("if" in step and not holds(step["if"])):
        continue
    e = dict(env, GITHUB_OUTPUT=out + "/output")
    open(out + "/output", "w").close()
    for k, v in (step.get("env") or {}).items():
        e[k] = re.sub(r"\$\{\{(.*?)\}\}", lambda m: value(m.group(1)), v)
    with open(out + "/" + step["name"].split()[0].lower() + ".log", "a") as log:
        r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                           env=e, stdout=log, stderr=subprocess.STDOUT)
    if "id" in step:
        outputs[step["id"]] = dict(l.split("=", 1) for l in open(out + "/output").read().split())
    if r.returncode:
        sys.exit(r.returncode)
PY
}

cd "$tmp/repo" || exit 2
if run_action clean push site=policies as-of=2026-11-25; then
    ok "action: the example site passes"
else
    not_ok "action: the example site passes" "$(cat "$tmp"/clean/*.log)"
fi
check "action: the SARIF report is written, SARIF 2.1.0" grep -q '"version": *"2.1.0"' charter.sarif
check "action: no job summary without diff: true" test ! -s "$tmp/clean/summary.md"
rm -f charter.sarif

run_action warnings push site=policies as-of=2026-12-20 fail-on-warnings=true
check "action: fail-on-warnings fails on the reviews due soon" test $? -eq 1
check "action: the warning is an annotation" grep -q '^::warning file=policies/content/' "$tmp/warnings/check.log"
run_action lenient push site=policies as-of=2026-12-20
check "action: warnings alone pass without fail-on-warnings" test $? -eq 0
check "action: the SARIF report names the site's files from the root" grep -q '"uri": *"policies/content/' charter.sarif
rm -f charter.sarif

if run_action pr pull_request site=policies as-of=2026-11-25 diff=true; then
    ok "action: a pull request with diff: true passes"
else
    not_ok "action: a pull request with diff: true passes" "$(cat "$tmp"/pr/*.log)"
fi
check "action: the change is in the job summary" grep -q "$(basename "$page" .md)" "$tmp/pr/summary.md"
run_action pr-nodiff pull_request site=policies as-of=2026-11-25
check "action: no job summary on a pull request without diff: true" test ! -s "$tmp/pr-nodiff/summary.md"
rm -f charter.sarif

sed -i 's/^title:.*/title:/' "$page"
run_action broken push site=policies as-of=2026-11-25 upload-sarif=false
check "action: an error fails the check" test $? -eq 1
check "action: the error is an annotation" grep -q "^::error file=$page" "$tmp/broken/check.log"
check "action: no SARIF report with upload-sarif: false" test ! -e charter.sarif

# gitlab SCRIPT_VARIABLES...: the template's charter-check script lines
# after `charter --version`, in one sh -e, as the runner runs them.
gitlab() {
    python3 - "$top/ci/gitlab-charter.yml" >"$tmp/gitlab.sh" <<'PY'
import sys, yaml
y = yaml.safe_load(open(sys.argv[1]))
print("set -e")
print("\n".join(y[".charter"]["before_script"][-1:] + y["charter-check"]["script"]))
PY
    env "$@" sh "$tmp/gitlab.sh" >"$tmp/gitlab.log" 2>&1
}
gitlab CHARTER_SITE=policies CHARTER_AS_OF=2026-11-25 CHARTER_STRICT=false
check "gitlab: an error fails the job" test $? -eq 1
check "gitlab: the JUnit report is written anyway" grep -q '<testsuites' charter-junit.xml
check "gitlab: the JUnit report names the page with the error" grep -q "$page" charter-junit.xml
git checkout -q -- "$page"
rm -f charter-junit.xml
gitlab CHARTER_SITE=policies CHARTER_AS_OF=2026-12-20 CHARTER_STRICT=false
check "gitlab: warnings alone pass" test $? -eq 0
gitlab CHARTER_SITE=policies CHARTER_AS_OF=2026-12-20 CHARTER_STRICT=true
check "gitlab: CHARTER_STRICT=true fails on warnings" test $? -eq 1

if [ "$failed" -eq 0 ]; then
    echo "ci: all $n passed"
else
    echo "ci: $failed of $n failed"
    exit 1
fi
