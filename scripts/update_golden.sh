#!/bin/sh
# Regenerate the conversion golden files in tests/formats/golden from the official
# fixtures in ../shared/fixtures, then review `git diff tests/formats/golden`.
# The content tests in the same module check what was read against the sources.
set -e
cd "$(dirname "$0")/.."
UPDATE_GOLDEN=1 "${PYTEST:-.venv/bin/pytest}" -p no:cacheprovider -q tests/formats/test_edc_golden.py
