#!/bin/sh
# Validates SARIF logs against the SARIF 2.1.0 JSON schema (draft-07), with
# format checks (uri, uri-reference, date-time). The schema comes from
# tests/sarif/setup.sh; the validator is Debian's python3-jsonschema, with
# python3-rfc3987 for the URI formats.
# Usage: tests/sarif/validate.sh FILE...
# Exit: 0 every FILE is valid; 1 some FILE is invalid (messages on stderr);
#       2 usage error or missing tooling (schema or Python packages).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
schema="$here/cache/sarif-schema-2.1.0.json"

if [ $# -eq 0 ]; then
    echo "usage: $0 FILE..." >&2
    exit 2
fi
if [ ! -f "$schema" ]; then
    echo "sarif-validate: schema missing; run tests/sarif/setup.sh (needs npm)" >&2
    exit 2
fi

# Debian's interpreter first: the packages below are installed for it.
py=""
for cand in /usr/bin/python3 python3; do
    if command -v "$cand" >/dev/null 2>&1 &&
        "$cand" -c 'import jsonschema, rfc3987' >/dev/null 2>&1; then
        py=$cand
        break
    fi
done
if [ -z "$py" ]; then
    echo "sarif-validate: python3 with jsonschema and rfc3987 not found;" \
        "install them: apt-get install python3-jsonschema python3-rfc3987" >&2
    exit 2
fi

exec "$py" - "$schema" "$@" <<'PY'
import json
import re
import sys
import warnings

warnings.simplefilter("ignore", DeprecationWarning)
import jsonschema
from jsonschema import FormatChecker

schema_path, files = sys.argv[1], sys.argv[2:]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)

cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
checker = FormatChecker()

# RFC 3339 date-time (SARIF §3.9). jsonschema checks it only when the optional
# rfc3339-validator module is present, which Debian 12 does not package.
if "date-time" not in checker.checkers:
    _dt = re.compile(
        r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]"
        r"([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$")

    @checker.checks("date-time")
    def _date_time(value):
        return not isinstance(value, str) or bool(_dt.match(value))

missing = {"uri", "uri-reference", "date-time"} - set(checker.checkers)
if missing:
    sys.stderr.write("sarif-validate: no format checker for %s; install python3-rfc3987\n"
                     % ", ".join(sorted(missing)))
    sys.exit(2)

validator = cls(schema, format_checker=checker)

def where(path):
    return "$" + "".join("[%d]" % p if isinstance(p, int) else "." + str(p) for p in path)

bad = 0
for name in files:
    try:
        with open(name, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        sys.stderr.write("%s: %s\n" % (name, e))
        bad += 1
        continue
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    for e in errors:
        sys.stderr.write("%s: %s: %s\n" % (name, where(e.absolute_path), e.message))
        for sub in sorted(e.context or (), key=lambda s: list(map(str, s.absolute_path))):
            sys.stderr.write("%s:   %s: %s\n" % (name, where(sub.absolute_path), sub.message))
    if errors:
        bad += 1
sys.exit(1 if bad else 0)
PY
