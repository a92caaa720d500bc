#!/usr/bin/env python3
"""Validates an OSCAL JSON document against one of NIST's OSCAL JSON schemas
(draft-07), the way NIST's own tooling reads them: the `pattern` keyword
through the `regex` module, since OSCAL's patterns use \\p{L} and \\p{N},
which Python's `re` cannot compile, and the formats it names (date-time,
uri, uri-reference) checked.

Usage: tests/oscal/validate.py SCHEMA DOC
Exit: 0 DOC is valid; 1 it is not (each error on stderr, with its JSON
path); 2 usage error or missing tooling (python3-jsonschema, python3-regex,
python3-rfc3987).
"""
import json
import re
import sys
import warnings

warnings.simplefilter("ignore", DeprecationWarning)

try:
    import jsonschema
    import regex
    from jsonschema import Draft7Validator, FormatChecker, ValidationError
except ImportError as e:
    sys.stderr.write("oscal-validate: %s; install python3-jsonschema and python3-regex\n" % e)
    sys.exit(2)


def pattern(validator, patrn, instance, schema):
    # Draft 7: a string that no match of the pattern is found in is invalid
    # (the patterns are anchored themselves where they mean to be).
    if isinstance(instance, str) and not regex.search(patrn, instance):
        yield ValidationError("%r does not match %r" % (instance, patrn))


# RFC 3339 date-time with a time zone; jsonschema checks it only with the
# rfc3339-validator module, which Debian 12 does not package.
_date_time = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]"
    r"([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$"
)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: %s SCHEMA DOC\n" % argv[0])
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    try:
        with open(argv[2], encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        sys.stderr.write("%s: %s\n" % (argv[2], e))
        return 1

    # The schema itself, its patterns compiled as the validator will.
    meta_checker = FormatChecker(formats=())

    @meta_checker.checks("regex", raises=regex.error)
    def is_regex(value):
        return not isinstance(value, str) or regex.compile(value) is not None

    Draft7Validator(Draft7Validator.META_SCHEMA, format_checker=meta_checker).validate(schema)
    checker = FormatChecker()
    if "date-time" not in checker.checkers:

        @checker.checks("date-time")
        def date_time(value):
            return not isinstance(value, str) or bool(_date_time.match(value))

    missing = {"uri", "uri-reference", "date-time"} - set(checker.checkers)
    if missing:
        sys.stderr.write(
            "oscal-validate: no format checker for %s; install python3-rfc3987\n"
            % ", ".join(sorted(missing))
        )
        return 2
    cls = jsonschema.validators.extend(Draft7Validator, {"pattern": pattern})
    validator = cls(schema, format_checker=checker)

    def where(path):
        return "$" + "".join("[%d]" % p if isinstance(p, int) else "." + str(p) for p in path)

    errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    for e in errors:
        sys.stderr.write("%s: %s: %s\n" % (argv[2], where(e.absolute_path), e.message))
        for sub in sorted(e.context or (), key=lambda s: list(map(str, s.absolute_path))):
            sys.stderr.write("%s:   %s: %s\n" % (argv[2], where(sub.absolute_path), sub.message))
    return 1 if errors else 0


sys.exit(main(sys.argv))
