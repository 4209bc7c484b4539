#!/usr/bin/env bash
# Install Debian packages with apt-get, as root or through sudo: the one install step
# scripts/system-deps.sh (tests) and scripts/bench-deps.sh (benchmarks) share.
# Usage: apt-install.sh WHO PACKAGE...   (WHO prefixes the messages)
# Exit code 3 when there is neither root nor sudo, so a caller can choose to go on.
set -euo pipefail

who=$1
shift
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "$who: need root (or sudo) to install: $*" >&2
    exit 3
  fi
fi
echo "$who: installing $*"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >/dev/null
