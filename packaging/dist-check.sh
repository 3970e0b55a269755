#!/usr/bin/env bash
# make dist-check: one version everywhere, valid workflows, then every artifact
# in dist/ installed and used as a user would; ends with one line per artifact
# (size, glibc floor, install time).
source "$(dirname "$0")/lib.sh"
DIST_REPORT=$(mktemp)
export DIST_REPORT
trap 'rm -f "$DIST_REPORT"' EXIT
here="$ROOT/packaging"

python3 "$here/versions.py" check
"$ROOT/.venv/bin/python" -m pytest -q -p no:cacheprovider "$here/tests"
"$here/check/workflows.sh"
"$here/check/python.sh"
"$here/check/node.sh"
"$here/check/ruby.sh"
"$here/check/cli.sh"
"$here/check/crates.sh"

echo
echo "dist-check: passed"
cat "$DIST_REPORT"
