# Shared by tests/oscal/*.sh (sourced after tests/lib.sh, with $top set):
# where NIST's OSCAL files are ($oscal_dir: $OSCAL_DIR, else ../shared/oscal
# beside the repository), the component schema ($schema, or empty after a
# `skip:` line when it or the python packages validate.py needs are
# missing), and validate DOC, which checks DOC against it.
oscal_dir=${OSCAL_DIR:-$top/../shared/oscal}
schema=$oscal_dir/schema/oscal_component_schema.json
# Debian's interpreter first: the packages are installed for it.
py=""
for cand in /usr/bin/python3 python3; do
    if command -v "$cand" >/dev/null 2>&1 &&
        "$cand" -c 'import jsonschema, regex, rfc3987' >/dev/null 2>&1; then
        py=$cand
        break
    fi
done
if [ ! -f "$schema" ]; then
    echo "skip: OSCAL schemas not found at $oscal_dir/schema (set OSCAL_DIR); schema validation skipped"
    schema=""
elif [ -z "$py" ]; then
    echo "skip: python3-jsonschema, python3-regex or python3-rfc3987 missing; schema validation skipped"
    schema=""
fi
[ -n "$py" ] || py=python3
validate() { "$py" "$top/tests/oscal/validate.py" "$schema" "$1"; }
