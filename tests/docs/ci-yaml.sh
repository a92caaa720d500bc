#!/bin/sh
# The CI jobs of docs/ci.md, as a user copies them: every ```yaml block
# parses (python3-yaml's safe_load), every shell step passes `bash -n`, and
# the facts that make the jobs work hold: the whole git history
# (actions/checkout's fetch-depth: 0, GitLab's GIT_DEPTH: 0), git and
# ca-certificates installed in the debian:12 container before anything
# needs them (the checkout, the clone of charter's source), charter's
# Debian packages installed (make deps) before it is built, and the check
# run on the user's site with --site (charter check, or charter diff in
# a pull request's review job). A workflow job that uses the charter action
# checks out the whole history before it and names the site; a GitLab
# pipeline that includes ci/gitlab-charter.yml names the site too. The
# action (action.yml) and the template themselves are checked as well:
# they parse, their shell steps pass `bash -n`, the action's run steps
# name their shell and it has the inputs docs/ci.md lists, the template's
# jobs (with what they extend) hold to the GitLab rules above.
# Usage: tests/docs/ci-yaml.sh [FILE] (default: docs/ci.md)
# Exit: 0 all hold; 1 something does not (messages on stderr); 2 no python3
# with yaml.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
doc=${1:-$here/../../docs/ci.md}

if ! python3 -c 'import yaml' >/dev/null 2>&1; then
    echo "ci-yaml: python3 with yaml not found; install python3-yaml" >&2
    exit 2
fi

python3 - "$doc" <<'EOF'
import os
import re
import subprocess
import sys

import yaml

doc = sys.argv[1]
text = open(doc, encoding="utf-8").read()
blocks = re.findall(r"^```yaml\n(.*?)^```$", text, re.S | re.M)
failures = []


def fail(msg):
    failures.append(msg)


def shell_ok(where, script):
    r = subprocess.run(["bash", "-n"], input=script, text=True, capture_output=True)
    if r.returncode != 0:
        fail("%s: not valid shell: %s" % (where, r.stderr.strip()))


def simple(cmds):
    """The simple commands of shell scripts, in order: one a line, split at
    &&, || and ; (comments dropped). Good enough for these jobs."""
    out = []
    for c in cmds:
        for line in c.splitlines():
            line = re.sub(r"(^|\s)#.*", "", line)
            out += [p.strip() for p in re.split(r"&&|\|\||;", line) if p.strip()]
    return out


def installs(c, pkg):
    return bool(re.match(r"(sudo )?apt-get\b.*\binstall\b", c)) and pkg in c.split()


def make_targets(c):
    """The targets of a make command (None when c is not one): -C DIR and
    other options, and VAR=value, are not targets."""
    words = c.split()
    if not words or words[0] != "make":
        return None
    targets, skip = [], False
    for w in words[1:]:
        if skip:
            skip = False
        elif w in ("-C", "-f", "-j"):
            skip = True
        elif not w.startswith("-") and "=" not in w:
            targets.append(w)
    return targets


def is_deps(c):
    return "deps" in (make_targets(c) or []) or "scripts/install-deps.sh" in c


def is_build(c):
    t = make_targets(c)
    return t is not None and (not t or any(x == "all" or x.endswith("/charter") for x in t))


def first(cmds, pred):
    """Index of the first command for which pred holds, or None."""
    return next((i for i, c in enumerate(cmds) if pred(c)), None)


def check_order(where, cmds, clone_pred):
    """git and ca-certificates installed before the checkout (GitHub) or
    the clone of charter (GitLab); deps before the build; check with --site."""
    git_at = first(cmds, lambda c: installs(c, "git"))
    ca_at = first(cmds, lambda c: installs(c, "ca-certificates"))
    clone_at = first(cmds, clone_pred)
    deps_at = first(cmds, is_deps)
    build_at = first(cmds, is_build)
    if clone_at is None:
        fail("%s: no checkout or clone found" % where)
    if git_at is None or (clone_at is not None and git_at > clone_at):
        fail("%s: git is not installed before the checkout/clone" % where)
    if ca_at is None or (clone_at is not None and ca_at > clone_at):
        fail("%s: ca-certificates is not installed before the checkout/clone" % where)
    if deps_at is None:
        fail("%s: charter's Debian packages are never installed (make deps)" % where)
    if build_at is None:
        fail("%s: charter is never built (make)" % where)
    if deps_at is not None and build_at is not None and deps_at > build_at:
        fail("%s: make runs before make deps installs the packages" % where)
    if not any(re.search(r"\bgit clone\b", c) for c in cmds):
        fail("%s: charter's source is not fetched (git clone)" % where)
    checks = [c for c in cmds if re.search(r"charter (check|diff)\b", c)]
    if not checks:
        fail("%s: no charter check or diff" % where)
    for c in checks:
        if "--site" not in c:
            fail("%s: charter check or diff without --site: %s" % (where, c))


def charter_action(uses):
    """The charter action: `owner/charter@ref`, a mirror's `.../charter@ref`, or ./"""
    return bool(re.search(r"(^|/)charter(@|$)", str(uses))) or uses == "./"


def check_action_job(w, job):
    """A job using the charter action: the whole history checked out before
    it, the site named; a .deb only in debian:12, with git installed before
    the checkout."""
    steps = job.get("steps", [])
    checkout_at = action_at = None
    cmds = []
    for k, step in enumerate(steps):
        uses = str(step.get("uses", ""))
        if "run" in step:
            shell_ok("%s: step %d" % (w, k + 1), step["run"])
            cmds += simple([step["run"]])
        elif uses.startswith("actions/checkout@"):
            depth = (step.get("with") or {}).get("fetch-depth")
            if depth != 0 and depth != "0":
                fail("%s: actions/checkout without fetch-depth: 0 (has %r)" % (w, depth))
            checkout_at = k if checkout_at is None else checkout_at
            cmds.append("<checkout>")
        elif charter_action(uses):
            action_at = k
            args = step.get("with") or {}
            if "site" not in args:
                fail("%s: the charter action without site" % w)
            unknown = set(args) - set(action_inputs)
            if action_inputs and unknown:
                fail("%s: the charter action has no input %s" % (w, ", ".join(sorted(unknown))))
            if args.get("deb") and job.get("container") not in ("debian:12", {"image": "debian:12"}):
                fail("%s: a charter .deb outside the debian:12 container" % w)
    if checkout_at is None or action_at is None or checkout_at > action_at:
        fail("%s: no checkout before the charter action" % w)
    if job.get("container") is not None:
        git_at = first(cmds, lambda c: installs(c, "git"))
        if git_at is None or git_at > cmds.index("<checkout>"):
            fail("%s: git is not installed before the checkout in the container" % w)


def gitlab_job(y, name):
    """A GitLab job with what it extends merged in (variables merged)."""
    job = dict(y[name])
    bases = job.pop("extends", [])
    for base in [bases] if isinstance(bases, str) else bases:
        merged = gitlab_job(y, base)
        variables = dict(merged.get("variables") or {}, **(job.get("variables") or {}))
        merged.update(job)
        merged["variables"] = variables
        job = merged
    return job


def check_gitlab_job(w, y, job):
    if job.get("image") != "debian:12":
        fail("%s: not in the debian:12 image" % w)
    depth = (job.get("variables") or {}).get("GIT_DEPTH", (y.get("variables") or {}).get("GIT_DEPTH"))
    if depth != 0 and depth != "0":
        fail("%s: GIT_DEPTH is not 0 (has %r)" % (w, depth))
    lines = list(job.get("before_script", [])) + list(job["script"])
    for k, c in enumerate(lines):
        shell_ok("%s: command %d" % (w, k + 1), c)
    check_order(w, simple(lines), lambda c: bool(re.search(r"\bgit clone\b", c)))


top = os.path.join(os.path.dirname(os.path.abspath(doc)), "..")
action_inputs = []
action_file = os.path.join(top, "action.yml")
if os.path.exists(action_file):
    try:
        action = yaml.safe_load(open(action_file, encoding="utf-8"))
        action_inputs = list(action.get("inputs") or {})
        for want in ("site", "as-of", "fail-on-warnings", "diff"):
            if want not in action_inputs:
                fail("action.yml: no input %s" % want)
        if action["runs"].get("using") != "composite":
            fail("action.yml: not a composite action")
        for k, step in enumerate(action["runs"]["steps"]):
            if "run" in step:
                if "shell" not in step:
                    fail("action.yml: step %d: a run step without shell" % (k + 1))
                shell_ok("action.yml: step %d" % (k + 1), step["run"])
                for c in simple([step["run"]]):
                    if re.search(r"charter (check|diff)\b", c) and "--site" not in c:
                        fail("action.yml: step %d: charter check or diff without --site: %s" % (k + 1, c))
    except (yaml.YAMLError, KeyError, TypeError) as e:
        fail("action.yml: does not parse as a composite action: %s" % e)
template = os.path.join(top, "ci", "gitlab-charter.yml")
if os.path.exists(template):
    try:
        t = yaml.safe_load(open(template, encoding="utf-8"))
        jobs = [n for n in t if not n.startswith(".") and isinstance(t[n], dict)]
        if not jobs:
            fail("ci/gitlab-charter.yml: no job")
        for name in jobs:
            check_gitlab_job("ci/gitlab-charter.yml: job %s" % name, t, gitlab_job(t, name))
    except yaml.YAMLError as e:
        fail("ci/gitlab-charter.yml: does not parse: %s" % e)

github = gitlab = 0
if len(blocks) < 2:
    fail("%s: %d yaml blocks, expected the GitHub and the GitLab job" % (doc, len(blocks)))
for n, src in enumerate(blocks, 1):
    where = "%s: yaml block %d" % (doc, n)
    try:
        y = yaml.safe_load(src)
    except yaml.YAMLError as e:
        fail("%s: does not parse: %s" % (where, e))
        continue
    if not isinstance(y, dict):
        continue
    if "jobs" in y:  # a GitHub Actions workflow
        github += 1
        for name, job in y["jobs"].items():
            w = "%s: job %s" % (where, name)
            if any(charter_action(s.get("uses", "")) for s in job.get("steps", [])):
                check_action_job(w, job)
                continue
            if job.get("container") not in ("debian:12", {"image": "debian:12"}):
                fail("%s: not in the debian:12 container" % w)
            cmds = []
            for k, step in enumerate(job.get("steps", [])):
                if "run" in step:
                    shell_ok("%s: step %d" % (w, k + 1), step["run"])
                    cmds += simple([step["run"]])
                elif str(step.get("uses", "")).startswith("actions/checkout@"):
                    depth = (step.get("with") or {}).get("fetch-depth")
                    if depth != 0 and depth != "0":
                        fail("%s: actions/checkout without fetch-depth: 0 (has %r)" % (w, depth))
                    cmds.append("<checkout>")
            check_order(w, cmds, lambda c: c == "<checkout>")
    else:  # GitLab CI: jobs are the mappings with a script
        includes = y.get("include") or []
        for inc in [includes] if not isinstance(includes, list) else includes:
            if "gitlab-charter.yml" in str(inc):
                gitlab += 1
                v = (y.get("charter-check") or {}).get("variables") or {}
                if "CHARTER_SITE" not in v:
                    fail("%s: the included charter-check without CHARTER_SITE" % where)
        for name, job in y.items():
            if not isinstance(job, dict) or "script" not in job:
                continue
            gitlab += 1
            check_gitlab_job("%s: job %s" % (where, name), y, job)
if not github:
    fail("%s: no GitHub Actions workflow" % doc)
if not gitlab:
    fail("%s: no GitLab CI job" % doc)
for f in failures:
    print("ci-yaml: " + f, file=sys.stderr)
print("ci-yaml: %d yaml blocks, %d GitHub workflow(s), %d GitLab job(s), %d failure(s)"
      % (len(blocks), github, gitlab, len(failures)))
sys.exit(1 if failures else 0)
EOF
