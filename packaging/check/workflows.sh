#!/usr/bin/env bash
# The GitHub workflows against GitHub's workflow schema (bundled: works offline).
source "$(dirname "$0")/../lib.sh"
check-jsonschema --builtin-schema vendor.github-workflows "$ROOT"/.github/workflows/*.yml
