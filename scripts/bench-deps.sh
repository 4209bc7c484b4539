#!/usr/bin/env bash
# Install the load generator bench/bench_server.py drives the server with: wrk, an
# event-driven C client, so the client costs the 2-core machine almost nothing (the
# threaded Python client took a core of its own and capped the figures it measured).
# Idempotent; without root or sudo it says so and the bench falls back to httpx.
set -euo pipefail

command -v wrk >/dev/null 2>&1 && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "bench-deps: need root (or sudo) to install wrk; bench_server.py will use httpx" >&2
    exit 0
  fi
fi
echo "bench-deps: installing wrk"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends wrk >/dev/null
