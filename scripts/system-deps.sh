#!/usr/bin/env bash
# Install the Debian packages the test suite starts for real: a PostgreSQL server
# (pytest-postgresql runs its binaries) and headless Chromium (page tests).
# Idempotent: does nothing when both are present.
set -euo pipefail

need=()
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# fonts so rendered pages and screenshots show text
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)

[ ${#need[@]} -eq 0 ] && exit 0

status=0
bash "$(dirname "$0")/apt-install.sh" system-deps "${need[@]}" || status=$?
[ "$status" -eq 3 ] && exit 1  # no root and no sudo: the tests cannot run without these
exit "$status"
